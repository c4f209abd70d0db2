/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow table (gf_flows) as IPFIX records: what each record carries and
 * when (docs/ipfix.md, "What a record carries, and when").  The table
 * holds each flow's totals since its first packet; a pass reads it whole
 * and, per flow, sends the difference from what the records so far carried:
 * at the idle timeout (the entry then leaves the table), every active
 * timeout while the flow goes on, and for every flow when forced (a stop).
 * The agent's exporter thread runs a pass a second; gf_export_bench times one.
 */
#ifndef GF_EXPORT_H
#define GF_EXPORT_H

#include <stddef.h>
#include "gf_config.h"
#include "gf_flows.h"
#include "gf_ipfix.h"

enum { GF_EXPORT_IDLE, GF_EXPORT_ACTIVE, GF_EXPORT_FORCED, GF_EXPORT_REASONS };

struct gf_export {
	struct gf_ipfix *x[GF_MAX_COLLECTORS];	/* the caller's: opened and closed by it */
	int nx;
	__u64 active_ns, idle_ns;
	/* per flow, sorted as gf_flows_sort: packets and bytes carried, and this record's start */
	struct gf_flow *carried;
	size_t ncarried;
	unsigned long long records[GF_EXPORT_REASONS];	/* made, by reason */
	unsigned long long evicted;	/* flows the table evicted before their last record */
};

/*
 * One pass over the table behind fd at now_ns (CLOCK_MONOTONIC, the
 * datapath's clock); forced: every flow ends.  The records go to every
 * collector and are flushed.  0, or -errno when the table cannot be read.
 */
int gf_export_pass(struct gf_export *e, int fd, __u64 now_ns, int forced);
/* Forget what was carried (export off): the next pass sends flows from their start. */
void gf_export_forget(struct gf_export *e);

#endif
