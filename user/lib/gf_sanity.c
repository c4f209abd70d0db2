// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "gf_ranges.h"
#include "gf_sanity.h"
#include "gf_reference.h"	/* generated from the default data: scripts/gen-reference.pl */

static const char *const fam[2] = { "IPv4", "IPv6" };

static int is_country(__u16 cls)
{
	return cls >= GF_CLASS_COUNTRY_BASE && cls < GF_CLASS_COUNTRY_END;
}

void gf_coverage_of(const struct gf_world *w, struct gf_coverage *c)
{
	memset(c, 0, sizeof(*c));
	for (int f = 0; f < 2; f++) {
		const struct gf_rs *rs = &w->countries[f];

		for (size_t i = 0; i < rs->n; i++) {
			const struct gf_range *r = &rs->v[i];
			double n = (double)(r->last - r->first) + 1;

			if (is_country(r->cls)) {
				c->data[f] += n;
				c->per_country[r->cls][f] += n;
			}
		}
		rs = &w->all[f];
		for (size_t i = 0; i < rs->n; i++) {
			const struct gf_range *r = &rs->v[i];
			double n = (double)(r->last - r->first) + 1;
			__u16 cls = r->cls;

			if (is_country(cls)) {
				c->country[f] += n;
			} else if (cls == GF_CLASS_RESERVED) {
				c->reserved[f] += n;
			} else if (cls >= GF_CLASS_OVERRIDE_BASE) {
				c->overrides[f] += n;
			}
		}
		c->unknown[f] = ldexp(1, f ? 128 : 32) - c->country[f] - c->reserved[f] - c->overrides[f];
		if (c->unknown[f] < 0)
			c->unknown[f] = 0;
	}
}

/* "1,234,567" for IPv4 counts, "4.37e+35" for IPv6 */
static const char *num(int f, double v, char *buf, size_t len)
{
	if (f == 0) {
		char raw[32];
		size_t n, o = 0;

		snprintf(raw, sizeof(raw), "%.0f", v);
		n = strlen(raw);
		for (size_t i = 0; i < n && o + 2 < len; i++) {
			buf[o++] = raw[i];
			if (i + 1 < n && (n - i - 1) % 3 == 0)
				buf[o++] = ',';
		}
		buf[o] = '\0';
	} else {
		snprintf(buf, len, "%.3g", v);
	}
	return buf;
}

static int ref_knows(__u16 cls)
{
	static const char codes[] = GF_REF_COUNTRIES;
	char cc[8];

	gf_class_name(cls, cc, sizeof(cc));
	for (size_t i = 0; i + 1 < sizeof(codes); i += 2)
		if (codes[i] == cc[0] && codes[i + 1] == cc[1])
			return 1;
	return 0;
}

int gf_sanity_check(const struct gf_coverage *prev, const struct gf_coverage *next,
		    const char *const *named, const struct gf_sanity_opts *o, char *err,
		    size_t errlen, char *note, size_t notelen)
{
	static const double ref[2] = { GF_REF_IPV4_ADDRESSES, GF_REF_IPV6_ADDRESSES };
	char a[48], b[48];
	size_t nl = 0;

	if (note && notelen)
		note[0] = '\0';
	for (int f = 0; f < 2; f++) {
		if (prev && prev->data[f] > 0) {
			double loss = (prev->data[f] - next->data[f]) / prev->data[f];

			if (loss > o->max_shrink) {
				snprintf(err, errlen, "the new data gives %s %s addresses to countries, the "
					 "running generation %s: %.1f%% of it would become unknown, more "
					 "than geoip.max_shrink (%.0f%%) allows; check the sources (a "
					 "truncated or wrong database?), or raise geoip.max_shrink to "
					 "accept it", fam[f], num(f, next->data[f], a, sizeof(a)),
					 num(f, prev->data[f], b, sizeof(b)), 100 * loss,
					 100 * o->max_shrink);
				return -EINVAL;
			}
			if (loss > 0.001 && note && nl < notelen)
				nl += snprintf(note + nl, notelen - nl, "%s%s space given to countries shrank "
					       "by %.1f%% (geoip.max_shrink allows %.0f%%)", nl ? "; " : "",
					       fam[f], 100 * loss, 100 * o->max_shrink);
		} else if (!prev && o->min_coverage > 0 && next->data[f] < o->min_coverage * ref[f]) {
			snprintf(err, errlen, "the data gives %s %s addresses to countries, less than "
				 "geoip.min_coverage (%.0f%%) of the %s the default database gives: a "
				 "truncated or wrong database?  Check the sources, or set "
				 "geoip.min_coverage = 0 to start with it", fam[f],
				 num(f, next->data[f], a, sizeof(a)), 100 * o->min_coverage,
				 num(f, ref[f], b, sizeof(b)));
			return -EINVAL;
		}
	}
	for (__u16 cls = GF_CLASS_COUNTRY_BASE; named && cls < GF_CLASS_COUNTRY_END; cls++) {
		char cc[8];

		if (!named[cls] || next->per_country[cls][0] + next->per_country[cls][1] > 0)
			continue;
		gf_class_name(cls, cc, sizeof(cc));
		if (prev && prev->per_country[cls][0] + prev->per_country[cls][1] > 0 &&
		    o->max_shrink < 1) {
			snprintf(err, errlen, "%s, which the policy names (%s), has no address in the new "
				 "data; the running generation gives it %s IPv4 and %s IPv6 addresses: "
				 "check the sources, or set geoip.max_shrink = 1 to accept it", cc,
				 named[cls], num(0, prev->per_country[cls][0], a, sizeof(a)),
				 num(1, prev->per_country[cls][1], b, sizeof(b)));
			return -EINVAL;
		}
		if (!prev && o->min_coverage > 0 && ref_knows(cls)) {
			snprintf(err, errlen, "%s, which the policy names (%s), has no address in the data, "
				 "though the default database knows it: check the sources, or set "
				 "geoip.min_coverage = 0 to start with them", cc, named[cls]);
			return -EINVAL;
		}
	}
	return 0;
}

json_object *gf_coverage_to_json(const struct gf_coverage *c, const char *const *named)
{
	json_object *o = json_object_new_object(), *cs = json_object_new_object();

	for (int f = 0; f < 2; f++) {
		json_object *x = json_object_new_object();

		json_object_object_add(x, "data", json_object_new_double(c->data[f]));
		json_object_object_add(x, "country", json_object_new_double(c->country[f]));
		json_object_object_add(x, "reserved", json_object_new_double(c->reserved[f]));
		json_object_object_add(x, "overrides", json_object_new_double(c->overrides[f]));
		json_object_object_add(x, "unknown", json_object_new_double(c->unknown[f]));
		json_object_object_add(o, f ? "ipv6" : "ipv4", x);
	}
	for (__u16 cls = GF_CLASS_COUNTRY_BASE; cls < GF_CLASS_COUNTRY_END; cls++) {
		json_object *pair;
		char cc[8];

		if (c->per_country[cls][0] + c->per_country[cls][1] <= 0 || (named && !named[cls]))
			continue;
		pair = json_object_new_array();
		json_object_array_add(pair, json_object_new_double(c->per_country[cls][0]));
		json_object_array_add(pair, json_object_new_double(c->per_country[cls][1]));
		json_object_object_add(cs, gf_class_name(cls, cc, sizeof(cc)), pair);
	}
	json_object_object_add(o, "countries", cs);
	return o;
}

static int get_double(json_object *o, const char *key, double *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int)))
		return -EINVAL;
	*out = json_object_get_double(v);
	return isfinite(*out) && *out >= 0 ? 0 : -EINVAL;
}

int gf_coverage_from_json(json_object *o, struct gf_coverage *c)
{
	json_object *fo, *cs;

	memset(c, 0, sizeof(*c));
	if (!o)
		return -EINVAL;
	for (int f = 0; f < 2; f++) {
		if (!json_object_object_get_ex(o, f ? "ipv6" : "ipv4", &fo) ||
		    get_double(fo, "data", &c->data[f]) ||
		    get_double(fo, "country", &c->country[f]) || get_double(fo, "reserved", &c->reserved[f]) ||
		    get_double(fo, "overrides", &c->overrides[f]) || get_double(fo, "unknown", &c->unknown[f]))
			return -EINVAL;
	}
	if (!json_object_object_get_ex(o, "countries", &cs) || !json_object_is_type(cs, json_type_object))
		return -EINVAL;
	json_object_object_foreach(cs, cc, pair) {
		int cls = gf_class_from_cc(cc);

		if (cls < GF_CLASS_COUNTRY_BASE || cls >= GF_CLASS_COUNTRY_END ||
		    !json_object_is_type(pair, json_type_array) || json_object_array_length(pair) != 2)
			return -EINVAL;
		for (int f = 0; f < 2; f++)
			c->per_country[cls][f] = json_object_get_double(json_object_array_get_idx(pair, f));
	}
	return 0;
}
