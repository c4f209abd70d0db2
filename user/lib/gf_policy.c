// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "gf_policy.h"

/* A rule -> the policy entry, assigning a redirect slot per interface. */
static int apply(struct gf_policy_set *p, const struct gf_rule *r, int monitor,
		 struct gf_policy *out, char *err, size_t errlen)
{
	int slot;

	*out = (struct gf_policy){ .action = r->action };
	if (monitor && r->action == GF_ACT_DROP)
		out->action = GF_ACT_MONITOR;	/* dry run */
	if (r->action != GF_ACT_REDIRECT)
		return 0;
	for (slot = 0; slot < p->nredirect; slot++)
		if (!strcmp(p->redirect_name[slot], r->redirect))
			break;
	if (slot == p->nredirect) {
		__u32 ifindex = if_nametoindex(r->redirect);

		if (!ifindex) {
			snprintf(err, errlen, "%s: redirect to '%s': no such interface", r->origin,
				 r->redirect);
			return -ENODEV;
		}
		if (p->nredirect == GF_REDIRECT_SLOTS) {
			snprintf(err, errlen, "%s: more than %d redirect interfaces", r->origin,
				 GF_REDIRECT_SLOTS);
			return -E2BIG;
		}
		snprintf(p->redirect_name[slot], IF_NAMESIZE, "%s", r->redirect);
		p->redirect_ifindex[slot] = ifindex;
		p->nredirect++;
	}
	out->redirect_slot = slot;
	out->redirect_ifindex = p->redirect_ifindex[slot];
	return 0;
}

int gf_policy_build(const struct gf_config *c, const struct gf_countries *cs,
		    struct gf_policy_set *p, char *err, size_t errlen)
{
	int ret = 0;

	memset(p, 0, sizeof(*p));
	gf_rs_init(&p->overrides[0], 4);
	gf_rs_init(&p->overrides[1], 6);
	/* every class starts at the default for countries not listed */
	for (int cls = 0; cls < GF_NUM_CLASSES && !ret; cls++)
		ret = apply(p, &c->default_rule, c->monitor, &p->pol[cls], err, errlen);
	if (!ret)
		ret = apply(p, &c->unknown_rule, c->monitor, &p->pol[GF_CLASS_UNKNOWN], err, errlen);
	if (!ret)
		ret = apply(p, &c->reserved_rule, c->monitor, &p->pol[GF_CLASS_RESERVED], err, errlen);
	/* source routes: pass means "classify by every hop"; drop drops them all */
	if (!ret) {
		struct gf_rule r = { .action = c->source_route_drop ? GF_ACT_DROP : GF_ACT_PASS };

		ret = apply(p, &r, c->monitor, &p->pol[GF_CLASS_SOURCE_ROUTED], err, errlen);
	}
	for (int cls = GF_CLASS_COUNTRY_BASE; cls < GF_CLASS_COUNTRY_END && !ret; cls++) {
		if (cs->rule[cls].action >= 0) {
			ret = apply(p, &cs->rule[cls], c->monitor, &p->pol[cls], err, errlen);
			p->listed++;
		}
		if (!ret)
			p->countries[p->pol[cls].action]++;
	}
	for (int i = 0; i < c->noverrides && !ret; i++) {
		const struct gf_override *o = &c->overrides[i];
		__u16 cls = GF_CLASS_OVERRIDE_BASE + i;

		ret = apply(p, &o->rule, c->monitor, &p->pol[cls], err, errlen);
		if (!ret)
			ret = gf_rs_add_prefix(&p->overrides[o->family == 6], o->addr, o->len, cls, i);
	}
	/*
	 * Sampling: the default rate everywhere, per-country rates over it;
	 * never reserved space, which is the LAN talking to itself.
	 */
	for (int cls = 0; cls < GF_NUM_CLASSES && !ret; cls++) {
		/* monitor: data really leaves for a country the operator names: count it all */
		p->pol[cls].sample_rate = p->pol[cls].action == GF_ACT_MONITOR ?
					  c->sampling.monitor_rate : c->sampling.rate;
		p->pol[cls].snaplen = c->sampling.bytes;
	}
	for (int i = 0; i < c->sampling.ncountry; i++)
		p->pol[c->sampling.country[i].cls].sample_rate = c->sampling.country[i].rate;
	p->pol[GF_CLASS_RESERVED].sample_rate = 0;
	p->pol[GF_CLASS_SOURCE_ROUTED].sample_rate = 0;
	/* flows: every action but pass; passed traffic where flows.countries names the country */
	for (int cls = 0; cls < GF_NUM_CLASSES && c->flows.enabled; cls++)
		if (p->pol[cls].action != GF_ACT_PASS)
			p->pol[cls].flags |= GF_POL_FLOWS;
	for (int i = 0; i < c->flows.ncountry && c->flows.enabled; i++)
		p->pol[c->flows.country[i]].flags |= GF_POL_FLOWS;
	/* the same prefix twice: say which two lines */
	for (int f = 0; f < 2 && !ret; f++) {
		struct gf_rs copy;
		__u32 a = 0, b = 0;

		ret = gf_rs_copy(&copy, &p->overrides[f]);
		if (!ret && gf_rs_flatten(&copy, &a, &b)) {
			snprintf(err, errlen, "%s and %s: two overrides of the same prefix: keep "
				 "one", c->overrides[a].rule.origin, c->overrides[b].rule.origin);
			ret = -EINVAL;
		}
		gf_rs_free(&copy);
	}
	if (ret)
		gf_policy_set_free(p);
	return ret;
}

void gf_policy_set_free(struct gf_policy_set *p)
{
	gf_rs_free(&p->overrides[0]);
	gf_rs_free(&p->overrides[1]);
}
