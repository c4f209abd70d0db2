// SPDX-License-Identifier: GPL-2.0
/*
 * geofenced: the agent.  Reads the configuration, the country lists and the
 * GeoIP sources, builds a generation off to the side and flips to it,
 * attaches the hooks (or adopts them from a previous run: the datapath's
 * maps are pinned and outlive the agent), and reloads on SIGHUP or when a
 * watched file changes.  Bad input is rejected whole: the running
 * generation stays.
 *
 *   geofenced [-c CONFIG] [--netns NAME] [--verbose]
 *
 * Stopping the agent (SIGTERM) leaves the datapath enforcing the last
 * policy; `geofence detach` removes it.  Exit codes: 0 stopped, 2 bad
 * configuration, 3 system error (BPF, attach, lock), 4 another agent runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <linux/rtnetlink.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <pthread.h>
#include <bpf/libbpf.h>
#include "gf_config.h"
#include "gf_datapath.h"
#include "gf_dlpstat.h"
#include "gf_evpg.h"
#include "gf_guard.h"
#include "gf_log.h"
#include "gf_metrics.h"
#include "gf_ns.h"
#include "gf_names.h"
#include "gf_policy.h"
#include "gf_sanity.h"
#include "gf_state.h"
#include "gf_text.h"
#include "gf_world.h"
#include <systemd/sd-daemon.h>

#define EXIT_CONFIG 2
#define EXIT_SYSTEM 3
#define EXIT_BUSY 4
#define DEBOUNCE_MS 300

struct iface {
	char name[IF_NAMESIZE];
	int ifindex;		/* 0 while the interface does not exist */
	int hook;		/* GF_HOOK_XDP / GF_HOOK_TC */
	char mode[32];
	int adopted;
	int filtered;		/* the kernel has our program on it (read back, not assumed) */
	double unfiltered_since;	/* monotonic seconds; 0 while filtered */
	unsigned long long changes;	/* link events that touched it */
};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One generation's inputs, built off to the side. */
struct build {
	struct gf_config cfg;
	struct gf_countries countries;
	struct gf_policy_set pol;
	struct gf_world world;
	char cfg_sha[65];
	char list_sha[64][65];
	char src_sha[GF_MAX_SOURCES][65];
	struct gf_coverage cov;		/* country space of the sources and the tables: sanity, metrics */
	char sanity_note[256];		/* a shrink the check accepted, for the log */
	int ok;
};

static struct agent {
	const char *config_path;
	const char *netns;
	struct gf_dp *dp;
	int lock_fd;
	struct build *cur;		/* what the datapath runs */
	struct gf_coverage *last_cov;	/* before the first build: state.json's, if any */
	struct iface ifs[2 * GF_MAX_IFACES];
	int nifs;
	long reloads, reload_errors;
	json_object *last_reload;
	time_t started;
	int sfd, ifd, tfd;
	/* payload samples: a thread drains the ring and scans */
	struct gf_dlp_stats *dlp;
	struct ring_buffer *rb;
	pthread_t scanner;
	volatile int scanner_stop;
	/* the evidence's upload to PostgreSQL: a thread of its own (evidence.postgres) */
	/* links: rtnetlink events, and the kernel's attach state read back every second */
	int nlfd;
	/* devices stacked on XDP interfaces (VLANs on the bond), marked for tc to skip */
	int uppers[64], nuppers;
	unsigned long long link_events;
	double last_check;
	pthread_t uploader;
	int uploader_on;
	volatile int uploader_stop;
	char uploader_conninfo[1024];
	int uploader_interval;
	int wd[GF_MAX_SOURCES + 3], nwd;	/* inotify watches on input directories */
	/* /metrics, and what it listens with (a change restarts it) */
	struct gf_metrics *metrics;
	char metrics_sig[4 * PATH_MAX];
	double last_ok_reload, last_reload_ms;
} A = { .lock_fd = -1, .sfd = -1, .ifd = -1, .tfd = -1 };

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void build_free(struct build *b)
{
	if (!b)
		return;
	gf_world_free(&b->world);
	gf_policy_set_free(&b->pol);
	gf_config_free(&b->cfg);
	free(b);
}

/* The countries the lists name: "FILE:LINE" by class, NULL for the others. */
static void named_countries(const struct build *b, const char **named)
{
	for (int cls = 0; cls < GF_CLASS_COUNTRY_END; cls++)
		named[cls] = cls >= GF_CLASS_COUNTRY_BASE && b->countries.rule[cls].action >= 0 ?
			     b->countries.rule[cls].origin : NULL;
}

/* Everything a generation needs, or an error naming file and line. */
static struct build *build_new(char *err, size_t errlen)
{
	struct build *b = calloc(1, sizeof(*b));
	int ret;

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ret = gf_config_load(A.config_path, &b->cfg, err, errlen);
	/* where state.json and dlp.json go: nobody else may plant anything there */
	if (!ret)
		ret = gf_dir_check(b->cfg.run_dir, b->cfg.state_gid, "state.run_dir", err, errlen);
	if (!ret)
		ret = gf_countries_load(b->cfg.countries_dir, &b->countries, err, errlen);
	if (!ret)
		ret = gf_policy_build(&b->cfg, &b->countries, &b->pol, err, errlen);
	if (!ret)
		ret = gf_world_load(&b->world, b->cfg.sources, b->cfg.nsources, &b->cfg.geo,
				    &b->pol.overrides[0], &b->pol.overrides[1], err, errlen);
	/* data sanity: valid files that would turn the world "unknown" are refused */
	if (!ret) {
		const char *named[GF_CLASS_COUNTRY_END];
		const struct gf_coverage *prev = A.cur ? &A.cur->cov : A.last_cov;

		named_countries(b, named);
		gf_coverage_of(&b->world, &b->cov);
		ret = gf_sanity_check(prev, &b->cov, named, &b->cfg.sanity, err, errlen,
				      b->sanity_note, sizeof(b->sanity_note));
	}
	/* fingerprints of every input, for the log and status */
	if (!ret)
		gf_sha256_file(b->cfg.path, b->cfg_sha);
	for (int i = 0; !ret && i < b->countries.nfiles; i++)
		gf_sha256_file(b->countries.files[i], b->list_sha[i]);
	for (int i = 0; !ret && i < b->cfg.nsources; i++)
		gf_sha256_file(b->cfg.sources[i].path, b->src_sha[i]);
	if (ret) {
		build_free(b);
		return NULL;
	}
	return b;
}

/*
 * What the previous agent's generation gave to countries, from its
 * state.json (the run directory the configuration names), so that a
 * restart compares new data with it rather than with the default data.
 */
static void restore_coverage(void)
{
	static struct gf_coverage cov;
	struct gf_config *c = calloc(1, sizeof(*c));
	char err[512];
	json_object *st = NULL, *o;

	if (c && !gf_config_load(A.config_path, c, err, sizeof(err)) &&
	    (st = gf_state_read(c->run_dir)) && json_object_object_get_ex(st, "coverage", &o) &&
	    !gf_coverage_from_json(o, &cov)) {
		A.last_cov = &cov;
		pr_info("data sanity: comparing with the previous run's data (%s/%s)\n", c->run_dir,
			GF_STATE_FILE);
	}
	json_object_put(st);
	if (c)
		gf_config_free(c);
	free(c);
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* ---------------------------------------------------------------------
 * state.json
 */
static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *rule_json(const struct gf_rule *r)
{
	char buf[64];

	if (r->action == GF_ACT_REDIRECT)
		snprintf(buf, sizeof(buf), "redirect %s", r->redirect);
	else
		snprintf(buf, sizeof(buf), "%s", gf_action_name(r->action));
	return json_object_new_string(buf);
}

/* What /metrics says of the agent: copied by the server under its lock. */
static void publish_metrics(void)
{
	const struct build *b = A.cur;
	struct gf_metrics_info in = { 0 };

	if (!A.metrics)
		return;
	in.generation = gf_dp_flips(A.dp);
	in.reloads_ok = A.reloads - A.reload_errors;
	in.reloads_failed = A.reload_errors;
	in.last_reload_time = A.last_ok_reload;
	in.last_reload_seconds = A.last_reload_ms / 1e3;
	in.map_bytes = gf_dp_map_bytes(A.dp);
	in.started = A.started;
	if (b) {
		for (size_t i = 0; i < b->world.nsrcs; i++)
			if (b->world.srcs[i].build_epoch > in.geodb_build_time)
				in.geodb_build_time = b->world.srcs[i].build_epoch;
		in.geodb_max_age = b->cfg.geo_max_age_days * 86400.0;
		for (int f = 0; f < 2; f++) {
			in.ranges[f] = b->world.table[f]->n_ranges;
			in.table_bytes[f] = gf_table_bytes(b->world.table[f]);
			in.addresses[0][f] = b->cov.country[f];
			in.addresses[1][f] = b->cov.reserved[f];
			in.addresses[2][f] = b->cov.overrides[f];
			in.addresses[3][f] = b->cov.unknown[f];
		}
	}
	for (int i = 0; i < A.nifs && in.nattach < GF_METRICS_MAX_ATTACH; i++, in.nattach++) {
		snprintf(in.attach[in.nattach].ifname, sizeof(in.attach[0].ifname), "%s", A.ifs[i].name);
		snprintf(in.attach[in.nattach].hook, sizeof(in.attach[0].hook), "%s", gf_hook_name(A.ifs[i].hook));
		snprintf(in.attach[in.nattach].mode, sizeof(in.attach[0].mode), "%s", A.ifs[i].mode);
		in.attach[in.nattach].filtered = A.ifs[i].filtered;
		in.attach[in.nattach].changes = A.ifs[i].changes;
		in.link_events = A.link_events;
	}
	gf_metrics_publish(A.metrics, &in);
}

/* Serve /metrics as the configuration says; restart the server when that changes. */
static void uploader_sync(const struct gf_config *c);
static void restart_only_check(const struct gf_config *c);

static void metrics_sync(const struct gf_config *c)
{
	struct gf_metrics_opts o = {
		.listen = c->metrics_listen,
		.tls_cert = c->metrics_tls_cert[0] ? c->metrics_tls_cert : NULL,
		.tls_key = c->metrics_tls_key[0] ? c->metrics_tls_key : NULL,
		.user = c->metrics_user[0] ? c->metrics_user : NULL,
		.password_file = c->metrics_password_file[0] ? c->metrics_password_file : NULL,
	};
	char sig[sizeof(A.metrics_sig)], err[512], h[3][65] = { "", "", "" };
	const char *files[3] = { c->metrics_tls_cert, c->metrics_tls_key, c->metrics_password_file };

	/*
	 * What the files hold, too: a renewed certificate (or a new password)
	 * under the same name restarts the server on the next reload.
	 */
	for (int i = 0; i < 3; i++)
		if (files[i][0] && gf_sha256_file(files[i], h[i]))
			snprintf(h[i], sizeof(h[i]), "unreadable");
	snprintf(sig, sizeof(sig), "%s|%s|%s|%s|%s|%s|%s|%s", c->metrics_listen, c->metrics_tls_cert,
		 c->metrics_tls_key, c->metrics_user, c->metrics_password_file, h[0], h[1], h[2]);
	if (A.metrics && !strcmp(sig, A.metrics_sig))
		return;
	gf_metrics_stop(A.metrics);
	A.metrics = NULL;
	snprintf(A.metrics_sig, sizeof(A.metrics_sig), "%s", sig);
	if (!c->metrics_listen[0]) {
		pr_info("metrics off (metrics.listen is empty)\n");
		return;
	}
	if (gf_metrics_start(&A.metrics, &o, A.dp, A.dlp, err, sizeof(err))) {
		/* enforcement goes on without metrics; Prometheus will see the target down */
		pr_err("%s\n", err);
		A.metrics_sig[0] = '\0';
		return;
	}
	pr_info("metrics on %s://%s/metrics%s\n", o.tls_cert ? "https" : "http", c->metrics_listen,
		o.user ? " (basic auth)" : "");
}

static void write_state(void)
{
	const struct build *b = A.cur;
	json_object *o = json_object_new_object(), *a, *x;
	__u32 c4, c6;

	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(o, "started", json_object_new_int64(A.started));
	json_object_object_add(o, "config", jstr(A.config_path));
	json_object_object_add(o, "netns", jstr(A.netns));
	json_object_object_add(o, "pin_dir", jstr(b ? b->cfg.pin_dir : NULL));
	json_object_object_add(o, "generation", json_object_new_int64(gf_dp_flips(A.dp)));
	json_object_object_add(o, "layout", json_object_new_int(GF_LAYOUT));
	a = json_object_new_array();
	for (int i = 0; i < A.nifs; i++) {
		x = json_object_new_object();
		json_object_object_add(x, "name", jstr(A.ifs[i].name));
		json_object_object_add(x, "ifindex", json_object_new_int(A.ifs[i].ifindex));
		json_object_object_add(x, "hook", jstr(gf_hook_name(A.ifs[i].hook)));
		json_object_object_add(x, "mode", jstr(A.ifs[i].mode));
		json_object_object_add(x, "adopted", json_object_new_boolean(A.ifs[i].adopted));
		json_object_object_add(x, "filtered", json_object_new_boolean(A.ifs[i].filtered));
		json_object_object_add(x, "link_changes", json_object_new_int64(A.ifs[i].changes));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "interfaces", a);

	x = json_object_new_object();
	json_object_object_add(x, "count", json_object_new_int64(A.reloads));
	json_object_object_add(x, "errors", json_object_new_int64(A.reload_errors));
	json_object_object_add(x, "last", A.last_reload ? json_object_get(A.last_reload) : NULL);
	json_object_object_add(o, "reload", x);

	if (b) {
		json_object *files = json_object_new_array();

		x = json_object_new_object();
		json_object_object_add(x, "path", jstr(b->cfg.path));
		json_object_object_add(x, "sha256", jstr(b->cfg_sha));
		json_object_array_add(files, x);
		for (int i = 0; i < b->countries.nfiles; i++) {
			x = json_object_new_object();
			json_object_object_add(x, "path", jstr(b->countries.files[i]));
			json_object_object_add(x, "sha256", jstr(b->list_sha[i]));
			json_object_array_add(files, x);
		}
		json_object_object_add(o, "files", files);

		a = json_object_new_array();
		for (size_t i = 0; i < b->world.nsrcs; i++) {
			const struct gf_geo *g = &b->world.srcs[i];

			x = json_object_new_object();
			json_object_object_add(x, "path", jstr(g->path));
			json_object_object_add(x, "type", jstr(g->database_type));
			json_object_object_add(x, "sha256", jstr(b->src_sha[i]));
			json_object_object_add(x, "build_epoch", json_object_new_int64(g->build_epoch));
			json_object_object_add(x, "description", jstr(g->description));
			json_object_object_add(x, "networks", json_object_new_int64(g->networks));
			json_object_object_add(x, "registered_country_fallbacks",
					       json_object_new_int64(g->fallback_registered));
			json_object_object_add(x, "aliased", json_object_new_boolean(g->aliases_skipped > 0));
			json_object_array_add(a, x);
		}
		json_object_object_add(o, "sources", a);
		json_object_object_add(o, "geoip_max_age_days", json_object_new_int(b->cfg.geo_max_age_days));
		if (b->world.conflicts.ranges) {
			x = json_object_new_object();
			json_object_object_add(x, "ranges", json_object_new_int64(b->world.conflicts.ranges));
			json_object_object_add(x, "first", jstr(b->world.conflicts.first));
			json_object_object_add(o, "source_conflicts", x);
		}

		gf_dp_capacity(A.dp, &c4, &c6);
		a = json_object_new_object();
		for (int f = 0; f < 2; f++) {
			const struct gf_table *t = b->world.table[f];

			x = json_object_new_object();
			json_object_object_add(x, "ranges", json_object_new_int64(t->n_ranges));
			json_object_object_add(x, "nodes", json_object_new_int64(t->n_nodes));
			json_object_object_add(x, "node_capacity", json_object_new_int64(f ? c6 : c4));
			json_object_object_add(x, "bytes", json_object_new_int64(gf_table_bytes(t)));
			json_object_object_add(a, f ? "ipv6" : "ipv4", x);
		}
		json_object_object_add(a, "map_bytes", json_object_new_int64(gf_dp_map_bytes(A.dp)));
		json_object_object_add(o, "tables", a);
		{
			const char *named[GF_CLASS_COUNTRY_END];

			named_countries(b, named);
			json_object_object_add(o, "coverage", gf_coverage_to_json(&b->cov, named));
		}

		x = json_object_new_object();
		json_object_object_add(x, "default", rule_json(&b->cfg.default_rule));
		json_object_object_add(x, "unknown", rule_json(&b->cfg.unknown_rule));
		json_object_object_add(x, "reserved", rule_json(&b->cfg.reserved_rule));
		json_object_object_add(x, "monitor", json_object_new_boolean(b->cfg.monitor));
		json_object_object_add(x, "source_route", jstr(b->cfg.source_route_drop ? "drop" : "classify"));
		a = json_object_new_object();
		for (int cls = GF_CLASS_COUNTRY_BASE; cls < GF_CLASS_COUNTRY_END; cls++) {
			char cc[8];

			if (b->countries.rule[cls].action >= 0)
				json_object_object_add(a, gf_class_name(cls, cc, sizeof(cc)),
						       rule_json(&b->countries.rule[cls]));
		}
		json_object_object_add(x, "countries", a);
		a = json_object_new_object();
		for (int act = 0; act < GF_ACT_MAX; act++)
			json_object_object_add(a, gf_action_name(act),
					       json_object_new_int(b->pol.countries[act]));
		json_object_object_add(x, "countries_by_action", a);
		a = json_object_new_array();
		for (int i = 0; i < b->cfg.noverrides; i++) {
			const struct gf_override *ov = &b->cfg.overrides[i];
			char addr[64], cidr[80];

			snprintf(cidr, sizeof(cidr), "%s/%d", gf_addr_str(ov->family, ov->addr, addr,
									  sizeof(addr)), ov->len);
			json_object *e = json_object_new_object();

			json_object_object_add(e, "cidr", jstr(cidr));
			json_object_object_add(e, "action", rule_json(&ov->rule));
			json_object_object_add(e, "reason", jstr(ov->reason));
			json_object_object_add(e, "class", json_object_new_int(GF_CLASS_OVERRIDE_BASE + i));
			json_object_object_add(e, "origin", jstr(ov->rule.origin));
			json_object_array_add(a, e);
		}
		json_object_object_add(x, "overrides", a);
		a = json_object_new_array();
		for (int i = 0; i < b->pol.nredirect; i++) {
			json_object *e = json_object_new_object();

			json_object_object_add(e, "slot", json_object_new_int(i));
			json_object_object_add(e, "interface", jstr(b->pol.redirect_name[i]));
			json_object_array_add(a, e);
		}
		json_object_object_add(x, "redirects", a);
		json_object_object_add(o, "policy", x);
	}
	if (b) {
		int err = gf_state_write(b->cfg.run_dir, o, b->cfg.state_gid);

		if (err)
			pr_warn("cannot write %s/%s: %s\n", b->cfg.run_dir, GF_STATE_FILE, strerror(-err));
	}
	json_object_put(o);
	publish_metrics();
}

/* ---------------------------------------------------------------------
 * Applying a generation.
 */
static int find_iface(const char *name, int hook)
{
	for (int i = 0; i < A.nifs; i++)
		if (A.ifs[i].hook == hook && !strcmp(A.ifs[i].name, name))
			return i;
	return -1;
}

static int listed(const struct gf_config *c, const char *name, int hook)
{
	int n = hook == GF_HOOK_XDP ? c->nlan : c->nwan;

	for (int i = 0; i < n; i++)
		if (!strcmp(hook == GF_HOOK_XDP ? c->lan[i] : c->wan[i], name))
			return 1;
	return 0;
}

/* devices without a link-layer header (WireGuard, tun) take gf_tc_l3 */
static int is_l3_device(const char *name)
{
	char path[128], buf[16] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/type", name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	/* ARPHRD_NONE 65534, ARPHRD_PPP 512, ARPHRD_IPGRE 778, ARPHRD_TUNNEL 768 ... */
	return atoi(buf) != 1;	/* anything but ARPHRD_ETHER */
}


/* Puts our program on f's interface (ifindex): 0, or -errno with err. */
static int attach_one(struct iface *f, int ifindex, const struct gf_config *c, char *err, size_t errlen)
{
	const char *how = "tc egress";
	int ret;

	if (f->hook == GF_HOOK_XDP)
		ret = gf_dp_attach_xdp(A.dp, ifindex, c->xdp_mode, &how, &f->adopted);
	else
		ret = gf_dp_attach_tc(A.dp, ifindex, is_l3_device(f->name), &f->adopted);
	if (ret) {
		snprintf(err, errlen, "%s: cannot attach %s: %s", f->name,
			 f->hook == GF_HOOK_XDP ? "XDP" : "tc egress", strerror(-ret));
		return ret;
	}
	f->ifindex = ifindex;
	f->filtered = 1;
	f->unfiltered_since = 0;
	snprintf(f->mode, sizeof(f->mode), "%s", how);
	return 0;
}

/*
 * Every configured interface gets an entry; one that does not exist (yet)
 * waits for its link event, unfiltered and said so, instead of failing
 * the start or the reload.
 */
static int attach_new(const struct gf_config *c, char *err, size_t errlen)
{
	for (int h = 0; h < 2; h++) {
		int n = h == GF_HOOK_XDP ? c->nlan : c->nwan;

		for (int i = 0; i < n; i++) {
			const char *name = h == GF_HOOK_XDP ? c->lan[i] : c->wan[i];
			struct iface *f;
			int ifindex, ret;

			if (find_iface(name, h) >= 0)
				continue;
			f = &A.ifs[A.nifs];
			memset(f, 0, sizeof(*f));
			snprintf(f->name, sizeof(f->name), "%s", name);
			f->hook = h;
			ifindex = if_nametoindex(name);
			if (!ifindex) {
				snprintf(f->mode, sizeof(f->mode), "absent");
				f->unfiltered_since = mono_s();
				pr_warn("%s %s: no such interface%s%s: waiting for it, unfiltered until it "
					"appears (geofence_interface_filtered 0)\n", gf_hook_name(h), name,
					A.netns ? " in network namespace " : "", A.netns ? A.netns : "");
				A.nifs++;
				continue;
			}
			ret = attach_one(f, ifindex, c, err, errlen);
			if (ret)
				return ret;
			A.nifs++;
		}
	}
	return 0;
}

static void detach_unlisted(const struct gf_config *c)
{
	for (int i = 0; i < A.nifs;) {
		struct iface *f = &A.ifs[i];

		if (listed(c, f->name, f->hook)) {
			i++;
			continue;
		}
		if (f->ifindex && f->hook == GF_HOOK_XDP)
			gf_dp_detach_xdp(A.dp, f->ifindex);
		else if (f->ifindex)
			gf_dp_detach_tc(A.dp, f->ifindex);
		pr_info("%s %s: detached (no longer configured)\n", gf_hook_name(f->hook), f->name);
		A.ifs[i] = A.ifs[--A.nifs];
	}
}

/* ---------------------------------------------------------------------
 * Links that come and go: rtnetlink events on the configured names, and
 * every second what the kernel says is attached.
 */
static int link_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		pr_warn("rtnetlink: %s: links are checked once a second only\n", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void link_gone(struct iface *f, const char *why)
{
	if (f->hook == GF_HOOK_XDP && f->ifindex)
		gf_dp_forget_ifindex(A.dp, f->ifindex);
	f->ifindex = 0;
	f->filtered = 0;
	f->unfiltered_since = mono_s();
	snprintf(f->mode, sizeof(f->mode), "gone");
	f->changes++;
	A.link_events++;
	pr_warn("%s %s: %s: unfiltered until it returns\n", gf_hook_name(f->hook), f->name, why);
}

/* The configured name exists with ifindex: make sure our program is on it. */
static int link_seen(struct iface *f, int ifindex, const char *why)
{
	double t0 = mono_s();
	char err[512];

	if (f->filtered && f->ifindex == ifindex)
		return 0;
	if (f->hook == GF_HOOK_XDP && f->ifindex && f->ifindex != ifindex)
		gf_dp_forget_ifindex(A.dp, f->ifindex);
	f->changes++;
	A.link_events++;
	if (attach_one(f, ifindex, &A.cur->cfg, err, sizeof(err))) {
		f->ifindex = ifindex;
		f->filtered = 0;
		if (!f->unfiltered_since)
			f->unfiltered_since = mono_s();
		pr_err("%s; unfiltered: trying again every second\n", err);
		return 1;
	}
	pr_info("%s %s: %s (ifindex %d): %s in %.1f ms\n", gf_hook_name(f->hook), f->name, why, ifindex,
		f->hook == GF_HOOK_XDP ? "XDP attached" : "tc egress attached", (mono_s() - t0) * 1e3);
	return 1;
}

static int is_upper(int ifindex)
{
	for (int i = 0; i < A.nuppers; i++)
		if (A.uppers[i] == ifindex)
			return i;
	return -1;
}

/*
 * A device whose lower device is an XDP interface, or such a device itself
 * (QinQ): tc egress skips what it delivers, counted at XDP already.  Its
 * going: forgotten.
 */
static void upper_seen(int add, int ifindex, int lower, const char *name)
{
	int on_xdp = 0, at = is_upper(ifindex);

	if (!add) {
		if (at >= 0) {
			gf_dp_forget_ifindex(A.dp, ifindex);
			A.uppers[at] = A.uppers[--A.nuppers];
		}
		return;
	}
	if (!lower || lower == ifindex || at >= 0)
		return;
	for (int i = 0; i < A.nifs; i++)
		on_xdp |= A.ifs[i].hook == GF_HOOK_XDP && A.ifs[i].ifindex == lower;
	if (!on_xdp && is_upper(lower) < 0)
		return;
	if (A.nuppers == (int)(sizeof(A.uppers) / sizeof(A.uppers[0])) || gf_dp_mark_xdp_upper(A.dp, ifindex)) {
		pr_warn("%s: stacked on an XDP interface but not marked: tc egress may count its "
			"traffic twice\n", name[0] ? name : "?");
		return;
	}
	A.uppers[A.nuppers++] = ifindex;
	pr_info("%s: stacked on an XDP interface: what it delivers is counted at XDP, not again at "
		"tc egress\n", name[0] ? name : "?");
}

/* Asks for every link (the replies come as RTM_NEWLINK): stacked devices that exist already. */
static void link_dump(void)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} req = { .h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		  .i = { .ifi_family = AF_UNSPEC } };

	if (A.nlfd >= 0 && send(A.nlfd, &req, sizeof(req), 0) < 0)
		pr_warn("rtnetlink: cannot list the links: %s\n", strerror(errno));
}

static void link_read(void)
{
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	int changed = 0;
	ssize_t len;

	while ((len = recv(A.nlfd, buf, sizeof(buf), 0)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			struct ifinfomsg *ifi = NLMSG_DATA(h);
			int alen = IFLA_PAYLOAD(h);
			char name[IF_NAMESIZE] = "";

			if ((h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
				continue;
			int lower = 0;

			for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
				if (a->rta_type == IFLA_IFNAME)
					snprintf(name, sizeof(name), "%.*s", (int)RTA_PAYLOAD(a), (char *)RTA_DATA(a));
				if (a->rta_type == IFLA_LINK && RTA_PAYLOAD(a) >= sizeof(int))
					memcpy(&lower, RTA_DATA(a), sizeof(int));
			}
			upper_seen(h->nlmsg_type == RTM_NEWLINK, ifi->ifi_index, lower, name);
			for (int i = 0; i < A.nifs; i++) {
				struct iface *f = &A.ifs[i];

				if (h->nlmsg_type == RTM_DELLINK && f->ifindex == ifi->ifi_index) {
					link_gone(f, "the interface was deleted");
					changed = 1;
				} else if (h->nlmsg_type == RTM_NEWLINK && f->ifindex == ifi->ifi_index && name[0] &&
					   strcmp(name, f->name)) {
					link_gone(f, "the interface was renamed away");
					changed = 1;
				} else if (h->nlmsg_type == RTM_NEWLINK && !strcmp(name, f->name)) {
					changed |= link_seen(f, ifi->ifi_index, f->ifindex ? "changed" : "appeared");
				}
			}
		}
	}
	if (changed)
		write_state();
}

/*
 * Once a second: the kernel's word on every configured interface.  A
 * missed event, or someone who took our program off (ip link set xdp off,
 * tc filter del), is caught here and put right.
 */
static void link_check(void)
{
	int changed = 0;

	A.last_check = mono_s();
	for (int i = 0; i < A.nifs; i++) {
		struct iface *f = &A.ifs[i];
		int on, ifindex = if_nametoindex(f->name);

		if (!ifindex) {
			if (f->ifindex) {
				link_gone(f, "the interface disappeared");
				changed = 1;
			}
			continue;
		}
		if (ifindex != f->ifindex) {
			changed |= link_seen(f, ifindex, f->ifindex ? "replaced" : "appeared");
			continue;
		}
		on = f->hook == GF_HOOK_XDP ? gf_dp_xdp_attached(A.dp, ifindex) : gf_dp_tc_attached(A.dp, ifindex);
		if (on == 0) {
			if (f->filtered)
				pr_warn("%s %s: geofence's program is no longer on it (removed by hand?): "
					"attaching it again\n", gf_hook_name(f->hook), f->name);
			f->filtered = 0;
			if (!f->unfiltered_since)
				f->unfiltered_since = mono_s();
			changed |= link_seen(f, ifindex, "restored");
		}
	}
	if (changed)
		write_state();
}

/*
 * guard.mode = "classes": what this generation drops, as the boot guard
 * of the next boot (state.dir/guard.nft), written once it is in force.
 */
static void guard_persist(const struct build *b)
{
	static int said;
	char path[PATH_MAX + 16], what[128];
	size_t n = 0;
	int err;

	if (!b->cfg.guard_classes)
		return;
	if (mkdir(b->cfg.state_dir, 0750) && errno != EEXIST) {
		pr_warn("boot guard: cannot create %s: %s; the next boot forwards nothing until "
			"geofenced enforces\n", b->cfg.state_dir, strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", b->cfg.state_dir, GF_GUARD_FILE);
	snprintf(what, sizeof(what), "generation %llu of geofenced %s (map layout %d)",
		 (unsigned long long)gf_dp_flips(A.dp), GF_VERSION, GF_LAYOUT);
	err = gf_guard_write(path, &b->world.all[0], &b->world.all[1], b->pol.pol, what, &n);
	if (err)
		pr_warn("boot guard: cannot write %s: %s; the next boot uses the last one written, "
			"or forwards nothing\n", path, strerror(-err));
	else if (!said++)
		pr_info("boot guard (classes): %zu dropped intervals of this generation in %s, for the "
			"next boot; rewritten with every generation\n", n, path);
	else
		pr_debug("boot guard (classes): %zu intervals in %s\n", n, path);
}

/* Make b the running generation.  On error nothing has changed. */
static int apply(struct build *b, char *err, size_t errlen)
{
	int ret;

	/* redirect targets first: the new policy may point at new slots */
	for (int i = 0; i < b->pol.nredirect; i++)
		if ((ret = gf_dp_set_redirect(A.dp, i, b->pol.redirect_ifindex[i]))) {
			snprintf(err, errlen, "redirect slot %d -> %s: %s", i, b->pol.redirect_name[i],
				 strerror(-ret));
			return ret;
		}
	/* the sample budget first: a new 1-in-1 class never floods the ring */
	gf_dp_set_sample_budget(A.dp, b->cfg.sampling.max_per_second);
	ret = gf_dp_install(A.dp, b->world.table[0], b->world.table[1], b->pol.pol);
	if (ret) {
		snprintf(err, errlen, "installing the tables: %s", strerror(-ret));
		return ret;
	}
	guard_persist(b);
	/* after the grace period no packet uses the old slots */
	for (int i = b->pol.nredirect; A.cur && i < A.cur->pol.nredirect; i++)
		gf_dp_set_redirect(A.dp, i, 0);
	/* hooks: new interfaces get the new generation from their first packet */
	ret = attach_new(&b->cfg, err, errlen);
	detach_unlisted(&b->cfg);
	build_free(A.cur);
	A.cur = b;
	return ret;
}

/*
 * An upgrade across layouts is done once the first generation is installed
 * and every present interface runs the new programs: the previous maps go.
 */
static void migration_finish(double ms)
{
	const char *why = gf_dp_migrating(A.dp);
	int swapped = 0, err;

	for (int i = 0; i < A.nifs; i++)
		swapped += A.ifs[i].filtered && !A.ifs[i].adopted;
	err = gf_dp_migration_done(A.dp);
	if (err)
		pr_warn("cannot remove the previous maps in %s/previous: %s (geofence detach removes "
			"them with the rest)\n", A.cur->cfg.pin_dir, strerror(-err));
	else if (why)
		pr_info("upgrade done: layout %d -> %d (%s); %d hook(s) swapped to the new maps in %.0f ms, "
			"counters carried, previous maps released\n", gf_dp_prev_layout(A.dp), GF_LAYOUT,
			why, swapped, ms);
}

/*
 * The boot guard (geofence-guard.service) comes down once the first
 * generation is installed and attached: from then on geofence decides.
 */
static void guard_lift(void)
{
	unsigned long long dropped = 0;
	char err[512];
	int on = gf_guard_state(&dropped, err, sizeof(err));

	if (on <= 0)
		return;
	if (gf_guard_down(err, sizeof(err)))
		pr_err("boot guard: cannot lift it: %s; nothing is forwarded until it is "
		       "(geofence guard down)\n", err);
	else
		pr_info("boot guard lifted: geofence enforces generation %llu; while it stood it dropped "
			"%llu forwarded packets\n", (unsigned long long)gf_dp_flips(A.dp), dropped);
}

static void log_reload(int ok, const char *why, double ms, const char *err_in)
{
	char line[4096], err[2048];
	int n;

	/* an error quotes files others wrote: printable before it is logged or stored */
	if (err_in)
		gf_escape(err_in, strlen(err_in), err, sizeof(err), 0);

	A.reloads++;
	A.reload_errors += !ok;
	A.last_reload_ms = ms;
	if (ok)
		A.last_ok_reload = time(NULL);
	json_object_put(A.last_reload);
	A.last_reload = json_object_new_object();
	json_object_object_add(A.last_reload, "result", jstr(ok ? "ok" : "error"));
	json_object_object_add(A.last_reload, "trigger", jstr(why));
	json_object_object_add(A.last_reload, "error", jstr(err_in ? err : NULL));
	json_object_object_add(A.last_reload, "time", json_object_new_int64(time(NULL)));
	json_object_object_add(A.last_reload, "duration_ms", json_object_new_double(ms));
	json_object_object_add(A.last_reload, "generation", json_object_new_int64(gf_dp_flips(A.dp)));
	json_object_object_add(A.last_reload, "seq", json_object_new_int64(A.reloads));

	n = snprintf(line, sizeof(line), "reload %s (%s): generation %llu, %.0f ms", ok ? "ok" : "rejected",
		     why, (unsigned long long)gf_dp_flips(A.dp), ms);
	if (ok && A.cur) {
		n += snprintf(line + n, sizeof(line) - n, ", config %s sha256:%.12s",
			      base(A.cur->cfg.path), A.cur->cfg_sha);
		for (int i = 0; i < A.cur->countries.nfiles && n < (int)sizeof(line) - 100; i++)
			n += snprintf(line + n, sizeof(line) - n, ", %s sha256:%.12s",
				      base(A.cur->countries.files[i]), A.cur->list_sha[i]);
		for (int i = 0; i < A.cur->cfg.nsources && n < (int)sizeof(line) - 100; i++)
			n += snprintf(line + n, sizeof(line) - n, ", %s sha256:%.12s",
				      base(A.cur->cfg.sources[i].path), A.cur->src_sha[i]);
	}
	if (ok) {
		pr_info("%s\n", line);
		if (A.cur && A.cur->sanity_note[0])
			pr_warn("data sanity: %s\n", A.cur->sanity_note);
	} else {
		pr_err("%s; the running generation stays: %s\n", line, err);
	}
}

static void drain_changes(void);

static void reload(const char *why)
{
	char err[2048] = "";
	double t0 = now_ms();
	struct build *b;
	int ok = 0;

	{
		struct timespec t;

		clock_gettime(CLOCK_MONOTONIC, &t);
		sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading (%s)",
			   (unsigned long long)t.tv_sec * 1000000ULL + t.tv_nsec / 1000, why);
	}
	/* what changed so far is read now; a change from here on reloads again */
	drain_changes();
	b = build_new(err, sizeof(err));

	if (b) {
		int ret = apply(b, err, sizeof(err));

		if (ret && A.cur != b)
			build_free(b);	/* not applied: the running generation stays */
		/* else applied; an error left is an interface that failed to attach */
		ok = !ret;
	}
	log_reload(ok, why, now_ms() - t0, ok ? NULL : err);
	if (ok && A.dlp) {
		gf_dlp_stats_configure(A.dlp, &A.cur->cfg.sampling);
		restart_only_check(&A.cur->cfg);
	}
	if (ok)
		uploader_sync(&A.cur->cfg);
	if (ok)
		metrics_sync(&A.cur->cfg);
	write_state();
	sd_notifyf(0, "READY=1\nSTATUS=generation %llu; last reload %s (%s)",
		   (unsigned long long)gf_dp_flips(A.dp), ok ? "ok" : "rejected", why);
}

/* ---------------------------------------------------------------------
 * The scanner thread: samples in, counts and estimates out (dlp.json)
 */
static int on_sample(void *ctx, void *data, size_t len)
{
	(void)ctx;
	gf_dlp_stats_sample(A.dlp, data, len, time(NULL));
	return 0;
}

static gid_t dlp_gid = (gid_t)-1;	/* state.group at start, for the scanner thread */
/* what the evidence was opened with: a reload cannot change it */
static struct {
	char state_dir[PATH_MAX];
	int has_key, write_interval;
	__u8 key[16];
} ev_start;

static void restart_only_check(const struct gf_config *c)
{
	__u32 c4, c6;

	gf_dp_capacity(A.dp, &c4, &c6);
	if ((c->node4_cap && c->node4_cap != c4) || (c->node6_cap && c->node6_cap != c6))
		pr_warn("state.ipv4_nodes/ipv6_nodes ask for %u/%u nodes, the running maps hold %u/%u: "
			"the change takes effect when the agent restarts (it migrates the datapath to "
			"new maps then, without a gap)\n", c->node4_cap ?: c4, c->node6_cap ?: c6, c4, c6);
	if (strcmp(c->state_dir, ev_start.state_dir))
		pr_warn("state.dir changed to %s: the evidence stays in %s until the agent restarts\n",
			c->state_dir, ev_start.state_dir);
	if (c->sampling.has_key != ev_start.has_key ||
	    (c->sampling.has_key && memcmp(c->sampling.key, ev_start.key, 16)))
		pr_warn("sampling.key changed: the running key stays until the agent restarts; then the "
			"evidence of the old key is set aside (never merged with the new): restore the "
			"key unless that is meant\n");
}

static void write_dlp(const char *run_dir)
{
	struct gf_counter r[GF_REASON_MAX], t[GF_REASON_MAX];
	json_object *o;

	gf_dp_reason_stats(A.dp, GF_HOOK_XDP, r);
	gf_dp_reason_stats(A.dp, GF_HOOK_TC, t);
	gf_dlp_stats_set_lost(A.dlp, r[GF_REASON_SAMPLE_LOST].packets + t[GF_REASON_SAMPLE_LOST].packets +
				      r[GF_REASON_SAMPLE_CAPPED].packets + t[GF_REASON_SAMPLE_CAPPED].packets,
			      time(NULL));
	o = gf_dlp_stats_json(A.dlp, time(NULL));
	gf_json_write(run_dir, GF_DLP_FILE, o, dlp_gid);
	json_object_put(o);
}

static int evidence_write_seconds = 10;	/* evidence.write_interval: what a crash can lose */

static void *scanner(void *arg)
{
	char run_dir[PATH_MAX];
	time_t last = 0, last_flush = time(NULL);
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);	/* signals are the main loop's */
	snprintf(run_dir, sizeof(run_dir), "%s", (const char *)arg);
	while (!A.scanner_stop) {
		/*
		 * The datapath wakes us when the ring is a quarter full; else every
		 * 100 ms.  A timeout has no event: consume anyway.
		 */
		ring_buffer__poll(A.rb, 100);
		ring_buffer__consume(A.rb);
		if (time(NULL) != last) {
			last = time(NULL);
			write_dlp(run_dir);
		}
		if (time(NULL) - last_flush >= evidence_write_seconds) {
			last_flush = time(NULL);
			gf_dlp_stats_flush(A.dlp);
		}
	}
	ring_buffer__consume(A.rb);
	gf_dlp_stats_flush(A.dlp);
	write_dlp(run_dir);
	return NULL;
}

static void scanner_start(const struct gf_config *c)
{
	static char run_dir[PATH_MAX];
	char err[512];
	int ret;

	struct gf_evidence *ev = NULL;
	char everr[512] = "";

	snprintf(run_dir, sizeof(run_dir), "%s", c->run_dir);
	dlp_gid = c->state_gid;
	evidence_write_seconds = c->ev_write_interval;
	snprintf(ev_start.state_dir, sizeof(ev_start.state_dir), "%s", c->state_dir);
	ev_start.has_key = c->sampling.has_key;
	memcpy(ev_start.key, c->sampling.key, 16);
	ret = gf_ev_open(&ev, c->state_dir, c->sampling.has_key ? c->sampling.key : NULL,
			 c->evidence_days, c->state_gid, everr, sizeof(everr));
	if (ret) {
		pr_err("evidence: not kept on disk: %s; the counts live in memory until the agent "
		       "stops\n", everr);
		ret = gf_ev_open(&ev, NULL, c->sampling.has_key ? c->sampling.key : NULL, 0,
				 c->state_gid, err, sizeof(err));
		if (ret) {
			pr_err("the sensitive-data scanner is off: %s\n", err);
			return;
		}
	} else {
		struct gf_ev_status es;

		gf_ev_status(ev, &es);
		pr_info("evidence: %d day files (%llu bytes) in %s, hash key %s (fingerprint %016llx), "
			"written every %d s\n", es.files, (unsigned long long)es.bytes, gf_ev_dir(ev),
			es.key_source, (unsigned long long)gf_ev_fingerprint(ev), evidence_write_seconds);
	}
	ret = gf_dlp_stats_new(&A.dlp, &c->sampling, ev, err, sizeof(err));
	if (ret) {
		pr_err("the sensitive-data scanner is off: %s\n", err);
		gf_ev_close(ev);
		return;
	}
	if (everr[0])
		gf_dlp_stats_set_evidence_error(A.dlp, everr);
	A.rb = ring_buffer__new(gf_dp_samples_fd(A.dp), on_sample, NULL, NULL);
	if (!A.rb || pthread_create(&A.scanner, NULL, scanner, run_dir)) {
		pr_err("the sensitive-data scanner is off: cannot read the sample ring: %s\n",
		       strerror(errno));
		ring_buffer__free(A.rb);
		A.rb = NULL;
		gf_dlp_stats_free(A.dlp);
		A.dlp = NULL;
		return;
	}
	if (c->sampling.rate || c->sampling.monitor_rate)
		pr_info("sampling 1 in %u of passed packets, 1 in %u of monitored ones (%u bytes each; "
			"0 = off) for the sensitive-data scanner; reports in %s/%s\n", c->sampling.rate,
			c->sampling.monitor_rate, c->sampling.bytes, run_dir, GF_DLP_FILE);
}

/* ---------------------------------------------------------------------
 * The uploader: day files to PostgreSQL; the datapath and the local
 * evidence never wait for it.
 */
static void *uploader(void *arg)
{
	struct gf_evpg *u = arg;
	struct gf_evpg_status us;
	sigset_t all;
	char err[512];
	int failing = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (!A.uploader_stop) {
		int ret = gf_evpg_round(u, err, sizeof(err));

		gf_evpg_status(u, &us);
		gf_dlp_stats_set_upload(A.dlp, &us);
		if (ret && !failing)
			pr_err("evidence upload: %s; the day files in state.dir are the spool (%d days "
			       "pending), trying again every %d s\n", err, us.pending_days, A.uploader_interval);
		else if (!ret && failing)
			pr_info("evidence upload: caught up (%llu rows sent in all)\n", us.rows);
		failing = ret != 0;
		for (int i = 0; i < A.uploader_interval * 10 && !A.uploader_stop; i++)
			usleep(100000);
	}
	gf_evpg_free(u);
	return NULL;
}

static void uploader_stop(void)
{
	if (!A.uploader_on)
		return;
	A.uploader_stop = 1;
	pthread_join(A.uploader, NULL);
	A.uploader_on = 0;
	A.uploader_conninfo[0] = 0;
}

/* Starts, restarts (another conninfo) or stops the uploader as the configuration says. */
static void uploader_sync(const struct gf_config *c)
{
	struct gf_evpg *u;
	char err[512];

	A.uploader_interval = c->ev_upload_interval;
	if (A.uploader_on && !strcmp(A.uploader_conninfo, c->ev_postgres))
		return;
	uploader_stop();
	if (!c->ev_postgres[0] || !A.dlp)
		return;
	if (!gf_dlp_stats_evidence_on_disk(A.dlp)) {
		pr_err("evidence upload: off: the evidence is not kept on disk (see above)\n");
		return;
	}
	if (gf_evpg_new(&u, c->ev_postgres, gf_ev_dir(gf_dlp_stats_evidence(A.dlp)),
			gf_ev_fingerprint(gf_dlp_stats_evidence(A.dlp)), c->state_gid, err, sizeof(err))) {
		pr_err("evidence upload: off: %s\n", err);
		return;
	}
	A.uploader_stop = 0;
	if (pthread_create(&A.uploader, NULL, uploader, u)) {
		pr_err("evidence upload: off: cannot start its thread\n");
		gf_evpg_free(u);
		return;
	}
	A.uploader_on = 1;
	snprintf(A.uploader_conninfo, sizeof(A.uploader_conninfo), "%s", c->ev_postgres);
	pr_info("evidence upload: to PostgreSQL every %d s (evidence.postgres)\n", c->ev_upload_interval);
}

static void scanner_stop(void)
{
	if (!A.rb)
		return;
	A.scanner_stop = 1;
	pthread_join(A.scanner, NULL);
	ring_buffer__free(A.rb);
	gf_dlp_stats_free(A.dlp);
	A.rb = NULL;
	A.dlp = NULL;
}

/* ---------------------------------------------------------------------
 * Watching files: the directories, so that editors that write a new file
 * and rename it over the old one are seen too.
 */
static int watch_dir(const char *path_in_dir, int is_dir)
{
	char dir[PATH_MAX];
	const char *slash;
	int wd;

	if (is_dir) {
		snprintf(dir, sizeof(dir), "%s", path_in_dir);
	} else {
		slash = strrchr(path_in_dir, '/');
		if (!slash)
			snprintf(dir, sizeof(dir), ".");
		else
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path_in_dir) ?: 1, path_in_dir);
	}
	wd = inotify_add_watch(A.ifd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
					   IN_DELETE | IN_ATTRIB);
	if (wd < 0)
		pr_warn("cannot watch %s for changes: %s (reload with SIGHUP or geofence reload)\n",
			dir, strerror(errno));
	return wd;
}

/*
 * Watch the directories of the running inputs.  The inotify descriptor
 * lives as long as the agent, so that no event is lost between reloads;
 * watching a directory twice gives the same watch, and directories no
 * longer used are dropped.
 */
static void watch_inputs(void)
{
	int wd[GF_MAX_SOURCES + 3], n = 0;

	if (A.ifd < 0) {
		A.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (A.ifd < 0) {
			pr_warn("inotify: %s: files are not watched\n", strerror(errno));
			return;
		}
	}
	wd[n++] = watch_dir(A.config_path, 0);
	if (A.cur) {
		wd[n++] = watch_dir(A.cur->cfg.countries_dir, 1);
		if (A.cur->cfg.overrides_dir[0])
			wd[n++] = watch_dir(A.cur->cfg.overrides_dir, 1);
		for (int i = 0; i < A.cur->cfg.nsources; i++)
			wd[n++] = watch_dir(A.cur->cfg.sources[i].path, 0);
	}
	for (int i = 0; i < A.nwd; i++) {
		int used = 0;

		for (int j = 0; j < n; j++)
			used |= wd[j] == A.wd[i];
		if (!used && A.wd[i] >= 0)
			inotify_rm_watch(A.ifd, A.wd[i]);
	}
	memcpy(A.wd, wd, sizeof(wd));
	A.nwd = n;
}

/* Is this event about one of our inputs? */
static int relevant(const struct inotify_event *e)
{
	size_t n;

	if (!e->len)
		return 0;
	if (!strcmp(e->name, base(A.config_path)))
		return 1;
	n = strlen(e->name);
	if (n > 5 && !strcmp(e->name + n - 5, ".list"))
		return 1;
	for (int i = 0; A.cur && i < A.cur->cfg.nsources; i++)
		if (!strcmp(e->name, base(A.cur->cfg.sources[i].path)))
			return 1;
	return 0;
}

static void arm_debounce(void)
{
	struct itimerspec its = { .it_value = { .tv_sec = 0, .tv_nsec = DEBOUNCE_MS * 1000000L } };

	timerfd_settime(A.tfd, 0, &its, NULL);
}

/* Forget the changes seen so far: a reload is about to read the files. */
static void drain_changes(void)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct itimerspec off = { 0 };

	if (A.ifd >= 0)
		while (read(A.ifd, buf, sizeof(buf)) > 0)
			;
	if (A.tfd >= 0)
		timerfd_settime(A.tfd, 0, &off, NULL);
}

static int ensure_bpffs(const char *pin_dir)
{
	struct statfs st;

	if (!statfs("/sys/fs/bpf", &st) && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700")) {
		pr_err("no bpf filesystem on /sys/fs/bpf and cannot mount one: %s (pins go to %s)\n",
		       strerror(errno), pin_dir);
		return -errno;
	}
	return 0;
}

/*
 * Room for the metrics server's connections (one descriptor each, up to a
 * thousand, so that slow clients cannot take every slot): the soft limit
 * up to the hard one, at most 4096.
 */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= 4096 || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		pr_warn("cannot raise the open-file limit to %llu: %s (fewer metrics connections)\n",
			(unsigned long long)rl.rlim_cur, strerror(errno));
}

static void usage(FILE *f)
{
	fprintf(f, "usage: geofenced [-c CONFIG] [--netns NAME] [--verbose]\n"
		   "  -c, --config FILE  configuration (default " GF_CONFIG_DEFAULT ")\n"
		   "  --netns NAME       run in network namespace NAME (/run/netns/NAME)\n"
		   "  -v, --verbose      debug messages, libbpf and libxdp included\n"
		   "  --version          the version and its map layout\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "netns", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{},
	};
	char err[2048] = "";
	struct gf_dp_opts dopts = { 0 };
	struct build *b;
	sigset_t mask;
	int ch, verbose = 0, pinned;

	A.config_path = GF_CONFIG_DEFAULT;
	while ((ch = getopt_long(argc, argv, "c:vh", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': A.config_path = optarg; break;
		case 'n': A.netns = optarg; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("geofenced %s (map layout %d)\n", GF_VERSION, GF_LAYOUT); return 0;
		default: usage(stderr); return EXIT_CONFIG;
		}
	}
	gf_log_route_libs(verbose);
	raise_nofile();
	A.started = time(NULL);
	setvbuf(stderr, NULL, _IOLBF, 0);

	if (A.netns) {
		int ret = gf_netns_enter(A.netns);

		if (ret) {
			pr_err("cannot enter network namespace %s: %s\n", A.netns, strerror(-ret));
			return EXIT_SYSTEM;
		}
	}

	restore_coverage();
	b = build_new(err, sizeof(err));
	if (!b) {
		gf_escape_inplace(err, sizeof(err));
		pr_err("%s\n", err);
		/* a datapath from an earlier run keeps enforcing its last policy */
		return EXIT_CONFIG;
	}
	if (ensure_bpffs(b->cfg.pin_dir)) {
		build_free(b);
		return EXIT_SYSTEM;
	}
	A.lock_fd = gf_dp_lock(b->cfg.pin_dir);
	if (A.lock_fd == -EBUSY) {
		json_object *st = gf_state_read(b->cfg.run_dir);

		pr_err("another geofenced (pid %lld) runs on %s: stop it first, or point this one "
		       "at another state.pin_dir\n", st ? gf_state_int(st, "pid") : 0LL, b->cfg.pin_dir);
		json_object_put(st);
		build_free(b);
		return EXIT_BUSY;
	}
	if (A.lock_fd < 0) {
		pr_err("cannot lock %s: %s\n", b->cfg.pin_dir, strerror(-A.lock_fd));
		build_free(b);
		return EXIT_SYSTEM;
	}
	/* pins another user could replace would be adopted as ours */
	if (gf_dir_check(b->cfg.pin_dir, (gid_t)-1, "state.pin_dir", err, sizeof(err))) {
		pr_err("%s\n", err);
		build_free(b);
		return EXIT_CONFIG;
	}
	pinned = gf_dp_pinned(b->cfg.pin_dir) > 0;
	dopts.pin_dir = b->cfg.pin_dir;
	dopts.node4_cap = b->cfg.node4_cap;
	dopts.node6_cap = b->cfg.node6_cap;
	if (gf_dp_open(&A.dp, &dopts)) {
		build_free(b);
		return EXIT_SYSTEM;
	}
	if (gf_dp_migrating(A.dp))
		pr_info("upgrade from layout %d: the programs attached still enforce on the previous "
			"maps (in %s/previous) until this agent's replace them\n",
			gf_dp_prev_layout(A.dp), b->cfg.pin_dir);
	else if (pinned)
		pr_info("adopting the datapath pinned in %s (generation %llu)\n", b->cfg.pin_dir,
			(unsigned long long)gf_dp_flips(A.dp));

	{
		double t0 = now_ms();
		int ret = apply(b, err, sizeof(err));

		log_reload(!ret, "start", now_ms() - t0, ret ? err : NULL);
		if (!ret)
			migration_finish(now_ms() - t0);
		write_state();
		if (!ret)
			guard_lift();
		if (ret) {
			if (gf_dp_migrating(A.dp) && !gf_dp_migration_undo(A.dp))
				pr_err("upgrade abandoned: the previous maps are pinned again; interfaces "
				       "not yet swapped keep enforcing the previous generation, start the "
				       "previous geofenced to go on with it\n");
			if (A.cur != b)
				build_free(b);
			gf_dp_close(A.dp);
			return EXIT_SYSTEM;
		}
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	A.sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	A.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	watch_inputs();
	scanner_start(&A.cur->cfg);
	uploader_sync(&A.cur->cfg);
	metrics_sync(&A.cur->cfg);
	publish_metrics();
	pr_info("running: %d interface(s), pins in %s, state in %s/%s\n", A.nifs,
		A.cur->cfg.pin_dir, A.cur->cfg.run_dir, GF_STATE_FILE);
	sd_notifyf(0, "READY=1\nSTATUS=enforcing generation %llu on %d interface(s)",
		   (unsigned long long)gf_dp_flips(A.dp), A.nifs);

	A.nlfd = link_open();
	A.last_check = mono_s();
	link_dump();
	for (;;) {
		struct pollfd p[4] = { { A.sfd, POLLIN, 0 }, { A.ifd, POLLIN, 0 }, { A.tfd, POLLIN, 0 },
				       { A.nlfd, POLLIN, 0 } };

		if (mono_s() - A.last_check >= 1)
			link_check();
		if (poll(p, 4, 1000) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("poll: %s\n", strerror(errno));
			break;
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(A.sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					reload("SIGHUP");
					watch_inputs();
				} else {
					pr_info("stopping on %s: the datapath keeps enforcing generation "
						"%llu; geofence detach removes it\n",
						strsignal(si.ssi_signo), (unsigned long long)gf_dp_flips(A.dp));
					break;
				}
			}
		}
		if (p[1].revents & POLLIN) {
			char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
			ssize_t len;
			int hit = 0;

			while ((len = read(A.ifd, buf, sizeof(buf))) > 0)
				for (char *q = buf; q < buf + len;) {
					struct inotify_event *e = (struct inotify_event *)q;

					hit |= relevant(e);
					q += sizeof(*e) + e->len;
				}
			if (hit)
				arm_debounce();	/* reload once the writes settle */
		}
		if (p[2].revents & POLLIN) {
			__u64 n;

			if (read(A.tfd, &n, sizeof(n)) == sizeof(n)) {
				reload("file change");
				watch_inputs();
			}
		}
		if (p[3].revents & POLLIN)
			link_read();
	}
	if (A.nlfd >= 0)
		close(A.nlfd);
	sd_notify(0, "STOPPING=1\nSTATUS=stopping; the datapath keeps enforcing");
	gf_metrics_stop(A.metrics);	/* before the statistics it reads go */
	A.metrics = NULL;
	uploader_stop();
	scanner_stop();
	build_free(A.cur);
	json_object_put(A.last_reload);
	gf_dp_close(A.dp);
	close(A.lock_fd);
	return 0;
}
