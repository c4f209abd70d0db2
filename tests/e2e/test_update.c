// SPDX-License-Identifier: GPL-2.0
/*
 * Fresh GeoIP data (`geofence update`, issue 12), against a local HTTPS
 * server the test starts (openssl s_server -WWW, a certificate for
 * "localhost" made here) and a running agent:
 *
 *   - a good .mmdb.gz with its published SHA-256: unpacked, validated,
 *     renamed over update.path, and the agent reloads it;
 *   - refused, the installed file and the running generation untouched:
 *     a wrong checksum, a truncated database, a one-network database (the
 *     data sanity check), older data than what runs, a server whose
 *     certificate the CA does not vouch for, a plain http URL;
 *   - --if-configured without update.url: nothing to do, exit 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>
#include "gf_agent_state.h"
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_state.h"
#include "gf_test.h"

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "US" };
static char out[1 << 16], db[256], www[256];
static pid_t server;
static int port;

static void server_stop(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
		gf_keep_pid(server, 0);
		server = 0;
	}
}

static int write_update(const char *url_file, const char *extra)
{
	char ex[2048];

	snprintf(ex, sizeof(ex), "update = { url = \"https://localhost:%d/%s\"; path = \"%s\"; "
		 "ca_file = \"%s/cert.pem\"; %s };\n", port, url_file, db, lab.dir, extra ? extra : "");
	return gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){
		.sources = "{ mmdb = \"/tmp/gfu-lab/country.mmdb\"; }", .extra = ex });
}

/* The data the agent runs: its source's SHA-256 in state.json. */
static void running_sha(char out_sha[65])
{
	struct gf_agent_state st;

	out_sha[0] = 0;
	if (!gf_lab_state(&lab, &st) && st.nsources)
		snprintf(out_sha, 65, "%s", st.sources[0].sha256 ?: "");
	gf_agent_state_free(&st);
}

/* geofence update, refused: its exit code 1, the file and the running data unchanged */
static void refused(const char *what, const char *url_file, const char *extra, const char *why, int want_rc)
{
	char before[65] = "", after[65] = "", run0[65], run1[65];
	int rc;

	write_update(url_file, extra);
	usleep(800000);	/* the config file changed: the agent reloads it, the data stays */
	running_sha(run0);
	gf_sha256_file(db, before);
	rc = gf_lab_cli(&lab, out, sizeof(out), "update");
	gf_sha256_file(db, after);
	CHECK(rc == want_rc && strstr(out, why) && strstr(out, "is unchanged") && !strcmp(before, after),
	      "%s: refused (exit %d), the installed file unchanged: %.300s", what, rc, out);
	usleep(800000);
	running_sha(run1);
	CHECK(run0[0] && !strcmp(run0, run1), "%s: the agent runs the same data (%.16s)", what, run1);
	CHECK(gf_sh_quiet("ls %s/.geofence-update-* >/dev/null 2>&1", lab.dir) != 0,
	      "%s: no temporary file left behind", what);
}

int main(int argc, char **argv)
{
	static struct gf_world w;
	char err[512];
	long long gen;
	int rc;

	gf_test_verbose = argc > 1 && !strcmp(argv[1], "-v");
	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&w, err, sizeof(err)) || gf_lab_up(&lab, "gfu", &w, hosts, 2))
		return GF_TEST_SETUP_ERROR;
	atexit(server_stop);
	port = 42000 + getpid() % 10000;
	snprintf(db, sizeof(db), "%s/country.mmdb", lab.dir);
	snprintf(www, sizeof(www), "%s/www", lab.dir);
	/* the files the server offers */
	if (gf_sh("cp %s %s && mkdir -p %s && gzip -c %s > %s/good.mmdb.gz && "
		  "(cd %s && sha256sum good.mmdb.gz > good.mmdb.gz.sha256) && "
		  "head -c 1000000 %s > %s/truncated.mmdb && "
		  "%s/tests/lib/mkdb.pl %s/tiny.mmdb --networks 5 --seed 3 && "
		  "%s/tests/lib/mkdb.pl %s/old.mmdb --networks 5 --build-epoch 1500000000 && "
		  "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost "
		  "-addext subjectAltName=DNS:localhost -keyout %s/key.pem -out %s/cert.pem 2>/dev/null",
		  GF_BUILD_DB, db, www, GF_BUILD_DB, www, www, GF_BUILD_DB, www, GF_SRCDIR, www, GF_SRCDIR, www,
		  lab.dir, lab.dir))
		return GF_TEST_SETUP_ERROR;
	server = fork();
	if (server > 0)
		gf_keep_pid(server, 1);
	if (server == 0) {
		char acc[32], cert[300], key[300];

		snprintf(acc, sizeof(acc), "127.0.0.1:%d", port);
		snprintf(cert, sizeof(cert), "%s/cert.pem", lab.dir);
		snprintf(key, sizeof(key), "%s/key.pem", lab.dir);
		if (chdir(www) || !freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execlp("openssl", "openssl", "s_server", "-WWW", "-accept", acc, "-cert", cert, "-key", key,
		       "-quiet", (char *)NULL);
		_exit(127);
	}
	usleep(500000);
	if (write_update("good.mmdb.gz", NULL) || gf_lab_write_list(&lab, "00-concern.list", "CN drop\n"))
		return GF_TEST_SETUP_ERROR;
	rc = gf_lab_agent_start(&lab);
	if (!CHECK(rc == 0, "geofenced starts on update.path's file (%d)", rc))
		return gf_test_summary();

	/* ---- refused downloads ---- */
	refused("a wrong checksum", "good.mmdb.gz",
		"sha256 = \"0000000000000000000000000000000000000000000000000000000000000000\";",
		"checksum mismatch", 1);
	refused("a truncated database", "truncated.mmdb", NULL, "not usable: https://localhost:", 1);
	refused("older data than what runs", "old.mmdb", NULL, "older than the running data", 1);
	refused("a database of five networks", "tiny.mmdb", "", "data sanity check", 1);
	{
		/* a server the configured CA does not vouch for: no ca_file */
		char ex[600];

		snprintf(ex, sizeof(ex), "update = { url = \"https://localhost:%d/good.mmdb.gz\"; path = \"%s\"; };\n",
			 port, db);
		gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){
			.sources = "{ mmdb = \"/tmp/gfu-lab/country.mmdb\"; }", .extra = ex });
		rc = gf_lab_cli(&lab, out, sizeof(out), "update");
		CHECK(rc == 3 && strstr(out, "certificate") && strstr(out, "update.ca_file"),
		      "an unknown CA: refused, exit 3, pointing at update.ca_file: %.200s", out);
		snprintf(ex, sizeof(ex), "update = { url = \"http://localhost:%d/good.mmdb.gz\"; path = \"%s\"; };\n",
			 port, db);
		gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){
			.sources = "{ mmdb = \"/tmp/gfu-lab/country.mmdb\"; }", .extra = ex });
		rc = gf_lab_cli(&lab, out, sizeof(out), "update");
		CHECK(rc == 1 && strstr(out, "plain http is refused"), "a plain http URL: refused (%d): %.200s",
		      rc, out);
	}

	/* ---- the good one, with its published checksum ---- */
	write_update("good.mmdb.gz", "sha256_url = \"https://localhost:%PORT%/good.mmdb.gz.sha256\";");
	gf_sh("sed -i 's/%%PORT%%/%d/' %s", port, lab.conf);
	usleep(800000);
	gen = gf_lab_generation(&lab);
	rc = gf_lab_cli(&lab, out, sizeof(out), "update");
	CHECK(rc == 0 && strstr(out, "updated ") && strstr(out, "the agent reloads it"),
	      "a good .mmdb.gz with its SHA-256: unpacked, checked, installed: %.300s", out);
	for (int i = 0; i < 50 && gf_lab_generation(&lab) <= gen; i++)
		usleep(100000);
	CHECK(gf_lab_generation(&lab) > gen, "the agent reloaded it (generation %lld -> %lld)", gen,
	      gf_lab_generation(&lab));
	CHECK(gf_sh_quiet("cmp -s %s %s", db, GF_BUILD_DB) == 0, "the installed file is the database served");

	/* ---- the timer's run without update.url ---- */
	gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){ .sources = "{ mmdb = \"/tmp/gfu-lab/country.mmdb\"; }" });
	rc = gf_lab_cli(&lab, out, sizeof(out), "update --if-configured");
	CHECK(rc == 0 && strstr(out, "not configured"), "--if-configured without update.url: exit 0, says so");
	rc = gf_lab_cli(&lab, out, sizeof(out), "update");
	CHECK(rc == 2, "without --if-configured: a usage error (%d)", rc);

	server_stop();
	CHECK(gf_lab_detach(&lab, out, sizeof(out)) == 0, "geofence detach");
	gf_lab_down(&lab);
	gf_world_free(&w);
	return gf_test_summary();
}
