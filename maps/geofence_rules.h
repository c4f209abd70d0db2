/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Rules that the datapath (bpf/) and userspace (geofence lookup, the
 * tests) must apply alike, written once: which IPv6 destinations are
 * classified by an IPv4 address they carry, and which of two actions is
 * the stricter.  Plain C with no helpers, so both compilers take it.
 */
#ifndef GEOFENCE_RULES_H
#define GEOFENCE_RULES_H

#include <linux/types.h>
#include "geofence.h"

/*
 * IPv6 destinations classified by the IPv4 address they carry (words in
 * host order, w0 the most significant):
 *
 *   64:ff9b::/96   NAT64 (RFC 6052): the translator sends it there
 *   2002::/16      6to4 (RFC 3056): tunnelled to the relay at bits 16..47
 *   2001::/32      Teredo (RFC 4380): delivered to the client, bits 96..127
 *                  inverted; relayed through the server, bits 32..63 -
 *                  both are classified and the stricter verdict wins
 *   ::ffff:0:0/96  IPv4-mapped (RFC 4291): the IPv4 address it names
 *   ::/96          IPv4-compatible (deprecated): likewise; ::1 and :: carry
 *                  0.0.0.1 and 0.0.0.0, which are reserved space
 *
 * Returns the kind; v4[0] is the address to classify, v4[1] Teredo's server.
 */
enum gf_carrier {
	GF_CARRY_NONE = 0,
	GF_CARRY_NAT64,
	GF_CARRY_6TO4,
	GF_CARRY_TEREDO,
	GF_CARRY_MAPPED,
	GF_CARRY_COMPAT,
};

#define GF_NAT64_W0	0x0064ff9bu
#define GF_6TO4_H16	0x2002u
#define GF_TEREDO_W0	0x20010000u

static inline __attribute__((always_inline)) int
gf_carried_ipv4(__u32 w0, __u32 w1, __u32 w2, __u32 w3, __u32 v4[2])
{
	if (w0 == GF_NAT64_W0 && !w1 && !w2) {
		v4[0] = w3;
		return GF_CARRY_NAT64;
	}
	if (w0 >> 16 == GF_6TO4_H16) {
		v4[0] = w0 << 16 | w1 >> 16;
		return GF_CARRY_6TO4;
	}
	if (w0 == GF_TEREDO_W0) {
		v4[0] = ~w3;
		v4[1] = w1;
		return GF_CARRY_TEREDO;
	}
	if (!w0 && !w1 && (!w2 || w2 == 0xffff)) {
		v4[0] = w3;
		return w2 ? GF_CARRY_MAPPED : GF_CARRY_COMPAT;
	}
	return GF_CARRY_NONE;
}

/*
 * Where one packet has several destinations (a source route's hops, a
 * Teredo server and client), the strictest action among them applies:
 * pass 0 < monitor 1 < redirect 2 < drop 3.  An action the datapath does
 * not know is dropped, so it ranks as drop.
 */
#define GF_RANK_DROP 3

static inline __attribute__((always_inline)) __u32 gf_action_rank(__u32 action)
{
	return action < GF_ACT_MAX ? (0x1230u >> (action * 4)) & 0xf : GF_RANK_DROP;
}

_Static_assert(GF_ACT_PASS == 0 && GF_ACT_DROP == 1 && GF_ACT_REDIRECT == 2 && GF_ACT_MONITOR == 3,
	       "gf_action_rank's table follows enum gf_action");

#endif /* GEOFENCE_RULES_H */
