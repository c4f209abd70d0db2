// SPDX-License-Identifier: GPL-2.0
/*
 * Evidence summed over a window of days: per category and destination,
 * the distinct counts' estimates and bounds; from the store's cells or
 * from a directory of day files read without the agent.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_dlp.h"
#include "gf_ev_file.h"
#include "gf_evidence.h"

static int cmp_key(const void *a, const void *b)
{
	const struct gf_ev_cell *x = *(const struct gf_ev_cell *const *)a,
				*y = *(const struct gf_ev_cell *const *)b;
	int r = x->cat - y->cat;

	return r ? r : strcmp(x->dest, y->dest);
}

/* (category, destination), then day */
static int cmp_key_day(const void *a, const void *b)
{
	const struct gf_ev_cell *x = *(const struct gf_ev_cell *const *)a,
				*y = *(const struct gf_ev_cell *const *)b;
	int r = cmp_key(a, b);

	return r ? r : (x->day > y->day) - (x->day < y->day);
}

int gf_ev_summarize(struct gf_ev_cell *const *cells, size_t n, int32_t from, int32_t to,
		    struct gf_ev_summary **out)
{
	struct gf_ev_cell **sel = malloc((n ? n : 1) * sizeof(*sel));
	const struct gf_bk **src = malloc((n ? n : 1) * sizeof(*src));
	struct gf_ev_summary *sum = NULL;
	size_t m = 0, ns = 0;

	*out = NULL;
	if (!sel || !src)
		goto oom;
	for (size_t i = 0; i < n; i++)
		if (cells[i]->day >= from && cells[i]->day <= to && cells[i]->packets)
			sel[m++] = cells[i];
	qsort(sel, m, sizeof(*sel), cmp_key_day);
	sum = calloc(m ? m : 1, sizeof(*sum));
	if (!sum)
		goto oom;
	for (size_t i = 0; i < m;) {
		struct gf_ev_summary *s = &sum[ns++];
		size_t j = i, nsrc = 0;
		struct gf_bk all;
		struct gf_profile p;
		int32_t last_day = INT32_MIN;
		uint64_t gw_seen[64] = { 0 };	/* gateways 0..4095 */
		int ngw = 0;

		*s = (struct gf_ev_summary){ .cat = sel[i]->cat, .first = INT64_MAX,
					     .rate_min = UINT32_MAX };
		snprintf(s->dest, sizeof(s->dest), "%s", sel[i]->dest);
		for (; j < m && !cmp_key(&sel[i], &sel[j]); j++) {
			const struct gf_ev_cell *c = sel[j];

			src[nsrc++] = &c->bk;
			s->packets += c->packets;
			s->occurrences += c->occurrences;
			if (c->first < s->first)
				s->first = c->first;
			if (c->last > s->last)
				s->last = c->last;
			if (c->rate_min < s->rate_min)
				s->rate_min = c->rate_min;
			if (c->rate_max > s->rate_max)
				s->rate_max = c->rate_max;
			s->days += c->day != last_day;	/* sorted by day within the key */
			last_day = c->day;
			if (c->gateway >= 0 && c->gateway < 64 * 64 &&
			    !(gw_seen[c->gateway / 64] & (1ull << (c->gateway % 64)))) {
				gw_seen[c->gateway / 64] |= 1ull << (c->gateway % 64);
				ngw++;
			}
		}
		s->gateways = ngw;
		gf_bk_init(&all, 0);
		if (gf_bk_union(&all, src, nsrc, GF_BK_UNION_MAX))
			goto oom;
		gf_profile_of(&p, &all);
		/* q: packets over the occurrences they stand for; the bound takes the sparsest rate */
		gf_estimate(&s->est, &p, s->occurrences > 0 ? s->packets / s->occurrences : 1,
			    1.0 / s->rate_max);
		s->seen = p.d;
		s->exact = p.exact;
		gf_bk_free(&all);
		i = j;
	}
	free(sel);
	free(src);
	*out = sum;
	return ns;
oom:
	free(sel);
	free(src);
	free(sum);
	return -ENOMEM;
}


/* One day file read by gf_ev_read_dir. */
struct day_file {
	struct gf_ev_cell **cells;
	size_t n;
	uint64_t fp, skipped;
};

/* "; "-joined notes of what was left out; on no memory the note is lost, not the list. */
static void __attribute__((format(printf, 3, 4))) note_add(char **list, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char *one, *grown;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&one, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grown = realloc(*list, *len + n + 3);
	if (grown) {
		*len += sprintf(grown + *len, "%s%s", *len ? "; " : "", one);
		*list = grown;
	}
	free(one);
}

/* The day files in [from, to] that read cleanly; the others noted in skipped. */
static int read_days(DIR *dir, const char *evdir, int32_t from, int32_t to, struct day_file **files, size_t *nfiles,
		     char **skipped, size_t *sklen)
{
	struct dirent *de;

	while ((de = readdir(dir))) {
		struct gf_ev_cell **cells;
		struct gf_ev_dayinfo info;
		char path[4400], e[256];
		struct day_file *nf;
		int32_t day;
		size_t n;
		int rc;

		if (!gf_ev_is_day_file(de->d_name, &day) || day < from || day > to)
			continue;
		snprintf(path, sizeof(path), "%s/%s", evdir, de->d_name);
		rc = gf_ev_read_file(path, 0, &info, &cells, &n, e, sizeof(e));
		if (!rc && info.day != day) {
			gf_ev_cells_free(cells, n);
			snprintf(e, sizeof(e), "holds another day's evidence under this day's name");
			rc = -EINVAL;
		}
		if (rc) {
			note_add(skipped, sklen, "%s: %s", de->d_name, e);
			continue;
		}
		nf = realloc(*files, (*nfiles + 1) * sizeof(*nf));
		if (!nf) {
			gf_ev_cells_free(cells, n);
			return -ENOMEM;
		}
		*files = nf;
		nf[(*nfiles)++] = (struct day_file){ cells, n, info.fingerprint, info.skipped };
	}
	return 0;
}


int gf_ev_read_dir(const char *evdir, int32_t from, int32_t to, struct gf_ev_cell ***cells_out,
		   size_t *nout, uint64_t *fingerprint, char **skipped, uint64_t *samples_skipped,
		   char *err, size_t errlen)
{
	struct day_file *files = NULL;
	size_t nfiles = 0, total = 0, sklen = 0;
	uint64_t *fps;
	DIR *dir = opendir(evdir);
	uint64_t best;
	int ret;

	*cells_out = NULL;
	*nout = 0;
	*samples_skipped = 0;
	*skipped = calloc(1, 1);
	if (!dir) {
		snprintf(err, errlen, "cannot read %s: %s", evdir, strerror(errno));
		return -errno;
	}
	ret = read_days(dir, evdir, from, to, &files, &nfiles, skipped, &sklen);
	closedir(dir);
	fps = calloc(nfiles ? nfiles : 1, sizeof(*fps));
	if (!fps)
		ret = -ENOMEM;
	for (size_t i = 0; fps && i < nfiles; i++) {
		fps[i] = files[i].fp;
		total += files[i].n;
	}
	best = fps ? gf_ev_majority_key(fps, nfiles) : 0;
	free(fps);
	if (!ret)
		*cells_out = calloc(total ? total : 1, sizeof(**cells_out));
	for (size_t i = 0; i < nfiles; i++) {
		if (files[i].fp != best || !*cells_out) {
			if (*cells_out)
				note_add(skipped, &sklen, "day %d: made with another hash key (%016llx)",
					 files[i].n ? files[i].cells[0]->day : 0, (unsigned long long)files[i].fp);
			gf_ev_cells_free(files[i].cells, files[i].n);
			continue;
		}
		*samples_skipped += files[i].skipped;
		memcpy(*cells_out + *nout, files[i].cells, files[i].n * sizeof(*files[i].cells));
		*nout += files[i].n;
		free(files[i].cells);
	}
	free(files);
	*fingerprint = best;
	if (!*cells_out) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}
