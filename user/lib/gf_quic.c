// SPDX-License-Identifier: GPL-2.0
/*
 * The ClientHello in a QUIC Initial packet (RFC 9000 section 17.2.2,
 * RFC 9001 section 5).  An Initial's keys come from its destination
 * connection ID and a salt the RFC publishes, so anyone on the path can
 * remove its protection: that is what this does, with OpenSSL's HKDF and
 * AES.  The payload is decrypted with AES-CTR as AES-GCM would (the same
 * key stream) without checking the tag: a sample may be cut off before
 * it, and a tag proves nothing here, since anyone can make one.
 *
 * Version 1 only.  Version 2 (RFC 9369) differs in its salt, labels and
 * type bits; its packets are counted as QUIC without a name.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include "gf_peek.h"

#define CRYPTO_MAX 4096		/* a ClientHello's first bytes: the name is in its extensions */
#define SEGMENTS 32

/* RFC 9001 section 5.2 */
static const uint8_t salt_v1[20] = { 0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
				     0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a };

static EVP_KDF *hkdf;
static pthread_once_t hkdf_once = PTHREAD_ONCE_INIT;

static void hkdf_fetch(void)
{
	hkdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
}

/* HKDF (RFC 5869) extract (info NULL) or expand, SHA-256. */
static int kdf(int mode, const uint8_t *key, size_t klen, const uint8_t *salt, size_t slen, const uint8_t *info,
	       size_t ilen, uint8_t *out, size_t olen)
{
	OSSL_PARAM params[6], *p = params;
	EVP_KDF_CTX *ctx;
	int ok;

	pthread_once(&hkdf_once, hkdf_fetch);
	if (!hkdf || !(ctx = EVP_KDF_CTX_new(hkdf)))
		return -1;
	*p++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA256", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, klen);
	if (salt)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, slen);
	if (info)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, ilen);
	*p = OSSL_PARAM_construct_end();
	ok = EVP_KDF_derive(ctx, out, olen, params) == 1;
	EVP_KDF_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* HKDF-Expand-Label of TLS 1.3 (RFC 8446 section 7.1) with an empty context. */
static int expand_label(const uint8_t *secret, const char *label, uint8_t *out, size_t olen)
{
	uint8_t info[2 + 1 + 255 + 1];
	size_t ll = 6 + strlen(label), n = 0;

	if (ll > 255)
		return -1;
	info[n++] = olen >> 8;
	info[n++] = olen & 0xff;
	info[n++] = ll;
	memcpy(info + n, "tls13 ", 6);
	memcpy(info + n + 6, label, ll - 6);
	n += ll;
	info[n++] = 0;
	return kdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, 32, NULL, 0, info, n, out, olen);
}

int gf_quic_client_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, uint8_t key[16], uint8_t iv[12],
			uint8_t hp[16])
{
	uint8_t initial[32], client[32];

	if (version != 1)
		return -1;
	if (kdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, dcid, dcid_len, salt_v1, sizeof(salt_v1), NULL, 0, initial, 32) ||
	    expand_label(initial, "client in", client, 32) || expand_label(client, "quic key", key, 16) ||
	    expand_label(client, "quic iv", iv, 12) || expand_label(client, "quic hp", hp, 16))
		return -1;
	return 0;
}

/* AES-128 of in with key: ECB (one block, header protection) or CTR from counter block ctr. */
static int aes(const EVP_CIPHER *c, const uint8_t *key, const uint8_t *ctr, const uint8_t *in, size_t len,
	       uint8_t *out)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	if (!x)
		return -1;
	ok = EVP_EncryptInit_ex(x, c, NULL, key, ctr) == 1 && EVP_CIPHER_CTX_set_padding(x, 0) == 1 &&
	     EVP_EncryptUpdate(x, out, &n, in, (int)len) == 1 && (size_t)n == len;
	EVP_CIPHER_CTX_free(x);
	return ok ? 0 : -1;
}

/* A variable-length integer (RFC 9000 section 16) at *off: 0, or -1 past end. */
static int varint(const uint8_t *p, size_t end, size_t *off, uint64_t *v)
{
	size_t n;

	if (*off >= end)
		return -1;
	n = (size_t)1 << (p[*off] >> 6);
	if (*off + n > end)
		return -1;
	*v = p[*off] & 0x3f;
	for (size_t i = 1; i < n; i++)
		*v = *v << 8 | p[*off + i];
	*off += n;
	return 0;
}

/* CRYPTO frames of a decrypted payload put in order: the bytes from offset 0 on that are all there. */
static size_t crypto_stream(const uint8_t *f, size_t len, uint8_t *buf)
{
	struct {
		uint64_t off, len;
	} seg[SEGMENTS];
	int nseg = 0;
	size_t i = 0, have = 0;

	while (i < len) {
		uint64_t type, a, b, c, d;

		if (varint(f, len, &i, &type))
			break;
		if (type == 0x00 || type == 0x01)
			continue;	/* PADDING, PING */
		if (type == 0x02 || type == 0x03) {	/* ACK: largest, delay, ranges, first range, gaps */
			if (varint(f, len, &i, &a) || varint(f, len, &i, &b) || varint(f, len, &i, &c) ||
			    varint(f, len, &i, &d) || c > 64)
				break;
			for (uint64_t r = 0; r < 2 * c + (type == 0x03 ? 3 : 0); r++)
				if (varint(f, len, &i, &a))
					return 0;
			continue;
		}
		if (type != 0x06)
			break;	/* CONNECTION_CLOSE, or not an Initial's */
		if (varint(f, len, &i, &a) || varint(f, len, &i, &b))
			break;
		if (b > len - i)
			b = len - i;	/* cut off by the sample */
		if (a < CRYPTO_MAX && nseg < SEGMENTS) {
			size_t n = a + b > CRYPTO_MAX ? CRYPTO_MAX - a : b;

			memcpy(buf + a, f + i, n);
			seg[nseg].off = a;
			seg[nseg++].len = n;
		}
		i += b;
	}
	/* the contiguous run from 0: segments may come in any order */
	for (int grew = 1; grew;) {
		grew = 0;
		for (int s = 0; s < nseg; s++)
			if (seg[s].off <= have && seg[s].off + seg[s].len > have) {
				have = seg[s].off + seg[s].len;
				grew = 1;
			}
	}
	return have;
}

int gf_quic_initial_name(const uint8_t *p, size_t len, char *name)
{
	uint8_t key[16], iv[12], hp[16], mask[16], ctr[16], first, *plain = NULL;
	static __thread uint8_t stream[CRYPTO_MAX];
	size_t off = 5, pn_off, pn_len, start, n;
	uint64_t tlen, plen, pn = 0;
	uint32_t version;
	int found = 0;

	if (len < 7 || !(p[0] & 0x80))
		return 0;
	version = (uint32_t)p[1] << 24 | p[2] << 16 | p[3] << 8 | p[4];
	if (version != 1 || ((p[0] >> 4) & 3) != 0)
		return 0;	/* not a version 1 Initial */
	if (p[off] > 20 || off + 1 + p[off] >= len)
		return 0;
	if (gf_quic_client_keys(version, p + off + 1, p[off], key, iv, hp))
		return 0;
	off += 1 + p[off];	/* destination connection ID */
	if (p[off] > 20 || off + 1 + p[off] > len)
		return 0;
	off += 1 + p[off];	/* source connection ID */
	if (varint(p, len, &off, &tlen) || tlen > len - off)
		return 0;
	off += tlen;	/* token */
	if (varint(p, len, &off, &plen))
		return 0;
	pn_off = off;
	/* header protection: a mask from the 16 bytes 4 past the packet number's start */
	if (pn_off + 4 + 16 > len || aes(EVP_aes_128_ecb(), hp, NULL, p + pn_off + 4, 16, mask))
		return 0;
	first = p[0] ^ (mask[0] & 0x0f);
	pn_len = (first & 3) + 1;
	for (size_t i = 0; i < pn_len; i++)
		pn = pn << 8 | (p[pn_off + i] ^ mask[1 + i]);
	start = pn_off + pn_len;
	if (plen < pn_len + 16)
		return 0;
	n = plen - pn_len - 16;	/* the frames, without the AEAD tag */
	if (n > len - start)
		n = len - start;	/* a sample cut off: what it has */
	/* the nonce: the IV with the packet number in its last bytes; GCM's counter starts at 2 */
	memcpy(ctr, iv, 12);
	for (int i = 0; i < 8; i++)
		ctr[11 - i] ^= (pn >> (8 * i)) & 0xff;
	ctr[12] = ctr[13] = ctr[14] = 0;
	ctr[15] = 2;
	plain = malloc(n ? n : 1);
	if (plain && !aes(EVP_aes_128_ctr(), key, ctr, p + start, n, plain)) {
		size_t have = crypto_stream(plain, n, stream);

		found = gf_peek_client_hello(stream, have, name);
	}
	free(plain);
	return found;
}
