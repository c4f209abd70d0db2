/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The datapath's maps.  Each hook (xdp.bpf.c, tc.bpf.c) includes this file
 * and the objects are linked into one (bpftool gen object).  The
 * definitions are __weak so that the static linker merges the identical
 * copies into a single map instead of refusing a duplicate symbol.
 */
#ifndef GF_MAPS_H
#define GF_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "geofence.h"

#define GF_MAP __weak SEC(".maps")

/*
 * The single index that flips between generations.  A global variable in
 * its own data section rather than a map: reading it is one load, where a
 * map lookup costs a stack spill and a bounds check on every packet
 * (measured: 1-3 ns per packet).  Userspace writes it through the
 * section's mmap.
 */
struct gf_state gf_state SEC(".data.state") __weak;

/* [gen][scope][class] -> action. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GF_GENERATIONS * GF_MAX_SCOPES * GF_NUM_CLASSES);
	__type(key, __u32);
	__type(value, struct gf_policy);
	__uint(map_flags, BPF_F_MMAPABLE);
} gf_policy GF_MAP;

/*
 * Tables.  Mmapable, so the builder writes the inactive generation in
 * place instead of through millions of update syscalls; mmapable arrays
 * also start page-aligned, which keeps every 64-byte node on one line.
 * The node maps' sizes are set by the loader before load.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GF_GENERATIONS * GF_TOP_LINES);
	__type(key, __u32);
	__type(value, struct gf_top_line);
	__uint(map_flags, BPF_F_MMAPABLE);
} gf_top4 GF_MAP;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GF_GENERATIONS * GF_V4_NODES_DEFAULT);
	__type(key, __u32);
	__type(value, struct gf_node4);
	__uint(map_flags, BPF_F_MMAPABLE);
} gf_node4 GF_MAP;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GF_GENERATIONS * GF_TOP_LINES);
	__type(key, __u32);
	__type(value, struct gf_top_line);
	__uint(map_flags, BPF_F_MMAPABLE);
} gf_top6 GF_MAP;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GF_GENERATIONS * GF_V6_NODES_DEFAULT);
	__type(key, __u32);
	__type(value, struct gf_node6);
	__uint(map_flags, BPF_F_MMAPABLE);
} gf_node6 GF_MAP;

/* Scopes' selectors (maps/geofence.h): source prefixes, VLAN ids, interfaces. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, GF_GENERATIONS * GF_SCOPE_PREFIXES);
	__type(key, struct gf_scope_key4);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} gf_scope4 GF_MAP;

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, GF_GENERATIONS * GF_SCOPE_PREFIXES);
	__type(key, struct gf_scope_key6);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} gf_scope6 GF_MAP;

/* [gen][line] of per-/16 bytes: skip, one scope, or look in gf_scope4 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GF_GENERATIONS * GF_SCOPE_PRE_LINES);
	__type(key, __u32);
	__type(value, struct gf_scope_line);
} gf_scope_pre4 GF_MAP;

/* [gen][ifindex < GF_SCOPE_IFIDX] -> scope (0: none) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GF_GENERATIONS * GF_SCOPE_IFIDX);
	__type(key, __u32);
	__type(value, __u32);
} gf_scope_ifidx GF_MAP;

/* [gen][vlan id] -> scope (0: none) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GF_GENERATIONS * GF_VLAN_IDS);
	__type(key, __u32);
	__type(value, __u32);
} gf_scope_vlan GF_MAP;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GF_GENERATIONS * GF_SCOPE_IFACES);
	__type(key, struct gf_scope_iface_key);
	__type(value, __u32);
} gf_scope_iface GF_MAP;

/* Redirect targets for the XDP hook (tc uses policy.redirect_ifindex). */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, GF_REDIRECT_SLOTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} gf_redirect GF_MAP;

/* Interfaces with the XDP hook: tc egress skips what they classified. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u32);
} gf_xdp_ifaces GF_MAP;

/* Counters: per CPU, no atomics.  [hook][class] and [hook][reason]. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GF_HOOK_MAX * GF_NUM_CLASSES);
	__type(key, __u32);
	__type(value, struct gf_class_counters);
} gf_class_stats GF_MAP;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GF_HOOK_MAX * GF_REASON_MAX);
	__type(key, __u32);
	__type(value, struct gf_counter);
} gf_reason_stats GF_MAP;

/* The named scopes' counters again, GF_SCOPE_STATS_KEY -> counters; entries made on first use. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, GF_SCOPE_STATS_MAX);
	__type(key, __u32);
	__type(value, struct gf_class_counters);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} gf_scope_stats GF_MAP;

/* Per-CPU random state for the 1-in-N sample test (xorshift64). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} gf_rng GF_MAP;

/* Per-CPU budgets (samples, new flows): a token bucket refilled per window (ns >> GF_SAMPLE_WINDOW_SHIFT). */
struct gf_budget {
	__u64 window;	/* the last window tokens were added for */
	__u32 tokens;
	__u32 skip;	/* picks to skip before the clock is read again */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gf_budget);
} gf_sbudget GF_MAP;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gf_budget);
} gf_fbudget GF_MAP;

/* Payload samples for the agent's scanner (struct gf_sample). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, GF_SAMPLE_RING);
} gf_samples GF_MAP;

/* Who sends what where (struct gf_flow_key -> struct gf_flow_val); sized by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, GF_FLOWS_DEFAULT);
	__type(key, struct gf_flow_key);
	__type(value, struct gf_flow_val);
} gf_flows GF_MAP;

/* New flows that are not passed, for the agent's SIEM events (struct gf_flow_event). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, GF_FLOW_EVENT_RING);
} gf_flow_events GF_MAP;

#endif /* GF_MAPS_H */
