// SPDX-License-Identifier: GPL-2.0
/*
 * Delimited lists: CSV rows ('\n' ends one), SQL tuples (')' ends one) and
 * JSON rows (']').  A cell that starts with a quote runs to the closing
 * quote (doubled quotes inside), so "Smith, Ann" is one cell.
 */
#include <string.h>
#include "scan.h"

size_t dlp_cell_end(const struct gf_dlp_scratch *s, size_t i, size_t lim, char delim, char stop)
{
	const unsigned char *p = s->buf;

	while (i < lim && p[i] == ' ')
		i++;
	if (i < lim && (p[i] == '"' || p[i] == '\'' || p[i] == '`')) {
		unsigned char q = p[i++];

		for (; i < lim; i++)
			if (p[i] == q) {
				if (i + 1 < lim && p[i + 1] == q)
					i++;
				else
					break;
			}
	}
	while (i < lim && p[i] != (unsigned char)delim && p[i] != (unsigned char)stop && p[i] != '\n')
		i++;
	return i;
}

/* The col-th cell of the list starting at i: [a, b) without its quotes and spaces. */
int dlp_nth_cell(const struct gf_dlp_scratch *s, size_t i, size_t lim, char delim, char stop, size_t col,
		 size_t *a, size_t *b)
{
	for (size_t c = 0;; c++) {
		size_t e = dlp_cell_end(s, i, lim, delim, stop);

		if (c == col) {
			*a = i;
			*b = e;
			while (*a < *b && strchr(" \"'`", s->buf[*a]))
				(*a)++;
			while (*b > *a && strchr(" \"'`\r", s->buf[*b - 1]))
				(*b)--;
			return 1;
		}
		if (e >= lim || s->buf[e] != (unsigned char)delim)
			return 0;
		i = e + 1;
	}
}

/* Which cell of the list starting at `i` holds `pos`? */
size_t dlp_cell_index(const struct gf_dlp_scratch *s, size_t i, size_t pos, char delim, char stop)
{
	size_t c = 0;

	for (;;) {
		size_t e = dlp_cell_end(s, i, s->len, delim, stop);

		if (pos < e || e >= s->len || s->buf[e] != (unsigned char)delim)
			return c;
		i = e + 1;
		c++;
	}
}
