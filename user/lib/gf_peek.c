// SPDX-License-Identifier: GPL-2.0
/*
 * What a sampled payload is, and the server name it carries (gf_peek.h).
 * Every read is checked against the bytes the sample holds: a payload cut
 * off by the sample's length gives what it has, never a read past it.
 */
#include <ctype.h>
#include <math.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include "gf_peek.h"

const char *const gf_payload_kind_names[GF_PAYLOAD_KINDS] = { "readable", "tls", "quic", "opaque" };
const char *const gf_name_via_names[GF_NAME_VIAS] = { "", "sni", "http", "quic" };

#define OPAQUE_MIN 64		/* shorter payloads are too short to tell by their bytes */
#define OPAQUE_SPAN 512		/* the bytes whose entropy is measured: enough to tell, and cheap */
#define OPAQUE_ENTROPY 0.85	/* of the most a payload of its length can have */

/* A DNS host name (RFC 1123, and '_' as seen in service names), not an address: copied in lower case. */
static int take_name(const uint8_t *s, size_t n, char *name)
{
	int dots_digits = 1;

	while (n && s[n - 1] == '.')
		n--;	/* the root's dot */
	if (!n || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int c = s[i];

		if (!isalnum(c) && c != '-' && c != '.' && c != '_')
			return 0;
		if (c == '.' && (i == 0 || s[i - 1] == '.'))
			return 0;	/* an empty label */
		dots_digits &= isdigit(c) || c == '.';
		name[i] = tolower(c);
	}
	name[n] = '\0';
	return !dots_digits;	/* 192.0.2.7 is an address */
}

static unsigned be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

int gf_peek_client_hello(const uint8_t *p, size_t len, char *name)
{
	size_t off, end, n;

	if (len < 4 || p[0] != 1)
		return 0;
	end = 4 + ((size_t)p[1] << 16 | p[2] << 8 | p[3]);
	if (end > len)
		end = len;	/* cut off: read what is there */
	off = 4 + 2 + 32;	/* legacy_version, random */
	if (off + 1 > end)
		return 0;
	off += 1 + p[off];	/* legacy_session_id */
	if (off + 2 > end)
		return 0;
	off += 2 + be16(p + off);	/* cipher_suites */
	if (off + 1 > end)
		return 0;
	off += 1 + p[off];	/* legacy_compression_methods */
	if (off + 2 > end)
		return 0;
	n = be16(p + off);
	off += 2;
	if (off + n < end)
		end = off + n;
	while (off + 4 <= end) {
		unsigned type = be16(p + off), elen = be16(p + off + 2);
		size_t e = off + 4, eend = e + elen > end ? end : e + elen;

		if (type == 0) {	/* server_name: a list of (type, name); host_name is type 0 */
			for (e += 2; e + 3 <= eend;) {
				unsigned nlen = be16(p + e + 1);

				if (p[e] == 0 && e + 3 + nlen <= eend)
					return take_name(p + e + 3, nlen, name);
				e += 3 + nlen;
			}
			return 0;
		}
		off = e + elen;
	}
	return 0;
}

static const char *const methods[] = { "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ",
				       "CONNECT ", "TRACE " };

/* The Host header of an HTTP/1.x request, without its port; an address literal is no name. */
static int http_host(const uint8_t *p, size_t len, char *name)
{
	size_t i, m;

	for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
		if (len > strlen(methods[m]) && !memcmp(p, methods[m], strlen(methods[m])))
			break;
	if (m == sizeof(methods) / sizeof(methods[0]))
		return 0;
	for (i = 0; i + 7 < len; i++) {
		size_t v, e;

		if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r')
			return 0;	/* the headers' end */
		if (p[i] != '\n' || strncasecmp((const char *)p + i + 1, "host:", 5))
			continue;
		for (v = i + 6; v < len && (p[v] == ' ' || p[v] == '\t'); v++)
			;
		for (e = v; e < len && p[e] != '\r' && p[e] != '\n' && p[e] != ' ' && p[e] != '\t'; e++)
			;
		if (e == len || (v < len && p[v] == '['))
			return 0;	/* cut off, or an IPv6 literal */
		for (size_t c = v; c < e; c++)
			if (p[c] == ':') {
				e = c;	/* the port */
				break;
			}
		return take_name(p + v, e - v, name);
	}
	return 0;
}

/*
 * Shannon entropy near the most bytes of this length can have: encrypted
 * or compressed.  Text goes first: 64 printable bytes in a row are text
 * (random bytes are printable about 4 times in 10).
 */
static int looks_opaque(const uint8_t *p, size_t len)
{
	unsigned count[256] = { 0 };
	double h = 0, most;
	size_t i;

	if (len < OPAQUE_MIN)
		return 0;
	for (i = 0; i < OPAQUE_MIN && ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' || p[i] == '\r' || p[i] == '\n');
	     i++)
		;
	if (i == OPAQUE_MIN)
		return 0;
	if (len > OPAQUE_SPAN)
		len = OPAQUE_SPAN;
	most = log2(len < 256 ? (double)len : 256.0);
	for (size_t i = 0; i < len; i++)
		count[p[i]]++;
	for (int b = 0; b < 256; b++)
		if (count[b]) {
			double q = (double)count[b] / len;

			h -= q * log2(q);
		}
	return h >= OPAQUE_ENTROPY * most;
}

static int is_tls_record(const uint8_t *p, size_t len, int l4_proto)
{
	if (len < 5 || p[0] < 20 || p[0] > 23)
		return 0;
	if (l4_proto == IPPROTO_TCP)
		return p[1] == 3 && p[2] <= 4;
	return l4_proto == IPPROTO_UDP && p[1] == 0xfe;	/* DTLS */
}

static int is_quic(const uint8_t *p, size_t len, uint16_t sport, uint16_t dport)
{
	uint32_t version;

	if (len < 7)
		return 0;
	if (p[0] & 0x80) {
		version = (uint32_t)p[1] << 24 | p[2] << 16 | p[3] << 8 | p[4];
		/* version 1, version 2 (RFC 9369), and the drafts (0xff0000xx) */
		return version == 1 || version == 0x6b3343cf || (version >> 8) == 0xff0000;
	}
	/* a short header: only its port says it is QUIC */
	return (p[0] & 0x40) && len >= 21 && (sport == 443 || dport == 443);
}

void gf_peek(const uint8_t *p, size_t len, int l4_proto, uint16_t sport, uint16_t dport, struct gf_peek *out)
{
	memset(out, 0, sizeof(*out));
	if (is_tls_record(p, len, l4_proto)) {
		out->kind = GF_PAYLOAD_TLS;
		if (p[0] == 22 && l4_proto == IPPROTO_TCP && gf_peek_client_hello(p + 5, len - 5, out->name))
			out->via = GF_NAME_TLS;
	} else if (l4_proto == IPPROTO_UDP && is_quic(p, len, sport, dport)) {
		out->kind = GF_PAYLOAD_QUIC;
		if ((p[0] & 0x80) && gf_quic_initial_name(p, len, out->name))
			out->via = GF_NAME_QUIC;
	} else if (l4_proto == IPPROTO_TCP && http_host(p, len, out->name)) {
		out->kind = GF_PAYLOAD_READABLE;
		out->via = GF_NAME_HTTP;
	} else {
		out->kind = looks_opaque(p, len) ? GF_PAYLOAD_OPAQUE : GF_PAYLOAD_READABLE;
	}
}
