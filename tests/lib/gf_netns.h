/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespaces for tests: created with iproute2, entered with
 * setns(), and always deleted at exit, on SIGINT/SIGTERM and on failure.
 */
#ifndef GF_NETNS_H
#define GF_NETNS_H

/* Run a shell command; returns its exit status (0 = success). */
int gf_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, but quiet: no log line on failure. */
int gf_sh_quiet(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Create namespace name (deleting a stale one first) and register cleanup. */
int gf_netns_create(const char *name);
/* Move the calling thread into namespace name ("" = back to the original). */
#include "gf_ns.h"	/* gf_netns_enter() */
/*
 * Packets of the named nftables counter in table ("netdev NAME"), read in
 * namespace ns (NULL: the current one); ~0 if it cannot be read.
 */
unsigned long long gf_nft_counter(const char *ns, const char *table, const char *name);

/* Delete every namespace created so far (also runs at exit). */
void gf_netns_cleanup(void);
/* Deletes one namespace this process created (the others stay). */
void gf_netns_delete(const char *name);

#endif
