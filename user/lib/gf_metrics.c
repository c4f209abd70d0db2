// SPDX-License-Identifier: GPL-2.0
/*
 * /metrics in the Prometheus text exposition format (version 0.0.4).
 *
 * One family per # HELP / # TYPE pair, counters end in _total, units are
 * base units (bytes, seconds).  Series with a zero counter are left out:
 * 250 countries x 4 verdicts x 2 hooks would otherwise be 2,000 series of
 * zeros per gateway.  Labels are low-cardinality: country (a class name:
 * ISO code, "unknown", "reserved", "override:N"), verdict, hook, reason,
 * category, interface; never an address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include "gf_datapath.h"
#include "gf_dlp.h"
#include "gf_dlpstat.h"
#include "gf_metrics.h"
#include "gf_names.h"
#include "gf_ranges.h"
#include "gf_state.h"

#ifndef GF_VERSION
#define GF_VERSION "unknown"
#endif

/*
 * Slow clients.  libmicrohttpd's own timeout is an idle timeout that every
 * byte resets: a client sending a header line every few seconds would hold
 * its connection forever.  So the server (internal epoll: a connection costs
 * a socket and a small pool, not a thread) takes many connections, at most
 * GF_METRICS_PER_IP from one address, and a reaper thread shuts down every
 * connection whose request has not been answered GF_METRICS_DEADLINE_S
 * seconds after it began (or after the previous answer, on a kept-alive
 * connection): libmicrohttpd then sees end of file and closes it.
 */
#define GF_METRICS_CONNECTIONS	1000
#define GF_METRICS_PER_IP	8
#define GF_METRICS_DEADLINE_S	5.0
#define GF_METRICS_IDLE_S	5u

struct conn {
	struct conn *prev, *next;
	int fd;
	int shut;
	double deadline;	/* monotonic seconds */
};

struct gf_metrics {
	struct MHD_Daemon *d;
	struct gf_dp *dp;
	struct gf_dlp_stats *dlp;
	pthread_mutex_t lock;		/* info, scrape figures */
	struct gf_metrics_info info;
	double last_scrape_seconds;
	unsigned long long scrapes;
	char *user, *password;		/* basic auth */
	char *cred;			/* "user:password", as the Authorization header carries it */
	size_t cred_len;
	char *cert, *key;		/* PEM, for MHD */
	/* the reaper: connections by deadline */
	pthread_mutex_t conns_lock;
	pthread_cond_t stop_cond;
	pthread_t reaper;
	int reaper_running, stopping;
	struct conn conns;		/* list head */
	unsigned long long reaped;
};

void gf_metrics_escape(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 3 < len; in++) {
		if (*in == '\\' || *in == '"') {
			out[n++] = '\\';
			out[n++] = *in;
		} else if (*in == '\n') {
			out[n++] = '\\';
			out[n++] = 'n';
		} else {
			out[n++] = *in;
		}
	}
	out[n] = '\0';
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The named scopes' counters, [hook][scope][class], from gf_scope_stats. */
static void add_scoped(void *ctx, int hook, int scope, int cls, const struct gf_class_counters *c)
{
	struct gf_class_counters *sc = ctx;

	sc[((size_t)hook * GF_MAX_SCOPES + scope) * GF_NUM_CLASSES + cls] = *c;
}

/*
 * Packets and bytes by country, verdict, hook and scope: a named scope's
 * from its counters, the default scope's the rest of the class's.  The
 * scope label only names scopes in force (bounded by the configuration):
 * the traffic of a scope that is gone stays out of "default".
 */
static void datapath_families(FILE *f, struct gf_dp *dp, const struct gf_metrics_info *in)
{
	struct gf_class_counters *cc = calloc(GF_HOOK_MAX * GF_NUM_CLASSES, sizeof(*cc));
	struct gf_class_counters *sc = calloc((size_t)GF_HOOK_MAX * GF_MAX_SCOPES * GF_NUM_CLASSES, sizeof(*sc));
	struct gf_counter rs[GF_HOOK_MAX][GF_REASON_MAX];
	char name[32], asl[32];

	if (!cc || !sc) {
		free(cc);
		free(sc);
		return;
	}
	for (int h = 0; h < GF_HOOK_MAX; h++) {
		gf_dp_class_stats(dp, h, cc + h * GF_NUM_CLASSES);
		gf_dp_reason_stats(dp, h, rs[h]);
	}
	gf_dp_scope_stats_each(dp, add_scoped, sc);
	for (int bytes = 0; bytes < 2; bytes++) {
		const char *fam = bytes ? "geofence_bytes_total" : "geofence_packets_total";

		family(f, fam, "counter", bytes ?
		       "Bytes of the packets the datapath classified, by destination country, verdict, hook and source scope." :
		       "Packets the datapath classified, by destination country, verdict, hook (xdp: from the LAN; tc: sent by the gateway) and source scope.");
		for (int h = 0; h < GF_HOOK_MAX; h++)
			for (int c = 0; c < GF_NUM_CLASSES; c++)
				for (int v = 0; v < GF_VERDICT_MAX; v++) {
					const struct gf_counter *k = &cc[h * GF_NUM_CLASSES + c].v[v];
					unsigned long long rest = bytes ? k->bytes : k->packets;

					if (!k->packets)
						continue;
					/* an AS class: its country, and the AS as a label of its own */
					asl[0] = 0;
					if (in && in->class_asn[c]) {
						gf_class_name(in->class_cc[c], name, sizeof(name));
						snprintf(asl, sizeof(asl), ",as=\"AS%u\"", in->class_asn[c]);
					} else {
						gf_class_name(c, name, sizeof(name));
					}
					for (unsigned s = 1; s < GF_MAX_SCOPES; s++) {
						const struct gf_counter *x =
							&sc[((size_t)h * GF_MAX_SCOPES + s) * GF_NUM_CLASSES + c].v[v];
						unsigned long long n = bytes ? x->bytes : x->packets;

						rest -= n < rest ? n : rest;
						if (!in || !in->scope_name[s][0] || !x->packets)
							continue;
						fprintf(f, "%s{country=\"%s\"%s,verdict=\"%s\",hook=\"%s\",scope=\"%s\"} %llu\n",
							fam, name, asl, gf_verdict_name(v), gf_hook_name(h), in->scope_name[s], n);
					}
					fprintf(f, "%s{country=\"%s\"%s,verdict=\"%s\",hook=\"%s\",scope=\"default\"} %llu\n",
						fam, name, asl, gf_verdict_name(v), gf_hook_name(h), rest);
				}
	}
	free(sc);
	family(f, "geofence_parse_events_total", "counter",
	       "Packets the parser noted: tags, options, fragments, malformed headers (dropped), redirect failures, samples.");
	for (int h = 0; h < GF_HOOK_MAX; h++)
		for (int r = 0; r < GF_REASON_MAX; r++)
			if (rs[h][r].packets)
				fprintf(f, "geofence_parse_events_total{reason=\"%s\",hook=\"%s\"} %llu\n",
					gf_reason_name(r), gf_hook_name(h), (unsigned long long)rs[h][r].packets);
	family(f, "geofence_samples_total", "counter",
	       "Payload samples of passed traffic: taken (sent to the agent), ring_full or capped (skipped: "
	       "the ring was full, or past sampling.max_per_second; the packet went on).");
	fprintf(f, "geofence_samples_total{result=\"taken\"} %llu\n",
		(unsigned long long)(rs[0][GF_REASON_SAMPLED].packets + rs[1][GF_REASON_SAMPLED].packets));
	fprintf(f, "geofence_samples_total{result=\"ring_full\"} %llu\n",
		(unsigned long long)(rs[0][GF_REASON_SAMPLE_LOST].packets + rs[1][GF_REASON_SAMPLE_LOST].packets));
	fprintf(f, "geofence_samples_total{result=\"capped\"} %llu\n",
		(unsigned long long)(rs[0][GF_REASON_SAMPLE_CAPPED].packets + rs[1][GF_REASON_SAMPLE_CAPPED].packets));
	free(cc);
}

static double num(json_object *e, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(e, key, &v) ? json_object_get_double(v) : 0.0;
}

/*
 * One family of the statistics' cells: one series per (category, country),
 * the value from key; with bounds, three per cell (bound="lower", "point",
 * "upper"), their values from the keys in bounds[].
 */
static void cell_family(FILE *f, json_object *cells, const char *name, const char *type, const char *help,
			const char *key, const char *const bounds[3])
{
	static const char *const bound_name[3] = { "lower", "point", "upper" };
	char cls[64];

	family(f, name, type, help);
	for (size_t i = 0; cells && i < json_object_array_length(cells); i++) {
		json_object *e = json_object_array_get_idx(cells, i);

		gf_metrics_escape(gf_state_str(e, "class") ?: "", cls, sizeof(cls));
		if (!bounds) {
			fprintf(f, "%s{category=\"%s\",country=\"%s\"} %.15g\n", name,
				gf_state_str(e, "category"), cls, num(e, key));
			continue;
		}
		for (int b = 0; b < 3; b++)
			fprintf(f, "%s{category=\"%s\",country=\"%s\",unit=\"%s\",bound=\"%s\"} %.15g\n",
				name, gf_state_str(e, "category"), cls, gf_state_str(e, "unit"),
				bound_name[b], num(e, bounds[b]));
	}
}

static void evidence_families(FILE *f, json_object *o)
{
	json_object *ev = json_object_object_get_ex(o, "evidence", &ev) ? ev : NULL, *rej;

	if (!ev)
		return;
	family(f, "geofence_evidence_kept", "gauge",
	       "1 when the evidence is written to state.dir; 0 when it lives in memory only (see the log).");
	fprintf(f, "geofence_evidence_kept %d\n", json_object_get_boolean(json_object_object_get(ev, "kept")) &&
		!json_object_get_boolean(json_object_object_get(ev, "write_failing")));
	family(f, "geofence_evidence_files", "gauge", "Day files of evidence in state.dir.");
	fprintf(f, "geofence_evidence_files %lld\n", gf_state_int(ev, "files"));
	family(f, "geofence_evidence_bytes", "gauge", "Bytes of the evidence day files.");
	fprintf(f, "geofence_evidence_bytes %lld\n", gf_state_int(ev, "bytes"));
	family(f, "geofence_evidence_write_errors_total", "counter", "Evidence day files that could not be written.");
	fprintf(f, "geofence_evidence_write_errors_total %lld\n", gf_state_int(ev, "write_errors"));
	family(f, "geofence_evidence_write_seconds", "gauge", "How long the last evidence write took.");
	fprintf(f, "geofence_evidence_write_seconds %.6f\n", num(ev, "last_write_seconds"));
	family(f, "geofence_evidence_rejected_files", "gauge",
	       "Evidence files that did not load at start (corrupt, another version or key) and were set aside.");
	rej = json_object_object_get_ex(ev, "rejected", &rej) ? rej : NULL;
	fprintf(f, "geofence_evidence_rejected_files %zu\n", rej ? json_object_array_length(rej) : 0);
	if (json_object_object_get_ex(ev, "upload", &rej)) {
		family(f, "geofence_evidence_upload_pending_days", "gauge",
		       "Day files not yet acknowledged by PostgreSQL (the spool).");
		fprintf(f, "geofence_evidence_upload_pending_days %lld\n", gf_state_int(rej, "pending_days"));
		family(f, "geofence_evidence_upload_failing", "gauge", "1 while uploads to PostgreSQL fail.");
		fprintf(f, "geofence_evidence_upload_failing %d\n",
			json_object_get_boolean(json_object_object_get(rej, "failing")));
		family(f, "geofence_evidence_upload_rows_total", "counter", "Rows upserted into PostgreSQL.");
		fprintf(f, "geofence_evidence_upload_rows_total %lld\n", gf_state_int(rej, "rows"));
		family(f, "geofence_evidence_upload_bytes_total", "counter",
		       "Bytes of row values sent to PostgreSQL (protocol overhead aside).");
		fprintf(f, "geofence_evidence_upload_bytes_total %lld\n", gf_state_int(rej, "bytes"));
		family(f, "geofence_evidence_upload_last_success_timestamp_seconds", "gauge",
		       "When PostgreSQL last acknowledged an upload (Unix time; 0: never).");
		fprintf(f, "geofence_evidence_upload_last_success_timestamp_seconds %.0f\n", num(rej, "last_ok"));
	}
}

/* Sampled bytes per destination by what the scanner can make of them (gf_services "payloads"). */
static void payload_family(FILE *f, json_object *o)
{
	static const char *const kinds[] = { "readable", "tls", "quic", "opaque" };
	json_object *pl;
	char cls[64];

	family(f, "geofence_sampled_payload_bytes_total", "counter",
	       "Sampled payload bytes per destination country by kind: readable by the scanner, or not: TLS, "
	       "QUIC, opaque (encrypted or compressed). 1 - readable / all is how blind the scanner is there.");
	if (!json_object_object_get_ex(o, "payloads", &pl))
		return;
	for (size_t i = 0; i < json_object_array_length(pl); i++) {
		json_object *e = json_object_array_get_idx(pl, i);

		gf_metrics_escape(gf_state_str(e, "class") ?: "", cls, sizeof(cls));
		for (int k = 0; k < 4; k++)
			fprintf(f, "geofence_sampled_payload_bytes_total{country=\"%s\",payload=\"%s\"} %lld\n", cls,
				kinds[k], gf_state_int(e, kinds[k]));
	}
}

static void dlp_families(FILE *f, struct gf_dlp_stats *dlp)
{
	json_object *o = gf_dlp_stats_json(dlp, time(NULL)), *cells, *alerts;
	char cls[64];

	family(f, "geofence_samples_scanned_total", "counter", "Payload samples the agent scanned.");
	fprintf(f, "geofence_samples_scanned_total %lld\n", gf_state_int(o, "samples"));
	family(f, "geofence_sampled_bytes_total", "counter", "Payload bytes the agent scanned.");
	fprintf(f, "geofence_sampled_bytes_total %lld\n", gf_state_int(o, "sampled_bytes"));
	payload_family(f, o);
	cells = json_object_object_get_ex(o, "cells", &cells) ? cells : NULL;
	cell_family(f, cells, "geofence_sensitive_matches_total", "counter",
		    "Validated sensitive-data matches in the samples since the agent started, by category and "
		    "destination country.", "matches_since_start", NULL);
	cell_family(f, cells, "geofence_sensitive_packets", "gauge",
		    "Sampled packets that carried a validated value over the window (sampling.window_days), by "
		    "category and destination.", "matches", NULL);
	{
		static const char *const est[3] = { "lower", "point", "upper" };
		static const char *const ratio[3] = { "lower_share", "share_of_threshold", "upper_share" };

		cell_family(f, cells, "geofence_sensitive_distinct", "gauge",
			    "Distinct values (US persons; devices for precise geolocation) behind the samples "
			    "over the window: the lower bound the data proves, the point estimate, the upper bound.",
			    NULL, est);
		cell_family(f, cells, "geofence_bulk_threshold_ratio", "gauge",
			    "Each bound as a share of the category's bulk threshold (1 = at the threshold).",
			    NULL, ratio);
	}
	evidence_families(f, o);
	alerts = json_object_object_get_ex(o, "alerts", &alerts) ? alerts : NULL;
	family(f, "geofence_bulk_alerts_total", "counter",
	       "Bulk-threshold alerts raised, by category, destination country and level (warning, exceeded).");
	for (size_t i = 0; alerts && i < json_object_array_length(alerts); i++) {
		json_object *e = json_object_array_get_idx(alerts, i);
		int dup = 0;

		/* one series per (category, country, level): count the alerts behind it */
		for (size_t j = 0; j < i && !dup; j++) {
			json_object *g = json_object_array_get_idx(alerts, j);

			dup = !strcmp(gf_state_str(g, "category"), gf_state_str(e, "category")) &&
			      !strcmp(gf_state_str(g, "class"), gf_state_str(e, "class")) &&
			      !strcmp(gf_state_str(g, "level"), gf_state_str(e, "level"));
		}
		if (dup)
			continue;
		long long n = 0;

		for (size_t j = i; j < json_object_array_length(alerts); j++) {
			json_object *g = json_object_array_get_idx(alerts, j);

			n += !strcmp(gf_state_str(g, "category"), gf_state_str(e, "category")) &&
			     !strcmp(gf_state_str(g, "class"), gf_state_str(e, "class")) &&
			     !strcmp(gf_state_str(g, "level"), gf_state_str(e, "level"));
		}
		gf_metrics_escape(gf_state_str(e, "class") ?: "", cls, sizeof(cls));
		fprintf(f, "geofence_bulk_alerts_total{category=\"%s\",country=\"%s\",level=\"%s\"} %lld\n",
			gf_state_str(e, "category"), cls, gf_state_str(e, "level"), n);
	}
	json_object_put(o);
}

static void collector_families(FILE *f, const struct gf_metrics_info *in);

/* Exemptions in force: when each ends, and how long until then (GeofenceExemptionExpiring). */
static void exemption_families(FILE *f, const struct gf_metrics_info *in)
{
	char c[160], a[96], o[400];
	long long now = time(NULL);

	if (!in->nexemptions)
		return;
	for (int pass = 0; pass < 2; pass++) {
		family(f, pass ? "geofence_exemption_expires_in_seconds" : "geofence_exemption_expiry_timestamp_seconds",
		       "gauge", pass ? "Seconds until each exemption in force ends (negative: overdue, a reload "
				       "that would end it was rejected)."
				     : "When each exemption in force (an override or a scope's rule with expires) ends, Unix time.");
		for (int i = 0; i < in->nexemptions; i++) {
			gf_metrics_escape(in->exemption[i].cidr, c, sizeof(c));
			gf_metrics_escape(in->exemption[i].action, a, sizeof(a));
			gf_metrics_escape(in->exemption[i].origin, o, sizeof(o));
			fprintf(f, "%s{", pass ? "geofence_exemption_expires_in_seconds" :
					     "geofence_exemption_expiry_timestamp_seconds");
			if (in->exemption[i].scope[0])
				fprintf(f, "scope=\"%s\",country=\"%s\"", in->exemption[i].scope, in->exemption[i].country);
			else
				fprintf(f, "cidr=\"%s\"", c);
			fprintf(f, ",action=\"%s\",origin=\"%s\"} %lld\n", a, o,
				pass ? in->exemption[i].expires - now : in->exemption[i].expires);
		}
	}
}

static void agent_families(FILE *f, const struct gf_metrics_info *in)
{
	char a[64], b[64], c[64];

	family(f, "geofence_reloads_total", "counter", "Policy reloads (start included), by result: applied, applied_with_errors (in force, an interface did not take it), rejected (nothing changed).");
	for (int r = 0; r < GF_RELOAD_RESULTS; r++)
		fprintf(f, "geofence_reloads_total{result=\"%s\"} %llu\n", gf_reload_result_names[r],
			in->reloads[r]);
	family(f, "geofence_policy_generation", "gauge", "Generations installed in the datapath since the maps were created.");
	fprintf(f, "geofence_policy_generation %llu\n", in->generation);
	if (in->policy_sha256[0]) {
		family(f, "geofence_policy_info", "gauge",
		       "The running policy's identity: SHA-256 of what decides verdicts (actions per class, "
		       "overrides, redirect targets), not of the files; the fleet's majority is the norm "
		       "(GeofencePolicyDrift).");
		fprintf(f, "geofence_policy_info{sha256=\"%s\",generation=\"%llu\"} 1\n", in->policy_sha256,
			in->generation);
	}
	family(f, "geofence_last_reload_timestamp_seconds", "gauge", "When the running policy was installed (Unix time).");
	fprintf(f, "geofence_last_reload_timestamp_seconds %.3f\n", in->last_reload_time);
	family(f, "geofence_last_reload_duration_seconds", "gauge", "How long the last reload took.");
	fprintf(f, "geofence_last_reload_duration_seconds %.6f\n", in->last_reload_seconds);
	family(f, "geofence_geodb_build_timestamp_seconds", "gauge",
	       "Build time of the newest GeoIP source in use (Unix time); alert when it gets old.");
	fprintf(f, "geofence_geodb_build_timestamp_seconds %.0f\n", in->geodb_build_time);
	family(f, "geofence_geodb_max_age_seconds", "gauge",
	       "How old the GeoIP data may be before it is stale (geoip.max_age_days).");
	fprintf(f, "geofence_geodb_max_age_seconds %.0f\n", in->geodb_max_age);
	family(f, "geofence_table_ranges", "gauge", "Address ranges in the running world table, by family.");
	fprintf(f, "geofence_table_ranges{family=\"ipv4\"} %llu\ngeofence_table_ranges{family=\"ipv6\"} %llu\n",
		in->ranges[0], in->ranges[1]);
	family(f, "geofence_table_bytes", "gauge", "Bytes of the running world table, by family.");
	fprintf(f, "geofence_table_bytes{family=\"ipv4\"} %llu\ngeofence_table_bytes{family=\"ipv6\"} %llu\n",
		in->table_bytes[0], in->table_bytes[1]);
	family(f, "geofence_table_addresses", "gauge",
	       "Addresses the running tables give to any country, to reserved space, to overrides, "
	       "and to none (unknown), by family; a rise of unknown means the data lost coverage.");
	{
		static const char *const kinds[] = GF_METRICS_KINDS;

		for (int k = 0; k < 4; k++)
			for (int fm = 0; fm < 2; fm++)
				fprintf(f, "geofence_table_addresses{family=\"%s\",kind=\"%s\"} %.17g\n",
					fm ? "ipv6" : "ipv4", kinds[k], in->addresses[k][fm]);
	}
	family(f, "geofence_map_bytes", "gauge", "Bytes of every BPF map of the datapath (two generations, counters).");
	fprintf(f, "geofence_map_bytes %llu\n", in->map_bytes);
	family(f, "geofence_attach_info", "gauge",
	       "Where the datapath is attached: interface, hook and mode (native/generic, single/multi, tc).");
	for (int i = 0; i < in->nattach; i++) {
		gf_metrics_escape(in->attach[i].ifname, a, sizeof(a));
		gf_metrics_escape(in->attach[i].hook, b, sizeof(b));
		gf_metrics_escape(in->attach[i].mode, c, sizeof(c));
		fprintf(f, "geofence_attach_info{ifname=\"%s\",hook=\"%s\",mode=\"%s\"} 1\n", a, b, c);
	}
	family(f, "geofence_interface_filtered", "gauge",
	       "1 when the kernel has geofence's program on the configured interface (read back), 0 when "
	       "not: absent, gone, or removed by someone else.");
	for (int i = 0; i < in->nattach; i++) {
		gf_metrics_escape(in->attach[i].ifname, a, sizeof(a));
		gf_metrics_escape(in->attach[i].hook, b, sizeof(b));
		fprintf(f, "geofence_interface_filtered{ifname=\"%s\",hook=\"%s\"} %d\n", a, b,
			in->attach[i].filtered);
	}
	family(f, "geofence_link_events_total", "counter",
	       "Link events on configured interfaces: appeared, gone, renamed, program removed and restored.");
	fprintf(f, "geofence_link_events_total %llu\n", in->link_events);
	family(f, "geofence_flow_events_total", "counter",
	       "New flows that are not passed, as SIEM events: sent, or suppressed past events.max_per_second "
	       "(those the datapath's ring lost: geofence_parse_events_total{reason=\"flow_event_lost\"}).");
	fprintf(f, "geofence_flow_events_total{result=\"sent\"} %llu\n", in->flow_events[0]);
	fprintf(f, "geofence_flow_events_total{result=\"suppressed\"} %llu\n", in->flow_events[1]);
	collector_families(f, in);
	exemption_families(f, in);
	family(f, "geofence_start_time_seconds", "gauge", "When the agent started (Unix time).");
	fprintf(f, "geofence_start_time_seconds %.0f\n", in->started);
}

static void collector_families(FILE *f, const struct gf_metrics_info *info)
{
	const struct gf_metrics_export *in = &info->exp;
	static const char *const reasons[] = { "idle", "active", "forced" };
	char u[sizeof(in->collector[0].url) * 2];

	if (!in->ncollectors)
		return;
	family(f, "geofence_flow_records_total", "counter",
	       "IPFIX flow records made, by why: the flow went idle, its active timeout, or the agent stopped.");
	for (int i = 0; i < 3; i++)
		fprintf(f, "geofence_flow_records_total{reason=\"%s\"} %llu\n", reasons[i], in->flow_records[i]);
	family(f, "geofence_flows_evicted_total", "counter",
	       "Flows the datapath's table evicted (full: flows.max_entries) before their last IPFIX record: "
	       "their packets since the record before are in no record.");
	fprintf(f, "geofence_flows_evicted_total %llu\n", in->flows_evicted);
	family(f, "geofence_ipfix_records_total", "counter",
	       "IPFIX records per collector: sent, or lost (the collector down, slow or refusing).");
	for (int i = 0; i < in->ncollectors; i++) {
		gf_metrics_escape(in->collector[i].url, u, sizeof(u));
		fprintf(f, "geofence_ipfix_records_total{collector=\"%s\",result=\"sent\"} %llu\n", u,
			in->collector[i].records);
		fprintf(f, "geofence_ipfix_records_total{collector=\"%s\",result=\"lost\"} %llu\n", u,
			in->collector[i].lost);
	}
	family(f, "geofence_ipfix_messages_total", "counter", "IPFIX messages sent per collector.");
	for (int i = 0; i < in->ncollectors; i++) {
		gf_metrics_escape(in->collector[i].url, u, sizeof(u));
		fprintf(f, "geofence_ipfix_messages_total{collector=\"%s\"} %llu\n", u, in->collector[i].messages);
	}
	family(f, "geofence_ipfix_collector_up", "gauge",
	       "1 while the collector's socket is up (TCP: connected), 0 while it is not.");
	for (int i = 0; i < in->ncollectors; i++) {
		gf_metrics_escape(in->collector[i].url, u, sizeof(u));
		fprintf(f, "geofence_ipfix_collector_up{collector=\"%s\"} %d\n", u, in->collector[i].up);
	}
}

static void render(FILE *f, struct gf_dp *dp, const struct gf_metrics_info *info, struct gf_dlp_stats *dlp)
{
	family(f, "geofence_build_info", "gauge", "The agent's version.");
	fprintf(f, "geofence_build_info{version=\"%s\"} 1\n", GF_VERSION);
	if (info)
		agent_families(f, info);
	if (dp)
		datapath_families(f, dp, info);
	if (dlp)
		dlp_families(f, dlp);
}

int gf_metrics_render(struct gf_dp *dp, const struct gf_metrics_info *info, struct gf_dlp_stats *dlp,
		      char **text, size_t *len)
{
	FILE *f = open_memstream(text, len);

	if (!f)
		return -errno;
	render(f, dp, info, dlp);
	if (fclose(f))
		return -errno;
	return 0;
}

/* ---------------------------------------------------------------------
 * The server
 */
static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type, char *body,
			     size_t len, int free_it)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, free_it ? MHD_RESPMEM_MUST_FREE :
								 MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * Basic auth: the whole decoded "user:password" against ours, in constant
 * time.  Decoded here rather than by libmicrohttpd 0.9.75, whose strings end
 * at the first NUL, so "password\0anything" would pass.
 */
static int authorized(struct gf_metrics *m, struct MHD_Connection *c)
{
	const char *h;
	unsigned char *dec;
	size_t hl;
	int n, ok;

	if (!m->user)
		return 1;
	h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!h || strncasecmp(h, "Basic ", 6))
		return 0;
	for (h += 6; *h == ' '; h++)
		;
	hl = strlen(h);
	if (!hl || hl % 4 || hl > 4096 || !(dec = malloc(hl / 4 * 3 + 1)))
		return 0;
	n = EVP_DecodeBlock(dec, (const unsigned char *)h, hl);
	if (n >= 0 && h[hl - 1] == '=')
		n -= 1 + (h[hl - 2] == '=');
	ok = n >= 0 && (size_t)n == m->cred_len && !CRYPTO_memcmp(dec, m->cred, m->cred_len);
	OPENSSL_cleanse(dec, hl / 4 * 3 + 1);
	free(dec);
	return ok;
}

/* ---------------------------------------------------------------------
 * The reaper
 */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	struct gf_metrics *m = cls;
	struct conn *k = *socket_ctx;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

		k = calloc(1, sizeof(*k));
		if (!k)
			return;	/* not reaped: the idle timeout still applies */
		k->fd = ci ? ci->connect_fd : -1;
		k->deadline = now_s() + GF_METRICS_DEADLINE_S;
		pthread_mutex_lock(&m->conns_lock);
		k->next = m->conns.next;
		k->prev = &m->conns;
		m->conns.next->prev = k;
		m->conns.next = k;
		pthread_mutex_unlock(&m->conns_lock);
		*socket_ctx = k;
	} else if (k) {
		/* closed: libmicrohttpd closes the socket only after this returns */
		pthread_mutex_lock(&m->conns_lock);
		k->prev->next = k->next;
		k->next->prev = k->prev;
		pthread_mutex_unlock(&m->conns_lock);
		free(k);
		*socket_ctx = NULL;
	}
}

/* A request answered: a kept-alive connection gets a new deadline for the next. */
static void on_completed(void *cls, struct MHD_Connection *c, void **req_ctx,
			 enum MHD_RequestTerminationCode code)
{
	struct gf_metrics *m = cls;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *k = ci ? ci->socket_context : NULL;

	(void)req_ctx;
	(void)code;
	if (!k)
		return;
	pthread_mutex_lock(&m->conns_lock);
	k->deadline = now_s() + GF_METRICS_DEADLINE_S;
	pthread_mutex_unlock(&m->conns_lock);
}

static void *reaper(void *arg)
{
	struct gf_metrics *m = arg;

	pthread_mutex_lock(&m->conns_lock);
	while (!m->stopping) {
		struct timespec ts;
		double t = now_s();

		for (struct conn *k = m->conns.next; k != &m->conns; k = k->next)
			if (!k->shut && k->fd >= 0 && t > k->deadline) {
				/* the fd is still open: the close notification waits for this lock */
				shutdown(k->fd, SHUT_RDWR);
				k->shut = 1;
				m->reaped++;
			}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 200 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&m->stop_cond, &m->conns_lock, &ts);
	}
	pthread_mutex_unlock(&m->conns_lock);
	return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_len, void **state)
{
	static const char text[] = "text/plain; version=0.0.4; charset=utf-8";
	struct gf_metrics *m = cls;
	struct gf_metrics_info info;
	char *body = NULL;
	size_t len = 0;
	double t0;

	(void)version;
	(void)upload;
	if (!*state) {	/* the first call only sees the headers */
		*state = (void *)1;
		return MHD_YES;
	}
	if (*upload_len)
		return MHD_NO;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, text, (char *)"GET /metrics\n", 13, 0);
	if (!authorized(m, c)) {
		struct MHD_Response *r = MHD_create_response_from_buffer(13, (void *)"unauthorized\n",
									 MHD_RESPMEM_PERSISTENT);
		enum MHD_Result ret = MHD_queue_basic_auth_fail_response(c, "geofence", r);

		MHD_destroy_response(r);
		return ret;
	}
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, text, (char *)"geofence serves /metrics\n", 25, 0);
	t0 = now_s();
	pthread_mutex_lock(&m->lock);
	info = m->info;
	pthread_mutex_unlock(&m->lock);
	{
		FILE *f = open_memstream(&body, &len);

		if (!f)
			return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, text, (char *)"out of memory\n", 14, 0);
		render(f, m->dp, &info, m->dlp);
		/* the previous scrape's cost: this one's shows next time */
		pthread_mutex_lock(&m->lock);
		family(f, "geofence_scrape_duration_seconds", "gauge", "How long rendering the previous scrape took.");
		fprintf(f, "geofence_scrape_duration_seconds %.6f\n", m->last_scrape_seconds);
		family(f, "geofence_scrapes_total", "counter", "Scrapes served.");
		fprintf(f, "geofence_scrapes_total %llu\n", ++m->scrapes);
		m->last_scrape_seconds = now_s() - t0;
		pthread_mutex_unlock(&m->lock);
		if (fclose(f)) {
			free(body);
			return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, text, (char *)"rendering failed\n", 17, 0);
		}
	}
	return reply(c, MHD_HTTP_OK, text, body, len, 1);
}

static int parse_listen(const char *s, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	unsigned long port;
	char *end;

	if (!colon || colon - s >= (long)sizeof(host))
		goto bad;
	port = strtoul(colon + 1, &end, 10);
	if (*end || !port || port > 65535)
		goto bad;
	memcpy(host, s, colon - s);
	host[colon - s] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		host[strlen(host) - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			goto bad;
		return 0;
	}
	{
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		if (!host[0])
			a->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
	}
	return 0;
bad:
	snprintf(err, errlen, "metrics.listen: '%s' is not ADDRESS:PORT (\"127.0.0.1:9847\", \"[::1]:9847\", \":9847\")", s);
	return -EINVAL;
}

static char *slurp(const char *path, char *err, size_t errlen, const char *what)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n;

	if (!f) {
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
		return NULL;
	}
	if (getdelim(&buf, &cap, '\0', f) < 0) {
		snprintf(err, errlen, "%s %s: empty or unreadable", what, path);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf && (n = strlen(buf)) && !strcmp(what, "metrics.password_file"))
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';	/* a password file ends in a newline */
	return buf;
}

int gf_metrics_start(struct gf_metrics **out, const struct gf_metrics_opts *o, struct gf_dp *dp,
		     struct gf_dlp_stats *dlp, char *err, size_t errlen)
{
	struct gf_metrics *m = calloc(1, sizeof(*m));
	struct sockaddr_storage ss;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	int ret = -EINVAL;

	if (!m)
		return -ENOMEM;
	pthread_mutex_init(&m->lock, NULL);
	pthread_mutex_init(&m->conns_lock, NULL);
	pthread_cond_init(&m->stop_cond, NULL);
	m->conns.next = m->conns.prev = &m->conns;
	m->dp = dp;
	m->dlp = dlp;
	if ((ret = parse_listen(o->listen, &ss, err, errlen)))
		goto fail;
	ret = -EINVAL;
	if (!o->tls_cert != !o->tls_key) {
		snprintf(err, errlen, "metrics: tls_cert and tls_key go together");
		goto fail;
	}
	if (!o->user != !o->password_file) {
		snprintf(err, errlen, "metrics: user and password_file go together");
		goto fail;
	}
	if (o->tls_cert && (!(m->cert = slurp(o->tls_cert, err, errlen, "metrics.tls_cert")) ||
			    !(m->key = slurp(o->tls_key, err, errlen, "metrics.tls_key"))))
		goto fail;
	if (o->user) {
		if (!(m->password = slurp(o->password_file, err, errlen, "metrics.password_file")))
			goto fail;
		m->user = strdup(o->user);
		m->cred_len = strlen(o->user) + 1 + strlen(m->password);
		m->cred = malloc(m->cred_len + 1);
		if (!m->user || !m->cred) {
			ret = -ENOMEM;
			goto fail;
		}
		snprintf(m->cred, m->cred_len + 1, "%s:%s", o->user, m->password);
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (m->cert)
		flags |= MHD_USE_TLS;
	{
		struct rlimit rl;
		unsigned int limit = GF_METRICS_CONNECTIONS;

		/* one descriptor per connection, and room for the maps and files */
		if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < limit + 128)
			limit = rl.rlim_cur > 256 ? rl.rlim_cur - 128 : 128;
#define GF_MHD_OPTIONS                                                                   \
	MHD_OPTION_SOCK_ADDR, &ss, MHD_OPTION_CONNECTION_TIMEOUT, GF_METRICS_IDLE_S,        \
	MHD_OPTION_CONNECTION_LIMIT, limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT,             \
	(unsigned int)GF_METRICS_PER_IP, MHD_OPTION_NOTIFY_CONNECTION, on_connection, m,    \
	MHD_OPTION_NOTIFY_COMPLETED, on_completed, m
		m->d = m->cert ?
		       MHD_start_daemon(flags, 0, NULL, NULL, on_request, m, GF_MHD_OPTIONS,
					MHD_OPTION_HTTPS_MEM_CERT, m->cert, MHD_OPTION_HTTPS_MEM_KEY, m->key,
					MHD_OPTION_END) :
		       MHD_start_daemon(flags, 0, NULL, NULL, on_request, m, GF_MHD_OPTIONS,
					MHD_OPTION_END);
#undef GF_MHD_OPTIONS
	}
	if (!m->d) {
		ret = -EADDRNOTAVAIL;
		snprintf(err, errlen, "metrics: cannot serve on %s%s: the port may be taken (metrics.listen), "
			 "or the TLS key/certificate unusable", o->listen, m->cert ? " with TLS" : "");
		goto fail;
	}
	if (pthread_create(&m->reaper, NULL, reaper, m)) {
		ret = -EAGAIN;
		snprintf(err, errlen, "metrics: cannot start the connection reaper");
		goto fail;
	}
	m->reaper_running = 1;
	*out = m;
	return 0;
fail:
	gf_metrics_stop(m);
	return ret;
}

void gf_metrics_publish(struct gf_metrics *m, const struct gf_metrics_info *info)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->info = *info;
	pthread_mutex_unlock(&m->lock);
}

void gf_metrics_stop(struct gf_metrics *m)
{
	if (!m)
		return;
	if (m->reaper_running) {
		pthread_mutex_lock(&m->conns_lock);
		m->stopping = 1;
		pthread_cond_signal(&m->stop_cond);
		pthread_mutex_unlock(&m->conns_lock);
		pthread_join(m->reaper, NULL);
	}
	if (m->d)
		MHD_stop_daemon(m->d);
	if (m->password)
		OPENSSL_cleanse(m->password, strlen(m->password));
	if (m->cred)
		OPENSSL_cleanse(m->cred, m->cred_len);
	free(m->cred);
	if (m->key)
		OPENSSL_cleanse(m->key, strlen(m->key));
	free(m->password);
	free(m->user);
	free(m->cert);
	free(m->key);
	pthread_mutex_destroy(&m->lock);
	pthread_mutex_destroy(&m->conns_lock);
	pthread_cond_destroy(&m->stop_cond);
	free(m);
}
