// SPDX-License-Identifier: GPL-2.0
/*
 * The sensitive-data scanner.  How it works:
 *
 * 1. One Hyperscan block-mode database holds two kinds of patterns:
 *    candidates (an SSN shape, a digit run, the start of an IBAN, a decimal
 *    number, an '@'...) and labels (context keywords: "ssn", "passport",
 *    "routing", "diagnosis"...).  No pattern asks for start of match: each
 *    candidate either has a fixed width ending in a digit, or a shape that a
 *    validator can walk back from its end offset, or is anchored on a fixed
 *    start that the validator parses forward from.  Candidate patterns carry
 *    their boundaries, so a digit run only matches whole.
 * 2. The match callback only records (end offset, pattern); after the scan
 *    the events are sorted by offset, labels first, and replayed: labels
 *    update "the keyword nearest before", candidates are validated.
 * 3. Validators: checksums (Luhn, ABA 3-7-1, IBAN mod 97, NPI Luhn with the
 *    80840 prefix), issuer ranges, SSN number rules, and for values whose
 *    shape alone is ambiguous (undashed SSN, passport, driver's licence,
 *    routing, NPI, ICD-10, coordinates, biometric fields) the label nearest
 *    before them, or the column header of a CSV-like payload.
 */
#include <ctype.h>
#include <errno.h>
#include <hs/hs.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_dlp.h"

static const char *const cat_names[GF_DLP_MAX] = {
	[GF_DLP_SSN] = "ssn",
	[GF_DLP_PAYMENT_CARD] = "payment_card",
	[GF_DLP_ABA_ROUTING] = "aba_routing",
	[GF_DLP_IBAN] = "iban",
	[GF_DLP_US_PASSPORT] = "us_passport",
	[GF_DLP_US_DRIVERS_LICENSE] = "us_drivers_license",
	[GF_DLP_PRECISE_GEOLOCATION] = "precise_geolocation",
	[GF_DLP_GENOMIC] = "genomic",
	[GF_DLP_HEALTH_NPI] = "health_npi",
	[GF_DLP_HEALTH_MBI] = "health_mbi",
	[GF_DLP_HEALTH_ICD10] = "health_icd10",
	[GF_DLP_BIOMETRIC] = "biometric",
	[GF_DLP_EMAIL] = "email",
	[GF_DLP_US_PHONE] = "us_phone",
};

const char *gf_dlp_cat_name(int cat)
{
	return cat >= 0 && cat < GF_DLP_MAX ? cat_names[cat] : "?";
}

int gf_dlp_cat_from_name(const char *name)
{
	for (int i = 0; i < GF_DLP_MAX; i++)
		if (!strcmp(name, cat_names[i]))
			return i;
	return -1;
}

/* ---------------------------------------------------------------------
 * Patterns
 */
enum label {
	L_NONE,
	L_SSN, L_PASSPORT, L_ABA, L_NPI, L_DL, L_PHONE, L_ICD, L_LAT, L_LON, L_BIO,
	L_OTHER,	/* a field that is none of ours: order, invoice, EIN... */
	L_MAX
};

enum kind {
	K_LABEL,	/* arg: enum label */
	K_SSN_DASH,	/* ddd-dd-dddd */
	K_SSN_SPACE,	/* ddd dd dddd, with a label */
	K_TOKEN,	/* [A-Za-z]{0,2}\d{6,19}, walked back */
	K_CARD_GROUP,	/* 4-4-4-4 and the like: arg = separator */
	K_PHONE,	/* fixed-width formats */
	K_IBAN,		/* CCdd, parsed forward */
	K_MBI,		/* 11 or 13 (dashed) characters */
	K_ICD,		/* A00, parsed forward, with a label */
	K_DEC,		/* -?d{1,3}.ddd, parsed both ways */
	K_EMAIL,	/* x@y around the '@' */
	K_GENOMIC,	/* a file header or record: once per payload */
	K_BIO_HDR,	/* ISO/IEC 19794 record header, raw or base64 */
	K_BIO_B64,	/* a long base64 run, with a label */
	K_BIO_FLOATS,	/* an array of floats, with a label */
};

struct pattern {
	const char *re;
	unsigned int flags;
	enum kind kind;
	int width;	/* fixed-width kinds: the value's width */
	int arg;
};

/* Boundaries: a candidate's neighbours, consumed by the pattern. */
#define NDIG_L "(?:^|[^0-9])"
#define NDIG_R "(?:[^0-9]|$)"
#define NALN_L "(?:^|[^A-Za-z0-9])"
#define NALN_R "(?:[^A-Za-z0-9]|$)"
#define MBI_A "[AC-HJKMNP-RT-Y]"
#define MBI_AN "[AC-HJKMNP-RT-Y0-9]"

#define CI HS_FLAG_CASELESS
#define ONCE HS_FLAG_SINGLEMATCH
#define BIN (HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH)

static const struct pattern patterns[] = {
	/* SSN */
	{ "(?:^|[^0-9-])\\d{3}-\\d{2}-\\d{4}(?:[^0-9-]|$)", 0, K_SSN_DASH, 11, 0 },
	{ NDIG_L "\\d{3} \\d{2} \\d{4}" NDIG_R, 0, K_SSN_SPACE, 11, 0 },
	{ NDIG_L "\\d{3}\\+\\d{2}\\+\\d{4}" NDIG_R, 0, K_SSN_SPACE, 11, 0 },	/* form-encoded */
	/* digit runs, with up to two letters in front */
	{ NALN_L "[A-Za-z]{0,2}\\d{6,19}" NALN_R, 0, K_TOKEN, 0, 0 },
	/* cards in groups */
	{ NDIG_L "\\d{4} \\d{4} \\d{4} \\d{4}" NDIG_R, 0, K_CARD_GROUP, 19, ' ' },
	{ "(?:^|[^0-9-])\\d{4}-\\d{4}-\\d{4}-\\d{4}(?:[^0-9-]|$)", 0, K_CARD_GROUP, 19, '-' },
	{ NDIG_L "\\d{4} \\d{4} \\d{4} \\d{4} \\d{3}" NDIG_R, 0, K_CARD_GROUP, 23, ' ' },
	{ "(?:^|[^0-9-])\\d{4}-\\d{4}-\\d{4}-\\d{4}-\\d{3}(?:[^0-9-]|$)", 0, K_CARD_GROUP, 23, '-' },
	{ NDIG_L "\\d{4} \\d{6} \\d{5}" NDIG_R, 0, K_CARD_GROUP, 17, ' ' },
	{ "(?:^|[^0-9-])\\d{4}-\\d{6}-\\d{5}(?:[^0-9-]|$)", 0, K_CARD_GROUP, 17, '-' },
	{ NDIG_L "\\d{4} \\d{6} \\d{4}" NDIG_R, 0, K_CARD_GROUP, 16, ' ' },
	{ "(?:^|[^0-9-])\\d{4}-\\d{6}-\\d{4}(?:[^0-9-]|$)", 0, K_CARD_GROUP, 16, '-' },
	/* form-encoded (space as '+') */
	{ NDIG_L "\\d{4}\\+\\d{4}\\+\\d{4}\\+\\d{4}" NDIG_R, 0, K_CARD_GROUP, 19, '+' },
	{ NDIG_L "\\d{4}\\+\\d{4}\\+\\d{4}\\+\\d{4}\\+\\d{3}" NDIG_R, 0, K_CARD_GROUP, 23, '+' },
	{ NDIG_L "\\d{4}\\+\\d{6}\\+\\d{5}" NDIG_R, 0, K_CARD_GROUP, 17, '+' },
	{ NDIG_L "\\d{4}\\+\\d{6}\\+\\d{4}" NDIG_R, 0, K_CARD_GROUP, 16, '+' },
	/* US phones */
	{ "(?:^|[^0-9-])\\d{3}-\\d{3}-\\d{4}(?:[^0-9-]|$)", 0, K_PHONE, 12, 0 },
	{ "(?:^|[^0-9.])\\d{3}\\.\\d{3}\\.\\d{4}(?:[^0-9]|$)", 0, K_PHONE, 12, 0 },
	{ NDIG_L "\\d{3} \\d{3} \\d{4}" NDIG_R, 0, K_PHONE, 12, 0 },
	{ "\\(\\d{3}\\)\\d{3}-\\d{4}" NDIG_R, 0, K_PHONE, 13, 0 },
	{ "\\(\\d{3}\\)[ +]\\d{3}-\\d{4}" NDIG_R, 0, K_PHONE, 14, 0 },
	/* IBAN */
	{ NALN_L "[A-Z]{2}\\d{2}", 0, K_IBAN, 4, 0 },
	/* Medicare Beneficiary Identifier */
	{ NALN_L "[1-9]" MBI_A MBI_AN "\\d" MBI_A MBI_AN "\\d" MBI_A MBI_A "\\d\\d" NALN_R, 0, K_MBI, 11, 0 },
	{ NALN_L "[1-9]" MBI_A MBI_AN "\\d-" MBI_A MBI_AN "\\d-" MBI_A MBI_A "\\d\\d" NALN_R, 0, K_MBI,
	  13, 0 },
	/* ICD-10-CM code start */
	{ "(?:^|[^A-Za-z0-9.])[A-TV-Z]\\d[0-9A-Z]", 0, K_ICD, 3, 0 },
	/* a decimal with three or more decimals: coordinates */
	{ "(?:^|[^0-9.])-?\\d{1,3}\\.\\d{3}", 0, K_DEC, 0, 0 },
	/* email */
	{ "[A-Za-z0-9._%+-]@[A-Za-z0-9]", 0, K_EMAIL, 0, 0 },
	/* genomic: headers, magic numbers, records, long nucleotide runs */
	{ "##fileformat=VCFv\\d", ONCE, K_GENOMIC, 0, 0 },
	{ "(?:^|\\n)@(?:HD\\tVN|SQ\\tSN|RG\\tID|PG\\tID):", ONCE, K_GENOMIC, 0, 0 },
	{ "\\x1f\\x8b\\x08\\x04.{6}\\x06\\x00BC\\x02\\x00", BIN, K_GENOMIC, 0, 0 },
	{ "CRAM[\\x02\\x03][\\x00\\x01]", BIN, K_GENOMIC, 0, 0 },
	{ "BCF\\x02[\\x01\\x02]", BIN, K_GENOMIC, 0, 0 },
	{ "BAM\\x01", BIN, K_GENOMIC, 0, 0 },
	{ "(?:^|\\n)[>@][^\\s][^\\n]{0,120}\\n[ACGTNacgtn]{24}", ONCE, K_GENOMIC, 0, 0 },
	{ "[ACGTacgt]{60}", ONCE, K_GENOMIC, 0, 0 },
	{ "(?:^|\\n)rs\\d{2,10}[\\t,] ?(?:\\d{1,2}|X|Y|MT)[\\t,] ?\\d{1,10}[\\t,] ?[ACGTDI0-]{1,2}[\\t\\r\\n,]", ONCE,
	  K_GENOMIC, 0, 0 },
	{ "rsid[\\t,] ?chromosome[\\t,] ?position", CI | ONCE, K_GENOMIC, 0, 0 },
	/* biometric: ISO/IEC 19794 record headers (raw; base64 ones are added at open) */
	{ "(?:FMR|FIR|FAC|IIR)\\x00(?: 20|0[1-3]0)\\x00", HS_FLAG_DOTALL, K_BIO_HDR, 8, 0 },
	{ "(?:^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{40}", 0, K_BIO_B64, 40, 0 },
	{ "\\[\\s?-?\\d\\.\\d{2,}\\s?,", 0, K_BIO_FLOATS, 0, 0 },
};

/*
 * Context keywords, by label.  Each becomes four patterns: any case with
 * ' ' standing for an optional separator ("Social Security", "social_security",
 * "SOCIALSECURITY", "Soc. Sec."), CamelCase after a lowercase letter or digit
 * ("taxpayerSSN", "bankRouting"), and camelCase or lowercase before an
 * uppercase letter ("faceVector", "ssnLast4").  Never inside a word.
 */
static const struct {
	int label;
	const char *terms;	/* lowercase, '|'-separated */
	const char *caps;	/* all-caps forms */
} label_words[] = {
	{ L_SSN, "ssn|ssns|social|social security|soc sec|ss#|ss no|social security number|"
		 "social security no",
	  "SSN|SSNS" },
	{ L_PASSPORT, "passport|passport no|passport number|passport num|passport id", NULL },
	{ L_ABA, "routing|aba|rtn|transit no|transit number|routing number|routing no|routing num|"
		 "bank routing|aba number", "ABA|RTN" },
	{ L_NPI, "npi|national provider|national provider identifier|npi number|provider npi", "NPI" },
	{ L_DL, "driver|drivers|driver's|drivers license|driver license|driver's license|"
		"drivers licence|driver licence|driver's licence|license|licence|dl|dln|dl#|dl no|"
		"dl num|dl number|license number|license no|licence number|licence no", "DL|DLN" },
	{ L_PHONE, "phone|telephone|tel|mobile|cell|fax|phone number|mobile number|cell phone|"
		   "phone no|contact number", NULL },
	{ L_ICD, "icd|icd 10|icd10|icd 10 cm|diagnosis|diagnoses|diagnosis code|diagnosis codes|dx|"
		 "dx code|dx codes", "ICD|ICD10|DX" },
	{ L_LAT, "lat|latitude", NULL },
	{ L_LON, "lon|lng|long|longitude", NULL },
	{ L_BIO, "fingerprint|fingerprints|finger print|fingerprint template|faceprint|face template|"
		 "face embedding|face encoding|face vector|face print|facial template|facial geometry|"
		 "facial embedding|iris template|iris code|iris scan|minutiae|voice print|voiceprint|"
		 "palm print|palmprint|retina scan|biometric|biometrics|biometric template|biometric data",
	  NULL },
	/* fields that are none of ours: a number after them is not an SSN or a phone */
	{ L_OTHER, "order|orders|order id|order no|order number|invoice|invoice no|ein|itin|tin|fein|"
		   "tracking|tracking number|ref|reference|customer|customer id|account|acct|"
		   "account number|account no|zip|zip code|postal code|timestamp|ts|time|date|amount|"
		   "price|qty|sku|uuid|serial|serial number|member|member id|claim|claim id|po|ticket|"
		   "isbn|id|user id|request id|transaction|transaction id|txn|balance|port|pid|build|"
		   "version|employer id|tax id", "EIN|ITIN|TIN|FEIN|ID|PO|SKU|UUID|ISBN|TXN|PID" },
};

#define NLABELPAT (4 * sizeof(label_words) / sizeof(label_words[0]))
#define NPAT (sizeof(patterns) / sizeof(patterns[0]))
#define NB64 6	/* base64 forms of the 19794 headers */
#define NALL (NLABELPAT + NPAT + NB64)

struct gf_dlp {
	hs_database_t *db;
	hs_scratch_t *proto;
	struct pattern pat[NALL];
	char b64re[NB64][64];
	char labelre[NLABELPAT][2048];
};

/* ---------------------------------------------------------------------
 * Scratch: Hyperscan's, the events of one scan, the replay state
 */
struct event {
	unsigned long long to;
	unsigned int id;
};

struct span {
	size_t start, end;
};

#define LABEL_RING 16
#define SPANS 4
#define HDR_COLS 64

struct gf_dlp_scratch {
	hs_scratch_t *hs;
	struct event *ev;
	size_t nev, cap;
	int overflow;
	unsigned char *dec;	/* a URL-decoded copy of the payload */
	size_t dec_cap;
	/* replay */
	const unsigned char *buf;
	size_t len;
	const struct gf_dlp *d;
	gf_dlp_match_fn fn;
	void *ctx;
	struct { size_t end; int label; } ring[LABEL_RING];
	unsigned int nring;
	struct span spans[GF_DLP_MAX][SPANS];
	unsigned int nspans[GF_DLP_MAX];
	int genomic_done;
	/* a CSV-like payload: the first line's labels by column */
	char delim;
	size_t header_end;
	signed char header[HDR_COLS];
	/* coordinates given as lat=/lon= fields */
	double pend_val;
	size_t pend_end;
	int pend_label;
	size_t pair_until;
};

#define MAX_EVENTS (1u << 22)

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	struct gf_dlp_scratch *s = ctx;

	(void)from;
	(void)flags;
	if (s->nev == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct event *ev;

		if (cap > MAX_EVENTS || !(ev = realloc(s->ev, cap * sizeof(*ev)))) {
			s->overflow = 1;
			return 1;	/* stop: the caller reports it */
		}
		s->ev = ev;
		s->cap = cap;
	}
	s->ev[s->nev++] = (struct event){ to, id };
	return 0;
}

/* ---------------------------------------------------------------------
 * Checks
 */
static int luhn(const char *d, size_t n)
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

static int all_same(const char *d, size_t n)
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

static int ssn_ok(const char *d)
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
static int card_ok(const char *d, size_t n)
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

static int aba_ok(const char *d)
{
	int p = num(d, 2), sum;

	if (!((p >= 1 && p <= 12) || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p == 80))
		return 0;
	sum = 3 * (d[0] + d[3] + d[6] - 3 * '0') + 7 * (d[1] + d[4] + d[7] - 3 * '0') +
	      (d[2] + d[5] + d[8] - 3 * '0');
	return sum % 10 == 0 && !all_same(d, 9);
}

static int npi_ok(const char *d)
{
	char full[15] = "80840";

	if (d[0] != '1' && d[0] != '2')
		return 0;
	memcpy(full + 5, d, 10);
	return luhn(full, 15);
}

/* North American numbering: NXX-NXX-XXXX, no N11, no 555-01XX. */
static int phone_ok(const char *d)
{
	if (d[0] < '2' || d[3] < '2')
		return 0;
	if ((d[1] == '1' && d[2] == '1') || (d[4] == '1' && d[5] == '1'))
		return 0;
	if (!memcmp(d + 3, "555", 3) && d[6] == '0' && d[7] == '1')
		return 0;
	return !all_same(d, 10);
}

/* IBAN lengths per country (the SWIFT registry). */
static int iban_len(const unsigned char *cc)
{
	static const struct { char cc[3]; unsigned char len; } t[] = {
		{ "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 }, { "BA", 20 },
		{ "BE", 16 }, { "BG", 22 }, { "BH", 22 }, { "BI", 27 }, { "BR", 29 }, { "BY", 28 },
		{ "CH", 21 }, { "CR", 22 }, { "CY", 28 }, { "CZ", 24 }, { "DE", 22 }, { "DJ", 27 },
		{ "DK", 18 }, { "DO", 28 }, { "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 },
		{ "FK", 18 }, { "FO", 18 }, { "FR", 27 }, { "GB", 22 }, { "GE", 22 }, { "GI", 23 },
		{ "GL", 18 }, { "GR", 27 }, { "GT", 28 }, { "HN", 28 }, { "HR", 21 }, { "HU", 28 },
		{ "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 }, { "IT", 27 }, { "JO", 30 },
		{ "KW", 30 }, { "KZ", 20 }, { "LB", 28 }, { "LC", 32 }, { "LI", 21 }, { "LT", 20 },
		{ "LU", 20 }, { "LV", 21 }, { "LY", 25 }, { "MC", 27 }, { "MD", 24 }, { "ME", 22 },
		{ "MK", 19 }, { "MN", 20 }, { "MR", 27 }, { "MT", 31 }, { "MU", 30 }, { "NI", 28 },
		{ "NL", 18 }, { "NO", 15 }, { "OM", 23 }, { "PK", 24 }, { "PL", 28 }, { "PS", 29 },
		{ "PT", 25 }, { "QA", 29 }, { "RO", 24 }, { "RS", 22 }, { "RU", 33 }, { "SA", 24 },
		{ "SC", 31 }, { "SD", 18 }, { "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 },
		{ "SO", 23 }, { "ST", 25 }, { "SV", 28 }, { "TL", 23 }, { "TN", 24 }, { "TR", 26 },
		{ "UA", 29 }, { "VA", 22 }, { "VG", 24 }, { "XK", 20 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (t[i].cc[0] == cc[0] && t[i].cc[1] == cc[1])
			return t[i].len;
	return 0;
}

static int iban_mod97(const char *v, int n)
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

/* ---------------------------------------------------------------------
 * Replay
 */
static int isdig(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Emit unless a match of the category overlaps it already. */
static void emit(struct gf_dlp_scratch *s, int cat, size_t start, size_t end, const char *value,
		 size_t vlen)
{
	struct span *sp = s->spans[cat];
	unsigned int n = s->nspans[cat];

	for (unsigned int i = 0; i < n && i < SPANS; i++)
		if (start < sp[i].end && sp[i].start < end)
			return;
	sp[n % SPANS] = (struct span){ start, end };
	s->nspans[cat] = n + 1;
	s->fn(cat, value, vlen, s->ctx);
}

/*
 * The label nearest before pos, no further than window bytes.  Below the
 * header of a CSV-like payload, the header's labels are the columns', not
 * the neighbours' of the values.
 */
static int label_before(const struct gf_dlp_scratch *s, size_t pos, size_t window)
{
	size_t floor = s->delim && pos > s->header_end ? s->header_end + 1 : 0;

	for (unsigned int i = 0; i < LABEL_RING && i < s->nring; i++) {
		unsigned int k = (s->nring - 1 - i) % LABEL_RING;
		size_t end = s->ring[k].end;

		if (end > pos + 1)
			continue;	/* after the value (its boundary may overlap by one) */
		if (pos > end + window || end <= floor)
			return L_NONE;
		return s->ring[k].label;
	}
	return L_NONE;
}

/* In a CSV-like payload, the first line's label over the column of pos. */
static int column_label(const struct gf_dlp_scratch *s, size_t pos)
{
	size_t col = 0, i = pos;

	if (!s->delim || pos <= s->header_end)
		return L_NONE;
	while (i > 0 && s->buf[i - 1] != '\n') {
		if (s->buf[i - 1] == s->delim)
			col++;
		i--;
	}
	return col < HDR_COLS ? s->header[col] : L_NONE;
}

static int label_for(const struct gf_dlp_scratch *s, size_t pos, size_t window)
{
	int l = label_before(s, pos, window);

	return l == L_NONE ? column_label(s, pos) : l;
}

/* Are the bytes from..to (exclusive) one identifier: "npi_id", "ssnLast4"? */
static int same_identifier(const struct gf_dlp_scratch *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!isalnum(s->buf[i]) && s->buf[i] != '_' && s->buf[i] != '-' && s->buf[i] != '.')
			return 0;
	return 1;
}

static void on_label(struct gf_dlp_scratch *s, size_t to, int label)
{
	/*
	 * A generic word after a specific one in the same identifier qualifies
	 * it ("npi_id", "passport_number_id"): the specific one stands.
	 */
	if (label == L_OTHER && s->nring) {
		unsigned int k = (s->nring - 1) % LABEL_RING;
		size_t prev = s->ring[k].end;

		if (s->ring[k].label != L_OTHER && prev < to && to - prev <= 12 && prev > 0 &&
		    same_identifier(s, prev - 1, to - 1))
			return;
	}
	/* an XML closing tag names what came before it, not what follows */
	if (to >= 3 && s->buf[to - 1] == '>') {
		size_t i = to - 1;

		while (i > 0 && (isalnum(s->buf[i - 1]) || strchr("_.-:", s->buf[i - 1])))
			i--;
		if (i >= 2 && s->buf[i - 1] == '/' && s->buf[i - 2] == '<')
			return;
	}
	s->ring[s->nring % LABEL_RING].end = to;
	s->ring[s->nring % LABEL_RING].label = label;
	s->nring++;
	if (s->delim && to <= s->header_end + 1) {
		size_t col = 0;

		for (size_t i = 0; i + 1 < to; i++)
			col += s->buf[i] == (unsigned char)s->delim;
		if (col < HDR_COLS)
			s->header[col] = label;
	}
}

/* A fixed-width candidate whose last character is a digit. */
static size_t end_of(const struct gf_dlp_scratch *s, size_t to)
{
	return isdig(s->buf[to - 1]) ? to : to - 1;
}

static void do_ssn(struct gf_dlp_scratch *s, size_t to, int need_label)
{
	size_t end = end_of(s, to), start = end - 11;
	const unsigned char *p = s->buf + start;
	char d[9];
	int l;

	memcpy(d, p, 3);
	memcpy(d + 3, p + 4, 2);
	memcpy(d + 5, p + 7, 4);
	/* dashed: unless its own field says otherwise ("order: 123-45-6789") */
	l = label_for(s, start, need_label ? 48 : 12);
	if (need_label ? l != L_SSN : l == L_OTHER || l == L_PHONE)
		return;
	if (ssn_ok(d))
		emit(s, GF_DLP_SSN, start, end, d, 9);
}

static void do_token(struct gf_dlp_scratch *s, size_t to)
{
	size_t end = end_of(s, to), start = end, n, nl = 0;
	char d[20];
	int l;

	while (start > 0 && isdig(s->buf[start - 1]))
		start--;
	n = end - start;
	while (start > 0 && nl < 2 && isalpha(s->buf[start - 1]))
		start--, nl++;
	if (n < 6 || n > 19)
		return;
	/* a group of a longer number: "3453 393387 80485" (a card stands alone) */
	if (!nl && n < 13 && ((start >= 2 && strchr(" -", s->buf[start - 1]) && isdig(s->buf[start - 2])) ||
		    (end + 1 < s->len && strchr(" -", s->buf[end]) && isdig(s->buf[end + 1]))))
		return;
	memcpy(d, s->buf + end - n, n);
	if (!nl && n >= 13) {
		if (card_ok(d, n))
			emit(s, GF_DLP_PAYMENT_CARD, start, end, d, n);
		return;
	}
	l = label_for(s, start, 48);
	switch (l) {
	case L_SSN:
		if (!nl && n == 9 && ssn_ok(d))
			emit(s, GF_DLP_SSN, start, end, d, 9);
		break;
	case L_PASSPORT:
		if (((!nl && n == 9) || (nl == 1 && n == 8)) && !all_same(d, n)) {
			char v[10];

			v[0] = toupper(s->buf[start]);
			memcpy(v + nl, d, n);
			emit(s, GF_DLP_US_PASSPORT, start, end, nl ? v : d, n + nl);
		}
		break;
	case L_ABA:
		if (!nl && n == 9 && aba_ok(d))
			emit(s, GF_DLP_ABA_ROUTING, start, end, d, 9);
		break;
	case L_NPI:
		if (!nl && n == 10 && npi_ok(d))
			emit(s, GF_DLP_HEALTH_NPI, start, end, d, 10);
		break;
	case L_DL:
		if (n >= 6 && n <= 13 && !all_same(d, n)) {
			char v[16];

			for (size_t i = 0; i < nl; i++)
				v[i] = toupper(s->buf[start + i]);
			memcpy(v + nl, d, n);
			emit(s, GF_DLP_US_DRIVERS_LICENSE, start, end, v, n + nl);
		}
		break;
	case L_PHONE:
		if (!nl && (n == 10 || (n == 11 && d[0] == '1')) && phone_ok(d + n - 10))
			emit(s, GF_DLP_US_PHONE, start, end, d + n - 10, 10);
		break;
	}
}

static void do_card_group(struct gf_dlp_scratch *s, size_t to, int width, char sep)
{
	size_t end = end_of(s, to), start = end - width, n = 0;
	char d[20];

	/* not a part of a longer grouped number: no short group next to it */
	if (end + 1 < s->len && s->buf[end] == sep) {
		size_t r = end + 1;

		while (r < s->len && isdig(s->buf[r]) && r - end <= 5)
			r++;
		if (r > end + 1 && r - end - 1 <= 4)
			return;
	}
	if (start >= 2 && s->buf[start - 1] == sep) {
		size_t r = start - 1;

		while (r > 0 && isdig(s->buf[r - 1]) && start - 1 - r <= 5)
			r--;
		if (r < start - 1 && start - 1 - r <= 4)
			return;
	}
	for (size_t i = start; i < end; i++)
		if (isdig(s->buf[i]))
			d[n++] = s->buf[i];
	if (card_ok(d, n))
		emit(s, GF_DLP_PAYMENT_CARD, start, end, d, n);
}

static void do_phone(struct gf_dlp_scratch *s, size_t to, int width)
{
	size_t end = end_of(s, to), start = end - width, n = 0;
	char d[10];

	if (end + 1 < s->len && s->buf[end] == '.' && isdig(s->buf[end + 1]))
		return;	/* more dotted numbers: an address, a version */
	for (size_t i = start; i < end && n < 10; i++)
		if (isdig(s->buf[i]))
			d[n++] = s->buf[i];
	if (n == 10 && phone_ok(d) && label_for(s, start, 24) != L_OTHER)
		emit(s, GF_DLP_US_PHONE, start, end, d, 10);
}

static void do_iban(struct gf_dlp_scratch *s, size_t to)
{
	size_t start = to - 4, i = start;
	int want = iban_len(s->buf + start), n = 0;
	char v[40];

	if (!want)
		return;
	while (i < s->len && n < want) {
		unsigned char c = s->buf[i];

		if (isdig(c) || (c >= 'A' && c <= 'Z')) {
			v[n++] = c;
			i++;
		} else if ((c == ' ' || c == '+') && n % 4 == 0 && n > 0 && i + 1 < s->len &&
			   isalnum(s->buf[i + 1])) {
			i++;
		} else {
			return;
		}
	}
	if (n != want || (i < s->len && isalnum(s->buf[i])))
		return;
	if (iban_mod97(v, n))
		emit(s, GF_DLP_IBAN, start, i, v, n);
}

static void do_mbi(struct gf_dlp_scratch *s, size_t to, int width)
{
	size_t end = end_of(s, to), start = end - width, n = 0;
	char v[11];

	for (size_t i = start; i < end; i++)
		if (s->buf[i] != '-')
			v[n++] = s->buf[i];
	if (n == 11)
		emit(s, GF_DLP_HEALTH_MBI, start, end, v, 11);
}

static void do_icd(struct gf_dlp_scratch *s, size_t to)
{
	size_t start = to - 3, i = to;
	char v[8];
	int n = 3;

	if (i + 1 < s->len && s->buf[i] == '.' && isalnum(s->buf[i + 1])) {
		i++;
		while (i < s->len && n < 7 && isalnum(s->buf[i]))
			v[n++] = s->buf[i++];
	} else if (i < s->len && s->buf[i] == '.') {
		/* the full stop after "A00" */
	} else {
		while (i < s->len && n < 7 && isalnum(s->buf[i]))
			v[n++] = s->buf[i++];
	}
	if (i < s->len && isalnum(s->buf[i]))
		return;
	memcpy(v, s->buf + start, 3);
	if (label_for(s, start, 160) == L_ICD)
		emit(s, GF_DLP_HEALTH_ICD10, start, i, v, n);
}

/* A decimal number at p: its value, end, and number of decimals. */
static int parse_dec(const unsigned char *b, size_t len, size_t p, double *val, size_t *end)
{
	size_t i = p, decimals = 0;
	int ints = 0;
	char text[24];

	if (i < len && b[i] == '-')
		i++;
	while (i < len && isdig(b[i]) && ints < 4)
		i++, ints++;
	if (!ints || i >= len || b[i] != '.')
		return -1;
	i++;
	while (i < len && isdig(b[i]) && decimals < 15)
		i++, decimals++;
	if (i < len && isdig(b[i]))
		return -1;
	memcpy(text, b + p, i - p);
	text[i - p] = '\0';
	*val = strtod(text, NULL);	/* exact, as printf rounds it back */
	*end = i;
	return (int)decimals;
}

static void emit_pair(struct gf_dlp_scratch *s, size_t start, size_t end, double lat, double lon)
{
	char v[48];
	int n = snprintf(v, sizeof(v), "%.5f,%.5f", lat, lon);

	emit(s, GF_DLP_PRECISE_GEOLOCATION, start, end, v, (size_t)n);
}

static void do_dec(struct gf_dlp_scratch *s, size_t to)
{
	size_t dot = to - 4, start = dot, end, e2, q;
	double v, v2;
	int l, dec;

	while (start > 0 && dot - start < 3 && isdig(s->buf[start - 1]))
		start--;
	if (start > 0 && s->buf[start - 1] == '-')
		start--;
	if (start < s->pair_until || (dec = parse_dec(s->buf, s->len, start, &v, &end)) < 3)
		return;
	l = label_before(s, start, 16);
	if (l == L_LAT || l == L_LON) {
		int max = l == L_LAT ? 90 : 180;

		if (fabs(v) > max)
			return;
		if (s->pend_label && s->pend_label != l && start < s->pend_end + 160) {
			double lat = l == L_LAT ? v : s->pend_val, lon = l == L_LAT ? s->pend_val : v;

			emit_pair(s, s->pend_end, end, lat, lon);
			s->pend_label = 0;
		} else {
			s->pend_label = l;
			s->pend_val = v;
			s->pend_end = end;
		}
		return;
	}
	/* "lat, lon", not two numbers of a longer list */
	q = start;
	while (q > 0 && s->buf[q - 1] == ' ')
		q--;
	if (q > 0 && s->buf[q - 1] == ',')
		return;
	q = end;
	if (q < s->len && s->buf[q] == ' ')
		q++;
	if (q >= s->len || s->buf[q++] != ',')
		return;
	if (q < s->len && s->buf[q] == ' ')
		q++;
	if (parse_dec(s->buf, s->len, q, &v2, &e2) < 3 || fabs(v) > 90 || fabs(v2) > 180)
		return;
	q = e2;
	while (q < s->len && s->buf[q] == ' ')
		q++;
	if (q < s->len && s->buf[q] == ',')
		return;	/* a longer list */
	s->pair_until = e2;
	emit_pair(s, start, e2, v, v2);
}

static int email_local(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static void do_email(struct gf_dlp_scratch *s, size_t to)
{
	size_t at = to - 2, start = at, end = at + 1, dot = 0;
	char v[320];

	while (start > 0 && at - start < 64 && email_local(s->buf[start - 1]))
		start--;
	while (start < at && !isalnum(s->buf[start]))
		start++;	/* ".john" or "-" in front: not part of it */
	if (start == at)
		return;
	while (end < s->len && end - at < 254 &&
	       (isalnum(s->buf[end]) || s->buf[end] == '-' || s->buf[end] == '.'))
		end++;
	while (end > at + 1 && (s->buf[end - 1] == '.' || s->buf[end - 1] == '-'))
		end--;	/* the full stop of a sentence */
	for (size_t i = at + 1; i < end; i++)
		if (s->buf[i] == '.')
			dot = i;
	if (!dot || dot >= end - 2 || s->buf[dot - 1] == '.' || dot == at + 1)
		return;
	for (size_t i = dot + 1; i < end; i++)
		if (!isalpha(s->buf[i]))
			return;	/* the top-level domain is letters */
	for (size_t i = start; i < end; i++)
		v[i - start] = tolower(s->buf[i]);
	emit(s, GF_DLP_EMAIL, start, end, v, end - start);
}

static void do_genomic(struct gf_dlp_scratch *s, size_t to)
{
	size_t from = to > 32 ? to - 32 : 0;

	if (s->genomic_done)
		return;
	s->genomic_done = 1;
	emit(s, GF_DLP_GENOMIC, from, to, (const char *)s->buf + from, to - from);
}

static void do_bio_b64(struct gf_dlp_scratch *s, size_t to)
{
	size_t start = to - 40;

	if (label_before(s, start, 40) == L_BIO)
		emit(s, GF_DLP_BIOMETRIC, start, to, (const char *)s->buf + start, 40);
}

static void do_bio_floats(struct gf_dlp_scratch *s, size_t to)
{
	size_t open = to, i, n = 0;

	while (open > 0 && s->buf[open - 1] != '[')
		open--;
	if (!open || label_before(s, --open, 32) != L_BIO)
		return;
	for (i = open + 1; i < s->len && s->buf[i] != ']' && i - open < 16384; i++)
		n += s->buf[i] == ',';
	if (n >= 15)	/* 16 numbers or more: an embedding */
		emit(s, GF_DLP_BIOMETRIC, open, i, (const char *)s->buf + open,
		     i - open < 64 ? i - open : 64);
}

static void replay(struct gf_dlp_scratch *s)
{
	/* events come nearly sorted: insertion sort by offset, labels first */
	for (size_t i = 1; i < s->nev; i++) {
		struct event e = s->ev[i];
		size_t j = i;

		while (j > 0 && (s->ev[j - 1].to > e.to ||
				 (s->ev[j - 1].to == e.to && s->d->pat[s->ev[j - 1].id].kind != K_LABEL &&
				  s->d->pat[e.id].kind == K_LABEL))) {
			s->ev[j] = s->ev[j - 1];
			j--;
		}
		s->ev[j] = e;
	}
	for (size_t i = 0; i < s->nev; i++) {
		const struct pattern *p = &s->d->pat[s->ev[i].id];
		size_t to = s->ev[i].to;

		switch (p->kind) {
		case K_LABEL: on_label(s, to, p->arg); break;
		case K_SSN_DASH: do_ssn(s, to, 0); break;
		case K_SSN_SPACE: do_ssn(s, to, 1); break;
		case K_TOKEN: do_token(s, to); break;
		case K_CARD_GROUP: do_card_group(s, to, p->width, (char)p->arg); break;
		case K_PHONE: do_phone(s, to, p->width); break;
		case K_IBAN: do_iban(s, to); break;
		case K_MBI: do_mbi(s, to, p->width); break;
		case K_ICD: do_icd(s, to); break;
		case K_DEC: do_dec(s, to); break;
		case K_EMAIL: do_email(s, to); break;
		case K_GENOMIC: do_genomic(s, to); break;
		case K_BIO_HDR:
			emit(s, GF_DLP_BIOMETRIC, to - p->width, to, (const char *)s->buf + to - p->width,
			     p->width);
			break;
		case K_BIO_B64: do_bio_b64(s, to); break;
		case K_BIO_FLOATS: do_bio_floats(s, to); break;
		}
	}
}

/* A tabular payload: its first line holds delimiters and ends early. */
static void detect_table(struct gf_dlp_scratch *s)
{
	const unsigned char *nl = memchr(s->buf, '\n', s->len < 4096 ? s->len : 4096);
	static const char delims[] = ",\t;|";

	s->delim = 0;
	memset(s->header, L_NONE, sizeof(s->header));
	if (!nl)
		return;
	s->header_end = nl - s->buf;
	for (const char *d = delims; *d; d++)
		if (memchr(s->buf, *d, s->header_end)) {
			s->delim = *d;
			return;
		}
}

static int xval(unsigned char c)
{
	return isdig(c) ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
}

/*
 * Form posts and URLs percent-encode what matters ("john%40example.com",
 * "4111%201111..."), and form bodies write spaces as '+'.  If the payload
 * has percent escapes, scan a decoded copy instead: decoding only changes
 * escapes, so what was plain stays as it was.
 */
static const unsigned char *url_decoded(struct gf_dlp_scratch *s, const unsigned char *b,
					size_t len, size_t *outlen)
{
	size_t escapes = 0, n = 0;
	int form;

	for (const unsigned char *p = b; (p = memchr(p, '%', len - (p - b))) && p + 2 < b + len; p++)
		escapes += xval(p[1]) >= 0 && xval(p[2]) >= 0;
	if (!escapes)
		return NULL;
	if (s->dec_cap < len) {
		unsigned char *d = realloc(s->dec, len);

		if (!d)
			return NULL;
		s->dec = d;
		s->dec_cap = len;
	}
	form = !memchr(b, ' ', len) && memchr(b, '=', len);
	for (size_t i = 0; i < len; i++) {
		if (b[i] == '%' && i + 2 < len && xval(b[i + 1]) >= 0 && xval(b[i + 2]) >= 0) {
			s->dec[n++] = xval(b[i + 1]) << 4 | xval(b[i + 2]);
			i += 2;
		} else {
			s->dec[n++] = form && b[i] == '+' ? ' ' : b[i];
		}
	}
	*outlen = n;
	return s->dec;
}

int gf_dlp_scan(const struct gf_dlp *d, struct gf_dlp_scratch *s, const void *buf, size_t len,
		gf_dlp_match_fn fn, void *ctx)
{
	const unsigned char *decoded;
	size_t dlen;
	hs_error_t rc;

	if (len > 0xffffffffu)
		return -E2BIG;
	if ((decoded = url_decoded(s, buf, len, &dlen))) {
		buf = decoded;
		len = dlen;
	}
	s->nev = 0;
	s->overflow = 0;
	rc = hs_scan(d->db, buf, (unsigned int)len, 0, s->hs, on_match, s);
	if (s->overflow)
		return -E2BIG;
	if (rc != HS_SUCCESS)
		return -EIO;
	s->buf = buf;
	s->len = len;
	s->d = d;
	s->fn = fn;
	s->ctx = ctx;
	s->nring = 0;
	memset(s->nspans, 0, sizeof(s->nspans));
	s->genomic_done = 0;
	s->pend_label = 0;
	s->pair_until = 0;
	detect_table(s);
	replay(s);
	s->buf = NULL;
	if (decoded)
		explicit_bzero(s->dec, dlen);
	return 0;
}

/* ---------------------------------------------------------------------
 * Setup
 */
static void base64(const unsigned char *in, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i + 3 <= n; i += 3) {
		unsigned int v = in[i] << 16 | in[i + 1] << 8 | in[i + 2];

		*out++ = a[v >> 18];
		*out++ = a[v >> 12 & 63];
		*out++ = a[v >> 6 & 63];
		*out++ = a[v & 63];
	}
	*out = '\0';
}

/*
 * One label pattern from the terms: form 0 any case, separators optional;
 * form 1 CamelCase after a lowercase letter ("bankRouting"); form 2
 * camelCase and lowercase before an uppercase letter ("faceVector",
 * "ssnLast4"); form 3 the all-caps forms, after a lowercase letter
 * ("taxpayerSSN") but never inside an all-caps word ("IE65POJZ").  None
 * after a digit: "5PO3" or "x9id" are data, not field names.
 */
static void label_regex(const char *terms, const char *caps, int form, char *out, size_t len)
{
	size_t n = 0;
	int first = 1;

#define PUT(...) (n += snprintf(out + n, n < len ? len - n : 0, __VA_ARGS__))
	if (form == 3) {
		snprintf(out, len, "(?:^|[^A-Za-z0-9]|[a-z])(?:%s)(?:[^A-Za-z0-9]|$)", caps);
		return;
	}
	/* not after a digit either: "5PO3", "x9id" are data, not field names */
	PUT("%s(?:", form == 1 ? "(?:^|[^A-Za-z0-9]|[a-z])" : "(?:^|[^A-Za-z0-9])");
	for (const char *t = terms; *t;) {
		size_t tl = strcspn(t, "|");
		int word_start = 1, skip = 0;

		/* camel forms only of terms made of letters and spaces */
		for (size_t i = 0; form && i < tl; i++)
			skip |= !isalpha((unsigned char)t[i]) && t[i] != ' ';
		if (!skip) {
			PUT("%s", first ? "" : "|");
			first = 0;
			for (size_t i = 0; i < tl; i++) {
				char c = t[i];

				if (c == ' ') {
					if (!form)
						PUT("(?:[ _.-]|\\. )?");	/* "Soc. Sec." too */
					word_start = 1;
					continue;
				}
				if (form == 1 && word_start)
					c = toupper((unsigned char)c);
				else if (form == 2 && word_start && i > 0)
					c = toupper((unsigned char)c);
				PUT("%c", c);
				word_start = 0;
			}
		}
		t += tl + (t[tl] == '|');
	}
	PUT(")%s", form ? "(?:[^a-z]|$)" : "(?:[^A-Za-z]|$)");
#undef PUT
}

int gf_dlp_open(struct gf_dlp **out, char *err, size_t errlen)
{
	/* the first six bytes of 19794 records: format id and version */
	static const unsigned char hdr[NB64][6] = {
		{ 'F', 'M', 'R', 0, ' ', '2' }, { 'F', 'M', 'R', 0, '0', '3' },
		{ 'F', 'A', 'C', 0, '0', '1' }, { 'F', 'A', 'C', 0, '0', '3' },
		{ 'F', 'I', 'R', 0, '0', '1' }, { 'I', 'I', 'R', 0, '0', '1' },
	};
	const char *re[NALL];
	unsigned int flags[NALL], ids[NALL];
	hs_compile_error_t *ce = NULL;
	struct gf_dlp *d = calloc(1, sizeof(*d));
	size_t n = 0;

	if (!d)
		return -ENOMEM;
	if (hs_valid_platform() != HS_SUCCESS) {
		snprintf(err, errlen, "Hyperscan needs SSSE3, which this CPU lacks");
		free(d);
		return -ENOTSUP;
	}
	for (size_t i = 0; i < NLABELPAT / 4; i++)
		for (int form = 0; form < 4; form++) {
			char *r = d->labelre[4 * i + form];

			if (form == 3 && !label_words[i].caps)
				snprintf(r, sizeof(d->labelre[0]), "%s", d->labelre[4 * i]);	/* a twin */
			else
				label_regex(label_words[i].terms, label_words[i].caps, form, r,
					    sizeof(d->labelre[0]));
			d->pat[n++] = (struct pattern){ r, form ? 0 : CI, K_LABEL, 0, label_words[i].label };
		}
	for (size_t i = 0; i < NPAT; i++)
		d->pat[n++] = patterns[i];
	for (int i = 0; i < NB64; i++, n++) {
		char b[9];

		base64(hdr[i], 6, b);
		snprintf(d->b64re[i], sizeof(d->b64re[i]), "%s", b);
		d->pat[n] = (struct pattern){ d->b64re[i], 0, K_BIO_HDR, 8, 0 };
	}
	for (size_t i = 0; i < n; i++) {
		re[i] = d->pat[i].re;
		flags[i] = d->pat[i].flags;
		ids[i] = i;
	}
	if (hs_compile_multi(re, flags, ids, n, HS_MODE_BLOCK, NULL, &d->db, &ce) != HS_SUCCESS) {
		snprintf(err, errlen, "compiling the scanner's patterns: pattern %d: %s",
			 ce ? ce->expression : -1, ce ? ce->message : "?");
		hs_free_compile_error(ce);
		free(d);
		return -EINVAL;
	}
	if (hs_alloc_scratch(d->db, &d->proto) != HS_SUCCESS) {
		snprintf(err, errlen, "allocating Hyperscan scratch space");
		hs_free_database(d->db);
		free(d);
		return -ENOMEM;
	}
	*out = d;
	return 0;
}

void gf_dlp_close(struct gf_dlp *d)
{
	if (!d)
		return;
	hs_free_scratch(d->proto);
	hs_free_database(d->db);
	free(d);
}

struct gf_dlp_scratch *gf_dlp_scratch_new(const struct gf_dlp *d)
{
	struct gf_dlp_scratch *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (hs_clone_scratch(d->proto, &s->hs) != HS_SUCCESS) {
		free(s);
		return NULL;
	}
	return s;
}

void gf_dlp_scratch_free(struct gf_dlp_scratch *s)
{
	if (!s)
		return;
	hs_free_scratch(s->hs);
	free(s->ev);
	if (s->dec)
		explicit_bzero(s->dec, s->dec_cap);	/* it held a payload */
	free(s->dec);
	free(s);
}

/* ---------------------------------------------------------------------
 * Redaction: what a human may see of a match
 */
void gf_dlp_redact(int cat, const char *v, size_t n, char *out, size_t len)
{
	const char *last4 = n >= 4 ? v + n - 4 : v;

	switch (cat) {
	case GF_DLP_SSN:
		snprintf(out, len, "***-**-%.4s", last4);
		break;
	case GF_DLP_PAYMENT_CARD:
		snprintf(out, len, "**** %.4s (%zu digits)", last4, n);
		break;
	case GF_DLP_ABA_ROUTING:
	case GF_DLP_HEALTH_NPI:
	case GF_DLP_US_PHONE:
		snprintf(out, len, "*****%.4s", last4);
		break;
	case GF_DLP_IBAN:
		snprintf(out, len, "%.2s** **** %.4s", v, last4);
		break;
	case GF_DLP_EMAIL: {
		const char *at = memchr(v, '@', n);

		snprintf(out, len, "%c***@%.*s", n ? v[0] : '?', at ? (int)(v + n - at - 1) : 0,
			 at ? at + 1 : "");
		break;
	}
	case GF_DLP_HEALTH_ICD10:
		snprintf(out, len, "%.1s**", v);	/* the chapter letter only */
		break;
	default:
		snprintf(out, len, "[%s, %zu characters]", gf_dlp_cat_name(cat), n);
		break;
	}
}
