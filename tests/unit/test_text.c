// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: text from files others wrote, made printable before it
 * reaches a terminal, a log or a JSON document, and dates from such files
 * (user/lib/gf_text.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "gf_text.h"

static void esc(const char *in, size_t n, int keep, const char *want)
{
	char out[256];

	gf_escape(in, n, out, sizeof(out), keep);
	if (strcmp(out, want))
		fail_msg("'%s' escaped to '%s', want '%s'", in, out, want);
}

static void test_escape(void **s)
{
	(void)s;
	esc("plain text", 10, 0, "plain text");
	/* terminal controls: ESC, BEL, CR, backspace, DEL */
	esc("a\033[2Jb", 6, 0, "a\\x1b[2Jb");
	esc("x\a\r\b\x7fy", 6, 0, "x\\x07\\x0d\\x08\\x7fy");
	/* a forged log line: newlines escaped in a message, kept in a library's log */
	esc("bad\n<6>reload ok", 16, 0, "bad\\x0a<6>reload ok");
	esc("line 1\nline 2\tend", 17, 1, "line 1\nline 2\tend");
	/* a NUL inside the given length */
	esc("a\0b", 3, 0, "a\\x00b");
	/* UTF-8 stays; C1 controls (CSI), bidirectional overrides do not */
	esc("Z\xc3\xbcrich \xe4\xb8\xad", 11, 0, "Z\xc3\xbcrich \xe4\xb8\xad");
	esc("a\xc2\x9b" "31mb", 7, 0, "a\\x9b31mb");
	esc("evil\xe2\x80\xaetxt.exe", 14, 0, "evil\\u{202e}txt.exe");
	/* not UTF-8: a stray byte, a cut sequence, overlong forms, a surrogate */
	esc("\xff", 1, 0, "\\xff");
	esc("\xe4\xb8", 2, 0, "\\xe4\\xb8");
	esc("\xc0\x80", 2, 0, "\\xc0\\x80");
	esc("\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80");
	esc("\xf4\x90\x80\x80", 4, 0, "\\xf4\\x90\\x80\\x80");
	/* backslashes are doubled where escapes are made, so an escape cannot be faked */
	esc("a\\x1b", 5, 0, "a\\\\x1b");
	{
		char out[8];

		/* truncated at a whole escape, always terminated */
		gf_escape("ab\033cd", 5, out, sizeof(out), 0);
		assert_string_equal(out, "ab\\x1bc");
		gf_escape("\033\033", 2, out, 5, 0);
		assert_string_equal(out, "\\x1b");
	}
	{
		char buf[32] = "k\033v";

		gf_escape_inplace(buf, sizeof(buf));
		assert_string_equal(buf, "k\\x1bv");
	}
}

static void test_time(void **s)
{
	char b[64];

	(void)s;
	assert_int_equal(gf_time_str(0, "%Y-%m-%d", b, sizeof(b)), 0);
	assert_string_equal(b, "1970-01-01");
	assert_int_equal(gf_time_str(GF_EPOCH_MAX, "%Y-%m-%d %H:%M:%S", b, sizeof(b)), 0);
	assert_string_equal(b, "9999-12-31 23:59:59");
	assert_int_equal(gf_time_str(GF_EPOCH_MAX + 1, "%Y", b, sizeof(b)), -1);
	assert_string_equal(b, "invalid time 253402300800");
	assert_int_equal(gf_time_str(-1, "%Y", b, sizeof(b)), -1);
	assert_int_equal(gf_time_str(1LL << 62, "%Y", b, sizeof(b)), -1);
	assert_string_equal(b, "invalid time 4611686018427387904");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_time),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
