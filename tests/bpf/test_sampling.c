// SPDX-License-Identifier: GPL-2.0
/*
 * Payload sampling in the datapath, through BPF_PROG_TEST_RUN: which
 * verdicts are sampled, what a sample carries (5-tuple, flags, the first
 * snaplen bytes of the L4 payload), the 1-in-N rate, and a full ring,
 * which skips samples and counts them, never the packets.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>
#include "gf_datapath.h"
#include "gf_log.h"
#include "gf_names.h"
#include "gf_pkt.h"
#include "gf_ranges.h"
#include "gf_table.h"
#include "gf_test.h"

static struct gf_dp *dp;
static struct ring_buffer *rb;
static int fd_xdp, fd_tc, US, DE, CN, FR;

#define MAXS 64
static struct gf_sample got[MAXS];
static int ngot;
static long total;

static int on_sample(void *ctx, void *data, size_t len)
{
	(void)ctx;
	total++;
	if (len == sizeof(struct gf_sample) && ngot < MAXS)
		memcpy(&got[ngot++], data, len);
	return 0;
}

static void drain(void)
{
	ngot = 0;
	total = 0;
	ring_buffer__consume(rb);
}

static int install(__u32 us_rate, __u16 snaplen)
{
	static struct gf_policy pol[GF_NUM_CLASSES];
	struct gf_rs c4, c6;
	struct gf_table *t4 = NULL, *t6 = NULL;
	gf_u128 a, b;
	int ret;

	gf_rs_init(&c4, 4);
	gf_rs_init(&c6, 6);
	/* in address order */
	gf_addr_parse("1.0.0.0", &a);
	gf_addr_parse("1.0.0.255", &b);
	ret = gf_rs_push(&c4, a, b, CN, 0);
	gf_addr_parse("2.0.0.0", &a);
	gf_addr_parse("2.0.255.255", &b);
	ret = ret ?: gf_rs_push(&c4, a, b, DE, 0);
	gf_addr_parse("2.1.0.0", &a);
	gf_addr_parse("2.1.255.255", &b);
	ret = ret ?: gf_rs_push(&c4, a, b, FR, 0);
	gf_addr_parse("8.8.8.0", &a);
	gf_addr_parse("8.8.8.255", &b);
	ret = ret ?: gf_rs_push(&c4, a, b, US, 0);
	gf_addr_parse("2600::", &a);
	gf_addr_parse("260f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &b);
	ret = ret ?: gf_rs_push(&c6, a, b, US, 0);
	ret = ret ?: gf_table_build(&c4, &t4) ?: gf_table_build(&c6, &t6);
	if (ret)
		return ret;
	gf_policy_fill(pol, GF_ACT_PASS);
	for (int c = 0; c < GF_NUM_CLASSES; c++)
		pol[c].snaplen = snaplen;
	pol[US].sample_rate = us_rate;
	pol[DE].action = GF_ACT_MONITOR;
	pol[DE].sample_rate = 1;
	pol[CN].action = GF_ACT_DROP;
	pol[CN].sample_rate = 1;	/* dropped: never sampled */
	pol[FR].sample_rate = 0;	/* passed, sampling off */
	ret = gf_dp_install(dp, t4, t6, pol);
	gf_table_free(t4);
	gf_table_free(t6);
	gf_rs_free(&c4);
	gf_rs_free(&c6);
	return ret;
}

static int run(int fd, const void *pkt, size_t len, int repeat, __u32 *retval)
{
	return gf_pkt_run(fd, fd == fd_tc, pkt, len, repeat, retval);
}

static const char payload[] = "POST /v1/people HTTP/1.1\r\n\r\n{\"ssn\":\"536-22-1234\",\"card\":\"4111111111111111\"}";

static void build(struct gf_pkt *p, int family, const char *dst, int tcp)
{
	struct gf_pkt_spec s;
	size_t hl = tcp ? 20 : 8;

	gf_pkt_spec_init(&s, family, dst);
	s.l4_proto = tcp ? IPPROTO_TCP : IPPROTO_UDP;
	s.payload_len = sizeof(payload) - 1;
	if (family == 4)
		inet_pton(AF_INET, "10.1.2.3", s.src);
	else
		inet_pton(AF_INET6, "fd00::7", s.src);
	gf_pkt_build(&s, p);
	memcpy(p->data + p->l4_off + hl, payload, sizeof(payload) - 1);
}

static void test_sample_fields(void)
{
	struct gf_pkt p;
	__u32 ret;
	struct in_addr a4;
	struct in6_addr a6;

	build(&p, 4, "8.8.8.8", 1);
	drain();
	CHECK(!run(fd_xdp, p.data, p.len, 1, &ret) && ret == XDP_PASS, "XDP: TCP to US passes");
	ring_buffer__consume(rb);
	if (!CHECK(ngot == 1, "one sample (%d)", ngot))
		return;
	inet_pton(AF_INET, "8.8.8.8", &a4);
	CHECK(got[0].cls == US && got[0].hook == GF_HOOK_XDP && got[0].family == 4 &&
	      got[0].l4_proto == IPPROTO_TCP && got[0].verdict == GF_VERDICT_PASS, "class, hook, family, verdict");
	CHECK(got[0].sport == 40000 && got[0].dport == 443 && got[0].tcp_flags == 0x02,
	      "ports and TCP flags (%u %u %#x)", got[0].sport, got[0].dport, got[0].tcp_flags);
	CHECK(got[0].dst[0] == a4.s_addr && got[0].src[0] == htonl(0x0a010203), "addresses");
	CHECK(got[0].pkt_len == p.len && got[0].ifindex == 1 && got[0].sample_rate == 1 && got[0].ts_ns,
	      "length, interface, rate, time");
	CHECK(got[0].payload_len == sizeof(payload) - 1 &&
	      !memcmp(got[0].payload, payload, sizeof(payload) - 1), "the L4 payload, whole (%u bytes)",
	      got[0].payload_len);

	build(&p, 6, "2600::1", 0);
	drain();
	CHECK(!run(fd_xdp, p.data, p.len, 1, &ret) && ret == XDP_PASS, "XDP: UDP/IPv6 to US passes");
	ring_buffer__consume(rb);
	inet_pton(AF_INET6, "2600::1", &a6);
	CHECK(ngot == 1 && got[0].family == 6 && got[0].l4_proto == IPPROTO_UDP && got[0].sport == 40000 &&
	      got[0].dport == 53 && !memcmp(got[0].dst, &a6, 16) &&
	      got[0].payload_len == sizeof(payload) - 1 && !memcmp(got[0].payload, payload, 16),
	      "IPv6 UDP sample: addresses, ports, payload");

	build(&p, 4, "8.8.8.8", 1);
	drain();
	CHECK(!run(fd_tc, p.data, p.len, 1, &ret) && ret == TC_ACT_OK, "tc: TCP to US passes");
	ring_buffer__consume(rb);
	CHECK(ngot == 1 && got[0].hook == GF_HOOK_TC && got[0].payload_len == sizeof(payload) - 1 &&
	      !memcmp(got[0].payload, payload, sizeof(payload) - 1), "tc sample, with bpf_skb_load_bytes");
}

static void test_which(void)
{
	struct gf_pkt p;
	__u32 ret;

	build(&p, 4, "2.0.0.9", 1);	/* DE: monitor */
	drain();
	run(fd_xdp, p.data, p.len, 1, &ret);
	ring_buffer__consume(rb);
	CHECK(ngot == 1 && got[0].verdict == GF_VERDICT_MONITOR && got[0].cls == DE,
	      "monitored traffic is sampled");
	build(&p, 4, "1.0.0.9", 1);	/* CN: drop */
	drain();
	run(fd_xdp, p.data, p.len, 1, &ret);
	ring_buffer__consume(rb);
	CHECK(ret == XDP_DROP && ngot == 0, "dropped traffic is not");
	{
		/* neither TCP nor UDP (ICMP): no ports, the sample starts at the L4 header */
		struct gf_pkt_spec s;

		gf_pkt_spec_init(&s, 4, "8.8.8.8");
		s.l4_proto = IPPROTO_ICMP;
		s.payload_len = 40;
		gf_pkt_build(&s, &p);
		drain();
		run(fd_xdp, p.data, p.len, 1, &ret);
		ring_buffer__consume(rb);
		CHECK(ngot == 1 && got[0].sport == 0 && got[0].dport == 0 && got[0].payload_len == 8 + 40 &&
		      !memcmp(got[0].payload, p.data + p.l4_off, 8 + 40),
		      "ICMP: no ports, the sample from the L4 header on (%u bytes)", ngot ? got[0].payload_len : 0);
	}
	build(&p, 4, "2.1.0.9", 1);	/* FR: pass, rate 0 */
	drain();
	run(fd_xdp, p.data, p.len, 1, &ret);
	ring_buffer__consume(rb);
	CHECK(ret == XDP_PASS && ngot == 0, "rate 0: no sample");
}

static void test_snaplen(void)
{
	struct gf_pkt p;
	__u32 ret;

	if (!CHECK(!install(1, 16), "snaplen 16"))
		return;
	build(&p, 4, "8.8.8.8", 1);
	drain();
	run(fd_xdp, p.data, p.len, 1, &ret);
	ring_buffer__consume(rb);
	CHECK(ngot == 1 && got[0].payload_len == 16 && !memcmp(got[0].payload, payload, 16),
	      "the first snaplen bytes (%u)", ngot ? got[0].payload_len : 0);
}

static void test_rate(void)
{
	struct gf_pkt p;
	__u32 ret;
	long n = 0;
	const int runs = 20000, rate = 4;

	if (!CHECK(!install(rate, 64), "rate 1 in %d", rate))
		return;
	build(&p, 4, "8.8.8.8", 1);
	drain();
	for (int i = 0; i < runs / 1000; i++) {
		run(fd_xdp, p.data, p.len, 1000, &ret);
		total = 0;
		ring_buffer__consume(rb);
		n += total;
	}
	/* binomial: mean 5000, sd 61 */
	CHECK(n > 5000 - 300 && n < 5000 + 300, "1 in %d of %d packets sampled: %ld", rate, runs, n);
}

static void test_full_ring(void)
{
	struct gf_class_counters before[GF_NUM_CLASSES], after[GF_NUM_CLASSES];
	struct gf_counter rb_before[GF_REASON_MAX], rb_after[GF_REASON_MAX];
	struct gf_pkt p;
	__u32 ret;
	const int runs = 8000;	/* the ring holds ~5300 */

	if (!CHECK(!install(1, 64), "rate 1"))
		return;
	build(&p, 4, "8.8.8.8", 1);
	drain();
	gf_dp_class_stats(dp, GF_HOOK_XDP, before);
	gf_dp_reason_stats(dp, GF_HOOK_XDP, rb_before);
	CHECK(!run(fd_xdp, p.data, p.len, runs, &ret) && ret == XDP_PASS, "%d packets, not consumed", runs);
	gf_dp_class_stats(dp, GF_HOOK_XDP, after);
	gf_dp_reason_stats(dp, GF_HOOK_XDP, rb_after);
	{
		__u64 passed = after[US].v[GF_VERDICT_PASS].packets - before[US].v[GF_VERDICT_PASS].packets;
		__u64 sampled = rb_after[GF_REASON_SAMPLED].packets - rb_before[GF_REASON_SAMPLED].packets;
		__u64 lost = rb_after[GF_REASON_SAMPLE_LOST].packets - rb_before[GF_REASON_SAMPLE_LOST].packets;

		CHECK(passed == (__u64)runs, "every packet passed (%llu)", (unsigned long long)passed);
		CHECK(lost > 0 && sampled + lost == (__u64)runs,
		      "a full ring skips samples and counts them: %llu sampled, %llu lost",
		      (unsigned long long)sampled, (unsigned long long)lost);
		total = 0;
		ring_buffer__consume(rb);
		CHECK((__u64)total == sampled, "the ring held the %llu samples taken (%ld)",
		      (unsigned long long)sampled, total);
	}
}

/*
 * The budget: N samples per CPU per window (about 1 ms), bursts of up to
 * 100 windows' worth; past it the sample is skipped as sample_capped, the
 * packet still passes.  A run of 2,000 packets takes a fraction of a
 * millisecond: the burst, and hardly a refill.
 */
static void test_budget(void)
{
	struct gf_counter r0[GF_REASON_MAX], r1[GF_REASON_MAX];
	struct gf_pkt p;
	__u32 ret;
	__u64 sampled, capped;

	if (!CHECK(!install(1, 64), "rate 1"))
		return;
	gf_dp_set_sample_budget(dp, 5000);	/* 5 per window of 2^20 ns */
	CHECK(gf_dp_sample_budget(dp) == 5, "5,000 a second is 5 a window (%u)", gf_dp_sample_budget(dp));
	build(&p, 4, "8.8.8.8", 1);
	drain();
	gf_dp_reason_stats(dp, GF_HOOK_XDP, r0);
	CHECK(!run(fd_xdp, p.data, p.len, 2000, &ret) && ret == XDP_PASS, "2,000 packets pass");
	gf_dp_reason_stats(dp, GF_HOOK_XDP, r1);
	sampled = r1[GF_REASON_SAMPLED].packets - r0[GF_REASON_SAMPLED].packets;
	capped = r1[GF_REASON_SAMPLE_CAPPED].packets - r0[GF_REASON_SAMPLE_CAPPED].packets;
	/* the burst (500), and the refill of the few windows the run spans */
	CHECK(sampled >= 500 && sampled <= 600 && sampled + capped == 2000,
	      "the budget holds: %llu sampled (a burst of 500), %llu skipped as sample_capped",
	      (unsigned long long)sampled, (unsigned long long)capped);
	drain();
	gf_dp_set_sample_budget(dp, 0);
	gf_dp_reason_stats(dp, GF_HOOK_XDP, r0);
	run(fd_xdp, p.data, p.len, 2000, &ret);
	gf_dp_reason_stats(dp, GF_HOOK_XDP, r1);
	CHECK(r1[GF_REASON_SAMPLED].packets - r0[GF_REASON_SAMPLED].packets == 2000,
	      "no budget: all 2,000 sampled");
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
	err = gf_dp_open(&dp, &(struct gf_dp_opts){ .node4_cap = 256, .node6_cap = 256 });
	if (err) {
		fprintf(stderr, "cannot load the datapath: %s\n", strerror(-err));
		return GF_TEST_SETUP_ERROR;
	}
	fd_xdp = gf_dp_prog_fd(dp, "gf_xdp");
	fd_tc = gf_dp_prog_fd(dp, "gf_tc");
	rb = ring_buffer__new(gf_dp_samples_fd(dp), on_sample, NULL, NULL);
	if (!rb || install(1, GF_SAMPLE_MAX))
		return GF_TEST_SETUP_ERROR;

	test_sample_fields();
	test_which();
	test_snaplen();
	test_rate();
	test_full_ring();
	test_budget();

	ring_buffer__free(rb);
	gf_dp_close(dp);
	return gf_test_summary();
}
