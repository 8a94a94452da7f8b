/*
 * prune-role: deletes an execution role nobody uses. Refused unless
 * SHR-HYG-008's rule (analyze/hygiene.h hygiene_role_use) calls it an
 * orphan (only Lambda may assume it, not service-linked, no function of
 * the cache runs as it) and IAM last saw it used longer ago than the
 * analyze opts' unused_days (or never).
 *
 * State (the same form from the cache's RoleDetail and from IAM's reads):
 *   Exists, Path, AssumeRolePolicyDocument (JSON), InlinePolicies and
 *   AttachedPolicies (act_role_state), InstanceProfiles (names, sorted),
 *   PermissionsBoundary (ARN or null), Tags ([{Key, Value}] by Key).
 * A read also gives Description, MaxSessionDuration and RoleId, which the
 * cache does not hold: not keys, so never compared; CreateRole takes the
 * first two from the backup (GetRole) at send time.
 *
 * Calls, each sent once: RemoveRoleFromInstanceProfile, DetachRolePolicy,
 * DeleteRolePolicy, DeleteRolePermissionsBoundary, DeleteRole. Undo:
 * CreateRole (path, name, trust, tags; description and max session from
 * the backup), PutRolePolicy, AttachRolePolicy, PutRolePermissionsBoundary,
 * AddRoleToInstanceProfile. IAM gives the new role a new RoleId: a policy
 * naming the role by ARN keeps working, one naming its RoleId does not.
 */
#include "act/orphans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/call.h"
#include "act/target.h"
#include "analyze/hygiene.h"
#include "util/json.h"
#include "util/policy.h"
#include "util/xmalloc.h"
#include "util/xml.h"

const char *const prune_role_keys[] = { "Exists",
	                                "Path",
	                                "AssumeRolePolicyDocument",
	                                "InlinePolicies",
	                                "AttachedPolicies",
	                                "InstanceProfiles",
	                                "PermissionsBoundary",
	                                "Tags",
	                                NULL };
static const char *const role_lists[] = { "InlinePolicies", "AttachedPolicies", "InstanceProfiles",
	                                  "Tags", NULL };

const char *const prune_role_backs_up[] = {
	"the role: path, trust policy, description, max session duration (GetRole), tags",
	"every inline policy document and every attached policy ARN",
	"its instance profiles and permissions boundary",
	"not its RoleId, CreateDate or RoleLastUsed: IAM gives a recreated role new ones",
	NULL,
};

/* ---- the state */

static int
by_key(const void *a, const void *b)
{
	return strcmp(json_str(*(const cJSON *const *)a, "Key"),
	              json_str(*(const cJSON *const *)b, "Key"));
}

/* [{Key, Value}] sorted by Key; NULL when an entry lacks either. */
static cJSON *
sorted_tags(const cJSON *tags)
{
	int n = cJSON_GetArraySize(tags), i = 0;
	const cJSON **v = xcalloc((size_t)n + 1, sizeof(*v));
	const cJSON *t;
	cJSON *out = NULL;

	cJSON_ArrayForEach(t, tags)
	{
		if (!json_str(t, "Key") || !json_str(t, "Value"))
			goto out;
		v[i++] = t;
	}
	if (n)
		qsort(v, (size_t)n, sizeof(*v), by_key);
	out = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "Key", json_str(v[i], "Key"));
		cJSON_AddStringToObject(o, "Value", json_str(v[i], "Value"));
		cJSON_AddItemToArray(out, o);
	}
out:
	free(v);
	return out;
}

/*
 * The state from its parts (each borrowed): trust as a document or IAM's
 * URL-encoded text, policies as act_role_state takes them. NULL when one
 * cannot be read.
 */
static cJSON *
role_state(const char *path, const cJSON *trust, const cJSON *policies, const cJSON *profiles,
           const char *boundary, const cJSON *tags)
{
	cJSON *doc = cJSON_IsString(trust) ? policy_decode(trust->valuestring, NULL)
	                                   : cJSON_Duplicate(trust, 1);
	cJSON *names = orphan_sorted_strings(profiles), *tag_list = sorted_tags(tags);
	cJSON *st;

	if (!cJSON_IsObject(doc) || !names || !tag_list || !policies) {
		cJSON_Delete(doc);
		cJSON_Delete(names);
		cJSON_Delete(tag_list);
		return NULL;
	}
	st = cJSON_CreateObject();
	cJSON_AddTrueToObject(st, "Exists");
	cJSON_AddStringToObject(st, "Path", path && path[0] ? path : "/");
	cJSON_AddItemToObject(st, "AssumeRolePolicyDocument", doc);
	cJSON_AddItemToObject(st, "InlinePolicies",
	                      cJSON_Duplicate(json_path(policies, "InlinePolicies"), 1));
	cJSON_AddItemToObject(st, "AttachedPolicies",
	                      cJSON_Duplicate(json_path(policies, "AttachedPolicies"), 1));
	cJSON_AddItemToObject(st, "InstanceProfiles", names);
	if (boundary && boundary[0])
		cJSON_AddStringToObject(st, "PermissionsBoundary", boundary);
	else
		cJSON_AddNullToObject(st, "PermissionsBoundary");
	cJSON_AddItemToObject(st, "Tags", tag_list);
	return st;
}

int
prune_role_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                  struct err *err)
{
	cJSON *attrs = cJSON_Parse(r->attrs ? r->attrs : "{}");
	cJSON *policies = act_role_state(json_path(attrs, "RolePolicyList"),
	                                 json_path(attrs, "AttachedManagedPolicies"));
	cJSON *profiles = cJSON_CreateArray(), *none = cJSON_CreateArray();
	const cJSON *p, *tags = json_path(attrs, "Tags");

	(void)ctx;
	cJSON_ArrayForEach(p, json_path(attrs, "InstanceProfileList"))
	{
		if (json_str(p, "InstanceProfileName"))
			cJSON_AddItemToArray(
			        profiles, cJSON_CreateString(json_str(p, "InstanceProfileName")));
	}
	*state = role_state(json_str(attrs, "Path"), json_path(attrs, "AssumeRolePolicyDocument"),
	                    policies, profiles,
	                    json_str(attrs, "PermissionsBoundary.PermissionsBoundaryArn"),
	                    tags ? tags : none);
	cJSON_Delete(none);
	cJSON_Delete(policies);
	cJSON_Delete(profiles);
	cJSON_Delete(attrs);
	if (!*state)
		return err_set(err, ERR_USAGE,
		               "the cache holds no readable trust policy or policies for %s: "
		               "rescan it",
		               r->name);
	return 0;
}

/* ---- reading IAM */

static int
add_profile(const struct xml_node *m, void *ctx)
{
	const char *name = xml_text(m, "InstanceProfileName");

	if (name)
		cJSON_AddItemToArray(ctx, cJSON_CreateString(name));
	return 0;
}

static int
add_tag(const struct xml_node *m, void *ctx)
{
	cJSON *t = cJSON_CreateObject();

	cJSON_AddStringToObject(t, "Key", xml_text(m, "Key") ? xml_text(m, "Key") : "");
	cJSON_AddStringToObject(t, "Value", xml_text(m, "Value") ? xml_text(m, "Value") : "");
	cJSON_AddItemToArray(ctx, t);
	return 0;
}

/* GetRole; *gone = 1 (and 0 returned) when IAM has no such role. */
static int
get_role(struct aws_client *c, const cJSON *plan, struct xml_doc *doc, int *gone, struct err *err)
{
	struct err e = { 0 };
	int rc = act_query(c, json_str(plan, "region"), "iam", "GetRole", doc, &e, "RoleName",
	                   json_str(plan, "target.name"), NULL);

	*gone = rc && act_err_is(&e, "NoSuchEntity");
	if (rc && !*gone && err)
		*err = e;
	return *gone ? 0 : rc;
}

/* Description, MaxSessionDuration, RoleId: read, not compared (the cache lacks them). */
static void
add_extras(cJSON *st, const struct xml_doc *doc)
{
	static const char *const extras[] = { "Description", "MaxSessionDuration", "RoleId", NULL };
	char path[96];
	size_t i;

	for (i = 0; extras[i]; i++) {
		snprintf(path, sizeof(path), "GetRoleResult/Role/%s", extras[i]);
		if (xml_text(doc->root, path))
			cJSON_AddStringToObject(st, extras[i], xml_text(doc->root, path));
	}
}

int
prune_role_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	cJSON *policies = NULL, *profiles = cJSON_CreateArray(), *tags = cJSON_CreateArray();
	struct xml_doc doc = { 0 };
	int gone = 0, rc = get_role(c, plan, &doc, &gone, err);

	*state = NULL;
	if (!rc && gone)
		*state = orphan_absent(prune_role_keys, role_lists);
	if (rc || gone)
		goto out;
	rc = act_read_role_policies(c, plan, &policies, err);
	if (!rc)
		rc = act_iam_list(c, plan, "ListInstanceProfilesForRole", "InstanceProfiles",
		                  add_profile, profiles, err);
	if (!rc)
		rc = act_iam_list(c, plan, "ListRoleTags", "Tags", add_tag, tags, err);
	if (!rc) {
		const char *text =
		        xml_text(doc.root, "GetRoleResult/Role/AssumeRolePolicyDocument");
		cJSON *trust = cJSON_CreateString(text ? text : "");

		*state = role_state(xml_text(doc.root, "GetRoleResult/Role/Path"), trust, policies,
		                    profiles,
		                    xml_text(doc.root, "GetRoleResult/Role/PermissionsBoundary/"
		                                       "PermissionsBoundaryArn"),
		                    tags);
		cJSON_Delete(trust);
		if (*state)
			add_extras(*state, &doc);
		else
			rc = err_set(
			        err, ERR_PARSE,
			        "IAM answered a trust policy or an inline policy that is not a "
			        "document");
	}
out:
	cJSON_Delete(policies);
	cJSON_Delete(profiles);
	cJSON_Delete(tags);
	xml_doc_release(&doc);
	return rc;
}

int
prune_role_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err)
{
	cJSON *role = NULL;
	struct err e = { 0 };
	int rc;

	if (orphan_exists(sc->now) != 1)
		return 0; /* an undo's backup: nothing to lose, the role is not there */
	rc = act_get_role(sc->client, sc->plan, &role, &e);
	if (rc) {
		if (err)
			*err = e;
		return rc;
	}
	cJSON_AddItemToObject(backup, "GetRole", role);
	return 0;
}

/* ---- desire: deleted, and only an orphan nobody used for unused_days */

static int
refusal(const struct hygiene_role_use *u, int unused_days, struct err *err)
{
	switch (u->verdict) {
	case HYG_ROLE_SERVICE_LINKED:
		return err_set(err, ERR_USAGE,
		               "refused: a service-linked role (path /aws-service-role/): its "
		               "service deletes it");
	case HYG_ROLE_NOT_LAMBDA_ONLY:
		return err_set(err, ERR_USAGE,
		               "refused: its trust policy lets another service or principal assume "
		               "it: not a Lambda orphan");
	case HYG_ROLE_IN_USE:
		return err_set(err, ERR_USAGE, "refused: %s runs as it", u->user);
	case HYG_ROLE_ORPHAN:
		break;
	}
	if (u->recent)
		return err_set(
		        err, ERR_USAGE,
		        "refused: IAM saw it used %ld days ago, within the %d unused days: a "
		        "function the cache does not hold (another region or account) may run "
		        "as it",
		        u->days_ago, unused_days);
	return 0;
}

int
prune_role_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                  cJSON *after, char *explain, size_t n, struct err *err)
{
	struct analyze_opts dflt;
	const struct analyze_opts *o = ctx->opts;
	const struct am_res *role;
	struct hygiene_role_use u;
	struct amodel m;
	int rc;

	if (orphan_exists(before) != 1)
		return err_set(err, ERR_USAGE, "the role is not there: nothing to prune");
	if (!o) {
		analyze_opts_default(&dflt);
		o = &dflt;
	}
	rc = orphan_model(ctx, arn, &m, &role, err);
	if (rc)
		return rc;
	hygiene_role_use(&m, o, role, ctx->today ? ctx->today : m.scanned, &u);
	rc = refusal(&u, o->unused_days, err);
	if (!rc) {
		snprintf(explain, n,
		         "deletes role %s: no function in the cache runs as it, only Lambda may "
		         "assume it, %s; %d inline, %d attached, %d instance profiles. Undo "
		         "recreates it with a NEW RoleId: policies naming it by ARN keep working, "
		         "by RoleId (AROA...) they do not",
		         role->name, u.last,
		         cJSON_GetArraySize(json_path(before, "InlinePolicies")),
		         cJSON_GetArraySize(json_path(before, "AttachedPolicies")),
		         cJSON_GetArraySize(json_path(before, "InstanceProfiles")));
		orphan_absent_fill(after, prune_role_keys, role_lists);
	}
	amodel_free(&m);
	return rc;
}

/* ---- calls: every attachment undone, then the role; or the role, then every attachment */

static cJSON *
iam_call(cJSON *calls, const char *operation, const char *role, int once)
{
	cJSON *c = act_call_add(calls, "iam", operation);

	if (once)
		cJSON_AddTrueToObject(c, "once");
	act_call_param(c, "RoleName", role);
	return c;
}

static void
delete_calls(const char *role, const cJSON *from, cJSON *calls)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, json_path(from, "InstanceProfiles"))
	{
		act_call_param(iam_call(calls, "RemoveRoleFromInstanceProfile", role, 1),
		               "InstanceProfileName", p->valuestring);
	}
	cJSON_ArrayForEach(p, json_path(from, "AttachedPolicies"))
	{
		act_call_param(iam_call(calls, "DetachRolePolicy", role, 1), "PolicyArn",
		               p->valuestring);
	}
	cJSON_ArrayForEach(p, json_path(from, "InlinePolicies"))
	{
		act_call_param(iam_call(calls, "DeleteRolePolicy", role, 1), "PolicyName",
		               json_str(p, "PolicyName"));
	}
	if (json_str(from, "PermissionsBoundary"))
		iam_call(calls, "DeleteRolePermissionsBoundary", role, 1);
	iam_call(calls, "DeleteRole", role, 1);
}

static void
create_role_call(const char *role, const cJSON *to, cJSON *calls)
{
	cJSON *c = iam_call(calls, "CreateRole", role, 1), *fill;
	char *trust = cJSON_PrintUnformatted(json_path(to, "AssumeRolePolicyDocument"));
	const cJSON *t;
	char key[48];
	int i = 0;

	act_call_param(c, "Path", json_str(to, "Path") ? json_str(to, "Path") : "/");
	act_call_param(c, "AssumeRolePolicyDocument", trust ? trust : "{}");
	free(trust);
	cJSON_ArrayForEach(t, json_path(to, "Tags"))
	{
		i++;
		snprintf(key, sizeof(key), "Tags.member.%d.Key", i);
		act_call_param(c, key, json_str(t, "Key"));
		snprintf(key, sizeof(key), "Tags.member.%d.Value", i);
		act_call_param(c, key, json_str(t, "Value"));
	}
	/* not in the cache, so not in the plan: the backup's GetRole has them */
	fill = cJSON_AddObjectToObject(c, "from_backup");
	cJSON_AddStringToObject(fill, "params.Description", "GetRole.Description");
	cJSON_AddStringToObject(fill, "params.MaxSessionDuration", "GetRole.MaxSessionDuration");
}

static void
create_calls(const char *role, const cJSON *to, cJSON *calls)
{
	const cJSON *p;
	char *doc;

	create_role_call(role, to, calls);
	cJSON_ArrayForEach(p, json_path(to, "InlinePolicies"))
	{
		cJSON *c = iam_call(calls, "PutRolePolicy", role, 0);

		act_call_param(c, "PolicyName", json_str(p, "PolicyName"));
		doc = cJSON_PrintUnformatted(json_path(p, "PolicyDocument"));
		act_call_param(c, "PolicyDocument", doc ? doc : "{}");
		free(doc);
	}
	cJSON_ArrayForEach(p, json_path(to, "AttachedPolicies"))
	{
		act_call_param(iam_call(calls, "AttachRolePolicy", role, 0), "PolicyArn",
		               p->valuestring);
	}
	if (json_str(to, "PermissionsBoundary"))
		act_call_param(iam_call(calls, "PutRolePermissionsBoundary", role, 0),
		               "PermissionsBoundary", json_str(to, "PermissionsBoundary"));
	cJSON_ArrayForEach(p, json_path(to, "InstanceProfiles"))
	{
		act_call_param(iam_call(calls, "AddRoleToInstanceProfile", role, 1),
		               "InstanceProfileName", p->valuestring);
	}
}

/* 1 when every list of state holds what its calls name. */
static int
lists_readable(const cJSON *st)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, json_path(st, "InlinePolicies"))
	{
		if (!json_str(p, "PolicyName") || !cJSON_IsObject(json_path(p, "PolicyDocument")))
			return 0;
	}
	cJSON_ArrayForEach(p, json_path(st, "AttachedPolicies"))
	{
		if (!cJSON_IsString(p))
			return 0;
	}
	cJSON_ArrayForEach(p, json_path(st, "InstanceProfiles"))
	{
		if (!cJSON_IsString(p))
			return 0;
	}
	return 1;
}

int
prune_role_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                 cJSON *calls, struct err *err)
{
	int was = orphan_exists(from), want = orphan_exists(to);

	(void)revision; /* IAM keeps none: the re-read state is the guard */
	if (was < 0 || want < 0 || was == want)
		return err_set(err, ERR_USAGE,
		               "prune-role deletes a role or recreates one, nothing "
		               "else");
	if (!lists_readable(was ? from : to))
		return err_set(err, ERR_PARSE,
		               "a role state whose policies or profiles are not "
		               "readable");
	if (was)
		delete_calls(name, from, calls);
	else if (!cJSON_IsObject(json_path(to, "AssumeRolePolicyDocument")))
		return err_set(err, ERR_PARSE, "the role to recreate has no trust policy");
	else
		create_calls(name, to, calls);
	return 0;
}
