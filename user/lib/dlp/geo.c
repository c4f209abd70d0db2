// SPDX-License-Identifier: GPL-2.0
/*
 * Precise geolocation: a latitude and a longitude with three decimals or
 * more, as halves after their names ("lat": 40.7128 ... "lon": -74.0060),
 * as a pair after a name for a place ("position=40.7128 -74.0060"), as a
 * comma pair ("40.7128, -74.0060") or with hemispheres ("40.7128 N, 74.0060 W").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "scan.h"

/* The other half of a coordinate is this near after the first. */
#define OTHER_HALF 200

static int parse_dec(const unsigned char *b, size_t len, size_t p, double *val, size_t *end)
{
	size_t i = p, decimals = 0;
	int ints = 0;
	char text[24];

	if (i < len && b[i] == '-')
		i++;
	while (i < len && isdig(b[i]) && ints < 4)
		i++, ints++;
	if (!ints || i >= len || b[i] != '.')
		return -1;
	i++;
	while (i < len && isdig(b[i]) && decimals < 15)
		i++, decimals++;
	if (i < len && isdig(b[i]))
		return -1;
	memcpy(text, b + p, i - p);
	text[i - p] = '\0';
	*val = strtod(text, NULL);	/* exact, as printf rounds it back */
	*end = i;
	return (int)decimals;
}

static void emit_pair(struct gf_dlp_scratch *s, size_t start, size_t end, double lat, double lon)
{
	char v[48];
	int n = snprintf(v, sizeof(v), "%.5f,%.5f", lat, lon);

	dlp_emit(s, GF_DLP_PRECISE_GEOLOCATION, start, end, v, (size_t)n);
}

/* "lat": 40.7128 ... "lon": -74.0060, in either order */
static void coord_after(struct gf_dlp_scratch *s, size_t from, size_t limit, int label)
{
	const unsigned char *p = s->buf;
	size_t i = from, end;
	double v;

	for (;;) {
		while (i < limit && (p[i] == '"' || p[i] == '\'' || p[i] == ':' || p[i] == '=' ||
				     p[i] == ' ' || p[i] == '>' || p[i] == '\t' || p[i] == '{'))
			i++;
		if (i + 5 <= limit && !strncasecmp((const char *)p + i, "value", 5))
			i += 5;	/* {"latitude":{"value":40.7128}}: a wrapper object */
		else
			break;
	}
	if (i >= limit || parse_dec(p, s->len, i, &v, &end) < 3 || fabs(v) > (label == L_LAT ? 90 : 180))
		return;
	if (dlp_label_at(s, i, dlp_rules[label].name) != label)
		return;
	if (s->pend.label && s->pend.label != label && i < s->pend.end + OTHER_HALF) {
		double lat = label == L_LAT ? v : s->pend.val, lon = label == L_LAT ? s->pend.val : v;

		emit_pair(s, s->pend.start, end, lat, lon);
		s->pend.label = 0;
	} else {
		s->pend.label = label;
		s->pend.val = v;
		s->pend.start = i;
		s->pend.end = end;
	}
}

/*
 * A pair after a name for a place: "position=40.7128 -74.0060".  Comma pairs
 * need no name (K_PAIR); a pair apart by a space alone does.
 */
static void pair_after(struct gf_dlp_scratch *s, size_t from, size_t limit, int label)
{
	const unsigned char *p = s->buf;
	size_t i = from, e1, e2, j;
	double lat, lon;
	int l;

	while (i < limit && strchr("\"':= >\t([", p[i]) && p[i])
		i++;
	if (i >= limit || parse_dec(p, s->len, i, &lat, &e1) < 3 || fabs(lat) > 90)
		return;
	for (j = e1; j < s->len && j < e1 + 3 && (p[j] == ' ' || p[j] == ',' || p[j] == ';' || p[j] == '\t' || p[j] == '/'); j++)
		;
	if (j == e1 || parse_dec(p, s->len, j, &lon, &e2) < 3 || fabs(lon) > 180 || isaln(at(s, e2)))
		return;
	l = dlp_label_at(s, i, dlp_rules[L_GEO].name);
	if (l == label || (label == L_LAT && l == L_LON))	/* "Lat/Lon" ends in "lon" */
		emit_pair(s, i, e2, lat, lon);
}


void dlp_geo_named(struct gf_dlp_scratch *s, size_t to, size_t limit, int label)
{
	const struct dlp_rule *r = &dlp_rules[label];

	if (label == L_LAT && to + 3 < s->len && s->buf[to] == '/' &&
	    (!strncasecmp((const char *)s->buf + to + 1, "lon", 3) ||
	     !strncasecmp((const char *)s->buf + to + 1, "lng", 3))) {
		/* "Lat/Lon: 40.7128 / -74.0060": the next keyword is this name's end */
		for (to += 4; to < s->len && isaln(s->buf[to]); to++)
			;
		pair_after(s, to, s->len < to + r->after ? s->len : to + r->after, L_LAT);
		return;
	}
	to = dlp_past_name(s, to);	/* "latitude", "longitude", "lat_deg" */
	if (label == L_GEO)
		pair_after(s, to, limit < to + r->after ? limit : to + r->after, L_GEO);
	else
		coord_after(s, to, limit < to + r->after ? limit : to + r->after, label);
}

/* "40.7128, -74.0060": two numbers, not two of a longer list. */
void dlp_pair(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	const unsigned char *p = s->buf;
	size_t comma = to, start, e1, e2, q;
	double v1, v2;

	while (comma > 0 && p[comma - 1] != ',')
		comma--;
	if (!comma--)
		return;
	start = comma;
	if (start >= 2 && p[start - 1] == 0xb0 && p[start - 2] == 0xc2)
		start -= 2;	/* "40.7128\u00b0, -74.0060\u00b0" */
	while (start > 0 && (isdig(p[start - 1]) || p[start - 1] == '.'))
		start--;
	if (start > 0 && p[start - 1] == '-')
		start--;
	/* cheap tests first: embeddings and tables are long lists of numbers */
	if (start > 0 && (isaln(p[start - 1]) || p[start - 1] == '.'))
		return;	/* glued to something */
	for (q = start; q > 0 && p[q - 1] == ' '; q--)
		;
	if (q > 0 && p[q - 1] == ',')
		return;	/* two numbers of a longer list */
	q = to;
	while (q < s->len && (isdig(p[q]) || p[q] == '.'))
		q++;
	if (q < s->len && isaln(p[q]))
		return;
	for (; q < s->len && p[q] == ' '; q++)
		;
	if (q < s->len && p[q] == ',' && (isdig(at(s, q + 1)) || at(s, q + 1) == '-' ||
					  (at(s, q + 1) == ' ' && (isdig(at(s, q + 2)) || at(s, q + 2) == '-')))) {
		size_t r = q + 1;	/* a third number makes a list; "17z" (a map's zoom) does not */

		while (r < s->len && (p[r] == ' ' || p[r] == '-' || isdig(p[r]) || p[r] == '.'))
			r++;
		if (!(r < s->len && islow(p[r]) && !isaln(at(s, r + 1))))
			return;
	}
	if (parse_dec(p, s->len, start, &v1, &e1) < 3 || (e1 != comma && !(e1 + 2 == comma && p[e1] == 0xc2)))
		return;
	q = comma + 1 + (p[comma + 1] == ' ');
	if (parse_dec(p, s->len, q, &v2, &e2) < 3 || fabs(v1) > 90 || fabs(v2) > 180)
		return;
	emit_pair(s, start, e2, v1, v2);
}

void dlp_hemi(struct gf_dlp_scratch *s, const struct pattern *pat, size_t to)
{
	const unsigned char *p = s->buf;
	size_t e = to, start, e1, j;
	double lat, lon;

	/* back over the longitude to the latitude's start: digits, '.', the degree sign */
	for (start = to - 1; start > 0 && p[start] != 'N' && p[start] != 'S'; start--)
		;
	while (start > 0 && (isdig(p[start - 1]) || p[start - 1] == '.' || p[start - 1] == ' ' ||
			     p[start - 1] == 0xb0 || p[start - 1] == 0xc2))
		start--;
	while (start < to && !isdig(p[start]))
		start++;
	if ((start > 0 && (isaln(p[start - 1]) || p[start - 1] == '-')) ||
	    parse_dec(p, s->len, start, &lat, &e1) < 3 || fabs(lat) > 90)
		return;
	for (j = e1; j < to && !isdig(p[j]); j++)
		if (p[j] == 'S')
			lat = -lat;
	if (parse_dec(p, s->len, j, &lon, &e) < 3 || fabs(lon) > 180 || isaln(at(s, to)))
		return;
	if (p[to - 1] == 'W')
		lon = -lon;
	emit_pair(s, start, to, lat, lon);
}
