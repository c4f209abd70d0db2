// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the agent's configuration, the country lists and the policy
 * built from them (user/lib/gf_config.c, gf_policy.c).  Every bad input is
 * rejected with the file and line named.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "gf_config.h"
#include "gf_policy.h"

static char dir[64];

static const char *write_conf(const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/gf-config-XXXXXX");
		assert_non_null(mkdtemp(dir));
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

#define GOOD_HEAD "interfaces = { lan = [ \"lo\" ]; };\n" \
		  "geoip = { sources = ( { mmdb = \"" GF_BUILD_DB "\"; } ); };\n"

static void test_good(void **s)
{
	struct gf_config c;
	char err[512] = "";
	const char *p = write_conf("good.conf",
		"interfaces = { lan = [ \"lo\", \"eth9\" ]; wan = \"eth8\"; xdp_mode = \"generic\"; };\n"
		"geoip = { sources = ( { mmdb = \"/x.mmdb\"; }, { list = \"/l/ru.zone\"; country = \"ru\"; },\n"
		"  { tor = \"/usr/share/tor/geoip\"; } ); registered_country_fallback = false;\n"
		"  max_shrink = 0.25; min_coverage = 0; };\n"
		"policy = { countries = \"countries.d\"; default = \"monitor\"; unknown = \"drop\";\n"
		"  reserved = \"redirect q0\"; monitor = true; source_route = \"drop\";\n"
		"  overrides = ( { cidr = \"203.0.113.7/32\"; action = \"allow\"; reason = \"partner\"; },\n"
		"                { cidr = \"2001:db8::/48\"; action = \"deny\"; } ); };\n"
		"metrics = { listen = \"0.0.0.0:9100\"; };\n"
		"state = { pin_dir = \"/sys/fs/bpf/x\"; run_dir = \"/run/x\"; ipv4_nodes = 4096;\n"
		"  group = \"root\"; };\n");

	assert_int_equal(gf_config_load(p, &c, err, sizeof(err)), 0);
	assert_true(c.sanity.max_shrink > 0.249 && c.sanity.max_shrink < 0.251);
	assert_true(c.sanity.min_coverage == 0);
	assert_int_equal(c.source_route_drop, 1);
	assert_string_equal(c.state_group, "root");
	assert_int_equal(c.state_gid, 0);
	assert_int_equal(c.nlan, 2);
	assert_string_equal(c.lan[1], "eth9");
	assert_int_equal(c.nwan, 1);
	assert_string_equal(c.wan[0], "eth8");
	assert_int_equal(c.xdp_mode, GF_XDP_GENERIC);
	assert_int_equal(c.nsources, 3);
	assert_int_equal(c.sources[1].kind, GF_GEO_LIST);
	assert_string_equal(c.sources[1].cc, "RU");
	assert_int_equal(c.sources[2].kind, GF_GEO_TOR);
	assert_int_equal(c.geo.registered_country_fallback, 0);
	/* relative to the config file */
	assert_non_null(strstr(c.countries_dir, dir));
	assert_int_equal(c.default_rule.action, GF_ACT_MONITOR);
	assert_int_equal(c.unknown_rule.action, GF_ACT_DROP);
	assert_int_equal(c.reserved_rule.action, GF_ACT_REDIRECT);
	assert_string_equal(c.reserved_rule.redirect, "q0");
	assert_int_equal(c.monitor, 1);
	assert_int_equal(c.noverrides, 2);
	assert_int_equal(c.overrides[0].rule.action, GF_ACT_PASS);
	assert_string_equal(c.overrides[0].reason, "partner");
	assert_int_equal(c.overrides[1].family, 6);
	assert_int_equal(c.overrides[1].rule.action, GF_ACT_DROP);
	assert_non_null(strstr(c.overrides[1].rule.origin, "good.conf:8"));
	assert_string_equal(c.metrics_listen, "0.0.0.0:9100");
	assert_string_equal(c.pin_dir, "/sys/fs/bpf/x");
	assert_int_equal(c.node4_cap, 4096);
	gf_config_free(&c);
}

/* What a configuration that says nothing of them gets. */
static void test_defaults(void **s)
{
	struct gf_config c;
	char err[512] = "";
	const char *p = write_conf("min.conf", GOOD_HEAD "policy = { countries = \"d\"; };\n");

	(void)s;
	assert_int_equal(gf_config_load(p, &c, err, sizeof(err)), 0);
	assert_true(c.sanity.max_shrink > 0.099 && c.sanity.max_shrink < 0.101);
	assert_true(c.sanity.min_coverage > 0.499 && c.sanity.min_coverage < 0.501);
	assert_int_equal(c.source_route_drop, 0);
	assert_int_equal((int)c.state_gid, -1);
	assert_string_equal(c.run_dir, "/run/geofence");
	/* no flow export unless collectors are named; records every 60 s, flows end after 30 s idle */
	assert_int_equal(c.flows.ncollectors, 0);
	assert_int_equal(c.flows.active_timeout, 60);
	assert_int_equal(c.flows.idle_timeout, 30);
	assert_int_equal(c.flows.observation_domain, 0);
	gf_config_free(&c);
}

/* The example that ships (user/conf) parses, and says what the defaults are. */
static void test_shipped_example(void **s)
{
	struct gf_config c;
	char err[512] = "";

	(void)s;
	assert_int_equal(gf_config_load(GF_SRCDIR "/user/conf/geofence.conf", &c, err, sizeof(err)), 0);
	assert_string_equal(c.lan[0], "eth1");
	assert_int_equal(c.sampling.rate, 1000);
	assert_int_equal(c.sampling.bytes, 512);
	assert_int_equal(c.sampling.window_days, 365);
	assert_int_equal(c.sampling.buckets, 12);
	assert_true(c.sampling.alert_fraction > 0.49 && c.sampling.alert_fraction < 0.51);
	assert_int_equal(c.sampling.threshold[GF_DLP_GENOMIC], 100);
	assert_int_equal(c.sampling.has_key, 0);
	assert_int_equal(c.sampling.monitor_rate, 1);
	assert_string_equal(c.state_dir, "/var/lib/geofence");
	assert_int_equal(c.evidence_days, 400);
	assert_string_equal(c.ev_postgres, "");
	assert_int_equal(c.ev_write_interval, 10);
	assert_int_equal(c.ev_upload_interval, 300);
	assert_int_equal(c.geo_max_age_days, 45);
	gf_config_free(&c);
}

static void test_bad_configs(void **s)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "interfaces = { lan = [ \"lo\" ] \n", "bad.conf:2: syntax error" },
		{ "geoip = { };\npolicy = { countries = \"d\"; };\n", "no interfaces" },
		{ "interfaces = { lan = [ \"lo\" ]; wan = [ \"lo\" ]; };\n", "'lo' is both a lan and a wan" },
		{ "interfaces = { lan = [ \"lo\", \"lo\" ]; };\n", "bad.conf:1: interfaces.lan: 'lo' is listed twice" },
		{ "interfaces = { lan = [ \"averyveryverylongname\" ]; };\n", "is not an interface name" },
		{ "interfaces = { lan = 5; };\n", "bad.conf:1: interfaces.lan must be an interface name or a list" },
		{ "interfaces = { lan = [ \"lo\" ]; xdp_mode = \"fast\"; };\n",
		  "bad.conf:1: interfaces.xdp_mode must be \"auto\", \"native\" or \"generic\"" },
		{ GOOD_HEAD, "policy.countries is missing" },
		{ "interfaces = { lan = [ \"lo\" ]; };\ngeoip = { sources = { mmdb = \"x\"; }; };\n",
		  "bad.conf:2: geoip.sources must be a list" },
		{ "interfaces = { lan = [ \"lo\" ]; };\ngeoip = { sources = ( \"x\" ); };\n",
		  "bad.conf:2: geoip.sources: each source is a group" },
		{ "interfaces = { lan = [ \"lo\" ]; };\ngeoip = { sources = ( { mmdb = \"a\"; tor = \"b\"; } ); };\n",
		  "exactly one of mmdb, list or tor" },
		{ "interfaces = { lan = [ \"lo\" ]; };\ngeoip = { sources = ( { file = \"a\"; } ); };\n",
		  "exactly one of mmdb, list or tor" },
		{ "interfaces = { lan = [ \"lo\" ]; };\ngeoip = { sources = ( ); };\n", "geoip.sources is empty" },
		{ "interfaces = { lan = [ \"lo\" ]; };\ngeoip = { sources = ( { mmdb = \"a\"; country = \"CN\"; } ); };\n",
		  "'country' only applies to a list" },
		{ "interfaces = { lan = [ \"lo\" ]; };\ngeoip = { sources = ( { list = \"a\"; country = \"China\"; } ); };\n",
		  "'China' is not an ISO 3166-1 alpha-2 country code" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nmetrics = { tls_cert = \"c.pem\"; };\n",
		  "bad.conf:4: metrics: tls_cert and tls_key go together" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nmetrics = { user = \"p\"; };\n",
		  "bad.conf:4: metrics: user and password_file go together" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nmetrics = { user = \"a:b\"; password_file = \"x\"; };\n",
		  "metrics.user: a name without ':'" },
		/* scopes */
#define SC GOOD_HEAD "policy = { countries = \"d\"; };\n"
		{ SC "scopes = { name = \"a\"; };\n", "bad.conf:4: scopes must be a list of groups" },
		{ SC "scopes = ( { sources = [ \"10.0.0.0/8\" ]; } );\n", "bad.conf:4: scopes: each scope is a group with a name" },
		{ SC "scopes = ( { name = \"Lab\"; sources = [ \"10.0.0.0/8\" ]; } );\n", "name \"Lab\": 1 to 31 characters" },
		{ SC "scopes = ( { name = \"default\"; sources = [ \"10.0.0.0/8\" ]; } );\n", "and not \"default\"" },
		{ SC "scopes = ( { name = \"a\"; } );\n", "scope a: no sources, interfaces or vlans" },
		{ SC "scopes = ( { name = \"a\"; sources = [ \"10.0.0.1/8\" ]; } );\n", "has host bits set: did you mean 10.0.0.0/8?" },
		{ SC "scopes = ( { name = \"a\"; sources = [ \"ten\" ]; } );\n", "scope a: sources: 'ten' is not an IPv4 or IPv6 prefix" },
		{ SC "scopes = ( { name = \"a\"; vlans = [ 4095 ]; } );\n", "scope a: vlans: element 1 is not a VLAN id from 1 to 4094" },
		{ SC "scopes = ( { name = \"a\"; vlans = [ 7 ]; default = \"block now\"; } );\n", "scope a: default must be" },
		{ SC "scopes = ( { name = \"a\"; vlans = [ 7 ]; countries = ( \"CN\" ); } );\n", "scope a: each country is" },
		{ SC "scopes = ( { name = \"a\"; vlans = [ 7 ]; countries = ( \"China pass\" ); } );\n", "'China' is not a two-letter country code" },
		{ SC "scopes = ( { name = \"a\"; vlans = [ 7 ]; countries = ( \"CN allow\", \"CN drop\" ); } );\n", "scope a: CN is named twice" },
		{ SC "scopes = ( { name = \"a\"; vlans = [ 7 ]; countries = ( { country = \"CN\"; action = \"pass\"; expires = \"soon\"; } ); } );\n",
		  "scope a: CN: expires = \"soon\": a date" },
		{ SC "scopes = ( { name = \"a\"; vlans = [ 7 ]; }, { name = \"a\"; vlans = [ 8 ]; } );\n", "scope a is defined twice" },
		{ SC "scopes = ( { name = \"a\"; sources = [ \"10.1.0.0/16\" ]; }, { name = \"b\"; sources = [ \"10.1.0.0/16\" ]; } );\n",
		  "scopes b and a both hold 10.1.0.0/16" },
		{ SC "scopes = ( { name = \"a\"; vlans = [ 7 ]; }, { name = \"b\"; vlans = [ 7 ]; } );\n", "scopes b and a both hold VLAN 7" },
		{ SC "scopes = ( { name = \"a\"; interfaces = [ \"lo\" ]; }, { name = \"b\"; interfaces = [ \"lo\" ]; } );\n",
		  "scopes b and a both hold interface lo" },
#undef SC
		{ GOOD_HEAD "policy = { countries = \"d\"; default = \"block\"; unknown = \"reject\"; };\n",
		  "policy.unknown = \"reject\": expected pass, drop, monitor or redirect IFNAME" },
		{ GOOD_HEAD "policy = { countries = \"d\"; default = \"redirect\"; };\n",
		  "bad.conf:3: policy.default = \"redirect\"" },
		{ GOOD_HEAD "policy = { countries = \"d\"; default = 1; };\n",
		  "bad.conf:3: policy.default must be a string" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nguard = { mode = \"some\"; };\n",
		  "bad.conf:4: guard.mode: \"all\" (the boot guard forwards nothing) or \"classes\"" },
		{ GOOD_HEAD "policy = { countries = \"d\";\n overrides = ( { cidr = \"1.2.3.4/24\"; action = \"deny\"; } ); };\n",
		  "bad.conf:4: policy.overrides: '1.2.3.4/24' has host bits set: did you mean 1.2.3.0/24?" },
		{ GOOD_HEAD "policy = { countries = \"d\";\n overrides = ( { cidr = \"1.2.3.0/33\"; action = \"deny\"; } ); };\n",
		  "'1.2.3.0/33' is not an IPv4 or IPv6 prefix" },
		{ GOOD_HEAD "policy = { countries = \"d\";\n overrides = ( { cidr = \"1.2.3.0/24\"; } ); };\n",
		  "bad.conf:4: policy.overrides: each entry needs cidr and action" },
		{ GOOD_HEAD "policy = { countries = \"d\";\n overrides = ( { cidr = \"1.2.3.0/24\"; action = \"maybe\"; } ); };\n",
		  "action \"maybe\": expected allow, deny, monitor or redirect IFNAME" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nstate = { pin_dir = \"relative\"; };\n",
		  "bad.conf:4: state.pin_dir must be an absolute path" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nstate = { ipv4_nodes = 10; };\n",
		  "bad.conf:4: state.ipv4_nodes must be 1024 to 1048576" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = { rate = -1; };\n",
		  "bad.conf:4: sampling.rate is 1-in-N" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = { bytes = 9000; };\n",
		  "bad.conf:4: sampling.bytes must be 1 to 1500" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = {\n countries = { XX = 10; }; };\n",
		  "bad.conf:5: sampling.countries: 'XX' is not an ISO 3166-1" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = { countries = { US = \"often\"; }; };\n",
		  "sampling.countries.US: a rate" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = { key = \"abc\"; };\n",
		  "bad.conf:4: sampling.key is 32 hex digits" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = { key = \"zz112233445566778899aabbccddeeff\"; };\n",
		  "sampling.key is 32 hex digits" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = { key = 1234; };\n",
		  "bad.conf:4: sampling.key is 32 hex digits" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { countries = [ \"XX\" ]; };\n",
		  "bad.conf:4: flows.countries: 'XX' is not an ISO 3166-1 alpha-2 country code" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { countries = \"US\"; };\n",
		  "bad.conf:4: flows.countries is a list of country codes" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { max_entries = 10; };\n",
		  "bad.conf:4: flows.max_entries: 1024 to 16777216" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { max_new_per_second = -1; };\n",
		  "bad.conf:4: flows.max_new_per_second" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { collectors = [ \"http://c:80\" ]; };\n",
		  "bad.conf:4: flows.collectors: http://c:80: a collector is udp://HOST:PORT or tcp://HOST:PORT" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { collectors = [ \"udp://c:0\" ]; };\n",
		  "bad.conf:4: flows.collectors: udp://c:0: the port is a number, 1 to 65535" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { collectors = [ \"tcp://[::1:4739\" ]; };\n",
		  "bad.conf:4: flows.collectors: tcp://[::1:4739: an IPv6 collector is [ADDRESS]:PORT" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { collectors = [ \"udp://c:9\", \"udp://c:9\" ]; };\n",
		  "bad.conf:4: flows.collectors: udp://c:9 is named twice" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { collectors = \"udp://c:9\"; };\n",
		  "bad.conf:4: flows.collectors is a list" },
		{ GOOD_HEAD "policy = { countries = \"d\"; overrides = ( { cidr = \"192.0.2.0/24\"; action = \"allow\"; "
			    "expires = \"31/01/2027\"; } ); };\n",
		  "bad.conf:3: policy.overrides: expires = \"31/01/2027\": a date, \"2027-01-31\"" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { idle_timeout = 0; };\n",
		  "bad.conf:4: flows.idle_timeout: seconds of silence that end a flow, 1 to 86400" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nflows = { active_timeout = 86401; };\n",
		  "bad.conf:4: flows.active_timeout" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nevents = { output = \"kafka\"; };\n",
		  "bad.conf:4: events.output: auto, journal, stderr, syslog or off, not 'kafka'" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nevents = { max_per_second = -5; };\n",
		  "bad.conf:4: events.max_per_second" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = { alert_fraction = 1.5; };\n",
		  "sampling.alert_fraction: above 0, at most 1" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = { buckets = 100; };\n",
		  "sampling.buckets: 1 to 60" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = {\n thresholds = { passwords = 10; }; };\n",
		  "bad.conf:5: sampling.thresholds: 'passwords' is not a category" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = { thresholds = { ssn = 0; }; };\n",
		  "sampling.thresholds.ssn: a number of persons" },
		{ GOOD_HEAD "policy = { countries = \"d\"; source_route = \"maybe\"; };\n",
		  "bad.conf:3: policy.source_route must be \"classify\"" },
		{ "interfaces = { lan = [ \"lo\" ]; };\ngeoip = { max_shrink = 2; };\n",
		  "bad.conf:2: geoip.max_shrink is a share from 0 to 1" },
		{ "interfaces = { lan = [ \"lo\" ]; };\ngeoip = { min_coverage = \"half\"; };\n",
		  "bad.conf:2: geoip.min_coverage is a share from 0 to 1" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nstate = { group = \"no-such-group-here\"; };\n",
		  "bad.conf:4: state.group 'no-such-group-here': no such group" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nstate = { dir = \"var/lib\"; };\n",
		  "bad.conf:4: state.dir must be an absolute path" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nstate = { evidence_days = 30; };\n",
		  "bad.conf:4: state.evidence_days: 366 to 3660" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nevidence = { write_interval = 60; };\n",
		  "bad.conf:4: evidence.write_interval: 1 to 10 seconds" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nevidence = { upload_interval = 0; };\n",
		  "bad.conf:4: evidence.upload_interval: 1 to 86400" },
		{ "interfaces = { lan = [ \"lo\" ]; };\ngeoip = { sources = ( { mmdb = \"" GF_BUILD_DB "\"; } ); "
		  "max_age_days = 0; };\npolicy = { countries = \"d\"; };\n",
		  "bad.conf:2: geoip.max_age_days: 1 to 3650" },
		{ GOOD_HEAD "policy = { countries = \"d\"; };\nsampling = { monitor_rate = -2; };\n",
		  "bad.conf:4: sampling.monitor_rate is 1-in-N where the action is monitor" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct gf_config c;
		char err[512] = "";
		const char *p = write_conf("bad.conf", cases[i].text);

		assert_true(gf_config_load(p, &c, err, sizeof(err)) < 0);
		if (!strstr(err, cases[i].want) || !strstr(err, "bad.conf"))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
	}
	{
		struct gf_config c;
		char err[512];

		assert_int_equal(gf_config_load("/nonexistent/geofence.conf", &c, err, sizeof(err)), -ENOENT);
		assert_non_null(strstr(err, "/nonexistent/geofence.conf: cannot read it"));
	}
}

static void test_country_lists(void **s)
{
	static struct gf_countries cs;
	char err[512] = "";
	char d[128];

	snprintf(d, sizeof(d), "%s/lists", dir[0] ? dir : "/tmp");
	if (!dir[0])
		write_conf("x", "");
	snprintf(d, sizeof(d), "%s/lists", dir);
	mkdir(d, 0755);
	write_conf("lists/00-base.list", "# comment\n\nCN drop\nru drop # trailing\n  IR   drop\n");
	write_conf("lists/10-more.list", "DE redirect q0\nUS monitor\nCN drop\nxk drop\nEU monitor\n"
		   "AS13335 pass   # a CDN's anycast, geolocated to CN\nas4134 drop\nAS13335 pass\n");
	write_conf("lists/README", "not a list\n");
	assert_int_equal(gf_countries_load(d, &cs, err, sizeof(err)), 0);
	/* AS rules: the number, the action; a repeat keeps the first line */
	assert_int_equal(cs.nas, 2);
	assert_int_equal(cs.as[0].asn, 13335);
	assert_int_equal(cs.as[0].rule.action, GF_ACT_PASS);
	assert_non_null(strstr(cs.as[0].rule.origin, "10-more.list:6"));
	assert_int_equal(cs.as[1].asn, 4134);
	assert_int_equal(cs.as[1].rule.action, GF_ACT_DROP);
	assert_int_equal(cs.nfiles, 2);	/* only *.list, in name order */
	assert_non_null(strstr(cs.files[0], "00-base.list"));
	assert_int_equal(cs.rule[gf_class_from_cc("RU")].action, GF_ACT_DROP);
	assert_int_equal(cs.rule[gf_class_from_cc("DE")].action, GF_ACT_REDIRECT);
	assert_string_equal(cs.rule[gf_class_from_cc("DE")].redirect, "q0");
	assert_int_equal(cs.rule[gf_class_from_cc("US")].action, GF_ACT_MONITOR);
	assert_int_equal(cs.rule[gf_class_from_cc("FR")].action, -1);
	/* codes GeoIP data uses beyond ISO 3166-1 */
	assert_int_equal(cs.rule[gf_class_from_cc("XK")].action, GF_ACT_DROP);
	assert_int_equal(cs.rule[gf_class_from_cc("EU")].action, GF_ACT_MONITOR);

	/* the same country with another action in a later file: both named */
	write_conf("lists/20-conflict.list", "\nCN pass\n");
	assert_int_equal(gf_countries_load(d, &cs, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "20-conflict.list:2: CN is already set to drop at "));
	assert_non_null(strstr(err, "00-base.list:3"));
	unlink(write_conf("lists/20-conflict.list", ""));

	assert_int_equal(gf_countries_load("/nonexistent/countries.d", &cs, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/countries.d: cannot read the country lists"));
}

static void test_bad_list_lines(void **s)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "CHN drop\n", "x.list:1: 'CHN' is not a country code: write the ISO 3166-1" },
		{ "\n\nC$ drop\n", "x.list:3: 'C$' is not a country code" },
		/* two letters, but not an assigned code */
		{ "XX drop\n", "x.list:1: 'XX' is not a country code" },
		{ "# ops\nBY drop\nQQ pass\n", "x.list:3: 'QQ' is not a country code" },
		{ "UK drop\n", "x.list:1: 'UK' is not a country code: write the ISO 3166-1 alpha-2 code "
				 "(e.g. CN; the United Kingdom is GB)" },
		{ "CN\n", "x.list:1: CN has no action: write 'CN drop'" },
		{ "CN block now\n", "x.list:1: 'CN block now': expected 'CC ACTION'" },
		{ "CN reject\n", "x.list:1: 'CN reject': expected 'CC ACTION'" },
		{ "CN redirect\n", "x.list:1: 'CN redirect': expected 'CC ACTION'" },
		{ "CN drop q0\n", "x.list:1: 'CN drop q0': expected 'CC ACTION'" },
		{ "CN redirect averyveryverylongname\n", "is not an interface name" },
		{ "CN drop\nCN monitor\n", "x.list:2: CN is already set to drop at x.list:1" },
		{ "AS13335\n", "x.list:1: 'AS13335': expected 'AS13335 ACTION'" },
		{ "AS13335 reject\n", "x.list:1: 'AS13335 reject': expected 'AS13335 ACTION'" },
		{ "AS4134 drop\nAS4134 pass\n", "x.list:2: AS4134 is already set to drop at x.list:1: one action per AS" },
		{ "AS0 drop\n", "'AS0' is not a country code" },
		{ "AS99999999999 drop\n", "is not a country code" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		static struct gf_countries cs;
		char err[512] = "";

		memset(&cs, 0, sizeof(cs));
		for (int k = 0; k < GF_CLASS_COUNTRY_END; k++)
			cs.rule[k].action = -1;
		assert_int_equal(gf_countries_parse(cases[i].text, strlen(cases[i].text), "x.list", &cs,
						    err, sizeof(err)), -EINVAL);
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
	}
}

static void test_policy(void **s)
{
	struct gf_config c;
	static struct gf_countries cs;
	static struct gf_policy_set p;
	char err[512] = "", d[128], conf[128];

	snprintf(d, sizeof(d), "%s/pol.d", dir);
	mkdir(d, 0755);
	write_conf("pol.d/a.list", "CN drop\nRU monitor\nDE redirect lo\n");
	snprintf(conf, sizeof(conf), "%s", write_conf("pol.conf", GOOD_HEAD
		"policy = { countries = \"pol.d\"; default = \"pass\"; unknown = \"drop\";\n"
		"  overrides = ( { cidr = \"1.0.1.7/32\"; action = \"allow\"; },\n"
		"                { cidr = \"8.8.8.0/24\"; action = \"deny\"; } ); };\n"
		"sampling = { rate = 50; bytes = 300; countries = { US = 7; FR = 0; };\n"
		"  key = \"00112233445566778899aabbccddeeff\"; thresholds = { genomic = 5; }; };\n"
		"flows = { countries = [ \"US\" ]; max_entries = 4096; max_new_per_second = 0;\n"
		"  collectors = [ \"udp://192.0.2.9:4739\", \"tcp://[2001:db8::9]:4740\" ]; active_timeout = 120;\n"
		"  idle_timeout = 10; observation_domain = 7; };\n"
		"events = { output = \"syslog\"; max_per_second = 7; };\n"));
	if (gf_config_load(conf, &c, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(c.sampling.threshold[GF_DLP_GENOMIC], 5);
	assert_int_equal(c.sampling.threshold[GF_DLP_SSN], 100000);	/* the rule's default */
	assert_int_equal(c.sampling.threshold[GF_DLP_PAYMENT_CARD], 10000);
	assert_true(c.sampling.has_key && c.sampling.key[0] == 0x00 && c.sampling.key[15] == 0xff);
	assert_int_equal(gf_countries_load(c.countries_dir, &cs, err, sizeof(err)), 0);
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), 0);
	assert_int_equal(p.pol[gf_class_from_cc("CN")].action, GF_ACT_DROP);
	assert_int_equal(p.pol[gf_class_from_cc("RU")].action, GF_ACT_MONITOR);
	assert_int_equal(p.pol[gf_class_from_cc("FR")].action, GF_ACT_PASS);
	assert_int_equal(p.pol[GF_CLASS_UNKNOWN].action, GF_ACT_DROP);
	assert_int_equal(p.pol[GF_CLASS_RESERVED].action, GF_ACT_PASS);
	assert_int_equal(p.pol[gf_class_from_cc("DE")].action, GF_ACT_REDIRECT);
	assert_int_equal(p.pol[gf_class_from_cc("DE")].redirect_ifindex, 1);	/* lo */
	assert_int_equal(p.nredirect, 1);
	assert_int_equal(p.pol[GF_CLASS_OVERRIDE_BASE].action, GF_ACT_PASS);
	assert_int_equal(p.pol[GF_CLASS_OVERRIDE_BASE + 1].action, GF_ACT_DROP);
	assert_int_equal(p.overrides[0].n, 2);
	assert_int_equal(p.listed, 3);
	/* sampling: the default, per-country rates, never reserved space */
	assert_int_equal(p.pol[gf_class_from_cc("CN")].sample_rate, 50);
	/* monitored: data really leaves, counted whole unless told otherwise */
	assert_int_equal(p.pol[gf_class_from_cc("RU")].sample_rate, 1);
	assert_int_equal(p.pol[gf_class_from_cc("US")].sample_rate, 7);
	assert_int_equal(p.pol[gf_class_from_cc("FR")].sample_rate, 0);
	assert_int_equal(p.pol[GF_CLASS_RESERVED].sample_rate, 0);
	assert_int_equal(p.pol[GF_CLASS_OVERRIDE_BASE].sample_rate, 50);
	assert_int_equal(p.pol[gf_class_from_cc("US")].snaplen, 300);
	/* flows: every action but pass, and the passed countries flows.countries lists */
	assert_int_equal(c.flows.max_entries, 4096);
	assert_int_equal(c.flows.max_new_per_second, 0);
	assert_int_equal(c.flows.ncollectors, 2);
	assert_string_equal(c.flows.collector[1], "tcp://[2001:db8::9]:4740");
	assert_int_equal(c.flows.active_timeout, 120);
	assert_int_equal(c.flows.idle_timeout, 10);
	assert_int_equal(c.flows.observation_domain, 7);
	assert_int_equal(c.events.output, GF_EVENTS_SYSLOG);
	assert_int_equal(c.events.max_per_second, 7);
	assert_true(p.pol[gf_class_from_cc("CN")].flags & GF_POL_FLOWS);
	assert_true(p.pol[gf_class_from_cc("RU")].flags & GF_POL_FLOWS);
	assert_true(p.pol[gf_class_from_cc("DE")].flags & GF_POL_FLOWS);
	assert_true(p.pol[GF_CLASS_UNKNOWN].flags & GF_POL_FLOWS);
	assert_true(p.pol[GF_CLASS_OVERRIDE_BASE + 1].flags & GF_POL_FLOWS);
	assert_true(p.pol[gf_class_from_cc("US")].flags & GF_POL_FLOWS);
	assert_false(p.pol[gf_class_from_cc("FR")].flags & GF_POL_FLOWS);
	assert_false(p.pol[GF_CLASS_RESERVED].flags & GF_POL_FLOWS);
	assert_false(p.pol[GF_CLASS_OVERRIDE_BASE].flags & GF_POL_FLOWS);
	gf_policy_set_free(&p);
	/* flows.enabled = false: recorded nowhere */
	c.flows.enabled = 0;
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), 0);
	for (int cls = 0; cls < GF_NUM_CLASSES; cls++)
		if (p.pol[cls].flags & GF_POL_FLOWS)
			fail_msg("class %d recorded with flows.enabled = false", cls);
	gf_policy_set_free(&p);
	c.flows.enabled = 1;

	/* the dry-run switch: every drop becomes monitor, nothing else changes */
	c.monitor = 1;
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), 0);
	assert_int_equal(p.pol[gf_class_from_cc("CN")].action, GF_ACT_MONITOR);
	assert_int_equal(p.pol[GF_CLASS_UNKNOWN].action, GF_ACT_MONITOR);
	assert_int_equal(p.pol[GF_CLASS_OVERRIDE_BASE + 1].action, GF_ACT_MONITOR);
	assert_int_equal(p.pol[GF_CLASS_OVERRIDE_BASE].action, GF_ACT_PASS);
	assert_int_equal(p.pol[gf_class_from_cc("DE")].action, GF_ACT_REDIRECT);
	gf_policy_set_free(&p);

	/*
	 * Source routes: pass in their row means "classify by every hop", whatever
	 * the default; "drop" drops them all (monitor in a dry run).
	 */
	c.monitor = 0;
	c.default_rule.action = GF_ACT_DROP;
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), 0);
	assert_int_equal(p.pol[GF_CLASS_SOURCE_ROUTED].action, GF_ACT_PASS);
	assert_int_equal(p.pol[GF_CLASS_SOURCE_ROUTED].sample_rate, 0);
	gf_policy_set_free(&p);
	c.source_route_drop = 1;
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), 0);
	assert_int_equal(p.pol[GF_CLASS_SOURCE_ROUTED].action, GF_ACT_DROP);
	gf_policy_set_free(&p);
	c.monitor = 1;
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), 0);
	assert_int_equal(p.pol[GF_CLASS_SOURCE_ROUTED].action, GF_ACT_MONITOR);
	gf_policy_set_free(&p);
	gf_config_free(&c);

	/* a redirect to an interface that does not exist: the rule's line */
	write_conf("pol.d/a.list", "CN drop\nDE redirect nosuch0\n");
	assert_int_equal(gf_config_load(conf, &c, err, sizeof(err)), 0);
	assert_int_equal(gf_countries_load(c.countries_dir, &cs, err, sizeof(err)), 0);
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "a.list:2: redirect to 'nosuch0': no such interface"));
	gf_config_free(&c);

	/* the same override prefix twice: both lines named */
	write_conf("pol.d/a.list", "CN drop\n");
	write_conf("pol.conf", GOOD_HEAD
		"policy = { countries = \"pol.d\";\n"
		"  overrides = ( { cidr = \"1.0.1.7/32\"; action = \"allow\"; },\n"
		"                { cidr = \"1.0.1.7/32\"; action = \"deny\"; } ); };\n");
	assert_int_equal(gf_config_load(conf, &c, err, sizeof(err)), 0);
	assert_int_equal(gf_countries_load(c.countries_dir, &cs, err, sizeof(err)), 0);
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "pol.conf:4 and "));
	assert_non_null(strstr(err, "pol.conf:5: two overrides of the same prefix"));
	gf_config_free(&c);
}

/*
 * overrides.d: "CIDR ACTION [reason...]" lists next to the configuration,
 * pushed like country lists; after the configuration's own overrides, in
 * name order; bad lines named with file and line.
 */
/* Scopes: each row starts as the default's; what a scope says wins; its default replaces the lists. */
static void test_scope_rows(void **s)
{
	static struct gf_policy_set p;
	struct gf_config c;
	static struct gf_countries cs;
	char err[512] = "", d[128], conf[128];
	const struct gf_policy *r1, *r2, *r3;
	int cn = gf_class_from_cc("CN"), ru = gf_class_from_cc("RU"), fr = gf_class_from_cc("FR"),
	    us = gf_class_from_cc("US");

	snprintf(d, sizeof(d), "%s/sc.d", dir);
	mkdir(d, 0755);
	write_conf("sc.d/a.list", "CN drop\nRU drop\nFR pass\n");
	snprintf(conf, sizeof(conf), "%s", write_conf("sc.conf", GOOD_HEAD
		"policy = { countries = \"sc.d\"; unknown = \"drop\";\n"
		"  overrides = ( { cidr = \"8.8.8.0/24\"; action = \"deny\"; } ); };\n"
		"scopes = (\n"
		"  { name = \"research\"; sources = [ \"10.20.0.0/16\", \"2001:db8:20::/48\" ]; countries = ( \"CN pass\" ); },\n"
		"  { name = \"guest\"; vlans = [ 30 ]; default = \"drop\"; unknown = \"pass\";\n"
		"    countries = ( \"US pass\", { country = \"RU\"; action = \"pass\"; expires = \"2099-01-31\"; reason = \"t1\"; },\n"
		"                  { country = \"FR\"; action = \"pass\"; expires = \"2001-01-01\"; } ); },\n"
		"  { name = \"servers\"; interfaces = [ \"lo\" ]; monitor = true; }\n"
		");\n"));
	if (gf_config_load(conf, &c, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(c.nscopes, 3);
	assert_int_equal(c.nexpired, 1);	/* guest's FR: over, left out with a warning */
	assert_non_null(strstr(c.expired, "scope guest: FR pass"));
	assert_int_equal(c.scopes[1].nrules, 2);
	assert_int_equal(c.scopes[1].rules[1].expires, 4073500800LL + 86400);	/* 2099-01-31, through that day */
	assert_int_equal(gf_countries_load(c.countries_dir, &cs, err, sizeof(err)), 0);
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), 0);
	assert_int_equal(p.nscopes, 4);
	assert_int_equal(gf_policy_scope_id(&p, "guest"), 2);
	assert_int_equal(gf_policy_scope_id(&p, "default"), 0);
	assert_int_equal(gf_policy_scope_id(&p, "nope"), -1);
	r1 = gf_policy_row(&p, 1);
	r2 = gf_policy_row(&p, 2);
	r3 = gf_policy_row(&p, 3);
	/* research: the default's rows, CN passed */
	assert_int_equal(r1[cn].action, GF_ACT_PASS);
	assert_int_equal(r1[ru].action, GF_ACT_DROP);
	assert_int_equal(r1[us].action, GF_ACT_PASS);
	assert_int_equal(r1[GF_CLASS_UNKNOWN].action, GF_ACT_DROP);
	assert_true(r1[ru].flags & GF_POL_FLOWS);
	/* guest: its default replaces the lists (FR listed pass: dropped), its own rules win */
	assert_int_equal(r2[fr].action, GF_ACT_DROP);
	assert_int_equal(r2[cn].action, GF_ACT_DROP);
	assert_int_equal(r2[us].action, GF_ACT_PASS);
	assert_int_equal(r2[ru].action, GF_ACT_PASS);
	assert_int_equal(r2[GF_CLASS_UNKNOWN].action, GF_ACT_PASS);
	assert_int_equal(r2[GF_CLASS_RESERVED].action, GF_ACT_PASS);
	/* overrides bind every scope */
	assert_int_equal(r1[GF_CLASS_OVERRIDE_BASE].action, GF_ACT_DROP);
	assert_int_equal(r2[GF_CLASS_OVERRIDE_BASE].action, GF_ACT_DROP);
	/* servers: monitor, drops become monitor (the override's too) */
	assert_int_equal(r3[cn].action, GF_ACT_MONITOR);
	assert_int_equal(r3[GF_CLASS_OVERRIDE_BASE].action, GF_ACT_MONITOR);
	assert_int_equal(r3[GF_CLASS_UNKNOWN].action, GF_ACT_MONITOR);
	/* the default row is as without scopes */
	assert_int_equal(p.pol[cn].action, GF_ACT_DROP);
	assert_int_equal(p.pol[fr].action, GF_ACT_PASS);
	assert_int_equal(p.listed, 3);
	/* selectors: two prefixes, a VLAN, an interface (lo is ifindex 1) */
	assert_int_equal(p.nsel, 4);
	assert_int_equal(p.sel[0].kind, GF_SCOPE_SRC4);
	assert_int_equal(p.sel[0].len, 16);
	assert_true(p.sel[0].addr == 0x0a140000);
	assert_int_equal(p.sel[1].kind, GF_SCOPE_SRC6);
	assert_int_equal(p.sel[2].kind, GF_SCOPE_VLAN);
	assert_int_equal(p.sel[2].id, 30);
	assert_int_equal(p.sel[2].scope, 2);
	assert_int_equal(p.sel[3].kind, GF_SCOPE_IFACE);
	assert_int_equal(p.sel[3].id, 1);
	gf_policy_set_free(&p);
	gf_config_free(&c);
	/* a scope's interface that does not exist: the build says which */
	write_conf("sc2.conf", GOOD_HEAD "policy = { countries = \"sc.d\"; };\n"
		   "scopes = ( { name = \"x\"; interfaces = [ \"nosuch9\" ]; } );\n");
	snprintf(conf, sizeof(conf), "%s/sc2.conf", dir);
	assert_int_equal(gf_config_load(conf, &c, err, sizeof(err)), 0);
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "scope x: interface 'nosuch9': no such interface"));
	gf_config_free(&c);
}

static void test_override_lists(void **s)
{
	struct gf_config c;
	static struct gf_countries cs;
	static struct gf_policy_set p;
	char err[512] = "", d[128], conf[128];
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "1.2.3.0/24\n", "x.list:1: \"1.2.3.0/24\" needs an action" },
		{ "# fine\n1.2.3.4/24 deny\n", "x.list:2: '1.2.3.4/24' has host bits set: did you mean 1.2.3.0/24?" },
		{ "1.2.3.0/24 maybe\n", "x.list:1: action \"maybe\": expected allow, deny, monitor or redirect IFNAME" },
		{ "1.2.3.0/24 redirect\n", "x.list:1: action \"redirect \"" },
		{ "nonsense deny\n", "x.list:1: 'nonsense' is not an IPv4 or IPv6 prefix" },
		{ "1.2.3.0/24 deny \x1b[31m\n", "x.list:1: a control character" },
		{ "1.2.3.0/24 allow expires=soon\n", "x.list:1: expires=soon: a date, expires=2027-01-31" },
	};

	(void)s;
	write_conf("ovr.txt", "");	/* the temporary directory, if no test made it yet */
	snprintf(d, sizeof(d), "%s/ovr", dir);
	mkdir(d, 0755);
	snprintf(d, sizeof(d), "%s/ovr/overrides.d", dir);
	mkdir(d, 0755);
	snprintf(d, sizeof(d), "%s/ovr/countries.d", dir);
	mkdir(d, 0755);
	write_conf("ovr/countries.d/a.list", "CN drop\n");
	write_conf("ovr/overrides.d/20-later.list", "2001:db8::/32 monitor\n");
	write_conf("ovr/overrides.d/10-first.list",
		   "# partners\n203.0.113.7/32  allow   partner gateway, ticket 1234   # until May\n"
		   "\n198.51.100.0/24 redirect lo quarantine\n8.8.8.0/24 deny\n");
	snprintf(conf, sizeof(conf), "%s", write_conf("ovr/g.conf", GOOD_HEAD
		"policy = { countries = \"countries.d\";\n"
		"  overrides = ( { cidr = \"1.0.1.7/32\"; action = \"allow\"; } ); };\n"));
	if (gf_config_load(conf, &c, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(c.noverrides, 5);
	assert_non_null(strstr(c.overrides_dir, "/ovr/overrides.d"));
	assert_non_null(strstr(c.overrides[0].rule.origin, "g.conf:4"));
	assert_non_null(strstr(c.overrides[1].rule.origin, "10-first.list:2"));
	assert_string_equal(c.overrides[1].reason, "partner gateway, ticket 1234");
	assert_int_equal(c.overrides[2].rule.action, GF_ACT_REDIRECT);
	assert_string_equal(c.overrides[2].rule.redirect, "lo");
	assert_string_equal(c.overrides[2].reason, "quarantine");
	assert_int_equal(c.overrides[3].rule.action, GF_ACT_DROP);
	assert_int_equal(c.overrides[4].family, 6);
	assert_non_null(strstr(c.overrides[4].rule.origin, "20-later.list:1"));
	assert_int_equal(gf_countries_load(c.countries_dir, &cs, err, sizeof(err)), 0);
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), 0);
	assert_int_equal(p.pol[GF_CLASS_OVERRIDE_BASE + 1].action, GF_ACT_PASS);
	assert_int_equal(p.pol[GF_CLASS_OVERRIDE_BASE + 3].action, GF_ACT_DROP);
	gf_policy_set_free(&p);
	gf_config_free(&c);

	/* the same prefix in a list and in the configuration: both named */
	write_conf("ovr/overrides.d/30-dup.list", "1.0.1.7/32 deny\n");
	assert_int_equal(gf_config_load(conf, &c, err, sizeof(err)), 0);
	assert_int_equal(gf_policy_build(&c, &cs, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "g.conf:4 and "));
	assert_non_null(strstr(err, "30-dup.list:1: two overrides of the same prefix"));
	gf_config_free(&c);

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct gf_config e = { 0 };
		int ret = gf_overrides_parse(bad[i].text, strlen(bad[i].text), "x.list", &e, err, sizeof(err));

		if (ret != -EINVAL || !strstr(err, bad[i].want))
			fail_msg("%s: got %d \"%s\", want \"%s\"", bad[i].text, ret, err, bad[i].want);
		free(e.overrides);
	}

	/* exemptions: a date is in force through that day (UTC), a time until then; one already over is left out and named */
	{
		struct gf_config e = { 0 };
		const char *t = "203.0.113.7/32 allow expires=2099-01-31 partner, ticket 9\n"
				"198.51.100.0/24 allow expires=2099-01-31T18:00:00Z\n"
				"192.0.2.0/24 allow expires=2001-01-01 long over\n"
				"192.0.2.128/25 deny\n";

		assert_int_equal(gf_overrides_parse(t, strlen(t), "x.list", &e, err, sizeof(err)), 0);
		assert_int_equal(e.noverrides, 3);
		assert_int_equal(e.overrides[0].expires, 4073587200LL);	/* 2099-02-01T00:00:00Z */
		assert_string_equal(e.overrides[0].reason, "partner, ticket 9");
		assert_int_equal(e.overrides[1].expires, 4073565600LL);	/* 2099-01-31T18:00:00Z */
		assert_int_equal(e.overrides[2].expires, 0);
		assert_int_equal(e.overrides[2].rule.action, GF_ACT_DROP);
		assert_int_equal(e.nexpired, 1);
		assert_non_null(strstr(e.expired, "x.list:3 (192.0.2.0/24 pass)"));
		free(e.overrides);
	}

	/* named explicitly and missing: an error, not silence */
	snprintf(conf, sizeof(conf), "%s", write_conf("ovr/h.conf", GOOD_HEAD
		"policy = { countries = \"countries.d\"; overrides_dir = \"nowhere.d\"; };\n"));
	assert_int_equal(gf_config_load(conf, &c, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "nowhere.d: cannot read the override lists"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_shipped_example),
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_country_lists),
		cmocka_unit_test(test_bad_list_lines),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_override_lists),
		cmocka_unit_test(test_scope_rows),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	if (dir[0]) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			return 1;
	}
	return failed ? 1 : 0;
}
