/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compliance evidence: per UTC day and (category, destination), what
 * the sampled packets carried - a HyperLogLog (postgresql-hll's layout) and
 * a bottom-k sample with counts of the values' keyed hashes, the sample
 * rates in force, the packets with a value, the occurrences they stand
 * for, first and last seen.  Nothing of a value: keyed hashes only.
 *
 * On disk, STATE_DIR/evidence/YYYY-MM-DD.gfe, one file per day, versioned
 * and checksummed, written whole and renamed (gf_file_write).  A file that
 * does not read (corrupt, another version, another hash key, another day)
 * is set aside under a new name, never overwritten or deleted, and the
 * rest loads.  The hash key is the configuration's, or one generated on
 * first start into STATE_DIR/evidence.key (0600); every file carries the
 * key's fingerprint.
 *
 * gf_ev_window merges the days of a window per (category, destination)
 * and estimates the distinct values behind it (gf_estimate.h).
 *
 * One thread adds and flushes; gf_ev_window may run on another only under
 * the caller's lock (gf_dlpstat holds one).
 */
#ifndef GF_EVIDENCE_H
#define GF_EVIDENCE_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "gf_bottomk.h"
#include "gf_estimate.h"
#include "gf_hll.h"

#define GF_EV_VERSION	1
#define GF_EV_DIR	"evidence"
#define GF_EV_KEY_FILE	"evidence.key"
#define GF_EV_DEST_MAX	48
#define GF_EV_REJECTED_MAX 16
#define GF_EV_DAY_MAX	2932896		/* 9999-12-31 */
#define GF_EV_RATE_MAX	(1u << 31)	/* a 1-in-N beyond any configuration */

struct gf_ev_cell {
	int32_t day;			/* days since 1970-01-01, UTC */
	int cat;			/* enum gf_dlp_cat */
	char dest[GF_EV_DEST_MAX];	/* the destination class's name: "RU", "reserved"... */
	uint32_t rate_min, rate_max;	/* the 1-in-N of the packets counted */
	uint64_t packets;		/* sampled packets that carried a value (once per value) */
	double occurrences;		/* the packets each scaled by its 1-in-N */
	int64_t first, last;		/* Unix seconds */
	int gateway;			/* which gateway's (a fleet report's index; 0 locally) */
	struct gf_hll hll;
	struct gf_bk bk;
};

/* What a window holds for one (category, destination). */
struct gf_ev_summary {
	int cat;
	char dest[GF_EV_DEST_MAX];
	struct gf_estimate est;		/* lower, point, upper */
	double seen;			/* distinct values in the sample */
	uint64_t packets;
	double occurrences;
	int64_t first, last;
	uint32_t rate_min, rate_max;
	int days, gateways;
	int exact;			/* every sampled value counted (no share taken) */
};

struct gf_ev_rejected {
	char file[64], moved_to[96];
	char why[160];
};

struct gf_evidence;

/*
 * Opens STATE_DIR (created 0750 if missing, checked like RUN_DIR), its key
 * (key: 16 configured bytes, or NULL for evidence.key, made on first
 * start), and loads the day files.  keep_days: older files are removed.
 * 0, or -errno with what to do in err; files set aside do not fail it.
 */
int gf_ev_open(struct gf_evidence **out, const char *state_dir, const uint8_t *key, int keep_days,
	       gid_t group, char *err, size_t errlen);
void gf_ev_close(struct gf_evidence *ev);

/* The keyed hash of a value, and the key's fingerprint. */
uint64_t gf_ev_hash(struct gf_evidence *ev, const void *value, size_t len);
uint64_t gf_ev_fingerprint(const struct gf_evidence *ev);

/* One sampled packet carried the value of hash h: count it once. */
int gf_ev_add(struct gf_evidence *ev, time_t now, int cat, const char *dest, uint32_t rate,
	      uint64_t h);
/* Writes the days that changed since the last flush: 0 or -errno (err says which file). */
int gf_ev_flush(struct gf_evidence *ev, char *err, size_t errlen);

/*
 * The summaries over the days [today - days + 1, today], one per (category,
 * destination) with data, into *out (malloc'd): their number, or -errno.
 */
int gf_ev_window(struct gf_evidence *ev, int32_t today, int days, struct gf_ev_summary **out);

/* What the store holds and what it set aside. */
struct gf_ev_status {
	int files, days, cells;
	uint64_t bytes;			/* of the day files */
	uint64_t writes, write_errors;
	double last_write_seconds;	/* how long the last flush took */
	int nrejected;
	const struct gf_ev_rejected *rejected;
	char key_source[16];		/* "configured" or "evidence.key" */
};
void gf_ev_status(const struct gf_evidence *ev, struct gf_ev_status *st);

const char *gf_ev_dir(const struct gf_evidence *ev);

/* A day file's header. */
struct gf_ev_dayinfo {
	int32_t day;
	uint64_t fingerprint, generation;
	uint64_t skipped;	/* samples the datapath skipped that day (ring full, budget) */
};

/*
 * Reading without the agent: one day file parsed into cells (the caller
 * frees them with gf_ev_cells_free).  fingerprint: expected, or 0 to take
 * what the file says.  info (may be NULL): its header.  0, or
 * -EINVAL/-EPROTO/-EKEYREJECTED with the reason in err.
 */
int gf_ev_read_file(const char *path, uint64_t fingerprint, struct gf_ev_dayinfo *info,
		    struct gf_ev_cell ***cells, size_t *ncells, char *err, size_t errlen);
/* The same over bytes in memory (what the fuzzer drives). */
int gf_ev_parse(const uint8_t *data, size_t len, uint64_t fingerprint, struct gf_ev_dayinfo *info,
		struct gf_ev_cell ***cells, size_t *ncells, char *err, size_t errlen);
/*
 * Samples the datapath skipped (a full ring, the budget) since the last
 * call: counted against today, so the report can say the counts of those
 * days are lower bounds.
 */
void gf_ev_add_skipped(struct gf_evidence *ev, time_t now, uint64_t n);
/* Skipped samples over days [from, to]. */
uint64_t gf_ev_skipped(const struct gf_evidence *ev, int32_t from, int32_t to);
void gf_ev_cells_free(struct gf_ev_cell **cells, size_t n);

/*
 * Of the key fingerprints of n files or rows, the one most carry (the
 * first seen on a tie, among the first 16 distinct); 0 for none.  A
 * report counts one key's data only: values hashed with two keys would be
 * counted twice.
 */
uint64_t gf_ev_majority_key(const uint64_t *fp, size_t n);
/* Summaries over any cells (a fleet's, a directory's), as gf_ev_window. */
int gf_ev_summarize(struct gf_ev_cell *const *cells, size_t n, int32_t from, int32_t to,
		    struct gf_ev_summary **out);

/*
 * Every day file of an evidence directory within [from, to], read-only (the
 * CLI's report): the cells of the key most files carry; files that do not
 * read, or carry another key, are named in *skipped (malloc'd, "" if none).
 * 0 or -errno with err.
 */
int gf_ev_read_dir(const char *evdir, int32_t from, int32_t to, struct gf_ev_cell ***cells,
		   size_t *n, uint64_t *fingerprint, char **skipped, uint64_t *samples_skipped,
		   char *err, size_t errlen);

/* "2026-12-01" <-> days since the epoch; -1 / INT32_MIN when malformed. */
int32_t gf_ev_day_of(time_t t);
int gf_ev_day_str(int32_t day, char *buf, size_t len);
int32_t gf_ev_day_parse(const char *s);

#endif
