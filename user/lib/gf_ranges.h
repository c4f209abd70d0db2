/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address range sets: the input of the table builder.  One representation
 * for both families (128-bit integers; IPv4 uses the low 32 bits) so that
 * sorting, merging and layering are written once.
 */
#ifndef GF_RANGES_H
#define GF_RANGES_H

#include <stddef.h>
#include <linux/types.h>
#include "geofence_rules.h"

typedef unsigned __int128 gf_u128;

struct gf_range {
	gf_u128 first;
	gf_u128 last;
	__u16 cls;
	__u32 tag;		/* caller's reference (source line, entry index) */
};

struct gf_rs {
	int family;		/* 4 or 6 */
	struct gf_range *v;
	size_t n, cap;
};

static inline gf_u128 gf_family_max(int family)
{
	return family == 4 ? (gf_u128)0xffffffffu : ~(gf_u128)0;
}

void gf_rs_init(struct gf_rs *rs, int family);
void gf_rs_free(struct gf_rs *rs);
void gf_rs_clear(struct gf_rs *rs);
int gf_rs_add(struct gf_rs *rs, gf_u128 first, gf_u128 last, __u16 cls, __u32 tag);
/* Append in order, extending the last range when adjacent and of the same class. */
int gf_rs_push(struct gf_rs *rs, gf_u128 first, gf_u128 last, __u16 cls, __u32 tag);
int gf_rs_add_prefix(struct gf_rs *rs, gf_u128 addr, int len, __u16 cls, __u32 tag);
int gf_rs_copy(struct gf_rs *dst, const struct gf_rs *src);

/*
 * Sort, reject overlaps and merge neighbours of the same class.  On overlap
 * returns -EINVAL and, if a/b are given, the tags of the two ranges.
 */
int gf_rs_normalize(struct gf_rs *rs, __u32 *a, __u32 *b);

/*
 * Flatten a laminar set (nested or disjoint ranges, as CIDR prefixes are)
 * into non-overlapping ranges where the innermost (most specific) wins.
 * Two identical ranges with different classes, or partially overlapping
 * ranges, return -EINVAL with their tags in a/b.
 */
int gf_rs_flatten(struct gf_rs *rs, __u32 *a, __u32 *b);

/* out = top where top has a range, base elsewhere.  Both normalized. */
int gf_rs_overlay(const struct gf_rs *base, const struct gf_rs *top, struct gf_rs *out);

/* Make rs a complete cover of the family's space, gaps as class fill. */
int gf_rs_fill(struct gf_rs *rs, __u16 fill);

/*
 * The classification layers, lowest first: countries (non-overlapping
 * ranges), reserved space (class GF_CLASS_RESERVED), operator overrides
 * (prefixes, nested allowed: the most specific wins).  out is normalized.
 * Errors name the offending entries' tags in err.
 */
int gf_rs_compose(const struct gf_rs *countries, const struct gf_rs *overrides,
		  struct gf_rs *out, char *err, size_t errlen);

/* Class of addr in a normalized set (binary search); fill if uncovered. */
__u16 gf_rs_find(const struct gf_rs *rs, gf_u128 addr, __u16 fill);
/* The range holding addr in a normalized set, or NULL. */
const struct gf_range *gf_rs_find_range(const struct gf_rs *rs, gf_u128 addr);

/* Add the reserved and special-use prefixes of the family as class cls. */
int gf_rs_add_reserved(struct gf_rs *rs, __u16 cls);

/* Country code <-> class.  Returns the class, or -EINVAL for a bad code. */
int gf_class_from_cc(const char *cc);
/* Writes "DE", "unknown", "reserved" or "override:N" into buf. */
const char *gf_class_name(__u16 cls, char *buf, size_t len);
/* An AS class as the CLI shows it: its country and the AS, "CN/AS13335". */
const char *gf_as_class_name(__u32 asn, __u16 cc, char *buf, size_t len);

/*
 * The datapath's rule for IPv6 destinations that carry an IPv4 address
 * (maps/geofence_rules.h: NAT64, 6to4, Teredo, IPv4-mapped and
 * -compatible) on a 128-bit address.  Returns enum gf_carrier; v4[0] is the
 * address to classify, v4[1] a Teredo server.
 */
int gf_carried(gf_u128 addr6, __u32 v4[2]);

/*
 * Address -> class as the datapath decides it (gf_classify in
 * bpf/include/gf_datapath.h), over any table: lookup(ctx, family, addr)
 * gives one address's class.  A Teredo address takes the stricter of its
 * client's and its server's class under pol (the client's on a tie, or
 * without a policy).
 */
struct gf_policy;
typedef __u16 (*gf_lookup_fn)(const void *ctx, int family, gf_u128 addr);
__u16 gf_classify_addr(int family, gf_u128 addr, gf_lookup_fn lookup, const void *ctx,
		       const struct gf_policy *pol);

/* Address text <-> integer.  gf_addr_parse returns family (4/6) or -EINVAL. */
int gf_addr_parse(const char *s, gf_u128 *addr);
/* Parses "addr/len" or "addr"; returns family or -EINVAL; *len = prefix length. */
int gf_prefix_parse(const char *s, gf_u128 *addr, int *len);
const char *gf_addr_str(int family, gf_u128 addr, char *buf, size_t len);

#endif
