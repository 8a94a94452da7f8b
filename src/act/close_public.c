/*
 * close-public: closes a function to the world, and only that. It removes
 * the resource policy's statements that let anyone invoke the function
 * (the rule of SHR-EXP-001: rpol_is_open over the invoke actions, see
 * analyze/resource_policy.h) with RemovePermission by Sid, never the whole
 * policy, and sets the function URL's AuthType NONE to AWS_IAM. The undo
 * re-adds each statement with AddPermission, its Condition mapped back to
 * the parameters AddPermission writes it from (botocore's lambda model),
 * and sets AuthType NONE again.
 *
 * Guards: the state re-read before apply holds the whole statement set, so
 * a permission added or removed since the plan refuses it; the first write
 * also carries the policy's RevisionId (Lambda answers 412 when it moved).
 * The later writes cannot: each write moves the revision to a value not
 * known in advance.
 *
 * Refused at plan time: nothing public to close; an open statement without
 * a Sid (RemovePermission names one) or one AddPermission could not write
 * back exactly (a list of actions or principals, NotPrincipal, another
 * condition): its undo would not give the policy back.
 * Limits: the function's own (unqualified) policy and URL; the policies
 * and URLs of aliases are not read.
 */
#include "act/close_public.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/resource_policy.h"
#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/policy.h"
#include "util/xmalloc.h"

const char *const close_public_keys[] = { "PolicyStatements", "UrlAuthType", NULL };

/* The actions SHR-EXP-001 asks about (analyze/check_exposure.c). */
static const char *const invoke_actions[] = {
	"lambda:InvokeFunction",
	"lambda:InvokeFunctionUrl",
	"lambda:InvokeAsync",
	NULL,
};

/*
 * How AddPermission writes its parameters into a statement's Condition
 * (Lambda's resource policy format): one row each. A condition not in this
 * table cannot be written back by AddPermission.
 */
static const struct perm_param {
	const char *op, *key, *param;
} perm_params[] = {
	{ "ArnLike", "AWS:SourceArn", "SourceArn" },
	{ "StringEquals", "AWS:SourceAccount", "SourceAccount" },
	{ "StringEquals", "aws:PrincipalOrgID", "PrincipalOrgID" },
	{ "StringEquals", "lambda:EventSourceToken", "EventSourceToken" },
	{ "StringEquals", "lambda:FunctionUrlAuthType", "FunctionUrlAuthType" },
};

/* The statement fields AddPermission writes. */
static const char *const perm_fields[] = { "Sid",      "Effect",    "Principal", "Action",
	                                   "Resource", "Condition", NULL };

/* ---- the state: statements in a form two reads of one policy share */

static const char *
sid_of(const cJSON *stmt)
{
	const char *sid = json_str(stmt, "Sid");

	return sid ? sid : "";
}

static int
by_sid(const void *a, const void *b)
{
	const cJSON *sa = *(const cJSON *const *)a, *sb = *(const cJSON *const *)b;
	int c = strcmp(sid_of(sa), sid_of(sb));
	char *ta, *tb;

	if (c)
		return c;
	ta = cJSON_PrintUnformatted(sa);
	tb = cJSON_PrintUnformatted(sb);
	c = strcmp(ta ? ta : "", tb ? tb : "");
	free(ta);
	free(tb);
	return c;
}

/* A copy of stmt with {"AWS":"*"} written "*": IAM reads both as everyone. */
static cJSON *
canonical_statement(const cJSON *stmt)
{
	cJSON *c = cJSON_Duplicate(stmt, 1);
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(stmt, "Principal");

	if (cJSON_IsObject(p) && cJSON_GetArraySize(p) == 1 && json_str(p, "AWS") &&
	    !strcmp(json_str(p, "AWS"), "*"))
		cJSON_ReplaceItemInObjectCaseSensitive(c, "Principal", cJSON_CreateString("*"));
	return c;
}

struct collect {
	const cJSON **v;
	size_t n, cap;
};

static int
collect_statement(const cJSON *stmt, void *ctx)
{
	struct collect *c = ctx;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = stmt;
	return 0;
}

static cJSON *
sorted_statements(const cJSON *doc)
{
	struct collect c = { 0 };
	cJSON *out = cJSON_CreateArray();
	size_t i;

	policy_each_statement(doc, collect_statement, &c);
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), by_sid);
	for (i = 0; i < c.n; i++)
		cJSON_AddItemToArray(out, canonical_statement(c.v[i]));
	free(c.v);
	return out;
}

/* The function's own URL: an alias's carries a qualifier in its FunctionArn. */
static int
own_url(const cJSON *url)
{
	const char *arn = json_str(url, "FunctionArn"), *p;
	int colons = 0;

	if (!cJSON_IsObject(url) || !json_str(url, "AuthType"))
		return 0;
	for (p = arn; p && *p; p++)
		colons += *p == ':';
	return !arn || colons == 6; /* arn:aws:lambda:REGION:ACCOUNT:function:NAME */
}

void
act_fn_state_add_access(cJSON *state, const cJSON *policy, const char *policy_rev, const cJSON *url)
{
	if (policy && !cJSON_IsNull(policy)) {
		cJSON *doc = rpol_parse(policy);

		cJSON_AddItemToObject(state, "Policy", cJSON_Duplicate(policy, 1));
		if (doc)
			cJSON_AddItemToObject(state, "PolicyStatements", sorted_statements(doc));
		cJSON_Delete(doc);
	} else {
		cJSON_AddArrayToObject(state, "PolicyStatements");
	}
	if (policy_rev)
		cJSON_AddStringToObject(state, "PolicyRevisionId", policy_rev);
	if (own_url(url)) {
		cJSON_AddStringToObject(state, "UrlAuthType", json_str(url, "AuthType"));
		cJSON_AddItemToObject(state, "UrlConfig", cJSON_Duplicate(url, 1));
	} else {
		cJSON_AddNullToObject(state, "UrlAuthType");
	}
}

/* ---- which statements are open, and whether AddPermission can write them back */

struct open_marks {
	unsigned char *open;
	int n;
};

static int
mark_open(const struct rpol_grant *g, void *ctx)
{
	struct open_marks *m = ctx;

	if (rpol_is_open(g) && g->index >= 1 && g->index <= m->n)
		m->open[g->index - 1] = 1;
	return 0;
}

/* open[i] = 1 when statement i of stmts lets anyone invoke. Caller frees. */
static unsigned char *
open_statements(const cJSON *stmts)
{
	struct open_marks m = { .n = cJSON_GetArraySize(stmts) };
	cJSON *doc = cJSON_CreateObject();

	m.open = xcalloc((size_t)m.n + 1, 1);
	cJSON_AddItemToObject(doc, "Statement", cJSON_Duplicate(stmts, 1));
	rpol_each_grant(doc, invoke_actions, "", mark_open, &m);
	cJSON_Delete(doc);
	return m.open;
}

/* AddPermission's Principal for a statement's: "*", a service, an account or ARN. */
static const char *
principal_param(const cJSON *p)
{
	if (cJSON_IsString(p))
		return p->valuestring;
	if (!cJSON_IsObject(p) || cJSON_GetArraySize(p) != 1 || !cJSON_IsString(p->child))
		return NULL;
	if (strcmp(p->child->string, "AWS") && strcmp(p->child->string, "Service"))
		return NULL;
	return p->child->valuestring;
}

static const struct perm_param *
perm_param_of(const char *op, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(perm_params) / sizeof(perm_params[0]); i++)
		if (!strcmp(perm_params[i].op, op) && !strcmp(perm_params[i].key, key))
			return &perm_params[i];
	return NULL;
}

static int
known_field(const char *name)
{
	size_t i;

	for (i = 0; perm_fields[i]; i++)
		if (!strcmp(perm_fields[i], name))
			return 1;
	return 0;
}

/* The Condition's operators and keys as AddPermission parameters into body. */
static int
condition_params(const cJSON *cond, cJSON *body, char *why, size_t n)
{
	const cJSON *op, *key;

	cJSON_ArrayForEach(op, cond)
	{
		if (!cJSON_IsObject(op))
			return snprintf(why, n, "its Condition %s is not an object", op->string),
			       -1;
		cJSON_ArrayForEach(key, op)
		{
			const struct perm_param *pp = perm_param_of(op->string, key->string);

			if (!pp || !cJSON_IsString(key)) {
				snprintf(why, n, "AddPermission cannot write its condition %s %s",
				         op->string, key->string);
				return -1;
			}
			cJSON_AddStringToObject(body, pp->param, key->valuestring);
		}
	}
	return 0;
}

/*
 * The AddPermission body writing stmt back, or NULL and why: a statement
 * AddPermission would write differently cannot be restored by an undo.
 */
cJSON *
close_public_add_permission_body(const cJSON *stmt, char *why, size_t n)
{
	const cJSON *f, *action = cJSON_GetObjectItemCaseSensitive(stmt, "Action");
	const char *principal =
	        principal_param(cJSON_GetObjectItemCaseSensitive(stmt, "Principal"));
	cJSON *body;

	cJSON_ArrayForEach(f, stmt)
	{
		if (!known_field(f->string)) {
			snprintf(why, n, "AddPermission cannot write its %s", f->string);
			return NULL;
		}
	}
	if (!*sid_of(stmt) || !policy_statement_is_allow(stmt) || !cJSON_IsString(action) ||
	    !principal) {
		snprintf(why, n,
		         "AddPermission writes one Allow of one action to one principal under a "
		         "Sid, and this statement is not one");
		return NULL;
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "StatementId", sid_of(stmt));
	cJSON_AddStringToObject(body, "Action", action->valuestring);
	cJSON_AddStringToObject(body, "Principal", principal);
	if (condition_params(cJSON_GetObjectItemCaseSensitive(stmt, "Condition"), body, why, n)) {
		cJSON_Delete(body);
		return NULL;
	}
	return body;
}

/* ---- who loses access: what the plan shows for each change */

static void
describe_statement(struct buf *b, const cJSON *stmt, const char *url, const char *auth,
                   const char *verb)
{
	const char *src = json_str(stmt, "Condition.ArnLike.AWS:SourceArn");
	const char *acct = json_str(stmt, "Condition.StringEquals.AWS:SourceAccount");
	const char *action = json_str(stmt, "Action");
	int via_url = policy_statement_covers_action(stmt, "lambda:InvokeFunctionUrl");
	int direct = policy_statement_covers_action(stmt, "lambda:InvokeFunction") ||
	             policy_statement_covers_action(stmt, "lambda:InvokeAsync");

	buf_printf(b, "Sid %s (Principal *, %s%s%s%s%s): ", sid_of(stmt), action ? action : "?",
	           src ? ", SourceArn " : "", src ? src : "", acct ? ", SourceAccount " : "",
	           acct ? acct : "");
	if (via_url && auth && !strcmp(auth, "NONE"))
		buf_printf(b, "unsigned callers of URL %s %s", url ? url : "(none)", verb);
	else if (via_url)
		buf_printf(b, "signed URL callers of any account %s", verb);
	if (via_url && direct)
		buf_printf(b, ", and ");
	if (direct)
		buf_printf(b, "any account's direct invokes and unconditioned triggers %s", verb);
}

static void
describe_url(struct buf *b, const char *url, const char *from, const char *to)
{
	if (!strcmp(to, "AWS_IAM"))
		buf_printf(b,
		           "URL %s AuthType %s -> AWS_IAM: unsigned clients (browsers, webhooks) "
		           "lose access; callers must sign (SigV4) and be allowed "
		           "lambda:InvokeFunctionUrl",
		           url ? url : "(the function's)", from);
	else
		buf_printf(b, "URL %s AuthType %s -> %s", url ? url : "(the function's)", from, to);
}

/* ---- desire: the policy without its open statements, the URL on AWS_IAM */

static int
close_statements(const char *arn, const cJSON *before, cJSON *keep, struct buf *why, int *removed,
                 struct err *err)
{
	const cJSON *stmts = json_path(before, "PolicyStatements"), *s;
	const char *url = json_str(before, "UrlConfig.FunctionUrl");
	const char *auth = json_str(before, "UrlAuthType");
	unsigned char *open = open_statements(stmts);
	char reason[200];
	int i = 0, rc = 0;

	cJSON_ArrayForEach(s, stmts)
	{
		cJSON *body;

		if (!open[i++]) {
			cJSON_AddItemToArray(keep, cJSON_Duplicate(s, 1));
			continue;
		}
		body = close_public_add_permission_body(s, reason, sizeof(reason));
		cJSON_Delete(body);
		if (!body || !json_str(s, "Resource") || strcmp(json_str(s, "Resource"), arn)) {
			rc = err_set(
			        err, ERR_USAGE,
			        "refused: statement %d (Sid %s) lets anyone invoke, but an undo "
			        "could not put it back as it is: %s",
			        i, sid_of(s), body ? "its Resource is not the function" : reason);
			break;
		}
		buf_printf(why, "%sremove ", why->len ? "; " : "");
		describe_statement(why, s, url, auth, "lose access");
		(*removed)++;
	}
	free(open);
	return rc;
}

int
close_public_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                    cJSON *after, char *explain, size_t n, struct err *err)
{
	const char *auth = json_str(before, "UrlAuthType");
	int url_open = auth && !strcmp(auth, "NONE"), removed = 0, rc;
	struct buf why;

	(void)ctx;
	if (!cJSON_IsArray(json_path(before, "PolicyStatements")))
		return err_set(err, ERR_USAGE,
		               "the cache holds no readable resource policy for this function: "
		               "rescan it");
	buf_init(&why, 1024);
	rc = close_statements(arn, before, cJSON_AddArrayToObject(after, "PolicyStatements"), &why,
	                      &removed, err);
	if (!rc && !removed && !url_open)
		rc = err_set(err, ERR_USAGE,
		             "nothing public to close: no statement of the resource policy lets "
		             "anyone invoke it, and %s",
		             auth ? "its URL's AuthType is not NONE" : "it has no function URL");
	if (!rc && url_open) {
		buf_printf(&why, "%s", why.len ? "; " : "");
		/* a removed statement named the URL already */
		describe_url(&why, removed ? NULL : json_str(before, "UrlConfig.FunctionUrl"),
		             "NONE", "AWS_IAM");
	}
	if (url_open)
		cJSON_AddStringToObject(after, "UrlAuthType", "AWS_IAM");
	else
		cJSON_AddItemToObject(after, "UrlAuthType",
		                      auth ? cJSON_CreateString(auth) : cJSON_CreateNull());
	if (!rc)
		snprintf(explain, n, "%s", buf_cstr(&why));
	buf_release(&why);
	return rc;
}

/* ---- calls: from one state to another, removals first, then additions, then the URL */

/* One lambda call to prefix NAME suffix [SID], name and sid URI-encoded. */
static cJSON *
new_call(const char *operation, const char *method, const char *prefix, const char *name,
         const char *suffix, const char *sid)
{
	cJSON *c = cJSON_CreateObject();
	struct buf path;

	buf_init(&path, 256);
	buf_printf(&path, "%s", prefix);
	aws_uri_encode(&path, name, strlen(name), 0);
	buf_printf(&path, "%s", suffix);
	if (sid)
		aws_uri_encode(&path, sid, strlen(sid), 0);
	cJSON_AddStringToObject(c, "service", "lambda");
	cJSON_AddStringToObject(c, "operation", operation);
	cJSON_AddStringToObject(c, "method", method);
	cJSON_AddStringToObject(c, "path", buf_cstr(&path));
	buf_release(&path);
	return c;
}

static int
has_equal(const cJSON *list, const cJSON *stmt)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, list)
	{
		if (cJSON_Compare(s, stmt, 1))
			return 1;
	}
	return 0;
}

/* Only the first write can name the revision: each write moves it. */
static const char *
take_guard(const char **guard)
{
	const char *g = *guard;

	*guard = NULL;
	return g && g[0] ? g : NULL;
}

static void
remove_call(cJSON *calls, const char *name, const cJSON *stmt, const cJSON *from,
            const char **guard)
{
	cJSON *c = new_call("RemovePermission", "DELETE", "/2015-03-31/functions/", name,
	                    "/policy/", sid_of(stmt));
	const char *rev = take_guard(guard);
	struct buf text;

	if (rev) {
		buf_init(&text, 128);
		buf_printf(&text, "RevisionId=");
		aws_uri_encode(&text, rev, strlen(rev), 0);
		cJSON_AddStringToObject(c, "query", buf_cstr(&text));
		buf_release(&text);
	}
	buf_init(&text, 512);
	describe_statement(&text, stmt, json_str(from, "UrlConfig.FunctionUrl"),
	                   json_str(from, "UrlAuthType"), "lose access");
	cJSON_AddStringToObject(c, "access", buf_cstr(&text));
	buf_release(&text);
	cJSON_AddItemToArray(calls, c);
}

static int
add_call(cJSON *calls, const char *name, const cJSON *stmt, const cJSON *to, const char **guard,
         struct err *err)
{
	char why[200];
	cJSON *body = close_public_add_permission_body(stmt, why, sizeof(why)), *c;
	const char *rev = take_guard(guard);
	struct buf text;

	if (!body)
		return err_set(err, ERR_USAGE, "cannot put back statement Sid %s: %s", sid_of(stmt),
		               why);
	if (rev)
		cJSON_AddStringToObject(body, "RevisionId", rev);
	c = new_call("AddPermission", "POST", "/2015-03-31/functions/", name, "/policy", NULL);
	cJSON_AddItemToObject(c, "body", body);
	buf_init(&text, 512);
	buf_printf(&text, "puts back ");
	describe_statement(&text, stmt, json_str(to, "UrlConfig.FunctionUrl"),
	                   json_str(to, "UrlAuthType"), "regain access");
	cJSON_AddStringToObject(c, "access", buf_cstr(&text));
	buf_release(&text);
	cJSON_AddItemToArray(calls, c);
	return 0;
}

static int
url_call(cJSON *calls, const char *name, const cJSON *from, const cJSON *to, struct err *err)
{
	const char *was = json_str(from, "UrlAuthType"), *want = json_str(to, "UrlAuthType");
	cJSON *c, *body;
	struct buf text;

	if (!want && was)
		return err_set(err, ERR_USAGE, "close-public does not delete a function URL");
	if (!want || (was && !strcmp(was, want)))
		return 0;
	if (!was)
		return err_set(err, ERR_USAGE, "close-public does not create a function URL");
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "AuthType", want);
	c = new_call("UpdateFunctionUrlConfig", "PUT", "/2021-10-31/functions/", name, "/url",
	             NULL);
	cJSON_AddItemToObject(c, "body", body);
	buf_init(&text, 512);
	describe_url(&text, json_str(from, "UrlConfig.FunctionUrl"), was, want);
	cJSON_AddStringToObject(c, "access", buf_cstr(&text));
	buf_release(&text);
	cJSON_AddItemToArray(calls, c);
	return 0;
}

int
close_public_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                   cJSON *calls, struct err *err)
{
	const cJSON *fs = json_path(from, "PolicyStatements"),
	            *ts = json_path(to, "PolicyStatements");
	const char *guard = json_str(from, "PolicyRevisionId");
	const cJSON *s;
	int rc = 0;

	(void)revision; /* the function's: a policy write is guarded by the policy's own */
	if (!cJSON_IsArray(fs) || !cJSON_IsArray(ts))
		return err_set(err, ERR_PARSE, "a state without PolicyStatements");
	cJSON_ArrayForEach(s, fs)
	{
		if (!has_equal(ts, s))
			remove_call(calls, name, s, from, &guard);
	}
	cJSON_ArrayForEach(s, ts)
	{
		if (!rc && !has_equal(fs, s))
			rc = add_call(calls, name, s, to, &guard, err);
	}
	return rc ? rc : url_call(calls, name, from, to, err);
}
