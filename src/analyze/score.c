#include "analyze/score.h"

#include <string.h>

#include "util/json.h"
#include "util/xmalloc.h"

int
severity_weight(enum severity s)
{
	static const int w[] = { 0, 1, 4, 10, 25 };

	return (unsigned)s < sizeof(w) / sizeof(w[0]) ? w[s] : 0;
}

int
score_counts_for(const struct am_res *fn, const char *resource)
{
	const cJSON *it;
	const char *role;

	if (!fn || !resource)
		return 0;
	if (!strcmp(fn->arn, resource))
		return 1;
	role = json_str(fn->attrs, "Role");
	if (role && !strcmp(role, resource))
		return 1;
	cJSON_ArrayForEach(it, json_path(fn->attrs, "Layers"))
	{
		const char *lv = json_str(it, "Arn");

		if (lv && !strcmp(lv, resource))
			return 1;
	}
	return 0;
}

size_t
score_functions(const struct amodel *m, const struct score_finding *f, size_t n,
                score_pred *is_public, score_pred *reaches_data, struct fn_score **out)
{
	struct fn_score *v = NULL;
	size_t i, j, k = 0;

	for (i = 0; i < m->n_res; i++) {
		const struct am_res *fn = &m->res[i];
		struct fn_score *s;
		long raised;

		if (fn->kind != MODEL_FUNCTION)
			continue;
		v = xrealloc(v, (k + 1) * sizeof(*v));
		s = &v[k++];
		memset(s, 0, sizeof(*s));
		s->fn = fn;
		for (j = 0; j < n; j++)
			if (score_counts_for(fn, f[j].resource))
				s->base += severity_weight(f[j].severity);
		s->public_entry = is_public ? !!is_public(m, fn) : 0;
		s->reaches_data = reaches_data ? !!reaches_data(m, fn) : 0;
		/* in quarters, so the raise stays an exact integer rule */
		raised = (long)s->base * (4 + 2 * s->public_entry + s->reaches_data);
		s->score = (int)((raised + 3) / 4);
		if (s->score > 100)
			s->score = 100;
	}
	*out = v;
	return k;
}
