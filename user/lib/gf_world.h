/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The classification pipeline: GeoIP sources -> combined country ranges ->
 * layered with reserved space and operator overrides -> the datapath's
 * tables.  Used by the agent, the CLI, the tests and the benchmark.
 */
#ifndef GF_WORLD_H
#define GF_WORLD_H

#include "gf_geo.h"
#include "gf_table.h"

/* One source as configured: kind, path, and for a list the country. */
struct gf_source_spec {
	enum gf_geo_kind kind;
	const char *path;
	const char *cc;		/* GF_GEO_LIST: NULL = from the file name */
};

struct gf_world {
	struct gf_geo *srcs;		/* loaded sources, lowest precedence first */
	size_t nsrcs;
	struct gf_alias alias[GF_GEO_MAX_ALIASES];	/* the MMDB sources' IPv4 aliases */
	int nalias;
	struct gf_rs countries[2];	/* combined sources: [0] IPv4, [1] IPv6 */
	struct gf_geo_conflicts conflicts;
	struct gf_rs all[2];		/* + reserved space + overrides: what the tables hold */
	struct gf_table *table[2];
	/*
	 * AS classes (gf_world_load_asn): the named ASes' ranges, class 1 +
	 * the index in asn_list; each (AS, country) pair they hold is a
	 * class of its own from as_base on, so that counters stay per
	 * country.  Layered over the countries, under reserved space and the
	 * overrides.
	 */
	struct gf_rs asn[2];
	__u32 *asn_list;
	int nasn;
	int as_base;
	struct gf_as_class {
		__u32 asn;
		__u16 cc;		/* its country's class; GF_CLASS_UNKNOWN where the data has none */
	} *as_cls;			/* class as_base + i */
	int nas_cls;
	struct gf_geo asn_src;		/* the ASN database's figures */
	double load_seconds;		/* reading and combining the sources */
	double build_seconds;		/* layering + building both tables */
};

/*
 * Load the sources (lowest precedence first) and build.  On error nothing
 * is kept and err names the file and line.
 */
int gf_world_load(struct gf_world *w, const struct gf_source_spec *specs, size_t n,
		  const struct gf_geo_opts *opts, const struct gf_rs *overrides4,
		  const struct gf_rs *overrides6, char *err, size_t errlen);
/* Layer and build again with other overrides, replacing the tables. */
int gf_world_rebuild(struct gf_world *w, const struct gf_rs *overrides4,
		     const struct gf_rs *overrides6, char *err, size_t errlen);
void gf_world_free(struct gf_world *w);
/*
 * The ASes named in asns[] (nasn) from an ASN database (GeoLite2-ASN's
 * shape), as classes from as_base on; the tables are built again.  On
 * error the world is as it was.
 */
int gf_world_load_asn(struct gf_world *w, const char *path, const __u32 *asns, int nasn, int as_base,
		      const struct gf_rs *overrides4, const struct gf_rs *overrides6, char *err, size_t errlen);
/* The (AS, country) pair of a class, or NULL for another class. */
const struct gf_as_class *gf_world_as_class(const struct gf_world *w, unsigned cls);

/* The default database geofence ships, or NULL if none is found. */
const char *gf_default_db(void);
/* Load the default database alone (tests, bench, demo). */
int gf_world_load_default(struct gf_world *w, char *err, size_t errlen);

#endif
