// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks on the configured interfaces, and links that come and go:
 * rtnetlink events on the configured names, and every second what the
 * kernel says is attached.
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "gf_log.h"
#include "gf_names.h"
#include "gf_state.h"
#include "agent.h"

/* ---------------------------------------------------------------------
 * Applying a generation.
 */
static int find_iface(const char *name, int hook)
{
	for (int i = 0; i < A.link.nifs; i++)
		if (A.link.ifs[i].hook == hook && !strcmp(A.link.ifs[i].name, name))
			return i;
	return -1;
}

static int listed(const struct gf_config *c, const char *name, int hook)
{
	int n = hook == GF_HOOK_XDP ? c->nlan : c->nwan;

	for (int i = 0; i < n; i++)
		if (!strcmp(hook == GF_HOOK_XDP ? c->lan[i] : c->wan[i], name))
			return 1;
	return 0;
}

/* devices without a link-layer header (WireGuard, tun) take gf_tc_l3 */
static int is_l3_device(const char *name)
{
	char buf[16];

	if (gf_file_line(buf, sizeof(buf), "/sys/class/net/%s/type", name))
		return 0;
	/* ARPHRD_NONE 65534, ARPHRD_PPP 512, ARPHRD_IPGRE 778, ARPHRD_TUNNEL 768 ... */
	return atoi(buf) != 1;	/* anything but ARPHRD_ETHER */
}


/* Puts our program on f's interface (ifindex): 0, or -errno with err. */
static int attach_one(struct iface *f, int ifindex, const struct gf_config *c, char *err, size_t errlen)
{
	const char *how = "tc egress";
	int ret;

	if (f->hook == GF_HOOK_XDP)
		ret = gf_dp_attach_xdp(A.dp, ifindex, c->xdp_mode, &how, &f->adopted);
	else
		ret = gf_dp_attach_tc(A.dp, ifindex, is_l3_device(f->name), &f->adopted);
	if (ret) {
		snprintf(err, errlen, "%s: cannot attach %s: %s", f->name,
			 f->hook == GF_HOOK_XDP ? "XDP" : "tc egress", strerror(-ret));
		return ret;
	}
	f->ifindex = ifindex;
	f->filtered = 1;
	f->unfiltered_since = 0;
	snprintf(f->mode, sizeof(f->mode), "%s", how);
	return 0;
}

/*
 * The entry of a configured interface: the existing one, or a new one
 * (absent until its link appears: unfiltered and said so).  NULL when the
 * interface is attached already, or waits for its link.
 */
static struct iface *entry_to_attach(const char *name, int h, int *ifindex)
{
	int at = find_iface(name, h);
	struct iface *f;

	*ifindex = if_nametoindex(name);
	if (at >= 0) {
		f = &A.link.ifs[at];
		/* an attach that failed is tried again with this configuration */
		return !f->filtered && f->ifindex && *ifindex ? f : NULL;
	}
	f = &A.link.ifs[A.link.nifs++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->hook = h;
	if (*ifindex)
		return f;
	snprintf(f->mode, sizeof(f->mode), "absent");
	f->unfiltered_since = mono_s();
	pr_warn("%s %s: no such interface%s%s: waiting for it, unfiltered until it appears "
		"(geofence_interface_filtered 0)\n", gf_hook_name(h), name, A.netns ? " in network namespace " : "",
		A.netns ? A.netns : "");
	return NULL;
}

/*
 * Every configured interface gets an entry; one that does not exist (yet)
 * waits for its link event instead of failing the start or the reload.
 * One whose attach fails is listed unfiltered (link_check tries again
 * every second, a reload at once); the others are attached all the same.
 * Returns how many failed, their reasons joined in err.
 */
int attach_new(const struct gf_config *c, char *err, size_t errlen)
{
	int failed = 0;
	size_t n = 0;

	for (int h = 0; h < 2; h++) {
		int nh = h == GF_HOOK_XDP ? c->nlan : c->nwan;

		for (int i = 0; i < nh; i++) {
			const char *name = h == GF_HOOK_XDP ? c->lan[i] : c->wan[i];
			char why[512];
			int ifindex;
			struct iface *f = entry_to_attach(name, h, &ifindex);

			if (!f || !attach_one(f, ifindex, c, why, sizeof(why))) {
				if (f)
					f->last_err[0] = '\0';
				continue;
			}
			f->ifindex = ifindex;
			f->filtered = 0;
			if (!f->unfiltered_since)
				f->unfiltered_since = mono_s();
			snprintf(f->mode, sizeof(f->mode), "attach failed");
			snprintf(f->last_err, sizeof(f->last_err), "%s", why);
			if (n < errlen)
				n += snprintf(err + n, errlen - n, "%s%s", failed ? "; " : "", why);
			failed++;
		}
	}
	return failed;
}

void detach_unlisted(const struct gf_config *c)
{
	for (int i = 0; i < A.link.nifs;) {
		struct iface *f = &A.link.ifs[i];

		if (listed(c, f->name, f->hook)) {
			i++;
			continue;
		}
		if (f->ifindex && f->hook == GF_HOOK_XDP)
			gf_dp_detach_xdp(A.dp, f->ifindex);
		else if (f->ifindex)
			gf_dp_detach_tc(A.dp, f->ifindex);
		pr_info("%s %s: detached (no longer configured)\n", gf_hook_name(f->hook), f->name);
		A.link.ifs[i] = A.link.ifs[--A.link.nifs];
	}
}

/* ---------------------------------------------------------------------
 * Links that come and go: rtnetlink events on the configured names, and
 * every second what the kernel says is attached.
 */
int link_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		pr_warn("rtnetlink: %s: links are checked once a second only\n", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void link_gone(struct iface *f, const char *why)
{
	if (f->hook == GF_HOOK_XDP && f->ifindex)
		gf_dp_forget_ifindex(A.dp, f->ifindex);
	f->ifindex = 0;
	f->filtered = 0;
	f->unfiltered_since = mono_s();
	snprintf(f->mode, sizeof(f->mode), "gone");
	f->changes++;
	A.link.events++;
	pr_warn("%s %s: %s: unfiltered until it returns\n", gf_hook_name(f->hook), f->name, why);
}

/* The configured name exists with ifindex: make sure our program is on it. */
static int link_seen(struct iface *f, int ifindex, const char *why)
{
	double t0 = mono_s();
	char err[512];

	if (f->filtered && f->ifindex == ifindex)
		return 0;
	if (f->hook == GF_HOOK_XDP && f->ifindex && f->ifindex != ifindex)
		gf_dp_forget_ifindex(A.dp, f->ifindex);
	f->changes++;
	A.link.events++;
	if (attach_one(f, ifindex, &A.cur->cfg, err, sizeof(err))) {
		f->ifindex = ifindex;
		f->filtered = 0;
		if (!f->unfiltered_since)
			f->unfiltered_since = mono_s();
		snprintf(f->mode, sizeof(f->mode), "attach failed");
		if (strncmp(err, f->last_err, sizeof(f->last_err) - 1))
			pr_err("%s; unfiltered: trying again every second\n", err);
		snprintf(f->last_err, sizeof(f->last_err), "%s", err);
		return 1;
	}
	f->last_err[0] = '\0';
	pr_info("%s %s: %s (ifindex %d): %s in %.1f ms\n", gf_hook_name(f->hook), f->name, why, ifindex,
		f->hook == GF_HOOK_XDP ? "XDP attached" : "tc egress attached", (mono_s() - t0) * 1e3);
	return 1;
}

static int is_upper(int ifindex)
{
	for (int i = 0; i < A.link.nuppers; i++)
		if (A.link.uppers[i] == ifindex)
			return i;
	return -1;
}

/*
 * A device whose lower device is an XDP interface, or such a device itself
 * (QinQ): tc egress skips what it delivers, counted at XDP already.  Its
 * going: forgotten.
 */
static void upper_seen(int add, int ifindex, int lower, const char *name)
{
	int on_xdp = 0, at = is_upper(ifindex);

	if (!add) {
		if (at >= 0) {
			gf_dp_forget_ifindex(A.dp, ifindex);
			A.link.uppers[at] = A.link.uppers[--A.link.nuppers];
		}
		return;
	}
	if (!lower || lower == ifindex || at >= 0)
		return;
	for (int i = 0; i < A.link.nifs; i++)
		on_xdp |= A.link.ifs[i].hook == GF_HOOK_XDP && A.link.ifs[i].ifindex == lower;
	if (!on_xdp && is_upper(lower) < 0)
		return;
	if (A.link.nuppers == (int)(sizeof(A.link.uppers) / sizeof(A.link.uppers[0])) || gf_dp_mark_xdp_upper(A.dp, ifindex)) {
		pr_warn("%s: stacked on an XDP interface but not marked: tc egress may count its "
			"traffic twice\n", name[0] ? name : "?");
		return;
	}
	A.link.uppers[A.link.nuppers++] = ifindex;
	pr_info("%s: stacked on an XDP interface: what it delivers is counted at XDP, not again at "
		"tc egress\n", name[0] ? name : "?");
}

/* Asks for every link (the replies come as RTM_NEWLINK): stacked devices that exist already. */
void link_dump(void)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} req = { .h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		  .i = { .ifi_family = AF_UNSPEC } };

	if (A.link.nlfd >= 0 && send(A.link.nlfd, &req, sizeof(req), 0) < 0)
		pr_warn("rtnetlink: cannot list the links: %s\n", strerror(errno));
}

void link_read(void)
{
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	int changed = 0;
	ssize_t len;

	while ((len = recv(A.link.nlfd, buf, sizeof(buf), 0)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			struct ifinfomsg *ifi = NLMSG_DATA(h);
			int alen = IFLA_PAYLOAD(h);
			char name[IF_NAMESIZE] = "";

			if ((h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
				continue;
			int lower = 0;

			for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
				if (a->rta_type == IFLA_IFNAME)
					snprintf(name, sizeof(name), "%.*s", (int)RTA_PAYLOAD(a), (char *)RTA_DATA(a));
				if (a->rta_type == IFLA_LINK && RTA_PAYLOAD(a) >= sizeof(int))
					memcpy(&lower, RTA_DATA(a), sizeof(int));
			}
			upper_seen(h->nlmsg_type == RTM_NEWLINK, ifi->ifi_index, lower, name);
			for (int i = 0; i < A.link.nifs; i++) {
				struct iface *f = &A.link.ifs[i];

				if (h->nlmsg_type == RTM_DELLINK && f->ifindex == ifi->ifi_index) {
					link_gone(f, "the interface was deleted");
					changed = 1;
				} else if (h->nlmsg_type == RTM_NEWLINK && f->ifindex == ifi->ifi_index && name[0] &&
					   strcmp(name, f->name)) {
					link_gone(f, "the interface was renamed away");
					changed = 1;
				} else if (h->nlmsg_type == RTM_NEWLINK && !strcmp(name, f->name)) {
					changed |= link_seen(f, ifi->ifi_index, f->ifindex ? "changed" : "appeared");
				}
			}
		}
	}
	if (changed)
		write_state();
}

/*
 * Once a second: the kernel's word on every configured interface.  A
 * missed event, or someone who took our program off (ip link set xdp off,
 * tc filter del), is caught here and put right.
 */
void link_check(void)
{
	int changed = 0;

	A.link.last_check = mono_s();
	for (int i = 0; i < A.link.nifs; i++) {
		struct iface *f = &A.link.ifs[i];
		int on, ifindex = if_nametoindex(f->name);

		if (!ifindex) {
			if (f->ifindex) {
				link_gone(f, "the interface disappeared");
				changed = 1;
			}
			continue;
		}
		if (ifindex != f->ifindex) {
			changed |= link_seen(f, ifindex, f->ifindex ? "replaced" : "appeared");
			continue;
		}
		on = f->hook == GF_HOOK_XDP ? gf_dp_xdp_attached(A.dp, ifindex) : gf_dp_tc_attached(A.dp, ifindex);
		if (on == 0) {
			if (f->filtered)
				pr_warn("%s %s: geofence's program is no longer on it (removed by hand?): "
					"attaching it again\n", gf_hook_name(f->hook), f->name);
			f->filtered = 0;
			if (!f->unfiltered_since)
				f->unfiltered_since = mono_s();
			changed |= link_seen(f, ifindex, "restored");
		}
	}
	if (changed)
		write_state();
}
