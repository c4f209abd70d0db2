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

static void addr_words(int family, gf_u128 a, __u32 w[4]);

struct gf_tgen {
	struct trafficgen_bpf *skel;
	struct gf_pkt pkt;
	int ifindex;
};

int gf_tgen_open(struct gf_tgen **out, int family, int ifindex, const gf_u128 *addrs, size_t n)
{
	struct gf_pkt_spec s;
	struct gf_tgen *g;
	int err, fd;

	if (!n || (n & (n - 1)) || n > (1u << 20))
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->ifindex = ifindex;
	gf_pkt_spec_init(&s, family, family == 4 ? "192.0.2.1" : "2001:db8::1");
	s.payload_len = family == 4 ? 18 : 2;	/* 60/64-byte frames */
	err = gf_pkt_build(&s, &g->pkt);
	if (err)
		goto fail;

	g->skel = trafficgen_bpf__open();
	if (!g->skel) {
		err = -errno;
		goto fail;
	}
	g->skel->rodata->tg_mask = n - 1;
	g->skel->rodata->tg_family = family;
	g->skel->rodata->tg_dst_off = g->pkt.l3_off + (family == 4 ? 16 : 24);
	err = trafficgen_bpf__load(g->skel);
	if (err)
		goto fail;
	fd = bpf_map__fd(g->skel->maps.tg_dst);
	for (__u32 i = 0; i < n; i++) {
		__u32 w[4];

		addr_words(family, addrs[i], w);
		if (bpf_map_update_elem(fd, &i, w, 0)) {
			err = -errno;
			goto fail;
		}
	}
	*out = g;
	return 0;
fail:
	gf_tgen_close(g);
	return err;
}

/* network-order words of an address, as the frame carries it */
static void addr_words(int family, gf_u128 a, __u32 w[4])
{
	memset(w, 0, 16);
	if (family == 4) {
		w[0] = htobe32((__u32)a);
		return;
	}
	for (int k = 3; k >= 0; k--) {
		w[k] = htobe32((__u32)a);
		a >>= 32;
	}
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

struct gf_feed {
	struct feeder_bpf *skel;
	struct gf_pkt pkt;
};

int gf_feed_open(struct gf_feed **out, int family, const gf_u128 *addrs, size_t n)
{
	struct gf_pkt_spec s;
	struct gf_feed *f;
	int err, fd;

	if (!n || (n & (n - 1)) || n > (1u << 16))
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	gf_pkt_spec_init(&s, family, family == 4 ? "192.0.2.1" : "2001:db8::1");
	s.payload_len = family == 4 ? 18 : 2;
	err = gf_pkt_build(&s, &f->pkt);
	if (err)
		goto fail;
	f->skel = feeder_bpf__open();
	if (!f->skel) {
		err = -errno;
		goto fail;
	}
	f->skel->rodata->fd_mask = n - 1;
	f->skel->rodata->fd_family = family;
	f->skel->rodata->fd_dst_off = f->pkt.l3_off + (family == 4 ? 16 : 24);
	err = feeder_bpf__load(f->skel);
	if (err)
		goto fail;
	fd = bpf_map__fd(f->skel->maps.fd_dst);
	for (__u32 i = 0; i < n; i++) {
		__u32 w[4];

		addr_words(family, addrs[i], w);
		if (bpf_map_update_elem(fd, &i, w, 0)) {
			err = -errno;
			goto fail;
		}
	}
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
