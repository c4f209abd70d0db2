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

/*
 * The IPv4 address an IPv6 destination carries, for the prefixes that
 * carry one: NAT64 64:ff9b::/96 (RFC 6052), 6to4 2002::/16 (bits 16-47),
 * Teredo 2001::/32 (the server, bits 32-63) and, with include_mapped,
 * IPv4-mapped ::ffff:0:0/96.  Returns 1 and sets *v4, else 0.
 */
int gf_embedded_ipv4(gf_u128 addr6, __u32 *v4, int include_mapped);

/* Address text <-> integer.  gf_addr_parse returns family (4/6) or -EINVAL. */
int gf_addr_parse(const char *s, gf_u128 *addr);
/* Parses "addr/len" or "addr"; returns family or -EINVAL; *len = prefix length. */
int gf_prefix_parse(const char *s, gf_u128 *addr, int *len);
const char *gf_addr_str(int family, gf_u128 addr, char *buf, size_t len);

#endif
