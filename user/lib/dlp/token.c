// SPDX-License-Identifier: GPL-2.0
/*
 * Tokens: the alphanumerics and single separators of a value after its
 * name ("536-22-1234", "(415) 555-2671", "D1234567"), validated as the
 * value of that name.
 */
#include <ctype.h>
#include <string.h>
#include "check.h"
#include "scan.h"

/* The next token with a digit in [pos, limit): alphanumerics and single separators. */
int dlp_next_token(const struct gf_dlp_scratch *s, size_t pos, size_t limit, struct dlp_token *t)
{
	const unsigned char *p = s->buf;

	while (pos < limit) {
		size_t i;

		if (!isaln(p[pos]) && p[pos] != '(') {
			pos++;
			continue;
		}
		memset(t, 0, sizeof(*t));
		t->start = pos;
		i = pos;
		if (p[i] == '(') {
			t->paren = 1;
			i++;
		}
		while (i < s->len && i - t->start < 24) {
			unsigned char c = p[i];

			if (isdig(c)) {
				if (t->nd < 23)
					t->digits[t->nd] = c;
				t->nd++;
				if (!t->ng || (i > t->start && !isdig(p[i - 1])))
					t->ng++;
				if (t->ng <= 8)
					t->groups[t->ng - 1]++;
				i++;
			} else if (isup(c) || islow(c)) {
				if (t->nd)
					t->mixed = 1;
				else if (t->nl < 2)
					t->letters[t->nl] = toupper(c);
				t->nl++;
				i++;
			} else if ((c == '-' || c == ' ' || c == '.' || c == '+' || c == ')') && t->nd &&
				   (isdig(at(s, i + 1)) || (c == ')' && at(s, i + 1) == ' ' &&
							    isdig(at(s, i + 2))))) {
				if (c == ')') {
					if (!t->paren)
						break;
					i += at(s, i + 1) == ' ' ? 2 : 1;
					continue;
				}
				if (t->sep && t->sep != c)
					t->mixed = 1;
				t->sep = c;
				i++;
			} else {
				break;
			}
		}
		t->end = i;
		t->digits[t->nd < 23 ? t->nd : 23] = '\0';
		if (t->nd)
			return 1;
		pos = i > pos ? i : pos + 1;	/* a word: "number", "no" */
	}
	return 0;
}

/* Does the token stand alone: no letter or digit glued to its ends? */
static int token_alone(const struct gf_dlp_scratch *s, const struct dlp_token *t)
{
	return (!t->start || !isaln(s->buf[t->start - 1])) && !isaln(at(s, t->end));
}

/* A token as the value of a field named `label`. */
void dlp_token_value(struct gf_dlp_scratch *s, const struct dlp_token *t, int label)
{
	int plain = !t->sep && !t->mixed && !t->paren && t->ng == 1;

	if (t->nd > 19 || t->mixed || !token_alone(s, t))
		return;
	switch (label) {
	case L_SSN:
		if (t->nl || t->nd != 9)
			return;
		/* 536-22-1987, 536 22 1987, 536.22.1987: one separator, the 3-2-4 groups */
		if (!plain && !(t->ng == 3 && t->groups[0] == 3 && t->groups[1] == 2 &&
				(t->sep == '-' || t->sep == ' ' || t->sep == '+' || t->sep == '.')))
			return;
		if (ssn_ok(t->digits))
			dlp_emit(s, GF_DLP_SSN, t->start, t->end, t->digits, 9);
		break;
	case L_PASSPORT:
		if (plain && ((!t->nl && t->nd == 9) || (t->nl == 1 && t->nd == 8)) &&
		    !all_same(t->digits, t->nd)) {
			char v[10];

			if (t->nl)
				v[0] = t->letters[0];
			memcpy(v + t->nl, t->digits, t->nd);
			dlp_emit(s, GF_DLP_US_PASSPORT, t->start, t->end, v, t->nd + t->nl);
		}
		break;
	case L_ABA:
		if (plain && !t->nl && t->nd == 9 && aba_ok(t->digits))
			dlp_emit(s, GF_DLP_ABA_ROUTING, t->start, t->end, t->digits, 9);
		break;
	case L_NPI:
		if (plain && !t->nl && t->nd == 10 && npi_ok(t->digits))
			dlp_emit(s, GF_DLP_HEALTH_NPI, t->start, t->end, t->digits, 10);
		break;
	case L_DL:
		if (t->nl <= 2 && t->nd >= 6 && t->nd <= 13 && !t->paren && (plain || t->sep == '-') &&
		    !all_same(t->digits, t->nd)) {
			char v[16];

			memcpy(v, t->letters, t->nl);
			memcpy(v + t->nl, t->digits, t->nd);
			dlp_emit(s, GF_DLP_US_DRIVERS_LICENSE, t->start, t->end, v, t->nd + t->nl);
		}
		break;
	case L_PHONE:
		/* "+45 32 14 56 78": a country code that is not 1 makes it no US number, label or not */
		if (t->start && s->buf[t->start - 1] == '+' && t->digits[0] != '1')
			return;
		if (!t->nl && (t->nd == 10 || (t->nd == 11 && t->digits[0] == '1')) &&
		    phone_ok(t->digits + t->nd - 10))
			dlp_emit(s, GF_DLP_US_PHONE, t->start, t->end, t->digits + t->nd - 10, 10);
		break;
	}
}

void dlp_exact_value(struct gf_dlp_scratch *s, size_t a, size_t b, int label)
{
	struct dlp_token t;

	if (dlp_next_token(s, a, b, &t) && t.start == a && t.end == b)
		dlp_token_value(s, &t, label);
}
