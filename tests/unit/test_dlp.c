// SPDX-License-Identifier: GPL-2.0
/*
 * The scanner against a labelled corpus (tests/dlp/gen-corpus.pl): per
 * category precision and recall, on the scoring templates (never tuned on)
 * against the bars, and on the tuning templates for reference.
 * GF_TEST_VERBOSE=1 prints the misses of the tuning set only: looking at
 * the scoring set's would be tuning on it.
 * Plus the validators' edge cases, one by one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_dlp.h"
#include "gf_found.h"
#include "gf_test.h"
#include "dlp/scan.h"

#define MAXM GF_FOUND_MAX

static struct gf_dlp *dlp;
static struct gf_dlp_scratch *scr;

static int count(const char *text, int cat, const char *value)
{
	struct gf_found f = { .n = 0 };
	int n = 0;

	gf_dlp_scan(dlp, scr, text, strlen(text), gf_found_collect, &f);
	for (int i = 0; i < f.n; i++)
		n += f.cat[i] == cat && (!value || !strcmp(f.val[i], value));
	return n;
}

static void edge_cases(void)
{
	/* SSN: number rules, both neighbours, the label for other shapes */
	CHECK(count("ssn 536-22-1234", GF_DLP_SSN, "536221234") == 1, "dashed SSN");
	CHECK(count("x 000-22-1234 666-22-1234 912-22-1234 536-00-1234 536-22-0000", GF_DLP_SSN, NULL) == 0,
	      "SSN areas 000, 666, 9xx, group 00, serial 0000 rejected");
	CHECK(count("078-05-1120 219-09-9999 457-55-5462 987-65-4321", GF_DLP_SSN, NULL) == 0,
	      "advertised SSNs rejected");
	CHECK(count("7536-22-1234 536-22-12345 536-22-1234-1", GF_DLP_SSN, NULL) == 0,
	      "a digit before or after is not an SSN");
	CHECK(count("SSN: 536221234", GF_DLP_SSN, "536221234") == 1 &&
	      count("order 536221234", GF_DLP_SSN, NULL) == 0 &&
	      count("536221234", GF_DLP_SSN, NULL) == 0, "undashed SSN only with its label");
	CHECK(count("ssn: 772-01-0001", GF_DLP_SSN, NULL) == 1, "post-2011 (randomized) area 772 valid");
	/* cards */
	CHECK(count("4111111111111111", GF_DLP_PAYMENT_CARD, NULL) == 1 &&
	      count("4111111111111112", GF_DLP_PAYMENT_CARD, NULL) == 0, "Luhn");
	CHECK(count("4111 1111 1111 1111", GF_DLP_PAYMENT_CARD, NULL) == 1 &&
	      count("4111-1111-1111-1111", GF_DLP_PAYMENT_CARD, NULL) == 1 &&
	      count("4111 1111-1111 1111", GF_DLP_PAYMENT_CARD, NULL) == 0, "groups: consistent separators");
	CHECK(count("2221000000000009 5105105105105100", GF_DLP_PAYMENT_CARD, NULL) == 2,
	      "Mastercard 2221-2720 and 51-55");
	CHECK(count("3782 822463 10005 30569309025904", GF_DLP_PAYMENT_CARD, NULL) == 2, "Amex, Diners");
	CHECK(count("9111111111111111 1111111111111117", GF_DLP_PAYMENT_CARD, NULL) == 0,
	      "Luhn-valid numbers outside every issuer range rejected");
	CHECK(count("41111111111111111", GF_DLP_PAYMENT_CARD, NULL) == 0, "Visa is 13, 16 or 19 digits");
	/* ABA, IBAN, NPI, MBI */
	CHECK(count("routing 021000021", GF_DLP_ABA_ROUTING, "021000021") == 1 &&
	      count("routing 021000022", GF_DLP_ABA_ROUTING, NULL) == 0 &&
	      count("021000021", GF_DLP_ABA_ROUTING, NULL) == 0, "ABA checksum, with its label");
	CHECK(count("GB82 WEST 1234 5698 7654 32", GF_DLP_IBAN, "GB82WEST12345698765432") == 1 &&
	      count("GB82WEST12345698765433", GF_DLP_IBAN, NULL) == 0 &&
	      count("GB82WEST123456987654", GF_DLP_IBAN, NULL) == 0, "IBAN mod 97 and length");
	CHECK(count("NPI 1234567893", GF_DLP_HEALTH_NPI, NULL) == 1 &&
	      count("NPI 1234567894", GF_DLP_HEALTH_NPI, NULL) == 0, "NPI Luhn with 80840");
	CHECK(count("MBI 1EG4-TE5-MK73", GF_DLP_HEALTH_MBI, "1EG4TE5MK73") == 1 &&
	      count("MBI 1SG4TE5MK73", GF_DLP_HEALTH_MBI, NULL) == 0, "MBI format (no S)");
	/* coordinates */
	CHECK(count("{\"lat\": 40.712, \"lon\": -74.006}", GF_DLP_PRECISE_GEOLOCATION, NULL) == 1 &&
	      count("{\"lat\": 40.71, \"lon\": -74.01}", GF_DLP_PRECISE_GEOLOCATION, NULL) == 0,
	      "coordinates need three decimals");
	CHECK(count("at 91.123, 10.123", GF_DLP_PRECISE_GEOLOCATION, NULL) == 0 &&
	      count("at 48.858, 2.294", GF_DLP_PRECISE_GEOLOCATION, NULL) == 1, "latitude range-checked");
	/* phones, email */
	CHECK(count("(415) 555-2671", GF_DLP_US_PHONE, "4155552671") == 1 &&
	      count("911-555-2671 415-555-0123", GF_DLP_US_PHONE, NULL) == 0, "NANP rules");
	CHECK(count("write to a.b@example.com.", GF_DLP_EMAIL, "a.b@example.com") == 1 &&
	      count("x@localhost", GF_DLP_EMAIL, NULL) == 0, "email");
	/* structures that name a value away from it */
	CHECK(count("INSERT INTO t (id, ssn, note) VALUES (1, '536221234', 'x'), (2, '536221235', 'y');",
		    GF_DLP_SSN, NULL) == 2, "SQL INSERT: the column list names every tuple's cell");
	CHECK(count("name,ssn\r\n\"Smith, Ann\",536221234\r\n", GF_DLP_SSN, "536221234") == 1 &&
	      count("name,note\r\n\"Smith, Ann\",536221234\r\n", GF_DLP_SSN, NULL) == 0,
	      "CSV: a quoted comma does not shift the columns");
	CHECK(count("{\"id\":1,\"data\":\"name,ssn\\nAnn,536221234\\n\"}", GF_DLP_SSN, "536221234") == 1,
	      "a CSV inside a JSON string");
	CHECK(count("\"ts\":1700000000,\"ssn\":\"x\",\"a\":1\n\"order\":\"536221234\"}", GF_DLP_SSN, NULL) == 0,
	      "a JSON fragment cut mid-stream is no table header");
	CHECK(count("<table><tr><th>Name</th><th>SSN</th></tr><tr><td>Ann</td><td>536221234</td></tr></table>",
		    GF_DLP_SSN, NULL) == 1 &&
	      count("<table><tr><th>SSN</th><td>536221234</td></tr></table>", GF_DLP_SSN, NULL) == 1,
	      "HTML: a header row names columns, a th names its row");
	CHECK(count("{\"values\":[[\"Name\",\"SSN\"],[\"Ann\",\"536221234\"],[\"Bob\",\"536221235\"]]}",
		    GF_DLP_SSN, NULL) == 2, "JSON rows: the first row names the others");
	CHECK(count("NAME        SSN         CITY\nANN LEE     536221234   BOSTON\n", GF_DLP_SSN, NULL) == 1,
	      "fixed-width report");
	CHECK(count("PID|1||123^^^H^MR||DOE^JANE||19800101|F|||||||||||536221234\rDG1|1||J44.9^COPD^I10|||A\r",
		    GF_DLP_SSN, "536221234") == 1 &&
	      count("DG1|1||J44.9^COPD^I10|||A\r", GF_DLP_HEALTH_ICD10, "J449") == 1 &&
	      count("DG1|1||J44.9^COPD^I10|||A\r", GF_DLP_HEALTH_ICD10, "I10") == 0,
	      "HL7 v2: PID-19 and DG1-3 by position, the coding system is no code");
	CHECK(count("a:1:{s:3:\"ssn\";s:9:\"536221234\";}", GF_DLP_SSN, NULL) == 1, "PHP serialize()");
	CHECK(count("Note: 536221234 is the SSN on file.", GF_DLP_SSN, NULL) == 1 &&
	      count("Note: 536221234 is the order on file.", GF_DLP_SSN, NULL) == 0, "value first, then its name");
	CHECK(count("{\"fingerprint\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}",
		    GF_DLP_BIOMETRIC, NULL) == 0, "a key's hex fingerprint is no biometric template");
	CHECK(count("{\"blob\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", GF_DLP_GENOMIC, NULL) == 0,
	      "base64 of zeros is no DNA");
	/* redaction shows no more than the last four */
	{
		char r[64];

		gf_dlp_redact(GF_DLP_SSN, "536221234", 9, r, sizeof(r));
		CHECK(!strcmp(r, "***-**-1234"), "SSN redacted: %s", r);
		gf_dlp_redact(GF_DLP_PAYMENT_CARD, "4111111111111111", 16, r, sizeof(r));
		CHECK(!strstr(r, "411111") && strstr(r, "1111"), "card redacted: %s", r);
	}
}

/* The lexicon (user/lib/dlp/lexicon.def): sorted, unique, every entry findable, every key read. */
static void lexicon(void)
{
	int sorted = 1, roles = 1, found = 1, keys_read = 1, names_plain = 1;
	size_t keys = 0;

	for (size_t i = 0; i < dlp_lexicon_len; i++) {
		const struct dlp_lex *e = &dlp_lexicon[i];

		if (i && strcmp(dlp_lexicon[i - 1].text, e->text) >= 0) {
			sorted = 0;
			printf("  lexicon: \"%s\" after \"%s\"\n", e->text, dlp_lexicon[i - 1].text);
		}
		roles &= e->roles != 0 && e->label < L_MAX;
		found &= dlp_lex_find(e->text) == e;
		if (e->roles & KEY) {
			keys++;
			keys_read &= e->label < L_MAX && dlp_rules[e->label].values != NULL;
		}
		if (e->roles & (NAME | GLUED | LINK | MARKUP))
			for (const char *c = e->text; *c; c++)
				names_plain &= (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '#';
	}
	CHECK(sorted, "lexicon: %zu entries in strcmp order, none twice", dlp_lexicon_len);
	CHECK(roles, "lexicon: every entry has a role and a label");
	CHECK(found, "lexicon: every entry is found by its text");
	CHECK(keys >= 40 && keys_read, "lexicon: %zu keywords, each with a rule that reads its values", keys);
	CHECK(names_plain, "lexicon: names, qualifiers, connecting words and elements are lowercase words");
	CHECK(dlp_lex_name("socialsecurity") == L_SSN && dlp_lex_name("licen") == L_NONE &&
	      dlp_lex_name("table") == L_NONE && dlp_lex_is((const unsigned char *)"TD", 2, MARKUP) &&
	      dlp_lex_is((const unsigned char *)"The", 3, LINK) && !dlp_lex_is((const unsigned char *)"ssn", 3, LINK),
	      "lexicon: roles keep apart a name, a keyword stem, an element and a connecting word");
}

struct tally {
	long tp, fp, fn;
};

static int hex(char c)
{
	return c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
}

/* Score one template set; returns per-category tallies. */
static int score(const char *set, int n, int seed, struct tally *t)
{
	char cmd[512], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *p;
	int records = 0;
	unsigned char *buf = malloc(1 << 20);

	snprintf(cmd, sizeof(cmd), "perl %s/tests/dlp/gen-corpus.pl %s %d %d", GF_SRCDIR, set, n, seed);
	p = popen(cmd, "r");
	if (!p || !buf)
		return -1;
	while ((len = getline(&line, &cap, p)) > 0) {
		char *f[4], *save = NULL, *h, *e;
		struct gf_found got = { .n = 0 };
		int used[MAXM] = { 0 };
		size_t blen = 0;

		line[len - 1] = '\0';
		f[0] = strtok_r(line, "\t", &save);
		for (int i = 1; i < 4; i++)
			f[i] = strtok_r(NULL, "\t", &save);
		if (!f[2])
			continue;
		for (h = f[2]; h[0] && h[1] && blen + 1 < (1 << 20); h += 2)
			buf[blen++] = hex(h[0]) << 4 | hex(h[1]);
		buf[blen] = '\0';	/* for the verbose printout */
		gf_dlp_scan(dlp, scr, buf, blen, gf_found_collect, &got);
		records++;
		/* expected: each matched by a found one of the same category and value */
		for (e = f[3] ? strtok_r(f[3], ";", &save) : NULL; e; e = strtok_r(NULL, ";", &save)) {
			char *eq = strchr(e, '=');
			int cat, hit = 0;

			if (!eq)
				continue;
			*eq = '\0';
			cat = gf_dlp_cat_from_name(e);
			for (int i = 0; i < got.n && !hit; i++)
				if (!used[i] && got.cat[i] == cat && (!strcmp(eq + 1, "*") || !strcmp(got.val[i], eq + 1)))
					used[i] = hit = 1;
			if (hit) {
				t[cat].tp++;
			} else {
				t[cat].fn++;
				if (gf_test_verbose && (!strcmp(set, "tune") || getenv("GF_DLP_SHOW_SCORE")))
					printf("  %s missed %s %s in [%s] %.300s\n", set, e, eq + 1, f[1], buf);
			}
		}
		for (int i = 0; i < got.n; i++)
			if (!used[i]) {
				t[got.cat[i]].fp++;
				if (gf_test_verbose && (!strcmp(set, "tune") || getenv("GF_DLP_SHOW_SCORE")))
					printf("  %s false %s %s in [%s] %.300s\n", set, gf_dlp_cat_name(got.cat[i]),
					       got.val[i], f[1], buf);
			}
	}
	free(line);
	free(buf);
	pclose(p);
	return records;
}

static double ratio(long a, long b)
{
	return b ? (double)a / b : 1.0;
}

int main(void)
{
	static const int structured[] = { GF_DLP_SSN, GF_DLP_PAYMENT_CARD, GF_DLP_ABA_ROUTING, GF_DLP_IBAN,
					  GF_DLP_HEALTH_NPI };
	struct tally tune[GF_DLP_MAX] = { 0 }, sc[GF_DLP_MAX] = { 0 };
	char err[256];
	int nt, ns;

	if (gf_dlp_open(&dlp, err, sizeof(err)) || !(scr = gf_dlp_scratch_new(dlp))) {
		fprintf(stderr, "%s\n", err);
		return GF_TEST_SETUP_ERROR;
	}
	lexicon();
	edge_cases();

	nt = score("tune", 3000, 11, tune);
	ns = score("score", 6000, 29, sc);
	CHECK(nt == 3000 && ns == 6000, "corpus generated: %d tuning and %d scoring records", nt, ns);
	printf("%-20s %8s %9s %7s   %8s %9s %7s\n", "category", "planted", "precision", "recall", "planted",
	       "precision", "recall");
	printf("%-20s %26s   %26s\n", "", "-- scoring templates --", "-- tuning templates --");
	for (int c = 0; c < GF_DLP_MAX; c++) {
		int strict = 0;
		double p = ratio(sc[c].tp, sc[c].tp + sc[c].fp), r = ratio(sc[c].tp, sc[c].tp + sc[c].fn);

		for (size_t i = 0; i < sizeof(structured) / sizeof(*structured); i++)
			strict |= structured[i] == c;
		printf("%-20s %8ld %9.4f %7.4f   %8ld %9.4f %7.4f\n", gf_dlp_cat_name(c), sc[c].tp + sc[c].fn, p, r,
		       tune[c].tp + tune[c].fn, ratio(tune[c].tp, tune[c].tp + tune[c].fp),
		       ratio(tune[c].tp, tune[c].tp + tune[c].fn));
		CHECK(sc[c].tp + sc[c].fn >= 50, "%s: %ld planted in the scoring set", gf_dlp_cat_name(c),
		      sc[c].tp + sc[c].fn);
		CHECK(p >= (strict ? 0.99 : 0.9) && r >= (strict ? 0.98 : 0.9),
		      "%s: precision %.4f recall %.4f (bars %.2f / %.2f)", gf_dlp_cat_name(c), p, r,
		      strict ? 0.99 : 0.9, strict ? 0.98 : 0.9);
	}
	gf_dlp_scratch_free(scr);
	gf_dlp_close(dlp);
	return gf_test_summary();
}
