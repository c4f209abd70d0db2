// SPDX-License-Identifier: GPL-2.0
/*
 * top: the internal hosts (or flows) sending most to each country, with
 * their rates over an interval, read from the datapath's flow table.  The
 * table holds what the policy records: every action but pass, and passed
 * traffic to the countries flows.countries lists.  --names: top_names.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "gf_datapath.h"
#include "gf_flows.h"
#include "gf_names.h"
#include "gf_ranges.h"
#include "cli.h"

static struct {
	const char *country, *verdict, *by;
	long long top;
	double interval;
	int watch, names;
} opt = { .by = "source", .top = 20, .interval = 1.0 };

/* A row: one source (its flows summed) or one flow, with what it sent in the interval. */
struct row {
	struct gf_flow_key k;	/* by source: only src, family, cls, verdict, hook are kept */
	__u64 packets, bytes, d_packets, d_bytes;
	__u64 first_ns, last_ns;
	unsigned int flows;
};

struct top {
	struct gf_flow *then, *now;
	size_t nthen, nnow;
	struct row *rows;
	size_t n;
};

static int by_source(void)
{
	return !strcmp(opt.by, "source");
}

/* The filters: --country, --verdict. */
static int wanted(const struct gf_flow_key *k, int cls_want, int verdict_want)
{
	return (cls_want < 0 || k->cls == cls_want) && (verdict_want < 0 || k->verdict == verdict_want);
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->d_bytes != y->d_bytes)
		return x->d_bytes < y->d_bytes ? 1 : -1;
	return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 : 0;
}

static int group_cmp(const void *a, const void *b)
{
	return memcmp(&((const struct row *)a)->k, &((const struct row *)b)->k, sizeof(struct gf_flow_key));
}

/* now against then: one row per flow, or per source after summing its flows. */
static int top_collect(struct top *T, int cls_want, int verdict_want)
{
	size_t w = 0;

	free(T->rows);
	T->rows = calloc(T->nnow ? T->nnow : 1, sizeof(*T->rows));
	if (!T->rows)
		return -ENOMEM;
	for (size_t i = 0; i < T->nnow; i++) {
		const struct gf_flow *f = &T->now[i], *p;
		struct row *r;

		if (!wanted(&f->k, cls_want, verdict_want))
			continue;
		p = gf_flows_find(T->then, T->nthen, &f->k);
		r = &T->rows[w++];
		r->k = f->k;
		if (by_source()) {
			memset(r->k.dst, 0, sizeof(r->k.dst));
			r->k.sport = r->k.dport = r->k.vlan = 0;
			r->k.ifindex = 0;
			r->k.l4_proto = 0;
		}
		r->packets = f->v.packets;
		r->bytes = f->v.bytes;
		/* a flow new in the interval (or evicted and back) counts whole */
		r->d_packets = f->v.packets - (p && p->v.packets <= f->v.packets ? p->v.packets : 0);
		r->d_bytes = f->v.bytes - (p && p->v.bytes <= f->v.bytes ? p->v.bytes : 0);
		r->first_ns = f->v.first_ns;
		r->last_ns = f->v.last_ns;
		r->flows = 1;
	}
	T->n = w;
	if (by_source() && w) {
		size_t o = 0;

		qsort(T->rows, w, sizeof(*T->rows), group_cmp);
		for (size_t i = 1; i < w; i++) {
			struct row *a = &T->rows[o], *b = &T->rows[i];

			if (!memcmp(&a->k, &b->k, sizeof(a->k))) {
				a->packets += b->packets;
				a->bytes += b->bytes;
				a->d_packets += b->d_packets;
				a->d_bytes += b->d_bytes;
				a->flows += b->flows;
				a->first_ns = b->first_ns < a->first_ns ? b->first_ns : a->first_ns;
				a->last_ns = b->last_ns > a->last_ns ? b->last_ns : a->last_ns;
			} else {
				T->rows[++o] = *b;
			}
		}
		T->n = o + 1;
	}
	qsort(T->rows, T->n, sizeof(*T->rows), row_cmp);
	return 0;
}

static const char *proto_name(int p, char *buf, size_t len)
{
	if (gf_flows_transport(p))
		return gf_flows_transport(p);
	snprintf(buf, len, "%d", p);
	return buf;
}

static json_object *row_json(const struct row *r)
{
	json_object *o = json_object_new_object();
	char a[INET6_ADDRSTRLEN], cls[32], pn[8];

	json_object_object_add(o, "country", json_object_new_string(gf_class_name(r->k.cls, cls, sizeof(cls))));
	json_object_object_add(o, "verdict", json_object_new_string(gf_verdict_name(r->k.verdict)));
	json_object_object_add(o, "hook", json_object_new_string(gf_hook_name(r->k.hook)));
	json_object_object_add(o, "source", json_object_new_string(gf_flows_addr(r->k.family, r->k.src, a, sizeof(a))));
	if (!by_source()) {
		json_object_object_add(o, "destination",
				       json_object_new_string(gf_flows_addr(r->k.family, r->k.dst, a, sizeof(a))));
		json_object_object_add(o, "protocol", json_object_new_string(proto_name(r->k.l4_proto, pn, sizeof(pn))));
		json_object_object_add(o, "source_port", json_object_new_int(r->k.sport));
		json_object_object_add(o, "destination_port", json_object_new_int(r->k.dport));
		json_object_object_add(o, "vlan", json_object_new_int(r->k.vlan));
		json_object_object_add(o, "ifindex", json_object_new_int64(r->k.ifindex));
	}
	json_object_object_add(o, "flows", json_object_new_int64(r->flows));
	json_object_object_add(o, "packets", json_object_new_int64(r->packets));
	json_object_object_add(o, "bytes", json_object_new_int64(r->bytes));
	json_object_object_add(o, "pps", json_object_new_double(r->d_packets / opt.interval));
	json_object_object_add(o, "bps", json_object_new_double(r->d_bytes * 8 / opt.interval));
	json_object_object_add(o, "first_seen_ms", json_object_new_int64(gf_flows_wall_ms(r->first_ns)));
	json_object_object_add(o, "last_seen_ms", json_object_new_int64(gf_flows_wall_ms(r->last_ns)));
	return o;
}

static json_object *top_json(const struct top *T, struct gf_dp *dp)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();

	for (size_t i = 0; i < T->n && (long long)i < opt.top; i++)
		json_object_array_add(arr, row_json(&T->rows[i]));
	json_object_object_add(o, "by", json_object_new_string(opt.by));
	json_object_object_add(o, "interval_seconds", json_object_new_double(opt.interval));
	json_object_object_add(o, "flows_in_table", json_object_new_int64(T->nnow));
	json_object_object_add(o, "table_capacity", json_object_new_int64(gf_dp_flows_capacity(dp)));
	json_object_object_add(o, "rows_total", json_object_new_int64(T->n));
	json_object_object_add(o, "rows", arr);
	return o;
}

static const char *ago(__u64 mono_ns, char *buf, size_t len)
{
	struct timespec now;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &now);
	s = ((double)now.tv_sec * 1e9 + now.tv_nsec - (double)mono_ns) / 1e9;
	snprintf(buf, len, s < 0.5 ? "now" : s < 120 ? "%.0fs ago" : s < 7200 ? "%.0fm ago" : "%.0fh ago",
		 s < 120 ? s : s < 7200 ? s / 60 : s / 3600);
	return buf;
}

static void top_text(const struct top *T, struct gf_dp *dp)
{
	char a[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], cls[32], pn[8], first[24], last[24];

	if (opt.watch)
		printf("\033[H\033[2J");
	printf("flows in the table: %zu of %u; by %s, rates over %.1f s\n", T->nnow, gf_dp_flows_capacity(dp),
	       opt.by, opt.interval);
	if (by_source())
		printf("%-8s %-8s %-4s %-39s %6s %12s %14s %10s %12s %-10s %-10s\n", "COUNTRY", "VERDICT", "HOOK",
		       "SOURCE", "FLOWS", "PACKETS", "BYTES", "PKT/S", "BIT/S", "FIRST", "LAST");
	else
		printf("%-8s %-8s %-4s %-39s %-39s %-5s %5s %12s %14s %10s %12s %-10s\n", "COUNTRY", "VERDICT",
		       "HOOK", "SOURCE", "DESTINATION", "PROTO", "DPORT", "PACKETS", "BYTES", "PKT/S", "BIT/S",
		       "LAST");
	for (size_t i = 0; i < T->n && (long long)i < opt.top; i++) {
		const struct row *r = &T->rows[i];

		gf_class_name(r->k.cls, cls, sizeof(cls));
		gf_flows_addr(r->k.family, r->k.src, a, sizeof(a));
		if (by_source())
			printf("%-8s %-8s %-4s %-39s %6u %12llu %14llu %10.1f %12.0f %-10s %-10s\n", cls,
			       gf_verdict_name(r->k.verdict), gf_hook_name(r->k.hook), a, r->flows,
			       (unsigned long long)r->packets, (unsigned long long)r->bytes, r->d_packets / opt.interval,
			       r->d_bytes * 8 / opt.interval, ago(r->first_ns, first, sizeof(first)),
			       ago(r->last_ns, last, sizeof(last)));
		else
			printf("%-8s %-8s %-4s %-39s %-39s %-5s %5u %12llu %14llu %10.1f %12.0f %-10s\n", cls,
			       gf_verdict_name(r->k.verdict), gf_hook_name(r->k.hook), a,
			       gf_flows_addr(r->k.family, r->k.dst, d, sizeof(d)),
			       proto_name(r->k.l4_proto, pn, sizeof(pn)), r->k.dport, (unsigned long long)r->packets,
			       (unsigned long long)r->bytes, r->d_packets / opt.interval, r->d_bytes * 8 / opt.interval,
			       ago(r->last_ns, last, sizeof(last)));
	}
	if ((long long)T->n > opt.top)
		printf("(%lld more; --top N)\n", (long long)T->n - opt.top);
	if (!T->n)
		printf("(nothing recorded%s: the table holds every action but pass, and passed traffic to "
		       "flows.countries)\n", opt.country || opt.verdict ? " that matches" : "");
	fflush(stdout);
}

static int read_now(struct gf_dp *dp, struct top *T)
{
	int err;

	free(T->then);
	T->then = T->now;
	T->nthen = T->nnow;
	T->now = NULL;
	err = gf_flows_read(gf_dp_flows_fd(dp), &T->now, &T->nnow);
	if (err) {
		fprintf(stderr, "geofence top: cannot read the flow table: %s\n", strerror(-err));
		return EXIT_SYSTEM;
	}
	gf_flows_sort(T->now, T->nnow);
	return 0;
}

static int run_top(int argc, char **argv)
{
	struct top T = { 0 };
	int cls = -1, verdict = -1, ret;
	struct gf_dp *dp;

	if (opt.country && (cls = gf_class_from_cc(opt.country)) < 0) {
		fprintf(stderr, "geofence top: --country: '%s' is not a two-letter country code\n", opt.country);
		return EXIT_USAGE;
	}
	if (opt.names)
		return top_names(opt.country, opt.top);
	if (opt.verdict)
		for (verdict = 0; verdict < GF_VERDICT_MAX && strcmp(gf_verdict_name(verdict), opt.verdict); verdict++)
			;
	resolve_paths();
	dp = open_pins("top");
	if (!dp)
		return EXIT_SYSTEM;
	ret = read_now(dp, &T);
	while (!ret) {
		usleep(opt.interval * 1e6);
		ret = read_now(dp, &T) ?: top_collect(&T, cls, verdict);
		if (ret)
			break;
		if (G.json)
			cli_json_interval(top_json(&T, dp), opt.watch);
		else
			top_text(&T, dp);
		if (!opt.watch)
			break;
	}
	free(T.then);
	free(T.now);
	free(T.rows);
	gf_dp_close(dp);
	return ret < 0 ? EXIT_SYSTEM : ret;
}

static const struct cli_opt top_opts[] = {
	CLI_OPT_JSON(&G.json),
	{ "country", CLI_STR, &opt.country, "CC", .help = "only traffic to this country" },
	{ "verdict", CLI_CHOICE, &opt.verdict, "VERDICT", .choices = "pass|drop|redirect|monitor",
	  .help = "only traffic with this verdict" },
	{ "by", CLI_CHOICE, &opt.by, "WHAT", .choices = "source|flow",
	  .help = "a row per internal source (default) or per flow" },
	{ "top", CLI_INT, &opt.top, "N", 1, 100000, .help = "the N busiest rows (default 20)" },
	{ "interval", CLI_DOUBLE, &opt.interval, "SECONDS", 0.001, 3600,
	  .help = "the rates over this long (default 1)" },
	{ "watch", CLI_FLAG, &opt.watch, .help = "again every interval, until interrupted" },
	{ "names", CLI_FLAG, &opt.names,
	  .help = "the services contacted per country (server names, HTTP hosts), from the payload samples" },
	CLI_OPT_END,
};

const struct cli_cmd cmd_top = {
	.name = "top",
	.help = "the internal hosts (or flows) sending most to each country, and their rates:\n"
		"what the datapath records (every action but pass, and flows.countries)",
	.opts = top_opts,
	.run = run_top,
};
