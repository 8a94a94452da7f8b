/*
 * The document written from the kept actions (rules 5 to 7 of
 * least_privilege.h).
 *
 * Design notes:
 *  1. Each kept action gets its resources (action_resources): "*" when it
 *     takes no resource-level permission; from a scoped grant, that grant's
 *     Resource; from a wide grant, the touched ARNs of its types that the
 *     grant covers, or the grant's own Resource when none of the service is
 *     known.
 *  2. Actions of one service with the same resources form one statement
 *     (struct group); actions come in catalog order, so groups do too.
 *  3. Grants under a Condition, for the kept actions no unconditional grant
 *     gives, and every Deny, are carried over as they are (carry_over).
 *  4. The size is measured unformatted; compression rewrites only Action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/lp_int.h"
#include "util/policy.h"
#include "util/xmalloc.h"

struct strs {
	char **v;
	size_t n, cap;
};

enum scope_bits {
	SCOPE_ANY = 1 << 0,     /* the action takes no resource-level permission */
	SCOPE_TOUCHED = 1 << 1, /* touched ARNs in place of a wide Resource */
	SCOPE_GRANTED = 1 << 2, /* the grant's own Resource */
	SCOPE_UNNAMED = 1 << 3, /* Lambda needs it on resources it creates (network interfaces) */
};

struct group {
	const char *service;
	struct strs res;
	char *key;
	struct iam_set actions;
	size_t n_actions, n_needed;
	unsigned scope;
};

struct groups {
	struct group *v;
	size_t n, cap;
};

static void
strs_add(struct strs *s, const char *x)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = xstrdup(x);
}

static void
strs_release(struct strs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted; a "*" makes every other entry redundant. */
static void
strs_normalise(struct strs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], "*")) {
			strs_release(s);
			strs_add(s, "*");
			return;
		}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_str);
}

static void
add_str(const char *x, void *ctx)
{
	strs_add(ctx, x);
}

/* Rule 5 for one wide grant: the touched resources it covers, or what it grants. */
static unsigned
wide_resources(const struct lp_ctx *c, const struct perm_grant *g, size_t i, struct strs *res)
{
	const struct iam_action *a = iam_catalog_at(i);
	size_t k;
	int known = 0, unnamed = 0, before = (int)res->n;

	for (k = 0; k < c->n_touch; k++) {
		const struct lp_touch *t = &c->touch[k];

		if (strcmp(t->service, a->service))
			continue;
		known = 1;
		if (lp_action_takes(a, t->type) &&
		    policy_statement_covers_resource(g->stmt, t->arn))
			strs_add(res, t->arn);
	}
	for (k = 0; k < c->n_need; k++)
		if (c->need[k].action == i &&
		    policy_statement_covers_resource(g->stmt, c->need[k].arn)) {
			known = 1;
			strs_add(res, c->need[k].arn);
			unnamed |= !strcmp(c->need[k].arn, "*");
		}
	if (unnamed)
		return SCOPE_UNNAMED;
	if (known)
		return (int)res->n > before ? SCOPE_TOUCHED : 0;
	if (!policy_statement_strings(g->stmt, "Resource", add_str, res))
		strs_add(res, "*"); /* NotResource: as wide as it was */
	return SCOPE_GRANTED;
}

/* The resources of kept action i from its unconditional grants; 0 when it has none. */
static unsigned
action_resources(const struct lp_ctx *c, size_t i, struct strs *res)
{
	unsigned scope = 0;
	size_t k;

	if (lp_action_any_resource(iam_catalog_at(i))) {
		strs_add(res, "*");
		return SCOPE_ANY;
	}
	for (k = 0; k < c->ev.n_g; k++) {
		const struct perm_grant *g = &c->ev.g[k];

		if (g->conditional || !iam_set_has(&g->actions, i))
			continue;
		if (g->wide) {
			scope |= wide_resources(c, g, i, res);
		} else {
			policy_statement_strings(g->stmt, "Resource", add_str, res);
			scope |= SCOPE_GRANTED;
		}
	}
	strs_normalise(res);
	return scope;
}

static char *
join(const struct strs *s)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < s->n; i++)
		buf_printf(&b, "%s\n", s->v[i]);
	return buf_take(&b, NULL);
}

static void
group_add(struct groups *gs, const struct lp_ctx *c, size_t i, struct strs *res, unsigned scope)
{
	const char *svc = iam_catalog_at(i)->service;
	char *key = join(res);
	struct group *g = NULL;
	size_t k;

	for (k = 0; k < gs->n && !g; k++)
		if (!strcmp(gs->v[k].service, svc) && !strcmp(gs->v[k].key, key))
			g = &gs->v[k];
	if (!g) {
		if (gs->n == gs->cap) {
			gs->cap = gs->cap ? 2 * gs->cap : 8;
			gs->v = xrealloc(gs->v, gs->cap * sizeof(*gs->v));
		}
		g = &gs->v[gs->n++];
		memset(g, 0, sizeof(*g));
		g->service = svc;
		g->key = key;
		g->res = *res;
		memset(res, 0, sizeof(*res));
		iam_set_init(&g->actions);
	} else {
		free(key);
		strs_release(res);
	}
	iam_set_add(&g->actions, i);
	g->n_actions++;
	g->n_needed += iam_set_has(&c->needed, i);
	g->scope |= scope;
}

static void
groups_release(struct groups *gs)
{
	size_t k;

	for (k = 0; k < gs->n; k++) {
		strs_release(&gs->v[k].res);
		free(gs->v[k].key);
		iam_set_release(&gs->v[k].actions);
	}
	free(gs->v);
}

/* Rule 7: the Action list, plain or compressed. */
static cJSON *
action_list(const struct group *g, enum lp_compress mode)
{
	cJSON *list = cJSON_CreateArray();
	struct iam_set done;
	size_t i, n = iam_catalog_count(), first, cnt;

	iam_set_init(&done);
	for (i = iam_set_next(&g->actions, 0); i < n; i = iam_set_next(&g->actions, i + 1)) {
		const char *name = iam_catalog_at(i)->name, *colon = strchr(name, ':');
		size_t len = strlen(name), p = (size_t)(colon - name) + 2, k;
		char pat[256];

		if (iam_set_has(&done, i))
			continue;
		iam_catalog_service(g->service, &first, &cnt);
		if (mode == LP_COMPRESS_NONE)
			p = len;
		if (mode == LP_COMPRESS_WIDENED) { /* the verb: "Get" of GetObject */
			while (p < len && name[p] >= 'a' && name[p] <= 'z')
				p++;
		}
		for (; mode != LP_COMPRESS_NONE && p < len; p++) {
			int exact = 1;

			for (k = first; k < first + cnt && exact; k++)
				if (!strncasecmp(iam_catalog_at(k)->name, name, p))
					exact = mode == LP_COMPRESS_WIDENED ||
					        iam_set_has(&g->actions, k);
			if (exact)
				break;
		}
		snprintf(pat, sizeof(pat), "%.*s%s", (int)p, name, p < len ? "*" : "");
		cJSON_AddItemToArray(list, cJSON_CreateString(pat));
		for (k = first; k < first + cnt; k++)
			if (iam_set_has(&g->actions, k) &&
			    !strncasecmp(iam_catalog_at(k)->name, name, p))
				iam_set_add(&done, k);
	}
	iam_set_release(&done);
	return list;
}

static int
sid_taken(const cJSON *doc, const char *sid)
{
	const cJSON *st;

	cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(doc, "Statement"))
	{
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(st, "Sid");

		if (cJSON_IsString(x) && !strcmp(x->valuestring, sid))
			return 1;
	}
	return 0;
}

/* "S3Scoped", "Ec2AnyResource", "ExecuteApiScoped2": IAM Sids are [A-Za-z0-9]. */
/* "Object" for the touched type "object", "LogStream" for "log-stream". */
static void
camel(const char *s, char *out, size_t n)
{
	size_t len = 0;
	int up = 1;

	for (; *s && len + 1 < n; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9'))) {
			up = 1;
			continue;
		}
		out[len++] = up && *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
		up = 0;
	}
	out[len] = '\0';
}

static void
sid_for(const char *service, const char *scope, const cJSON *doc, char *out, size_t n)
{
	char base[128];
	size_t k;

	camel(service, base, 64);
	snprintf(base + strlen(base), sizeof(base) - strlen(base), "%s", scope);
	snprintf(out, n, "%s", base);
	for (k = 2; sid_taken(doc, out); k++)
		snprintf(out, n, "%s%zu", base, k);
}

static void
explain_group(struct lp_ctx *c, const struct group *g, const char *sid)
{
	struct buf *b = &c->notes;
	size_t k;

	buf_printf(b, "%s: %zu %s action(s) on ", sid, g->n_actions, g->service);
	for (k = 0; k < g->res.n && k < 6; k++)
		buf_printf(b, "%s%s", k ? ", " : "", g->res.v[k]);
	if (k < g->res.n)
		buf_printf(b, " and %zu more", g->res.n - k);
	if (g->scope & SCOPE_TOUCHED)
		buf_puts(b, "; the resources the functions touch, in place of a wide Resource");
	if (g->scope & SCOPE_ANY)
		buf_puts(b, "; \"*\" because these actions take no resource-level permission");
	if (g->scope & SCOPE_UNNAMED)
		buf_puts(b, "; \"*\" because Lambda creates these resources as it runs");
	if (g->scope & SCOPE_GRANTED)
		buf_printf(b, "; Resource kept as granted (%s)",
		           g->res.n == 1 && !strcmp(g->res.v[0], "*")
		                   ? "no resource of this service seen: shears cannot know which"
		                   : "already scoped");
	if (g->n_needed)
		buf_printf(b, "; %zu needed by Lambda itself", g->n_needed);
	buf_puts(b, "\n");
}

/* What a statement's Sid says of its resources: "AnyResource", "Object", "Scoped". */
static void
scope_label(const struct lp_ctx *c, const struct group *g, char *out, size_t n)
{
	const char *type = NULL;
	size_t r, k;

	snprintf(out, n, "%s", "Scoped");
	if (g->res.n == 1 && !strcmp(g->res.v[0], "*")) {
		snprintf(out, n, "%s", "AnyResource");
		return;
	}
	for (r = 0; r < g->res.n; r++) {
		const char *t = NULL;

		for (k = 0; k < c->n_touch && !t; k++)
			if (!strcmp(c->touch[k].arn, g->res.v[r]))
				t = c->touch[k].type;
		if (!t || (type && strcmp(type, t) && !(strstr(type, "log-") && strstr(t, "log-"))))
			return;
		type = t;
	}
	if (type)
		camel(strstr(type, "log-") ? "log-group" : type, out, n);
}

static void
add_group_statements(struct lp_ctx *c, const struct groups *gs, cJSON *doc, cJSON *list,
                     enum lp_compress mode)
{
	size_t k, r;
	char sid[160], label[64];

	for (k = 0; k < gs->n; k++) {
		const struct group *g = &gs->v[k];
		cJSON *st = cJSON_CreateObject(), *res;

		scope_label(c, g, label, sizeof(label));
		sid_for(g->service, label, doc, sid, sizeof(sid));
		cJSON_AddStringToObject(st, "Sid", sid);
		cJSON_AddStringToObject(st, "Effect", "Allow");
		cJSON_AddItemToObject(st, "Action", action_list(g, mode));
		res = g->res.n == 1 ? cJSON_CreateString(g->res.v[0]) : cJSON_CreateArray();
		for (r = 0; g->res.n > 1 && r < g->res.n; r++)
			cJSON_AddItemToArray(res, cJSON_CreateString(g->res.v[r]));
		cJSON_AddItemToObject(st, "Resource", res);
		cJSON_AddItemToArray(list, st);
		if (mode == LP_COMPRESS_NONE)
			explain_group(c, g, sid);
	}
}

/* 1 when an unconditional grant gives action i. */
static int
firmly_granted(const struct lp_ctx *c, size_t i)
{
	size_t k;

	for (k = 0; k < c->ev.n_g; k++)
		if (!c->ev.g[k].conditional && iam_set_has(&c->ev.g[k].actions, i))
			return 1;
	return 0;
}

static void
copy_field(cJSON *to, const cJSON *from, const char *name)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(from, name);

	if (x)
		cJSON_AddItemToObject(to, name, cJSON_Duplicate(x, 1));
}

/* Design note 3: conditional grants narrowed to kept actions, then every Deny. */
static void
carry_over(struct lp_ctx *c, cJSON *doc, cJSON *list, int explain)
{
	size_t k, i, n = iam_catalog_count(), p;
	char sid[64];

	for (k = 0; k < c->ev.n_g; k++) {
		const struct perm_grant *g = &c->ev.g[k];
		cJSON *st, *acts = cJSON_CreateArray();
		size_t cnt = 0;

		for (i = iam_set_next(&g->actions, 0); g->conditional && i < n;
		     i = iam_set_next(&g->actions, i + 1))
			if (iam_set_has(&c->keep, i) && !firmly_granted(c, i) && ++cnt)
				cJSON_AddItemToArray(acts,
				                     cJSON_CreateString(iam_catalog_at(i)->name));
		if (!cnt) {
			cJSON_Delete(acts);
			continue;
		}
		sid_for("Conditional", "", doc, sid, sizeof(sid));
		st = cJSON_CreateObject();
		cJSON_AddStringToObject(st, "Sid", sid);
		cJSON_AddStringToObject(st, "Effect", "Allow");
		cJSON_AddItemToObject(st, "Action", acts);
		copy_field(st, g->stmt, "Resource");
		copy_field(st, g->stmt, "NotResource");
		copy_field(st, g->stmt, "Condition");
		cJSON_AddItemToArray(list, st);
		if (explain)
			buf_printf(&c->notes,
			           "%s: %zu action(s) of policy %s statement %d, kept with "
			           "its Condition and Resource (shears does not evaluate "
			           "conditions)\n",
			           sid, cnt, c->ev.pol[g->policy].name, g->statement);
	}
	for (p = 0; p < c->ev.n_pol; p++) {
		const cJSON *st, *stmts = c->ev.pol[p].doc ? cJSON_GetObjectItemCaseSensitive(
		                                                     c->ev.pol[p].doc, "Statement")
		                                           : NULL;

		if (cJSON_IsObject(stmts) && policy_statement_is_deny(stmts)) {
			cJSON_AddItemToArray(list, cJSON_Duplicate(stmts, 1));
			continue;
		}
		if (!cJSON_IsArray(stmts))
			continue;
		cJSON_ArrayForEach(st, stmts)
		{
			if (!policy_statement_is_deny(st))
				continue;
			cJSON_AddItemToArray(list, cJSON_Duplicate(st, 1));
			if (explain)
				buf_printf(&c->notes,
				           "a Deny of policy %s carried over unchanged\n",
				           c->ev.pol[p].name);
		}
	}
}

static size_t
unformatted_size(const cJSON *doc)
{
	char *text = cJSON_PrintUnformatted(doc);
	size_t n = text ? strlen(text) : 0;

	free(text);
	return n;
}

static cJSON *
write_document(struct lp_ctx *c, const struct groups *gs, enum lp_compress mode)
{
	cJSON *doc = cJSON_CreateObject(), *list = cJSON_CreateArray();

	cJSON_AddStringToObject(doc, "Version", "2012-10-17");
	cJSON_AddItemToObject(doc, "Statement", list);
	add_group_statements(c, gs, doc, list, mode);
	carry_over(c, doc, list, mode == LP_COMPRESS_NONE);
	return doc;
}

int
lp_write_policy(struct lp_ctx *c, struct err *err)
{
	struct groups gs = { 0 };
	struct strs res = { 0 };
	size_t i, n = iam_catalog_count();
	enum lp_compress mode;
	cJSON *doc = NULL;

	for (i = iam_set_next(&c->keep, 0); i < n; i = iam_set_next(&c->keep, i + 1)) {
		unsigned scope = action_resources(c, i, &res);

		if (res.n)
			group_add(&gs, c, i, &res, scope);
		else
			strs_release(&res); /* only conditional grants give it: carried over */
	}
	for (mode = LP_COMPRESS_NONE; mode <= LP_COMPRESS_WIDENED; mode++) {
		cJSON_Delete(doc);
		doc = write_document(c, &gs, mode);
		c->out->size = unformatted_size(doc);
		c->out->compress = mode;
		if (c->out->size <= LP_POLICY_MAX)
			break;
	}
	groups_release(&gs);
	if (c->out->size > LP_POLICY_MAX) {
		cJSON_Delete(doc);
		return err_set(
		        err, ERR_LIMIT,
		        "least-privilege policy of %zu characters, over IAM's %d even with wildcards",
		        c->out->size, LP_POLICY_MAX);
	}
	c->out->policy = doc;
	return 0;
}
