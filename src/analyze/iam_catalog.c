/*
 * The IAM action catalog (see iam_catalog.h): parsed once from the text that
 * the build embeds (data/iam-catalog.tsv through tools/embed-text.awk).
 *
 * Notes:
 * 1. The text is copied and split in place; every string handed out points
 *    into that copy or into the names block, both kept for the program's
 *    life (a cache built once, the one kind of global state allowed).
 * 2. Actions are sorted by (service, action), case-blind, after loading,
 *    whatever order the file has, so lookups are two binary searches.
 * 3. A malformed line is skipped, not fatal: the file is generated and
 *    checked by tests/unit/test_iam_catalog.c, and a partial catalog only
 *    makes shears say less.
 */
#include "analyze/iam_catalog.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/policy.h"
#include "util/xmalloc.h"

extern const char iam_catalog_text[];

struct service_run {
	const char *name;
	size_t first, n;
};

struct entry {
	struct iam_action a;
	const char *short_name; /* "GetObject": after the colon of a.name */
};

static struct {
	char *text;  /* the copy, split in place (note 1) */
	char *names; /* "service:Action\0" for every action */
	struct entry *v;
	size_t n;
	struct service_run *svc;
	size_t n_svc;
	char version[128];
} cat;

static pthread_once_t cat_once = PTHREAD_ONCE_INIT;

static const char *const access_names[] = { "List", "Read", "Write", "Tagging",
	                                    "Permissions management" };

const char *
iam_access_name(enum iam_access a)
{
	return (unsigned)a < 5 ? access_names[a] : "unknown";
}

static int
access_from_letter(char c, enum iam_access *out)
{
	static const char letters[] = "LRWTP";
	const char *p = c ? strchr(letters, c) : NULL;

	if (!p)
		return -1;
	*out = (enum iam_access)(p - letters);
	return 0;
}

/* Splits line at tabs into at most max fields; returns the count. */
static size_t
split_tabs(char *line, char **field, size_t max)
{
	size_t n = 0;

	field[n++] = line;
	while (n < max) {
		char *tab = strchr(field[n - 1], '\t');

		if (!tab)
			break;
		*tab = '\0';
		field[n++] = tab + 1;
	}
	return n;
}

static int
by_service_then_action(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = strcasecmp(a->a.service, b->a.service);

	return c ? c : strcasecmp(a->short_name, b->short_name);
}

/* The source named by the first comment line: "#shears-iam-catalog 1 source NAME VERSION". */
static void
note_version(const char *line)
{
	const char *src = strstr(line, "source ");
	size_t n;

	if (!src || cat.version[0])
		return;
	src += strlen("source ");
	n = strlen(src);
	if (n >= sizeof(cat.version))
		n = sizeof(cat.version) - 1;
	memcpy(cat.version, src, n);
	cat.version[n] = '\0';
}

static void
add_action(char **f, size_t nf, const char *service, size_t *cap, size_t *names_used)
{
	struct entry *e;
	enum iam_access acc;

	if (nf < 3 || !service || !f[1][0] || access_from_letter(f[2][0], &acc))
		return;
	if (cat.n == *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		cat.v = xrealloc(cat.v, *cap * sizeof(*cat.v));
	}
	e = &cat.v[cat.n++];
	e->a.service = service;
	e->a.access = acc;
	e->a.resource_types = nf > 3 ? f[3] : "";
	/* names are filled in once the block's size is known: keep the short name for now */
	e->short_name = f[1];
	*names_used += strlen(service) + 1 + strlen(f[1]) + 1;
}

static void
build_names(size_t names_used)
{
	size_t i, off = 0;

	cat.names = xmalloc(names_used ? names_used : 1);
	for (i = 0; i < cat.n; i++) {
		struct entry *e = &cat.v[i];
		size_t ls = strlen(e->a.service), la = strlen(e->short_name);

		memcpy(cat.names + off, e->a.service, ls);
		cat.names[off + ls] = ':';
		memcpy(cat.names + off + ls + 1, e->short_name, la + 1);
		e->a.name = cat.names + off;
		e->short_name = cat.names + off + ls + 1;
		off += ls + la + 2;
	}
}

static void
build_runs(void)
{
	size_t i;

	cat.svc = xcalloc(cat.n ? cat.n : 1, sizeof(*cat.svc));
	for (i = 0; i < cat.n; i++) {
		struct service_run *last = cat.n_svc ? &cat.svc[cat.n_svc - 1] : NULL;

		if (last && !strcasecmp(last->name, cat.v[i].a.service)) {
			last->n++;
			continue;
		}
		cat.svc[cat.n_svc++] = (struct service_run){ cat.v[i].a.service, i, 1 };
	}
}

static void
catalog_load(void)
{
	char *line, *next, *f[4];
	const char *service = NULL;
	size_t cap = 0, names_used = 0;

	cat.text = xstrdup(iam_catalog_text);
	for (line = cat.text; line && *line; line = next) {
		size_t nf;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#') {
			note_version(line);
			continue;
		}
		nf = split_tabs(line, f, 4);
		if (line[0] == 'S' && !line[1] && nf >= 2 && f[1][0])
			service = f[1];
		else if (line[0] == 'A' && !line[1])
			add_action(f, nf, service, &cap, &names_used);
	}
	qsort(cat.v, cat.n, sizeof(*cat.v), by_service_then_action);
	build_names(names_used);
	build_runs();
	if (!cat.version[0])
		memcpy(cat.version, "unknown", sizeof("unknown"));
}

static void
catalog_ready(void)
{
	pthread_once(&cat_once, catalog_load);
}

const char *
iam_catalog_version(void)
{
	catalog_ready();
	return cat.version;
}

size_t
iam_catalog_count(void)
{
	catalog_ready();
	return cat.n;
}

const struct iam_action *
iam_catalog_at(size_t i)
{
	catalog_ready();
	return i < cat.n ? &cat.v[i].a : NULL;
}

size_t
iam_catalog_service_count(void)
{
	catalog_ready();
	return cat.n_svc;
}

const char *
iam_catalog_service_at(size_t i, size_t *first, size_t *n)
{
	catalog_ready();
	if (i >= cat.n_svc)
		return NULL;
	if (first)
		*first = cat.svc[i].first;
	if (n)
		*n = cat.svc[i].n;
	return cat.svc[i].name;
}

/* The run of the service spelled by the len bytes at name, or NULL. */
static const struct service_run *
find_run(const char *name, size_t len)
{
	size_t lo = 0, hi;

	catalog_ready();
	hi = cat.n_svc;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = cat.svc[mid].name;
		int c = strncasecmp(name, s, len);

		if (!c && s[len])
			c = -1; /* name is a proper prefix of s: it sorts first */
		if (!c)
			return &cat.svc[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int
iam_catalog_service(const char *service, size_t *first, size_t *n)
{
	const struct service_run *r = service ? find_run(service, strlen(service)) : NULL;

	if (!r)
		return -1;
	*first = r->first;
	*n = r->n;
	return 0;
}

size_t
iam_catalog_index(const char *action)
{
	const char *colon = action ? strchr(action, ':') : NULL;
	const struct service_run *r = colon ? find_run(action, (size_t)(colon - action)) : NULL;
	size_t lo, hi;

	if (!r)
		return (size_t)-1;
	lo = r->first;
	hi = r->first + r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcasecmp(colon + 1, cat.v[mid].short_name);

		if (!c)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (size_t)-1;
}

const struct iam_action *
iam_catalog_find(const char *action)
{
	size_t i = iam_catalog_index(action);

	return i == (size_t)-1 ? NULL : &cat.v[i].a;
}

static int
has_wildcard(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?')
			return 1;
	return 0;
}

static int
all_stars(const char *p)
{
	return *p && strspn(p, "*") == strlen(p);
}

static size_t
add_matching_in_run(struct iam_set *s, const struct service_run *r, const char *action_pattern)
{
	size_t i, n = 0;

	if (all_stars(action_pattern)) {
		/* "s3:*": the whole run, without matching each name */
		for (i = r->first; i < r->first + r->n; i++)
			iam_set_add(s, i);
		return r->n;
	}
	for (i = r->first; i < r->first + r->n; i++) {
		if (policy_wildcard_match(action_pattern, cat.v[i].short_name, 1)) {
			iam_set_add(s, i);
			n++;
		}
	}
	return n;
}

size_t
iam_set_add_pattern(struct iam_set *s, const char *pattern)
{
	const char *colon = pattern ? strchr(pattern, ':') : NULL;
	size_t i, n = 0;

	catalog_ready();
	if (!pattern || !*pattern)
		return 0;
	if (all_stars(pattern)) {
		iam_set_fill(s);
		return cat.n;
	}
	if (!colon) {
		/* IAM accepts no colon-less action but "*"; match whole names, to over-state */
		for (i = 0; i < cat.n; i++) {
			if (policy_wildcard_match(pattern, cat.v[i].a.name, 1)) {
				iam_set_add(s, i);
				n++;
			}
		}
		return n;
	}
	if (!has_wildcard(pattern, (size_t)(colon - pattern))) {
		const struct service_run *r = find_run(pattern, (size_t)(colon - pattern));

		return r ? add_matching_in_run(s, r, colon + 1) : 0;
	}
	for (i = 0; i < cat.n_svc; i++) {
		char svc[128];
		size_t len = (size_t)(colon - pattern);

		if (len >= sizeof(svc))
			return n;
		memcpy(svc, pattern, len);
		svc[len] = '\0';
		if (policy_wildcard_match(svc, cat.svc[i].name, 1))
			n += add_matching_in_run(s, &cat.svc[i], colon + 1);
	}
	return n;
}
