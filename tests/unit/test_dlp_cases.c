// SPDX-License-Identifier: GPL-2.0
/*
 * The scanner's golden cases: tests/dlp/cases/FORMAT.cases, one file per
 * payload format or family of shapes, each heuristic pinned by a case that
 * takes it and, where it can go wrong, one that must not.  A case:
 *
 *   case: what it pins
 *   in: the payload on one line (\n \r \t \\ \xHH escapes)
 *   want: category=value      (as many as it finds; value * for any)
 *   want: none                (it finds nothing)
 *
 * What the scanner finds must be exactly what the case wants: a missing
 * match and an extra one both fail, with the file and line.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_dlp.h"
#include "gf_found.h"
#include "gf_test.h"

#define MAXWANT 32

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
}

/* Undo the escapes of an in: line; returns the length, or -1 if one is broken. */
static long unescape(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; *s && n + 1 < cap; s++) {
		if (*s != '\\') {
			out[n++] = *s;
			continue;
		}
		switch (*++s) {
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case '\\': out[n++] = '\\'; break;
		case 'x':
			if (hexval(s[1]) < 0 || hexval(s[2]) < 0)
				return -1;
			out[n++] = (char)(hexval(s[1]) << 4 | hexval(s[2]));
			s += 2;
			break;
		default:
			return -1;
		}
	}
	return (long)n;
}

struct dlp_case {
	char name[160];
	char in[4096];
	long len;
	char want[MAXWANT][80];
	int nwant, none, line;
};

/* Does the scanner find exactly what the case wants?  Says what differs. */
static int run_case(struct gf_dlp *d, struct gf_dlp_scratch *s, const struct dlp_case *c, char *why, size_t whylen)
{
	struct gf_found f = { .n = 0 };
	int used[GF_FOUND_MAX] = { 0 };
	int rc = gf_dlp_scan(d, s, c->in, c->len, gf_found_collect, &f);

	why[0] = '\0';
	if (rc) {
		snprintf(why, whylen, "scan failed: %d", rc);
		return 0;
	}
	for (int w = 0; w < c->nwant; w++) {
		const char *eq = strchr(c->want[w], '=');
		int hit = 0, cat;
		char name[40];

		snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - c->want[w]) : 0, c->want[w]);
		cat = gf_dlp_cat_from_name(name);
		for (int i = 0; i < f.n && !hit && eq; i++)
			if (!used[i] && f.cat[i] == cat && (!strcmp(eq + 1, "*") || !strcmp(f.val[i], eq + 1)))
				used[i] = hit = 1;
		if (!hit) {
			snprintf(why, whylen, "missed %s", c->want[w]);
			return 0;
		}
	}
	for (int i = 0; i < f.n; i++)
		if (!used[i]) {
			snprintf(why, whylen, "found %s=%s that the case does not want", gf_dlp_cat_name(f.cat[i]),
				 f.val[i]);
			return 0;
		}
	return 1;
}

/* Check a case that was read whole; returns 1 if it was one. */
static int finish(struct gf_dlp *d, struct gf_dlp_scratch *s, const char *file, struct dlp_case *c)
{
	char why[256];

	if (!c->name[0])
		return 0;
	if (c->len < 0 || (c->nwant > 0) == c->none)
		CHECK(0, "%s:%d: %s: needs one in: line, and want: lines or want: none", file, c->line, c->name);
	else
		CHECK(run_case(d, s, c, why, sizeof(why)), "%s:%d: %s%s%s", file, c->line, c->name,
		      why[0] ? ": " : "", why);
	memset(c, 0, sizeof(*c));
	c->len = -1;
	return 1;
}

static int run_file(struct gf_dlp *d, struct gf_dlp_scratch *s, const char *path)
{
	const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct dlp_case *c = calloc(1, sizeof(*c));
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, cases = 0;
	FILE *f = fopen(path, "r");

	if (!f || !c) {
		CHECK(0, "%s: cannot read", path);
		free(c);
		return 0;
	}
	c->len = -1;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		lineno++;
		if (!strncmp(line, "case: ", 6)) {
			cases += finish(d, s, file, c);
			snprintf(c->name, sizeof(c->name), "%s", line + 6);
			c->line = lineno;
		} else if (!strncmp(line, "in: ", 4) && c->name[0]) {
			c->len = unescape(line + 4, c->in, sizeof(c->in));
		} else if (!strcmp(line, "want: none")) {
			c->none = 1;
		} else if (!strncmp(line, "want: ", 6) && c->nwant < MAXWANT) {
			snprintf(c->want[c->nwant++], sizeof(c->want[0]), "%s", line + 6);
		} else if (line[0] && line[0] != '#') {
			CHECK(0, "%s:%d: not a case line: %s", file, lineno, line);
		}
	}
	cases += finish(d, s, file, c);
	CHECK(cases > 0, "%s: %d cases", file, cases);
	free(line);
	free(c);
	fclose(f);
	return cases;
}

int main(void)
{
	struct gf_dlp *d;
	struct gf_dlp_scratch *s;
	char err[256];
	glob_t g;
	int total = 0;

	if (gf_dlp_open(&d, err, sizeof(err)) || !(s = gf_dlp_scratch_new(d))) {
		fprintf(stderr, "%s\n", err);
		return GF_TEST_SETUP_ERROR;
	}
	if (glob(GF_SRCDIR "/tests/dlp/cases/*.cases", 0, NULL, &g)) {
		fprintf(stderr, "no case files in tests/dlp/cases\n");
		return GF_TEST_SETUP_ERROR;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		int n = run_file(d, s, g.gl_pathv[i]);

		printf("%-24s %3d cases\n", strrchr(g.gl_pathv[i], '/') + 1, n);
		total += n;
	}
	printf("%d case files, %d cases\n", (int)g.gl_pathc, total);
	globfree(&g);
	gf_dlp_scratch_free(s);
	gf_dlp_close(d);
	return gf_test_summary();
}
