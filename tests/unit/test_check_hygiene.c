/* The hygiene family: dead functions, timeouts, runtimes, concurrency, leftovers. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/check_util.h"
#include "analyze/hygiene.h"
#include "analyze/runtimes.h"

#define ACCT "123456789012"
#define FN   "arn:aws:lambda:us-east-1:" ACCT ":function:"
#define ROLE "arn:aws:iam::" ACCT ":role/"
#define LG   "arn:aws:logs:us-east-1:" ACCT ":log-group:/aws/lambda/"
#define NOW  1795430955 /* 2026-11-23 */

static const struct finding *
find(const struct findings *f, const char *id, const char *resource)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].rule->id, id) && !strcmp(f->v[i].resource, resource))
			return &f->v[i];
	return NULL;
}

static void
add_fn(struct amodel *m, const char *name, const char *extra)
{
	char arn[200], attrs[3000];

	snprintf(arn, sizeof(arn), FN "%s", name);
	/* extra first: cJSON answers the first of two equal keys, so it overrides the defaults */
	snprintf(attrs, sizeof(attrs),
	         "{%s%s\"FunctionName\":\"%s\",\"Runtime\":\"python3.12\",\"Timeout\":30,"
	         "\"LastModified\":\"2024-05-01T00:00:00.000+0000\",\"Role\":\"" ROLE "r\"}",
	         extra ? extra : "", extra ? "," : "", name);
	amodel_add_resource(m, MODEL_FUNCTION, arn, name, "us-east-1", attrs);
}

/* n days of a metric ending yesterday, each value v. */
static void
add_days(struct amodel *m, const char *name, const char *metric, int n, double v)
{
	char arn[200];
	int64_t today = analyze_day(NOW);
	int i;

	snprintf(arn, sizeof(arn), FN "%s", name);
	for (i = 1; i <= n; i++)
		amodel_add_metric(m, arn, metric, today - i, v);
}

static void
run_at(struct amodel *m, struct findings *f, time_t now)
{
	struct analyze_opts o;

	analyze_opts_default(&o);
	o.now = now;
	amodel_index(m);
	memset(f, 0, sizeof(*f));
	assert_int_equal(check_hygiene(m, &o, f), 0);
}

static void
run(struct amodel *m, struct findings *f)
{
	run_at(m, f, NOW);
}

static void
test_dead_function_but_not_a_new_one(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "old", NULL);
	add_fn(&m, "zeros", NULL);
	add_fn(&m, "alive", NULL);
	add_fn(&m, "fresh", "\"LastModified\":\"2026-11-01T00:00:00.000+0000\"");
	amodel_index(&m);
	add_days(&m, "zeros", "Invocations", 90, 0);
	add_days(&m, "alive", "Invocations", 1, 3);
	run(&m, &f);
	x = find(&f, "SHR-HYG-001", FN "old");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_LOW);
	assert_non_null(strstr(x->evidence, "no datapoints"));
	assert_non_null(strstr(x->evidence, "2024-05-01"));
	x = find(&f, "SHR-HYG-001", FN "zeros");
	assert_non_null(x);
	assert_non_null(strstr(x->evidence, "every datapoint zero"));
	assert_null(find(&f, "SHR-HYG-001", FN "alive"));
	assert_null(find(&f, "SHR-HYG-001", FN "fresh"));
	findings_free(&f);
	amodel_free(&m);
}

static void
test_timeout_recommendation(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;
	struct analyze_opts o;

	(void)state;
	analyze_opts_default(&o);
	assert_int_equal(hygiene_recommended_timeout(1800, &o), 3);   /* 2.7 -> 3 */
	assert_int_equal(hygiene_recommended_timeout(500, &o), 3);    /* the minimum */
	assert_int_equal(hygiene_recommended_timeout(20800, &o), 32); /* 31.2 -> 32 */
	o.timeout_margin = 0.5;
	assert_int_equal(hygiene_recommended_timeout(20800, &o), 21); /* never below the run */
	amodel_init(&m);
	add_fn(&m, "warmer", "\"Timeout\":900");
	add_fn(&m, "tight", "\"Timeout\":10");
	add_fn(&m, "nodata", "\"Timeout\":900");
	amodel_index(&m);
	add_days(&m, "warmer", "DurationMax", 60, 1200);
	amodel_add_metric(&m, FN "warmer", "DurationMax", analyze_day(NOW) - 3, 1800);
	add_days(&m, "tight", "DurationMax", 60, 4000);
	run(&m, &f);
	x = find(&f, "SHR-HYG-002", FN "warmer");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_LOW);
	assert_non_null(strstr(x->evidence, "Timeout 900 s; longest run 1.8 s in 90 days"));
	assert_non_null(strstr(x->evidence, "recommend 3 s"));
	assert_null(find(&f, "SHR-HYG-002", FN "tight"));  /* 10 s <= 3 x 6 s */
	assert_null(find(&f, "SHR-HYG-002", FN "nodata")); /* no duration data */
	findings_free(&f);
	amodel_free(&m);
}

static void
test_runtime_deprecation_by_date(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	assert_non_null(runtime_eol_find("python3.7"));
	assert_null(runtime_eol_find("python3.77"));
	amodel_init(&m);
	add_fn(&m, "py37", "\"Runtime\":\"python3.7\"");
	add_fn(&m, "py39", "\"Runtime\":\"python3.9\"");
	add_fn(&m, "dotnet8", "\"Runtime\":\"dotnet8\"");
	add_fn(&m, "node22", "\"Runtime\":\"nodejs22.x\"");
	add_fn(&m, "image", "\"PackageType\":\"Image\",\"Runtime\":null");
	run(&m, &f);
	x = find(&f, "SHR-HYG-003", FN "py37");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_HIGH); /* over a year past 2023-12-04 */
	assert_non_null(strstr(x->evidence, "2023-12-04"));
	x = find(&f, "SHR-HYG-003", FN "py39");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_MEDIUM); /* 2025-12-15: under a year */
	x = find(&f, "SHR-HYG-003", FN "dotnet8");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_MEDIUM); /* 2026-11-10, 13 days before NOW */
	assert_null(find(&f, "SHR-HYG-003", FN "node22"));
	assert_null(find(&f, "SHR-HYG-003", FN "image"));
	findings_free(&f);
	/* 40 days before dotnet8's date: approaching, within the 90-day warning */
	run_at(&m, &f, NOW - 53 * 86400);
	x = find(&f, "SHR-HYG-003", FN "dotnet8");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_LOW);
	assert_non_null(strstr(x->evidence, "in 40 days"));
	findings_free(&f);
	amodel_free(&m);
}

#define URL_OPEN                                                                            \
	"\"Url\":{\"FunctionUrl\":\"https://u.lambda-url.us-east-1.on.aws/\",\"AuthType\":" \
	"\"NONE\"},\"Policy\":{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","   \
	"\"Action\":\"lambda:InvokeFunctionUrl\"}]}"

static void
test_reserved_concurrency_on_public_functions(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "open", URL_OPEN);
	add_fn(&m, "capped", URL_OPEN ",\"Concurrency\":{\"ReservedConcurrentExecutions\":50}");
	add_fn(&m, "internal", NULL);
	run(&m, &f);
	x = find(&f, "SHR-HYG-004", FN "open");
	assert_non_null(x);
	assert_non_null(strstr(x->evidence, "function URL"));
	assert_null(find(&f, "SHR-HYG-004", FN "capped"));
	assert_null(find(&f, "SHR-HYG-004", FN "internal"));
	/* a dead function that is public is worse */
	assert_int_equal(find(&f, "SHR-HYG-001", FN "open")->severity, SEV_MEDIUM);
	findings_free(&f);
	amodel_free(&m);
}

static void
test_versions_nothing_points_to(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "get",
	       "\"Versions\":[{\"Version\":\"1\"},{\"Version\":\"2\"},{\"Version\":"
	       "\"3\"},{\"Version\":\"4\"}],\"Aliases\":[{\"Name\":\"live\","
	       "\"FunctionVersion\":\"2\",\"RoutingConfig\":{"
	       "\"AdditionalVersionWeights\":{\"3\":0.1}}}],\"EventSourceMappings\":[{"
	       "\"FunctionArn\":\"" FN "get:4\"}]");
	add_fn(&m, "all-used",
	       "\"Versions\":[{\"Version\":\"1\"}],\"Aliases\":[{\"Name\":\"a\","
	       "\"FunctionVersion\":\"1\"}]");
	run(&m, &f);
	x = find(&f, "SHR-HYG-005", FN "get");
	assert_non_null(x);
	assert_non_null(strstr(x->evidence, "1 published version (1)"));
	assert_null(find(&f, "SHR-HYG-005", FN "all-used"));
	findings_free(&f);
	amodel_free(&m);
}

static void
add_log_group(struct amodel *m, const char *region, const char *fn_part, const char *extra)
{
	char arn[300], name[200], attrs[600];

	snprintf(name, sizeof(name), "/aws/lambda/%s", fn_part);
	snprintf(arn, sizeof(arn), "arn:aws:logs:%s:" ACCT ":log-group:%s", region, name);
	snprintf(attrs, sizeof(attrs), "{\"logGroupName\":\"%s\",\"storedBytes\":734003200%s}",
	         name, extra ? extra : "");
	amodel_add_resource(m, MODEL_LOG_GROUP, arn, name, region, attrs);
}

static void
test_log_groups_retention_and_orphans(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "live", NULL);
	add_fn(&m, "edge", NULL);
	add_fn(&m, "custom", "\"LoggingConfig\":{\"LogGroup\":\"/aws/lambda/shared-logs\"}");
	add_log_group(&m, "us-east-1", "live", ",\"retentionInDays\":30");
	add_log_group(&m, "us-east-1", "old-checkout-v1", NULL);
	add_log_group(&m, "eu-west-1", "live", ",\"retentionInDays\":30"); /* other region */
	add_log_group(&m, "eu-west-1", "us-east-1.edge", ",\"retentionInDays\":30");
	add_log_group(&m, "us-east-1", "shared-logs", ",\"retentionInDays\":30");
	run(&m, &f);
	x = find(&f, "SHR-HYG-006", LG "old-checkout-v1");
	assert_non_null(x);
	assert_non_null(strstr(x->evidence, "734.0 MB"));
	assert_null(find(&f, "SHR-HYG-006", LG "live"));
	x = find(&f, "SHR-HYG-007", LG "old-checkout-v1");
	assert_non_null(x);
	assert_non_null(strstr(x->evidence, "no function old-checkout-v1 in us-east-1"));
	assert_null(find(&f, "SHR-HYG-007", LG "live"));
	assert_non_null(find(&f, "SHR-HYG-007",
	                     "arn:aws:logs:eu-west-1:" ACCT ":log-group:/aws/lambda/live"));
	assert_null(find(&f, "SHR-HYG-007",
	                 "arn:aws:logs:eu-west-1:" ACCT ":log-group:/aws/lambda/us-east-1.edge"));
	assert_null(find(&f, "SHR-HYG-007", LG "shared-logs"));
	findings_free(&f);
	amodel_free(&m);
}

#define LAMBDA_TRUST                                                                         \
	"\"AssumeRolePolicyDocument\":{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{" \
	"\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"

static void
test_orphaned_roles(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "fn", "\"Role\":\"" ROLE "used\"");
	amodel_add_resource(&m, MODEL_ROLE, ROLE "used", "used", "", "{" LAMBDA_TRUST "}");
	amodel_add_resource(&m, MODEL_ROLE, ROLE "gone", "gone", "",
	                    "{" LAMBDA_TRUST ",\"RoleLastUsed\":{\"LastUsedDate\":"
	                    "\"2025-10-19T09:00:00Z\",\"Region\":\"us-east-1\"}}");
	amodel_add_resource(&m, MODEL_ROLE, ROLE "elsewhere", "elsewhere", "",
	                    "{" LAMBDA_TRUST ",\"RoleLastUsed\":{\"LastUsedDate\":"
	                    "\"2026-11-20T09:00:00Z\",\"Region\":\"ap-south-1\"}}");
	amodel_add_resource(
	        &m, MODEL_ROLE, ROLE "shared", "shared", "",
	        "{\"AssumeRolePolicyDocument\":\"%7B%22Statement%22%3A%5B%7B%22Effect%22"
	        "%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%5B%22lambda."
	        "amazonaws.com%22%2C%22states.amazonaws.com%22%5D%7D%2C%22Action%22%3A"
	        "%22sts%3AAssumeRole%22%7D%5D%7D\"}");
	run(&m, &f);
	x = find(&f, "SHR-HYG-008", ROLE "gone");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_LOW);
	assert_non_null(strstr(x->evidence, "400 days ago"));
	assert_null(find(&f, "SHR-HYG-008", ROLE "used"));
	assert_null(find(&f, "SHR-HYG-008", ROLE "shared")); /* Step Functions uses it too */
	x = find(&f, "SHR-HYG-008", ROLE "elsewhere");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_INFO);
	findings_free(&f);
	amodel_free(&m);
}

#define LAYER "arn:aws:lambda:us-east-1:" ACCT ":layer:acme-common-py:"

static void
test_unused_layer_versions(void **state)
{
	struct amodel m;
	struct findings f;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "sync", "\"Layers\":[{\"Arn\":\"" LAYER "2\"}]");
	add_fn(&m, "pinned",
	       "\"Versions\":[{\"Version\":\"1\",\"Layers\":[{\"Arn\":\"" LAYER
	       "3\"}]}],\"Aliases\":[{\"FunctionVersion\":\"1\"}]");
	amodel_add_resource(&m, MODEL_LAYER, LAYER "1", "acme-common-py:1", "us-east-1", "{}");
	amodel_add_resource(&m, MODEL_LAYER, LAYER "2", "acme-common-py:2", "us-east-1", "{}");
	amodel_add_resource(&m, MODEL_LAYER, LAYER "3", "acme-common-py:3", "us-east-1", "{}");
	run(&m, &f);
	assert_non_null(find(&f, "SHR-HYG-009", LAYER "1"));
	assert_null(find(&f, "SHR-HYG-009", LAYER "2"));
	assert_null(find(&f, "SHR-HYG-009", LAYER "3"));
	findings_free(&f);
	amodel_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dead_function_but_not_a_new_one),
		cmocka_unit_test(test_timeout_recommendation),
		cmocka_unit_test(test_runtime_deprecation_by_date),
		cmocka_unit_test(test_reserved_concurrency_on_public_functions),
		cmocka_unit_test(test_versions_nothing_points_to),
		cmocka_unit_test(test_log_groups_retention_and_orphans),
		cmocka_unit_test(test_orphaned_roles),
		cmocka_unit_test(test_unused_layer_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
