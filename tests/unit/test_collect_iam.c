#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collect/iam.h"
#include "collect/scan_int.h"
#include "testutil.h"
#include "util/json.h"

#define ORDERS "arn:aws:iam::123456789012:role/service-role/orders-role"

static void
load(struct collect_iam_page *page)
{
	struct err err = { 0 };
	size_t len = 0;
	char *xml = test_read_file(
	        test_path("tests/data/collect/iam_get_account_authorization_details.xml"), &len);

	assert_non_null(xml);
	assert_int_equal(collect_iam_page_parse(xml, len, page, &err), 0);
	free(xml);
}

static void
test_iam_page_gives_roles_with_decoded_documents(void **state)
{
	struct collect_iam_page page;
	const cJSON *role, *orphan;

	(void)state;
	load(&page);
	assert_int_equal(cJSON_GetArraySize(page.roles), 2);
	role = cJSON_GetArrayItem(page.roles, 0);
	assert_string_equal(json_str(role, "Arn"), ORDERS);
	assert_string_equal(
	        json_str(cJSON_GetArrayItem(json_path(role, "AssumeRolePolicyDocument.Statement"),
	                                    0),
	                 "Principal.Service"),
	        "lambda.amazonaws.com");
	assert_true(cJSON_IsObject(json_path(role, "AssumeRolePolicyDocument")));
	assert_string_equal(json_str(cJSON_GetArrayItem(json_path(role, "RolePolicyList"), 0),
	                             "PolicyDocument.Version"),
	                    "2012-10-17");
	assert_int_equal(cJSON_GetArraySize(json_path(role, "AttachedManagedPolicies")), 2);
	assert_string_equal(json_str(cJSON_GetArrayItem(json_path(role, "Tags"), 0), "Value"),
	                    "orders");
	assert_string_equal(json_str(role, "RoleLastUsed.LastUsedDate"), "2026-11-01T10:00:00Z");
	assert_true(cJSON_IsNumber(json_path(role, "MaxSessionDuration")));
	/* empty lists stay lists, so the console and checks see [] and not "" */
	orphan = cJSON_GetArrayItem(page.roles, 1);
	assert_true(cJSON_IsArray(json_path(orphan, "RolePolicyList")));
	assert_int_equal(cJSON_GetArraySize(json_path(orphan, "AttachedManagedPolicies")), 0);
	assert_true(cJSON_IsArray(json_path(orphan, "Tags")));
	assert_true(cJSON_IsObject(json_path(orphan, "RoleLastUsed")));
	collect_iam_page_release(&page);
}

static void
test_iam_page_gives_policies_and_the_marker(void **state)
{
	struct collect_iam_page page;
	const cJSON *p, *doc;

	(void)state;
	load(&page);
	assert_true(page.truncated);
	assert_string_equal(page.marker, "bWFya2VyLTI=");
	assert_int_equal(cJSON_GetArraySize(page.policies), 2);
	p = cJSON_GetArrayItem(page.policies, 0);
	assert_string_equal(json_str(p, "Arn"), "arn:aws:iam::123456789012:policy/jobs-access");
	assert_true(cJSON_IsBool(json_path(p, "IsAttachable")));
	/* the default version (v2), not the first or the newest by accident */
	doc = collect_iam_default_document(p);
	assert_non_null(doc);
	assert_string_equal(json_str(cJSON_GetArrayItem(json_path(doc, "Statement"), 0), "Action"),
	                    "sqs:SendMessage");
	collect_iam_page_release(&page);
}

static void
test_iam_page_refuses_a_foreign_answer(void **state)
{
	struct collect_iam_page page;
	struct err err = { 0 };
	const char *xml = "<ListRolesResponse><ListRolesResult/></ListRolesResponse>";

	(void)state;
	assert_int_equal(collect_iam_page_parse(xml, strlen(xml), &page, &err), ERR_PARSE);
	assert_null(page.roles);
	xml = "<GetAccountAuthorizationDetailsResponse><GetAccountAuthorizationDetailsResult>"
	      "<IsTruncated>true</IsTruncated></GetAccountAuthorizationDetailsResult>"
	      "</GetAccountAuthorizationDetailsResponse>";
	assert_int_equal(collect_iam_page_parse(xml, strlen(xml), &page, &err), ERR_PARSE);
}

struct seen {
	char ops[16][48];
	size_t n;
};

static int
catch_call(void *ctx, const struct aws_request *req)
{
	struct seen *c = ctx;

	if (c->n < 16)
		snprintf(c->ops[c->n++], sizeof(c->ops[0]), "%s", req->operation);
	return 0;
}

#define FN   "arn:aws:lambda:us-east-1:123456789012:function:orders"
#define FN2  "arn:aws:lambda:us-east-1:123456789012:function:orders-2"
#define IDLE "arn:aws:iam::123456789012:role/orphan-role"

/* A scan holding two functions of one role and an orphan role; previous LastAccessed fetched at. */
static void
detail_scan(struct collect_scan *scan, struct seen *seen, int quick, time_t fetched)
{
	char prev[256], at[32];
	struct tm tm;

	collect_scan_init(scan, NULL, quick);
	scan->test_submit = catch_call;
	scan->test_ctx = seen;
	collect_resource(scan, MODEL_ROLE, ORDERS, "orders-role", "", NULL);
	collect_resource(scan, MODEL_ROLE, IDLE, "orphan-role", "", NULL);
	collect_resource(scan, MODEL_FUNCTION, FN, "orders", "us-east-1",
	                 cJSON_Parse("{\"Role\":\"" ORDERS "\"}"));
	collect_resource(scan, MODEL_FUNCTION, FN2, "orders-2", "us-east-1",
	                 cJSON_Parse("{\"Role\":\"" ORDERS "\"}"));
	if (fetched) {
		gmtime_r(&fetched, &tm);
		strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(prev, sizeof(prev),
		         "{\"LastAccessed\":{\"FetchedAt\":\"%s\",\"ServicesLastAccessed\":[]}}",
		         at);
		collect_prev_add(scan, ORDERS, prev);
	}
}

static void
test_iam_detail_asks_once_per_used_role(void **state)
{
	struct collect_scan scan;
	struct seen seen = { 0 };

	(void)state;
	detail_scan(&scan, &seen, 0, 0);
	collect_iam_phase(&scan, COLLECT_PHASE_DETAIL, NULL);
	assert_int_equal(seen.n, 1); /* two functions, one role; the orphan is not asked */
	assert_string_equal(seen.ops[0], "GenerateServiceLastAccessedDetails");
	assert_int_equal(scan.n_gaps, 1); /* the caught call failed: a gap, nothing freed twice */
	collect_iam_phase(&scan, COLLECT_PHASE_DETAIL,
	                  "us-east-1"); /* global: regions do nothing */
	assert_int_equal(seen.n, 1);
	collect_scan_release(&scan);
}

static void
test_iam_detail_reuses_a_fresh_previous_answer(void **state)
{
	struct collect_scan scan;
	struct seen seen = { 0 };
	const cJSON *la;

	(void)state;
	detail_scan(&scan, &seen, 0, time(NULL) - 60);
	collect_iam_phase(&scan, COLLECT_PHASE_DETAIL, NULL);
	assert_int_equal(seen.n, 0);
	la = json_path(collect_attrs(&scan, ORDERS), "LastAccessed");
	assert_non_null(la);
	assert_non_null(json_str(la, "FetchedAt"));
	collect_scan_release(&scan);

	/* too old: asked again */
	seen.n = 0;
	detail_scan(&scan, &seen, 0, time(NULL) - COLLECT_IAM_REUSE_S - 60);
	collect_iam_phase(&scan, COLLECT_PHASE_DETAIL, NULL);
	assert_int_equal(seen.n, 1);
	collect_scan_release(&scan);

	/* --quick: the old answer stands, nothing asked */
	seen.n = 0;
	detail_scan(&scan, &seen, 1, time(NULL) - 10 * COLLECT_IAM_REUSE_S);
	collect_iam_phase(&scan, COLLECT_PHASE_DETAIL, NULL);
	assert_int_equal(seen.n, 0);
	assert_non_null(json_path(collect_attrs(&scan, ORDERS), "LastAccessed"));
	collect_scan_release(&scan);
}

static void
test_iam_list_failure_is_a_gap(void **state)
{
	struct collect_scan scan;
	struct seen seen = { 0 };

	(void)state;
	collect_scan_init(&scan, NULL, 0);
	scan.test_submit = catch_call;
	scan.test_ctx = &seen;
	collect_iam_phase(&scan, COLLECT_PHASE_LIST, NULL);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.ops[0], "GetAccountAuthorizationDetails");
	assert_int_equal(scan.n_gaps, 1);
	collect_scan_release(&scan);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iam_page_gives_roles_with_decoded_documents),
		cmocka_unit_test(test_iam_page_gives_policies_and_the_marker),
		cmocka_unit_test(test_iam_page_refuses_a_foreign_answer),
		cmocka_unit_test(test_iam_detail_asks_once_per_used_role),
		cmocka_unit_test(test_iam_detail_reuses_a_fresh_previous_answer),
		cmocka_unit_test(test_iam_list_failure_is_a_gap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
