// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "gf_ranges.h"
#include "gf_sanity.h"
#include "gf_agent_state.h"
#include "gf_state.h"
#include "gf_update.h"
#include "gf_world.h"

struct sink {
	FILE *f;
	EVP_MD_CTX *md;
	long long n, max;
	char *mem;		/* for the checksum file: in memory */
	size_t memlen;
};

static size_t on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t len = size * nmemb;

	if (s->n + (long long)len > s->max)
		return 0;	/* past update.max_bytes: curl aborts the transfer */
	s->n += len;
	if (s->md)
		EVP_DigestUpdate(s->md, p, len);
	if (s->f)
		return fwrite(p, 1, len, s->f) == len ? len : 0;
	if (s->memlen + len < 4096) {
		memcpy(s->mem + s->memlen, p, len);
		s->memlen += len;
		s->mem[s->memlen] = 0;
	}
	return len;
}

/* GET url into s: 0, or -EIO with curl's reason and the HTTP status in err. */
static int fetch(const struct gf_config *c, const char *url, struct sink *s, char *err, size_t errlen)
{
	char cerr[CURL_ERROR_SIZE] = "";
	CURL *h = curl_easy_init();
	CURLcode rc;
	long status = 0;

	if (!h) {
		snprintf(err, errlen, "cannot start libcurl");
		return -ENOMEM;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	/* HTTPS only, redirects included: data that decides what is blocked */
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);	/* less than 1 KiB/s for a minute: give up */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s->max);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "geofence-update");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (c->upd_ca[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, c->upd_ca);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s: %s%s%s", url, cerr[0] ? cerr : curl_easy_strerror(rc),
			 rc == CURLE_WRITE_ERROR && s->n >= s->max ? " (larger than update.max_bytes)" : "",
			 rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ?
				 " (set update.ca_file for a private CA)" : "");
		return -EIO;
	}
	return 0;
}

static void hex(const unsigned char *md, char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* A gzip (by its magic) unpacked into a new file beside it: 0, or -errno. */
static int gunzip(const char *in, const char *out, long long max, long long *n, char *err, size_t errlen)
{
	gzFile g = gzopen(in, "rb");
	FILE *f = fopen(out, "wbx");
	char buf[65536];
	int r, ret = 0;

	*n = 0;
	if (!g || !f) {
		snprintf(err, errlen, "cannot unpack: %s", strerror(errno));
		ret = -EIO;
		goto out;
	}
	while ((r = gzread(g, buf, sizeof(buf))) > 0) {
		*n += r;
		if (*n > max || fwrite(buf, 1, r, f) != (size_t)r) {
			snprintf(err, errlen, *n > max ? "unpacked, larger than update.max_bytes" :
				 "cannot write the unpacked file");
			ret = *n > max ? -EBADMSG : -EIO;
			goto out;
		}
	}
	if (r < 0) {
		int e;

		snprintf(err, errlen, "the gzip is corrupt: %s", gzerror(g, &e));
		ret = -EBADMSG;
	}
out:
	if (g)
		gzclose(g);
	if (f && (fflush(f) || fsync(fileno(f))) && !ret)
		ret = -errno;
	if (f)
		fclose(f);
	return ret;
}

/* The checksum the download must have: configured, or published beside the file ("" for none). */
static int wanted_sha256(const struct gf_config *c, char want[65], char *err, size_t errlen)
{
	char mem[4096] = "";
	struct sink k = { .max = 4095, .mem = mem };
	int ret;

	want[0] = 0;
	if (c->upd_sha256[0]) {
		snprintf(want, 65, "%s", c->upd_sha256);
		return 0;
	}
	if (!c->upd_sha256_url[0])
		return 0;
	ret = fetch(c, c->upd_sha256_url, &k, err, errlen);
	if (ret)
		return ret;
	for (int i = 0; i < 64 && isxdigit((unsigned char)mem[i]); i++) {
		want[i] = tolower((unsigned char)mem[i]);
		want[i + 1] = 0;
	}
	if (strlen(want) != 64) {
		snprintf(err, errlen, "%s does not start with a SHA-256 (64 hex digits)", c->upd_sha256_url);
		return -EBADMSG;
	}
	return 0;
}

/* update.url into a new file in dir (its name in tmp), size-capped, checked against the checksum. */
static int download(const struct gf_config *c, const char *dir, char *tmp, size_t tmplen, struct gf_update_result *r,
		    char *err, size_t errlen)
{
	struct sink s = { .max = c->upd_max_bytes };
	char want[65], got[65];
	unsigned char md[32];
	unsigned int mdlen = 0;
	int fd, ret;

	snprintf(tmp, tmplen, "%s/.geofence-update-XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file in %s: %s", dir, strerror(errno));
		tmp[0] = 0;
		return -errno;
	}
	fchmod(fd, 0644);
	s.f = fdopen(fd, "wb");
	s.md = EVP_MD_CTX_new();
	if (!s.f || !s.md || !EVP_DigestInit_ex(s.md, EVP_sha256(), NULL)) {
		snprintf(err, errlen, "out of memory");
		if (s.f)
			fclose(s.f);
		else
			close(fd);
		EVP_MD_CTX_free(s.md);
		return -ENOMEM;
	}
	ret = fetch(c, c->upd_url, &s, err, errlen);
	if (!ret && (fflush(s.f) || fsync(fileno(s.f))))
		ret = -errno;
	fclose(s.f);
	if (!ret) {
		r->downloaded = s.n;
		r->bytes = s.n;
		EVP_DigestFinal_ex(s.md, md, &mdlen);
		hex(md, got);
	}
	EVP_MD_CTX_free(s.md);
	if (!ret)
		ret = wanted_sha256(c, want, err, errlen);
	if (!ret && want[0] && strcmp(want, got)) {
		snprintf(err, errlen, "checksum mismatch: %s has SHA-256 %s, expected %s", c->upd_url, got, want);
		ret = -EBADMSG;
	}
	return ret;
}

/* A .gz (by its magic, whatever the name says) is unpacked beside it; tmp then names the unpacked file. */
static int unpack(const struct gf_config *c, char *tmp, size_t tmplen, struct gf_update_result *r, char *err,
		  size_t errlen)
{
	unsigned char magic[2] = { 0, 0 };
	char unz[PATH_MAX + 48];
	FILE *mf = fopen(tmp, "rb");
	int ret;

	if (mf) {
		if (fread(magic, 1, 2, mf) != 2)
			magic[0] = 0;
		fclose(mf);
	}
	if (magic[0] != 0x1f || magic[1] != 0x8b)
		return 0;
	snprintf(unz, sizeof(unz), "%s.mmdb", tmp);
	ret = gunzip(tmp, unz, c->upd_max_bytes, &r->bytes, err, errlen);
	unlink(tmp);
	snprintf(tmp, tmplen, "%s", unz);
	return ret;
}

/* Read the sources as the agent will, the new file in update.path's place; 0 or -EBADMSG. */
static int load_as_agent(const struct gf_config *c, const char *tmp, struct gf_world *w, struct gf_update_result *r,
			 char *err, size_t errlen)
{
	struct gf_source_spec specs[GF_MAX_SOURCES];
	struct gf_rs o4, o6;
	char e[1024];
	int idx = -1, ret;

	for (int i = 0; i < c->nsources; i++) {
		specs[i] = c->sources[i];
		if (specs[i].kind == GF_GEO_MMDB && !strcmp(specs[i].path, c->upd_path)) {
			specs[i].path = tmp;
			idx = i;
		}
	}
	gf_rs_init(&o4, 4);
	gf_rs_init(&o6, 6);
	ret = gf_world_load(w, specs, c->nsources, &c->geo, &o4, &o6, e, sizeof(e));
	gf_rs_free(&o4);
	gf_rs_free(&o6);
	if (ret) {
		/* the reader names the file it read: the temporary name means nothing to anyone */
		char *at = strstr(e, tmp), msg[2048];

		if (at)
			snprintf(msg, sizeof(msg), "%.*s%s%s", (int)(at - e), e, c->upd_url, at + strlen(tmp));
		else
			snprintf(msg, sizeof(msg), "%s", e);
		snprintf(err, errlen, "the download is not usable: %s", msg);
		return -EBADMSG;
	}
	if (idx >= 0) {
		r->build_epoch = w->srcs[idx].build_epoch;
		r->networks = w->srcs[idx].networks;
	}
	return 0;
}

/* Not older than what runs (a stale mirror would roll the data back), and the reload's sanity check. */
static int judge(const struct gf_config *c, const struct gf_agent_state *state, struct gf_world *w,
		 struct gf_update_result *r, char *err, size_t errlen)
{
	const char *named[GF_CLASS_COUNTRY_END] = { 0 };
	struct gf_coverage prev, next;
	struct gf_countries *cs;
	int have_prev, ret;
	char e[1024];

	for (int i = 0; state && i < state->nsources; i++) {
		const struct gf_st_source *x = &state->sources[i];

		if (!strcmp(x->path ?: "", c->upd_path) && (uint64_t)x->build_epoch > r->build_epoch) {
			snprintf(err, errlen, "the download's data (built %llu) is older than the running "
				 "data (built %lld): not installed", (unsigned long long)r->build_epoch,
				 x->build_epoch);
			return -EBADMSG;
		}
	}
	gf_coverage_of(w, &next);
	have_prev = state && state->coverage && !gf_coverage_from_json(state->coverage, &prev);
	cs = calloc(1, sizeof(*cs));
	if (cs && !gf_countries_load(c->countries_dir, cs, e, sizeof(e)))
		for (int cls = GF_CLASS_COUNTRY_BASE; cls < GF_CLASS_COUNTRY_END; cls++)
			named[cls] = cs->rule[cls].action >= 0 ? cs->rule[cls].origin : NULL;
	ret = gf_sanity_check(have_prev ? &prev : NULL, &next, named, &c->sanity, e, sizeof(e), r->note,
			      sizeof(r->note));
	free(cs);
	if (ret) {
		snprintf(err, errlen, "the download fails the data sanity check: %s", e);
		return -EBADMSG;
	}
	return 0;
}

/* rename(2) over update.path, the directory synced: the only step a reader can see. */
static int install(const struct gf_config *c, const char *dir, const char *tmp, struct gf_update_result *r,
		   char *err, size_t errlen)
{
	int fd;

	if (gf_sha256_file(tmp, r->sha256) || rename(tmp, c->upd_path)) {
		snprintf(err, errlen, "cannot put it in place as %s: %s", c->upd_path, strerror(errno));
		return -errno;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

int gf_update_run(const struct gf_config *c, const struct gf_agent_state *state, struct gf_update_result *r, char *err,
		  size_t errlen)
{
	char dirbuf[PATH_MAX], *dir, tmp[PATH_MAX + 48] = "";
	struct gf_world w = { 0 };
	struct timespec t0, t1;
	int ret;

	memset(r, 0, sizeof(*r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(dirbuf, sizeof(dirbuf), "%s", c->upd_path);
	dir = dirname(dirbuf);
	ret = download(c, dir, tmp, sizeof(tmp), r, err, errlen);
	if (!ret)
		ret = unpack(c, tmp, sizeof(tmp), r, err, errlen);
	if (!ret)
		ret = load_as_agent(c, tmp, &w, r, err, errlen);
	if (!ret)
		ret = judge(c, state, &w, r, err, errlen);
	gf_world_free(&w);
	if (!ret)
		ret = install(c, dir, tmp, r, err, errlen);
	if (ret) {
		if (tmp[0])
			unlink(tmp);
		return ret < 0 ? ret : -EIO;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	return 0;
}
