/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's configuration (one libconfig file, docs/geofence.conf) and
 * the country lists it points at (the *.list files of countries.d: "CC ACTION [IFNAME]"
 * per line), parsed into one struct with every error naming file and line.
 * See docs/configuration.md.
 */
#ifndef GF_CONFIG_H
#define GF_CONFIG_H

#include <limits.h>
#include <net/if.h>
#include <sys/types.h>
#include "geofence.h"
#include "gf_datapath.h"
#include "gf_dlp.h"
#include "gf_geo.h"
#include "gf_sanity.h"
#include "gf_world.h"

#define GF_CONFIG_DEFAULT	"/etc/geofence/geofence.conf"
#define GF_MAX_IFACES		32
#define GF_MAX_SOURCES		32
#define GF_ORIGIN_LEN		(PATH_MAX + 16)

/* An action as written: what to do, and for redirect, where. */
struct gf_rule {
	int action;			/* enum gf_action; -1 = not set */
	char redirect[IF_NAMESIZE];	/* GF_ACT_REDIRECT: the interface */
	char origin[GF_ORIGIN_LEN];	/* "file:line", for messages */
};

struct gf_override {
	int family;
	gf_u128 addr;
	int len;
	struct gf_rule rule;
	char reason[128];
	long long expires;	/* an exemption: Unix time it ends (expires = "2027-01-31"); 0: never */
};

/*
 * Scopes: named policies by source (maps/geofence.h).  A scope's rows start
 * as the default policy's; what it sets wins.  Its default replaces every
 * country the scope does not name (the global lists' too); overrides stay
 * destination rules that bind every scope.
 */
#define GF_SCOPE_NAME_LEN	32
#define GF_SCOPE_VLANS_MAX	64

struct gf_prefix {
	int family;
	gf_u128 addr;
	int len;
};

/* A scope's rule for one country (or AS); an exemption when it has expires. */
struct gf_scope_rule {
	__u16 cls;			/* the country's class; 0 for an AS rule */
	__u32 asn;			/* an AS rule's number ("AS13335 pass"), 0 for a country's */
	struct gf_rule rule;
	char reason[128];
	long long expires;	/* Unix time it ends; 0: never */
};

struct gf_scope_cfg {
	char name[GF_SCOPE_NAME_LEN];
	char origin[GF_ORIGIN_LEN];	/* "file:line" of its group */
	struct gf_prefix *src;		/* sources: the senders' prefixes */
	int nsrc;
	char iface[GF_MAX_IFACES][IF_NAMESIZE];	/* interfaces: what arrives on them (XDP) */
	int niface;
	__u16 vlan[GF_SCOPE_VLANS_MAX];	/* vlans: outer 802.1Q/802.1ad ids */
	int nvlan;
	struct gf_rule default_rule, unknown_rule, reserved_rule;	/* action -1: the policy's */
	int monitor;			/* -1: the policy's */
	struct gf_scope_rule *rules;	/* countries */
	int nrules;
};

/* What a scope's rule names: "CN", "AS13335". */
const char *gf_scope_rule_name(const struct gf_scope_rule *r, char *buf, size_t len);
/* What selects a scope, as one line: "10.20.0.0/16 vlan 30 interface lan2". */
void gf_scope_selects(const struct gf_scope_cfg *sc, char *out, size_t len);

/* Payload sampling and the sensitive-data scanner's bulk estimates. */
#define GF_DLP_BUCKETS_MAX 60
/* sampling.max_per_second: what one scanner thread takes in, spread over a few CPUs */
#define GF_SAMPLES_PER_SECOND_DEFAULT 20000
struct gf_sampling {
	__u32 rate;			/* 1-in-N of passed traffic; 0 = off */
	__u16 bytes;			/* payload bytes per sample */
	struct {
		__u16 cls;
		__u32 rate;
	} country[256];			/* per-country rates */
	int ncountry;
	int has_key;
	__u8 key[16];			/* the distinct counters' hash key; random if absent */
	__u32 monitor_rate;		/* 1-in-N where the action is monitor (default 1: exact) */
	__u32 max_per_second;		/* samples per CPU and second at most; 0: no limit */
	__u32 window_days, buckets;	/* the window of the estimates; buckets: obsolete, ignored */
	double alert_fraction;		/* alert at this fraction of a threshold */
	__u64 threshold[GF_DLP_MAX];	/* US persons per category (28 CFR 202.205) */
};

#define GF_MAX_COLLECTORS 8	/* flows.collectors: the exporter's and the metrics' bound too */

/* flows: who sends what where (docs/operations.md, "Investigating an alert") */
struct gf_flows_cfg {
	int enabled;			/* flows.enabled: record flows at all (default yes) */
	__u16 country[256];		/* flows.countries: passed traffic to these is recorded too */
	int ncountry;
	__u32 max_entries;		/* flows.max_entries: gf_flows' size, 0 = GF_FLOWS_DEFAULT */
	__u32 max_new_per_second;	/* flows.max_new_per_second: new entries per CPU, 0: no limit */
	/* IPFIX export (docs/ipfix.md): none unless collectors are named */
	char collector[GF_MAX_COLLECTORS][300];	/* flows.collectors: "udp://HOST:PORT", "tcp://[ADDR]:PORT" */
	int ncollectors;
	__u32 active_timeout;		/* flows.active_timeout: seconds between records of a busy flow */
	__u32 idle_timeout;		/* flows.idle_timeout: seconds of silence that end a flow */
	__u32 observation_domain;	/* flows.observation_domain: the IPFIX domain id */
};
#define GF_FLOWS_NEW_PER_SECOND_DEFAULT 100000
#define GF_FLOWS_ACTIVE_TIMEOUT_DEFAULT 60
#define GF_FLOWS_IDLE_TIMEOUT_DEFAULT 30

/* events: the first packet of each new flow that is not passed, for a SIEM */
enum gf_events_output { GF_EVENTS_AUTO, GF_EVENTS_JOURNAL, GF_EVENTS_STDERR, GF_EVENTS_SYSLOG, GF_EVENTS_OFF };
struct gf_events_cfg {
	enum gf_events_output output;	/* events.output; auto: the journal under systemd, else stderr */
	__u32 max_per_second;		/* events.max_per_second: past it suppressed and counted; 0: no limit */
};
#define GF_EVENTS_PER_SECOND_DEFAULT 100

struct gf_config {
	char path[PATH_MAX];
	char lan[GF_MAX_IFACES][IF_NAMESIZE];
	int nlan;
	char wan[GF_MAX_IFACES][IF_NAMESIZE];
	int nwan;
	enum gf_xdp_mode xdp_mode;
	struct gf_source_spec sources[GF_MAX_SOURCES];	/* point into source_paths */
	char source_paths[GF_MAX_SOURCES][PATH_MAX];
	char source_cc[GF_MAX_SOURCES][3];
	int nsources;
	struct gf_geo_opts geo;
	struct gf_sanity_opts sanity;	/* geoip.max_shrink, geoip.min_coverage */
	int geo_max_age_days;		/* geoip.max_age_days: older data is stale (alert, status) */
	char asn_path[PATH_MAX];	/* geoip.asn: an MMDB with autonomous_system_number; "" none */
	/* update: where `geofence update` fetches fresh data from ("" url: not configured) */
	char upd_url[1024], upd_sha256_url[1024], upd_sha256[65], upd_path[PATH_MAX], upd_ca[PATH_MAX];
	long long upd_max_bytes;
	char countries_dir[PATH_MAX];
	struct gf_rule default_rule;	/* countries not listed */
	struct gf_rule unknown_rule;	/* addresses without data */
	struct gf_rule reserved_rule;	/* private and special-use space */
	int monitor;			/* dry run: every drop counts as monitor and passes */
	int source_route_drop;		/* policy.source_route = "drop" (else "classify") */
	struct gf_override *overrides;	/* the configuration's, then overrides.d's */
	int noverrides;
	/* exemptions already past their expiry when read: left out, named here for a warning */
	char expired[1024];
	int nexpired;
	char overrides_dir[PATH_MAX];	/* policy.overrides_dir; "" when there is none */
	struct gf_scope_cfg scopes[GF_MAX_SCOPES - 1];	/* scopes, in the file's order: ids 1.. */
	int nscopes;
	char metrics_listen[128];	/* "" turns /metrics off */
	char metrics_tls_cert[PATH_MAX], metrics_tls_key[PATH_MAX];
	char metrics_user[64], metrics_password_file[PATH_MAX];
	char pin_dir[PATH_MAX];
	char run_dir[PATH_MAX];
	char state_dir[PATH_MAX];	/* state.dir: the evidence, kept across restarts */
	int evidence_days;		/* state.evidence_days: day files older than this go */
	char ev_postgres[1024];		/* evidence.postgres: libpq conninfo, "" = none */
	int ev_upload_interval;		/* evidence.upload_interval seconds */
	int ev_write_interval;		/* evidence.write_interval seconds (1-10) */
	char state_group[64];		/* state.group: may read state.json and dlp.json */
	gid_t state_gid;		/* its gid, or -1 */
	__u32 node4_cap, node6_cap;
	int guard_classes;		/* guard.mode = "classes" (else "all") */
	struct gf_sampling sampling;
	struct gf_flows_cfg flows;
	struct gf_events_cfg events;
};

/* AS rules (countries.d "AS13335 pass"): a destination in a named AS, whatever its country. */
#define GF_MAX_AS_RULES 128
struct gf_as_rule {
	__u32 asn;
	struct gf_rule rule;
};

/* The per-country rules of countries.d, by class, and its AS rules. */
struct gf_countries {
	struct gf_rule rule[GF_CLASS_COUNTRY_END];
	struct gf_as_rule as[GF_MAX_AS_RULES];
	int nas;
	char files[64][PATH_MAX];	/* the files read, in order */
	int nfiles;
};

/* Returns 0, or -errno with "FILE:LINE: what to do" in err. */
int gf_config_load(const char *path, struct gf_config *c, char *err, size_t errlen);
/*
 * One overrides.d list: "CIDR allow|deny|monitor|redirect IFNAME [reason...]"
 * per line, '#' comments; appended to c's overrides.  0, or -errno with
 * "FILE:LINE: what is wrong" in err.
 */
int gf_overrides_parse(const char *text, size_t len, const char *path, struct gf_config *c, char *err,
		       size_t errlen);
void gf_config_free(struct gf_config *c);
/*
 * Only sampling (thresholds, window) and state.dir of a configuration file,
 * for the CLI's reports: defaults where absent or without a file.  0, or
 * -EINVAL with FILE:LINE in err.
 */
int gf_config_sampling(const char *path, struct gf_sampling *sp, char *state_dir, size_t dirlen,
		       char *err, size_t errlen);

/*
 * Every *.list of dir (no dot files), in name order: mapped and handed to
 * fn with its path.  0, or the first error (-errno with the file in err).
 * what names the directory's kind in messages ("country lists").
 */
typedef int (*gf_list_fn)(const char *text, size_t len, const char *path, void *ctx, char *err, size_t errlen);
int gf_lists_each(const char *dir, const char *what, gf_list_fn fn, void *ctx, char *err, size_t errlen);

/* Read the *.list files of dir in name order; a country twice with different actions is an error. */
int gf_countries_load(const char *dir, struct gf_countries *out, char *err, size_t errlen);
/* One list from memory ("name" for messages); adds to out. */
int gf_countries_parse(const char *buf, size_t len, const char *name, struct gf_countries *out,
		       char *err, size_t errlen);

/* "AS13335" (or "as13335") -> 13335; 0 when s is not one. */
__u32 gf_asn_parse(const char *s);

/* "drop", "pass"/"allow", "monitor", "redirect" ... -> enum gf_action or -1 */
int gf_action_parse(const char *word);

#endif
