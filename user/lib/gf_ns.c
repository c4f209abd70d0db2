// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#include "gf_ns.h"

static int orig_fd = -1;
static pthread_once_t orig_once = PTHREAD_ONCE_INIT;

static void remember_orig(void)
{
	orig_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
}

int gf_netns_enter(const char *name)
{
	char path[256];
	int fd, err = 0;

	pthread_once(&orig_once, remember_orig);
	if (!name || !*name)
		return orig_fd >= 0 && setns(orig_fd, CLONE_NEWNET) ? -errno : 0;
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET))
		err = -errno;
	close(fd);
	return err;
}
