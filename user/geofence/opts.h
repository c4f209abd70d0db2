/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Typed options for the CLI's commands: one table per command names each
 * option once, with its type, where it goes, its accepted range and its
 * help line.  The parser checks every value (a number that is not one, or
 * out of range, is refused naming the option), answers --help for every
 * command, and the usage text is generated from the same table.
 */
#ifndef GF_CLI_OPTS_H
#define GF_CLI_OPTS_H

#include <stdio.h>

enum cli_opt_type {
	CLI_FLAG,	/* int, set to 1 */
	CLI_INT,	/* long long within [min, max] */
	CLI_DOUBLE,	/* double within [min, max] */
	CLI_STR,	/* const char *, the argument itself */
	CLI_CHOICE,	/* const char *, one of choices ("a|b|c") */
	CLI_CALL,	/* call(arg): repeatable options (lookup --db A --db B) */
};

struct cli_opt {
	const char *name;		/* long name, without "--" */
	enum cli_opt_type type;
	void *dst;
	const char *arg;		/* the argument's name in the usage: N, SECONDS, FILE */
	double min, max;		/* CLI_INT, CLI_DOUBLE */
	const char *choices;		/* CLI_CHOICE */
	int (*call)(const char *arg, char *err, size_t errlen);	/* CLI_CALL */
	const char *help;		/* one line for the command's --help */
	char short_name;		/* -c for --config; 0: none */
};

#define CLI_OPT_END { 0 }
/* --json, the same on every command that prints JSON */
#define CLI_OPT_JSON(where) \
	{ .name = "json", .type = CLI_FLAG, .dst = (where), .help = "JSON for scripts (the JSON rule: geofence(8))" }

/*
 * Parse argv[1..] (argv[0] names the command) against opts; stop: at the
 * first positional argument (the global options before a command), else
 * options and arguments may mix.  Returns the index of the first
 * positional argument (they are moved to the end); CLI_HELP for --help or
 * -h; or -1 after a usage error, printed to stderr naming the option.
 */
#define CLI_HELP (-2)
int cli_parse(const char *cmd, const struct cli_opt *opts, int argc, char **argv, int stop);

/* " [--json] [--top N] ..." for a synopsis line */
void cli_synopsis(FILE *f, const struct cli_opt *opts);
/* "  --top N    the N busiest..." for each option that has a help line */
void cli_options_help(FILE *f, const struct cli_opt *opts);

#endif
