// SPDX-License-Identifier: GPL-2.0
/*
 * label_at: what names the value at pos.  The resolvers, in order: the
 * label hooks of the formats that name a value away from it (a form's
 * <label for=> of an <input>, the header of a table's column), then the
 * nearest name before pos.
 *
 * The nearest name: going back from pos, phrase by phrase (phrase.c).
 * Tags (<td>, </ssn>) are markup, not names, and are passed over; an XML
 * element or a name attribute names its content.  The first phrase with a
 * known name decides; unknown words ("for John Smith") are passed over,
 * within the window.
 */
#include <string.h>
#include <strings.h>
#include "scan.h"

/* Does the tag ending at i - 1 ('>') decide?  1 with *label set, or 0 with *i before the tag. */
static int tag_label(const struct gf_dlp_scratch *s, size_t *ip, size_t limit, int *label)
{
	static const char *const attrs[] = { "name", "id", "key", "field", "type" };
	const unsigned char *p = s->buf;
	size_t i = *ip, lt = i - 1, a, b, end_tag = i - 1;

	while (lt > limit && p[lt - 1] != '<' && p[lt - 1] != '>')
		lt--;
	if (lt <= limit || p[lt - 1] != '<') {
		*ip = i - 1;
		return 0;
	}
	a = lt + (p[lt] == '/');
	for (b = a; b < i - 1 && (isaln(p[b]) || p[b] == '_' || p[b] == '-' || p[b] == ':'); b++)
		;
	*ip = lt - 1;
	if (p[lt] == '/' || b == a)
		return 0;
	/* <field name="ssn">: one pass over the tag's attributes name=, id=, key=, field=, type= */
	for (size_t q = b; q < end_tag; q++) {
		size_t n0 = q, v0, v1;
		int named = 0;

		if (p[q] != '=' || q + 1 >= end_tag || (p[q + 1] != '"' && p[q + 1] != '\''))
			continue;
		while (n0 > b && isaln(p[n0 - 1]))
			n0--;
		for (size_t k = 0; k < sizeof(attrs) / sizeof(*attrs) && !named; k++)
			named = q - n0 == strlen(attrs[k]) && !strncasecmp((const char *)p + n0, attrs[k], q - n0);
		if (!named)
			continue;
		for (v0 = v1 = q + 2; v1 < end_tag && p[v1] != p[q + 1]; v1++)
			;
		if ((*label = dlp_name_label(p, v0, v1)) || (p[n0] | 32) == 'n')
			return 1;	/* an id that names nothing: the element may */
		q = v1;
	}
	if (!s->markup.xml && dlp_html_element(p + a, b - a))
		return 0;
	*label = dlp_name_label(p, a, b);	/* <ssn>, <PassportID>; another: not ours */
	return 1;
}

/* An aside after a name is passed over: "NPI (Type 1)", "IBAN (EUR)".  The '(' before ')' at i - 1, or 0. */
static size_t aside(const unsigned char *p, size_t i, size_t limit)
{
	size_t o = i - 1;

	while (o > limit && i - o < 24 && p[o - 1] != '(' && p[o - 1] != ')' && p[o - 1] != '\n')
		o--;
	if (o > limit && p[o - 1] == '(' && o >= 2 && p[o - 2] == ' ' && o - 2 > limit && o >= 3 && isaln(p[o - 3]))
		return o - 1;
	return 0;
}

/* PHP's serialize(): s:9:"value".  Is i - 1 the end of a length prefix?  *s_at: its 's'. */
static int serialized(const struct gf_dlp_scratch *s, size_t i, size_t limit, size_t *s_at)
{
	const unsigned char *p = s->buf;
	size_t d0 = i;

	if (!isdig(p[i - 1]) || i >= s->len || p[i] != ':')
		return 0;
	while (d0 > limit && isdig(p[d0 - 1]))
		d0--;
	if (d0 >= limit + 2 && p[d0 - 1] == ':' && p[d0 - 2] == 's' && (d0 < 3 || !isaln(p[d0 - 3]))) {
		*s_at = d0 - 2;
		return 1;
	}
	return 0;
}

/* Only qualifiers: "SSN (full)", "Routing #", "sample_b64". */
static int only_qualifiers(const struct dlp_phrase *ph)
{
	for (int k = 0; k < ph->n; k++)
		if (dlp_lex_name(ph->w[k]) != L_QUAL)
			return 0;
	return ph->n > 0;
}

static int name_before(const struct gf_dlp_scratch *s, size_t pos, size_t window)
{
	const unsigned char *p = s->buf;
	size_t limit = pos > window ? pos - window : 0, i = pos;

	for (int nth = 0; i > limit; nth++) {
		size_t end, skip;
		struct dlp_phrase ph;
		int l, key = 0, digits = 0;

		/* to the end of the previous phrase; is it a key ("name=", "name:")? */
		while (i > limit && !isaln(p[i - 1]) && p[i - 1] != '#' && p[i - 1] != '>') {
			key |= p[i - 1] == '=' || p[i - 1] == ':';
			if (p[i - 1] == ')' && (skip = aside(p, i, limit))) {
				i = skip;
				continue;
			}
			i--;
		}
		if (i <= limit)
			break;
		if (p[i - 1] == '>') {
			if (tag_label(s, &i, limit, &l))
				return l;
			continue;
		}
		if (serialized(s, i, limit, &skip)) {
			i = skip;
			nth--;
			continue;
		}
		end = i;
		/* its start: words and single separators */
		while (i > limit) {
			unsigned char c = p[i - 1];

			if (isaln(c) || c == '#' || c == '\'') {
				digits |= isdig(c);
				i--;
			} else if ((c == ' ' || c == '_' || c == '-' || c == '.' || c == '+') && i - 1 > limit &&
				   (isaln(p[i - 2]) || (c == ' ' && p[i - 2] == '.') ||
				    (c == '_' && p[i - 2] == '_'))) {
				i--;	/* "Soc. Sec.", "Social+Security" (a form), "license__no" */
			} else {
				break;
			}
		}
		dlp_split_words(p, i, end, &ph);
		if (digits && dlp_drop_values(&ph))
			return L_NONE;	/* the phrase ends in another value */
		if ((l = dlp_phrase_label(&ph)))
			return l;
		if (only_qualifiers(&ph))
			continue;
		/*
		 * Unknown: the key of this value ("taxpayer=...") or another
		 * value ("1E88YT5NM37") ends the search; words of a sentence
		 * ("SSN for John Smith") are passed over.
		 */
		if ((nth == 0 && key) || digits)
			return L_NONE;
	}
	return L_NONE;
}

/* The formats that name values away from them, in the order they are asked. */
static const struct dlp_format *const resolvers[] = { &dlp_fmt_markup, &dlp_fmt_table };

int dlp_label_at(const struct gf_dlp_scratch *s, size_t pos, size_t window)
{
	int l;

	for (size_t i = 0; i < sizeof(resolvers) / sizeof(*resolvers); i++)
		if ((l = resolvers[i]->label(s, pos)))
			return l;
	return name_before(s, pos, window);
}

int dlp_vetoed(const struct gf_dlp_scratch *s, size_t pos, int label)
{
	const struct dlp_rule *r = &dlp_rules[label];

	return r->veto >> dlp_label_at(s, pos, r->veto_within) & 1;
}
