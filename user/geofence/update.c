// SPDX-License-Identifier: GPL-2.0
/*
 * update: fresh GeoIP data from update.url, checked, then in place.
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
 * update: fresh GeoIP data from update.url, checked, then in place
 */
static int ifconf;

static int run_update(int argc, char **argv)
{
	struct gf_config *c = calloc(1, sizeof(*c));
	struct gf_update_result r;
	struct gf_agent_state st;
	char err[2048], day[32];
	int ret;

	if (!c || gf_config_load(G.config, c, err, sizeof(err))) {
		fprintf(stderr, "geofence update: %s\n", c ? err : "out of memory");
		free(c);
		return EXIT_INPUT;
	}
	if (!c->upd_url[0]) {
		/* the timer runs us with --if-configured: nothing to do is not an error */
		fprintf(ifconf ? stdout : stderr, "geofence update: not configured (set update.url and "
			"update.path in %s)\n", G.config);
		gf_config_free(c);
		free(c);
		return ifconf ? 0 : EXIT_USAGE;
	}
	gf_agent_state_read(c->run_dir, &st, err, sizeof(err));
	ret = gf_update_run(c, &st, &r, err, sizeof(err));
	gf_agent_state_free(&st);
	if (ret) {
		fprintf(stderr, "geofence update: %s; %s is unchanged\n", err, c->upd_path);
		gf_config_free(c);
		free(c);
		return ret == -EBADMSG ? EXIT_INPUT : EXIT_SYSTEM;
	}
	{
		time_t t = r.build_epoch;
		struct tm tm;

		if (!gmtime_r(&t, &tm) || !strftime(day, sizeof(day), "%Y-%m-%d", &tm))
			snprintf(day, sizeof(day), "?");
	}
	if (G.json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "path", json_object_new_string(c->upd_path));
		json_object_object_add(o, "sha256", json_object_new_string(r.sha256));
		json_object_object_add(o, "bytes", json_object_new_int64(r.bytes));
		json_object_object_add(o, "downloaded", json_object_new_int64(r.downloaded));
		json_object_object_add(o, "build_epoch", json_object_new_int64(r.build_epoch));
		json_object_object_add(o, "networks", json_object_new_int64(r.networks));
		json_object_object_add(o, "seconds", json_object_new_double(r.seconds));
		json_object_object_add(o, "note", json_object_new_string(r.note));
		cli_json_document(o);
		json_object_put(o);
	} else {
		printf("updated %s: data of %s, %llu networks, %lld bytes (%lld downloaded), sha256 %.16s, "
		       "%.1f s; the agent reloads it%s%s\n", c->upd_path, day, (unsigned long long)r.networks,
		       r.bytes, r.downloaded, r.sha256, r.seconds, r.note[0] ? "; " : "", r.note);
	}
	gf_config_free(c);
	free(c);
	return 0;
}

static const struct cli_opt update_opts[] = {
	CLI_OPT_JSON(&G.json),
	{ "if-configured", CLI_FLAG, &ifconf,
	  .help = "nothing to do (update.url unset) is not an error: for the timer" },
	CLI_OPT_END,
};

const struct cli_cmd cmd_update = {
	.name = "update",
	.help = "fetch fresh GeoIP data from update.url (HTTPS), check its SHA-256,\n"
		"validate it as a reload would (it loads, passes the data sanity\n"
		"check, is not older), and rename it over update.path",
	.opts = update_opts,
	.run = run_update,
};
