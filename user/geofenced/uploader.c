// SPDX-License-Identifier: GPL-2.0
/*
 * The uploader thread: day files to PostgreSQL (evidence.postgres); the
 * datapath and the local evidence never wait for it.
 */
#include <signal.h>
#include <bpf/libbpf.h>
#include "gf_dlpstat.h"
#include "gf_evpg.h"
#include "gf_log.h"
#include "agent.h"

/* ---------------------------------------------------------------------
 * The uploader: day files to PostgreSQL; the datapath and the local
 * evidence never wait for it.
 */
static void *uploader(void *arg)
{
	struct gf_evpg *u = arg;
	struct gf_evpg_status us;
	sigset_t all;
	char err[512];
	int failing = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (!A.up.stop) {
		int ret = gf_evpg_round(u, err, sizeof(err));

		gf_evpg_status(u, &us);
		gf_dlp_stats_set_upload(A.scan.dlp, &us);
		if (ret && !failing)
			pr_err("evidence upload: %s; the day files in state.dir are the spool (%d days "
			       "pending), trying again every %d s\n", err, us.pending_days, A.up.interval);
		else if (!ret && failing)
			pr_info("evidence upload: caught up (%llu rows sent in all)\n", us.rows);
		failing = ret != 0;
		for (int i = 0; i < A.up.interval * 10 && !A.up.stop; i++)
			usleep(100000);
	}
	gf_evpg_free(u);
	return NULL;
}

void uploader_stop(void)
{
	if (!A.up.on)
		return;
	A.up.stop = 1;
	pthread_join(A.up.thread, NULL);
	A.up.on = 0;
	A.up.conninfo[0] = 0;
}

/* Starts, restarts (another conninfo) or stops the uploader as the configuration says. */
void uploader_sync(const struct gf_config *c)
{
	struct gf_evpg *u;
	char err[512];

	A.up.interval = c->ev_upload_interval;
	if (A.up.on && !strcmp(A.up.conninfo, c->ev_postgres))
		return;
	uploader_stop();
	if (!c->ev_postgres[0] || !A.scan.dlp)
		return;
	if (!gf_dlp_stats_evidence_on_disk(A.scan.dlp)) {
		pr_err("evidence upload: off: the evidence is not kept on disk (see above)\n");
		return;
	}
	if (gf_evpg_new(&u, c->ev_postgres, gf_ev_dir(gf_dlp_stats_evidence(A.scan.dlp)),
			gf_ev_fingerprint(gf_dlp_stats_evidence(A.scan.dlp)), c->state_gid, err, sizeof(err))) {
		pr_err("evidence upload: off: %s\n", err);
		return;
	}
	A.up.stop = 0;
	if (pthread_create(&A.up.thread, NULL, uploader, u)) {
		pr_err("evidence upload: off: cannot start its thread\n");
		gf_evpg_free(u);
		return;
	}
	A.up.on = 1;
	snprintf(A.up.conninfo, sizeof(A.up.conninfo), "%s", c->ev_postgres);
	pr_info("evidence upload: to PostgreSQL every %d s (evidence.postgres)\n", c->ev_upload_interval);
}
