// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_dlp.h"
#include "gf_dlpstat.h"
#include "gf_evpg.h"
#include "gf_log.h"
#include "gf_ranges.h"
#include "gf_services.h"

#define ALERTS_KEPT 100
#define FOUND_MAX 256		/* values one sample can carry (1500 bytes: fewer) */

enum level { LVL_NONE, LVL_WARNING, LVL_EXCEEDED, LVL_CERTAIN };
static const char *const level_name[] = { "none", "warning", "exceeded", "certain" };

/* What memory holds per (category, destination) beside the evidence. */
struct cell {
	int cat;
	char dest[GF_EV_DEST_MAX];
	unsigned long long matches;	/* since the agent started */
	int level;			/* the highest alert raised while it held */
	char example[48];		/* redacted */
};

struct alert {
	time_t time;
	int cat, level;
	char dest[GF_EV_DEST_MAX];
	struct gf_estimate est;
	unsigned long long threshold;
	char example[48];
};

struct gf_dlp_stats {
	pthread_mutex_t lock;
	struct gf_sampling cfg;
	struct gf_dlp *dlp;
	struct gf_dlp_scratch *scratch;
	struct gf_evidence *ev;
	struct gf_services *services;	/* the names and the readable share, per destination */
	struct cell *cells;
	size_t ncells;
	struct {
		unsigned long long samples, bytes;
	} per_class[GF_NUM_CLASSES];
	unsigned long long samples, bytes, matches, scan_errors, lost, ev_errors;
	int lost_seen;
	struct alert alerts[ALERTS_KEPT];
	unsigned int nalerts;
	/* during one sample's scan: its values, each counted once */
	const struct gf_sample *cur;
	time_t now;
	struct {
		int cat;
		uint64_t h;
	} found[FOUND_MAX];
	int nfound;
	/* the window's summaries, refreshed when the evidence changed */
	struct gf_ev_summary *sum;
	int nsum, dirty;
	int32_t sum_day;
	time_t sum_at;
	double refresh_cost;		/* seconds the last refresh took */
	char ev_error[256];
	int flush_failing;
	int upload_on;
	struct gf_evpg_status upload;
};

static struct cell *cell_get(struct gf_dlp_stats *st, int cat, const char *dest)
{
	struct cell *c;

	for (size_t i = 0; i < st->ncells; i++)
		if (st->cells[i].cat == cat && !strcmp(st->cells[i].dest, dest))
			return &st->cells[i];
	c = realloc(st->cells, (st->ncells + 1) * sizeof(*c));
	if (!c)
		return NULL;
	st->cells = c;
	c = &st->cells[st->ncells++];
	*c = (struct cell){ .cat = cat };
	snprintf(c->dest, sizeof(c->dest), "%s", dest);
	return c;
}

const char *gf_dlp_unit(int cat)
{
	/* 28 CFR 202.205(c): precise geolocation counts US devices */
	return cat == GF_DLP_PRECISE_GEOLOCATION ? "devices" : "persons";
}

static void alert(struct gf_dlp_stats *st, const struct gf_ev_summary *s, struct cell *c, int level)
{
	struct alert *a = &st->alerts[st->nalerts++ % ALERTS_KEPT];
	unsigned long long thr = st->cfg.threshold[s->cat];
	static const char *const crossed[] = {
		[LVL_WARNING] = "the upper bound reached the alert fraction of",
		[LVL_EXCEEDED] = "the point estimate passed",
		[LVL_CERTAIN] = "the lower bound passed",
	};

	*a = (struct alert){ st->now, s->cat, level, "", s->est, thr, "" };
	snprintf(a->dest, sizeof(a->dest), "%s", s->dest);
	snprintf(a->example, sizeof(a->example), "%s", c ? c->example : "");
	/* one line, key=value, for journald and log shippers; the example is redacted */
	pr_warn("dlp alert: category=%s destination=%s level=%s what=\"%s the threshold\" "
		"lower=%.0f point=%.0f upper=%.0f threshold=%llu unit=%s fraction=%.2f "
		"window_days=%u sample_rate=%u-%u example=\"%s\"\n", gf_dlp_cat_name(s->cat), s->dest,
		level_name[level], crossed[level], s->est.lower, s->est.point, s->est.upper, thr,
		gf_dlp_unit(s->cat), st->cfg.alert_fraction, st->cfg.window_days, s->rate_min,
		s->rate_max, a->example);
}

static int level_of(const struct gf_dlp_stats *st, const struct gf_ev_summary *s)
{
	double thr = (double)st->cfg.threshold[s->cat];

	if (s->est.lower > thr)
		return LVL_CERTAIN;
	if (s->est.point > thr)
		return LVL_EXCEEDED;
	if (s->est.upper >= st->cfg.alert_fraction * thr)
		return LVL_WARNING;
	return LVL_NONE;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The window's summaries, again when the evidence changed: at most once a
 * second, and at most a twentieth of the time (a year of full samples in
 * 30 cells takes 0.4 s: then every 8 s).  A new day always refreshes.
 */
static void refresh(struct gf_dlp_stats *st, time_t now)
{
	int32_t today = gf_ev_day_of(now);
	struct gf_ev_summary *sum;
	double t0, gap = 20 * st->refresh_cost;
	int n;

	if (st->sum && today == st->sum_day &&
	    (!st->dirty || now == st->sum_at || (double)(now - st->sum_at) < gap))
		return;
	t0 = mono();
	n = gf_ev_window(st->ev, today, st->cfg.window_days, &sum);
	st->refresh_cost = mono() - t0;
	if (n < 0)
		return;	/* out of memory: keep the last ones */
	free(st->sum);
	st->sum = sum;
	st->nsum = n;
	st->sum_at = now;
	st->sum_day = today;
	st->dirty = 0;
	st->now = now;
	for (int i = 0; i < n; i++) {
		struct cell *c = cell_get(st, sum[i].cat, sum[i].dest);
		int lvl = level_of(st, &sum[i]);

		if (!c)
			continue;
		for (int l = c->level + 1; l <= lvl; l++)
			alert(st, &sum[i], c, l);
		/* fallen back (the window moved on, a threshold rose): alert again next time */
		c->level = lvl;
	}
}

/* A validated match: its keyed hash is noted for the sample; the value is gone. */
static void on_match(int cat, const char *value, size_t len, void *ctx)
{
	struct gf_dlp_stats *st = ctx;
	const struct gf_sample *s = st->cur;
	__u16 cls = s->cls < GF_NUM_CLASSES ? s->cls : GF_CLASS_UNKNOWN;
	uint64_t h = gf_ev_hash(st->ev, value, len);
	char dest[32];
	struct cell *c;

	gf_class_name(cls, dest, sizeof(dest));
	c = cell_get(st, cat, dest);
	if (c) {
		gf_dlp_redact(cat, value, len, c->example, sizeof(c->example));
		c->matches++;
	}
	st->matches++;
	/* once per sampled packet: the same value twice in a packet is one */
	for (int i = 0; i < st->nfound; i++)
		if (st->found[i].cat == cat && st->found[i].h == h)
			return;
	if (st->nfound < FOUND_MAX)
		st->found[st->nfound++] = (typeof(st->found[0])){ cat, h };
	else if (gf_ev_add(st->ev, st->now, cat, dest, s->sample_rate, h))
		st->ev_errors++;
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
	if (s->payload_len && s->payload_len <= GF_SAMPLE_MAX) {
		struct gf_peek pk;

		gf_peek(s->payload, s->payload_len, s->l4_proto, s->sport, s->dport, &pk);
		gf_services_add(st->services, cls, &pk, s->payload_len, now);
	}
	if (s->payload_len && s->payload_len <= GF_SAMPLE_MAX && st->dlp) {
		char dest[32];

		st->cur = s;
		st->now = now;
		st->nfound = 0;
		if (gf_dlp_scan(st->dlp, st->scratch, s->payload, s->payload_len, on_match, st))
			st->scan_errors++;
		gf_class_name(cls, dest, sizeof(dest));
		for (int i = 0; i < st->nfound; i++)
			if (gf_ev_add(st->ev, now, st->found[i].cat, dest, s->sample_rate, st->found[i].h))
				st->ev_errors++;
		st->dirty |= st->nfound > 0;
		st->nfound = 0;
		st->cur = NULL;
	}
	pthread_mutex_unlock(&st->lock);
}

void gf_dlp_stats_set_lost(struct gf_dlp_stats *st, unsigned long long lost, time_t now)
{
	pthread_mutex_lock(&st->lock);
	/*
	 * The datapath's counters outlive the agent: the first reading is the
	 * baseline, and what grows after it goes into the day's evidence.
	 */
	if (st->lost_seen && lost > st->lost)
		gf_ev_add_skipped(st->ev, now, lost - st->lost);
	st->lost_seen = 1;
	st->lost = lost;
	pthread_mutex_unlock(&st->lock);
}

int gf_dlp_stats_flush(struct gf_dlp_stats *st)
{
	char err[512];
	int ret;

	pthread_mutex_lock(&st->lock);
	ret = gf_ev_flush(st->ev, err, sizeof(err));
	if (ret && !st->flush_failing)
		pr_err("evidence: %s; the agent keeps it in memory and tries again\n", err);
	else if (!ret && st->flush_failing)
		pr_info("evidence: written again\n");
	st->flush_failing = ret != 0;
	pthread_mutex_unlock(&st->lock);
	return ret;
}

struct gf_evidence *gf_dlp_stats_evidence(struct gf_dlp_stats *st)
{
	return st->ev;
}

void gf_dlp_stats_lock(struct gf_dlp_stats *st)
{
	pthread_mutex_lock(&st->lock);
}

void gf_dlp_stats_unlock(struct gf_dlp_stats *st)
{
	pthread_mutex_unlock(&st->lock);
}

void gf_dlp_stats_set_upload(struct gf_dlp_stats *st, const struct gf_evpg_status *us)
{
	pthread_mutex_lock(&st->lock);
	st->upload = *us;
	st->upload_on = 1;
	pthread_mutex_unlock(&st->lock);
}

int gf_dlp_stats_evidence_on_disk(struct gf_dlp_stats *st)
{
	return !st->ev_error[0];
}

void gf_dlp_stats_set_evidence_error(struct gf_dlp_stats *st, const char *why)
{
	pthread_mutex_lock(&st->lock);
	snprintf(st->ev_error, sizeof(st->ev_error), "%s", why ? why : "");
	pthread_mutex_unlock(&st->lock);
}

void gf_dlp_stats_configure(struct gf_dlp_stats *st, const struct gf_sampling *cfg)
{
	pthread_mutex_lock(&st->lock);
	st->cfg = *cfg;
	/* a new window or threshold: levels are taken again from the new figures */
	for (size_t i = 0; i < st->ncells; i++)
		st->cells[i].level = 0;
	st->dirty = 1;
	free(st->sum);
	st->sum = NULL;
	pthread_mutex_unlock(&st->lock);
}

int gf_dlp_stats_new(struct gf_dlp_stats **out, const struct gf_sampling *cfg,
		     struct gf_evidence *ev, char *err, size_t errlen)
{
	struct gf_dlp_stats *st = calloc(1, sizeof(*st));
	int ret;

	if (!st)
		return -ENOMEM;
	pthread_mutex_init(&st->lock, NULL);
	st->cfg = *cfg;
	st->ev = ev;
	ret = gf_dlp_open(&st->dlp, err, errlen);
	if (!ret && (!(st->scratch = gf_dlp_scratch_new(st->dlp)) || !(st->services = gf_services_new())))
		ret = -ENOMEM;
	if (ret) {
		gf_dlp_scratch_free(st->scratch);
		gf_dlp_close(st->dlp);
		st->ev = NULL;
		free(st);
		return ret;
	}
	*out = st;
	return 0;
}

static json_object *evidence_json(struct gf_dlp_stats *st)
{
	json_object *o = json_object_new_object(), *rej = json_object_new_array();
	struct gf_ev_status es;
	char fp[20];

	gf_ev_status(st->ev, &es);
	snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)gf_ev_fingerprint(st->ev));
	json_object_object_add(o, "dir", json_object_new_string(gf_ev_dir(st->ev)));
	json_object_object_add(o, "kept", json_object_new_boolean(!st->ev_error[0]));
	json_object_object_add(o, "error", json_object_new_string(st->ev_error));
	json_object_object_add(o, "key", json_object_new_string(es.key_source));
	json_object_object_add(o, "key_fingerprint", json_object_new_string(fp));
	json_object_object_add(o, "files", json_object_new_int(es.files));
	json_object_object_add(o, "bytes", json_object_new_int64(es.bytes));
	json_object_object_add(o, "days", json_object_new_int(es.days));
	json_object_object_add(o, "cells", json_object_new_int(es.cells));
	json_object_object_add(o, "writes", json_object_new_int64(es.writes));
	json_object_object_add(o, "write_errors", json_object_new_int64(es.write_errors));
	json_object_object_add(o, "write_failing", json_object_new_boolean(st->flush_failing));
	json_object_object_add(o, "last_write_seconds", json_object_new_double(es.last_write_seconds));
	json_object_object_add(o, "add_errors", json_object_new_int64(st->ev_errors));
	for (int i = 0; i < es.nrejected; i++) {
		json_object *e = json_object_new_object();

		json_object_object_add(e, "file", json_object_new_string(es.rejected[i].file));
		json_object_object_add(e, "kept_as", json_object_new_string(es.rejected[i].moved_to));
		json_object_object_add(e, "why", json_object_new_string(es.rejected[i].why));
		json_object_array_add(rej, e);
	}
	json_object_object_add(o, "rejected", rej);
	if (st->upload_on) {
		json_object *u = json_object_new_object();

		json_object_object_add(u, "pending_days", json_object_new_int(st->upload.pending_days));
		json_object_object_add(u, "rounds", json_object_new_int64(st->upload.rounds));
		json_object_object_add(u, "failures", json_object_new_int64(st->upload.failures));
		json_object_object_add(u, "rows", json_object_new_int64(st->upload.rows));
		json_object_object_add(u, "bytes", json_object_new_int64(st->upload.bytes));
		json_object_object_add(u, "last_ok", json_object_new_double(st->upload.last_ok));
		json_object_object_add(u, "failing", json_object_new_boolean(st->upload.failing));
		json_object_object_add(u, "last_error", json_object_new_string(st->upload.last_error));
		json_object_object_add(o, "upload", u);
	}
	return o;
}

json_object *gf_dlp_stats_json(struct gf_dlp_stats *st, time_t now)
{
	json_object *o = json_object_new_object(), *cells = json_object_new_array(),
		    *classes = json_object_new_array(), *alerts = json_object_new_array();
	char name[32];

	pthread_mutex_lock(&st->lock);
	refresh(st, now);
	json_object_object_add(o, "updated", json_object_new_int64(now));
	json_object_object_add(o, "window_days", json_object_new_int(st->cfg.window_days));
	json_object_object_add(o, "alert_fraction", json_object_new_double(st->cfg.alert_fraction));
	json_object_object_add(o, "samples", json_object_new_int64(st->samples));
	json_object_object_add(o, "sampled_bytes", json_object_new_int64(st->bytes));
	json_object_object_add(o, "samples_lost", json_object_new_int64(st->lost));
	json_object_object_add(o, "samples_skipped_window",
			       json_object_new_int64(gf_ev_skipped(st->ev, gf_ev_day_of(now) - st->cfg.window_days + 1,
								  gf_ev_day_of(now))));
	json_object_object_add(o, "matches", json_object_new_int64(st->matches));
	json_object_object_add(o, "scan_errors", json_object_new_int64(st->scan_errors));
	json_object_object_add(o, "evidence", evidence_json(st));
	for (int c = 0; c < GF_NUM_CLASSES; c++)
		if (st->per_class[c].samples) {
			json_object *e = json_object_new_object();

			json_object_object_add(e, "class", json_object_new_string(gf_class_name(c, name,
										       sizeof(name))));
			json_object_object_add(e, "samples", json_object_new_int64(st->per_class[c].samples));
			json_object_object_add(e, "bytes", json_object_new_int64(st->per_class[c].bytes));
			json_object_array_add(classes, e);
		}
	for (int i = 0; i < st->nsum; i++) {
		const struct gf_ev_summary *s = &st->sum[i];
		struct cell *cl = cell_get(st, s->cat, s->dest);
		double thr = (double)st->cfg.threshold[s->cat];
		json_object *e = json_object_new_object();

		json_object_object_add(e, "category", json_object_new_string(gf_dlp_cat_name(s->cat)));
		json_object_object_add(e, "class", json_object_new_string(s->dest));
		json_object_object_add(e, "unit", json_object_new_string(gf_dlp_unit(s->cat)));
		json_object_object_add(e, "matches", json_object_new_int64(s->packets));
		json_object_object_add(e, "matches_since_start", json_object_new_int64(cl ? cl->matches : 0));
		json_object_object_add(e, "estimated_occurrences", json_object_new_int64((long long)s->occurrences));
		json_object_object_add(e, "seen", json_object_new_int64((long long)(s->seen + 0.5)));
		json_object_object_add(e, "lower", json_object_new_int64((long long)s->est.lower));
		json_object_object_add(e, "point", json_object_new_int64((long long)(s->est.point + 0.5)));
		json_object_object_add(e, "upper", json_object_new_int64((long long)(s->est.upper + 0.999)));
		json_object_object_add(e, "distinct_estimate", json_object_new_int64((long long)(s->est.point + 0.5)));
		json_object_object_add(e, "exact", json_object_new_boolean(s->exact && s->rate_max == 1));
		json_object_object_add(e, "sample_rate_min", json_object_new_int64(s->rate_min));
		json_object_object_add(e, "sample_rate_max", json_object_new_int64(s->rate_max));
		json_object_object_add(e, "sample_rate", json_object_new_int64(s->rate_max));
		json_object_object_add(e, "threshold", json_object_new_int64(st->cfg.threshold[s->cat]));
		json_object_object_add(e, "share_of_threshold", json_object_new_double(s->est.point / thr));
		json_object_object_add(e, "lower_share", json_object_new_double(s->est.lower / thr));
		json_object_object_add(e, "upper_share", json_object_new_double(s->est.upper / thr));
		json_object_object_add(e, "level", json_object_new_string(level_name[level_of(st, s)]));
		json_object_object_add(e, "days", json_object_new_int(s->days));
		json_object_object_add(e, "example", json_object_new_string(cl ? cl->example : ""));
		json_object_object_add(e, "first", json_object_new_int64(s->first));
		json_object_object_add(e, "last", json_object_new_int64(s->last));
		json_object_array_add(cells, e);
	}
	for (unsigned int i = st->nalerts > ALERTS_KEPT ? st->nalerts - ALERTS_KEPT : 0; i < st->nalerts; i++) {
		const struct alert *a = &st->alerts[i % ALERTS_KEPT];
		json_object *e = json_object_new_object();

		json_object_object_add(e, "time", json_object_new_int64(a->time));
		json_object_object_add(e, "category", json_object_new_string(gf_dlp_cat_name(a->cat)));
		json_object_object_add(e, "class", json_object_new_string(a->dest));
		json_object_object_add(e, "level", json_object_new_string(level_name[a->level]));
		json_object_object_add(e, "lower", json_object_new_int64((long long)a->est.lower));
		json_object_object_add(e, "estimate", json_object_new_int64((long long)(a->est.point + 0.5)));
		json_object_object_add(e, "upper", json_object_new_int64((long long)(a->est.upper + 0.999)));
		json_object_object_add(e, "threshold", json_object_new_int64(a->threshold));
		json_object_object_add(e, "example", json_object_new_string(a->example));
		json_object_array_add(alerts, e);
	}
	gf_services_json(st->services, o);
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
	free(st->cells);
	free(st->sum);
	gf_services_free(st->services);
	gf_dlp_scratch_free(st->scratch);
	gf_dlp_close(st->dlp);
	gf_ev_close(st->ev);
	pthread_mutex_destroy(&st->lock);
	free(st);
}
