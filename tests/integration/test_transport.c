/*
 * The transport against tests/integration/faultserver.py on loopback: what
 * shears says (answer, error, counters, time taken) and what the server saw
 * (attempts, headers, concurrency).
 */
#include "cmocka_prelude.h"
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "aws/pace.h"
#include "aws/transport.h"
#include "testutil.h"
#include "util/buf.h"

#define AKID   "AKIDTRANSPORTTEST"
#define SECRET "transport-secret-0123456789abcdefghij"
#define TOKEN  "transport-token-zyxwvutsrqponmlkjihgfedcba"

static struct test_server srv;
static struct aws_creds creds;
static int creds_calls;

static char *
fault_argv_path(void)
{
	return (char *)test_path("tests/integration/faultserver.py");
}

static int
start_server(struct test_server *s, const char *cert, const char *key)
{
	char *argv[] = { "/usr/bin/python3",
		         "-I",
		         fault_argv_path(),
		         "--port",
		         "0",
		         "--stall-s",
		         "5",
		         cert ? "--tls" : NULL,
		         (char *)cert,
		         (char *)key,
		         NULL };

	return test_server_start(s, argv, 10);
}

static int
group_setup(void **state)
{
	(void)state;
	unsetenv("AWS_CA_BUNDLE");
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_LAMBDA");
	setenv("no_proxy", "127.0.0.1", 1); /* loopback never goes through a proxy */
	snprintf(creds.access_key_id, sizeof(creds.access_key_id), AKID);
	snprintf(creds.secret_access_key, sizeof(creds.secret_access_key), SECRET);
	snprintf(creds.session_token, sizeof(creds.session_token), TOKEN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return start_server(&srv, NULL, NULL);
}

static int
group_teardown(void **state)
{
	(void)state;
	test_server_stop(&srv);
	curl_global_cleanup();
	return 0;
}

static size_t
collect_body(char *p, size_t size, size_t n, void *user)
{
	return buf_append(user, p, size * n) ? 0 : size * n;
}

/* A control request to the fault server (plain curl, not the transport under test). */
static cJSON *
control(const char *base, const char *path, const char *body)
{
	struct buf out;
	char url[1024];
	CURL *e = curl_easy_init();
	cJSON *j;

	buf_init(&out, 0);
	snprintf(url, sizeof(url), "%s%s", base, path);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &out);
	if (body)
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	assert_int_equal(curl_easy_perform(e), CURLE_OK);
	curl_easy_cleanup(e);
	j = cJSON_Parse(buf_cstr(&out));
	buf_release(&out);
	assert_non_null(j);
	return j;
}

static void
plan(const char *path, const char *items)
{
	char p[256];

	snprintf(p, sizeof(p), "/__plan%s", path);
	cJSON_Delete(control(srv.url, p, items));
}

static int
reset(void **state)
{
	(void)state;
	creds_calls = 0;
	cJSON_Delete(control(srv.url, "/__reset", ""));
	return 0;
}

static int
seen(const char *path)
{
	cJSON *j = control(srv.url, "/__stats", NULL);
	const cJSON *paths = cJSON_GetObjectItem(j, "paths");
	const cJSON *n = cJSON_GetObjectItem(paths, path);
	int v = cJSON_IsNumber(n) ? n->valueint : 0;

	cJSON_Delete(j);
	return v;
}

static int
stat_int(const char *name)
{
	cJSON *j = control(srv.url, "/__stats", NULL);
	int v = cJSON_GetObjectItem(j, name)->valueint;

	cJSON_Delete(j);
	return v;
}

static int
counting_creds(void *ctx, struct aws_creds *out, struct err *err)
{
	creds_calls++;
	return aws_creds_static_get(ctx, out, err);
}

static struct aws_client *
client(int max_attempts, long deadline_ms, int max_in_flight, int pacing)
{
	struct aws_client_opts o = { .endpoint_url = srv.url,
		                     .region = "us-east-1",
		                     .max_attempts = max_attempts,
		                     .deadline_ms = deadline_ms,
		                     .max_in_flight = max_in_flight,
		                     .no_pacing = !pacing };
	struct err err = { 0 };
	struct aws_client *c = aws_client_new(&o, counting_creds, &creds, &err);

	assert_non_null(c);
	return c;
}

static struct aws_request
lambda_req(const char *path)
{
	struct aws_request r = { .service = aws_service_find("lambda"),
		                 .operation = "GetFunction",
		                 .method = "GET",
		                 .path = path,
		                 .resource = "arn:aws:lambda:us-east-1:123456789012:function:f" };

	return r;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const struct aws_call_count *
count_of(struct aws_client *c, const char *svc, const char *op)
{
	size_t n, i;
	const struct aws_call_count *rows = aws_client_counts(c, &n);

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].service, svc) && !strcmp(rows[i].operation, op))
			return &rows[i];
	fail_msg("no count for %s %s", svc, op);
	return NULL;
}

static void
assert_no_secret(const struct err *e)
{
	const char *fields[] = { e->msg, e->resource, e->aws_code, e->service, e->operation };
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		assert_null(strstr(fields[i], SECRET));
		assert_null(strstr(fields[i], TOKEN));
	}
}

static void
test_throttling_is_retried_until_success(void **state)
{
	struct aws_client *c = client(5, 10000, 0, 0);
	struct aws_request r = lambda_req("/t1");
	struct aws_answer ans;
	struct err err = { 0 };
	const struct aws_call_count *n;
	cJSON *st, *reqs;
	int i;

	(void)state;
	plan("/t1", "429,throttle-json,throttle-xml,200");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), 0);
	assert_int_equal(ans.status, 200);
	assert_int_equal(ans.attempts, 4);
	assert_non_null(strstr(ans.body, "\"seen\": 4"));
	assert_string_equal(ans.request_id, "req-4");
	assert_int_equal(seen("/t1"), 4);
	n = count_of(c, "lambda", "GetFunction");
	assert_int_equal(n->attempts, 4);
	assert_int_equal(n->throttled, 3);
	assert_int_equal(n->calls, 1);
	assert_int_equal(n->failed, 0);
	assert_int_equal(creds_calls, 4); /* credentials fetched for every attempt */
	/* every attempt was signed, for lambda in us-east-1, with the token */
	st = control(srv.url, "/__stats", NULL);
	reqs = cJSON_GetObjectItem(st, "requests");
	assert_int_equal(cJSON_GetArraySize(reqs), 4);
	for (i = 0; i < 4; i++) {
		const cJSON *q = cJSON_GetArrayItem(reqs, i);
		const char *auth = cJSON_GetObjectItem(q, "authorization")->valuestring;

		assert_non_null(strstr(auth, "AWS4-HMAC-SHA256 Credential=" AKID "/"));
		assert_non_null(strstr(auth, "/us-east-1/lambda/aws4_request"));
		assert_null(strstr(auth, SECRET));
		assert_string_equal(cJSON_GetObjectItem(q, "token")->valuestring, TOKEN);
		assert_int_equal(strlen(cJSON_GetObjectItem(q, "amz_date")->valuestring), 16);
		assert_string_equal(cJSON_GetObjectItem(q, "host")->valuestring, srv.url + 7);
		assert_non_null(
		        strstr(cJSON_GetObjectItem(q, "user_agent")->valuestring, "shears/"));
	}
	cJSON_Delete(st);
	aws_answer_release(&ans);
	aws_client_free(c);
}

static void
test_retry_after_is_honoured(void **state)
{
	struct aws_client *c = client(3, 10000, 0, 0);
	struct aws_request r = lambda_req("/ra");
	struct aws_answer ans;
	struct err err = { 0 };
	long t0 = now_ms(), took;

	(void)state;
	plan("/ra", "429@1,200");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), 0);
	took = now_ms() - t0;
	assert_true(took >= 950); /* without Retry-After the first backoff is at most 100 ms */
	assert_int_equal(ans.attempts, 2);
	assert_int_equal(seen("/ra"), 2);
	aws_answer_release(&ans);
	aws_client_free(c);
}

static void
test_throttling_gives_up_after_max_attempts(void **state)
{
	struct aws_client *c = client(3, 10000, 0, 0);
	struct aws_request r = { .service = aws_service_find("iam"),
		                 .operation = "ListRoles",
		                 .method = "POST",
		                 .path = "/",
		                 .body = "Action=ListRoles&Version=2010-05-08",
		                 .body_len = 35 };
	struct aws_answer ans;
	struct err err = { 0 };
	const struct aws_call_count *n;

	(void)state;
	plan("/", "throttle-xml,throttle-xml,throttle-xml,throttle-xml,200");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_THROTTLED);
	assert_int_equal(err.code, ERR_THROTTLED);
	assert_int_equal(err.http_status, 400);
	assert_string_equal(err.aws_code, "Throttling");
	assert_string_equal(err.service, "iam");
	assert_string_equal(err.operation, "ListRoles");
	assert_non_null(strstr(err.msg, "Rate exceeded"));
	assert_non_null(strstr(err.msg, "3 attempts"));
	assert_int_equal(ans.attempts, 3);
	assert_int_equal(seen("/"), 3);
	n = count_of(c, "iam", "ListRoles");
	assert_int_equal(n->attempts, 3);
	assert_int_equal(n->throttled, 3);
	assert_int_equal(n->failed, 1);
	aws_answer_release(&ans);
	aws_client_free(c);
}

static void
test_s3_slowdown_retried_and_signed_as_s3(void **state)
{
	struct aws_client *c = client(3, 10000, 0, 0);
	struct aws_request r = { .service = aws_service_find("s3"),
		                 .operation = "GetBucketPolicy",
		                 .method = "GET",
		                 .path = "/shears-demo",
		                 .query = "policy=" };
	struct aws_answer ans;
	struct err err = { 0 };
	cJSON *st;
	const cJSON *q;

	(void)state;
	plan("/shears-demo", "slowdown,200");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), 0);
	assert_int_equal(ans.attempts, 2);
	assert_int_equal(count_of(c, "s3", "GetBucketPolicy")->throttled, 1);
	st = control(srv.url, "/__stats", NULL);
	q = cJSON_GetArrayItem(cJSON_GetObjectItem(st, "requests"), 1);
	assert_int_equal(strlen(cJSON_GetObjectItem(q, "content_sha256")->valuestring), 64);
	assert_string_equal(cJSON_GetObjectItem(q, "path")->valuestring, "/shears-demo?policy=");
	assert_non_null(
	        strstr(cJSON_GetObjectItem(q, "authorization")->valuestring, "/s3/aws4_request"));
	cJSON_Delete(st);
	aws_answer_release(&ans);
	aws_client_free(c);
}

static void
test_5xx_resets_and_truncation_are_retried(void **state)
{
	struct aws_client *c = client(6, 10000, 0, 0);
	struct aws_request r = lambda_req("/flaky");
	struct aws_answer ans;
	struct err err = { 0 };

	(void)state;
	/*
	 * The reset comes first, on a fresh connection: on a reused one curl
	 * itself re-sends a request that got no byte back (a dead keep-alive
	 * connection), so the server would see one request more than we count.
	 */
	plan("/flaky", "reset,500,503,truncate,502,200");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), 0);
	assert_int_equal(ans.status, 200);
	assert_int_equal(ans.attempts, 6);
	assert_int_equal(seen("/flaky"), 6);
	assert_int_equal(count_of(c, "lambda", "GetFunction")->attempts, 6);
	assert_int_equal(count_of(c, "lambda", "GetFunction")->throttled, 0);
	aws_answer_release(&ans);
	aws_client_free(c);
}

static void
test_5xx_gives_up_with_the_last_error(void **state)
{
	struct aws_client *c = client(3, 10000, 0, 0);
	struct aws_request r = lambda_req("/down");
	struct aws_answer ans;
	struct err err = { 0 };

	(void)state;
	plan("/down", "500,500,500,200");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_AWS);
	assert_int_equal(err.http_status, 500);
	assert_string_equal(err.aws_code, "InternalFailure");
	assert_int_equal(seen("/down"), 3);
	assert_int_equal(ans.status, 500);
	assert_non_null(ans.body);
	aws_answer_release(&ans);
	aws_client_free(c);
}

/* A call that is not idempotent is sent again only when the answer said "throttled". */
static void
test_once_retries_only_throttling(void **state)
{
	struct aws_client *c = client(5, 10000, 0, 0);
	struct aws_request r = lambda_req("/once5xx");
	struct aws_answer ans;
	struct err err = { 0 };

	(void)state;
	r.once = 1;
	plan("/once5xx", "503,200");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_AWS);
	assert_int_equal(err.http_status, 503);
	assert_int_equal(seen("/once5xx"), 1);
	aws_answer_release(&ans);

	r = lambda_req("/oncethrottle");
	r.once = 1;
	plan("/oncethrottle", "429,200");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), 0);
	assert_int_equal(seen("/oncethrottle"), 2);
	aws_answer_release(&ans);
	aws_client_free(c);
}

static void
test_truncated_answers_exhausted_are_network_errors(void **state)
{
	struct aws_client *c = client(2, 10000, 0, 0);
	struct aws_request r = lambda_req("/cut");
	struct aws_answer ans;
	struct err err = { 0 };

	(void)state;
	plan("/cut", "truncate,reset,200");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_NET);
	assert_int_equal(err.code, ERR_NET);
	assert_non_null(strstr(err.msg, "127.0.0.1"));
	assert_int_equal(seen("/cut"), 2);
	assert_int_equal(count_of(c, "lambda", "GetFunction")->failed, 1);
	aws_answer_release(&ans);
	aws_client_free(c);
}

static void
test_other_errors_come_back_at_once(void **state)
{
	struct aws_client *c = client(5, 10000, 0, 0);
	struct aws_request r = lambda_req("/denied");
	struct aws_answer ans;
	struct err err = { 0 };

	(void)state;
	plan("/denied", "denied,200");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_AWS);
	assert_int_equal(err.http_status, 403);
	assert_string_equal(err.aws_code, "AccessDeniedException");
	assert_string_equal(err.service, "lambda");
	assert_string_equal(err.operation, "GetFunction");
	assert_string_equal(err.resource, "arn:aws:lambda:us-east-1:123456789012:function:f");
	assert_non_null(strstr(err.msg, "not authorized"));
	assert_no_secret(&err);
	assert_int_equal(seen("/denied"), 1);
	aws_answer_release(&ans);
	/* a rest-json code in x-amzn-ErrorType */
	r.path = "/missing";
	plan("/missing", "notfound");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_AWS);
	assert_int_equal(err.http_status, 404);
	assert_string_equal(err.aws_code, "ResourceNotFoundException");
	aws_answer_release(&ans);
	/* a body that is neither JSON nor XML: the status still tells */
	r.path = "/junk";
	plan("/junk", "malformed");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_AWS);
	assert_int_equal(err.http_status, 400);
	assert_string_equal(err.aws_code, "");
	assert_string_equal(err.msg, "http 400");
	assert_int_equal(seen("/junk"), 1);
	assert_int_equal(count_of(c, "lambda", "GetFunction")->calls, 3);
	assert_int_equal(count_of(c, "lambda", "GetFunction")->failed, 3);
	aws_answer_release(&ans);
	aws_client_free(c);
}

static void
test_deadline_holds_against_a_stalled_server(void **state)
{
	struct aws_client *c = client(5, 700, 0, 0);
	struct aws_request r = lambda_req("/stall");
	struct aws_answer ans;
	struct err err = { 0 };
	long t0 = now_ms(), took;

	(void)state;
	plan("/stall", "stall,stall,stall");
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_TIMEOUT);
	took = now_ms() - t0;
	assert_true(took >= 650);
	assert_true(took < 700 + 400);
	assert_int_equal(err.http_status, 0);
	assert_string_equal(err.operation, "GetFunction");
	assert_int_equal(ans.attempts, 1);
	aws_answer_release(&ans);
	/* 500s then a stall: the deadline covers every attempt */
	plan("/stall2", "500,stall,stall");
	r.path = "/stall2";
	t0 = now_ms();
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_TIMEOUT);
	took = now_ms() - t0;
	assert_true(took < 700 + 400);
	assert_int_equal(ans.attempts, 2);
	aws_answer_release(&ans);
	aws_client_free(c);
}

struct tally {
	int ok, failed, cancelled;
	long last_ms;
	struct aws_client *cancel_on_first;
};

static void
tally_done(void *user, struct aws_answer *ans, const struct err *err)
{
	struct tally *t = user;

	if (!err)
		t->ok++;
	else if (err->code == ERR_CANCELLED)
		t->cancelled++;
	else
		t->failed++;
	t->last_ms = now_ms();
	aws_answer_release(ans);
	if (t->cancel_on_first) {
		aws_client_cancel(t->cancel_on_first);
		t->cancel_on_first = NULL;
	}
}

static void
test_concurrency_is_bounded(void **state)
{
	struct aws_client *c = client(3, 10000, 4, 0);
	struct aws_request r = lambda_req("/many");
	struct tally t = { 0 };
	struct err err;
	struct buf items;
	int i, max_active;

	(void)state;
	buf_init(&items, 0);
	for (i = 0; i < 50; i++)
		assert_int_equal(buf_puts(&items, "slow:40,"), 0);
	plan("/many", buf_cstr(&items));
	buf_release(&items);
	for (i = 0; i < 50; i++)
		assert_int_equal(aws_client_submit(c, &r, tally_done, &t, &err), 0);
	assert_int_equal(aws_client_run(c), 0);
	assert_int_equal(t.ok, 50);
	max_active = stat_int("max_active");
	assert_true(max_active <= 4);
	assert_true(max_active >= 2); /* and there was concurrency */
	/*
	 * Kept alive, not reopened: 50 requests over a handful of connections.
	 * (Counting simultaneous connections instead races with the server's
	 * teardown of a connection curl has already dropped from its pool.)
	 */
	assert_true(stat_int("opened") <= 8);
	assert_int_equal(seen("/many"), 50);
	assert_int_equal(count_of(c, "lambda", "GetFunction")->calls, 50);
	assert_int_equal(count_of(c, "lambda", "GetFunction")->attempts, 50);
	aws_client_free(c);
}

static void
test_pacing_keeps_calls_under_the_rate(void **state)
{
	struct aws_client *c = client(3, 10000, 16, 1);
	struct aws_request r = lambda_req("/paced");
	struct tally t = { 0 };
	struct err err;
	long t0, took;
	int i;

	(void)state;
	r.operation = "ListFunctions";
	aws_pace_set(aws_client_pace(c), "lambda", "ListFunctions", 20, 1);
	t0 = now_ms();
	for (i = 0; i < 30; i++)
		assert_int_equal(aws_client_submit(c, &r, tally_done, &t, &err), 0);
	aws_client_run(c);
	took = now_ms() - t0;
	assert_int_equal(t.ok, 30);
	assert_true(took >= 1300); /* 29 waits of 50 ms; only a lower bound is robust */
	assert_int_equal(seen("/paced"), 30);
	aws_client_free(c);
}

static void
test_backoff_does_not_hold_up_other_requests(void **state)
{
	struct aws_client *c = client(3, 10000, 4, 0);
	struct aws_request slow = lambda_req("/backoff"), quick = lambda_req("/quick");
	struct tally ts = { 0 }, tq = { 0 };
	struct err err;
	long t0 = now_ms();
	int i;

	(void)state;
	plan("/backoff", "429@1,200");
	assert_int_equal(aws_client_submit(c, &slow, tally_done, &ts, &err), 0);
	for (i = 0; i < 8; i++)
		assert_int_equal(aws_client_submit(c, &quick, tally_done, &tq, &err), 0);
	aws_client_run(c);
	assert_int_equal(ts.ok, 1);
	assert_int_equal(tq.ok, 8);
	assert_true(ts.last_ms - t0 >= 950);
	assert_true(tq.last_ms - t0 < 800); /* done while the other one waited */
	aws_client_free(c);
}

static int
failing_creds(void *ctx, struct aws_creds *out, struct err *err)
{
	(void)ctx;
	(void)out;
	return err_set(err, ERR_CREDS, "no credentials: environment (not set)");
}

static void
test_credential_failure_sends_nothing(void **state)
{
	struct aws_client_opts o = { .endpoint_url = srv.url,
		                     .region = "us-east-1",
		                     .no_pacing = 1 };
	struct aws_client *c = aws_client_new(&o, failing_creds, NULL, NULL);
	struct aws_request r = lambda_req("/nocreds");
	struct aws_answer ans;
	struct err err = { 0 };

	(void)state;
	assert_non_null(c);
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_CREDS);
	assert_string_equal(err.operation, "GetFunction");
	assert_non_null(strstr(err.msg, "no credentials"));
	assert_int_equal(seen("/nocreds"), 0);
	aws_answer_release(&ans);
	aws_client_free(c);
}

static void
test_cancel_ends_pending_requests(void **state)
{
	struct aws_client *c = client(3, 10000, 4, 0);
	struct aws_request stall = lambda_req("/hang"), quick = lambda_req("/first");
	struct tally t = { .cancel_on_first = c };
	struct err err;
	long t0 = now_ms();
	int i;

	(void)state;
	plan("/hang", "stall,stall,stall,stall,stall");
	plan("/first", "slow:100");
	assert_int_equal(aws_client_submit(c, &quick, tally_done, &t, &err), 0);
	for (i = 0; i < 5; i++) /* three in flight, two queued when the cancel comes */
		assert_int_equal(aws_client_submit(c, &stall, tally_done, &t, &err), 0);
	aws_client_run(c);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(t.ok + t.cancelled + t.failed, 6);
	assert_int_equal(t.cancelled, 5);
	/* the client still works after a cancel */
	{
		struct aws_answer ans;

		assert_int_equal(aws_client_call(c, &quick, &ans, &err), 0);
		aws_answer_release(&ans);
	}
	aws_client_free(c);
}

static void
test_endpoint_base_path_and_bad_requests(void **state)
{
	char url[600];
	struct aws_client_opts o = { .endpoint_url = url, .region = "us-east-1", .no_pacing = 1 };
	struct aws_client *c;
	struct aws_request r = lambda_req("/2015-03-31/functions/f");
	struct aws_answer ans;
	struct err err = { 0 };

	(void)state;
	snprintf(url, sizeof(url), "%s/base/", srv.url);
	c = aws_client_new(&o, aws_creds_static_get, &creds, &err);
	assert_non_null(c);
	assert_int_equal(aws_client_call(c, &r, &ans, &err), 0);
	assert_int_equal(seen("/base/2015-03-31/functions/f"), 1);
	aws_answer_release(&ans);
	r.path = "no-slash";
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_USAGE);
	r.path = "/x";
	r.region = "us-east-1/../evil";
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_USAGE);
	aws_client_free(c);
}

static int
make_cert(const char *dir, char *cert, char *key, size_t n)
{
	char subj[] = "/CN=127.0.0.1";
	char *argv[] = { "/usr/bin/openssl",
		         "req",
		         "-x509",
		         "-newkey",
		         "ec",
		         "-pkeyopt",
		         "ec_paramgen_curve:prime256v1",
		         "-nodes",
		         "-days",
		         "1",
		         "-subj",
		         subj,
		         "-addext",
		         "subjectAltName=IP:127.0.0.1",
		         "-keyout",
		         key,
		         "-out",
		         cert,
		         NULL };
	char *out = NULL, *errs = NULL;
	int rc;

	snprintf(cert, n, "%s/cert.pem", dir);
	snprintf(key, n, "%s/key.pem", dir);
	rc = test_run(argv, NULL, &out, &errs);
	free(out);
	free(errs);
	return rc;
}

static void
test_tls_is_verified_and_ca_bundle_honoured(void **state)
{
	char *dir = test_tmpdir();
	char cert[512], key[512];
	struct test_server tls;
	struct aws_client_opts o = { .region = "us-east-1", .no_pacing = 1, .max_attempts = 3 };
	struct aws_request r = lambda_req("/secure");
	struct aws_client *c;
	struct aws_answer ans;
	struct err err = { 0 };

	(void)state;
	assert_int_equal(make_cert(dir, cert, key, sizeof(cert)), 0);
	assert_int_equal(start_server(&tls, cert, key), 0);
	assert_non_null(strstr(tls.url, "https://"));
	o.endpoint_url = tls.url;
	/* a self-signed server is refused, at once (retrying cannot help) */
	c = aws_client_new(&o, aws_creds_static_get, &creds, &err);
	assert_int_equal(aws_client_call(c, &r, &ans, &err), ERR_TLS);
	assert_int_equal(ans.attempts, 1);
	assert_int_equal(err.http_status, 0);
	aws_answer_release(&ans);
	aws_client_free(c);
	/* unless AWS_CA_BUNDLE names its certificate */
	setenv("AWS_CA_BUNDLE", cert, 1);
	c = aws_client_new(&o, aws_creds_static_get, &creds, &err);
	assert_int_equal(aws_client_call(c, &r, &ans, &err), 0);
	assert_int_equal(ans.status, 200);
	aws_answer_release(&ans);
	aws_client_free(c);
	/* a bundle that cannot be read is a configuration error */
	setenv("AWS_CA_BUNDLE", "/nonexistent/ca.pem", 1);
	assert_null(aws_client_new(&o, aws_creds_static_get, &creds, &err));
	assert_int_equal(err.code, ERR_CONFIG);
	unsetenv("AWS_CA_BUNDLE");
	test_server_stop(&tls);
	test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_throttling_is_retried_until_success, reset),
		cmocka_unit_test_setup(test_retry_after_is_honoured, reset),
		cmocka_unit_test_setup(test_throttling_gives_up_after_max_attempts, reset),
		cmocka_unit_test_setup(test_s3_slowdown_retried_and_signed_as_s3, reset),
		cmocka_unit_test_setup(test_5xx_resets_and_truncation_are_retried, reset),
		cmocka_unit_test_setup(test_5xx_gives_up_with_the_last_error, reset),
		cmocka_unit_test_setup(test_once_retries_only_throttling, reset),
		cmocka_unit_test_setup(test_truncated_answers_exhausted_are_network_errors, reset),
		cmocka_unit_test_setup(test_other_errors_come_back_at_once, reset),
		cmocka_unit_test_setup(test_deadline_holds_against_a_stalled_server, reset),
		cmocka_unit_test_setup(test_concurrency_is_bounded, reset),
		cmocka_unit_test_setup(test_pacing_keeps_calls_under_the_rate, reset),
		cmocka_unit_test_setup(test_backoff_does_not_hold_up_other_requests, reset),
		cmocka_unit_test_setup(test_credential_failure_sends_nothing, reset),
		cmocka_unit_test_setup(test_cancel_ends_pending_requests, reset),
		cmocka_unit_test_setup(test_endpoint_base_path_and_bad_requests, reset),
		cmocka_unit_test_setup(test_tls_is_verified_and_ca_bundle_honoured, reset),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
