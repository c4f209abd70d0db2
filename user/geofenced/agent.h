/* SPDX-License-Identifier: GPL-2.0 */
/*
 * geofenced: the agent.  Reads the configuration, the country lists and the
 * GeoIP sources, builds a generation off to the side and flips to it,
 * attaches the hooks (or adopts them from a previous run: the datapath's
 * maps are pinned and outlive the agent), and reloads on SIGHUP or when a
 * watched file changes.  Bad input is rejected whole: the running
 * generation stays.
 *
 * One file per responsibility, all on the main thread unless named:
 *
 *   main.c      arguments, the datapath's lock and pins, the first
 *               generation, signals and the event loop
 *   build.c     a generation's inputs (gf_build.h), built from the agent's configuration
 *   reload.c    prepare + commit of a build, the three outcomes, the boot
 *               guard, upgrades across map layouts
 *   ifaces.c    hooks on the configured interfaces; links that come and go
 *               (rtnetlink, and the kernel's attach state every second)
 *   watch.c     inotify on the input directories, debounced
 *   publish.c   what the agent says of itself: state.json (gf_agent_state.h)
 *               and the /metrics server's copy
 *   scanner.c   the scanner thread: samples in, counts and evidence out
 *   events.c    the events thread: new flows that are not passed out to a SIEM (ECS JSON)
 *   exporter.c  the exporter thread: the flow table as IPFIX records to collectors
 *   uploader.c  the uploader thread: day files to PostgreSQL
 */
#ifndef GF_AGENT_H
#define GF_AGENT_H

#include <limits.h>
#include <net/if.h>
#include <pthread.h>
#include <sys/inotify.h>
#include <time.h>
#include "gf_agent_state.h"
#include "gf_build.h"
#include "gf_config.h"
#include "gf_datapath.h"
#include "gf_policy.h"
#include "gf_sanity.h"
#include "gf_world.h"

#define EXIT_CONFIG 2
#define EXIT_SYSTEM 3
#define EXIT_BUSY 4
#define DEBOUNCE_MS 300

/* A configured interface and what the kernel says of it. */
struct iface {
	char name[IF_NAMESIZE];
	int ifindex;		/* 0 while the interface does not exist */
	int hook;		/* GF_HOOK_XDP / GF_HOOK_TC */
	char mode[32];
	int adopted;
	int filtered;		/* the kernel has our program on it (read back, not assumed) */
	double unfiltered_since;	/* monotonic seconds; 0 while filtered */
	unsigned long long changes;	/* link events that touched it */
	char last_err[512];	/* the last attach failure, logged once until it changes */
};


struct agent {
	/* how it was started */
	const char *config_path;
	const char *netns;
	time_t started;
	int lock_fd;		/* the pin directory's lock: one agent per datapath */
	int sfd;		/* signalfd: SIGHUP, SIGTERM, SIGINT */
	/* the datapath and the generation it runs (reload.c) */
	struct gf_dp *dp;
	struct gf_build *cur;
	struct gf_coverage *last_cov;	/* before the first build: state.json's, if any */
	struct gf_st_reload reload;	/* counts and the last outcome, for state.json */
	double last_ok_reload, last_reload_ms;
	/* interfaces and links (ifaces.c) */
	struct {
		struct iface ifs[2 * GF_MAX_IFACES];
		int nifs;
		int nlfd;		/* rtnetlink events */
		int uppers[64], nuppers;	/* devices stacked on XDP interfaces, marked for tc */
		unsigned long long events;
		double last_check;	/* the kernel's attach state, read back every second */
	} link;
	/* watched input directories (watch.c) */
	struct {
		int ifd, tfd;		/* inotify, and the debounce timer */
		int wd[GF_MAX_SOURCES + 4], nwd;
	} watch;
	/* payload samples: a thread drains the ring and scans (scanner.c) */
	struct {
		struct gf_dlp_stats *dlp;
		struct ring_buffer *rb;
		pthread_t thread;
		volatile int stop;
	} scan;
	/* new-flow events for a SIEM: a thread drains their ring (events.c) */
	struct {
		struct ring_buffer *rb;
		pthread_t thread;
		volatile int stop;
		int output;			/* enum gf_events_output, resolved */
		__u32 per_second;		/* the rate limit; 0: none */
		unsigned long long sent, suppressed;
	} events;
	/* the evidence's upload to PostgreSQL (uploader.c) */
	struct {
		pthread_t thread;
		int on;
		volatile int stop;
		char conninfo[1024];
		int interval;
	} up;
	/* /metrics, and what it listens with: a change restarts it (publish.c) */
	struct {
		struct gf_metrics *server;
		char sig[4 * PATH_MAX];
	} http;
};

extern struct agent A;

/* build.c */
double mono_s(void);
double now_ms(void);
struct gf_build *build_new(char *err, size_t errlen);
void expiry_check(void);
void restore_coverage(void);
const char *path_base(const char *p);

/* reload.c */
enum gf_reload_result apply(struct gf_build *b, char *err, size_t errlen);
void log_reload(enum gf_reload_result res, const char *why, double ms, const char *err_in);
void reload(const char *why);
void migration_finish(double ms);
void guard_lift(void);

/* ifaces.c */
int attach_new(const struct gf_config *c, char *err, size_t errlen);
void detach_unlisted(const struct gf_config *c);
int link_open(void);
void link_dump(void);
void link_read(void);
void link_check(void);

/* watch.c */
void watch_inputs(void);
int relevant(const struct inotify_event *e);
void arm_debounce(void);
void drain_changes(void);

/* publish.c */
void write_state(void);
void publish_metrics(void);
void metrics_sync(const struct gf_config *c);

/* scanner.c */
void scanner_start(const struct gf_config *c);
void scanner_stop(void);
void restart_only_check(const struct gf_config *c);

/* events.c */
void events_start(const struct gf_config *c);
void events_sync(const struct gf_config *c);
void events_stop(void);

/* exporter.c */
struct gf_metrics_info;
void exporter_sync(const struct gf_config *c);
void exporter_metrics(struct gf_metrics_info *in);
void exporter_stop(void);

/* uploader.c */
void uploader_sync(const struct gf_config *c);
void uploader_stop(void);

#endif
