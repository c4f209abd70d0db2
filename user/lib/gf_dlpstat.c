// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_dlp.h"
#include "gf_dlpstat.h"
#include "gf_hll.h"
#include "gf_log.h"
#include "gf_ranges.h"

#define ALERTS_KEPT 100

struct cell {
	unsigned long long matches;	/* validated values in samples */
	double occurrences;		/* the matches scaled by their samples' 1-in-N */
	unsigned int rate;		/* the latest sample's 1-in-N */
	int level;			/* alerts raised: 1 at the fraction, 2 at the threshold */
	time_t first, last;
	char example[48];		/* redacted */
	long long slice[GF_DLP_BUCKETS_MAX];	/* the window slice each HLL holds */
	struct gf_hll hll[];			/* cfg.buckets of them: 2 KiB each */
};

struct alert {
	time_t time;
	int cat, level;
	__u16 cls;
	double estimate;
	unsigned long long threshold;
	char example[48];
};

struct gf_dlp_stats {
	pthread_mutex_t lock;
	struct gf_sampling cfg;
	struct gf_dlp *dlp;
	struct gf_dlp_scratch *scratch;
	struct gf_hll_key *key;
	struct cell *cells[GF_DLP_MAX][GF_NUM_CLASSES];
	struct {
		unsigned long long samples, bytes;
	} per_class[GF_NUM_CLASSES];
	unsigned long long samples, bytes, matches, scan_errors, lost;
	struct alert alerts[ALERTS_KEPT];
	unsigned int nalerts;
	/* during one sample's scan */
	const struct gf_sample *cur;
	time_t now;
};

static long long slice_of(const struct gf_dlp_stats *st, time_t t)
{
	long long len = (long long)st->cfg.window_days * 86400 / st->cfg.buckets;

	return t / (len ? len : 1);
}

/* The distinct estimate of a cell over the window, scaled by its rate. */
static double distinct(const struct gf_dlp_stats *st, const struct cell *c, time_t now)
{
	long long cur = slice_of(st, now);
	struct gf_hll all;

	gf_hll_clear(&all);
	for (unsigned int b = 0; b < st->cfg.buckets; b++)
		if (c->slice[b] > cur - (long long)st->cfg.buckets && c->slice[b] <= cur)
			gf_hll_merge(&all, &c->hll[b]);
	return gf_hll_estimate(&all) * (c->rate ? c->rate : 1);
}

static void alert(struct gf_dlp_stats *st, int cat, __u16 cls, struct cell *c, int level,
		  double est)
{
	struct alert *a = &st->alerts[st->nalerts++ % ALERTS_KEPT];
	char name[32];

	*a = (struct alert){ st->now, cat, level, cls, est, st->cfg.threshold[cat], "" };
	snprintf(a->example, sizeof(a->example), "%s", c->example);
	gf_class_name(cls, name, sizeof(name));
	/* one line, key=value, for journald and log shippers; the example is redacted */
	pr_warn("dlp alert: category=%s destination=%s estimate=%.0f threshold=%llu level=%s "
		"fraction=%.2f window_days=%u sample_rate=%u example=\"%s\"\n", gf_dlp_cat_name(cat),
		name, est, st->cfg.threshold[cat], level == 2 ? "exceeded" : "warning",
		st->cfg.alert_fraction, st->cfg.window_days, c->rate, c->example);
}

static void check_alert(struct gf_dlp_stats *st, int cat, __u16 cls, struct cell *c)
{
	double est = distinct(st, c, st->now), thr = (double)st->cfg.threshold[cat];

	if (c->level < 2 && est > thr) {
		alert(st, cat, cls, c, 2, est);
		c->level = 2;
	} else if (c->level < 1 && est >= st->cfg.alert_fraction * thr) {
		alert(st, cat, cls, c, 1, est);
		c->level = 1;
	}
}

/* A validated match: count it; its value is hashed, redacted, and gone. */
static void on_match(int cat, const char *value, size_t len, void *ctx)
{
	struct gf_dlp_stats *st = ctx;
	const struct gf_sample *s = st->cur;
	__u16 cls = s->cls < GF_NUM_CLASSES ? s->cls : GF_CLASS_UNKNOWN;
	struct cell *c = st->cells[cat][cls];
	long long sl = slice_of(st, st->now);
	unsigned int b = (unsigned long long)sl % st->cfg.buckets;

	if (!c) {
		c = calloc(1, sizeof(*c) + st->cfg.buckets * sizeof(c->hll[0]));
		if (!c)
			return;
		for (unsigned int i = 0; i < GF_DLP_BUCKETS_MAX; i++)
			c->slice[i] = -1;
		c->first = st->now;
		st->cells[cat][cls] = c;
	}
	if (c->slice[b] != sl) {
		gf_hll_clear(&c->hll[b]);	/* a slice that left the window */
		c->slice[b] = sl;
	}
	gf_hll_add(&c->hll[b], gf_hll_hash(st->key, value, len));
	gf_dlp_redact(cat, value, len, c->example, sizeof(c->example));
	c->rate = s->sample_rate ? s->sample_rate : 1;
	c->matches++;
	c->occurrences += c->rate;
	c->last = st->now;
	st->matches++;
	/* estimating merges the slices: often enough to alert in time */
	if (c->level < 2 && (c->matches < 64 || c->matches % 16 == 0))
		check_alert(st, cat, cls, c);
}

void gf_dlp_stats_sample(struct gf_dlp_stats *st, const void *sample, size_t len, time_t now)
{
	const struct gf_sample *s = sample;
	__u16 cls;

	if (len < sizeof(*s) - GF_SAMPLE_MAX)
		return;
	pthread_mutex_lock(&st->lock);
	cls = s->cls < GF_NUM_CLASSES ? s->cls : GF_CLASS_UNKNOWN;
	st->samples++;
	st->bytes += s->payload_len;
	st->per_class[cls].samples++;
	st->per_class[cls].bytes += s->payload_len;
	if (s->payload_len && s->payload_len <= GF_SAMPLE_MAX && st->dlp) {
		st->cur = s;
		st->now = now;
		if (gf_dlp_scan(st->dlp, st->scratch, s->payload, s->payload_len, on_match, st))
			st->scan_errors++;
		st->cur = NULL;
	}
	pthread_mutex_unlock(&st->lock);
}

void gf_dlp_stats_set_lost(struct gf_dlp_stats *st, unsigned long long lost)
{
	pthread_mutex_lock(&st->lock);
	st->lost = lost;
	pthread_mutex_unlock(&st->lock);
}

void gf_dlp_stats_configure(struct gf_dlp_stats *st, const struct gf_sampling *cfg)
{
	pthread_mutex_lock(&st->lock);
	if (cfg->window_days != st->cfg.window_days || cfg->buckets != st->cfg.buckets) {
		/* a new window shape: slices mean something else, start again */
		for (int k = 0; k < GF_DLP_MAX; k++)
			for (int c = 0; c < GF_NUM_CLASSES; c++) {
				free(st->cells[k][c]);
				st->cells[k][c] = NULL;
			}
		if (st->samples)
			pr_info("dlp: the window changed (%u days in %u slices): estimates restart\n",
				cfg->window_days, cfg->buckets);
	}
	st->cfg = *cfg;
	/* a lower threshold alerts again; a higher one resets the level */
	for (int k = 0; k < GF_DLP_MAX; k++)
		for (int c = 0; c < GF_NUM_CLASSES; c++)
			if (st->cells[k][c])
				st->cells[k][c]->level = 0;
	pthread_mutex_unlock(&st->lock);
}

int gf_dlp_stats_new(struct gf_dlp_stats **out, const struct gf_sampling *cfg, char *err,
		     size_t errlen)
{
	struct gf_dlp_stats *st = calloc(1, sizeof(*st));
	int ret;

	if (!st)
		return -ENOMEM;
	pthread_mutex_init(&st->lock, NULL);
	st->cfg = *cfg;
	st->key = gf_hll_key_new(cfg->has_key ? cfg->key : NULL);
	if (!st->key) {
		snprintf(err, errlen, "cannot set up the keyed hash (OpenSSL SipHash)");
		free(st);
		return -EIO;
	}
	ret = gf_dlp_open(&st->dlp, err, errlen);
	if (!ret && !(st->scratch = gf_dlp_scratch_new(st->dlp)))
		ret = -ENOMEM;
	if (ret) {
		gf_dlp_close(st->dlp);
		gf_hll_key_free(st->key);
		free(st);
		return ret;
	}
	*out = st;
	return 0;
}

json_object *gf_dlp_stats_json(struct gf_dlp_stats *st, time_t now)
{
	json_object *o = json_object_new_object(), *cells = json_object_new_array(),
		    *classes = json_object_new_array(), *alerts = json_object_new_array();
	char name[32];

	pthread_mutex_lock(&st->lock);
	/* the alerts the last matches did not look at (every 16th looks) */
	st->now = now;
	for (int k = 0; k < GF_DLP_MAX; k++)
		for (int c = 0; c < GF_NUM_CLASSES; c++)
			if (st->cells[k][c] && st->cells[k][c]->level < 2)
				check_alert(st, k, c, st->cells[k][c]);
	json_object_object_add(o, "updated", json_object_new_int64(now));
	json_object_object_add(o, "window_days", json_object_new_int(st->cfg.window_days));
	json_object_object_add(o, "buckets", json_object_new_int(st->cfg.buckets));
	json_object_object_add(o, "alert_fraction", json_object_new_double(st->cfg.alert_fraction));
	json_object_object_add(o, "samples", json_object_new_int64(st->samples));
	json_object_object_add(o, "sampled_bytes", json_object_new_int64(st->bytes));
	json_object_object_add(o, "samples_lost", json_object_new_int64(st->lost));
	json_object_object_add(o, "matches", json_object_new_int64(st->matches));
	json_object_object_add(o, "scan_errors", json_object_new_int64(st->scan_errors));
	for (int c = 0; c < GF_NUM_CLASSES; c++)
		if (st->per_class[c].samples) {
			json_object *e = json_object_new_object();

			json_object_object_add(e, "class", json_object_new_string(gf_class_name(c, name,
										       sizeof(name))));
			json_object_object_add(e, "samples", json_object_new_int64(st->per_class[c].samples));
			json_object_object_add(e, "bytes", json_object_new_int64(st->per_class[c].bytes));
			json_object_array_add(classes, e);
		}
	for (int k = 0; k < GF_DLP_MAX; k++)
		for (int c = 0; c < GF_NUM_CLASSES; c++) {
			struct cell *cl = st->cells[k][c];
			json_object *e;
			double est;

			if (!cl)
				continue;
			est = distinct(st, cl, now);
			e = json_object_new_object();
			json_object_object_add(e, "category", json_object_new_string(gf_dlp_cat_name(k)));
			json_object_object_add(e, "class", json_object_new_string(gf_class_name(c, name,
										       sizeof(name))));
			json_object_object_add(e, "matches", json_object_new_int64(cl->matches));
			json_object_object_add(e, "estimated_occurrences",
					       json_object_new_int64((long long)cl->occurrences));
			json_object_object_add(e, "distinct_estimate", json_object_new_int64((long long)est));
			json_object_object_add(e, "sample_rate", json_object_new_int64(cl->rate));
			json_object_object_add(e, "threshold", json_object_new_int64(st->cfg.threshold[k]));
			json_object_object_add(e, "share_of_threshold",
					       json_object_new_double(est / st->cfg.threshold[k]));
			json_object_object_add(e, "example", json_object_new_string(cl->example));
			json_object_object_add(e, "first", json_object_new_int64(cl->first));
			json_object_object_add(e, "last", json_object_new_int64(cl->last));
			json_object_array_add(cells, e);
		}
	for (unsigned int i = st->nalerts > ALERTS_KEPT ? st->nalerts - ALERTS_KEPT : 0; i < st->nalerts; i++) {
		const struct alert *a = &st->alerts[i % ALERTS_KEPT];
		json_object *e = json_object_new_object();

		json_object_object_add(e, "time", json_object_new_int64(a->time));
		json_object_object_add(e, "category", json_object_new_string(gf_dlp_cat_name(a->cat)));
		json_object_object_add(e, "class", json_object_new_string(gf_class_name(a->cls, name,
										       sizeof(name))));
		json_object_object_add(e, "level", json_object_new_string(a->level == 2 ? "exceeded" :
									  "warning"));
		json_object_object_add(e, "estimate", json_object_new_int64((long long)a->estimate));
		json_object_object_add(e, "threshold", json_object_new_int64(a->threshold));
		json_object_object_add(e, "example", json_object_new_string(a->example));
		json_object_array_add(alerts, e);
	}
	pthread_mutex_unlock(&st->lock);
	json_object_object_add(o, "classes", classes);
	json_object_object_add(o, "cells", cells);
	json_object_object_add(o, "alerts", alerts);
	return o;
}

void gf_dlp_stats_free(struct gf_dlp_stats *st)
{
	if (!st)
		return;
	for (int k = 0; k < GF_DLP_MAX; k++)
		for (int c = 0; c < GF_NUM_CLASSES; c++)
			free(st->cells[k][c]);
	gf_dlp_scratch_free(st->scratch);
	gf_dlp_close(st->dlp);
	gf_hll_key_free(st->key);
	pthread_mutex_destroy(&st->lock);
	free(st);
}
