/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct gf_dp between the datapath library's files: gf_datapath.c opens,
 * pins, adopts and migrates the maps; gf_dp_tables.c reads and writes
 * them (tables, policy, counters); gf_dp_attach.c puts the programs on
 * interfaces.  gf_datapath.h is the API.
 */
#ifndef GF_DP_IMPL_H
#define GF_DP_IMPL_H

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "geofence.h"	/* before the skeleton: it names struct gf_state */
#include "geofence.skel.h"
#include "gf_datapath.h"

/* The maps, by the name they are pinned under. */
enum {
	M_STATE, M_POLICY, M_TOP4, M_NODE4, M_TOP6, M_NODE6, M_REDIRECT, M_XDP_IFACES,
	M_CLASS_STATS, M_REASON_STATS, M_SAMPLES, M_FLOWS, M_FLOW_EVENTS, M_SCOPE4, M_SCOPE6,
	M_SCOPE_VLAN, M_SCOPE_IFACE, M_SCOPE_STATS, M_SCOPE_PRE4, M_SCOPE_IFIDX, M_COUNT
};

struct gf_dp {
	struct geofence_bpf *skel;	/* NULL: a running datapath's pins only */
	int fd[M_COUNT];
	__u32 value_size[M_COUNT], max_entries[M_COUNT], type[M_COUNT];
	__u32 node4_cap, node6_cap, flows_cap;
	int ncpus;
	struct gf_state *state;
	struct gf_policy *policy;
	__u32 *top4, *top6;	/* flat: the lines are contiguous */
	struct gf_node4 *node4;
	struct gf_node6 *node6;
	struct {
		void *addr;
		size_t len;
	} maps[M_COUNT];
	int nmaps;
	struct xdp_program *xdp_prog;	/* libxdp's instance, for attaching */
	int xdp_memfd;
	/* an upgrade across layouts: the previous maps, moved aside */
	char pins[4096];
	int migrating, leftover, prev_layout;
	char migrate_why[256];
	size_t map_bytes;	/* gf_dp_map_bytes, once known */
};

/* How each map is pinned, by the enum above. */
extern const char *const gf_dp_pin_names[M_COUNT];

#endif
