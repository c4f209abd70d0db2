/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus metrics: the text exposition format, rendered on each scrape
 * from the pinned per-CPU maps (summed), the agent's own state (published
 * by the main thread after each reload, copied under a lock), and the
 * sensitive-data statistics.  Served by libmicrohttpd from its own thread,
 * so a scrape never waits on the datapath or a reload, nor they on it.
 */
#ifndef GF_METRICS_H
#define GF_METRICS_H

#include <json-c/json.h>
#include <stddef.h>
#include "geofence.h"
#include "gf_agent_state.h"
#include "gf_config.h"

struct gf_dp;
struct gf_dlp_stats;

#define GF_METRICS_MAX_ATTACH 16
#define GF_METRICS_MAX_EXEMPTIONS 64	/* exemptions shown (the soonest first) */

/* The IPFIX export's figures, published by its thread. */
struct gf_metrics_export {
	unsigned long long flow_records[3];	/* records made: [0] idle, [1] active timeout, [2] forced (stop) */
	unsigned long long flows_evicted;	/* flows the table evicted before their last record */
	struct {
		char url[300];
		unsigned long long messages, records, lost;
		int up;
	} collector[GF_MAX_COLLECTORS];
	int ncollectors;
};

/* What the agent knows about itself; the metrics copy it whole. */
struct gf_metrics_info {
	unsigned long long generation;
	char policy_sha256[65];		/* gf_policy_sha256 of the running generation; "" before one */
	char scope_name[GF_MAX_SCOPES][32];	/* by datapath id: the named scopes' names, "" for none */
	/* AS classes: the AS (0: not an AS class) and the country class of each class */
	__u32 class_asn[GF_NUM_CLASSES];
	__u16 class_cc[GF_NUM_CLASSES];
	unsigned long long reloads[GF_RELOAD_RESULTS];	/* by enum gf_reload_result */
	double last_reload_time;		/* seconds since the epoch; 0: none yet */
	double last_reload_seconds;		/* how long it took */
	double geodb_build_time;		/* newest build_epoch of the sources */
	double geodb_max_age;			/* geoip.max_age_days in seconds */
	unsigned long long ranges[2], table_bytes[2];	/* [0] IPv4, [1] IPv6 */
	/* addresses the tables give to countries, reserved space, overrides, none */
	double addresses[4][2];
	unsigned long long map_bytes;
	struct {
		char ifname[16];
		char hook[8];
		char mode[32];
		int filtered;			/* read back from the kernel */
		unsigned long long changes;	/* link events on it */
	} attach[GF_METRICS_MAX_ATTACH];
	unsigned long long link_events;
	unsigned long long flow_events[2];	/* new-flow events: [0] sent, [1] suppressed by the rate limit */
	struct gf_metrics_export exp;	/* the IPFIX export (geofenced/exporter.c) */
	/* exemptions in force (overrides or scopes' country rules with expires), the soonest first */
	struct {
		char cidr[64], action[40], origin[160];
		char scope[32], country[16];	/* a scope's rule ("CN", "AS13335"): these instead of cidr */
		long long expires;
	} exemption[GF_METRICS_MAX_EXEMPTIONS];
	int nexemptions;
	int nattach;
	double started;
};

#define GF_METRICS_KINDS { "country", "reserved", "override", "unknown" }

struct gf_metrics_opts {
	const char *listen;		/* "127.0.0.1:9847", "[::1]:9847", ":9847" */
	const char *tls_cert, *tls_key;	/* PEM files; both or neither */
	const char *user, *password_file;	/* basic auth; both or neither */
};

struct gf_metrics;

/*
 * Start serving /metrics.  dp and dlp stay the caller's and must outlive
 * the server (dlp may be NULL).  0 or -errno with a message.
 */
int gf_metrics_start(struct gf_metrics **out, const struct gf_metrics_opts *opts, struct gf_dp *dp,
		     struct gf_dlp_stats *dlp, char *err, size_t errlen);
/* Replace the published agent state (main thread, after a reload). */
void gf_metrics_publish(struct gf_metrics *m, const struct gf_metrics_info *info);
void gf_metrics_stop(struct gf_metrics *m);

/*
 * The exposition, as served: a malloc'ed string in *text.  For tests and
 * `geofence metrics`; dp and dlp may be NULL.
 */
int gf_metrics_render(struct gf_dp *dp, const struct gf_metrics_info *info, struct gf_dlp_stats *dlp,
		      char **text, size_t *len);

/* Label value escaping of the exposition format: \ " and newline. */
void gf_metrics_escape(const char *in, char *out, size_t len);

#endif
