// SPDX-License-Identifier: GPL-2.0
/*
 * status: the agent, the datapath, the interfaces, the data, the policy and
 * the last reload, from state.json and the pins.
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

/* The boot guard, in the agent's namespace: said loudly when it is up. */
static void guard_status(const struct gf_agent_state *st)
{
	const char *netns = st->netns;
	unsigned long long dropped = 0;
	char err[256];
	int on;

	if (netns && gf_netns_enter(netns))
		return;
	on = gf_guard_state(&dropped, err, sizeof(err));
	if (netns)
		gf_netns_enter(NULL);
	if (on > 0)
		printf("boot guard:  UP: %s (%llu packets dropped) until geofenced enforces; if it cannot "
		       "start, its log says why (journalctl -u geofenced)\n", guard_what(on), dropped);
}


/* What `status` reports: the agent's state.json and the kernel's pins. */
struct status {
	struct gf_agent_state st;
	int st_err;		/* 0: st was read; -ENOENT, -EACCES, -EINVAL */
	pid_t pid;
	struct gf_dp *dp;
	int pin_state, open_err, pinned;
	json_object *evidence;	/* dlp.json's "evidence" */
};

static void status_collect(struct status *S)
{
	char why[256];
	json_object *d, *ev;

	S->st_err = gf_agent_state_read(G.run_dir, &S->st, why, sizeof(why));
	if (S->st_err == -EINVAL)
		fprintf(stderr, "geofence: %s: written by another version? (ignored)\n", why);
	S->pid = agent_pid(&S->st);
	S->pin_state = gf_dp_pinned(G.pin_dir);
	if (S->pin_state > 0)
		S->open_err = gf_dp_open_pinned(&S->dp, G.pin_dir);
	S->pinned = S->pin_state > 0 && !S->open_err;
	if (S->pin_state == -EACCES || S->open_err == -EACCES || S->open_err == -EPERM)
		S->pin_state = -EACCES;
	d = gf_json_read(G.run_dir, GF_DLP_FILE);
	if (d && json_object_object_get_ex(d, "evidence", &ev))
		S->evidence = json_object_get(ev);
	json_object_put(d);
}

static void status_json(const struct status *S)
{
	json_object *o = !S->st_err ? gf_agent_state_to_json(&S->st) : json_object_new_object();
	char why[640];

	json_object_object_add(o, "agent_running", json_object_new_boolean(S->pid > 0));
	json_object_object_add(o, "datapath", json_object_new_boolean(S->pinned));
	if (S->st_err == -EACCES)
		json_object_object_add(o, "state_error", json_object_new_string(denied(why, sizeof(why))));
	if (S->pin_state == -EACCES)
		json_object_object_add(o, "datapath_error", json_object_new_string(
					       "permission denied: reading the pins needs root"));
	if (S->open_err == -EPROTO)
		json_object_object_add(o, "datapath_error", json_object_new_string(other_layout(why, sizeof(why))));
	if (S->pinned) {
		json_object_object_add(o, "generation", json_object_new_int64(gf_dp_flips(S->dp)));
		json_object_object_add(o, "active_half", json_object_new_int(gf_dp_active_gen(S->dp)));
	}
	if (S->evidence)
		json_object_object_add(o, "evidence", json_object_get(S->evidence));
	json_object_object_add(o, "pin_dir", json_object_new_string(G.pin_dir));
	cli_json_document(o);
	json_object_put(o);
}

static void status_text_agent(const struct status *S)
{
	char buf[128], why[640];

	if (S->pid)
		printf("geofenced:   running, pid %d, since %s (config %s)\n", S->pid,
		       when(S->st.started, buf, sizeof(buf)), S->st.config);
	else if (S->st_err == -EACCES)
		printf("geofenced:   unknown: %s/%s: %s\n", G.run_dir, GF_STATE_FILE, denied(why, sizeof(why)));
	else
		printf("geofenced:   not running\n");
	if (S->pinned)
		printf("datapath:    enforcing generation %llu (map layout %d, pinned in %s)\n",
		       (unsigned long long)gf_dp_flips(S->dp), GF_LAYOUT, G.pin_dir);
	else if (S->pin_state == -EACCES)
		printf("datapath:    unknown: %s: permission denied: reading the pins needs root\n", G.pin_dir);
	else if (S->open_err == -EPROTO)
		printf("datapath:    %s\n", other_layout(why, sizeof(why)));
	else
		printf("datapath:    not loaded (nothing pinned in %s)\n", G.pin_dir);
}

static void status_text_inputs(const struct gf_agent_state *st)
{
	const struct gf_st_tables *t = &st->tables;
	char buf[128];

	if (st->ninterfaces) {
		printf("interfaces: ");
		for (int i = 0; i < st->ninterfaces; i++)
			printf(" %s %s (%s)%s", st->interfaces[i].name, st->interfaces[i].hook,
			       st->interfaces[i].mode, i + 1 < st->ninterfaces ? "," : "");
		printf("\n");
	}
	for (int i = 0; i < st->nsources; i++) {
		const struct gf_st_source *x = &st->sources[i];
		int stale = st->geoip_max_age_days > 0 && x->build_epoch > 0 &&
			    time(NULL) - x->build_epoch > st->geoip_max_age_days * 86400;

		printf("%-12s %s: %s, data of %s, %lld networks, sha256 %.16s%s\n", i ? "" : "sources:",
		       x->path, x->type, age(x->build_epoch, buf, sizeof(buf)), x->networks, x->sha256,
		       stale ? "  STALE (older than geoip.max_age_days: rotate it, docs/operations.md)" : "");
	}
	printf("tables:      IPv4 %lld ranges, %lld of %lld nodes, %.1f MiB; IPv6 %lld ranges, %lld of %lld "
	       "nodes, %.1f MiB; maps %.1f MiB\n", t->ipv4.ranges, t->ipv4.nodes, t->ipv4.node_capacity,
	       t->ipv4.bytes / 1048576.0, t->ipv6.ranges, t->ipv6.nodes, t->ipv6.node_capacity,
	       t->ipv6.bytes / 1048576.0, t->map_bytes / 1048576.0);
}

static void status_text_policy(const struct gf_agent_state *st)
{
	const struct gf_st_policy *p = &st->policy;
	const struct gf_st_reload *r = &st->reload;
	char buf[128];

	printf("policy:      default %s, unknown %s, reserved %s, source routes %s, monitor (dry run) %s\n",
	       p->default_action, p->unknown, p->reserved, p->source_route ?: "classify",
	       p->monitor ? "ON" : "off");
	printf("             listed:");
	for (int i = 0; i < p->ncountries; i++)
		printf(" %s=%s", p->countries[i].cc, p->countries[i].action);
	printf("\n");
	if (p->nas_rules) {
		printf("             AS rules:");
		for (int i = 0; i < p->nas_rules; i++)
			printf(" %s=%s", p->as_rules[i].cc, p->as_rules[i].action);
		printf(" (%d AS class(es))\n", p->nas_classes);
	}
	if (p->noverrides)
		printf("             %d override(s)\n", p->noverrides);
	for (int i = 0; i < p->nscopes; i++) {
		const struct gf_st_scope *sc = &p->scopes[i];

		printf("scope %-12s %s; default %s%s", sc->name ?: "?", sc->selects ?: "", sc->default_action ?: "?",
		       sc->monitor ? ", monitor (dry run)" : "");
		for (int k = 0; k < sc->ncountries; k++)
			printf("%s %s=%s", k ? "" : ";", sc->countries[k].cc, sc->countries[k].action);
		printf("\n");
	}
	if (r->last.result)
		printf("last reload: %s (%s) %s, %.0f ms%s%s; %lld reloads: %lld applied, %lld applied with "
		       "errors, %lld rejected\n", r->last.result, r->last.trigger,
		       when(r->last.time, buf, sizeof(buf)), r->last.duration_ms, r->last.error ? ": " : "",
		       r->last.error ?: "", r->count, r->applied, r->applied_with_errors, r->rejected);
}

static int run_status(int argc, char **argv)
{
	struct status S = { 0 };

	resolve_paths();
	status_collect(&S);
	if (G.json) {
		status_json(&S);
	} else {
		status_text_agent(&S);
		if (!S.st_err) {
			status_text_inputs(&S.st);
			status_text_policy(&S.st);
		}
		if (S.evidence)
			print_evidence(S.evidence);
		guard_status(&S.st);
	}
	gf_agent_state_free(&S.st);
	json_object_put(S.evidence);
	gf_dp_close(S.dp);
	return S.pinned ? 0 : EXIT_SYSTEM;
}

static const struct cli_opt status_opts[] = { CLI_OPT_JSON(&G.json), CLI_OPT_END };

const struct cli_cmd cmd_status = {
	.name = "status",
	.help = "the agent, interfaces and attach modes, generation, data sources and\n"
		"their age, table sizes, the policy, the last reload",
	.opts = status_opts,
	.run = run_status,
};
