#include "analyze/check_path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/analyze.h"
#include "analyze/deps.h"
#include "analyze/package.h"
#include "analyze/perm.h"
#include "store/advisory.h"
#include "util/xmalloc.h"

#define POLICY_MAX_BYTES ((size_t)1 << 20)

struct walk {
	const struct secret_scanner *secrets;
	struct deps deps;
	struct findings *out;
	const char *target;
	const char *file; /* the file being read */
};

static void
on_hit(const struct secret_hit *h, void *ctx)
{
	struct walk *w = ctx;
	char loc[1024];

	if (h->line)
		snprintf(loc, sizeof(loc), "%s:%zu", w->file, h->line);
	else
		snprintf(loc, sizeof(loc), "%s", w->file);
	findings_add(w->out, h->rule_id, w->target, loc, "%s: %s", h->what, h->redacted);
}

static int
on_entry(const struct package_entry *e, void *ctx)
{
	struct walk *w = ctx;
	struct err err = { 0 };

	w->file = e->path;
	secrets_scan_file(w->secrets, e->path, e->data, e->len, on_hit, w, &err);
	deps_from_file(&w->deps, e->path, e->data, e->len);
	return 0;
}

static void
problems(struct walk *w, const struct package_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		findings_add(w->out, "SHR-DEP-002", w->target, rep->v[i].path, "%s %s",
		             package_problem_name(rep->v[i].kind), rep->v[i].detail);
}

static void
advisories(struct walk *w, struct store *s, struct check_stats *st, struct err *err)
{
	struct store_dep *d = xcalloc(w->deps.n + 1, sizeof(*d));
	struct advisory_matches m = { 0 };
	size_t i;

	for (i = 0; i < w->deps.n; i++)
		d[i] = (struct store_dep){ w->deps.v[i].ecosystem, w->deps.v[i].name,
			                   w->deps.v[i].version, w->deps.v[i].source };
	if (!advisories_match(s, d, w->deps.n, &m, err)) {
		st->advisories = 1;
		for (i = 0; i < m.n; i++)
			dep_finding_add(w->out, w->target, d[m.v[i].dep].source, &d[m.v[i].dep],
			                &m.v[i]);
		advisory_matches_release(&m);
	}
	free(d);
}

/* A .json file with a "Statement": the permissions rules. 1 when it was one. */
static int
try_policy(const char *path, struct findings *out, struct err *err)
{
	struct perm_opts po = { 0 };
	size_t len = strlen(path), n;
	cJSON *doc;
	char *text;
	FILE *f;
	int rc;

	if (len < 5 || strcmp(path + len - 5, ".json"))
		return 0;
	f = fopen(path, "r");
	if (!f)
		return 0;
	text = xmalloc(POLICY_MAX_BYTES + 1);
	n = fread(text, 1, POLICY_MAX_BYTES, f);
	fclose(f);
	text[n] = '\0';
	doc = cJSON_Parse(text);
	free(text);
	if (!cJSON_IsObject(doc) || !cJSON_GetObjectItemCaseSensitive(doc, "Statement")) {
		cJSON_Delete(doc);
		return 0;
	}
	rc = perm_check_document(path, doc, &po, out, err);
	cJSON_Delete(doc);
	return rc ? -1 : 1;
}

int
check_path(const char *path, const struct secrets_opts *so, struct store *s, struct findings *out,
           struct check_stats *st, struct err *err)
{
	struct package_limits lim;
	struct package_report rep = { 0 };
	struct walk w = { .out = out, .target = path };
	struct secret_scanner *sc;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = try_policy(path, out, err);
	if (rc) {
		st->policy = 1;
		return rc < 0 ? (err->code ? (int)err->code : ERR_PARSE) : 0;
	}
	sc = secrets_new(so, err);
	if (!sc)
		return err->code ? (int)err->code : ERR_USAGE;
	w.secrets = sc;
	deps_init(&w.deps);
	package_limits_default(&lim);
	rc = package_read_path(path, &lim, on_entry, &w, &rep, err);
	if (!rc) {
		problems(&w, &rep);
		st->files = rep.files;
		st->bytes = rep.bytes;
		st->deps = w.deps.n;
		if (s && w.deps.n)
			advisories(&w, s, st, err);
	}
	package_report_free(&rep);
	deps_free(&w.deps);
	secrets_free(sc);
	return rc;
}
