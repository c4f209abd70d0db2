// SPDX-License-Identifier: GPL-2.0
/*
 * dlp: what the agent's scanner counted (dlp.json); dlp scan: the same
 * scanner over files.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <libconfig.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gf_config.h"
#include "gf_dlp.h"
#include "gf_dlpstat.h"
#include "gf_evidence.h"
#include "gf_evpg.h"
#include "gf_report.h"
#include "gf_update.h"
#include "gf_guard.h"
#include "gf_ns.h"
#include "gf_datapath.h"
#include "gf_log.h"
#include "gf_names.h"
#include "gf_agent_state.h"
#include "gf_state.h"
#include "gf_text.h"
#include "gf_world.h"
#include "cli.h"

/* ---------------------------------------------------------------------
 * dlp scan: the agent's scanner, offline, over files
 *
 * A file is scanned in windows of SCAN_WINDOW bytes, each starting
 * SCAN_OVERLAP bytes before the previous one ended, so that a value cut by
 * one window's end is whole in the next; a match counts in the window where
 * it ends beyond the overlap, that is once.  A table's first line (the
 * header that names each column, which the scanner reads values by) goes
 * before every later window.  A window with more candidates than
 * SCAN_MAX_EVENTS is scanned again in halves, and that is counted.  Memory
 * is one window, the scanner's copy of it and its candidate list, whatever
 * the file's size.
 */
#define SCAN_WINDOW	(1u << 20)
#define SCAN_OVERLAP	(4u << 10)	/* longer than any value and the context it needs */
#define SCAN_MIN	(16u << 10)	/* a window halved down to this is scanned as it is */
#define SCAN_HEADER	(4u << 10)
#define SCAN_MAX_EVENTS	(1u << 18)

struct scan_file {
	long counts[GF_DLP_MAX];
	unsigned long long bytes;
	long windows, split;		/* windows scanned, halved for their candidates */
	struct gf_dlp_scratch *s;
	size_t skip_end;		/* matches ending here or before were counted already */
};

static void dlp_count(int cat, const char *v, size_t n, void *ctx)
{
	struct scan_file *f = ctx;
	size_t start, end;

	(void)v;
	(void)n;
	gf_dlp_match_span(f->s, &start, &end);
	if (end > f->skip_end)
		f->counts[cat]++;	/* counts only: the value is never kept */
}

static ssize_t fill(int fd, unsigned char *p, size_t want, int *eof)
{
	size_t got = 0;

	while (got < want) {
		ssize_t r = read(fd, p + got, want - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r) {
			*eof = 1;
			break;
		}
		got += r;
	}
	return got;
}

static int scan_fd(int fd, const struct gf_dlp *d, struct scan_file *f)
{
	const size_t cap = SCAN_OVERLAP + SCAN_WINDOW;
	unsigned char *buf = malloc(SCAN_HEADER + cap), *win;
	size_t have = 0, done = 0, hdr = 0, len;
	int eof = 0, rc = 0, first = 1;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	win = buf + SCAN_HEADER;	/* the header, if any, sits right before it */
	for (;;) {
		if (!eof) {
			n = fill(fd, win + have, cap - have, &eof);
			if (n < 0) {
				rc = n;
				break;
			}
			have += n;
			f->bytes += n;
		}
		if (first) {
			unsigned char *nl = memchr(win, '\n', have < SCAN_HEADER ? have : SCAN_HEADER);

			/* a first line with delimiters: a table's header */
			if (nl && (memchr(win, ',', nl - win) || memchr(win, '\t', nl - win) ||
				   memchr(win, ';', nl - win) || memchr(win, '|', nl - win)))
				hdr = nl + 1 - win;
		}
		if (have <= done)
			break;	/* nothing new */
		len = have;
		for (;;) {
			size_t h = first ? 0 : hdr;

			f->skip_end = h + done;
			rc = gf_dlp_scan(d, f->s, win - h, h + len, dlp_count, f);
			if (rc != -E2BIG || len - done <= SCAN_MIN)
				break;
			len = done + (len - done) / 2;	/* too many candidates: half as much */
			f->split++;
		}
		f->windows++;
		if (rc == -E2BIG)
			rc = 0;	/* a minimal window still over the limit: what was found counts */
		if (rc)
			break;
		if (first && hdr) {
			/* keep the header before every later window */
			memcpy(buf + SCAN_HEADER - hdr, win, hdr);
		}
		first = 0;
		if (eof && len == have)
			break;
		/* keep the overlap: the next window starts that much before this one's end */
		memmove(win, win + len - SCAN_OVERLAP, have - (len - SCAN_OVERLAP));
		have -= len - SCAN_OVERLAP;
		done = SCAN_OVERLAP;
	}
	explicit_bzero(buf, SCAN_HEADER + cap);	/* it held what we look for */
	free(buf);
	return rc;
}

static int run_dlp_scan(int argc, char **argv)
{
	struct gf_dlp *d;
	struct gf_dlp_scratch *s;
	char err[256];
	int bad = 0;

	if (argc < 1) {
		fprintf(stderr, "geofence dlp scan: name files to scan ('-' for standard input)\n");
		return EXIT_USAGE;
	}
	if (gf_dlp_open(&d, err, sizeof(err)) || !(s = gf_dlp_scratch_new(d))) {
		fprintf(stderr, "geofence: the scanner: %s\n", err);
		return EXIT_SYSTEM;
	}
	gf_dlp_scratch_limit(s, SCAN_MAX_EVENTS);
	if (!G.json)
		printf("%-32s %12s  %s\n", "FILE", "BYTES", "VALIDATED MATCHES");
	for (int i = 0; i < argc; i++) {
		struct scan_file f = { .s = s };
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
		int rc = fd < 0 ? -errno : scan_fd(fd, d, &f);
		char name[256];

		if (fd > STDIN_FILENO)
			close(fd);
		gf_escape(argv[i], strlen(argv[i]), name, sizeof(name), 0);
		if (rc) {
			fprintf(stderr, "geofence dlp scan: %s: %s\n", name, strerror(-rc));
			bad = 1;
			continue;
		}
		if (G.json) {
			json_object *o = json_object_new_object(), *m = json_object_new_object();

			for (int c = 0; c < GF_DLP_MAX; c++)
				json_object_object_add(m, gf_dlp_cat_name(c), json_object_new_int64(f.counts[c]));
			json_object_object_add(o, "file", json_object_new_string(name));
			json_object_object_add(o, "bytes", json_object_new_int64(f.bytes));
			json_object_object_add(o, "matches", m);
			json_object_object_add(o, "windows", json_object_new_int64(f.windows));
			json_object_object_add(o, "windows_split", json_object_new_int64(f.split));
			cli_json_line(o);	/* a stream: one object per file */
			json_object_put(o);
		} else {
			int any = 0;

			printf("%-32s %12llu ", name, f.bytes);
			for (int c = 0; c < GF_DLP_MAX; c++)
				if (f.counts[c]) {
					printf(" %s=%ld", gf_dlp_cat_name(c), f.counts[c]);
					any = 1;
				}
			printf("%s\n", any ? "" : " none");
			if (f.split)
				printf("%-32s %12s  (%ld of %ld windows held more than %u candidates and were "
				       "scanned again in smaller pieces)\n", "", "", f.split, f.windows,
				       SCAN_MAX_EVENTS);
		}
	}
	gf_dlp_scratch_free(s);
	gf_dlp_close(d);
	return bad ? EXIT_INPUT : 0;
}

static int cell_cmp(const void *a, const void *b)
{
	double x = json_object_get_double(json_object_object_get(*(json_object *const *)a, "upper_share"));
	double y = json_object_get_double(json_object_object_get(*(json_object *const *)b, "upper_share"));

	return x < y ? 1 : x > y ? -1 : 0;
}

/* How much of what was sampled per destination the scanner could read (dlp.json "payloads"). */
static void print_payloads(json_object *o)
{
	json_object *pl;

	if (!json_object_object_get_ex(o, "payloads", &pl) || !json_object_array_length(pl))
		return;
	printf("%-9s %12s %12s %12s %12s %12s %11s\n", "TO", "SAMPLED", "READABLE", "TLS", "QUIC", "OPAQUE",
	       "UNREADABLE");
	for (size_t i = 0; i < json_object_array_length(pl); i++) {
		json_object *e = json_object_array_get_idx(pl, i);

		printf("%-9s %12lld %12lld %12lld %12lld %12lld %10.1f%%\n", gf_state_str(e, "class"),
		       gf_state_int(e, "bytes"), gf_state_int(e, "readable"), gf_state_int(e, "tls"),
		       gf_state_int(e, "quic"), gf_state_int(e, "opaque"),
		       100 * json_object_get_double(json_object_object_get(e, "unreadable_share")));
	}
}

/* The agent's figures: RUN_DIR/dlp.json, counts and estimates only. */
static int run_dlp(int argc, char **argv)
{
	json_object *o, *cells, *alerts, *ev;
	char when_buf[64];

	resolve_paths();
	o = gf_json_read(G.run_dir, GF_DLP_FILE);
	if (!o) {
		fprintf(stderr, "geofence: no %s/%s: is geofenced running, with sampling on? "
				"(geofence status)\n", G.run_dir, GF_DLP_FILE);
		return EXIT_SYSTEM;
	}
	if (G.json) {
		cli_json_document(o);
		json_object_put(o);
		return 0;
	}
	printf("sensitive data in sampled traffic, window %lld days: %lld samples (%lld lost), "
	       "%lld payload bytes scanned, %lld matches\n",
	       gf_state_int(o, "window_days"), gf_state_int(o, "samples"), gf_state_int(o, "samples_lost"),
	       gf_state_int(o, "sampled_bytes"), gf_state_int(o, "matches"));
	print_payloads(o);
	if (json_object_object_get_ex(o, "evidence", &ev))
		print_evidence(ev);
	if (json_object_object_get_ex(o, "cells", &cells) && json_object_array_length(cells)) {
		size_t n = json_object_array_length(cells);
		json_object **v = calloc(n, sizeof(*v));

		for (size_t i = 0; i < n; i++)
			v[i] = json_object_array_get_idx(cells, i);
		qsort(v, n, sizeof(*v), cell_cmp);
		printf("%-19s %-9s %9s %9s %9s %9s %9s %7s  %-8s %-8s %s\n", "CATEGORY", "TO", "PACKETS", "LOWER",
		       "POINT", "UPPER", "THRESHOLD", "SHARE", "LEVEL", "RATE 1/N", "LATEST (REDACTED)");
		for (size_t i = 0; i < n; i++) {
			char rate[24];

			if (gf_state_int(v[i], "sample_rate_min") == gf_state_int(v[i], "sample_rate_max"))
				snprintf(rate, sizeof(rate), "%lld", gf_state_int(v[i], "sample_rate_min"));
			else
				snprintf(rate, sizeof(rate), "%lld-%lld", gf_state_int(v[i], "sample_rate_min"),
					 gf_state_int(v[i], "sample_rate_max"));
			printf("%-19s %-9s %9lld %9lld %9lld %9lld %9lld %6.1f%%  %-8s %-8s %s\n",
			       gf_state_str(v[i], "category"), gf_state_str(v[i], "class"),
			       gf_state_int(v[i], "matches"), gf_state_int(v[i], "lower"),
			       gf_state_int(v[i], "point"), gf_state_int(v[i], "upper"),
			       gf_state_int(v[i], "threshold"),
			       100 * json_object_get_double(json_object_object_get(v[i], "share_of_threshold")),
			       gf_state_str(v[i], "level"), rate, gf_state_str(v[i], "example"));
		}
		free(v);
	} else {
		printf("no sensitive data seen\n");
	}
	if (json_object_object_get_ex(o, "alerts", &alerts))
		for (size_t i = 0; i < json_object_array_length(alerts); i++) {
			json_object *a = json_object_array_get_idx(alerts, i);

			printf("alert %s: %s to %s %s: lower %lld, point %lld, upper %lld (threshold %lld)\n",
			       when(gf_state_int(a, "time"), when_buf, sizeof(when_buf)), gf_state_str(a, "category"),
			       gf_state_str(a, "class"), gf_state_str(a, "level"), gf_state_int(a, "lower"),
			       gf_state_int(a, "estimate"), gf_state_int(a, "upper"), gf_state_int(a, "threshold"));
		}
	json_object_put(o);
	return 0;
}

static const struct cli_opt dlp_opts[] = { CLI_OPT_JSON(&G.json), CLI_OPT_END };

const struct cli_cmd cmd_dlp = {
	.name = "dlp",
	.help = "sensitive data in sampled traffic: per category and destination, the\n"
		"matches, the occurrences and distinct values they stand for, bulk\n"
		"thresholds, alerts (counts and redacted forms only)",
	.opts = dlp_opts,
	.run = run_dlp,
};

const struct cli_cmd cmd_dlp_scan = {
	.name = "dlp scan",
	.args = "FILE...",
	.help = "the sensitive-data scanner over files ('-' is standard input), in\n"
		"overlapping windows of bounded memory: validated matches per\n"
		"category, counts only",
	.opts = dlp_opts,
	.run = run_dlp_scan,
};
