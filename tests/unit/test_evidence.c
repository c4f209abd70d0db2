// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence store on disk: what is written comes back after a restart;
 * what was not yet written is all a crash loses; a corrupt file, a file of
 * another version, of another day, of another hash key each gives its
 * clear error, is set aside under a new name with its bytes intact, and
 * the other days load; the key file is made once, 0600, and a readable
 * one is refused.  Figures: the size and write time of a gateway-year,
 * memory per (category, country) cell.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "gf_dlp.h"
#include "gf_evidence.h"
#include "gf_rand.h"
#include "gf_report.h"
#include "gf_test.h"

static const uint8_t KEY[16] = { 1, 2, 3, 4 }, OTHER[16] = { 5, 6, 7, 8 };

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void spit(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
}

static const struct gf_ev_summary *find(const struct gf_ev_summary *s, int n, int cat, const char *dest)
{
	for (int i = 0; i < n; i++)
		if (s[i].cat == cat && !strcmp(s[i].dest, dest))
			return &s[i];
	return NULL;
}

static double point_of(struct gf_evidence *ev, int32_t today, int cat, const char *dest)
{
	struct gf_ev_summary *s;
	const struct gf_ev_summary *x;
	int n = gf_ev_window(ev, today, 365, &s);
	double v;

	x = n > 0 ? find(s, n, cat, dest) : NULL;
	v = x ? x->est.point : -1;
	free(s);
	return v;
}

static void test_roundtrip(const char *dir)
{
	time_t now = time(NULL);
	int32_t today = gf_ev_day_of(now);
	struct gf_evidence *ev;
	char err[512], path[512], moved[600], day[16], *before, *after;
	size_t blen, alen;
	struct gf_ev_status es;
	struct stat st;

	if (!CHECK(!gf_ev_open(&ev, dir, NULL, 400, -1, err, sizeof(err)), "open: %s", err))
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, GF_EV_KEY_FILE);
	CHECK(!stat(path, &st) && (st.st_mode & 0777) == 0600, "a key made on first start, 0600 (%o)",
	      st.st_mode & 0777);
	/* three days of SSNs to RU: 100, 150 (50 new) and 30 */
	{
		int adderr = 0;

		for (int d = 0; d < 3; d++)
			for (int i = 0; i < (d == 0 ? 100 : d == 1 ? 150 : 30); i++) {
				char v[16];

				snprintf(v, sizeof(v), "%09d", i + (d == 2 ? 1000 : 0));
				adderr += gf_ev_add(ev, now - (2 - d) * 86400, GF_DLP_SSN, "RU", 1,
						    gf_ev_hash(ev, v, 9)) != 0;
			}
		CHECK(adderr == 0, "280 values added over three days (%d errors)", adderr);
	}
	CHECK(point_of(ev, today, GF_DLP_SSN, "RU") == 180, "180 distinct over three days (%.0f)",
	      point_of(ev, today, GF_DLP_SSN, "RU"));
	CHECK(!gf_ev_flush(ev, err, sizeof(err)), "flush: %s", err);
	/* not flushed: lost to the "crash" below */
	for (int i = 0; i < 20; i++) {
		char v[16];

		snprintf(v, sizeof(v), "%09d", 5000 + i);
		gf_ev_add(ev, now, GF_DLP_SSN, "RU", 1, gf_ev_hash(ev, v, 9));
	}
	CHECK(point_of(ev, today, GF_DLP_SSN, "RU") == 200, "200 before the crash");
	gf_ev_close(ev);	/* no flush: as kill -9 */
	if (!CHECK(!gf_ev_open(&ev, dir, NULL, 400, -1, err, sizeof(err)), "reopen: %s", err))
		return;
	CHECK(point_of(ev, today, GF_DLP_SSN, "RU") == 180, "after the crash: the 180 written (%.0f); the "
	      "20 of the last write interval are what it cost", point_of(ev, today, GF_DLP_SSN, "RU"));
	gf_ev_status(ev, &es);
	CHECK(es.files == 3 && es.nrejected == 0 && !strcmp(es.key_source, GF_EV_KEY_FILE),
	      "three day files, the key from evidence.key");
	gf_ev_close(ev);

	/* corrupt yesterday's file: one byte in the middle */
	gf_ev_day_str(today - 1, day, sizeof(day));
	snprintf(path, sizeof(path), "%s/%s/%s.gfe", dir, GF_EV_DIR, day);
	before = slurp(path, &blen);
	if (!CHECK(before && blen > 100, "yesterday's file"))
		return;
	before[blen / 2] ^= 0x55;
	spit(path, before, blen);
	if (!CHECK(!gf_ev_open(&ev, dir, NULL, 400, -1, err, sizeof(err)), "open with a corrupt file: %s", err))
		return;
	gf_ev_status(ev, &es);
	CHECK(es.nrejected == 1 && strstr(es.rejected[0].why, "checksum") &&
	      !strcmp(es.rejected[0].file, strrchr(path, '/') + 1),
	      "the corrupt file is named, with why: %s: %s", es.nrejected ? es.rejected[0].file : "",
	      es.nrejected ? es.rejected[0].why : "");
	snprintf(moved, sizeof(moved), "%s/%s/%s", dir, GF_EV_DIR, es.nrejected ? es.rejected[0].moved_to : "x");
	after = slurp(moved, &alen);
	CHECK(after && alen == blen && !memcmp(after, before, blen) && access(path, F_OK),
	      "it is kept aside, byte for byte, as %s", es.nrejected ? es.rejected[0].moved_to : "?");
	free(after);
	/* the other two days load: 100 + 30 */
	CHECK(point_of(ev, today, GF_DLP_SSN, "RU") == 130, "the other days load (%.0f)",
	      point_of(ev, today, GF_DLP_SSN, "RU"));
	gf_ev_close(ev);

	/* the same name corrupt again: set aside beside the first, not over it */
	spit(path, before, blen);
	gf_ev_open(&ev, dir, NULL, 400, -1, err, sizeof(err));
	gf_ev_status(ev, &es);
	CHECK(es.nrejected == 1 && strstr(es.rejected[0].moved_to, ".rejected.1"),
	      "a second one goes beside the first (%s)", es.nrejected ? es.rejected[0].moved_to : "");
	gf_ev_close(ev);
	free(before);

	/* another version */
	gf_ev_day_str(today - 2, day, sizeof(day));
	snprintf(path, sizeof(path), "%s/%s/%s.gfe", dir, GF_EV_DIR, day);
	before = slurp(path, &blen);
	if (before) {
		before[8] = 99;
		spit(path, before, blen);
	}
	gf_ev_open(&ev, dir, NULL, 400, -1, err, sizeof(err));
	gf_ev_status(ev, &es);
	CHECK(es.nrejected == 1 && strstr(es.rejected[0].why, "format version 99"),
	      "another version: %s", es.nrejected ? es.rejected[0].why : "");
	CHECK(point_of(ev, today, GF_DLP_SSN, "RU") == 30, "today's still loads");
	gf_ev_close(ev);
	free(before);

	/* another key: today's file is not merged */
	CHECK(!gf_ev_open(&ev, dir, OTHER, 400, -1, err, sizeof(err)), "open with another key");
	gf_ev_status(ev, &es);
	CHECK(es.nrejected == 1 && strstr(es.rejected[0].why, "another hash key") &&
	      !strcmp(es.key_source, "configured"),
	      "a sketch of another key: %s", es.nrejected ? es.rejected[0].why : "");
	CHECK(point_of(ev, today, GF_DLP_SSN, "RU") == -1, "and nothing of it is counted");
	gf_ev_close(ev);

	/* a key file others can read is refused */
	snprintf(path, sizeof(path), "%s/%s", dir, GF_EV_KEY_FILE);
	chmod(path, 0644);
	CHECK(gf_ev_open(&ev, dir, NULL, 400, -1, err, sizeof(err)) == -EPERM && strstr(err, "chmod 600"),
	      "a readable key file: %s", err);
	(void)KEY;
}

/*
 * Samples the datapath skipped go into the day's evidence, and the report
 * says the counts of those days may be low.
 */
static void test_skipped(const char *dir)
{
	time_t now = time(NULL);
	int32_t today = gf_ev_day_of(now);
	struct gf_evidence *ev;
	struct gf_ev_cell **cells;
	struct gf_ev_summary *s;
	struct gf_sampling cfg = { .alert_fraction = 0.5, .threshold = { [GF_DLP_SSN] = 100 } };
	char err[512], evdir[300], *skipped = NULL, *text = NULL;
	size_t n, len;
	uint64_t fp, sk = 0;
	FILE *f;
	int k;

	if (!CHECK(!gf_ev_open(&ev, dir, KEY, 400, -1, err, sizeof(err)), "open: %s", err))
		return;
	gf_ev_add(ev, now, GF_DLP_SSN, "RU", 1, 42);
	gf_ev_add_skipped(ev, now, 1234);
	gf_ev_add_skipped(ev, now - 86400, 6);
	CHECK(gf_ev_skipped(ev, today, today) == 1234 && gf_ev_skipped(ev, today - 1, today) == 1240,
	      "skipped samples per day");
	gf_ev_flush(ev, err, sizeof(err));
	gf_ev_close(ev);
	snprintf(evdir, sizeof(evdir), "%s/%s", dir, GF_EV_DIR);
	CHECK(!gf_ev_read_dir(evdir, today - 364, today, &cells, &n, &fp, &skipped, &sk, err, sizeof(err)) &&
	      sk == 1240 && n == 1, "read back: 1,240 skipped, one cell (%llu)", (unsigned long long)sk);
	k = gf_ev_summarize(cells, n, today - 364, today, &s);
	f = open_memstream(&text, &len);
	gf_report_print(f, s, k, &(struct gf_report){ .format = GF_REPORT_TABLE, .since = today - 364,
						      .until = today, .source = evdir, .cfg = &cfg,
						      .samples_skipped = sk, .left_out = "" });
	fclose(f);
	CHECK(text && strstr(text, "NOT COUNTED: 1240 samples the datapath skipped"),
	      "the report says so:\n%s", text ? text : "");
	free(text);
	free(s);
	free(skipped);
	gf_ev_cells_free(cells, n);
}

/* Days past evidence_days leave memory and disk, at start and while the agent runs. */
static void test_prune(const char *dir)
{
	time_t now = time(NULL);
	struct gf_evidence *ev;
	struct gf_ev_status es;
	char err[512];

	if (!CHECK(!gf_ev_open(&ev, dir, KEY, 3660, -1, err, sizeof(err)), "open: %s", err))
		return;
	gf_ev_add(ev, now - 500 * 86400, GF_DLP_SSN, "RU", 1, 1);
	gf_ev_add(ev, now, GF_DLP_SSN, "RU", 1, 2);
	gf_ev_flush(ev, err, sizeof(err));
	gf_ev_status(ev, &es);
	CHECK(es.files == 2, "kept 3660 days: two files");
	gf_ev_close(ev);
	gf_ev_open(&ev, dir, KEY, 400, -1, err, sizeof(err));
	gf_ev_status(ev, &es);
	CHECK(es.files == 1 && es.days == 1 && es.cells == 1, "kept 400 days: the old one goes at start");
	gf_ev_add(ev, now - 450 * 86400, GF_DLP_SSN, "RU", 1, 3);	/* as if it had aged in memory */
	gf_ev_status(ev, &es);
	CHECK(es.cells == 2, "two cells in memory");
	gf_ev_flush(ev, err, sizeof(err));
	gf_ev_status(ev, &es);
	CHECK(es.cells == 1 && es.days == 1 && es.files == 1, "and a day that ages past it goes at the "
	      "next write (%d cells, %d days, %d files)", es.cells, es.days, es.files);
	gf_ev_close(ev);
}

/* A file for another day under this day's name, and a malformed name. */
static void test_misnamed(const char *dir)
{
	time_t now = time(NULL);
	int32_t today = gf_ev_day_of(now);
	struct gf_evidence *ev;
	struct gf_ev_status es;
	char err[512], a[512], b[512], day[16];

	if (!CHECK(!gf_ev_open(&ev, dir, KEY, 400, -1, err, sizeof(err)), "open: %s", err))
		return;
	gf_ev_add(ev, now, GF_DLP_EMAIL, "CN", 1, 42);
	gf_ev_flush(ev, err, sizeof(err));
	gf_ev_close(ev);
	gf_ev_day_str(today, day, sizeof(day));
	snprintf(a, sizeof(a), "%s/%s/%s.gfe", dir, GF_EV_DIR, day);
	gf_ev_day_str(today - 3, day, sizeof(day));
	snprintf(b, sizeof(b), "%s/%s/%s.gfe", dir, GF_EV_DIR, day);
	rename(a, b);
	gf_ev_open(&ev, dir, KEY, 400, -1, err, sizeof(err));
	gf_ev_status(ev, &es);
	CHECK(es.nrejected == 1 && strstr(es.rejected[0].why, "under another day's name"),
	      "a file under another day's name: %s", es.nrejected ? es.rejected[0].why : "");
	gf_ev_close(ev);
}

/*
 * A busy gateway-year: 5 categories to 6 countries, every day, each day
 * saturating its sample (more than GF_BK_K distinct values): the most a
 * year can weigh.  Printed: bytes, the write of one day, the read of all,
 * a window's summaries, memory per cell-day.
 */
static void bench_year(const char *dir)
{
	static const char *const cc[] = { "CN", "RU", "IR", "KP", "CU", "VE" };
	static const int cats[] = { GF_DLP_SSN, GF_DLP_PAYMENT_CARD, GF_DLP_HEALTH_NPI, GF_DLP_EMAIL,
				    GF_DLP_PRECISE_GEOLOCATION };
	time_t now = time(NULL);
	int32_t today = gf_ev_day_of(now);
	struct gf_rand r = { 12345 };
	struct gf_evidence *ev;
	struct gf_ev_status es;
	struct gf_ev_summary *s;
	struct timespec t0, t1;
	struct rusage ru0, ru1;
	char err[512];
	int n;

	if (!CHECK(!gf_ev_open(&ev, dir, KEY, 400, -1, err, sizeof(err)), "open: %s", err))
		return;
	getrusage(RUSAGE_SELF, &ru0);
	for (int d = 364; d >= 0; d--) {
		for (size_t c = 0; c < sizeof(cc) / sizeof(*cc); c++)
			for (size_t k = 0; k < sizeof(cats) / sizeof(*cats); k++)
				for (int i = 0; i < 3000; i++)
					gf_ev_add(ev, now - d * 86400, cats[k], cc[c], 1, gf_rand64(&r));
		if (d == 0)
			clock_gettime(CLOCK_MONOTONIC, &t0);
		gf_ev_flush(ev, err, sizeof(err));	/* its errors: write_errors, checked below */
		if (d == 0)
			clock_gettime(CLOCK_MONOTONIC, &t1);
	}
	getrusage(RUSAGE_SELF, &ru1);
	gf_ev_status(ev, &es);
	CHECK(es.files == 365 && es.write_errors == 0, "365 day files written");
	printf("bench: evidence_year_bytes %llu (%d cells of 30 (category, country) x 365 days, each "
	       "day's sample full)\n", (unsigned long long)es.bytes, es.cells);
	printf("bench: evidence_bytes_per_cell_day %.0f\n", (double)es.bytes / es.cells);
	printf("bench: evidence_write_one_day_ms %.1f (today's file, 30 cells, fsync'd)\n",
	       ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6));
	printf("bench: evidence_memory_per_cell_day_bytes %zu (a full sample; a year of one "
	       "(category, country): %.1f MiB)\n",
	       sizeof(struct gf_ev_cell) + (size_t)GF_BK_K * 12,
	       365.0 * (sizeof(struct gf_ev_cell) + (size_t)GF_BK_K * 12) / 1048576);
	printf("bench: evidence_year_rss_growth_mib %.0f\n", (ru1.ru_maxrss - ru0.ru_maxrss) / 1024.0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = gf_ev_window(ev, today, 365, &s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(n == 30, "30 summaries over the year (%d)", n);
	printf("bench: evidence_window_year_ms %.0f (all 30 cells over 365 days)\n",
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	if (n == 30) {
		const struct gf_ev_summary *x = find(s, n, GF_DLP_SSN, "RU");
		double truth = 365.0 * 3000;

		CHECK(x && x->est.lower <= truth && truth <= x->est.upper && !x->exact,
		      "a year of full samples: the interval holds %.0f: [%.0f, %.0f], point %.0f",
		      truth, x ? x->est.lower : 0, x ? x->est.upper : 0, x ? x->est.point : 0);
	}
	free(s);
	gf_ev_close(ev);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(!gf_ev_open(&ev, dir, KEY, 400, -1, err, sizeof(err)), "reopen");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("bench: evidence_load_year_ms %.0f\n",
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	/* what the scanner pays per value with that year loaded: today's cells only are searched */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 200000; i++)
		gf_ev_add(ev, now, cats[i % 5], cc[i % 6], 1, gf_rand64(&r));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("bench: evidence_add_ns_year_loaded %.0f (a value into today's cell, 10,950 cells loaded)\n",
	       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 200000);
	gf_ev_close(ev);
}

static void in_temp(void (*fn)(const char *))
{
	char dir[] = "/tmp/gf-evidence-XXXXXX", cmd[128];

	if (!CHECK(mkdtemp(dir) != NULL, "a temporary directory"))
		return;
	chmod(dir, 0750);
	fn(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(!system(cmd), "clean up");
}

int main(int argc, char **argv)
{
	gf_test_verbose = argc > 1 && !strcmp(argv[1], "-v");
	in_temp(test_roundtrip);
	in_temp(test_misnamed);
	in_temp(test_skipped);
	in_temp(test_prune);
	in_temp(bench_year);
	return gf_test_summary();
}
