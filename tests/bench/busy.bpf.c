// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Harness calibration: the baseline plus busy_n dependent multiply-adds
 * (pure ALU, no memory), i.e. a known amount of extra per-packet work.
 * Shows how each mode of the benchmark turns program cost into Mpps.
 */
#include "gf_parse.h"

const volatile __u32 busy_n = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} busy_count SEC(".maps");

SEC("xdp")
int busy_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct gf_pkt pkt = {};
	__u32 off = 0, zero = 0;
	__u16 proto = 0;
	__u64 v, *c;

	if (gf_parse_l2(data, data_end, &off, &proto, &pkt))
		return XDP_DROP;
	if (proto == ETH_P_IP && gf_parse_ipv4(data, data_end, off, &pkt, 1))
		return XDP_DROP;
	v = pkt.dst[0];
	for (__u32 i = 0; i < 256; i++) {
		if (i >= busy_n)
			break;
		v = v * 0x9e3779b97f4a7c15ull + (v >> 7);
	}
	c = bpf_map_lookup_elem(&busy_count, &zero);
	if (c)
		*c += 1 + (v & 0);
	asm volatile("" : : "r"(v));
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
