// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "gf_dlp.h"
#include "gf_evidence.h"
#include "gf_log.h"
#include "gf_state.h"

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

struct day {
	int32_t day;
	uint64_t generation, skipped;
	int dirty;
};

struct gf_evidence {
	char dir[4096], evdir[4200];
	gid_t group;
	int keep_days, mem_only;
	int32_t pruned;			/* the day the last prune ran */
	struct gf_hll_key *key;
	uint64_t fp;
	char key_source[16];
	struct gf_ev_cell **cells;
	size_t ncells, capcells;
	/* today's cells, for the scanner's adds: a year of cells is not searched per value */
	int32_t tday;
	struct gf_ev_cell **tcells;
	size_t ntcells, captcells;
	struct day *days;
	size_t ndays, capdays;
	struct gf_ev_rejected rejected[GF_EV_REJECTED_MAX];
	int nrejected;
	uint64_t writes, write_errors;
	double last_write_seconds;
};

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

static struct gf_ev_cell *cell_new(int32_t day, int cat, const char *dest)
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

static void cell_free(struct gf_ev_cell *c)
{
	if (!c)
		return;
	gf_bk_free(&c->bk);
	free(c);
}

void gf_ev_cells_free(struct gf_ev_cell **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cell_free(cells[i]);
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
	c = cell_new(day, ci, dest);
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
	cell_free(c);
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

/* --- the store ----------------------------------------------------------- */

static struct day *day_get(struct gf_evidence *ev, int32_t d, int create)
{
	for (size_t i = 0; i < ev->ndays; i++)
		if (ev->days[i].day == d)
			return &ev->days[i];
	if (!create)
		return NULL;
	if (ev->ndays == ev->capdays) {
		size_t cap = ev->capdays ? ev->capdays * 2 : 64;
		struct day *p = realloc(ev->days, cap * sizeof(*p));

		if (!p)
			return NULL;
		ev->days = p;
		ev->capdays = cap;
	}
	ev->days[ev->ndays] = (struct day){ .day = d };
	return &ev->days[ev->ndays++];
}

/* Appends c to a growing array of cell pointers: 0 or -ENOMEM. */
static int ptr_push(struct gf_ev_cell ***arr, size_t *n, size_t *cap, struct gf_ev_cell *c)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct gf_ev_cell **p = realloc(*arr, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		*arr = p;
		*cap = ncap;
	}
	(*arr)[(*n)++] = c;
	return 0;
}

static int cells_push(struct gf_evidence *ev, struct gf_ev_cell *c)
{
	return ptr_push(&ev->cells, &ev->ncells, &ev->capcells, c);
}

static void reject(struct gf_evidence *ev, const char *name, const char *why)
{
	struct gf_ev_rejected *r = ev->nrejected < GF_EV_REJECTED_MAX ? &ev->rejected[ev->nrejected++] : NULL;
	char to[96];
	int ok = 0;

	/* aside under a name not taken: never over another file set aside before */
	for (int i = 0; i < 100 && !ok; i++) {
		snprintf(to, sizeof(to), "%.40s.rejected%s%.0d", name, i ? "." : "", i);
		{
			char a[4600], b[4600];

			snprintf(a, sizeof(a), "%s/%s", ev->evdir, name);
			snprintf(b, sizeof(b), "%s/%s", ev->evdir, to);
			ok = !renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE);
			if (!ok && errno != EEXIST)
				break;
		}
	}
	if (!ok)
		snprintf(to, sizeof(to), "(left in place: %s)", strerror(errno));
	pr_err("evidence: %s/%s does not load: %s; kept as %s, the agent goes on without that day's "
	       "evidence\n", ev->evdir, name, why, to);
	if (r) {
		snprintf(r->file, sizeof(r->file), "%s", name);
		snprintf(r->moved_to, sizeof(r->moved_to), "%s", to);
		snprintf(r->why, sizeof(r->why), "%s", why);
	}
}

static int is_day_file(const char *name, int32_t *day)
{
	char d[16];

	if (strlen(name) != 14 || strcmp(name + 10, ".gfe"))
		return 0;
	memcpy(d, name, 10);
	d[10] = 0;
	*day = gf_ev_day_parse(d);
	return *day != INT32_MIN;
}

static void load(struct gf_evidence *ev, int32_t today)
{
	DIR *dir = opendir(ev->evdir);
	struct dirent *de;

	if (!dir)
		return;
	while ((de = readdir(dir))) {
		struct gf_ev_cell **cells;
		struct gf_ev_dayinfo info;
		size_t n;
		int32_t day;
		char path[4600], err[200];
		struct day *dd;

		if (!is_day_file(de->d_name, &day))
			continue;
		snprintf(path, sizeof(path), "%s/%s", ev->evdir, de->d_name);
		if (today - day >= ev->keep_days) {
			/* past what any window looks at: the disk stays bounded */
			if (!unlink(path))
				pr_info("evidence: %s is %d days old (state.evidence_days %d): removed\n",
					de->d_name, today - day, ev->keep_days);
			continue;
		}
		if (gf_ev_read_file(path, ev->fp, &info, &cells, &n, err, sizeof(err))) {
			reject(ev, de->d_name, err);
			continue;
		}
		if (info.day != day) {
			char other[16];

			gf_ev_day_str(info.day, other, sizeof(other));
			snprintf(err, sizeof(err), "holds the evidence of %s under another day's name", other);
			gf_ev_cells_free(cells, n);
			reject(ev, de->d_name, err);
			continue;
		}
		dd = day_get(ev, day, 1);
		if (!dd) {
			gf_ev_cells_free(cells, n);
			continue;
		}
		dd->generation = info.generation;
		dd->skipped = info.skipped;
		for (size_t i = 0; i < n; i++)
			if (cells_push(ev, cells[i]))
				cell_free(cells[i]);
		free(cells);
	}
	closedir(dir);
}

/* The key: configured, or STATE_DIR/evidence.key made once (0600). */
static int open_key(struct gf_evidence *ev, const uint8_t *key, char *err, size_t errlen)
{
	char path[4400], hex[64];
	uint8_t k[16];
	int fd, ret = 0;
	ssize_t n;
	struct stat st;

	if (key) {
		ev->key = gf_hll_key_new(key);
		snprintf(ev->key_source, sizeof(ev->key_source), "configured");
		goto done;
	}
	snprintf(ev->key_source, sizeof(ev->key_source), "%s", GF_EV_KEY_FILE);
	snprintf(path, sizeof(path), "%s/%s", ev->dir, GF_EV_KEY_FILE);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* first start: a key of our own, never to change (it would orphan the evidence) */
		if (getrandom(k, sizeof(k), 0) != sizeof(k)) {
			snprintf(err, errlen, "cannot draw a hash key: %s", strerror(errno));
			return -EIO;
		}
		for (int i = 0; i < 16; i++)
			snprintf(hex + 2 * i, 3, "%02x", k[i]);
		hex[32] = '\n';
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, hex, 33) != 33 || fsync(fd)) {
			ret = -errno;
			snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			explicit_bzero(hex, sizeof(hex));
			explicit_bzero(k, sizeof(k));
			return ret;
		}
		close(fd);
		explicit_bzero(hex, sizeof(hex));
		pr_info("evidence: made a new hash key in %s (0600); a fleet sets sampling.key instead\n",
			path);
		ev->key = gf_hll_key_new(k);
		explicit_bzero(k, sizeof(k));
		goto done;
	}
	if (fd < 0 || fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	if (!S_ISREG(st.st_mode) || (st.st_mode & 077)) {
		close(fd);
		snprintf(err, errlen, "%s must be a regular file of mode 0600 (it is %o): whoever "
			 "reads the key can test guesses of a value against the evidence; chmod 600 it",
			 path, st.st_mode & 07777);
		return -EPERM;
	}
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (n < 32) {
		snprintf(err, errlen, "%s is not 32 hex digits: restore it from backup (evidence made "
			 "with another key does not merge)", path);
		return -EINVAL;
	}
	for (int i = 0; i < 16; i++) {
		unsigned int v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
			explicit_bzero(hex, sizeof(hex));
			snprintf(err, errlen, "%s is not 32 hex digits", path);
			return -EINVAL;
		}
		k[i] = v;
	}
	explicit_bzero(hex, sizeof(hex));
	ev->key = gf_hll_key_new(k);
	explicit_bzero(k, sizeof(k));
done:
	if (!ev->key) {
		snprintf(err, errlen, "cannot set up the keyed hash (OpenSSL SipHash)");
		return -EIO;
	}
	ev->fp = gf_hll_key_fingerprint(ev->key);
	return 0;
}

int gf_ev_open(struct gf_evidence **out, const char *state_dir, const uint8_t *key, int keep_days,
	       gid_t group, char *err, size_t errlen)
{
	struct gf_evidence *ev = calloc(1, sizeof(*ev));
	int ret;

	if (!ev)
		return -ENOMEM;
	ev->group = group;
	ev->keep_days = keep_days > 0 ? keep_days : 400;
	if (!state_dir) {
		/* in memory only: the agent could not keep it on disk, and says why */
		ev->mem_only = 1;
		snprintf(ev->key_source, sizeof(ev->key_source), key ? "configured" : "random");
		ev->key = gf_hll_key_new(key);
		if (!ev->key) {
			free(ev);
			snprintf(err, errlen, "cannot set up the keyed hash (OpenSSL SipHash)");
			return -EIO;
		}
		ev->fp = gf_hll_key_fingerprint(ev->key);
		*out = ev;
		return 0;
	}
	snprintf(ev->dir, sizeof(ev->dir), "%s", state_dir);
	snprintf(ev->evdir, sizeof(ev->evdir), "%s/%s", state_dir, GF_EV_DIR);
	ev->group = group;
	ev->keep_days = keep_days > 0 ? keep_days : 400;
	ret = gf_dir_check(ev->dir, group, "state.dir", err, errlen);
	if (!ret)
		ret = gf_dir_check(ev->evdir, group, "state.dir", err, errlen);
	if (!ret)
		ret = open_key(ev, key, err, errlen);
	if (ret) {
		gf_ev_close(ev);
		return ret;
	}
	load(ev, gf_ev_day_of(time(NULL)));
	*out = ev;
	return 0;
}

void gf_ev_close(struct gf_evidence *ev)
{
	if (!ev)
		return;
	for (size_t i = 0; i < ev->ncells; i++)
		cell_free(ev->cells[i]);
	free(ev->cells);
	free(ev->tcells);
	free(ev->days);
	gf_hll_key_free(ev->key);
	free(ev);
}

uint64_t gf_ev_hash(struct gf_evidence *ev, const void *value, size_t len)
{
	return gf_hll_hash(ev->key, value, len);
}

uint64_t gf_ev_fingerprint(const struct gf_evidence *ev)
{
	return ev->fp;
}

const char *gf_ev_dir(const struct gf_evidence *ev)
{
	return ev->evdir;
}

static int tcells_push(struct gf_evidence *ev, struct gf_ev_cell *c)
{
	return ptr_push(&ev->tcells, &ev->ntcells, &ev->captcells, c);
}

/* A cell of day: from today's list (rebuilt once when the day changes), else all of them. */
static struct gf_ev_cell *find(struct gf_evidence *ev, int32_t day, int cat, const char *dest)
{
	if (day != ev->tday || !ev->tcells) {
		ev->tday = day;
		ev->ntcells = 0;
		for (size_t i = 0; i < ev->ncells; i++)
			if (ev->cells[i]->day == day && tcells_push(ev, ev->cells[i]))
				break;
		if (!ev->tcells)
			tcells_push(ev, NULL), ev->ntcells = 0;	/* built, if empty */
	}
	for (size_t i = 0; i < ev->ntcells; i++) {
		struct gf_ev_cell *c = ev->tcells[i];

		if (c->cat == cat && !strcmp(c->dest, dest))
			return c;
	}
	return NULL;
}

int gf_ev_add(struct gf_evidence *ev, time_t now, int cat, const char *dest, uint32_t rate,
	      uint64_t h)
{
	int32_t day = gf_ev_day_of(now);
	struct gf_ev_cell *c = find(ev, day, cat, dest);
	struct day *d = day_get(ev, day, 1);

	if (!d)
		return -ENOMEM;
	if (!rate)
		rate = 1;
	if (!c) {
		c = cell_new(day, cat, dest);
		if (!c || cells_push(ev, c)) {
			cell_free(c);
			return -ENOMEM;
		}
		if (day == ev->tday && tcells_push(ev, c)) {
			ev->cells[--ev->ncells] = NULL;
			cell_free(c);
			return -ENOMEM;
		}
		c->first = now;
		c->rate_min = c->rate_max = rate;
	}
	if (gf_bk_add(&c->bk, h, 1))
		return -ENOMEM;
	gf_hll_add(&c->hll, h);
	if (rate < c->rate_min)
		c->rate_min = rate;
	if (rate > c->rate_max)
		c->rate_max = rate;
	c->packets++;
	c->occurrences += rate;
	c->last = now;
	d->dirty = 1;
	return 0;
}

static int write_day(struct gf_evidence *ev, struct day *d, char *err, size_t errlen)
{
	struct buf b = { 0 };
	char name[32];
	uint32_t n = 0;
	size_t count_at;
	int ret;

	gf_ev_day_str(d->day, name, sizeof(name));
	strcat(name, ".gfe");
	put(&b, MAGIC, 8);
	put_u(&b, GF_EV_VERSION, 4);
	put_u(&b, (uint32_t)d->day, 4);
	put_u(&b, ev->fp, 8);
	put_u(&b, d->generation + 1, 8);
	put_u(&b, d->skipped, 8);
	count_at = b.len;
	put_u(&b, 0, 4);
	for (size_t i = 0; i < ev->ncells; i++)
		if (ev->cells[i]->day == d->day) {
			encode_cell(&b, ev->cells[i]);
			n++;
		}
	if (b.oom) {
		free(b.p);
		snprintf(err, errlen, "out of memory encoding %s", name);
		return -ENOMEM;
	}
	for (int i = 0; i < 4; i++)
		b.p[count_at + i] = n >> (8 * i);
	put_u(&b, (uint32_t)crc32(0, b.p, b.len), 4);
	ret = b.oom ? -ENOMEM : gf_file_write(ev->evdir, name, b.p, b.len, 0640, ev->group);
	free(b.p);
	if (ret) {
		snprintf(err, errlen, "cannot write %s/%s: %s", ev->evdir, name, strerror(-ret));
		return ret;
	}
	d->generation++;
	d->dirty = 0;
	return 0;
}

/*
 * Days older than keep_days leave memory and disk: an agent that runs for
 * years stays as bounded as one restarted daily.  Once a day.
 */
static void prune(struct gf_evidence *ev, int32_t today)
{
	size_t w = 0;

	if (ev->pruned == today)
		return;
	ev->pruned = today;
	for (size_t i = 0; i < ev->ncells; i++) {
		if (today - ev->cells[i]->day >= ev->keep_days)
			cell_free(ev->cells[i]);
		else
			ev->cells[w++] = ev->cells[i];
	}
	ev->ncells = w;
	ev->tday = INT32_MIN;	/* today's list is rebuilt from what is left */
	ev->ntcells = 0;
	w = 0;
	for (size_t i = 0; i < ev->ndays; i++) {
		char name[32], path[4300];

		if (today - ev->days[i].day < ev->keep_days) {
			ev->days[w++] = ev->days[i];
			continue;
		}
		if (ev->mem_only)
			continue;
		gf_ev_day_str(ev->days[i].day, name, sizeof(name));
		snprintf(path, sizeof(path), "%s/%s.gfe", ev->evdir, name);
		if (!unlink(path))
			pr_info("evidence: %s.gfe is %d days old (state.evidence_days %d): removed\n", name,
				today - ev->days[i].day, ev->keep_days);
	}
	ev->ndays = w;
}

int gf_ev_flush(struct gf_evidence *ev, char *err, size_t errlen)
{
	struct timespec a, b;
	int ret = 0;

	prune(ev, gf_ev_day_of(time(NULL)));
	if (ev->mem_only)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (size_t i = 0; i < ev->ndays; i++)
		if (ev->days[i].dirty) {
			int r = write_day(ev, &ev->days[i], err, errlen);

			ev->writes++;
			if (r) {
				ev->write_errors++;
				ret = r;
			}
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	ev->last_write_seconds = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	return ret;
}

void gf_ev_add_skipped(struct gf_evidence *ev, time_t now, uint64_t n)
{
	struct day *d;

	if (!n || !(d = day_get(ev, gf_ev_day_of(now), 1)))
		return;
	d->skipped += n;
	d->dirty = 1;
}

uint64_t gf_ev_skipped(const struct gf_evidence *ev, int32_t from, int32_t to)
{
	uint64_t n = 0;

	for (size_t i = 0; i < ev->ndays; i++)
		if (ev->days[i].day >= from && ev->days[i].day <= to)
			n += ev->days[i].skipped;
	return n;
}

void gf_ev_status(const struct gf_evidence *ev, struct gf_ev_status *st)
{
	DIR *dir = ev->mem_only ? NULL : opendir(ev->evdir);
	struct dirent *de;

	*st = (struct gf_ev_status){ .days = ev->ndays, .cells = ev->ncells, .writes = ev->writes,
				     .write_errors = ev->write_errors,
				     .last_write_seconds = ev->last_write_seconds,
				     .nrejected = ev->nrejected, .rejected = ev->rejected };
	snprintf(st->key_source, sizeof(st->key_source), "%s", ev->key_source);
	while (dir && (de = readdir(dir))) {
		struct stat s;
		int32_t day;

		if (is_day_file(de->d_name, &day) && !fstatat(dirfd(dir), de->d_name, &s, AT_SYMLINK_NOFOLLOW)) {
			st->files++;
			st->bytes += s.st_size;
		}
	}
	if (dir)
		closedir(dir);
}

/* --- windows ------------------------------------------------------------- */

static int cmp_key(const void *a, const void *b)
{
	const struct gf_ev_cell *x = *(const struct gf_ev_cell *const *)a,
				*y = *(const struct gf_ev_cell *const *)b;
	int r = x->cat - y->cat;

	return r ? r : strcmp(x->dest, y->dest);
}

/* (category, destination), then day */
static int cmp_key_day(const void *a, const void *b)
{
	const struct gf_ev_cell *x = *(const struct gf_ev_cell *const *)a,
				*y = *(const struct gf_ev_cell *const *)b;
	int r = cmp_key(a, b);

	return r ? r : (x->day > y->day) - (x->day < y->day);
}

int gf_ev_summarize(struct gf_ev_cell *const *cells, size_t n, int32_t from, int32_t to,
		    struct gf_ev_summary **out)
{
	struct gf_ev_cell **sel = malloc((n ? n : 1) * sizeof(*sel));
	const struct gf_bk **src = malloc((n ? n : 1) * sizeof(*src));
	struct gf_ev_summary *sum = NULL;
	size_t m = 0, ns = 0;

	*out = NULL;
	if (!sel || !src)
		goto oom;
	for (size_t i = 0; i < n; i++)
		if (cells[i]->day >= from && cells[i]->day <= to && cells[i]->packets)
			sel[m++] = cells[i];
	qsort(sel, m, sizeof(*sel), cmp_key_day);
	sum = calloc(m ? m : 1, sizeof(*sum));
	if (!sum)
		goto oom;
	for (size_t i = 0; i < m;) {
		struct gf_ev_summary *s = &sum[ns++];
		size_t j = i, nsrc = 0;
		struct gf_bk all;
		struct gf_profile p;
		int32_t last_day = INT32_MIN;
		uint64_t gw_seen[64] = { 0 };	/* gateways 0..4095 */
		int ngw = 0;

		*s = (struct gf_ev_summary){ .cat = sel[i]->cat, .first = INT64_MAX,
					     .rate_min = UINT32_MAX };
		snprintf(s->dest, sizeof(s->dest), "%s", sel[i]->dest);
		for (; j < m && !cmp_key(&sel[i], &sel[j]); j++) {
			const struct gf_ev_cell *c = sel[j];

			src[nsrc++] = &c->bk;
			s->packets += c->packets;
			s->occurrences += c->occurrences;
			if (c->first < s->first)
				s->first = c->first;
			if (c->last > s->last)
				s->last = c->last;
			if (c->rate_min < s->rate_min)
				s->rate_min = c->rate_min;
			if (c->rate_max > s->rate_max)
				s->rate_max = c->rate_max;
			s->days += c->day != last_day;	/* sorted by day within the key */
			last_day = c->day;
			if (c->gateway >= 0 && c->gateway < 64 * 64 &&
			    !(gw_seen[c->gateway / 64] & (1ull << (c->gateway % 64)))) {
				gw_seen[c->gateway / 64] |= 1ull << (c->gateway % 64);
				ngw++;
			}
		}
		s->gateways = ngw;
		gf_bk_init(&all, 0);
		if (gf_bk_union(&all, src, nsrc, GF_BK_UNION_MAX))
			goto oom;
		gf_profile_of(&p, &all);
		/* q: packets over the occurrences they stand for; the bound takes the sparsest rate */
		gf_estimate(&s->est, &p, s->occurrences > 0 ? s->packets / s->occurrences : 1,
			    1.0 / s->rate_max);
		s->seen = p.d;
		s->exact = p.exact;
		gf_bk_free(&all);
		i = j;
	}
	free(sel);
	free(src);
	*out = sum;
	return ns;
oom:
	free(sel);
	free(src);
	free(sum);
	return -ENOMEM;
}

int gf_ev_window(struct gf_evidence *ev, int32_t today, int days, struct gf_ev_summary **out)
{
	return gf_ev_summarize(ev->cells, ev->ncells, today - days + 1, today, out);
}

int gf_ev_read_dir(const char *evdir, int32_t from, int32_t to, struct gf_ev_cell ***cells_out,
		   size_t *nout, uint64_t *fingerprint, char **skipped, uint64_t *samples_skipped,
		   char *err, size_t errlen)
{
	struct file {
		struct gf_ev_cell **cells;
		size_t n;
		uint64_t fp, skipped;
	} *files = NULL;
	size_t nfiles = 0, total = 0, sklen = 0;
	struct { uint64_t fp; size_t files; } fps[16];
	int nfps = 0;
	struct dirent *de;
	DIR *dir = opendir(evdir);
	uint64_t best = 0;

	*cells_out = NULL;
	*nout = 0;
	*samples_skipped = 0;
	*skipped = calloc(1, 1);
	if (!dir) {
		snprintf(err, errlen, "cannot read %s: %s", evdir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(dir))) {
		struct gf_ev_cell **cells;
		struct gf_ev_dayinfo info;
		size_t n;
		int32_t day;
		char path[4400], e[256];
		struct file *nf;
		int rc;

		if (!is_day_file(de->d_name, &day) || day < from || day > to)
			continue;
		snprintf(path, sizeof(path), "%s/%s", evdir, de->d_name);
		rc = gf_ev_read_file(path, 0, &info, &cells, &n, e, sizeof(e));
		if (!rc && info.day != day) {
			gf_ev_cells_free(cells, n);
			snprintf(e, sizeof(e), "holds another day's evidence under this day's name");
			rc = -EINVAL;
		}
		if (rc) {
			char *sk = realloc(*skipped, sklen + strlen(de->d_name) + strlen(e) + 8);

			if (sk) {
				sklen += sprintf(sk + sklen, "%s%s: %s", sklen ? "; " : "", de->d_name, e);
				*skipped = sk;
			}
			continue;
		}
		nf = realloc(files, (nfiles + 1) * sizeof(*nf));
		if (!nf) {
			gf_ev_cells_free(cells, n);
			break;
		}
		files = nf;
		files[nfiles++] = (struct file){ cells, n, info.fingerprint, info.skipped };
		total += n;
	}
	closedir(dir);
	for (size_t i = 0; i < nfiles; i++) {
		int f;

		for (f = 0; f < nfps && fps[f].fp != files[i].fp; f++)
			;
		if (f == nfps && nfps < 16)
			fps[nfps++].fp = files[i].fp, fps[f].files = 0;
		if (f < nfps)
			fps[f].files++;
	}
	for (int f = 0, most = 0; f < nfps; f++)
		if ((int)fps[f].files > most) {
			most = fps[f].files;
			best = fps[f].fp;
		}
	*cells_out = calloc(total ? total : 1, sizeof(**cells_out));
	for (size_t i = 0; i < nfiles; i++) {
		if (files[i].fp != best || !*cells_out) {
			char *sk = realloc(*skipped, sklen + 128);

			if (sk && *cells_out) {
				sklen += sprintf(sk + sklen, "%sday %d: made with another hash key (%016llx)",
						 sklen ? "; " : "", files[i].n ? files[i].cells[0]->day : 0,
						 (unsigned long long)files[i].fp);
				*skipped = sk;
			}
			gf_ev_cells_free(files[i].cells, files[i].n);
			continue;
		}
		*samples_skipped += files[i].skipped;
		memcpy(*cells_out + *nout, files[i].cells, files[i].n * sizeof(*files[i].cells));
		*nout += files[i].n;
		free(files[i].cells);
	}
	free(files);
	*fingerprint = best;
	if (!*cells_out) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}
