/*
 * Small helpers the model-driven checks share: what "today" is, dates as
 * AWS writes them, and the pieces of an ARN. Pure functions, no state.
 */
#ifndef SHEARS_ANALYZE_CHECK_UTIL_H
#define SHEARS_ANALYZE_CHECK_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "analyze/amodel.h"
#include "analyze/analyze.h"

/* "Now" for day counts: opts->now, else the model's last scan, else the clock. */
time_t analyze_now(const struct amodel *m, const struct analyze_opts *o);

/* The unix day number of t (the metrics' day index). */
int64_t analyze_day(time_t t);

/*
 * Parses the timestamps AWS answers with: ISO 8601 ("2026-07-26T00:00:00.000+0000",
 * "2025-10-19T09:00:00Z", "2024-01-08") or epoch seconds. Returns 0 and
 * sets *out (UTC), or -1 when the text is not one of them.
 */
int analyze_parse_time(const char *s, time_t *out);

/* YYYY-MM-DD of t (UTC) into out (at least 11 bytes). */
void analyze_format_date(time_t t, char *out, size_t n);

/*
 * Field i (0-based) of an ARN "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"
 * into out; the last field (5) keeps its colons. "" when absent.
 */
void analyze_arn_field(const char *arn, int i, char *out, size_t n);

/*
 * A Lambda function ARN without its qualifier (":live", ":3"): the
 * function's own ARN, which is how the model knows it. Also accepts the
 * API Gateway invocation URI ("arn:aws:apigateway:R:lambda:path/2015-03-31/
 * functions/FN_ARN/invocations"). out is "" when no function ARN is found.
 */
void analyze_function_arn(const char *text, char *out, size_t n);

/* The last path part of an ARN or name ("role/x/y" -> "y"). Borrowed. */
const char *analyze_short_name(const char *arn);

#endif
