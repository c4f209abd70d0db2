// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_tor.h"

static int parse_v4(char *s, gf_u128 *v)
{
	char *end;
	unsigned long long x;

	if (!*s)
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > 0xffffffffull)
		return -EINVAL;
	*v = x;
	return 0;
}

int gf_tor_load(const char *path, struct gf_rs *rs, char *err, size_t errlen)
{
	char *line = NULL, *f[3], *p;
	size_t cap = 0, lineno = 0;
	gf_u128 first, last;
	ssize_t len;
	FILE *fp;
	int ret = 0, cls, i;

	fp = fopen(path, "r");
	if (!fp) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	while ((len = getline(&line, &cap, fp)) > 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		p = line;
		for (i = 0; i < 3; i++) {
			f[i] = strsep(&p, ",");
			if (!f[i])
				break;
		}
		if (i < 3 || p) {
			snprintf(err, errlen, "%s:%zu: expected FIRST,LAST,CC", path, lineno);
			ret = -EINVAL;
			break;
		}
		if (rs->family == 4 ? (parse_v4(f[0], &first) || parse_v4(f[1], &last)) :
				      (gf_addr_parse(f[0], &first) != 6 || gf_addr_parse(f[1], &last) != 6)) {
			snprintf(err, errlen, "%s:%zu: bad IPv%d address", path, lineno, rs->family);
			ret = -EINVAL;
			break;
		}
		if (first > last) {
			snprintf(err, errlen, "%s:%zu: range ends before it starts", path, lineno);
			ret = -EINVAL;
			break;
		}
		cls = gf_class_from_cc(f[2]);
		if (cls < 0) {
			if (strcmp(f[2], "??")) {
				snprintf(err, errlen, "%s:%zu: bad country code '%s'", path, lineno, f[2]);
				ret = -EINVAL;
				break;
			}
			continue;	/* no data: unknown */
		}
		ret = gf_rs_add(rs, first, last, cls, lineno);
		if (ret) {
			snprintf(err, errlen, "%s:%zu: %s", path, lineno, strerror(-ret));
			break;
		}
	}
	if (!ret && ferror(fp)) {
		ret = -EIO;
		snprintf(err, errlen, "%s: read error", path);
	}
	free(line);
	fclose(fp);
	return ret;
}
