// SPDX-License-Identifier: GPL-2.0
/*
 * The flow export's cost (gf_export, the agent's pass a second) on a
 * kernel LRU hash shaped as the datapath's gf_flows, filled from
 * userspace:
 *
 *   export  every flow idle: one pass reads the table, takes each entry
 *           out and sends its record over UDP to a receiver on loopback;
 *           records a second = flows / pass time;
 *   steady  every flow busy, nothing due: the pass's cost a second at a
 *           full table (the read and the comparison).
 *
 * At 65,536 flows (the default flows.max_entries) and 1,048,576; medians
 * of --reps passes, with min and max.  Prints `bench:` lines.
 *
 *   gf_export_bench [--reps N] [--flows N]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "gf_export.h"

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The receiver: counts datagrams and bytes until told to stop. */
static struct {
	int fd, port;
	volatile int stop;
	unsigned long long msgs, bytes;
} rx;

static void *receiver(void *arg)
{
	static char buf[65536];

	(void)arg;
	while (!rx.stop) {
		ssize_t n = recv(rx.fd, buf, sizeof(buf), 0);

		if (n > 0) {
			rx.msgs++;
			rx.bytes += n;
		}
	}
	return NULL;
}

static int receiver_start(pthread_t *t)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { 0, 100000 };
	socklen_t len = sizeof(a);
	int big = 64 << 20;

	rx.fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (rx.fd < 0 || bind(rx.fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(rx.fd, (struct sockaddr *)&a, &len))
		return -1;
	setsockopt(rx.fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	setsockopt(rx.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	rx.port = ntohs(a.sin_port);
	return pthread_create(t, NULL, receiver, NULL);
}

/* n flows from distinct sources to one CN address, last seen at last_ns */
static int fill(int fd, __u32 n, __u64 first_ns, __u64 last_ns)
{
	const __u32 chunk = 8192;
	struct gf_flow_key *k = calloc(chunk, sizeof(*k));
	struct gf_flow_val *v = calloc(chunk, sizeof(*v));
	int ret = 0;

	if (!k || !v)
		ret = -ENOMEM;
	for (__u32 base = 0; !ret && base < n; base += chunk) {
		__u32 m = n - base < chunk ? n - base : chunk;

		for (__u32 i = 0; i < m; i++) {
			memset(&k[i], 0, sizeof(k[i]));
			k[i].src[0] = htonl(0x0a000000 | (base + i));
			k[i].dst[0] = htonl(0x01000164);
			k[i].sport = 40000 + (base + i) % 20000;
			k[i].dport = 443;
			k[i].cls = 16;
			k[i].ifindex = 2;
			k[i].family = 4;
			k[i].l4_proto = 6;
			k[i].verdict = 1;
			v[i] = (struct gf_flow_val){ 10, 1000, first_ns, last_ns };
		}
		if (bpf_map_update_batch(fd, k, v, &m, NULL))
			ret = -errno;
	}
	free(k);
	free(v);
	return ret;
}

static void report(const char *what, const char *unit, double *x, int reps)
{
	qsort(x, reps, sizeof(*x), cmp_d);
	printf("  %-40s median %10.1f  min %10.1f  max %10.1f %s (%d runs)\n", what, x[reps / 2], x[0],
	       x[reps - 1], unit, reps);
}

static int run(__u32 flows, int reps)
{
	double rate[32], steady_ms[32], pass_ms[32];
	unsigned long long sent = 0, lost = 0;
	char url[64], err[256];
	struct gf_ipfix *x;
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "gf_flows", sizeof(struct gf_flow_key), sizeof(struct gf_flow_val),
			    flows + flows / 8, NULL);
	if (fd < 0) {
		fprintf(stderr, "cannot create the table: %s\n", strerror(errno));
		return -1;
	}
	snprintf(url, sizeof(url), "udp://127.0.0.1:%d", rx.port);
	if (gf_ipfix_open(&x, url, 1, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	for (int r = 0; r < reps; r++) {
		struct gf_export e = { .x = { x }, .nx = 1, .active_ns = 3600e9, .idle_ns = 30e9 };
		struct gf_ipfix_stats st;
		__u64 now = mono_ns(), t0;

		/* steady: all busy (seen now), nothing due; the second pass is the steady one */
		if (fill(fd, flows, now - 1e9, now)) {
			fprintf(stderr, "cannot fill the table: %s\n", strerror(errno));
			return -1;
		}
		gf_export_pass(&e, fd, mono_ns(), 0);
		t0 = mono_ns();
		gf_export_pass(&e, fd, mono_ns(), 0);
		steady_ms[r] = (mono_ns() - t0) / 1e6;
		gf_export_forget(&e);
		/* export: all idle; one pass sends every record and empties the table */
		now = mono_ns();
		fill(fd, flows, now - 100e9, now - 60e9);
		t0 = mono_ns();
		gf_export_pass(&e, fd, mono_ns(), 0);
		pass_ms[r] = (mono_ns() - t0) / 1e6;
		rate[r] = e.records[GF_EXPORT_IDLE] / (pass_ms[r] / 1e3);
		gf_ipfix_stats(x, &st);
		sent = st.records;
		lost = st.lost;
		gf_export_forget(&e);
	}
	printf("%u flows:\n", flows);
	report("steady pass (nothing due)", "ms", steady_ms, reps);
	report("export pass (all idle)", "ms", pass_ms, reps);
	report("records a second", "", rate, reps);
	printf("  sent %llu, lost %llu records over the runs (the receiver got %llu datagrams)\n", sent, lost,
	       rx.msgs);
	printf("bench: export_records_per_s_%u %.0f\n", flows, rate[reps / 2]);
	printf("bench: export_steady_pass_ms_%u %.1f\n", flows, steady_ms[reps / 2]);
	gf_ipfix_close(x);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option o[] = { { "reps", 1, 0, 'r' }, { "flows", 1, 0, 'f' }, { 0 } };
	__u32 only = 0;
	int reps = 5, c, ret = 0;
	pthread_t t;

	while ((c = getopt_long(argc, argv, "", o, NULL)) != -1) {
		if (c == 'r')
			reps = atoi(optarg) < 1 ? 1 : atoi(optarg) > 31 ? 31 : atoi(optarg);
		else if (c == 'f')
			only = strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	if (receiver_start(&t)) {
		perror("receiver");
		return 1;
	}
	printf("flow export (gf_export_pass over a kernel LRU hash, IPFIX over UDP to loopback), %d runs each\n",
	       reps);
	if (only)
		ret = run(only, reps);
	else
		ret = run(65536, reps) ?: run(1 << 20, reps);
	rx.stop = 1;
	pthread_join(t, NULL);
	return ret ? 1 : 0;
}
