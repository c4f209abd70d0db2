// SPDX-License-Identifier: GPL-2.0
/*
 * Flow records as IPFIX to a real collector: Debian's nfdump (nfcapd,
 * started here on a loopback port, ended by its pid).  What nfdump reads
 * back must be every flow sent, IPv4 and IPv6, with its packets and bytes;
 * a collector that is down loses records and the exporter counts them
 * without blocking; once it is back, the templates go out again and the
 * records after it arrive.  Over TCP (nfcapd listens on UDP only): a
 * libfixbuf collector reads the records back by their standard elements.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fixbuf/public.h>
#include "gf_ipfix.h"
#include "gf_netns.h"
#include "gf_nfcapd.h"
#include "gf_ranges.h"
#include "gf_test.h"

static struct gf_nfcapd nf;
#define port nf.port

/* The exporter's last flush: its figures, then the collector stops (writing its file) and nfdump reads it. */
static void finish(struct gf_ipfix *x, struct gf_ipfix_stats *st, const char *sub, char *out, size_t len, int *rc)
{
	gf_ipfix_flush(x);
	gf_ipfix_stats(x, st);
	usleep(300000);
	gf_nfcapd_stop(&nf);
	gf_ipfix_close(x);
	*rc = gf_nfdump(&nf, sub, out, len);
}

static struct gf_ipfix_rec rec(int family, const char *src, const char *dst, int sport, int dport, int proto,
			       const char *cc, int verdict, long long pkts, long long bytes)
{
	struct gf_ipfix_rec r;
	struct timespec now;

	memset(&r, 0, sizeof(r));
	r.key.family = family;
	inet_pton(family == 4 ? AF_INET : AF_INET6, src, r.key.src);
	inet_pton(family == 4 ? AF_INET : AF_INET6, dst, r.key.dst);
	r.key.sport = sport;
	r.key.dport = dport;
	r.key.l4_proto = proto;
	r.key.cls = gf_class_from_cc(cc);
	r.key.verdict = verdict;
	r.key.ifindex = 2;
	r.packets = pkts;
	r.bytes = bytes;
	clock_gettime(CLOCK_REALTIME, &now);
	r.end_ms = now.tv_sec * 1000LL + now.tv_nsec / 1000000;
	r.start_ms = r.end_ms - 1500;
	r.end_reason = GF_IPFIX_END_IDLE;
	return r;
}

static void flows_arrive(void)
{
	static char out[1 << 16];
	struct gf_ipfix *x = NULL;
	struct gf_ipfix_stats st;
	char err[256];
	int rc;

	gf_nfcapd_start(&nf, "a");
	rc = gf_ipfix_open(&x, "udp://127.0.0.1:0", 1, err, sizeof(err));
	CHECK(rc == -EINVAL && strstr(err, "port is a number, 1 to 65535"), "port 0 refused: %s", err);
	rc = gf_ipfix_open(&x, "http://127.0.0.1:4739", 1, err, sizeof(err));
	CHECK(rc == -EINVAL && strstr(err, "udp://HOST:PORT or tcp://HOST:PORT"), "http:// refused: %s", err);
	snprintf(err, sizeof(err), "udp://127.0.0.1:%d", port);
	rc = gf_ipfix_open(&x, err, 7, err, sizeof(err));
	if (!CHECK(rc == 0, "an exporter to nfcapd (%s)", rc ? err : "ok"))
		return;
	{
		struct gf_ipfix_rec r[] = {
			rec(4, "10.10.0.11", "1.0.1.100", 40000, 443, 6, "CN", GF_VERDICT_DROP, 30, 7620),
			rec(4, "10.10.0.12", "5.3.0.9", 40001, 53, 17, "RU", GF_VERDICT_MONITOR, 20, 4840),
			rec(6, "fd10::21", "2400::1", 40002, 443, 6, "CN", GF_VERDICT_DROP, 4, 648),
		};

		for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
			gf_ipfix_add(x, &r[i]);
	}
	/* many records: more than one message */
	for (int i = 0; i < 100; i++) {
		char src[32];
		struct gf_ipfix_rec r;

		snprintf(src, sizeof(src), "10.20.%d.%d", i / 250, 1 + i % 250);
		r = rec(4, src, "1.0.1.100", 50000 + i, 443, 6, "CN", GF_VERDICT_DROP, 1 + i, 100 * (1 + i));
		gf_ipfix_add(x, &r);
	}
	finish(x, &st, "a", out, sizeof(out), &rc);
	CHECK(st.records == 103 && st.lost == 0 && st.messages >= 3,
	      "103 records in %llu messages, none lost (%llu, %llu lost: %s)", (unsigned long long)st.messages,
	      (unsigned long long)st.records, (unsigned long long)st.lost, st.last_error);
	CHECK(rc == 0, "nfdump reads the collector's files (%d)", rc);
	CHECK(gf_nfdump_has(out, "10.10.0.11", "1.0.1.100", 40000, 443, "6", 30, 7620),
	      "nfdump: 10.10.0.11 -> 1.0.1.100:443 TCP, 30 packets, 7620 bytes");
	CHECK(gf_nfdump_has(out, "10.10.0.12", "5.3.0.9", 40001, 53, "17", 20, 4840),
	      "nfdump: 10.10.0.12 -> 5.3.0.9:53 UDP, 20 packets, 4840 bytes");
	CHECK(gf_nfdump_has(out, "fd10::21", "2400::1", 40002, 443, "6", 4, 648), "nfdump: IPv6 fd10::21 -> 2400::1, 4 packets, 648 bytes");
	{
		int all = 1;

		for (int i = 0; i < 100; i++) {
			char src[32];

			snprintf(src, sizeof(src), "10.20.%d.%d", i / 250, 1 + i % 250);
			all &= gf_nfdump_has(out, src, "1.0.1.100", 50000 + i, 443, "6", 1 + i, 100 * (1 + i));
		}
		CHECK(all, "nfdump: all 100 flows of the second batch, each with its counts");
	}
	if (gf_test_verbose)
		fputs(out, stdout);
}

/* The collector down, then back: the exporter never blocks, counts what it lost, recovers. */
static void collector_down(void)
{
	static char out[1 << 16];
	struct gf_ipfix *x = NULL;
	struct gf_ipfix_stats st;
	struct timespec t0, t1;
	char url[64], err[256];
	double worst = 0;
	int rc;

	snprintf(url, sizeof(url), "udp://127.0.0.1:%d", port);
	if (!CHECK(gf_ipfix_open(&x, url, 8, err, sizeof(err)) == 0, "an exporter to a collector that is down"))
		return;
	for (int round = 0; round < 5; round++) {
		struct gf_ipfix_rec r = rec(4, "10.30.0.1", "1.0.1.100", 41000 + round, 443, 6, "CN", GF_VERDICT_DROP,
					    3, 300);
		double s;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		gf_ipfix_add(x, &r);
		gf_ipfix_flush(x);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		worst = s > worst ? s : worst;
		usleep(50000);
	}
	gf_ipfix_stats(x, &st);
	CHECK(st.lost >= 3 && st.lost + st.records == 5,
	      "down: records counted lost (%llu lost, %llu sent of 5: a datagram leaves before the port's "
	      "refusal of the one before comes back), %s", (unsigned long long)st.lost, (unsigned long long)st.records,
	      st.last_error);
	CHECK(worst < 0.05, "and never blocks: the slowest add and flush took %.1f ms", worst * 1e3);
	gf_nfcapd_start(&nf, "b");
	sleep(1);	/* templates again at most once a second after a failure */
	for (int i = 0; i < 10; i++) {
		struct gf_ipfix_rec r = rec(4, "10.30.0.2", "1.0.1.100", 42000 + i, 443, 6, "CN", GF_VERDICT_DROP, 7, 700);

		gf_ipfix_add(x, &r);
	}
	finish(x, &st, "b", out, sizeof(out), &rc);
	{
		int all = 1;

		for (int i = 0; i < 10; i++)
			all &= gf_nfdump_has(out, "10.30.0.2", "1.0.1.100", 42000 + i, 443, "6", 7, 700);
		CHECK(all, "back: the templates go out again and the 10 records after it arrive");
	}
}

/* ---- TCP, read back by libfixbuf's collector ------------------------------------ */

/* What the collector asks of each record: the standard elements, by name. */
static fbInfoElementSpec_t read_spec[] = {
	{ "octetDeltaCount", 8, 0 }, { "packetDeltaCount", 8, 0 }, { "sourceIPv4Address", 4, 0 },
	{ "destinationIPv4Address", 4, 0 }, { "sourceTransportPort", 2, 0 }, { "destinationTransportPort", 2, 0 },
	{ "protocolIdentifier", 1, 0 }, { "paddingOctets", 3, 0 }, FB_IESPEC_NULL
};
struct read_rec {
	uint64_t octets, packets;
	uint32_t src, dst;
	uint16_t sport, dport;
	uint8_t proto, pad[3];
};

static struct {
	fbListener_t *listener;
	int n, good;
	char err[160];
} tcp_got;

static void *tcp_collector(void *arg)
{
	fBuf_t *b;
	GError *e = NULL;
	struct read_rec r;
	size_t len;

	(void)arg;
	b = fbListenerWait(tcp_got.listener, &e);
	if (!b || !fBufSetInternalTemplate(b, 0x0100, &e)) {
		snprintf(tcp_got.err, sizeof(tcp_got.err), "%s", e ? e->message : "no connection");
		g_clear_error(&e);
		return NULL;
	}
	for (;;) {
		len = sizeof(r);
		if (!fBufNext(b, (uint8_t *)&r, &len, &e))
			break;	/* the exporter closed the connection */
		tcp_got.n++;
		tcp_got.good += r.src == 0x0a280001 && r.dst == 0x01000164 && r.dport == 443 && r.proto == 6 &&
				r.sport >= 43000 && r.sport < 43020 && r.packets == (uint64_t)(r.sport - 43000 + 1) &&
				r.octets == 100 * r.packets;
	}
	g_clear_error(&e);
	fBufFree(b);
	return NULL;
}

static void over_tcp(void)
{
	fbConnSpec_t spec = FB_CONNSPEC_INIT;
	fbInfoModel_t *model = fbInfoModelAlloc();
	fbSession_t *session = fbSessionAlloc(model);
	fbTemplate_t *t = fbTemplateAlloc(model);
	struct gf_ipfix *x = NULL;
	struct gf_ipfix_stats st;
	GError *e = NULL;
	char svc[16], url[64], err[256];
	pthread_t thr;

	snprintf(svc, sizeof(svc), "%d", port + 1);
	spec.transport = FB_TCP;
	spec.host = "127.0.0.1";
	spec.svc = svc;
	if (!fbTemplateAppendSpecArray(t, read_spec, 0, &e) || !fbSessionAddTemplate(session, TRUE, 0x0100, t, &e) ||
	    !(tcp_got.listener = fbListenerAlloc(&spec, session, NULL, NULL, &e))) {
		CHECK(0, "a libfixbuf TCP collector on port %s: %s", svc, e ? e->message : "?");
		g_clear_error(&e);
		return;
	}
	pthread_create(&thr, NULL, tcp_collector, NULL);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%s", svc);
	if (!CHECK(gf_ipfix_open(&x, url, 9, err, sizeof(err)) == 0, "an exporter over TCP (%s)", url))
		return;
	for (int i = 0; i < 20; i++) {
		struct gf_ipfix_rec r = rec(4, "10.40.0.1", "1.0.1.100", 43000 + i, 443, 6, "CN", GF_VERDICT_DROP,
					    1 + i, 100 * (1 + i));

		gf_ipfix_add(x, &r);
		if (i == 0)
			usleep(100000);	/* the first add started the connection */
	}
	for (int i = 0; i < 20; i++) {
		gf_ipfix_flush(x);
		gf_ipfix_stats(x, &st);
		if (st.records == 20)
			break;
		usleep(50000);
	}
	gf_ipfix_close(x);	/* the connection closes: the collector reads to its end */
	if (!st.connected)
		fbListenerInterrupt(tcp_got.listener);	/* never connected: no wait for ever */
	pthread_join(thr, NULL);
	CHECK(st.records + st.lost == 20 && st.records >= 19 && st.connected,
	      "TCP: %llu sent, %llu lost (the first may find the connection still coming up)",
	      (unsigned long long)st.records, (unsigned long long)st.lost);
	CHECK(tcp_got.n == (int)st.records && tcp_got.good == tcp_got.n,
	      "the libfixbuf collector read %d records back, %d with the addresses, ports, packets and bytes "
	      "sent%s%s", tcp_got.n, tcp_got.good, tcp_got.err[0] ? ": " : "", tcp_got.err);
	fbListenerFree(tcp_got.listener);
	fbSessionFree(session);
	fbInfoModelFree(model);
}

int main(int argc, char **argv)
{
	gf_test_verbose |= argc > 1 && !strcmp(argv[1], "-v");
	if (gf_nfcapd_init(&nf, NULL))
		return GF_TEST_SETUP_ERROR;
	flows_arrive();
	collector_down();
	gf_nfcapd_stop(&nf);
	over_tcp();
	gf_nfcapd_cleanup(&nf);
	return gf_test_summary();
}
