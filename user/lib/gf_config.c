// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "gf_config.h"
#include "gf_ipfix.h"
#include "gf_names.h"
#include "gf_world.h"

int gf_action_parse(const char *w)
{
	if (!strcmp(w, "allow"))
		return GF_ACT_PASS;
	if (!strcmp(w, "deny") || !strcmp(w, "block"))
		return GF_ACT_DROP;
	return gf_action_from_name(w);
}

/* "FILE:LINE" of a setting */
static void origin(const config_setting_t *s, const char *fallback, char *out, size_t len)
{
	const char *file = config_setting_source_file(s);

	snprintf(out, len, "%s:%u", file ? file : fallback, config_setting_source_line(s));
}

#define FAIL(s, ...)                                                         \
	do {                                                                 \
		char __o[GF_ORIGIN_LEN];                                     \
		int __n;                                                     \
		origin((s), c->path, __o, sizeof(__o));                      \
		__n = snprintf(err, errlen, "%s: ", __o);                    \
		snprintf(err + __n, errlen > (size_t)__n ? errlen - __n : 0, __VA_ARGS__); \
		ret = -EINVAL;                                               \
		goto out;                                                    \
	} while (0)

static int copy_str(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len)
		return -ENAMETOOLONG;
	strcpy(dst, src);
	return 0;
}

/* "ACTION" or "redirect IFNAME" */
static int parse_rule(const char *text, struct gf_rule *r)
{
	char word[32], ifname[64];
	int n = sscanf(text, "%31s %63s", word, ifname);

	if (n < 1)
		return -EINVAL;
	r->action = gf_action_parse(word);
	if (r->action < 0)
		return -EINVAL;
	if ((r->action == GF_ACT_REDIRECT) != (n == 2))
		return -EINVAL;
	if (n == 2 && copy_str(r->redirect, sizeof(r->redirect), ifname))
		return -EINVAL;
	return 0;
}

static int iface_list(config_t *cfg, const char *path, char list[][IF_NAMESIZE], int *n,
		      struct gf_config *c, char *err, size_t errlen)
{
	config_setting_t *s = config_lookup(cfg, path);
	int ret = 0;

	*n = 0;
	if (!s)
		return 0;
	if (config_setting_is_scalar(s) && config_setting_type(s) == CONFIG_TYPE_STRING) {
		if (copy_str(list[0], IF_NAMESIZE, config_setting_get_string(s)))
			FAIL(s, "%s: interface name too long", path);
		*n = 1;
		return 0;
	}
	if (!config_setting_is_array(s) && !config_setting_is_list(s))
		FAIL(s, "%s must be an interface name or a list of names: [\"eth1\", \"eth2\"]", path);
	for (int i = 0; i < config_setting_length(s); i++) {
		const char *name = config_setting_get_string_elem(s, i);

		if (!name)
			FAIL(s, "%s: element %d is not a string", path, i + 1);
		if (*n == GF_MAX_IFACES)
			FAIL(s, "%s: more than %d interfaces", path, GF_MAX_IFACES);
		if (!*name || copy_str(list[*n], IF_NAMESIZE, name))
			FAIL(s, "%s: '%s' is not an interface name (1 to %d characters)", path, name,
			     IF_NAMESIZE - 1);
		for (int k = 0; k < *n; k++)
			if (!strcmp(list[k], name))
				FAIL(s, "%s: '%s' is listed twice", path, name);
		(*n)++;
	}
out:
	return ret;
}

static int rule_setting(config_t *cfg, const char *path, struct gf_rule *r, const char *def,
			struct gf_config *c, char *err, size_t errlen)
{
	config_setting_t *s = config_lookup(cfg, path);
	const char *v = def;
	int ret = 0;

	if (s) {
		if (config_setting_type(s) != CONFIG_TYPE_STRING)
			FAIL(s, "%s must be a string such as \"pass\", \"drop\", \"monitor\" or "
				"\"redirect IFNAME\"", path);
		v = config_setting_get_string(s);
		origin(s, c->path, r->origin, sizeof(r->origin));
	} else {
		snprintf(r->origin, sizeof(r->origin), "default for %s", path);
	}
	if (parse_rule(v, r))
		FAIL(s ? s : config_root_setting(cfg), "%s = \"%s\": expected pass, drop, monitor or "
			"redirect IFNAME", path, v);
out:
	return ret;
}

static void beside_config(const char *config, const char *path, char *out, size_t len);

static int parse_sources(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	config_setting_t *list = config_lookup(cfg, "geoip.sources"), *s;
	int ret = 0, b;

	if (!list) {
		/* the default database */
		const char *def = gf_default_db();

		if (!def) {
			snprintf(err, errlen, "%s: no geoip.sources, and the default database is not "
				 "installed: name a source or run make install", c->path);
			return -EINVAL;
		}
		snprintf(c->source_paths[0], PATH_MAX, "%s", def);
		c->sources[0] = (struct gf_source_spec){ .kind = GF_GEO_MMDB, .path = c->source_paths[0] };
		c->nsources = 1;
		goto fallback;
	}
	if (!config_setting_is_list(list))
		FAIL(list, "geoip.sources must be a list: ( { mmdb = \"FILE\"; }, ... )");
	for (int i = 0; i < config_setting_length(list); i++) {
		static const char *const keys[] = { "mmdb", "list", "tor" };
		static const enum gf_geo_kind kinds[] = { GF_GEO_MMDB, GF_GEO_LIST, GF_GEO_TOR };
		const char *path = NULL, *cc = NULL;
		int found = 0;

		s = config_setting_get_elem(list, i);
		if (!config_setting_is_group(s))
			FAIL(s, "geoip.sources: each source is a group: { mmdb = \"FILE\"; }");
		if (c->nsources == GF_MAX_SOURCES)
			FAIL(s, "geoip.sources: more than %d sources", GF_MAX_SOURCES);
		for (int k = 0; k < 3; k++) {
			if (config_setting_lookup_string(s, keys[k], &path)) {
				found++;
				c->sources[c->nsources].kind = kinds[k];
			}
		}
		if (found != 1)
			FAIL(s, "geoip.sources: a source has exactly one of mmdb, list or tor");
		if (!*path || copy_str(c->source_paths[c->nsources], PATH_MAX, path))
			FAIL(s, "geoip.sources: bad file name '%s'", path);
		c->sources[c->nsources].path = c->source_paths[c->nsources];
		if (config_setting_lookup_string(s, "country", &cc)) {
			if (c->sources[c->nsources].kind != GF_GEO_LIST)
				FAIL(s, "geoip.sources: 'country' only applies to a list");
			if (gf_class_from_cc(cc) < 0 || !gf_country_name(cc))
				FAIL(s, "geoip.sources: '%s' is not an ISO 3166-1 alpha-2 country code", cc);
			c->source_cc[c->nsources][0] = toupper((unsigned char)cc[0]);
			c->source_cc[c->nsources][1] = toupper((unsigned char)cc[1]);
			c->sources[c->nsources].cc = c->source_cc[c->nsources];
		}
		c->nsources++;
	}
	if (!c->nsources)
		FAIL(list, "geoip.sources is empty");
fallback:
	if (config_lookup_bool(cfg, "geoip.registered_country_fallback", &b))
		c->geo.registered_country_fallback = b;
	/* AS rules' data: an MMDB with autonomous_system_number (GeoLite2-ASN's shape), relative to this file */
	if ((s = config_lookup(cfg, "geoip.asn"))) {
		const char *a = config_setting_get_string(s);

		if (!a || !*a)
			FAIL(s, "geoip.asn must be the path of an ASN database: \"GeoLite2-ASN.mmdb\"");
		beside_config(c->path, a, c->asn_path, sizeof(c->asn_path));
	}
	{
		/* data sanity: how much country space new data may lose */
		static const char *const keys[] = { "geoip.max_shrink", "geoip.min_coverage" };
		double *dst[] = { &c->sanity.max_shrink, &c->sanity.min_coverage };

		for (int k = 0; k < 2; k++) {
			config_setting_t *v = config_lookup(cfg, keys[k]);

			if (!v)
				continue;
			if (config_setting_type(v) == CONFIG_TYPE_INT)
				*dst[k] = config_setting_get_int(v);
			else if (config_setting_type(v) == CONFIG_TYPE_FLOAT)
				*dst[k] = config_setting_get_float(v);
			else
				*dst[k] = -1;
			if (!(*dst[k] >= 0 && *dst[k] <= 1))
				FAIL(v, "%s is a share from 0 to 1 (%s)", keys[k],
				     k ? "0.5: a first load must give countries half the space the "
					 "default database does; 0 turns the check off" :
					 "0.1: a reload may lose a tenth of the space given to countries; "
					 "1 accepts any data");
		}
	}
out:
	return ret;
}

/*
 * One override's prefix and action, checked: 0, or -EINVAL with what is
 * wrong (after "WHERE: ") in err.
 */
static int override_set(struct gf_override *o, const char *cidr, const char *act, const char *where,
			char *err, size_t errlen)
{
	gf_u128 host;
	int bits;

	o->family = gf_prefix_parse(cidr, &o->addr, &o->len);
	if (o->family < 0) {
		snprintf(err, errlen, "%s: '%s' is not an IPv4 or IPv6 prefix", where, cidr);
		return -EINVAL;
	}
	bits = o->family == 4 ? 32 : 128;
	host = o->len == bits ? 0 : o->len == 0 ? gf_family_max(o->family) :
	       (((gf_u128)1 << (bits - o->len)) - 1);
	if (o->addr & host) {
		char fix[64];

		snprintf(err, errlen, "%s: '%s' has host bits set: did you mean %s/%d?", where, cidr,
			 gf_addr_str(o->family, o->addr & ~host, fix, sizeof(fix)), o->len);
		return -EINVAL;
	}
	if (parse_rule(act, &o->rule)) {
		snprintf(err, errlen, "%s: action \"%s\": expected allow, deny, monitor or redirect IFNAME",
			 where, act);
		return -EINVAL;
	}
	return 0;
}

/*
 * An exemption's end: "2027-01-31" is in force through that day (UTC) and
 * ends at the next midnight; "2027-01-31T18:00:00Z" ends then.  0, or
 * -EINVAL.
 */
static int parse_expiry(const char *s, long long *t)
{
	struct tm tm = { 0 };
	const char *end;

	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) && !*end) {
		*t = timegm(&tm);
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d", &tm)) && !*end && tm.tm_year >= 70) {
		*t = timegm(&tm) + 86400;
		return 0;
	}
	return -EINVAL;
}

/* An override past its expiry is left out, and named for the warning. */
static int expired(struct gf_config *c, const struct gf_override *o, const char *cidr)
{
	if (!o->expires || o->expires > time(NULL))
		return 0;
	c->nexpired++;
	if (strlen(c->expired) < sizeof(c->expired) - 200)
		snprintf(c->expired + strlen(c->expired), sizeof(c->expired) - strlen(c->expired), "%s%s (%s %s)",
			 c->expired[0] ? ", " : "", o->rule.origin, cidr, gf_action_name(o->rule.action));
	return 1;
}

static int parse_overrides(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	config_setting_t *list = config_lookup(cfg, "policy.overrides"), *s;
	int ret = 0, n;

	if (!list)
		return 0;
	if (!config_setting_is_list(list))
		FAIL(list, "policy.overrides must be a list: ( { cidr = \"203.0.113.7/32\"; action = "
			   "\"allow\"; reason = \"...\"; }, ... )");
	n = config_setting_length(list);
	if (n > GF_MAX_OVERRIDES)
		FAIL(list, "policy.overrides: %d entries, at most %d", n, GF_MAX_OVERRIDES);
	c->overrides = calloc(n ? n : 1, sizeof(*c->overrides));
	if (!c->overrides)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		struct gf_override *o = &c->overrides[c->noverrides];
		const char *cidr = NULL, *act = NULL, *reason = NULL, *exp = NULL;

		s = config_setting_get_elem(list, i);
		if (!config_setting_is_group(s) || !config_setting_lookup_string(s, "cidr", &cidr) ||
		    !config_setting_lookup_string(s, "action", &act))
			FAIL(s, "policy.overrides: each entry needs cidr and action: { cidr = "
				"\"203.0.113.7/32\"; action = \"allow\"; }");
		{
			char o_at[GF_ORIGIN_LEN], why[256];

			origin(s, c->path, o_at, sizeof(o_at));
			if (override_set(o, cidr, act, "policy.overrides", why, sizeof(why))) {
				snprintf(err, errlen, "%s: %s", o_at, why);
				ret = -EINVAL;
				goto out;
			}
		}
		origin(s, c->path, o->rule.origin, sizeof(o->rule.origin));
		if (config_setting_lookup_string(s, "reason", &reason))
			snprintf(o->reason, sizeof(o->reason), "%s", reason);
		if (config_setting_lookup_string(s, "expires", &exp) && parse_expiry(exp, &o->expires))
			FAIL(s, "policy.overrides: expires = \"%s\": a date, \"2027-01-31\" (in force through that "
				"day, UTC) or \"2027-01-31T18:00:00Z\"", exp);
		if (expired(c, o, cidr)) {
			memset(o, 0, sizeof(*o));
			continue;
		}
		c->noverrides++;
	}
out:
	return ret;
}

/*
 * The bulk thresholds of 28 CFR 202.205, in US persons over twelve months:
 * human 'omic data 100, biometric identifiers and precise geolocation
 * 1,000, personal health and financial data 10,000, covered personal
 * identifiers 100,000.
 */
static void sampling_defaults(struct gf_sampling *s)
{
	static const int health[] = { GF_DLP_HEALTH_NPI, GF_DLP_HEALTH_MBI, GF_DLP_HEALTH_ICD10 };
	static const int money[] = { GF_DLP_PAYMENT_CARD, GF_DLP_ABA_ROUTING, GF_DLP_IBAN };

	s->rate = 1000;
	s->bytes = 512;
	s->monitor_rate = 1;
	s->max_per_second = GF_SAMPLES_PER_SECOND_DEFAULT;
	s->window_days = 365;
	s->buckets = 12;
	s->alert_fraction = 0.5;
	for (int i = 0; i < GF_DLP_MAX; i++)
		s->threshold[i] = 100000;	/* covered personal identifiers */
	s->threshold[GF_DLP_GENOMIC] = 100;
	s->threshold[GF_DLP_BIOMETRIC] = 1000;
	s->threshold[GF_DLP_PRECISE_GEOLOCATION] = 1000;
	for (size_t i = 0; i < sizeof(health) / sizeof(*health); i++)
		s->threshold[health[i]] = 10000;
	for (size_t i = 0; i < sizeof(money) / sizeof(*money); i++)
		s->threshold[money[i]] = 10000;
}

static int parse_sampling_into(config_t *cfg, const char *path, struct gf_sampling *sp, char *err,
			       size_t errlen);

static int parse_sampling(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	return parse_sampling_into(cfg, c->path, &c->sampling, err, errlen);
}

int gf_config_sampling(const char *path, struct gf_sampling *sp, char *state_dir, size_t dirlen,
		       char *err, size_t errlen)
{
	config_t cfg;
	const char *str;
	int ret = 0;

	memset(sp, 0, sizeof(*sp));
	sampling_defaults(sp);
	snprintf(state_dir, dirlen, "/var/lib/geofence");
	config_init(&cfg);
	if (!config_read_file(&cfg, path)) {
		if (config_error_type(&cfg) == CONFIG_ERR_PARSE) {
			snprintf(err, errlen, "%s:%d: %s", path, config_error_line(&cfg),
				 config_error_text(&cfg));
			ret = -EINVAL;
		}
		config_destroy(&cfg);
		return ret;	/* no file: the defaults */
	}
	if (config_lookup_string(&cfg, "state.dir", &str))
		snprintf(state_dir, dirlen, "%s", str);
	ret = parse_sampling_into(&cfg, path, sp, err, errlen);
	config_destroy(&cfg);
	return ret;
}

/* What FAIL names where a function has the file's path only. */
struct cfg_file {
	const char *path;
};

static int parse_sampling_countries(config_setting_t *s, const struct cfg_file *c, struct gf_sampling *sp, char *err,
				    size_t errlen)
{
	int ret = 0;

	if (!config_setting_is_group(s))
		FAIL(s, "sampling.countries is a group: { US = 100; DE = 0; }");
	for (int i = 0; i < config_setting_length(s); i++) {
		config_setting_t *e = config_setting_get_elem(s, i);
		const char *cc = config_setting_name(e);

		if (!cc || gf_class_from_cc(cc) < 0 || !gf_country_name(cc))
			FAIL(e, "sampling.countries: '%s' is not an ISO 3166-1 alpha-2 country code", cc ? cc : "?");
		if (config_setting_type(e) != CONFIG_TYPE_INT || config_setting_get_int(e) < 0)
			FAIL(e, "sampling.countries.%s: a rate, 1-in-N, 0 for off", cc);
		if (sp->ncountry == (int)(sizeof(sp->country) / sizeof(sp->country[0])))
			FAIL(e, "sampling.countries: too many");
		sp->country[sp->ncountry].cls = gf_class_from_cc(cc);
		sp->country[sp->ncountry].rate = config_setting_get_int(e);
		sp->ncountry++;
	}
out:
	return ret;
}

static int parse_sampling_key(config_setting_t *s, const struct cfg_file *c, struct gf_sampling *sp, char *err,
			      size_t errlen)
{
	const char *str = config_setting_get_string(s);
	int ret = 0;

	if (!str || strlen(str) != 32)
		FAIL(s, "sampling.key is 32 hex digits (16 bytes)");
	for (int i = 0; i < 16; i++) {
		unsigned int b;

		if (!isxdigit((unsigned char)str[2 * i]) || !isxdigit((unsigned char)str[2 * i + 1]) ||
		    sscanf(str + 2 * i, "%2x", &b) != 1)
			FAIL(s, "sampling.key is 32 hex digits");
		sp->key[i] = b;
	}
	sp->has_key = 1;
out:
	return ret;
}

static int parse_sampling_thresholds(config_setting_t *s, const struct cfg_file *c, struct gf_sampling *sp,
				     char *err, size_t errlen)
{
	int ret = 0;

	if (!config_setting_is_group(s))
		FAIL(s, "sampling.thresholds is a group: { ssn = 100000; genomic = 100; }");
	for (int i = 0; i < config_setting_length(s); i++) {
		config_setting_t *e = config_setting_get_elem(s, i);
		int cat = gf_dlp_cat_from_name(config_setting_name(e) ?: "");

		if (cat < 0)
			FAIL(e, "sampling.thresholds: '%s' is not a category (ssn, payment_card, "
			     "genomic, ...: see docs/dlp.md)", config_setting_name(e));
		if (config_setting_type(e) != CONFIG_TYPE_INT || config_setting_get_int(e) < 1)
			FAIL(e, "sampling.thresholds.%s: a number of persons, 1 or more", config_setting_name(e));
		sp->threshold[cat] = config_setting_get_int(e);
	}
out:
	return ret;
}

static int parse_sampling_into(config_t *cfg, const char *path, struct gf_sampling *sp, char *err,
			       size_t errlen)
{
	const struct cfg_file file = { path }, *c = &file;
	config_setting_t *s;
	double d;
	int ret = 0, v;

	if (config_lookup_int(cfg, "sampling.rate", &v)) {
		if (v < 0)
			FAIL(config_lookup(cfg, "sampling.rate"), "sampling.rate is 1-in-N: 0 (off) or more");
		sp->rate = v;
	}
	if (config_lookup_int(cfg, "sampling.bytes", &v)) {
		if (v < 1 || v > GF_SAMPLE_MAX)
			FAIL(config_lookup(cfg, "sampling.bytes"), "sampling.bytes must be 1 to %d",
			     GF_SAMPLE_MAX);
		sp->bytes = v;
	}
	if ((s = config_lookup(cfg, "sampling.countries")) &&
	    (ret = parse_sampling_countries(s, c, sp, err, errlen)))
		goto out;
	if ((s = config_lookup(cfg, "sampling.key")) && (ret = parse_sampling_key(s, c, sp, err, errlen)))
		goto out;
	if (config_lookup_int(cfg, "sampling.monitor_rate", &v)) {
		if (v < 0)
			FAIL(config_lookup(cfg, "sampling.monitor_rate"), "sampling.monitor_rate is 1-in-N "
			     "where the action is monitor: 1 (every packet, exact counts), more, or 0 (off)");
		sp->monitor_rate = v;
	}
	if (config_lookup_int(cfg, "sampling.max_per_second", &v)) {
		if (v < 0)
			FAIL(config_lookup(cfg, "sampling.max_per_second"), "sampling.max_per_second: "
			     "samples per CPU and second, 0 for no limit");
		sp->max_per_second = v;
	}
	if (config_lookup_int(cfg, "sampling.window_days", &v)) {
		if (v < 1 || v > 3650)
			FAIL(config_lookup(cfg, "sampling.window_days"), "sampling.window_days: 1 to 3650");
		sp->window_days = v;
	}
	if (config_lookup_int(cfg, "sampling.buckets", &v)) {
		if (v < 1 || v > GF_DLP_BUCKETS_MAX)
			FAIL(config_lookup(cfg, "sampling.buckets"), "sampling.buckets: 1 to %d slices "
			     "of the window", GF_DLP_BUCKETS_MAX);
		sp->buckets = v;
	}
	if (sp->buckets > sp->window_days)
		sp->buckets = sp->window_days;
	if (config_lookup_float(cfg, "sampling.alert_fraction", &d)) {
		if (!(d > 0 && d <= 1))
			FAIL(config_lookup(cfg, "sampling.alert_fraction"), "sampling.alert_fraction: "
			     "above 0, at most 1 (0.5: alert at half a threshold)");
		sp->alert_fraction = d;
	}
	if ((s = config_lookup(cfg, "sampling.thresholds")))
		ret = parse_sampling_thresholds(s, c, sp, err, errlen);
out:
	return ret;
}

static int overrides_push(struct gf_config *c, struct gf_override **o)
{
	struct gf_override *p;

	if (c->noverrides >= GF_MAX_OVERRIDES)
		return -E2BIG;
	p = realloc(c->overrides, (c->noverrides + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	c->overrides = p;
	*o = &p[c->noverrides];
	memset(*o, 0, sizeof(**o));
	return 0;
}

int gf_overrides_parse(const char *text, size_t len, const char *path, struct gf_config *c, char *err,
		       size_t errlen)
{
	size_t pos = 0;
	int line = 0;

	while (pos < len) {
		size_t end = pos;
		char buf[512], *cidr, *act, *save = NULL, *rest, where[PATH_MAX + 32], actbuf[96];
		struct gf_override *o;
		long long expires = 0;
		int ret;

		while (end < len && text[end] != '\n')
			end++;
		line++;
		snprintf(where, sizeof(where), "%s:%d", path, line);
		if (end - pos >= sizeof(buf)) {
			snprintf(err, errlen, "%s: line longer than %zu characters", where, sizeof(buf) - 1);
			return -EINVAL;
		}
		memcpy(buf, text + pos, end - pos);
		buf[end - pos] = 0;
		pos = end + 1;
		if (strchr(buf, '#') && (strchr(buf, '#') == buf || isspace((unsigned char)strchr(buf, '#')[-1])))
			*strchr(buf, '#') = 0;	/* a comment: the line's start, or after a blank */
		for (char *q = buf; *q; q++)
			if ((unsigned char)*q < 0x20 && *q != '\t' && *q != '\r') {
				snprintf(err, errlen, "%s: a control character: is this a text file?", where);
				return -EINVAL;
			}
		cidr = strtok_r(buf, " \t\r", &save);
		if (!cidr)
			continue;
		act = strtok_r(NULL, " \t\r", &save);
		if (!act) {
			snprintf(err, errlen, "%s: \"%s\" needs an action: CIDR allow|deny|monitor|redirect "
				 "IFNAME [reason...]", where, cidr);
			return -EINVAL;
		}
		snprintf(actbuf, sizeof(actbuf), "%s", act);
		if (!strcmp(act, "redirect")) {
			char *ifn = strtok_r(NULL, " \t\r", &save);

			snprintf(actbuf, sizeof(actbuf), "redirect %s", ifn ? ifn : "");
		}
		rest = save ? save + strspn(save, " \t") : NULL;
		if (rest && !strncmp(rest, "expires=", 8)) {
			char *tok = strtok_r(NULL, " \t\r", &save);

			if (parse_expiry(tok + 8, &expires)) {
				snprintf(err, errlen, "%s: %s: a date, expires=2027-01-31 (in force through that day, "
					 "UTC) or expires=2027-01-31T18:00:00Z", where, tok);
				return -EINVAL;
			}
			rest = save ? save + strspn(save, " \t") : NULL;
		}
		ret = overrides_push(c, &o);
		if (ret) {
			snprintf(err, errlen, "%s: %s", where, ret == -E2BIG ? "more overrides than the "
				 "datapath has classes for" : strerror(-ret));
			return ret;
		}
		ret = override_set(o, cidr, actbuf, where, err, errlen);
		if (ret)
			return ret;
		snprintf(o->rule.origin, sizeof(o->rule.origin), "%.4000s", where);
		if (rest && *rest) {
			size_t k = strcspn(rest, "\r");

			while (k && (rest[k - 1] == ' ' || rest[k - 1] == '\t'))
				k--;	/* the blanks before a comment */
			rest[k] = 0;
			snprintf(o->reason, sizeof(o->reason), "%s", rest);
		}
		o->expires = expires;
		if (expired(c, o, cidr)) {
			memset(o, 0, sizeof(*o));
			continue;
		}
		c->noverrides++;
	}
	return 0;
}

static int override_file(const char *text, size_t len, const char *path, void *ctx, char *err,
			 size_t errlen)
{
	return gf_overrides_parse(text, len, path, ctx, err, errlen);
}

/* A path from the configuration: a relative one is relative to the configuration file. */
static void beside_config(const char *config, const char *path, char *out, size_t len)
{
	const char *slash = strrchr(config, '/');

	if (path[0] == '/' || !slash)
		snprintf(out, len, "%s", path);
	else
		snprintf(out, len, "%.*s/%s", (int)(slash - config), config, path);
}

/* interfaces: the LAN side (XDP) and the WAN side (tc egress), and the XDP mode */
static int parse_interfaces(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	const char *path = c->path;
	config_setting_t *s;
	const char *str;
	int ret = 0;

	if ((ret = iface_list(cfg, "interfaces.lan", c->lan, &c->nlan, c, err, errlen)) ||
	    (ret = iface_list(cfg, "interfaces.wan", c->wan, &c->nwan, c, err, errlen)))
		goto out;
	if (!c->nlan && !c->nwan) {
		snprintf(err, errlen, "%s: no interfaces: set interfaces.lan (XDP, the LAN-facing "
			 "side) and/or interfaces.wan (tc egress, the gateway's own traffic)", path);
		ret = -EINVAL;
		goto out;
	}
	for (int i = 0; i < c->nlan; i++)
		for (int k = 0; k < c->nwan; k++)
			if (!strcmp(c->lan[i], c->wan[k])) {
				snprintf(err, errlen, "%s: '%s' is both a lan and a wan interface", path,
					 c->lan[i]);
				ret = -EINVAL;
				goto out;
			}
	if ((s = config_lookup(cfg, "interfaces.xdp_mode"))) {
		str = config_setting_get_string(s);
		if (!str || (strcmp(str, "auto") && strcmp(str, "native") && strcmp(str, "generic")))
			FAIL(s, "interfaces.xdp_mode must be \"auto\", \"native\" or \"generic\"");
		c->xdp_mode = !strcmp(str, "native") ? GF_XDP_NATIVE :
			      !strcmp(str, "generic") ? GF_XDP_GENERIC : GF_XDP_AUTO;
	}
out:
	return ret;
}

/* policy: the country lists' directory, the rules, monitor mode, source routes */
static int parse_policy(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	const char *path = c->path;
	config_setting_t *s;
	const char *str;
	int b;
	int ret = 0;

	if (!config_lookup_string(cfg, "policy.countries", &str)) {
		snprintf(err, errlen, "%s: policy.countries is missing: the directory of *.list "
			 "files, e.g. \"/etc/geofence/countries.d\"", path);
		ret = -EINVAL;
		goto out;
	}
	beside_config(path, str, c->countries_dir, sizeof(c->countries_dir));
	if ((ret = rule_setting(cfg, "policy.default", &c->default_rule, "pass", c, err, errlen)) ||
	    (ret = rule_setting(cfg, "policy.unknown", &c->unknown_rule, "pass", c, err, errlen)) ||
	    (ret = rule_setting(cfg, "policy.reserved", &c->reserved_rule, "pass", c, err, errlen)))
		goto out;
	if (config_lookup_bool(cfg, "policy.monitor", &b))
		c->monitor = b;
	if ((s = config_lookup(cfg, "policy.source_route"))) {
		str = config_setting_get_string(s);
		if (!str || (strcmp(str, "classify") && strcmp(str, "drop")))
			FAIL(s, "policy.source_route must be \"classify\" (every hop of an IPv4 source route "
				"or IPv6 routing header is classified, the strictest wins) or \"drop\"");
		c->source_route_drop = !strcmp(str, "drop");
	}
out:
	return ret;
}

/* ---------------------------------------------------------------------
 * scopes = ( { name = "research"; sources = [ "10.20.0.0/16" ]; interfaces = [ "lan2" ];
 *              vlans = [ 30 ]; default = "drop"; monitor = true;
 *              countries = ( "CN pass", { country = "RU"; action = "pass"; expires = "2027-01-31";
 *                                         reason = "ticket 4711"; } ); } );
 */
static int scope_name_ok(const char *n)
{
	size_t len = strlen(n);

	if (!len || len >= GF_SCOPE_NAME_LEN || !strcmp(n, "default"))
		return 0;
	for (const char *p = n; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_' && *p != '-')
			return 0;
	return 1;
}

/* One of a scope's countries: "CC ACTION [IFNAME]" or { country; action; reason; expires; } */
static int scope_country(config_setting_t *e, struct gf_scope_cfg *sc, struct gf_config *c, char *err,
			 size_t errlen)
{
	const char *cc = NULL, *act = NULL, *reason = NULL, *exp = NULL;
	struct gf_scope_rule *r = &sc->rules[sc->nrules];
	char buf[128], *sp;
	int ret = 0, cls;

	memset(r, 0, sizeof(*r));
	if (config_setting_type(e) == CONFIG_TYPE_STRING) {
		snprintf(buf, sizeof(buf), "%s", config_setting_get_string(e));
		sp = strchr(buf, ' ');
		if (sp) {
			*sp = 0;
			act = sp + 1 + strspn(sp + 1, " ");
		}
		cc = buf;
	} else if (config_setting_is_group(e)) {
		config_setting_lookup_string(e, "country", &cc);
		config_setting_lookup_string(e, "action", &act);
		config_setting_lookup_string(e, "reason", &reason);
		config_setting_lookup_string(e, "expires", &exp);
	}
	if (!cc || !act)
		FAIL(e, "scope %s: each country is \"CC ACTION\" or { country = \"CN\"; action = \"pass\"; "
			"expires = \"2027-01-31\"; reason = \"...\"; }", sc->name);
	r->asn = gf_asn_parse(cc);
	cls = r->asn ? 0 : gf_class_from_cc(cc);
	if (!r->asn && (cls < 0 || strlen(cc) != 2))
		FAIL(e, "scope %s: '%s' is not a two-letter country code (ISO 3166-1 alpha-2, upper case) "
		     "or an AS (AS13335)", sc->name, cc);
	if (parse_rule(act, &r->rule))
		FAIL(e, "scope %s: %s: action \"%s\": expected pass, drop, monitor or redirect IFNAME", sc->name,
		     cc, act);
	origin(e, c->path, r->rule.origin, sizeof(r->rule.origin));
	for (int k = 0; k < sc->nrules; k++)
		if (sc->rules[k].cls == cls && sc->rules[k].asn == r->asn)
			FAIL(e, "scope %s: %s is named twice (also at %s): keep one", sc->name, cc,
			     sc->rules[k].rule.origin);
	r->cls = cls;
	if (reason)
		snprintf(r->reason, sizeof(r->reason), "%s", reason);
	if (exp && parse_expiry(exp, &r->expires))
		FAIL(e, "scope %s: %s: expires = \"%s\": a date, \"2027-01-31\" (in force through that day, "
			"UTC) or \"2027-01-31T18:00:00Z\"", sc->name, cc, exp);
	if (r->expires && r->expires <= time(NULL)) {
		char what[64];

		snprintf(what, sizeof(what), "scope %s: %s", sc->name, cc);	/* as written: CN, AS13335 */
		c->nexpired++;
		if (strlen(c->expired) < sizeof(c->expired) - 200)
			snprintf(c->expired + strlen(c->expired), sizeof(c->expired) - strlen(c->expired),
				 "%s%s (%s %s)", c->expired[0] ? ", " : "", r->rule.origin, what,
				 gf_action_name(r->rule.action));
		return 0;
	}
	sc->nrules++;
out:
	return ret;
}

static int scope_rule(config_setting_t *g, const char *key, struct gf_scope_cfg *sc, struct gf_rule *r,
		      struct gf_config *c, char *err, size_t errlen)
{
	config_setting_t *s = config_setting_get_member(g, key);
	int ret = 0;

	r->action = -1;
	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING || parse_rule(config_setting_get_string(s), r))
		FAIL(s, "scope %s: %s must be \"pass\", \"drop\", \"monitor\" or \"redirect IFNAME\"",
		     sc->name, key);
	origin(s, c->path, r->origin, sizeof(r->origin));
out:
	return ret;
}

static int parse_scope(config_setting_t *g, struct gf_scope_cfg *sc, struct gf_config *c, char *err,
		       size_t errlen)
{
	config_setting_t *s;
	const char *name = NULL;
	int ret = 0, b;

	memset(sc, 0, sizeof(*sc));
	sc->monitor = -1;
	origin(g, c->path, sc->origin, sizeof(sc->origin));
	if (!config_setting_is_group(g) || !config_setting_lookup_string(g, "name", &name))
		FAIL(g, "scopes: each scope is a group with a name: { name = \"research\"; sources = "
			"[ \"10.20.0.0/16\" ]; countries = ( \"CN pass\" ); }");
	if (!scope_name_ok(name))
		FAIL(g, "scopes: name \"%s\": 1 to %d characters of a-z, 0-9, _ and -, and not \"default\"",
		     name, GF_SCOPE_NAME_LEN - 1);
	snprintf(sc->name, sizeof(sc->name), "%s", name);
	if ((s = config_setting_get_member(g, "sources"))) {
		int n = config_setting_length(s);

		if (!config_setting_is_array(s) && !config_setting_is_list(s))
			FAIL(s, "scope %s: sources must be a list of prefixes: [ \"10.20.0.0/16\" ]", name);
		sc->src = calloc(n ? n : 1, sizeof(*sc->src));
		if (!sc->src)
			return -ENOMEM;
		for (int i = 0; i < n; i++) {
			const char *p = config_setting_get_string_elem(s, i);
			struct gf_override tmp = { 0 };
			char why[300];

			if (!p)
				FAIL(s, "scope %s: sources: element %d is not a string", name, i + 1);
			if (override_set(&tmp, p, "pass", "sources", why, sizeof(why)))
				FAIL(s, "scope %s: %s", name, why);
			sc->src[sc->nsrc++] = (struct gf_prefix){ tmp.family, tmp.addr, tmp.len };
		}
	}
	if ((s = config_setting_get_member(g, "interfaces"))) {
		if (!config_setting_is_array(s) && !config_setting_is_list(s))
			FAIL(s, "scope %s: interfaces must be a list of names: [ \"lan2\" ]", name);
		for (int i = 0; i < config_setting_length(s); i++) {
			const char *n = config_setting_get_string_elem(s, i);

			if (!n || !*n || strlen(n) >= IF_NAMESIZE || sc->niface == GF_MAX_IFACES)
				FAIL(s, "scope %s: interfaces: element %d is not an interface name (at most %d)", name,
				     i + 1, GF_MAX_IFACES);
			snprintf(sc->iface[sc->niface++], IF_NAMESIZE, "%s", n);
		}
	}
	if ((s = config_setting_get_member(g, "vlans"))) {
		if (!config_setting_is_array(s) && !config_setting_is_list(s))
			FAIL(s, "scope %s: vlans must be a list of VLAN ids: [ 30, 31 ]", name);
		for (int i = 0; i < config_setting_length(s); i++) {
			config_setting_t *e = config_setting_get_elem(s, i);
			long long v = config_setting_type(e) == CONFIG_TYPE_INT ||
				      config_setting_type(e) == CONFIG_TYPE_INT64 ? config_setting_get_int64(e) : -1;

			if (v < 1 || v > 4094 || sc->nvlan == GF_SCOPE_VLANS_MAX)
				FAIL(s, "scope %s: vlans: element %d is not a VLAN id from 1 to 4094 (at most %d)",
				     name, i + 1, GF_SCOPE_VLANS_MAX);
			sc->vlan[sc->nvlan++] = v;
		}
	}
	if (!sc->nsrc && !sc->niface && !sc->nvlan)
		FAIL(g, "scope %s: no sources, interfaces or vlans: which senders does it hold?", name);
	if ((ret = scope_rule(g, "default", sc, &sc->default_rule, c, err, errlen)) ||
	    (ret = scope_rule(g, "unknown", sc, &sc->unknown_rule, c, err, errlen)) ||
	    (ret = scope_rule(g, "reserved", sc, &sc->reserved_rule, c, err, errlen)))
		goto out;
	if (config_setting_lookup_bool(g, "monitor", &b))
		sc->monitor = b;
	if ((s = config_setting_get_member(g, "countries"))) {
		int n = config_setting_length(s);

		if (!config_setting_is_list(s) && !config_setting_is_array(s))
			FAIL(s, "scope %s: countries must be a list: ( \"CN pass\", { country = \"RU\"; action = "
				"\"monitor\"; } )", name);
		sc->rules = calloc(n ? n : 1, sizeof(*sc->rules));
		if (!sc->rules)
			return -ENOMEM;
		for (int i = 0; i < n && !ret; i++)
			ret = scope_country(config_setting_get_elem(s, i), sc, c, err, errlen);
	}
out:
	return ret;
}

const char *gf_scope_rule_name(const struct gf_scope_rule *r, char *buf, size_t len)
{
	if (r->asn)
		snprintf(buf, len, "AS%u", r->asn);
	else
		gf_class_name(r->cls, buf, len);
	return buf;
}

void gf_scope_selects(const struct gf_scope_cfg *sc, char *out, size_t len)
{
	size_t n = 0;

	out[0] = 0;
	for (int i = 0; i < sc->nsrc && n < len; i++) {
		char a[64];

		n += snprintf(out + n, len - n, "%s%s/%d", n ? " " : "",
			      gf_addr_str(sc->src[i].family, sc->src[i].addr, a, sizeof(a)), sc->src[i].len);
	}
	for (int i = 0; i < sc->nvlan && n < len; i++)
		n += snprintf(out + n, len - n, "%svlan %u", n ? " " : "", sc->vlan[i]);
	for (int i = 0; i < sc->niface && n < len; i++)
		n += snprintf(out + n, len - n, "%sinterface %s", n ? " " : "", sc->iface[i]);
}

/* Two scopes may not claim the same senders: the same prefix, VLAN or interface. */
static int scopes_disjoint(config_setting_t *list, struct gf_config *c, char *err, size_t errlen)
{
	int ret = 0, n4 = 0, n6 = 0;

	for (int a = 0; a < c->nscopes; a++) {
		const struct gf_scope_cfg *x = &c->scopes[a];

		for (int i = 0; i < x->nsrc; i++)
			*(x->src[i].family == 4 ? &n4 : &n6) += 1;
		for (int b = 0; b <= a; b++) {
			const struct gf_scope_cfg *y = &c->scopes[b];

			if (a != b && !strcmp(x->name, y->name))
				FAIL(config_setting_get_elem(list, a), "scope %s is defined twice (also at %s)",
				     x->name, y->origin);
			for (int i = 0; i < x->nsrc; i++)
				for (int j = 0; j < (a == b ? i : y->nsrc); j++)
					if (x->src[i].family == y->src[j].family && x->src[i].len == y->src[j].len &&
					    x->src[i].addr == y->src[j].addr) {
						char t[64];

						FAIL(config_setting_get_elem(list, a), "scopes %s and %s both hold %s/%d: "
						     "a sender belongs to one scope", x->name, y->name,
						     gf_addr_str(x->src[i].family, x->src[i].addr, t, sizeof(t)),
						     x->src[i].len);
					}
			for (int i = 0; i < x->nvlan; i++)
				for (int j = 0; j < (a == b ? i : y->nvlan); j++)
					if (x->vlan[i] == y->vlan[j])
						FAIL(config_setting_get_elem(list, a), "scopes %s and %s both hold "
						     "VLAN %u: a sender belongs to one scope", x->name, y->name, x->vlan[i]);
			for (int i = 0; i < x->niface; i++)
				for (int j = 0; j < (a == b ? i : y->niface); j++)
					if (!strcmp(x->iface[i], y->iface[j]))
						FAIL(config_setting_get_elem(list, a), "scopes %s and %s both hold "
						     "interface %s: a sender belongs to one scope", x->name, y->name,
						     x->iface[i]);
		}
	}
	if (n4 > (int)GF_SCOPE_PREFIXES || n6 > (int)GF_SCOPE_PREFIXES)
		FAIL(list, "scopes: %d IPv4 and %d IPv6 source prefixes, at most %u of each", n4, n6,
		     GF_SCOPE_PREFIXES);
out:
	return ret;
}

static int parse_scopes(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	config_setting_t *list = config_lookup(cfg, "scopes");
	int ret = 0, n;

	if (!list)
		return 0;
	if (!config_setting_is_list(list))
		FAIL(list, "scopes must be a list of groups: ( { name = \"research\"; sources = "
			   "[ \"10.20.0.0/16\" ]; countries = ( \"CN pass\" ); } )");
	n = config_setting_length(list);
	if (n > (int)GF_MAX_SCOPES - 1)
		FAIL(list, "scopes: %d of them, at most %u", n, GF_MAX_SCOPES - 1);
	for (int i = 0; i < n && !ret; i++) {
		ret = parse_scope(config_setting_get_elem(list, i), &c->scopes[i], c, err, errlen);
		c->nscopes = i + 1;	/* freed with the configuration, also half-parsed */
	}
	if (!ret)
		ret = scopes_disjoint(list, c, err, errlen);
out:
	return ret;
}

/* overrides.d: CIDR lists pushed like the country lists; by default next to the configuration, then optional */
static int parse_overrides_dir(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	const char *str;
	int explicit = config_lookup_string(cfg, "policy.overrides_dir", &str);

	beside_config(c->path, explicit ? str : "overrides.d", c->overrides_dir, sizeof(c->overrides_dir));
	if (!explicit && access(c->overrides_dir, F_OK))
		c->overrides_dir[0] = 0;
	if (!c->overrides_dir[0])
		return 0;
	return gf_lists_each(c->overrides_dir, "override lists", override_file, c, err, errlen);
}

/* metrics: the listener, its TLS and basic auth */
static int parse_metrics(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	const char *path = c->path;
	const char *str;
	int ret = 0;

	if (config_lookup_string(cfg, "metrics.listen", &str) &&
	    copy_str(c->metrics_listen, sizeof(c->metrics_listen), str))
		FAIL(config_lookup(cfg, "metrics.listen"), "metrics.listen is too long");
	{
		/* TLS and basic auth for a listener beyond loopback; paths relative to this file */
		static const char *const keys[] = { "metrics.tls_cert", "metrics.tls_key", "metrics.password_file" };
		char *dst[] = { c->metrics_tls_cert, c->metrics_tls_key, c->metrics_password_file };

		for (int k = 0; k < 3; k++)
			if (config_lookup_string(cfg, keys[k], &str))
				beside_config(path, str, dst[k], PATH_MAX);
		if (config_lookup_string(cfg, "metrics.user", &str) &&
		    (!str[0] || strchr(str, ':') || copy_str(c->metrics_user, sizeof(c->metrics_user), str)))
			FAIL(config_lookup(cfg, "metrics.user"), "metrics.user: a name without ':', up to %zu characters",
			     sizeof(c->metrics_user) - 1);
		if (!c->metrics_tls_cert[0] != !c->metrics_tls_key[0])
			FAIL(config_lookup(cfg, "metrics"), "metrics: tls_cert and tls_key go together");
		if (!c->metrics_user[0] != !c->metrics_password_file[0])
			FAIL(config_lookup(cfg, "metrics"), "metrics: user and password_file go together");
	}
out:
	return ret;
}

/*
 * An integer setting, if there is one, within [lo, hi] into *out: 1 read,
 * 0 absent, -EINVAL with "FILE:LINE: KEY: why" in err (why says the range).
 */
static int int_setting(config_t *cfg, const char *path, const char *key, long long lo, long long hi,
		       const char *why, __u32 *out, char *err, size_t errlen)
{
	const struct cfg_file file = { path }, *c = &file;
	config_setting_t *s = config_lookup(cfg, key);
	long long v;
	int ret = 1;

	if (!s)
		return 0;
	v = config_setting_get_int64(s);
	if ((config_setting_type(s) != CONFIG_TYPE_INT && config_setting_type(s) != CONFIG_TYPE_INT64) ||
	    v < lo || v > hi)
		FAIL(s, "%s: %s", key, why);
	*out = v;
out:
	return ret;
}

/* flows.collectors: where the IPFIX records go */
static int parse_collectors(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	config_setting_t *s = config_lookup(cfg, "flows.collectors");
	char why[400];
	int ret = 0;

	if (!s)
		return 0;
	if (!config_setting_is_array(s) && !config_setting_is_list(s))
		FAIL(s, "flows.collectors is a list: [ \"udp://192.0.2.9:4739\", \"tcp://[2001:db8::9]:4739\" ]");
	for (int i = 0; i < config_setting_length(s); i++) {
		const char *url = config_setting_get_string_elem(s, i);

		if (!url)
			FAIL(s, "flows.collectors: element %d is not a string", i + 1);
		if (gf_ipfix_check_url(url, why, sizeof(why)))
			FAIL(s, "flows.collectors: %s", why);
		if (c->flows.ncollectors == GF_MAX_COLLECTORS)
			FAIL(s, "flows.collectors: at most %d collectors", GF_MAX_COLLECTORS);
		for (int j = 0; j < c->flows.ncollectors; j++)
			if (!strcmp(c->flows.collector[j], url))
				FAIL(s, "flows.collectors: %s is named twice", url);
		snprintf(c->flows.collector[c->flows.ncollectors++], sizeof(c->flows.collector[0]), "%s", url);
	}
out:
	return ret;
}

/* flows: what the datapath records beyond the per-country counters */
static int parse_flows(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	config_setting_t *s;
	int ret = 0, v;

	if (config_lookup_bool(cfg, "flows.enabled", &v))
		c->flows.enabled = v;
	if ((ret = int_setting(cfg, c->path, "flows.max_entries", 1024, 1 << 24, "1024 to 16777216 flows "
			       "(about 150 bytes of kernel memory each)", &c->flows.max_entries, err, errlen)) < 0 ||
	    (ret = int_setting(cfg, c->path, "flows.max_new_per_second", 0, UINT32_MAX, "new flows recorded "
			       "per CPU and second, 0 for no limit", &c->flows.max_new_per_second, err, errlen)) < 0 ||
	    (ret = int_setting(cfg, c->path, "flows.active_timeout", 1, 86400, "seconds between two records of "
			       "a flow that goes on, 1 to 86400", &c->flows.active_timeout, err, errlen)) < 0 ||
	    (ret = int_setting(cfg, c->path, "flows.idle_timeout", 1, 86400, "seconds of silence that end a "
			       "flow, 1 to 86400", &c->flows.idle_timeout, err, errlen)) < 0 ||
	    (ret = int_setting(cfg, c->path, "flows.observation_domain", 0, UINT32_MAX, "the IPFIX observation "
			       "domain id, 0 to 4294967295", &c->flows.observation_domain, err, errlen)) < 0 ||
	    (ret = parse_collectors(cfg, c, err, errlen)) < 0)
		return ret;
	ret = 0;
	if ((s = config_lookup(cfg, "flows.countries"))) {
		if (!config_setting_is_array(s) && !config_setting_is_list(s))
			FAIL(s, "flows.countries is a list of country codes: [ \"US\", \"DE\" ]");
		for (int i = 0; i < config_setting_length(s); i++) {
			const char *cc = config_setting_get_string_elem(s, i);

			if (!cc || gf_class_from_cc(cc) < 0 || !gf_country_name(cc))
				FAIL(s, "flows.countries: '%s' is not an ISO 3166-1 alpha-2 country code",
				     cc ? cc : "(not a string)");
			if (c->flows.ncountry == (int)(sizeof(c->flows.country) / sizeof(c->flows.country[0])))
				FAIL(s, "flows.countries: too many");
			c->flows.country[c->flows.ncountry++] = gf_class_from_cc(cc);
		}
	}
out:
	return ret;
}

/* events: where the new-flow events go, and how many */
static int parse_events(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	static const char *const outputs[] = { "auto", "journal", "stderr", "syslog", "off" };
	const char *str;
	int ret = 0, k;

	if (config_lookup_string(cfg, "events.output", &str)) {
		for (k = 0; k < 5 && strcmp(outputs[k], str); k++)
			;
		if (k == 5)
			FAIL(config_lookup(cfg, "events.output"), "events.output: auto, journal, stderr, syslog "
			     "or off, not '%s'", str);
		c->events.output = k;
	}
	ret = int_setting(cfg, c->path, "events.max_per_second", 0, UINT32_MAX, "events a second, 0 for no limit",
			  &c->events.max_per_second, err, errlen);
out:
	return ret < 0 ? ret : 0;
}

/* state directories and the boot guard's mode */
static int parse_paths(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	const char *str;
	int ret = 0;

	if (config_lookup_string(cfg, "state.pin_dir", &str) &&
	    (str[0] != '/' || copy_str(c->pin_dir, sizeof(c->pin_dir), str)))
		FAIL(config_lookup(cfg, "state.pin_dir"), "state.pin_dir must be an absolute path "
			"on a bpf filesystem");
	if (config_lookup_string(cfg, "state.run_dir", &str) &&
	    (str[0] != '/' || copy_str(c->run_dir, sizeof(c->run_dir), str)))
		FAIL(config_lookup(cfg, "state.run_dir"), "state.run_dir must be an absolute path");
	if (config_lookup_string(cfg, "state.dir", &str) &&
	    (str[0] != '/' || copy_str(c->state_dir, sizeof(c->state_dir), str)))
		FAIL(config_lookup(cfg, "state.dir"), "state.dir must be an absolute path on a disk "
		     "that survives a reboot (/var/lib/geofence)");
	if (config_lookup_string(cfg, "guard.mode", &str)) {
		if (strcmp(str, "all") && strcmp(str, "classes"))
			FAIL(config_lookup(cfg, "guard.mode"), "guard.mode: \"all\" (the boot guard "
			     "forwards nothing) or \"classes\" (it drops what the last policy dropped)");
		c->guard_classes = !strcmp(str, "classes");
	}
out:
	return ret;
}

/* update: where the agent fetches its GeoIP database; geoip.max_age_days */
static int parse_update(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	int v;
	int ret = 0;

	c->upd_max_bytes = 512ll << 20;
	if (config_lookup(cfg, "update")) {
		const char *u;
		long long big;

		if (config_lookup_string(cfg, "update.url", &u) &&
		    (strncmp(u, "https://", 8) || copy_str(c->upd_url, sizeof(c->upd_url), u)))
			FAIL(config_lookup(cfg, "update.url"), "update.url: an https:// URL of an MMDB file "
			     "(.mmdb or .mmdb.gz); plain http is refused");
		if (config_lookup_string(cfg, "update.sha256_url", &u) &&
		    (strncmp(u, "https://", 8) || copy_str(c->upd_sha256_url, sizeof(c->upd_sha256_url), u)))
			FAIL(config_lookup(cfg, "update.sha256_url"), "update.sha256_url: an https:// URL");
		if (config_lookup_string(cfg, "update.sha256", &u)) {
			int ok = strlen(u) == 64;

			for (int k = 0; ok && k < 64; k++)
				ok = isxdigit((unsigned char)u[k]);
			if (!ok)
				FAIL(config_lookup(cfg, "update.sha256"), "update.sha256: 64 hex digits");
			for (int k = 0; k <= 64; k++)
				c->upd_sha256[k] = tolower((unsigned char)u[k]);
		}
		if (config_lookup_string(cfg, "update.path", &u) &&
		    (u[0] != '/' || copy_str(c->upd_path, sizeof(c->upd_path), u)))
			FAIL(config_lookup(cfg, "update.path"), "update.path: the absolute path of the MMDB "
			     "the agent reads (one of geoip.sources)");
		if (config_lookup_string(cfg, "update.ca_file", &u) && copy_str(c->upd_ca, sizeof(c->upd_ca), u))
			FAIL(config_lookup(cfg, "update.ca_file"), "update.ca_file: a path");
		if (config_lookup_int64(cfg, "update.max_bytes", &big)) {
			if (big < 1024)
				FAIL(config_lookup(cfg, "update.max_bytes"), "update.max_bytes: at least 1024");
			c->upd_max_bytes = big;
		}
		if (c->upd_url[0] && !c->upd_path[0])
			FAIL(config_lookup(cfg, "update"), "update: url needs path, the MMDB file among "
			     "geoip.sources that it replaces");
		if (c->upd_path[0]) {
			int found = 0;

			for (int k = 0; k < c->nsources; k++)
				found |= c->sources[k].kind == GF_GEO_MMDB && !strcmp(c->sources[k].path, c->upd_path);
			if (!found)
				FAIL(config_lookup(cfg, "update.path"), "update.path %s is not one of "
				     "geoip.sources' mmdb files: the agent would never read it", c->upd_path);
		}
	}
	if (config_lookup_int(cfg, "geoip.max_age_days", &v)) {
		if (v < 1 || v > 3650)
			FAIL(config_lookup(cfg, "geoip.max_age_days"), "geoip.max_age_days: 1 to 3650 (data "
			     "built longer ago than this is stale: the alert fires, status says so)");
		c->geo_max_age_days = v;
	}
out:
	return ret;
}

/* evidence: how long it is kept, where it is written and uploaded */
static int parse_evidence(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	const char *str;
	int v;
	int ret = 0;

	if (config_lookup_int(cfg, "state.evidence_days", &v)) {
		if (v < 366 || v > 3660)
			FAIL(config_lookup(cfg, "state.evidence_days"), "state.evidence_days: 366 to "
			     "3660 (the rule looks back 12 months: a year and a day at least)");
		c->evidence_days = v;
	}
	if (config_lookup_string(cfg, "evidence.postgres", &str) &&
	    copy_str(c->ev_postgres, sizeof(c->ev_postgres), str))
		FAIL(config_lookup(cfg, "evidence.postgres"), "evidence.postgres: a libpq connection "
		     "string of up to %zu characters", sizeof(c->ev_postgres) - 1);
	if (config_lookup_int(cfg, "evidence.write_interval", &v)) {
		if (v < 1 || v > 10)
			FAIL(config_lookup(cfg, "evidence.write_interval"), "evidence.write_interval: 1 to "
			     "10 seconds (what a crash can lose)");
		c->ev_write_interval = v;
	}
	if (config_lookup_int(cfg, "evidence.upload_interval", &v)) {
		if (v < 1 || v > 86400)
			FAIL(config_lookup(cfg, "evidence.upload_interval"), "evidence.upload_interval: "
			     "1 to 86400 seconds");
		c->ev_upload_interval = v;
	}
out:
	return ret;
}

/* state: the group that may read it, the table sizes */
static int parse_state(config_t *cfg, struct gf_config *c, char *err, size_t errlen)
{
	const char *str;
	int v;
	int ret = 0;

	c->state_gid = (gid_t)-1;
	if (config_lookup_string(cfg, "state.group", &str)) {
		struct group *g = getgrnam(str);

		if (!g || copy_str(c->state_group, sizeof(c->state_group), str))
			FAIL(config_lookup(cfg, "state.group"), "state.group '%s': no such group: "
			     "name an existing group (groupadd) or leave it out", str);
		c->state_gid = g->gr_gid;
	}
	if (config_lookup_int(cfg, "state.ipv4_nodes", &v)) {
		if (v < 1024 || v > (1 << 20))
			FAIL(config_lookup(cfg, "state.ipv4_nodes"), "state.ipv4_nodes must be "
				"1024 to 1048576");
		c->node4_cap = v;
	}
	if (config_lookup_int(cfg, "state.ipv6_nodes", &v)) {
		if (v < 1024 || v > (1 << 20))
			FAIL(config_lookup(cfg, "state.ipv6_nodes"), "state.ipv6_nodes must be "
				"1024 to 1048576");
		c->node6_cap = v;
	}
out:
	return ret;
}

/* The defaults of every setting that has one. */
static void config_defaults(struct gf_config *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	gf_geo_opts_default(&c->geo);
	c->sanity = (struct gf_sanity_opts){ GF_MAX_SHRINK_DEFAULT, GF_MIN_COVERAGE_DEFAULT };
	c->geo_max_age_days = 45;
	snprintf(c->pin_dir, sizeof(c->pin_dir), "/sys/fs/bpf/geofence");
	snprintf(c->run_dir, sizeof(c->run_dir), "/run/geofence");
	snprintf(c->state_dir, sizeof(c->state_dir), "/var/lib/geofence");
	c->evidence_days = 400;
	c->ev_upload_interval = 300;
	c->ev_write_interval = 10;
	snprintf(c->metrics_listen, sizeof(c->metrics_listen), "127.0.0.1:9847");
	c->xdp_mode = GF_XDP_AUTO;
	sampling_defaults(&c->sampling);
	c->flows.enabled = 1;
	c->flows.max_new_per_second = GF_FLOWS_NEW_PER_SECOND_DEFAULT;
	c->flows.active_timeout = GF_FLOWS_ACTIVE_TIMEOUT_DEFAULT;
	c->flows.idle_timeout = GF_FLOWS_IDLE_TIMEOUT_DEFAULT;
	c->events.max_per_second = GF_EVENTS_PER_SECOND_DEFAULT;
}

int gf_config_load(const char *path, struct gf_config *c, char *err, size_t errlen)
{
	static int (*const sections[])(config_t *, struct gf_config *, char *, size_t) = {
		parse_interfaces, parse_sources, parse_policy, parse_overrides, parse_scopes, parse_sampling,
		parse_overrides_dir, parse_metrics, parse_paths, parse_update, parse_evidence, parse_state,
		parse_flows, parse_events,
	};
	config_t cfg;
	int ret = 0;

	config_defaults(c, path);
	config_init(&cfg);
	if (!config_read_file(&cfg, path)) {
		int io = config_error_type(&cfg) == CONFIG_ERR_FILE_IO;

		if (io)
			snprintf(err, errlen, "%s: cannot read it: %s", path, strerror(errno));
		else
			snprintf(err, errlen, "%s:%d: %s", config_error_file(&cfg) ?: path,
				 config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		return io ? -ENOENT : -EINVAL;
	}
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]) && !ret; i++)
		ret = sections[i](&cfg, c, err, errlen);
	config_destroy(&cfg);
	if (ret)
		gf_config_free(c);
	return ret;
}

void gf_config_free(struct gf_config *c)
{
	for (int i = 0; i < c->nscopes; i++) {
		free(c->scopes[i].src);
		free(c->scopes[i].rules);
	}
	c->nscopes = 0;
	free(c->overrides);
	c->overrides = NULL;
	c->noverrides = 0;
}
