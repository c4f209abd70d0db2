/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Handshakes the tests build: a TLS 1.3 ClientHello naming a server, in a
 * TLS record or in a QUIC version 1 Initial packet protected as RFC 9001
 * says (AES-128-GCM with the tag, header protection), with OpenSSL's
 * GCM: an encoder apart from the decoder it tests (gf_quic.c uses CTR).
 */
#ifndef GF_HELLO_H
#define GF_HELLO_H

#include <stddef.h>
#include <stdint.h>

/*
 * A ClientHello handshake message (type 1, no record header) naming
 * server (NULL: no server_name), with before bytes of other extensions
 * ahead of it.  Returns its length, or 0 if it does not fit.
 */
size_t gf_hello_build(const char *server, size_t before, uint8_t *out, size_t cap);

/* The message in one TLS handshake record. */
size_t gf_hello_record(const uint8_t *hello, size_t len, uint8_t *out, size_t cap);

/*
 * A client Initial of 1200 bytes (padded) for dcid, carrying hello in
 * CRYPTO frames: split in two, second half first when split is set.
 * Returns its length, or 0.
 */
size_t gf_hello_quic_initial(const uint8_t *dcid, size_t dcid_len, const uint8_t *hello, size_t len, int split,
			     uint8_t *out, size_t cap);

#endif
