// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/membarrier.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "geofence.h"	/* before the skeleton: it names struct gf_state */
#include "geofence.skel.h"
#include "gf_datapath.h"
#include "gf_log.h"

/* The maps, by the name they are pinned under. */
enum {
	M_STATE, M_POLICY, M_TOP4, M_NODE4, M_TOP6, M_NODE6, M_REDIRECT, M_XDP_IFACES,
	M_CLASS_STATS, M_REASON_STATS, M_SAMPLES, M_COUNT
};
static const char *const pin_names[M_COUNT] = {
	"gf_state", "gf_policy", "gf_top4", "gf_node4", "gf_top6", "gf_node6", "gf_redirect",
	"gf_xdp_ifaces", "gf_class_stats", "gf_reason_stats", "gf_samples",
};

/* tc filter of geofence's egress programs */
#define GF_TC_HANDLE	0x6f66
#define GF_TC_PRIO	1

struct gf_dp {
	struct geofence_bpf *skel;	/* NULL: a running datapath's pins only */
	int fd[M_COUNT];
	__u32 value_size[M_COUNT], max_entries[M_COUNT], type[M_COUNT];
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
	} maps[M_COUNT];
	int nmaps;
	struct xdp_program *xdp_prog;	/* libxdp's instance, for attaching */
	int xdp_memfd;
	/* an upgrade across layouts: the previous maps, moved aside */
	char pins[4096];
	int migrating, leftover, prev_layout;
	char migrate_why[256];
};

static struct bpf_map *skel_map(struct geofence_bpf *s, int i)
{
	struct bpf_map *m[M_COUNT] = {
		s->maps.data_state, s->maps.gf_policy, s->maps.gf_top4, s->maps.gf_node4,
		s->maps.gf_top6, s->maps.gf_node6, s->maps.gf_redirect, s->maps.gf_xdp_ifaces,
		s->maps.gf_class_stats, s->maps.gf_reason_stats, s->maps.gf_samples,
	};

	return m[i];
}

static size_t page_round(size_t n)
{
	size_t pg = sysconf(_SC_PAGESIZE);

	return (n + pg - 1) / pg * pg;
}

static void *map_mmap(struct gf_dp *dp, int i, int prot)
{
	size_t len = page_round((size_t)((dp->value_size[i] + 7) / 8 * 8) * dp->max_entries[i]);
	void *p = mmap(NULL, len, prot, MAP_SHARED, dp->fd[i], 0);

	if (p == MAP_FAILED) {
		pr_err("mmap of map %s (%zu bytes) failed: %s\n", pin_names[i], len, strerror(errno));
		return NULL;
	}
	dp->maps[dp->nmaps].addr = p;
	dp->maps[dp->nmaps].len = len;
	dp->nmaps++;
	return p;
}

static int map_views(struct gf_dp *dp, int prot)
{
	if (!dp->state && !(dp->state = map_mmap(dp, M_STATE, prot)))
		return -ENOMEM;
	if (!(dp->policy = map_mmap(dp, M_POLICY, prot)) ||
	    !(dp->top4 = map_mmap(dp, M_TOP4, prot)) || !(dp->top6 = map_mmap(dp, M_TOP6, prot)) ||
	    !(dp->node4 = map_mmap(dp, M_NODE4, prot)) || !(dp->node6 = map_mmap(dp, M_NODE6, prot)))
		return -ENOMEM;
	dp->node4_cap = dp->max_entries[M_NODE4] / GF_GENERATIONS;
	dp->node6_cap = dp->max_entries[M_NODE6] / GF_GENERATIONS;
	return 0;
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	return gf_log_lib_vprint(level == LIBXDP_WARN, level == LIBXDP_INFO, fmt, ap);
}

static struct gf_dp *dp_new(void)
{
	struct gf_dp *dp = calloc(1, sizeof(*dp));

	if (!dp)
		return NULL;
	for (int i = 0; i < M_COUNT; i++)
		dp->fd[i] = -1;
	dp->xdp_memfd = -1;
	dp->ncpus = libbpf_num_possible_cpus();
	libxdp_set_print(libxdp_print);
	return dp;
}

static int pin_path(char *buf, size_t len, const char *dir, int i)
{
	return snprintf(buf, len, "%s/%s", dir, pin_names[i]) >= (int)len ? -ENAMETOOLONG : 0;
}

int gf_dp_pinned(const char *pin_dir)
{
	char p[4096];

	if (pin_path(p, sizeof(p), pin_dir, M_STATE))
		return 0;
	if (!access(p, F_OK))
		return 1;
	return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
}

/* max_entries of a pinned map, or 0 */
static __u32 pinned_entries(const char *dir, int i)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	char p[4096];
	int fd;

	if (pin_path(p, sizeof(p), dir, i) || (fd = bpf_obj_get(p)) < 0)
		return 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.max_entries = 0;
	close(fd);
	return info.max_entries;
}

/* The layout recorded in an open gf_state map: 0 before layouts were recorded. */
static int state_layout(int fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info), zero = 0;
	char buf[256] __attribute__((aligned(8)));
	struct gf_state *st = (struct gf_state *)buf;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.value_size < offsetof(struct gf_state, layout) + sizeof(st->layout))
		return 0;
	if (info.value_size > sizeof(buf))
		return -EPROTO;
	if (bpf_map_lookup_elem(fd, &zero, buf))
		return -errno;
	return (int)st->layout;
}

int gf_dp_pinned_layout(const char *pin_dir)
{
	char p[4096];
	int fd, l;

	if (pin_path(p, sizeof(p), pin_dir, M_STATE))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(p);
	if (fd < 0)
		return -errno;
	l = state_layout(fd);
	close(fd);
	return l;
}

/* Where the previous maps wait while an upgrade migrates from them. */
static int prev_dir(char *buf, size_t len, const char *pins)
{
	return snprintf(buf, len, "%s/previous", pins) >= (int)len ? -ENAMETOOLONG : 0;
}

static int unpin_all(const char *dir)
{
	int err = 0;

	for (int i = 0; i < M_COUNT; i++) {
		char p[4096];

		if (!pin_path(p, sizeof(p), dir, i) && unlink(p) && errno != ENOENT)
			err = -errno;
	}
	return err;
}

/*
 * Do the pins in dir fit the maps this build would make (sizes already set
 * on the skeleton)?  0 yes; 1 no, why says which; -errno.
 */
static int pins_fit(struct gf_dp *dp, const char *dir, char *why, size_t len)
{
	int layout = gf_dp_pinned_layout(dir);

	if (layout < 0)
		return layout;
	dp->prev_layout = layout;
	if (layout != GF_LAYOUT) {
		snprintf(why, len, "the pinned maps have layout %d, this geofenced uses layout %d",
			 layout, GF_LAYOUT);
		return 1;
	}
	for (int i = 0; i < M_COUNT; i++) {
		struct bpf_map *m = skel_map(dp->skel, i);
		struct bpf_map_info info = { 0 };
		__u32 ilen = sizeof(info);
		char p[4096];
		int fd, bad;

		if (pin_path(p, sizeof(p), dir, i))
			return -ENAMETOOLONG;
		fd = bpf_obj_get(p);
		if (fd < 0) {
			snprintf(why, len, "%s is missing", pin_names[i]);
			return 1;
		}
		bad = bpf_obj_get_info_by_fd(fd, &info, &ilen) || info.type != bpf_map__type(m) ||
		      info.key_size != bpf_map__key_size(m) || info.value_size != bpf_map__value_size(m) ||
		      info.max_entries != bpf_map__max_entries(m);
		close(fd);
		if (bad) {
			snprintf(why, len, "%s holds %u entries of %u bytes, this geofenced wants %u of %u",
				 pin_names[i], info.max_entries, info.value_size, bpf_map__max_entries(m),
				 bpf_map__value_size(m));
			return 1;
		}
	}
	return 0;
}

/*
 * An upgrade (or rollback) across layouts, or to other table sizes: the
 * running maps move to pins/previous, where the programs still attached
 * keep using them, and this build's maps are made and pinned in their
 * place.  The swap of the programs (gf_dp_attach_*) then moves traffic to
 * the new maps in one step; gf_dp_migration_done() drops the previous ones,
 * gf_dp_migration_undo() puts them back.
 */
static int migrate_aside(struct gf_dp *dp, const char *pins)
{
	char prev[4096], from[4096], to[4096];
	int err;

	if ((err = prev_dir(prev, sizeof(prev), pins)))
		return err;
	/* an earlier migration that never finished: what it left is not in use by us */
	unpin_all(prev);
	if (mkdir(prev, 0700) && errno != EEXIST)
		return -errno;
	for (int i = 0; i < M_COUNT; i++) {
		if (pin_path(from, sizeof(from), pins, i) || pin_path(to, sizeof(to), prev, i))
			return -ENAMETOOLONG;
		if (rename(from, to) && errno != ENOENT) {
			err = -errno;
			pr_err("cannot move %s aside to %s: %s\n", from, to, strerror(errno));
			return err;
		}
	}
	dp->migrating = 1;
	return 0;
}

/*
 * Counters carry across a migration where their entries mean the same:
 * per hook, the common prefix of the ids (class ids and reasons are only
 * ever added), when an entry has the same size.  Copied before any program
 * uses the new maps; what the old programs count between this copy and
 * their swap (milliseconds) stays behind.
 */
static void carry_counters(struct gf_dp *dp, const char *prev)
{
	static const int maps[] = { M_CLASS_STATS, M_REASON_STATS };

	for (size_t k = 0; k < sizeof(maps) / sizeof(maps[0]); k++) {
		int m = maps[k], fd;
		struct bpf_map_info info = { 0 };
		__u32 ilen = sizeof(info), old_stride, new_stride, n, carried = 0;
		size_t stride = (dp->value_size[m] + 7) / 8 * 8;
		char p[4096], *buf;

		if (pin_path(p, sizeof(p), prev, m) || (fd = bpf_obj_get(p)) < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &ilen) || info.type != dp->type[m] ||
		    info.key_size != 4 || info.value_size != dp->value_size[m]) {
			pr_warn("migration: %s changed shape: its counters start from zero\n", pin_names[m]);
			close(fd);
			continue;
		}
		old_stride = info.max_entries / GF_HOOK_MAX;
		new_stride = dp->max_entries[m] / GF_HOOK_MAX;
		n = old_stride < new_stride ? old_stride : new_stride;
		buf = malloc(stride * dp->ncpus);
		for (__u32 h = 0; buf && h < GF_HOOK_MAX; h++)
			for (__u32 i = 0; i < n; i++) {
				__u32 ko = h * old_stride + i, kn = h * new_stride + i;

				if (!bpf_map_lookup_elem(fd, &ko, buf) &&
				    !bpf_map_update_elem(dp->fd[m], &kn, buf, BPF_ANY))
					carried++;
			}
		free(buf);
		close(fd);
		pr_debug("migration: %s: %u entries carried\n", pin_names[m], carried);
	}
}

int gf_dp_open(struct gf_dp **out, const struct gf_dp_opts *opts)
{
	const char *pins = opts ? opts->pin_dir : NULL;
	struct gf_dp *dp = dp_new();
	int err, reuse = 0, pinned = pins && gf_dp_pinned(pins) > 0;

	if (!dp)
		return -ENOMEM;
	if (dp->ncpus < 1) {
		err = dp->ncpus;
		goto fail;
	}
	dp->prev_layout = -1;
	dp->node4_cap = opts && opts->node4_cap ? opts->node4_cap : GF_V4_NODES_DEFAULT;
	dp->node6_cap = opts && opts->node6_cap ? opts->node6_cap : GF_V6_NODES_DEFAULT;
	if (pins && snprintf(dp->pins, sizeof(dp->pins), "%s", pins) >= (int)sizeof(dp->pins)) {
		err = -ENAMETOOLONG;
		goto fail;
	}
	if (pinned && gf_dp_pinned_layout(pins) == GF_LAYOUT) {
		/* a running datapath of this layout: unless configured, its maps keep their sizes */
		__u32 n4 = pinned_entries(pins, M_NODE4), n6 = pinned_entries(pins, M_NODE6);

		if (n4 && n6 && !(opts->node4_cap))
			dp->node4_cap = n4 / GF_GENERATIONS;
		if (n4 && n6 && !(opts->node6_cap))
			dp->node6_cap = n6 / GF_GENERATIONS;
	}

	dp->skel = geofence_bpf__open();
	if (!dp->skel) {
		err = -errno;
		pr_err("cannot open the BPF object: %s\n", strerror(-err));
		goto fail;
	}
	bpf_map__set_max_entries(dp->skel->maps.gf_node4, GF_GENERATIONS * dp->node4_cap);
	bpf_map__set_max_entries(dp->skel->maps.gf_node6, GF_GENERATIONS * dp->node6_cap);
	if (pinned) {
		err = pins_fit(dp, pins, dp->migrate_why, sizeof(dp->migrate_why));
		if (err < 0) {
			pr_err("cannot read the datapath pinned in %s: %s\n", pins, strerror(-err));
			goto fail;
		}
		reuse = !err;
		if (reuse) {
			char prev[4096];

			/* a migration that stopped half-way: finished by this start */
			prev_dir(prev, sizeof(prev), pins);
			dp->leftover = !access(prev, F_OK);
		} else {
			pr_info("upgrading the datapath in %s: %s: new maps are made and filled, the "
				"programs swapped to them in one step\n", pins, dp->migrate_why);
			if ((err = migrate_aside(dp, pins)))
				goto fail;
		}
	}
	/*
	 * Reuse what is pinned.  By hand rather than with libbpf's pin paths:
	 * the kernel adds BPF_F_RDONLY_PROG to a devmap's flags, which
	 * libbpf 1.1's reuse check then refuses, while creating a devmap with
	 * that flag is refused too.  pins_fit() checked types and sizes.
	 */
	for (int i = 0; reuse && i < M_COUNT; i++) {
		char p[4096];
		int fd;

		pin_path(p, sizeof(p), pins, i);
		fd = bpf_obj_get(p);
		if (fd < 0) {
			err = -errno;
			goto fail;
		}
		err = bpf_map__reuse_fd(skel_map(dp->skel, i), fd);
		close(fd);
		if (err)
			goto fail;
	}
	if (!reuse)
		dp->skel->data_state->gf_state.layout = GF_LAYOUT;
	err = geofence_bpf__load(dp->skel);
	if (err) {
		pr_err("cannot load the BPF programs: %s (run as root with CAP_BPF, CAP_NET_ADMIN "
		       "and CAP_PERFMON; --verbose shows the verifier log)\n", strerror(-err));
		goto fail;
	}
	if (pins && mkdir(pins, 0700) && errno != EEXIST) {
		err = -errno;
		pr_err("cannot create %s: %s (is a bpf filesystem mounted on /sys/fs/bpf?)\n", pins,
		       strerror(errno));
		goto fail;
	}
	for (int i = 0; pins && i < M_COUNT; i++) {
		char p[4096];

		pin_path(p, sizeof(p), pins, i);
		if (access(p, F_OK) && (err = bpf_map__pin(skel_map(dp->skel, i), p))) {
			pr_err("cannot pin %s: %s\n", p, strerror(-err));
			goto fail;
		}
	}
	for (int i = 0; i < M_COUNT; i++) {
		struct bpf_map *m = skel_map(dp->skel, i);

		dp->fd[i] = bpf_map__fd(m);
		dp->value_size[i] = bpf_map__value_size(m);
		dp->max_entries[i] = bpf_map__max_entries(m);
		dp->type[i] = bpf_map__type(m);
	}
	dp->state = &dp->skel->data_state->gf_state;	/* mmapped by the skeleton */
	err = map_views(dp, PROT_READ | PROT_WRITE);
	if (err)
		goto fail;
	if (dp->migrating) {
		char prev[4096];

		prev_dir(prev, sizeof(prev), pins);
		carry_counters(dp, prev);
	}
	*out = dp;
	return 0;
fail:
	if (dp->migrating)
		gf_dp_migration_undo(dp);
	gf_dp_close(dp);
	return err;
}

const char *gf_dp_migrating(const struct gf_dp *dp)
{
	return dp && dp->migrating ? dp->migrate_why : NULL;
}

int gf_dp_prev_layout(const struct gf_dp *dp)
{
	return dp->prev_layout;
}

int gf_dp_migration_done(struct gf_dp *dp)
{
	char prev[4096];
	int err;

	if (!dp->migrating && !dp->leftover)
		return 0;
	if ((err = prev_dir(prev, sizeof(prev), dp->pins)))
		return err;
	err = unpin_all(prev);
	if (!err && rmdir(prev) && errno != ENOENT)
		err = -errno;
	if (!err)
		dp->migrating = dp->leftover = 0;
	return err;
}

int gf_dp_migration_undo(struct gf_dp *dp)
{
	char prev[4096], from[4096], to[4096];
	int err = 0;

	if (!dp->migrating)
		return 0;
	if (prev_dir(prev, sizeof(prev), dp->pins))
		return -ENAMETOOLONG;
	for (int i = 0; i < M_COUNT; i++) {
		if (pin_path(from, sizeof(from), prev, i) || pin_path(to, sizeof(to), dp->pins, i))
			return -ENAMETOOLONG;
		/* this build's pin goes, also where the previous maps had none */
		if ((unlink(to) && errno != ENOENT) || (!access(from, F_OK) && rename(from, to))) {
			err = -errno;
			pr_err("cannot put %s back to %s: %s\n", from, to, strerror(errno));
		}
	}
	if (!err && rmdir(prev) && errno != ENOENT)
		err = -errno;
	dp->migrating = 0;
	return err;
}

int gf_dp_open_pinned(struct gf_dp **out, const char *pin_dir)
{
	struct gf_dp *dp = dp_new();
	int err = 0;

	if (!dp)
		return -ENOMEM;
	/* another layout's maps would be misread: refuse them (the caller names it) */
	err = gf_dp_pinned_layout(pin_dir);
	err = err == GF_LAYOUT ? 0 : err >= 0 ? -EPROTO : err;
	for (int i = 0; i < M_COUNT && !err; i++) {
		struct bpf_map_info info = { 0 };
		__u32 len = sizeof(info);
		char p[4096];

		err = pin_path(p, sizeof(p), pin_dir, i);
		if (!err && (dp->fd[i] = bpf_obj_get(p)) < 0)
			err = -errno;
		if (!err && bpf_obj_get_info_by_fd(dp->fd[i], &info, &len))
			err = -errno;
		dp->value_size[i] = info.value_size;
		dp->max_entries[i] = info.max_entries;
		dp->type[i] = info.type;
	}
	if (!err)
		err = map_views(dp, PROT_READ);
	if (err) {
		gf_dp_close(dp);
		return err;
	}
	*out = dp;
	return 0;
}

void gf_dp_close(struct gf_dp *dp)
{
	if (!dp)
		return;
	for (int i = 0; i < dp->nmaps; i++)
		munmap(dp->maps[i].addr, dp->maps[i].len);
	if (dp->xdp_prog)
		xdp_program__close(dp->xdp_prog);
	if (dp->xdp_memfd >= 0)
		close(dp->xdp_memfd);
	if (dp->skel) {
		geofence_bpf__destroy(dp->skel);
	} else {
		for (int i = 0; i < M_COUNT; i++)
			if (dp->fd[i] >= 0)
				close(dp->fd[i]);
	}
	free(dp);
}

int gf_dp_unpin(const char *pin_dir)
{
	char prev[4096];
	int err = unpin_all(pin_dir);

	/* and what an unfinished migration left aside */
	if (!prev_dir(prev, sizeof(prev), pin_dir) && !unpin_all(prev) && rmdir(prev) && errno != ENOENT)
		err = err ?: -errno;
	if (!err && rmdir(pin_dir) && errno != ENOENT)
		err = -errno;
	return err;
}

int gf_dp_lock(const char *pin_dir)
{
	int fd;

	if (mkdir(pin_dir, 0700) && errno != EEXIST)
		return -errno;
	fd = open(pin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int err = errno == EWOULDBLOCK ? -EBUSY : -errno;

		close(fd);
		return err;
	}
	return fd;
}

__u32 gf_dp_active_gen(const struct gf_dp *dp)
{
	return __atomic_load_n(&dp->state->active_gen, __ATOMIC_ACQUIRE) & 1;
}

void gf_dp_set_sample_budget(struct gf_dp *dp, __u32 per_cpu_second)
{
	/* per window of 2^20 ns: at least one when there is a limit at all */
	__u64 w = per_cpu_second ? ((__u64)per_cpu_second << GF_SAMPLE_WINDOW_SHIFT) / 1000000000ull : 0;

	__atomic_store_n(&dp->state->sample_budget, per_cpu_second && !w ? 1 : (__u32)w, __ATOMIC_RELEASE);
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

size_t gf_dp_map_bytes(const struct gf_dp *dp)
{
	size_t total = 0;

	for (int i = 0; i < M_COUNT; i++) {
		size_t v = (dp->value_size[i] + 7) / 8 * 8;

		if (dp->type[i] == BPF_MAP_TYPE_PERCPU_ARRAY)
			v *= dp->ncpus;
		if (dp->type[i] == BPF_MAP_TYPE_ARRAY || dp->type[i] == BPF_MAP_TYPE_PERCPU_ARRAY)
			total += v * dp->max_entries[i];
		else if (dp->type[i] == BPF_MAP_TYPE_RINGBUF)
			total += dp->max_entries[i];
	}
	return total;
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
		if (!strcmp(pin_names[i], name))
			return dp->fd[i];
	if (dp->skel) {
		struct bpf_map *m = bpf_object__find_map_by_name(dp->skel->obj, name);

		if (m)
			return bpf_map__fd(m);
	}
	return -ENOENT;
}

/* ---------------------------------------------------------------------
 * Attaching.
 */

static int prog_tag(int fd, __u8 tag[BPF_TAG_SIZE])
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	memcpy(tag, info.tag, BPF_TAG_SIZE);
	return 0;
}

/* Does the program use the map with this id? 1, 0 or -errno. */
static int uses_map(int fd, __u32 map_id)
{
	__u32 ids[64];
	struct bpf_prog_info info = { .nr_map_ids = 64, .map_ids = (__u64)(unsigned long)ids };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	for (__u32 i = 0; i < info.nr_map_ids && i < 64; i++)
		if (ids[i] == map_id)
			return 1;
	return 0;
}

static __u32 map_id(int fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/*
 * The same program: the same code (the kernel's tag, which leaves out map
 * references) on this datapath's maps (its gf_state, pinned with the
 * rest).  After a migration the code may be the same and the maps not:
 * such a program is swapped, not adopted.
 */
static int same_code(const struct gf_dp *dp, int fd_a, int fd_b)
{
	__u8 a[BPF_TAG_SIZE], b[BPF_TAG_SIZE];

	return !prog_tag(fd_a, a) && !prog_tag(fd_b, b) && !memcmp(a, b, BPF_TAG_SIZE) &&
	       uses_map(fd_a, map_id(dp->fd[M_STATE])) == 1;
}

/* geofence's program among those on the interface, if any */
static struct xdp_program *find_ours(struct xdp_multiprog *mp)
{
	struct xdp_program *p;

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		return p && !strcmp(xdp_program__name(p), "gf_xdp") ? p : NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp))
		if (!strcmp(xdp_program__name(p), "gf_xdp"))
			return p;
	return NULL;
}

static const char *describe(struct xdp_multiprog *mp)
{
	int legacy = xdp_multiprog__is_legacy(mp);

	switch (xdp_multiprog__attach_mode(mp)) {
	case XDP_MODE_SKB:
		return legacy ? "generic/single" : "generic/dispatcher";
	case XDP_MODE_HW:
		return "offload";
	default:
		return legacy ? "native/single" : "native/dispatcher";
	}
}

/*
 * libxdp attaches a program it loads itself (as an freplace extension of
 * its dispatcher, or alone): give it a second instance of the object,
 * opened from the skeleton's embedded ELF, sharing this datapath's maps.
 */
static int libxdp_program(struct gf_dp *dp)
{
	DECLARE_LIBXDP_OPTS(xdp_program_opts, o, .prog_name = "gf_xdp");
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *m;
	const void *elf;
	char path[64];
	size_t sz;
	int err;

	if (dp->xdp_prog)
		return 0;
	elf = geofence_bpf__elf_bytes(&sz);
	dp->xdp_memfd = memfd_create("geofence.bpf.o", MFD_CLOEXEC);
	if (dp->xdp_memfd < 0 || write(dp->xdp_memfd, elf, sz) != (ssize_t)sz)
		return -errno;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dp->xdp_memfd);
	o.open_filename = path;
	dp->xdp_prog = xdp_program__create(&o);
	err = libxdp_get_error(dp->xdp_prog);
	if (err) {
		dp->xdp_prog = NULL;
		return err;
	}
	obj = xdp_program__bpf_obj(dp->xdp_prog);
	/* every map is the skeleton's: pinned ones and per-load ones (gf_rng) alike */
	bpf_object__for_each_map(m, obj) {
		struct bpf_map *mine = bpf_object__find_map_by_name(dp->skel->obj, bpf_map__name(m));
		int fd = mine ? bpf_map__fd(mine) : -ENOENT;

		if (fd < 0 || (err = bpf_map__reuse_fd(m, fd)))
			return fd < 0 ? fd : err;
	}
	/* only the XDP program: the tc ones stay with the skeleton */
	bpf_object__for_each_program(prog, obj)
		if (strcmp(bpf_program__name(prog), "gf_xdp"))
			bpf_program__set_autoload(prog, false);
	return 0;
}

int gf_dp_attach_xdp(struct gf_dp *dp, int ifindex, enum gf_xdp_mode mode, const char **how,
		     int *adopted)
{
	enum xdp_attach_mode m = mode == GF_XDP_NATIVE ? XDP_MODE_NATIVE :
				 mode == GF_XDP_GENERIC ? XDP_MODE_SKB : XDP_MODE_UNSPEC;
	char name[IF_NAMESIZE] = "?";
	struct xdp_multiprog *mp;
	struct xdp_program *ours;
	__u32 one = 1, key = ifindex;
	const char *desc = "unknown", *what = "attached";
	int err = 0, ourfd = gf_dp_prog_fd(dp, "gf_xdp");

	if (ourfd < 0)
		return ourfd;
	if (adopted)
		*adopted = 0;
	if_indextoname(ifindex, name);
	mp = xdp_multiprog__get_from_ifindex(ifindex);
	ours = libxdp_get_error(mp) ? NULL : find_ours(mp);
	if (ours && same_code(dp, xdp_program__fd(ours), ourfd)) {
		/* a previous agent's program, the same code: keep it running */
		what = "adopted";
		if (adopted)
			*adopted = 1;
	} else if (ours && xdp_multiprog__is_legacy(mp)) {
		/* other code (an upgrade): swap in one step, no gap */
		LIBBPF_OPTS(bpf_xdp_attach_opts, ao, .old_prog_fd = xdp_program__fd(ours));
		__u32 flags = XDP_FLAGS_REPLACE | (xdp_multiprog__attach_mode(mp) == XDP_MODE_SKB ?
						   XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE);

		err = bpf_xdp_attach(ifindex, ourfd, flags, &ao) ? -errno : 0;
		what = "replaced";
	} else {
		err = libxdp_program(dp);
		/*
		 * libxdp first tries its multi-program dispatcher; kernels that
		 * refuse freplace make that fail with misleading library warnings
		 * (EPERM, "raise ulimit -l"), after which libxdp attaches the
		 * program alone.  The outcome is logged below in our own words.
		 */
		gf_log_libs_demote(1);
		if (!err)
			err = xdp_program__attach(dp->xdp_prog, ifindex, m, 0);
		/*
		 * auto: a driver that has native XDP may still refuse it (veth
		 * above an MTU it cannot take, a NIC in a mode it does not
		 * support): generic works everywhere.
		 */
		if (err && mode == GF_XDP_AUTO) {
			int native_err = err;

			err = xdp_program__attach(dp->xdp_prog, ifindex, XDP_MODE_SKB, 0);
			if (!err)
				pr_warn("XDP on %s: native mode refused (%s): generic instead, slower "
					"(xdp_mode = \"auto\")\n", name, strerror(-native_err));
		}
		gf_log_libs_demote(0);
		/* dispatcher with an older geofence in it: new one in, old one out */
		if (!err && ours)
			xdp_program__detach(ours, ifindex, xdp_multiprog__attach_mode(mp), 0);
	}
	if (!libxdp_get_error(mp))
		xdp_multiprog__close(mp);
	if (err) {
		pr_err("cannot attach XDP to %s: %s%s\n", name, strerror(-err),
		       mode == GF_XDP_NATIVE ? " (the driver may lack native XDP: use generic mode)" :
		       mode == GF_XDP_AUTO ? " (--verbose shows libxdp's attempts)" : "");
		return err;
	}
	if (bpf_map_update_elem(dp->fd[M_XDP_IFACES], &key, &one, 0))
		return -errno;
	mp = xdp_multiprog__get_from_ifindex(ifindex);
	if (!libxdp_get_error(mp)) {
		desc = describe(mp);
		xdp_multiprog__close(mp);
	}
	pr_info("XDP on %s: %s, %s%s\n", name, what, desc,
		strstr(desc, "single") ? " (libxdp's multi-program dispatcher is unavailable "
					 "here: other XDP programs cannot share the interface)" : "");
	if (how)
		*how = desc;
	return 0;
}

int gf_dp_xdp_attached(struct gf_dp *dp, int ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *ours;
	int err = libxdp_get_error(mp), on;

	if (err)
		return err == -ENOENT || err == -ENODEV ? 0 : err;
	ours = find_ours(mp);
	on = ours && same_code(dp, xdp_program__fd(ours), gf_dp_prog_fd(dp, "gf_xdp"));
	xdp_multiprog__close(mp);
	return on;
}

int gf_dp_tc_attached(struct gf_dp *dp, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = GF_TC_HANDLE, .priority = GF_TC_PRIO);
	int err, fd, on;

	gf_log_libs_demote(1);
	err = bpf_tc_query(&hook, &q);
	gf_log_libs_demote(0);
	if (err)
		return err == -ENOENT || err == -ENODEV || err == -EINVAL ? 0 : err;
	fd = bpf_prog_get_fd_by_id(q.prog_id);
	if (fd < 0)
		return 0;
	on = same_code(dp, fd, gf_dp_prog_fd(dp, "gf_tc")) || same_code(dp, fd, gf_dp_prog_fd(dp, "gf_tc_l3"));
	close(fd);
	return on;
}

int gf_dp_mark_xdp_upper(struct gf_dp *dp, int ifindex)
{
	__u32 key = ifindex, one = 1;

	return bpf_map_update_elem(dp->fd[M_XDP_IFACES], &key, &one, 0) ? -errno : 0;
}

void gf_dp_forget_ifindex(struct gf_dp *dp, int ifindex)
{
	__u32 key = ifindex;

	bpf_map_delete_elem(dp->fd[M_XDP_IFACES], &key);
}

int gf_dp_detach_xdp(struct gf_dp *dp, int ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *ours;
	__u32 key = ifindex;
	int err;

	if (dp)	/* NULL: maps of another layout, or none */
		bpf_map_delete_elem(dp->fd[M_XDP_IFACES], &key);
	err = libxdp_get_error(mp);
	if (err)
		return err == -ENOENT ? 0 : err;
	ours = find_ours(mp);
	if (!ours)
		err = 0;	/* not ours, or nothing: leave it */
	else if (xdp_multiprog__is_legacy(mp))
		err = xdp_multiprog__detach(mp);
	else
		err = xdp_program__detach(ours, ifindex, xdp_multiprog__attach_mode(mp), 0);
	xdp_multiprog__close(mp);
	return err;
}

int gf_dp_attach_tc(struct gf_dp *dp, int ifindex, int l3, int *adopted)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = GF_TC_HANDLE, .priority = GF_TC_PRIO);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = GF_TC_HANDLE, .priority = GF_TC_PRIO);
	char name[IF_NAMESIZE] = "?";
	const char *what = "attached";
	int err, ourfd = gf_dp_prog_fd(dp, l3 ? "gf_tc_l3" : "gf_tc");

	if (ourfd < 0)
		return ourfd;
	if (adopted)
		*adopted = 0;
	if_indextoname(ifindex, name);
	/*
	 * A clsact qdisc that exists already, or an empty hook, makes the
	 * kernel complain through libbpf: both expected here.
	 */
	gf_log_libs_demote(1);
	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST) {
		gf_log_libs_demote(0);
		pr_err("cannot create the clsact qdisc on %s: %s\n", name, strerror(-err));
		return err;
	}
	err = bpf_tc_query(&hook, &q);
	gf_log_libs_demote(0);
	if (!err) {
		int old = bpf_prog_get_fd_by_id(q.prog_id);

		if (old >= 0 && same_code(dp, old, ourfd)) {
			close(old);
			if (adopted)
				*adopted = 1;
			pr_info("tc egress on %s: adopted\n", name);
			return 0;
		}
		if (old >= 0)
			close(old);
		o.flags = BPF_TC_F_REPLACE;	/* in one step */
		what = "replaced";
	}
	o.prog_fd = ourfd;
	err = bpf_tc_attach(&hook, &o);
	if (err)
		pr_err("cannot attach tc egress to %s: %s\n", name, strerror(-err));
	else
		pr_info("tc egress on %s: %s\n", name, what);
	return err;
}

int gf_dp_detach_tc(struct gf_dp *dp, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = GF_TC_HANDLE, .priority = GF_TC_PRIO);
	int err;

	(void)dp;
	err = bpf_tc_detach(&hook, &o);
	return err == -ENOENT ? 0 : err;
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
