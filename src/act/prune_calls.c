/*
 * prune: what it wants and the calls between two states (act/prune.h).
 *
 * Forward (the function exists -> it does not), in an order where nothing
 * is left pointing at a function that is gone, and where each trigger
 * stops before it is removed:
 *   1. each event source mapping: UpdateEventSourceMapping Enabled=false,
 *      then DeleteEventSourceMapping (once)
 *   2. each rule: events RemoveTargets of this function's target ids only
 *   3. each bucket: PutBucketNotificationConfiguration of its configuration
 *      without this function's entries (the others kept exactly)
 *   4. each subscription: sns Unsubscribe (once)
 *   5. DeleteFunctionUrlConfig, then DeleteFunction (once): the policy,
 *      concurrency, async settings, versions and aliases go with it
 * The log group and the role stay (prune-orphans offers them).
 *
 * Back (an undo, a restore): CreateFunction (Environment and Code.ZipFile
 * from the backup at send time, never in the plan; Tags in the call), then
 * PutFunctionConcurrency, AddPermission per statement (act/close_public.c's
 * mapping), CreateFunctionUrlConfig, PutFunctionEventInvokeConfig,
 * PublishVersion per version in order and CreateAlias (a version cannot
 * keep its number: the k-th version published is number k of the new
 * function), CreateEventSourceMapping, PutTargets (the targets from the
 * backup), PutBucketNotificationConfiguration (the bucket's configuration
 * as it is in "from", with this function's entries of "to"), Subscribe.
 *
 * The triggers are compared entry by entry, so a partial state (a failed
 * prune, a restore over a trigger someone re-made) moves only what differs.
 */
#include "act/prune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/call.h"
#include "act/close_public.h"
#include "util/buf.h"
#include "util/json.h"

const char *const prune_backs_up[] = {
	"function configuration and environment (GetFunction)",
	"the code package (GetFunction's Code.Location, downloaded)",
	"tags, resource policy, URL config, reserved concurrency, async invoke config",
	"published versions and aliases (ListVersionsByFunction, ListAliases)",
	"every event source mapping's full configuration",
	"every EventBridge target, bucket notification configuration and SNS subscription that "
	"points at it, as they were",
	"its log group's settings (DescribeLogGroups)",
	NULL,
};

#define FN "/2015-03-31/functions/%s"
/* what an undo block names an id that exists only once its creation ran */
#define NEW_ID "{id-once-created}"

static int
has_equal(const cJSON *list, const cJSON *item)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, list)
	{
		if (cJSON_Compare(e, item, 1))
			return 1;
	}
	return 0;
}

/* ---- desire */

/* Why a restore could not give back what the state holds, or NULL when it can. */
static const char *
unrestorable(const cJSON *before, char *why, size_t n)
{
	const char *code = json_str(before, "Configuration.CodeSha256");
	const cJSON *e;

	if (json_str(before, "Configuration.PackageType") &&
	    strcmp(json_str(before, "Configuration.PackageType"), "Zip"))
		return "prune backs up Zip packages only, and this function is a container image";
	cJSON_ArrayForEach(e, json_path(before, "Versions"))
	{
		if (code && json_str(e, "CodeSha256") && strcmp(json_str(e, "CodeSha256"), code)) {
			snprintf(why, n,
			         "a published version's code differs from $LATEST's, and a restore "
			         "publishes every version from the one package backed up");
			return why;
		}
	}
	cJSON_ArrayForEach(e, json_path(before, "Aliases"))
	{
		if (json_path(e, "RoutingConfig") || *json_str(e, "FunctionVersion") == '?') {
			snprintf(why, n,
			         "alias %s has a routing configuration or points at no "
			         "published version",
			         json_str(e, "Name"));
			return why;
		}
	}
	cJSON_ArrayForEach(e, json_path(before, "PolicyStatements"))
	{
		char reason[200];
		cJSON *body = close_public_add_permission_body(e, reason, sizeof(reason));

		cJSON_Delete(body);
		if (!body) {
			snprintf(why, n, "its resource policy's statement %s: %s",
			         json_str(e, "Sid") ? json_str(e, "Sid") : "(no Sid)", reason);
			return why;
		}
	}
	return NULL;
}

static void
explain_counts(const cJSON *before, char *explain, size_t n)
{
	snprintf(explain, n,
	         "deletes the function after removing what points at it: %d event source "
	         "mapping(s), %d EventBridge target(s), %d bucket notification(s), %d SNS "
	         "subscription(s)%s; its log group and role stay (prune-orphans). Undo "
	         "(or shears restore BACKUP) recreates it from the backup; published versions "
	         "come back renumbered from 1, in order, and aliases follow them",
	         cJSON_GetArraySize(json_path(before, "EventSourceMappings")),
	         cJSON_GetArraySize(json_path(before, "RuleTargets")),
	         cJSON_GetArraySize(json_path(before, "BucketNotifications")),
	         cJSON_GetArraySize(json_path(before, "Subscriptions")),
	         cJSON_IsObject(json_path(before, "Url")) ? ", its function URL" : "");
}

int
prune_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before, cJSON *after,
             char *explain, size_t n, struct err *err)
{
	static const char *const gone[] = {
		"Configuration",    "Tags",    "ReservedConcurrentExecutions",
		"PolicyStatements", "Url",     "EventInvokeConfig",
		"Versions",         "Aliases", NULL
	};
	const char *fn_arn =
	        json_str(before, "FunctionArn") ? json_str(before, "FunctionArn") : arn;
	cJSON *buckets;
	const cJSON *b;
	char why[300];
	size_t i;

	(void)ctx;
	if (!json_bool(before, "Exists", 0))
		return err_set(err, ERR_USAGE, "the function does not exist: nothing to prune");
	if (unrestorable(before, why, sizeof(why)))
		return err_set(err, ERR_USAGE,
		               "refused: the backup could not restore it as it is: %s",
		               unrestorable(before, why, sizeof(why)));
	cJSON_AddStringToObject(after, "FunctionArn", fn_arn);
	cJSON_AddFalseToObject(after, "Exists");
	for (i = 0; gone[i]; i++)
		cJSON_AddNullToObject(after, gone[i]);
	cJSON_AddArrayToObject(after, "EventSourceMappings");
	cJSON_AddArrayToObject(after, "RuleTargets");
	buckets = cJSON_AddArrayToObject(after, "BucketNotifications");
	cJSON_ArrayForEach(b, json_path(before, "BucketNotifications"))
	{
		cJSON *o = cJSON_Duplicate(b, 1);

		cJSON_ReplaceItemInObjectCaseSensitive(
		        o, "Configuration",
		        prune_notification_without(json_path(b, "Configuration"), fn_arn));
		cJSON_AddItemToArray(buckets, o);
	}
	cJSON_AddArrayToObject(after, "Subscriptions");
	explain_counts(before, explain, n);
	return 0;
}

/* ---- calls taking triggers away */

static int
mapping_calls(const char *name, const cJSON *from, const cJSON *to, cJSON *calls, struct err *err)
{
	const cJSON *ids = json_path(from, "MappingIds"), *m;
	int i = 0, rc = 0;

	cJSON_ArrayForEach(m, json_path(from, "EventSourceMappings"))
	{
		const cJSON *id = cJSON_GetArrayItem(ids, i++);
		const char *uuid;
		cJSON *c;

		if (has_equal(json_path(to, "EventSourceMappings"), m))
			continue;
		/*
		 * No UUID: the mapping is one this plan's undo block would create,
		 * named when it exists (an undo starts from the state read back)
		 */
		uuid = cJSON_IsString(id) && *id->valuestring ? id->valuestring : NEW_ID;
		if (json_bool(m, "Enabled", 1)) {
			c = act_call_add(calls, "lambda", "UpdateEventSourceMapping");
			rc = act_call_path(c, "PUT", "/2015-03-31/event-source-mappings/%s", uuid,
			                   err);
			cJSON_AddFalseToObject(cJSON_AddObjectToObject(c, "body"), "Enabled");
		}
		c = act_call_add(calls, "lambda", "DeleteEventSourceMapping");
		cJSON_AddTrueToObject(c, "once");
		if (!rc)
			rc = act_call_path(c, "DELETE", "/2015-03-31/event-source-mappings/%s",
			                   uuid, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* One RemoveTargets per rule, with the ids of this rule's targets in from and not in to. */
static void
remove_target_calls(const cJSON *from, const cJSON *to, cJSON *calls)
{
	const cJSON *t, *u;

	cJSON_ArrayForEach(t, json_path(from, "RuleTargets"))
	{
		cJSON *ids = NULL, *c;
		int first = 1;

		if (has_equal(json_path(to, "RuleTargets"), t))
			continue;
		/* the first entry of its rule gathers the rule's ids: one call per rule */
		for (u = json_path(from, "RuleTargets")->child; u != t; u = u->next)
			if (!strcmp(json_str(u, "Rule"), json_str(t, "Rule")) &&
			    !strcmp(json_str(u, "EventBusName"), json_str(t, "EventBusName")) &&
			    !has_equal(json_path(to, "RuleTargets"), u))
				first = 0;
		if (!first)
			continue;
		c = act_call_add(calls, "events", "RemoveTargets");
		cJSON *body = cJSON_AddObjectToObject(c, "body");
		cJSON_AddStringToObject(body, "Rule", json_str(t, "Rule"));
		cJSON_AddStringToObject(body, "EventBusName", json_str(t, "EventBusName"));
		ids = cJSON_AddArrayToObject(body, "Ids");
		for (u = t; u; u = u->next)
			if (!strcmp(json_str(u, "Rule"), json_str(t, "Rule")) &&
			    !strcmp(json_str(u, "EventBusName"), json_str(t, "EventBusName")) &&
			    !has_equal(json_path(to, "RuleTargets"), u))
				cJSON_AddItemToArray(
				        ids, cJSON_CreateString(json_str(u, "Target.Id") ?: ""));
	}
}

static const cJSON *
bucket_in(const cJSON *list, const char *bucket)
{
	const cJSON *b;

	cJSON_ArrayForEach(b, list)
	{
		if (json_str(b, "Bucket") && !strcmp(json_str(b, "Bucket"), bucket))
			return b;
	}
	return NULL;
}

/* Each bucket whose configuration differs: from's, with to's entries for the function. */
static int
bucket_calls(const char *fn_arn, const cJSON *from, const cJSON *to, cJSON *calls, struct err *err)
{
	const cJSON *b;

	cJSON_ArrayForEach(b, json_path(to, "BucketNotifications"))
	{
		const char *name = json_str(b, "Bucket");
		const cJSON *was = bucket_in(json_path(from, "BucketNotifications"), name);
		cJSON *conf, *c;
		char *xml;
		int rc;

		conf = prune_notification_merge(was ? json_path(was, "Configuration")
		                                    : json_path(b, "Configuration"),
		                                json_path(b, "Configuration"), fn_arn);
		if (was && cJSON_Compare(conf, json_path(was, "Configuration"), 1)) {
			cJSON_Delete(conf);
			continue;
		}
		xml = prune_notification_xml(conf);
		cJSON_Delete(conf);
		c = act_call_add(calls, "s3", "PutBucketNotificationConfiguration");
		cJSON_AddStringToObject(c, "region", json_str(b, "Region") ?: "us-east-1");
		rc = act_call_path(c, "PUT", "/%s", name, err);
		cJSON_AddStringToObject(c, "query", "notification");
		cJSON_AddStringToObject(c, "xml", xml);
		free(xml);
		if (rc)
			return rc;
	}
	return 0;
}

/* The region part of an ARN into out ("" when it has none). */
static void
arn_region(const char *arn, char *out, size_t n)
{
	const char *p = arn;
	size_t len;
	int i;

	out[0] = '\0';
	for (i = 0; p && i < 3; i++)
		p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
	if (!p || !strchr(p, ':'))
		return;
	len = (size_t)(strchr(p, ':') - p);
	if (len < n) {
		memcpy(out, p, len);
		out[len] = '\0';
	}
}

/* A call to the topic's own region (SNS answers only there). */
static void
topic_region(cJSON *call, const char *arn)
{
	char region[64];

	arn_region(arn, region, sizeof(region));
	if (region[0])
		cJSON_AddStringToObject(call, "region", region);
}

static void
unsubscribe_calls(const cJSON *from, const cJSON *to, cJSON *calls)
{
	const cJSON *arns = json_path(from, "SubscriptionArns"), *s;
	int i = 0;

	cJSON_ArrayForEach(s, json_path(from, "Subscriptions"))
	{
		const cJSON *arn = cJSON_GetArrayItem(arns, i++);
		cJSON *c;

		const char *sub =
		        cJSON_IsString(arn) && *arn->valuestring ? arn->valuestring : NEW_ID;

		if (has_equal(json_path(to, "Subscriptions"), s))
			continue;
		c = act_call_add(calls, "sns", "Unsubscribe");
		cJSON_AddTrueToObject(c, "once");
		topic_region(c, json_str(s, "TopicArn"));
		act_call_param(c, "SubscriptionArn", sub);
	}
}

static int
delete_function_calls(const char *name, const cJSON *from, cJSON *calls, struct err *err)
{
	cJSON *c;
	int rc = 0;

	if (cJSON_IsObject(json_path(from, "Url"))) {
		c = act_call_add(calls, "lambda", "DeleteFunctionUrlConfig");
		rc = act_call_path(c, "DELETE", "/2021-10-31/functions/%s/url", name, err);
	}
	c = act_call_add(calls, "lambda", "DeleteFunction");
	cJSON_AddTrueToObject(c, "once");
	return rc ? rc : act_call_path(c, "DELETE", FN, name, err);
}

/* ---- calls putting triggers back */

static int
create_mapping_calls(const char *name, const cJSON *from, const cJSON *to, cJSON *calls,
                     struct err *err)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, json_path(to, "EventSourceMappings"))
	{
		cJSON *c, *body;
		char fn[256];

		if (has_equal(json_path(from, "EventSourceMappings"), m))
			continue;
		c = act_call_add(calls, "lambda", "CreateEventSourceMapping");
		cJSON_AddTrueToObject(c, "once");
		cJSON_AddStringToObject(c, "method", "POST");
		cJSON_AddStringToObject(c, "path", "/2015-03-31/event-source-mappings/");
		body = cJSON_Duplicate(m, 1);
		cJSON_DeleteItemFromObjectCaseSensitive(body, "Qualifier");
		snprintf(fn, sizeof(fn), "%s%s%s", name, json_str(m, "Qualifier") ? ":" : "",
		         json_str(m, "Qualifier") ?: "");
		cJSON_AddStringToObject(body, "FunctionName", fn);
		cJSON_AddItemToObject(c, "body", body);
	}
	(void)err;
	return 0;
}

static void
put_target_calls(const cJSON *from, const cJSON *to, cJSON *calls)
{
	const cJSON *t, *u;

	cJSON_ArrayForEach(t, json_path(to, "RuleTargets"))
	{
		cJSON *c, *body, *targets, *fb;
		char key[600], path[640];
		int first = 1;

		if (has_equal(json_path(from, "RuleTargets"), t))
			continue;
		for (u = json_path(to, "RuleTargets")->child; u != t; u = u->next)
			if (!strcmp(json_str(u, "Rule"), json_str(t, "Rule")) &&
			    !strcmp(json_str(u, "EventBusName"), json_str(t, "EventBusName")) &&
			    !has_equal(json_path(from, "RuleTargets"), u))
				first = 0;
		if (!first)
			continue;
		c = act_call_add(calls, "events", "PutTargets");
		body = cJSON_AddObjectToObject(c, "body");
		cJSON_AddStringToObject(body, "Rule", json_str(t, "Rule"));
		cJSON_AddStringToObject(body, "EventBusName", json_str(t, "EventBusName"));
		targets = cJSON_AddArrayToObject(body, "Targets");
		for (u = t; u; u = u->next)
			if (!strcmp(json_str(u, "Rule"), json_str(t, "Rule")) &&
			    !strcmp(json_str(u, "EventBusName"), json_str(t, "EventBusName")) &&
			    !has_equal(json_path(from, "RuleTargets"), u))
				cJSON_AddItemToArray(targets,
				                     cJSON_Duplicate(json_path(u, "Target"), 1));
		/* the targets as shown are redacted: the backup's, with their Input, are sent */
		prune_rule_key(json_str(t, "EventBusName"), json_str(t, "Rule"), key, sizeof(key));
		snprintf(path, sizeof(path), "RuleTargets.%s", key);
		fb = cJSON_AddObjectToObject(c, "from_backup");
		cJSON_AddStringToObject(fb, "body.Targets", path);
	}
}

static void
subscribe_calls(const cJSON *from, const cJSON *to, cJSON *calls)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, json_path(to, "Subscriptions"))
	{
		const char *arn = json_str(s, "TopicArn");
		cJSON *c;

		if (has_equal(json_path(from, "Subscriptions"), s))
			continue;
		c = act_call_add(calls, "sns", "Subscribe");
		cJSON_AddTrueToObject(c, "once");
		topic_region(c, arn);
		act_call_param(c, "TopicArn", arn);
		act_call_param(c, "Protocol", json_str(s, "Protocol"));
		act_call_param(c, "Endpoint", json_str(s, "Endpoint"));
	}
}

/* ---- the function back */

/*
 * Lambda answers CreateFunction with State Pending and refuses, with this
 * conflict, what changes the function until it is Active (seconds): the
 * calls that follow are sent again, a bounded number of times, only while
 * that is the answer (the conflict means nothing was done).
 */
static void
while_pending(cJSON *call)
{
	cJSON *retry = cJSON_AddObjectToObject(call, "retry");

	cJSON_AddStringToObject(retry, "code", "ResourceConflictException");
	cJSON_AddStringToObject(retry, "message", "The operation cannot be performed at this time");
	cJSON_AddNumberToObject(retry, "attempts", 10);
	cJSON_AddNumberToObject(retry, "delay_s", 3);
}

static int
create_function_call(const char *name, const cJSON *to, cJSON *calls, struct err *err)
{
	cJSON *c = act_call_add(calls, "lambda", "CreateFunction"), *body, *fb;
	const cJSON *conf = json_path(to, "Configuration");

	cJSON_AddTrueToObject(c, "once");
	cJSON_AddStringToObject(c, "method", "POST");
	cJSON_AddStringToObject(c, "path", "/2015-03-31/functions");
	body = cJSON_IsObject(conf) ? cJSON_Duplicate(conf, 1) : cJSON_CreateObject();
	/* what GetFunction describes but CreateFunction does not take */
	cJSON_DeleteItemFromObjectCaseSensitive(body, "CodeSha256");
	cJSON_DeleteItemFromObjectCaseSensitive(body, "EnvironmentKeys");
	cJSON_DeleteItemFromObjectCaseSensitive(body, "ImageConfigResponse");
	cJSON_AddStringToObject(body, "FunctionName", name);
	if (cJSON_GetArraySize(json_path(to, "Tags")))
		cJSON_AddItemToObject(body, "Tags", cJSON_Duplicate(json_path(to, "Tags"), 1));
	cJSON_AddObjectToObject(body, "Code");
	cJSON_AddItemToObject(c, "body", body);
	/* secrets and code are filled from the backup at send time: never in a plan */
	fb = cJSON_AddObjectToObject(c, "from_backup");
	cJSON_AddStringToObject(fb, "body.Environment", "GetFunction.Configuration.Environment");
	cJSON_AddStringToObject(fb, "body.Code.ZipFile", "file:code_file");
	if (!cJSON_IsObject(conf))
		return err_set(err, ERR_PARSE, "the state to restore has no Configuration");
	return 0;
}

static int
permission_calls(const char *name, const cJSON *to, cJSON *calls, struct err *err)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, json_path(to, "PolicyStatements"))
	{
		char why[200];
		cJSON *body = close_public_add_permission_body(s, why, sizeof(why)), *c;
		int rc;

		if (!body)
			return err_set(err, ERR_USAGE, "cannot put back statement %s: %s",
			               json_str(s, "Sid") ?: "(no Sid)", why);
		c = act_call_add(calls, "lambda", "AddPermission");
		rc = act_call_path(c, "POST", FN "/policy", name, err);
		cJSON_AddItemToObject(c, "body", body);
		if (rc)
			return rc;
	}
	return 0;
}

static int
version_calls(const char *name, const cJSON *to, cJSON *calls, struct err *err)
{
	const cJSON *v, *a;
	int rc = 0;

	cJSON_ArrayForEach(v, json_path(to, "Versions"))
	{
		cJSON *c = act_call_add(calls, "lambda", "PublishVersion");

		cJSON_AddTrueToObject(c, "once");
		while_pending(c);
		rc = rc ? rc : act_call_path(c, "POST", FN "/versions", name, err);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "body"), "Description",
		                        json_str(v, "Description") ?: "");
	}
	cJSON_ArrayForEach(a, json_path(to, "Aliases"))
	{
		const char *fv = json_str(a, "FunctionVersion");
		cJSON *c = act_call_add(calls, "lambda", "CreateAlias"), *body;

		cJSON_AddTrueToObject(c, "once");
		rc = rc ? rc : act_call_path(c, "POST", FN "/aliases", name, err);
		body = cJSON_AddObjectToObject(c, "body");
		cJSON_AddStringToObject(body, "Name", json_str(a, "Name"));
		/* "#k": the k-th version published above, which a new function numbers k */
		cJSON_AddStringToObject(body, "FunctionVersion", fv && *fv == '#' ? fv + 1 : fv);
		cJSON_AddStringToObject(body, "Description", json_str(a, "Description") ?: "");
	}
	return rc;
}

static int
restore_function_calls(const char *name, const cJSON *to, cJSON *calls, struct err *err)
{
	const cJSON *rce = json_path(to, "ReservedConcurrentExecutions");
	cJSON *c;
	int rc = create_function_call(name, to, calls, err);

	if (!rc && cJSON_IsNumber(rce)) {
		c = act_call_add(calls, "lambda", "PutFunctionConcurrency");
		while_pending(c);
		rc = act_call_path(c, "PUT", "/2017-10-31/functions/%s/concurrency", name, err);
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(c, "body"),
		                        "ReservedConcurrentExecutions", rce->valuedouble);
	}
	if (!rc)
		rc = permission_calls(name, to, calls, err);
	if (!rc && cJSON_IsObject(json_path(to, "Url"))) {
		c = act_call_add(calls, "lambda", "CreateFunctionUrlConfig");
		while_pending(c);
		rc = act_call_path(c, "POST", "/2021-10-31/functions/%s/url", name, err);
		cJSON_AddItemToObject(c, "body", cJSON_Duplicate(json_path(to, "Url"), 1));
	}
	if (!rc && cJSON_IsObject(json_path(to, "EventInvokeConfig"))) {
		c = act_call_add(calls, "lambda", "PutFunctionEventInvokeConfig");
		while_pending(c);
		rc = act_call_path(c, "PUT", "/2019-09-25/functions/%s/event-invoke-config", name,
		                   err);
		cJSON_AddItemToObject(c, "body",
		                      cJSON_Duplicate(json_path(to, "EventInvokeConfig"), 1));
	}
	return rc ? rc : version_calls(name, to, calls, err);
}

int
prune_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
            cJSON *calls, struct err *err)
{
	const char *fn_arn = json_str(from, "FunctionArn") ? json_str(from, "FunctionArn")
	                                                   : json_str(to, "FunctionArn");
	int was = json_bool(from, "Exists", 0), want = json_bool(to, "Exists", 0);
	int rc = 0;

	(void)revision; /* DeleteFunction takes no revision: the re-read's state guards it */
	if (!fn_arn)
		return err_set(err, ERR_PARSE, "a prune state without the function's ARN");
	if (was == want && was)
		return err_set(err, ERR_USAGE,
		               "prune deletes or restores a function, nothing else");
	if (want && !was)
		rc = restore_function_calls(name, to, calls, err);
	if (!rc && want)
		rc = create_mapping_calls(name, from, to, calls, err);
	if (!rc && !want)
		rc = mapping_calls(name, from, to, calls, err);
	if (!rc && want)
		put_target_calls(from, to, calls);
	if (!rc && !want)
		remove_target_calls(from, to, calls);
	if (!rc)
		rc = bucket_calls(fn_arn, from, to, calls, err);
	if (!rc && want)
		subscribe_calls(from, to, calls);
	if (!rc && !want)
		unsubscribe_calls(from, to, calls);
	if (!rc && was && !want)
		rc = delete_function_calls(name, from, calls, err);
	return rc;
}
