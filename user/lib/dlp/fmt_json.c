// SPDX-License-Identifier: GPL-2.0
/*
 * JSON: a spreadsheet's rows as an array of arrays whose first row holds
 * names ("values": [["Name","SSN"],["Ann","123-45-6789"]]), and the keys
 * of the objects around a value ({"voice":{"sample_b64":"..."}}).  JSON
 * string escapes are undone by decode.c; a table inside a string is
 * fmt_table.c's.
 */
#include <string.h>
#include "scan.h"

static void reset(struct gf_dlp_scratch *s)
{
	memset(&s->json, 0, sizeof(s->json));
}

/*
 * A JSON array of arrays whose first row holds names (a spreadsheet's
 * "values": [["Name","SSN"],["Ann","123-45-6789"]]): a keyword in the first
 * row names that element of every later row.  Returns 1 if it was one.
 */
static int array_columns(struct gf_dlp_scratch *s, size_t kw, int label)
{
	const unsigned char *p = s->buf;
	size_t r0 = kw, q, r1, col, a, b;

	/* cheap first: the keyword is in a string that is an element of an array */
	while (r0 > 0 && kw - r0 < 64 && p[r0 - 1] != '"')
		r0--;
	for (r0 = r0 ? r0 - 1 : 0; r0 > 0 && p[r0 - 1] == ' '; r0--)
		;
	if (r0 == 0 || (p[r0 - 1] != '[' && p[r0 - 1] != ','))
		return 0;
	while (r0 > 0 && kw - r0 < 4096 && !strchr("[]{}:\n", p[r0 - 1]))
		r0--;
	if (r0 == 0 || p[r0 - 1] != '[')
		return 0;
	for (q = r0 - 1; q > 0 && strchr(" \n\r\t", p[q - 1]); q--)
		;
	if (q == 0 || p[q - 1] != '[')
		return 0;	/* the first row of an array of arrays only */
	/*
	 * A row holding values ([["ssn","536221234"],["icdCode","N56"]]: pairs) is
	 * no header: a header's cells are names, and a cell with a digit and no
	 * lowercase word must be a known one ("ICD10").
	 */
	for (size_t c = 0; c < 64 && dlp_nth_cell(s, r0, s->len, ',', ']', c, &a, &b); c++) {
		int dig = 0, word = 0;

		/* value-like: a digit and no lowercase word ("N56", "536221234"; not "card_number_1") */
		for (size_t i = a, low = 0; i < b; i++) {
			dig |= isdig(p[i]);
			low = islow(p[i]) ? low + 1 : 0;
			word |= low >= 3;
		}
		if (dig && !word && dlp_name_label(p, a, b) == L_NONE)
			return 0;
	}
	col = dlp_cell_index(s, r0, kw, ',', ']');
	if (col >= 64 || (s->json.cols_done >> col & 1))
		return 1;
	if (!dlp_nth_cell(s, r0, s->len, ',', ']', col, &a, &b) || dlp_label_at(s, b, b - a) != label)
		return 1;
	s->json.cols_done |= 1ull << col;
	for (r1 = r0;;) {
		/* the end of this row, then the next one: ", [" */
		for (size_t c = 0; r1 < s->len && p[r1] != ']' && c < 1024; c++) {
			r1 = dlp_cell_end(s, r1, s->len, ',', ']');
			if (r1 < s->len && p[r1] == ',')
				r1++;
		}
		for (r1++; r1 < s->len && strchr(" \n\r\t,", p[r1]); r1++)
			;
		if (r1 >= s->len || p[r1] != '[')
			break;
		r1++;
		if (dlp_nth_cell(s, r1, s->len, ',', ']', col, &a, &b))
			dlp_cell_value(s, a, b, label);
	}
	return 1;
}

/* Back from i to the '{' that opens the object holding pos: its offset + 1, or 0. */
static size_t object_open(const unsigned char *p, size_t i, size_t pos)
{
	int depth = 0, in_str = 0;

	for (; i > 0 && pos - i < 512; i--) {
		unsigned char c = p[i - 1];

		if (c == '"' && (i < 2 || p[i - 2] != '\\'))
			in_str = !in_str;
		else if (!in_str && (c == '}' || c == ']'))
			depth++;
		else if (!in_str && (c == '{' || c == '[') && depth)
			depth--;
		else if (!in_str && c == '{')
			break;
	}
	return i > 0 && p[i - 1] == '{' ? i : 0;
}

/* The key of the object opening at brace: "name" : {, or "name" : [ { for one in an array. */
static int object_key(const unsigned char *p, size_t brace, size_t *b, size_t *e)
{
	size_t k = brace;

	while (k > 0 && (p[k - 1] == ' ' || p[k - 1] == '['))
		k--;
	while (k > 0 && (p[k - 1] == ' ' || p[k - 1] == ':'))
		k--;
	if (k == 0 || p[k - 1] != '"')
		return 0;
	*e = --k;
	while (k > 0 && *e - k < 48 && p[k - 1] != '"')
		k--;
	*b = k;
	return 1;
}

/*
 * A blob's name may be its object's: {"voice":{"sample_b64":"..."}},
 * {"biometric_sample":{"kind":"palm","blob":"..."}}.  The keys of the two
 * objects around `pos`, nearest first.
 */
int dlp_json_enclosing(const struct gf_dlp_scratch *s, size_t pos, int label)
{
	const unsigned char *p = s->buf;
	size_t i = pos && p[pos - 1] == '"' ? pos - 1 : pos;	/* out of the value's string */

	for (int level = 0; level < 2; level++) {
		size_t open = object_open(p, i, pos), b, e;

		if (!open || !object_key(p, open - 1, &b, &e))
			return 0;
		if (dlp_name_label(p, b, e) == label)
			return 1;
		i = b ? b - 1 : 0;
	}
	return 0;
}

static int key(struct gf_dlp_scratch *s, size_t start, size_t to, int label, size_t *limit)
{
	return start > 2 && array_columns(s, start, label);
}

const struct dlp_format dlp_fmt_json = {
	.name = "json",
	.reset = reset,
	.key = key,
};
