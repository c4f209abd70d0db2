/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging to stderr with syslog priority prefixes ("<3>"), which journald
 * reads as the message priority.  libbpf/libxdp output goes through the
 * same logger (gf_log_route_libs).
 */
#ifndef GF_LOG_H
#define GF_LOG_H

#include <stdarg.h>

enum gf_log_level {
	GF_LOG_ERR = 3,
	GF_LOG_WARN = 4,
	GF_LOG_INFO = 6,
	GF_LOG_DEBUG = 7,
};

void gf_log_set_level(enum gf_log_level max);
void gf_log_set_prefix(int on);
void gf_log(enum gf_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gf_vlog(enum gf_log_level lvl, const char *fmt, va_list ap);
/* Route libbpf (and libxdp, when linked) messages through gf_log. */
void gf_log_route_libs(int verbose);
/*
 * While on, library warnings are logged at debug level: for probes whose
 * failure is expected and reported by the caller in its own words.
 */
void gf_log_libs_demote(int on);
/* libbpf/libxdp-style print callback body, shared by both routes. */
int gf_log_lib_vprint(int is_warn, int is_info, const char *fmt, va_list ap);

#define pr_err(...)	gf_log(GF_LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	gf_log(GF_LOG_WARN, __VA_ARGS__)
#define pr_info(...)	gf_log(GF_LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	gf_log(GF_LOG_DEBUG, __VA_ARGS__)

#endif
