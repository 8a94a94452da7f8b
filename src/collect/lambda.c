/*
 * The Lambda collector: per region, in the LIST phase,
 *
 *   ListFunctions (FunctionVersion=ALL, MaxItems=50)   pages, Marker/NextMarker
 *     └ ListEventSourceMappings            pages, once per region (needs the functions)
 *   ListLayers                             pages, once per region
 *
 * in the DETAIL phase, per unqualified function (lambda_fanout):
 *         GetFunction                      new, or RevisionId/CodeSha256 changed
 *         GetPolicy                        every full scan (--quick: changed only)
 *           └ ListFunctionUrlConfigs       function or policy changed
 *         ListFunctionEventInvokeConfigs   new or changed
 *         ListAliases                      functions with published versions
 *
 * and in the EDGES phase the function's own edges (lambda_edges.c). What is
 * not read again is carried over from the previous scan's attrs
 * (lambda_parse.c). Every failed call is a gap; the rest of the scan goes on.
 */
#include "collect/lambda_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/xmalloc.h"

#define LAMBDA_PAGE "50"

/* One region's walk of a paginated listing. */
struct lambda_walk {
	char region[32];
	char *marker;    /* owned */
	cJSON *versions; /* ListFunctions: the published versions listed so far */
};

struct lambda_fn_call;
struct collect_scan;
/* Stores a per-function listing's items, all pages together ({field: [...]}). */
typedef void fn_list_apply(cJSON *attrs, const cJSON *all);

/* One call about one function; a listing keeps its pages' items here. */
struct lambda_fn_call {
	char arn[512];
	char name[160];
	char region[32];
	int changed;
	/* listings only (fn_list) */
	const char *op, *path_fmt, *field;
	fn_list_apply *apply;
	char *marker;
	cJSON *items;
	int pages;
};

/* A function has few URLs, configs and aliases; this bounds a hostile marker loop. */
#define LAMBDA_FN_MAX_PAGES 100

static void list_page(struct collect_scan *scan, struct lambda_walk *w);
static void esm_page(struct collect_scan *scan, struct lambda_walk *w);
static void layers_page(struct collect_scan *scan, struct lambda_walk *w);

static void
walk_free(struct lambda_walk *w)
{
	if (!w)
		return;
	free(w->marker);
	cJSON_Delete(w->versions);
	free(w);
}

static struct lambda_walk *
walk_new(const char *region)
{
	struct lambda_walk *w = xcalloc(1, sizeof(*w));

	snprintf(w->region, sizeof(w->region), "%s", region ? region : "");
	return w;
}

/* "k=v" pairs encoded into a query string; a NULL value leaves the pair out. */
static char *
query_build(const char *const *pairs)
{
	struct buf b;
	size_t len;

	buf_init(&b, 0);
	for (; pairs[0]; pairs += 2) {
		if (!pairs[1])
			continue;
		if (b.len)
			buf_putc(&b, '&');
		buf_puts(&b, pairs[0]);
		buf_putc(&b, '=');
		aws_uri_encode(&b, pairs[1], strlen(pairs[1]), 0);
	}
	return buf_take(&b, &len);
}

/* Parses an answer's body; NULL (and a gap) when it is not JSON. */
static cJSON *
answer_json(struct collect_scan *scan, const char *region, const char *op, const char *resource,
            const struct aws_answer *ans)
{
	struct err err = { 0 };
	cJSON *j;

	if (!ans || !ans->body || !ans->body_len)
		return cJSON_CreateObject();
	j = json_parse(ans->body, ans->body_len, &err);
	if (!j) {
		err_context(&err, "lambda", op, resource);
		collect_gap(scan, "lambda", region, op, &err);
	}
	return j;
}

/* Submits a GET; on a refused submit, done is not called and the scan keeps the gap. */
static int
lambda_get(struct collect_scan *scan, const char *op, const char *region, const char *path,
           const char *query, collect_done_fn *done, void *user)
{
	return collect_call_rest(scan, "lambda", op, region, "GET", path, query, done, user);
}

static struct lambda_fn_call *
fn_call_new(const char *arn, const char *region, int changed)
{
	struct lambda_fn_call *c = xcalloc(1, sizeof(*c));
	const char *name = strrchr(arn, ':');

	snprintf(c->arn, sizeof(c->arn), "%s", arn);
	snprintf(c->name, sizeof(c->name), "%s", name ? name + 1 : arn);
	snprintf(c->region, sizeof(c->region), "%s", region ? region : "");
	c->changed = changed;
	return c;
}

static void
fn_call_free(struct lambda_fn_call *c)
{
	if (!c)
		return;
	free(c->marker);
	cJSON_Delete(c->items);
	free(c);
}

/* Submits GET path-template (one %s: the function name) for c; frees c when refused. */
static void
fn_call(struct collect_scan *scan, const char *op, const char *path_fmt, const char *query,
        struct lambda_fn_call *c, collect_done_fn *done)
{
	char path[512];
	struct buf name;
	size_t len;
	char *enc;

	buf_init(&name, 0);
	aws_uri_encode(&name, c->name, strlen(c->name), 0);
	enc = buf_take(&name, &len);
	snprintf(path, sizeof(path), path_fmt, enc ? enc : "");
	free(enc);
	if (lambda_get(scan, op, c->region, path, query, done, c))
		fn_call_free(c);
}

/* ---- per-function calls */

static cJSON *
fn_attrs_or_gap(struct collect_scan *scan, const struct lambda_fn_call *c, const char *op,
                const struct err *err)
{
	if (err) {
		collect_gap(scan, "lambda", c->region, op, err);
		return NULL;
	}
	return collect_attrs(scan, c->arn);
}

static void
get_function_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                  const struct err *err)
{
	struct lambda_fn_call *c = user;
	cJSON *attrs = fn_attrs_or_gap(scan, c, "GetFunction", err), *j;

	if (attrs) {
		j = answer_json(scan, c->region, "GetFunction", c->arn, ans);
		if (j)
			lambda_apply_get_function(attrs, j);
		cJSON_Delete(j);
	}
	fn_call_free(c);
}

static void fn_list_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                         const struct err *err);

/* Submits the next page of c's listing (c->marker; none for the first). */
static void
fn_list_page(struct collect_scan *scan, struct lambda_fn_call *c)
{
	const char *pairs[] = { "Marker", c->marker, "MaxItems", LAMBDA_PAGE, NULL, NULL };
	char *q = query_build(pairs);

	fn_call(scan, c->op, c->path_fmt, q, c, fn_list_done);
	free(q);
}

/* Starts a paged per-function listing whose items are under field. */
static void
fn_list(struct collect_scan *scan, struct lambda_fn_call *c, const char *op, const char *path_fmt,
        const char *field, fn_list_apply *apply)
{
	c->op = op;
	c->path_fmt = path_fmt;
	c->field = field;
	c->apply = apply;
	c->items = cJSON_CreateArray();
	fn_list_page(scan, c);
}

static void
fn_list_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
             const struct err *err)
{
	struct lambda_fn_call *c = user;
	cJSON *attrs = fn_attrs_or_gap(scan, c, c->op, err), *j = NULL, *all;
	const cJSON *it;
	const char *next;

	if (attrs)
		j = answer_json(scan, c->region, c->op, c->arn, ans);
	if (!j) {
		fn_call_free(c);
		return;
	}
	cJSON_ArrayForEach(it, json_path(j, c->field))
	{
		cJSON_AddItemToArray(c->items, cJSON_Duplicate(it, 1));
	}
	next = json_str(j, "NextMarker");
	if (next && *next && ++c->pages < LAMBDA_FN_MAX_PAGES) {
		free(c->marker);
		c->marker = xstrdup(next);
		cJSON_Delete(j);
		fn_list_page(scan, c);
		return;
	}
	cJSON_Delete(j);
	all = cJSON_CreateObject();
	cJSON_AddItemToObject(all, c->field, c->items);
	c->items = NULL;
	c->apply(attrs, all);
	cJSON_Delete(all);
	fn_call_free(c);
}

/* Replaces attrs[key] with the listing's items (an empty list when none). */
static void
set_list(cJSON *attrs, const char *key, const cJSON *list)
{
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, key);
	cJSON_AddItemToObject(attrs, key,
	                      cJSON_IsArray(list) ? cJSON_Duplicate(list, 1) : cJSON_CreateArray());
}

static void
apply_eic(cJSON *attrs, const cJSON *all)
{
	set_list(attrs, "EventInvokeConfigs", json_path(all, "FunctionEventInvokeConfigs"));
}

static void
apply_aliases(cJSON *attrs, const cJSON *all)
{
	set_list(attrs, "Aliases", json_path(all, "Aliases"));
}

static void
policy_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
            const struct err *err)
{
	struct lambda_fn_call *c = user;
	cJSON *attrs = collect_attrs(scan, c->arn), *j = NULL;
	int read_url = 1;

	if (err && !strcmp(err->aws_code, "ResourceNotFoundException")) {
		if (attrs) /* no resource policy: an answer, not a gap */
			lambda_apply_policy(attrs, NULL);
	} else if (err) {
		collect_gap(scan, "lambda", c->region, "GetPolicy", err);
	} else if (attrs) {
		j = answer_json(scan, c->region, "GetPolicy", c->arn, ans);
		if (j && lambda_apply_policy(attrs, j)) {
			struct err perr = { 0 };

			err_set(&perr, ERR_PARSE, "resource policy is not a json object");
			err_context(&perr, "lambda", "GetPolicy", c->arn);
			collect_gap(scan, "lambda", c->region, "GetPolicy", &perr);
		}
		cJSON_Delete(j);
	}
	if (!attrs) {
		fn_call_free(c);
		return;
	}
	if (!err || !strcmp(err->aws_code, "ResourceNotFoundException"))
		read_url = lambda_need_url(c->changed, collect_previous(scan, c->arn),
		                           json_str(attrs, "PolicyRevisionId"));
	if (read_url) /* the same call record goes on to the URL */
		fn_list(scan, c, "ListFunctionUrlConfigs", "/2021-10-31/functions/%s/urls",
		        "FunctionUrlConfigs", lambda_apply_urls);
	else
		fn_call_free(c);
}

/* 1 when the function's zip is one the cache has not read (container images have none). */
static int
package_unread(struct collect_scan *scan, const cJSON *attrs)
{
	const char *type = json_str(attrs, "PackageType");
	const char *sha = json_str(attrs, "CodeSha256");

	if ((type && strcmp(type, "Zip")) || !sha)
		return 0;
	return !collect_code_known(scan, sha);
}

/* The calls one listed function needs (collect_each callback; ctx: the region). */
static void
lambda_fanout(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs,
              void *ctx)
{
	const char *want = ctx;
	const cJSON *prev;
	int has_versions;
	unsigned needs;
	int changed;

	if (strcmp(region, want))
		return;
	prev = collect_previous(scan, arn);
	has_versions = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(attrs, "Versions")) > 0;
	needs = lambda_needs(attrs, prev, has_versions, collect_quick(scan));
	changed = !!(needs & LAMBDA_NEED_GET);
	if (!changed && !collect_quick(scan) && package_unread(scan, attrs))
		needs |= LAMBDA_NEED_GET; /* for Code.Location: the package was never read */
	if (!has_versions)
		cJSON_DeleteItemFromObjectCaseSensitive(attrs, "Aliases");
	if (needs & LAMBDA_NEED_GET)
		fn_call(scan, "GetFunction", "/2015-03-31/functions/%s", NULL,
		        fn_call_new(arn, region, changed), get_function_done);
	if (needs & LAMBDA_NEED_POLICY)
		fn_call(scan, "GetPolicy", "/2015-03-31/functions/%s/policy", NULL,
		        fn_call_new(arn, region, changed), policy_done);
	if (needs & LAMBDA_NEED_EIC)
		fn_list(scan, fn_call_new(arn, region, changed), "ListFunctionEventInvokeConfigs",
		        "/2019-09-25/functions/%s/event-invoke-config/list",
		        "FunctionEventInvokeConfigs", apply_eic);
	if (needs & LAMBDA_NEED_ALIASES)
		fn_list(scan, fn_call_new(arn, region, changed), "ListAliases",
		        "/2015-03-31/functions/%s/aliases", "Aliases", apply_aliases);
}

/* ---- ListFunctions */

/* Published versions go under their function's "Versions", environment redacted. */
static void
attach_versions(struct collect_scan *scan, cJSON *versions)
{
	cJSON *v;

	while (versions && (v = cJSON_DetachItemFromArray(versions, 0))) {
		char fn[512];
		cJSON *attrs, *list;

		lambda_unqualified(json_str(v, "FunctionArn"), fn, sizeof(fn));
		attrs = collect_attrs(scan, fn);
		if (!attrs) {
			cJSON_Delete(v);
			continue;
		}
		list = cJSON_GetObjectItemCaseSensitive(attrs, "Versions");
		if (!cJSON_IsArray(list))
			list = cJSON_AddArrayToObject(attrs, "Versions");
		lambda_env_redact(v);
		cJSON_DeleteItemFromObjectCaseSensitive(v, LAMBDA_ENV_RAW);
		cJSON_AddItemToArray(list, v);
	}
}

static void
list_item(struct collect_scan *scan, struct lambda_walk *w, const cJSON *item)
{
	const char *version = json_str(item, "Version");
	const char *name = json_str(item, "FunctionName");
	char arn[512];

	if (version && strcmp(version, "$LATEST")) {
		if (!w->versions)
			w->versions = cJSON_CreateArray();
		cJSON_AddItemToArray(w->versions, cJSON_Duplicate(item, 1));
		return;
	}
	lambda_unqualified(json_str(item, "FunctionArn"), arn, sizeof(arn));
	collect_resource(scan, MODEL_FUNCTION, arn, name, w->region,
	                 lambda_attrs_from_list(item, collect_previous(scan, arn)));
}

/* The last page is in (or a page failed): what was listed is read further. */
static void
list_finish(struct collect_scan *scan, struct lambda_walk *w)
{
	struct lambda_walk *esm = walk_new(w->region);

	attach_versions(scan, w->versions);
	esm_page(scan, esm); /* mappings land on the functions just listed */
	walk_free(w);
}

static void
list_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
          const struct err *err)
{
	struct lambda_walk *w = user;
	const cJSON *it;
	const char *next;
	cJSON *j;

	if (err) {
		collect_gap(scan, "lambda", w->region, "ListFunctions", err);
		list_finish(scan, w);
		return;
	}
	j = answer_json(scan, w->region, "ListFunctions", NULL, ans);
	if (!j) {
		list_finish(scan, w);
		return;
	}
	cJSON_ArrayForEach(it, json_path(j, "Functions"))
	{
		list_item(scan, w, it);
	}
	next = json_str(j, "NextMarker");
	free(w->marker);
	w->marker = next && *next ? xstrdup(next) : NULL;
	cJSON_Delete(j);
	if (w->marker)
		list_page(scan, w);
	else
		list_finish(scan, w);
}

static void
list_page(struct collect_scan *scan, struct lambda_walk *w)
{
	const char *pairs[] = { "FunctionVersion", "ALL",       "Marker", w->marker,
		                "MaxItems",        LAMBDA_PAGE, NULL,     NULL };
	char *q = query_build(pairs);

	if (lambda_get(scan, "ListFunctions", w->region, "/2015-03-31/functions/", q, list_done, w))
		list_finish(scan, w); /* refused: read what was listed */
	free(q);
}

void
lambda_functions_listed(struct collect_scan *scan, const char *region, const cJSON *const *pages,
                        size_t n_pages)
{
	struct lambda_walk *w = walk_new(region);
	const cJSON *it;
	size_t i;

	for (i = 0; i < n_pages; i++)
		cJSON_ArrayForEach(it, json_path(pages[i], "Functions"))
		{
			list_item(scan, w, it);
		}
	list_finish(scan, w);
	collect_each(scan, MODEL_FUNCTION, lambda_fanout, (void *)region);
}

/* ---- ListEventSourceMappings and ListLayers */

static void
esm_done(struct collect_scan *scan, void *user, const struct aws_answer *ans, const struct err *err)
{
	struct lambda_walk *w = user;
	const char *next;
	cJSON *j;

	if (err) {
		collect_gap(scan, "lambda", w->region, "ListEventSourceMappings", err);
		walk_free(w);
		return;
	}
	j = answer_json(scan, w->region, "ListEventSourceMappings", NULL, ans);
	if (!j) {
		walk_free(w);
		return;
	}
	lambda_apply_esm_page(scan, j);
	next = json_str(j, "NextMarker");
	free(w->marker);
	w->marker = next && *next ? xstrdup(next) : NULL;
	cJSON_Delete(j);
	if (w->marker)
		esm_page(scan, w);
	else
		walk_free(w);
}

static void
esm_page(struct collect_scan *scan, struct lambda_walk *w)
{
	const char *pairs[] = { "Marker", w->marker, "MaxItems", "100", NULL, NULL };
	char *q = query_build(pairs);

	if (lambda_get(scan, "ListEventSourceMappings", w->region,
	               "/2015-03-31/event-source-mappings/", q, esm_done, w))
		walk_free(w);
	free(q);
}

/* A layer version a function uses but ListLayers did not show (an older version). */
static void
used_layers(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs, void *ctx)
{
	const cJSON *it;

	if (strcmp(region, (const char *)ctx))
		return;
	cJSON_ArrayForEach(it, json_path(attrs, "Layers"))
	{
		const char *lv = json_str(it, "Arn");
		const char *name = lv ? strstr(lv, ":layer:") : NULL;
		cJSON *a;

		if (!name || collect_attrs(scan, lv))
			continue;
		a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "LayerVersionArn", lv);
		cJSON_AddItemToObject(a, "CodeSize", cJSON_Duplicate(json_path(it, "CodeSize"), 1));
		cJSON_AddStringToObject(a, "UsedBy", arn);
		collect_resource(scan, MODEL_LAYER, lv, name + strlen(":layer:"), region, a);
	}
}

/* Marks the listed layer versions a function of this region uses ("UsedBy": the first). */
static void
mark_used_layers(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs,
                 void *ctx)
{
	const cJSON *it;

	if (strcmp(region, (const char *)ctx))
		return;
	cJSON_ArrayForEach(it, json_path(attrs, "Layers"))
	{
		cJSON *layer = collect_attrs(scan, json_str(it, "Arn"));

		if (layer && !cJSON_GetObjectItemCaseSensitive(layer, "UsedBy"))
			cJSON_AddStringToObject(layer, "UsedBy", arn);
	}
}

/* GetLayerVersion: the content's CodeSha256 and, for the CODE phase, its Location. */
static void
layer_version_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                   const struct err *err)
{
	struct lambda_fn_call *c = user;
	cJSON *attrs = fn_attrs_or_gap(scan, c, "GetLayerVersion", err), *j = NULL;

	if (attrs)
		j = answer_json(scan, c->region, "GetLayerVersion", c->arn, ans);
	if (j) {
		const char *loc = json_str(j, "Content.Location");
		cJSON *content = cJSON_CreateObject();

		cJSON_AddStringToObject(
		        content, "CodeSha256",
		        json_str(j, "Content.CodeSha256") ? json_str(j, "Content.CodeSha256") : "");
		cJSON_AddItemToObject(content, "CodeSize",
		                      cJSON_Duplicate(json_path(j, "Content.CodeSize"), 1));
		cJSON_DeleteItemFromObjectCaseSensitive(attrs, "Content");
		cJSON_AddItemToObject(attrs, "Content", content);
		if (loc)
			cJSON_AddStringToObject(attrs, "_code_location", loc);
	}
	cJSON_Delete(j);
	fn_call_free(c);
}

/*
 * A layer version of this account (listed, or used by a function): its content is read once
 * (layer versions never change), so the previous scan's Content stands when
 * the cache has read that package; else GetLayerVersion. Layers of other
 * accounts are not read (their owner may not allow it).
 */
static void
layer_content(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs,
              void *ctx)
{
	const cJSON *prev = json_path(collect_previous(scan, arn), "Content");
	const char *sha = json_str(prev, "CodeSha256");
	char name[160], path[512];
	const char *p = strstr(arn, ":layer:"), *ver;
	struct lambda_fn_call *c;
	size_t len;

	if (strcmp(region, (const char *)ctx) || !p || collect_quick(scan))
		return;
	if (!strstr(arn, collect_account(scan)))
		return;
	if (sha && collect_code_known(scan, sha)) {
		cJSON_DeleteItemFromObjectCaseSensitive(attrs, "Content");
		cJSON_AddItemToObject(attrs, "Content", cJSON_Duplicate(prev, 1));
		return;
	}
	p += strlen(":layer:");
	ver = strrchr(p, ':');
	len = ver ? (size_t)(ver - p) : 0;
	if (!len || len >= sizeof(name))
		return;
	memcpy(name, p, len);
	name[len] = '\0';
	c = fn_call_new(arn, region, 0);
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(path, sizeof(path), "/2018-10-31/layers/%%s/versions/%s", ver + 1);
	fn_call(scan, "GetLayerVersion", path, NULL, c, layer_version_done);
}

static void
layers_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
            const struct err *err)
{
	struct lambda_walk *w = user;
	const char *next;
	cJSON *j;

	if (err) {
		collect_gap(scan, "lambda", w->region, "ListLayers", err);
		walk_free(w);
		return;
	}
	j = answer_json(scan, w->region, "ListLayers", NULL, ans);
	if (!j) {
		walk_free(w);
		return;
	}
	lambda_apply_layers_page(scan, w->region, j);
	next = json_str(j, "NextMarker");
	free(w->marker);
	w->marker = next && *next ? xstrdup(next) : NULL;
	cJSON_Delete(j);
	if (w->marker)
		layers_page(scan, w);
	else
		walk_free(w);
}

static void
layers_page(struct collect_scan *scan, struct lambda_walk *w)
{
	const char *pairs[] = { "Marker", w->marker, "MaxItems", LAMBDA_PAGE, NULL, NULL };
	char *q = query_build(pairs);

	if (lambda_get(scan, "ListLayers", w->region, "/2018-10-31/layers", q, layers_done, w))
		walk_free(w);
	free(q);
}

/* ---- the phases */

static void
edges_of(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs, void *ctx)
{
	if (!strcmp(region, (const char *)ctx))
		lambda_function_edges(scan, arn, attrs);
}

void
collect_lambda_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	if (!region)
		return;
	switch (phase) {
	case COLLECT_PHASE_LIST:
		list_page(scan, walk_new(region));
		layers_page(scan, walk_new(region));
		break;
	case COLLECT_PHASE_DETAIL:
		/*
		 * Every listing is in: layer versions only functions name. The
		 * per-function reads start here, not after the last ListFunctions
		 * page, so that they share the quota-bound time with IAM's
		 * last-accessed jobs, S3 and the metrics instead of preceding them.
		 */
		collect_each(scan, MODEL_FUNCTION, used_layers, (void *)region);
		collect_each(scan, MODEL_FUNCTION, mark_used_layers, (void *)region);
		collect_each(scan, MODEL_LAYER, layer_content, (void *)region);
		collect_each(scan, MODEL_FUNCTION, lambda_fanout, (void *)region);
		break;
	case COLLECT_PHASE_EDGES:
		collect_each(scan, MODEL_FUNCTION, edges_of, (void *)region);
		break;
	default:
		break;
	}
}
