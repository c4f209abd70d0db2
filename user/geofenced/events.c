// SPDX-License-Identifier: GPL-2.0
/*
 * The events thread: the first packet of each new flow that is not passed
 * (the datapath's gf_flow_events ring) out as one JSON line with Elastic
 * Common Schema names, to the journal under systemd (else stderr, or
 * syslog), at most events.max_per_second: the rest are suppressed and
 * counted (geofence_flow_events_total{result="suppressed"}).  A reload
 * changes the output and the limit; the thread runs for the agent's life.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <systemd/sd-journal.h>
#include "gf_flows.h"
#include "gf_log.h"
#include "agent.h"

static const char *const output_names[] = { "auto", "the journal", "stderr", "syslog", "nowhere" };
static char hostname[256];

/* The token bucket: per_second tokens a second, a second's worth at most. */
static struct {
	double tokens, last;
} bucket;

static int allowed(void)
{
	double now = mono_s(), rate = __atomic_load_n(&A.events.per_second, __ATOMIC_RELAXED);

	if (!rate)
		return 1;
	bucket.tokens += (now - bucket.last) * rate;
	bucket.last = now;
	if (bucket.tokens > rate)
		bucket.tokens = rate;
	if (bucket.tokens < 1)
		return 0;
	bucket.tokens--;
	return 1;
}

static void emit(const char *line)
{
	switch (__atomic_load_n(&A.events.output, __ATOMIC_RELAXED)) {
	case GF_EVENTS_JOURNAL:
		sd_journal_send("MESSAGE=%s", line, "PRIORITY=%d", LOG_NOTICE, "SYSLOG_IDENTIFIER=geofenced",
				"GEOFENCE_EVENT=flow", NULL);
		break;
	case GF_EVENTS_SYSLOG:
		syslog(LOG_NOTICE, "%s", line);
		break;
	case GF_EVENTS_STDERR:
		fprintf(stderr, "%s\n", line);
		break;
	default:
		break;
	}
}

static int on_event(void *ctx, void *data, size_t len)
{
	const struct gf_flow_event *e = data;
	char ifname[IF_NAMESIZE] = "", *line;

	(void)ctx;
	if (len < sizeof(*e) || __atomic_load_n(&A.events.output, __ATOMIC_RELAXED) == GF_EVENTS_OFF)
		return 0;
	if (!allowed()) {
		__atomic_add_fetch(&A.events.suppressed, 1, __ATOMIC_RELAXED);
		return 0;
	}
	line = gf_flow_event_ecs(e, if_indextoname(e->key.ifindex, ifname) ? ifname : NULL, hostname);
	if (line) {
		emit(line);
		free(line);
		__atomic_add_fetch(&A.events.sent, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static void *events_thread(void *arg)
{
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);	/* signals are the main loop's */
	while (!A.events.stop)
		ring_buffer__poll(A.events.rb, 200);
	ring_buffer__consume(A.events.rb);
	return NULL;
}

/* auto: the journal when systemd started us (it sets JOURNAL_STREAM or INVOCATION_ID), else stderr */
static int resolve(enum gf_events_output o)
{
	if (o != GF_EVENTS_AUTO)
		return o;
	return getenv("JOURNAL_STREAM") || getenv("INVOCATION_ID") ? GF_EVENTS_JOURNAL : GF_EVENTS_STDERR;
}

void events_sync(const struct gf_config *c)
{
	int o = resolve(c->events.output);

	if (o != A.events.output || c->events.max_per_second != A.events.per_second)
		pr_info("flow events (new flows that are not passed) go to %s, at most %u a second%s\n",
			output_names[o], c->events.max_per_second, c->events.max_per_second ? "" : " (no limit)");
	if (o == GF_EVENTS_SYSLOG && A.events.output != GF_EVENTS_SYSLOG)
		openlog("geofenced", LOG_PID, LOG_DAEMON);
	__atomic_store_n(&A.events.output, o, __ATOMIC_RELAXED);
	__atomic_store_n(&A.events.per_second, c->events.max_per_second, __ATOMIC_RELAXED);
}

void events_start(const struct gf_config *c)
{
	gethostname(hostname, sizeof(hostname) - 1);
	A.events.output = -1;
	events_sync(c);
	bucket.last = mono_s();
	bucket.tokens = c->events.max_per_second;
	A.events.rb = ring_buffer__new(gf_dp_flow_events_fd(A.dp), on_event, NULL, NULL);
	if (!A.events.rb || pthread_create(&A.events.thread, NULL, events_thread, NULL)) {
		pr_err("flow events are off: cannot read their ring: %s\n", strerror(errno));
		ring_buffer__free(A.events.rb);
		A.events.rb = NULL;
	}
}

void events_stop(void)
{
	if (!A.events.rb)
		return;
	A.events.stop = 1;
	pthread_join(A.events.thread, NULL);
	ring_buffer__free(A.events.rb);
	A.events.rb = NULL;
}
