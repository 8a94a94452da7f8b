/* Private to act/: reading a plan's target and sending its calls (act/target.c). */
#ifndef SHEARS_ACT_TARGET_H
#define SHEARS_ACT_TARGET_H

#include <cjson/cJSON.h>

#include "act/run.h"
#include "util/xml.h"

/* GetFunction for the plan's target, in the plan's region (caller deletes *answer). */
int act_get_function(struct aws_client *c, const cJSON *plan, cJSON **answer, struct err *err);

/*
 * GetRole for the plan's target (a role), for the backup: {RoleName, RoleId,
 * Arn, Path, Description, MaxSessionDuration, AssumeRolePolicyDocument
 * (URL-encoded, verbatim)}. Caller deletes *answer.
 */
int act_get_role(struct aws_client *c, const cJSON *plan, cJSON **answer, struct err *err);

/*
 * One IAM list call about the plan's role (RoleName = target.name) over
 * every page (Marker): each member of <operation>Result/<list>/member to
 * each(), which returns 0 to go on.
 */
int act_iam_list(struct aws_client *c, const cJSON *plan, const char *operation, const char *list,
                 int (*each)(const struct xml_node *m, void *ctx), void *ctx, struct err *err);

/* The role's inline documents and attached ARNs as act_role_state forms them (caller deletes). */
int act_read_role_policies(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);

/* Sends one of the plan's calls as written. Returns 0 or the call's error. */
int act_send_call(struct aws_client *c, const cJSON *plan, const cJSON *call, struct err *err);

#endif
