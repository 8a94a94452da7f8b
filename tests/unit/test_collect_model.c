/*
 * The scan's in-memory model (collect.h), redaction, the IAM action table,
 * and the requests collect_call_query/_json/_rest build in each protocol.
 * Requests are caught by the scan's test_submit hook: no network.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collect.h"
#include "collect/scan.h"
#include "collect/scan_int.h"
#include "util/xmalloc.h"

struct seen {
	int n;
	char method[8], path[256], query[256], body[1024];
	char target[128], ctype[128], service[32], operation[64], region[32];
};

static int
catch_request(void *ctx, const struct aws_request *req)
{
	struct seen *s = ctx;
	size_t i;

	s->n++;
	snprintf(s->method, sizeof(s->method), "%s", req->method);
	snprintf(s->path, sizeof(s->path), "%s", req->path);
	snprintf(s->query, sizeof(s->query), "%s", req->query ? req->query : "");
	snprintf(s->body, sizeof(s->body), "%.*s", (int)req->body_len,
	         req->body ? (const char *)req->body : "");
	snprintf(s->service, sizeof(s->service), "%s", req->service->id);
	snprintf(s->operation, sizeof(s->operation), "%s", req->operation);
	snprintf(s->region, sizeof(s->region), "%s", req->region ? req->region : "");
	s->target[0] = s->ctype[0] = '\0';
	for (i = 0; i < req->n_headers; i++) {
		if (!strcasecmp(req->headers[i].name, "X-Amz-Target"))
			snprintf(s->target, sizeof(s->target), "%s", req->headers[i].value);
		if (!strcasecmp(req->headers[i].name, "Content-Type"))
			snprintf(s->ctype, sizeof(s->ctype), "%s", req->headers[i].value);
	}
	return 0;
}

static int n_done;

static void
count_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
           const struct err *err)
{
	(void)scan;
	(void)user;
	(void)ans;
	(void)err;
	n_done++;
}

static void
visit(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs, void *ctx)
{
	struct buf *b = ctx;

	(void)scan;
	(void)region;
	(void)attrs;
	buf_printf(b, "%s;", arn);
}

static void
test_resource_is_found_by_arn_and_replaced(void **state)
{
	struct collect_scan scan;
	cJSON *a;

	(void)state;
	collect_scan_init(&scan, NULL, 0);
	a = collect_resource(&scan, MODEL_FUNCTION, "arn:f1", "f1", "us-east-1", NULL);
	assert_non_null(a);
	assert_true(cJSON_IsObject(a));
	cJSON_AddStringToObject(a, "Runtime", "python3.12");
	assert_ptr_equal(collect_attrs(&scan, "arn:f1"), a);
	assert_string_equal(
	        cJSON_GetObjectItem(collect_attrs(&scan, "arn:f1"), "Runtime")->valuestring,
	        "python3.12");
	a = collect_resource(&scan, MODEL_FUNCTION, "arn:f1", "f1", "us-east-1",
	                     cJSON_Parse("{\"Runtime\":\"nodejs20.x\"}"));
	assert_string_equal(cJSON_GetObjectItem(a, "Runtime")->valuestring, "nodejs20.x");
	assert_int_equal(scan.n_res, 1);
	assert_null(collect_attrs(&scan, "arn:f2"));
	assert_null(collect_resource(&scan, MODEL_FUNCTION, "", "x", "r", NULL));
	collect_scan_release(&scan);
}

static void
test_map_holds_many_resources_and_each_visits_one_kind_in_order(void **state)
{
	struct collect_scan scan;
	struct buf b;
	char arn[64], want[64];
	int i;

	(void)state;
	collect_scan_init(&scan, NULL, 0);
	for (i = 0; i < 5000; i++) {
		snprintf(arn, sizeof(arn), "arn:aws:sqs:us-east-1:1:q%d", i);
		collect_resource(&scan, i % 2 ? MODEL_QUEUE : MODEL_TOPIC, arn, arn + 25,
		                 "us-east-1", NULL);
	}
	for (i = 0; i < 5000; i++) {
		snprintf(arn, sizeof(arn), "arn:aws:sqs:us-east-1:1:q%d", i);
		assert_non_null(collect_attrs(&scan, arn));
	}
	assert_int_equal(collect_count(&scan, MODEL_QUEUE), 2500);
	assert_int_equal(collect_count(&scan, MODEL_KIND_COUNT), 5000);
	buf_init(&b, 0);
	collect_each(&scan, MODEL_QUEUE, visit, &b);
	assert_true(strncmp(buf_cstr(&b), "arn:aws:sqs:us-east-1:1:q1;arn:aws:sqs:us-east-1:1:q3;",
	                    54) == 0);
	snprintf(want, sizeof(want), "q4999;");
	assert_non_null(strstr(buf_cstr(&b), want));
	assert_null(strstr(buf_cstr(&b), "q4998;"));
	buf_release(&b);
	collect_scan_release(&scan);
}

static void
test_edges_are_kept_once_per_src_dst_kind(void **state)
{
	struct collect_scan scan;
	char dst[64];
	int i;

	(void)state;
	collect_scan_init(&scan, NULL, 0);
	for (i = 0; i < 3000; i++) {
		snprintf(dst, sizeof(dst), "arn:t%d", i % 1000);
		collect_edge(&scan, "arn:role", dst, MODEL_EDGE_READS, "policy %d", i);
	}
	assert_int_equal(scan.n_edges, 1000);
	assert_string_equal(scan.edges[7].evidence, "policy 7"); /* first evidence wins */
	collect_edge(&scan, "arn:role", "arn:t7", MODEL_EDGE_WRITES, "w");
	assert_int_equal(scan.n_edges, 1001);
	collect_edge(&scan, "", "arn:t7", MODEL_EDGE_WRITES, "no source");
	assert_int_equal(scan.n_edges, 1001);
	collect_scan_release(&scan);
}

static void
test_gap_and_metric_are_recorded(void **state)
{
	struct collect_scan scan;
	struct err err;

	(void)state;
	collect_scan_init(&scan, NULL, 0);
	err_clear(&err);
	err_set(&err, ERR_AWS, "denied");
	err_context(&err, "lambda", "ListFunctions", NULL);
	snprintf(err.aws_code, sizeof(err.aws_code), "AccessDeniedException");
	collect_gap(&scan, "lambda", "eu-west-1", "ListFunctions", &err);
	collect_gap(&scan, "iam", NULL, "GetAccountAuthorizationDetails", NULL);
	assert_int_equal(scan.n_gaps, 2);
	assert_string_equal(scan.gaps[0].region, "eu-west-1");
	assert_non_null(strstr(scan.gaps[0].error, "AccessDeniedException"));
	assert_string_equal(scan.gaps[1].region, ""); /* global: protects global resources */
	collect_metric(&scan, "arn:f", "Invocations", 20000, 42.0);
	assert_int_equal(scan.n_metrics, 1);
	assert_true(scan.metrics[0].value == 42.0);
	collect_scan_release(&scan);
}

static void
test_previous_attrs_are_found_by_arn(void **state)
{
	struct collect_scan scan;
	const cJSON *p;

	(void)state;
	collect_scan_init(&scan, NULL, 1);
	assert_int_equal(collect_quick(&scan), 1);
	assert_string_equal(collect_account(&scan), "");
	collect_set_account(&scan, "123456789012");
	assert_string_equal(collect_account(&scan), "123456789012");
	collect_prev_add(&scan, "arn:f", "{\"RevisionId\":\"r1\"}");
	p = collect_previous(&scan, "arn:f");
	assert_non_null(p);
	assert_string_equal(cJSON_GetObjectItem(p, "RevisionId")->valuestring, "r1");
	assert_ptr_equal(collect_previous(&scan, "arn:f"), p); /* parsed once */
	assert_null(collect_previous(&scan, "arn:g"));
	collect_scan_release(&scan);
}

static void
test_redact_keeps_four_characters_and_a_hash(void **state)
{
	char out[128], again[128], other[128];

	(void)state;
	collect_redact("sk_live_abcdefghijklmnop", out, sizeof(out));
	/* sha256("sk_live_abcdefghijklmnop") starts 5e0c3c3d... checked by length and form */
	assert_int_equal(strncmp(out, "sk_l\xe2\x80\xa6sha256:", 4 + 3 + 7), 0);
	assert_int_equal(strlen(out), 4 + 3 + 7 + 12);
	assert_null(strstr(out, "abcdefgh"));
	collect_redact("sk_live_abcdefghijklmnop", again, sizeof(again));
	assert_string_equal(out, again);
	collect_redact("sk_live_abcdefghijklmnoq", other, sizeof(other));
	assert_string_not_equal(out, other);
	collect_redact("hunter2", out, sizeof(out)); /* short: shown no more than a third */
	assert_int_equal(strncmp(out, "hu\xe2\x80\xa6", 5), 0);
	collect_redact(
	        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	        "\xc3\xa9\xc3\xa9",
	        out, sizeof(out)); /* 4 characters, not 4 bytes */
	assert_int_equal(strncmp(out, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6", 11), 0);
	collect_redact("abcdefghijklmnop", out, 8); /* truncated, still terminated */
	assert_int_equal(strlen(out), 7);
}

static void
test_env_redaction_keeps_names_and_redacts_values(void **state)
{
	/* as an API answers: nothing redacted yet, one version nested in an array */
	static const char text[] =
	        "{\"FunctionName\":\"f\",\"Environment\":{\"Variables\":{"
	        "\"DB_PASSWORD\":\"hunter2-but-longer\",\"TABLE\":\"orders\",\"N\":42}},"
	        "\"Versions\":[{\"Environment\":{\"Variables\":{\"API_KEY\":\"sk_live_abcdefgh\"}}}]}";
	cJSON *attrs = cJSON_Parse(text);
	const cJSON *vars, *v;
	char want[128];

	(void)state;
	assert_non_null(attrs);
	collect_redact_env(attrs);
	vars = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(attrs, "Environment"), "Variables");
	assert_int_equal(cJSON_GetArraySize(vars), 3);
	v = cJSON_GetObjectItemCaseSensitive(vars, "DB_PASSWORD"); /* the name survives */
	assert_true(cJSON_IsString(v));
	collect_redact("hunter2-but-longer", want, sizeof(want));
	assert_string_equal(v->valuestring, want);
	v = cJSON_GetObjectItemCaseSensitive(vars, "TABLE");
	assert_true(cJSON_IsString(v));
	collect_redact("orders", want, sizeof(want));
	assert_string_equal(v->valuestring, want);
	v = cJSON_GetObjectItemCaseSensitive(vars, "N"); /* not a string: printed, redacted */
	assert_true(cJSON_IsString(v));
	collect_redact("42", want, sizeof(want));
	assert_string_equal(v->valuestring, want);
	for (v = vars->child; v; v = v->next)
		assert_non_null(v->string);
	v = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(
	                cJSON_GetObjectItemCaseSensitive(
	                        cJSON_GetArrayItem(
	                                cJSON_GetObjectItemCaseSensitive(attrs, "Versions"), 0),
	                        "Environment"),
	                "Variables"),
	        "API_KEY");
	assert_true(cJSON_IsString(v));
	assert_null(strstr(v->valuestring, "abcdefgh"));
	/* already redacted values are left as they are: running twice changes nothing */
	{
		char *once = cJSON_PrintUnformatted(attrs), *twice;

		collect_redact_env(attrs);
		twice = cJSON_PrintUnformatted(attrs);
		assert_string_equal(once, twice);
		assert_null(strstr(twice, "hunter2"));
		free(once);
		free(twice);
	}
	cJSON_Delete(attrs);
}

struct prev_seen {
	int n;
	char arn[128], name[64], region[32];
};

static void
prev_visit(struct collect_scan *scan, const char *arn, const char *name, const char *region,
           const cJSON *attrs, void *ctx)
{
	struct prev_seen *s = ctx;

	(void)scan;
	s->n++;
	snprintf(s->arn, sizeof(s->arn), "%s", arn);
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->region, sizeof(s->region), "%s", region);
	assert_non_null(cJSON_GetObjectItemCaseSensitive(attrs, "retentionInDays"));
}

static void
test_previous_each_visits_one_kind_and_regions_are_the_drivers(void **state)
{
	static const char *const regions[] = { "us-east-1", "eu-west-1" };
	const char *const *got = NULL;
	struct collect_scan scan;
	struct prev_seen s = { 0 };

	(void)state;
	collect_scan_init(&scan, NULL, 1);
	assert_int_equal(collect_regions(&scan, &got), 0); /* not known */
	collect_prev_add_res(&scan, MODEL_LOG_GROUP, "arn:lg", "/g", "eu-west-1",
	                     "{\"retentionInDays\":3}");
	collect_prev_add_res(&scan, MODEL_FUNCTION, "arn:f", "f", "eu-west-1", "{}");
	collect_prev_add(&scan, "arn:x", "{}"); /* kind unknown: never visited */
	collect_previous_each(&scan, MODEL_LOG_GROUP, prev_visit, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.arn, "arn:lg");
	assert_string_equal(s.name, "/g");
	assert_string_equal(s.region, "eu-west-1");
	assert_non_null(collect_previous(&scan, "arn:lg")); /* still found by ARN */
	collect_scan_set_regions(&scan, regions, 2);
	assert_int_equal(collect_regions(&scan, &got), 2);
	assert_ptr_equal(got, regions);
	collect_scan_release(&scan);
}

static void
test_redact_matches_sha256(void **state)
{
	char out[128];

	(void)state;
	/* sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad */
	collect_redact("abc", out, sizeof(out));
	assert_string_equal(out, "a\xe2\x80\xa6sha256:ba7816bf8f01"); /* a third shown */
}

static void
test_query_call_is_form_post_with_action_and_version(void **state)
{
	static const char *const params[] = { "QueueNamePrefix", "a b&c", "MaxResults", "1000",
		                              NULL };
	struct collect_scan scan;
	struct seen s = { 0 };

	(void)state;
	collect_scan_init(&scan, NULL, 0);
	scan.test_submit = catch_request;
	scan.test_ctx = &s;
	n_done = 0;
	assert_int_equal(collect_call_query(&scan, "sqs", "ListQueues", "eu-west-1", params,
	                                    count_done, NULL),
	                 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(n_done, 1);
	assert_string_equal(s.method, "POST");
	assert_string_equal(s.path, "/");
	assert_string_equal(s.region, "eu-west-1");
	assert_string_equal(s.body, "Action=ListQueues&Version=2012-11-05&QueueNamePrefix=a%20b%26c"
	                            "&MaxResults=1000");
	assert_non_null(strstr(s.ctype, "application/x-www-form-urlencoded"));
	assert_string_equal(s.target, "");
	collect_scan_release(&scan);
}

static void
test_json_call_has_target_and_protocol_version(void **state)
{
	struct collect_scan scan;
	struct seen s = { 0 };
	cJSON *body = cJSON_Parse("{\"Limit\":100}");

	(void)state;
	collect_scan_init(&scan, NULL, 0);
	scan.test_submit = catch_request;
	scan.test_ctx = &s;
	assert_int_equal(collect_call_json(&scan, "dynamodb", "ListTables", "us-east-1", body,
	                                   count_done, NULL),
	                 0);
	assert_string_equal(s.method, "POST");
	assert_string_equal(s.target, "DynamoDB_20120810.ListTables");
	assert_string_equal(s.ctype, "application/x-amz-json-1.0");
	assert_string_equal(s.body, "{\"Limit\":100}");
	assert_int_equal(collect_call_json(&scan, "logs", "DescribeLogGroups", "us-east-1", NULL,
	                                   count_done, NULL),
	                 0);
	assert_string_equal(s.target, "Logs_20140328.DescribeLogGroups");
	assert_string_equal(s.ctype, "application/x-amz-json-1.1");
	assert_string_equal(s.body, "{}");
	cJSON_Delete(body);
	collect_scan_release(&scan);
}

static void
test_rest_call_keeps_method_path_and_query(void **state)
{
	struct collect_scan scan;
	struct seen s = { 0 };

	(void)state;
	collect_scan_init(&scan, NULL, 0);
	scan.test_submit = catch_request;
	scan.test_ctx = &s;
	assert_int_equal(collect_call_rest(&scan, "lambda", "ListFunctions", "us-west-2", "GET",
	                                   "/2015-03-31/functions/",
	                                   "FunctionVersion=ALL&MaxItems=50", count_done, NULL),
	                 0);
	assert_string_equal(s.method, "GET");
	assert_string_equal(s.path, "/2015-03-31/functions/");
	assert_string_equal(s.query, "FunctionVersion=ALL&MaxItems=50");
	assert_string_equal(s.body, "");
	assert_string_equal(s.operation, "ListFunctions");
	collect_scan_release(&scan);
}

static void
test_call_outside_the_action_table_is_refused_as_a_gap(void **state)
{
	struct collect_scan scan;
	struct seen s = { 0 };

	(void)state;
	collect_scan_init(&scan, NULL, 0);
	scan.test_submit = catch_request;
	scan.test_ctx = &s;
	n_done = 0;
	assert_int_not_equal(collect_call_rest(&scan, "lambda", "DeleteFunction", "us-east-1",
	                                       "DELETE", "/2015-03-31/functions/f", NULL,
	                                       count_done, NULL),
	                     0);
	assert_int_equal(s.n, 0);
	assert_int_equal(n_done, 0);
	assert_int_equal(scan.n_gaps, 1);
	assert_non_null(strstr(scan.gaps[0].error, "iam-policy"));
	/* the wrong protocol for a service is refused too */
	assert_int_not_equal(collect_call_json(&scan, "lambda", "ListFunctions", "us-east-1", NULL,
	                                       count_done, NULL),
	                     0);
	assert_int_equal(s.n, 0);
	collect_scan_release(&scan);
}

static void
test_iam_policy_lists_each_table_action_once(void **state)
{
	const struct collect_action *a;
	char *text = collect_iam_policy();
	cJSON *doc = cJSON_Parse(text), *acts, *v;
	size_t i, n, count = 0;
	const char *prev = "";

	(void)state;
	assert_non_null(doc);
	acts = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "Statement"), 0),
	                           "Action");
	cJSON_ArrayForEach(v, acts)
	{
		assert_true(strcmp(prev, v->valuestring) < 0); /* sorted, no duplicates */
		assert_null(strpbrk(v->valuestring, "*"));     /* no wildcard actions */
		prev = v->valuestring;
		count++;
	}
	a = collect_actions(&n);
	for (i = 0; i < n; i++) {
		int found = 0;

		cJSON_ArrayForEach(v, acts)
		{
			found |= !strcmp(v->valuestring, a[i].action);
		}
		assert_true(found);
		assert_non_null(aws_service_find(a[i].service));
	}
	assert_true(count < n); /* apigateway:GET stands for several operations */
	assert_string_equal(collect_action_find("s3", "ListBuckets"), "s3:ListAllMyBuckets");
	assert_null(collect_action_find("lambda", "UpdateFunctionConfiguration"));
	cJSON_Delete(doc);
	free(text);
}

static void
test_all_regions_are_the_enabled_commercial_ones(void **state)
{
	const char *const *r = collect_region_list();
	size_t n = 0;
	int east = 0;

	(void)state;
	for (; r[n]; n++) {
		assert_null(strstr(r[n], "af-south-1")); /* opt-in: named with --region only */
		assert_null(strstr(r[n], "me-south-1"));
		east |= !strcmp(r[n], "us-east-1");
	}
	assert_int_equal(n, 17);
	assert_true(n <= COLLECT_MAX_REGIONS);
	assert_true(east);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resource_is_found_by_arn_and_replaced),
		cmocka_unit_test(test_map_holds_many_resources_and_each_visits_one_kind_in_order),
		cmocka_unit_test(test_edges_are_kept_once_per_src_dst_kind),
		cmocka_unit_test(test_gap_and_metric_are_recorded),
		cmocka_unit_test(test_previous_attrs_are_found_by_arn),
		cmocka_unit_test(test_redact_keeps_four_characters_and_a_hash),
		cmocka_unit_test(test_redact_matches_sha256),
		cmocka_unit_test(test_env_redaction_keeps_names_and_redacts_values),
		cmocka_unit_test(test_previous_each_visits_one_kind_and_regions_are_the_drivers),
		cmocka_unit_test(test_query_call_is_form_post_with_action_and_version),
		cmocka_unit_test(test_json_call_has_target_and_protocol_version),
		cmocka_unit_test(test_rest_call_keeps_method_path_and_query),
		cmocka_unit_test(test_call_outside_the_action_table_is_refused_as_a_gap),
		cmocka_unit_test(test_iam_policy_lists_each_table_action_once),
		cmocka_unit_test(test_all_regions_are_the_enabled_commercial_ones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
