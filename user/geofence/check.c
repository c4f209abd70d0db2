// SPDX-License-Identifier: GPL-2.0
/*
 * check and policy diff: a push judged before it lands.  Both build the
 * configuration exactly as a reload would (gf_build) without touching the
 * running agent; check says whether a reload would apply it (exit codes
 * as for reload: 0, 4 rejected, 5 applied with errors), policy diff what
 * it would change against the running configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_agent_state.h"
#include "gf_build.h"
#include "gf_policy_diff.h"
#include "gf_state.h"
#include "gf_text.h"
#include "cli.h"

/* Judge config; print the outcome (JSON or a line).  The build in *b when out is set. */
static enum gf_reload_result judge(const char *config, struct gf_build **b, json_object **js)
{
	char msg[2048] = "";
	enum gf_reload_result r = gf_build_check(config, b, msg, sizeof(msg));

	if (js) {
		*js = json_object_new_object();
		json_object_object_add(*js, "config", json_object_new_string(config));
		json_object_object_add(*js, "result", json_object_new_string(gf_reload_result_names[r]));
		json_object_object_add(*js, r == GF_RELOAD_APPLIED ? "summary" : "error", json_object_new_string(msg));
	} else {
		gf_build_check_print(config, r, msg);
	}
	return r;
}

static int run_check(int argc, char **argv)
{
	json_object *js = NULL;
	struct gf_build *b = NULL;
	enum gf_reload_result r = judge(G.config, &b, G.json ? &js : NULL);

	/* what geofence_policy_info will say once it runs: CI can compare it with the fleet's */
	if (b && js)
		json_object_object_add(js, "policy_sha256", json_object_new_string(b->policy_sha256));
	else if (b)
		printf("policy sha256: %s\n", b->policy_sha256);
	if (js) {
		cli_json_document(js);
		json_object_put(js);
	}
	gf_build_free(b);
	return gf_reload_exit_code(r);
}

static const struct cli_opt check_opts[] = { CLI_OPT_JSON(&G.json), CLI_OPT_END };

const struct cli_cmd cmd_check = {
	.name = "check",
	.help = "judge the configuration (--config), its lists and its data sources as a\n"
		"reload would, without touching the running agent: exit 0 a reload would\n"
		"apply it, 4 it would be rejected (and why), 5 applied with errors",
	.opts = check_opts,
	.run = run_check,
};

static const char *new_config;

static void print_diff(json_object *d, const char *from, const char *to)
{
	json_object *a;

	printf("policy diff: %s -> %s\n", from, to);
	if (!json_object_get_boolean(json_object_object_get(d, "changed"))) {
		printf("no change\n");
		return;
	}
	a = json_object_object_get(d, "actions");
	if (json_object_array_length(a)) {
		printf("%-12s %-28s %-16s %-16s %16s %12s\n", "SCOPE", "CLASS", "OLD", "NEW", "IPV4 ADDRESSES", "IPV6");
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			json_object *e = json_object_array_get_idx(a, i);

			printf("%-12s %-28s %-16s %-16s %16.0f %12.4g\n", gf_state_str(e, "scope"),
			       gf_state_str(e, "class"), gf_state_str(e, "old"),
			       gf_state_str(e, "new"), json_object_get_double(json_object_object_get(e, "ipv4")),
			       json_object_get_double(json_object_object_get(e, "ipv6")));
		}
	}
	a = json_object_object_get(d, "overrides");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);
		const char *o = gf_state_str(e, "old"), *n = gf_state_str(e, "new");

		printf("override %-19s %-16s %-16s\n", gf_state_str(e, "cidr"), *o ? o : "(none)", *n ? n : "(none)");
	}
	a = json_object_object_get(d, "as_rules");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);
		const char *o = gf_state_str(e, "old"), *n = gf_state_str(e, "new");

		printf("%-28s %-16s %-16s\n", gf_state_str(e, "as"), *o ? o : "(none)", *n ? n : "(none)");
	}
	a = json_object_object_get(d, "scopes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);
		const char *o = gf_state_str(e, "old"), *n = gf_state_str(e, "new");

		printf("scope %-22s selects %s -> %s\n", gf_state_str(e, "scope"), *o ? o : "(none)",
		       *n ? n : "(none)");
	}
	a = json_object_object_get(d, "moves");
	if (json_object_array_length(a)) {
		printf("addresses that change class:\n%-28s %-33s %16s %12s\n", "FROM", "TO", "IPV4 ADDRESSES", "IPV6");
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			json_object *e = json_object_array_get_idx(a, i);

			printf("%-28s %-33s %16.0f %12.4g\n", gf_state_str(e, "from"), gf_state_str(e, "to"),
			       json_object_get_double(json_object_object_get(e, "ipv4")),
			       json_object_get_double(json_object_object_get(e, "ipv6")));
		}
	}
}

/*
 * The running agent's inputs (its state.json) against the files now: the
 * old side is built from the files, which is what runs only if they did not
 * change since the agent's last reload.  The files that did, in a list.
 */
static json_object *changed_inputs(void)
{
	json_object *list = json_object_new_array();
	struct gf_agent_state st;
	char err[256], now[65];

	resolve_paths();
	if (!gf_agent_state_read(G.run_dir, &st, err, sizeof(err)))
		for (int i = 0; i < st.nfiles; i++) {
			const char *was = st.files[i].sha256 ?: "";

			if (!st.files[i].path || (!gf_sha256_file(st.files[i].path, now) &&
						  !strncmp(now, was, strlen(was) ? strlen(was) : 64)))
				continue;
			json_object_array_add(list, json_object_new_string(st.files[i].path));
		}
	gf_agent_state_free(&st);
	return list;
}

static int run_policy_diff(int argc, char **argv)
{
	struct gf_build *old = NULL, *new = NULL;
	const char *to = new_config ? new_config : G.config;
	json_object *jn = NULL, *d;
	enum gf_reload_result r;
	char msg[2048];

	/* the running configuration as the agent would build it again */
	old = gf_build_new(G.config, NULL, msg, sizeof(msg));
	if (!old) {
		gf_escape_inplace(msg, sizeof(msg));
		fprintf(stderr, "geofence policy diff: the running configuration %s does not build: %s\n", G.config,
			msg);
		return EXIT_INPUT;
	}
	r = judge(to, &new, G.json ? &jn : NULL);
	if (!new) {
		if (jn) {
			cli_json_document(jn);
			json_object_put(jn);
		}
		gf_build_free(old);
		return gf_reload_exit_code(r);
	}
	d = gf_policy_diff(old, new);
	{
		json_object *ch = changed_inputs();

		for (size_t i = 0; !G.json && i < json_object_array_length(ch); i++)
			fprintf(stderr, "geofence policy diff: %s changed since the agent's last reload: the old side is "
				"the file as it is now, not what runs\n", json_object_get_string(json_object_array_get_idx(ch, i)));
		json_object_object_add(d, "inputs_changed_since_reload", ch);
	}
	if (G.json) {
		json_object_object_add(d, "old", json_object_new_string(G.config));
		json_object_object_add(d, "new", json_object_new_string(to));
		json_object_object_add(d, "check", jn);
		cli_json_document(d);
	} else {
		print_diff(d, G.config, to);
	}
	json_object_put(d);
	gf_build_free(old);
	gf_build_free(new);
	return gf_reload_exit_code(r);
}

static const struct cli_opt diff_opts[] = {
	{ "new", CLI_STR, &new_config, "FILE", .help = "the configuration to compare (default: the running one's file as it is now)",
	  .short_name = 'c' },
	CLI_OPT_JSON(&G.json),
	CLI_OPT_END,
};

const struct cli_cmd cmd_policy_diff = {
	.name = "policy diff",
	.help = "what a reload with FILE would change against the running configuration\n"
		"(--config): per class, the action that changes and the addresses in it;\n"
		"overrides added, removed or changed; the addresses that change class.\n"
		"FILE is judged as geofence check judges it, with its exit codes",
	.opts = diff_opts,
	.run = run_policy_diff,
};
