// SPDX-License-Identifier: GPL-2.0
/*
 * lookup: the country, class and verdict of addresses, from the sources
 * named or the running agent's.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <maxminddb.h>
#include <net/if.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <libconfig.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gf_config.h"
#include "gf_dlp.h"
#include "gf_dlpstat.h"
#include "gf_evidence.h"
#include "gf_evpg.h"
#include "gf_report.h"
#include "gf_update.h"
#include "gf_guard.h"
#include "gf_ns.h"
#include "gf_datapath.h"
#include "gf_log.h"
#include "gf_names.h"
#include "gf_agent_state.h"
#include "gf_state.h"
#include "gf_text.h"
#include "gf_world.h"
#include "cli.h"

#define MAX_SOURCES 64

struct lookup_ctx {
	struct gf_world w;
	struct gf_dp *live;	/* a running datapath's pins, for class and verdict */
	int json;
	struct gf_source_spec src[MAX_SOURCES];
	char *cc[MAX_SOURCES];
	size_t nsrc;
	long bad;
};

static struct lookup_ctx C;
static int verbose;
/* --from, --iface, --vlan: the sender whose scope's verdicts are shown */
static const char *from_addr, *from_iface;
static long long from_vlan;
static unsigned scope;
static char scope_name[GF_SCOPE_NAME_LEN] = "default";
/* --asn: an ASN database; default: the running agent's geoip.asn */
static const char *asn_path;
static MMDB_s asn_db;
static int asn_open;
/* the running agent's AS classes: class -> AS and its country's class */
static __u32 class_asn[GF_NUM_CLASSES];
static __u16 class_cc[GF_NUM_CLASSES];

/* The AS an address is in (the ASN database), 0 for none. */
static __u32 asn_of(int family, gf_u128 a)
{
	struct sockaddr_storage ss = { 0 };
	MMDB_lookup_result_s r;
	MMDB_entry_data_s d;
	int err;

	if (!asn_open)
		return 0;
	if (family == 4) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl((__u32)a);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		for (int i = 0; i < 16; i++)
			in6->sin6_addr.s6_addr[i] = (__u8)(a >> (120 - 8 * i));
	}
	r = MMDB_lookup_sockaddr(&asn_db, (struct sockaddr *)&ss, &err);
	if (err != MMDB_SUCCESS || !r.found_entry ||
	    MMDB_get_value(&r.entry, &d, "autonomous_system_number", NULL) != MMDB_SUCCESS || !d.has_data)
		return 0;
	return d.type == MMDB_DATA_TYPE_UINT32 ? d.uint32 : d.type == MMDB_DATA_TYPE_UINT16 ? d.uint16 : 0;
}

/* --db, --list, --tor: the sources in the order given (later ones win) */
static int add_source(enum gf_geo_kind kind, const char *arg_in, char *err, size_t errlen)
{
	char *arg, *eq;

	if (C.nsrc == MAX_SOURCES) {
		snprintf(err, errlen, "more than %d sources", MAX_SOURCES);
		return -1;
	}
	arg = strdup(arg_in);
	if (!arg) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	C.src[C.nsrc].kind = kind;
	C.src[C.nsrc].path = arg;
	if (kind == GF_GEO_LIST && (eq = strrchr(arg, '=')) && strlen(eq + 1) == 2) {
		*eq = '\0';
		C.src[C.nsrc].cc = eq + 1;
	}
	C.nsrc++;
	return 0;
}

static int add_db(const char *arg, char *err, size_t errlen)
{
	return add_source(GF_GEO_MMDB, arg, err, errlen);
}

static int add_list(const char *arg, char *err, size_t errlen)
{
	return add_source(GF_GEO_LIST, arg, err, errlen);
}

static int add_tor(const char *arg, char *err, size_t errlen)
{
	return add_source(GF_GEO_TOR, arg, err, errlen);
}

/* The range of the tables that holds a (as text), if any. */
static int range_of(const struct gf_rs *rs, int family, gf_u128 a, char *first, char *last,
		    size_t len)
{
	const struct gf_range *r = gf_rs_find_range(rs, a);

	if (r) {
		gf_addr_str(family, r->first, first, len);
		gf_addr_str(family, r->last, last, len);
	}
	return r != NULL;
}

static void lookup_one(struct lookup_ctx *c, const char *text)
{
	char country[16], klass[32], first[64], last[64], v4s[20], srv[20], verdict[32];
	const struct gf_policy *pol = c->live ? gf_dp_policy_scope(c->live, scope, 0) : NULL;
	gf_u128 a;
	__u32 v4[2];
	int family, cls_country, cls, carried, found, rf;
	__u32 asn;

	family = gf_addr_parse(text, &a);
	if (family < 0) {
		c->bad++;
		if (c->json) {
			json_object *o = json_object_new_object();
			char safe[256];

			gf_escape(text, strlen(text), safe, sizeof(safe), 0);
			json_object_object_add(o, "address", json_object_new_string(safe));
			json_object_object_add(o, "error",
					       json_object_new_string("not an IPv4 or IPv6 address"));
			cli_json_line(o);
			json_object_put(o);
		} else {
			char safe[256];

			gf_escape(text, strlen(text), safe, sizeof(safe), 0);
			fprintf(stderr, "geofence: '%s' is not an IPv4 or IPv6 address\n", safe);
		}
		return;
	}
	/* the database's answer, as libmaxminddb would give it */
	cls_country = gf_geo_find(c->w.countries, family, a, c->w.alias, c->w.nalias);
	/* what the datapath's tables give: reserved space, carried IPv4 (one rule, gf_classify_addr) */
	cls = c->live ? gf_dp_classify_scope(c->live, scope, family, a) :
		       gf_table_classify(c->w.table[0], c->w.table[1], family, a, NULL);
	carried = family == 6 ? gf_carried(a, v4) : GF_CARRY_NONE;
	if (carried) {
		gf_addr_str(4, v4[0], v4s, sizeof(v4s));
		if (carried == GF_CARRY_TEREDO)
			gf_addr_str(4, v4[1], srv, sizeof(srv));
		found = range_of(&c->w.all[0], 4, v4[0], first, last, sizeof(first));
	} else {
		found = range_of(&c->w.all[family == 6], family, a, first, last, sizeof(first));
	}
	if (cls < GF_NUM_CLASSES && class_asn[cls])
		gf_as_class_name(class_asn[cls], class_cc[cls], klass, sizeof(klass));
	else
		gf_class_name(cls, klass, sizeof(klass));
	asn = asn_of(carried ? 4 : family, carried ? v4[0] : a);
	verdict[0] = '\0';
	if (pol) {
		const struct gf_policy *p = &pol[cls < GF_NUM_CLASSES ? cls : GF_CLASS_UNKNOWN];

		if (p->action == GF_ACT_REDIRECT)
			snprintf(verdict, sizeof(verdict), "redirect:%u", p->redirect_slot);
		else
			snprintf(verdict, sizeof(verdict), "%s", gf_action_name(p->action));
	}
	rf = cls_country >= GF_CLASS_COUNTRY_BASE && cls_country < GF_CLASS_COUNTRY_END;
	if (rf)
		gf_class_name(cls_country, country, sizeof(country));

	if (c->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "address", json_object_new_string(text));
		json_object_object_add(o, "country", rf ? json_object_new_string(country) : NULL);
		json_object_object_add(o, "class", json_object_new_string(klass));
		json_object_object_add(o, "class_id", json_object_new_int(cls));
		if (asn_open)
			json_object_object_add(o, "as", asn ? json_object_new_int64(asn) : NULL);
		if (carried)
			json_object_object_add(o, "carries_ipv4", json_object_new_string(v4s));
		if (carried == GF_CARRY_TEREDO)
			json_object_object_add(o, "teredo_server", json_object_new_string(srv));
		if (found) {
			json_object *r = json_object_new_object();

			json_object_object_add(r, "first", json_object_new_string(first));
			json_object_object_add(r, "last", json_object_new_string(last));
			json_object_object_add(o, "range", r);
		} else {
			json_object_object_add(o, "range", NULL);
		}
		/* verdicts come from the running datapath's policy, the sender's scope's */
		json_object_object_add(o, "verdict", verdict[0] ? json_object_new_string(verdict) : NULL);
		if (c->live)
			json_object_object_add(o, "scope", json_object_new_string(scope_name));
		cli_json_line(o);
		json_object_put(o);
	} else {
		char tail[128] = "";

		if (carried == GF_CARRY_TEREDO)
			snprintf(tail, sizeof(tail), "  carries %s (Teredo client; server %s)", v4s, srv);
		else if (carried)
			snprintf(tail, sizeof(tail), "  carries %s", v4s);
		if (asn)
			snprintf(tail + strlen(tail), sizeof(tail) - strlen(tail), "  AS%u", asn);
		printf("%-39s %-7s %-10s %-12s %s%s%s%s\n", text, rf ? country : "-", klass,
		       verdict[0] ? verdict : "-", found ? first : "-", found ? "-" : "",
		       found ? last : "", tail);
	}
}

/* One address per line; blank lines and # comments skipped. */
static void lookup_stream(struct lookup_ctx *c, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, f)) > 0) {
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = '\0';
		if (n && line[0] != '#')
			lookup_one(c, line);
	}
	free(line);
}

static int run_lookup(int argc, char **argv)
{
	struct lookup_ctx *c = &C;
	struct gf_geo_opts geo;
	char err[1024];

	c->json = G.json;
	if (verbose)
		gf_log_route_libs(1);
	gf_geo_opts_default(&geo);
	/* no sources named: a running datapath and the agent's sources, if any */
	if (!c->nsrc) {
		struct gf_agent_state st = { 0 };
		char why[256];

		resolve_paths();
		if (gf_dp_pinned(G.pin_dir) > 0 && !gf_dp_open_pinned(&c->live, G.pin_dir) &&
		    !gf_agent_state_read(G.run_dir, &st, why, sizeof(why))) {
			static char agent_asn[PATH_MAX];

			if (!asn_path && st.asn.path) {
				snprintf(agent_asn, sizeof(agent_asn), "%s", st.asn.path);
				asn_path = agent_asn;
			}
			gf_agent_state_as_classes(&st, class_asn, class_cc);
			for (int i = 0; i < st.nsources && c->nsrc < MAX_SOURCES; i++) {
				const char *path = st.sources[i].path, *type = st.sources[i].type;

				if (!path)
					continue;
				c->src[c->nsrc].path = strdup(path);
				c->src[c->nsrc].kind = type && !strcmp(type, "cidr-list") ? GF_GEO_LIST :
						     type && !strncmp(type, "tor-geoip", 9) ? GF_GEO_TOR :
						     GF_GEO_MMDB;
				c->nsrc++;
			}
		}
		gf_agent_state_free(&st);
	}
	if (!c->nsrc) {
		c->src[0] = (struct gf_source_spec){ .kind = GF_GEO_MMDB, .path = gf_default_db() };
		c->nsrc = 1;
		if (!c->src[0].path) {
			fprintf(stderr, "geofence: no database: the default geofence-country.mmdb is "
					"not installed or built (run make), and no --db FILE was given\n");
			return EXIT_SYSTEM;
		}
	}
	/* the agent's reading of its sources, where its configuration says */
	resolve_paths();
	geo.registered_country_fallback = G.fallback;
	if (gf_world_load(&c->w, c->src, c->nsrc, &geo, NULL, NULL, err, sizeof(err))) {
		gf_escape_inplace(err, sizeof(err));
		fprintf(stderr, "geofence: %s\n", err);
		return EXIT_SYSTEM;
	}
	for (size_t i = 0; i < c->w.nsrcs; i++) {
		char day[32], path[256];

		gf_time_str(c->w.srcs[i].build_epoch, "%Y-%m-%d", day, sizeof(day));
		gf_escape(c->w.srcs[i].path, strlen(c->w.srcs[i].path), path, sizeof(path), 0);
		fprintf(stderr, "source %zu: %s (%s, %s)\n", i + 1, path, c->w.srcs[i].database_type, day);
	}
	if (asn_path) {
		int rc = MMDB_open(asn_path, MMDB_MODE_MMAP, &asn_db);

		if (rc != MMDB_SUCCESS) {
			fprintf(stderr, "geofence: %s: %s\n", asn_path, MMDB_strerror(rc));
			return EXIT_SYSTEM;
		}
		asn_open = 1;
		fprintf(stderr, "autonomous systems: %s\n", asn_path);
	}
	if (c->w.conflicts.ranges)
		fprintf(stderr, "sources disagree on %llu ranges (later sources win), first: %s\n",
			(unsigned long long)c->w.conflicts.ranges, c->w.conflicts.first);
	if (from_addr || from_iface || from_vlan) {
		struct gf_agent_state st = { 0 };
		__u32 ifindex = 0;
		gf_u128 src = 0;
		int fam = 4;
		char why[256];

		if (!c->live) {
			fprintf(stderr, "geofence: --from, --iface and --vlan need the running datapath (its scopes); "
					"none is pinned in %s\n", G.pin_dir);
			return EXIT_SYSTEM;
		}
		if (from_addr && (fam = gf_addr_parse(from_addr, &src)) < 0) {
			fprintf(stderr, "geofence: --from %s: not an IPv4 or IPv6 address\n", from_addr);
			return EXIT_USAGE;
		}
		/* the interface as the agent sees it (its network namespace), else here */
		if (!gf_agent_state_read(G.run_dir, &st, why, sizeof(why)))
			for (int i = 0; from_iface && i < st.ninterfaces; i++)
				if (st.interfaces[i].name && !strcmp(st.interfaces[i].name, from_iface) &&
				    st.interfaces[i].ifindex > 0)
					ifindex = st.interfaces[i].ifindex;
		if (from_iface && !ifindex && !(ifindex = if_nametoindex(from_iface))) {
			fprintf(stderr, "geofence: --iface %s: the agent has no such interface, nor has this network "
					"namespace\n", from_iface);
			gf_agent_state_free(&st);
			return EXIT_USAGE;
		}
		scope = gf_dp_scope_of(c->live, from_addr ? fam : 0, src, ifindex, from_vlan);
		if (scope) {
			const char *names[GF_MAX_SCOPES];

			gf_agent_state_scope_names(&st, names);
			if (names[scope])
				snprintf(scope_name, sizeof(scope_name), "%s", names[scope]);
			else
				snprintf(scope_name, sizeof(scope_name), "scope %u", scope);
		}
		gf_agent_state_free(&st);
		if (!c->json)
			fprintf(stderr, "sender%s%s%s%s%s%.0lld: scope %s\n", from_addr ? " " : "", from_addr ? from_addr : "",
				from_iface ? " on " : "", from_iface ? from_iface : "", from_vlan ? " vlan " : "",
				from_vlan, scope_name);
	}
	if (!c->json) {
		if (c->live)
			fprintf(stderr, "classes and verdicts from the running datapath (generation "
					"%llu)\n", (unsigned long long)gf_dp_flips(c->live));
		else
			fprintf(stderr, "no datapath loaded: classes from the sources, no verdicts\n");
		printf("%-39s %-7s %-10s %-12s %s\n", "ADDRESS", "COUNTRY", "CLASS", "VERDICT", "RANGE");
	}
	/* "-", or no argument at all: one address per line on standard input */
	for (int i = 0; i < (argc ? argc : 1); i++)
		if (!argc || !strcmp(argv[i], "-"))
			lookup_stream(c, stdin);
		else
			lookup_one(c, argv[i]);
	gf_world_free(&c->w);
	gf_dp_close(c->live);
	if (asn_open)
		MMDB_close(&asn_db);
	if (fflush(stdout))
		return EXIT_SYSTEM;
	return c->bad ? EXIT_INPUT : 0;
}

static const struct cli_opt lookup_opts[] = {
	{ "db", CLI_CALL, NULL, "FILE", .call = add_db, .help = "a MaxMind DB file (Country or City)" },
	{ "list", CLI_CALL, NULL, "FILE[=CC]", .call = add_list,
	  .help = "a CIDR list, one prefix per line; the country from the file name (cn.zone) unless given" },
	{ "tor", CLI_CALL, NULL, "FILE", .call = add_tor, .help = "a Tor geoip or geoip6 file" },
	{ "asn", CLI_STR, &asn_path, "FILE",
	  .help = "an ASN database (GeoLite2-ASN's shape) for the AS column (default: the agent's geoip.asn)" },
	CLI_OPT_JSON(&G.json),
	{ "from", CLI_STR, &from_addr, "ADDR",
	  .help = "the verdicts a sender at ADDR gets: its scope's (the running datapath's scopes)" },
	{ "iface", CLI_STR, &from_iface, "IFNAME", .help = "... arriving on this interface" },
	{ "vlan", CLI_INT, &from_vlan, "ID", 1, 4094, .help = "... with this outer VLAN id" },
	{ "verbose", CLI_FLAG, &verbose, .help = "library messages too" },
	CLI_OPT_END,
};

const struct cli_cmd cmd_lookup = {
	.name = "lookup",
	.args = "[ADDR|-]...",
	.help = "the country of each address in the database, the class the tables\n"
		"give it and the range it falls in; addresses from the arguments, and\n"
		"one per line on standard input for - (or without arguments).  Sources (default: the\n"
		"running agent's, else the installed default database) combine in the\n"
		"order given, each later one winning where they disagree",
	.opts = lookup_opts,
	.run = run_lookup,
};
