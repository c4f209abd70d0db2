// SPDX-License-Identifier: GPL-2.0
/*
 * The scanner thread: samples in from the ring, counts and estimates out
 * (dlp.json), the evidence written every evidence.write_interval.
 */
#include <errno.h>
#include <signal.h>
#include <bpf/libbpf.h>
#include "gf_dlpstat.h"
#include "gf_log.h"
#include "gf_state.h"
#include "agent.h"

/* ---------------------------------------------------------------------
 * The scanner thread: samples in, counts and estimates out (dlp.json)
 */
static int on_sample(void *ctx, void *data, size_t len)
{
	(void)ctx;
	gf_dlp_stats_sample(A.scan.dlp, data, len, time(NULL));
	return 0;
}

static gid_t dlp_gid = (gid_t)-1;	/* state.group at start, for the scanner thread */
/* what the evidence was opened with: a reload cannot change it */
static struct {
	char state_dir[PATH_MAX];
	int has_key, write_interval;
	__u8 key[16];
} ev_start;

void restart_only_check(const struct gf_config *c)
{
	__u32 c4, c6;

	gf_dp_capacity(A.dp, &c4, &c6);
	if ((c->node4_cap && c->node4_cap != c4) || (c->node6_cap && c->node6_cap != c6))
		pr_warn("state.ipv4_nodes/ipv6_nodes ask for %u/%u nodes, the running maps hold %u/%u: "
			"the change takes effect when the agent restarts (it migrates the datapath to "
			"new maps then, without a gap)\n", c->node4_cap ?: c4, c->node6_cap ?: c6, c4, c6);
	if (c->flows.max_entries && c->flows.max_entries != gf_dp_flows_capacity(A.dp))
		pr_warn("flows.max_entries asks for %u flows, the running table holds %u: the change "
			"takes effect when the agent restarts (it migrates the datapath then, without a "
			"gap)\n", c->flows.max_entries, gf_dp_flows_capacity(A.dp));
	if (strcmp(c->state_dir, ev_start.state_dir))
		pr_warn("state.dir changed to %s: the evidence stays in %s until the agent restarts\n",
			c->state_dir, ev_start.state_dir);
	if (c->sampling.has_key != ev_start.has_key ||
	    (c->sampling.has_key && memcmp(c->sampling.key, ev_start.key, 16)))
		pr_warn("sampling.key changed: the running key stays until the agent restarts; then the "
			"evidence of the old key is set aside (never merged with the new): restore the "
			"key unless that is meant\n");
}

static void write_dlp(const char *run_dir)
{
	struct gf_counter r[GF_REASON_MAX], t[GF_REASON_MAX];
	json_object *o;

	gf_dp_reason_stats(A.dp, GF_HOOK_XDP, r);
	gf_dp_reason_stats(A.dp, GF_HOOK_TC, t);
	gf_dlp_stats_set_lost(A.scan.dlp, r[GF_REASON_SAMPLE_LOST].packets + t[GF_REASON_SAMPLE_LOST].packets +
				      r[GF_REASON_SAMPLE_CAPPED].packets + t[GF_REASON_SAMPLE_CAPPED].packets,
			      time(NULL));
	o = gf_dlp_stats_json(A.scan.dlp, time(NULL));
	gf_json_write(run_dir, GF_DLP_FILE, o, dlp_gid);
	json_object_put(o);
}

static int evidence_write_seconds = 10;	/* evidence.write_interval: what a crash can lose */

static void *scanner(void *arg)
{
	char run_dir[PATH_MAX];
	time_t last = 0, last_flush = time(NULL);
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);	/* signals are the main loop's */
	snprintf(run_dir, sizeof(run_dir), "%s", (const char *)arg);
	while (!A.scan.stop) {
		/*
		 * The datapath wakes us when the ring is a quarter full; else every
		 * 100 ms.  A timeout has no event: consume anyway.
		 */
		ring_buffer__poll(A.scan.rb, 100);
		ring_buffer__consume(A.scan.rb);
		if (time(NULL) != last) {
			last = time(NULL);
			write_dlp(run_dir);
		}
		if (time(NULL) - last_flush >= evidence_write_seconds) {
			last_flush = time(NULL);
			gf_dlp_stats_flush(A.scan.dlp);
		}
	}
	ring_buffer__consume(A.scan.rb);
	gf_dlp_stats_flush(A.scan.dlp);
	write_dlp(run_dir);
	return NULL;
}

void scanner_start(const struct gf_config *c)
{
	static char run_dir[PATH_MAX];
	char err[512];
	int ret;

	struct gf_evidence *ev = NULL;
	char everr[512] = "";

	snprintf(run_dir, sizeof(run_dir), "%s", c->run_dir);
	dlp_gid = c->state_gid;
	evidence_write_seconds = c->ev_write_interval;
	snprintf(ev_start.state_dir, sizeof(ev_start.state_dir), "%s", c->state_dir);
	ev_start.has_key = c->sampling.has_key;
	memcpy(ev_start.key, c->sampling.key, 16);
	ret = gf_ev_open(&ev, c->state_dir, c->sampling.has_key ? c->sampling.key : NULL,
			 c->evidence_days, c->state_gid, everr, sizeof(everr));
	if (ret) {
		pr_err("evidence: not kept on disk: %s; the counts live in memory until the agent "
		       "stops\n", everr);
		ret = gf_ev_open(&ev, NULL, c->sampling.has_key ? c->sampling.key : NULL, 0,
				 c->state_gid, err, sizeof(err));
		if (ret) {
			pr_err("the sensitive-data scanner is off: %s\n", err);
			return;
		}
	} else {
		struct gf_ev_status es;

		gf_ev_status(ev, &es);
		pr_info("evidence: %d day files (%llu bytes) in %s, hash key %s (fingerprint %016llx), "
			"written every %d s\n", es.files, (unsigned long long)es.bytes, gf_ev_dir(ev),
			es.key_source, (unsigned long long)gf_ev_fingerprint(ev), evidence_write_seconds);
	}
	ret = gf_dlp_stats_new(&A.scan.dlp, &c->sampling, ev, err, sizeof(err));
	if (ret) {
		pr_err("the sensitive-data scanner is off: %s\n", err);
		gf_ev_close(ev);
		return;
	}
	if (everr[0])
		gf_dlp_stats_set_evidence_error(A.scan.dlp, everr);
	A.scan.rb = ring_buffer__new(gf_dp_samples_fd(A.dp), on_sample, NULL, NULL);
	if (!A.scan.rb || pthread_create(&A.scan.thread, NULL, scanner, run_dir)) {
		pr_err("the sensitive-data scanner is off: cannot read the sample ring: %s\n",
		       strerror(errno));
		ring_buffer__free(A.scan.rb);
		A.scan.rb = NULL;
		gf_dlp_stats_free(A.scan.dlp);
		A.scan.dlp = NULL;
		return;
	}
	if (c->sampling.rate || c->sampling.monitor_rate)
		pr_info("sampling 1 in %u of passed packets, 1 in %u of monitored ones (%u bytes each; "
			"0 = off) for the sensitive-data scanner; reports in %s/%s\n", c->sampling.rate,
			c->sampling.monitor_rate, c->sampling.bytes, run_dir, GF_DLP_FILE);
}


void scanner_stop(void)
{
	if (!A.scan.rb)
		return;
	A.scan.stop = 1;
	pthread_join(A.scan.thread, NULL);
	ring_buffer__free(A.scan.rb);
	gf_dlp_stats_free(A.scan.dlp);
	A.scan.rb = NULL;
	A.scan.dlp = NULL;
}
