// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/membarrier.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "geofence.h"	/* before the skeleton: it names struct gf_state */
#include "geofence.skel.h"
#include "gf_datapath.h"
#include "gf_log.h"

struct gf_dp {
	struct geofence_bpf *skel;
	__u32 node4_cap, node6_cap;
	int ncpus;
	struct gf_state *state;
	struct gf_policy *policy;
	__u32 *top4, *top6;	/* flat: the lines are contiguous */
	struct gf_node4 *node4;
	struct gf_node6 *node6;
	struct {
		void *addr;
		size_t len;
	} maps[6];
	int nmaps;
	struct xdp_program *xdp_prog;
};

static size_t page_round(size_t n)
{
	size_t pg = sysconf(_SC_PAGESIZE);

	return (n + pg - 1) / pg * pg;
}

static void *map_mmap(struct gf_dp *dp, struct bpf_map *m)
{
	size_t len = page_round((size_t)bpf_map__value_size(m) * bpf_map__max_entries(m));
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(m), 0);

	if (p == MAP_FAILED) {
		pr_err("mmap of map %s (%zu bytes) failed: %s\n", bpf_map__name(m), len,
		       strerror(errno));
		return NULL;
	}
	dp->maps[dp->nmaps].addr = p;
	dp->maps[dp->nmaps].len = len;
	dp->nmaps++;
	return p;
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	return gf_log_lib_vprint(level == LIBXDP_WARN, level == LIBXDP_INFO, fmt, ap);
}

int gf_dp_open(struct gf_dp **out, const struct gf_dp_opts *opts)
{
	struct gf_dp *dp;
	int err;

	dp = calloc(1, sizeof(*dp));
	if (!dp)
		return -ENOMEM;
	dp->node4_cap = opts && opts->node4_cap ? opts->node4_cap : GF_V4_NODES_DEFAULT;
	dp->node6_cap = opts && opts->node6_cap ? opts->node6_cap : GF_V6_NODES_DEFAULT;
	libxdp_set_print(libxdp_print);
	dp->ncpus = libbpf_num_possible_cpus();
	if (dp->ncpus < 1) {
		err = dp->ncpus;
		goto fail;
	}

	dp->skel = geofence_bpf__open();
	if (!dp->skel) {
		err = -errno;
		pr_err("cannot open the BPF object: %s\n", strerror(-err));
		goto fail;
	}
	bpf_map__set_max_entries(dp->skel->maps.gf_node4, GF_GENERATIONS * dp->node4_cap);
	bpf_map__set_max_entries(dp->skel->maps.gf_node6, GF_GENERATIONS * dp->node6_cap);
	err = geofence_bpf__load(dp->skel);
	if (err) {
		pr_err("cannot load the BPF programs: %s (run as root with CAP_BPF, "
		       "CAP_NET_ADMIN and CAP_PERFMON; --verbose shows the verifier log)\n",
		       strerror(-err));
		goto fail;
	}

	dp->state = &dp->skel->data_state->gf_state;	/* mmapped by the skeleton */
	if (!(dp->policy = map_mmap(dp, dp->skel->maps.gf_policy)) ||
	    !(dp->top4 = map_mmap(dp, dp->skel->maps.gf_top4)) ||
	    !(dp->top6 = map_mmap(dp, dp->skel->maps.gf_top6)) ||
	    !(dp->node4 = map_mmap(dp, dp->skel->maps.gf_node4)) ||
	    !(dp->node6 = map_mmap(dp, dp->skel->maps.gf_node6))) {
		err = -ENOMEM;
		goto fail;
	}
	*out = dp;
	return 0;
fail:
	gf_dp_close(dp);
	return err;
}

void gf_dp_close(struct gf_dp *dp)
{
	int i;

	if (!dp)
		return;
	for (i = 0; i < dp->nmaps; i++)
		munmap(dp->maps[i].addr, dp->maps[i].len);
	if (dp->xdp_prog)
		xdp_program__close(dp->xdp_prog);
	geofence_bpf__destroy(dp->skel);
	free(dp);
}

__u32 gf_dp_active_gen(const struct gf_dp *dp)
{
	return __atomic_load_n(&dp->state->active_gen, __ATOMIC_ACQUIRE) & 1;
}

size_t gf_dp_map_bytes(const struct gf_dp *dp)
{
	const struct bpf_map *m;
	size_t total = 0;

	bpf_object__for_each_map(m, dp->skel->obj) {
		size_t v = (bpf_map__value_size(m) + 7) / 8 * 8;

		if (bpf_map__type(m) == BPF_MAP_TYPE_PERCPU_ARRAY)
			v *= dp->ncpus;
		if (bpf_map__type(m) == BPF_MAP_TYPE_ARRAY ||
		    bpf_map__type(m) == BPF_MAP_TYPE_PERCPU_ARRAY)
			total += v * bpf_map__max_entries(m);
	}
	return total;
}

__u64 gf_dp_flips(const struct gf_dp *dp)
{
	return __atomic_load_n(&dp->state->seq, __ATOMIC_ACQUIRE);
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

	if (t4->family != 4 || t6->family != 6)
		return -EINVAL;
	if (t4->n_nodes > dp->node4_cap || t6->n_nodes > dp->node6_cap) {
		pr_err("tables need %u IPv4 and %u IPv6 nodes, capacity is %u and %u per "
		       "generation: raise the node capacity and restart the agent\n",
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
static int percpu_sum(struct gf_dp *dp, struct bpf_map *m, __u32 first, __u32 count,
		      size_t vsize, void *out)
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
	if (bpf_map_lookup_batch(bpf_map__fd(m), first ? &in : NULL, &outb, keys, buf, &n, &opts) &&
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
	return percpu_sum(dp, dp->skel->maps.gf_class_stats, hook * GF_NUM_CLASSES,
			  GF_NUM_CLASSES, sizeof(*out), out);
}

int gf_dp_class_counter(struct gf_dp *dp, int hook, __u16 cls, struct gf_class_counters *out)
{
	if (cls >= GF_NUM_CLASSES)
		return -ERANGE;
	return percpu_sum(dp, dp->skel->maps.gf_class_stats, hook * GF_NUM_CLASSES + cls, 1,
			  sizeof(*out), out);
}

int gf_dp_reason_stats(struct gf_dp *dp, int hook, struct gf_counter *out)
{
	return percpu_sum(dp, dp->skel->maps.gf_reason_stats, hook * GF_REASON_MAX,
			  GF_REASON_MAX, sizeof(*out), out);
}

int gf_dp_set_redirect(struct gf_dp *dp, __u32 slot, __u32 ifindex)
{
	int fd = bpf_map__fd(dp->skel->maps.gf_redirect);
	struct bpf_devmap_val v = { .ifindex = ifindex };

	if (slot >= GF_REDIRECT_SLOTS)
		return -ERANGE;
	if (!ifindex)
		return bpf_map_delete_elem(fd, &slot) && errno != ENOENT ? -errno : 0;
	return bpf_map_update_elem(fd, &slot, &v, 0) ? -errno : 0;
}

int gf_dp_prog_fd(const struct gf_dp *dp, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(dp->skel->obj, name);

	return p ? bpf_program__fd(p) : -ENOENT;
}

int gf_dp_map_fd(const struct gf_dp *dp, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(dp->skel->obj, name);

	return m ? bpf_map__fd(m) : -ENOENT;
}

int gf_dp_attach_xdp(struct gf_dp *dp, int ifindex, enum gf_xdp_mode mode, const char **how)
{
	enum xdp_attach_mode m = mode == GF_XDP_NATIVE ? XDP_MODE_NATIVE :
				 mode == GF_XDP_GENERIC ? XDP_MODE_SKB : XDP_MODE_UNSPEC;
	char name[IF_NAMESIZE] = "?";
	const char *desc = "unknown";
	struct xdp_multiprog *mp;
	__u32 one = 1, key = ifindex;
	int err;

	if_indextoname(ifindex, name);
	if (!dp->xdp_prog) {
		dp->xdp_prog = xdp_program__from_fd(bpf_program__fd(dp->skel->progs.gf_xdp));
		err = libxdp_get_error(dp->xdp_prog);
		if (err) {
			dp->xdp_prog = NULL;
			return err;
		}
	}
	/*
	 * libxdp first tries its multi-program dispatcher; kernels that refuse
	 * freplace make that fail with misleading library warnings (EPERM,
	 * "raise ulimit -l"), after which libxdp attaches the program alone.
	 * The outcome is reported below in one line of our own.
	 */
	gf_log_libs_demote(1);
	err = xdp_program__attach(dp->xdp_prog, ifindex, m, 0);
	gf_log_libs_demote(0);
	if (err) {
		pr_err("cannot attach XDP to %s: %s%s\n", name, strerror(-err),
		       mode == GF_XDP_NATIVE ? " (the driver may lack native XDP: use generic mode)" :
		       mode == GF_XDP_AUTO ? " (--verbose shows libxdp's attempts)" : "");
		return err;
	}
	err = bpf_map_update_elem(bpf_map__fd(dp->skel->maps.gf_xdp_ifaces), &key, &one, 0);
	if (err) {
		err = -errno;
		xdp_program__detach(dp->xdp_prog, ifindex, m, 0);
		return err;
	}
	mp = xdp_multiprog__get_from_ifindex(ifindex);
	if (!libxdp_get_error(mp)) {
		int legacy = xdp_multiprog__is_legacy(mp);

		switch (xdp_multiprog__attach_mode(mp)) {
		case XDP_MODE_SKB:
			desc = legacy ? "generic/single" : "generic/dispatcher";
			break;
		case XDP_MODE_HW:
			desc = "offload";
			break;
		default:
			desc = legacy ? "native/single" : "native/dispatcher";
		}
		xdp_multiprog__close(mp);
	}
	pr_info("XDP on %s: %s%s\n", name, desc,
		strstr(desc, "single") ? " (libxdp's multi-program dispatcher is unavailable "
					 "here: other XDP programs cannot share the interface)" : "");
	if (how)
		*how = desc;
	return 0;
}

int gf_dp_detach_xdp(struct gf_dp *dp, int ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	__u32 key = ifindex;
	int err;

	bpf_map_delete_elem(bpf_map__fd(dp->skel->maps.gf_xdp_ifaces), &key);
	if (libxdp_get_error(mp))
		return libxdp_get_error(mp);
	err = xdp_program__detach(dp->xdp_prog, ifindex, xdp_multiprog__attach_mode(mp), 0);
	xdp_multiprog__close(mp);
	return err;
}

int gf_dp_attach_tc(struct gf_dp *dp, int ifindex, int l3)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = 0x6f66, .priority = 1);
	int err;

	o.prog_fd = bpf_program__fd(l3 ? dp->skel->progs.gf_tc_l3 : dp->skel->progs.gf_tc);
	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return err;
	err = bpf_tc_attach(&hook, &o);
	if (err == -EEXIST) {
		o.flags = BPF_TC_F_REPLACE;
		err = bpf_tc_attach(&hook, &o);
	}
	return err;
}

int gf_dp_detach_tc(struct gf_dp *dp, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = 0x6f66, .priority = 1);

	(void)dp;
	return bpf_tc_detach(&hook, &o);
}

void gf_policy_fill(struct gf_policy *policy, enum gf_action act)
{
	for (int i = 0; i < GF_NUM_CLASSES; i++)
		policy[i] = (struct gf_policy){ .action = act };
	policy[GF_CLASS_RESERVED].action = GF_ACT_PASS;
}
