// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's generations: built by gf_build (user/lib/gf_build.c) from
 * its configuration and judged against what runs; the clocks it times
 * them with.
 */
#include <bpf/libbpf.h>
#include "gf_log.h"
#include "gf_names.h"
#include "gf_ranges.h"
#include "gf_state.h"
#include "gf_text.h"
#include "agent.h"

double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The next generation from the agent's configuration, judged against what runs. */
struct gf_build *build_new(char *err, size_t errlen)
{
	struct gf_build *b = gf_build_new(A.config_path, A.cur ? &A.cur->cov : A.last_cov, err, errlen);

	/* a pushed file may carry exemptions already over: left out, and said */
	if (b && b->cfg.nexpired)
		pr_warn("%d exemption(s) past their expiry left out: %s\n", b->cfg.nexpired, b->cfg.expired);
	return b;
}

/*
 * Exemptions (overrides with expires) end by themselves: once a second,
 * one whose time has come makes the agent reload without it.  A reload
 * that is rejected for another reason leaves it in force: said at once,
 * tried again every minute, and the metric's seconds until expiry go
 * negative (GeofenceExemptionOverdue).
 */
void expiry_check(void)
{
	static double next_try;
	long long now = time(NULL), t;
	char what[256] = "", when[64];

	if (!A.cur || mono_s() < next_try || !(t = gf_build_next_expiry(A.cur)) || t > now)
		return;
	for (int i = 0; i < A.cur->cfg.noverrides && !what[0]; i++) {
		const struct gf_override *o = &A.cur->cfg.overrides[i];
		char a[64];

		if (o->expires == t)
			snprintf(what, sizeof(what), "%s/%d %s (%.100s%s%.60s)", gf_addr_str(o->family, o->addr, a, sizeof(a)),
				 o->len, gf_action_name(o->rule.action), o->rule.origin, o->reason[0] ? ", " : "", o->reason);
	}
	for (int k = 0; k < A.cur->cfg.nscopes && !what[0]; k++)
		for (int i = 0; i < A.cur->cfg.scopes[k].nrules && !what[0]; i++) {
			const struct gf_scope_rule *r = &A.cur->cfg.scopes[k].rules[i];
			char cc[16];

			if (r->expires == t)
				snprintf(what, sizeof(what), "scope %s: %s %s (%.100s%s%.60s)", A.cur->cfg.scopes[k].name,
					 gf_scope_rule_name(r, cc, sizeof(cc)), gf_action_name(r->rule.action),
					 r->rule.origin, r->reason[0] ? ", " : "", r->reason);
		}
	gf_time_str(t, "%Y-%m-%d %H:%M:%S UTC", when, sizeof(when));
	pr_info("exemption %s expired at %s: reloading without it\n", what, when);
	reload("exemption expired");
	if (A.cur && gf_build_next_expiry(A.cur) && gf_build_next_expiry(A.cur) <= now) {
		pr_err("the reload that ends an exemption was rejected: it stays in force until a reload "
		       "applies; fix the input the reload names (tried again every minute)\n");
		next_try = mono_s() + 60;
	}
}

/*
 * What the previous agent's generation gave to countries, from its
 * state.json (the run directory the configuration names), so that a
 * restart compares new data with it rather than with the default data.
 */
void restore_coverage(void)
{
	static struct gf_coverage cov;

	if (gf_build_running_coverage(A.config_path, &cov))
		return;
	A.last_cov = &cov;
	pr_info("data sanity: comparing with the previous run's data (the run directory's %s)\n", GF_STATE_FILE);
}

const char *path_base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}
