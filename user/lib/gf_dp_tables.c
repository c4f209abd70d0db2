// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath's maps read and written: the generation flip that installs
 * new tables and policy, the sampling budget, the counters summed over
 * CPUs, the redirect slots.
 */
#include <errno.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "gf_dp_impl.h"
#include "gf_log.h"

__u32 gf_dp_active_gen(const struct gf_dp *dp)
{
	return __atomic_load_n(&dp->state->active_gen, __ATOMIC_ACQUIRE) & 1;
}

/* per second -> per window of 2^20 ns: at least one when there is a limit at all */
static __u32 per_window(__u32 per_cpu_second)
{
	__u64 w = per_cpu_second ? ((__u64)per_cpu_second << GF_SAMPLE_WINDOW_SHIFT) / 1000000000ull : 0;

	return per_cpu_second && !w ? 1 : (__u32)w;
}

void gf_dp_set_sample_budget(struct gf_dp *dp, __u32 per_cpu_second)
{
	__atomic_store_n(&dp->state->sample_budget, per_window(per_cpu_second), __ATOMIC_RELEASE);
}

void gf_dp_set_flow_budget(struct gf_dp *dp, __u32 per_cpu_second)
{
	__atomic_store_n(&dp->state->flow_budget, per_window(per_cpu_second), __ATOMIC_RELEASE);
}

__u32 gf_dp_sample_budget(const struct gf_dp *dp)
{
	return __atomic_load_n(&dp->state->sample_budget, __ATOMIC_ACQUIRE);
}

__u64 gf_dp_flips(const struct gf_dp *dp)
{
	return __atomic_load_n(&dp->state->seq, __ATOMIC_ACQUIRE);
}

void gf_dp_capacity(const struct gf_dp *dp, __u32 *node4, __u32 *node6)
{
	*node4 = dp->node4_cap;
	*node6 = dp->node6_cap;
}

__u32 gf_dp_flows_capacity(const struct gf_dp *dp)
{
	return dp->flows_cap;
}

int gf_dp_flows_fd(const struct gf_dp *dp)
{
	return dp->fd[M_FLOWS];
}

int gf_dp_flow_events_fd(const struct gf_dp *dp)
{
	return dp->fd[M_FLOW_EVENTS];
}

/* What the kernel charges for a map (fdinfo's memlock, its own accounting); 0 if unknown. */
static size_t map_memlock(int fd)
{
	char path[64], line[128];
	unsigned long long n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %llu", &n) == 1)
			break;
	fclose(f);
	return n;
}

size_t gf_dp_map_bytes(const struct gf_dp *dp)
{
	size_t total = 0;

	/* the maps are fixed for the handle's life: the figure of gf_dp_open (the agent asks every second) */
	if (dp->map_bytes)
		return dp->map_bytes;

	for (int i = 0; i < M_COUNT; i++) {
		size_t v = (dp->value_size[i] + 7) / 8 * 8, k = map_memlock(dp->fd[i]);

		if (k)
			total += k;
		else if (dp->type[i] == BPF_MAP_TYPE_PERCPU_ARRAY)
			total += v * dp->ncpus * dp->max_entries[i];
		else if (dp->type[i] == BPF_MAP_TYPE_ARRAY)
			total += v * dp->max_entries[i];
		else if (dp->type[i] == BPF_MAP_TYPE_RINGBUF)
			total += dp->max_entries[i];
	}
	return total;
}

size_t gf_dp_flows_bytes(const struct gf_dp *dp)
{
	return map_memlock(dp->fd[M_FLOWS]);
}

static __u16 lookup_live(const void *ctx, int family, gf_u128 addr)
{
	const struct gf_dp *dp = ctx;
	__u32 gen = gf_dp_active_gen(dp);

	if (family == 4)
		return gf_table_lookup_raw(4, dp->top4 + (size_t)gen * GF_TOP_SIZE, dp->node4, addr);
	return gf_table_lookup_raw(6, dp->top6 + (size_t)gen * GF_TOP_SIZE, dp->node6, addr);
}

__u16 gf_dp_classify(const struct gf_dp *dp, int family, gf_u128 addr)
{
	return gf_classify_addr(family, addr, lookup_live, dp,
				&dp->policy[(size_t)gf_dp_active_gen(dp) * GF_NUM_CLASSES]);
}

const struct gf_policy *gf_dp_policy(const struct gf_dp *dp, __u16 cls)
{
	if (cls >= GF_NUM_CLASSES)
		cls = GF_CLASS_UNKNOWN;
	return &dp->policy[(size_t)gf_dp_active_gen(dp) * GF_NUM_CLASSES + cls];
}

/*
 * Wait for an RCU grace period: XDP and tc programs run inside RCU
 * read-side sections, so after it no packet still uses the generation we
 * just retired.  membarrier(GLOBAL) is synchronize_rcu() in the kernel.
 */
static void wait_grace_period(void)
{
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) == 0)
		return;
	/* nohz_full kernels refuse GLOBAL; a packet takes microseconds */
	usleep(50 * 1000);
}

int gf_dp_install(struct gf_dp *dp, const struct gf_table *t4, const struct gf_table *t6,
		  const struct gf_policy *policy)
{
	__u32 gen = gf_dp_active_gen(dp) ^ 1;

	if (!dp->skel)
		return -EPERM;	/* a read-only view */
	if (t4->family != 4 || t6->family != 6)
		return -EINVAL;
	if (t4->n_nodes > dp->node4_cap || t6->n_nodes > dp->node6_cap) {
		pr_err("tables need %u IPv4 and %u IPv6 nodes, capacity is %u and %u per "
		       "generation: raise state.ipv4_nodes / state.ipv6_nodes and restart the agent "
		       "(it moves the datapath to maps of that size without a gap)\n",
		       t4->n_nodes, t6->n_nodes, dp->node4_cap, dp->node6_cap);
		return -ENOSPC;
	}

	gf_table_relocate(t4, gen * dp->node4_cap, dp->top4 + gen * GF_TOP_SIZE,
			  dp->node4 + (size_t)gen * dp->node4_cap);
	gf_table_relocate(t6, gen * dp->node6_cap, dp->top6 + gen * GF_TOP_SIZE,
			  dp->node6 + (size_t)gen * dp->node6_cap);
	memcpy(dp->policy + (size_t)gen * GF_NUM_CLASSES, policy,
	       sizeof(*policy) * GF_NUM_CLASSES);

	/* publish: everything above is visible before the index changes */
	__atomic_store_n(&dp->state->active_gen, gen, __ATOMIC_RELEASE);
	__atomic_fetch_add(&dp->state->seq, 1, __ATOMIC_RELEASE);
	wait_grace_period();
	return 0;
}

/* Read count entries from first on, summing each over the CPUs. */
static int percpu_sum(struct gf_dp *dp, int m, __u32 first, __u32 count, size_t vsize, void *out)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	size_t stride = (vsize + 7) / 8 * 8;
	__u32 *keys = calloc(count, sizeof(*keys));
	char *buf = malloc(stride * dp->ncpus * count);
	__u32 in = first - 1, outb, n = count, i;
	int c, err = 0;

	if (!keys || !buf) {
		err = -ENOMEM;
		goto out;
	}
	memset(out, 0, vsize * count);
	/* the batch cursor is the key before the first one wanted */
	if (bpf_map_lookup_batch(dp->fd[m], first ? &in : NULL, &outb, keys, buf, &n, &opts) &&
	    errno != ENOENT) {
		err = -errno;
		goto out;
	}
	for (i = 0; i < n; i++) {
		__u64 *dst;

		if (keys[i] < first || keys[i] >= first + count)
			continue;
		dst = (__u64 *)((char *)out + vsize * (keys[i] - first));
		for (c = 0; c < dp->ncpus; c++) {
			const __u64 *src = (const __u64 *)(buf + stride * ((size_t)i * dp->ncpus + c));

			for (size_t w = 0; w < vsize / 8; w++)
				dst[w] += src[w];
		}
	}
out:
	free(keys);
	free(buf);
	return err;
}

int gf_dp_class_stats(struct gf_dp *dp, int hook, struct gf_class_counters *out)
{
	return percpu_sum(dp, M_CLASS_STATS, hook * GF_NUM_CLASSES, GF_NUM_CLASSES, sizeof(*out),
			  out);
}

int gf_dp_class_counter(struct gf_dp *dp, int hook, __u16 cls, struct gf_class_counters *out)
{
	if (cls >= GF_NUM_CLASSES)
		return -ERANGE;
	return percpu_sum(dp, M_CLASS_STATS, hook * GF_NUM_CLASSES + cls, 1, sizeof(*out), out);
}

int gf_dp_reason_stats(struct gf_dp *dp, int hook, struct gf_counter *out)
{
	return percpu_sum(dp, M_REASON_STATS, hook * GF_REASON_MAX, GF_REASON_MAX, sizeof(*out),
			  out);
}

int gf_dp_set_redirect(struct gf_dp *dp, __u32 slot, __u32 ifindex)
{
	struct bpf_devmap_val v = { .ifindex = ifindex };

	if (slot >= GF_REDIRECT_SLOTS)
		return -ERANGE;
	if (!ifindex)
		return bpf_map_delete_elem(dp->fd[M_REDIRECT], &slot) && errno != ENOENT ? -errno : 0;
	return bpf_map_update_elem(dp->fd[M_REDIRECT], &slot, &v, 0) ? -errno : 0;
}

int gf_dp_prog_fd(const struct gf_dp *dp, const char *name)
{
	struct bpf_program *p;

	if (!dp->skel)
		return -ENOENT;
	p = bpf_object__find_program_by_name(dp->skel->obj, name);
	return p ? bpf_program__fd(p) : -ENOENT;
}

int gf_dp_map_fd(const struct gf_dp *dp, const char *name)
{
	for (int i = 0; i < M_COUNT; i++)
		if (!strcmp(gf_dp_pin_names[i], name))
			return dp->fd[i];
	if (dp->skel) {
		struct bpf_map *m = bpf_object__find_map_by_name(dp->skel->obj, name);

		if (m)
			return bpf_map__fd(m);
	}
	return -ENOENT;
}

int gf_dp_samples_fd(const struct gf_dp *dp)
{
	return dp->fd[M_SAMPLES];
}

void gf_policy_fill(struct gf_policy *policy, enum gf_action act)
{
	for (int i = 0; i < GF_NUM_CLASSES; i++)
		policy[i] = (struct gf_policy){ .action = act };
	policy[GF_CLASS_RESERVED].action = GF_ACT_PASS;
	/* pass here means: classify a source-routed packet by every hop */
	policy[GF_CLASS_SOURCE_ROUTED].action = GF_ACT_PASS;
}
