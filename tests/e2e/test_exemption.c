// SPDX-License-Identifier: GPL-2.0
/*
 * Expiring exemptions, against a real geofenced while traffic runs: CN is
 * dropped; one CN host is exempt (allow) until a time a few seconds ahead,
 * another's exemption in the pushed file is already over.  Frames go to
 * both CN hosts and to US every 200 ms, and the internet's own counters
 * say what got through, window by window:
 *   - the exempt host gets through until its exemption ends, and not after
 *     (the agent reloads without it by itself, within two seconds);
 *   - the host whose exemption was already over is dropped throughout (a
 *     warning in the log, not an error);
 *   - US gets through in every window: no gap for anyone else;
 *   - /metrics shows the exemption with its seconds until expiry while it
 *     runs, and not after.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_pkt.h"
#include "gf_test.h"

#define WINDOWS 24		/* of 0.5 s */
#define EXPIRES_IN 6		/* seconds after the agent starts */

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "CN-2", "US" };
static char text[1 << 16];

static void send_to(int host)
{
	struct gf_pkt_spec p;

	gf_pkt_spec_init(&p, 4, lab.hosts[host].v4);
	inet_pton(AF_INET, "10.10.0.2", p.src);
	gf_lab_send_frame(&lab, &p, 2);
}

static long long exemption_metric(const char *cidr)
{
	char s[300];

	if (gf_lab_http_get(&lab, 9847, "/metrics", text, sizeof(text)) != 200)
		return -1000000;
	snprintf(s, sizeof(s), "geofence_exemption_expires_in_seconds{cidr=\"%s/32\",action=\"pass\"", cidr);
	{
		const char *l = strstr(text, s);

		return l ? atoll(strchr(l, '}') + 2) : -999999;
	}
}

int main(void)
{
	int cn, cn2, us, rc, before_ok = 0, after_ok = 1, us_ok = 1, cn2_ok = 1, ended = -1;
	__u64 got[3][WINDOWS + 1];
	char extra[1024], until[64], policy[512];
	long long m_before, m_after;
	time_t end;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_lab_up_default(&lab, "gfe", hosts, 3, "events = { output = \"off\"; };\n"
			      "metrics = { listen = \"127.0.0.1:9847\"; };\n", "CN drop\n"))
		return GF_TEST_SETUP_ERROR;
	cn = gf_lab_host(&lab, "CN");
	cn2 = gf_lab_host(&lab, "CN-2");
	us = gf_lab_host(&lab, "US");
	end = time(NULL) + EXPIRES_IN;
	strftime(until, sizeof(until), "%Y-%m-%dT%H:%M:%SZ", gmtime(&end));
	snprintf(policy, sizeof(policy),
		 "overrides = ( { cidr = \"%s/32\"; action = \"allow\"; reason = \"ticket 42\"; expires = \"%s\"; },\n"
		 "  { cidr = \"%s/32\"; action = \"allow\"; reason = \"over\"; expires = \"2026-01-01\"; } );",
		 lab.hosts[cn].v4, until, lab.hosts[cn2].v4);
	snprintf(extra, sizeof(extra), "events = { output = \"off\"; };\nmetrics = { listen = \"127.0.0.1:9847\"; };\n");
	snprintf(text, sizeof(text), "{ mmdb = \"%s/country.mmdb\"; }", lab.dir);
	if (gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){ .sources = text, .policy = policy, .extra = extra })) {
		gf_lab_down(&lab);
		return GF_TEST_SETUP_ERROR;
	}
	rc = gf_lab_agent_start(&lab);
	if (!CHECK(rc == 0, "geofenced starts (%d)", rc))
		goto out;
	CHECK(gf_sh("grep -q \"1 exemption(s) past their expiry left out: .*(%s/32 pass)\" %s", lab.hosts[cn2].v4, lab.log) == 0,
	      "the exemption already over in the pushed file: a warning, left out");
	for (int i = 0; i < 30 && (m_before = exemption_metric(lab.hosts[cn].v4)) == -1000000; i++)
		usleep(100000);	/* /metrics starts after the first generation */
	CHECK(m_before > 0 && m_before <= EXPIRES_IN, "/metrics: the exemption in force, %lld s until it ends", m_before);
	for (int w = 0; w <= WINDOWS; w++) {
		for (int h = 0; h < 3; h++)
			got[h][w] = gf_lab_delivered(&lab, h == 0 ? cn : h == 1 ? cn2 : us, 4);
		if (w == WINDOWS)
			break;
		for (int k = 0; k < 2; k++) {
			send_to(cn);
			send_to(cn2);
			send_to(us);
			usleep(200000);
		}
		usleep(60000);
	}
	for (int w = 0; w < WINDOWS; w++) {
		int cn_through = got[0][w + 1] > got[0][w];

		us_ok &= got[2][w + 1] > got[2][w];
		cn2_ok &= got[1][w + 1] == got[1][w];
		if (cn_through)
			ended = w;
	}
	before_ok = ended >= 0;
	/* after the last window that got through to the exempt host, none did */
	for (int w = ended + 1; w < WINDOWS; w++)
		after_ok &= got[0][w + 1] == got[0][w];
	CHECK(before_ok && ended < WINDOWS - 4 && after_ok,
	      "the exempt host: through until its exemption ended (last window %d of %d), dropped after", ended, WINDOWS);
	CHECK(us_ok, "US: through in every one of %d windows, the reload at expiry included", WINDOWS);
	CHECK(cn2_ok, "the host whose exemption was already over: dropped throughout (%llu delivered)",
	      (unsigned long long)got[1][WINDOWS]);
	CHECK(gf_sh("grep -q 'exemption %s/32 pass (.*, ticket 42) expired at' %s && grep -q 'reload applied (exemption expired)' %s",
		    lab.hosts[cn].v4, lab.log, lab.log) == 0,
	      "the log: the exemption expired, and the reload without it applied");
	m_after = exemption_metric(lab.hosts[cn].v4);
	CHECK(m_after == -999999, "/metrics: no exemption once it ended (%lld)", m_after);
	CHECK(time(NULL) >= end, "the test ran past the expiry");
out:
	gf_lab_teardown(&lab);
	return gf_test_summary();
}
