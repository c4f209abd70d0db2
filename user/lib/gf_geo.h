/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GeoIP sources -> country ranges: MaxMind DB files (any database with a
 * country: GeoLite2/GeoIP2 Country or City, DB-IP, IPinfo, IPFire-derived,
 * geofence's own default), per-country CIDR list files ("zone" files) and
 * Tor's geoip/geoip6 files.  Several sources combine in an explicit order
 * of precedence; where they disagree, the later source wins and the
 * disagreement is reported.
 *
 * Every loader either returns a complete result or an error naming the
 * file (and line) with nothing half-loaded: callers keep what they had.
 */
#ifndef GF_GEO_H
#define GF_GEO_H

#include <stdio.h>
#include "gf_ranges.h"

enum gf_geo_kind {
	GF_GEO_MMDB,
	GF_GEO_LIST,	/* CIDR list: one prefix per line, one country per file */
	GF_GEO_TOR,	/* Tor's geoip (IPv4) or geoip6 (IPv6) */
};

struct gf_geo_opts {
	/* MMDB: use registered_country.iso_code when a record has no country */
	int registered_country_fallback;
	/*
	 * An ASN database instead (GeoLite2-ASN's shape): a record's class is
	 * 1 + the index of its autonomous_system_number in asn[], 0 (left
	 * out) for an AS not named there.
	 */
	const __u32 *asn;
	int nasn;
};

void gf_geo_opts_default(struct gf_geo_opts *o);

/*
 * A link from somewhere in an IPv6 tree to its IPv4 subtree (an alias, as
 * MaxMind's writers make for ::ffff:0:0/96, 2002::/16 and 2001::/32): an
 * address under prefix/len is answered with the IPv4 data for the 32 bits
 * that follow the prefix, as libmaxminddb answers it.
 */
struct gf_alias {
	gf_u128 prefix;
	int len;
};

#define GF_GEO_MAX_ALIASES 32

/* What one source holds, and where it came from. */
struct gf_geo {
	enum gf_geo_kind kind;
	char path[4096];
	struct gf_rs rs[2];		/* [0] IPv4, [1] IPv6; normalized */
	/* MMDB metadata (lists and Tor files: the file's mtime, its name) */
	__u64 build_epoch;
	char database_type[64];
	char description[512];
	/* figures of the load */
	__u64 networks;			/* data records met in the search tree / lines */
	__u64 fallback_registered;	/* records classified by registered_country */
	__u64 no_country;		/* records without any usable country: unknown */
	__u64 aliases_skipped;		/* IPv4 aliases in an IPv6 tree (MMDB) */
	struct gf_alias alias[GF_GEO_MAX_ALIASES];	/* where they are */
	int nalias;
	__u64 bytes;			/* file size */
};

void gf_geo_init(struct gf_geo *g);
void gf_geo_free(struct gf_geo *g);

/*
 * Load one source.  For GF_GEO_LIST, cc is the country of every prefix in
 * the file; NULL takes it from the file name ("cn.zone", "CN.txt").
 * Errors: a negative errno and "FILE[:LINE]: what to do" in err.
 */
int gf_geo_load(struct gf_geo *g, enum gf_geo_kind kind, const char *path, const char *cc,
		const struct gf_geo_opts *opts, char *err, size_t errlen);

/* Parse a CIDR list from memory (the file loader and the fuzzer use it). */
int gf_list_parse(const char *buf, size_t len, const char *name, __u16 cls,
		  struct gf_rs rs[2], char *err, size_t errlen);

/*
 * Country code from a list file name: "path/to/cn.zone" -> "CN"; also "CN",
 * "cn.txt" and "cn-aggregated.zone".  Other names: -EINVAL.
 */
int gf_list_cc_from_name(const char *path, char cc[3]);

/* Disagreements met while combining sources. */
struct gf_geo_conflicts {
	__u64 ranges;			/* pieces where a later source overrode another country */
	gf_u128 addresses[2];		/* addresses in them, per family */
	char first[256];		/* the first one, for the log */
};

/*
 * Combine sources, lowest precedence first: each later source wins where
 * it has data.  out[] is normalized; conflicts (may be NULL) counts where
 * two sources gave different countries.
 */
int gf_geo_combine(const struct gf_geo *srcs, size_t n, struct gf_rs out[2],
		   struct gf_geo_conflicts *conflicts);

/*
 * Address -> country class as a database answers it (not the datapath's
 * reserved-space policy or its rule for addresses that carry IPv4 ones):
 * an IPv6 address under one of the aliases takes the IPv4 data the alias
 * leads to, and one in ::/96 the IPv4 data stored there, as libmaxminddb
 * answers them; other IPv6 addresses the database's own IPv6 data.
 */
__u16 gf_geo_find(const struct gf_rs rs[2], int family, gf_u128 addr, const struct gf_alias *alias,
		  int nalias);

#endif
