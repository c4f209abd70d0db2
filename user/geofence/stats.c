// SPDX-License-Identifier: GPL-2.0
/*
 * stats: packets and bytes per country and verdict, and their rates, read
 * from the per-CPU counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <libconfig.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gf_config.h"
#include "gf_dlp.h"
#include "gf_dlpstat.h"
#include "gf_evidence.h"
#include "gf_evpg.h"
#include "gf_report.h"
#include "gf_update.h"
#include "gf_guard.h"
#include "gf_ns.h"
#include "gf_datapath.h"
#include "gf_log.h"
#include "gf_names.h"
#include "gf_agent_state.h"
#include "gf_state.h"
#include "gf_text.h"
#include "gf_world.h"
#include "cli.h"

/* ---------------------------------------------------------------------
 * stats
 */
struct row {
	int cls, hook, verdict, scope;
	__u64 packets, bytes;
	double pps, bps;
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 : 0;
}

/* What one interval of `stats` reports: the rows by traffic, the reasons. */
/* Counters by hook, scope (0: the default's, what the named scopes did not count) and class. */
typedef struct gf_class_counters by_scope[GF_HOOK_MAX][GF_MAX_SCOPES][GF_NUM_CLASSES];

struct stats {
	by_scope a, b, raw;
	struct gf_class_counters tot[GF_HOOK_MAX][GF_NUM_CLASSES];
	struct row rows[GF_HOOK_MAX * GF_NUM_CLASSES * GF_VERDICT_MAX * 4];
	int n;
	struct gf_counter reasons[GF_HOOK_MAX][GF_REASON_MAX];
	char scope_name[GF_MAX_SCOPES][GF_SCOPE_NAME_LEN];	/* from state.json; [0] "default" */
	__u32 class_asn[GF_NUM_CLASSES];	/* AS classes (state.json): the AS, and its country's class */
	__u16 class_cc[GF_NUM_CLASSES];
};

/* A class as stats shows it: an AS class is its country, with the AS beside (asn, 0 for none). */
static const char *row_class(const struct stats *S, int cls, char *buf, size_t len, __u32 *asn)
{
	*asn = S->class_asn[cls];
	return gf_class_name(*asn ? S->class_cc[cls] : cls, buf, len);
}

static struct {
	long long top;
	double interval;
	int watch, reasons;
} opt = { .top = 20, .interval = 1.0 };


static void scoped(void *ctx, int hook, int scope, int cls, const struct gf_class_counters *c)
{
	struct stats *S = ctx;

	S->raw[hook][scope][cls] = *c;
}

/*
 * The counters now, by scope: a named scope's its own (gf_scope_stats),
 * the default's what is left of the class's (gf_class_stats counts all).
 * Scopes the running agent does not name stay out of both.
 */
static void read_scoped(struct gf_dp *dp, struct stats *S, by_scope out)
{
	memset(S->raw, 0, sizeof(S->raw));
	for (int h = 0; h < GF_HOOK_MAX; h++)
		gf_dp_class_stats(dp, h, S->tot[h]);
	gf_dp_scope_stats_each(dp, scoped, S);
	for (int h = 0; h < GF_HOOK_MAX; h++)
		for (int c = 0; c < GF_NUM_CLASSES; c++) {
			struct gf_class_counters d = S->tot[h][c];

			for (int s = 1; s < (int)GF_MAX_SCOPES; s++) {
				for (int v = 0; v < GF_VERDICT_MAX; v++) {
					d.v[v].packets -= S->raw[h][s][c].v[v].packets < d.v[v].packets ?
							  S->raw[h][s][c].v[v].packets : d.v[v].packets;
					d.v[v].bytes -= S->raw[h][s][c].v[v].bytes < d.v[v].bytes ?
							S->raw[h][s][c].v[v].bytes : d.v[v].bytes;
				}
				out[h][s][c] = S->scope_name[s][0] ? S->raw[h][s][c] : (struct gf_class_counters){ 0 };
			}
			out[h][0][c] = d;
		}
}

/* One interval: the counters now (b) against the last read (a), sorted by traffic. */
static void stats_collect(struct gf_dp *dp, struct stats *S)
{
	double iv = opt.interval;

	S->n = 0;
	read_scoped(dp, S, S->b);
	for (int h = 0; h < GF_HOOK_MAX; h++)
		gf_dp_reason_stats(dp, h, S->reasons[h]);
	for (int h = 0; h < GF_HOOK_MAX; h++)
		for (int s = 0; s < (int)GF_MAX_SCOPES; s++)
			for (int c = 0; c < GF_NUM_CLASSES; c++)
				for (int v = 0; v < GF_VERDICT_MAX; v++) {
					const struct gf_counter *now = &S->b[h][s][c].v[v], *then = &S->a[h][s][c].v[v];

					if (now->packets && S->n < (int)(sizeof(S->rows) / sizeof(S->rows[0])))
						S->rows[S->n++] = (struct row){
							.cls = c, .hook = h, .verdict = v, .scope = s,
							.packets = now->packets, .bytes = now->bytes,
							.pps = (now->packets - then->packets) / iv,
							.bps = (now->bytes - then->bytes) * 8 / iv,
						};
				}
	qsort(S->rows, S->n, sizeof(*S->rows), row_cmp);
}

static json_object *stats_json(const struct stats *S, struct gf_dp *dp)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	char name[32];

	for (int i = 0; i < S->n; i++) {
		const struct row *w = &S->rows[i];
		json_object *r = json_object_new_object();
		__u32 asn;

		json_object_object_add(r, "class", json_object_new_string(row_class(S, w->cls, name, sizeof(name), &asn)));
		if (asn) {
			char as[16];

			snprintf(as, sizeof(as), "AS%u", asn);
			json_object_object_add(r, "as", json_object_new_string(as));
		}
		json_object_object_add(r, "class_id", json_object_new_int(w->cls));
		json_object_object_add(r, "hook", json_object_new_string(gf_hook_name(w->hook)));
		json_object_object_add(r, "scope", json_object_new_string(S->scope_name[w->scope]));
		json_object_object_add(r, "verdict", json_object_new_string(gf_verdict_name(w->verdict)));
		json_object_object_add(r, "packets", json_object_new_int64(w->packets));
		json_object_object_add(r, "bytes", json_object_new_int64(w->bytes));
		json_object_object_add(r, "pps", json_object_new_double(w->pps));
		json_object_object_add(r, "bps", json_object_new_double(w->bps));
		json_object_array_add(arr, r);
	}
	json_object_object_add(o, "generation", json_object_new_int64(gf_dp_flips(dp)));
	json_object_object_add(o, "interval_seconds", json_object_new_double(opt.interval));
	json_object_object_add(o, "classes", arr);
	arr = json_object_new_array();
	for (int h = 0; h < GF_HOOK_MAX; h++)
		for (int r = 0; r < GF_REASON_MAX; r++) {
			const struct gf_counter *c = &S->reasons[h][r];
			json_object *e;

			if (!c->packets)
				continue;
			e = json_object_new_object();
			json_object_object_add(e, "reason", json_object_new_string(gf_reason_name(r)));
			json_object_object_add(e, "hook", json_object_new_string(gf_hook_name(h)));
			json_object_object_add(e, "packets", json_object_new_int64(c->packets));
			json_object_object_add(e, "bytes", json_object_new_int64(c->bytes));
			json_object_array_add(arr, e);
		}
	json_object_object_add(o, "reasons", arr);
	return o;
}

static void stats_text(const struct stats *S)
{
	char name[32];

	if (opt.watch)
		printf("\033[H\033[2J");
	printf("%-12s %-4s %-12s %-8s %14s %16s %12s %14s\n", "CLASS", "HOOK", "SCOPE", "VERDICT", "PACKETS",
	       "BYTES", "PKT/S", "BIT/S");
	for (int i = 0; i < S->n && i < opt.top; i++) {
		const struct row *w = &S->rows[i];

		char shown[48];
		__u32 asn;

		row_class(S, w->cls, name, sizeof(name), &asn);
		if (asn)
			gf_as_class_name(asn, S->class_cc[w->cls], shown, sizeof(shown));
		else
			snprintf(shown, sizeof(shown), "%s", name);
		printf("%-12s %-4s %-12s %-8s %14llu %16llu %12.1f %14.0f\n", shown,
		       gf_hook_name(w->hook), S->scope_name[w->scope], gf_verdict_name(w->verdict),
		       (unsigned long long)w->packets,
		       (unsigned long long)w->bytes, w->pps, w->bps);
	}
	if (S->n > opt.top)
		printf("(%lld more; --top N)\n", S->n - opt.top);
	for (int h = 0; opt.reasons && h < GF_HOOK_MAX; h++)
		for (int r = 0; r < GF_REASON_MAX; r++)
			if (S->reasons[h][r].packets)
				printf("reason %-22s %-4s %14llu packets\n", gf_reason_name(r), gf_hook_name(h),
				       (unsigned long long)S->reasons[h][r].packets);
	fflush(stdout);
}

static int run_stats(int argc, char **argv)
{
	static struct stats S;
	struct gf_agent_state st = { 0 };
	struct gf_dp *dp;
	char why[256];

	resolve_paths();
	dp = open_pins("stats");
	if (!dp)
		return EXIT_SYSTEM;
	/* the scopes' names by id and the AS classes: what the running agent says */
	snprintf(S.scope_name[0], sizeof(S.scope_name[0]), "default");
	if (!gf_agent_state_read(G.run_dir, &st, why, sizeof(why))) {
		const char *names[GF_MAX_SCOPES];

		gf_agent_state_scope_names(&st, names);
		for (unsigned s = 1; s < GF_MAX_SCOPES; s++)
			if (names[s])
				snprintf(S.scope_name[s], sizeof(S.scope_name[0]), "%s", names[s]);
		gf_agent_state_as_classes(&st, S.class_asn, S.class_cc);
	}
	gf_agent_state_free(&st);
	read_scoped(dp, &S, S.a);
	do {
		usleep(opt.interval * 1e6);
		stats_collect(dp, &S);
		if (G.json)
			cli_json_interval(stats_json(&S, dp), opt.watch);
		else
			stats_text(&S);
		memcpy(S.a, S.b, sizeof(S.a));
	} while (opt.watch);
	gf_dp_close(dp);
	return 0;
}

static const struct cli_opt stats_opts[] = {
	CLI_OPT_JSON(&G.json),
	{ "top", CLI_INT, &opt.top, "N", 1, 100000, .help = "the N busiest rows (default 20)" },
	{ "interval", CLI_DOUBLE, &opt.interval, "SECONDS", 0.001, 3600,
	  .help = "the rates over this long (default 1)" },
	{ "watch", CLI_FLAG, &opt.watch, .help = "again every interval, until interrupted" },
	{ "reasons", CLI_FLAG, &opt.reasons, .help = "also the drop and skip reasons" },
	CLI_OPT_END,
};

const struct cli_cmd cmd_stats = {
	.name = "stats",
	.help = "packets and bytes per country and verdict, and their rates",
	.opts = stats_opts,
	.run = run_stats,
};
