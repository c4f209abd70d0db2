// SPDX-License-Identifier: GPL-2.0
/*
 * SQL: INSERT INTO t (c1, c2, ...) VALUES (v1, v2, ...), (...).  A keyword
 * in the column list names that cell of every tuple.  Found by its pattern
 * ("insert into"), during the replay.
 */
#include <string.h>
#include <strings.h>
#include "scan.h"

static void reset(struct gf_dlp_scratch *s)
{
	memset(&s->sql, 0, sizeof(s->sql));
}

void dlp_sql_insert(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	const unsigned char *p = s->buf;
	size_t i = to, lim = s->len < to + 256 ? s->len : to + 256, c0, c1;

	while (i < lim && p[i] != '(' && p[i] != ';' && p[i] != '\n')
		i++;	/* the table's name */
	if (i >= lim || p[i] != '(')
		return;
	c0 = ++i;
	for (lim = s->len < c0 + 4096 ? s->len : c0 + 4096; i < lim && p[i] != ')'; i++)
		;
	if (i >= lim)
		return;
	c1 = i++;
	while (i < s->len && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
		i++;
	if (i + 6 > s->len || strncasecmp((const char *)p + i, "values", 6))
		return;
	for (i += 6; i < s->len && p[i] != '('; i++)
		if (p[i] != ' ' && p[i] != '\n' && p[i] != '\r' && p[i] != '\t')
			return;
	if (i >= s->len)
		return;
	s->sql.c0 = c0;
	s->sql.c1 = c1;
	s->sql.v0 = i;
}

static void sql_values(struct gf_dlp_scratch *s, size_t kw, int label)
{
	size_t col = dlp_cell_index(s, s->sql.c0, kw, ',', ')'), i = s->sql.v0, a, b;
	const unsigned char *p = s->buf;

	if (col >= 64 || (s->sql.cols_done >> col & 1))
		return;
	if (!dlp_nth_cell(s, s->sql.c0, s->sql.c1, ',', ')', col, &a, &b) || dlp_label_at(s, b, b - a) != label)
		return;
	s->sql.cols_done |= 1ull << col;
	/* the tuples: "(" cells ")" separated by commas */
	while (i < s->len && p[i] == '(') {
		size_t e = i + 1;

		if (dlp_nth_cell(s, i + 1, s->len, ',', ')', col, &a, &b))
			dlp_cell_value(s, a, b, label);
		for (size_t c = 0; e < s->len && p[e] != ')' && c < 1024; c++) {
			e = dlp_cell_end(s, e, s->len, ',', ')');
			if (e < s->len && p[e] == ',')
				e++;
		}
		if (e >= s->len)
			break;
		for (i = e + 1; i < s->len && (p[i] == ' ' || p[i] == ',' || p[i] == '\n' || p[i] == '\r'); i++)
			;
	}
}

static int key(struct gf_dlp_scratch *s, size_t start, size_t to, int label, size_t *limit)
{
	if (!s->sql.c1 || start < s->sql.c0 || to > s->sql.c1)
		return 0;
	sql_values(s, start, label);
	return 1;
}

const struct dlp_format dlp_fmt_sql = {
	.name = "sql",
	.reset = reset,
	.key = key,
};
