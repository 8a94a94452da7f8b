#include "store/packages.h"

#include <string.h>

#include "store/store_int.h"

int
store_package_put(struct store *s, const struct store_package *p, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (s->readonly)
		return err_set(err, ERR_USAGE, "the cache is open read-only");
	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO package VALUES(?1,?2,?3,?4,?5,?6,?7)",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_sql_err(s, "prepare", err);
	sqlite3_bind_text(st, 1, p->code_sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, p->scanned_at);
	sqlite3_bind_int64(st, 3, p->files);
	sqlite3_bind_int64(st, 4, p->bytes);
	sqlite3_bind_int(st, 5, p->incomplete);
	sqlite3_bind_text(st, 6, p->problems ? p->problems : "[]", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, p->secrets ? p->secrets : "[]", -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_sql_err(s, "write a package", err);
	sqlite3_finalize(st);
	return rc;
}

int
store_package_known(struct store *s, const char *code_sha, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM package WHERE code_sha = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return -store_sql_err(s, "prepare", err);
	sqlite3_bind_text(st, 1, code_sha, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -store_sql_err(s, "read a package", err);
}

int
store_package_get(struct store *s, const char *code_sha, struct store_package_row *out,
                  struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT code_sha, scanned_at, files, bytes, incomplete, problems,"
	                       " secrets FROM package WHERE code_sha = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_sql_err(s, "prepare", err);
	sqlite3_bind_text(st, 1, code_sha, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->pool = store_pool_new();
		out->p.code_sha = store_col_str(out->pool, st, 0);
		out->p.scanned_at = sqlite3_column_int64(st, 1);
		out->p.files = (long)sqlite3_column_int64(st, 2);
		out->p.bytes = sqlite3_column_int64(st, 3);
		out->p.incomplete = sqlite3_column_int(st, 4);
		out->p.problems = store_col_str(out->pool, st, 5);
		out->p.secrets = store_col_str(out->pool, st, 6);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE
		             ? err_set(err, ERR_NOTFOUND, "package %s was not read", code_sha)
		             : store_sql_err(s, "read a package", err);
	}
	sqlite3_finalize(st);
	return rc;
}

void
store_package_release(struct store_package_row *r)
{
	store_pool_free(r->pool);
	memset(r, 0, sizeof(*r));
}
