/* Private to act/: reading a plan's target and sending its calls (act/target.c). */
#ifndef SHEARS_ACT_TARGET_H
#define SHEARS_ACT_TARGET_H

#include <cjson/cJSON.h>

#include "act/run.h"

/* GetFunction for the plan's target, in the plan's region (caller deletes *answer). */
int act_get_function(struct aws_client *c, const cJSON *plan, cJSON **answer, struct err *err);

/*
 * GetRole for the plan's target (a role), for the backup: {RoleName, RoleId,
 * Arn, Path, Description, MaxSessionDuration, AssumeRolePolicyDocument
 * (URL-encoded, verbatim)}. Caller deletes *answer.
 */
int act_get_role(struct aws_client *c, const cJSON *plan, cJSON **answer, struct err *err);

/*
 * A role's policies (ListRolePolicies, GetRolePolicy each,
 * ListAttachedRolePolicies) as act_role_state. Caller deletes *state.
 */
int act_read_role(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);

/* Sends one of the plan's calls as written. Returns 0 or the call's error. */
int act_send_call(struct aws_client *c, const cJSON *plan, const cJSON *call, struct err *err);

#endif
