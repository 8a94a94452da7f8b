/*
 * Resource-based policies: principals and limiting conditions (see
 * resource_policy.h for what limits and what is left out).
 */
#include "analyze/resource_policy.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/policy.h"

static const char *const limiting_keys[] = {
	"aws:SourceArn",
	"aws:SourceAccount",
	"aws:SourceOwner",
	"aws:PrincipalOrgID",
	"aws:PrincipalOrgPaths",
	"aws:PrincipalAccount",
	"aws:PrincipalArn",
	"aws:SourceVpce",
	"aws:SourceVpc",
	"aws:SourceIp",
	"aws:PrincipalServiceName",
	"lambda:FunctionUrlAuthType",
	NULL,
};

enum op_kind { OP_OTHER, OP_POSITIVE, OP_NEGATED };

/* How an operator treats a caller that lacks the key, which a stranger does. */
static enum op_kind
op_kind(const char *op)
{
	size_t len;

	if (!strncasecmp(op, "ForAllValues:", 13))
		return OP_OTHER; /* true when the key is missing */
	if (!strncasecmp(op, "ForAnyValue:", 12))
		op += 12;
	len = strlen(op);
	if (len >= 8 && !strcasecmp(op + len - 8, "IfExists"))
		return OP_OTHER; /* passes when the key is missing */
	if (strstr(op, "Not"))
		return OP_NEGATED;
	if (!strncasecmp(op, "String", 6) || !strncasecmp(op, "Arn", 3) ||
	    !strcasecmp(op, "IpAddress"))
		return OP_POSITIVE;
	return OP_OTHER;
}

static int
is_limiting_key(const char *key)
{
	size_t i;

	for (i = 0; limiting_keys[i]; i++)
		if (!strcasecmp(key, limiting_keys[i]))
			return 1;
	return 0;
}

/* One condition value that pins something: not a bare wildcard, not every address. */
static int
value_limits(const char *key, const char *v)
{
	if (!v || !*v || strspn(v, "*?") == strlen(v))
		return 0;
	if (!strcasecmp(key, "aws:SourceIp"))
		return strcmp(v, "0.0.0.0/0") && strcmp(v, "::/0");
	if (!strcasecmp(key, "lambda:FunctionUrlAuthType"))
		return !strcmp(v, "AWS_IAM");
	return 1;
}

/* Every value must pin: one wildcard among them opens the condition. */
static int
values_limit(const char *key, const cJSON *vals, char *first, size_t n)
{
	const cJSON *v;
	int any = 0;

	if (cJSON_IsString(vals)) {
		snprintf(first, n, "%s", vals->valuestring);
		return value_limits(key, vals->valuestring);
	}
	if (!cJSON_IsArray(vals))
		return 0;
	cJSON_ArrayForEach(v, vals)
	{
		if (!cJSON_IsString(v) || !value_limits(key, v->valuestring))
			return 0;
		if (!any)
			snprintf(first, n, "%s", v->valuestring);
		any = 1;
	}
	return any;
}

/* A key of the wanted operator kind that limits; its text into why. */
static int
condition_limits(const cJSON *stmt, enum op_kind want, char *why, size_t n)
{
	const cJSON *cond = cJSON_GetObjectItemCaseSensitive(stmt, "Condition"), *op, *key;
	char first[160];

	cJSON_ArrayForEach(op, cond)
	{
		if (!op->string || op_kind(op->string) != want)
			continue;
		cJSON_ArrayForEach(key, op)
		{
			if (!key->string || !is_limiting_key(key->string))
				continue;
			if (values_limit(key->string, key, first, sizeof(first))) {
				snprintf(why, n, "%s (%s %s)", key->string, op->string, first);
				return 1;
			}
		}
	}
	return 0;
}

/* 1 when the Principal is everyone: "*" or {"AWS": "*"} (alone or in a list). */
static int
principal_is_anyone(const cJSON *p)
{
	const cJSON *aws, *v;

	if (cJSON_IsString(p))
		return !strcmp(p->valuestring, "*");
	aws = cJSON_GetObjectItemCaseSensitive(p, "AWS");
	if (cJSON_IsString(aws))
		return !strcmp(aws->valuestring, "*");
	cJSON_ArrayForEach(v, aws)
	{
		if (cJSON_IsString(v) && !strcmp(v->valuestring, "*"))
			return 1;
	}
	return 0;
}

struct walk {
	const cJSON *doc;
	const char *const *actions;
	const char *account;
	int (*fn)(const struct rpol_grant *g, void *ctx);
	void *ctx;
	int index;
	struct rpol_grant g;
};

/* The first of the asked actions the statement covers, or NULL. */
static const char *
covered_action(const cJSON *stmt, const char *const *actions)
{
	for (; *actions; actions++)
		if (policy_statement_covers_action(stmt, *actions))
			return *actions;
	return NULL;
}

struct deny_walk {
	const char *action;
	int index;
	struct rpol_grant *g;
};

static int
apply_deny(const cJSON *stmt, void *ctx)
{
	struct deny_walk *d = ctx;
	const cJSON *np = cJSON_GetObjectItemCaseSensitive(stmt, "NotPrincipal");
	char why[200];

	d->index++;
	if (!policy_statement_is_deny(stmt) || !policy_statement_covers_action(stmt, d->action))
		return 0;
	if (np && !policy_statement_has_condition(stmt)) {
		snprintf(d->g->limit, sizeof(d->g->limit),
		         "Deny statement %d for every principal not in its NotPrincipal", d->index);
		d->g->limited = 1;
		return 0;
	}
	if (!principal_is_anyone(cJSON_GetObjectItemCaseSensitive(stmt, "Principal")))
		return 0;
	if (!policy_statement_has_condition(stmt)) {
		d->g->cancelled = 1;
		snprintf(d->g->limit, sizeof(d->g->limit), "Deny statement %d for everyone",
		         d->index);
		return 1;
	}
	if (!d->g->limited && condition_limits(stmt, OP_NEGATED, why, sizeof(why))) {
		snprintf(d->g->limit, sizeof(d->g->limit), "Deny statement %d unless %s", d->index,
		         why);
		d->g->limited = 1;
	}
	return 0;
}

/* The 12-digit account a principal names: "123456789012" or an IAM/STS ARN. */
static void
principal_account(const char *p, char *out, size_t n)
{
	const char *acct = p;

	out[0] = '\0';
	if (!strncmp(p, "arn:", 4)) {
		int i;

		for (i = 0; i < 4 && acct; i++) {
			acct = strchr(acct, ':');
			acct = acct ? acct + 1 : NULL;
		}
		if (!acct)
			return;
	}
	if (strspn(acct, "0123456789") == 12 && (acct[12] == '\0' || acct[12] == ':'))
		snprintf(out, n, "%.12s", acct);
}

static int
emit(struct walk *w, enum rpol_who who, const char *principal)
{
	struct rpol_grant g = w->g;
	struct deny_walk d = { .action = g.action, .g = &g };

	g.who = who;
	snprintf(g.principal, sizeof(g.principal), "%s", principal);
	if (who != RPOL_SERVICE && who != RPOL_ANYONE) {
		principal_account(principal, g.account, sizeof(g.account));
		g.who = *g.account && w->account && !strcmp(g.account, w->account)
		                ? RPOL_SAME_ACCOUNT
		                : RPOL_OTHER_ACCOUNT;
	}
	policy_each_statement(w->doc, apply_deny, &d);
	return w->fn(&g, w->ctx);
}

static int
emit_values(struct walk *w, const cJSON *vals, enum rpol_who who)
{
	const cJSON *v;
	int rc;

	if (cJSON_IsString(vals))
		return emit(w, !strcmp(vals->valuestring, "*") ? RPOL_ANYONE : who,
		            vals->valuestring);
	cJSON_ArrayForEach(v, vals)
	{
		if (!cJSON_IsString(v))
			continue;
		rc = emit(w, !strcmp(v->valuestring, "*") ? RPOL_ANYONE : who, v->valuestring);
		if (rc)
			return rc;
	}
	return 0;
}

static int
emit_principals(struct walk *w, const cJSON *stmt)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(stmt, "Principal"), *m;
	int rc;

	if (cJSON_GetObjectItemCaseSensitive(stmt, "NotPrincipal"))
		return emit(w, RPOL_ANYONE, "NotPrincipal (everyone else)");
	if (cJSON_IsString(p))
		return emit(w, !strcmp(p->valuestring, "*") ? RPOL_ANYONE : RPOL_OTHER_ACCOUNT,
		            p->valuestring);
	cJSON_ArrayForEach(m, p)
	{
		enum rpol_who who = m->string && !strcmp(m->string, "Service") ? RPOL_SERVICE
		                                                               : RPOL_OTHER_ACCOUNT;

		rc = emit_values(w, m, who);
		if (rc)
			return rc;
	}
	return 0;
}

static int
visit_allow(const cJSON *stmt, void *ctx)
{
	struct walk *w = ctx;
	const char *action, *sid = NULL;

	w->index++;
	if (!policy_statement_is_allow(stmt))
		return 0;
	action = covered_action(stmt, w->actions);
	if (!action)
		return 0;
	memset(&w->g, 0, sizeof(w->g));
	w->g.index = w->index;
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(stmt, "Sid")))
		sid = cJSON_GetObjectItemCaseSensitive(stmt, "Sid")->valuestring;
	snprintf(w->g.sid, sizeof(w->g.sid), "%s", sid ? sid : "");
	snprintf(w->g.action, sizeof(w->g.action), "%s", action);
	w->g.limited = condition_limits(stmt, OP_POSITIVE, w->g.limit, sizeof(w->g.limit));
	return emit_principals(w, stmt);
}

int
rpol_each_grant(const cJSON *doc, const char *const *actions, const char *account,
                int (*fn)(const struct rpol_grant *g, void *ctx), void *ctx)
{
	struct walk w = {
		.doc = doc, .actions = actions, .account = account, .fn = fn, .ctx = ctx
	};

	if (!doc || !actions)
		return 0;
	return policy_each_statement(doc, visit_allow, &w);
}

static int
rank(const struct rpol_grant *g)
{
	static const int open_rank[] = { 0, 4, 5, 6 };  /* same, other, service, anyone */
	static const int limit_rank[] = { 0, 1, 2, 3 }; /* the same order, narrowed */

	if (g->cancelled)
		return -1;
	return g->limited ? limit_rank[g->who] : open_rank[g->who];
}

struct widest {
	struct rpol_grant best;
	int found;
};

static int
keep_widest(const struct rpol_grant *g, void *ctx)
{
	struct widest *w = ctx;

	if (!w->found || rank(g) > rank(&w->best)) {
		w->best = *g;
		w->found = 1;
	}
	return 0;
}

int
rpol_widest(const cJSON *doc, const char *const *actions, const char *account,
            struct rpol_grant *out)
{
	struct widest w = { .found = 0 };

	rpol_each_grant(doc, actions, account, keep_widest, &w);
	if (w.found)
		*out = w.best;
	return w.found;
}

int
rpol_is_open(const struct rpol_grant *g)
{
	return g->who == RPOL_ANYONE && !g->limited && !g->cancelled;
}

void
rpol_describe(const struct rpol_grant *g, char *out, size_t n)
{
	if (*g->sid)
		snprintf(out, n, "statement %d (Sid %s)", g->index, g->sid);
	else
		snprintf(out, n, "statement %d", g->index);
}

cJSON *
rpol_parse(const cJSON *policy)
{
	if (cJSON_IsObject(policy))
		return cJSON_Duplicate(policy, 1);
	if (cJSON_IsString(policy) && policy->valuestring[0]) {
		cJSON *doc = policy_decode(policy->valuestring, NULL);

		if (cJSON_IsObject(doc))
			return doc;
		cJSON_Delete(doc);
	}
	return NULL;
}
