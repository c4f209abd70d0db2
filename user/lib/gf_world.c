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

const struct gf_as_class *gf_world_as_class(const struct gf_world *w, unsigned cls)
{
	return w->nas_cls && cls >= (unsigned)w->as_base && cls < (unsigned)(w->as_base + w->nas_cls) ?
		       &w->as_cls[cls - w->as_base] : NULL;
}

/*
 * The named ASes over the countries: each AS range is cut where the
 * countries' ranges change, and each piece gets the class of its (AS,
 * country) pair, made on first sight.  *base: the countries with the
 * pieces on top.
 */
static int as_layer(struct gf_world *w, int f, __u16 *pair, struct gf_rs *base, char *err, size_t errlen)
{
	const struct gf_rs *a = &w->asn[f], *c = &w->countries[f];
	struct gf_rs pieces;
	size_t j = 0;
	int ret = 0;

	gf_rs_init(&pieces, f ? 6 : 4);
	gf_rs_init(base, f ? 6 : 4);
	for (size_t i = 0; i < a->n && !ret; i++) {
		gf_u128 at = a->v[i].first, end;

		for (;;) {
			__u16 cc = GF_CLASS_UNKNOWN, *slot;

			while (j < c->n && c->v[j].last < at)
				j++;
			if (j < c->n && c->v[j].first <= at) {
				cc = c->v[j].cls;
				end = c->v[j].last < a->v[i].last ? c->v[j].last : a->v[i].last;
			} else {
				end = j < c->n && c->v[j].first - 1 < a->v[i].last ? c->v[j].first - 1 : a->v[i].last;
			}
			slot = &pair[(size_t)(a->v[i].cls - 1) * GF_CLASS_COUNTRY_END + (cc < GF_CLASS_COUNTRY_END ? cc : 0)];
			if (!*slot) {
				if (w->as_base + w->nas_cls >= GF_NUM_CLASSES) {
					snprintf(err, errlen, "the named ASes span more (AS, country) pairs than the "
						 "datapath has classes left (%d): name fewer ASes or overrides",
						 GF_NUM_CLASSES - w->as_base);
					ret = -E2BIG;
					break;
				}
				w->as_cls[w->nas_cls] = (struct gf_as_class){ w->asn_list[a->v[i].cls - 1], cc };
				*slot = w->as_base + w->nas_cls++;
			}
			ret = gf_rs_push(&pieces, at, end, *slot, 0);
			if (ret || end == a->v[i].last)
				break;
			at = end + 1;
		}
	}
	if (!ret)
		ret = gf_rs_normalize(&pieces, NULL, NULL) ?: gf_rs_overlay(c, &pieces, base);
	gf_rs_free(&pieces);
	return ret;
}

int gf_world_rebuild(struct gf_world *w, const struct gf_rs *o4, const struct gf_rs *o6,
		     char *err, size_t errlen)
{
	struct gf_rs all[2] = { { 0 } }, layered[2] = { { 0 } };
	struct gf_table *t[2] = { NULL, NULL };
	__u16 *pair = NULL;
	double t0 = now();
	int ret = 0;

	if (w->nasn) {
		/* the pairs are made again, in address order: the same data gives the same classes */
		pair = calloc((size_t)w->nasn * GF_CLASS_COUNTRY_END, sizeof(*pair));
		free(w->as_cls);
		w->as_cls = calloc(GF_NUM_CLASSES, sizeof(*w->as_cls));
		w->nas_cls = 0;
		if (!pair || !w->as_cls)
			ret = -ENOMEM;
	}
	for (int f = 0; f < 2 && !ret; f++) {
		if (w->nasn)
			ret = as_layer(w, f, pair, &layered[f], err, errlen);
		if (!ret)
			ret = gf_rs_compose(w->nasn ? &layered[f] : &w->countries[f], f ? o6 : o4, &all[f], err, errlen);
		if (!ret) {
			ret = gf_table_build(&all[f], &t[f]);
			if (ret)
				snprintf(err, errlen, "building the IPv%d table: %s", f ? 6 : 4,
					 strerror(-ret));
		}
	}
	free(pair);
	for (int f = 0; f < 2; f++)
		gf_rs_free(&layered[f]);
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

int gf_world_load_asn(struct gf_world *w, const char *path, const __u32 *asns, int nasn, int as_base,
		      const struct gf_rs *o4, const struct gf_rs *o6, char *err, size_t errlen)
{
	struct gf_geo_opts opts = { .asn = asns, .nasn = nasn };
	int ret;

	gf_geo_free(&w->asn_src);
	ret = gf_geo_load(&w->asn_src, GF_GEO_MMDB, path, NULL, &opts, err, errlen);
	if (ret)
		return ret;
	for (int f = 0; f < 2; f++) {
		gf_rs_free(&w->asn[f]);
		w->asn[f] = w->asn_src.rs[f];
		memset(&w->asn_src.rs[f], 0, sizeof(w->asn_src.rs[f]));
	}
	free(w->asn_list);
	w->asn_list = malloc(sizeof(*asns) * (nasn ? nasn : 1));
	if (!w->asn_list)
		return -ENOMEM;
	memcpy(w->asn_list, asns, sizeof(*asns) * nasn);
	w->nasn = nasn;
	w->as_base = as_base;
	return gf_world_rebuild(w, o4, o6, err, errlen);
}

void gf_world_free(struct gf_world *w)
{
	gf_geo_free(&w->asn_src);
	free(w->asn_list);
	free(w->as_cls);
	gf_rs_free(&w->asn[0]);
	gf_rs_free(&w->asn[1]);
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
