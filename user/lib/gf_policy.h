/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration + country lists -> one generation's policy: the action of
 * every class, the redirect targets, and the override prefixes (classes of
 * their own in the tables).
 */
#ifndef GF_POLICY_H
#define GF_POLICY_H

#include "gf_config.h"
#include "gf_datapath.h"

struct gf_policy_set {
	/*
	 * Row s (GF_NUM_CLASSES entries from pol + s * GF_NUM_CLASSES) is
	 * scope s's policy: 0 the default, 1.. the configuration's scopes in
	 * its order.  pol[cls] is the default's.
	 */
	struct gf_policy pol[GF_MAX_SCOPES * GF_NUM_CLASSES];
	int nscopes;				/* rows in use, the default's included */
	char scope_name[GF_MAX_SCOPES][GF_SCOPE_NAME_LEN];	/* [0] "default" */
	struct gf_scope_sel *sel;		/* what leads a packet to a scope */
	int nsel;
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
/*
 * The AS classes' rows, once the world knows which (AS, country) pairs
 * the data holds (gf_world_load_asn): in each scope, the scope's rule for
 * the AS, else the lists' (unless the scope has a default of its own),
 * else the country's entry.  Overrides are more specific still: the
 * tables give their prefixes their own classes.
 */
struct gf_world;
int gf_policy_add_as(struct gf_policy_set *p, const struct gf_config *c, const struct gf_countries *cs,
		     const struct gf_world *w, char *err, size_t errlen);
/* Scope s's row. */
static inline const struct gf_policy *gf_policy_row(const struct gf_policy_set *p, int s)
{
	return p->pol + (size_t)s * GF_NUM_CLASSES;
}
/* A scope's id by name ("default" is 0), -1 for none. */
int gf_policy_scope_id(const struct gf_policy_set *p, const char *name);

#endif
