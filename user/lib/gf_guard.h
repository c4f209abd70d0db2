/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot guard: between the first forwarded packet of a boot and the
 * moment geofence enforces, nothing is forwarded.  geofence-guard.service
 * (ordered before network-pre.target) installs an nftables table that
 * drops every forwarded packet; geofenced lifts it once its first
 * generation is installed and attached.  If the agent cannot start, the
 * guard stays: the box is closed, and `geofence status` says why.
 * libnftables, one transaction each way; the guard counts what it dropped.
 */
#ifndef GF_GUARD_H
#define GF_GUARD_H

#include <stddef.h>

#define GF_GUARD_TABLE "geofence_guard"

/* 0, or -errno with nftables' words in err. */
int gf_guard_up(char *err, size_t errlen);
int gf_guard_down(char *err, size_t errlen);
/* 1 when the guard is up (*dropped: packets it dropped), 0 when not, -errno. */
int gf_guard_state(unsigned long long *dropped, char *err, size_t errlen);

#endif
