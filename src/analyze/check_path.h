/*
 * `shears check PATH`: the code and policy rules on what a deployment would
 * ship, without any AWS access. PATH is a zip (a Lambda package or layer),
 * a folder (the build output), an IAM policy document (JSON with a
 * "Statement"), or any other single file. Secrets and dependencies apply
 * to files as they would to a deployed function, permissions to a policy.
 */
#ifndef SHEARS_ANALYZE_CHECK_PATH_H
#define SHEARS_ANALYZE_CHECK_PATH_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/finding.h"
#include "analyze/secrets.h"
#include "util/err.h"

struct store;

struct check_stats {
	uint64_t files, bytes;
	size_t deps;    /* installed packages found */
	int advisories; /* 1 when dependencies were matched against imported advisories */
	int policy;     /* 1 when PATH was read as an IAM policy document */
};

/*
 * Checks path; findings are about path (their locations are "FILE:LINE"
 * inside it). advisories may be NULL (no dependency matching: stats say so).
 * Returns 0, ERR_IO (cannot read), ERR_PARSE (a zip that is not one).
 */
int check_path(const char *path, const struct secrets_opts *so, struct store *advisories,
               struct findings *out, struct check_stats *stats, struct err *err);

#endif
