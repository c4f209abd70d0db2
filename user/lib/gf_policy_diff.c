// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <openssl/evp.h>
#include <string.h>
#include "gf_names.h"
#include "gf_policy_diff.h"
#include "gf_ranges.h"

#define MOVES_MAX 4096

/* A class as the operator wrote it: "CN", "unknown", "reserved", "override 1.0.1.0/24". */
static void label(const struct gf_build *b, unsigned cls, char *out, size_t len)
{
	if (cls >= GF_CLASS_OVERRIDE_BASE && cls - GF_CLASS_OVERRIDE_BASE < (unsigned)b->cfg.noverrides) {
		const struct gf_override *ov = &b->cfg.overrides[cls - GF_CLASS_OVERRIDE_BASE];
		char a[64];

		snprintf(out, len, "override %s/%d", gf_addr_str(ov->family, ov->addr, a, sizeof(a)), ov->len);
		return;
	}
	if (gf_world_as_class(&b->world, cls)) {
		const struct gf_as_class *x = gf_world_as_class(&b->world, cls);
		char cc[8];

		snprintf(out, len, "AS%u %s", x->asn, gf_class_name(x->cc, cc, sizeof(cc)));
		return;
	}
	gf_class_name(cls, out, len);
}

/* "drop", "redirect q0": a class's action in a build's scope (0: the default) */
static void scope_action(const struct gf_build *b, int scope, unsigned cls, char *out, size_t len)
{
	const struct gf_policy *p = &gf_policy_row(&b->pol, scope)[cls];

	if (p->action == GF_ACT_REDIRECT && p->redirect_slot < b->pol.nredirect)
		snprintf(out, len, "redirect %s", b->pol.redirect_name[p->redirect_slot]);
	else
		snprintf(out, len, "%s", gf_action_name(p->action));
}

static void action(const struct gf_build *b, unsigned cls, char *out, size_t len)
{
	scope_action(b, 0, cls, out, len);
}

/* Addresses per class in a family's range set. */
static double in_class(const struct gf_rs *rs, unsigned cls)
{
	double n = 0;

	for (size_t i = 0; i < rs->n; i++)
		if (rs->v[i].cls == cls)
			n += (double)(rs->v[i].last - rs->v[i].first) + 1;
	return n;
}

/* The classes a policy row decides by name: special, countries, overrides. */
static int decided(unsigned cls, const struct gf_build *b)
{
	if (cls > GF_CLASS_RESERVED && cls < GF_CLASS_COUNTRY_BASE)
		return 0;
	return cls < GF_CLASS_COUNTRY_END ||
	       (cls >= GF_CLASS_OVERRIDE_BASE && cls - GF_CLASS_OVERRIDE_BASE < (unsigned)b->cfg.noverrides);
}

/* What selects a scope of b, "" for the default. */
static void selects(const struct gf_build *b, int scope, char *out, size_t len)
{
	out[0] = 0;
	if (scope > 0 && scope <= b->cfg.nscopes)
		gf_scope_selects(&b->cfg.scopes[scope - 1], out, len);
}

/* One change {key: name, "old", "new"} added to arr. */
static void change(json_object *arr, const char *key, const char *name, const char *old, const char *new)
{
	json_object *e = json_object_new_object();

	json_object_object_add(e, key, json_object_new_string(name));
	json_object_object_add(e, "old", json_object_new_string(old));
	json_object_object_add(e, "new", json_object_new_string(new));
	json_object_array_add(arr, e);
}

/*
 * The classes whose action differs between o's row os and n's row ns, as
 * changes of scope `scope`, each with the addresses its class holds (n's
 * tables).  1 if there is one.
 */
static int row_diff(const struct gf_build *o, int os, const struct gf_build *n, int ns, const char *scope,
		    json_object *acts)
{
	char a[96], b[96], cname[96];
	int changed = 0;

	for (unsigned cls = 0; cls < GF_CLASS_COUNTRY_END; cls++) {
		json_object *e;

		if (!decided(cls, n))
			continue;
		scope_action(o, os, cls, a, sizeof(a));
		scope_action(n, ns, cls, b, sizeof(b));
		if (!strcmp(a, b))
			continue;
		label(n, cls, cname, sizeof(cname));
		e = json_object_new_object();
		json_object_object_add(e, "scope", json_object_new_string(scope));
		json_object_object_add(e, "class", json_object_new_string(cname));
		json_object_object_add(e, "old", json_object_new_string(a));
		json_object_object_add(e, "new", json_object_new_string(b));
		json_object_object_add(e, "ipv4", json_object_new_double(in_class(&n->world.all[0], cls)));
		json_object_object_add(e, "ipv6", json_object_new_double(in_class(&n->world.all[1], cls)));
		json_object_array_add(acts, e);
		changed = 1;
	}
	return changed;
}

/*
 * Named scopes: for each name in either build, its countries' actions
 * against the other side's (a scope that is new is compared with the
 * default it took its senders from, one that goes with the default they
 * fall back to), and what selects it.
 */
static int scope_diff(const struct gf_build *o, const struct gf_build *n, json_object *acts, json_object *sc)
{
	int changed = 0;

	for (int side = 0; side < 2; side++) {
		const struct gf_build *x = side ? n : o, *y = side ? o : n;

		for (int s = 1; s < x->pol.nscopes; s++) {
			const char *name = x->pol.scope_name[s];
			int t = gf_policy_scope_id(&y->pol, name);
			char sa[1024], sb[1024];

			if (side && t > 0)
				continue;	/* in both: compared once */
			/* a scope new or gone is compared with the default its senders come from or go to */
			changed |= side ? row_diff(o, 0, n, s, name, acts) : row_diff(o, s, n, t > 0 ? t : 0, name, acts);
			selects(o, side ? (t > 0 ? t : 0) : s, sa, sizeof(sa));
			selects(n, side ? s : (t > 0 ? t : 0), sb, sizeof(sb));
			if (strcmp(sa, sb)) {
				change(sc, "scope", name, sa, sb);
				changed = 1;
			}
		}
	}
	return changed;
}

struct move {
	char from[96], to[96];
	double n[2];
};

static void add_move(struct move *m, int *nm, const char *from, const char *to, int f, double n)
{
	int i;

	for (i = 0; i < *nm; i++)
		if (!strcmp(m[i].from, from) && !strcmp(m[i].to, to))
			break;
	if (i == *nm) {
		if (*nm == MOVES_MAX)
			return;
		memset(&m[i], 0, sizeof(m[i]));
		snprintf(m[i].from, sizeof(m[i].from), "%s", from);
		snprintf(m[i].to, sizeof(m[i].to), "%s", to);
		(*nm)++;
	}
	m[i].n[f] += n;
}

/* The class of every address in [lo, hi] of a sorted, disjoint range set; gaps are unknown. */
static void moves_of(const struct gf_build *o, const struct gf_build *n, int f, struct move *m, int *nm)
{
	const struct gf_rs *a = &o->world.all[f], *b = &n->world.all[f];
	gf_u128 at = 0, end = gf_family_max(f ? 6 : 4);
	size_t i = 0, j = 0;

	for (;;) {
		unsigned ca = GF_CLASS_UNKNOWN, cb = GF_CLASS_UNKNOWN;
		gf_u128 stop = end;
		char la[96], lb[96];

		while (i < a->n && a->v[i].last < at)
			i++;
		while (j < b->n && b->v[j].last < at)
			j++;
		if (i < a->n && a->v[i].first <= at) {
			ca = a->v[i].cls;
			stop = a->v[i].last;
		} else if (i < a->n && a->v[i].first - 1 < stop) {
			stop = a->v[i].first - 1;
		}
		if (j < b->n && b->v[j].first <= at) {
			cb = b->v[j].cls;
			if (b->v[j].last < stop)
				stop = b->v[j].last;
		} else if (j < b->n && b->v[j].first - 1 < stop) {
			stop = b->v[j].first - 1;
		}
		label(o, ca, la, sizeof(la));
		label(n, cb, lb, sizeof(lb));
		if (strcmp(la, lb))
			add_move(m, nm, la, lb, f, (double)(stop - at) + 1);
		if (stop == end)
			break;
		at = stop + 1;
	}
}

/* An AS rule's action in a build's lists: "drop", "redirect q0", "" where it names none. */
static void as_action(const struct gf_build *b, __u32 asn, char *out, size_t len)
{
	out[0] = 0;
	for (int i = 0; i < b->countries.nas; i++)
		if (b->countries.as[i].asn == asn) {
			const struct gf_rule *r = &b->countries.as[i].rule;

			if (r->action == GF_ACT_REDIRECT)
				snprintf(out, len, "redirect %s", r->redirect);
			else
				snprintf(out, len, "%s", gf_action_name(b->cfg.monitor && r->action == GF_ACT_DROP ?
									GF_ACT_MONITOR : r->action));
		}
}

/* The lists' AS rules, by AS: added, removed or with another action. */
static int as_diff(const struct gf_build *o, const struct gf_build *n, json_object *arr)
{
	int changed = 0;

	for (int side = 0; side < 2; side++) {
		const struct gf_build *x = side ? n : o;

		for (int i = 0; i < x->countries.nas; i++) {
			__u32 asn = x->countries.as[i].asn;
			char a[96], b[96], name[16];

			as_action(o, asn, a, sizeof(a));
			as_action(n, asn, b, sizeof(b));
			if (!strcmp(a, b) || (side && a[0]))
				continue;	/* the same, or in both: compared once */
			snprintf(name, sizeof(name), "AS%u", asn);
			change(arr, "as", name, a, b);
			changed = 1;
		}
	}
	return changed;
}

json_object *gf_policy_diff(const struct gf_build *o, const struct gf_build *n)
{
	static struct move m[MOVES_MAX];
	json_object *out = json_object_new_object(), *acts = json_object_new_array(),
		    *ovs = json_object_new_array(), *mv = json_object_new_array(), *sc = json_object_new_array(),
		    *asr = json_object_new_array();
	char a[96], b[96], name[96];
	int nm = 0, changed = 0;

	changed |= row_diff(o, 0, n, 0, "default", acts);
	/* overrides by their CIDR: added, removed, or with another action */
	for (int side = 0; side < 2; side++) {
		const struct gf_build *x = side ? n : o, *y = side ? o : n;

		for (int i = 0; i < x->cfg.noverrides; i++) {
			unsigned cx = GF_CLASS_OVERRIDE_BASE + i, cy = 0;
			int k;

			label(x, cx, name, sizeof(name));
			for (k = 0; k < y->cfg.noverrides; k++) {
				label(y, GF_CLASS_OVERRIDE_BASE + k, b, sizeof(b));
				if (!strcmp(name, b))
					break;
			}
			if (k < y->cfg.noverrides)
				cy = GF_CLASS_OVERRIDE_BASE + k;
			if (side && cy)
				continue;	/* in both: compared once, below */
			action(x, cx, a, sizeof(a));
			if (cy)
				action(y, cy, b, sizeof(b));
			if (cy && !strcmp(a, b))
				continue;
			change(ovs, "cidr", name + strlen("override "), side ? "" : a, side ? a : cy ? b : "");
			changed = 1;
		}
	}
	changed |= scope_diff(o, n, acts, sc);
	changed |= as_diff(o, n, asr);
	for (int f = 0; f < 2; f++)
		moves_of(o, n, f, m, &nm);
	for (int i = 0; i < nm; i++) {
		json_object *e = json_object_new_object();

		json_object_object_add(e, "from", json_object_new_string(m[i].from));
		json_object_object_add(e, "to", json_object_new_string(m[i].to));
		json_object_object_add(e, "ipv4", json_object_new_double(m[i].n[0]));
		json_object_object_add(e, "ipv6", json_object_new_double(m[i].n[1]));
		json_object_array_add(mv, e);
		changed = 1;
	}
	json_object_object_add(out, "changed", json_object_new_boolean(changed));
	json_object_object_add(out, "actions", acts);
	json_object_object_add(out, "overrides", ovs);
	json_object_object_add(out, "moves", mv);
	json_object_object_add(out, "scopes", sc);
	json_object_object_add(out, "as_rules", asr);
	return out;
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void gf_policy_sha256(const struct gf_build *b, char hex[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	char name[96], act[96], line[256], **ov = calloc(b->cfg.noverrides + 1, sizeof(*ov));
	unsigned char md[32];
	unsigned int mdlen = 0;

	hex[0] = '\0';
	if (!ctx || !ov || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto out;
	for (unsigned cls = 0; cls < GF_CLASS_COUNTRY_END; cls++) {
		if (cls > GF_CLASS_RESERVED && cls < GF_CLASS_COUNTRY_BASE)
			continue;
		label(b, cls, name, sizeof(name));
		action(b, cls, act, sizeof(act));
		EVP_DigestUpdate(ctx, line, snprintf(line, sizeof(line), "%s %s\n", name, act));
	}
	for (int i = 0; i < b->cfg.noverrides; i++) {
		label(b, GF_CLASS_OVERRIDE_BASE + i, name, sizeof(name));
		action(b, GF_CLASS_OVERRIDE_BASE + i, act, sizeof(act));
		snprintf(line, sizeof(line), "%s %s\n", name, act);
		ov[i] = strdup(line);
	}
	qsort(ov, b->cfg.noverrides, sizeof(*ov), line_cmp);
	for (int i = 0; i < b->cfg.noverrides; i++)
		if (ov[i])
			EVP_DigestUpdate(ctx, ov[i], strlen(ov[i]));
	EVP_DigestUpdate(ctx, line, snprintf(line, sizeof(line), "source_route %s\n",
					       b->cfg.source_route_drop ? "drop" : "classify"));
	/* AS rules, by number (a list without them hashes as before) */
	for (int k = 0; k < b->countries.nas; k++) {
		__u32 best = 0;
		int have = 0;

		for (int i = 0; i < b->countries.nas; i++) {	/* the k-th smallest */
			int rank = 0;

			for (int j = 0; j < b->countries.nas; j++)
				rank += b->countries.as[j].asn < b->countries.as[i].asn;
			if (rank == k) {
				best = b->countries.as[i].asn;
				have = 1;
			}
		}
		if (!have)
			continue;
		as_action(b, best, act, sizeof(act));
		EVP_DigestUpdate(ctx, line, snprintf(line, sizeof(line), "AS%u %s\n", best, act));
	}
	/*
	 * Scopes, in name order: what selects each, and where its row differs
	 * from the default's.  A policy without scopes hashes as before.
	 */
	for (int k = 1; k < b->pol.nscopes; k++) {
		int s = 0;
		char sel[1024], d[96];

		for (int j = 1; j < b->pol.nscopes; j++) {	/* the k-th name in order */
			int rank = 0;

			for (int i = 1; i < b->pol.nscopes; i++)
				rank += strcmp(b->pol.scope_name[i], b->pol.scope_name[j]) < 0;
			if (rank == k - 1)
				s = j;
		}
		selects(b, s, sel, sizeof(sel));
		EVP_DigestUpdate(ctx, "scope ", 6);
		EVP_DigestUpdate(ctx, b->pol.scope_name[s], strlen(b->pol.scope_name[s]));
		EVP_DigestUpdate(ctx, " ", 1);
		EVP_DigestUpdate(ctx, sel, strlen(sel));
		EVP_DigestUpdate(ctx, "\n", 1);
		for (int i = 0; s && i < b->cfg.scopes[s - 1].nrules; i++)
			if (b->cfg.scopes[s - 1].rules[i].asn)
				EVP_DigestUpdate(ctx, line, snprintf(line, sizeof(line), "  AS%u %s\n",
								       b->cfg.scopes[s - 1].rules[i].asn,
								       gf_action_name(b->cfg.scopes[s - 1].rules[i].rule.action)));
		for (unsigned cls = 0; cls < GF_NUM_CLASSES; cls++) {
			if (!decided(cls, b))
				continue;
			scope_action(b, s, cls, act, sizeof(act));
			scope_action(b, 0, cls, d, sizeof(d));
			if (!strcmp(act, d))
				continue;
			label(b, cls, name, sizeof(name));
			EVP_DigestUpdate(ctx, line, snprintf(line, sizeof(line), "  %s %s\n", name, act));
		}
	}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == 32)
		for (int i = 0; i < 32; i++)
			sprintf(hex + 2 * i, "%02x", md[i]);
out:
	for (int i = 0; ov && i < b->cfg.noverrides; i++)
		free(ov[i]);
	free(ov);
	EVP_MD_CTX_free(ctx);
}
