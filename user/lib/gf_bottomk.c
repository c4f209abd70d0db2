// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gf_bottomk.h"

void gf_bk_init(struct gf_bk *b, uint32_t k)
{
	*b = (struct gf_bk){ .k = k, .thr = GF_BK_ALL };
}

void gf_bk_free(struct gf_bk *b)
{
	free(b->h);
	free(b->n);
	gf_bk_init(b, b->k);
}

static int grow(struct gf_bk *b, uint32_t want)
{
	uint32_t cap = b->cap ? b->cap : 16;
	uint64_t *h;
	uint32_t *n;

	if (want <= b->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	if (b->k && cap > b->k)
		cap = b->k;
	h = realloc(b->h, (size_t)cap * sizeof(*h));
	if (!h)
		return -ENOMEM;
	b->h = h;
	n = realloc(b->n, (size_t)cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	b->n = n;
	b->cap = cap;
	return 0;
}

/* The first index whose hash is >= h. */
static uint32_t lower(const struct gf_bk *b, uint64_t h)
{
	uint32_t lo = 0, hi = b->len;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (b->h[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int gf_bk_add(struct gf_bk *b, uint64_t h, uint32_t count)
{
	uint32_t i;

	if (h > b->thr)
		return 0;	/* beyond what this sample keeps */
	i = lower(b, h);
	if (i < b->len && b->h[i] == h) {
		b->n[i] = b->n[i] > UINT32_MAX - count ? UINT32_MAX : b->n[i] + count;
		return 0;
	}
	if (b->k && b->len == b->k) {
		/* full: the largest goes, and with it everything above the new largest */
		if (i == b->len) {
			b->thr = b->h[b->len - 1];
			return 0;
		}
		b->len--;
		memmove(b->h + i + 1, b->h + i, (size_t)(b->len - i) * sizeof(*b->h));
		memmove(b->n + i + 1, b->n + i, (size_t)(b->len - i) * sizeof(*b->n));
		b->h[i] = h;
		b->n[i] = count;
		b->len++;
		b->thr = b->h[b->len - 1];
		return 0;
	}
	if (grow(b, b->len + 1))
		return -ENOMEM;
	memmove(b->h + i + 1, b->h + i, (size_t)(b->len - i) * sizeof(*b->h));
	memmove(b->n + i + 1, b->n + i, (size_t)(b->len - i) * sizeof(*b->n));
	b->h[i] = h;
	b->n[i] = count;
	b->len++;
	return 0;
}

struct ent {
	uint64_t h;
	uint32_t n;
};

static int cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	return x->h < y->h ? -1 : x->h > y->h;
}

/* Entries of a sample at or below t. */
static uint32_t below(const struct gf_bk *b, uint64_t t)
{
	return t == UINT64_MAX ? b->len : lower(b, t + 1);
}

int gf_bk_union(struct gf_bk *b, const struct gf_bk *const *src, size_t n, uint32_t limit)
{
	uint64_t thr = GF_BK_ALL, cut;
	size_t total = 0, m = 0;
	struct ent *e;

	for (size_t s = 0; s < n; s++)
		if (src[s]->thr < thr)
			thr = src[s]->thr;
	/*
	 * With a limit, only the smallest hashes matter: lower the cut until
	 * at most about four limits' worth of entries lie under it (binary
	 * searches, no copying), then gather, merge, and keep the limit.
	 */
	cut = thr;
	for (int it = 0; it < 64; it++) {
		total = 0;
		for (size_t s = 0; s < n; s++)
			total += below(src[s], cut);
		if (!limit || total <= 4 * (size_t)limit || cut < 1024)
			break;
		cut = (uint64_t)((double)cut * (2.0 * limit / total));
	}
	e = malloc((total ? total : 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (size_t s = 0; s < n; s++)
		for (uint32_t i = 0; i < src[s]->len && src[s]->h[i] <= cut; i++)
			e[m++] = (struct ent){ src[s]->h[i], src[s]->n[i] };
	qsort(e, m, sizeof(*e), cmp_ent);
	gf_bk_free(b);
	b->k = 0;
	b->thr = cut;
	if (m && grow(b, m)) {
		free(e);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m; i++) {
		if (b->len && b->h[b->len - 1] == e[i].h) {
			uint32_t *c = &b->n[b->len - 1];

			*c = *c > UINT32_MAX - e[i].n ? UINT32_MAX : *c + e[i].n;
			continue;
		}
		if (limit && b->len == limit) {
			/* the limit's smallest are kept: the sample ends below this hash */
			b->thr = b->h[b->len - 1];
			break;
		}
		b->h[b->len] = e[i].h;
		b->n[b->len++] = e[i].n;
	}
	free(e);
	return 0;
}

double gf_bk_share(const struct gf_bk *b)
{
	if (b->thr == GF_BK_ALL)
		return 1.0;
	/* hashes are uniform on [0, 2^64): those <= thr are a (thr + 1) / 2^64 share */
	return ((double)b->thr + 1.0) / 18446744073709551616.0;
}
