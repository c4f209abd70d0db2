// SPDX-License-Identifier: GPL-2.0
/*
 * The fleet's evidence, end to end, with a real PostgreSQL 15 and its hll
 * extension: three gateways (three agents, each in its own namespaces and
 * state directory, one hash key) send overlapping sets of SSNs to RU, on
 * "monitor" and so sampled 1 in 1 by default:
 *
 *   gw1: 0 .. 5999   gw2: 3000 .. 8999   gw3: 6000 .. 11999   union: 12,000
 *
 * The agents log in with passwords from a passfile; the report is also read
 * over loopback TCP with TLS (verify-full).  Halfway the database is stopped; the agents go on and spool; gw3's agent
 * is killed with -9 and restarted, and its day continues from its file;
 * the database comes back and the agents catch up.  Then:
 *   - the fleet report's point estimate is within 5 % of 12,000 and its
 *     interval holds it; PostgreSQL's own hll_union_agg agrees;
 *   - the report from the database equals the one made from the three
 *     gateways' day files merged without it (what a run without the outage
 *     gives): the outage lost nothing and counted nothing twice;
 *   - a gateway's role cannot touch another's rows;
 *   - no planted value in any state directory, log, report or row.
 * Figures: upload bytes and rows, report time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/stat.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "gf_dlp.h"
#include "gf_evidence.h"
#include "gf_evpg.h"
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_pg.h"
#include "gf_state.h"
#include "gf_test.h"

#define GW 3
#define PER_GW 6000
#define UNION 12000
#define KEY "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

static struct gf_lab lab[GW];
static struct gf_pg pg;
static char planted[256];

/* A valid SSN for record n (area 001-665, 667-899; group 01-99; serial 0001-9999). */
static void ssn_of(int n, char out[16])
{
	int area = 1 + n % 600, group = 1 + (n / 600) % 99, serial = 1 + n / 59400 + n % 7;

	if (area == 666)
		area = 667;
	snprintf(out, 16, "%03d-%02d-%04d", area, group, serial);
}

/* Records first .. first+count-1 to RU from gateway g's LAN, two per datagram. */
static int send_ssns(int g, int first, int count)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9200) };
	int fd, sent = 0;

	if (gf_netns_enter(lab[g].ns_lan))
		return -1;
	inet_pton(AF_INET, lab[g].hosts[0].v4, &a.sin_addr);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	for (int i = first; i < first + count; i += 2) {
		char s1[16], s2[16], msg[256];
		int n;

		ssn_of(i, s1);
		ssn_of(i + 1 < first + count ? i + 1 : i, s2);
		n = snprintf(msg, sizeof(msg), "{\"patients\":[{\"id\":%d,\"ssn\":\"%s\"},{\"id\":%d,"
			     "\"ssn\":\"%s\"}]}", i, s1, i + 1, s2);
		if (sendto(fd, msg, n, 0, (struct sockaddr *)&a, sizeof(a)) == n)
			sent += 2;
		/* paced: the agent drains the ring every 100 ms, and nothing may be lost */
		if ((i - first) % 400 == 398)
			usleep(60000);
	}
	close(fd);
	gf_netns_enter(NULL);
	return sent;
}

static json_object *dlp_json(int g)
{
	static char out[1 << 20];

	if (gf_lab_cli(&lab[g], out, sizeof(out), "dlp --json"))
		return NULL;
	return json_tokener_parse(out);
}

static long long ssn_ru(json_object *o, const char *key)
{
	json_object *cells;

	if (!o || !json_object_object_get_ex(o, "cells", &cells))
		return -1;
	for (size_t i = 0; i < json_object_array_length(cells); i++) {
		json_object *c = json_object_array_get_idx(cells, i);

		if (!strcmp(gf_state_str(c, "category"), "ssn") && !strcmp(gf_state_str(c, "class"), "RU"))
			return gf_state_int(c, key);
	}
	return -1;
}

/* Wait until gateway g's agent has counted `want` SSN packets to RU. */
static long long wait_count(int g, long long want)
{
	long long m = -1;

	for (int i = 0; i < 150 && m < want; i++) {
		json_object *o = dlp_json(g);

		m = ssn_ru(o, "matches");
		json_object_put(o);
		if (m < want)
			usleep(100000);
	}
	return m;
}

/* Wait until every agent's uploader has nothing pending and last succeeded. */
static int wait_uploaded(int seconds)
{
	for (int i = 0; i < seconds * 10; i++) {
		int done = 0;

		for (int g = 0; g < GW; g++) {
			json_object *o = dlp_json(g);

			done += gf_state_int(o, "evidence.upload.pending_days") == 0 &&
				gf_state_int(o, "evidence.upload.rounds") > 0 &&
				!json_object_get_boolean(json_object_object_get(
					json_object_object_get(json_object_object_get(o, "evidence"), "upload"),
					"failing"));
			json_object_put(o);
		}
		if (done == GW)
			return 0;
		usleep(100000);
	}
	return -1;
}

static int start_agent(int g, const char *conninfo)
{
	char extra[1024];

	snprintf(extra, sizeof(extra),
		 "sampling = { bytes = 1500; key = \"%s\"; thresholds = { ssn = 20000; }; };\n"
		 "evidence = { postgres = \"%s\"; upload_interval = 1; write_interval = 1; };\n",
		 KEY, conninfo);
	if (gf_lab_write_config_ex(&lab[g], &(struct gf_lab_conf){
			.sources = "{ mmdb = \"" GF_BUILD_DB "\"; }", .extra = extra }) ||
	    gf_lab_write_list(&lab[g], "00-concern.list", "RU monitor\n"))
		return -1;
	return gf_lab_agent_start(&lab[g]);
}

/* The report from the three gateways' own day files, merged here: no database involved. */
static int local_union(struct gf_ev_summary *out)
{
	struct gf_ev_cell **all = NULL;
	size_t nall = 0;
	int32_t today = gf_ev_day_of(time(NULL));
	struct gf_ev_summary *s;
	int n, found = -1;

	for (int g = 0; g < GW; g++) {
		struct gf_ev_cell **cells, **grow;
		size_t nc;
		uint64_t fp, sk;
		char dir[300], err[256], *skipped;

		snprintf(dir, sizeof(dir), "%s/%s", lab[g].state_dir, GF_EV_DIR);
		if (gf_ev_read_dir(dir, today - 364, today, &cells, &nc, &fp, &skipped, &sk, err, sizeof(err)))
			return -1;
		free(skipped);
		grow = realloc(all, (nall + nc) * sizeof(*all));
		if (!grow)
			return -1;
		all = grow;
		for (size_t i = 0; i < nc; i++) {
			cells[i]->gateway = g;
			all[nall++] = cells[i];
		}
		free(cells);
	}
	n = gf_ev_summarize(all, nall, today - 364, today, &s);
	for (int i = 0; i < n; i++)
		if (s[i].cat == GF_DLP_SSN && !strcmp(s[i].dest, "RU")) {
			*out = s[i];
			found = 0;
		}
	free(s);
	gf_ev_cells_free(all, nall);
	return found;
}

static json_object *db_row(json_object *rep, const char *cat, const char *dest)
{
	json_object *rows;

	if (!rep || !json_object_object_get_ex(rep, "rows", &rows))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);

		if (!strcmp(gf_state_str(r, "category"), cat) && !strcmp(gf_state_str(r, "destination"), dest))
			return r;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const char *const hosts[] = { "RU" };
	static const char *const tags[GW] = { "gfe1", "gfe2", "gfe3" };
	static const char *const roles[GW] = { "gw1", "gw2", "gw3" };
	static struct gf_world w;
	static char out[1 << 20];
	char conninfo[GW][512], reader[512], err[512];
	struct gf_ev_summary local = { 0 };
	json_object *rep, *row;
	long long before_kill;
	FILE *pf;
	int ret;

	gf_test_verbose = argc > 1 && !strcmp(argv[1], "-v");
	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_pg_up(&pg))
		return GF_TEST_SETUP_ERROR;
	for (int g = 0; g < GW; g++)
		if (gf_pg_add_gateway(&pg, roles[g]))
			return GF_TEST_SETUP_ERROR;
	if (gf_world_load_default(&w, err, sizeof(err)))
		return GF_TEST_SETUP_ERROR;
	for (int g = 0; g < GW; g++) {
		if (gf_lab_up(&lab[g], tags[g], &w, hosts, 1))
			return GF_TEST_SETUP_ERROR;
		/* the agents run in their gateways' namespaces: the socket reaches the server */
		gf_pg_conninfo(&pg, roles[g], conninfo[g], sizeof(conninfo[g]));
		ret = start_agent(g, conninfo[g]);
		if (!CHECK(ret == 0, "gateway %d: geofenced starts (%d)", g + 1, ret))
			return gf_test_summary();
	}
	gf_pg_conninfo(&pg, "reader", reader, sizeof(reader));
	snprintf(planted, sizeof(planted), "%s/planted.txt", lab[0].dir);
	pf = fopen(planted, "w");
	for (int i = 0; i < UNION && pf; i++) {
		char s[16];

		ssn_of(i, s);
		fprintf(pf, "%s\n%.3s%.2s%.4s\n", s, s, s + 4, s + 7);
	}
	if (pf)
		fclose(pf);

	/* ---- first halves, with the database up ---- */
	for (int g = 0; g < GW; g++)
		CHECK(send_ssns(g, g * 3000, 3000) == 3000, "gateway %d: 3,000 SSNs sent to RU", g + 1);
	for (int g = 0; g < GW; g++)
		CHECK(wait_count(g, 3000) == 3000, "gateway %d: 3,000 SSNs counted (two a packet), at "
		      "1 in 1 (monitor's default)", g + 1);
	sleep(2);	/* a write interval: the day files hold it */
	CHECK(wait_uploaded(60) == 0, "all three uploaded");
	CHECK(gf_pg_sql(&pg, out, sizeof(out), "SELECT count(*), count(DISTINCT gateway) FROM geofence.evidence "
			"WHERE category = 'ssn' AND destination = 'RU';") == 0 && !strcmp(out, "3|3"),
	      "one row per gateway in PostgreSQL (%s)", out);

	/* ---- the database goes away ---- */
	CHECK(gf_pg_stop(&pg) == 0, "PostgreSQL stopped");
	for (int g = 0; g < 2; g++)
		CHECK(send_ssns(g, g * 3000 + 3000, 3000) == 3000, "gateway %d: the second 3,000 sent", g + 1);
	CHECK(send_ssns(2, 9000, 1500) == 1500, "gateway 3: 1,500 of its second half sent");
	CHECK(wait_count(2, 4500) == 4500, "gateway 3 counted them");
	/* past one write interval (1 s here), then kill -9: nothing of it may be lost */
	sleep(2);
	{
		json_object *o = dlp_json(2);

		before_kill = ssn_ru(o, "point");
		CHECK(gf_state_int(o, "evidence.upload.pending_days") >= 1 &&
		      json_object_get_boolean(json_object_object_get(
			      json_object_object_get(json_object_object_get(o, "evidence"), "upload"), "failing")),
		      "with the database down, the day waits in the spool (%lld pending)",
		      gf_state_int(o, "evidence.upload.pending_days"));
		json_object_put(o);
	}
	CHECK(gf_lab_agent_stop(&lab[2], SIGKILL) == 128 + SIGKILL, "gateway 3's agent killed with -9");
	ret = gf_lab_agent_start(&lab[2]);
	CHECK(ret == 0, "and started again (%d)", ret);
	{
		long long after = -1;

		for (int i = 0; i < 30 && after < before_kill; i++) {
			json_object *o = dlp_json(2);

			after = ssn_ru(o, "point");
			json_object_put(o);
			if (after < before_kill)
				usleep(100000);
		}
		CHECK(fabs(before_kill - 4500.0) < 0.05 * 4500 && after == before_kill,
		      "its day continues: %lld distinct before the kill (4,500 sent), %lld after",
		      before_kill, after);
	}
	CHECK(send_ssns(2, 10500, 1500) == 1500, "gateway 3: the rest of its second half sent");
	CHECK(wait_count(2, 6000) == 6000, "gateway 3: 6,000 SSNs counted across the restart");
	for (int g = 0; g < 2; g++)
		CHECK(wait_count(g, 6000) == 6000, "gateway %d: 6,000 SSNs counted", g + 1);
	CHECK(gf_pg_sql(&pg, out, sizeof(out), "SELECT 1;") != 0, "(the database is still down)");

	/* ---- it comes back: the agents catch up ---- */
	CHECK(gf_pg_start(&pg) == 0, "PostgreSQL started again");
	sleep(2);
	CHECK(wait_uploaded(60) == 0, "all three caught up");
	for (int g = 0; g < GW; g++) {
		json_object *o = dlp_json(g);

		CHECK(gf_state_int(o, "samples_lost") == 0, "gateway %d: no sample lost to a full ring", g + 1);
		if (g == 0)
			printf("bench: evidence_upload_bytes_gateway_day %lld (rows %lld, a day of 6,000 distinct "
			       "SSNs in one cell, uploaded every second while it grew)\n",
			       gf_state_int(o, "evidence.upload.bytes"), gf_state_int(o, "evidence.upload.rows"));
		json_object_put(o);
	}

	/* ---- the fleet report ---- */
	{
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		ret = gf_lab_cli(&lab[0], out, sizeof(out), "evidence report --db '%s' --format json", reader);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("bench: evidence_report_fleet_3gw_ms %.0f\n",
		       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
	rep = ret == 0 ? json_tokener_parse(out) : NULL;
	row = db_row(rep, "ssn", "RU");
	if (CHECK(row != NULL, "the fleet report has ssn to RU (exit %d)", ret)) {
		long long lo = gf_state_int(row, "lower"), pt = gf_state_int(row, "point"),
			  up = gf_state_int(row, "upper");

		CHECK(fabs((double)pt - UNION) <= 0.05 * UNION,
		      "the point estimate %lld is within 5%% of the union, %d (%+.1f%%)", pt, UNION,
		      100.0 * (pt - UNION) / UNION);
		CHECK(lo <= UNION && UNION <= up, "the interval [%lld, %lld] holds %d", lo, up, UNION);
		CHECK(gf_state_int(row, "gateways") == 3 && gf_state_int(row, "days") == 1 &&
		      gf_state_int(row, "sample_rate_max") == 1 && !strcmp(gf_state_str(row, "unit"), "persons"),
		      "3 gateways, 1 day, at 1 in 1, in persons");
		printf("bench: evidence_fleet_point_error %+.1f%% (interval %lld .. %lld)\n",
		       100.0 * (pt - UNION) / UNION, lo, up);
		if (CHECK(local_union(&local) == 0, "the three gateways' own files, merged here"))
			CHECK(llround(local.est.point) == llround(json_object_get_double(json_object_object_get(row, "point"))) &&
			      (long long)local.est.lower == lo && (long long)(local.est.upper + 0.999) == up &&
			      (long long)local.packets == 18000,
			      "the database's report equals the one without it: the outage lost nothing, "
			      "counted nothing twice (%.0f %.0f %.0f, %llu packets)", local.est.lower,
			      local.est.point, local.est.upper, (unsigned long long)local.packets);
	}
	json_object_put(rep);
	CHECK(gf_pg_sql_as(&pg, "reader", out, sizeof(out),
			   "SELECT round(distinct_in_samples), gateways, exact FROM geofence.bulk_last_12_months "
			   "WHERE category = 'ssn' AND destination = 'RU';") == 0,
	      "the schema's view answers for the fleet: %s", out);
	{
		double v = atof(out);

		CHECK(fabs(v - UNION) <= 0.05 * UNION && strstr(out, "|3|t"),
		      "PostgreSQL's own hll_union_agg of the uploaded sketches: %.0f of %d, 3 gateways, exact "
		      "rates", v, UNION);
	}
	CHECK(gf_lab_cli(&lab[0], out, sizeof(out), "evidence report --db '%s'", reader) == 0 &&
	      strstr(out, "ssn") && strstr(out, "RU") && strstr(out, "gateways: 3"),
	      "the table report names the gateways");
	/* TLS and passwords as libpq does them: verify-full against the server's certificate */
	{
		char tls[600], bad[700];

		gf_pg_conninfo_tls(&pg, "reader", tls, sizeof(tls));
		CHECK(gf_lab_cli(&lab[0], out, sizeof(out), "evidence report --db '%s' --format csv", tls) == 0 &&
		      strstr(out, "ssn,RU,persons,"), "the report over TCP with TLS (sslmode=verify-full)");
		CHECK(gf_sh_quiet("psql '%s' -XAtc \"SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()\" "
				  "| grep -qx t", tls) == 0, "(the server says the session is TLS)");
		snprintf(bad, sizeof(bad), "%s", tls);
		*strstr(bad, "sslrootcert=") = 0;
		strcat(bad, "sslrootcert=/etc/ssl/certs/ca-certificates.crt");
		CHECK(gf_lab_cli(&lab[0], out, sizeof(out), "evidence report --db '%s'", bad) == 3 &&
		      strstr(out, "certificate verify failed"), "a certificate the CA does not vouch for is "
		      "refused: %.160s", out);
	}

	/*
	 * ---- another hash key: gw1 uploading a day made with another key is
	 * refused (the database keeps the first key's row), and rows of another
	 * key in the window are left out of the report, which says so ----
	 */
	{
		static const uint8_t other[16] = { 0xde, 0xad };
		char dir[] = "/tmp/gfe-otherkey-XXXXXX", evdir[300], e[512] = "";
		struct gf_evidence *ev = NULL;
		struct gf_evpg *u = NULL;

		if (CHECK(mkdtemp(dir) && !chmod(dir, 0750) &&
			  !gf_ev_open(&ev, dir, other, 400, -1, e, sizeof(e)), "a store of another key: %s", e)) {
			gf_ev_add(ev, time(NULL), GF_DLP_SSN, "RU", 1, 12345);
			gf_ev_flush(ev, e, sizeof(e));
			snprintf(evdir, sizeof(evdir), "%s", gf_ev_dir(ev));
			CHECK(!gf_evpg_new(&u, conninfo[0], evdir, gf_ev_fingerprint(ev), -1, e, sizeof(e)),
			      "an uploader for it as gw1: %s", e);
			ret = u ? gf_evpg_round(u, e, sizeof(e)) : 0;
			CHECK(ret == -EKEYREJECTED && strstr(e, "under another hash key"),
			      "its upload over gw1's row is refused: %s", e);
			gf_evpg_free(u);
			gf_ev_close(ev);
		}
		gf_sh_quiet("rm -rf %s", dir);
		CHECK(gf_pg_sql(&pg, out, sizeof(out), "INSERT INTO geofence.evidence SELECT 'gw9', day, "
				"category, destination, unit, 'ffffffffffffffff', sketch, sample, sample_k, "
				"sample_threshold, rate_min, rate_max, packets, occurrences, first_seen, last_seen "
				"FROM geofence.evidence WHERE gateway = 'gw1';") == 0, "a row of gw9 under another key");
		ret = gf_lab_cli(&lab[0], out, sizeof(out), "evidence report --db '%s' --format json", reader);
		rep = json_tokener_parse(out);
		row = db_row(rep, "ssn", "RU");
		CHECK(ret == 1 && strstr(gf_state_str(rep, "left_out") ?: "", "another hash key (gw9)") && row &&
		      gf_state_int(row, "gateways") == 3,
		      "the report leaves it out, names gw9, exits 1, and counts the three (%s)",
		      gf_state_str(rep, "left_out") ?: "");
		json_object_put(rep);
		gf_pg_sql(&pg, NULL, 0, "DELETE FROM geofence.evidence WHERE gateway = 'gw9';");
	}

	/* ---- a gateway cannot touch another's rows ---- */
	CHECK(gf_pg_sql_as(&pg, "gw1", out, sizeof(out),
			   "UPDATE geofence.evidence SET packets = 0 WHERE gateway = 'gw2' RETURNING 1;") == 0 &&
	      out[0] == 0, "gw1 updating gw2's rows changes none (%s)", out);
	CHECK(gf_pg_sql_as(&pg, "gw1", out, sizeof(out),
			   "INSERT INTO geofence.evidence SELECT 'gw2', day + 1, category, destination, unit, "
			   "key_fingerprint, sketch, sample, sample_k, sample_threshold, rate_min, rate_max, "
			   "packets, occurrences, first_seen, last_seen FROM geofence.evidence;") != 0 &&
	      strstr(out, "row-level security"), "nor insert rows in gw2's name: %.80s", out);
	CHECK(gf_pg_sql_as(&pg, "gw1", out, sizeof(out), "DELETE FROM geofence.evidence;") != 0 &&
	      strstr(out, "permission denied"), "nor delete: %.60s", out);
	CHECK(gf_pg_sql_as(&pg, "gw1", out, sizeof(out), "SELECT count(*) FROM geofence.evidence;") == 0 &&
	      !strcmp(out, "1"), "and sees only its own row (%s)", out);

	/*
	 * ---- the report over a big fleet: 100 gateways x 365 days of synthetic
	 * rows (emails to CN, 50 hashes a day each, a sketch built by the
	 * database from the same hashes), beside the real ones; bar: 2 s ----
	 */
	{
		struct timespec t0, t1;
		char fp[32] = "";
		double ms;
		json_object *o = dlp_json(0);

		snprintf(fp, sizeof(fp), "%s", gf_state_str(o, "evidence.key_fingerprint") ?: "");
		json_object_put(o);
		ret = gf_pg_sql(&pg, out, sizeof(out),
				"INSERT INTO geofence.evidence SELECT 'syn' || g, current_date - d, 'email', 'CN', "
				"'persons', '%s', s.sketch, s.sample, 2048, 18446744073709551615, 1, 1, 50, 50, "
				"now() - d * interval '1 day', now() - d * interval '1 day' "
				"FROM generate_series(1, 100) g, generate_series(0, 364) d, LATERAL ("
				"SELECT hll_add_agg(h::hll_hashval) AS sketch, "
				/* uniform over 64 bits, in unsigned order (the sign bit flipped) */
				"string_agg(int8send(h) || int4send(1), ''::bytea "
				"ORDER BY h # (-9223372036854775807 - 1)) AS sample "
				"FROM (SELECT DISTINCT (random() * 18446744073709551615.0 - 9223372036854775808.0"
				" + g * 0 + d * 0)::bigint AS h FROM generate_series(1, 50)) x) s;", fp);
		CHECK(ret == 0, "36,500 synthetic rows inserted (%.80s)", out);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ret = gf_lab_cli(&lab[0], out, sizeof(out), "evidence report --db '%s' --format json", reader);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
		rep = ret == 0 ? json_tokener_parse(out) : NULL;
		row = db_row(rep, "email", "CN");
		CHECK(row && gf_state_int(row, "gateways") == 100 && gf_state_int(row, "days") == 365 &&
		      fabs(gf_state_int(row, "point") - 1825000.0) < 0.05 * 1825000 && db_row(rep, "ssn", "RU"),
		      "the report over 100 gateways x 365 days: 100 gateways, 365 days, about 1,825,000 "
		      "distinct (%lld), the real rows beside", row ? gf_state_int(row, "point") : -1);
		CHECK(ms < 2000, "in %.0f ms (bar: 2 s)", ms);
		printf("bench: evidence_report_100gw_365d_ms %.0f (36,500 rows of 50 hashes, plus the real ones)\n",
		       ms);
		json_object_put(rep);
		gf_pg_sql(&pg, NULL, 0, "DELETE FROM geofence.evidence WHERE gateway LIKE 'syn%%';");
	}

	/* ---- nothing planted anywhere ---- */
	{
		char rows[300], cmd[2048];
		int n = 0;

		snprintf(rows, sizeof(rows), "%s/rows.txt", pg.dir);
		gf_pg_sql(&pg, NULL, 0, "\\copy geofence.evidence TO '%s'", rows);
		for (int g = 0; g < GW; g++) {
			gf_lab_cli(&lab[g], out, sizeof(out), "dlp --json");
			n += snprintf(cmd + n, sizeof(cmd) - n, " %s %s %s/*.json", lab[g].state_dir, lab[g].log,
				      lab[g].run_dir);
		}
		CHECK(gf_sh_quiet("test -s %s", rows) == 0, "the rows, dumped (%s)", rows);
		CHECK(gf_sh_quiet("grep -q -a -w -F -f %s %s", planted, planted) == 0,
		      "(the grep finds a planted value where there is one)");
		ret = gf_sh_quiet("grep -r -a -w -F -f %s %s %s", planted, rows, cmd);
		CHECK(ret == 1, "no planted SSN in any state directory, spool, log, dlp.json or database "
		      "row (grep exit %d)", ret);
	}

	/*
	 * ---- a corrupt day file: named in the log, status and dlp.json, set
	 * aside byte for byte, and the agent runs on with the rest ----
	 */
	CHECK(gf_lab_agent_stop(&lab[0], SIGTERM) == 0, "gateway 1's agent stopped");
	{
		char day[16], path[400], aside[420];

		FILE *ls;

		/* the newest day file: the one the test's traffic wrote, also when the run crossed midnight (UTC) */
		gf_ev_day_str(gf_ev_day_of(time(NULL)), day, sizeof(day));
		snprintf(path, sizeof(path), "ls -1 %s/%s | grep -x '[0-9-]*\\.gfe' | sort | tail -1", lab[0].state_dir,
			 GF_EV_DIR);
		if ((ls = popen(path, "r"))) {
			if (fscanf(ls, "%10[0-9-].gfe", day) != 1)
				gf_ev_day_str(gf_ev_day_of(time(NULL)), day, sizeof(day));
			pclose(ls);
		}
		snprintf(path, sizeof(path), "%s/%s/%s.gfe", lab[0].state_dir, GF_EV_DIR, day);
		snprintf(aside, sizeof(aside), "%s.rejected", path);
		CHECK(gf_sh_quiet("cp %s %s/orig && printf 'XX' | dd of=%s bs=1 seek=200 conv=notrunc "
				  "status=none && cp %s %s/corrupt", path, lab[0].dir, path, path, lab[0].dir) == 0,
		      "the newest day file of gateway 1 (%s) corrupted (two bytes)", day);
		ret = gf_lab_agent_start(&lab[0]);
		CHECK(ret == 0, "the agent starts all the same (%d)", ret);
		/* ready comes with the first generation; the evidence opens with the services after it */
		CHECK(gf_sh_quiet("for i in $(seq 50); do grep -q 'evidence: .*%s.gfe does not load: checksum mismatch "
				  "(corrupt); kept as %s.gfe.rejected' %s && exit 0; sleep 0.1; done; exit 1", day, day,
				  lab[0].log) == 0, "the log names the file and why");
		CHECK(gf_sh_quiet("cmp -s %s %s/corrupt", aside, lab[0].dir) == 0,
		      "the file is kept aside, unchanged, as %s.gfe.rejected", day);
		sleep(1);
		CHECK(gf_lab_cli(&lab[0], out, sizeof(out), "status") == 0 && strstr(out, "SET ASIDE at start") &&
		      strstr(out, "checksum mismatch"), "geofence status says so");
		{
			json_object *o = dlp_json(0);

			CHECK(o && json_object_array_length(json_object_object_get(
					   json_object_object_get(o, "evidence"), "rejected")) == 1 &&
			      ssn_ru(o, "point") == -1, "dlp.json lists it, and counts nothing of that day");
			json_object_put(o);
		}
	}

	for (int g = 0; g < GW; g++) {
		gf_lab_detach(&lab[g], NULL, 0);
		gf_lab_down(&lab[g]);
	}
	gf_pg_down(&pg);
	gf_world_free(&w);
	return gf_test_summary();
}
