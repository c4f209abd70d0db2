/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Packet parsing shared by the XDP and tc hooks: Ethernet, up to two VLAN
 * tags, IPv4 (options, fragments), IPv6 (up to GF_IPV6_MAX_EXT extension
 * headers walked to find L4 and a routing header).  Cursor style, a bounds
 * check before every read, fixed loop limits.
 */
#ifndef GF_PARSE_H
#define GF_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "geofence.h"
#include "gf_verify.h"

#ifndef IP_MF
#define IP_MF		0x2000
#define IP_OFFSET	0x1fff
#endif

struct gf_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

struct gf_frag6_hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;	/* offset << 3 | M */
	__be32 id;
};

/* What the parser found.  dst holds host-order words, IPv4 in dst[0]. */
struct gf_pkt {
	__u32 events;		/* 1 << informational GF_REASON_* */
	__u16 l3_off;
	__u16 l4_off;		/* 0: no L4 header in this packet */
	__u8 family;		/* 4 or 6 */
	__u8 l4_proto;
	/*
	 * Where a source route may be: IPv4, the options (searched for
	 * LSRR/SSRR); IPv6, the routing header.  0: none.
	 */
	__u16 route_off;
	__u32 dst[4];
};

#define GF_EVENT(r) (1u << (r))

/* Where the L3 header starts and what it is.  Returns 0 or a reason. */
static __always_inline int gf_parse_l2(void *data, void *data_end, __u32 *off,
				       __u16 *proto, struct gf_pkt *pkt)
{
	struct ethhdr *eth = data;
	struct gf_vlan_hdr *vh;
	__u16 p;
	int i;

	if ((void *)(eth + 1) > data_end)
		return GF_REASON_TRUNC_ETH;
	p = bpf_ntohs(eth->h_proto);
	*off = sizeof(*eth);

#pragma unroll
	for (i = 0; i <= GF_MAX_VLAN; i++) {
		if (p != ETH_P_8021Q && p != ETH_P_8021AD)
			break;
		if (i == GF_MAX_VLAN)
			return GF_REASON_VLAN_DEPTH;
		vh = data + *off;
		if ((void *)(vh + 1) > data_end)
			return GF_REASON_TRUNC_VLAN;
		p = bpf_ntohs(vh->proto);
		*off += sizeof(*vh);
	}
	if (i == 1)
		pkt->events |= GF_EVENT(GF_REASON_VLAN);
	else if (i == 2)
		pkt->events |= GF_EVENT(GF_REASON_QINQ);
	*proto = p;
	return 0;
}

/*
 * check_len: compare the IP length fields with the frame (XDP).  At tc the
 * stack built the skb: GSO packets carry tot_len/payload_len 0 (BIG TCP)
 * and the data beyond the linear part is not visible, so tc skips it.
 */
static __always_inline int gf_parse_ipv4(void *data, void *data_end, __u32 off,
					 struct gf_pkt *pkt, int check_len)
{
	struct iphdr *ip = data + off;
	__u32 hlen, tot;

	if ((void *)(ip + 1) > data_end)
		return GF_REASON_TRUNC_IPV4;
	if (ip->version != 4)
		return GF_REASON_IPV4_VERSION;
	if (ip->ihl < 5)
		return GF_REASON_IPV4_IHL;
	hlen = ip->ihl * 4;
	if (data + off + hlen > data_end)
		return GF_REASON_TRUNC_IPV4_OPTIONS;
	if (check_len) {
		/* bounded for older verifiers (6.1), which lose bounds through a byte swap */
		tot = GF_BOUND(bpf_ntohs(ip->tot_len), 0xffff);
		if (tot < hlen || data + off + tot > data_end)
			return GF_REASON_IPV4_TOTLEN;
	}
	if (hlen > sizeof(*ip)) {
		pkt->events |= GF_EVENT(GF_REASON_IPV4_OPTIONS);
		pkt->route_off = off + sizeof(*ip);
	}

	pkt->family = 4;
	pkt->l3_off = off;
	pkt->l4_proto = ip->protocol;
	pkt->dst[0] = bpf_ntohl(ip->daddr);
	if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)) {
		pkt->events |= GF_EVENT(GF_REASON_FRAGMENT);
		if (ip->frag_off & bpf_htons(IP_OFFSET))
			return 0;	/* non-first fragment: no L4 header */
	}
	pkt->l4_off = off + hlen;
	return 0;
}

static __always_inline int gf_parse_ipv6(void *data, void *data_end, __u32 off,
					 struct gf_pkt *pkt, int check_len)
{
	struct ipv6hdr *ip6 = data + off;
	struct ipv6_opt_hdr *oh;
	struct gf_frag6_hdr *fh;
	__u32 plen, hlen;
	__u8 nh;
	int i;

	if ((void *)(ip6 + 1) > data_end)
		return GF_REASON_TRUNC_IPV6;
	if (ip6->version != 6)
		return GF_REASON_IPV6_VERSION;
	nh = ip6->nexthdr;
	if (check_len) {
		plen = GF_BOUND(bpf_ntohs(ip6->payload_len), 0xffff);
		/* payload_len 0 + hop-by-hop: a jumbogram, as the stack allows */
		if ((plen || nh != IPPROTO_HOPOPTS) &&
		    (void *)(ip6 + 1) + plen > data_end)
			return GF_REASON_IPV6_PAYLOAD_LEN;
	}

	pkt->family = 6;
	pkt->l3_off = off;
	pkt->dst[0] = bpf_ntohl(ip6->daddr.in6_u.u6_addr32[0]);
	pkt->dst[1] = bpf_ntohl(ip6->daddr.in6_u.u6_addr32[1]);
	pkt->dst[2] = bpf_ntohl(ip6->daddr.in6_u.u6_addr32[2]);
	pkt->dst[3] = bpf_ntohl(ip6->daddr.in6_u.u6_addr32[3]);
	off += sizeof(*ip6);

#pragma unroll
	for (i = 0; i < GF_IPV6_MAX_EXT; i++) {
		switch (nh) {
		case IPPROTO_ROUTING:
			/*
			 * The kernel follows every routing header of a chain in
			 * turn; no real packet carries two (RFC 8200 4.1).
			 */
			if (pkt->route_off)
				return GF_REASON_SOURCE_ROUTE_INVALID;
			pkt->route_off = off;
			/* fall through */
		case IPPROTO_HOPOPTS:
		case IPPROTO_DSTOPTS:
		case IPPROTO_MH:
		case IPPROTO_AH:
			oh = data + off;
			if ((void *)(oh + 1) > data_end)
				return GF_REASON_TRUNC_IPV6_EXT;
			/* AH counts 4-octet units minus 2; the others 8-octet units minus 1 */
			if (nh == IPPROTO_AH)
				hlen = (oh->hdrlen + 2) * 4;
			else
				hlen = (oh->hdrlen + 1) * 8;
			if (data + off + hlen > data_end)
				return GF_REASON_TRUNC_IPV6_EXT;
			nh = oh->nexthdr;
			off += hlen;
			break;
		case IPPROTO_FRAGMENT:
			fh = data + off;
			if ((void *)(fh + 1) > data_end)
				return GF_REASON_TRUNC_IPV6_EXT;
			pkt->events |= GF_EVENT(GF_REASON_FRAGMENT);
			if (fh->frag_off & bpf_htons(0xfff8)) {
				pkt->l4_proto = fh->nexthdr;
				return 0;	/* non-first fragment: no L4 header */
			}
			nh = fh->nexthdr;
			off += sizeof(*fh);
			break;
		default:
			goto l4;
		}
	}
	switch (nh) {
	case IPPROTO_HOPOPTS:
	case IPPROTO_ROUTING:
	case IPPROTO_DSTOPTS:
	case IPPROTO_MH:
	case IPPROTO_AH:
	case IPPROTO_FRAGMENT:
		/* a routing header beyond the walk would route it unseen */
		return GF_REASON_IPV6_EXT_LIMIT;
	}
l4:
	pkt->l4_proto = nh;
	if (nh != IPPROTO_NONE)
		pkt->l4_off = off;
	return 0;
}

#endif /* GF_PARSE_H */
