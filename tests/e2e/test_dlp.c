// SPDX-License-Identifier: GPL-2.0
/*
 * Sensitive data leaving through the gateway, end to end: a LAN host posts
 * records with SSNs and card numbers over TCP to "foreign" hosts; the
 * datapath samples the payloads, the agent scans and counts them.
 *
 *   - sampling 1 in 1 (to DE): the counts per category and destination
 *     are exactly what was sent;
 *   - sampling 1 in 10 (to US): the distinct estimates land within the
 *     error of HyperLogLog plus sampling, and bulk alerts fire;
 *   - nothing planted appears in the agent's log, its files or the CLI.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_state.h"
#include "gf_test.h"

#define PORT 9100
#define EXACT 200
#define MANY 20000

static struct gf_lab lab;
static const char *const hosts[] = { "DE", "US", "CN" };
enum { DE, US, CN };
static char planted[256];	/* the planted values, one per line, for grep -F -f */
static FILE *plantf;

/* ---- an "internet" server: one line in, "ok" out ---------------------------- */
static int srv_fd = -1;
static volatile int srv_stop;

static void *server(void *arg)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	sigset_t all;
	int one = 1;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	if (gf_netns_enter(lab.ns_wan))
		return NULL;
	srv_fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(srv_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(srv_fd, (struct sockaddr *)&a, sizeof(a)) || listen(srv_fd, 4))
		return NULL;
	while (!srv_stop) {
		int c = accept(srv_fd, NULL, NULL);
		char buf[4096];
		ssize_t n;

		if (c < 0)
			continue;
		while ((n = read(c, buf, sizeof(buf))) > 0)
			for (ssize_t i = 0; i < n; i++)
				if (buf[i] == '\n' && write(c, "ok\n", 3) != 3)
					break;
		close(c);
	}
	return NULL;
}

/* ---- the LAN host's client ------------------------------------------------------ */
struct job {
	const char *dst;
	int first, count;	/* records first .. first+count-1 */
	int sent;
};

/* A valid SSN and Visa number, distinct per record number. */
static void record_values(int n, char ssn[16], char card[17])
{
	int area = 1 + n % 600, group = 1 + (n / 600) % 99, serial = 1 + (n / 59400) % 9999;
	int sum = 0;

	if (area == 666)
		area = 667;
	snprintf(ssn, 16, "%03d-%02d-%04d", area, group, serial);
	snprintf(card, 17, "4%014d", n + 1000);
	for (int i = 14, dbl = 1; i >= 0; i--, dbl = !dbl) {
		int v = (card[i] - '0') * (dbl ? 2 : 1);

		sum += v > 9 ? v - 9 : v;
	}
	card[15] = '0' + (10 - sum % 10) % 10;
	card[16] = '\0';
}

static void *client(void *arg)
{
	struct job *j = arg;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	sigset_t all;
	int fd, one = 1;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	if (gf_netns_enter(lab.ns_lan))
		return NULL;
	inet_pton(AF_INET, j->dst, &a.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* a blocked destination never answers: give up after a second */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &(struct timeval){ 1, 0 }, sizeof(struct timeval));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){ 5, 0 }, sizeof(struct timeval));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return NULL;
	}
	for (int i = j->first; i < j->first + j->count; i++) {
		char ssn[16], card[17], line[256], ack[8];
		int n;

		record_values(i, ssn, card);
		n = snprintf(line, sizeof(line), "{\"id\":%d,\"name\":\"Person %d\",\"ssn\":\"%s\","
			     "\"card\":\"%s\",\"plan\":\"gold\"}\n", i, i, ssn, card);
		/* one record, one segment: wait for its answer */
		if (write(fd, line, n) != n || read(fd, ack, 3) != 3)
			break;
		j->sent++;
	}
	close(fd);
	return NULL;
}

static int post(const char *dst, int first, int count)
{
	struct job j = { dst, first, count, 0 };
	pthread_t t;

	pthread_create(&t, NULL, client, &j);
	pthread_join(t, NULL);
	for (int i = first; i < first + count && plantf; i++) {
		char ssn[16], card[17];

		record_values(i, ssn, card);
		fprintf(plantf, "%s\n%.3s%.2s%.4s\n%s\n", ssn, ssn, ssn + 4, ssn + 7, card);
	}
	return j.sent;
}

/* ---- the agent's figures -------------------------------------------------------- */
static json_object *dlp_json(void)
{
	static char out[1 << 20];

	if (gf_lab_cli(&lab, out, sizeof(out), "dlp --json"))
		return NULL;
	return json_tokener_parse(out);
}

static json_object *cell(json_object *o, const char *cat, const char *cls)
{
	json_object *cells;

	if (!o || !json_object_object_get_ex(o, "cells", &cells))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(cells); i++) {
		json_object *c = json_object_array_get_idx(cells, i);

		if (!strcmp(gf_state_str(c, "category") ?: "", cat) &&
		    !strcmp(gf_state_str(c, "class") ?: "", cls))
			return c;
	}
	return NULL;
}

/* Wait until the agent has counted at least `samples` samples. */
static json_object *settle(long long samples)
{
	json_object *o = NULL;

	for (int i = 0; i < 100; i++) {
		json_object_put(o);
		o = dlp_json();
		if (o && gf_state_int(o, "samples") >= samples)
			break;
		usleep(100000);
	}
	usleep(1200000);	/* one more report, after the last sample */
	json_object_put(o);
	o = dlp_json();
	if (gf_test_verbose)
		printf("dlp.json: %lld samples, %lld matches\n", o ? gf_state_int(o, "samples") : -1,
		       o ? gf_state_int(o, "matches") : -1);
	return o;
}

static int write_config(__u32 us_rate)
{
	char policy[512];

	/* after the policy group, which the lab's writer closes with "};" */
	snprintf(policy, sizeof(policy),
		 "};\nsampling = { rate = 1; bytes = 1500; countries = { US = %u; };\n"
		 "  alert_fraction = 0.5; thresholds = { ssn = 30000; };", us_rate);
	return gf_lab_write_config(&lab, "{ mmdb = \"" GF_BUILD_DB "\"; }", policy);
}

int main(void)
{
	static struct gf_world w;
	static char out[1 << 16];
	char err[512];
	pthread_t srv;
	json_object *o, *c;
	int ret, sent;
	long long samples0;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&w, err, sizeof(err)) || gf_lab_up(&lab, "gfd", &w, hosts, 3))
		return GF_TEST_SETUP_ERROR;
	snprintf(planted, sizeof(planted), "%s/planted.txt", lab.dir);
	plantf = fopen(planted, "w");
	if (!plantf || write_config(10) || gf_lab_write_list(&lab, "00-concern.list", "CN drop\n"))
		return GF_TEST_SETUP_ERROR;
	ret = gf_lab_agent_start(&lab);
	if (!CHECK(ret == 0, "geofenced starts (%d)", ret))
		return gf_test_summary();
	pthread_create(&srv, NULL, server, NULL);
	usleep(200000);

	/* ---- 1 in 1: exact ---- */
	sent = post(lab.hosts[DE].v4, 0, EXACT);
	CHECK(sent == EXACT, "%d records posted to DE over TCP", sent);
	o = settle(EXACT);
	c = cell(o, "ssn", "DE");
	CHECK(c && gf_state_int(c, "matches") == EXACT,
	      "sampling 1 in 1: %d SSNs to DE counted, exactly (%lld)", EXACT, c ? gf_state_int(c, "matches") : -1);
	c = cell(o, "payment_card", "DE");
	CHECK(c && gf_state_int(c, "matches") == EXACT, "and %d card numbers (%lld)", EXACT,
	      c ? gf_state_int(c, "matches") : -1);
	c = cell(o, "ssn", "DE");
	CHECK(c && fabs((double)gf_state_int(c, "distinct_estimate") - EXACT) <= 0.05 * EXACT,
	      "distinct SSNs to DE: about %d (%lld)", EXACT, c ? gf_state_int(c, "distinct_estimate") : -1);
	{
		json_object *cells;
		int others = 0;

		json_object_object_get_ex(o, "cells", &cells);
		for (size_t i = 0; cells && i < json_object_array_length(cells); i++) {
			const char *k = gf_state_str(json_object_array_get_idx(cells, i), "category");

			others += strcmp(k, "ssn") && strcmp(k, "payment_card");
		}
		CHECK(!others, "no other category was seen (%d)", others);
	}
	samples0 = gf_state_int(o, "samples");
	json_object_put(o);

	/* blocked traffic is not sampled */
	{
		struct sockaddr_in a = { 0 };

		(void)a;
		post(lab.hosts[CN].v4, EXACT, 5);	/* the handshake is dropped */
		o = settle(samples0);
		CHECK(!cell(o, "ssn", "CN"), "nothing counted towards CN, which is blocked");
		json_object_put(o);
	}

	/* ---- 1 in 10: estimates ---- */
	sent = post(lab.hosts[US].v4, 100000, MANY);
	CHECK(sent == MANY, "%d records posted to US", sent);
	o = settle(samples0 + MANY / 10 - 200);
	c = cell(o, "ssn", "US");
	if (CHECK(c != NULL, "SSNs to US counted")) {
		long long m = gf_state_int(c, "matches"), d = gf_state_int(c, "distinct_estimate");

		CHECK(gf_state_int(c, "sample_rate") == 10, "at 1 in 10");
		/* binomial sampling (2.1 %) and HyperLogLog (2.3 %): 4 sigma is 12 % */
		CHECK(m > MANY / 10 * 0.88 && m < MANY / 10 * 1.12, "about 1 in 10 sampled: %lld", m);
		CHECK(fabs((double)d - MANY) < 0.12 * MANY, "distinct SSNs to US estimated %lld, sent %d (%.1f %%)",
		      d, MANY, 100.0 * (d - MANY) / MANY);
		CHECK(fabs((double)gf_state_int(c, "estimated_occurrences") - MANY) < 0.12 * MANY,
		      "occurrences scaled by the rate: %lld", gf_state_int(c, "estimated_occurrences"));
	}
	{
		json_object *alerts;
		int ssn_warn = 0, card_exceeded = 0;

		json_object_object_get_ex(o, "alerts", &alerts);
		for (size_t i = 0; alerts && i < json_object_array_length(alerts); i++) {
			json_object *a = json_object_array_get_idx(alerts, i);

			ssn_warn |= !strcmp(gf_state_str(a, "category"), "ssn") &&
				    !strcmp(gf_state_str(a, "class"), "US") &&
				    !strcmp(gf_state_str(a, "level"), "warning");
			card_exceeded |= !strcmp(gf_state_str(a, "category"), "payment_card") &&
					 !strcmp(gf_state_str(a, "class"), "US") &&
					 !strcmp(gf_state_str(a, "level"), "exceeded");
		}
		CHECK(ssn_warn, "SSNs to US: a warning at half the 30,000 threshold");
		CHECK(card_exceeded, "cards to US: past the 10,000 threshold");
		CHECK(gf_sh_quiet("grep -q 'dlp alert: category=ssn destination=US .*level=warning' %s",
				  lab.log) == 0 &&
		      gf_sh_quiet("grep -q 'dlp alert: category=payment_card destination=US .*level=exceeded' %s",
				  lab.log) == 0, "the alerts are structured log lines");
	}
	json_object_put(o);

	/* ---- nothing planted anywhere ---- */
	fclose(plantf);
	plantf = NULL;
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "dlp") == 0 && strstr(out, "ssn") && strstr(out, "***-**-"),
	      "geofence dlp shows the categories and redacted examples");
	{
		char path[300];
		FILE *f;

		/* everything an operator or a log shipper could see */
		snprintf(path, sizeof(path), "%s/outputs.txt", lab.dir);
		f = fopen(path, "w");
		fputs(out, f);
		gf_lab_cli(&lab, out, sizeof(out), "dlp --json");
		fputs(out, f);
		gf_lab_cli(&lab, out, sizeof(out), "status --json");
		fputs(out, f);
		gf_lab_cli(&lab, out, sizeof(out), "stats --json --interval 0.01");
		fputs(out, f);
		fclose(f);
		/*
		 * the check can fail: it finds a planted value where there is one.
		 * Whole words only: a float such as 49.657568000257015 holds any
		 * nine digits by chance, and is no leak.
		 */
		CHECK(gf_sh_quiet("tail -n 1 %s > %s.ctl && grep -q -a -w -F -f %s %s.ctl", planted, path,
				  planted, path) == 0, "(the grep finds a planted value in a control file)");
		ret = gf_sh_quiet("grep -a -w -F -f %s %s %s %s/*.json", planted, lab.log, path, lab.run_dir);
		CHECK(ret == 1, "no planted SSN or card number in the agent's log, files or CLI output "
			       "(grep exit %d)", ret);
	}

	srv_stop = 1;
	shutdown(srv_fd, SHUT_RDWR);
	close(srv_fd);
	pthread_join(srv, NULL);
	gf_lab_detach(&lab, NULL, 0);

	/* the evidence the agent wrote as it stopped, and the reports made from it */
	{
		char path[300];
		FILE *f;

		snprintf(path, sizeof(path), "%s/reports.txt", lab.dir);
		f = fopen(path, "w");
		for (int k = 0; k < 3; k++) {
			static const char *const fmt[] = { "table", "json", "csv" };

			ret = gf_lab_cli(&lab, out, sizeof(out), "evidence report --format %s", fmt[k]);
			fputs(out, f);
		}
		fclose(f);
		CHECK(ret == 0 && strstr(out, "ssn,US,persons,") && strstr(out, "payment_card,DE,persons,200,200,200,"),
		      "geofence evidence report from the day files the agent left: CSV rows for ssn to "
		      "US and cards to DE (exactly 200)");
		ret = gf_sh_quiet("grep -r -a -w -F -f %s %s %s", planted, lab.state_dir, path);
		CHECK(ret == 1, "no planted value in state.dir (evidence, key) or the reports (grep exit %d)",
		      ret);
	}
	gf_lab_down(&lab);
	gf_world_free(&w);
	return gf_test_summary();
}
