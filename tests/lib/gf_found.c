// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "gf_found.h"

void gf_found_collect(int cat, const char *v, size_t n, void *ctx)
{
	struct gf_found *f = ctx;

	if (f->n == GF_FOUND_MAX)
		return;
	f->cat[f->n] = cat;
	snprintf(f->val[f->n], sizeof(f->val[0]), "%.*s", (int)(n < 63 ? n : 63), v);
	f->n++;
}
