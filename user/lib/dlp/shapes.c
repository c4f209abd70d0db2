// SPDX-License-Identifier: GPL-2.0
/*
 * Shapes that need no name: a dashed SSN, card numbers (a run or groups),
 * formatted US phone numbers, IBANs, Medicare MBIs, email addresses.  Each
 * handler gets the end of its pattern's match, finds the candidate's
 * bounds, and reports it if the validators (check.c) agree and no name
 * nearby says it is something else (dlp_rules' veto).
 */
#include <ctype.h>
#include <string.h>
#include "check.h"
#include "scan.h"

void dlp_ssn_dash(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	size_t start = to - 11;
	const unsigned char *p = s->buf + start;
	char d[9];

	if ((start && (isdig(p[-1]) || p[-1] == '-')) || isdig(at(s, to)) || at(s, to) == '-')
		return;
	memcpy(d, p, 3);
	memcpy(d + 3, p + 4, 2);
	memcpy(d + 5, p + 7, 4);
	/* unless its own field says otherwise ("order: 123-45-6789") */
	if (ssn_ok(d) && !dlp_vetoed(s, start, L_SSN))
		dlp_emit(s, GF_DLP_SSN, start, to, d, 9);
}

void dlp_card_run(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	size_t end = isdig(s->buf[to - 1]) ? to : to - 1, start = end;

	while (start > 0 && isdig(s->buf[start - 1]))
		start--;
	if (end - start > 19 || (start && isaln(s->buf[start - 1])) || isaln(at(s, end)))
		return;
	if (card_ok((const char *)s->buf + start, end - start))
		dlp_emit(s, GF_DLP_PAYMENT_CARD, start, end, (const char *)s->buf + start, end - start);
}

/* A whole valid 4-4-4-4 card with separator sep from i on: another card beside this one. */
static int card_beside(const struct gf_dlp_scratch *s, size_t i, unsigned char sep)
{
	char d[16];
	int n = 0;

	if (i + 19 > s->len || isdig(at(s, i + 19)) || (i && isdig(s->buf[i - 1]) && s->buf[i - 1] != sep))
		return 0;
	for (int k = 0; k < 19; k++) {
		unsigned char c = s->buf[i + k];

		if (k % 5 == 4 ? c != sep : !isdig(c))
			return 0;
		if (k % 5 != 4)
			d[n++] = c;
	}
	return card_ok(d, 16);
}

void dlp_card_group(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	size_t start = to - pat->width, end = to, n = 0;
	const unsigned char *p = s->buf;
	char sep = p[start + 4], d[20];

	for (size_t i = start; i < end; i++)
		if (!isdig(p[i]) && p[i] != (unsigned char)sep)
			return;	/* mixed separators */
	if (pat->width == 19 && at(s, end) == sep && isdig(at(s, end + 1)) && isdig(at(s, end + 2)) &&
	    isdig(at(s, end + 3)) && !isdig(at(s, end + 4)))
		end += 4;	/* 4-4-4-4-3 */
	else if (pat->width == 16 && isdig(at(s, end)) && !isdig(at(s, end + 1)))
		end += 1;	/* 4-6-5 */
	if (isdig(at(s, end)) || isaln(at(s, end)))
		return;
	if (at(s, end) == sep && !(pat->width == 19 && end == to && card_beside(s, end + 1, sep))) {
		size_t r = end + 1;

		while (r < s->len && isdig(p[r]) && r - end <= 5)
			r++;
		if (r > end + 1 && r - end - 1 <= 4)
			return;	/* a short group follows: part of a longer number (not another card) */
	}
	if (start && isaln(p[start - 1]))
		return;
	if (start >= 2 && p[start - 1] == sep && isdig(p[start - 2]) &&
	    !(pat->width == 19 && start >= 20 && card_beside(s, start - 20, sep))) {
		size_t r = start - 1;

		while (r > 0 && isdig(p[r - 1]) && start - 1 - r <= 5)
			r--;
		/* a short group before: part of a longer number; unless it ends a word ("ccNumber1 4705 ...") */
		if (start - 1 - r <= 4 && !(r > 0 && islow(p[r - 1])))	/* not "AT77 3835 ..." (an IBAN) */
			return;
	}
	for (size_t i = start; i < end; i++)
		if (isdig(p[i]))
			d[n++] = p[i];
	if (card_ok(d, n))
		dlp_emit(s, GF_DLP_PAYMENT_CARD, start, end, d, n);
}

static void phone_digits(struct gf_dlp_scratch *s, size_t start, size_t end)
{
	char d[10];
	size_t n = 0;

	if (isdig(at(s, end)) || (at(s, end) == '.' && isdig(at(s, end + 1))) ||
	    (at(s, end) == '-' && isdig(at(s, end + 1))))
		return;
	for (size_t i = start; i < end && n <= 10; i++)
		if (isdig(s->buf[i]))
			d[n++] = s->buf[i];
	if (n == 10 && phone_ok(d) && !dlp_vetoed(s, start, L_PHONE))
		dlp_emit(s, GF_DLP_US_PHONE, start, end, d, 10);
}

/*
 * A country code before a US number that starts at start (NANP, written
 * internationally): "+1 ", "+1-", "+1.", "+1" before '(', "1-", "1 ",
 * "001 ".  Returns where the code starts; start when there is none;
 * SIZE_MAX when a country code other than 1 stands there ("+44 20 ..."),
 * which makes it no US number.
 */
#define NOT_US ((size_t)-1)
static size_t us_country_code(const struct gf_dlp_scratch *s, size_t start)
{
	const unsigned char *p = s->buf;
	size_t i = start, d;

	if (i && (p[i - 1] == ' ' || p[i - 1] == '-' || p[i - 1] == '.'))
		i--;
	else if (!(i && isdig(p[i - 1]) && p[start] == '('))
		return start;	/* "+1(212) ...": no separator before a parenthesis */
	for (d = i; d > 0 && isdig(p[d - 1]) && i - d < 4; d--)
		;
	if (d == i)
		return start;
	if (d && isaln(p[d - 1]))
		return start;	/* glued to a word or a longer number: the caller decides */
	if (d && p[d - 1] == '+')
		return i - d == 1 && p[d] == '1' ? d - 1 : NOT_US;
	if ((i - d == 1 && p[d] == '1') || (i - d == 3 && !memcmp(p + d, "001", 3)))
		return d;
	return start;
}

void dlp_phone(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	size_t start = to - 12, cc;
	const unsigned char *p = s->buf;

	if (p[start + 3] != p[start + 7])
		return;	/* 415-555.2671 */
	cc = us_country_code(s, start);
	if (cc == NOT_US)
		return;
	if (cc != start) {
		phone_digits(s, start, to);	/* reported as the national number */
		return;
	}
	if (start && (isdig(p[start - 1]) || p[start - 1] == '.' || p[start - 1] == '-' ||
		      (p[start - 1] == ' ' && p[start + 3] == ' ' && start >= 2 && isdig(p[start - 2]))))
		return;
	phone_digits(s, start, to);
}

void dlp_phone_paren(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	size_t close = to - 9, start;

	if (s->buf[close] != ')')
		close--;	/* ") " or ")+" */
	if (s->buf[close] != ')' || close < 4 || s->buf[close - 4] != '(')
		return;
	start = close - 4;
	for (size_t i = start + 1; i < close; i++)
		if (!isdig(s->buf[i]))
			return;
	if (us_country_code(s, start) == NOT_US)
		return;
	if (us_country_code(s, start) == start && start && isdig(s->buf[start - 1]))
		return;
	phone_digits(s, start, to);
}

/*
 * An IBAN as people type it: compact or grouped by spaces, '+' or dashes,
 * in fours or not (one separator at a time), of the country's length (ISO
 * 13616), mod 97, with letters only where the country's BBAN has them
 * (iban.def).  The pattern finds upper case; the letters after the
 * country code may be of either case, not of both.
 */
void dlp_iban(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	unsigned char sep5 = s->buf[to - 5], cc[2];
	size_t start = to - ((sep5 == ' ' || sep5 == '+' || sep5 == '-') ? 9 : 8), i = start;
	int want, n = 0, lower = 0, upper = 0;
	char v[40];

	cc[0] = toupper(s->buf[start]);
	cc[1] = toupper(s->buf[start + 1]);
	want = iban_len(cc);
	if (!want || (start && isaln(s->buf[start - 1])))
		return;
	while (i < s->len && n < want) {
		unsigned char c = s->buf[i];

		if (isdig(c) || isup(c) || islow(c)) {
			lower |= islow(c);
			upper |= isup(c) && n >= 2;
			v[n++] = toupper(c);
			i++;
		} else if ((c == ' ' || c == '+' || c == '-') && n >= 4 && isaln(at(s, i + 1))) {
			i++;
		} else {
			return;
		}
	}
	/* one case for the letters (the country code apart): "de89 3704 ..." or "DE89 WEST ..." */
	if (n != want || isaln(at(s, i)) || (lower && upper))
		return;
	if (iban_mod97(v, n) && iban_bban_ok(v, n))
		dlp_emit(s, GF_DLP_IBAN, start, i, v, n);
}

void dlp_mbi(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	int dashed = s->buf[to - 5] == '-';
	size_t width = dashed ? 13 : 11, start, n = 0;
	char v[11];

	if (to < width || isaln(at(s, to)))
		return;
	start = to - width;
	if ((start && isaln(s->buf[start - 1])) || (dashed && s->buf[start + 4] != '-'))
		return;
	for (size_t i = start; i < to && n < 11; i++)
		if (s->buf[i] != '-')
			v[n++] = s->buf[i];
	if (n == 11 && mbi_ok(v))
		dlp_emit(s, GF_DLP_HEALTH_MBI, start, to, v, 11);
}

static int email_local(unsigned char c)
{
	return isaln(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/*
 * The top-level domain of an address: letters (RFC 1123), an A-label
 * ("xn--p1ai", RFC 5890), or letters of another script in UTF-8 (the
 * U-label "рф", RFC 6531 addresses).
 */
static int email_tld(const unsigned char *t, size_t n)
{
	int ascii = 1, utf8 = 1;

	if (n >= 5 && (t[0] | 0x20) == 'x' && (t[1] | 0x20) == 'n' && t[2] == '-' && t[3] == '-') {
		for (size_t i = 4; i < n; i++)
			if (!isaln(t[i]) && t[i] != '-')
				return 0;
		return t[n - 1] != '-';
	}
	for (size_t i = 0; i < n; i++) {
		ascii &= isup(t[i]) || islow(t[i]);
		utf8 &= t[i] >= 0x80;
	}
	return ascii || (utf8 && n >= 2);
}

static int email_domain(unsigned char c)
{
	return isaln(c) || c == '-' || c == '.' || c >= 0x80;
}

void dlp_email(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	size_t at_ = to - 2, start = at_, end = at_ + 1, dot = 0;	/* "@" and one byte: a letter, a digit, a UTF-8 lead */
	char v[320];

	while (start > 0 && at_ - start < 64 && email_local(s->buf[start - 1]))
		start--;
	while (start < at_ && !isaln(s->buf[start]))
		start++;	/* ".john" or "-" in front: not part of it */
	if (start == at_)
		return;
	while (end < s->len && end - at_ < 254 && email_domain(s->buf[end]))
		end++;
	while (end > at_ + 1 && (s->buf[end - 1] == '.' || s->buf[end - 1] == '-'))
		end--;	/* the full stop of a sentence */
	for (size_t i = at_ + 1; i < end; i++)
		if (s->buf[i] == '.')
			dot = i;
	if (!dot || dot >= end - 2 || s->buf[dot - 1] == '.' || dot == at_ + 1)
		return;
	if (!email_tld(s->buf + dot + 1, end - dot - 1))
		return;
	for (size_t i = start; i < end; i++)
		v[i - start] = s->buf[i] < 0x80 ? tolower(s->buf[i]) : s->buf[i];
	dlp_emit(s, GF_DLP_EMAIL, start, end, v, end - start);
}
