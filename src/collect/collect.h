/*
 * Scans: the seam between the per-service collectors and the scan driver.
 *
 * A scan runs in phases. In each phase the driver calls every collector's
 * hook for that phase (once per region, or once for global services), then
 * drives the transport until every call submitted — including calls that
 * callbacks submit — has finished. Collectors never block and never draw.
 *
 *   COLLECT_PHASE_LIST    list and describe everything (functions, roles in
 *                         bulk, buckets, queues, APIs, ...)
 *   COLLECT_PHASE_DETAIL  calls that depend on what was listed (metrics for
 *                         the functions found, last-accessed data for the
 *                         roles functions use)
 *   COLLECT_PHASE_EDGES   no calls: derive edges from the collected model
 *
 * The model lives in memory until the end: resources keyed by ARN with a
 * cJSON attrs object each (the API's own field names), edges, metrics and
 * gaps. The driver writes it to the store in one transaction.
 *
 * Secrets: attrs are stored in the cache, so a collector never puts a secret
 * there: environment variable values are replaced by collect_redact() before
 * the model is written (edges from variables are derived in memory first).
 * Top-level attrs keys starting with '_' are in memory only: the driver drops
 * them before writing (a place for raw values the EDGES phase needs), and it
 * redacts every Environment.Variables value it finds in function attrs.
 */
#ifndef SHEARS_COLLECT_H
#define SHEARS_COLLECT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/transport.h"
#include "model.h"
#include "util/err.h"

struct collect_scan;

/*
 * LIST, DETAIL and EDGES call every row; CODE (between DETAIL and EDGES)
 * downloads and reads the code packages the DETAIL phase located.
 */
enum collect_phase {
	COLLECT_PHASE_LIST,
	COLLECT_PHASE_DETAIL,
	COLLECT_PHASE_CODE,
	COLLECT_PHASE_EDGES,
};

/* A row in the table of collectors (src/collect/collectors.c). */
struct collect_collector {
	const char *name; /* "lambda", "iam", ... (also the service for gaps) */
	int global;       /* 1: called once with region NULL (IAM, S3 listing) */
	void (*phase)(struct collect_scan *scan, enum collect_phase phase, const char *region);
};

const struct collect_collector *collect_collectors(size_t *n);

/*
 * The callback of a call made for the scan. On failure err is set and ans
 * may hold the error answer; the collector decides whether the error means
 * "absent" (ResourceNotFoundException for GetPolicy, NoSuchBucketPolicy, ...)
 * or a gap (collect_gap). ans is released by the caller after the callback.
 */
typedef void collect_done_fn(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                             const struct err *err);

/*
 * Submits req (copied) for the scan. user is handed back to done; when user
 * was allocated for the call, done frees it. Returns 0, or an error after
 * which done is not called (the scan records a gap itself).
 */
int collect_call(struct collect_scan *scan, const struct aws_request *req, collect_done_fn *done,
                 void *user);

/* Builds and submits a call in the service's own protocol. params: NULL-terminated pairs. */
int collect_call_query(struct collect_scan *scan, const char *service, const char *operation,
                       const char *region, const char *const *params, collect_done_fn *done,
                       void *user);
int collect_call_json(struct collect_scan *scan, const char *service, const char *operation,
                      const char *region, const cJSON *body, collect_done_fn *done, void *user);
int collect_call_rest(struct collect_scan *scan, const char *service, const char *operation,
                      const char *region, const char *method, const char *path, const char *query,
                      collect_done_fn *done, void *user);

/*
 * Adds (or replaces) a resource. Takes ownership of attrs (a cJSON object;
 * NULL means {}). Returns the attrs now held, so later calls can add fields.
 */
cJSON *collect_resource(struct collect_scan *scan, enum model_kind kind, const char *arn,
                        const char *name, const char *region, cJSON *attrs);

/* The attrs of a resource of this scan, or NULL. */
cJSON *collect_attrs(struct collect_scan *scan, const char *arn);

/* Calls fn for every resource of kind collected so far. */
void collect_each(struct collect_scan *scan, enum model_kind kind,
                  void (*fn)(struct collect_scan *scan, const char *arn, const char *region,
                             cJSON *attrs, void *ctx),
                  void *ctx);

void collect_edge(struct collect_scan *scan, const char *src, const char *dst,
                  enum model_edge_kind kind, const char *evidence_fmt, ...)
        __attribute__((format(printf, 5, 6)));

void collect_metric(struct collect_scan *scan, const char *arn, const char *name, int64_t day,
                    double value);

/* Records that a part could not be read: it shows as incomplete, never dropped. */
void collect_gap(struct collect_scan *scan, const char *service, const char *region,
                 const char *operation, const struct err *err);

/* The account being scanned (from STS), "" before it is known. */
const char *collect_account(const struct collect_scan *scan);

/* 1 when the cache or this scan has read code package sha already (or there is no cache). */
int collect_code_known(struct collect_scan *scan, const char *sha);

/* 1 for scan --quick. */
int collect_quick(const struct collect_scan *scan);

/* The same resource's attrs in the previous scan (incremental rescans), or NULL. */
const cJSON *collect_previous(struct collect_scan *scan, const char *arn);

/*
 * Calls fn for every resource of kind in the previous scan, with the name,
 * region and attrs it was stored with (attrs borrowed: duplicate to keep).
 * For --quick rescans that carry over what they do not list again. fn may
 * add resources to the scan.
 */
typedef void collect_prev_fn(struct collect_scan *scan, const char *arn, const char *name,
                             const char *region, const cJSON *attrs, void *ctx);
void collect_previous_each(struct collect_scan *scan, enum model_kind kind, collect_prev_fn *fn,
                           void *ctx);

/*
 * The regions this scan covers (the driver's list; *out borrowed, valid for
 * the scan). Returns their number; 0 when not known (unit tests).
 */
size_t collect_regions(const struct collect_scan *scan, const char *const **out);

/*
 * The ARN (without ":*") of the log group a function writes to: its
 * LoggingConfig's, else /aws/lambda/NAME in its region, into out.
 */
void logs_function_group_arn(const char *function_arn, const cJSON *attrs, char *out, size_t n);

/* "abcd…sha256:0123456789ab": first 4 characters and a hash, for values that may be secret. */
void collect_redact(const char *value, char *out, size_t n);

#endif
