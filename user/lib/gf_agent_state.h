/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's state as the CLI, the tests and operators' scripts see it:
 * RUN_DIR/state.json, written by geofenced after every reload and link
 * change.  This type is the contract; gf_agent_state_schema names every
 * key once, and the agent, the CLI and the test lab all go through it.
 *
 * Strings and arrays are owned by the struct (see gf_schema.h):
 * gf_agent_state_free releases what a read or a writer allocated.
 */
#ifndef GF_AGENT_STATE_H
#define GF_AGENT_STATE_H

#include <sys/types.h>
#include <json-c/json.h>
#include "geofence.h"
#include "gf_schema.h"

/* What a reload did; the log, the metric, state.json and `geofence reload` all say it. */
enum gf_reload_result {
	GF_RELOAD_APPLIED,		/* the new generation is in force everywhere configured */
	GF_RELOAD_APPLIED_WITH_ERRORS,	/* in force; an interface did not take it (error says) */
	GF_RELOAD_REJECTED,		/* nothing changed: the running generation stays */
	GF_RELOAD_RESULTS
};
extern const char *const gf_reload_result_names[GF_RELOAD_RESULTS];
/* The exit code of an outcome, for `geofence reload`, `geofence check` and `geofenced --check`: 0, 5, 4. */
int gf_reload_exit_code(enum gf_reload_result r);
/* The result named s; -1 for anything else (an agent before these names said "ok"/"error"). */
int gf_reload_result_parse(const char *s);

struct gf_st_iface {
	char *name;
	long long ifindex;
	char *hook;		/* "xdp", "tc" */
	char *mode;		/* "native/single", "tc egress", "absent", "gone", "attach failed" */
	int adopted;
	int filtered;		/* the kernel has our program on it (read back) */
	long long link_changes;
	char *error;		/* why the last attach failed, while it fails */
};

struct gf_st_reload_last {
	char *result;		/* gf_reload_result_names[] */
	char *trigger;		/* "start", "SIGHUP", "file change" */
	char *error;
	long long time;
	double duration_ms;
	long long generation;
	long long seq;
};

struct gf_st_reload {
	long long count;	/* start included */
	long long applied, applied_with_errors, rejected;
	struct gf_st_reload_last last;
};

struct gf_st_file {
	char *path;
	char *sha256;
};

struct gf_st_source {
	char *path;
	char *type;
	char *sha256;
	long long build_epoch;
	char *description;
	long long networks;
	long long registered_country_fallbacks;
	int aliased;
};

struct gf_st_conflicts {
	long long ranges;
	char *first;
};

struct gf_st_table {
	long long ranges, nodes, node_capacity, bytes;
};

struct gf_st_tables {
	struct gf_st_table ipv4, ipv6;
	long long map_bytes;
};

struct gf_st_override {
	char *cidr;
	char *action;
	char *reason;
	long long cls;
	char *origin;
};

struct gf_st_redirect {
	long long slot;
	char *interface;
};

struct gf_st_country_rule {
	char *cc;
	char *action;
};

struct gf_st_action_count {
	char *action;
	long long countries;
};

/* A scope (policy by source): its id in the datapath and counters, what selects it, what it sets. */
struct gf_st_scope {
	long long id;
	char *name;
	char *selects;		/* "10.20.0.0/16 vlan 30 interface lan2" */
	char *default_action;	/* the scope's own, or the policy's */
	int monitor;
	struct gf_st_country_rule *countries;	/* the scope's own rules */
	int ncountries;
	char *origin;
};

/* An AS class: a named AS's addresses in one country (class ids above the overrides'). */
struct gf_st_as_class {
	long long cls;
	long long as;
	char *country;		/* "unknown" where the data has none */
};

struct gf_st_policy {
	char *default_action, *unknown, *reserved;
	int monitor;
	char *source_route;	/* "drop", "classify" */
	struct gf_st_country_rule *countries;
	int ncountries;
	struct gf_st_action_count *by_action;
	int nby_action;
	struct gf_st_override *overrides;
	int noverrides;
	struct gf_st_redirect *redirects;
	int nredirects;
	struct gf_st_scope *scopes;	/* named scopes; absent before scopes existed */
	int nscopes;
	struct gf_st_country_rule *as_rules;	/* countries.d's "AS13335 pass": "AS13335" -> action */
	int nas_rules;
	struct gf_st_as_class *as_classes;
	int nas_classes;
};

struct gf_agent_state {
	long long pid;
	long long started;
	char *config;
	char *netns;
	char *pin_dir;
	long long generation;
	long long layout;	/* GF_LAYOUT of the agent that wrote it */
	struct gf_st_iface *interfaces;
	int ninterfaces;
	struct gf_st_reload reload;
	struct gf_st_file *files;	/* the configuration, then the country lists */
	int nfiles;
	struct gf_st_source *sources;
	int nsources;
	struct gf_st_source asn;	/* geoip.asn, when AS rules use it */
	long long geoip_max_age_days;
	struct gf_st_conflicts source_conflicts;
	struct gf_st_tables tables;
	json_object *coverage;	/* gf_coverage_to_json's shape (gf_sanity.h) */
	struct gf_st_policy policy;
};

extern const struct gf_schema gf_agent_state_schema;
extern const struct gf_schema gf_st_reload_schema;	/* the agent keeps one across reloads */

json_object *gf_agent_state_to_json(const struct gf_agent_state *st);
/* Fill st (zeroed here) from o: 0, or -EINVAL with the key that is wrong in err. */
int gf_agent_state_from_json(json_object *o, struct gf_agent_state *st, char *err, size_t errlen);
void gf_agent_state_free(struct gf_agent_state *st);

/* RUN_DIR/state.json, atomically (gf_state_write): 0 or -errno. */
int gf_agent_state_write(const char *run_dir, const struct gf_agent_state *st, gid_t group);
/*
 * Read it: 0; -ENOENT where there is none; -EACCES where it may not be
 * read; -EINVAL (err says why) where it is not this contract.  st is
 * zeroed first, and safe to free whatever the outcome.
 */
int gf_agent_state_read(const char *run_dir, struct gf_agent_state *st, char *err, size_t errlen);

/*
 * The running agent's scopes by datapath id: names[id] points into st
 * (NULL where no scope has that id; names[0] stays NULL).
 */
void gf_agent_state_scope_names(const struct gf_agent_state *st, const char *names[GF_MAX_SCOPES]);
/* Its AS classes: asn[cls] the AS (0: not an AS class), cc[cls] its country's class; GF_NUM_CLASSES each. */
void gf_agent_state_as_classes(const struct gf_agent_state *st, __u32 *asn, __u16 *cc);

/* The interface entry of name at hook ("xdp", "tc"); NULL if absent. */
const struct gf_st_iface *gf_agent_state_iface(const struct gf_agent_state *st, const char *name,
					       const char *hook);

#endif
