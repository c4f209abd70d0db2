// SPDX-License-Identifier: GPL-2.0
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

void gf_hll_add(struct gf_hll *h, uint64_t hash)
{
	uint32_t idx = hash >> (64 - GF_HLL_P);
	uint64_t w = hash << GF_HLL_P;
	uint8_t rho = w ? __builtin_clzll(w) + 1 : 64 - GF_HLL_P + 1;

	if (rho > h->reg[idx])
		h->reg[idx] = rho;
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
