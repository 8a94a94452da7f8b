/*
 * Secrets and dependencies inside code: what the scan's CODE phase read in
 * each unique package (store/packages.h, store/advisory.h), raised on every
 * function whose package or layer it is. A finding in a layer says so in
 * its location ("layer acme-node-utils:1: nodejs/node_modules/..."), so the
 * reviewer sees the function at risk and the place to fix it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "store/advisory.h"
#include "store/packages.h"
#include "util/json.h"
#include "util/xmalloc.h"

/* One package a function runs: its own zip or a layer's content. */
struct used {
	const char *sha;
	const char *layer; /* the layer version's name ("acme-node-utils:1"), NULL for the zip */
};

static void
where(char *out, size_t n, const struct used *u, const char *path, double line)
{
	int len = snprintf(out, n, "%s%s%s%s", u->layer ? "layer " : "", u->layer ? u->layer : "",
	                   u->layer ? ": " : "", path ? path : "");

	if (line > 0 && len >= 0 && (size_t)len < n)
		snprintf(out + len, n - (size_t)len, ":%.0f", line);
}

static void
secrets_of(const struct am_res *fn, const struct used *u, const struct store_package *p,
           struct findings *out)
{
	cJSON *hits = cJSON_Parse(p->secrets), *h;
	char loc[1024];

	cJSON_ArrayForEach(h, hits)
	{
		const char *rule = json_str(h, "rule");
		double line = 0;

		if (!rule || !rule_find(rule))
			continue;
		json_num(h, "line", &line);
		where(loc, sizeof(loc), u, json_str(h, "path"), line);
		findings_add(out, rule, fn->arn, loc, "%s in the code %s: %s",
		             json_str(h, "what") ? json_str(h, "what") : "secret",
		             u->layer ? "of a layer" : "package",
		             json_str(h, "redacted") ? json_str(h, "redacted") : "");
	}
	cJSON_Delete(hits);
}

static void
problems_of(const struct am_res *fn, const struct used *u, const struct store_package *p,
            struct findings *out)
{
	cJSON *list = cJSON_Parse(p->problems), *it;
	char text[1024] = "", loc[600];
	int n = cJSON_GetArraySize(list), k = 0;

	if (n <= 0 && !p->incomplete) {
		cJSON_Delete(list);
		return;
	}
	cJSON_ArrayForEach(it, list)
	{
		size_t len = strlen(text);

		if (k++ == 3)
			break;
		snprintf(text + len, sizeof(text) - len, "%s%s %s %s", len ? "; " : "",
		         json_str(it, "kind") ? json_str(it, "kind") : "?",
		         json_str(it, "path") ? json_str(it, "path") : "",
		         json_str(it, "detail") ? json_str(it, "detail") : "");
	}
	where(loc, sizeof(loc), u, "", 0);
	findings_add(out, "SHR-DEP-002", fn->arn, loc, "%d problem%s%s: %s", n, n == 1 ? "" : "s",
	             p->incomplete ? ", reading stopped at a limit" : "", text);
	cJSON_Delete(list);
}

static void
advisories_of(struct store *s, const struct am_res *fn, const struct used *u, struct findings *out,
              struct err *err)
{
	struct store_deps deps = { 0 };
	struct advisory_matches m = { 0 };
	char loc[1024];
	size_t i;

	if (store_dependencies_get(s, u->sha, &deps, err) || !deps.n ||
	    advisories_match(s, deps.v, deps.n, &m, err)) {
		store_deps_release(&deps);
		return;
	}
	for (i = 0; i < m.n; i++) {
		const struct store_dep *d = &deps.v[m.v[i].dep];

		where(loc, sizeof(loc), u, d->source, 0);
		dep_finding_add(out, fn->arn, loc, d, &m.v[i]);
	}
	advisory_matches_release(&m);
	store_deps_release(&deps);
}

void
dep_finding_add(struct findings *out, const char *resource, const char *where,
                const struct store_dep *d, const struct advisory_match *m)
{
	char loc[1200];
	struct finding *f;

	snprintf(loc, sizeof(loc), "%s (%s)", where ? where : "", m->id);
	f = findings_add(out, "SHR-DEP-001", resource, loc, "%s %s %s: %s%s%s%s; %s%s",
	                 d->ecosystem, d->name, d->version, m->id, m->aliases[0] ? " (" : "",
	                 m->aliases, m->aliases[0] ? ")" : "",
	                 m->first_fixed ? "first fixed in " : "no fixed version",
	                 m->first_fixed ? m->first_fixed : "");
	f->severity = m->severity;
}

static void
check_package(struct store *s, const struct am_res *fn, const struct used *u, struct findings *out,
              struct err *err)
{
	struct store_package_row row;

	if (!u->sha || store_package_get(s, u->sha, &row, NULL))
		return; /* not read (yet): the scan's gaps say why */
	secrets_of(fn, u, &row.p, out);
	problems_of(fn, u, &row.p, out);
	store_package_release(&row);
	advisories_of(s, fn, u, out, err);
}

int
check_packages(struct store *s, const struct amodel *m, const struct analyze_opts *o,
               struct findings *out, struct err *err)
{
	size_t i;

	(void)o;
	for (i = 0; i < m->n_res; i++) {
		const struct am_res *fn = &m->res[i];
		const cJSON *it;
		struct used u = { json_str(fn->attrs, "CodeSha256"), NULL };

		if (fn->kind == MODEL_LAYER && !json_str(fn->attrs, "UsedBy")) {
			/* a layer no function uses: what it carries is its own finding */
			u.sha = json_str(fn->attrs, "Content.CodeSha256");
			check_package(s, fn, &u, out, err);
			continue;
		}
		if (fn->kind != MODEL_FUNCTION)
			continue;
		check_package(s, fn, &u, out, err);
		cJSON_ArrayForEach(it, json_path(fn->attrs, "Layers"))
		{
			const struct am_res *layer = amodel_find(m, json_str(it, "Arn"));

			if (!layer)
				continue;
			u.sha = json_str(layer->attrs, "Content.CodeSha256");
			u.layer = layer->name;
			check_package(s, fn, &u, out, err);
		}
	}
	return 0;
}
