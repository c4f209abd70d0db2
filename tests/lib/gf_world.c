// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "gf_tor.h"
#include "gf_world.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int gf_world_rebuild(struct gf_world *w, const struct gf_rs *o4, const struct gf_rs *o6)
{
	char err[256];
	double t0 = now();
	int ret;

	for (int f = 0; f < 2; f++) {
		gf_rs_free(&w->all[f]);
		gf_table_free(w->table[f]);
		w->table[f] = NULL;
		ret = gf_rs_compose(&w->countries[f], f ? o6 : o4, &w->all[f], err, sizeof(err));
		if (ret) {
			fprintf(stderr, "world table: %s\n", err);
			return ret;
		}
		ret = gf_table_build(&w->all[f], &w->table[f]);
		if (ret)
			return ret;
	}
	w->build_seconds = now() - t0;
	return 0;
}

int gf_world_load(struct gf_world *w, const struct gf_rs *o4, const struct gf_rs *o6)
{
	char err[256];
	double t0 = now();
	int ret;

	memset(w, 0, sizeof(*w));
	gf_rs_init(&w->countries[0], 4);
	gf_rs_init(&w->countries[1], 6);
	gf_rs_init(&w->all[0], 4);
	gf_rs_init(&w->all[1], 6);
	ret = gf_tor_load(GF_TOR_GEOIP4, &w->countries[0], err, sizeof(err));
	if (!ret)
		ret = gf_tor_load(GF_TOR_GEOIP6, &w->countries[1], err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s (install Debian's tor-geoipdb: make deps)\n", err);
		return ret;
	}
	w->load_seconds = now() - t0;
	return gf_world_rebuild(w, o4, o6);
}

void gf_world_free(struct gf_world *w)
{
	for (int f = 0; f < 2; f++) {
		gf_rs_free(&w->countries[f]);
		gf_rs_free(&w->all[f]);
		gf_table_free(w->table[f]);
	}
}
