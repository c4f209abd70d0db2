// SPDX-License-Identifier: GPL-2.0
/*
 * Generation flips under traffic: while a generator (gf_tgen) sends a
 * stream to destinations in dropped and passed countries through a veth
 * into gf_xdp, the tables and policy are rebuilt and flipped 100 times,
 * alternating two table variants whose node layouts differ.  An nftables
 * counter behind XDP (netdev ingress, independent of geofence's own
 * counters) must see no packet to a dropped destination, and must see the
 * passed ones.
 */
#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gf_datapath.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_rand.h"
#include "gf_test.h"
#include "gf_tgen.h"
#include "gf_world.h"

#define NS "gfflip"
#define FLIPS 100
#define NDEST 4096

static const char *const drop_cc[] = { "CN", "RU", "IR", "KP", "CU", "VE" };
static const char *const pass_cc[] = { "US", "DE", "JP", "BR", "FR", "IN" };

static struct gf_world world;
static struct gf_dp *dp;
static struct gf_tgen *gen[2];
static volatile int stop;
static __u64 sent[2];
static int gen_err;

static struct gf_rand rng = { 0x13198a2e03707344ull };

static __u64 rnd64(void)
{
	return gf_rand64(&rng);
}

static int in_list(__u16 cls, const char *const *list)
{
	for (int i = 0; i < 6; i++)
		if (cls == gf_class_from_cc(list[i]))
			return 1;
	return 0;
}

/* Half the destinations in dropped countries, half in passed ones. */
static void pick_dests(int f, gf_u128 *out, int *ndrop)
{
	const struct gf_rs *rs = &world.all[f];	/* reserved space overlaid */
	int i = 0;

	*ndrop = 0;
	while (i < NDEST) {
		const struct gf_range *r = &rs->v[rnd64() % rs->n];
		int want_drop = i < NDEST / 2;

		if (!in_list(r->cls, want_drop ? drop_cc : pass_cc))
			continue;
		out[i++] = r->first + (((gf_u128)rnd64() << 64 | rnd64()) %
				       (r->last - r->first + 1 ?: ~(gf_u128)0));
		*ndrop += want_drop;
	}
	/* shuffle so drops and passes interleave */
	for (i = NDEST - 1; i > 0; i--) {
		int j = rnd64() % (i + 1);
		gf_u128 t = out[i];

		out[i] = out[j];
		out[j] = t;
	}
}

static void fill_policy(struct gf_policy *pol)
{
	gf_policy_fill(pol, GF_ACT_PASS);
	for (int i = 0; i < 6; i++)
		pol[gf_class_from_cc(drop_cc[i])].action = GF_ACT_DROP;
}

/* Variant B: the world plus many allow overrides away from the traffic. */
static void make_overrides(struct gf_rs *o4, struct gf_rs *o6, const gf_u128 *d4,
			   const gf_u128 *d6)
{
	gf_rs_init(o4, 4);
	gf_rs_init(o6, 6);
	for (int i = 0; i < 1500; i++) {
		gf_u128 a4 = (rnd64() & 0xffffff00u), a6 = ((gf_u128)(0x2000 | (rnd64() & 0x0fff)) << 112) |
							    ((gf_u128)rnd64() << 80);
		int clash = 0;

		for (int k = 0; k < NDEST && !clash; k++)
			clash = (d4[k] >> 8) == (a4 >> 8) || (d6[k] >> 80) == (a6 >> 80);
		if (clash)
			continue;
		gf_rs_add_prefix(o4, a4, 24, GF_CLASS_OVERRIDE_BASE + i % 100, i);
		gf_rs_add_prefix(o6, a6, 48, GF_CLASS_OVERRIDE_BASE + i % 100, i);
	}
}

static void *generator(void *arg)
{
	cpu_set_t cpus;

	(void)arg;
	CPU_ZERO(&cpus);
	CPU_SET(1, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	while (!stop) {
		for (int f = 0; f < 2 && !stop; f++) {
			double s;
			int err = gf_tgen_run(gen[f], 1u << 20, 0, &s);

			if (err) {
				gen_err = err;
				return NULL;
			}
			sent[f] += 1u << 20;
		}
	}
	return NULL;
}

static __u64 nft_counter(const char *name)
{
	return gf_nft_counter(NS, "netdev gfflip", name);
}

/* What passed XDP on vb: to a dropped destination (leaked, must stay 0) or any other (passed). */
static int setup_nft(const gf_u128 *d4, const gf_u128 *d6)
{
	static const struct gf_nft_rule rules[] = {
		{ "ip daddr @drop4", "leaked", "drop" },
		{ "ip6 daddr @drop6", "leaked", "drop" },
		{ "", "passed", "drop" },
	};
	static char sets[NDEST * 2 * 48 + 256];
	size_t n = 0;
	char a[64];

	n += snprintf(sets + n, sizeof(sets) - n, "  set drop4 { type ipv4_addr; elements = { ");
	for (int i = 0, k = 0; i < NDEST; i++)
		if (in_list(gf_rs_find(&world.all[0], d4[i], 0), drop_cc))
			n += snprintf(sets + n, sizeof(sets) - n, "%s%s", k++ ? ", " : "", gf_addr_str(4, d4[i], a, sizeof(a)));
	n += snprintf(sets + n, sizeof(sets) - n, " } }\n  set drop6 { type ipv6_addr; elements = { ");
	for (int i = 0, k = 0; i < NDEST; i++)
		if (in_list(gf_rs_find(&world.all[1], d6[i], 0), drop_cc))
			n += snprintf(sets + n, sizeof(sets) - n, "%s%s", k++ ? ", " : "", gf_addr_str(6, d6[i], a, sizeof(a)));
	snprintf(sets + n, sizeof(sets) - n, " } }\n");
	return gf_nft_counters(NS, "gfflip", "vb", 0, sets, rules, 3);
}

int main(void)
{
	static gf_u128 d4[NDEST], d6[NDEST];
	static struct gf_policy pol[GF_NUM_CLASSES];
	struct gf_class_counters cc[2];
	struct gf_rs o4, o6;
	pthread_t thr;
	const char *how = NULL;
	__u64 drops_before = 0, drops_after = 0, seen_first = 0, seen_last = 0;
	int ndrop4, ndrop6, err, flips = 0;
	char errbuf[512];

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&world, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "%s\n", errbuf);
		return GF_TEST_SETUP_ERROR;
	}
	pick_dests(0, d4, &ndrop4);
	pick_dests(1, d6, &ndrop6);
	make_overrides(&o4, &o6, d4, d6);

	if (gf_netns_create(NS) ||
	    gf_sh("ip -n " NS " link add va type veth peer name vb") ||
	    gf_sh("ip -n " NS " link set va up && ip -n " NS " link set vb up") ||
	    setup_nft(d4, d6) || gf_netns_enter(NS))
		return GF_TEST_SETUP_ERROR;

	err = gf_dp_open(&dp, NULL);
	fill_policy(pol);
	if (!err)
		err = gf_dp_install(dp, world.table[0], world.table[1], pol);
	if (!err)
		err = gf_dp_attach_xdp(dp, if_nametoindex("vb"), GF_XDP_NATIVE, &how, NULL);
	if (!err)
		err = gf_tgen_open(&gen[0], 4, if_nametoindex("va"), d4, NDEST);
	if (!err)
		err = gf_tgen_open(&gen[1], 6, if_nametoindex("va"), d6, NDEST);
	if (err) {
		fprintf(stderr, "setup: %s\n", strerror(-err));
		return GF_TEST_SETUP_ERROR;
	}
	printf("XDP attached to vb (%s); %d+%d of %d destinations in dropped countries\n", how,
	       ndrop4, ndrop6, NDEST);

	for (int i = 0; i < 6; i++) {
		gf_dp_class_counter(dp, GF_HOOK_XDP, gf_class_from_cc(drop_cc[i]), &cc[0]);
		drops_before += cc[0].v[GF_VERDICT_DROP].packets;
	}
	if (pthread_create(&thr, NULL, generator, NULL))
		return GF_TEST_SETUP_ERROR;
	usleep(200000);
	seen_first = nft_counter("passed");

	for (flips = 0; flips < FLIPS && !gen_err; flips++) {
		int variant_b = flips & 1;

		err = gf_world_rebuild(&world, variant_b ? &o4 : NULL, variant_b ? &o6 : NULL, errbuf,
				       sizeof(errbuf));
		fill_policy(pol);
		for (int i = 0; variant_b && i < 100; i++)
			pol[GF_CLASS_OVERRIDE_BASE + i].action = GF_ACT_PASS;
		if (!err)
			err = gf_dp_install(dp, world.table[0], world.table[1], pol);
		if (err)
			break;
	}
	seen_last = nft_counter("passed");
	usleep(200000);
	stop = 1;
	pthread_join(thr, NULL);
	usleep(100000);

	for (int i = 0; i < 6; i++) {
		gf_dp_class_counter(dp, GF_HOOK_XDP, gf_class_from_cc(drop_cc[i]), &cc[1]);
		drops_after += cc[1].v[GF_VERDICT_DROP].packets;
	}

	CHECK(!gen_err, "traffic generator ran (%s)", strerror(-gen_err));
	CHECK(!err && flips == FLIPS, "%d of %d rebuild+flip cycles done (%s)", flips, FLIPS,
	      strerror(-err));
	CHECK(gf_dp_flips(dp) >= FLIPS, "generation counter moved %llu times",
	      (unsigned long long)gf_dp_flips(dp));
	CHECK(seen_last > seen_first, "traffic flowed during the flips (%llu packets passed)",
	      (unsigned long long)(seen_last - seen_first));
	CHECK(nft_counter("leaked") == 0, "no packet to a dropped destination passed XDP "
	      "(nftables saw %llu)", (unsigned long long)nft_counter("leaked"));
	{
		/* every frame is either dropped (counted) or passed (nft saw it) */
		__u64 total = sent[0] + sent[1], dropped = drops_after - drops_before;
		__u64 passed = nft_counter("passed");

		printf("sent %llu frames, geofence dropped %llu, nftables saw %llu passed\n",
		       (unsigned long long)total, (unsigned long long)dropped,
		       (unsigned long long)passed);
		CHECK(dropped > total / 3 && passed > total / 3,
		      "drops and passes both flowed (%llu/%llu of %llu)", (unsigned long long)dropped,
		      (unsigned long long)passed, (unsigned long long)total);
	}

	gf_tgen_close(gen[0]);
	gf_tgen_close(gen[1]);
	gf_dp_detach_xdp(dp, if_nametoindex("vb"));
	gf_dp_close(dp);
	gf_rs_free(&o4);
	gf_rs_free(&o6);
	gf_world_free(&world);
	return gf_test_summary();
}
