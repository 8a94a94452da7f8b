/*
 * What the role's functions touch and what Lambda needs for them (rules 4
 * and 5 of least_privilege.h). Read from the function's configuration
 * (log group, VPC, tracing, KMS key, dead-letter target, destinations,
 * event source mappings) and from the edges the scan drew: the environment
 * names (function -reads-> resource), triggers (source -triggers->
 * function) and destinations (function -invokes-> target). The role's own
 * edges are not used: they say what the role can reach, not what the
 * function uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/lp_int.h"
#include "util/json.h"
#include "util/xmalloc.h"

/* Field i (0-based, ':' separated) of an ARN into out; "" when missing. */
static void
arn_field(const char *arn, int i, char *out, size_t n)
{
	const char *p = arn;
	size_t len;

	out[0] = '\0';
	for (; i > 0 && p; i--) {
		p = strchr(p, ':');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return;
	len = strcspn(p, ":");
	snprintf(out, n, "%.*s", (int)len, p);
}

static void
touch_add(struct lp_ctx *c, const char *service, const char *type, const char *arn)
{
	struct lp_touch *t;

	if (c->n_touch == c->cap_touch) {
		c->cap_touch = c->cap_touch ? 2 * c->cap_touch : 16;
		c->touch = xrealloc(c->touch, c->cap_touch * sizeof(*c->touch));
	}
	t = &c->touch[c->n_touch++];
	t->service = xstrdup(service);
	t->type = xstrdup(type);
	t->arn = xstrdup(arn);
}

/* A resource and the ARNs IAM checks for it: a bucket's objects, a table's indexes and streams. */
static void
touch_arn(struct lp_ctx *c, const char *arn)
{
	char svc[64], rest[1100];
	const char *res;

	arn_field(arn, 2, svc, sizeof(svc));
	res = arn;
	for (int i = 0; i < 5 && res; i++) {
		res = strchr(res, ':');
		res = res ? res + 1 : NULL;
	}
	if (!res || !*svc)
		return;
	if (!strcmp(svc, "s3") && !strchr(res, '/')) {
		touch_add(c, svc, "bucket", arn);
		snprintf(rest, sizeof(rest), "%s/*", arn);
		touch_add(c, svc, "object", rest);
	} else if (!strcmp(svc, "dynamodb") && !strncmp(res, "table/", 6) &&
	           !strchr(res + 6, '/')) {
		touch_add(c, svc, "table", arn);
		snprintf(rest, sizeof(rest), "%s/index/*", arn);
		touch_add(c, svc, "index", rest);
		snprintf(rest, sizeof(rest), "%s/stream/*", arn);
		touch_add(c, svc, "stream", rest);
	} else if (!strcmp(svc, "dynamodb") && strstr(res, "/stream/")) {
		touch_add(c, svc, "stream", arn);
	} else if (!strcmp(svc, "sqs") || !strcmp(svc, "sns")) {
		touch_add(c, svc, !strcmp(svc, "sqs") ? "queue" : "topic", arn);
	} else if (!strcmp(svc, "lambda")) {
		touch_add(c, svc, "function", arn);
	} else {
		snprintf(rest, sizeof(rest), "%.*s", (int)strcspn(res, "/:"), res);
		touch_add(c, svc, rest, arn);
	}
}

static void
need_add(struct lp_ctx *c, const char *action, const char *arn, const char *why)
{
	size_t i = iam_catalog_index(action);
	struct lp_need *n;

	if (i == (size_t)-1)
		return;
	if (c->n_need == c->cap_need) {
		c->cap_need = c->cap_need ? 2 * c->cap_need : 16;
		c->need = xrealloc(c->need, c->cap_need * sizeof(*c->need));
	}
	n = &c->need[c->n_need++];
	n->action = i;
	n->arn = xstrdup(arn);
	n->why = xstrdup(why);
}

static void
needs_of(struct lp_ctx *c, const char *const *actions, const char *arn, const char *why)
{
	for (; *actions; actions++)
		need_add(c, *actions, arn, why);
	if (strcmp(arn, "*"))
		touch_arn(c, arn);
}

static const char *const log_actions[] = { "logs:CreateLogGroup", "logs:CreateLogStream",
	                                   "logs:PutLogEvents", NULL };
static const char *const eni_actions[] = { "ec2:CreateNetworkInterface",
	                                   "ec2:DescribeNetworkInterfaces",
	                                   "ec2:DescribeSubnets",
	                                   "ec2:DeleteNetworkInterface",
	                                   "ec2:AssignPrivateIpAddresses",
	                                   "ec2:UnassignPrivateIpAddresses",
	                                   NULL };
static const char *const xray_actions[] = { "xray:PutTraceSegments", "xray:PutTelemetryRecords",
	                                    "xray:GetSamplingRules", "xray:GetSamplingTargets",
	                                    NULL };
static const char *const sqs_source[] = { "sqs:ReceiveMessage", "sqs:DeleteMessage",
	                                  "sqs:GetQueueAttributes", NULL };
static const char *const ddb_source[] = { "dynamodb:DescribeStream", "dynamodb:GetRecords",
	                                  "dynamodb:GetShardIterator", "dynamodb:ListStreams",
	                                  NULL };
static const char *const kinesis_source[] = {
	"kinesis:DescribeStream",   "kinesis:DescribeStreamSummary",
	"kinesis:GetRecords",       "kinesis:GetShardIterator",
	"kinesis:ListShards",       "kinesis:ListStreams",
	"kinesis:SubscribeToShard", NULL
};
static const char *const kms_decrypt[] = { "kms:Decrypt", NULL };

/* The send a destination or dead-letter target of this service takes. */
static const char *const *
send_actions(const char *svc)
{
	static const char *const sqs[] = { "sqs:SendMessage", NULL };
	static const char *const sns[] = { "sns:Publish", NULL };
	static const char *const fn[] = { "lambda:InvokeFunction", NULL };
	static const char *const bus[] = { "events:PutEvents", NULL };
	static const char *const s3[] = { "s3:PutObject", "s3:ListBucket", NULL };

	if (!strcmp(svc, "sqs"))
		return sqs;
	if (!strcmp(svc, "sns"))
		return sns;
	if (!strcmp(svc, "lambda"))
		return fn;
	if (!strcmp(svc, "events"))
		return bus;
	return !strcmp(svc, "s3") ? s3 : NULL;
}

static void
need_send(struct lp_ctx *c, const char *target, const char *why)
{
	char svc[64];
	const char *const *acts;

	if (!target)
		return;
	arn_field(target, 2, svc, sizeof(svc));
	acts = send_actions(svc);
	if (acts)
		needs_of(c, acts, target, why);
}

static void
need_source(struct lp_ctx *c, const char *source, const char *why)
{
	char svc[64], table[1100];
	const char *stream;

	if (!source)
		return;
	arn_field(source, 2, svc, sizeof(svc));
	if (!strcmp(svc, "sqs")) {
		needs_of(c, sqs_source, source, why);
	} else if (!strcmp(svc, "kinesis")) {
		needs_of(c, kinesis_source, source, why);
	} else if (!strcmp(svc, "dynamodb")) {
		stream = strstr(source, "/stream/");
		if (stream) { /* the stream is what the poller reads; ListStreams takes none */
			needs_of(c, ddb_source, source, why);
			return;
		}
		snprintf(table, sizeof(table), "%s/stream/*", source);
		needs_of(c, ddb_source, table, why);
	}
}

static void
needs_of_config(struct lp_ctx *c, const struct am_res *fn)
{
	const cJSON *a = fn->attrs, *it, *subnets = json_path(a, "VpcConfig.SubnetIds");
	const char *group = json_str(a, "LoggingConfig.LogGroup"), *mode;
	char part[32], region[32], account[32], arn[1100], why[512];

	arn_field(fn->arn, 1, part, sizeof(part));
	arn_field(fn->arn, 3, region, sizeof(region));
	arn_field(fn->arn, 4, account, sizeof(account));
	snprintf(why, sizeof(why), "log group of %s", fn->name);
	/* IAM checks the group as NAME for CreateLogGroup and NAME:* for its streams */
	snprintf(arn, sizeof(arn), "arn:%s:logs:%s:%s:log-group:%s%s", part, region, account,
	         group ? group : "/aws/lambda/", group ? "" : fn->name);
	needs_of(c, log_actions, arn, why);
	touch_add(c, "logs", "log-group", arn);
	snprintf(arn + strlen(arn), sizeof(arn) - strlen(arn), ":*");
	needs_of(c, log_actions, arn, why);
	touch_add(c, "logs", "log-stream", arn);
	if (cJSON_GetArraySize(subnets) > 0) {
		snprintf(why, sizeof(why), "network interfaces of %s in its VPC", fn->name);
		needs_of(c, eni_actions, "*", why);
	}
	mode = json_str(a, "TracingConfig.Mode");
	if (mode && !strcmp(mode, "Active")) {
		snprintf(why, sizeof(why), "active X-Ray tracing of %s", fn->name);
		needs_of(c, xray_actions, "*", why);
	}
	snprintf(why, sizeof(why), "KMSKeyArn of %s (environment encryption)", fn->name);
	if (json_str(a, "KMSKeyArn"))
		needs_of(c, kms_decrypt, json_str(a, "KMSKeyArn"), why);
	snprintf(why, sizeof(why), "dead-letter target of %s", fn->name);
	need_send(c, json_str(a, "DeadLetterConfig.TargetArn"), why);
	snprintf(why, sizeof(why), "async destination of %s", fn->name);
	cJSON_ArrayForEach(it, json_path(a, "EventInvokeConfigs"))
	{
		need_send(c, json_str(it, "DestinationConfig.OnSuccess.Destination"), why);
		need_send(c, json_str(it, "DestinationConfig.OnFailure.Destination"), why);
	}
	snprintf(why, sizeof(why), "event source of %s", fn->name);
	cJSON_ArrayForEach(it, json_path(a, "EventSourceMappings"))
	{
		need_source(c, json_str(it, "EventSourceArn"), why);
		need_send(c, json_str(it, "DestinationConfig.OnFailure.Destination"), why);
	}
}

static void
needs_of_edges(struct lp_ctx *c, const struct am_res *fn)
{
	const struct amodel *m = c->m;
	char why[512];
	size_t i;

	for (i = 0; i < fn->n_out; i++) {
		const struct am_edge *e = &m->edges[fn->out[i]];

		if (e->kind == MODEL_EDGE_READS || e->kind == MODEL_EDGE_WRITES)
			touch_arn(c, e->dst);
		snprintf(why, sizeof(why), "destination of %s", fn->name);
		if (e->kind == MODEL_EDGE_INVOKES)
			need_send(c, e->dst, why);
	}
	for (i = 0; i < fn->n_in; i++) {
		const struct am_edge *e = &m->edges[fn->in[i]];

		if (e->kind != MODEL_EDGE_TRIGGERS || strncmp(e->src, "arn:", 4))
			continue;
		snprintf(why, sizeof(why), "event source of %s", fn->name);
		/* S3, SNS, EventBridge and API triggers push: only pulled sources need the role */
		need_source(c, e->src, why);
		touch_arn(c, e->src);
	}
}

static int
by_arn(const void *a, const void *b)
{
	const struct am_res *const *x = a, *const *y = b;

	return strcmp((*x)->arn, (*y)->arn);
}

static int
wanted(const struct lp_input *in, const struct am_res *r)
{
	size_t i;
	const char *role = json_str(r->attrs, "Role");

	if (r->kind != MODEL_FUNCTION || !role || strcmp(role, in->role->arn))
		return 0;
	if (!in->functions)
		return 1;
	for (i = 0; i < in->n_functions; i++)
		if (!strcmp(in->functions[i], r->arn))
			return 1;
	return 0;
}

void
lp_gather(struct lp_ctx *c, const struct lp_input *in)
{
	size_t i;

	c->fns = xcalloc(in->m->n_res + 1, sizeof(*c->fns));
	for (i = 0; i < in->m->n_res; i++)
		if (wanted(in, &in->m->res[i]))
			c->fns[c->n_fns++] = &in->m->res[i];
	qsort(c->fns, c->n_fns, sizeof(*c->fns), by_arn);
	for (i = 0; i < c->n_fns; i++) {
		needs_of_config(c, c->fns[i]);
		needs_of_edges(c, c->fns[i]);
	}
}

void
lp_gather_release(struct lp_ctx *c)
{
	size_t i;

	for (i = 0; i < c->n_touch; i++) {
		free(c->touch[i].service);
		free(c->touch[i].type);
		free(c->touch[i].arn);
	}
	for (i = 0; i < c->n_need; i++) {
		free(c->need[i].arn);
		free(c->need[i].why);
	}
	free(c->touch);
	free(c->need);
	free(c->fns);
}

int
lp_action_any_resource(const struct iam_action *a)
{
	return !a->resource_types || !a->resource_types[0];
}

int
lp_action_takes(const struct iam_action *a, const char *type)
{
	const char *p = a->resource_types;
	size_t n = strlen(type);

	while (p && *p) {
		size_t len = strcspn(p, ",");
		size_t name = len && p[len - 1] == '*' ? len - 1 : len;

		if (name == n && !strncmp(p, type, n))
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}
