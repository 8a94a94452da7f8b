#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/amodel.h"
#include "analyze/least_privilege.h"
#include "testutil.h"
#include "util/json.h"

#define ACCT  "314159265358"
#define NOW   1795435200 /* 2026-11-23T12:00:00Z */
#define FN(n) "arn:aws:lambda:us-east-1:" ACCT ":function:" n
#define MEDIA "arn:aws:iam::" ACCT ":role/acme-media-processor-role"
#define ANALY "arn:aws:iam::" ACCT ":role/acme-analytics-role"

static char *
fixture(const char *name)
{
	char rel[256];
	char *text;

	snprintf(rel, sizeof(rel), "tests/data/lp/%s", name);
	text = test_read_file(test_path(rel), NULL);
	assert_non_null(text);
	return text;
}

static void
add_role(struct amodel *m, const char *arn, const char *file)
{
	char *text = fixture(file);

	amodel_add_resource(m, MODEL_ROLE, arn, strrchr(arn, '/') + 1, "", text);
	free(text);
}

static void
add_function(struct amodel *m, const char *name, const char *role, const char *extra)
{
	char arn[256], attrs[4096];

	snprintf(arn, sizeof(arn), FN("%s"), name);
	snprintf(attrs, sizeof(attrs),
	         "{\"FunctionName\":\"%s\",\"FunctionArn\":\"%s\",\"Role\":\"%s\""
	         ",\"TracingConfig\":{\"Mode\":\"PassThrough\"}%s%s}",
	         name, arn, role, extra ? "," : "", extra ? extra : "");
	amodel_add_resource(m, MODEL_FUNCTION, arn, name, "us-east-1", attrs);
	amodel_add_edge(m, arn, role, MODEL_EDGE_ASSUMES, "execution role");
}

static void
media_model(struct amodel *m)
{
	amodel_init(m);
	add_role(m, MEDIA, "media-role.json");
	add_function(m, "image-resize", MEDIA, NULL);
	add_function(m, "thumbnail-generator", MEDIA, NULL);
	amodel_add_resource(m, MODEL_BUCKET, "arn:aws:s3:::acme-uploads", "acme-uploads",
	                    "us-east-1", "{}");
	amodel_add_resource(m, MODEL_BUCKET, "arn:aws:s3:::acme-thumbnails", "acme-thumbnails",
	                    "us-east-1", "{}");
	amodel_add_edge(m, "arn:aws:s3:::acme-uploads", FN("image-resize"), MODEL_EDGE_TRIGGERS,
	                "S3 notification s3:ObjectCreated:*");
	amodel_add_edge(m, "arn:aws:s3:::acme-uploads", FN("thumbnail-generator"),
	                MODEL_EDGE_TRIGGERS, "S3 notification s3:ObjectCreated:Put");
	amodel_add_edge(m, FN("thumbnail-generator"), "arn:aws:s3:::acme-thumbnails",
	                MODEL_EDGE_READS, "environment variable OUT_BUCKET names it");
	amodel_index(m);
}

static void
build(const struct amodel *m, const char *role, struct lp_result *r)
{
	struct lp_input in = { .m = m, .now = NOW, .unused_days = 90 };
	struct err err = { 0 };

	in.role = amodel_find(m, role);
	assert_non_null(in.role);
	assert_int_equal(lp_build(&in, r, &err), 0);
	assert_non_null(r->policy);
}

/* The statement with this Sid, or NULL. */
static const cJSON *
statement(const struct lp_result *r, const char *sid)
{
	const cJSON *st;

	cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(r->policy, "Statement"))
	{
		const char *s = json_str(st, "Sid");

		if (s && !strcmp(s, sid))
			return st;
	}
	return NULL;
}

/* 1 when some Allow statement lists exactly this action (or a pattern equal to it). */
static int
grants(const struct lp_result *r, const char *action)
{
	const cJSON *st, *a;

	cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(r->policy, "Statement"))
	{
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(st, "Action"))
		{
			if (cJSON_IsString(a) && !strcmp(a->valuestring, action))
				return 1;
		}
	}
	return 0;
}

static int
has_string(const cJSON *v, const char *s)
{
	const cJSON *x;

	if (cJSON_IsString(v))
		return !strcmp(v->valuestring, s);
	cJSON_ArrayForEach(x, v)
	{
		if (cJSON_IsString(x) && !strcmp(x->valuestring, s))
			return 1;
	}
	return 0;
}

static int
dropped(const struct lp_result *r, const char *what)
{
	size_t i;

	for (i = 0; i < r->n_dropped; i++)
		if (!strcmp(r->dropped[i].what, what))
			return 1;
	return 0;
}

static void
test_lp_media_role_keeps_used_s3_on_the_two_buckets_and_drops_dynamodb(void **state)
{
	struct amodel m;
	struct lp_result r;
	const cJSON *s3;
	char *text;

	(void)state;
	media_model(&m);
	build(&m, MEDIA, &r);
	text = cJSON_PrintUnformatted(r.policy);
	/* DynamoDB: granted by dynamodb:*, never used */
	assert_null(strstr(text, "dynamodb:"));
	assert_true(dropped(&r, "dynamodb"));
	/* S3: tracked actions only when used; untracked object reads and writes kept */
	assert_true(grants(&r, "s3:GetBucketLocation"));
	assert_true(grants(&r, "s3:GetObject"));
	assert_true(grants(&r, "s3:PutObject"));
	assert_false(grants(&r, "s3:DeleteBucket"));
	assert_true(dropped(&r, "s3:DeleteBucket"));
	assert_false(grants(&r, "s3:PutBucketPolicy"));
	assert_false(grants(&r, "s3:*"));
	/* ListAllMyBuckets takes no resource: used, and on "*" */
	s3 = statement(&r, "S3AnyResource");
	assert_non_null(s3);
	assert_true(
	        has_string(cJSON_GetObjectItemCaseSensitive(s3, "Action"), "s3:ListAllMyBuckets"));
	s3 = statement(&r, "S3Bucket");
	assert_non_null(s3);
	assert_true(
	        has_string(cJSON_GetObjectItemCaseSensitive(s3, "Action"), "s3:GetBucketLocation"));
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(s3, "Resource"),
	                       "arn:aws:s3:::acme-thumbnails"));
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(s3, "Resource"),
	                       "arn:aws:s3:::acme-uploads"));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s3, "Resource")), 2);
	s3 = statement(&r, "S3Object");
	assert_non_null(s3);
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(s3, "Action"), "s3:GetObject"));
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(s3, "Resource"),
	                       "arn:aws:s3:::acme-thumbnails/*"));
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(s3, "Resource"),
	                       "arn:aws:s3:::acme-uploads/*"));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s3, "Resource")), 2);
	assert_true(r.shared);
	assert_int_equal(r.n_functions, 2);
	assert_int_equal(r.compress, LP_COMPRESS_NONE);
	assert_true(r.size <= LP_POLICY_MAX);
	assert_string_equal(r.policy_name, "acme-media-processor-role-least-privilege");
	assert_string_equal(json_str(r.policy, "Version"), "2012-10-17");
	assert_non_null(strstr(r.explain, "dropped dynamodb: never used"));
	free(text);
	lp_result_release(&r);
	amodel_free(&m);
}

static void
test_lp_logs_scoped_to_each_function_log_group(void **state)
{
	struct amodel m;
	struct lp_result r;
	const cJSON *logs, *res;

	(void)state;
	media_model(&m);
	build(&m, MEDIA, &r);
	logs = statement(&r, "LogsLogGroup");
	assert_non_null(logs);
	assert_true(
	        has_string(cJSON_GetObjectItemCaseSensitive(logs, "Action"), "logs:PutLogEvents"));
	res = cJSON_GetObjectItemCaseSensitive(logs, "Resource");
	assert_true(has_string(res, "arn:aws:logs:us-east-1:" ACCT
	                            ":log-group:/aws/lambda/image-resize:*"));
	assert_true(has_string(res, "arn:aws:logs:us-east-1:" ACCT
	                            ":log-group:/aws/lambda/thumbnail-generator:*"));
	assert_false(has_string(res, "*"));
	lp_result_release(&r);
	amodel_free(&m);
}

static void
test_lp_diff_shows_removed_and_added_lines(void **state)
{
	struct amodel m;
	struct lp_result r;

	(void)state;
	media_model(&m);
	build(&m, MEDIA, &r);
	assert_non_null(strstr(r.diff, "--- acme-media-processor-role: current policies\n"));
	assert_non_null(strstr(r.diff, "\n-\t\"inline media-everything\":\t{\n"));
	assert_non_null(strstr(r.diff, "\n-\t\t\t\t\"Action\":\t\"dynamodb:*\",\n"));
	assert_non_null(
	        strstr(r.diff, "\n+\t\"inline acme-media-processor-role-least-privilege\":\t{\n"));
	assert_non_null(strstr(r.diff, "\n+\t\t\t\t\"Sid\":\t\"S3Object\",\n"));
	lp_result_release(&r);
	amodel_free(&m);
}

static void
test_lp_output_is_deterministic(void **state)
{
	struct amodel m;
	struct lp_result a, b;
	char *ta, *tb;

	(void)state;
	media_model(&m);
	build(&m, MEDIA, &a);
	build(&m, MEDIA, &b);
	ta = cJSON_Print(a.policy);
	tb = cJSON_Print(b.policy);
	assert_string_equal(ta, tb);
	assert_string_equal(a.diff, b.diff);
	assert_string_equal(a.explain, b.explain);
	free(ta);
	free(tb);
	lp_result_release(&a);
	lp_result_release(&b);
	amodel_free(&m);
}

static void
analytics_model(struct amodel *m)
{
	amodel_init(m);
	add_role(m, ANALY, "analytics-role.json");
	add_function(m, "recommendation-engine", ANALY,
	             "\"VpcConfig\":{\"SubnetIds\":[\"subnet-0a1b\",\"subnet-0f9e\"],"
	             "\"SecurityGroupIds\":[\"sg-0123\"],\"VpcId\":\"vpc-77\"}");
	amodel_add_resource(m, MODEL_TABLE, "arn:aws:dynamodb:us-east-1:" ACCT ":table/acme-events",
	                    "acme-events", "us-east-1", "{}");
	amodel_add_edge(m, FN("recommendation-engine"),
	                "arn:aws:dynamodb:us-east-1:" ACCT ":table/acme-events", MODEL_EDGE_READS,
	                "environment variable EVENTS_TABLE names it");
	amodel_index(m);
}

static void
test_lp_analytics_role_drops_unused_sqs_and_sns(void **state)
{
	struct amodel m;
	struct lp_result r;
	char *text;
	const cJSON *ddb;

	(void)state;
	analytics_model(&m);
	build(&m, ANALY, &r);
	text = cJSON_PrintUnformatted(r.policy);
	assert_null(strstr(text, "sqs:"));
	assert_null(strstr(text, "sns:"));
	assert_true(dropped(&r, "sqs"));
	assert_true(dropped(&r, "sns"));
	assert_false(r.shared);
	/* literal DynamoDB actions kept, scoped to the table the function names */
	ddb = statement(&r, "DynamodbScoped");
	assert_non_null(ddb);
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(ddb, "Action"), "dynamodb:Query"));
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(ddb, "Resource"),
	                       "arn:aws:dynamodb:us-east-1:" ACCT ":table/acme-events"));
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(ddb, "Resource"),
	                       "arn:aws:dynamodb:us-east-1:" ACCT ":table/acme-events/index/*"));
	free(text);
	lp_result_release(&r);
	amodel_free(&m);
}

static void
test_lp_vpc_function_keeps_eni_actions_on_any_resource_though_unused(void **state)
{
	struct amodel m;
	struct lp_result r;
	const cJSON *ec2;

	(void)state;
	analytics_model(&m);
	build(&m, ANALY, &r);
	ec2 = statement(&r, "Ec2AnyResource");
	assert_non_null(ec2);
	assert_string_equal(json_str(ec2, "Resource"), "*");
	/* DeleteNetworkInterface is tracked and unused, yet Lambda needs it for the VPC */
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(ec2, "Action"),
	                       "ec2:DeleteNetworkInterface"));
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(ec2, "Action"),
	                       "ec2:CreateNetworkInterface"));
	assert_false(dropped(&r, "ec2:DeleteNetworkInterface"));
	assert_non_null(strstr(r.explain, "needed by Lambda itself"));
	lp_result_release(&r);
	amodel_free(&m);
}

#define WORKER "arn:aws:iam::" ACCT ":role/acme-worker-role"
#define QUEUE  "arn:aws:sqs:us-east-1:" ACCT ":acme-jobs"

static void
worker_model(struct amodel *m)
{
	amodel_init(m);
	add_role(m, WORKER, "worker-role.json");
	add_function(m, "job-runner", WORKER,
	             "\"EventSourceMappings\":[{\"EventSourceArn\":\"" QUEUE "\"}]");
	amodel_add_edge(m, QUEUE, FN("job-runner"), MODEL_EDGE_TRIGGERS,
	                "SQS event source mapping uuid 1 (Enabled)");
	amodel_index(m);
}

static void
test_lp_action_level_data_keeps_only_actions_used_in_window(void **state)
{
	struct amodel m;
	struct lp_result r;

	(void)state;
	worker_model(&m);
	build(&m, WORKER, &r);
	assert_true(grants(&r, "lambda:InvokeFunction"));
	assert_false(grants(&r, "lambda:UpdateFunctionCode")); /* last used 2025 */
	assert_false(grants(&r, "lambda:DeleteFunction"));     /* never */
	assert_true(dropped(&r, "lambda:UpdateFunctionCode"));
	assert_true(dropped(&r, "lambda:DeleteFunction"));
	/* untracked and granted only by lambda:*: Permissions management is dropped */
	assert_false(grants(&r, "lambda:AddPermission"));
	lp_result_release(&r);
	amodel_free(&m);
}

static void
test_lp_event_source_queue_scopes_sqs_and_keeps_deny_and_condition(void **state)
{
	struct amodel m;
	struct lp_result r;
	const cJSON *sqs, *st, *cond = NULL, *deny = NULL;

	(void)state;
	worker_model(&m);
	build(&m, WORKER, &r);
	sqs = statement(&r, "SqsQueue");
	assert_non_null(sqs);
	assert_string_equal(json_str(sqs, "Resource"), QUEUE);
	assert_true(
	        has_string(cJSON_GetObjectItemCaseSensitive(sqs, "Action"), "sqs:ReceiveMessage"));
	assert_false(grants(&r, "sqs:PurgeQueue")); /* denied today: not granted */
	cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(r.policy, "Statement"))
	{
		if (json_path(st, "Condition.StringEquals"))
			cond = st;
		if (!strcmp(json_str(st, "Effect"), "Deny"))
			deny = st;
	}
	assert_non_null(cond);
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(cond, "Action"), "kms:Decrypt"));
	assert_non_null(deny);
	assert_string_equal(json_str(deny, "Action"), "sqs:PurgeQueue");
	lp_result_release(&r);
	amodel_free(&m);
}

static void
test_lp_split_gives_one_policy_per_function_of_a_shared_role(void **state)
{
	struct amodel m;
	struct lp_input in = { .now = NOW, .unused_days = 90 };
	struct lp_split *v = NULL;
	struct err err = { 0 };
	size_t n = 0;
	const cJSON *obj;

	(void)state;
	media_model(&m);
	in.m = &m;
	in.role = amodel_find(&m, MEDIA);
	assert_int_equal(lp_build_split(&in, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].function, FN("image-resize"));
	assert_string_equal(v[0].role_name, "acme-media-processor-role-image-resize");
	assert_false(v[0].r.shared);
	/* image-resize touches only the uploads bucket */
	obj = statement(&v[0].r, "S3Object");
	assert_non_null(obj);
	assert_string_equal(json_str(obj, "Resource"), "arn:aws:s3:::acme-uploads/*");
	obj = statement(&v[1].r, "S3Object");
	assert_non_null(obj);
	assert_true(has_string(cJSON_GetObjectItemCaseSensitive(obj, "Resource"),
	                       "arn:aws:s3:::acme-thumbnails/*"));
	lp_split_free(v, n);
	amodel_free(&m);
}

static void
test_lp_rejects_a_resource_that_is_not_a_role(void **state)
{
	struct amodel m;
	struct lp_input in = { .now = NOW };
	struct lp_result r;
	struct err err = { 0 };

	(void)state;
	media_model(&m);
	in.m = &m;
	in.role = amodel_find(&m, FN("image-resize"));
	assert_int_equal(lp_build(&in, &r, &err), ERR_USAGE);
	assert_null(r.policy);
	amodel_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_lp_media_role_keeps_used_s3_on_the_two_buckets_and_drops_dynamodb),
		cmocka_unit_test(test_lp_logs_scoped_to_each_function_log_group),
		cmocka_unit_test(test_lp_diff_shows_removed_and_added_lines),
		cmocka_unit_test(test_lp_output_is_deterministic),
		cmocka_unit_test(test_lp_analytics_role_drops_unused_sqs_and_sns),
		cmocka_unit_test(
		        test_lp_vpc_function_keeps_eni_actions_on_any_resource_though_unused),
		cmocka_unit_test(test_lp_action_level_data_keeps_only_actions_used_in_window),
		cmocka_unit_test(
		        test_lp_event_source_queue_scopes_sqs_and_keeps_deny_and_condition),
		cmocka_unit_test(test_lp_split_gives_one_policy_per_function_of_a_shared_role),
		cmocka_unit_test(test_lp_rejects_a_resource_that_is_not_a_role),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
