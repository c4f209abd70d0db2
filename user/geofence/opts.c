// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "opts.h"

#define MAX_OPTS 32
#define VAL0 256	/* getopt values of the table's options: VAL0 + index */

static int count(const struct cli_opt *opts)
{
	int n = 0;

	while (opts && opts[n].name)
		n++;
	return n;
}

static int is_choice(const char *choices, const char *arg)
{
	size_t n = strlen(arg);

	for (const char *c = choices; c && *c;) {
		const char *bar = strchr(c, '|');
		size_t len = bar ? (size_t)(bar - c) : strlen(c);

		if (len == n && !strncmp(c, arg, n))
			return 1;
		c = bar ? bar + 1 : NULL;
	}
	return 0;
}

/* One option's value into its destination: 0, or -1 with the reason in err. */
static int take(const struct cli_opt *o, const char *arg, char *err, size_t errlen)
{
	char *end;

	switch (o->type) {
	case CLI_FLAG:
		*(int *)o->dst = 1;
		return 0;
	case CLI_STR:
		*(const char **)o->dst = arg;
		return 0;
	case CLI_CHOICE:
		if (!is_choice(o->choices, arg)) {
			snprintf(err, errlen, "'%s' is not one of %s", arg, o->choices);
			return -1;
		}
		*(const char **)o->dst = arg;
		return 0;
	case CLI_CALL:
		return o->call(arg, err, errlen) ? -1 : 0;
	case CLI_INT: {
		long long v;

		errno = 0;
		v = strtoll(arg, &end, 10);
		if (errno || end == arg || *end) {
			snprintf(err, errlen, "'%s' is not a whole number", arg);
			return -1;
		}
		if (v < o->min || v > o->max) {
			snprintf(err, errlen, "%lld is out of range (%.0f to %.0f)", v, o->min, o->max);
			return -1;
		}
		*(long long *)o->dst = v;
		return 0;
	}
	case CLI_DOUBLE: {
		double v;

		errno = 0;
		v = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(v)) {
			snprintf(err, errlen, "'%s' is not a number", arg);
			return -1;
		}
		if (v < o->min || v > o->max) {
			snprintf(err, errlen, "%g is out of range (%g to %g)", v, o->min, o->max);
			return -1;
		}
		*(double *)o->dst = v;
		return 0;
	}
	}
	return -1;
}

int cli_parse(const char *cmd, const struct cli_opt *opts, int argc, char **argv, int stop)
{
	struct option lo[MAX_OPTS + 2];
	int n = count(opts), ch, idx, k = 0;
	char err[256], shorts[2 * MAX_OPTS + 4];

	if (n > MAX_OPTS)
		abort();	/* a table longer than the parser: a programming error */
	for (int i = 0; i < n; i++)
		lo[i] = (struct option){ opts[i].name,
					 opts[i].type == CLI_FLAG ? no_argument : required_argument, NULL,
					 VAL0 + i };
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n + 1] = (struct option){ 0 };
	if (stop)
		shorts[k++] = '+';
	shorts[k++] = 'h';
	for (int i = 0; i < n; i++)
		if (opts[i].short_name) {
			shorts[k++] = opts[i].short_name;
			if (opts[i].type != CLI_FLAG)
				shorts[k++] = ':';
		}
	shorts[k] = '\0';
	optind = 0;	/* 0, not 1: glibc then reads optstring's '+' again (the global parse stops, a command's does not) */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shorts, lo, &idx)) != -1) {
		for (int i = 0; i < n && ch < VAL0; i++)
			if (ch == opts[i].short_name)
				ch = VAL0 + i;
		if (ch == 'h')
			return CLI_HELP;
		if (ch == '?' || ch == ':') {
			const char *bad = argv[optind - 1];

			for (int i = 0; i < n && optopt && optopt < VAL0; i++)
				if (optopt == opts[i].short_name)
					optopt = VAL0 + i;	/* -c without its value */

			if (optopt >= VAL0 && optopt < VAL0 + n)
				fprintf(stderr, "geofence%s%s: --%s needs %s\n", *cmd ? " " : "", cmd,
					opts[optopt - VAL0].name,
					opts[optopt - VAL0].arg ?: "a value");
			else
				fprintf(stderr, "geofence%s%s: unknown option '%s' (geofence%s%s --help)\n",
					*cmd ? " " : "", cmd, bad, *cmd ? " " : "", cmd);
			return -1;
		}
		if (take(&opts[ch - VAL0], optarg, err, sizeof(err))) {
			fprintf(stderr, "geofence%s%s: --%s: %s\n", *cmd ? " " : "", cmd, opts[ch - VAL0].name,
				err);
			return -1;
		}
	}
	return optind;
}

void cli_synopsis(FILE *f, const struct cli_opt *opts)
{
	for (int i = 0; opts && opts[i].name; i++) {
		if (opts[i].type == CLI_FLAG)
			fprintf(f, " [--%s]", opts[i].name);
		else
			fprintf(f, " [--%s %s]", opts[i].name,
				opts[i].type == CLI_CHOICE ? opts[i].choices : opts[i].arg ?: "VALUE");
	}
}

void cli_options_help(FILE *f, const struct cli_opt *opts)
{
	for (int i = 0; opts && opts[i].name; i++) {
		char left[64];

		if (!opts[i].help)
			continue;
		snprintf(left, sizeof(left), "--%s%s%s", opts[i].name, opts[i].type == CLI_FLAG ? "" : " ",
			 opts[i].type == CLI_FLAG ? "" : opts[i].type == CLI_CHOICE ? opts[i].choices :
			 opts[i].arg ?: "VALUE");
		fprintf(f, "  %-22s %s\n", left, opts[i].help);
	}
}
