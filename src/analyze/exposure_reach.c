/*
 * Reach: the ways in from outside (entry points) and the data a function
 * gets to (through its role or directly), joined into the exfiltration
 * path: ENTRY -> function -> role -> reads/writes STORE.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/check_util.h"
#include "analyze/exposure.h"
#include "analyze/exposure_int.h"
#include "util/json.h"

/* ARN services whose resources hold data (by the ARN's service field). */
static const struct {
	const char *service, *label;
} store_services[] = {
	{ "dynamodb", "table" },        { "s3", "bucket" },        { "sqs", "queue" },
	{ "secretsmanager", "secret" }, { "ssm", "parameter" },    { "rds", "database" },
	{ "kinesis", "stream" },        { "es", "search domain" },
};

void
exposure_store_label(const struct amodel *m, const char *arn, char *out, size_t n)
{
	char svc[32];
	size_t i;

	(void)m;
	out[0] = '\0';
	analyze_arn_field(arn, 2, svc, sizeof(svc));
	if (!strcmp(svc, "ssm") && !strstr(arn, ":parameter/"))
		return; /* documents, sessions: not data */
	for (i = 0; i < sizeof(store_services) / sizeof(store_services[0]); i++) {
		if (!strcmp(svc, store_services[i].service)) {
			snprintf(out, n, "%s %s", store_services[i].label, analyze_short_name(arn));
			return;
		}
	}
}

static int
is_store_edge(const struct amodel *m, const struct am_edge *e)
{
	char label[8];

	if (e->kind != MODEL_EDGE_READS && e->kind != MODEL_EDGE_WRITES)
		return 0;
	exposure_store_label(m, e->dst, label, sizeof(label));
	return label[0] != '\0';
}

static int
reach_from(const struct amodel *m, const struct am_res *from, const struct am_res *role,
           int (*cb)(const struct exposure_reach *r, void *ctx), void *ctx)
{
	size_t i;
	int rc;

	for (i = 0; i < from->n_out; i++) {
		const struct am_edge *e = &m->edges[from->out[i]];
		struct exposure_reach r = { role, e };

		if (!is_store_edge(m, e))
			continue;
		rc = cb(&r, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int
exposure_each_reach(const struct amodel *m, const struct am_res *fn,
                    int (*cb)(const struct exposure_reach *r, void *ctx), void *ctx)
{
	size_t i;
	int rc = reach_from(m, fn, NULL, cb, ctx);

	for (i = 0; !rc && i < fn->n_out; i++) {
		const struct am_edge *e = &m->edges[fn->out[i]];
		const struct am_res *role = amodel_find(m, e->dst);

		if (e->kind == MODEL_EDGE_ASSUMES && role && role->kind == MODEL_ROLE)
			rc = reach_from(m, role, role, cb, ctx);
	}
	return rc;
}

/* One reach as text: "role R reads table T" or "it writes bucket B". */
static void
reach_text(const struct amodel *m, const struct exposure_reach *r, char *out, size_t n)
{
	char label[300];

	exposure_store_label(m, r->edge->dst, label, sizeof(label));
	if (r->role)
		snprintf(out, n, "role %s -> %s %s", r->role->name,
		         r->edge->kind == MODEL_EDGE_WRITES ? "writes" : "reads", label);
	else
		snprintf(out, n, "%s %s", r->edge->kind == MODEL_EDGE_WRITES ? "writes" : "reads",
		         label);
}

struct first_text {
	const struct amodel *m;
	char *out;
	size_t n;
};

static int
first_reach(const struct exposure_reach *r, void *ctx)
{
	struct first_text *f = ctx;

	if (f->out && f->n)
		reach_text(f->m, r, f->out, f->n);
	return 1;
}

int
exposure_reaches_data(const struct amodel *m, const struct am_res *fn, char *why, size_t n)
{
	struct first_text f = { m, why, n };

	if (why && n)
		why[0] = '\0';
	return exposure_each_reach(m, fn, first_reach, &f) ? 1 : 0;
}

struct entry_ctx {
	const struct am_res *fn;
	int (*cb)(const char *entry, void *ctx);
	void *ctx;
};

static int
route_entry(const struct exposure_route *r, void *ctx)
{
	struct entry_ctx *e = ctx;
	char text[500];

	if (r->policy_limited || strcmp(r->target, e->fn->arn))
		return 0;
	snprintf(text, sizeof(text), "%s %s route %s (no authorizer)",
	         r->api->kind == MODEL_REST_API ? "REST API" : "HTTP API", r->api->name, r->key);
	return e->cb(text, e->ctx);
}

/* A queue, topic or bucket anyone may write to, triggering fn. */
static int
source_entry(const struct amodel *m, const struct am_res *src, char *out, size_t n)
{
	char why[400];
	int writable = 0, open = 0;

	if (src->kind == MODEL_QUEUE)
		open = exposure_queue_open(m, src, &writable, why, sizeof(why));
	else if (src->kind == MODEL_TOPIC)
		open = exposure_topic_open(m, src, &writable, why, sizeof(why));
	else if (src->kind == MODEL_BUCKET)
		open = exposure_bucket_public(m, src, &writable, why, sizeof(why));
	if (!open || !writable)
		return 0;
	snprintf(out, n, "%s %s, which anyone may write to (%s)", model_kind_name(src->kind),
	         src->name, why);
	return 1;
}

static int
entries_from_edges(const struct amodel *m, const struct am_res *fn, struct entry_ctx *e)
{
	char text[600];
	size_t i;
	int rc;

	for (i = 0; i < fn->n_in; i++) {
		const struct am_edge *edge = &m->edges[fn->in[i]];
		const struct am_res *src = amodel_find(m, edge->src);

		if (!src || edge->kind != MODEL_EDGE_TRIGGERS)
			continue;
		if (src->kind == MODEL_REST_API || src->kind == MODEL_HTTP_API)
			rc = exposure_each_open_route(m, src, route_entry, e);
		else
			rc = source_entry(m, src, text, sizeof(text)) ? e->cb(text, e->ctx) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

static const char *const direct_invoke[] = { "lambda:InvokeFunction", "lambda:InvokeAsync", NULL };

int
exposure_each_entry(const struct amodel *m, const struct am_res *fn,
                    int (*cb)(const char *entry, void *ctx), void *ctx)
{
	struct entry_ctx e = { fn, cb, ctx };
	struct rpol_grant g;
	char text[800], stmt[120];
	int rc;

	if (exposure_url_state(m, fn, text, sizeof(text)) == 2) {
		const char *url = json_str(fn->attrs, "Url.FunctionUrl");

		snprintf(text, sizeof(text), "function URL %s (AuthType NONE)", url ? url : "");
		rc = cb(text, ctx);
		if (rc)
			return rc;
	}
	rc = entries_from_edges(m, fn, &e);
	if (rc)
		return rc;
	if (exposure_policy_widest(m, fn, "Policy", direct_invoke, &g) && rpol_is_open(&g)) {
		rpol_describe(&g, stmt, sizeof(stmt));
		snprintf(text, sizeof(text), "resource policy %s (Principal %s may %s)", stmt,
		         g.principal, g.action);
		rc = cb(text, ctx);
	}
	return rc;
}

static int
first_entry(const char *entry, void *ctx)
{
	struct first_text *f = ctx;

	if (f->out && f->n)
		snprintf(f->out, f->n, "%s", entry);
	return 1;
}

int
exposure_is_public(const struct amodel *m, const struct am_res *fn, char *why, size_t n)
{
	struct first_text f = { m, why, n };

	if (why && n)
		why[0] = '\0';
	return exposure_each_entry(m, fn, first_entry, &f) ? 1 : 0;
}

#define EXFIL_SHOWN 4
#define EXFIL_MAX   64

/* The stores a public function reaches, one row per store (reads and writes joined). */
struct chain {
	const struct amodel *m;
	struct {
		const struct am_res *role;
		const char *dst;
		unsigned kinds; /* 1 reads, 2 writes */
	} v[EXFIL_MAX];
	size_t n, more;
};

/* Reading a bucket the world can read already leaks nothing new. */
static int
reads_public_bucket(const struct amodel *m, const struct am_edge *e)
{
	const struct am_res *b = amodel_find(m, e->dst);
	char why[300];
	int writable;

	return e->kind == MODEL_EDGE_READS && b && b->kind == MODEL_BUCKET &&
	       exposure_bucket_public(m, b, &writable, why, sizeof(why));
}

static int
add_reach(const struct exposure_reach *r, void *ctx)
{
	struct chain *c = ctx;
	unsigned kind = r->edge->kind == MODEL_EDGE_WRITES ? 2 : 1;
	size_t i;

	if (reads_public_bucket(c->m, r->edge))
		return 0;
	for (i = 0; i < c->n; i++) {
		if (!strcmp(c->v[i].dst, r->edge->dst)) {
			c->v[i].kinds |= kind; /* the same store by another way: one row */
			return 0;
		}
	}
	if (c->n == EXFIL_MAX) {
		c->more++;
		return 0;
	}
	c->v[c->n].role = r->role;
	c->v[c->n].dst = r->edge->dst;
	c->v[c->n].kinds = kind;
	c->n++;
	return 0;
}

static void
chain_text(const struct chain *c, char *out, size_t n)
{
	static const char *const verbs[] = { "", "reads", "writes", "reads and writes" };
	char label[300];
	size_t i, at = 0;

	out[0] = '\0';
	for (i = 0; i < c->n && i < EXFIL_SHOWN && at < n; i++) {
		exposure_store_label(c->m, c->v[i].dst, label, sizeof(label));
		if (c->v[i].role)
			at += (size_t)snprintf(out + at, n - at, "%srole %s -> %s %s",
			                       i ? "; " : "", c->v[i].role->name,
			                       verbs[c->v[i].kinds], label);
		else
			at += (size_t)snprintf(out + at, n - at, "%s%s %s", i ? "; " : "",
			                       verbs[c->v[i].kinds], label);
	}
	if (c->n + c->more > EXFIL_SHOWN && at < n)
		snprintf(out + at, n - at, " (+%zu more)", c->n + c->more - EXFIL_SHOWN);
}

void
exposure_check_exfiltration(const struct amodel *m, const struct am_res *fn, struct findings *out)
{
	char entry[800], text[1500];
	struct chain c = { .m = m };

	if (!exposure_is_public(m, fn, entry, sizeof(entry)))
		return;
	exposure_each_reach(m, fn, add_reach, &c);
	if (!c.n)
		return;
	chain_text(&c, text, sizeof(text));
	findings_add(out, "SHR-EXP-009", fn->arn, "reach", "%s -> %s -> %s", entry, fn->name, text);
}
