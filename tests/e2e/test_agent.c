// SPDX-License-Identifier: GPL-2.0
/*
 * The agent end to end, in the lab of tests/lib/gf_lab.h, with the default
 * database and the shipped country list: blocked countries get zero
 * packets delivered, allowed ones all, redirect delivers to the quarantine
 * port, monitor passes and counts, overrides win over the country, tc egress
 * blocks what the gateway itself sends, VLAN-tagged traffic is filtered
 * too, and a list dropped into countries.d takes effect by itself.
 * "Delivered" is counted on the internet side by nftables, not by geofence.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_test.h"

static struct gf_lab lab;
static char out[1 << 16];

static const char *const hosts[] = { "CN", "RU", "IR", "US", "DE", "FR", "CN-allow", "US-deny" };

#define H(label) gf_lab_host(&lab, label)
#define ADDR(label, fam) (fam == 4 ? lab.hosts[H(label)].v4 : lab.hosts[H(label)].v6)

/* Send pings, UDP and a TCP attempt from ns to a host; return what the internet got. */
static __u64 traffic(const char *ns, const char *label, int fam, int *replies, int *tcp)
{
	__u64 before = gf_lab_delivered(&lab, H(label), fam);

	*replies = gf_lab_ping(ns, ADDR(label, fam), 3);
	gf_lab_udp(ns, ADDR(label, fam), 10);
	*tcp = gf_lab_tcp(ns, ADDR(label, fam));
	usleep(100000);
	return gf_lab_delivered(&lab, H(label), fam) - before;
}

/*
 * Blocked destinations are checked in parallel: each waits out its ping and
 * TCP timeouts, and each has its own delivery counters.
 */
struct probe {
	const char *label;
	int fam;
	__u64 before;
	pid_t pid;
	int replies, tcp;
};

static void run_parallel(const char *ns, struct probe *p, int n)
{
	for (int i = 0; i < n; i++) {
		p[i].before = gf_lab_delivered(&lab, H(p[i].label), p[i].fam);
		p[i].pid = fork();
		if (p[i].pid == 0) {
			int replies = gf_lab_ping(ns, ADDR(p[i].label, p[i].fam), 3), tcp;

			gf_lab_udp(ns, ADDR(p[i].label, p[i].fam), 10);
			tcp = gf_lab_tcp(ns, ADDR(p[i].label, p[i].fam));
			_exit((replies & 0x7f) | (tcp ? 0x80 : 0));
		}
	}
	for (int i = 0; i < n; i++) {
		int st = 0;

		waitpid(p[i].pid, &st, 0);
		p[i].replies = WEXITSTATUS(st) & 0x7f;
		p[i].tcp = !!(WEXITSTATUS(st) & 0x80);
	}
	usleep(100000);
}

static void test_blocked_and_allowed(void)
{
	static const char *const allowed[] = { "US", "CN-allow" };
	struct probe p[] = {
		{ .label = "CN", .fam = 4 }, { .label = "CN", .fam = 6 }, { .label = "RU", .fam = 4 },
		{ .label = "RU", .fam = 6 }, { .label = "IR", .fam = 4 }, { .label = "IR", .fam = 6 },
		{ .label = "US-deny", .fam = 4 }, { .label = "US-deny", .fam = 6 },
	};
	int n = sizeof(p) / sizeof(*p), replies;
	__u64 got;

	run_parallel(lab.ns_lan, p, n);
	for (int i = 0; i < n; i++) {
		got = gf_lab_delivered(&lab, H(p[i].label), p[i].fam) - p[i].before;
		CHECK(got == 0 && p[i].replies == 0 && !p[i].tcp, "%s %s (IPv%d): blocked, nothing "
		      "delivered (%llu delivered, %d replies, tcp %d)", p[i].label,
		      ADDR(p[i].label, p[i].fam), p[i].fam, (unsigned long long)got, p[i].replies, p[i].tcp);
	}
	for (size_t i = 0; i < sizeof(allowed) / sizeof(*allowed); i++)
		for (int fam = 4; fam <= 6; fam += 2) {
			__u64 before = gf_lab_delivered(&lab, H(allowed[i]), fam);

			replies = gf_lab_ping(lab.ns_lan, ADDR(allowed[i], fam), 5);
			int sent = gf_lab_udp(lab.ns_lan, ADDR(allowed[i], fam), 20);

			usleep(100000);
			got = gf_lab_delivered(&lab, H(allowed[i]), fam) - before;
			CHECK(replies == 5 && sent == 20 && got == 25, "%s (IPv%d): all delivered: 5 of 5 "
			      "pings answered (%d), 25 of 25 packets arrived (%llu)", allowed[i], fam, replies,
			      (unsigned long long)got);
			CHECK(gf_lab_tcp(lab.ns_lan, ADDR(allowed[i], fam)), "%s (IPv%d): TCP connects",
			      allowed[i], fam);
		}
}

static void test_redirect_and_monitor(void)
{
	__u64 q0 = gf_lab_quarantined(&lab), got;
	int replies, tcp;

	got = traffic(lab.ns_lan, "DE", 4, &replies, &tcp);
	CHECK(got == 0 && replies == 0, "DE: redirected, nothing reaches the internet (%llu)",
	      (unsigned long long)got);
	CHECK(gf_lab_quarantined(&lab) - q0 >= 13, "DE: the quarantine port got the packets (%llu)",
	      (unsigned long long)(gf_lab_quarantined(&lab) - q0));

	got = traffic(lab.ns_lan, "FR", 4, &replies, &tcp);
	CHECK(replies == 3 && tcp && got >= 13, "FR (monitor): passes (%d replies, %llu delivered)",
	      replies, (unsigned long long)got);
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "stats --json --interval 0.1") == 0,
	      "geofence stats --json");
	{
		json_object *o = json_tokener_parse(out), *cls;
		long long fr_monitor = 0, cn_drop = 0;

		if (o && json_object_object_get_ex(o, "classes", &cls))
			for (size_t i = 0; i < json_object_array_length(cls); i++) {
				json_object *r = json_object_array_get_idx(cls, i), *c, *v, *h, *p;

				json_object_object_get_ex(r, "class", &c);
				json_object_object_get_ex(r, "verdict", &v);
				json_object_object_get_ex(r, "hook", &h);
				json_object_object_get_ex(r, "packets", &p);
				if (!strcmp(json_object_get_string(h), "xdp")) {
					if (!strcmp(json_object_get_string(c), "FR") &&
					    !strcmp(json_object_get_string(v), "monitor"))
						fr_monitor = json_object_get_int64(p);
					if (!strcmp(json_object_get_string(c), "CN") &&
					    !strcmp(json_object_get_string(v), "drop"))
						cn_drop = json_object_get_int64(p);
				}
			}
		CHECK(fr_monitor >= 13, "stats: FR counted as monitor (would drop): %lld", fr_monitor);
		CHECK(cn_drop >= 26, "stats: CN counted as drop: %lld", cn_drop);
		json_object_put(o);
	}
}

static void test_gateway_own_and_vlan(void)
{
	int replies, tcp;
	__u64 got;

	{
		struct probe p[] = { { .label = "CN", .fam = 4 }, { .label = "CN", .fam = 6 } };

		run_parallel(lab.ns_gw, p, 2);
		for (int i = 0; i < 2; i++) {
			got = gf_lab_delivered(&lab, H("CN"), p[i].fam) - p[i].before;
			CHECK(got == 0 && p[i].replies == 0, "the gateway's own traffic to CN (IPv%d) is "
			      "blocked at tc egress (%llu delivered)", p[i].fam, (unsigned long long)got);
		}
	}
	got = traffic(lab.ns_gw, "US", 4, &replies, &tcp);
	CHECK(replies == 3 && got >= 13, "the gateway's own traffic to US passes (%d replies)", replies);

	/* VLAN-tagged frames: what the gateway receives past XDP */
	for (int fam = 4; fam <= 6; fam += 2) {
		__u64 cn0 = gf_lab_tagged_seen(&lab, H("CN"), fam), us0 = gf_lab_tagged_seen(&lab, H("US"), fam);
		int sent_cn = gf_lab_send_tagged(&lab, H("CN"), fam, 20, 0);
		int sent_us = gf_lab_send_tagged(&lab, H("US"), fam, 20, 0);

		usleep(100000);
		CHECK(sent_cn == 20 && gf_lab_tagged_seen(&lab, H("CN"), fam) == cn0,
		      "VLAN 100, IPv%d: 20 frames to CN, none past XDP (%llu)", fam,
		      (unsigned long long)(gf_lab_tagged_seen(&lab, H("CN"), fam) - cn0));
		CHECK(sent_us == 20 && gf_lab_tagged_seen(&lab, H("US"), fam) - us0 == 20,
		      "VLAN 100, IPv%d: 20 frames to US, all past XDP (%llu)", fam,
		      (unsigned long long)(gf_lab_tagged_seen(&lab, H("US"), fam) - us0));
	}
	/* QinQ: geofence's own counters (the gateway has no 802.1ad device) */
	{
		long long before = gf_lab_reason_packets(&lab, "qinq", "xdp"), after;

		gf_lab_send_tagged(&lab, H("CN"), 4, 10, 1);
		usleep(100000);
		after = gf_lab_reason_packets(&lab, "qinq", "xdp");
		CHECK(after - before == 10, "QinQ frames to CN are parsed and counted (%lld)",
		      after - before);
	}
}

/* A list dropped into countries.d is in force by itself (inotify). */
static void test_list_drop_in(void)
{
	int ok = 0, replies, tcp;
	__u64 got;

	gf_lab_write_list(&lab, "20-more.list", "US drop\n");
	for (int i = 0; i < 50 && !ok; i++) {
		gf_lab_cli(&lab, out, sizeof(out), "lookup --json %s", ADDR("US", 4));
		ok = strstr(out, "\"verdict\":\"drop\"") != NULL;
		if (!ok)
			usleep(100000);
	}
	CHECK(ok, "a new list file takes effect without a reload command");
	got = traffic(lab.ns_lan, "US", 4, &replies, &tcp);
	CHECK(got == 0 && replies == 0, "US now blocked (%llu delivered)", (unsigned long long)got);
	gf_lab_write_list(&lab, "20-more.list", "# nothing\n");
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "geofence reload: %s", out);
	got = traffic(lab.ns_lan, "US", 4, &replies, &tcp);
	CHECK(replies == 3, "US passes again (%d replies)", replies);
}

/*
 * overrides.d: a CIDR list pushed beside the configuration, as country lists
 * are: a CN host allowed by a file; a bad line refused with its file and
 * line, the running policy kept; the file removed, CN blocked again.
 */
static void test_override_list(void)
{
	char path[300], text[256];
	int replies, tcp;
	__u64 got;

	got = traffic(lab.ns_lan, "CN", 4, &replies, &tcp);
	CHECK(got == 0, "CN blocked before the list (%llu)", (unsigned long long)got);
	snprintf(path, sizeof(path), "%s/overrides.d", lab.dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/overrides.d/50-vendor.list", lab.dir);
	snprintf(text, sizeof(text), "# pushed by config management\n%s/32 allow vendor support, CHG-77\n",
		 ADDR("CN", 4));
	gf_sh_quiet("printf '%s' > %s", text, path);
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "reload with overrides.d/50-vendor.list: %s", out);
	got = traffic(lab.ns_lan, "CN", 4, &replies, &tcp);
	CHECK(replies == 3 && got > 0, "the CN host allowed by the list passes (%d replies)", replies);
	gf_sh_quiet("printf '%s/32 allow\n10.0.0.1/8 deny\n' > %s", ADDR("CN", 4), path);
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "reload") == 4 &&
	      strstr(out, "50-vendor.list:2: '10.0.0.1/8' has host bits set"),
	      "a bad line: the reload is refused with its file and line: %.200s", out);
	got = traffic(lab.ns_lan, "CN", 4, &replies, &tcp);
	CHECK(replies == 3, "and the running policy stays (CN host still passes)");
	unlink(path);
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "the list removed: reload applied");
	got = traffic(lab.ns_lan, "CN", 4, &replies, &tcp);
	CHECK(got == 0 && replies == 0, "CN blocked again (%llu)", (unsigned long long)got);
}

int main(void)
{
	static struct gf_world w;
	char err[512], policy[1024];
	int ret;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&w, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return GF_TEST_SETUP_ERROR;
	}
	if (gf_lab_up(&lab, "gfa", &w, hosts, sizeof(hosts) / sizeof(*hosts))) {
		fprintf(stderr, "cannot build the lab\n");
		return GF_TEST_SETUP_ERROR;
	}
	snprintf(policy, sizeof(policy),
		 "overrides = ( { cidr = \"%s/32\"; action = \"allow\"; reason = \"partner\"; },\n"
		 "  { cidr = \"%s/128\"; action = \"allow\"; reason = \"partner\"; },\n"
		 "  { cidr = \"%s/32\"; action = \"deny\"; reason = \"bad host\"; },\n"
		 "  { cidr = \"%s/128\"; action = \"deny\"; reason = \"bad host\"; } );",
		 ADDR("CN-allow", 4), ADDR("CN-allow", 6), ADDR("US-deny", 4), ADDR("US-deny", 6));
	if (gf_lab_write_config(&lab, "{ mmdb = \"" GF_BUILD_DB "\"; }", policy) ||
	    gf_sh("cp %s/user/conf/countries.d/00-concern.list %s/", GF_SRCDIR, lab.lists) ||
	    gf_lab_write_list(&lab, "10-lab.list", "DE redirect q0\nFR monitor\n"))
		return GF_TEST_SETUP_ERROR;
	ret = gf_lab_agent_start(&lab);
	if (!CHECK(ret == 0, "geofenced starts (%d; log %s)", ret, lab.log)) {
		gf_sh("cat %s", lab.log);
		return gf_test_summary();
	}
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "status") == 0 && strstr(out, "g0 xdp (native/") &&
	      strstr(out, "g1 tc"), "geofence status shows both hooks:\n%s", out);
	/* the default data (Debian's tor-geoipdb, 2026-06-25) is older than geoip.max_age_days (45) */
	CHECK(strstr(out, "STALE (older than geoip.max_age_days"), "status marks the default data stale");

	test_blocked_and_allowed();
	test_redirect_and_monitor();
	test_gateway_own_and_vlan();
	test_list_drop_in();
	test_override_list();

	CHECK(gf_lab_detach(&lab, out, sizeof(out)) == 0, "geofence detach: %s", out);
	{
		int replies = gf_lab_ping(lab.ns_lan, ADDR("CN", 4), 2);

		CHECK(replies == 2, "after detach CN is reachable (%d replies)", replies);
	}
	gf_lab_down(&lab);
	gf_world_free(&w);
	return gf_test_summary();
}
