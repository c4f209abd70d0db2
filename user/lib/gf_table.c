// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gf_table.h"

/* A segment of a key space: [key, next key) has value val (class or tree). */
struct seg {
	__u32 key;
	__u32 val;
};

struct segv {
	struct seg *v;
	size_t n, cap;
};

static int segv_push(struct segv *s, __u32 key, __u32 val)
{
	if (s->n && s->v[s->n - 1].val == val && !(val & GF_ENT_TREE))
		return 0;	/* same class continues */
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct seg *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (struct seg){ key, val };
	return 0;
}

static __u32 *table_alloc_nodes(struct gf_table *t, __u32 count, __u32 *first)
{
	size_t nsz = 64;

	if (t->n_nodes + (size_t)count > GF_ENT_NODE_MASK)
		return NULL;
	if (t->n_nodes + count > t->cap_nodes) {
		__u32 cap = t->cap_nodes ? t->cap_nodes : 4096;
		void *p;

		while (cap < t->n_nodes + count)
			cap *= 2;
		p = realloc(t->nodes, (size_t)cap * nsz);
		if (!p)
			return NULL;
		t->nodes = p;
		p = realloc(t->is_leaf, cap);
		if (!p)
			return NULL;
		t->is_leaf = p;
		t->cap_nodes = cap;
	}
	*first = t->n_nodes;
	t->n_nodes += count;
	memset((char *)t->nodes + (size_t)*first * nsz, 0, (size_t)count * nsz);
	memset(t->is_leaf + *first, 0, count);
	return (__u32 *)((char *)t->nodes + (size_t)*first * nsz);
}

/*
 * Build a static B+tree over segs (keys ascending, segs[0].key == 0) and
 * return its entry (GF_ENT_TREE | depth | root).  Levels are laid out
 * root first, leaves last, each level left to right, so a node's children
 * are consecutive.
 *
 * leaf_vals/fanout: values per leaf, children per internal node.
 * v4 (key16): keys are u16, internal nodes store the first child relative
 * to the root; v6: u32 keys, absolute first child.
 */
static int build_tree(struct gf_table *t, const struct seg *segs, size_t n, int key16,
		      __u32 key_shift, __u32 *entry)
{
	const __u32 leaf_vals = key16 ? GF_N4_LEAF_VALS : GF_N6_LEAF_VALS;
	const __u32 fanout = key16 ? GF_N4_FANOUT : GF_N6_FANOUT;
	__u32 count[8], off[8], depth = 0, root, l, i;
	size_t nodes = 0;

	/* nodes per level, bottom (0 = leaves) up */
	count[0] = (n + leaf_vals - 1) / leaf_vals;
	while (count[depth] > 1) {
		if (depth + 1 >= 8)
			return -E2BIG;
		count[depth + 1] = (count[depth] + fanout - 1) / fanout;
		depth++;
	}
	if (depth > (key16 ? GF_V4_MAX_DEPTH : GF_V6_MAX_DEPTH))
		return -E2BIG;
	for (l = 0; l <= depth; l++)
		nodes += count[l];
	if (!table_alloc_nodes(t, nodes, &root))
		return -ENOMEM;
	/* off[l]: position of level l's first node, relative to root */
	off[depth] = 0;
	for (l = depth; l > 0; l--)
		off[l - 1] = off[l] + count[l];

	/* leaves */
	for (i = 0; i < count[0]; i++) {
		size_t s0 = (size_t)i * leaf_vals, k;
		void *np = (char *)t->nodes + (size_t)(root + off[0] + i) * 64;

		t->is_leaf[root + off[0] + i] = 1;
		if (key16) {
			struct gf_node4 *nd = np;

			for (k = 0; k < 16; k++)
				nd->leaf.key[k] = 0xffff;
			for (k = 0; k < leaf_vals && s0 + k < n; k++) {
				nd->leaf.cls[k] = segs[s0 + k].val;
				if (k)
					nd->leaf.key[k - 1] = (segs[s0 + k].key << key_shift) - 1;
			}
		} else {
			struct gf_node6 *nd = np;

			for (k = 0; k < 8; k++)
				nd->leaf.key[k] = 0xffffffffu;
			for (k = 0; k < leaf_vals && s0 + k < n; k++) {
				nd->leaf.val[k] = segs[s0 + k].val;
				if (k)
					nd->leaf.key[k - 1] = (segs[s0 + k].key << key_shift) - 1;
			}
		}
	}

	/* internal levels: separator c-1 = first key of child c */
	for (l = 1; l <= depth; l++) {
		/* first segment under each node of level l-1: child j of level l-1
		 * starts at segment j * leaf_vals * fanout^(l-1) */
		size_t span = leaf_vals;
		__u32 q;

		for (q = 1; q < l; q++)
			span *= fanout;
		for (i = 0; i < count[l]; i++) {
			void *np = (char *)t->nodes + (size_t)(root + off[l] + i) * 64;
			__u32 first_child = off[l - 1] + i * fanout;
			size_t c;

			if (key16) {
				struct gf_node4 *nd = np;

				for (c = 0; c < GF_N4_INNER_KEYS; c++)
					nd->inner.key[c] = 0xffff;
				for (c = 1; c < fanout && (size_t)(i * fanout + c) < count[l - 1]; c++)
					nd->inner.key[c - 1] =
						(segs[(i * fanout + c) * span].key << key_shift) - 1;
				nd->inner.first = first_child;
			} else {
				struct gf_node6 *nd = np;

				for (c = 0; c < GF_N6_INNER_KEYS; c++)
					nd->inner.key[c] = 0xffffffffu;
				for (c = 1; c < fanout && (size_t)(i * fanout + c) < count[l - 1]; c++)
					nd->inner.key[c - 1] =
						(segs[(i * fanout + c) * span].key << key_shift) - 1;
				nd->inner.first = root + first_child;
			}
		}
	}

	t->n_trees++;
	if (depth > t->max_depth)
		t->max_depth = depth;
	*entry = GF_ENT_TREE | (depth << GF_ENT_DEPTH_SHIFT) | root;
	return 0;
}

/* The cover's segment index containing addr, starting the scan at *j. */
static const struct gf_range *seg_at(const struct gf_rs *c, size_t *j, gf_u128 addr)
{
	while (c->v[*j].last < addr)
		(*j)++;
	return &c->v[*j];
}

/*
 * IPv6 slices below the top 16 bits: s = 1..4.  A key of slice s covers
 * 2^unit_shift addresses; slice 4 has 16 bits, stored in the upper half of
 * the 32-bit key (key_shift 16) to match the datapath.
 */
static const int v6_unit_shift[5] = { 112, 80, 48, 16, 0 };
static const int v6_key_bits[5] = { 16, 32, 32, 32, 16 };

static int region6(struct gf_table *t, const struct gf_rs *c, size_t *j, gf_u128 start,
		   int s, __u32 *out)
{
	const int ushift = v6_unit_shift[s], kbits = v6_key_bits[s];
	const gf_u128 umask = ushift ? (((gf_u128)1 << ushift) - 1) : 0;
	const gf_u128 region_last = start + ((((gf_u128)1 << (kbits + ushift)) - 1));
	const __u64 nkeys = 1ull << kbits;
	struct segv sv = { 0 };
	__u64 k = 0;
	int err = 0;

	if ((__u32)s > t->max_slices)
		t->max_slices = s;
	while (k < nkeys && !err) {
		gf_u128 addr = start + ((gf_u128)k << ushift);
		const struct gf_range *r = seg_at(c, j, addr);

		if (r->last >= addr + umask) {
			/* whole keys from k on belong to r */
			gf_u128 last = r->last < region_last ? r->last : region_last;
			gf_u128 off = last - start;
			__u64 kend = (__u64)(off >> ushift) + (((off + 1) & umask) == 0 ? 1 : 0);

			err = segv_push(&sv, k, r->cls);
			k = kend;
		} else {
			__u32 v;

			/* several ranges inside key k: descend for this key alone */
			err = region6(t, c, j, addr, s + 1, &v);
			if (!err)
				err = segv_push(&sv, k, v);
			k++;
		}
	}
	if (!err) {
		if (sv.n == 1 && !(sv.v[0].val & GF_ENT_TREE))
			*out = sv.v[0].val;
		else
			err = build_tree(t, sv.v, sv.n, 0, s == 4 ? 16 : 0, out);
	}
	free(sv.v);
	return err;
}

static int build4(struct gf_table *t, const struct gf_rs *c)
{
	struct segv sv = { 0 };
	size_t j = 0;
	__u32 h;
	int err = 0;

	for (h = 0; h < GF_TOP_SIZE && !err; h++) {
		gf_u128 lo = (gf_u128)h << 16, hi = lo + 0xffff, addr = lo;

		sv.n = 0;
		while (!err) {
			const struct gf_range *r = seg_at(c, &j, addr);

			err = segv_push(&sv, (__u32)(addr - lo), r->cls);
			if (r->last >= hi)
				break;
			addr = r->last + 1;
		}
		if (err)
			break;
		if (sv.n == 1)
			t->top[h] = sv.v[0].val;
		else
			err = build_tree(t, sv.v, sv.n, 1, 0, &t->top[h]);
	}
	free(sv.v);
	return err;
}

static int build6(struct gf_table *t, const struct gf_rs *c)
{
	size_t j = 0;
	__u32 h;
	int err = 0;

	for (h = 0; h < GF_TOP_SIZE && !err; h++) {
		gf_u128 lo = (gf_u128)h << 112;
		const struct gf_range *r = seg_at(c, &j, lo);

		if (r->last >= lo + (((gf_u128)1 << 112) - 1))
			t->top[h] = r->cls;
		else
			err = region6(t, c, &j, lo, 1, &t->top[h]);
	}
	return err;
}

int gf_table_build(const struct gf_rs *rs, struct gf_table **out)
{
	struct gf_table *t;
	struct gf_rs c;
	int err;

	err = gf_rs_copy(&c, rs);
	if (err)
		return err;
	err = gf_rs_normalize(&c, NULL, NULL);
	if (!err)
		err = gf_rs_fill(&c, GF_CLASS_UNKNOWN);
	if (err) {
		gf_rs_free(&c);
		return err;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		gf_rs_free(&c);
		return -ENOMEM;
	}
	t->family = rs->family;
	t->n_ranges = c.n;
	err = rs->family == 4 ? build4(t, &c) : build6(t, &c);
	gf_rs_free(&c);
	if (err) {
		gf_table_free(t);
		return err;
	}
	*out = t;
	return 0;
}

void gf_table_free(struct gf_table *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->is_leaf);
	free(t);
}

size_t gf_table_bytes(const struct gf_table *t)
{
	return sizeof(t->top) + (size_t)t->n_nodes * 64;
}

static __u32 reloc(__u32 v, __u32 base)
{
	return (v & GF_ENT_TREE) ? v + base : v;
}

void gf_table_relocate(const struct gf_table *t, __u32 base, __u32 *top_dst, void *node_dst)
{
	struct gf_node6 *n = node_dst;
	const struct gf_node6 *src = t->nodes;
	__u32 i, v;

	for (i = 0; i < GF_TOP_SIZE; i++)
		top_dst[i] = reloc(t->top[i], base);
	memcpy(node_dst, t->nodes, (size_t)t->n_nodes * 64);
	if (t->family == 4 || !base)
		return;	/* v4 children are relative to the root */

	/* v6: absolute child indices and next-slice tree values move by base */
	for (i = 0; i < t->n_nodes; i++) {
		if (t->is_leaf[i]) {
			for (v = 0; v < GF_N6_LEAF_VALS; v++)
				n[i].leaf.val[v] = reloc(src[i].leaf.val[v], base);
		} else {
			n[i].inner.first = src[i].inner.first + base;
		}
	}
}

static __u32 le16(__u16 stored, __u32 x)
{
	return ((__u32)stored - x) >> 31;
}

static __u32 le32(__u32 stored, __u32 x)
{
	return ((__u64)stored - (__u64)x) >> 63;
}

static __u16 lookup4(const __u32 *top, const struct gf_node4 *nodes, __u32 addr)
{
	const struct gf_node4 *n;
	__u32 e = top[addr >> 16], x = addr & 0xffff, root, idx, depth, i;

	if (!(e & GF_ENT_TREE))
		return e & GF_ENT_CLASS_MASK;
	root = idx = e & GF_ENT_NODE_MASK;
	depth = (e >> GF_ENT_DEPTH_SHIFT) & GF_ENT_DEPTH_MASK;
	for (__u32 d = 0; d < depth; d++) {
		n = &nodes[idx];
		i = le16(n->inner.key[15], x) << 4;
		i += le16(n->inner.key[i + 7], x) << 3;
		i += le16(n->inner.key[i + 3], x) << 2;
		i += le16(n->inner.key[i + 1], x) << 1;
		i += le16(n->inner.key[i], x);
		idx = root + n->inner.first + i;
	}
	n = &nodes[idx];
	i = le16(n->leaf.key[7], x) << 3;
	i += le16(n->leaf.key[i + 3], x) << 2;
	i += le16(n->leaf.key[i + 1], x) << 1;
	i += le16(n->leaf.key[i], x);
	return n->leaf.cls[i];
}

static __u32 tree6(const struct gf_node6 *nodes, __u32 e, __u32 x)
{
	const struct gf_node6 *n;
	__u32 idx = e & GF_ENT_NODE_MASK, depth = (e >> GF_ENT_DEPTH_SHIFT) & GF_ENT_DEPTH_MASK, i;

	for (__u32 d = 0; d < depth; d++) {
		n = &nodes[idx];
		i = le32(n->inner.key[7], x) << 3;
		i += le32(n->inner.key[i + 3], x) << 2;
		i += le32(n->inner.key[i + 1], x) << 1;
		i += le32(n->inner.key[i], x);
		idx = n->inner.first + i;
	}
	n = &nodes[idx];
	i = le32(n->leaf.key[3], x) << 2;
	i += le32(n->leaf.key[i + 1], x) << 1;
	i += le32(n->leaf.key[i], x);
	return n->leaf.val[i];
}

static __u16 lookup6(const __u32 *top, const struct gf_node6 *nodes, gf_u128 addr)
{
	__u32 a0 = addr >> 96, a1 = addr >> 64, a2 = addr >> 32, a3 = addr;
	__u32 x[4] = { (a0 << 16) | (a1 >> 16), (a1 << 16) | (a2 >> 16),
		       (a2 << 16) | (a3 >> 16), a3 << 16 };
	__u32 e = top[a0 >> 16];

	for (int s = 0; s < GF_V6_SLICES && (e & GF_ENT_TREE); s++)
		e = tree6(nodes, e, x[s]);
	return (e & GF_ENT_TREE) ? GF_CLASS_UNKNOWN : (e & GF_ENT_CLASS_MASK);
}

__u16 gf_table_lookup_raw(int family, const __u32 *top, const void *nodes, gf_u128 addr)
{
	return family == 4 ? lookup4(top, nodes, (__u32)addr) : lookup6(top, nodes, addr);
}

__u16 gf_table_lookup(const struct gf_table *t, gf_u128 addr)
{
	return gf_table_lookup_raw(t->family, t->top, t->nodes, addr);
}

struct both_tables {
	const struct gf_table *t[2];
};

static __u16 lookup_built(const void *ctx, int family, gf_u128 addr)
{
	return gf_table_lookup(((const struct both_tables *)ctx)->t[family == 6], addr);
}

__u16 gf_table_classify(const struct gf_table *t4, const struct gf_table *t6, int family,
			gf_u128 addr, const struct gf_policy *pol)
{
	struct both_tables b = { { t4, t6 } };

	return gf_classify_addr(family, addr, lookup_built, &b, pol);
}
