/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sensitive-data scanner: one Hyperscan database (block mode) finds
 * candidates and context keywords; validators confirm each candidate
 * (checksums, issuer ranges, number rules, the keyword nearest to it).
 *
 * Matched values reach the caller's callback in normalized form, only in
 * memory: callers hash or count them and must never print, log or store
 * them; gf_dlp_redact() gives the only printable form.
 */
#ifndef GF_DLP_H
#define GF_DLP_H

#include <stddef.h>

enum gf_dlp_cat {
	GF_DLP_SSN,
	GF_DLP_PAYMENT_CARD,
	GF_DLP_ABA_ROUTING,
	GF_DLP_IBAN,
	GF_DLP_US_PASSPORT,
	GF_DLP_US_DRIVERS_LICENSE,
	GF_DLP_PRECISE_GEOLOCATION,
	GF_DLP_GENOMIC,
	GF_DLP_HEALTH_NPI,
	GF_DLP_HEALTH_MBI,
	GF_DLP_HEALTH_ICD10,
	GF_DLP_BIOMETRIC,
	GF_DLP_EMAIL,
	GF_DLP_US_PHONE,
	GF_DLP_MAX
};

/* "ssn", "payment_card", ...: the keys of the CLI, JSON and metrics */
const char *gf_dlp_cat_name(int cat);
int gf_dlp_cat_from_name(const char *name);	/* -1 if none */

struct gf_dlp;		/* the compiled patterns: shared, read-only */
struct gf_dlp_scratch;	/* per thread */

int gf_dlp_open(struct gf_dlp **out, char *err, size_t errlen);
void gf_dlp_close(struct gf_dlp *d);
struct gf_dlp_scratch *gf_dlp_scratch_new(const struct gf_dlp *d);
void gf_dlp_scratch_free(struct gf_dlp_scratch *s);

/*
 * A validated match: its category and normalized value (digits of an SSN or
 * a card, the compact IBAN, the lowercase email, "lat,lon", ...).  value is
 * not NUL-terminated and lives only during the call.
 */
typedef void (*gf_dlp_match_fn)(int cat, const char *value, size_t len, void *ctx);

/*
 * At most max_events candidates and keywords per scan (default 4 million):
 * a payload with more gets -E2BIG from gf_dlp_scan.  Streaming callers set
 * a small limit and scan such a stretch again in smaller pieces.
 */
void gf_dlp_scratch_limit(struct gf_dlp_scratch *s, size_t max_events);

/*
 * During the callback: where the match lies in the scanned payload (byte
 * offsets; in a URL-encoded payload, offsets of its decoded form).
 */
void gf_dlp_match_span(const struct gf_dlp_scratch *s, size_t *start, size_t *end);

/* Scan one payload.  0, or a negative errno (-E2BIG: more candidates than the limit). */
int gf_dlp_scan(const struct gf_dlp *d, struct gf_dlp_scratch *s, const void *buf, size_t len,
		gf_dlp_match_fn fn, void *ctx);

/* The printable form of a match: "***-**-6789", "**** 1111", "DE** ... 3000". */
void gf_dlp_redact(int cat, const char *value, size_t len, char *out, size_t outlen);

#endif
