// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's generations: built by gf_build (user/lib/gf_build.c) from
 * its configuration and judged against what runs; the clocks it times
 * them with.
 */
#include <bpf/libbpf.h>
#include "gf_log.h"
#include "gf_state.h"
#include "agent.h"

double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The next generation from the agent's configuration, judged against what runs. */
struct gf_build *build_new(char *err, size_t errlen)
{
	return gf_build_new(A.config_path, A.cur ? &A.cur->cov : A.last_cov, err, errlen);
}

/*
 * What the previous agent's generation gave to countries, from its
 * state.json (the run directory the configuration names), so that a
 * restart compares new data with it rather than with the default data.
 */
void restore_coverage(void)
{
	static struct gf_coverage cov;

	if (gf_build_running_coverage(A.config_path, &cov))
		return;
	A.last_cov = &cov;
	pr_info("data sanity: comparing with the previous run's data (the run directory's %s)\n", GF_STATE_FILE);
}

const char *path_base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}
