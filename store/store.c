/*
 * Opening the cache and writing scans.
 *
 * Invariants:
 *  1. The cache file is 0600 and its directory 0700 before sqlite sees them
 *     (sqlite gives the -wal and -shm files the database file's mode).
 *  2. PRAGMA application_id marks a shears cache; any other sqlite file is
 *     refused rather than migrated.
 *  3. user_version is the schema version; each migration commits with it.
 *  4. Between store_scan_begin() and commit/rollback one write transaction
 *     is open (BEGIN IMMEDIATE); readers in WAL mode see the last commit.
 */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/schema.h"
#include "store/store_int.h"
#include "util/xmalloc.h"

#define SHEARS_APP_ID 0x53485253 /* "SHRS" */

int
store_default_path(char *out, size_t n, struct err *err)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg == '/')
		snprintf(out, n, "%s/shears/cache.db", xdg);
	else if (home && *home)
		snprintf(out, n, "%s/.cache/shears/cache.db", home);
	else
		return err_set(err, ERR_CONFIG, "neither XDG_CACHE_HOME nor HOME is set");
	return 0;
}

/* mkdir -p for the directory part of path, each new level 0700. */
static int
make_private_dir(const char *path, struct err *err)
{
	char dir[4096];
	char *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return err_set(err, ERR_IO, "cannot create '%s': %s", dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) && errno != EEXIST)
		return err_set(err, ERR_IO, "cannot create '%s': %s", dir, strerror(errno));
	return 0;
}

static int
make_private_file(const char *path, struct err *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		return err_set(err, ERR_IO, "cannot open cache '%s': %s", path, strerror(errno));
	/* an older cache may have been made under a looser umask */
	if (fchmod(fd, 0600)) {
		close(fd);
		return err_set(err, ERR_IO, "cannot make '%s' private: %s", path, strerror(errno));
	}
	close(fd);
	return 0;
}

int
store_sql_err(struct store *s, const char *what, struct err *err)
{
	int code = sqlite3_errcode(s->db);

	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return err_set(err, ERR_PARSE,
		               "cache '%s' is damaged (%s: %s); move it away and scan again",
		               s->path, what, sqlite3_errmsg(s->db));
	return err_set(err, ERR_IO, "cache '%s': %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int
store_exec(struct store *s, const char *sql, struct err *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_sql_err(s, "exec", err);
	return 0;
}

static int
pragma_int(struct store *s, const char *sql, int *out, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_sql_err(s, sql, err);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sql_err(s, sql, err);
	return 0;
}

static int
migrate(struct store *s, struct err *err)
{
	int version, app, n_tables, latest = store_schema_count();
	char sql[64];

	if (pragma_int(s, "PRAGMA user_version", &version, err) ||
	    pragma_int(s, "PRAGMA application_id", &app, err) ||
	    pragma_int(s, "SELECT count(*) FROM sqlite_master", &n_tables, err))
		return err ? err->code : ERR_IO;
	if (n_tables && app != SHEARS_APP_ID)
		return err_set(err, ERR_PARSE, "'%s' is not a shears cache", s->path);
	if (version > latest)
		return err_set(
		        err, ERR_CONFIG,
		        "cache '%s' was written by a newer shears (schema %d; this one knows %d)",
		        s->path, version, latest);
	for (; version < latest; version++) {
		if (s->readonly)
			return err_set(err, ERR_STALE,
			               "cache '%s' needs an upgrade; open it writable", s->path);
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version + 1);
		if (store_exec(s, "BEGIN IMMEDIATE", err))
			return ERR_IO;
		if (store_exec(s, store_schema_migration(version), err) ||
		    store_exec(s, sql, err)) {
			store_exec(s, "ROLLBACK", NULL);
			return err ? err->code : ERR_IO;
		}
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", SHEARS_APP_ID);
		if (store_exec(s, sql, err) || store_exec(s, "COMMIT", err))
			return err ? err->code : ERR_IO;
	}
	s->version = latest;
	return 0;
}

static int
open_db(struct store *s, struct err *err)
{
	int flags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;

	if (sqlite3_open_v2(s->path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return store_sql_err(s, "open", err);
	sqlite3_busy_timeout(s->db, 5000);
	if (!s->readonly && (store_exec(s, "PRAGMA journal_mode = WAL", err) ||
	                     store_exec(s, "PRAGMA synchronous = NORMAL", err)))
		return err ? err->code : ERR_IO;
	return store_exec(s, "PRAGMA foreign_keys = ON", err);
}

int
store_open(const char *path, unsigned flags, struct store **out, struct err *err)
{
	struct store *s = xcalloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	s->path = xstrdup(path);
	s->readonly = !!(flags & STORE_READONLY);
	if (s->readonly && access(path, R_OK)) {
		rc = err_set(err, ERR_NOTFOUND, "no cache at '%s'; run 'shears scan' first", path);
		goto fail;
	}
	if (!s->readonly) {
		rc = make_private_dir(path, err);
		if (!rc)
			rc = make_private_file(path, err);
		if (rc)
			goto fail;
	}
	rc = open_db(s, err);
	if (!rc)
		rc = migrate(s, err);
	if (rc)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return rc;
}

void
store_close(struct store *s)
{
	if (!s)
		return;
	store_scan_rollback(s);
	store_stmts_release(s);
	if (s->db)
		sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int
store_schema_latest(void)
{
	return store_schema_count();
}

int
store_schema_version(struct store *s)
{
	return s->version;
}

int
store_prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct err *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_sql_err(s, "prepare", err);
	return 0;
}
