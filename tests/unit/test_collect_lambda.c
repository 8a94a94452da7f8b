/*
 * The Lambda, metrics and logs collectors on recorded answers
 * (tests/data/collect/, shaped after botocore's lambda, cloudwatch and logs
 * models). Requests are caught by the scan's test_submit hook: no network;
 * each caught call then fails, so the tests count what would have been sent.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/lambda_int.h"
#include "collect/scan_int.h"
#include "testutil.h"
#include "util/json.h"

#define FN_EMAIL  "arn:aws:lambda:us-east-1:314159265358:function:email-sender"
#define FN_ORDERS "arn:aws:lambda:us-east-1:314159265358:function:orders-api-get"
#define SENDGRID  "SG.ZJzaTestTestTestTestTest.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

struct calls {
	char ops[2048][48];
	size_t n;
	size_t queries; /* GetMetricData queries seen, all calls */
	size_t max_queries;
	char last_query[512];
	char esm_query[512]; /* the last ListEventSourceMappings query */
};

static int
catch_call(void *ctx, const struct aws_request *req)
{
	struct calls *c = ctx;

	if (c->n < sizeof(c->ops) / sizeof(c->ops[0]))
		snprintf(c->ops[c->n++], sizeof(c->ops[0]), "%s", req->operation);
	snprintf(c->last_query, sizeof(c->last_query), "%s", req->query ? req->query : "");
	if (!strcmp(req->operation, "ListEventSourceMappings"))
		snprintf(c->esm_query, sizeof(c->esm_query), "%s", c->last_query);
	if (!strcmp(req->operation, "GetMetricData")) {
		const char *p = req->body;
		size_t q = 0;

		while (p && (p = strstr(p, ".Id=")) &&
		       (size_t)(p - (const char *)req->body) < req->body_len) {
			q++;
			p += 4;
		}
		c->queries += q;
		if (q > c->max_queries)
			c->max_queries = q;
	}
	return 0;
}

static size_t
count_op(const struct calls *c, const char *op)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += !strcmp(c->ops[i], op);
	return n;
}

static cJSON *
load_json(const char *name)
{
	char rel[256];
	size_t len;
	char *text;
	cJSON *j;

	snprintf(rel, sizeof(rel), "tests/data/collect/%s", name);
	text = test_read_file(test_path(rel), &len);
	assert_non_null(text);
	j = json_parse(text, len, NULL);
	free(text);
	assert_non_null(j);
	return j;
}

static void
scan_start(struct collect_scan *scan, struct calls *c, int quick)
{
	collect_scan_init(scan, NULL, quick);
	memset(c, 0, sizeof(*c));
	scan->test_submit = catch_call;
	scan->test_ctx = c;
}

static void
list_recorded(struct collect_scan *scan)
{
	cJSON *page = load_json("lambda_list_functions.json");
	const cJSON *pages[] = { page };

	lambda_functions_listed(scan, "us-east-1", pages, 1);
	cJSON_Delete(page);
}

/* Previous attrs as the store would hand them back: same revision and code. */
static void
remember_unchanged(struct collect_scan *scan, const char *arn, const char *rev, const char *sha)
{
	char text[1024];

	snprintf(text, sizeof(text),
	         "{\"RevisionId\":\"%s\",\"CodeSha256\":\"%s\",\"Tags\":{\"team\":\"t\"},"
	         "\"EventInvokeConfigs\":[],\"PolicyRevisionId\":\"p1\","
	         "\"Policy\":{\"Statement\":[]},\"Url\":{\"AuthType\":\"NONE\"},"
	         "\"State\":\"Active\",\"Environment\":{\"Variables\":{\"A\":\"old\"}}}",
	         rev, sha);
	collect_prev_add(scan, arn, text);
}

static void
test_first_sight_reads_each_part_once(void **state)
{
	struct collect_scan scan;
	struct calls c;

	(void)state;
	scan_start(&scan, &c, 0);
	list_recorded(&scan);
	assert_int_equal(collect_count(&scan, MODEL_FUNCTION), 2); /* the version is not one */
	assert_int_equal(count_op(&c, "GetFunction"), 2);
	assert_int_equal(count_op(&c, "GetPolicy"), 2);
	/* the policy call failed (no network), so the URL is read to be sure */
	assert_int_equal(count_op(&c, "ListFunctionUrlConfigs"), 2);
	assert_int_equal(count_op(&c, "ListFunctionEventInvokeConfigs"), 2);
	assert_int_equal(count_op(&c, "ListAliases"), 1); /* only orders-api-get has a version */
	assert_int_equal(count_op(&c, "ListEventSourceMappings"), 1);
	assert_non_null(strstr(c.esm_query, "MaxItems=100"));
	collect_scan_release(&scan);
}

static void
test_unchanged_revision_skips_get_function(void **state)
{
	struct collect_scan scan;
	struct calls c;
	cJSON *a;

	(void)state;
	scan_start(&scan, &c, 0);
	remember_unchanged(&scan, FN_EMAIL, "11111111-1111-4111-8111-111111111111",
	                   "c2VuZGVyLWNvZGUtc2hhMjU2LXZhbHVlLWZvci10ZXN0cw==");
	list_recorded(&scan);
	assert_int_equal(count_op(&c, "GetFunction"), 1); /* orders-api-get only */
	assert_int_equal(count_op(&c, "GetPolicy"), 2);   /* its own RevisionId: always read */
	assert_int_equal(count_op(&c, "ListFunctionEventInvokeConfigs"), 1);
	a = collect_attrs(&scan, FN_EMAIL);
	assert_non_null(a);
	/* carried over: what only GetFunction and the other calls give */
	assert_string_equal(json_str(a, "Tags.team"), "t");
	assert_string_equal(json_str(a, "State"), "Active");
	/* never carried: the configuration is this listing's, redacted afresh */
	assert_null(json_str(a, "Environment.Variables.A"));
	assert_non_null(json_str(a, "Environment.Variables.SENDGRID_API_KEY"));
	collect_scan_release(&scan);
}

static void
test_changed_code_reads_function_again(void **state)
{
	struct collect_scan scan;
	struct calls c;

	(void)state;
	scan_start(&scan, &c, 0);
	remember_unchanged(&scan, FN_EMAIL, "11111111-1111-4111-8111-111111111111", "old-sha");
	remember_unchanged(&scan, FN_ORDERS, "changed-revision",
	                   "b3JkZXJzLWFwaS1jb2RlLXNoYTI1Ni12YWx1ZS1mb3ItdGVzdA==");
	list_recorded(&scan);
	assert_int_equal(count_op(&c, "GetFunction"), 2);
	collect_scan_release(&scan);
}

static void
test_quick_unchanged_makes_no_function_calls(void **state)
{
	struct collect_scan scan;
	struct calls c;
	cJSON *a;

	(void)state;
	scan_start(&scan, &c, 1);
	remember_unchanged(&scan, FN_EMAIL, "11111111-1111-4111-8111-111111111111",
	                   "c2VuZGVyLWNvZGUtc2hhMjU2LXZhbHVlLWZvci10ZXN0cw==");
	list_recorded(&scan);
	/* email-sender is trusted whole; orders-api-get is new: at most 5 calls */
	assert_int_equal(count_op(&c, "GetFunction"), 1);
	assert_int_equal(count_op(&c, "GetPolicy"), 1);
	assert_true(c.n - count_op(&c, "ListEventSourceMappings") <= 5);
	a = collect_attrs(&scan, FN_EMAIL);
	assert_string_equal(json_str(a, "PolicyRevisionId"), "p1");
	assert_string_equal(json_str(a, "Url.AuthType"), "NONE");
	collect_scan_release(&scan);
}

static void
test_url_read_when_function_or_policy_changed(void **state)
{
	cJSON *prev = cJSON_Parse("{\"PolicyRevisionId\":\"p1\",\"Url\":null}");
	cJSON *none = cJSON_Parse("{\"RevisionId\":\"r\",\"Url\":null}");
	cJSON *unread = cJSON_Parse("{\"PolicyRevisionId\":\"p1\"}");

	(void)state;
	assert_int_equal(lambda_need_url(0, prev, "p1"), 0);
	assert_int_equal(lambda_need_url(0, prev, "p2"), 1);
	assert_int_equal(lambda_need_url(0, prev, NULL), 1); /* policy removed */
	assert_int_equal(lambda_need_url(1, prev, "p1"), 1);
	assert_int_equal(lambda_need_url(0, none, NULL), 0); /* still no policy */
	assert_int_equal(lambda_need_url(0, none, "p9"), 1); /* a new policy */
	assert_int_equal(lambda_need_url(0, NULL, NULL), 1);
	/* the last scan's URL call failed: read it though nothing changed */
	assert_int_equal(lambda_need_url(0, unread, "p1"), 1);
	cJSON_Delete(unread);
	cJSON_Delete(prev);
	cJSON_Delete(none);
}

static void
test_policy_string_becomes_object(void **state)
{
	cJSON *ans = load_json("lambda_get_policy.json");
	cJSON *attrs = cJSON_CreateObject();
	cJSON *bad = cJSON_Parse("{\"Policy\":\"{not json\",\"RevisionId\":\"r2\"}");
	const cJSON *st;

	(void)state;
	assert_int_equal(lambda_apply_policy(attrs, ans), 0);
	assert_true(cJSON_IsObject(json_path(attrs, "Policy")));
	st = cJSON_GetArrayItem(json_path(attrs, "Policy.Statement"), 0);
	assert_string_equal(json_str(st, "Principal"), "*");
	assert_string_equal(json_str(st, "Condition.StringEquals.lambda:FunctionUrlAuthType"),
	                    "NONE");
	assert_string_equal(json_str(attrs, "PolicyRevisionId"),
	                    "44444444-4444-4444-8444-444444444444");
	/* ResourceNotFoundException: no policy at all */
	assert_int_equal(lambda_apply_policy(attrs, NULL), 0);
	assert_null(json_path(attrs, "Policy"));
	assert_null(json_path(attrs, "PolicyRevisionId"));
	/* a policy that is not JSON is kept as text and reported */
	assert_int_equal(lambda_apply_policy(attrs, bad), ERR_PARSE);
	assert_string_equal(json_str(attrs, "Policy"), "{not json");
	cJSON_Delete(ans);
	cJSON_Delete(attrs);
	cJSON_Delete(bad);
}

static void
test_environment_values_redacted_raw_kept_apart(void **state)
{
	cJSON *page = load_json("lambda_list_functions.json");
	cJSON *get = load_json("lambda_get_function.json");
	cJSON *attrs =
	        lambda_attrs_from_list(cJSON_GetArrayItem(json_path(page, "Functions"), 0), NULL);
	const char *v = json_str(attrs, "Environment.Variables.SENDGRID_API_KEY");
	char *text;

	(void)state;
	assert_non_null(v);
	assert_true(strncmp(v, "SG.Z", 4) == 0);
	assert_non_null(strstr(v, "sha256:"));
	assert_null(strstr(v, "abcdefghij"));
	assert_string_equal(json_str(attrs, LAMBDA_ENV_RAW ".SENDGRID_API_KEY"), SENDGRID);
	/* GetFunction's configuration is redacted the same way, tags and concurrency added */
	lambda_apply_get_function(attrs, get);
	v = json_str(attrs, "Environment.Variables.SENDGRID_API_KEY");
	assert_null(strstr(v, "abcdefghij"));
	assert_null(json_str(attrs, "Environment.Variables.QUEUE_URL")); /* config replaced whole */
	assert_string_equal(json_str(attrs, LAMBDA_ENV_RAW ".SENDGRID_API_KEY"), SENDGRID);
	assert_string_equal(json_str(attrs, "Tags.team"), "growth");
	assert_string_equal(json_str(attrs, "State"), "Active");
	{
		double d = 0;

		assert_int_equal(json_num(attrs, "Concurrency.ReservedConcurrentExecutions", &d),
		                 0);
		assert_true(d == 5);
	}
	/* apart from the private key, the secret appears nowhere */
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, LAMBDA_ENV_RAW);
	text = cJSON_PrintUnformatted(attrs);
	assert_null(strstr(text, "abcdefghij"));
	free(text);
	cJSON_Delete(attrs);
	cJSON_Delete(page);
	cJSON_Delete(get);
}

static void
test_versions_attached_and_redacted(void **state)
{
	struct collect_scan scan;
	struct calls c;
	cJSON *a;
	char *text;

	(void)state;
	scan_start(&scan, &c, 0);
	list_recorded(&scan);
	a = collect_attrs(&scan, FN_ORDERS);
	assert_int_equal(cJSON_GetArraySize(json_path(a, "Versions")), 1);
	text = cJSON_PrintUnformatted(json_path(a, "Versions"));
	assert_null(strstr(text, "secret-ish"));
	assert_null(strstr(text, LAMBDA_ENV_RAW));
	free(text);
	collect_scan_release(&scan);
}

static void
test_url_prefers_the_function_own(void **state)
{
	cJSON *ans = load_json("lambda_list_url_configs.json");
	cJSON *attrs = cJSON_CreateObject();

	(void)state;
	lambda_apply_urls(attrs, ans);
	assert_string_equal(json_str(attrs, "Url.AuthType"), "NONE");
	assert_int_equal(cJSON_GetArraySize(json_path(attrs, "Urls")), 2);
	/* none: read and absent, told apart from never read */
	cJSON_Delete(ans);
	ans = cJSON_Parse("{\"FunctionUrlConfigs\":[]}");
	lambda_apply_urls(attrs, ans);
	assert_true(cJSON_IsNull(json_path(attrs, "Url")));
	assert_null(json_path(attrs, "Urls"));
	cJSON_Delete(ans);
	cJSON_Delete(attrs);
}

static int
has_edge(const struct collect_scan *scan, const char *src, const char *dst,
         enum model_edge_kind kind, const char *evidence_part)
{
	size_t i;

	for (i = 0; i < scan->n_edges; i++)
		if (scan->edges[i].kind == kind && !strcmp(scan->edges[i].src, src) &&
		    !strcmp(scan->edges[i].dst, dst) &&
		    (!evidence_part || strstr(scan->edges[i].evidence, evidence_part)))
			return 1;
	return 0;
}

static void
test_mappings_and_destinations_become_edges(void **state)
{
	struct collect_scan scan;
	struct calls c;
	cJSON *esm = load_json("lambda_list_event_source_mappings.json");
	cJSON *eic = load_json("lambda_list_event_invoke_configs.json");
	cJSON *a;

	(void)state;
	scan_start(&scan, &c, 0);
	list_recorded(&scan);
	collect_resource(&scan, MODEL_TABLE,
	                 "arn:aws:dynamodb:us-east-1:314159265358:table/acme-inventory",
	                 "acme-inventory", "us-east-1", NULL);
	lambda_apply_esm_page(&scan, esm);
	a = collect_attrs(&scan, FN_EMAIL);
	cJSON_AddItemToObject(a, "EventInvokeConfigs",
	                      cJSON_Duplicate(json_path(eic, "FunctionEventInvokeConfigs"), 1));
	assert_int_equal(cJSON_GetArraySize(json_path(a, "EventSourceMappings")), 1);
	assert_int_equal(cJSON_GetArraySize(
	                         json_path(collect_attrs(&scan, FN_ORDERS), "EventSourceMappings")),
	                 3); /* the version's mapping belongs to the function */
	collect_lambda_phase(&scan, COLLECT_PHASE_EDGES, "us-east-1");
	assert_true(has_edge(&scan, "arn:aws:sqs:us-east-1:314159265358:acme-email-queue", FN_EMAIL,
	                     MODEL_EDGE_TRIGGERS, "SQS event source mapping uuid aaaaaaaa"));
	/* a stream of a collected table is drawn from the table */
	assert_true(has_edge(&scan, "arn:aws:dynamodb:us-east-1:314159265358:table/acme-inventory",
	                     FN_ORDERS, MODEL_EDGE_TRIGGERS, "DynamoDB stream"));
	/* ... of a table not collected, from the stream itself */
	assert_true(has_edge(&scan,
	                     "arn:aws:dynamodb:us-east-1:314159265358:table/not-collected/stream/"
	                     "2026-01-01T00:00:00.000",
	                     FN_ORDERS, MODEL_EDGE_TRIGGERS, NULL));
	assert_true(has_edge(&scan, "arn:aws:kinesis:us-east-1:314159265358:stream/clicks",
	                     FN_ORDERS, MODEL_EDGE_TRIGGERS, "Disabled"));
	assert_true(has_edge(&scan, FN_ORDERS, "arn:aws:sqs:us-east-1:314159265358:acme-orders-dlq",
	                     MODEL_EDGE_INVOKES, "OnFailure"));
	assert_true(has_edge(&scan, FN_EMAIL,
	                     "arn:aws:sqs:us-east-1:314159265358:acme-checkout-dlq",
	                     MODEL_EDGE_INVOKES, "OnFailure"));
	assert_true(has_edge(&scan, FN_EMAIL,
	                     "arn:aws:sns:us-east-1:314159265358:acme-order-events",
	                     MODEL_EDGE_INVOKES, "OnSuccess"));
	assert_true(has_edge(&scan, FN_EMAIL,
	                     "arn:aws:iam::314159265358:role/acme-basic-lambda-role",
	                     MODEL_EDGE_ASSUMES, NULL));
	/* a function URL is an entry point, its auth in the evidence */
	{
		cJSON *urls = load_json("lambda_list_url_configs.json");

		lambda_apply_urls(a, urls);
		cJSON_Delete(urls);
		collect_lambda_phase(&scan, COLLECT_PHASE_EDGES, "us-east-1");
		assert_true(has_edge(
		        &scan,
		        "https://0123456789abcdef0123456789abcdef.lambda-url.us-east-1.on.aws/",
		        FN_EMAIL, MODEL_EDGE_TRIGGERS, "function URL auth NONE"));
		assert_true(has_edge(
		        &scan,
		        "https://abcdef0123456789abcdef0123456789.lambda-url.us-east-1.on.aws/",
		        FN_EMAIL, MODEL_EDGE_TRIGGERS, "function URL of live auth AWS_IAM"));
	}
	assert_false(has_edge(&scan, "arn:aws:sqs:us-east-1:314159265358:other",
	                      "arn:aws:lambda:us-east-1:314159265358:function:gone-function",
	                      MODEL_EDGE_TRIGGERS, NULL));
	cJSON_Delete(esm);
	cJSON_Delete(eic);
	collect_scan_release(&scan);
}

static void
test_layers_listed_and_used_versions_kept(void **state)
{
	struct collect_scan scan;
	struct calls c;
	cJSON *layers = load_json("lambda_list_layers.json");

	(void)state;
	scan_start(&scan, &c, 0);
	list_recorded(&scan);
	lambda_apply_layers_page(&scan, "us-east-1", layers);
	assert_non_null(collect_attrs(
	        &scan, "arn:aws:lambda:us-east-1:314159265358:layer:acme-common-py:2"));
	collect_lambda_phase(&scan, COLLECT_PHASE_DETAIL, "us-east-1");
	/* the version a function names, though ListLayers only shows the latest */
	assert_non_null(collect_attrs(
	        &scan, "arn:aws:lambda:us-east-1:314159265358:layer:acme-node-utils:1"));
	assert_int_equal(collect_count(&scan, MODEL_LAYER), 2);
	cJSON_Delete(layers);
	collect_scan_release(&scan);
}

static void
test_metric_batches_hold_at_most_500_queries(void **state)
{
	static const size_t n_fn[] = { 1, 100, 101, 1000 };
	static const size_t calls[] = { 1, 1, 2, 10 };
	size_t t, i;

	(void)state;
	for (t = 0; t < sizeof(n_fn) / sizeof(n_fn[0]); t++) {
		struct collect_scan scan;
		struct calls c;

		assert_int_equal(metrics_batches(n_fn[t]), calls[t]);
		scan_start(&scan, &c, 0);
		for (i = 0; i < n_fn[t]; i++) {
			char arn[128], name[32];

			snprintf(name, sizeof(name), "fn-%zu", i);
			snprintf(arn, sizeof(arn), "arn:aws:lambda:us-east-1:1:function:%s", name);
			collect_resource(&scan, MODEL_FUNCTION, arn, name, "us-east-1", NULL);
		}
		/* another region's function is not asked about here */
		collect_resource(&scan, MODEL_FUNCTION, "arn:aws:lambda:eu-west-1:1:function:x",
		                 "x", "eu-west-1", NULL);
		collect_metrics_phase(&scan, COLLECT_PHASE_DETAIL, "us-east-1");
		assert_int_equal(count_op(&c, "GetMetricData"), calls[t]);
		assert_int_equal(c.queries, n_fn[t] * METRICS_PER_FUNCTION);
		assert_true(c.max_queries <= METRICS_MAX_QUERIES);
		collect_scan_release(&scan);
	}
}

static void
test_metric_params_name_every_series(void **state)
{
	const char *names[] = { "email-sender", "orders-api-get" };
	char **p = metrics_params(names, 2, 1000 * 86400, 1090 * 86400, "tok");
	size_t i, n = 0;
	int p99 = 0, start = 0, token = 0;

	(void)state;
	for (i = 0; p[i]; i += 2) {
		n++;
		if (!strcmp(p[i], "MetricDataQueries.member.10.MetricStat.Stat"))
			p99 = !strcmp(p[i + 1], "p99");
		if (!strcmp(p[i], "StartTime"))
			start = !strcmp(p[i + 1], "1972-09-27T00:00:00Z");
		if (!strcmp(p[i], "NextToken"))
			token = !strcmp(p[i + 1], "tok");
		if (!strcmp(p[i],
		            "MetricDataQueries.member.6.MetricStat.Metric.Dimensions.member.1.Value"))
			assert_string_equal(p[i + 1], "orders-api-get");
	}
	assert_int_equal(n, 2 * 5 * 7 + 3);
	assert_true(p99 && start && token);
	metrics_params_free(p);
}

static void
test_metric_answer_recorded_per_day(void **state)
{
	struct collect_scan scan;
	const char *arns[] = { FN_EMAIL, FN_ORDERS };
	struct err err = { 0 };
	char *xml, *next = NULL;
	size_t len, i;
	int inv21 = 0, inv20 = 0, dmax = 0;
	int64_t d21 = metrics_day("2026-11-21T00:00:00Z");

	(void)state;
	collect_scan_init(&scan, NULL, 0);
	xml = test_read_file(test_path("tests/data/collect/cloudwatch_get_metric_data.xml"), &len);
	assert_non_null(xml);
	assert_int_equal(metrics_apply_answer(&scan, arns, 2, xml, len, &next, &err), 0);
	assert_string_equal(next, "Y3c6Mg==");
	free(next);
	next = NULL;
	assert_int_equal(scan.n_metrics, 3); /* q7_0 names no function of the batch */
	for (i = 0; i < scan.n_metrics; i++) {
		const struct collect_metric_rec *m = &scan.metrics[i];

		inv21 += !strcmp(m->arn, FN_EMAIL) && !strcmp(m->name, "Invocations") &&
		         m->day == d21 && m->value == 42.0;
		inv20 += !strcmp(m->arn, FN_EMAIL) && m->day == d21 - 1 && m->value == 7.0;
		dmax += !strcmp(m->arn, FN_ORDERS) && !strcmp(m->name, "DurationMax") &&
		        m->value == 1834.5;
	}
	assert_true(inv21 == 1 && inv20 == 1 && dmax == 1);
	assert_int_equal(d21, 20778); /* 2026-11-21 */
	assert_int_equal(metrics_day("not a date"), -1);
	assert_int_not_equal(metrics_apply_answer(&scan, arns, 2, "<x>", 3, &next, &err), 0);
	free(next);
	free(xml);
	collect_scan_release(&scan);
}

static void
test_log_groups_and_function_edges(void **state)
{
	struct collect_scan scan;
	struct calls c;
	cJSON *page = load_json("logs_describe_log_groups.json");
	const char *g = "arn:aws:logs:us-east-1:314159265358:log-group:/aws/lambda/orders-api-get";
	double d = 0;

	(void)state;
	scan_start(&scan, &c, 0);
	list_recorded(&scan);
	logs_apply_page(&scan, "us-east-1", page);
	assert_int_equal(collect_count(&scan, MODEL_LOG_GROUP), 2);
	assert_int_equal(json_num(collect_attrs(&scan, g), "retentionInDays", &d), 0);
	assert_true(d == 30);
	collect_logs_phase(&scan, COLLECT_PHASE_EDGES, "us-east-1");
	assert_true(has_edge(&scan, FN_ORDERS, g, MODEL_EDGE_WRITES, NULL));
	assert_true(
	        has_edge(&scan, FN_EMAIL,
	                 "arn:aws:logs:us-east-1:314159265358:log-group:/aws/lambda/email-sender",
	                 MODEL_EDGE_WRITES, NULL));
	/* a listing with a nextToken is followed */
	c.n = 0;
	collect_logs_phase(&scan, COLLECT_PHASE_LIST, "us-east-1");
	assert_int_equal(count_op(&c, "DescribeLogGroups"), 1);
	cJSON_Delete(page);
	collect_scan_release(&scan);
}

static void
test_quick_reads_no_metrics_or_log_groups_but_keeps_them(void **state)
{
	struct collect_scan scan;
	struct calls c;
	const char *g = "arn:aws:logs:us-east-1:314159265358:log-group:/aws/lambda/email-sender";
	const char *orphan = "arn:aws:logs:us-east-1:314159265358:log-group:/app/batch-old";
	const char *west = "arn:aws:logs:eu-west-1:314159265358:log-group:/app/west";

	(void)state;
	scan_start(&scan, &c, 1);
	collect_prev_add_res(
	        &scan, MODEL_LOG_GROUP, g, "/aws/lambda/email-sender", "us-east-1",
	        "{\"logGroupName\":\"/aws/lambda/email-sender\",\"retentionInDays\":7}");
	/* no function writes to it: the commit would drop it unless it is carried over */
	collect_prev_add_res(&scan, MODEL_LOG_GROUP, orphan, "/app/batch-old", "us-east-1",
	                     "{\"logGroupName\":\"/app/batch-old\",\"retentionInDays\":1}");
	/* another region's group: carried by that region's hook only */
	collect_prev_add_res(&scan, MODEL_LOG_GROUP, west, "/app/west", "eu-west-1",
	                     "{\"logGroupName\":\"/app/west\"}");
	/* a previous resource of another kind is not a log group */
	collect_prev_add_res(&scan, MODEL_QUEUE, "arn:aws:sqs:us-east-1:314159265358:q", "q",
	                     "us-east-1", "{\"logGroupName\":\"q\"}");
	list_recorded(&scan);
	c.n = 0;
	collect_logs_phase(&scan, COLLECT_PHASE_LIST, "us-east-1");
	collect_metrics_phase(&scan, COLLECT_PHASE_DETAIL, "us-east-1");
	collect_logs_phase(&scan, COLLECT_PHASE_DETAIL, "us-east-1");
	assert_int_equal(c.n, 0);
	assert_non_null(collect_attrs(&scan, g));
	assert_string_equal(json_str(collect_attrs(&scan, g), "logGroupName"),
	                    "/aws/lambda/email-sender");
	assert_string_equal(json_str(collect_attrs(&scan, orphan), "logGroupName"),
	                    "/app/batch-old");
	assert_null(collect_attrs(&scan, west));
	assert_int_equal(collect_count(&scan, MODEL_LOG_GROUP), 2);
	collect_logs_phase(&scan, COLLECT_PHASE_LIST, "eu-west-1");
	assert_non_null(collect_attrs(&scan, west));
	assert_int_equal(collect_count(&scan, MODEL_LOG_GROUP), 3);
	assert_int_equal(c.n, 0);
	collect_logs_phase(&scan, COLLECT_PHASE_EDGES, "us-east-1");
	assert_true(has_edge(&scan, FN_EMAIL, g, MODEL_EDGE_WRITES, NULL));
	collect_scan_release(&scan);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_sight_reads_each_part_once),
		cmocka_unit_test(test_unchanged_revision_skips_get_function),
		cmocka_unit_test(test_changed_code_reads_function_again),
		cmocka_unit_test(test_quick_unchanged_makes_no_function_calls),
		cmocka_unit_test(test_url_read_when_function_or_policy_changed),
		cmocka_unit_test(test_policy_string_becomes_object),
		cmocka_unit_test(test_environment_values_redacted_raw_kept_apart),
		cmocka_unit_test(test_versions_attached_and_redacted),
		cmocka_unit_test(test_url_prefers_the_function_own),
		cmocka_unit_test(test_mappings_and_destinations_become_edges),
		cmocka_unit_test(test_layers_listed_and_used_versions_kept),
		cmocka_unit_test(test_metric_batches_hold_at_most_500_queries),
		cmocka_unit_test(test_metric_params_name_every_series),
		cmocka_unit_test(test_metric_answer_recorded_per_day),
		cmocka_unit_test(test_log_groups_and_function_edges),
		cmocka_unit_test(test_quick_reads_no_metrics_or_log_groups_but_keeps_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
