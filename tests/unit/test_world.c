// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the classification pipeline (user/lib/gf_world.c) keeps what
 * it had when new input is bad, and builds nothing half.
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
#include "gf_world.h"

static gf_u128 A(const char *s)
{
	gf_u128 a;

	assert_true(gf_addr_parse(s, &a) > 0);
	return a;
}

static void test_bad_overrides_keep_tables(void **s)
{
	struct gf_world w;
	struct gf_rs o4, o6;
	struct gf_table *t4, *t6;
	char err[512];

	assert_int_equal(gf_world_load_default(&w, err, sizeof(err)), 0);
	t4 = w.table[0];
	t6 = w.table[1];
	assert_int_equal(gf_table_lookup(t4, A("1.0.1.1")), gf_class_from_cc("CN"));

	/* the same prefix twice with different actions: rejected */
	gf_rs_init(&o4, 4);
	gf_rs_init(&o6, 6);
	gf_rs_add_prefix(&o4, A("1.0.1.0"), 24, GF_CLASS_OVERRIDE_BASE, 7);
	gf_rs_add_prefix(&o4, A("1.0.1.0"), 24, GF_CLASS_OVERRIDE_BASE + 1, 8);
	assert_int_equal(gf_world_rebuild(&w, &o4, &o6, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "overrides 7 and 8"));
	/* the tables are the old ones, untouched */
	assert_ptr_equal(w.table[0], t4);
	assert_ptr_equal(w.table[1], t6);
	assert_int_equal(gf_table_lookup(w.table[0], A("1.0.1.1")), gf_class_from_cc("CN"));

	/* a good rebuild replaces them */
	gf_rs_clear(&o4);
	gf_rs_add_prefix(&o4, A("1.0.1.0"), 24, GF_CLASS_OVERRIDE_BASE, 7);
	assert_int_equal(gf_world_rebuild(&w, &o4, &o6, err, sizeof(err)), 0);
	assert_int_equal(gf_table_lookup(w.table[0], A("1.0.1.1")), GF_CLASS_OVERRIDE_BASE);
	gf_rs_free(&o4);
	gf_rs_free(&o6);
	gf_world_free(&w);
}

static void test_bad_source_builds_nothing(void **s)
{
	struct gf_source_spec specs[2] = {
		{ .kind = GF_GEO_MMDB, .path = GF_BUILD_DB },
		{ .kind = GF_GEO_LIST, .path = "/tmp/gf-world-test-cn.zone" },
	};
	struct gf_world w;
	char err[512];
	FILE *f = fopen("/tmp/gf-world-test-cn.zone", "w");

	fputs("1.0.0.0/8\nnot a prefix\n", f);
	fclose(f);
	specs[1].cc = "CN";
	assert_int_equal(gf_world_load(&w, specs, 2, NULL, NULL, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "/tmp/gf-world-test-cn.zone:2:"));
	assert_null(w.table[0]);
	assert_null(w.srcs);
	assert_int_equal(w.countries[0].n, 0);
	unlink("/tmp/gf-world-test-cn.zone");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_overrides_keep_tables),
		cmocka_unit_test(test_bad_source_builds_nothing),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
