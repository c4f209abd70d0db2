// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <openssl/evp.h>
#include "gf_hello.h"
#include "gf_peek.h"

static size_t put16(uint8_t *p, size_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return 2;
}

size_t gf_hello_build(const char *server, size_t before, uint8_t *out, size_t cap)
{
	size_t n = 0, ext_len_at, ext_start, nl = server ? strlen(server) : 0;

	if (cap < 4 + 2 + 32 + 1 + 32 + 2 + 6 + 2 + 2 + before + 4 + 64 + 9 + nl)
		return 0;
	out[n++] = 1;	/* ClientHello */
	n += 3;		/* its length, below */
	n += put16(out + n, 0x0303);
	for (int i = 0; i < 32; i++)
		out[n++] = 0x40 + i;	/* random */
	out[n++] = 32;	/* legacy_session_id */
	for (int i = 0; i < 32; i++)
		out[n++] = 0xa0 + i;
	n += put16(out + n, 6);	/* cipher_suites: TLS_AES_128_GCM_SHA256, _256_GCM_SHA384, CHACHA20 */
	n += put16(out + n, 0x1301);
	n += put16(out + n, 0x1302);
	n += put16(out + n, 0x1303);
	out[n++] = 1;	/* legacy_compression_methods: null */
	out[n++] = 0;
	ext_len_at = n;
	n += 2;
	ext_start = n;
	if (before) {	/* a padding extension (21) of before bytes, ahead of the name */
		n += put16(out + n, 21);
		n += put16(out + n, before);
		memset(out + n, 0, before);
		n += before;
	}
	if (server) {
		n += put16(out + n, 0);	/* server_name */
		n += put16(out + n, nl + 5);
		n += put16(out + n, nl + 3);
		out[n++] = 0;	/* host_name */
		n += put16(out + n, nl);
		memcpy(out + n, server, nl);
		n += nl;
	}
	n += put16(out + n, 43);	/* supported_versions: TLS 1.3 */
	n += put16(out + n, 3);
	out[n++] = 2;
	n += put16(out + n, 0x0304);
	n += put16(out + n, 51);	/* key_share: x25519, a key of 32 bytes */
	n += put16(out + n, 38);
	n += put16(out + n, 36);
	n += put16(out + n, 29);
	n += put16(out + n, 32);
	for (int i = 0; i < 32; i++)
		out[n++] = 0x11 * (i & 7);
	put16(out + ext_len_at, n - ext_start);
	out[1] = (n - 4) >> 16;
	out[2] = ((n - 4) >> 8) & 0xff;
	out[3] = (n - 4) & 0xff;
	return n;
}

size_t gf_hello_record(const uint8_t *hello, size_t len, uint8_t *out, size_t cap)
{
	if (len + 5 > cap || len > 0x4000)
		return 0;
	out[0] = 22;	/* handshake */
	out[1] = 3;
	out[2] = 1;	/* as clients write it */
	put16(out + 3, len);
	memcpy(out + 5, hello, len);
	return len + 5;
}

/* a CRYPTO frame (type 6) of data at offset off; varints of 2 bytes */
static size_t crypto_frame(uint8_t *p, size_t off, const uint8_t *data, size_t len)
{
	p[0] = 0x06;
	put16(p + 1, 0x4000 | off);
	put16(p + 3, 0x4000 | len);
	memcpy(p + 5, data, len);
	return 5 + len;
}

size_t gf_hello_quic_initial(const uint8_t *dcid, size_t dcid_len, const uint8_t *hello, size_t len, int split,
			     uint8_t *out, size_t cap)
{
	const size_t total = 1200, pn_len = 4;
	uint8_t key[16], iv[12], hp[16], nonce[12], frames[1200], mask[16], tag[16];
	size_t n = 0, hdr, flen = 0, plen;
	const uint32_t pn = 2;
	EVP_CIPHER_CTX *c;
	int outl, ok;

	if (cap < total || len > 900 || gf_quic_client_keys(1, dcid, dcid_len, key, iv, hp))
		return 0;
	out[n++] = 0xc0 | (pn_len - 1);	/* long header, fixed bit, Initial, packet number of 4 bytes */
	out[n++] = 0;
	out[n++] = 0;
	out[n++] = 0;
	out[n++] = 1;	/* version 1 */
	out[n++] = dcid_len;
	memcpy(out + n, dcid, dcid_len);
	n += dcid_len;
	out[n++] = 8;	/* source connection ID */
	memcpy(out + n, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	n += 8;
	out[n++] = 0;	/* no token */
	plen = total - n - 2;	/* the length field (2 bytes) covers the packet number and payload */
	put16(out + n, 0x4000 | plen);
	n += 2;
	for (size_t i = 0; i < pn_len; i++)
		out[n + i] = (pn >> (8 * (pn_len - 1 - i))) & 0xff;
	hdr = n + pn_len;
	/* the frames: the ClientHello (in two, out of order if asked), then PADDING */
	if (split) {
		size_t h = len / 2;

		flen += crypto_frame(frames + flen, h, hello + h, len - h);
		flen += crypto_frame(frames + flen, 0, hello, h);
	} else {
		flen += crypto_frame(frames + flen, 0, hello, len);
	}
	memset(frames + flen, 0, plen - pn_len - 16 - flen);
	flen = plen - pn_len - 16;
	memcpy(nonce, iv, 12);
	for (int i = 0; i < 4; i++)
		nonce[11 - i] ^= (pn >> (8 * i)) & 0xff;
	c = EVP_CIPHER_CTX_new();
	ok = c && EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL) == 1 &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1 &&
	     EVP_EncryptInit_ex(c, NULL, NULL, key, nonce) == 1 &&
	     EVP_EncryptUpdate(c, NULL, &outl, out, hdr) == 1 &&	/* the header is the AAD */
	     EVP_EncryptUpdate(c, out + hdr, &outl, frames, flen) == 1 &&
	     EVP_EncryptFinal_ex(c, out + hdr + outl, &outl) == 1 &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok)
		return 0;
	memcpy(out + hdr + flen, tag, 16);
	/* header protection */
	c = EVP_CIPHER_CTX_new();
	ok = c && EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, hp, NULL) == 1 &&
	     EVP_CIPHER_CTX_set_padding(c, 0) == 1 && EVP_EncryptUpdate(c, mask, &outl, out + n + 4, 16) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok)
		return 0;
	out[0] ^= mask[0] & 0x0f;
	for (size_t i = 0; i < pn_len; i++)
		out[n + i] ^= mask[1 + i];
	return total;
}
