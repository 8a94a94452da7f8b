/*
 * Talking to the target: reading its state (GetFunction for a function:
 * configuration, RevisionId and reserved concurrency in one call; GetPolicy
 * and GetFunctionUrlConfig too for an action that compares them) and
 * sending a plan's calls exactly as the plan names them.
 */
#include "act/target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/json.h"

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
	const struct act_action *a = act_action_find(json_str(plan, "action"));
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

int
act_read_state(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	cJSON *answer = NULL;
	int rc = act_get_function(c, plan, &answer, err);

	*state = NULL;
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
	static const struct aws_header json_header[] = { { "Content-Type", "application/json" } };
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(call, "body");
	char *text = body ? cJSON_PrintUnformatted(body) : NULL;
	struct aws_request req = { .service = aws_service_find(json_str(call, "service")),
		                   .operation = json_str(call, "operation"),
		                   .region = json_str(plan, "region"),
		                   .method = json_str(call, "method"),
		                   .path = json_str(call, "path"),
		                   .query = json_str(call, "query"),
		                   .resource = json_str(plan, "target.arn") };
	struct aws_answer ans = { 0 };
	int rc;

	if (!req.service || !req.operation || !req.method || !req.path) {
		free(text);
		return err_set(err, ERR_PARSE,
		               "a call of the plan lacks service, operation, "
		               "method or path");
	}
	if (text) {
		req.headers = json_header;
		req.n_headers = 1;
		req.body = text;
		req.body_len = strlen(text);
	}
	rc = aws_client_call(c, &req, &ans, err);
	aws_answer_release(&ans);
	free(text);
	return rc;
}
