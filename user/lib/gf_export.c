// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include "gf_export.h"

/* One record of f (its totals now) past what c says went out, to every collector. */
static void record(struct gf_export *e, const struct gf_flow *f, const struct gf_flow *c, int reason)
{
	static const __u8 end[] = { GF_IPFIX_END_IDLE, GF_IPFIX_END_ACTIVE, GF_IPFIX_END_FORCED };
	struct gf_ipfix_rec r = {
		.key = f->k,
		.packets = f->v.packets - c->v.packets,
		.bytes = f->v.bytes - c->v.bytes,
		.start_ms = gf_flows_wall_ms(c->v.first_ns),
		.end_ms = gf_flows_wall_ms(f->v.last_ns),
		.end_reason = end[reason],
	};

	if (!r.packets)
		return;
	for (int i = 0; i < e->nx; i++)
		gf_ipfix_add(e->x[i], &r);
	e->records[reason]++;
}

/*
 * What the records so far carried of f (c: its entry in carried, or NULL):
 * nothing for a flow new to the exporter.
 */
static struct gf_flow carried_of(struct gf_export *e, const struct gf_flow *f, const struct gf_flow *c)
{
	struct gf_flow b = { .k = f->k, .v = { .first_ns = f->v.first_ns } };

	if (c) {
		b.v = c->v;
		if (f->v.packets < c->v.packets) {
			/* evicted and back since the last read: what it had since its record is gone */
			e->evicted++;
			b.v = (struct gf_flow_val){ .first_ns = f->v.first_ns };
		}
	}
	return b;
}

int gf_export_pass(struct gf_export *e, int fd, __u64 now, int forced)
{
	struct gf_flow *cur = NULL, *next;
	size_t n = 0, nn = 0, j = 0;
	int ret = gf_flows_read(fd, &cur, &n);

	if (ret)
		return ret;
	gf_flows_sort(cur, n);
	next = malloc((n ? n : 1) * sizeof(*next));
	if (!next) {
		free(cur);
		return -ENOMEM;
	}
	/* both sorted: one walk pairs each flow with what was carried of it */
	for (size_t i = 0; i < n; i++) {
		struct gf_flow *f = &cur[i], b;
		struct gf_flow_val last;
		int c = 1;

		/* carried flows before this one are gone from the table without ending: evicted */
		while (j < e->ncarried && (c = gf_flows_cmp(&e->carried[j].k, &f->k)) < 0) {
			e->evicted++;
			j++;
		}
		b = carried_of(e, f, c == 0 ? &e->carried[j++] : NULL);
		if (forced || (now > f->v.last_ns && now - f->v.last_ns >= e->idle_ns)) {
			/* out of the table, with what came since the read */
			if (!bpf_map_lookup_and_delete_elem(fd, &f->k, &last) && last.packets >= f->v.packets)
				f->v = last;
			record(e, f, &b, forced ? GF_EXPORT_FORCED : GF_EXPORT_IDLE);
			continue;	/* gone from the table, and from carried */
		}
		/* now may predate the read: a flow that began after it is not due */
		if (now > b.v.first_ns && now - b.v.first_ns >= e->active_ns && f->v.packets > b.v.packets) {
			record(e, f, &b, GF_EXPORT_ACTIVE);
			b.v = f->v;
			b.v.first_ns = f->v.last_ns;
		}
		next[nn++] = b;
	}
	e->evicted += e->ncarried - j;	/* past the last flow read */
	for (int i = 0; i < e->nx; i++)
		gf_ipfix_flush(e->x[i]);
	free(e->carried);
	e->carried = next;
	e->ncarried = nn;
	free(cur);
	return 0;
}

void gf_export_forget(struct gf_export *e)
{
	free(e->carried);
	e->carried = NULL;
	e->ncarried = 0;
}
