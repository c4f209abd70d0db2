// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath's maps read and written: the generation flip that installs
 * new tables and policy, the sampling budget, the counters summed over
 * CPUs, the redirect slots.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/membarrier.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
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

static const struct gf_policy *live_row(const struct gf_dp *dp, unsigned scope)
{
	if (scope >= GF_MAX_SCOPES)
		scope = 0;
	return &dp->policy[(size_t)GF_POLICY_ROW(gf_dp_active_gen(dp), scope) * GF_NUM_CLASSES];
}

__u16 gf_dp_classify(const struct gf_dp *dp, int family, gf_u128 addr)
{
	return gf_dp_classify_scope(dp, 0, family, addr);
}

__u16 gf_dp_classify_scope(const struct gf_dp *dp, unsigned scope, int family, gf_u128 addr)
{
	return gf_classify_addr(family, addr, lookup_live, dp, live_row(dp, scope));
}

const struct gf_policy *gf_dp_policy(const struct gf_dp *dp, __u16 cls)
{
	return gf_dp_policy_scope(dp, 0, cls);
}

const struct gf_policy *gf_dp_policy_scope(const struct gf_dp *dp, unsigned scope, __u16 cls)
{
	if (cls >= GF_NUM_CLASSES)
		cls = GF_CLASS_UNKNOWN;
	return &live_row(dp, scope)[cls];
}

unsigned gf_dp_scope_of(const struct gf_dp *dp, int family, gf_u128 src, __u32 ifindex, __u32 vlan)
{
	__u32 gen = gf_dp_active_gen(dp), sel = dp->state->scopes[gen], v;

	if (family == 4 && (sel & GF_SCOPE_SRC4)) {
		struct gf_scope_key4 k = { .prefixlen = 64, .gen = htonl(gen), .addr = htonl((__u32)src) };
		struct gf_scope_line l;
		__u32 line = gen * GF_SCOPE_PRE_LINES + ((__u32)src >> 22), b;

		b = bpf_map_lookup_elem(dp->fd[M_SCOPE_PRE4], &line, &l) ? GF_SCOPE_TRIE : l.s[((__u32)src >> 16) & 63];
		if (b && b != GF_SCOPE_TRIE)
			return b & (GF_MAX_SCOPES - 1);
		if (b && !bpf_map_lookup_elem(dp->fd[M_SCOPE4], &k, &v))
			return v & (GF_MAX_SCOPES - 1);
	} else if (family == 6 && (sel & GF_SCOPE_SRC6)) {
		struct gf_scope_key6 k = { .prefixlen = 160, .gen = htonl(gen) };

		for (int i = 0; i < 4; i++)
			k.addr[i] = htonl((__u32)(src >> (96 - 32 * i)));
		if (!bpf_map_lookup_elem(dp->fd[M_SCOPE6], &k, &v))
			return v & (GF_MAX_SCOPES - 1);
	}
	if (vlan && (sel & GF_SCOPE_VLAN)) {
		__u32 k = gen * GF_VLAN_IDS + (vlan & (GF_VLAN_IDS - 1));

		if (!bpf_map_lookup_elem(dp->fd[M_SCOPE_VLAN], &k, &v) && v)
			return v & (GF_MAX_SCOPES - 1);
	}
	if (ifindex && (sel & GF_SCOPE_IFACE)) {
		struct gf_scope_iface_key k = { .gen = gen, .ifindex = ifindex };
		__u32 i = gen * GF_SCOPE_IFIDX + ifindex;

		if (ifindex < GF_SCOPE_IFIDX)
			return bpf_map_lookup_elem(dp->fd[M_SCOPE_IFIDX], &i, &v) ? 0 : v & (GF_MAX_SCOPES - 1);
		if (!bpf_map_lookup_elem(dp->fd[M_SCOPE_IFACE], &k, &v))
			return v & (GF_MAX_SCOPES - 1);
	}
	return 0;
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
	return gf_dp_install_scoped(dp, t4, t6, policy, 1, NULL, 0);
}

/*
 * Delete every key of map m (keys of ksize bytes, at most a gf_scope_key6)
 * that doomed() picks: collected first, deleted after, so that the walk
 * never loses its place.
 */
#define KEY_MAX sizeof(struct gf_scope_key6)
static int delete_where(struct gf_dp *dp, int m, size_t ksize, int (*doomed)(const void *key, __u32 arg),
			__u32 arg)
{
	char key[KEY_MAX], next[KEY_MAX], (*del)[KEY_MAX] = NULL;
	size_t n = 0, cap = 0;
	int err = 0, first = 1;

	while (!bpf_map_get_next_key(dp->fd[m], first ? NULL : key, next)) {
		first = 0;
		memcpy(key, next, ksize);
		if (!doomed(key, arg))
			continue;
		if (n == cap) {
			void *p = realloc(del, (cap = cap ? cap * 2 : 64) * sizeof(*del));

			if (!p) {
				free(del);
				return -ENOMEM;
			}
			del = p;
		}
		memcpy(del[n++], key, ksize);
	}
	for (size_t i = 0; i < n && !err; i++)
		if (bpf_map_delete_elem(dp->fd[m], del[i]) && errno != ENOENT)
			err = -errno;
	free(del);
	return err;
}

_Static_assert(offsetof(struct gf_scope_key4, gen) == offsetof(struct gf_scope_key6, gen),
	       "the tries' keys carry the generation at one offset");

/* A selector key of generation gen: the tries' keys carry it big-endian after the prefix length. */
static int trie_key_of_gen(const void *key, __u32 gen)
{
	return ((const struct gf_scope_key4 *)key)->gen == htonl(gen);
}

static int iface_key_of_gen(const void *key, __u32 gen)
{
	return ((const struct gf_scope_iface_key *)key)->gen == gen;
}

/* A gf_scope_stats key of a scope in mask. */
static int stats_key_of_scopes(const void *key, __u32 mask)
{
	return mask & (1u << (*(const __u32 *)key / GF_NUM_CLASSES % GF_MAX_SCOPES));
}

/* The scopes' selectors of generation gen: the old ones out, sel in.  *flags: GF_SCOPE_* present. */
/* An array map's entries of generation gen, from vals (n of them, value size vsize), in one batch. */
static int write_gen(struct gf_dp *dp, int m, __u32 gen, __u32 n, const void *vals)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 *keys = malloc(n * sizeof(*keys)), cnt = n;
	int err = 0;

	if (!keys)
		return -ENOMEM;
	for (__u32 i = 0; i < n; i++)
		keys[i] = gen * n + i;
	if (bpf_map_update_batch(dp->fd[m], keys, vals, &cnt, &opts))
		err = -errno;
	free(keys);
	return err;
}

/*
 * The /16 prefilter of the IPv4 source prefixes: shorter prefixes first,
 * so that a longer one within a shorter one's /16s wins them; a prefix
 * longer than /16 sends its /16 to the trie.
 */
static void prefilter4(const struct gf_scope_sel *sel, int nsel, struct gf_scope_line *pre)
{
	memset(pre, 0, sizeof(*pre) * GF_SCOPE_PRE_LINES);
	for (int len = 0; len <= 32; len++)
		for (int i = 0; i < nsel; i++) {
			__u32 first, count;

			if (sel[i].kind != GF_SCOPE_SRC4 || sel[i].len != len)
				continue;
			first = (__u32)sel[i].addr >> 16;
			count = len < 16 ? 1u << (16 - len) : 1;
			for (__u32 k = first; k < first + count && k < 65536; k++)
				pre[k / 64].s[k % 64] = len <= 16 ? sel[i].scope : GF_SCOPE_TRIE;
		}
}

static int install_selectors(struct gf_dp *dp, __u32 gen, const struct gf_scope_sel *sel, int nsel,
			     __u8 *flags)
{
	static __u32 vvals[GF_VLAN_IDS], ivals[GF_SCOPE_IFIDX];
	static struct gf_scope_line pre[GF_SCOPE_PRE_LINES];
	int err;

	*flags = 0;
	err = delete_where(dp, M_SCOPE4, sizeof(struct gf_scope_key4), trie_key_of_gen, gen) ?:
	      delete_where(dp, M_SCOPE6, sizeof(struct gf_scope_key6), trie_key_of_gen, gen) ?:
	      delete_where(dp, M_SCOPE_IFACE, sizeof(struct gf_scope_iface_key), iface_key_of_gen, gen);
	if (err)
		return err;
	memset(vvals, 0, sizeof(vvals));
	memset(ivals, 0, sizeof(ivals));
	for (int i = 0; i < nsel; i++) {
		const struct gf_scope_sel *x = &sel[i];
		__u32 scope = x->scope;

		if (!scope || scope >= GF_MAX_SCOPES)
			return -ERANGE;
		if (x->kind == GF_SCOPE_SRC4) {
			struct gf_scope_key4 k = { .prefixlen = 32 + x->len, .gen = htonl(gen),
						   .addr = htonl((__u32)x->addr) };

			err = bpf_map_update_elem(dp->fd[M_SCOPE4], &k, &scope, BPF_ANY);
		} else if (x->kind == GF_SCOPE_SRC6) {
			struct gf_scope_key6 k = { .prefixlen = 32 + x->len, .gen = htonl(gen) };

			for (int w = 0; w < 4; w++)
				k.addr[w] = htonl((__u32)(x->addr >> (96 - 32 * w)));
			err = bpf_map_update_elem(dp->fd[M_SCOPE6], &k, &scope, BPF_ANY);
		} else if (x->kind == GF_SCOPE_VLAN && x->id && x->id < GF_VLAN_IDS) {
			vvals[x->id] = scope;
		} else if (x->kind == GF_SCOPE_IFACE && x->id < GF_SCOPE_IFIDX) {
			ivals[x->id] = scope;
		} else if (x->kind == GF_SCOPE_IFACE) {
			struct gf_scope_iface_key k = { .gen = gen, .ifindex = x->id };

			err = bpf_map_update_elem(dp->fd[M_SCOPE_IFACE], &k, &scope, BPF_ANY);
		} else {
			return -EINVAL;
		}
		if (err)
			return -errno;
		*flags |= x->kind;
	}
	prefilter4(sel, nsel, pre);
	return write_gen(dp, M_SCOPE_VLAN, gen, GF_VLAN_IDS, vvals) ?:
	       write_gen(dp, M_SCOPE_IFIDX, gen, GF_SCOPE_IFIDX, ivals) ?:
	       write_gen(dp, M_SCOPE_PRE4, gen, GF_SCOPE_PRE_LINES, pre);
}

int gf_dp_install_scoped(struct gf_dp *dp, const struct gf_table *t4, const struct gf_table *t6,
			 const struct gf_policy *rows, int nrows, const struct gf_scope_sel *sel, int nsel)
{
	__u32 gen = gf_dp_active_gen(dp) ^ 1;
	__u8 flags = 0;
	int err;

	if (!dp->skel)
		return -EPERM;	/* a read-only view */
	if (t4->family != 4 || t6->family != 6 || nrows < 1 || nrows > (int)GF_MAX_SCOPES)
		return -EINVAL;
	if (t4->n_nodes > dp->node4_cap || t6->n_nodes > dp->node6_cap) {
		pr_err("tables need %u IPv4 and %u IPv6 nodes, capacity is %u and %u per "
		       "generation: raise state.ipv4_nodes / state.ipv6_nodes and restart the agent "
		       "(it moves the datapath to maps of that size without a gap)\n",
		       t4->n_nodes, t6->n_nodes, dp->node4_cap, dp->node6_cap);
		return -ENOSPC;
	}
	err = install_selectors(dp, gen, sel, nsel, &flags);
	if (err) {
		pr_err("cannot write the scopes' selectors: %s\n", strerror(-err));
		return err;
	}

	gf_table_relocate(t4, gen * dp->node4_cap, dp->top4 + gen * GF_TOP_SIZE,
			  dp->node4 + (size_t)gen * dp->node4_cap);
	gf_table_relocate(t6, gen * dp->node6_cap, dp->top6 + gen * GF_TOP_SIZE,
			  dp->node6 + (size_t)gen * dp->node6_cap);
	/* rows no scope uses get the default's: a selector can only ever lead to a real policy */
	for (__u32 s = 0; s < GF_MAX_SCOPES; s++)
		memcpy(dp->policy + (size_t)GF_POLICY_ROW(gen, s) * GF_NUM_CLASSES,
		       rows + (size_t)(s < (__u32)nrows ? s : 0) * GF_NUM_CLASSES,
		       sizeof(*rows) * GF_NUM_CLASSES);
	dp->state->scopes[gen] = flags;

	/* publish: everything above is visible before the index changes */
	__atomic_store_n(&dp->state->active_gen, gen, __ATOMIC_RELEASE);
	__atomic_fetch_add(&dp->state->seq, 1, __ATOMIC_RELEASE);
	wait_grace_period();
	return 0;
}

int gf_dp_scope_stats_each(struct gf_dp *dp, gf_scope_stat_fn fn, void *ctx)
{
	size_t stride = (sizeof(struct gf_class_counters) + 7) / 8 * 8;
	char *buf = malloc(stride * dp->ncpus);
	struct gf_class_counters sum;
	__u32 key, next;
	int first = 1;

	if (!buf)
		return -ENOMEM;
	while (!bpf_map_get_next_key(dp->fd[M_SCOPE_STATS], first ? NULL : &key, &next)) {
		__u32 cls = next % GF_NUM_CLASSES, scope = next / GF_NUM_CLASSES % GF_MAX_SCOPES,
		      hook = next / GF_NUM_CLASSES / GF_MAX_SCOPES;

		first = 0;
		key = next;
		if (bpf_map_lookup_elem(dp->fd[M_SCOPE_STATS], &key, buf))
			continue;	/* deleted meanwhile */
		memset(&sum, 0, sizeof(sum));
		for (int c = 0; c < dp->ncpus; c++) {
			const struct gf_class_counters *v = (const void *)(buf + stride * c);

			for (int k = 0; k < GF_VERDICT_MAX; k++) {
				sum.v[k].packets += v->v[k].packets;
				sum.v[k].bytes += v->v[k].bytes;
			}
		}
		if (hook < GF_HOOK_MAX)
			fn(ctx, hook, scope, cls, &sum);
	}
	free(buf);
	return 0;
}

int gf_dp_scope_forget(struct gf_dp *dp, __u32 mask)
{
	return mask ? delete_where(dp, M_SCOPE_STATS, sizeof(__u32), stats_key_of_scopes, mask) : 0;
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
