/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lexicon (lexicon.def) and the names made of its words: what a field
 * is called, whether a word is markup or a connecting word.
 */
#ifndef GF_DLP_LEXICON_H
#define GF_DLP_LEXICON_H

#include <stddef.h>

/* What a field is called: the label its name gives the value. */
enum dlp_label {
	L_NONE,
	L_SSN, L_PASSPORT, L_ABA, L_NPI, L_DL, L_PHONE, L_ICD, L_LAT, L_LON, L_BIO,
	L_GEO,		/* a place as a pair: "position", "coordinates", "gps" */
	L_OTHER,	/* a field that is none of ours: order, invoice, EIN, id... */
	L_QUAL,		/* a qualifier: number, no, code ("npi_number") */
	L_MAX
};

enum dlp_lex_role {
	NAME = 1,
	KEY = 2,
	GLUED = 4,
	LINK = 8,
	MARKUP = 16,
};

struct dlp_lex {
	const char *text;
	unsigned char label, roles;
};

extern const struct dlp_lex dlp_lexicon[];
extern const size_t dlp_lexicon_len;

/* Build the lookup: once, before any of the calls below (gf_dlp_open does). */
void dlp_lexicon_init(void);
/* The entry for a word (lowercase, NUL-terminated), or NULL. */
const struct dlp_lex *dlp_lex_find(const char *word);
/* The label of a field name (role NAME), or L_NONE. */
static inline int dlp_lex_name(const char *word)
{
	const struct dlp_lex *e = dlp_lex_find(word);

	return e && (e->roles & NAME) ? e->label : L_NONE;
}
/* Is [p, p + n), in any case, a word with this role? */
int dlp_lex_is(const unsigned char *p, size_t n, int role);
/* The qualifiers that may be glued on (role GLUED); returns how many. */
size_t dlp_lex_glued(const char *const **list);

/*
 * A phrase: the words of a field's name, camelCase aware ("taxpayerSSN",
 * "Social Security No", "npi_id"), the last MAXW kept.
 */
#define MAXW 8

struct dlp_phrase {
	char w[MAXW][24];
	int n;
};

int dlp_split_words(const unsigned char *p, size_t a, size_t b, struct dlp_phrase *ph);
/* Drop words up to the last value among them; 1 if the phrase ends in one. */
int dlp_drop_values(struct dlp_phrase *ph);
/* The label the phrase's nearest name gives, or L_NONE. */
int dlp_phrase_label(const struct dlp_phrase *ph);
/* dlp_split_words then dlp_phrase_label: the label [a, b) names. */
int dlp_name_label(const unsigned char *p, size_t a, size_t b);

#endif
