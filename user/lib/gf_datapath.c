// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath's maps: the BPF object opened and loaded, its maps pinned,
 * a running datapath adopted, or migrated to a new layout and back.
 */
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
#include "gf_dp_impl.h"
#include "gf_log.h"

const char *const gf_dp_pin_names[M_COUNT] = {
	"gf_state", "gf_policy", "gf_top4", "gf_node4", "gf_top6", "gf_node6", "gf_redirect",
	"gf_xdp_ifaces", "gf_class_stats", "gf_reason_stats", "gf_samples", "gf_flows", "gf_flow_events",
	"gf_scope4", "gf_scope6", "gf_scope_vlan", "gf_scope_iface", "gf_scope_stats", "gf_scope_pre4",
	"gf_scope_ifidx",
};

static struct bpf_map *skel_map(struct geofence_bpf *s, int i)
{
	struct bpf_map *m[M_COUNT] = {
		s->maps.data_state, s->maps.gf_policy, s->maps.gf_top4, s->maps.gf_node4,
		s->maps.gf_top6, s->maps.gf_node6, s->maps.gf_redirect, s->maps.gf_xdp_ifaces,
		s->maps.gf_class_stats, s->maps.gf_reason_stats, s->maps.gf_samples, s->maps.gf_flows,
		s->maps.gf_flow_events, s->maps.gf_scope4, s->maps.gf_scope6, s->maps.gf_scope_vlan,
		s->maps.gf_scope_iface, s->maps.gf_scope_stats, s->maps.gf_scope_pre4, s->maps.gf_scope_ifidx,
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
		pr_err("mmap of map %s (%zu bytes) failed: %s\n", gf_dp_pin_names[i], len, strerror(errno));
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
	dp->flows_cap = dp->max_entries[M_FLOWS];
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
	return snprintf(buf, len, "%s/%s", dir, gf_dp_pin_names[i]) >= (int)len ? -ENAMETOOLONG : 0;
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
			snprintf(why, len, "%s is missing", gf_dp_pin_names[i]);
			return 1;
		}
		bad = bpf_obj_get_info_by_fd(fd, &info, &ilen) || info.type != bpf_map__type(m) ||
		      info.key_size != bpf_map__key_size(m) || info.value_size != bpf_map__value_size(m) ||
		      info.max_entries != bpf_map__max_entries(m);
		close(fd);
		if (bad) {
			snprintf(why, len, "%s holds %u entries of %u bytes, this geofenced wants %u of %u",
				 gf_dp_pin_names[i], info.max_entries, info.value_size, bpf_map__max_entries(m),
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
			pr_warn("migration: %s changed shape: its counters start from zero\n", gf_dp_pin_names[m]);
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
		pr_debug("migration: %s: %u entries carried\n", gf_dp_pin_names[m], carried);
	}
}

/*
 * The tries' and the flow table's capacities: configured, else what a
 * running datapath of this layout has, else the default.
 */
static void choose_capacity(struct gf_dp *dp, const struct gf_dp_opts *opts, const char *pins, int pinned)
{
	dp->node4_cap = opts && opts->node4_cap ? opts->node4_cap : GF_V4_NODES_DEFAULT;
	dp->node6_cap = opts && opts->node6_cap ? opts->node6_cap : GF_V6_NODES_DEFAULT;
	dp->flows_cap = opts && opts->flows_cap ? opts->flows_cap : GF_FLOWS_DEFAULT;
	if (pinned && gf_dp_pinned_layout(pins) == GF_LAYOUT) {
		__u32 n4 = pinned_entries(pins, M_NODE4), n6 = pinned_entries(pins, M_NODE6),
		      nf = pinned_entries(pins, M_FLOWS);

		if (n4 && n6 && !(opts->node4_cap))
			dp->node4_cap = n4 / GF_GENERATIONS;
		if (n4 && n6 && !(opts->node6_cap))
			dp->node6_cap = n6 / GF_GENERATIONS;
		if (nf && !opts->flows_cap)
			dp->flows_cap = nf;
	}
}

/*
 * A pinned datapath: adopted when its maps fit this object (1), else set
 * aside for a migration (0); -errno when it cannot be read.
 */
static int adopt_or_migrate(struct gf_dp *dp, const char *pins)
{
	char prev[4096];
	int err = pins_fit(dp, pins, dp->migrate_why, sizeof(dp->migrate_why));

	if (err < 0) {
		pr_err("cannot read the datapath pinned in %s: %s\n", pins, strerror(-err));
		return err;
	}
	if (!err) {
		/* a migration that stopped half-way: finished by this start */
		prev_dir(prev, sizeof(prev), pins);
		dp->leftover = !access(prev, F_OK);
		return 1;
	}
	pr_info("upgrading the datapath in %s: %s: new maps are made and filled, the "
		"programs swapped to them in one step\n", pins, dp->migrate_why);
	err = migrate_aside(dp, pins);
	return err ? err : 0;
}

/*
 * Reuse what is pinned.  By hand rather than with libbpf's pin paths:
 * the kernel adds BPF_F_RDONLY_PROG to a devmap's flags, which
 * libbpf 1.1's reuse check then refuses, while creating a devmap with
 * that flag is refused too.  pins_fit() checked types and sizes.
 */
static int reuse_pinned(struct gf_dp *dp, const char *pins)
{
	for (int i = 0; i < M_COUNT; i++) {
		char p[4096];
		int fd, err;

		pin_path(p, sizeof(p), pins, i);
		fd = bpf_obj_get(p);
		if (fd < 0)
			return -errno;
		err = bpf_map__reuse_fd(skel_map(dp->skel, i), fd);
		close(fd);
		if (err)
			return err;
	}
	return 0;
}

/* Every map pinned in pins (those already there are the reused ones). */
static int pin_maps(struct gf_dp *dp, const char *pins)
{
	if (mkdir(pins, 0700) && errno != EEXIST) {
		int err = -errno;

		pr_err("cannot create %s: %s (is a bpf filesystem mounted on /sys/fs/bpf?)\n", pins, strerror(-err));
		return err;
	}
	for (int i = 0; i < M_COUNT; i++) {
		char p[4096];
		int err;

		pin_path(p, sizeof(p), pins, i);
		if (access(p, F_OK) && (err = bpf_map__pin(skel_map(dp->skel, i), p))) {
			pr_err("cannot pin %s: %s\n", p, strerror(-err));
			return err;
		}
	}
	return 0;
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
	if (pins && snprintf(dp->pins, sizeof(dp->pins), "%s", pins) >= (int)sizeof(dp->pins)) {
		err = -ENAMETOOLONG;
		goto fail;
	}
	choose_capacity(dp, opts, pins, pinned);
	dp->skel = geofence_bpf__open();
	if (!dp->skel) {
		err = -errno;
		pr_err("cannot open the BPF object: %s\n", strerror(-err));
		goto fail;
	}
	bpf_map__set_max_entries(dp->skel->maps.gf_node4, GF_GENERATIONS * dp->node4_cap);
	bpf_map__set_max_entries(dp->skel->maps.gf_node6, GF_GENERATIONS * dp->node6_cap);
	bpf_map__set_max_entries(dp->skel->maps.gf_flows, dp->flows_cap);
	if (pinned && (reuse = adopt_or_migrate(dp, pins)) < 0) {
		err = reuse;
		goto fail;
	}
	if (reuse && (err = reuse_pinned(dp, pins)))
		goto fail;
	if (!reuse)
		dp->skel->data_state->gf_state.layout = GF_LAYOUT;
	err = geofence_bpf__load(dp->skel);
	if (err) {
		pr_err("cannot load the BPF programs: %s (run as root with CAP_BPF, CAP_NET_ADMIN "
		       "and CAP_PERFMON; --verbose shows the verifier log)\n", strerror(-err));
		goto fail;
	}
	if (pins && (err = pin_maps(dp, pins)))
		goto fail;
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
	dp->map_bytes = gf_dp_map_bytes(dp);
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
	dp->map_bytes = gf_dp_map_bytes(dp);
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
