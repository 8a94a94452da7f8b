/*
 * Private to act/: the "split-role" action (act/split_role.c): a role
 * shared by several functions becomes one role per function.
 */
#ifndef SHEARS_ACT_SPLIT_ROLE_H
#define SHEARS_ACT_SPLIT_ROLE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "act/act.h"

/* "FunctionRoles", "SplitRoles": the keys split-role changes. */
extern const char *const split_role_keys[];
extern const char *const split_role_backs_up[];

/* The convention: "<role>-<function>", cut to IAM's 64 characters (as lp_build_split names it). */
void split_role_name(const char *role, const char *function, char *out, size_t n);

int split_role_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                      cJSON *after, char *explain, size_t n, struct err *err);
int split_role_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                     cJSON *calls, struct err *err);
int split_role_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                      struct err *err);
int split_role_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);

#endif
