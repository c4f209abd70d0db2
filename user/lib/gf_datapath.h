/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loaded datapath: the BPF object, its maps mapped into this process,
 * and the operations on them: install a generation and flip, read counters,
 * attach the hooks.
 */
#ifndef GF_DATAPATH_H
#define GF_DATAPATH_H

#include <linux/types.h>
#include "geofence.h"
#include "gf_table.h"

struct gf_dp;

struct gf_dp_opts {
	__u32 node4_cap;	/* table nodes per generation, 0 = GF_V4_NODES_DEFAULT */
	__u32 node6_cap;	/* 0 = GF_V6_NODES_DEFAULT */
};

int gf_dp_open(struct gf_dp **dp, const struct gf_dp_opts *opts);
void gf_dp_close(struct gf_dp *dp);

/*
 * Write both tables and the policy (GF_NUM_CLASSES entries) into the
 * inactive generation, flip the active index, and wait until no packet can
 * still be reading the old generation (an RCU grace period).  Returns
 * -ENOSPC (and logs what to raise) if a table exceeds the node capacity.
 */
int gf_dp_install(struct gf_dp *dp, const struct gf_table *t4, const struct gf_table *t6,
		  const struct gf_policy *policy);
__u32 gf_dp_active_gen(const struct gf_dp *dp);
/* Kernel memory of the maps (both generations, per-CPU counters on every CPU). */
size_t gf_dp_map_bytes(const struct gf_dp *dp);
__u64 gf_dp_flips(const struct gf_dp *dp);

/* Sums over CPUs.  out: GF_NUM_CLASSES / GF_REASON_MAX entries. */
int gf_dp_class_stats(struct gf_dp *dp, int hook, struct gf_class_counters *out);
int gf_dp_reason_stats(struct gf_dp *dp, int hook, struct gf_counter *out);
/* One class's counters (summed over CPUs). */
int gf_dp_class_counter(struct gf_dp *dp, int hook, __u16 cls, struct gf_class_counters *out);

/* Redirect slot -> interface (XDP devmap).  ifindex 0 clears the slot. */
int gf_dp_set_redirect(struct gf_dp *dp, __u32 slot, __u32 ifindex);

/*
 * Attach XDP through libxdp (multi-program dispatcher when the kernel
 * allows it, else libxdp's single-program fallback).  *how gets a static
 * description: "native/dispatcher", "native/single", "skb/single"...
 */
enum gf_xdp_mode { GF_XDP_AUTO, GF_XDP_NATIVE, GF_XDP_GENERIC };
int gf_dp_attach_xdp(struct gf_dp *dp, int ifindex, enum gf_xdp_mode mode, const char **how);
int gf_dp_detach_xdp(struct gf_dp *dp, int ifindex);
/* tc clsact egress; l3 = device without a link-layer header. */
int gf_dp_attach_tc(struct gf_dp *dp, int ifindex, int l3);
int gf_dp_detach_tc(struct gf_dp *dp, int ifindex);

/* fd of a program (gf_xdp, gf_tc, gf_tc_l3) or map, by name; -ENOENT */
int gf_dp_prog_fd(const struct gf_dp *dp, const char *name);
int gf_dp_map_fd(const struct gf_dp *dp, const char *name);

/* Policy helpers: every class gets act; reserved passes. */
void gf_policy_fill(struct gf_policy *policy, enum gf_action act);

#endif
