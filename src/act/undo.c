/*
 * Undo: the backup replayed through the same protocol. The undo's plan
 * goes from the state the action left (read back at its verify, with that
 * revision) to the state its backup holds, with the calls the action's row
 * gives for that direction; it is confirmed, re-read, backed up, applied,
 * verified and journaled like any plan, so an undo can itself be undone.
 */
#include "act/run.h"

#include <stdio.h>
#include <string.h>

#include "act/act.h"
#include "store/actions.h"
#include "util/json.h"

static cJSON *
restore_state(const struct act_action *a, const cJSON *backup_state)
{
	cJSON *o = cJSON_CreateObject();
	size_t i;

	for (i = 0; a->keys[i]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(backup_state, a->keys[i]);

		cJSON_AddItemToObject(o, a->keys[i],
		                      v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
	}
	return o;
}

static int
undo_from(const struct store_action *was, const cJSON *orig, const cJSON *result,
          const cJSON *backup, cJSON **out, struct err *err)
{
	const struct act_action *a = act_plan_action(orig);
	const char *rev = json_str(result, "RevisionId"), *name = json_str(orig, "target.name");
	cJSON *plan = cJSON_Duplicate(orig, 1), *undo, *rv;
	char explain[1024];
	int rc;

	/*
	 * only a function has a revision, and not once an action deleted it:
	 * elsewhere the state read back at verify guards the undo
	 */
	if (!rev && a && (a->applies_to != MODEL_FUNCTION || a->read))
		rev = "";
	if (!a || !rev || !name) {
		cJSON_Delete(plan);
		return err_set(err, ERR_PARSE, "action %lld's journal entry is incomplete",
		               (long long)was->id);
	}
	cJSON_ReplaceItemInObject(plan, "before", cJSON_Duplicate(json_path(orig, "after"), 1));
	cJSON_ReplaceItemInObject(plan, "after", restore_state(a, json_path(backup, "state")));
	rv = cJSON_CreateObject();
	if (rev[0])
		cJSON_AddStringToObject(rv, "RevisionId", rev);
	cJSON_ReplaceItemInObject(plan, "revisions", rv);
	cJSON_DeleteItemFromObject(plan, "undo_of");
	/* the forward change's notes would misdescribe the way back */
	cJSON_DeleteItemFromObject(plan, "diff");
	cJSON_DeleteItemFromObject(plan, "reasons");
	cJSON_AddNumberToObject(plan, "undo_of", (double)was->id);
	/* calls naming "from_backup" pieces read them from the backup being restored */
	cJSON_DeleteItemFromObject(plan, "restore_from");
	cJSON_AddStringToObject(plan, "restore_from", was->backup);
	cJSON_ReplaceItemInObject(plan, "calls", cJSON_CreateArray());
	/*
	 * as a plan's calls do, the undo's start from the whole state read
	 * (at verify): what is not a key, such as the number a republished
	 * layer version got, names what the calls change
	 */
	rc = a->calls(name, cJSON_IsObject(result) ? result : json_path(plan, "before"),
	              json_path(plan, "after"), rev,
	              cJSON_GetObjectItemCaseSensitive(plan, "calls"), err);
	undo = cJSON_CreateObject();
	cJSON_AddItemToObject(undo, "restores", cJSON_Duplicate(json_path(plan, "before"), 1));
	cJSON_AddItemToObject(undo, "calls", cJSON_CreateArray());
	if (!rc)
		rc = a->calls(name, json_path(plan, "after"), json_path(plan, "before"), "",
		              cJSON_GetObjectItemCaseSensitive(undo, "calls"), err);
	cJSON_ReplaceItemInObject(plan, "undo", undo);
	snprintf(explain, sizeof(explain), "undo of action %lld: restores the backup %s",
	         (long long)was->id, was->backup);
	cJSON_ReplaceItemInObject(plan, "explain", cJSON_CreateString(explain));
	if (rc)
		cJSON_Delete(plan);
	else
		*out = plan;
	return rc;
}

int
act_undo_plan(struct store *s, int64_t id, cJSON **plan, struct err *err)
{
	struct store_action was;
	cJSON *orig = NULL, *result = NULL, *backup = NULL;
	int rc = store_action_get(s, id, &was, err);

	*plan = NULL;
	if (rc)
		return rc;
	if (strcmp(was.state, "verified"))
		rc = err_set(err, ERR_USAGE,
		             "action %lld is %s: only a verified change can be undone",
		             (long long)id, was.state);
	if (!rc) {
		orig = cJSON_Parse(was.plan);
		result = cJSON_Parse(was.result);
		if (!orig || !result)
			rc = err_set(err, ERR_PARSE, "action %lld's journal entry is damaged",
			             (long long)id);
	}
	if (!rc)
		rc = act_backup_read(was.backup, &backup, err);
	if (!rc)
		rc = undo_from(&was, orig, result, backup, plan, err);
	cJSON_Delete(orig);
	cJSON_Delete(result);
	cJSON_Delete(backup);
	store_action_release(&was);
	return rc;
}
