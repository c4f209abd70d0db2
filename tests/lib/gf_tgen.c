// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "gf_pkt.h"
#include "gf_tgen.h"
#include "feeder.skel.h"
#include "trafficgen.skel.h"

/* Frames per sendmmsg() call of the AF_PACKET generator. */
#define PKT_BATCH 256
#define PKT_SLOT 128	/* bytes per frame slot; the templates are 60 and 64 */

struct gf_tgen {
	struct trafficgen_bpf *skel;
	struct gf_pkt pkt;
	int ifindex;
	int family;
	enum gf_tgen_kind kind;
	/* AF_PACKET generator: the socket (bound in the open()er's netns),
	 * the address table, where the next frame's address comes from. */
	int sock;
	const gf_u128 *addrs;
	size_t n;
	size_t pos;
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
/* An address as the frame carries it: network-order words, one for IPv4. */
static void addr_words(int family, gf_u128 a, __u32 w[4])
{
	if (family == 4) {
		w[0] = htobe32((__u32)a);
		return;
	}
	for (int k = 3; k >= 0; k--) {
		w[k] = htobe32((__u32)a);
		a >>= 32;
	}
}

static int fill_addrs(int map_fd, int family, const gf_u128 *addrs, size_t n)
{
	for (__u32 i = 0; i < n; i++) {
		__u32 w[4] = { 0 };

		addr_words(family, addrs[i], w);
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
	g->family = family;
	g->sock = -1;
	g->addrs = addrs;
	g->n = n;
	err = template_frame(family, &g->pkt);
	if (!err && g->pkt.len > PKT_SLOT)
		err = -E2BIG;
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

static double since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) + (b.tv_nsec - a->tv_nsec) / 1e9;
}

/*
 * The fallback for kernels that refuse live frames (some sandboxes do, with
 * EPERM): a packet socket on the same veth end, bypassing the qdisc, sending
 * the same frames with sendmmsg().  Slower (about a tenth), same traffic.
 */
static int open_packet_socket(struct gf_tgen *g)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = g->ifindex,
				   .sll_protocol = htons(ETH_P_ALL) };
	int one = 1;

	g->sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (g->sock < 0)
		return -errno;
	if (setsockopt(g->sock, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) ||
	    bind(g->sock, (struct sockaddr *)&sll, sizeof(sll)))
		return -errno;
	return 0;
}

static void put_addr(struct gf_tgen *g, __u8 *frame)
{
	__u32 w[4];

	addr_words(g->family, g->addrs[g->pos++ & (g->n - 1)], w);
	memcpy(frame + dst_offset(g->family, &g->pkt), w, g->family == 4 ? 4 : 16);
}

static int run_packet_socket(struct gf_tgen *g, __u32 packets)
{
	static __thread __u8 frames[PKT_BATCH][PKT_SLOT];
	static __thread struct mmsghdr msg[PKT_BATCH];
	static __thread struct iovec iov[PKT_BATCH];
	__u32 left = packets;

	while (left) {
		unsigned int n = left < PKT_BATCH ? left : PKT_BATCH, done = 0;

		for (unsigned int i = 0; i < n; i++) {
			memcpy(frames[i], g->pkt.data, g->pkt.len);
			put_addr(g, frames[i]);
			iov[i] = (struct iovec){ frames[i], g->pkt.len };
			msg[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1 };
		}
		while (done < n) {
			int r = sendmmsg(g->sock, msg + done, n - done, 0);

			if (r < 0 && errno == EINTR)
				continue;
			/* a full device queue: the frames are lost, as on a wire */
			if (r < 0 && (errno == ENOBUFS || errno == EAGAIN)) {
				done++;
				continue;
			}
			if (r < 0)
				return -errno;
			done += r;
		}
		left -= n;
	}
	return 0;
}

int gf_tgen_run(struct gf_tgen *g, __u32 packets, __u32 batch, double *seconds)
{
	struct xdp_md ctx = { .data_end = g->pkt.len, .ingress_ifindex = g->ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = g->pkt.data, .data_size_in = g->pkt.len,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = packets,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = batch);
	static int told;
	struct timespec a;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (g->kind == GF_TGEN_LIVE_FRAMES) {
		err = bpf_prog_test_run_opts(bpf_program__fd(g->skel->progs.tg_xdp), &o);
		if (!err) {
			*seconds = since(&a);
			return 0;
		}
		if (errno != EPERM && errno != EOPNOTSUPP)
			return -errno;
		/* refused before any frame went out: switch for good */
		if (!told++)
			fprintf(stderr, "traffic generator: the kernel refuses live frames (%s); "
					"sending from AF_PACKET sockets instead\n", strerror(errno));
		g->kind = GF_TGEN_PACKET_SOCKET;
	}
	if (g->sock < 0) {
		err = open_packet_socket(g);
		if (err)
			return err;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	err = run_packet_socket(g, packets);
	*seconds = since(&a);
	return err;
}

enum gf_tgen_kind gf_tgen_kind(const struct gf_tgen *g)
{
	return g->kind;
}

const char *gf_tgen_kind_name(enum gf_tgen_kind k)
{
	return k == GF_TGEN_LIVE_FRAMES ? "live frames (BPF_PROG_RUN)" : "AF_PACKET sendmmsg";
}

void gf_tgen_close(struct gf_tgen *g)
{
	if (!g)
		return;
	if (g->sock >= 0)
		close(g->sock);
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
