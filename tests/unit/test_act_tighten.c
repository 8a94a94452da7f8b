/* tighten-role: the plan from lp_build, its calls and undo, refusals, the role's state form. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "act_fixture.h"
#include "testutil.h"
#include "util/json.h"

#define ACCT    "314159265358"
#define TODAY   ((time_t)1795435200)
#define FN(n)   "arn:aws:lambda:us-east-1:" ACCT ":function:" n
#define ROLE(n) "arn:aws:iam::" ACCT ":role/" n
#define MEDIA   ROLE("acme-media-processor-role")
#define BASIC   "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
#define LOGS    "arn:aws:logs:us-east-1:" ACCT ":log-group:/aws/lambda/tight-fn:*"

/* A role granting only what Lambda needs to log for its one function, scoped. */
#define TIGHT_ROLE                                                                                                 \
	"{\"RoleName\":\"acme-tight-role\",\"Arn\":\"" ROLE(                                                       \
	        "acme-tight-role") "\","                                                                           \
	                           "\"RolePolicyList\":[{\"PolicyName\":\"logs\",\"PolicyDocument\":{\"Version\":" \
	                           "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:"       \
	                           "CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"" LOGS                 \
	                           "\"}]}}],"                                                                      \
	                           "\"AttachedManagedPolicies\":[]}"
#define IDLE_ROLE                                                                                                     \
	"{\"RoleName\":\"acme-idle-role\",\"Arn\":\"" ROLE(                                                           \
	        "acme-idle-role") "\","                                                                               \
	                          "\"RolePolicyList\":[{\"PolicyName\":\"all\",\"PolicyDocument\":{\"Version\":"      \
	                          "\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":" \
	                          "\"*\"}}}],\"AttachedManagedPolicies\":[{\"PolicyArn\":\"" BASIC                    \
	                          "\"}]}"

static void
put(struct store *s, enum model_kind kind, const char *arn, const char *name, const char *region,
    const char *attrs)
{
	struct model_resource r = { arn, kind, name, region, ACCT, attrs };

	assert_int_equal(store_put_resource(s, &r, NULL), 0);
}

static void
put_fn(struct store *s, const char *name, const char *role)
{
	char arn[256], attrs[1024];
	struct model_edge e = { arn, role, MODEL_EDGE_ASSUMES, "execution role" };

	snprintf(arn, sizeof(arn), FN("%s"), name);
	snprintf(attrs, sizeof(attrs),
	         "{\"FunctionName\":\"%s\",\"FunctionArn\":\"%s\",\"Role\":\"%s\",\"RevisionId\":"
	         "\"r1\",\"Timeout\":30,\"TracingConfig\":{\"Mode\":\"PassThrough\"}}",
	         name, arn, role);
	put(s, MODEL_FUNCTION, arn, name, "us-east-1", attrs);
	assert_int_equal(store_put_edge(s, &e, NULL), 0);
}

static int
setup(void **state)
{
	struct act_fixture *f = act_fixture_begin(ACCT, TODAY);
	char *media = test_read_file(test_path("tests/data/lp/media-role.json"), NULL);

	assert_non_null(media);
	assert_non_null(f);
	put(f->s, MODEL_ROLE, MEDIA, "acme-media-processor-role", "", media);
	put(f->s, MODEL_ROLE, ROLE("acme-tight-role"), "acme-tight-role", "", TIGHT_ROLE);
	put(f->s, MODEL_ROLE, ROLE("acme-idle-role"), "acme-idle-role", "", IDLE_ROLE);
	put_fn(f->s, "image-resize", MEDIA);
	put_fn(f->s, "thumbnail-generator", MEDIA);
	put_fn(f->s, "tight-fn", ROLE("acme-tight-role"));
	put(f->s, MODEL_BUCKET, "arn:aws:s3:::acme-uploads", "acme-uploads", "us-east-1", "{}");
	assert_int_equal(act_fixture_commit(f), 0);
	free(media);
	*state = f;
	return 0;
}

static int
plan_of(struct act_fixture *f, const char *arn, cJSON **plan, struct err *err)
{
	return act_plan_build(&f->ctx, act_action_find("tighten-role"), arn, plan, err);
}

/* Member key of item i of the array at path ("" for the item itself, a string). */
static const char *
item_str(const cJSON *o, const char *path, int i, const char *key)
{
	const cJSON *it = cJSON_GetArrayItem(json_path(o, path), i);

	return key[0] ? json_str(it, key) : cJSON_GetStringValue(it);
}

static const char *
op_at(const cJSON *plan, const char *path, int i)
{
	return json_str(cJSON_GetArrayItem(json_path(plan, path), i), "operation");
}

static const char *
param_at(const cJSON *plan, const char *path, int i, const char *name)
{
	char p[64];

	snprintf(p, sizeof(p), "params.%s", name);
	return json_str(cJSON_GetArrayItem(json_path(plan, path), i), p);
}

static void
test_plan_puts_the_least_privilege_policy_then_deletes_and_detaches(void **state)
{
	cJSON *plan = NULL, *doc;
	const cJSON *after;
	char *text;

	assert_int_equal(plan_of(*state, MEDIA, &plan, NULL), 0);
	assert_string_equal(json_str(plan, "target.kind"), "role");
	assert_string_equal(json_str(plan, "region"), "us-east-1");
	assert_null(json_path(plan, "revisions.RevisionId")); /* IAM has none */
	assert_int_equal(act_plan_validate(plan, NULL), 0);
	assert_string_equal(item_str(plan, "before.InlinePolicies", 0, "PolicyName"),
	                    "media-everything");
	assert_string_equal(item_str(plan, "before.AttachedPolicies", 0, ""), BASIC);
	after = json_path(plan, "after.InlinePolicies");
	assert_int_equal(cJSON_GetArraySize(after), 1);
	assert_string_equal(json_str(after->child, "PolicyName"),
	                    "acme-media-processor-role-least-privilege");
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "after.AttachedPolicies")), 0);
	/* the reviewer's notes are the plan's, never part of the state compared */
	assert_non_null(json_str(plan, "diff"));
	assert_true(strlen(json_str(plan, "diff")) > 0);
	assert_null(json_path(plan, "after.diff"));
	/* additions first: the role never holds less than the new policy */
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "calls")), 3);
	assert_string_equal(op_at(plan, "calls", 0), "PutRolePolicy");
	assert_string_equal(param_at(plan, "calls", 0, "RoleName"), "acme-media-processor-role");
	doc = cJSON_Parse(param_at(plan, "calls", 0, "PolicyDocument"));
	assert_true(cJSON_Compare(doc, json_path(after->child, "PolicyDocument"), 1));
	text = cJSON_PrintUnformatted(doc);
	assert_null(strstr(text, "\"dynamodb:*\"")); /* never used: dropped */
	assert_null(strstr(text, "\"s3:*\""));
	free(text);
	cJSON_Delete(doc);
	assert_string_equal(op_at(plan, "calls", 1), "DeleteRolePolicy");
	assert_string_equal(param_at(plan, "calls", 1, "PolicyName"), "media-everything");
	assert_string_equal(op_at(plan, "calls", 2), "DetachRolePolicy");
	assert_string_equal(param_at(plan, "calls", 2, "PolicyArn"), BASIC);
	cJSON_Delete(plan);
}

static void
test_undo_puts_back_every_document_and_attachment(void **state)
{
	cJSON *plan = NULL, *doc;

	assert_int_equal(plan_of(*state, MEDIA, &plan, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "undo.calls")), 3);
	assert_string_equal(op_at(plan, "undo.calls", 0), "PutRolePolicy");
	assert_string_equal(param_at(plan, "undo.calls", 0, "PolicyName"), "media-everything");
	doc = cJSON_Parse(param_at(plan, "undo.calls", 0, "PolicyDocument"));
	assert_true(cJSON_Compare(
	        doc,
	        json_path(cJSON_GetArrayItem(json_path(plan, "before.InlinePolicies"), 0),
	                  "PolicyDocument"),
	        1));
	cJSON_Delete(doc);
	assert_string_equal(op_at(plan, "undo.calls", 1), "AttachRolePolicy");
	assert_string_equal(param_at(plan, "undo.calls", 1, "PolicyArn"), BASIC);
	assert_string_equal(op_at(plan, "undo.calls", 2), "DeleteRolePolicy");
	assert_string_equal(param_at(plan, "undo.calls", 2, "PolicyName"),
	                    "acme-media-processor-role-least-privilege");
	cJSON_Delete(plan);
}

static void
test_describe_shows_iam_calls_and_the_diff(void **state)
{
	static char out[65536];
	cJSON *plan = NULL;

	assert_int_equal(plan_of(*state, MEDIA, &plan, NULL), 0);
	act_plan_describe(plan, out, sizeof(out));
	assert_non_null(strstr(out, "iam PutRolePolicy"));
	assert_non_null(strstr(out, "iam DetachRolePolicy"));
	assert_non_null(strstr(out, "  diff:\n"));
	assert_non_null(strstr(out, "media-everything"));
	assert_null(strstr(out, "lambda PutRolePolicy"));
	cJSON_Delete(plan);
}

static void
test_refuses_a_role_no_function_uses(void **state)
{
	struct err e = { 0 };
	cJSON *plan = NULL;

	assert_int_equal(plan_of(*state, ROLE("acme-idle-role"), &plan, &e), ERR_USAGE);
	assert_null(plan);
	assert_non_null(strstr(e.msg, "no function uses the role"));
}

static void
test_refuses_when_nothing_would_be_tightened(void **state)
{
	struct err e = { 0 };
	cJSON *plan = NULL;

	assert_int_equal(plan_of(*state, ROLE("acme-tight-role"), &plan, &e), ERR_USAGE);
	assert_null(plan);
	assert_non_null(strstr(e.msg, "nothing to tighten"));
}

static void
test_refuses_a_function(void **state)
{
	struct err e = { 0 };
	cJSON *plan = NULL;

	assert_int_equal(plan_of(*state, FN("tight-fn"), &plan, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "applies to a role"));
}

static void
test_state_is_a_set_and_documents_compare_as_json(void **state)
{
	cJSON *enc = cJSON_Parse(
	        "[{\"PolicyName\":\"b\",\"PolicyDocument\":\"%7B%22Version%22%3A%222012-10-17%22%2C"
	        "%22Statement%22%3A%5B%5D%7D\"},{\"PolicyName\":\"a\",\"PolicyDocument\":"
	        "{\"Statement\":[],\"Version\":\"2012-10-17\"}}]");
	cJSON *obj =
	        cJSON_Parse("[{\"PolicyName\":\"a\",\"PolicyDocument\":{\"Version\":"
	                    "\"2012-10-17\",\"Statement\":[]}},{\"PolicyName\":\"b\","
	                    "\"PolicyDocument\":{\"Statement\":[],\"Version\":\"2012-10-17\"}}]");
	cJSON *arns1 = cJSON_Parse("[{\"PolicyArn\":\"arn:z\"},{\"PolicyArn\":\"arn:a\"}]");
	cJSON *arns2 = cJSON_Parse("[\"arn:a\",\"arn:z\"]"), *more = cJSON_Parse("[\"arn:a\"]");
	cJSON *bad = cJSON_Parse("[{\"PolicyName\":\"x\",\"PolicyDocument\":\"%7Bnot\"}]");
	cJSON *s1 = act_role_state(enc, arns1), *s2 = act_role_state(obj, arns2);
	cJSON *s3 = act_role_state(obj, more), *calls = cJSON_CreateArray();
	char diff[512];

	assert_non_null(s1);
	assert_non_null(s2);
	assert_string_equal(item_str(s1, "InlinePolicies", 0, "PolicyName"), "a");
	assert_string_equal(item_str(s1, "AttachedPolicies", 0, ""), "arn:a");
	assert_int_equal(act_state_matches(s1, NULL, s2, diff, sizeof(diff)), 1);
	assert_int_equal(act_state_matches(s1, NULL, s3, diff, sizeof(diff)), 0);
	assert_non_null(strstr(diff, "AttachedPolicies: plan"));
	assert_null(act_role_state(bad, NULL));
	/* one state to an equal one: nothing to send */
	assert_int_equal(act_action_find("tighten-role")->calls("r", s1, s2, "", calls, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(calls), 0);
	cJSON_Delete(calls);
	cJSON_Delete(s1);
	cJSON_Delete(s2);
	cJSON_Delete(s3);
	cJSON_Delete(enc);
	cJSON_Delete(obj);
	cJSON_Delete(arns1);
	cJSON_Delete(arns2);
	cJSON_Delete(more);
	cJSON_Delete(bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_plan_puts_the_least_privilege_policy_then_deletes_and_detaches, setup,
		        act_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_undo_puts_back_every_document_and_attachment,
		                                setup, act_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_describe_shows_iam_calls_and_the_diff, setup,
		                                act_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refuses_a_role_no_function_uses, setup,
		                                act_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refuses_when_nothing_would_be_tightened, setup,
		                                act_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refuses_a_function, setup,
		                                act_fixture_teardown),
		cmocka_unit_test(test_state_is_a_set_and_documents_compare_as_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
