// SPDX-License-Identifier: GPL-2.0
/*
 * The systemd service's contract, without systemd (CI has no init): the
 * agent runs with exactly the capabilities of geofenced.service's
 * CapabilityBoundingSet (setpriv), in the lab's gateway namespace, with
 * NOTIFY_SOCKET pointing at a socket of this test, and
 *
 *   - says READY=1 once it enforces (CN dropped, US passed, metrics served);
 *   - says RELOADING=1 (with MONOTONIC_USEC) then READY=1 on SIGHUP, which
 *     is what ExecReload sends;
 *   - says STOPPING=1 on SIGTERM and exits 0, the datapath still enforcing;
 *   - with one capability fewer than the unit grants, it cannot start: the
 *     set is what it needs, not more.
 *
 * `make install DESTDIR=...` lays out binaries, the BPF object, the unit,
 * the configuration, the database and the rules; `systemd-analyze verify`
 * accepts the installed unit.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_state.h"
#include "gf_test.h"
#include "gf_world.h"

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "US" };
enum { CN, US };
static int nfd = -1;
static char sock_path[100], caps[256];

/* The next notification within `seconds`; "" on timeout. */
static int next_notify(char *buf, size_t len, int seconds)
{
	struct timeval tv = { seconds, 0 };
	ssize_t n;

	setsockopt(nfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(nfd, buf, len - 1, seconds ? 0 : MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? 0 : -1;
}

/* Wait for a notification holding `what`; the others before it are passed over. */
static int wait_notify(const char *what, char *got, size_t len, int seconds)
{
	for (time_t t0 = time(NULL); time(NULL) - t0 <= seconds;)
		if (!next_notify(got, len, 1) && strstr(got, what))
			return 0;
	return -1;
}

/* The unit's CapabilityBoundingSet as setpriv's list: "-all,+bpf,+net_admin". */
static int unit_caps(char *out, size_t len, const char *drop)
{
	char path[512], line[512];
	FILE *f;
	int n = snprintf(out, len, "-all");

	snprintf(path, sizeof(path), "%s/user/conf/geofenced.service.in", GF_SRCDIR);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapabilityBoundingSet=", 22))
			for (char *save, *c = strtok_r(line + 22, " \n", &save); c; c = strtok_r(NULL, " \n", &save)) {
				char low[64];
				size_t i;

				if (strncmp(c, "CAP_", 4) || (drop && !strcmp(c, drop)))
					continue;
				for (i = 0; c[4 + i] && i + 1 < sizeof(low); i++)
					low[i] = c[4 + i] >= 'A' && c[4 + i] <= 'Z' ? c[4 + i] | 32 : c[4 + i];
				low[i] = '\0';
				n += snprintf(out + n, len - n, ",+%s", low);
			}
	fclose(f);
	return 0;
}

static pid_t start_agent(const char *capset)
{
	pid_t pid = fork();

	if (pid == 0) {
		char ns[128], bin[256];
		FILE *log = fopen(lab.log, "a");

		if (log) {
			dup2(fileno(log), STDERR_FILENO);
			dup2(fileno(log), STDOUT_FILENO);
		}
		snprintf(ns, sizeof(ns), "--net=/run/netns/%s", lab.ns_gw);
		snprintf(bin, sizeof(bin), "%s/geofenced", GF_BUILD_DIR);
		setenv("NOTIFY_SOCKET", sock_path, 1);
		/* the network namespace first (nsenter), then only the unit's capabilities */
		execlp("nsenter", "nsenter", ns, "setpriv", "--bounding-set", capset, "--inh-caps", "-all",
		       bin, "-c", lab.conf, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int reap(pid_t pid, int seconds)
{
	for (int i = 0; i < seconds * 10; i++) {
		int st;

		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static void install_checks(void)
{
	char d[300];
	int rc;

	snprintf(d, sizeof(d), "%s/destdir", lab.dir);
	rc = gf_sh("make -s -C %s install DESTDIR=%s PREFIX=/usr/local >%s/install.log 2>&1", GF_SRCDIR, d, lab.dir);
	CHECK(rc == 0, "make install DESTDIR=... PREFIX=/usr/local (exit %d)", rc);
	rc = gf_sh_quiet("cd %s && test -x usr/local/sbin/geofenced && test -x usr/local/bin/geofence && "
			 "test -s usr/local/lib/geofence/geofence.bpf.o && "
			 "test -s usr/local/lib/systemd/system/geofenced.service && "
			 "test -s etc/geofence/geofence.conf && test -s etc/geofence/countries.d/00-concern.list && "
			 "test -s usr/local/share/geofence/geofence-country.mmdb && "
			 "test -s usr/local/share/geofence/prometheus/geofence.rules.yml && "
			 "test -s usr/local/share/geofence/evidence-schema.sql && "
			 "test -s usr/local/share/man/man8/geofenced.8 && test -s usr/local/share/man/man8/geofence.8", d);
	CHECK(rc == 0, "installed: sbin/geofenced, bin/geofence, the BPF object, the unit, /etc/geofence, "
	      "the database, the rules, the evidence schema, the man pages");
	rc = gf_sh_quiet("grep -q '^StateDirectory=geofence$' %s/usr/local/lib/systemd/system/geofenced.service", d);
	CHECK(rc == 0, "the unit gives the evidence its state directory (/var/lib/geofence)");
	rc = gf_sh_quiet("grep -q '^ExecStart=/usr/local/sbin/geofenced -c /etc/geofence/geofence.conf$' "
			 "%s/usr/local/lib/systemd/system/geofenced.service", d);
	CHECK(rc == 0, "the unit's paths are the installed ones");
	rc = gf_sh_quiet("grep -q '^ExecReload=/usr/local/bin/geofence --config /etc/geofence/geofence.conf reload$' "
			 "%s/usr/local/lib/systemd/system/geofenced.service", d);
	CHECK(rc == 0, "systemctl reload runs geofence reload: it waits for the outcome and fails if rejected");
	/* systemd-analyze checks the unit; its commands must exist, so point them into DESTDIR */
	rc = gf_sh("sed 's|^\\(Exec[A-Za-z]*\\)=/usr/local|\\1=%s/usr/local|' %s/usr/local/lib/systemd/system/geofenced.service "
		   "> %s/geofenced.service && systemd-analyze verify --man=no %s/geofenced.service 2>&1 | "
		   "grep -v 'Cannot add dependency job\\|Failed to .*bus\\|No such file or directory.*Documentation' | "
		   "tee %s/verify.txt; ! grep -q . %s/verify.txt", d, d, lab.dir, lab.dir, lab.dir, lab.dir);
	CHECK(rc == 0, "systemd-analyze verify: the unit is valid (see %s/verify.txt)", lab.dir);
	rc = gf_sh("sed 's|^\\(Exec[A-Za-z]*\\)=/usr/local|\\1=%s/usr/local|' %s/usr/local/lib/systemd/system/geofence-update.service "
		   "> %s/geofence-update.service && cp %s/usr/local/lib/systemd/system/geofence-update.timer %s/ && "
		   "sed 's|^ExecStart=/usr/local|ExecStart=%s/usr/local|' %s/usr/local/lib/systemd/system/geofence-guard.service > %s/geofence-guard.service && "
		   "systemd-analyze verify --man=no %s/geofence-update.service %s/geofence-update.timer %s/geofence-guard.service 2>&1 | "
		   "grep -v 'Cannot add dependency job\\|Failed to .*bus\\|No such file or directory.*Documentation' | "
		   "tee %s/verify2.txt; ! grep -q . %s/verify2.txt", d, d, lab.dir, d, lab.dir, d, d, lab.dir,
		   lab.dir, lab.dir, lab.dir, lab.dir, lab.dir);
	CHECK(rc == 0, "geofence-update.service, .timer and geofence-guard.service installed and valid (see "
	      "%s/verify2.txt)", lab.dir);
	rc = gf_sh_quiet("d=%s; make -s -C %s install DESTDIR=$d PREFIX=/usr/local >/dev/null 2>&1 && "
			 "echo '# mine' >> $d/etc/geofence/geofence.conf && make -s -C %s install DESTDIR=$d "
			 "PREFIX=/usr/local >/dev/null 2>&1 && grep -q '# mine' $d/etc/geofence/geofence.conf", d, GF_SRCDIR,
			 GF_SRCDIR);
	CHECK(rc == 0, "a second make install keeps the operator's configuration");
}

int main(void)
{
	static struct gf_world w;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char err[512], got[1024], out[4096];
	pid_t agent;
	int rc;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&w, err, sizeof(err)) || gf_lab_up(&lab, "gfs", &w, hosts, 2))
		return GF_TEST_SETUP_ERROR;
	snprintf(sock_path, sizeof(sock_path), "%.80s/notify.sock", lab.dir);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock_path);
	nfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (nfd < 0 || bind(nfd, (struct sockaddr *)&a, sizeof(a)) ||
	    gf_lab_write_config(&lab, "{ mmdb = \"" GF_BUILD_DB "\"; }", NULL) ||
	    gf_lab_write_list(&lab, "00-concern.list", "CN drop\n") || unit_caps(caps, sizeof(caps), NULL))
		return GF_TEST_SETUP_ERROR;

	/* ---- one capability fewer than the unit's: no start ---- */
	{
		char less[256];
		const char *drop[] = { "CAP_BPF", "CAP_NET_ADMIN", "CAP_PERFMON" };

		for (int i = 0; i < 3; i++) {
			unit_caps(less, sizeof(less), drop[i]);
			if (!strcmp(less, caps))
				continue;	/* the unit does not grant it */
			agent = start_agent(less);
			rc = reap(agent, 30);
			CHECK(rc != 0 && rc != -1, "without %s the agent cannot run (exit %d)", drop[i], rc);
			gf_sh_quiet("%s/geofence --config %s detach >/dev/null 2>&1", GF_BUILD_DIR, lab.conf);
			while (!next_notify(got, sizeof(got), 0))
				;
		}
	}

	/* ---- the unit's capabilities ---- */
	printf("capabilities: %s\n", caps);
	agent = start_agent(caps);
	rc = wait_notify("READY=1", got, sizeof(got), 60);
	CHECK(rc == 0, "READY=1 with the unit's capabilities (%s)", caps);
	CHECK(gf_lab_ping(lab.ns_lan, lab.hosts[CN].v4, 2) == 0 && gf_lab_ping(lab.ns_lan, lab.hosts[US].v4, 2) == 2,
	      "enforcing: CN dropped, US passed");
	rc = gf_lab_cli(&lab, out, sizeof(out), "status --json");
	CHECK(rc == 0 && strstr(out, "\"result\":\"applied\"") != NULL, "geofence status: applied (exit %d: %.300s)", rc, out);
	rc = gf_sh_quiet("ip netns exec %s bash -c 'exec 3<>/dev/tcp/127.0.0.1/9847 && printf \"GET /metrics HTTP/1.0\\r\\n\\r\\n\" >&3 "
			 "&& grep -q geofence_policy_generation <&3'", lab.ns_gw);
	CHECK(rc == 0, "metrics served on 127.0.0.1:9847");

	kill(agent, SIGHUP);
	rc = wait_notify("RELOADING=1", got, sizeof(got), 10);
	CHECK(rc == 0 && strstr(got, "MONOTONIC_USEC="), "SIGHUP (ExecReload): RELOADING=1 with MONOTONIC_USEC");
	rc = wait_notify("READY=1", got, sizeof(got), 30);
	CHECK(rc == 0 && strstr(got, "reload applied"), "then READY=1, the reload applied (%s)", got);

	kill(agent, SIGTERM);
	rc = wait_notify("STOPPING=1", got, sizeof(got), 10);
	CHECK(rc == 0, "SIGTERM: STOPPING=1");
	rc = reap(agent, 20);
	CHECK(rc == 0, "the agent exits 0 (%d)", rc);
	CHECK(gf_lab_ping(lab.ns_lan, lab.hosts[CN].v4, 2) == 0 && gf_lab_ping(lab.ns_lan, lab.hosts[US].v4, 2) == 2,
	      "stopped: the datapath still enforces");

	install_checks();

	gf_sh_quiet("%s/geofence --config %s detach >/dev/null 2>&1", GF_BUILD_DIR, lab.conf);
	close(nfd);
	gf_lab_down(&lab);
	return gf_test_summary();
}
