// SPDX-License-Identifier: GPL-2.0
/*
 * What the commands share: where the agent's state is, whether an agent
 * runs, JSON output by the rule of cli.h, times and permissions as text.
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

struct cli_globals G = { .config = GF_CONFIG_DEFAULT, .fallback = 1 };

/*
 * Only the state paths are read from the configuration, and a broken file
 * falls back to the defaults: status and detach must work after a bad push.
 */
void resolve_paths(void)
{
	config_t cfg;
	const char *s;

	snprintf(G.pin_dir, sizeof(G.pin_dir), "/sys/fs/bpf/geofence");
	snprintf(G.run_dir, sizeof(G.run_dir), "/run/geofence");
	snprintf(G.state_dir, sizeof(G.state_dir), "/var/lib/geofence");
	config_init(&cfg);
	if (config_read_file(&cfg, G.config)) {
		int b;

		if (config_lookup_string(&cfg, "state.pin_dir", &s))
			snprintf(G.pin_dir, sizeof(G.pin_dir), "%s", s);
		if (config_lookup_string(&cfg, "state.run_dir", &s))
			snprintf(G.run_dir, sizeof(G.run_dir), "%s", s);
		if (config_lookup_string(&cfg, "state.group", &s))
			snprintf(G.group, sizeof(G.group), "%s", s);
		if (config_lookup_string(&cfg, "state.dir", &s))
			snprintf(G.state_dir, sizeof(G.state_dir), "%s", s);
		if (config_lookup_string(&cfg, "guard.mode", &s))
			G.guard_classes = !strcmp(s, "classes");
		if (config_lookup_bool(&cfg, "geoip.registered_country_fallback", &b))
			G.fallback = b;
	} else if (config_error_type(&cfg) == CONFIG_ERR_PARSE) {
		snprintf(G.config_err, sizeof(G.config_err), "%s:%d: %s", G.config,
			 config_error_line(&cfg), config_error_text(&cfg));
		gf_escape_inplace(G.config_err, sizeof(G.config_err));
		fprintf(stderr, "geofence: warning: %s (looking for the agent's state in the default "
				"places)\n", G.config_err);
	}
	config_destroy(&cfg);
	if ((s = getenv("GEOFENCE_PIN_DIR")) && *s)
		snprintf(G.pin_dir, sizeof(G.pin_dir), "%s", s);
	if ((s = getenv("GEOFENCE_RUN_DIR")) && *s)
		snprintf(G.run_dir, sizeof(G.run_dir), "%s", s);
}

/* The agent's pid if one runs (state.json's pid, and it is geofenced). */
pid_t agent_pid(const struct gf_agent_state *st)
{
	char comm[32];
	pid_t pid = st->pid;

	if (pid <= 0 || gf_file_line(comm, sizeof(comm), "/proc/%d/comm", pid))
		return 0;
	return strncmp(comm, "geofenced", 9) ? 0 : pid;
}


/* A state, for people and scripts alike: one pretty-printed document. */
void cli_json_document(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
}


const char *when(long long epoch, char *buf, size_t len)
{
	gf_time_str(epoch, "%Y-%m-%d %H:%M:%S UTC", buf, len);
	return buf;
}

const char *age(long long epoch, char *buf, size_t len)
{
	char day[48];

	if (gf_time_str(epoch, "%Y-%m-%d", day, sizeof(day)))
		snprintf(buf, len, "%s", day);
	else
		snprintf(buf, len, "%s, %lld days old", day, ((long long)time(NULL) - epoch) / 86400);
	return buf;
}

/* Why the agent's state cannot be read, for a user who may not read it. */
const char *denied(char *buf, size_t len)
{
	if (G.group[0])
		snprintf(buf, len, "permission denied: run as root or as a member of group %s "
			 "(state.group)", G.group);
	else
		snprintf(buf, len, "permission denied: run as root, or set state.group in the "
			 "configuration and run as a member of that group");
	return buf;
}

/* Pins of another build's map layout: whose CLI reads them. */
const char *other_layout(char *buf, size_t len)
{
	snprintf(buf, len, "the pinned datapath has map layout %d, this geofence reads layout %d: use "
		 "the geofence of the geofenced that runs it (an upgrade in progress ends when the new "
		 "geofenced has started)", gf_dp_pinned_layout(G.pin_dir), GF_LAYOUT);
	return buf;
}

const char *guard_what(int mode)
{
	return mode == GF_GUARD_CLASSES ? "classes: only what the last policy passed is forwarded" :
					  "nothing is forwarded";
}

/* An item of a stream: one object per line, flushed, for `while read` and jq -c. */
void cli_json_line(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
}

/* The evidence as the agent reports it (dlp.json's "evidence"): where, and what went wrong. */
void print_evidence(json_object *ev)
{
	json_object *rej, *up;

	if (json_object_get_boolean(json_object_object_get(ev, "kept")))
		printf("evidence:    %lld day files, %lld bytes in %s, hash key %s (%s)%s\n",
		       gf_state_int(ev, "files"), gf_state_int(ev, "bytes"), gf_state_str(ev, "dir"),
		       gf_state_str(ev, "key"), gf_state_str(ev, "key_fingerprint"),
		       json_object_get_boolean(json_object_object_get(ev, "write_failing")) ?
			       ": WRITES FAIL (the agent's log says why)" : "");
	else
		printf("evidence:    NOT KEPT ON DISK: %s (a restart loses it)\n", gf_state_str(ev, "error"));
	if (json_object_object_get_ex(ev, "rejected", &rej))
		for (size_t i = 0; i < json_object_array_length(rej); i++) {
			json_object *x = json_object_array_get_idx(rej, i);

			printf("             SET ASIDE at start: %s, kept as %s: %s\n", gf_state_str(x, "file"),
			       gf_state_str(x, "kept_as"), gf_state_str(x, "why"));
		}
	if (json_object_object_get_ex(ev, "upload", &up))
		printf("             upload to PostgreSQL: %s, %lld days pending, %lld rows sent%s%s\n",
		       json_object_get_boolean(json_object_object_get(up, "failing")) ? "FAILING" : "ok",
		       gf_state_int(up, "pending_days"), gf_state_int(up, "rows"),
		       gf_state_str(up, "last_error")[0] ? ": " : "", gf_state_str(up, "last_error"));
}

/* The running datapath's pins, or NULL having said why. */
struct gf_dp *open_pins(const char *cmd)
{
	struct gf_dp *dp = NULL;
	char why[640];
	int err;

	if ((err = gf_dp_pinned(G.pin_dir)) > 0 && !(err = gf_dp_open_pinned(&dp, G.pin_dir)))
		return dp;
	if (err == -EACCES || err == -EPERM)
		fprintf(stderr, "geofence: %s: permission denied: the datapath's maps need root (CAP_BPF); "
				"run geofence %s as root\n", G.pin_dir, cmd);
	else if (err == -EPROTO)
		fprintf(stderr, "geofence: %s\n", other_layout(why, sizeof(why)));
	else
		fprintf(stderr, "geofence: no datapath pinned in %s: is geofenced running? (geofence "
				"status)\n", G.pin_dir);
	return NULL;
}

void cli_json_interval(json_object *o, int watch)
{
	/* one interval is a document; --watch makes a stream of them */
	if (watch)
		cli_json_line(o);
	else
		cli_json_document(o);
	json_object_put(o);
}
