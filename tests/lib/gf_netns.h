/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespaces for tests: created with iproute2, entered with
 * setns(), and always deleted: at exit by this process, and if it dies
 * (a signal, a crash, SIGKILL) by its keeper, a child that waits for the
 * end of a pipe and then removes what the test left (gf_netns.c).
 */
#ifndef GF_NETNS_H
#define GF_NETNS_H

#include <stddef.h>

/* Run a shell command; returns its exit status (0 = success). */
int gf_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, but quiet: no log line on failure. */
int gf_sh_quiet(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Run a shell command and keep its standard output (NUL-terminated, cut at
 * len - 1; the rest is read and dropped; out NULL with len 0: none kept).
 * Its exit status, or -1.
 */
int gf_sh_out(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Create namespace name (deleting a stale one first) and register cleanup. */
int gf_netns_create(const char *name);
/* Move the calling thread into namespace name ("" = back to the original). */
#include "gf_ns.h"	/* gf_netns_enter() */
/*
 * Packets of the named nftables counter in table ("netdev NAME"), read in
 * namespace ns (NULL: the current one); ~0 if it cannot be read.
 */
unsigned long long gf_nft_counter(const char *ns, const char *table, const char *name);

/*
 * The one writer of the tests' nftables counters: a netdev table `table` in
 * namespace ns with a chain on dev's ingress at priority prio, one rule per
 * entry ("MATCH counter name COUNTER THEN"), every counter named once.
 * sets: set definitions to put in the table, or NULL.  0, or -EIO.
 */
struct gf_nft_rule {
	char match[160];	/* "ip daddr 10.0.0.1", "vlan id 100 ip6 daddr ...", "" for every packet */
	char counter[32];
	const char *then;	/* a verdict after the counter ("drop"), or NULL */
};

int gf_nft_counters(const char *ns, const char *table, const char *dev, int prio, const char *sets,
		    const struct gf_nft_rule *rules, int n);

#include <sys/types.h>
/*
 * For the keeper: a process the test started (on: 1) or has ended (0),
 * ended by pid if the test dies; a shell command (on: 1, or 0 to cancel the
 * same text) run if the test dies, the last registered first.
 */
void gf_keep_pid(pid_t pid, int on);
void gf_keep_command(const char *shell_cmd, int on);

/* Delete every namespace created so far (also runs at exit). */
void gf_netns_cleanup(void);
/* Deletes one namespace this process created (the others stay). */
void gf_netns_delete(const char *name);

#endif
