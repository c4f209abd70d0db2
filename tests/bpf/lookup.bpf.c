// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Test probe: the datapath's classification (gf_classify in
 * bpf/include/gf_datapath.h) of an address given as the test-run input,
 * returning the class.  Its maps are the datapath's own (the loader reuses
 * their fds), so it sees exactly the tables the XDP and tc hooks see.
 *
 * Input: __u32 family, then four host-order words (IPv4 in the first).
 */
#include "gf_datapath.h"

SEC("xdp")
int lookup_probe(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct gf_pkt pkt = {};
	__u32 *in = data;

	if ((void *)(in + 5) > data_end)
		return -1;
	pkt.family = in[0];
	pkt.dst[0] = in[1];
	pkt.dst[1] = in[2];
	pkt.dst[2] = in[3];
	pkt.dst[3] = in[4];
	return gf_classify(gf_active_gen(), &pkt);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
