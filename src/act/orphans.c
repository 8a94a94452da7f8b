/* What the three prune-orphan actions share (act/orphans.h). */
#include "act/orphans.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

int
orphan_model(const struct act_plan_ctx *ctx, const char *arn, struct amodel *m,
             const struct am_res **res, struct err *err)
{
	int rc;

	amodel_init(m);
	rc = amodel_load_without(ctx->store, m, ctx->gone, err);
	if (!rc) {
		*res = amodel_find(m, arn);
		if (!*res)
			rc = err_set(err, ERR_NOTFOUND, "'%s' is not in the cache", arn);
	}
	if (rc)
		amodel_free(m);
	return rc;
}

static int
in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

cJSON *
orphan_absent(const char *const *keys, const char *const *list_keys)
{
	cJSON *st = cJSON_CreateObject();

	orphan_absent_fill(st, keys, list_keys);
	return st;
}

void
orphan_absent_fill(cJSON *st, const char *const *keys, const char *const *list_keys)
{
	size_t i;

	for (i = 0; keys[i]; i++) {
		if (!strcmp(keys[i], "Exists"))
			cJSON_AddFalseToObject(st, "Exists");
		else if (in_list(list_keys, keys[i]))
			cJSON_AddArrayToObject(st, keys[i]);
		else
			cJSON_AddNullToObject(st, keys[i]);
	}
}

int
orphan_exists(const cJSON *state)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(state, "Exists");

	return cJSON_IsBool(e) ? cJSON_IsTrue(e) : -1;
}

static int
by_text(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->valuestring,
	              (*(const cJSON *const *)b)->valuestring);
}

cJSON *
orphan_sorted_strings(const cJSON *list)
{
	int n = cJSON_GetArraySize(list), i = 0;
	const cJSON **v = xcalloc((size_t)n + 1, sizeof(*v));
	const cJSON *it;
	cJSON *out;

	cJSON_ArrayForEach(it, list)
	{
		if (!cJSON_IsString(it)) {
			free(v);
			return NULL;
		}
		v[i++] = it;
	}
	if (n)
		qsort(v, (size_t)n, sizeof(*v), by_text);
	out = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(out, cJSON_CreateString(v[i]->valuestring));
	free(v);
	return out;
}
