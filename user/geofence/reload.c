// SPDX-License-Identifier: GPL-2.0
/*
 * reload: signal the agent and wait for the outcome it writes to
 * state.json: applied, applied with errors or rejected.
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
 * reload
 */
static double reload_timeout = 60;

static int run_reload(int argc, char **argv)
{
	double timeout = reload_timeout, waited = 0;
	struct gf_agent_state st;
	const struct gf_st_reload_last *last = &st.reload.last;
	char why[256];
	long long before;
	pid_t pid;
	int res;

	resolve_paths();
	gf_agent_state_read(G.run_dir, &st, why, sizeof(why));
	pid = agent_pid(&st);
	before = st.reload.count;
	gf_agent_state_free(&st);
	if (!pid && G.config_err[0]) {
		/* the agent reads the same file: it rejects it too */
		fprintf(stderr, "reload rejected: %s; a running agent rejects it too and keeps its generation: fix the "
				"file, then reload again\n", G.config_err);
		return EXIT_REJECTED;
	}
	if (!pid) {
		fprintf(stderr, "geofence: no geofenced running (state %s/%s): start it, e.g. "
				"systemctl start geofenced\n", G.run_dir, GF_STATE_FILE);
		return EXIT_SYSTEM;
	}
	if (kill(pid, SIGHUP)) {
		fprintf(stderr, "geofence: cannot signal geofenced (pid %d): %s\n", pid, strerror(errno));
		return EXIT_SYSTEM;
	}
	/* the agent rewrites state.json when the reload is done */
	for (;;) {
		if (!gf_agent_state_read(G.run_dir, &st, why, sizeof(why)) && st.reload.count > before)
			break;
		gf_agent_state_free(&st);
		if (kill(pid, 0)) {
			fprintf(stderr, "geofence: geofenced (pid %d) exited during the reload\n", pid);
			return EXIT_SYSTEM;
		}
		if (waited >= timeout) {
			fprintf(stderr, "geofence: no reload result after %.0f s\n", timeout);
			return EXIT_SYSTEM;
		}
		usleep(50000);
		waited += 0.05;
	}
	res = gf_reload_result_parse(last->result);
	if (G.json) {
		json_object *o = gf_schema_to_json(&gf_st_reload_schema, &st.reload);

		cli_json_document(json_object_object_get(o, "last"));
		json_object_put(o);
	} else if (res == GF_RELOAD_APPLIED) {
		printf("reload applied: generation %lld, %.0f ms\n", last->generation, last->duration_ms);
	} else if (res == GF_RELOAD_APPLIED_WITH_ERRORS) {
		fprintf(stderr, "reload applied with errors: generation %lld is in force on every interface "
				"that took it; not on: %s (geofence status shows each interface)\n",
			last->generation, last->error ?: "?");
	} else {
		fprintf(stderr, "reload rejected, the running generation %lld stays: %s\n", last->generation,
			last->error ?: "?");
	}
	gf_agent_state_free(&st);
	return gf_reload_exit_code(res);
}

static const struct cli_opt reload_opts[] = {
	CLI_OPT_JSON(&G.json),
	{ "timeout", CLI_DOUBLE, &reload_timeout, "SECONDS", 0.1, 3600,
	  .help = "how long to wait for the outcome (default 60)" },
	CLI_OPT_END,
};

const struct cli_cmd cmd_reload = {
	.name = "reload",
	.help = "make the agent reload now and print the outcome: applied (exit 0),\n"
		"applied with errors (exit 5) or rejected (exit 4)",
	.opts = reload_opts,
	.run = run_reload,
};
