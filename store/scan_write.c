/*
 * Writing one scan: everything between store_scan_begin() and
 * store_scan_commit() is one transaction.
 *
 * What a commit removes: a resource of a scanned region (or a global one,
 * region '') that this scan did not see — unless the scan recorded a gap
 * for that region, because then "not seen" may mean "not read". An edge is
 * removed when its source was seen by this scan but the edge was not.
 */
#include <sqlite3.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "store/store_int.h"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_PUT_RESOURCE] =
	        "INSERT INTO resource(arn, kind, name, region, account, attrs, first_seen, "
	        "last_seen, scan) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8) "
	        "ON CONFLICT(arn) DO UPDATE SET kind = ?2, name = ?3, region = ?4, "
	        "account = ?5, attrs = ?6, last_seen = ?7, scan = ?8",
	[ST_PUT_EDGE] =
	        "INSERT INTO edge(src, dst, kind, evidence, scan) VALUES(?1, ?2, ?3, ?4, ?5) "
	        "ON CONFLICT(src, dst, kind) DO UPDATE SET evidence = ?4, scan = ?5",
	[ST_PUT_METRIC] = "INSERT OR REPLACE INTO metric(resource, name, day, value) "
	                  "VALUES(?1, ?2, ?3, ?4)",
	[ST_PUT_GAP] = "INSERT INTO scan_gap(scan, service, region, operation, error) "
	               "VALUES(?1, ?2, ?3, ?4, ?5)",
};

sqlite3_stmt *
store_stmt(struct store *s, enum store_stmt which, struct err *err)
{
	sqlite3_stmt *st = s->stmts[which];

	if (!st) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &st,
		                       NULL) != SQLITE_OK) {
			store_sql_err(s, "prepare", err);
			return NULL;
		}
		s->stmts[which] = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

void
store_stmts_release(struct store *s)
{
	int i;

	for (i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(s->stmts[i]);
		s->stmts[i] = NULL;
	}
}

static int
step_done(struct store *s, sqlite3_stmt *st, const char *what, struct err *err)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_sql_err(s, what, err);
	return 0;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

int
store_scan_begin(struct store *s, struct store_scan *scan, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (s->readonly)
		return err_set(err, ERR_USAGE, "cache '%s' is open read-only", s->path);
	if (s->in_scan)
		return err_set(err, ERR_USAGE, "a scan is already being written");
	rc = store_exec(s, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	s->in_scan = 1;
	s->now = scan->started ? scan->started : (int64_t)time(NULL);
	rc = sqlite3_prepare_v2(s->db,
	                        "INSERT INTO scan(started, account, regions) VALUES(?1, ?2, ?3)",
	                        -1, &st, NULL);
	if (rc != SQLITE_OK) {
		rc = store_sql_err(s, "scan", err);
		store_scan_rollback(s);
		return rc;
	}
	sqlite3_bind_int64(st, 1, s->now);
	bind_text(st, 2, scan->account);
	bind_text(st, 3, scan->regions);
	rc = step_done(s, st, "scan", err);
	sqlite3_finalize(st);
	if (rc) {
		store_scan_rollback(s);
		return rc;
	}
	s->scan_id = scan->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_put_resource(struct store *s, const struct model_resource *r, struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_PUT_RESOURCE, err);

	if (!st)
		return ERR_IO;
	bind_text(st, 1, r->arn);
	bind_text(st, 2, model_kind_name(r->kind));
	bind_text(st, 3, r->name);
	bind_text(st, 4, r->region);
	bind_text(st, 5, r->account);
	bind_text(st, 6, r->attrs && *r->attrs ? r->attrs : "{}");
	sqlite3_bind_int64(st, 7, s->now);
	sqlite3_bind_int64(st, 8, s->scan_id);
	return step_done(s, st, "resource", err);
}

int
store_put_edge(struct store *s, const struct model_edge *e, struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_PUT_EDGE, err);

	if (!st)
		return ERR_IO;
	bind_text(st, 1, e->src);
	bind_text(st, 2, e->dst);
	bind_text(st, 3, model_edge_name(e->kind));
	bind_text(st, 4, e->evidence);
	sqlite3_bind_int64(st, 5, s->scan_id);
	return step_done(s, st, "edge", err);
}

int
store_put_metric(struct store *s, const char *arn, const char *name, int64_t day, double value,
                 struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_PUT_METRIC, err);

	if (!st)
		return ERR_IO;
	bind_text(st, 1, arn);
	bind_text(st, 2, name);
	sqlite3_bind_int64(st, 3, day);
	sqlite3_bind_double(st, 4, value);
	return step_done(s, st, "metric", err);
}

int
store_put_gap(struct store *s, const char *service, const char *region, const char *operation,
              const char *error, struct err *err)
{
	sqlite3_stmt *st = store_stmt(s, ST_PUT_GAP, err);

	if (!st)
		return ERR_IO;
	sqlite3_bind_int64(st, 1, s->scan_id);
	bind_text(st, 2, service);
	bind_text(st, 3, region);
	bind_text(st, 4, operation);
	bind_text(st, 5, error);
	return step_done(s, st, "gap", err);
}

static int
remove_unseen(struct store *s, const char *regions, struct err *err)
{
	static const char unseen_resources[] =
	        "DELETE FROM resource WHERE scan < ?1"
	        " AND (region = '' OR instr(',' || ?2 || ',', ',' || region || ',') > 0)"
	        " AND region NOT IN (SELECT region FROM scan_gap WHERE scan = ?1)";
	static const char unseen_edges[] =
	        "DELETE FROM edge WHERE scan < ?1 AND src IN (SELECT arn FROM resource WHERE scan = ?1)";
	static const char dangling_edges[] =
	        "DELETE FROM edge WHERE src NOT IN (SELECT arn FROM resource)"
	        " AND dst NOT IN (SELECT arn FROM resource)";
	static const char *const sql[] = { unseen_resources, unseen_edges, dangling_edges };
	size_t i;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st;
		int rc;

		if (sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL) != SQLITE_OK)
			return store_sql_err(s, "remove unseen", err);
		sqlite3_bind_int64(st, 1, s->scan_id);
		bind_text(st, 2, regions);
		rc = step_done(s, st, "remove unseen", err);
		sqlite3_finalize(st);
		if (rc)
			return rc;
	}
	return 0;
}

int
store_scan_commit(struct store *s, const struct store_scan *scan, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (!s->in_scan)
		return err_set(err, ERR_USAGE, "no scan is being written");
	rc = remove_unseen(s, scan->regions, err);
	if (!rc && sqlite3_prepare_v2(
	                   s->db,
	                   "UPDATE scan SET finished = ?2, calls = ?3, complete = ?4, summary = ?5,"
	                   " account = ?6 WHERE id = ?1",
	                   -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, s->scan_id);
		sqlite3_bind_int64(st, 2, scan->finished ? scan->finished : (int64_t)time(NULL));
		sqlite3_bind_int64(st, 3, scan->calls);
		sqlite3_bind_int(st, 4, scan->complete);
		bind_text(st, 5, scan->summary ? scan->summary : "{}");
		bind_text(st, 6, scan->account);
		rc = step_done(s, st, "finish scan", err);
		sqlite3_finalize(st);
	} else if (!rc) {
		rc = store_sql_err(s, "finish scan", err);
	}
	if (!rc)
		rc = store_exec(s, "COMMIT", err);
	if (rc) {
		store_scan_rollback(s);
		return rc;
	}
	s->in_scan = 0;
	return 0;
}

void
store_scan_rollback(struct store *s)
{
	if (!s->in_scan)
		return;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_scan = 0;
}
