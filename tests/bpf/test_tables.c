// SPDX-License-Identifier: GPL-2.0
/*
 * Table correctness on the default database: for 1,000,000 IPv4 and
 * 1,000,000 IPv6 addresses, four answers must agree:
 *   - the BPF classification (BPF_PROG_TEST_RUN of gf_classify over the
 *     installed maps),
 *   - the builder's own walk (gf_table_classify),
 *   - a plain reference (sorted ranges + binary search),
 *   - libmaxminddb itself on the database file, with the datapath's rules
 *     on top (reserved space; IPv6 carrying IPv4 is classified by it).
 * A sample also goes through the real XDP program, checked by its counters.
 *
 * Addresses: uniformly random, random inside a random range, range
 * boundaries (first, last, and their neighbours), and for IPv6 the
 * prefixes that carry IPv4 (NAT64, 6to4, Teredo, IPv4-mapped).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <maxminddb.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "gf_datapath.h"
#include "gf_log.h"
#include "gf_pkt.h"
#include "gf_rand.h"
#include "gf_test.h"
#include "gf_world.h"
#include "gf_geo.h"
#include "gf_mmdb_ref.h"
#include "lookup.skel.h"

#define N_ADDR 1000000
#define N_XDP 20000

static struct gf_rand rng = { 0x243f6a8885a308d3ull };

static __u64 rnd64(void)
{
	return gf_rand64(&rng);
}

static gf_u128 sample(const struct gf_rs *rs, int family, long i)
{
	static const gf_u128 carriers[] = {
		(gf_u128)0x0064ff9b << 96,		/* NAT64 /96 */
		(gf_u128)0x2002 << 112,			/* 6to4 /16 */
		(gf_u128)0x20010000 << 96,		/* Teredo /32 */
		(gf_u128)0xffff << 32,			/* IPv4-mapped /96 */
		0,					/* IPv4-compatible /96 */
	};
	static const int carrier_host[] = { 32, 112, 96, 32, 32 };
	gf_u128 r = ((gf_u128)rnd64() << 64) | rnd64();
	const struct gf_range *g = &rs->v[rnd64() % rs->n];
	gf_u128 a;

	if (family == 6 && i % 7 == 6) {
		int k = rnd64() % 5;

		return carriers[k] | (r & (((gf_u128)1 << carrier_host[k]) - 1));
	}
	switch (i % 3) {
	case 0:
		a = r;
		break;
	case 1:
		a = g->first + r % (g->last - g->first + 1 ?: ~(gf_u128)0);
		break;
	default:
		switch ((i / 3) % 4) {
		case 0: a = g->first; break;
		case 1: a = g->last; break;
		case 2: a = g->first - 1; break;
		default: a = g->last + 1; break;
		}
	}
	return family == 4 ? (a & 0xffffffffu) : a;
}

/* a policy with every rank in it, so that Teredo's two ends can disagree */
static struct gf_policy pol[GF_NUM_CLASSES];

/* The datapath's answer derived from libmaxminddb: carried IPv4 first (a
 * Teredo address's stricter end under pol, the client on a tie), then
 * reserved space, then the database. */
static int expected_class(const MMDB_s *db, const struct gf_rs reserved[2], int family, gf_u128 a)
{
	__u32 v4[2];
	int kind = family == 6 ? gf_carried(a, v4) : GF_CARRY_NONE;

	if (kind == GF_CARRY_TEREDO) {
		int c = expected_class(db, reserved, 4, v4[0]), s = expected_class(db, reserved, 4, v4[1]);

		return gf_action_rank(pol[s].action) > gf_action_rank(pol[c].action) ? s : c;
	}
	if (kind != GF_CARRY_NONE)
		return expected_class(db, reserved, 4, v4[0]);
	if (gf_rs_find(&reserved[family == 6], a, 0))
		return GF_CLASS_RESERVED;
	return gf_mmdb_ref_class(db, family, a, 1);
}

/* the plain reference: binary search in the sorted ranges */
static __u16 ref_lookup(const void *ctx, int family, gf_u128 a)
{
	return gf_rs_find(&((const struct gf_world *)ctx)->all[family == 6], a, GF_CLASS_UNKNOWN);
}

static int bpf_lookup(int fd, int family, gf_u128 a, __u32 *cls)
{
	__u32 in[8] = { family };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = sizeof(in), .repeat = 1);

	if (family == 4) {
		in[1] = a;
	} else {
		in[1] = a >> 96;
		in[2] = a >> 64;
		in[3] = a >> 32;
		in[4] = a;
	}
	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	*cls = o.retval;
	return 0;
}

static __u64 total_packets(struct gf_dp *dp)
{
	static struct gf_class_counters c[GF_NUM_CLASSES];
	__u64 n = 0;

	gf_dp_class_stats(dp, GF_HOOK_XDP, c);
	for (int i = 0; i < GF_NUM_CLASSES; i++)
		for (int v = 0; v < GF_VERDICT_MAX; v++)
			n += c[i].v[v].packets;
	return n;
}

/*
 * The production program, one packet: 1 if the reference class's counter
 * moved by one.  With the grand total checked to move by exactly the
 * number of packets sent, no packet can have been counted elsewhere too.
 */
static int xdp_counts_in(struct gf_dp *dp, int family, gf_u128 a, __u16 cls)
{
	struct gf_class_counters before, after;
	struct gf_pkt_spec s;
	struct gf_pkt p;
	__u64 nb = 0, na = 0;
	char buf[64];

	gf_pkt_spec_init(&s, family, gf_addr_str(family, a, buf, sizeof(buf)));
	if (gf_pkt_build(&s, &p))
		return 0;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = p.data, .data_size_in = p.len, .repeat = 1);
	if (gf_dp_class_counter(dp, GF_HOOK_XDP, cls, &before) ||
	    bpf_prog_test_run_opts(gf_dp_prog_fd(dp, "gf_xdp"), &o) ||
	    gf_dp_class_counter(dp, GF_HOOK_XDP, cls, &after))
		return 0;
	for (int v = 0; v < GF_VERDICT_MAX; v++) {
		nb += before.v[v].packets;
		na += after.v[v].packets;
	}
	return na == nb + 1;
}

int main(void)
{
	static const char *const drop[] = { "CN", "RU", "IR", "KP", "CU", "VE" },
			  *const monitor[] = { "DE", "JP", "BR" }, *const redirect[] = { "FR", "IN" };
	struct gf_rs reserved[2];
	struct lookup_bpf *probe;
	struct gf_world w;
	struct gf_dp *dp;
	struct bpf_map *m;
	char errbuf[512];
	MMDB_s db;
	int err, fd;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&w, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "%s\n", errbuf);
		return GF_TEST_SETUP_ERROR;
	}
	if (MMDB_open(w.srcs[0].path, MMDB_MODE_MMAP, &db) != MMDB_SUCCESS || gf_dp_open(&dp, NULL))
		return GF_TEST_SETUP_ERROR;
	for (int f = 0; f < 2; f++) {
		gf_rs_init(&reserved[f], f ? 6 : 4);
		if (gf_rs_add_reserved(&reserved[f], GF_CLASS_RESERVED) ||
		    gf_rs_flatten(&reserved[f], NULL, NULL))
			return GF_TEST_SETUP_ERROR;
	}
	gf_policy_fill(pol, GF_ACT_PASS);
	for (size_t i = 0; i < 6; i++)
		pol[gf_class_from_cc(drop[i])].action = GF_ACT_DROP;
	for (size_t i = 0; i < 3; i++)
		pol[gf_class_from_cc(monitor[i])].action = GF_ACT_MONITOR;
	for (size_t i = 0; i < 2; i++)	/* an empty slot: the XDP check counts redirect_fail drops */
		pol[gf_class_from_cc(redirect[i])].action = GF_ACT_REDIRECT;
	/* install twice: the lookups run in generation 0 after a round trip */
	if (gf_dp_install(dp, w.table[0], w.table[1], pol) ||
	    gf_dp_install(dp, w.table[0], w.table[1], pol))
		return GF_TEST_SETUP_ERROR;

	probe = lookup_bpf__open();
	if (!probe)
		return GF_TEST_SETUP_ERROR;
	bpf_object__for_each_map(m, probe->obj) {
		int dfd = gf_dp_map_fd(dp, bpf_map__name(m));

		if (dfd >= 0 && bpf_map__reuse_fd(m, dfd))
			return GF_TEST_SETUP_ERROR;
	}
	if (lookup_bpf__load(probe)) {
		fprintf(stderr, "cannot load the lookup probe\n");
		return GF_TEST_SETUP_ERROR;
	}
	/* the probe's state section is its own: point it at the live generation */
	probe->data_state->gf_state.active_gen = gf_dp_active_gen(dp);
	fd = bpf_program__fd(probe->progs.lookup_probe);

	for (int f = 0; f < 2; f++) {
		const int family = f ? 6 : 4;
		long bad_bpf = 0, bad_builder = 0, bad_ref = 0, fails = 0, bad_xdp = 0;
		__u64 total0;

		for (long i = 0; i < N_ADDR; i++) {
			gf_u128 a = sample(&w.countries[f], family, i);
			int want = expected_class(&db, reserved, family, a);
			__u16 own = gf_table_classify(w.table[0], w.table[1], family, a, pol);
			__u32 got = 0;
			__u16 ref = gf_classify_addr(family, a, ref_lookup, &w, pol);

			if (bpf_lookup(fd, family, a, &got)) {
				fails++;
				continue;
			}
			if ((int)got != want && bad_bpf++ < 5) {
				char b[64];

				printf("  IPv%d %s: bpf %u, libmaxminddb %d\n", family,
				       gf_addr_str(family, a, b, sizeof(b)), got, want);
			}
			bad_builder += own != want;
			bad_ref += ref != want;
		}
		CHECK(!fails, "IPv%d: %ld test runs failed", family, fails);
		CHECK(!bad_bpf, "IPv%d: BPF classification agrees with libmaxminddb on %d addresses "
		      "(%ld disagree)", family, N_ADDR, bad_bpf);
		CHECK(!bad_builder, "IPv%d: the builder's walk agrees with libmaxminddb on %d "
		      "addresses (%ld disagree)", family, N_ADDR, bad_builder);
		CHECK(!bad_ref, "IPv%d: the sorted-range reference agrees with libmaxminddb on %d "
		      "addresses (%ld disagree)", family, N_ADDR, bad_ref);

		total0 = total_packets(dp);
		for (long i = 0; i < N_XDP; i++) {
			gf_u128 a = sample(&w.countries[f], family, i);

			bad_xdp += !xdp_counts_in(dp, family, a, expected_class(&db, reserved, family, a));
		}
		CHECK(!bad_xdp, "IPv%d: the XDP program counts each of %d packets in the "
		      "expected class (%ld not)", family, N_XDP, bad_xdp);
		CHECK(total_packets(dp) - total0 == N_XDP, "IPv%d: and nowhere else (total moved "
		      "by %llu)", family, (unsigned long long)(total_packets(dp) - total0));
	}

	MMDB_close(&db);
	lookup_bpf__destroy(probe);
	gf_dp_close(dp);
	gf_rs_free(&reserved[0]);
	gf_rs_free(&reserved[1]);
	gf_world_free(&w);
	err = gf_test_summary();
	return err;
}
