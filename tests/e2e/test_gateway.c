// SPDX-License-Identifier: GPL-2.0
/*
 * A gateway in network namespaces with real traffic:
 *
 *   gfe-lan (10.10.0.2, fd10::2)
 *      | l0 -- g0          XDP on g0 (LAN side)
 *   gfe-gw  (forwarding)
 *      | g1 -- w0          tc egress on g1 (WAN side)
 *   gfe-wan ("internet": addresses of CN, US, DE, RU from the default data)
 *      + q0 -- q1 gfe-q   quarantine port, the redirect target
 *
 * ping and TCP from the LAN host: CN is dropped, US passes, RU passes as
 * monitor, DE is redirected to the quarantine port.  The gateway's own
 * traffic to CN is dropped at tc egress; forwarded traffic is counted once.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gf_datapath.h"
#include "gf_log.h"
#include "gf_names.h"
#include "gf_netns.h"
#include "gf_test.h"
#include "gf_world.h"

#define LAN "gfe-lan"
#define GW "gfe-gw"
#define WAN "gfe-wan"
#define QNS "gfe-q"

static struct gf_world world;
static struct gf_dp *dp;
static int CN, US, DE, RU;

struct host {
	const char *cc;
	char v4[64], v6[64];
};

static struct host hosts[] = { { .cc = "CN" }, { .cc = "US" }, { .cc = "DE" }, { .cc = "RU" } };

/* An address well inside a range of the country (not the first or last). */
static int pick_addr(int f, const char *cc, char *out, size_t len)
{
	const struct gf_rs *rs = &world.all[f];	/* reserved space overlaid */
	int cls = gf_class_from_cc(cc);

	for (size_t i = 0; i < rs->n; i++) {
		const struct gf_range *r = &rs->v[i];

		if (r->cls == cls && r->last - r->first >= 255) {
			gf_addr_str(f ? 6 : 4, r->first + 100, out, len);
			return 0;
		}
	}
	return -ENOENT;
}

static __u64 count(int hook, int cls, int verdict)
{
	struct gf_class_counters c;

	if (gf_dp_class_counter(dp, hook, cls, &c))
		return ~0ull;
	return c.v[verdict].packets;
}

static int topology(void)
{
	if (gf_netns_create(LAN) || gf_netns_create(GW) || gf_netns_create(WAN) ||
	    gf_netns_create(QNS))
		return -EIO;
	if (gf_sh("ip -n " LAN " link add l0 type veth peer name g0 netns " GW) ||
	    gf_sh("ip -n " GW " link add g1 type veth peer name w0 netns " WAN) ||
	    gf_sh("ip -n " GW " link add q0 type veth peer name q1 netns " QNS) ||
	    gf_sh("ip -n " LAN " addr add 10.10.0.2/24 dev l0 && ip -n " LAN
		  " addr add fd10::2/64 dev l0 nodad && ip -n " LAN " link set l0 up") ||
	    gf_sh("ip -n " LAN " route add default via 10.10.0.1 && ip -n " LAN
		  " -6 route add default via fd10::1") ||
	    gf_sh("ip -n " GW " addr add 10.10.0.1/24 dev g0 && ip -n " GW
		  " addr add fd10::1/64 dev g0 nodad && ip -n " GW " link set g0 up") ||
	    gf_sh("ip -n " GW " addr add 100.64.0.1/24 dev g1 && ip -n " GW
		  " addr add fd20::1/64 dev g1 nodad && ip -n " GW " link set g1 up") ||
	    gf_sh("ip -n " GW " link set q0 up && ip -n " QNS " link set q1 up") ||
	    gf_sh("ip netns exec " QNS " ethtool -K q1 gro on >/dev/null") ||
	    gf_sh("ip -n " GW " route add default via 100.64.0.2 && ip -n " GW
		  " -6 route add default via fd20::2") ||
	    gf_sh("ip netns exec " GW " sysctl -qw net.ipv4.ip_forward=1 "
		  "net.ipv6.conf.all.forwarding=1") ||
	    gf_sh("ip -n " WAN " addr add 100.64.0.2/24 dev w0 && ip -n " WAN
		  " addr add fd20::2/64 dev w0 nodad && ip -n " WAN " link set w0 up") ||
	    gf_sh("ip -n " WAN " route add 10.10.0.0/24 via 100.64.0.1 && ip -n " WAN
		  " -6 route add fd10::/64 via fd20::1"))
		return -EIO;
	for (size_t i = 0; i < sizeof(hosts) / sizeof(*hosts); i++)
		if (gf_sh("ip -n " WAN " addr add %s/32 dev lo && ip -n " WAN
			  " addr add %s/128 dev lo nodad", hosts[i].v4, hosts[i].v6))
			return -EIO;
	/* resolve the neighbours now, so the first packets of a test are not
	 * waiting on neighbour discovery */
	if (gf_sh("ip netns exec " LAN " ping -q -c 1 -W 3 10.10.0.1 >/dev/null") ||
	    gf_sh("ip netns exec " LAN " ping -q -c 1 -W 3 fd10::1 >/dev/null") ||
	    gf_sh("ip netns exec " GW " ping -q -c 1 -W 3 100.64.0.2 >/dev/null") ||
	    gf_sh("ip netns exec " GW " ping -q -c 1 -W 3 fd20::2 >/dev/null") ||
	    gf_sh("ip netns exec " LAN " ping -q -c 1 -W 3 %s >/dev/null", hosts[1].v6) ||
	    gf_sh("ip netns exec " LAN " ping -q -c 1 -W 3 %s >/dev/null", hosts[1].v4))
		return -EIO;
	/* TCP listener on every address of the "internet" */
	if (gf_sh("ip netns exec " WAN " sh -c 'nc -lk 8080 >/dev/null 2>&1 & echo $! > /tmp/gfe-nc4.pid;"
		  " nc -6 -lk 8080 >/dev/null 2>&1 & echo $! > /tmp/gfe-nc6.pid'"))
		return -EIO;
	/* the quarantine port counts what it receives */
	{
		static const struct gf_nft_rule got = { "", "got", NULL };

		return gf_nft_counters(QNS, "q", "q1", 0, NULL, &got, 1);
	}
}

/* The listeners, by their pid files; the keeper runs the same if the test dies. */
static const char kill_listeners_cmd[] = "kill $(cat /tmp/gfe-nc4.pid /tmp/gfe-nc6.pid 2>/dev/null) 2>/dev/null;"
					 " rm -f /tmp/gfe-nc4.pid /tmp/gfe-nc6.pid";

static void kill_listeners(void)
{
	gf_sh_quiet("%s", kill_listeners_cmd);
	gf_keep_command(kill_listeners_cmd, 0);
}

static int ping(const char *ns, const char *addr, int count)
{
	return gf_sh_quiet("ip netns exec %s ping -q -c %d -i 0.2 -W 2 %s >/dev/null 2>&1", ns,
			   count, addr) == 0;
}

static int tcp(const char *ns, const char *addr)
{
	return gf_sh_quiet("ip netns exec %s nc -z -w 2 %s 8080 >/dev/null 2>&1", ns, addr) == 0;
}

static __u64 quarantine_seen(void)
{
	return gf_nft_counter(QNS, "netdev q", "got");
}

static void test_lan_traffic(void)
{
	__u64 cn0 = count(GF_HOOK_XDP, CN, GF_VERDICT_DROP), us0 = count(GF_HOOK_XDP, US, GF_VERDICT_PASS);
	__u64 ru0 = count(GF_HOOK_XDP, RU, GF_VERDICT_MONITOR), de0 = count(GF_HOOK_XDP, DE, GF_VERDICT_REDIRECT);
	__u64 tc_us0 = count(GF_HOOK_TC, US, GF_VERDICT_PASS), q0 = quarantine_seen();

	CHECK(ping(LAN, hosts[1].v4, 3), "ping US %s from the LAN passes", hosts[1].v4);
	CHECK(ping(LAN, hosts[1].v6, 3), "ping US %s from the LAN passes", hosts[1].v6);
	CHECK(!ping(LAN, hosts[0].v4, 3), "ping CN %s from the LAN is dropped", hosts[0].v4);
	CHECK(!ping(LAN, hosts[0].v6, 3), "ping CN %s from the LAN is dropped", hosts[0].v6);
	CHECK(tcp(LAN, hosts[1].v4), "TCP to US %s connects", hosts[1].v4);
	CHECK(tcp(LAN, hosts[1].v6), "TCP to US %s connects", hosts[1].v6);
	CHECK(!tcp(LAN, hosts[0].v4), "TCP to CN %s does not", hosts[0].v4);
	CHECK(!tcp(LAN, hosts[0].v6), "TCP to CN %s does not", hosts[0].v6);
	CHECK(ping(LAN, hosts[3].v4, 2), "ping RU %s passes (monitor)", hosts[3].v4);
	CHECK(!ping(LAN, hosts[2].v4, 2), "ping DE %s does not reach the WAN (redirected)",
	      hosts[2].v4);

	/* 3+3 pings, TCP SYN retries and 3 ICMP... at least these many */
	CHECK(count(GF_HOOK_XDP, CN, GF_VERDICT_DROP) - cn0 >= 8,
	      "CN drops counted at XDP (%llu)",
	      (unsigned long long)(count(GF_HOOK_XDP, CN, GF_VERDICT_DROP) - cn0));
	CHECK(count(GF_HOOK_XDP, US, GF_VERDICT_PASS) - us0 >= 8,
	      "US passes counted at XDP (%llu)",
	      (unsigned long long)(count(GF_HOOK_XDP, US, GF_VERDICT_PASS) - us0));
	CHECK(count(GF_HOOK_XDP, RU, GF_VERDICT_MONITOR) - ru0 >= 2, "RU counted as would-drop");
	CHECK(count(GF_HOOK_XDP, DE, GF_VERDICT_REDIRECT) - de0 >= 2, "DE counted as redirected");
	CHECK(quarantine_seen() - q0 >= 2, "the quarantine port received the DE packets (%llu)",
	      (unsigned long long)(quarantine_seen() - q0));
	CHECK(count(GF_HOOK_TC, US, GF_VERDICT_PASS) == tc_us0,
	      "forwarded LAN traffic is not counted again at tc egress");
}

static void test_gateway_own_traffic(void)
{
	__u64 cn0 = count(GF_HOOK_TC, CN, GF_VERDICT_DROP), us0 = count(GF_HOOK_TC, US, GF_VERDICT_PASS);

	CHECK(ping(GW, hosts[1].v4, 2), "the gateway itself reaches US");
	CHECK(!ping(GW, hosts[0].v4, 2), "the gateway's own ping to CN is dropped at tc egress");
	CHECK(!ping(GW, hosts[0].v6, 2), "and over IPv6");
	CHECK(count(GF_HOOK_TC, CN, GF_VERDICT_DROP) - cn0 >= 4, "tc counted the CN drops (%llu)",
	      (unsigned long long)(count(GF_HOOK_TC, CN, GF_VERDICT_DROP) - cn0));
	CHECK(count(GF_HOOK_TC, US, GF_VERDICT_PASS) - us0 >= 2, "tc counted the US passes");
}

int main(void)
{
	static struct gf_policy pol[GF_NUM_CLASSES];
	const char *how = NULL;
	int err, if_g0, if_g1, if_q0;
	char errbuf[512];

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	CN = gf_class_from_cc("CN");
	US = gf_class_from_cc("US");
	DE = gf_class_from_cc("DE");
	RU = gf_class_from_cc("RU");
	if (gf_world_load_default(&world, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "%s\n", errbuf);
		return GF_TEST_SETUP_ERROR;
	}
	for (size_t i = 0; i < sizeof(hosts) / sizeof(*hosts); i++)
		if (pick_addr(0, hosts[i].cc, hosts[i].v4, sizeof(hosts[i].v4)) ||
		    pick_addr(1, hosts[i].cc, hosts[i].v6, sizeof(hosts[i].v6)))
			return GF_TEST_SETUP_ERROR;
	atexit(kill_listeners);
	gf_keep_command(kill_listeners_cmd, 1);
	if (topology()) {
		fprintf(stderr, "cannot build the namespaces\n");
		return GF_TEST_SETUP_ERROR;
	}

	err = gf_dp_open(&dp, NULL);
	if (err)
		return GF_TEST_SETUP_ERROR;
	gf_policy_fill(pol, GF_ACT_PASS);
	pol[CN].action = GF_ACT_DROP;
	pol[RU].action = GF_ACT_MONITOR;
	pol[DE] = (struct gf_policy){ .action = GF_ACT_REDIRECT, .redirect_slot = 1 };
	err = gf_netns_enter(GW);
	if_g0 = if_nametoindex("g0");
	if_g1 = if_nametoindex("g1");
	if_q0 = if_nametoindex("q0");
	pol[DE].redirect_ifindex = if_q0;
	if (!err)
		err = gf_dp_install(dp, world.table[0], world.table[1], pol);
	if (!err)
		err = gf_dp_set_redirect(dp, 1, if_q0);
	if (!err)
		err = gf_dp_attach_xdp(dp, if_g0, GF_XDP_AUTO, &how, NULL);
	if (!err)
		err = gf_dp_attach_tc(dp, if_g1, 0, NULL);
	gf_netns_enter("");
	if (err) {
		fprintf(stderr, "cannot attach: %s\n", strerror(-err));
		return GF_TEST_SETUP_ERROR;
	}
	printf("XDP on g0: %s; tc egress on g1; CN %s %s, US %s %s\n", how, hosts[0].v4,
	       hosts[0].v6, hosts[1].v4, hosts[1].v6);
	test_lan_traffic();
	test_gateway_own_traffic();

	gf_netns_enter(GW);
	CHECK(!gf_dp_detach_xdp(dp, if_g0), "XDP detaches");
	CHECK(!gf_dp_detach_tc(dp, if_g1), "tc detaches");
	gf_netns_enter("");
	CHECK(ping(LAN, hosts[0].v4, 2), "after detach, CN is reachable again (the test can fail)");

	gf_dp_close(dp);
	gf_world_free(&world);
	return gf_test_summary();
}
