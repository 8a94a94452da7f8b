/*
 * prune's state (act/prune.h lists its keys): one normal form for what the
 * cache holds and what the account answers, so that the re-read before
 * apply, the verify and reconcile compare like with like.
 *
 * Normal form: lists sorted (by their JSON text, or by name), identifiers
 * that a restore cannot keep (mapping UUIDs, subscription ARNs, version
 * numbers, URL ids, timestamps) left out of the keys; secrets as the cache
 * holds them (a target's Input redacted, the environment by names only).
 * This file builds the pieces and the state from the cache (prune_cached);
 * act/prune_read.c reads the account.
 */
#include "act/prune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/query.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/redact.h"
#include "util/xmalloc.h"

const char *const prune_keys[] = { "FunctionArn",
	                           "Exists",
	                           "Configuration",
	                           "Tags",
	                           "ReservedConcurrentExecutions",
	                           "PolicyStatements",
	                           "Url",
	                           "EventInvokeConfig",
	                           "Versions",
	                           "Aliases",
	                           "EventSourceMappings",
	                           "RuleTargets",
	                           "BucketNotifications",
	                           "Subscriptions",
	                           NULL };

int
prune_is_function(const char *arn, const char *fn_arn)
{
	size_t len = fn_arn ? strlen(fn_arn) : 0;

	if (!arn || !len || strncmp(arn, fn_arn, len))
		return 0;
	return arn[len] == '\0' || (arn[len] == ':' && arn[len + 1] && !strchr(arn + len + 1, ':'));
}

static void
copy_member(cJSON *to, const cJSON *from, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, name);

	if (v && !cJSON_IsNull(v))
		cJSON_AddItemToObject(to, name, cJSON_Duplicate(v, 1));
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct sort_item {
	char *text;
	cJSON *item, *par;
};

static int
by_item_text(const void *a, const void *b)
{
	return strcmp(((const struct sort_item *)a)->text, ((const struct sort_item *)b)->text);
}

void
prune_sort(cJSON *arr, cJSON *parallel)
{
	int n = cJSON_GetArraySize(arr), i;
	struct sort_item *v;

	if (n < 2)
		return;
	v = xcalloc((size_t)n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].item = cJSON_DetachItemFromArray(arr, 0);
		v[i].par = parallel ? cJSON_DetachItemFromArray(parallel, 0) : NULL;
		v[i].text = cJSON_PrintUnformatted(v[i].item);
		if (!v[i].text)
			v[i].text = xstrdup("");
	}
	qsort(v, (size_t)n, sizeof(*v), by_item_text);
	for (i = 0; i < n; i++) {
		cJSON_AddItemToArray(arr, v[i].item);
		if (v[i].par)
			cJSON_AddItemToArray(parallel, v[i].par);
		free(v[i].text);
	}
	free(v);
}

/* A string array sorted (a copy). */
static cJSON *
sorted_strings(const cJSON *arr)
{
	int n = cJSON_GetArraySize(arr), i = 0;
	char **v = xcalloc((size_t)n + 1, sizeof(*v));
	cJSON *out = cJSON_CreateArray();
	const cJSON *s;

	cJSON_ArrayForEach(s, arr)
	{
		if (cJSON_IsString(s))
			v[i++] = s->valuestring;
	}
	if (i)
		qsort(v, (size_t)i, sizeof(*v), by_text);
	for (n = 0; n < i; n++)
		cJSON_AddItemToArray(out, cJSON_CreateString(v[n]));
	free(v);
	return out;
}

/* The configuration fields CreateFunction takes back, as GetFunction and the cache write them. */
static const char *const config_fields[] = {
	"Runtime",
	"Role",
	"Handler",
	"Description",
	"Timeout",
	"MemorySize",
	"KMSKeyArn",
	"TracingConfig",
	"DeadLetterConfig",
	"Architectures",
	"PackageType",
	"CodeSha256",
	"EphemeralStorage",
	"FileSystemConfigs",
	"LoggingConfig",
	"ImageConfigResponse",
	NULL,
};

cJSON *
prune_config(const cJSON *config)
{
	cJSON *c = cJSON_CreateObject(), *layers;
	const cJSON *l, *vpc = json_path(config, "VpcConfig"), *vars;
	size_t i;

	for (i = 0; config_fields[i]; i++)
		copy_member(c, config, config_fields[i]);
	if (json_str(config, "SnapStart.ApplyOn")) {
		cJSON *s = cJSON_AddObjectToObject(c, "SnapStart");

		cJSON_AddStringToObject(s, "ApplyOn", json_str(config, "SnapStart.ApplyOn"));
	}
	if (cJSON_GetArraySize(json_path(config, "Layers"))) {
		layers = cJSON_AddArrayToObject(c, "Layers");
		cJSON_ArrayForEach(l, json_path(config, "Layers"))
		{
			if (json_str(l, "Arn"))
				cJSON_AddItemToArray(layers,
				                     cJSON_CreateString(json_str(l, "Arn")));
		}
	}
	if (cJSON_GetArraySize(json_path(vpc, "SubnetIds"))) {
		cJSON *v = cJSON_AddObjectToObject(c, "VpcConfig");

		cJSON_AddItemToObject(v, "SubnetIds", sorted_strings(json_path(vpc, "SubnetIds")));
		cJSON_AddItemToObject(v, "SecurityGroupIds",
		                      sorted_strings(json_path(vpc, "SecurityGroupIds")));
		copy_member(v, vpc, "Ipv6AllowedForDualStack");
	}
	vars = json_path(config, "Environment.Variables");
	if (cJSON_GetArraySize(vars)) {
		cJSON *names = cJSON_CreateArray(), *sorted;
		const cJSON *e;

		cJSON_ArrayForEach(e, vars)
		{
			cJSON_AddItemToArray(names, cJSON_CreateString(e->string));
		}
		sorted = sorted_strings(names);
		cJSON_Delete(names);
		cJSON_AddItemToObject(c, "EnvironmentKeys", sorted);
	}
	return c;
}

cJSON *
prune_url(const cJSON *url)
{
	const char *arn = json_str(url, "FunctionArn");
	const char *p;
	int colons = 0;
	cJSON *u;

	for (p = arn; p && *p; p++)
		colons += *p == ':';
	/* an alias's URL carries its qualifier: it goes with the alias */
	if (!cJSON_IsObject(url) || !json_str(url, "AuthType") || (arn && colons != 6))
		return cJSON_CreateNull();
	u = cJSON_CreateObject();
	copy_member(u, url, "AuthType");
	copy_member(u, url, "Cors");
	copy_member(u, url, "InvokeMode");
	return u;
}

/* What CreateEventSourceMapping takes back from a mapping as Lambda describes it. */
static const char *const mapping_fields[] = {
	"EventSourceArn",
	"BatchSize",
	"MaximumBatchingWindowInSeconds",
	"FunctionResponseTypes",
	"StartingPosition",
	"StartingPositionTimestamp",
	"ParallelizationFactor",
	"MaximumRecordAgeInSeconds",
	"BisectBatchOnFunctionError",
	"MaximumRetryAttempts",
	"TumblingWindowInSeconds",
	"DestinationConfig",
	"FilterCriteria",
	"ScalingConfig",
	"Topics",
	"Queues",
	"SourceAccessConfigurations",
	"SelfManagedEventSource",
	"SelfManagedKafkaEventSourceConfig",
	"AmazonManagedKafkaEventSourceConfig",
	"DocumentDBEventSourceConfig",
	NULL,
};

cJSON *
prune_mapping(const cJSON *esm)
{
	const char *state = json_str(esm, "State"), *fn = json_str(esm, "FunctionArn");
	cJSON *m = cJSON_CreateObject();
	const char *q = NULL, *p;
	int colons = 0;
	size_t i;

	for (i = 0; mapping_fields[i]; i++)
		copy_member(m, esm, mapping_fields[i]);
	/* Disabled and Disabling stop it; every other state (Creating, Updating) leads to Enabled
	 */
	cJSON_AddBoolToObject(m, "Enabled",
	                      !state || (strcmp(state, "Disabled") && strcmp(state, "Disabling")));
	for (p = fn; p && *p; p++)
		if (*p == ':' && ++colons == 7)
			q = p + 1;
	if (q)
		cJSON_AddStringToObject(m, "Qualifier", q);
	return m;
}

static cJSON *
redacted(const cJSON *v)
{
	char out[128];
	char *text = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);

	redact_value(text ? text : v->valuestring, out, sizeof(out));
	free(text);
	return cJSON_CreateString(out);
}

static void
redact_member(cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (v && !cJSON_IsNull(v))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, redacted(v));
}

/* Every value of map redacted (as the collector stores HTTP parameters). */
static void
redact_all_values(cJSON *map)
{
	int n = cJSON_GetArraySize(map), i;

	for (i = 0; cJSON_IsObject(map) && i < n; i++) {
		cJSON *v = cJSON_GetArrayItem(map, i);
		const char *key = v->string;
		cJSON *r = redacted(v);

		cJSON_ReplaceItemInObjectCaseSensitive(map, key, r);
	}
}

cJSON *
prune_target(const cJSON *target)
{
	cJSON *t = cJSON_Duplicate(target, 1);
	cJSON *http = cJSON_GetObjectItemCaseSensitive(t, "HttpParameters");

	/* as collect/events.c stores it: a constant Input and HTTP values may be secrets */
	redact_member(t, "Input");
	redact_all_values(cJSON_GetObjectItemCaseSensitive(http, "HeaderParameters"));
	redact_all_values(cJSON_GetObjectItemCaseSensitive(http, "QueryStringParameters"));
	return t;
}

static const char *const notif_lists[] = { "LambdaFunctionConfigurations", "QueueConfigurations",
	                                   "TopicConfigurations", NULL };

cJSON *
prune_notification(const cJSON *conf)
{
	cJSON *c = cJSON_CreateObject();
	size_t i;

	for (i = 0; notif_lists[i]; i++) {
		const cJSON *list = json_path(conf, notif_lists[i]);
		cJSON *copy;

		if (!cJSON_GetArraySize(list))
			continue;
		copy = cJSON_Duplicate(list, 1);
		prune_sort(copy, NULL);
		cJSON_AddItemToObject(c, notif_lists[i], copy);
	}
	if (json_path(conf, "EventBridgeConfiguration"))
		cJSON_AddObjectToObject(c, "EventBridgeConfiguration");
	return c;
}

/* The function's LambdaFunctionConfigurations of conf (in), or the others (!in). */
static cJSON *
lambda_entries(const cJSON *conf, const char *fn_arn, int in)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *e;

	cJSON_ArrayForEach(e, json_path(conf, "LambdaFunctionConfigurations"))
	{
		if (prune_is_function(json_str(e, "LambdaFunctionArn"), fn_arn) == in)
			cJSON_AddItemToArray(out, cJSON_Duplicate(e, 1));
	}
	return out;
}

/* conf with its LambdaFunctionConfigurations replaced by list (taken), normalised. */
static cJSON *
with_lambda(const cJSON *conf, cJSON *list)
{
	cJSON *c = cJSON_IsObject(conf) ? cJSON_Duplicate(conf, 1) : cJSON_CreateObject(), *n;

	cJSON_DeleteItemFromObjectCaseSensitive(c, "LambdaFunctionConfigurations");
	if (cJSON_GetArraySize(list))
		cJSON_AddItemToObject(c, "LambdaFunctionConfigurations", list);
	else
		cJSON_Delete(list);
	n = prune_notification(c);
	cJSON_Delete(c);
	return n;
}

cJSON *
prune_notification_without(const cJSON *conf, const char *fn_arn)
{
	return with_lambda(conf, lambda_entries(conf, fn_arn, 0));
}

cJSON *
prune_notification_merge(const cJSON *base, const cJSON *with, const char *fn_arn)
{
	cJSON *list = lambda_entries(base, fn_arn, 0), *mine = lambda_entries(with, fn_arn, 1);
	cJSON *e;

	while ((e = cJSON_DetachItemFromArray(mine, 0)))
		cJSON_AddItemToArray(list, e);
	cJSON_Delete(mine);
	return with_lambda(base, list);
}

static void
xml_text_escaped(struct buf *b, const char *elem, const char *text)
{
	const char *p;

	buf_printf(b, "<%s>", elem);
	for (p = text ? text : ""; *p; p++) {
		if (*p == '<')
			buf_puts(b, "&lt;");
		else if (*p == '>')
			buf_puts(b, "&gt;");
		else if (*p == '&')
			buf_puts(b, "&amp;");
		else
			buf_putc(b, *p);
	}
	buf_printf(b, "</%s>", elem);
}

/* One flattened list: elem, its ARN element; the members named as the JSON form names them. */
static void
xml_list(struct buf *b, const cJSON *list, const char *elem, const char *arn_elem,
         const char *arn_member)
{
	const cJSON *c, *e;

	cJSON_ArrayForEach(c, list)
	{
		buf_printf(b, "<%s>", elem);
		if (json_str(c, "Id"))
			xml_text_escaped(b, "Id", json_str(c, "Id"));
		xml_text_escaped(b, arn_elem, json_str(c, arn_member));
		cJSON_ArrayForEach(e, json_path(c, "Events"))
		{
			if (cJSON_IsString(e))
				xml_text_escaped(b, "Event", e->valuestring);
		}
		if (json_path(c, "Filter")) {
			buf_puts(b, "<Filter><S3Key>");
			cJSON_ArrayForEach(e, json_path(c, "Filter.Key.FilterRules"))
			{
				buf_puts(b, "<FilterRule>");
				xml_text_escaped(b, "Name", json_str(e, "Name"));
				xml_text_escaped(b, "Value", json_str(e, "Value"));
				buf_puts(b, "</FilterRule>");
			}
			buf_puts(b, "</S3Key></Filter>");
		}
		buf_printf(b, "</%s>", elem);
	}
}

char *
prune_notification_xml(const cJSON *conf)
{
	struct buf b;
	size_t len;

	buf_init(&b, 0);
	buf_puts(&b,
	         "<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	xml_list(&b, json_path(conf, "TopicConfigurations"), "TopicConfiguration", "Topic",
	         "TopicArn");
	xml_list(&b, json_path(conf, "QueueConfigurations"), "QueueConfiguration", "Queue",
	         "QueueArn");
	xml_list(&b, json_path(conf, "LambdaFunctionConfigurations"), "CloudFunctionConfiguration",
	         "CloudFunction", "LambdaFunctionArn");
	if (json_path(conf, "EventBridgeConfiguration"))
		buf_puts(&b, "<EventBridgeConfiguration></EventBridgeConfiguration>");
	buf_puts(&b, "</NotificationConfiguration>");
	return buf_take(&b, &len);
}

void
prune_rule_key(const char *bus, const char *rule, char *out, size_t n)
{
	size_t i;

	/* json_path splits on '.', which rule names may hold */
	snprintf(out, n, "%s/%s", bus ? bus : "default", rule ? rule : "");
	for (i = 0; out[i]; i++)
		if (out[i] == '.')
			out[i] = '~';
}

/* ---- the state from its parts */

static int
version_number(const cJSON *v)
{
	const char *s = json_str(v, "Version");

	return s && *s >= '0' && *s <= '9' ? (int)strtol(s, NULL, 10) : -1;
}

static int
by_version(const void *a, const void *b)
{
	return version_number(*(const cJSON *const *)a) - version_number(*(const cJSON *const *)b);
}

/* The published versions (not $LATEST) by number; caller frees the array (items borrowed). */
static const cJSON **
versions_sorted(const cJSON *versions, int *n)
{
	const cJSON **v = xcalloc((size_t)cJSON_GetArraySize(versions) + 1, sizeof(*v));
	const cJSON *e;

	*n = 0;
	cJSON_ArrayForEach(e, versions)
	{
		if (version_number(e) >= 0)
			v[(*n)++] = e;
	}
	if (*n)
		qsort(v, (size_t)*n, sizeof(*v), by_version);
	return v;
}

static void
add_versions(cJSON *st, const cJSON *versions, const cJSON *aliases)
{
	cJSON *vs = cJSON_AddArrayToObject(st, "Versions"),
	      *as = cJSON_AddArrayToObject(st, "Aliases");
	int n, i;
	const cJSON **v = versions_sorted(versions, &n), *a;

	for (i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "Description", json_str(v[i], "Description") ?: "");
		copy_member(o, v[i], "CodeSha256");
		cJSON_AddItemToArray(vs, o);
	}
	cJSON_ArrayForEach(a, aliases)
	{
		const char *fv = json_str(a, "FunctionVersion");
		char pos[32];
		cJSON *o = cJSON_CreateObject();

		snprintf(pos, sizeof(pos), "?%s", fv ? fv : "");
		for (i = 0; fv && i < n; i++)
			if (!strcmp(json_str(v[i], "Version"), fv))
				snprintf(pos, sizeof(pos), "#%d", i + 1);
		cJSON_AddStringToObject(o, "Name", json_str(a, "Name") ?: "");
		cJSON_AddStringToObject(o, "Description", json_str(a, "Description") ?: "");
		cJSON_AddStringToObject(o, "FunctionVersion",
		                        fv && !strcmp(fv, "$LATEST") ? fv : pos);
		copy_member(o, a, "RoutingConfig");
		cJSON_AddItemToArray(as, o);
	}
	prune_sort(as, NULL); /* by name: the Name member leads the text */
	free(v);
}

/* $LATEST's asynchronous invocation settings, or null. */
static cJSON *
event_invoke_config(const cJSON *eics, const char *fn_arn)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, eics)
	{
		const char *arn = json_str(e, "FunctionArn");
		size_t len = strlen(fn_arn);
		cJSON *o;

		if (!arn || strncmp(arn, fn_arn, len) ||
		    (arn[len] && strcmp(arn + len, ":$LATEST")))
			continue;
		o = cJSON_CreateObject();
		copy_member(o, e, "MaximumRetryAttempts");
		copy_member(o, e, "MaximumEventAgeInSeconds");
		copy_member(o, e, "DestinationConfig");
		return o;
	}
	return cJSON_CreateNull();
}

static void
add_function(cJSON *st, const struct prune_parts *p)
{
	const cJSON *rce = json_path(p->concurrency, "ReservedConcurrentExecutions");

	cJSON_AddStringToObject(st, "RevisionId", json_str(p->config, "RevisionId") ?: "");
	cJSON_AddItemToObject(st, "Configuration", prune_config(p->config));
	cJSON_AddItemToObject(st, "Tags",
	                      cJSON_IsObject(p->tags) ? cJSON_Duplicate(p->tags, 1)
	                                              : cJSON_CreateObject());
	if (cJSON_IsNumber(rce))
		cJSON_AddNumberToObject(st, "ReservedConcurrentExecutions", rce->valuedouble);
	else
		cJSON_AddNullToObject(st, "ReservedConcurrentExecutions");
	act_fn_state_add_access(st, p->policy, p->policy_rev, NULL);
	cJSON_DeleteItemFromObjectCaseSensitive(st, "UrlAuthType");
	cJSON_AddItemToObject(st, "Url", prune_url(p->url));
	cJSON_AddItemToObject(st, "EventInvokeConfig", event_invoke_config(p->eics, p->fn_arn));
	add_versions(st, p->versions, p->aliases);
}

cJSON *
prune_state_new(const struct prune_parts *p)
{
	static const char *const fn_keys[] = {
		"Configuration",    "Tags",    "ReservedConcurrentExecutions",
		"PolicyStatements", "Url",     "EventInvokeConfig",
		"Versions",         "Aliases", NULL
	};
	cJSON *st = cJSON_CreateObject(), *maps, *ids;
	const cJSON *m;
	size_t i;

	cJSON_AddStringToObject(st, "FunctionArn", p->fn_arn);
	cJSON_AddBoolToObject(st, "Exists", p->config != NULL);
	if (p->config)
		add_function(st, p);
	else
		for (i = 0; fn_keys[i]; i++)
			cJSON_AddNullToObject(st, fn_keys[i]);
	maps = cJSON_AddArrayToObject(st, "EventSourceMappings");
	ids = cJSON_AddArrayToObject(st, "MappingIds");
	cJSON_ArrayForEach(m, p->esms)
	{
		if (!prune_is_function(json_str(m, "FunctionArn"), p->fn_arn))
			continue;
		cJSON_AddItemToArray(maps, prune_mapping(m));
		cJSON_AddItemToArray(ids, cJSON_CreateString(json_str(m, "UUID") ?: ""));
	}
	cJSON_AddArrayToObject(st, "RuleTargets");
	cJSON_AddArrayToObject(st, "BucketNotifications");
	cJSON_AddArrayToObject(st, "Subscriptions");
	cJSON_AddArrayToObject(st, "SubscriptionArns");
	return st;
}

void
prune_add_rule_targets(cJSON *state, const char *bus, const char *rule, const cJSON *targets)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(state, "RuleTargets");
	const char *fn = json_str(state, "FunctionArn");
	const cJSON *t;

	cJSON_ArrayForEach(t, targets)
	{
		cJSON *o;

		if (!prune_is_function(json_str(t, "Arn"), fn))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "EventBusName", bus && *bus ? bus : "default");
		cJSON_AddStringToObject(o, "Rule", rule);
		cJSON_AddItemToObject(o, "Target", prune_target(t));
		cJSON_AddItemToArray(list, o);
	}
}

void
prune_add_bucket(cJSON *state, const char *bucket, const char *region, const cJSON *conf)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "Bucket", bucket);
	cJSON_AddStringToObject(o, "Region", region && *region ? region : "us-east-1");
	cJSON_AddItemToObject(o, "Configuration", prune_notification(conf));
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(state, "BucketNotifications"), o);
}

void
prune_add_subscriptions(cJSON *state, const cJSON *subs)
{
	const char *fn = json_str(state, "FunctionArn");
	const cJSON *s;

	cJSON_ArrayForEach(s, subs)
	{
		const char *proto = json_str(s, "Protocol");
		cJSON *o;

		if (!proto || strcmp(proto, "lambda") ||
		    !prune_is_function(json_str(s, "Endpoint"), fn))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "TopicArn", json_str(s, "TopicArn") ?: "");
		cJSON_AddStringToObject(o, "Protocol", proto);
		cJSON_AddStringToObject(o, "Endpoint", json_str(s, "Endpoint"));
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(state, "Subscriptions"), o);
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(state, "SubscriptionArns"),
		                     cJSON_CreateString(json_str(s, "SubscriptionArn") ?: ""));
	}
}

void
prune_state_finish(cJSON *state)
{
	prune_sort(cJSON_GetObjectItemCaseSensitive(state, "EventSourceMappings"),
	           cJSON_GetObjectItemCaseSensitive(state, "MappingIds"));
	prune_sort(cJSON_GetObjectItemCaseSensitive(state, "RuleTargets"), NULL);
	prune_sort(cJSON_GetObjectItemCaseSensitive(state, "BucketNotifications"), NULL);
	prune_sort(cJSON_GetObjectItemCaseSensitive(state, "Subscriptions"),
	           cJSON_GetObjectItemCaseSensitive(state, "SubscriptionArns"));
}

/* ---- the state from the cache: the function's attrs and what its trigger edges name */

static void
add_peer(struct store *s, const struct store_edge_row *row, cJSON *state)
{
	struct store_resource r = { 0 };
	cJSON *attrs;

	if (row->outgoing || row->e.kind != MODEL_EDGE_TRIGGERS ||
	    (row->peer_kind != MODEL_RULE && row->peer_kind != MODEL_BUCKET &&
	     row->peer_kind != MODEL_TOPIC) ||
	    store_resource_get(s, row->peer, &r, NULL))
		return;
	attrs = cJSON_Parse(r.r.attrs ? r.r.attrs : "{}");
	if (row->peer_kind == MODEL_RULE)
		prune_add_rule_targets(state, json_str(attrs, "EventBusName"), r.r.name,
		                       json_path(attrs, "Targets"));
	else if (row->peer_kind == MODEL_BUCKET)
		prune_add_bucket(state, r.r.name, json_str(attrs, "Region") ?: r.r.region,
		                 json_path(attrs, "NotificationConfiguration"));
	else
		prune_add_subscriptions(state, json_path(attrs, "Subscriptions"));
	cJSON_Delete(attrs);
	store_resource_release(&r);
}

/* One trigger edge per mapping, notification or subscription: each peer is read once. */
static int
seen_before(const struct store_edges *e, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (!strcmp(e->v[j].peer, e->v[i].peer) && e->v[j].outgoing == e->v[i].outgoing)
			return 1;
	return 0;
}

int
prune_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
             struct err *err)
{
	cJSON *attrs = cJSON_Parse(r->attrs ? r->attrs : "{}");
	struct prune_parts p = { .fn_arn = r->arn };
	struct store_edges e = { 0 };
	size_t i;
	int rc;

	*state = NULL;
	if (!json_str(attrs, "RevisionId")) {
		cJSON_Delete(attrs);
		return err_set(err, ERR_USAGE, "the cache has no RevisionId for %s: rescan it",
		               r->name);
	}
	p.config = attrs;
	p.tags = json_path(attrs, "Tags");
	p.concurrency = json_path(attrs, "Concurrency");
	p.policy = json_path(attrs, "Policy");
	p.policy_rev = json_str(attrs, "PolicyRevisionId");
	p.url = json_path(attrs, "Url");
	p.eics = json_path(attrs, "EventInvokeConfigs");
	p.versions = json_path(attrs, "Versions");
	p.aliases = json_path(attrs, "Aliases");
	p.esms = json_path(attrs, "EventSourceMappings");
	*state = prune_state_new(&p);
	rc = store_edges_of(ctx->store, r->arn, STORE_EDGES_IN, &e, err);
	for (i = 0; !rc && i < e.n; i++)
		if (!seen_before(&e, i))
			add_peer(ctx->store, &e.v[i], *state);
	store_edges_release(&e);
	prune_state_finish(*state);
	cJSON_Delete(attrs);
	if (rc) {
		cJSON_Delete(*state);
		*state = NULL;
	}
	return rc;
}
