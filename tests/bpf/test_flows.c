// SPDX-License-Identifier: GPL-2.0
/*
 * Who sends what where, in the datapath, through BPF_PROG_TEST_RUN: which
 * classes gf_flows records (every action but pass; passed traffic only
 * where the policy row asks), what an entry holds (addresses, ports,
 * protocol, class, verdict, hook, interface, VLAN; packets and bytes
 * equal to what was sent), the new-flow events of what is not passed and
 * their loss when the ring is full, and a flood of one million distinct
 * sources: the table stays at its size and memory, the class counters
 * stay exact.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>
#include "gf_datapath.h"
#include "gf_log.h"
#include "gf_pkt.h"
#include "gf_ranges.h"
#include "gf_table.h"
#include "gf_test.h"

#define FLOWS_CAP 4096

static struct gf_dp *dp;
static struct ring_buffer *rb;
static int fd_xdp, fd_tc, fd_flows, US, DE, CN, FR;

static struct gf_flow_event ev[64];
static long nev;

static int on_event(void *ctx, void *data, size_t len)
{
	(void)ctx;
	if (len == sizeof(struct gf_flow_event) && nev < 64)
		memcpy(&ev[nev], data, len);
	nev++;
	return 0;
}

static void drain(void)
{
	ring_buffer__consume(rb);
	nev = 0;
}

/* The countries' ranges (in address order), and who gets which action. */
static const struct {
	const char *from, *to, *cc;
} ranges[] = {
	{ "1.0.0.0", "1.0.0.255", "CN" },	{ "2.0.0.0", "2.0.255.255", "DE" },
	{ "2.1.0.0", "2.1.255.255", "FR" },	{ "8.8.8.0", "8.8.8.255", "US" },
	{ "2400::", "2400:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "CN" },
	{ "2600::", "260f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "US" },
};

static int install(void)
{
	static struct gf_policy pol[GF_NUM_CLASSES];
	struct gf_table *t[2] = { NULL, NULL };
	struct gf_rs rs[2];
	int ret = 0;

	gf_rs_init(&rs[0], 4);
	gf_rs_init(&rs[1], 6);
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]) && !ret; i++) {
		gf_u128 a, b;
		int f = !!strchr(ranges[i].from, ':');

		gf_addr_parse(ranges[i].from, &a);
		gf_addr_parse(ranges[i].to, &b);
		ret = gf_rs_push(&rs[f], a, b, gf_class_from_cc(ranges[i].cc), 0);
	}
	ret = ret ?: gf_table_build(&rs[0], &t[0]) ?: gf_table_build(&rs[1], &t[1]);
	/* as gf_policy_build makes it: the flag on every action but pass, and on a listed country */
	gf_policy_fill(pol, GF_ACT_PASS);
	pol[CN].action = GF_ACT_DROP;
	pol[DE].action = GF_ACT_MONITOR;
	pol[CN].flags = pol[DE].flags = GF_POL_FLOWS;
	pol[FR].flags = GF_POL_FLOWS;	/* passed, listed in flows.countries */
	ret = ret ?: gf_dp_install(dp, t[0], t[1], pol);
	for (int f = 0; f < 2; f++) {
		gf_table_free(t[f]);
		gf_rs_free(&rs[f]);
	}
	return ret;
}

static int run(int fd, const void *pkt, size_t len, int repeat, __u32 *retval)
{
	return gf_pkt_run(fd, fd == fd_tc, pkt, len, repeat, retval);
}

static void build(struct gf_pkt *p, int family, const char *src, const char *dst, int tcp, int vlan)
{
	struct gf_pkt_spec s;

	gf_pkt_spec_init(&s, family, dst);
	s.l4_proto = tcp ? IPPROTO_TCP : IPPROTO_UDP;
	s.payload_len = 100;
	if (vlan) {
		s.nvlan = 1;
		s.vlan_id[0] = vlan;
	}
	inet_pton(family == 4 ? AF_INET : AF_INET6, src, s.src);
	gf_pkt_build(&s, p);
}

static int nflows(void)
{
	struct gf_flow_key k, next;
	int n = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd_flows, prev, &next)) {
		k = next;
		prev = &k;
		n++;
	}
	return n;
}

static void clear_flows(void)
{
	struct gf_flow_key k;

	while (!bpf_map_get_next_key(fd_flows, NULL, &k))
		bpf_map_delete_elem(fd_flows, &k);
	drain();
}

/* The one entry for this packet's flow, by its key as the datapath makes it. */
static int lookup(const struct gf_pkt *p, int family, __u16 cls, int verdict, int hook, int vlan,
		  struct gf_flow_val *v)
{
	struct gf_flow_key k;

	memset(&k, 0, sizeof(k));
	if (family == 4) {
		memcpy(&k.src[0], p->data + p->l3_off + 12, 4);
		memcpy(&k.dst[0], p->data + p->l3_off + 16, 4);
	} else {
		memcpy(k.src, p->data + p->l3_off + 8, 16);
		memcpy(k.dst, p->data + p->l3_off + 24, 16);
	}
	k.sport = (p->data[p->l4_off] << 8) | p->data[p->l4_off + 1];
	k.dport = (p->data[p->l4_off + 2] << 8) | p->data[p->l4_off + 3];
	k.l4_proto = p->data[p->l3_off + (family == 4 ? 9 : 6)];
	k.cls = cls;
	k.verdict = verdict;
	k.hook = hook;
	k.ifindex = 1;
	k.vlan = vlan;
	k.family = family;
	return bpf_map_lookup_elem(fd_flows, &k, v) ? -errno : 0;
}

static void test_which(void)
{
	static const struct {
		const char *dst, *what;
		int recorded, verdict, event;
	} cases[] = {
		{ "1.0.0.9", "dropped (CN)", 1, GF_VERDICT_DROP, 1 },
		{ "2.0.0.9", "monitored (DE)", 1, GF_VERDICT_MONITOR, 1 },
		{ "2.1.0.9", "passed to a listed country (FR)", 1, GF_VERDICT_PASS, 0 },
		{ "8.8.8.8", "passed to a country not listed (US)", 0, GF_VERDICT_PASS, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gf_flow_val v;
		struct gf_pkt p;
		__u32 ret;
		gf_u128 a;
		int found;

		clear_flows();
		build(&p, 4, "10.1.2.3", cases[i].dst, 1, 0);
		gf_addr_parse(cases[i].dst, &a);
		CHECK(!run(fd_xdp, p.data, p.len, 7, &ret), "%s: 7 packets", cases[i].what);
		found = !lookup(&p, 4, gf_dp_classify(dp, 4, a), cases[i].verdict, GF_HOOK_XDP, 0, &v);
		CHECK(found == cases[i].recorded && nflows() == cases[i].recorded, "%s: %s (%d entries)",
		      cases[i].what, cases[i].recorded ? "recorded" : "not recorded", nflows());
		if (found)
			CHECK(v.packets == 7 && v.bytes == 7 * (p.len - 14) && v.first_ns && v.last_ns >= v.first_ns,
			      "%s: 7 packets, %zu IP bytes, first and last seen (%llu, %llu)", cases[i].what,
			      7 * (p.len - 14), (unsigned long long)v.packets, (unsigned long long)v.bytes);
		ring_buffer__consume(rb);
		CHECK(nev == cases[i].event, "%s: %s new-flow event (%ld)", cases[i].what,
		      cases[i].event ? "one" : "no", nev);
		if (nev == 1)
			CHECK(ev[0].key.verdict == cases[i].verdict && ev[0].key.sport == 40000 &&
			      ev[0].key.dport == 443 && ev[0].pkt_len == p.len - 14 && ev[0].ts_ns == v.first_ns,
			      "%s: the event is the flow's first packet", cases[i].what);
	}
}

static void test_fields(void)
{
	struct gf_flow_val v;
	struct gf_pkt p;
	__u32 ret;

	clear_flows();
	build(&p, 6, "fd00::7", "2400::1", 0, 0);
	CHECK(!run(fd_xdp, p.data, p.len, 3, &ret) && ret == XDP_DROP, "IPv6 UDP to CN: dropped");
	CHECK(!lookup(&p, 6, CN, GF_VERDICT_DROP, GF_HOOK_XDP, 0, &v) && v.packets == 3 && v.bytes == 3 * (p.len - 14),
	      "IPv6: addresses, UDP ports, 3 packets, %zu IP bytes", 3 * (p.len - 14));
	build(&p, 4, "10.1.2.4", "1.0.0.9", 1, 42);
	CHECK(!run(fd_xdp, p.data, p.len, 2, &ret) && ret == XDP_DROP, "tagged (VLAN 42) TCP to CN: dropped");
	CHECK(!lookup(&p, 4, CN, GF_VERDICT_DROP, GF_HOOK_XDP, 42, &v) && v.packets == 2 &&
	      v.bytes == 2 * (p.len - 18), "the VLAN id is part of the flow; IP bytes without the tag (%llu)",
	      (unsigned long long)v.bytes);
	build(&p, 4, "10.1.2.5", "2.0.0.9", 1, 0);
	CHECK(!run(fd_tc, p.data, p.len, 4, &ret) && ret == TC_ACT_OK, "tc: the gateway's own TCP to DE passes");
	CHECK(!lookup(&p, 4, DE, GF_VERDICT_MONITOR, GF_HOOK_TC, 0, &v) && v.packets == 4 &&
	      v.bytes == 4 * (p.len - 14), "tc: recorded under its hook, IP bytes");
	CHECK(nflows() == 3, "three flows, three entries (%d)", nflows());
	drain();
}

/* The ring holds about 3,600 events: more new flows than that, not drained, lose events and count them. */
static void test_event_loss(void)
{
	struct gf_counter r0[GF_REASON_MAX], r1[GF_REASON_MAX];
	const int n = 6000;
	struct gf_pkt p;
	__u64 fresh, lost;
	__u32 ret;

	clear_flows();
	build(&p, 4, "10.0.0.0", "1.0.0.9", 1, 0);
	gf_dp_reason_stats(dp, GF_HOOK_XDP, r0);
	for (int i = 0; i < n; i++) {
		p.data[p.l4_off] = (i >> 8) & 0xff;	/* a new source port, a new flow */
		p.data[p.l4_off + 1] = i & 0xff;
		run(fd_xdp, p.data, p.len, 1, &ret);
	}
	gf_dp_reason_stats(dp, GF_HOOK_XDP, r1);
	fresh = r1[GF_REASON_FLOW_NEW].packets - r0[GF_REASON_FLOW_NEW].packets;
	lost = r1[GF_REASON_FLOW_EVENT_LOST].packets - r0[GF_REASON_FLOW_EVENT_LOST].packets;
	nev = 0;
	ring_buffer__consume(rb);
	CHECK(fresh == (__u64)n, "%d new flows counted (%llu)", n, (unsigned long long)fresh);
	CHECK(lost > 0 && nev + lost == (__u64)n,
	      "a full ring loses events and counts them: %ld delivered, %llu lost", nev,
	      (unsigned long long)lost);
	drain();
}

/*
 * The flow budget: past N new flows per CPU and second, new flows are
 * skipped and counted; the packets still get their verdict and the flows
 * already in the table go on counting.
 */
static void test_budget(void)
{
	struct gf_counter r0[GF_REASON_MAX], r1[GF_REASON_MAX];
	const int n = 5000;
	struct gf_flow_val v0, v1;
	struct gf_pkt p, known;
	__u64 fresh, skipped;
	__u32 ret;
	int drops = 0;

	clear_flows();
	build(&known, 4, "10.9.9.9", "1.0.0.9", 1, 0);
	run(fd_xdp, known.data, known.len, 1, &ret);
	CHECK(!lookup(&known, 4, CN, GF_VERDICT_DROP, GF_HOOK_XDP, 0, &v0), "a flow in the table before the budget");
	gf_dp_set_flow_budget(dp, 5000);	/* 5 per window of 2^20 ns, a burst of 500 */
	build(&p, 4, "10.0.0.0", "1.0.0.9", 1, 0);
	gf_dp_reason_stats(dp, GF_HOOK_XDP, r0);
	for (int i = 0; i < n; i++) {
		p.data[p.l4_off] = (i >> 8) & 0xff;
		p.data[p.l4_off + 1] = i & 0xff;
		run(fd_xdp, p.data, p.len, 1, &ret);
		drops += ret == XDP_DROP;
	}
	run(fd_xdp, known.data, known.len, 10, &ret);
	gf_dp_reason_stats(dp, GF_HOOK_XDP, r1);
	gf_dp_set_flow_budget(dp, 0);
	fresh = r1[GF_REASON_FLOW_NEW].packets - r0[GF_REASON_FLOW_NEW].packets;
	skipped = r1[GF_REASON_FLOW_SKIPPED].packets - r0[GF_REASON_FLOW_SKIPPED].packets;
	CHECK(drops == n, "every packet dropped all the same (%d)", drops);
	CHECK(fresh >= 500 && skipped > 0 && fresh + skipped == (__u64)n,
	      "the budget holds: %llu new flows recorded (a burst of 500), %llu skipped and counted",
	      (unsigned long long)fresh, (unsigned long long)skipped);
	CHECK(!lookup(&known, 4, CN, GF_VERDICT_DROP, GF_HOOK_XDP, 0, &v1) && v1.packets == v0.packets + 10,
	      "a flow already in the table goes on counting (%llu -> %llu)", (unsigned long long)v0.packets,
	      (unsigned long long)v1.packets);
	drain();
}

/*
 * A million distinct sources to CN (a LAN host spoofing, or a scan):
 * the table evicts and stays at its size and memory; the class counter
 * has every packet.
 */
static void test_flood(void)
{
	struct gf_class_counters c0[GF_NUM_CLASSES], c1[GF_NUM_CLASSES];
	size_t mem0, mem1;
	const __u32 n = 1000000;
	struct timespec t0, t1;
	struct gf_pkt p;
	__u64 dropped;
	__u32 ret;
	int errs = 0;

	clear_flows();
	mem0 = gf_dp_flows_bytes(dp);
	build(&p, 4, "10.0.0.0", "1.0.0.9", 0, 0);
	gf_dp_class_stats(dp, GF_HOOK_XDP, c0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (__u32 i = 0; i < n; i++) {
		__u32 src = htonl(0x0a000000 | (i + 1));	/* 10.0.0.1 ... */

		memcpy(p.data + p.l3_off + 12, &src, 4);
		errs += !!run(fd_xdp, p.data, p.len, 1, &ret);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	gf_dp_class_stats(dp, GF_HOOK_XDP, c1);
	mem1 = gf_dp_flows_bytes(dp);
	dropped = c1[CN].v[GF_VERDICT_DROP].packets - c0[CN].v[GF_VERDICT_DROP].packets;
	CHECK(!errs, "1,000,000 packets from distinct sources run (%.1f s)",
	      (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	CHECK(dropped == n, "the CN drop counter is exact: %llu", (unsigned long long)dropped);
	CHECK(c1[CN].v[GF_VERDICT_DROP].bytes - c0[CN].v[GF_VERDICT_DROP].bytes == (__u64)n * p.len,
	      "and its bytes");
	CHECK(nflows() <= FLOWS_CAP && nflows() > FLOWS_CAP / 2, "the table holds at most its %d entries (%d)",
	      FLOWS_CAP, nflows());
	CHECK(mem0 && mem1 == mem0, "its kernel memory is what it was: %zu bytes (%zu before), %.0f bytes a flow",
	      mem1, mem0, (double)mem1 / FLOWS_CAP);
	drain();
}

int main(void)
{
	int err;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	US = gf_class_from_cc("US");
	DE = gf_class_from_cc("DE");
	CN = gf_class_from_cc("CN");
	FR = gf_class_from_cc("FR");
	err = gf_dp_open(&dp, &(struct gf_dp_opts){ .node4_cap = 256, .node6_cap = 256, .flows_cap = FLOWS_CAP });
	if (err) {
		fprintf(stderr, "cannot load the datapath: %s\n", strerror(-err));
		return GF_TEST_SETUP_ERROR;
	}
	fd_xdp = gf_dp_prog_fd(dp, "gf_xdp");
	fd_tc = gf_dp_prog_fd(dp, "gf_tc");
	fd_flows = gf_dp_flows_fd(dp);
	rb = ring_buffer__new(gf_dp_flow_events_fd(dp), on_event, NULL, NULL);
	if (!rb || install())
		return GF_TEST_SETUP_ERROR;
	CHECK(gf_dp_flows_capacity(dp) == FLOWS_CAP, "the table is sized as asked (%u)", gf_dp_flows_capacity(dp));

	test_which();
	test_fields();
	test_event_loss();
	test_budget();
	test_flood();

	ring_buffer__free(rb);
	gf_dp_close(dp);
	return gf_test_summary();
}
