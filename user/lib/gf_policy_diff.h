/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a new configuration changes against the running one, both built
 * as a reload builds them (gf_build): per class, the action that changes
 * (country, unknown, reserved); overrides added, removed or changed (by
 * CIDR); and the addresses that change class, per (old class, new class),
 * from the tables' range sets.  For `geofence policy diff`, so that CI can
 * gate a push.
 */
#ifndef GF_POLICY_DIFF_H
#define GF_POLICY_DIFF_H

#include <json-c/json.h>
#include "gf_build.h"

/*
 * {"changed": bool, "actions": [{"class", "old", "new", "ipv4", "ipv6"}],
 *  "overrides": [{"cidr", "old", "new"}], "moves": [{"from", "to", "ipv4", "ipv6"}]}
 * ipv4/ipv6 of an action: the addresses in the class (new tables); of a move:
 * the addresses that go from one class to the other.
 */
json_object *gf_policy_diff(const struct gf_build *old, const struct gf_build *new);

/*
 * The effective policy's identity, for a fleet to see which gateways run
 * which policy (geofence_policy_info): SHA-256 over a canonical text of
 * what decides a verdict (every class's action and redirect target, the
 * overrides by CIDR in sorted order, the source-route rule), not over the
 * files' bytes: comments, order and layout do not change it.
 */
void gf_policy_sha256(const struct gf_build *b, char hex[65]);

#endif
