/*
 * Lambda answers into function attrs, and the incremental decisions.
 *
 * A function's attrs are its FunctionConfiguration (API field names) plus
 * the keys shears adds: Tags, Concurrency (GetFunction), Url/Urls
 * (ListFunctionUrlConfigs), Policy/PolicyRevisionId (GetPolicy),
 * EventInvokeConfigs, Aliases, Versions, EventSourceMappings, and in memory
 * only LAMBDA_ENV_RAW. Invariants:
 *  1. Environment.Variables values in attrs are always redacted; the raw
 *     values live only under LAMBDA_ENV_RAW (lambda_env_redact).
 *  2. A key read by a call that this scan does not make is carried over
 *     from the previous scan (lambda_attrs_from_list's allow-list), never a
 *     configuration key: those come from this scan's listing or GetFunction.
 */
#include "collect/lambda_int.h"

#include <stdio.h>
#include <string.h>

#include "util/json.h"

/* Keys a ListFunctions item lacks: carried over from the previous scan. */
static const char *const carried[] = { "Tags",
	                               "Concurrency",
	                               "Url",
	                               "Urls",
	                               "Policy",
	                               "PolicyRevisionId",
	                               "EventInvokeConfigs",
	                               "Aliases",
	                               "State",
	                               "StateReason",
	                               "StateReasonCode",
	                               "LastUpdateStatus",
	                               "LastUpdateStatusReason",
	                               "LastUpdateStatusReasonCode",
	                               NULL };

/* Keys shears adds beside the configuration: GetFunction leaves them alone. */
static const char *const added[] = { "Tags",
	                             "Concurrency",
	                             "Url",
	                             "Urls",
	                             "Policy",
	                             "PolicyRevisionId",
	                             "EventInvokeConfigs",
	                             "Aliases",
	                             "Versions",
	                             "EventSourceMappings",
	                             LAMBDA_ENV_RAW,
	                             NULL };

static int
in_list(const char *const *list, const char *key)
{
	for (; *list; list++)
		if (!strcmp(*list, key))
			return 1;
	return 0;
}

static int
str_differs(const cJSON *a, const cJSON *b, const char *key)
{
	const char *x = json_str(a, key), *y = json_str(b, key);

	if (!x || !y)
		return x != y;
	return strcmp(x, y) != 0;
}

static void
set_dup(cJSON *obj, const char *key, const cJSON *value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	if (value)
		cJSON_AddItemToObject(obj, key, cJSON_Duplicate(value, 1));
}

unsigned
lambda_needs(const cJSON *listed, const cJSON *prev, int has_versions, int quick)
{
	int changed = !prev || str_differs(listed, prev, "RevisionId") ||
	              str_differs(listed, prev, "CodeSha256");
	unsigned needs = 0;

	if (changed)
		needs |= LAMBDA_NEED_GET | LAMBDA_NEED_EIC;
	else if (!quick && !cJSON_IsArray(json_path(prev, "EventInvokeConfigs")))
		needs |= LAMBDA_NEED_EIC; /* never read: the last try failed */
	/* the policy has a RevisionId of its own: only --quick trusts it */
	if (changed || !quick)
		needs |= LAMBDA_NEED_POLICY;
	if (has_versions && (changed || !quick))
		needs |= LAMBDA_NEED_ALIASES;
	return needs;
}

int
lambda_need_url(int function_changed, const cJSON *prev, const char *policy_revision)
{
	const char *was = json_str(prev, "PolicyRevisionId");

	if (function_changed || !prev)
		return 1;
	if (!cJSON_GetObjectItemCaseSensitive(prev, "Url"))
		return 1; /* never read (the last try failed): Url is null when there is none */
	/* a public URL needs a policy statement, so a new URL is a policy change */
	if (!was || !policy_revision)
		return was != policy_revision;
	return strcmp(was, policy_revision) != 0;
}

void
lambda_env_redact(cJSON *attrs)
{
	cJSON *vars = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(attrs, "Environment"), "Variables");
	cJSON *it;
	char red[128];

	cJSON_DeleteItemFromObjectCaseSensitive(attrs, LAMBDA_ENV_RAW);
	if (!cJSON_IsObject(vars))
		return;
	cJSON_AddItemToObject(attrs, LAMBDA_ENV_RAW, cJSON_Duplicate(vars, 1));
	cJSON_ArrayForEach(it, vars)
	{
		if (!cJSON_IsString(it) || !it->valuestring)
			continue;
		collect_redact(it->valuestring, red, sizeof(red));
		cJSON_SetValuestring(it, red);
	}
}

cJSON *
lambda_attrs_from_list(const cJSON *listed, const cJSON *prev)
{
	cJSON *attrs = cJSON_IsObject(listed) ? cJSON_Duplicate(listed, 1) : cJSON_CreateObject();
	const char *const *k;

	for (k = carried; prev && *k; k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(prev, *k);

		if (v && !cJSON_GetObjectItemCaseSensitive(attrs, *k))
			cJSON_AddItemToObject(attrs, *k, cJSON_Duplicate(v, 1));
	}
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "Versions");
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "EventSourceMappings");
	lambda_env_redact(attrs);
	return attrs;
}

void
lambda_apply_get_function(cJSON *attrs, const cJSON *answer)
{
	const cJSON *cfg = json_path(answer, "Configuration"), *it;
	cJSON *a, *next;

	if (cJSON_IsObject(cfg)) { /* the configuration is replaced whole */
		for (a = attrs->child; a; a = next) {
			next = a->next;
			if (a->string && !in_list(added, a->string))
				cJSON_Delete(cJSON_DetachItemViaPointer(attrs, a));
		}
		cJSON_ArrayForEach(it, cfg)
		{
			if (it->string && !in_list(added, it->string))
				set_dup(attrs, it->string, it);
		}
		lambda_env_redact(attrs);
	}
	set_dup(attrs, "Tags", json_path(answer, "Tags"));
	set_dup(attrs, "Concurrency", json_path(answer, "Concurrency"));
	/* presigned, for the CODE phase of this scan only (dropped before the cache) */
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "_code_location");
	if (json_str(answer, "Code.Location"))
		cJSON_AddStringToObject(attrs, "_code_location", json_str(answer, "Code.Location"));
}

int
lambda_apply_policy(cJSON *attrs, const cJSON *answer)
{
	const char *text = json_str(answer, "Policy");
	const char *rev = json_str(answer, "RevisionId");
	cJSON *doc;

	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "Policy");
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "PolicyRevisionId");
	if (!answer)
		return 0;
	if (rev)
		cJSON_AddStringToObject(attrs, "PolicyRevisionId", rev);
	if (!text)
		return 0;
	doc = json_parse(text, strlen(text), NULL);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		cJSON_AddStringToObject(attrs, "Policy", text);
		return ERR_PARSE;
	}
	cJSON_AddItemToObject(attrs, "Policy", doc);
	return 0;
}

void
lambda_apply_urls(cJSON *attrs, const cJSON *answer)
{
	const cJSON *list = json_path(answer, "FunctionUrlConfigs"), *it, *pick = NULL;
	char unq[512];

	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "Url");
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "Urls");
	if (!cJSON_IsArray(list) || !cJSON_GetArraySize(list)) {
		cJSON_AddNullToObject(attrs, "Url"); /* read, and there is none */
		return;
	}
	cJSON_ArrayForEach(it, list)
	{
		const char *arn = json_str(it, "FunctionArn");

		if (!arn)
			continue;
		lambda_unqualified(arn, unq, sizeof(unq));
		if (!strcmp(unq, arn)) { /* the function's own URL, not an alias's */
			pick = it;
			break;
		}
	}
	if (!pick)
		pick = list->child;
	cJSON_AddItemToObject(attrs, "Url", cJSON_Duplicate(pick, 1));
	if (cJSON_GetArraySize(list) > 1)
		cJSON_AddItemToObject(attrs, "Urls", cJSON_Duplicate(list, 1));
}

void
lambda_unqualified(const char *arn, char *out, size_t n)
{
	const char *p = arn ? arn : "";
	int colons = 0;
	size_t len = 0;

	/* arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] */
	while (p[len] && !(p[len] == ':' && ++colons == 7))
		len++;
	snprintf(out, n, "%.*s", (int)len, p);
}
