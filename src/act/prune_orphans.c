/*
 * prune --with orphans: the prune and, in the same batch, what the
 * function leaves orphaned: its role when no other function runs as it
 * and IAM saw it unused for the unused days, and its log group. Each is
 * planned by its own action (prune-role, prune-log-group) against the
 * cache as if the function were already gone, so the orphan rules decide
 * exactly as they will after the prune. The prune stops the batch if it
 * does not verify: a role or log group is never deleted for a function
 * that is still there.
 */
#include "act/act.h"

#include <stdio.h>
#include <string.h>

#include "act/batch.h"
#include "collect/collect.h"
#include "store/query.h"
#include "util/json.h"

/* Plans action on arn as if ctx->gone were deleted; a refusal becomes a note in batch. */
static int
add_orphan(const struct act_plan_ctx *ctx, const char *action, const char *arn, cJSON *batch,
           struct err *err)
{
	const struct act_action *a = act_action_find(action);
	struct err why = { 0 };
	cJSON *plan = NULL, *notes = cJSON_GetObjectItemCaseSensitive(batch, "notes");
	char note[1200];
	int rc = a ? act_plan_build(ctx, a, arn, &plan, &why) : ERR_USAGE;

	if (rc == ERR_USAGE || rc == ERR_NOTFOUND) {
		snprintf(note, sizeof(note), "kept %s: %s", arn,
		         why.msg[0] ? why.msg : "not in the cache");
		if (!notes)
			notes = cJSON_AddArrayToObject(batch, "notes");
		cJSON_AddItemToArray(notes, cJSON_CreateString(note));
		return 0;
	}
	if (rc) {
		*err = why;
		return rc;
	}
	return act_batch_add(batch, plan, err);
}

int
act_prune_with_orphans(const struct act_plan_ctx *ctx, cJSON *prune_plan, cJSON **batch,
                       struct err *err)
{
	const char *fn = json_str(prune_plan, "target.arn");
	struct act_plan_ctx as_gone = *ctx;
	struct store_resource r = { 0 };
	char group[2048] = "";
	cJSON *attrs = NULL, *b;
	const char *role;
	int rc;

	*batch = NULL;
	rc = store_resource_get(ctx->store, fn, &r, err);
	if (rc) {
		cJSON_Delete(prune_plan);
		return rc;
	}
	attrs = cJSON_Parse(r.r.attrs ? r.r.attrs : "{}");
	role = json_str(attrs, "Role");
	logs_function_group_arn(fn, attrs, group, sizeof(group));
	b = act_batch_new(json_str(prune_plan, "account"));
	/* the orphans are deleted only once the function is verified gone */
	cJSON_AddBoolToObject(prune_plan, "stop_on_error", 1);
	rc = act_batch_add(b, prune_plan, err);
	as_gone.gone = fn;
	as_gone.options = NULL;
	if (!rc && role)
		rc = add_orphan(&as_gone, "prune-role", role, b, err);
	if (!rc && group[0])
		rc = add_orphan(&as_gone, "prune-log-group", group, b, err);
	cJSON_Delete(attrs);
	store_resource_release(&r);
	if (rc)
		cJSON_Delete(b);
	else
		*batch = b;
	return rc;
}
