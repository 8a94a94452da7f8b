/*
 * API Gateway routes that need no credentials: REST API methods with
 * authorizationType NONE and no API key, HTTP API routes with
 * AuthorizationType NONE (or none set), WebSocket $connect likewise.
 * Attrs are the API Gateway answers: REST "Resources"[].resourceMethods,
 * "Stages", "endpointConfiguration", "policy"; HTTP "Routes",
 * "Integrations", "Stages", "ProtocolType".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/check_util.h"
#include "analyze/exposure_int.h"
#include "util/json.h"
#include "util/xmalloc.h"

static const char *const invoke_api[] = { "execute-api:Invoke", NULL };

/* Not callable from the internet: no stage deployed, or a PRIVATE endpoint. */
static int
api_unreachable(const struct am_res *api)
{
	const cJSON *stages = json_path(api->attrs, "Stages");
	const cJSON *types = json_path(api->attrs, "endpointConfiguration.types"), *t;

	if (cJSON_IsArray(stages) && !cJSON_GetArraySize(stages))
		return 1;
	cJSON_ArrayForEach(t, types)
	{
		if (cJSON_IsString(t) && !strcmp(t->valuestring, "PRIVATE"))
			return 1;
	}
	return 0;
}

/* API Gateway answers a REST API's policy as JSON text with escaped quotes. */
static cJSON *
rest_policy(const struct am_res *api)
{
	const cJSON *p = json_path(api->attrs, "policy");
	cJSON *doc = rpol_parse(p), *s;
	char *text;
	size_t i, o = 0;

	if (doc || !cJSON_IsString(p))
		return doc;
	text = xstrdup(p->valuestring);
	for (i = 0; text[i]; i++)
		if (!(text[i] == '\\' && (text[i + 1] == '"' || text[i + 1] == '/')))
			text[o++] = text[i];
	text[o] = '\0';
	s = cJSON_CreateString(text);
	doc = rpol_parse(s);
	cJSON_Delete(s);
	free(text);
	return doc;
}

/* Whether a REST API's resource policy narrows who may call it. */
static void
rest_policy_limit(const struct amodel *m, const struct am_res *api, struct exposure_route *r)
{
	cJSON *doc = rest_policy(api);
	struct rpol_grant g;
	char owner[16], stmt[120];

	if (!doc)
		return;
	exposure_owner(m, api, owner, sizeof(owner));
	if (!rpol_widest(doc, invoke_api, owner, &g)) {
		r->policy_limited = 1;
		snprintf(r->policy_why, sizeof(r->policy_why),
		         "its resource policy allows execute-api:Invoke to nobody outside IAM");
	} else if (!rpol_is_open(&g)) {
		r->policy_limited = 1;
		rpol_describe(&g, stmt, sizeof(stmt));
		snprintf(r->policy_why, sizeof(r->policy_why),
		         "its resource policy %s limits it: %s", stmt,
		         *g.limit ? g.limit : g.principal);
	}
	cJSON_Delete(doc);
}

static void
set_target(struct exposure_route *r, const char *type, const char *uri)
{
	analyze_function_arn(uri, r->target, sizeof(r->target));
	if (!*r->target)
		snprintf(r->backend, sizeof(r->backend), "%s %s", type ? type : "?",
		         uri ? uri : "");
}

static int
rest_method_open(const cJSON *meth)
{
	const char *auth = json_str(meth, "authorizationType");

	return (!auth || !strcmp(auth, "NONE")) && !json_bool(meth, "apiKeyRequired", 0);
}

static int
rest_each(const struct amodel *m, const struct am_res *api,
          int (*fn)(const struct exposure_route *r, void *ctx), void *ctx)
{
	const cJSON *res, *meth;
	struct exposure_route base = { .api = api };
	int rc;

	rest_policy_limit(m, api, &base);
	cJSON_ArrayForEach(res, json_path(api->attrs, "Resources"))
	{
		const char *path = json_str(res, "path");

		cJSON_ArrayForEach(meth, json_path(res, "resourceMethods"))
		{
			const char *type = json_str(meth, "methodIntegration.type");
			struct exposure_route r = base;

			if (!meth->string || !rest_method_open(meth))
				continue;
			if (!strcmp(meth->string, "OPTIONS") && type && !strcmp(type, "MOCK"))
				continue; /* CORS preflight: answered by API Gateway itself */
			snprintf(r.key, sizeof(r.key), "%s %s", meth->string, path ? path : "?");
			set_target(&r, type, json_str(meth, "methodIntegration.uri"));
			rc = fn(&r, ctx);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static const cJSON *
http_integration(const struct am_res *api, const char *target)
{
	const cJSON *it;
	const char *id = target && !strncmp(target, "integrations/", 13) ? target + 13 : NULL;

	cJSON_ArrayForEach(it, json_path(api->attrs, "Integrations"))
	{
		const char *iid = json_str(it, "IntegrationId");

		if (id && iid && !strcmp(iid, id))
			return it;
	}
	return NULL;
}

static int
http_each(const struct am_res *api, int (*fn)(const struct exposure_route *r, void *ctx), void *ctx)
{
	const char *proto = json_str(api->attrs, "ProtocolType");
	int websocket = proto && !strcmp(proto, "WEBSOCKET");
	const cJSON *route, *integ;
	int rc;

	cJSON_ArrayForEach(route, json_path(api->attrs, "Routes"))
	{
		const char *auth = json_str(route, "AuthorizationType");
		const char *key = json_str(route, "RouteKey");
		struct exposure_route r = { .api = api };

		if ((auth && strcmp(auth, "NONE")) || json_bool(route, "ApiKeyRequired", 0))
			continue;
		if (websocket && (!key || strcmp(key, "$connect")))
			continue; /* only $connect can carry an authorizer */
		integ = http_integration(api, json_str(route, "Target"));
		if (!integ)
			continue; /* no backend: the route answers nothing */
		snprintf(r.key, sizeof(r.key), "%s", key ? key : "?");
		set_target(&r, json_str(integ, "IntegrationType"),
		           json_str(integ, "IntegrationUri"));
		rc = fn(&r, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int
exposure_each_open_route(const struct amodel *m, const struct am_res *api,
                         int (*fn)(const struct exposure_route *r, void *ctx), void *ctx)
{
	if (api_unreachable(api))
		return 0;
	if (api->kind == MODEL_REST_API)
		return rest_each(m, api, fn, ctx);
	if (api->kind == MODEL_HTTP_API)
		return http_each(api, fn, ctx);
	return 0;
}

static int
report_route(const struct exposure_route *r, void *ctx)
{
	struct findings *out = ctx;
	const char *kind = r->api->kind == MODEL_REST_API ? "REST API" : "HTTP API";
	char loc[400];
	struct finding *f;

	snprintf(loc, sizeof(loc), "%s %s route %s", kind, r->api->name, r->key);
	if (*r->target)
		f = findings_add(
		        out, "SHR-EXP-005", r->target, loc,
		        "%s %s route %s has no authorizer and no API key; it invokes %s%s%s", kind,
		        r->api->name, r->key, analyze_short_name(r->target),
		        r->policy_limited ? "; " : "", r->policy_limited ? r->policy_why : "");
	else
		f = findings_add(out, "SHR-EXP-005", r->api->arn, loc,
		                 "%s %s route %s has no authorizer and no API key; backend %s%s%s",
		                 kind, r->api->name, r->key, r->backend,
		                 r->policy_limited ? "; " : "",
		                 r->policy_limited ? r->policy_why : "");
	if (r->policy_limited)
		f->severity = SEV_LOW;
	return 0;
}

void
exposure_check_apis(const struct amodel *m, struct findings *out)
{
	size_t i;

	for (i = 0; i < m->n_res; i++)
		exposure_each_open_route(m, &m->res[i], report_route, out);
}
