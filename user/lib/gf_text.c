// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_text.h"

/* Length of the UTF-8 sequence at p (1..4) and its code point, or 0 if invalid. */
static int utf8_seq(const unsigned char *p, size_t n, unsigned int *cp)
{
	unsigned int c = p[0], need, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, min = 0x80, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, min = 0x800, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, min = 0x10000, c &= 0x07;
	else
		return 0;
	if (n < need + 1)
		return 0;
	for (unsigned int i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return need + 1;
}

/* Code points that steer a terminal or the reading order of a line. */
static int hostile(unsigned int cp, int keep_lines)
{
	if (cp == '\n' || cp == '\t')
		return !keep_lines;
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||	/* C0, DEL, C1 */
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||	/* bidi */
	       cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

size_t gf_escape(const char *in, size_t n, char *out, size_t outlen, int keep_lines)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;

	if (!outlen)
		return 0;
	for (size_t i = 0; i < n;) {
		unsigned int cp;
		int len = utf8_seq(p + i, n - i, &cp);
		char esc[16];
		size_t el;

		if (!len) {
			el = snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
			len = 1;
		} else if (hostile(cp, keep_lines)) {
			el = cp < 0x100 ? snprintf(esc, sizeof(esc), "\\x%02x", cp) :
					  snprintf(esc, sizeof(esc), "\\u{%04x}", cp);
		} else if (cp == '\\' && !keep_lines) {
			el = snprintf(esc, sizeof(esc), "\\\\");
		} else {
			memcpy(esc, p + i, len);
			el = len;
		}
		if (o + el + 1 > outlen)
			break;
		memcpy(out + o, esc, el);
		o += el;
		i += len;
	}
	out[o] = '\0';
	return o;
}

void gf_escape_inplace(char *buf, size_t size)
{
	size_t n = strlen(buf);
	char *copy = malloc(n + 1);

	if (!copy) {
		/* no memory to escape into: keep only plain ASCII */
		for (char *c = buf; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
				*c = '?';
		return;
	}
	memcpy(copy, buf, n + 1);
	gf_escape(copy, n, buf, size, 0);
	free(copy);
}

int gf_time_str(long long epoch, const char *fmt, char *buf, size_t len)
{
	struct tm tm;
	time_t t = epoch;

	if (epoch < 0 || epoch > GF_EPOCH_MAX || (long long)t != epoch || !gmtime_r(&t, &tm) ||
	    !strftime(buf, len, fmt, &tm)) {
		snprintf(buf, len, "invalid time %lld", epoch);
		return -1;
	}
	return 0;
}
