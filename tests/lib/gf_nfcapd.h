/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debian's nfdump as the tests' IPFIX collector: nfcapd started on a
 * loopback port (in a namespace, or here), ended by its pid, and nfdump
 * reading back what it wrote.
 */
#ifndef GF_NFCAPD_H
#define GF_NFCAPD_H

#include <stddef.h>
#include <sys/types.h>

struct gf_nfcapd {
	char dir[128];		/* the files go to dir/SUB */
	const char *ns;		/* the namespace it listens in; NULL: this one */
	int port;		/* UDP, on 127.0.0.1 */
	pid_t pid;		/* -1: not running */
};

/* A collector on a free-looking port with its files under a new temporary directory. 0 or -1. */
int gf_nfcapd_init(struct gf_nfcapd *c, const char *ns);
/* Listen, writing into dir/sub; returns once it listens. */
int gf_nfcapd_start(struct gf_nfcapd *c, const char *sub);
/* SIGTERM: it writes its file and ends. */
void gf_nfcapd_stop(struct gf_nfcapd *c);
/* Stop it if it runs and remove its files. */
void gf_nfcapd_cleanup(struct gf_nfcapd *c);
/* nfdump's records of sub ("" for all), one per line: "sa da sp dp proto packets bytes". nfdump's exit status. */
int gf_nfdump(const struct gf_nfcapd *c, const char *sub, char *out, size_t len);
/* Does the output hold a record of this flow with these counts? */
int gf_nfdump_has(const char *out, const char *sa, const char *da, int sp, int dp, const char *proto,
		  long long pkts, long long bytes);
/* The records of a flow (sp, dp < 0: any) in the output: how many, and their packets and bytes summed. */
int gf_nfdump_sum(const char *out, const char *sa, const char *da, int sp, int dp, long long *pkts,
		  long long *bytes);

#endif
