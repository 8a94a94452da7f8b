/*
 * collect_iam_phase against a loopback IAM (tests/integration/iampages.py):
 * GetAccountAuthorizationDetails followed by its Marker, a policy on page 2
 * resolved for a role of page 1, the access advisor polled while
 * IN_PROGRESS and paged by Marker, and a job that never completes ending as
 * a gap after COLLECT_IAM_POLLS polls.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/transport.h"
#include "collect/iam.h"
#include "collect/scan_int.h"
#include "testutil.h"
#include "util/json.h"

#define ACCT   "123456789012"
#define FIRST  "arn:aws:iam::" ACCT ":role/first"
#define SECOND "arn:aws:iam::" ACCT ":role/second"
#define STUCK  "arn:aws:iam::" ACCT ":role/stuck"
#define JOBS   "arn:aws:iam::" ACCT ":policy/jobs"

static struct test_server srv;
static struct aws_creds creds;

static int
group_setup(void **state)
{
	char *argv[] = { "/usr/bin/python3",
		         "-I",
		         (char *)test_path("tests/integration/iampages.py"),
		         "--port",
		         "0",
		         "--polls",
		         "2",
		         NULL };

	(void)state;
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_IAM");
	setenv("no_proxy", "127.0.0.1", 1);
	snprintf(creds.access_key_id, sizeof(creds.access_key_id), "AKIDIAMPAGES");
	snprintf(creds.secret_access_key, sizeof(creds.secret_access_key), "iam-pages-secret");
	return test_server_start(&srv, argv, 10);
}

static int
group_teardown(void **state)
{
	(void)state;
	test_server_stop(&srv);
	return 0;
}

static unsigned long
calls_of(struct aws_client *c, const char *op)
{
	const struct aws_call_count *k;
	size_t n, i;

	k = aws_client_counts(c, &n);
	for (i = 0; i < n; i++)
		if (!strcmp(k[i].operation, op))
			return k[i].calls;
	return 0;
}

static struct aws_client *
client_new(void)
{
	struct aws_client_opts o = { .endpoint_url = srv.url,
		                     .region = "us-east-1",
		                     .no_pacing = 1 };
	struct aws_client *c = aws_client_new(&o, aws_creds_static_get, &creds, NULL);

	assert_non_null(c);
	return c;
}

static void
add_function(struct collect_scan *scan, const char *name, const char *role)
{
	char arn[256], attrs[256];

	snprintf(arn, sizeof(arn), "arn:aws:lambda:us-east-1:" ACCT ":function:%s", name);
	snprintf(attrs, sizeof(attrs), "{\"Role\":\"%s\"}", role);
	collect_resource(scan, MODEL_FUNCTION, arn, name, "us-east-1", cJSON_Parse(attrs));
}

static void
test_iam_list_follows_the_marker_and_resolves_policies_across_pages(void **state)
{
	struct aws_client *c = client_new();
	struct collect_scan scan;
	const cJSON *first, *doc;

	(void)state;
	collect_scan_init(&scan, c, 0);
	collect_iam_phase(&scan, COLLECT_PHASE_LIST, NULL);
	aws_client_run(c);
	assert_int_equal(calls_of(c, "GetAccountAuthorizationDetails"), 2);
	assert_int_equal(scan.n_gaps, 0);
	first = collect_attrs(&scan, FIRST);
	assert_non_null(first);
	assert_non_null(collect_attrs(&scan, SECOND)); /* only on page 2 */
	assert_non_null(collect_attrs(&scan, JOBS));   /* customer managed: a policy resource */
	doc = json_path(first, "ManagedPolicyDocuments");
	assert_non_null(doc);
	doc = cJSON_GetObjectItemCaseSensitive(doc, JOBS);
	assert_non_null(doc); /* listed on page 2, attached on page 1 */
	assert_string_equal(json_str(cJSON_GetArrayItem(json_path(doc, "Statement"), 0), "Action"),
	                    "sqs:SendMessage");
	assert_true(cJSON_IsObject(json_path(first, "AssumeRolePolicyDocument")));
	collect_scan_release(&scan);
	aws_client_free(c);
}

static void
test_iam_detail_polls_then_pages_and_gives_up_on_a_stuck_job(void **state)
{
	struct aws_client *c = client_new();
	struct collect_scan scan;
	const cJSON *la;

	(void)state;
	collect_scan_init(&scan, c, 0);
	collect_iam_phase(&scan, COLLECT_PHASE_LIST, NULL);
	aws_client_run(c);
	add_function(&scan, "a", FIRST);
	add_function(&scan, "b", FIRST);
	add_function(&scan, "c", STUCK);
	collect_iam_phase(&scan, COLLECT_PHASE_DETAIL, NULL);
	aws_client_run(c);
	assert_int_equal(calls_of(c, "GenerateServiceLastAccessedDetails"), 2);
	/* first: 2 IN_PROGRESS + 2 pages; stuck: COLLECT_IAM_POLLS polls */
	assert_int_equal(calls_of(c, "GetServiceLastAccessedDetails"), 4 + COLLECT_IAM_POLLS);
	la = json_path(collect_attrs(&scan, FIRST), "LastAccessed");
	assert_non_null(la);
	assert_string_equal(json_str(la, "JobStatus"), "COMPLETED");
	assert_int_equal(cJSON_GetArraySize(json_path(la, "ServicesLastAccessed")), 2);
	assert_string_equal(json_str(cJSON_GetArrayItem(json_path(la, "ServicesLastAccessed"), 1),
	                             "ServiceNamespace"),
	                    "sqs");
	assert_null(json_path(collect_attrs(&scan, STUCK), "LastAccessed"));
	assert_null(json_path(collect_attrs(&scan, SECOND), "LastAccessed")); /* used by none */
	assert_int_equal(scan.n_gaps, 1);
	assert_string_equal(scan.gaps[0].operation, "GetServiceLastAccessedDetails");
	collect_scan_release(&scan);
	aws_client_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_iam_list_follows_the_marker_and_resolves_policies_across_pages),
		cmocka_unit_test(test_iam_detail_polls_then_pages_and_gives_up_on_a_stuck_job),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
