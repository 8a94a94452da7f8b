#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/termsafe.h"

/* Prints "shears: <what failed>" with any cloud text made terminal-safe. */
void
print_err(const struct err *err)
{
	char line[2048], safe[4096];

	err_format(err, line, sizeof(line));
	fprintf(stderr, "shears: %s\n", termsafe_copy(safe, sizeof(safe), line));
}

int
usage_error(const char *fmt, const char *arg)
{
	char safe[512];

	fputs("shears: ", stderr);
	fprintf(stderr, fmt, termsafe_copy(safe, sizeof(safe), arg ? arg : ""));
	fputs("\ntry 'shears --help'\n", stderr);
	return EXIT_USAGE;
}

int
parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* --region, else the profile's region, else us-east-1 (as the AWS CLI does for global calls). */
int
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
int
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
	/* tests against a simulated account without quotas: send as fast as it answers */
	opts.no_pacing = getenv("SHEARS_NO_PACING") && !strcmp(getenv("SHEARS_NO_PACING"), "1");
	*client = aws_client_new(&opts, aws_creds_chain_get, *chain, err);
	if (!*client) {
		aws_creds_chain_free(*chain);
		*chain = NULL;
		return err->code ? (int)err->code : ERR_NET;
	}
	return 0;
}

/* The cache named by --cache, else the default path. */
/* The cache at path; a reader of a cache from an older shears upgrades it first. */
static int
open_cache(const char *path, unsigned flags, struct store **out, struct err *err)
{
	int rc = store_open(path, flags, out, err);

	if (rc == ERR_STALE && (flags & STORE_READONLY)) {
		err_clear(err);
		rc = store_open(path, flags & ~(unsigned)STORE_READONLY, out, err);
	}
	return rc;
}

int
cli_store(const struct cli *cli, unsigned flags, struct store **out, struct err *err)
{
	char path[4096];
	int rc;

	if (cli->cache_path)
		return open_cache(cli->cache_path, flags, out, err);
	rc = store_default_path(path, sizeof(path), err);
	if (rc)
		return rc;
	return open_cache(path, flags, out, err);
}
