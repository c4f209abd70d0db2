// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "gf_agent_state.h"
#include "gf_ranges.h"
#include "gf_state.h"

const char *const gf_reload_result_names[GF_RELOAD_RESULTS] = {
	[GF_RELOAD_APPLIED] = "applied",
	[GF_RELOAD_APPLIED_WITH_ERRORS] = "applied_with_errors",
	[GF_RELOAD_REJECTED] = "rejected",
};

int gf_reload_exit_code(enum gf_reload_result r)
{
	static const int code[GF_RELOAD_RESULTS] = {
		[GF_RELOAD_APPLIED] = 0, [GF_RELOAD_APPLIED_WITH_ERRORS] = 5, [GF_RELOAD_REJECTED] = 4,
	};

	return r >= 0 && r < GF_RELOAD_RESULTS ? code[r] : 4;
}

int gf_reload_result_parse(const char *s)
{
	for (int i = 0; s && i < GF_RELOAD_RESULTS; i++)
		if (!strcmp(s, gf_reload_result_names[i]))
			return i;
	return -1;
}

/* ---- the contract: every key of state.json, once ---- */

GF_SCHEMA(static, st_iface, struct gf_st_iface,
	  GF_STR("name", struct gf_st_iface, name),
	  GF_INT("ifindex", struct gf_st_iface, ifindex),
	  GF_STR("hook", struct gf_st_iface, hook),
	  GF_STR("mode", struct gf_st_iface, mode),
	  GF_BOOL("adopted", struct gf_st_iface, adopted),
	  GF_BOOL("filtered", struct gf_st_iface, filtered),
	  GF_INT("link_changes", struct gf_st_iface, link_changes),
	  GF_STR("error", struct gf_st_iface, error));

GF_SCHEMA(static, st_reload_last, struct gf_st_reload_last,
	  GF_STR("result", struct gf_st_reload_last, result),
	  GF_STR("trigger", struct gf_st_reload_last, trigger),
	  GF_STR("error", struct gf_st_reload_last, error),
	  GF_INT("time", struct gf_st_reload_last, time),
	  GF_DOUBLE("duration_ms", struct gf_st_reload_last, duration_ms),
	  GF_INT("generation", struct gf_st_reload_last, generation),
	  GF_INT("seq", struct gf_st_reload_last, seq));

GF_SCHEMA(, gf_st_reload_schema, struct gf_st_reload,
	  GF_INT("count", struct gf_st_reload, count),
	  GF_INT("applied", struct gf_st_reload, applied),
	  GF_INT("applied_with_errors", struct gf_st_reload, applied_with_errors),
	  GF_INT("rejected", struct gf_st_reload, rejected),
	  GF_OBJ_OPT("last", struct gf_st_reload, last, st_reload_last));

GF_SCHEMA(static, st_file, struct gf_st_file,
	  GF_STR("path", struct gf_st_file, path),
	  GF_STR("sha256", struct gf_st_file, sha256));

GF_SCHEMA(static, st_source, struct gf_st_source,
	  GF_STR("path", struct gf_st_source, path),
	  GF_STR("type", struct gf_st_source, type),
	  GF_STR("sha256", struct gf_st_source, sha256),
	  GF_INT("build_epoch", struct gf_st_source, build_epoch),
	  GF_STR("description", struct gf_st_source, description),
	  GF_INT("networks", struct gf_st_source, networks),
	  GF_INT("registered_country_fallbacks", struct gf_st_source, registered_country_fallbacks),
	  GF_BOOL("aliased", struct gf_st_source, aliased));

GF_SCHEMA(static, st_conflicts, struct gf_st_conflicts,
	  GF_INT("ranges", struct gf_st_conflicts, ranges),
	  GF_STR("first", struct gf_st_conflicts, first));

GF_SCHEMA(static, st_table, struct gf_st_table,
	  GF_INT("ranges", struct gf_st_table, ranges),
	  GF_INT("nodes", struct gf_st_table, nodes),
	  GF_INT("node_capacity", struct gf_st_table, node_capacity),
	  GF_INT("bytes", struct gf_st_table, bytes));

GF_SCHEMA(static, st_tables, struct gf_st_tables,
	  GF_OBJ("ipv4", struct gf_st_tables, ipv4, st_table),
	  GF_OBJ("ipv6", struct gf_st_tables, ipv6, st_table),
	  GF_INT("map_bytes", struct gf_st_tables, map_bytes));

GF_SCHEMA(static, st_override, struct gf_st_override,
	  GF_STR("cidr", struct gf_st_override, cidr),
	  GF_STR("action", struct gf_st_override, action),
	  GF_STR("reason", struct gf_st_override, reason),
	  GF_INT("class", struct gf_st_override, cls),
	  GF_STR("origin", struct gf_st_override, origin));

GF_SCHEMA(static, st_redirect, struct gf_st_redirect,
	  GF_INT("slot", struct gf_st_redirect, slot),
	  GF_STR("interface", struct gf_st_redirect, interface));

/* map entries: the key member first, the value second */
GF_SCHEMA(static, st_country_rule, struct gf_st_country_rule,
	  GF_STR("cc", struct gf_st_country_rule, cc),
	  GF_STR("action", struct gf_st_country_rule, action));

GF_SCHEMA(static, st_action_count, struct gf_st_action_count,
	  GF_STR("action", struct gf_st_action_count, action),
	  GF_INT("countries", struct gf_st_action_count, countries));

GF_SCHEMA(static, st_scope, struct gf_st_scope,
	  GF_INT("id", struct gf_st_scope, id),
	  GF_STR("name", struct gf_st_scope, name),
	  GF_STR("selects", struct gf_st_scope, selects),
	  GF_STR("default", struct gf_st_scope, default_action),
	  GF_BOOL("monitor", struct gf_st_scope, monitor),
	  GF_MAP("countries", struct gf_st_scope, countries, ncountries, st_country_rule),
	  GF_STR("origin", struct gf_st_scope, origin));

GF_SCHEMA(static, st_as_class, struct gf_st_as_class,
	  GF_INT("class", struct gf_st_as_class, cls),
	  GF_INT("as", struct gf_st_as_class, as),
	  GF_STR("country", struct gf_st_as_class, country));

GF_SCHEMA(static, st_policy, struct gf_st_policy,
	  GF_STR("default", struct gf_st_policy, default_action),
	  GF_STR("unknown", struct gf_st_policy, unknown),
	  GF_STR("reserved", struct gf_st_policy, reserved),
	  GF_BOOL("monitor", struct gf_st_policy, monitor),
	  GF_STR("source_route", struct gf_st_policy, source_route),
	  GF_MAP("countries", struct gf_st_policy, countries, ncountries, st_country_rule),
	  GF_MAP("countries_by_action", struct gf_st_policy, by_action, nby_action, st_action_count),
	  GF_ARRAY("overrides", struct gf_st_policy, overrides, noverrides, st_override),
	  GF_ARRAY("redirects", struct gf_st_policy, redirects, nredirects, st_redirect),
	  GF_ARRAY("scopes", struct gf_st_policy, scopes, nscopes, st_scope),
	  GF_MAP("as_rules", struct gf_st_policy, as_rules, nas_rules, st_country_rule),
	  GF_ARRAY("as_classes", struct gf_st_policy, as_classes, nas_classes, st_as_class));

GF_SCHEMA(, gf_agent_state_schema, struct gf_agent_state,
	  GF_INT("pid", struct gf_agent_state, pid),
	  GF_INT("started", struct gf_agent_state, started),
	  GF_STR("config", struct gf_agent_state, config),
	  GF_STR("netns", struct gf_agent_state, netns),
	  GF_STR("pin_dir", struct gf_agent_state, pin_dir),
	  GF_INT("generation", struct gf_agent_state, generation),
	  GF_INT("layout", struct gf_agent_state, layout),
	  GF_ARRAY("interfaces", struct gf_agent_state, interfaces, ninterfaces, st_iface),
	  GF_OBJ("reload", struct gf_agent_state, reload, gf_st_reload_schema),
	  GF_ARRAY("files", struct gf_agent_state, files, nfiles, st_file),
	  GF_ARRAY("sources", struct gf_agent_state, sources, nsources, st_source),
	  GF_OBJ_OPT("asn", struct gf_agent_state, asn, st_source),
	  GF_INT("geoip_max_age_days", struct gf_agent_state, geoip_max_age_days),
	  GF_OBJ_OPT("source_conflicts", struct gf_agent_state, source_conflicts, st_conflicts),
	  GF_OBJ("tables", struct gf_agent_state, tables, st_tables),
	  GF_JSON("coverage", struct gf_agent_state, coverage),
	  GF_OBJ("policy", struct gf_agent_state, policy, st_policy));

/* ---- reading and writing ---- */

json_object *gf_agent_state_to_json(const struct gf_agent_state *st)
{
	return gf_schema_to_json(&gf_agent_state_schema, st);
}

int gf_agent_state_from_json(json_object *o, struct gf_agent_state *st, char *err, size_t errlen)
{
	memset(st, 0, sizeof(*st));
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "not a JSON object");
		return -EINVAL;
	}
	return gf_schema_from_json(&gf_agent_state_schema, o, st, err, errlen);
}

void gf_agent_state_free(struct gf_agent_state *st)
{
	gf_schema_free(&gf_agent_state_schema, st);
}

int gf_agent_state_write(const char *run_dir, const struct gf_agent_state *st, gid_t group)
{
	json_object *o = gf_agent_state_to_json(st);
	int err = gf_state_write(run_dir, o, group);

	json_object_put(o);
	return err;
}

int gf_agent_state_read(const char *run_dir, struct gf_agent_state *st, char *err, size_t errlen)
{
	json_object *o;
	int ret;

	memset(st, 0, sizeof(*st));
	o = gf_state_read(run_dir);
	if (!o) {
		ret = errno ? -errno : -ENOENT;
		snprintf(err, errlen, "%s/%s: %s", run_dir, GF_STATE_FILE, strerror(-ret));
		return ret;
	}
	ret = gf_agent_state_from_json(o, st, err, errlen);
	json_object_put(o);
	return ret;
}

const struct gf_st_iface *gf_agent_state_iface(const struct gf_agent_state *st, const char *name,
					       const char *hook)
{
	for (int i = 0; i < st->ninterfaces; i++)
		if (st->interfaces[i].name && !strcmp(st->interfaces[i].name, name) &&
		    (!hook || (st->interfaces[i].hook && !strcmp(st->interfaces[i].hook, hook))))
			return &st->interfaces[i];
	return NULL;
}

void gf_agent_state_scope_names(const struct gf_agent_state *st, const char *names[GF_MAX_SCOPES])
{
	for (unsigned s = 0; s < GF_MAX_SCOPES; s++)
		names[s] = NULL;
	for (int i = 0; i < st->policy.nscopes; i++)
		if (st->policy.scopes[i].id > 0 && st->policy.scopes[i].id < GF_MAX_SCOPES)
			names[st->policy.scopes[i].id] = st->policy.scopes[i].name;
}

void gf_agent_state_as_classes(const struct gf_agent_state *st, __u32 *asn, __u16 *cc)
{
	for (int i = 0; i < st->policy.nas_classes; i++) {
		long long k = st->policy.as_classes[i].cls;
		int c = st->policy.as_classes[i].country ? gf_class_from_cc(st->policy.as_classes[i].country) : -1;

		if (k > 0 && k < GF_NUM_CLASSES) {
			asn[k] = st->policy.as_classes[i].as;
			cc[k] = c > 0 ? c : GF_CLASS_UNKNOWN;
		}
	}
}
