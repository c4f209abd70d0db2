// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "gf_file.h"

int gf_file_read_fd(int fd, char **buf, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap + 1);

	if (!b)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb = realloc(b, 2 * cap + 1);

			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			return -e;
		}
		if (!r)
			break;
		n += r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int gf_file_snapshot(const char *path, int *out, size_t *len)
{
	char buf[1 << 16];
	int in = open(path, O_RDONLY | O_CLOEXEC), fd, ret = 0;
	size_t n = 0;

	if (in < 0)
		return -errno;
	fd = memfd_create("geofence-input", MFD_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	for (;;) {
		ssize_t r = read(in, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ret = r < 0 ? -errno : 0;
			break;
		}
		for (ssize_t w = 0; w < r;) {
			ssize_t k = write(fd, buf + w, r - w);

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				ret = -errno;
				break;
			}
			w += k;
		}
		if (ret)
			break;
		n += r;
	}
	close(in);
	if (ret) {
		close(fd);
		return ret;
	}
	*out = fd;
	*len = n;
	return 0;
}
