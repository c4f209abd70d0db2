// SPDX-License-Identifier: GPL-2.0
/*
 * Tables: a CSV-like payload (cells apart by ",\t;|") or a fixed-width
 * report (columns apart by two spaces or more) under a header line.  A
 * keyword in the header names its column's cell in every later row; a
 * value in a later row is named by its column's header cell.
 */
#include <string.h>
#include "scan.h"

/* What a byte is to a header line. */
enum { HC_BAD = 1, HC_DIGIT = 2, HC_DELIM = 4, HC_SPACE = 8 };
static const unsigned char hdr_class[256] = {
	['{'] = HC_BAD, ['}'] = HC_BAD, ['['] = HC_BAD, [']'] = HC_BAD, ['<'] = HC_BAD, ['>'] = HC_BAD,
	['='] = HC_BAD, [':'] = HC_BAD,
	['0'] = HC_DIGIT, ['1'] = HC_DIGIT, ['2'] = HC_DIGIT, ['3'] = HC_DIGIT, ['4'] = HC_DIGIT,
	['5'] = HC_DIGIT, ['6'] = HC_DIGIT, ['7'] = HC_DIGIT, ['8'] = HC_DIGIT, ['9'] = HC_DIGIT,
	[','] = HC_DELIM, ['\t'] = HC_DELIM, [';'] = HC_DELIM, ['|'] = HC_DELIM,
	[' '] = HC_SPACE, ['\r'] = HC_SPACE,
};

#define HEADER_SCAN 4096	/* a header line ends this soon */
#define CELL_MAX 64		/* a header's cells are names, this long at most */
#define TITLE_MAX 64		/* a title line before the header ("Customer export generated ...") */

static void reset(struct gf_dlp_scratch *s)
{
	memset(&s->table, 0, sizeof(s->table));
}

/*
 * JSON lines are records, but a JSON string may hold a table
 * ("data":"name,ssn\n..."; its newlines were unescaped): its header
 * starts after the string's opening quote.
 */
static void json_string_table(struct gf_dlp_scratch *s, const unsigned char *nl)
{
	const unsigned char *q = nl;

	if (!s->unescaped)
		return;
	while (q > s->buf && q[-1] != '"')
		q--;
	if (q == s->buf || nl - q < 3)
		return;
	s->table.header_start = q - s->buf;
	s->table.header_end = nl - s->buf;
	if (memchr(q, ',', nl - q))
		s->table.delim = ',';
	else if (memchr(q, '\t', nl - q))
		s->table.delim = '\t';
}

/*
 * One pass over the line [ls, le): no markup, keys or long numbers; a
 * delimiter; two spaces before a word.  Prose stops the pass at a cell
 * longer than a name.  Returns whether the line can be a header.
 */
static int header_line(const struct gf_dlp_scratch *s, size_t ls, size_t le, int *delim, int *wide)
{
	int names = le - ls <= 1024;	/* a paragraph is no header */

	*delim = *wide = 0;
	for (size_t i = ls, run = 0, cell = 0; i < le && names; i++) {
		unsigned char c = s->buf[i], t = hdr_class[c];

		names = !(t & HC_BAD);
		run = t & HC_DIGIT ? run + 1 : 0;
		cell = (t & HC_DELIM) || (c == ' ' && i > ls && s->buf[i - 1] == ' ') ? 0 : cell + 1;
		names &= run < 5 && cell <= CELL_MAX;
		if ((t & HC_DELIM) && !*delim)
			*delim = c;
		*wide |= i >= ls + 2 && !(t & HC_SPACE) && s->buf[i - 1] == ' ' && s->buf[i - 2] == ' ';
	}
	return names;
}

/* After a title, only a line of short cells is a header. */
static int short_cells(const struct gf_dlp_scratch *s, size_t ls, size_t le)
{
	for (size_t i = ls, cell = 0; i < le; i++) {
		cell = hdr_class[s->buf[i]] & HC_DELIM ? 0 : cell + 1;
		if (cell > CELL_MAX)
			return 0;
	}
	return 1;
}

/*
 * A tabular payload: its first line holds delimiters and ends early.  The
 * header is the first line, or the second after a title line.  A header
 * holds names: a sample cut from the middle of a JSON body or a log
 * ("..., \"ts\":1700000000,") is no table.
 */
static void detect(struct gf_dlp_scratch *s)
{
	const unsigned char *nl = memchr(s->buf, '\n', s->len < HEADER_SCAN ? s->len : HEADER_SCAN);
	static const char delims[] = ",\t;|";

	if (!nl || s->buf[0] == '<')
		return;	/* markup holds records, not tables */
	if (s->buf[0] == '{' || s->buf[0] == '[') {
		json_string_table(s, nl);
		return;
	}
	for (size_t ls = 0, le = nl - s->buf, k = 0; k < 2; k++) {
		int delim, wide, names = header_line(s, ls, le, &delim, &wide);

		if (names && k)
			names = short_cells(s, ls, le);
		if (names && delim) {
			/* the first of ",\t;|" that the line holds */
			for (const char *d = delims; *d; d++)
				if (memchr(s->buf + ls, *d, le - ls)) {
					s->table.delim = *d;
					break;
				}
			s->table.header_start = ls;
			s->table.header_end = le;
			return;
		}
		if (k == 0 && names && wide) {
			/* no delimiter: columns apart by two spaces or more make a fixed-width report */
			s->table.fixed = 1;
			s->table.header_end = le;
			return;
		}
		/* the next line, after a short title */
		if (!names || le - ls > TITLE_MAX)
			return;
		ls = le + 1;
		if (ls >= s->len ||
		    !(nl = memchr(s->buf + ls, '\n', s->len - ls < HEADER_SCAN ? s->len - ls : HEADER_SCAN)))
			return;
		le = nl - s->buf;
	}
}

/* A keyword in the header of a CSV-like payload: every row's cell of its column. */
static void column_values(struct gf_dlp_scratch *s, size_t kw, int label)
{
	struct dlp_table *t = &s->table;
	size_t col = dlp_cell_index(s, t->header_start, kw, t->delim, '\n'), line, a, b;

	if (col >= 64 || (t->cols_done >> col & 1))
		return;
	/* the header cell must name this label, not only contain the keyword */
	if (!dlp_nth_cell(s, t->header_start, s->len, t->delim, '\n', col, &a, &b) ||
	    dlp_label_at(s, b, b - a) != label)
		return;
	t->cols_done |= 1ull << col;
	for (line = t->header_end + 1; line < s->len;) {
		const unsigned char *nl;

		if (dlp_nth_cell(s, line, s->len, t->delim, '\n', col, &a, &b))
			dlp_cell_value(s, a, b, label);
		nl = memchr(s->buf + line, '\n', s->len - line);
		if (!nl)
			break;
		line = nl - s->buf + 1;
	}
}

/* A keyword in a fixed-width header: the text at its column's offset in every later line. */
static void fixed_columns(struct gf_dlp_scratch *s, size_t kw, int label)
{
	struct dlp_table *t = &s->table;
	const unsigned char *p = s->buf;
	size_t c0 = kw, c1, tend, col = 0, line;

	while (c0 > 0 && !(p[c0 - 1] == ' ' && c0 >= 2 && p[c0 - 2] == ' '))
		c0--;
	for (size_t j = 1; j < c0; j++)
		col += p[j] == ' ' && p[j - 1] == ' ' && (j + 1 >= c0 || p[j + 1] != ' ');
	for (tend = kw; tend < t->header_end && !(p[tend] == ' ' && at(s, tend + 1) == ' '); tend++)
		;
	for (c1 = tend; c1 < t->header_end && p[c1] == ' '; c1++)
		;
	if (col >= 64 || (t->cols_done >> col & 1) || dlp_label_at(s, tend, tend - c0) != label)
		return;
	t->cols_done |= 1ull << col;
	for (line = t->header_end + 1; line < s->len;) {
		const unsigned char *nl = memchr(p + line, '\n', s->len - line);
		size_t le = nl ? (size_t)(nl - p) : s->len, a = line + c0, b;

		while (a < le && a < line + c1 && p[a] == ' ')
			a++;
		if (a < le && a < line + c1) {
			for (b = a; b < le && p[b] != '\r' && !(p[b] == ' ' && b + 1 < le && p[b + 1] == ' '); b++)
				;
			dlp_cell_value(s, a, b, label);
		}
		if (!nl)
			break;
		line = le + 1;
	}
}

/* A header cell names the column; a first line that is a record holds values too. */
static int key(struct gf_dlp_scratch *s, size_t start, size_t to, int label, size_t *limit)
{
	struct dlp_table *t = &s->table;

	if (!(t->delim || t->fixed) || to > t->header_end || start < t->header_start)
		return 0;
	if (t->delim)
		column_values(s, start, label);
	else
		fixed_columns(s, start, label);
	if (*limit > t->header_end)
		*limit = t->header_end;
	return 0;
}

/* In a table, the header of the column that `pos` is in names it (each header cell read once). */
static int label(const struct gf_dlp_scratch *cs, size_t pos)
{
	struct gf_dlp_scratch *s = (struct gf_dlp_scratch *)cs;	/* the cache only */
	struct dlp_table *t = &s->table;
	const unsigned char *nl;
	size_t line, a, b, col;

	if (!t->delim || pos <= t->header_end)
		return L_NONE;
	nl = memrchr(s->buf + t->header_end, '\n', pos - t->header_end);
	line = nl ? (size_t)(nl - s->buf) + 1 : t->header_end + 1;
	if (pos - line > 4096 || (col = dlp_cell_index(s, line, pos, t->delim, '\n')) >= 64)
		return L_NONE;
	if (!(t->col_known >> col & 1)) {
		t->col_known |= 1ull << col;
		t->col_label[col] = L_NONE;
		if (dlp_nth_cell(s, t->header_start, t->header_end + 1, t->delim, '\n', col, &a, &b))
			t->col_label[col] = dlp_name_label(s->buf, a, b);
	}
	return t->col_label[col];
}

const struct dlp_format dlp_fmt_table = {
	.name = "table",
	.reset = reset,
	.detect = detect,
	.key = key,
	.label = label,
};
