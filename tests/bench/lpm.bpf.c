// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Benchmark contender: the kernel's BPF_MAP_TYPE_LPM_TRIE holding the same
 * world table as prefixes; parse, look up, count per class, drop.
 */
#include "gf_parse.h"

struct lpm4_key {
	__u32 prefixlen;
	__be32 addr;
};

struct lpm6_key {
	__u32 prefixlen;
	__be32 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1 << 20);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm4_key);
	__type(value, __u32);
} lpm4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1 << 21);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm6_key);
	__type(value, __u32);
} lpm6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} lpm_count SEC(".maps");

SEC("xdp")
int lpm_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct gf_pkt pkt = {};
	__u32 off = 0, cls = 0, *v = NULL;
	__u16 proto = 0;
	__u64 *c;

	if (gf_parse_l2(data, data_end, &off, &proto, &pkt))
		return XDP_DROP;
	if (proto == ETH_P_IP) {
		struct lpm4_key k = { .prefixlen = 32 };

		if (gf_parse_ipv4(data, data_end, off, &pkt, 1))
			return XDP_DROP;
		k.addr = bpf_htonl(pkt.dst[0]);
		v = bpf_map_lookup_elem(&lpm4, &k);
	} else if (proto == ETH_P_IPV6) {
		struct lpm6_key k = { .prefixlen = 128 };

		if (gf_parse_ipv6(data, data_end, off, &pkt, 1))
			return XDP_DROP;
		k.addr[0] = bpf_htonl(pkt.dst[0]);
		k.addr[1] = bpf_htonl(pkt.dst[1]);
		k.addr[2] = bpf_htonl(pkt.dst[2]);
		k.addr[3] = bpf_htonl(pkt.dst[3]);
		v = bpf_map_lookup_elem(&lpm6, &k);
	}
	if (v)
		cls = *v & 4095;
	c = bpf_map_lookup_elem(&lpm_count, &cls);
	if (c)
		*c += 1;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
