/*
 * The config file: $XDG_CONFIG_HOME/shears/config (else ~/.config/shears/
 * config), INI as the AWS files are written. Every key is documented with
 * its default in shears-config(5); a missing file means the defaults, an
 * unknown section or key or a bad value is an error naming file and line,
 * so a typo never silently keeps a default.
 */
#ifndef SHEARS_CLI_CONFIG_H
#define SHEARS_CLI_CONFIG_H

#include <stddef.h>

#include "analyze/analyze.h"
#include "util/err.h"

#define CONFIG_MAX_EXCLUDES 64

struct shears_config {
	struct analyze_opts analyze;
	double entropy_min;     /* [secrets] entropy_min (0: the scanner's default) */
	size_t entropy_min_len; /* [secrets] entropy_min_len (0: the scanner's default) */
	char *exclude[CONFIG_MAX_EXCLUDES]; /* [secrets] exclude: path globs, owned */
	size_t n_exclude;
	/* [act]: what no action may touch, and the accounts allowed despite "prod" */
	char *protect[CONFIG_MAX_EXCLUDES]; /* names, ARN globs, "tag:KEY=VALUE" */
	size_t n_protect;
	char *allow_accounts[CONFIG_MAX_EXCLUDES]; /* ids or aliases */
	size_t n_allow_accounts;
	int read_only;   /* [act] read_only = true: every action is removed */
	char path[4096]; /* the file read, "" when none */
};

/* The default path into out. Returns 0 or ERR_CONFIG (no HOME). */
int config_default_path(char *out, size_t n, struct err *err);
/* Loads path (NULL: the default path); defaults first. 0, ERR_PARSE or ERR_CONFIG. */
int config_load(struct shears_config *c, const char *path, struct err *err);
/* Parses text as if read from name (tests). */
int config_parse(struct shears_config *c, const char *text, size_t len, const char *name,
                 struct err *err);
void config_release(struct shears_config *c);

struct secrets_opts;
/* The scanner's options from c: its defaults, then what the config sets (borrowed from c). */
void config_secrets(const struct shears_config *c, struct secrets_opts *so);

#endif
