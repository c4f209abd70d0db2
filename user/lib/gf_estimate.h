/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How many distinct values (US persons, or devices) stand behind a sample:
 * a lower bound the data proves, a point estimate, and an upper bound, from
 * the frequency profile of a bottom-k sample of the sampled packets' values
 * (gf_bottomk.h) and the sampling probability.  docs/dlp.md, "Estimates",
 * says which estimator and why, and where the numbers stop being certain.
 */
#ifndef GF_ESTIMATE_H
#define GF_ESTIMATE_H

#include "gf_bottomk.h"

/* The bounds are this many standard errors out (one-sided, about 99.9 %). */
#define GF_EST_Z 3.0

struct gf_profile {
	double d;		/* distinct values in the sample (exact, or from the kept share) */
	double n;		/* sampled packets that carried them */
	double f1, f2;		/* values seen in exactly one, two sampled packets */
	double sum_ii1;		/* sum over values of c (c - 1), c its sampled packets */
	double kept;		/* hashes the profile was read from */
	int exact;		/* the sample dropped nothing: d is a count */
	const struct gf_bk *bk;	/* the sample, for estimators that walk it */
};

struct gf_estimate {
	double lower, point, upper;
};

/* The profile of a (merged) sample, scaled from the kept share to all of it. */
void gf_profile_of(struct gf_profile *p, const struct gf_bk *bk);
/*
 * q: the sampling probability the packets were taken at (occurrence
 * weighted over the days if they differ); q_min: the smallest of them.
 */
void gf_estimate(struct gf_estimate *e, const struct gf_profile *p, double q, double q_min);

/* The estimators compared in tests/unit/test_estimate.c (docs/dlp.md). */
double gf_est_naive(const struct gf_profile *p, double q);	/* d / q: the old one */
double gf_est_chao(const struct gf_profile *p, double q);
double gf_est_gee(const struct gf_profile *p, double q);
double gf_est_duj1(const struct gf_profile *p, double q);
double gf_est_duj2(const struct gf_profile *p, double q);
double gf_est_shlosser(const struct gf_profile *p, double q);

#endif
