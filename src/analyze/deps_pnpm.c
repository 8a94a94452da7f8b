/*
 * pnpm-lock.yaml, read line by line: only the keys of the top-level
 * "packages:" and "snapshots:" maps (indented two spaces) are read. Their
 * shapes by lockfile version:
 *
 *   5.x   /name/1.2.3   /@scope/name/1.2.3   /name/1.2.3_peer@2.0.0+other@1.0.0
 *   6.x   /name@1.2.3   /@scope/name@1.2.3   /name@1.2.3(peer@2.0.0)
 *   9.x   name@1.2.3    '@scope/name@1.2.3'  name@1.2.3(peer@2.0.0)
 *
 * The shape is told per key, not from lockfileVersion: "name@version" with a
 * plain name is tried first, then the slash form. Tarball, git and file keys
 * have no registry version: skipped.
 */
#include <string.h>

#include "analyze/deps.h"
#include "analyze/deps_int.h"

/* A package name: "name" or "@scope/name", no other '/'. */
static int
is_name(const char *s, size_t n)
{
	const char *slash = memchr(s, '/', n);

	if (!n || (s[0] == '@') != (slash != NULL))
		return 0;
	return !slash || (slash > s + 1 && slash + 1 < s + n &&
	                  !memchr(slash + 1, '/', n - (size_t)(slash + 1 - s)));
}

/* "name@1.2.3" (6.x, 9.x). Returns 1 when added or a duplicate. */
static int
at_form(struct deps *d, const char *k, size_t n, const char *path)
{
	const char *at = n > 1 ? memchr(k + 1, '@', n - 1) : NULL;
	size_t nl;

	if (!at)
		return 0;
	nl = (size_t)(at - k);
	if (!is_name(k, nl) || !is_registry_version(at + 1, n - nl - 1) ||
	    memchr(at + 1, '/', n - nl - 1))
		return 0;
	deps_add(d, "npm", k, nl, at + 1, n - nl - 1, path);
	return 1;
}

/* "name/1.2.3_peers" or "@scope/name/1.2.3_peers" (5.x). */
static void
slash_form(struct deps *d, const char *k, size_t n, const char *path)
{
	const char *slash = memchr(k, '/', n), *ver, *cut;
	size_t vn;

	if (slash && k[0] == '@')
		slash = memchr(slash + 1, '/', n - (size_t)(slash + 1 - k));
	if (!slash)
		return;
	ver = slash + 1;
	vn = n - (size_t)(ver - k);
	cut = memchr(ver, '_', vn); /* the peer suffix */
	if (cut)
		vn = (size_t)(cut - ver);
	if (is_name(k, (size_t)(slash - k)) && is_registry_version(ver, vn) &&
	    !memchr(ver, '/', vn))
		deps_add(d, "npm", k, (size_t)(slash - k), ver, vn, path);
}

/* A key line "  key:" or "  key: {}" or "  'key':"; returns 0 when it is not one. */
static int
entry_key(const char *s, size_t n, const char **k, size_t *kn)
{
	const char *end;

	if (indent_of(s, n) != 2 || n < 4 || s[2] == ' ' || s[2] == '#')
		return 0;
	s += 2;
	n -= 2;
	if (*s == '\'' || *s == '"') {
		end = memchr(s + 1, *s, n - 1);
		if (!end || end + 1 >= s + n || end[1] != ':')
			return 0;
		*k = s + 1;
		*kn = (size_t)(end - s - 1);
		return 1;
	}
	for (end = s; end < s + n; end++)
		if (*end == ':' && (end + 1 == s + n || end[1] == ' '))
			break;
	if (end == s + n)
		return 0;
	*k = s;
	*kn = (size_t)(end - s);
	return 1;
}

static void
read_key(struct deps *d, const char *k, size_t n, const char *path)
{
	const char *paren;

	if (n && k[0] == '/') {
		k++;
		n--;
	}
	paren = memchr(k, '(', n);
	if (paren)
		n = (size_t)(paren - k);
	if (!at_form(d, k, n, path))
		slash_form(d, k, n, path);
}

void
deps_pnpm_lock(struct deps *d, const char *path, const void *data, size_t len)
{
	struct lines it;
	const char *s, *k;
	size_t n, kn;
	int in_packages = 0, known = 0;

	lines_init(&it, data, len);
	while (lines_next(&it, &s, &n)) {
		if (!n || s[0] == '#')
			continue;
		if (s[0] != ' ') {
			in_packages =
			        starts_with(s, n, "packages:") || starts_with(s, n, "snapshots:");
			known |= in_packages || starts_with(s, n, "lockfileVersion:");
			continue;
		}
		if (in_packages && entry_key(s, n, &k, &kn))
			read_key(d, k, kn, path);
	}
	if (!known && len)
		deps_note(d, path, "neither lockfileVersion: nor packages:");
}
