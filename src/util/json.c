#include "util/json.h"

#include <string.h>

cJSON *
json_parse(const char *data, size_t len, struct err *err)
{
	const char *end = NULL;
	cJSON *root;

	if (len > JSON_MAX_BYTES) {
		err_set(err, ERR_LIMIT, "json answer of %zu bytes is too large", len);
		return NULL;
	}
	/* cJSON bounds nesting itself (CJSON_NESTING_LIMIT). */
	root = cJSON_ParseWithLengthOpts(data ? data : "", len, &end, 0);
	if (!root) {
		size_t at = end && data && end >= data ? (size_t)(end - data) : 0;

		err_set(err, ERR_PARSE, "malformed json at byte %zu", at);
		return NULL;
	}
	return root;
}

const cJSON *
json_path(const cJSON *obj, const char *path)
{
	char name[128];

	while (obj && *path) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);

		if (len >= sizeof(name) || !cJSON_IsObject(obj))
			return NULL;
		memcpy(name, path, len);
		name[len] = '\0';
		obj = cJSON_GetObjectItemCaseSensitive(obj, name);
		path += len + (dot ? 1 : 0);
	}
	return obj;
}

const char *
json_str(const cJSON *obj, const char *path)
{
	const cJSON *v = json_path(obj, path);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
json_num(const cJSON *obj, const char *path, double *out)
{
	const cJSON *v = json_path(obj, path);

	if (!cJSON_IsNumber(v))
		return ERR_NOTFOUND;
	*out = v->valuedouble;
	return 0;
}

int
json_bool(const cJSON *obj, const char *path, int dflt)
{
	const cJSON *v = json_path(obj, path);

	if (cJSON_IsTrue(v))
		return 1;
	if (cJSON_IsFalse(v))
		return 0;
	return dflt;
}
