/*
 * Pacing: token buckets, one per quota bucket, so that calls are sent under
 * AWS's rate quotas instead of being thrown at them and retried. The table of
 * buckets (aws/pace.c) names, per service and operation, the bucket and its
 * rate: e.g. lambda GetFunction 100/s, lambda GetPolicy 15/s, every other
 * Lambda control-plane call 15/s together, API Gateway about 10/s.
 * Time is passed in, so the arithmetic is unit-tested without sleeping.
 */
#ifndef SHEARS_AWS_PACE_H
#define SHEARS_AWS_PACE_H

struct aws_pace;

struct aws_pace *aws_pace_new(void);
void aws_pace_free(struct aws_pace *p);

/* Overrides (or adds) a bucket's rate for service/operation ("*" = any). */
void aws_pace_set(struct aws_pace *p, const char *service, const char *operation, double per_s,
	double burst);

/*
 * Takes one token for a call at time now_ms. Returns 0 when the call may go
 * now, else the milliseconds until it may (no token is taken then).
 */
long aws_pace_take(struct aws_pace *p, const char *service, const char *operation, long now_ms);

/* The rate a call is paced at (per second), 0 when unpaced. */
double aws_pace_rate(const struct aws_pace *p, const char *service, const char *operation);

#endif
