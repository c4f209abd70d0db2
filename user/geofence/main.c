// SPDX-License-Identifier: GPL-2.0
/*
 * The command table, the usage it generates, the global options, and the
 * one way every command is run: its options parsed by its table (--help
 * answered, a bad value refused naming the option), its positional
 * arguments checked, then its run().
 */
#include <string.h>
#include "gf_config.h"
#include "gf_datapath.h"
#include "gf_log.h"
#include "cli.h"

static const struct cli_cmd *const commands[] = {
	&cmd_status, &cmd_stats, &cmd_top, &cmd_reload, &cmd_detach, &cmd_dlp, &cmd_dlp_scan,
	&cmd_evidence_report, &cmd_guard, &cmd_update, &cmd_lookup, &cmd_check, &cmd_policy_diff,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int verbose, version;
static const struct cli_opt global_opts[] = {
	{ "config", CLI_STR, &G.config, "FILE", .help = "the agent's configuration, to find its state "
							 "(default " GF_CONFIG_DEFAULT ")",
	  .short_name = 'c' },
	CLI_OPT_JSON(&G.json),
	{ "verbose", CLI_FLAG, &verbose, .help = "library messages too" },
	{ "version", CLI_FLAG, &version, .help = "the version and the map layout it reads" },
	CLI_OPT_END,
};

static const char *const exit_codes =
	"exit codes: 0 ok, 1 some input invalid, 2 usage, 3 no agent or datapath, a database\n"
	"or system error, 4 a reload was rejected (nothing changed), 5 a reload was applied\n"
	"with errors (in force, but an interface did not take it)\n";

static void synopsis(FILE *f, const struct cli_cmd *c)
{
	fprintf(f, "%s", c->name);
	cli_synopsis(f, c->opts);
	if (c->args)
		fprintf(f, " %s", c->args);
	fprintf(f, "\n");
}

/* The help lines, indented. */
static void indent(FILE *f, const char *text, const char *pad)
{
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		int len = nl ? (int)(nl - l) : (int)strlen(l);

		fprintf(f, "%s%.*s\n", pad, len, l);
		l = nl ? nl + 1 : NULL;
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: geofence [--config FILE] [--json] COMMAND [OPTIONS] [ARGS]\n"
		   "       geofence COMMAND --help\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		fprintf(f, "  ");
		synopsis(f, commands[i]);
		indent(f, commands[i]->help, "      ");
	}
	fprintf(f, "\noptions:\n");
	cli_options_help(f, global_opts);
	fprintf(f, "  %-22s %s\n\n%s", "-h, --help", "this text", exit_codes);
}

static void command_usage(FILE *f, const struct cli_cmd *c)
{
	fprintf(f, "usage: geofence [--config FILE] ");
	synopsis(f, c);
	fprintf(f, "\n");
	indent(f, c->help, "  ");
	fprintf(f, "\noptions:\n");
	cli_options_help(f, c->opts);
	fprintf(f, "  %-22s %s\n\n%s", "-h, --help", "this text", exit_codes);
}

/* The command argv names ("dlp scan" before "dlp"); its words in *words. */
static const struct cli_cmd *find(int argc, char **argv, int *words)
{
	const struct cli_cmd *best = NULL;

	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *name = commands[i]->name, *sp = strchr(name, ' ');

		if (!sp && !strcmp(argv[0], name) && !best) {
			best = commands[i];
			*words = 1;
		} else if (sp && argc > 1 && !strncmp(argv[0], name, sp - name) &&
			   !argv[0][sp - name] && !strcmp(argv[1], sp + 1)) {
			*words = 2;
			return commands[i];
		}
	}
	return best;
}

/* A command's subcommand word alone ("evidence"): say what it takes. */
static int unknown_command(const char *word)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *name = commands[i]->name;

		if (!strncmp(name, word, strlen(word)) && name[strlen(word)] == ' ') {
			fprintf(stderr, "geofence %s: the subcommand is %s (geofence %s --help)\n", word,
				name + strlen(word) + 1, name);
			return EXIT_USAGE;
		}
	}
	fprintf(stderr, "geofence: unknown command '%s' (geofence --help lists them)\n", word);
	return EXIT_USAGE;
}

static int run(const struct cli_cmd *c, int argc, char **argv)
{
	int first = cli_parse(c->name, c->opts, argc, argv, 0);

	if (first == CLI_HELP) {
		command_usage(stdout, c);
		return 0;
	}
	if (first < 0)
		return EXIT_USAGE;
	if (!c->args && first < argc) {
		fprintf(stderr, "geofence %s: unexpected argument '%s' (geofence %s --help)\n", c->name,
			argv[first], c->name);
		return EXIT_USAGE;
	}
	return c->run(argc - first, argv + first);
}

int main(int argc, char **argv)
{
	const struct cli_cmd *c;
	int first, words = 0;

	gf_log_set_prefix(0);
	gf_log_route_libs(0);
	first = cli_parse("", global_opts, argc, argv, 1);
	if (first == CLI_HELP || (first > 0 && first < argc && !strcmp(argv[first], "help"))) {
		usage(stdout);
		return 0;
	}
	if (first < 0)
		return EXIT_USAGE;
	if (version) {
		printf("geofence %s (map layout %d)\n", GF_VERSION, GF_LAYOUT);
		return 0;
	}
	gf_log_route_libs(verbose);
	if (first >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	c = find(argc - first, argv + first, &words);
	if (!c)
		return unknown_command(argv[first]);
	/* the command's own argv: its name first, as getopt wants */
	return run(c, argc - first - words + 1, argv + first + words - 1);
}
