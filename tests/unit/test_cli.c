// SPDX-License-Identifier: GPL-2.0
/*
 * The geofence command line, run as a user would: lookup with the default
 * database and with --db, text and --json, addresses from arguments and
 * from standard input, and its errors and exit codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define GEOFENCE GF_BUILD_DIR "/geofence"

/* Run a shell command line; returns its output and sets *rc. */
static char *run(const char *cmd, int *rc)
{
	static char out[1 << 20];
	size_t n = 0, r;
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	while ((r = fread(out + n, 1, sizeof(out) - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	*rc = WEXITSTATUS(pclose(p));
	return out;
}

static void test_issue_example(void **s)
{
	int rc;
	char *out = run(GEOFENCE " lookup 1.0.1.1 2a02:6b8::1 2>/dev/null", &rc);

	assert_int_equal(rc, 0);
	/* header, then one line per address with its country */
	assert_non_null(strstr(out, "ADDRESS"));
	assert_non_null(strstr(out, "\n1.0.1.1 "));
	assert_true(strstr(strstr(out, "\n1.0.1.1 "), " CN ") != NULL);
	assert_true(strstr(strstr(out, "\n2a02:6b8::1 "), " RU ") != NULL);
}

static void test_json(void **s)
{
	int rc, lines = 0;
	char *out = run(GEOFENCE " lookup --json 1.0.1.1 10.1.2.3 7.7.7.7 2002:100:101::1 "
			"0.0.0.1", &rc);
	char *save = NULL;

	assert_int_equal(rc, 0);
	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		json_object *o = json_tokener_parse(l), *addr, *cc;

		assert_non_null(o);
		assert_true(json_object_object_get_ex(o, "address", &addr));
		assert_true(json_object_object_get_ex(o, "country", &cc));
		switch (lines++) {
		case 0:
			assert_string_equal(json_object_get_string(cc), "CN");
			break;
		case 1:	/* private space: no country, class reserved */
			assert_null(cc);
			break;
		case 3:	/* 6to4 of 1.0.1.1: the embedded address decides */
			assert_string_equal(json_object_get_string(cc), "CN");
			assert_true(json_object_object_get_ex(o, "carries_ipv4", &cc));
			assert_string_equal(json_object_get_string(cc), "1.0.1.1");
			break;
		}
		json_object_put(o);
	}
	assert_int_equal(lines, 5);
}

static void test_stdin_many(void **s)
{
	char cmd[256];
	int rc;
	FILE *f = fopen("/tmp/gf-cli-addrs.txt", "w");

	for (int i = 0; i < 100000; i++)
		fprintf(f, "%d.%d.%d.%d\n%s", (i * 7) & 255, (i * 13) & 255, (i >> 3) & 255, i & 255,
			i % 1000 ? "" : "# a comment\n\n");
	fclose(f);
	snprintf(cmd, sizeof(cmd), GEOFENCE " lookup --json < /tmp/gf-cli-addrs.txt | grep -c '\"country\"'");
	assert_int_equal(atoi(run(cmd, &rc)), 100000);
	unlink("/tmp/gf-cli-addrs.txt");
}

static void test_errors(void **s)
{
	int rc;
	char *out;

	out = run(GEOFENCE " lookup 1.0.1.1 not-an-address 2>&1", &rc);
	assert_int_equal(rc, 1);	/* answered what it could */
	assert_non_null(strstr(out, "'not-an-address' is not an IPv4 or IPv6 address"));
	assert_non_null(strstr(out, "1.0.1.1"));

	out = run(GEOFENCE " lookup --db /nonexistent/x.mmdb 1.0.1.1 2>&1", &rc);
	assert_int_equal(rc, 3);
	assert_non_null(strstr(out, "/nonexistent/x.mmdb"));

	out = run(GEOFENCE " lookup --db " GF_SRCDIR "/README.md 1.0.1.1 2>&1", &rc);
	assert_int_equal(rc, 3);
	assert_non_null(strstr(out, "is this a MaxMind DB"));

	out = run(GEOFENCE " frobnicate 2>&1", &rc);
	assert_int_equal(rc, 2);
	assert_non_null(strstr(out, "unknown command"));

	out = run(GEOFENCE " --help", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "lookup"));

	/* every command parses its options, --json included */
	out = run(GEOFENCE " status --bogus 2>&1", &rc);
	assert_int_equal(rc, 2);
	out = run(GEOFENCE " detach extra 2>&1", &rc);
	assert_int_equal(rc, 2);
	assert_non_null(strstr(out, "unexpected argument 'extra'"));

	/* nothing pinned here: status says so, in JSON too, and exits 3 */
	out = run("GEOFENCE_PIN_DIR=/nonexistent/pins GEOFENCE_RUN_DIR=/nonexistent/run " GEOFENCE
		  " status --json", &rc);
	assert_int_equal(rc, 3);
	assert_non_null(strstr(out, "\"datapath\":false"));

	/* a config that does not parse: reload is rejected naming the line */
	run("printf 'interfaces = {\n  lan = [ \"g0\" ;\n};\n' > /tmp/gf-cli-bad.conf", &rc);
	out = run(GEOFENCE " --config /tmp/gf-cli-bad.conf reload 2>&1", &rc);
	assert_int_equal(rc, 4);
	assert_non_null(strstr(out, "/tmp/gf-cli-bad.conf:2: syntax error"));
	unlink("/tmp/gf-cli-bad.conf");
}

/* --db works offline on any database, here one written by the test */
static void test_other_db(void **s)
{
	int rc;
	char *out;

	assert_int_equal(system(GF_SRCDIR "/tests/lib/mkdb.pl /tmp/gf-cli.mmdb --ip-version 4 "
				"--record-size 24 --seed 3"), 0);
	out = run(GEOFENCE " lookup --json --db /tmp/gf-cli.mmdb 0.0.0.1 255.255.255.254 2a00::1", &rc);
	assert_int_equal(rc, 0);
	/* an IPv4-only database has no IPv6 countries */
	assert_non_null(strstr(out, "\"address\":\"2a00::1\",\"country\":null"));
	unlink("/tmp/gf-cli.mmdb");
}

/* several sources: a list overrides the database where it has data */
static void test_sources_combine(void **s)
{
	int rc;
	char *out;
	FILE *f;

	assert_int_equal(system("mkdir -p /tmp/gf-cli-lists"), 0);
	f = fopen("/tmp/gf-cli-lists/de.zone", "w");
	fputs("1.0.1.0/24\n", f);	/* CN in the default data */
	fclose(f);
	out = run(GEOFENCE " lookup --json --db " GF_BUILD_DIR "/geofence-country.mmdb "
		  "--list /tmp/gf-cli-lists/de.zone 1.0.1.1 1.0.2.1 2>/tmp/gf-cli-err.txt", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"address\":\"1.0.1.1\",\"country\":\"DE\""));
	assert_non_null(strstr(out, "\"address\":\"1.0.2.1\",\"country\":\"CN\""));
	out = run("cat /tmp/gf-cli-err.txt", &rc);
	assert_non_null(strstr(out, "sources disagree on 1 ranges"));
	assert_non_null(strstr(out, "says CN"));
	out = run(GEOFENCE " lookup --list /tmp/gf-cli-lists/de.zone=FR 1.0.1.1 2>/dev/null", &rc);
	assert_non_null(strstr(out, " FR "));
	unlink("/tmp/gf-cli-lists/de.zone");
	rmdir("/tmp/gf-cli-lists");
	unlink("/tmp/gf-cli-err.txt");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_example),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_stdin_many),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_other_db),
		cmocka_unit_test(test_sources_combine),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
