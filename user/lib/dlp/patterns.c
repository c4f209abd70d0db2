// SPDX-License-Identifier: GPL-2.0
/*
 * The patterns: one Hyperscan block-mode database of three kinds, chosen
 * by measurement (docs/dlp.md): Hyperscan is fast on literals and slow on
 * patterns made only of character classes, and every reported match costs.
 *
 *  - keywords, the lexicon's KEY entries, any case: the values that need
 *    context (an undashed SSN, a passport, a routing number, an NPI, a
 *    driver's licence, an ICD-10 code, a coordinate, a biometric field)
 *    are looked for near them (values.c, rules.c);
 *  - shapes that need no context, fixed width where possible, ending where
 *    a validator can look back from: ddd-dd-dddd, a 13-digit run, card and
 *    phone groups, an IBAN start, an MBI end, a "lat, lon" pair, '@';
 *  - file magic and record starts: VCF, SAM, BGZF, CRAM, BCF, FASTA/FASTQ,
 *    genotype exports, ISO/IEC 19794 biometric records, SQL INSERT, HTML
 *    table headers, HL7 segments.
 *
 * A pattern's id is its index: keywords first, in the lexicon's order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "scan.h"

#define CI HS_FLAG_CASELESS
#define ONCE HS_FLAG_SINGLEMATCH
#define BIN (HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH)
#define MBI_A "[AC-HJKMNP-RT-Y]"

static const struct pattern shapes[] = {
	{ "\\d{3}-\\d\\d-\\d{4}", 0, dlp_ssn_dash, 0, 11 },
	{ "\\d{13}(?:[^0-9]|$)", 0, dlp_card_run, 0, 0 },
	{ "\\d{4}[ +-]\\d{4}[ +-]\\d{4}[ +-]\\d{4}", 0, dlp_card_group, 0, 19 },
	{ "\\d{4}[ +-]\\d{6}[ +-]\\d{4}", 0, dlp_card_group, 0, 16 },
	{ "\\d{3}[. -]\\d{3}[. -]\\d{4}", 0, dlp_phone, 0, 12 },
	{ "\\)[ +]?\\d{3}-\\d{4}", 0, dlp_phone_paren, 0, 0 },
	{ "[A-Z]{2}\\d\\d[ +-]?[A-Z0-9]{4}", 0, dlp_iban, 0, 0 },
	{ "\\d-?" MBI_A MBI_A "\\d\\d", 0, dlp_mbi, 0, 0 },
	{ "\\.\\d{3}\\d*(?:\\xc2\\xb0)?, ?-?\\d{1,3}\\.\\d{3}", 0, dlp_pair, 0, 0 },
	{ "@[A-Za-z0-9]", 0, dlp_email, 0, 0 },
	{ "@[\\xc2-\\xf4]", 0, dlp_email, 0, 0 },	/* a domain in UTF-8 (RFC 6531) */
	/* "40.7128 N, 74.0060 W": the hemispheres give the signs */
	{ "\\.\\d{3}\\d*(?:\\xc2\\xb0)? ?[NS],? ?-?\\d{1,3}\\.\\d{3}\\d*(?:\\xc2\\xb0)? ?[EW]", 0, dlp_hemi, 0, 0 },
	{ "insert\\s+into\\s", CI, dlp_sql_insert, 0, 0 },
	{ "<th[ >]", CI | ONCE, dlp_html_th, 0, 0 },

	{ "##fileformat=VCFv\\d", ONCE, dlp_genomic, 0, 0 },
	{ "@(?:HD\\tVN|SQ\\tSN|RG\\tID|PG\\tID):", ONCE, dlp_genomic, 0, 0 },
	{ "\\x1f\\x8b\\x08\\x04.{6}\\x06\\x00BC\\x02\\x00", BIN, dlp_genomic, 0, 0 },
	{ "CRAM[\\x02\\x03][\\x00\\x01]", BIN, dlp_genomic, 0, 0 },
	{ "BCF\\x02[\\x01\\x02]", BIN, dlp_genomic, 0, 0 },
	{ "BAM\\x01", BIN, dlp_genomic, 0, 0 },
	{ "rsid[\\t,] ?chromosome[\\t,] ?position", CI | ONCE, dlp_genomic, 0, 0 },
	/*
	 * a VCF row from the middle of a stream (chrom, pos, id, ref, alt); SAM
	 * rows are left to the nucleotide run of their read (a SAM row pattern
	 * cost 13% of the digit-heavy throughput: no literal to anchor on)
	 */
	{ "(?:^|[\\n\"])(?:chr)?(?:[1-9]|1\\d|2[0-2]|X|Y|MT?) ?\\t\\d{1,9} ?\\t(?:rs\\d+|\\.) ?\\t[ACGTN]{1,50} ?\\t(?:[ACGTN.,*]{1,50}|<[A-Z_]{1,16}>) ?\\t",
	  ONCE, dlp_genomic, 0, 0 },
	/* variant records in JSON: {"chrom":"7","pos":117559590,...} */
	{ "\"chrom\" ?: ?\"?(?:chr)?(?:[1-9]|1\\d|2[0-2]|X|Y|MT?)\"? ?, ?\"pos(?:ition)?\" ?:", CI | ONCE, dlp_genomic, 0, 0 },
	/* a VCF column header line; genotype rows "rs123 AG" */
	{ "#CHROM\\tPOS\\tID\\tREF\\tALT", ONCE, dlp_genomic, 0, 0 },
	{ "(?:rs\\d{1,10} [ACGTDI-]{1,2}\\r?\\n){3}", ONCE, dlp_genomic, 0, 0 },
	/* a mutation annotation (MAF) header; PLINK .bim rows */
	{ "Hugo_Symbol\\tEntrez_Gene_Id\\t", ONCE, dlp_genomic, 0, 0 },
	{ "(?:^|\\n)(?:[1-9]|1\\d|2[0-2]|X|Y|MT?)\\trs\\d+\\t\\d+(?:\\.\\d+)?\\t\\d+\\t[ACGT0]\\t[ACGT0]\\n", ONCE, dlp_genomic, 0, 0 },
	/* HL7 v2 segments whose fields are ours by position */
	{ "(?:^|[\\r\\n])(?:PID|DG1)\\|", 0, dlp_hl7_segment, 0, 0 },
	/* SNP records in JSON: {"rsid":"rs123","genotype":"AG"} */
	{ "\"(?:rsid|snp|snp_id|marker)\" ?: ?\"rs\\d+\" ?, ?\"(?:genotype|allele1|alleles|call|result)\" ?: ?\"[ACGTDI-]{1,2}",
	  CI | ONCE, dlp_genomic, 0, 0 },
	/* a genotype map: three "rs123":"AG" in a row */
	{ "(?:\"rs\\d{1,10}\" ?: ?\"(?:[ACGTDI-]{1,2}|[ACGT]/[ACGT])\" ?, ?){3}", ONCE, dlp_genomic, 0, 0 },
	{ "[ACGTacgt]{48}", 0, dlp_nucleotides, 0, 48 },
	{ "\\n[>@]", 0, dlp_fastx, 0, 0 },
	{ "\\n\"?(?:rs|i\\d{4})\\d", 0, dlp_genotype, 0, 0 },	/* 23andMe's own ids: i3000001; quoted CSV */
	{ "(?:FMR|FIR|FAC|IIR)\\x00(?: 20|0[1-3]0)\\x00", HS_FLAG_DOTALL, dlp_bio_header, 0, 8 },
};

#define NSHAPES (sizeof(shapes) / sizeof(shapes[0]))

/* ISO/IEC 19794 records in base64 too: their first six bytes, format id and version */
static const unsigned char bio_headers[][6] = {
	{ 'F', 'M', 'R', 0, ' ', '2' }, { 'F', 'M', 'R', 0, '0', '3' },
	{ 'F', 'A', 'C', 0, '0', '1' }, { 'F', 'A', 'C', 0, '0', '3' },
	{ 'F', 'I', 'R', 0, '0', '1' }, { 'I', 'I', 'R', 0, '0', '1' },
};
#define NB64 (sizeof(bio_headers) / sizeof(bio_headers[0]))

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

/* Every pattern, in id order: the lexicon's keys, the shapes, the base64 headers. */
static int collect(struct gf_dlp *d)
{
	size_t nkeys = 0, n = 0;

	for (size_t i = 0; i < dlp_lexicon_len; i++)
		nkeys += !!(dlp_lexicon[i].roles & KEY);
	d->pat = calloc(nkeys + NSHAPES + NB64, sizeof(*d->pat));
	d->b64re = calloc(NB64, sizeof(*d->b64re));
	if (!d->pat || !d->b64re)
		return -ENOMEM;
	for (size_t i = 0; i < dlp_lexicon_len; i++) {
		const struct dlp_lex *e = &dlp_lexicon[i];

		if (e->roles & KEY)
			d->pat[n++] = (struct pattern){ e->text, CI, NULL, e->label, strlen(e->text) };
	}
	for (size_t i = 0; i < NSHAPES; i++)
		d->pat[n++] = shapes[i];
	for (size_t i = 0; i < NB64; i++) {
		base64(bio_headers[i], 6, d->b64re[i]);
		d->pat[n++] = (struct pattern){ d->b64re[i], 0, dlp_bio_header, L_NONE, 8 };
	}
	d->npat = n;
	return 0;
}

void gf_dlp_close(struct gf_dlp *d)
{
	if (!d)
		return;
	hs_free_scratch(d->proto);
	hs_free_database(d->db);
	free(d->pat);
	free(d->b64re);
	free(d);
}

static int compile(struct gf_dlp *d, char *err, size_t errlen)
{
	const char **re = calloc(d->npat, sizeof(*re));
	unsigned int *flags = calloc(d->npat, sizeof(*flags)), *ids = calloc(d->npat, sizeof(*ids));
	hs_compile_error_t *ce = NULL;
	int rc = 0;

	if (!re || !flags || !ids) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < d->npat; i++) {
		re[i] = d->pat[i].re;
		flags[i] = d->pat[i].flags;
		ids[i] = i;
	}
	if (hs_compile_multi(re, flags, ids, d->npat, HS_MODE_BLOCK, NULL, &d->db, &ce) != HS_SUCCESS) {
		snprintf(err, errlen, "compiling the scanner's patterns: pattern %d: %s",
			 ce ? ce->expression : -1, ce ? ce->message : "?");
		hs_free_compile_error(ce);
		rc = -EINVAL;
	} else if (hs_alloc_scratch(d->db, &d->proto) != HS_SUCCESS) {
		snprintf(err, errlen, "allocating Hyperscan scratch space");
		rc = -ENOMEM;
	}
out:
	free(re);
	free(flags);
	free(ids);
	return rc;
}

int gf_dlp_open(struct gf_dlp **out, char *err, size_t errlen)
{
	struct gf_dlp *d;
	int rc;

	if (errlen)
		err[0] = '\0';
	if (hs_valid_platform() != HS_SUCCESS) {
		snprintf(err, errlen, "Hyperscan needs SSSE3, which this CPU lacks");
		return -ENOTSUP;
	}
	if (!(d = calloc(1, sizeof(*d))))
		return -ENOMEM;
	dlp_lexicon_init();
	if ((rc = collect(d)) || (rc = compile(d, err, errlen))) {
		if (rc == -ENOMEM && errlen && !err[0])
			snprintf(err, errlen, "out of memory for the scanner's patterns");
		gf_dlp_close(d);
		return rc;
	}
	*out = d;
	return 0;
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
	s->max_events = MAX_EVENTS;
	return s;
}

void gf_dlp_scratch_limit(struct gf_dlp_scratch *s, size_t max_events)
{
	s->max_events = max_events < 256 ? 256 : max_events > MAX_EVENTS ? MAX_EVENTS : max_events;
}

void gf_dlp_scratch_free(struct gf_dlp_scratch *s)
{
	if (!s)
		return;
	hs_free_scratch(s->hs);
	free(s->ev);
	free(s->seen);
	if (s->dec)
		explicit_bzero(s->dec, s->dec_cap);	/* it held a payload */
	free(s->dec);
	free(s);
}
