/*
 * What a role's documents grant (see perm.h for the rules and perm_int.h
 * for the shape). The evaluation owns its grants' sets; every string and
 * document it points to is borrowed from the caller's attrs.
 */
#include "analyze/perm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/json.h"
#include "util/policy.h"
#include "util/xmalloc.h"

struct deny {
	const cJSON *stmt;
	struct iam_set actions;
};

struct deny_list {
	struct deny *v;
	size_t n, cap;
};

static void
add_pattern(const char *s, void *ctx)
{
	iam_set_add_pattern(ctx, s);
}

/* The actions a statement names: Action expanded, or the complement of NotAction. */
static void
statement_actions(const cJSON *stmt, struct iam_set *set)
{
	iam_set_init(set);
	if (cJSON_GetObjectItemCaseSensitive(stmt, "Action")) {
		policy_statement_strings(stmt, "Action", add_pattern, set);
	} else if (cJSON_GetObjectItemCaseSensitive(stmt, "NotAction")) {
		policy_statement_strings(stmt, "NotAction", add_pattern, set);
		iam_set_complement(set);
	}
}

static int
has_wildcard(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?')
			return 1;
	return 0;
}

int
perm_resource_is_wide(const char *p)
{
	const char *field[6], *r, *sep;
	size_t i;

	if (!p)
		return 0;
	if (!strcmp(p, "*"))
		return 1;
	if (strncmp(p, "arn:", 4))
		return 0;
	field[0] = p;
	for (i = 1; i < 6; i++) {
		field[i] = strchr(field[i - 1], ':');
		if (!field[i])
			return 0;
		field[i]++;
	}
	r = field[5];
	if (r[0] == '*')
		return 1;
	/* S3 names carry no type: "arn:aws:s3:::b/" then a star is one bucket's objects */
	if (!strncmp(field[2], "s3", 2))
		return 0;
	sep = r + strcspn(r, "/:");
	return *sep && !has_wildcard(r, (size_t)(sep - r)) && !strcmp(sep + 1, "*");
}

struct wide_probe {
	int wide;
};

static void
probe_wide(const char *s, void *ctx)
{
	struct wide_probe *w = ctx;

	if (perm_resource_is_wide(s))
		w->wide = 1;
}

static int
statement_is_wide(const cJSON *stmt)
{
	struct wide_probe w = { 0 };

	if (cJSON_GetObjectItemCaseSensitive(stmt, "NotResource"))
		return 1;
	policy_statement_strings(stmt, "Resource", probe_wide, &w);
	return w.wide;
}

/* 1 when Deny pattern d matches every ARN that grant pattern p matches (d without '?'). */
static int
pattern_covers(const char *d, const char *p)
{
	if (!strcmp(d, "*"))
		return 1;
	return !strchr(d, '?') && policy_wildcard_match(d, p, 0);
}

static int
deny_covers_pattern(const cJSON *deny, const char *p)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(deny, "Resource"), *x;

	if (cJSON_IsString(r))
		return pattern_covers(r->valuestring, p);
	cJSON_ArrayForEach(x, r)
	{
		if (cJSON_IsString(x) && pattern_covers(x->valuestring, p))
			return 1;
	}
	return 0;
}

/* 1 when the Deny covers every resource the grant reaches (note in perm.h). */
static int
deny_covers_grant(const cJSON *deny, const cJSON *grant)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(grant, "Resource"), *x;

	if (deny_covers_pattern(deny, "*"))
		return 1;
	if (!r)
		return 0; /* NotResource: only a Deny on "*" covers it */
	if (cJSON_IsString(r))
		return deny_covers_pattern(deny, r->valuestring);
	cJSON_ArrayForEach(x, r)
	{
		if (cJSON_IsString(x) && !deny_covers_pattern(deny, x->valuestring))
			return 0;
	}
	return 1;
}

/* Calls fn on each statement with its 1-based number. */
static void
each_statement(const cJSON *doc, void (*fn)(const cJSON *stmt, int n, void *ctx), void *ctx)
{
	const cJSON *st = doc ? cJSON_GetObjectItemCaseSensitive(doc, "Statement") : NULL, *s;
	int n = 0;

	if (cJSON_IsObject(st)) {
		fn(st, 1, ctx);
		return;
	}
	cJSON_ArrayForEach(s, st)
	{
		n++;
		if (cJSON_IsObject(s))
			fn(s, n, ctx);
	}
}

struct collect_ctx {
	struct perm_eval *ev;
	struct deny_list *denies;
	size_t policy;
	size_t cap;
};

static void
collect_statement(const cJSON *stmt, int n, void *ctx)
{
	struct collect_ctx *c = ctx;
	struct perm_eval *ev = c->ev;
	struct perm_grant *g;

	if (policy_statement_is_deny(stmt)) {
		struct deny_list *d = c->denies;

		if (policy_statement_has_condition(stmt) ||
		    cJSON_GetObjectItemCaseSensitive(stmt, "NotResource")) {
			ev->denies_skipped++;
			return;
		}
		if (d->n == d->cap) {
			d->cap = d->cap ? 2 * d->cap : 8;
			d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
		}
		d->v[d->n].stmt = stmt;
		statement_actions(stmt, &d->v[d->n++].actions);
		return;
	}
	if (!policy_statement_is_allow(stmt))
		return;
	if (ev->n_g == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		ev->g = xrealloc(ev->g, c->cap * sizeof(*ev->g));
	}
	g = &ev->g[ev->n_g++];
	g->policy = c->policy;
	g->statement = n;
	g->stmt = stmt;
	g->wide = statement_is_wide(stmt);
	g->conditional = policy_statement_has_condition(stmt);
	statement_actions(stmt, &g->actions);
}

struct boundary_ctx {
	struct iam_set allow, deny;
};

static void
boundary_statement(const cJSON *stmt, int n, void *ctx)
{
	struct boundary_ctx *b = ctx;
	struct iam_set s;

	(void)n;
	if (policy_statement_is_deny(stmt) &&
	    (policy_statement_has_condition(stmt) || !deny_covers_pattern(stmt, "*")))
		return;
	if (!policy_statement_is_allow(stmt) && !policy_statement_is_deny(stmt))
		return;
	statement_actions(stmt, &s);
	iam_set_union(policy_statement_is_allow(stmt) ? &b->allow : &b->deny, &s);
	iam_set_release(&s);
}

static void
apply_boundary(struct perm_eval *ev, const cJSON *doc)
{
	struct boundary_ctx b;
	size_t i;

	iam_set_init(&b.allow);
	iam_set_init(&b.deny);
	each_statement(doc, boundary_statement, &b);
	iam_set_subtract(&b.allow, &b.deny);
	for (i = 0; i < ev->n_g; i++)
		iam_set_intersect(&ev->g[i].actions, &b.allow);
	iam_set_release(&b.allow);
	iam_set_release(&b.deny);
}

static void
apply_denies(struct perm_eval *ev, struct deny_list *d)
{
	size_t i, j;

	for (j = 0; j < d->n; j++) {
		ev->denies_applied++;
		for (i = 0; i < ev->n_g; i++)
			if (deny_covers_grant(d->v[j].stmt, ev->g[i].stmt))
				iam_set_subtract(&ev->g[i].actions, &d->v[j].actions);
		iam_set_release(&d->v[j].actions);
	}
	free(d->v);
}

static void
summarise(struct perm_eval *ev)
{
	size_t i;

	iam_set_init(&ev->any);
	iam_set_init(&ev->wide);
	iam_set_init(&ev->wide_firm);
	for (i = 0; i < ev->n_g; i++) {
		const struct perm_grant *g = &ev->g[i];

		iam_set_union(&ev->any, &g->actions);
		if (g->wide)
			iam_set_union(&ev->wide, &g->actions);
		if (g->wide && !g->conditional)
			iam_set_union(&ev->wide_firm, &g->actions);
	}
}

static void
evaluate(struct perm_eval *ev, const cJSON *boundary_doc)
{
	struct deny_list denies = { 0 };
	struct collect_ctx c = { .ev = ev, .denies = &denies };

	for (c.policy = 0; c.policy < ev->n_pol; c.policy++)
		each_statement(ev->pol[c.policy].doc, collect_statement, &c);
	apply_denies(ev, &denies);
	if (boundary_doc) {
		apply_boundary(ev, boundary_doc);
		ev->boundary = PERM_BOUNDARY_APPLIED;
	}
	summarise(ev);
}

static void
add_policy(struct perm_eval *ev, const char *name, const char *arn, const cJSON *doc)
{
	struct perm_policy *p;

	ev->pol = xrealloc(ev->pol, (ev->n_pol + 1) * sizeof(*ev->pol));
	p = &ev->pol[ev->n_pol++];
	p->name = name ? name : (arn ? arn : "unnamed");
	p->arn = arn;
	p->doc = cJSON_IsObject(doc) ? doc : NULL;
}

static const cJSON *
managed_document(const cJSON *attrs, const char *arn)
{
	const cJSON *docs = cJSON_GetObjectItemCaseSensitive(attrs, "ManagedPolicyDocuments");
	const cJSON *d =
	        arn && cJSON_IsObject(docs) ? cJSON_GetObjectItemCaseSensitive(docs, arn) : NULL;

	return cJSON_IsObject(d) ? d : NULL;
}

int
perm_eval_role(struct perm_eval *ev, const char *role_arn, const cJSON *attrs,
               const cJSON *boundary_doc, struct err *err)
{
	const cJSON *x;

	memset(ev, 0, sizeof(*ev));
	if (!cJSON_IsObject(attrs))
		return err_set(err, ERR_PARSE, "role attributes are not a JSON object");
	ev->resource = role_arn ? role_arn : json_str(attrs, "Arn");
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(attrs, "RolePolicyList"))
	        add_policy(ev, json_str(x, "PolicyName"), NULL,
	                   cJSON_GetObjectItemCaseSensitive(x, "PolicyDocument"));
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(attrs, "AttachedManagedPolicies"))
	        add_policy(ev, json_str(x, "PolicyName"), json_str(x, "PolicyArn"),
	                   managed_document(attrs, json_str(x, "PolicyArn")));
	ev->boundary_arn = json_str(attrs, "PermissionsBoundary.PermissionsBoundaryArn");
	if (!boundary_doc)
		boundary_doc = managed_document(attrs, ev->boundary_arn);
	if (ev->boundary_arn && !boundary_doc)
		ev->boundary = PERM_BOUNDARY_ARN_ONLY;
	evaluate(ev, cJSON_IsObject(boundary_doc) ? boundary_doc : NULL);
	return 0;
}

int
perm_eval_document(struct perm_eval *ev, const char *name, const cJSON *doc, struct err *err)
{
	memset(ev, 0, sizeof(*ev));
	if (!cJSON_IsObject(doc))
		return err_set(err, ERR_PARSE, "policy document is not a JSON object");
	ev->resource = name ? name : "policy";
	add_policy(ev, ev->resource, NULL, doc);
	evaluate(ev, NULL);
	return 0;
}

void
perm_eval_release(struct perm_eval *ev)
{
	size_t i;

	for (i = 0; i < ev->n_g; i++)
		iam_set_release(&ev->g[i].actions);
	free(ev->g);
	free(ev->pol);
	iam_set_release(&ev->any);
	iam_set_release(&ev->wide);
	iam_set_release(&ev->wide_firm);
	memset(ev, 0, sizeof(*ev));
}

const struct perm_grant *
perm_eval_grant_of(const struct perm_eval *ev, size_t i, int wide)
{
	const struct perm_grant *best = NULL;
	size_t k;

	for (k = 0; k < ev->n_g; k++) {
		const struct perm_grant *g = &ev->g[k];

		if (!iam_set_has(&g->actions, i) || (wide && !g->wide))
			continue;
		if (!best || (best->conditional && !g->conditional))
			best = g;
	}
	return best;
}

void
perm_where(const struct perm_eval *ev, const struct perm_grant *g, char *out, size_t n)
{
	snprintf(out, n, "policy %s statement %d", ev->pol[g->policy].name, g->statement);
}

void
perm_notes(const struct perm_eval *ev, int conditional, struct buf *b)
{
	if (conditional)
		buf_puts(b, "; conditional: granted under a Condition shears does not evaluate");
	if (ev->boundary == PERM_BOUNDARY_APPLIED)
		buf_printf(b, "; permissions boundary %s applied",
		           ev->boundary_arn ? ev->boundary_arn : "document");
	else if (ev->boundary == PERM_BOUNDARY_ARN_ONLY)
		buf_printf(b, "; permissions boundary %s not collected: not applied",
		           ev->boundary_arn);
	if (ev->denies_skipped)
		buf_printf(b, "; %zu conditional or NotResource Deny statement(s) not applied",
		           ev->denies_skipped);
}

const struct perm_policy *
perm_eval_aws_managed(const struct perm_eval *ev, const char *name)
{
	size_t i;

	for (i = 0; i < ev->n_pol; i++) {
		const char *a = ev->pol[i].arn;

		/* any partition: arn:aws-cn:, arn:aws-us-gov: */
		if (a && !strncmp(a, "arn:aws", 7) && strstr(a, ":iam::aws:policy/") &&
		    !strcmp(strrchr(a, '/') + 1, name))
			return &ev->pol[i];
	}
	return NULL;
}
