// SPDX-License-Identifier: GPL-2.0
/*
 * Scopes: policies by source, against a real geofenced.  The LAN sends
 * the same destinations (CN, US, DE) from senders of every kind of scope,
 * and the internet's own counters (or, for VLAN-tagged frames, the
 * gateway's counters past XDP) say what got through:
 *
 *   sender               scope        why                         CN    US    DE
 *   10.10.0.2            lan          interface g0                drop  pass  monitor
 *   10.20.0.5            research     10.20.0.0/24                pass  pass  pass
 *   10.20.0.99           contractor   10.20.0.99/32 (longest)     drop  pass  pass
 *   10.30.0.5            guest        10.30.0.0/24, default drop  drop  pass  drop*
 *   10.40.0.5            servers      10.40.0.0/24, monitor       mon.  pass  pass
 *   10.10.0.2 on VLAN 100  iot        vlan 100 (over interface)   drop  drop  pass
 *   10.20.0.5 on VLAN 100  research   a prefix over a VLAN        pass  pass  pass
 *   100.64.0.1 (tc)      gateway      the gateway's own, by source  pass  (CN only)
 *
 * (* guest's DE is an exemption that ends while traffic runs: through until
 * then, dropped after, with no gap for the others.)  Then: geofence lookup
 * --from gives each sender's verdicts; stats and /metrics count per scope;
 * a reload that reorders the scopes keeps each name's counters; a
 * configuration where two scopes hold the same prefix is rejected.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_pkt.h"
#include "gf_state.h"
#include "gf_test.h"

#define N 20			/* frames per sender and destination */
#define EXPIRES_IN 15		/* guest's DE exemption, seconds after the start */

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "US", "DE" };
static char out[1 << 17], text[1 << 17], conf[4096];

enum { CN, US, DE, NDEST };

/* A sender: its source address, its VLAN tag (0: none), the verdict per destination. */
static const struct sender {
	const char *src, *scope;
	int vlan;
	const char *want[NDEST];	/* "drop", "pass", "monitor" */
} senders[] = {
	{ "10.10.0.2", "lan", 0, { "drop", "pass", "monitor" } },
	{ "10.20.0.5", "research", 0, { "pass", "pass", "pass" } },
	{ "10.20.0.99", "contractor", 0, { "drop", "pass", "pass" } },
	{ "10.30.0.5", "guest", 0, { "drop", "pass", "pass" } },	/* DE: exempt until EXPIRES_IN */
	{ "10.40.0.5", "servers", 0, { "monitor", "pass", "pass" } },
	{ "10.10.0.2", "iot", 100, { "drop", "drop", "pass" } },
	{ "10.20.0.5", "research", 100, { "pass", "pass", "pass" } },
};
#define NSEND (int)(sizeof(senders) / sizeof(senders[0]))

static const char *const scopes_a =
	"scopes = (\n"
	"  { name = \"research\"; sources = [ \"10.20.0.0/24\" ]; countries = ( \"CN pass\" ); },\n"
	"  { name = \"contractor\"; sources = [ \"10.20.0.99/32\" ]; },\n"
	"  { name = \"guest\"; sources = [ \"10.30.0.0/24\" ]; default = \"drop\";\n"
	"    countries = ( \"US pass\", { country = \"DE\"; action = \"pass\"; reason = \"fair, ticket 7\"; expires = \"%s\"; } ); },\n"
	"  { name = \"servers\"; sources = [ \"10.40.0.0/24\" ]; monitor = true; },\n"
	"  { name = \"iot\"; vlans = [ 100 ]; default = \"drop\"; countries = ( \"DE pass\" ); },\n"
	"  { name = \"lan\"; interfaces = [ \"g0\" ]; countries = ( \"DE monitor\" ); },\n"
	"  { name = \"gateway\"; sources = [ \"100.64.0.1/32\" ]; countries = ( \"CN pass\" ); }\n"
	");\n";

/* The same scopes in another order (and without the exemption, now over). */
static const char *const scopes_b =
	"scopes = (\n"
	"  { name = \"lan\"; interfaces = [ \"g0\" ]; countries = ( \"DE monitor\" ); },\n"
	"  { name = \"iot\"; vlans = [ 100 ]; default = \"drop\"; countries = ( \"DE pass\" ); },\n"
	"  { name = \"servers\"; sources = [ \"10.40.0.0/24\" ]; monitor = true; },\n"
	"  { name = \"guest\"; sources = [ \"10.30.0.0/24\" ]; default = \"drop\"; countries = ( \"US pass\" ); },\n"
	"  { name = \"contractor\"; sources = [ \"10.20.0.99/32\" ]; },\n"
	"  { name = \"research\"; sources = [ \"10.20.0.0/24\" ]; countries = ( \"CN pass\" ); },\n"
	"  { name = \"gateway\"; sources = [ \"100.64.0.1/32\" ]; countries = ( \"CN pass\" ); }\n"
	");\n";

static int dest[NDEST];

static void send_from(const struct sender *s, int d, int count)
{
	struct gf_pkt_spec p;

	gf_pkt_spec_init(&p, 4, lab.hosts[dest[d]].v4);
	inet_pton(AF_INET, s->src, p.src);
	if (s->vlan) {
		p.nvlan = 1;
		p.vlan_proto[0] = 0x8100;
		p.vlan_id[0] = s->vlan;
	}
	gf_lab_send_frame(&lab, &p, count);
}

/* What got past the gateway for destination d: delivered (untagged) or past XDP (tagged). */
static __u64 through(const struct sender *s, int d)
{
	return s->vlan ? gf_lab_tagged_seen(&lab, dest[d], 4) : gf_lab_delivered(&lab, dest[d], 4);
}

static int write_conf(const char *scopes_fmt, const char *until)
{
	char scopes[2048], src[256];

	snprintf(scopes, sizeof(scopes), scopes_fmt, until);
	snprintf(conf, sizeof(conf), "events = { output = \"off\"; };\nmetrics = { listen = \"127.0.0.1:9847\"; };\n%s",
		 scopes);
	snprintf(src, sizeof(src), "{ mmdb = \"%s/country.mmdb\"; }", lab.dir);
	return gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){ .sources = src, .extra = conf });
}

/* A scope's packets of a class and verdict in `geofence stats --json`. */
static long long stats_packets(const char *scope, const char *cls, const char *verdict)
{
	json_object *o, *rows;
	long long n = -1;

	if (gf_lab_cli(&lab, out, sizeof(out), "stats --json --interval 0.01") || !(o = json_tokener_parse(out)))
		return -2;
	if (json_object_object_get_ex(o, "classes", &rows))
		for (size_t i = 0; i < json_object_array_length(rows); i++) {
			json_object *r = json_object_array_get_idx(rows, i);

			if (!strcmp(gf_state_str(r, "scope"), scope) && !strcmp(gf_state_str(r, "class"), cls) &&
			    !strcmp(gf_state_str(r, "verdict"), verdict) && !strcmp(gf_state_str(r, "hook"), "xdp"))
				n = gf_state_int(r, "packets");
		}
	json_object_put(o);
	return n;
}

static long long metric(const char *scope, const char *cc, const char *verdict)
{
	char key[256];

	if (gf_lab_http_get(&lab, 9847, "/metrics", text, sizeof(text)) != 200)
		return -2;
	snprintf(key, sizeof(key), "geofence_packets_total{country=\"%s\",verdict=\"%s\",hook=\"xdp\",scope=\"%s\"}", cc,
		 verdict, scope);
	return gf_metrics_series(text, key);
}

/*
 * geofence lookup --json --from SRC [--vlan V --iface g0] CN US DE: per
 * destination the verdict and the scope, "verdict@scope" in got[d].
 */
static int lookup(const struct sender *s, char got[NDEST][64])
{
	char vl[32] = "", *line, *save = NULL;
	int d = 0;

	if (s->vlan)
		snprintf(vl, sizeof(vl), " --vlan %d --iface g0", s->vlan);
	else if (!strcmp(s->scope, "lan"))
		snprintf(vl, sizeof(vl), " --iface g0");
	for (int i = 0; i < NDEST; i++)
		got[i][0] = 0;
	/* the CLI runs in the gateway's namespace, where g0 is */
	if (gf_lab_cli(&lab, out, sizeof(out), "lookup --json --from %s%s %s %s %s", s->src, vl, lab.hosts[dest[CN]].v4,
		       lab.hosts[dest[US]].v4, lab.hosts[dest[DE]].v4))
		return -1;
	for (line = strtok_r(out, "\n", &save); line && d < NDEST; line = strtok_r(NULL, "\n", &save)) {
		json_object *o = json_tokener_parse(line);

		if (!o)
			continue;
		snprintf(got[d++], 64, "%s@%s", gf_state_str(o, "verdict"), gf_state_str(o, "scope"));
		json_object_put(o);
	}
	return d == NDEST ? 0 : -1;
}

int main(void)
{
	int rc, ok, others_ok = 1, rounds_before = 0, through_before = 0, rounds_after = 0, through_after = 0;
	char until[64], got[NDEST][64], want[64];
	__u64 before[NSEND][NDEST], after[NSEND][NDEST];
	long long research_before, research_after;
	time_t end;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_lab_up_default(&lab, "gfsc", hosts, 3, NULL, "CN drop\n"))
		return GF_TEST_SETUP_ERROR;
	dest[CN] = gf_lab_host(&lab, "CN");
	dest[US] = gf_lab_host(&lab, "US");
	dest[DE] = gf_lab_host(&lab, "DE");
	end = time(NULL) + EXPIRES_IN;
	strftime(until, sizeof(until), "%Y-%m-%dT%H:%M:%SZ", gmtime(&end));
	if (write_conf(scopes_a, until)) {
		gf_lab_down(&lab);
		return GF_TEST_SETUP_ERROR;
	}
	rc = gf_lab_agent_start(&lab);
	if (!CHECK(rc == 0, "geofenced starts with six scopes (%d)", rc))
		goto out;
	CHECK(gf_sh("grep -q 'scope research (id 1): 10.20.0.0/24; default pass, 1 country rule' %s && "
		    "grep -q 'scope iot (id 5): vlan 100; default drop' %s && grep -q 'scope lan (id 6): interface g0' %s",
		    lab.log, lab.log, lab.log) == 0,
	      "the log says each scope in force: what selects it, its default, its rules");

	rc = gf_lab_cli(&lab, out, sizeof(out), "status");
	CHECK(rc == 0 && strstr(out, "scope research     10.20.0.0/24; default pass; CN=pass") &&
	      strstr(out, "scope iot          vlan 100; default drop; DE=pass"),
	      "geofence status lists the scopes in force, what selects them and their rules");

	/* every sender to every destination: the verdicts of its scope */
	for (int i = 0; i < NSEND; i++)
		for (int d = 0; d < NDEST; d++) {
			before[i][d] = through(&senders[i], d);
			send_from(&senders[i], d, N);
			after[i][d] = through(&senders[i], d);
		}
	for (int i = 0; i < NSEND; i++) {
		const struct sender *s = &senders[i];
		char got[64] = "";

		ok = 1;
		for (int d = 0; d < NDEST; d++) {
			int passed = after[i][d] - before[i][d] >= N * 9 / 10, none = after[i][d] == before[i][d];

			ok &= !strcmp(s->want[d], "drop") ? none : passed;
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s %llu", d ? ", " : "", hosts[d],
				 (unsigned long long)(after[i][d] - before[i][d]));
		}
		CHECK(ok, "%s%s%s (scope %s): CN %s, US %s, DE %s (through: %s of %d each)", s->src, s->vlan ? " on VLAN " : "",
		      s->vlan ? "100" : "", s->scope, s->want[0], s->want[1], s->want[2], got, N);
	}

	CHECK(stats_packets("research", "CN", "pass") >= 2 * N * 9 / 10 && stats_packets("lan", "CN", "drop") >= N &&
	      stats_packets("servers", "CN", "monitor") >= N * 9 / 10 && stats_packets("iot", "US", "drop") >= N,
	      "geofence stats: counted per scope (research CN pass %lld, lan CN drop %lld, servers CN monitor %lld)",
	      stats_packets("research", "CN", "pass"), stats_packets("lan", "CN", "drop"),
	      stats_packets("servers", "CN", "monitor"));
	research_before = metric("research", "CN", "pass");
	CHECK(research_before == stats_packets("research", "CN", "pass") && metric("guest", "DE", "pass") >= N * 9 / 10 &&
	      metric("lan", "DE", "monitor") >= N * 9 / 10,
	      "/metrics: the scope label, equal to geofence stats (research CN pass %lld)", research_before);
	CHECK(metric("default", "CN", "drop") <= 0, "/metrics: nothing left to the default scope here (every sender is in one)");
	CHECK(strstr(text, "geofence_exemption_expires_in_seconds{scope=\"guest\",country=\"DE\",action=\"pass\""),
	      "/metrics: the scope's exemption with its seconds until it ends");

	/* guest's DE exemption ends while traffic runs; nobody else's verdicts change */
	while (time(NULL) < end + 6) {
		/* one destination at a time: the internet counts per destination, not per sender */
		__u64 g0 = through(&senders[3], DE), u0, r0;
		time_t t = time(NULL);
		int passed;

		send_from(&senders[3], DE, 2);
		usleep(50000);
		passed = through(&senders[3], DE) > g0;
		u0 = through(&senders[3], US);
		send_from(&senders[3], US, 2);
		usleep(50000);
		r0 = through(&senders[1], DE);
		send_from(&senders[1], DE, 2);
		usleep(50000);
		others_ok &= through(&senders[3], US) > u0 && through(&senders[1], DE) > r0;
		if (t < end - 1) {
			rounds_before++;
			through_before += passed;
		} else if (t > end + 3) {
			rounds_after++;
			through_after += passed;
		}
	}
	CHECK(rounds_before > 3 && through_before == rounds_before && rounds_after > 3 && through_after == 0,
	      "guest's DE exemption: through in %d of %d rounds before it ended, in %d of %d after", through_before,
	      rounds_before, through_after, rounds_after);
	CHECK(others_ok, "guest's US and research's DE went through in every round, the reload at expiry included");
	CHECK(gf_sh("grep -q 'exemption scope guest: DE pass (.*fair, ticket 7) expired at' %s", lab.log) == 0,
	      "the log: the scope's exemption expired, the agent reloaded without it");

	/* the gateway's own traffic (tc egress) takes its scope by source: 100.64.0.1 may reach CN */
	{
		__u64 b0 = gf_lab_delivered(&lab, dest[CN], 4);
		int sent = gf_lab_udp(lab.ns_gw, lab.hosts[dest[CN]].v4, N);
		long long m;

		usleep(100000);
		m = 0;
		if (gf_lab_http_get(&lab, 9847, "/metrics", text, sizeof(text)) == 200)
			m = gf_metrics_series(text, "geofence_packets_total{country=\"CN\",verdict=\"pass\",hook=\"tc\","
						    "scope=\"gateway\"}");
		CHECK(sent == N && gf_lab_delivered(&lab, dest[CN], 4) - b0 >= (__u64)N * 9 / 10 && m >= N * 9 / 10,
		      "the gateway's own datagrams to CN (source 100.64.0.1, scope gateway): through, counted at tc "
		      "under the scope (%llu delivered, %lld counted)",
		      (unsigned long long)(gf_lab_delivered(&lab, dest[CN], 4) - b0), m);
	}

	/* the CLI: lookup --from says each sender's scope and verdicts (guest's DE now dropped) */
	ok = 1;
	for (int i = 0; i < NSEND; i++) {
		int r = lookup(&senders[i], got);

		for (int d = 0; d < NDEST; d++) {
			snprintf(want, sizeof(want), "%s@%s", i == 3 && d == DE ? "drop" : senders[i].want[d], senders[i].scope);
			if (r || strcmp(got[d], want)) {
				fprintf(stderr, "lookup --from %s%s to %s: %s, want %s\n", senders[i].src,
					senders[i].vlan ? " (vlan 100)" : "", hosts[d], got[d], want);
				ok = 0;
			}
		}
	}
	CHECK(ok, "geofence lookup --from: every sender's scope and verdicts, as the datapath gives them");

	/* the same scopes in another order: every name keeps its id and its counters */
	research_before = metric("research", "CN", "pass");
	write_conf(scopes_b, "");
	rc = gf_lab_cli(&lab, out, sizeof(out), "reload");
	research_after = metric("research", "CN", "pass");
	CHECK(rc == 0 && research_after >= research_before && research_before > 0,
	      "a reload that reorders the scopes: research's counter goes on (%lld -> %lld)", research_before,
	      research_after);
	send_from(&senders[1], CN, N);
	CHECK(metric("research", "CN", "pass") >= research_after + N * 9 / 10, "and counts on after it");

	/* the same prefix in two scopes: rejected, the running generation stays */
	snprintf(text, sizeof(text), "%.*s  , { name = \"dup\"; sources = [ \"10.30.0.0/24\" ]; }\n);\n",
		 (int)(strrchr(scopes_b, ')') - scopes_b), scopes_b);
	write_conf(text, "");
	rc = gf_lab_cli(&lab, out, sizeof(out), "reload");
	CHECK(rc == 4 && strstr(out, "scopes dup and guest both hold 10.30.0.0/24") ,
	      "two scopes holding the same prefix: the reload is rejected and says which (%d)", rc);
	send_from(&senders[1], CN, N);
	CHECK(metric("research", "CN", "pass") >= research_after + 2 * (N * 9 / 10),
	      "and research still passes to CN under the running generation");
out:
	gf_lab_teardown(&lab);
	return gf_test_summary();
}
