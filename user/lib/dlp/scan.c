// SPDX-License-Identifier: GPL-2.0
/*
 * One scan: decode the payload if it needs it, let Hyperscan find the
 * events (offset, pattern), let each payload format look at the payload,
 * then replay the events in order: a keyword's values (values.c), a
 * shape's validation (shapes.c, geo.c, bio.c, genomic.c), a format's
 * start (SQL, HTML table, HL7).  Every validated match is reported once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

/*
 * The payload formats, in the order their hooks are asked: the first
 * whose key hook takes a keyword wins; label hooks before the nearest name.
 */
const struct dlp_format *const dlp_formats[] = {
	&dlp_fmt_sql, &dlp_fmt_markup, &dlp_fmt_hl7, &dlp_fmt_json, &dlp_fmt_table, NULL,
};

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	struct gf_dlp_scratch *s = ctx;

	(void)from;
	(void)flags;
	if (s->nev == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct event *ev;

		if (cap > s->max_events || !(ev = realloc(s->ev, cap * sizeof(*ev)))) {
			s->overflow = 1;
			return 1;	/* stop: the caller reports it */
		}
		s->ev = ev;
		s->cap = cap;
	}
	s->ev[s->nev++] = (struct event){ (unsigned int)to, (unsigned short)id };
	return 0;
}

/* Has (cat, end) been reported in this scan?  Remember it if not. */
static int seen(struct gf_dlp_scratch *s, int cat, size_t end)
{
	unsigned long long key = (unsigned long long)s->scan_no << 32 | (((unsigned int)end << 4 | cat) + 1);
	unsigned long long cur = (unsigned long long)s->scan_no << 32;
	unsigned int h;

	if (2 * (s->seen_n + 1) > s->seen_cap) {
		size_t cap = s->seen_cap ? 2 * s->seen_cap : 64;
		unsigned long long *t = calloc(cap, sizeof(*t)), *old = s->seen;

		if (!t)
			return 0;
		for (size_t i = 0; i < s->seen_cap; i++)
			if ((old[i] & ~0xffffffffull) == cur) {
				for (h = (unsigned int)old[i] * 2654435761u & (cap - 1); t[h];
				     h = (h + 1) & (cap - 1))
					;
				t[h] = old[i];
			}
		free(old);
		s->seen = t;
		s->seen_cap = cap;
	}
	for (h = (unsigned int)key * 2654435761u & (s->seen_cap - 1);
	     (s->seen[h] & ~0xffffffffull) == cur; h = (h + 1) & (s->seen_cap - 1))
		if (s->seen[h] == key)
			return 1;
	s->seen[h] = key;	/* an older scan's entry is free */
	s->seen_n++;
	return 0;
}

/* Emit unless a match of the category ends there or overlaps a recent one. */
void dlp_emit(struct gf_dlp_scratch *s, int cat, size_t start, size_t end, const char *value, size_t vlen)
{
	struct span *sp = s->spans[cat];
	unsigned int n = s->nspans[cat];

	for (unsigned int i = 0; i < n && i < SPANS; i++)
		if (start < sp[i].end && sp[i].start < end)
			return;
	if (seen(s, cat, end))
		return;
	sp[n % SPANS] = (struct span){ start, end };
	s->nspans[cat] = n + 1;
	s->cur_start = start;
	s->cur_end = end;
	s->fn(cat, value, vlen, s->ctx);
}

static int ev_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return x->to < y->to ? -1 : x->to > y->to ? 1 : (int)x->id - (int)y->id;
}

static int is_key(const struct gf_dlp_scratch *s, size_t i)
{
	const struct pattern *p = &s->d->pat[s->ev[i].id];

	return p->label && dlp_key_valid(s, p, s->ev[i].to);
}

/* The events in order: a keyword's values end where the next keyword starts. */
static void replay(struct gf_dlp_scratch *s)
{
	size_t next_key = 0;

	/* Hyperscan reports nearly in order: sort what it did not */
	for (size_t i = 1; i < s->nev; i++)
		if (ev_cmp(&s->ev[i - 1], &s->ev[i]) > 0) {
			qsort(s->ev, s->nev, sizeof(*s->ev), ev_cmp);
			break;
		}
	for (size_t i = 0; i < s->nev; i++) {
		const struct pattern *p = &s->d->pat[s->ev[i].id];
		size_t to = s->ev[i].to, limit = s->len;

		if (p->on) {
			p->on(s, p, to);
			continue;
		}
		if (!dlp_key_valid(s, p, to))
			continue;
		if (next_key <= i)
			for (next_key = i + 1; next_key < s->nev && !is_key(s, next_key); next_key++)
				;
		if (next_key < s->nev)
			limit = s->ev[next_key].to - s->d->pat[s->ev[next_key].id].width;
		dlp_on_key(s, p, to, limit > to ? limit : to);
	}
	dlp_genomic_start(s);
}

/* The state of one scan: what was reported, and every format's. */
static void reset(struct gf_dlp_scratch *s)
{
	memset(s->nspans, 0, sizeof(s->nspans));
	/* a new scan number frees every entry; zero it all when the numbers wrap */
	if (++s->scan_no == 0) {
		if (s->seen)
			memset(s->seen, 0, s->seen_cap * sizeof(*s->seen));
		s->scan_no = 1;
	}
	s->seen_n = 0;
	s->genomic_done = 0;
	s->pend.label = 0;
	for (const struct dlp_format *const *f = dlp_formats; *f; f++)
		if ((*f)->reset)
			(*f)->reset(s);
}

int gf_dlp_scan(const struct gf_dlp *d, struct gf_dlp_scratch *s, const void *buf, size_t len,
		gf_dlp_match_fn fn, void *ctx)
{
	const unsigned char *decoded, *u;
	size_t dlen;
	hs_error_t rc;

	if (len > 0x7fffffffu)
		return -E2BIG;
	if ((decoded = dlp_url_decoded(s, buf, len, &dlen))) {
		buf = decoded;
		len = dlen;
	}
	s->unescaped = 0;
	if ((u = dlp_json_unescaped(s, buf, len))) {
		decoded = buf = u;
		dlen = len;
		s->unescaped = 1;
	}
	s->nev = 0;
	s->overflow = 0;
	rc = hs_scan(d->db, buf, (unsigned int)len, 0, s->hs, on_match, s);
	if (s->overflow || rc != HS_SUCCESS) {
		if (decoded)
			explicit_bzero(s->dec, dlen);
		return s->overflow ? -E2BIG : -EIO;
	}
	s->buf = buf;
	s->len = len;
	s->d = d;
	s->fn = fn;
	s->ctx = ctx;
	reset(s);
	for (const struct dlp_format *const *f = dlp_formats; *f; f++)
		if ((*f)->detect)
			(*f)->detect(s);
	replay(s);
	s->buf = NULL;
	if (decoded)
		explicit_bzero(s->dec, dlen);
	return 0;
}

void gf_dlp_match_span(const struct gf_dlp_scratch *s, size_t *start, size_t *end)
{
	*start = s->cur_start;
	*end = s->cur_end;
}
