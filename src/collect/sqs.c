/*
 * SQS: ListQueues (query protocol 2012-11-05, paged by NextToken), then
 * GetQueueAttributes All per queue. A queue is known by its QueueArn; its
 * attrs hold the URL and the attribute map under "Attributes". A queue
 * whose attributes cannot be read is kept as listed (ARN from its URL).
 * --quick: only ListQueues; a queue read before keeps its attributes.
 */
#include "collect/collectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/svc_int.h"
#include "collect/svc_parse.h"
#include "util/json.h"

static void sqs_list(struct collect_scan *scan, const char *region, const char *token);

/*
 * The queue's ARN from its URL's path, /ACCOUNT/NAME, and the region; the
 * name's offset in url, or NULL when the URL has no such path.
 */
static const char *
sqs_arn(const char *region, const char *url, char *arn, size_t n)
{
	const char *name = strrchr(url, '/'), *acct;

	if (!name || name == url || !name[1])
		return NULL;
	for (acct = name - 1; acct > url && *acct != '/'; acct--)
		;
	if (*acct != '/' || acct + 1 == name)
		return NULL;
	snprintf(arn, n, "arn:aws:sqs:%s:%.*s:%s", region, (int)(name - acct - 1), acct + 1,
	         name + 1);
	return name + 1;
}

/* A queue whose attributes could not be read is kept: listed, not read. */
static void
sqs_keep_listed(struct collect_scan *scan, const char *region, const char *url)
{
	char arn[512];
	const char *name = sqs_arn(region, url, arn, sizeof(arn));
	cJSON *attrs;

	if (!name)
		return;
	attrs = cJSON_CreateObject();
	cJSON_AddStringToObject(attrs, "QueueUrl", url);
	collect_resource(scan, MODEL_QUEUE, arn, name, region, attrs);
}

/* --quick: a queue read by the previous scan keeps its attributes. */
static int
sqs_reuse(struct collect_scan *scan, const char *region, const char *url)
{
	static const char *const needed[] = { "Attributes", NULL };
	char arn[512];
	const char *name = sqs_arn(region, url, arn, sizeof(arn));
	cJSON *prev = name ? svc_reuse(scan, arn, needed) : NULL;

	if (!prev)
		return 0;
	collect_resource(scan, MODEL_QUEUE, arn, name, region, prev);
	return 1;
}

static void
sqs_attrs_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
               const struct err *err)
{
	struct svc_call *c = user;
	struct err perr;
	cJSON *map = NULL, *attrs;
	const char *arn;

	err_clear(&perr);
	if (svc_is_code(err, "AWS.SimpleQueueService.NonExistentQueue") ||
	    svc_is_code(err, "QueueDoesNotExist"))
		goto out; /* deleted since it was listed */
	if (svc_failed(scan, err, "sqs", c->region, "GetQueueAttributes", NULL)) {
		sqs_keep_listed(scan, c->region, c->name);
		goto out;
	}
	if (collect_sqs_parse_attributes(ans->body, ans->body_len, &map, &perr)) {
		svc_parse_gap(scan, &perr, "sqs", c->region, "GetQueueAttributes", c->name);
		sqs_keep_listed(scan, c->region, c->name);
		goto out;
	}
	arn = json_str(map, "QueueArn");
	if (!arn) {
		err_set(&perr, ERR_PARSE, "no QueueArn in the attributes");
		svc_parse_gap(scan, &perr, "sqs", c->region, "GetQueueAttributes", c->name);
		cJSON_Delete(map);
		sqs_keep_listed(scan, c->region, c->name);
		goto out;
	}
	attrs = cJSON_CreateObject();
	cJSON_AddStringToObject(attrs, "QueueUrl", c->name);
	cJSON_AddItemToObject(attrs, "Attributes", map);
	/* the name is the last part of the ARN: arn:aws:sqs:REGION:ACCOUNT:NAME */
	collect_resource(scan, MODEL_QUEUE, arn, strrchr(arn, ':') + 1, c->region, attrs);
out:
	svc_call_free(c);
}

static void
sqs_list_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
              const struct err *err)
{
	struct svc_call *c = user;
	struct err perr;
	cJSON *urls = NULL;
	const cJSON *u;
	char *next = NULL;

	err_clear(&perr);
	if (svc_failed(scan, err, "sqs", c->region, "ListQueues", NULL))
		goto out;
	if (collect_sqs_parse_list(ans->body, ans->body_len, &urls, &next, &perr)) {
		svc_parse_gap(scan, &perr, "sqs", c->region, "ListQueues", NULL);
		goto out;
	}
	cJSON_ArrayForEach(u, urls)
	{
		static const char *const fixed[] = { "AttributeName.1", "All" };
		struct svc_call *a = svc_call_new(c->region, NULL, u->valuestring);
		const char *params[] = { "QueueUrl", u->valuestring, fixed[0], fixed[1], NULL };

		if (sqs_reuse(scan, c->region, u->valuestring)) {
			svc_call_free(a);
			continue;
		}
		if (collect_call_query(scan, "sqs", "GetQueueAttributes", c->region, params,
		                       sqs_attrs_done, a))
			svc_call_free(a);
	}
	if (next)
		sqs_list(scan, c->region, next);
out:
	cJSON_Delete(urls);
	free(next);
	svc_call_free(c);
}

static void
sqs_list(struct collect_scan *scan, const char *region, const char *token)
{
	struct svc_call *c = svc_call_new(region, NULL, NULL);
	const char *params[] = { "MaxResults", "1000", token ? "NextToken" : NULL, token, NULL };

	if (collect_call_query(scan, "sqs", "ListQueues", region, params, sqs_list_done, c))
		svc_call_free(c);
}

void
collect_sqs_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	if (phase != COLLECT_PHASE_LIST || !region)
		return;
	sqs_list(scan, region, NULL);
}
