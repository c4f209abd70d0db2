// SPDX-License-Identifier: GPL-2.0
/*
 * What leaves the scanner for humans: category names (the keys of the
 * CLI, JSON and metrics) and the redacted form of a match, the only
 * printable one.
 */
#include <stdio.h>
#include <string.h>
#include "gf_dlp.h"

static const char *const cat_names[GF_DLP_MAX] = {
	[GF_DLP_SSN] = "ssn",
	[GF_DLP_PAYMENT_CARD] = "payment_card",
	[GF_DLP_ABA_ROUTING] = "aba_routing",
	[GF_DLP_IBAN] = "iban",
	[GF_DLP_US_PASSPORT] = "us_passport",
	[GF_DLP_US_DRIVERS_LICENSE] = "us_drivers_license",
	[GF_DLP_PRECISE_GEOLOCATION] = "precise_geolocation",
	[GF_DLP_GENOMIC] = "genomic",
	[GF_DLP_HEALTH_NPI] = "health_npi",
	[GF_DLP_HEALTH_MBI] = "health_mbi",
	[GF_DLP_HEALTH_ICD10] = "health_icd10",
	[GF_DLP_BIOMETRIC] = "biometric",
	[GF_DLP_EMAIL] = "email",
	[GF_DLP_US_PHONE] = "us_phone",
};

const char *gf_dlp_cat_name(int cat)
{
	return cat >= 0 && cat < GF_DLP_MAX ? cat_names[cat] : "?";
}

int gf_dlp_cat_from_name(const char *name)
{
	for (int i = 0; i < GF_DLP_MAX; i++)
		if (!strcmp(name, cat_names[i]))
			return i;
	return -1;
}

void gf_dlp_redact(int cat, const char *v, size_t n, char *out, size_t len)
{
	const char *last4 = n >= 4 ? v + n - 4 : v;

	switch (cat) {
	case GF_DLP_SSN:
		snprintf(out, len, "***-**-%.4s", last4);
		break;
	case GF_DLP_PAYMENT_CARD:
		snprintf(out, len, "**** %.4s (%zu digits)", last4, n);
		break;
	case GF_DLP_ABA_ROUTING:
	case GF_DLP_HEALTH_NPI:
	case GF_DLP_US_PHONE:
		snprintf(out, len, "*****%.4s", last4);
		break;
	case GF_DLP_IBAN:
		snprintf(out, len, "%.2s** **** %.4s", v, last4);
		break;
	case GF_DLP_EMAIL: {
		const char *at_ = memchr(v, '@', n);

		snprintf(out, len, "%c***@%.*s", n ? v[0] : '?', at_ ? (int)(v + n - at_ - 1) : 0,
			 at_ ? at_ + 1 : "");
		break;
	}
	case GF_DLP_HEALTH_ICD10:
		snprintf(out, len, "%.1s**", v);	/* the chapter letter only */
		break;
	default:
		snprintf(out, len, "[%s, %zu characters]", gf_dlp_cat_name(cat), n);
		break;
	}
}
