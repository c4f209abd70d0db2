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
#include "gf_netns.h"

#define MAX_NS 16

static char created[MAX_NS][64];
static int ncreated;
static int orig_fd = -1;

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

void gf_netns_cleanup(void)
{
	if (orig_fd >= 0)
		setns(orig_fd, CLONE_NEWNET);
	while (ncreated > 0) {
		ncreated--;
		gf_sh_quiet("ip netns del %s 2>/dev/null", created[ncreated]);
	}
}

void gf_netns_delete(const char *name)
{
	if (orig_fd >= 0)
		setns(orig_fd, CLONE_NEWNET);	/* out of it first, as gf_netns_cleanup */
	for (int i = 0; i < ncreated; i++)
		if (!strcmp(created[i], name)) {
			gf_sh_quiet("ip netns del %s 2>/dev/null", created[i]);
			memmove(created[i], created[i + 1], (ncreated - i - 1) * sizeof(created[0]));
			ncreated--;
			return;
		}
}

static void on_signal(int sig)
{
	gf_netns_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

int gf_netns_create(const char *name)
{
	static int registered;

	if (ncreated >= MAX_NS)
		return -ENOSPC;
	if (!registered) {
		orig_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		atexit(gf_netns_cleanup);
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGABRT, on_signal);
		signal(SIGSEGV, on_signal);
		registered = 1;
	}
	gf_sh_quiet("ip netns del %s 2>/dev/null", name);
	if (gf_sh("ip netns add %s", name))
		return -EIO;
	snprintf(created[ncreated++], sizeof(created[0]), "%s", name);
	return gf_sh("ip -n %s link set lo up", name) ? -EIO : 0;
}

