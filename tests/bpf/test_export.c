// SPDX-License-Identifier: GPL-2.0
/*
 * gf_export_pass on a kernel LRU hash shaped as gf_flows, at simulated
 * times, without collectors (the pass counts the records it makes; what
 * they carry is in its carried table; tests/e2e/test_export reads real
 * records back with nfdump):
 *   - idle flows end: one record each, and their entries leave the table;
 *   - busy flows get a record at the active timeout, and the next record
 *     carries only what came after;
 *   - a flow the table lost between two passes counts as evicted, as does
 *     one that came back with fewer packets (evicted and new again);
 *   - a forced pass ends every flow and empties the table.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "gf_export.h"
#include "gf_test.h"

#define S 1000000000ull

static int fd;

static struct gf_flow_key key(int i)
{
	struct gf_flow_key k;

	memset(&k, 0, sizeof(k));
	k.src[0] = htonl(0x0a000000 | i);
	k.dst[0] = htonl(0x01000164);
	k.sport = 40000 + i;
	k.dport = 443;
	k.cls = 16;
	k.family = 4;
	k.l4_proto = 6;
	k.verdict = 1;
	return k;
}

static void put(int i, __u64 packets, __u64 first, __u64 last)
{
	struct gf_flow_key k = key(i);
	struct gf_flow_val v = { packets, packets * 100, first, last };

	bpf_map_update_elem(fd, &k, &v, BPF_ANY);
}

static int entries(void)
{
	struct gf_flow *f;
	size_t n;

	if (gf_flows_read(fd, &f, &n))
		return -1;
	free(f);
	return (int)n;
}

static unsigned long long made(const struct gf_export *e, int reason)
{
	return e->records[reason];
}

int main(int argc, char **argv)
{
	struct gf_export e = { .active_ns = 60 * S, .idle_ns = 30 * S };
	__u64 t = 1000 * S;	/* the pass's "now": the datapath's clock, simulated */
	unsigned long long a0;

	gf_test_verbose |= argc > 1 && !strcmp(argv[1], "-v");
	fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "gf_flows", sizeof(struct gf_flow_key),
			    sizeof(struct gf_flow_val), 4096, NULL);
	if (fd < 0)
		return GF_TEST_SETUP_ERROR;

	/* 100 flows: 40 silent for 31 s, 60 seen just now */
	for (int i = 0; i < 100; i++)
		put(i, 10, t - 40 * S, i < 40 ? t - 31 * S : t);
	CHECK(gf_export_pass(&e, fd, t, 0) == 0, "a pass over 100 flows");
	CHECK(made(&e, GF_EXPORT_IDLE) == 40 && entries() == 60,
	      "the 40 idle flows: a record each, out of the table (%llu records, %d entries left)",
	      made(&e, GF_EXPORT_IDLE), entries());
	/* the 60 began 40 s ago: no active record yet */
	CHECK(made(&e, GF_EXPORT_ACTIVE) == 0 && e.ncarried == 60, "no active record before 60 s (%llu)",
	      made(&e, GF_EXPORT_ACTIVE));

	/* 25 s later, 20 of them got 5 more packets: 65 s since their start, all 60 get an active record */
	t += 25 * S;
	for (int i = 40; i < 60; i++)
		put(i, 15, t - 65 * S, t);
	for (int i = 60; i < 100; i++)
		put(i, 10, t - 65 * S, t - 2 * S);
	CHECK(gf_export_pass(&e, fd, t, 0) == 0 && made(&e, GF_EXPORT_ACTIVE) == 60,
	      "60 active records at the active timeout (%llu)", made(&e, GF_EXPORT_ACTIVE));

	/* 61 s on: only flows with new packets get a record, carrying only those */
	t += 61 * S;
	a0 = made(&e, GF_EXPORT_ACTIVE);
	for (int i = 40; i < 50; i++)
		put(i, 18, t - 126 * S, t);
	for (int i = 50; i < 100; i++)	/* the rest: seen, nothing new */
		put(i, i < 60 ? 15 : 10, t - 126 * S, t);
	CHECK(gf_export_pass(&e, fd, t, 0) == 0 && made(&e, GF_EXPORT_ACTIVE) - a0 == 10,
	      "the next records: only the 10 flows with new packets (%llu)", made(&e, GF_EXPORT_ACTIVE) - a0);
	{
		const struct gf_flow_key k = key(45);
		const struct gf_flow *c = gf_flows_find(e.carried, e.ncarried, &k);

		CHECK(c && c->v.packets == 18 && c->v.bytes == 1800 && c->v.first_ns == t,
		      "carried: 18 packets, the next record starting where this one ended");
	}

	/* the table loses 5 flows (evicted), and one comes back with fewer packets */
	for (int i = 90; i < 95; i++) {
		struct gf_flow_key k = key(i);

		bpf_map_delete_elem(fd, &k);
	}
	put(95, 2, t, t);
	t += 1 * S;
	CHECK(gf_export_pass(&e, fd, t, 0) == 0 && e.evicted == 6,
	      "5 flows gone from the table and 1 back with fewer packets: 6 evicted (%llu)", e.evicted);

	/* a flow that began after the pass's clock was read (now predates the read): not due, not idle */
	put(200, 3, t + 2 * S, t + 2 * S);
	a0 = made(&e, GF_EXPORT_ACTIVE);
	CHECK(gf_export_pass(&e, fd, t, 0) == 0 && made(&e, GF_EXPORT_ACTIVE) == a0 && entries() > 0,
	      "a flow newer than the pass's clock: no record yet (%llu)", made(&e, GF_EXPORT_ACTIVE) - a0);

	/* forced: every flow ends, the table is empty */
	CHECK(gf_export_pass(&e, fd, t, 1) == 0 && entries() == 0,
	      "a forced pass empties the table (%d entries left)", entries());
	CHECK(made(&e, GF_EXPORT_FORCED) == 2, "and makes records only for what was not carried yet: %llu (flows 95, 200)",
	      made(&e, GF_EXPORT_FORCED));
	gf_export_forget(&e);
	close(fd);
	return gf_test_summary();
}
