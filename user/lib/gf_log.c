// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <bpf/libbpf.h>
#include "gf_log.h"

static enum gf_log_level log_max = GF_LOG_INFO;
static int log_prefix = 1;
static int libs_verbose;

void gf_log_set_level(enum gf_log_level max)
{
	log_max = max;
}

void gf_log_set_prefix(int on)
{
	log_prefix = on;
}

void gf_vlog(enum gf_log_level lvl, const char *fmt, va_list ap)
{
	if (lvl > log_max)
		return;
	if (log_prefix)
		fprintf(stderr, "<%d>", lvl);
	vfprintf(stderr, fmt, ap);
}

void gf_log(enum gf_log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gf_vlog(lvl, fmt, ap);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	enum gf_log_level lvl = level == LIBBPF_WARN ? GF_LOG_WARN :
				level == LIBBPF_INFO ? GF_LOG_INFO : GF_LOG_DEBUG;

	/* libbpf is chatty at INFO; only --verbose shows anything but warnings */
	if (!libs_verbose && lvl > GF_LOG_WARN)
		return 0;
	gf_vlog(lvl, fmt, ap);
	return 0;
}

void gf_log_route_libs(int verbose)
{
	libs_verbose = verbose;
	libbpf_set_print(libbpf_print);
}
