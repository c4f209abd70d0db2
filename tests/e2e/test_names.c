// SPDX-License-Identifier: GPL-2.0
/*
 * The names behind the addresses, end to end: a real geofenced in a lab
 * monitors CN and RU and samples every monitored packet whole.
 *
 *   - Frames the test builds, of known sizes: TLS ClientHellos, HTTP
 *     requests, a QUIC Initial (protected as RFC 9001 says, by OpenSSL's
 *     AES-GCM), random bytes and plain text.  `geofence top --names`
 *     lists each country's services with the samples and bytes sent,
 *     ranked; `geofence dlp` and /metrics give the sampled bytes per kind
 *     and the unreadable share, equal to what was sent.
 *   - Real clients: `openssl s_client -servername` and `curl -H Host:` from
 *     the LAN host; their names are listed.
 *   - Nothing of a payload but the name reaches dlp.json.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gf_hello.h"
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_pkt.h"
#include "gf_state.h"
#include "gf_test.h"
#include "gf_world.h"

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "RU", "US" };
static char out[1 << 18], text[1 << 16];

enum { READABLE, TLS, QUIC, OPAQUE };
static const char *const kinds[] = { "readable", "tls", "quic", "opaque" };

/* what the test sent per country (0 CN, 1 RU) and kind, in payload bytes; and the samples */
static long long sent[2][4];
static int nsamples;

static int send_payload(const char *to, int tcp, __u16 dport, const __u8 *p, size_t len, int count, int kind)
{
	const struct gf_lab_host *h = &lab.hosts[gf_lab_host(&lab, to)];
	struct gf_pkt_spec s;

	gf_pkt_spec_init(&s, 4, h->v4);
	inet_pton(AF_INET, "10.10.0.11", s.src);
	s.l4_proto = tcp ? IPPROTO_TCP : IPPROTO_UDP;
	s.dport = dport;
	s.payload = p;
	s.payload_len = len;
	sent[strcmp(to, "CN") ? 1 : 0][kind] += (long long)len * count;
	nsamples += count;
	return gf_lab_send_frame(&lab, &s, count) == count;
}

static json_object *cli_json(const char *args)
{
	if (gf_lab_cli(&lab, out, sizeof(out), "--json %s", args))
		return NULL;
	return json_tokener_parse(out);
}

/* until the agent has scanned n samples, and one report more */
static json_object *settle(long long n)
{
	json_object *o = NULL;

	for (int i = 0; i < 100; i++) {
		json_object_put(o);
		o = cli_json("dlp");
		if (o && gf_state_int(o, "samples") >= n)
			break;
		usleep(100000);
	}
	usleep(1200000);
	json_object_put(o);
	return cli_json("dlp");
}

static json_object *entry(json_object *o, const char *array, const char *cls, const char *name)
{
	json_object *a;

	if (!o || !json_object_object_get_ex(o, array, &a))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);

		if (!strcmp(gf_state_str(e, "class") ?: "", cls) &&
		    (!name || !strcmp(gf_state_str(e, "name") ?: "", name)))
			return e;
	}
	return NULL;
}

static size_t ch_len[2], http_len[2];

static void crafted(void)
{
	static const char text_body[] = "Minutes of the Tuesday meeting: the team agreed to move the release to "
					"next month, to finish the documentation, and to review the open tickets "
					"one by one. Anna takes the installer, Bob the upgrade notes. Next meeting "
					"in two weeks, same room, same time. Please send corrections by Friday. ";
	uint8_t hello[1024], rec[1100], quic[1500], rnd[600];
	uint8_t dcid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	char req[2][256];
	size_t hl, ql;
	int ok = 1;
	unsigned long long x = 0x2545f4914f6cdd1dull;

	for (size_t i = 0; i < sizeof(rnd); i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		rnd[i] = x >> 56;
	}
	hl = gf_hello_build("upload.example.cn", 64, hello, sizeof(hello));
	ch_len[0] = gf_hello_record(hello, hl, rec, sizeof(rec));
	ok &= send_payload("CN", 1, 443, rec, ch_len[0], 3, TLS);
	hl = gf_hello_build("mail.example.ru", 0, hello, sizeof(hello));
	ch_len[1] = gf_hello_record(hello, hl, rec, sizeof(rec));
	ok &= send_payload("RU", 1, 443, rec, ch_len[1], 1, TLS);
	http_len[0] = snprintf(req[0], sizeof(req[0]), "GET /report.pdf HTTP/1.1\r\nHost: files.example.cn\r\n"
				"User-Agent: test\r\nAccept: */*\r\n\r\n");
	ok &= send_payload("CN", 1, 80, (const __u8 *)req[0], http_len[0], 2, READABLE);
	http_len[1] = snprintf(req[1], sizeof(req[1]), "POST /v1/upload HTTP/1.1\r\nHost: api.example.ru:8080\r\n"
				"Content-Length: 0\r\n\r\n");
	ok &= send_payload("RU", 1, 8080, (const __u8 *)req[1], http_len[1], 4, READABLE);
	hl = gf_hello_build("video.example.cn", 200, hello, sizeof(hello));
	ql = gf_hello_quic_initial(dcid, sizeof(dcid), hello, hl, 1, quic, sizeof(quic));
	ok &= ql == 1200 && send_payload("CN", 0, 443, quic, ql, 1, QUIC);
	ok &= send_payload("CN", 0, 5000, rnd, sizeof(rnd), 2, OPAQUE);
	ok &= send_payload("CN", 1, 25, (const __u8 *)text_body, strlen(text_body), 1, READABLE);
	CHECK(ok, "the frames are sent: TLS, HTTP, QUIC, random and plain payloads to CN and RU");
}

static void payloads_counted(json_object *o)
{
	static const char *const cc[2] = { "CN", "RU" };

	for (int c = 0; c < 2; c++) {
		json_object *e = entry(o, "payloads", cc[c], NULL);
		long long all = 0, got_all = e ? gf_state_int(e, "bytes") : -1;
		double share;
		int same = e != NULL;

		for (int k = 0; k < 4; k++) {
			all += sent[c][k];
			same &= e && gf_state_int(e, kinds[k]) == sent[c][k];
		}
		share = 1 - (double)sent[c][READABLE] / all;
		CHECK(same && got_all == all, "%s: sampled bytes by kind as sent: readable %lld, tls %lld, quic %lld, "
		      "opaque %lld (geofence dlp: %lld, %lld, %lld, %lld)", cc[c], sent[c][0], sent[c][1], sent[c][2],
		      sent[c][3], e ? gf_state_int(e, "readable") : -1, e ? gf_state_int(e, "tls") : -1,
		      e ? gf_state_int(e, "quic") : -1, e ? gf_state_int(e, "opaque") : -1);
		CHECK(e && fabs(json_object_get_double(json_object_object_get(e, "unreadable_share")) - share) < 1e-9,
		      "%s: the unreadable share is what was sent: %.4f", cc[c], share);
		for (int k = 0; k < 4; k++) {
			char series[128];
			long long v;

			snprintf(series, sizeof(series),
				 "geofence_sampled_payload_bytes_total{country=\"%s\",payload=\"%s\"}", cc[c], kinds[k]);
			v = gf_metrics_series(text, series);
			CHECK(v == sent[c][k], "/metrics %s: %lld (%lld)", series, sent[c][k], v);
		}
	}
}

static void names_listed(void)
{
	static const struct {
		const char *cls, *name, *via;
		int samples;
		size_t *len;
		int idx;
	} want[] = {
		{ "CN", "upload.example.cn", "sni", 3, ch_len, 0 },   { "CN", "files.example.cn", "http", 2, http_len, 0 },
		{ "CN", "video.example.cn", "quic", 1, NULL, 0 },     { "RU", "api.example.ru", "http", 4, http_len, 1 },
		{ "RU", "mail.example.ru", "sni", 1, ch_len, 1 },
	};
	json_object *o = cli_json("top --names"), *rows;
	int good = 0;

	CHECK(o != NULL, "geofence --json top --names: one document");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		json_object *e = entry(o, "names", want[i].cls, want[i].name);
		long long bytes = want[i].len ? (long long)(want[i].samples * want[i].len[want[i].idx]) : 1200;

		good += CHECK(e && !strcmp(gf_state_str(e, "via"), want[i].via) &&
			      gf_state_int(e, "samples") == want[i].samples && gf_state_int(e, "bytes") == bytes,
			      "%s: %s via %s, %d samples, %lld bytes", want[i].cls, want[i].name, want[i].via,
			      want[i].samples, bytes);
	}
	/* ranked within a country by samples */
	if (o && json_object_object_get_ex(o, "names", &rows) && json_object_array_length(rows) >= 5)
		CHECK(!strcmp(gf_state_str(json_object_array_get_idx(rows, 0), "name"), "upload.example.cn") &&
		      !strcmp(gf_state_str(json_object_array_get_idx(rows, 3), "name"), "api.example.ru"),
		      "CN first (upload.example.cn, 3 samples), then RU (api.example.ru, 4 samples)");
	json_object_put(o);
	if (gf_test_verbose && !gf_lab_cli(&lab, out, sizeof(out), "top --names --country CN"))
		printf("%s", out);
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "top --names --country RU") == 0 && strstr(out, "api.example.ru") &&
	      strstr(out, "mail.example.ru") && !strstr(out, "example.cn") &&
	      strstr(out, "api.example.ru") < strstr(out, "mail.example.ru"),
	      "text, --country RU: RU's names only, the most sampled first");
}

static void nothing_else_kept(void)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/dlp.json", lab.run_dir);
	CHECK(gf_sh("! grep -q -e 'report.pdf' -e 'User-Agent' -e 'Minutes of' -e 'Host:' %s", path) == 0,
	      "dlp.json holds no payload bytes but the names");
}

static void real_clients(void)
{
	const char *ru = lab.hosts[gf_lab_host(&lab, "RU")].v4;
	json_object *o;
	int rc;

	rc = gf_sh("ip netns exec %s timeout 3 openssl s_client -connect %s:8080 -servername portal.example.ru "
		   "</dev/null >/dev/null 2>&1; true", lab.ns_lan, ru);
	rc |= gf_sh("ip netns exec %s curl -s -m 2 -H 'Host: cdn.example.ru' http://%s:8080/ >/dev/null 2>&1; true",
		    lab.ns_lan, ru);
	CHECK(rc == 0, "openssl s_client and curl from the LAN host to RU");
	usleep(2500000);	/* scanned, and a report */
	o = cli_json("top --names --country RU");
	CHECK(entry(o, "names", "RU", "portal.example.ru") &&
	      !strcmp(gf_state_str(entry(o, "names", "RU", "portal.example.ru"), "via"), "sni"),
	      "openssl s_client's ClientHello: portal.example.ru, via sni");
	CHECK(entry(o, "names", "RU", "cdn.example.ru") &&
	      !strcmp(gf_state_str(entry(o, "names", "RU", "cdn.example.ru"), "via"), "http"),
	      "curl's request: cdn.example.ru, via http");
	json_object_put(o);
}

int main(void)
{
	json_object *o;
	int rc;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_lab_up_default(&lab, "gfn", hosts, 3,
			      "sampling = { bytes = 1500; };\nevents = { output = \"off\"; };\n"
			      "metrics = { listen = \"127.0.0.1:9847\"; };\n", "CN monitor\nRU monitor\n"))
		return GF_TEST_SETUP_ERROR;
	rc = gf_lab_agent_start(&lab);
	if (CHECK(rc == 0, "geofenced starts (%d)", rc)) {
		crafted();
		o = settle(nsamples);
		CHECK(o && gf_state_int(o, "samples") == nsamples, "every frame sampled and scanned (%lld of %d)",
		      o ? gf_state_int(o, "samples") : -1, nsamples);
		CHECK(gf_lab_http_get(&lab, 9847, "/metrics", text, sizeof(text)) == 200, "/metrics answers");
		payloads_counted(o);
		json_object_put(o);
		names_listed();
		nothing_else_kept();
		CHECK(gf_lab_cli(&lab, out, sizeof(out), "dlp") == 0 && strstr(out, "UNREADABLE") && strstr(out, "CN"),
		      "geofence dlp prints the readable share per destination");
		real_clients();
	}
	gf_lab_teardown(&lab);
	return gf_test_summary();
}
