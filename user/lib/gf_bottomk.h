/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bottom-k sample of keyed hashes with a count beside each: the k
 * smallest hashes seen, and for each how many sampled packets carried it.
 *
 * Once a hash has been dropped for lack of room the sample is truncated at
 * a threshold (its largest kept hash): every hash at or below it that was
 * ever added is kept, with its whole count (a hash below the threshold was
 * below it at every earlier moment too, so it was never dropped).  A union
 * of samples is exact below the smallest of their thresholds, which makes
 * per-day samples merge into a window, and gateways into a fleet, without
 * counting any value twice or losing its count: the frequency profile of
 * the merged sample (how many hashes were seen once, twice...) is that of
 * a uniform random subset of the distinct values, of known share.
 */
#ifndef GF_BOTTOMK_H
#define GF_BOTTOMK_H

#include <stddef.h>
#include <stdint.h>

#define GF_BK_K		2048	/* hashes kept per day and (category, country) */
#define GF_BK_ALL	UINT64_MAX	/* the threshold of a sample that dropped nothing */

struct gf_bk {
	uint32_t len, cap, k;
	uint64_t thr;		/* GF_BK_ALL, or every hash <= thr is here */
	uint64_t *h;		/* ascending */
	uint32_t *n;		/* sampled packets that carried h[i] */
};

void gf_bk_init(struct gf_bk *b, uint32_t k);
void gf_bk_free(struct gf_bk *b);
/* Adds count packets of hash h: 0 or -ENOMEM (the sample is unchanged). */
int gf_bk_add(struct gf_bk *b, uint64_t h, uint32_t count);
/*
 * Sets b to the union of the n samples (counts summed) below the smallest
 * of their thresholds, and of at most limit hashes (the smallest; 0: no
 * limit): 0 or -ENOMEM.
 */
int gf_bk_union(struct gf_bk *b, const struct gf_bk *const *src, size_t n, uint32_t limit);
#define GF_BK_UNION_MAX 65536	/* hashes a window's profile is read from */
/* The share of the hash space the sample covers: 1 when it dropped nothing. */
double gf_bk_share(const struct gf_bk *b);

#endif
