// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Program-cost probe: run with BPF_PROG_TEST_RUN and repeat (no live
 * frames), so the same buffer is reused.  Each run writes the next
 * destination from the address table into the frame and tail-calls the
 * contender.  test_run's duration is then the cost of one packet through
 * the contender with changing destinations, without veth or page pools.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 fd_mask = 0;
const volatile __u32 fd_dst_off = 30;
const volatile __u32 fd_family = 4;

struct fd_addr {
	__u32 w[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << 16);
	__type(key, __u32);
	__type(value, struct fd_addr);
} fd_dst SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} fd_target SEC(".maps");

__u32 fd_pos;

SEC("xdp")
int fd_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 key = fd_pos++ & fd_mask;
	struct fd_addr *a;
	__u32 *d;

	a = bpf_map_lookup_elem(&fd_dst, &key);
	if (!a)
		return XDP_ABORTED;
	d = data + (fd_dst_off & 0xff);
	if ((void *)(d + 4) > data_end)
		return XDP_ABORTED;
	d[0] = a->w[0];
	if (fd_family == 6) {
		d[1] = a->w[1];
		d[2] = a->w[2];
		d[3] = a->w[3];
	}
	bpf_tail_call(ctx, &fd_target, 0);
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
