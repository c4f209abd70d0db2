// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the MaxMind DB reader (metadata, search-tree walk,
 * data records) on arbitrary bytes, through libmaxminddb as in production.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "gf_geo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct gf_geo g;
	char path[64], err[512];

	if (fd < 0)
		fd = memfd_create("fuzz.mmdb", 0);
	if (fd < 0 || ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (gf_geo_load(&g, GF_GEO_MMDB, path, NULL, NULL, err, sizeof(err)) == 0)
		gf_geo_free(&g);
	return 0;
}
