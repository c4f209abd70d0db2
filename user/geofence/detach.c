// SPDX-License-Identifier: GPL-2.0
/*
 * detach: stop the agent and remove geofence from every interface, with
 * its pins.
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
 * detach
 */

static int run_detach(int argc, char **argv)
{
	json_object *out = json_object_new_array();
	struct gf_agent_state st;
	char why[256];
	int have_state;
	struct gf_dp *dp = NULL;
	const char *netns;
	pid_t pid;
	int lock, err = 0;

	resolve_paths();
	have_state = !gf_agent_state_read(G.run_dir, &st, why, sizeof(why));
	pid = agent_pid(&st);
	/* the agent first, so that it cannot re-attach: it has stopped when
	 * its lock on the pin directory is free */
	if (pid)
		kill(pid, SIGTERM);
	if (access(G.pin_dir, F_OK) && errno == ENOENT) {
		/* nothing pinned: nothing to lock, and nothing is created */
		lock = -ENOENT;
		for (int i = 0; pid && !kill(pid, 0) && i < 200; i++)
			usleep(50000);
	} else {
		lock = gf_dp_lock(G.pin_dir);
	}
	for (int i = 0; lock == -EBUSY && i < 200; i++) {
		usleep(50000);
		lock = gf_dp_lock(G.pin_dir);
	}
	if (lock == -EBUSY) {
		fprintf(stderr, "geofence: %s does not stop: another process holds %s\n",
			pid ? "geofenced" : "a process", G.pin_dir);
		gf_agent_state_free(&st);
		return EXIT_SYSTEM;
	}
	netns = st.netns;
	if (netns && gf_netns_enter(netns))
		fprintf(stderr, "geofence: cannot enter network namespace %s\n", netns);
	gf_dp_open_pinned(&dp, G.pin_dir);
	for (int i = 0; i < st.ninterfaces; i++) {
		const struct gf_st_iface *x = &st.interfaces[i];
		int r;

		if (!strcmp(x->hook ?: "", "xdp"))
			r = dp ? gf_dp_detach_xdp(dp, x->ifindex) : -ENOENT;
		else
			r = gf_dp_detach_tc(NULL, x->ifindex);
		if (r && !err)
			err = r;
		if (!G.json)
			printf("%s %s: %s\n", x->hook, x->name, r ? strerror(-r) : "detached");
		json_object_array_add(out, json_object_new_string(x->name ?: ""));
	}
	gf_netns_enter(NULL);
	gf_dp_close(dp);
	if (gf_dp_pinned(G.pin_dir) > 0) {
		int r = gf_dp_unpin(G.pin_dir);

		if (!G.json)
			printf("pins in %s: %s\n", G.pin_dir, r ? strerror(-r) : "removed");
		if (r && !err)
			err = r;
	}
	if (have_state) {
		char p[PATH_MAX + 32];

		snprintf(p, sizeof(p), "%s/%s", G.run_dir, GF_STATE_FILE);
		unlink(p);
	}
	if (G.json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "detached", out);
		json_object_object_add(o, "ok", json_object_new_boolean(!err));
		cli_json_document(o);
		json_object_put(o);
	} else {
		json_object_put(out);
	}
	if (lock >= 0)
		close(lock);
	gf_agent_state_free(&st);
	return err ? EXIT_SYSTEM : 0;
}

static const struct cli_opt detach_opts[] = { CLI_OPT_JSON(&G.json), CLI_OPT_END };

const struct cli_cmd cmd_detach = {
	.name = "detach",
	.help = "stop the agent and remove geofence from every interface, with its pins",
	.opts = detach_opts,
	.run = run_detach,
};
