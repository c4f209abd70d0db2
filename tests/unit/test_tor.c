// SPDX-License-Identifier: GPL-2.0
/* Unit tests: Tor geoip/geoip6 range files (user/lib/gf_tor.c). */
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
#include "gf_tor.h"

static char path[64];

static const char *write_file(const char *text)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/gf-tor-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_v4_good(void **state)
{
	struct gf_rs rs;
	char err[256] = "";

	gf_rs_init(&rs, 4);
	write_file("# comment\n\n16777216,16777471,AU\r\n16777472,16778239,cn\n"
		   "15726992,15726999,??\n4294967040,4294967295,ZZ\n");
	assert_int_equal(gf_tor_load(path, &rs, err, sizeof(err)), 0);
	assert_int_equal(rs.n, 3);	/* ?? is left out */
	assert_true(rs.v[0].first == 16777216 && rs.v[0].last == 16777471);
	assert_int_equal(rs.v[0].cls, gf_class_from_cc("AU"));
	assert_int_equal(rs.v[1].cls, gf_class_from_cc("CN"));
	assert_int_equal(rs.v[0].tag, 3);	/* line number */
	assert_true(rs.v[2].last == 0xffffffffu);
	unlink(path);
	gf_rs_free(&rs);
}

static void test_v6_good(void **state)
{
	struct gf_rs rs;
	char err[256] = "";

	gf_rs_init(&rs, 6);
	write_file("2001:2::,2001:2:0:ffff:ffff:ffff:ffff:ffff,JP\n2001::,2001:0:ffff:ffff:ffff:ffff:ffff:ffff,??\n");
	assert_int_equal(gf_tor_load(path, &rs, err, sizeof(err)), 0);
	assert_int_equal(rs.n, 1);
	assert_true(rs.v[0].first >> 64 == 0x2001000200000000ull);
	unlink(path);
	gf_rs_free(&rs);
}

static void test_bad_lines(void **state)
{
	const struct {
		int family;
		const char *text, *want;
	} cases[] = {
		{ 4, "1,2,US\n3,4\n", ":2: expected FIRST,LAST,CC" },
		{ 4, "1,2,US,extra\n", ":1: expected FIRST,LAST,CC" },
		{ 4, "1,x,US\n", ":1: bad IPv4 address" },
		{ 4, "1,4294967296,US\n", ":1: bad IPv4 address" },
		{ 4, "-1,2,US\n", ":1: bad IPv4 address" },
		{ 4, ",2,US\n", ":1: bad IPv4 address" },
		{ 4, "5,4,US\n", ":1: range ends before it starts" },
		{ 4, "1,2,USA\n", ":1: bad country code 'USA'" },
		{ 4, "1,2,U$\n", ":1: bad country code" },
		{ 6, "1.2.3.4,1.2.3.5,US\n", ":1: bad IPv6 address" },
		{ 6, "2001::,2000::,US\n", ":1: range ends before it starts" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct gf_rs rs;
		char err[256] = "";

		gf_rs_init(&rs, cases[i].family);
		write_file(cases[i].text);
		assert_int_equal(gf_tor_load(path, &rs, err, sizeof(err)), -EINVAL);
		/* the message names the file and the line */
		assert_non_null(strstr(err, path));
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
		unlink(path);
		gf_rs_free(&rs);
	}
}

static void test_missing_file(void **state)
{
	struct gf_rs rs;
	char err[256] = "";

	gf_rs_init(&rs, 4);
	assert_int_equal(gf_tor_load("/nonexistent/geoip", &rs, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/geoip"));
	gf_rs_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_good),
		cmocka_unit_test(test_v6_good),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_missing_file),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
