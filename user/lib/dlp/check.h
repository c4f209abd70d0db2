/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scanner's validators: number rules and checksums, no context.  Each
 * takes the digits (or characters) of a candidate, normalized.
 */
#ifndef GF_DLP_DLP_CHECK_H
#define GF_DLP_DLP_CHECK_H

#include <stddef.h>

int luhn(const char *d, size_t n);
int all_same(const char *d, size_t n);
int ssn_ok(const char *d);			/* 9 digits */
int card_ok(const char *d, size_t n);		/* 13-19 digits: Luhn, issuer, length */
int aba_ok(const char *d);			/* 9 digits: prefix, 3-7-1 checksum */
int npi_ok(const char *d);			/* 10 digits: Luhn with 80840 */
int phone_ok(const char *d);			/* 10 digits: NANP */
int iban_len(const unsigned char *cc);
/* The lower-case IBAN start, one alternative per country: "(?:ad|ae|...)\d\d[ +-]?[a-z0-9]{4}". */
const char *iban_lower_re(void);		/* 0: not an IBAN country */
int iban_mod97(const char *v, int n);		/* compact, uppercase */
/* No letter where the country's BBAN has only digits (iban.def); v compact, uppercase. */
int iban_bban_ok(const char *v, int n);
int mbi_ok(const char *v);			/* 11 characters, uppercase */

#endif
