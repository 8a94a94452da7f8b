/*
 * The transport: every AWS call goes through one struct aws_client, which
 * owns one curl multi handle.
 *
 *  - At most opts.max_in_flight requests on the wire (default 16), kept alive.
 *  - Each call is paced by its quota bucket (aws/pace.h) before it is sent, so
 *    a scan stays under AWS's rate quotas instead of being throttled.
 *  - Each attempt is signed afresh (SigV4, credentials from creds_fn).
 *  - Throttling (HTTP 429; ThrottlingException, Throttling,
 *    TooManyRequestsException, RequestLimitExceeded, SlowDown,
 *    ProvisionedThroughputExceededException, ...), 5xx, resets and truncated
 *    answers are retried with exponential backoff and full jitter, honouring
 *    Retry-After, up to opts.max_attempts and the call's deadline
 *    (aws/retry.h). Every other error comes back at once.
 *  - TLS is always verified; AWS_CA_BUNDLE names extra trust; proxies come
 *    from the environment (curl's http_proxy, https_proxy, no_proxy).
 *  - Every attempt is counted per service and operation. (curl itself
 *    re-sends, once, a request that got no byte back on a reused keep-alive
 *    connection: such a re-send is part of the same attempt.)
 * Design notes and invariants: aws/transport.c.
 */
#ifndef SHEARS_AWS_TRANSPORT_H
#define SHEARS_AWS_TRANSPORT_H

#include <stddef.h>

#include "aws/creds.h"
#include "aws/service.h"
#include "aws/sigv4.h"
#include "util/err.h"

#define AWS_ANSWER_MAX ((size_t)64 << 20)

struct aws_client_opts {
	const char *endpoint_url; /* --endpoint-url; NULL: aws/endpoint.h rules */
	const char *region;       /* default region for requests that name none */
	int max_in_flight;        /* 0: 16 */
	int max_attempts;         /* 0: 5 (first try included) */
	long deadline_ms;         /* per call, all attempts, from the first; 0: 120000 */
	long connect_timeout_ms;  /* 0: 5000 */
	long low_speed_s;         /* abort an attempt that stalls this long; 0: 30 */
	int no_pacing;            /* tests: send without the quota pace */
	const char *user_agent;   /* NULL: "shears/<version>" */
};

struct aws_request {
	const struct aws_service *service;
	const char *operation;            /* "ListFunctions": counted, paced, named in errors */
	const char *region;               /* NULL: the client's default */
	const char *method;               /* "GET", "POST", ... */
	const char *path;                 /* encoded, starting with '/' (before any base path) */
	const char *query;                /* encoded, without '?'; NULL for none */
	const struct aws_header *headers; /* extra: Content-Type, X-Amz-Target, ... */
	size_t n_headers;
	const void *body;
	size_t body_len;
	const char *resource; /* ARN or name for error messages; may be NULL */
	unsigned sign_flags;  /* extra enum aws_sigv4_flags (S3 sets its own) */
	/*
	 * Not idempotent (a delete, a create): a second delivery could act
	 * twice, so only an answer saying nothing was done (throttling) is
	 * retried; a 5xx, a reset or a timeout comes back at once, and the
	 * caller reads the target to learn whether the call landed.
	 */
	int once;
};

struct aws_answer {
	int status; /* HTTP status of the last attempt */
	char *body; /* owned, NUL-terminated; NULL when empty */
	size_t body_len;
	char request_id[80];
	char content_type[80];
	int attempts;
};

void aws_answer_release(struct aws_answer *a);

struct aws_client;

/*
 * creds_fn/creds_ctx are borrowed and called before each attempt (a chain
 * refreshes expiring credentials there). Returns NULL and fills err when curl
 * cannot start or opts are invalid.
 */
struct aws_client *aws_client_new(const struct aws_client_opts *opts, aws_creds_fn *creds_fn,
                                  void *creds_ctx, struct err *err);
/* Requests still pending are dropped without their callbacks. NULL is fine. */
void aws_client_free(struct aws_client *c);

/*
 * Called once per submitted request when it is finished. On success err is
 * NULL and ans holds a 2xx answer; otherwise err holds service, operation,
 * resource, HTTP status, AWS error code and message, and ans the last answer
 * (if any). ans is owned by the callee: release it. The callback may submit
 * more requests, call aws_client_call(), or aws_client_cancel().
 */
typedef void aws_done_fn(void *user, struct aws_answer *ans, const struct err *err);

/*
 * Copies req (and everything it points to) into the queue; nothing is sent
 * until run() or call(). Returns 0, or ERR_USAGE (no service or operation, a
 * path without '/', a bad region or endpoint) with err set and no callback.
 */
int aws_client_submit(struct aws_client *c, const struct aws_request *req, aws_done_fn *done,
                      void *user, struct err *err);

/* Drives transfers until every submitted request is done. Returns 0. */
int aws_client_run(struct aws_client *c);

/*
 * Asks run() to stop: queued and in-flight requests finish with
 * ERR_CANCELLED. Safe from another thread (it wakes the poll) and from a
 * callback. The client is usable again once run() has returned.
 */
void aws_client_cancel(struct aws_client *c);

/*
 * One call, synchronously: submit, then drive every request until this one
 * is done. Returns 0 (2xx in out) or the error (out then holds the last
 * answer, if any). Release out in both cases.
 */
int aws_client_call(struct aws_client *c, const struct aws_request *req, struct aws_answer *out,
                    struct err *err);

struct aws_call_count {
	char service[24];
	char operation[48];
	unsigned long calls;     /* calls finished */
	unsigned long attempts;  /* HTTP attempts, retries included */
	unsigned long throttled; /* attempts answered with a throttling error */
	unsigned long failed;    /* calls that ended in an error */
};

/*
 * The client's quota pacing (borrowed; lives as long as c): aws_pace_set()
 * on it changes a bucket's rate, e.g. for tests or a raised quota.
 */
struct aws_pace *aws_client_pace(struct aws_client *c);

/* The counters, one row per service and operation, in first-use order. */
const struct aws_call_count *aws_client_counts(const struct aws_client *c, size_t *n);

/*
 * Parses an AWS error answer in the service's protocol: JSON __type/code and
 * message, Query/XML <ErrorResponse><Error><Code>, REST-XML <Error><Code>,
 * or the x-amzn-ErrorType header. Fills err->aws_code and err->msg.
 */
void aws_error_parse(enum aws_protocol proto, int status, const char *errortype_header,
                     const char *body, size_t len, struct err *err);

#endif
