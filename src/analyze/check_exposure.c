/*
 * The exposure family over the model: who outside the account can reach a
 * function (resource policy, function URL, API routes, public event
 * sources) and what it can reach from there (public buckets, data stores).
 * Each check writes what it saw and which statement or setting decided.
 */
#include "analyze/analyze.h"

#include <stdio.h>
#include <string.h>

#include "analyze/check_util.h"
#include "analyze/exposure_int.h"
#include "util/json.h"

const char *const exposure_invoke_actions[] = {
	"lambda:InvokeFunction",
	"lambda:InvokeFunctionUrl",
	"lambda:InvokeAsync",
	NULL,
};

void
exposure_owner(const struct amodel *m, const struct am_res *r, char *out, size_t n)
{
	analyze_arn_field(r->arn, 4, out, n);
	if (!*out)
		snprintf(out, n, "%s", m->account);
}

int
exposure_policy_widest(const struct amodel *m, const struct am_res *r, const char *path,
                       const char *const *actions, struct rpol_grant *g)
{
	cJSON *doc = rpol_parse(json_path(r->attrs, path));
	char owner[16];
	int found;

	exposure_owner(m, r, owner, sizeof(owner));
	found = doc && rpol_widest(doc, actions, owner, g);
	cJSON_Delete(doc);
	return found;
}

static const char *const url_actions[] = { "lambda:InvokeFunctionUrl", NULL };

/* The URL configs of fn: "Urls" when several (aliases too), else "Url". */
static const cJSON *
url_list(const struct am_res *fn, const cJSON **single)
{
	const cJSON *urls = json_path(fn->attrs, "Urls");

	*single = json_path(fn->attrs, "Url");
	return cJSON_IsArray(urls) && cJSON_GetArraySize(urls) ? urls : NULL;
}

static const cJSON *
url_with_no_auth(const struct am_res *fn)
{
	const cJSON *single, *list = url_list(fn, &single), *u;
	const char *auth;

	cJSON_ArrayForEach(u, list)
	{
		auth = json_str(u, "AuthType");
		if (auth && !strcmp(auth, "NONE"))
			return u;
	}
	auth = json_str(single, "AuthType");
	return auth && !strcmp(auth, "NONE") ? single : NULL;
}

int
exposure_url_state(const struct amodel *m, const struct am_res *fn, char *why, size_t n)
{
	const cJSON *u = url_with_no_auth(fn);
	struct rpol_grant g;
	const char *url;
	char stmt[120];

	if (!u)
		return 0;
	url = json_str(u, "FunctionUrl");
	if (exposure_policy_widest(m, fn, "Policy", url_actions, &g) && rpol_is_open(&g)) {
		rpol_describe(&g, stmt, sizeof(stmt));
		snprintf(
		        why, n,
		        "function URL %s has AuthType NONE and policy %s lets Principal %s call %s",
		        url ? url : "?", stmt, g.principal, g.action);
		return 2;
	}
	snprintf(why, n,
	         "function URL %s has AuthType NONE, but no policy statement opens "
	         "lambda:InvokeFunctionUrl to everyone, so calls are refused today",
	         url ? url : "?");
	return 1;
}

struct grant_ctx {
	const struct am_res *fn;
	struct findings *out;
};

static int
report_grant(const struct rpol_grant *g, void *ctx)
{
	const struct grant_ctx *c = ctx;
	const struct am_res *fn = c->fn;
	struct findings *out = c->out;
	char stmt[120], loc[160];

	if (g->cancelled)
		return 0;
	rpol_describe(g, stmt, sizeof(stmt));
	snprintf(loc, sizeof(loc), "policy %s", stmt);
	if (g->who == RPOL_ANYONE && !g->limited)
		findings_add(out, "SHR-EXP-001", fn->arn, loc,
		             "resource policy %s allows Principal %s to call %s with no condition "
		             "that limits the caller (no aws:SourceArn, aws:SourceAccount, "
		             "aws:PrincipalOrgID, aws:SourceVpce or AWS_IAM URL auth)",
		             stmt, g->principal, g->action);
	else if (g->who == RPOL_SERVICE && !g->limited)
		findings_add(out, "SHR-EXP-002", fn->arn, loc,
		             "resource policy %s allows service %s to call %s with no "
		             "aws:SourceArn or aws:SourceAccount condition: any account's "
		             "resource of that service can trigger it",
		             stmt, g->principal, g->action);
	else if (g->who == RPOL_OTHER_ACCOUNT && !g->limited)
		findings_add(out, "SHR-EXP-003", fn->arn, loc,
		             "resource policy %s allows %s (account %s) to call %s", stmt,
		             g->principal, *g->account ? g->account : "not named", g->action);
	return 0;
}

static void
check_function_policy(const struct amodel *m, const struct am_res *fn, struct findings *out)
{
	cJSON *doc = rpol_parse(json_path(fn->attrs, "Policy"));
	struct grant_ctx c = { fn, out };
	char owner[16];

	if (!doc)
		return;
	exposure_owner(m, fn, owner, sizeof(owner));
	rpol_each_grant(doc, exposure_invoke_actions, owner, report_grant, &c);
	cJSON_Delete(doc);
}

static void
check_function_url(const struct amodel *m, const struct am_res *fn, struct findings *out)
{
	char why[700];
	int state = exposure_url_state(m, fn, why, sizeof(why));
	struct finding *f;

	if (!state)
		return;
	f = findings_add(out, "SHR-EXP-004", fn->arn, "function URL", "%s", why);
	if (state == 1)
		f->severity = SEV_LOW; /* closed by the policy today; one statement from open */
}

void
exposure_check_function(const struct amodel *m, const struct am_res *fn, struct findings *out)
{
	check_function_policy(m, fn, out);
	check_function_url(m, fn, out);
	exposure_check_exfiltration(m, fn, out);
}

int
check_exposure(const struct amodel *m, const struct analyze_opts *o, struct findings *out)
{
	size_t i;

	(void)o;
	for (i = 0; i < m->n_res; i++)
		if (m->res[i].kind == MODEL_FUNCTION)
			exposure_check_function(m, &m->res[i], out);
	exposure_check_apis(m, out);
	exposure_check_stores(m, out);
	return 0;
}
