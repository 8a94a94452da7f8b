/*
 * Private to src/collect: the scan's state and in-memory model. Collectors
 * use collect.h only; the driver (scan.c), the model (model_mem.c) and the
 * call adapter (call.c) share this.
 */
#ifndef SHEARS_COLLECT_SCAN_INT_H
#define SHEARS_COLLECT_SCAN_INT_H

#include <cjson/cJSON.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/deps.h"
#include "collect/collect.h"

struct collect_res {
	char *arn, *name, *region;
	enum model_kind kind;
	cJSON *attrs;              /* owned */
	struct collect_res *chain; /* next in the same hash bucket */
};

struct collect_edge_rec {
	char *src, *dst, *evidence;
	enum model_edge_kind kind;
};

struct collect_metric_rec {
	char *arn, *name;
	int64_t day;
	double value;
};

struct collect_gap_rec {
	char *service, *region, *operation, *error;
};

/* What the CODE phase read in one package (code.c), written with the scan. */
struct collect_code_rec {
	char *sha;
	long files;
	int64_t bytes;
	int incomplete;
	char *problems, *secrets; /* JSON array texts */
	struct deps deps;
};

struct collect_prev {
	char *arn;
	char *name, *region;  /* "" when not known (collect_prev_add) */
	enum model_kind kind; /* MODEL_KIND_COUNT when not known */
	char *text;           /* attrs JSON as stored, parsed on first use */
	cJSON *json;          /* NULL until asked for */
	struct collect_prev *chain;
};

struct collect_scan {
	struct aws_client *client; /* borrowed; NULL in unit tests (calls then fail) */
	char account[32];
	int quick;
	struct err sts_err; /* why the account is unknown: then nothing else can be read */

	/* resources: a hash map by ARN plus insertion order for iteration */
	struct collect_res **buckets;
	size_t n_buckets;
	struct collect_res **res; /* insertion order, owns the records */
	size_t n_res, cap_res;

	struct collect_edge_rec *edges;
	size_t n_edges, cap_edges;
	size_t *edge_slots; /* (src, dst, kind) -> index + 1, open addressing */
	size_t n_edge_slots;
	struct collect_metric_rec *metrics;
	size_t n_metrics, cap_metrics;
	struct collect_gap_rec *gaps;
	size_t n_gaps, cap_gaps;
	struct collect_code_rec *code;
	size_t n_code;
	struct store *store; /* borrowed: which packages the cache has read; NULL in unit tests */
	const struct secrets_opts *secrets; /* borrowed; NULL: the scanner's defaults */

	/* previous scan's attrs by ARN (store/query_prev.c fills them) */
	struct collect_prev **prev_buckets;
	size_t n_prev_buckets, n_prev;

	/* the regions scanned (collect_regions), borrowed; none in unit tests unless set */
	const char *const *regions;
	size_t n_regions;

	unsigned long submitted, finished; /* calls of this scan */
	volatile sig_atomic_t *cancel;     /* borrowed; may be NULL */
	const char *what;                  /* what is being read, for progress */

	/* progress (scan.c): called from the call adapter at most every interval */
	void (*progress)(struct collect_scan *scan);
	double t0, last_progress, progress_interval_s;
	void *driver; /* scan.c's state */

	/* unit tests: sees each request instead of the client (returns 0 or an error) */
	int (*test_submit)(void *ctx, const struct aws_request *req);
	void *test_ctx;
};

/* Sets up an empty model (no client: calls fail as gaps). */
void collect_scan_init(struct collect_scan *scan, struct aws_client *client, int quick);
/* Frees the model, previous attrs included. */
void collect_scan_release(struct collect_scan *scan);
/* Remembers arn's previous attrs text (copied). */
void collect_prev_add(struct collect_scan *scan, const char *arn, const char *attrs_text);
/* The same, with the previous row's kind, name and region (collect_previous_each sees it). */
void collect_prev_add_res(struct collect_scan *scan, enum model_kind kind, const char *arn,
                          const char *name, const char *region, const char *attrs_text);
/* A new package record for sha (owned by the scan). */
struct collect_code_rec *collect_code_add(struct collect_scan *scan, const char *sha);
/* 1 when the scan was asked to stop. */
int collect_cancelled(const struct collect_scan *scan);

/* Sets the regions collect_regions() answers (borrowed: they outlive the scan). */
void collect_scan_set_regions(struct collect_scan *scan, const char *const *regions, size_t n);
/* Redacts every value of every "Environment": {"Variables": {...}} below node, keys kept. */
void collect_redact_env(cJSON *node);
/* Sets the account (from STS). */
void collect_set_account(struct collect_scan *scan, const char *account);
/* Number of resources of kind (MODEL_KIND_COUNT: all). */
size_t collect_count(const struct collect_scan *scan, int kind);

/*
 * The IAM action (for the policy) a (service id, operation) call needs, or
 * NULL when the operation is not in the table. collect_call refuses those.
 */
const char *collect_action_find(const char *service, const char *operation);

struct collect_action {
	const char *service;   /* aws_service id: "lambda", "apigatewayv2" */
	const char *operation; /* API operation name */
	const char *action;    /* IAM action: "lambda:GetFunction", "apigateway:GET" */
};
const struct collect_action *collect_actions(size_t *n);

/* Monotonic seconds. */
double collect_now(void);

struct buf;
/* The form body of a query-protocol call: Action, Version, then params' pairs. */
int collect_query_body(const struct aws_service *svc, const char *operation,
                       const char *const *params, struct buf *body);

#endif
