/*
 * API Gateway, per region. REST APIs: GetRestApis, then per API GetResources
 * with embed=methods (methods, their authorization and integrations in one
 * paged call), GetStages, and GetAuthorizers only when a method uses one.
 * HTTP APIs: GetApis, then per API GetRoutes, GetIntegrations, GetStages,
 * and GetAuthorizers only when a route uses one. GetApiKeys and
 * GetUsagePlans once per region that has REST APIs. The management quota
 * is low (~10/s): the transport paces, this file keeps the calls per API
 * few.
 *
 * Edges: a route whose integration reaches a function is a trigger edge
 * api -> function; all routes of one API to one function share the edge,
 * their "METHOD /path auth TYPE" joined in its evidence.
 *
 * Attrs: the GetRestApis item plus "Resources", "Stages", "Authorizers";
 * the GetApis item (member names, see collect_apigw_v2_members) plus
 * "Routes", "Integrations", "Stages", "Authorizers"; REST APIs of a region
 * also get "UsagePlans" (those naming the API) and the region's "ApiKeys"
 * (ids and names, never values).
 */
#include "collect/collectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "collect/svc_int.h"
#include "collect/svc_parse.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/xmalloc.h"

#define APIGW_MAX_PAGES 200 /* of 500: 100,000 APIs, keys or plans a region */
#define APIGW_MAX_ITEMS 100000

/* One API being read: the pages of its lists, until the last call is in. */
struct api_read {
	char region[32];
	char arn[256];
	char id[64];
	int http;            /* 1: an HTTP API (v2) */
	int pending;         /* calls still out */
	cJSON *routes;       /* REST: resources; HTTP: routes */
	cJSON *integrations; /* HTTP only */
};

struct api_call {
	struct api_read *api;
	const char *operation; /* static */
	const char *member;    /* attrs member the items go to */
	char *path;
};

struct edge_acc {
	struct collect_scan *scan;
	const char *api_arn;
	cJSON *by_fn; /* function ARN -> evidence string */
};

static void api_get(struct api_read *a, struct collect_scan *scan, const char *operation,
                    const char *member, const char *path, const char *query);

static void
edge_add(const struct collect_route *r, void *ctx)
{
	struct edge_acc *acc = ctx;
	cJSON *prev = cJSON_GetObjectItemCaseSensitive(acc->by_fn, r->function);
	char line[700];

	snprintf(line, sizeof(line), "%s %s auth %s%s", r->method, r->path, r->auth,
	         r->api_key_required ? " api key" : "");
	if (!prev) {
		cJSON_AddStringToObject(acc->by_fn, r->function, line);
	} else if (strlen(prev->valuestring) + strlen(line) + 3 < 1000) {
		struct buf b;

		buf_init(&b, 1100);
		buf_printf(&b, "%s; %s", prev->valuestring, line);
		svc_replace(acc->by_fn, prev, cJSON_CreateString(buf_cstr(&b)));
		buf_release(&b);
	}
}

/* Authorizer ids used by the routes (REST: methods): GetAuthorizers only then. */
static int
uses_authorizer(const struct api_read *a)
{
	const cJSON *r, *m;

	cJSON_ArrayForEach(r, a->routes)
	{
		if (a->http && json_str(r, "AuthorizerId"))
			return 1;
		if (a->http)
			continue;
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(r, "resourceMethods"))
		{
			if (json_str(m, "authorizerId"))
				return 1;
		}
	}
	return 0;
}

/* The trigger edges of an API's routes (REST: resources with methods). */
static void
api_edges(struct collect_scan *scan, const char *arn, int http, const cJSON *routes,
          const cJSON *integrations)
{
	struct edge_acc acc = { scan, arn, cJSON_CreateObject() };
	const cJSON *e;

	if (http)
		collect_apigw_http_routes(routes, integrations, edge_add, &acc);
	else
		collect_apigw_rest_routes(routes, edge_add, &acc);
	cJSON_ArrayForEach(e, acc.by_fn)
	{
		collect_edge(scan, arn, e->string, MODEL_EDGE_TRIGGERS, "API %s", e->valuestring);
	}
	cJSON_Delete(acc.by_fn);
}

/*
 * --quick: an API read in full by the previous scan keeps what was read
 * then (members), under the item as listed now; its edges are derived
 * again. Returns 1 when attrs were completed so, 0 when it must be read.
 */
static int
api_reuse(struct collect_scan *scan, const char *arn, cJSON *attrs, int http)
{
	static const char *const rest[] = { "Resources", "Stages", NULL };
	static const char *const v2[] = { "Routes", "Integrations", "Stages", NULL };
	static const char *const carried[] = { "Resources",   "Routes",  "Integrations", "Stages",
		                               "Authorizers", "ApiKeys", "UsagePlans",   NULL };
	cJSON *prev = svc_reuse(scan, arn, http ? v2 : rest);
	size_t i;

	if (!prev)
		return 0;
	for (i = 0; carried[i]; i++) {
		cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(prev, carried[i]);

		if (v)
			cJSON_AddItemToObject(attrs, carried[i], v);
	}
	cJSON_Delete(prev);
	api_edges(scan, arn, http,
	          cJSON_GetObjectItemCaseSensitive(attrs, http ? "Routes" : "Resources"),
	          cJSON_GetObjectItemCaseSensitive(attrs, "Integrations"));
	return 1;
}

static void
api_finish(struct collect_scan *scan, struct api_read *a)
{
	char path[160];

	api_edges(scan, a->arn, a->http, a->routes, a->integrations);
	if (uses_authorizer(a)) {
		a->pending++;
		snprintf(path, sizeof(path),
		         a->http ? "/v2/apis/%s/authorizers" : "/restapis/%s/authorizers", a->id);
		api_get(a, scan, "GetAuthorizers", "Authorizers", path, NULL);
	}
}

static void
api_release(struct collect_scan *scan, struct api_read *a)
{
	if (--a->pending > 0)
		return;
	if (a->routes ||
	    a->integrations) { /* lists in: edges, and maybe authorizers (one more call) */
		a->pending = 1;
		api_finish(scan, a);
		cJSON_Delete(a->routes);
		cJSON_Delete(a->integrations);
		a->routes = a->integrations = NULL;
		if (--a->pending > 0)
			return;
	}
	free(a);
}

/* REST mappings quote a static value: 'value'; anything else maps a request part. */
static int
rest_static(const char *value)
{
	return value[0] == '\'';
}

/* HTTP API parameter mappings name a request part with $; anything else is static. */
static int
http_static(const char *value)
{
	return !strchr(value, '$');
}

/*
 * Values that may be secrets never reach the cache: stage variables and
 * static integration request parameters (an API key sent to a backend).
 */
static void
api_redact_item(cJSON *it, const char *member, int v2)
{
	cJSON *m;

	if (!strcmp(member, "Stages")) {
		svc_redact_values(
		        cJSON_GetObjectItemCaseSensitive(it, v2 ? "StageVariables" : "variables"),
		        NULL);
	} else if (!strcmp(member, "Integrations")) {
		svc_redact_values(cJSON_GetObjectItemCaseSensitive(it, "RequestParameters"),
		                  http_static);
	} else if (!strcmp(member, "Resources")) {
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(it, "resourceMethods"))
		{
			svc_redact_values(
			        (cJSON *)json_path(m, "methodIntegration.requestParameters"),
			        rest_static);
		}
	}
}

static void
append_items(cJSON *attrs, const char *member, cJSON *items, int v2)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(attrs, member);

	if (!list)
		list = cJSON_AddArrayToObject(attrs, member);
	while (items && items->child) {
		cJSON *it = cJSON_DetachItemViaPointer(items, items->child);

		if (v2)
			collect_apigw_v2_members(it);
		api_redact_item(it, member, v2);
		cJSON_AddItemToArray(list, it);
	}
}

static void
api_call_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
              const struct err *err)
{
	struct api_call *c = user;
	struct api_read *a = c->api;
	const char *svc = a->http ? "apigatewayv2" : "apigateway";
	cJSON *j = NULL, *attrs, *items;
	const char *next;

	if (svc_failed(scan, err, svc, a->region, c->operation, "NotFoundException"))
		goto out;
	j = svc_json(scan, ans, svc, a->region, c->operation, a->arn);
	attrs = collect_attrs(scan, a->arn);
	if (!j || !attrs)
		goto out;
	items = cJSON_GetObjectItemCaseSensitive(j, a->http ? "items" : "item");
	if (!strcmp(c->member, "Routes") || !strcmp(c->member, "Resources") ||
	    !strcmp(c->member, "Integrations")) {
		cJSON **keep = !strcmp(c->member, "Integrations") ? &a->integrations : &a->routes;
		cJSON *copy = items ? cJSON_Duplicate(items, 1) : NULL;
		cJSON *it;

		if (!*keep)
			*keep = cJSON_CreateArray();
		while (copy && copy->child) {
			it = cJSON_DetachItemViaPointer(copy, copy->child);
			if (a->http)
				collect_apigw_v2_members(it);
			cJSON_AddItemToArray(*keep, it);
		}
		cJSON_Delete(copy);
	}
	append_items(attrs, c->member, items, a->http);
	next = json_str(j, a->http ? "nextToken" : "position");
	if (next && *next) {
		char *enc = svc_encode(next);
		char query[1024];

		snprintf(query, sizeof(query), "%s%s=%s",
		         strcmp(c->operation, "GetResources") ? "" : "embed=methods&limit=500&",
		         a->http ? "nextToken" : "position", enc);
		free(enc);
		a->pending++;
		api_get(a, scan, c->operation, c->member, c->path, query);
	}
out:
	cJSON_Delete(j);
	free(c->path);
	free(c);
	api_release(scan, a);
}

static void
api_get(struct api_read *a, struct collect_scan *scan, const char *operation, const char *member,
        const char *path, const char *query)
{
	struct api_call *c = xcalloc(1, sizeof(*c));

	c->api = a;
	c->operation = operation;
	c->member = member;
	c->path = xstrdup(path);
	if (collect_call_rest(scan, a->http ? "apigatewayv2" : "apigateway", operation, a->region,
	                      "GET", path, query, api_call_done, c)) {
		free(c->path);
		free(c);
		api_release(scan, a);
	}
}

static void
api_read(struct collect_scan *scan, const char *region, const char *id, int http)
{
	struct api_read *a = xcalloc(1, sizeof(*a));
	char path[160];

	snprintf(a->region, sizeof(a->region), "%s", region);
	snprintf(a->id, sizeof(a->id), "%s", id);
	snprintf(a->arn, sizeof(a->arn), "arn:aws:apigateway:%s::/%s/%s", region,
	         http ? "apis" : "restapis", id);
	a->http = http;
	a->pending = http ? 3 : 2;
	if (http) {
		snprintf(path, sizeof(path), "/v2/apis/%s/routes", id);
		api_get(a, scan, "GetRoutes", "Routes", path, NULL);
		snprintf(path, sizeof(path), "/v2/apis/%s/integrations", id);
		api_get(a, scan, "GetIntegrations", "Integrations", path, NULL);
		snprintf(path, sizeof(path), "/v2/apis/%s/stages", id);
		api_get(a, scan, "GetStages", "Stages", path, NULL);
	} else {
		snprintf(path, sizeof(path), "/restapis/%s/resources", id);
		api_get(a, scan, "GetResources", "Resources", path, "embed=methods&limit=500");
		snprintf(path, sizeof(path), "/restapis/%s/stages", id);
		api_get(a, scan, "GetStages", "Stages", path, NULL);
	}
}

/* Region-wide REST lists (keys, usage plans): given to every REST API of the region. */
struct region_items {
	const char *region;
	const char *member; /* "ApiKeys" or "UsagePlans" */
	const cJSON *items;
};

/* A usage plan names its APIs in apiStages; API keys belong to the region. */
static int
item_is_for(const cJSON *it, const char *member, const char *api_id)
{
	const cJSON *st;

	if (!strcmp(member, "ApiKeys"))
		return 1;
	cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(it, "apiStages"))
	{
		const char *api = json_str(st, "apiId");

		if (api && api_id && !strcmp(api, api_id))
			return 1;
	}
	return 0;
}

static void
region_items_add(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs,
                 void *ctx)
{
	const struct region_items *ri = ctx;
	const cJSON *it;
	cJSON *list;

	(void)scan;
	(void)arn;
	if (!region || strcmp(region, ri->region))
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, ri->member); /* a quick scan's reused list */
	list = cJSON_AddArrayToObject(attrs, ri->member);
	cJSON_ArrayForEach(it, ri->items)
	{
		if (item_is_for(it, ri->member, json_str(attrs, "id")))
			cJSON_AddItemToArray(list, cJSON_Duplicate(it, 1));
	}
}

static void region_list_page(struct collect_scan *scan, struct svc_call *c);

/* Moves the answer's items into acc; returns the next page's position, or NULL. */
static const char *
page_items(const cJSON *j, cJSON *acc)
{
	const cJSON *it;
	const char *next = json_str(j, "position");

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "item"))
	{
		cJSON_AddItemToArray(acc, cJSON_Duplicate(it, 1));
	}
	return next && *next ? next : NULL;
}

/* The next page's query: limit=500 and position (URI-encoded) when there is one. */
static char *
page_query(const char *position)
{
	struct buf b;

	buf_init(&b, 0);
	buf_puts(&b, "limit=500");
	if (position) {
		buf_puts(&b, "&position=");
		aws_uri_encode(&b, position, strlen(position), 0);
	}
	return buf_take(&b, NULL);
}

static void
region_list_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                 const struct err *err)
{
	struct svc_call *c = user;
	struct region_items ri;
	const char *next;
	cJSON *j = NULL;

	if (svc_failed(scan, err, "apigateway", c->region, c->name, NULL))
		goto out;
	j = svc_json(scan, ans, "apigateway", c->region, c->name, NULL);
	if (!j)
		goto out;
	next = page_items(j, c->data);
	if (next && cJSON_GetArraySize(c->data) < APIGW_MAX_ITEMS && ++c->pages < APIGW_MAX_PAGES) {
		free(c->token);
		c->token = xstrdup(next);
		cJSON_Delete(j);
		region_list_page(scan, c);
		return;
	}
	ri.region = c->region;
	ri.member = !strcmp(c->name, "GetApiKeys") ? "ApiKeys" : "UsagePlans";
	ri.items = c->data;
	collect_each(scan, MODEL_REST_API, region_items_add, &ri);
out:
	cJSON_Delete(j);
	svc_call_free(c);
}

static void
region_list_page(struct collect_scan *scan, struct svc_call *c)
{
	char *q = page_query(c->token);
	const char *path = !strcmp(c->name, "GetApiKeys") ? "/apikeys" : "/usageplans";

	if (collect_call_rest(scan, "apigateway", c->name, c->region, "GET", path, q,
	                      region_list_done, c))
		svc_call_free(c);
	free(q);
}

static void
region_list(struct collect_scan *scan, const char *region, const char *op, const char *path)
{
	struct svc_call *c;

	(void)path;
	c = svc_call_new(region, NULL, op);
	c->data = cJSON_CreateArray();
	region_list_page(scan, c);
}

static void rest_apis_page(struct collect_scan *scan, struct svc_call *c);

static void
rest_apis_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
               const struct err *err)
{
	struct svc_call *c = user;
	cJSON *j = NULL, *it, *attrs;
	const char *next;
	/* APIs read in full, over all pages: when any was, keys and plans are read again */
	int n = c->count;

	if (svc_failed(scan, err, "apigateway", c->region, "GetRestApis", NULL))
		goto out;
	j = svc_json(scan, ans, "apigateway", c->region, "GetRestApis", NULL);
	if (!j)
		goto out;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "item"))
	{
		const char *id = json_str(it, "id"), *name = json_str(it, "name");
		char arn[256];

		if (!id)
			continue;
		snprintf(arn, sizeof(arn), "arn:aws:apigateway:%s::/restapis/%s", c->region, id);
		attrs = collect_resource(scan, MODEL_REST_API, arn, name ? name : id, c->region,
		                         cJSON_Duplicate(it, 1));
		if (api_reuse(scan, arn, attrs, 0))
			continue;
		api_read(scan, c->region, id, 0);
		n++;
	}
	next = json_str(j, "position");
	if (next && *next && ++c->pages < APIGW_MAX_PAGES) {
		free(c->token);
		c->token = xstrdup(next);
		c->count = n;
		cJSON_Delete(j);
		rest_apis_page(scan, c);
		return;
	}
	if (n) {
		region_list(scan, c->region, "GetApiKeys", "/apikeys");
		region_list(scan, c->region, "GetUsagePlans", "/usageplans");
	}
out:
	cJSON_Delete(j);
	svc_call_free(c);
}

static void http_apis(struct collect_scan *scan, const char *region, const char *token);

static void
http_apis_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
               const struct err *err)
{
	struct svc_call *c = user;
	cJSON *j = NULL, *it;
	const char *next;

	if (svc_failed(scan, err, "apigatewayv2", c->region, "GetApis", NULL))
		goto out;
	j = svc_json(scan, ans, "apigatewayv2", c->region, "GetApis", NULL);
	if (!j)
		goto out;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "items"))
	{
		cJSON *attrs = cJSON_Duplicate(it, 1);
		const char *id, *name;
		char arn[256];

		collect_apigw_v2_members(attrs);
		id = json_str(attrs, "ApiId");
		name = json_str(attrs, "Name");
		if (!id) {
			cJSON_Delete(attrs);
			continue;
		}
		snprintf(arn, sizeof(arn), "arn:aws:apigateway:%s::/apis/%s", c->region, id);
		attrs = collect_resource(scan, MODEL_HTTP_API, arn, name ? name : id, c->region,
		                         attrs);
		if (api_reuse(scan, arn, attrs, 1))
			continue;
		api_read(scan, c->region, json_str(attrs, "ApiId"), 1);
	}
	next = json_str(j, "nextToken");
	if (next && *next)
		http_apis(scan, c->region, next);
out:
	cJSON_Delete(j);
	svc_call_free(c);
}

static void
http_apis(struct collect_scan *scan, const char *region, const char *token)
{
	struct svc_call *c = svc_call_new(region, NULL, NULL);
	char query[1024];

	if (token) {
		char *enc = svc_encode(token);

		snprintf(query, sizeof(query), "maxResults=500&nextToken=%s", enc);
		free(enc);
	} else {
		snprintf(query, sizeof(query), "maxResults=500");
	}
	if (collect_call_rest(scan, "apigatewayv2", "GetApis", region, "GET", "/v2/apis", query,
	                      http_apis_done, c))
		svc_call_free(c);
}

void
collect_apigw_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	struct svc_call *c;

	if (phase != COLLECT_PHASE_LIST || !region)
		return;
	c = svc_call_new(region, NULL, NULL);
	rest_apis_page(scan, c);
	http_apis(scan, region, NULL);
}

static void
rest_apis_page(struct collect_scan *scan, struct svc_call *c)
{
	char *q = page_query(c->token);

	if (collect_call_rest(scan, "apigateway", "GetRestApis", c->region, "GET", "/restapis", q,
	                      rest_apis_done, c))
		svc_call_free(c);
	free(q);
}
