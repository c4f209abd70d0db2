// SPDX-License-Identifier: GPL-2.0
/*
 * geofence: the operator's command line.
 *
 *   geofence lookup [SOURCES] [--json] [ADDR...]
 *
 * Exit codes: 0 success, 1 some input was invalid (the rest was answered),
 * 2 usage, 3 a database or system error.
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gf_log.h"
#include "gf_world.h"

#define EXIT_INPUT 1
#define EXIT_USAGE 2
#define EXIT_SYSTEM 3

static void usage(FILE *out)
{
	fprintf(out,
		"usage: geofence COMMAND [OPTIONS]\n"
		"\n"
		"commands:\n"
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
		"  --json      one JSON object per line, for scripts\n"
		"  --verbose   library messages too\n"
		"  -h, --help  this text\n"
		"\n"
		"exit codes: 0 ok, 1 some input invalid, 2 usage, 3 database or system error\n");
}

#define MAX_SOURCES 64

struct lookup_ctx {
	struct gf_world w;
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
	char country[16], klass[32], first[64], last[64], v4s[20];
	gf_u128 a;
	__u32 v4;
	int family, cls_country, cls, carried, found, rf;

	family = gf_addr_parse(text, &a);
	if (family < 0) {
		c->bad++;
		if (c->json) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "address", json_object_new_string(text));
			json_object_object_add(o, "error",
					       json_object_new_string("not an IPv4 or IPv6 address"));
			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
			json_object_put(o);
		} else {
			fprintf(stderr, "geofence: '%s' is not an IPv4 or IPv6 address\n", text);
		}
		return;
	}
	/* the database's answer, as libmaxminddb would give it */
	cls_country = gf_geo_find(c->w.countries, family, a, c->w.aliased);
	/* what the datapath's tables give: reserved space, carried IPv4 */
	cls = gf_table_classify(c->w.table[0], c->w.table[1], family, a);
	carried = family == 6 && gf_embedded_ipv4(a, &v4, 0);
	if (carried) {
		gf_addr_str(4, v4, v4s, sizeof(v4s));
		found = range_of(&c->w.all[0], 4, v4, first, last, sizeof(first));
	} else {
		found = range_of(&c->w.all[family == 6], family, a, first, last, sizeof(first));
	}
	gf_class_name(cls, klass, sizeof(klass));
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
		if (found) {
			json_object *r = json_object_new_object();

			json_object_object_add(r, "first", json_object_new_string(first));
			json_object_object_add(r, "last", json_object_new_string(last));
			json_object_object_add(o, "range", r);
		} else {
			json_object_object_add(o, "range", NULL);
		}
		/* verdicts come from the running datapath's policy */
		json_object_object_add(o, "verdict", NULL);
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	} else {
		printf("%-39s %-7s %-10s %s%s%s%s%s\n", text, rf ? country : "-", klass,
		       found ? first : "-", found ? "-" : "", found ? last : "",
		       carried ? "  carries " : "", carried ? v4s : "");
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
	char err[1024];
	int ch;

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
	if (!c.nsrc) {
		c.src[0] = (struct gf_source_spec){ .kind = GF_GEO_MMDB, .path = gf_default_db() };
		c.nsrc = 1;
		if (!c.src[0].path) {
			fprintf(stderr, "geofence: no database: the default geofence-country.mmdb is "
					"not installed or built (run make), and no --db FILE was given\n");
			return EXIT_SYSTEM;
		}
	}
	if (gf_world_load(&c.w, c.src, c.nsrc, NULL, NULL, NULL, err, sizeof(err))) {
		fprintf(stderr, "geofence: %s\n", err);
		return EXIT_SYSTEM;
	}
	for (size_t i = 0; i < c.w.nsrcs; i++) {
		time_t t = c.w.srcs[i].build_epoch;
		char day[32];

		strftime(day, sizeof(day), "%Y-%m-%d", gmtime(&t));
		fprintf(stderr, "source %zu: %s (%s, %s)\n", i + 1, c.w.srcs[i].path,
			c.w.srcs[i].database_type, day);
	}
	if (c.w.conflicts.ranges)
		fprintf(stderr, "sources disagree on %llu ranges (later sources win), first: %s\n",
			(unsigned long long)c.w.conflicts.ranges, c.w.conflicts.first);
	if (!c.json) {
		fprintf(stderr, "no datapath loaded: classes from the sources, no verdicts\n");
		printf("%-39s %-7s %-10s %s\n", "ADDRESS", "COUNTRY", "CLASS", "RANGE");
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
	if (fflush(stdout))
		return EXIT_SYSTEM;
	return c.bad ? EXIT_INPUT : 0;
}

int main(int argc, char **argv)
{
	gf_log_set_prefix(0);
	gf_log_route_libs(0);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "lookup"))
		return cmd_lookup(argc - 1, argv + 1);
	fprintf(stderr, "geofence: unknown command '%s' (geofence --help lists them)\n", argv[1]);
	return EXIT_USAGE;
}
