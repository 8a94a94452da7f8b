/*
 * Talking to the target: reading its state by the kind of target the
 * action applies to (a function: GetFunction for configuration, RevisionId
 * and reserved concurrency in one call, GetPolicy and GetFunctionUrlConfig
 * too for an action that compares them; a role: ListRolePolicies,
 * GetRolePolicy for each, ListAttachedRolePolicies) and sending a plan's
 * calls exactly as the plan names them (REST JSON for Lambda, the query
 * protocol for IAM).
 */
#include "act/target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "act/call.h"
#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/xml.h"

/* A GET of prefix NAME suffix for the plan's target, in the plan's region. */
static int
lambda_get(struct aws_client *c, const cJSON *plan, const char *operation, const char *prefix,
           const char *suffix, cJSON **answer, struct err *err)
{
	const char *name = json_str(plan, "target.name");
	struct aws_request req = { .service = aws_service_find("lambda"),
		                   .operation = operation,
		                   .region = json_str(plan, "region"),
		                   .method = "GET",
		                   .resource = json_str(plan, "target.arn") };
	struct aws_answer ans = { 0 };
	struct buf path;
	int rc;

	*answer = NULL;
	buf_init(&path, 1024);
	rc = buf_printf(&path, "%s", prefix);
	if (!rc && name)
		rc = aws_uri_encode(&path, name, strlen(name), 0);
	if (!rc)
		rc = buf_printf(&path, "%s", suffix);
	if (rc || !name || !req.service) {
		buf_release(&path);
		return err_set(err, ERR_USAGE, "cannot name the function to read");
	}
	req.path = buf_cstr(&path);
	rc = aws_client_call(c, &req, &ans, err);
	if (!rc) {
		*answer = json_parse(ans.body ? ans.body : "{}", ans.body ? ans.body_len : 2, err);
		rc = *answer ? 0 : ERR_PARSE;
	}
	aws_answer_release(&ans);
	buf_release(&path);
	return rc;
}

int
act_get_function(struct aws_client *c, const cJSON *plan, cJSON **answer, struct err *err)
{
	return lambda_get(c, plan, "GetFunction", "/2015-03-31/functions/", "", answer, err);
}

/* Like lambda_get, where "there is none" (ResourceNotFoundException) is an answer: NULL. */
static int
lambda_get_optional(struct aws_client *c, const cJSON *plan, const char *operation,
                    const char *suffix_path, const char *suffix, cJSON **answer, struct err *err)
{
	struct err e = { 0 };
	int rc = lambda_get(c, plan, operation, suffix_path, suffix, answer, &e);

	if (rc && !strcmp(e.aws_code, "ResourceNotFoundException"))
		return 0;
	if (rc && err)
		*err = e;
	return rc;
}

static int
action_compares(const cJSON *plan, const char *key)
{
	const struct act_action *a = act_plan_action(plan);
	size_t i;

	for (i = 0; a && a->keys[i]; i++)
		if (!strcmp(a->keys[i], key))
			return 1;
	return 0;
}

/* The resource policy (GetPolicy) and the URL (GetFunctionUrlConfig), into state. */
static int
read_access(struct aws_client *c, const cJSON *plan, cJSON *state, struct err *err)
{
	cJSON *policy = NULL, *url = NULL;
	int rc = lambda_get_optional(c, plan, "GetPolicy", "/2015-03-31/functions/", "/policy",
	                             &policy, err);

	if (!rc)
		rc = lambda_get_optional(c, plan, "GetFunctionUrlConfig", "/2021-10-31/functions/",
		                         "/url", &url, err);
	if (!rc) {
		act_fn_state_add_access(state, json_path(policy, "Policy"),
		                        json_str(policy, "RevisionId"), url);
		if (!json_path(state, "PolicyStatements"))
			rc = err_set(err, ERR_PARSE,
			             "GetPolicy answered a policy that is not a document");
	}
	cJSON_Delete(policy);
	cJSON_Delete(url);
	return rc;
}

/* ---- IAM over the query protocol */

/*
 * POSTs Action=operation with params ({name: string}) to IAM; the XML
 * answer in *doc when doc is not NULL (release it).
 */
static int
iam_query(struct aws_client *c, const cJSON *plan, const char *operation, const cJSON *params,
          struct xml_doc *doc, struct err *err)
{
	cJSON *call = act_call_new("iam", operation);
	struct aws_answer ans;
	int rc;

	if (params)
		cJSON_AddItemToObject(call, "params", cJSON_Duplicate(params, 1));
	rc = act_call_send(c, json_str(plan, "region"), json_str(plan, "target.arn"), call, &ans,
	                   err);
	if (!rc && doc)
		rc = xml_parse(ans.body ? ans.body : "", ans.body_len, doc, err);
	aws_answer_release(&ans);
	cJSON_Delete(call);
	return rc;
}

int
act_iam_list(struct aws_client *c, const cJSON *plan, const char *operation, const char *list,
             int (*each)(const struct xml_node *m, void *ctx), void *ctx, struct err *err)
{
	char members[160], truncated[96], next[96], marker[2048] = "";
	int rc = 0, more = 1;

	snprintf(members, sizeof(members), "%sResult/%s/member", operation, list);
	snprintf(truncated, sizeof(truncated), "%sResult/IsTruncated", operation);
	snprintf(next, sizeof(next), "%sResult/Marker", operation);
	while (!rc && more) {
		cJSON *params = cJSON_CreateObject();
		const struct xml_node *m;
		const char *is_truncated, *next_marker;
		struct xml_doc doc;

		cJSON_AddStringToObject(params, "RoleName", json_str(plan, "target.name"));
		if (marker[0])
			cJSON_AddStringToObject(params, "Marker", marker);
		rc = iam_query(c, plan, operation, params, &doc, err);
		cJSON_Delete(params);
		if (rc)
			break;
		for (m = xml_find(doc.root, members); !rc && m; m = xml_next_same(m))
			rc = each(m, ctx);
		is_truncated = xml_text(doc.root, truncated);
		next_marker = xml_text(doc.root, next);
		more = is_truncated && !strcmp(is_truncated, "true") && next_marker &&
		       next_marker[0] && strcmp(next_marker, marker);
		snprintf(marker, sizeof(marker), "%s", more ? next_marker : "");
		xml_doc_release(&doc);
	}
	return rc;
}

static int
add_name(const struct xml_node *m, void *ctx)
{
	cJSON_AddItemToArray(ctx, cJSON_CreateString(m->text));
	return 0;
}

static int
add_attached(const struct xml_node *m, void *ctx)
{
	const char *arn = xml_text(m, "PolicyArn");

	if (arn)
		cJSON_AddItemToArray(ctx, cJSON_CreateString(arn));
	return 0;
}

/* GetRolePolicy's document, URL-encoded as IAM sends it, into list as {PolicyName, PolicyDocument}.
 */
static int
get_role_policy(struct aws_client *c, const cJSON *plan, const char *name, cJSON *list,
                struct err *err)
{
	cJSON *params = cJSON_CreateObject(), *p;
	struct xml_doc doc;
	const char *text;
	int rc;

	cJSON_AddStringToObject(params, "RoleName", json_str(plan, "target.name"));
	cJSON_AddStringToObject(params, "PolicyName", name);
	rc = iam_query(c, plan, "GetRolePolicy", params, &doc, err);
	cJSON_Delete(params);
	if (rc)
		return rc;
	text = xml_text(doc.root, "GetRolePolicyResult/PolicyDocument");
	if (text) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "PolicyName", name);
		cJSON_AddStringToObject(p, "PolicyDocument", text);
		cJSON_AddItemToArray(list, p);
	} else {
		rc = err_set(err, ERR_PARSE, "GetRolePolicy answered without a PolicyDocument");
	}
	xml_doc_release(&doc);
	return rc;
}

int
act_read_role_policies(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	cJSON *names = cJSON_CreateArray(), *docs = cJSON_CreateArray(),
	      *arns = cJSON_CreateArray();
	const cJSON *n;
	int rc;

	if (!json_str(plan, "target.name"))
		rc = err_set(err, ERR_USAGE, "cannot name the role to read");
	else
		rc = act_iam_list(c, plan, "ListRolePolicies", "PolicyNames", add_name, names, err);
	cJSON_ArrayForEach(n, names)
	{
		if (!rc)
			rc = get_role_policy(c, plan, n->valuestring, docs, err);
	}
	if (!rc)
		rc = act_iam_list(c, plan, "ListAttachedRolePolicies", "AttachedPolicies",
		                  add_attached, arns, err);
	if (!rc) {
		*state = act_role_state(docs, arns);
		if (!*state)
			rc = err_set(err, ERR_PARSE,
			             "an inline policy of the role is not a document");
	}
	cJSON_Delete(names);
	cJSON_Delete(docs);
	cJSON_Delete(arns);
	return rc;
}

int
act_get_role(struct aws_client *c, const cJSON *plan, cJSON **answer, struct err *err)
{
	cJSON *params = cJSON_CreateObject();
	const char *r = "GetRoleResult/Role/";
	static const char *const fields[] = { "RoleName", "RoleId",      "Arn",
		                              "Path",     "Description", "MaxSessionDuration",
		                              NULL };
	char path[96];
	struct xml_doc doc;
	const char *trust;
	size_t i;
	int rc;

	*answer = NULL;
	cJSON_AddStringToObject(params, "RoleName", json_str(plan, "target.name"));
	rc = iam_query(c, plan, "GetRole", params, &doc, err);
	cJSON_Delete(params);
	if (rc)
		return rc;
	*answer = cJSON_CreateObject();
	for (i = 0; fields[i]; i++) {
		snprintf(path, sizeof(path), "%s%s", r, fields[i]);
		if (xml_text(doc.root, path))
			cJSON_AddStringToObject(*answer, fields[i], xml_text(doc.root, path));
	}
	snprintf(path, sizeof(path), "%sAssumeRolePolicyDocument", r);
	trust = xml_text(doc.root, path);
	if (trust) /* verbatim, as IAM sends it (URL-encoded) */
		cJSON_AddStringToObject(*answer, "AssumeRolePolicyDocument", trust);
	xml_doc_release(&doc);
	return 0;
}

int
act_read_state(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	const struct act_action *a = act_plan_action(plan);
	cJSON *answer = NULL;
	int rc;

	*state = NULL;
	if (a && a->read)
		return a->read(c, plan, state, err);
	if (a && a->applies_to == MODEL_ROLE)
		return act_read_role_policies(c, plan, state, err);
	rc = act_get_function(c, plan, &answer, err);
	if (rc)
		return rc;
	*state = act_fn_state_from_get_function(answer);
	cJSON_Delete(answer);
	if (!*state)
		return err_set(err, ERR_PARSE, "GetFunction answered without a RevisionId");
	/* only an action comparing the access reads it: the others' states stay as they were */
	if (action_compares(plan, "PolicyStatements") || action_compares(plan, "UrlAuthType"))
		rc = read_access(c, plan, *state, err);
	if (rc) {
		cJSON_Delete(*state);
		*state = NULL;
	}
	return rc;
}

int
act_send_call(struct aws_client *c, const cJSON *plan, const cJSON *call, struct err *err)
{
	struct aws_answer ans;
	int rc = act_call_send(c, json_str(plan, "region"), json_str(plan, "target.arn"), call,
	                       &ans, err);

	aws_answer_release(&ans);
	return rc;
}
