// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the CIDR list parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include "gf_geo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gf_rs rs[2];
	char err[512];

	gf_rs_init(&rs[0], 4);
	gf_rs_init(&rs[1], 6);
	if (gf_list_parse((const char *)data, size, "fuzz", 101, rs, err, sizeof(err)) == 0) {
		/* what a loader does next with a parsed file */
		gf_rs_flatten(&rs[0], NULL, NULL);
		gf_rs_flatten(&rs[1], NULL, NULL);
		gf_rs_normalize(&rs[0], NULL, NULL);
		gf_rs_normalize(&rs[1], NULL, NULL);
	}
	gf_rs_free(&rs[0]);
	gf_rs_free(&rs[1]);
	return 0;
}
