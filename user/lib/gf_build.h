/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A generation's inputs, built off to the side: the configuration, the
 * country lists, the sources, the policy and both tables, with their
 * hashes, and the data sanity check against what runs.  The agent builds
 * one on every reload; `geofenced --check`, `geofence check` and
 * `geofence policy diff` build one the same way without touching the
 * agent, so that a push is judged exactly as a reload would judge it.
 */
#ifndef GF_BUILD_H
#define GF_BUILD_H

#include "gf_agent_state.h"
#include "gf_config.h"
#include "gf_policy.h"
#include "gf_sanity.h"
#include "gf_world.h"

struct gf_build {
	struct gf_config cfg;
	struct gf_countries countries;
	struct gf_policy_set pol;
	struct gf_world world;
	char cfg_sha[65];
	char list_sha[64][65];
	char src_sha[GF_MAX_SOURCES][65];
	struct gf_coverage cov;		/* country space of the sources and the tables: sanity, metrics */
	char sanity_note[256];		/* a shrink the check accepted, for the log */
	char policy_sha256[65];		/* the effective policy's identity (gf_policy_sha256) */
	/*
	 * The datapath's id of each scope row (scope_id[0] = 0): the agent
	 * keeps a name's id across reloads and restarts, so that its
	 * counters stay its own.  Identity until the agent assigns them.
	 */
	int scope_id[GF_MAX_SCOPES];
};

/*
 * Everything a generation needs from config_path, checked against prev
 * (what runs; NULL: the default data's coverage), or NULL with an error
 * naming file and line.
 */
struct gf_build *gf_build_new(const char *config_path, const struct gf_coverage *prev, char *err, size_t errlen);
void gf_build_free(struct gf_build *b);
/* The soonest end of an exemption in force (Unix time), 0 for none. */
long long gf_build_next_expiry(const struct gf_build *b);
/* The countries the lists name: "FILE:LINE" by class, NULL for the others. */
void gf_build_named(const struct gf_build *b, const char **named);
/*
 * What the running agent's generation gave to countries, from its
 * state.json (the run directory config_path names): 0, or -1 when there
 * is none.
 */
int gf_build_running_coverage(const char *config_path, struct gf_coverage *cov);

/*
 * A push judged as a reload would judge it, without touching the agent:
 * the build against the running agent's coverage (its state.json), the
 * tables against the running maps' capacity (when a datapath is pinned
 * where the configuration says), and the configured interfaces (present
 * in this network namespace).  The outcome a reload would have:
 * REJECTED with the reload's reason in msg, APPLIED_WITH_ERRORS with the
 * interface that would not take the hook, or APPLIED with a summary.
 * *out (may be NULL) gets the build when there is one.
 */
enum gf_reload_result gf_build_check(const char *config_path, struct gf_build **out, char *msg, size_t msglen);
/* That outcome as one line: stdout when it would apply, stderr when not. */
void gf_build_check_print(const char *config_path, enum gf_reload_result r, const char *msg);

#endif
