/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the agent tells the CLI and operators about itself, besides the
 * pinned maps: RUN_DIR/state.json (pid, interfaces and attach modes,
 * sources and their hashes, table sizes, policy, the last reload).  Written
 * whole to a temporary file and renamed, so readers never see half of it.
 */
#ifndef GF_STATE_H
#define GF_STATE_H

#include <json-c/json.h>
#include <stddef.h>

#define GF_STATE_FILE "state.json"

#include <sys/types.h>

/*
 * Write obj to dir/state.json atomically: a new file of a random name
 * (O_EXCL, so that nothing planted is followed), mode 0640 and group
 * (gid_t -1: the agent's own), renamed over the old one.  0 or -errno.
 */
int gf_state_write(const char *run_dir, json_object *obj, gid_t group);
/* Read it back; NULL with errno set if absent or unreadable (EACCES: not allowed). */
json_object *gf_state_read(const char *run_dir);

/*
 * Any file, the same way: a new file of a random name, mode and group set,
 * written whole, fsync'd, renamed over name, the directory fsync'd.
 */
int gf_file_write(const char *dir, const char *name, const void *data, size_t len, mode_t mode,
		  gid_t group);
/* The same for any file of the run directory (dlp.json...). */
int gf_json_write(const char *run_dir, const char *name, json_object *obj, gid_t group);
json_object *gf_json_read(const char *run_dir, const char *name);

/*
 * A directory the agent writes into or keeps its pins in: created (mode
 * 0750, group if not -1) where missing, then checked with its parents as
 * sshd's StrictModes checks a home directory: each must be a directory
 * owned by root or the agent's user and writable by nobody else; a parent
 * owned by root with the sticky bit (/tmp) passes, since nobody else can
 * replace what lies in it.  what names the setting for the message.  0, or
 * -errno with the reason and what to do in err.
 */
int gf_dir_check(const char *dir, gid_t group, const char *what, char *err, size_t errlen);

/*
 * The first line of a small file (/proc, /sys), printf-style path: buf
 * gets it ("" if the file is empty); 0, or -errno if it cannot be opened.
 */
int gf_file_line(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* SHA-256 of a file as 64 hex characters; 0 or -errno. */
int gf_sha256_file(const char *path, char hex[65]);

/* Convenience getters on a parsed state: NULL / 0 when absent. */
const char *gf_state_str(json_object *o, const char *path);
long long gf_state_int(json_object *o, const char *path);

#endif
