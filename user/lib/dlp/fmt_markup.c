// SPDX-License-Identifier: GPL-2.0
/*
 * Markup: HTML tables whose header row names the columns, HTML forms whose
 * <label for=> names an <input>'s value, and XML documents, where every
 * element names its content (an HTML element is markup around a value).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "scan.h"

static void reset(struct gf_dlp_scratch *s)
{
	memset(&s->markup, 0, sizeof(s->markup));
}

static void detect(struct gf_dlp_scratch *s)
{
	s->markup.xml = s->len >= 5 && !memcmp(s->buf, "<?xml", 5);
}

/* The first `needle` (lower case) in [i, lim), any case; lim if none. */
static size_t find_ci(const struct gf_dlp_scratch *s, size_t i, size_t lim, const char *needle)
{
	size_t n = strlen(needle);

	for (; i + n <= lim; i++)
		if ((s->buf[i] | 32) == needle[0] && !strncasecmp((const char *)s->buf + i, needle, n))
			return i;
	return lim;
}

int dlp_html_element(const unsigned char *n, size_t len)
{
	return dlp_lex_is(n, len, MARKUP);
}

void dlp_html_th(struct gf_dlp_scratch *s, const struct pattern *p, size_t to)
{
	s->markup.has_th = 1;
}

/* "<td" or "<th" followed by '>' or a space at i? */
static int cell_tag(const struct gf_dlp_scratch *s, size_t i)
{
	return i + 4 <= s->len && s->buf[i] == '<' && (s->buf[i + 1] | 32) == 't' &&
	       ((s->buf[i + 2] | 32) == 'd' || (s->buf[i + 2] | 32) == 'h') &&
	       (s->buf[i + 3] == '>' || s->buf[i + 3] == ' ');
}

/*
 * An HTML table with its names in a header row: a keyword in a <th> names
 * that cell of every later row.  Returns 1 if the keyword was in a <th>.
 */
static int html_columns(struct gf_dlp_scratch *s, size_t kw, int label)
{
	const unsigned char *p = s->buf;
	size_t lt = kw, tr, i, col = 0, end, a, b;

	while (lt > 0 && kw - lt < 64 && p[lt - 1] != '<' && p[lt - 1] != '>')
		lt--;
	if (lt == 0 || p[lt - 1] != '>')
		return 0;
	/* the tag before the name: <th> or <th ...> */
	for (i = lt - 1; i > 0 && lt - i < 64 && p[i] != '<'; i--)
		;
	if (p[i] != '<' || !cell_tag(s, i) || (p[i + 2] | 32) != 'h')
		return 0;
	/* <tr><th>SSN</th><td>...: a row's label, not a column's */
	for (size_t j = kw; j < s->len && j - kw < 256; j++) {
		if (p[j] == '<' && (p[j + 1] | 32) == '/' && (p[j + 2] | 32) == 't' && (p[j + 3] | 32) == 'r')
			break;
		if (cell_tag(s, j)) {
			if ((p[j + 2] | 32) == 'd')
				return 0;
			break;
		}
	}
	/* its row, and its place in it */
	for (tr = i; tr > 0 && i - tr < 4096; tr--)
		if (p[tr] == '<' && (p[tr + 1] | 32) == 't' && (p[tr + 2] | 32) == 'r')
			break;
	for (size_t j = tr; j < i; j++)
		col += cell_tag(s, j);
	end = find_ci(s, kw, s->len, "<");
	if (col >= 64 || (s->markup.cols_done >> col & 1) || dlp_label_at(s, end, end - lt) != label)
		return 1;
	s->markup.cols_done |= 1ull << col;
	/* every later row: its col-th cell */
	for (i = find_ci(s, end, s->len, "</tr"); i < s->len;) {
		size_t row = find_ci(s, i, s->len, "<tr"), rend, c = 0;

		if (row >= s->len)
			break;
		rend = find_ci(s, row, s->len, "</tr");
		for (size_t j = row; j < rend; j++) {
			if (!cell_tag(s, j))
				continue;
			if (c++ == col) {
				a = find_ci(s, j, rend, ">") + 1;
				b = find_ci(s, a, rend, "<");
				while (a < b && p[a] == ' ')
					a++;
				while (b > a && p[b - 1] == ' ')
					b--;
				if (a < b)
					dlp_cell_value(s, a, b, label);
				break;
			}
		}
		i = rend + 1;
	}
	return 1;
}

/*
 * <label for="f3">SSN</label><input id="f3" value="536221234">: the value
 * of an input whose id a label names.  `pos` is right after value=".
 */
static int input_label(const struct gf_dlp_scratch *s, size_t pos)
{
	const unsigned char *p = s->buf;
	size_t lt = pos, id, e, f, a, b;
	char pat[80];

	while (lt > 0 && pos - lt < 256 && p[lt - 1] != '<' && p[lt - 1] != '>')
		lt--;
	if (lt == 0 || p[lt - 1] != '<' || strncasecmp((const char *)p + lt, "input", 5))
		return L_NONE;
	id = find_ci(s, lt, pos, " id=\"");
	if (id >= pos)
		return L_NONE;
	id += 5;
	for (e = id; e < pos && p[e] != '"'; e++)
		;
	if (e - id == 0 || e - id > 64)
		return L_NONE;
	snprintf(pat, sizeof(pat), "for=\"%.*s\"", (int)(e - id), (const char *)p + id);
	/* the label before the input */
	for (f = lt > 4096 ? lt - 4096 : 0; (f = find_ci(s, f, lt, pat)) < lt; f++) {
		a = find_ci(s, f, lt, ">") + 1;
		b = find_ci(s, a, lt, "<");
		if (a < b)
			return dlp_name_label(p, a, b);
	}
	return L_NONE;
}

static int key(struct gf_dlp_scratch *s, size_t start, size_t to, int label, size_t *limit)
{
	return s->markup.has_th && html_columns(s, start, label);
}

/* A value="..." of an <input>: the form's <label> for it. */
static int label(const struct gf_dlp_scratch *s, size_t pos)
{
	const unsigned char *p = s->buf;

	if (pos < 7 || p[pos - 1] != '"' || p[pos - 2] != '=' || strncasecmp((const char *)p + pos - 7, "value", 5))
		return L_NONE;
	return input_label(s, pos);
}

const struct dlp_format dlp_fmt_markup = {
	.name = "markup",
	.reset = reset,
	.detect = detect,
	.key = key,
	.label = label,
};
