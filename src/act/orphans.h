/*
 * Private to act/: pruning what nobody uses (issue 7, "prune orphans"),
 * three destructive actions whose refusals are analyze's orphan rules
 * (analyze/hygiene.h), never a copy of them:
 *
 *   prune-role           act/orphan_role.c       SHR-HYG-008
 *   prune-log-group      act/orphan_log_group.c  SHR-HYG-007
 *   prune-layer-version  act/orphan_layer.c      SHR-HYG-009
 *
 * Each state has an "Exists" key; a target that is gone reads as the
 * action's absent state, so "after" of a prune is a state like any other
 * and the undo (the calls from absent back to the backed-up state) is the
 * same row's calls in the other direction.
 */
#ifndef SHEARS_ACT_ORPHANS_H
#define SHEARS_ACT_ORPHANS_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "act/act.h"
#include "analyze/amodel.h"

extern const char *const prune_role_keys[];
extern const char *const prune_role_backs_up[];
int prune_role_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                      struct err *err);
int prune_role_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);
int prune_role_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err);
int prune_role_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                      cJSON *after, char *explain, size_t n, struct err *err);
int prune_role_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                     cJSON *calls, struct err *err);

extern const char *const prune_log_group_keys[];
extern const char *const prune_log_group_backs_up[];
int prune_log_group_cached(const struct act_plan_ctx *ctx, const struct model_resource *r,
                           cJSON **state, struct err *err);
int prune_log_group_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);
int prune_log_group_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err);
int prune_log_group_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                           cJSON *after, char *explain, size_t n, struct err *err);
int prune_log_group_calls(const char *name, const cJSON *from, const cJSON *to,
                          const char *revision, cJSON *calls, struct err *err);

extern const char *const prune_layer_keys[];
extern const char *const prune_layer_backs_up[];
int prune_layer_cached(const struct act_plan_ctx *ctx, const struct model_resource *r,
                       cJSON **state, struct err *err);
int prune_layer_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);
int prune_layer_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err);
int prune_layer_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                       cJSON *after, char *explain, size_t n, struct err *err);
int prune_layer_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                      cJSON *calls, struct err *err);

/* ---- shared by the three (act/orphans.c) */

/*
 * Loads the cache into m and finds arn in it (*res). Returns 0, or
 * ERR_NOTFOUND (m released) when the cache does not hold arn.
 */
int orphan_model(const struct act_plan_ctx *ctx, const char *arn, struct amodel *m,
                 const struct am_res **res, struct err *err);

/* A state with every key null (lists: []) and "Exists": false: the target is gone. */
cJSON *orphan_absent(const char *const *keys, const char *const *list_keys);
/* The same members, added to st (a plan's after). */
void orphan_absent_fill(cJSON *st, const char *const *keys, const char *const *list_keys);

/* 1 when state says the target exists; -1 when it says nothing about it. */
int orphan_exists(const cJSON *state);

/* The strings of list, sorted, as a new array; NULL when an item is not a string. */
cJSON *orphan_sorted_strings(const cJSON *list);

#endif
