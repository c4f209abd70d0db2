// SPDX-License-Identifier: GPL-2.0
/*
 * guard: the boot guard (geofence-guard.service), by hand.
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
 * guard: the boot guard (geofence-guard.service), by hand
 */
static struct {
	const char *netns;
	int all, classes;
} opt;

static int run_guard(int argc, char **argv)
{
	const char *netns = opt.netns, *what;
	unsigned long long dropped = 0;
	char err[512], path[PATH_MAX + 16];
	int ret = 0, classes = opt.classes ? 1 : opt.all ? 0 : -1;

	if (argc > 1 || (opt.all && opt.classes)) {
		fprintf(stderr, "geofence guard: one of up, down, status; --all or --classes (geofence guard "
				"--help)\n");
		return EXIT_USAGE;
	}
	resolve_paths();
	if (classes < 0)
		classes = G.guard_classes;
	snprintf(path, sizeof(path), "%s/%s", G.state_dir, GF_GUARD_FILE);
	what = argc ? argv[0] : "status";
	if (netns && gf_netns_enter(netns)) {
		fprintf(stderr, "geofence guard: cannot enter network namespace %s\n", netns);
		return EXIT_SYSTEM;
	}
	if (!strcmp(what, "up") && classes) {
		ret = gf_guard_up_file(path, err, sizeof(err));
		if (ret) {
			/* fail closed: without the last policy's list, nothing is forwarded */
			fprintf(stderr, "geofence guard up: classes mode: %s: the full guard instead\n", err);
			ret = gf_guard_up(err, sizeof(err));
		}
	} else if (!strcmp(what, "up"))
		ret = gf_guard_up(err, sizeof(err));
	else if (!strcmp(what, "down"))
		ret = gf_guard_down(err, sizeof(err));
	else if (strcmp(what, "status")) {
		fprintf(stderr, "geofence guard: up, down or status\n");
		return EXIT_USAGE;
	}
	if (ret) {
		fprintf(stderr, "geofence guard %s: %s (needs root: CAP_NET_ADMIN)\n", what, err);
		return EXIT_SYSTEM;
	}
	ret = gf_guard_state(&dropped, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "geofence guard: %s\n", err);
		return EXIT_SYSTEM;
	}
	if (G.json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "up", json_object_new_boolean(ret));
		json_object_object_add(o, "mode", ret ? json_object_new_string(ret == GF_GUARD_CLASSES ?
									     "classes" : "all") : NULL);
		json_object_object_add(o, "dropped", json_object_new_int64(dropped));
		cli_json_document(o);
		json_object_put(o);
	} else if (ret)
		printf("boot guard: UP: %s (%llu packets dropped) until geofenced enforces and lifts it\n",
		       guard_what(ret), dropped);
	else
		printf("boot guard: down\n");
	return 0;
}

static const struct cli_opt guard_opts[] = {
	{ "all", CLI_FLAG, &opt.all, .help = "up: forward nothing (guard.mode = \"all\")" },
	{ "classes", CLI_FLAG, &opt.classes,
	  .help = "up: drop only what the last policy dropped (state.dir/guard.nft)" },
	{ "netns", CLI_STR, &opt.netns, "NAME", .help = "in network namespace NAME" },
	CLI_OPT_JSON(&G.json),
	CLI_OPT_END,
};

const struct cli_cmd cmd_guard = {
	.name = "guard",
	.args = "[up|down|status]",
	.help = "the boot guard: an nftables table that forwards nothing until\n"
		"geofenced enforces (geofence-guard.service puts it up at boot, the\n"
		"agent lifts it); with guard.mode = \"classes\" (or --classes) it\n"
		"drops only what the last installed policy dropped (state.dir/guard.nft)",
	.opts = guard_opts,
	.run = run_guard,
};
