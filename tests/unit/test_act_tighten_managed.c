/*
 * tighten-role and customer-managed policies: the least privilege as a new
 * default version of the policy attached to this role alone, room made when
 * IAM's five versions exist, a policy attached elsewhere detached, the state
 * and its revision, and the undo (back to the old version, the new one deleted).
 */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "act/call.h"
#include "act/tighten_managed.h"
#include "act_fixture.h"
#include "testutil.h"
#include "util/json.h"

#define ACCT   "314159265358"
#define TODAY  ((time_t)1795435200)
#define FN(n)  "arn:aws:lambda:us-east-1:" ACCT ":function:" n
#define MEDIA  "arn:aws:iam::" ACCT ":role/acme-media-processor-role"
#define BASIC  "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
#define OWN    "arn:aws:iam::" ACCT ":policy/media-own"
#define SHARED "arn:aws:iam::" ACCT ":policy/media-shared"
#define WIDE                                                                                    \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\"," \
	"\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}]}"
#define NARROW                                                                                          \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"," \
	"\"Resource\":\"arn:aws:s3:::acme-uploads/*\"}]}"

static void
put(struct store *s, enum model_kind kind, const char *arn, const char *name, const char *region,
    const char *attrs)
{
	struct model_resource r = { arn, kind, name, region, ACCT, attrs };

	assert_int_equal(store_put_resource(s, &r, NULL), 0);
}

static void
put_fn(struct store *s, const char *name)
{
	char arn[256], attrs[1024];
	struct model_edge e = { arn, MEDIA, MODEL_EDGE_ASSUMES, "execution role" };

	snprintf(arn, sizeof(arn), FN("%s"), name);
	snprintf(attrs, sizeof(attrs),
	         "{\"FunctionName\":\"%s\",\"FunctionArn\":\"%s\",\"Role\":\"%s\",\"RevisionId\":"
	         "\"r1\",\"Timeout\":30,\"TracingConfig\":{\"Mode\":\"PassThrough\"}}",
	         name, arn, MEDIA);
	put(s, MODEL_FUNCTION, arn, name, "us-east-1", attrs);
	assert_int_equal(store_put_edge(s, &e, NULL), 0);
}

/* The demo's media role with its wide inline document moved into customer-managed policies. */
static char *
role_attrs(void)
{
	char *text = test_read_file(test_path("tests/data/lp/media-role.json"), NULL);
	cJSON *role = cJSON_Parse(text), *att, *docs, *p;
	char *out;

	free(text);
	cJSON_ReplaceItemInObject(role, "RolePolicyList", cJSON_CreateArray());
	att = cJSON_GetObjectItem(role, "AttachedManagedPolicies");
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "PolicyArn", OWN);
	cJSON_AddItemToArray(att, p);
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "PolicyArn", SHARED);
	cJSON_AddItemToArray(att, p);
	docs = cJSON_GetObjectItem(role, "ManagedPolicyDocuments");
	cJSON_AddItemToObject(docs, OWN, cJSON_Parse(WIDE));
	cJSON_AddItemToObject(docs, SHARED, cJSON_Parse(NARROW));
	out = cJSON_PrintUnformatted(role);
	cJSON_Delete(role);
	return out;
}

/* A customer-managed policy's cache entry: versions v1..vN, the last the default. */
static void
put_policy(struct store *s, const char *arn, int versions, int attached, const char *doc)
{
	cJSON *p = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(p, "PolicyVersionList");
	char id[8], *text;
	int i;

	cJSON_AddStringToObject(p, "Arn", arn);
	snprintf(id, sizeof(id), "v%d", versions);
	cJSON_AddStringToObject(p, "DefaultVersionId", id);
	cJSON_AddNumberToObject(p, "AttachmentCount", attached);
	cJSON_AddNumberToObject(p, "PermissionsBoundaryUsageCount", 0);
	for (i = versions; i >= 1; i--) { /* IAM lists the newest first */
		cJSON *v = cJSON_CreateObject();

		snprintf(id, sizeof(id), "v%d", i);
		cJSON_AddStringToObject(v, "VersionId", id);
		cJSON_AddBoolToObject(v, "IsDefaultVersion", i == versions);
		cJSON_AddItemToObject(v, "Document",
		                      cJSON_Parse(i == versions ? doc
		                                                : "{\"Version\":\"2012-10-17\","
		                                                  "\"Statement\":[]}"));
		cJSON_AddItemToArray(list, v);
	}
	text = cJSON_PrintUnformatted(p);
	put(s, MODEL_POLICY, arn, strrchr(arn, '/') + 1, "", text);
	free(text);
	cJSON_Delete(p);
}

static int
setup(void **state)
{
	struct act_fixture *f = act_fixture_begin(ACCT, TODAY);
	char *attrs = role_attrs();

	assert_non_null(f);
	put(f->s, MODEL_ROLE, MEDIA, "acme-media-processor-role", "", attrs);
	put_policy(f->s, OWN, 5, 1, WIDE);
	put_policy(f->s, SHARED, 1, 3, NARROW);
	put_fn(f->s, "image-resize");
	put(f->s, MODEL_BUCKET, "arn:aws:s3:::acme-uploads", "acme-uploads", "us-east-1", "{}");
	assert_int_equal(act_fixture_commit(f), 0);
	free(attrs);
	*state = f;
	return 0;
}

static cJSON *
plan_of(struct act_fixture *f)
{
	cJSON *plan = NULL;
	struct err err = { 0 };

	assert_int_equal(
	        act_plan_build(&f->ctx, act_action_find("tighten-role"), MEDIA, &plan, &err), 0);
	return plan;
}

static const char *
op_at(const cJSON *plan, const char *path, int i)
{
	return json_str(cJSON_GetArrayItem(json_path(plan, path), i), "operation");
}

/* A query parameter (names may have dots: not a json_path). */
static const char *
param_at(const cJSON *plan, const char *path, int i, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
	        json_path(cJSON_GetArrayItem(json_path(plan, path), i), "params"), name);

	return cJSON_IsString(v) ? v->valuestring : "(absent)";
}

static void
test_the_policy_attached_here_alone_gets_the_least_privilege_as_a_new_version(void **state)
{
	cJSON *plan = plan_of(*state), *doc;
	const cJSON *want = cJSON_GetArrayItem(json_path(plan, "after." TIGHTEN_MANAGED_KEY), 0);

	/* the default version ids are the guard */
	assert_string_equal(json_str(plan, "revisions.RevisionId"), OWN "=v5 " SHARED "=v1");
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "before." TIGHTEN_MANAGED_KEY)), 2);
	assert_string_equal(json_str(want, "PolicyArn"), OWN);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "after." TIGHTEN_MANAGED_KEY)), 1);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "after.InlinePolicies")), 0);
	assert_string_equal(
	        cJSON_GetArrayItem(json_path(plan, "after.AttachedPolicies"), 0)->valuestring, OWN);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "after.AttachedPolicies")), 1);
	/* five versions: the oldest non-default goes first, then the new default */
	assert_string_equal(op_at(plan, "calls", 0), "DeletePolicyVersion");
	assert_string_equal(param_at(plan, "calls", 0, "VersionId"), "v1");
	assert_true(json_bool(cJSON_GetArrayItem(json_path(plan, "calls"), 0), "once", 0));
	assert_string_equal(op_at(plan, "calls", 1), "CreatePolicyVersion");
	assert_string_equal(param_at(plan, "calls", 1, "PolicyArn"), OWN);
	assert_string_equal(param_at(plan, "calls", 1, "SetAsDefault"), "true");
	doc = cJSON_Parse(param_at(plan, "calls", 1, "PolicyDocument"));
	assert_true(cJSON_Compare(doc, json_path(want, "Document"), 1));
	assert_null(strstr(param_at(plan, "calls", 1, "PolicyDocument"), "\"dynamodb:*\""));
	cJSON_Delete(doc);
	/* the shared policy and the AWS-managed one are detached, not versioned */
	assert_string_equal(op_at(plan, "calls", 2), "DetachRolePolicy");
	assert_string_equal(op_at(plan, "calls", 3), "DetachRolePolicy");
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "calls")), 4);
	assert_non_null(strstr(json_str(plan, "explain"), "new default version"));
	assert_non_null(strstr(json_str(plan, "explain"), "attached to 3 principals"));
	cJSON_Delete(plan);
}

static void
test_undo_goes_back_to_the_old_version_and_deletes_the_new_one(void **state)
{
	const struct act_action *a = act_action_find("tighten-role");
	cJSON *plan = plan_of(*state), *calls = cJSON_CreateArray(), *filled = NULL;
	cJSON *backup = cJSON_Parse("{\"state\":{\"DefaultVersions\":{\"0\":\"v5\"}}}");
	const cJSON *set;

	/* the undo runs from the keys, at the revision read back after the change */
	assert_int_equal(a->calls("acme-media-processor-role", json_path(plan, "after"),
	                          json_path(plan, "before"), OWN "=v6", calls, NULL),
	                 0);
	set = cJSON_GetArrayItem(calls, 0);
	assert_string_equal(json_str(set, "operation"), "SetDefaultPolicyVersion");
	assert_int_equal(act_call_fill(set, backup, &filled, NULL), 0);
	assert_string_equal(json_str(filled, "params.VersionId"), "v5");
	assert_string_equal(json_str(cJSON_GetArrayItem(calls, 1), "operation"),
	                    "DeletePolicyVersion");
	assert_string_equal(json_str(cJSON_GetArrayItem(calls, 1), "params.VersionId"), "v6");
	/* then what was detached is attached again */
	assert_string_equal(json_str(cJSON_GetArrayItem(calls, 2), "operation"),
	                    "AttachRolePolicy");
	cJSON_Delete(filled);
	cJSON_Delete(backup);
	cJSON_Delete(calls);
	cJSON_Delete(plan);
}

static void
test_fewer_than_five_versions_need_no_room(void **state)
{
	const struct act_action *a = act_action_find("tighten-role");
	cJSON *from = cJSON_Parse("{\"InlinePolicies\":[],\"AttachedPolicies\":[\"" OWN "\"],"
	                          "\"ManagedPolicies\":[{\"PolicyArn\":\"" OWN "\","
	                          "\"AttachmentCount\":1,\"Document\":" WIDE "}],"
	                          "\"RevisionId\":\"" OWN "=v2\",\"PolicyVersions\":{\"" OWN
	                          "\":[\"v1\",\"v2\"]}}");
	cJSON *to = cJSON_Parse("{\"InlinePolicies\":[],\"AttachedPolicies\":[\"" OWN "\"],"
	                        "\"ManagedPolicies\":[{\"PolicyArn\":\"" OWN "\","
	                        "\"AttachmentCount\":1,\"Document\":" NARROW "}]}");
	cJSON *calls = cJSON_CreateArray();

	(void)state;
	assert_int_equal(a->calls("r", from, to, "", calls, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(calls), 1);
	assert_string_equal(json_str(cJSON_GetArrayItem(calls, 0), "operation"),
	                    "CreatePolicyVersion");
	cJSON_Delete(calls);
	cJSON_Delete(from);
	cJSON_Delete(to);
}

static void
test_state_sorts_policies_and_names_their_default_versions(void **state)
{
	cJSON *st = cJSON_CreateObject();
	cJSON *pols = cJSON_Parse(
	        "[{\"PolicyArn\":\"arn:z\",\"AttachmentCount\":1,\"DefaultVersionId\":\"v3\","
	        "\"Versions\":[\"v3\",\"v10\",\"v2\"],\"Document\":\"%7B%22Statement%22%3A%5B%5D%7D\"},"
	        "{\"PolicyArn\":\"arn:a\",\"AttachmentCount\":2,\"DefaultVersionId\":\"v1\","
	        "\"Versions\":[\"v1\"],\"Document\":{\"Statement\":[]}}]");
	cJSON *bad = cJSON_Parse("[{\"PolicyArn\":\"arn:x\",\"AttachmentCount\":1,"
	                         "\"DefaultVersionId\":\"v1\",\"Document\":\"%7Bnot\"}]");
	const cJSON *list;

	(void)state;
	assert_int_equal(tighten_managed_state(st, pols, NULL), 0);
	list = json_path(st, TIGHTEN_MANAGED_KEY);
	assert_string_equal(json_str(cJSON_GetArrayItem(list, 0), "PolicyArn"), "arn:a");
	/* the URL-encoded document (IAM's form) is compared as JSON */
	assert_true(cJSON_IsObject(json_path(cJSON_GetArrayItem(list, 1), "Document")));
	assert_string_equal(json_str(st, "RevisionId"), "arn:a=v1 arn:z=v3");
	assert_string_equal(json_str(st, "DefaultVersions.1"), "v3");
	/* versions by number, oldest first: v10 after v3 */
	assert_string_equal(
	        cJSON_GetArrayItem(cJSON_GetObjectItem(json_path(st, "PolicyVersions"), "arn:z"), 2)
	                ->valuestring,
	        "v10");
	cJSON_Delete(st);
	st = cJSON_CreateObject();
	assert_int_equal(tighten_managed_state(st, bad, NULL), ERR_PARSE);
	cJSON_Delete(st);
	cJSON_Delete(pols);
	cJSON_Delete(bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_the_policy_attached_here_alone_gets_the_least_privilege_as_a_new_version,
		        setup, act_fixture_teardown),
		cmocka_unit_test_setup_teardown(
		        test_undo_goes_back_to_the_old_version_and_deletes_the_new_one, setup,
		        act_fixture_teardown),
		cmocka_unit_test(test_fewer_than_five_versions_need_no_room),
		cmocka_unit_test(test_state_sorts_policies_and_names_their_default_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
