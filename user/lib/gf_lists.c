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
 * countries.d: "CC ACTION [IFNAME]" per line, '#' comments.
 */
int gf_countries_parse(const char *buf, size_t len, const char *name, struct gf_countries *out,
		       char *err, size_t errlen)
{
	size_t pos = 0, lineno = 0;

	while (pos < len) {
		const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		char text[256], cc[8], act[32], extra[64], more[8];
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
		k = sscanf(text, "%7s %31s %63s %7s", cc, act, extra, more);
		if (k <= 0)
			continue;	/* blank */
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
