#include "cmocka_prelude.h"
#include <stdlib.h>
#include <string.h>

#include "aws/pace.h"

/* Takes tokens at now_ms until one is refused; returns how many were granted. */
static int
drain(struct aws_pace *p, const char *svc, const char *op, const char *region, long now)
{
	int n = 0;

	while (aws_pace_take(p, svc, op, region, now) == 0 && n < 100000)
		n++;
	return n;
}

static void
test_pace_table_is_under_the_documented_quotas(void **state)
{
	struct aws_pace *p = aws_pace_new();

	(void)state;
	assert_true(aws_pace_rate(p, "lambda", "GetFunction") > 80);
	assert_true(aws_pace_rate(p, "lambda", "GetFunction") < 100);
	assert_true(aws_pace_rate(p, "lambda", "GetPolicy") > 10);
	assert_true(aws_pace_rate(p, "lambda", "GetPolicy") < 15);
	assert_true(aws_pace_rate(p, "lambda", "ListFunctions") < 15);
	assert_true(aws_pace_rate(p, "apigateway", "GetRestApis") < 10);
	assert_true(aws_pace_rate(p, "apigatewayv2", "GetApis") < 10);
	assert_true(aws_pace_rate(p, "iam", "GetRole") < 15);
	assert_true(aws_pace_rate(p, "cloudwatch", "GetMetricData") < 50);
	assert_true(aws_pace_rate(p, "cloudwatch", "GetMetricData") > 40);
	assert_true(aws_pace_rate(p, "sts", "GetCallerIdentity") > 0);
	assert_true(aws_pace_rate(p, "s3", "GetBucketPolicy") == 0); /* unpaced */
	aws_pace_free(p);
}

static void
test_pace_no_second_goes_over_the_quota(void **state)
{
	static const struct {
		const char *svc, *op;
		int quota;
	} q[] = { { "lambda", "GetFunction", 100 },  { "lambda", "GetPolicy", 15 },
		  { "lambda", "ListFunctions", 15 }, { "apigateway", "GetResources", 10 },
		  { "iam", "ListRoles", 15 },        { "cloudwatch", "GetMetricData", 50 } };
	size_t i;
	long t;

	(void)state;
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		struct aws_pace *p = aws_pace_new();
		int sent = 0;

		/* a greedy caller asking every millisecond, over a 1 s window from a full bucket */
		for (t = 0; t < 1000; t++)
			sent += drain(p, q[i].svc, q[i].op, "us-east-1", t);
		assert_true(sent <= q[i].quota);
		assert_true(sent >= q[i].quota * 7 / 10);
		aws_pace_free(p);
	}
}

static void
test_pace_lambda_control_plane_shares_one_bucket(void **state)
{
	struct aws_pace *p = aws_pace_new();
	int a, b;

	(void)state;
	a = drain(p, "lambda", "ListFunctions", "us-east-1", 0);
	b = drain(p, "lambda", "ListEventSourceMappings", "us-east-1", 0);
	assert_true(a >= 1);
	assert_int_equal(b, 0); /* the shared burst is gone */
	/* GetFunction and GetPolicy have buckets of their own */
	assert_true(drain(p, "lambda", "GetFunction", "us-east-1", 0) >= 1);
	assert_true(drain(p, "lambda", "GetPolicy", "us-east-1", 0) >= 1);
	/* API Gateway v1 and v2 share too */
	assert_true(drain(p, "apigateway", "GetRestApis", "us-east-1", 0) >= 1);
	assert_int_equal(drain(p, "apigatewayv2", "GetApis", "us-east-1", 0), 0);
	aws_pace_free(p);
}

static void
test_pace_regions_have_their_own_tokens(void **state)
{
	struct aws_pace *p = aws_pace_new();

	(void)state;
	assert_true(drain(p, "lambda", "ListFunctions", "us-east-1", 0) >= 1);
	assert_true(aws_pace_take(p, "lambda", "ListFunctions", "us-east-1", 0) > 0);
	assert_int_equal(aws_pace_take(p, "lambda", "ListFunctions", "eu-west-1", 0), 0);
	aws_pace_free(p);
}

static void
test_pace_wait_is_exact_and_no_token_taken_when_refused(void **state)
{
	struct aws_pace *p = aws_pace_new();
	long w, w2;

	(void)state;
	aws_pace_set(p, "lambda", "ListFunctions", 20, 1);
	assert_int_equal(aws_pace_take(p, "lambda", "ListFunctions", "r", 1000), 0);
	w = aws_pace_take(p, "lambda", "ListFunctions", "r", 1000);
	assert_int_equal(w, 50); /* 20/s: one token every 50 ms */
	w2 = aws_pace_take(p, "lambda", "ListFunctions", "r", 1010);
	assert_int_equal(w2, 40); /* the refusal did not take a token */
	assert_int_equal(aws_pace_take(p, "lambda", "ListFunctions", "r", 1050), 0);
	assert_true(aws_pace_take(p, "lambda", "ListFunctions", "r", 1050) > 0);
	/* pacing 30 calls at 20/s (burst 1) takes 29 waits of 50 ms */
	aws_pace_set(p, "lambda", "GetAlias", 20, 1);
	{
		long t = 0;
		int n = 0;

		while (n < 30) {
			long wait = aws_pace_take(p, "lambda", "GetAlias", "r", t);

			if (wait == 0)
				n++;
			else
				t += wait;
		}
		assert_int_equal(t, 29 * 50);
	}
	aws_pace_free(p);
}

static void
test_pace_set_overrides_and_zero_turns_off(void **state)
{
	struct aws_pace *p = aws_pace_new();

	(void)state;
	assert_true(aws_pace_rate(p, "s3", "ListBuckets") == 0);
	aws_pace_set(p, "s3", "ListBuckets", 2, 1);
	assert_true(aws_pace_rate(p, "s3", "ListBuckets") == 2);
	assert_true(aws_pace_rate(p, "s3", "GetBucketAcl") == 0);
	assert_int_equal(aws_pace_take(p, "s3", "ListBuckets", NULL, 0), 0);
	assert_int_equal(aws_pace_take(p, "s3", "ListBuckets", NULL, 0), 500);
	aws_pace_set(p, "lambda", "*", 0, 0);
	assert_int_equal(drain(p, "lambda", "ListFunctions", "x", 0), 100000);
	assert_true(aws_pace_rate(p, "lambda", "GetFunction") > 0); /* its own row */
	aws_pace_free(p);
	aws_pace_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pace_table_is_under_the_documented_quotas),
		cmocka_unit_test(test_pace_no_second_goes_over_the_quota),
		cmocka_unit_test(test_pace_lambda_control_plane_shares_one_bucket),
		cmocka_unit_test(test_pace_regions_have_their_own_tokens),
		cmocka_unit_test(test_pace_wait_is_exact_and_no_token_taken_when_refused),
		cmocka_unit_test(test_pace_set_overrides_and_zero_turns_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
