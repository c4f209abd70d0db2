/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table builder: a set of non-overlapping ranges with 16-bit classes ->
 * the datapath's lookup tables (maps/geofence.h, docs/tables.md).
 *
 * Node indices in a built table are relative to its first node; installing
 * it into a generation of the maps relocates them (gf_table_relocate).
 */
#ifndef GF_TABLE_H
#define GF_TABLE_H

#include <stddef.h>
#include "geofence.h"
#include "gf_ranges.h"

struct gf_table {
	int family;
	__u32 top[GF_TOP_SIZE];
	void *nodes;		/* struct gf_node4 or gf_node6 */
	__u8 *is_leaf;		/* per node: 1 = leaf (v6 relocation needs it) */
	__u32 n_nodes, cap_nodes;
	/* figures */
	__u32 n_ranges;		/* ranges after gap filling and merging */
	__u32 n_trees;
	__u32 max_depth;	/* internal levels of the deepest tree */
	__u32 max_slices;	/* IPv6: slices descended, worst case */
};

/* rs: family's ranges (need not be normalized; gaps become GF_CLASS_UNKNOWN). */
int gf_table_build(const struct gf_rs *rs, struct gf_table **out);
void gf_table_free(struct gf_table *t);

/* Bytes of the built table: top + nodes. */
size_t gf_table_bytes(const struct gf_table *t);

/*
 * Copy nodes into dst (the map's region for one generation), adding base to
 * every absolute node index; top entries are written to top_dst likewise.
 */
void gf_table_relocate(const struct gf_table *t, __u32 base, __u32 *top_dst, void *node_dst);

/* The same walk as bpf/include/gf_lookup.h, over the built (base 0) table. */
__u16 gf_table_lookup(const struct gf_table *t, gf_u128 addr);
/*
 * The walk over one generation of the maps: top is that generation's
 * direct table, nodes the whole node array (indices are absolute).
 */
__u16 gf_table_lookup_raw(int family, const __u32 *top, const void *nodes, gf_u128 addr);

/*
 * The datapath's classification over built tables (gf_classify_addr): IPv6
 * destinations carrying an IPv4 address are looked up in the IPv4 table; a
 * Teredo address's stricter end under pol (NULL: the client).
 */
__u16 gf_table_classify(const struct gf_table *t4, const struct gf_table *t6, int family,
			gf_u128 addr, const struct gf_policy *pol);

#endif
