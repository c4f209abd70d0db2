/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot guard: between the first forwarded packet of a boot and the
 * moment geofence enforces, nothing is forwarded.  geofence-guard.service
 * (ordered before network-pre.target) installs an nftables table that
 * drops every forwarded packet; geofenced lifts it once its first
 * generation is installed and attached.  If the agent cannot start, the
 * guard stays: the box is closed, and `geofence status` says why.
 * libnftables, one transaction each way; the guard counts what it dropped.
 *
 * In classes mode (guard.mode = "classes") the agent writes, after every
 * generation it installs, the guard that generation implies: the address
 * ranges of every class its policy drops or redirects, as nftables interval
 * sets, to state.dir/guard.nft.  At boot the guard then forwards what that
 * policy passed and drops the rest of the list (and, conservatively, every
 * source-routed packet and every IPv6 address that carries an IPv4 one:
 * NAT64, 6to4, Teredo).  Without a usable file it forwards nothing.
 */
#ifndef GF_GUARD_H
#define GF_GUARD_H

#include <stddef.h>

#define GF_GUARD_TABLE "geofence_guard"

#define GF_GUARD_FILE "guard.nft"
#define GF_GUARD_ALL 1
#define GF_GUARD_CLASSES 2

/* 0, or -errno with nftables' words in err. */
int gf_guard_up(char *err, size_t errlen);
/*
 * Classes mode from the file the agent wrote (path): 0; -errno with why in
 * err when the file is missing, not the agent's (owner root, not writable by
 * others) or refused by nftables: the caller then puts up the full guard.
 */
int gf_guard_up_file(const char *path, char *err, size_t errlen);
int gf_guard_down(char *err, size_t errlen);
/*
 * GF_GUARD_ALL or GF_GUARD_CLASSES when the guard is up (*dropped: packets
 * it dropped), 0 when not, -errno.
 */
int gf_guard_state(unsigned long long *dropped, char *err, size_t errlen);

struct gf_rs;
struct gf_policy;
/*
 * Write path (atomically, 0600): the classes guard of a generation, the
 * ranges of both families (what the tables hold) whose class the policy
 * (GF_NUM_CLASSES entries) drops or redirects; what names the generation in
 * the file's first line.  0 or -errno; *elements: intervals written.
 */
int gf_guard_write(const char *path, const struct gf_rs *all4, const struct gf_rs *all6,
		   const struct gf_policy *pol, const char *what, size_t *elements);

#endif
