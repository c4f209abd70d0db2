// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence day file: its name (one UTC day), its bytes (encode,
 * parse) and reading one from disk.  The store (gf_evidence.c) writes
 * them; the reports (gf_ev_summary.c) and the uploader read them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "gf_dlp.h"
#include "gf_ev_file.h"
#include "gf_evidence.h"

/*
 * A day file, little-endian throughout:
 *   "GFEVDNCE"  u32 version  i32 day  u64 key fingerprint  u64 generation
 *   u64 samples skipped  u32 cells, then per cell:
 *     u8 len + category name, u8 len + destination name,
 *     u32 rate_min, u32 rate_max, u64 packets, f64 occurrences,
 *     i64 first, i64 last, u16 len + packed HLL (postgresql-hll),
 *     u32 k, u64 threshold, u32 n, n x (u64 hash, u32 count)
 *   u32 CRC-32 of everything before it.
 */
#define MAGIC "GFEVDNCE"

/* --- days ---------------------------------------------------------------- */

int32_t gf_ev_day_of(time_t t)
{
	return (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

int gf_ev_day_str(int32_t day, char *buf, size_t len)
{
	time_t t = (time_t)day * 86400;
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return -EINVAL;
	return strftime(buf, len, "%Y-%m-%d", &tm) ? 0 : -ENOSPC;
}

int32_t gf_ev_day_parse(const char *s)
{
	struct tm tm = { 0 };
	const char *end;
	char back[16];
	int32_t day;

	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end || strlen(s) != 10)
		return INT32_MIN;
	day = gf_ev_day_of(timegm(&tm));
	/* strptime takes 2026-02-31: only a date that prints back the same is one */
	if (gf_ev_day_str(day, back, sizeof(back)) || strcmp(back, s))
		return INT32_MIN;
	return day;
}

/* --- encoding ------------------------------------------------------------ */

struct buf {
	uint8_t *p;
	size_t len, cap;
	int oom;
};

static void put(struct buf *b, const void *v, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, v, n);
	b->len += n;
}

static void put_u(struct buf *b, uint64_t v, int bytes)
{
	uint8_t x[8];

	for (int i = 0; i < bytes; i++)
		x[i] = v >> (8 * i);
	put(b, x, bytes);
}

static void put_str(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	put_u(b, n, 1);
	put(b, s, n);
}

struct rd {
	const uint8_t *p;
	size_t len, off;
	int bad;
};

static uint64_t get_u(struct rd *r, int bytes)
{
	uint64_t v = 0;

	if (r->bad || r->len - r->off < (size_t)bytes) {
		r->bad = 1;
		return 0;
	}
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)r->p[r->off + i] << (8 * i);
	r->off += bytes;
	return v;
}

static const uint8_t *get_bytes(struct rd *r, size_t n)
{
	const uint8_t *p = r->p + r->off;

	if (r->bad || r->len - r->off < n) {
		r->bad = 1;
		return NULL;
	}
	r->off += n;
	return p;
}

static void get_str(struct rd *r, char *out, size_t outlen)
{
	size_t n = get_u(r, 1);
	const uint8_t *p = get_bytes(r, n);

	if (!p || n >= outlen) {
		r->bad = 1;
		out[0] = 0;
		return;
	}
	memcpy(out, p, n);
	out[n] = 0;
}

static double u2d(uint64_t u)
{
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

static uint64_t d2u(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return u;
}

static void encode_cell(struct buf *b, const struct gf_ev_cell *c)
{
	uint8_t hll[GF_HLL_PACKED_MAX];
	size_t n = gf_hll_pack(&c->hll, hll, sizeof(hll));

	put_str(b, gf_dlp_cat_name(c->cat));
	put_str(b, c->dest);
	put_u(b, c->rate_min, 4);
	put_u(b, c->rate_max, 4);
	put_u(b, c->packets, 8);
	put_u(b, d2u(c->occurrences), 8);
	put_u(b, (uint64_t)c->first, 8);
	put_u(b, (uint64_t)c->last, 8);
	put_u(b, n, 2);
	put(b, hll, n);
	put_u(b, c->bk.k, 4);
	put_u(b, c->bk.thr, 8);
	put_u(b, c->bk.len, 4);
	for (uint32_t i = 0; i < c->bk.len; i++) {
		put_u(b, c->bk.h[i], 8);
		put_u(b, c->bk.n[i], 4);
	}
}

int gf_ev_encode(const struct gf_ev_dayinfo *info, struct gf_ev_cell *const *cells, size_t ncells, uint8_t **out,
		 size_t *len)
{
	struct buf b = { 0 };
	uint32_t n = 0;
	size_t count_at;

	put(&b, MAGIC, 8);
	put_u(&b, GF_EV_VERSION, 4);
	put_u(&b, (uint32_t)info->day, 4);
	put_u(&b, info->fingerprint, 8);
	put_u(&b, info->generation, 8);
	put_u(&b, info->skipped, 8);
	count_at = b.len;
	put_u(&b, 0, 4);
	for (size_t i = 0; i < ncells; i++)
		if (cells[i]->day == info->day) {
			encode_cell(&b, cells[i]);
			n++;
		}
	if (!b.oom) {
		for (int i = 0; i < 4; i++)
			b.p[count_at + i] = n >> (8 * i);
		put_u(&b, (uint32_t)crc32(0, b.p, b.len), 4);
	}
	if (b.oom) {
		free(b.p);
		return -ENOMEM;
	}
	*out = b.p;
	*len = b.len;
	return 0;
}

struct gf_ev_cell *gf_ev_cell_new(int32_t day, int cat, const char *dest)
{
	struct gf_ev_cell *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->day = day;
	c->cat = cat;
	snprintf(c->dest, sizeof(c->dest), "%s", dest);
	gf_bk_init(&c->bk, GF_BK_K);
	return c;
}

void gf_ev_cell_free(struct gf_ev_cell *c)
{
	if (!c)
		return;
	gf_bk_free(&c->bk);
	free(c);
}

void gf_ev_cells_free(struct gf_ev_cell **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		gf_ev_cell_free(cells[i]);
	free(cells);
}

/* Parses one cell; NULL with the reason in err. */
static struct gf_ev_cell *decode_cell(struct rd *r, int32_t day, char *err, size_t errlen)
{
	char cat[64], dest[GF_EV_DEST_MAX];
	struct gf_ev_cell *c;
	const uint8_t *hll;
	uint32_t k, n;
	size_t hlen;
	int ci;

	get_str(r, cat, sizeof(cat));
	get_str(r, dest, sizeof(dest));
	if (r->bad) {
		snprintf(err, errlen, "truncated cell");
		return NULL;
	}
	ci = gf_dlp_cat_from_name(cat);
	if (ci < 0) {
		snprintf(err, errlen, "unknown category \"%.40s\" (written by a newer geofence?)", cat);
		return NULL;
	}
	c = gf_ev_cell_new(day, ci, dest);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->rate_min = get_u(r, 4);
	c->rate_max = get_u(r, 4);
	c->packets = get_u(r, 8);
	c->occurrences = u2d(get_u(r, 8));
	c->first = (int64_t)get_u(r, 8);
	c->last = (int64_t)get_u(r, 8);
	hlen = get_u(r, 2);
	hll = get_bytes(r, hlen);
	if (hll && gf_hll_unpack(&c->hll, hll, hlen)) {
		snprintf(err, errlen, "a HyperLogLog of another shape");
		goto fail;
	}
	k = get_u(r, 4);
	c->bk.k = k;
	c->bk.thr = get_u(r, 8);
	n = get_u(r, 4);
	if (r->bad || (k && n > k) || r->len - r->off < (size_t)n * 12) {
		snprintf(err, errlen, "truncated or inconsistent sample");
		goto fail;
	}
	if (n) {
		c->bk.h = malloc((size_t)n * sizeof(*c->bk.h));
		c->bk.n = malloc((size_t)n * sizeof(*c->bk.n));
		if (!c->bk.h || !c->bk.n) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		c->bk.cap = n;
	}
	for (uint32_t i = 0; i < n; i++) {
		c->bk.h[i] = get_u(r, 8);
		c->bk.n[i] = get_u(r, 4);
		if (i && c->bk.h[i] <= c->bk.h[i - 1]) {
			snprintf(err, errlen, "sample out of order");
			goto fail;
		}
		if (c->bk.h[i] > c->bk.thr) {
			snprintf(err, errlen, "sample above its threshold");
			goto fail;
		}
	}
	c->bk.len = n;
	{
		/* what the agent writes always holds: anything else was not written by it */
		uint64_t kept = 0;

		for (uint32_t i = 0; i < n; i++)
			kept += c->bk.n[i];
		if (r->bad || !c->rate_min || c->rate_min > c->rate_max || c->rate_max > GF_EV_RATE_MAX ||
		    kept > c->packets || !(c->occurrences >= (double)c->packets) ||
		    c->occurrences > (double)c->packets * c->rate_max || c->first > c->last ||
		    (!n && c->packets)) {
			snprintf(err, errlen, "inconsistent counts");
			goto fail;
		}
	}
	return c;
fail:
	gf_ev_cell_free(c);
	return NULL;
}

int gf_ev_parse(const uint8_t *data, size_t got, uint64_t fingerprint, struct gf_ev_dayinfo *info,
		struct gf_ev_cell ***cells_out, size_t *ncells, char *err, size_t errlen)
{
	struct gf_ev_cell **cells = NULL;
	struct rd r = { data, got, 0, 0 };
	uint32_t version, n, crc;
	uint64_t fp, gen, skipped;
	int32_t day;
	char e[160];

	*cells_out = NULL;
	*ncells = 0;
	if (got < 8 + 4 + 4 + 8 + 8 + 8 + 4 + 4 || memcmp(data, MAGIC, 8)) {
		snprintf(err, errlen, "not a geofence evidence file (corrupt or foreign)");
		return -EINVAL;
	}
	r.off = 8;
	version = get_u(&r, 4);
	if (version != GF_EV_VERSION) {
		snprintf(err, errlen, "format version %u, this geofence reads %u", version, GF_EV_VERSION);
		return -EPROTO;
	}
	memcpy(&crc, data + got - 4, 4);
	crc = le32toh(crc);
	if (crc != (uint32_t)crc32(0, data, got - 4)) {
		snprintf(err, errlen, "checksum mismatch (corrupt)");
		return -EINVAL;
	}
	r.len = got - 4;
	day = (int32_t)get_u(&r, 4);
	fp = get_u(&r, 8);
	gen = get_u(&r, 8);
	skipped = get_u(&r, 8);
	if (day < 0 || day > GF_EV_DAY_MAX) {
		snprintf(err, errlen, "day %d is not a date this file can hold (corrupt)", day);
		return -EINVAL;
	}
	if (info)
		*info = (struct gf_ev_dayinfo){ day, fp, gen, skipped };
	if (fingerprint && fp != fingerprint) {
		snprintf(err, errlen, "made with another hash key (fingerprint %016llx, this agent's "
			 "%016llx): not merged", (unsigned long long)fp, (unsigned long long)fingerprint);
		return -EKEYREJECTED;
	}
	n = get_u(&r, 4);
	if (n > r.len / 16) {
		snprintf(err, errlen, "cell count beyond the file's size (corrupt)");
		return -EINVAL;
	}
	cells = calloc(n ? n : 1, sizeof(*cells));
	if (!cells) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++) {
		cells[i] = decode_cell(&r, day, e, sizeof(e));
		if (!cells[i]) {
			snprintf(err, errlen, "cell %u: %s", i, e);
			gf_ev_cells_free(cells, i);
			return -EINVAL;
		}
	}
	if (r.off != r.len) {
		snprintf(err, errlen, "trailing bytes (corrupt)");
		gf_ev_cells_free(cells, n);
		return -EINVAL;
	}
	*cells_out = cells;
	*ncells = n;
	return 0;
}

int gf_ev_read_file(const char *path, uint64_t fingerprint, struct gf_ev_dayinfo *info,
		    struct gf_ev_cell ***cells_out, size_t *ncells, char *err, size_t errlen)
{
	uint8_t *data = NULL;
	struct stat st;
	int fd, ret;
	size_t got = 0;

	*cells_out = NULL;
	*ncells = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (1ll << 31)) {
		close(fd);
		snprintf(err, errlen, "not a regular file of a sane size");
		return -EINVAL;
	}
	data = malloc(st.st_size ? st.st_size : 1);
	while (data && got < (size_t)st.st_size) {
		ssize_t m = read(fd, data + got, st.st_size - got);

		if (m <= 0)
			break;
		got += m;
	}
	close(fd);
	if (!data || got != (size_t)st.st_size) {
		free(data);
		snprintf(err, errlen, "cannot read it whole");
		return -EIO;
	}
	ret = gf_ev_parse(data, got, fingerprint, info, cells_out, ncells, err, errlen);
	free(data);
	return ret;
}


int gf_ev_is_day_file(const char *name, int32_t *day)
{
	char d[16];

	if (strlen(name) != 14 || strcmp(name + 10, ".gfe"))
		return 0;
	memcpy(d, name, 10);
	d[10] = 0;
	*day = gf_ev_day_parse(d);
	return *day != INT32_MIN;
}

uint64_t gf_ev_majority_key(const uint64_t *fp, size_t n)
{
	struct {
		uint64_t fp;
		size_t n;
	} seen[16];
	int nseen = 0, k;
	size_t most = 0;
	uint64_t best = 0;

	for (size_t i = 0; i < n; i++) {
		for (k = 0; k < nseen && seen[k].fp != fp[i]; k++)
			;
		if (k == nseen && nseen < 16)
			seen[nseen++] = (typeof(seen[0])){ fp[i], 0 };
		if (k < nseen)
			seen[k].n++;
	}
	for (k = 0; k < nseen; k++)
		if (seen[k].n > most) {
			most = seen[k].n;
			best = seen[k].fp;
		}
	return best;
}
