// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* XDP entry: the LAN-facing interfaces.  All logic is in gf_datapath.h. */
#include "gf_datapath.h"

SEC("xdp")
int gf_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct gf_pkt pkt = {};

	switch (gf_process_eth(ctx, data, data_end, data_end - data, GF_HOOK_XDP, &pkt)) {
	case GF_VERDICT_DROP:
		return XDP_DROP;
	case GF_VERDICT_REDIRECT:
		return XDP_REDIRECT;
	default:
		return XDP_PASS;
	}
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
