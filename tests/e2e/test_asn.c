// SPDX-License-Identifier: GPL-2.0
/*
 * AS classes, against a real geofenced: an ASN database written by the
 * test (MaxMind's Perl writer) puts the CN host's network in AS13335 and
 * the US host's in AS4134; the lists say "CN drop", "AS13335 pass",
 * "AS4134 drop", and an override denies the second CN host.  Where the AS
 * and the country disagree, the documented precedence decides, by the
 * internet's own counters:
 *
 *   destination   country  AS        rule that wins                verdict
 *   CN            drop     AS13335   the AS (pass)                  pass
 *   CN-2          drop     AS13335   the override (deny /32)        drop
 *   US            pass     AS4134    the AS (drop)                  drop
 *   DE            pass     -         the country                    pass
 *
 * and a scope that names AS4134 itself passes it for its senders.  Then:
 * /metrics counts AS classes under their country with an "as" label;
 * geofence lookup shows the AS; geofence stats names it; policy diff shows
 * an AS rule's change; AS rules without geoip.asn, and a geoip.asn that is
 * no ASN database, are refused.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_pkt.h"
#include "gf_state.h"
#include "gf_test.h"

#define N 20

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "CN-2", "US", "DE" };
static char out[1 << 17], text[1 << 17];
static int h_cn, h_cn2, h_us, h_de;

/* N frames to a host from src; how many the internet got. */
static __u64 send_to(int host, const char *src)
{
	struct gf_pkt_spec p;
	__u64 before = gf_lab_delivered(&lab, host, 4);

	gf_pkt_spec_init(&p, 4, lab.hosts[host].v4);
	inet_pton(AF_INET, src, p.src);
	gf_lab_send_frame(&lab, &p, N);
	usleep(50000);
	return gf_lab_delivered(&lab, host, 4) - before;
}

/* The /24 of a host's IPv4 address. */
static void net24(int host, char *buf, size_t len)
{
	unsigned a, b, c, d;

	sscanf(lab.hosts[host].v4, "%u.%u.%u.%u", &a, &b, &c, &d);
	snprintf(buf, len, "%u.%u.%u.0/24", a, b, c);
}

static int write_conf(const char *geoip, const char *policy)
{
	char src[256];

	snprintf(src, sizeof(src), "{ mmdb = \"%s/country.mmdb\"; }", lab.dir);
	return gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){
		.sources = src, .geoip = geoip, .policy = policy,
		.extra = "events = { output = \"off\"; };\nmetrics = { listen = \"127.0.0.1:9847\"; };\n"
			 "scopes = ( { name = \"lab\"; sources = [ \"10.50.0.0/24\" ]; countries = ( \"AS4134 pass\" ); } );\n" });
}

static long long series(const char *labels)
{
	char key[300];

	if (gf_lab_http_get(&lab, 9847, "/metrics", text, sizeof(text)) != 200)
		return -2;
	snprintf(key, sizeof(key), "geofence_packets_total{%s}", labels);
	return gf_metrics_series(text, key);
}

int main(void)
{
	char cn24[32], cn2_24[32], us24[32], geoip[512], policy[256];
	__u64 got_cn, got_cn2, got_us, got_de, lab_us, lab_cn;
	json_object *o;
	int rc;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_lab_up_default(&lab, "gfas", hosts, 4, NULL, "CN drop\nAS13335 pass\nAS4134 drop\n"))
		return GF_TEST_SETUP_ERROR;
	h_cn = gf_lab_host(&lab, "CN");
	h_cn2 = gf_lab_host(&lab, "CN-2");
	h_us = gf_lab_host(&lab, "US");
	h_de = gf_lab_host(&lab, "DE");
	net24(h_cn, cn24, sizeof(cn24));
	net24(h_cn2, cn2_24, sizeof(cn2_24));
	net24(h_us, us24, sizeof(us24));
	/* the ASN database: AS13335 holds both CN networks, AS4134 the US one, AS64500 DE's (named nowhere) */
	if (gf_sh("%s/tests/lib/mkdb.pl %s/asn.mmdb --shape asn --networks 0 --net %s=AS13335 %s%s%s --net %s=AS4134",
		  GF_SRCDIR, lab.dir, cn24, strcmp(cn24, cn2_24) ? "--net " : "", strcmp(cn24, cn2_24) ? cn2_24 : "",
		  strcmp(cn24, cn2_24) ? "=AS13335" : "", us24)) {
		gf_lab_down(&lab);
		return GF_TEST_SETUP_ERROR;
	}

	/* AS rules without an ASN database: refused, and said why */
	write_conf(NULL, NULL);
	rc = gf_sh_out(out, sizeof(out), "%s/geofenced --check -c %s 2>&1", GF_BUILD_DIR, lab.conf);
	CHECK(rc == 4 && strstr(out, "AS rules (AS13335 ...) need an ASN database: geoip.asn"),
	      "AS rules without geoip.asn: rejected, and the check says what to add (%d)", rc);
	/* an ASN database that is not one */
	snprintf(geoip, sizeof(geoip), "asn = \"%s/country.mmdb\";", lab.dir);
	write_conf(geoip, NULL);
	rc = gf_sh_out(out, sizeof(out), "%s/geofenced --check -c %s 2>&1", GF_BUILD_DIR, lab.conf);
	CHECK(rc == 4 && strstr(out, "none of its records has an autonomous_system_number"),
	      "geoip.asn naming a country database: rejected (%d)", rc);

	snprintf(geoip, sizeof(geoip), "asn = \"%s/asn.mmdb\";", lab.dir);
	snprintf(policy, sizeof(policy), "overrides = ( { cidr = \"%s/32\"; action = \"deny\"; } );", lab.hosts[h_cn2].v4);
	write_conf(geoip, policy);
	rc = gf_lab_agent_start(&lab);
	if (!CHECK(rc == 0, "geofenced starts with AS rules and an ASN database (%d)", rc))
		goto out;
	got_cn = send_to(h_cn, "10.10.0.2");
	got_cn2 = send_to(h_cn2, "10.10.0.2");
	got_us = send_to(h_us, "10.10.0.2");
	got_de = send_to(h_de, "10.10.0.2");
	CHECK(got_cn >= N * 9 / 10, "CN in AS13335: the AS rule (pass) beats the country's (drop): %llu of %d through",
	      (unsigned long long)got_cn, N);
	CHECK(got_cn2 == 0, "CN-2 in AS13335 with a /32 override (deny): the override wins (%llu through)",
	      (unsigned long long)got_cn2);
	CHECK(got_us == 0, "US in AS4134: the AS rule (drop) beats the country's (pass): %llu through",
	      (unsigned long long)got_us);
	CHECK(got_de >= N * 9 / 10, "DE, in no named AS: the country decides (pass): %llu through", (unsigned long long)got_de);
	lab_us = send_to(h_us, "10.50.0.5");
	lab_cn = send_to(h_cn, "10.50.0.5");
	CHECK(lab_us >= N * 9 / 10 && lab_cn >= N * 9 / 10,
	      "scope lab names AS4134 pass: its senders reach US in AS4134 (%llu) and still CN in AS13335 (%llu)",
	      (unsigned long long)lab_us, (unsigned long long)lab_cn);

	CHECK(series("country=\"CN\",as=\"AS13335\",verdict=\"pass\",hook=\"xdp\",scope=\"default\"") >= N * 9 / 10 &&
	      series("country=\"US\",as=\"AS4134\",verdict=\"drop\",hook=\"xdp\",scope=\"default\"") >= N &&
	      series("country=\"US\",as=\"AS4134\",verdict=\"pass\",hook=\"xdp\",scope=\"lab\"") >= N * 9 / 10 &&
	      series("country=\"DE\",verdict=\"pass\",hook=\"xdp\",scope=\"default\"") >= N * 9 / 10,
	      "/metrics: AS classes under their country, with an as label (and per scope)");
	{
		int others = 0;

		for (const char *p = text; (p = strstr(p, ",as=\"AS")); p++)
			others += strncmp(p, ",as=\"AS13335\"", strlen(",as=\"AS13335\"")) &&
				  strncmp(p, ",as=\"AS4134\"", strlen(",as=\"AS4134\""));
		CHECK(others == 0 && strstr(text, ",as=\"AS13335\""), "/metrics: as labels only for the ASes the policy names");
	}

	rc = gf_lab_cli(&lab, out, sizeof(out), "lookup --json %s", lab.hosts[h_cn].v4);
	o = rc == 0 ? json_tokener_parse(strstr(out, "{\"address\"") ?: "") : NULL;
	CHECK(o && gf_state_int(o, "as") == 13335 && !strcmp(gf_state_str(o, "class"), "CN/AS13335") &&
	      !strcmp(gf_state_str(o, "country"), "CN") && !strcmp(gf_state_str(o, "verdict"), "pass"),
	      "geofence lookup: the CN host is in AS13335, class CN/AS13335, verdict pass");
	json_object_put(o);
	rc = gf_lab_cli(&lab, out, sizeof(out), "lookup --from 10.50.0.5 %s", lab.hosts[h_us].v4);
	CHECK(rc == 0 && strstr(out, "US/AS4134") && strstr(out, " pass ") && strstr(out, "AS4134") &&
	      strstr(out, "scope lab"), "geofence lookup --from a lab sender: US/AS4134, pass");
	rc = gf_lab_cli(&lab, out, sizeof(out), "status");
	if (gf_test_verbose)
		printf("%s", out);
	CHECK(rc == 0 && strstr(out, "AS rules: AS13335=pass AS4134=drop (2 AS class(es))"),
	      "geofence status: the AS rules and the (AS, country) classes the data gave them");
	rc = gf_lab_cli(&lab, out, sizeof(out), "stats --interval 0.01");
	CHECK(rc == 0 && strstr(out, "US/AS4134") && strstr(out, "CN/AS13335"), "geofence stats names the AS classes");

	/* policy diff: an AS rule changed */
	gf_sh("mkdir -p %s/c2.d && sed 's/^AS4134 drop/AS4134 monitor/' %s/00-concern.list > %s/c2.d/00.list && "
	      "sed 's|countries = \"[^\"]*\";|countries = \"%s/c2.d\";|' %s > %s/new.conf", lab.dir, lab.lists, lab.dir,
	      lab.dir, lab.conf, lab.dir);
	rc = gf_sh_out(out, sizeof(out), "ip netns exec %s %s/geofence --config %s --json policy diff -c %s/new.conf",
		       lab.ns_gw, GF_BUILD_DIR, lab.conf, lab.dir);
	o = rc == 0 ? json_tokener_parse(out) : NULL;
	{
		json_object *a = o ? json_object_object_get(o, "as_rules") : NULL, *e;

		e = a && json_object_array_length(a) == 1 ? json_object_array_get_idx(a, 0) : NULL;
		CHECK(e && !strcmp(gf_state_str(e, "as"), "AS4134") && !strcmp(gf_state_str(e, "old"), "drop") &&
		      !strcmp(gf_state_str(e, "new"), "monitor"),
		      "policy diff: AS4134 drop -> monitor (%d)", rc);
	}
	json_object_put(o);
out:
	gf_lab_teardown(&lab);
	return gf_test_summary();
}
