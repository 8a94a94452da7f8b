/*
 * Private to the Lambda, CloudWatch metrics and Logs collectors
 * (src/collect/lambda*.c, metrics.c, logs.c) and their unit test.
 *
 * The pieces that decide (what changed since the previous scan, which calls
 * a function needs) and the pieces that parse an answer into the model are
 * plain functions of their inputs, so tests/unit/test_collect_lambda.c runs
 * them on recorded answers without a network.
 */
#ifndef SHEARS_COLLECT_LAMBDA_INT_H
#define SHEARS_COLLECT_LAMBDA_INT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/collect.h"
#include "collect/collectors.h" /* the phase hooks */

/* The attrs key holding the raw environment values, in memory only. */
#define LAMBDA_ENV_RAW "_env_raw"

/*
 * Takes ListFunctions pages as if they had been answered, then does what the
 * last page does (attaches versions, submits ListEventSourceMappings) and
 * what the DETAIL phase does (submits each function's calls). For tests
 * (with scan->test_submit) and replays.
 */
void lambda_functions_listed(struct collect_scan *scan, const char *region,
                             const cJSON *const *pages, size_t n_pages);

/* What a function needs read again, from ListFunctions' item and the previous attrs. */
enum lambda_need {
	LAMBDA_NEED_GET = 1 << 0,    /* GetFunction: new, RevisionId or CodeSha256 changed */
	LAMBDA_NEED_POLICY = 1 << 1, /* GetPolicy: every full scan; --quick only when changed */
	LAMBDA_NEED_EIC = 1 << 2,    /* ListFunctionEventInvokeConfigs: new or changed */
	LAMBDA_NEED_ALIASES = 1 << 3 /* ListAliases: published versions (quick: and changed) */
};

/*
 * The calls a function listed as `listed` needs, given its attrs in the
 * previous scan (NULL: first sight), whether it has published versions and
 * whether this is a --quick scan. The URL is decided later, from the policy.
 */
unsigned lambda_needs(const cJSON *listed, const cJSON *prev, int has_versions, int quick);

/*
 * 1 when ListFunctionUrlConfigs must be read: the function or its policy
 * changed, or the previous scan did not read it (no "Url" key at all).
 */
int lambda_need_url(int function_changed, const cJSON *prev, const char *policy_revision);

/*
 * Moves the raw values of attrs' Environment.Variables into attrs[LAMBDA_ENV_RAW]
 * (replacing any) and leaves collect_redact()ed values in their place. No-op
 * without variables.
 */
void lambda_env_redact(cJSON *attrs);

/*
 * The attrs for a function listed now: the previous attrs (copied) with the
 * listed configuration laid over them, the environment redacted, and the
 * parts this scan rebuilds (Versions, EventSourceMappings) removed. Caller owns.
 */
cJSON *lambda_attrs_from_list(const cJSON *listed, const cJSON *prev);

/* Lays GetFunction's answer (Configuration, Tags, Concurrency) over attrs. */
void lambda_apply_get_function(cJSON *attrs, const cJSON *answer);

/*
 * Sets Policy (the policy string parsed) and PolicyRevisionId from GetPolicy's
 * answer; answer NULL (ResourceNotFoundException) removes both. Returns 0 or
 * ERR_PARSE when the policy string is not JSON (the string is kept as is).
 */
int lambda_apply_policy(cJSON *attrs, const cJSON *answer);

/*
 * Sets Url (and Urls when there are several) from ListFunctionUrlConfigs'
 * answer; Url is null when the function has no URL (read, none).
 */
void lambda_apply_urls(cJSON *attrs, const cJSON *answer);

/* "arn:aws:lambda:r:a:function:name" from a qualified or unqualified ARN, into out. */
void lambda_unqualified(const char *arn, char *out, size_t n);

/*
 * Edges of one function from its attrs: assumes (Role), triggers from its
 * function URLs (src: the URL, evidence "function URL auth NONE"), invokes (async
 * destinations of EventInvokeConfigs, DestinationConfig of its mappings),
 * triggers (each EventSourceMappings entry's source; a DynamoDB stream is
 * drawn from its table when the table was collected).
 */
void lambda_function_edges(struct collect_scan *scan, const char *arn, const cJSON *attrs);

/* The source an event source mapping's EventSourceArn is drawn from, into out. */
void lambda_esm_source(struct collect_scan *scan, const char *source_arn, char *out, size_t n);

/* Adds ListEventSourceMappings' items to their functions' attrs. */
void lambda_apply_esm_page(struct collect_scan *scan, const cJSON *answer);

/* Adds ListLayers' items as layer resources (the latest version's ARN). */
void lambda_apply_layers_page(struct collect_scan *scan, const char *region, const cJSON *answer);

/* CloudWatch GetMetricData: 5 queries a function, at most 500 a call. */
#define METRICS_PER_FUNCTION       5
#define METRICS_MAX_QUERIES        500
#define METRICS_FUNCTIONS_PER_CALL (METRICS_MAX_QUERIES / METRICS_PER_FUNCTION)
#define METRICS_DAYS               90

/* Calls needed for n functions. */
size_t metrics_batches(size_t n_functions);

/* The stored names of the 5 series, in query order ("Invocations", ... "DurationP99"). */
const char *metrics_name(int k);

/*
 * The query parameters (NULL-terminated name/value pairs, every string
 * owned by the array; free with metrics_params_free) for the functions
 * names[0..n), n <= METRICS_FUNCTIONS_PER_CALL, over [start_s, end_s).
 * Query ids are "q<i>_<k>": function i of the batch, series k.
 */
char **metrics_params(const char *const *names, size_t n, int64_t start_s, int64_t end_s,
                      const char *next_token);
void metrics_params_free(char **params);

/*
 * Records the series of one GetMetricData answer (query XML) for the batch's
 * function ARNs arns[0..n). Returns 0 and the NextToken (malloc'd, or NULL)
 * in *next, or ERR_PARSE.
 */
int metrics_apply_answer(struct collect_scan *scan, const char *const *arns, size_t n,
                         const char *xml, size_t len, char **next, struct err *err);

/* Unix day of an ISO 8601 UTC timestamp ("2026-11-20T00:00:00Z"), or -1. */
int64_t metrics_day(const char *iso);

/* Logs: adds DescribeLogGroups' items as log-group resources. */
void logs_apply_page(struct collect_scan *scan, const char *region, const cJSON *answer);

#endif
