/*
 * The permissions family: what a Lambda function's role can do, judged
 * conservatively, and the findings SHR-PERM-001..010 (rules_permissions.c).
 *
 * How a role is read (perm_eval.c):
 *  - Every Allow statement of every inline and attached managed policy (AWS
 *    and customer alike) becomes a grant: its Action patterns (or the
 *    complement of its NotAction) expanded against the IAM catalog, its
 *    Resource/NotResource kept, its Condition noted, not evaluated: an
 *    Allow with a Condition still grants, and the evidence says
 *    "conditional".
 *  - An unconditional Deny removes its actions from a grant whose every
 *    resource it covers. A Deny with a Condition, or with NotResource,
 *    removes nothing (shears over-states reach rather than hide it).
 *  - A permissions boundary intersects only when its document is known
 *    (perm_role_input.boundary_doc, or the role's ManagedPolicyDocuments);
 *    with only its ARN the evidence says so and nothing is reduced. An
 *    action survives a boundary that allows it on some resource.
 *  - An attached managed policy whose document was not collected is judged
 *    by its AWS name only (AdministratorAccess, PowerUserAccess, IAMFullAccess).
 *  - Service control policies, resource policies and session policies are
 *    not seen.
 *
 * What "on *" means: a grant is wide when a Resource pattern is "*", when
 * it uses NotResource, or when an ARN pattern's resource part is "*", or
 * a type then '/' or ':' then "*" (every bucket, every table, every
 * secret). S3 ARNs carry no type: "arn:aws:s3:::b/" then "*" is one bucket.
 */
#ifndef SHEARS_ANALYZE_PERM_H
#define SHEARS_ANALYZE_PERM_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <time.h>

#include "analyze/finding.h"
#include "util/err.h"

#define PERM_UNUSED_DAYS_DEFAULT 90

struct perm_opts {
	int unused_days; /* granted but unused this long: SHR-PERM-008/009; 0 means the default */
	time_t now;      /* 0 means time(NULL) */
};

struct perm_role_input {
	const char *role_arn;
	const cJSON *attrs;        /* the role's attrs as collect/iam.c stores them (RoleDetail) */
	const cJSON *boundary_doc; /* the boundary's document when known, else NULL */
	const char *const *function_arns; /* the functions that use the role (may be NULL) */
	size_t n_functions;
};

/*
 * Appends the permissions findings of one role to out: breadth (admin,
 * power user, IAM, service:*, write on *), privilege escalation (a write to
 * one of function_arns themselves is not escalation), data reads on *,
 * unused services and role, a role shared by several functions. Returns 0,
 * or ERR_PARSE when attrs is not an object (nothing appended).
 */
int perm_check_role(const struct perm_role_input *in, const struct perm_opts *o,
                    struct findings *out, struct err *err);

/*
 * The same checks on one policy document (`shears check policy.json`):
 * findings are about name, locations are "policy NAME statement N".
 * Unused and shared checks need a role and are skipped. Returns 0, or
 * ERR_PARSE when doc is not an object.
 */
int perm_check_document(const char *name, const cJSON *doc, const struct perm_opts *o,
                        struct findings *out, struct err *err);

/* Data stores, for the exposure family's score: does the role reach them? */
enum perm_data {
	PERM_DATA_S3 = 1 << 0,
	PERM_DATA_DYNAMODB = 1 << 1,
	PERM_DATA_SECRETSMANAGER = 1 << 2,
	PERM_DATA_SSM = 1 << 3,
	PERM_DATA_KMS = 1 << 4,
	PERM_DATA_RDS = 1 << 5,
};

struct perm_reach {
	unsigned reads;  /* enum perm_data bits: the role can read data of that store */
	unsigned writes; /* ... or write or delete it */
	unsigned wide;   /* ... on every resource of the store ("*"), not a named one */
};

/*
 * What data the role reaches, from the same evaluation as perm_check_role
 * (conditional grants count). A read is an action that returns stored data
 * (s3:GetObject, dynamodb:Query, secretsmanager:GetSecretValue,
 * kms:Decrypt, ...), a write one that changes or deletes it. Returns 0 or
 * ERR_PARSE.
 */
int perm_role_reach(const struct perm_role_input *in, struct perm_reach *reach, struct err *err);

/* Names the bits of a perm_data mask into out: "s3,dynamodb"; "" for none. Returns out. */
char *perm_data_names(unsigned mask, char *out, size_t n);

#endif
