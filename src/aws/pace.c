/*
 * Token buckets for AWS rate quotas (see pace.h).
 *
 * Invariants:
 *  1. A row maps (service, operation) to a bucket; the exact operation wins
 *     over the service's "*" row; a pair with no row is unpaced.
 *  2. A bucket instance (bucket, region) holds 0 <= tokens <= burst and
 *     starts full; tokens grow by per_s per second of elapsed now_ms.
 *  3. aws_pace_take() takes a token only when it returns 0.
 */
#include "aws/pace.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

/* Quotas as documented by AWS (per account and region); rates about 10% under. */
static const struct {
	const char *service, *operation, *bucket;
	double per_s, burst;
} table[] = {
	{ "lambda", "GetFunction", "lambda-getfunction", 90, 5 }, /* quota 100/s */
	{ "lambda", "GetPolicy", "lambda-getpolicy", 13, 2 },     /* quota 15/s */
	{ "lambda", "*", "lambda-control", 13, 2 },               /* 15/s, all others together */
	{ "apigateway", "*", "apigateway", 8, 2 },                /* about 10/s */
	{ "apigatewayv2", "*", "apigateway", 8, 2 },              /* shared with v1 */
	{ "iam", "*", "iam", 13, 2 },                             /* about 15/s */
	{ "sts", "*", "sts", 45, 5 },                             /* far above; kept polite */
	{ "cloudwatch", "GetMetricData", "cw-getmetricdata", 45, 5 },    /* quota 50/s */
	{ "logs", "DescribeLogGroups", "logs-describeloggroups", 4, 1 }, /* quota 5/s */
	{ "sns", "ListTopics", "sns-listtopics", 27, 3 },                /* quota 30/s */
	{ "sns", "ListSubscriptions", "sns-listsubscriptions", 27, 3 },  /* quota 30/s */
	{ "sns", "ListSubscriptionsByTopic", "sns-listsubscriptionsbytopic", 27, 3 }, /* 30/s */
	/* EventBridge: 50/s in the large regions, less in some; the fake models 50/s */
	{ "events", "*", "events", 45, 5 },
};

#define N_TABLE (sizeof(table) / sizeof(table[0]))

struct pace_row {
	char service[24], operation[48];
	size_t bucket;
};

struct pace_bucket {
	char name[72];
	double per_s, burst;
};

struct pace_inst {
	size_t bucket;
	char region[32];
	double tokens;
	long last_ms;
};

struct aws_pace {
	struct pace_row *rows;
	size_t n_rows;
	struct pace_bucket *buckets;
	size_t n_buckets;
	struct pace_inst *insts;
	size_t n_insts;
};

static size_t
bucket_add(struct aws_pace *p, const char *name, double per_s, double burst)
{
	size_t i;

	for (i = 0; i < p->n_buckets; i++)
		if (!strcmp(p->buckets[i].name, name))
			return i;
	p->buckets = xrealloc(p->buckets, (p->n_buckets + 1) * sizeof(*p->buckets));
	snprintf(p->buckets[i].name, sizeof(p->buckets[i].name), "%s", name);
	p->buckets[i].per_s = per_s;
	p->buckets[i].burst = burst < 1 ? 1 : burst;
	p->n_buckets++;
	return i;
}

static void
row_add(struct aws_pace *p, const char *service, const char *operation, size_t bucket)
{
	struct pace_row *r;

	p->rows = xrealloc(p->rows, (p->n_rows + 1) * sizeof(*p->rows));
	r = &p->rows[p->n_rows++];
	snprintf(r->service, sizeof(r->service), "%s", service);
	snprintf(r->operation, sizeof(r->operation), "%s", operation);
	r->bucket = bucket;
}

struct aws_pace *
aws_pace_new(void)
{
	struct aws_pace *p = xcalloc(1, sizeof(*p));
	size_t i;

	for (i = 0; i < N_TABLE; i++)
		row_add(p, table[i].service, table[i].operation,
		        bucket_add(p, table[i].bucket, table[i].per_s, table[i].burst));
	return p;
}

void
aws_pace_free(struct aws_pace *p)
{
	if (!p)
		return;
	free(p->rows);
	free(p->buckets);
	free(p->insts);
	free(p);
}

/* The row for service/operation: exact first, then "*"; NULL when unpaced. */
static const struct pace_row *
row_find(const struct aws_pace *p, const char *service, const char *operation, int exact)
{
	const struct pace_row *any = NULL;
	size_t i;

	for (i = 0; i < p->n_rows; i++) {
		const struct pace_row *r = &p->rows[i];

		if (strcmp(r->service, service))
			continue;
		if (!strcmp(r->operation, operation))
			return r;
		if (!exact && !strcmp(r->operation, "*"))
			any = r;
	}
	return any;
}

void
aws_pace_set(struct aws_pace *p, const char *service, const char *operation, double per_s,
             double burst)
{
	const struct pace_row *r = row_find(p, service, operation, 1);
	char name[72];
	size_t i, b;

	if (burst < 1)
		burst = 1;
	if (!r) {
		snprintf(name, sizeof(name), "%s:%s", service, operation);
		b = bucket_add(p, name, per_s, burst);
		row_add(p, service, operation, b);
	} else {
		b = r->bucket;
	}
	p->buckets[b].per_s = per_s;
	p->buckets[b].burst = burst;
	for (i = 0; i < p->n_insts; i++)
		if (p->insts[i].bucket == b && p->insts[i].tokens > burst)
			p->insts[i].tokens = burst;
}

static struct pace_inst *
inst_get(struct aws_pace *p, size_t bucket, const char *region, long now_ms)
{
	struct pace_inst *in;
	size_t i;

	for (i = 0; i < p->n_insts; i++)
		if (p->insts[i].bucket == bucket && !strcmp(p->insts[i].region, region))
			return &p->insts[i];
	p->insts = xrealloc(p->insts, (p->n_insts + 1) * sizeof(*p->insts));
	in = &p->insts[p->n_insts++];
	memset(in, 0, sizeof(*in));
	in->bucket = bucket;
	snprintf(in->region, sizeof(in->region), "%s", region);
	in->tokens = p->buckets[bucket].burst; /* a fresh bucket starts full */
	in->last_ms = now_ms;
	return in;
}

long
aws_pace_take(struct aws_pace *p, const char *service, const char *operation, const char *region,
              long now_ms)
{
	const struct pace_row *r = row_find(p, service, operation, 0);
	const struct pace_bucket *b;
	struct pace_inst *in;
	double wait;

	if (!r || p->buckets[r->bucket].per_s <= 0)
		return 0;
	b = &p->buckets[r->bucket];
	in = inst_get(p, r->bucket, region ? region : "", now_ms);
	if (now_ms > in->last_ms) {
		in->tokens += (double)(now_ms - in->last_ms) * b->per_s / 1000.0;
		if (in->tokens > b->burst)
			in->tokens = b->burst;
		in->last_ms = now_ms;
	}
	if (in->tokens >= 1) {
		in->tokens -= 1;
		return 0;
	}
	wait = ceil((1 - in->tokens) * 1000.0 / b->per_s);
	return wait < 1 ? 1 : (long)wait;
}

double
aws_pace_rate(const struct aws_pace *p, const char *service, const char *operation)
{
	const struct pace_row *r = row_find(p, service, operation, 0);

	return r ? p->buckets[r->bucket].per_s : 0;
}
