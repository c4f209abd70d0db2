// SPDX-License-Identifier: GPL-2.0
/*
 * Per label, how a keyword's values are found and how near a value's name
 * must be: the windows of every heuristic in one table (bytes).  Labels
 * that are no category of ours (OTHER, QUAL) have no rule: they only veto.
 */
#include "scan.h"

/* a number after its name: "SSN: 536221234", "<label>Routing Number</label><input value=..." */
#define TOKEN .after = 48, .after_form = 72, .name = 64, .before = 40, .values = dlp_tokens_named

const struct dlp_rule dlp_rules[L_MAX] = {
	/* a dashed SSN needs no name, but "order: 123-45-6789" or "phone: ..." is not one */
	[L_SSN] = { TOKEN, .veto_within = 16, .veto = 1 << L_OTHER | 1 << L_PHONE },
	[L_PASSPORT] = { TOKEN },
	[L_ABA] = { TOKEN },
	[L_NPI] = { TOKEN },
	[L_DL] = { TOKEN },
	/* a formatted phone number needs no name, unless its field is another's ("fax" is ours) */
	[L_PHONE] = { TOKEN, .veto_within = 24, .veto = 1 << L_OTHER },
	/* "Primary diagnosis recorded at the visit today: E11.9": further away */
	[L_ICD] = { .after = 160, .name = 160, .before = 40, .values = dlp_icd_named },
	/* "lat": 40.7128 ... "lon": -74.0060: each half right after its name */
	[L_LAT] = { .after = 24, .name = 24, .values = dlp_geo_named },
	[L_LON] = { .after = 24, .name = 24, .values = dlp_geo_named },
	/* "position=40.7128 -74.0060": a pair after a name for a place */
	[L_GEO] = { .after = 24, .name = 32, .values = dlp_geo_named },
	/* a base64 template or an embedding array; its name may be its object's */
	[L_BIO] = { .after = 64, .name = 64, .whole = 1, .values = dlp_bio_named },
};
