/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration + country lists -> one generation's policy: the action of
 * every class, the redirect targets, and the override prefixes (classes of
 * their own in the tables).
 */
#ifndef GF_POLICY_H
#define GF_POLICY_H

#include "gf_config.h"

struct gf_policy_set {
	struct gf_policy pol[GF_NUM_CLASSES];
	/* redirect targets: slot i -> interface */
	char redirect_name[GF_REDIRECT_SLOTS][IF_NAMESIZE];
	__u32 redirect_ifindex[GF_REDIRECT_SLOTS];
	int nredirect;
	struct gf_rs overrides[2];	/* [0] IPv4, [1] IPv6, class per override */
	/* summary: countries by action (listed + default) */
	int countries[GF_ACT_MAX];
	int listed;
};

/*
 * Resolve interfaces (redirect targets must exist in the current network
 * namespace) and build.  Errors name the file and line of the rule.
 */
int gf_policy_build(const struct gf_config *c, const struct gf_countries *cs,
		    struct gf_policy_set *out, char *err, size_t errlen);
void gf_policy_set_free(struct gf_policy_set *p);

#endif
