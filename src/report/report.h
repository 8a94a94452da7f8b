/*
 * Reports: the findings of a cache (or of `shears check PATH`) written as
 * JSON (a documented, versioned schema), CSV, Markdown or SARIF 2.1.0. The
 * writers only format: what goes in is decided by the caller. Every string
 * in a finding is already redacted; the writers escape for their format.
 */
#ifndef SHEARS_REPORT_H
#define SHEARS_REPORT_H

#include <stdio.h>
#include <time.h>

#include "analyze/finding.h"
#include "util/err.h"

enum report_format { REPORT_JSON, REPORT_CSV, REPORT_MD, REPORT_SARIF };

/* "json" "csv" "md" (or "markdown") "sarif"; 0 or -1 when unknown. */
int report_format_parse(const char *s, enum report_format *out);

struct report_item {
	const struct finding *f;
	const char *status;        /* "open" | "accepted" | "fixed" */
	const char *reason;        /* why accepted, or NULL */
	const char *until;         /* acceptance expiry "YYYY-MM-DD", or NULL */
	const char *resource_name; /* short name ("payment-webhook"), or NULL */
	const char *region;        /* "" for global resources, NULL for check */
};

/* A function's score and the findings that make it (every point traces). */
struct report_score {
	const char *arn, *name, *region;
	int score;        /* 0..100 */
	int base;         /* the sum of its findings' weights before the raises */
	int public_entry; /* reachable from outside: raised */
	int reaches_data; /* its role reaches a data store: raised */
};

struct report {
	const char *tool_version; /* SHEARS_VERSION */
	const char *source;       /* "cache" or "check" */
	const char *target;       /* account id, or the checked path */
	time_t generated;
	time_t scanned; /* the scan the findings come from (0 for check) */
	const struct report_item *items;
	size_t n_items;
	const struct report_score *scores;
	size_t n_scores;
};

/* Writes r in fmt to out. Returns 0, or ERR_IO when writing failed. */
int report_write(FILE *out, enum report_format fmt, const struct report *r, struct err *err);

#endif
