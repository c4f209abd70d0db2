// SPDX-License-Identifier: GPL-2.0
/*
 * Table correctness on the full default world table: for 1,000,000 IPv4
 * and 1,000,000 IPv6 addresses, the BPF lookup (BPF_PROG_TEST_RUN of the
 * datapath's lookup code over the installed maps), the builder's own walk
 * and a plain reference (sorted ranges + binary search) must agree.  A
 * sample also goes through the real XDP program, checked by its counters.
 *
 * Addresses: a third uniformly random, a third random inside a random
 * range, a third on range boundaries (first, last, and their neighbours).
 */
#include <errno.h>
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
	gf_u128 r = ((gf_u128)rnd64() << 64) | rnd64();
	const struct gf_range *g = &rs->v[rnd64() % rs->n];
	gf_u128 a;

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
	static struct gf_policy pol[GF_NUM_CLASSES];
	struct lookup_bpf *probe;
	struct gf_world w;
	struct gf_dp *dp;
	struct bpf_map *m;
	int err, fd;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load(&w, NULL, NULL) || gf_dp_open(&dp, NULL))
		return GF_TEST_SETUP_ERROR;
	gf_policy_fill(pol, GF_ACT_PASS);
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
		const struct gf_rs *all = &w.all[f];
		long bad_bpf = 0, bad_builder = 0, fails = 0, bad_xdp = 0;
		__u64 total0;

		for (long i = 0; i < N_ADDR; i++) {
			gf_u128 a = sample(&w.countries[f], family, i);
			__u16 ref = gf_rs_find(all, a, GF_CLASS_UNKNOWN);
			__u16 own = gf_table_lookup(w.table[f], a);
			__u32 got = 0;

			if (bpf_lookup(fd, family, a, &got)) {
				fails++;
				continue;
			}
			if (got != ref && bad_bpf++ < 5) {
				char b[64];

				printf("  IPv%d %s: bpf %u, reference %u\n", family,
				       gf_addr_str(family, a, b, sizeof(b)), got, ref);
			}
			bad_builder += own != ref;
		}
		CHECK(!fails, "IPv%d: %ld test runs failed", family, fails);
		CHECK(!bad_bpf, "IPv%d: BPF lookup agrees with the reference on %d addresses "
		      "(%ld disagree)", family, N_ADDR, bad_bpf);
		CHECK(!bad_builder, "IPv%d: builder's lookup agrees with the reference on %d "
		      "addresses (%ld disagree)", family, N_ADDR, bad_builder);

		total0 = total_packets(dp);
		for (long i = 0; i < N_XDP; i++) {
			gf_u128 a = sample(&w.countries[f], family, i);

			bad_xdp += !xdp_counts_in(dp, family, a, gf_rs_find(all, a, GF_CLASS_UNKNOWN));
		}
		CHECK(!bad_xdp, "IPv%d: the XDP program counts each of %d packets in the "
		      "reference class (%ld not)", family, N_XDP, bad_xdp);
		CHECK(total_packets(dp) - total0 == N_XDP, "IPv%d: and nowhere else (total moved "
		      "by %llu)", family, (unsigned long long)(total_packets(dp) - total0));
	}

	lookup_bpf__destroy(probe);
	gf_dp_close(dp);
	gf_world_free(&w);
	err = gf_test_summary();
	return err;
}
