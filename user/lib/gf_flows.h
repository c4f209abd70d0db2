/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The datapath's flow table (gf_flows, maps/geofence.h) read from
 * userspace: every entry in one pass, and the table's monotonic times as
 * wall-clock times.  For `geofence top`, the agent's flow export and its
 * SIEM events.
 */
#ifndef GF_FLOWS_H
#define GF_FLOWS_H

#include <stddef.h>
#include <time.h>
#include "geofence.h"

struct gf_flow {
	struct gf_flow_key k;
	struct gf_flow_val v;
};

/*
 * Every entry of the table behind fd (batched reads; entries the
 * datapath adds or evicts meanwhile may be in or out).  *out is the
 * caller's to free.  0 or -errno.
 */
int gf_flows_read(int fd, struct gf_flow **out, size_t *n);

/* The entry of k in a table sorted by gf_flows_sort (the order of gf_flows_cmp), or NULL. */
void gf_flows_sort(struct gf_flow *f, size_t n);
int gf_flows_cmp(const struct gf_flow_key *a, const struct gf_flow_key *b);
const struct gf_flow *gf_flows_find(const struct gf_flow *f, size_t n, const struct gf_flow_key *k);

/* bpf_ktime_get_coarse_ns() as milliseconds since the epoch. */
long long gf_flows_wall_ms(__u64 mono_ns);

/*
 * A new flow's event (gf_flow_events) as one line of JSON with the field
 * names of the Elastic Common Schema, for a SIEM: @timestamp, event.*,
 * source.ip/port, destination.ip/port, destination.geo.country_iso_code,
 * network.transport/type, network.vlan.id, observer.ingress (XDP) or
 * egress (tc) interface name.  ifname: the interface's name, or NULL.
 * Returns the line (caller frees), or NULL on no memory.
 */
char *gf_flow_event_ecs(const struct gf_flow_event *e, const char *ifname, const char *hostname);

/* An IP protocol's name as ECS and the CLI write it ("tcp", "udp", "icmp", "ipv6-icmp", "sctp"), or NULL. */
const char *gf_flows_transport(int proto);

/* An address of a key ("10.1.2.3", "fd00::7") into buf (INET6_ADDRSTRLEN). */
const char *gf_flows_addr(int family, const __u32 *a, char *buf, size_t len);

#endif
