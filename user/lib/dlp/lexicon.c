// SPDX-License-Identifier: GPL-2.0
/*
 * The lexicon as a table (lexicon.def) and its lookup: one open-addressing
 * hash over every entry, whatever the role, built once by
 * dlp_lexicon_init() (gf_dlp_open calls it) before any lookup.
 */
#include <pthread.h>
#include <string.h>
#include "lexicon.h"

const struct dlp_lex dlp_lexicon[] = {
#define LEX(text, label, roles) { text, L_##label, roles },
#include "lexicon.def"
#undef LEX
};
const size_t dlp_lexicon_len = sizeof(dlp_lexicon) / sizeof(dlp_lexicon[0]);

#define SLOTS 1024	/* a power of two, over twice the entries */
_Static_assert(sizeof(dlp_lexicon) / sizeof(dlp_lexicon[0]) * 2 < SLOTS, "the lexicon outgrew its hash");

static unsigned short slot[SLOTS];	/* index into dlp_lexicon + 1; 0 empty */
static const char *glued[16];
static size_t nglued;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static unsigned int hash(const char *w)
{
	unsigned int h = 2166136261u;

	while (*w)
		h = (h ^ (unsigned char)*w++) * 16777619u;
	return h;
}

static void build(void)
{
	for (size_t i = 0; i < dlp_lexicon_len; i++) {
		unsigned int h = hash(dlp_lexicon[i].text) & (SLOTS - 1);

		while (slot[h])
			h = (h + 1) & (SLOTS - 1);
		slot[h] = i + 1;
		if ((dlp_lexicon[i].roles & GLUED) && nglued < sizeof(glued) / sizeof(*glued))
			glued[nglued++] = dlp_lexicon[i].text;
	}
}

void dlp_lexicon_init(void)
{
	pthread_once(&once, build);
}

size_t dlp_lex_glued(const char *const **list)
{
	*list = glued;
	return nglued;
}

const struct dlp_lex *dlp_lex_find(const char *w)
{
	for (unsigned int h = hash(w) & (SLOTS - 1); slot[h]; h = (h + 1) & (SLOTS - 1))
		if (!strcmp(dlp_lexicon[slot[h] - 1].text, w))
			return &dlp_lexicon[slot[h] - 1];
	return NULL;
}

int dlp_lex_is(const unsigned char *p, size_t n, int role)
{
	char w[24];
	const struct dlp_lex *e;

	if (!n || n >= sizeof(w))
		return 0;
	for (size_t i = 0; i < n; i++)
		w[i] = p[i] >= 'A' && p[i] <= 'Z' ? p[i] | 32 : p[i];
	w[n] = '\0';
	e = dlp_lex_find(w);
	return e && (e->roles & role);
}
