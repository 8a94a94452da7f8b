/*
 * A plan is data. Its JSON (ACT_PLAN_VERSION 1):
 *
 *   { "shears_plan": 1, "action": "quarantine",
 *     "account": "111122223333", "region": "us-east-1",
 *     "target": { "arn": ..., "name": ..., "kind": "function" },
 *     "revisions": { "RevisionId": ... },   what the plan was built against
 *     "before": { key: value },  "after": { key: value },   the keys it changes
 *     "calls": [ { service, operation, method, path, body } ],
 *     "backup": [ what is saved before the change ],
 *     "undo": { "restores": before, "calls": [ ... ] },
 *     "explain": "why this figure", "destructive": false,
 *     "undo_of": N }                        only in an undo's plan
 *
 * Invariants: before and after have the same keys, the action's keys; the
 * calls take a target in state before (at the revisions) to state after;
 * nothing in a plan is secret (it is journaled and shown).
 */
#include "act/act.h"

#include <stdio.h>
#include <string.h>

#include "store/query.h"
#include "util/json.h"
#include "util/termsafe.h"

static const char *
arn_part(const char *arn, int n, char *out, size_t size)
{
	const char *p = arn;
	size_t len;

	while (n-- > 0 && p)
		p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
	if (!p)
		return "";
	len = strchr(p, ':') ? (size_t)(strchr(p, ':') - p) : strlen(p);
	if (len >= size)
		len = size - 1;
	memcpy(out, p, len);
	out[len] = '\0';
	return out;
}

/* The region a global service (IAM) signs in, by the ARN's partition. */
static const char *
global_region(const char *arn)
{
	char partition[32];

	arn_part(arn, 1, partition, sizeof(partition));
	if (!strcmp(partition, "aws-cn"))
		return "cn-north-1";
	if (!strcmp(partition, "aws-us-gov"))
		return "us-gov-west-1";
	return "us-east-1";
}

static cJSON *
pick_keys(const cJSON *state, const char *const *keys)
{
	cJSON *o = cJSON_CreateObject();
	size_t i;

	for (i = 0; keys[i]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(state, keys[i]);

		cJSON_AddItemToObject(o, keys[i], v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
	}
	return o;
}

static void
add_target(cJSON *plan, const char *arn, const char *name, enum model_kind kind)
{
	cJSON *t = cJSON_AddObjectToObject(plan, "target");

	cJSON_AddStringToObject(t, "arn", arn);
	cJSON_AddStringToObject(t, "name", name);
	cJSON_AddStringToObject(t, "kind", model_kind_name(kind));
}

/*
 * The calls and their undo for the plan's before/after at revision. The
 * calls start from the whole state read (its own revisions, such as the
 * policy's, guard writes too); the undo's from the plan's after.
 */
static int
add_calls(const struct act_action *a, cJSON *plan, const cJSON *state, const char *name,
          const char *revision, struct err *err)
{
	const cJSON *before = cJSON_GetObjectItemCaseSensitive(plan, "before");
	const cJSON *after = cJSON_GetObjectItemCaseSensitive(plan, "after");
	cJSON *undo = cJSON_AddObjectToObject(plan, "undo");
	int rc = a->calls(name, state, after, revision, cJSON_AddArrayToObject(plan, "calls"), err);

	cJSON_AddItemToObject(undo, "restores", cJSON_Duplicate(before, 1));
	/* the undo's revision is the one the change leaves: known after verify */
	if (!rc)
		rc = a->calls(name, after, before, "", cJSON_AddArrayToObject(undo, "calls"), err);
	return rc;
}

/* The plan's common head from a cached resource and its state. */
static cJSON *
plan_head(const struct act_action *a, const struct model_resource *r, const cJSON *state)
{
	cJSON *plan = cJSON_CreateObject();
	cJSON *rev = cJSON_CreateObject();
	cJSON *backup;
	char region[64] = "", account[32] = "";

	cJSON_AddNumberToObject(plan, "shears_plan", ACT_PLAN_VERSION);
	cJSON_AddStringToObject(plan, "action", a->name);
	/* the ARN says where the target lives even when the cache row does not */
	arn_part(r->arn, 4, account, sizeof(account));
	arn_part(r->arn, 3, region, sizeof(region));
	/* an S3 bucket's ARN names neither: the cache says where it lives */
	if (!account[0] && r->account)
		snprintf(account, sizeof(account), "%s", r->account);
	if (!region[0] && r->kind != MODEL_ROLE && r->region)
		snprintf(region, sizeof(region), "%s", r->region);
	cJSON_AddStringToObject(plan, "account", account);
	cJSON_AddStringToObject(plan, "region", region);
	if (!region[0]) /* IAM is global: its partition's signing region */
		cJSON_ReplaceItemInObject(plan, "region",
		                          cJSON_CreateString(global_region(r->arn)));
	add_target(plan, r->arn, r->name, r->kind);
	/* a role has no revision: its whole state, compared at the re-read, is the guard */
	if (json_str(state, "RevisionId"))
		cJSON_AddStringToObject(rev, "RevisionId", json_str(state, "RevisionId"));
	/* the state's other revisions (a resource policy's own) guard the plan too */
	for (const cJSON *m = state ? state->child : NULL; m; m = m->next) {
		size_t len = m->string ? strlen(m->string) : 0;

		if (cJSON_IsString(m) && len > 10 && !strcmp(m->string + len - 10, "RevisionId"))
			cJSON_AddStringToObject(rev, m->string, m->valuestring);
	}
	cJSON_AddItemToObject(plan, "revisions", rev);
	cJSON_AddItemToObject(plan, "before", pick_keys(state, a->keys));
	backup = cJSON_AddArrayToObject(plan, "backup");
	if (a->backs_up) {
		size_t i;

		for (i = 0; a->backs_up[i]; i++)
			cJSON_AddItemToArray(backup, cJSON_CreateString(a->backs_up[i]));
	} else if (r->kind == MODEL_ROLE) {
		cJSON_AddItemToArray(backup, cJSON_CreateString("every inline policy document"));
		cJSON_AddItemToArray(backup, cJSON_CreateString("every attached policy ARN"));
		cJSON_AddItemToArray(backup, cJSON_CreateString("the trust policy (GetRole)"));
	} else {
		cJSON_AddItemToArray(backup,
		                     cJSON_CreateString("function configuration (GetFunction)"));
		cJSON_AddItemToArray(backup, cJSON_CreateString("reserved concurrency"));
	}
	cJSON_AddBoolToObject(plan, "destructive", (a->flags & ACT_DESTRUCTIVE) != 0);
	return plan;
}

/* The state the actions compare, from a cached resource's attrs; NULL when it cannot be read. */
static cJSON *
state_from_attrs(enum model_kind kind, const cJSON *attrs)
{
	if (kind == MODEL_ROLE)
		return act_role_state(json_path(attrs, "RolePolicyList"),
		                      json_path(attrs, "AttachedManagedPolicies"));
	return act_fn_state_from_attrs(attrs);
}

/* Moves what desire noted beside the keys (a diff, reasons) from after to the plan. */
static void
take_notes(cJSON *plan, cJSON *after, const char *const *keys)
{
	cJSON *item = after->child;

	while (item) {
		cJSON *next = item->next;
		size_t i;

		for (i = 0; keys[i] && strcmp(keys[i], item->string); i++)
			;
		if (!keys[i])
			cJSON_AddItemToObject(plan, item->string,
			                      cJSON_DetachItemViaPointer(after, item));
		item = next;
	}
}

static int
plan_from_resource(const struct act_plan_ctx *ctx, const struct act_action *a,
                   const struct model_resource *r, cJSON **out, struct err *err)
{
	cJSON *attrs = cJSON_Parse(r->attrs ? r->attrs : "{}");
	cJSON *state = NULL, *plan = NULL, *after;
	char explain[1024] = "";
	int rc = 0;

	if (a->cached) {
		rc = a->cached(ctx, r, &state, err);
		if (rc)
			goto out;
	} else {
		state = state_from_attrs(r->kind, attrs);
	}
	if (!state) {
		rc = err_set(err, ERR_USAGE, "the cache has no %s for %s: rescan it",
		             r->kind == MODEL_ROLE ? "readable policies" : "RevisionId", r->name);
		goto out;
	}
	plan = plan_head(a, r, state);
	after = cJSON_AddObjectToObject(plan, "after");
	rc = a->desire(ctx, r->arn, state, after, explain, sizeof(explain), err);
	take_notes(plan, after, a->keys);
	if (!rc)
		rc = add_calls(a, plan, state, r->name, json_str(state, "RevisionId"), err);
	cJSON_AddStringToObject(plan, "explain", explain);
out:
	cJSON_Delete(attrs);
	cJSON_Delete(state);
	if (rc)
		cJSON_Delete(plan);
	else
		*out = plan;
	return rc;
}

int
act_plan_build(const struct act_plan_ctx *ctx, const struct act_action *a, const char *arn,
               cJSON **plan, struct err *err)
{
	struct store_resource r = { 0 };
	int rc = store_resource_get(ctx->store, arn, &r, err);

	*plan = NULL;
	if (rc)
		return rc;
	/* one name, a row per kind: the row for this target's kind */
	if (r.r.kind != a->applies_to && act_action_for(a->name, r.r.kind))
		a = act_action_for(a->name, r.r.kind);
	if (r.r.kind != a->applies_to)
		rc = err_set(err, ERR_USAGE, "%s applies to a %s, and %s is a %s", a->name,
		             model_kind_name(a->applies_to), r.r.name, model_kind_name(r.r.kind));
	else
		rc = act_options_check(a, ctx->options, err);
	if (!rc)
		rc = plan_from_resource(ctx, a, &r.r, plan, err);
	store_resource_release(&r);
	return rc;
}

int
act_plan_validate(const cJSON *plan, struct err *err)
{
	static const char *const strs[] = { "action",     "account",     "region",
		                            "target.arn", "target.name", NULL };
	static const char *const objs[] = { "revisions", "before", "after", "undo", NULL };
	double version;
	size_t i;

	if (!cJSON_IsObject(plan))
		return err_set(err, ERR_PARSE, "a plan is a JSON object");
	if (json_num(plan, "shears_plan", &version) || version != ACT_PLAN_VERSION)
		return err_set(err, ERR_PARSE, "not a shears plan of version %d", ACT_PLAN_VERSION);
	for (i = 0; strs[i]; i++)
		if (!json_str(plan, strs[i]) || !json_str(plan, strs[i])[0])
			return err_set(err, ERR_PARSE, "the plan has no %s", strs[i]);
	for (i = 0; objs[i]; i++)
		if (!cJSON_IsObject(json_path(plan, objs[i])))
			return err_set(err, ERR_PARSE, "the plan has no %s object", objs[i]);
	if (!act_plan_action(plan))
		return err_set(err, ERR_PARSE, "unknown action '%s'", json_str(plan, "action"));
	if (!cJSON_IsArray(json_path(plan, "calls")) ||
	    !cJSON_GetArraySize(json_path(plan, "calls")))
		return err_set(err, ERR_PARSE, "the plan has no calls");
	return 0;
}
