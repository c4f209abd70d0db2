// SPDX-License-Identifier: GPL-2.0
/*
 * A reload: build, prepare, commit.  Three outcomes (gf_agent_state.h):
 * rejected (nothing changed), applied, applied with errors (in force, an
 * interface did not take it); each logged, counted and in state.json.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include "gf_dlpstat.h"
#include "gf_guard.h"
#include "gf_log.h"
#include "gf_names.h"
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

/* Is there a counter of scope id s in the datapath (traffic it ever counted)? */
struct used_ctx {
	__u32 mask;
};

static void note_used(void *ctx, int hook, int scope, int cls, const struct gf_class_counters *c)
{
	((struct used_ctx *)ctx)->mask |= 1u << scope;
}

/*
 * The datapath ids of b's scopes.  A scope keeps the id its name had (in
 * the running generation, or at the first one in the previous agent's
 * state.json); a new name takes an id no scope holds, one that never
 * counted anything when there is one, so that a removed scope's counters
 * are not handed to another.  Only an id handed over that way has its
 * counters cleared (a counter reset for Prometheus).
 */
static void scopes_assign(struct gf_build *b)
{
	struct gf_agent_state st = { 0 };
	struct used_ctx used = { 0 };
	const char *old[GF_MAX_SCOPES] = { 0 };
	int taken[GF_MAX_SCOPES] = { 1 };
	__u32 clear = 0;
	char why[256];

	if (A.cur) {
		for (int s = 1; s < A.cur->pol.nscopes; s++)
			old[A.cur->scope_id[s]] = A.cur->pol.scope_name[s];
	} else if (!gf_agent_state_read(b->cfg.run_dir, &st, why, sizeof(why))) {
		gf_agent_state_scope_names(&st, old);
	}
	gf_dp_scope_stats_each(A.dp, note_used, &used);
	for (int s = 1; s < b->pol.nscopes; s++) {
		b->scope_id[s] = 0;
		for (unsigned id = 1; id < GF_MAX_SCOPES; id++)
			if (old[id] && !strcmp(old[id], b->pol.scope_name[s]) && !taken[id]) {
				b->scope_id[s] = id;
				taken[id] = 1;
			}
	}
	for (int s = 1; s < b->pol.nscopes; s++) {
		unsigned pick = 0;

		if (b->scope_id[s])
			continue;
		/* free and never used, else free and not a current name's, else free */
		for (unsigned id = 1; id < GF_MAX_SCOPES && !pick; id++)
			if (!taken[id] && !old[id] && !(used.mask & (1u << id)))
				pick = id;
		for (unsigned id = 1; id < GF_MAX_SCOPES && !pick; id++)
			if (!taken[id] && !old[id])
				pick = id;
		for (unsigned id = 1; id < GF_MAX_SCOPES && !pick; id++)
			if (!taken[id])
				pick = id;
		b->scope_id[s] = pick;
		taken[pick] = 1;
		if (used.mask & (1u << pick))
			clear |= 1u << pick;
	}
	gf_agent_state_free(&st);
	if (clear)
		gf_dp_scope_forget(A.dp, clear);
}

/* b's policy rows and selectors in the datapath's scope ids. */
static int install(struct gf_build *b)
{
	static struct gf_policy rows[GF_MAX_SCOPES * GF_NUM_CLASSES];
	struct gf_scope_sel *sel = calloc(b->pol.nsel + 1, sizeof(*sel));
	int n = 1, ret;

	if (!sel)
		return -ENOMEM;
	scopes_assign(b);
	for (unsigned id = 0; id < GF_MAX_SCOPES; id++)
		memcpy(rows + (size_t)id * GF_NUM_CLASSES, gf_policy_row(&b->pol, 0), sizeof(rows[0]) * GF_NUM_CLASSES);
	for (int s = 1; s < b->pol.nscopes; s++) {
		memcpy(rows + (size_t)b->scope_id[s] * GF_NUM_CLASSES, gf_policy_row(&b->pol, s),
		       sizeof(rows[0]) * GF_NUM_CLASSES);
		if (b->scope_id[s] + 1 > n)
			n = b->scope_id[s] + 1;
	}
	for (int i = 0; i < b->pol.nsel; i++) {
		sel[i] = b->pol.sel[i];
		sel[i].scope = b->scope_id[sel[i].scope];
	}
	ret = gf_dp_install_scoped(A.dp, b->world.table[0], b->world.table[1], rows, n, sel, b->pol.nsel);
	free(sel);
	for (int s = 1; !ret && s < b->pol.nscopes; s++) {
		const struct gf_scope_cfg *sc = &b->cfg.scopes[s - 1];
		char line[512];

		gf_scope_selects(sc, line, sizeof(line));
		pr_info("scope %s (id %d): %s; default %s%s, %d country rule(s)\n", sc->name, b->scope_id[s], line,
			gf_action_name(sc->default_rule.action >= 0 ? sc->default_rule.action : b->cfg.default_rule.action),
			(sc->monitor >= 0 ? sc->monitor : b->cfg.monitor) ? ", monitor (dry run)" : "", sc->nrules);
	}
	return ret;
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
	ret = install(b);
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
