// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include "gf_test.h"

int gf_test_passed, gf_test_failed, gf_test_skipped;
int gf_test_verbose;

__attribute__((constructor)) static void gf_test_init(void)
{
	gf_test_verbose = getenv("GF_TEST_VERBOSE") != NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);
}

int gf_test_summary(void)
{
	if (gf_test_skipped)
		printf("%d passed, %d failed, %d skipped\n", gf_test_passed, gf_test_failed, gf_test_skipped);
	else
		printf("%d passed, %d failed\n", gf_test_passed, gf_test_failed);
	return gf_test_failed ? 1 : 0;
}
