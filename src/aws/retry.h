/*
 * Which failures are retried and how long to wait: pure functions, so the
 * policy is unit-tested without a network.
 *
 * Retried: throttling (HTTP 429 or a throttling error code), HTTP 500, 502,
 * 503, 504, and transport failures (reset, refused, truncated, timeout of one
 * attempt). Backoff is "full jitter": a random wait in [0, min(cap, base*2^n)],
 * or Retry-After when the server gave one (capped).
 */
#ifndef SHEARS_AWS_RETRY_H
#define SHEARS_AWS_RETRY_H

#include "util/err.h"

#define AWS_RETRY_BASE_MS 100
#define AWS_RETRY_CAP_MS  20000

/* 1 for the throttling error codes of every protocol, else 0. */
int aws_retry_is_throttle_code(const char *aws_code);

/* 1 when an attempt that ended with (status, aws_code) should be retried. */
int aws_retry_should(int http_status, const char *aws_code, enum err_code transport_err);

/*
 * Milliseconds to wait before attempt number attempt (1 = the first retry).
 * retry_after_ms < 0 when the answer had no Retry-After. rnd in [0, 1).
 */
long aws_retry_delay_ms(int attempt, long retry_after_ms, double rnd);

/* Parses a Retry-After header (seconds or an HTTP date); -1 if absent/bad. */
long aws_retry_after_ms(const char *value, long now_s);

#endif
