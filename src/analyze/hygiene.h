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

/*
 * The orphan rules, for the checks here and for the actions that prune
 * what they flag (act/orphan_*.c): one rule, two users.
 */

/*
 * SHR-HYG-007: 1 when lg is a /aws/lambda/NAME group (Lambda@Edge:
 * /aws/lambda/REGION.NAME) whose function is not in the model and that no
 * function names in LoggingConfig. fn_arn: the function it belongs to.
 */
int hygiene_log_group_orphaned(const struct amodel *m, const struct am_res *lg, char *fn_arn,
                               size_t n);

/* SHR-HYG-008: what a role is to the model's functions and when IAM last saw it used. */
enum hygiene_role_verdict {
	HYG_ROLE_ORPHAN = 0,      /* only Lambda may assume it and no function runs as it */
	HYG_ROLE_SERVICE_LINKED,  /* path /aws-service-role/ */
	HYG_ROLE_NOT_LAMBDA_ONLY, /* its trust lets another service or principal assume it */
	HYG_ROLE_IN_USE,          /* a function (or published version) runs as it */
};
struct hygiene_role_use {
	enum hygiene_role_verdict verdict;
	const char *user;   /* the function running as it (borrowed from the model), or NULL */
	long days_ago;      /* since RoleLastUsed; -1 when IAM recorded no use */
	int recent;         /* used within unused_days */
	const char *region; /* RoleLastUsed.Region, or NULL */
	char last[120];     /* "last used 2024-01-02 (400 days ago in us-east-1)" or "never used" */
};
enum hygiene_role_verdict hygiene_role_use(const struct amodel *m, const struct analyze_opts *o,
                                           const struct am_res *role, time_t now,
                                           struct hygiene_role_use *u);

/* SHR-HYG-009: the function using the layer version (its ARN, borrowed), or NULL when none. */
const char *hygiene_layer_user(const struct amodel *m, const struct am_res *layer);

#endif
