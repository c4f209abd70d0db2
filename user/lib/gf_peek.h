/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a sampled payload is, and the name of the service it goes to:
 *
 *   - whether the scanner can read it: plain (readable), a TLS record,
 *     QUIC, or other bytes that look encrypted or compressed (their
 *     entropy is near that of random bytes of the same length);
 *   - the server name it carries, where one can be read without keys:
 *     the server_name extension of a TLS ClientHello (RFC 6066 section 3),
 *     the Host header of an HTTP/1.x request (RFC 9112 section 3.2), the
 *     ClientHello inside a QUIC Initial packet, whose protection keys
 *     anyone can derive from its destination connection ID (RFC 9001
 *     section 5.2; version 1 and version 2, RFC 9369).
 *
 * Names are checked to be DNS host names (letters, digits, '-', '_', '.';
 * 1 to 253 characters) and kept in lower case; anything else is no name.
 * Nothing else of the payload leaves these functions.
 */
#ifndef GF_PEEK_H
#define GF_PEEK_H

#include <stddef.h>
#include <stdint.h>

enum gf_payload_kind { GF_PAYLOAD_READABLE, GF_PAYLOAD_TLS, GF_PAYLOAD_QUIC, GF_PAYLOAD_OPAQUE, GF_PAYLOAD_KINDS };
enum gf_name_via { GF_NAME_NONE, GF_NAME_TLS, GF_NAME_HTTP, GF_NAME_QUIC, GF_NAME_VIAS };

#define GF_NAME_MAX 254		/* a DNS name (253) and its NUL */

struct gf_peek {
	enum gf_payload_kind kind;
	enum gf_name_via via;
	char name[GF_NAME_MAX];
};

/* "readable", "tls", "quic", "opaque"; "sni", "http", "quic" */
extern const char *const gf_payload_kind_names[GF_PAYLOAD_KINDS];
extern const char *const gf_name_via_names[GF_NAME_VIAS];

/*
 * Look at a payload of l4_proto (IPPROTO_TCP, IPPROTO_UDP...) between
 * the two ports (either may be the server's).  p may be a sample's first
 * bytes only: what is cut off is not read.
 */
void gf_peek(const uint8_t *p, size_t len, int l4_proto, uint16_t sport, uint16_t dport, struct gf_peek *out);

/*
 * The server name of a TLS handshake message that starts at p (type 1,
 * ClientHello; in a TLS record after its 5-byte header, or reassembled
 * from QUIC CRYPTO frames) into name: 1 found, 0 not.
 */
int gf_peek_client_hello(const uint8_t *p, size_t len, char *name);

/*
 * The name in a QUIC Initial packet (long header, version 1 or 2): its
 * protection removed with the keys of its destination connection ID, its
 * CRYPTO frames put in order, the ClientHello read.  1 found, 0 not.
 */
int gf_quic_initial_name(const uint8_t *p, size_t len, char *name);

/*
 * The client's Initial keys of a destination connection ID (RFC 9001
 * section 5.2; version 2's salt and labels for version 0x6b3343cf): the
 * AEAD key (16), IV (12) and header protection key (16).  0, or -1.
 */
int gf_quic_client_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, uint8_t key[16], uint8_t iv[12],
			uint8_t hp[16]);

#endif
