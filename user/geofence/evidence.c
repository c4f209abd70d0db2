// SPDX-License-Identifier: GPL-2.0
/*
 * evidence report: this gateway's day files, or the fleet's rows in
 * PostgreSQL, as the compliance report.
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
 * evidence report: this gateway's day files, or the fleet's rows
 */
static struct {
	const char *db, *since, *until, *dir, *format;
} opt;

static int run_evidence_report(int argc, char **argv)
{
	const char *db = opt.db, *since_s = opt.since, *until_s = opt.until, *dir = opt.dir;
	struct gf_report r = { .format = G.json ? GF_REPORT_JSON : GF_REPORT_TABLE };
	struct gf_sampling cfg;
	struct gf_evpg_fleet fl = { 0 };
	struct gf_ev_cell **cells = NULL;
	struct gf_ev_summary *sum;
	char state_dir[PATH_MAX], evdir[PATH_MAX + 16], err[1024] = "", left[512] = "", *skipped = NULL;
	size_t ncells = 0;
	uint64_t fp = 0;
	int n, ret;

	if (opt.format)
		r.format = !strcmp(opt.format, "csv") ? GF_REPORT_CSV :
			   !strcmp(opt.format, "json") ? GF_REPORT_JSON : GF_REPORT_TABLE;
	/* the thresholds, window and state.dir of the agent's configuration */
	if (gf_config_sampling(G.config, &cfg, state_dir, sizeof(state_dir), err, sizeof(err))) {
		fprintf(stderr, "geofence evidence report: %s\n", err);
		return EXIT_INPUT;
	}
	r.until = until_s ? gf_ev_day_parse(until_s) : gf_ev_day_of(time(NULL));
	r.since = since_s ? gf_ev_day_parse(since_s) : r.until - (int32_t)cfg.window_days + 1;
	if (r.until == INT32_MIN || r.since == INT32_MIN || r.since > r.until) {
		fprintf(stderr, "geofence evidence report: --since and --until are dates, YYYY-MM-DD, "
				"the first not after the second\n");
		return EXIT_USAGE;
	}
	r.cfg = &cfg;
	if (db) {
		ret = gf_evpg_fetch(db, r.since, r.until, &fl, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "geofence evidence report: %s\n", err);
			return EXIT_SYSTEM;
		}
		cells = fl.cells;
		ncells = fl.ncells;
		fp = fl.fingerprint;
		r.source = "postgres";
		r.gateways = (const char *const *)fl.gateways;
		r.ngateways = fl.ngateways;
		r.samples_skipped = fl.samples_skipped;
		if (fl.other_key_rows)
			snprintf(left, sizeof(left), "%zu rows of gateways made with another hash key (%s): "
				 "sketches of different keys never merge; give every gateway the same "
				 "sampling.key", fl.other_key_rows, fl.other_key_gateways);
	} else {
		snprintf(evdir, sizeof(evdir), "%s/%s", dir ? dir : state_dir, GF_EV_DIR);
		ret = gf_ev_read_dir(evdir, r.since, r.until, &cells, &ncells, &fp, &skipped,
				     &r.samples_skipped, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "geofence evidence report: %s%s\n", err,
				ret == -EACCES ? " (the evidence is root's, or state.group's: run as root)" :
				ret == -ENOENT ? " (no evidence yet: the agent writes it there once it has "
						 "counted a value; another state.dir: --config or --dir)" : "");
			free(skipped);
			return EXIT_SYSTEM;
		}
		r.source = evdir;
		if (skipped && skipped[0])
			snprintf(left, sizeof(left), "%s", skipped);
	}
	r.fingerprint = fp;
	r.left_out = left;
	n = gf_ev_summarize(cells, ncells, r.since, r.until, &sum);
	if (n < 0) {
		fprintf(stderr, "geofence evidence report: out of memory\n");
		ret = EXIT_SYSTEM;
	} else {
		gf_report_print(stdout, sum, n, &r);
		free(sum);
		ret = left[0] ? EXIT_INPUT : 0;
	}
	if (db)
		gf_evpg_fleet_free(&fl);
	else
		gf_ev_cells_free(cells, ncells);
	free(skipped);
	return ret;
}

static const struct cli_opt report_opts[] = {
	{ "db", CLI_STR, &opt.db, "CONNINFO", .help = "the fleet's evidence in PostgreSQL (libpq conninfo)" },
	{ "since", CLI_STR, &opt.since, "DATE", .help = "the first day (UTC, YYYY-MM-DD)" },
	{ "until", CLI_STR, &opt.until, "DATE", .help = "the last day (default today)" },
	{ "format", CLI_CHOICE, &opt.format, .choices = "table|json|csv", .help = "the report's format" },
	{ "dir", CLI_STR, &opt.dir, "STATE_DIR", .help = "this gateway's evidence elsewhere than state.dir" },
	CLI_OPT_JSON(&G.json),
	CLI_OPT_END,
};

const struct cli_cmd cmd_evidence_report = {
	.name = "evidence report",
	.help = "the compliance report: per category and destination over the days\n"
		"(UTC, default the 365 up to today), the lower bound, point estimate\n"
		"and upper bound of distinct US persons (devices, for geolocation), the\n"
		"threshold, first and last seen, gateways, days, sample rates: this\n"
		"gateway's evidence (state.dir), or with --db the fleet's in PostgreSQL",
	.opts = report_opts,
	.run = run_evidence_report,
};
