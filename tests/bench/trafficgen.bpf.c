// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Traffic generator for BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES: every
 * run rewrites the destination address of the template frame from a table
 * of addresses (cycled in order; the table is shuffled by userspace) and
 * returns XDP_TX, which sends the frame out of the veth it runs on.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 tg_mask = 0;	/* table size - 1, a power of two */
const volatile __u32 tg_dst_off = 30;	/* offset of the destination address */
const volatile __u32 tg_family = 4;

struct tg_addr {
	__u32 w[4];	/* network order */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << 20);
	__type(key, __u32);
	__type(value, struct tg_addr);
} tg_dst SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tg_pos SEC(".maps");

SEC("xdp")
int tg_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 zero = 0, key, *pos;
	struct tg_addr *a;
	__u32 *d;

	pos = bpf_map_lookup_elem(&tg_pos, &zero);
	if (!pos)
		return XDP_ABORTED;
	key = (*pos)++ & tg_mask;
	a = bpf_map_lookup_elem(&tg_dst, &key);
	if (!a)
		return XDP_ABORTED;
	d = data + (tg_dst_off & 0xff);
	if ((void *)(d + 4) > data_end)
		return XDP_ABORTED;
	d[0] = a->w[0];
	if (tg_family == 6) {
		d[1] = a->w[1];
		d[2] = a->w[2];
		d[3] = a->w[3];
	}
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
