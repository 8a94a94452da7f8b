/*
 * Pacing: token buckets, one per quota bucket and region, so that calls are
 * sent under AWS's rate quotas instead of being thrown at them and retried.
 * The table of buckets (aws/pace.c) names, per service and operation, the
 * bucket and its rate: e.g. lambda GetFunction 100/s, lambda GetPolicy
 * 15/s, every other Lambda control-plane call 15/s together, API Gateway
 * (v1 and v2 together) about 10/s. Each rate is set a little under its
 * quota, and a bucket's burst plus one second of its rate stays within the
 * quota, so no one-second window goes over.
 * Quotas are per account and region: a bucket keeps one token count per
 * region (global services pass their signing region, so IAM has one).
 * Time is passed in, so the arithmetic is unit-tested without sleeping.
 */
#ifndef SHEARS_AWS_PACE_H
#define SHEARS_AWS_PACE_H

struct aws_pace;

struct aws_pace *aws_pace_new(void);
void aws_pace_free(struct aws_pace *p);

/*
 * Sets the rate of the bucket that service/operation ("*" = any other
 * operation of service) is counted in, adding a bucket of its own when the
 * table has no row for exactly that pair. A row shared by several pairs
 * (apigateway and apigatewayv2) changes for all. per_s <= 0 turns pacing
 * off for it; burst below 1 counts as 1.
 */
void aws_pace_set(struct aws_pace *p, const char *service, const char *operation, double per_s,
                  double burst);

/*
 * Takes one token for a call in region (NULL: "") at time now_ms. Returns 0
 * when the call may go now, else the milliseconds until it may (no token is
 * taken then; asking again at that time succeeds unless another call of the
 * same bucket took the token first).
 */
long aws_pace_take(struct aws_pace *p, const char *service, const char *operation,
                   const char *region, long now_ms);

/* The rate a call is paced at (per second), 0 when unpaced. */
double aws_pace_rate(const struct aws_pace *p, const char *service, const char *operation);

#endif
