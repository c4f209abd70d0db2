// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "gf_state.h"

int gf_state_write(const char *dir, json_object *obj, gid_t group)
{
	return gf_json_write(dir, GF_STATE_FILE, obj, group);
}

/* A name nobody can guess for the temporary copy. */
static void tmp_name(char *buf, size_t len, const char *name)
{
	unsigned char r[8] = { 0 };

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		clock_gettime(CLOCK_MONOTONIC, (struct timespec *)r);
	snprintf(buf, len, ".%s.%02x%02x%02x%02x%02x%02x%02x%02x", name, r[0], r[1], r[2], r[3], r[4],
		 r[5], r[6], r[7]);
}

int gf_file_write(const char *dir, const char *name, const void *data, size_t len, mode_t mode,
		  gid_t group)
{
	char tmp[256];
	int dfd, fd = -1, err = 0;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	/* O_EXCL: a symlink or file planted under the name is never followed or reused */
	for (int i = 0; i < 8 && fd < 0; i++) {
		tmp_name(tmp, sizeof(tmp), name);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		err = -errno;
		close(dfd);
		return err;
	}
	if ((group != (gid_t)-1 && fchown(fd, -1, group)) || fchmod(fd, mode))
		err = -errno;
	for (size_t off = 0; !err && off < len;) {
		ssize_t w = write(fd, (const char *)data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			err = w < 0 ? -errno : -EIO;
		else
			off += w;
	}
	if (!err && fsync(fd))
		err = -errno;
	close(fd);
	/* rename replaces whatever the name is, a symlink included, without following it */
	if (!err && renameat(dfd, tmp, dfd, name))
		err = -errno;
	if (err)
		unlinkat(dfd, tmp, 0);
	else
		fsync(dfd);	/* the rename itself survives a power cut */
	close(dfd);
	return err;
}

int gf_json_write(const char *dir, const char *name, json_object *obj, gid_t group)
{
	const char *text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(text);
	char *buf = malloc(len + 1);
	int err;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, text, len);
	buf[len] = '\n';
	err = gf_file_write(dir, name, buf, len + 1, 0640, group);
	free(buf);
	return err;
}

json_object *gf_state_read(const char *dir)
{
	return gf_json_read(dir, GF_STATE_FILE);
}

json_object *gf_json_read(const char *dir, const char *name)
{
	char path[4096];
	json_object *o;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	o = json_object_from_fd(fd);
	close(fd);
	if (!o)
		errno = EINVAL;
	return o;
}

/* One path component: a directory nobody but root and us can change. */
static int dir_ok(const char *path, int last, const char *what, const char *dir, char *err,
		  size_t errlen)
{
	struct stat st;
	uid_t me = geteuid();

	if (lstat(path, &st)) {
		int e = errno;

		snprintf(err, errlen, "%s %s: %s: %s", what, dir, path, strerror(e));
		return -e;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s %s: %s is not a directory", what, dir, path);
		return -ENOTDIR;
	}
	if (st.st_uid != 0 && st.st_uid != me) {
		snprintf(err, errlen, "%s %s: %s belongs to uid %u, not to root or the agent's user: "
			 "another user could replace what the agent writes there; use a directory "
			 "owned by root", what, dir, path, (unsigned)st.st_uid);
		return -EPERM;
	}
	if (last && st.st_uid != me) {
		snprintf(err, errlen, "%s %s: owned by uid %u, not the agent's user (%u): chown it, "
			 "or let the agent create it", what, dir, (unsigned)st.st_uid, (unsigned)me);
		return -EPERM;
	}
	if ((st.st_mode & 022) && !(!last && st.st_uid == 0 && (st.st_mode & S_ISVTX))) {
		snprintf(err, errlen, "%s %s: %s is writable by %s (mode %04o): another user could "
			 "plant files or links the agent would write through; chmod go-w %s, or choose "
			 "a directory only root can write", what, dir, path,
			 st.st_mode & 002 ? "everyone" : "its group", (unsigned)(st.st_mode & 07777), path);
		return -EPERM;
	}
	return 0;
}

/* path (real) and every parent up to /; path itself is the target if last. */
static int check_chain(const char *path, int last, const char *what, const char *dir, char *err,
		       size_t errlen)
{
	char real[PATH_MAX], *slash;
	int ret;

	/* the real path: a link to a directory is judged by where it leads */
	if (!realpath(path, real)) {
		ret = -errno;
		snprintf(err, errlen, "%s %s: %s: %s", what, dir, path, strerror(errno));
		return ret;
	}
	if ((ret = dir_ok(real, last, what, dir, err, errlen)))
		return ret;
	for (slash = strrchr(real, '/'); slash; slash = strrchr(real, '/')) {
		*slash = '\0';
		if ((ret = dir_ok(real[0] ? real : "/", 0, what, dir, err, errlen)))
			return ret;
		if (!real[0])
			break;
	}
	return 0;
}

int gf_dir_check(const char *dir, gid_t group, const char *what, char *err, size_t errlen)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct stat st;
	size_t n;
	int ret;

	if (dir[0] != '/' || strlen(dir) >= sizeof(path)) {
		snprintf(err, errlen, "%s %s: must be an absolute path", what, dir);
		return -EINVAL;
	}
	if (stat(dir, &st) && errno == ENOENT) {
		/* what exists is checked before anything is made in it */
		snprintf(path, sizeof(path), "%s", dir);
		do {
			n = strrchr(path, '/') - path;
			path[n ? n : 1] = '\0';
		} while (stat(path, &st) && errno == ENOENT && n);
		if ((ret = check_chain(path, 0, what, dir, err, errlen)))
			return ret;
		/* the missing parents as root would make them; the directory itself 0750 */
		snprintf(path, sizeof(path), "%s", dir);
		for (char *p = path + 1; (p = strchr(p, '/')); p++) {
			*p = '\0';
			if (mkdir(path, 0755) && errno != EEXIST) {
				ret = -errno;
				snprintf(err, errlen, "%s %s: cannot create %s: %s", what, dir, path,
					 strerror(errno));
				return ret;
			}
			*p = '/';
		}
		if (mkdir(dir, 0750) && errno != EEXIST) {
			ret = -errno;
			snprintf(err, errlen, "%s %s: cannot create it: %s", what, dir, strerror(errno));
			return ret;
		}
	}
	if ((ret = check_chain(dir, 1, what, dir, err, errlen)))
		return ret;
	if (group != (gid_t)-1) {
		/* members of the group read state.json and dlp.json: they need to enter */
		if (!realpath(dir, real) || chown(real, -1, group) || stat(real, &st) ||
		    ((st.st_mode & 0050) != 0050 && chmod(real, (st.st_mode & 07777) | 0050))) {
			ret = -errno;
			snprintf(err, errlen, "%s %s: cannot give it to group %u: %s (the service needs "
				 "CAP_CHOWN or SupplementaryGroups= of that group)", what, dir,
				 (unsigned)group, strerror(errno));
			return ret;
		}
	}
	return 0;
}

int gf_sha256_file(const char *path, char hex[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32], buf[1 << 16];
	unsigned int mdlen = 0;
	int fd, err = 0;
	ssize_t n;

	/* read, not mapped: a file rewritten in place under us must not end the agent (SIGBUS) */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		err = fd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || !EVP_DigestUpdate(ctx, buf, n)) {
			err = n < 0 ? -errno : -EIO;
			goto out;
		}
	}
	if (!EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32)
		err = -EIO;
	for (int i = 0; !err && i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
out:
	EVP_MD_CTX_free(ctx);
	if (fd >= 0)
		close(fd);
	return err;
}

/* "a.b.c": nested keys */
static json_object *get_path(json_object *o, const char *path)
{
	char key[128];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n + (path[n] == '.');
	}
	return o;
}

const char *gf_state_str(json_object *o, const char *path)
{
	json_object *v = get_path(o, path);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

long long gf_state_int(json_object *o, const char *path)
{
	json_object *v = get_path(o, path);

	return v ? json_object_get_int64(v) : 0;
}

int gf_file_line(char *buf, size_t len, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	buf[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	return 0;
}
