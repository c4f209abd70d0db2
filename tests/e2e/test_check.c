// SPDX-License-Identifier: GPL-2.0
/*
 * Checked pushes, against a real geofenced in a lab:
 *   - `geofenced --check` and `geofence check` reject each broken input a
 *     reload rejects (a bad list, a configuration that does not parse, a
 *     truncated database, data that would shrink the world), with the
 *     reload's own message and exit code 4, and touch nothing: the agent
 *     keeps its generation; they accept what a reload applies (exit 0);
 *     outside the gateway's namespace the interfaces are missing: exit 5;
 *   - `geofence policy diff -c NEW` on a known change: IR pass -> drop with
 *     its addresses, an override that takes 1.0.1.0/24 from CN (256
 *     addresses), nothing else.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "gf_agent_state.h"
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_state.h"
#include "gf_test.h"

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "RU", "US" };
static char out[1 << 18];

/* a command's exit code and its output (stdout and stderr) in out */
#define run(fmt, ...) gf_sh_out(out, sizeof(out), fmt " 2>&1", ##__VA_ARGS__)

/* what the last reload said, from state.json; its sequence number */
static long long last_reload(char *result, char *error, size_t len)
{
	struct gf_agent_state st;
	long long seq = -1;

	result[0] = error[0] = '\0';
	if (!gf_lab_state(&lab, &st)) {
		snprintf(result, len, "%s", st.reload.last.result ?: "");
		snprintf(error, len, "%s", st.reload.last.error ?: "");
		seq = st.reload.last.seq;
	}
	gf_agent_state_free(&st);
	return seq;
}

/* A reload by SIGHUP (the CLI's reload needs a configuration it can read): what it said. */
static void reload_by_signal(char *result, char *error, size_t len)
{
	long long seq = last_reload(result, error, len);

	kill(lab.agent, SIGHUP);
	for (int i = 0; i < 100 && last_reload(result, error, len) <= seq; i++)
		usleep(50000);
}

/* "...: a reload would be rejected: WHY" -> WHY */
static const char *why(const char *text)
{
	const char *w = strstr(text, "a reload would be rejected: ");
	static char buf[2048];

	if (!w)
		return "";
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(w + 28, "\n"), w + 28);
	return buf;
}

static const struct broken {
	const char *what, *break_cmd, *mend_cmd;
} broken[] = {
	{ "a list naming no country", "printf 'XX drop\\n' > %s/countries.d/10-bad.list", "rm %s/countries.d/10-bad.list" },
	{ "a configuration that does not parse", "cp %s/geofence.conf %s/good.conf && echo 'policy = {' >> %s/geofence.conf",
	  "mv %s/good.conf %s/geofence.conf" },
	{ "a truncated database", "cp %s/country.mmdb %s/good.mmdb && head -c 4000 %s/good.mmdb > %s/country.mmdb",
	  "mv %s/good.mmdb %s/country.mmdb" },
	{ "data that would make most of the world unknown",
	  "cp %s/country.mmdb %s/good.mmdb && " GF_SRCDIR "/tests/lib/mkdb.pl %s/country.mmdb --ip-version 6 "
	  "--record-size 24 --networks 8 >/dev/null",
	  "mv %s/good.mmdb %s/country.mmdb" },
};

/* the lab directory, as many times as a command names it */
static void sub(char *dst, size_t len, const char *fmt)
{
	const char *d = lab.dir;

	snprintf(dst, len, fmt, d, d, d, d, d);
}

static void rejected_as_reload(void)
{
	long long gen = gf_lab_generation(&lab);

	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		const struct broken *b = &broken[i];
		char cmd[1024], chk[2048], cli[2048], result[64], error[2048];
		int rc1, rc2;

		sub(cmd, sizeof(cmd), b->break_cmd);
		if (!CHECK(gf_sh("%s", cmd) == 0, "%s: made", b->what))
			continue;
		rc1 = run("%s/geofenced --check -c %s --netns %s", GF_BUILD_DIR, lab.conf, lab.ns_gw);
		snprintf(chk, sizeof(chk), "%s", why(out));
		rc2 = run("ip netns exec %s %s/geofence --config %s check", lab.ns_gw, GF_BUILD_DIR, lab.conf);
		snprintf(cli, sizeof(cli), "%s", why(out));
		reload_by_signal(result, error, sizeof(error));
		CHECK(rc1 == 4 && rc2 == 4 && !strcmp(result, "rejected"),
		      "%s: geofenced --check, geofence check and a reload all reject it (%d, %d, %s)", b->what, rc1,
		      rc2, result);
		CHECK(chk[0] && !strcmp(chk, error) && !strcmp(cli, error),
		      "%s: with the reload's message: \"%s\" (check: \"%s\", CLI: \"%s\")", b->what, error, chk, cli);
		sub(cmd, sizeof(cmd), b->mend_cmd);
		gf_sh("%s", cmd);
	}
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "reload") == 0 && gf_lab_generation(&lab) > gen,
	      "mended: the next reload applies (generation %lld after %lld)", gf_lab_generation(&lab), gen);
}

static void accepted(void)
{
	long long gen = gf_lab_generation(&lab);
	int rc;

	rc = run("%s/geofenced --check -c %s --netns %s", GF_BUILD_DIR, lab.conf, lab.ns_gw);
	CHECK(rc == 0 && strstr(out, "a reload would apply it") && strstr(out, "the running agent's data"),
	      "geofenced --check: a good configuration, judged against the running agent's data (%d: %s)", rc, out);
	rc = run("ip netns exec %s %s/geofence --config %s --json check", lab.ns_gw, GF_BUILD_DIR, lab.conf);
	CHECK(rc == 0 && strstr(out, "\"result\":\"applied\""), "geofence check --json: applied (%d)", rc);
	rc = run("%s/geofence --config %s check", GF_BUILD_DIR, lab.conf);
	CHECK(rc == 5 && strstr(out, "g0: no such interface here"),
	      "outside the gateway's namespace: applied with errors, exit 5 (%d)", rc);
	CHECK(gf_lab_generation(&lab) == gen, "the checks touched nothing: generation %lld still", gen);
}

/*
 * Config management that copies a database over the old one in place
 * (cp truncates the inode) while the agent reloads: the agent reads a copy,
 * so a file cut under it is a rejected reload, never a SIGBUS.
 */
static void rewritten_in_place(void)
{
	int status, alive;
	pid_t w;

	gf_sh("cp %s/country.mmdb %s/good.mmdb", lab.dir, lab.dir);
	w = fork();
	if (w == 0) {
		char cmd[700];

		snprintf(cmd, sizeof(cmd), "cat %s/good.mmdb > %s/country.mmdb", lab.dir, lab.dir);
		for (int i = 0; i < 40; i++)
			if (system(cmd))
				_exit(1);
		_exit(0);
	}
	for (int i = 0; i < 40; i++) {
		kill(lab.agent, SIGHUP);
		usleep(60000);
	}
	waitpid(w, NULL, 0);
	alive = waitpid(lab.agent, &status, WNOHANG) == 0;
	CHECK(alive, "a database rewritten in place 40 times during 40 reloads: the agent lives on %s",
	      alive ? "" : WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
	if (!alive)
		lab.agent = -1;
	else
		CHECK(gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "and the next reload applies");
}

static json_object *find(json_object *arr, const char *k1, const char *v1, const char *k2, const char *v2)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		if (!strcmp(gf_state_str(e, k1) ?: "", v1) && (!k2 || !strcmp(gf_state_str(e, k2) ?: "", v2)))
			return e;
	}
	return NULL;
}

static void diff(void)
{
	char newconf[300];
	json_object *d, *a, *m;
	int rc;

	snprintf(newconf, sizeof(newconf), "%s/new.conf", lab.dir);
	if (gf_sh("mkdir -p %s/countries2.d && printf 'CN drop\\nRU monitor\\nIR drop\\n' > %s/countries2.d/00.list && "
		  "sed -e 's|countries = \"countries.d\";|countries = \"countries2.d\"; overrides = ( { cidr = "
		  "\"1.0.1.0/24\"; action = \"allow\"; } );|' %s > %s", lab.dir, lab.dir, lab.conf, newconf))
		return;
	rc = run("ip netns exec %s %s/geofence --config %s --json policy diff -c %s", lab.ns_gw, GF_BUILD_DIR,
		 lab.conf, newconf);
	d = rc == 0 ? json_tokener_parse(out) : NULL;
	CHECK(d && json_object_get_boolean(json_object_object_get(d, "changed")),
	      "policy diff --json: one document, changed (%d)", rc);
	if (!d)
		return;
	a = json_object_object_get(d, "actions");
	CHECK(json_object_array_length(a) == 1 && find(a, "class", "IR", "old", "pass") &&
	      !strcmp(gf_state_str(find(a, "class", "IR", NULL, NULL), "new"), "drop") &&
	      json_object_get_double(json_object_object_get(find(a, "class", "IR", NULL, NULL), "ipv4")) > 1e6,
	      "actions: IR pass -> drop with its addresses, nothing else (%zu rows)", json_object_array_length(a));
	a = json_object_object_get(d, "overrides");
	CHECK(json_object_array_length(a) == 1 && find(a, "cidr", "1.0.1.0/24", "new", "pass"),
	      "overrides: 1.0.1.0/24 added, passed");
	m = json_object_object_get(d, "moves");
	CHECK(json_object_array_length(m) == 1 && find(m, "from", "CN", "to", "override 1.0.1.0/24") &&
	      json_object_get_double(json_object_object_get(find(m, "from", "CN", NULL, NULL), "ipv4")) == 256,
	      "moves: the 256 addresses of 1.0.1.0/24 go from CN to the override, nothing else moves");
	json_object_put(d);
	rc = run("ip netns exec %s %s/geofence --config %s policy diff -c %s", lab.ns_gw, GF_BUILD_DIR, lab.conf,
		 newconf);
	if (gf_test_verbose)
		printf("%s", out);
	CHECK(rc == 0 && strstr(out, "IR ") && strstr(out, "override 1.0.1.0/24") && strstr(out, "addresses that change class"),
	      "policy diff: the same as text");
	rc = run("ip netns exec %s %s/geofence --config %s policy diff", lab.ns_gw, GF_BUILD_DIR, lab.conf);
	CHECK(rc == 0 && strstr(out, "no change"), "policy diff against itself: no change (%d)", rc);

	/* a scope added: its senders' verdicts that change, per class, and what selects it */
	if (gf_sh("cp %s %s && printf 'scopes = ( { name = \"lab\"; sources = [ \"10.9.0.0/16\" ]; "
		  "countries = ( \"CN pass\" ); } );\\n' >> %s", lab.conf, newconf, newconf))
		return;
	rc = run("ip netns exec %s %s/geofence --config %s --json policy diff -c %s", lab.ns_gw, GF_BUILD_DIR,
		 lab.conf, newconf);
	d = rc == 0 ? json_tokener_parse(out) : NULL;
	a = d ? json_object_object_get(d, "actions") : NULL;
	m = d ? json_object_object_get(d, "scopes") : NULL;
	CHECK(d && json_object_array_length(a) == 1 && find(a, "scope", "lab", "class", "CN") &&
	      !strcmp(gf_state_str(find(a, "scope", "lab", NULL, NULL), "old"), "drop") &&
	      !strcmp(gf_state_str(find(a, "scope", "lab", NULL, NULL), "new"), "pass") &&
	      json_object_array_length(m) == 1 && find(m, "scope", "lab", "new", "10.9.0.0/16") &&
	      json_object_array_length(json_object_object_get(d, "moves")) == 0,
	      "policy diff, a scope added: lab's CN drop -> pass, lab selects 10.9.0.0/16, no address moves");
	json_object_put(d);
}

/* The running agent's inputs changed on disk since its reload: the diff says its old side is the files. */
static void stale_inputs(void)
{
	int rc;

	CHECK(gf_lab_agent_stop(&lab, SIGTERM) == 0, "the agent stopped (its state.json stays)");
	gf_sh("printf 'CN drop\nRU drop\n' > %s/countries.d/00-concern.list", lab.dir);
	rc = run("ip netns exec %s %s/geofence --config %s policy diff", lab.ns_gw, GF_BUILD_DIR, lab.conf);
	CHECK(rc == 0 && strstr(out, "00-concern.list changed since the agent's last reload"),
	      "policy diff: a list changed since the last reload is named (%d)", rc);
	rc = run("ip netns exec %s %s/geofence --config %s --json policy diff 2>/dev/null", lab.ns_gw, GF_BUILD_DIR,
		 lab.conf);
	CHECK(rc == 0 && strstr(out, "\"inputs_changed_since_reload\"") && strstr(out, "00-concern.list\""),
	      "--json: inputs_changed_since_reload names it");
}

int main(void)
{
	int rc;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_lab_up_default(&lab, "gfc", hosts, 3, "events = { output = \"off\"; };\n", "CN drop\nRU monitor\n"))
		return GF_TEST_SETUP_ERROR;
	rc = gf_lab_agent_start(&lab);
	if (CHECK(rc == 0, "geofenced starts (%d)", rc)) {
		accepted();
		rejected_as_reload();
		diff();
		rewritten_in_place();
		stale_inputs();
	}
	if (gf_test_failed) {
		gf_sh("echo '--- the agent log:'; cat %s >&2", lab.log);
		gf_sh("ps -o pid,stat,wchan:32,cmd -p %d >&2; cat /proc/%d/stack >&2 2>/dev/null; true", lab.agent, lab.agent);
	}
	gf_lab_detach(&lab, out, sizeof(out));
	gf_lab_down(&lab);
	return gf_test_summary();
}
