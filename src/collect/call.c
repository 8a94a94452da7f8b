/*
 * Calls made for a scan: requests built in each service's protocol, sent
 * through aws_client_submit() with one adapter that counts the call and
 * hands the answer to the collector's callback.
 *
 * Invariants:
 *  1. Every call's (service, operation) is in the action table (actions.c);
 *     one that is not is refused and recorded as a gap, so a collector that
 *     forgets to extend the published IAM policy fails loudly in tests.
 *  2. scan->submitted - scan->finished is the number of calls in flight.
 *  3. The adapter releases the answer after the collector's callback.
 */
#include "collect/scan_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct call_ctx {
	struct collect_scan *scan;
	collect_done_fn *done;
	void *user;
};

static void
call_done(void *user, struct aws_answer *ans, const struct err *err)
{
	struct call_ctx *c = user;
	struct collect_scan *scan = c->scan;

	scan->finished++;
	c->done(scan, c->user, ans, err);
	aws_answer_release(ans);
	free(c);
	if (scan->cancel && *scan->cancel && scan->client)
		aws_client_cancel(scan->client); /* queued and in-flight calls end as cancelled */
	if (scan->progress) {
		double now = collect_now();

		if (now - scan->last_progress >= scan->progress_interval_s) {
			scan->last_progress = now;
			scan->progress(scan);
		}
	}
}

double
collect_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
collect_call(struct collect_scan *scan, const struct aws_request *req, collect_done_fn *done,
             void *user)
{
	struct call_ctx *c;
	struct err err;
	const char *sid = req && req->service ? req->service->id : NULL;
	const char *op = req ? req->operation : NULL;
	int rc;

	err_clear(&err);
	if (!collect_action_find(sid, op)) {
		rc = err_set(&err, ERR_USAGE,
		             "operation not in the iam-policy table (collect/actions.c)");
		err_context(&err, sid, op, NULL);
		collect_gap(scan, sid, req ? req->region : NULL, op, &err);
		return rc;
	}
	if (scan->test_submit) {
		rc = scan->test_submit(scan->test_ctx, req);
		if (rc)
			return rc;
		/* the test saw the request; answer it as a failure so collectors' paths end */
		err_set(&err, ERR_NET, "no network in unit tests");
		err_context(&err, sid, op, NULL);
		done(scan, user, NULL, &err);
		return 0;
	}
	if (!scan->client) {
		rc = err_set(&err, ERR_USAGE, "no client for this scan");
		err_context(&err, sid, op, NULL);
		collect_gap(scan, sid, req->region, op, &err);
		return rc;
	}
	if (scan->cancel && *scan->cancel) {
		rc = err_set(&err, ERR_CANCELLED, "scan cancelled");
		err_context(&err, sid, op, NULL);
		collect_gap(scan, sid, req->region, op, &err);
		return rc;
	}
	c = xmalloc(sizeof(*c));
	c->scan = scan;
	c->done = done;
	c->user = user;
	rc = aws_client_submit(scan->client, req, call_done, c, &err);
	if (rc) {
		free(c);
		collect_gap(scan, sid, req->region, op, &err);
		return rc;
	}
	scan->submitted++;
	return 0;
}

static int
refuse(struct collect_scan *scan, const char *service, const char *operation, const char *region,
       const char *why)
{
	struct err err;
	int rc;

	err_clear(&err);
	rc = err_set(&err, ERR_USAGE, "%s", why);
	err_context(&err, service, operation, NULL);
	collect_gap(scan, service, region, operation, &err);
	return rc;
}

static int
form_put(struct buf *b, const char *key, const char *value)
{
	int rc = 0;

	if (b->len)
		rc = buf_putc(b, '&');
	if (!rc)
		rc = aws_uri_encode(b, key, strlen(key), 0);
	if (!rc)
		rc = buf_putc(b, '=');
	if (!rc)
		rc = aws_uri_encode(b, value ? value : "", value ? strlen(value) : 0, 0);
	return rc;
}

int
collect_query_body(const struct aws_service *svc, const char *operation, const char *const *params,
                   struct buf *body)
{
	size_t i;
	int rc;

	rc = form_put(body, "Action", operation);
	if (!rc)
		rc = form_put(body, "Version", svc->api_version ? svc->api_version : "");
	for (i = 0; !rc && params && params[i] && params[i + 1]; i += 2)
		rc = form_put(body, params[i], params[i + 1]);
	return rc;
}

int
collect_call_query(struct collect_scan *scan, const char *service, const char *operation,
                   const char *region, const char *const *params, collect_done_fn *done, void *user)
{
	static const struct aws_header hdrs[] = {
		{ "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" },
	};
	const struct aws_service *svc = aws_service_find(service);
	struct aws_request req = { 0 };
	struct buf body;
	int rc;

	if (!svc || svc->protocol != AWS_PROTO_QUERY)
		return refuse(scan, service, operation, region, "not a query-protocol service");
	buf_init(&body, 0);
	rc = collect_query_body(svc, operation, params, &body);
	if (rc) {
		buf_release(&body);
		return refuse(scan, service, operation, region, "request too large");
	}
	req.service = svc;
	req.operation = operation;
	req.region = region;
	req.method = "POST";
	req.path = "/";
	req.headers = hdrs;
	req.n_headers = 1;
	req.body = buf_cstr(&body);
	req.body_len = body.len;
	rc = collect_call(scan, &req, done, user); /* the request is copied */
	buf_release(&body);
	return rc;
}

int
collect_call_json(struct collect_scan *scan, const char *service, const char *operation,
                  const char *region, const cJSON *body, collect_done_fn *done, void *user)
{
	const struct aws_service *svc = aws_service_find(service);
	struct aws_request req = { 0 };
	struct aws_header hdrs[2];
	char target[128], ctype[64];
	char *text;
	int rc;

	if (!svc || svc->protocol != AWS_PROTO_JSON || !svc->target_prefix)
		return refuse(scan, service, operation, region, "not a json-protocol service");
	snprintf(target, sizeof(target), "%s.%s", svc->target_prefix, operation);
	snprintf(ctype, sizeof(ctype), "application/x-amz-json-%s",
	         svc->json_version ? svc->json_version : "1.1");
	hdrs[0].name = "X-Amz-Target";
	hdrs[0].value = target;
	hdrs[1].name = "Content-Type";
	hdrs[1].value = ctype;
	text = body ? cJSON_PrintUnformatted(body) : xstrdup("{}");
	if (!text)
		return refuse(scan, service, operation, region, "cannot encode the request");
	req.service = svc;
	req.operation = operation;
	req.region = region;
	req.method = "POST";
	req.path = "/";
	req.headers = hdrs;
	req.n_headers = 2;
	req.body = text;
	req.body_len = strlen(text);
	rc = collect_call(scan, &req, done, user);
	free(text);
	return rc;
}

int
collect_call_rest(struct collect_scan *scan, const char *service, const char *operation,
                  const char *region, const char *method, const char *path, const char *query,
                  collect_done_fn *done, void *user)
{
	const struct aws_service *svc = aws_service_find(service);
	struct aws_request req = { 0 };

	if (!svc || (svc->protocol != AWS_PROTO_REST_JSON && svc->protocol != AWS_PROTO_REST_XML))
		return refuse(scan, service, operation, region, "not a rest-protocol service");
	req.service = svc;
	req.operation = operation;
	req.region = region;
	req.method = method ? method : "GET";
	req.path = path ? path : "/";
	req.query = query && *query ? query : NULL;
	req.resource = NULL;
	return collect_call(scan, &req, done, user);
}
