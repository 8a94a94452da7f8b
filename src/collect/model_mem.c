/*
 * The scan's in-memory model: resources in a hash map keyed by ARN (FNV-1a,
 * chained, doubled at load 1) with their insertion order kept for
 * iteration, and growable arrays of edges, metrics and gaps. Everything here
 * is owned by the struct collect_scan and freed by collect_scan_release().
 */
#include "collect/scan_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/packages.h"
#include "util/redact.h"
#include "util/xmalloc.h"

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

void
collect_scan_init(struct collect_scan *scan, struct aws_client *client, int quick)
{
	memset(scan, 0, sizeof(*scan));
	scan->client = client;
	scan->quick = quick;
	scan->n_buckets = 256;
	scan->buckets = xcalloc(scan->n_buckets, sizeof(*scan->buckets));
	scan->n_prev_buckets = 256;
	scan->prev_buckets = xcalloc(scan->n_prev_buckets, sizeof(*scan->prev_buckets));
	scan->what = "";
}

static void
prev_free_all(struct collect_scan *scan)
{
	size_t i;

	for (i = 0; i < scan->n_prev_buckets; i++) {
		struct collect_prev *p = scan->prev_buckets[i];

		while (p) {
			struct collect_prev *next = p->chain;

			free(p->arn);
			free(p->name);
			free(p->region);
			free(p->text);
			cJSON_Delete(p->json);
			free(p);
			p = next;
		}
	}
	free(scan->prev_buckets);
}

void
collect_scan_release(struct collect_scan *scan)
{
	size_t i;

	for (i = 0; i < scan->n_res; i++) {
		struct collect_res *r = scan->res[i];

		free(r->arn);
		free(r->name);
		free(r->region);
		cJSON_Delete(r->attrs);
		free(r);
	}
	free(scan->res);
	free(scan->buckets);
	for (i = 0; i < scan->n_edges; i++) {
		free(scan->edges[i].src);
		free(scan->edges[i].dst);
		free(scan->edges[i].evidence);
	}
	free(scan->edges);
	free(scan->edge_slots);
	for (i = 0; i < scan->n_metrics; i++) {
		free(scan->metrics[i].arn);
		free(scan->metrics[i].name);
	}
	free(scan->metrics);
	for (i = 0; i < scan->n_gaps; i++) {
		free(scan->gaps[i].service);
		free(scan->gaps[i].region);
		free(scan->gaps[i].operation);
		free(scan->gaps[i].error);
	}
	free(scan->gaps);
	for (i = 0; i < scan->n_code; i++) {
		free(scan->code[i].sha);
		free(scan->code[i].problems);
		free(scan->code[i].secrets);
		deps_free(&scan->code[i].deps);
	}
	free(scan->code);
	prev_free_all(scan);
	memset(scan, 0, sizeof(*scan));
}

static struct collect_res *
res_find(const struct collect_scan *scan, const char *arn)
{
	struct collect_res *r;

	if (!arn || !scan->buckets)
		return NULL;
	r = scan->buckets[hash_str(arn) & (scan->n_buckets - 1)];
	for (; r; r = r->chain)
		if (!strcmp(r->arn, arn))
			return r;
	return NULL;
}

static void
res_grow(struct collect_scan *scan)
{
	size_t i, n = scan->n_buckets * 2;
	struct collect_res **b = xcalloc(n, sizeof(*b));

	for (i = 0; i < scan->n_res; i++) {
		struct collect_res *r = scan->res[i];
		size_t k = hash_str(r->arn) & (n - 1);

		r->chain = b[k];
		b[k] = r;
	}
	free(scan->buckets);
	scan->buckets = b;
	scan->n_buckets = n;
}

cJSON *
collect_resource(struct collect_scan *scan, enum model_kind kind, const char *arn, const char *name,
                 const char *region, cJSON *attrs)
{
	struct collect_res *r;
	size_t k;

	if (!attrs)
		attrs = cJSON_CreateObject();
	if (!arn || !*arn) { /* a resource without identity cannot be kept */
		cJSON_Delete(attrs);
		return NULL;
	}
	r = res_find(scan, arn);
	if (r) { /* replace: a later, fuller description wins */
		cJSON_Delete(r->attrs);
		r->attrs = attrs;
		r->kind = kind;
		if (name && *name) {
			free(r->name);
			r->name = xstrdup(name);
		}
		if (region) {
			free(r->region);
			r->region = xstrdup(region);
		}
		return attrs;
	}
	if (scan->n_res >= scan->n_buckets)
		res_grow(scan);
	if (scan->n_res == scan->cap_res) {
		scan->cap_res = scan->cap_res ? scan->cap_res * 2 : 64;
		scan->res = xrealloc(scan->res, scan->cap_res * sizeof(*scan->res));
	}
	r = xcalloc(1, sizeof(*r));
	r->arn = xstrdup(arn);
	r->name = dup_or_empty(name);
	r->region = dup_or_empty(region);
	r->kind = kind;
	r->attrs = attrs;
	k = hash_str(arn) & (scan->n_buckets - 1);
	r->chain = scan->buckets[k];
	scan->buckets[k] = r;
	scan->res[scan->n_res++] = r;
	return attrs;
}

cJSON *
collect_attrs(struct collect_scan *scan, const char *arn)
{
	struct collect_res *r = res_find(scan, arn);

	return r ? r->attrs : NULL;
}

void
collect_each(struct collect_scan *scan, enum model_kind kind,
             void (*fn)(struct collect_scan *scan, const char *arn, const char *region,
                        cJSON *attrs, void *ctx),
             void *ctx)
{
	size_t i, n = scan->n_res; /* resources fn adds are not visited */

	for (i = 0; i < n; i++) {
		struct collect_res *r = scan->res[i];

		if (r->kind == kind)
			fn(scan, r->arn, r->region, r->attrs, ctx);
	}
}

size_t
collect_count(const struct collect_scan *scan, int kind)
{
	size_t i, n = 0;

	for (i = 0; i < scan->n_res; i++)
		if (kind == MODEL_KIND_COUNT || (int)scan->res[i]->kind == kind)
			n++;
	return n;
}

static uint64_t
edge_hash(const char *src, const char *dst, enum model_edge_kind kind)
{
	return hash_str(src) * 31 + hash_str(dst) * 7 + (uint64_t)kind;
}

/* Open addressing over edge indexes + 1 (0: empty), kept under half full. */
static void
edge_index(struct collect_scan *scan, size_t idx)
{
	struct collect_edge_rec *e;
	size_t i, k;

	if ((scan->n_edges + 1) * 2 > scan->n_edge_slots) {
		size_t n = scan->n_edge_slots ? scan->n_edge_slots * 2 : 256;

		free(scan->edge_slots);
		scan->edge_slots = xcalloc(n, sizeof(*scan->edge_slots));
		scan->n_edge_slots = n;
		for (i = 0; i < scan->n_edges; i++) {
			e = &scan->edges[i];
			k = edge_hash(e->src, e->dst, e->kind) & (n - 1);
			while (scan->edge_slots[k])
				k = (k + 1) & (n - 1);
			scan->edge_slots[k] = i + 1;
		}
		return; /* idx was among them */
	}
	e = &scan->edges[idx];
	k = edge_hash(e->src, e->dst, e->kind) & (scan->n_edge_slots - 1);
	while (scan->edge_slots[k])
		k = (k + 1) & (scan->n_edge_slots - 1);
	scan->edge_slots[k] = idx + 1;
}

static const struct collect_edge_rec *
edge_find(const struct collect_scan *scan, const char *src, const char *dst,
          enum model_edge_kind kind)
{
	size_t k;

	if (!scan->n_edge_slots)
		return NULL;
	k = edge_hash(src, dst, kind) & (scan->n_edge_slots - 1);
	for (; scan->edge_slots[k]; k = (k + 1) & (scan->n_edge_slots - 1)) {
		const struct collect_edge_rec *e = &scan->edges[scan->edge_slots[k] - 1];

		if (e->kind == kind && !strcmp(e->src, src) && !strcmp(e->dst, dst))
			return e;
	}
	return NULL;
}

void
collect_edge(struct collect_scan *scan, const char *src, const char *dst, enum model_edge_kind kind,
             const char *evidence_fmt, ...)
{
	struct collect_edge_rec *e;
	char evidence[1024];
	va_list ap;

	if (!src || !dst || !*src || !*dst)
		return;
	if (edge_find(scan, src, dst,
	              kind)) /* one edge per (src, dst, kind): first evidence wins */
		return;
	evidence[0] = '\0';
	if (evidence_fmt) {
		va_start(ap, evidence_fmt);
		vsnprintf(evidence, sizeof(evidence), evidence_fmt, ap);
		va_end(ap);
	}
	if (scan->n_edges == scan->cap_edges) {
		scan->cap_edges = scan->cap_edges ? scan->cap_edges * 2 : 64;
		scan->edges = xrealloc(scan->edges, scan->cap_edges * sizeof(*scan->edges));
	}
	e = &scan->edges[scan->n_edges++];
	e->src = xstrdup(src);
	e->dst = xstrdup(dst);
	e->evidence = xstrdup(evidence);
	e->kind = kind;
	edge_index(scan, scan->n_edges - 1);
}

void
collect_metric(struct collect_scan *scan, const char *arn, const char *name, int64_t day,
               double value)
{
	struct collect_metric_rec *m;

	if (!arn || !name)
		return;
	if (scan->n_metrics == scan->cap_metrics) {
		scan->cap_metrics = scan->cap_metrics ? scan->cap_metrics * 2 : 256;
		scan->metrics = xrealloc(scan->metrics, scan->cap_metrics * sizeof(*scan->metrics));
	}
	m = &scan->metrics[scan->n_metrics++];
	m->arn = xstrdup(arn);
	m->name = xstrdup(name);
	m->day = day;
	m->value = value;
}

void
collect_gap(struct collect_scan *scan, const char *service, const char *region,
            const char *operation, const struct err *err)
{
	struct collect_gap_rec *g;
	char msg[1024];

	if (err)
		err_format(err, msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "not read");
	if (scan->n_gaps == scan->cap_gaps) {
		scan->cap_gaps = scan->cap_gaps ? scan->cap_gaps * 2 : 16;
		scan->gaps = xrealloc(scan->gaps, scan->cap_gaps * sizeof(*scan->gaps));
	}
	g = &scan->gaps[scan->n_gaps++];
	g->service = dup_or_empty(service);
	g->region = dup_or_empty(region);
	g->operation = dup_or_empty(operation);
	g->error = xstrdup(msg);
}

const char *
collect_account(const struct collect_scan *scan)
{
	return scan->account;
}

void
collect_set_account(struct collect_scan *scan, const char *account)
{
	snprintf(scan->account, sizeof(scan->account), "%s", account ? account : "");
}

int
collect_quick(const struct collect_scan *scan)
{
	return scan->quick;
}

void
collect_prev_add_res(struct collect_scan *scan, enum model_kind kind, const char *arn,
                     const char *name, const char *region, const char *attrs_text)
{
	struct collect_prev *p = xcalloc(1, sizeof(*p));
	size_t k = hash_str(arn) & (scan->n_prev_buckets - 1);

	p->arn = xstrdup(arn);
	p->name = dup_or_empty(name);
	p->region = dup_or_empty(region);
	p->kind = kind;
	p->text = dup_or_empty(attrs_text);
	p->chain = scan->prev_buckets[k];
	scan->prev_buckets[k] = p;
	scan->n_prev++;
}

void
collect_prev_add(struct collect_scan *scan, const char *arn, const char *attrs_text)
{
	collect_prev_add_res(scan, MODEL_KIND_COUNT, arn, NULL, NULL, attrs_text);
}

static const cJSON *
prev_json(struct collect_prev *p)
{
	if (!p->json) /* parsed lazily: most previous attrs are never asked for */
		p->json = cJSON_Parse(p->text);
	return p->json;
}

void
collect_previous_each(struct collect_scan *scan, enum model_kind kind, collect_prev_fn *fn,
                      void *ctx)
{
	struct collect_prev *p;
	size_t i;

	for (i = 0; scan->prev_buckets && i < scan->n_prev_buckets; i++)
		for (p = scan->prev_buckets[i]; p; p = p->chain)
			if (p->kind == kind && prev_json(p))
				fn(scan, p->arn, p->name, p->region, p->json, ctx);
}

void
collect_scan_set_regions(struct collect_scan *scan, const char *const *regions, size_t n)
{
	scan->regions = regions;
	scan->n_regions = regions ? n : 0;
}

size_t
collect_regions(const struct collect_scan *scan, const char *const **out)
{
	if (out)
		*out = scan->regions;
	return scan->n_regions;
}

const cJSON *
collect_previous(struct collect_scan *scan, const char *arn)
{
	struct collect_prev *p;

	if (!arn || !scan->prev_buckets)
		return NULL;
	p = scan->prev_buckets[hash_str(arn) & (scan->n_prev_buckets - 1)];
	for (; p; p = p->chain) {
		if (!strcmp(p->arn, arn))
			return prev_json(p);
	}
	return NULL;
}

void
collect_redact(const char *value, char *out, size_t n)
{
	redact_value(value, out, n);
}

struct collect_code_rec *
collect_code_add(struct collect_scan *scan, const char *sha)
{
	struct collect_code_rec *r;

	scan->code = xrealloc(scan->code, (scan->n_code + 1) * sizeof(*scan->code));
	r = &scan->code[scan->n_code++];
	memset(r, 0, sizeof(*r));
	r->sha = xstrdup(sha);
	deps_init(&r->deps);
	return r;
}

int
collect_code_known(struct collect_scan *scan, const char *sha)
{
	size_t i;

	if (!scan->store)
		return 1; /* nowhere to keep what a package holds: do not read it */
	for (i = 0; i < scan->n_code; i++)
		if (!strcmp(scan->code[i].sha, sha))
			return 1;
	return store_package_known(scan->store, sha, NULL) != 0;
}

int
collect_cancelled(const struct collect_scan *scan)
{
	return scan->cancel && *scan->cancel;
}
