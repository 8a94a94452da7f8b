/* Private to store/: the handle and helpers the query files share. */
#ifndef SHEARS_STORE_INT_H
#define SHEARS_STORE_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "util/err.h"

enum store_stmt { ST_PUT_RESOURCE, ST_PUT_EDGE, ST_PUT_METRIC, ST_PUT_GAP, ST_COUNT };

struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	int version;
	int in_scan;     /* a write transaction is open */
	int64_t scan_id; /* the open scan */
	int64_t now;     /* the open scan's start time */
	sqlite3_stmt *stmts[ST_COUNT];
};

/* Fills err from the connection's last error; damaged caches get ERR_PARSE. */
int store_sql_err(struct store *s, const char *what, struct err *err);
int store_exec(struct store *s, const char *sql, struct err *err);
/* Prepares sql (caller finalizes *st). Returns 0 or the store error. */
int store_prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct err *err);
/* A cached prepared statement, reset and with bindings cleared. */
sqlite3_stmt *store_stmt(struct store *s, enum store_stmt which, struct err *err);
void store_stmts_release(struct store *s);

/* Result strings live in a pool freed with the result (query.c). */
struct store_pool;
struct store_pool *store_pool_new(void);
void store_pool_free(struct store_pool *p);
/* Column i as a pool string; "" for NULL. */
const char *store_col_str(struct store_pool *p, sqlite3_stmt *st, int i);

#endif
