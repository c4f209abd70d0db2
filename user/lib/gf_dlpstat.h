/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the agent makes of payload samples: each sample's payload is
 * scanned; each value found counts once per sampled packet in the
 * evidence (gf_evidence.h: per day and (category, destination), keyed
 * hashes in a HyperLogLog and a bottom-k sample).  Over the window
 * (sampling.window_days, to the day) each (category, destination) gets a
 * lower bound, a point estimate and an upper bound of the distinct values
 * behind it, and alerts: a warning when the upper bound reaches
 * alert_fraction of the category's bulk threshold, "exceeded" when the
 * point estimate passes it, "certain" when the lower bound does.  One
 * structured log line each, kept for the CLI.
 *
 * Nothing reversible is kept: counts, keyed hashes, and the redacted form
 * of the latest match (gf_dlp_redact).
 *
 * One thread feeds samples and flushes; any thread may take the report.
 */
#ifndef GF_DLPSTAT_H
#define GF_DLPSTAT_H

#include <json-c/json.h>
#include <time.h>
#include "geofence.h"
#include "gf_config.h"
#include "gf_evidence.h"

#define GF_DLP_FILE "dlp.json"

struct gf_dlp_stats;

/*
 * ev: the evidence store, which the stats then own.  0 or -errno with a
 * message (Hyperscan missing...).
 */
int gf_dlp_stats_new(struct gf_dlp_stats **out, const struct gf_sampling *cfg,
		     struct gf_evidence *ev, char *err, size_t errlen);
/* Writes the evidence that changed: 0 or -errno (logged once per failure run). */
int gf_dlp_stats_flush(struct gf_dlp_stats *st);
/* The evidence store, for the uploader (call under gf_dlp_stats_lock). */
struct gf_evidence *gf_dlp_stats_evidence(struct gf_dlp_stats *st);
void gf_dlp_stats_lock(struct gf_dlp_stats *st);
void gf_dlp_stats_unlock(struct gf_dlp_stats *st);
/* The uploader's figures, for dlp.json and /metrics. */
struct gf_evpg_status;
void gf_dlp_stats_set_upload(struct gf_dlp_stats *st, const struct gf_evpg_status *us);
int gf_dlp_stats_evidence_on_disk(struct gf_dlp_stats *st);
/* Why the evidence is not kept on disk ("" when it is), for status. */
void gf_dlp_stats_set_evidence_error(struct gf_dlp_stats *st, const char *why);
/* New thresholds, fraction, window. */
void gf_dlp_stats_configure(struct gf_dlp_stats *st, const struct gf_sampling *cfg);
/* One sample from the datapath (len: its size as read from the ring). */
void gf_dlp_stats_sample(struct gf_dlp_stats *st, const void *sample, size_t len, time_t now);
/*
 * Samples the datapath skipped (a full ring, the budget), as read from its
 * counters: what grew since the last reading is noted in today's evidence.
 */
void gf_dlp_stats_set_lost(struct gf_dlp_stats *st, unsigned long long lost, time_t now);
/* The report: counts, estimates, alerts (no values). */
json_object *gf_dlp_stats_json(struct gf_dlp_stats *st, time_t now);
void gf_dlp_stats_free(struct gf_dlp_stats *st);
/* The rule's unit of a category: "devices" for precise geolocation, else "persons". */
const char *gf_dlp_unit(int cat);

#endif
