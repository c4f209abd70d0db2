// SPDX-License-Identifier: GPL-2.0
/*
 * The list directories an operator's config management pushes: the walker
 * over their *.list files (countries.d and overrides.d), and the country
 * list format.  The override format is the configuration's (gf_config.c).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gf_config.h"
#include "gf_file.h"
#include "gf_names.h"

/* ---------------------------------------------------------------------
 * countries.d: "CC ACTION [IFNAME]" per line, '#' comments; "AS13335 pass"
 * names an autonomous system (geoip.asn says which addresses it holds).
 */
__u32 gf_asn_parse(const char *s)
{
	char *end;
	unsigned long v;

	if ((s[0] != 'A' && s[0] != 'a') || (s[1] != 'S' && s[1] != 's') || !isdigit((unsigned char)s[2]))
		return 0;
	errno = 0;
	v = strtoul(s + 2, &end, 10);
	return *end || errno || !v || v > 0xffffffffUL ? 0 : v;
}

static int as_line(struct gf_countries *out, const char *word, int k, const char *act, const char *extra,
		   const char *name, size_t lineno, const char *text, char *err, size_t errlen)
{
	struct gf_rule r = { 0 };
	__u32 asn = gf_asn_parse(word);

	r.action = k >= 2 ? gf_action_parse(act) : -1;
	if (r.action < 0 || k == 4 || (r.action == GF_ACT_REDIRECT) != (k == 3) ||
	    (k == 3 && strlen(extra) >= IF_NAMESIZE)) {
		snprintf(err, errlen, "%s:%zu: '%s': expected 'AS%u ACTION' with ACTION one of drop, pass, "
			 "monitor, or 'redirect IFNAME'", name, lineno, text + strspn(text, " \t"), asn);
		return -EINVAL;
	}
	if (k == 3)
		strcpy(r.redirect, extra);
	snprintf(r.origin, sizeof(r.origin), "%s:%zu", name, lineno);
	for (int i = 0; i < out->nas; i++)
		if (out->as[i].asn == asn) {
			if (out->as[i].rule.action == r.action && !strcmp(out->as[i].rule.redirect, r.redirect))
				return 0;	/* a repeat keeps the first line */
			snprintf(err, errlen, "%s: AS%u is already set to %s at %s: one action per AS", r.origin, asn,
				 gf_action_name(out->as[i].rule.action), out->as[i].rule.origin);
			return -EINVAL;
		}
	if (out->nas == GF_MAX_AS_RULES) {
		snprintf(err, errlen, "%s: more than %d AS rules", r.origin, GF_MAX_AS_RULES);
		return -E2BIG;
	}
	out->as[out->nas].asn = asn;
	out->as[out->nas++].rule = r;
	return 0;
}

int gf_countries_parse(const char *buf, size_t len, const char *name, struct gf_countries *out,
		       char *err, size_t errlen)
{
	size_t pos = 0, lineno = 0;

	while (pos < len) {
		const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		char text[256], cc[16], act[32], extra[64], more[8];
		struct gf_rule r = { 0 };
		int cls, k;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (memchr(line, '#', n))
			n = (const char *)memchr(line, '#', n) - line;
		if (n >= sizeof(text) || memchr(line, '\0', n)) {
			snprintf(err, errlen, "%s:%zu: line too long or not text", name, lineno);
			return -EINVAL;
		}
		memcpy(text, line, n);
		text[n] = '\0';
		k = sscanf(text, "%15s %31s %63s %7s", cc, act, extra, more);
		if (k <= 0)
			continue;	/* blank */
		if (gf_asn_parse(cc)) {
			int ret = as_line(out, cc, k, act, extra, name, lineno, text, err, errlen);

			if (ret)
				return ret;
			continue;
		}
		cls = gf_class_from_cc(cc);
		if (cls < 0 || !gf_country_name(cc)) {
			snprintf(err, errlen, "%s:%zu: '%s' is not a country code: write the ISO 3166-1 "
				 "alpha-2 code (e.g. CN%s)", name, lineno, cc,
				 !strcasecmp(cc, "UK") ? "; the United Kingdom is GB" : "");
			return -EINVAL;
		}
		if (k < 2) {
			snprintf(err, errlen, "%s:%zu: %s has no action: write '%s drop' (or pass, "
				 "monitor, redirect IFNAME)", name, lineno, cc, cc);
			return -EINVAL;
		}
		r.action = gf_action_parse(act);
		if (r.action < 0 || k == 4 || (r.action == GF_ACT_REDIRECT) != (k == 3)) {
			snprintf(err, errlen, "%s:%zu: '%s': expected 'CC ACTION' with ACTION one of "
				 "drop, pass, monitor, or 'redirect IFNAME'", name, lineno,
				 text + strspn(text, " \t"));
			return -EINVAL;
		}
		if (k == 3 && strlen(extra) >= IF_NAMESIZE) {
			snprintf(err, errlen, "%s:%zu: '%s' is not an interface name", name, lineno,
				 extra);
			return -EINVAL;
		}
		if (k == 3)
			strcpy(r.redirect, extra);
		snprintf(r.origin, sizeof(r.origin), "%s:%zu", name, lineno);
		if (out->rule[cls].action >= 0 &&
		    (out->rule[cls].action != r.action || strcmp(out->rule[cls].redirect, r.redirect))) {
			char c2[8];

			snprintf(err, errlen, "%s: %s is already set to %s at %s: one action per "
				 "country", r.origin, gf_class_name(cls, c2, sizeof(c2)),
				 gf_action_name(out->rule[cls].action), out->rule[cls].origin);
			return -EINVAL;
		}
		if (out->rule[cls].action < 0)
			out->rule[cls] = r;	/* a repeat keeps the first line */
	}
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int list_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".list");
}

int gf_lists_each(const char *dir, const char *what, gf_list_fn fn, void *ctx, char *err, size_t errlen)
{
	struct dirent **ents;
	int n, ret = 0;

	n = scandir(dir, &ents, list_filter, by_name);
	if (n < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot read the %s: %s", dir, what, strerror(errno));
		return ret;
	}
	for (int i = 0; i < n && !ret; i++) {
		char path[PATH_MAX];
		struct stat st;
		char *map = NULL;
		size_t size = 0;
		int fd;

		snprintf(path, sizeof(path), "%.3800s/%.255s", dir, ents[i]->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st)) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			break;
		}
		/* read, not mapped: a list rewritten in place while we read it must not end the agent */
		ret = gf_file_read_fd(fd, &map, &size);
		close(fd);
		if (ret) {
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
			break;
		}
		ret = fn(map, size, path, ctx, err, errlen);
		free(map);
	}
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return ret;
}

static int country_file(const char *text, size_t len, const char *path, void *ctx, char *err,
			size_t errlen)
{
	struct gf_countries *out = ctx;

	if (out->nfiles == (int)(sizeof(out->files) / sizeof(out->files[0]))) {
		snprintf(err, errlen, "%s: more than %d list files", path, out->nfiles);
		return -E2BIG;
	}
	snprintf(out->files[out->nfiles++], PATH_MAX, "%s", path);
	return gf_countries_parse(text, len, path, out, err, errlen);
}

int gf_countries_load(const char *dir, struct gf_countries *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < GF_CLASS_COUNTRY_END; i++)
		out->rule[i].action = -1;
	return gf_lists_each(dir, "country lists", country_file, out, err, errlen);
}
