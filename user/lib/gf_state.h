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

/* Write obj to dir/state.json atomically. */
int gf_state_write(const char *run_dir, json_object *obj);
/* Read it back; NULL with errno set if absent or unreadable. */
json_object *gf_state_read(const char *run_dir);

/* The same for any file of the run directory (dlp.json...). */
int gf_json_write(const char *run_dir, const char *name, json_object *obj);
json_object *gf_json_read(const char *run_dir, const char *name);

/* SHA-256 of a file as 64 hex characters; 0 or -errno. */
int gf_sha256_file(const char *path, char hex[65]);

/* Convenience getters on a parsed state: NULL / 0 when absent. */
const char *gf_state_str(json_object *o, const char *path);
long long gf_state_int(json_object *o, const char *path);

#endif
