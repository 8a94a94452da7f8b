/*
 * The store: the only code that touches sqlite. One file, WAL mode, created
 * 0600 in a 0700 directory. The schema moves forward by numbered migrations
 * (store/schema.c); a cache written by an older shears is migrated on open, a
 * cache from a newer one is refused. A scan is written in one transaction, so
 * a reader sees the previous complete scan until the new one commits.
 */
#ifndef SHEARS_STORE_H
#define SHEARS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "util/err.h"

struct store;

enum store_flags {
	STORE_READONLY = 1 << 0, /* open an existing cache for reading only */
};

/*
 * The default cache path: $XDG_CACHE_HOME/shears/cache.db, else
 * $HOME/.cache/shears/cache.db. Returns 0 or ERR_CONFIG (no HOME).
 */
int store_default_path(char *out, size_t n, struct err *err);

/*
 * Opens (creating when missing and not STORE_READONLY) the cache at path,
 * its directory 0700 and the file 0600, and brings the schema up to date.
 * Errors: ERR_IO (cannot create), ERR_PARSE (not a shears cache, corrupt or
 * truncated: the message says to rescan with a new cache), ERR_CONFIG (made
 * by a newer shears). On error *out is NULL.
 */
int store_open(const char *path, unsigned flags, struct store **out, struct err *err);
void store_close(struct store *s);

/* The schema version this shears writes, and the one the open cache has. */
int store_schema_latest(void);
int store_schema_version(struct store *s);

struct store_scan {
	int64_t id;
	int64_t started, finished; /* unix seconds */
	const char *account;
	const char *regions; /* comma-separated */
	const char *summary; /* JSON: calls, throttled, retries, counts, elapsed */
	long calls;
	int complete;
};

/* Starts a scan's transaction. Returns 0 and sets scan->id, or an error. */
int store_scan_begin(struct store *s, struct store_scan *scan, struct err *err);
int store_put_resource(struct store *s, const struct model_resource *r, struct err *err);
int store_put_edge(struct store *s, const struct model_edge *e, struct err *err);
int store_put_metric(struct store *s, const char *arn, const char *name, int64_t day, double value,
                     struct err *err);
/* A part the scan could not read: it stays visible as incomplete. */
int store_put_gap(struct store *s, const char *service, const char *region, const char *operation,
                  const char *error, struct err *err);
/*
 * Commits: resources of the scanned regions not seen by this scan are
 * removed with their edges, the scan row gets finished/summary.
 */
int store_scan_commit(struct store *s, const struct store_scan *scan, struct err *err);
/* Drops everything since store_scan_begin(); safe when no scan is open. */
void store_scan_rollback(struct store *s);

#endif
