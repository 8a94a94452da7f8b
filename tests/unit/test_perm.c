#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/iam_catalog.h"
#include "analyze/perm.h"
#include "analyze/perm_int.h"
#include "testutil.h"
#include "util/json.h"

#define ROLE "arn:aws:iam::123456789012:role/orders-role"
#define FN   "arn:aws:lambda:us-east-1:123456789012:function:orders"
#define NOW  1798761600 /* 2027-01-01T00:00:00Z */

static cJSON *
parse(const char *text)
{
	struct err err = { 0 };
	cJSON *doc = json_parse(text, strlen(text), &err);

	assert_non_null(doc);
	return doc;
}

static cJSON *
load_policy(const char *rel)
{
	char path[256];
	char *text;
	cJSON *doc;

	snprintf(path, sizeof(path), "tests/data/policies/%s", rel);
	text = test_read_file(test_path(path), NULL);
	assert_non_null(text);
	doc = parse(text);
	free(text);
	return doc;
}

/* The findings of a published document, by file. */
static void
check_file(const char *rel, struct findings *out)
{
	cJSON *doc = load_policy(rel);
	struct err err = { 0 };

	memset(out, 0, sizeof(*out));
	assert_int_equal(perm_check_document(rel, doc, NULL, out, &err), 0);
	cJSON_Delete(doc);
}

static const struct finding *
find(const struct findings *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].rule->id, id))
			return &f->v[i];
	return NULL;
}

static size_t
count(const struct findings *f, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		n += !strcmp(f->v[i].rule->id, id);
	return n;
}

/* 1 when a SHR-PERM-006 finding names this method. */
static int
has_method(const struct findings *f, const char *method)
{
	char needle[128];
	size_t i;

	snprintf(needle, sizeof(needle), "method %s:", method);
	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].rule->id, "SHR-PERM-006") && strstr(f->v[i].evidence, needle))
			return 1;
	return 0;
}

static void
test_rules_fill_every_field(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(rules_permissions.n, 10);
	for (i = 0; i < rules_permissions.n; i++) {
		const struct rule *r = &rules_permissions.rows[i];

		assert_non_null(rule_find(r->id));
		assert_true(r->title && r->evidence && r->fix && r->why && r->owasp);
		assert_true(r->reference && r->example_true && r->example_false);
	}
}

static void
test_admin_from_star_and_from_notaction_with_a_short_list(void **state)
{
	struct findings f;

	(void)state;
	check_file("aws-managed/AdministratorAccess.json", &f);
	assert_int_equal(f.n, 1); /* the narrower breadth findings would restate it */
	assert_int_equal(find(&f, "SHR-PERM-001")->severity, SEV_CRITICAL);
	assert_string_equal(find(&f, "SHR-PERM-001")->location,
	                    "policy aws-managed/AdministratorAccess.json statement 1");
	findings_free(&f);
	check_file("escalation/notaction-tiny.json", &f);
	assert_non_null(find(&f, "SHR-PERM-001"));
	assert_non_null(strstr(find(&f, "SHR-PERM-001")->evidence, "dynamodb"));
	findings_free(&f);
}

static void
test_power_user_when_all_but_iam_is_granted(void **state)
{
	struct findings f;

	(void)state;
	check_file("aws-managed/PowerUserAccess.json", &f);
	assert_null(find(&f, "SHR-PERM-001"));
	assert_int_equal(find(&f, "SHR-PERM-002")->severity, SEV_HIGH);
	assert_non_null(strstr(find(&f, "SHR-PERM-002")->evidence, "iam"));
	assert_null(find(&f, "SHR-PERM-005"));
	findings_free(&f);
	check_file("escalation/notaction-iam.json", &f);
	assert_non_null(find(&f, "SHR-PERM-002"));
	assert_null(find(&f, "SHR-PERM-003"));
	findings_free(&f);
}

static void
test_full_iam_is_critical_and_escalation(void **state)
{
	struct findings f;

	(void)state;
	check_file("aws-managed/IAMFullAccess.json", &f);
	assert_int_equal(find(&f, "SHR-PERM-003")->severity, SEV_CRITICAL);
	assert_true(has_method(&f, "iam-attach-policy"));
	assert_true(has_method(&f, "iam-create-policy-version"));
	assert_null(find(&f, "SHR-PERM-004")); /* iam:* is told once, by SHR-PERM-003 */
	findings_free(&f);
}

static void
test_deny_all_cancels_and_conditional_deny_does_not(void **state)
{
	struct findings f;

	(void)state;
	check_file("escalation/deny-all.json", &f);
	assert_int_equal(f.n, 0);
	findings_free(&f);
	check_file("escalation/deny-conditional.json", &f);
	assert_true(has_method(&f, "iam-attach-policy"));
	assert_non_null(strstr(find(&f, "SHR-PERM-006")->evidence, "Deny"));
	findings_free(&f);
}

static void
test_lambda_baseline_and_read_only_are_not_write_on_star(void **state)
{
	struct findings f;

	(void)state;
	check_file("aws-managed/AWSLambdaBasicExecutionRole.json", &f);
	assert_int_equal(f.n, 0);
	findings_free(&f);
	check_file("aws-managed/AWSLambdaVPCAccessExecutionRole.json", &f);
	assert_int_equal(f.n, 0);
	findings_free(&f);
	check_file("aws-managed/AWSXRayDaemonWriteAccess.json", &f);
	assert_int_equal(f.n, 0);
	findings_free(&f);
	check_file("aws-managed/ReadOnlyAccess.json", &f);
	assert_null(find(&f, "SHR-PERM-005"));
	assert_null(find(&f, "SHR-PERM-004"));
	assert_null(find(&f, "SHR-PERM-006"));
	assert_non_null(find(&f, "SHR-PERM-007")); /* it does read every object */
	findings_free(&f);
}

static void
test_service_wildcards_and_writes_on_star(void **state)
{
	struct findings f;
	const struct finding *w;

	(void)state;
	check_file("aws-managed/AmazonS3FullAccess.json", &f);
	assert_int_equal(find(&f, "SHR-PERM-004")->severity, SEV_HIGH);
	assert_non_null(strstr(find(&f, "SHR-PERM-004")->evidence, "s3:*"));
	w = find(&f, "SHR-PERM-005");
	assert_int_equal(w->severity, SEV_MEDIUM);
	assert_non_null(strstr(w->evidence, "s3:"));
	findings_free(&f);
	check_file("aws-managed/AmazonSQSFullAccess.json", &f);
	assert_int_equal(find(&f, "SHR-PERM-004")->severity, SEV_MEDIUM);
	findings_free(&f);
	check_file("escalation/scoped-app.json", &f);
	assert_int_equal(f.n, 0);
	findings_free(&f);
}

static void
test_escalation_methods_of_published_examples(void **state)
{
	struct findings f;

	(void)state;
	check_file("escalation/create-policy-version.json", &f);
	assert_true(has_method(&f, "iam-create-policy-version"));
	findings_free(&f);
	check_file("escalation/passrole-ec2.json", &f);
	assert_true(has_method(&f, "passrole-ec2"));
	findings_free(&f);
	check_file("escalation/passrole-lambda.json", &f);
	assert_true(has_method(&f, "passrole-lambda"));
	assert_int_equal(find(&f, "SHR-PERM-006")->severity, SEV_CRITICAL);
	findings_free(&f);
	check_file("escalation/update-assume-role-policy.json", &f);
	assert_true(has_method(&f, "iam-update-assume-role-policy"));
	findings_free(&f);
	check_file("escalation/cloudsplaining-shaped.json", &f);
	assert_true(has_method(&f, "passrole-cloudformation"));
	assert_true(has_method(&f, "iam-user-credentials"));
	findings_free(&f);
	check_file("escalation/sts-assume-any.json", &f);
	assert_true(has_method(&f, "sts-assume-any-role"));
	findings_free(&f);
	check_file("escalation/sts-assume-one.json", &f);
	assert_int_equal(count(&f, "SHR-PERM-006"), 0);
	findings_free(&f);
}

static void
test_passed_to_service_condition_limits_passrole(void **state)
{
	struct findings f;

	(void)state;
	/* PassRole only to Application Auto Scaling and DAX: no Lambda or pipeline method */
	check_file("aws-managed/AmazonDynamoDBFullAccess.json", &f);
	assert_int_equal(count(&f, "SHR-PERM-006"), 0);
	findings_free(&f);
	/* PassRole to Lambda: the method stands, and says conditional */
	check_file("aws-managed/AWSLambda_FullAccess.json", &f);
	assert_true(has_method(&f, "passrole-lambda"));
	findings_free(&f);
}

static void
in_catalog(const char *action, void *ctx)
{
	(void)ctx;
	if (!iam_catalog_find(action))
		fail_msg("%s is not in the IAM catalog", action);
}

static void
test_every_table_action_is_in_the_catalog(void **state)
{
	(void)state;
	assert_true(perm_escalation_each_action(in_catalog, NULL) > 30);
	assert_true(perm_data_each_action(in_catalog, NULL) > 20);
}

/* A role whose inline policy and managed policy split a method between them. */
static cJSON *
split_role(const char *extra)
{
	char text[4096];

	snprintf(text, sizeof(text),
	         "{\"Arn\":\"" ROLE "\",\"CreateDate\":\"2024-01-01T00:00:00Z\","
	         "\"RolePolicyList\":[{\"PolicyName\":\"orders-inline\",\"PolicyDocument\":"
	         "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\","
	         "\"Resource\":\"arn:aws:iam::123456789012:role/*\"}]}}],"
	         "\"AttachedManagedPolicies\":[{\"PolicyName\":\"deployer\",\"PolicyArn\":"
	         "\"arn:aws:iam::123456789012:policy/deployer\"}],"
	         "\"ManagedPolicyDocuments\":{\"arn:aws:iam::123456789012:policy/deployer\":"
	         "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"lambda:CreateFunction\","
	         "\"lambda:InvokeFunction\"],\"Resource\":\"*\"}]}}%s}",
	         extra);
	return parse(text);
}

static void
run_role(cJSON *attrs, const cJSON *boundary, const char *const *fns, size_t n_fns,
         struct findings *f)
{
	struct perm_role_input in = { ROLE, attrs, boundary, fns, n_fns };
	struct perm_opts o = { 90, NOW };
	struct err err = { 0 };

	memset(f, 0, sizeof(*f));
	assert_int_equal(perm_check_role(&in, &o, f, &err), 0);
}

static void
test_role_method_split_across_policies_names_both(void **state)
{
	cJSON *attrs = split_role("");
	struct findings f;
	const struct finding *e;

	(void)state;
	run_role(attrs, NULL, NULL, 0, &f);
	e = find(&f, "SHR-PERM-006");
	assert_non_null(e);
	assert_string_equal(e->resource, ROLE);
	assert_string_equal(e->location, "policy orders-inline statement 1");
	assert_non_null(strstr(e->evidence, "policy deployer statement 1"));
	findings_free(&f);
	cJSON_Delete(attrs);
}

static void
test_boundary_intersects_only_when_its_document_is_known(void **state)
{
	cJSON *attrs = split_role(",\"PermissionsBoundary\":{\"PermissionsBoundaryArn\":"
	                          "\"arn:aws:iam::123456789012:policy/boundary\"}");
	cJSON *boundary = parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
	                        "[\"lambda:*\",\"s3:*\"],\"Resource\":\"*\"}]}");
	struct findings f;

	(void)state;
	run_role(attrs, NULL, NULL, 0, &f);
	assert_non_null(find(&f, "SHR-PERM-006"));
	assert_non_null(strstr(find(&f, "SHR-PERM-006")->evidence, "not collected"));
	findings_free(&f);
	run_role(attrs, boundary, NULL, 0, &f);
	assert_null(find(&f, "SHR-PERM-006")); /* the boundary leaves no iam:PassRole */
	findings_free(&f);
	cJSON_Delete(boundary);
	cJSON_Delete(attrs);
}

static void
test_updating_own_function_is_not_escalation(void **state)
{
	cJSON *own =
	        parse("{\"RolePolicyList\":[{\"PolicyName\":\"self\",\"PolicyDocument\":"
	              "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
	              "\"lambda:UpdateFunctionCode\",\"Resource\":[\"" FN "\",\"" FN ":*\"]}}}]}");
	cJSON *other = parse("{\"RolePolicyList\":[{\"PolicyName\":\"self\",\"PolicyDocument\":"
	                     "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
	                     "\"lambda:UpdateFunctionCode\",\"Resource\":\"" FN "*\"}}}]}");
	const char *fns[] = { FN };
	struct findings f;

	(void)state;
	run_role(own, NULL, fns, 1, &f);
	assert_false(has_method(&f, "lambda-update-other-function"));
	findings_free(&f);
	run_role(other, NULL, fns, 1, &f); /* orders* also reaches orders-admin */
	assert_true(has_method(&f, "lambda-update-other-function"));
	findings_free(&f);
	cJSON_Delete(own);
	cJSON_Delete(other);
}

static void
test_admin_by_name_when_document_missing(void **state)
{
	cJSON *attrs = parse("{\"AttachedManagedPolicies\":[{\"PolicyName\":"
	                     "\"AdministratorAccess\",\"PolicyArn\":"
	                     "\"arn:aws:iam::aws:policy/AdministratorAccess\"}]}");
	struct findings f;

	(void)state;
	run_role(attrs, NULL, NULL, 0, &f);
	assert_non_null(find(&f, "SHR-PERM-001"));
	assert_non_null(strstr(find(&f, "SHR-PERM-001")->evidence, "not collected"));
	findings_free(&f);
	cJSON_Delete(attrs);
}

static void
test_unused_services_and_role(void **state)
{
	cJSON *attrs = parse(
	        "{\"CreateDate\":\"2024-01-01T00:00:00Z\",\"RoleLastUsed\":{\"LastUsedDate\":"
	        "\"2026-01-01T10:00:00Z\",\"Region\":\"us-east-1\"},\"LastAccessed\":{\"JobStatus\":"
	        "\"COMPLETED\",\"ServicesLastAccessed\":[{\"ServiceNamespace\":\"iam\"},"
	        "{\"ServiceNamespace\":\"s3\",\"LastAuthenticated\":\"2026-12-30T00:00:00Z\","
	        "\"TrackedActionsLastAccessed\":[{\"ActionName\":\"PutObject\"},{\"ActionName\":"
	        "\"GetObject\",\"LastAccessedTime\":\"2026-12-30T00:00:00Z\"}]}]},"
	        "\"RolePolicyList\":[{\"PolicyName\":\"p\",\"PolicyDocument\":{\"Statement\":"
	        "[{\"Effect\":\"Allow\",\"Action\":\"iam:AttachRolePolicy\",\"Resource\":"
	        "\"arn:aws:iam::1:role/x\"}]}}]}");
	cJSON *fresh = parse("{\"CreateDate\":\"2024-01-01T00:00:00Z\",\"RoleLastUsed\":"
	                     "{\"LastUsedDate\":\"2026-12-31T10:00:00Z\"},\"LastAccessed\":"
	                     "{\"ServicesLastAccessed\":[{\"ServiceNamespace\":\"s3\","
	                     "\"LastAuthenticated\":\"2026-12-30T00:00:00.000Z\"}]}}");
	struct findings f;
	const struct finding *u;

	(void)state;
	run_role(attrs, NULL, NULL, 0, &f);
	u = find(&f, "SHR-PERM-008");
	assert_non_null(u);
	assert_int_equal(u->severity, SEV_MEDIUM); /* unused iam holds permissions management */
	assert_non_null(strstr(u->evidence, "iam (never)"));
	assert_non_null(strstr(u->evidence, "s3:PutObject"));
	assert_null(strstr(u->evidence, "s3:GetObject"));
	assert_int_equal(find(&f, "SHR-PERM-009")->severity, SEV_LOW);
	findings_free(&f);
	run_role(fresh, NULL, NULL, 0, &f);
	assert_null(find(&f, "SHR-PERM-008"));
	assert_null(find(&f, "SHR-PERM-009"));
	findings_free(&f);
	cJSON_Delete(attrs);
	cJSON_Delete(fresh);
}

static void
test_shared_role_names_its_functions(void **state)
{
	cJSON *attrs = parse("{}");
	const char *fns[] = { FN, FN "-worker" };
	struct findings f;

	(void)state;
	run_role(attrs, NULL, fns, 2, &f);
	assert_non_null(strstr(find(&f, "SHR-PERM-010")->evidence, FN "-worker"));
	findings_free(&f);
	run_role(attrs, NULL, fns, 1, &f);
	assert_null(find(&f, "SHR-PERM-010"));
	findings_free(&f);
	cJSON_Delete(attrs);
}

static void
test_reach_tells_reads_writes_and_wide(void **state)
{
	cJSON *scoped = parse("{\"RolePolicyList\":[{\"PolicyName\":\"p\",\"PolicyDocument\":"
	                      "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
	                      "[\"dynamodb:GetItem\",\"s3:PutObject\"],\"Resource\":"
	                      "\"arn:aws:s3:::b/*\"},{\"Effect\":\"Allow\",\"Action\":"
	                      "\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}}]}");
	struct perm_role_input in = { ROLE, scoped, NULL, NULL, 0 };
	struct perm_reach r;
	char names[128];

	(void)state;
	assert_int_equal(perm_role_reach(&in, &r, NULL), 0);
	assert_int_equal(r.reads, PERM_DATA_DYNAMODB | PERM_DATA_SECRETSMANAGER);
	assert_int_equal(r.writes, PERM_DATA_S3);
	assert_int_equal(r.wide, PERM_DATA_SECRETSMANAGER);
	assert_string_equal(perm_data_names(r.reads, names, sizeof(names)),
	                    "dynamodb,secretsmanager");
	cJSON_Delete(scoped);
}

static void
test_wide_resource_patterns(void **state)
{
	(void)state;
	assert_true(perm_resource_is_wide("*"));
	assert_true(perm_resource_is_wide("arn:aws:s3:::*"));
	assert_true(perm_resource_is_wide("arn:aws:dynamodb:*:*:table/*"));
	assert_true(perm_resource_is_wide("arn:aws:secretsmanager:us-east-1:1:secret:*"));
	assert_false(perm_resource_is_wide("arn:aws:s3:::orders/*"));
	assert_false(perm_resource_is_wide("arn:aws:dynamodb:*:*:table/orders"));
	assert_false(perm_resource_is_wide("arn:aws:logs:*:*:log-group:/aws/lambda/*"));
	assert_false(perm_resource_is_wide("arn:aws"));
}

static void
test_bad_input_is_an_error(void **state)
{
	cJSON *arr = parse("[1]");
	struct findings f = { 0 };
	struct err err = { 0 };
	struct perm_role_input in = { ROLE, arr, NULL, NULL, 0 };

	(void)state;
	assert_int_equal(perm_check_document("x", arr, NULL, &f, &err), ERR_PARSE);
	assert_int_equal(perm_check_role(&in, NULL, &f, &err), ERR_PARSE);
	assert_int_equal(f.n, 0);
	cJSON_Delete(arr);
}

static void
test_time_parse_accepts_aws_forms(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(perm_parse_time("2027-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, NOW);
	assert_int_equal(perm_parse_time("2027-01-01T01:00:00.123+01:00", &t), 0);
	assert_int_equal(t, NOW);
	assert_int_equal(perm_parse_time("yesterday", &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_fill_every_field),
		cmocka_unit_test(test_admin_from_star_and_from_notaction_with_a_short_list),
		cmocka_unit_test(test_power_user_when_all_but_iam_is_granted),
		cmocka_unit_test(test_full_iam_is_critical_and_escalation),
		cmocka_unit_test(test_deny_all_cancels_and_conditional_deny_does_not),
		cmocka_unit_test(test_lambda_baseline_and_read_only_are_not_write_on_star),
		cmocka_unit_test(test_service_wildcards_and_writes_on_star),
		cmocka_unit_test(test_escalation_methods_of_published_examples),
		cmocka_unit_test(test_passed_to_service_condition_limits_passrole),
		cmocka_unit_test(test_every_table_action_is_in_the_catalog),
		cmocka_unit_test(test_role_method_split_across_policies_names_both),
		cmocka_unit_test(test_boundary_intersects_only_when_its_document_is_known),
		cmocka_unit_test(test_updating_own_function_is_not_escalation),
		cmocka_unit_test(test_admin_by_name_when_document_missing),
		cmocka_unit_test(test_unused_services_and_role),
		cmocka_unit_test(test_shared_role_names_its_functions),
		cmocka_unit_test(test_reach_tells_reads_writes_and_wide),
		cmocka_unit_test(test_wide_resource_patterns),
		cmocka_unit_test(test_bad_input_is_an_error),
		cmocka_unit_test(test_time_parse_accepts_aws_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
