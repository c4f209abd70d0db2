// SPDX-License-Identifier: GPL-2.0
/* Unit tests: range sets, prefix parsing, layering (user/lib/gf_ranges.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "geofence.h"
#include "gf_rand.h"
#include "gf_ranges.h"

static struct gf_rand rng = { 0x0123456789abcdefull };

static __u64 rnd(void)
{
	return gf_rand64(&rng);
}

static gf_u128 P(const char *s)
{
	gf_u128 a;
	int len;

	assert_true(gf_prefix_parse(s, &a, &len) > 0);
	return a;
}

static void test_prefix_parse(void **state)
{
	gf_u128 a;
	int len;

	assert_int_equal(gf_prefix_parse("10.1.2.3/8", &a, &len), 4);
	assert_int_equal(len, 8);
	assert_true(a == 0x0a010203);
	assert_int_equal(gf_prefix_parse("2001:db8::/32", &a, &len), 6);
	assert_int_equal(len, 32);
	assert_true(a >> 96 == 0x20010db8);
	assert_int_equal(gf_prefix_parse("192.0.2.1", &a, &len), 4);
	assert_int_equal(len, 32);
	assert_int_equal(gf_prefix_parse("::1", &a, &len), 6);
	assert_int_equal(len, 128);
	assert_int_equal(gf_prefix_parse("::ffff:1.2.3.4/128", &a, &len), 6);
	assert_true(a == (((gf_u128)0xffff << 32) | 0x01020304));

	const char *bad[] = { "1.2.3.4/33", "::/129", "1.2.3.4/", "/8", "1.2.3", "1.2.3.4/-1",
			      "1.2.3.4/8x", "zz::1", "", "1.2.3.4 /8", "1.2.3.256" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(gf_prefix_parse(bad[i], &a, &len), -EINVAL);
}

static void test_add_prefix_masks_host_bits(void **state)
{
	struct gf_rs rs;

	gf_rs_init(&rs, 4);
	assert_int_equal(gf_rs_add_prefix(&rs, P("10.1.2.3"), 8, 5, 0), 0);
	assert_true(rs.v[0].first == P("10.0.0.0") && rs.v[0].last == P("10.255.255.255"));
	assert_int_equal(gf_rs_add_prefix(&rs, 0, 0, 5, 0), 0);
	assert_true(rs.v[1].first == 0 && rs.v[1].last == 0xffffffffu);
	assert_int_equal(gf_rs_add_prefix(&rs, 0, 33, 5, 0), -EINVAL);
	assert_int_equal(gf_rs_add(&rs, 5, 4, 1, 0), -EINVAL);		/* first > last */
	assert_int_equal(gf_rs_add(&rs, 0, (gf_u128)1 << 32, 1, 0), -EINVAL);	/* beyond IPv4 */
	gf_rs_free(&rs);

	gf_rs_init(&rs, 6);
	assert_int_equal(gf_rs_add_prefix(&rs, ~(gf_u128)0, 0, 5, 0), 0);
	assert_true(rs.v[0].first == 0 && rs.v[0].last == ~(gf_u128)0);
	assert_int_equal(gf_rs_add_prefix(&rs, ~(gf_u128)0, 128, 5, 0), 0);
	assert_true(rs.v[1].first == ~(gf_u128)0);
	gf_rs_free(&rs);
}

static void test_normalize(void **state)
{
	struct gf_rs rs;
	__u32 a, b;

	gf_rs_init(&rs, 4);
	gf_rs_add(&rs, 20, 29, 1, 1);
	gf_rs_add(&rs, 10, 19, 1, 2);	/* adjacent, same class: merges */
	gf_rs_add(&rs, 30, 39, 2, 3);	/* adjacent, other class: stays */
	gf_rs_add(&rs, 41, 50, 2, 4);	/* gap: stays */
	assert_int_equal(gf_rs_normalize(&rs, &a, &b), 0);
	assert_int_equal(rs.n, 3);
	assert_true(rs.v[0].first == 10 && rs.v[0].last == 29);
	assert_true(rs.v[1].first == 30 && rs.v[2].first == 41);

	gf_rs_add(&rs, 45, 60, 3, 9);
	assert_int_equal(gf_rs_normalize(&rs, &a, &b), -EINVAL);
	assert_true((a == 4 && b == 9) || (a == 9 && b == 4));
	gf_rs_free(&rs);
}

/* Brute-force oracle for flatten: the smallest containing range wins. */
static void test_flatten_property(void **state)
{
	for (int round = 0; round < 200; round++) {
		struct gf_rs rs, orig;
		int n = 1 + rnd() % 40;

		gf_rs_init(&rs, 4);
		for (int i = 0; i < n; i++) {
			int len = 20 + rnd() % 13;	/* inside 10.0.0.0/20 .. /32 */
			gf_u128 a = 0x0a000000 | (rnd() & 0xfff);

			gf_rs_add_prefix(&rs, a, len, i + 1, i);
		}
		/* identical prefixes must carry one class: dedupe by giving equal
		 * prefixes the class of the first */
		for (size_t i = 0; i < rs.n; i++)
			for (size_t j = 0; j < i; j++)
				if (rs.v[i].first == rs.v[j].first && rs.v[i].last == rs.v[j].last)
					rs.v[i].cls = rs.v[j].cls;
		gf_rs_copy(&orig, &rs);
		assert_int_equal(gf_rs_flatten(&rs, NULL, NULL), 0);
		for (size_t i = 1; i < rs.n; i++)
			assert_true(rs.v[i - 1].last < rs.v[i].first);
		for (__u32 addr = 0x0a000000; addr < 0x0a001000; addr++) {
			gf_u128 best = ~(gf_u128)0;
			int want = 0;

			for (size_t i = 0; i < orig.n; i++) {
				gf_u128 size = orig.v[i].last - orig.v[i].first;

				if (orig.v[i].first <= addr && addr <= orig.v[i].last && size < best) {
					best = size;
					want = orig.v[i].cls;
				}
			}
			assert_int_equal(gf_rs_find(&rs, addr, 0), want);
		}
		gf_rs_free(&rs);
		gf_rs_free(&orig);
	}
}

static void test_flatten_conflicts(void **state)
{
	struct gf_rs rs;
	__u32 a = 0, b = 0;

	gf_rs_init(&rs, 4);
	gf_rs_add_prefix(&rs, P("10.0.0.0"), 8, 1, 7);
	gf_rs_add_prefix(&rs, P("10.0.0.0"), 8, 2, 8);
	assert_int_equal(gf_rs_flatten(&rs, &a, &b), -EINVAL);
	assert_true((a == 7 && b == 8) || (a == 8 && b == 7));
	gf_rs_free(&rs);

	gf_rs_init(&rs, 4);
	gf_rs_add(&rs, 10, 20, 1, 1);
	gf_rs_add(&rs, 15, 25, 2, 2);	/* partial overlap: not a laminar set */
	assert_int_equal(gf_rs_flatten(&rs, &a, &b), -EINVAL);
	gf_rs_free(&rs);

	gf_rs_init(&rs, 4);
	gf_rs_add_prefix(&rs, P("10.0.0.0"), 8, 1, 1);
	gf_rs_add_prefix(&rs, P("10.0.0.0"), 8, 1, 2);	/* same class twice: fine */
	assert_int_equal(gf_rs_flatten(&rs, NULL, NULL), 0);
	assert_int_equal(rs.n, 1);
	gf_rs_free(&rs);
}

/* Brute-force oracle for overlay on a small space, both ends included. */
static void test_overlay_property(void **state)
{
	for (int round = 0; round < 300; round++) {
		struct gf_rs base, top, out;
		__u32 lo = round % 3 == 0 ? 0xffffff00u : 0;	/* exercise the top of the space */

		gf_rs_init(&base, 4);
		gf_rs_init(&top, 4);
		for (__u32 a = lo; a - lo < 256;) {
			__u32 len = 1 + rnd() % 20;

			if (a - lo + len > 256)
				len = 256 - (a - lo);
			if (rnd() % 3)
				gf_rs_add(&base, a, a + len - 1, 1 + rnd() % 3, 0);
			a += len;
			if (a == 0)
				break;
		}
		for (__u32 a = lo; a - lo < 256;) {
			__u32 len = 1 + rnd() % 30;

			if (a - lo + len > 256)
				len = 256 - (a - lo);
			if (rnd() % 2)
				gf_rs_add(&top, a, a + len - 1, 10 + rnd() % 3, 0);
			a += len;
			if (a == 0)
				break;
		}
		gf_rs_normalize(&base, NULL, NULL);
		gf_rs_normalize(&top, NULL, NULL);
		assert_int_equal(gf_rs_overlay(&base, &top, &out), 0);
		for (size_t i = 1; i < out.n; i++) {
			assert_true(out.v[i - 1].last < out.v[i].first);
			/* normalized: no mergeable neighbours */
			assert_false(out.v[i - 1].last + 1 == out.v[i].first &&
				     out.v[i - 1].cls == out.v[i].cls);
		}
		for (__u32 k = 0; k < 256; k++) {
			__u16 t = gf_rs_find(&top, lo + k, 0), b = gf_rs_find(&base, lo + k, 0);

			assert_int_equal(gf_rs_find(&out, lo + k, 0), t ? t : b);
		}
		gf_rs_free(&base);
		gf_rs_free(&top);
		gf_rs_free(&out);
	}
}

static void test_fill_and_find(void **state)
{
	struct gf_rs rs;

	gf_rs_init(&rs, 6);
	gf_rs_add(&rs, 100, 200, 3, 0);
	gf_rs_add(&rs, ~(gf_u128)0 - 5, ~(gf_u128)0, 4, 0);
	gf_rs_normalize(&rs, NULL, NULL);
	assert_int_equal(gf_rs_fill(&rs, 9), 0);
	assert_int_equal(rs.n, 4);
	assert_true(rs.v[0].first == 0 && rs.v[0].last == 99 && rs.v[0].cls == 9);
	assert_true(rs.v[3].last == ~(gf_u128)0 && rs.v[3].cls == 4);
	assert_int_equal(gf_rs_find(&rs, 150, 0), 3);
	assert_int_equal(gf_rs_find(&rs, 201, 0), 9);
	assert_int_equal(gf_rs_find(&rs, ~(gf_u128)0, 0), 4);
	gf_rs_free(&rs);
}

static void test_compose_precedence(void **state)
{
	struct gf_rs c, o, out;
	char err[128];

	gf_rs_init(&c, 4);
	gf_rs_init(&o, 4);
	gf_rs_add_prefix(&c, P("10.0.0.0"), 8, 100, 1);	/* bogus data: a country on RFC 1918 */
	gf_rs_add_prefix(&c, P("1.0.0.0"), 8, 101, 2);
	gf_rs_add_prefix(&o, P("1.2.0.0"), 16, GF_CLASS_OVERRIDE_BASE, 3);
	gf_rs_add_prefix(&o, P("1.2.3.4"), 32, GF_CLASS_OVERRIDE_BASE + 1, 4);
	gf_rs_add_prefix(&o, P("10.9.0.0"), 16, GF_CLASS_OVERRIDE_BASE + 2, 5);
	assert_int_equal(gf_rs_compose(&c, &o, &out, err, sizeof(err)), 0);
	assert_int_equal(gf_rs_find(&out, P("10.1.1.1"), 0), GF_CLASS_RESERVED);
	assert_int_equal(gf_rs_find(&out, P("10.9.1.1"), 0), GF_CLASS_OVERRIDE_BASE + 2);
	assert_int_equal(gf_rs_find(&out, P("1.1.1.1"), 0), 101);
	assert_int_equal(gf_rs_find(&out, P("1.2.3.3"), 0), GF_CLASS_OVERRIDE_BASE);
	assert_int_equal(gf_rs_find(&out, P("1.2.3.4"), 0), GF_CLASS_OVERRIDE_BASE + 1);
	assert_int_equal(gf_rs_find(&out, P("255.255.255.255"), 0), GF_CLASS_RESERVED);
	assert_int_equal(gf_rs_find(&out, P("8.8.8.8"), 7), 7);	/* uncovered */
	gf_rs_free(&out);

	/* overlapping countries are rejected, naming the entries */
	gf_rs_add_prefix(&c, P("1.5.0.0"), 16, 102, 42);
	assert_int_equal(gf_rs_compose(&c, NULL, &out, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "42"));
	gf_rs_free(&c);
	gf_rs_free(&o);
}

static void test_reserved_v6(void **state)
{
	struct gf_rs c, out;
	char err[128];

	gf_rs_init(&c, 6);
	assert_int_equal(gf_rs_compose(&c, NULL, &out, err, sizeof(err)), 0);
	const char *res[] = { "fe80::1", "fd00::1", "ff02::1", "::1", "::", "2001:db8::5",
			      "::ffff:8.8.8.8", "3fff::1" };
	for (size_t i = 0; i < sizeof(res) / sizeof(*res); i++)
		assert_int_equal(gf_rs_find(&out, P(res[i]), 0), GF_CLASS_RESERVED);
	assert_int_equal(gf_rs_find(&out, P("2001:4860::1"), 0), 0);
	gf_rs_free(&out);
	gf_rs_free(&c);
}

static void test_country_codes(void **state)
{
	char buf[32];
	int seen = 0;

	for (int a = 0; a < 36; a++) {
		for (int b = 0; b < 36; b++) {
			char cc[3] = { a < 26 ? 'A' + a : '0' + a - 26, b < 26 ? 'A' + b : '0' + b - 26, 0 };
			int cls = gf_class_from_cc(cc);

			assert_true(cls >= GF_CLASS_COUNTRY_BASE && cls < GF_CLASS_COUNTRY_END);
			assert_string_equal(gf_class_name(cls, buf, sizeof(buf)), cc);
			seen++;
		}
	}
	assert_int_equal(seen, GF_CLASS_COUNTRY_END - GF_CLASS_COUNTRY_BASE);
	assert_int_equal(gf_class_from_cc("de"), gf_class_from_cc("DE"));
	assert_int_equal(gf_class_from_cc("D"), -EINVAL);
	assert_int_equal(gf_class_from_cc("DEU"), -EINVAL);
	assert_int_equal(gf_class_from_cc("??"), -EINVAL);
	assert_int_equal(gf_class_from_cc(""), -EINVAL);
	assert_string_equal(gf_class_name(GF_CLASS_UNKNOWN, buf, sizeof(buf)), "unknown");
	assert_string_equal(gf_class_name(GF_CLASS_RESERVED, buf, sizeof(buf)), "reserved");
	assert_string_equal(gf_class_name(GF_CLASS_OVERRIDE_BASE + 3, buf, sizeof(buf)), "override:3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_parse),
		cmocka_unit_test(test_add_prefix_masks_host_bits),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_flatten_property),
		cmocka_unit_test(test_flatten_conflicts),
		cmocka_unit_test(test_overlay_property),
		cmocka_unit_test(test_fill_and_find),
		cmocka_unit_test(test_compose_precedence),
		cmocka_unit_test(test_reserved_v6),
		cmocka_unit_test(test_country_codes),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
