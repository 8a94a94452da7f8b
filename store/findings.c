#include "store/findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/xmalloc.h"

static int
step_done(struct store *s, sqlite3_stmt *st, const char *what, struct err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : store_sql_err(s, what, err);
}

static int
put_findings(struct store *s, const struct store_finding_in *f, size_t n, int64_t now,
             struct err *err)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = store_prepare(
	        s,
	        "INSERT INTO finding(id, rule, resource, location, severity, evidence, status,"
	        " first_seen, last_seen) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?7)"
	        " ON CONFLICT(id) DO UPDATE SET severity = ?5, evidence = ?6,"
	        " status = 'open', last_seen = ?7, fixed_at = NULL",
	        &st, err);

	for (i = 0; !rc && i < n; i++) {
		sqlite3_bind_text(st, 1, f[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, f[i].rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f[i].resource, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, f[i].location ? f[i].location : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, f[i].severity, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, f[i].evidence ? f[i].evidence : "", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, now);
		rc = step_done(s, st, "write a finding", err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int
put_scores(struct store *s, const struct store_score_in *sc, size_t n, struct err *err)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = store_exec(s, "DELETE FROM score", err);

	if (!rc)
		rc = store_prepare(s, "INSERT OR REPLACE INTO score VALUES(?1, ?2, ?3, ?4, ?5)",
		                   &st, err);
	for (i = 0; !rc && i < n; i++) {
		sqlite3_bind_text(st, 1, sc[i].resource, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, sc[i].score);
		sqlite3_bind_int(st, 3, sc[i].base);
		sqlite3_bind_int(st, 4, sc[i].public_entry);
		sqlite3_bind_int(st, 5, sc[i].reaches_data);
		rc = step_done(s, st, "write a score", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_findings_replace(struct store *s, const struct store_finding_in *f, size_t n,
                       const struct store_score_in *sc, size_t n_scores, int64_t now,
                       struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (s->readonly)
		return err_set(err, ERR_USAGE, "the cache is open read-only");
	rc = store_exec(s, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	rc = put_findings(s, f, n, now, err);
	/* what this analysis did not raise again is fixed */
	if (!rc)
		rc = store_prepare(s,
		                   "UPDATE finding SET status = 'fixed', fixed_at = ?1"
		                   " WHERE status = 'open' AND last_seen < ?1",
		                   &st, err);
	if (!rc) {
		sqlite3_bind_int64(st, 1, now);
		rc = step_done(s, st, "mark fixed findings", err);
	}
	sqlite3_finalize(st);
	if (!rc && sc)
		rc = put_scores(s, sc, n_scores, err);
	if (!rc)
		rc = store_exec(s, "COMMIT", err);
	if (rc)
		store_exec(s, "ROLLBACK", NULL);
	return rc;
}

int
store_scores_replace(struct store *s, const struct store_score_in *sc, size_t n, struct err *err)
{
	int rc;

	if (s->readonly)
		return err_set(err, ERR_USAGE, "the cache is open read-only");
	rc = store_exec(s, "BEGIN IMMEDIATE", err);
	if (!rc)
		rc = put_scores(s, sc, n, err);
	if (!rc)
		rc = store_exec(s, "COMMIT", err);
	if (rc)
		store_exec(s, "ROLLBACK", NULL);
	return rc;
}

static void
row_read(struct store_pool *p, sqlite3_stmt *st, int64_t now, struct store_finding *r)
{
	int accepted = sqlite3_column_type(st, 10) != SQLITE_NULL;
	int64_t until = sqlite3_column_int64(st, 11);

	r->id = store_col_str(p, st, 0);
	r->rule = store_col_str(p, st, 1);
	r->resource = store_col_str(p, st, 2);
	r->location = store_col_str(p, st, 3);
	r->severity = store_col_str(p, st, 4);
	r->evidence = store_col_str(p, st, 5);
	r->status = store_col_str(p, st, 6);
	r->first_seen = sqlite3_column_int64(st, 7);
	r->last_seen = sqlite3_column_int64(st, 8);
	r->reason = NULL;
	r->until = 0;
	if (accepted) {
		r->reason = store_col_str(p, st, 10);
		r->until = until;
		/* an expired acceptance is history: the finding is open again */
		if (!strcmp(r->status, "open") && (!until || until > now))
			r->status = "accepted";
	}
}

int
store_findings_list(struct store *s, const char *resource, unsigned flags, int64_t now,
                    struct store_findings *out, struct err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, step;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(
	        s,
	        "SELECT f.id, f.rule, f.resource, f.location, f.severity, f.evidence, f.status,"
	        " f.first_seen, f.last_seen, NULL, a.reason, a.until"
	        " FROM finding f LEFT JOIN acceptance a"
	        "  ON a.rule = f.rule AND a.resource = f.resource"
	        " WHERE (?1 IS NULL OR f.resource = ?1) AND (?2 OR f.status != 'fixed')"
	        " ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1"
	        "  WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,"
	        " f.resource, f.rule, f.location",
	        &st, err);
	if (rc)
		return rc;
	if (resource)
		sqlite3_bind_text(st, 1, resource, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, !!(flags & STORE_FINDINGS_FIXED));
	out->pool = store_pool_new();
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? 2 * cap : 64;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
		}
		row_read(out->pool, st, now, &out->v[out->n++]);
	}
	if (step != SQLITE_DONE)
		rc = store_sql_err(s, "read findings", err);
	sqlite3_finalize(st);
	if (rc)
		store_findings_release(out);
	return rc;
}

void
store_findings_release(struct store_findings *f)
{
	free(f->v);
	store_pool_free(f->pool);
	memset(f, 0, sizeof(*f));
}

int
store_accept(struct store *s, const char *rule, const char *resource, const char *reason,
             int64_t until, const char *by, int64_t now, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (s->readonly)
		return err_set(err, ERR_USAGE, "the cache is open read-only");
	rc = store_prepare(s, "INSERT OR REPLACE INTO acceptance VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	                   &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, resource, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, reason ? reason : "", -1, SQLITE_STATIC);
	if (until > 0)
		sqlite3_bind_int64(st, 4, until);
	sqlite3_bind_text(st, 5, by ? by : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now);
	rc = step_done(s, st, "write an acceptance", err);
	sqlite3_finalize(st);
	return rc;
}

int
store_unaccept(struct store *s, const char *rule, const char *resource, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(s, "DELETE FROM acceptance WHERE rule = ?1 AND resource = ?2", &st,
	                       err);

	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, resource, -1, SQLITE_STATIC);
	rc = step_done(s, st, "remove an acceptance", err);
	sqlite3_finalize(st);
	if (!rc && !sqlite3_changes(s->db))
		rc = err_set(err, ERR_NOTFOUND, "no acceptance of %s on %s", rule, resource);
	return rc;
}

int
store_score_get(struct store *s, const char *resource, struct store_score_in *out, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(
	        s, "SELECT score, base, public_entry, reaches_data FROM score WHERE resource = ?1",
	        &st, err);

	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, resource, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->resource = resource;
		out->score = sqlite3_column_int(st, 0);
		out->base = sqlite3_column_int(st, 1);
		out->public_entry = sqlite3_column_int(st, 2);
		out->reaches_data = sqlite3_column_int(st, 3);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? err_set(err, ERR_NOTFOUND, "no score for %s", resource)
		                       : store_sql_err(s, "read a score", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_scores_list(struct store *s, struct store_scores *out, struct err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = 0, step;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(s,
	                   "SELECT resource, score, base, public_entry, reaches_data FROM score"
	                   " ORDER BY score DESC, resource",
	                   &st, err);
	if (rc)
		return rc;
	out->pool = store_pool_new();
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? 2 * cap : 64;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
		}
		out->v[out->n++] = (struct store_score_in){ store_col_str(out->pool, st, 0),
			                                    sqlite3_column_int(st, 1),
			                                    sqlite3_column_int(st, 2),
			                                    sqlite3_column_int(st, 3),
			                                    sqlite3_column_int(st, 4) };
	}
	if (step != SQLITE_DONE)
		rc = store_sql_err(s, "read scores", err);
	sqlite3_finalize(st);
	if (rc)
		store_scores_release(out);
	return rc;
}

void
store_scores_release(struct store_scores *sc)
{
	free(sc->v);
	store_pool_free(sc->pool);
	memset(sc, 0, sizeof(*sc));
}

int
store_review_put(struct store *s, const char *resource, const char *code_sha, const char *by,
                 int64_t now, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (s->readonly)
		return err_set(err, ERR_USAGE, "the cache is open read-only");
	rc = store_prepare(s, "INSERT OR REPLACE INTO review VALUES(?1, ?2, ?3, ?4)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, resource, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code_sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, by ? by : "", -1, SQLITE_STATIC);
	rc = step_done(s, st, "write a review mark", err);
	sqlite3_finalize(st);
	return rc;
}

int
store_review_get(struct store *s, const char *resource, char *out, size_t n, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(s, "SELECT code_sha FROM review WHERE resource = ?1", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, resource, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE
		             ? err_set(err, ERR_NOTFOUND, "%s was never reviewed", resource)
		             : store_sql_err(s, "read a review mark", err);
	}
	sqlite3_finalize(st);
	return rc;
}
