/*
 * Helpers of the service collectors (svc_int.h). They keep no state: the
 * scan's regions come from the driver (collect_regions()).
 */
#include "collect/svc_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/xmalloc.h"

struct svc_call *
svc_call_new(const char *region, const char *arn, const char *name)
{
	struct svc_call *c = xcalloc(1, sizeof(*c));

	snprintf(c->region, sizeof(c->region), "%s", region ? region : "");
	c->arn = arn ? xstrdup(arn) : NULL;
	c->name = name ? xstrdup(name) : NULL;
	return c;
}

void
svc_call_free(struct svc_call *c)
{
	if (!c)
		return;
	free(c->arn);
	free(c->name);
	free(c->token);
	cJSON_Delete(c->data);
	free(c);
}

int
svc_is_code(const struct err *err, const char *code)
{
	return err && code && !strcmp(err->aws_code, code);
}

int
svc_failed(struct collect_scan *scan, const struct err *err, const char *service,
           const char *region, const char *operation, const char *absent_code)
{
	if (!err)
		return 0;
	if (!svc_is_code(err, absent_code))
		collect_gap(scan, service, region, operation, err);
	return 1;
}

void
svc_parse_gap(struct collect_scan *scan, const struct err *perr, const char *service,
              const char *region, const char *operation, const char *resource)
{
	struct err e = *perr;

	err_context(&e, service, operation, resource);
	collect_gap(scan, service, region, operation, &e);
}

cJSON *
svc_json(struct collect_scan *scan, const struct aws_answer *ans, const char *service,
         const char *region, const char *operation, const char *resource)
{
	struct err perr;
	cJSON *j;

	err_clear(&perr);
	if (!ans || !ans->body || !ans->body_len) {
		err_set(&perr, ERR_PARSE, "empty answer");
		svc_parse_gap(scan, &perr, service, region, operation, resource);
		return NULL;
	}
	j = json_parse(ans->body, ans->body_len, &perr);
	if (!j)
		svc_parse_gap(scan, &perr, service, region, operation, resource);
	return j;
}

cJSON *
svc_reuse(struct collect_scan *scan, const char *arn, const char *const *needed)
{
	const cJSON *prev;
	size_t i;

	if (!collect_quick(scan))
		return NULL;
	prev = collect_previous(scan, arn);
	if (!cJSON_IsObject(prev))
		return NULL;
	for (i = 0; needed && needed[i]; i++)
		if (!cJSON_GetObjectItemCaseSensitive(prev, needed[i]))
			return NULL; /* listed only last time, or a part was missing: read it */
	return cJSON_Duplicate(prev, 1);
}

void
svc_replace(cJSON *parent, cJSON *item, cJSON *replacement)
{
	if (item->string) {
		free(replacement->string);
		replacement->string = xstrdup(item->string);
		replacement->type &= ~cJSON_StringIsConst;
	}
	cJSON_ReplaceItemViaPointer(parent, item, replacement);
}

static cJSON *
redacted(const cJSON *v)
{
	char out[128];
	char *text = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);

	collect_redact(text ? text : v->valuestring, out, sizeof(out));
	free(text);
	return cJSON_CreateString(out);
}

void
svc_redact_values(cJSON *map, int (*keep)(const char *value))
{
	cJSON *v, *next;

	if (!cJSON_IsObject(map))
		return;
	for (v = map->child; v; v = next) {
		next = v->next; /* v is replaced (freed) below */
		if (keep && cJSON_IsString(v) && !keep(v->valuestring))
			continue;
		svc_replace(map, v, redacted(v));
	}
}

void
svc_redact_member(cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (v && !cJSON_IsNull(v))
		svc_replace(obj, v, redacted(v));
}

char *
svc_encode(const char *s)
{
	struct buf b;
	size_t len;
	char *out;

	buf_init(&b, 0);
	if (aws_uri_encode(&b, s ? s : "", s ? strlen(s) : 0, 0) || !b.data) {
		buf_release(&b);
		return xstrdup("");
	}
	out = buf_take(&b, &len);
	return out;
}

int
svc_region_scanned(const struct collect_scan *scan, const char *region)
{
	const char *const *regions;
	size_t i, n = collect_regions(scan, &regions);

	if (!n)
		return 1; /* not known: keep all */
	for (i = 0; i < n; i++)
		if (region && regions[i] && !strcmp(regions[i], region))
			return 1;
	return 0;
}
