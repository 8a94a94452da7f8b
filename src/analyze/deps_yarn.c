/*
 * yarn.lock, classic (v1) and berry (v2+, "__metadata:"), read line by line.
 * An entry is a header at column 0 listing the specs it satisfies, then
 * fields indented by two spaces:
 *
 *   "@babel/core@^7.0.0", "@babel/core@^7.1.0":      (classic)
 *     version "7.12.3"
 *   "@babel/core@npm:^7.0.0, @babel/core@npm:^7.1.0": (berry)
 *     version: 7.12.3
 *     resolution: "@babel/core@npm:7.12.3"
 *     linkType: hard
 *
 * The name comes from the first spec (an alias "x@npm:real@^1" names the real
 * package) or, in berry, from "resolution:". Workspace, link, portal, file
 * entries and "linkType: soft" are the project's own code: skipped.
 */
#include <string.h>

#include "analyze/deps.h"
#include "analyze/deps_int.h"

struct yarn_entry {
	const char *name, *version, *resolution;
	size_t name_len, version_len, resolution_len;
	int local; /* workspace, link, portal, file: not from a registry */
};

/* The '@' that ends a package name: the first one past a scope's leading '@'. */
static const char *
name_end(const char *s, size_t n)
{
	return n > 1 ? memchr(s + 1, '@', n - 1) : NULL;
}

static int
is_local_range(const char *r, size_t n)
{
	static const char *const protocols[] = { "workspace:", "link:", "portal:", "file:" };

	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (starts_with(r, n, protocols[i]))
			return 1;
	return 0;
}

/* From a header line (column 0, ends with ':'): the first spec's package name. */
static void
header(struct yarn_entry *e, const char *s, size_t n)
{
	const char *comma, *at, *range, *real;
	size_t rn;

	memset(e, 0, sizeof(*e));
	n--; /* the ':' */
	comma = memchr(s, ',', n);
	if (comma)
		n = (size_t)(comma - s);
	trim(&s, &n);
	while (n && (*s == '"' || *s == '\'')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == '"' || s[n - 1] == '\''))
		n--;
	at = name_end(s, n);
	if (!at)
		return;
	e->name = s;
	e->name_len = (size_t)(at - s);
	range = at + 1;
	rn = n - e->name_len - 1;
	e->local = is_local_range(range, rn);
	if (starts_with(range, rn, "npm:")) { /* "alias@npm:real@^1" */
		real = range + 4;
		at = name_end(real, rn - 4);
		if (at) {
			e->name = real;
			e->name_len = (size_t)(at - real);
		}
	}
}

/* "  version "1.2.3"" (classic) or "  version: 1.2.3" (berry): the value of key. */
static int
field(const char *s, size_t n, const char *key, const char **v, size_t *vn)
{
	size_t k = strlen(key);

	if (indent_of(s, n) != 2 || !starts_with(s + 2, n - 2, key))
		return 0;
	s += 2 + k;
	n -= 2 + k;
	if (n && *s == ':') {
		s++;
		n--;
	} else if (!n || *s != ' ') {
		return 0; /* "versions", "version2": another key */
	}
	trim(&s, &n);
	unquote(&s, &n);
	*v = s;
	*vn = n;
	return 1;
}

static void
flush(struct deps *d, struct yarn_entry *e, const char *path)
{
	const char *at;

	if (e->resolution) { /* berry: "name@npm:1.2.3" is the truth */
		at = name_end(e->resolution, e->resolution_len);
		if (at && starts_with(at + 1, e->resolution_len - (size_t)(at + 1 - e->resolution),
		                      "npm:")) {
			e->name = e->resolution;
			e->name_len = (size_t)(at - e->resolution);
		} else {
			e->local = 1; /* workspace:, patch: of a local, git, ... */
		}
	}
	if (e->name && e->version && !e->local && is_registry_version(e->version, e->version_len))
		deps_add(d, "npm", e->name, e->name_len, e->version, e->version_len, path);
	memset(e, 0, sizeof(*e));
}

void
deps_yarn_lock(struct deps *d, const char *path, const void *data, size_t len)
{
	struct lines it;
	struct yarn_entry e = { 0 };
	const char *s, *v;
	size_t n, vn, entries = 0;

	lines_init(&it, data, len);
	while (lines_next(&it, &s, &n)) {
		if (!n || s[0] == '#')
			continue;
		if (s[0] != ' ') {
			flush(d, &e, path);
			if (s[n - 1] == ':' && !starts_with(s, n, "__metadata:")) {
				header(&e, s, n);
				entries++;
			}
		} else if (field(s, n, "version", &v, &vn)) {
			e.version = v;
			e.version_len = vn;
		} else if (field(s, n, "resolution", &v, &vn)) {
			e.resolution = v;
			e.resolution_len = vn;
		} else if (field(s, n, "linkType", &v, &vn) && vn == 4 && !memcmp(v, "soft", 4)) {
			e.local = 1;
		}
	}
	flush(d, &e, path);
	if (!entries && len)
		deps_note(d, path, "no yarn.lock entries");
}
