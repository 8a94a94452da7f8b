/*
 * SNS: ListTopics (paged by NextToken), then per topic GetTopicAttributes
 * (attrs "Attributes") and ListSubscriptionsByTopic (attrs
 * "Subscriptions"; a lambda subscription is a trigger edge topic ->
 * function; HTTP(S) endpoints are stored redacted past the host).
 * --quick: only ListTopics; a topic read before keeps what was read.
 */
#include "collect/collectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/svc_int.h"
#include "collect/svc_parse.h"
#include "util/json.h"

static void sns_list(struct collect_scan *scan, const char *region, const char *token);
static void sns_subs(struct collect_scan *scan, const char *region, const char *topic,
                     const char *token);

/* A lambda subscription is a trigger edge topic -> function. */
static void
sns_sub_edges(struct collect_scan *scan, const char *topic, const cJSON *subs)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, subs)
	{
		const char *proto = json_str(s, "Protocol");
		const char *sub = json_str(s, "SubscriptionArn");
		char fn[512];

		if (proto && !strcmp(proto, "lambda") &&
		    collect_function_arn(json_str(s, "Endpoint"), fn, sizeof(fn)))
			collect_edge(scan, topic, fn, MODEL_EDGE_TRIGGERS, "SNS subscription %s",
			             sub ? sub : "");
	}
}

/*
 * An HTTP(S) subscription's URL may carry a token (a webhook's path, a
 * query key, user:password@): only scheme and host are kept as they are,
 * the rest is redacted (collect_redact). Other endpoints are kept.
 */
static void
sns_redact_endpoint(cJSON *sub)
{
	const char *url = json_str(sub, "Endpoint"), *host, *rest, *at;
	char red[128], out[600];

	if (!url || (strncmp(url, "https://", 8) && strncmp(url, "http://", 7)))
		return;
	host = strstr(url, "://") + 3;
	rest = host + strcspn(host, "/?#");
	at = memchr(host, '@', (size_t)(rest - host));
	if (at)
		host = at + 1; /* never keep user:password */
	collect_redact(*rest ? rest : "", red, sizeof(red));
	snprintf(out, sizeof(out), "%.*s%.*s%s", (int)(strstr(url, "://") + 3 - url), url,
	         (int)(rest - host), host, *rest ? red : "");
	cJSON_ReplaceItemInObjectCaseSensitive(sub, "Endpoint", cJSON_CreateString(out));
}

static void
sns_attrs_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
               const struct err *err)
{
	struct svc_call *c = user;
	struct err perr;
	cJSON *map = NULL, *attrs;

	err_clear(&perr);
	if (svc_failed(scan, err, "sns", c->region, "GetTopicAttributes", "NotFound"))
		goto out;
	if (collect_sns_parse_attributes(ans->body, ans->body_len, &map, &perr)) {
		svc_parse_gap(scan, &perr, "sns", c->region, "GetTopicAttributes", c->arn);
		goto out;
	}
	attrs = collect_attrs(scan, c->arn);
	if (attrs)
		cJSON_AddItemToObject(attrs, "Attributes", map);
	else
		cJSON_Delete(map);
out:
	svc_call_free(c);
}

static void
sns_subs_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
              const struct err *err)
{
	struct svc_call *c = user;
	struct err perr;
	cJSON *subs = NULL, *attrs, *list;
	char *next = NULL;

	err_clear(&perr);
	if (svc_failed(scan, err, "sns", c->region, "ListSubscriptionsByTopic", "NotFound"))
		goto out;
	if (collect_sns_parse_subscriptions(ans->body, ans->body_len, &subs, &next, &perr)) {
		svc_parse_gap(scan, &perr, "sns", c->region, "ListSubscriptionsByTopic", c->arn);
		goto out;
	}
	sns_sub_edges(scan, c->arn, subs);
	attrs = collect_attrs(scan, c->arn);
	list = attrs ? cJSON_GetObjectItemCaseSensitive(attrs, "Subscriptions") : NULL;
	if (attrs && !list)
		list = cJSON_AddArrayToObject(attrs, "Subscriptions");
	while (list && subs && subs->child) {
		cJSON *item = cJSON_DetachItemViaPointer(subs, subs->child);

		sns_redact_endpoint(item);
		cJSON_AddItemToArray(list, item);
	}
	if (next)
		sns_subs(scan, c->region, c->arn, next);
out:
	cJSON_Delete(subs);
	free(next);
	svc_call_free(c);
}

static void
sns_subs(struct collect_scan *scan, const char *region, const char *topic, const char *token)
{
	struct svc_call *c = svc_call_new(region, topic, NULL);
	const char *params[] = { "TopicArn", topic, token ? "NextToken" : NULL, token, NULL };

	if (collect_call_query(scan, "sns", "ListSubscriptionsByTopic", region, params,
	                       sns_subs_done, c))
		svc_call_free(c);
}

static void
sns_topic(struct collect_scan *scan, const char *region, const char *arn)
{
	static const char *const needed[] = { "Attributes", "Subscriptions", NULL };
	struct svc_call *c;
	const char *params[] = { "TopicArn", arn, NULL };
	cJSON *prev = svc_reuse(scan, arn, needed);

	if (prev) { /* --quick: the previous scan's attributes and subscriptions */
		prev = collect_resource(scan, MODEL_TOPIC, arn, strrchr(arn, ':') + 1, region,
		                        prev);
		sns_sub_edges(scan, arn, cJSON_GetObjectItemCaseSensitive(prev, "Subscriptions"));
		return;
	}
	collect_resource(scan, MODEL_TOPIC, arn, strrchr(arn, ':') + 1, region,
	                 cJSON_CreateObject());
	c = svc_call_new(region, arn, NULL);
	if (collect_call_query(scan, "sns", "GetTopicAttributes", region, params, sns_attrs_done,
	                       c))
		svc_call_free(c);
	sns_subs(scan, region, arn, NULL);
}

static void
sns_list_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
              const struct err *err)
{
	struct svc_call *c = user;
	struct err perr;
	cJSON *arns = NULL;
	const cJSON *a;
	char *next = NULL;

	err_clear(&perr);
	if (svc_failed(scan, err, "sns", c->region, "ListTopics", NULL))
		goto out;
	if (collect_sns_parse_topics(ans->body, ans->body_len, &arns, &next, &perr)) {
		svc_parse_gap(scan, &perr, "sns", c->region, "ListTopics", NULL);
		goto out;
	}
	cJSON_ArrayForEach(a, arns)
	{
		if (strchr(a->valuestring, ':'))
			sns_topic(scan, c->region, a->valuestring);
	}
	if (next)
		sns_list(scan, c->region, next);
out:
	cJSON_Delete(arns);
	free(next);
	svc_call_free(c);
}

static void
sns_list(struct collect_scan *scan, const char *region, const char *token)
{
	struct svc_call *c = svc_call_new(region, NULL, NULL);
	const char *params[] = { token ? "NextToken" : NULL, token, NULL };

	if (collect_call_query(scan, "sns", "ListTopics", region, params, sns_list_done, c))
		svc_call_free(c);
}

void
collect_sns_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	if (phase != COLLECT_PHASE_LIST || !region)
		return;
	sns_list(scan, region, NULL);
}
