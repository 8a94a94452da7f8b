#include "analyze/amodel.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

void
amodel_init(struct amodel *m)
{
	memset(m, 0, sizeof(*m));
}

static void
series_free(struct am_series *s)
{
	free(s->name);
	free(s->day);
	free(s->value);
}

void
amodel_free(struct amodel *m)
{
	size_t i, j;

	for (i = 0; i < m->n_res; i++) {
		struct am_res *r = &m->res[i];

		free(r->arn);
		free(r->name);
		free(r->region);
		cJSON_Delete(r->attrs);
		free(r->out);
		free(r->in);
		for (j = 0; j < r->n_metrics; j++)
			series_free(&r->metrics[j]);
		free(r->metrics);
	}
	for (i = 0; i < m->n_edges; i++) {
		free(m->edges[i].src);
		free(m->edges[i].dst);
		free(m->edges[i].evidence);
	}
	free(m->res);
	free(m->edges);
	free(m->slots);
	amodel_init(m);
}

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 64;
	return xrealloc(v, *cap * size);
}

struct am_res *
amodel_add_resource(struct amodel *m, enum model_kind kind, const char *arn, const char *name,
                    const char *region, const char *attrs_json)
{
	struct am_res *r;

	m->res = grow(m->res, &m->cap_res, m->n_res, sizeof(*m->res));
	r = &m->res[m->n_res++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->arn = xstrdup(arn ? arn : "");
	r->name = xstrdup(name ? name : "");
	r->region = xstrdup(region ? region : "");
	r->attrs = attrs_json ? cJSON_Parse(attrs_json) : NULL;
	if (!cJSON_IsObject(r->attrs)) {
		cJSON_Delete(r->attrs);
		r->attrs = cJSON_CreateObject();
	}
	free(m->slots); /* a later add invalidates the index */
	m->slots = NULL;
	m->n_slots = 0;
	return r;
}

void
amodel_add_edge(struct amodel *m, const char *src, const char *dst, enum model_edge_kind kind,
                const char *evidence)
{
	struct am_edge *e;

	m->edges = grow(m->edges, &m->cap_edges, m->n_edges, sizeof(*m->edges));
	e = &m->edges[m->n_edges++];
	e->src = xstrdup(src ? src : "");
	e->dst = xstrdup(dst ? dst : "");
	e->kind = kind;
	e->evidence = xstrdup(evidence ? evidence : "");
}

static uint64_t
hash_arn(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot of arn in the index: its resource's, or the empty one it would take. */
static size_t
slot_of(const struct amodel *m, const char *arn)
{
	size_t i = (size_t)hash_arn(arn) & (m->n_slots - 1);

	while (m->slots[i] && strcmp(m->res[m->slots[i] - 1].arn, arn))
		i = (i + 1) & (m->n_slots - 1);
	return i;
}

const struct am_res *
amodel_find(const struct amodel *m, const char *arn)
{
	size_t i;

	if (!arn || !m->n_slots)
		return NULL;
	i = slot_of(m, arn);
	return m->slots[i] ? &m->res[m->slots[i] - 1] : NULL;
}

static void
index_arns(struct amodel *m)
{
	size_t i;

	free(m->slots);
	for (m->n_slots = 16; m->n_slots < 2 * m->n_res + 1;)
		m->n_slots *= 2;
	m->slots = xcalloc(m->n_slots, sizeof(*m->slots)); /* slot value: index + 1 */
	for (i = 0; i < m->n_res; i++) {
		size_t s = slot_of(m, m->res[i].arn);

		if (!m->slots[s]) /* the first of a duplicated ARN wins */
			m->slots[s] = i + 1;
	}
}

static void
index_edges(struct amodel *m)
{
	size_t i;

	for (i = 0; i < m->n_res; i++) {
		free(m->res[i].out);
		free(m->res[i].in);
		m->res[i].out = m->res[i].in = NULL;
		m->res[i].n_out = m->res[i].n_in = 0;
	}
	for (i = 0; i < m->n_edges; i++) {
		struct am_res *src = (struct am_res *)amodel_find(m, m->edges[i].src);
		struct am_res *dst = (struct am_res *)amodel_find(m, m->edges[i].dst);

		if (src) {
			src->out = xrealloc(src->out, (src->n_out + 1) * sizeof(*src->out));
			src->out[src->n_out++] = i;
		}
		if (dst) {
			dst->in = xrealloc(dst->in, (dst->n_in + 1) * sizeof(*dst->in));
			dst->in[dst->n_in++] = i;
		}
	}
}

void
amodel_index(struct amodel *m)
{
	index_arns(m);
	index_edges(m);
}

const struct am_series *
am_metric(const struct am_res *r, const char *name)
{
	size_t i;

	for (i = 0; r && name && i < r->n_metrics; i++)
		if (!strcmp(r->metrics[i].name, name))
			return &r->metrics[i];
	return NULL;
}

static void
series_put(struct am_series *s, int64_t day, double value)
{
	size_t at = s->n;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->day = xrealloc(s->day, s->cap * sizeof(*s->day));
		s->value = xrealloc(s->value, s->cap * sizeof(*s->value));
	}
	while (at > 0 && s->day[at - 1] > day) /* keep days ascending */
		at--;
	memmove(&s->day[at + 1], &s->day[at], (s->n - at) * sizeof(*s->day));
	memmove(&s->value[at + 1], &s->value[at], (s->n - at) * sizeof(*s->value));
	s->day[at] = day;
	s->value[at] = value;
	s->n++;
}

void
amodel_add_metric(struct amodel *m, const char *arn, const char *name, int64_t day, double value)
{
	struct am_res *r;
	struct am_series *s;

	if (!m->n_slots)
		index_arns(m);
	r = (struct am_res *)amodel_find(m, arn);
	if (!r || !name)
		return;
	s = (struct am_series *)am_metric(r, name);
	if (!s) {
		r->metrics = xrealloc(r->metrics, (r->n_metrics + 1) * sizeof(*r->metrics));
		s = &r->metrics[r->n_metrics++];
		memset(s, 0, sizeof(*s));
		s->name = xstrdup(name);
	}
	series_put(s, day, value);
}
