/*
 * The dependency list: de-duplication, notes, and which reader a file goes
 * to, decided by its path alone (see deps.h).
 */
#include "analyze/deps.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/deps_int.h"
#include "analyze/package.h"
#include "util/xmalloc.h"

void
deps_init(struct deps *d)
{
	memset(d, 0, sizeof(*d));
}

void
deps_free(struct deps *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].name);
		free(d->v[i].version);
		free(d->v[i].source);
	}
	for (size_t i = 0; i < d->n_notes; i++)
		free(d->notes[i]);
	free(d->v);
	free(d->notes);
	free(d->slots);
	deps_init(d);
}

void
deps_note(struct deps *d, const char *source, const char *fmt, ...)
{
	char msg[256], *note;
	size_t n;
	va_list ap;

	if (d->n_notes >= DEPS_NOTES_MAX) {
		d->dropped_notes++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = strlen(source) + strlen(msg) + 3;
	note = xmalloc(n);
	snprintf(note, n, "%s: %s", source, msg);
	d->notes = xrealloc(d->notes, (d->n_notes + 1) * sizeof(*d->notes));
	d->notes[d->n_notes++] = note;
}

char *
deps_pep503(char *out, size_t n, const char *name, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < n; i++) {
		char c = name[i];

		if (c == '-' || c == '_' || c == '.') {
			if (o && out[o - 1] == '-')
				continue;
			c = '-';
		} else if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

static uint64_t
key_hash(const char *eco, const char *name, size_t nl, const char *ver, size_t vl)
{
	uint64_t h = 1469598103934665603ull;

	for (const char *p = eco; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (size_t i = 0; i < nl; i++)
		h = (h ^ (unsigned char)name[i]) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (size_t i = 0; i < vl; i++)
		h = (h ^ (unsigned char)ver[i]) * 1099511628211ull;
	return h;
}

static int
same_key(const struct dep *p, const char *eco, const char *name, size_t nl, const char *ver,
         size_t vl)
{
	return !strcmp(p->ecosystem, eco) && strlen(p->name) == nl && !memcmp(p->name, name, nl) &&
	       strlen(p->version) == vl && !memcmp(p->version, ver, vl);
}

/* Rebuilds the index at twice the size; keeps the load under one half. */
static void
grow_index(struct deps *d)
{
	size_t n_slots = d->n_slots ? d->n_slots * 2 : 64;

	free(d->slots);
	d->slots = xcalloc(n_slots, sizeof(*d->slots));
	d->n_slots = n_slots;
	for (size_t i = 0; i < d->n; i++) {
		const struct dep *p = &d->v[i];
		size_t s = key_hash(p->ecosystem, p->name, strlen(p->name), p->version,
		                    strlen(p->version)) &
		           (n_slots - 1);

		while (d->slots[s])
			s = (s + 1) & (n_slots - 1);
		d->slots[s] = i + 1;
	}
}

int
deps_add(struct deps *d, const char *ecosystem, const char *name, size_t name_len,
         const char *version, size_t version_len, const char *source)
{
	char norm[256];
	struct dep *p;
	size_t s;

	if (!name_len || !version_len || name_len >= sizeof(norm) || version_len > 256 ||
	    memchr(name, '\0', name_len) || memchr(version, '\0', version_len))
		return 0;
	if (!strcmp(ecosystem, "PyPI")) {
		deps_pep503(norm, sizeof(norm), name, name_len);
		name = norm;
		name_len = strlen(norm);
	}
	if ((d->n + 1) * 2 > d->n_slots)
		grow_index(d);
	s = key_hash(ecosystem, name, name_len, version, version_len) & (d->n_slots - 1);
	for (; d->slots[s]; s = (s + 1) & (d->n_slots - 1))
		if (same_key(&d->v[d->slots[s] - 1], ecosystem, name, name_len, version,
		             version_len))
			return 0;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	p = &d->v[d->n];
	snprintf(p->ecosystem, sizeof(p->ecosystem), "%s", ecosystem);
	p->name = xstrndup(name, name_len);
	p->version = xstrndup(version, version_len);
	p->source = xstrdup(source);
	d->slots[s] = ++d->n;
	return 1;
}

/* ---- which reader a path goes to ---- */

/* The path component before the one starting at comp (path + off), or NULL. */
static const char *
parent_of(const char *path, const char *comp, size_t *len)
{
	const char *end = comp, *start;

	if (end <= path + 1 || end[-1] != '/')
		return NULL;
	end--;
	start = end;
	while (start > path && start[-1] != '/')
		start--;
	*len = (size_t)(end - start);
	return start;
}

static int
comp_is(const char *c, size_t n, const char *s)
{
	return c && strlen(s) == n && !memcmp(c, s, n);
}

static int
comp_ends(const char *c, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return c && n > k && !memcmp(c + n - k, suffix, k);
}

/* A lock file under node_modules/ or site-packages/ is a dependency's own. */
static int
inside_installed_tree(const char *path)
{
	static const char *const dirs[] = { "node_modules/", "site-packages/", "dist-packages/" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		const char *p = strstr(path, dirs[i]);

		while (p && p != path && p[-1] != '/')
			p = strstr(p + 1, dirs[i]);
		if (p)
			return 1;
	}
	return 0;
}

/* node_modules/<name>/package.json or node_modules/@scope/<name>/package.json */
static int
is_installed_package_json(const char *path, const char *base)
{
	size_t n1, n2, n3;
	const char *c1 = parent_of(path, base, &n1), *c2, *c3;

	if (!c1 || !n1 || c1[0] == '.' || c1[0] == '@')
		return 0;
	c2 = parent_of(path, c1, &n2);
	if (comp_is(c2, n2, "node_modules"))
		return 1;
	if (!c2 || n2 < 2 || c2[0] != '@')
		return 0;
	c3 = parent_of(path, c2, &n3);
	return comp_is(c3, n3, "node_modules");
}

static int
is_requirements(const char *base)
{
	size_t n = strlen(base);

	return !strncmp(base, "requirements", 12) && n >= 16 && !strcmp(base + n - 4, ".txt");
}

typedef void reader_fn(struct deps *d, const char *path, const void *data, size_t len);

/* Lock files by exact name. */
static const struct {
	const char *name;
	reader_fn *read;
} lock_files[] = {
	{ "package-lock.json", deps_npm_lock }, { "npm-shrinkwrap.json", deps_npm_lock },
	{ "yarn.lock", deps_yarn_lock },        { "pnpm-lock.yaml", deps_pnpm_lock },
	{ "Pipfile.lock", deps_pipfile_lock },  { "poetry.lock", deps_poetry_lock },
	{ "uv.lock", deps_poetry_lock }, /* the same [[package]] name = / version = tables */
};

static reader_fn *
lock_reader(const char *path, const char *base)
{
	size_t pn;
	const char *parent = parent_of(path, base, &pn);

	if (!strcmp(base, ".package-lock.json")) /* npm 7+: what node_modules holds */
		return comp_is(parent, pn, "node_modules") ? deps_npm_lock : NULL;
	if (inside_installed_tree(path))
		return NULL;
	for (size_t i = 0; i < sizeof(lock_files) / sizeof(lock_files[0]); i++)
		if (!strcmp(base, lock_files[i].name))
			return lock_files[i].read;
	return is_requirements(base) ? deps_requirements : NULL;
}

static int
python_installed(struct deps *d, const char *path, const char *base, const void *data, size_t len)
{
	size_t pn;
	const char *parent = parent_of(path, base, &pn);

	if (comp_ends(parent, pn, ".dist-info")) {
		if (!strcmp(base, "METADATA")) {
			deps_py_metadata(d, path, data, len);
			return 1;
		}
		if (!strcmp(base, "RECORD") || !strcmp(base, "WHEEL") ||
		    !strcmp(base, "INSTALLER")) {
			char *folder = xstrndup(path, (size_t)(parent - path) + pn);

			deps_py_dist_info_name(d, parent, pn, folder);
			free(folder);
			return 1;
		}
		return 0;
	}
	if ((!strcmp(base, "PKG-INFO") &&
	     (comp_ends(parent, pn, ".egg-info") || comp_is(parent, pn, "EGG-INFO"))) ||
	    comp_ends(base, strlen(base), ".egg-info")) {
		deps_py_metadata(d, path, data, len);
		return 1;
	}
	return 0;
}

int
deps_from_file(struct deps *d, const char *path, const void *data, size_t len)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	reader_fn *read = lock_reader(path, base);

	if (read) {
		read(d, path, data, len);
		return 1;
	}
	if (!strcmp(base, "package.json")) {
		if (!is_installed_package_json(path, base))
			return 0;
		deps_npm_package_json(d, path, data, len);
		return 1;
	}
	return python_installed(d, path, base, data, len);
}

int
deps_entry_fn(const struct package_entry *e, void *ctx)
{
	deps_from_file(ctx, e->path, e->data, e->len);
	return 0;
}

/* ---- shared by the readers ---- */

void
lines_init(struct lines *it, const void *data, size_t len)
{
	it->p = data;
	it->end = it->p + len;
}

int
lines_next(struct lines *it, const char **s, size_t *n)
{
	const char *nl;

	if (it->p >= it->end)
		return 0;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	*s = it->p;
	*n = (size_t)((nl ? nl : it->end) - it->p);
	it->p = nl ? nl + 1 : it->end;
	if (*n && (*s)[*n - 1] == '\r')
		(*n)--;
	return 1;
}

size_t
indent_of(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	return i;
}

void
trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

void
unquote(const char **s, size_t *n)
{
	if (*n >= 2 && (**s == '"' || **s == '\'') && (*s)[*n - 1] == **s) {
		(*s)++;
		*n -= 2;
	}
}

int
starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !memcmp(s, prefix, k);
}

int
is_registry_version(const char *v, size_t n)
{
	return n && v[0] >= '0' && v[0] <= '9';
}
