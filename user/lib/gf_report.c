// SPDX-License-Identifier: GPL-2.0
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gf_dlp.h"
#include "gf_dlpstat.h"
#include "gf_report.h"

const char *gf_report_level(const struct gf_ev_summary *s, const struct gf_sampling *cfg)
{
	double thr = (double)cfg->threshold[s->cat];

	if (s->est.lower > thr)
		return "certain";
	if (s->est.point > thr)
		return "exceeded";
	if (s->est.upper >= cfg->alert_fraction * thr)
		return "warning";
	return "none";
}

static const struct gf_sampling *sort_cfg;

static int by_upper_share(const void *a, const void *b)
{
	const struct gf_ev_summary *x = a, *y = b;
	double sx = x->est.upper / sort_cfg->threshold[x->cat], sy = y->est.upper / sort_cfg->threshold[y->cat];

	return sx < sy ? 1 : sx > sy ? -1 : strcmp(x->dest, y->dest);
}

static void iso(int64_t t, char *buf, size_t len)
{
	time_t tt = t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "?");
}

/* CSV: quoted when it has to be (names are plain, but a destination is operator text) */
static void csv_str(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* What every rendering says about the report: the window, the key and the clock. */
struct heading {
	char since[16], until[16], fp[20], now[32];
};

static json_object *row_json(const struct gf_ev_summary *x, const struct gf_report *r)
{
	json_object *e = json_object_new_object();
	double thr = (double)r->cfg->threshold[x->cat];
	char first[32], last[32];

	iso(x->first, first, sizeof(first));
	iso(x->last, last, sizeof(last));
	json_object_object_add(e, "category", json_object_new_string(gf_dlp_cat_name(x->cat)));
	json_object_object_add(e, "destination", json_object_new_string(x->dest));
	json_object_object_add(e, "unit", json_object_new_string(gf_dlp_unit(x->cat)));
	json_object_object_add(e, "lower", json_object_new_int64((long long)x->est.lower));
	json_object_object_add(e, "point", json_object_new_int64((long long)(x->est.point + 0.5)));
	json_object_object_add(e, "upper", json_object_new_int64((long long)(x->est.upper + 0.999)));
	json_object_object_add(e, "threshold", json_object_new_int64((long long)thr));
	json_object_object_add(e, "share", json_object_new_double(x->est.point / thr));
	json_object_object_add(e, "lower_share", json_object_new_double(x->est.lower / thr));
	json_object_object_add(e, "upper_share", json_object_new_double(x->est.upper / thr));
	json_object_object_add(e, "level", json_object_new_string(gf_report_level(x, r->cfg)));
	json_object_object_add(e, "first_seen", json_object_new_string(first));
	json_object_object_add(e, "last_seen", json_object_new_string(last));
	json_object_object_add(e, "gateways", json_object_new_int(x->gateways));
	json_object_object_add(e, "days", json_object_new_int(x->days));
	json_object_object_add(e, "sample_rate_min", json_object_new_int64(x->rate_min));
	json_object_object_add(e, "sample_rate_max", json_object_new_int64(x->rate_max));
	json_object_object_add(e, "packets", json_object_new_int64(x->packets));
	json_object_object_add(e, "occurrences", json_object_new_int64((long long)x->occurrences));
	json_object_object_add(e, "seen", json_object_new_int64((long long)(x->seen + 0.5)));
	json_object_object_add(e, "exact", json_object_new_boolean(x->exact && x->rate_max == 1));
	return e;
}

static void print_json(FILE *f, const struct gf_ev_summary *s, int n, const struct gf_report *r,
		       const struct heading *h)
{
	json_object *o = json_object_new_object(), *rows = json_object_new_array(), *gws = json_object_new_array();

	json_object_object_add(o, "since", json_object_new_string(h->since));
	json_object_object_add(o, "until", json_object_new_string(h->until));
	json_object_object_add(o, "source", json_object_new_string(r->source));
	json_object_object_add(o, "generated", json_object_new_string(h->now));
	json_object_object_add(o, "key_fingerprint", json_object_new_string(h->fp));
	for (size_t i = 0; i < r->ngateways; i++)
		json_object_array_add(gws, json_object_new_string(r->gateways[i]));
	json_object_object_add(o, "gateways", gws);
	json_object_object_add(o, "left_out", json_object_new_string(r->left_out ? r->left_out : ""));
	json_object_object_add(o, "samples_skipped", json_object_new_int64(r->samples_skipped));
	for (int i = 0; i < n; i++)
		json_object_array_add(rows, row_json(&s[i], r));
	json_object_object_add(o, "rows", rows);
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void print_csv(FILE *f, const struct gf_ev_summary *s, int n, const struct gf_report *r,
		      const struct heading *h)
{
	char first[32], last[32];

	fprintf(f, "category,destination,unit,lower,point,upper,threshold,share,level,first_seen,"
		   "last_seen,gateways,days,sample_rate_min,sample_rate_max,packets,exact,since,until\n");
	for (int i = 0; i < n; i++) {
		double thr = (double)r->cfg->threshold[s[i].cat];

		iso(s[i].first, first, sizeof(first));
		iso(s[i].last, last, sizeof(last));
		fprintf(f, "%s,", gf_dlp_cat_name(s[i].cat));
		csv_str(f, s[i].dest);
		fprintf(f, ",%s,%.0f,%.0f,%.0f,%.0f,%.4f,%s,%s,%s,%d,%d,%u,%u,%llu,%s,%s,%s\n",
			gf_dlp_unit(s[i].cat), s[i].est.lower, s[i].est.point, s[i].est.upper + 0.499,
			thr, s[i].est.point / thr, gf_report_level(&s[i], r->cfg), first, last,
			s[i].gateways, s[i].days, s[i].rate_min, s[i].rate_max,
			(unsigned long long)s[i].packets,
			s[i].exact && s[i].rate_max == 1 ? "true" : "false", h->since, h->until);
	}
}

static void print_text(FILE *f, const struct gf_ev_summary *s, int n, const struct gf_report *r,
		       const struct heading *h)
{
	char first[32], last[32];

	fprintf(f, "sensitive data sent, %s to %s (UTC days), from %s; hash key %s\n", h->since, h->until,
		r->source, h->fp);
	if (r->ngateways)
		fprintf(f, "gateways: %zu\n", r->ngateways);
	if (r->left_out && r->left_out[0])
		fprintf(f, "NOT COUNTED: %s\n", r->left_out);
	if (r->samples_skipped)
		fprintf(f, "NOT COUNTED: %llu samples the datapath skipped (its ring full, or past "
			   "sampling.max_per_second): on those days every figure may be low\n",
			(unsigned long long)r->samples_skipped);
	if (!n) {
		fprintf(f, "no sensitive data in the evidence of these days\n");
		return;
	}
	fprintf(f, "%-19s %-10s %-7s %9s %9s %9s %9s %7s  %-8s %3s %4s %-9s %-10s %-10s\n", "CATEGORY", "TO",
		"UNIT", "LOWER", "POINT", "UPPER", "THRESHOLD", "SHARE", "LEVEL", "GWS", "DAYS", "RATE 1/N",
		"FIRST", "LAST");
	for (int i = 0; i < n; i++) {
		double thr = (double)r->cfg->threshold[s[i].cat];
		char rates[24];

		iso(s[i].first, first, sizeof(first));
		iso(s[i].last, last, sizeof(last));
		first[10] = last[10] = 0;
		if (s[i].rate_min == s[i].rate_max)
			snprintf(rates, sizeof(rates), "%u", s[i].rate_min);
		else
			snprintf(rates, sizeof(rates), "%u-%u", s[i].rate_min, s[i].rate_max);
		fprintf(f, "%-19s %-10.10s %-7s %9.0f %9.0f %9.0f %9.0f %6.1f%%  %-8s %3d %4d %-9s %-10s %-10s\n",
			gf_dlp_cat_name(s[i].cat), s[i].dest, gf_dlp_unit(s[i].cat), s[i].est.lower,
			s[i].est.point, s[i].est.upper + 0.499, thr, 100 * s[i].est.point / thr,
			gf_report_level(&s[i], r->cfg), s[i].gateways ? s[i].gateways : 1, s[i].days, rates,
			first, last);
	}
	fprintf(f, "LOWER: distinct values the samples hold (proven); POINT: the estimate; UPPER: what "
		   "the samples cannot rule out (99.9%%). LEVEL: certain = LOWER over the threshold, "
		   "exceeded = POINT over it, warning = UPPER at %.0f%% of it. docs/dlp.md explains.\n",
		100 * r->cfg->alert_fraction);
}

void gf_report_print(FILE *f, struct gf_ev_summary *s, int n, const struct gf_report *r)
{
	struct heading h;

	sort_cfg = r->cfg;
	qsort(s, n, sizeof(*s), by_upper_share);
	gf_ev_day_str(r->since, h.since, sizeof(h.since));
	gf_ev_day_str(r->until, h.until, sizeof(h.until));
	snprintf(h.fp, sizeof(h.fp), "%016llx", (unsigned long long)r->fingerprint);
	iso(time(NULL), h.now, sizeof(h.now));
	if (r->format == GF_REPORT_JSON)
		print_json(f, s, n, r, &h);
	else if (r->format == GF_REPORT_CSV)
		print_csv(f, s, n, r, &h);
	else
		print_text(f, s, n, r, &h);
}
