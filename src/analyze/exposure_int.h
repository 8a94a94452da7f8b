/*
 * Readers shared by the exposure files (check_exposure.c, exposure_api.c,
 * exposure_data.c, exposure_reach.c). Not for other families: they use
 * exposure.h.
 */
#ifndef SHEARS_ANALYZE_EXPOSURE_INT_H
#define SHEARS_ANALYZE_EXPOSURE_INT_H

#include <stddef.h>

#include "analyze/amodel.h"
#include "analyze/analyze.h"
#include "analyze/finding.h"
#include "analyze/resource_policy.h"

/* lambda:InvokeFunction, lambda:InvokeFunctionUrl, lambda:InvokeAsync. */
extern const char *const exposure_invoke_actions[];

/* The account that owns r: its ARN's, else the model's. */
void exposure_owner(const struct amodel *m, const struct am_res *r, char *out, size_t n);

/* The widest grant of actions in r's resource policy (at attrs path); 0 when none. */
int exposure_policy_widest(const struct amodel *m, const struct am_res *r, const char *path,
                           const char *const *actions, struct rpol_grant *g);

/*
 * fn's function URL state: 2 when a URL has AuthType NONE and the policy
 * opens lambda:InvokeFunctionUrl to anyone, 1 when AuthType NONE but no
 * statement opens it (calls are refused), 0 otherwise. why gets the URL
 * and the deciding statement.
 */
int exposure_url_state(const struct amodel *m, const struct am_res *fn, char *why, size_t n);

/* One API route (HTTP API) or method (REST API) that needs no credentials. */
struct exposure_route {
	const struct am_res *api;
	char key[200];      /* "GET /catalog", "DELETE /orders/{orderId}" */
	char target[512];   /* the function ARN it integrates with, "" for other backends */
	char backend[200];  /* the integration otherwise: "HTTP_PROXY https://..." */
	int policy_limited; /* a REST API resource policy narrows who may call */
	char policy_why[420];
};

/*
 * Calls fn for each route of api (a REST or HTTP API resource) with no
 * authorizer and no API key, on an API that is deployed and not private.
 * Skipped: OPTIONS methods with a MOCK integration (CORS preflight) and
 * WebSocket routes other than $connect. Stops on non-zero, returns it.
 */
int exposure_each_open_route(const struct amodel *m, const struct am_res *api,
                             int (*fn)(const struct exposure_route *r, void *ctx), void *ctx);

/*
 * 1 when the bucket is public after its public access block: a policy
 * AWS reports public (PolicyStatus.IsPublic) or one that opens s3 actions
 * to anyone, or an ACL grant to AllUsers/AuthenticatedUsers. *writable is
 * set when anyone may write. why says which setting decided.
 */
int exposure_bucket_public(const struct amodel *m, const struct am_res *b, int *writable, char *why,
                           size_t n);

/* 1 when the queue or topic lets anyone send/publish (write) or read; why says which. */
int exposure_queue_open(const struct amodel *m, const struct am_res *q, int *writable, char *why,
                        size_t n);
int exposure_topic_open(const struct amodel *m, const struct am_res *t, int *writable, char *why,
                        size_t n);

/* One data store a function reaches, and how. */
struct exposure_reach {
	const struct am_res *role;  /* the role on the way, NULL when the function itself */
	const struct am_edge *edge; /* READS or WRITES to the store */
};

/* Calls fn for each data store edge of fn and of the roles it assumes. */
int exposure_each_reach(const struct amodel *m, const struct am_res *fn,
                        int (*cb)(const struct exposure_reach *r, void *ctx), void *ctx);

/* "table acme-catalog" for a data store ARN (kind and name); "" when not a store. */
void exposure_store_label(const struct amodel *m, const char *arn, char *out, size_t n);

/* The public entry points of fn, one call each (see exposure_is_public). */
int exposure_each_entry(const struct amodel *m, const struct am_res *fn,
                        int (*cb)(const char *entry, void *ctx), void *ctx);

/* The checks in each file. */
void exposure_check_function(const struct amodel *m, const struct am_res *fn, struct findings *out);
void exposure_check_apis(const struct amodel *m, struct findings *out);
void exposure_check_stores(const struct amodel *m, struct findings *out);
void exposure_check_exfiltration(const struct amodel *m, const struct am_res *fn,
                                 struct findings *out);

#endif
