/*
 * shears restore (act/restore.h): the plan a prune backup gives, built
 * without the cache. Its "before" is read from the account now (the
 * function is gone; what points at it, if anything, is read as it is), its
 * "after" is the backup's state, each bucket's notification configuration
 * being the one it has now with the function's entries put back (so an
 * entry another team added since the prune stays). The calls are prune's
 * (act/prune_calls.c) in the restoring direction; "restore_from" names the
 * backup, from which the environment and the code are filled at send time.
 */
#include "act/restore.h"

#include <stdio.h>
#include <string.h>

#include "act/act.h"
#include "act/prune.h"
#include "act/run.h"
#include "util/json.h"

static cJSON *
pick_keys(const cJSON *state)
{
	cJSON *o = cJSON_CreateObject();
	size_t i;

	for (i = 0; prune_keys[i]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(state, prune_keys[i]);

		cJSON_AddItemToObject(o, prune_keys[i],
		                      v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
	}
	return o;
}

/* The part n (0-based, ':'-separated) of arn into out. */
static const char *
arn_part(const char *arn, int n, char *out, size_t size)
{
	const char *p = arn, *end;

	while (n-- > 0 && p)
		p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
	if (!p)
		return "";
	end = strchr(p, ':');
	snprintf(out, size, "%.*s", end ? (int)(end - p) : (int)strlen(p), p);
	return out;
}

static cJSON *
plan_skeleton(const cJSON *backup, const char *path)
{
	const char *arn = json_str(backup, "target");
	cJSON *plan = cJSON_CreateObject(), *t, *b;
	char account[32], region[64], name[256];
	size_t i;

	cJSON_AddNumberToObject(plan, "shears_plan", ACT_PLAN_VERSION);
	cJSON_AddStringToObject(plan, "action", "prune");
	cJSON_AddStringToObject(plan, "account", arn_part(arn, 4, account, sizeof(account)));
	cJSON_AddStringToObject(plan, "region", arn_part(arn, 3, region, sizeof(region)));
	t = cJSON_AddObjectToObject(plan, "target");
	cJSON_AddStringToObject(t, "arn", arn);
	cJSON_AddStringToObject(t, "name", arn_part(arn, 6, name, sizeof(name)));
	cJSON_AddStringToObject(t, "kind", "function");
	cJSON_AddObjectToObject(plan, "revisions");
	/* the buckets to read are the backup's: before and after both name them until read */
	cJSON_AddItemToObject(plan, "before", pick_keys(json_path(backup, "state")));
	cJSON_AddItemToObject(plan, "after", pick_keys(json_path(backup, "state")));
	b = cJSON_AddArrayToObject(plan, "backup");
	for (i = 0; prune_backs_up[i]; i++)
		cJSON_AddItemToArray(b, cJSON_CreateString(prune_backs_up[i]));
	cJSON_AddBoolToObject(plan, "destructive", 0);
	cJSON_AddStringToObject(plan, "restore_from", path);
	return plan;
}

/* Each bucket of after: its configuration now, with the function's backed-up entries. */
static void
merge_buckets(cJSON *after, const cJSON *now)
{
	const char *fn = json_str(now, "FunctionArn");
	cJSON *b;

	cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(after, "BucketNotifications"))
	{
		const cJSON *n;

		cJSON_ArrayForEach(n, json_path(now, "BucketNotifications"))
		{
			if (strcmp(json_str(n, "Bucket"), json_str(b, "Bucket")))
				continue;
			cJSON_ReplaceItemInObjectCaseSensitive(
			        b, "Configuration",
			        prune_notification_merge(json_path(n, "Configuration"),
			                                 json_path(b, "Configuration"), fn));
		}
	}
}

static int
fill_plan(struct aws_client *c, cJSON *plan, const cJSON *backup, const char *path, struct err *err)
{
	const char *name = json_str(plan, "target.name");
	cJSON *now = NULL, *after, *undo;
	char explain[1024];
	int rc = prune_read(c, plan, &now, err);

	if (!rc && json_bool(now, "Exists", 0))
		rc = err_set(err, ERR_USAGE,
		             "function %s exists: a restore recreates a pruned function only",
		             name);
	if (rc) {
		cJSON_Delete(now);
		return rc;
	}
	after = pick_keys(json_path(backup, "state"));
	merge_buckets(after, now);
	cJSON_ReplaceItemInObjectCaseSensitive(plan, "before", pick_keys(now));
	cJSON_ReplaceItemInObjectCaseSensitive(plan, "after", after);
	rc = prune_calls(name, now, after, "", cJSON_AddArrayToObject(plan, "calls"), err);
	undo = cJSON_AddObjectToObject(plan, "undo");
	cJSON_AddItemToObject(undo, "restores", pick_keys(now));
	if (!rc)
		rc = prune_calls(name, after, now, "", cJSON_AddArrayToObject(undo, "calls"), err);
	snprintf(explain, sizeof(explain),
	         "restore of the function pruned by action %.0f, from the backup %s (versions "
	         "are published again from 1, in order; aliases follow them)",
	         json_path(backup, "action_id") ? json_path(backup, "action_id")->valuedouble : 0,
	         path);
	cJSON_AddStringToObject(plan, "explain", explain);
	cJSON_Delete(now);
	return rc;
}

int
act_restore_plan(struct aws_client *c, const char *backup_path, cJSON **plan, struct err *err)
{
	cJSON *backup = NULL;
	const char *action;
	int rc = act_backup_read(backup_path, &backup, err);

	*plan = NULL;
	if (rc)
		return rc;
	action = json_str(backup, "action");
	if (!action || strcmp(action, "prune") || !json_str(backup, "target") ||
	    !cJSON_IsObject(json_path(backup, "state")))
		rc = err_set(err, ERR_USAGE, "'%s' is not the backup of a prune", backup_path);
	else if (!json_bool(json_path(backup, "state"), "Exists", 0) ||
	         !json_str(backup, "code_file"))
		rc = err_set(err, ERR_USAGE,
		             "'%s' holds no function to restore (the backup of an undo)",
		             backup_path);
	if (!rc) {
		*plan = plan_skeleton(backup, backup_path);
		rc = fill_plan(c, *plan, backup, backup_path, err);
	}
	if (rc) {
		cJSON_Delete(*plan);
		*plan = NULL;
	}
	cJSON_Delete(backup);
	return rc;
}
