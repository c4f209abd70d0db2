// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gf_world.h"

#ifndef GF_DATADIR
#define GF_DATADIR "/usr/local/share/geofence"
#endif

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

const char *gf_default_db(void)
{
	static const char *const places[] = {
		GF_DATADIR "/geofence-country.mmdb",
		"/usr/share/geofence/geofence-country.mmdb",
#ifdef GF_BUILD_DB
		GF_BUILD_DB,	/* a build tree, before make install */
#endif
	};
	const char *env = getenv("GEOFENCE_DB");

	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof(places) / sizeof(*places); i++)
		if (!access(places[i], R_OK))
			return places[i];
	return NULL;
}

int gf_world_rebuild(struct gf_world *w, const struct gf_rs *o4, const struct gf_rs *o6,
		     char *err, size_t errlen)
{
	struct gf_rs all[2] = { { 0 } };
	struct gf_table *t[2] = { NULL, NULL };
	double t0 = now();
	int ret = 0;

	for (int f = 0; f < 2 && !ret; f++) {
		ret = gf_rs_compose(&w->countries[f], f ? o6 : o4, &all[f], err, errlen);
		if (!ret) {
			ret = gf_table_build(&all[f], &t[f]);
			if (ret)
				snprintf(err, errlen, "building the IPv%d table: %s", f ? 6 : 4,
					 strerror(-ret));
		}
	}
	if (ret) {
		for (int f = 0; f < 2; f++) {
			gf_rs_free(&all[f]);
			gf_table_free(t[f]);
		}
		return ret;
	}
	/* only now replace what was there: a failed rebuild keeps the old */
	for (int f = 0; f < 2; f++) {
		gf_rs_free(&w->all[f]);
		gf_table_free(w->table[f]);
		w->all[f] = all[f];
		w->table[f] = t[f];
	}
	w->build_seconds = now() - t0;
	return 0;
}

int gf_world_load(struct gf_world *w, const struct gf_source_spec *specs, size_t n,
		  const struct gf_geo_opts *opts, const struct gf_rs *o4, const struct gf_rs *o6,
		  char *err, size_t errlen)
{
	double t0 = now();
	int ret = 0;

	memset(w, 0, sizeof(*w));
	gf_rs_init(&w->all[0], 4);
	gf_rs_init(&w->all[1], 6);
	if (!n) {
		snprintf(err, errlen, "no GeoIP source configured");
		return -EINVAL;
	}
	w->srcs = calloc(n, sizeof(*w->srcs));
	if (!w->srcs)
		return -ENOMEM;
	for (size_t i = 0; i < n && !ret; i++) {
		ret = gf_geo_load(&w->srcs[i], specs[i].kind, specs[i].path, specs[i].cc, opts, err,
				  errlen);
		if (!ret)
			w->nsrcs++;
		for (int k = 0; !ret && k < w->srcs[i].nalias; k++) {
			const struct gf_alias *a = &w->srcs[i].alias[k];
			int dup = 0;

			for (int j = 0; j < w->nalias; j++)
				dup |= w->alias[j].len == a->len && w->alias[j].prefix == a->prefix;
			if (!dup && w->nalias < GF_GEO_MAX_ALIASES)
				w->alias[w->nalias++] = *a;
		}
	}
	if (!ret)
		ret = gf_geo_combine(w->srcs, w->nsrcs, w->countries, &w->conflicts);
	/* the combined ranges are what is kept; each source keeps its figures */
	for (size_t i = 0; !ret && i < w->nsrcs; i++) {
		gf_rs_free(&w->srcs[i].rs[0]);
		gf_rs_free(&w->srcs[i].rs[1]);
	}
	w->load_seconds = now() - t0;
	if (!ret)
		ret = gf_world_rebuild(w, o4, o6, err, errlen);
	if (ret)
		gf_world_free(w);
	return ret;
}

int gf_world_load_default(struct gf_world *w, char *err, size_t errlen)
{
	struct gf_source_spec s = { .kind = GF_GEO_MMDB, .path = gf_default_db() };

	if (!s.path) {
		memset(w, 0, sizeof(*w));
		snprintf(err, errlen, "the default database geofence-country.mmdb is not built or "
			 "installed: run make (it builds it from Debian's tor-geoipdb)");
		return -ENOENT;
	}
	return gf_world_load(w, &s, 1, NULL, NULL, NULL, err, errlen);
}

void gf_world_free(struct gf_world *w)
{
	for (size_t i = 0; i < w->nsrcs; i++)
		gf_geo_free(&w->srcs[i]);
	free(w->srcs);
	for (int f = 0; f < 2; f++) {
		gf_rs_free(&w->countries[f]);
		gf_rs_free(&w->all[f]);
		gf_table_free(w->table[f]);
	}
	memset(w, 0, sizeof(*w));
}
