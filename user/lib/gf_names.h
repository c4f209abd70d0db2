/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the datapath's enums: the words the CLI prints and the labels
 * metrics carry.  One table per enum, indexed by its value.
 */
#ifndef GF_NAMES_H
#define GF_NAMES_H

#include "geofence.h"

const char *gf_reason_name(unsigned int reason);
const char *gf_verdict_name(unsigned int verdict);
const char *gf_action_name(unsigned int action);
const char *gf_hook_name(unsigned int hook);
/* -1 if unknown */
int gf_action_from_name(const char *name);

/*
 * The name of a country code the policy accepts: ISO 3166-1 alpha-2 as
 * Debian's iso-codes lists it, plus the codes GeoIP data uses beyond it
 * (XK Kosovo, EU and AP regions).  Case-insensitive; NULL if not a code.
 */
const char *gf_country_name(const char *cc);

#endif
