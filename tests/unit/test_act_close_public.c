/* close-public: which statements go, the calls and their undo, refusals, the state's form. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "act_fixture.h"
#include "testutil.h"
#include "util/json.h"

#define ACCT   "111122223333"
#define ARN(n) "arn:aws:lambda:us-east-1:" ACCT ":function:" n
#define TODAY  ((time_t)20000 * 86400)

/* The statements AddPermission writes (Lambda's form). */
#define URL_OPEN                                                                              \
	"{\"Sid\":\"FunctionURLAllowPublicAccess\",\"Effect\":\"Allow\",\"Principal\":\"*\"," \
	"\"Action\":\"lambda:InvokeFunctionUrl\",\"Resource\":\"%s\",\"Condition\":"          \
	"{\"StringEquals\":{\"lambda:FunctionUrlAuthType\":\"NONE\"}}}"
#define S3_TRIGGER                                                                        \
	"{\"Sid\":\"s3-uploads\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":"        \
	"\"s3.amazonaws.com\"},\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"%s\"," \
	"\"Condition\":{\"ArnLike\":{\"AWS:SourceArn\":\"arn:aws:s3:::uploads\"}}}"
#define AWS_STAR                                                                  \
	"{\"Sid\":\"anyone\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"}," \
	"\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"%s\"}"
#define ORG_ONLY                                                                         \
	"{\"Sid\":\"org\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"          \
	"\"lambda:InvokeFunction\",\"Resource\":\"%s\",\"Condition\":{\"StringEquals\":" \
	"{\"aws:PrincipalOrgID\":\"o-abc123\"}}}"
#define TWO_ACTIONS                                                             \
	"{\"Sid\":\"two\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":" \
	"[\"lambda:InvokeFunction\",\"lambda:GetFunction\"],\"Resource\":\"%s\"}"

/* A cached function with a policy of statements (printf formats taking its ARN) and a URL. */
static void
put_fn(struct store *s, const char *name, const char *url_auth, const char *const *stmts)
{
	char arn[256], attrs[8192], stmt[1024];
	struct model_resource r = { arn, MODEL_FUNCTION, name, "us-east-1", ACCT, attrs };
	size_t i, len;

	snprintf(arn, sizeof(arn), ARN("%s"), name);
	len = (size_t)snprintf(attrs, sizeof(attrs),
	                       "{\"RevisionId\":\"r-%s\",\"Timeout\":30,\"PolicyRevisionId\":"
	                       "\"p-%s\",\"Policy\":{\"Version\":\"2012-10-17\",\"Statement\":[",
	                       name, name);
	for (i = 0; stmts[i]; i++) {
		snprintf(stmt, sizeof(stmt), stmts[i], arn);
		len += (size_t)snprintf(attrs + len, sizeof(attrs) - len, "%s%s", i ? "," : "",
		                        stmt);
	}
	len += (size_t)snprintf(attrs + len, sizeof(attrs) - len, "]},\"Url\":");
	if (url_auth)
		snprintf(attrs + len, sizeof(attrs) - len,
		         "{\"FunctionUrl\":\"https://u-%s.lambda-url.us-east-1.on.aws/\","
		         "\"FunctionArn\":\"%s\",\"AuthType\":\"%s\"}}",
		         name, arn, url_auth);
	else
		snprintf(attrs + len, sizeof(attrs) - len, "null}");
	assert_int_equal(store_put_resource(s, &r, NULL), 0);
}

static int
setup(void **state)
{
	struct act_fixture *f = act_fixture_begin(ACCT, TODAY);
	static const char *const webhook[] = { S3_TRIGGER, URL_OPEN, NULL };
	static const char *const direct[] = { AWS_STAR, ORG_ONLY, NULL };
	static const char *const closed[] = { ORG_ONLY, S3_TRIGGER, NULL };
	static const char *const odd[] = { TWO_ACTIONS, NULL };

	assert_non_null(f);
	put_fn(f->s, "webhook", "NONE", webhook);
	put_fn(f->s, "direct", NULL, direct);
	put_fn(f->s, "closed", "AWS_IAM", closed);
	put_fn(f->s, "odd", NULL, odd);
	assert_int_equal(act_fixture_commit(f), 0);
	*state = f;
	return 0;
}

static int
plan_of(struct act_fixture *f, const char *arn, cJSON **plan, struct err *err)
{
	return act_plan_build(&f->ctx, act_action_find("close-public"), arn, plan, err);
}

static const cJSON *
call_at(const cJSON *plan, const char *path, int i)
{
	return cJSON_GetArrayItem(json_path(plan, path), i);
}

static void
test_removes_only_the_open_statement_and_closes_the_url(void **state)
{
	cJSON *plan = NULL;
	const cJSON *kept, *c;

	assert_int_equal(plan_of(*state, ARN("webhook"), &plan, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "before.PolicyStatements")), 2);
	kept = json_path(plan, "after.PolicyStatements");
	assert_int_equal(cJSON_GetArraySize(kept), 1);
	assert_string_equal(json_str(kept->child, "Sid"), "s3-uploads");
	assert_string_equal(json_str(plan, "before.UrlAuthType"), "NONE");
	assert_string_equal(json_str(plan, "after.UrlAuthType"), "AWS_IAM");
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "calls")), 2);
	c = call_at(plan, "calls", 0);
	assert_string_equal(json_str(c, "operation"), "RemovePermission");
	assert_string_equal(json_str(c, "method"), "DELETE");
	assert_string_equal(json_str(c, "path"),
	                    "/2015-03-31/functions/webhook/policy/FunctionURLAllowPublicAccess");
	/* guarded by the policy's own revision, not the function's */
	assert_string_equal(json_str(c, "query"), "RevisionId=p-webhook");
	assert_non_null(strstr(json_str(c, "access"), "https://u-webhook.lambda-url"));
	c = call_at(plan, "calls", 1);
	assert_string_equal(json_str(c, "operation"), "UpdateFunctionUrlConfig");
	assert_string_equal(json_str(c, "path"), "/2021-10-31/functions/webhook/url");
	assert_string_equal(json_str(c, "body.AuthType"), "AWS_IAM");
	assert_non_null(
	        strstr(json_str(plan, "explain"), "remove Sid FunctionURLAllowPublicAccess"));
	assert_null(strstr(json_str(plan, "explain"), "s3-uploads"));
	cJSON_Delete(plan);
}

static void
test_undo_puts_the_statement_back_with_its_condition_as_parameters(void **state)
{
	cJSON *plan = NULL;
	const cJSON *c;

	assert_int_equal(plan_of(*state, ARN("webhook"), &plan, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "undo.calls")), 2);
	c = call_at(plan, "undo.calls", 0);
	assert_string_equal(json_str(c, "operation"), "AddPermission");
	assert_string_equal(json_str(c, "method"), "POST");
	assert_string_equal(json_str(c, "path"), "/2015-03-31/functions/webhook/policy");
	assert_string_equal(json_str(c, "body.StatementId"), "FunctionURLAllowPublicAccess");
	assert_string_equal(json_str(c, "body.Principal"), "*");
	assert_string_equal(json_str(c, "body.Action"), "lambda:InvokeFunctionUrl");
	assert_string_equal(json_str(c, "body.FunctionUrlAuthType"), "NONE");
	assert_null(json_path(c, "body.RevisionId")); /* the revision after apply is unknown */
	c = call_at(plan, "undo.calls", 1);
	assert_string_equal(json_str(c, "body.AuthType"), "NONE");
	cJSON_Delete(plan);
}

static void
test_service_trigger_goes_back_with_source_arn(void **state)
{
	const struct act_action *a = act_action_find("close-public");
	cJSON *from = cJSON_Parse("{\"PolicyStatements\":[],\"UrlAuthType\":null}");
	cJSON *to = cJSON_CreateObject(), *stmts = cJSON_AddArrayToObject(to, "PolicyStatements");
	cJSON *calls = cJSON_CreateArray();
	char text[1024];

	(void)state;
	snprintf(text, sizeof(text), S3_TRIGGER, ARN("x"));
	cJSON_AddItemToArray(stmts, cJSON_Parse(text));
	cJSON_AddNullToObject(to, "UrlAuthType");
	assert_int_equal(a->calls("x", from, to, "", calls, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(calls), 1);
	assert_string_equal(json_str(calls->child, "body.Principal"), "s3.amazonaws.com");
	assert_string_equal(json_str(calls->child, "body.SourceArn"), "arn:aws:s3:::uploads");
	assert_null(json_path(calls->child, "body.FunctionUrlAuthType"));
	cJSON_Delete(from);
	cJSON_Delete(to);
	cJSON_Delete(calls);
}

static void
test_aws_star_is_everyone_and_a_limited_statement_stays(void **state)
{
	cJSON *plan = NULL;
	const cJSON *kept;

	assert_int_equal(plan_of(*state, ARN("direct"), &plan, NULL), 0);
	kept = json_path(plan, "after.PolicyStatements");
	assert_int_equal(cJSON_GetArraySize(kept), 1);
	assert_string_equal(json_str(kept->child, "Sid"), "org"); /* aws:PrincipalOrgID limits */
	assert_true(cJSON_IsNull(json_path(plan, "after.UrlAuthType")));
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "calls")), 1);
	assert_string_equal(json_str(call_at(plan, "calls", 0), "path"),
	                    "/2015-03-31/functions/direct/policy/anyone");
	/* {"AWS":"*"} is held as "*", the form AddPermission writes back */
	assert_string_equal(json_str(call_at(plan, "undo.calls", 0), "body.Principal"), "*");
	assert_string_equal(
	        json_str(json_path(plan, "before.PolicyStatements")->child, "Principal"), "*");
	cJSON_Delete(plan);
}

static void
test_nothing_public_is_refused(void **state)
{
	struct err err = { 0 };
	cJSON *plan = NULL;

	assert_int_equal(plan_of(*state, ARN("closed"), &plan, &err), ERR_USAGE);
	assert_null(plan);
	assert_non_null(strstr(err.msg, "nothing public to close"));
}

static void
test_open_statement_an_undo_could_not_restore_is_refused(void **state)
{
	struct err err = { 0 };
	cJSON *plan = NULL;

	assert_int_equal(plan_of(*state, ARN("odd"), &plan, &err), ERR_USAGE);
	assert_null(plan);
	assert_non_null(strstr(err.msg, "Sid two"));
	assert_non_null(strstr(err.msg, "could not put it back"));
}

static void
test_state_sorts_statements_so_order_does_not_matter(void **state)
{
	cJSON *a = cJSON_CreateObject(), *b = cJSON_CreateObject();
	cJSON *pa = cJSON_Parse("{\"Statement\":[{\"Sid\":\"b\",\"Effect\":\"Allow\"},"
	                        "{\"Sid\":\"a\",\"Effect\":\"Allow\"}]}");
	cJSON *pb = cJSON_CreateString("{\"Statement\":[{\"Sid\":\"a\",\"Effect\":\"Allow\"},"
	                               "{\"Sid\":\"b\",\"Effect\":\"Allow\"}]}");
	cJSON *want = cJSON_CreateObject();
	char diff[256];

	(void)state;
	act_fn_state_add_access(a, pa, "p1", NULL);
	act_fn_state_add_access(b, pb, "p2", NULL);
	assert_string_equal(json_str(json_path(a, "PolicyStatements")->child, "Sid"), "a");
	cJSON_AddItemToObject(want, "PolicyStatements",
	                      cJSON_Duplicate(json_path(a, "PolicyStatements"), 1));
	assert_true(act_state_matches(want, NULL, b, diff, sizeof(diff)));
	assert_string_equal(json_str(b, "PolicyRevisionId"), "p2");
	assert_true(cJSON_IsString(json_path(b, "Policy"))); /* verbatim, for the backup */
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(pa);
	cJSON_Delete(pb);
	cJSON_Delete(want);
}

static void
test_state_of_alias_url_bad_policy_and_none(void **state)
{
	cJSON *st = cJSON_CreateObject();
	cJSON *alias_url =
	        cJSON_Parse("{\"AuthType\":\"NONE\",\"FunctionArn\":\"" ARN("f") ":live\"}");
	cJSON *bad = cJSON_CreateString("not a policy");

	(void)state;
	act_fn_state_add_access(st, bad, NULL, alias_url);
	assert_null(json_path(st, "PolicyStatements")); /* unreadable: no state to compare */
	assert_true(cJSON_IsNull(json_path(st, "UrlAuthType")));
	cJSON_Delete(st);
	st = cJSON_CreateObject();
	act_fn_state_add_access(st, NULL, NULL, NULL);
	assert_int_equal(cJSON_GetArraySize(json_path(st, "PolicyStatements")), 0);
	assert_true(cJSON_IsArray(json_path(st, "PolicyStatements")));
	cJSON_Delete(st);
	cJSON_Delete(alias_url);
	cJSON_Delete(bad);
}

static void
test_quarantine_plan_does_not_carry_the_access_keys(void **state)
{
	struct act_fixture *f = *state;
	cJSON *plan = NULL;

	assert_int_equal(
	        act_plan_build(&f->ctx, act_action_find("quarantine"), ARN("webhook"), &plan, NULL),
	        0);
	assert_null(json_path(plan, "before.PolicyStatements"));
	assert_null(json_path(plan, "before.UrlAuthType"));
	assert_non_null(json_path(plan, "before.ReservedConcurrentExecutions"));
	cJSON_Delete(plan);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, act_fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_removes_only_the_open_statement_and_closes_the_url),
		T(test_undo_puts_the_statement_back_with_its_condition_as_parameters),
		T(test_service_trigger_goes_back_with_source_arn),
		T(test_aws_star_is_everyone_and_a_limited_statement_stays),
		T(test_nothing_public_is_refused),
		T(test_open_statement_an_undo_could_not_restore_is_refused),
		T(test_state_sorts_statements_so_order_does_not_matter),
		T(test_state_of_alias_url_bad_policy_and_none),
		T(test_quarantine_plan_does_not_carry_the_access_keys),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
