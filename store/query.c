/*
 * Reading the cache (store/query.h). Each call runs one statement and copies
 * the answer into a pool of chunks owned by the result: one malloc per 256
 * KiB, not one per string, so 100,000 rows load and free quickly.
 */
#include "store/query.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define POOL_CHUNK ((size_t)256 << 10)

struct pool_chunk {
	struct pool_chunk *next;
	size_t used, cap;
	char data[];
};

struct store_pool {
	struct pool_chunk *head;
};

static struct store_pool *
pool_new(void)
{
	return xcalloc(1, sizeof(struct store_pool));
}

static void
pool_free(struct store_pool *p)
{
	struct pool_chunk *c, *next;

	if (!p)
		return;
	for (c = p->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(p);
}

static char *
pool_strndup(struct store_pool *p, const char *s, size_t n)
{
	struct pool_chunk *c = p->head;
	char *out;

	if (!c || c->cap - c->used < n + 1) {
		size_t cap = n + 1 > POOL_CHUNK ? n + 1 : POOL_CHUNK;

		c = xmalloc(sizeof(*c) + cap);
		c->used = 0;
		c->cap = cap;
		/* a big string gets a chunk of its own behind the current one */
		if (cap > POOL_CHUNK && p->head) {
			c->next = p->head->next;
			p->head->next = c;
		} else {
			c->next = p->head;
			p->head = c;
		}
	}
	out = c->data + c->used;
	memcpy(out, s, n);
	out[n] = '\0';
	c->used += n + 1;
	return out;
}

/* Column i as a pool string; "" for NULL. */
static const char *
col_str(struct store_pool *p, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	if (!t)
		return "";
	return pool_strndup(p, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

/* Grows *v (of *cap items of size sz) to hold n + 1 items. */
static void *
grow(void *v, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	return xrealloc(v, *cap * sz);
}

static int
overview_scan(struct store *s, struct store_overview *o, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	rc = store_prepare(
	        s,
	        "SELECT id, started, finished, account, regions, summary, calls, complete"
	        " FROM scan WHERE finished IS NOT NULL ORDER BY id DESC LIMIT 1",
	        &st, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		o->has_scan = 1;
		o->scan_id = sqlite3_column_int64(st, 0);
		o->started = sqlite3_column_int64(st, 1);
		o->finished = sqlite3_column_int64(st, 2);
		o->account = col_str(o->pool, st, 3);
		o->regions = col_str(o->pool, st, 4);
		o->summary = col_str(o->pool, st, 5);
		o->calls = (long)sqlite3_column_int64(st, 6);
		o->complete = sqlite3_column_int(st, 7);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sql_err(s, "last scan", err);
	return 0;
}

static int
overview_gaps(struct store *s, struct store_overview *o, struct err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	rc = store_prepare(s,
	                   "SELECT service, region, operation, error FROM scan_gap WHERE scan = ?1"
	                   " ORDER BY service, region, operation",
	                   &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, o->scan_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_gap *g;

		o->gaps = grow(o->gaps, &cap, o->n_gaps, sizeof(*o->gaps));
		g = &o->gaps[o->n_gaps++];
		g->service = col_str(o->pool, st, 0);
		g->region = col_str(o->pool, st, 1);
		g->operation = col_str(o->pool, st, 2);
		g->error = col_str(o->pool, st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_sql_err(s, "scan gaps", err);
}

static int
overview_counts(struct store *s, struct store_overview *o, struct err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	rc = store_prepare(s, "SELECT kind, region, count(*) FROM resource GROUP BY kind, region",
	                   &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = model_kind_parse((const char *)sqlite3_column_text(st, 0));
		struct store_count *c;

		if (kind < 0) /* a kind from a newer shears: not ours to show */
			continue;
		o->counts = grow(o->counts, &cap, o->n_counts, sizeof(*o->counts));
		c = &o->counts[o->n_counts++];
		c->kind = (enum model_kind)kind;
		c->region = col_str(o->pool, st, 1);
		c->n = (long)sqlite3_column_int64(st, 2);
		o->n_resources += c->n;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_err(s, "counts", err);
	rc = store_prepare(s, "SELECT count(*) FROM edge", &st, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		o->n_edges = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_sql_err(s, "edge count", err);
}

static int
count_cmp(const void *a, const void *b)
{
	const struct store_count *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->region, y->region);
}

int
store_overview_load(struct store *s, struct store_overview *out, struct err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->pool = pool_new();
	rc = overview_scan(s, out, err);
	if (!rc && out->has_scan)
		rc = overview_gaps(s, out, err);
	if (!rc)
		rc = overview_counts(s, out, err);
	if (rc) {
		store_overview_release(out);
		return rc;
	}
	if (out->n_counts)
		qsort(out->counts, out->n_counts, sizeof(*out->counts), count_cmp);
	return 0;
}

void
store_overview_release(struct store_overview *o)
{
	free(o->gaps);
	free(o->counts);
	pool_free(o->pool);
	memset(o, 0, sizeof(*o));
}

/*
 * The SQL for an extra column: json_extract of each '|'-separated path,
 * bound as parameters (never pasted into the SQL), under coalesce().
 */
static int
list_col_sql(struct buf *sql, const char *paths, int *param)
{
	int rc;

	if (!strcmp(paths, STORE_COL_SCORE)) /* not a path: the risk engine's score */
		return buf_puts(sql, ", coalesce((SELECT sc.score FROM score sc"
		                     " WHERE sc.resource = resource.arn), '')");
	rc = buf_puts(sql, ", coalesce(");

	for (;;) {
		const char *bar = strchr(paths, '|');

		rc = rc ? rc : buf_printf(sql, "json_extract(attrs, ?%d), ", (*param)++);
		if (!bar)
			break;
		paths = bar + 1;
	}
	return rc ? rc : buf_puts(sql, "'')");
}

static int
list_sql(const struct store_list_query *q, struct buf *sql)
{
	static const char *const order[] = { "name", "region", "kind" };
	int param = 4; /* ?1 region, ?2 filter; paths from ?4 on */
	int rc, k, first = 1;
	size_t i;

	rc = buf_puts(sql, "SELECT id, kind, arn, name, region, account");
	rc = rc ? rc : buf_puts(sql, q->flags & STORE_LIST_ATTRS ? ", attrs" : ", NULL");
	for (i = 0; i < q->n_cols && !rc; i++)
		rc = list_col_sql(sql, q->cols[i], &param);
	rc = rc ? rc : buf_puts(sql, " FROM resource WHERE 1");
	if (q->kinds) {
		rc = rc ? rc : buf_puts(sql, " AND kind IN (");
		for (k = 0; k < MODEL_KIND_COUNT && !rc; k++) {
			if (!(q->kinds & (1u << k)))
				continue;
			/* our own kind names, not input: safe to write into the SQL */
			rc = buf_printf(sql, "%s'%s'", first ? "" : ", ", model_kind_name(k));
			first = 0;
		}
		rc = rc ? rc : buf_puts(sql, ")");
	}
	if (q->region && *q->region)
		rc = rc ? rc : buf_puts(sql, " AND region = ?1");
	if (q->filter && *q->filter)
		rc = rc ? rc : buf_puts(sql, " AND instr(lower(name), lower(?2)) > 0");
	if (q->sort == STORE_SORT_COL)
		rc = rc ? rc : buf_printf(sql, " ORDER BY %zu", q->sort_col + 8);
	else
		rc = rc ? rc : buf_printf(sql, " ORDER BY %s", order[q->sort]);
	rc = rc ? rc : buf_puts(sql, q->flags & STORE_LIST_DESC ? " DESC" : "");
	return rc ? rc : buf_puts(sql, ", name, arn");
}

static void
list_bind_paths(sqlite3_stmt *st, const struct store_list_query *q)
{
	int param = 4;
	size_t i;

	for (i = 0; i < q->n_cols; i++) {
		const char *p = q->cols[i];

		if (!strcmp(p, STORE_COL_SCORE))
			continue;
		for (;;) {
			const char *bar = strchr(p, '|');
			size_t n = bar ? (size_t)(bar - p) : strlen(p);

			sqlite3_bind_text(st, param++, p, (int)n, SQLITE_STATIC);
			if (!bar)
				break;
			p = bar + 1;
		}
	}
}

static void
list_row(struct store_rows *out, sqlite3_stmt *st, size_t n_cols)
{
	struct store_row *r = &out->v[out->n++];
	size_t i;
	int kind;

	r->id = sqlite3_column_int64(st, 0);
	kind = model_kind_parse((const char *)sqlite3_column_text(st, 1));
	r->kind = kind < 0 ? MODEL_KIND_COUNT : (enum model_kind)kind;
	r->arn = col_str(out->pool, st, 2);
	r->name = col_str(out->pool, st, 3);
	r->region = col_str(out->pool, st, 4);
	r->account = col_str(out->pool, st, 5);
	r->attrs = sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL : col_str(out->pool, st, 6);
	for (i = 0; i < n_cols; i++)
		r->col[i] = col_str(out->pool, st, 7 + (int)i);
}

int
store_list(struct store *s, const struct store_list_query *q, struct store_rows *out,
           struct err *err)
{
	struct buf sql;
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (q->n_cols > STORE_LIST_MAX_COLS || q->sort > STORE_SORT_COL ||
	    (q->sort == STORE_SORT_COL && q->sort_col >= q->n_cols))
		return err_set(err, ERR_USAGE, "bad list query: %zu columns, sort %d/%zu",
		               q->n_cols, (int)q->sort, q->sort_col);
	buf_init(&sql, 64 << 10);
	if (list_sql(q, &sql)) {
		buf_release(&sql);
		return err_set(err, ERR_LIMIT, "list query too long");
	}
	rc = store_prepare(s, buf_cstr(&sql), &st, err);
	buf_release(&sql);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, q->region ? q->region : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->filter ? q->filter : "", -1, SQLITE_STATIC);
	list_bind_paths(st, q);
	out->pool = pool_new();
	out->n_cols = q->n_cols;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->v = grow(out->v, &cap, out->n, sizeof(*out->v));
		list_row(out, st, q->n_cols);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rc = store_sql_err(s, "list", err);
		store_rows_release(out);
		return rc;
	}
	return 0;
}

void
store_rows_release(struct store_rows *r)
{
	free(r->v);
	pool_free(r->pool);
	memset(r, 0, sizeof(*r));
}

int
store_resource_get(struct store *s, const char *arn, struct store_resource *out, struct err *err)
{
	sqlite3_stmt *st;
	int rc, kind;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(s,
	                   "SELECT kind, arn, name, region, account, attrs, first_seen, last_seen"
	                   " FROM resource WHERE arn = ?1",
	                   &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, arn, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->pool = pool_new();
		kind = model_kind_parse((const char *)sqlite3_column_text(st, 0));
		out->r.kind = kind < 0 ? MODEL_KIND_COUNT : (enum model_kind)kind;
		out->r.arn = col_str(out->pool, st, 1);
		out->r.name = col_str(out->pool, st, 2);
		out->r.region = col_str(out->pool, st, 3);
		out->r.account = col_str(out->pool, st, 4);
		out->r.attrs = col_str(out->pool, st, 5);
		out->first_seen = sqlite3_column_int64(st, 6);
		out->last_seen = sqlite3_column_int64(st, 7);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOTFOUND, "no resource '%s' in the cache", arn);
	return rc == SQLITE_ROW ? 0 : store_sql_err(s, "resource", err);
}

void
store_resource_release(struct store_resource *r)
{
	pool_free(r->pool);
	memset(r, 0, sizeof(*r));
}

/* The part of an ARN after its last ':' or '/': a name for what is not cached. */
static const char *
arn_tail(const char *arn)
{
	const char *p = arn + strlen(arn);

	while (p > arn && p[-1] != ':' && p[-1] != '/')
		p--;
	return *p ? p : arn;
}

static void
edge_row(struct store_edges *out, sqlite3_stmt *st)
{
	struct store_edge_row *e = &out->v[out->n++];
	const unsigned char *pk;
	int kind;

	e->outgoing = sqlite3_column_int(st, 0);
	e->e.src = col_str(out->pool, st, 1);
	e->e.dst = col_str(out->pool, st, 2);
	kind = model_edge_parse((const char *)sqlite3_column_text(st, 3));
	e->e.kind = kind < 0 ? MODEL_EDGE_COUNT : (enum model_edge_kind)kind;
	e->e.evidence = col_str(out->pool, st, 4);
	e->peer = e->outgoing ? e->e.dst : e->e.src;
	pk = sqlite3_column_text(st, 5);
	e->peer_kind = pk ? model_kind_parse((const char *)pk) : -1;
	e->peer_name = sqlite3_column_type(st, 6) == SQLITE_NULL ? arn_tail(e->peer)
	                                                         : col_str(out->pool, st, 6);
}

int
store_edges_of(struct store *s, const char *arn, unsigned dirs, struct store_edges *out,
               struct err *err)
{
	/* the peer's name comes from a join, so a walk needs no query per edge */
	static const char sql_one[] = "SELECT 1, e.src, e.dst, e.kind, e.evidence, r.kind, r.name"
	                              " FROM edge e LEFT JOIN resource r ON r.arn = e.dst"
	                              " WHERE e.src = ?1 AND ?2 & 1"
	                              " UNION ALL "
	                              "SELECT 0, e.src, e.dst, e.kind, e.evidence, r.kind, r.name"
	                              " FROM edge e LEFT JOIN resource r ON r.arn = e.src"
	                              " WHERE e.dst = ?1 AND ?2 & 2"
	                              " ORDER BY 1 DESC, 4, 7, 2, 3";
	static const char sql_all[] =
	        "SELECT 1, e.src, e.dst, e.kind, e.evidence, r.kind, r.name"
	        " FROM edge e LEFT JOIN resource r ON r.arn = e.dst ORDER BY e.src, e.kind, e.dst";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(s, arn ? sql_one : sql_all, &st, err);
	if (rc)
		return rc;
	if (arn) {
		sqlite3_bind_text(st, 1, arn, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, (int)dirs);
	}
	out->pool = pool_new();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->v = grow(out->v, &cap, out->n, sizeof(*out->v));
		edge_row(out, st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rc = store_sql_err(s, "edges", err);
		store_edges_release(out);
		return rc;
	}
	return 0;
}

void
store_edges_release(struct store_edges *e)
{
	free(e->v);
	pool_free(e->pool);
	memset(e, 0, sizeof(*e));
}

int
store_metrics_of(struct store *s, const char *arn, int64_t since_day, struct store_metrics *out,
                 struct err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(s,
	                   "SELECT name, day, value FROM metric WHERE resource = ?1 AND day >= ?2"
	                   " ORDER BY name, day",
	                   &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, arn, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since_day);
	out->pool = pool_new();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_metric *m;

		out->v = grow(out->v, &cap, out->n, sizeof(*out->v));
		m = &out->v[out->n++];
		/* a handful of names repeat 90 times: share the previous copy */
		if (out->n > 1 &&
		    !strcmp(out->v[out->n - 2].name, (const char *)sqlite3_column_text(st, 0)))
			m->name = out->v[out->n - 2].name;
		else
			m->name = col_str(out->pool, st, 0);
		m->day = sqlite3_column_int64(st, 1);
		m->value = sqlite3_column_double(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rc = store_sql_err(s, "metrics", err);
		store_metrics_release(out);
		return rc;
	}
	return 0;
}

void
store_metrics_release(struct store_metrics *m)
{
	free(m->v);
	pool_free(m->pool);
	memset(m, 0, sizeof(*m));
}

/* The pool, for the other query files (store_int.h). */
struct store_pool *
store_pool_new(void)
{
	return pool_new();
}

void
store_pool_free(struct store_pool *p)
{
	pool_free(p);
}

const char *
store_col_str(struct store_pool *p, sqlite3_stmt *st, int i)
{
	return col_str(p, st, i);
}
