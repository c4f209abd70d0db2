/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text that came from a file someone else wrote (a pushed list, a config
 * value, a database's metadata) before it reaches a terminal, a log or a
 * JSON document, and dates read from such files.
 */
#ifndef GF_TEXT_H
#define GF_TEXT_H

#include <stddef.h>
#include <time.h>

/*
 * in (n bytes) as printable UTF-8 into out: control characters (C0, DEL,
 * C1), bidirectional overrides and bytes that are not UTF-8 become \xNN or
 * \u{NNNN}; valid UTF-8 text stays.  keep_lines leaves '\n' and '\t' as
 * they are (a multi-line library log), else they are escaped too.  out is
 * always terminated (truncated at a character boundary).  Returns the
 * length written.
 */
size_t gf_escape(const char *in, size_t n, char *out, size_t outlen, int keep_lines);

/* The same on a terminated string, in place (it may grow up to size). */
void gf_escape_inplace(char *buf, size_t size);

/*
 * An epoch that a file gave (a database's build time, a state file's
 * timestamps) as text with strftime's fmt, UTC.  A value that is not a
 * date between 1970 and 9999 gives "invalid time N" and returns -1.
 */
int gf_time_str(long long epoch, const char *fmt, char *buf, size_t len);
#define GF_EPOCH_MAX 253402300799LL	/* 9999-12-31 23:59:59 UTC */

#endif
