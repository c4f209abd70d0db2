// SPDX-License-Identifier: GPL-2.0
/*
 * /metrics against a real Prometheus.  The lab's gateway runs the agent;
 * traffic goes to countries that are dropped, monitored and passed; then:
 *
 *   - the exposition passes `promtool check metrics`, and each series of
 *     geofence_packets_total/bytes_total equals `geofence stats --json`;
 *   - Debian's Prometheus, started in the gateway's namespace, scrapes the
 *     agent, and the per-country counters it stored equal the agent's;
 *   - a scrape with 250 countries x 4 verdicts x 2 hooks of counters takes
 *     less than 20 ms (measured here, printed as a bench line);
 *   - a reload that moves metrics.listen moves the server; with TLS and
 *     basic auth, Prometheus scrapes with the password (up 1) and fails
 *     without it (up 0).
 */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "geofence.h"
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_state.h"
#include "gf_test.h"
#include "gf_world.h"

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "RU", "IR", "US", "DE" };
enum { CN, RU, IR, US, DE };
static char prom_dir[256], prom_pid[300];

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int http_get(int port, const char *path, char *out, size_t len)
{
	return gf_lab_http_get(&lab, port, path, out, len);
}



/* Prometheus, by its pid file; the keeper runs the same if the test dies. */
static char prom_undo[2048];

static void prom_kill(void)
{
	if (!prom_pid[0])
		return;
	gf_sh_quiet("%s", prom_undo);
	gf_keep_command(prom_undo, 0);
}

static void on_exit_cleanup(void)
{
	prom_kill();
}

/* Run a PromQL query with promtool inside the namespace; the JSON result. */
static json_object *promql(const char *q)
{
	char cmd[1024], *buf = NULL;
	size_t cap = 0, n;
	FILE *p;
	json_object *o;

	snprintf(cmd, sizeof(cmd), "ip netns exec %s promtool query instant -o json http://127.0.0.1:9090 '%s' 2>/dev/null",
		 lab.ns_gw, q);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	n = getdelim(&buf, &cap, '\0', p);
	pclose(p);
	o = n > 0 ? json_tokener_parse(buf) : NULL;
	free(buf);
	return o;
}

/* One sample's value of a query result, by label set "country=CN,verdict=drop,hook=xdp". */
static long long prom_value(json_object *res, const char *country, const char *verdict, const char *hook)
{
	for (size_t i = 0; res && json_object_is_type(res, json_type_array) && i < json_object_array_length(res); i++) {
		json_object *e = json_object_array_get_idx(res, i), *m, *v;

		if (!json_object_object_get_ex(e, "metric", &m) || !json_object_object_get_ex(e, "value", &v))
			continue;
		if (country && strcmp(gf_state_str(m, "country") ?: "", country))
			continue;
		if (verdict && strcmp(gf_state_str(m, "verdict") ?: "", verdict))
			continue;
		if (hook && strcmp(gf_state_str(m, "hook") ?: "", hook))
			continue;
		return atoll(json_object_get_string(json_object_array_get_idx(v, 1)));
	}
	return -1;
}

static int write_prom_config(const char *jobs)
{
	char p[320];
	FILE *f;

	snprintf(p, sizeof(p), "%s/prometheus.yml", prom_dir);
	f = fopen(p, "w");
	if (!f)
		return -1;
	fprintf(f, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n%s", jobs);
	return fclose(f);
}

static int prom_start(void)
{
	return gf_sh("ip netns exec %s prometheus --config.file=%s/prometheus.yml --storage.tsdb.path=%s/data "
		     "--web.listen-address=127.0.0.1:9090 --web.enable-lifecycle >%s/prometheus.log 2>&1 & echo $! > %s",
		     lab.ns_gw, prom_dir, prom_dir, prom_dir, prom_pid);
}

/* Wait until `up` of a job reads want; 0 when it did. */
static int wait_up(const char *job, int want, int seconds)
{
	char q[128];

	snprintf(q, sizeof(q), "up{job=\"%s\"}", job);
	for (double t0 = now_s(); now_s() - t0 < seconds; usleep(300000)) {
		json_object *o = promql(q);
		long long v = prom_value(o, NULL, NULL, NULL);

		json_object_put(o);
		if (v == want)
			return 0;
	}
	return -1;
}

static int write_config(const char *metrics)
{
	char extra[1024];

	snprintf(extra, sizeof(extra), "};\nsampling = { rate = 1; bytes = 256; };\nmetrics = { %s", metrics);
	return gf_lab_write_config(&lab, "{ mmdb = \"" GF_BUILD_DB "\"; }", extra);
}

int main(void)
{
	static struct gf_world w;
	static char text[1 << 20], out[1 << 16];
	char err[512], path[1024];
	json_object *st = NULL, *rows;
	int status, compared = 0, equal = 0;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&w, err, sizeof(err)) || gf_lab_up(&lab, "gfm", &w, hosts, 5))
		return GF_TEST_SETUP_ERROR;
	snprintf(prom_dir, sizeof(prom_dir), "%s/prom", lab.dir);
	snprintf(prom_pid, sizeof(prom_pid), "%s/prometheus.pid", lab.dir);
	snprintf(prom_undo, sizeof(prom_undo), "[ -f %s ] && kill $(cat %s) 2>/dev/null; sleep 0.5; [ -f %s ] && "
		 "kill -9 $(cat %s) 2>/dev/null; rm -f %s", prom_pid, prom_pid, prom_pid, prom_pid, prom_pid);
	gf_keep_command(prom_undo, 1);
	atexit(on_exit_cleanup);
	if (gf_sh("mkdir -p %s", prom_dir) || write_config("listen = \"127.0.0.1:9847\";") ||
	    gf_lab_write_list(&lab, "00-concern.list", "CN drop\nRU drop\nIR monitor\n"))
		return GF_TEST_SETUP_ERROR;
	if (!CHECK(gf_lab_agent_start(&lab) == 0, "geofenced starts"))
		return gf_test_summary();

	/* ---- traffic: dropped, monitored, passed ---- */
	for (int h = 0; h < 5; h++) {
		gf_lab_ping(lab.ns_lan, lab.hosts[h].v4, 3);
		gf_lab_udp(lab.ns_lan, lab.hosts[h].v4, 20 + 10 * h);
		gf_lab_udp(lab.ns_lan, lab.hosts[h].v6, 5);
	}

	/* ---- the exposition ---- */
	status = http_get(9847, "/metrics", text, sizeof(text));
	CHECK(status == 200, "GET /metrics: 200, text/plain; version=0.0.4 (%d)", status);
	CHECK(http_get(9847, "/", out, sizeof(out)) == 404, "other paths: 404");
	snprintf(path, sizeof(path), "%s/metrics.txt", lab.dir);
	{
		FILE *f = fopen(path, "w");

		fputs(text, f);
		fclose(f);
	}
	status = gf_sh("promtool check metrics < %s > %s.lint 2>&1", path, path);
	CHECK(status == 0 && gf_sh_quiet("[ ! -s %s.lint ]", path) == 0,
	      "promtool check metrics: no problems (exit %d; see %s.lint)", status, path);
	CHECK(gf_metrics_series(text, "geofence_packets_total{country=\"CN\",verdict=\"drop\",hook=\"xdp\",scope=\"default\"}") > 0 &&
	      gf_metrics_series(text, "geofence_packets_total{country=\"IR\",verdict=\"monitor\",hook=\"xdp\",scope=\"default\"}") > 0 &&
	      gf_metrics_series(text, "geofence_packets_total{country=\"US\",verdict=\"pass\",hook=\"xdp\",scope=\"default\"}") > 0,
	      "per country and verdict: CN drop, IR monitor, US pass");
	CHECK(strstr(text, "\ngeofence_build_info{version=\"") && strstr(strstr(text, "\ngeofence_build_info{version=\""), "\"} 1\n") &&
	      gf_metrics_series(text, "geofence_reloads_total{result=\"applied\"}") >= 1 &&
	      gf_metrics_series(text, "geofence_attach_info{ifname=\"g0\",hook=\"xdp\",mode=\"native/single\"}") == 1,
	      "build info, reloads, attach info (g0 xdp native/single)");
	CHECK(gf_metrics_series(text, "geofence_table_ranges{family=\"ipv4\"}") > 300000 &&
	      gf_metrics_series(text, "geofence_geodb_build_timestamp_seconds") > 1500000000,
	      "table ranges and the GeoIP build time");
	CHECK(gf_metrics_series(text, "geofence_samples_total{result=\"taken\"}") > 0 &&
	      strstr(text, "geofence_sensitive_matches_total") && !strstr(text, "10.10.0.2"),
	      "samples counted; no address in any label");

	/* every series equals geofence stats --json, taken right after */
	gf_lab_cli(&lab, out, sizeof(out), "stats --json --interval 0.2");
	st = json_tokener_parse(out);
	if (st && json_object_object_get_ex(st, "classes", &rows))
		for (size_t i = 0; i < json_object_array_length(rows); i++) {
			json_object *r = json_object_array_get_idx(rows, i);
			char key[160];

			snprintf(key, sizeof(key), "geofence_packets_total{country=\"%s\",verdict=\"%s\",hook=\"%s\",scope=\"default\"}",
				 gf_state_str(r, "class"), gf_state_str(r, "verdict"), gf_state_str(r, "hook"));
			compared++;
			equal += gf_metrics_series(text, key) == gf_state_int(r, "packets");
		}
	CHECK(compared >= 5 && equal == compared, "the exposition equals geofence stats: %d of %d series", equal,
	      compared);

	/* ---- a real Prometheus ---- */
	if (write_prom_config("  - job_name: geofence\n    static_configs:\n      - targets: ['127.0.0.1:9847']\n") ||
	    prom_start())
		return GF_TEST_SETUP_ERROR;
	CHECK(wait_up("geofence", 1, 40) == 0, "Prometheus scrapes the agent: up == 1");
	/* the traffic has stopped: after one more scrape Prometheus holds the final counters */
	sleep(3);
	{
		json_object *res = promql("geofence_packets_total");
		int agree = 0, n = 0;

		for (size_t i = 0; st && json_object_object_get_ex(st, "classes", &rows) &&
				   i < json_object_array_length(rows); i++) {
			json_object *r = json_object_array_get_idx(rows, i);
			const char *cls = gf_state_str(r, "class");
			long long pv;

			/* countries: the lab's own traffic; reserved space sees neighbour discovery all along */
			if (strlen(cls) != 2)
				continue;
			pv = prom_value(res, gf_state_str(r, "class"), gf_state_str(r, "verdict"),
						  gf_state_str(r, "hook"));

			n++;
			agree += pv == gf_state_int(r, "packets");
			if (pv != gf_state_int(r, "packets"))
				printf("  %s %s %s: Prometheus %lld, agent %lld\n", gf_state_str(r, "class"),
				       gf_state_str(r, "verdict"), gf_state_str(r, "hook"), pv, gf_state_int(r, "packets"));
		}
		CHECK(n >= 5 && agree == n, "Prometheus holds the agent's per-country counters: %d of %d series equal",
		      agree, n);
		json_object_put(res);
		res = promql("geofence_policy_generation");
		CHECK(prom_value(res, NULL, NULL, NULL) == gf_state_int(st, "generation"),
		      "Prometheus: geofence_policy_generation == the agent's generation (%lld)",
		      gf_state_int(st, "generation"));
		json_object_put(res);
		/* the policy's identity: what geofence check says of the file, before it runs */
		{
			static char chk[1 << 14];
			json_object *c = NULL, *m;
			const char *want = "", *got = "";

			if (gf_sh_out(chk, sizeof(chk), "ip netns exec %s %s/geofence --config %s --json check 2>/dev/null",
				      lab.ns_gw, GF_BUILD_DIR, lab.conf) == 0 && (c = json_tokener_parse(chk)))
				want = gf_state_str(c, "policy_sha256") ?: "";
			res = promql("geofence_policy_info");
			if (res && json_object_array_length(res) == 1 &&
			    json_object_object_get_ex(json_object_array_get_idx(res, 0), "metric", &m))
				got = gf_state_str(m, "sha256") ?: "";
			CHECK(strlen(want) == 64 && !strcmp(want, got),
			      "Prometheus: geofence_policy_info's sha256 is the one geofence check gives the file (%.12s, %.12s)",
			      want, got);
			json_object_put(res);
			json_object_put(c);
		}
	}

	/* ---- the cost of a scrape: 250 countries x 4 verdicts x 2 hooks ---- */
	{
		int fd, ncpu = libbpf_num_possible_cpus();
		struct gf_class_counters *v = calloc(ncpu, sizeof(*v));
		double t[31];
		int filled = 0;

		snprintf(path, sizeof(path), "%s/gf_class_stats", lab.pin_dir);
		fd = bpf_obj_get(path);
		for (int h = 0; fd >= 0 && h < GF_HOOK_MAX; h++)
			for (int c = GF_CLASS_COUNTRY_BASE; c < GF_CLASS_COUNTRY_BASE + 250; c++) {
				__u32 k = h * GF_NUM_CLASSES + c;

				for (int cpu = 0; cpu < ncpu; cpu++)
					for (int vd = 0; vd < GF_VERDICT_MAX; vd++)
						v[cpu].v[vd] = (struct gf_counter){ 1000 + c, 64000 + c };
				filled += !bpf_map_update_elem(fd, &k, v, 0);
			}
		CHECK(filled == 500, "500 classes x 4 verdicts of counters written (%d)", filled);
		for (int i = 0; i < 31; i++) {
			double t0 = now_s();

			status = http_get(9847, "/metrics", text, sizeof(text));
			t[i] = now_s() - t0;
		}
		for (int i = 1; i < 31; i++)
			for (int j = i; j > 0 && t[j - 1] > t[j]; j--) {
				double x = t[j];

				t[j] = t[j - 1];
				t[j - 1] = x;
			}
		{
			long long lines = 0;

			for (const char *p = text; (p = strstr(p, "\ngeofence_packets_total{")); p++)
				lines++;
			CHECK(status == 200 && lines >= 2000, "%lld geofence_packets_total series", lines);
		}
		CHECK(t[15] < 0.020, "a scrape with 250 countries x 4 verdicts x 2 hooks: median %.1f ms (bar 20 ms)",
		      t[15] * 1e3);
		printf("bench: metrics_scrape_ms %.2f\n", t[15] * 1e3);
		{
			/* the server's own figure: rendering, without HTTP and the client's fork */
			const char *p = strstr(text, "\ngeofence_scrape_duration_seconds ");
			double r = p ? strtod(p + 35, NULL) : -1;

			CHECK(r >= 0 && r < 0.020, "rendering it in the agent: %.2f ms", r * 1e3);
			printf("bench: metrics_render_ms %.2f\n", r * 1e3);
		}
		free(v);
		if (fd >= 0)
			close(fd);
	}

	/* ---- scrapes and reloads at once: neither waits for the other ---- */
	{
		pid_t hammer = fork();

		if (hammer == 0) {
			static char buf[1 << 20];
			int bad = 0, n = 0;

			for (double t0 = now_s(); now_s() - t0 < 8; n++)
				bad += http_get(9847, "/metrics", buf, sizeof(buf)) != 200;
			_exit(bad ? 1 : n > 20 ? 0 : 2);
		}
		{
			int ok = 0, st = 0;
			double t0 = now_s();

			for (int i = 0; i < 10; i++)
				ok += gf_lab_cli(&lab, out, sizeof(out), "reload") == 0;
			CHECK(ok == 10, "10 reloads while /metrics is scraped in a loop: all ok (%d), %.2f s",
			      ok, now_s() - t0);
			waitpid(hammer, &st, 0);
			CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			      "every scrape during the reloads answered 200 (exit %d)", WEXITSTATUS(st));
		}
	}

	/* ---- a reload moves the listener ---- */
	write_config("listen = \"127.0.0.1:9848\";");
	gf_lab_cli(&lab, out, sizeof(out), "reload");
	CHECK(http_get(9848, "/metrics", text, sizeof(text)) == 200 && http_get(9847, "/metrics", out, sizeof(out)) < 0,
	      "metrics.listen changed by a reload: served on 9848, 9847 closed");

	/* ---- TLS and basic auth, scraped by Prometheus ---- */
	if (gf_sh_quiet("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout %s/key.pem "
			"-out %s/cert.pem 2>/dev/null && printf 's3cret\\n' > %s/pw && printf wrong > %s/badpw",
			lab.dir, lab.dir, lab.dir, lab.dir))
		return GF_TEST_SETUP_ERROR;
	snprintf(path, sizeof(path), "listen = \"127.0.0.1:9849\"; tls_cert = \"%s/cert.pem\"; tls_key = \"%s/key.pem\"; "
		 "user = \"prom\"; password_file = \"%s/pw\";", lab.dir, lab.dir, lab.dir);
	write_config(path);
	gf_lab_cli(&lab, out, sizeof(out), "reload");
	CHECK(http_get(9849, "/metrics", out, sizeof(out)) < 0, "with TLS, plain HTTP gets no answer");
	{
		char jobs[2048];

		snprintf(jobs, sizeof(jobs),
			 "  - job_name: tls\n    scheme: https\n    tls_config: { ca_file: %s/cert.pem }\n"
			 "    basic_auth: { username: prom, password_file: %s/pw }\n"
			 "    static_configs: [ { targets: ['127.0.0.1:9849'] } ]\n"
			 "  - job_name: tls_badpw\n    scheme: https\n    tls_config: { ca_file: %s/cert.pem }\n"
			 "    basic_auth: { username: prom, password_file: %s/badpw }\n"
			 "    static_configs: [ { targets: ['127.0.0.1:9849'] } ]\n", lab.dir, lab.dir, lab.dir, lab.dir);
		write_prom_config(jobs);
		gf_sh_quiet("kill -HUP $(cat %s)", prom_pid);
	}
	CHECK(wait_up("tls", 1, 30) == 0, "Prometheus scrapes over TLS with basic auth: up == 1");
	CHECK(wait_up("tls_badpw", 0, 30) == 0, "with a wrong password: up == 0 (401)");

	/* ---- a renewed certificate under the same names is served after a reload ---- */
	{
		char fp0[256] = "", fp1[256] = "", fp2[256] = "", cmd[600];
		FILE *p;

		snprintf(cmd, sizeof(cmd), "ip netns exec %s openssl s_client -connect 127.0.0.1:9849 </dev/null "
			 "2>/dev/null | openssl x509 -noout -fingerprint -sha256", lab.ns_gw);
#define SERVED(buf) do { p = popen(cmd, "r"); if (p) { if (!fgets(buf, sizeof(buf), p)) buf[0] = 0; pclose(p); } } while (0)
		SERVED(fp0);
		gf_sh_quiet("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext "
			    "subjectAltName=IP:127.0.0.1 -keyout %s/key.new -out %s/cert.new 2>/dev/null && "
			    "mv %s/key.new %s/key.pem && mv %s/cert.new %s/cert.pem", lab.dir, lab.dir, lab.dir,
			    lab.dir, lab.dir, lab.dir);
		SERVED(fp1);
		CHECK(fp0[0] && !strcmp(fp0, fp1), "a renewed certificate is not served before a reload");
		CHECK(gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "reload");
		SERVED(fp2);
		CHECK(fp2[0] && strcmp(fp2, fp0), "after the reload the new one is served (%.40s)", fp2);
#undef SERVED
	}

	json_object_put(st);
	prom_kill();
	gf_lab_detach(&lab, out, sizeof(out));
	gf_lab_down(&lab);
	return gf_test_summary();
}
