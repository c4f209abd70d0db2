// SPDX-License-Identifier: GPL-2.0
/*
 * The man pages say what the code does: every command and option the
 * binaries' --help lists is in docs/man/geofence.8 / geofenced.8, and the
 * pages name nothing the binaries do not accept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_netns.h"
#include "gf_test.h"

static char *slurp_cmd(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *buf = NULL;
	size_t cap = 0;

	if (!p)
		return NULL;
	if (getdelim(&buf, &cap, '\0', p) < 0) {
		free(buf);
		buf = NULL;
	}
	pclose(p);
	return buf;
}

int main(void)
{
	char cmd[512];
	char *help, *man, *dhelp, *dman;
	int missing = 0, n = 0;

	snprintf(cmd, sizeof(cmd), "%s/geofence --help 2>&1", GF_BUILD_DIR);
	help = slurp_cmd(cmd);
	snprintf(cmd, sizeof(cmd), "cat %s/docs/man/geofence.8", GF_SRCDIR);
	man = slurp_cmd(cmd);
	snprintf(cmd, sizeof(cmd), "%s/geofenced --help 2>&1", GF_BUILD_DIR);
	dhelp = slurp_cmd(cmd);
	snprintf(cmd, sizeof(cmd), "cat %s/docs/man/geofenced.8", GF_SRCDIR);
	dman = slurp_cmd(cmd);
	if (!help || !man || !dhelp || !dman)
		return GF_TEST_SETUP_ERROR;

	/* geofence: the commands ("  status [--json]") and every --option in the help */
	for (char *save, *l = strtok_r(help, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char word[64], want[80];

		if (l[0] == ' ' && l[1] == ' ' && l[2] >= 'a' && l[2] <= 'z' && sscanf(l + 2, "%63[a-z]", word) == 1) {
			snprintf(want, sizeof(want), "\\fB%s\\fR", word);
			n++;
			if (!strstr(man, want)) {
				printf("  geofence.8 lacks the command %s\n", word);
				missing++;
			}
		}
		for (char *o = strstr(l, "--"); o; o = strstr(o + 2, "--")) {
			if (sscanf(o + 2, "%63[a-z]", word) != 1)
				continue;
			snprintf(want, sizeof(want), "\\-\\-%s", word);
			n++;
			if (!strstr(man, want)) {
				printf("  geofence.8 lacks the option --%s\n", word);
				missing++;
			}
		}
	}
	CHECK(n > 20 && missing == 0, "geofence.8 has every command and option of geofence --help (%d checked, %d missing)",
	      n, missing);

	missing = n = 0;
	for (char *o = strstr(dhelp, "--"); o; o = strstr(o + 2, "--")) {
		char word[64], want[80];

		if (sscanf(o + 2, "%63[a-z]", word) != 1)
			continue;
		snprintf(want, sizeof(want), "\\-\\-%s", word);
		n++;
		if (!strstr(dman, want)) {
			printf("  geofenced.8 lacks the option --%s\n", word);
			missing++;
		}
	}
	CHECK(n >= 3 && missing == 0, "geofenced.8 has every option of geofenced --help (%d checked, %d missing)", n,
	      missing);

	/* and the other way: an option the page names is one the agent accepts */
	snprintf(cmd, sizeof(cmd), "%s/geofenced --no-such-option >/dev/null 2>&1", GF_BUILD_DIR);
	CHECK(gf_sh_quiet("%s", cmd) != 0, "(control: an unknown option is refused)");
	snprintf(cmd, sizeof(cmd), "grep -o '\\\\\\\\-\\\\\\\\-[a-z]*' %s/docs/man/geofenced.8 | sed 's/\\\\\\\\//g' | sort -u | "
		 "while read o; do %s/geofenced --help | grep -q -- \"$o\" || { echo \"  geofenced.8 names $o\"; exit 1; }; done",
		 GF_SRCDIR, GF_BUILD_DIR);
	CHECK(gf_sh("%s", cmd) == 0, "geofenced.8 names no option the agent lacks");
	free(help);
	free(man);
	free(dhelp);
	free(dman);
	return gf_test_summary();
}
