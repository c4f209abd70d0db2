// SPDX-License-Identifier: GPL-2.0
/*
 * HL7 v2: segments whose fields are ours by position (PID-19 is the SSN,
 * DG1-3 the diagnosis), and identifiers named by a later component
 * ("1234567893^SMITH^JOHN^^^^^^NPI").  Found by its pattern, during the
 * replay; no state.
 */
#include <string.h>
#include "scan.h"

/* The first component of field `n` of the HL7 segment whose first '|' is at `bar`. */
static int hl7_field(const struct gf_dlp_scratch *s, size_t bar, int n, size_t *a, size_t *b)
{
	const unsigned char *p = s->buf;
	size_t i = bar;

	for (int f = 1; f < n; f++) {
		while (++i < s->len && p[i] != '|' && p[i] != '\r' && p[i] != '\n')
			;
		if (i >= s->len || p[i] != '|')
			return 0;
	}
	*a = ++i;
	while (i < s->len && !strchr("|^~\r\n", p[i]))
		i++;
	*b = i;
	return *b > *a;
}

void dlp_hl7_segment(struct gf_dlp_scratch *s, const struct pattern *p, size_t to)
{
	size_t a, b;

	if (s->buf[to - 3] == 'G') {	/* DG1-3: code ^ text ^ coding system */
		if (hl7_field(s, to - 1, 3, &a, &b))
			dlp_icd_values(s, a, b, 0);
	} else if (hl7_field(s, to - 1, 19, &a, &b)) {
		dlp_exact_value(s, a, b, L_SSN);
	}
}

/* "1234567893^SMITH^JOHN^^^^^^NPI": the identifier is the field's first component. */
static int key(struct gf_dlp_scratch *s, size_t start, size_t to, int label, size_t *limit)
{
	size_t a, b;

	if (!start || s->buf[start - 1] != '^' || label == L_ICD)
		return 0;
	a = start - 1;
	while (a > 0 && start - a < 160 && s->buf[a - 1] != '|')
		a--;
	for (b = a; b < start && s->buf[b] != '^'; b++)
		;
	if (a > 0)
		dlp_exact_value(s, a, b, label);
	return 1;
}

const struct dlp_format dlp_fmt_hl7 = {
	.name = "hl7",
	.key = key,
};
