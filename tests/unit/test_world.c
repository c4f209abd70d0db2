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
#include "gf_sanity.h"
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

/*
 * Data sanity (user/lib/gf_sanity.c) on the default data and on what a
 * botched update would bring: what may replace it, what may not, and the
 * state.json form the figures outlive a restart in.
 */
static void test_sanity(void **s)
{
	static struct gf_coverage cov, shrunk, back;
	static const char *named[GF_CLASS_COUNTRY_END];
	struct gf_sanity_opts o = { GF_MAX_SHRINK_DEFAULT, GF_MIN_COVERAGE_DEFAULT };
	int kp = gf_class_from_cc("KP"), cn = gf_class_from_cc("CN");
	struct gf_world w;
	char err[512], note[256];
	json_object *j;

	(void)s;
	assert_int_equal(gf_world_load_default(&w, err, sizeof(err)), 0);
	gf_coverage_of(&w, &cov);
	gf_world_free(&w);
	/* the default data: most of IPv4 given to countries, the rest adds up */
	assert_true(cov.country[0] > 3.5e9 && cov.country[0] < 4.0e9);
	assert_true(cov.reserved[0] > 5e8);
	assert_true(cov.country[0] + cov.reserved[0] + cov.overrides[0] + cov.unknown[0] == 4294967296.0);
	assert_true(cov.per_country[kp][0] >= 1024);
	assert_true(cov.country[1] > 1e35);
	/* the data: the sources before reserved space, as the default data's reference counts it */
	assert_true(cov.data[0] >= cov.country[0] && cov.data[0] < cov.country[0] * 1.01);
	named[kp] = "00-concern.list:4";

	/* a first load of the default data passes the floor; the same again passes */
	assert_int_equal(gf_sanity_check(NULL, &cov, named, &o, err, sizeof(err), note, sizeof(note)), 0);
	assert_int_equal(gf_sanity_check(&cov, &cov, named, &o, err, sizeof(err), note, sizeof(note)), 0);
	assert_string_equal(note, "");

	/* 5% of IPv4 lost: let in, and said */
	shrunk = cov;
	shrunk.data[0] *= 0.95;
	assert_int_equal(gf_sanity_check(&cov, &shrunk, named, &o, err, sizeof(err), note, sizeof(note)), 0);
	assert_non_null(strstr(note, "IPv4 space given to countries shrank by 5.0% (geoip.max_shrink allows 10%)"));
	/* 20%: refused, saying what shrank, by how much and what to do */
	shrunk.data[0] = cov.data[0] * 0.8;
	assert_int_equal(gf_sanity_check(&cov, &shrunk, named, &o, err, sizeof(err), note, sizeof(note)),
			 -EINVAL);
	assert_non_null(strstr(err, "the new data gives IPv4 "));
	assert_non_null(strstr(err, "20.0% of it would become unknown, more than geoip.max_shrink (10%)"));
	/* IPv6 as well */
	shrunk = cov;
	shrunk.data[1] = 0;
	assert_int_equal(gf_sanity_check(&cov, &shrunk, named, &o, err, sizeof(err), note, sizeof(note)),
			 -EINVAL);
	assert_non_null(strstr(err, "the new data gives IPv6 0 addresses"));
	/* a named country gone: refused even though the families hardly moved */
	shrunk = cov;
	shrunk.per_country[kp][0] = shrunk.per_country[kp][1] = 0;
	assert_int_equal(gf_sanity_check(&cov, &shrunk, named, &o, err, sizeof(err), note, sizeof(note)),
			 -EINVAL);
	assert_non_null(strstr(err, "KP, which the policy names (00-concern.list:4), has no address in "
				    "the new data"));
	/* ... unless the operator accepts anything */
	o.max_shrink = 1;
	assert_int_equal(gf_sanity_check(&cov, &shrunk, named, &o, err, sizeof(err), note, sizeof(note)), 0);
	o.max_shrink = GF_MAX_SHRINK_DEFAULT;
	/* a broad override is policy, not data: the tables' country space shrinks, the data does not */
	shrunk = cov;
	shrunk.country[0] = cov.country[0] / 2;
	shrunk.overrides[0] = cov.country[0] / 2;
	assert_int_equal(gf_sanity_check(&cov, &shrunk, named, &o, err, sizeof(err), note, sizeof(note)), 0);
	/* a country not named may go */
	shrunk = cov;
	shrunk.per_country[kp][0] = cov.per_country[kp][0];
	shrunk.per_country[cn][0] = shrunk.per_country[cn][1] = 0;
	assert_int_equal(gf_sanity_check(&cov, &shrunk, named, &o, err, sizeof(err), note, sizeof(note)), 0);

	/* a first load of six countries' lists: under the floor unless min_coverage = 0 */
	memset(&shrunk, 0, sizeof(shrunk));
	shrunk.data[0] = 4e8;
	shrunk.data[1] = 1e33;
	shrunk.per_country[kp][0] = 1024;
	assert_int_equal(gf_sanity_check(NULL, &shrunk, named, &o, err, sizeof(err), note, sizeof(note)),
			 -EINVAL);
	assert_non_null(strstr(err, "less than geoip.min_coverage (50%) of the 3,693,492,896 the default "
				    "database gives"));
	o.min_coverage = 0;
	assert_int_equal(gf_sanity_check(NULL, &shrunk, named, &o, err, sizeof(err), note, sizeof(note)), 0);
	o.min_coverage = GF_MIN_COVERAGE_DEFAULT;

	/* through state.json: the named countries and the families survive */
	j = gf_coverage_to_json(&cov, named);
	assert_int_equal(gf_coverage_from_json(j, &back), 0);
	json_object_put(j);
	assert_true(back.data[0] == cov.data[0] && back.country[0] == cov.country[0] &&
		    back.unknown[1] == cov.unknown[1]);
	assert_true(back.per_country[kp][0] == cov.per_country[kp][0]);
	assert_true(back.per_country[cn][0] == 0);	/* not named: not kept */
	j = json_tokener_parse("{\"ipv4\": {\"country\": -1}}");
	assert_int_equal(gf_coverage_from_json(j, &back), -EINVAL);
	json_object_put(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanity),
		cmocka_unit_test(test_bad_overrides_keep_tables),
		cmocka_unit_test(test_bad_source_builds_nothing),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
