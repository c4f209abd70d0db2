// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: what a payload is and the name it carries (user/lib/gf_peek.c,
 * gf_quic.c).  QUIC's Initial keys against the values RFC 9001 Appendix A.1
 * publishes; Initial packets made by OpenSSL's AES-GCM (tests/lib/gf_hello.c)
 * read back; TLS records and HTTP requests, whole, cut off, and mangled.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "gf_hello.h"
#include "gf_peek.h"

static void hex(const char *s, uint8_t *out)
{
	for (size_t i = 0; s[2 * i]; i++)
		sscanf(s + 2 * i, "%2hhx", &out[i]);
}

/* RFC 9001 A.1: the client's Initial keys for DCID 0x8394c8f03e515708 */
static void test_quic_keys(void **s)
{
	uint8_t dcid[8], key[16], iv[12], hp[16], want_key[16], want_iv[12], want_hp[16];

	(void)s;
	hex("8394c8f03e515708", dcid);
	hex("1f369613dd76d5467730efcbe3b1a22d", want_key);
	hex("fa044b2f42a3fd3b46fb255c", want_iv);
	hex("9f50449e04a0e810283a1e9933adedd2", want_hp);
	assert_int_equal(gf_quic_client_keys(1, dcid, 8, key, iv, hp), 0);
	assert_memory_equal(key, want_key, 16);
	assert_memory_equal(iv, want_iv, 12);
	assert_memory_equal(hp, want_hp, 16);
	assert_int_not_equal(gf_quic_client_keys(0x6b3343cf, dcid, 8, key, iv, hp), 0);	/* v2: not ours */
}

static void peek(const uint8_t *p, size_t len, int proto, uint16_t dport, struct gf_peek *o)
{
	gf_peek(p, len, proto, 50000, dport, o);
}

static void test_tls(void **s)
{
	uint8_t hello[2048], rec[2100];
	size_t hl, rl, at;
	struct gf_peek o;

	(void)s;
	hl = gf_hello_build("Upload.Example.CN.", 100, hello, sizeof(hello));
	rl = gf_hello_record(hello, hl, rec, sizeof(rec));
	assert_true(hl && rl);
	peek(rec, rl, IPPROTO_TCP, 443, &o);
	assert_int_equal(o.kind, GF_PAYLOAD_TLS);
	assert_int_equal(o.via, GF_NAME_TLS);
	assert_string_equal(o.name, "upload.example.cn");	/* lower case, no root dot */
	/* cut off: the name is read if the sample holds it, never past the sample */
	at = (size_t)((uint8_t *)memmem(rec, rl, "Upload", 6) - rec);
	peek(rec, at + 18, IPPROTO_TCP, 443, &o);
	assert_int_equal(o.via, GF_NAME_TLS);
	for (size_t cut = 0; cut < at + 18; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);	/* exactly cut bytes: a read past them is caught by ASan */

		memcpy(copy, rec, cut);
		peek(copy, cut, IPPROTO_TCP, 443, &o);
		assert_int_equal(o.via, GF_NAME_NONE);
		free(copy);
	}
	/* no server_name, an address as the name, a name with a space: no name */
	rl = gf_hello_record(hello, gf_hello_build(NULL, 0, hello, sizeof(hello)), rec, sizeof(rec));
	peek(rec, rl, IPPROTO_TCP, 443, &o);
	assert_true(o.kind == GF_PAYLOAD_TLS && o.via == GF_NAME_NONE);
	rl = gf_hello_record(hello, gf_hello_build("192.0.2.7", 0, hello, sizeof(hello)), rec, sizeof(rec));
	peek(rec, rl, IPPROTO_TCP, 443, &o);
	assert_int_equal(o.via, GF_NAME_NONE);
	rl = gf_hello_record(hello, gf_hello_build("a b.example", 0, hello, sizeof(hello)), rec, sizeof(rec));
	peek(rec, rl, IPPROTO_TCP, 443, &o);
	assert_int_equal(o.via, GF_NAME_NONE);
	/* application data: TLS, no name */
	memcpy(rec, "\x17\x03\x03\x01\x00", 5);
	peek(rec, 300, IPPROTO_TCP, 443, &o);
	assert_true(o.kind == GF_PAYLOAD_TLS && o.via == GF_NAME_NONE);
}

/* Every byte of a ClientHello record set to every value of a few: no crash, names only of name bytes. */
static void test_tls_mangled(void **s)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	uint8_t hello[2048], rec[2100], m[2100];
	size_t rl;
	struct gf_peek o;
	int named = 0;

	(void)s;
	rl = gf_hello_record(hello, gf_hello_build("files.example.ru", 40, hello, sizeof(hello)), rec, sizeof(rec));
	for (size_t i = 0; i < rl; i++)
		for (size_t v = 0; v < sizeof(values); v++) {
			memcpy(m, rec, rl);
			m[i] = values[v];
			peek(m, rl, IPPROTO_TCP, 443, &o);
			if (o.via) {
				named++;
				for (const char *c = o.name; *c; c++)
					assert_true(strchr("abcdefghijklmnopqrstuvwxyz0123456789-._", *c));
			}
		}
	assert_true(named > 0);
}

static void test_http(void **s)
{
	static const struct {
		const char *req, *name;
	} cases[] = {
		{ "GET /x HTTP/1.1\r\nUser-Agent: t\r\nHost: Files.Example.CN:8080\r\n\r\n", "files.example.cn" },
		{ "POST /up HTTP/1.1\r\nhost:\tapi.example.ru\r\nContent-Length: 3\r\n\r\nabc", "api.example.ru" },
		{ "GET / HTTP/1.1\r\nHost: [2001:db8::1]:80\r\n\r\n", NULL },	/* an address */
		{ "GET / HTTP/1.1\r\nHost: 198.51.100.4\r\n\r\n", NULL },
		{ "GET / HTTP/1.1\r\nAccept: */*\r\n\r\nHost: late.example\r\n", NULL },	/* after the headers */
		{ "HELLO / HTTP/1.1\r\nHost: not.http\r\n\r\n", NULL },
		{ "GET / HTTP/1.1\r\nHost: cut.exam", NULL },	/* cut off mid-name */
	};
	struct gf_peek o;

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		peek((const uint8_t *)cases[i].req, strlen(cases[i].req), IPPROTO_TCP, 80, &o);
		assert_int_equal(o.kind, GF_PAYLOAD_READABLE);
		if (cases[i].name) {
			assert_int_equal(o.via, GF_NAME_HTTP);
			assert_string_equal(o.name, cases[i].name);
		} else {
			assert_int_equal(o.via, GF_NAME_NONE);
		}
	}
}

static void test_quic(void **s)
{
	uint8_t dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 }, hello[1024], pkt[1500];
	size_t hl, pl;
	struct gf_peek o;

	(void)s;
	hl = gf_hello_build("video.example.cn", 200, hello, sizeof(hello));
	for (int split = 0; split < 2; split++) {
		pl = gf_hello_quic_initial(dcid, sizeof(dcid), hello, hl, split, pkt, sizeof(pkt));
		assert_int_equal(pl, 1200);
		peek(pkt, pl, IPPROTO_UDP, 443, &o);
		assert_int_equal(o.kind, GF_PAYLOAD_QUIC);
		assert_int_equal(o.via, GF_NAME_QUIC);
		assert_string_equal(o.name, "video.example.cn");
	}
	/* a sample of the first 512 bytes: the name is in them, no tag needed */
	pl = gf_hello_quic_initial(dcid, sizeof(dcid), hello, hl, 0, pkt, sizeof(pkt));
	peek(pkt, 512, IPPROTO_UDP, 443, &o);
	assert_int_equal(o.via, GF_NAME_QUIC);
	/* split, second half first, cut before the first half's frame ends: no contiguous name */
	pl = gf_hello_quic_initial(dcid, sizeof(dcid), hello, hl, 1, pkt, sizeof(pkt));
	peek(pkt, 60 + hl / 2, IPPROTO_UDP, 443, &o);
	assert_true(o.kind == GF_PAYLOAD_QUIC && o.via == GF_NAME_NONE);
	/* another connection ID's keys: no name */
	pl = gf_hello_quic_initial(dcid, sizeof(dcid), hello, hl, 0, pkt, sizeof(pkt));
	pkt[6] ^= 1;
	peek(pkt, pl, IPPROTO_UDP, 443, &o);
	assert_true(o.kind == GF_PAYLOAD_QUIC && o.via == GF_NAME_NONE);
	/* every cut of the packet: no read past it */
	pl = gf_hello_quic_initial(dcid, sizeof(dcid), hello, hl, 0, pkt, sizeof(pkt));
	for (size_t cut = 0; cut < pl; cut += 7) {
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, pkt, cut);
		peek(copy, cut, IPPROTO_UDP, 443, &o);
		free(copy);
	}
	/* version 2, and a short header on 443: QUIC, no name */
	memcpy(pkt + 1, "\x6b\x33\x43\xcf", 4);
	peek(pkt, pl, IPPROTO_UDP, 443, &o);
	assert_true(o.kind == GF_PAYLOAD_QUIC && o.via == GF_NAME_NONE);
	pkt[0] = 0x41;
	peek(pkt, 100, IPPROTO_UDP, 443, &o);
	assert_int_equal(o.kind, GF_PAYLOAD_QUIC);
	peek(pkt, 100, IPPROTO_UDP, 5000, &o);	/* not on 443: its bytes decide */
	assert_int_not_equal(o.kind, GF_PAYLOAD_QUIC);
}

static void test_opaque(void **s)
{
	static const char text[] = "Dear colleague, the quarterly figures are attached below. Please review the "
				   "numbers for the northern region and send me your comments by Friday. The "
				   "spreadsheet has the customer list, the invoices and the payment plan that "
				   "finance asked for last week. Thanks, and have a good weekend. ";
	uint8_t rnd[1460];
	struct gf_peek o;
	unsigned long long x = 0x9e3779b97f4a7c15ull;

	(void)s;
	for (size_t i = 0; i < sizeof(rnd); i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		rnd[i] = x >> 56;
	}
	for (size_t len = 64; len <= sizeof(rnd); len *= 2) {
		peek(rnd, len, IPPROTO_TCP, 8443, &o);
		assert_int_equal(o.kind, GF_PAYLOAD_OPAQUE);
	}
	peek(rnd, 40, IPPROTO_TCP, 8443, &o);	/* too short to tell */
	assert_int_equal(o.kind, GF_PAYLOAD_READABLE);
	peek((const uint8_t *)text, strlen(text), IPPROTO_TCP, 25, &o);
	assert_int_equal(o.kind, GF_PAYLOAD_READABLE);
	peek((const uint8_t *)"{\"id\":123456,\"amount\":\"1,204.50\",\"card\":\"4111111111111111\"}", 58,
	     IPPROTO_TCP, 8080, &o);
	assert_int_equal(o.kind, GF_PAYLOAD_READABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quic_keys), cmocka_unit_test(test_tls), cmocka_unit_test(test_tls_mangled),
		cmocka_unit_test(test_http),	  cmocka_unit_test(test_quic), cmocka_unit_test(test_opaque),
	};

	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
