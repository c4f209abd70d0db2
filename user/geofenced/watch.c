// SPDX-License-Identifier: GPL-2.0
/*
 * Watching the inputs: inotify on the directories of the configuration,
 * the lists and the sources, debounced into one reload.
 */
#include <errno.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "gf_log.h"
#include "agent.h"

/* ---------------------------------------------------------------------
 * Watching files: the directories, so that editors that write a new file
 * and rename it over the old one are seen too.
 */
static int watch_dir(const char *path_in_dir, int is_dir)
{
	char dir[PATH_MAX];
	const char *slash;
	int wd;

	if (is_dir) {
		snprintf(dir, sizeof(dir), "%s", path_in_dir);
	} else {
		slash = strrchr(path_in_dir, '/');
		if (!slash)
			snprintf(dir, sizeof(dir), ".");
		else
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path_in_dir) ?: 1, path_in_dir);
	}
	wd = inotify_add_watch(A.watch.ifd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
					   IN_DELETE | IN_ATTRIB);
	if (wd < 0)
		pr_warn("cannot watch %s for changes: %s (reload with SIGHUP or geofence reload)\n",
			dir, strerror(errno));
	return wd;
}

/*
 * Watch the directories of the running inputs.  The inotify descriptor
 * lives as long as the agent, so that no event is lost between reloads;
 * watching a directory twice gives the same watch, and directories no
 * longer used are dropped.
 */
void watch_inputs(void)
{
	int wd[GF_MAX_SOURCES + 4], n = 0;

	if (A.watch.ifd < 0) {
		A.watch.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (A.watch.ifd < 0) {
			pr_warn("inotify: %s: files are not watched\n", strerror(errno));
			return;
		}
	}
	wd[n++] = watch_dir(A.config_path, 0);
	if (A.cur) {
		wd[n++] = watch_dir(A.cur->cfg.countries_dir, 1);
		if (A.cur->cfg.overrides_dir[0])
			wd[n++] = watch_dir(A.cur->cfg.overrides_dir, 1);
		for (int i = 0; i < A.cur->cfg.nsources; i++)
			wd[n++] = watch_dir(A.cur->cfg.sources[i].path, 0);
		if (A.cur->cfg.asn_path[0])
			wd[n++] = watch_dir(A.cur->cfg.asn_path, 0);
	}
	for (int i = 0; i < A.watch.nwd; i++) {
		int used = 0;

		for (int j = 0; j < n; j++)
			used |= wd[j] == A.watch.wd[i];
		if (!used && A.watch.wd[i] >= 0)
			inotify_rm_watch(A.watch.ifd, A.watch.wd[i]);
	}
	memcpy(A.watch.wd, wd, sizeof(wd));
	A.watch.nwd = n;
}

/* Is this event about one of our inputs? */
int relevant(const struct inotify_event *e)
{
	size_t n;

	if (!e->len)
		return 0;
	if (!strcmp(e->name, path_base(A.config_path)))
		return 1;
	n = strlen(e->name);
	if (n > 5 && !strcmp(e->name + n - 5, ".list"))
		return 1;
	for (int i = 0; A.cur && i < A.cur->cfg.nsources; i++)
		if (!strcmp(e->name, path_base(A.cur->cfg.sources[i].path)))
			return 1;
	if (A.cur && A.cur->cfg.asn_path[0] && !strcmp(e->name, path_base(A.cur->cfg.asn_path)))
		return 1;
	return 0;
}

void arm_debounce(void)
{
	struct itimerspec its = { .it_value = { .tv_sec = 0, .tv_nsec = DEBOUNCE_MS * 1000000L } };

	timerfd_settime(A.watch.tfd, 0, &its, NULL);
}

/* Forget the changes seen so far: a reload is about to read the files. */
void drain_changes(void)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct itimerspec off = { 0 };

	if (A.watch.ifd >= 0)
		while (read(A.watch.ifd, buf, sizeof(buf)) > 0)
			;
	if (A.watch.tfd >= 0)
		timerfd_settime(A.watch.tfd, 0, &off, NULL);
}
