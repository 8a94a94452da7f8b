/*
 * What the access advisor and the functions' resources let the new policy
 * leave out (rules 2 to 4 of least_privilege.h). Fills ctx->keep.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/lp_int.h"
#include "util/json.h"
#include "util/policy.h"
#include "util/xmalloc.h"

enum verdict { SVC_UNKNOWN, SVC_UNUSED, SVC_USED };

void
lp_drop_add(struct lp_ctx *c, const char *what, const char *fmt, ...)
{
	struct lp_result *r = c->out;
	struct buf why;
	va_list ap;

	if (r->n_dropped == c->cap_dropped) {
		c->cap_dropped = c->cap_dropped ? 2 * c->cap_dropped : 16;
		r->dropped = xrealloc(r->dropped, c->cap_dropped * sizeof(*r->dropped));
	}
	buf_init(&why, 0);
	va_start(ap, fmt);
	buf_vprintf(&why, fmt, ap);
	va_end(ap);
	r->dropped[r->n_dropped].what = xstrdup(what);
	r->dropped[r->n_dropped++].why = xstrdup(buf_cstr(&why));
	buf_release(&why);
}

static void
add_literal(const char *s, void *ctx)
{
	size_t i;

	if (strpbrk(s, "*?"))
		return;
	i = iam_catalog_index(s);
	if (i != (size_t)-1)
		iam_set_add(ctx, i);
}

static int
literal_statement(const cJSON *stmt, void *ctx)
{
	if (policy_statement_is_allow(stmt))
		policy_statement_strings(stmt, "Action", add_literal, ctx);
	return 0;
}

/* The advisor's entry of a service, or NULL when it has no verdict to give. */
static const cJSON *
advisor_entry(const struct lp_ctx *c, const char *ns)
{
	const cJSON *attrs = c->role->attrs, *svc;
	const char *status = json_str(attrs, "LastAccessed.JobStatus");
	const char *created = json_str(attrs, "CreateDate");
	time_t born;

	if (status && strcasecmp(status, "COMPLETED"))
		return NULL;
	if (created && !perm_parse_time(created, &born) && born > c->cutoff)
		return NULL; /* too young to judge, as SHR-PERM-008 */
	cJSON_ArrayForEach(svc, json_path(attrs, "LastAccessed.ServicesLastAccessed"))
	{
		const char *name = json_str(svc, "ServiceNamespace");

		if (name && !strcasecmp(name, ns))
			return svc;
	}
	return NULL;
}

/* 1 when last is a time within the window. */
static int
recent(const struct lp_ctx *c, const char *last)
{
	time_t t;

	return last && !perm_parse_time(last, &t) && t >= c->cutoff;
}

/* The tracked entry of an action ("s3:GetBucketLocation") in a service entry, or NULL. */
static const cJSON *
tracked(const cJSON *svc, const char *action)
{
	const cJSON *t;
	const char *name = strchr(action, ':') + 1;

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(svc, "TrackedActionsLastAccessed"))
	{
		const char *n = json_str(t, "ActionName");

		if (n && !strcasecmp(n, name))
			return t;
	}
	return NULL;
}

/* 1 when the service has touched resources and none is of a type the action acts on. */
static int
off_resources(const struct lp_ctx *c, const struct iam_action *a)
{
	size_t i;
	int seen = 0;

	if (lp_action_any_resource(a))
		return 0;
	for (i = 0; i < c->n_touch; i++) {
		if (strcmp(c->touch[i].service, a->service))
			continue;
		seen = 1;
		if (lp_action_takes(a, c->touch[i].type))
			return 0;
	}
	return seen;
}

/* Rule 3 for an action a wildcard grants: 1 to keep, else a drop is recorded. */
static int
keep_wildcard_action(struct lp_ctx *c, size_t i)
{
	const struct iam_action *a = iam_catalog_at(i);

	if (iam_set_has(&c->literal, i))
		return 1;
	if (a->access == IAM_PERMISSIONS || a->access == IAM_TAGGING) {
		lp_drop_add(c, a->name, "%s action granted only by a wildcard",
		            iam_access_name(a->access));
		return 0;
	}
	if (off_resources(c, a)) {
		lp_drop_add(c, a->name,
		            "granted only by a wildcard; acts on none of the %s resources the "
		            "functions touch",
		            a->service);
		return 0;
	}
	return 1;
}

static void
judge_service(struct lp_ctx *c, const char *ns, size_t first, size_t n)
{
	const cJSON *svc = advisor_entry(c, ns);
	const char *last = json_str(svc, "LastAuthenticated");
	enum verdict v = !svc ? SVC_UNKNOWN : recent(c, last) ? SVC_USED : SVC_UNUSED;
	size_t i;

	if (v == SVC_UNUSED) {
		lp_drop_add(c, ns, "%s%.10s (access advisor), more than %d days%s",
		            last ? "last used " : "never used", last ? last : "", c->days,
		            iam_set_count_range(&c->needed, first, n)
		                    ? "; what Lambda needs is kept"
		                    : "");
		return;
	}
	for (i = first; i < first + n; i++) {
		const cJSON *t;

		if (!iam_set_has(&c->ev.any, i) || iam_set_has(&c->needed, i))
			continue;
		t = v == SVC_USED ? tracked(svc, iam_catalog_at(i)->name) : NULL;
		if (t && !recent(c, json_str(t, "LastAccessedTime"))) {
			lp_drop_add(c, iam_catalog_at(i)->name,
			            "tracked by the access advisor, not used in %d days", c->days);
			continue;
		}
		if (t || keep_wildcard_action(c, i))
			iam_set_add(&c->keep, i);
	}
}

static void
keep_needs(struct lp_ctx *c)
{
	size_t i;

	for (i = 0; i < c->n_need; i++) {
		size_t k = c->need[i].action;

		if (iam_set_has(&c->ev.any, k)) {
			iam_set_add(&c->keep, k);
			iam_set_add(&c->needed, k);
		} else if (!iam_set_has(&c->needed, k)) {
			buf_printf(&c->notes, "not granted, not added: %s (%s)\n",
			           iam_catalog_at(k)->name, c->need[i].why);
			iam_set_add(&c->needed, k); /* noted once */
		}
	}
	iam_set_intersect(&c->needed, &c->ev.any);
}

static int
by_what(const void *a, const void *b)
{
	const struct lp_drop *x = a, *y = b;
	int xs = !strchr(x->what, ':'), ys = !strchr(y->what, ':');

	if (xs != ys)
		return ys - xs;
	return strcmp(x->what, y->what);
}

void
lp_judge(struct lp_ctx *c)
{
	size_t s, first, n;
	const char *ns;

	iam_set_init(&c->literal);
	iam_set_init(&c->keep);
	iam_set_init(&c->needed);
	for (s = 0; s < c->ev.n_pol; s++)
		if (c->ev.pol[s].doc)
			policy_each_statement(c->ev.pol[s].doc, literal_statement, &c->literal);
	keep_needs(c); /* first: what Lambda needs is never judged by use */
	for (s = 0; (ns = iam_catalog_service_at(s, &first, &n)); s++)
		if (iam_set_count_range(&c->ev.any, first, n))
			judge_service(c, ns, first, n);
	if (c->out->n_dropped)
		qsort(c->out->dropped, c->out->n_dropped, sizeof(*c->out->dropped), by_what);
}
