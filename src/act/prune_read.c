/*
 * prune's state from the account (act/prune.h), read without the cache so
 * that a restore can read it too:
 *   Lambda   GetFunction (gone: ResourceNotFoundException), GetPolicy,
 *            GetFunctionUrlConfig, ListFunctionEventInvokeConfigs,
 *            ListVersionsByFunction, ListAliases, ListEventSourceMappings
 *            (FunctionName=NAME; every page)
 *   Events   ListEventBuses, then on each bus ListRuleNamesByTarget (the
 *            function's ARN) and ListTargetsByRule for each rule named
 *   S3       GetBucketNotificationConfiguration of each bucket the plan's
 *            states name, in the bucket's region
 *   SNS      ListSubscriptions (every page), those whose Endpoint is the function
 * Limits: ListRuleNamesByTarget is asked about the unqualified ARN (a rule
 * targeting an alias only is not found); SNS and EventBridge are read in
 * the function's region.
 */
#include "act/prune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/call.h"
#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/xmalloc.h"
#include "util/xml.h"

#define PAGES_MAX 1000 /* a listing longer than this many pages is an error, not a hang */

struct reader {
	struct aws_client *c;
	const char *region, *name, *fn_arn;
};

/* A Lambda GET of path (fmt's %s the function's name) with query; NULL answer when absent. */
static int
lambda_get(const struct reader *rd, const char *operation, const char *fmt, const char *query,
           int optional, cJSON **answer, struct err *err)
{
	cJSON *call = act_call_new("lambda", operation);
	struct err e = { 0 };
	int rc = act_call_path(call, "GET", fmt, rd->name, &e);

	*answer = NULL;
	if (!rc && query && *query)
		cJSON_AddStringToObject(call, "query", query);
	if (!rc)
		rc = act_call_json(rd->c, rd->region, call, answer, &e);
	cJSON_Delete(call);
	if (rc && optional && act_err_is(&e, "ResourceNotFoundException"))
		return 0;
	if (rc && err)
		*err = e;
	return rc;
}

/* Appends "&name=value" (value URI-encoded) to q. */
static void
query_add(struct buf *q, const char *name, const char *value)
{
	buf_printf(q, "%s%s=", q->len ? "&" : "", name);
	aws_uri_encode(q, value, strlen(value), 0);
}

/* Every page of a Lambda listing (Marker / NextMarker): the items of member into out. */
static int
lambda_list(const struct reader *rd, const char *operation, const char *fmt, const char *filter,
            const char *member, int optional, cJSON *out, struct err *err)
{
	char *marker = NULL;
	int rc = 0, pages = 0;

	do {
		struct buf q;
		cJSON *ans = NULL, *item;

		buf_init(&q, 4096);
		if (filter)
			query_add(&q, "FunctionName", filter);
		if (marker)
			query_add(&q, "Marker", marker);
		free(marker);
		marker = NULL;
		rc = lambda_get(rd, operation, fmt, buf_cstr(&q), optional, &ans, err);
		buf_release(&q);
		while (!rc && ans &&
		       (item = cJSON_DetachItemFromArray(
		                cJSON_GetObjectItemCaseSensitive(ans, member), 0)))
			cJSON_AddItemToArray(out, item);
		if (!rc && json_str(ans, "NextMarker") && *json_str(ans, "NextMarker"))
			marker = xstrdup(json_str(ans, "NextMarker"));
		cJSON_Delete(ans);
	} while (!rc && marker && ++pages < PAGES_MAX);
	if (!rc && marker)
		rc = err_set(err, ERR_LIMIT, "%s: more than %d pages", operation, PAGES_MAX);
	free(marker);
	return rc;
}

/* The function's own parts: configuration, policy, URL, async settings, versions, aliases. */
static int
read_function(const struct reader *rd, cJSON *parts, cJSON **gf, struct err *err)
{
	cJSON *a = NULL;
	int rc = lambda_get(rd, "GetFunction", "/2015-03-31/functions/%s", NULL, 1, gf, err);

	if (rc || !*gf)
		return rc;
	rc = lambda_get(rd, "GetPolicy", "/2015-03-31/functions/%s/policy", NULL, 1, &a, err);
	if (a)
		cJSON_AddItemToObject(parts, "Policy", a);
	if (!rc)
		rc = lambda_get(rd, "GetFunctionUrlConfig", "/2021-10-31/functions/%s/url", NULL, 1,
		                &a, err);
	if (!rc && a)
		cJSON_AddItemToObject(parts, "Url", a);
	if (!rc)
		rc = lambda_list(rd, "ListFunctionEventInvokeConfigs",
		                 "/2019-09-25/functions/%s/event-invoke-config/list", NULL,
		                 "FunctionEventInvokeConfigs", 0,
		                 cJSON_AddArrayToObject(parts, "EventInvokeConfigs"), err);
	if (!rc)
		rc = lambda_list(rd, "ListVersionsByFunction", "/2015-03-31/functions/%s/versions",
		                 NULL, "Versions", 0, cJSON_AddArrayToObject(parts, "Versions"),
		                 err);
	if (!rc)
		rc = lambda_list(rd, "ListAliases", "/2015-03-31/functions/%s/aliases", NULL,
		                 "Aliases", 0, cJSON_AddArrayToObject(parts, "Aliases"), err);
	return rc;
}

/* ---- EventBridge: JSON protocol, NextToken in the body */

static int
events_pages(const struct reader *rd, const char *operation, const cJSON *params,
             const char *member, cJSON *out, struct err *err)
{
	char *token = NULL;
	int rc = 0, pages = 0;

	do {
		cJSON *call = act_call_new("events", operation), *ans = NULL, *item;
		cJSON *body = cJSON_Duplicate(params, 1);

		if (token)
			cJSON_AddStringToObject(body, "NextToken", token);
		free(token);
		token = NULL;
		cJSON_AddItemToObject(call, "body", body);
		rc = act_call_json(rd->c, rd->region, call, &ans, err);
		cJSON_Delete(call);
		while (!rc && (item = cJSON_DetachItemFromArray(
		                       cJSON_GetObjectItemCaseSensitive(ans, member), 0)))
			cJSON_AddItemToArray(out, item);
		if (!rc && json_str(ans, "NextToken") && *json_str(ans, "NextToken"))
			token = xstrdup(json_str(ans, "NextToken"));
		cJSON_Delete(ans);
	} while (!rc && token && ++pages < PAGES_MAX);
	if (!rc && token)
		rc = err_set(err, ERR_LIMIT, "%s: more than %d pages", operation, PAGES_MAX);
	free(token);
	return rc;
}

/* The targets of one rule that are the function, into state; the full ones into full. */
static int
read_rule(const struct reader *rd, const char *bus, const char *rule, cJSON *state, cJSON *full,
          struct err *err)
{
	cJSON *params = cJSON_CreateObject(), *targets = cJSON_CreateArray(), *mine, *t;
	char key[600];
	int rc;

	cJSON_AddStringToObject(params, "Rule", rule);
	cJSON_AddStringToObject(params, "EventBusName", bus);
	rc = events_pages(rd, "ListTargetsByRule", params, "Targets", targets, err);
	if (!rc) {
		prune_add_rule_targets(state, bus, rule, targets);
		prune_rule_key(bus, rule, key, sizeof(key));
		mine = cJSON_CreateArray();
		cJSON_ArrayForEach(t, targets)
		{
			if (prune_is_function(json_str(t, "Arn"), rd->fn_arn))
				cJSON_AddItemToArray(mine, cJSON_Duplicate(t, 1));
		}
		if (full && cJSON_GetArraySize(mine))
			cJSON_AddItemToObject(full, key, mine);
		else
			cJSON_Delete(mine);
	}
	cJSON_Delete(params);
	cJSON_Delete(targets);
	return rc;
}

static int
read_events(const struct reader *rd, cJSON *state, cJSON *full, struct err *err)
{
	cJSON *buses = cJSON_CreateArray(), *none = cJSON_CreateObject();
	const cJSON *b;
	int rc = events_pages(rd, "ListEventBuses", none, "EventBuses", buses, err);

	cJSON_ArrayForEach(b, buses)
	{
		cJSON *params = cJSON_CreateObject(), *names = cJSON_CreateArray();
		const cJSON *n;
		const char *bus = json_str(b, "Name");

		if (rc || !bus) {
			cJSON_Delete(params);
			cJSON_Delete(names);
			continue;
		}
		cJSON_AddStringToObject(params, "TargetArn", rd->fn_arn);
		cJSON_AddStringToObject(params, "EventBusName", bus);
		rc = events_pages(rd, "ListRuleNamesByTarget", params, "RuleNames", names, err);
		cJSON_ArrayForEach(n, names)
		{
			if (!rc && cJSON_IsString(n))
				rc = read_rule(rd, bus, n->valuestring, state, full, err);
		}
		cJSON_Delete(params);
		cJSON_Delete(names);
	}
	cJSON_Delete(buses);
	cJSON_Delete(none);
	return rc;
}

/* ---- S3: the notification configuration, parsed as the collector does */

static void
notif_list(cJSON *out, const struct xml_node *root, const char *elem, const char *arn_elem,
           const char *member, const char *arn_member)
{
	const struct xml_node *c, *e, *r;
	cJSON *arr = NULL;

	for (c = xml_child(root, elem); c; c = xml_next_same(c)) {
		cJSON *o = cJSON_CreateObject(), *events;

		if (xml_text(c, "Id"))
			cJSON_AddStringToObject(o, "Id", xml_text(c, "Id"));
		if (xml_text(c, arn_elem))
			cJSON_AddStringToObject(o, arn_member, xml_text(c, arn_elem));
		events = cJSON_AddArrayToObject(o, "Events");
		for (e = xml_child(c, "Event"); e; e = xml_next_same(e))
			cJSON_AddItemToArray(events, cJSON_CreateString(e->text));
		if (xml_child(c, "Filter")) {
			cJSON *rules = cJSON_AddArrayToObject(
			        cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "Filter"),
			                                "Key"),
			        "FilterRules");

			for (r = xml_find(c, "Filter/S3Key/FilterRule"); r; r = xml_next_same(r)) {
				cJSON *ro = cJSON_CreateObject();

				if (xml_text(r, "Name"))
					cJSON_AddStringToObject(ro, "Name", xml_text(r, "Name"));
				if (xml_text(r, "Value"))
					cJSON_AddStringToObject(ro, "Value", xml_text(r, "Value"));
				cJSON_AddItemToArray(rules, ro);
			}
		}
		if (!arr)
			arr = cJSON_AddArrayToObject(out, member);
		cJSON_AddItemToArray(arr, o);
	}
}

static int
read_bucket(const struct reader *rd, const char *bucket, const char *region, cJSON *state,
            struct err *err)
{
	cJSON *call = act_call_new("s3", "GetBucketNotificationConfiguration"), *conf;
	struct xml_doc doc;
	int rc = act_call_path(call, "GET", "/%s", bucket, err);

	cJSON_AddStringToObject(call, "query", "notification");
	if (!rc)
		rc = act_call_xml(rd->c, region, call, &doc, err);
	cJSON_Delete(call);
	if (rc)
		return rc;
	conf = cJSON_CreateObject();
	notif_list(conf, doc.root, "CloudFunctionConfiguration", "CloudFunction",
	           "LambdaFunctionConfigurations", "LambdaFunctionArn");
	notif_list(conf, doc.root, "QueueConfiguration", "Queue", "QueueConfigurations",
	           "QueueArn");
	notif_list(conf, doc.root, "TopicConfiguration", "Topic", "TopicConfigurations",
	           "TopicArn");
	if (xml_child(doc.root, "EventBridgeConfiguration"))
		cJSON_AddObjectToObject(conf, "EventBridgeConfiguration");
	xml_doc_release(&doc);
	prune_add_bucket(state, bucket, region, conf);
	cJSON_Delete(conf);
	return 0;
}

/* The buckets the plan's before and after name (the same set; after is read when before is not). */
static int
read_buckets(const struct reader *rd, const cJSON *plan, cJSON *state, struct err *err)
{
	static const char *const sides[] = { "before.BucketNotifications",
		                             "after.BucketNotifications", NULL };
	cJSON *seen = cJSON_CreateObject();
	const cJSON *b;
	size_t i;
	int rc = 0;

	for (i = 0; sides[i]; i++) {
		cJSON_ArrayForEach(b, json_path(plan, sides[i]))
		{
			const char *name = json_str(b, "Bucket");

			if (rc || !name || cJSON_GetObjectItemCaseSensitive(seen, name))
				continue;
			cJSON_AddTrueToObject(seen, name);
			rc = read_bucket(rd, name, json_str(b, "Region") ?: rd->region, state, err);
		}
	}
	cJSON_Delete(seen);
	return rc;
}

/* ---- SNS: ListSubscriptions (query protocol, XML), every page */

static int
read_subscriptions(const struct reader *rd, cJSON *state, struct err *err)
{
	char *token = NULL;
	int rc = 0, pages = 0;

	do {
		cJSON *call = act_call_new("sns", "ListSubscriptions"), *subs = cJSON_CreateArray();
		const struct xml_node *m;
		struct xml_doc doc;
		const char *next;

		if (token)
			act_call_param(call, "NextToken", token);
		free(token);
		token = NULL;
		rc = act_call_xml(rd->c, rd->region, call, &doc, err);
		cJSON_Delete(call);
		if (rc) {
			cJSON_Delete(subs);
			break;
		}
		for (m = xml_find(doc.root, "ListSubscriptionsResult/Subscriptions/member"); m;
		     m = xml_next_same(m)) {
			static const char *const f[] = { "SubscriptionArn", "Protocol", "Endpoint",
				                         "TopicArn", NULL };
			cJSON *o = cJSON_CreateObject();
			size_t i;

			for (i = 0; f[i]; i++)
				if (xml_text(m, f[i]))
					cJSON_AddStringToObject(o, f[i], xml_text(m, f[i]));
			cJSON_AddItemToArray(subs, o);
		}
		next = xml_text(doc.root, "ListSubscriptionsResult/NextToken");
		if (next && *next)
			token = xstrdup(next);
		xml_doc_release(&doc);
		prune_add_subscriptions(state, subs);
		cJSON_Delete(subs);
	} while (!rc && token && ++pages < PAGES_MAX);
	if (!rc && token)
		rc = err_set(err, ERR_LIMIT, "ListSubscriptions: more than %d pages", PAGES_MAX);
	free(token);
	return rc;
}

/* ---- the whole state */

static cJSON *
state_from(const struct reader *rd, const cJSON *gf, const cJSON *parts, const cJSON *esms)
{
	struct prune_parts p = { .fn_arn = rd->fn_arn, .esms = esms };

	if (gf) {
		p.config = json_path(gf, "Configuration");
		p.tags = json_path(gf, "Tags");
		p.concurrency = json_path(gf, "Concurrency");
		p.policy = json_path(parts, "Policy.Policy");
		p.policy_rev = json_str(parts, "Policy.RevisionId");
		p.url = json_path(parts, "Url");
		p.eics = json_path(parts, "EventInvokeConfigs");
		p.versions = json_path(parts, "Versions");
		p.aliases = json_path(parts, "Aliases");
	}
	return prune_state_new(&p);
}

int
prune_read_raw(struct aws_client *c, const cJSON *plan, cJSON **state, cJSON *raw, char **location,
               struct err *err)
{
	struct reader rd = { .c = c,
		             .region = json_str(plan, "region"),
		             .name = json_str(plan, "target.name"),
		             .fn_arn = json_str(plan, "target.arn") };
	cJSON *gf = NULL, *parts = cJSON_CreateObject(), *esms = cJSON_CreateArray();
	cJSON *full = raw ? cJSON_CreateObject() : NULL;
	int rc;

	*state = NULL;
	if (location)
		*location = NULL;
	if (!rd.region || !rd.name || !rd.fn_arn) {
		cJSON_Delete(parts);
		cJSON_Delete(esms);
		cJSON_Delete(full);
		return err_set(err, ERR_USAGE, "the plan names no function to read");
	}
	rc = read_function(&rd, parts, &gf, err);
	if (!rc)
		rc = lambda_list(&rd, "ListEventSourceMappings",
		                 "/2015-03-31/event-source-mappings/", rd.name,
		                 "EventSourceMappings", 1, esms, err);
	if (!rc) {
		*state = state_from(&rd, gf, parts, esms);
		rc = read_events(&rd, *state, full, err);
	}
	if (!rc)
		rc = read_buckets(&rd, plan, *state, err);
	if (!rc)
		rc = read_subscriptions(&rd, *state, err);
	if (!rc) {
		prune_state_finish(*state);
	} else {
		cJSON_Delete(*state);
		*state = NULL;
	}
	if (!rc && raw) {
		if (gf && location && json_str(gf, "Code.Location"))
			*location = xstrdup(json_str(gf, "Code.Location"));
		/* the location is a presigned URL: short-lived, a credential while it lives */
		if (gf)
			cJSON_DeleteItemFromObjectCaseSensitive(
			        cJSON_GetObjectItemCaseSensitive(gf, "Code"), "Location");
		cJSON_AddItemToObject(raw, "GetFunction", gf ? gf : cJSON_CreateNull());
		gf = NULL;
		cJSON_AddItemToObject(raw, "Parts", parts);
		parts = NULL;
		cJSON_AddItemToObject(raw, "EventSourceMappings", esms);
		esms = NULL;
		cJSON_AddItemToObject(raw, "RuleTargets", full);
		full = NULL;
	}
	cJSON_Delete(gf);
	cJSON_Delete(parts);
	cJSON_Delete(esms);
	cJSON_Delete(full);
	return rc;
}

int
prune_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	return prune_read_raw(c, plan, state, NULL, NULL, err);
}
