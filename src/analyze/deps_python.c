/*
 * PyPI sources: requirements files (exact pins only), Pipfile.lock,
 * poetry.lock (and uv.lock, the same [[package]] tables), installed metadata
 * (METADATA, PKG-INFO) and *.dist-info folder names (see deps.h).
 */
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "analyze/deps.h"
#include "analyze/deps_int.h"
#include "util/err.h"
#include "util/json.h"

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static int
is_version_char(char c)
{
	return is_name_char(c) || c == '+' || c == '!';
}

/* ---- requirements.txt ---- */

/* Cuts a comment: '#' at the start or after white space (PEP 508 URLs may hold '#'). */
static void
cut_comment(const char *s, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			*n = i;
			return;
		}
}

static size_t
skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* "name[extras] == 1.2.3 ; marker --hash=..." -> name, version; 0 unless an exact pin. */
static int
pin(const char *s, size_t n, const char **name, size_t *nl, const char **ver, size_t *vl)
{
	size_t i = 0, v;
	const char *semi = memchr(s, ';', n);

	if (semi)
		n = (size_t)(semi - s);
	while (i < n && is_name_char(s[i]))
		i++;
	if (!i)
		return 0;
	*name = s;
	*nl = i;
	i = skip_spaces(s, n, i);
	if (i < n && s[i] == '[') {
		const char *close = memchr(s + i, ']', n - i);

		if (!close)
			return 0;
		i = skip_spaces(s, n, (size_t)(close - s) + 1);
	}
	if (!starts_with(s + i, n - i, "=="))
		return 0;
	i += starts_with(s + i, n - i, "===") ? 3 : 2;
	i = skip_spaces(s, n, i);
	for (v = i; v < n && is_version_char(s[v]);)
		v++;
	if (v == i || (v < n && s[v] != ' ' && s[v] != '\t' && s[v] != ','))
		return 0; /* "1.*" is a range, not a pin */
	*ver = s + i;
	*vl = v - i;
	return 1;
}

void
deps_requirements(struct deps *d, const char *path, const void *data, size_t len)
{
	struct lines it;
	const char *s, *name, *ver;
	size_t n, nl, vl;
	int continued = 0, was_continued;

	lines_init(&it, data, len);
	while (lines_next(&it, &s, &n)) {
		was_continued = continued;
		continued = n && s[n - 1] == '\\';
		if (was_continued)
			continue; /* "--hash=..." lines after a backslash */
		cut_comment(s, &n);
		trim(&s, &n);
		if (!n || s[0] == '-')
			continue; /* -r, -e, -c, --index-url, ... */
		if (pin(s, n, &name, &nl, &ver, &vl))
			deps_add(d, "PyPI", name, nl, ver, vl, path);
	}
}

/* ---- Pipfile.lock ---- */

static void
pipfile_section(struct deps *d, const cJSON *sec, const char *path)
{
	const cJSON *it;
	const char *v;

	cJSON_ArrayForEach(it, sec)
	{
		v = json_str(it, "version");
		if (!it->string || !v || strncmp(v, "==", 2))
			continue; /* git, path and editable entries carry no version */
		v += v[2] == '=' ? 3 : 2;
		if (is_registry_version(v, strlen(v)))
			deps_add(d, "PyPI", it->string, strlen(it->string), v, strlen(v), path);
	}
}

void
deps_pipfile_lock(struct deps *d, const char *path, const void *data, size_t len)
{
	struct err err = { 0 };
	cJSON *root = json_parse(data, len, &err);
	const cJSON *def, *dev;

	if (!root) {
		deps_note(d, path, "%s", err.msg);
		return;
	}
	def = cJSON_GetObjectItemCaseSensitive(root, "default");
	dev = cJSON_GetObjectItemCaseSensitive(root, "develop");
	if (!cJSON_IsObject(def) && !cJSON_IsObject(dev))
		deps_note(d, path, "neither \"default\" nor \"develop\"");
	pipfile_section(d, cJSON_IsObject(def) ? def : NULL, path);
	pipfile_section(d, cJSON_IsObject(dev) ? dev : NULL, path);
	cJSON_Delete(root);
}

/* ---- poetry.lock, uv.lock ---- */

struct toml_pkg {
	const char *name, *version;
	size_t name_len, version_len;
	int in_package; /* directly in a [[package]] table, not a subtable */
	int local;      /* a directory, file or editable source: the project's own */
};

/* `key = value` at the start of a line: the value, unquoted. */
static int
toml_key(const char *s, size_t n, const char *key, const char **v, size_t *vn)
{
	size_t k = strlen(key), i;

	if (!starts_with(s, n, key))
		return 0;
	i = skip_spaces(s, n, k);
	if (i >= n || s[i] != '=')
		return 0;
	*v = s + i + 1;
	*vn = n - i - 1;
	trim(v, vn);
	unquote(v, vn);
	return 1;
}

static void
toml_flush(struct deps *d, struct toml_pkg *p, const char *path)
{
	if (p->name && p->version && !p->local && is_registry_version(p->version, p->version_len))
		deps_add(d, "PyPI", p->name, p->name_len, p->version, p->version_len, path);
	memset(p, 0, sizeof(*p));
}

/* uv: `source = { editable = "." }`; poetry [package.source]: `type = "directory"`. */
static int
is_local_source(const char *key, const char *v, size_t n)
{
	static const char *const uv_kinds[] = { "editable", "virtual", "directory", "path" };

	if (!strcmp(key, "type"))
		return (n == 9 && !memcmp(v, "directory", 9)) || (n == 4 && !memcmp(v, "file", 4));
	if (!n || v[0] != '{')
		return 0;
	v++;
	n--;
	trim(&v, &n);
	for (size_t i = 0; i < sizeof(uv_kinds) / sizeof(uv_kinds[0]); i++) {
		size_t k = strlen(uv_kinds[i]);

		if (n > k && !memcmp(v, uv_kinds[i], k) && (v[k] == ' ' || v[k] == '='))
			return 1;
	}
	return 0;
}

/* One line inside or around [[package]] tables. */
static void
toml_line(struct deps *d, struct toml_pkg *p, const char *s, size_t n, const char *path)
{
	const char *v;
	size_t vn;

	if (s[0] == '[') {
		if (starts_with(s, n, "[[package]]")) {
			toml_flush(d, p, path);
			p->in_package = 1;
		} else if (starts_with(s, n, "[package.")) {
			p->in_package = 0; /* dependencies, extras, source: keys of other things */
		} else {
			toml_flush(d, p, path);
		}
		return;
	}
	if (p->in_package && toml_key(s, n, "name", &v, &vn)) {
		p->name = v;
		p->name_len = vn;
	} else if (p->in_package && toml_key(s, n, "version", &v, &vn)) {
		p->version = v;
		p->version_len = vn;
	} else if (toml_key(s, n, "source", &v, &vn) && p->in_package) {
		p->local |= is_local_source("source", v, vn);
	} else if (toml_key(s, n, "type", &v, &vn)) {
		p->local |= is_local_source("type", v, vn);
	}
}

/* The number of '"""' in a line: an odd count opens or closes a multi-line string. */
static int
triple_quotes(const char *s, size_t n)
{
	int k = 0;

	for (size_t i = 0; i + 3 <= n; i++)
		if (s[i] == '"' && s[i + 1] == '"' && s[i + 2] == '"') {
			k++;
			i += 2;
		}
	return k;
}

void
deps_poetry_lock(struct deps *d, const char *path, const void *data, size_t len)
{
	struct lines it;
	struct toml_pkg p = { 0 };
	const char *s;
	size_t n, packages = 0;
	int in_multiline = 0, was_multiline;

	lines_init(&it, data, len);
	while (lines_next(&it, &s, &n)) {
		was_multiline = in_multiline;
		in_multiline ^= triple_quotes(s, n) & 1; /* a description may hold "name = x" */
		if (was_multiline || in_multiline)
			continue;
		trim(&s, &n);
		if (!n || s[0] == '#')
			continue;
		packages += starts_with(s, n, "[[package]]");
		toml_line(d, &p, s, n, path);
	}
	toml_flush(d, &p, path);
	if (!packages && len)
		deps_note(d, path, "no [[package]] tables");
}

/* ---- installed: METADATA, PKG-INFO ---- */

/* RFC 822 headers up to the first blank line; the body (the README) is not read. */
void
deps_py_metadata(struct deps *d, const char *path, const void *data, size_t len)
{
	struct lines it;
	const char *s, *name = NULL, *version = NULL, *colon, *v;
	size_t n, name_len = 0, version_len = 0, vn;

	lines_init(&it, data, len);
	while (lines_next(&it, &s, &n) && n) {
		colon = memchr(s, ':', n);
		if (s[0] == ' ' || s[0] == '\t' || !colon)
			continue; /* a folded continuation */
		v = colon + 1;
		vn = n - (size_t)(v - s);
		trim(&v, &vn);
		if (colon - s == 4 && !strncasecmp(s, "Name", 4) && !name) {
			name = v;
			name_len = vn;
		} else if (colon - s == 7 && !strncasecmp(s, "Version", 7) && !version) {
			version = v;
			version_len = vn;
		}
	}
	if (name && version && is_registry_version(version, version_len))
		deps_add(d, "PyPI", name, name_len, version, version_len, path);
	else
		deps_note(d, path, "no Name: and Version: headers");
}

void
deps_py_dist_info_name(struct deps *d, const char *folder, size_t len, const char *source)
{
	size_t stem = len - strlen(".dist-info");

	/* the version starts after the first '-' followed by a digit (PEP 427 escapes '-' in names)
	 */
	for (size_t i = 1; i + 1 < stem; i++)
		if (folder[i] == '-' && folder[i + 1] >= '0' && folder[i + 1] <= '9') {
			deps_add(d, "PyPI", folder, i, folder + i + 1, stem - i - 1, source);
			return;
		}
}
