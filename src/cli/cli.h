/*
 * What every command shares: the global options, exit codes, and the few
 * helpers that turn them into a cache, a region or a connection. Commands
 * live in src/cli/cmd_*.c (newer ones) or main.c; main.c dispatches.
 */
#ifndef SHEARS_CLI_H
#define SHEARS_CLI_H

#include <stddef.h>

#include "aws/creds.h"
#include "aws/transport.h"
#include "store/store.h"
#include "util/err.h"

#define EXIT_FAIL       1
#define EXIT_USAGE      2
#define EXIT_INCOMPLETE 3   /* scan: written, but some part could not be read */
#define EXIT_CANCELLED  130 /* scan: interrupted, the cache keeps the previous scan */
#define MAX_REGIONS     32

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

/* Prints "shears: <what failed>" with any cloud text made terminal-safe. */
void print_err(const struct err *err);
/* Prints "shears: " fmt (one %s: arg, made terminal-safe) and a hint; returns EXIT_USAGE. */
int usage_error(const char *fmt, const char *arg);
/* Parses a decimal integer in [lo, hi]; 0 or -1. */
int parse_int(const char *s, int lo, int hi, int *out);
/* --region, else the profile's region, else us-east-1. */
int cli_region(const struct cli *cli, char *out, size_t n, struct err *err);
/* The credentials chain and a transport for the command line's options. */
int cli_connect(const struct cli *cli, struct aws_creds_chain **chain, struct aws_client **client,
                struct err *err);
/* The cache named by --cache, else the default path. */
int cli_store(const struct cli *cli, unsigned flags, struct store **out, struct err *err);

/*
 * The ARN of a resource named on the command line: an ARN as given, else
 * the one resource of the cache with that exact name (ERR_NOTFOUND, or
 * ERR_USAGE when several share it).
 */
int cli_resolve(struct store *s, const char *what, char *arn, size_t n, struct err *err);
/* The same among one kind's resources (-1: every kind). */
int cli_resolve_kind(struct store *s, const char *what, int kind, char *arn, size_t n,
                     struct err *err);
/* The same among the kinds of a mask (1u << kind each; 0: every kind). */
int cli_resolve_kinds(struct store *s, const char *what, unsigned kinds, char *arn, size_t n,
                      struct err *err);

/* Commands in src/cli/ (main.c's table names them). */
int cmd_rules(struct cli *cli, int argc, char **argv);
int cmd_accept(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
int cmd_analyze(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_reviewed(struct cli *cli, int argc, char **argv);
int cmd_plan(struct cli *cli, int argc, char **argv);
int cmd_fix(struct cli *cli, int argc, char **argv);
int cmd_apply(struct cli *cli, int argc, char **argv);
int cmd_undo(struct cli *cli, int argc, char **argv);
int cmd_journal(struct cli *cli, int argc, char **argv);
int cmd_restore(struct cli *cli, int argc, char **argv);

/*
 * Runs the plan build makes (with the session's client; ctx is the
 * caller's) through the protocol, as fix and undo do: refused under
 * --read-only, journal reconciled first, confirmed (yes: --yes). Returns
 * the exit code.
 */
struct cJSON;
typedef int cli_plan_builder(struct aws_client *c, const void *ctx, struct cJSON **plan,
                             struct err *err);
int cli_act_run_built(struct cli *cli, const char *cmd, int yes, cli_plan_builder *build,
                      const void *ctx);

struct analyze_summary;
/* The risk engine over the cache with the configured thresholds. */
int cli_analyze(struct store *s, struct analyze_summary *sum, struct err *err);
/* "findings: 12 open (2 critical, ...)" */
void cli_print_findings(const struct analyze_summary *sum);
/* The same as a JSON object (caller deletes). */
struct cJSON;
struct cJSON *cli_findings_json(const struct analyze_summary *sum);

#endif
