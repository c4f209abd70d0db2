// SPDX-License-Identifier: GPL-2.0
/*
 * Biometrics: a template or an embedding after its name ("fingerprint",
 * "face_embedding"): a base64 blob of 40 characters or more, or an array of
 * 16 numbers or more; and ISO/IEC 19794 record headers, which need no name.
 * A blob's name may be its object's: {"voice":{"sample_b64":"..."}}.
 */
#include <string.h>
#include "scan.h"

static int has_bio_name(const struct gf_dlp_scratch *s, size_t i)
{
	return dlp_label_at(s, i, dlp_rules[L_BIO].name) == L_BIO || dlp_json_enclosing(s, i, L_BIO);
}

void dlp_bio_values(struct gf_dlp_scratch *s, size_t from, size_t limit, int need_label)
{
	const unsigned char *p = s->buf;

	for (size_t i = from; i < limit; i++) {
		size_t j = i, commas = 0;

		if (p[i] == '[') {
			for (j = i + 1; j < s->len && p[j] != ']' && j - i < 16384; j++)
				commas += p[j] == ',';
			if (commas >= 15 && (!need_label || has_bio_name(s, i))) {
				dlp_emit(s, GF_DLP_BIOMETRIC, i, j, (const char *)p + i, j - i < 64 ? j - i : 64);
				return;
			}
			continue;
		}
		int hex = 1;	/* a digest ("fingerprint": SHA-256 of a key) is hex */

		while (j < s->len && (isaln(p[j]) || p[j] == '+' || p[j] == '/')) {
			hex &= xdigit(p[j]);
			j++;
		}
		if (hex && j - i >= 96) {
			/* a key's fingerprint is a hex digest (64 characters at most for SHA-256); a
			 * longer hex blob under another name is a template */
			size_t b = i > 40 ? i - 40 : 0;

			hex = memmem(p + b, i - b, "print", 5) != NULL;
		}
		if (j - i >= 40 && !hex && (!need_label || has_bio_name(s, i))) {
			dlp_emit(s, GF_DLP_BIOMETRIC, i, j, (const char *)p + i, 40);
			/* another blob right after, in the same object: "left", "right" */
			limit = j + 32 < s->len ? j + 32 : s->len;
		}
		if (j > i)
			i = j;
	}
}

void dlp_bio_named(struct gf_dlp_scratch *s, size_t to, size_t limit, int label)
{
	const struct dlp_rule *r = &dlp_rules[label];

	dlp_bio_values(s, to, limit < to + r->after ? limit : to + r->after, 1);
}

void dlp_bio_header(struct gf_dlp_scratch *s, const struct pattern *p, size_t to)
{
	dlp_emit(s, GF_DLP_BIOMETRIC, to - p->width, to, (const char *)s->buf + to - p->width, p->width);
}
