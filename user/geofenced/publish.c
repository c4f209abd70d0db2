// SPDX-License-Identifier: GPL-2.0
/*
 * What the agent says of itself: state.json (struct gf_agent_state, the
 * contract the CLI and the tests read) and the copy /metrics serves.
 */
#include <unistd.h>
#include <bpf/libbpf.h>
#include "gf_log.h"
#include "gf_metrics.h"
#include "gf_names.h"
#include "gf_state.h"
#include "agent.h"

/* ---------------------------------------------------------------------
 * state.json: struct gf_agent_state (gf_agent_state.h) is its contract
 */
static char *rule_str(const struct gf_rule *r)
{
	char buf[64];

	if (r->action == GF_ACT_REDIRECT)
		snprintf(buf, sizeof(buf), "redirect %s", r->redirect);
	else
		snprintf(buf, sizeof(buf), "%s", gf_action_name(r->action));
	return gf_schema_str(buf);
}

/* What /metrics says of the agent: copied by the server under its lock. */
void publish_metrics(void)
{
	const struct gf_build *b = A.cur;
	struct gf_metrics_info in = { 0 };

	if (!A.http.server)
		return;
	in.generation = gf_dp_flips(A.dp);
	if (b)
		snprintf(in.policy_sha256, sizeof(in.policy_sha256), "%s", b->policy_sha256);
	for (int s = 1; b && s < b->pol.nscopes; s++)
		snprintf(in.scope_name[b->scope_id[s]], sizeof(in.scope_name[0]), "%s", b->pol.scope_name[s]);
	for (int k = 0; b && k < b->world.nas_cls; k++) {
		in.class_asn[b->world.as_base + k] = b->world.as_cls[k].asn;
		in.class_cc[b->world.as_base + k] = b->world.as_cls[k].cc;
	}
	for (int i = 0; b && i < b->cfg.noverrides && in.nexemptions < GF_METRICS_MAX_EXEMPTIONS; i++) {
		const struct gf_override *o = &b->cfg.overrides[i];
		char a[64];

		if (!o->expires)
			continue;
		snprintf(in.exemption[in.nexemptions].cidr, sizeof(in.exemption[0].cidr), "%s/%d",
			 gf_addr_str(o->family, o->addr, a, sizeof(a)), o->len);
		snprintf(in.exemption[in.nexemptions].action, sizeof(in.exemption[0].action), "%s",
			 gf_action_name(o->rule.action));
		snprintf(in.exemption[in.nexemptions].origin, sizeof(in.exemption[0].origin), "%.159s", o->rule.origin);
		in.exemption[in.nexemptions++].expires = o->expires;
	}
	for (int k = 0; b && k < b->cfg.nscopes; k++)
		for (int i = 0; i < b->cfg.scopes[k].nrules && in.nexemptions < GF_METRICS_MAX_EXEMPTIONS; i++) {
			const struct gf_scope_rule *r = &b->cfg.scopes[k].rules[i];

			if (!r->expires)
				continue;
			snprintf(in.exemption[in.nexemptions].scope, sizeof(in.exemption[0].scope), "%s",
				 b->cfg.scopes[k].name);
			gf_scope_rule_name(r, in.exemption[in.nexemptions].country, sizeof(in.exemption[0].country));
			snprintf(in.exemption[in.nexemptions].action, sizeof(in.exemption[0].action), "%s",
				 gf_action_name(r->rule.action));
			snprintf(in.exemption[in.nexemptions].origin, sizeof(in.exemption[0].origin), "%.159s",
				 r->rule.origin);
			in.exemption[in.nexemptions++].expires = r->expires;
		}
	in.reloads[GF_RELOAD_APPLIED] = A.reload.applied;
	in.reloads[GF_RELOAD_APPLIED_WITH_ERRORS] = A.reload.applied_with_errors;
	in.reloads[GF_RELOAD_REJECTED] = A.reload.rejected;
	in.last_reload_time = A.last_ok_reload;
	in.last_reload_seconds = A.last_reload_ms / 1e3;
	in.map_bytes = gf_dp_map_bytes(A.dp);
	in.started = A.started;
	if (b) {
		for (size_t i = 0; i < b->world.nsrcs; i++)
			if (b->world.srcs[i].build_epoch > in.geodb_build_time)
				in.geodb_build_time = b->world.srcs[i].build_epoch;
		in.geodb_max_age = b->cfg.geo_max_age_days * 86400.0;
		for (int f = 0; f < 2; f++) {
			in.ranges[f] = b->world.table[f]->n_ranges;
			in.table_bytes[f] = gf_table_bytes(b->world.table[f]);
			in.addresses[0][f] = b->cov.country[f];
			in.addresses[1][f] = b->cov.reserved[f];
			in.addresses[2][f] = b->cov.overrides[f];
			in.addresses[3][f] = b->cov.unknown[f];
		}
	}
	for (int i = 0; i < A.link.nifs && in.nattach < GF_METRICS_MAX_ATTACH; i++, in.nattach++) {
		snprintf(in.attach[in.nattach].ifname, sizeof(in.attach[0].ifname), "%s", A.link.ifs[i].name);
		snprintf(in.attach[in.nattach].hook, sizeof(in.attach[0].hook), "%s", gf_hook_name(A.link.ifs[i].hook));
		snprintf(in.attach[in.nattach].mode, sizeof(in.attach[0].mode), "%s", A.link.ifs[i].mode);
		in.attach[in.nattach].filtered = A.link.ifs[i].filtered;
		in.attach[in.nattach].changes = A.link.ifs[i].changes;
		in.link_events = A.link.events;
	}
	in.flow_events[0] = __atomic_load_n(&A.events.sent, __ATOMIC_RELAXED);
	in.flow_events[1] = __atomic_load_n(&A.events.suppressed, __ATOMIC_RELAXED);
	exporter_metrics(&in);
	gf_metrics_publish(A.http.server, &in);
}

/* Serve /metrics as the configuration says; restart the server when that changes. */

void metrics_sync(const struct gf_config *c)
{
	struct gf_metrics_opts o = {
		.listen = c->metrics_listen,
		.tls_cert = c->metrics_tls_cert[0] ? c->metrics_tls_cert : NULL,
		.tls_key = c->metrics_tls_key[0] ? c->metrics_tls_key : NULL,
		.user = c->metrics_user[0] ? c->metrics_user : NULL,
		.password_file = c->metrics_password_file[0] ? c->metrics_password_file : NULL,
	};
	char sig[sizeof(A.http.sig)], err[512], h[3][65] = { "", "", "" };
	const char *files[3] = { c->metrics_tls_cert, c->metrics_tls_key, c->metrics_password_file };

	/*
	 * What the files hold, too: a renewed certificate (or a new password)
	 * under the same name restarts the server on the next reload.
	 */
	for (int i = 0; i < 3; i++)
		if (files[i][0] && gf_sha256_file(files[i], h[i]))
			snprintf(h[i], sizeof(h[i]), "unreadable");
	snprintf(sig, sizeof(sig), "%s|%s|%s|%s|%s|%s|%s|%s", c->metrics_listen, c->metrics_tls_cert,
		 c->metrics_tls_key, c->metrics_user, c->metrics_password_file, h[0], h[1], h[2]);
	if (A.http.server && !strcmp(sig, A.http.sig))
		return;
	gf_metrics_stop(A.http.server);
	A.http.server = NULL;
	snprintf(A.http.sig, sizeof(A.http.sig), "%s", sig);
	if (!c->metrics_listen[0]) {
		pr_info("metrics off (metrics.listen is empty)\n");
		return;
	}
	if (gf_metrics_start(&A.http.server, &o, A.dp, A.scan.dlp, err, sizeof(err))) {
		/* enforcement goes on without metrics; Prometheus will see the target down */
		pr_err("%s\n", err);
		A.http.sig[0] = '\0';
		return;
	}
	pr_info("metrics on %s://%s/metrics%s\n", o.tls_cert ? "https" : "http", c->metrics_listen,
		o.user ? " (basic auth)" : "");
}

/* state.json's arrays: no memory for them is no way to go on */
static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ?: 1, size);

	if (!p) {
		pr_err("out of memory\n");
		abort();
	}
	return p;
}

static void state_interfaces(struct gf_agent_state *st)
{
	st->interfaces = xcalloc(A.link.nifs, sizeof(*st->interfaces));
	st->ninterfaces = A.link.nifs;
	for (int i = 0; i < A.link.nifs; i++) {
		const struct iface *f = &A.link.ifs[i];
		struct gf_st_iface *x = &st->interfaces[i];

		x->name = gf_schema_str(f->name);
		x->ifindex = f->ifindex;
		x->hook = gf_schema_str(gf_hook_name(f->hook));
		x->mode = gf_schema_str(f->mode);
		x->adopted = f->adopted;
		x->filtered = f->filtered;
		x->link_changes = f->changes;
		x->error = !f->filtered && f->last_err[0] ? gf_schema_str(f->last_err) : NULL;
	}
}

static void state_inputs(struct gf_agent_state *st, const struct gf_build *b)
{
	st->nfiles = 1 + b->countries.nfiles;
	st->files = xcalloc(st->nfiles, sizeof(*st->files));
	st->files[0].path = gf_schema_str(b->cfg.path);
	st->files[0].sha256 = gf_schema_str(b->cfg_sha);
	for (int i = 0; i < b->countries.nfiles; i++) {
		st->files[1 + i].path = gf_schema_str(b->countries.files[i]);
		st->files[1 + i].sha256 = gf_schema_str(b->list_sha[i]);
	}
	st->nsources = b->world.nsrcs;
	st->sources = xcalloc(b->world.nsrcs, sizeof(*st->sources));
	for (size_t i = 0; i < b->world.nsrcs; i++) {
		const struct gf_geo *g = &b->world.srcs[i];
		struct gf_st_source *x = &st->sources[i];

		x->path = gf_schema_str(g->path);
		x->type = gf_schema_str(g->database_type);
		x->sha256 = gf_schema_str(b->src_sha[i]);
		x->build_epoch = g->build_epoch;
		x->description = gf_schema_str(g->description);
		x->networks = g->networks;
		x->registered_country_fallbacks = g->fallback_registered;
		x->aliased = g->aliases_skipped > 0;
	}
	if (b->world.nasn) {
		const struct gf_geo *g = &b->world.asn_src;

		st->asn.path = gf_schema_str(g->path);
		st->asn.type = gf_schema_str(g->database_type);
		st->asn.build_epoch = g->build_epoch;
		st->asn.description = gf_schema_str(g->description);
		st->asn.networks = g->networks;
	}
	st->geoip_max_age_days = b->cfg.geo_max_age_days;
	st->source_conflicts.ranges = b->world.conflicts.ranges;
	st->source_conflicts.first = b->world.conflicts.ranges ? gf_schema_str(b->world.conflicts.first) : NULL;
}

static void state_tables(struct gf_agent_state *st, const struct gf_build *b)
{
	struct gf_st_table *t[2] = { &st->tables.ipv4, &st->tables.ipv6 };
	__u32 cap[2];

	gf_dp_capacity(A.dp, &cap[0], &cap[1]);
	for (int f = 0; f < 2; f++) {
		t[f]->ranges = b->world.table[f]->n_ranges;
		t[f]->nodes = b->world.table[f]->n_nodes;
		t[f]->node_capacity = cap[f];
		t[f]->bytes = gf_table_bytes(b->world.table[f]);
	}
	st->tables.map_bytes = gf_dp_map_bytes(A.dp);
	{
		const char *named[GF_CLASS_COUNTRY_END];

		gf_build_named(b, named);
		st->coverage = gf_coverage_to_json(&b->cov, named);
	}
}

static void state_policy(struct gf_st_policy *p, const struct gf_build *b)
{
	p->default_action = rule_str(&b->cfg.default_rule);
	p->unknown = rule_str(&b->cfg.unknown_rule);
	p->reserved = rule_str(&b->cfg.reserved_rule);
	p->monitor = b->cfg.monitor;
	p->source_route = gf_schema_str(b->cfg.source_route_drop ? "drop" : "classify");
	p->countries = xcalloc(GF_CLASS_COUNTRY_END, sizeof(*p->countries));
	for (int cls = GF_CLASS_COUNTRY_BASE; cls < GF_CLASS_COUNTRY_END; cls++) {
		char cc[8];

		if (b->countries.rule[cls].action < 0)
			continue;
		p->countries[p->ncountries].cc = gf_schema_str(gf_class_name(cls, cc, sizeof(cc)));
		p->countries[p->ncountries++].action = rule_str(&b->countries.rule[cls]);
	}
	p->nby_action = GF_ACT_MAX;
	p->by_action = xcalloc(GF_ACT_MAX, sizeof(*p->by_action));
	for (int act = 0; act < GF_ACT_MAX; act++) {
		p->by_action[act].action = gf_schema_str(gf_action_name(act));
		p->by_action[act].countries = b->pol.countries[act];
	}
	p->noverrides = b->cfg.noverrides;
	p->overrides = xcalloc(b->cfg.noverrides, sizeof(*p->overrides));
	for (int i = 0; i < b->cfg.noverrides; i++) {
		const struct gf_override *ov = &b->cfg.overrides[i];
		char addr[64], cidr[80];

		snprintf(cidr, sizeof(cidr), "%s/%d", gf_addr_str(ov->family, ov->addr, addr, sizeof(addr)),
			 ov->len);
		p->overrides[i].cidr = gf_schema_str(cidr);
		p->overrides[i].action = rule_str(&ov->rule);
		p->overrides[i].reason = gf_schema_str(ov->reason);
		p->overrides[i].cls = GF_CLASS_OVERRIDE_BASE + i;
		p->overrides[i].origin = gf_schema_str(ov->rule.origin);
	}
	p->nscopes = b->cfg.nscopes;
	p->scopes = xcalloc(b->cfg.nscopes, sizeof(*p->scopes));
	for (int i = 0; i < b->cfg.nscopes; i++) {
		const struct gf_scope_cfg *sc = &b->cfg.scopes[i];
		struct gf_st_scope *o = &p->scopes[i];
		char sel[1024];

		gf_scope_selects(sc, sel, sizeof(sel));
		o->id = b->scope_id[i + 1];
		o->name = gf_schema_str(sc->name);
		o->selects = gf_schema_str(sel);
		o->default_action = rule_str(sc->default_rule.action >= 0 ? &sc->default_rule : &b->cfg.default_rule);
		o->monitor = sc->monitor >= 0 ? sc->monitor : b->cfg.monitor;
		o->origin = gf_schema_str(sc->origin);
		o->ncountries = sc->nrules;
		o->countries = xcalloc(sc->nrules, sizeof(*o->countries));
		for (int k = 0; k < sc->nrules; k++) {
			char cc[16];

			o->countries[k].cc = gf_schema_str(gf_scope_rule_name(&sc->rules[k], cc, sizeof(cc)));
			o->countries[k].action = rule_str(&sc->rules[k].rule);
		}
	}
	p->nas_rules = b->countries.nas;
	p->as_rules = xcalloc(b->countries.nas, sizeof(*p->as_rules));
	for (int i = 0; i < b->countries.nas; i++) {
		char name[16];

		snprintf(name, sizeof(name), "AS%u", b->countries.as[i].asn);
		p->as_rules[i].cc = gf_schema_str(name);
		p->as_rules[i].action = rule_str(&b->countries.as[i].rule);
	}
	p->nas_classes = b->world.nas_cls;
	p->as_classes = xcalloc(b->world.nas_cls, sizeof(*p->as_classes));
	for (int i = 0; i < b->world.nas_cls; i++) {
		char cc[16];

		p->as_classes[i].cls = b->world.as_base + i;
		p->as_classes[i].as = b->world.as_cls[i].asn;
		p->as_classes[i].country = gf_schema_str(gf_class_name(b->world.as_cls[i].cc, cc, sizeof(cc)));
	}
	p->nredirects = b->pol.nredirect;
	p->redirects = xcalloc(b->pol.nredirect, sizeof(*p->redirects));
	for (int i = 0; i < b->pol.nredirect; i++) {
		p->redirects[i].slot = i;
		p->redirects[i].interface = gf_schema_str(b->pol.redirect_name[i]);
	}
}

/* state.json, whole: written after every reload and link change. */
void write_state(void)
{
	const struct gf_build *b = A.cur;
	struct gf_agent_state st = {
		.pid = getpid(),
		.started = A.started,
		.config = gf_schema_str(A.config_path),
		.netns = gf_schema_str(A.netns),
		.generation = gf_dp_flips(A.dp),
		.layout = GF_LAYOUT,
		.reload = A.reload,	/* borrowed: given back before the free */
	};
	int err;

	if (!b)
		goto out;
	st.pin_dir = gf_schema_str(b->cfg.pin_dir);
	state_interfaces(&st);
	state_inputs(&st, b);
	state_tables(&st, b);
	state_policy(&st.policy, b);
	err = gf_agent_state_write(b->cfg.run_dir, &st, b->cfg.state_gid);
	if (err)
		pr_warn("cannot write %s/%s: %s\n", b->cfg.run_dir, GF_STATE_FILE, strerror(-err));
out:
	memset(&st.reload, 0, sizeof(st.reload));
	gf_agent_state_free(&st);
	publish_metrics();
}
