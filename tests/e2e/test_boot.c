// SPDX-License-Identifier: GPL-2.0
/*
 * A boot, simulated in namespaces (issue 12): the guard goes up first
 * (`geofence guard up`, what geofence-guard.service runs before the
 * network), the LAN starts sending to CN and US at once, every 0.5 ms,
 * and keeps sending through it all:
 *
 *   - before any agent: nothing is forwarded, to either;
 *   - an agent with a broken configuration exits: still nothing, and
 *     `geofence status` says the guard is up;
 *   - the agent with a good configuration: once it enforces it lifts the
 *     guard; US passes from then on;
 *   - CN: not one packet at any time;
 *
 * then the same boot with guard.mode = "classes": the agent wrote what its
 * generation drops to state.dir/guard.nft; after a "reboot" (the datapath
 * detached) the guard drops only that: US passes before any agent, CN
 * never; a guard file that others could have written is refused and the
 * full guard goes up instead.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_state.h"
#include "gf_test.h"

static struct gf_lab lab;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
static const char *const hosts[] = { "CN", "US" };
static char out[1 << 16];
static volatile int stop_sender;
static unsigned long long sent;

static void *sender(void *arg)
{
	struct sockaddr_in a[2] = { { .sin_family = AF_INET, .sin_port = htons(9400) },
				    { .sin_family = AF_INET, .sin_port = htons(9400) } };
	sigset_t all;
	int fd;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	if (gf_netns_enter(lab.ns_lan))
		return NULL;
	inet_pton(AF_INET, lab.hosts[0].v4, &a[0].sin_addr);
	inet_pton(AF_INET, lab.hosts[1].v4, &a[1].sin_addr);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	while (!stop_sender) {
		for (int i = 0; i < 2; i++)
			if (sendto(fd, "boot", 4, MSG_DONTWAIT, (struct sockaddr *)&a[i], sizeof(a[i])) == 4)
				sent++;
		usleep(500);
	}
	close(fd);
	return NULL;
}

static int guard(const char *what, char *buf, size_t len)
{
	char cmd[600];
	FILE *p;
	size_t n = 0;
	int rc;

	snprintf(cmd, sizeof(cmd), "%s/geofence --config %s guard %s --netns %s 2>&1", GF_BUILD_DIR, lab.conf,
		 what, lab.ns_gw);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (buf && len) {
		n = fread(buf, 1, len - 1, p);
		buf[n] = 0;
	} else {
		char sink[512];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	rc = pclose(p);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

int main(int argc, char **argv)
{
	static struct gf_world w;
	char err[512], gout[512];
	pthread_t thr;
	unsigned long long cn, us, sent0;
	int ret;

	gf_test_verbose = argc > 1 && !strcmp(argv[1], "-v");
	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&w, err, sizeof(err)) || gf_lab_up(&lab, "gfb", &w, hosts, 2))
		return GF_TEST_SETUP_ERROR;

	/* ---- the guard, then the LAN, before any agent ---- */
	CHECK(guard("up", gout, sizeof(gout)) == 0 && strstr(gout, "boot guard: UP"),
	      "geofence guard up (what geofence-guard.service runs): %s", gout);
	pthread_create(&thr, NULL, sender, NULL);
	usleep(700000);
	cn = gf_lab_delivered(&lab, 0, 4);
	us = gf_lab_delivered(&lab, 1, 4);
	CHECK(sent > 500 && cn == 0 && us == 0, "booting, no agent: nothing forwarded (%llu sent; CN %llu, US %llu)",
	      sent, cn, us);

	/* ---- an agent that cannot start ---- */
	if (gf_sh("printf 'interfaces = { lan = [ \"g0\" ];\\n wan = [ \"g1\" ; };\\n' > %s", lab.conf))
		return GF_TEST_SETUP_ERROR;
	ret = gf_lab_agent_start(&lab);
	CHECK(ret != 0, "geofenced with a broken configuration does not start (%d)", ret);
	gf_lab_agent_stop(&lab, SIGKILL);
	usleep(500000);
	cn = gf_lab_delivered(&lab, 0, 4);
	us = gf_lab_delivered(&lab, 1, 4);
	CHECK(cn == 0 && us == 0, "the box stays closed: still nothing forwarded (CN %llu, US %llu)", cn, us);
	CHECK(guard("status", gout, sizeof(gout)) == 0 && strstr(gout, "UP") && !strstr(gout, "(0 packets"),
	      "the guard is up and counts what it dropped: %s", gout);

	/* ---- the agent, configured: it enforces, then lifts the guard ---- */
	if (gf_lab_write_config(&lab, "{ mmdb = \"" GF_BUILD_DB "\"; }", NULL) ||
	    gf_lab_write_list(&lab, "00-concern.list", "CN drop\n"))
		return GF_TEST_SETUP_ERROR;
	sent0 = sent;
	ret = gf_lab_agent_start(&lab);
	CHECK(ret == 0, "geofenced starts (%d)", ret);
	usleep(300000);
	CHECK(gf_sh_quiet("grep -q 'boot guard lifted: geofence enforces generation' %s", lab.log) == 0 &&
	      guard("status", gout, sizeof(gout)) == 0 && strstr(gout, "boot guard: down"),
	      "it lifted the guard once it enforced, and said so");
	usleep(700000);
	cn = gf_lab_delivered(&lab, 0, 4);
	us = gf_lab_delivered(&lab, 1, 4);
	CHECK(us > 300 && cn == 0, "from then on US passes (%llu delivered of %llu sent since); CN: %llu, at "
	      "no time", us, (sent - sent0) / 2, cn);
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "status") == 0 && !strstr(out, "boot guard:"),
	      "status has no guard line once it is down");

	/* ---- guard.mode = "classes": the agent writes the next boot's guard ---- */
	if (gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){ .sources = "{ mmdb = \"" GF_BUILD_DB "\"; }",
								 .extra = "guard = { mode = \"classes\"; };" }))
		return GF_TEST_SETUP_ERROR;
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "reload") == 0 &&
	      gf_sh_quiet("grep -q 'boot guard (classes): [0-9]* dropped intervals' %s", lab.log) == 0 &&
	      gf_sh_quiet("test \"$(stat -c %%a%%U %s/guard.nft)\" = 600root && "
			  "grep -q 'add set inet geofence_guard drop4' %s/guard.nft", lab.state_dir, lab.state_dir) == 0,
	      "guard.mode = \"classes\": the reload wrote state.dir/guard.nft (0600, root)");
	/* a reboot: the guard first, as geofence-guard.service; the datapath is gone */
	{
		double t0 = now_s();

		CHECK(guard("up", gout, sizeof(gout)) == 0 && strstr(gout, "UP: classes"),
		      "geofence guard up loads it: %s", gout);
		printf("bench: guard_classes_up_ms %.0f (geofence guard up, the default data's CN list)\n",
		       (now_s() - t0) * 1e3);
	}
	CHECK(gf_lab_detach(&lab, out, sizeof(out)) == 0, "a reboot: the datapath is gone (geofence detach)");
	sent0 = sent;
	cn = gf_lab_delivered(&lab, 0, 4);
	us = gf_lab_delivered(&lab, 1, 4);
	usleep(700000);
	CHECK(gf_lab_delivered(&lab, 1, 4) > us + 300 && gf_lab_delivered(&lab, 0, 4) == cn && cn == 0,
	      "booting with the classes guard, no agent: US passes (%llu), CN does not (%llu)",
	      gf_lab_delivered(&lab, 1, 4) - us, gf_lab_delivered(&lab, 0, 4));
	CHECK(guard("status", gout, sizeof(gout)) == 0 && strstr(gout, "classes") && !strstr(gout, "(0 packets"),
	      "and counts what it dropped: %s", gout);
	ret = gf_lab_agent_start(&lab);
	usleep(300000);
	CHECK(ret == 0 && guard("status", gout, sizeof(gout)) == 0 && strstr(gout, "boot guard: down"),
	      "the agent enforces and lifts it (%d)", ret);
	usleep(300000);
	CHECK(gf_lab_delivered(&lab, 0, 4) == 0, "CN: nothing, at any time");
	stop_sender = 1;
	pthread_join(thr, NULL);

	/* ---- a guard file someone else could have written: refused, the full guard ---- */
	CHECK(gf_sh("chmod 0666 %s/guard.nft", lab.state_dir) == 0 && guard("up", gout, sizeof(gout)) == 0 &&
	      strstr(gout, "writable by others: ignored") && strstr(gout, "the full guard instead") &&
	      strstr(gout, "UP: nothing is forwarded"), "a world-writable guard.nft is refused: %s", gout);
	CHECK(guard("down", NULL, 0) == 0, "guard down");

	CHECK(gf_lab_detach(&lab, out, sizeof(out)) == 0, "geofence detach");
	gf_lab_down(&lab);
	gf_world_free(&w);
	return gf_test_summary();
}
