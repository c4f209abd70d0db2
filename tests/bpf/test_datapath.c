// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_TEST_RUN fixtures for the datapath: crafted packet in ->
 * expected return code and exact counter deltas out.  Every class x verdict
 * cell and every reason counter is compared, so a packet counted twice or
 * in the wrong place fails as surely as a wrong verdict.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/pkt_cls.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "gf_datapath.h"
#include "gf_log.h"
#include "gf_names.h"
#include "gf_pkt.h"
#include "gf_test.h"

static struct gf_dp *dp;
static int fd_xdp, fd_tc;
static struct gf_class_counters cls_before[GF_NUM_CLASSES], cls_after[GF_NUM_CLASSES];
static struct gf_counter rsn_before[GF_REASON_MAX], rsn_after[GF_REASON_MAX];

/* classes of the fixture table */
static int CN, US, RU, DE, FR, IR;
#define OVR_ALLOW_HOST	(GF_CLASS_OVERRIDE_BASE + 0)	/* 1.0.0.5/32 allow, inside ... */
#define OVR_DENY_NET	(GF_CLASS_OVERRIDE_BASE + 1)	/* 1.0.0.0/28 deny, inside CN */
#define OVR_DENY_HOST	(GF_CLASS_OVERRIDE_BASE + 2)	/* 8.8.8.8/32 deny, inside US */
#define OVR_ALLOW6	(GF_CLASS_OVERRIDE_BASE + 3)	/* 2001:da8:1::/48 allow, inside CN */
#define OVR_ALLOW_PRIV	(GF_CLASS_OVERRIDE_BASE + 4)	/* 10.9.0.0/16 deny, inside reserved */

#define R(x) (1u << (x))

struct expect {
	__u32 retval;
	int cls;		/* -1: no class counter moves */
	int verdict;
	__u32 reasons;		/* reason counters that move by one packet */
};

static int add4(struct gf_rs *rs, const char *pfx, __u16 cls)
{
	gf_u128 a;
	int len;

	if (gf_prefix_parse(pfx, &a, &len) != 4)
		return -EINVAL;
	return gf_rs_add_prefix(rs, a, len, cls, cls);
}

static int add6(struct gf_rs *rs, const char *pfx, __u16 cls)
{
	gf_u128 a;
	int len;

	if (gf_prefix_parse(pfx, &a, &len) != 6)
		return -EINVAL;
	return gf_rs_add_prefix(rs, a, len, cls, cls);
}

static int install_fixture(int unknown_action, int source_route_action)
{
	struct gf_rs c4, c6, o4, o6, a4, a6;
	struct gf_table *t4 = NULL, *t6 = NULL;
	static struct gf_policy pol[GF_NUM_CLASSES];
	char err[256];
	int ret;

	gf_rs_init(&c4, 4);
	gf_rs_init(&c6, 6);
	gf_rs_init(&o4, 4);
	gf_rs_init(&o6, 6);
	ret = add4(&c4, "1.0.0.0/24", CN) ?: add4(&c4, "1.0.1.0/24", CN) ?:
	      add4(&c4, "8.8.8.0/24", US) ?: add4(&c4, "5.0.0.0/8", RU) ?:
	      add4(&c4, "2.0.0.0/16", DE) ?: add4(&c4, "2.1.0.0/16", FR) ?:
	      add4(&c4, "2.2.3.0/25", IR) ?: add4(&c4, "2.2.3.128/25", US) ?:
	      add6(&c6, "2001:da8::/32", CN) ?: add6(&c6, "2600::/12", US) ?:
	      add6(&c6, "2a00:1450::/32", DE) ?: add6(&c6, "2a02:6b8::/48", RU) ?:
	      add6(&c6, "2a02:6b8:1::/64", IR) ?: add6(&c6, "2a02:6b8:1:1::/112", US) ?:
	      add6(&c6, "2a02:6b8:1:1::1:0/127", CN) ?:
	      add4(&o4, "1.0.0.5/32", OVR_ALLOW_HOST) ?: add4(&o4, "1.0.0.0/28", OVR_DENY_NET) ?:
	      add4(&o4, "8.8.8.8/32", OVR_DENY_HOST) ?: add4(&o4, "10.9.0.0/16", OVR_ALLOW_PRIV) ?:
	      add6(&o6, "2001:da8:1::/48", OVR_ALLOW6);
	if (ret)
		return ret;
	ret = gf_rs_compose(&c4, &o4, &a4, err, sizeof(err)) ?:
	      gf_rs_compose(&c6, &o6, &a6, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "compose: %s\n", err);
		return ret;
	}
	ret = gf_table_build(&a4, &t4) ?: gf_table_build(&a6, &t6);
	if (ret)
		return ret;

	gf_policy_fill(pol, GF_ACT_PASS);
	pol[GF_CLASS_UNKNOWN].action = unknown_action;
	pol[GF_CLASS_SOURCE_ROUTED].action = source_route_action;
	pol[CN].action = GF_ACT_DROP;
	pol[IR].action = GF_ACT_DROP;
	pol[RU].action = GF_ACT_MONITOR;
	pol[DE] = (struct gf_policy){ .action = GF_ACT_REDIRECT, .redirect_slot = 3, .redirect_ifindex = 1 };
	pol[FR] = (struct gf_policy){ .action = GF_ACT_REDIRECT, .redirect_slot = 4 };	/* empty slot */
	pol[OVR_ALLOW_HOST].action = GF_ACT_PASS;
	pol[OVR_DENY_NET].action = GF_ACT_DROP;
	pol[OVR_DENY_HOST].action = GF_ACT_DROP;
	pol[OVR_ALLOW6].action = GF_ACT_PASS;
	pol[OVR_ALLOW_PRIV].action = GF_ACT_DROP;
	ret = gf_dp_install(dp, t4, t6, pol);

	gf_table_free(t4);
	gf_table_free(t6);
	gf_rs_free(&c4);
	gf_rs_free(&c6);
	gf_rs_free(&o4);
	gf_rs_free(&o6);
	gf_rs_free(&a4);
	gf_rs_free(&a6);
	return ret;
}

static int run(int hook, const void *pkt, size_t len, __u32 ingress_ifindex, __u32 *retval)
{
	struct __sk_buff skb = { .ingress_ifindex = ingress_ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = len, .repeat = 1);

	if (hook == GF_HOOK_TC) {
		o.ctx_in = &skb;
		o.ctx_size_in = sizeof(skb);
	}
	if (bpf_prog_test_run_opts(hook == GF_HOOK_XDP ? fd_xdp : fd_tc, &o))
		return -errno;
	*retval = o.retval;
	return 0;
}

/* Run one packet and compare every counter cell with the expectation. */
static void check(const char *name, int hook, const void *pkt, size_t len, __u32 ingress,
		  struct expect e)
{
	__u32 retval = ~0u;
	int ok = 1, err;

	gf_dp_class_stats(dp, hook, cls_before);
	gf_dp_reason_stats(dp, hook, rsn_before);
	err = run(hook, pkt, len, ingress, &retval);
	if (!CHECK(!err, "%s: test run failed: %s", name, strerror(-err)))
		return;
	gf_dp_class_stats(dp, hook, cls_after);
	gf_dp_reason_stats(dp, hook, rsn_after);

	ok &= CHECK(retval == e.retval, "%s [%s]: return %u, want %u", name,
		    hook ? "tc" : "xdp", retval, e.retval);
	for (int c = 0; c < GF_NUM_CLASSES; c++) {
		for (int v = 0; v < GF_VERDICT_MAX; v++) {
			__u64 dp_ = cls_after[c].v[v].packets - cls_before[c].v[v].packets;
			__u64 db = cls_after[c].v[v].bytes - cls_before[c].v[v].bytes;
			int want = c == e.cls && v == e.verdict;

			if (dp_ != (__u64)want || db != (want ? len : 0)) {
				ok = 0;
				CHECK(0, "%s [%s]: class %d %s moved by %llu pkts/%llu bytes, want %d/%zu",
				      name, gf_hook_name(hook), c, gf_verdict_name(v),
				      (unsigned long long)dp_, (unsigned long long)db, want,
				      want ? len : 0);
			}
		}
	}
	for (int r = 0; r < GF_REASON_MAX; r++) {
		__u64 dp_ = rsn_after[r].packets - rsn_before[r].packets;
		int want = !!(e.reasons & R(r));

		if (dp_ != (__u64)want) {
			ok = 0;
			CHECK(0, "%s [%s]: reason %s moved by %llu, want %d", name,
			      gf_hook_name(hook), gf_reason_name(r), (unsigned long long)dp_, want);
		}
	}
	(void)ok;
}

static __u32 xdp_ret(int verdict)
{
	return verdict == GF_VERDICT_DROP ? XDP_DROP :
	       verdict == GF_VERDICT_REDIRECT ? XDP_REDIRECT : XDP_PASS;
}

static __u32 tc_ret(int verdict)
{
	return verdict == GF_VERDICT_DROP ? TC_ACT_SHOT :
	       verdict == GF_VERDICT_REDIRECT ? TC_ACT_REDIRECT : TC_ACT_OK;
}

/* A classified packet: both hooks. */
static void check_class(const char *name, const struct gf_pkt_spec *s, int cls, int verdict,
			__u32 reasons)
{
	struct gf_pkt p;

	if (!CHECK(!gf_pkt_build(s, &p), "%s: build", name))
		return;
	check(name, GF_HOOK_XDP, p.data, p.len, 0,
	      (struct expect){ xdp_ret(verdict), cls, verdict, reasons });
	/* tc redirects by ifindex, not the devmap: FR has no ifindex either */
	check(name, GF_HOOK_TC, p.data, p.len, 0,
	      (struct expect){ tc_ret(verdict), cls, verdict, reasons });
}

/* A malformed packet: dropped, counted by reason and the events seen before it. */
static void check_dropped(const char *name, const struct gf_pkt_spec *s, int reason, __u32 events,
			  int tc_too)
{
	struct gf_pkt p;

	if (!CHECK(!gf_pkt_build(s, &p), "%s: build", name))
		return;
	check(name, GF_HOOK_XDP, p.data, p.len, 0,
	      (struct expect){ XDP_DROP, -1, 0, R(reason) | events });
	if (tc_too)
		check(name, GF_HOOK_TC, p.data, p.len, 0,
		      (struct expect){ TC_ACT_SHOT, -1, 0, R(reason) | events });
}

static void check_malformed(const char *name, const struct gf_pkt_spec *s, int reason, int tc_too)
{
	check_dropped(name, s, reason, 0, tc_too);
}

static void test_countries_and_actions(void)
{
	struct gf_pkt_spec s;

	gf_pkt_spec_init(&s, 4, "1.0.1.7");
	check_class("v4 CN drop", &s, CN, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 4, "8.8.8.9");
	check_class("v4 US pass", &s, US, GF_VERDICT_PASS, 0);
	gf_pkt_spec_init(&s, 4, "5.6.7.8");
	check_class("v4 RU monitor", &s, RU, GF_VERDICT_MONITOR, 0);
	gf_pkt_spec_init(&s, 4, "2.0.200.1");
	check_class("v4 DE redirect", &s, DE, GF_VERDICT_REDIRECT, 0);
	gf_pkt_spec_init(&s, 4, "2.1.0.1");
	check_class("v4 FR redirect, empty slot", &s, FR, GF_VERDICT_DROP, R(GF_REASON_REDIRECT_FAIL));
	gf_pkt_spec_init(&s, 4, "2.2.3.127");
	check_class("v4 IR /25 low half", &s, IR, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 4, "2.2.3.128");
	check_class("v4 US /25 high half", &s, US, GF_VERDICT_PASS, 0);
	gf_pkt_spec_init(&s, 4, "7.7.7.7");
	check_class("v4 unknown -> unknown policy (drop)", &s, GF_CLASS_UNKNOWN, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 4, "255.255.255.255");
	check_class("v4 broadcast reserved", &s, GF_CLASS_RESERVED, GF_VERDICT_PASS, 0);

	gf_pkt_spec_init(&s, 6, "2001:da8:2::1");
	check_class("v6 CN drop", &s, CN, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	check_class("v6 US pass", &s, US, GF_VERDICT_PASS, 0);
	gf_pkt_spec_init(&s, 6, "2a02:6b8::1");
	check_class("v6 RU monitor", &s, RU, GF_VERDICT_MONITOR, 0);
	gf_pkt_spec_init(&s, 6, "2a02:6b8:1:0:ffff::1");
	check_class("v6 IR /64 (slice 2)", &s, IR, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 6, "2a02:6b8:1:2::1");
	check_class("v6 gap after the IR /64", &s, GF_CLASS_UNKNOWN, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 6, "2a02:6b8:1:1::ffff");
	check_class("v6 US /112 (slice 4)", &s, US, GF_VERDICT_PASS, 0);
	gf_pkt_spec_init(&s, 6, "2a02:6b8:1:1::1:1");
	check_class("v6 CN /127 (slice 4)", &s, CN, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 6, "2a02:6b8:1:1::1:2");
	check_class("v6 gap after the /127", &s, GF_CLASS_UNKNOWN, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 6, "2a00:1450:4001::1");
	check_class("v6 DE redirect", &s, DE, GF_VERDICT_REDIRECT, 0);
	gf_pkt_spec_init(&s, 6, "2c0f::1");
	check_class("v6 unknown", &s, GF_CLASS_UNKNOWN, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 6, "64:ff9b::1.0.1.1");
	check_class("v6 NAT64 -> embedded IPv4 CN", &s, CN, GF_VERDICT_DROP, R(GF_REASON_IPV4_EMBEDDED));
	gf_pkt_spec_init(&s, 6, "64:ff9b::8.8.8.9");
	check_class("v6 NAT64 -> embedded IPv4 US", &s, US, GF_VERDICT_PASS, R(GF_REASON_IPV4_EMBEDDED));
	gf_pkt_spec_init(&s, 6, "2002:0100:0107::1");	/* 6to4 of 1.0.1.7 */
	check_class("v6 6to4 -> embedded IPv4 CN", &s, CN, GF_VERDICT_DROP, R(GF_REASON_IPV4_EMBEDDED));
	gf_pkt_spec_init(&s, 6, "2002:0a00:0001::1");	/* 6to4 of 10.0.0.1 */
	check_class("v6 6to4 of private space -> reserved", &s, GF_CLASS_RESERVED, GF_VERDICT_PASS,
		    R(GF_REASON_IPV4_EMBEDDED));
	gf_pkt_spec_init(&s, 6, "2001:1::1");		/* not Teredo: 2001:1::/32 */
	check_class("v6 next to Teredo -> IPv6 table", &s, GF_CLASS_UNKNOWN, GF_VERDICT_DROP, 0);
}

static void test_reserved(void)
{
	static const char *const v4[] = { "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1",
					   "127.0.0.1", "169.254.1.1", "224.0.0.251", "192.0.2.1",
					   "198.51.100.7", "203.0.113.9", "0.0.0.0" };
	static const char *const v6[] = { "fe80::1", "fd12:3456::1", "ff02::1", "2001:db8::1" };
	struct gf_pkt_spec s;
	char name[64];

	for (size_t i = 0; i < sizeof(v4) / sizeof(*v4); i++) {
		gf_pkt_spec_init(&s, 4, v4[i]);
		snprintf(name, sizeof(name), "reserved %s passes", v4[i]);
		check_class(name, &s, GF_CLASS_RESERVED, GF_VERDICT_PASS, 0);
	}
	for (size_t i = 0; i < sizeof(v6) / sizeof(*v6); i++) {
		gf_pkt_spec_init(&s, 6, v6[i]);
		snprintf(name, sizeof(name), "reserved %s passes", v6[i]);
		check_class(name, &s, GF_CLASS_RESERVED, GF_VERDICT_PASS, 0);
	}
	/* the IPv4-compatible rule gives ::1 and :: their IPv4 twins, reserved too */
	gf_pkt_spec_init(&s, 6, "::1");
	check_class("reserved ::1 (0.0.0.1) passes", &s, GF_CLASS_RESERVED, GF_VERDICT_PASS,
		    R(GF_REASON_IPV4_EMBEDDED));
	gf_pkt_spec_init(&s, 6, "::");
	check_class("reserved :: (0.0.0.0) passes", &s, GF_CLASS_RESERVED, GF_VERDICT_PASS,
		    R(GF_REASON_IPV4_EMBEDDED));
}

/*
 * IPv6 destinations that carry IPv4 ones (maps/geofence_rules.h): mapped
 * and compatible forms are the IPv4 address; Teredo is classified by its
 * client and its server, the stricter winning and a tie going to the
 * client.  A Teredo client is stored inverted.
 */
static void test_carried_ipv4(void)
{
	static const struct {
		const char *addr, *what;
		int *cls, verdict;
	} cases[] = {
		{ "::ffff:1.0.1.1", "IPv4-mapped CN", &CN, GF_VERDICT_DROP },
		{ "::ffff:8.8.8.9", "IPv4-mapped US", &US, GF_VERDICT_PASS },
		{ "::1.0.1.1", "IPv4-compatible CN", &CN, GF_VERDICT_DROP },
		{ "::5.6.7.8", "IPv4-compatible RU", &RU, GF_VERDICT_MONITOR },
		/* server 8.8.8.9 (US, pass), client 1.0.1.7 (CN, drop) */
		{ "2001:0:808:809::feff:fef8", "Teredo, CN client behind a US server", &CN, GF_VERDICT_DROP },
		/* server 1.0.1.7 (CN), client 8.8.8.9 (US) */
		{ "2001:0:100:107::f7f7:f7f6", "Teredo, US client behind a CN server", &CN, GF_VERDICT_DROP },
		/* server 8.8.8.9 (US, pass), client 5.6.7.8 (RU, monitor) */
		{ "2001:0:808:809::faf9:f8f7", "Teredo, monitor beats pass", &RU, GF_VERDICT_MONITOR },
		/* server 8.8.8.9 (US, pass), client 8.8.8.7 (US) */
		{ "2001:0:808:809::f7f7:f7f8", "Teredo, US on both ends", &US, GF_VERDICT_PASS },
	};
	struct gf_pkt_spec s;
	char name[96];

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		gf_pkt_spec_init(&s, 6, cases[i].addr);
		snprintf(name, sizeof(name), "%s (%s)", cases[i].what, cases[i].addr);
		check_class(name, &s, *cases[i].cls, cases[i].verdict, R(GF_REASON_IPV4_EMBEDDED));
	}
	/* server 8.8.8.9 (US, pass), client 10.0.0.1 (reserved, pass): a tie, the client's */
	gf_pkt_spec_init(&s, 6, "2001:0:808:809::f5ff:fffe");
	check_class("Teredo, a tie goes to the client", &s, GF_CLASS_RESERVED, GF_VERDICT_PASS,
		    R(GF_REASON_IPV4_EMBEDDED));
}

#define LSRR 131
#define SSRR 137
#define SR(x) (R(GF_REASON_SOURCE_ROUTE) | R(GF_REASON_IPV4_OPTIONS) | (x))

/*
 * IPv4 source routes: every hop still ahead is classified, the strictest
 * wins, a tie goes to the last hop (the final destination).
 */
static void test_source_route4(void)
{
	static const char *const cn[] = { "1.0.1.7" }, *const ru_us[] = { "5.6.7.8", "8.8.8.10" },
			  *const cn_us[] = { "1.0.1.7", "8.8.8.10" }, *const us[] = { "8.8.8.10" };
	struct gf_pkt_spec s;
	struct gf_pkt p;

	/* the LAN sends to the gateway itself, which forwards to the hops */
	gf_pkt_spec_init(&s, 4, "10.10.0.1");
	gf_pkt_add_srr(&s, LSRR, 0, cn, 1);
	check_class("LSRR via the gateway to CN", &s, CN, GF_VERDICT_DROP, SR(0));
	gf_pkt_add_srr(&s, SSRR, 0, cn, 1);
	check_class("SSRR via the gateway to CN", &s, CN, GF_VERDICT_DROP, SR(0));
	gf_pkt_spec_init(&s, 4, "8.8.8.9");
	gf_pkt_add_srr(&s, LSRR, 0, ru_us, 2);
	check_class("LSRR US -> RU -> US: RU's monitor is the strictest", &s, RU, GF_VERDICT_MONITOR,
		    SR(0));
	gf_pkt_add_srr(&s, LSRR, 0, us, 1);
	check_class("LSRR US -> US", &s, US, GF_VERDICT_PASS, SR(0));
	gf_pkt_spec_init(&s, 4, "10.10.0.1");
	gf_pkt_add_srr(&s, LSRR, 8, cn_us, 2);
	check_class("LSRR pointer past the CN hop: only US ahead", &s, US, GF_VERDICT_PASS, SR(0));
	gf_pkt_add_srr(&s, LSRR, 12, cn_us, 2);
	check_class("LSRR pointer past the end: the route is done", &s, GF_CLASS_RESERVED,
		    GF_VERDICT_PASS, R(GF_REASON_IPV4_OPTIONS));
	/* the kernel reads where the pointer says: 5 puts the hop at bytes 4..7 */
	gf_pkt_add_srr(&s, LSRR, 5, us, 1);
	s.opt[3] = 0x42, s.opt[4] = 1, s.opt[5] = 0, s.opt[6] = 1, s.opt[7] = 7;
	s.opt[1] = 11;
	s.opt_len = 12;
	check_class("LSRR with an unaligned pointer reads 1.0.1.7", &s, CN, GF_VERDICT_DROP, SR(0));
	/* options before it: NOP, router alert */
	gf_pkt_spec_init(&s, 4, "10.10.0.1");
	gf_pkt_add_srr(&s, LSRR, 0, cn, 1);
	memmove(s.opt + 5, s.opt, 7);
	s.opt[0] = 1, s.opt[1] = 148, s.opt[2] = 4, s.opt[3] = 0, s.opt[4] = 0;
	s.opt_len = 12;
	check_class("NOP, router alert, then LSRR to CN", &s, CN, GF_VERDICT_DROP, SR(0));
	/* what the kernel refuses is dropped */
	gf_pkt_add_srr(&s, LSRR, 3, cn, 1);
	check_dropped("LSRR pointer below 4", &s, GF_REASON_SOURCE_ROUTE_INVALID,
		      R(GF_REASON_IPV4_OPTIONS), 1);
	gf_pkt_add_srr(&s, LSRR, 6, cn, 1);
	check_dropped("LSRR pointer inside the last hop", &s, GF_REASON_SOURCE_ROUTE_INVALID,
		      R(GF_REASON_IPV4_OPTIONS), 1);
	gf_pkt_add_srr(&s, LSRR, 0, cn, 0);
	s.opt[1] = 2;
	check_dropped("LSRR of length 2", &s, GF_REASON_SOURCE_ROUTE_INVALID,
		      R(GF_REASON_IPV4_OPTIONS), 1);
	/* an option list the kernel drops itself ends the walk: classified by the destination */
	gf_pkt_add_srr(&s, LSRR, 0, cn, 1);
	memmove(s.opt + 2, s.opt, 7);
	s.opt[0] = 148, s.opt[1] = 1;	/* length 1 */
	s.opt_len = 12;
	if (CHECK(!gf_pkt_build(&s, &p), "build"))
		check("option of length 1 ends the walk", GF_HOOK_XDP, p.data, p.len, 0,
		      (struct expect){ XDP_PASS, GF_CLASS_RESERVED, GF_VERDICT_PASS,
				       R(GF_REASON_IPV4_OPTIONS) });
	/* a fragment carries the option too */
	gf_pkt_spec_init(&s, 4, "10.10.0.1");
	gf_pkt_add_srr(&s, LSRR, 0, cn, 1);
	s.frag_off = 100;
	check_class("LSRR in a non-first fragment", &s, CN, GF_VERDICT_DROP, SR(R(GF_REASON_FRAGMENT)));
}

#define SR6(x) (R(GF_REASON_SOURCE_ROUTE) | (x))

/* IPv6 routing headers: types 0, 2 and 4 are followed, others dropped. */
static void test_source_route6(void)
{
	static const char *const cn[] = { "2001:da8:2::1" },
			  *const us_ru_cn[] = { "2607:f8b0::1", "2a02:6b8::1", "2001:da8:2::1" },
			  *const us_cn[] = { "2607:f8b0::1", "2001:da8:2::1" },
			  *const cn_us[] = { "2001:da8:2::1", "2607:f8b0::1" },
			  *const sixtofour_cn[] = { "2002:100:107::1" },
			  *const v4cn[] = { "::ffff:1.0.1.7" };
	const char *many[GF_ROUTE_MAX + 1];
	struct gf_pkt_spec s;

	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 4, 1, cn, 1);
	check_class("SRH via the gateway to CN", &s, CN, GF_VERDICT_DROP, SR6(0));
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	gf_pkt_add_rh(&s, 4, 3, us_ru_cn, 3);
	check_class("SRH US -> CN -> RU -> US: CN is the strictest", &s, CN, GF_VERDICT_DROP, SR6(0));
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	gf_pkt_add_rh(&s, 4, 1, us_cn, 2);
	check_class("SRH: segment 1 is behind (segments left 1), segment 0 is US", &s, US,
		    GF_VERDICT_PASS, SR6(0));
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	gf_pkt_add_rh(&s, 4, 0, us_cn, 2);
	check_class("SRH, segments left 0: the route is done", &s, US, GF_VERDICT_PASS, 0);
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 4, 1, sixtofour_cn, 1);
	check_class("SRH to a 6to4 address of CN", &s, CN, GF_VERDICT_DROP,
		    SR6(R(GF_REASON_IPV4_EMBEDDED)));
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 4, 1, v4cn, 1);
	check_class("SRH to an IPv4-mapped CN address", &s, CN, GF_VERDICT_DROP,
		    SR6(R(GF_REASON_IPV4_EMBEDDED)));
	/* type 0: in visiting order, the last segments_left ahead */
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 0, 1, us_cn, 2);
	check_class("type 0, CN last", &s, CN, GF_VERDICT_DROP, SR6(0));
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 0, 1, cn_us, 2);
	check_class("type 0: CN behind, US ahead", &s, US, GF_VERDICT_PASS, SR6(0));
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 2, 1, cn, 1);
	check_class("type 2 (Mobile IPv6) to CN", &s, CN, GF_VERDICT_DROP, SR6(0));
	/* GF_ROUTE_MAX hops: the last one counts; one more is refused */
	for (int i = 0; i < GF_ROUTE_MAX + 1; i++)
		many[i] = "2607:f8b0::1";
	many[GF_ROUTE_MAX - 1] = "2001:da8:2::1";
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 4, GF_ROUTE_MAX, many, GF_ROUTE_MAX);
	check_class("SRH of 16 segments, CN the first hop", &s, CN, GF_VERDICT_DROP, SR6(0));
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 4, GF_ROUTE_MAX + 1, many, GF_ROUTE_MAX + 1);
	check_malformed("SRH of 17 segments left", &s, GF_REASON_SOURCE_ROUTE_INVALID, 1);
	/* refused: segments left beyond the list, unknown types, two headers */
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 4, 2, cn, 1);
	check_malformed("SRH segments left beyond its list", &s, GF_REASON_SOURCE_ROUTE_INVALID, 1);
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 2, 2, us_cn, 2);
	check_malformed("type 2 with two addresses", &s, GF_REASON_SOURCE_ROUTE_INVALID, 1);
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 3, 1, cn, 1);
	check_malformed("type 3 (RPL) with segments left", &s, GF_REASON_SOURCE_ROUTE_INVALID, 1);
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	gf_pkt_add_rh(&s, 3, 0, cn, 1);
	check_class("type 3 with no segments left: by the destination", &s, US, GF_VERDICT_PASS, 0);
	gf_pkt_spec_init(&s, 6, "fd00::1");
	gf_pkt_add_rh(&s, 4, 0, us_cn, 2);
	gf_pkt_add_rh(&s, 4, 1, cn, 1);
	check_malformed("two routing headers", &s, GF_REASON_SOURCE_ROUTE_INVALID, 1);
	/* behind a fragment header and destination options */
	gf_pkt_spec_init(&s, 6, "fd00::1");
	s.ext[0].type = IPPROTO_HOPOPTS;
	s.next = 1;
	gf_pkt_add_rh(&s, 4, 1, cn, 1);
	s.ext[2].type = IPPROTO_FRAGMENT;
	s.ext[2].frag_off = 100;
	s.next = 3;
	check_class("HBH, SRH to CN, non-first fragment", &s, CN, GF_VERDICT_DROP,
		    SR6(R(GF_REASON_FRAGMENT)));
}

/* policy.source_route = "drop": every packet with a route ahead is dropped as such */
static void test_source_route_policy(void)
{
	static const char *const us4[] = { "8.8.8.10" }, *const us6[] = { "2607:f8b0::1" };
	struct gf_pkt_spec s;

	if (!CHECK(!install_fixture(GF_ACT_DROP, GF_ACT_DROP), "install: source_route = drop"))
		return;
	gf_pkt_spec_init(&s, 4, "8.8.8.9");
	gf_pkt_add_srr(&s, LSRR, 0, us4, 1);
	check_class("LSRR US -> US dropped by policy", &s, GF_CLASS_SOURCE_ROUTED, GF_VERDICT_DROP,
		    SR(0));
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	gf_pkt_add_rh(&s, 4, 1, us6, 1);
	check_class("SRH US -> US dropped by policy", &s, GF_CLASS_SOURCE_ROUTED, GF_VERDICT_DROP,
		    SR6(0));
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	gf_pkt_add_rh(&s, 4, 0, us6, 1);
	check_class("a finished route is not a route", &s, US, GF_VERDICT_PASS, 0);
	gf_pkt_spec_init(&s, 4, "8.8.8.9");
	s.opt_len = 8;
	check_class("options without a route pass by their destination", &s, US, GF_VERDICT_PASS,
		    R(GF_REASON_IPV4_OPTIONS));
	CHECK(!install_fixture(GF_ACT_DROP, GF_ACT_PASS), "install: source_route = classify");
}

static void test_overrides(void)
{
	struct gf_pkt_spec s;

	gf_pkt_spec_init(&s, 4, "1.0.0.5");
	check_class("allow /32 inside deny /28 inside CN: most specific wins", &s, OVR_ALLOW_HOST,
		    GF_VERDICT_PASS, 0);
	gf_pkt_spec_init(&s, 4, "1.0.0.6");
	check_class("deny /28 inside CN", &s, OVR_DENY_NET, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 4, "1.0.0.16");
	check_class("CN after the /28", &s, CN, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 4, "8.8.8.8");
	check_class("deny host inside US", &s, OVR_DENY_HOST, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 4, "8.8.8.7");
	check_class("US next to the denied host", &s, US, GF_VERDICT_PASS, 0);
	gf_pkt_spec_init(&s, 4, "10.9.1.1");
	check_class("operator override beats reserved", &s, OVR_ALLOW_PRIV, GF_VERDICT_DROP, 0);
	gf_pkt_spec_init(&s, 6, "2001:da8:1:2::3");
	check_class("v6 allow /48 inside CN /32", &s, OVR_ALLOW6, GF_VERDICT_PASS, 0);
}

static void test_l2(void)
{
	struct gf_pkt_spec s;
	struct gf_pkt p;

	gf_pkt_spec_init(&s, 4, "1.0.1.1");
	s.nvlan = 1;
	check_class("802.1Q CN", &s, CN, GF_VERDICT_DROP, R(GF_REASON_VLAN));
	s.vlan_proto[0] = 0x88a8;
	check_class("802.1ad CN", &s, CN, GF_VERDICT_DROP, R(GF_REASON_VLAN));
	s.nvlan = 2;
	check_class("QinQ CN", &s, CN, GF_VERDICT_DROP, R(GF_REASON_QINQ));
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	s.nvlan = 2;
	s.vlan_proto[0] = 0x88a8;
	check_class("QinQ v6 US", &s, US, GF_VERDICT_PASS, R(GF_REASON_QINQ));
	s.nvlan = 3;
	check_malformed("three tags", &s, GF_REASON_VLAN_DEPTH, 1);

	gf_pkt_spec_init(&s, 0, NULL);
	s.ethertype = ETH_P_ARP;
	gf_pkt_build(&s, &p);
	check("ARP passes", GF_HOOK_XDP, p.data, p.len, 0,
	      (struct expect){ XDP_PASS, -1, 0, R(GF_REASON_ARP) });
	check("ARP passes", GF_HOOK_TC, p.data, p.len, 0,
	      (struct expect){ TC_ACT_OK, -1, 0, R(GF_REASON_ARP) });
	s.ethertype = 0x88cc;	/* LLDP */
	s.nvlan = 1;
	gf_pkt_build(&s, &p);
	check("LLDP in VLAN passes", GF_HOOK_XDP, p.data, p.len, 0,
	      (struct expect){ XDP_PASS, -1, 0, R(GF_REASON_NON_IP) | R(GF_REASON_VLAN) });
}

static void test_ipv4_options_fragments(void)
{
	struct gf_pkt_spec s;
	char name[64];

	for (int o = 4; o <= 40; o += 4) {
		gf_pkt_spec_init(&s, 4, "1.0.1.1");
		s.opt_len = o;
		snprintf(name, sizeof(name), "IPv4 %d bytes of options", o);
		check_class(name, &s, CN, GF_VERDICT_DROP, R(GF_REASON_IPV4_OPTIONS));
	}
	gf_pkt_spec_init(&s, 4, "1.0.1.1");
	s.more_frags = 1;
	check_class("first fragment", &s, CN, GF_VERDICT_DROP, R(GF_REASON_FRAGMENT));
	s.frag_off = 185;
	check_class("middle fragment", &s, CN, GF_VERDICT_DROP, R(GF_REASON_FRAGMENT));
	s.more_frags = 0;
	check_class("last fragment", &s, CN, GF_VERDICT_DROP, R(GF_REASON_FRAGMENT));
	gf_pkt_spec_init(&s, 4, "8.8.8.9");
	s.frag_off = 100;
	s.opt_len = 8;
	check_class("fragment with options to US", &s, US, GF_VERDICT_PASS,
		    R(GF_REASON_FRAGMENT) | R(GF_REASON_IPV4_OPTIONS));
}

static void test_ipv6_ext(void)
{
	static const __u8 kinds[] = { IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING,
				      IPPROTO_AH, IPPROTO_MH, IPPROTO_FRAGMENT };
	struct gf_pkt_spec s;
	char name[96];

	/* chains of 1..6 headers, every kind in every position */
	for (int n = 1; n <= GF_IPV6_MAX_EXT; n++) {
		for (int k = 0; k < 6; k++) {
			int frag = 0;

			gf_pkt_spec_init(&s, 6, "2001:da8:2::1");
			s.l4_proto = IPPROTO_TCP;
			s.next = n;
			for (int i = 0; i < n; i++) {
				s.ext[i].type = kinds[(k + i) % 6];
				s.ext[i].len_units = (i % 3);
				frag |= s.ext[i].type == IPPROTO_FRAGMENT;
			}
			snprintf(name, sizeof(name), "v6 %d ext headers from kind %d", n, kinds[k]);
			check_class(name, &s, CN, GF_VERDICT_DROP, frag ? R(GF_REASON_FRAGMENT) : 0);
		}
	}
	/* a routing header beyond the walk would go unseen: the chain is dropped */
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	s.next = GF_IPV6_MAX_EXT + 1;
	for (int i = 0; i < s.next; i++)
		s.ext[i].type = IPPROTO_DSTOPTS;
	check_malformed("v6 too many ext headers", &s, GF_REASON_IPV6_EXT_LIMIT, 1);
	s.next = 9;
	check_malformed("v6 nine ext headers", &s, GF_REASON_IPV6_EXT_LIMIT, 1);
	{
		static const char *const cn[] = { "2001:da8:2::1" };

		s.next = GF_IPV6_MAX_EXT;
		gf_pkt_add_rh(&s, 4, 1, cn, 1);
		check_malformed("v6 SRH to CN as the seventh header", &s, GF_REASON_IPV6_EXT_LIMIT, 1);
	}

	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	s.next = 2;
	s.ext[0].type = IPPROTO_HOPOPTS;
	s.ext[1].type = IPPROTO_FRAGMENT;
	s.ext[1].frag_off = 200;
	check_class("v6 non-first fragment", &s, US, GF_VERDICT_PASS, R(GF_REASON_FRAGMENT));
	s.l4_proto = 50;	/* ESP ends the walk */
	s.ext[1].frag_off = 0;
	check_class("v6 ESP after fragment header", &s, US, GF_VERDICT_PASS, R(GF_REASON_FRAGMENT));
	s.next = 0;
	s.l4_proto = IPPROTO_NONE;
	check_class("v6 no next header", &s, US, GF_VERDICT_PASS, 0);
}

static void test_malformed(void)
{
	struct gf_pkt_spec s;

	gf_pkt_spec_init(&s, 4, "8.8.8.9");
	s.ip_version = 6;
	check_malformed("IPv4 ethertype, version 6", &s, GF_REASON_IPV4_VERSION, 1);
	for (int ihl = 0; ihl < 5; ihl++) {
		gf_pkt_spec_init(&s, 4, "8.8.8.9");
		s.ihl = ihl;
		check_malformed("IPv4 ihl < 5", &s, GF_REASON_IPV4_IHL, 1);
	}
	gf_pkt_spec_init(&s, 4, "8.8.8.9");
	s.ihl = 15;	/* claims 40 bytes of options the packet lacks */
	s.payload_len = 0;
	check_malformed("IPv4 ihl beyond the frame", &s, GF_REASON_TRUNC_IPV4_OPTIONS, 1);
	gf_pkt_spec_init(&s, 4, "8.8.8.9");
	s.tot_len = 19;
	check_malformed("IPv4 tot_len < header", &s, GF_REASON_IPV4_TOTLEN, 0);
	s.tot_len = 1500;
	check_malformed("IPv4 tot_len > frame", &s, GF_REASON_IPV4_TOTLEN, 0);

	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	s.ip_version = 4;
	check_malformed("IPv6 ethertype, version 4", &s, GF_REASON_IPV6_VERSION, 1);
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	s.payload_len_field = 1000;
	check_malformed("IPv6 payload_len > frame", &s, GF_REASON_IPV6_PAYLOAD_LEN, 0);
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	s.next = 1;
	s.ext[0].type = IPPROTO_HOPOPTS;
	s.payload_len_field = 0;	/* jumbogram form: allowed */
	check_class("IPv6 payload_len 0 with hop-by-hop", &s, US, GF_VERDICT_PASS, 0);
}

/*
 * Every truncation length.  Frames cut short keep their length fields
 * (-> *_TOTLEN / *_PAYLOAD_LEN once the fixed header is complete), or
 * have them shrunk to the cut ("consistent") so that the walk runs into
 * the truncated option or extension header itself.
 */
static int expect_trunc(const struct gf_pkt *p, const struct gf_pkt_spec *s, size_t L,
			int consistent)
{
	size_t vlan_end = 14 + 4 * s->nvlan;

	if (L < 14)
		return GF_REASON_TRUNC_ETH;
	if (L < vlan_end)
		return GF_REASON_TRUNC_VLAN;
	if (L < p->l3_end)
		return s->family == 4 ? GF_REASON_TRUNC_IPV4 : GF_REASON_TRUNC_IPV6;
	if (s->family == 4) {
		if (L < p->opt_end)
			return GF_REASON_TRUNC_IPV4_OPTIONS;
		return consistent ? -1 : GF_REASON_IPV4_TOTLEN;
	}
	if (!consistent)
		return GF_REASON_IPV6_PAYLOAD_LEN;
	for (int i = 0; i < s->next; i++) {
		/* the walk reads 2 bytes (8 for fragment), then the whole header */
		if (L < p->ext_end[i])
			return GF_REASON_TRUNC_IPV6_EXT;
	}
	return -1;
}

static void truncations(const char *what, const struct gf_pkt_spec *s, int cls, int verdict,
			__u32 events)
{
	struct gf_pkt p, q;
	char name[96];
	size_t full;

	if (!CHECK(!gf_pkt_build(s, &p), "%s: build", what))
		return;
	full = p.opt_end > p.l4_off ? p.opt_end : p.l4_off;
	full += s->l4_proto == IPPROTO_TCP ? 20 : 8;
	for (int consistent = 0; consistent <= 1; consistent++) {
		/* the kernel's test run refuses frames shorter than ETH_HLEN */
		for (size_t L = 14; L < full; L++) {
			int r = expect_trunc(&p, s, L, consistent);
			__u32 ev = 0;

			q = p;
			q.len = L;
			if (consistent && L >= p.l3_end) {
				__u8 *ip = q.data + p.l3_off;
				size_t n = L - p.l3_off - (s->family == 6 ? 40 : 0);

				ip[s->family == 4 ? 2 : 4] = n >> 8;
				ip[s->family == 4 ? 3 : 5] = n;
			}
			/* what the parser saw before it stopped */
			if (L >= 14 + 4 * (size_t)s->nvlan)
				ev |= s->nvlan == 1 ? R(GF_REASON_VLAN) : s->nvlan == 2 ? R(GF_REASON_QINQ) : 0;
			/* a fragment header walked before the cut was counted */
			for (int i = 0; consistent && s->family == 6 && i < s->next; i++)
				if (s->ext[i].type == IPPROTO_FRAGMENT && L >= p.ext_end[i])
					ev |= R(GF_REASON_FRAGMENT);
			snprintf(name, sizeof(name), "%s cut at %zu%s", what, L,
				 consistent ? " (length fields follow)" : "");
			if (r >= 0) {
				check(name, GF_HOOK_XDP, q.data, L, 0,
				      (struct expect){ XDP_DROP, -1, 0, R(r) | ev });
			} else {
				ev |= events;
				check(name, GF_HOOK_XDP, q.data, L, 0,
				      (struct expect){ xdp_ret(verdict), cls, verdict, ev });
			}
		}
	}
}

static void test_truncations(void)
{
	struct gf_pkt_spec s;

	gf_pkt_spec_init(&s, 4, "1.0.1.1");
	truncations("v4", &s, CN, GF_VERDICT_DROP, 0);
	s.nvlan = 2;
	s.opt_len = 12;
	s.l4_proto = IPPROTO_TCP;
	truncations("QinQ v4 + options", &s, CN, GF_VERDICT_DROP, R(GF_REASON_IPV4_OPTIONS));
	gf_pkt_spec_init(&s, 6, "2607:f8b0::1");
	s.nvlan = 1;
	s.next = 4;
	s.ext[0].type = IPPROTO_HOPOPTS;
	s.ext[0].len_units = 1;
	s.ext[1].type = IPPROTO_ROUTING;
	s.ext[2].type = IPPROTO_FRAGMENT;
	s.ext[3].type = IPPROTO_AH;
	s.ext[3].len_units = 4;
	truncations("VLAN v6 + HBH,RH,FH,AH", &s, US, GF_VERDICT_PASS, R(GF_REASON_FRAGMENT));
	{
		static const char *const hops4[] = { "8.8.8.10", "1.0.1.7" };
		static const char *const segs[] = { "2607:f8b0::1", "2a02:6b8::1", "2001:da8:2::1" };

		gf_pkt_spec_init(&s, 4, "10.10.0.1");
		gf_pkt_add_srr(&s, LSRR, 0, hops4, 2);
		s.l4_proto = IPPROTO_TCP;
		truncations("v4 LSRR to CN", &s, CN, GF_VERDICT_DROP, SR(0));
		gf_pkt_spec_init(&s, 6, "fd00::1");
		s.nvlan = 2;
		s.ext[0].type = IPPROTO_DSTOPTS;
		s.next = 1;
		gf_pkt_add_rh(&s, 4, 3, segs, 3);
		s.l4_proto = IPPROTO_TCP;
		truncations("QinQ v6 + DO,SRH to CN", &s, CN, GF_VERDICT_DROP, SR6(0));
	}
}

static void test_tc_skips_xdp_classified(void)
{
	struct gf_pkt_spec s;
	struct gf_pkt p;
	__u32 key = 4242, one = 1;
	int fd = gf_dp_map_fd(dp, "gf_xdp_ifaces");

	gf_pkt_spec_init(&s, 4, "1.0.1.1");
	gf_pkt_build(&s, &p);
	bpf_map_update_elem(fd, &key, &one, 0);
	check("tc: forwarded from an XDP interface is not counted again", GF_HOOK_TC, p.data,
	      p.len, 4242, (struct expect){ TC_ACT_OK, -1, 0, 0 });
	check("tc: forwarded from another interface is classified", GF_HOOK_TC, p.data, p.len,
	      4243, (struct expect){ TC_ACT_SHOT, CN, GF_VERDICT_DROP, 0 });
	bpf_map_delete_elem(fd, &key);
}

/* A flip changes what the next packet sees, and only that. */
static void test_generations(void)
{
	struct gf_pkt_spec s;
	__u32 gen = gf_dp_active_gen(dp);

	if (!CHECK(!install_fixture(GF_ACT_PASS, GF_ACT_PASS), "reinstall with unknown=pass"))
		return;
	CHECK(gf_dp_active_gen(dp) == (gen ^ 1), "install flips the generation");
	gf_pkt_spec_init(&s, 4, "7.7.7.7");
	check_class("unknown after flip -> pass", &s, GF_CLASS_UNKNOWN, GF_VERDICT_PASS, 0);
	gf_pkt_spec_init(&s, 4, "1.0.1.7");
	check_class("CN still dropped after flip", &s, CN, GF_VERDICT_DROP, 0);
	if (!CHECK(!install_fixture(GF_ACT_DROP, GF_ACT_PASS), "reinstall with unknown=drop"))
		return;
	CHECK(gf_dp_active_gen(dp) == gen, "second install flips back");
	gf_pkt_spec_init(&s, 4, "7.7.7.7");
	check_class("unknown after second flip -> drop", &s, GF_CLASS_UNKNOWN, GF_VERDICT_DROP, 0);
}

int main(void)
{
	int err;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	CN = gf_class_from_cc("CN");
	US = gf_class_from_cc("US");
	RU = gf_class_from_cc("RU");
	DE = gf_class_from_cc("DE");
	FR = gf_class_from_cc("FR");
	IR = gf_class_from_cc("IR");

	err = gf_dp_open(&dp, &(struct gf_dp_opts){ .node4_cap = 1024, .node6_cap = 1024 });
	if (err) {
		fprintf(stderr, "cannot load the datapath: %s\n", strerror(-err));
		return GF_TEST_SETUP_ERROR;
	}
	fd_xdp = gf_dp_prog_fd(dp, "gf_xdp");
	fd_tc = gf_dp_prog_fd(dp, "gf_tc");
	/* slot 3 -> loopback: bpf_redirect_map succeeds (test runs do not transmit) */
	if (gf_dp_set_redirect(dp, 3, 1) || install_fixture(GF_ACT_DROP, GF_ACT_PASS)) {
		fprintf(stderr, "cannot install the fixture tables\n");
		gf_dp_close(dp);
		return GF_TEST_SETUP_ERROR;
	}

	test_countries_and_actions();
	test_reserved();
	test_carried_ipv4();
	test_source_route4();
	test_source_route6();
	test_source_route_policy();
	test_overrides();
	test_l2();
	test_ipv4_options_fragments();
	test_ipv6_ext();
	test_malformed();
	test_truncations();
	test_tc_skips_xdp_classified();
	test_generations();

	gf_dp_close(dp);
	return gf_test_summary();
}
