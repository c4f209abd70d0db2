// SPDX-License-Identifier: GPL-2.0
/*
 * The exposition without a datapath: the agent's families from a published
 * state, label escaping, and promtool's linter over the result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gf_dlpstat.h"
#include "gf_evidence.h"
#include "gf_metrics.h"
#include "gf_netns.h"
#include "gf_ranges.h"
#include "gf_test.h"

/*
 * The scanner's families: three bounds per (category, country) in one
 * family with a bound label, no value or hash in any label, the evidence's
 * own state, and promtool's linter over it.
 */
static void test_dlp_families(void)
{
	struct gf_sampling cfg = { .rate = 1, .bytes = 1500, .window_days = 365, .alert_fraction = 0.5,
				   .threshold = { [0 ... GF_DLP_MAX - 1] = 1000 } };
	static struct gf_sample smp;
	struct gf_evidence *ev = NULL;
	struct gf_dlp_stats *st = NULL;
	char dir[] = "/tmp/gf-metrics-ev-XXXXXX", err[256], *text = NULL;
	size_t len;
	struct gf_metrics_info in = { .generation = 1 };

	if (!CHECK(mkdtemp(dir) && !gf_ev_open(&ev, dir, NULL, 400, -1, err, sizeof(err)) &&
		   !gf_dlp_stats_new(&st, &cfg, ev, err, sizeof(err)), "stats over an evidence store: %s", err))
		return;
	for (int i = 0; i < 30; i++) {
		memset(&smp, 0, sizeof(smp));
		smp.cls = gf_class_from_cc("RU");
		smp.sample_rate = i < 20 ? 1 : 10;
		smp.verdict = GF_VERDICT_MONITOR;
		smp.payload_len = snprintf((char *)smp.payload, GF_SAMPLE_MAX, "{\"ssn\":\"%03d-12-3456\"}", 100 + i);
		gf_dlp_stats_sample(st, &smp, sizeof(smp), time(NULL));
	}
	CHECK(gf_metrics_render(NULL, &in, st, &text, &len) == 0 && text, "rendered with the scanner's figures");
	CHECK(text && strstr(text, "\ngeofence_sensitive_distinct{category=\"ssn\",country=\"RU\",unit=\"persons\","
			     "bound=\"lower\"} 30\n") &&
	      strstr(text, "bound=\"point\"}") && strstr(text, "bound=\"upper\"}") &&
	      strstr(text, "\ngeofence_bulk_threshold_ratio{category=\"ssn\",country=\"RU\",unit=\"persons\","
			   "bound=\"lower\"} 0.03\n"),
	      "lower, point and upper in one family; the ratios beside");
	CHECK(text && strstr(text, "\ngeofence_sensitive_matches_total{category=\"ssn\",country=\"RU\"} 30\n") &&
	      strstr(text, "\ngeofence_evidence_kept 1\n") && strstr(text, "\ngeofence_evidence_rejected_files 0\n"),
	      "matches since start; the evidence kept, nothing set aside");
	CHECK(text && !strstr(text, "123456") && !strstr(text, "12-3456"), "no value in any label or line");
	if (text && !gf_sh_quiet("command -v promtool >/dev/null")) {
		char path[] = "/tmp/gf-metrics-dlp-XXXXXX";
		int fd = mkstemp(path);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

		if (f) {
			fputs(text, f);
			fclose(f);
		}
		CHECK(gf_sh("promtool check metrics < %s", path) == 0, "promtool check metrics: no problems");
		unlink(path);
	}
	free(text);
	gf_dlp_stats_free(st);
	gf_sh_quiet("rm -rf %s", dir);
}

int main(void)
{
	struct gf_metrics_info in = {
		.generation = 7, .reloads = { 5, 1, 2 }, .last_reload_time = 1764201600.5,
		.last_reload_seconds = 0.156, .geodb_build_time = 1763596800, .ranges = { 389994, 300238 },
		.table_bytes = { 2422016, 3054464 }, .map_bytes = 31589856, .nattach = 2, .started = 1764201000,
	};
	char esc[64], path[] = "/tmp/gf-metrics-XXXXXX", *text = NULL;
	size_t len = 0;
	FILE *f;
	int fd, rc;

	snprintf(in.attach[0].ifname, sizeof(in.attach[0].ifname), "eth1");
	snprintf(in.attach[0].hook, sizeof(in.attach[0].hook), "xdp");
	snprintf(in.attach[0].mode, sizeof(in.attach[0].mode), "native/single");
	snprintf(in.attach[1].ifname, sizeof(in.attach[1].ifname), "we\"ird\\");
	snprintf(in.attach[1].hook, sizeof(in.attach[1].hook), "tc");
	snprintf(in.attach[1].mode, sizeof(in.attach[1].mode), "tc");

	gf_metrics_escape("a\"b\\c\nd", esc, sizeof(esc));
	CHECK(!strcmp(esc, "a\\\"b\\\\c\\nd"), "label values escape \\ \" and newline: %s", esc);
	gf_metrics_escape("0123456789abcdef0123456789", esc, 8);
	CHECK(strlen(esc) < 8, "escaping stays inside the buffer");

	CHECK(gf_metrics_render(NULL, &in, NULL, &text, &len) == 0 && text && len == strlen(text), "rendered");
	CHECK(strstr(text, "# HELP geofence_reloads_total ") && strstr(text, "# TYPE geofence_reloads_total counter\n") &&
	      strstr(text, "\ngeofence_reloads_total{result=\"applied\"} 5\n") &&
	      strstr(text, "\ngeofence_reloads_total{result=\"applied_with_errors\"} 1\n") &&
	      strstr(text, "\ngeofence_reloads_total{result=\"rejected\"} 2\n"), "reloads by result, with HELP and TYPE");
	CHECK(strstr(text, "\ngeofence_policy_generation 7\n") &&
	      strstr(text, "\ngeofence_last_reload_timestamp_seconds 1764201600.500\n") &&
	      strstr(text, "\ngeofence_geodb_build_timestamp_seconds 1763596800\n"), "gauges in seconds");
	CHECK(strstr(text, "\ngeofence_table_ranges{family=\"ipv6\"} 300238\n") &&
	      strstr(text, "\ngeofence_table_bytes{family=\"ipv4\"} 2422016\n"), "tables by family");
	CHECK(strstr(text, "\ngeofence_attach_info{ifname=\"eth1\",hook=\"xdp\",mode=\"native/single\"} 1\n") &&
	      strstr(text, "ifname=\"we\\\"ird\\\\\""), "attach info, an odd interface name escaped");
	CHECK(!strstr(text, "geofence_packets_total{"), "no datapath, no packet series");

	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	if (!gf_sh_quiet("command -v promtool >/dev/null")) {
		rc = gf_sh("promtool check metrics < %s", path);
		CHECK(rc == 0, "promtool check metrics: no problems (exit %d)", rc);
		rc = gf_sh_quiet("sed 's/^# TYPE geofence_reloads_total counter/# TYPE geofence_reloads_total gauge/' %s | "
				 "promtool check metrics >/dev/null 2>&1", path);
		CHECK(rc != 0, "a counter typed as a gauge is reported (control)");
	}
	unlink(path);
	free(text);
	test_dlp_families();
	return gf_test_summary();
}
