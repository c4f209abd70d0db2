// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "gf_netns.h"

#define MAX_NS 16

static char created[MAX_NS][64];
static int ncreated;
static int orig_fd = -1;

static void keeper_tell(char op, char kind, const char *what);

static int vsh(int quiet, const char *fmt, va_list ap)
{
	char cmd[4096];
	int rc;

	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	rc = system(cmd);
	if (rc == -1)
		return -errno;
	rc = WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
	if (rc && !quiet)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	return rc;
}

int gf_sh(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsh(0, fmt, ap);
	va_end(ap);
	return rc;
}

int gf_sh_out(char *out, size_t len, const char *fmt, ...)
{
	char cmd[4096], rest[4096];
	size_t n = 0, r;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n + 1 < len && (r = fread(out + n, 1, len - 1 - n, p)) > 0)
		n += r;
	if (len)
		out[n] = '\0';
	while (fread(rest, 1, sizeof(rest), p) > 0)
		;	/* unread output would end the command with SIGPIPE */
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int gf_sh_quiet(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsh(1, fmt, ap);
	va_end(ap);
	return rc;
}

unsigned long long gf_nft_counter(const char *ns, const char *table, const char *name)
{
	unsigned long long n = ~0ull;
	char cmd[256], line[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s%s%s nft list counter %s %s 2>/dev/null",
		 ns ? "ip netns exec " : "", ns ? ns : "", ns ? "" : "", table, name);
	p = popen(cmd, "r");
	if (!p)
		return n;
	while (fgets(line, sizeof(line), p)) {
		char *s = strstr(line, "packets ");

		if (s)
			n = strtoull(s + 8, NULL, 10);
	}
	pclose(p);
	return n;
}

int gf_nft_counters(const char *ns, const char *table, const char *dev, int prio, const char *sets,
		    const struct gf_nft_rule *rules, int n)
{
	char path[] = "/tmp/gf-nft-XXXXXX";
	int fd = mkstemp(path), err;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	fprintf(f, "table netdev %s {\n", table);
	for (int i = 0; i < n; i++) {
		int first = 1;

		for (int j = 0; j < i && first; j++)
			first = strcmp(rules[j].counter, rules[i].counter) != 0;
		if (first)
			fprintf(f, "  counter %s { }\n", rules[i].counter);
	}
	if (sets)
		fprintf(f, "%s", sets);
	fprintf(f, "  chain in {\n    type filter hook ingress device %s priority %d;\n", dev, prio);
	for (int i = 0; i < n; i++)
		fprintf(f, "    %s%scounter name %s%s%s\n", rules[i].match, rules[i].match[0] ? " " : "",
			rules[i].counter, rules[i].then ? " " : "", rules[i].then ? rules[i].then : "");
	fprintf(f, "  }\n}\n");
	fclose(f);
	err = ns ? gf_sh("ip netns exec %s nft -f %s", ns, path) : gf_sh("nft -f %s", path);
	unlink(path);
	return err ? -EIO : 0;
}

void gf_netns_cleanup(void)
{
	if (orig_fd >= 0)
		setns(orig_fd, CLONE_NEWNET);
	while (ncreated > 0) {
		ncreated--;
		gf_sh_quiet("ip netns del %s 2>/dev/null", created[ncreated]);
		keeper_tell('-', 'n', created[ncreated]);
	}
}

void gf_netns_delete(const char *name)
{
	if (orig_fd >= 0)
		setns(orig_fd, CLONE_NEWNET);	/* out of it first, as gf_netns_cleanup */
	for (int i = 0; i < ncreated; i++)
		if (!strcmp(created[i], name)) {
			gf_sh_quiet("ip netns del %s 2>/dev/null", created[i]);
			keeper_tell('-', 'n', created[i]);
			memmove(created[i], created[i + 1], (ncreated - i - 1) * sizeof(created[0]));
			ncreated--;
			return;
		}
}

/*
 * The keeper: a child forked at the first namespace, tied to this process
 * by nothing but a pipe.  It is told every namespace, process and command
 * this test wants gone should the test die; when the pipe closes (the test
 * ended: exit, a signal, a crash, SIGKILL), it ends the processes by pid,
 * runs the commands and deletes the namespaces that are still listed.  So
 * no signal handler runs cleanup code, and nothing is ended by name.
 */
#define KEEP_MAX 64
static int keeper_fd = -1;
static pid_t keeper_pid;

/*
 * A normal exit: after every other atexit handler (this one is registered
 * first, at start), the keeper has nothing left; close its pipe and reap it.
 * A test must not waitpid(0 or -1): the keeper is its child.
 */
static void keeper_close(void)
{
	if (keeper_fd < 0)
		return;
	close(keeper_fd);
	keeper_fd = -1;
	waitpid(keeper_pid, NULL, 0);
}

__attribute__((constructor)) static void keeper_init(void)
{
	atexit(keeper_close);
}

#define KEEP_LEN 2048	/* a command, a name or a pid; less than PIPE_BUF with its prefix */

static void keeper_forget(char list[][KEEP_LEN], int *n, const char *what)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(list[i], what)) {
			memmove(list[i], list[i + 1], (*n - i - 1) * sizeof(list[0]));
			(*n)--;
			return;
		}
}

static void keeper_finish(char ns[][KEEP_LEN], int nns, char pid[][KEEP_LEN], int npid, char cmd[][KEEP_LEN], int ncmd)
{
	for (int i = 0; i < npid; i++)
		kill(atoi(pid[i]), SIGTERM);
	for (int t = 0; npid && t < 40; t++) {
		int alive = 0;

		for (int i = 0; i < npid; i++)
			alive |= kill(atoi(pid[i]), 0) == 0;
		if (!alive)
			break;
		usleep(50000);
	}
	for (int i = 0; i < npid; i++)
		kill(atoi(pid[i]), SIGKILL);
	for (int i = ncmd - 1; i >= 0; i--)
		gf_sh_quiet("%s", cmd[i]);
	for (int i = 0; i < nns; i++)
		gf_sh_quiet("ip netns del %s 2>/dev/null", ns[i]);
}

static void keeper_run(int rfd)
{
	static char ns[KEEP_MAX][KEEP_LEN], pid[KEEP_MAX][KEEP_LEN], cmd[KEEP_MAX][KEEP_LEN];
	int nns = 0, npid = 0, ncmd = 0;
	char line[KEEP_LEN + 8];
	FILE *in;

	/* the terminal's ^C and a runner's TERM to the group are for the test, not for us */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	for (int fd = 3; fd < 1024; fd++)
		if (fd != rfd)
			close(fd);
	in = fdopen(rfd, "r");
	while (in && fgets(line, sizeof(line), in)) {
		char (*list)[KEEP_LEN] = line[1] == 'n' ? ns : line[1] == 'p' ? pid : cmd;
		int *n = line[1] == 'n' ? &nns : line[1] == 'p' ? &npid : &ncmd;
		char *what = line + 3;

		what[strcspn(what, "\n")] = '\0';
		if (line[0] == '+' && *n < KEEP_MAX)
			snprintf(list[(*n)++], KEEP_LEN, "%.*s", KEEP_LEN - 1, what);
		else if (line[0] == '-')
			keeper_forget(list, n, what);
	}
	keeper_finish(ns, nns, pid, npid, cmd, ncmd);
	_exit(0);
}

/* Tell the keeper: '+' or '-', 'n'amespace, 'p'id or 'c'ommand, and what. */
static void keeper_tell(char op, char kind, const char *what)
{
	char line[KEEP_LEN + 8];
	int n;

	if (keeper_fd < 0) {
		int p[2];
		pid_t k;

		if (pipe2(p, O_CLOEXEC))
			return;
		k = fork();
		if (k == 0) {
			close(p[1]);
			keeper_run(p[0]);
		}
		close(p[0]);
		if (k < 0) {
			close(p[1]);
			return;
		}
		keeper_fd = p[1];
		keeper_pid = k;
	}
	n = snprintf(line, sizeof(line), "%c%c %s\n", op, kind, what);
	if (n > 0 && n < (int)sizeof(line) && write(keeper_fd, line, n) != n)
		fprintf(stderr, "gf_netns: the keeper did not take '%s'\n", what);
}

void gf_keep_pid(pid_t pid, int on)
{
	char s[32];

	snprintf(s, sizeof(s), "%d", (int)pid);
	keeper_tell(on ? '+' : '-', 'p', s);
}

void gf_keep_command(const char *shell_cmd, int on)
{
	keeper_tell(on ? '+' : '-', 'c', shell_cmd);
}

int gf_netns_create(const char *name)
{
	static int registered;

	if (ncreated >= MAX_NS)
		return -ENOSPC;
	if (!registered) {
		orig_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		atexit(gf_netns_cleanup);
		registered = 1;
	}
	gf_sh_quiet("ip netns del %s 2>/dev/null", name);
	if (gf_sh("ip netns add %s", name))
		return -EIO;
	keeper_tell('+', 'n', name);
	snprintf(created[ncreated++], sizeof(created[0]), "%s", name);
	return gf_sh("ip -n %s link set lo up", name) ? -EIO : 0;
}

