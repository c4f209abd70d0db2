// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: CIDR list files, Tor files as sources, and combining sources
 * by precedence (user/lib/gf_geo.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "geofence.h"
#include "gf_geo.h"

static gf_u128 A(const char *s)
{
	gf_u128 a;

	assert_true(gf_addr_parse(s, &a) > 0);
	return a;
}

static int parse(const char *text, struct gf_rs rs[2], char *err, size_t errlen)
{
	gf_rs_init(&rs[0], 4);
	gf_rs_init(&rs[1], 6);
	return gf_list_parse(text, strlen(text), "cn.zone", 101, rs, err, errlen);
}

static void test_good_list(void **s)
{
	struct gf_rs rs[2];
	char err[256] = "";

	assert_int_equal(parse("# China\n1.0.1.0/24\r\n  1.0.2.0/23  # trailing comment\n"
			       "; semicolon comment\n\n2001:250::/35\n\t223.255.252.0/23\n"
			       "::ffff:5.5.5.0/120\n8.8.8.8\n2a00::1\n", rs, err, sizeof(err)), 0);
	assert_int_equal(rs[0].n, 5);	/* the mapped prefix and the bare address too */
	assert_int_equal(rs[1].n, 2);
	assert_true(rs[0].v[1].first == A("1.0.2.0") && rs[0].v[1].last == A("1.0.3.255"));
	assert_true(rs[0].v[2].first == A("223.255.252.0"));
	assert_true(rs[0].v[3].first == A("5.5.5.0") && rs[0].v[3].last == A("5.5.5.255"));
	assert_true(rs[0].v[4].first == A("8.8.8.8") && rs[0].v[4].last == A("8.8.8.8"));
	assert_true(rs[1].v[1].first == A("2a00::1") && rs[1].v[1].last == A("2a00::1"));
	assert_int_equal(rs[0].v[0].cls, 101);
	gf_rs_free(&rs[0]);
	gf_rs_free(&rs[1]);
}

static void test_bad_lines(void **s)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "1.0.1.0/24\n1.0.1.0/33\n", "cn.zone:2: '1.0.1.0/33' is not an IPv4 or IPv6 prefix" },
		{ "1.0.1.0/24 1.0.2.0/24\n", "cn.zone:1: one prefix per line" },
		{ "\n\n1.0.1.1/24\n", "cn.zone:3: '1.0.1.1/24' has host bits set: did you mean 1.0.1.0/24?" },
		{ "2001:db8::1/32\n", "cn.zone:1: '2001:db8::1/32' has host bits set: did you mean 2001:db8::/32?" },
		{ "::ffff:0:0/95\n", "cn.zone:1: '::ffff:0:0/95' reaches beyond IPv4-mapped space" },
		{ "hello\n", "cn.zone:1: 'hello' is not an IPv4 or IPv6 prefix" },
		{ "1.2.3.4/\n", "cn.zone:1:" },
		{ "1.2.3.0/24,\n", "cn.zone:1:" },
		{ "300.1.1.0/24\n", "cn.zone:1:" },
		{ "1.2.3.0/24\n\0001.2.3.4\n", "cn.zone:2: not a prefix" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct gf_rs rs[2];
		char err[256] = "";
		size_t len = strlen(cases[i].text);

		if (i == 9)
			len = 20;	/* "1.2.3.0/24\n" NUL "1.2.3.4\n" */
		gf_rs_init(&rs[0], 4);
		gf_rs_init(&rs[1], 6);
		assert_int_equal(gf_list_parse(cases[i].text, len, "cn.zone", 101, rs, err,
					       sizeof(err)), -EINVAL);
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
		gf_rs_free(&rs[0]);
		gf_rs_free(&rs[1]);
	}
}

static void test_cc_from_name(void **s)
{
	char cc[3];

	assert_int_equal(gf_list_cc_from_name("/etc/geofence/lists/cn.zone", cc), 0);
	assert_string_equal(cc, "CN");
	assert_int_equal(gf_list_cc_from_name("RU.txt", cc), 0);
	assert_string_equal(cc, "RU");
	assert_int_equal(gf_list_cc_from_name("ir-aggregated.zone", cc), 0);
	assert_string_equal(cc, "IR");
	assert_int_equal(gf_list_cc_from_name("gf-cli-de.zone", cc), -EINVAL);
	assert_int_equal(gf_list_cc_from_name("de_list.zone", cc), -EINVAL);
	assert_int_equal(gf_list_cc_from_name("kp", cc), 0);
	assert_int_equal(gf_list_cc_from_name("china.zone", cc), -EINVAL);
	assert_int_equal(gf_list_cc_from_name("c.zone", cc), -EINVAL);
	assert_int_equal(gf_list_cc_from_name("/x/.zone", cc), -EINVAL);
}

static char *write_tmp(const char *name, const char *text)
{
	static char dir[64];
	char *path;
	FILE *f;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/gf-lists-XXXXXX");
		assert_non_null(mkdtemp(dir));
	}
	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_file_loader(void **s)
{
	struct gf_geo g;
	char err[512] = "";
	char *p = write_tmp("cu.zone", "152.206.0.0/15\n152.206.0.0/16\n190.6.64.0/19\n");

	/* nested prefixes of one country collapse; the country comes from the name */
	assert_int_equal(gf_geo_load(&g, GF_GEO_LIST, p, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(g.rs[0].n, 2);
	assert_int_equal(g.rs[0].v[0].cls, gf_class_from_cc("CU"));
	assert_int_equal(g.networks, 3);
	gf_geo_free(&g);
	/* an explicit country wins over the name */
	assert_int_equal(gf_geo_load(&g, GF_GEO_LIST, p, "VE", NULL, err, sizeof(err)), 0);
	assert_int_equal(g.rs[0].v[0].cls, gf_class_from_cc("VE"));
	gf_geo_free(&g);
	assert_int_equal(gf_geo_load(&g, GF_GEO_LIST, p, "Venezuela", NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a two-character country code"));
	free(p);

	p = write_tmp("lists.txt", "1.0.0.0/8\n");
	assert_int_equal(gf_geo_load(&g, GF_GEO_LIST, p, NULL, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cannot tell the country from the file name"));
	free(p);

	p = write_tmp("kp.zone", "175.45.176.0/22\n175.45.176.1/22\n");
	assert_int_equal(gf_geo_load(&g, GF_GEO_LIST, p, NULL, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "kp.zone:2:"));
	assert_int_equal(g.rs[0].n, 0);		/* rejected whole */
	free(p);

	assert_int_equal(gf_geo_load(&g, GF_GEO_LIST, "/nonexistent/cn.zone", NULL, NULL, err,
				     sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/cn.zone"));
}

static void test_tor_source(void **s)
{
	struct gf_geo g;
	char err[512] = "";
	char *p4 = write_tmp("geoip", "# x\n16777216,16777471,AU\n16777472,16778239,CN\n");
	char *p6 = write_tmp("geoip6", "2001:2::,2001:2:0:ffff:ffff:ffff:ffff:ffff,JP\n");

	assert_int_equal(gf_geo_load(&g, GF_GEO_TOR, p4, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(g.rs[0].n, 2);
	assert_int_equal(g.rs[1].n, 0);
	gf_geo_free(&g);
	assert_int_equal(gf_geo_load(&g, GF_GEO_TOR, p6, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(g.rs[1].n, 1);
	gf_geo_free(&g);
	free(p4);
	free(p6);
}

/* later sources win where they have data; disagreements are counted */
static void test_combine_precedence(void **s)
{
	struct gf_geo src[3];
	struct gf_rs out[2];
	struct gf_geo_conflicts c;
	char err[512];
	char *a = write_tmp("cn.zone", "10.0.0.0/8\n2001:db8::/32\n");
	char *b = write_tmp("us.zone", "10.1.0.0/16\n11.0.0.0/8\n");
	char *d = write_tmp("de.zone", "10.1.2.0/24\n");

	assert_int_equal(gf_geo_load(&src[0], GF_GEO_LIST, a, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(gf_geo_load(&src[1], GF_GEO_LIST, b, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(gf_geo_load(&src[2], GF_GEO_LIST, d, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(gf_geo_combine(src, 3, out, &c), 0);
	assert_int_equal(gf_rs_find(&out[0], A("10.0.0.1"), 0), gf_class_from_cc("CN"));
	assert_int_equal(gf_rs_find(&out[0], A("10.1.0.1"), 0), gf_class_from_cc("US"));
	assert_int_equal(gf_rs_find(&out[0], A("10.1.2.1"), 0), gf_class_from_cc("DE"));
	assert_int_equal(gf_rs_find(&out[0], A("11.2.3.4"), 0), gf_class_from_cc("US"));
	assert_int_equal(gf_rs_find(&out[1], A("2001:db8::1"), 0), gf_class_from_cc("CN"));
	/* 10.1/16 (US over CN) and 10.1.2/24 (DE over US) */
	assert_int_equal(c.ranges, 2);
	assert_true(c.addresses[0] == 65536 + 256);
	assert_non_null(strstr(c.first, "10.1.0.0-10.1.255.255"));
	assert_non_null(strstr(c.first, "says CN"));
	/* the other order: CN wins everywhere it has data */
	{
		struct gf_geo rev[3] = { src[2], src[1], src[0] };
		struct gf_rs out2[2];

		assert_int_equal(gf_geo_combine(rev, 3, out2, &c), 0);
		assert_int_equal(gf_rs_find(&out2[0], A("10.1.2.1"), 0), gf_class_from_cc("CN"));
		assert_int_equal(gf_rs_find(&out2[0], A("11.2.3.4"), 0), gf_class_from_cc("US"));
		gf_rs_free(&out2[0]);
		gf_rs_free(&out2[1]);
	}
	for (int i = 0; i < 3; i++)
		gf_geo_free(&src[i]);
	gf_rs_free(&out[0]);
	gf_rs_free(&out[1]);
	free(a);
	free(b);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_list),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_cc_from_name),
		cmocka_unit_test(test_file_loader),
		cmocka_unit_test(test_tor_source),
		cmocka_unit_test(test_combine_precedence),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
