// SPDX-License-Identifier: GPL-2.0
/*
 * Scanner throughput, one core, payloads the size the agent scans (a TCP
 * segment's payload, 1460 bytes):
 *   (a) mixed text, as plaintext traffic leaving a company: prose (mail,
 *       documents), HTML pages, HTTP requests and JSON API bodies, log
 *       lines, and one part in six of the labelled corpus's records,
 *       which carry sensitive values of every category;
 *   (b) digit-heavy JSON: records of ids, timestamps, prices, amounts,
 *       phone- and card-shaped fields, where every number is a candidate.
 * Targets (issue 5): >= 2 Gbit/s on (a), >= 1 Gbit/s on (b).
 *
 *   gf_dlp_bench [--seconds S] [--reps N] [--chunk BYTES] [--dump DIR]
 */
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include "gf_dlp.h"
#include "gf_peek.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static unsigned long long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct buf {
	char *p;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static int hex(char c)
{
	return c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
}

static const char *const vocab[] = {
	"the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "was", "with", "be",
	"by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
	"an", "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has",
	"there", "been", "if", "more", "when", "will", "would", "who", "so", "no", "quarterly",
	"report", "meeting", "customer", "shipment", "review", "project", "team", "please",
	"attached", "update", "schedule", "budget", "contract", "delivery", "invoice", "support",
	"release", "server", "network", "policy", "account", "product", "market", "office",
	"request", "approval", "thanks", "regards", "tomorrow", "week", "morning", "agenda",
};

static const char *word(void)
{
	return vocab[rnd() % (sizeof(vocab) / sizeof(*vocab))];
}

/* plain traffic: no planted values, few numbers */
static void plain(struct buf *b, size_t want)
{
	char t[1024];
	int n;

	while (b->len < want) {
		switch (rnd() % 4) {
		case 0:	/* prose */
			for (int i = 0, w = 60 + rnd() % 120; i < w; i++) {
				n = snprintf(t, sizeof(t), "%s%s", word(), rnd() % 12 ? " " : ". ");
				put(b, t, n);
			}
			put(b, "\n\n", 2);
			break;
		case 1:	/* HTML */
			n = snprintf(t, sizeof(t),
				     "<div class=\"card\"><h2>%s %s</h2><p>%s %s %s %s <a href=\"/%s/%s\">%s</a>"
				     "</p><ul><li>%s</li><li>%s %s</li></ul><span class=\"muted\">%s</span></div>\n",
				     word(), word(), word(), word(), word(), word(), word(), word(), word(), word(),
				     word(), word(), word());
			put(b, t, n);
			break;
		case 2:	/* a request and a JSON body */
			n = snprintf(t, sizeof(t),
				     "GET /api/v2/%s/%llu HTTP/1.1\r\nHost: app.example.com\r\nAccept: "
				     "application/json\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n\r\n"
				     "{\"status\":\"ok\",\"%s\":\"%s\",\"count\":%llu,\"next\":null}\n",
				     word(), rnd() % 100000, word(), word(), rnd() % 100);
			put(b, t, n);
			break;
		default:	/* a log line */
			n = snprintf(t, sizeof(t), "2025-06-0%llu 12:%02llu:%02llu INFO [%s-worker] %s %s %s "
				     "in %llu ms\n", 1 + rnd() % 9, rnd() % 60, rnd() % 60, word(), word(), word(),
				     word(), rnd() % 900);
			put(b, t, n);
		}
	}
}

/* the corpus generator's records, concatenated */
static int records(struct buf *b, size_t want)
{
	char cmd[512], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "perl %s/tests/dlp/gen-corpus.pl bench 40000 5", GF_SRCDIR);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (b->len < want && (n = getline(&line, &cap, p)) > 0) {
		char *h = strchr(line, '\t'), *e;

		h = h ? strchr(h + 1, '\t') : NULL;
		if (!h)
			continue;
		e = strchr(++h, '\t');
		for (; h + 1 < e; h += 2) {
			char c = hex(h[0]) << 4 | hex(h[1]);

			put(b, &c, 1);
		}
		put(b, "\n", 1);
	}
	free(line);
	pclose(p);
	return 0;
}

/* (b): JSON made of numbers */
static void digits_json(struct buf *b, size_t want)
{
	char rec[512];

	while (b->len < want) {
		int n = snprintf(rec, sizeof(rec),
				 "{\"id\":%llu,\"order_id\":%llu,\"ts\":%llu,\"price\":%llu.%02llu,"
				 "\"qty\":%llu,\"sku\":\"%06llu\",\"amount\":%llu.%02llu,\"store\":%llu,"
				 "\"phone\":\"%03llu-%03llu-%04llu\",\"ref\":\"%016llu\",\"rating\":%llu.%03llu,"
				 "\"items\":[%llu,%llu,%llu,%llu]},\n",
				 rnd() % 1000000000, rnd() % 10000000000ull, 1600000000000ull + rnd() % 200000000000ull,
				 rnd() % 1000, rnd() % 100, rnd() % 20, rnd() % 1000000, rnd() % 100000, rnd() % 100,
				 rnd() % 9999, 200 + rnd() % 800, 200 + rnd() % 800, rnd() % 10000,
				 rnd() % 10000000000000000ull, rnd() % 5, rnd() % 1000, rnd() % 100000,
				 rnd() % 100000, rnd() % 100000, rnd() % 100000);
		put(b, rec, n);
	}
}

static unsigned long long matches;

static void count(int cat, const char *v, size_t n, void *ctx)
{
	(void)cat;
	(void)v;
	(void)n;
	(void)ctx;
	matches++;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Gbit/s over `reps` runs of `secs` each, median. */
static double run(const struct gf_dlp *d, struct gf_dlp_scratch *s, const struct buf *b, size_t chunk,
		  double secs, int reps, double *mpm)
{
	double r[32];

	for (int k = 0; k < reps && k < 32; k++) {
		double t0 = now(), t;
		size_t bytes = 0;

		matches = 0;
		do {
			for (size_t off = 0; off < b->len; off += chunk) {
				size_t n = b->len - off < chunk ? b->len - off : chunk;

				gf_dlp_scan(d, s, b->p + off, n, count, NULL);
				bytes += n;
			}
		} while ((t = now() - t0) < secs);
		r[k] = bytes * 8 / t / 1e9;
		*mpm = matches / (bytes / 1e6);
	}
	qsort(r, reps, sizeof(double), cmp);
	return r[reps / 2];
}

/* gf_peek (what the payload is, its name) over the same payloads: Gbit/s, median. */
static double run_peek(const struct buf *b, size_t chunk, double secs, int reps)
{
	double r[32];
	struct gf_peek pk;

	for (int k = 0; k < reps && k < 32; k++) {
		double t0 = now(), t;
		size_t bytes = 0;

		do {
			for (size_t off = 0; off < b->len; off += chunk) {
				size_t n = b->len - off < chunk ? b->len - off : chunk;

				gf_peek((const uint8_t *)b->p + off, n, IPPROTO_TCP, 50000, 443, &pk);
				bytes += n;
			}
		} while ((t = now() - t0) < secs);
		r[k] = bytes * 8 / t / 1e9;
	}
	qsort(r, reps, sizeof(double), cmp);
	return r[reps / 2];
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "dump", required_argument, NULL, 'd' },
		{},
	};
	struct buf a = { 0 }, b = { 0 }, c = { 0 };
	struct gf_dlp *d;
	struct gf_dlp_scratch *s;
	double secs = 1.0, ga, gb, gc, ma, mb, mc;
	int reps = 5, ch;
	const char *dump = NULL;
	size_t chunk = 1460;
	char err[256];
	cpu_set_t cpus;

	while ((ch = getopt_long(argc, argv, "s:r:c:", lo, NULL)) != -1) {
		switch (ch) {
		case 's': secs = atof(optarg); break;
		case 'r': reps = atoi(optarg); break;
		case 'c': chunk = strtoul(optarg, NULL, 0); break;
		case 'd': dump = optarg; break;
		default: return 2;
		}
	}
	if (reps < 1 || reps > 31 || chunk < 64)
		return 2;
	CPU_ZERO(&cpus);
	CPU_SET(1, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	if (gf_dlp_open(&d, err, sizeof(err)) || !(s = gf_dlp_scratch_new(d))) {
		fprintf(stderr, "gf_dlp_bench: %s\n", err);
		return 1;
	}
	{
		/* five parts plain traffic, one part records, interleaved in 8 KiB runs */
		struct buf p = { 0 }, r = { 0 };
		size_t ip = 0, ir = 0;

		plain(&p, 15 << 20);
		if (records(&r, 3 << 20) || !r.len) {
			fprintf(stderr, "gf_dlp_bench: cannot generate the corpus (perl)\n");
			return 1;
		}
		while (ip < p.len || ir < r.len) {
			size_t n = p.len - ip < 40960 ? p.len - ip : 40960;

			put(&a, p.p + ip, n);
			ip += n;
			n = r.len - ir < 8192 ? r.len - ir : 8192;
			put(&a, r.p + ir, n);
			ir += n;
		}
		c = r;
		free(p.p);
	}
	digits_json(&b, 16 << 20);
	if (dump) {
		/* the corpora as files, for a profiler */
		const struct buf *all[] = { &a, &b, &c };

		for (int i = 0; i < 3; i++) {
			char path[512];
			FILE *f;

			snprintf(path, sizeof(path), "%s/%c.bin", dump, 'a' + i);
			if ((f = fopen(path, "wb"))) {
				fwrite(all[i]->p, 1, all[i]->len, f);
				fclose(f);
			}
		}
	}

	printf("sensitive-data scanner, one core, %zu-byte payloads, median of %d x %.1f s\n", chunk, reps,
	       secs);
	ga = run(d, s, &a, chunk, secs, reps, &ma);
	gb = run(d, s, &b, chunk, secs, reps, &mb);
	gc = run(d, s, &c, chunk, secs, reps, &mc);
	printf("  (a) mixed text         %6.1f MB: %6.2f Gbit/s  (%.0f validated matches/MB)  target >= 2\n",
	       a.len / 1e6, ga, ma);
	printf("  (b) digit-heavy JSON   %6.1f MB: %6.2f Gbit/s  (%.0f validated matches/MB)  target >= 1\n",
	       b.len / 1e6, gb, mb);
	printf("  (c) records only       %6.1f MB: %6.2f Gbit/s  (%.0f validated matches/MB)  "
	       "(every payload carries values)\n", c.len / 1e6, gc, mc);
	printf("bench: dlp_mixed_gbps %.2f\n", ga);
	printf("bench: dlp_digit_json_gbps %.2f\n", gb);
	printf("bench: dlp_records_gbps %.2f\n", gc);
	{
		double pa = run_peek(&a, chunk, secs, reps), pb = run_peek(&b, chunk, secs, reps);

		printf("  gf_peek (kind and name of each payload): (a) %.2f Gbit/s, (b) %.2f Gbit/s; the scanner "
		       "with it: (a) %.2f, (b) %.2f Gbit/s (%.3f, %.3f of the scanner alone)\n", pa, pb,
		       1 / (1 / ga + 1 / pa), 1 / (1 / gb + 1 / pb), (1 / (1 / ga + 1 / pa)) / ga,
		       (1 / (1 / gb + 1 / pb)) / gb);
		printf("bench: dlp_peek_mixed_gbps %.2f\n", pa);
	}
	gf_dlp_scratch_free(s);
	gf_dlp_close(d);
	free(a.p);
	free(b.p);
	free(c.p);
	return 0;
}
