/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fleet's evidence in PostgreSQL (scripts/evidence-schema.sql).
 *
 * Upload: the day files of STATE_DIR/evidence are the spool.  Each day
 * file whose generation the database has not acknowledged is sent in one
 * transaction, one upsert per (category, destination) under the role's
 * own name (current_user), the sketch merged with hll_union and the sample
 * replaced by the newer one (a day's sample only grows), so a resend never
 * counts twice.  What was acknowledged is kept in evidence/uploaded.  The
 * database down or refusing: nothing is marked, the next round sends it
 * again; the agent's datapath and local evidence never wait (own thread).
 *
 * Fetch: the rows of a window, as cells for gf_ev_summarize, one gateway
 * index per role.
 */
#ifndef GF_EVPG_H
#define GF_EVPG_H

#include <stddef.h>
#include <stdint.h>
#include "gf_evidence.h"

struct gf_evpg;

struct gf_evpg_status {
	int pending_days;		/* day files not yet acknowledged */
	unsigned long long rounds, failures, rows, bytes;
	double last_ok;			/* Unix time of the last acknowledged upload, 0 if none */
	int failing;
	char last_error[256];
};

/* conninfo: libpq's (keywords or URI; TLS, passwords and .pgpass as libpq does them). */
int gf_evpg_new(struct gf_evpg **out, const char *conninfo, const char *evidence_dir,
		uint64_t fingerprint, gid_t group, char *err, size_t errlen);
/* One round: sends what is pending.  0 when nothing is left, or -errno with err. */
int gf_evpg_round(struct gf_evpg *u, char *err, size_t errlen);
void gf_evpg_status(struct gf_evpg *u, struct gf_evpg_status *st);
void gf_evpg_free(struct gf_evpg *u);

struct gf_evpg_fleet {
	struct gf_ev_cell **cells;
	size_t ncells;
	char **gateways;		/* by cell->gateway */
	size_t ngateways;
	uint64_t fingerprint;		/* the key most rows carry */
	size_t other_key_rows;		/* rows of other keys, left out */
	char other_key_gateways[256];	/* their gateways, comma-separated (cut short) */
	uint64_t samples_skipped;	/* by the gateways' datapaths in the window */
	double fetch_seconds;
};

/* The rows of days [from, to]: 0 or -errno with err. */
int gf_evpg_fetch(const char *conninfo, int32_t from, int32_t to, struct gf_evpg_fleet *fl,
		  char *err, size_t errlen);
void gf_evpg_fleet_free(struct gf_evpg_fleet *fl);

#endif
