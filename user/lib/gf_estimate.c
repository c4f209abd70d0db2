// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include "gf_estimate.h"

void gf_profile_of(struct gf_profile *p, const struct gf_bk *bk)
{
	double f1 = 0, f2 = 0, n = 0, ii1 = 0, scale;
	double m = bk->len;

	for (uint32_t i = 0; i < bk->len; i++) {
		double c = bk->n[i];

		f1 += c == 1;
		f2 += c == 2;
		n += c;
		ii1 += c * (c - 1);
	}
	*p = (struct gf_profile){ .kept = m, .bk = bk, .exact = bk->thr == GF_BK_ALL };
	if (p->exact || m < 2) {
		p->d = m;
		scale = 1;
	} else {
		/* k-minimum-values: (m - 1) / share is unbiased for the distinct count */
		p->d = (m - 1) / gf_bk_share(bk);
		scale = p->d / m;
	}
	p->n = n * scale;
	p->f1 = f1 * scale;
	p->f2 = f2 * scale;
	p->sum_ii1 = ii1 * scale;
}

double gf_est_naive(const struct gf_profile *p, double q)
{
	return p->d / q;
}

/*
 * Chao's (1984) lower bound on the unseen, for Bernoulli sampling of each
 * packet at a known q: by Cauchy-Schwarz over values of m packets,
 *   E[f1]^2 <= E[f0] (2 E[f2] + q / (1 - q) E[f1]),
 * equal when every value has the same m.  With no repeats in the sample
 * it gives f1 (1 - q) / q, the right answer when each value is sent once.
 */
double gf_est_chao(const struct gf_profile *p, double q)
{
	double den;

	if (q >= 1 || p->f1 <= 0)
		return p->d;
	den = 2 * p->f2 + q / (1 - q) * p->f1;
	return p->d + p->f1 * p->f1 / den;
}

/* Charikar, Chaudhuri, Motwani, Narasayya (PODS 2000): sqrt(1/q) f1 + the rest. */
double gf_est_gee(const struct gf_profile *p, double q)
{
	return sqrt(1 / q) * p->f1 + (p->d - p->f1);
}

/* Haas, Naughton, Seshadri, Stokes (VLDB 1995): the unsmoothed first-order jackknife. */
double gf_est_duj1(const struct gf_profile *p, double q)
{
	double den = 1 - (1 - q) * p->f1 / p->n;

	return p->n > 0 && den > 0 ? p->d / den : p->d;
}

/* The same paper's second-order jackknife (its squared-CV correction). */
double gf_est_duj2(const struct gf_profile *p, double q)
{
	double den = 1 - (1 - q) * p->f1 / p->n, d1, g2, N;

	if (p->n <= 0 || den <= 0 || q >= 1)
		return p->d;
	d1 = p->d / den;
	N = p->n / q;
	g2 = d1 / (p->n * p->n) * p->sum_ii1 + d1 / N - 1;
	if (g2 < 0)
		g2 = 0;
	return (p->d - p->f1 * (1 - q) * log(1 - q) * g2 / q) / den;
}

/* Shlosser's estimator (in Haas et al.): assumes the sample's profile is the population's. */
double gf_est_shlosser(const struct gf_profile *p, double q)
{
	double num = 0, den = 0;

	if (q >= 1)
		return p->d;
	for (uint32_t i = 0; i < p->bk->len; i++) {
		double c = p->bk->n[i];

		num += pow(1 - q, c);
		den += c * q * pow(1 - q, c - 1);
	}
	return den > 0 ? p->d + p->f1 * num / den : p->d;
}

void gf_estimate(struct gf_estimate *e, const struct gf_profile *p, double q, double q_min)
{
	const double z = GF_EST_Z;
	double d_lo = p->d, d_hi = p->d, f1u, miss;

	if (q <= 0 || q > 1)
		q = 1;
	if (q_min <= 0 || q_min > q)
		q_min = q;
	if (!p->exact && p->kept > 1) {
		/* the kept share's error: about 1 / sqrt(kept) relative */
		double r = z / sqrt(p->kept);

		d_lo = p->d * (1 - r);
		d_hi = p->d * (1 + r);
		if (d_lo < p->kept)
			d_lo = p->kept;
	}
	/*
	 * The unseen: a value of m packets is missed with probability
	 * (1 - q)^m <= (1 - q) / q * m q (1 - q)^(m - 1), its chance of being
	 * seen exactly once; summed, E[missed] <= (1 - q) / q E[f1], for any
	 * mix of m (and for mixed rates with the smallest q).  Bound E[f1]
	 * from the f1 seen, then the missed count around its mean (both are
	 * sums of independent indicators).
	 */
	f1u = p->f1 * (d_hi / (p->d > 0 ? p->d : 1));
	f1u = f1u + z * sqrt(f1u) + z * z;
	miss = q_min < 1 ? (1 - q_min) / q_min * f1u : 0;
	if (p->f1 <= 0 && q_min >= 1)
		miss = 0;
	e->lower = d_lo;
	e->upper = d_hi + (miss > 0 ? miss + z * sqrt(miss) + z * z : 0);
	e->point = gf_est_chao(p, q);
	if (e->point < e->lower)
		e->point = e->lower;
	if (e->point > e->upper)
		e->point = e->upper;
}
