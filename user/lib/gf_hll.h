/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HyperLogLog distinct counters over 64-bit hashes (2^11 registers of 5
 * bits, 2.3 % standard error), with the small-range correction, built the
 * way postgresql-hll builds `hll` (log2m 11, regwidth 5, the type's
 * defaults): gf_hll_pack gives its storage format, so the database merges
 * them (hll_union) with its own.  The hashes are keyed (gf_hll_key):
 * registers hold the position of a bit of a keyed hash, nothing of the value.
 */
#ifndef GF_HLL_H
#define GF_HLL_H

#include <stddef.h>
#include <stdint.h>

#define GF_HLL_P 11
#define GF_HLL_M (1u << GF_HLL_P)
#define GF_HLL_REG_BITS 5
#define GF_HLL_REG_MAX ((1u << GF_HLL_REG_BITS) - 1)
/* bytes of the packed form: 3 header bytes and 2048 registers of 5 bits */
#define GF_HLL_PACKED_MAX (3 + (GF_HLL_M * GF_HLL_REG_BITS + 7) / 8)

struct gf_hll {
	uint8_t reg[GF_HLL_M];
};

void gf_hll_clear(struct gf_hll *h);
void gf_hll_add(struct gf_hll *h, uint64_t hash);
void gf_hll_merge(struct gf_hll *dst, const struct gf_hll *src);
double gf_hll_estimate(const struct gf_hll *h);
int gf_hll_empty(const struct gf_hll *h);
/* postgresql-hll's storage format (EMPTY or FULL): bytes written, 0 if len is short. */
size_t gf_hll_pack(const struct gf_hll *h, uint8_t *out, size_t len);
/* Reads EMPTY, EXPLICIT, SPARSE or FULL of these parameters; -EINVAL otherwise. */
int gf_hll_unpack(struct gf_hll *h, const uint8_t *in, size_t len);

/* A keyed 64-bit hash (SipHash-2-4 through OpenSSL). */
struct gf_hll_key;
/* key: 16 bytes, or NULL for a random one */
struct gf_hll_key *gf_hll_key_new(const uint8_t *key);
void gf_hll_key_free(struct gf_hll_key *k);
uint64_t gf_hll_hash(struct gf_hll_key *k, const void *data, size_t len);
/* Names the key without giving it away: a keyed hash of a fixed label. */
uint64_t gf_hll_key_fingerprint(struct gf_hll_key *k);

#endif
