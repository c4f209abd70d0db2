// SPDX-License-Identifier: GPL-2.0
/*
 * A/B of two builds' XDP program on one packet: each object file is loaded
 * as it is (its maps empty: every address is class 0, whose policy row is
 * all zero: pass, nothing sampled, no flows recorded), and the packet runs
 * through each in turn, BPF_PROG_TEST_RUN with a large repeat, alternated,
 * so that both see the same machine.  Prints the medians of the time per
 * run (the wall time of the call over the repeat: the kernel's own figure
 * is whole nanoseconds, too coarse for a few percent) and their ratio; the
 * loop's own cost per run is in both.  For a change on the path every packet
 * takes, where the veth benchmark's spread (10-20%) hides a few percent:
 *
 *   gf_ab OLD/geofence.bpf.o NEW/geofence.bpf.o [rounds] [repeat]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "gf_pkt.h"

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int load(const char *path, struct bpf_object **obj)
{
	struct bpf_program *p;

	*obj = bpf_object__open_file(path, NULL);
	if (!*obj || libbpf_get_error(*obj)) {
		fprintf(stderr, "%s: cannot open\n", path);
		return -1;
	}
	if (bpf_object__load(*obj)) {
		fprintf(stderr, "%s: cannot load (root? bpffs?)\n", path);
		return -1;
	}
	p = bpf_object__find_program_by_name(*obj, "gf_xdp");
	return p ? bpf_program__fd(p) : -1;
}

int main(int argc, char **argv)
{
	int rounds = argc > 3 ? atoi(argv[3]) : 21, repeat = argc > 4 ? atoi(argv[4]) : 2000000, fd[2];
	struct bpf_object *obj[2];
	struct gf_pkt_spec s;
	struct gf_pkt p;
	double *ns[2], med[2];

	if (argc < 3 || rounds < 1 || repeat < 1) {
		fprintf(stderr, "usage: %s A.bpf.o B.bpf.o [rounds] [repeat]\n", argv[0]);
		return 2;
	}
	gf_pkt_spec_init(&s, 4, "8.8.8.8");
	gf_pkt_build(&s, &p);
	for (int v = 0; v < 2; v++) {
		fd[v] = load(argv[1 + v], &obj[v]);
		ns[v] = calloc(rounds, sizeof(double));
		if (fd[v] < 0 || !ns[v])
			return 1;
	}
	for (int r = 0; r < rounds; r++)
		for (int v = 0; v < 2; v++) {
			LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = p.data, .data_size_in = p.len, .repeat = repeat);
			struct timespec t0, t1;
			int rc;

			clock_gettime(CLOCK_MONOTONIC, &t0);
			rc = bpf_prog_test_run_opts(fd[v], &o);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (rc || o.retval != XDP_PASS) {
				fprintf(stderr, "%s: test run failed (%s, verdict %u)\n", argv[1 + v], strerror(errno),
					o.retval);
				return 1;
			}
			ns[v][r] = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / repeat;
		}
	for (int v = 0; v < 2; v++) {
		qsort(ns[v], rounds, sizeof(double), cmp_d);
		med[v] = ns[v][rounds / 2];
		printf("%s: %.2f ns/run (min %.2f, max %.2f, %d rounds of %d)\n", argv[1 + v], med[v], ns[v][0],
		       ns[v][rounds - 1], rounds, repeat);
		bpf_object__close(obj[v]);
		free(ns[v]);
	}
	printf("bench: ab_ratio %.3f (B / A)\n", med[1] / med[0]);
	return 0;
}
