/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reproducible pseudo-random numbers for tests and the benchmark
 * (xorshift64*): the same seed gives the same addresses on every run.
 */
#ifndef GF_RAND_H
#define GF_RAND_H

#include <linux/types.h>

struct gf_rand {
	__u64 s;
};

static inline __u64 gf_rand64(struct gf_rand *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

static inline unsigned __int128 gf_rand128(struct gf_rand *r)
{
	return ((unsigned __int128)gf_rand64(r) << 64) | gf_rand64(r);
}

#endif
