/*
 * EventBridge: ListEventBuses (paged by NextToken), then per bus ListRules
 * (EventBusName; paged), then per rule ListTargetsByRule. A target that is
 * a function is a trigger edge rule -> function whose evidence is the
 * schedule expression or event pattern. Targets' constant Input and HTTP
 * header/query values are stored redacted.
 * --quick: the listings only; a rule's targets are those read before.
 */
#include "collect/collectors.h"

#include <stdlib.h>
#include <string.h>

#include "collect/svc_int.h"
#include "collect/svc_parse.h"
#include "util/json.h"

static void events_list(struct collect_scan *scan, const char *region, const char *bus,
                        const char *token);
static void events_targets(struct collect_scan *scan, const char *region, const char *arn,
                           const char *name, const char *bus, const char *token);

/* The bus a call is about travels in c->data as a string ("default" for the default bus). */
static const char *
call_bus(const struct svc_call *c)
{
	return cJSON_IsString(c->data) ? c->data->valuestring : "default";
}

/* A target that is a function: a trigger edge whose evidence is the schedule or pattern. */
static void
events_target_edges(struct collect_scan *scan, const char *rule, const cJSON *attrs,
                    const cJSON *targets)
{
	const char *sched = attrs ? json_str(attrs, "ScheduleExpression") : NULL;
	const char *pattern = attrs ? json_str(attrs, "EventPattern") : NULL;
	const cJSON *t;

	cJSON_ArrayForEach(t, targets)
	{
		char fn[512];

		if (collect_function_arn(json_str(t, "Arn"), fn, sizeof(fn)))
			collect_edge(scan, rule, fn, MODEL_EDGE_TRIGGERS, "EventBridge rule %s %s",
			             sched ? "schedule" : "pattern",
			             sched ? sched : (pattern ? pattern : ""));
	}
}

/*
 * A target as stored: a constant Input, and the header and query values an
 * HTTP target sends, may carry secrets and are redacted (collect_redact).
 */
static cJSON *
events_target_safe(const cJSON *t)
{
	cJSON *c = cJSON_Duplicate(t, 1);
	cJSON *http = cJSON_GetObjectItemCaseSensitive(c, "HttpParameters");

	svc_redact_member(c, "Input");
	svc_redact_values(cJSON_GetObjectItemCaseSensitive(http, "HeaderParameters"), NULL);
	svc_redact_values(cJSON_GetObjectItemCaseSensitive(http, "QueryStringParameters"), NULL);
	return c;
}

static void
events_targets_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                    const struct err *err)
{
	struct svc_call *c = user;
	cJSON *j = NULL, *attrs, *list;
	const cJSON *t;
	const char *next;

	if (svc_failed(scan, err, "events", c->region, "ListTargetsByRule",
	               "ResourceNotFoundException"))
		goto out;
	j = svc_json(scan, ans, "events", c->region, "ListTargetsByRule", c->arn);
	if (!j)
		goto out;
	attrs = collect_attrs(scan, c->arn);
	list = attrs ? cJSON_GetObjectItemCaseSensitive(attrs, "Targets") : NULL;
	if (attrs && !list)
		list = cJSON_AddArrayToObject(attrs, "Targets");
	events_target_edges(scan, c->arn, attrs, cJSON_GetObjectItemCaseSensitive(j, "Targets"));
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(j, "Targets"))
	{
		if (list)
			cJSON_AddItemToArray(list, events_target_safe(t));
	}
	next = json_str(j, "NextToken");
	if (next && *next)
		events_targets(scan, c->region, c->arn, c->name, call_bus(c), next);
out:
	cJSON_Delete(j);
	svc_call_free(c);
}

static void
events_targets(struct collect_scan *scan, const char *region, const char *arn, const char *name,
               const char *bus, const char *token)
{
	struct svc_call *c = svc_call_new(region, arn, name);
	cJSON *body = cJSON_CreateObject();

	c->data = cJSON_CreateString(bus ? bus : "default");
	cJSON_AddStringToObject(body, "Rule", name);
	if (bus && strcmp(bus, "default"))
		cJSON_AddStringToObject(body, "EventBusName", bus);
	if (token)
		cJSON_AddStringToObject(body, "NextToken", token);
	if (collect_call_json(scan, "events", "ListTargetsByRule", region, body,
	                      events_targets_done, c))
		svc_call_free(c);
	cJSON_Delete(body);
}

static void
events_list_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                 const struct err *err)
{
	struct svc_call *c = user;
	cJSON *j = NULL;
	const cJSON *r;
	const char *next;

	if (svc_failed(scan, err, "events", c->region, "ListRules", NULL))
		goto out;
	j = svc_json(scan, ans, "events", c->region, "ListRules", NULL);
	if (!j)
		goto out;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(j, "Rules"))
	{
		const char *arn = json_str(r, "Arn"), *name = json_str(r, "Name");

		if (!arn || !name)
			continue;
		static const char *const needed[] = { "Targets", NULL };
		cJSON *prev = svc_reuse(scan, arn, needed), *attrs;

		attrs = collect_resource(scan, MODEL_RULE, arn, name, c->region,
		                         cJSON_Duplicate(r, 1));
		if (!prev) {
			events_targets(scan, c->region, arn, name, call_bus(c), NULL);
			continue;
		}
		/* --quick: the rule as listed now, its targets as the previous scan read them */
		cJSON_AddItemToObject(attrs, "Targets",
		                      cJSON_DetachItemFromObjectCaseSensitive(prev, "Targets"));
		cJSON_Delete(prev);
		events_target_edges(scan, arn, attrs,
		                    cJSON_GetObjectItemCaseSensitive(attrs, "Targets"));
	}
	next = json_str(j, "NextToken");
	if (next && *next)
		events_list(scan, c->region, call_bus(c), next);
out:
	cJSON_Delete(j);
	svc_call_free(c);
}

static void
events_list(struct collect_scan *scan, const char *region, const char *bus, const char *token)
{
	struct svc_call *c = svc_call_new(region, NULL, NULL);
	cJSON *body = cJSON_CreateObject();

	c->data = cJSON_CreateString(bus ? bus : "default");
	if (bus && strcmp(bus, "default"))
		cJSON_AddStringToObject(body, "EventBusName", bus);
	if (token)
		cJSON_AddStringToObject(body, "NextToken", token);
	if (collect_call_json(scan, "events", "ListRules", region, body, events_list_done, c))
		svc_call_free(c);
	cJSON_Delete(body);
}

static void buses_list(struct collect_scan *scan, const char *region, const char *token, int pages);

static void
buses_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
           const struct err *err)
{
	struct svc_call *c = user;
	cJSON *j = NULL;
	const cJSON *b;
	const char *next;

	if (svc_failed(scan, err, "events", c->region, "ListEventBuses", NULL)) {
		events_list(scan, c->region, "default", NULL); /* the default bus always exists */
		goto out;
	}
	j = svc_json(scan, ans, "events", c->region, "ListEventBuses", NULL);
	if (!j)
		goto out;
	cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(j, "EventBuses"))
	{
		const char *name = json_str(b, "Name");

		if (name && *name)
			events_list(scan, c->region, name, NULL);
	}
	next = json_str(j, "NextToken");
	if (next && *next && c->pages + 1 < 100) /* bounds a hostile NextToken loop */
		buses_list(scan, c->region, next, c->pages + 1);
out:
	cJSON_Delete(j);
	svc_call_free(c);
}

static void
buses_list(struct collect_scan *scan, const char *region, const char *token, int pages)
{
	struct svc_call *c = svc_call_new(region, NULL, NULL);
	cJSON *body = cJSON_CreateObject();

	c->pages = pages;
	if (token)
		cJSON_AddStringToObject(body, "NextToken", token);
	if (collect_call_json(scan, "events", "ListEventBuses", region, body, buses_done, c))
		svc_call_free(c);
	cJSON_Delete(body);
}

void
collect_events_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	if (phase != COLLECT_PHASE_LIST || !region)
		return;
	buses_list(scan, region, NULL, 0);
}
