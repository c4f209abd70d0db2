/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Data sanity: how much address space a generation gives to countries, and
 * whether new data may replace the running data.  A botched GeoIP update
 * (a database of one network, a truncated list) is a valid file that would
 * turn most of the world into "unknown"; the check rejects it before it is
 * installed, so the policy cannot fail open through the data.
 */
#ifndef GF_SANITY_H
#define GF_SANITY_H

#include <json-c/json.h>
#include "geofence.h"
#include "gf_world.h"

/*
 * Addresses per family ([0] IPv4, [1] IPv6), as floats: IPv6 needs 2^128.
 * What the sources give to countries is the data the check compares (an
 * override is policy, not data); what the tables give is for the metrics.
 */
struct gf_coverage {
	double data[2];			/* the sources: given to any country */
	double per_country[GF_CLASS_COUNTRY_END][2];	/* the sources, by class */
	/* the tables (after reserved space and overrides); these four add up to the family */
	double country[2], reserved[2], overrides[2], unknown[2];
};

void gf_coverage_of(const struct gf_world *w, struct gf_coverage *c);

struct gf_sanity_opts {
	double max_shrink;	/* geoip.max_shrink: share of a family's country space a reload may lose */
	double min_coverage;	/* geoip.min_coverage: first load, share of the default data's space */
};
#define GF_MAX_SHRINK_DEFAULT	0.10
#define GF_MIN_COVERAGE_DEFAULT	0.50

/*
 * May next replace prev (NULL: nothing runs yet, compare with the default
 * database's figures)?  named[cls] is the "FILE:LINE" that names a country
 * in the policy, or NULL.  0, or -EINVAL with what shrank, by how much and
 * what to do in err.  note receives a line for the log when a shrink was
 * accepted (empty if none).
 */
int gf_sanity_check(const struct gf_coverage *prev, const struct gf_coverage *next,
		    const char *const *named, const struct gf_sanity_opts *o, char *err,
		    size_t errlen, char *note, size_t notelen);

/*
 * state.json's "coverage" object, and back (0, or -EINVAL if absent or
 * malformed).  Per country only those named[] (NULL: all).
 */
json_object *gf_coverage_to_json(const struct gf_coverage *c, const char *const *named);
int gf_coverage_from_json(json_object *o, struct gf_coverage *c);

#endif
