// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath's programs on interfaces: XDP through libxdp (dispatcher or
 * single program, whichever the kernel allows, said in the log), tc egress
 * through libbpf; a running agent's programs adopted, other code swapped
 * in one step.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "gf_dp_impl.h"
#include "gf_log.h"

/* tc filter of geofence's egress programs */
#define GF_TC_HANDLE	0x6f66
#define GF_TC_PRIO	1

static int prog_tag(int fd, __u8 tag[BPF_TAG_SIZE])
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	memcpy(tag, info.tag, BPF_TAG_SIZE);
	return 0;
}

/* Does the program use the map with this id? 1, 0 or -errno. */
static int uses_map(int fd, __u32 map_id)
{
	__u32 ids[64];
	struct bpf_prog_info info = { .nr_map_ids = 64, .map_ids = (__u64)(unsigned long)ids };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	for (__u32 i = 0; i < info.nr_map_ids && i < 64; i++)
		if (ids[i] == map_id)
			return 1;
	return 0;
}

static __u32 map_id(int fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/*
 * The same program: the same code (the kernel's tag, which leaves out map
 * references) on this datapath's maps (its gf_state, pinned with the
 * rest).  After a migration the code may be the same and the maps not:
 * such a program is swapped, not adopted.
 */
static int same_code(const struct gf_dp *dp, int fd_a, int fd_b)
{
	__u8 a[BPF_TAG_SIZE], b[BPF_TAG_SIZE];

	return !prog_tag(fd_a, a) && !prog_tag(fd_b, b) && !memcmp(a, b, BPF_TAG_SIZE) &&
	       uses_map(fd_a, map_id(dp->fd[M_STATE])) == 1;
}

/* geofence's program among those on the interface, if any */
static struct xdp_program *find_ours(struct xdp_multiprog *mp)
{
	struct xdp_program *p;

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		return p && !strcmp(xdp_program__name(p), "gf_xdp") ? p : NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp))
		if (!strcmp(xdp_program__name(p), "gf_xdp"))
			return p;
	return NULL;
}

static const char *describe(struct xdp_multiprog *mp)
{
	int legacy = xdp_multiprog__is_legacy(mp);

	switch (xdp_multiprog__attach_mode(mp)) {
	case XDP_MODE_SKB:
		return legacy ? "generic/single" : "generic/dispatcher";
	case XDP_MODE_HW:
		return "offload";
	default:
		return legacy ? "native/single" : "native/dispatcher";
	}
}

/*
 * libxdp attaches a program it loads itself (as an freplace extension of
 * its dispatcher, or alone): give it a second instance of the object,
 * opened from the skeleton's embedded ELF, sharing this datapath's maps.
 */
static int libxdp_program(struct gf_dp *dp)
{
	DECLARE_LIBXDP_OPTS(xdp_program_opts, o, .prog_name = "gf_xdp");
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *m;
	const void *elf;
	char path[64];
	size_t sz;
	int err;

	if (dp->xdp_prog)
		return 0;
	elf = geofence_bpf__elf_bytes(&sz);
	dp->xdp_memfd = memfd_create("geofence.bpf.o", MFD_CLOEXEC);
	if (dp->xdp_memfd < 0 || write(dp->xdp_memfd, elf, sz) != (ssize_t)sz)
		return -errno;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dp->xdp_memfd);
	o.open_filename = path;
	dp->xdp_prog = xdp_program__create(&o);
	err = libxdp_get_error(dp->xdp_prog);
	if (err) {
		dp->xdp_prog = NULL;
		return err;
	}
	obj = xdp_program__bpf_obj(dp->xdp_prog);
	/* every map is the skeleton's: pinned ones and per-load ones (gf_rng) alike */
	bpf_object__for_each_map(m, obj) {
		struct bpf_map *mine = bpf_object__find_map_by_name(dp->skel->obj, bpf_map__name(m));
		int fd = mine ? bpf_map__fd(mine) : -ENOENT;

		if (fd < 0 || (err = bpf_map__reuse_fd(m, fd)))
			return fd < 0 ? fd : err;
	}
	/* only the XDP program: the tc ones stay with the skeleton */
	bpf_object__for_each_program(prog, obj)
		if (strcmp(bpf_program__name(prog), "gf_xdp"))
			bpf_program__set_autoload(prog, false);
	return 0;
}

int gf_dp_attach_xdp(struct gf_dp *dp, int ifindex, enum gf_xdp_mode mode, const char **how,
		     int *adopted)
{
	enum xdp_attach_mode m = mode == GF_XDP_NATIVE ? XDP_MODE_NATIVE :
				 mode == GF_XDP_GENERIC ? XDP_MODE_SKB : XDP_MODE_UNSPEC;
	char name[IF_NAMESIZE] = "?";
	struct xdp_multiprog *mp;
	struct xdp_program *ours;
	__u32 one = 1, key = ifindex;
	const char *desc = "unknown", *what = "attached";
	int err = 0, ourfd = gf_dp_prog_fd(dp, "gf_xdp");

	if (ourfd < 0)
		return ourfd;
	if (adopted)
		*adopted = 0;
	if_indextoname(ifindex, name);
	mp = xdp_multiprog__get_from_ifindex(ifindex);
	ours = libxdp_get_error(mp) ? NULL : find_ours(mp);
	if (ours && same_code(dp, xdp_program__fd(ours), ourfd)) {
		/* a previous agent's program, the same code: keep it running */
		what = "adopted";
		if (adopted)
			*adopted = 1;
	} else if (ours && xdp_multiprog__is_legacy(mp)) {
		/* other code (an upgrade): swap in one step, no gap */
		LIBBPF_OPTS(bpf_xdp_attach_opts, ao, .old_prog_fd = xdp_program__fd(ours));
		__u32 flags = XDP_FLAGS_REPLACE | (xdp_multiprog__attach_mode(mp) == XDP_MODE_SKB ?
						   XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE);

		err = bpf_xdp_attach(ifindex, ourfd, flags, &ao) ? -errno : 0;
		what = "replaced";
	} else {
		err = libxdp_program(dp);
		/*
		 * libxdp first tries its multi-program dispatcher; kernels that
		 * refuse freplace make that fail with misleading library warnings
		 * (EPERM, "raise ulimit -l"), after which libxdp attaches the
		 * program alone.  The outcome is logged below in our own words.
		 */
		gf_log_libs_demote(1);
		if (!err)
			err = xdp_program__attach(dp->xdp_prog, ifindex, m, 0);
		/*
		 * auto: a driver that has native XDP may still refuse it (veth
		 * above an MTU it cannot take, a NIC in a mode it does not
		 * support): generic works everywhere.
		 */
		if (err && mode == GF_XDP_AUTO) {
			int native_err = err;

			err = xdp_program__attach(dp->xdp_prog, ifindex, XDP_MODE_SKB, 0);
			if (!err)
				pr_warn("XDP on %s: native mode refused (%s): generic instead, slower "
					"(xdp_mode = \"auto\")\n", name, strerror(-native_err));
		}
		gf_log_libs_demote(0);
		/* dispatcher with an older geofence in it: new one in, old one out */
		if (!err && ours)
			xdp_program__detach(ours, ifindex, xdp_multiprog__attach_mode(mp), 0);
	}
	if (!libxdp_get_error(mp))
		xdp_multiprog__close(mp);
	if (err) {
		pr_err("cannot attach XDP to %s: %s%s\n", name, strerror(-err),
		       mode == GF_XDP_NATIVE ? " (the driver may lack native XDP: use generic mode)" :
		       mode == GF_XDP_AUTO ? " (--verbose shows libxdp's attempts)" : "");
		return err;
	}
	if (bpf_map_update_elem(dp->fd[M_XDP_IFACES], &key, &one, 0))
		return -errno;
	mp = xdp_multiprog__get_from_ifindex(ifindex);
	if (!libxdp_get_error(mp)) {
		desc = describe(mp);
		xdp_multiprog__close(mp);
	}
	pr_info("XDP on %s: %s, %s%s\n", name, what, desc,
		strstr(desc, "single") ? " (libxdp's multi-program dispatcher is unavailable "
					 "here: other XDP programs cannot share the interface)" : "");
	if (how)
		*how = desc;
	return 0;
}

int gf_dp_xdp_attached(struct gf_dp *dp, int ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *ours;
	int err = libxdp_get_error(mp), on;

	if (err)
		return err == -ENOENT || err == -ENODEV ? 0 : err;
	ours = find_ours(mp);
	on = ours && same_code(dp, xdp_program__fd(ours), gf_dp_prog_fd(dp, "gf_xdp"));
	xdp_multiprog__close(mp);
	return on;
}

int gf_dp_tc_attached(struct gf_dp *dp, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = GF_TC_HANDLE, .priority = GF_TC_PRIO);
	int err, fd, on;

	gf_log_libs_demote(1);
	err = bpf_tc_query(&hook, &q);
	gf_log_libs_demote(0);
	if (err)
		return err == -ENOENT || err == -ENODEV || err == -EINVAL ? 0 : err;
	fd = bpf_prog_get_fd_by_id(q.prog_id);
	if (fd < 0)
		return 0;
	on = same_code(dp, fd, gf_dp_prog_fd(dp, "gf_tc")) || same_code(dp, fd, gf_dp_prog_fd(dp, "gf_tc_l3"));
	close(fd);
	return on;
}

int gf_dp_mark_xdp_upper(struct gf_dp *dp, int ifindex)
{
	__u32 key = ifindex, one = 1;

	return bpf_map_update_elem(dp->fd[M_XDP_IFACES], &key, &one, 0) ? -errno : 0;
}

void gf_dp_forget_ifindex(struct gf_dp *dp, int ifindex)
{
	__u32 key = ifindex;

	bpf_map_delete_elem(dp->fd[M_XDP_IFACES], &key);
}

int gf_dp_detach_xdp(struct gf_dp *dp, int ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *ours;
	__u32 key = ifindex;
	int err;

	if (dp)	/* NULL: maps of another layout, or none */
		bpf_map_delete_elem(dp->fd[M_XDP_IFACES], &key);
	err = libxdp_get_error(mp);
	if (err)
		return err == -ENOENT ? 0 : err;
	ours = find_ours(mp);
	if (!ours)
		err = 0;	/* not ours, or nothing: leave it */
	else if (xdp_multiprog__is_legacy(mp))
		err = xdp_multiprog__detach(mp);
	else
		err = xdp_program__detach(ours, ifindex, xdp_multiprog__attach_mode(mp), 0);
	xdp_multiprog__close(mp);
	return err;
}

int gf_dp_attach_tc(struct gf_dp *dp, int ifindex, int l3, int *adopted)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = GF_TC_HANDLE, .priority = GF_TC_PRIO);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = GF_TC_HANDLE, .priority = GF_TC_PRIO);
	char name[IF_NAMESIZE] = "?";
	const char *what = "attached";
	int err, ourfd = gf_dp_prog_fd(dp, l3 ? "gf_tc_l3" : "gf_tc");

	if (ourfd < 0)
		return ourfd;
	if (adopted)
		*adopted = 0;
	if_indextoname(ifindex, name);
	/*
	 * A clsact qdisc that exists already, or an empty hook, makes the
	 * kernel complain through libbpf: both expected here.
	 */
	gf_log_libs_demote(1);
	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST) {
		gf_log_libs_demote(0);
		pr_err("cannot create the clsact qdisc on %s: %s\n", name, strerror(-err));
		return err;
	}
	err = bpf_tc_query(&hook, &q);
	gf_log_libs_demote(0);
	if (!err) {
		int old = bpf_prog_get_fd_by_id(q.prog_id);

		if (old >= 0 && same_code(dp, old, ourfd)) {
			close(old);
			if (adopted)
				*adopted = 1;
			pr_info("tc egress on %s: adopted\n", name);
			return 0;
		}
		if (old >= 0)
			close(old);
		o.flags = BPF_TC_F_REPLACE;	/* in one step */
		what = "replaced";
	}
	o.prog_fd = ourfd;
	err = bpf_tc_attach(&hook, &o);
	if (err)
		pr_err("cannot attach tc egress to %s: %s\n", name, strerror(-err));
	else
		pr_info("tc egress on %s: %s\n", name, what);
	return err;
}

int gf_dp_detach_tc(struct gf_dp *dp, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = GF_TC_HANDLE, .priority = GF_TC_PRIO);
	int err;

	(void)dp;
	err = bpf_tc_detach(&hook, &o);
	return err == -ENOENT ? 0 : err;
}
