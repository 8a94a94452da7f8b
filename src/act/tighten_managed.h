/*
 * Private to act/: tighten-role's customer-managed policies
 * (act/tighten_managed.c): their part of a role's state, the new policy
 * version that carries the least privilege, and its undo.
 */
#ifndef SHEARS_ACT_TIGHTEN_MANAGED_H
#define SHEARS_ACT_TIGHTEN_MANAGED_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "act/act.h"
#include "analyze/amodel.h"
#include "analyze/least_privilege.h"

/* "ManagedPolicies": the key tighten-role adds for customer-managed policies. */
#define TIGHTEN_MANAGED_KEY "ManagedPolicies"

/* IAM's quota for a managed policy document, white space not counted. */
#define TIGHTEN_MANAGED_MAX 6144

/*
 * The managed part of a role's state, added to st (a role state):
 *   "ManagedPolicies"  [{PolicyArn, AttachmentCount, Document}] for every
 *                      attached customer-managed policy, sorted by ARN;
 *                      Document is the default version's, as JSON (a key)
 *   "RevisionId"       "ARN=vN ..." the default version of each: IAM's
 *                      revision of a policy, so the plan's guard; absent
 *                      when the role has no customer-managed policy
 *   "PolicyVersions"   {ARN: [version ids, oldest first]}
 *   "DefaultVersions"  {"<index in ManagedPolicies>": default version id}
 *                      (dot-free names: an undo's call reads it from the
 *                      backup by a dotted path)
 * policies: [{PolicyArn, AttachmentCount, DefaultVersionId, Document (JSON
 * or IAM's URL-encoded text), Versions: [ids]}]. Returns 0 or ERR_PARSE.
 */
int tighten_managed_state(cJSON *st, const cJSON *policies, struct err *err);

/* The cached hook: the role's state from the cache, the managed part from its policies. */
int tighten_managed_cached(const struct act_plan_ctx *ctx, const struct model_resource *r,
                           cJSON **state, struct err *err);

/* The read hook: act_read_role_policies, then GetPolicy, GetPolicyVersion, ListPolicyVersions each.
 */
int tighten_managed_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);

/* The save hook: GetRole's trust, and the document of every version the plan deletes. */
int tighten_managed_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err);

/*
 * Rewrites after (lp's inline policy, nothing attached) so that one
 * customer-managed policy attached to this role alone carries r's document
 * as a new default version instead of an inline policy; the others are
 * detached. Appends the reason to explain.
 */
void tighten_managed_desire(const struct amodel *m, const cJSON *before, const struct lp_result *r,
                            cJSON *after, char *explain, size_t n);

/*
 * Appends the version calls from state from to state to: from a state read
 * (it lists "PolicyVersions"), CreatePolicyVersion SetAsDefault (after
 * DeletePolicyVersion of the oldest non-default one when IAM's 5 exist);
 * from the keys alone (an undo), SetDefaultPolicyVersion back to the
 * version the backup names, then DeletePolicyVersion of the one revision
 * names ("ARN=vN").
 */
int tighten_managed_calls(const cJSON *from, const cJSON *to, const char *revision, cJSON *calls,
                          struct err *err);

#endif
