// SPDX-License-Identifier: GPL-2.0
/*
 * The values a keyword names: after it (the label's rule says how far and
 * with which reader), before it in free text ("J46710823 is the passport
 * number"), or, in a table, in every row's cell of its column (the payload
 * formats take those first).
 */
#include <string.h>
#include <strings.h>
#include "scan.h"

/* A keyword at the start of a word ("Routing", "bankRouting"; not "hotel", "PassportNo"'s "rtN")? */
int dlp_key_valid(const struct gf_dlp_scratch *s, const struct pattern *p, size_t to)
{
	size_t start = to - p->width;
	unsigned char prev = start ? s->buf[start - 1] : ' ', first = s->buf[start];

	if (isdig(prev) || (islow(prev) && !isup(first)))
		return 0;
	if (isup(prev) && isup(first) && start >= 2 && isup(s->buf[start - 2]) && !islow(at(s, to)) &&
	    !islow(at(s, start + 1)))
		return 0;	/* inside a word in capitals ("USPassportNo" is two words) */
	return 1;
}

/* A value in a column named for `label`. */
void dlp_cell_value(struct gf_dlp_scratch *s, size_t a, size_t b, int label)
{
	switch (label) {
	case L_ICD: dlp_icd_values(s, a, b, 0); break;
	case L_BIO: dlp_bio_values(s, a, b, 0); break;
	case L_LAT:
	case L_LON: break;	/* columns of coordinates: left alone */
	default: dlp_exact_value(s, a, b, label);
	}
}

/* Does the phrase of the name starting at kw (its first three words or fewer) name `label`? */
static int names_label(const struct gf_dlp_scratch *s, size_t kw, int label)
{
	const unsigned char *p = s->buf;
	struct dlp_phrase ph;
	size_t e;

	for (e = kw; e < s->len && e - kw < 32 && (isaln(p[e]) || p[e] == ' ' || p[e] == '_' || p[e] == '#' || p[e] == '.'); e++)
		;
	dlp_split_words(p, kw, e, &ph);
	if (ph.n > 3)
		ph.n = 3;
	while (ph.n > 0 && dlp_phrase_label(&ph) != label)
		ph.n--;
	return ph.n > 0;
}

/*
 * Free text that gives the value first: "J46710823 is the passport number",
 * "123456789 (SSN)".  Only connecting words (the lexicon's LINK) and up to
 * two words of the name ("Billing NPI") may stand between.
 */
static void value_before(struct gf_dlp_scratch *s, size_t kw, int label)
{
	const unsigned char *p = s->buf;
	size_t i = kw, links = 0, paren = 0, name_words = 0, b;

	if (!names_label(s, kw, label))
		return;
	while (i > 0 && kw - i < dlp_rules[label].before) {
		if (p[i - 1] == ' ') {
			i--;
		} else if (p[i - 1] == '(' && !paren) {
			paren = 1;
			i--;
		} else if (islow(p[i - 1]) || isup(p[i - 1])) {
			size_t w = i;

			while (w > 0 && (islow(p[w - 1]) || isup(p[w - 1])))
				w--;
			if (w == 0 || p[w - 1] != ' ')
				break;
			if (dlp_lex_is(p + w, i - w, LINK))
				links++;
			else if (links || ++name_words > 2)
				break;	/* a word of the name, before any connecting word */
			i = w;
		} else {
			break;
		}
	}
	if ((!links && !paren) || i == 0 || !isaln(p[i - 1]))
		return;
	/* the token that ends there */
	for (b = i; b > 0 && i - b < 24 && (isaln(p[b - 1]) || ((p[b - 1] == '-' || p[b - 1] == '.') && b >= 2 && isaln(p[b - 2])) ||
					    (p[b - 1] == ' ' && b >= 2 && isdig(p[b - 2]) && isdig(p[b]))); b--)
		;
	if (label == L_ICD)
		dlp_icd_values(s, b, i, 0);
	else
		dlp_exact_value(s, b, i, label);
}

/* A keyword: its values, up to the next keyword (`limit`). */
void dlp_on_key(struct gf_dlp_scratch *s, const struct pattern *p, size_t to, size_t limit)
{
	const struct dlp_rule *r = &dlp_rules[p->label];
	size_t start = to - p->width;

	for (const struct dlp_format *const *f = dlp_formats; *f; f++)
		if ((*f)->key && (*f)->key(s, start, to, p->label, &limit))
			return;
	if (r->before) {
		size_t ws = start;	/* the start of the name: "bankRoutingNo" */

		while (ws > 0 && start - ws < 24 && (isaln(s->buf[ws - 1]) || s->buf[ws - 1] == '_'))
			ws--;
		if (ws > 0 && (s->buf[ws - 1] == ' ' || s->buf[ws - 1] == '('))
			value_before(s, ws, p->label);
	}
	r->values(s, to, r->whole ? s->len : limit, p->label);
}

/* A number after its name, in a window that ends sooner than the next name. */
void dlp_tokens_named(struct gf_dlp_scratch *s, size_t to, size_t limit, int label)
{
	const struct dlp_rule *r = &dlp_rules[label];
	size_t win;

	to = dlp_past_name(s, to);	/* the rest of the name is no value: "passport1", "npi_no" */
	/* a <label> is further from its input's value: "Routing Number</label><input ... value="..." */
	win = memmem(s->buf + to, s->len - to < 24 ? s->len - to : 24, "</label", 7) ? r->after_form : r->after;
	if (limit > to + win)
		limit = to + win;
	for (struct dlp_token t; dlp_next_token(s, to, limit, &t); to = t.end > to ? t.end : to + 1)
		if (dlp_label_at(s, t.start, r->name) == label)
			dlp_token_value(s, &t, label);
}

/* ICD-10-CM codes after "diagnosis", "icd", "dx": a list of them, too. */
void dlp_icd_values(struct gf_dlp_scratch *s, size_t from, size_t limit, int need_label)
{
	const unsigned char *p = s->buf;

	for (size_t i = from; i + 3 <= limit; i++) {
		size_t j = i + 3;
		char v[8];
		int n = 3;

		if (!isup(p[i]) || p[i] == 'U' || !isdig(p[i + 1]) || !(isdig(p[i + 2]) || isup(p[i + 2])))
			continue;
		if (i && (isaln(p[i - 1]) || p[i - 1] == '.' || p[i - 1] == '^'))
			continue;	/* "^I10": HL7's name of the coding system */
		if (j + 1 < s->len && p[j] == '.' && isaln(p[j + 1])) {
			j++;
			while (j < s->len && n < 7 && isaln(p[j]))
				v[n++] = p[j++];
		} else {
			while (j < s->len && n < 7 && isaln(p[j]))
				v[n++] = p[j++];
		}
		if (isaln(at(s, j)) || n > 7)
			continue;
		memcpy(v, p + i, 3);
		for (int k = 3; k < n; k++)
			v[k] = v[k] >= 'a' && v[k] <= 'z' ? v[k] - 32 : v[k];
		if (!need_label || dlp_label_at(s, i, dlp_rules[L_ICD].name) == L_ICD)
			dlp_emit(s, GF_DLP_HEALTH_ICD10, i, j, v, n);
		i = j;
	}
}

void dlp_icd_named(struct gf_dlp_scratch *s, size_t to, size_t limit, int label)
{
	const struct dlp_rule *r = &dlp_rules[label];

	dlp_icd_values(s, to, limit < to + r->after ? limit : to + r->after, 1);
}
