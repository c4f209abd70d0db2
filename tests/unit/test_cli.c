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
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define GEOFENCE GF_BUILD_DIR "/geofence"

/* Run a shell command line; returns its output and sets *rc. */
static char *run(const char *cmd, int *rc);

/* cmd exits rc and says want */
static void out_has(const char *cmd, int want_rc, const char *want)
{
	int rc;
	char *out = run(cmd, &rc);

	if (rc != want_rc || !strstr(out, want))
		fail_msg("%s: exit %d (want %d): %.300s (want '%s')", cmd, rc, want_rc, out, want);
}

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

/*
 * One command table: every command and subcommand that --help lists answers
 * --help itself (exit 0, on stdout, its own usage and options); a value of
 * the wrong type or out of range is refused naming the option (exit 2).
 */
static void test_command_table(void **s)
{
	char help[1 << 14], cmd[256], *save = NULL;
	int rc, n = 0;

	snprintf(help, sizeof(help), "%s", run(GEOFENCE " --help", &rc));
	assert_int_equal(rc, 0);
	for (char *l = strtok_r(help, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char w1[32] = "", w2[32] = "", *out;

		/* "  status [--json]", "  dlp scan [--json] FILE...": a command's synopsis */
		if (strncmp(l, "  ", 2) || l[2] < 'a' || l[2] > 'z' || sscanf(l + 2, "%31s %31s", w1, w2) < 1)
			continue;
		if (w2[0] < 'a' || w2[0] > 'z' || !strcmp(w1, "lookup") || !strcmp(w1, "guard"))
			w2[0] = '\0';
		snprintf(cmd, sizeof(cmd), GEOFENCE " %s %s --help 2>&1", w1, w2);
		out = run(cmd, &rc);
		if (rc != 0 || !strstr(out, "usage: geofence") || !strstr(out, w1) || !strstr(out, "-h, --help"))
			fail_msg("%s: exit %d, %.200s", cmd, rc, out);
		n++;
	}
	assert_true(n >= 10);

	out_has(GEOFENCE " stats --top abc 2>&1", 2, "--top: 'abc' is not a whole number");
	out_has(GEOFENCE " stats --top 0 2>&1", 2, "--top: 0 is out of range");
	out_has(GEOFENCE " stats --interval 2>&1", 2, "--interval needs SECONDS");
	out_has(GEOFENCE " reload --timeout 1e9 2>&1", 2, "--timeout: 1e+09 is out of range");
	out_has(GEOFENCE " evidence report --format xml 2>&1", 2, "--format: 'xml' is not one of table|json|csv");
	out_has(GEOFENCE " evidence 2>&1", 2, "the subcommand is report");
	out_has(GEOFENCE " guard sideways 2>&1", 2, "up, down or status");
	out_has(GEOFENCE " -c 2>&1", 2, "--config needs FILE");
}

/*
 * The JSON rule: a state is one pretty-printed document; a stream (lookup,
 * dlp scan) is one object per line.
 */
static void test_json_rule(void **s)
{
	char buf[1 << 16], *save = NULL;
	json_object *o;
	int rc, lines = 0;

	snprintf(buf, sizeof(buf), "%s", run("GEOFENCE_PIN_DIR=/nonexistent/pins GEOFENCE_RUN_DIR=/nonexistent/run "
					      GEOFENCE " status --json", &rc));
	o = json_tokener_parse(buf);
	assert_non_null(o);
	assert_true(json_object_is_type(o, json_type_object));
	for (char *p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	assert_true(lines > 2);	/* pretty-printed, not one line */
	lines = 0;
	json_object_put(o);

	snprintf(buf, sizeof(buf), "%s", run(GEOFENCE " lookup --json 1.0.1.1 8.8.8.8 2>/dev/null", &rc));
	assert_int_equal(rc, 0);
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save), lines++) {
		o = json_tokener_parse(l);
		assert_non_null(o);
		assert_true(json_object_is_type(o, json_type_object));
		json_object_put(o);
	}
	assert_int_equal(lines, 2);
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
	/* "-" is standard input, as for geofence dlp scan: between arguments, in order */
	snprintf(cmd, sizeof(cmd), "head -5 /tmp/gf-cli-addrs.txt | " GEOFENCE " lookup 1.0.1.1 - 8.8.8.8 2>/dev/null | "
		 "awk 'NR > 1 { print $1 }' | tr '\\n' ' '");
	assert_string_equal(run(cmd, &rc), "1.0.1.1 0.0.0.0 7.13.0.1 14.26.0.2 8.8.8.8 ");
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

/*
 * One rule for IPv6 addresses that carry IPv4 ones, the same as the
 * datapath's: mapped and compatible forms are the IPv4 address, a Teredo
 * address names its client (and its server).
 */
static void test_carried_rule(void **s)
{
	int rc;
	char *out = run(GEOFENCE " lookup --json ::ffff:1.0.1.1 ::1.0.1.1 2001:0:808:808::feff:fefe "
			"2>/dev/null", &rc);

	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"address\":\"::ffff:1.0.1.1\",\"country\":\"CN\",\"class\":\"CN\""));
	assert_non_null(strstr(out, "\"address\":\"::1.0.1.1\",\"country\":\"CN\",\"class\":\"CN\""));
	/* Teredo: server 8.8.8.8, client 1.0.1.1 (inverted in the last 32 bits) */
	assert_non_null(strstr(out, "\"class\":\"CN\",\"class_id\":"));
	assert_non_null(strstr(out, "\"carries_ipv4\":\"1.0.1.1\",\"teredo_server\":\"8.8.8.8\""));
}

/* What a database's metadata says is checked before it is printed. */
static void test_metadata(void **s)
{
	int rc;
	char *out;

	assert_int_equal(system(GF_SRCDIR "/tests/lib/mkdb.pl /tmp/gf-cli-epoch.mmdb --networks 0 "
				"--net 1.1.1.0/24=CN --build-epoch 4611686018427387904"), 0);
	out = run(GEOFENCE " lookup --db /tmp/gf-cli-epoch.mmdb 1.1.1.1 2>&1", &rc);
	assert_int_equal(rc, 3);	/* an error naming the file, not a crash */
	assert_non_null(strstr(out, "/tmp/gf-cli-epoch.mmdb: build_epoch 4611686018427387904 in the "
				    "metadata is not a date"));
	/* the largest date there is, and the first: shown, not crashed on */
	assert_int_equal(system(GF_SRCDIR "/tests/lib/mkdb.pl /tmp/gf-cli-epoch.mmdb --networks 0 "
				"--net 1.1.1.0/24=CN --build-epoch 253402300799 --database-type "
				"\"$(printf 'x\\033[2Jy')\""), 0);
	out = run(GEOFENCE " lookup --db /tmp/gf-cli-epoch.mmdb 1.1.1.1 2>&1", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "(x\\x1b[2Jy, 9999-12-31)"));
	assert_null(strchr(out, 0x1b));
	assert_int_equal(system(GF_SRCDIR "/tests/lib/mkdb.pl /tmp/gf-cli-epoch.mmdb --networks 0 "
				"--net 1.1.1.0/24=CN --build-epoch 1"), 0);
	out = run(GEOFENCE " lookup --db /tmp/gf-cli-epoch.mmdb 1.1.1.1 2>&1", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "1970-01-01"));
	unlink("/tmp/gf-cli-epoch.mmdb");
}

/* A pushed file's bytes reach the terminal escaped, whatever they are. */
static void test_escaped_errors(void **s)
{
	int rc;
	char *out;

	run("printf '1.0.0.0/24\\n1.2.3.4\\033[2J\\007/24\\n' > /tmp/gf-cli-esc.zone", &rc);
	out = run(GEOFENCE " lookup --list /tmp/gf-cli-esc.zone=CN 1.0.0.1 2>&1", &rc);
	assert_int_equal(rc, 3);
	assert_non_null(strstr(out, "gf-cli-esc.zone:2:"));
	assert_non_null(strstr(out, "'1.2.3.4\\x1b[2J\\x07/24' is not an IPv4 or IPv6 prefix"));
	assert_null(strchr(out, 0x1b));
	assert_null(strchr(out, 0x07));
	/* a bad address on standard input too */
	out = run("printf '1.0.0.1\\033[31m\\n' | " GEOFENCE " lookup 2>&1 >/dev/null", &rc);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "'1.0.0.1\\x1b[31m' is not an IPv4 or IPv6 address"));
	unlink("/tmp/gf-cli-esc.zone");
}

/* registered_country_fallback = false in the configuration applies to lookup --db too */
static void test_lookup_config(void **s)
{
	int rc;
	char *out;

	assert_int_equal(system(GF_SRCDIR "/tests/lib/mkdb.pl /tmp/gf-cli-reg.mmdb --networks 0 "
				"--net 5.6.7.0/24=registered:RU --net 1.1.1.0/24=CN"), 0);
	run("printf 'geoip = { registered_country_fallback = false; };\\n' > /tmp/gf-cli-reg.conf", &rc);
	out = run(GEOFENCE " lookup --json --db /tmp/gf-cli-reg.mmdb 5.6.7.8 2>/dev/null", &rc);
	assert_non_null(strstr(out, "\"country\":\"RU\""));
	out = run(GEOFENCE " --config /tmp/gf-cli-reg.conf lookup --json --db /tmp/gf-cli-reg.mmdb "
		  "5.6.7.8 2>/dev/null", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"country\":null,\"class\":\"unknown\""));
	unlink("/tmp/gf-cli-reg.mmdb");
	unlink("/tmp/gf-cli-reg.conf");
}

/*
 * status as a user who may not read the state says so; detach without a
 * configuration or anything pinned creates nothing.
 */
static void test_permissions(void **s)
{
	int rc;
	char *out;

	run("rm -rf /tmp/gf-cli-run /sys/fs/bpf/gf-cli-perm; mkdir -m 0755 /tmp/gf-cli-run && "
	    "echo '{}' > /tmp/gf-cli-run/state.json && chmod 0640 /tmp/gf-cli-run/state.json && "
	    "mkdir -m 0700 /sys/fs/bpf/gf-cli-perm", &rc);
	out = run("GEOFENCE_RUN_DIR=/tmp/gf-cli-run GEOFENCE_PIN_DIR=/sys/fs/bpf/gf-cli-perm "
		  "setpriv --reuid nobody --regid nogroup --clear-groups " GEOFENCE
		  " --config /nonexistent.conf status 2>&1", &rc);
	assert_int_equal(rc, 3);
	assert_non_null(strstr(out, "/tmp/gf-cli-run/state.json: permission denied: run as root"));
	assert_non_null(strstr(out, "/sys/fs/bpf/gf-cli-perm: permission denied: reading the pins needs root"));
	assert_null(strstr(out, "not loaded"));
	run("rm -rf /tmp/gf-cli-run; rmdir /sys/fs/bpf/gf-cli-perm", &rc);

	out = run("GEOFENCE_RUN_DIR=/tmp/gf-cli-nonexistent-run GEOFENCE_PIN_DIR=/sys/fs/bpf/gf-cli-none "
		  GEOFENCE " --config /nonexistent.conf detach 2>&1", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(access("/sys/fs/bpf/gf-cli-none", F_OK), -1);
	assert_int_equal(access("/tmp/gf-cli-nonexistent-run", F_OK), -1);
}

/* Run a command and give its peak resident memory in KiB. */
static long peak_kib(const char *cmd, int *rc)
{
	struct rusage ru;
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	assert_true(pid > 0);
	assert_int_equal(wait4(pid, &st, 0, &ru), pid);
	*rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return ru.ru_maxrss;
}

/*
 * dlp scan streams: memory independent of the file's size, every value
 * counted once across window boundaries, a table's header applied to every
 * window, and a file full of candidates reported, not refused.
 */
static void test_dlp_scan_stream(void **s)
{
	char cmd[512];
	FILE *f;
	long kib;
	int rc;
	char *out;

	/* 200,000 labelled SSNs over about 7.7 MB: eight windows, none lost or counted twice */
	f = fopen("/tmp/gf-cli-ssn.txt", "w");
	for (int i = 0; i < 200000; i++)
		fprintf(f, "customer %d ssn: %03d-%02d-%04d notes\n", i, 100 + i % 500, 10 + i % 80,
			1000 + i % 9000);
	fclose(f);
	out = run(GEOFENCE " dlp scan --json /tmp/gf-cli-ssn.txt", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"ssn\":200000,"));
	/* undashed SSNs are SSNs by their column: the header counts in every window */
	f = fopen("/tmp/gf-cli-ssn.csv", "w");
	fputs("name,ssn,city\n", f);
	for (int i = 0; i < 200000; i++)
		fprintf(f, "Person %d,%03d%02d%04d,Springfield\n", i, 100 + i % 500, 10 + i % 80,
			1000 + i % 9000);
	fclose(f);
	out = run(GEOFENCE " dlp scan --json /tmp/gf-cli-ssn.csv", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"ssn\":200000,"));
	/* a candidate at every byte: windows halved, counted, and the file reported */
	f = fopen("/tmp/gf-cli-acgt.txt", "w");
	for (int i = 0; i < 2000000; i++)
		fputs("ACGT", f);
	fclose(f);
	out = run(GEOFENCE " dlp scan --json /tmp/gf-cli-acgt.txt", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"genomic\":1,"));
	assert_null(strstr(out, "\"windows_split\":0"));
	unlink("/tmp/gf-cli-ssn.txt");
	unlink("/tmp/gf-cli-ssn.csv");
	unlink("/tmp/gf-cli-acgt.txt");

	/* a 2 GB sparse file: peak memory under 64 MB */
	assert_int_equal(system("truncate -s 2G /tmp/gf-cli-sparse.bin"), 0);
	snprintf(cmd, sizeof(cmd), GEOFENCE " dlp scan --json /tmp/gf-cli-sparse.bin > /tmp/gf-cli-sparse.out");
	kib = peak_kib(cmd, &rc);
	print_message("dlp scan of a 2 GB sparse file: peak RSS %ld KiB\n", kib);
	printf("bench: dlp_scan_2gb_peak_rss_mb %.1f\n", kib / 1024.0);
	assert_int_equal(rc, 0);
	assert_true(kib < 64 * 1024);
	out = run("cat /tmp/gf-cli-sparse.out", &rc);
	assert_non_null(strstr(out, "\"bytes\":2147483648,"));
	unlink("/tmp/gf-cli-sparse.bin");
	unlink("/tmp/gf-cli-sparse.out");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_carried_rule),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_escaped_errors),
		cmocka_unit_test(test_lookup_config),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_dlp_scan_stream),
		cmocka_unit_test(test_command_table),
		cmocka_unit_test(test_json_rule),
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
