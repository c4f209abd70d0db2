// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Test probe: the datapath's lookup functions (bpf/include/gf_lookup.h) on
 * an address given as the test-run input, returning the class.  Its maps
 * are the datapath's own (the loader reuses their fds), so it sees exactly
 * the tables the XDP and tc hooks see.
 *
 * Input: __u32 family, then four host-order words (IPv4 in the first).
 */
#include "gf_lookup.h"

SEC("xdp")
int lookup_probe(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 *in = data, gen;

	if ((void *)(in + 5) > data_end)
		return -1;
	gen = *(volatile __u32 *)&gf_state.active_gen & 1;
	if (in[0] == 4)
		return gf_lookup4(gen, in[1]);
	return gf_lookup6(gen, in[1], in[2], in[3], in[4]);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
