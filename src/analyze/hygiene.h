/* The hygiene family's pieces shared between its files (and the act/ timeout plan). */
#ifndef SHEARS_ANALYZE_HYGIENE_H
#define SHEARS_ANALYZE_HYGIENE_H

#include <time.h>

#include "analyze/amodel.h"
#include "analyze/analyze.h"
#include "analyze/finding.h"

/*
 * The timeout to recommend (whole seconds) for a longest observed run:
 * longest x timeout_margin rounded up, at least timeout_min_s, never below
 * the longest run itself.
 */
int hygiene_recommended_timeout(double longest_ms, const struct analyze_opts *o);

/* Log groups without retention, orphaned log groups and roles, unused layer versions. */
void hygiene_check_orphans(const struct amodel *m, const struct analyze_opts *o, time_t now,
                           struct findings *out);

#endif
