// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * tc clsact egress entries: traffic the gateway itself sends.  Packets that
 * arrived on an interface with the XDP hook were classified there; they are
 * neither counted nor acted on again.
 */
#include <linux/pkt_cls.h>
#include "gf_datapath.h"

/* Headers beyond the linear part are pulled in once, up to this much. */
#define GF_TC_PULL_LEN 256

static __always_inline int gf_tc_verdict(int v)
{
	switch (v) {
	case GF_VERDICT_DROP:
		return TC_ACT_SHOT;
	case GF_VERDICT_REDIRECT:
		return TC_ACT_REDIRECT;
	default:
		return TC_ACT_OK;
	}
}

static __always_inline int gf_tc_skip(struct __sk_buff *skb)
{
	__u32 in = skb->ingress_ifindex;

	return in && bpf_map_lookup_elem(&gf_xdp_ifaces, &in);
}

static __always_inline void gf_tc_pull(struct __sk_buff *skb)
{
	__u32 want = skb->len < GF_TC_PULL_LEN ? skb->len : GF_TC_PULL_LEN;

	if (skb->data_end - skb->data < want)
		bpf_skb_pull_data(skb, want);
}

/* Ethernet devices. */
SEC("tc")
int gf_tc(struct __sk_buff *skb)
{
	struct gf_pkt pkt = {};
	void *data, *data_end;

	if (gf_tc_skip(skb))
		return TC_ACT_OK;
	gf_tc_pull(skb);
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	return gf_tc_verdict(gf_process_eth(skb, data, data_end, skb->len, GF_HOOK_TC, &pkt));
}

/* Devices without a link-layer header (WireGuard, tun): L3 at offset 0. */
SEC("tc")
int gf_tc_l3(struct __sk_buff *skb)
{
	struct gf_pkt pkt = {};
	void *data, *data_end;

	if (gf_tc_skip(skb))
		return TC_ACT_OK;
	gf_tc_pull(skb);
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	return gf_tc_verdict(gf_process_l3(skb, data, data_end, 0, bpf_ntohs(skb->protocol),
					   skb->len, GF_HOOK_TC, &pkt));
}
