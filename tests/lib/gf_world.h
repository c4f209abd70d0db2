/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The default world table for tests and the benchmark: Debian's
 * tor-geoipdb ranges (IPFire location data), composed with the reserved
 * space and optional overrides, built into tables.
 */
#ifndef GF_WORLD_H
#define GF_WORLD_H

#include "gf_table.h"

struct gf_world {
	struct gf_rs countries[2];	/* [0] IPv4, [1] IPv6: as loaded */
	struct gf_rs all[2];		/* composed: what the tables hold */
	struct gf_table *table[2];
	double load_seconds;		/* reading the files */
	double build_seconds;		/* compose + build, both families */
};

int gf_world_load(struct gf_world *w, const struct gf_rs *overrides4,
		  const struct gf_rs *overrides6);
/* Compose + build again (e.g. with other overrides), replacing the tables. */
int gf_world_rebuild(struct gf_world *w, const struct gf_rs *overrides4,
		     const struct gf_rs *overrides6);
void gf_world_free(struct gf_world *w);

#endif
