// SPDX-License-Identifier: GPL-2.0
/*
 * A reload: build, prepare, commit.  Three outcomes (gf_agent_state.h):
 * rejected (nothing changed), applied, applied with errors (in force, an
 * interface did not take it); each logged, counted and in state.json.
 */
#include <errno.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include "gf_dlpstat.h"
#include "gf_guard.h"
#include "gf_log.h"
#include "gf_text.h"
#include <systemd/sd-daemon.h>
#include "agent.h"

/*
 * guard.mode = "classes": what this generation drops, as the boot guard
 * of the next boot (state.dir/guard.nft), written once it is in force.
 */
static void guard_persist(const struct gf_build *b)
{
	static int said;
	char path[PATH_MAX + 16], what[128];
	size_t n = 0;
	int err;

	if (!b->cfg.guard_classes)
		return;
	if (mkdir(b->cfg.state_dir, 0750) && errno != EEXIST) {
		pr_warn("boot guard: cannot create %s: %s; the next boot forwards nothing until "
			"geofenced enforces\n", b->cfg.state_dir, strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", b->cfg.state_dir, GF_GUARD_FILE);
	snprintf(what, sizeof(what), "generation %llu of geofenced %s (map layout %d)",
		 (unsigned long long)gf_dp_flips(A.dp), GF_VERSION, GF_LAYOUT);
	err = gf_guard_write(path, &b->world.all[0], &b->world.all[1], b->pol.pol, what, &n);
	if (err)
		pr_warn("boot guard: cannot write %s: %s; the next boot uses the last one written, "
			"or forwards nothing\n", path, strerror(-err));
	else if (!said++)
		pr_info("boot guard (classes): %zu dropped intervals of this generation in %s, for the "
			"next boot; rewritten with every generation\n", n, path);
	else
		pr_debug("boot guard (classes): %zu intervals in %s\n", n, path);
}

/* Slots 0..n-1 back to the running generation's targets (or none). */
static void restore_redirects(int n)
{
	for (int k = 0; k < n; k++)
		gf_dp_set_redirect(A.dp, k, A.cur && k < A.cur->pol.nredirect ?
					    A.cur->pol.redirect_ifindex[k] : 0);
}

/*
 * The redirect targets of b: slot i -> its interface.  On failure the
 * running generation's targets are put back, so that nothing changed.
 */
static int prepare_redirects(const struct gf_build *b, char *err, size_t errlen)
{
	for (int i = 0; i < b->pol.nredirect; i++) {
		int ret = gf_dp_set_redirect(A.dp, i, b->pol.redirect_ifindex[i]);

		if (!ret)
			continue;
		snprintf(err, errlen, "redirect slot %d -> %s: %s", i, b->pol.redirect_name[i],
			 strerror(-ret));
		restore_redirects(i + 1);
		return ret;
	}
	return 0;
}

/*
 * Make b the running generation, in two steps.  Prepare: what can fail
 * without touching what is in force; a failure there rejects b and nothing
 * has changed.  Commit: the flip, then hooks on new interfaces; from the
 * flip on b is in force, and an interface that does not take the hook
 * makes the outcome "applied with errors" (err says which), never
 * "rejected".
 */
enum gf_reload_result apply(struct gf_build *b, char *err, size_t errlen)
{
	__u32 budget = A.cur ? A.cur->cfg.sampling.max_per_second : b->cfg.sampling.max_per_second;
	int ret;

	/* prepare: redirect targets first, the new policy may point at new slots */
	if (prepare_redirects(b, err, errlen))
		return GF_RELOAD_REJECTED;
	/* the sample budget before the flip: a new 1-in-1 class never floods the ring */
	gf_dp_set_sample_budget(A.dp, b->cfg.sampling.max_per_second);
	gf_dp_set_flow_budget(A.dp, b->cfg.flows.max_new_per_second);
	ret = gf_dp_install(A.dp, b->world.table[0], b->world.table[1], b->pol.pol);
	if (ret) {
		snprintf(err, errlen, "installing the tables: %s", strerror(-ret));
		gf_dp_set_sample_budget(A.dp, budget);
		gf_dp_set_flow_budget(A.dp, A.cur ? A.cur->cfg.flows.max_new_per_second :
				      b->cfg.flows.max_new_per_second);
		restore_redirects(b->pol.nredirect);
		return GF_RELOAD_REJECTED;
	}
	/* commit: b is in force from here on */
	guard_persist(b);
	/* after the grace period no packet uses the old slots */
	for (int i = b->pol.nredirect; A.cur && i < A.cur->pol.nredirect; i++)
		gf_dp_set_redirect(A.dp, i, 0);
	gf_build_free(A.cur);
	A.cur = b;
	/* hooks: new interfaces get the new generation from their first packet */
	ret = attach_new(&b->cfg, err, errlen);
	detach_unlisted(&b->cfg);
	return ret ? GF_RELOAD_APPLIED_WITH_ERRORS : GF_RELOAD_APPLIED;
}

/*
 * An upgrade across layouts is done once the first generation is installed
 * and every present interface runs the new programs: the previous maps go.
 */
void migration_finish(double ms)
{
	const char *why = gf_dp_migrating(A.dp);
	int swapped = 0, err;

	for (int i = 0; i < A.link.nifs; i++)
		swapped += A.link.ifs[i].filtered && !A.link.ifs[i].adopted;
	err = gf_dp_migration_done(A.dp);
	if (err)
		pr_warn("cannot remove the previous maps in %s/previous: %s (geofence detach removes "
			"them with the rest)\n", A.cur->cfg.pin_dir, strerror(-err));
	else if (why)
		pr_info("upgrade done: layout %d -> %d (%s); %d hook(s) swapped to the new maps in %.0f ms, "
			"counters carried, previous maps released\n", gf_dp_prev_layout(A.dp), GF_LAYOUT,
			why, swapped, ms);
}

/*
 * The boot guard (geofence-guard.service) comes down once the first
 * generation is installed and attached: from then on geofence decides.
 */
void guard_lift(void)
{
	unsigned long long dropped = 0;
	char err[512];
	int on = gf_guard_state(&dropped, err, sizeof(err));

	if (on <= 0)
		return;
	if (gf_guard_down(err, sizeof(err)))
		pr_err("boot guard: cannot lift it: %s; nothing is forwarded until it is "
		       "(geofence guard down)\n", err);
	else
		pr_info("boot guard lifted: geofence enforces generation %llu; while it stood it dropped "
			"%llu forwarded packets\n", (unsigned long long)gf_dp_flips(A.dp), dropped);
}

/*
 * A reload's outcome, in the log, in state.json (reload.last), in
 * geofence_reloads_total{result} and in `geofence reload`'s exit code: the
 * log always says what is in force.
 */
void log_reload(enum gf_reload_result res, const char *why, double ms, const char *err_in)
{
	struct gf_st_reload_last *last = &A.reload.last;
	char line[4096], err[2048] = "";
	int n;

	/* an error quotes files others wrote: printable before it is logged or stored */
	if (err_in)
		gf_escape(err_in, strlen(err_in), err, sizeof(err), 0);

	A.reload.applied += res == GF_RELOAD_APPLIED;
	A.reload.applied_with_errors += res == GF_RELOAD_APPLIED_WITH_ERRORS;
	A.reload.rejected += res == GF_RELOAD_REJECTED;
	A.reload.count = A.reload.applied + A.reload.applied_with_errors + A.reload.rejected;
	A.last_reload_ms = ms;
	if (res != GF_RELOAD_REJECTED)
		A.last_ok_reload = time(NULL);
	gf_schema_free(&gf_st_reload_schema, &A.reload);	/* the last outcome's strings */
	*last = (struct gf_st_reload_last){
		.result = gf_schema_str(gf_reload_result_names[res]),
		.trigger = gf_schema_str(why),
		.error = err_in ? gf_schema_str(err) : NULL,
		.time = time(NULL),
		.duration_ms = ms,
		.generation = gf_dp_flips(A.dp),
		.seq = A.reload.count,
	};

	n = snprintf(line, sizeof(line), "reload %s (%s): generation %llu, %.0f ms",
		     res == GF_RELOAD_APPLIED_WITH_ERRORS ? "applied with errors" : gf_reload_result_names[res],
		     why, (unsigned long long)gf_dp_flips(A.dp), ms);
	if (res != GF_RELOAD_REJECTED && A.cur) {
		n += snprintf(line + n, sizeof(line) - n, ", config %s sha256:%.12s",
			      path_base(A.cur->cfg.path), A.cur->cfg_sha);
		for (int i = 0; i < A.cur->countries.nfiles && n < (int)sizeof(line) - 100; i++)
			n += snprintf(line + n, sizeof(line) - n, ", %s sha256:%.12s",
				      path_base(A.cur->countries.files[i]), A.cur->list_sha[i]);
		for (int i = 0; i < A.cur->cfg.nsources && n < (int)sizeof(line) - 100; i++)
			n += snprintf(line + n, sizeof(line) - n, ", %s sha256:%.12s",
				      path_base(A.cur->cfg.sources[i].path), A.cur->src_sha[i]);
	}
	switch (res) {
	case GF_RELOAD_APPLIED:
		pr_info("%s\n", line);
		break;
	case GF_RELOAD_APPLIED_WITH_ERRORS:
		pr_err("%s; in force on every interface that took it, not on: %s\n", line, err);
		break;
	default:
		pr_err("%s; the running generation stays: %s\n", line, err);
		break;
	}
	if (res != GF_RELOAD_REJECTED && A.cur && A.cur->sanity_note[0])
		pr_warn("data sanity: %s\n", A.cur->sanity_note);
}


void reload(const char *why)
{
	enum gf_reload_result res = GF_RELOAD_REJECTED;
	char err[2048] = "";
	double t0 = now_ms();
	struct gf_build *b;

	{
		struct timespec t;

		clock_gettime(CLOCK_MONOTONIC, &t);
		sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading (%s)",
			   (unsigned long long)t.tv_sec * 1000000ULL + t.tv_nsec / 1000, why);
	}
	/* what changed so far is read now; a change from here on reloads again */
	drain_changes();
	b = build_new(err, sizeof(err));
	if (b) {
		res = apply(b, err, sizeof(err));
		if (res == GF_RELOAD_REJECTED)
			gf_build_free(b);	/* the running generation stays */
	}
	log_reload(res, why, now_ms() - t0, res != GF_RELOAD_APPLIED ? err : NULL);
	if (res != GF_RELOAD_REJECTED) {
		/* what is in force now runs the rest too */
		if (A.scan.dlp) {
			gf_dlp_stats_configure(A.scan.dlp, &A.cur->cfg.sampling);
			restart_only_check(&A.cur->cfg);
		}
		uploader_sync(&A.cur->cfg);
		events_sync(&A.cur->cfg);
		exporter_sync(&A.cur->cfg);
		metrics_sync(&A.cur->cfg);
	}
	write_state();
	sd_notifyf(0, "READY=1\nSTATUS=generation %llu; last reload %s (%s)",
		   (unsigned long long)gf_dp_flips(A.dp), gf_reload_result_names[res], why);
}
