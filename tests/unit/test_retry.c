#include "cmocka_prelude.h"
#include <stdlib.h>
#include <string.h>

#include "aws/retry.h"
#include "util/err.h"

static void
test_retry_throttle_codes_of_every_protocol(void **state)
{
	/* botocore/retries/standard.py ThrottledRetryableChecker, plus the usual spellings */
	static const char *const yes[] = { "Throttling",
		                           "ThrottlingException",
		                           "TooManyRequestsException",
		                           "RequestLimitExceeded",
		                           "SlowDown",
		                           "ProvisionedThroughputExceededException",
		                           "ThrottledException",
		                           "RequestThrottledException",
		                           "BandwidthLimitExceeded",
		                           "LimitExceededException",
		                           "RequestThrottled",
		                           "TransactionInProgressException",
		                           "EC2ThrottledException",
		                           "PriorRequestNotComplete" };
	static const char *const no[] = { "",
		                          "AccessDeniedException",
		                          "ResourceNotFoundException",
		                          "throttling",
		                          "ThrottlingExceptionX",
		                          "ValidationException",
		                          "InternalFailure" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(aws_retry_is_throttle_code(yes[i]));
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(aws_retry_is_throttle_code(no[i]));
	assert_false(aws_retry_is_throttle_code(NULL));
}

static void
test_retry_should_retry_throttles_5xx_and_network_only(void **state)
{
	(void)state;
	assert_true(aws_retry_should(429, "", ERR_OK));
	assert_true(aws_retry_should(400, "ThrottlingException", ERR_OK));
	assert_true(aws_retry_should(400, "Throttling", ERR_OK));
	assert_true(aws_retry_should(503, "SlowDown", ERR_OK));
	assert_true(aws_retry_should(500, "", ERR_OK));
	assert_true(aws_retry_should(502, NULL, ERR_OK));
	assert_true(aws_retry_should(503, "", ERR_OK));
	assert_true(aws_retry_should(504, "", ERR_OK));
	assert_true(aws_retry_should(400, "RequestTimeout", ERR_OK));
	assert_true(aws_retry_should(0, "", ERR_NET));
	assert_false(aws_retry_should(501, "", ERR_OK));
	assert_false(aws_retry_should(400, "ValidationException", ERR_OK));
	assert_false(aws_retry_should(403, "AccessDeniedException", ERR_OK));
	assert_false(aws_retry_should(404, "ResourceNotFoundException", ERR_OK));
	assert_false(aws_retry_should(0, "", ERR_TLS));
	assert_false(aws_retry_should(0, "", ERR_TIMEOUT));
	assert_false(aws_retry_should(200, "", ERR_LIMIT));
}

static void
test_retry_delay_is_full_jitter_under_an_exponential_ceiling(void **state)
{
	int a;

	(void)state;
	for (a = 1; a <= 12; a++) {
		long ceiling = (long)AWS_RETRY_BASE_MS << (a - 1);

		if (ceiling > AWS_RETRY_CAP_MS)
			ceiling = AWS_RETRY_CAP_MS;
		assert_int_equal(aws_retry_delay_ms(a, -1, 0.0), 0);
		assert_int_equal(aws_retry_delay_ms(a, -1, 0.5),
		                 (long)(0.5 * (double)(ceiling + 1)));
		assert_true(aws_retry_delay_ms(a, -1, 0.999999) <= ceiling);
		assert_true(aws_retry_delay_ms(a, -1, 0.999999) >= ceiling - 1);
	}
	assert_int_equal(aws_retry_delay_ms(3, -1, 0.999999), 400);
	/* out-of-range randomness is clamped, never a negative or huge wait */
	assert_int_equal(aws_retry_delay_ms(2, -1, -3.0), 0);
	assert_true(aws_retry_delay_ms(2, -1, 7.0) <= 200);
}

static void
test_retry_after_wins_and_is_capped(void **state)
{
	(void)state;
	assert_int_equal(aws_retry_delay_ms(1, 2000, 0.0), 2000);
	assert_int_equal(aws_retry_delay_ms(5, 0, 0.9), 0);
	assert_int_equal(aws_retry_delay_ms(1, 3600000, 0.5), AWS_RETRY_CAP_MS);
}

static void
test_retry_after_header_seconds_and_http_date(void **state)
{
	long now = 784111777; /* Sun, 06 Nov 1994 08:49:37 GMT */

	(void)state;
	assert_int_equal(aws_retry_after_ms("1", now), 1000);
	assert_int_equal(aws_retry_after_ms(" 0", now), 0);
	assert_int_equal(aws_retry_after_ms("120\r\n", now), 120000);
	assert_int_equal(aws_retry_after_ms("Sun, 06 Nov 1994 08:49:40 GMT", now), 3000);
	assert_int_equal(aws_retry_after_ms("Sun, 06 Nov 1994 08:49:30 GMT", now), 0);
	assert_int_equal(aws_retry_after_ms("Mon, 07 Nov 1994 08:49:37 GMT", now), 86400000);
	assert_int_equal(aws_retry_after_ms(NULL, now), -1);
	assert_int_equal(aws_retry_after_ms("", now), -1);
	assert_int_equal(aws_retry_after_ms("soon", now), -1);
	assert_int_equal(aws_retry_after_ms("-5", now), -1);
	assert_int_equal(aws_retry_after_ms("5s", now), -1);
	assert_int_equal(aws_retry_after_ms("Sun, 06 Foo 1994 08:49:40 GMT", now), -1);
	assert_int_equal(aws_retry_after_ms("Sun, 06 Nov 1994 08:49:40 PST", now), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_throttle_codes_of_every_protocol),
		cmocka_unit_test(test_retry_should_retry_throttles_5xx_and_network_only),
		cmocka_unit_test(test_retry_delay_is_full_jitter_under_an_exponential_ceiling),
		cmocka_unit_test(test_retry_after_wins_and_is_capped),
		cmocka_unit_test(test_retry_after_header_seconds_and_http_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
