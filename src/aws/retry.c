/*
 * The retry policy, after botocore 1.29's standard mode
 * (botocore/retries/standard.py): its throttling codes
 * (ThrottledRetryableChecker), its transient codes and statuses
 * (TransientRetryableChecker), and transport failures. Backoff is full
 * jitter over an exponential ceiling; a Retry-After from the server is
 * taken as given (capped), since the server knows best when it has room.
 */
#include "aws/retry.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const throttle_codes[] = {
	"Throttling",
	"ThrottlingException",
	"ThrottledException",
	"RequestThrottledException",
	"TooManyRequestsException",
	"ProvisionedThroughputExceededException",
	"TransactionInProgressException",
	"RequestLimitExceeded",
	"BandwidthLimitExceeded",
	"LimitExceededException",
	"RequestThrottled",
	"SlowDown",
	"PriorRequestNotComplete",
	"EC2ThrottledException",
};

/* Retried without counting as throttling. */
static const char *const transient_codes[] = {
	"RequestTimeout",
	"RequestTimeoutException",
	"PriorRequestNotComplete",
};

static int
in_list(const char *code, const char *const *list, size_t n)
{
	size_t i;

	if (!code || !code[0])
		return 0;
	for (i = 0; i < n; i++)
		if (!strcmp(code, list[i]))
			return 1;
	return 0;
}

int
aws_retry_is_throttle_code(const char *aws_code)
{
	return in_list(aws_code, throttle_codes,
	               sizeof(throttle_codes) / sizeof(throttle_codes[0]));
}

int
aws_retry_should(int http_status, const char *aws_code, enum err_code transport_err)
{
	if (transport_err)
		return transport_err ==
		       ERR_NET; /* TLS, limits, deadline: trying again cannot help */
	if (http_status == 429 || aws_retry_is_throttle_code(aws_code))
		return 1;
	if (in_list(aws_code, transient_codes,
	            sizeof(transient_codes) / sizeof(transient_codes[0])))
		return 1;
	return http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504;
}

long
aws_retry_delay_ms(int attempt, long retry_after_ms, double rnd)
{
	long ceiling = AWS_RETRY_BASE_MS;
	int i;

	if (retry_after_ms >= 0)
		return retry_after_ms < AWS_RETRY_CAP_MS ? retry_after_ms : AWS_RETRY_CAP_MS;
	for (i = 1; i < attempt && ceiling < AWS_RETRY_CAP_MS; i++)
		ceiling *= 2;
	if (ceiling > AWS_RETRY_CAP_MS)
		ceiling = AWS_RETRY_CAP_MS;
	if (rnd < 0)
		rnd = 0;
	if (rnd >= 1)
		rnd = 0.999999;
	return (long)(rnd * (double)(ceiling + 1));
}

static int
month_index(const char *m)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = strstr(months, m);

	if (strlen(m) != 3 || !p || (p - months) % 3)
		return -1;
	return (int)((p - months) / 3);
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate) to Unix time, or -1. */
static long
http_date(const char *v)
{
	struct tm tm = { 0 };
	char wday[4], mon[4], zone[4];
	int n = 0;
	time_t t;

	if (sscanf(v, "%3[A-Za-z], %d %3s %d %d:%d:%d %3s%n", wday, &tm.tm_mday, mon, &tm.tm_year,
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec, zone, &n) != 8 ||
	    strcmp(zone, "GMT") || v[n])
		return -1;
	tm.tm_mon = month_index(mon);
	tm.tm_year -= 1900;
	if (tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	t = timegm(&tm);
	return t < 0 ? -1 : (long)t;
}

long
aws_retry_after_ms(const char *value, long now_s)
{
	char *end;
	long s, when;

	if (!value)
		return -1;
	while (*value == ' ' || *value == '\t')
		value++;
	if (isdigit((unsigned char)*value)) {
		s = strtol(value, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
			end++;
		if (*end || s < 0 || s > 86400)
			return -1;
		return s * 1000;
	}
	when = http_date(value);
	if (when < 0)
		return -1;
	return when <= now_s ? 0 : (when - now_s) * 1000;
}
