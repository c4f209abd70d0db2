// SPDX-License-Identifier: GPL-2.0
/*
 * Who sends what where, end to end: several LAN hosts send known volumes
 * to several countries through a real geofenced in a lab; `geofence top`
 * ranks the senders by what each sent, with packet and byte counts equal
 * to what the test sent, keeps the passed traffic of unlisted countries
 * out, and filters by country, verdict and flow.  The SIEM events: one
 * JSON line with the Elastic Common Schema's fields per new flow that is
 * not passed, and a flood of new flows held to events.max_per_second with
 * the rest counted as suppressed.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "gf_lab.h"
#include "gf_netns.h"
#include "gf_log.h"
#include "gf_pkt.h"
#include "gf_test.h"
#include "gf_world.h"

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "RU", "US", "DE" };
static char out[1 << 18];

/* Who sends what: a source on the LAN, a country's host, how many frames of how much payload. */
static const struct sender {
	const char *src, *to;
	int family, frames, payload, tcp;
	const char *verdict;
	int recorded;
} senders[] = {
	{ "10.10.0.11", "CN", 4, 30, 200, 1, "drop", 1 },
	{ "10.10.0.12", "RU", 4, 20, 200, 0, "monitor", 1 },
	{ "10.10.0.13", "CN", 4, 10, 200, 0, "drop", 1 },
	{ "10.10.0.14", "DE", 4, 6, 200, 1, "pass", 1 },	/* passed, listed in flows.countries */
	{ "10.10.0.15", "US", 4, 9, 200, 1, "pass", 0 },	/* passed, not listed: not recorded */
	{ "fd10::21", "CN", 6, 4, 100, 0, "drop", 1 },
};
#define NSEND (sizeof(senders) / sizeof(senders[0]))

static size_t frame_len[NSEND];

static void spec_of(const struct sender *s, struct gf_pkt_spec *p)
{
	const struct gf_lab_host *h = &lab.hosts[gf_lab_host(&lab, s->to)];

	gf_pkt_spec_init(p, s->family, s->family == 4 ? h->v4 : h->v6);
	inet_pton(s->family == 4 ? AF_INET : AF_INET6, s->src, p->src);
	p->l4_proto = s->tcp ? IPPROTO_TCP : IPPROTO_UDP;
	p->payload_len = s->payload;
}

static void send_all(void)
{
	for (size_t i = 0; i < NSEND; i++) {
		struct gf_pkt_spec p;
		struct gf_pkt built;

		spec_of(&senders[i], &p);
		gf_pkt_build(&p, &built);
		frame_len[i] = built.len - built.l3_off;	/* IP bytes, as flows count them */
		CHECK(gf_lab_send_frame(&lab, &p, senders[i].frames) == senders[i].frames, "%s -> %s: %d frames sent",
		      senders[i].src, senders[i].to, senders[i].frames);
	}
	usleep(300000);
}

static json_object *top(const char *args)
{
	json_object *o;
	int rc = gf_lab_cli(&lab, out, sizeof(out), "--json top --interval 0.2 --top 100 %s", args);

	o = rc == 0 ? json_tokener_parse(out) : NULL;
	CHECK(o != NULL, "geofence top %s: exit 0 and one JSON document (%d)", args, rc);
	return o;
}

static json_object *row_of(json_object *rows, const char *src, const char *country)
{
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i), *v;

		if (json_object_object_get_ex(r, "source", &v) && !strcmp(json_object_get_string(v), src) &&
		    json_object_object_get_ex(r, "country", &v) && !strcmp(json_object_get_string(v), country))
			return r;
	}
	return NULL;
}

static long long num(json_object *r, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(r, key, &v) ? json_object_get_int64(v) : -1;
}

static const char *str(json_object *r, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(r, key, &v) ? json_object_get_string(v) : "";
}

static void by_source(void)
{
	json_object *o = top(""), *rows;
	long long prev = -1;
	int order_ok = 1;

	if (!o || !json_object_object_get_ex(o, "rows", &rows))
		return;
	for (size_t i = 0; i < NSEND; i++) {
		const struct sender *s = &senders[i];
		json_object *r = row_of(rows, s->src, s->to);

		if (!s->recorded) {
			CHECK(!r, "%s -> %s (passed, not in flows.countries): not recorded", s->src, s->to);
			continue;
		}
		if (!CHECK(r != NULL, "%s -> %s: a row", s->src, s->to))
			continue;
		CHECK(num(r, "packets") == s->frames && num(r, "bytes") == (long long)(s->frames * frame_len[i]),
		      "%s -> %s: %d packets, %zu IP bytes, as sent (%lld, %lld)", s->src, s->to, s->frames,
		      s->frames * frame_len[i], num(r, "packets"), num(r, "bytes"));
		CHECK(!strcmp(str(r, "verdict"), s->verdict) && !strcmp(str(r, "hook"), "xdp") && num(r, "flows") == 1,
		      "%s -> %s: verdict %s, hook xdp, one flow (%s, %s)", s->src, s->to, s->verdict,
		      str(r, "verdict"), str(r, "hook"));
	}
	/* ranked by what each sent (nothing in the interval: by bytes) */
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		long long b = num(json_object_array_get_idx(rows, i), "bytes");

		order_ok &= prev < 0 || b <= prev;
		prev = b;
	}
	CHECK(order_ok && json_object_array_length(rows) >= 1 &&
	      !strcmp(str(json_object_array_get_idx(rows, 0), "source"), "10.10.0.11"),
	      "ranked by bytes, the heaviest sender first (%s)",
	      json_object_array_length(rows) ? str(json_object_array_get_idx(rows, 0), "source") : "none");
	json_object_put(o);
}

static void filters(void)
{
	json_object *o, *rows, *r;

	o = top("--country CN");
	if (o && json_object_object_get_ex(o, "rows", &rows)) {
		int only = 1;

		for (size_t i = 0; i < json_object_array_length(rows); i++)
			only &= !strcmp(str(json_object_array_get_idx(rows, i), "country"), "CN");
		CHECK(only && json_object_array_length(rows) == 3, "--country CN: the three CN senders only (%zu)",
		      json_object_array_length(rows));
	}
	json_object_put(o);
	o = top("--verdict monitor");
	if (o && json_object_object_get_ex(o, "rows", &rows))
		CHECK(json_object_array_length(rows) == 1 && row_of(rows, "10.10.0.12", "RU"),
		      "--verdict monitor: the RU sender only");
	json_object_put(o);
	o = top("--by flow --country CN");
	if (o && json_object_object_get_ex(o, "rows", &rows) && (r = row_of(rows, "10.10.0.11", "CN")))
		CHECK(!strcmp(str(r, "destination"), lab.hosts[gf_lab_host(&lab, "CN")].v4) &&
		      !strcmp(str(r, "protocol"), "tcp") && num(r, "destination_port") == 443 &&
		      num(r, "source_port") == 40000 && num(r, "packets") == 30,
		      "--by flow: destination %s, tcp, ports 40000 -> 443, 30 packets", str(r, "destination"));
	else
		CHECK(0, "--by flow: the CN flow of 10.10.0.11");
	json_object_put(o);
}

/* The agent's event lines in its log (stderr here), parsed; n of them. */
static int events(json_object **ev, int max)
{
	FILE *f = fopen(lab.log, "r");
	static char line[8192];
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		if (line[0] == '{' && strstr(line, "\"geofence.flow\"")) {
			json_object *o = json_tokener_parse(line);

			if (n < max)
				ev[n] = o;
			else
				json_object_put(o);
			n++;
		}
	if (f)
		fclose(f);
	return n;
}

/* a.b.c of an event, as text ("" when absent) */
static const char *field(json_object *o, const char *path)
{
	char buf[128], *save = NULL;
	json_object *v = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *t = strtok_r(buf, ".", &save); t && v; t = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(v, t, &v))
			v = NULL;
	return v ? json_object_get_string(v) : "";
}

static void siem_events(void)
{
	json_object *ev[64];
	int n = events(ev, 64), ok = 1, found = 0;

	/* CN x3 (10.10.0.11, .13, fd10::21) dropped, RU monitored; DE and US passed: no event */
	CHECK(n == 4, "one event per new flow that is not passed: 4 (%d)", n);
	for (int i = 0; i < n && i < 64; i++) {
		const char *src = field(ev[i], "source.ip");

		ok &= ev[i] && field(ev[i], "@timestamp")[0] && field(ev[i], "destination.ip")[0] &&
		      !strcmp(field(ev[i], "observer.ingress.interface.name"), "g0") &&
		      field(ev[i], "network.transport")[0] && field(ev[i], "destination.port")[0];
		if (!strcmp(src, "10.10.0.11"))
			found += !strcmp(field(ev[i], "destination.geo.country_iso_code"), "CN") &&
				 !strcmp(field(ev[i], "event.action"), "drop") &&
				 !strcmp(field(ev[i], "network.transport"), "tcp") &&
				 !strcmp(field(ev[i], "destination.port"), "443") &&
				 !strcmp(field(ev[i], "source.port"), "40000");
		if (!strcmp(src, "10.10.0.12"))
			found += !strcmp(field(ev[i], "destination.geo.country_iso_code"), "RU") &&
				 !strcmp(field(ev[i], "event.action"), "monitor") &&
				 !strcmp(field(ev[i], "network.transport"), "udp");
		if (!strcmp(src, "fd10::21"))
			found += !strcmp(field(ev[i], "network.type"), "ipv6");
	}
	CHECK(ok, "every line parses and carries the ECS fields (@timestamp, source, destination, "
	      "network.transport, observer.ingress.interface.name)");
	CHECK(found == 3, "the CN drop, the RU monitor and the IPv6 flow, each as sent (%d of 3)", found);
	for (int i = 0; i < n && i < 64; i++)
		json_object_put(ev[i]);
}

/* 600 new flows to CN in a burst: events.max_per_second = 50 lets a second's worth through */
static void event_flood(void)
{
	struct gf_pkt_spec p;
	char text[1 << 16];
	long long sent, suppressed, lost;
	int before = events(NULL, 0), after, status;
	const int n = 600;

	spec_of(&senders[2], &p);	/* 10.10.0.13 -> CN, UDP, from 600 other ports */
	CHECK(gf_lab_send_flows(&lab, &p, n) == n, "%d new flows sent in a burst", n);
	usleep(1500000);	/* the events thread drains, /metrics is published every second */
	after = events(NULL, 0);
	status = gf_lab_http_get(&lab, 9847, "/metrics", text, sizeof(text));
	sent = gf_metrics_series(text, "geofence_flow_events_total{result=\"sent\"}");
	suppressed = gf_metrics_series(text, "geofence_flow_events_total{result=\"suppressed\"}");
	lost = 0;
	for (const char *h = "xdp"; h; h = NULL) {
		char s[128];
		long long v;

		snprintf(s, sizeof(s), "geofence_parse_events_total{reason=\"flow_event_lost\",hook=\"%s\"}", h);
		v = gf_metrics_series(text, s);
		lost += v > 0 ? v : 0;
	}
	CHECK(status == 200, "/metrics answers (%d)", status);
	CHECK(after - before >= 40 && after - before <= 50 + 50 * 1,
	      "the rate limit holds: %d of %d events in the log (a burst of 50, 50 a second)", after - before, n);
	CHECK(sent == after && suppressed > 0 && sent + suppressed + lost == 4 + n,
	      "every new flow is sent, suppressed or lost, and counted: %lld sent, %lld suppressed, %lld lost "
	      "(%d new flows)", sent, suppressed, lost, 4 + n);
}

static void rates_and_text(void)
{
	/* frames sent during the interval show as a rate: 40 frames in about 0.5 s */
	struct gf_pkt_spec p;
	pid_t pid;
	int rc;

	spec_of(&senders[0], &p);
	pid = fork();
	if (pid == 0) {
		usleep(150000);
		gf_lab_send_frame(&lab, &p, 40);
		_exit(0);
	}
	rc = gf_lab_cli(&lab, out, sizeof(out), "top --interval 0.6 --country CN");
	waitpid(pid, NULL, 0);
	if (gf_test_verbose)
		printf("%s", out);
	CHECK(rc == 0 && strstr(out, "SOURCE") && strstr(out, "10.10.0.11") && strstr(out, "BIT/S"),
	      "text: a table with the source");
	{
		char line[512];
		const char *l = strstr(out, "10.10.0.11");
		double pps = 0;

		if (l) {
			snprintf(line, sizeof(line), "%.*s", (int)strcspn(l, "\n"), l);
			/* SOURCE FLOWS PACKETS BYTES PKT/S */
			sscanf(line, "%*s %*u %*u %*u %lf", &pps);
		}
		CHECK(pps > 40 / 0.6 * 0.9 && pps < 40 / 0.6 * 1.1, "the 40 frames sent during the interval: %.1f/s", pps);
	}
}

int main(void)
{
	int rc;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_lab_up_default(&lab, "gff", hosts, 4,
			      "flows = { countries = [ \"DE\" ]; };\n"
			      "events = { output = \"stderr\"; max_per_second = 50; };\n"
			      "metrics = { listen = \"127.0.0.1:9847\"; };\n", "CN drop\nRU monitor\n"))
		return GF_TEST_SETUP_ERROR;
	rc = gf_lab_agent_start(&lab);
	if (!CHECK(rc == 0, "geofenced starts (%d)", rc)) {
		gf_lab_down(&lab);
		return gf_test_summary();
	}
	send_all();
	siem_events();
	by_source();
	filters();
	rates_and_text();
	event_flood();
	gf_lab_detach(&lab, out, sizeof(out));
	gf_lab_down(&lab);
	return gf_test_summary();
}
