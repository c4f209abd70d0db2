/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scanner's inside, shared by the files of user/lib/dlp/ (the API is
 * gf_dlp.h).  docs/architecture.md has the map; in short:
 *
 *   patterns.c   the Hyperscan database: keys from the lexicon, shapes, magic
 *   scan.c       one scan: decode, hs_scan, formats' detect, replay, emit
 *   label.c      label_at: what names the value at a position
 *   rules.c      per label: how far a value and its name may be apart
 *   values.c     the values a keyword names (after it, or before it)
 *   token.c      a token after a name, validated as that name's value
 *   shapes.c     shapes that need no name: dashed SSN, cards, phones, ...
 *   genomic.c    sequence and genotype formats
 *   fmt_*.c      payload formats: each owns its state (struct dlp_format)
 *   cells.c      cells of delimited lists (CSV rows, SQL tuples, JSON rows)
 *   decode.c     URL/form decoding and JSON unescaping, offsets kept
 *   lexicon.c, phrase.c   words and names;  check.c  validators;
 *   redact.c     category names and what a human may see of a match
 */
#ifndef GF_DLP_SCAN_H
#define GF_DLP_SCAN_H

#include <hs/hs.h>
#include <stddef.h>
#include "gf_dlp.h"
#include "lexicon.h"

/* ---------------------------------------------------------------------
 * Patterns
 */
struct gf_dlp_scratch;
struct pattern;

/* What a match of a pattern (not a keyword) does at its end `to`. */
typedef void (*dlp_on_fn)(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);

struct pattern {
	const char *re;
	unsigned int flags;
	dlp_on_fn on;		/* NULL for a keyword */
	unsigned char label;	/* a keyword's label; L_NONE for the rest */
	unsigned char width;	/* the match's length where it is fixed */
};

struct gf_dlp {
	hs_database_t *db;
	hs_scratch_t *proto;
	struct pattern *pat;
	size_t npat;
	char (*b64re)[16];
};

/* ---------------------------------------------------------------------
 * Payload formats.  Each owns its state in the scratch and is driven by
 * scan.c through this table (dlp_formats, in the order they are asked):
 *   reset   before every scan
 *   detect  from the payload's start, before the replay (or NULL: the
 *           format's own patterns find it during the replay)
 *   key     a keyword at [start, to) with `label`: 1 if the format took
 *           its values (the generic search is skipped); it may narrow
 *           *limit, the end of the keyword's values
 *   label   the label the format gives to the value at pos, or L_NONE
 *           (label_at asks these in order, then the nearest name)
 */
struct dlp_format {
	const char *name;
	void (*reset)(struct gf_dlp_scratch *s);
	void (*detect)(struct gf_dlp_scratch *s);
	int (*key)(struct gf_dlp_scratch *s, size_t start, size_t to, int label, size_t *limit);
	int (*label)(const struct gf_dlp_scratch *s, size_t pos);
};

extern const struct dlp_format dlp_fmt_sql, dlp_fmt_markup, dlp_fmt_hl7, dlp_fmt_json, dlp_fmt_table;
extern const struct dlp_format *const dlp_formats[];

/* fmt_table.c: a CSV-like (delimited) or fixed-width table under a header line */
struct dlp_table {
	char delim;		/* ",\t;|", or 0 */
	int fixed;		/* columns by offset: a fixed-width report */
	size_t header_start, header_end;	/* a table in a JSON string starts late */
	unsigned long long col_known;	/* header cells whose label is in col_label */
	unsigned char col_label[64];
	unsigned long long cols_done;
};

/* fmt_sql.c: INSERT INTO t (columns) VALUES (tuple), ... */
struct dlp_sql {
	size_t c0, c1, v0;	/* the column list and the first tuple */
	unsigned long long cols_done;
};

/* fmt_markup.c: HTML tables and forms, XML documents */
struct dlp_markup {
	int xml;		/* an XML document: every element names its content */
	int has_th;		/* an HTML table header cell was seen */
	unsigned long long cols_done;
};

/* fmt_json.c: rows of a JSON array of arrays */
struct dlp_json {
	unsigned long long cols_done;
};

/* ---------------------------------------------------------------------
 * Scratch: Hyperscan's, the events of one scan, the replay state
 */
struct event {
	unsigned int to;
	unsigned short id;
};

struct span {
	size_t start, end;
};

#define SPANS 8
#define MAX_EVENTS (1u << 22)

struct gf_dlp_scratch {
	hs_scratch_t *hs;
	struct event *ev;
	size_t nev, cap, max_events;	/* max_events: the candidate limit of one scan */
	int overflow;
	unsigned char *dec;	/* a decoded copy of the payload (decode.c) */
	size_t dec_cap;
	/* the payload being replayed */
	const unsigned char *buf;
	size_t len;
	const struct gf_dlp *d;
	gf_dlp_match_fn fn;
	void *ctx;
	size_t cur_start, cur_end;	/* the match being reported, for gf_dlp_match_span */
	/* what was reported: every match's (category, end), and recent spans */
	struct span spans[GF_DLP_MAX][SPANS];
	unsigned int nspans[GF_DLP_MAX];
	unsigned long long *seen;	/* scan number << 32 | key + 1 */
	size_t seen_cap, seen_n;
	unsigned int scan_no;
	/* per category: one genomic match a scan; half a coordinate waiting */
	int genomic_done;
	struct {
		int label;
		double val;
		size_t start, end;
	} pend;
	/* per format, each owned by its fmt_*.c */
	int unescaped;		/* decode.c: JSON string escapes were turned into characters */
	struct dlp_table table;
	struct dlp_sql sql;
	struct dlp_markup markup;
	struct dlp_json json;
};

/* ---------------------------------------------------------------------
 * Rules: per label, how a keyword's values are found (rules.c)
 */
struct dlp_rule {
	unsigned short after;	/* a value starts within this many bytes after its keyword */
	unsigned short after_form;	/* ... or this many before a form's </label> */
	unsigned short name;	/* label_at(value, name) must give the label back */
	unsigned short before;	/* "536221234 is the SSN": a value this near before its name */
	unsigned char whole;	/* not cut at the next keyword (base64 holds any word) */
	/* a shape that needs no name, unless a name within veto_within before says otherwise */
	unsigned short veto_within;
	unsigned short veto;	/* 1 << label for each label that vetoes */
	/* the values after a keyword ending at `to`, up to limit */
	void (*values)(struct gf_dlp_scratch *s, size_t to, size_t limit, int label);
};

extern const struct dlp_rule dlp_rules[L_MAX];

/* ---------------------------------------------------------------------
 * Helpers
 */
static inline int isdig(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline int isup(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline int islow(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static inline int isaln(unsigned char c)
{
	return isdig(c) || isup(c) || islow(c);
}

static inline int xdigit(unsigned char c)
{
	return isdig(c) || ((c | 32) >= 'a' && (c | 32) <= 'f');
}

static inline unsigned char at(const struct gf_dlp_scratch *s, size_t i)
{
	return i < s->len ? s->buf[i] : 0;
}

/* scan.c: report a match unless it was reported (same category, overlapping) */
void dlp_emit(struct gf_dlp_scratch *s, int cat, size_t start, size_t end, const char *value, size_t vlen);

/* label.c: the label that names the value at pos, within `window` bytes before it */
int dlp_label_at(const struct gf_dlp_scratch *s, size_t pos, size_t window);
/* does a name within the rule's veto window say the shape at pos is something else? */
int dlp_vetoed(const struct gf_dlp_scratch *s, size_t pos, int label);

/* token.c: the token after a name, validated as that name's value */
struct dlp_token {
	size_t start, end;
	char digits[24];
	int nd, nl;		/* digits, leading letters */
	char letters[3];
	char sep;		/* the one separator used between groups, or 0 */
	int groups[8], ng;
	int paren;		/* "(415) 555-2671" */
	int mixed;		/* letters after digits, mixed separators */
};

int dlp_next_token(const struct gf_dlp_scratch *s, size_t pos, size_t limit, struct dlp_token *t);
void dlp_token_value(struct gf_dlp_scratch *s, const struct dlp_token *t, int label);
/* [a, b) is one token, the value of a field named `label` */
void dlp_exact_value(struct gf_dlp_scratch *s, size_t a, size_t b, int label);

/* values.c: a keyword's values; a cell's value in a column a label names */
void dlp_on_key(struct gf_dlp_scratch *s, const struct pattern *p, size_t to, size_t limit);
int dlp_key_valid(const struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_cell_value(struct gf_dlp_scratch *s, size_t a, size_t b, int label);
/* ICD-10-CM codes in [from, limit); need_label: each must be named "diagnosis", "icd"... */
void dlp_icd_values(struct gf_dlp_scratch *s, size_t from, size_t limit, int need_label);
/* bio.c: a template or an embedding in [from, limit) */
void dlp_bio_values(struct gf_dlp_scratch *s, size_t from, size_t limit, int need_label);

/* the readers of dlp_rules: values after a keyword */
void dlp_tokens_named(struct gf_dlp_scratch *s, size_t to, size_t limit, int label);
void dlp_icd_named(struct gf_dlp_scratch *s, size_t to, size_t limit, int label);
void dlp_geo_named(struct gf_dlp_scratch *s, size_t to, size_t limit, int label);
void dlp_bio_named(struct gf_dlp_scratch *s, size_t to, size_t limit, int label);

/* The end of the name a keyword starts: "latitude", "passport1", "npi_no". */
static inline size_t dlp_past_name(const struct gf_dlp_scratch *s, size_t to)
{
	while (to < s->len && (isaln(s->buf[to]) || s->buf[to] == '_'))
		to++;
	return to;
}

/* cells.c: delimited lists: CSV rows ('\n' ends one), SQL tuples (')') */
size_t dlp_cell_end(const struct gf_dlp_scratch *s, size_t i, size_t lim, char delim, char stop);
int dlp_nth_cell(const struct gf_dlp_scratch *s, size_t i, size_t lim, char delim, char stop, size_t col,
		 size_t *a, size_t *b);
size_t dlp_cell_index(const struct gf_dlp_scratch *s, size_t i, size_t pos, char delim, char stop);

/* fmt_json.c: does a key of the two JSON objects around pos name `label`? */
int dlp_json_enclosing(const struct gf_dlp_scratch *s, size_t pos, int label);
/* fmt_markup.c: is the element at [n, n + len) HTML markup (not a name)? */
int dlp_html_element(const unsigned char *n, size_t len);

/* pattern handlers */
void dlp_ssn_dash(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_card_run(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_card_group(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_phone(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_phone_paren(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_iban(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_mbi(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_pair(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_hemi(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_email(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_bio_header(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_genomic(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_fastx(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_genotype(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_nucleotides(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_genomic_start(struct gf_dlp_scratch *s);	/* records at the payload's very start */
void dlp_sql_insert(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_html_th(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);
void dlp_hl7_segment(struct gf_dlp_scratch *s, const struct pattern *p, size_t to);

/* decode.c: a decoded copy in s->dec, or NULL if the payload needs none */
const unsigned char *dlp_url_decoded(struct gf_dlp_scratch *s, const unsigned char *b, size_t len,
				     size_t *outlen);
const unsigned char *dlp_json_unescaped(struct gf_dlp_scratch *s, const unsigned char *b, size_t len);

#endif
