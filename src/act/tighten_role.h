/*
 * Private to act/: the "tighten-role" action (act/tighten_role.c) and the
 * state of a role it compares: its inline documents and attached ARNs.
 */
#ifndef SHEARS_ACT_TIGHTEN_ROLE_H
#define SHEARS_ACT_TIGHTEN_ROLE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "act/act.h"

/* "InlinePolicies", "AttachedPolicies": the keys tighten-role changes. */
extern const char *const tighten_role_keys[];

/* The plan's backup lines: documents, ARNs, the trust, versions deleted. */
extern const char *const tighten_role_backs_up[];

int tighten_role_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                        cJSON *after, char *explain, size_t n, struct err *err);
int tighten_role_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                       cJSON *calls, struct err *err);

#endif
