/*
 * Downloads of presigned URLs (Lambda code packages and layer contents:
 * GetFunction's Code.Location, GetLayerVersion's Content.Location). They are
 * plain GETs, already signed in the URL, so they bypass the signer and the
 * quota pacing, but keep the transport's rules: TLS verified (AWS_CA_BUNDLE
 * trusted when set), bounded size and time, a few retries on 5xx, resets
 * and truncation. A presigned URL is a credential for as long as it lives:
 * it never reaches a log or an error message.
 */
#ifndef SHEARS_AWS_FETCH_H
#define SHEARS_AWS_FETCH_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

struct aws_fetch {
	const char *url;  /* borrowed */
	size_t max_bytes; /* a larger answer fails with ERR_LIMIT */
	void *user;
	/* out */
	struct buf body; /* the whole answer on success (caller releases) */
	long status;     /* the last HTTP status (0: none) */
	int attempts;
	struct err err; /* code 0 on success */
};

struct aws_fetch_opts {
	int parallel;     /* transfers at once (default 8) */
	int max_attempts; /* per URL (default 3) */
	long timeout_ms;  /* per attempt (default 120000) */
	long connect_ms;  /* default 5000 */
};

/*
 * Runs every job, opts->parallel at a time. Each job ends with its body or
 * its err set; the call itself fails only when curl cannot start (ERR_NET)
 * or AWS_CA_BUNDLE cannot be read (ERR_CONFIG).
 */
int aws_fetch_all(struct aws_fetch *jobs, size_t n, const struct aws_fetch_opts *opts,
                  struct err *err);

#endif
