/*
 * shears: argument parsing and subcommand dispatch only. Each command
 * returns an exit status; errors are printed here, once, terminal-safe.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "aws/creds.h"
#include "aws/sts.h"
#include "aws/transport.h"
#include "ui/ui.h"
#include "util/err.h"
#include "util/log.h"
#include "util/termsafe.h"

#define EXIT_FAIL   1
#define EXIT_USAGE  2
#define MAX_REGIONS 32

struct cli {
	const char *profile;
	const char *endpoint_url;
	const char *regions[MAX_REGIONS];
	size_t n_regions;
	int max_in_flight;
	const char *log_path;
	const char *cache_path; /* NULL: $XDG_CACHE_HOME/shears/cache.db */
	int read_only;
};

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *help;
};

static int cmd_whoami(struct cli *cli, int argc, char **argv);

static const struct command commands[] = {
	{ "whoami", cmd_whoami, "show the account and identity the credentials belong to" },
};

static const char options_text[] =
        "global options:\n"
        "  --profile P         use profile P from the shared AWS files\n"
        "  --region R          region to use (repeatable)\n"
        "  --endpoint-url U    send every request to U (LocalStack, a simulated account)\n"
        "  --max-in-flight N   at most N requests on the wire at once (default 16)\n"
        "  --cache FILE        the inventory cache (default $XDG_CACHE_HOME/shears/cache.db)\n"
        "  --read-only         remove every action that would change the account\n"
        "  --log FILE          write a debug log (secrets redacted) to FILE\n"
        "  -h, --help          show this help\n"
        "  -V, --version       show the version\n";

static void
usage(FILE *out)
{
	size_t i;

	fputs("usage: shears [global options] [command [options]]\n\n"
	      "A terminal console for serverless security review. With no command,\n"
	      "shears opens the console on the cache.\n\ncommands:\n",
	      out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-16s%s\n", commands[i].name, commands[i].help);
	fputs("\n", out);
	fputs(options_text, out);
	fputs("\nSee shears(1) for credentials, endpoints and exit codes.\n", out);
}

/* Prints "shears: <what failed>" with any cloud text made terminal-safe. */
static void
print_err(const struct err *err)
{
	char line[2048], safe[4096];

	err_format(err, line, sizeof(line));
	fprintf(stderr, "shears: %s\n", termsafe_copy(safe, sizeof(safe), line));
}

static int
usage_error(const char *fmt, const char *arg)
{
	char safe[512];

	fputs("shears: ", stderr);
	fprintf(stderr, fmt, termsafe_copy(safe, sizeof(safe), arg ? arg : ""));
	fputs("\ntry 'shears --help'\n", stderr);
	return EXIT_USAGE;
}

static int
parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

enum {
	OPT_PROFILE = 256,
	OPT_REGION,
	OPT_ENDPOINT,
	OPT_INFLIGHT,
	OPT_LOG,
	OPT_CACHE,
	OPT_READ_ONLY
};

static int
parse_global(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "endpoint-url", required_argument, NULL, OPT_ENDPOINT },
		{ "max-in-flight", required_argument, NULL, OPT_INFLIGHT },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "read-only", no_argument, NULL, OPT_READ_ONLY },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("shears %s\n", SHEARS_VERSION);
			exit(0);
		case OPT_PROFILE:
			cli->profile = optarg;
			break;
		case OPT_REGION:
			if (cli->n_regions == MAX_REGIONS)
				return usage_error("too many --region options%s", "");
			cli->regions[cli->n_regions++] = optarg;
			break;
		case OPT_ENDPOINT:
			cli->endpoint_url = optarg;
			break;
		case OPT_INFLIGHT:
			if (parse_int(optarg, 1, 256, &cli->max_in_flight))
				return usage_error("--max-in-flight wants 1 to 256, not '%s'",
				                   optarg);
			break;
		case OPT_LOG:
			cli->log_path = optarg;
			break;
		case OPT_CACHE:
			cli->cache_path = optarg;
			break;
		case OPT_READ_ONLY:
			cli->read_only = 1;
			break;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	return 0;
}

/* --region, else the profile's region, else us-east-1 (as the AWS CLI does for global calls). */
static int
cli_region(const struct cli *cli, char *out, size_t n, struct err *err)
{
	int rc;

	if (cli->n_regions) {
		snprintf(out, n, "%s", cli->regions[0]);
		return 0;
	}
	rc = aws_profile_region(cli->profile, out, n, err);
	if (rc == ERR_NOTFOUND) {
		snprintf(out, n, "us-east-1");
		return 0;
	}
	return rc;
}

/* The credentials chain and a transport for the command line's options. */
static int
cli_connect(const struct cli *cli, struct aws_creds_chain **chain, struct aws_client **client,
            struct err *err)
{
	static char region[64];
	struct aws_creds_opts copts = { 0 };
	struct aws_client_opts opts = { 0 };
	int rc = cli_region(cli, region, sizeof(region), err);

	if (rc)
		return rc;
	copts.profile = cli->profile;
	copts.endpoint_url = cli->endpoint_url;
	copts.region = region;
	*chain = aws_creds_chain_new(&copts);
	opts.endpoint_url = cli->endpoint_url;
	opts.region = region;
	opts.max_in_flight = cli->max_in_flight;
	*client = aws_client_new(&opts, aws_creds_chain_get, *chain, err);
	if (!*client) {
		aws_creds_chain_free(*chain);
		*chain = NULL;
		return err->code ? (int)err->code : ERR_NET;
	}
	return 0;
}

static int
cmd_whoami(struct cli *cli, int argc, char **argv)
{
	struct aws_caller_identity id = { 0 };
	struct aws_creds_chain *chain = NULL;
	struct aws_client *client = NULL;
	struct err err = { 0 };
	char safe[4096];
	int rc;

	if (argc > 1)
		return usage_error("whoami takes no arguments, not '%s'", argv[1]);
	rc = cli_connect(cli, &chain, &client, &err);
	if (!rc)
		rc = aws_sts_get_caller_identity(client, &id, &err);
	if (!rc) {
		printf("account  %s\n", termsafe_copy(safe, sizeof(safe), id.account));
		printf("arn      %s\n", termsafe_copy(safe, sizeof(safe), id.arn));
		printf("user id  %s\n", termsafe_copy(safe, sizeof(safe), id.user_id));
	} else {
		print_err(&err);
	}
	aws_client_free(client);
	aws_creds_chain_free(chain);
	return rc ? EXIT_FAIL : 0;
}

static int
cmd_console(struct cli *cli)
{
	struct err err = { 0 };
	int rc = ui_run(cli->cache_path, cli->read_only ? UI_READ_ONLY : 0, &err);

	log_close();
	if (rc)
		print_err(&err);
	return rc ? EXIT_FAIL : 0;
}

/*
 * Credentials live in this process's memory: no core file may carry them.
 * SHEARS_ALLOW_CORE=1 keeps core dumps for a developer chasing a crash.
 */
static void
forbid_core_dumps(void)
{
	const struct rlimit none = { 0, 0 };
	const char *allow = getenv("SHEARS_ALLOW_CORE");

	if (allow && !strcmp(allow, "1"))
		return;
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int
main(int argc, char **argv)
{
	struct cli cli = { 0 };
	size_t i;
	int rc;

	forbid_core_dumps();
	rc = parse_global(&cli, argc, argv);
	if (rc)
		return rc;
	if (cli.log_path && log_open(cli.log_path, LOG_DEBUG))
		return usage_error("cannot open log file '%s'", cli.log_path);
	if (optind >= argc)
		return cmd_console(&cli);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[optind], commands[i].name)) {
			rc = commands[i].run(&cli, argc - optind, argv + optind);
			log_close();
			return rc;
		}
	}
	return usage_error("unknown command '%s'", argv[optind]);
}
