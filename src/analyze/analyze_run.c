/*
 * The risk engine's driver: the model from the cache, every family over it,
 * findings and scores back into the cache. Families that need more than the
 * model (dependencies: the advisories and the packages' contents) read the
 * store through its API; none of them fetch or draw.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/exposure.h"
#include "analyze/perm.h"
#include "analyze/score.h"
#include "store/findings.h"
#include "util/json.h"
#include "util/xmalloc.h"

/* The boundary's document when the role's attrs or a policy resource carry it. */
static const cJSON *
boundary_doc(const struct amodel *m, const cJSON *role)
{
	const char *arn = json_str(role, "PermissionsBoundary.PermissionsBoundaryArn");
	const struct am_res *pol;
	const cJSON *doc, *v;

	if (!arn)
		return NULL;
	doc = cJSON_GetObjectItemCaseSensitive(json_path(role, "ManagedPolicyDocuments"), arn);
	if (cJSON_IsObject(doc))
		return doc;
	pol = amodel_find(m, arn);
	if (!pol)
		return NULL;
	cJSON_ArrayForEach(v, json_path(pol->attrs, "PolicyVersionList"))
	{
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "IsDefaultVersion")))
			return json_path(v, "Document");
	}
	return NULL;
}

static int
check_permissions(const struct amodel *m, const struct analyze_opts *o, struct findings *out,
                  struct err *err)
{
	struct perm_opts po = { .unused_days = o->unused_days, .now = o->now };
	const char **fns = xcalloc(m->n_res + 1, sizeof(*fns));
	size_t i, j;
	int rc = 0;

	for (i = 0; !rc && i < m->n_res; i++) {
		const struct am_res *role = &m->res[i];
		struct perm_role_input in = { .role_arn = role->arn, .attrs = role->attrs };
		size_t n = 0;

		if (role->kind != MODEL_ROLE)
			continue;
		for (j = 0; j < m->n_res; j++) {
			const char *r = json_str(m->res[j].attrs, "Role");

			if (m->res[j].kind == MODEL_FUNCTION && r && !strcmp(r, role->arn))
				fns[n++] = m->res[j].arn;
		}
		in.function_arns = fns;
		in.n_functions = n;
		in.boundary_doc = boundary_doc(m, role->attrs);
		rc = perm_check_role(&in, &po, out, err);
	}
	free(fns);
	return rc;
}

int
analyze_model(const struct amodel *m, const struct analyze_opts *o, struct findings *out,
              struct err *err)
{
	int rc = check_exposure(m, o, out);

	if (!rc)
		rc = check_hygiene(m, o, out);
	if (!rc)
		rc = check_behaviour(m, o, out);
	if (!rc)
		rc = check_env_secrets(m, o, out);
	if (!rc)
		rc = check_permissions(m, o, out, err);
	if (rc && err && !err->code)
		err_set(err, rc, "a check failed");
	return rc;
}

static int
pred_public(const struct amodel *m, const struct am_res *fn)
{
	return exposure_is_public(m, fn, NULL, 0);
}

static int
pred_data(const struct amodel *m, const struct am_res *fn)
{
	return exposure_reaches_data(m, fn, NULL, 0);
}

/* Writes f into the cache, then scores the functions from what is open. */
static int
store_results(struct store *s, const struct amodel *m, const struct findings *f, int64_t now,
              struct analyze_summary *sum, struct err *err)
{
	struct store_finding_in *in = xcalloc(f->n + 1, sizeof(*in));
	char(*ids)[FINDING_ID_LEN + 1] = xcalloc(f->n + 1, sizeof(*ids));
	struct store_findings list = { 0 };
	struct score_finding *open = NULL;
	struct store_score_in *sc = NULL;
	struct fn_score *scores = NULL;
	size_t i, n_open = 0, n_scores = 0;
	int rc;

	for (i = 0; i < f->n; i++) {
		finding_id(&f->v[i], ids[i]);
		in[i] = (struct store_finding_in){ ids[i],
			                           f->v[i].rule->id,
			                           f->v[i].resource,
			                           f->v[i].location,
			                           severity_name(f->v[i].severity),
			                           f->v[i].evidence };
	}
	rc = store_findings_replace(s, in, f->n, NULL, 0, now, err);
	if (!rc)
		rc = store_findings_list(s, NULL, 0, now, &list, err);
	if (!rc) {
		open = xcalloc(list.n + 1, sizeof(*open));
		for (i = 0; i < list.n; i++) {
			enum severity sev = SEV_INFO;

			if (strcmp(list.v[i].status, "open"))
				continue; /* accepted: out of the score, as the reviewer decided */
			severity_parse(list.v[i].severity, &sev);
			open[n_open++] = (struct score_finding){ list.v[i].resource, sev };
			if (sum)
				sum->by_severity[sev]++;
		}
		n_scores = score_functions(m, open, n_open, pred_public, pred_data, &scores);
		sc = xcalloc(n_scores + 1, sizeof(*sc));
		for (i = 0; i < n_scores; i++)
			sc[i] = (struct store_score_in){ scores[i].fn->arn, scores[i].score,
				                         scores[i].base, scores[i].public_entry,
				                         scores[i].reaches_data };
		rc = store_scores_replace(s, sc, n_scores, err);
	}
	if (sum) {
		sum->findings = f->n;
		sum->open = n_open;
		sum->functions = n_scores;
	}
	store_findings_release(&list);
	free(open);
	free(sc);
	free(scores);
	free(ids);
	free(in);
	return rc;
}

/* The code each function was last marked reviewed at, for SHR-BEH-005 (model only). */
static void
mark_reviews(struct store *s, struct amodel *m)
{
	char sha[128];
	size_t i;

	for (i = 0; i < m->n_res; i++) {
		if (m->res[i].kind != MODEL_FUNCTION ||
		    store_review_get(s, m->res[i].arn, sha, sizeof(sha), NULL))
			continue;
		cJSON_AddStringToObject(m->res[i].attrs, "_reviewed_sha", sha);
	}
}

int
analyze_cache(struct store *s, const struct analyze_opts *opts, struct analyze_summary *sum,
              struct err *err)
{
	struct analyze_opts o = *opts;
	struct findings f = { 0 };
	struct amodel m;
	int rc;

	if (sum)
		memset(sum, 0, sizeof(*sum));
	rc = amodel_load(s, &m, err);
	if (rc)
		return rc;
	if (!o.now)
		o.now = m.scanned ? m.scanned : time(NULL);
	mark_reviews(s, &m);
	rc = analyze_model(&m, &o, &f, err);
	if (!rc)
		rc = check_packages(s, &m, &o, &f, err);
	if (!rc)
		rc = store_results(s, &m, &f, (int64_t)time(NULL), sum, err);
	findings_free(&f);
	amodel_free(&m);
	return rc;
}
