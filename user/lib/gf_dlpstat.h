/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the agent makes of payload samples: each sample's payload is
 * scanned; per (category, destination class) it keeps the validated
 * matches, the occurrences they stand for (each match counts the sample's
 * 1-in-N), and a distinct-value estimate over a rolling window (one
 * HyperLogLog per slice of the window, over a keyed hash of the value),
 * scaled by the sampling rate.  When an estimate crosses a fraction of the
 * category's bulk threshold, and again at the threshold, it raises an
 * alert: one structured log line, kept for the CLI.
 *
 * Nothing reversible is kept: counts, registers of keyed hashes, and the
 * redacted form of the latest match (gf_dlp_redact).
 *
 * One thread feeds samples; any thread may take the JSON report.
 */
#ifndef GF_DLPSTAT_H
#define GF_DLPSTAT_H

#include <json-c/json.h>
#include <time.h>
#include "geofence.h"
#include "gf_config.h"

#define GF_DLP_FILE "dlp.json"

struct gf_dlp_stats;

/* 0 or -errno with a message (Hyperscan missing, no entropy...). */
int gf_dlp_stats_new(struct gf_dlp_stats **out, const struct gf_sampling *cfg, char *err,
		     size_t errlen);
/* New thresholds, fraction, window (a new window shape restarts the estimates). */
void gf_dlp_stats_configure(struct gf_dlp_stats *st, const struct gf_sampling *cfg);
/* One sample from the datapath (len: its size as read from the ring). */
void gf_dlp_stats_sample(struct gf_dlp_stats *st, const void *sample, size_t len, time_t now);
/* Samples the datapath skipped because the ring was full, as read from its counters. */
void gf_dlp_stats_set_lost(struct gf_dlp_stats *st, unsigned long long lost);
/* The report: counts, estimates, alerts (no values). */
json_object *gf_dlp_stats_json(struct gf_dlp_stats *st, time_t now);
void gf_dlp_stats_free(struct gf_dlp_stats *st);

#endif
