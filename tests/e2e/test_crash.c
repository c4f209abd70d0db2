// SPDX-License-Identifier: GPL-2.0
/*
 * Crash safety, with UDP traffic from the LAN host to CN and US running
 * the whole time (nftables on the internet side counts what arrives):
 *
 *   - kill -9 the agent: CN stays blocked, US keeps flowing;
 *   - restart: the agent adopts the pinned datapath (same XDP program, the
 *     generation goes on, counters kept);
 *   - kill -9 in the middle of a reload: the datapath keeps a consistent
 *     generation; the next agent adopts it;
 *   - broken pushes (config syntax, bad ISO code in a list, unknown
 *     interface, truncated database): `geofence reload` exits 4 naming the
 *     file (and line), the running generation stays, CN stays blocked;
 *   - a second agent on the same pins exits 4; an agent started on a broken
 *     config exits 2 and the pinned datapath keeps enforcing.
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <json-c/json.h>
#include "gf_agent_state.h"
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_state.h"
#include "gf_test.h"

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "US", "RU", "DE" };
enum { CN, US };

static volatile int stop;
static __u64 sent[2];
static int send_err;

/* Two datagrams (CN, US) every half millisecond from the LAN host. */
static void *sender(void *arg)
{
	struct sockaddr_in to[2] = {};
	sigset_t all;
	int fd;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	if (gf_netns_enter(lab.ns_lan) || (fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0) {
		send_err = -EIO;
		return NULL;
	}
	for (int h = 0; h < 2; h++) {
		to[h].sin_family = AF_INET;
		to[h].sin_port = htons(9);
		inet_pton(AF_INET, lab.hosts[h].v4, &to[h].sin_addr);
	}
	while (!stop) {
		for (int h = 0; h < 2; h++) {
			if (sendto(fd, "geofence", 8, 0, (struct sockaddr *)&to[h], sizeof(to[h])) == 8)
				sent[h]++;
			else if (errno != EINTR)
				send_err = -errno;
		}
		usleep(500);
	}
	close(fd);
	return NULL;
}

static char conf_good[256];

/* From `geofence status --json`, with the good config (the lab's may be broken). */
static long long status_int(const char *key)
{
	static char out[1 << 16];
	json_object *o;
	long long v = -1;

	if (gf_lab_cli(&lab, out, sizeof(out), "--config %s status --json", conf_good) > 3 || !(o = json_tokener_parse(out))) {
		if (getenv("GF_TEST_VERBOSE"))
			printf("status --json: %s\n", out);
		return -1;
	}
	if (!strcmp(key, "agent_running")) {
		json_object *x;

		v = json_object_object_get_ex(o, "agent_running", &x) && json_object_get_boolean(x);
	} else {
		v = gf_state_int(o, key);
	}
	json_object_put(o);
	return v;
}

/* The last reload's result from the agent's state: applied, in force everywhere. */
static int last_reload_ok(void)
{
	struct gf_agent_state st;
	int ok = !gf_lab_state(&lab, &st) &&
		 gf_reload_result_parse(st.reload.last.result) == GF_RELOAD_APPLIED;

	gf_agent_state_free(&st);
	return ok;
}

/* The id of the XDP program on g0, as the kernel reports it. */
static long long xdp_prog_id(void)
{
	char cmd[256], buf[64] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "ip -n %s -d link show g0 | sed -n 's/.*prog\\/xdp id \\([0-9]*\\).*/\\1/p'", lab.ns_gw);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(buf, sizeof(buf), p))
		buf[0] = '\0';
	pclose(p);
	return buf[0] ? atoll(buf) : -1;
}

static int log_has(const char *needle)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "grep -qF -- '%s' %s", needle, lab.log);
	return gf_sh_quiet("%s", cmd) == 0;
}

static long long cn_drops(void)
{
	return gf_lab_class_packets(&lab, "CN", "drop", "xdp");
}

/* CN got nothing and US keeps getting datagrams over the last moments. */
static void still_enforcing(const char *when)
{
	__u64 us0 = gf_lab_delivered(&lab, US, 4);

	usleep(150000);
	CHECK(gf_lab_delivered(&lab, CN, 4) == 0 && gf_lab_delivered(&lab, US, 4) > us0,
	      "%s: CN blocked (%llu delivered), US flows (+%llu)", when,
	      (unsigned long long)gf_lab_delivered(&lab, CN, 4),
	      (unsigned long long)(gf_lab_delivered(&lab, US, 4) - us0));
}

/* Push something broken; reload must be rejected naming `names`. */
static void broken_push(const char *what, const char *names)
{
	static char out[8192];
	long long gen = status_int("generation");
	int ret;

	ret = gf_lab_cli(&lab, out, sizeof(out), "reload");
	CHECK(ret == 4 && strstr(out, names), "%s: reload exits 4 (%d) naming %s: %s", what, ret,
	      names, out);
	CHECK(status_int("generation") == gen, "%s: the running generation %lld stays", what, gen);
	/* a config the CLI cannot parse: the agent sees the change itself */
	for (int i = 0; i < 60 && last_reload_ok(); i++)
		usleep(50000);
	CHECK(!last_reload_ok() && log_has("reload rejected"),
	      "%s: the rejection is in the state and the log", what);
	still_enforcing(what);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

int main(void)
{
	static struct gf_world w;
	char err[512], out[8192], db[256], src[300], path[300];
	long long prog, gen, drops;
	pthread_t thr;
	int ret;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&w, err, sizeof(err)) || gf_lab_up(&lab, "gfc", &w, hosts, 4))
		return GF_TEST_SETUP_ERROR;
	snprintf(db, sizeof(db), "%s/country.mmdb", lab.dir);
	snprintf(src, sizeof(src), "{ mmdb = \"%s\"; }", db);
	snprintf(conf_good, sizeof(conf_good), "%s/good.conf", lab.dir);
	if (gf_sh("cp %s %s && cp %s/user/conf/countries.d/00-concern.list %s/", GF_BUILD_DB, db,
		  GF_SRCDIR, lab.lists) ||
	    gf_lab_write_config(&lab, src, NULL) || gf_sh("cp %s %s", lab.conf, conf_good))
		return GF_TEST_SETUP_ERROR;
	ret = gf_lab_agent_start(&lab);
	if (!CHECK(ret == 0, "geofenced starts (%d)", ret))
		return gf_test_summary();
	if (pthread_create(&thr, NULL, sender, NULL))
		return GF_TEST_SETUP_ERROR;
	still_enforcing("agent running");

	/* ---- kill -9 ---- */
	prog = xdp_prog_id();
	gen = status_int("generation");
	ret = gf_lab_agent_stop(&lab, SIGKILL);
	CHECK(ret == 128 + SIGKILL, "the agent is killed with SIGKILL (%d)", ret);
	CHECK(status_int("agent_running") == 0 && status_int("generation") == gen,
	      "status: no agent, the datapath still at generation %lld", gen);
	still_enforcing("after kill -9");
	drops = cn_drops();
	CHECK(drops > 0, "the killed agent's datapath counts CN drops (%lld)", drops);

	/* ---- restart: adopt ---- */
	ret = gf_lab_agent_start(&lab);
	CHECK(ret == 0, "a new agent starts (%d)", ret);
	CHECK(log_has("adopting the datapath pinned in") && log_has("XDP on g0: adopted"),
	      "it adopts the pinned datapath and the XDP program");
	CHECK(xdp_prog_id() == prog && prog > 0, "the same XDP program stays attached (id %lld)", prog);
	CHECK(status_int("generation") == gen + 1, "the generation goes on: %lld -> %lld", gen,
	      status_int("generation"));
	CHECK(cn_drops() >= drops, "the counters are kept (%lld >= %lld)", cn_drops(), drops);
	still_enforcing("after the restart");

	/*
	 * ---- kill -9 in the middle of a reload ----
	 * A reload reads and builds for ~150 ms, then writes the inactive
	 * tables and flips: kill it at points across all of that.
	 */
	for (int delay = 20; delay <= 220; delay += 50) {
		char what[64];
		long long g;

		gen = status_int("generation");
		kill(lab.agent, SIGHUP);
		usleep(delay * 1000);
		gf_lab_agent_stop(&lab, SIGKILL);
		g = status_int("generation");
		snprintf(what, sizeof(what), "killed %d ms into a reload", delay);
		CHECK(g == gen || g == gen + 1, "%s: generation %lld (was %lld)", what, g, gen);
		still_enforcing(what);
		ret = gf_lab_agent_start(&lab);
		CHECK(ret == 0 && xdp_prog_id() == prog, "%s: the next agent adopts it (%d)", what, ret);
	}

	/* ---- a second agent ---- */
	ret = gf_sh_quiet("%s/geofenced -c %s --netns %s 2>%s/second.log", GF_BUILD_DIR, lab.conf,
			  lab.ns_gw, lab.dir);
	snprintf(path, sizeof(path), "%s/second.log", lab.dir);
	CHECK(ret == 4 && gf_sh_quiet("grep -q 'another geofenced (pid %d)' %s",
						   lab.agent, path) == 0,
	      "a second agent on the same pins exits 4 naming the first (%d)", ret);

	/* ---- broken pushes ---- */
	write_file(lab.conf, "interfaces = { lan = [ \"g0\" ];\n  wan = [ \"g1\" ; };\n");
	broken_push("config syntax error", "geofence.conf:2");
	gf_sh("cp %s %s", conf_good, lab.conf);

	snprintf(path, sizeof(path), "%s/20-ops.list", lab.lists);
	write_file(path, "# pushed by ops\nBY drop\nXX drop\n");
	broken_push("bad ISO code in a list", "20-ops.list:3");
	unlink(path);

	/*
	 * An interface that does not exist is not a broken push: it is waited
	 * for, unfiltered and said so (the agent attaches when it appears)
	 */
	gf_sh("sed 's/lan = \\[ \"g0\" \\]/lan = [ \"g0\", \"nosuch0\" ]/' %s > %s", conf_good, lab.conf);
	{
		static char out[8192];

		ret = gf_lab_cli(&lab, out, sizeof(out), "reload");
		CHECK(ret == 0 && log_has("xdp nosuch0: no such interface") && log_has("waiting for it"),
		      "a configured interface that does not exist: the reload goes through, the log says "
		      "it waits for it (%d)", ret);
		CHECK(gf_lab_cli(&lab, out, sizeof(out), "status") == 0 && strstr(out, "nosuch0 xdp (absent)"),
		      "status shows it absent");
		still_enforcing("an absent interface");
	}
	gf_sh("cp %s %s", conf_good, lab.conf);
	gf_lab_cli(&lab, NULL, 0, "reload");

	gf_sh("head -c 2000000 %s > %s.new && mv %s.new %s", GF_BUILD_DB, db, db, db);
	broken_push("truncated database", "country.mmdb");
	gf_sh("cp %s %s.new && mv %s.new %s", GF_BUILD_DB, db, db, db);

	gen = status_int("generation");
	ret = gf_lab_cli(&lab, out, sizeof(out), "reload");
	CHECK(ret == 0 && status_int("generation") == gen + 1,
	      "fixed: reload exits 0 and installs generation %lld (%d: %s)", gen + 1, ret, out);

	/* ---- an agent started on a broken config ---- */
	gf_lab_agent_stop(&lab, SIGTERM);
	gf_sh("sed 's/default = \"pass\"/default = \"bounce\"/' %s > %s", conf_good, lab.conf);
	ret = gf_lab_agent_start(&lab);
	CHECK(ret == -2 - 1000, "an agent started on a broken config exits 2 (%d)", ret);
	CHECK(log_has("geofence.conf:3: policy.default = \"bounce\""), "and names the line");
	still_enforcing("no agent, broken config");
	gf_sh("cp %s %s", conf_good, lab.conf);
	ret = gf_lab_agent_start(&lab);
	CHECK(ret == 0 && xdp_prog_id() == prog, "fixed, the agent starts and adopts (%d)", ret);

	stop = 1;
	pthread_join(thr, NULL);
	usleep(100000);
	CHECK(!send_err, "the sender ran (%s): %llu to CN, %llu to US", strerror(-send_err),
	      (unsigned long long)sent[CN], (unsigned long long)sent[US]);
	CHECK(gf_lab_delivered(&lab, CN, 4) == 0, "over all of it, zero datagrams to CN delivered");
	CHECK(gf_lab_delivered(&lab, US, 4) == sent[US],
	      "over all of it, every datagram to US delivered: %llu of %llu",
	      (unsigned long long)gf_lab_delivered(&lab, US, 4), (unsigned long long)sent[US]);

	ret = gf_lab_detach(&lab, out, sizeof(out));
	CHECK(ret == 0 && xdp_prog_id() < 0, "detach removes the XDP program (%d)", ret);
	gf_lab_down(&lab);
	gf_world_free(&w);
	return gf_test_summary();
}
