/*
 * Findings in the cache, with their review state. The risk engine replaces
 * the whole set after each analysis (store_findings_replace): a finding seen
 * again keeps its first_seen, one no longer raised becomes "fixed", one
 * raised again after a fix opens again. Acceptances are kept apart, keyed
 * by (rule, resource), so they survive rescans and apply to what the rule
 * raises on that resource; an expired acceptance reads as open again.
 */
#ifndef SHEARS_STORE_FINDINGS_H
#define SHEARS_STORE_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

struct store_finding_in {
	const char *id; /* stable: finding_id() */
	const char *rule, *resource, *location, *severity, *evidence;
};

struct store_score_in {
	const char *resource;
	int score, base, public_entry, reaches_data;
};

/* Replaces the findings (and the scores, when sc) in one transaction at time now. */
int store_findings_replace(struct store *s, const struct store_finding_in *f, size_t n,
                           const struct store_score_in *sc, size_t n_scores, int64_t now,
                           struct err *err);
/* Replaces the scores alone. */
int store_scores_replace(struct store *s, const struct store_score_in *sc, size_t n,
                         struct err *err);

struct store_finding {
	const char *id, *rule, *resource, *location, *severity, *evidence;
	const char *status; /* "open" | "accepted" | "fixed" (acceptance applied at now) */
	const char *reason; /* the acceptance's, or NULL */
	int64_t until;      /* the acceptance's expiry (unix s), 0 when none */
	int64_t first_seen, last_seen;
};

struct store_findings {
	struct store_finding *v;
	size_t n;
	struct store_pool *pool;
};

enum store_findings_flags {
	STORE_FINDINGS_FIXED = 1 << 0, /* also list fixed findings */
};

/* Every finding (resource NULL) or one resource's: most severe first, then by resource, rule,
 * location. */
int store_findings_list(struct store *s, const char *resource, unsigned flags, int64_t now,
                        struct store_findings *out, struct err *err);
void store_findings_release(struct store_findings *f);

/* Accepts rule on resource until (0: no expiry). Replaces an earlier acceptance. */
int store_accept(struct store *s, const char *rule, const char *resource, const char *reason,
                 int64_t until, const char *by, int64_t now, struct err *err);
/* Removes an acceptance; ERR_NOTFOUND when there was none. */
int store_unaccept(struct store *s, const char *rule, const char *resource, struct err *err);

/* Every score, highest first (resource strings owned by out->pool). */
struct store_scores {
	struct store_score_in *v;
	size_t n;
	struct store_pool *pool;
};
int store_scores_list(struct store *s, struct store_scores *out, struct err *err);
void store_scores_release(struct store_scores *sc);

/* Marks resource reviewed at code_sha (replaces an earlier mark). */
int store_review_put(struct store *s, const char *resource, const char *code_sha, const char *by,
                     int64_t now, struct err *err);
/* The code_sha resource was last marked reviewed at, into out; ERR_NOTFOUND when never. */
int store_review_get(struct store *s, const char *resource, char *out, size_t n, struct err *err);

/* A function's score, or ERR_NOTFOUND. */
int store_score_get(struct store *s, const char *resource, struct store_score_in *out,
                    struct err *err);

#endif
