/* amodel_load: the whole cache into an amodel, through the store's read API. */
#include <stdio.h>
#include <string.h>

#include "analyze/amodel.h"
#include "store/query.h"

/* 1 when arn is gone or one of its versions (gone:N, gone:alias). */
static int
is_gone(const char *gone, const char *arn)
{
	size_t len = gone ? strlen(gone) : 0;

	return len && !strncmp(arn, gone, len) && (arn[len] == '\0' || arn[len] == ':');
}

static int
load_resources(struct store *s, struct amodel *m, const char *gone, struct err *err)
{
	struct store_list_query q = { .flags = STORE_LIST_ATTRS, .sort = STORE_SORT_KIND };
	struct store_rows rows = { 0 };
	size_t i;
	int rc = store_list(s, &q, &rows, err);

	for (i = 0; !rc && i < rows.n; i++) {
		const struct store_row *r = &rows.v[i];

		if (is_gone(gone, r->arn))
			continue;
		amodel_add_resource(m, r->kind, r->arn, r->name, r->region, r->attrs);
	}
	store_rows_release(&rows);
	return rc;
}

static int
load_edges(struct store *s, struct amodel *m, const char *gone, struct err *err)
{
	struct store_edges edges = { 0 };
	size_t i;
	int rc = store_edges_of(s, NULL, STORE_EDGES_OUT, &edges, err);

	for (i = 0; !rc && i < edges.n; i++) {
		const struct model_edge *e = &edges.v[i].e;

		if (is_gone(gone, e->src) || is_gone(gone, e->dst))
			continue;
		amodel_add_edge(m, e->src, e->dst, e->kind, e->evidence);
	}
	store_edges_release(&edges);
	return rc;
}

static int
load_metrics(struct store *s, struct amodel *m, struct err *err)
{
	size_t i, j;

	for (i = 0; i < m->n_res; i++) {
		struct store_metrics mm = { 0 };
		int rc;

		if (m->res[i].kind != MODEL_FUNCTION)
			continue;
		rc = store_metrics_of(s, m->res[i].arn, 0, &mm, err);
		for (j = 0; !rc && j < mm.n; j++)
			amodel_add_metric(m, m->res[i].arn, mm.v[j].name, mm.v[j].day,
			                  mm.v[j].value);
		store_metrics_release(&mm);
		if (rc)
			return rc;
	}
	return 0;
}

int
amodel_load(struct store *s, struct amodel *m, struct err *err)
{
	return amodel_load_without(s, m, NULL, err);
}

int
amodel_load_without(struct store *s, struct amodel *m, const char *gone, struct err *err)
{
	struct store_overview o = { 0 };
	int rc;

	amodel_init(m);
	rc = store_overview_load(s, &o, err);
	if (!rc) {
		snprintf(m->account, sizeof(m->account), "%s", o.account ? o.account : "");
		m->scanned = (time_t)o.finished;
	}
	store_overview_release(&o);
	if (!rc)
		rc = load_resources(s, m, gone, err);
	if (!rc) {
		amodel_index(m);
		rc = load_edges(s, m, gone, err);
	}
	if (!rc) {
		amodel_index(m);
		rc = load_metrics(s, m, err);
	}
	if (rc)
		amodel_free(m);
	return rc;
}
