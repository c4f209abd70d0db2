/* SPDX-License-Identifier: GPL-2.0 */
/*
 * geofence: the operator's command line.
 *
 *   geofence [--config FILE] [--json] COMMAND [OPTIONS] [ARGS]
 *
 * One table of commands (main.c), one table of typed options per command
 * (opts.h), one file per command.  Each command collects what it reports,
 * then renders it as text or as JSON.  JSON, one rule: a command that
 * reports a state (status, stats, top, reload, detach, dlp, evidence report,
 * guard, update) prints one document (cli_json_document, pretty-printed); a
 * command that reports a stream of items (lookup: one per address, dlp
 * scan: one per file, stats and top --watch: one per interval) prints one
 * object per line (cli_json_line).
 *
 * Exit codes: 0 success, 1 some input was invalid (the rest was answered),
 * 2 usage, 3 no datapath / agent or a system error, 4 a reload was rejected
 * (nothing changed), 5 a reload was applied with errors (the new policy is
 * in force, but an interface did not take it).
 */
#ifndef GF_CLI_H
#define GF_CLI_H

#include <limits.h>
#include <stdio.h>
#include <sys/types.h>
#include <json-c/json.h>
#include "gf_agent_state.h"
#include "opts.h"

#define EXIT_INPUT 1
#define EXIT_USAGE 2
#define EXIT_SYSTEM 3
#define EXIT_REJECTED 4
#define EXIT_PARTIAL 5

/* Where the running agent keeps its pins and state.json (common.c). */
struct cli_globals {
	const char *config;
	char pin_dir[PATH_MAX];
	char run_dir[PATH_MAX];
	int json;
	char config_err[512];	/* the configuration does not parse: why */
	char group[64];		/* state.group: who may read the agent's state */
	char state_dir[PATH_MAX];	/* state.dir: the evidence, the classes guard */
	int guard_classes;	/* guard.mode = "classes" */
	int fallback;		/* geoip.registered_country_fallback, as the agent reads it */
};
extern struct cli_globals G;

/* A command: its name (a subcommand: "dlp scan"), what it takes, what it does. */
struct cli_cmd {
	const char *name;
	const char *args;		/* positional arguments' synopsis, or NULL for none */
	const char *help;		/* the lines under the synopsis in --help */
	const struct cli_opt *opts;	/* CLI_OPT_END-terminated; --json where it prints JSON */
	int (*run)(int argc, char **argv);	/* the positional arguments only */
};

/* common.c */
void resolve_paths(void);
pid_t agent_pid(const struct gf_agent_state *st);
void cli_json_document(json_object *o);
void cli_json_line(json_object *o);
/* One interval of a command with --watch: a document, or with watch a line of a stream; o is put. */
void cli_json_interval(json_object *o, int watch);
const char *when(long long epoch, char *buf, size_t len);
const char *age(long long epoch, char *buf, size_t len);
const char *denied(char *buf, size_t len);
const char *other_layout(char *buf, size_t len);
const char *guard_what(int mode);
void print_evidence(json_object *ev);
int top_names(const char *country, long long top);	/* top --names (top_names.c) */	/* dlp.json's "evidence", as text */
struct gf_dp *open_pins(const char *cmd);	/* the running datapath's maps, or NULL having said why */

/* one per file */
extern const struct cli_cmd cmd_status, cmd_stats, cmd_lookup, cmd_reload, cmd_detach, cmd_dlp,
	cmd_dlp_scan, cmd_evidence_report, cmd_guard, cmd_update, cmd_top, cmd_check, cmd_policy_diff;

#endif
