/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compliance report: per category and destination over a window, the
 * lower bound, point estimate and upper bound of distinct US persons
 * (devices, for precise geolocation), the threshold and the share of it,
 * which number crossed what, first and last seen, gateways, days, the
 * sample rates.  As a table, JSON or CSV; docs/dlp.md explains each column.
 */
#ifndef GF_REPORT_H
#define GF_REPORT_H

#include <stdio.h>
#include "gf_config.h"
#include "gf_evidence.h"

enum gf_report_format { GF_REPORT_TABLE, GF_REPORT_JSON, GF_REPORT_CSV };

struct gf_report {
	enum gf_report_format format;
	int32_t since, until;
	const char *source;		/* "postgres" or the evidence directory */
	uint64_t fingerprint;
	const char *const *gateways;	/* the fleet's, by index; NULL locally */
	size_t ngateways;
	const char *left_out;		/* what was not counted, and why ("" if nothing) */
	uint64_t samples_skipped;	/* by the datapath in the window: counts are lower bounds */
	const struct gf_sampling *cfg;	/* thresholds, alert fraction */
};

/* Sorted by the upper bound's share of the threshold, highest first. */
void gf_report_print(FILE *f, struct gf_ev_summary *s, int n, const struct gf_report *r);
/* "certain", "exceeded", "warning" or "none": which number crossed what. */
const char *gf_report_level(const struct gf_ev_summary *s, const struct gf_sampling *cfg);

#endif
