// SPDX-License-Identifier: GPL-2.0
/*
 * Upgrades and rollbacks across map layouts, under traffic (issue 12).
 *
 * Version A is this checkout built with LAYOUT_TEST=1 (build/layout-test:
 * another map layout, a wider policy entry); version B is this build.  A LAN
 * host sends UDP to a CN host (dropped) and a US host (passed) every 0.5 ms
 * throughout, and a receiver on the US host notes every arrival:
 *
 *   1. A runs; it is stopped (the datapath stays) and B started: B finds
 *      layout 1001 pinned, makes its maps, fills them, swaps the programs
 *      and releases A's maps; counters carried;
 *   2. the rollback: B stopped, A started: the same path back;
 *   3. an upgrade that fails half-way (B with table sizes too small for
 *      the data): B puts A's maps back and exits; A's programs go on;
 *   4. a change of table size only: the same migration, within one layout;
 *
 * and at every step: nothing reached CN, US never stopped for longer than
 * the bar (the longest gap between two arrivals is printed), and the CLI
 * of the other layout refuses to read the maps instead of misreading them.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "geofence.h"	/* GF_LAYOUT: this build's, version B's */
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_test.h"

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "US" };
static char out[1 << 16];
static const char *const A_BIN = GF_BUILD_DIR "/layout-test";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the LAN host: CN and US every 0.5 ms; the US host: arrivals ---- */
static volatile int stop;
static unsigned long long sent, got;
static double last_arrival, max_gap;
static pthread_mutex_t gap_lock = PTHREAD_MUTEX_INITIALIZER;

static void block_signals(void)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
}

static void *sender(void *arg)
{
	struct sockaddr_in cn = { .sin_family = AF_INET, .sin_port = htons(9400) }, us = cn;
	int fd;

	(void)arg;
	block_signals();
	if (gf_netns_enter(lab.ns_lan) || (fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		return NULL;
	inet_pton(AF_INET, lab.hosts[0].v4, &cn.sin_addr);
	inet_pton(AF_INET, lab.hosts[1].v4, &us.sin_addr);
	while (!stop) {
		sendto(fd, "c", 1, MSG_DONTWAIT, (struct sockaddr *)&cn, sizeof(cn));
		if (sendto(fd, "u", 1, MSG_DONTWAIT, (struct sockaddr *)&us, sizeof(us)) == 1)
			sent++;
		usleep(500);
	}
	close(fd);
	return NULL;
}

static void *receiver(void *arg)
{
	struct sockaddr_in us = { .sin_family = AF_INET, .sin_port = htons(9400) };
	char buf[16];
	int fd;

	(void)arg;
	block_signals();
	if (gf_netns_enter(lab.ns_wan) || (fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		return NULL;
	inet_pton(AF_INET, lab.hosts[1].v4, &us.sin_addr);
	if (bind(fd, (struct sockaddr *)&us, sizeof(us))) {
		close(fd);
		return NULL;
	}
	while (!stop) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, 100) == 1 && recv(fd, buf, sizeof(buf), 0) > 0) {
			double t = now_s();

			pthread_mutex_lock(&gap_lock);
			if (last_arrival > 0 && t - last_arrival > max_gap)
				max_gap = t - last_arrival;
			last_arrival = t;
			got++;
			pthread_mutex_unlock(&gap_lock);
		}
	}
	close(fd);
	return NULL;
}

/* The longest US gap since the last call, in ms. */
static double take_gap(void)
{
	double g;

	pthread_mutex_lock(&gap_lock);
	g = max_gap;
	max_gap = 0;
	pthread_mutex_unlock(&gap_lock);
	return g * 1e3;
}

static int logged(const char *fmt, ...)
{
	char pattern[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pattern, sizeof(pattern), fmt, ap);
	va_end(ap);
	return gf_sh_quiet("grep -q '%s' %s", pattern, lab.log) == 0;
}

static int layout_shown(int layout)
{
	char want[64];

	snprintf(want, sizeof(want), "map layout %d,", layout);
	return gf_lab_cli(&lab, out, sizeof(out), "status") == 0 && strstr(out, want);
}

/* Stop the running agent, start the one in bin; 0 when it enforces. */
static int switch_agent(const char *bin)
{
	int st = gf_lab_agent_stop(&lab, SIGTERM);

	if (st != 0)
		fprintf(stderr, "the agent stopped with %d\n", st);
	gf_sh_quiet(": > %s", lab.log);
	lab.bin_dir = bin;
	return gf_lab_agent_start(&lab);
}

static int previous_gone(void)
{
	return gf_sh_quiet("test ! -e %s/previous", lab.pin_dir) == 0;
}

int main(int argc, char **argv)
{
	static struct gf_world w;
	char err[512], want[128];
	pthread_t ts, tr;
	long long cn_a, cn_b;
	unsigned long long s0;
	double gap;
	int ret;

	gf_test_verbose = argc > 1 && !strcmp(argv[1], "-v");
	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (access(GF_BUILD_DIR "/layout-test/geofenced", X_OK)) {
		fprintf(stderr, "%s/layout-test/geofenced is missing: make layout-test (make test builds it)\n",
			GF_BUILD_DIR);
		return GF_TEST_SETUP_ERROR;
	}
	if (gf_world_load_default(&w, err, sizeof(err)) || gf_lab_up(&lab, "gfu", &w, hosts, 2))
		return GF_TEST_SETUP_ERROR;
	if (gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){ .sources = "{ mmdb = \"" GF_BUILD_DB "\"; }" }) ||
	    gf_lab_write_list(&lab, "00-concern.list", "CN drop\n"))
		return GF_TEST_SETUP_ERROR;

	/* ---- version A ---- */
	lab.bin_dir = A_BIN;
	ret = gf_lab_agent_start(&lab);
	if (!CHECK(ret == 0, "version A (layout 1001) starts (%d)", ret))
		goto out;
	pthread_create(&tr, NULL, receiver, NULL);
	pthread_create(&ts, NULL, sender, NULL);
	usleep(500000);
	CHECK(got > 100 && gf_lab_delivered(&lab, 0, 4) == 0, "A: US arrives (%llu), CN does not", got);
	CHECK(layout_shown(1001), "A's status: map layout 1001");
	cn_a = gf_lab_class_packets(&lab, "CN", "drop", "xdp");
	CHECK(cn_a > 100, "A counted CN drops (%lld)", cn_a);
	take_gap();

	/* ---- 1. the upgrade A -> B ---- */
	ret = switch_agent(NULL);
	CHECK(ret == 0, "version B (layout %d) starts on A's datapath (%d)", GF_LAYOUT, ret);
	usleep(300000);
	gap = take_gap();
	CHECK(logged("upgrade from layout 1001") && logged("upgrade done: layout 1001 -> %d", GF_LAYOUT),
	      "B migrated: 'upgrade from layout 1001 ... upgrade done: layout 1001 -> %d'", GF_LAYOUT);
	gf_sh_quiet("grep -o 'upgrade done.*' %s", lab.log);	/* the figures, for the log */
	CHECK(logged("XDP on g0: replaced") && logged("tc egress on g1: replaced"),
	      "the programs swapped in one step (replaced, not attached after a detach)");
	CHECK(previous_gone(), "A's maps released (no %s/previous)", lab.pin_dir);
	CHECK(gf_lab_delivered(&lab, 0, 4) == 0, "nothing reached CN during the upgrade");
	CHECK(gap > 0 && gap < 100, "US never stopped: longest gap between arrivals %.1f ms (bar: 100 ms)", gap);
	printf("bench: upgrade_layout_gap_ms %.1f (longest gap between US arrivals, one every 0.5 ms, "
	       "across stop A + start B + migration)\n", gap);
	CHECK(layout_shown(GF_LAYOUT), "B's status: map layout %d", GF_LAYOUT);
	/* every CN datagram sent so far was dropped: the counter holds them all, A's included */
	s0 = sent;
	cn_b = gf_lab_class_packets(&lab, "CN", "drop", "xdp");
	CHECK(cn_b >= cn_a && cn_b >= (long long)(s0 * 0.95),
	      "CN drop counter carried across the migration (%lld, A had %lld; %llu sent)", cn_b, cn_a, s0);
	lab.bin_dir = A_BIN;
	snprintf(want, sizeof(want), "has map layout %d, this geofence reads layout 1001", GF_LAYOUT);
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "stats") != 0 && strstr(out, want),
	      "A's CLI refuses B's maps by name instead of misreading them");
	lab.bin_dir = NULL;

	/* ---- 2. the rollback B -> A ---- */
	ret = switch_agent(A_BIN);
	CHECK(ret == 0 && logged("upgrade done: layout %d -> 1001", GF_LAYOUT) && previous_gone(),
	      "rollback: A migrates back the same way (%d)", ret);
	usleep(300000);
	gap = take_gap();
	CHECK(gf_lab_delivered(&lab, 0, 4) == 0 && gap > 0 && gap < 100,
	      "nothing reached CN, longest US gap %.1f ms", gap);
	printf("bench: rollback_layout_gap_ms %.1f\n", gap);
	s0 = sent;
	cn_a = gf_lab_class_packets(&lab, "CN", "drop", "xdp");
	CHECK(cn_a >= cn_b && cn_a >= (long long)(s0 * 0.95), "counters carried back (%lld; %llu sent)", cn_a, s0);

	/* ---- 3. an upgrade that fails half-way: B's tables do not fit ---- */
	gf_lab_agent_stop(&lab, SIGTERM);
	gf_sh_quiet(": > %s", lab.log);
	CHECK(gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){
		.sources = "{ mmdb = \"" GF_BUILD_DB "\"; }", .state = "ipv4_nodes = 1024;" }) == 0,
	      "a configuration whose IPv4 table cannot fit 1024 nodes");
	lab.bin_dir = NULL;
	ret = gf_lab_agent_start(&lab);
	CHECK(ret != 0 && logged("upgrade from layout 1001") && logged("upgrade abandoned: the previous maps "
									"are pinned again"),
	      "B fails to install, puts A's maps back and says so (%d)", ret);
	gf_lab_agent_stop(&lab, SIGTERM);	/* reaped, whether it has exited yet or not */
	lab.bin_dir = A_BIN;
	usleep(300000);
	gap = take_gap();
	CHECK(layout_shown(1001) && previous_gone(), "A's maps are the pinned ones again");
	CHECK(gf_lab_delivered(&lab, 0, 4) == 0 && gap < 100,
	      "A's programs went on: nothing reached CN, longest US gap %.1f ms", gap);

	/* ---- 4. table sizes: the same migration within a layout ---- */
	CHECK(gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){
		.sources = "{ mmdb = \"" GF_BUILD_DB "\"; }", .state = "ipv4_nodes = 70000;" }) == 0 &&
	      gf_lab_agent_start(&lab) == 0, "A starts again with ipv4_nodes = 70000");
	CHECK(logged("upgrade done: layout 1001 -> 1001 (gf_node4 holds 131072 entries of 64 bytes, "
		     "this geofenced wants 140000 of 64)"), "the table maps moved to the new size");
	usleep(300000);
	gap = take_gap();
	CHECK(gf_lab_delivered(&lab, 0, 4) == 0 && gap < 100 && previous_gone(),
	      "nothing reached CN, longest US gap %.1f ms", gap);

	stop = 1;
	pthread_join(ts, NULL);
	pthread_join(tr, NULL);
	CHECK(got > sent / 2, "US arrivals overall: %llu of %llu sent", got, sent);
	CHECK(gf_lab_detach(&lab, out, sizeof(out)) == 0, "geofence detach (A's): %s", out);
out:
	stop = 1;
	gf_lab_down(&lab);
	gf_world_free(&w);
	return gf_test_summary();
}
