// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include "gf_agent_state.h"
#include "gf_lab.h"
#include "gf_pkt.h"
#include "gf_netns.h"
#include "gf_state.h"
#include "gf_test.h"

/* The labs up in this process (a test may run a few side by side): downed at exit. */
#define LABS_MAX 4
static struct gf_lab *cleanup_labs[LABS_MAX];

static void lab_atexit(void)
{
	for (int i = 0; i < LABS_MAX; i++)
		if (cleanup_labs[i])
			gf_lab_down(cleanup_labs[i]);
}

static void lab_register(struct gf_lab *l, int on)
{
	static int registered;

	for (int i = 0; i < LABS_MAX; i++)
		if (on ? !cleanup_labs[i] : cleanup_labs[i] == l) {
			cleanup_labs[i] = on ? l : NULL;
			break;
		}
	if (on && !registered++)
		atexit(lab_atexit);
}

/* What a lab leaves: its TCP listeners (by their pid files), its pins and directory. */
static void lab_undo(const struct gf_lab *l, char *cmd, size_t len)
{
	snprintf(cmd, len, "kill $(cat %s/nc4.pid %s/nc6.pid 2>/dev/null) 2>/dev/null; rm -rf %s%s%s",
		 l->dir, l->dir, l->pin_dir, getenv("GF_KEEP_LAB") ? "" : " ", getenv("GF_KEEP_LAB") ? "" : l->dir);
}

/*
 * The topology, as data: networks, links between namespaces with the host
 * number of each end on its network (address = the network's prefix + the
 * number), and routes.  gf_lab_up applies them in one loop each; a test
 * that takes a link down and makes it again (test_links) uses the same row.
 */
enum { NS_LAN, NS_GW, NS_WAN, NS_Q };
enum { NET_NONE = -1, NET_LAN, NET_WAN };

static const struct lab_net {
	const char *v4, *v6;	/* the prefix an address's host number follows */
	int len4, len6;
} lab_nets[] = {
	[NET_LAN] = { "10.10.0.", "fd10::", 24, 64 },
	[NET_WAN] = { "100.64.0.", "fd20::", 24, 64 },
};

static const struct lab_link {
	int ns_a;
	const char *a;
	int ns_b;
	const char *b;
	int net, host_a, host_b;
} lab_links[] = {
	[GF_LAB_LINK_LAN] = { NS_LAN, "l0", NS_GW, "g0", NET_LAN, 2, 1 },
	[GF_LAB_LINK_WAN] = { NS_GW, "g1", NS_WAN, "w0", NET_WAN, 1, 2 },
	[GF_LAB_LINK_Q] = { NS_GW, "q0", NS_Q, "q1", NET_NONE, 0, 0 },
};

static const struct lab_route {
	int ns, to;		/* to: a network, or NET_NONE for the default route */
	int via_net, via_host;
} lab_routes[] = {
	{ NS_LAN, NET_NONE, NET_LAN, 1 },
	{ NS_GW, NET_NONE, NET_WAN, 2 },
	{ NS_WAN, NET_LAN, NET_WAN, 1 },
};

static const char *lab_ns(const struct gf_lab *l, int ns)
{
	return ns == NS_LAN ? l->ns_lan : ns == NS_GW ? l->ns_gw : ns == NS_WAN ? l->ns_wan : l->ns_q;
}

/* One end: its addresses (host number n on net), up. */
static int end_up(const char *ns, const char *dev, int net, int n)
{
	const struct lab_net *N = &lab_nets[net < 0 ? 0 : net];

	if (net >= 0 && (gf_sh("ip -n %s addr add %s%d/%d dev %s", ns, N->v4, n, N->len4, dev) ||
			 gf_sh("ip -n %s addr add %s%d/%d dev %s nodad", ns, N->v6, n, N->len6, dev)))
		return -EIO;
	return gf_sh("ip -n %s link set %s up", ns, dev) ? -EIO : 0;
}

int gf_lab_link_up(const struct gf_lab *l, int link)
{
	const struct lab_link *k = &lab_links[link];

	if (gf_sh("ip -n %s link add %s type veth peer name %s netns %s", lab_ns(l, k->ns_a), k->a, k->b,
		  lab_ns(l, k->ns_b)))
		return -EIO;
	return end_up(lab_ns(l, k->ns_a), k->a, k->net, k->host_a) ?:
	       end_up(lab_ns(l, k->ns_b), k->b, k->net, k->host_b);
}

static int route_up(const struct gf_lab *l, const struct lab_route *r)
{
	const struct lab_net *via = &lab_nets[r->via_net];
	char to4[64] = "default", to6[64] = "default";

	if (r->to != NET_NONE) {
		snprintf(to4, sizeof(to4), "%s0/%d", lab_nets[r->to].v4, lab_nets[r->to].len4);
		snprintf(to6, sizeof(to6), "%s/%d", lab_nets[r->to].v6, lab_nets[r->to].len6);
	}
	return gf_sh("ip -n %s route add %s via %s%d && ip -n %s -6 route add %s via %s%d", lab_ns(l, r->ns),
		     to4, via->v4, r->via_host, lab_ns(l, r->ns), to6, via->v6, r->via_host) ? -EIO : 0;
}

/* The n-th range of the country wide enough to pick an inner address from. */
static int pick(const struct gf_world *w, int f, const char *cc, int nth, char *out, size_t len)
{
	const struct gf_rs *rs = &w->all[f];	/* as the tables hold it: reserved space is not a country */
	int cls = gf_class_from_cc(cc), seen = 0;

	for (size_t i = 0; i < rs->n; i++) {
		const struct gf_range *r = &rs->v[i];

		if (r->cls == cls && r->last - r->first >= 255 && seen++ == nth) {
			gf_addr_str(f ? 6 : 4, r->first + 100, out, len);
			return 0;
		}
	}
	return -ENOENT;
}

int gf_lab_host(const struct gf_lab *l, const char *label)
{
	for (int i = 0; i < l->nhosts; i++)
		if (!strcmp(l->hosts[i].label, label))
			return i;
	return -1;
}

/*
 * nftables counts what crosses the lab: per host and family, what reached
 * the internet (wan's w0), what the gateway got tagged with VLAN 100 past
 * XDP (g0), and everything that reached the quarantine port (q1).
 */
static int lab_counters(struct gf_lab *l)
{
	struct gf_nft_rule wan[2 * GF_LAB_HOSTS], tagged[2 * GF_LAB_HOSTS];
	static const struct gf_nft_rule quarantine = { "", "got", NULL };
	int n = 0;

	for (int i = 0; i < l->nhosts; i++)
		for (int fam = 0; fam < 2; fam++, n++) {
			const char *ip = fam ? "ip6" : "ip", *addr = fam ? l->hosts[i].v6 : l->hosts[i].v4;

			snprintf(wan[n].match, sizeof(wan[n].match), "%s daddr %s", ip, addr);
			snprintf(wan[n].counter, sizeof(wan[n].counter), "h%d%d", i, fam ? 6 : 4);
			wan[n].then = NULL;
			snprintf(tagged[n].match, sizeof(tagged[n].match), "vlan id 100 %s daddr %s", ip, addr);
			snprintf(tagged[n].counter, sizeof(tagged[n].counter), "t%d%d", i, fam ? 6 : 4);
			tagged[n].then = NULL;
		}
	if (gf_nft_counters(l->ns_gw, "tagged", "g0", 0, NULL, tagged, n) ||
	    gf_nft_counters(l->ns_wan, "lab", "w0", 0, NULL, wan, n) ||
	    gf_nft_counters(l->ns_q, "q", "q1", 0, NULL, &quarantine, 1))
		return -EIO;
	return 0;
}

/*
 * An agent a crashed run of this lab left behind: the pid its state.json
 * names, if that process runs geofenced on this lab's configuration.
 * Nothing is ended by name.
 */
static void kill_agents(const struct gf_lab *l)
{
	struct gf_agent_state st;
	long long pid = !gf_lab_state(l, &st) ? st.pid : 0;
	char path[64], cmd[1024] = "";
	size_t n = 0;
	FILE *f;

	gf_agent_state_free(&st);
	if (pid <= 0 || pid == l->agent)
		return;
	snprintf(path, sizeof(path), "/proc/%lld/cmdline", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	n = fread(cmd, 1, sizeof(cmd) - 1, f);
	fclose(f);
	for (size_t i = 0; i < n; i++)
		if (!cmd[i])
			cmd[i] = ' ';
	cmd[n] = '\0';
	if (strstr(cmd, "geofenced") && strstr(cmd, l->conf))
		kill((pid_t)pid, SIGKILL);
}

int gf_lab_up(struct gf_lab *l, const char *tag, const struct gf_world *w,
	      const char *const *labels, int nlabels)
{
	const char *L, *G, *W, *Q;

	memset(l, 0, sizeof(*l));
	snprintf(l->tag, sizeof(l->tag), "%s", tag);
	snprintf(l->ns_lan, sizeof(l->ns_lan), "%s-lan", tag);
	snprintf(l->ns_gw, sizeof(l->ns_gw), "%s-gw", tag);
	snprintf(l->ns_wan, sizeof(l->ns_wan), "%s-wan", tag);
	snprintf(l->ns_q, sizeof(l->ns_q), "%s-q", tag);
	snprintf(l->dir, sizeof(l->dir), "/tmp/%s-lab", tag);
	snprintf(l->conf, sizeof(l->conf), "%s/geofence.conf", l->dir);
	snprintf(l->lists, sizeof(l->lists), "%s/countries.d", l->dir);
	snprintf(l->run_dir, sizeof(l->run_dir), "%s/run", l->dir);
	snprintf(l->state_dir, sizeof(l->state_dir), "%s/state", l->dir);
	snprintf(l->pin_dir, sizeof(l->pin_dir), "/sys/fs/bpf/%s", tag);
	snprintf(l->log, sizeof(l->log), "%s/agent.log", l->dir);
	L = l->ns_lan, G = l->ns_gw, W = l->ns_wan, Q = l->ns_q;
	lab_register(l, 1);

	for (int i = 0; i < nlabels; i++) {
		const char *lab = labels[i];
		struct gf_lab_host *h;
		int nth = 0;

		if (l->nhosts == GF_LAB_HOSTS)
			return -E2BIG;
		h = &l->hosts[l->nhosts];
		h->label = lab;
		h->cc[0] = lab[0];
		h->cc[1] = lab[1];
		/* another address of a country listed already */
		for (int k = 0; k < l->nhosts; k++)
			nth += !strncmp(l->hosts[k].cc, h->cc, 2);
		if (pick(w, 0, h->cc, nth, h->v4, sizeof(h->v4)) ||
		    pick(w, 1, h->cc, nth, h->v6, sizeof(h->v6)))
			return -ENOENT;
		l->nhosts++;
	}

	kill_agents(l);
	gf_sh_quiet("rm -rf %s; mkdir -p %s/countries.d %s/run", l->dir, l->dir, l->dir);
	gf_sh_quiet("rm -rf %s", l->pin_dir);
	if (gf_netns_create(L) || gf_netns_create(G) || gf_netns_create(W) || gf_netns_create(Q))
		return -EIO;
	for (int i = 0; i < (int)(sizeof(lab_links) / sizeof(lab_links[0])); i++)
		if (gf_lab_link_up(l, i))
			return -EIO;
	for (size_t i = 0; i < sizeof(lab_routes) / sizeof(lab_routes[0]); i++)
		if (route_up(l, &lab_routes[i]))
			return -EIO;
	if (gf_sh("ip netns exec %s ethtool -K q1 gro on >/dev/null", Q) ||
	    gf_sh("ip netns exec %s sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1", G))
		return -EIO;
	for (int i = 0; i < l->nhosts; i++) {
		if (gf_sh("ip -n %s addr add %s/32 dev lo && ip -n %s addr add %s/128 dev lo nodad", W,
			  l->hosts[i].v4, W, l->hosts[i].v6))
			return -EIO;
	}
	/* neighbours resolved before any measured packet: each link's a side pings its b side */
	for (size_t i = 0; i < sizeof(lab_links) / sizeof(lab_links[0]); i++) {
		const struct lab_link *k = &lab_links[i];

		if (k->net != NET_NONE &&
		    (gf_sh("ip netns exec %s ping -q -c 1 -W 3 %s%d >/dev/null", lab_ns(l, k->ns_a),
			   lab_nets[k->net].v4, k->host_b) ||
		     gf_sh("ip netns exec %s ping -q -c 1 -W 3 %s%d >/dev/null", lab_ns(l, k->ns_a),
			   lab_nets[k->net].v6, k->host_b)))
			return -EIO;
	}
	/* a TCP listener for every address of the internet */
	{
		char undo[1024];

		lab_undo(l, undo, sizeof(undo));
		gf_keep_command(undo, 1);
	}
	if (gf_sh("ip netns exec %s sh -c 'nc -lk 8080 >/dev/null 2>&1 & echo $! > %s/nc4.pid; "
		  "nc -6 -lk 8080 >/dev/null 2>&1 & echo $! > %s/nc6.pid'", W, l->dir, l->dir))
		return -EIO;
	return lab_counters(l);
}

/* The agent this lab started has been reaped: the keeper need not end it. */
static void agent_gone(struct gf_lab *l)
{
	gf_keep_pid(l->agent, 0);
	l->agent = 0;
}

void gf_lab_down(struct gf_lab *l)
{
	if (l->agent > 0) {
		kill(l->agent, SIGKILL);
		waitpid(l->agent, NULL, 0);
		agent_gone(l);
	}
	if (!l->dir[0])
		return;
	kill_agents(l);
	{
		char undo[1024];

		lab_undo(l, undo, sizeof(undo));
		gf_sh_quiet("%s", undo);
		gf_keep_command(undo, 0);
	}
	gf_netns_delete(l->ns_lan);
	gf_netns_delete(l->ns_gw);
	gf_netns_delete(l->ns_wan);
	gf_netns_delete(l->ns_q);
	l->dir[0] = '\0';
	lab_register(l, 0);
}

int gf_lab_write_config_ex(struct gf_lab *l, const struct gf_lab_conf *c)
{
	char tmp[256];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", l->conf);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "interfaces = { lan = [ \"g0\" ]; wan = [ \"g1\" ]; xdp_mode = \"native\"; };\n"
		   "geoip = { sources = ( %s ); %s };\n"
		   "policy = { countries = \"countries.d\"; default = \"pass\"; unknown = \"pass\";\n"
		   "  %s\n};\n"
		   "state = { pin_dir = \"%s\"; run_dir = \"%s\"; dir = \"%s\"; %s };\n%s",
		c->sources, c->geoip ?: "", c->policy ?: "", l->pin_dir, c->run_dir ?: l->run_dir,
		l->state_dir, c->state ?: "", c->extra ?: "");
	fclose(f);
	/* as config management does: a new file renamed over the old */
	return rename(tmp, l->conf) ? -errno : 0;
}

int gf_lab_write_config(struct gf_lab *l, const char *sources_block, const char *policy_extra)
{
	return gf_lab_write_config_ex(l, &(struct gf_lab_conf){ .sources = sources_block,
								.policy = policy_extra });
}

/* Sum the packets of `stats --json`'s rows in array key that match. */
static long long stats_sum(struct gf_lab *l, const char *key, const char *name_key, const char *name,
			   const char *verdict, const char *hook)
{
	static char out[1 << 18];
	json_object *o, *arr;
	long long n = 0;

	if (gf_lab_cli(l, out, sizeof(out), "stats --json --interval 0.01 --top 100000") ||
	    !(o = json_tokener_parse(out)))
		return -1;
	if (json_object_object_get_ex(o, key, &arr))
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *r = json_object_array_get_idx(arr, i);

			if (!strcmp(gf_state_str(r, name_key) ?: "", name) &&
			    (!verdict || !strcmp(gf_state_str(r, "verdict") ?: "", verdict)) &&
			    (!hook || !strcmp(gf_state_str(r, "hook") ?: "", hook)))
				n += gf_state_int(r, "packets");
		}
	json_object_put(o);
	return n;
}

long long gf_lab_class_packets(struct gf_lab *l, const char *cls, const char *verdict, const char *hook)
{
	return stats_sum(l, "classes", "class", cls, verdict, hook);
}

long long gf_lab_reason_packets(struct gf_lab *l, const char *reason, const char *hook)
{
	return stats_sum(l, "reasons", "reason", reason, NULL, hook);
}

int gf_lab_state(const struct gf_lab *l, struct gf_agent_state *st)
{
	char err[256];

	return gf_agent_state_read(l->run_dir, st, err, sizeof(err));
}

long long gf_lab_generation(const struct gf_lab *l)
{
	struct gf_agent_state st;
	long long g = !gf_lab_state(l, &st) ? st.generation : -1;

	gf_agent_state_free(&st);
	return g;
}

int gf_lab_write_list(struct gf_lab *l, const char *name, const char *text)
{
	char path[256], tmp[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", l->lists, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", l->lists, name);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	fclose(f);
	return rename(tmp, path) ? -errno : 0;
}

int gf_lab_agent_start(struct gf_lab *l)
{
	char bin[256];

	snprintf(bin, sizeof(bin), "%s/geofenced", l->bin_dir ?: GF_BUILD_DIR);
	l->agent = fork();
	if (l->agent < 0)
		return -errno;
	if (l->agent > 0)
		gf_keep_pid(l->agent, 1);	/* ended by pid if this test dies */
	if (l->agent == 0) {
		FILE *log = fopen(l->log, "a");

		if (log) {
			dup2(fileno(log), STDERR_FILENO);
			dup2(fileno(log), STDOUT_FILENO);
		}
		execl(bin, "geofenced", "-c", l->conf, "--netns", l->ns_gw, (char *)NULL);
		_exit(127);
	}
	/* ready when state.json names this pid with a first result */
	for (int i = 0; i < 600; i++) {
		struct gf_agent_state st;
		int status;

		if (!gf_lab_state(l, &st) && st.pid == l->agent && st.reload.count > 0) {
			int ok = gf_reload_result_parse(st.reload.last.result) == GF_RELOAD_APPLIED;

			gf_agent_state_free(&st);
			return ok ? 0 : -EINVAL;
		}
		gf_agent_state_free(&st);
		if (waitpid(l->agent, &status, WNOHANG) == l->agent) {
			agent_gone(l);
			return WIFEXITED(status) ? -WEXITSTATUS(status) - 1000 : -ECHILD;
		}
		usleep(50000);
	}
	return -ETIMEDOUT;
}

int gf_lab_agent_stop(struct gf_lab *l, int sig)
{
	int status = 0;

	if (l->agent <= 0)
		return -ECHILD;
	kill(l->agent, sig);
	waitpid(l->agent, &status, 0);
	agent_gone(l);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int gf_lab_cli(struct gf_lab *l, char *out, size_t len, const char *fmt, ...)
{
	char args[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return gf_sh_out(out, out ? len : 0, "%s/geofence --config %s %s 2>&1", l->bin_dir ?: GF_BUILD_DIR, l->conf,
			 args);
}

void gf_lab_teardown(struct gf_lab *l)
{
	if (gf_test_failed)
		gf_sh("echo '--- the agent log:'; cat %s >&2", l->log);
	gf_lab_detach(l, NULL, 0);
	gf_lab_down(l);
}

int gf_lab_detach(struct gf_lab *l, char *out, size_t len)
{
	int ret = gf_lab_cli(l, out, len, "detach");

	if (l->agent > 0) {
		/* detach waited for it to stop: it is gone or going */
		waitpid(l->agent, NULL, 0);
		agent_gone(l);
	}
	return ret;
}

__u64 gf_lab_delivered(const struct gf_lab *l, int host, int family)
{
	char name[16];

	snprintf(name, sizeof(name), "h%d%d", host, family);
	return gf_nft_counter(l->ns_wan, "netdev lab", name);
}

__u64 gf_lab_quarantined(const struct gf_lab *l)
{
	return gf_nft_counter(l->ns_q, "netdev q", "got");
}

int gf_lab_ping(const char *ns, const char *addr, int count)
{
	char cmd[256], line[256];
	int got = 0;
	FILE *p;

	/* -w: give up a second after the last echo; blocked pings never answer */
	snprintf(cmd, sizeof(cmd), "ip netns exec %s ping -q -c %d -i 0.2 -W 1 -w %d %s 2>/dev/null", ns,
		 count, count / 5 + 2, addr);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		char *s = strstr(line, " received");

		if (s) {
			while (s > line && s[-1] != ' ')
				s--;
			got = atoi(s);
		}
	}
	pclose(p);
	return got;
}

int gf_lab_udp(const char *ns, const char *addr, int count)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (void *)&ss;
	struct sockaddr_in6 *s6 = (void *)&ss;
	socklen_t sl;
	int fd, sent = 0;

	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(5353);
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(5353);
		sl = sizeof(*s6);
	} else {
		return -EINVAL;
	}
	if (gf_netns_enter(ns))
		return -EIO;
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (int i = 0; fd >= 0 && i < count; i++) {
		if (sendto(fd, "geofence-lab", 12, 0, (struct sockaddr *)&ss, sl) == 12)
			sent++;
		usleep(2000);
	}
	if (fd >= 0)
		close(fd);
	gf_netns_enter("");
	return sent;
}

int gf_lab_tcp(const char *ns, const char *addr)
{
	return gf_sh_quiet("ip netns exec %s nc -z -w 1 %s 8080 >/dev/null 2>&1", ns, addr) == 0;
}

static int send_frames(const struct gf_lab *l, struct gf_pkt_spec *s, int count, int distinct);

int gf_lab_send_frame(const struct gf_lab *l, struct gf_pkt_spec *s, int count)
{
	return send_frames(l, s, count, 0);
}

int gf_lab_send_flows(const struct gf_lab *l, struct gf_pkt_spec *s, int count)
{
	return send_frames(l, s, count, 1);
}

static int send_frames(const struct gf_lab *l, struct gf_pkt_spec *s, int count, int distinct)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = ETH_ALEN };
	unsigned char gwmac[ETH_ALEN], mymac[ETH_ALEN];
	struct gf_pkt p;
	struct ifreq ifr;
	int fd, sent = 0;

	/* the gateway's MAC, as the LAN host would have learnt it */
	if (gf_netns_enter(l->ns_gw))
		return -EIO;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "g0");
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		if (fd >= 0)
			close(fd);
		gf_netns_enter("");
		return -EIO;
	}
	memcpy(gwmac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	close(fd);
	gf_netns_enter(l->ns_lan);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "l0");
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		if (fd >= 0)
			close(fd);
		gf_netns_enter("");
		return -EIO;
	}
	memcpy(mymac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	sll.sll_ifindex = if_nametoindex("l0");
	memcpy(sll.sll_addr, gwmac, ETH_ALEN);
	if (!s->src[0] && !s->src[1])
		inet_pton(s->family == 4 ? AF_INET : AF_INET6, s->family == 4 ? "10.10.0.2" : "fd10::2",
			  s->src);
	if (gf_pkt_build(s, &p)) {
		close(fd);
		gf_netns_enter("");
		return -EINVAL;
	}
	memcpy(p.data, gwmac, ETH_ALEN);
	memcpy(p.data + ETH_ALEN, mymac, ETH_ALEN);
	for (int i = 0; i < count; i++) {
		if (distinct) {
			/* a new source port each: a new flow (UDP without a checksum, TCP's unchecked) */
			p.data[p.l4_off] = 0x80 | ((i >> 8) & 0x7f);
			p.data[p.l4_off + 1] = i & 0xff;
		}
		if (sendto(fd, p.data, p.len, 0, (struct sockaddr *)&sll, sizeof(sll)) == (ssize_t)p.len)
			sent++;
		if (!distinct || i % 64 == 63)
			usleep(1000);
	}
	close(fd);
	gf_netns_enter("");
	return sent;
}

int gf_lab_send_tagged(const struct gf_lab *l, int host, int family, int count, int qinq)
{
	struct gf_pkt_spec s;

	gf_pkt_spec_init(&s, family, family == 4 ? l->hosts[host].v4 : l->hosts[host].v6);
	s.nvlan = qinq ? 2 : 1;
	s.vlan_proto[0] = qinq ? 0x88a8 : 0x8100;
	/* VLAN ids: 100 outermost for 802.1Q; 200 outside 100 for QinQ */
	s.vlan_id[0] = qinq ? 200 : 100;
	s.vlan_id[1] = 100;
	return gf_lab_send_frame(l, &s, count);
}

__u64 gf_lab_tagged_seen(const struct gf_lab *l, int host, int family)
{
	char name[16];

	snprintf(name, sizeof(name), "t%d%d", host, family);
	return gf_nft_counter(l->ns_gw, "netdev tagged", name);
}

int gf_lab_http_get(const struct gf_lab *l, int port, const char *path, char *out, size_t len)
{
	int pfd[2], status = -1;
	pid_t pid;
	size_t n = 0;
	ssize_t r;
	static char resp[1 << 20];

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
		char req[256];
		int fd, k;

		close(pfd[0]);
		if (gf_netns_enter(l->ns_gw))
			_exit(1);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
			_exit(2);
		k = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n", path);
		if (write(fd, req, k) != k)
			_exit(3);
		while ((r = read(fd, req, sizeof(req))) > 0)
			if (write(pfd[1], req, r) != r)
				_exit(4);
		_exit(0);
	}
	close(pfd[1]);
	while (n + 1 < sizeof(resp) && (r = read(pfd[0], resp + n, sizeof(resp) - 1 - n)) > 0)
		n += r;
	resp[n] = '\0';
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	{
		char *body = strstr(resp, "\r\n\r\n");

		snprintf(out, len, "%s", body ? body + 4 : "");
		/* the headers, for the content type */
		if (body)
			*body = '\0';
		if (strcasestr(resp, "Content-Type: text/plain; version=0.0.4") == NULL && status == 200)
			status = 299;	/* 200 with the wrong type */
	}
	return status;
}

long long gf_metrics_series(const char *text, const char *name_labels)
{
	size_t l = strlen(name_labels);

	for (const char *p = text; (p = strstr(p, name_labels)); p += l)
		if ((p == text || p[-1] == '\n') && p[l] == ' ')
			return strtoll(p + l + 1, NULL, 10);
	return -1;
}

int gf_lab_up_default(struct gf_lab *l, const char *tag, const char *const *labels, int nlabels, const char *extra,
		      const char *list)
{
	static struct gf_world w;
	char err[512], src[300];
	int ret;

	if (gf_world_load_default(&w, err, sizeof(err)))
		return -1;
	ret = gf_lab_up(l, tag, &w, labels, nlabels);
	gf_world_free(&w);
	if (ret)
		return -1;
	snprintf(src, sizeof(src), "{ mmdb = \"%s/country.mmdb\"; }", l->dir);
	if (gf_sh("cp %s %s/country.mmdb", GF_BUILD_DB, l->dir) ||
	    gf_lab_write_config_ex(l, &(struct gf_lab_conf){ .sources = src, .extra = extra }) ||
	    gf_lab_write_list(l, "00-concern.list", list)) {
		gf_lab_down(l);
		return -1;
	}
	return 0;
}
