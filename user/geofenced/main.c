// SPDX-License-Identifier: GPL-2.0
/*
 * geofenced [-c CONFIG] [--netns NAME] [--verbose]
 * geofenced --check [-c CONFIG] [--netns NAME]
 *
 * Stopping the agent (SIGTERM) leaves the datapath enforcing the last
 * policy; `geofence detach` removes it.  Exit codes: 0 stopped, 2 bad
 * configuration, 3 system error (BPF, attach, lock), 4 another agent runs.
 * See agent.h for the files and what each owns.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/statfs.h>
#include <sys/timerfd.h>
#include <linux/magic.h>
#include <bpf/libbpf.h>
#include "gf_log.h"
#include "gf_metrics.h"
#include "gf_ns.h"
#include "gf_state.h"
#include "gf_text.h"
#include <systemd/sd-daemon.h>
#include "agent.h"

static int ensure_bpffs(const char *pin_dir)
{
	struct statfs st;

	if (!statfs("/sys/fs/bpf", &st) && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700")) {
		pr_err("no bpf filesystem on /sys/fs/bpf and cannot mount one: %s (pins go to %s)\n",
		       strerror(errno), pin_dir);
		return -errno;
	}
	return 0;
}

/*
 * Room for the metrics server's connections (one descriptor each, up to a
 * thousand, so that slow clients cannot take every slot): the soft limit
 * up to the hard one, at most 4096.
 */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= 4096 || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		pr_warn("cannot raise the open-file limit to %llu: %s (fewer metrics connections)\n",
			(unsigned long long)rl.rlim_cur, strerror(errno));
}

static void usage(FILE *f)
{
	fprintf(f, "usage: geofenced [-c CONFIG] [--netns NAME] [--verbose]\n"
		   "       geofenced --check [-c CONFIG] [--netns NAME]\n"
		   "  -c, --config FILE  configuration (default " GF_CONFIG_DEFAULT ")\n"
		   "  --netns NAME       run in network namespace NAME (/run/netns/NAME)\n"
		   "  --check            judge the configuration as a reload would, touching nothing:\n"
		   "                     exit 0 it would apply, 4 rejected, 5 applied with errors\n"
		   "  -v, --verbose      debug messages, libbpf and libxdp included\n"
		   "  --version          the version and its map layout\n");
}

struct agent A = { .lock_fd = -1, .sfd = -1, .watch = { .ifd = -1, .tfd = -1 }, .link = { .nlfd = -1 } };

static int check_only;

/* Arguments: -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, int *verbose)
{
	static const struct option lo[] = {
		{ "check", no_argument, NULL, 'k' },
		{ "config", required_argument, NULL, 'c' },
		{ "netns", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{},
	};
	int ch;

	A.config_path = GF_CONFIG_DEFAULT;
	while ((ch = getopt_long(argc, argv, "c:vh", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': A.config_path = optarg; break;
		case 'n': A.netns = optarg; break;
		case 'k': check_only = 1; break;
		case 'v': *verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("geofenced %s (map layout %d)\n", GF_VERSION, GF_LAYOUT); return 0;
		default: usage(stderr); return EXIT_CONFIG;
		}
	}
	return -1;
}

/*
 * The datapath b's configuration names: bpffs, the pin directory's lock
 * (one agent per datapath), its permissions, then the maps and programs,
 * adopted where pinned.  0 or the exit code.
 */
static int open_datapath(const struct gf_build *b)
{
	struct gf_dp_opts o = { .pin_dir = b->cfg.pin_dir, .node4_cap = b->cfg.node4_cap,
				.node6_cap = b->cfg.node6_cap,
				.flows_cap = b->cfg.flows.max_entries };
	char err[512];
	int pinned;

	if (ensure_bpffs(b->cfg.pin_dir))
		return EXIT_SYSTEM;
	A.lock_fd = gf_dp_lock(b->cfg.pin_dir);
	if (A.lock_fd == -EBUSY) {
		struct gf_agent_state st;

		gf_agent_state_read(b->cfg.run_dir, &st, err, sizeof(err));
		pr_err("another geofenced (pid %lld) runs on %s: stop it first, or point this one "
		       "at another state.pin_dir\n", st.pid, b->cfg.pin_dir);
		gf_agent_state_free(&st);
		return EXIT_BUSY;
	}
	if (A.lock_fd < 0) {
		pr_err("cannot lock %s: %s\n", b->cfg.pin_dir, strerror(-A.lock_fd));
		return EXIT_SYSTEM;
	}
	/* pins another user could replace would be adopted as ours */
	if (gf_dir_check(b->cfg.pin_dir, (gid_t)-1, "state.pin_dir", err, sizeof(err))) {
		pr_err("%s\n", err);
		return EXIT_CONFIG;
	}
	pinned = gf_dp_pinned(b->cfg.pin_dir) > 0;
	if (gf_dp_open(&A.dp, &o))
		return EXIT_SYSTEM;
	if (gf_dp_migrating(A.dp))
		pr_info("upgrade from layout %d: the programs attached still enforce on the previous "
			"maps (in %s/previous) until this agent's replace them\n",
			gf_dp_prev_layout(A.dp), b->cfg.pin_dir);
	else if (pinned)
		pr_info("adopting the datapath pinned in %s (generation %llu)\n", b->cfg.pin_dir,
			(unsigned long long)gf_dp_flips(A.dp));
	return 0;
}

/*
 * The first generation.  At start, an interface that does not take the
 * hook stops the agent (a boot guard stays up): a gateway half filtered
 * from boot is worse than one that says it cannot start.  0 or the exit
 * code; b is A.cur or freed either way.
 */
static int first_generation(struct gf_build *b)
{
	char err[2048] = "";
	double t0 = now_ms();
	enum gf_reload_result res = apply(b, err, sizeof(err));

	log_reload(res, "start", now_ms() - t0, res != GF_RELOAD_APPLIED ? err : NULL);
	if (res == GF_RELOAD_APPLIED)
		migration_finish(now_ms() - t0);
	write_state();
	if (res == GF_RELOAD_APPLIED) {
		guard_lift();
		return 0;
	}
	if (res == GF_RELOAD_APPLIED_WITH_ERRORS)
		pr_err("not starting: an interface did not take the hook; the ones that did keep "
		       "enforcing generation %llu; fix it, then start geofenced again\n",
		       (unsigned long long)gf_dp_flips(A.dp));
	if (gf_dp_migrating(A.dp) && !gf_dp_migration_undo(A.dp))
		pr_err("upgrade abandoned: the previous maps are pinned again; interfaces not yet "
		       "swapped keep enforcing the previous generation, start the previous geofenced "
		       "to go on with it\n");
	if (A.cur != b)
		gf_build_free(b);
	return EXIT_SYSTEM;
}

/* The threads and servers the running generation's configuration asks for. */
static void start_services(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	/* a log or event reader that went away (a closed pipe) must not end the agent: EPIPE instead */
	signal(SIGPIPE, SIG_IGN);
	A.sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	A.watch.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	watch_inputs();
	scanner_start(&A.cur->cfg);
	events_start(&A.cur->cfg);
	exporter_sync(&A.cur->cfg);
	uploader_sync(&A.cur->cfg);
	metrics_sync(&A.cur->cfg);
	publish_metrics();
	pr_info("running: %d interface(s), pins in %s, state in %s/%s\n", A.link.nifs,
		A.cur->cfg.pin_dir, A.cur->cfg.run_dir, GF_STATE_FILE);
	sd_notifyf(0, "READY=1\nSTATUS=enforcing generation %llu on %d interface(s)",
		   (unsigned long long)gf_dp_flips(A.dp), A.link.nifs);
	A.link.nlfd = link_open();
	A.link.last_check = mono_s();
	link_dump();
}

/* A signal: 1 to stop, 0 to go on. */
static int on_signal(void)
{
	struct signalfd_siginfo si;

	if (read(A.sfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGHUP) {
		reload("SIGHUP");
		watch_inputs();
		return 0;
	}
	pr_info("stopping on %s: the datapath keeps enforcing generation %llu; geofence detach "
		"removes it\n", strsignal(si.ssi_signo), (unsigned long long)gf_dp_flips(A.dp));
	return 1;
}

/* inotify: a relevant change arms the debounce timer, which reloads once the writes settle. */
static void on_file_event(void)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t len;
	int hit = 0;

	while ((len = read(A.watch.ifd, buf, sizeof(buf))) > 0)
		for (char *q = buf; q < buf + len;) {
			struct inotify_event *e = (struct inotify_event *)q;

			hit |= relevant(e);
			q += sizeof(*e) + e->len;
		}
	if (hit)
		arm_debounce();
}

static void on_debounce(void)
{
	__u64 n;

	if (read(A.watch.tfd, &n, sizeof(n)) == sizeof(n)) {
		reload("file change");
		watch_inputs();
	}
}

/* Until a stop signal: signals, file changes, the debounce timer, link events, the 1 s check. */
static void event_loop(void)
{
	for (;;) {
		struct pollfd p[4] = { { A.sfd, POLLIN, 0 }, { A.watch.ifd, POLLIN, 0 },
				       { A.watch.tfd, POLLIN, 0 }, { A.link.nlfd, POLLIN, 0 } };

		if (mono_s() - A.link.last_check >= 1) {
			expiry_check();
			link_check();
			publish_metrics();	/* the agent's own counters (flow events) for /metrics */
		}
		if (poll(p, 4, 1000) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("poll: %s\n", strerror(errno));
			return;
		}
		if ((p[0].revents & POLLIN) && on_signal())
			return;
		if (p[1].revents & POLLIN)
			on_file_event();
		if (p[2].revents & POLLIN)
			on_debounce();
		if (p[3].revents & POLLIN)
			link_read();
	}
}

/* The datapath stays; everything else goes, the metrics server before what it reads. */
static void shutdown_agent(void)
{
	if (A.link.nlfd >= 0)
		close(A.link.nlfd);
	sd_notify(0, "STOPPING=1\nSTATUS=stopping; the datapath keeps enforcing");
	gf_metrics_stop(A.http.server);
	A.http.server = NULL;
	uploader_stop();
	events_stop();
	exporter_stop();
	scanner_stop();
	gf_build_free(A.cur);
	gf_schema_free(&gf_st_reload_schema, &A.reload);
	gf_dp_close(A.dp);
	close(A.lock_fd);
}

/*
 * --check: a push judged as a reload would judge it (gf_build_check), for
 * config management's validate step; the running agent is not touched.
 * The exit codes are a reload's: 0 applied, 4 rejected, 5 with errors.
 */
static int check(const char *config)
{
	char msg[2048] = "";
	enum gf_reload_result r = gf_build_check(config, NULL, msg, sizeof(msg));

	gf_build_check_print(config, r, msg);
	return gf_reload_exit_code(r);
}

int main(int argc, char **argv)
{
	char err[2048] = "";
	struct gf_build *b;
	int verbose = 0, ret;

	ret = parse_args(argc, argv, &verbose);
	if (ret >= 0)
		return ret;
	gf_log_route_libs(verbose);
	raise_nofile();
	A.started = time(NULL);
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (A.netns && (ret = gf_netns_enter(A.netns))) {
		pr_err("cannot enter network namespace %s: %s\n", A.netns, strerror(-ret));
		return EXIT_SYSTEM;
	}
	if (check_only)
		return check(A.config_path);
	restore_coverage();
	b = build_new(err, sizeof(err));
	if (!b) {
		gf_escape_inplace(err, sizeof(err));
		pr_err("%s\n", err);
		/* a datapath from an earlier run keeps enforcing its last policy */
		return EXIT_CONFIG;
	}
	ret = open_datapath(b);
	if (ret) {
		gf_build_free(b);
		return ret;
	}
	ret = first_generation(b);
	if (ret) {
		gf_dp_close(A.dp);
		return ret;
	}
	start_services();
	event_loop();
	shutdown_agent();
	return 0;
}
