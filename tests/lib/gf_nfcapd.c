// SPDX-License-Identifier: GPL-2.0
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>
#include "gf_nfcapd.h"
#include "gf_netns.h"

int gf_nfcapd_init(struct gf_nfcapd *c, const char *ns)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->dir, sizeof(c->dir), "/tmp/gfnfcapd.XXXXXX");
	if (!mkdtemp(c->dir))
		return -1;
	c->ns = ns;
	c->port = 20000 + getpid() % 20000;
	c->pid = -1;
	return 0;
}

int gf_nfcapd_start(struct gf_nfcapd *c, const char *sub)
{
	char d[192], p[16];

	snprintf(d, sizeof(d), "%s/%s", c->dir, sub);
	snprintf(p, sizeof(p), "%d", c->port);
	if (gf_sh("mkdir -p %s", d))
		return -1;
	c->pid = fork();
	if (c->pid == 0) {
		if (c->ns)
			execlp("ip", "ip", "netns", "exec", c->ns, "nfcapd", "-w", d, "-p", p, "-b", "127.0.0.1",
			       "-t", "3600", (char *)NULL);
		else
			execlp("nfcapd", "nfcapd", "-w", d, "-p", p, "-b", "127.0.0.1", "-t", "3600", (char *)NULL);
		_exit(127);
	}
	if (c->pid < 0)
		return -1;
	gf_keep_pid(c->pid, 1);	/* ended by pid if the test dies */
	usleep(700000);	/* listening */
	return waitpid(c->pid, NULL, WNOHANG) == 0 ? 0 : -1;
}

void gf_nfcapd_stop(struct gf_nfcapd *c)
{
	if (c->pid > 0) {
		kill(c->pid, SIGTERM);
		waitpid(c->pid, NULL, 0);
		gf_keep_pid(c->pid, 0);
	}
	c->pid = -1;
}

void gf_nfcapd_cleanup(struct gf_nfcapd *c)
{
	gf_nfcapd_stop(c);
	if (c->dir[0])
		gf_sh("rm -rf %s", c->dir);
}

int gf_nfdump(const struct gf_nfcapd *c, const char *sub, char *out, size_t len)
{
	return gf_sh_out(out, len, "nfdump -R %s/%s -q -N -o 'fmt:%%sa %%da %%sp %%dp %%pr %%pkt %%byt' 2>&1", c->dir,
			 sub);
}

/* Each record of the output that matches: fn(packets, bytes). */
static int each(const char *out, const char *sa, const char *da, int sp, int dp, const char *proto,
		long long *pkts, long long *bytes, long long want_pkts, long long want_bytes)
{
	char line[512];
	int n = 0;

	for (const char *l = out; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] ? 1 : 0)) {
		char a[64], b[64], pr[16];
		int s, d;
		long long pk, by;

		snprintf(line, sizeof(line), "%.*s", (int)strcspn(l, "\n"), l);
		if (sscanf(line, "%63s %63s %d %d %15s %lld %lld", a, b, &s, &d, pr, &pk, &by) != 7 ||
		    strcmp(a, sa) || strcmp(b, da) || (sp >= 0 && s != sp) || (dp >= 0 && d != dp) ||
		    (proto && strcasecmp(pr, proto)))
			continue;
		if (want_pkts >= 0 && (pk != want_pkts || by != want_bytes))
			continue;
		n++;
		if (pkts)
			*pkts += pk;
		if (bytes)
			*bytes += by;
	}
	return n;
}

int gf_nfdump_has(const char *out, const char *sa, const char *da, int sp, int dp, const char *proto,
		  long long pkts, long long bytes)
{
	return each(out, sa, da, sp, dp, proto, NULL, NULL, pkts, bytes) > 0;
}

int gf_nfdump_sum(const char *out, const char *sa, const char *da, int sp, int dp, long long *pkts,
		  long long *bytes)
{
	*pkts = *bytes = 0;
	return each(out, sa, da, sp, dp, NULL, pkts, bytes, -1, -1);
}
