/*
 * Advisories and dependencies in the cache: importing an OSV export,
 * matching installed packages against it, and the dependencies a scan found
 * in each code package or layer.
 *
 * Strings in results are as the advisory or the package sent them: hostile
 * until made terminal-safe (util/termsafe.h) by whoever prints them.
 */
#ifndef SHEARS_STORE_ADVISORY_H
#define SHEARS_STORE_ADVISORY_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/rule.h"
#include "store/store.h"
#include "util/err.h"

/* Import limits: a zip bomb or a runaway directory is ERR_LIMIT, not a full disk. */
#define ADVISORY_ENTRY_MAX   ((size_t)8 << 20)   /* bytes of one record */
#define ADVISORY_ENTRIES_MAX 2000000L            /* records in one import */
#define ADVISORY_TOTAL_MAX   ((uint64_t)8 << 30) /* uncompressed bytes in one import */

struct advisory_import_stats {
	long records;            /* JSON entries read */
	long added;              /* new ids */
	long replaced;           /* ids already present with an older `modified` */
	long unchanged;          /* ids already present, not older: kept */
	long withdrawn;          /* of added + replaced, withdrawn ones (kept, never matched) */
	long skipped;            /* entries that are not OSV records */
	char first_skipped[320]; /* "entry: why" of the first skipped entry; "" when none */
};

/*
 * Imports path: an OSV export zip (one JSON record per entry, as osv.dev
 * publishes per ecosystem: <ecosystem>/all.zip), a directory searched
 * recursively for *.json (symbolic links are not followed), or one .json
 * file. One transaction: on error nothing is imported. A record replaces
 * the stored one with the same id only when its `modified` is newer.
 * Entries that do not parse are skipped and counted; an entry over
 * ADVISORY_ENTRY_MAX, more than ADVISORY_ENTRIES_MAX entries or more than
 * ADVISORY_TOTAL_MAX bytes fail the import with ERR_LIMIT. Records the
 * import time and path (advisories_summary()).
 * Returns 0, ERR_USAGE (read-only cache, a scan is being written),
 * ERR_NOTFOUND/ERR_IO (path), ERR_PARSE (not a zip), ERR_LIMIT or a store
 * error. stats may be NULL.
 */
int advisories_import(struct store *s, const char *path, struct advisory_import_stats *stats,
                      struct err *err);

/* An installed package: what a scan or `shears check` read from lock files and metadata. */
struct store_dep {
	const char *ecosystem; /* OSV spelling, any case: "npm", "PyPI", "Go" */
	const char *name;      /* as installed; PyPI names are normalised for lookups */
	const char *version;
	const char *source; /* where it was read: "node_modules/lodash/package.json"; may be NULL */
};

struct advisory_match {
	size_t dep;              /* index into the deps given */
	const char *id;          /* "GHSA-p6mc-m468-83gw" */
	const char *aliases;     /* comma-separated: "CVE-2020-8203"; "" when none */
	const char *summary;     /* "" when none */
	enum severity severity;  /* osv_parse()'s rule */
	const char *first_fixed; /* lowest fixed version above the installed one; NULL when none */
};

struct advisory_matches {
	struct advisory_match *v; /* by dep, then severity (highest first), then id */
	size_t n;
	size_t *unparsed; /* deps whose version could not be ordered against an advisory of
	                     their package: not matched, to be reported as unknown */
	size_t n_unparsed;
};

/*
 * The advisories affecting each of deps[0..n), by OSV semantics
 * (analyze/osv.h); withdrawn advisories never match, and an advisory that
 * names (or is named by) one already listed for the same dep as an alias is
 * left out, so PYSEC and GHSA copies of one issue count once. Each distinct package
 * is looked up once through the (ecosystem, name) index and its ranges are
 * parsed once for all its installed versions. Returns 0 or a store error;
 * out is empty on error. Release with advisory_matches_release().
 */
int advisories_match(struct store *s, const struct store_dep *deps, size_t n,
                     struct advisory_matches *out, struct err *err);
void advisory_matches_release(struct advisory_matches *m);

struct advisory_count {
	char ecosystem[64];
	long n; /* advisories not withdrawn whose first package is of this ecosystem */
};

struct advisory_summary {
	struct advisory_count *v; /* by ecosystem name */
	size_t n;
	long total, withdrawn;
	int64_t imported_at; /* unix seconds of the last import; 0 when none */
	char source[1024];   /* the path last imported */
};

/* What the cache holds. Returns 0 or a store error. */
int advisories_summary(struct store *s, struct advisory_summary *out, struct err *err);
void advisory_summary_release(struct advisory_summary *sum);

/*
 * Replaces the dependencies recorded for code_sha (a code package or layer
 * CodeSha256) with deps[0..n); duplicates are kept once. Inside a scan it
 * joins the scan's transaction, else it runs in its own.
 * Returns 0, ERR_USAGE (read-only cache) or a store error.
 */
int store_dependencies_put(struct store *s, const char *code_sha, const struct store_dep *deps,
                           size_t n, struct err *err);

struct store_deps {
	struct store_dep *v;   /* by code_sha, ecosystem, name, version; strings owned */
	const char **code_sha; /* v[i]'s package */
	size_t n;
};

/* The dependencies of code_sha, or of every package when code_sha is NULL. */
int store_dependencies_get(struct store *s, const char *code_sha, struct store_deps *out,
                           struct err *err);
void store_deps_release(struct store_deps *d);

#endif
