// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Benchmark baseline: the same parsing as the datapath, one per-CPU
 * counter, drop.  No lookup: the cost every contender pays anyway.
 */
#include "gf_parse.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bl_count SEC(".maps");

SEC("xdp")
int bl_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct gf_pkt pkt = {};
	__u32 off = 0, zero = 0;
	__u16 proto = 0;
	__u64 *c;

	if (gf_parse_l2(data, data_end, &off, &proto, &pkt))
		return XDP_DROP;
	if (proto == ETH_P_IP && gf_parse_ipv4(data, data_end, off, &pkt, 1))
		return XDP_DROP;
	if (proto == ETH_P_IPV6 && gf_parse_ipv6(data, data_end, off, &pkt, 1))
		return XDP_DROP;
	c = bpf_map_lookup_elem(&bl_count, &zero);
	if (c)
		*c += 1 + (pkt.dst[0] & 0 /* keep the parse live */);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
