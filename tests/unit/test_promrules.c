// SPDX-License-Identifier: GPL-2.0
/*
 * The alert rules that ship (docs/prometheus/geofence.rules.yml): promtool
 * checks them and runs their unit tests (tests/prometheus/), which feed
 * series and assert which alerts fire, when, with which labels and text.
 * A test that breaks the rules file or an expectation fails here.
 */
#include <stdio.h>
#include <stdlib.h>
#include "gf_netns.h"
#include "gf_test.h"

int main(void)
{
	int rc;

	if (gf_sh_quiet("command -v promtool >/dev/null"))
		return GF_TEST_SETUP_ERROR;	/* scripts/install-deps.sh installs prometheus */
	rc = gf_sh("promtool check rules %s/docs/prometheus/geofence.rules.yml", GF_SRCDIR);
	CHECK(rc == 0, "promtool check rules: the rules parse and their expressions are valid (exit %d)", rc);
	rc = gf_sh("cd %s/tests/prometheus && promtool test rules geofence.rules.test.yml", GF_SRCDIR);
	CHECK(rc == 0, "promtool test rules: every alert fires when and as expected (exit %d)", rc);
	/* the unit tests can fail: a rule whose threshold moved breaks them */
	rc = gf_sh_quiet("d=$(mktemp -d) && sed 's/> 1$/> 100/' %s/docs/prometheus/geofence.rules.yml > $d/geofence.rules.yml && "
			 "mkdir -p $d/t && sed 's|../../docs/prometheus/|../|' %s/tests/prometheus/geofence.rules.test.yml > $d/t/x.yml && "
			 "cd $d/t && promtool test rules x.yml >/dev/null 2>&1; r=$?; rm -rf $d; exit $r", GF_SRCDIR, GF_SRCDIR);
	CHECK(rc != 0, "a rule with a changed threshold fails the unit tests (control)");
	return gf_test_summary();
}
