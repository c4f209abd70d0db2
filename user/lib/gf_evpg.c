// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gf_dlp.h"
#include "gf_dlpstat.h"
#include "gf_evpg.h"
#include "gf_log.h"
#include "gf_state.h"

#define BYTEAOID 17
#define UPLOADED_FILE "uploaded"

struct acked {
	int32_t day;
	uint64_t generation;
};

/* A cell the database acknowledged, by its packets (a cell only grows). */
struct sent_cell {
	int32_t day;
	int cat;
	char dest[GF_EV_DEST_MAX];
	uint64_t packets;
};

struct gf_evpg {
	struct sent_cell *sent;
	size_t nsent;
	char *conninfo;
	char evdir[4200];
	char dbid[20];			/* names the database (a hash of the conninfo) */
	uint64_t fp;
	gid_t group;
	PGconn *conn;
	struct acked *acked;
	size_t nacked;
	struct gf_evpg_status st;
};

static void dbid_of(const char *conninfo, char out[20])
{
	unsigned char md[32];
	unsigned int n = 0;

	/* a new database (another conninfo) gets every day again */
	EVP_Digest(conninfo, strlen(conninfo), md, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void load_acked(struct gf_evpg *u)
{
	char path[4300], line[128], id[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", u->evdir, UPLOADED_FILE);
	f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f) || sscanf(line, "database %31s", id) != 1 || strcmp(id, u->dbid)) {
		fclose(f);
		return;	/* another database, or none: everything is pending */
	}
	while (fgets(line, sizeof(line), f)) {
		char d[16];
		unsigned long long g;
		int32_t day;
		struct acked *a;

		if (sscanf(line, "%15s %llu", d, &g) != 2 || (day = gf_ev_day_parse(d)) == INT32_MIN)
			continue;
		a = realloc(u->acked, (u->nacked + 1) * sizeof(*a));
		if (!a)
			break;
		u->acked = a;
		u->acked[u->nacked++] = (struct acked){ day, g };
	}
	fclose(f);
}

static int save_acked(struct gf_evpg *u)
{
	size_t cap = 64 + u->nacked * 40, len;
	char *buf = malloc(cap), d[16];
	int ret;

	if (!buf)
		return -ENOMEM;
	len = snprintf(buf, cap, "database %s\n", u->dbid);
	for (size_t i = 0; i < u->nacked; i++) {
		gf_ev_day_str(u->acked[i].day, d, sizeof(d));
		len += snprintf(buf + len, cap - len, "%s %llu\n", d, (unsigned long long)u->acked[i].generation);
	}
	ret = gf_file_write(u->evdir, UPLOADED_FILE, buf, len, 0640, u->group);
	free(buf);
	return ret;
}

static uint64_t acked_gen(const struct gf_evpg *u, int32_t day)
{
	for (size_t i = 0; i < u->nacked; i++)
		if (u->acked[i].day == day)
			return u->acked[i].generation;
	return 0;
}

static void set_acked(struct gf_evpg *u, int32_t day, uint64_t gen)
{
	struct acked *a;

	for (size_t i = 0; i < u->nacked; i++)
		if (u->acked[i].day == day) {
			u->acked[i].generation = gen;
			return;
		}
	a = realloc(u->acked, (u->nacked + 1) * sizeof(*a));
	if (!a)
		return;
	u->acked = a;
	u->acked[u->nacked++] = (struct acked){ day, gen };
}

int gf_evpg_new(struct gf_evpg **out, const char *conninfo, const char *evidence_dir,
		uint64_t fingerprint, gid_t group, char *err, size_t errlen)
{
	struct gf_evpg *u = calloc(1, sizeof(*u));
	char *e = NULL;
	PQconninfoOption *opts;

	if (!u)
		return -ENOMEM;
	/* parse now: a malformed conninfo is the operator's to fix, not a retry loop's */
	opts = PQconninfoParse(conninfo, &e);
	if (!opts) {
		snprintf(err, errlen, "evidence.postgres: %s", e ? e : "cannot parse it");
		PQfreemem(e);
		free(u);
		return -EINVAL;
	}
	PQconninfoFree(opts);
	u->conninfo = strdup(conninfo);
	snprintf(u->evdir, sizeof(u->evdir), "%s", evidence_dir);
	u->fp = fingerprint;
	u->group = group;
	dbid_of(conninfo, u->dbid);
	load_acked(u);
	*out = u;
	return 0;
}

void gf_evpg_free(struct gf_evpg *u)
{
	if (!u)
		return;
	PQfinish(u->conn);
	free(u->conninfo);
	free(u->acked);
	free(u->sent);
	free(u);
}

static PGconn *connect_db(const char *conninfo, char *err, size_t errlen)
{
	/* ours first: what the operator's conninfo says wins */
	const char *keys[] = { "connect_timeout", "application_name", "dbname", NULL };
	const char *vals[] = { "10", "geofence", conninfo, NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);

	if (!c || PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s",
			 c ? PQerrorMessage(c) : "out of memory");
		/* libpq's messages end in a newline */
		err[strcspn(err, "\n")] = 0;
		PQfinish(c);
		return NULL;
	}
	return c;
}

static int exec_ok(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, sql);
	int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok) {
		snprintf(err, errlen, "%s: %s", sql, PQerrorMessage(c));
		err[strcspn(err, "\n")] = 0;
	}
	PQclear(r);
	return ok ? 0 : -EIO;
}

static const char UPSERT[] =
	"INSERT INTO geofence.evidence AS e (gateway, day, category, destination, unit, "
	"key_fingerprint, sketch, sample, sample_k, sample_threshold, rate_min, rate_max, packets, "
	"occurrences, first_seen, last_seen) VALUES (current_user, $1::date, $2, $3, $4, $5, $6::hll, "
	"$7, $8::integer, $9::numeric, $10::integer, $11::integer, $12::bigint, $13::float8, "
	"to_timestamp($14::bigint), to_timestamp($15::bigint)) "
	"ON CONFLICT (gateway, day, category, destination) DO UPDATE SET "
	/* the sketch: a union, so the same values sent again are the same registers */
	"sketch = hll_union(e.sketch, EXCLUDED.sketch), "
	/* the rest: a day's figures only grow; the newer upload replaces the older */
	"sample = CASE WHEN EXCLUDED.packets >= e.packets THEN EXCLUDED.sample ELSE e.sample END, "
	"sample_k = CASE WHEN EXCLUDED.packets >= e.packets THEN EXCLUDED.sample_k ELSE e.sample_k END, "
	"sample_threshold = CASE WHEN EXCLUDED.packets >= e.packets THEN EXCLUDED.sample_threshold "
	"ELSE e.sample_threshold END, "
	"occurrences = CASE WHEN EXCLUDED.packets >= e.packets THEN EXCLUDED.occurrences "
	"ELSE e.occurrences END, "
	"rate_min = LEAST(e.rate_min, EXCLUDED.rate_min), rate_max = GREATEST(e.rate_max, EXCLUDED.rate_max), "
	"packets = GREATEST(e.packets, EXCLUDED.packets), "
	"first_seen = LEAST(e.first_seen, EXCLUDED.first_seen), "
	"last_seen = GREATEST(e.last_seen, EXCLUDED.last_seen), uploaded = now() "
	/* another key's sketch never merges: the row is left alone and the agent told */
	"WHERE e.key_fingerprint = EXCLUDED.key_fingerprint";

static int upload_cell(struct gf_evpg *u, const struct gf_ev_cell *c, char *err, size_t errlen)
{
	uint8_t hll[GF_HLL_PACKED_MAX];
	char day[16], fp[20], hex[2 * GF_HLL_PACKED_MAX + 4], k[16], thr[24], rmin[16], rmax[16],
	     pk[24], occ[40], first[24], last[24];
	size_t n = gf_hll_pack(&c->hll, hll, sizeof(hll)), slen = (size_t)c->bk.len * 12;
	uint8_t *sample = malloc(slen ? slen : 1);
	const char *vals[15];
	int lens[15] = { 0 }, fmts[15] = { 0 };
	Oid types[15] = { 0 };
	PGresult *r;
	int ret = 0;

	if (!sample)
		return -ENOMEM;
	for (uint32_t i = 0; i < c->bk.len; i++) {
		for (int b = 0; b < 8; b++)
			sample[i * 12 + b] = c->bk.h[i] >> (56 - 8 * b);
		for (int b = 0; b < 4; b++)
			sample[i * 12 + 8 + b] = c->bk.n[i] >> (24 - 8 * b);
	}
	gf_ev_day_str(c->day, day, sizeof(day));
	snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)u->fp);
	hex[0] = '\\';
	hex[1] = 'x';
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 + 2 * i, 3, "%02x", hll[i]);
	snprintf(k, sizeof(k), "%u", c->bk.k);
	snprintf(thr, sizeof(thr), "%llu", (unsigned long long)c->bk.thr);
	snprintf(rmin, sizeof(rmin), "%u", c->rate_min);
	snprintf(rmax, sizeof(rmax), "%u", c->rate_max);
	snprintf(pk, sizeof(pk), "%llu", (unsigned long long)c->packets);
	snprintf(occ, sizeof(occ), "%.17g", c->occurrences);
	snprintf(first, sizeof(first), "%lld", (long long)c->first);
	snprintf(last, sizeof(last), "%lld", (long long)c->last);
	vals[0] = day;
	vals[1] = gf_dlp_cat_name(c->cat);
	vals[2] = c->dest;
	vals[3] = gf_dlp_unit(c->cat);
	vals[4] = fp;
	vals[5] = hex;
	vals[6] = (const char *)sample;
	lens[6] = slen;
	fmts[6] = 1;	/* binary: the hashes as they are */
	types[6] = BYTEAOID;
	vals[7] = k;
	vals[8] = thr;
	vals[9] = rmin;
	vals[10] = rmax;
	vals[11] = pk;
	vals[12] = occ;
	vals[13] = first;
	vals[14] = last;
	r = PQexecParams(u->conn, UPSERT, 15, types, vals, lens, fmts, 0);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "upsert of %s %s to %s: %s", day, vals[1], c->dest, PQerrorMessage(u->conn));
		err[strcspn(err, "\n")] = 0;
		ret = -EIO;
	} else if (strcmp(PQcmdTuples(r), "1")) {
		snprintf(err, errlen, "the database holds %s %s to %s of this gateway under another hash "
			 "key: not merged (a key changed: restore it, or clear those rows)", day, vals[1],
			 c->dest);
		ret = -EKEYREJECTED;
	}
	for (int i = 0; i < 15; i++)
		u->st.bytes += i == 6 ? (size_t)lens[i] : strlen(vals[i]);
	PQclear(r);
	free(sample);
	return ret;
}

static struct sent_cell *sent_find(struct gf_evpg *u, const struct gf_ev_cell *c)
{
	for (size_t i = 0; i < u->nsent; i++)
		if (u->sent[i].day == c->day && u->sent[i].cat == c->cat && !strcmp(u->sent[i].dest, c->dest))
			return &u->sent[i];
	return NULL;
}

static void sent_note(struct gf_evpg *u, const struct gf_ev_cell *c)
{
	struct sent_cell *s = sent_find(u, c);

	if (!s) {
		s = realloc(u->sent, (u->nsent + 1) * sizeof(*s));
		if (!s)
			return;
		u->sent = s;
		s = &u->sent[u->nsent++];
		*s = (struct sent_cell){ .day = c->day, .cat = c->cat };
		snprintf(s->dest, sizeof(s->dest), "%s", c->dest);
	}
	s->packets = c->packets;
}

/*
 * One day file, one transaction: the cells that grew since the database
 * last acknowledged them (after a restart, all of them once).
 */
static int upload_day(struct gf_evpg *u, const char *path, int32_t day, char *err, size_t errlen)
{
	struct gf_ev_cell **cells;
	struct gf_ev_dayinfo info;
	size_t n, rows = 0;
	int ret;

	ret = gf_ev_read_file(path, u->fp, &info, &cells, &n, err, errlen);
	if (ret)
		return ret;
	ret = exec_ok(u->conn, "BEGIN", err, errlen);
	for (size_t i = 0; i < n && !ret; i++) {
		const struct sent_cell *s = sent_find(u, cells[i]);

		if (!cells[i]->packets || (s && s->packets == cells[i]->packets))
			continue;
		ret = upload_cell(u, cells[i], err, errlen);
		rows++;
	}
	if (!ret && info.skipped) {
		char d[16], k[24];
		const char *v[2] = { d, k };
		PGresult *r;

		gf_ev_day_str(day, d, sizeof(d));
		snprintf(k, sizeof(k), "%llu", (unsigned long long)info.skipped);
		r = PQexecParams(u->conn, "INSERT INTO geofence.day AS t (gateway, day, samples_skipped) "
				 "VALUES (current_user, $1::date, $2::bigint) ON CONFLICT (gateway, day) DO "
				 "UPDATE SET samples_skipped = GREATEST(t.samples_skipped, EXCLUDED.samples_skipped), "
				 "uploaded = now()", 2, NULL, v, NULL, NULL, 0);
		if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
			snprintf(err, errlen, "geofence.day of %s: %s", d, PQerrorMessage(u->conn));
			err[strcspn(err, "\n")] = 0;
			ret = -EIO;
		}
		PQclear(r);
	}
	if (!ret)
		ret = exec_ok(u->conn, "COMMIT", err, errlen);
	else
		exec_ok(u->conn, "ROLLBACK", err + strlen(err), 0);
	if (!ret) {
		for (size_t i = 0; i < n; i++)
			sent_note(u, cells[i]);
		u->st.rows += rows;
		set_acked(u, day, info.generation);
	}
	gf_ev_cells_free(cells, n);
	return ret;
}

int gf_evpg_round(struct gf_evpg *u, char *err, size_t errlen)
{
	struct dirent **names = NULL;
	int nn, ret = 0, pending = 0, sent = 0;

	u->st.rounds++;
	nn = scandir(u->evdir, &names, NULL, alphasort);
	if (nn < 0) {
		snprintf(err, errlen, "cannot list %s: %s", u->evdir, strerror(errno));
		return -errno;
	}
	for (int i = 0; i < nn; i++) {
		const char *name = names[i]->d_name;
		char d[16], path[4400];
		struct gf_ev_cell **cells;
		struct gf_ev_dayinfo info;
		size_t n;
		int32_t day;
		char e[256];

		if (strlen(name) != 14 || strcmp(name + 10, ".gfe"))
			continue;
		memcpy(d, name, 10);
		d[10] = 0;
		day = gf_ev_day_parse(d);
		if (day == INT32_MIN)
			continue;
		snprintf(path, sizeof(path), "%s/%s", u->evdir, name);
		/* the generation only: the header */
		if (gf_ev_read_file(path, u->fp, &info, &cells, &n, e, sizeof(e)))
			continue;	/* set aside by the agent at its next start; not ours to send */
		gf_ev_cells_free(cells, n);
		if (info.generation <= acked_gen(u, day))
			continue;
		pending++;
		if (ret)
			continue;	/* count what is left after a failure */
		if (!u->conn) {
			u->conn = connect_db(u->conninfo, err, errlen);
			if (!u->conn) {
				ret = -ECONNREFUSED;
				continue;
			}
		}
		ret = upload_day(u, path, day, err, errlen);
		if (!ret) {
			pending--;
			sent++;
		} else if (PQstatus(u->conn) != CONNECTION_OK) {
			PQfinish(u->conn);
			u->conn = NULL;
		}
	}
	for (int i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	if (sent) {
		int r = save_acked(u);

		if (r && !ret) {
			snprintf(err, errlen, "cannot write %s/%s: %s (the days go again next time)",
				 u->evdir, UPLOADED_FILE, strerror(-r));
			ret = r;
		}
		u->st.last_ok = time(NULL);
	}
	u->st.pending_days = pending;
	if (ret) {
		u->st.failures++;
		snprintf(u->st.last_error, sizeof(u->st.last_error), "%s", err);
	}
	u->st.failing = ret != 0;
	return ret;
}

void gf_evpg_status(struct gf_evpg *u, struct gf_evpg_status *st)
{
	*st = u->st;
}

/* --- fetch --------------------------------------------------------------- */

static uint64_t be(const char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | (uint8_t)p[i];
	return v;
}

static int gateway_index(struct gf_evpg_fleet *fl, const char *name)
{
	char **g;

	for (size_t i = 0; i < fl->ngateways; i++)
		if (!strcmp(fl->gateways[i], name))
			return i;
	g = realloc(fl->gateways, (fl->ngateways + 1) * sizeof(*g));
	if (!g)
		return -1;
	fl->gateways = g;
	g[fl->ngateways] = strdup(name);
	return g[fl->ngateways] ? (int)fl->ngateways++ : -1;
}

static const char FETCH[] =
	"SELECT gateway, (day - date '1970-01-01')::integer, category, destination, key_fingerprint, "
	"sample, sample_k, sample_threshold::text, rate_min, rate_max, packets, occurrences, "
	"extract(epoch FROM first_seen)::bigint, extract(epoch FROM last_seen)::bigint "
	"FROM geofence.evidence WHERE day BETWEEN date '1970-01-01' + $1::integer "
	"AND date '1970-01-01' + $2::integer";

/* Column col of row i as text in buf (NUL-terminated, cut to len). */
static const char *field_text(PGresult *r, int i, int col, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", PQgetlength(r, i, col), PQgetvalue(r, i, col));
	return buf;
}

/* Row i of FETCH into cell; its key fingerprint in *fp. 0, -ENOMEM, or -EINVAL for a row edited by hand. */
static int decode_row(struct gf_evpg_fleet *fl, PGresult *r, int i, struct gf_ev_cell *cell, uint64_t *fp,
		      char *err, size_t errlen)
{
	char cat[64], t[128];
	const char *s = PQgetvalue(r, i, 5);
	uint32_t n = PQgetlength(r, i, 5) / 12;
	uint64_t u;
	int ci;

	ci = gf_dlp_cat_from_name(field_text(r, i, 2, cat, sizeof(cat)));
	cell->cat = ci < 0 ? 0 : ci;
	cell->day = (int32_t)be(PQgetvalue(r, i, 1), 4);
	field_text(r, i, 3, cell->dest, sizeof(cell->dest));
	cell->gateway = gateway_index(fl, field_text(r, i, 0, t, sizeof(t)));
	*fp = strtoull(field_text(r, i, 4, t, 20), NULL, 16);
	gf_bk_init(&cell->bk, (uint32_t)be(PQgetvalue(r, i, 6), 4));
	cell->bk.thr = strtoull(field_text(r, i, 7, t, 32), NULL, 10);
	if (n) {
		cell->bk.h = malloc(n * sizeof(*cell->bk.h));
		cell->bk.n = malloc(n * sizeof(*cell->bk.n));
		if (!cell->bk.h || !cell->bk.n)
			return -ENOMEM;
		cell->bk.cap = n;
	}
	for (uint32_t k = 0; k < n; k++) {
		cell->bk.h[k] = be(s + 12 * k, 8);
		cell->bk.n[k] = (uint32_t)be(s + 12 * k + 8, 4);
		/* a row someone edited out of order would break the merge's exactness */
		if ((k && cell->bk.h[k] <= cell->bk.h[k - 1]) || cell->bk.h[k] > cell->bk.thr) {
			snprintf(err, errlen, "row %d (%s %s, gateway %s): its sample is out of order", i, cat,
				 cell->dest, fl->gateways[cell->gateway]);
			return -EINVAL;
		}
	}
	cell->bk.len = n;
	cell->rate_min = (uint32_t)be(PQgetvalue(r, i, 8), 4);
	cell->rate_max = (uint32_t)be(PQgetvalue(r, i, 9), 4);
	cell->packets = be(PQgetvalue(r, i, 10), 8);
	u = be(PQgetvalue(r, i, 11), 8);
	memcpy(&cell->occurrences, &u, 8);
	cell->first = (int64_t)be(PQgetvalue(r, i, 12), 8);
	cell->last = (int64_t)be(PQgetvalue(r, i, 13), 8);
	return 0;
}

/* One key: the one most rows carry; the others' rows are named and left out. */
static void keep_one_key(struct gf_evpg_fleet *fl, const uint64_t *rowfp)
{
	size_t w = 0;

	fl->fingerprint = gf_ev_majority_key(rowfp, fl->ncells);
	for (size_t i = 0; i < fl->ncells; i++) {
		const char *gw = fl->gateways[fl->cells[i]->gateway];

		if (rowfp[i] == fl->fingerprint) {
			fl->cells[w++] = fl->cells[i];
			continue;
		}
		fl->other_key_rows++;
		if (!strstr(fl->other_key_gateways, gw) &&
		    strlen(fl->other_key_gateways) + strlen(gw) + 2 < sizeof(fl->other_key_gateways)) {
			if (fl->other_key_gateways[0])
				strcat(fl->other_key_gateways, ",");
			strcat(fl->other_key_gateways, gw);
		}
		gf_bk_free(&fl->cells[i]->bk);
		free(fl->cells[i]);
	}
	fl->ncells = w;
}

/* The samples the gateways skipped in the window (day rows), for the report's caveat. */
static uint64_t samples_skipped(PGconn *c, const char *const vals[2])
{
	PGresult *k = PQexecParams(c, "SELECT coalesce(sum(samples_skipped), 0)::text FROM geofence.day "
				   "WHERE day BETWEEN date '1970-01-01' + $1::integer AND "
				   "date '1970-01-01' + $2::integer", 2, NULL, vals, NULL, NULL, 0);
	uint64_t n = 0;

	if (k && PQresultStatus(k) == PGRES_TUPLES_OK && PQntuples(k) == 1)
		n = strtoull(PQgetvalue(k, 0, 0), NULL, 10);
	PQclear(k);
	return n;
}

int gf_evpg_fetch(const char *conninfo, int32_t from, int32_t to, struct gf_evpg_fleet *fl,
		  char *err, size_t errlen)
{
	char a[16], b[16];
	const char *vals[2] = { a, b };
	struct timespec t0, t1;
	uint64_t *rowfp = NULL;
	PGconn *c;
	PGresult *r;
	int rows, ret = 0;

	memset(fl, 0, sizeof(*fl));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	c = connect_db(conninfo, err, errlen);
	if (!c)
		return -ECONNREFUSED;
	snprintf(a, sizeof(a), "%d", from);
	snprintf(b, sizeof(b), "%d", to);
	r = PQexecParams(c, FETCH, 2, NULL, vals, NULL, NULL, 1);
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "reading geofence.evidence: %s", PQerrorMessage(c));
		err[strcspn(err, "\n")] = 0;
		PQclear(r);
		PQfinish(c);
		return -EIO;
	}
	rows = PQntuples(r);
	fl->cells = calloc(rows ? rows : 1, sizeof(*fl->cells));
	rowfp = calloc(rows ? rows : 1, sizeof(*rowfp));
	if (!fl->cells || !rowfp)
		ret = -ENOMEM;
	for (int i = 0; !ret && i < rows; i++) {
		struct gf_ev_cell *cell = calloc(1, sizeof(*cell));

		if (!cell) {
			ret = -ENOMEM;
			break;
		}
		fl->cells[fl->ncells++] = cell;
		ret = decode_row(fl, r, i, cell, &rowfp[i], err, errlen);
	}
	if (!ret) {
		keep_one_key(fl, rowfp);
		fl->samples_skipped = samples_skipped(c, vals);
	}
	free(rowfp);
	PQclear(r);
	PQfinish(c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fl->fetch_seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "out of memory reading %d rows", rows);
		gf_evpg_fleet_free(fl);
	}
	return ret;
}

void gf_evpg_fleet_free(struct gf_evpg_fleet *fl)
{
	gf_ev_cells_free(fl->cells, fl->ncells);
	for (size_t i = 0; i < fl->ngateways; i++)
		free(fl->gateways[i]);
	free(fl->gateways);
	memset(fl, 0, sizeof(*fl));
}
