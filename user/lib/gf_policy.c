// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
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

/*
 * What follows from an entry's action and the class whose rules it keeps
 * (its own; an AS class's country): the sampling rate (the default, 1 in
 * monitor_rate where the action is monitor, a per-country rate over both;
 * never reserved space, the LAN talking to itself, nor source routes) and
 * the flow flag (every action but pass, and the countries flows.countries
 * names).
 */
static void derive(const struct gf_config *c, unsigned cls, struct gf_policy *e)
{
	/* monitor: data really leaves for a country the operator names: count it all */
	e->sample_rate = e->action == GF_ACT_MONITOR ? c->sampling.monitor_rate : c->sampling.rate;
	for (int i = 0; i < c->sampling.ncountry; i++)
		if (c->sampling.country[i].cls == cls)
			e->sample_rate = c->sampling.country[i].rate;
	if (cls == GF_CLASS_RESERVED || cls == GF_CLASS_SOURCE_ROUTED)
		e->sample_rate = 0;
	e->snaplen = c->sampling.bytes;
	e->flags = 0;
	for (int i = 0; i < c->flows.ncountry && e->action == GF_ACT_PASS; i++)
		if (c->flows.country[i] == cls)
			e->flags = GF_POL_FLOWS;
	if (e->action != GF_ACT_PASS)
		e->flags = GF_POL_FLOWS;
	if (!c->flows.enabled)
		e->flags = 0;
}

/*
 * One scope's row (sc NULL: the default's).  A scope starts from the
 * default policy and wins where it says something: its default, unknown
 * and reserved actions, its monitor switch, its countries.  Its default
 * replaces every country it does not name, listed or not.  Overrides are
 * destination rules and bind every scope (in the scope's monitor mode).
 */
static int build_row(struct gf_policy_set *p, const struct gf_config *c, const struct gf_countries *cs,
		     const struct gf_scope_cfg *sc, struct gf_policy *row, char *err, size_t errlen)
{
	int monitor = sc && sc->monitor >= 0 ? sc->monitor : c->monitor, ret = 0;
	const struct gf_rule *def = sc && sc->default_rule.action >= 0 ? &sc->default_rule : &c->default_rule;
	const struct gf_rule *unk = sc && sc->unknown_rule.action >= 0 ? &sc->unknown_rule : &c->unknown_rule;
	const struct gf_rule *res = sc && sc->reserved_rule.action >= 0 ? &sc->reserved_rule : &c->reserved_rule;

	/* every class starts at the default for countries not listed */
	for (int cls = 0; cls < GF_NUM_CLASSES && !ret; cls++)
		ret = apply(p, def, monitor, &row[cls], err, errlen);
	if (!ret)
		ret = apply(p, unk, monitor, &row[GF_CLASS_UNKNOWN], err, errlen);
	if (!ret)
		ret = apply(p, res, monitor, &row[GF_CLASS_RESERVED], err, errlen);
	/* source routes: pass means "classify by every hop"; drop drops them all */
	if (!ret) {
		struct gf_rule r = { .action = c->source_route_drop ? GF_ACT_DROP : GF_ACT_PASS };

		ret = apply(p, &r, monitor, &row[GF_CLASS_SOURCE_ROUTED], err, errlen);
	}
	for (int cls = GF_CLASS_COUNTRY_BASE; cls < GF_CLASS_COUNTRY_END && !ret; cls++) {
		/* a scope with a default of its own replaces the lists */
		if (cs->rule[cls].action >= 0 && !(sc && sc->default_rule.action >= 0)) {
			ret = apply(p, &cs->rule[cls], monitor, &row[cls], err, errlen);
			if (!sc)
				p->listed++;
		}
		if (!ret && !sc)
			p->countries[row[cls].action]++;
	}
	for (int i = 0; sc && i < sc->nrules && !ret; i++)
		ret = apply(p, &sc->rules[i].rule, monitor, &row[sc->rules[i].cls], err, errlen);
	for (int i = 0; i < c->noverrides && !ret; i++)
		ret = apply(p, &c->overrides[i].rule, monitor, &row[GF_CLASS_OVERRIDE_BASE + i], err, errlen);
	if (ret)
		return ret;
	for (int cls = 0; cls < GF_NUM_CLASSES; cls++)
		derive(c, cls, &row[cls]);
	return 0;
}

/* The scopes' selectors, interfaces resolved in this network namespace. */
static int build_selectors(struct gf_policy_set *p, const struct gf_config *c, char *err, size_t errlen)
{
	int n = 0;

	for (int s = 0; s < c->nscopes; s++)
		n += c->scopes[s].nsrc + c->scopes[s].nvlan + c->scopes[s].niface;
	p->sel = calloc(n ? n : 1, sizeof(*p->sel));
	if (!p->sel) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (int s = 0; s < c->nscopes; s++) {
		const struct gf_scope_cfg *sc = &c->scopes[s];

		for (int i = 0; i < sc->nsrc; i++)
			p->sel[p->nsel++] = (struct gf_scope_sel){
				.kind = sc->src[i].family == 4 ? GF_SCOPE_SRC4 : GF_SCOPE_SRC6,
				.scope = s + 1, .len = sc->src[i].len, .addr = sc->src[i].addr,
			};
		for (int i = 0; i < sc->nvlan; i++)
			p->sel[p->nsel++] = (struct gf_scope_sel){ .kind = GF_SCOPE_VLAN, .scope = s + 1,
								   .id = sc->vlan[i] };
		for (int i = 0; i < sc->niface; i++) {
			__u32 ifindex = if_nametoindex(sc->iface[i]);

			if (!ifindex) {
				snprintf(err, errlen, "%s: scope %s: interface '%s': no such interface", sc->origin,
					 sc->name, sc->iface[i]);
				return -ENODEV;
			}
			p->sel[p->nsel++] = (struct gf_scope_sel){ .kind = GF_SCOPE_IFACE, .scope = s + 1,
								   .id = ifindex };
		}
	}
	return 0;
}

int gf_policy_add_as(struct gf_policy_set *p, const struct gf_config *c, const struct gf_countries *cs,
		     const struct gf_world *w, char *err, size_t errlen)
{
	for (int s = 0; s < p->nscopes; s++) {
		const struct gf_scope_cfg *sc = s ? &c->scopes[s - 1] : NULL;
		int monitor = sc && sc->monitor >= 0 ? sc->monitor : c->monitor;
		struct gf_policy *row = p->pol + (size_t)s * GF_NUM_CLASSES;

		for (int k = 0; k < w->nas_cls; k++) {
			const struct gf_as_class *a = &w->as_cls[k];
			const struct gf_rule *r = NULL;
			unsigned cls = w->as_base + k;
			struct gf_policy e;
			int ret;

			/* the scope's rule for the AS, else the lists' (unless the scope's default replaced them) */
			for (int i = 0; sc && i < sc->nrules && !r; i++)
				if (sc->rules[i].asn == a->asn)
					r = &sc->rules[i].rule;
			for (int i = 0; !r && !(sc && sc->default_rule.action >= 0) && i < cs->nas; i++)
				if (cs->as[i].asn == a->asn)
					r = &cs->as[i].rule;
			/* no rule: the country's entry, as if the AS were not named */
			row[cls] = row[a->cc];
			if (!r)
				continue;
			ret = apply(p, r, monitor, &e, err, errlen);
			if (ret)
				return ret;
			derive(c, a->cc, &e);	/* sampled and recorded as its country would be with this action */
			row[cls] = e;
		}
	}
	return 0;
}

int gf_policy_scope_id(const struct gf_policy_set *p, const char *name)
{
	for (int s = 0; s < p->nscopes; s++)
		if (!strcmp(p->scope_name[s], name))
			return s;
	return -1;
}

int gf_policy_build(const struct gf_config *c, const struct gf_countries *cs,
		    struct gf_policy_set *p, char *err, size_t errlen)
{
	int ret = 0;

	memset(p, 0, sizeof(*p));
	gf_rs_init(&p->overrides[0], 4);
	gf_rs_init(&p->overrides[1], 6);
	p->nscopes = 1 + c->nscopes;
	snprintf(p->scope_name[0], sizeof(p->scope_name[0]), "default");
	for (int s = 0; s < p->nscopes && !ret; s++) {
		if (s)
			snprintf(p->scope_name[s], sizeof(p->scope_name[s]), "%s", c->scopes[s - 1].name);
		ret = build_row(p, c, cs, s ? &c->scopes[s - 1] : NULL, p->pol + (size_t)s * GF_NUM_CLASSES, err,
				errlen);
	}
	if (!ret)
		ret = build_selectors(p, c, err, errlen);
	for (int i = 0; i < c->noverrides && !ret; i++) {
		const struct gf_override *o = &c->overrides[i];

		ret = gf_rs_add_prefix(&p->overrides[o->family == 6], o->addr, o->len,
				       GF_CLASS_OVERRIDE_BASE + i, i);
	}
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
	free(p->sel);
	p->sel = NULL;
	p->nsel = 0;
	gf_rs_free(&p->overrides[0]);
	gf_rs_free(&p->overrides[1]);
}
