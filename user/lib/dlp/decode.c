// SPDX-License-Identifier: GPL-2.0
/*
 * Decoders: the payload as its sender meant it, in a copy (s->dec) that
 * is zeroed after every scan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

static int xval(unsigned char c)
{
	return isdig(c) ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
}

/*
 * Form posts and URLs percent-encode what matters ("john%40example.com",
 * "4111%201111..."), and form bodies write spaces as '+'.  If the payload
 * has percent escapes, scan a decoded copy instead: decoding only changes
 * escapes, so what was plain stays as it was.
 */
/* Room for a decoded copy of len bytes; it is zeroed after every scan. */
static int dec_reserve(struct gf_dlp_scratch *s, size_t len)
{
	unsigned char *d;

	if (s->dec_cap >= len)
		return 0;
	if (!(d = realloc(s->dec, len)))
		return -ENOMEM;
	s->dec = d;
	s->dec_cap = len;
	return 0;
}

const unsigned char *dlp_url_decoded(struct gf_dlp_scratch *s, const unsigned char *b,
				     size_t len, size_t *outlen)
{
	size_t escapes = 0, n = 0;
	int form;

	for (const unsigned char *p = b; (p = memchr(p, '%', len - (p - b))) && p + 2 < b + len; p++)
		escapes += xval(p[1]) >= 0 && xval(p[2]) >= 0;
	form = !memchr(b, ' ', len) && memchr(b, '=', len);
	if (!escapes && !(form && memchr(b, '+', len)))
		return NULL;	/* neither "%40" nor a form's "Soc+Sec" */
	if (dec_reserve(s, len))
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (b[i] == '%' && i + 2 < len && xval(b[i + 1]) >= 0 && xval(b[i + 2]) >= 0) {
			s->dec[n++] = xval(b[i + 1]) << 4 | xval(b[i + 2]);
			i += 2;
		} else {
			s->dec[n++] = form && b[i] == '+' ? ' ' : b[i];
		}
	}
	*outlen = n;
	return s->dec;
}

/*
 * JSON strings escape what would show a document's structure: a CSV export
 * in "data":"name,ssn\n...".  Escapes become the character they stand for
 * behind a space ("\n" -> " \n", "\"" -> " \""), so every offset stays.
 */
const unsigned char *dlp_json_unescaped(struct gf_dlp_scratch *s, const unsigned char *b, size_t len)
{
	const unsigned char *p = memchr(b, '\\', len);

	if (!p || p + 1 >= b + len)
		return NULL;
	/* only payloads with escaped newlines or tabs: a document inside a string */
	for (; p && p + 1 < b + len; p = memchr(p + 2, '\\', len - (p + 2 - b)))
		if (p[1] == 'n' || p[1] == 't')
			break;
	if (!p || p + 1 >= b + len)
		return NULL;
	if (b != s->dec) {
		if (dec_reserve(s, len))
			return NULL;
		memcpy(s->dec, b, len);
	}
	for (size_t i = 0; i + 1 < len; i++)
		if (s->dec[i] == '\\') {
			unsigned char c = s->dec[i + 1];

			s->dec[i] = ' ';
			s->dec[i + 1] = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
			i++;
		}
	return s->dec;
}
