/*
 * tighten-role and customer-managed policies. The issue: "a customer-
 * managed policy gets a new version; an AWS-managed one is detached and
 * replaced by an inline least-privilege policy".
 *
 * Which policy, and what goes in it: the whole least-privilege document
 * goes into ONE customer-managed policy, as its new default version, in
 * place of the inline policy. Chosen over a per-policy share because lp
 * builds one document from the role's grants taken together: an action two
 * policies grant has no single owner, and a share per policy would need
 * lp to attribute every kept action to a document. One policy keeps the
 * least privilege where the team manages the role (the policy's ARN, which
 * templates and other tooling name, stays; IAM keeps the old version).
 * The policy must be attached to this role alone (AttachmentCount 1, not
 * used as a permissions boundary: a new version changes every principal
 * it is attached to) and the document must fit a managed policy (6,144
 * characters); else every policy is detached and the document is inline,
 * and the plan says why. Several candidates: the first by ARN.
 *
 * Invariants:
 *  1. The state holds each attached customer-managed policy's default
 *     document (a key) and its default version id (the state's
 *     "RevisionId", the plan's guard: tighten_managed_state).
 *  2. A forward change creates the version (CreatePolicyVersion,
 *     SetAsDefault); when IAM's 5 versions exist, the oldest non-default
 *     one is deleted first and its document kept in the backup
 *     (tighten_managed_save). AWS numbers the new version, so the plan's
 *     after holds its document, not its id.
 *  3. The undo sets the default back to the old version id (read from the
 *     backup at send time) and deletes the version the change created
 *     (named by the revision read back at verify). A version deleted to
 *     make room is not recreated (IAM would number it anew): its document
 *     stays in the backup.
 * Limit: an undo of that undo cannot set the default back to the version
 * the undo deleted: its SetDefaultPolicyVersion, sent first, fails with
 * NoSuchEntity and nothing is changed; plan tighten-role again instead.
 */
#include "act/tighten_managed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/call.h"
#include "act/target.h"
#include "store/query.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/policy.h"
#include "util/xmalloc.h"
#include "util/xml.h"

#define MAX_VERSIONS 5 /* IAM: a managed policy keeps at most five versions */

static int
is_customer(const char *arn)
{
	return arn && !strstr(arn, ":iam::aws:policy/");
}

static long
version_num(const char *id)
{
	return id && id[0] == 'v' ? strtol(id + 1, NULL, 10) : -1;
}

static int
by_version(const void *a, const void *b)
{
	long x = version_num((*(const cJSON *const *)a)->valuestring);
	long y = version_num((*(const cJSON *const *)b)->valuestring);

	return (x > y) - (x < y);
}

static int
by_arn(const void *a, const void *b)
{
	return strcmp(json_str(*(const cJSON *const *)a, "PolicyArn"),
	              json_str(*(const cJSON *const *)b, "PolicyArn"));
}

/* A copy of list's items sorted by cmp (IAM numbers versions in order: v1, v2, ...). */
static cJSON *
sorted_copy(const cJSON *list, int (*cmp)(const void *, const void *))
{
	int n = cJSON_GetArraySize(list), i;
	const cJSON **v = xcalloc((size_t)n + 1, sizeof(*v));
	cJSON *out = cJSON_CreateArray();

	for (i = 0; i < n; i++)
		v[i] = cJSON_GetArrayItem(list, i);
	if (n)
		qsort(v, (size_t)n, sizeof(*v), cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(out, cJSON_Duplicate(v[i], 1));
	free(v);
	return out;
}

static cJSON *
document_json(const cJSON *doc)
{
	if (cJSON_IsObject(doc))
		return cJSON_Duplicate(doc, 1);
	return cJSON_IsString(doc) ? policy_decode(doc->valuestring, NULL) : NULL;
}

/* One entry of "ManagedPolicies" from a policy description; NULL when incomplete. */
static cJSON *
managed_entry(const cJSON *p)
{
	const char *arn = json_str(p, "PolicyArn");
	cJSON *doc = document_json(json_path(p, "Document")), *e;
	double count;

	if (!arn || !doc || json_num(p, "AttachmentCount", &count) ||
	    !json_str(p, "DefaultVersionId")) {
		cJSON_Delete(doc);
		return NULL;
	}
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "PolicyArn", arn);
	cJSON_AddNumberToObject(e, "AttachmentCount", count);
	cJSON_AddItemToObject(e, "Document", doc);
	return e;
}

int
tighten_managed_state(cJSON *st, const cJSON *policies, struct err *err)
{
	cJSON *sorted = sorted_copy(policies, by_arn), *list = cJSON_CreateArray();
	cJSON *versions = cJSON_CreateObject(), *defaults = cJSON_CreateObject();
	const cJSON *p;
	struct buf rev;
	int i = 0, rc = 0;

	buf_init(&rev, 1 << 16);
	cJSON_ArrayForEach(p, sorted)
	{
		cJSON *e = managed_entry(p);
		char idx[16];

		if (!e) {
			rc = err_set(err, ERR_PARSE,
			             "the policy '%s' has no readable default version",
			             json_str(p, "PolicyArn") ? json_str(p, "PolicyArn") : "?");
			break;
		}
		cJSON_AddItemToArray(list, e);
		cJSON_AddItemToObject(versions, json_str(p, "PolicyArn"),
		                      sorted_copy(json_path(p, "Versions"), by_version));
		snprintf(idx, sizeof(idx), "%d", i++);
		cJSON_AddStringToObject(defaults, idx, json_str(p, "DefaultVersionId"));
		buf_printf(&rev, "%s%s=%s", rev.len ? " " : "", json_str(p, "PolicyArn"),
		           json_str(p, "DefaultVersionId"));
	}
	cJSON_DeleteItemFromObjectCaseSensitive(st, TIGHTEN_MANAGED_KEY);
	cJSON_AddItemToObject(st, TIGHTEN_MANAGED_KEY, list);
	if (!rc && rev.len) {
		cJSON_AddStringToObject(st, "RevisionId", buf_cstr(&rev));
		cJSON_AddItemToObject(st, "PolicyVersions", versions);
		cJSON_AddItemToObject(st, "DefaultVersions", defaults);
	} else {
		cJSON_Delete(versions);
		cJSON_Delete(defaults);
	}
	buf_release(&rev);
	cJSON_Delete(sorted);
	return rc;
}

/* ---- the cache: GetAccountAuthorizationDetails' policy entries */

static int
cached_policy(struct store *s, const char *arn, cJSON *out, struct err *err)
{
	struct store_resource r = { 0 };
	cJSON *attrs, *p, *ids;
	const cJSON *v;
	int rc = store_resource_get(s, arn, &r, err);

	if (rc == ERR_NOTFOUND)
		rc = err_set(err, ERR_USAGE, "the cache has no policy '%s': rescan", arn);
	if (rc)
		return rc;
	attrs = cJSON_Parse(r.r.attrs ? r.r.attrs : "{}");
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "PolicyArn", arn);
	if (cJSON_IsNumber(json_path(attrs, "AttachmentCount")))
		cJSON_AddNumberToObject(p, "AttachmentCount",
		                        json_path(attrs, "AttachmentCount")->valuedouble);
	if (json_str(attrs, "DefaultVersionId"))
		cJSON_AddStringToObject(p, "DefaultVersionId", json_str(attrs, "DefaultVersionId"));
	ids = cJSON_AddArrayToObject(p, "Versions");
	cJSON_ArrayForEach(v, json_path(attrs, "PolicyVersionList"))
	{
		const char *id = json_str(v, "VersionId");

		if (!id)
			continue;
		cJSON_AddItemToArray(ids, cJSON_CreateString(id));
		if (json_str(attrs, "DefaultVersionId") &&
		    !strcmp(id, json_str(attrs, "DefaultVersionId")))
			cJSON_AddItemToObject(p, "Document",
			                      cJSON_Duplicate(json_path(v, "Document"), 1));
	}
	cJSON_AddItemToArray(out, p);
	cJSON_Delete(attrs);
	store_resource_release(&r);
	return 0;
}

int
tighten_managed_cached(const struct act_plan_ctx *ctx, const struct model_resource *r,
                       cJSON **state, struct err *err)
{
	cJSON *attrs = cJSON_Parse(r->attrs ? r->attrs : "{}"), *pols = cJSON_CreateArray();
	const cJSON *a;
	int rc = 0;

	*state = act_role_state(json_path(attrs, "RolePolicyList"),
	                        json_path(attrs, "AttachedManagedPolicies"));
	cJSON_ArrayForEach(a, json_path(*state, "AttachedPolicies"))
	{
		if (!rc && is_customer(a->valuestring))
			rc = cached_policy(ctx->store, a->valuestring, pols, err);
	}
	if (!rc && *state)
		rc = tighten_managed_state(*state, pols, err);
	if (rc) {
		cJSON_Delete(*state);
		*state = NULL;
	}
	cJSON_Delete(pols);
	cJSON_Delete(attrs);
	return rc;
}

/* ---- the account: GetPolicy, GetPolicyVersion, ListPolicyVersions */

static int
iam_xml(struct aws_client *c, const cJSON *plan, const char *op, const char *arn,
        const char *version, struct xml_doc *doc, struct err *err)
{
	return act_query(c, json_str(plan, "region"), "iam", op, doc, err, "PolicyArn", arn,
	                 "VersionId", version, NULL);
}

static int
read_policy(struct aws_client *c, const cJSON *plan, const char *arn, cJSON *out, struct err *err)
{
	struct xml_doc doc;
	const struct xml_node *m;
	const char *count;
	char def[32];
	cJSON *p, *ids;
	int rc = iam_xml(c, plan, "GetPolicy", arn, NULL, &doc, err);

	if (rc)
		return rc;
	snprintf(def, sizeof(def), "%s",
	         xml_text(doc.root, "GetPolicyResult/Policy/DefaultVersionId")
	                 ? xml_text(doc.root, "GetPolicyResult/Policy/DefaultVersionId")
	                 : "");
	count = xml_text(doc.root, "GetPolicyResult/Policy/AttachmentCount");
	p = cJSON_CreateObject();
	cJSON_AddItemToArray(out, p);
	cJSON_AddStringToObject(p, "PolicyArn", arn);
	cJSON_AddStringToObject(p, "DefaultVersionId", def);
	cJSON_AddNumberToObject(p, "AttachmentCount", count ? strtod(count, NULL) : 0);
	xml_doc_release(&doc);
	rc = iam_xml(c, plan, "GetPolicyVersion", arn, def, &doc, err);
	if (rc)
		return rc;
	if (xml_text(doc.root, "GetPolicyVersionResult/PolicyVersion/Document"))
		cJSON_AddStringToObject(
		        p, "Document",
		        xml_text(doc.root, "GetPolicyVersionResult/PolicyVersion/Document"));
	xml_doc_release(&doc);
	/* at most five versions: one page */
	rc = iam_xml(c, plan, "ListPolicyVersions", arn, NULL, &doc, err);
	if (rc)
		return rc;
	ids = cJSON_AddArrayToObject(p, "Versions");
	for (m = xml_find(doc.root, "ListPolicyVersionsResult/Versions/member"); m;
	     m = xml_next_same(m))
		if (xml_text(m, "VersionId"))
			cJSON_AddItemToArray(ids, cJSON_CreateString(xml_text(m, "VersionId")));
	xml_doc_release(&doc);
	return 0;
}

int
tighten_managed_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	cJSON *pols;
	const cJSON *a;
	int rc = act_read_role_policies(c, plan, state, err);

	if (rc)
		return rc;
	pols = cJSON_CreateArray();
	cJSON_ArrayForEach(a, json_path(*state, "AttachedPolicies"))
	{
		if (!rc && is_customer(a->valuestring))
			rc = read_policy(c, plan, a->valuestring, pols, err);
	}
	if (!rc)
		rc = tighten_managed_state(*state, pols, err);
	cJSON_Delete(pols);
	if (rc) {
		cJSON_Delete(*state);
		*state = NULL;
	}
	return rc;
}

/* ---- the backup: the trust policy, and each version about to be deleted */

static int
save_version(const struct act_save_ctx *sc, const cJSON *call, cJSON *list, struct err *err)
{
	const char *arn = json_str(call, "params.PolicyArn");
	const cJSON *vid = cJSON_GetObjectItemCaseSensitive(json_path(call, "params"), "VersionId");
	struct xml_doc doc;
	const char *text;
	cJSON *v;
	int rc;

	if (!arn || !cJSON_IsString(vid))
		return 0;
	rc = iam_xml(sc->client, sc->plan, "GetPolicyVersion", arn, vid->valuestring, &doc, err);
	if (rc)
		return rc;
	text = xml_text(doc.root, "GetPolicyVersionResult/PolicyVersion/Document");
	v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "PolicyArn", arn);
	cJSON_AddStringToObject(v, "VersionId", vid->valuestring);
	cJSON_AddItemToObject(v, "Document", text ? policy_decode(text, NULL) : cJSON_CreateNull());
	cJSON_AddItemToArray(list, v);
	xml_doc_release(&doc);
	return 0;
}

int
tighten_managed_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err)
{
	cJSON *role = NULL, *deleted;
	const cJSON *call;
	int rc = act_get_role(sc->client, sc->plan, &role, err);

	if (rc)
		return rc;
	cJSON_AddItemToObject(backup, "GetRole", role);
	deleted = cJSON_AddArrayToObject(backup, "DeletedPolicyVersions");
	cJSON_ArrayForEach(call, json_path(sc->plan, "calls"))
	{
		if (!rc && !strcmp(json_str(call, "operation"), "DeletePolicyVersion"))
			rc = save_version(sc, call, deleted, err);
	}
	return rc;
}

/* ---- desire: the least privilege as a new version of one policy */

/* 1 when the policy may carry the role's least privilege alone (see the notes above). */
static int
only_this_role(const struct amodel *m, const cJSON *entry, char *why, size_t n)
{
	const char *arn = json_str(entry, "PolicyArn");
	const struct am_res *pol = amodel_find(m, arn);
	double count = 0, boundary = 0;

	json_num(entry, "AttachmentCount", &count);
	if (pol)
		json_num(pol->attrs, "PermissionsBoundaryUsageCount", &boundary);
	if (count > 1)
		snprintf(why, n,
		         "%s is attached to %.0f principals: a new version would change them too",
		         arn, count);
	else if (boundary > 0)
		snprintf(why, n, "%s is a permissions boundary of %.0f principals", arn, boundary);
	return count <= 1 && boundary <= 0;
}

void
tighten_managed_desire(const struct amodel *m, const cJSON *before, const struct lp_result *r,
                       cJSON *after, char *explain, size_t n)
{
	const cJSON *e, *chosen = NULL;
	char why[512] = "";
	size_t len = strlen(explain);
	cJSON *entry, *list, *attached;

	cJSON_ArrayForEach(e, json_path(before, TIGHTEN_MANAGED_KEY))
	{
		char one[256] = "";

		/* every one is asked: the reviewer reads why each other one is detached */
		if (only_this_role(m, e, one, sizeof(one)) && !chosen)
			chosen = e;
		else if (one[0] && strlen(why) + strlen(one) + 3 < sizeof(why))
			snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s%s",
			         why[0] ? "; " : "", one);
	}
	if (chosen && r->size > TIGHTEN_MANAGED_MAX) {
		snprintf(why, sizeof(why),
		         "the policy (%zu characters) is over a managed policy's %d", r->size,
		         TIGHTEN_MANAGED_MAX);
		chosen = NULL;
	}
	list = cJSON_AddArrayToObject(after, TIGHTEN_MANAGED_KEY);
	if (!chosen) {
		if (why[0] && len < n)
			snprintf(explain + len, n - len,
			         "; customer-managed policies detached, not versioned: %s", why);
		return;
	}
	entry = cJSON_Duplicate(chosen, 1);
	cJSON_ReplaceItemInObjectCaseSensitive(entry, "Document", cJSON_Duplicate(r->policy, 1));
	cJSON_AddItemToArray(list, entry);
	cJSON_ReplaceItemInObjectCaseSensitive(after, "InlinePolicies", cJSON_CreateArray());
	attached = cJSON_CreateArray();
	cJSON_AddItemToArray(attached, cJSON_CreateString(json_str(chosen, "PolicyArn")));
	cJSON_ReplaceItemInObjectCaseSensitive(after, "AttachedPolicies", attached);
	if (len < n)
		snprintf(explain + len, n - len,
		         "; the policy goes into %s as its new default version (attached to this "
		         "role alone), not inline%s%s",
		         json_str(chosen, "PolicyArn"),
		         why[0] ? "; other customer-managed policies "
		                  "detached: "
		                : "",
		         why);
}

/* ---- calls */

static const cJSON *
entry_of(const cJSON *list, const char *arn, int *index)
{
	const cJSON *e;
	int i = 0;

	cJSON_ArrayForEach(e, list)
	{
		if (json_str(e, "PolicyArn") && !strcmp(json_str(e, "PolicyArn"), arn)) {
			if (index)
				*index = i;
			return e;
		}
		i++;
	}
	return NULL;
}

static cJSON *
version_call(cJSON *calls, const char *op, const char *arn, const char *version)
{
	cJSON *c = act_call_add(calls, "iam", op);

	act_call_param(c, "PolicyArn", arn);
	if (version)
		act_call_param(c, "VersionId", version);
	return c;
}

/* The default version of arn in a revision "ARN=vN ARN=vM", into out ("" when absent). */
static void
revision_version(const char *revision, const char *arn, char *out, size_t n)
{
	size_t len = strlen(arn);
	const char *p = revision;

	out[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, arn, len) && p[len] == '=') {
			snprintf(out, n, "%.*s", (int)strcspn(p + len + 1, " "), p + len + 1);
			return;
		}
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
}

/* A forward change: room for the new version, then the version itself. */
static int
create_calls(const cJSON *from, const cJSON *want, cJSON *calls)
{
	const char *arn = json_str(want, "PolicyArn");
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(json_path(from, "PolicyVersions"), arn);
	const cJSON *id;
	char def[64], *text;
	cJSON *c;

	revision_version(json_str(from, "RevisionId"), arn, def, sizeof(def));
	if (cJSON_GetArraySize(ids) >= MAX_VERSIONS) {
		cJSON_ArrayForEach(id, ids) /* oldest first */
		{
			if (cJSON_IsString(id) && strcmp(id->valuestring, def)) {
				c = version_call(calls, "DeletePolicyVersion", arn,
				                 id->valuestring);
				cJSON_AddBoolToObject(c, "once", 1);
				break;
			}
		}
	}
	text = cJSON_PrintUnformatted(json_path(want, "Document"));
	c = version_call(calls, "CreatePolicyVersion", arn, NULL);
	act_call_param(c, "PolicyDocument", text ? text : "{}");
	act_call_param(c, "SetAsDefault", "true");
	/* a second one would be another version: sent once, settled by the re-read */
	cJSON_AddBoolToObject(c, "once", 1);
	free(text);
	return 0;
}

/* An undo: the backup's default version again, then the version the change made goes. */
static int
restore_calls(const cJSON *want, int index, const char *revision, cJSON *calls)
{
	const char *arn = json_str(want, "PolicyArn");
	char made[64], path[48];
	cJSON *c = version_call(calls, "SetDefaultPolicyVersion", arn, "(from the backup)"), *fb;

	snprintf(path, sizeof(path), "state.DefaultVersions.%d", index);
	fb = cJSON_AddObjectToObject(c, "from_backup");
	cJSON_AddStringToObject(fb, "params.VersionId", path);
	revision_version(revision, arn, made, sizeof(made));
	c = version_call(calls, "DeletePolicyVersion", arn,
	                 made[0] ? made : "(the version the change created)");
	cJSON_AddBoolToObject(c, "once", 1);
	return 0;
}

int
tighten_managed_calls(const cJSON *from, const cJSON *to, const char *revision, cJSON *calls,
                      struct err *err)
{
	const cJSON *want;
	int index = 0;

	(void)err;
	cJSON_ArrayForEach(want, json_path(to, TIGHTEN_MANAGED_KEY))
	{
		const char *arn = json_str(want, "PolicyArn");
		const cJSON *was =
		        arn ? entry_of(json_path(from, TIGHTEN_MANAGED_KEY), arn, NULL) : NULL;

		entry_of(json_path(to, TIGHTEN_MANAGED_KEY), arn ? arn : "", &index);
		/* a policy attached by this change keeps its document: nothing to version */
		if (!was ||
		    cJSON_Compare(json_path(was, "Document"), json_path(want, "Document"), 1))
			continue;
		if (json_path(from, "PolicyVersions"))
			create_calls(from, want, calls);
		else
			restore_calls(want, index, revision, calls);
	}
	return 0;
}
