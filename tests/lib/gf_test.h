/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal check/summary helpers for the BPF fixture and end-to-end
 * runners (the unit tier uses cmocka).  Every runner ends with
 * "N passed, N failed", and ", N skipped" when a check could not run here
 * (a kernel without a feature it needs): scripts/run-tests.sh counts those
 * apart from passes, and says why.
 */
#ifndef GF_TEST_H
#define GF_TEST_H

#include <stdio.h>

extern int gf_test_passed, gf_test_failed, gf_test_skipped;
extern int gf_test_verbose;

#define CHECK(cond, ...)                                                     \
	({                                                                   \
		int __ok = !!(cond);                                         \
		if (__ok) {                                                  \
			gf_test_passed++;                                    \
			if (gf_test_verbose) {                               \
				printf("PASS ");                             \
				printf(__VA_ARGS__);                         \
				printf("\n");                                \
			}                                                    \
		} else {                                                     \
			gf_test_failed++;                                    \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);          \
			printf(__VA_ARGS__);                                 \
			printf("\n");                                        \
		}                                                            \
		__ok;                                                        \
	})

/* A check this machine cannot run, and why: counted as skipped, never as passed. */
#define SKIP(...)                                                            \
	({                                                                   \
		gf_test_skipped++;                                           \
		printf("SKIP %s:%d: ", __FILE__, __LINE__);                  \
		printf(__VA_ARGS__);                                         \
		printf("\n");                                                \
	})

/* Prints the summary line; returns the process exit code. */
int gf_test_summary(void);

/* Exit code for "cannot even start" (distinct from test failures). */
#define GF_TEST_SETUP_ERROR 2

#endif
