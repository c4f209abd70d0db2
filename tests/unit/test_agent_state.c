// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: state.json as one contract (user/lib/gf_agent_state.c over
 * gf_schema.c).  A state written and read back is the same state; every
 * table names each key once; a file of an older agent (keys missing) reads
 * as zeros; a member of the wrong type is refused with its key; the reload
 * outcomes have one name each.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "gf_agent_state.h"

static void fill(struct gf_agent_state *st)
{
	memset(st, 0, sizeof(*st));
	st->pid = 4242;
	st->started = 1764201000;
	st->config = gf_schema_str("/etc/geofence/geofence.conf");
	st->pin_dir = gf_schema_str("/sys/fs/bpf/geofence");
	st->generation = 7;
	st->layout = 1;
	st->ninterfaces = 2;
	st->interfaces = calloc(2, sizeof(*st->interfaces));
	st->interfaces[0] = (struct gf_st_iface){ gf_schema_str("eth1"), 3, gf_schema_str("xdp"),
						  gf_schema_str("native/single"), 0, 1, 2, NULL };
	st->interfaces[1] = (struct gf_st_iface){ gf_schema_str("eth9"), 9, gf_schema_str("xdp"),
						  gf_schema_str("attach failed"), 0, 0, 0,
						  gf_schema_str("eth9: cannot attach XDP: Invalid argument") };
	st->reload = (struct gf_st_reload){ 3, 1, 1, 1,
					    { gf_schema_str("applied_with_errors"), gf_schema_str("SIGHUP"),
					      gf_schema_str("eth9: cannot attach XDP"), 1764201600, 156.5, 7, 3 } };
	st->nsources = 1;
	st->sources = calloc(1, sizeof(*st->sources));
	st->sources[0] = (struct gf_st_source){ gf_schema_str("/usr/share/geofence/c.mmdb"),
						gf_schema_str("GeoLite2-Country"), gf_schema_str("ab12"),
						1763596800, gf_schema_str("tor \"geoip\"\n"), 690000, 12, 1 };
	st->tables.ipv4 = (struct gf_st_table){ 389994, 36000, 65536, 2422016 };
	st->tables.map_bytes = 31589856;
	st->coverage = json_tokener_parse("{\"ipv4\":{\"unknown\":0.25}}");
	st->policy.default_action = gf_schema_str("pass");
	st->policy.monitor = 1;
	st->policy.ncountries = 2;
	st->policy.countries = calloc(2, sizeof(*st->policy.countries));
	st->policy.countries[0] = (struct gf_st_country_rule){ gf_schema_str("CN"), gf_schema_str("drop") };
	st->policy.countries[1] = (struct gf_st_country_rule){ gf_schema_str("RU"), gf_schema_str("redirect q0") };
	st->policy.nby_action = 1;
	st->policy.by_action = calloc(1, sizeof(*st->policy.by_action));
	st->policy.by_action[0] = (struct gf_st_action_count){ gf_schema_str("drop"), 6 };
}

static void test_round_trip(void **s)
{
	struct gf_agent_state a, b;
	json_object *ja, *jb;
	char err[256];

	(void)s;
	fill(&a);
	ja = gf_agent_state_to_json(&a);
	assert_int_equal(gf_agent_state_from_json(ja, &b, err, sizeof(err)), 0);
	jb = gf_agent_state_to_json(&b);
	assert_true(json_object_equal(ja, jb));
	/* what the readers use */
	assert_int_equal(b.pid, 4242);
	assert_int_equal(b.ninterfaces, 2);
	assert_string_equal(gf_agent_state_iface(&b, "eth9", "xdp")->mode, "attach failed");
	assert_null(gf_agent_state_iface(&b, "eth9", "tc"));
	assert_null(b.interfaces[0].error);
	assert_int_equal(gf_reload_result_parse(b.reload.last.result), GF_RELOAD_APPLIED_WITH_ERRORS);
	assert_true(b.reload.last.duration_ms == 156.5);
	assert_string_equal(b.sources[0].description, "tor \"geoip\"\n");
	assert_int_equal(b.policy.ncountries, 2);
	assert_string_equal(b.policy.countries[1].action, "redirect q0");
	/* maps are JSON objects keyed by their first member */
	assert_string_equal(json_object_get_string(json_object_object_get(
				    json_object_object_get(json_object_object_get(ja, "policy"), "countries"), "CN")),
			    "drop");
	/* an optional part absent stays out (no conflicts: no "source_conflicts") */
	assert_false(json_object_object_get_ex(ja, "source_conflicts", NULL));
	json_object_put(ja);
	json_object_put(jb);
	gf_agent_state_free(&a);
	gf_agent_state_free(&b);
	assert_null(a.config);
	assert_int_equal(a.ninterfaces, 0);
}

/* Every key once per table, walking every table reachable from the state's. */
static void keys_unique(const struct gf_schema *sc, int depth)
{
	assert_true(depth < 8);
	for (int i = 0; i < sc->nfields; i++) {
		for (int k = i + 1; k < sc->nfields; k++)
			if (!strcmp(sc->fields[i].key, sc->fields[k].key))
				fail_msg("key \"%s\" twice in one table", sc->fields[i].key);
		if (sc->fields[i].sub)
			keys_unique(sc->fields[i].sub, depth + 1);
	}
}

static void test_keys_once(void **s)
{
	(void)s;
	keys_unique(&gf_agent_state_schema, 0);
}

static void test_old_and_wrong(void **s)
{
	struct gf_agent_state st;
	json_object *o;
	char err[256] = "";

	(void)s;
	/* an agent before the three outcomes: no "applied" counts, "ok" for a result */
	o = json_tokener_parse("{\"pid\": 12, \"reload\": {\"count\": 4, \"errors\": 1, "
			       "\"last\": {\"result\": \"ok\"}}, \"future_key\": [1, 2]}");
	assert_int_equal(gf_agent_state_from_json(o, &st, err, sizeof(err)), 0);
	assert_int_equal(st.pid, 12);
	assert_int_equal(st.reload.count, 4);
	assert_int_equal(st.reload.applied, 0);
	assert_int_equal(gf_reload_result_parse(st.reload.last.result), -1);
	assert_null(st.config);
	gf_agent_state_free(&st);
	json_object_put(o);

	o = json_tokener_parse("{\"pid\": \"12\"}");
	assert_int_equal(gf_agent_state_from_json(o, &st, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "\"pid\""));
	gf_agent_state_free(&st);
	json_object_put(o);

	o = json_tokener_parse("{\"interfaces\": [{\"name\": \"eth0\"}, 3]}");
	assert_int_equal(gf_agent_state_from_json(o, &st, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "\"interfaces\""));
	gf_agent_state_free(&st);
	assert_null(st.interfaces);
	json_object_put(o);

	o = json_tokener_parse("[1]");
	assert_int_equal(gf_agent_state_from_json(o, &st, err, sizeof(err)), -EINVAL);
	json_object_put(o);
}

static void test_results(void **s)
{
	(void)s;
	for (int r = 0; r < GF_RELOAD_RESULTS; r++) {
		assert_non_null(gf_reload_result_names[r]);
		assert_int_equal(gf_reload_result_parse(gf_reload_result_names[r]), r);
	}
	assert_int_equal(gf_reload_result_parse(NULL), -1);
	assert_int_equal(gf_reload_result_parse("error"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_keys_once),
		cmocka_unit_test(test_old_and_wrong),
		cmocka_unit_test(test_results),
	};

	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed != 0;
}
