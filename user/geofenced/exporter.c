// SPDX-License-Identifier: GPL-2.0
/*
 * The exporter thread: the datapath's flow table (gf_flows) as IPFIX
 * records to the collectors of flows.collectors.  A pass a second
 * (gf_export: what a record carries and when, docs/ipfix.md); at a stop,
 * or when a reload removes every collector, a forced pass: every flow's
 * difference goes out and its entry leaves the table, which outlives the
 * agent, so the next agent sends only what no record carried.  Entries
 * leave the table only while collectors are named: without them flows
 * stay until the LRU evicts them, for `geofence top`.  A collector that
 * is down or slow costs records (counted per collector), never time: the
 * sockets do not block.  A reload keeps the collectors still named.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "gf_export.h"
#include "gf_log.h"
#include "gf_metrics.h"
#include "agent.h"

#define TICK_MS 1000	/* a pass a second; passes three times their time apart at most (a million flows: 0.9 s) */

static struct {
	pthread_mutex_t lock;		/* want, changed and the stats copy */
	struct gf_flows_cfg want;	/* the configuration in force */
	int changed;
	struct gf_export ex;		/* the thread's own (the main thread's before it starts, after it ends) */
	pthread_t thread;
	int running;
	volatile int stop;
	/* for /metrics, under lock */
	struct gf_metrics_export pub;
} E = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* bpf_ktime_get_coarse_ns()'s clock */
static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int same_collectors(const struct gf_flows_cfg *a, const struct gf_flows_cfg *b)
{
	if (a->ncollectors != b->ncollectors || a->observation_domain != b->observation_domain)
		return 0;
	for (int i = 0; i < a->ncollectors; i++)
		if (strcmp(a->collector[i], b->collector[i]))
			return 0;
	return 1;
}

/* The configured collectors: ones kept keep their sequence numbers and counts. */
static void reconcile(const struct gf_flows_cfg *w)
{
	static __u32 opened_domain;	/* what the open collectors were opened with */
	struct gf_ipfix *keep[GF_MAX_COLLECTORS] = { 0 };
	char err[512];

	for (int i = 0; i < w->ncollectors; i++)
		for (int j = 0; j < E.ex.nx; j++)
			if (E.ex.x[j] && !strcmp(gf_ipfix_url(E.ex.x[j]), w->collector[i]) &&
			    w->observation_domain == opened_domain) {
				keep[i] = E.ex.x[j];
				E.ex.x[j] = NULL;
			}
	for (int j = 0; j < E.ex.nx; j++)
		if (E.ex.x[j]) {
			pr_info("flow export: %s removed\n", gf_ipfix_url(E.ex.x[j]));
			gf_ipfix_close(E.ex.x[j]);
		}
	E.ex.nx = 0;
	for (int i = 0; i < w->ncollectors; i++) {
		if (!keep[i] && gf_ipfix_open(&keep[i], w->collector[i], w->observation_domain, err, sizeof(err))) {
			pr_err("flow export: %s\n", err);
			continue;
		}
		E.ex.x[E.ex.nx++] = keep[i];
	}
	opened_domain = w->observation_domain;
	if (!E.ex.nx)
		gf_export_forget(&E.ex);
}

static void log_config(const struct gf_flows_cfg *w)
{
	char list[GF_MAX_COLLECTORS * 302] = "";
	size_t n = 0;

	if (!w->ncollectors) {
		pr_info("flow export off (no flows.collectors)\n");
		return;
	}
	for (int i = 0; i < w->ncollectors; i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", w->collector[i]);
	pr_info("flow export: IPFIX to %s, observation domain %u; a record every %u s of a flow, "
		"flows end after %u s idle\n", list, w->observation_domain, w->active_timeout, w->idle_timeout);
}

static void pass(int forced)
{
	int ret = gf_export_pass(&E.ex, gf_dp_flows_fd(A.dp), mono_ns(), forced);

	if (ret)
		pr_err("flow export: cannot read the flow table: %s\n", strerror(-ret));
}

static void publish_stats(void)
{
	struct gf_metrics_export p = { .flows_evicted = E.ex.evicted, .ncollectors = E.ex.nx };
	struct gf_ipfix_stats st;

	memcpy(p.flow_records, E.ex.records, sizeof(p.flow_records));
	for (int i = 0; i < E.ex.nx; i++) {
		gf_ipfix_stats(E.ex.x[i], &st);
		snprintf(p.collector[i].url, sizeof(p.collector[i].url), "%s", gf_ipfix_url(E.ex.x[i]));
		p.collector[i].messages = st.messages;
		p.collector[i].records = st.records;
		p.collector[i].lost = st.lost;
		p.collector[i].up = st.connected;
	}
	pthread_mutex_lock(&E.lock);
	E.pub = p;
	pthread_mutex_unlock(&E.lock);
}

/* The configuration a reload left, taken between two passes. */
static void take_changes(void)
{
	struct gf_flows_cfg w;
	int changed;

	pthread_mutex_lock(&E.lock);
	w = E.want;
	changed = E.changed;
	E.changed = 0;
	pthread_mutex_unlock(&E.lock);
	E.ex.active_ns = w.active_timeout * 1000000000ull;
	E.ex.idle_ns = w.idle_timeout * 1000000000ull;
	if (!changed)
		return;
	if (!w.ncollectors && E.ex.nx) {
		/* export ends: what the table holds goes out now, as at a stop */
		pass(1);
	}
	reconcile(&w);
}

static void *exporter_thread(void *arg)
{
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);	/* signals are the main loop's */
	while (!E.stop) {
		__u64 t0 = mono_ns(), wait = TICK_MS * 1000000ull;

		take_changes();
		if (E.ex.nx)
			pass(0);
		publish_stats();
		if (3 * (mono_ns() - t0) > wait)
			wait = 3 * (mono_ns() - t0);	/* a big table: the thread takes a third of a core at most */
		for (__u64 t = mono_ns(); !E.stop && t - t0 < wait; t = mono_ns())
			usleep(50000);
	}
	return NULL;
}

void exporter_sync(const struct gf_config *c)
{
	static int logged;
	int start;

	pthread_mutex_lock(&E.lock);
	if (!same_collectors(&E.want, &c->flows) || E.want.active_timeout != c->flows.active_timeout ||
	    E.want.idle_timeout != c->flows.idle_timeout || !logged)
		log_config(&c->flows);
	logged = 1;
	if (!same_collectors(&E.want, &c->flows))
		E.changed = 1;
	E.want = c->flows;
	start = !E.running && c->flows.ncollectors && c->flows.enabled;
	pthread_mutex_unlock(&E.lock);
	if (!start)
		return;
	take_changes();
	E.running = !pthread_create(&E.thread, NULL, exporter_thread, NULL);
	if (!E.running)
		pr_err("flow export is off: cannot start its thread: %s\n", strerror(errno));
}

void exporter_metrics(struct gf_metrics_info *in)
{
	pthread_mutex_lock(&E.lock);
	in->exp = E.pub;
	pthread_mutex_unlock(&E.lock);
}

/* Every flow's difference goes out (forced end), for up to 2 s while collectors take it. */
void exporter_stop(void)
{
	if (!E.running)
		return;
	E.stop = 1;
	pthread_join(E.thread, NULL);
	E.running = 0;
	if (E.ex.nx) {
		__u64 t0 = mono_ns();
		size_t left;

		pass(1);
		do {
			left = 0;
			for (int i = 0; i < E.ex.nx; i++) {
				gf_ipfix_flush(E.ex.x[i]);
				left += gf_ipfix_pending(E.ex.x[i]);
			}
		} while (left && mono_ns() - t0 < 2000000000ull && !usleep(20000));
		pr_info("flow export: %llu records at stop%s\n", E.ex.records[2], left ? "; some could not go out" : "");
	}
	for (int i = 0; i < E.ex.nx; i++)
		gf_ipfix_close(E.ex.x[i]);
	E.ex.nx = 0;
	gf_export_forget(&E.ex);
}
