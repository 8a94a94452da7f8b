/*
 * AWS Lambda's published runtime deprecation dates: the day AWS stops
 * security patches for a managed runtime ("Deprecation date" in the
 * Lambda runtimes page). A dated table: update it as AWS announces dates.
 */
#ifndef SHEARS_ANALYZE_RUNTIMES_H
#define SHEARS_ANALYZE_RUNTIMES_H

#include <time.h>

struct runtime_eol {
	const char *id;         /* "python3.8", as in FunctionConfiguration.Runtime */
	const char *deprecated; /* "2024-10-14" (UTC day) */
};

/* The table row of a runtime id (exact), or NULL when AWS has announced no date. */
const struct runtime_eol *runtime_eol_find(const char *id);

/* The day the table was last checked against AWS's page. */
extern const char runtime_table_checked[];

#endif
