/*
 * Least privilege for "tighten a role": the inline policy a role's functions
 * need, built from what the role grants today, what IAM's access advisor saw
 * it use, and the resources its functions touch; with the diff against the
 * current documents and the reasons, for the reviewer. Pure: reads the
 * model, calls nothing; act/ applies the result.
 *
 * The rules (conservative: what a function may need is kept, and the
 * explanation says what was kept only because shears cannot know):
 *  1. Start from the role's grants as the permissions family reads them
 *     (perm_int.h: every Allow of every inline and attached document,
 *     unconditional Denies subtracted, the boundary applied). Nothing is
 *     ever added that the role does not grant.
 *  2. A service the access advisor reports unused for unused_days (or never)
 *     is dropped. No verdict (no job, job not COMPLETED, service not listed,
 *     role younger than the window) keeps it.
 *  3. In a used service, an action the advisor tracks is kept only when used
 *     within the window. Other actions of a kept service (used, or with no
 *     verdict; the advisor tracks S3's bucket actions, not GetObject) are kept when the
 *     policy names them; those only a wildcard grants are kept when their
 *     access level is List, Read or Write (Permissions management and
 *     Tagging dropped) and, when the function touches resources of that
 *     service, when they act on those resources' types or on none.
 *  4. What Lambda itself needs for the role's functions is kept whenever
 *     granted, used or not: logs on their log groups, ENI actions for VPC
 *     functions, X-Ray when tracing is Active, the event source reads
 *     (SQS, DynamoDB and Kinesis streams), kms:Decrypt on KMSKeyArn, sends
 *     to destinations and dead-letter targets.
 *  5. Resource "*" (or any wide pattern) becomes the ARNs the functions
 *     touch (edges from the environment, triggers, destinations; the log
 *     group, the KMS key) that the grant covers. It stays "*" where the
 *     action takes no resource-level permission, or where no resource of
 *     that service is known, and the explanation says so. A grant already
 *     scoped keeps its own Resource.
 *  6. Grants under a Condition keep their Condition and Resource in their
 *     own statements; every Deny statement is carried over unchanged.
 *  7. Statements are grouped by service, Sids name service and scope,
 *     actions are in catalog order and resources sorted: the same model
 *     gives the same bytes. Over LP_POLICY_MAX characters (IAM counts a
 *     role's inline policies without white space), action lists are first
 *     written as prefixes that match only kept actions ("s3:GetObject*"),
 *     then, if still too long, as verb prefixes ("s3:Get*", wider than
 *     needed), and the explanation says which was done.
 */
#ifndef SHEARS_ANALYZE_LEAST_PRIVILEGE_H
#define SHEARS_ANALYZE_LEAST_PRIVILEGE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <time.h>

#include "analyze/amodel.h"
#include "util/err.h"

#define LP_POLICY_MAX 10240 /* a role's inline policies, white space not counted */

struct lp_input {
	const struct amodel *m;
	const struct am_res *role; /* a MODEL_ROLE resource of m */
	int unused_days;           /* 0: PERM_UNUSED_DAYS_DEFAULT */
	time_t now;                /* 0: m->scanned, else time(NULL) */
	/* only these functions (ARNs) instead of every function using the role; NULL: all */
	const char *const *functions;
	size_t n_functions;
};

enum lp_compress {
	LP_COMPRESS_NONE = 0,
	LP_COMPRESS_EXACT,  /* prefixes matching only kept actions */
	LP_COMPRESS_WIDENED /* verb prefixes: some actions not kept are granted again */
};

/* Something the new policy leaves out, and why. */
struct lp_drop {
	char *what; /* "dynamodb" (a whole service) or "s3:DeleteBucket" */
	char *why;  /* "never used (access advisor)" */
};

struct lp_result {
	cJSON *policy;     /* the new inline policy document */
	char *policy_name; /* "<role>-least-privilege" */
	char *diff;        /* unified diff: current documents against the new one */
	char *explain;     /* one line a statement, then what is dropped and why */
	int shared;        /* several functions use the role */
	char **functions;  /* the functions the policy serves, ARNs sorted */
	size_t n_functions;
	struct lp_drop *dropped; /* services first, then actions; sorted */
	size_t n_dropped;
	size_t n_wildcards; /* Allow statements with a wildcard Action or a wide Resource, rewritten
	                     */
	enum lp_compress compress;
	size_t size; /* characters of the policy without white space */
};

/*
 * Builds the least-privilege policy of in->role (rules above) into out
 * (zeroed first; release with lp_result_release). Returns 0, ERR_USAGE when
 * the resource is not a role, ERR_PARSE when its attrs are not a RoleDetail,
 * ERR_LIMIT when even the widest compression leaves it over LP_POLICY_MAX
 * (out released).
 */
int lp_build(const struct lp_input *in, struct lp_result *out, struct err *err);

void lp_result_release(struct lp_result *r);

/* One function's share of a split role. */
struct lp_split {
	char *function;  /* ARN */
	char *role_name; /* "<role>-<function>", cut to IAM's 64 characters */
	struct lp_result r;
};

/*
 * A role per function: for each function using in->role (sorted by ARN), the
 * policy built from that function's resources and needs alone. The access
 * advisor's data is the role's and applies to every part (AWS does not tell
 * which function used what). *out is an array of *n (caller releases with
 * lp_split_free). Returns 0 or the first error of lp_build.
 */
int lp_build_split(const struct lp_input *in, struct lp_split **out, size_t *n, struct err *err);

void lp_split_free(struct lp_split *v, size_t n);

#endif
