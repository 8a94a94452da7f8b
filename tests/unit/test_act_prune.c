/* prune: the state's normal form, what it wants, the calls both ways, refusals, the confirm word.
 */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "act/prune.h"
#include "util/json.h"

#define FNARN "arn:aws:lambda:eu-west-1:111122223333:function:exporter"
#define OTHER "arn:aws:lambda:eu-west-1:111122223333:function:resizer"

/* A function with one of each trigger, as prune_cached or prune_read gives it. */
static const char state_text[] =
        "{\"FunctionArn\":\"" FNARN "\",\"Exists\":true,\"RevisionId\":\"r1\","
        "\"Configuration\":{\"Runtime\":\"python3.12\",\"Role\":\"arn:aws:iam::111122223333:role/x\","
        "\"Handler\":\"h\",\"Timeout\":30,\"CodeSha256\":\"abc=\",\"EnvironmentKeys\":[\"TOKEN\"]},"
        "\"Tags\":{\"team\":\"data\"},\"ReservedConcurrentExecutions\":5,"
        "\"PolicyStatements\":[{\"Sid\":\"s3-up\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
        "\"s3.amazonaws.com\"},\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"" FNARN "\","
        "\"Condition\":{\"ArnLike\":{\"AWS:SourceArn\":\"arn:aws:s3:::up\"}}}],"
        "\"Url\":{\"AuthType\":\"AWS_IAM\"},\"EventInvokeConfig\":{\"MaximumRetryAttempts\":1},"
        "\"Versions\":[{\"Description\":\"v1\",\"CodeSha256\":\"abc=\"},{\"Description\":\"v2\","
        "\"CodeSha256\":\"abc=\"}],\"Aliases\":[{\"Name\":\"live\",\"Description\":\"\","
        "\"FunctionVersion\":\"#2\"}],"
        "\"EventSourceMappings\":[{\"EventSourceArn\":\"arn:aws:sqs:eu-west-1:111122223333:q\","
        "\"BatchSize\":10,\"Enabled\":true},{\"EventSourceArn\":\"arn:aws:sqs:eu-west-1:111122223333:"
        "r\",\"BatchSize\":5,\"Enabled\":false}],\"MappingIds\":[\"u-1\",\"u-2\"],"
        "\"RuleTargets\":[{\"EventBusName\":\"default\",\"Rule\":\"weekly.run\",\"Target\":{\"Id\":"
        "\"1\",\"Arn\":\"" FNARN "\",\"Input\":\"{\\\"k\\\"…sha256:0123456789ab\"}}],"
        "\"BucketNotifications\":[{\"Bucket\":\"up\",\"Region\":\"eu-west-1\",\"Configuration\":{"
        "\"LambdaFunctionConfigurations\":[{\"Id\":\"a\",\"LambdaFunctionArn\":\"" FNARN "\","
        "\"Events\":[\"s3:ObjectRemoved:*\"]},{\"Id\":\"b\",\"LambdaFunctionArn\":\"" OTHER "\","
        "\"Events\":[\"s3:ObjectCreated:*\"]}],\"QueueConfigurations\":[{\"Id\":\"q\",\"QueueArn\":"
        "\"arn:aws:sqs:eu-west-1:111122223333:q\",\"Events\":[\"s3:ObjectCreated:*\"]}]}}],"
        "\"Subscriptions\":[{\"TopicArn\":\"arn:aws:sns:us-east-1:111122223333:t\",\"Protocol\":"
        "\"lambda\",\"Endpoint\":\"" FNARN "\"}],\"SubscriptionArns\":["
        "\"arn:aws:sns:us-east-1:111122223333:t:s-1\"]}";

static cJSON *
desired(const cJSON *before)
{
	cJSON *after = cJSON_CreateObject();
	char explain[512];
	struct err err = { 0 };

	assert_int_equal(prune_desire(NULL, FNARN, before, after, explain, sizeof(explain), &err),
	                 0);
	assert_non_null(strstr(explain, "1 EventBridge target"));
	return after;
}

static const cJSON *
call_of(const cJSON *calls, const char *op, int nth)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, calls)
	{
		if (!strcmp(json_str(c, "operation"), op) && nth-- == 0)
			return c;
	}
	return NULL;
}

/* The from_backup entry key of call c (keys are dotted paths: not json_path's). */
static const char *
from_backup(const cJSON *c, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(json_path(c, "from_backup"), key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
index_of(const cJSON *calls, const char *op)
{
	const cJSON *c;
	int i = 0;

	cJSON_ArrayForEach(c, calls)
	{
		if (!strcmp(json_str(c, "operation"), op))
			return i;
		i++;
	}
	return -1;
}

static void
test_desire_empties_every_trigger_and_keeps_the_buckets_other_entries(void **state)
{
	cJSON *before = cJSON_Parse(state_text), *after = desired(before);
	const cJSON *conf = json_path(
	        cJSON_GetArrayItem(json_path(after, "BucketNotifications"), 0), "Configuration");

	(void)state;
	assert_false(json_bool(after, "Exists", 1));
	assert_true(cJSON_IsNull(json_path(after, "Configuration")));
	assert_int_equal(cJSON_GetArraySize(json_path(after, "EventSourceMappings")), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(after, "RuleTargets")), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(after, "Subscriptions")), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(conf, "LambdaFunctionConfigurations")), 1);
	assert_string_equal(
	        json_str(cJSON_GetArrayItem(json_path(conf, "LambdaFunctionConfigurations"), 0),
	                 "LambdaFunctionArn"),
	        OTHER);
	assert_int_equal(cJSON_GetArraySize(json_path(conf, "QueueConfigurations")), 1);
	cJSON_Delete(before);
	cJSON_Delete(after);
}

static void
test_calls_remove_triggers_first_and_the_function_last(void **state)
{
	cJSON *before = cJSON_Parse(state_text), *after = desired(before),
	      *calls = cJSON_CreateArray();
	struct err err = { 0 };
	const cJSON *c;

	(void)state;
	assert_int_equal(prune_calls("exporter", before, after, "r1", calls, &err), 0);
	/* only the enabled mapping is disabled first; both deleted, once */
	assert_string_equal(json_str(call_of(calls, "UpdateEventSourceMapping", 0), "path"),
	                    "/2015-03-31/event-source-mappings/u-1");
	assert_null(call_of(calls, "UpdateEventSourceMapping", 1));
	assert_true(json_bool(call_of(calls, "DeleteEventSourceMapping", 1), "once", 0));
	assert_true(index_of(calls, "UpdateEventSourceMapping") <
	            index_of(calls, "DeleteEventSourceMapping"));
	c = call_of(calls, "RemoveTargets", 0);
	assert_string_equal(json_str(c, "body.Rule"), "weekly.run");
	assert_int_equal(cJSON_GetArraySize(json_path(c, "body.Ids")), 1);
	c = call_of(calls, "PutBucketNotificationConfiguration", 0);
	assert_string_equal(json_str(c, "query"), "notification");
	assert_string_equal(json_str(c, "region"), "eu-west-1");
	assert_non_null(strstr(json_str(c, "xml"), "<CloudFunction>" OTHER "</CloudFunction>"));
	assert_non_null(strstr(json_str(c, "xml"), "<Queue>arn:aws:sqs:"));
	assert_null(strstr(json_str(c, "xml"), FNARN "<"));
	c = call_of(calls, "Unsubscribe", 0);
	assert_string_equal(json_str(c, "region"), "us-east-1"); /* the topic's region */
	assert_string_equal(json_str(c, "params.SubscriptionArn"),
	                    "arn:aws:sns:us-east-1:111122223333:t:s-1");
	assert_true(index_of(calls, "DeleteFunctionUrlConfig") < index_of(calls, "DeleteFunction"));
	assert_int_equal(index_of(calls, "DeleteFunction"), cJSON_GetArraySize(calls) - 1);
	assert_null(call_of(calls, "CreateFunction", 0));
	cJSON_Delete(calls);
	cJSON_Delete(before);
	cJSON_Delete(after);
}

static void
test_undo_calls_recreate_from_the_backup_without_secrets_in_the_plan(void **state)
{
	cJSON *before = cJSON_Parse(state_text), *after = desired(before),
	      *calls = cJSON_CreateArray();
	struct err err = { 0 };
	const cJSON *c;

	(void)state;
	assert_int_equal(prune_calls("exporter", after, before, "", calls, &err), 0);
	c = call_of(calls, "CreateFunction", 0);
	assert_int_equal(index_of(calls, "CreateFunction"), 0);
	assert_true(json_bool(c, "once", 0));
	assert_string_equal(from_backup(c, "body.Code.ZipFile"), "file:code_file");
	assert_string_equal(from_backup(c, "body.Environment"),
	                    "GetFunction.Configuration.Environment");
	assert_null(json_path(c, "body.Environment"));
	assert_null(json_path(c, "body.EnvironmentKeys"));
	assert_null(json_path(c, "body.CodeSha256"));
	assert_string_equal(json_str(c, "body.Tags.team"), "data");
	assert_non_null(call_of(calls, "PutFunctionConcurrency", 0));
	/* what changes the new function waits (bounded) while Lambda says it is Pending */
	assert_string_equal(json_str(call_of(calls, "PutFunctionConcurrency", 0), "retry.code"),
	                    "ResourceConflictException");
	assert_non_null(json_path(call_of(calls, "PublishVersion", 0), "retry"));
	assert_non_null(json_path(call_of(calls, "CreateFunctionUrlConfig", 0), "retry"));
	assert_null(json_path(call_of(calls, "CreateFunction", 0), "retry"));
	assert_string_equal(json_str(call_of(calls, "AddPermission", 0), "body.SourceArn"),
	                    "arn:aws:s3:::up");
	assert_non_null(call_of(calls, "PublishVersion", 1));
	/* the alias follows the second version published: a new function numbers it 2 */
	assert_string_equal(json_str(call_of(calls, "CreateAlias", 0), "body.FunctionVersion"),
	                    "2");
	assert_false(json_bool(call_of(calls, "CreateEventSourceMapping", 1), "body.Enabled", 1));
	c = call_of(calls, "PutTargets", 0);
	assert_string_equal(from_backup(c, "body.Targets"), "RuleTargets.default/weekly~run");
	assert_string_equal(json_str(call_of(calls, "Subscribe", 0), "params.Endpoint"), FNARN);
	cJSON_Delete(calls);
	cJSON_Delete(before);
	cJSON_Delete(after);
}

static void
test_restore_merges_the_function_into_the_buckets_configuration_as_it_is_now(void **state)
{
	cJSON *now = cJSON_Parse("{\"LambdaFunctionConfigurations\":[{\"Id\":\"new\","
	                         "\"LambdaFunctionArn\":\"" OTHER ":live\",\"Events\":[\"e\"]}]}");
	cJSON *backed =
	        cJSON_Parse("{\"LambdaFunctionConfigurations\":[{\"Id\":\"a\","
	                    "\"LambdaFunctionArn\":\"" FNARN "\",\"Events\":[\"x\"]},{\"Id\":"
	                    "\"old\",\"LambdaFunctionArn\":\"" OTHER "\",\"Events\":[\"y\"]}]}");
	cJSON *merged = prune_notification_merge(now, backed, FNARN);
	const cJSON *list = json_path(merged, "LambdaFunctionConfigurations");

	(void)state;
	assert_int_equal(cJSON_GetArraySize(list), 2);
	assert_string_equal(json_str(cJSON_GetArrayItem(list, 0), "Id"), "a");
	assert_string_equal(json_str(cJSON_GetArrayItem(list, 1), "Id"), "new");
	cJSON_Delete(now);
	cJSON_Delete(backed);
	cJSON_Delete(merged);
}

static void
test_refuses_what_a_restore_could_not_give_back(void **state)
{
	static const char *const edits[] = {
		"{\"Exists\":false}",
		"{\"Versions\":[{\"Description\":\"old\",\"CodeSha256\":\"zzz=\"}]}",
		"{\"Aliases\":[{\"Name\":\"a\",\"Description\":\"\",\"FunctionVersion\":\"#1\","
		"\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"2\":0.5}}}]}",
		"{\"PolicyStatements\":[{\"Sid\":\"two\",\"Effect\":\"Allow\",\"Principal\":\"*\","
		"\"Action\":[\"lambda:InvokeFunction\",\"lambda:GetFunction\"],\"Resource\":\"x\"}]}",
		NULL,
	};
	size_t i;

	(void)state;
	for (i = 0; edits[i]; i++) {
		cJSON *before = cJSON_Parse(state_text), *edit = cJSON_Parse(edits[i]), *e;
		cJSON *after = cJSON_CreateObject();
		struct err err = { 0 };
		char explain[256];

		cJSON_ArrayForEach(e, edit)
		{
			cJSON_ReplaceItemInObjectCaseSensitive(before, e->string,
			                                       cJSON_Duplicate(e, 1));
		}
		assert_int_equal(
		        prune_desire(NULL, FNARN, before, after, explain, sizeof(explain), &err),
		        ERR_USAGE);
		cJSON_Delete(before);
		cJSON_Delete(edit);
		cJSON_Delete(after);
	}
}

static void
test_the_state_is_the_same_from_the_cache_and_from_the_account(void **state)
{
	cJSON *t = cJSON_Parse("{\"Id\":\"1\",\"Arn\":\"" FNARN "\",\"Input\":\"{\\\"token\\\":"
	                       "\\\"s3cr3t\\\"}\",\"HttpParameters\":{\"HeaderParameters\":{\"X\":"
	                       "\"key\"}}}");
	cJSON *m = cJSON_Parse(
	        "{\"UUID\":\"u\",\"State\":\"Disabled\",\"BatchSize\":7,\"FunctionArn\":\"" FNARN
	        ":live\",\"LastModified\":1,\"EventSourceArn\":\"arn:aws:sqs:r:a:q\"}");
	cJSON *rt = prune_target(t), *rm = prune_mapping(m);

	(void)state;
	/* a target's Input as the collector stores it: redacted, never the secret */
	assert_null(strstr(json_str(rt, "Input"), "s3cr3t"));
	assert_non_null(strstr(json_str(rt, "Input"), "sha256:"));
	assert_string_not_equal(json_str(rt, "HttpParameters.HeaderParameters.X"), "key");
	assert_false(json_bool(rm, "Enabled", 1));
	assert_string_equal(json_str(rm, "Qualifier"), "live");
	assert_null(json_path(rm, "UUID"));
	assert_null(json_path(rm, "LastModified"));
	assert_true(prune_is_function(FNARN ":3", FNARN));
	assert_false(prune_is_function(FNARN "-v2", FNARN));
	assert_false(prune_is_function(OTHER, FNARN));
	cJSON_Delete(t);
	cJSON_Delete(m);
	cJSON_Delete(rt);
	cJSON_Delete(rm);
}

static void
test_a_destructive_plan_wants_the_name_typed_not_y(void **state)
{
	cJSON *plan = cJSON_Parse("{\"destructive\":true,\"target\":{\"name\":\"exporter\"}}");
	const struct act_action *a = act_action_find("prune");

	(void)state;
	assert_non_null(a);
	assert_true(a->flags & ACT_DESTRUCTIVE);
	assert_string_equal(act_confirm_word(plan), "exporter");
	assert_string_not_equal(act_confirm_word(plan), "y");
	cJSON_Delete(plan);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_desire_empties_every_trigger_and_keeps_the_buckets_other_entries),
		cmocka_unit_test(test_calls_remove_triggers_first_and_the_function_last),
		cmocka_unit_test(
		        test_undo_calls_recreate_from_the_backup_without_secrets_in_the_plan),
		cmocka_unit_test(
		        test_restore_merges_the_function_into_the_buckets_configuration_as_it_is_now),
		cmocka_unit_test(test_refuses_what_a_restore_could_not_give_back),
		cmocka_unit_test(test_the_state_is_the_same_from_the_cache_and_from_the_account),
		cmocka_unit_test(test_a_destructive_plan_wants_the_name_typed_not_y),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
