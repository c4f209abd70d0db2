// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include "gf_build.h"
#include "gf_datapath.h"
#include "gf_policy_diff.h"
#include "gf_table.h"
#include "gf_text.h"
#include "gf_state.h"

void gf_build_free(struct gf_build *b)
{
	if (!b)
		return;
	gf_world_free(&b->world);
	gf_policy_set_free(&b->pol);
	gf_config_free(&b->cfg);
	free(b);
}

long long gf_build_next_expiry(const struct gf_build *b)
{
	long long t = 0;

	for (int i = 0; i < b->cfg.noverrides; i++)
		if (b->cfg.overrides[i].expires && (!t || b->cfg.overrides[i].expires < t))
			t = b->cfg.overrides[i].expires;
	for (int k = 0; k < b->cfg.nscopes; k++)
		for (int i = 0; i < b->cfg.scopes[k].nrules; i++) {
			long long e = b->cfg.scopes[k].rules[i].expires;

			if (e && (!t || e < t))
				t = e;
		}
	return t;
}

void gf_build_named(const struct gf_build *b, const char **named)
{
	for (int cls = 0; cls < GF_CLASS_COUNTRY_END; cls++)
		named[cls] = cls >= GF_CLASS_COUNTRY_BASE && b->countries.rule[cls].action >= 0 ?
			     b->countries.rule[cls].origin : NULL;
}

/* The ASes the lists and the scopes name, once each. */
static int named_asns(const struct gf_build *b, __u32 *out, int max)
{
	int n = 0;

	for (int i = 0; i < b->countries.nas && n < max; i++)
		out[n++] = b->countries.as[i].asn;
	for (int s = 0; s < b->cfg.nscopes; s++)
		for (int i = 0; i < b->cfg.scopes[s].nrules; i++) {
			__u32 a = b->cfg.scopes[s].rules[i].asn;
			int k;

			for (k = 0; a && k < n && out[k] != a; k++)
				;
			if (a && k == n && n < max)
				out[n++] = a;
		}
	return n;
}

static int build_as(struct gf_build *b, char *err, size_t errlen)
{
	__u32 asns[2 * GF_MAX_AS_RULES];
	int n = named_asns(b, asns, 2 * GF_MAX_AS_RULES), ret;

	if (!n)
		return 0;
	if (!b->cfg.asn_path[0]) {
		snprintf(err, errlen, "%s: AS rules (AS%u ...) need an ASN database: geoip.asn = \"GeoLite2-ASN.mmdb\"",
			 b->cfg.path, asns[0]);
		return -EINVAL;
	}
	ret = gf_world_load_asn(&b->world, b->cfg.asn_path, asns, n, GF_CLASS_OVERRIDE_BASE + b->cfg.noverrides,
				&b->pol.overrides[0], &b->pol.overrides[1], err, errlen);
	return ret ?: gf_policy_add_as(&b->pol, &b->cfg, &b->countries, &b->world, err, errlen);
}

struct gf_build *gf_build_new(const char *config_path, const struct gf_coverage *prev, char *err, size_t errlen)
{
	struct gf_build *b = calloc(1, sizeof(*b));
	int ret;

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ret = gf_config_load(config_path, &b->cfg, err, errlen);
	/* where state.json and dlp.json go: nobody else may plant anything there */
	if (!ret)
		ret = gf_dir_check(b->cfg.run_dir, b->cfg.state_gid, "state.run_dir", err, errlen);
	if (!ret)
		ret = gf_countries_load(b->cfg.countries_dir, &b->countries, err, errlen);
	if (!ret)
		ret = gf_policy_build(&b->cfg, &b->countries, &b->pol, err, errlen);
	if (!ret)
		ret = gf_world_load(&b->world, b->cfg.sources, b->cfg.nsources, &b->cfg.geo,
				    &b->pol.overrides[0], &b->pol.overrides[1], err, errlen);
	/* AS rules: the named ASes' (AS, country) pairs become classes above the overrides' */
	if (!ret)
		ret = build_as(b, err, errlen);
	/* data sanity: valid files that would turn the world "unknown" are refused */
	if (!ret) {
		const char *named[GF_CLASS_COUNTRY_END];

		gf_build_named(b, named);
		gf_coverage_of(&b->world, &b->cov);
		ret = gf_sanity_check(prev, &b->cov, named, &b->cfg.sanity, err, errlen, b->sanity_note,
				      sizeof(b->sanity_note));
	}
	/* fingerprints of every input, for the log and status */
	if (!ret)
		gf_sha256_file(b->cfg.path, b->cfg_sha);
	for (int i = 0; !ret && i < b->countries.nfiles; i++)
		gf_sha256_file(b->countries.files[i], b->list_sha[i]);
	for (int i = 0; !ret && i < b->cfg.nsources; i++)
		gf_sha256_file(b->cfg.sources[i].path, b->src_sha[i]);
	if (ret) {
		gf_build_free(b);
		return NULL;
	}
	gf_policy_sha256(b, b->policy_sha256);
	for (int i = 0; i < (int)GF_MAX_SCOPES; i++)
		b->scope_id[i] = i;
	return b;
}

int gf_build_running_coverage(const char *config_path, struct gf_coverage *cov)
{
	struct gf_config *c = calloc(1, sizeof(*c));
	struct gf_agent_state st = { 0 };
	char err[512];
	int ret = -1;

	if (c && !gf_config_load(config_path, c, err, sizeof(err)) &&
	    !gf_agent_state_read(c->run_dir, &st, err, sizeof(err)) && st.coverage &&
	    !gf_coverage_from_json(st.coverage, cov))
		ret = 0;
	gf_agent_state_free(&st);
	if (c)
		gf_config_free(c);
	free(c);
	return ret;
}

/* The tables against the capacity of the maps pinned for them: 0, or -ENOSPC with why. */
static int check_capacity(const struct gf_build *b, char *msg, size_t msglen)
{
	struct gf_dp *dp = NULL;
	__u32 c4, c6, n4 = b->world.table[0]->n_nodes, n6 = b->world.table[1]->n_nodes;
	int ret = 0;

	if (gf_dp_open_pinned(&dp, b->cfg.pin_dir))
		return 0;	/* none pinned (the agent makes maps to fit), or another layout (an upgrade) */
	gf_dp_capacity(dp, &c4, &c6);
	if (n4 > c4 || n6 > c6) {
		snprintf(msg, msglen, "installing the tables: they need %u IPv4 and %u IPv6 nodes, the running "
			 "maps hold %u and %u: raise state.ipv4_nodes/ipv6_nodes and restart the agent", n4, n6, c4,
			 c6);
		ret = -ENOSPC;
	}
	gf_dp_close(dp);
	return ret;
}

void gf_build_check_print(const char *config_path, enum gf_reload_result r, const char *msg)
{
	if (r == GF_RELOAD_APPLIED)
		printf("%s: a reload would apply it: %s\n", config_path, msg);
	else
		fprintf(stderr, "%s: a reload would be %s: %s\n", config_path,
			r == GF_RELOAD_REJECTED ? "rejected" : "applied with errors", msg);
}

static enum gf_reload_result check(const char *config_path, struct gf_build **out, char *msg, size_t msglen);

/* The message escaped: it quotes files an operator pushed */
enum gf_reload_result gf_build_check(const char *config_path, struct gf_build **out, char *msg, size_t msglen)
{
	enum gf_reload_result r = check(config_path, out, msg, msglen);

	gf_escape_inplace(msg, msglen);
	return r;
}

static enum gf_reload_result check(const char *config_path, struct gf_build **out, char *msg, size_t msglen)
{
	struct gf_coverage cov;
	struct gf_build *b;
	int have = !gf_build_running_coverage(config_path, &cov);

	if (out)
		*out = NULL;
	b = gf_build_new(config_path, have ? &cov : NULL, msg, msglen);
	if (!b)
		return GF_RELOAD_REJECTED;
	if (check_capacity(b, msg, msglen)) {
		gf_build_free(b);
		return GF_RELOAD_REJECTED;
	}
	for (int side = 0; side < 2; side++)
		for (int i = 0; i < (side ? b->cfg.nwan : b->cfg.nlan); i++) {
			const char *ifname = side ? b->cfg.wan[i] : b->cfg.lan[i];

			if (!if_nametoindex(ifname)) {
				snprintf(msg, msglen, "%s: no such interface here: a reload would apply the policy "
					 "and leave it unfiltered until it appears", ifname);
				if (out)
					*out = b;
				else
					gf_build_free(b);
				return GF_RELOAD_APPLIED_WITH_ERRORS;
			}
		}
	int rules = 0;

	for (int cls = GF_CLASS_COUNTRY_BASE; cls < GF_CLASS_COUNTRY_END; cls++)
		rules += b->countries.rule[cls].action >= 0;
	snprintf(msg, msglen, "%d country rules from %d list file(s), %d override(s), %zu IPv4 and %zu IPv6 "
		 "ranges from %zu source(s); data sanity checked against %s", rules,
		 b->countries.nfiles, b->cfg.noverrides, b->world.all[0].n, b->world.all[1].n, b->world.nsrcs,
		 have ? "the running agent's data" : "the default data (no running agent's state)");
	if (b->cfg.nexpired)
		snprintf(msg + strlen(msg), msglen - strlen(msg), "; warning: %d exemption(s) past their expiry left "
			 "out: %s", b->cfg.nexpired, b->cfg.expired);
	if (out)
		*out = b;
	else
		gf_build_free(b);
	return GF_RELOAD_APPLIED;
}
