// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the table builder (user/lib/gf_table.c).  Every built table
 * is checked against the sorted-range reference on random, boundary and
 * neighbouring addresses; shapes cover direct entries, every tree depth,
 * IPv6 slice descents down to /128, the ends of the address space, and
 * relocation into a generation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "geofence.h"
#include "gf_rand.h"
#include "gf_table.h"

static struct gf_rand rng = { 0xfedcba9876543210ull };

static __u64 rnd(void)
{
	return gf_rand64(&rng);
}

static gf_u128 rnd128(void)
{
	return ((gf_u128)rnd() << 64) | rnd();
}

/* Compare the table with the reference around every range and at random. */
static void check_table(const struct gf_rs *in, const struct gf_table *t)
{
	struct gf_rs ref;
	const gf_u128 max = gf_family_max(in->family);

	gf_rs_copy(&ref, in);
	assert_int_equal(gf_rs_normalize(&ref, NULL, NULL), 0);
	for (size_t i = 0; i < ref.n; i++) {
		gf_u128 probe[] = { ref.v[i].first, ref.v[i].last, ref.v[i].first - 1,
				    ref.v[i].last + 1,
				    ref.v[i].first + rnd128() % (ref.v[i].last - ref.v[i].first + 1 ?: max) };

		for (size_t k = 0; k < sizeof(probe) / sizeof(*probe); k++) {
			gf_u128 a = probe[k] & max;

			if (gf_table_lookup(t, a) != gf_rs_find(&ref, a, GF_CLASS_UNKNOWN)) {
				char b[64];

				fail_msg("%s: table %u, reference %u", gf_addr_str(in->family, a, b, 64),
					 gf_table_lookup(t, a), gf_rs_find(&ref, a, GF_CLASS_UNKNOWN));
			}
		}
	}
	for (int i = 0; i < 20000; i++) {
		gf_u128 a = rnd128() & max;

		assert_int_equal(gf_table_lookup(t, a), gf_rs_find(&ref, a, GF_CLASS_UNKNOWN));
	}
	assert_int_equal(gf_table_lookup(t, 0), gf_rs_find(&ref, 0, GF_CLASS_UNKNOWN));
	assert_int_equal(gf_table_lookup(t, max), gf_rs_find(&ref, max, GF_CLASS_UNKNOWN));
	gf_rs_free(&ref);
}

static struct gf_table *build(const struct gf_rs *rs)
{
	struct gf_table *t = NULL;

	assert_int_equal(gf_table_build(rs, &t), 0);
	check_table(rs, t);
	return t;
}

static void test_empty_and_full(void **state)
{
	for (int f = 4; f <= 6; f += 2) {
		struct gf_rs rs;
		struct gf_table *t;

		gf_rs_init(&rs, f);
		t = build(&rs);
		assert_int_equal(t->n_nodes, 0);
		assert_int_equal(gf_table_lookup(t, 12345), GF_CLASS_UNKNOWN);
		gf_table_free(t);
		gf_rs_add(&rs, 0, gf_family_max(f), 77, 0);
		t = build(&rs);
		assert_int_equal(t->n_nodes, 0);
		assert_int_equal(gf_table_lookup(t, gf_family_max(f)), 77);
		gf_table_free(t);
		gf_rs_free(&rs);
	}
}

/* n ranges in one /16: leaf (<=16), depth 1 (<=512), 2 (<=16384), 3. */
static void test_v4_depths(void **state)
{
	const int sizes[] = { 2, 16, 17, 512, 513, 16384, 16385, 65536 };
	const __u32 want_depth[] = { 0, 0, 1, 1, 2, 2, 3, 3 };

	for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
		struct gf_rs rs;
		struct gf_table *t;
		int n = sizes[s];

		gf_rs_init(&rs, 4);
		for (int i = 0; i < n; i++) {
			__u32 lo = 0x0a0b0000 + (__u32)((__u64)i * 65536 / n);
			__u32 hi = 0x0a0b0000 + (__u32)((__u64)(i + 1) * 65536 / n) - 1;

			gf_rs_add(&rs, lo, hi, 16 + i % 2, i);	/* alternate: no merging */
		}
		t = build(&rs);
		assert_int_equal(t->max_depth, want_depth[s]);
		assert_int_equal(t->n_trees, 1);
		gf_table_free(t);
		gf_rs_free(&rs);
	}
}

static void test_v4_random(void **state)
{
	for (int round = 0; round < 30; round++) {
		struct gf_rs rs;
		struct gf_table *t;
		gf_u128 a = rnd() % 4096;

		gf_rs_init(&rs, 4);
		/* random partition of a random span, with gaps */
		while (a < 0xffffffffull) {
			gf_u128 len = 1 + (round % 2 ? rnd() % 300 : rnd() % 5000000);

			if (a + len - 1 > 0xffffffffull)
				len = 0xffffffffull - a + 1;
			if (rnd() % 4)
				gf_rs_add(&rs, a, a + len - 1, rnd() % 8, 0);
			a += len;
			if (rs.n > 200000)
				break;
		}
		t = build(&rs);
		gf_table_free(t);
		gf_rs_free(&rs);
	}
}

/* IPv6 shapes: long prefixes force descents through every slice. */
static void test_v6_slices(void **state)
{
	struct gf_rs rs;
	struct gf_table *t;
	gf_u128 base = (gf_u128)0x2a020000 << 96;

	gf_rs_init(&rs, 6);
	gf_rs_add_prefix(&rs, base, 16, 20, 0);
	t = build(&rs);
	assert_int_equal(t->n_nodes, 0);	/* a whole /16: direct */
	gf_table_free(t);
	gf_rs_free(&rs);

	gf_rs_init(&rs, 6);
	for (int len = 20; len <= 128; len++) {
		/* one prefix of each length at a distinct place */
		gf_u128 a = base | ((gf_u128)(len - 19) << 100);

		gf_rs_add_prefix(&rs, a, len, 30 + len % 5, len);
	}
	gf_rs_add(&rs, ~(gf_u128)0 - 3, ~(gf_u128)0, 9, 0);	/* the very end */
	gf_rs_add(&rs, 0, 0, 8, 0);				/* the very start */
	assert_int_equal(gf_rs_flatten(&rs, NULL, NULL), 0);	/* nested: most specific wins */
	t = build(&rs);
	assert_true(t->max_slices >= 4);
	gf_table_free(t);
	gf_rs_free(&rs);
}

static void test_v6_random(void **state)
{
	for (int round = 0; round < 20; round++) {
		struct gf_rs rs;
		struct gf_table *t;
		int n = 2000 + rnd() % 20000;

		gf_rs_init(&rs, 6);
		for (int i = 0; i < n; i++) {
			/* clustered: a few /32s, prefixes of 29..128 */
			gf_u128 a = ((gf_u128)(0x20010000 | (rnd() % 4)) << 96) | (rnd128() >> 32);
			int len = 29 + rnd() % 100;

			/* the class follows the prefix: identical prefixes agree */
			gf_rs_add_prefix(&rs, a, len, 0, i);
			rs.v[rs.n - 1].cls = 16 + (__u32)(((rs.v[rs.n - 1].first >> 72) * 31) ^ len) % 12;
		}
		/* nested random prefixes: the most specific wins */
		assert_int_equal(gf_rs_flatten(&rs, NULL, NULL), 0);
		t = build(&rs);
		gf_table_free(t);
		gf_rs_free(&rs);
	}
}

/* Relocation moves every absolute index by base and nothing else. */
static void test_relocate(void **state)
{
	struct gf_rs rs;
	struct gf_table *t;
	const __u32 base = 1000;
	__u32 top[GF_TOP_SIZE];
	struct gf_node6 *nodes;

	gf_rs_init(&rs, 6);
	for (int i = 0; i < 5000; i++)
		gf_rs_add_prefix(&rs, ((gf_u128)0x24000000 << 96) | ((gf_u128)rnd() << 40),
				 48 + rnd() % 70, 16 + i % 3, i);
	gf_rs_flatten(&rs, NULL, NULL);
	t = build(&rs);
	nodes = calloc(t->n_nodes, sizeof(*nodes));
	gf_table_relocate(t, base, top, nodes);
	for (__u32 i = 0; i < GF_TOP_SIZE; i++)
		assert_int_equal(top[i], (t->top[i] & GF_ENT_TREE) ? t->top[i] + base : t->top[i]);
	for (__u32 i = 0; i < t->n_nodes; i++) {
		const struct gf_node6 *src = (const struct gf_node6 *)t->nodes + i;

		if (t->is_leaf[i]) {
			for (int v = 0; v < GF_N6_LEAF_VALS; v++)
				assert_int_equal(nodes[i].leaf.val[v], (src->leaf.val[v] & GF_ENT_TREE) ?
							src->leaf.val[v] + base : src->leaf.val[v]);
			assert_memory_equal(nodes[i].leaf.key, src->leaf.key, sizeof(src->leaf.key));
		} else {
			assert_int_equal(nodes[i].inner.first, src->inner.first + base);
			assert_memory_equal(nodes[i].inner.key, src->inner.key, sizeof(src->inner.key));
		}
	}
	free(nodes);
	gf_table_free(t);
	gf_rs_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_full),
		cmocka_unit_test(test_v4_depths),
		cmocka_unit_test(test_v4_random),
		cmocka_unit_test(test_v6_slices),
		cmocka_unit_test(test_v6_random),
		cmocka_unit_test(test_relocate),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
