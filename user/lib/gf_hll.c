// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include "gf_hll.h"

void gf_hll_clear(struct gf_hll *h)
{
	memset(h->reg, 0, sizeof(h->reg));
}

/*
 * The register update of postgresql-hll (its storage spec, schema 1): the
 * low GF_HLL_P bits pick the register, the rest (w) gives 1 + the trailing
 * zeros of w, capped at what 5 bits hold.  Sketches built here therefore
 * merge in the database with those it builds itself.
 */
void gf_hll_add(struct gf_hll *h, uint64_t hash)
{
	uint32_t idx = hash & (GF_HLL_M - 1);
	uint64_t w = hash >> GF_HLL_P;
	uint8_t rho = w ? __builtin_ctzll(w) + 1 : 0;

	if (rho > GF_HLL_REG_MAX)
		rho = GF_HLL_REG_MAX;
	if (rho > h->reg[idx])
		h->reg[idx] = rho;
}

int gf_hll_empty(const struct gf_hll *h)
{
	for (uint32_t i = 0; i < GF_HLL_M; i++)
		if (h->reg[i])
			return 0;
	return 1;
}

/*
 * postgresql-hll's storage: a version/type byte (schema 1 in the top
 * nibble, EMPTY 1, EXPLICIT 2, SPARSE 3, FULL 4), the parameter byte
 * ((register width - 1) << 5 | log2 of the registers), the cutoff byte
 * (sparse on, explicit threshold "auto" = 63: what `hll` without a typmod
 * uses), then FULL's registers packed 5 bits each, high bits first.
 */
#define PG_PARAM	((GF_HLL_REG_BITS - 1) << 5 | GF_HLL_P)
#define PG_CUTOFF	(0x40 | 63)

size_t gf_hll_pack(const struct gf_hll *h, uint8_t *out, size_t len)
{
	uint64_t acc = 0;
	unsigned int bits = 0;
	size_t o = 3;

	if (len < GF_HLL_PACKED_MAX)
		return 0;
	out[1] = PG_PARAM;
	out[2] = PG_CUTOFF;
	if (gf_hll_empty(h)) {
		out[0] = 0x11;
		return 3;
	}
	out[0] = 0x14;
	for (uint32_t i = 0; i < GF_HLL_M; i++) {
		acc = acc << GF_HLL_REG_BITS | h->reg[i];
		bits += GF_HLL_REG_BITS;
		while (bits >= 8) {
			bits -= 8;
			out[o++] = acc >> bits;
		}
	}
	if (bits)
		out[o++] = acc << (8 - bits);
	return o;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Reads bits [pos, pos + n) of a big-endian bit string (n <= 32). */
static uint32_t bits_at(const uint8_t *p, size_t pos, unsigned int n)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < n; i++, pos++)
		v = v << 1 | ((p[pos / 8] >> (7 - pos % 8)) & 1);
	return v;
}

int gf_hll_unpack(struct gf_hll *h, const uint8_t *in, size_t len)
{
	size_t data, word;

	gf_hll_clear(h);
	if (len < 3 || in[0] >> 4 != 1)
		return -EINVAL;
	if ((in[0] & 15) != 1 && in[1] != PG_PARAM)
		return -EINVAL;	/* other register counts or widths do not merge */
	data = len - 3;
	switch (in[0] & 15) {
	case 1:		/* EMPTY */
		return data ? -EINVAL : 0;
	case 2:		/* EXPLICIT: the hashes themselves */
		if (data % 8)
			return -EINVAL;
		for (size_t i = 0; i < data; i += 8)
			gf_hll_add(h, be64(in + 3 + i));
		return 0;
	case 3:		/* SPARSE: (index, value) short words */
		word = GF_HLL_P + GF_HLL_REG_BITS;
		for (size_t pos = 0; pos + word <= data * 8; pos += word) {
			uint32_t w = bits_at(in + 3, pos, word);

			h->reg[w >> GF_HLL_REG_BITS] = w & GF_HLL_REG_MAX;
		}
		return data * 8 % word >= 8 ? -EINVAL : 0;
	case 4:		/* FULL */
		if (data != (GF_HLL_M * GF_HLL_REG_BITS + 7) / 8)
			return -EINVAL;
		for (uint32_t i = 0; i < GF_HLL_M; i++)
			h->reg[i] = bits_at(in + 3, (size_t)i * GF_HLL_REG_BITS, GF_HLL_REG_BITS);
		return 0;
	}
	return -EINVAL;
}

void gf_hll_merge(struct gf_hll *dst, const struct gf_hll *src)
{
	for (uint32_t i = 0; i < GF_HLL_M; i++)
		if (src->reg[i] > dst->reg[i])
			dst->reg[i] = src->reg[i];
}

double gf_hll_estimate(const struct gf_hll *h)
{
	const double m = GF_HLL_M, alpha = 0.7213 / (1 + 1.079 / m);
	double sum = 0, e;
	unsigned int zeros = 0;

	for (uint32_t i = 0; i < GF_HLL_M; i++) {
		sum += ldexp(1.0, -h->reg[i]);
		zeros += !h->reg[i];
	}
	e = alpha * m * m / sum;
	if (e <= 2.5 * m && zeros)
		e = m * log(m / zeros);	/* linear counting for small sets */
	return e;
}

struct gf_hll_key {
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx;
};

struct gf_hll_key *gf_hll_key_new(const uint8_t *key)
{
	struct gf_hll_key *k = calloc(1, sizeof(*k));
	uint8_t rnd[16];
	size_t size = 8;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &size),
		OSSL_PARAM_construct_end(),
	};

	if (!k)
		return NULL;
	if (!key) {
		if (RAND_bytes(rnd, sizeof(rnd)) != 1)
			goto fail;
		key = rnd;
	}
	k->mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_SIPHASH, NULL);
	k->ctx = k->mac ? EVP_MAC_CTX_new(k->mac) : NULL;
	if (!k->ctx || !EVP_MAC_init(k->ctx, key, 16, params))
		goto fail;
	OPENSSL_cleanse(rnd, sizeof(rnd));
	return k;
fail:
	OPENSSL_cleanse(rnd, sizeof(rnd));
	gf_hll_key_free(k);
	return NULL;
}

void gf_hll_key_free(struct gf_hll_key *k)
{
	if (!k)
		return;
	EVP_MAC_CTX_free(k->ctx);
	EVP_MAC_free(k->mac);
	free(k);
}

uint64_t gf_hll_hash(struct gf_hll_key *k, const void *data, size_t len)
{
	unsigned char out[8];
	size_t outl = 0;
	uint64_t h;

	/* init with no key: the same key again */
	if (!EVP_MAC_init(k->ctx, NULL, 0, NULL) || !EVP_MAC_update(k->ctx, data, len) ||
	    !EVP_MAC_final(k->ctx, out, &outl, sizeof(out)) || outl != 8)
		return 0;
	memcpy(&h, out, 8);
	return h;
}

uint64_t gf_hll_key_fingerprint(struct gf_hll_key *k)
{
	static const char label[] = "geofence key fingerprint 1";

	return gf_hll_hash(k, label, sizeof(label) - 1);
}
