/*
 * A function's score, 0-100, from its open findings: each finding weighs by
 * its severity (critical 25, high 10, medium 4, low 1, info 0); the sum is
 * the base. Findings count for a function when they are about the function
 * itself, the role it assumes, or a layer version it uses. The base is then
 * raised by half when the function is reachable from outside and by a
 * quarter when its role reaches a data store, and capped at 100. So every
 * point traces to a finding: base = sum of weights, score = base x raise.
 */
#ifndef SHEARS_ANALYZE_SCORE_H
#define SHEARS_ANALYZE_SCORE_H

#include <stddef.h>

#include "analyze/amodel.h"
#include "analyze/rule.h"

struct score_finding {
	const char *resource;
	enum severity severity;
};

struct fn_score {
	const struct am_res *fn;
	int base, score;
	int public_entry, reaches_data;
};

/* 1 when the predicate holds for fn (exposure.h's, or a test's). */
typedef int score_pred(const struct amodel *m, const struct am_res *fn);

int severity_weight(enum severity s);

/* 1 when a finding about resource counts for fn (itself, its role, its layers). */
int score_counts_for(const struct am_res *fn, const char *resource);

/*
 * Scores every function of m. *out (caller frees) gets one row per
 * function, in model order. Returns the number of rows.
 */
size_t score_functions(const struct amodel *m, const struct score_finding *f, size_t n,
                       score_pred *is_public, score_pred *reaches_data, struct fn_score **out);

#endif
