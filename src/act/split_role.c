/*
 * split-role: the "a role shared by several functions offers to
 * split (one role per function, named by a convention)". For each function
 * running as the role: CreateRole "<role>-<function>" (cut to IAM's 64
 * characters; the same trust policy, path and maximum session as the
 * shared role), PutRolePolicy with that function's own least privilege
 * (lp_build_split: the function's resources and needs alone), then
 * UpdateFunctionConfiguration Role=<the new ARN>, guarded by the
 * function's RevisionId. The shared role stays as it was (prune-orphans
 * may delete it once nothing uses it).
 *
 * State: "FunctionRoles" {function ARN: role ARN} and "SplitRoles" {new
 * role name: null when absent, else {Path, MaxSessionDuration,
 * AssumeRolePolicyDocument (JSON), InlinePolicies [{PolicyName,
 * PolicyDocument}]}}; beside them "FunctionRevisions" {ARN: RevisionId}
 * guards the updates. Read with GetFunctionConfiguration per function (in
 * its region) and GetRole, ListRolePolicies, GetRolePolicy per new role.
 * Undo: every function back to the shared role, then each new role's
 * inline policy and the role deleted. An undo of the undo creates them
 * again from the state, which holds everything CreateRole needs.
 *
 * Refused: a role fewer than two functions use; a name the convention
 * gives twice (two long function names cut alike) or that exists already.
 * IAM is eventually consistent: Lambda may refuse a role created a moment
 * ago ("The role defined for the function cannot be assumed by Lambda"),
 * so each update carries a bounded retry on exactly that error (act/call.h
 * "retry": 5 attempts, 3 s apart).
 */
#include "act/split_role.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/call.h"
#include "analyze/amodel.h"
#include "analyze/least_privilege.h"
#include "util/json.h"
#include "util/policy.h"
#include "util/xml.h"

#define ROLE_NAME_MAX 64 /* IAM */
#define LAMBDA_FN     "/2015-03-31/functions/%s/configuration"

const char *const split_role_keys[] = { "FunctionRoles", "SplitRoles", NULL };
const char *const split_role_backs_up[] = {
	"the shared role's trust policy (GetRole); the shared role is not changed",
	"each function's role and RevisionId (the state)",
	NULL,
};

void
split_role_name(const char *role, const char *function, char *out, size_t n)
{
	snprintf(out, n, "%s-%s", role, function);
	if (n > ROLE_NAME_MAX)
		out[ROLE_NAME_MAX] = '\0';
}

static const char *
last_part(const char *arn, int sep)
{
	const char *p = strrchr(arn, sep);

	return p ? p + 1 : arn;
}

/* "arn:PARTITION:lambda:REGION:..." -> REGION into out. */
static const char *
arn_region(const char *arn, char *out, size_t n)
{
	const char *p = arn;
	int i;

	for (i = 0; i < 3 && p; i++)
		p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
	snprintf(out, n, "%.*s", p ? (int)strcspn(p, ":") : 0, p ? p : "");
	return out;
}

static cJSON *
document_json(const cJSON *doc)
{
	if (cJSON_IsObject(doc))
		return cJSON_Duplicate(doc, 1);
	return cJSON_IsString(doc) ? policy_decode(doc->valuestring, NULL) : NULL;
}

/* ---- the state from the cache */

static int
role_named(const struct amodel *m, const char *name)
{
	size_t k;

	for (k = 0; k < m->n_res; k++)
		if (m->res[k].kind == MODEL_ROLE && !strcmp(last_part(m->res[k].arn, '/'), name))
			return 1;
	return 0;
}

int
split_role_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                  struct err *err)
{
	struct amodel m;
	const struct am_res *role;
	cJSON *fr, *revs, *split;
	size_t i;
	int rc;

	*state = NULL;
	amodel_init(&m);
	rc = amodel_load(ctx->store, &m, err);
	role = rc ? NULL : amodel_find(&m, r->arn);
	if (!rc && !role)
		rc = err_set(err, ERR_NOTFOUND, "the role '%s' is not in the cache", r->arn);
	if (rc) {
		amodel_free(&m);
		return rc;
	}
	*state = cJSON_CreateObject();
	fr = cJSON_AddObjectToObject(*state, "FunctionRoles");
	split = cJSON_AddObjectToObject(*state, "SplitRoles");
	revs = cJSON_AddObjectToObject(*state, "FunctionRevisions");
	for (i = 0; i < m.n_res; i++) {
		const struct am_res *f = &m.res[i];
		const char *fr_arn = json_str(f->attrs, "Role");
		char name[256];

		if (f->kind != MODEL_FUNCTION || !fr_arn || strcmp(fr_arn, r->arn))
			continue;
		cJSON_AddStringToObject(fr, f->arn, fr_arn);
		if (json_str(f->attrs, "RevisionId"))
			cJSON_AddStringToObject(revs, f->arn, json_str(f->attrs, "RevisionId"));
		split_role_name(r->name, last_part(f->arn, ':'), name, sizeof(name));
		/* a role of that name in the cache is noted: desire refuses to take it over */
		cJSON_DeleteItemFromObjectCaseSensitive(split, name);
		cJSON_AddItemToObject(split, name,
		                      role_named(&m, name) ? cJSON_CreateString("exists")
		                                           : cJSON_CreateNull());
	}
	amodel_free(&m);
	return 0;
}

/* ---- desire: lp_build_split's policy per function, in a role of its own */

static cJSON *
new_role(const struct am_res *role, const struct lp_split *sp)
{
	cJSON *o = cJSON_CreateObject(), *inl, *p;
	double msd = 3600;

	json_num(role->attrs, "MaxSessionDuration", &msd);
	cJSON_AddStringToObject(
	        o, "Path", json_str(role->attrs, "Path") ? json_str(role->attrs, "Path") : "/");
	cJSON_AddNumberToObject(o, "MaxSessionDuration", msd);
	cJSON_AddItemToObject(o, "AssumeRolePolicyDocument",
	                      document_json(json_path(role->attrs, "AssumeRolePolicyDocument")));
	inl = cJSON_AddArrayToObject(o, "InlinePolicies");
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "PolicyName", "least-privilege");
	cJSON_AddItemToObject(p, "PolicyDocument", cJSON_Duplicate(sp->r.policy, 1));
	cJSON_AddItemToArray(inl, p);
	return o;
}

static int
check_names(const cJSON *before, const struct lp_split *v, size_t n, struct err *err)
{
	const cJSON *split = json_path(before, "SplitRoles"), *e;
	size_t i, j;

	if (n < 2)
		return err_set(err, ERR_USAGE,
		               "refused: %zu function%s use%s the role: nothing to split", n,
		               n == 1 ? "" : "s", n == 1 ? "s" : "");
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (!strcmp(v[i].role_name, v[j].role_name))
				return err_set(err, ERR_USAGE,
				               "refused: the convention names two roles '%s' (long "
				               "function names cut at 64 characters)",
				               v[i].role_name);
	cJSON_ArrayForEach(e, split)
	{
		if (!cJSON_IsNull(e))
			return err_set(err, ERR_USAGE, "refused: a role named '%s' exists already",
			               e->string);
	}
	return 0;
}

static int
split_from(const struct amodel *m, const struct act_plan_ctx *ctx, const char *arn,
           const cJSON *before, cJSON *after, char *explain, size_t n, struct err *err)
{
	struct lp_input in = { .m = m, .role = amodel_find(m, arn) };
	struct lp_split *v = NULL;
	size_t nv = 0, i;
	cJSON *fr, *split;
	char prefix[512];
	int rc;

	if (!in.role)
		return err_set(err, ERR_NOTFOUND, "the role '%s' is not in the cache", arn);
	if (cJSON_GetArraySize(json_path(before, "FunctionRoles")) < 2)
		return check_names(before, NULL,
		                   (size_t)cJSON_GetArraySize(json_path(before, "FunctionRoles")),
		                   err);
	in.unused_days = ctx->opts ? ctx->opts->unused_days : 0;
	rc = lp_build_split(&in, &v, &nv, err);
	if (!rc)
		rc = check_names(before, v, nv, err);
	if (rc) {
		lp_split_free(v, nv);
		return rc;
	}
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(strrchr(arn, '/') - arn + 1), arn);
	fr = cJSON_AddObjectToObject(after, "FunctionRoles");
	split = cJSON_AddObjectToObject(after, "SplitRoles");
	for (i = 0; i < nv; i++) {
		const char *path =
		        json_str(in.role->attrs, "Path") ? json_str(in.role->attrs, "Path") : "/";
		char role_arn[1024];

		/* the ARN IAM gives: arn:aws:iam::ACCOUNT:role + path + name */
		snprintf(role_arn, sizeof(role_arn), "%.*s:role%s%s",
		         (int)(strstr(arn, ":role/") - arn), arn, path, v[i].role_name);
		cJSON_AddStringToObject(fr, v[i].function, role_arn);
		cJSON_AddItemToObject(split, v[i].role_name, new_role(in.role, &v[i]));
	}
	snprintf(explain, n,
	         "%zu functions get a role each, named <role>-<function> (cut at 64 characters), "
	         "with the shared role's trust policy and their own least privilege; the shared "
	         "role is left as it is",
	         nv);
	lp_split_free(v, nv);
	return 0;
}

int
split_role_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                  cJSON *after, char *explain, size_t n, struct err *err)
{
	struct amodel m;
	int rc;

	if (!strstr(arn, ":role/"))
		return err_set(err, ERR_USAGE, "'%s' is not a role ARN", arn);
	amodel_init(&m);
	rc = amodel_load(ctx->store, &m, err);
	if (!rc)
		rc = split_from(&m, ctx, arn, before, after, explain, n, err);
	amodel_free(&m);
	return rc;
}

/* ---- calls: roles first, then the functions, then what is no longer wanted */

static cJSON *
iam_call(cJSON *calls, const char *op, const char *role)
{
	cJSON *c = act_call_add(calls, "iam", op);

	act_call_param(c, "RoleName", role);
	return c;
}

static void
create_calls(cJSON *calls, const char *shared, const cJSON *want)
{
	const cJSON *p;
	char *trust = cJSON_PrintUnformatted(json_path(want, "AssumeRolePolicyDocument"));
	char num[32], desc[256];
	cJSON *c = iam_call(calls, "CreateRole", want->string);
	double msd = 3600;

	act_call_param(c, "Path", json_str(want, "Path") ? json_str(want, "Path") : "/");
	act_call_param(c, "AssumeRolePolicyDocument", trust ? trust : "{}");
	json_num(want, "MaxSessionDuration", &msd);
	snprintf(num, sizeof(num), "%.0f", msd);
	act_call_param(c, "MaxSessionDuration", num);
	snprintf(desc, sizeof(desc), "split from %s by shears", shared);
	act_call_param(c, "Description", desc);
	cJSON_AddBoolToObject(c, "once", 1); /* a second answers EntityAlreadyExists */
	free(trust);
	cJSON_ArrayForEach(p, json_path(want, "InlinePolicies"))
	{
		char *doc = cJSON_PrintUnformatted(json_path(p, "PolicyDocument"));

		c = iam_call(calls, "PutRolePolicy", want->string);
		act_call_param(c, "PolicyName", json_str(p, "PolicyName"));
		act_call_param(c, "PolicyDocument", doc ? doc : "{}");
		free(doc);
	}
}

static void
delete_calls(cJSON *calls, const cJSON *was)
{
	const cJSON *p;
	cJSON *c;

	cJSON_ArrayForEach(p, json_path(was, "InlinePolicies"))
	{
		c = iam_call(calls, "DeleteRolePolicy", was->string);
		act_call_param(c, "PolicyName", json_str(p, "PolicyName"));
		cJSON_AddBoolToObject(c, "once", 1);
	}
	c = iam_call(calls, "DeleteRole", was->string);
	cJSON_AddBoolToObject(c, "once", 1);
}

static int
update_call(cJSON *calls, const char *fn_arn, const char *role, const char *revision,
            struct err *err)
{
	cJSON *c = act_call_add(calls, "lambda", "UpdateFunctionConfiguration"), *body, *retry;
	char region[64];
	int rc = act_call_path(c, "PUT", LAMBDA_FN, last_part(fn_arn, ':'), err);

	cJSON_AddStringToObject(c, "region", arn_region(fn_arn, region, sizeof(region)));
	body = cJSON_AddObjectToObject(c, "body");
	cJSON_AddStringToObject(body, "Role", role);
	if (revision)
		cJSON_AddStringToObject(body, "RevisionId", revision);
	/* IAM is eventually consistent: a role just created may not be assumable yet */
	retry = cJSON_AddObjectToObject(c, "retry");
	cJSON_AddStringToObject(retry, "code", "InvalidParameterValueException");
	cJSON_AddStringToObject(retry, "message", "cannot be assumed by Lambda");
	cJSON_AddNumberToObject(retry, "attempts", 5);
	cJSON_AddNumberToObject(retry, "delay_s", 3);
	return rc;
}

static int
is_role(const cJSON *v)
{
	return cJSON_IsObject(v);
}

int
split_role_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                 cJSON *calls, struct err *err)
{
	const cJSON *fs = json_path(from, "SplitRoles"), *ts = json_path(to, "SplitRoles");
	const cJSON *e;
	int rc = 0;

	(void)revision; /* a role has none; each function's own guards its update */
	if (!cJSON_IsObject(json_path(to, "FunctionRoles")) || !cJSON_IsObject(ts))
		return err_set(err, ERR_PARSE, "a state without FunctionRoles or SplitRoles");
	cJSON_ArrayForEach(e, ts)
	{
		if (is_role(e) && !is_role(cJSON_GetObjectItemCaseSensitive(fs, e->string)))
			create_calls(calls, name, e);
	}
	cJSON_ArrayForEach(e, json_path(to, "FunctionRoles"))
	{
		const cJSON *w = cJSON_GetObjectItemCaseSensitive(json_path(from, "FunctionRoles"),
		                                                  e->string);
		const char *was = cJSON_IsString(w) ? w->valuestring : NULL;
		const cJSON *rev = cJSON_GetObjectItemCaseSensitive(
		        json_path(from, "FunctionRevisions"), e->string);

		if (!rc && cJSON_IsString(e) && (!was || strcmp(was, e->valuestring)))
			rc = update_call(calls, e->string, e->valuestring,
			                 cJSON_IsString(rev) ? rev->valuestring : NULL, err);
	}
	cJSON_ArrayForEach(e, fs)
	{
		if (is_role(e) && !is_role(cJSON_GetObjectItemCaseSensitive(ts, e->string)))
			delete_calls(calls, e);
	}
	return rc;
}

/* ---- the state from the account */

static int
read_function(struct aws_client *c, const char *fn_arn, cJSON *st, struct err *err)
{
	cJSON *call = act_call_new("lambda", "GetFunctionConfiguration"), *ans = NULL;
	char region[64];
	int rc = act_call_path(call, "GET", LAMBDA_FN, last_part(fn_arn, ':'), err);

	if (!rc)
		rc = act_call_json(c, arn_region(fn_arn, region, sizeof(region)), call, &ans, err);
	if (!rc) {
		const char *role = json_str(ans, "Role"), *rev = json_str(ans, "RevisionId");

		cJSON_AddItemToObject(cJSON_GetObjectItem(st, "FunctionRoles"), fn_arn,
		                      role ? cJSON_CreateString(role) : cJSON_CreateNull());
		if (rev)
			cJSON_AddStringToObject(cJSON_GetObjectItem(st, "FunctionRevisions"),
			                        fn_arn, rev);
	}
	cJSON_Delete(ans);
	cJSON_Delete(call);
	return rc;
}

static int
iam_xml(struct aws_client *c, const cJSON *plan, const char *op, const char *role,
        const char *policy, struct xml_doc *doc, struct err *err)
{
	return act_query(c, json_str(plan, "region"), "iam", op, doc, err, "RoleName", role,
	                 "PolicyName", policy, NULL);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(json_str(*(const cJSON *const *)a, "PolicyName"),
	              json_str(*(const cJSON *const *)b, "PolicyName"));
}

/* The inline policies of role (at most a few: one ListRolePolicies page), sorted by name. */
static int
read_inline(struct aws_client *c, const cJSON *plan, const char *role, cJSON *o, struct err *err)
{
	struct xml_doc doc, one;
	const struct xml_node *m;
	cJSON *list = cJSON_CreateArray(), *v[64];
	int rc = iam_xml(c, plan, "ListRolePolicies", role, NULL, &doc, err), n = 0, i;
	int listed = !rc;

	for (m = rc ? NULL : xml_find(doc.root, "ListRolePoliciesResult/PolicyNames/member");
	     !rc && m && n < 64; m = xml_next_same(m)) {
		rc = iam_xml(c, plan, "GetRolePolicy", role, m->text, &one, err);
		if (rc)
			break;
		v[n] = cJSON_CreateObject();
		cJSON_AddStringToObject(v[n], "PolicyName", m->text);
		cJSON_AddItemToObject(
		        v[n], "PolicyDocument",
		        policy_decode(
		                xml_text(one.root, "GetRolePolicyResult/PolicyDocument")
		                        ? xml_text(one.root, "GetRolePolicyResult/PolicyDocument")
		                        : "",
		                NULL));
		n++;
		xml_doc_release(&one);
	}
	if (listed)
		xml_doc_release(&doc);
	qsort(v, (size_t)n, sizeof(v[0]), by_name);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(list, v[i]);
	cJSON_AddItemToObject(o, "InlinePolicies", list);
	return rc;
}

static int
read_new_role(struct aws_client *c, const cJSON *plan, const char *role, cJSON *split,
              struct err *err)
{
	struct xml_doc doc;
	struct err e = { 0 };
	const char *t;
	cJSON *o;
	int rc = iam_xml(c, plan, "GetRole", role, NULL, &doc, &e);

	if (rc && act_err_is(&e, "NoSuchEntity")) {
		cJSON_AddItemToObject(split, role, cJSON_CreateNull());
		return 0;
	}
	if (rc) {
		if (err)
			*err = e;
		return rc;
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(split, role, o);
	t = xml_text(doc.root, "GetRoleResult/Role/Path");
	cJSON_AddStringToObject(o, "Path", t ? t : "/");
	t = xml_text(doc.root, "GetRoleResult/Role/MaxSessionDuration");
	cJSON_AddNumberToObject(o, "MaxSessionDuration", t ? strtod(t, NULL) : 3600);
	t = xml_text(doc.root, "GetRoleResult/Role/AssumeRolePolicyDocument");
	cJSON_AddItemToObject(o, "AssumeRolePolicyDocument",
	                      t ? policy_decode(t, NULL) : cJSON_CreateNull());
	xml_doc_release(&doc);
	return read_inline(c, plan, role, o, err);
}

/* The names a plan's states mention under key (before and after: a role may be in one only). */
static void
names_of(const cJSON *plan, const char *key, cJSON *names)
{
	static const char *const sides[] = { "before", "after" };
	size_t i;

	for (i = 0; i < 2; i++) {
		const cJSON *e;

		cJSON_ArrayForEach(e,
		                   cJSON_GetObjectItemCaseSensitive(json_path(plan, sides[i]), key))
		{
			if (!cJSON_GetObjectItemCaseSensitive(names, e->string))
				cJSON_AddItemToObject(names, e->string, cJSON_CreateTrue());
		}
	}
}

int
split_role_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	cJSON *fns = cJSON_CreateObject(), *roles = cJSON_CreateObject(),
	      *st = cJSON_CreateObject();
	const cJSON *e;
	int rc = 0;

	cJSON_AddObjectToObject(st, "FunctionRoles");
	cJSON_AddObjectToObject(st, "SplitRoles");
	cJSON_AddObjectToObject(st, "FunctionRevisions");
	names_of(plan, "FunctionRoles", fns);
	names_of(plan, "SplitRoles", roles);
	cJSON_ArrayForEach(e, fns)
	{
		if (!rc)
			rc = read_function(c, e->string, st, err);
	}
	cJSON_ArrayForEach(e, roles)
	{
		if (!rc)
			rc = read_new_role(c, plan, e->string,
			                   cJSON_GetObjectItem(st, "SplitRoles"), err);
	}
	cJSON_Delete(fns);
	cJSON_Delete(roles);
	if (rc)
		cJSON_Delete(st);
	else
		*state = st;
	return rc;
}
