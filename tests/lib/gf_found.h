/* SPDX-License-Identifier: GPL-2.0 */
/* What a scan found, for the scanner's tests: gf_found_collect is a gf_dlp_match_fn. */
#ifndef GF_FOUND_H
#define GF_FOUND_H

#include <stddef.h>

#define GF_FOUND_MAX 256

struct gf_found {
	int cat[GF_FOUND_MAX];
	char val[GF_FOUND_MAX][64];	/* the normalized value, cut at 63 characters */
	int n;
};

void gf_found_collect(int cat, const char *value, size_t len, void *found);

#endif
