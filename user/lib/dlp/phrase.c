// SPDX-License-Identifier: GPL-2.0
/*
 * Phrases: the words of a field's name and the label they give.
 *
 * A phrase is words joined by single separators (' ', '_', '-', '.') or
 * camelCase ("taxpayerSSN", "Social Security No", "npi_id").  In a phrase,
 * the nearest word that, alone or joined with the one or two before it, is
 * a known field name decides; qualifiers at the end ("number", "id") are
 * skipped when a name comes before them.
 */
#include <ctype.h>
#include <string.h>
#include "scan.h"

/* Split [a, b) into words, camelCase aware; returns the number of words. */
int dlp_split_words(const unsigned char *p, size_t a, size_t b, struct dlp_phrase *ph)
{
	size_t i = a;

	ph->n = 0;
	while (i < b) {
		size_t j = i, k = 0;
		char *w;

		if (ph->n == MAXW) {	/* keep the words nearest the value */
			memmove(ph->w[0], ph->w[1], sizeof(ph->w[0]) * (MAXW - 1));
			ph->n--;
		}
		w = ph->w[ph->n];

		if (!isaln(p[i]) && p[i] != '#' && p[i] != '\'') {
			i++;
			continue;
		}
		/* one word: [A-Z]*[a-z0-9]* with camel breaks, or a run of capitals */
		while (j < b && k < 23) {
			unsigned char c = p[j];

			if (c == '\'') {	/* "driver's" */
				j++;
				continue;
			}
			if (c == '#') {
				w[k++] = '#';
				j++;
				break;
			}
			if (!isaln(c))
				break;
			if (k && isup(c) && (islow(p[j - 1]) ||
					     (isup(p[j - 1]) && j + 1 < b && islow(p[j + 1]))))
				break;	/* "taxpayerSSN", "SSNNumber" */
			w[k++] = tolower(c);
			j++;
		}
		w[k] = '\0';
		if (k)
			ph->n++;
		i = j;
	}
	return ph->n;
}

/*
 * A word of five digits or more, or a group of three digits or more after
 * another group ("832 70 5459"), is a value, not part of a name ("ICD-10",
 * "embedding_512" are names): only the words after it can name ours
 * ("dl_number 307796054; also noted taxpayer").
 */
int dlp_drop_values(struct dlp_phrase *ph)
{
	for (int k = ph->n - 1; k >= 0; k--) {
		int nd = 0, len = strlen(ph->w[k]);

		for (const char *c = ph->w[k]; *c; c++)
			nd += isdig((unsigned char)*c);
		if (nd < 5 && !(nd >= 3 && nd == len && k > 0 && isdig((unsigned char)ph->w[k - 1][0]) &&
				 strspn(ph->w[k - 1], "0123456789") == strlen(ph->w[k - 1])))
			continue;	/* "5459" of "832-70-5459" is a value too; "face_embedding_512" is a name */
		if (k == ph->n - 1)
			return 1;
		memmove(ph->w[0], ph->w[k + 1], sizeof(ph->w[0]) * (ph->n - k - 1));
		ph->n -= k + 1;
		break;
	}
	return 0;
}

/* A name with a qualifier glued on in lower case: "passportnumber", "npiid". */
static int unglued(char *key, size_t n)
{
	const char *const *suf;
	size_t nsuf = dlp_lex_glued(&suf);
	int l = L_NONE;

	for (size_t k = 0; k < nsuf && !l; k++) {
		size_t sl = strlen(suf[k]);

		if (n >= sl + 2 && !strcmp(key + n - sl, suf[k])) {
			char c = key[n - sl];

			key[n - sl] = '\0';
			l = dlp_lex_name(key);
			key[n - sl] = c;
			if (l == L_QUAL || l == L_OTHER)
				l = L_NONE;
		}
	}
	return l;
}

/* The label of a name of joined words, as written or with its end undone. */
static int joined_label(char *key, size_t n)
{
	int l = dlp_lex_name(key);

	if (!l && n && key[n - 1] == '#') {
		key[n - 1] = '\0';	/* "passport#" */
		l = dlp_lex_name(key);
	}
	if (!l)
		l = unglued(key, n);
	if (!l && n > 2 && isdig(key[n - 1])) {
		size_t m = n;	/* numbered fields: "dx1", "phone2" */

		while (m && isdig(key[m - 1]))
			m--;
		if (m >= 2 && n - m <= 2) {
			key[m] = '\0';
			l = dlp_lex_name(key);
		}
	}
	return l;
}

int dlp_phrase_label(const struct dlp_phrase *ph)
{
	char key[80];

	for (int k = ph->n - 1; k >= 0; k--) {
		for (int len = k >= 2 ? 3 : k + 1; len >= 1; len--) {
			size_t n = 0;
			int l;

			for (int i = k - len + 1; i <= k; i++) {
				size_t wl = strlen(ph->w[i]);

				memcpy(key + n, ph->w[i], wl);
				n += wl;
			}
			key[n] = '\0';
			l = joined_label(key, n);
			if (l == L_QUAL) {
				/* "id" alone is a field of its own; "no", "number": look before */
				if (len == 1 && k == 0 && !strcmp(ph->w[0], "id"))
					return L_OTHER;
				break;
			}
			if (l)
				return l;
		}
	}
	return L_NONE;
}

int dlp_name_label(const unsigned char *p, size_t a, size_t b)
{
	struct dlp_phrase ph;

	dlp_split_words(p, a, b, &ph);
	return dlp_phrase_label(&ph);
}
