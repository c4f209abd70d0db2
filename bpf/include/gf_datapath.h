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
#include "geofence_rules.h"

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
 * A policy row: the generation and the scope (GF_POLICY_ROW).  The tables
 * are the generation's; the actions are the row's.
 */
#define GF_ROW_MASK (GF_GENERATIONS * GF_MAX_SCOPES - 1)

static __always_inline __u32 gf_row_gen(__u32 row)
{
	return (row >> GF_SCOPE_BITS) & 1;
}

/* How strict the action for cls is in policy row row (gf_action_rank). */
static __always_inline __u32 gf_rank(__u32 row, __u32 cls)
{
	__u32 k = (row & GF_ROW_MASK) * GF_NUM_CLASSES + (cls & (GF_NUM_CLASSES - 1));
	struct gf_policy *p = bpf_map_lookup_elem(&gf_policy, &k);

	return p ? gf_action_rank(p->action) : GF_RANK_DROP;
}

/* The stricter of two classes; a tie keeps a. */
static __always_inline __u32 gf_stricter(__u32 row, __u32 a, __u32 b)
{
	return gf_rank(row, b) > gf_rank(row, a) ? b : a;
}

/*
 * One more address to classify (a source route's hop, a Teredo server):
 * global functions, so that the verifier checks each once, not again at
 * every call inside the loops below.  Both hooks' objects carry a copy;
 * __weak lets the linker keep one.
 */
#define GF_GLOBAL __attribute__((weak, noinline))
#define GF_HOP_CARRIED 0x10000u	/* gf_hop6: the address carried an IPv4 one */

GF_GLOBAL __u32 gf_hop4(__u32 row, __u32 addr)
{
	return gf_lookup4(gf_row_gen(row), addr);
}

/*
 * An IPv6 destination -> class.  One that carries an IPv4 destination is
 * classified by it (geofence_rules.h): that is where the packet ends up.
 * Teredo names two, the client it is delivered to and the server relaying
 * it; the stricter wins, a tie goes to the client.
 */
static __always_inline __u32 gf_classify6(__u32 row, __u32 w0, __u32 w1, __u32 w2, __u32 w3,
					  __u32 *events)
{
	__u32 v4[2], kind = gf_carried_ipv4(w0, w1, w2, w3, v4), cls, gen = gf_row_gen(row);

	if (kind == GF_CARRY_NONE)
		return gf_lookup6(gen, w0, w1, w2, w3);
	*events |= GF_EVENT(GF_REASON_IPV4_EMBEDDED);
	cls = gf_lookup4(gen, v4[0]);
	if (kind == GF_CARRY_TEREDO)
		cls = gf_stricter(row, cls, gf_hop4(row, v4[1]));
	return cls;
}

GF_GLOBAL __u32 gf_hop6(__u32 row, __u32 w0, __u32 w1, __u32 w2, __u32 w3)
{
	__u32 events = 0, cls = gf_classify6(row & GF_ROW_MASK, w0, w1, w2, w3, &events);

	return cls | (events ? GF_HOP_CARRIED : 0);
}

/* The destination address -> class, in policy row row's generation. */
static __always_inline __u32 gf_classify(__u32 row, struct gf_pkt *pkt)
{
	if (pkt->family == 4)
		return gf_lookup4(gf_row_gen(row), pkt->dst[0]);
	return gf_classify6(row, pkt->dst[0], pkt->dst[1], pkt->dst[2], pkt->dst[3], &pkt->events);
}

/*
 * Source routes.  A loose or strict source route option (IPv4) or a
 * routing header (IPv6) names hops the packet visits after its destination
 * address; a gateway that honours them (accept_source_route, seg6_enabled)
 * rewrites the destination and forwards the packet to the next one, and
 * tc egress leaves it alone since XDP saw it.  So every hop still ahead is
 * classified, and the strictest class wins; a tie goes to the final
 * destination, under which the packet is counted.
 *
 * Rare, so out of line, and global functions (one per hook's context):
 * the verifier checks the loops once instead of along every path that
 * reaches them.  The result packs the class with the events to count;
 * negative: a route that cannot be followed to its end, dropped.
 */
#define GF_ROUTE_SEEN		0x10000	/* an active route: count GF_REASON_SOURCE_ROUTE */
#define GF_ROUTE_CARRIED	0x20000	/* a hop carried IPv4: count GF_REASON_IPV4_EMBEDDED */
#define GF_ROUTE_CLASS(r)	((r) & GF_ENT_CLASS_MASK)

/* policy.source_route = "drop": every active route is class SOURCE_ROUTED */
static __always_inline int gf_route_refused(__u32 row)
{
	__u32 k = (row & GF_ROW_MASK) * GF_NUM_CLASSES + GF_CLASS_SOURCE_ROUTED;
	struct gf_policy *p = bpf_map_lookup_elem(&gf_policy, &k);

	return !p || p->action != GF_ACT_PASS;
}

#define GF_IPOPT_END	0
#define GF_IPOPT_NOOP	1
#define GF_IPOPT_LSRR	131
#define GF_IPOPT_SSRR	137

/*
 * IPv4 (options at off, the header 20 bytes before): the options are
 * walked as the kernel's ip_options_compile() walks them.  A malformed
 * option list ends the walk: the kernel drops such a packet itself.  Of
 * LSRR/SSRR (pointer p, 1-based; length len), the hops ahead are the
 * addresses at p, p + 4, ... while p + 3 <= len, read where the pointer
 * says, aligned or not, as ip_options_rcv_srr() does.
 */
static __always_inline int gf_route4(void *data, void *data_end, __u32 row, __u32 off, __u32 cls)
{
	__u32 l3 = off - 20, o = 20, hlen, len = 0, ptr, best, s, i;
	struct iphdr *ip;
	__u8 *opt;

	if (off < 20 || l3 > 64)
		return cls;
	/* the check above, as older verifiers see it (they lose it through clang's range check) */
	l3 = GF_BOUND(l3, 0x7f);
	ip = data + l3;
	if ((void *)(ip + 1) > data_end)
		return cls;
	hlen = ip->ihl * 4;
	/*
	 * No iteration counter: o grows by at least one byte per option and
	 * is bounded, so the verifier's states at the loop head stay few.
	 */
	for (;;) {
		if (o >= hlen || o > 59)
			return cls;
		opt = data + l3 + o;
		if ((void *)(opt + 1) > data_end)
			return cls;
		if (opt[0] == GF_IPOPT_END)
			return cls;
		if (opt[0] == GF_IPOPT_NOOP) {
			o++;
			continue;
		}
		if (o + 2 > hlen || (void *)(opt + 2) > data_end)
			return cls;
		len = opt[1];
		if (len < 2 || o + len > hlen)
			return cls;
		if (opt[0] == GF_IPOPT_LSRR || opt[0] == GF_IPOPT_SSRR)
			break;
		o += len;
	}
	/* from here on, what the kernel refuses is dropped here too */
	if (len < 3 || (void *)(opt + 3) > data_end)
		return -GF_REASON_SOURCE_ROUTE_INVALID;
	ptr = opt[2];
	if (ptr < 4)
		return -GF_REASON_SOURCE_ROUTE_INVALID;
	if (ptr > len)
		return cls;	/* the route is done: the destination is the last hop */
	if (ptr + 3 > len)
		return -GF_REASON_SOURCE_ROUTE_INVALID;
	if (gf_route_refused(row))
		return GF_CLASS_SOURCE_ROUTED | GF_ROUTE_SEEN;
	/* the destination first, then the hops in order: the last wins a tie */
	best = cls;
	for (s = ptr - 1, i = 0; i < 10; i++, s += 4) {
		__u8 *a;
		__u32 c;

		/* s: the hop's offset in the option (the pointer is 1-based) */
		if (s + 4 > len || s > 40)
			break;
		a = opt + s;
		if ((void *)(a + 4) > data_end)
			break;
		c = gf_hop4(row, (__u32)a[0] << 24 | (__u32)a[1] << 16 | (__u32)a[2] << 8 | a[3]);
		if (gf_rank(row, c) >= gf_rank(row, best))
			best = c;
	}
	return best | GF_ROUTE_SEEN;
}

/*
 * IPv6: the routing header the parser found at off.  Segments left 0: the
 * route is done.  Type 0 (RFC 2460, deprecated; routers may still honour
 * it) and type 2 (Mobile IPv6: one address, the node's own home address)
 * list the hops in visiting order, the last segments_left of them still
 * ahead; type 4 (SRv6, RFC 8754) in reverse, segments 0 .. segments_left-1
 * ahead, segment 0 the final destination.  Any other type with segments
 * left is discarded by every receiver (RFC 8200 4.4), so geofence drops it
 * too, as it drops a route of more than GF_ROUTE_MAX hops.
 */
static __always_inline int gf_route6(void *data, void *data_end, __u32 row, __u32 off, __u32 cls)
{
	struct ipv6_rt_hdr *rh;
	__u32 n, left, first, final, best, i, seen = GF_ROUTE_SEEN;

	if (off > 4096)
		return -GF_REASON_SOURCE_ROUTE_INVALID;
	rh = data + off;
	if ((void *)(rh + 1) > data_end)
		return -GF_REASON_SOURCE_ROUTE_INVALID;
	left = rh->segments_left;
	if (!left)
		return cls;
	n = rh->hdrlen / 2;
	switch (rh->type) {
	case 0:
		first = n - left;
		final = n - 1;
		break;
	case 2:
		if (rh->hdrlen != 2 || left != 1)
			return -GF_REASON_SOURCE_ROUTE_INVALID;
		first = final = 0;
		break;
	case 4:
		first = final = 0;
		break;
	default:
		return -GF_REASON_SOURCE_ROUTE_INVALID;
	}
	if (left > n || left > GF_ROUTE_MAX)
		return -GF_REASON_SOURCE_ROUTE_INVALID;
	if (gf_route_refused(row))
		return GF_CLASS_SOURCE_ROUTED | seen;
	/* the final destination first; the rest only replace it if stricter */
	best = GF_NUM_CLASSES;
	for (i = 0; i <= GF_ROUTE_MAX; i++) {
		__u32 idx = i ? first + i - 1 : final, c, *w;

		if (i && i > left)
			break;
		if (i && idx == final)
			continue;
		w = data + off + 8 + (idx & 0xff) * 16;
		if ((void *)(w + 4) > data_end)
			return -GF_REASON_SOURCE_ROUTE_INVALID;
		c = gf_hop6(row, bpf_ntohl(w[0]), bpf_ntohl(w[1]), bpf_ntohl(w[2]), bpf_ntohl(w[3]));
		if (c & GF_HOP_CARRIED)
			seen |= GF_ROUTE_CARRIED;
		c &= GF_ENT_CLASS_MASK;
		if (best == GF_NUM_CLASSES || gf_rank(row, c) > gf_rank(row, best))
			best = c;
	}
	return gf_stricter(row, best, cls) | seen;
}

static __always_inline int gf_route(void *data, void *data_end, __u32 row, __u32 family_off,
				    __u32 cls)
{
	__u32 off = family_off & 0xffff;

	return family_off >> 16 == 4 ? gf_route4(data, data_end, row, off, cls) :
				       gf_route6(data, data_end, row, off, cls);
}

GF_GLOBAL int gf_route_xdp(struct xdp_md *ctx, __u32 row, __u32 family_off, __u32 cls)
{
	return gf_route((void *)(long)ctx->data, (void *)(long)ctx->data_end, row & GF_ROW_MASK,
			family_off, cls & GF_ENT_CLASS_MASK);
}

GF_GLOBAL int gf_route_tc(struct __sk_buff *ctx, __u32 row, __u32 family_off, __u32 cls)
{
	return gf_route((void *)(long)ctx->data, (void *)(long)ctx->data_end, row & GF_ROW_MASK,
			family_off, cls & GF_ENT_CLASS_MASK);
}

/*
 * The packet's addresses and ports, from the headers the parser found:
 * src and dst (16 bytes each, IPv4 in [0], zero-filled), the ports in host
 * order and the TCP flags (0 without TCP/UDP or in a later fragment).
 * Returns the offset of the L4 payload (past the TCP or UDP header; the
 * L4 header itself for other protocols), 0 when there is none to read.
 */
static __always_inline __u32 gf_tuple(void *data, void *data_end, const struct gf_pkt *pkt, __u32 *src,
				      __u32 *dst, __u16 *sport, __u16 *dport, __u8 *tcp_flags)
{
	__u32 off = pkt->l3_off & 0x1ff;

	*sport = *dport = 0;
	*tcp_flags = 0;
	__builtin_memset(src, 0, 16);
	__builtin_memset(dst, 0, 16);
	if (pkt->family == 4) {
		struct iphdr *ip = data + off;

		if ((void *)(ip + 1) <= data_end) {
			src[0] = ip->saddr;
			dst[0] = ip->daddr;
		}
	} else {
		struct ipv6hdr *ip6 = data + off;

		if ((void *)(ip6 + 1) <= data_end) {
			__builtin_memcpy(src, &ip6->saddr, 16);
			__builtin_memcpy(dst, &ip6->daddr, 16);
		}
	}
	off = pkt->l4_off & 0x3ff;
	if (off && pkt->l4_proto == IPPROTO_TCP) {
		struct tcphdr *th = data + off;

		if ((void *)(th + 1) > data_end)
			return 0;
		*sport = bpf_ntohs(th->source);
		*dport = bpf_ntohs(th->dest);
		*tcp_flags = ((__u8 *)th)[13];
		return off + th->doff * 4;
	}
	if (off && pkt->l4_proto == IPPROTO_UDP) {
		struct udphdr *uh = data + off;

		if ((void *)(uh + 1) > data_end)
			return 0;
		*sport = bpf_ntohs(uh->source);
		*dport = bpf_ntohs(uh->dest);
		return off + sizeof(*uh);
	}
	return off;
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
	s->pad[0] = s->pad[1] = s->pad[2] = 0;
	off = gf_tuple(data, data_end, pkt, s->src, s->dst, &s->sport, &s->dport, &s->tcp_flags);
	if (off && off < len) {
		n = len - off;
		if (n > snaplen)
			n = snaplen;
	}
	/*
	 * n - 1 checked, and n - 1 + 1 passed: older verifiers (6.1) neither
	 * carry clang's folded range check on n - 1 back to n nor raise n's
	 * minimum from n != 0 ("invalid access to memory ... size=0").
	 */
	{
		__u32 m = n - 1;

		barrier_var(m);
		if (m < GF_SAMPLE_MAX) {
			long err = hook == GF_HOOK_XDP ? bpf_xdp_load_bytes(ctx, off, s->payload, m + 1) :
							 bpf_skb_load_bytes(ctx, off, s->payload, m + 1);

			n = err ? 0 : m + 1;
		} else {
			n = 0;
		}
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

/*
 * A budget, per CPU: a token bucket that gains `budget` tokens per window
 * of 2^GF_SAMPLE_WINDOW_SHIFT ns and holds at most GF_SAMPLE_BURST_WINDOWS
 * windows' worth, so bursts pass and floods do not.  Inline, before the
 * call it guards: past the budget a packet costs a map lookup, and a clock
 * read per 16.  The samples' (gf_state.sample_budget, gf_sbudget) and the
 * new flows' (gf_state.flow_budget, gf_fbudget).
 */
static __always_inline int gf_budget_ok(__u32 budget, void *map)
{
	struct gf_budget *b;
	__u32 zero = 0;
	__u64 win;

	if (!budget)
		return 1;
	b = bpf_map_lookup_elem(map, &zero);
	if (!b)
		return 1;
	if (b->skip) {
		b->skip--;
		return 0;
	}
	win = bpf_ktime_get_ns() >> GF_SAMPLE_WINDOW_SHIFT;
	if (b->window != win) {
		__u64 t = b->tokens + (win - b->window) * budget, cap = (__u64)budget * GF_SAMPLE_BURST_WINDOWS;

		b->tokens = t > cap ? cap : t;
		b->window = win;
	}
	if (!b->tokens) {
		b->skip = 15;
		return 0;
	}
	b->tokens--;
	return 1;
}

static __always_inline int gf_sample_budget_ok(void)
{
	return gf_budget_ok(*(volatile __u32 *)&gf_state.sample_budget, &gf_sbudget);
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
 * Who sends what where: the packet's flow in gf_flows (maps/geofence.h),
 * for the classes whose policy row asks (GF_POL_FLOWS).  Out of line, like
 * the sample: the pass path of a class without the flag pays one bit test.
 * A new entry past the CPU's flow budget is skipped and counted: a full
 * table evicts on every insert (about 0.5 us, make bench), which a scan of
 * distinct destinations would otherwise make the cost of every packet.
 * A new flow that is not passed also goes to gf_flow_events, for the SIEM.
 * Bytes are IP bytes (the frame less its Ethernet header and tags), as
 * flow records count them (IPFIX octetDeltaCount, RFC 7012).
 * Returns the events to count.
 */
static __always_inline int gf_flow(void *data, void *data_end, __u32 len, const struct gf_pkt *pkt,
				   __u32 cls_verdict, __u32 ifindex, __u32 vlan, const int hook)
{
	struct gf_flow_key k;
	struct gf_flow_val *v, nv;
	struct gf_flow_event *e;
	__u64 now = bpf_ktime_get_coarse_ns();
	__u8 flags;

	len -= pkt->l3_off;
	gf_tuple(data, data_end, pkt, k.src, k.dst, &k.sport, &k.dport, &flags);
	k.cls = cls_verdict & 0xffff;
	k.verdict = cls_verdict >> 16;
	k.vlan = vlan & 0xfff;
	k.ifindex = ifindex;
	k.family = pkt->family;
	k.l4_proto = pkt->l4_proto;
	k.hook = hook;
	v = bpf_map_lookup_elem(&gf_flows, &k);
	if (!v) {
		/* a flood of new flows (a scan) would make every packet an eviction: budgeted */
		if (!gf_budget_ok(*(volatile __u32 *)&gf_state.flow_budget, &gf_fbudget))
			return GF_EVENT(GF_REASON_FLOW_SKIPPED);
		nv.packets = 1;
		nv.bytes = len;
		nv.first_ns = nv.last_ns = now;
		if (!bpf_map_update_elem(&gf_flows, &k, &nv, BPF_NOEXIST))
			goto fresh;
		/* another CPU made it first: add to its entry */
		v = bpf_map_lookup_elem(&gf_flows, &k);
		if (!v)
			return 0;
	}
	__sync_fetch_and_add(&v->packets, 1);
	__sync_fetch_and_add(&v->bytes, len);
	v->last_ns = now;
	return 0;
fresh:
	if (k.verdict == GF_VERDICT_PASS)
		return GF_EVENT(GF_REASON_FLOW_NEW);
	e = bpf_ringbuf_reserve(&gf_flow_events, sizeof(*e), 0);
	if (!e)
		return GF_EVENT(GF_REASON_FLOW_NEW) | GF_EVENT(GF_REASON_FLOW_EVENT_LOST);
	e->key = k;
	e->ts_ns = now;
	e->pkt_len = len;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
	return GF_EVENT(GF_REASON_FLOW_NEW);
}

/* The outer VLAN id of an Ethernet frame whose L3 header is at l3_off: 0 for none. */
static __always_inline __u32 gf_frame_vlan(void *data, void *data_end, __u32 l3_off)
{
	__u8 *tci = data + 14;

	if (l3_off < 18 || (void *)(tci + 2) > data_end)
		return 0;
	return ((__u32)tci[0] << 8 | tci[1]) & 0xfff;
}

static __noinline int gf_flow_xdp(struct xdp_md *ctx, const struct gf_pkt *pkt, __u32 cls_verdict)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;

	return gf_flow(data, data_end, data_end - data, pkt, cls_verdict, ctx->ingress_ifindex,
		       gf_frame_vlan(data, data_end, pkt->l3_off), GF_HOOK_XDP);
}

static __noinline int gf_flow_tc(struct __sk_buff *ctx, const struct gf_pkt *pkt, __u32 cls_verdict)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	__u32 vlan = ctx->vlan_present ? ctx->vlan_tci : gf_frame_vlan(data, data_end, pkt->l3_off);

	return gf_flow(data, data_end, ctx->len, pkt, cls_verdict, ctx->ifindex, vlan, GF_HOOK_TC);
}

/*
 * The packet's scope (maps/geofence.h): the longest source prefix of a
 * named scope, else its outer VLAN id's scope, else its interface's, else
 * 0 (the default policy).  sel says which selectors the generation has, so
 * a lookup is only made where one could match.  Out of line: a policy
 * without scopes never calls it.
 */
static __always_inline __u32 gf_scope_of(void *data, void *data_end, const struct gf_pkt *pkt,
					 __u32 gen, __u32 sel, __u32 ifindex, __u32 vlan)
{
	__u32 off = pkt->l3_off & 0x1ff, *s;

	if (pkt->family == 4 && (sel & GF_SCOPE_SRC4)) {
		struct iphdr *ip = data + off;
		struct gf_scope_key4 k;
		struct gf_scope_line *l;
		__u32 src, line, b;

		if ((void *)(ip + 1) <= data_end) {
			/* the source's /16 first: most senders need no trie lookup */
			src = bpf_ntohl(ip->saddr);
			line = gen * GF_SCOPE_PRE_LINES + (src >> 22);
			l = bpf_map_lookup_elem(&gf_scope_pre4, &line);
			b = l ? l->s[(src >> 16) & 63] : GF_SCOPE_TRIE;
			if (b && b != GF_SCOPE_TRIE)
				return b;
			if (b) {
				k.prefixlen = 64;
				k.gen = bpf_htonl(gen);
				k.addr = ip->saddr;
				s = bpf_map_lookup_elem(&gf_scope4, &k);
				if (s)
					return *s;
			}
		}
	} else if (pkt->family == 6 && (sel & GF_SCOPE_SRC6)) {
		struct ipv6hdr *ip6 = data + off;
		struct gf_scope_key6 k;

		if ((void *)(ip6 + 1) <= data_end) {
			k.prefixlen = 160;
			k.gen = bpf_htonl(gen);
			__builtin_memcpy(k.addr, &ip6->saddr, 16);
			s = bpf_map_lookup_elem(&gf_scope6, &k);
			if (s)
				return *s;
		}
	}
	if (vlan && (sel & GF_SCOPE_VLAN)) {
		__u32 k = gen * GF_VLAN_IDS + (vlan & (GF_VLAN_IDS - 1));

		s = bpf_map_lookup_elem(&gf_scope_vlan, &k);
		if (s && *s)
			return *s;
	}
	if (ifindex && (sel & GF_SCOPE_IFACE)) {
		struct gf_scope_iface_key k = { .gen = gen, .ifindex = ifindex };

		if (ifindex < GF_SCOPE_IFIDX) {
			__u32 i = gen * GF_SCOPE_IFIDX + ifindex;

			s = bpf_map_lookup_elem(&gf_scope_ifidx, &i);
			return s ? *s : 0;
		}
		s = bpf_map_lookup_elem(&gf_scope_iface, &k);
		if (s)
			return *s;
	}
	return 0;
}

static __noinline __u32 gf_scope_xdp(struct xdp_md *ctx, const struct gf_pkt *pkt, __u32 gen, __u32 sel)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;

	return gf_scope_of(data, data_end, pkt, gen & 1, sel, ctx->ingress_ifindex,
			   gf_frame_vlan(data, data_end, pkt->l3_off)) & (GF_MAX_SCOPES - 1);
}

/* The gateway's own traffic: no interface it arrived on, so by source prefix only. */
static __noinline __u32 gf_scope_tc(struct __sk_buff *ctx, const struct gf_pkt *pkt, __u32 gen, __u32 sel)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;

	return gf_scope_of(data, data_end, pkt, gen & 1, sel & (GF_SCOPE_SRC4 | GF_SCOPE_SRC6), 0, 0) &
	       (GF_MAX_SCOPES - 1);
}

/* A named scope's packet, counted again in gf_scope_stats (its entry made on first use). */
static __noinline int gf_scope_count(__u32 key, __u32 verdict, __u32 len)
{
	struct gf_class_counters *c = bpf_map_lookup_elem(&gf_scope_stats, &key);

	if (!c) {
		struct gf_class_counters zero = {};

		bpf_map_update_elem(&gf_scope_stats, &key, &zero, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&gf_scope_stats, &key);
		if (!c)
			return 0;
	}
	c->v[verdict & (GF_VERDICT_MAX - 1)].packets++;
	c->v[verdict & (GF_VERDICT_MAX - 1)].bytes += len;
	return 0;
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
	__u32 gen, row, scope = 0, sel, cls, k;
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
	/* scopes: a source lookup only in a generation that has them */
	sel = *(volatile __u8 *)&gf_state.scopes[gen];
	if (sel)
		scope = hook == GF_HOOK_XDP ? gf_scope_xdp(ctx, pkt, gen, sel) :
					      gf_scope_tc(ctx, pkt, gen, sel);
	row = GF_POLICY_ROW(gen, scope);
	cls = gf_classify(row, pkt);
	if (pkt->route_off) {
		__u32 fo = (__u32)pkt->family << 16 | pkt->route_off;
		int rc = hook == GF_HOOK_XDP ? gf_route_xdp(ctx, row, fo, cls) :
					       gf_route_tc(ctx, row, fo, cls);

		if (rc < 0) {
			r = -rc;
			verdict = GF_VERDICT_DROP;
			goto out_reason;
		}
		if (rc & GF_ROUTE_SEEN)
			pkt->events |= GF_EVENT(GF_REASON_SOURCE_ROUTE);
		if (rc & GF_ROUTE_CARRIED)
			pkt->events |= GF_EVENT(GF_REASON_IPV4_EMBEDDED);
		cls = GF_ROUTE_CLASS(rc);
	}
	if (cls >= GF_NUM_CLASSES)
		cls = GF_CLASS_UNKNOWN;

	k = row * GF_NUM_CLASSES + cls;
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
	if (scope)
		gf_scope_count(GF_SCOPE_STATS_KEY(hook, scope, cls), verdict, len);
	/* who sends what where: the test inline, the record out of line */
	if (pol && (pol->flags & GF_POL_FLOWS))
		pkt->events |= hook == GF_HOOK_XDP ? gf_flow_xdp(ctx, pkt, cls | verdict << 16) :
						     gf_flow_tc(ctx, pkt, cls | verdict << 16);
	/* 1 in sample_rate: the test inline, the sample out of line */
	if (pol && pol->sample_rate && (verdict == GF_VERDICT_PASS || verdict == GF_VERDICT_MONITOR) &&
	    (pol->sample_rate == 1 || gf_sample_pick(pol->sample_rate))) {
		if (!gf_sample_budget_ok())
			pkt->events |= GF_EVENT(GF_REASON_SAMPLE_CAPPED);
		else
			pkt->events |= hook == GF_HOOK_XDP ? gf_sample_xdp(ctx, pkt, pol, cls | verdict << 16) :
							     gf_sample_tc(ctx, pkt, pol, cls | verdict << 16);
	}
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
