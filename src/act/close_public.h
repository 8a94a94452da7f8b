/*
 * Private to act/: the "close-public" action (act/close_public.c) and the
 * part of a function's state it compares (resource policy and URL auth).
 */
#ifndef SHEARS_ACT_CLOSE_PUBLIC_H
#define SHEARS_ACT_CLOSE_PUBLIC_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "act/act.h"

/* "PolicyStatements", "UrlAuthType": the keys close-public changes. */
extern const char *const close_public_keys[];

int close_public_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                        cJSON *after, char *explain, size_t n, struct err *err);
int close_public_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                       cJSON *calls, struct err *err);

/*
 * The AddPermission body writing stmt (a statement as the state holds it)
 * back, or NULL and why when AddPermission would write it differently.
 * Caller deletes. Prune's restore uses it too.
 */
cJSON *close_public_add_permission_body(const cJSON *stmt, char *why, size_t n);

#endif
