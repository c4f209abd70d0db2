/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loaded datapath: the BPF object, its maps mapped into this process,
 * and the operations on them: install a generation and flip, read counters,
 * attach the hooks, pin everything so that the datapath outlives the agent.
 */
#ifndef GF_DATAPATH_H
#define GF_DATAPATH_H

#include <linux/types.h>
#include "geofence.h"
#include "gf_table.h"

struct gf_dp;

struct gf_dp_opts {
	__u32 node4_cap;	/* table nodes per generation, 0 = GF_V4_NODES_DEFAULT */
	__u32 node6_cap;	/* 0 = GF_V6_NODES_DEFAULT; pinned maps keep theirs */
	__u32 flows_cap;	/* gf_flows entries, 0 = GF_FLOWS_DEFAULT */
	/*
	 * Pin every map here (a directory on a bpf filesystem).  Maps already
	 * pinned there are reused: the tables, the policy, the active
	 * generation and the counters carry over to this process.
	 */
	const char *pin_dir;
};

/* Load the programs and maps (reusing pins if opts->pin_dir is set). */
int gf_dp_open(struct gf_dp **dp, const struct gf_dp_opts *opts);
/*
 * Open a running datapath's pinned maps, without loading programs: to read
 * tables, policy and counters (the CLI).  -ENOENT if nothing is pinned,
 * -EPROTO if they have another layout than this build's.
 */
int gf_dp_open_pinned(struct gf_dp **dp, const char *pin_dir);
void gf_dp_close(struct gf_dp *dp);

/*
 * Upgrades across layouts.  When what is pinned does not fit this build
 * (another GF_LAYOUT, other table sizes), gf_dp_open() moves it aside to
 * pin_dir/previous and makes new maps; programs attached then replace the
 * old ones in one step.  gf_dp_migrating() says why (NULL: no migration),
 * gf_dp_migration_done() drops the previous maps once every interface runs
 * the new programs (also what a migration that stopped half-way left), and
 * gf_dp_migration_undo() puts them back (the start failed: the old
 * programs, still attached, keep enforcing on them).
 */
const char *gf_dp_migrating(const struct gf_dp *dp);
int gf_dp_prev_layout(const struct gf_dp *dp);	/* -1: nothing was pinned */
int gf_dp_migration_done(struct gf_dp *dp);
int gf_dp_migration_undo(struct gf_dp *dp);
/*
 * The layout of the maps pinned in pin_dir (GF_LAYOUT of the build that
 * made them; 0: made before layouts were recorded), -errno.  Readers of
 * another layout's maps (gf_dp_open_pinned) get -EPROTO.
 */
int gf_dp_pinned_layout(const char *pin_dir);

/* Does pin_dir hold a datapath?  1 yes, 0 no, -errno cannot tell (-EACCES: not root). */
int gf_dp_pinned(const char *pin_dir);
/* Remove the pins (after the hooks are detached): the maps go with the last user. */
int gf_dp_unpin(const char *pin_dir);

/*
 * Write both tables and the policy (GF_NUM_CLASSES entries) into the
 * inactive generation, flip the active index, and wait until no packet can
 * still be reading the old generation (an RCU grace period).  Returns
 * -ENOSPC (and logs what to raise) if a table exceeds the node capacity.
 */
int gf_dp_install(struct gf_dp *dp, const struct gf_table *t4, const struct gf_table *t6,
		  const struct gf_policy *policy);
/*
 * The same with scopes (maps/geofence.h): rows holds nrows policy rows of
 * GF_NUM_CLASSES, row i the policy of scope i (0: the default); sel the
 * selectors that lead a packet to a row.  Rows past nrows get the
 * default's.
 */
struct gf_scope_sel {
	__u8 kind;		/* GF_SCOPE_SRC4, _SRC6, _VLAN or _IFACE */
	__u8 scope;		/* 1 .. GF_MAX_SCOPES - 1 */
	__u8 len;		/* a source prefix's length */
	__u32 id;		/* the VLAN id or the ifindex */
	gf_u128 addr;		/* a source prefix (IPv4 in the low 32 bits) */
};
int gf_dp_install_scoped(struct gf_dp *dp, const struct gf_table *t4, const struct gf_table *t6,
			 const struct gf_policy *rows, int nrows, const struct gf_scope_sel *sel, int nsel);
__u32 gf_dp_active_gen(const struct gf_dp *dp);
__u64 gf_dp_flips(const struct gf_dp *dp);
/*
 * At most this many payload samples per CPU and second (0: no limit), in
 * windows of 2^GF_SAMPLE_WINDOW_SHIFT ns; past it a picked packet's sample
 * is skipped (reason sample_capped).  Takes effect at once.
 */
void gf_dp_set_sample_budget(struct gf_dp *dp, __u32 per_cpu_second);
__u32 gf_dp_sample_budget(const struct gf_dp *dp);	/* per window */
/* New gf_flows entries per CPU and second (0: no limit); past it they are skipped and counted. */
void gf_dp_set_flow_budget(struct gf_dp *dp, __u32 per_cpu_second);
/* Kernel memory of the maps (both generations, per-CPU counters on every CPU). */
size_t gf_dp_map_bytes(const struct gf_dp *dp);
/* The flow table (gf_flows): its entries, its bytes as the kernel charges them, its fd. */
__u32 gf_dp_flows_capacity(const struct gf_dp *dp);
size_t gf_dp_flows_bytes(const struct gf_dp *dp);
int gf_dp_flows_fd(const struct gf_dp *dp);
/* The ring of new flows that are not passed (struct gf_flow_event). */
int gf_dp_flow_events_fd(const struct gf_dp *dp);
void gf_dp_capacity(const struct gf_dp *dp, __u32 *node4, __u32 *node6);

/*
 * The live tables and policy of the active generation, as the datapath
 * reads them (for lookups against a running datapath).
 */
__u16 gf_dp_classify(const struct gf_dp *dp, int family, gf_u128 addr);
const struct gf_policy *gf_dp_policy(const struct gf_dp *dp, __u16 cls);
/* The same for a scope's policy row. */
__u16 gf_dp_classify_scope(const struct gf_dp *dp, unsigned scope, int family, gf_u128 addr);
const struct gf_policy *gf_dp_policy_scope(const struct gf_dp *dp, unsigned scope, __u16 cls);
/*
 * The scope the datapath gives a packet from src (arriving on ifindex with
 * outer VLAN id vlan; 0 for none), from the live selectors: 0 = default.
 */
unsigned gf_dp_scope_of(const struct gf_dp *dp, int family, gf_u128 src, __u32 ifindex, __u32 vlan);

/* Sums over CPUs.  out: GF_NUM_CLASSES / GF_REASON_MAX entries. */
int gf_dp_class_stats(struct gf_dp *dp, int hook, struct gf_class_counters *out);
int gf_dp_reason_stats(struct gf_dp *dp, int hook, struct gf_counter *out);
/*
 * The named scopes' counters (gf_scope_stats, summed over CPUs): fn once per
 * (hook, scope, class) that traffic used.  gf_dp_class_stats counts every
 * scope's traffic; the default scope's share is the difference.
 */
typedef void (*gf_scope_stat_fn)(void *ctx, int hook, int scope, int cls, const struct gf_class_counters *c);
int gf_dp_scope_stats_each(struct gf_dp *dp, gf_scope_stat_fn fn, void *ctx);
/* Scope ids (bit s of mask) that no longer name the same scope: their counters go. */
int gf_dp_scope_forget(struct gf_dp *dp, __u32 mask);
/* One class's counters (summed over CPUs). */
int gf_dp_class_counter(struct gf_dp *dp, int hook, __u16 cls, struct gf_class_counters *out);

/* Redirect slot -> interface (XDP devmap).  ifindex 0 clears the slot. */
int gf_dp_set_redirect(struct gf_dp *dp, __u32 slot, __u32 ifindex);

/*
 * Attach XDP through libxdp (its multi-program dispatcher when the kernel
 * allows it, else libxdp's single-program fallback).  If geofence's XDP
 * program is attached already (a previous agent), the same code is
 * adopted as it is, and other code is replaced atomically: no gap.
 * *how gets a description: "native/single", "generic/dispatcher"...
 * *adopted: 1 if the running program was kept.
 */
enum gf_xdp_mode { GF_XDP_AUTO, GF_XDP_NATIVE, GF_XDP_GENERIC };
int gf_dp_attach_xdp(struct gf_dp *dp, int ifindex, enum gf_xdp_mode mode, const char **how,
		     int *adopted);
/* Works on a pinned-only handle too. */
int gf_dp_detach_xdp(struct gf_dp *dp, int ifindex);
/*
 * What the kernel says, not what the agent remembers: 1 when this
 * datapath's XDP (tc egress) program is attached to ifindex, 0 when not (or
 * no such interface), -errno when it cannot tell.
 */
int gf_dp_xdp_attached(struct gf_dp *dp, int ifindex);
int gf_dp_tc_attached(struct gf_dp *dp, int ifindex);
/*
 * A device stacked on an XDP interface (a VLAN on the bond): what the
 * kernel delivers through it arrived through XDP, and tc egress must not
 * count it again.  0 or -errno.
 */
int gf_dp_mark_xdp_upper(struct gf_dp *dp, int ifindex);
/* An interface that is gone: its ifindex leaves the set tc skips. */
void gf_dp_forget_ifindex(struct gf_dp *dp, int ifindex);
/* tc clsact egress, adopted or replaced the same way; l3 = no link-layer header. */
int gf_dp_attach_tc(struct gf_dp *dp, int ifindex, int l3, int *adopted);
int gf_dp_detach_tc(struct gf_dp *dp, int ifindex);

/* fd of a program (gf_xdp, gf_tc, gf_tc_l3) or map, by name; -ENOENT */
int gf_dp_prog_fd(const struct gf_dp *dp, const char *name);
int gf_dp_map_fd(const struct gf_dp *dp, const char *name);

/*
 * The agent's lock on pin_dir (flock): one agent per datapath.  Returns a
 * descriptor to keep open, -EBUSY if another process holds it.
 */
int gf_dp_lock(const char *pin_dir);

/* Policy helpers: every class gets act; reserved passes. */
/* The ring buffer of payload samples (struct gf_sample), for ring_buffer__new(). */
int gf_dp_samples_fd(const struct gf_dp *dp);

void gf_policy_fill(struct gf_policy *policy, enum gf_action act);

#endif
