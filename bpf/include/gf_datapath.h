/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The classification and verdict logic, written once and compiled into
 * both hooks.  The hook is a compile-time constant at every call site, so
 * hook-specific branches fold away.
 */
#ifndef GF_DATAPATH_H
#define GF_DATAPATH_H

#include <linux/tcp.h>
#include <linux/udp.h>
#include "gf_maps.h"
#include "gf_parse.h"
#include "gf_lookup.h"

/* IPv6 prefixes that carry an IPv4 destination (see gf_classify). */
#define GF_NAT64_W0	0x0064ff9bu	/* 64:ff9b::/96, RFC 6052 */
#define GF_6TO4_H16	0x2002u		/* 2002::/16, RFC 3056 */
#define GF_TEREDO_W0	0x20010000u	/* 2001::/32, RFC 4380 */

static __always_inline void gf_count_reason(int hook, __u32 reason, __u32 len)
{
	__u32 k = hook * GF_REASON_MAX + reason;
	struct gf_counter *c = bpf_map_lookup_elem(&gf_reason_stats, &k);

	if (c) {
		c->packets++;
		c->bytes += len;
	}
}

static __always_inline void gf_count_events(int hook, __u32 events, __u32 len)
{
#pragma unroll
	for (__u32 r = 0; r < GF_REASON_FIRST_MALFORMED; r++)
		if (events & GF_EVENT(r))
			gf_count_reason(hook, r, len);
}

static __always_inline __u32 gf_active_gen(void)
{
	return *(volatile __u32 *)&gf_state.active_gen & 1;
}

/*
 * Destination -> class in generation gen.  An IPv6 destination that carries
 * an IPv4 one is classified by it, since that is where the packet ends up:
 * NAT64 (the translator sends it there), 6to4 and Teredo (tunnelled to it;
 * libmaxminddb's aliases answer the same way).
 */
static __always_inline __u32 gf_classify(__u32 gen, struct gf_pkt *pkt)
{
	__u32 v4;

	if (pkt->family == 4)
		return gf_lookup4(gen, pkt->dst[0]);
	if (pkt->dst[0] == GF_NAT64_W0 && !pkt->dst[1] && !pkt->dst[2])
		v4 = pkt->dst[3];
	else if (pkt->dst[0] >> 16 == GF_6TO4_H16)
		v4 = (pkt->dst[0] << 16) | (pkt->dst[1] >> 16);
	else if (pkt->dst[0] == GF_TEREDO_W0)
		v4 = pkt->dst[1];
	else
		return gf_lookup6(gen, pkt->dst[0], pkt->dst[1], pkt->dst[2], pkt->dst[3]);
	pkt->events |= GF_EVENT(GF_REASON_IPV4_EMBEDDED);
	return gf_lookup4(gen, v4);
}

/*
 * A payload sample: 1-in-pol->sample_rate passed packets go to the agent
 * through gf_samples with their 5-tuple and the first snaplen bytes of the
 * L4 payload.  Out of line (BPF-to-BPF call): it runs for one packet in
 * many and keeps the hot path short.  A full ring skips the sample, never
 * the packet.  Returns the events to count.
 */
static __always_inline int gf_sample(void *ctx, void *data, void *data_end, __u32 len,
				     const struct gf_pkt *pkt, const struct gf_policy *pol,
				     __u32 cls_verdict, const int hook)
{
	__u32 rate = pol->sample_rate, snaplen = pol->snaplen, off, n = 0;
	struct gf_sample *s;

	s = bpf_ringbuf_reserve(&gf_samples, sizeof(*s), 0);
	if (!s)
		return GF_EVENT(GF_REASON_SAMPLE_LOST);
	s->ts_ns = bpf_ktime_get_ns();
	s->ifindex = hook == GF_HOOK_XDP ? ((struct xdp_md *)ctx)->ingress_ifindex :
					   ((struct __sk_buff *)ctx)->ifindex;
	s->pkt_len = len;
	s->sample_rate = rate;
	s->cls = cls_verdict & 0xffff;
	s->verdict = cls_verdict >> 16;
	s->hook = hook;
	s->family = pkt->family;
	s->l4_proto = pkt->l4_proto;
	s->sport = s->dport = 0;
	s->tcp_flags = 0;
	s->pad[0] = s->pad[1] = s->pad[2] = 0;
	__builtin_memset(s->src, 0, sizeof(s->src));
	__builtin_memset(s->dst, 0, sizeof(s->dst));
	off = pkt->l3_off & 0x1ff;
	if (pkt->family == 4) {
		struct iphdr *ip = data + off;

		if ((void *)(ip + 1) <= data_end) {
			s->src[0] = ip->saddr;
			s->dst[0] = ip->daddr;
		}
	} else {
		struct ipv6hdr *ip6 = data + off;

		if ((void *)(ip6 + 1) <= data_end) {
			__builtin_memcpy(s->src, &ip6->saddr, 16);
			__builtin_memcpy(s->dst, &ip6->daddr, 16);
		}
	}
	/* the L4 header, then the payload */
	off = pkt->l4_off & 0x3ff;
	if (off && pkt->l4_proto == IPPROTO_TCP) {
		struct tcphdr *th = data + off;

		if ((void *)(th + 1) <= data_end) {
			s->sport = bpf_ntohs(th->source);
			s->dport = bpf_ntohs(th->dest);
			s->tcp_flags = ((__u8 *)th)[13];
			off += th->doff * 4;
		} else {
			off = 0;
		}
	} else if (off && pkt->l4_proto == IPPROTO_UDP) {
		struct udphdr *uh = data + off;

		if ((void *)(uh + 1) <= data_end) {
			s->sport = bpf_ntohs(uh->source);
			s->dport = bpf_ntohs(uh->dest);
			off += sizeof(*uh);
		} else {
			off = 0;
		}
	}
	if (off && off < len) {
		n = len - off;
		if (n > snaplen)
			n = snaplen;
	}
	if (n >= 1 && n <= GF_SAMPLE_MAX) {
		long err = hook == GF_HOOK_XDP ? bpf_xdp_load_bytes(ctx, off, s->payload, n) :
						 bpf_skb_load_bytes(ctx, off, s->payload, n);
		if (err)
			n = 0;
	} else {
		n = 0;
	}
	s->payload_len = n;
	/*
	 * No wakeup per sample: waking the agent costs the packet microseconds.
	 * The agent polls on a timer, and is woken once the ring is a quarter full.
	 */
	bpf_ringbuf_submit(s, bpf_ringbuf_query(&gf_samples, BPF_RB_AVAIL_DATA) > GF_SAMPLE_RING / 4 ?
				       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	return GF_EVENT(GF_REASON_SAMPLED);
}

/*
 * Is this packet one of 1 in rate?  A per-CPU xorshift64: a map lookup the
 * verifier inlines and three shifts, where bpf_get_prandom_u32() is a
 * helper call.  Seeded from it on first use.
 */
static __always_inline int gf_sample_pick(__u32 rate)
{
	__u32 zero = 0;
	__u64 *st = bpf_map_lookup_elem(&gf_rng, &zero), x;

	if (!st)
		return 0;
	x = *st;
	if (!x)
		x = (__u64)bpf_get_prandom_u32() << 32 | bpf_get_prandom_u32() | 1;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*st = x;
	return !(((x >> 32) * rate) >> 32);
}

/* one copy per hook, each with its own helpers */
static __noinline int gf_sample_xdp(struct xdp_md *ctx, const struct gf_pkt *pkt,
				    const struct gf_policy *pol, __u32 cls_verdict)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;

	return gf_sample(ctx, data, data_end, data_end - data, pkt, pol, cls_verdict, GF_HOOK_XDP);
}

static __noinline int gf_sample_tc(struct __sk_buff *ctx, const struct gf_pkt *pkt,
				   const struct gf_policy *pol, __u32 cls_verdict)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;

	return gf_sample(ctx, data, data_end, ctx->len, pkt, pol, cls_verdict, GF_HOOK_TC);
}

/*
 * Parse from L3 (at off, ethertype proto), classify, apply the policy and
 * count.  Returns an enum gf_verdict; for GF_VERDICT_REDIRECT the redirect
 * has been set up already (bpf_redirect_map / bpf_redirect).
 */
static __always_inline int gf_process_l3(void *ctx, void *data, void *data_end, __u32 off,
					 __u16 proto, __u32 len, const int hook,
					 struct gf_pkt *pkt)
{
	const int check_len = hook == GF_HOOK_XDP;
	struct gf_class_counters *cc;
	struct gf_policy *pol;
	__u32 gen, cls, k;
	int verdict, r;

	if (proto == ETH_P_IP) {
		r = gf_parse_ipv4(data, data_end, off, pkt, check_len);
	} else if (proto == ETH_P_IPV6) {
		r = gf_parse_ipv6(data, data_end, off, pkt, check_len);
	} else {
		/* not IP: nothing to classify, the stack decides */
		r = proto == ETH_P_ARP ? GF_REASON_ARP : GF_REASON_NON_IP;
		verdict = GF_VERDICT_PASS;
		goto out_reason;
	}
	if (r) {
		/* malformed: counted by reason, never as a class, and dropped */
		verdict = GF_VERDICT_DROP;
		goto out_reason;
	}

	gen = gf_active_gen();
	cls = gf_classify(gen, pkt);
	if (cls >= GF_NUM_CLASSES)
		cls = GF_CLASS_UNKNOWN;

	k = gen * GF_NUM_CLASSES + cls;
	pol = bpf_map_lookup_elem(&gf_policy, &k);
	if (!pol) {
		verdict = GF_VERDICT_DROP;	/* unreachable: fail closed */
	} else {
		switch (pol->action) {
		case GF_ACT_PASS:
			verdict = GF_VERDICT_PASS;
			break;
		case GF_ACT_MONITOR:
			verdict = GF_VERDICT_MONITOR;
			break;
		case GF_ACT_REDIRECT:
			verdict = GF_VERDICT_REDIRECT;
			if (hook == GF_HOOK_XDP) {
				if (bpf_redirect_map(&gf_redirect, pol->redirect_slot,
						     XDP_DROP) != XDP_REDIRECT)
					verdict = GF_VERDICT_DROP;
			} else {
				if (pol->redirect_ifindex)
					bpf_redirect(pol->redirect_ifindex, 0);
				else
					verdict = GF_VERDICT_DROP;
			}
			if (verdict == GF_VERDICT_DROP)
				pkt->events |= GF_EVENT(GF_REASON_REDIRECT_FAIL);
			break;
		default:
			verdict = GF_VERDICT_DROP;
			break;
		}
	}

	k = hook * GF_NUM_CLASSES + cls;
	cc = bpf_map_lookup_elem(&gf_class_stats, &k);
	if (cc) {
		cc->v[verdict].packets++;
		cc->v[verdict].bytes += len;
	}
	/* 1 in sample_rate: the test inline, the sample out of line */
	if (pol && pol->sample_rate && (verdict == GF_VERDICT_PASS || verdict == GF_VERDICT_MONITOR) &&
	    gf_sample_pick(pol->sample_rate))
		pkt->events |= hook == GF_HOOK_XDP ? gf_sample_xdp(ctx, pkt, pol, cls | verdict << 16) :
						     gf_sample_tc(ctx, pkt, pol, cls | verdict << 16);
	goto out;

out_reason:
	gf_count_reason(hook, r, len);
out:
	/* informational events seen on the way (VLAN, fragment, ...) */
	if (pkt->events)
		gf_count_events(hook, pkt->events, len);
	return verdict;
}

/* Same, from the Ethernet header. */
static __always_inline int gf_process_eth(void *ctx, void *data, void *data_end, __u32 len,
					  const int hook, struct gf_pkt *pkt)
{
	__u32 off = 0;
	__u16 proto = 0;
	int r;

	r = gf_parse_l2(data, data_end, &off, &proto, pkt);
	if (r) {
		gf_count_reason(hook, r, len);
		return GF_VERDICT_DROP;
	}
	return gf_process_l3(ctx, data, data_end, off, proto, len, hook, pkt);
}

#endif /* GF_DATAPATH_H */
