/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Line-rate traffic from BPF_PROG_RUN in live-frames mode: a tiny XDP
 * program rewrites the destination of a template UDP frame from an
 * address table and returns XDP_TX on the veth it "runs on"; the frames
 * arrive at the veth peer.  The caller must be in the veth's namespace
 * when it opens the generator.
 */
#ifndef GF_TGEN_H
#define GF_TGEN_H

#include <linux/types.h>
#include "gf_ranges.h"

struct gf_tgen;

/*
 * Live frames are the generator of choice (>10 Mpps on a 2-core VM); a
 * kernel that refuses them gets the same frames from an AF_PACKET socket,
 * decided at the first run.  Rates then measure the generator, not XDP.
 */
enum gf_tgen_kind { GF_TGEN_LIVE_FRAMES, GF_TGEN_PACKET_SOCKET };

/* n must be a power of two; addresses are family's, in table order. */
int gf_tgen_open(struct gf_tgen **g, int family, int ifindex, const gf_u128 *addrs, size_t n);
/* Send packets frames (batch: frames per NAPI batch, 0 = kernel default);
 * *seconds gets the wall time of the run. */
int gf_tgen_run(struct gf_tgen *g, __u32 packets, __u32 batch, double *seconds);
void gf_tgen_close(struct gf_tgen *g);
enum gf_tgen_kind gf_tgen_kind(const struct gf_tgen *g);
const char *gf_tgen_kind_name(enum gf_tgen_kind k);

#endif

/*
 * Program-cost probe (no veth): BPF_PROG_TEST_RUN with repeat runs a feeder
 * that writes the next destination into the frame and tail-calls target.
 */
struct gf_feed;
int gf_feed_open(struct gf_feed **f, int family, const gf_u128 *addrs, size_t n);
/* Average nanoseconds per packet through target_fd over repeat runs. */
int gf_feed_run(struct gf_feed *f, int target_fd, __u32 repeat, double *ns);
void gf_feed_close(struct gf_feed *f);
