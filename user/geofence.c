// SPDX-License-Identifier: GPL-2.0
/*
 * geofence: the operator's command line.
 *
 *   geofence [--config FILE] COMMAND [OPTIONS]
 *   status, stats, lookup, reload, detach; --json on every command.
 *
 * Exit codes: 0 success, 1 some input was invalid (the rest was answered),
 * 2 usage, 3 no datapath / agent or a system error, 4 a reload was rejected.
 */
#include <errno.h>
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
#include "gf_state.h"
#include "gf_text.h"
#include "gf_world.h"

#define EXIT_INPUT 1
#define EXIT_USAGE 2
#define EXIT_SYSTEM 3
#define EXIT_REJECTED 4

/* Where the running agent keeps its pins and state.json. */
static struct {
	const char *config;
	char pin_dir[PATH_MAX];
	char run_dir[PATH_MAX];
	int json;
	char config_err[512];	/* the configuration does not parse: why */
	char group[64];		/* state.group: who may read the agent's state */
	char state_dir[PATH_MAX];	/* state.dir: the evidence, the classes guard */
	int guard_classes;	/* guard.mode = "classes" */
	int fallback;		/* geoip.registered_country_fallback, as the agent reads it */
} G = { .config = GF_CONFIG_DEFAULT, .fallback = 1 };

/*
 * Only the state paths are read from the configuration, and a broken file
 * falls back to the defaults: status and detach must work after a bad push.
 */
static void resolve_paths(void)
{
	config_t cfg;
	const char *s;

	snprintf(G.pin_dir, sizeof(G.pin_dir), "/sys/fs/bpf/geofence");
	snprintf(G.run_dir, sizeof(G.run_dir), "/run/geofence");
	snprintf(G.state_dir, sizeof(G.state_dir), "/var/lib/geofence");
	config_init(&cfg);
	if (config_read_file(&cfg, G.config)) {
		int b;

		if (config_lookup_string(&cfg, "state.pin_dir", &s))
			snprintf(G.pin_dir, sizeof(G.pin_dir), "%s", s);
		if (config_lookup_string(&cfg, "state.run_dir", &s))
			snprintf(G.run_dir, sizeof(G.run_dir), "%s", s);
		if (config_lookup_string(&cfg, "state.group", &s))
			snprintf(G.group, sizeof(G.group), "%s", s);
		if (config_lookup_string(&cfg, "state.dir", &s))
			snprintf(G.state_dir, sizeof(G.state_dir), "%s", s);
		if (config_lookup_string(&cfg, "guard.mode", &s))
			G.guard_classes = !strcmp(s, "classes");
		if (config_lookup_bool(&cfg, "geoip.registered_country_fallback", &b))
			G.fallback = b;
	} else if (config_error_type(&cfg) == CONFIG_ERR_PARSE) {
		snprintf(G.config_err, sizeof(G.config_err), "%s:%d: %s", G.config,
			 config_error_line(&cfg), config_error_text(&cfg));
		gf_escape_inplace(G.config_err, sizeof(G.config_err));
		fprintf(stderr, "geofence: warning: %s (looking for the agent's state in the default "
				"places)\n", G.config_err);
	}
	config_destroy(&cfg);
	if ((s = getenv("GEOFENCE_PIN_DIR")) && *s)
		snprintf(G.pin_dir, sizeof(G.pin_dir), "%s", s);
	if ((s = getenv("GEOFENCE_RUN_DIR")) && *s)
		snprintf(G.run_dir, sizeof(G.run_dir), "%s", s);
}

/* The agent's pid if one runs (state.json's pid, and it is geofenced). */
static pid_t agent_pid(json_object *st)
{
	char path[64], comm[32] = "";
	pid_t pid = st ? gf_state_int(st, "pid") : 0;
	FILE *f;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return strncmp(comm, "geofenced", 9) ? 0 : pid;
}

static void print_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: geofence [--config FILE] COMMAND [OPTIONS]\n"
		"\n"
		"commands:\n"
		"  status [--json]\n"
		"      the agent, interfaces and attach modes, generation, data sources and\n"
		"      their age, table sizes, the policy, the last reload\n"
		"  stats [--json] [--top N] [--interval SECONDS] [--watch] [--reasons]\n"
		"      packets and bytes per country and verdict, and their rates\n"
		"  reload [--json] [--timeout SECONDS]\n"
		"      make the agent reload now and print the outcome\n"
		"  detach [--json]\n"
		"      stop the agent and remove geofence from every interface, with its pins\n"
		"  dlp [--json]\n"
		"      sensitive data in sampled traffic: per category and destination, the\n"
		"      matches, the occurrences and distinct values they stand for, bulk\n"
		"      thresholds, alerts (counts and redacted forms only)\n"
		"  dlp scan [--json] FILE...\n"
		"      the sensitive-data scanner over files ('-' is standard input), in\n"
		"      overlapping windows of bounded memory: validated matches per\n"
		"      category, counts only\n"
		"  evidence report [--db CONNINFO] [--since DATE] [--until DATE]\n"
		"                  [--format table|json|csv] [--dir STATE_DIR]\n"
		"      the compliance report: per category and destination over the days\n"
		"      (UTC, default the 365 up to today), the lower bound, point estimate\n"
		"      and upper bound of distinct US persons (devices, for geolocation), the\n"
		"      threshold, first and last seen, gateways, days, sample rates: this\n"
		"      gateway's evidence (state.dir), or with --db the fleet's in PostgreSQL\n"
		"  guard [up|down|status] [--all|--classes] [--netns NAME] [--json]\n"
		"      the boot guard: an nftables table that forwards nothing until\n"
		"      geofenced enforces (geofence-guard.service puts it up at boot, the\n"
		"      agent lifts it); with guard.mode = \"classes\" (or --classes) it\n"
		"      drops only what the last installed policy dropped (state.dir/guard.nft)\n"
		"  update [--json] [--if-configured]\n"
		"      fetch fresh GeoIP data from update.url (HTTPS), check its SHA-256,\n"
		"      validate it as a reload would (it loads, passes the data sanity\n"
		"      check, is not older), and rename it over update.path\n"
		"  lookup [SOURCES] [--json] [ADDR...]\n"
		"      the country of each address in the database, the class the tables\n"
		"      give it and the range it falls in; addresses from the arguments or,\n"
		"      without any, one per line on standard input\n"
		"\n"
		"sources (default: the installed default database); several combine, each\n"
		"later one winning where they disagree:\n"
		"  --db FILE        a MaxMind DB file (Country or City)\n"
		"  --list FILE[=CC] a CIDR list, one prefix per line; the country from the\n"
		"                   file name (cn.zone) unless given\n"
		"  --tor FILE       a Tor geoip or geoip6 file\n"
		"\n"
		"options:\n"
		"  --config FILE  the agent's configuration, to find its state\n"
		"                 (default " GF_CONFIG_DEFAULT ")\n"
		"  --json         JSON for scripts (lookup: one object per line)\n"
		"  --verbose      library messages too\n"
		"  --version      the version and the map layout it reads\n"
		"  -h, --help     this text\n"
		"\n"
		"exit codes: 0 ok, 1 some input invalid, 2 usage, 3 no agent or datapath, a database\n"
		"or system error, 4 a reload was rejected\n");
}

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

static int add_source(struct lookup_ctx *c, enum gf_geo_kind kind, char *arg)
{
	char *eq;

	if (c->nsrc == MAX_SOURCES) {
		fprintf(stderr, "geofence: more than %d sources\n", MAX_SOURCES);
		return -1;
	}
	c->src[c->nsrc].kind = kind;
	c->src[c->nsrc].path = arg;
	if (kind == GF_GEO_LIST && (eq = strrchr(arg, '=')) && strlen(eq + 1) == 2) {
		*eq = '\0';
		c->src[c->nsrc].cc = eq + 1;
	}
	c->nsrc++;
	return 0;
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
	const struct gf_policy *pol = c->live ? gf_dp_policy(c->live, 0) : NULL;
	gf_u128 a;
	__u32 v4[2];
	int family, cls_country, cls, carried, found, rf;

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
			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
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
	cls = c->live ? gf_dp_classify(c->live, family, a) :
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
	gf_class_name(cls, klass, sizeof(klass));
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
		/* verdicts come from the running datapath's policy */
		json_object_object_add(o, "verdict", verdict[0] ? json_object_new_string(verdict) : NULL);
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	} else {
		char tail[96] = "";

		if (carried == GF_CARRY_TEREDO)
			snprintf(tail, sizeof(tail), "  carries %s (Teredo client; server %s)", v4s, srv);
		else if (carried)
			snprintf(tail, sizeof(tail), "  carries %s", v4s);
		printf("%-39s %-7s %-10s %-12s %s%s%s%s\n", text, rf ? country : "-", klass,
		       verdict[0] ? verdict : "-", found ? first : "-", found ? "-" : "",
		       found ? last : "", tail);
	}
}

static int cmd_lookup(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "list", required_argument, NULL, 'l' },
		{ "tor", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	static struct lookup_ctx c;
	struct gf_geo_opts geo;
	char err[1024];
	int ch;

	c.json = G.json;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:l:t:jvh", lo, NULL)) != -1) {
		switch (ch) {
		case 'd':
		case 'l':
		case 't':
			if (add_source(&c, ch == 'd' ? GF_GEO_MMDB : ch == 'l' ? GF_GEO_LIST : GF_GEO_TOR,
				       optarg))
				return EXIT_USAGE;
			break;
		case 'j': c.json = 1; break;
		case 'v': gf_log_route_libs(1); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	gf_geo_opts_default(&geo);
	/* no sources named: a running datapath and the agent's sources, if any */
	if (!c.nsrc) {
		json_object *st = NULL, *srcs;

		resolve_paths();
		if (gf_dp_pinned(G.pin_dir) > 0 && !gf_dp_open_pinned(&c.live, G.pin_dir) &&
		    (st = gf_state_read(G.run_dir)) && json_object_object_get_ex(st, "sources", &srcs)) {
			for (size_t i = 0; i < json_object_array_length(srcs) && i < MAX_SOURCES; i++) {
				const char *path = gf_state_str(json_object_array_get_idx(srcs, i), "path");
				const char *type = gf_state_str(json_object_array_get_idx(srcs, i), "type");

				if (!path)
					continue;
				c.src[c.nsrc].path = strdup(path);
				c.src[c.nsrc].kind = type && !strcmp(type, "cidr-list") ? GF_GEO_LIST :
						     type && !strncmp(type, "tor-geoip", 9) ? GF_GEO_TOR :
						     GF_GEO_MMDB;
				c.nsrc++;
			}
		}
		json_object_put(st);
	}
	if (!c.nsrc) {
		c.src[0] = (struct gf_source_spec){ .kind = GF_GEO_MMDB, .path = gf_default_db() };
		c.nsrc = 1;
		if (!c.src[0].path) {
			fprintf(stderr, "geofence: no database: the default geofence-country.mmdb is "
					"not installed or built (run make), and no --db FILE was given\n");
			return EXIT_SYSTEM;
		}
	}
	/* the agent's reading of its sources, where its configuration says */
	resolve_paths();
	geo.registered_country_fallback = G.fallback;
	if (gf_world_load(&c.w, c.src, c.nsrc, &geo, NULL, NULL, err, sizeof(err))) {
		gf_escape_inplace(err, sizeof(err));
		fprintf(stderr, "geofence: %s\n", err);
		return EXIT_SYSTEM;
	}
	for (size_t i = 0; i < c.w.nsrcs; i++) {
		char day[32], path[256];

		gf_time_str(c.w.srcs[i].build_epoch, "%Y-%m-%d", day, sizeof(day));
		gf_escape(c.w.srcs[i].path, strlen(c.w.srcs[i].path), path, sizeof(path), 0);
		fprintf(stderr, "source %zu: %s (%s, %s)\n", i + 1, path, c.w.srcs[i].database_type, day);
	}
	if (c.w.conflicts.ranges)
		fprintf(stderr, "sources disagree on %llu ranges (later sources win), first: %s\n",
			(unsigned long long)c.w.conflicts.ranges, c.w.conflicts.first);
	if (!c.json) {
		if (c.live)
			fprintf(stderr, "classes and verdicts from the running datapath (generation "
					"%llu)\n", (unsigned long long)gf_dp_flips(c.live));
		else
			fprintf(stderr, "no datapath loaded: classes from the sources, no verdicts\n");
		printf("%-39s %-7s %-10s %-12s %s\n", "ADDRESS", "COUNTRY", "CLASS", "VERDICT", "RANGE");
	}
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			lookup_one(&c, argv[i]);
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		while ((n = getline(&line, &cap, stdin)) > 0) {
			while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
				line[--n] = '\0';
			if (n && line[0] != '#')
				lookup_one(&c, line);
		}
		free(line);
	}
	gf_world_free(&c.w);
	gf_dp_close(c.live);
	if (fflush(stdout))
		return EXIT_SYSTEM;
	return c.bad ? EXIT_INPUT : 0;
}

/* For commands whose only option is --json.  Non-zero: usage error. */
static int json_only_options(int argc, char **argv)
{
	static const struct option lo[] = { { "json", no_argument, NULL, 'j' }, {} };
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "j", lo, NULL)) != -1) {
		if (ch != 'j') {
			usage(stderr);
			return -1;
		}
		G.json = 1;
	}
	if (optind < argc) {
		fprintf(stderr, "geofence %s: unexpected argument '%s'\n", argv[0], argv[optind]);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * status
 */
static const char *when(long long epoch, char *buf, size_t len)
{
	gf_time_str(epoch, "%Y-%m-%d %H:%M:%S UTC", buf, len);
	return buf;
}

static const char *age(long long epoch, char *buf, size_t len)
{
	char day[48];

	if (gf_time_str(epoch, "%Y-%m-%d", day, sizeof(day)))
		snprintf(buf, len, "%s", day);
	else
		snprintf(buf, len, "%s, %lld days old", day, ((long long)time(NULL) - epoch) / 86400);
	return buf;
}

/* Why the agent's state cannot be read, for a user who may not read it. */
static const char *denied(char *buf, size_t len)
{
	if (G.group[0])
		snprintf(buf, len, "permission denied: run as root or as a member of group %s "
			 "(state.group)", G.group);
	else
		snprintf(buf, len, "permission denied: run as root, or set state.group in the "
			 "configuration and run as a member of that group");
	return buf;
}

/* Pins of another build's map layout: whose CLI reads them. */
static const char *other_layout(char *buf, size_t len)
{
	snprintf(buf, len, "the pinned datapath has map layout %d, this geofence reads layout %d: use "
		 "the geofence of the geofenced that runs it (an upgrade in progress ends when the new "
		 "geofenced has started)", gf_dp_pinned_layout(G.pin_dir), GF_LAYOUT);
	return buf;
}

static const char *guard_what(int mode)
{
	return mode == GF_GUARD_CLASSES ? "classes: only what the last policy passed is forwarded" :
					  "nothing is forwarded";
}

/* The boot guard, in the agent's namespace: said loudly when it is up. */
static void guard_status(json_object *st)
{
	const char *netns = st ? gf_state_str(st, "netns") : NULL;
	unsigned long long dropped = 0;
	char err[256];
	int on;

	if (netns && gf_netns_enter(netns))
		return;
	on = gf_guard_state(&dropped, err, sizeof(err));
	if (netns)
		gf_netns_enter(NULL);
	if (on > 0)
		printf("boot guard:  UP: %s (%llu packets dropped) until geofenced enforces; if it cannot "
		       "start, its log says why (journalctl -u geofenced)\n", guard_what(on), dropped);
}

/* The evidence as the agent reports it (dlp.json's "evidence"): where, and what went wrong. */
static void print_evidence(json_object *ev)
{
	json_object *rej, *up;

	if (json_object_get_boolean(json_object_object_get(ev, "kept")))
		printf("evidence:    %lld day files, %lld bytes in %s, hash key %s (%s)%s\n",
		       gf_state_int(ev, "files"), gf_state_int(ev, "bytes"), gf_state_str(ev, "dir"),
		       gf_state_str(ev, "key"), gf_state_str(ev, "key_fingerprint"),
		       json_object_get_boolean(json_object_object_get(ev, "write_failing")) ?
			       ": WRITES FAIL (the agent's log says why)" : "");
	else
		printf("evidence:    NOT KEPT ON DISK: %s (a restart loses it)\n", gf_state_str(ev, "error"));
	if (json_object_object_get_ex(ev, "rejected", &rej))
		for (size_t i = 0; i < json_object_array_length(rej); i++) {
			json_object *x = json_object_array_get_idx(rej, i);

			printf("             SET ASIDE at start: %s, kept as %s: %s\n", gf_state_str(x, "file"),
			       gf_state_str(x, "kept_as"), gf_state_str(x, "why"));
		}
	if (json_object_object_get_ex(ev, "upload", &up))
		printf("             upload to PostgreSQL: %s, %lld days pending, %lld rows sent%s%s\n",
		       json_object_get_boolean(json_object_object_get(up, "failing")) ? "FAILING" : "ok",
		       gf_state_int(up, "pending_days"), gf_state_int(up, "rows"),
		       gf_state_str(up, "last_error")[0] ? ": " : "", gf_state_str(up, "last_error"));
}

static void evidence_status(void)
{
	json_object *o = gf_json_read(G.run_dir, GF_DLP_FILE), *ev;

	if (o && json_object_object_get_ex(o, "evidence", &ev))
		print_evidence(ev);
	json_object_put(o);
}

static int cmd_status(int argc, char **argv)
{
	json_object *st, *o, *a, *x;
	struct gf_dp *dp = NULL;
	int st_errno, pin_state, open_err = 0;
	char buf[128], why[640];
	pid_t pid;
	int pinned;

	if (json_only_options(argc, argv))
		return EXIT_USAGE;
	resolve_paths();
	st = gf_state_read(G.run_dir);
	st_errno = st ? 0 : errno;
	pid = agent_pid(st);
	pin_state = gf_dp_pinned(G.pin_dir);
	if (pin_state > 0)
		open_err = gf_dp_open_pinned(&dp, G.pin_dir);
	pinned = pin_state > 0 && !open_err;
	if (pin_state == -EACCES || open_err == -EACCES || open_err == -EPERM)
		pin_state = -EACCES;
	if (G.json) {
		o = st ? json_object_get(st) : json_object_new_object();
		json_object_object_add(o, "agent_running", json_object_new_boolean(pid > 0));
		json_object_object_add(o, "datapath", json_object_new_boolean(pinned));
		if (st_errno == EACCES)
			json_object_object_add(o, "state_error", json_object_new_string(denied(why, sizeof(why))));
		if (pin_state == -EACCES)
			json_object_object_add(o, "datapath_error", json_object_new_string(
						       "permission denied: reading the pins needs root"));
		if (open_err == -EPROTO)
			json_object_object_add(o, "datapath_error", json_object_new_string(other_layout(why, sizeof(why))));
		if (pinned) {
			json_object_object_add(o, "generation", json_object_new_int64(gf_dp_flips(dp)));
			json_object_object_add(o, "active_half", json_object_new_int(gf_dp_active_gen(dp)));
		}
		{
			json_object *d = gf_json_read(G.run_dir, GF_DLP_FILE), *ev;

			if (d && json_object_object_get_ex(d, "evidence", &ev))
				json_object_object_add(o, "evidence", json_object_get(ev));
			json_object_put(d);
		}
		json_object_object_add(o, "pin_dir", json_object_new_string(G.pin_dir));
		print_json(o);
		json_object_put(o);
	} else {
		if (pid)
			printf("geofenced:   running, pid %d, since %s (config %s)\n", pid,
			       when(gf_state_int(st, "started"), buf, sizeof(buf)), gf_state_str(st, "config"));
		else if (st_errno == EACCES)
			printf("geofenced:   unknown: %s/%s: %s\n", G.run_dir, GF_STATE_FILE,
			       denied(why, sizeof(why)));
		else
			printf("geofenced:   not running\n");
		if (pinned)
			printf("datapath:    enforcing generation %llu (map layout %d, pinned in %s)\n",
			       (unsigned long long)gf_dp_flips(dp), GF_LAYOUT, G.pin_dir);
		else if (pin_state == -EACCES)
			printf("datapath:    unknown: %s: permission denied: reading the pins needs root\n",
			       G.pin_dir);
		else if (open_err == -EPROTO)
			printf("datapath:    %s\n", other_layout(why, sizeof(why)));
		else
			printf("datapath:    not loaded (nothing pinned in %s)\n", G.pin_dir);
		if (st && json_object_object_get_ex(st, "interfaces", &a)) {
			printf("interfaces: ");
			for (size_t i = 0; i < json_object_array_length(a); i++) {
				x = json_object_array_get_idx(a, i);
				printf(" %s %s (%s)%s", gf_state_str(x, "name"), gf_state_str(x, "hook"),
				       gf_state_str(x, "mode"), i + 1 < json_object_array_length(a) ? "," : "");
			}
			printf("\n");
		}
		if (st && json_object_object_get_ex(st, "sources", &a)) {
			for (size_t i = 0; i < json_object_array_length(a); i++) {
				x = json_object_array_get_idx(a, i);
				long long maxage = gf_state_int(st, "geoip_max_age_days");
				int stale = maxage > 0 && gf_state_int(x, "build_epoch") > 0 &&
					    time(NULL) - gf_state_int(x, "build_epoch") > maxage * 86400;

				printf("%-12s %s: %s, data of %s, %lld networks, sha256 %.16s%s\n",
				       i ? "" : "sources:", gf_state_str(x, "path"), gf_state_str(x, "type"),
				       age(gf_state_int(x, "build_epoch"), buf, sizeof(buf)),
				       gf_state_int(x, "networks"), gf_state_str(x, "sha256"),
				       stale ? "  STALE (older than geoip.max_age_days: rotate it, "
					       "docs/operations.md)" : "");
			}
		}
		if (st && json_object_object_get_ex(st, "tables", &x))
			printf("tables:      IPv4 %lld ranges, %lld of %lld nodes, %.1f MiB; IPv6 %lld ranges, "
			       "%lld of %lld nodes, %.1f MiB; maps %.1f MiB\n",
			       gf_state_int(x, "ipv4.ranges"), gf_state_int(x, "ipv4.nodes"),
			       gf_state_int(x, "ipv4.node_capacity"), gf_state_int(x, "ipv4.bytes") / 1048576.0,
			       gf_state_int(x, "ipv6.ranges"), gf_state_int(x, "ipv6.nodes"),
			       gf_state_int(x, "ipv6.node_capacity"), gf_state_int(x, "ipv6.bytes") / 1048576.0,
			       gf_state_int(x, "map_bytes") / 1048576.0);
		if (st && json_object_object_get_ex(st, "policy", &x)) {
			json_object *cs, *ov, *mon;

			json_object_object_get_ex(x, "monitor", &mon);
			printf("policy:      default %s, unknown %s, reserved %s, source routes %s, monitor "
			       "(dry run) %s\n", gf_state_str(x, "default"), gf_state_str(x, "unknown"),
			       gf_state_str(x, "reserved"), gf_state_str(x, "source_route") ?: "classify",
			       json_object_get_boolean(mon) ? "ON" : "off");
			if (json_object_object_get_ex(x, "countries", &cs)) {
				printf("             listed:");
				json_object_object_foreach(cs, cc, act)
					printf(" %s=%s", cc, json_object_get_string(act));
				printf("\n");
			}
			if (json_object_object_get_ex(x, "overrides", &ov) && json_object_array_length(ov))
				printf("             %zu override(s)\n", json_object_array_length(ov));
		}
		if (st && json_object_object_get_ex(st, "reload", &x)) {
			json_object *last;

			if (json_object_object_get_ex(x, "last", &last) && last)
				printf("last reload: %s (%s) %s, %.0f ms%s%s; %lld reloads, %lld rejected\n",
				       gf_state_str(last, "result"), gf_state_str(last, "trigger"),
				       when(gf_state_int(last, "time"), buf, sizeof(buf)),
				       json_object_get_double(json_object_object_get(last, "duration_ms")),
				       gf_state_str(last, "error") ? ": " : "",
				       gf_state_str(last, "error") ?: "", gf_state_int(x, "count"),
				       gf_state_int(x, "errors"));
		}
		evidence_status();
		guard_status(st);
	}
	json_object_put(st);
	gf_dp_close(dp);
	return pinned ? 0 : EXIT_SYSTEM;
}

/* ---------------------------------------------------------------------
 * stats
 */
struct row {
	int cls, hook, verdict;
	__u64 packets, bytes;
	double pps, bps;
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 : 0;
}

static int cmd_stats(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "top", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ "watch", no_argument, NULL, 'w' },
		{ "reasons", no_argument, NULL, 'r' },
		{},
	};
	static struct gf_class_counters a[GF_HOOK_MAX][GF_NUM_CLASSES], b[GF_HOOK_MAX][GF_NUM_CLASSES];
	static struct row rows[GF_HOOK_MAX * GF_NUM_CLASSES * GF_VERDICT_MAX];
	struct gf_counter ra[GF_HOOK_MAX][GF_REASON_MAX];
	double interval = 1.0;
	int top = 20, watch = 0, reasons = 0, ch;
	struct gf_dp *dp;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "jt:i:wr", lo, NULL)) != -1) {
		switch (ch) {
		case 'j': G.json = 1; break;
		case 't': top = atoi(optarg); break;
		case 'i': interval = atof(optarg); break;
		case 'w': watch = 1; break;
		case 'r': reasons = 1; break;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (top < 1 || interval <= 0 || interval > 3600) {
		fprintf(stderr, "geofence stats: --top needs N >= 1, --interval 0 to 3600 seconds\n");
		return EXIT_USAGE;
	}
	resolve_paths();
	if ((ch = gf_dp_pinned(G.pin_dir)) <= 0 || (ch = gf_dp_open_pinned(&dp, G.pin_dir))) {
		char why[640];

		if (ch == -EACCES || ch == -EPERM)
			fprintf(stderr, "geofence: %s: permission denied: the counters need root "
					"(CAP_BPF); run geofence stats as root\n", G.pin_dir);
		else if (ch == -EPROTO)
			fprintf(stderr, "geofence: %s\n", other_layout(why, sizeof(why)));
		else
			fprintf(stderr, "geofence: no datapath pinned in %s: is geofenced running? "
					"(geofence status)\n", G.pin_dir);
		return EXIT_SYSTEM;
	}
	for (int h = 0; h < GF_HOOK_MAX; h++)
		gf_dp_class_stats(dp, h, a[h]);
	do {
		int n = 0;

		usleep(interval * 1e6);
		for (int h = 0; h < GF_HOOK_MAX; h++) {
			gf_dp_class_stats(dp, h, b[h]);
			gf_dp_reason_stats(dp, h, ra[h]);
		}
		for (int h = 0; h < GF_HOOK_MAX; h++)
			for (int c = 0; c < GF_NUM_CLASSES; c++)
				for (int v = 0; v < GF_VERDICT_MAX; v++)
					if (b[h][c].v[v].packets)
						rows[n++] = (struct row){
							.cls = c, .hook = h, .verdict = v,
							.packets = b[h][c].v[v].packets, .bytes = b[h][c].v[v].bytes,
							.pps = (b[h][c].v[v].packets - a[h][c].v[v].packets) / interval,
							.bps = (b[h][c].v[v].bytes - a[h][c].v[v].bytes) * 8 / interval,
						};
		qsort(rows, n, sizeof(*rows), row_cmp);
		if (G.json) {
			json_object *o = json_object_new_object(), *arr = json_object_new_array();
			char name[32];

			for (int i = 0; i < n; i++) {
				json_object *r = json_object_new_object();

				json_object_object_add(r, "class", json_object_new_string(
							gf_class_name(rows[i].cls, name, sizeof(name))));
				json_object_object_add(r, "class_id", json_object_new_int(rows[i].cls));
				json_object_object_add(r, "hook", json_object_new_string(gf_hook_name(rows[i].hook)));
				json_object_object_add(r, "verdict",
						       json_object_new_string(gf_verdict_name(rows[i].verdict)));
				json_object_object_add(r, "packets", json_object_new_int64(rows[i].packets));
				json_object_object_add(r, "bytes", json_object_new_int64(rows[i].bytes));
				json_object_object_add(r, "pps", json_object_new_double(rows[i].pps));
				json_object_object_add(r, "bps", json_object_new_double(rows[i].bps));
				json_object_array_add(arr, r);
			}
			json_object_object_add(o, "generation", json_object_new_int64(gf_dp_flips(dp)));
			json_object_object_add(o, "interval_seconds", json_object_new_double(interval));
			json_object_object_add(o, "classes", arr);
			arr = json_object_new_array();
			for (int h = 0; h < GF_HOOK_MAX; h++)
				for (int r = 0; r < GF_REASON_MAX; r++)
					if (ra[h][r].packets) {
						json_object *e = json_object_new_object();

						json_object_object_add(e, "reason", json_object_new_string(gf_reason_name(r)));
						json_object_object_add(e, "hook", json_object_new_string(gf_hook_name(h)));
						json_object_object_add(e, "packets", json_object_new_int64(ra[h][r].packets));
						json_object_object_add(e, "bytes", json_object_new_int64(ra[h][r].bytes));
						json_object_array_add(arr, e);
					}
			json_object_object_add(o, "reasons", arr);
			puts(json_object_to_json_string_ext(o, watch ? JSON_C_TO_STRING_PLAIN :
							       JSON_C_TO_STRING_PRETTY));
			json_object_put(o);
		} else {
			char name[32];

			if (watch)
				printf("\033[H\033[2J");
			printf("%-12s %-4s %-8s %14s %16s %12s %14s\n", "CLASS", "HOOK", "VERDICT",
			       "PACKETS", "BYTES", "PKT/S", "BIT/S");
			for (int i = 0; i < n && i < top; i++)
				printf("%-12s %-4s %-8s %14llu %16llu %12.1f %14.0f\n",
				       gf_class_name(rows[i].cls, name, sizeof(name)), gf_hook_name(rows[i].hook),
				       gf_verdict_name(rows[i].verdict), (unsigned long long)rows[i].packets,
				       (unsigned long long)rows[i].bytes, rows[i].pps, rows[i].bps);
			if (n > top)
				printf("(%d more; --top N)\n", n - top);
			if (reasons)
				for (int h = 0; h < GF_HOOK_MAX; h++)
					for (int r = 0; r < GF_REASON_MAX; r++)
						if (ra[h][r].packets)
							printf("reason %-22s %-4s %14llu packets\n", gf_reason_name(r),
							       gf_hook_name(h), (unsigned long long)ra[h][r].packets);
		}
		fflush(stdout);
		memcpy(a, b, sizeof(a));
	} while (watch);
	gf_dp_close(dp);
	return 0;
}

/* ---------------------------------------------------------------------
 * reload
 */
static int cmd_reload(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{},
	};
	double timeout = 60, waited = 0;
	json_object *st, *last = NULL;
	long long before;
	pid_t pid;
	int ch, ok;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "jt:", lo, NULL)) != -1) {
		switch (ch) {
		case 'j': G.json = 1; break;
		case 't': timeout = atof(optarg); break;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	resolve_paths();
	st = gf_state_read(G.run_dir);
	pid = agent_pid(st);
	if (!pid && G.config_err[0]) {
		/* the agent reads the same file: it rejects it too */
		fprintf(stderr, "reload rejected: %s; a running agent rejects it too and keeps its generation: fix the "
				"file, then reload again\n", G.config_err);
		json_object_put(st);
		return EXIT_REJECTED;
	}
	if (!pid) {
		fprintf(stderr, "geofence: no geofenced running (state %s/%s): start it, e.g. "
				"systemctl start geofenced\n", G.run_dir, GF_STATE_FILE);
		json_object_put(st);
		return EXIT_SYSTEM;
	}
	before = gf_state_int(st, "reload.count");
	json_object_put(st);
	if (kill(pid, SIGHUP)) {
		fprintf(stderr, "geofence: cannot signal geofenced (pid %d): %s\n", pid, strerror(errno));
		return EXIT_SYSTEM;
	}
	/* the agent rewrites state.json when the reload is done */
	for (;;) {
		st = gf_state_read(G.run_dir);
		if (st && gf_state_int(st, "reload.count") > before)
			break;
		json_object_put(st);
		st = NULL;
		if (kill(pid, 0)) {
			fprintf(stderr, "geofence: geofenced (pid %d) exited during the reload\n", pid);
			return EXIT_SYSTEM;
		}
		if (waited >= timeout) {
			fprintf(stderr, "geofence: no reload result after %.0f s\n", timeout);
			return EXIT_SYSTEM;
		}
		usleep(50000);
		waited += 0.05;
	}
	json_object_object_get_ex(json_object_object_get(st, "reload"), "last", &last);
	ok = last && !strcmp(gf_state_str(last, "result") ?: "", "ok");
	if (G.json) {
		print_json(last);
	} else if (ok) {
		printf("reload ok: generation %lld, %.0f ms\n", gf_state_int(last, "generation"),
		       json_object_get_double(json_object_object_get(last, "duration_ms")));
	} else {
		fprintf(stderr, "reload rejected, the running generation %lld stays: %s\n",
			gf_state_int(last, "generation"), gf_state_str(last, "error") ?: "?");
	}
	json_object_put(st);
	return ok ? 0 : EXIT_REJECTED;
}

/* ---------------------------------------------------------------------
 * dlp scan: the agent's scanner, offline, over files
 *
 * A file is scanned in windows of SCAN_WINDOW bytes, each starting
 * SCAN_OVERLAP bytes before the previous one ended, so that a value cut by
 * one window's end is whole in the next; a match counts in the window where
 * it ends beyond the overlap, that is once.  A table's first line (the
 * header that names each column, which the scanner reads values by) goes
 * before every later window.  A window with more candidates than
 * SCAN_MAX_EVENTS is scanned again in halves, and that is counted.  Memory
 * is one window, the scanner's copy of it and its candidate list, whatever
 * the file's size.
 */
#define SCAN_WINDOW	(1u << 20)
#define SCAN_OVERLAP	(4u << 10)	/* longer than any value and the context it needs */
#define SCAN_MIN	(16u << 10)	/* a window halved down to this is scanned as it is */
#define SCAN_HEADER	(4u << 10)
#define SCAN_MAX_EVENTS	(1u << 18)

struct scan_file {
	long counts[GF_DLP_MAX];
	unsigned long long bytes;
	long windows, split;		/* windows scanned, halved for their candidates */
	struct gf_dlp_scratch *s;
	size_t skip_end;		/* matches ending here or before were counted already */
};

static void dlp_count(int cat, const char *v, size_t n, void *ctx)
{
	struct scan_file *f = ctx;
	size_t start, end;

	(void)v;
	(void)n;
	gf_dlp_match_span(f->s, &start, &end);
	if (end > f->skip_end)
		f->counts[cat]++;	/* counts only: the value is never kept */
}

static ssize_t fill(int fd, unsigned char *p, size_t want, int *eof)
{
	size_t got = 0;

	while (got < want) {
		ssize_t r = read(fd, p + got, want - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r) {
			*eof = 1;
			break;
		}
		got += r;
	}
	return got;
}

static int scan_fd(int fd, const struct gf_dlp *d, struct scan_file *f)
{
	const size_t cap = SCAN_OVERLAP + SCAN_WINDOW;
	unsigned char *buf = malloc(SCAN_HEADER + cap), *win;
	size_t have = 0, done = 0, hdr = 0, len;
	int eof = 0, rc = 0, first = 1;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	win = buf + SCAN_HEADER;	/* the header, if any, sits right before it */
	for (;;) {
		if (!eof) {
			n = fill(fd, win + have, cap - have, &eof);
			if (n < 0) {
				rc = n;
				break;
			}
			have += n;
			f->bytes += n;
		}
		if (first) {
			unsigned char *nl = memchr(win, '\n', have < SCAN_HEADER ? have : SCAN_HEADER);

			/* a first line with delimiters: a table's header */
			if (nl && (memchr(win, ',', nl - win) || memchr(win, '\t', nl - win) ||
				   memchr(win, ';', nl - win) || memchr(win, '|', nl - win)))
				hdr = nl + 1 - win;
		}
		if (have <= done)
			break;	/* nothing new */
		len = have;
		for (;;) {
			size_t h = first ? 0 : hdr;

			f->skip_end = h + done;
			rc = gf_dlp_scan(d, f->s, win - h, h + len, dlp_count, f);
			if (rc != -E2BIG || len - done <= SCAN_MIN)
				break;
			len = done + (len - done) / 2;	/* too many candidates: half as much */
			f->split++;
		}
		f->windows++;
		if (rc == -E2BIG)
			rc = 0;	/* a minimal window still over the limit: what was found counts */
		if (rc)
			break;
		if (first && hdr) {
			/* keep the header before every later window */
			memcpy(buf + SCAN_HEADER - hdr, win, hdr);
		}
		first = 0;
		if (eof && len == have)
			break;
		/* keep the overlap: the next window starts that much before this one's end */
		memmove(win, win + len - SCAN_OVERLAP, have - (len - SCAN_OVERLAP));
		have -= len - SCAN_OVERLAP;
		done = SCAN_OVERLAP;
	}
	explicit_bzero(buf, SCAN_HEADER + cap);	/* it held what we look for */
	free(buf);
	return rc;
}

static int cmd_dlp_scan(int argc, char **argv)
{
	static const struct option lo[] = { { "json", no_argument, NULL, 'j' }, {} };
	struct gf_dlp *d;
	struct gf_dlp_scratch *s;
	char err[256];
	int ch, bad = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "j", lo, NULL)) != -1) {
		if (ch != 'j') {
			usage(stderr);
			return EXIT_USAGE;
		}
		G.json = 1;
	}
	if (optind >= argc) {
		fprintf(stderr, "geofence dlp scan: name files to scan ('-' for standard input)\n");
		return EXIT_USAGE;
	}
	if (gf_dlp_open(&d, err, sizeof(err)) || !(s = gf_dlp_scratch_new(d))) {
		fprintf(stderr, "geofence: the scanner: %s\n", err);
		return EXIT_SYSTEM;
	}
	gf_dlp_scratch_limit(s, SCAN_MAX_EVENTS);
	if (!G.json)
		printf("%-32s %12s  %s\n", "FILE", "BYTES", "VALIDATED MATCHES");
	for (int i = optind; i < argc; i++) {
		struct scan_file f = { .s = s };
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
		int rc = fd < 0 ? -errno : scan_fd(fd, d, &f);
		char name[256];

		if (fd > STDIN_FILENO)
			close(fd);
		gf_escape(argv[i], strlen(argv[i]), name, sizeof(name), 0);
		if (rc) {
			fprintf(stderr, "geofence dlp scan: %s: %s\n", name, strerror(-rc));
			bad = 1;
			continue;
		}
		if (G.json) {
			json_object *o = json_object_new_object(), *m = json_object_new_object();

			for (int c = 0; c < GF_DLP_MAX; c++)
				json_object_object_add(m, gf_dlp_cat_name(c), json_object_new_int64(f.counts[c]));
			json_object_object_add(o, "file", json_object_new_string(name));
			json_object_object_add(o, "bytes", json_object_new_int64(f.bytes));
			json_object_object_add(o, "matches", m);
			json_object_object_add(o, "windows", json_object_new_int64(f.windows));
			json_object_object_add(o, "windows_split", json_object_new_int64(f.split));
			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
			json_object_put(o);
		} else {
			int any = 0;

			printf("%-32s %12llu ", name, f.bytes);
			for (int c = 0; c < GF_DLP_MAX; c++)
				if (f.counts[c]) {
					printf(" %s=%ld", gf_dlp_cat_name(c), f.counts[c]);
					any = 1;
				}
			printf("%s\n", any ? "" : " none");
			if (f.split)
				printf("%-32s %12s  (%ld of %ld windows held more than %u candidates and were "
				       "scanned again in smaller pieces)\n", "", "", f.split, f.windows,
				       SCAN_MAX_EVENTS);
		}
	}
	gf_dlp_scratch_free(s);
	gf_dlp_close(d);
	return bad ? EXIT_INPUT : 0;
}

static int cell_cmp(const void *a, const void *b)
{
	double x = json_object_get_double(json_object_object_get(*(json_object *const *)a, "upper_share"));
	double y = json_object_get_double(json_object_object_get(*(json_object *const *)b, "upper_share"));

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The agent's figures: RUN_DIR/dlp.json, counts and estimates only. */
static int cmd_dlp(int argc, char **argv)
{
	json_object *o, *cells, *alerts, *ev;
	char when_buf[64];

	if (argc > 1 && !strcmp(argv[1], "scan"))
		return cmd_dlp_scan(argc - 1, argv + 1);
	if (json_only_options(argc, argv))
		return EXIT_USAGE;
	resolve_paths();
	o = gf_json_read(G.run_dir, GF_DLP_FILE);
	if (!o) {
		fprintf(stderr, "geofence: no %s/%s: is geofenced running, with sampling on? "
				"(geofence status)\n", G.run_dir, GF_DLP_FILE);
		return EXIT_SYSTEM;
	}
	if (G.json) {
		print_json(o);
		json_object_put(o);
		return 0;
	}
	printf("sensitive data in sampled traffic, window %lld days: %lld samples (%lld lost), "
	       "%lld payload bytes scanned, %lld matches\n",
	       gf_state_int(o, "window_days"), gf_state_int(o, "samples"), gf_state_int(o, "samples_lost"),
	       gf_state_int(o, "sampled_bytes"), gf_state_int(o, "matches"));
	if (json_object_object_get_ex(o, "evidence", &ev))
		print_evidence(ev);
	if (json_object_object_get_ex(o, "cells", &cells) && json_object_array_length(cells)) {
		size_t n = json_object_array_length(cells);
		json_object **v = calloc(n, sizeof(*v));

		for (size_t i = 0; i < n; i++)
			v[i] = json_object_array_get_idx(cells, i);
		qsort(v, n, sizeof(*v), cell_cmp);
		printf("%-19s %-9s %9s %9s %9s %9s %9s %7s  %-8s %-8s %s\n", "CATEGORY", "TO", "PACKETS", "LOWER",
		       "POINT", "UPPER", "THRESHOLD", "SHARE", "LEVEL", "RATE 1/N", "LATEST (REDACTED)");
		for (size_t i = 0; i < n; i++) {
			char rate[24];

			if (gf_state_int(v[i], "sample_rate_min") == gf_state_int(v[i], "sample_rate_max"))
				snprintf(rate, sizeof(rate), "%lld", gf_state_int(v[i], "sample_rate_min"));
			else
				snprintf(rate, sizeof(rate), "%lld-%lld", gf_state_int(v[i], "sample_rate_min"),
					 gf_state_int(v[i], "sample_rate_max"));
			printf("%-19s %-9s %9lld %9lld %9lld %9lld %9lld %6.1f%%  %-8s %-8s %s\n",
			       gf_state_str(v[i], "category"), gf_state_str(v[i], "class"),
			       gf_state_int(v[i], "matches"), gf_state_int(v[i], "lower"),
			       gf_state_int(v[i], "point"), gf_state_int(v[i], "upper"),
			       gf_state_int(v[i], "threshold"),
			       100 * json_object_get_double(json_object_object_get(v[i], "share_of_threshold")),
			       gf_state_str(v[i], "level"), rate, gf_state_str(v[i], "example"));
		}
		free(v);
	} else {
		printf("no sensitive data seen\n");
	}
	if (json_object_object_get_ex(o, "alerts", &alerts))
		for (size_t i = 0; i < json_object_array_length(alerts); i++) {
			json_object *a = json_object_array_get_idx(alerts, i);

			printf("alert %s: %s to %s %s: lower %lld, point %lld, upper %lld (threshold %lld)\n",
			       when(gf_state_int(a, "time"), when_buf, sizeof(when_buf)), gf_state_str(a, "category"),
			       gf_state_str(a, "class"), gf_state_str(a, "level"), gf_state_int(a, "lower"),
			       gf_state_int(a, "estimate"), gf_state_int(a, "upper"), gf_state_int(a, "threshold"));
		}
	json_object_put(o);
	return 0;
}

/* ---------------------------------------------------------------------
 * evidence report: this gateway's day files, or the fleet's rows
 */
static int cmd_evidence(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ "dir", required_argument, NULL, 'D' },
		{ "json", no_argument, NULL, 'j' },
		{},
	};
	const char *db = NULL, *since_s = NULL, *until_s = NULL, *dir = NULL;
	struct gf_report r = { .format = G.json ? GF_REPORT_JSON : GF_REPORT_TABLE };
	struct gf_sampling cfg;
	struct gf_evpg_fleet fl = { 0 };
	struct gf_ev_cell **cells = NULL;
	struct gf_ev_summary *sum;
	char state_dir[PATH_MAX], evdir[PATH_MAX + 16], err[1024] = "", left[512] = "", *skipped = NULL;
	size_t ncells = 0;
	uint64_t fp = 0;
	int ch, n, ret;

	if (argc < 2 || strcmp(argv[1], "report")) {
		fprintf(stderr, "geofence evidence: the subcommand is report (geofence --help)\n");
		return EXIT_USAGE;
	}
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:s:u:f:D:j", lo, NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 's': since_s = optarg; break;
		case 'u': until_s = optarg; break;
		case 'D': dir = optarg; break;
		case 'j': r.format = GF_REPORT_JSON; break;
		case 'f':
			if (!strcmp(optarg, "table"))
				r.format = GF_REPORT_TABLE;
			else if (!strcmp(optarg, "json"))
				r.format = GF_REPORT_JSON;
			else if (!strcmp(optarg, "csv"))
				r.format = GF_REPORT_CSV;
			else {
				fprintf(stderr, "geofence evidence report: --format is table, json or csv\n");
				return EXIT_USAGE;
			}
			break;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "geofence evidence report: unexpected '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	/* the thresholds, window and state.dir of the agent's configuration */
	if (gf_config_sampling(G.config, &cfg, state_dir, sizeof(state_dir), err, sizeof(err))) {
		fprintf(stderr, "geofence evidence report: %s\n", err);
		return EXIT_INPUT;
	}
	r.until = until_s ? gf_ev_day_parse(until_s) : gf_ev_day_of(time(NULL));
	r.since = since_s ? gf_ev_day_parse(since_s) : r.until - (int32_t)cfg.window_days + 1;
	if (r.until == INT32_MIN || r.since == INT32_MIN || r.since > r.until) {
		fprintf(stderr, "geofence evidence report: --since and --until are dates, YYYY-MM-DD, "
				"the first not after the second\n");
		return EXIT_USAGE;
	}
	r.cfg = &cfg;
	if (db) {
		ret = gf_evpg_fetch(db, r.since, r.until, &fl, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "geofence evidence report: %s\n", err);
			return EXIT_SYSTEM;
		}
		cells = fl.cells;
		ncells = fl.ncells;
		fp = fl.fingerprint;
		r.source = "postgres";
		r.gateways = (const char *const *)fl.gateways;
		r.ngateways = fl.ngateways;
		r.samples_skipped = fl.samples_skipped;
		if (fl.other_key_rows)
			snprintf(left, sizeof(left), "%zu rows of gateways made with another hash key (%s): "
				 "sketches of different keys never merge; give every gateway the same "
				 "sampling.key", fl.other_key_rows, fl.other_key_gateways);
	} else {
		snprintf(evdir, sizeof(evdir), "%s/%s", dir ? dir : state_dir, GF_EV_DIR);
		ret = gf_ev_read_dir(evdir, r.since, r.until, &cells, &ncells, &fp, &skipped,
				     &r.samples_skipped, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "geofence evidence report: %s%s\n", err,
				ret == -EACCES ? " (the evidence is root's, or state.group's: run as root)" :
				ret == -ENOENT ? " (no evidence yet: the agent writes it there once it has "
						 "counted a value; another state.dir: --config or --dir)" : "");
			free(skipped);
			return EXIT_SYSTEM;
		}
		r.source = evdir;
		if (skipped && skipped[0])
			snprintf(left, sizeof(left), "%s", skipped);
	}
	r.fingerprint = fp;
	r.left_out = left;
	n = gf_ev_summarize(cells, ncells, r.since, r.until, &sum);
	if (n < 0) {
		fprintf(stderr, "geofence evidence report: out of memory\n");
		ret = EXIT_SYSTEM;
	} else {
		gf_report_print(stdout, sum, n, &r);
		free(sum);
		ret = left[0] ? EXIT_INPUT : 0;
	}
	if (db)
		gf_evpg_fleet_free(&fl);
	else
		gf_ev_cells_free(cells, ncells);
	free(skipped);
	return ret;
}

/* ---------------------------------------------------------------------
 * guard: the boot guard (geofence-guard.service), by hand
 */
static int cmd_guard(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "classes", no_argument, NULL, 'c' },
		{},
	};
	const char *netns = NULL, *what;
	unsigned long long dropped = 0;
	char err[512], path[PATH_MAX + 16];
	int ch, ret = 0, classes = -1;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "n:j", lo, NULL)) != -1) {
		switch (ch) {
		case 'n': netns = optarg; break;
		case 'j': G.json = 1; break;
		case 'a': classes = 0; break;
		case 'c': classes = 1; break;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	resolve_paths();
	if (classes < 0)
		classes = G.guard_classes;
	snprintf(path, sizeof(path), "%s/%s", G.state_dir, GF_GUARD_FILE);
	what = optind < argc ? argv[optind] : "status";
	if (netns && gf_netns_enter(netns)) {
		fprintf(stderr, "geofence guard: cannot enter network namespace %s\n", netns);
		return EXIT_SYSTEM;
	}
	if (!strcmp(what, "up") && classes) {
		ret = gf_guard_up_file(path, err, sizeof(err));
		if (ret) {
			/* fail closed: without the last policy's list, nothing is forwarded */
			fprintf(stderr, "geofence guard up: classes mode: %s: the full guard instead\n", err);
			ret = gf_guard_up(err, sizeof(err));
		}
	} else if (!strcmp(what, "up"))
		ret = gf_guard_up(err, sizeof(err));
	else if (!strcmp(what, "down"))
		ret = gf_guard_down(err, sizeof(err));
	else if (strcmp(what, "status")) {
		fprintf(stderr, "geofence guard: up, down or status\n");
		return EXIT_USAGE;
	}
	if (ret) {
		fprintf(stderr, "geofence guard %s: %s (needs root: CAP_NET_ADMIN)\n", what, err);
		return EXIT_SYSTEM;
	}
	ret = gf_guard_state(&dropped, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "geofence guard: %s\n", err);
		return EXIT_SYSTEM;
	}
	if (G.json)
		printf("{\"up\":%s,\"mode\":%s,\"dropped\":%llu}\n", ret ? "true" : "false",
		       ret == GF_GUARD_CLASSES ? "\"classes\"" : ret ? "\"all\"" : "null", dropped);
	else if (ret)
		printf("boot guard: UP: %s (%llu packets dropped) until geofenced enforces and lifts it\n",
		       guard_what(ret), dropped);
	else
		printf("boot guard: down\n");
	return 0;
}

/* ---------------------------------------------------------------------
 * update: fresh GeoIP data from update.url, checked, then in place
 */
static int cmd_update(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "if-configured", no_argument, NULL, 'i' },
		{},
	};
	struct gf_config *c = calloc(1, sizeof(*c));
	struct gf_update_result r;
	json_object *st;
	char err[2048], day[32];
	int ch, ifconf = 0, ret;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "ji", lo, NULL)) != -1) {
		switch (ch) {
		case 'j': G.json = 1; break;
		case 'i': ifconf = 1; break;
		default: usage(stderr); free(c); return EXIT_USAGE;
		}
	}
	if (!c || gf_config_load(G.config, c, err, sizeof(err))) {
		fprintf(stderr, "geofence update: %s\n", c ? err : "out of memory");
		free(c);
		return EXIT_INPUT;
	}
	if (!c->upd_url[0]) {
		/* the timer runs us with --if-configured: nothing to do is not an error */
		fprintf(ifconf ? stdout : stderr, "geofence update: not configured (set update.url and "
			"update.path in %s)\n", G.config);
		gf_config_free(c);
		free(c);
		return ifconf ? 0 : EXIT_USAGE;
	}
	st = gf_state_read(c->run_dir);
	ret = gf_update_run(c, st, &r, err, sizeof(err));
	json_object_put(st);
	if (ret) {
		fprintf(stderr, "geofence update: %s; %s is unchanged\n", err, c->upd_path);
		gf_config_free(c);
		free(c);
		return ret == -EBADMSG ? EXIT_INPUT : EXIT_SYSTEM;
	}
	{
		time_t t = r.build_epoch;
		struct tm tm;

		if (!gmtime_r(&t, &tm) || !strftime(day, sizeof(day), "%Y-%m-%d", &tm))
			snprintf(day, sizeof(day), "?");
	}
	if (G.json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "path", json_object_new_string(c->upd_path));
		json_object_object_add(o, "sha256", json_object_new_string(r.sha256));
		json_object_object_add(o, "bytes", json_object_new_int64(r.bytes));
		json_object_object_add(o, "downloaded", json_object_new_int64(r.downloaded));
		json_object_object_add(o, "build_epoch", json_object_new_int64(r.build_epoch));
		json_object_object_add(o, "networks", json_object_new_int64(r.networks));
		json_object_object_add(o, "seconds", json_object_new_double(r.seconds));
		json_object_object_add(o, "note", json_object_new_string(r.note));
		print_json(o);
		json_object_put(o);
	} else {
		printf("updated %s: data of %s, %llu networks, %lld bytes (%lld downloaded), sha256 %.16s, "
		       "%.1f s; the agent reloads it%s%s\n", c->upd_path, day, (unsigned long long)r.networks,
		       r.bytes, r.downloaded, r.sha256, r.seconds, r.note[0] ? "; " : "", r.note);
	}
	gf_config_free(c);
	free(c);
	return 0;
}

/* ---------------------------------------------------------------------
 * detach
 */

static int cmd_detach(int argc, char **argv)
{
	json_object *st, *ifs, *out = json_object_new_array();
	struct gf_dp *dp = NULL;
	const char *netns;
	pid_t pid;
	int lock, err = 0;

	if (json_only_options(argc, argv))
		return EXIT_USAGE;
	resolve_paths();
	st = gf_state_read(G.run_dir);
	pid = agent_pid(st);
	/* the agent first, so that it cannot re-attach: it has stopped when
	 * its lock on the pin directory is free */
	if (pid)
		kill(pid, SIGTERM);
	if (access(G.pin_dir, F_OK) && errno == ENOENT) {
		/* nothing pinned: nothing to lock, and nothing is created */
		lock = -ENOENT;
		for (int i = 0; pid && !kill(pid, 0) && i < 200; i++)
			usleep(50000);
	} else {
		lock = gf_dp_lock(G.pin_dir);
	}
	for (int i = 0; lock == -EBUSY && i < 200; i++) {
		usleep(50000);
		lock = gf_dp_lock(G.pin_dir);
	}
	if (lock == -EBUSY) {
		fprintf(stderr, "geofence: %s does not stop: another process holds %s\n",
			pid ? "geofenced" : "a process", G.pin_dir);
		return EXIT_SYSTEM;
	}
	netns = st ? gf_state_str(st, "netns") : NULL;
	if (netns && gf_netns_enter(netns))
		fprintf(stderr, "geofence: cannot enter network namespace %s\n", netns);
	gf_dp_open_pinned(&dp, G.pin_dir);
	if (st && json_object_object_get_ex(st, "interfaces", &ifs)) {
		for (size_t i = 0; i < json_object_array_length(ifs); i++) {
			json_object *x = json_object_array_get_idx(ifs, i);
			const char *hook = gf_state_str(x, "hook");
			int ifindex = gf_state_int(x, "ifindex"), r;

			if (!strcmp(hook ?: "", "xdp"))
				r = dp ? gf_dp_detach_xdp(dp, ifindex) : -ENOENT;
			else
				r = gf_dp_detach_tc(NULL, ifindex);
			if (r && !err)
				err = r;
			if (!G.json)
				printf("%s %s: %s\n", hook, gf_state_str(x, "name"), r ? strerror(-r) : "detached");
			json_object_array_add(out, json_object_new_string(gf_state_str(x, "name")));
		}
	}
	gf_netns_enter(NULL);
	gf_dp_close(dp);
	if (gf_dp_pinned(G.pin_dir) > 0) {
		int r = gf_dp_unpin(G.pin_dir);

		if (!G.json)
			printf("pins in %s: %s\n", G.pin_dir, r ? strerror(-r) : "removed");
		if (r && !err)
			err = r;
	}
	if (st) {
		char p[PATH_MAX + 32];

		snprintf(p, sizeof(p), "%s/%s", G.run_dir, GF_STATE_FILE);
		unlink(p);
	}
	if (G.json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "detached", out);
		json_object_object_add(o, "ok", json_object_new_boolean(!err));
		print_json(o);
		json_object_put(o);
	} else {
		json_object_put(out);
	}
	if (lock >= 0)
		close(lock);
	json_object_put(st);
	return err ? EXIT_SYSTEM : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "status", cmd_status }, { "stats", cmd_stats }, { "lookup", cmd_lookup },
		{ "reload", cmd_reload }, { "detach", cmd_detach }, { "dlp", cmd_dlp },
		{ "evidence", cmd_evidence }, { "update", cmd_update }, { "guard", cmd_guard },
	};
	int i = 1;

	gf_log_set_prefix(0);
	gf_log_route_libs(0);
	/* global options before the command */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("geofence %s (map layout %d)\n", GF_VERSION, GF_LAYOUT);
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			G.json = 1;
		} else if (!strcmp(argv[i], "--verbose")) {
			gf_log_route_libs(1);
		} else if ((!strcmp(argv[i], "--config") || !strcmp(argv[i], "-c")) && i + 1 < argc) {
			G.config = argv[++i];
		} else {
			fprintf(stderr, "geofence: unknown option '%s' (geofence --help)\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t k = 0; k < sizeof(cmds) / sizeof(*cmds); k++)
		if (!strcmp(argv[i], cmds[k].name))
			return cmds[k].fn(argc - i, argv + i);
	fprintf(stderr, "geofence: unknown command '%s' (geofence --help lists them)\n", argv[i]);
	return EXIT_USAGE;
}
