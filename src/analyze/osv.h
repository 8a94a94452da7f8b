/*
 * OSV advisories (https://ossf.github.io/osv-schema/): parse one record and
 * decide whether an installed version of a package is affected.
 *
 * Read: id, aliases, summary, modified, published, withdrawn,
 * database_specific.severity, severity[] (CVSS_V3 vectors are scored),
 * affected[].package {ecosystem, name, purl}, affected[].ranges[] {type,
 * events}, affected[].versions[]. Everything else (details, references,
 * ecosystem_specific, ...) is skipped.
 *
 * Matching follows the schema's evaluation algorithm: a range's events are
 * sorted by version (introduced "0" before all), a version is affected from
 * an introduced event up to the next fixed (exclusive) or last_affected
 * (inclusive); a limit event caps the range (versions at or above it are
 * outside). SEMVER ranges compare as semver whatever the ecosystem,
 * ECOSYSTEM ranges in the ecosystem's ordering (analyze/version.h); GIT
 * ranges and ranges of an ecosystem with no known ordering are skipped. The
 * versions[] list matches a version equal to one of its entries. A
 * withdrawn record matches nothing.
 *
 * Limits: a record of at most OSV_RECORD_MAX bytes, OSV_LIST_MAX entries in
 * any list (affected, ranges, events, versions, aliases); past them ERR_LIMIT.
 */
#ifndef SHEARS_ANALYZE_OSV_H
#define SHEARS_ANALYZE_OSV_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/rule.h"
#include "analyze/version.h"
#include "util/err.h"

#define OSV_RECORD_MAX ((size_t)8 << 20)
#define OSV_LIST_MAX   100000

enum osv_range_type { OSV_RANGE_OTHER = 0, OSV_RANGE_SEMVER, OSV_RANGE_ECOSYSTEM, OSV_RANGE_GIT };

/* Ordered so that equal versions sort introduced first: an empty [v, v) range stays empty. */
enum osv_event_kind { OSV_INTRODUCED = 0, OSV_LAST_AFFECTED, OSV_FIXED, OSV_LIMIT };

struct osv_event {
	enum osv_event_kind kind;
	const char *version;     /* as written in the record */
	int zero;                /* introduced "0": before every version */
	struct version_key *key; /* NULL when not parsed (GIT, unknown scheme, bad version) */
};

struct osv_range {
	enum osv_range_type type;
	enum version_scheme scheme; /* the ordering its events use; NONE: skipped */
	int unparsed;               /* a bound did not parse: the range is skipped */
	struct osv_event *events;   /* sorted by version when scheme is not NONE */
	size_t n_events;
};

struct osv_affected {
	const char *ecosystem; /* as in the record: "npm", "PyPI", "Go" */
	const char *name;      /* as in the record */
	char *match_name;      /* normalised for lookups (osv_package_name) */
	const char *purl;      /* NULL when absent */
	struct osv_range *ranges;
	size_t n_ranges;
	const char **versions;
	size_t n_versions;
	const void *json; /* the entry in the parsed JSON; private */
};

struct osv_affected_list {
	struct osv_affected *v;
	size_t n;
	void *root; /* the parsed JSON the strings live in; private */
};

struct osv_record {
	const char *id;
	const char *summary;   /* "" when absent */
	const char *modified;  /* RFC 3339 as written; "" when absent */
	int64_t modified_ms;   /* milliseconds since 1970; 0 when absent or unreadable */
	const char *published; /* NULL when absent */
	const char *withdrawn; /* NULL unless withdrawn */
	const char **aliases;  /* "CVE-2020-8203", ... */
	size_t n_aliases;
	enum severity severity; /* see osv_parse() */
	struct osv_affected_list affected;
};

/*
 * Parses one OSV record from len bytes of JSON. severity comes from
 * database_specific.severity (LOW, MODERATE/MEDIUM, HIGH, CRITICAL), else
 * from the highest CVSS_V3 base score in severity[], else CRITICAL for a
 * malicious-package record (id "MAL-..."), else MEDIUM.
 * Returns 0, ERR_PARSE (not JSON, no id, a field of the wrong type) or
 * ERR_LIMIT; on error *out is zeroed. Release with osv_record_release().
 */
int osv_parse(const char *data, size_t len, struct osv_record *out, struct err *err);
void osv_record_release(struct osv_record *r);

/*
 * The name to index and look a package up by: PyPI names normalised as PEP
 * 503 says (lower case, runs of "-", "_", "." become "-"), other ecosystems'
 * names unchanged. Writes at most n bytes with a NUL; returns out.
 */
char *osv_package_name(const char *ecosystem, const char *name, char *out, size_t n);

/* The OSV spelling of an ecosystem name given in any case ("pypi" -> "PyPI"); unknown names as
 * given. */
const char *osv_ecosystem_name(const char *ecosystem);

struct osv_verdict {
	int affected;
	const char *first_fixed; /* the lowest fixed version above the installed one that is
	                            itself not affected; NULL when none. Borrowed from the list */
	int unevaluated;         /* some range could not be evaluated (a bound did not parse) */
};

/*
 * Decides whether version of the package (ecosystem, name) is affected by
 * the entries of list naming that package (name compared after
 * osv_package_name(); ecosystem and name NULL: every entry counts).
 * Returns 0 with *out filled, or ERR_PARSE when version does not parse in
 * an ordering that a candidate range needs (then *out says not affected by
 * ranges, but the explicit versions list was still checked).
 */
int osv_affected_check(const struct osv_affected_list *list, const char *ecosystem,
                       const char *name, const char *version, struct osv_verdict *out);

/* osv_affected_check() on a record; a withdrawn record is never affected. */
int osv_match(const struct osv_record *r, const char *ecosystem, const char *name,
              const char *version, struct osv_verdict *out);

/*
 * The compact form the advisory store keeps per (advisory, package): a JSON
 * array of the record's affected entries for that package, with only
 * package, ranges and versions. Caller frees. NULL when the record has no
 * entry for the package.
 */
char *osv_compact_package(const struct osv_record *r, const char *ecosystem, const char *name);

/* The same for the entries idx[0..n) of list (the store groups them by package). */
char *osv_compact_entries(const struct osv_affected_list *list, const size_t *idx, size_t n);

/* Parses a compact form back (or any JSON array of OSV affected entries). */
int osv_affected_parse(const char *data, size_t len, struct osv_affected_list *out,
                       struct err *err);
void osv_affected_release(struct osv_affected_list *list);

#endif
