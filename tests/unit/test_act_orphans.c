/*
 * prune-role, prune-log-group, prune-layer-version: their plans from the
 * cache, the calls each way, the refusals (the orphan rules), and the
 * pieces an undo takes from the backup.
 */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "act/call.h"
#include "act_fixture.h"
#include "testutil.h"
#include "util/json.h"

#define ACCT    "314159265358"
#define TODAY   ((time_t)1795435200) /* 2026-11-23 12:00 UTC */
#define FN(n)   "arn:aws:lambda:us-east-1:" ACCT ":function:" n
#define ROLE(n) "arn:aws:iam::" ACCT ":role/" n
#define LG(n)   "arn:aws:logs:us-east-1:" ACCT ":log-group:" n
#define LAYER   "arn:aws:lambda:us-east-1:" ACCT ":layer:acme-node-utils"
#define BASIC   "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
#define TRUST(svc)                                                                         \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{" \
	"\"Service\":" svc "},\"Action\":\"sts:AssumeRole\"}]}"
#define LAMBDA_TRUST TRUST("\"lambda.amazonaws.com\"")

/* A RoleDetail as GetAccountAuthorizationDetails gives it (the cache's attrs). */
static void
role_attrs(char *out, size_t n, const char *name, const char *path, const char *trust,
           const char *last_used)
{
	snprintf(out, n,
	         "{\"RoleName\":\"%s\",\"Arn\":\"arn:aws:iam::" ACCT ":role%s%s\",\"Path\":\"%s\","
	         "\"AssumeRolePolicyDocument\":%s,\"RoleLastUsed\":%s,"
	         "\"RolePolicyList\":[{\"PolicyName\":\"migration\",\"PolicyDocument\":{"
	         "\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
	         "\"dynamodb:*\",\"Resource\":\"*\"}}}],"
	         "\"AttachedManagedPolicies\":[{\"PolicyArn\":\"" BASIC "\"}],"
	         "\"InstanceProfileList\":[{\"InstanceProfileName\":\"etl-profile\"}],"
	         "\"PermissionsBoundary\":{\"PermissionsBoundaryType\":\"Policy\","
	         "\"PermissionsBoundaryArn\":\"" BASIC "\"},"
	         "\"Tags\":[{\"Key\":\"team\",\"Value\":\"data\"},{\"Key\":\"cost\",\"Value\":"
	         "\"etl\"}]}",
	         name, path, name, path, trust, last_used);
}

static void
put(struct store *s, enum model_kind kind, const char *arn, const char *name, const char *region,
    const char *attrs)
{
	struct model_resource r = { arn, kind, name, region, ACCT, attrs };

	assert_int_equal(store_put_resource(s, &r, NULL), 0);
}

static void
put_role(struct store *s, const char *name, const char *path, const char *trust,
         const char *last_used)
{
	char arn[256], attrs[4096];

	snprintf(arn, sizeof(arn), "arn:aws:iam::" ACCT ":role%s%s", path, name);
	role_attrs(attrs, sizeof(attrs), name, path, trust, last_used);
	put(s, MODEL_ROLE, arn, name, "", attrs);
}

static void
put_fn(struct store *s, const char *name, const char *role, const char *layer)
{
	char arn[256], attrs[1024];

	snprintf(arn, sizeof(arn), FN("%s"), name);
	snprintf(attrs, sizeof(attrs),
	         "{\"FunctionName\":\"%s\",\"FunctionArn\":\"%s\",\"Role\":\"%s\",\"RevisionId\":"
	         "\"r1\",\"Timeout\":30,\"Layers\":[{\"Arn\":\"%s\",\"CodeSize\":10}]}",
	         name, arn, role, layer);
	put(s, MODEL_FUNCTION, arn, name, "us-east-1", attrs);
}

static void
put_layer(struct store *s, int version)
{
	char arn[256], name[64], attrs[1024];

	snprintf(arn, sizeof(arn), LAYER ":%d", version);
	snprintf(name, sizeof(name), "acme-node-utils:%d", version);
	snprintf(attrs, sizeof(attrs),
	         "{\"LayerName\":\"acme-node-utils\",\"LayerArn\":\"" LAYER "\","
	         "\"LatestMatchingVersion\":{\"LayerVersionArn\":\"%s\",\"Version\":%d,"
	         "\"Description\":\"lodash, moment\",\"CompatibleRuntimes\":[\"nodejs22.x\","
	         "\"nodejs20.x\"],\"LicenseInfo\":\"MIT\",\"CompatibleArchitectures\":["
	         "\"x86_64\"]},\"Content\":{\"CodeSha256\":\"c2hhLW9mLXRoZS16aXA=\","
	         "\"CodeSize\":10}}",
	         arn, version);
	put(s, MODEL_LAYER, arn, name, "us-east-1", attrs);
}

static void
put_group(struct store *s, const char *name, const char *extra)
{
	char arn[512], attrs[1024];

	snprintf(arn, sizeof(arn), LG("%s"), name);
	snprintf(attrs, sizeof(attrs),
	         "{\"logGroupName\":\"%s\",\"arn\":\"%s:*\",\"storedBytes\":734003200%s}", name,
	         arn, extra);
	put(s, MODEL_LOG_GROUP, arn, name, "us-east-1", attrs);
}

#define NEVER  "{}"
#define RECENT "{\"LastUsedDate\":\"2026-11-13T00:00:00Z\",\"Region\":\"us-east-1\"}"
#define LONG   "{\"LastUsedDate\":\"2025-10-19T00:00:00Z\",\"Region\":\"us-east-1\"}"

static int
setup(void **state)
{
	struct act_fixture *f = act_fixture_begin(ACCT, TODAY);

	assert_non_null(f);
	put_role(f->s, "acme-old-etl-role", "/", LAMBDA_TRUST, NEVER);
	put_role(f->s, "acme-migration-role", "/", LAMBDA_TRUST, LONG);
	put_role(f->s, "acme-recent-role", "/", LAMBDA_TRUST, RECENT);
	put_role(f->s, "acme-ec2-role", "/",
	         TRUST("[\"lambda.amazonaws.com\",\"ec2.amazonaws.com\"]"), NEVER);
	put_role(f->s, "AWSServiceRoleForX", "/aws-service-role/", LAMBDA_TRUST, NEVER);
	put_role(f->s, "acme-live-role", "/", LAMBDA_TRUST, NEVER);
	put_fn(f->s, "inventory-sync", ROLE("acme-live-role"), LAYER ":2");
	put_layer(f->s, 1);
	put_layer(f->s, 2);
	put_group(f->s, "/aws/lambda/old-checkout-v1",
	          ",\"retentionInDays\":30,\"kmsKeyId\":\"arn:aws:kms:us-east-1:" ACCT
	          ":key/k1\",\"metricFilterCount\":0");
	put_group(f->s, "/aws/lambda/inventory-sync", "");
	put_group(f->s, "/aws/lambda/old-with-filters", ",\"metricFilterCount\":2");
	put_group(f->s, "/ecs/app", "");
	assert_int_equal(act_fixture_commit(f), 0);
	*state = f;
	return 0;
}

static int
plan_of(struct act_fixture *f, const char *action, const char *arn, cJSON **plan, struct err *err)
{
	return act_plan_build(&f->ctx, act_action_find(action), arn, plan, err);
}

static const cJSON *
call_at(const cJSON *plan, const char *path, int i)
{
	return cJSON_GetArrayItem(json_path(plan, path), i);
}

/* A query parameter (its name may hold dots: Tags.member.1.Key). */
static const char *
param(const cJSON *call, const char *name)
{
	return cJSON_GetStringValue(
	        cJSON_GetObjectItemCaseSensitive(json_path(call, "params"), name));
}

static void
assert_op(const cJSON *plan, const char *path, int i, const char *op, int once)
{
	const cJSON *c = call_at(plan, path, i);

	assert_non_null(c);
	assert_string_equal(json_str(c, "operation"), op);
	assert_int_equal(json_bool(c, "once", 0), once);
}

/* ---- prune-role */

static void
test_role_plan_deletes_every_attachment_then_the_role_each_once(void **state)
{
	struct act_fixture *f = *state;
	cJSON *plan = NULL;
	struct err err = { 0 };

	assert_int_equal(plan_of(f, "prune-role", ROLE("acme-old-etl-role"), &plan, &err), 0);
	assert_true(json_bool(plan, "destructive", 0));
	assert_string_equal(act_confirm_word(plan), "acme-old-etl-role");
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "calls")), 5);
	assert_op(plan, "calls", 0, "RemoveRoleFromInstanceProfile", 1);
	assert_string_equal(param(call_at(plan, "calls", 0), "InstanceProfileName"), "etl-profile");
	assert_op(plan, "calls", 1, "DetachRolePolicy", 1);
	assert_string_equal(param(call_at(plan, "calls", 1), "PolicyArn"), BASIC);
	assert_op(plan, "calls", 2, "DeleteRolePolicy", 1);
	assert_string_equal(param(call_at(plan, "calls", 2), "PolicyName"), "migration");
	assert_op(plan, "calls", 3, "DeleteRolePermissionsBoundary", 1);
	assert_op(plan, "calls", 4, "DeleteRole", 1);
	assert_false(json_bool(plan, "after.Exists", 1));
	assert_true(json_bool(plan, "before.Exists", 0));
	assert_non_null(strstr(json_str(plan, "explain"), "NEW RoleId"));
	assert_non_null(strstr(json_str(plan, "explain"), "never used"));
	cJSON_Delete(plan);
}

static void
test_role_undo_recreates_it_with_tags_sorted_and_every_attachment(void **state)
{
	struct act_fixture *f = *state;
	cJSON *plan = NULL;
	const cJSON *c;
	cJSON *trust;

	assert_int_equal(plan_of(f, "prune-role", ROLE("acme-old-etl-role"), &plan, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "undo.calls")), 5);
	assert_op(plan, "undo.calls", 0, "CreateRole", 1);
	c = call_at(plan, "undo.calls", 0);
	assert_string_equal(param(c, "Path"), "/");
	trust = cJSON_Parse(param(c, "AssumeRolePolicyDocument"));
	assert_string_equal(
	        json_str(cJSON_GetArrayItem(json_path(trust, "Statement"), 0), "Principal.Service"),
	        "lambda.amazonaws.com");
	cJSON_Delete(trust);
	/* the cache had team before cost: the state sorts them, so reads compare */
	assert_string_equal(param(c, "Tags.member.1.Key"), "cost");
	assert_string_equal(param(c, "Tags.member.2.Value"), "data");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	                            json_path(c, "from_backup"), "params.Description")),
	                    "GetRole.Description");
	assert_op(plan, "undo.calls", 1, "PutRolePolicy", 0);
	assert_op(plan, "undo.calls", 2, "AttachRolePolicy", 0);
	assert_op(plan, "undo.calls", 3, "PutRolePermissionsBoundary", 0);
	assert_string_equal(param(call_at(plan, "undo.calls", 3), "PermissionsBoundary"), BASIC);
	assert_op(plan, "undo.calls", 4, "AddRoleToInstanceProfile", 1);
	cJSON_Delete(plan);
}

static void
test_role_create_takes_description_and_session_from_the_backup(void **state)
{
	struct act_fixture *f = *state;
	cJSON *plan = NULL, *filled = NULL;
	cJSON *backup = cJSON_Parse("{\"GetRole\":{\"Description\":\"old etl\","
	                            "\"MaxSessionDuration\":\"7200\"}}");

	assert_int_equal(plan_of(f, "prune-role", ROLE("acme-old-etl-role"), &plan, NULL), 0);
	assert_int_equal(act_call_fill(call_at(plan, "undo.calls", 0), backup, &filled, NULL), 0);
	assert_string_equal(param(filled, "Description"), "old etl");
	assert_string_equal(param(filled, "MaxSessionDuration"), "7200");
	assert_null(json_path(filled, "from_backup"));
	cJSON_Delete(filled);
	cJSON_Delete(backup);
	cJSON_Delete(plan);
}

static void
test_role_used_long_ago_is_pruned_and_recently_used_is_refused(void **state)
{
	struct act_fixture *f = *state;
	cJSON *plan = NULL;
	struct err err = { 0 };

	assert_int_equal(plan_of(f, "prune-role", ROLE("acme-migration-role"), &plan, &err), 0);
	assert_non_null(strstr(json_str(plan, "explain"), "400 days ago"));
	cJSON_Delete(plan);
	plan = NULL;
	assert_int_equal(plan_of(f, "prune-role", ROLE("acme-recent-role"), &plan, &err),
	                 ERR_USAGE);
	assert_null(plan);
	assert_non_null(strstr(err.msg, "10 days ago, within the 90 unused days"));
	/* the threshold is the analyze opts' */
	f->opts.unused_days = 5;
	assert_int_equal(plan_of(f, "prune-role", ROLE("acme-recent-role"), &plan, &err), 0);
	cJSON_Delete(plan);
}

static void
test_role_in_use_shared_trust_or_service_linked_is_refused(void **state)
{
	struct act_fixture *f = *state;
	cJSON *plan = NULL;
	struct err err = { 0 };

	assert_int_equal(plan_of(f, "prune-role", ROLE("acme-live-role"), &plan, &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, FN("inventory-sync") " runs as it"));
	assert_int_equal(plan_of(f, "prune-role", ROLE("acme-ec2-role"), &plan, &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, "not a Lambda orphan"));
	assert_int_equal(plan_of(f, "prune-role",
	                         "arn:aws:iam::" ACCT ":role/aws-service-role/AWSServiceRoleForX",
	                         &plan, &err),
	                 ERR_USAGE);
	assert_non_null(strstr(err.msg, "service-linked"));
	assert_null(plan);
}

/* ---- prune-log-group */

static void
test_log_group_plan_deletes_once_and_says_the_events_are_lost(void **state)
{
	struct act_fixture *f = *state;
	cJSON *plan = NULL;
	const cJSON *c, *b;
	int lost = 0;

	assert_int_equal(
	        plan_of(f, "prune-log-group", LG("/aws/lambda/old-checkout-v1"), &plan, NULL), 0);
	assert_true(json_bool(plan, "destructive", 0));
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "calls")), 1);
	assert_op(plan, "calls", 0, "DeleteLogGroup", 1);
	assert_string_equal(json_str(call_at(plan, "calls", 0), "body.logGroupName"),
	                    "/aws/lambda/old-checkout-v1");
	assert_non_null(strstr(json_str(plan, "explain"), "EVENTS are lost"));
	cJSON_ArrayForEach(b, json_path(plan, "backup"))
	{
		lost += strstr(b->valuestring, "NOT its log events") != NULL;
	}
	assert_int_equal(lost, 1);
	/* undo: the group with its key and tags, then its retention */
	assert_op(plan, "undo.calls", 0, "CreateLogGroup", 1);
	c = call_at(plan, "undo.calls", 0);
	assert_string_equal(json_str(c, "body.kmsKeyId"), "arn:aws:kms:us-east-1:" ACCT ":key/k1");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	                            json_path(c, "from_backup"), "body.tags")),
	                    "state.Tags");
	assert_op(plan, "undo.calls", 1, "PutRetentionPolicy", 0);
	assert_int_equal(cJSON_GetNumberValue(
	                         json_path(call_at(plan, "undo.calls", 1), "body.retentionInDays")),
	                 30);
	cJSON_Delete(plan);
}

static void
test_log_group_of_a_live_function_with_filters_or_not_lambdas_is_refused(void **state)
{
	struct act_fixture *f = *state;
	cJSON *plan = NULL;
	struct err err = { 0 };

	assert_int_equal(
	        plan_of(f, "prune-log-group", LG("/aws/lambda/inventory-sync"), &plan, &err),
	        ERR_USAGE);
	assert_non_null(strstr(err.msg, "is in the cache: " FN("inventory-sync")));
	assert_int_equal(
	        plan_of(f, "prune-log-group", LG("/aws/lambda/old-with-filters"), &plan, &err),
	        ERR_USAGE);
	assert_non_null(strstr(err.msg, "2 metric filters"));
	assert_int_equal(plan_of(f, "prune-log-group", LG("/ecs/app"), &plan, &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, "not a Lambda function's log group"));
	assert_null(plan);
}

static void
test_log_group_tags_come_from_the_backup_and_no_retention_means_no_call(void **state)
{
	const struct act_action *a = act_action_find("prune-log-group");
	cJSON *from = cJSON_Parse("{\"Exists\":false,\"retentionInDays\":null,\"kmsKeyId\":null}");
	cJSON *to = cJSON_Parse("{\"Exists\":true,\"retentionInDays\":null,\"kmsKeyId\":null}");
	cJSON *backup = cJSON_Parse("{\"state\":{\"Tags\":{\"owner\":\"checkout\"}}}");
	cJSON *calls = cJSON_CreateArray(), *filled = NULL;

	(void)state;
	assert_int_equal(a->calls("/aws/lambda/x", from, to, "", calls, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(calls), 1);
	assert_null(json_path(cJSON_GetArrayItem(calls, 0), "body.kmsKeyId"));
	assert_int_equal(act_call_fill(cJSON_GetArrayItem(calls, 0), backup, &filled, NULL), 0);
	assert_string_equal(json_str(filled, "body.tags.owner"), "checkout");
	cJSON_Delete(filled);
	/* a backup without tags (the group had none): CreateLogGroup without tags */
	cJSON_DeleteItemFromObject(cJSON_GetObjectItem(backup, "state"), "Tags");
	assert_int_equal(act_call_fill(cJSON_GetArrayItem(calls, 0), backup, &filled, NULL), 0);
	assert_null(json_path(filled, "body.tags"));
	cJSON_Delete(filled);
	cJSON_Delete(backup);
	cJSON_Delete(calls);
	cJSON_Delete(from);
	cJSON_Delete(to);
}

/* ---- prune-layer-version */

static void
test_layer_plan_deletes_the_version_and_undo_republishes_the_backed_up_zip(void **state)
{
	struct act_fixture *f = *state;
	cJSON *plan = NULL;
	const cJSON *c;

	assert_int_equal(plan_of(f, "prune-layer-version", LAYER ":1", &plan, NULL), 0);
	assert_true(json_bool(plan, "destructive", 0));
	assert_op(plan, "calls", 0, "DeleteLayerVersion", 1);
	c = call_at(plan, "calls", 0);
	assert_string_equal(json_str(c, "method"), "DELETE");
	assert_string_equal(json_str(c, "path"), "/2018-10-31/layers/acme-node-utils/versions/1");
	assert_string_equal(json_str(plan, "before.CodeSha256"), "c2hhLW9mLXRoZS16aXA=");
	/* runtimes sorted, so the cache's order and a read's compare */
	assert_string_equal(
	        cJSON_GetArrayItem(json_path(plan, "before.CompatibleRuntimes"), 0)->valuestring,
	        "nodejs20.x");
	assert_op(plan, "undo.calls", 0, "PublishLayerVersion", 1);
	c = call_at(plan, "undo.calls", 0);
	assert_string_equal(json_str(c, "path"), "/2018-10-31/layers/acme-node-utils/versions");
	assert_string_equal(json_str(c, "body.Description"), "lodash, moment");
	assert_string_equal(json_str(c, "body.LicenseInfo"), "MIT");
	assert_null(json_path(c, "body.Content")); /* code never goes into a plan */
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	                            json_path(c, "from_backup"), "body.Content.ZipFile")),
	                    "file:content_file");
	assert_non_null(strstr(json_str(plan, "explain"), "NEW version number"));
	cJSON_Delete(plan);
}

static void
test_layer_in_use_is_refused(void **state)
{
	struct act_fixture *f = *state;
	cJSON *plan = NULL;
	struct err err = { 0 };

	assert_int_equal(plan_of(f, "prune-layer-version", LAYER ":2", &plan, &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, FN("inventory-sync") " uses it"));
	assert_null(plan);
}

static void
test_layer_undo_of_the_undo_deletes_the_number_read_back(void **state)
{
	const struct act_action *a = act_action_find("prune-layer-version");
	cJSON *read = cJSON_Parse("{\"Exists\":true,\"CodeSha256\":\"x\",\"Version\":5}");
	cJSON *gone = cJSON_Parse("{\"Exists\":false}");
	cJSON *keys = cJSON_Parse("{\"Exists\":true,\"CodeSha256\":\"x\"}");
	cJSON *calls = cJSON_CreateArray();

	(void)state;
	assert_int_equal(a->calls("acme-node-utils:1", read, gone, "", calls, NULL), 0);
	assert_string_equal(json_str(cJSON_GetArrayItem(calls, 0), "path"),
	                    "/2018-10-31/layers/acme-node-utils/versions/5");
	/* keys alone cannot know the number a publish got: never the old one */
	assert_int_equal(a->calls("acme-node-utils:1", keys, gone, "", calls, NULL), 0);
	assert_null(strstr(json_str(cJSON_GetArrayItem(calls, 1), "path"), "/versions/1"));
	cJSON_Delete(read);
	cJSON_Delete(gone);
	cJSON_Delete(keys);
	cJSON_Delete(calls);
}

static void
test_calls_only_delete_or_recreate(void **state)
{
	static const char *const names[] = { "prune-role", "prune-log-group",
		                             "prune-layer-version" };
	cJSON *gone = cJSON_Parse("{\"Exists\":false}"), *calls = cJSON_CreateArray();
	struct err err = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		const struct act_action *a = act_action_find(names[i]);

		assert_non_null(a);
		assert_true(a->flags & ACT_DESTRUCTIVE);
		assert_int_equal(a->calls("x:1", gone, gone, "", calls, &err), ERR_USAGE);
		assert_int_equal(cJSON_GetArraySize(calls), 0);
	}
	cJSON_Delete(gone);
	cJSON_Delete(calls);
}

int
main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, act_fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_role_plan_deletes_every_attachment_then_the_role_each_once),
		T(test_role_undo_recreates_it_with_tags_sorted_and_every_attachment),
		T(test_role_create_takes_description_and_session_from_the_backup),
		T(test_role_used_long_ago_is_pruned_and_recently_used_is_refused),
		T(test_role_in_use_shared_trust_or_service_linked_is_refused),
		T(test_log_group_plan_deletes_once_and_says_the_events_are_lost),
		T(test_log_group_of_a_live_function_with_filters_or_not_lambdas_is_refused),
		cmocka_unit_test(
		        test_log_group_tags_come_from_the_backup_and_no_retention_means_no_call),
		T(test_layer_plan_deletes_the_version_and_undo_republishes_the_backed_up_zip),
		T(test_layer_in_use_is_refused),
		cmocka_unit_test(test_layer_undo_of_the_undo_deletes_the_number_read_back),
		cmocka_unit_test(test_calls_only_delete_or_recreate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
