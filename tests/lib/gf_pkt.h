/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet builder for fixtures and the traffic generator: Ethernet, VLAN
 * tags, IPv4 (options, fragments), IPv6 (extension header chains), TCP/UDP.
 * Records where each header starts so tests can compute what a truncation
 * at any length must produce.
 */
#ifndef GF_PKT_H
#define GF_PKT_H

#include <stddef.h>
#include <linux/types.h>

#define GF_PKT_MAX 2048

#define GF_PKT_MAX_SEGS 20

struct gf_ext {
	__u8 type;		/* IPPROTO_HOPOPTS, _ROUTING, _DSTOPTS, _FRAGMENT, _AH, _MH */
	__u8 len_units;		/* hdrlen field (extra units beyond the minimum) */
	__u16 frag_off;		/* fragment header: offset in 8-byte units */
	int more;		/* fragment header: M flag */
	/*
	 * Routing header: type, segments left, and nseg addresses (network
	 * order) after the 8 fixed bytes; with nseg, hdrlen is 2 * nseg
	 * unless len_units says otherwise.  All zero: a type 0 header whose
	 * route is done (segments left 0), which changes nothing.
	 */
	int rt_type;
	__u8 segs_left;
	int nseg;
	__u8 seg[GF_PKT_MAX_SEGS][16];
};

struct gf_pkt_spec {
	int nvlan;		/* 0..3 */
	__u16 vlan_proto[3];	/* 0x8100 / 0x88a8; 0 = 0x8100 */
	__u16 vlan_id[3];	/* 0 = 100 + the tag's position */
	__u16 ethertype;	/* 0 = from family */
	int family;		/* 4, 6, or 0 for a non-IP payload */
	__u8 dst[16];		/* network order; IPv4 in dst[0..3] */
	__u8 src[16];
	/* IPv4 */
	int opt_len;		/* bytes of options, multiple of 4, <= 40 */
	__u8 opt[40];		/* their bytes; all zero = NOP options */
	__u16 frag_off;		/* in 8-byte units */
	int more_frags;
	/* IPv6 */
	int next;		/* number of extension headers */
	struct gf_ext ext[10];
	/* L4 */
	__u8 l4_proto;		/* IPPROTO_TCP / _UDP / other; 0 = UDP */
	int payload_len;	/* bytes after the L4 header */
	const __u8 *payload;	/* their bytes; NULL: a, b, c... */
	__u16 dport;		/* 0: 443 for TCP, 53 for UDP */
	/* field overrides for malformed packets; -1 = computed */
	int ip_version, ihl, tot_len, payload_len_field;
};

struct gf_pkt {
	__u8 data[GF_PKT_MAX];
	size_t len;
	size_t l3_off, l3_end;	/* IP header start and end of fixed header */
	size_t opt_end;		/* IPv4: end of options */
	size_t ext_off[10], ext_end[10];
	size_t l4_off;
};

void gf_pkt_spec_init(struct gf_pkt_spec *s, int family, const char *dst);

/*
 * Run a packet through a program repeat times (BPF_PROG_TEST_RUN): as
 * XDP arriving on ifindex 1, or (tc) as an skb leaving ifindex 1.  0 with
 * the program's return value in *retval, or -errno.
 */
int gf_pkt_run(int prog_fd, int tc, const void *data, size_t len, int repeat, __u32 *retval);
int gf_pkt_build(const struct gf_pkt_spec *s, struct gf_pkt *p);

/*
 * An IPv4 source route option (type 131 LSRR or 137 SSRR) with the hops
 * given as text, the pointer at the first (4) or where ptr says (ptr > 0),
 * padded with NOPs to a multiple of 4; or an IPv6 routing header of the
 * given type whose segments are the hops in the order of the header.
 * 0 or -EINVAL.
 */
int gf_pkt_add_srr(struct gf_pkt_spec *s, int type, int ptr, const char *const *hops, int n);
int gf_pkt_add_rh(struct gf_pkt_spec *s, int rt_type, int segs_left, const char *const *segs,
		  int n);

#endif
