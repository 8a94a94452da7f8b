/*
 * npm's JSON sources: package-lock.json (v1, v2, v3) and the package.json of
 * an installed package (see deps.h). cJSON's nesting limit bounds the v1
 * recursion.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "analyze/deps.h"
#include "analyze/deps_int.h"
#include "util/err.h"
#include "util/json.h"

static cJSON *
parse_or_note(struct deps *d, const char *path, const void *data, size_t len)
{
	struct err err = { 0 };
	cJSON *root = json_parse(data, len, &err);

	if (!root)
		deps_note(d, path, "%s", err.msg[0] ? err.msg : "not JSON");
	else if (!cJSON_IsObject(root))
		deps_note(d, path, "not a JSON object");
	if (root && !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		root = NULL;
	}
	return root;
}

/* "npm:real-name@1.2.3", an alias's target; the name may be scoped. */
static void
add_alias(struct deps *d, const char *spec, const char *path)
{
	const char *at = strrchr(spec, '@');

	if (at && at > spec && is_registry_version(at + 1, strlen(at + 1)))
		deps_add(d, "npm", spec, (size_t)(at - spec), at + 1, strlen(at + 1), path);
}

static void
add_npm(struct deps *d, const char *name, const char *version, const char *path)
{
	if (!name || !version)
		return;
	if (!strncmp(version, "npm:", 4))
		add_alias(d, version + 4, path);
	else if (is_registry_version(version, strlen(version)))
		deps_add(d, "npm", name, strlen(name), version, strlen(version), path);
}

/* v1: "dependencies": { name: { "version": ..., "dependencies": { ... } } } */
static void
lock_v1(struct deps *d, const cJSON *deps, const char *path)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, deps)
	{
		if (!cJSON_IsObject(it) || !it->string)
			continue;
		add_npm(d, it->string, json_str(it, "version"), path);
		lock_v1(d, cJSON_GetObjectItemCaseSensitive(it, "dependencies"), path);
	}
}

/* v2/v3: "packages": { "node_modules/a/node_modules/@s/b": { "version": ... } } */
static void
lock_packages(struct deps *d, const cJSON *packages, const char *path)
{
	const cJSON *it;
	const char *key, *nm, *name;

	cJSON_ArrayForEach(it, packages)
	{
		key = it->string;
		if (!key || !*key || !cJSON_IsObject(it) || json_bool(it, "link", 0))
			continue; /* the root project, or a link to a workspace folder */
		nm = NULL;
		for (const char *p = strstr(key, "node_modules/"); p;
		     p = strstr(p + 1, "node_modules/"))
			if (p == key || p[-1] == '/')
				nm = p;
		if (!nm)
			continue;            /* a workspace folder: the project's own code */
		name = json_str(it, "name"); /* an alias installs another package */
		add_npm(d, name ? name : nm + strlen("node_modules/"), json_str(it, "version"),
		        path);
	}
}

void
deps_npm_lock(struct deps *d, const char *path, const void *data, size_t len)
{
	cJSON *root = parse_or_note(d, path, data, len);
	const cJSON *packages, *deps;

	if (!root)
		return;
	packages = cJSON_GetObjectItemCaseSensitive(root, "packages");
	deps = cJSON_GetObjectItemCaseSensitive(root, "dependencies");
	if (cJSON_IsObject(packages))
		lock_packages(d, packages, path);
	else if (cJSON_IsObject(deps))
		lock_v1(d, deps, path);
	else
		deps_note(d, path, "neither \"packages\" nor \"dependencies\"");
	cJSON_Delete(root);
}

void
deps_npm_package_json(struct deps *d, const char *path, const void *data, size_t len)
{
	cJSON *root = parse_or_note(d, path, data, len);
	const char *name, *version;

	if (!root)
		return;
	name = json_str(root, "name");
	version = json_str(root, "version");
	if (name && version && is_registry_version(version, strlen(version)))
		deps_add(d, "npm", name, strlen(name), version, strlen(version), path);
	else
		deps_note(d, path, "no \"name\" and registry \"version\"");
	cJSON_Delete(root);
}
