// SPDX-License-Identifier: GPL-2.0
/* Unit tests: enum names (user/lib/gf_names.c) are complete and distinct. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "gf_names.h"

static void check_table(const char *(*name)(unsigned int), unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const char *a = name(i);

		assert_non_null(a);
		assert_string_not_equal(a, "invalid");
		/* metric label values: lower case, digits and underscores */
		for (const char *c = a; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_');
		for (unsigned int j = 0; j < i; j++)
			assert_string_not_equal(a, name(j));
	}
	assert_string_equal(name(n), "invalid");
	assert_string_equal(name(~0u), "invalid");
}

static void test_reasons(void **state)
{
	check_table(gf_reason_name, GF_REASON_MAX);
}

static void test_verdicts_actions_hooks(void **state)
{
	check_table(gf_verdict_name, GF_VERDICT_MAX);
	check_table(gf_action_name, GF_ACT_MAX);
	check_table(gf_hook_name, GF_HOOK_MAX);
	for (int a = 0; a < GF_ACT_MAX; a++)
		assert_int_equal(gf_action_from_name(gf_action_name(a)), a);
	assert_int_equal(gf_action_from_name("block"), -1);
}

/* country codes come from Debian's iso-codes, plus XK, EU, AP */
static void test_country_names(void **state)
{
	(void)state;
	assert_string_equal(gf_country_name("CN"), "China");
	assert_string_equal(gf_country_name("us"), "United States");
	assert_non_null(gf_country_name("KP"));
	assert_non_null(gf_country_name("AD"));	/* first and last of the table */
	assert_non_null(gf_country_name("ZW"));
	assert_string_equal(gf_country_name("XK"), "Kosovo");
	assert_non_null(gf_country_name("EU"));
	assert_non_null(gf_country_name("AP"));
	assert_null(gf_country_name("XX"));
	assert_null(gf_country_name("UK"));	/* reserved, not assigned: GB */
	assert_null(gf_country_name("AA"));
	assert_null(gf_country_name("ZZ"));
	assert_null(gf_country_name("C"));
	assert_null(gf_country_name("CHN"));
	assert_null(gf_country_name("C1"));
	assert_null(gf_country_name(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_verdicts_actions_hooks),
		cmocka_unit_test(test_country_names),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
