// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's flow export, end to end: LAN hosts send known volumes to
 * several countries through a real geofenced in a lab, and Debian's
 * nfcapd (in the gateway's namespace, where the agent runs) collects the
 * IPFIX records.  What nfdump reads back:
 *
 *   - every recorded flow once, IPv4 and IPv6, TCP and UDP, with the
 *     packets and IP bytes the test sent; a passed flow to a country not
 *     listed in flows.countries is in no record;
 *   - a flow that goes on for longer than flows.active_timeout in several
 *     records whose sum is what was sent;
 *   - with the collector down, the record is lost and counted; once it is
 *     back, the records after arrive;
 *   - a flow still open when the agent stops goes out then (forced end),
 *     and the next agent does not send it again.
 *
 * A second collector that is never up loses its records (counted) and
 * holds up nothing.  Idle flows leave the datapath's table.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_nfcapd.h"
#include "gf_pkt.h"
#include "gf_test.h"
#include "gf_world.h"

#define IDLE_S 2
#define SETTLE_US ((IDLE_S + 2) * 1000000 + 500000)	/* idle, the pass that sees it, the metrics */

static struct gf_lab lab;
static struct gf_nfcapd nf;
static const char *const hosts[] = { "CN", "RU", "US", "DE" };
static char out[1 << 18], text[1 << 16];

static const struct sender {
	const char *src, *to;
	int family, frames, payload, tcp, recorded;
} senders[] = {
	{ "10.10.0.11", "CN", 4, 30, 200, 1, 1 },	/* dropped */
	{ "10.10.0.12", "RU", 4, 20, 300, 0, 1 },	/* monitored */
	{ "10.10.0.14", "DE", 4, 6, 100, 1, 1 },	/* passed, listed in flows.countries */
	{ "10.10.0.15", "US", 4, 9, 100, 1, 0 },	/* passed, not listed: in no record */
	{ "fd10::21", "CN", 6, 4, 100, 0, 1 },
	{ "fd10::22", "RU", 6, 5, 120, 1, 1 },
};
#define NSEND (sizeof(senders) / sizeof(senders[0]))

static const char *dst_of(const char *to, int family)
{
	const struct gf_lab_host *h = &lab.hosts[gf_lab_host(&lab, to)];

	return family == 4 ? h->v4 : h->v6;
}

/* count frames from src to a country's host; the IP bytes of one in *ip_len */
static int send_from(const char *src, const char *to, int family, int tcp, int payload, int count, size_t *ip_len)
{
	struct gf_pkt_spec p;
	struct gf_pkt built;

	gf_pkt_spec_init(&p, family, dst_of(to, family));
	inet_pton(family == 4 ? AF_INET : AF_INET6, src, p.src);
	p.l4_proto = tcp ? IPPROTO_TCP : IPPROTO_UDP;
	p.payload_len = payload;
	gf_pkt_build(&p, &built);
	if (ip_len)
		*ip_len = built.len - built.l3_off;
	return gf_lab_send_frame(&lab, &p, count);
}

static long long metric(const char *series)
{
	if (gf_lab_http_get(&lab, 9847, "/metrics", text, sizeof(text)) != 200)
		return -2;
	return gf_metrics_series(text, series);
}

static long long collector_metric(int port, const char *result)
{
	char s[160];

	snprintf(s, sizeof(s), "geofence_ipfix_records_total{collector=\"udp://127.0.0.1:%d\",result=\"%s\"}", port,
		 result);
	return metric(s);
}

static size_t ip_len[NSEND];

/* Each flow sent once, then silent: one record each when it goes idle. */
static void idle_flows(void)
{
	int expect = 0, rows = -1;
	json_object *o;

	for (size_t i = 0; i < NSEND; i++) {
		const struct sender *s = &senders[i];

		CHECK(send_from(s->src, s->to, s->family, s->tcp, s->payload, s->frames, &ip_len[i]) == s->frames,
		      "%s -> %s: %d frames sent", s->src, s->to, s->frames);
		expect += s->recorded;
	}
	usleep(SETTLE_US);
	CHECK(metric("geofence_flow_records_total{reason=\"idle\"}") == expect,
	      "%d records as the flows went idle (%lld)", expect, metric("geofence_flow_records_total{reason=\"idle\"}"));
	CHECK(collector_metric(nf.port, "sent") == expect && collector_metric(nf.port, "lost") == 0,
	      "all %d sent to the collector, none lost (%lld, %lld)", expect, collector_metric(nf.port, "sent"),
	      collector_metric(nf.port, "lost"));
	if (!gf_lab_cli(&lab, out, sizeof(out), "--json top --interval 0.1 --by flow --top 100") &&
	    (o = json_tokener_parse(out))) {
		json_object *r;

		rows = json_object_object_get_ex(o, "rows", &r) ? (int)json_object_array_length(r) : -1;
		json_object_put(o);
	}
	CHECK(rows == 0, "ended flows left the datapath's table (%d entries in geofence top)", rows);
}

/* One flow for about 5 s with flows.active_timeout 2: several records, their sum what was sent. */
static void long_flow(void)
{
	long long before = metric("geofence_flow_records_total{reason=\"active\"}"), after;
	int sent = 0;

	for (int i = 0; i < 10; i++) {
		sent += send_from("10.10.0.31", "CN", 4, 1, 500, 5, NULL);
		usleep(500000);
	}
	CHECK(sent == 50, "10.10.0.31 -> CN: 50 frames over 5 s");
	usleep(SETTLE_US);
	after = metric("geofence_flow_records_total{reason=\"active\"}");
	CHECK(after - before >= 2 && after - before <= 3, "records at the active timeout while it went on (%lld)",
	      after - before);
}

/* The collector down: the record is lost and counted; back: the next arrives. */
static void collector_down(void)
{
	long long lost;

	gf_nfcapd_stop(&nf);	/* writes a/ */
	send_from("10.10.0.41", "CN", 4, 0, 100, 8, NULL);
	usleep(SETTLE_US);
	CHECK(gf_nfcapd_start(&nf, "b") == 0, "the collector comes back");
	send_from("10.10.0.42", "CN", 4, 0, 100, 9, NULL);
	usleep(SETTLE_US);
	lost = collector_metric(nf.port, "lost");
	CHECK(lost == 1, "the record sent while the collector was down is counted lost (%lld)", lost);
}

/* A flow still open at stop goes out then; the next agent does not send it again. */
static void stop_and_restart(void)
{
	int rc;

	send_from("10.10.0.51", "RU", 4, 1, 100, 7, NULL);
	usleep(300000);
	rc = gf_lab_agent_stop(&lab, SIGTERM);
	CHECK(rc == 0, "geofenced stops (%d)", rc);
	gf_nfcapd_stop(&nf);	/* writes b/ */
	CHECK(gf_nfcapd_start(&nf, "c") == 0, "a collector for the next agent");
	rc = gf_lab_agent_start(&lab);
	CHECK(rc == 0, "geofenced starts again (%d)", rc);
	usleep(SETTLE_US);	/* the flow goes idle under the new agent */
	CHECK(metric("geofence_flow_records_total{reason=\"idle\"}") == 0,
	      "the new agent makes no record of what the last one sent (%lld)",
	      metric("geofence_flow_records_total{reason=\"idle\"}"));
}

/* What nfdump reads from all three files. */
static void collected(void)
{
	long long pk, by;
	int n, rc;

	gf_nfcapd_stop(&nf);
	rc = gf_nfdump(&nf, "", out, sizeof(out));
	CHECK(rc == 0, "nfdump reads the collector's files (%d)", rc);
	if (gf_test_verbose)
		fprintf(stderr, "nfdump:\n%s", out);
	for (size_t i = 0; i < NSEND; i++) {
		const struct sender *s = &senders[i];

		n = gf_nfdump_sum(out, s->src, dst_of(s->to, s->family), -1, -1, &pk, &by);
		if (s->recorded)
			CHECK(n == 1 && pk == s->frames && by == (long long)(s->frames * ip_len[i]),
			      "%s -> %s: one record, %d packets, %zu IP bytes (%d records, %lld, %lld)", s->src, s->to,
			      s->frames, s->frames * ip_len[i], n, pk, by);
		else
			CHECK(n == 0, "%s -> %s (passed, not listed): no record (%d)", s->src, s->to, n);
	}
	n = gf_nfdump_sum(out, "10.10.0.31", dst_of("CN", 4), -1, -1, &pk, &by);
	CHECK(n >= 3 && pk == 50, "the long flow: %d records, %lld packets of 50 in all", n, pk);
	n = gf_nfdump_sum(out, "10.10.0.41", dst_of("CN", 4), -1, -1, &pk, &by);
	CHECK(n == 0, "the flow that ended while the collector was down is not there (%d)", n);
	n = gf_nfdump_sum(out, "10.10.0.42", dst_of("CN", 4), -1, -1, &pk, &by);
	CHECK(n == 1 && pk == 9, "the flow after the collector came back: %d record, %lld packets of 9", n, pk);
	n = gf_nfdump_sum(out, "10.10.0.51", dst_of("RU", 4), -1, -1, &pk, &by);
	CHECK(n == 1 && pk == 7, "the flow open at stop: %d record, %lld packets of 7 (once, not again)", n, pk);
}

int main(void)
{
	char extra[1024];
	int rc;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_nfcapd_init(&nf, NULL))
		return GF_TEST_SETUP_ERROR;
	snprintf(extra, sizeof(extra),
		 "flows = { countries = [ \"DE\" ]; active_timeout = 2; idle_timeout = %d; observation_domain = 42;\n"
		 "  collectors = [ \"udp://127.0.0.1:%d\", \"udp://127.0.0.1:%d\" ]; };\n"
		 "events = { output = \"off\"; };\nmetrics = { listen = \"127.0.0.1:9847\"; };\n",
		 IDLE_S, nf.port, nf.port + 1);
	if (gf_lab_up_default(&lab, "gfx", hosts, 4, extra, "CN drop\nRU monitor\n")) {
		gf_nfcapd_cleanup(&nf);
		return GF_TEST_SETUP_ERROR;
	}
	nf.ns = lab.ns_gw;	/* the collector listens where the agent runs */
	if (!CHECK(gf_nfcapd_start(&nf, "a") == 0, "nfcapd listens on 127.0.0.1:%d in the gateway", nf.port)) {
		gf_nfcapd_cleanup(&nf);
		gf_lab_down(&lab);
		return GF_TEST_SETUP_ERROR;
	}
	rc = gf_lab_agent_start(&lab);
	if (CHECK(rc == 0, "geofenced starts (%d)", rc)) {
		/* ready (its first generation) comes before the services start */
		CHECK(gf_sh("for i in $(seq 50); do grep -q 'flow export: IPFIX to udp://127.0.0.1:%d, "
			    "udp://127.0.0.1:%d, observation domain 42' %s && exit 0; sleep 0.1; done; exit 1",
			    nf.port, nf.port + 1, lab.log) == 0, "the log says where the flows go");
		idle_flows();
		long_flow();
		collector_down();
		CHECK(collector_metric(nf.port + 1, "lost") > 0,
		      "the collector that is never up: records lost and counted (%lld), the other got its own",
		      collector_metric(nf.port + 1, "lost"));
		stop_and_restart();
		collected();
	}
	if (gf_test_failed)
		gf_sh("echo '--- the agent log:'; cat %s >&2", lab.log);
	gf_lab_detach(&lab, out, sizeof(out));
	gf_nfcapd_cleanup(&nf);
	gf_lab_down(&lab);
	return gf_test_summary();
}
