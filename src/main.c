/*
 * shears: argument parsing and subcommand dispatch only. Each subcommand
 * returns an exit status; errors are printed here, once.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

#define EXIT_USAGE 2

static const char usage_text[] =
        "usage: shears [global options] [command [options]]\n"
        "\n"
        "A terminal console for serverless security review.\n"
        "\n"
        "commands:\n"
        "  whoami          show the account and identity the credentials belong to\n"
        "\n"
        "global options:\n"
        "  --profile P       use profile P from the shared AWS files\n"
        "  --region R        region to use (repeatable)\n"
        "  --endpoint-url U  send every request to U (LocalStack, a simulated account)\n"
        "  --log FILE        write a debug log (secrets redacted) to FILE\n"
        "  -h, --help        show this help\n"
        "  -V, --version     show the version\n"
        "\n"
        "See shears(1) for everything else.\n";

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			printf("shears %s\n", SHEARS_VERSION);
			return 0;
		default:
			fprintf(stderr, "shears: unknown option '%s'\n", argv[optind - 1]);
			fputs("try 'shears --help'\n", stderr);
			return EXIT_USAGE;
		}
	}
	fputs(usage_text, stdout);
	return 0;
}
