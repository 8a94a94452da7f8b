/*
 * tighten-role: replaces what a role grants with the least-privilege
 * inline policy analyze/least_privilege.h builds for the functions using
 * it: PutRolePolicy "<role>-least-privilege", then DeleteRolePolicy for
 * every other inline policy and DetachRolePolicy for every attached
 * managed policy. Additions go first, so the role never holds less than
 * either the old grants or the new policy while the calls run.
 *
 * Guard: IAM keeps no revision for a role, so the whole state is the
 * guard: every inline document (as JSON) and every attached ARN, compared
 * as sets (sorted) when the plan is re-read before apply.
 * Undo: the same calls from "after" back to "before": each old inline
 * document put back, each ARN attached again, the new policy deleted.
 *
 * Customer-managed policies (act/tighten_managed.c): one attached to this
 * role alone carries the least privilege as its new default version,
 * instead of the inline policy; the state adds their default documents
 * and, as the revision, their default version ids.
 * Limits: the trust policy is backed up, never changed. Splitting a
 * shared role is split-role's (act/split_role.c).
 */
#include "act/tighten_role.h"

#include "act/tighten_managed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/amodel.h"
#include "analyze/least_privilege.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/policy.h"
#include "util/xmalloc.h"

const char *const tighten_role_keys[] = { "InlinePolicies", "AttachedPolicies", TIGHTEN_MANAGED_KEY,
	                                  NULL };

const char *const tighten_role_backs_up[] = {
	"every inline policy document",
	"every attached policy ARN, and each customer-managed policy's default document",
	"the trust policy (GetRole)",
	"the document of a policy version deleted to make room (IAM keeps five)",
	NULL,
};

/* ---- the state: the same form from the cache and from a read of IAM */

static int
by_policy_name(const void *a, const void *b)
{
	const cJSON *pa = *(const cJSON *const *)a, *pb = *(const cJSON *const *)b;

	return strcmp(json_str(pa, "PolicyName"), json_str(pb, "PolicyName"));
}

static int
by_string(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->valuestring,
	              (*(const cJSON *const *)b)->valuestring);
}

/* Moves the items of list into a new array sorted by cmp. */
static cJSON *
sorted(cJSON *list, int (*cmp)(const void *, const void *))
{
	int n = cJSON_GetArraySize(list), i;
	cJSON **v = xcalloc((size_t)n + 1, sizeof(*v)), *out = cJSON_CreateArray();

	for (i = 0; i < n; i++)
		v[i] = cJSON_DetachItemFromArray(list, 0);
	if (n)
		qsort(v, (size_t)n, sizeof(*v), cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(out, v[i]);
	free(v);
	cJSON_Delete(list);
	return out;
}

/* A document as JSON: an object as is, a string URL-decoded (IAM's form) and parsed. */
static cJSON *
document_json(const cJSON *doc)
{
	if (cJSON_IsObject(doc))
		return cJSON_Duplicate(doc, 1);
	if (cJSON_IsString(doc))
		return policy_decode(doc->valuestring, NULL);
	return NULL;
}

cJSON *
act_role_state(const cJSON *inline_policies, const cJSON *attached)
{
	cJSON *st = cJSON_CreateObject(), *in = cJSON_CreateArray(), *arns = cJSON_CreateArray();
	const cJSON *p;

	cJSON_ArrayForEach(p, inline_policies)
	{
		const char *name = json_str(p, "PolicyName");
		cJSON *doc = document_json(cJSON_GetObjectItemCaseSensitive(p, "PolicyDocument"));
		cJSON *o;

		if (!name || !doc) {
			cJSON_Delete(doc);
			goto fail;
		}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "PolicyName", name);
		cJSON_AddItemToObject(o, "PolicyDocument", doc);
		cJSON_AddItemToArray(in, o);
	}
	cJSON_ArrayForEach(p, attached)
	{
		const char *arn = cJSON_IsString(p) ? p->valuestring : json_str(p, "PolicyArn");

		if (!arn)
			goto fail;
		cJSON_AddItemToArray(arns, cJSON_CreateString(arn));
	}
	cJSON_AddItemToObject(st, "InlinePolicies", sorted(in, by_policy_name));
	cJSON_AddItemToObject(st, "AttachedPolicies", sorted(arns, by_string));
	return st;
fail:
	cJSON_Delete(in);
	cJSON_Delete(arns);
	cJSON_Delete(st);
	return NULL;
}

/* ---- desire: lp_build's policy as the one inline policy, nothing attached */

static int
same_grants(const struct lp_result *r, const cJSON *before)
{
	const cJSON *in = json_path(before, "InlinePolicies");
	const cJSON *only = cJSON_GetArrayItem(in, 0);

	if (!r->n_dropped && !r->n_wildcards)
		return 1; /* nothing dropped, no wildcard rewritten: the same permissions */
	return cJSON_GetArraySize(in) == 1 &&
	       !cJSON_GetArraySize(json_path(before, "AttachedPolicies")) &&
	       cJSON_Compare(json_path(only, "PolicyDocument"), r->policy, 1);
}

static void
explain_result(const struct lp_result *r, const cJSON *before, char *explain, size_t n)
{
	snprintf(explain, n,
	         "inline %s (%zu characters) replaces %d inline and %d attached policies for "
	         "%zu function%s: %zu dropped, %zu wildcard statement%s rewritten%s%s",
	         r->policy_name, r->size, cJSON_GetArraySize(json_path(before, "InlinePolicies")),
	         cJSON_GetArraySize(json_path(before, "AttachedPolicies")), r->n_functions,
	         r->n_functions == 1 ? "" : "s", r->n_dropped, r->n_wildcards,
	         r->n_wildcards == 1 ? "" : "s",
	         r->compress == LP_COMPRESS_WIDENED ? "; actions widened to verb prefixes to fit"
	                                            : "",
	         r->shared ? "; the role is shared: the policy serves every function using it "
	                     "(split-role gives each its own)"
	                   : "");
}

static void
add_notes(cJSON *after, const struct lp_result *r)
{
	cJSON_AddStringToObject(after, "diff", r->diff ? r->diff : "");
	cJSON_AddStringToObject(after, "reasons", r->explain ? r->explain : "");
}

/* 1 when a function of the model runs as role (its Role, or an edge saying it assumes it). */
static int
role_in_use(const struct amodel *m, const struct am_res *role)
{
	size_t i;

	for (i = 0; i < role->n_in; i++)
		if (m->edges[role->in[i]].kind == MODEL_EDGE_ASSUMES)
			return 1;
	for (i = 0; i < m->n_res; i++) {
		const char *r = json_str(m->res[i].attrs, "Role");

		if (m->res[i].kind == MODEL_FUNCTION && r && !strcmp(r, role->arn))
			return 1;
	}
	return 0;
}

static int
desire_from(const struct amodel *m, const struct act_plan_ctx *ctx, const char *arn,
            const cJSON *before, cJSON *after, char *explain, size_t n, struct err *err)
{
	struct lp_input in = { .m = m, .role = amodel_find(m, arn) };
	struct lp_result r;
	cJSON *inl, *p;
	int rc;

	if (!in.role)
		return err_set(err, ERR_NOTFOUND, "the role '%s' is not in the cache", arn);
	/* asked first: without a function, what the role needs cannot be measured */
	if (!role_in_use(m, in.role))
		return err_set(err, ERR_USAGE,
		               "refused: no function uses the role: what it needs cannot be "
		               "measured (an unused role is pruned, not tightened)");
	in.unused_days = ctx->opts ? ctx->opts->unused_days : 0;
	rc = lp_build(&in, &r, err);
	if (rc)
		return rc;
	if (!r.n_functions)
		rc = err_set(err, ERR_USAGE, "refused: no function uses the role");
	else if (same_grants(&r, before))
		rc = err_set(err, ERR_USAGE,
		             "refused: the least-privilege policy grants what the role grants "
		             "today: nothing to tighten");
	if (!rc) {
		inl = cJSON_AddArrayToObject(after, "InlinePolicies");
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "PolicyName", r.policy_name);
		cJSON_AddItemToObject(p, "PolicyDocument", cJSON_Duplicate(r.policy, 1));
		cJSON_AddItemToArray(inl, p);
		cJSON_AddArrayToObject(after, "AttachedPolicies");
		explain_result(&r, before, explain, n);
		tighten_managed_desire(m, before, &r, after, explain, n);
		add_notes(after, &r);
	}
	lp_result_release(&r);
	return rc;
}

int
tighten_role_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                    cJSON *after, char *explain, size_t n, struct err *err)
{
	struct amodel m;
	int rc;

	if (!cJSON_IsArray(json_path(before, "InlinePolicies")) ||
	    !cJSON_IsArray(json_path(before, "AttachedPolicies")))
		return err_set(err, ERR_USAGE,
		               "the cache holds no readable policies for this role: rescan it");
	amodel_init(&m);
	rc = amodel_load(ctx->store, &m, err);
	if (!rc)
		rc = desire_from(&m, ctx, arn, before, after, explain, n, err);
	amodel_free(&m);
	return rc;
}

/* ---- calls: additions first, then removals */

static cJSON *
iam_call(const char *operation, const char *role, const char *key, const char *value)
{
	cJSON *c = cJSON_CreateObject(), *params;

	cJSON_AddStringToObject(c, "service", "iam");
	cJSON_AddStringToObject(c, "operation", operation);
	params = cJSON_AddObjectToObject(c, "params");
	cJSON_AddStringToObject(params, "RoleName", role);
	cJSON_AddStringToObject(params, key, value);
	return c;
}

static const cJSON *
inline_named(const cJSON *list, const char *name)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, list)
	{
		if (json_str(p, "PolicyName") && !strcmp(json_str(p, "PolicyName"), name))
			return p;
	}
	return NULL;
}

static int
has_string(const cJSON *list, const char *s)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, list)
	{
		if (cJSON_IsString(v) && !strcmp(v->valuestring, s))
			return 1;
	}
	return 0;
}

static int
put_calls(const char *role, const cJSON *from, const cJSON *to, cJSON *calls, struct err *err)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, to)
	{
		const char *name = json_str(p, "PolicyName");
		const cJSON *doc = json_path(p, "PolicyDocument"), *was;
		char *text;
		cJSON *c;

		if (!name || !cJSON_IsObject(doc))
			return err_set(err, ERR_PARSE, "an inline policy without name or document");
		was = inline_named(from, name);
		if (was && cJSON_Compare(json_path(was, "PolicyDocument"), doc, 1))
			continue;
		text = cJSON_PrintUnformatted(doc);
		c = iam_call("PutRolePolicy", role, "PolicyName", name);
		cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(c, "params"),
		                        "PolicyDocument", text ? text : "{}");
		free(text);
		cJSON_AddItemToArray(calls, c);
	}
	return 0;
}

int
tighten_role_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                   cJSON *calls, struct err *err)
{
	const cJSON *fi = json_path(from, "InlinePolicies"), *ti = json_path(to, "InlinePolicies");
	const cJSON *fa = json_path(from, "AttachedPolicies"),
	            *ta = json_path(to, "AttachedPolicies");
	const cJSON *p;
	int rc;

	if (!cJSON_IsArray(fi) || !cJSON_IsArray(ti) || !cJSON_IsArray(fa) || !cJSON_IsArray(ta))
		return err_set(err, ERR_PARSE,
		               "a role state without InlinePolicies or "
		               "AttachedPolicies");
	/* a managed policy's version first: an undo's SetDefault failing then changes nothing */
	rc = tighten_managed_calls(from, to, revision, calls, err);
	if (!rc)
		rc = put_calls(name, fi, ti, calls, err);
	if (rc)
		return rc;
	cJSON_ArrayForEach(p, ta)
	{
		if (cJSON_IsString(p) && !has_string(fa, p->valuestring))
			cJSON_AddItemToArray(calls, iam_call("AttachRolePolicy", name, "PolicyArn",
			                                     p->valuestring));
	}
	cJSON_ArrayForEach(p, fi)
	{
		const char *pn = json_str(p, "PolicyName");

		if (pn && !inline_named(ti, pn))
			cJSON_AddItemToArray(calls,
			                     iam_call("DeleteRolePolicy", name, "PolicyName", pn));
	}
	cJSON_ArrayForEach(p, fa)
	{
		if (cJSON_IsString(p) && !has_string(ta, p->valuestring))
			cJSON_AddItemToArray(calls, iam_call("DetachRolePolicy", name, "PolicyArn",
			                                     p->valuestring));
	}
	return 0;
}
