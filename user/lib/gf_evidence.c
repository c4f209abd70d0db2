// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence store: the agent's cells of (day, category, destination),
 * the hash key they are made with, one file per day written atomically,
 * loaded at start, pruned past state.evidence_days.  The file format is
 * gf_ev_file.c's, the windows' sums gf_ev_summary.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gf_dlp.h"
#include "gf_ev_file.h"
#include "gf_evidence.h"
#include "gf_log.h"
#include "gf_state.h"

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

		if (!gf_ev_is_day_file(de->d_name, &day))
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
				gf_ev_cell_free(cells[i]);
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
		gf_ev_cell_free(ev->cells[i]);
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
		c = gf_ev_cell_new(day, cat, dest);
		if (!c || cells_push(ev, c)) {
			gf_ev_cell_free(c);
			return -ENOMEM;
		}
		if (day == ev->tday && tcells_push(ev, c)) {
			ev->cells[--ev->ncells] = NULL;
			gf_ev_cell_free(c);
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
	struct gf_ev_dayinfo info = { d->day, ev->fp, d->generation + 1, d->skipped };
	uint8_t *bytes;
	char name[32];
	size_t len;
	int ret;

	gf_ev_day_str(d->day, name, sizeof(name));
	strcat(name, ".gfe");
	if (gf_ev_encode(&info, ev->cells, ev->ncells, &bytes, &len)) {
		snprintf(err, errlen, "out of memory encoding %s", name);
		return -ENOMEM;
	}
	ret = gf_file_write(ev->evdir, name, bytes, len, 0640, ev->group);
	free(bytes);
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
			gf_ev_cell_free(ev->cells[i]);
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

		if (gf_ev_is_day_file(de->d_name, &day) && !fstatat(dirfd(dir), de->d_name, &s, AT_SYMLINK_NOFOLLOW)) {
			st->files++;
			st->bytes += s.st_size;
		}
	}
	if (dir)
		closedir(dir);
}

/* --- windows ------------------------------------------------------------- */

int gf_ev_window(struct gf_evidence *ev, int32_t today, int days, struct gf_ev_summary **out)
{
	return gf_ev_summarize(ev->cells, ev->ncells, today - days + 1, today, out);
}
