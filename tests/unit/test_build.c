// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the effective policy's identity (gf_policy_sha256, exported
 * as geofence_policy_info).  It follows what decides verdicts, not the
 * files: comments, order and layout leave it alone; an action, an override
 * or a redirect target changes it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "gf_build.h"
#include "gf_policy_diff.h"

static char dir[64];

/* a configuration in dir/NAME.conf with its own list directory holding list, and extra policy settings */
static const char *conf(const char *name, const char *list, const char *policy_extra, const char *comment)
{
	static char path[256];
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s.d", dir, name);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/%s.d/00.list", dir, name);
	f = fopen(p, "w");
	fputs(list, f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/run", dir);
	mkdir(p, 0700);
	snprintf(path, sizeof(path), "%s/%s.conf", dir, name);
	f = fopen(path, "w");
	fprintf(f, "%s\ninterfaces = { lan = [ \"lo\" ]; };\ngeoip = { sources = ( { mmdb = \"%s\"; } ); };\n"
		   "policy = { countries = \"%s.d\"; %s };\nstate = { run_dir = \"%s/run\"; };\n",
		comment, GF_BUILD_DB, name, policy_extra, dir);
	fclose(f);
	return path;
}

static void sha_of(const char *path, char hex[65])
{
	char err[1024];
	struct gf_build *b = gf_build_new(path, NULL, err, sizeof(err));

	if (!b)
		fail_msg("%s", err);
	snprintf(hex, 65, "%s", b->policy_sha256);
	gf_build_free(b);
}

static void test_policy_identity(void **s)
{
	char a[65], b[65], c[65], d[65], e[65];

	(void)s;
	sha_of(conf("a", "CN drop\nRU monitor\n", "", "# gateway a"), a);
	sha_of(conf("b", "# the same, written otherwise\n\nRU   monitor\nCN drop  # concern\n", "",
		    "# gateway b, another comment"), b);
	assert_int_equal(strlen(a), 64);
	assert_string_equal(a, b);	/* comments, order, spacing: the same policy */
	sha_of(conf("c", "CN drop\nRU drop\n", "", ""), c);
	assert_string_not_equal(a, c);	/* an action */
	sha_of(conf("d", "CN drop\nRU monitor\n", "overrides = ( { cidr = \"1.0.1.0/24\"; action = \"allow\"; } );", ""), d);
	assert_string_not_equal(a, d);	/* an override */
	sha_of(conf("e", "CN drop\nRU monitor\n", "unknown = \"drop\";", ""), e);
	assert_string_not_equal(a, e);	/* the unknown class's rule */
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_policy_identity) };
	int n = 1, failed;

	snprintf(dir, sizeof(dir), "/tmp/gfbuild.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	printf("%d passed, %d failed\n", n - failed, failed);
	if (strncmp(dir, "/tmp/gfbuild.", 13) == 0) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			return 1;
	}
	return failed ? 1 : 0;
}
