// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: the datapath against a parse-and-drop baseline, the kernel's
 * LPM trie and nftables, at line rate on a veth pair.
 *
 * A live-frames generator (gf_tgen) on one end of a veth pair in a private
 * namespace sends frames whose destinations come from the real allocated
 * address space; the contender runs on the other end and drops.  Mpps =
 * packets the contender counted / wall time of the generator run.  The
 * contenders are interleaved within each repetition and the medians are
 * compared, so that the machine's drift hits all of them alike.
 *
 * Prints figures, never fails on them: benchmarks are not timed tests.
 */
#include <errno.h>
#include <getopt.h>
#include <linux/if_link.h>
#include <math.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "baseline.skel.h"
#include "busy.skel.h"
#include "gf_config.h"
#include "gf_datapath.h"
#include "gf_log.h"
#include "gf_names.h"
#include "gf_netns.h"
#include "gf_pkt.h"
#include "gf_rand.h"
#include "gf_tgen.h"
#include "gf_world.h"
#include "lpm.skel.h"

#define NS "gfbench"
#define NADDR (1u << 16)
#define MAX_REPS 64

enum { C_EMPTY, C_GEOFENCE, C_LPM, C_NFT, C_MAX };
static const char *cname[C_MAX] = { "empty (parse+count+drop)", "geofence, world table",
				    "BPF_MAP_TYPE_LPM_TRIE, world", "nftables, six countries" };
enum { P_RANGE, P_ADDR, P_HOT, P_MAX };
static const char *pname[P_MAX] = { "random range", "uniform over allocated addresses",
				    "16 hot destinations" };
static const char *pkey[P_MAX] = { "range", "addr", "hot" };
enum { M_SERIAL, M_PARALLEL, M_MAX };

static struct {
	int reps, par_reps;
	__u32 packets, slow_packets;
	int only_family, cpu;
	int no_nft, no_lpm, parallel, probe_only, calibrate, flows_only, scopes_only;
} opt = { .reps = 5, .par_reps = 3, .packets = 10000000, .slow_packets = 2000000, .cpu = -1 };

static struct gf_world world;
static struct gf_dp *dp;
static struct baseline_bpf *bl;
static struct lpm_bpf *lpm;
static int if_gen, if_dut, ncpus, gen_cpu;
static double mpps[M_MAX][2][P_MAX][C_MAX][MAX_REPS];
static double cost_ns[2][P_MAX][C_MAX][MAX_REPS];
static double lpm_load_s, nft_load_s, install_s;
static size_t nft_ranges[2], lpm_prefixes[2];

static struct gf_rand rng;

static __u64 rnd64(void)
{
	return gf_rand64(&rng);
}

static gf_u128 rnd128(void)
{
	return gf_rand128(&rng);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Destinations: only addresses some country holds (the allocated space). */
static void make_dests(int f, int pattern, gf_u128 *out)
{
	const struct gf_rs *rs = &world.countries[f];
	static gf_u128 *cum;
	static int cum_f = -1;
	gf_u128 total;
	size_t i;

	if (cum_f != f) {
		free(cum);
		cum = malloc(sizeof(*cum) * rs->n);
		total = 0;
		for (i = 0; i < rs->n; i++) {
			total += rs->v[i].last - rs->v[i].first + 1;
			cum[i] = total;
		}
		cum_f = f;
	}
	total = cum[rs->n - 1];
	for (i = 0; i < NADDR; i++) {
		const struct gf_range *r;

		if (pattern == P_ADDR) {
			gf_u128 x = rnd128() % total;
			size_t lo = 0, hi = rs->n - 1;

			while (lo < hi) {	/* first cum > x */
				size_t mid = (lo + hi) / 2;

				if (cum[mid] > x)
					hi = mid;
				else
					lo = mid + 1;
			}
			r = &rs->v[lo];
			out[i] = r->last - (cum[lo] - 1 - x);
		} else {
			r = &rs->v[rnd64() % rs->n];
			out[i] = r->first + rnd128() % (r->last - r->first + 1 ?: ~(gf_u128)0);
		}
		if (pattern == P_HOT && i >= 16)
			out[i] = out[i % 16];
	}
}

static __u64 sum_percpu(int fd, __u32 nkeys)
{
	__u64 *v = calloc(ncpus, sizeof(*v)), total = 0;

	for (__u32 k = 0; k < nkeys; k++) {
		if (bpf_map_lookup_elem(fd, &k, v))
			continue;
		for (int c = 0; c < ncpus; c++)
			total += v[c];
	}
	free(v);
	return total;
}

static __u64 count_geofence(void)
{
	static struct gf_class_counters c[GF_NUM_CLASSES];
	__u64 total = 0;

	if (gf_dp_class_stats(dp, GF_HOOK_XDP, c))
		return 0;
	for (int i = 0; i < GF_NUM_CLASSES; i++)
		for (int v = 0; v < GF_VERDICT_MAX; v++)
			total += c[i].v[v].packets;
	return total;
}


static __u64 count(int c)
{
	switch (c) {
	case C_EMPTY:
		return sum_percpu(bpf_map__fd(bl->maps.bl_count), 1);
	case C_GEOFENCE:
		return count_geofence();
	case C_LPM:
		return sum_percpu(bpf_map__fd(lpm->maps.lpm_count), 4096);
	default:
		return gf_nft_counter(NULL, "netdev gfbench", "seen");
	}
}

static int attach(int c)
{
	int fd = c == C_EMPTY ? bpf_program__fd(bl->progs.bl_xdp) :
		 c == C_GEOFENCE ? gf_dp_prog_fd(dp, "gf_xdp") :
		 c == C_LPM ? bpf_program__fd(lpm->progs.lpm_xdp) : -1;

	if (fd < 0) {
		bpf_xdp_detach(if_dut, XDP_FLAGS_DRV_MODE, NULL);
		return 0;
	}
	return bpf_xdp_attach(if_dut, fd, XDP_FLAGS_DRV_MODE, NULL);
}

/* The six countries of concern as an nftables interval set. */
static int setup_nft(void)
{
	static const char *cc[] = { "CN", "IR", "RU", "KP", "CU", "VE" };
	char path[] = "/tmp/gfbench-nft-XXXXXX";
	int fd = mkstemp(path), err;
	FILE *f = fdopen(fd, "w");
	double t0;

	fprintf(f, "table netdev gfbench {\n\tcounter seen { }\n");
	for (int fam = 0; fam < 2; fam++) {
		struct gf_rs six;
		int first = 1;

		gf_rs_init(&six, fam ? 6 : 4);
		for (size_t i = 0; i < world.countries[fam].n; i++) {
			const struct gf_range *r = &world.countries[fam].v[i];

			for (int k = 0; k < 6; k++)
				if (r->cls == gf_class_from_cc(cc[k]))
					gf_rs_add(&six, r->first, r->last, 1, 0);
		}
		gf_rs_normalize(&six, NULL, NULL);	/* adjacent ranges merge */
		nft_ranges[fam] = six.n;
		fprintf(f, "\tset six%d {\n\t\ttype %s\n\t\tflags interval\n\t\telements = {",
			fam ? 6 : 4, fam ? "ipv6_addr" : "ipv4_addr");
		for (size_t i = 0; i < six.n; i++) {
			char a[64], b[64];

			gf_addr_str(fam ? 6 : 4, six.v[i].first, a, sizeof(a));
			gf_addr_str(fam ? 6 : 4, six.v[i].last, b, sizeof(b));
			fprintf(f, "%s\n\t\t\t%s-%s", first ? "" : ",", a, b);
			first = 0;
		}
		fprintf(f, "\n\t\t}\n\t}\n");
		gf_rs_free(&six);
	}
	fprintf(f, "\tchain ingress {\n\t\ttype filter hook ingress device vb priority 0; policy accept;\n"
		   "\t\tcounter name seen\n\t\tip daddr @six4 drop\n\t\tip6 daddr @six6 drop\n"
		   "\t\tdrop\n\t}\n}\n");
	fclose(f);
	t0 = now();
	err = gf_sh("nft -f %s", path);
	nft_load_s = now() - t0;
	unlink(path);
	return err ? -EIO : 0;
}

static int setup_lpm(void)
{
	double t0 = now();
	int err;

	lpm = lpm_bpf__open_and_load();
	if (!lpm)
		return -errno;
	for (int f = 0; f < 2; f++) {
		const struct gf_rs *rs = &world.all[f];
		int fd = bpf_map__fd(f ? lpm->maps.lpm6 : lpm->maps.lpm4);
		int bits = f ? 128 : 32;

		for (size_t i = 0; i < rs->n; i++) {
			gf_u128 a = rs->v[i].first, last = rs->v[i].last;
			__u32 val = rs->v[i].cls;

			/* split the range into maximal aligned prefixes */
			for (;;) {
				int len = bits;
				struct {
					__u32 plen;
					__u8 addr[16];
				} key;

				while (len > 0) {
					gf_u128 size = (gf_u128)1 << (bits - len + 1);

					if (bits - len + 1 >= 128 || (a & (size - 1)) || a + size - 1 > last)
						break;
					len--;
				}
				key.plen = len;
				for (int b = 0; b < bits / 8; b++)
					key.addr[b] = a >> (bits - 8 - 8 * b);
				err = bpf_map_update_elem(fd, &key, &val, 0);
				if (err)
					return -errno;
				lpm_prefixes[f]++;
				if (len == 0)
					break;
				{
					gf_u128 end = a + (((gf_u128)1 << (bits - len)) - 1);

					if (end >= last)
						break;
					a = end + 1;
				}
			}
		}
	}
	lpm_load_s = now() - t0;
	return 0;
}

static int setup(void)
{
	static struct gf_policy pol[GF_NUM_CLASSES];
	char errbuf[512];
	cpu_set_t cpus;
	double t0;
	int err;

	ncpus = libbpf_num_possible_cpus();
	gen_cpu = opt.cpu >= 0 ? opt.cpu : ncpus - 1;
	if (gf_netns_create(NS) ||
	    gf_sh("ip -n " NS " link add va type veth peer name vb") ||
	    gf_sh("ip -n " NS " link set va up && ip -n " NS " link set vb up") ||
	    gf_sh("ip netns exec " NS " ethtool -K vb gro on >/dev/null"))
		return -EIO;
	err = gf_netns_enter(NS);
	if (err)
		return err;
	if_gen = if_nametoindex("va");
	if_dut = if_nametoindex("vb");

	/* the generator always runs on one pinned CPU */
	CPU_ZERO(&cpus);
	CPU_SET(gen_cpu, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);

	err = gf_world_load_default(&world, errbuf, sizeof(errbuf));
	if (err) {
		fprintf(stderr, "%s\n", errbuf);
		return err;
	}
	err = gf_dp_open(&dp, NULL);
	if (err)
		return err;
	gf_policy_fill(pol, GF_ACT_DROP);
	pol[GF_CLASS_RESERVED].action = GF_ACT_DROP;
	t0 = now();
	err = gf_dp_install(dp, world.table[0], world.table[1], pol);
	install_s = now() - t0;
	if (err)
		return err;
	bl = baseline_bpf__open_and_load();
	if (!bl)
		return -errno;
	if (!opt.no_lpm && (err = setup_lpm()))
		return err;
	if (!opt.no_nft && (err = setup_nft()))
		return err;
	return 0;
}

/*
 * serial: veth's NAPI runs where the frames are sent, so generator and
 * receiver share the CPU and a rate is 1 / (generator + receiver cost).
 * parallel: threaded NAPI with the receiver's thread pinned to the other
 * CPU, like a NIC's queue on its own core; the rate is set by the slower
 * side, and both sides contend on the page pool's recycle ring.
 */
static int set_mode(int mode)
{
	if (mode == M_SERIAL)
		return gf_sh_quiet("ip netns exec " NS " sh -c 'echo 0 > /sys/class/net/vb/threaded'"
				   " 2>/dev/null") ? 0 : 0;
	if (gf_sh("ip netns exec " NS " sh -c 'echo 1 > /sys/class/net/vb/threaded'"))
		return -EIO;
	usleep(100000);
	return gf_sh("for p in $(pgrep 'napi/vb'); do taskset -pc %d $p >/dev/null; done",
		     gen_cpu == 0 ? 1 : 0) ? -EIO : 0;
}

/*
 * The full default database to tables loaded in the datapath, measured in
 * a fresh process (this binary again, --measure-load), so that its peak
 * RSS is the load's alone: a forked child would start out with the
 * parent's resident pages.  Reads the database, layers, builds, loads the
 * BPF object and installs a generation.
 */
static double load_wall_s, load_rss_mb;

static int load_child(void)
{
	static struct gf_policy pol[GF_NUM_CLASSES];
	struct gf_world w;
	struct gf_dp *d;
	char errbuf[512];
	double t0 = now();

	gf_log_route_libs(0);
	if (gf_world_load_default(&w, errbuf, sizeof(errbuf)) || gf_dp_open(&d, NULL))
		return 1;
	gf_policy_fill(pol, GF_ACT_PASS);
	if (gf_dp_install(d, w.table[0], w.table[1], pol))
		return 1;
	printf("%.6f\n", now() - t0);
	return 0;
}

static int measure_load(void)
{
	int pipefd[2], status;
	struct rusage ru;
	char buf[64] = "";
	pid_t pid;

	if (pipe(pipefd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		execl("/proc/self/exe", "gf_bench", "--measure-load", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], buf, sizeof(buf) - 1) <= 0)
		buf[0] = '\0';
	close(pipefd[0]);
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -EIO;
	load_wall_s = atof(buf);
	load_rss_mb = ru.ru_maxrss / 1024.0;
	return 0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[MAX_REPS];

	memcpy(s, v, sizeof(*v) * n);
	qsort(s, n, sizeof(*s), cmp_d);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static int skip(int c)
{
	return (c == C_NFT && opt.no_nft) || (c == C_LPM && opt.no_lpm);
}

/* Per-packet program cost without veth: feeder + tail call into each contender. */
static int measure_costs(int f, int p, const gf_u128 *dests)
{
	struct gf_feed *fd;
	int err;

	err = gf_feed_open(&fd, f ? 6 : 4, dests, NADDR);
	if (err)
		return err;
	for (int r = 0; r < opt.reps && !err; r++) {
		for (int c = 0; c < C_NFT && !err; c++) {
			int prog = c == C_EMPTY ? bpf_program__fd(bl->progs.bl_xdp) :
				   c == C_GEOFENCE ? gf_dp_prog_fd(dp, "gf_xdp") :
				   lpm ? bpf_program__fd(lpm->progs.lpm_xdp) : -1;

			if (prog >= 0)
				err = gf_feed_run(fd, prog, c == C_LPM ? 1u << 19 : 1u << 22,
						  &cost_ns[f][p][c][r]);
		}
	}
	gf_feed_close(fd);
	return err;
}

/*
 * Which generator this kernel allows: a short run decides.  The AF_PACKET
 * fallback is an order of magnitude slower, so runs are shorter with it
 * unless the packet counts were given.
 */
static enum gf_tgen_kind gen_kind;

static int probe_generator(int packets_set)
{
	gf_u128 one = 0xc0000201;	/* 192.0.2.1: reserved, dropped by every contender */
	struct gf_tgen *g = NULL;
	double secs;
	int err;

	err = gf_tgen_open(&g, 4, if_gen, &one, 1) ?: gf_tgen_run(g, 64, 0, &secs);
	if (!err)
		gen_kind = gf_tgen_kind(g);
	gf_tgen_close(g);
	if (!err && gen_kind != GF_TGEN_LIVE_FRAMES && !packets_set) {
		opt.packets /= 10;
		opt.slow_packets /= 4;
	}
	return err;
}

static int run_one(int c, struct gf_tgen *g, double *out)
{
	__u32 n = c == C_NFT || c == C_LPM ? opt.slow_packets : opt.packets;
	__u64 before, after;
	double secs;
	int err;

	err = attach(c);
	if (err)
		return err;
	usleep(20000);
	before = count(c);
	err = gf_tgen_run(g, n, 0, &secs);
	if (err)
		return err;
	usleep(20000);	/* frames still in the veth ring */
	after = count(c);
	*out = (after - before) / secs / 1e6;
	return 0;
}

static int measure_mode(int mode)
{
	static gf_u128 dests[NADDR];
	int reps = mode == M_SERIAL ? opt.reps : opt.par_reps, err;

	err = set_mode(mode);
	if (err)
		return err;
	printf("%s mode (%s):\n", mode == M_SERIAL ? "serial" : "parallel",
	       mode == M_SERIAL ? "generator and receiver on one CPU" :
				  "receiver's NAPI thread on the other CPU");
	for (int f = 0; f < 2; f++) {
		if (opt.only_family && opt.only_family != (f ? 6 : 4))
			continue;
		for (int p = 0; p < P_MAX; p++) {
			struct gf_tgen *g;

			rng.s = 0x9e3779b97f4a7c15ull + f * 7 + p;	/* same dests in both modes */
			make_dests(f, p, dests);
			err = gf_tgen_open(&g, f ? 6 : 4, if_gen, dests, NADDR);
			if (err)
				return err;
			for (int r = 0; r < reps && !opt.probe_only; r++)
				for (int c = 0; c < C_MAX && !err; c++)
					if (!skip(c))
						err = run_one(c, g, &mpps[mode][f][p][c][r]);
			gf_tgen_close(g);
			if (!err && mode == M_SERIAL)
				err = measure_costs(f, p, dests);
			if (err)
				return err;

			printf("  IPv%d, %s:\n", f ? 6 : 4, pname[p]);
			for (int c = 0; c < C_MAX; c++) {
				const double *v = mpps[mode][f][p][c];
				double m, lo = 1e9, hi = 0;

				if (skip(c))
					continue;
				m = median(v, reps);
				for (int r = 0; r < reps; r++) {
					lo = fmin(lo, v[r]);
					hi = fmax(hi, v[r]);
				}
				printf("    %-31s %6.2f Mpps (%5.2f-%5.2f)  x%.3f", cname[c], m, lo, hi,
				       m / median(mpps[mode][f][p][C_EMPTY], reps));
				if (mode == M_SERIAL && c != C_NFT)
					printf("   program %6.1f ns/pkt", median(cost_ns[f][p][c], opt.reps));
				printf("\n");
			}
			fflush(stdout);
		}
	}
	printf("\n");
	return 0;
}

/*
 * Payload sampling's cost: the same traffic (IPv4, uniform destinations)
 * with every class passed, sampling off and on.  Passed frames go on to
 * the namespace's stack, which drops them (no route), so this is the rate
 * a gateway forwarding the traffic would see; the feeder's figure is the
 * program alone.  A thread on the other CPU drains the ring as the agent
 * does.  Interleaved runs, medians.
 */
/* 1 in 1: what monitored classes get by default (sampling.monitor_rate), under a flood */
static const __u32 sample_rates[] = { 0, 1000, 100, 1, 1 };
static const __u32 sample_budgets[] = { 0, 0, 0, GF_SAMPLES_PER_SECOND_DEFAULT, 0 };
static const char *const sample_names[] = { "sampling off", "sampling 1 in 1000", "sampling 1 in 100",
					    "1 in 1, default budget", "1 in 1, no budget" };
#define NSR (sizeof(sample_rates) / sizeof(sample_rates[0]))
static double samp_mpps[NSR][MAX_REPS], samp_ns[NSR][MAX_REPS], samp_lost[NSR][MAX_REPS];
static volatile int drain_stop;
static __u64 drained;

static int drain_one(void *ctx, void *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	drained++;
	return 0;
}

static void *drainer(void *arg)
{
	struct ring_buffer *rb = arg;
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(gen_cpu == 0 ? 1 : 0, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	while (!drain_stop) {
		ring_buffer__poll(rb, 50);
		ring_buffer__consume(rb);	/* woken or not */
	}
	return NULL;
}

/* The datapath's own counts of samples taken and skipped (reasons, both hooks, all CPUs). */
static void sample_counts(__u64 *taken, __u64 *lost)
{
	struct gf_counter r[GF_REASON_MAX];

	gf_dp_reason_stats(dp, GF_HOOK_XDP, r);
	*taken = r[GF_REASON_SAMPLED].packets;
	*lost = r[GF_REASON_SAMPLE_LOST].packets + r[GF_REASON_SAMPLE_CAPPED].packets;
}

static int install_sampling(__u32 rate)
{
	static struct gf_policy pol[GF_NUM_CLASSES];

	gf_policy_fill(pol, GF_ACT_PASS);
	for (int c = 0; c < GF_NUM_CLASSES; c++) {
		pol[c].sample_rate = rate;
		pol[c].snaplen = 256;
	}
	return gf_dp_install(dp, world.table[0], world.table[1], pol);
}

static int measure_sampling(void)
{
	static gf_u128 dests[NADDR];
	static struct gf_policy drop[GF_NUM_CLASSES];
	struct ring_buffer *rb = ring_buffer__new(gf_dp_samples_fd(dp), drain_one, NULL, NULL);
	struct gf_tgen *g = NULL;
	struct gf_feed *fd = NULL;
	pthread_t thr;
	int err;

	if (!rb)
		return -errno;
	drain_stop = 0;
	pthread_create(&thr, NULL, drainer, rb);
	rng.s = 0x9e3779b97f4a7c15ull + P_ADDR;
	make_dests(0, P_ADDR, dests);
	err = set_mode(M_SERIAL) ?: gf_tgen_open(&g, 4, if_gen, dests, NADDR) ?:
	      gf_feed_open(&fd, 4, dests, NADDR) ?: attach(C_GEOFENCE);
	for (int r = 0; r < opt.reps && !err; r++)
		for (size_t k = 0; k < NSR && !err; k++) {
			__u64 before, after;
			double secs;

			__u64 taken0, lost0, taken1, lost1;

			gf_dp_set_sample_budget(dp, sample_budgets[k]);
			err = install_sampling(sample_rates[k]);
			if (err)
				break;
			usleep(20000);
			sample_counts(&taken0, &lost0);
			before = count_geofence();
			err = gf_tgen_run(g, opt.packets / 2, 0, &secs);
			usleep(20000);
			after = count_geofence();
			sample_counts(&taken1, &lost1);
			samp_mpps[k][r] = (after - before) / secs / 1e6;
			/* the share of picked packets whose sample was skipped (ring full, budget) */
			samp_lost[k][r] = taken1 + lost1 > taken0 + lost0 ?
					  (double)(lost1 - lost0) / (taken1 + lost1 - taken0 - lost0) : 0;
			if (!err)
				err = gf_feed_run(fd, gf_dp_prog_fd(dp, "gf_xdp"), 1u << 22, &samp_ns[k][r]);
		}
	gf_dp_set_sample_budget(dp, 0);
	drain_stop = 1;
	pthread_join(thr, NULL);
	ring_buffer__free(rb);
	gf_tgen_close(g);
	gf_feed_close(fd);
	/* back to the drop-all policy the other measurements use */
	gf_policy_fill(drop, GF_ACT_DROP);
	if (!err)
		err = gf_dp_install(dp, world.table[0], world.table[1], drop);
	if (err)
		return err;
	printf("payload sampling (IPv4, uniform destinations, every class passed, 256-byte "
	       "snaplen, serial mode; %llu samples drained):\n", (unsigned long long)drained);
	for (size_t k = 0; k < NSR; k++) {
		double m = median(samp_mpps[k], opt.reps), ns = median(samp_ns[k], opt.reps);

		printf("    %-31s %6.2f Mpps  x%.3f   program %6.1f ns/pkt  x%.3f   samples skipped "
		       "%5.1f%%\n", sample_names[k], m, m / median(samp_mpps[0], opt.reps), ns,
		       median(samp_ns[0], opt.reps) / ns, 100 * median(samp_lost[k], opt.reps));
	}
	printf("\n");
	return 0;
}

/*
 * Who sends what where (gf_flows): the program time per packet when a
 * class's flows are recorded, against the same action without it, for two
 * kinds of traffic: 16 hot destinations (16 flows: after the first packet
 * every one finds its entry) and a scan of 65,536 distinct destinations
 * through the default table (as many flows as entries: the LRU evicts on
 * almost every packet, the table's worst case).  "pass, not recorded" is
 * the path of every country nobody lists.
 */
static const struct {
	const char *name, *key;
	__u8 action, flags;
	__u32 budget;		/* new flows per CPU and second, 0: none */
} flow_cases[] = {
	{ "pass, not recorded", "pass_plain", GF_ACT_PASS, 0, 0 },
	{ "pass, recorded", "pass_recorded", GF_ACT_PASS, GF_POL_FLOWS, 0 },
	{ "monitor, recorded", "monitor_recorded", GF_ACT_MONITOR, GF_POL_FLOWS, 0 },
	{ "drop, not recorded", "drop_plain", GF_ACT_DROP, 0, 0 },
	{ "drop, recorded", "drop_recorded", GF_ACT_DROP, GF_POL_FLOWS, 0 },
	{ "drop, recorded, budget", "drop_recorded_budget", GF_ACT_DROP, GF_POL_FLOWS,
	  GF_FLOWS_NEW_PER_SECOND_DEFAULT },
};
#define NFC (sizeof(flow_cases) / sizeof(flow_cases[0]))
static const int flow_patterns[] = { P_HOT, P_ADDR };
static const char *const flow_pattern_names[] = { "hot", "scan" };
static double flow_ns[2][NFC][MAX_REPS];

static int measure_flows(void)
{
	static struct gf_policy pol[GF_NUM_CLASSES];
	static gf_u128 dests[NADDR];
	int err = 0;

	for (int w = 0; w < 2 && !err; w++) {
		struct gf_feed *fd = NULL;

		rng.s = 0x9e3779b97f4a7c15ull + flow_patterns[w];
		make_dests(0, flow_patterns[w], dests);
		err = gf_feed_open(&fd, 4, dests, NADDR);
		for (int r = 0; r < opt.reps && !err; r++)
			for (size_t k = 0; k < NFC && !err; k++) {
				gf_policy_fill(pol, flow_cases[k].action);
				for (int c = 0; c < GF_NUM_CLASSES; c++)
					pol[c].flags = flow_cases[k].flags;
				gf_dp_set_flow_budget(dp, flow_cases[k].budget);
				err = gf_dp_install(dp, world.table[0], world.table[1], pol) ?:
				      gf_feed_run(fd, gf_dp_prog_fd(dp, "gf_xdp"), 1u << 22, &flow_ns[w][k][r]);
			}
		gf_feed_close(fd);
	}
	gf_dp_set_flow_budget(dp, 0);
	gf_policy_fill(pol, GF_ACT_DROP);
	if (!err)
		err = gf_dp_install(dp, world.table[0], world.table[1], pol);
	if (err)
		return err;
	printf("flow records (IPv4, feeder; gf_flows of %u entries, %.1f MiB of kernel memory, %.0f bytes "
	       "a flow; budget: the default %u new flows per CPU and second):\n", gf_dp_flows_capacity(dp),
	       gf_dp_flows_bytes(dp) / 1048576.0, (double)gf_dp_flows_bytes(dp) / gf_dp_flows_capacity(dp),
	       GF_FLOWS_NEW_PER_SECOND_DEFAULT);
	for (int w = 0; w < 2; w++)
		for (size_t k = 0; k < NFC; k++) {
			size_t base = flow_cases[k].action == GF_ACT_DROP ? 3 : 0;
			double ns = median(flow_ns[w][k], opt.reps), b = median(flow_ns[w][base], opt.reps);

			printf("    %-4s %-22s program %6.1f ns/pkt  x%.3f of %s\n", flow_pattern_names[w],
			       flow_cases[k].name, ns, ns / b, flow_cases[base].name);
		}
	printf("\n");
	return 0;
}

/*
 * Scopes (policies by source): the program time per packet (feeder, IPv4,
 * uniform destinations, every scope dropping) without scopes, with scopes
 * whose selectors the sender matches none of (the source lookups, then
 * the default policy), with the sender in a prefix scope (the trie's hit
 * and the scope's counter), and in an interface scope (the trie's miss,
 * the interface array's hit), each with the scope's counter.  The
 * feeder's frames come from 192.168.1.10 on ifindex 1 (BPF_PROG_TEST_RUN's
 * loopback), untagged.
 */
static const struct {
	const char *name, *key;
	int nsel;
	struct gf_scope_sel sel[3];
} scope_cases[] = {
	{ "no scopes", "none", 0, { { 0 } } },
	{ "scopes, the sender in none", "miss", 3,
	  { { .kind = GF_SCOPE_SRC4, .scope = 1, .len = 8, .addr = 0x0a000000 },
	    { .kind = GF_SCOPE_VLAN, .scope = 2, .id = 100 },
	    { .kind = GF_SCOPE_IFACE, .scope = 3, .id = 999999 } } },
	{ "the sender in a prefix scope", "prefix", 2,
	  { { .kind = GF_SCOPE_SRC4, .scope = 1, .len = 8, .addr = 0x0a000000 },
	    { .kind = GF_SCOPE_SRC4, .scope = 2, .len = 24, .addr = 0xc0a80100 } } },
	{ "the sender in an interface scope", "iface", 2,
	  { { .kind = GF_SCOPE_SRC4, .scope = 1, .len = 8, .addr = 0x0a000000 },
	    { .kind = GF_SCOPE_IFACE, .scope = 3, .id = 1 } } },
};
#define NSC (sizeof(scope_cases) / sizeof(scope_cases[0]))
static double scope_ns[NSC][MAX_REPS];

static int measure_scopes(void)
{
	static struct gf_policy rows[4 * GF_NUM_CLASSES];
	static gf_u128 dests[NADDR];
	struct gf_feed *fd = NULL;
	int err;

	for (int s = 0; s < 4; s++)
		gf_policy_fill(rows + s * GF_NUM_CLASSES, GF_ACT_DROP);
	rng.s = 0x9e3779b97f4a7c15ull + P_ADDR;
	make_dests(0, P_ADDR, dests);
	err = gf_feed_open(&fd, 4, dests, NADDR);
	for (int r = 0; r < opt.reps && !err; r++)
		for (size_t k = 0; k < NSC && !err; k++)
			err = gf_dp_install_scoped(dp, world.table[0], world.table[1], rows, 4, scope_cases[k].sel,
						   scope_cases[k].nsel) ?:
			      gf_feed_run(fd, gf_dp_prog_fd(dp, "gf_xdp"), 1u << 22, &scope_ns[k][r]);
	gf_feed_close(fd);
	if (!err)
		err = gf_dp_install(dp, world.table[0], world.table[1], rows);
	if (err)
		return err;
	printf("scopes (IPv4, feeder, uniform destinations, every scope dropping; medians of %d):\n", opt.reps);
	for (size_t k = 0; k < NSC; k++) {
		double ns = median(scope_ns[k], opt.reps), b = median(scope_ns[0], opt.reps);

		printf("    %-34s program %6.1f ns/pkt  %+5.1f ns  x%.3f of no scopes\n", scope_cases[k].name, ns, ns - b,
		       ns / b);
	}
	printf("\n");
	return 0;
}

/*
 * Native against generic XDP on the same veth pair, geofence dropping every
 * packet (IPv4, uniform destinations): what `xdp_mode = "generic"` (or an
 * `auto` fallback) costs.  Interleaved runs, medians.
 */
static double mode_mpps[2][MAX_REPS];

static int measure_generic(void)
{
	static gf_u128 dests[NADDR];
	struct gf_tgen *g = NULL;
	int err;

	rng.s = 0x9e3779b97f4a7c15ull + P_ADDR;
	make_dests(0, P_ADDR, dests);
	err = set_mode(M_SERIAL) ?: gf_tgen_open(&g, 4, if_gen, dests, NADDR);
	for (int r = 0; r < opt.reps && !err; r++)
		for (int k = 0; k < 2 && !err; k++) {
			__u32 flags = k ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
			__u64 before, after;
			double secs;

			bpf_xdp_detach(if_dut, XDP_FLAGS_DRV_MODE, NULL);
			bpf_xdp_detach(if_dut, XDP_FLAGS_SKB_MODE, NULL);
			err = bpf_xdp_attach(if_dut, gf_dp_prog_fd(dp, "gf_xdp"), flags, NULL);
			if (err)
				break;
			usleep(20000);
			before = count_geofence();
			err = gf_tgen_run(g, opt.packets / 2, 0, &secs);
			usleep(20000);
			after = count_geofence();
			mode_mpps[k][r] = (after - before) / secs / 1e6;
		}
	bpf_xdp_detach(if_dut, XDP_FLAGS_SKB_MODE, NULL);
	gf_tgen_close(g);
	if (!err)
		err = attach(C_GEOFENCE);
	if (err)
		return err;
	printf("XDP mode (IPv4, uniform destinations, every packet dropped, serial mode):\n"
	       "    native  %6.2f Mpps\n    generic %6.2f Mpps  x%.3f\n\n", median(mode_mpps[0], opt.reps),
	       median(mode_mpps[1], opt.reps), median(mode_mpps[1], opt.reps) / median(mode_mpps[0], opt.reps));
	return 0;
}

/*
 * What a known amount of extra per-packet work does to the measured rate in
 * each mode: the baseline plus n dependent multiply-adds.  A sound harness
 * turns more work into a lower rate, monotonically.
 */
static int calibrate(void)
{
	static const __u32 steps[] = { 0, 8, 16, 32, 64 };
	static gf_u128 dests[NADDR];
	struct gf_tgen *g;
	int err;

	rng.s = 42;
	make_dests(0, P_ADDR, dests);
	err = gf_tgen_open(&g, 4, if_gen, dests, NADDR);
	if (err)
		return err;
	printf("harness calibration: the baseline plus n dependent multiply-adds "
	       "(best of %d runs)\n", opt.reps);
	for (int mode = 0; mode < M_MAX && !err; mode++) {
		err = set_mode(mode);
		for (size_t k = 0; k < sizeof(steps) / sizeof(*steps) && !err; k++) {
			struct busy_bpf *b = busy_bpf__open();
			struct gf_pkt_spec s;
			struct gf_pkt pk;
			double best = 0, secs;

			if (!b)
				return -errno;
			b->rodata->busy_n = steps[k];
			err = busy_bpf__load(b) ?:
			      bpf_xdp_attach(if_dut, bpf_program__fd(b->progs.busy_xdp), XDP_FLAGS_DRV_MODE,
					     NULL);
			gf_pkt_spec_init(&s, 4, "192.0.2.1");
			gf_pkt_build(&s, &pk);
			LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pk.data, .data_size_in = pk.len,
				    .repeat = 1u << 21);
			if (!err)
				err = bpf_prog_test_run_opts(bpf_program__fd(b->progs.busy_xdp), &o);
			for (int r = 0; r < opt.reps && !err; r++) {
				__u64 before = sum_percpu(bpf_map__fd(b->maps.busy_count), 1);

				usleep(20000);
				err = gf_tgen_run(g, opt.packets, 0, &secs);
				usleep(20000);
				best = fmax(best, (sum_percpu(bpf_map__fd(b->maps.busy_count), 1) - before) /
						  secs / 1e6);
			}
			if (!err)
				printf("  %-8s n=%-3u program %4u ns  %6.2f Mpps\n",
				       mode == M_SERIAL ? "serial" : "parallel", steps[k], o.duration, best);
			busy_bpf__destroy(b);
		}
	}
	set_mode(M_SERIAL);
	gf_tgen_close(g);
	printf("\n");
	return err;
}

static double ratio(int mode, int f, int p, int a, int b)
{
	int reps = mode == M_SERIAL ? opt.reps : opt.par_reps;

	return median(mpps[mode][f][p][a], reps) / median(mpps[mode][f][p][b], reps);
}

static void print_bench_lines(int mode)
{
	const char *sfx = mode == M_SERIAL ? "" : "_parallel";

	for (int f = 0; f < 2; f++) {
		const char *fam = f ? "ipv6" : "ipv4";

		if (opt.only_family && opt.only_family != (f ? 6 : 4))
			continue;
		/*
		 * Headline: destinations drawn uniformly from the allocated
		 * address space; the per-range draw is the stress case.
		 */
		printf("bench: %s_world_vs_empty%s %.3f\n", fam, sfx, ratio(mode, f, P_ADDR, C_GEOFENCE, C_EMPTY));
		if (!opt.no_lpm)
			printf("bench: %s_world_vs_lpm_trie%s %.2f\n", fam, sfx,
			       ratio(mode, f, P_ADDR, C_GEOFENCE, C_LPM));
		if (!opt.no_nft)
			printf("bench: %s_world_vs_nftables%s %.2f\n", fam, sfx,
			       ratio(mode, f, P_ADDR, C_GEOFENCE, C_NFT));
		for (int p = 0; p < P_MAX; p++) {
			if (p == P_ADDR)
				continue;
			printf("bench: %s_world_vs_empty_%s%s %.3f\n", fam, pkey[p], sfx,
			       ratio(mode, f, p, C_GEOFENCE, C_EMPTY));
			if (!opt.no_lpm)
				printf("bench: %s_world_vs_lpm_trie_%s%s %.2f\n", fam, pkey[p], sfx,
				       ratio(mode, f, p, C_GEOFENCE, C_LPM));
			if (!opt.no_nft)
				printf("bench: %s_world_vs_nftables_%s%s %.2f\n", fam, pkey[p], sfx,
				       ratio(mode, f, p, C_GEOFENCE, C_NFT));
		}
		for (int p = 0; p < P_MAX; p++)
			printf("bench: %s_world_mpps_%s%s %.2f\n", fam, pkey[p], sfx,
			       median(mpps[mode][f][p][C_GEOFENCE], mode == M_SERIAL ? opt.reps : opt.par_reps));
		if (mode == M_SERIAL)
			for (int p = 0; p < P_MAX; p++)
				printf("bench: %s_world_program_ns_%s %.1f\n", fam, pkey[p],
				       median(cost_ns[f][p][C_GEOFENCE], opt.reps));
	}
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--reps N] [--parallel-reps N] [--packets N] [--slow-packets N]\n"
		"          [--family 4|6] [--cpu N] [--no-nft] [--no-lpm] [--parallel] [--probe-only]\n"
		"          [--calibrate] [--flows-only] [--scopes-only]\n",
		prog);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "reps", required_argument, NULL, 'r' },
		{ "parallel-reps", required_argument, NULL, 'R' },
		{ "packets", required_argument, NULL, 'p' },
		{ "slow-packets", required_argument, NULL, 's' },
		{ "family", required_argument, NULL, 'f' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "no-nft", no_argument, NULL, 'N' },
		{ "no-lpm", no_argument, NULL, 'L' },
		{ "parallel", no_argument, NULL, 'S' },
		{ "calibrate", no_argument, NULL, 'C' },
		{ "probe-only", no_argument, NULL, 'P' },
		{ "flows-only", no_argument, NULL, 'F' },
		{ "scopes-only", no_argument, NULL, 'O' },
		{},
	};
	double t_start = now();
	size_t map_bytes;
	int ch, err, packets_set = 0;

	if (argc == 2 && !strcmp(argv[1], "--measure-load"))
		return load_child();
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'r': opt.reps = atoi(optarg); break;
		case 'R': opt.par_reps = atoi(optarg); break;
		case 'p': opt.packets = strtoul(optarg, NULL, 10); packets_set = 1; break;
		case 's': opt.slow_packets = strtoul(optarg, NULL, 10); packets_set = 1; break;
		case 'f': opt.only_family = atoi(optarg); break;
		case 'c': opt.cpu = atoi(optarg); break;
		case 'N': opt.no_nft = 1; break;
		case 'L': opt.no_lpm = 1; break;
		case 'S': opt.parallel = 1; break;
		case 'C': opt.calibrate = 1; break;
		case 'P': opt.probe_only = 1; break;
		case 'F': opt.flows_only = 1; break;
		case 'O': opt.scopes_only = 1; break;
		default: usage(argv[0]); return 2;
		}
	}
	if (opt.reps < 1 || opt.reps > MAX_REPS || opt.par_reps < 1 || opt.par_reps > MAX_REPS) {
		usage(argv[0]);
		return 2;
	}
	gf_log_route_libs(0);
	err = setup() ?: probe_generator(packets_set);
	if (err) {
		fprintf(stderr, "bench setup failed: %s\n", strerror(err < 0 ? -err : EIO));
		return 1;
	}

	printf("geofence datapath benchmark: 64-byte frames through a veth pair; medians of %d "
	       "(serial) and %d (parallel) interleaved runs of %u packets (%u for the LPM trie and "
	       "nftables)\n\n", opt.reps, opt.par_reps, opt.packets, opt.slow_packets);
	printf("generator: %s%s\n", gf_tgen_kind_name(gen_kind),
	       gen_kind == GF_TGEN_LIVE_FRAMES ? "" :
	       ": the kernel refuses live frames, so the generator, not XDP, sets the Mpps "
	       "(ratios near 1.0 say nothing); compare the programs' ns/pkt instead");
	printf("tables: IPv4 %u ranges -> %u trees, %u nodes, %.2f MiB; IPv6 %u ranges -> %u "
	       "trees, %u nodes, %.2f MiB (deepest trees %u/%u levels)\n",
	       world.table[0]->n_ranges, world.table[0]->n_trees, world.table[0]->n_nodes,
	       gf_table_bytes(world.table[0]) / 1048576.0, world.table[1]->n_ranges,
	       world.table[1]->n_trees, world.table[1]->n_nodes,
	       gf_table_bytes(world.table[1]) / 1048576.0, world.table[0]->max_depth + 1,
	       world.table[1]->max_depth + 1);
	map_bytes = gf_dp_map_bytes(dp);
	printf("maps: %.1f MiB allocated for two generations and the counters (%d CPUs)\n",
	       map_bytes / 1048576.0, ncpus);
	printf("build: %.3f s to read the default database (%s), %.3f s to layer and build both "
	       "families, %.3f s to install + flip\n", world.load_seconds, world.srcs[0].path,
	       world.build_seconds, install_s);
	err = measure_load();
	if (err) {
		fprintf(stderr, "load measurement failed\n");
		return 1;
	}
	printf("default database (%zu + %zu ranges) to loaded tables, in a fresh process: %.3f s "
	       "wall, %.0f MB peak RSS\n", world.countries[0].n, world.countries[1].n, load_wall_s,
	       load_rss_mb);
	if (!opt.no_lpm)
		printf("lpm trie: %zu + %zu prefixes loaded in %.2f s\n", lpm_prefixes[0],
		       lpm_prefixes[1], lpm_load_s);
	if (!opt.no_nft)
		printf("nftables: %zu + %zu ranges (six countries) loaded in %.2f s\n", nft_ranges[0],
		       nft_ranges[1], nft_load_s);
	printf("\n");

	if (opt.calibrate) {
		err = calibrate();
		if (err) {
			fprintf(stderr, "calibration failed: %s\n", strerror(-err));
			return 1;
		}
	}
	if (opt.flows_only)
		return measure_flows() ? 1 : 0;	/* the flow table's cost alone, for A/B runs */
	if (opt.scopes_only) {
		if (measure_scopes())
			return 1;
		for (size_t k = 1; k < NSC; k++)
			printf("bench: scopes_%s_added_ns %.1f\n", scope_cases[k].key,
			       median(scope_ns[k], opt.reps) - median(scope_ns[0], opt.reps));
		return 0;
	}
	for (int mode = 0; mode < M_MAX; mode++) {
		if (mode == M_PARALLEL && (!opt.parallel || opt.probe_only))
			continue;
		err = measure_mode(mode);
		if (err) {
			fprintf(stderr, "measurement failed: %s\n", strerror(-err));
			return 1;
		}
	}
	if (!opt.probe_only && !opt.only_family) {
		err = measure_sampling();
		if (err) {
			fprintf(stderr, "sampling measurement failed: %s\n", strerror(-err));
			return 1;
		}
		err = measure_flows();
		if (err) {
			fprintf(stderr, "flow measurement failed: %s\n", strerror(-err));
			return 1;
		}
		err = measure_generic();
		if (err) {
			fprintf(stderr, "native/generic measurement failed: %s\n", strerror(-err));
			return 1;
		}
		err = measure_scopes();
		if (err) {
			fprintf(stderr, "scope measurement failed: %s\n", strerror(-err));
			return 1;
		}
	}
	if (!opt.probe_only) {
		print_bench_lines(M_SERIAL);
		if (opt.parallel)
			print_bench_lines(M_PARALLEL);
	}
	if (!opt.probe_only && !opt.only_family) {
		for (size_t k = 1; k < NSC; k++)
			printf("bench: scopes_%s_added_ns %.1f\n", scope_cases[k].key,
			       median(scope_ns[k], opt.reps) - median(scope_ns[0], opt.reps));
		for (int w = 0; w < 2; w++)
			for (size_t k = 0; k < NFC; k++) {
				size_t base = flow_cases[k].action == GF_ACT_DROP ? 3 : 0;

				printf("bench: flows_%s_%s_program_ns %.1f\n", flow_pattern_names[w], flow_cases[k].key,
				       median(flow_ns[w][k], opt.reps));
				if (k != base)
					printf("bench: flows_%s_%s_vs_plain %.3f\n", flow_pattern_names[w], flow_cases[k].key,
					       median(flow_ns[w][k], opt.reps) / median(flow_ns[w][base], opt.reps));
			}
		printf("bench: sampling_1000_vs_off %.3f\n",
		       median(samp_mpps[1], opt.reps) / median(samp_mpps[0], opt.reps));
		printf("bench: sampling_1000_program_vs_off %.3f\n",
		       median(samp_ns[0], opt.reps) / median(samp_ns[1], opt.reps));
		printf("bench: sampling_1_vs_off %.3f\n",
		       median(samp_mpps[3], opt.reps) / median(samp_mpps[0], opt.reps));
		printf("bench: sampling_1_program_vs_off %.3f\n",
		       median(samp_ns[0], opt.reps) / median(samp_ns[3], opt.reps));
		printf("bench: sampling_1_skipped_share %.3f\n", median(samp_lost[3], opt.reps));
		printf("bench: sampling_1_nobudget_vs_off %.3f\n",
		       median(samp_mpps[4], opt.reps) / median(samp_mpps[0], opt.reps));
		printf("bench: xdp_native_mpps %.2f\n", median(mode_mpps[0], opt.reps));
		printf("bench: xdp_generic_mpps %.2f\n", median(mode_mpps[1], opt.reps));
		printf("bench: xdp_generic_vs_native %.3f\n",
		       median(mode_mpps[1], opt.reps) / median(mode_mpps[0], opt.reps));
	}
	printf("bench: generator %s\n", gen_kind == GF_TGEN_LIVE_FRAMES ? "live_frames" : "af_packet");
	printf("bench: table_build_seconds %.3f\n", world.build_seconds);
	printf("bench: db_to_loaded_tables_seconds %.3f\n", load_wall_s);
	printf("bench: db_to_loaded_tables_peak_rss_mb %.0f\n", load_rss_mb);
	printf("bench: table_bytes_ipv4 %zu\n", gf_table_bytes(world.table[0]));
	printf("bench: table_bytes_ipv6 %zu\n", gf_table_bytes(world.table[1]));
	printf("bench: map_bytes %zu\n", map_bytes);
	printf("bench: wall_seconds %.0f\n", now() - t_start);

	set_mode(M_SERIAL);
	bpf_xdp_detach(if_dut, XDP_FLAGS_DRV_MODE, NULL);
	gf_dp_close(dp);
	baseline_bpf__destroy(bl);
	lpm_bpf__destroy(lpm);
	gf_world_free(&world);
	return 0;
}
