/*
 * Reading the cache: what the console and the CLI show. Every result is
 * loaded whole into memory in one call and owns its strings (a pool freed by
 * the matching _release), so a caller draws, filters and sorts from memory
 * and never queries while drawing. Sized for 100,000 resources and 300,000
 * edges: one statement per call, no query per row.
 *
 * Strings in results are as the cloud sent them: hostile until made
 * terminal-safe (util/termsafe.h) by whoever prints them.
 */
#ifndef SHEARS_STORE_QUERY_H
#define SHEARS_STORE_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "store/store.h"
#include "util/err.h"

struct store_pool; /* where a result's strings live; private to query.c */

struct store_gap {
	const char *service, *region, *operation, *error;
};

struct store_count {
	enum model_kind kind;
	const char *region; /* "" for global resources */
	long n;
};

/* The last finished scan and what the cache holds. */
struct store_overview {
	int has_scan; /* 0: no scan has finished yet; the scan fields are zero */
	int64_t scan_id, started, finished;
	const char *account, *regions, *summary; /* summary: the scan's JSON */
	long calls;
	int complete;
	struct store_gap *gaps; /* what the last scan could not read */
	size_t n_gaps;
	struct store_count *counts; /* per kind and region, ordered by kind then region */
	size_t n_counts;
	long n_resources, n_edges;
	struct store_pool *pool;
};

/* Fills out (zeroed first). Returns 0 or an error (ERR_PARSE for a damaged cache). */
int store_overview_load(struct store *s, struct store_overview *out, struct err *err);
void store_overview_release(struct store_overview *o);

#define STORE_LIST_MAX_COLS 8
#define STORE_COL_SCORE     "@score"

/* Order of a list: by name, region, kind, or one of the extra columns. */
enum store_sort { STORE_SORT_NAME, STORE_SORT_REGION, STORE_SORT_KIND, STORE_SORT_COL };

enum store_list_flags {
	STORE_LIST_ATTRS = 1 << 0, /* also load each row's attrs JSON (the CLI's --json) */
	STORE_LIST_DESC = 1 << 1,  /* sort descending */
};

struct store_list_query {
	unsigned kinds;     /* mask of 1u << MODEL_x; 0 means every kind */
	const char *region; /* NULL or "": every region */
	const char *filter; /* NULL or "": every row; else a substring of the name, any case */
	/*
	 * Extra columns: JSON paths into attrs ("$.Runtime"); "$.a|$.b" takes
	 * the first that is present. Objects and arrays come back as JSON text.
	 * STORE_COL_SCORE is the resource's risk score ("" when not scored).
	 */
	const char *cols[STORE_LIST_MAX_COLS];
	size_t n_cols;
	enum store_sort sort;
	size_t sort_col; /* with STORE_SORT_COL: which extra column (numbers sort as numbers) */
	unsigned flags;
};

struct store_row {
	int64_t id;
	enum model_kind kind;
	const char *arn, *name, *region, *account;
	const char *attrs;                    /* NULL unless STORE_LIST_ATTRS */
	const char *col[STORE_LIST_MAX_COLS]; /* "" when the path is absent */
};

struct store_rows {
	struct store_row *v;
	size_t n;
	size_t n_cols;
	struct store_pool *pool;
};

/*
 * Loads the resources q selects, in q's order, ties broken by name then ARN.
 * Returns 0, ERR_USAGE (more than STORE_LIST_MAX_COLS columns, a sort column
 * past n_cols) or a store error; on error out is empty.
 */
int store_list(struct store *s, const struct store_list_query *q, struct store_rows *out,
               struct err *err);
void store_rows_release(struct store_rows *r);

/* One resource with its attrs. */
struct store_resource {
	struct model_resource r;
	int64_t first_seen, last_seen;
	struct store_pool *pool;
};

/* Returns 0, ERR_NOTFOUND when the ARN is not in the cache, or a store error. */
int store_resource_get(struct store *s, const char *arn, struct store_resource *out,
                       struct err *err);
void store_resource_release(struct store_resource *r);

enum store_edge_dir {
	STORE_EDGES_OUT = 1 << 0, /* arn is the source: what it reaches */
	STORE_EDGES_IN = 1 << 1,  /* arn is the destination: what reaches it */
};

struct store_edge_row {
	struct model_edge e;
	int outgoing;          /* 1 when e.src is the ARN asked about */
	const char *peer;      /* the other end's ARN */
	const char *peer_name; /* its name, or the ARN's last part when not in the cache */
	int peer_kind;         /* its enum model_kind, or -1 when not in the cache */
};

struct store_edges {
	struct store_edge_row *v; /* outgoing first, then incoming; by kind, then peer name */
	size_t n;
	struct store_pool *pool;
};

/*
 * The edges touching arn in the directions asked (a mask of store_edge_dir).
 * arn NULL lists every edge of the cache as outgoing rows (the CLI's
 * `ls edges`). Returns 0 or a store error.
 */
int store_edges_of(struct store *s, const char *arn, unsigned dirs, struct store_edges *out,
                   struct err *err);
void store_edges_release(struct store_edges *e);

struct store_metric {
	const char *name; /* "Invocations", "Errors", "Throttles", "DurationMax", "DurationP99" */
	int64_t day;      /* unix day number */
	double value;
};

struct store_metrics {
	struct store_metric *v; /* by name, then day */
	size_t n;
	struct store_pool *pool;
};

/* The metrics of arn from since_day on (0: all). Returns 0 or a store error. */
int store_metrics_of(struct store *s, const char *arn, int64_t since_day, struct store_metrics *out,
                     struct err *err);
void store_metrics_release(struct store_metrics *m);

#endif
