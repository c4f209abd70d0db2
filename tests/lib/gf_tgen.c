// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "gf_pkt.h"
#include "gf_tgen.h"
#include "feeder.skel.h"
#include "trafficgen.skel.h"

struct gf_tgen {
	struct trafficgen_bpf *skel;
	struct gf_pkt pkt;
	int ifindex;
};

struct gf_feed {
	struct feeder_bpf *skel;
	struct gf_pkt pkt;
};

/* The template frame: UDP, 60 (IPv4) or 64 (IPv6) bytes. */
static int template_frame(int family, struct gf_pkt *pkt)
{
	struct gf_pkt_spec s;

	gf_pkt_spec_init(&s, family, family == 4 ? "192.0.2.1" : "2001:db8::1");
	s.payload_len = family == 4 ? 18 : 2;
	return gf_pkt_build(&s, pkt);
}

/* Offset of the destination address in the template. */
static __u32 dst_offset(int family, const struct gf_pkt *pkt)
{
	return pkt->l3_off + (family == 4 ? 16 : 24);
}

/* The address table as the frame carries it: network-order words. */
static int fill_addrs(int map_fd, int family, const gf_u128 *addrs, size_t n)
{
	for (__u32 i = 0; i < n; i++) {
		__u32 w[4] = { 0 };
		gf_u128 a = addrs[i];

		if (family == 4) {
			w[0] = htobe32((__u32)a);
		} else {
			for (int k = 3; k >= 0; k--) {
				w[k] = htobe32((__u32)a);
				a >>= 32;
			}
		}
		if (bpf_map_update_elem(map_fd, &i, w, 0))
			return -errno;
	}
	return 0;
}

int gf_tgen_open(struct gf_tgen **out, int family, int ifindex, const gf_u128 *addrs, size_t n)
{
	struct gf_tgen *g;
	int err;

	if (!n || (n & (n - 1)) || n > (1u << 20))
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->ifindex = ifindex;
	err = template_frame(family, &g->pkt);
	if (err)
		goto fail;
	g->skel = trafficgen_bpf__open();
	if (!g->skel) {
		err = -errno;
		goto fail;
	}
	g->skel->rodata->tg_mask = n - 1;
	g->skel->rodata->tg_family = family;
	g->skel->rodata->tg_dst_off = dst_offset(family, &g->pkt);
	err = trafficgen_bpf__load(g->skel);
	if (!err)
		err = fill_addrs(bpf_map__fd(g->skel->maps.tg_dst), family, addrs, n);
	if (err)
		goto fail;
	*out = g;
	return 0;
fail:
	gf_tgen_close(g);
	return err;
}

int gf_tgen_run(struct gf_tgen *g, __u32 packets, __u32 batch, double *seconds)
{
	struct xdp_md ctx = { .data_end = g->pkt.len, .ingress_ifindex = g->ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = g->pkt.data, .data_size_in = g->pkt.len,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = packets,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = batch);
	struct timespec a, b;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &a);
	err = bpf_prog_test_run_opts(bpf_program__fd(g->skel->progs.tg_xdp), &o);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (err)
		return -errno;
	*seconds = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	return 0;
}

void gf_tgen_close(struct gf_tgen *g)
{
	if (!g)
		return;
	trafficgen_bpf__destroy(g->skel);
	free(g);
}

int gf_feed_open(struct gf_feed **out, int family, const gf_u128 *addrs, size_t n)
{
	struct gf_feed *f;
	int err;

	if (!n || (n & (n - 1)) || n > (1u << 16))
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	err = template_frame(family, &f->pkt);
	if (err)
		goto fail;
	f->skel = feeder_bpf__open();
	if (!f->skel) {
		err = -errno;
		goto fail;
	}
	f->skel->rodata->fd_mask = n - 1;
	f->skel->rodata->fd_family = family;
	f->skel->rodata->fd_dst_off = dst_offset(family, &f->pkt);
	err = feeder_bpf__load(f->skel);
	if (!err)
		err = fill_addrs(bpf_map__fd(f->skel->maps.fd_dst), family, addrs, n);
	if (err)
		goto fail;
	*out = f;
	return 0;
fail:
	gf_feed_close(f);
	return err;
}

int gf_feed_run(struct gf_feed *f, int target_fd, __u32 repeat, double *ns)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->pkt.data, .data_size_in = f->pkt.len,
		    .repeat = repeat);
	__u32 zero = 0;

	if (bpf_map_update_elem(bpf_map__fd(f->skel->maps.fd_target), &zero, &target_fd, 0))
		return -errno;
	if (bpf_prog_test_run_opts(bpf_program__fd(f->skel->progs.fd_xdp), &o))
		return -errno;
	*ns = o.duration;
	return 0;
}

void gf_feed_close(struct gf_feed *f)
{
	if (!f)
		return;
	feeder_bpf__destroy(f->skel);
	free(f);
}
