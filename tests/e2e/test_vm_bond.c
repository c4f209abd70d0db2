// SPDX-License-Identifier: GPL-2.0
/*
 * Bonds and VLANs, in Debian's own kernel (this machine's has neither):
 * tests/vm/run.sh boots linux-image-amd64 under qemu with this checkout
 * over 9p and runs tests/vm/bond_vlan.sh there: a gateway whose LAN side
 * is a bond of two veth ports with a VLAN subinterface on top, geofenced
 * attached to the bond.  Each "PASS"/"FAIL" line the guest prints is one
 * check here; the guest's exit, or no lines at all, fail the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "gf_test.h"

int main(void)
{
	char cmd[512], line[1024];
	int n = 0, rc;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s/tests/vm/run.sh %s/tests/vm/bond_vlan.sh 2>&1", GF_SRCDIR, GF_SRCDIR);
	p = popen(cmd, "r");
	if (!p)
		return GF_TEST_SETUP_ERROR;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "PASS ", 5) || !strncmp(line, "FAIL ", 5)) {
			CHECK(line[0] == 'P', "in Debian's kernel: %s", line + 5);
			n++;
		} else if (gf_test_verbose || strstr(line, "vm:")) {
			printf("  %s\n", line);
		}
	}
	rc = pclose(p);
	CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 0 && n >= 7,
	      "the guest ran the topology to its end (%d checks, exit %d)", n, WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
	return gf_test_summary();
}
