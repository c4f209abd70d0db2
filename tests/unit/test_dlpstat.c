// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's sample statistics without a datapath: HyperLogLog accuracy,
 * the keyed hash, and gf_dlpstat fed with synthetic samples: counts per
 * category and destination, scaling by the sampling rate, the rolling
 * window forgetting old slices, and alerts at a fraction of a threshold
 * and past it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_dlpstat.h"
#include "gf_evidence.h"
#include "gf_hll.h"
#include "gf_ranges.h"
#include "gf_state.h"
#include "gf_test.h"

static void test_hll(void)
{
	static const int sizes[] = { 10, 1000, 20000, 300000 };
	struct gf_hll_key *k = gf_hll_key_new(NULL), *k2 = gf_hll_key_new(NULL);
	const unsigned char fixed[16] = { 1, 2, 3 };
	struct gf_hll_key *f1 = gf_hll_key_new(fixed), *f2 = gf_hll_key_new(fixed);
	char b[32];

	for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
		struct gf_hll h, half;
		double e;

		gf_hll_clear(&h);
		gf_hll_clear(&half);
		for (int i = 0; i < sizes[s]; i++) {
			int l = snprintf(b, sizeof(b), "%09d", i);

			gf_hll_add(&h, gf_hll_hash(k, b, l));
			gf_hll_add(&h, gf_hll_hash(k, b, l));	/* twice: still one */
			if (i % 2)
				gf_hll_add(&half, gf_hll_hash(k, b, l));
		}
		e = gf_hll_estimate(&h);
		/* 2.3 % standard error: 4 sigma */
		CHECK(fabs(e - sizes[s]) <= 0.092 * sizes[s] + 1, "%d distinct, estimated %.0f", sizes[s], e);
		gf_hll_merge(&half, &h);
		CHECK(gf_hll_estimate(&half) == e, "a merge with a subset changes nothing");
	}
	CHECK(gf_hll_hash(k, "536221234", 9) == gf_hll_hash(k, "536221234", 9), "the hash is stable");
	CHECK(gf_hll_hash(k, "536221234", 9) != gf_hll_hash(k2, "536221234", 9),
	      "random keys: another agent start hashes differently");
	CHECK(gf_hll_hash(f1, "536221234", 9) == gf_hll_hash(f2, "536221234", 9),
	      "a configured key: the same hashes");
	gf_hll_key_free(k);
	gf_hll_key_free(k2);
	gf_hll_key_free(f1);
	gf_hll_key_free(f2);
}

static struct gf_sample smp;

static void feed(struct gf_dlp_stats *st, const char *cc, unsigned int rate, const char *payload,
		 time_t now)
{
	memset(&smp, 0, sizeof(smp));
	smp.cls = gf_class_from_cc(cc);
	smp.sample_rate = rate;
	smp.verdict = GF_VERDICT_PASS;
	smp.payload_len = strlen(payload);
	memcpy(smp.payload, payload, smp.payload_len);
	gf_dlp_stats_sample(st, &smp, sizeof(smp), now);
}

static json_object *find(json_object *o, const char *arr, const char *cat, const char *cls, const char *level)
{
	json_object *a;

	if (!json_object_object_get_ex(o, arr, &a))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);

		if (!strcmp(gf_state_str(e, "category"), cat) && !strcmp(gf_state_str(e, "class"), cls) &&
		    (!level || !strcmp(gf_state_str(e, "level") ?: "", level)))
			return e;
	}
	return NULL;
}

static struct gf_dlp_stats *open_stats(const struct gf_sampling *cfg, const char *dir)
{
	struct gf_dlp_stats *st = NULL;
	struct gf_evidence *ev = NULL;
	char err[256] = "";

	if (!CHECK(!gf_ev_open(&ev, dir, cfg->key, 400, -1, err, sizeof(err)), "evidence: %s", err))
		return NULL;
	if (!CHECK(!gf_dlp_stats_new(&st, cfg, ev, err, sizeof(err)), "stats: %s", err))
		gf_ev_close(ev);
	return st;
}

static void test_stats(void)
{
	struct gf_sampling cfg = { .rate = 1, .bytes = 1500, .window_days = 10, .alert_fraction = 0.5,
				   .has_key = 1, .key = { 9, 8, 7 } };
	char dir[] = "/tmp/gf-dlpstat-XXXXXX", p[128], cmd[128];
	struct gf_dlp_stats *st;
	/* six days ago, so that a reopened store keeps it (older than evidence_days goes) */
	time_t t0 = (time(NULL) / 86400 - 6) * 86400 + 3600;
	json_object *o, *c;

	if (!CHECK(mkdtemp(dir) != NULL, "a state directory"))
		return;
	for (int i = 0; i < GF_DLP_MAX; i++)
		cfg.threshold[i] = 1000000;
	cfg.threshold[GF_DLP_SSN] = 1000;
	st = open_stats(&cfg, dir);
	if (!st)
		return;
	/* 300 distinct SSNs to DE at 1 in 1, plus the same 300 again; one packet holds one twice */
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < 300; i++) {
			snprintf(p, sizeof(p), "{\"ssn\":\"%03d-%02d-%04d\"}", 100 + i % 500, 1 + i / 500, 1000 + i);
			feed(st, "DE", 1, p, t0);
		}
	feed(st, "DE", 1, "{\"ssn\":\"100-01-1000\",\"again\":\"100-01-1000\"}", t0);
	/* 120 distinct to US at 1 in 10, each once: they stand for 1,200 */
	for (int i = 0; i < 120; i++) {
		snprintf(p, sizeof(p), "ssn 5%02d-%02d-%04d", 10 + i % 80, 1 + i % 90, 2000 + i);
		feed(st, "US", 10, p, t0);
	}
	feed(st, "US", 10, "nothing to see", t0);
	o = gf_dlp_stats_json(st, t0);
	CHECK(gf_state_int(o, "samples") == 722 && gf_state_int(o, "matches") == 722, "722 samples, 722 matches");
	c = find(o, "cells", "ssn", "DE", NULL);
	CHECK(c && gf_state_int(c, "matches") == 601 && gf_state_int(c, "estimated_occurrences") == 601,
	      "DE: 601 packets with a value (twice in one packet counts once)");
	CHECK(c && gf_state_int(c, "lower") == 300 && gf_state_int(c, "point") == 300 &&
	      gf_state_int(c, "upper") == 300 && json_object_get_boolean(json_object_object_get(c, "exact")),
	      "DE at 1 in 1: exactly 300, lower = point = upper (%lld %lld %lld)",
	      c ? gf_state_int(c, "lower") : -1, c ? gf_state_int(c, "point") : -1,
	      c ? gf_state_int(c, "upper") : -1);
	c = find(o, "cells", "ssn", "US", NULL);
	CHECK(c && gf_state_int(c, "matches") == 120 && gf_state_int(c, "estimated_occurrences") == 1200 &&
	      gf_state_int(c, "lower") == 120 && gf_state_int(c, "point") == 1200 &&
	      gf_state_int(c, "upper") > 1200,
	      "US at 1 in 10: 120 seen once each: lower 120, point 1,200, upper above (%lld)",
	      c ? gf_state_int(c, "upper") : -1);
	CHECK(find(o, "alerts", "ssn", "US", "exceeded") && !find(o, "alerts", "ssn", "US", "certain") &&
	      find(o, "alerts", "ssn", "DE", NULL) == NULL,
	      "US: exceeded (the point estimate), not certain (the lower bound is 120); none for DE");
	CHECK(c && strstr(gf_state_str(c, "example"), "***-**-") && !strstr(gf_state_str(c, "example"), "-5"),
	      "the example is redacted: %s", c ? gf_state_str(c, "example") : "");
	json_object_put(o);

	/* half the window later, DE grows: 250 new ones reach the warning (550 >= 500) */
	for (int i = 0; i < 250; i++) {
		snprintf(p, sizeof(p), "{\"ssn\":\"%03d-%02d-%04d\"}", 100 + i % 500, 1 + i / 500, 5000 + i);
		feed(st, "DE", 1, p, t0 + 5 * 86400);
	}
	o = gf_dlp_stats_json(st, t0 + 5 * 86400);
	c = find(o, "cells", "ssn", "DE", NULL);
	CHECK(c && gf_state_int(c, "point") == 550 && gf_state_int(c, "days") == 2,
	      "DE over the window: 550 over 2 days (%lld)", c ? gf_state_int(c, "point") : -1);
	CHECK(find(o, "alerts", "ssn", "DE", "warning") != NULL, "DE: a warning at half the threshold");
	json_object_put(o);

	/* the evidence survives the agent: written, closed, opened again */
	CHECK(!gf_dlp_stats_flush(st), "the evidence is written");
	gf_dlp_stats_free(st);
	st = open_stats(&cfg, dir);
	if (!st)
		return;
	o = gf_dlp_stats_json(st, t0 + 5 * 86400);
	c = find(o, "cells", "ssn", "DE", NULL);
	CHECK(c && gf_state_int(c, "point") == 550 && gf_state_int(c, "matches") == 851,
	      "after a restart: DE still 550 distinct in 851 packets");
	c = find(o, "cells", "ssn", "US", NULL);
	CHECK(c && gf_state_int(c, "point") == 1200, "and US 1,200");
	json_object_put(o);

	/* a lower threshold: the lower bound passes it, which is certain */
	cfg.threshold[GF_DLP_SSN] = 200;
	gf_dlp_stats_configure(st, &cfg);
	o = gf_dlp_stats_json(st, t0 + 5 * 86400);
	CHECK(find(o, "alerts", "ssn", "DE", "certain") != NULL, "DE past 200 by its lower bound: certain");
	json_object_put(o);

	/* the window moves on, to the day */
	o = gf_dlp_stats_json(st, t0 + 12 * 86400);
	c = find(o, "cells", "ssn", "DE", NULL);
	CHECK(c && gf_state_int(c, "point") == 250,
	      "12 days on, a 10-day window holds the last 250 (%lld)", c ? gf_state_int(c, "point") : -1);
	json_object_put(o);
	o = gf_dlp_stats_json(st, t0 + 30 * 86400);
	CHECK(!find(o, "cells", "ssn", "DE", NULL), "a month on, nothing in the window");
	json_object_put(o);
	gf_dlp_stats_free(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(!system(cmd), "clean up");
}

int main(void)
{
	test_hll();
	test_stats();
	return gf_test_summary();
}
