// SPDX-License-Identifier: GPL-2.0
/*
 * A generation's inputs, built off to the side: configuration, lists,
 * sources, the policy and both tables, with their hashes and the data
 * sanity check against what runs.
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

/* One generation's inputs, built off to the side. */

double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

void build_free(struct build *b)
{
	if (!b)
		return;
	gf_world_free(&b->world);
	gf_policy_set_free(&b->pol);
	gf_config_free(&b->cfg);
	free(b);
}

/* The countries the lists name: "FILE:LINE" by class, NULL for the others. */
void named_countries(const struct build *b, const char **named)
{
	for (int cls = 0; cls < GF_CLASS_COUNTRY_END; cls++)
		named[cls] = cls >= GF_CLASS_COUNTRY_BASE && b->countries.rule[cls].action >= 0 ?
			     b->countries.rule[cls].origin : NULL;
}

/* Everything a generation needs, or an error naming file and line. */
struct build *build_new(char *err, size_t errlen)
{
	struct build *b = calloc(1, sizeof(*b));
	int ret;

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ret = gf_config_load(A.config_path, &b->cfg, err, errlen);
	/* where state.json and dlp.json go: nobody else may plant anything there */
	if (!ret)
		ret = gf_dir_check(b->cfg.run_dir, b->cfg.state_gid, "state.run_dir", err, errlen);
	if (!ret)
		ret = gf_countries_load(b->cfg.countries_dir, &b->countries, err, errlen);
	if (!ret)
		ret = gf_policy_build(&b->cfg, &b->countries, &b->pol, err, errlen);
	if (!ret)
		ret = gf_world_load(&b->world, b->cfg.sources, b->cfg.nsources, &b->cfg.geo,
				    &b->pol.overrides[0], &b->pol.overrides[1], err, errlen);
	/* data sanity: valid files that would turn the world "unknown" are refused */
	if (!ret) {
		const char *named[GF_CLASS_COUNTRY_END];
		const struct gf_coverage *prev = A.cur ? &A.cur->cov : A.last_cov;

		named_countries(b, named);
		gf_coverage_of(&b->world, &b->cov);
		ret = gf_sanity_check(prev, &b->cov, named, &b->cfg.sanity, err, errlen,
				      b->sanity_note, sizeof(b->sanity_note));
	}
	/* fingerprints of every input, for the log and status */
	if (!ret)
		gf_sha256_file(b->cfg.path, b->cfg_sha);
	for (int i = 0; !ret && i < b->countries.nfiles; i++)
		gf_sha256_file(b->countries.files[i], b->list_sha[i]);
	for (int i = 0; !ret && i < b->cfg.nsources; i++)
		gf_sha256_file(b->cfg.sources[i].path, b->src_sha[i]);
	if (ret) {
		build_free(b);
		return NULL;
	}
	return b;
}

/*
 * What the previous agent's generation gave to countries, from its
 * state.json (the run directory the configuration names), so that a
 * restart compares new data with it rather than with the default data.
 */
void restore_coverage(void)
{
	static struct gf_coverage cov;
	struct gf_config *c = calloc(1, sizeof(*c));
	struct gf_agent_state st = { 0 };
	char err[512];

	if (c && !gf_config_load(A.config_path, c, err, sizeof(err)) &&
	    !gf_agent_state_read(c->run_dir, &st, err, sizeof(err)) && st.coverage &&
	    !gf_coverage_from_json(st.coverage, &cov)) {
		A.last_cov = &cov;
		pr_info("data sanity: comparing with the previous run's data (%s/%s)\n", c->run_dir,
			GF_STATE_FILE);
	}
	gf_agent_state_free(&st);
	if (c)
		gf_config_free(c);
	free(c);
}

const char *path_base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}
