/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HyperLogLog distinct counters over 64-bit hashes (2^11 one-byte
 * registers: 2 KiB, 2.3 % standard error), with the small-range
 * correction.  The hashes are keyed (gf_hll_key): registers hold the
 * position of a bit of a keyed hash, nothing of the value.
 */
#ifndef GF_HLL_H
#define GF_HLL_H

#include <stddef.h>
#include <stdint.h>

#define GF_HLL_P 11
#define GF_HLL_M (1u << GF_HLL_P)

struct gf_hll {
	uint8_t reg[GF_HLL_M];
};

void gf_hll_clear(struct gf_hll *h);
void gf_hll_add(struct gf_hll *h, uint64_t hash);
void gf_hll_merge(struct gf_hll *dst, const struct gf_hll *src);
double gf_hll_estimate(const struct gf_hll *h);

/* A keyed 64-bit hash (SipHash-2-4 through OpenSSL). */
struct gf_hll_key;
/* key: 16 bytes, or NULL for a random one */
struct gf_hll_key *gf_hll_key_new(const uint8_t *key);
void gf_hll_key_free(struct gf_hll_key *k);
uint64_t gf_hll_hash(struct gf_hll_key *k, const void *data, size_t len);

#endif
