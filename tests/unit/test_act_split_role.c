/* split-role: one role per function, named by the convention; the calls, the undo, refusals. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "act/split_role.h"
#include "act_fixture.h"
#include "store/query.h"
#include "testutil.h"
#include "util/json.h"

#define ACCT   "314159265358"
#define TODAY  ((time_t)1795435200)
#define FN(n)  "arn:aws:lambda:us-east-1:" ACCT ":function:" n
#define MEDIA  "arn:aws:iam::" ACCT ":role/acme-media-processor-role"
#define NEW(n) "arn:aws:iam::" ACCT ":role/acme-media-processor-role-" n
#define LONE   "arn:aws:iam::" ACCT ":role/acme-lone-role"

static void
put(struct store *s, enum model_kind kind, const char *arn, const char *name, const char *region,
    const char *attrs)
{
	struct model_resource r = { arn, kind, name, region, ACCT, attrs };

	assert_int_equal(store_put_resource(s, &r, NULL), 0);
}

static void
put_fn(struct store *s, const char *name, const char *role, const char *rev)
{
	char arn[256], attrs[1024];
	struct model_edge e = { arn, role, MODEL_EDGE_ASSUMES, "execution role" };

	snprintf(arn, sizeof(arn), FN("%s"), name);
	snprintf(attrs, sizeof(attrs),
	         "{\"FunctionName\":\"%s\",\"FunctionArn\":\"%s\",\"Role\":\"%s\",\"RevisionId\":"
	         "\"%s\",\"Timeout\":30,\"TracingConfig\":{\"Mode\":\"PassThrough\"}}",
	         name, arn, role, rev);
	put(s, MODEL_FUNCTION, arn, name, "us-east-1", attrs);
	assert_int_equal(store_put_edge(s, &e, NULL), 0);
}

static int
setup(void **state)
{
	struct act_fixture *f = act_fixture_begin(ACCT, TODAY);
	char *media = test_read_file(test_path("tests/data/lp/media-role.json"), NULL);
	cJSON *role = cJSON_Parse(media);
	char *attrs;

	/* the trust policy and session length the new roles copy */
	cJSON_AddStringToObject(
	        role, "AssumeRolePolicyDocument",
	        "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22"
	        "Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22"
	        "lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%"
	        "7D%5D%7D");
	cJSON_AddStringToObject(role, "Path", "/");
	cJSON_AddNumberToObject(role, "MaxSessionDuration", 7200);
	attrs = cJSON_PrintUnformatted(role);
	assert_non_null(f);
	put(f->s, MODEL_ROLE, MEDIA, "acme-media-processor-role", "", attrs);
	put(f->s, MODEL_ROLE, LONE, "acme-lone-role", "", attrs);
	put_fn(f->s, "image-resize", MEDIA, "r1");
	put_fn(f->s, "thumbnail-generator", MEDIA, "r2");
	put_fn(f->s, "lonely", LONE, "r3");
	put(f->s, MODEL_BUCKET, "arn:aws:s3:::acme-uploads", "acme-uploads", "us-east-1", "{}");
	assert_int_equal(act_fixture_commit(f), 0);
	free(media);
	free(attrs);
	cJSON_Delete(role);
	*state = f;
	return 0;
}

static int
plan_of(struct act_fixture *f, const char *arn, cJSON **plan, struct err *err)
{
	return act_plan_build(&f->ctx, act_action_find("split-role"), arn, plan, err);
}

static const char *
op_at(const cJSON *plan, const char *path, int i)
{
	return json_str(cJSON_GetArrayItem(json_path(plan, path), i), "operation");
}

static const char *
param_at(const cJSON *plan, const char *path, int i, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
	        json_path(cJSON_GetArrayItem(json_path(plan, path), i), "params"), name);

	return cJSON_IsString(v) ? v->valuestring : "(absent)";
}

static void
test_each_function_gets_its_own_role_then_moves_there(void **state)
{
	cJSON *plan = NULL;
	const cJSON *fr, *nr, *upd;

	assert_int_equal(plan_of(*state, MEDIA, &plan, NULL), 0);
	fr = json_path(plan, "after.FunctionRoles");
	assert_string_equal(cJSON_GetObjectItem(fr, FN("image-resize"))->valuestring,
	                    NEW("image-resize"));
	assert_string_equal(cJSON_GetObjectItem(fr, FN("thumbnail-generator"))->valuestring,
	                    NEW("thumbnail-generator"));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(json_path(plan, "before.SplitRoles"),
	                                             "acme-media-processor-role-image-resize")));
	nr = cJSON_GetObjectItem(json_path(plan, "after.SplitRoles"),
	                         "acme-media-processor-role-image-resize");
	assert_non_null(nr);
	assert_true(cJSON_IsObject(json_path(nr, "AssumeRolePolicyDocument")));
	/* roles first (created, their policy put), then the functions */
	assert_string_equal(op_at(plan, "calls", 0), "CreateRole");
	assert_string_equal(param_at(plan, "calls", 0, "MaxSessionDuration"), "7200");
	assert_non_null(strstr(param_at(plan, "calls", 0, "AssumeRolePolicyDocument"),
	                       "lambda.amazonaws.com"));
	assert_true(json_bool(cJSON_GetArrayItem(json_path(plan, "calls"), 0), "once", 0));
	assert_string_equal(op_at(plan, "calls", 1), "PutRolePolicy");
	assert_string_equal(op_at(plan, "calls", 2), "CreateRole");
	assert_string_equal(op_at(plan, "calls", 4), "UpdateFunctionConfiguration");
	upd = cJSON_GetArrayItem(json_path(plan, "calls"), 4);
	assert_string_equal(json_str(upd, "region"), "us-east-1");
	assert_string_equal(json_str(upd, "body.Role"), NEW("image-resize"));
	assert_string_equal(json_str(upd, "body.RevisionId"), "r1"); /* the function's guard */
	assert_string_equal(json_str(upd, "retry.code"), "InvalidParameterValueException");
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "calls")), 6);
	cJSON_Delete(plan);
}

static void
test_undo_moves_the_functions_back_then_deletes_the_roles(void **state)
{
	cJSON *plan = NULL;

	assert_int_equal(plan_of(*state, MEDIA, &plan, NULL), 0);
	assert_string_equal(op_at(plan, "undo.calls", 0), "UpdateFunctionConfiguration");
	assert_string_equal(
	        json_str(cJSON_GetArrayItem(json_path(plan, "undo.calls"), 0), "body.Role"), MEDIA);
	assert_string_equal(op_at(plan, "undo.calls", 1), "UpdateFunctionConfiguration");
	assert_string_equal(op_at(plan, "undo.calls", 2), "DeleteRolePolicy");
	assert_string_equal(op_at(plan, "undo.calls", 3), "DeleteRole");
	assert_string_equal(param_at(plan, "undo.calls", 3, "RoleName"),
	                    "acme-media-processor-role-image-resize");
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "undo.calls")), 6);
	cJSON_Delete(plan);
}

static void
test_refuses_a_role_one_function_uses(void **state)
{
	struct err e = { 0 };
	cJSON *plan = NULL;

	assert_int_equal(plan_of(*state, LONE, &plan, &e), ERR_USAGE);
	assert_null(plan);
	assert_non_null(strstr(e.msg, "nothing to split"));
}

static void
test_the_convention_cuts_at_64_characters(void **state)
{
	char name[256];

	(void)state;
	split_role_name("a-role-with-a-rather-long-name-for-the-team", "and-a-long-function-name",
	                name, sizeof(name));
	assert_int_equal(strlen(name), 64);
	assert_string_equal(name,
	                    "a-role-with-a-rather-long-name-for-the-team-and-a-long-function-");
	split_role_name("r", "f", name, sizeof(name));
	assert_string_equal(name, "r-f");
}

static void
test_a_role_of_that_name_refuses_the_split(void **state)
{
	struct act_fixture *f = *state;
	struct store_scan scan = { .started = TODAY + 1, .account = ACCT, .regions = "us-east-1" };
	struct err e = { 0 };
	cJSON *plan = NULL;
	struct store_resource media = { 0 };

	assert_int_equal(store_resource_get(f->s, MEDIA, &media, NULL), 0);
	/* a scan holds what it saw: the role and its functions, and a role named as a new one */
	assert_int_equal(store_scan_begin(f->s, &scan, NULL), 0);
	put(f->s, MODEL_ROLE, MEDIA, "acme-media-processor-role", "", media.r.attrs);
	put_fn(f->s, "image-resize", MEDIA, "r1");
	put_fn(f->s, "thumbnail-generator", MEDIA, "r2");
	store_resource_release(&media);
	put(f->s, MODEL_ROLE, NEW("image-resize"), "acme-media-processor-role-image-resize", "",
	    "{}");
	assert_int_equal(store_scan_commit(f->s, &scan, NULL), 0);
	assert_int_equal(plan_of(f, MEDIA, &plan, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "exists already"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_each_function_gets_its_own_role_then_moves_there, setup,
		        act_fixture_teardown),
		cmocka_unit_test_setup_teardown(
		        test_undo_moves_the_functions_back_then_deletes_the_roles, setup,
		        act_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refuses_a_role_one_function_uses, setup,
		                                act_fixture_teardown),
		cmocka_unit_test(test_the_convention_cuts_at_64_characters),
		cmocka_unit_test_setup_teardown(test_a_role_of_that_name_refuses_the_split, setup,
		                                act_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
