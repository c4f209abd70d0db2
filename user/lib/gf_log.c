// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "gf_log.h"
#include "gf_text.h"

static enum gf_log_level log_max = GF_LOG_INFO;
static int log_prefix = 1;
static int libs_verbose;
static int libs_demote;

void gf_log_set_level(enum gf_log_level max)
{
	log_max = max;
}

void gf_log_set_prefix(int on)
{
	log_prefix = on;
}

/*
 * Messages carry words from files others wrote (a list's line, a
 * database's metadata): what could steer the terminal or forge a line is
 * escaped here, whoever built the message.  Newlines stay, for the
 * libraries' multi-line logs.
 */
void gf_vlog(enum gf_log_level lvl, const char *fmt, va_list ap)
{
	char *msg = NULL, *safe;
	int n;

	if (lvl > log_max)
		return;
	n = vasprintf(&msg, fmt, ap);
	if (n < 0)
		return;
	safe = malloc((size_t)n * 4 + 1);
	if (safe)
		gf_escape(msg, n, safe, (size_t)n * 4 + 1, 1);
	if (log_prefix)
		fprintf(stderr, "<%d>", lvl);
	fputs(safe ? safe : "(out of memory)\n", stderr);
	free(safe);
	free(msg);
}

void gf_log(enum gf_log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gf_vlog(lvl, fmt, ap);
	va_end(ap);
}

void gf_log_libs_demote(int on)
{
	libs_demote = on;
}

int gf_log_lib_vprint(int is_warn, int is_info, const char *fmt, va_list ap)
{
	enum gf_log_level lvl = is_warn ? GF_LOG_WARN : is_info ? GF_LOG_INFO : GF_LOG_DEBUG;

	if (libs_demote)
		lvl = GF_LOG_DEBUG;
	/* the libraries are chatty at INFO; only --verbose shows more than warnings */
	if (!libs_verbose && lvl > GF_LOG_WARN)
		return 0;
	gf_vlog(lvl, fmt, ap);
	return 0;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return gf_log_lib_vprint(level == LIBBPF_WARN, level == LIBBPF_INFO, fmt, ap);
}

void gf_log_route_libs(int verbose)
{
	libs_verbose = verbose;
	if (verbose)
		gf_log_set_level(GF_LOG_DEBUG);
	libbpf_set_print(libbpf_print);
}
