// SPDX-License-Identifier: GPL-2.0
/*
 * Zero-gap reload.  While a flood from the LAN host (gf_tgen) hits the
 * gateway's XDP with frames to countries blocked in every version of the
 * policy (CN, RU), allowed in every version (US, JP) and changing (BR, SE),
 * the agent gets 50 policy changes and 5 database replacements (renamed
 * over the old file, as a deploy tool does).  nftables on the gateway's
 * ingress, past XDP, must see zero frames to the blocked destinations and
 * exactly as many frames to the allowed ones as XDP received (the veth ring
 * may lose some of the generator's frames before XDP; those are not counted
 * by anyone, so the comparison is exact).
 */
#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_test.h"
#include "gf_tgen.h"

#define NDEST 4096
#define RUN (1u << 19)	/* frames per generator call: a multiple of NDEST */
#define POLICY_CHANGES 50
#define DB_SWAPS 5

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "RU", "US", "JP", "BR", "SE" };
static struct gf_tgen *gen[2];
static volatile int stop;
static __u64 runs[2];
static int gen_err;
static gf_u128 dest[2][NDEST];
static int per_host[2][6];	/* table entries per host */

static void *generator(void *arg)
{
	cpu_set_t cpus;
	sigset_t all;

	(void)arg;
	/*
	 * A signal (SIGCHLD from the CLI runs) ends a live-frames run early
	 * with EINTR after an unknown number of frames: keep them all away.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	CPU_ZERO(&cpus);
	CPU_SET(1, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	if (gf_netns_enter(lab.ns_lan)) {
		gen_err = -EIO;
		return NULL;
	}
	while (!stop && !gen_err)
		for (int f = 0; f < 2 && !stop; f++) {
			double s;

			gen_err = gf_tgen_run(gen[f], RUN, 0, &s);
			if (!gen_err)
				runs[f]++;
		}
	return NULL;
}

/* What the gateway received: to blocked, allowed and changing destinations. */
static int setup_nft(void)
{
	const int blocked[] = { 0, 1 }, allowed[] = { 2, 3 };
	const struct { int host; const char *counter; } dests[] = {
		{ blocked[0], "leaked" }, { allowed[0], "allowed" }, { blocked[1], "leaked" }, { allowed[1], "allowed" },
		{ 4, "changing" },	/* Brazil changes between drop, pass, monitor and redirect */
	};
	struct gf_nft_rule rules[2 * 5];
	int n = 0;

	for (size_t i = 0; i < sizeof(dests) / sizeof(dests[0]); i++)
		for (int fam = 0; fam < 2; fam++, n++) {
			const struct gf_lab_host *h = &lab.hosts[dests[i].host];

			snprintf(rules[n].match, sizeof(rules[n].match), "%s daddr %s", fam ? "ip6" : "ip",
				 fam ? h->v6 : h->v4);
			snprintf(rules[n].counter, sizeof(rules[n].counter), "%s", dests[i].counter);
			rules[n].then = NULL;
		}
	return gf_nft_counters(lab.ns_gw, "flood", "g0", 1, NULL, rules, n);
}

static long long generation(void)
{
	return gf_lab_generation(&lab);
}

/* Packets geofence's XDP counted for a country, with a verdict or (NULL) any. */
static long long xdp_count(const char *cc, const char *verdict)
{
	return gf_lab_class_packets(&lab, cc, verdict, "xdp");
}

/*
 * A second database: Norway's ranges given to Sweden.  No country the
 * policy names loses its space, so the data sanity check lets it in.
 */
static int build_variant(const char *out)
{
	return gf_sh("sed 's/,NO$/,SE/' /usr/share/tor/geoip > %s/geoip && "
		     "sed 's/,NO$/,SE/' /usr/share/tor/geoip6 > %s/geoip6 && "
		     "%s/scripts/build-default-db.pl %s %s/geoip %s/geoip6 2>/dev/null",
		     lab.dir, lab.dir, GF_SRCDIR, out, lab.dir, lab.dir);
}

int main(void)
{
	static struct gf_world w;
	char err[512], out[4096], db[256], dbA[256], dbB[256], src[300];
	pthread_t thr;
	int ret, rejected = 0, changes = 0, swaps = 0;
	long long gen0, gen1;
	__u64 sent, leaked, allowed, changing, sent_br;
	long long seen, seen_pass;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&w, err, sizeof(err)) ||
	    gf_lab_up(&lab, "gfr", &w, hosts, 6) || setup_nft())
		return GF_TEST_SETUP_ERROR;
	snprintf(db, sizeof(db), "%s/country.mmdb", lab.dir);
	snprintf(dbA, sizeof(dbA), "%s/a.mmdb", lab.dir);
	snprintf(dbB, sizeof(dbB), "%s/b.mmdb", lab.dir);
	if (gf_sh("cp %s %s && cp %s %s", GF_BUILD_DB, dbA, GF_BUILD_DB, db) || build_variant(dbB))
		return GF_TEST_SETUP_ERROR;
	snprintf(src, sizeof(src), "{ mmdb = \"%s\"; }", db);
	if (gf_lab_write_config(&lab, src, NULL) ||
	    gf_lab_write_list(&lab, "00-concern.list", "CN drop\nRU drop\n") ||
	    gf_lab_write_list(&lab, "50-flip.list", "BR drop\n"))
		return GF_TEST_SETUP_ERROR;
	ret = gf_lab_agent_start(&lab);
	if (!CHECK(ret == 0, "geofenced starts (%d)", ret))
		return gf_test_summary();

	/* destinations: every host in turn, both families */
	for (int f = 0; f < 2; f++) {
		for (int i = 0; i < NDEST; i++) {
			int h = i % 6;

			gf_addr_parse(f ? lab.hosts[h].v6 : lab.hosts[h].v4, &dest[f][i]);
			per_host[f][h]++;
		}
	}
	if (gf_netns_enter(lab.ns_lan) ||
	    gf_tgen_open(&gen[0], 4, if_nametoindex("l0"), dest[0], NDEST) ||
	    gf_tgen_open(&gen[1], 6, if_nametoindex("l0"), dest[1], NDEST) || gf_netns_enter(""))
		return GF_TEST_SETUP_ERROR;
	if (pthread_create(&thr, NULL, generator, NULL))
		return GF_TEST_SETUP_ERROR;
	usleep(300000);
	gen0 = generation();

	for (int i = 0; i < POLICY_CHANGES + DB_SWAPS; i++) {
		if (i % 11 == 10) {
			/* a new database, written next to it and renamed over it */
			gf_sh_quiet("cp %s %s.new && mv %s.new %s", swaps % 2 ? dbA : dbB, db, db, db);
			swaps++;
		} else {
			static const char *const flips[] = {
				"BR drop\n", "BR pass\nSE drop\n", "BR monitor\n", "SE monitor\nBR drop\n",
				"# nothing\n", "BR redirect q0\n",
			};

			gf_lab_write_list(&lab, "50-flip.list", flips[changes % 6]);
			changes++;
		}
		ret = gf_lab_cli(&lab, out, sizeof(out), "reload");
		rejected += ret != 0;
		if (ret)
			printf("reload %d: %s", i, out);
	}
	usleep(300000);
	stop = 1;
	pthread_join(thr, NULL);
	usleep(200000);

	CHECK(!gen_err, "the flood ran (%s): %llu + %llu runs of %u frames", strerror(-gen_err),
	      (unsigned long long)runs[0], (unsigned long long)runs[1], RUN);
	CHECK(changes == POLICY_CHANGES && swaps == DB_SWAPS && !rejected,
	      "%d policy changes and %d database replacements, all accepted (%d rejected)",
	      changes, swaps, rejected);
	gen1 = generation();
	CHECK(gen0 > 0 && gen1 == gen0 + POLICY_CHANGES + DB_SWAPS,
	      "each reload installed a generation: %lld -> %lld", gen0, gen1);
	leaked = gf_nft_counter(lab.ns_gw, "netdev flood", "leaked");
	allowed = gf_nft_counter(lab.ns_gw, "netdev flood", "allowed");
	/*
	 * The generator's frames can be lost in the veth ring before the
	 * gateway's XDP sees them: what XDP saw is geofence's own count, and
	 * nftables past XDP must agree with it exactly.
	 */
	sent = 0;
	for (int f = 0; f < 2; f++)
		sent += (__u64)(per_host[f][2] + per_host[f][3]) * (RUN / NDEST) * runs[f];
	seen = xdp_count("US", NULL) + xdp_count("JP", NULL);
	seen_pass = xdp_count("US", "pass") + xdp_count("JP", "pass");
	if (getenv("GF_TEST_VERBOSE")) {
		static char st[1 << 16];

		gf_lab_cli(&lab, st, sizeof(st), "stats --interval 0.01 --top 40");
		fputs(st, stdout);
	}
	CHECK(leaked == 0, "zero frames to CN or RU got past XDP (%llu)", (unsigned long long)leaked);
	CHECK(xdp_count("CN", NULL) > 0 && xdp_count("CN", NULL) == xdp_count("CN", "drop") &&
	      xdp_count("RU", NULL) == xdp_count("RU", "drop"),
	      "geofence dropped every frame to CN (%lld) and RU (%lld)", xdp_count("CN", "drop"),
	      xdp_count("RU", "drop"));
	CHECK(seen > 0 && seen == seen_pass && (__u64)seen_pass == allowed,
	      "every frame to US and JP got past XDP: %llu passed by nft, %lld seen by XDP, "
	      "%lld passed", (unsigned long long)allowed, seen, seen_pass);
	CHECK(seen * 2 >= (long long)sent, "XDP saw %.1f%% of the %llu frames sent to US and JP",
	      100.0 * seen / (sent ?: 1), (unsigned long long)sent);
	changing = gf_nft_counter(lab.ns_gw, "netdev flood", "changing");
	sent_br = 0;
	for (int f = 0; f < 2; f++)
		sent_br += (__u64)per_host[f][4] * (RUN / NDEST) * runs[f];
	CHECK(changing > 0 && changing < sent_br,
	      "the policy changed under the flood: %llu of %llu frames to BR passed",
	      (unsigned long long)changing, (unsigned long long)sent_br);
	CHECK(runs[0] + runs[1] >= 10, "the flood overlapped the reloads (%llu runs)",
	      (unsigned long long)(runs[0] + runs[1]));

	gf_tgen_close(gen[0]);
	gf_tgen_close(gen[1]);
	gf_lab_detach(&lab, NULL, 0);
	gf_lab_down(&lab);
	gf_world_free(&w);
	return gf_test_summary();
}
