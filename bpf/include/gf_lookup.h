/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Destination -> class lookups over the tables in maps/geofence.h.
 *
 * The search inside a 64-byte node is branch-free: each step adds the sign
 * bit of (stored key - x), i.e. "key <= x", scaled by the step size.  A
 * binary search with branches mispredicts about every other step on random
 * destinations; this form costs a few ALU ops per step and only the loads
 * depend on each other, all within one cache line.
 */
#ifndef GF_LOOKUP_H
#define GF_LOOKUP_H

#include "gf_maps.h"
#include "gf_verify.h"

/* 1 if the stored key (boundary - 1) is below x, i.e. boundary <= x. */
static __always_inline __u32 gf_le16(__u16 stored, __u32 x)
{
	return ((__u32)stored - x) >> 31;
}

static __always_inline __u32 gf_le32(__u32 stored, __u32 x)
{
	return ((__u64)stored - (__u64)x) >> 63;
}

/* The masks in the searches: the bits the steps so far can have set (gf_verify.h). */

/* Number of the 15 leaf keys <= x: 0..15. */
static __always_inline __u32 gf_search4_leaf(const struct gf_node4 *n, __u32 x)
{
	__u32 i;

	i = gf_le16(n->leaf.key[7], x) << 3;
	i = GF_BOUND(i + (gf_le16(n->leaf.key[i + 3], x) << 2), 0xc);
	i = GF_BOUND(i + (gf_le16(n->leaf.key[i + 1], x) << 1), 0xe);
	i = GF_BOUND(i + gf_le16(n->leaf.key[i], x), 0xf);
	return i;
}

/* Number of the 31 internal keys <= x: 0..31. */
static __always_inline __u32 gf_search4_inner(const struct gf_node4 *n, __u32 x)
{
	__u32 i;

	i = gf_le16(n->inner.key[15], x) << 4;
	i = GF_BOUND(i + (gf_le16(n->inner.key[i + 7], x) << 3), 0x18);
	i = GF_BOUND(i + (gf_le16(n->inner.key[i + 3], x) << 2), 0x1c);
	i = GF_BOUND(i + (gf_le16(n->inner.key[i + 1], x) << 1), 0x1e);
	i = GF_BOUND(i + gf_le16(n->inner.key[i], x), 0x1f);
	return i;
}

/* Number of the 7 leaf keys <= x: 0..7. */
static __always_inline __u32 gf_search6_leaf(const struct gf_node6 *n, __u32 x)
{
	__u32 i;

	i = gf_le32(n->leaf.key[3], x) << 2;
	i = GF_BOUND(i + (gf_le32(n->leaf.key[i + 1], x) << 1), 0x6);
	i = GF_BOUND(i + gf_le32(n->leaf.key[i], x), 0x7);
	return i;
}

/* Number of the 15 internal keys <= x: 0..15. */
static __always_inline __u32 gf_search6_inner(const struct gf_node6 *n, __u32 x)
{
	__u32 i;

	i = gf_le32(n->inner.key[7], x) << 3;
	i = GF_BOUND(i + (gf_le32(n->inner.key[i + 3], x) << 2), 0xc);
	i = GF_BOUND(i + (gf_le32(n->inner.key[i + 1], x) << 1), 0xe);
	i = GF_BOUND(i + gf_le32(n->inner.key[i], x), 0xf);
	return i;
}

/* The tree under a top-table entry: its leaf's class. */
static __always_inline __u32 gf_tree4(__u32 e, __u32 x)
{
	__u32 root = e & GF_ENT_NODE_MASK, depth = (e >> GF_ENT_DEPTH_SHIFT) & GF_ENT_DEPTH_MASK, idx = root;
	struct gf_node4 *n;

	if (depth > GF_V4_MAX_DEPTH)
		return GF_CLASS_UNKNOWN;
	for (__u32 d = 0; d < depth; d++) {
		n = bpf_map_lookup_elem(&gf_node4, &idx);
		if (!n)
			return GF_CLASS_UNKNOWN;
		idx = root + n->inner.first + gf_search4_inner(n, x);
	}
	n = bpf_map_lookup_elem(&gf_node4, &idx);
	if (!n)
		return GF_CLASS_UNKNOWN;
	return n->leaf.cls[gf_search4_leaf(n, x)];
}

/* Verified once, called from every lookup: see gf_tree6_walk. */
__attribute__((weak, noinline)) __u32 gf_tree4_walk(__u32 e, __u32 x)
{
	return gf_tree4(e, x);
}

/* IPv4 destination (host byte order) -> class. */
static __always_inline __u32 gf_lookup4(__u32 gen, __u32 addr)
{
	__u32 key = gen * GF_TOP_LINES + (addr >> (32 - GF_TOP_BITS + 4));
	struct gf_top_line *top;
	__u32 e;

	top = bpf_map_lookup_elem(&gf_top4, &key);
	if (!top)
		return GF_CLASS_UNKNOWN;
	e = top->ent[(addr >> 16) & (GF_TOP_LINE - 1)];
	if (!(e & GF_ENT_TREE))
		return e & GF_ENT_CLASS_MASK;
	return gf_tree4_walk(e, addr & 0xffff);
}

/* Walk one IPv6 slice tree; returns the leaf value (class or next tree). */
static __always_inline __u32 gf_tree6(__u32 e, __u32 x)
{
	__u32 depth = (e >> GF_ENT_DEPTH_SHIFT) & GF_ENT_DEPTH_MASK;
	__u32 idx = e & GF_ENT_NODE_MASK;
	struct gf_node6 *n;

	if (depth > GF_V6_MAX_DEPTH)
		return GF_CLASS_UNKNOWN;
	for (__u32 d = 0; d < depth; d++) {
		n = bpf_map_lookup_elem(&gf_node6, &idx);
		if (!n)
			return GF_CLASS_UNKNOWN;
		idx = n->inner.first + gf_search6_inner(n, x);
	}
	n = bpf_map_lookup_elem(&gf_node6, &idx);
	if (!n)
		return GF_CLASS_UNKNOWN;
	return n->leaf.val[gf_search6_leaf(n, x)];
}

/*
 * One slice tree as a function of its own, verified once: inlined four
 * times into every IPv6 lookup, the walks' branches multiply, and older
 * verifiers (Debian 12's 6.1) give up ("The sequence of 8193 jumps is too
 * complex").  A BPF-to-BPF call per slice walked.
 */
__attribute__((weak, noinline)) __u32 gf_tree6_walk(__u32 e, __u32 x)
{
	return gf_tree6(e, x);
}

/* IPv6 destination (four host-order words, most significant first) -> class. */
static __always_inline __u32 gf_lookup6(__u32 gen, __u32 a0, __u32 a1, __u32 a2, __u32 a3)
{
	__u32 key = gen * GF_TOP_LINES + (a0 >> (32 - GF_TOP_BITS + 4));
	struct gf_top_line *top;
	__u32 e;

	top = bpf_map_lookup_elem(&gf_top6, &key);
	if (!top)
		return GF_CLASS_UNKNOWN;
	e = top->ent[(a0 >> 16) & (GF_TOP_LINE - 1)];
	if (!(e & GF_ENT_TREE))
		return e & GF_ENT_CLASS_MASK;
	e = gf_tree6_walk(e, (a0 << 16) | (a1 >> 16));
	if (!(e & GF_ENT_TREE))
		return e & GF_ENT_CLASS_MASK;
	e = gf_tree6_walk(e, (a1 << 16) | (a2 >> 16));
	if (!(e & GF_ENT_TREE))
		return e & GF_ENT_CLASS_MASK;
	e = gf_tree6_walk(e, (a2 << 16) | (a3 >> 16));
	if (!(e & GF_ENT_TREE))
		return e & GF_ENT_CLASS_MASK;
	e = gf_tree6_walk(e, a3 << 16);
	return (e & GF_ENT_TREE) ? GF_CLASS_UNKNOWN : (e & GF_ENT_CLASS_MASK);
}

#endif /* GF_LOOKUP_H */
