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

#endif
