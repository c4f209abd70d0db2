// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gf_state.h"

int gf_state_write(const char *dir, json_object *obj)
{
	return gf_json_write(dir, GF_STATE_FILE, obj);
}

int gf_json_write(const char *dir, const char *name, json_object *obj)
{
	char tmp[4096], path[4096];
	const char *text;
	int fd, err = 0;
	size_t len;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.%d", dir, name, getpid());
	text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(text);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd))
		err = -errno;
	close(fd);
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
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

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, R_OK))
		return NULL;
	o = json_object_from_file(path);
	if (!o)
		errno = EINVAL;
	return o;
}

int gf_sha256_file(const char *path, char hex[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	struct stat st;
	void *map = NULL;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	if (st.st_size) {
		map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			err = -errno;
			goto out;
		}
	}
	if (!EVP_Digest(map ? map : "", st.st_size, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		err = -EIO;
	for (int i = 0; !err && i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	if (map)
		munmap(map, st.st_size);
out:
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
