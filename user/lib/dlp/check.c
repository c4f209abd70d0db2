// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "check.h"

int luhn(const char *d, size_t n)
{
	int sum = 0, dbl = 0;

	for (size_t i = n; i-- > 0; dbl = !dbl) {
		int v = d[i] - '0';

		if (dbl && (v *= 2) > 9)
			v -= 9;
		sum += v;
	}
	return sum % 10 == 0;
}

int all_same(const char *d, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (d[i] != d[0])
			return 0;
	return 1;
}

static int num(const char *d, int n)
{
	int v = 0;

	while (n--)
		v = v * 10 + (*d++ - '0');
	return v;
}

int ssn_ok(const char *d)
{
	/* numbers seen in advertising and sample cards, never valid */
	static const char *const advertised[] = { "078051120", "219099999", "457555462", "123456789" };
	int area = num(d, 3), group = num(d + 3, 2), serial = num(d + 5, 4);

	if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 || all_same(d, 9))
		return 0;
	if (area == 987 && group == 65 && serial >= 4320 && serial <= 4329)
		return 0;	/* reserved for advertising */
	for (size_t i = 0; i < sizeof(advertised) / sizeof(*advertised); i++)
		if (!memcmp(d, advertised[i], 9))
			return 0;
	return 1;
}

/* Issuer ranges and lengths of the card networks. */
int card_ok(const char *d, size_t n)
{
	int p2 = num(d, 2), p3 = num(d, 3), p4 = num(d, 4), p6 = num(d, 6);
	int ok = 0;

	if (n < 13 || n > 19 || !luhn(d, n) || all_same(d, n))
		return 0;
	if (d[0] == '4')
		ok = n == 13 || n == 16 || n == 19;				/* Visa */
	else if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
		ok = n == 16;							/* Mastercard */
	else if (p2 == 34 || p2 == 37)
		ok = n == 15;							/* Amex */
	else if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 ||
		 (p6 >= 622126 && p6 <= 622925))
		ok = n >= 16;							/* Discover */
	else if (p4 >= 3528 && p4 <= 3589)
		ok = n >= 16;							/* JCB */
	else if (p2 == 62 || p2 == 81)
		ok = n >= 16;							/* UnionPay */
	else if ((p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39)
		ok = n >= 14;							/* Diners */
	return ok;
}

int aba_ok(const char *d)
{
	int p = num(d, 2), sum;

	if (!((p >= 1 && p <= 12) || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p == 80))
		return 0;
	sum = 3 * (d[0] + d[3] + d[6] - 3 * '0') + 7 * (d[1] + d[4] + d[7] - 3 * '0') +
	      (d[2] + d[5] + d[8] - 3 * '0');
	return sum % 10 == 0 && !all_same(d, 9);
}

int npi_ok(const char *d)
{
	char full[15] = "80840";

	if (d[0] != '1' && d[0] != '2')
		return 0;
	memcpy(full + 5, d, 10);
	return luhn(full, 15);
}

/* North American numbering: NXX-NXX-XXXX, no N11, no 555-01XX. */
int phone_ok(const char *d)
{
	if (d[0] < '2' || d[3] < '2')
		return 0;
	if ((d[1] == '1' && d[2] == '1') || (d[4] == '1' && d[5] == '1'))
		return 0;
	if (!memcmp(d + 3, "555", 3) && d[6] == '0' && d[7] == '1')
		return 0;
	return !all_same(d, 10);
}

/* The IBAN countries (iban.def): length and BBAN structure. */
static const struct iban_country {
	char cc[3];
	unsigned char len;
	const char *bban;
} iban_countries[] = {
#define IBAN(cc, len, bban) { cc, len, bban },
#include "iban.def"
#undef IBAN
};

static const struct iban_country *iban_country(const unsigned char *cc)
{
	for (size_t i = 0; i < sizeof(iban_countries) / sizeof(*iban_countries); i++)
		if (iban_countries[i].cc[0] == cc[0] && iban_countries[i].cc[1] == cc[1])
			return &iban_countries[i];
	return NULL;
}

int iban_len(const unsigned char *cc)
{
	const struct iban_country *c = iban_country(cc);

	return c ? c->len : 0;
}

int iban_bban_ok(const char *v, int n)
{
	const struct iban_country *c = iban_country((const unsigned char *)v);
	const char *f;
	int pos = 4;

	if (!c || n != c->len)
		return 0;
	for (f = c->bban; *f;) {
		int run = 0;

		while (*f >= '0' && *f <= '9')
			run = run * 10 + (*f++ - '0');
		for (; run > 0; run--, pos++) {
			unsigned char ch = v[pos];

			/*
			 * letters only where the registry allows them; a digit
			 * where it has letters is let pass (some writers, and
			 * test data, fill a bank code with digits)
			 */
			if (pos >= n || (*f == 'n' && !isdigit(ch)) || (!isdigit(ch) && !isupper(ch)))
				return 0;
		}
		f++;
	}
	return pos == n;
}

int iban_mod97(const char *v, int n)
{
	int r = 0;

	for (int i = 0; i < n; i++) {
		char c = v[(i + 4) % n];

		if (isdigit((unsigned char)c))
			r = (r * 10 + (c - '0')) % 97;
		else
			r = (r * 100 + (c - 'A' + 10)) % 97;
	}
	return r == 1;
}

/* Medicare Beneficiary Identifier: C A AN N A AN N A A N N, no S L O I B Z. */
static int mbi_alpha(char c)
{
	return c >= 'A' && c <= 'Z' && !strchr("SLOIBZ", c);
}

int mbi_ok(const char *v)
{
	static const char shape[] = "CAPNAPNAANN";	/* C 1-9, A letter, P letter or digit, N digit */

	for (int i = 0; i < 11; i++) {
		char c = v[i];
		int digit = c >= '0' && c <= '9';

		switch (shape[i]) {
		case 'C': if (c < '1' || c > '9') return 0; break;
		case 'A': if (!mbi_alpha(c)) return 0; break;
		case 'P': if (!digit && !mbi_alpha(c)) return 0; break;
		case 'N': if (!digit) return 0; break;
		}
	}
	return 1;
}
