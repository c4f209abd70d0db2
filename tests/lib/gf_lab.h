/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A gateway lab in network namespaces, run by the real agent:
 *
 *   TAG-lan  l0 10.10.0.2/24, fd10::2/64
 *      |
 *   TAG-gw   g0 (XDP, lan) 10.10.0.1;  g1 (tc, wan) 100.64.0.1
 *      |  \-- q0 -> TAG-q q1: the quarantine port (redirect target)
 *   TAG-wan  w0 100.64.0.2; the "internet": one address per host on lo
 *
 * Each host is an address of a country taken from the default data.  An
 * nftables counter per host on w0's ingress counts what was delivered to
 * the internet, independently of geofence's own counters; another on q1
 * counts what reached the quarantine port.  VLAN-tagged frames (this kernel
 * has no 802.1Q devices) are sent from l0 with a packet socket and counted
 * per host on g0's ingress, i.e. what the gateway received after XDP.
 */
#ifndef GF_LAB_H
#define GF_LAB_H

#include <sys/types.h>
#include <linux/types.h>
#include "gf_world.h"

#define GF_LAB_HOSTS 16

struct gf_lab_host {
	const char *label;	/* "CN", "US-vlan"... */
	char cc[3];
	char v4[64], v6[64];
};

struct gf_lab {
	char tag[16];
	char ns_lan[32], ns_gw[32], ns_wan[32], ns_q[32];
	char dir[128], conf[192], lists[192], run_dir[192], state_dir[192], pin_dir[128], log[192];
	pid_t agent;
	/* geofenced and geofence are taken from here; NULL: this build's */
	const char *bin_dir;
	struct gf_lab_host hosts[GF_LAB_HOSTS];
	int nhosts;
};

/* The lab's links (gf_lab.c's table): made, addressed and up again by gf_lab_link_up. */
enum { GF_LAB_LINK_LAN, GF_LAB_LINK_WAN, GF_LAB_LINK_Q };
int gf_lab_link_up(const struct gf_lab *l, int link);

/* Hosts: label "CC" or "CC-anything" (a second address of the country). */
int gf_lab_up(struct gf_lab *l, const char *tag, const struct gf_world *w,
	      const char *const *labels, int nlabels);
void gf_lab_down(struct gf_lab *l);
int gf_lab_host(const struct gf_lab *l, const char *label);

/* Config: sources_block like '{ mmdb = "..."; }', policy_extra inside policy { }. */
int gf_lab_write_config(struct gf_lab *l, const char *sources_block, const char *policy_extra);
int gf_lab_write_list(struct gf_lab *l, const char *name, const char *text);

/* Start geofenced; wait until its first generation is installed.  0 = ok. */
int gf_lab_agent_start(struct gf_lab *l);
/* Signal it and wait; returns its exit status (128+sig if killed). */
int gf_lab_agent_stop(struct gf_lab *l, int sig);
/*
 * `geofence detach`: it stops the agent (SIGTERM) and removes everything;
 * reaps the agent.  Returns the CLI's exit code, its output in out.
 */
int gf_lab_detach(struct gf_lab *l, char *out, size_t len);
/*
 * From `geofence stats --json`: the packets of a class at a hook ("xdp",
 * "tc") with a verdict (NULL: any), and of a reason at a hook (NULL: both).
 * -1 if the command fails.
 */
long long gf_lab_class_packets(struct gf_lab *l, const char *cls, const char *verdict, const char *hook);
long long gf_lab_reason_packets(struct gf_lab *l, const char *reason, const char *hook);
/* The agent's state.json (gf_agent_state.h): 0, or -errno; free st either way. */
struct gf_agent_state;
int gf_lab_state(const struct gf_lab *l, struct gf_agent_state *st);
/* The running generation, from the agent's state.json; -1 without one. */
long long gf_lab_generation(const struct gf_lab *l);

/*
 * A configuration beyond gf_lab_write_config's: extra settings inside geoip,
 * policy and state (NULL: none), another run directory (NULL: the lab's),
 * and whole groups after them (metrics, sampling).
 */
struct gf_lab_conf {
	const char *sources;	/* '{ mmdb = "..."; }' */
	const char *geoip, *policy, *state, *run_dir, *extra;
};
int gf_lab_write_config_ex(struct gf_lab *l, const struct gf_lab_conf *c);

/*
 * The usual lab: hosts of the default data for labels; the default
 * database copied in (LAB_DIR/country.mmdb, so that a test may replace
 * it); a configuration with the groups in extra; "00-concern.list" with
 * list's text.  0, or -1 with the lab down again.
 */
int gf_lab_up_default(struct gf_lab *l, const char *tag, const char *const *labels, int nlabels, const char *extra,
		      const char *list);

/*
 * The end of a lab test: the agent's log on stderr when a check failed,
 * geofence detach, the lab down; then gf_test_summary() is what to return.
 */
void gf_lab_teardown(struct gf_lab *l);

/* Run `geofence --config CONF ...`; returns its exit code, output in out. */
int gf_lab_cli(struct gf_lab *l, char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* What the internet received for a host (family 4 or 6), and the quarantine. */
__u64 gf_lab_delivered(const struct gf_lab *l, int host, int family);
__u64 gf_lab_quarantined(const struct gf_lab *l);
/*
 * count UDP frames to a host tagged with VLAN 100 (qinq: inside an 802.1ad
 * tag 200), sent raw from l0 to g0; and the tagged frames of a host the
 * gateway received past XDP.
 */
int gf_lab_send_tagged(const struct gf_lab *l, int host, int family, int count, int qinq);
/*
 * Send count copies of the frame s describes from l0 to the gateway's g0
 * (its MAC filled in; the LAN host's address as source unless s has one).
 * Returns the frames sent.
 */
struct gf_pkt_spec;
int gf_lab_send_frame(const struct gf_lab *l, struct gf_pkt_spec *s, int count);
/* The same, each frame from another source port (up to 32768): count new flows, sent in a burst. */
int gf_lab_send_flows(const struct gf_lab *l, struct gf_pkt_spec *s, int count);
__u64 gf_lab_tagged_seen(const struct gf_lab *l, int host, int family);

/* Traffic from a namespace: replies received / datagrams sent / connected. */
int gf_lab_ping(const char *ns, const char *addr, int count);
int gf_lab_udp(const char *ns, const char *addr, int count);
int gf_lab_tcp(const char *ns, const char *addr);

/*
 * GET http://127.0.0.1:port/path inside the gateway's namespace: the body
 * in out, the HTTP status returned (299: a 200 without the exposition's
 * content type; -1: no answer).
 */
int gf_lab_http_get(const struct gf_lab *l, int port, const char *path, char *out, size_t len);
/* The value of one series ("name{labels}") in an exposition; -1 when absent. */
long long gf_metrics_series(const char *text, const char *name_labels);

#endif
