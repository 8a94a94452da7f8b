/*
 * The least-privilege builder's entry points (least_privilege.h): gather
 * (lp_needs.c), judge (lp_usage.c), write (lp_policy.c), then the diff
 * against the current documents and the explanation.
 */
#include "analyze/least_privilege.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/json_diff.h"
#include "analyze/lp_int.h"
#include "analyze/perm.h"
#include "util/json.h"
#include "util/xmalloc.h"

#define DAY_S        86400
#define IAM_ROLE_MAX 64 /* characters of a role name */

static const char *
role_name(const struct am_res *role)
{
	const char *n = json_str(role->attrs, "RoleName");

	return n ? n : role->name;
}

/* The current documents as one object: "inline NAME" and "managed ARN" members. */
static cJSON *
current_documents(const struct am_res *role)
{
	const cJSON *attrs = role->attrs, *x;
	const cJSON *docs = cJSON_GetObjectItemCaseSensitive(attrs, "ManagedPolicyDocuments");
	cJSON *all = cJSON_CreateObject();
	char key[1200];

	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(attrs, "RolePolicyList"))
	{
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(x, "PolicyDocument");

		snprintf(key, sizeof(key), "inline %s",
		         json_str(x, "PolicyName") ? json_str(x, "PolicyName") : "?");
		cJSON_AddItemToObject(all, key, d ? cJSON_Duplicate(d, 1) : cJSON_CreateNull());
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(attrs, "AttachedManagedPolicies"))
	{
		const char *arn = json_str(x, "PolicyArn");
		const cJSON *d = arn && cJSON_IsObject(docs)
		                         ? cJSON_GetObjectItemCaseSensitive(docs, arn)
		                         : NULL;

		snprintf(key, sizeof(key), "managed %s", arn ? arn : "?");
		cJSON_AddItemToObject(all, key,
		                      d ? cJSON_Duplicate(d, 1)
		                        : cJSON_CreateString("(document not collected)"));
	}
	return all;
}

static int
make_diff(const struct am_res *role, struct lp_result *r, struct err *err)
{
	cJSON *before = current_documents(role), *after = cJSON_CreateObject();
	char key[256], la[512], lb[512];
	int rc;

	snprintf(key, sizeof(key), "inline %s", r->policy_name);
	cJSON_AddItemToObject(after, key, cJSON_Duplicate(r->policy, 1));
	snprintf(la, sizeof(la), "%s: current policies", role_name(role));
	snprintf(lb, sizeof(lb), "%s: least privilege", role_name(role));
	rc = json_diff(before, after, la, lb, JSON_DIFF_CONTEXT, &r->diff, err);
	cJSON_Delete(before);
	cJSON_Delete(after);
	return rc;
}

/* Dropped actions, one line per reason; whole services one a line. */
static void
explain_drops(const struct lp_result *r, struct buf *b)
{
	size_t i, k, n;

	for (i = 0; i < r->n_dropped; i++) {
		const char *why = r->dropped[i].why;
		int first = 1;

		if (!strchr(r->dropped[i].what, ':')) {
			buf_printf(b, "dropped %s: %s\n", r->dropped[i].what, why);
			continue;
		}
		for (k = 0; k < i && first; k++)
			first = !strchr(r->dropped[k].what, ':') || strcmp(r->dropped[k].why, why);
		if (!first)
			continue;
		for (k = i, n = 0; k < r->n_dropped; k++)
			n += strchr(r->dropped[k].what, ':') && !strcmp(r->dropped[k].why, why);
		buf_printf(b, "dropped %zu action(s), %s:", n, why);
		for (k = i, n = 0; k < r->n_dropped && n < 8; k++)
			if (strchr(r->dropped[k].what, ':') && !strcmp(r->dropped[k].why, why))
				buf_printf(b, "%s %s", n++ ? "," : "", r->dropped[k].what);
		buf_puts(b, n == 8 ? ", ...\n" : "\n");
	}
}

static void
explain(struct lp_ctx *c, const struct lp_input *in)
{
	struct lp_result *r = c->out;
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_printf(&b, "role %s, used by %zu function(s)%s", role_name(in->role), c->n_fns,
	           c->n_fns ? ":" : " (nothing Lambda needs is known)");
	for (i = 0; i < c->n_fns; i++)
		buf_printf(&b, " %s", c->fns[i]->name);
	buf_printf(&b, "%s\nunused means not used in the %d days before the scan\n",
	           r->shared ? " (shared: the policy covers them all; split offers one role each)"
	                     : "",
	           c->days);
	buf_puts(&b, buf_cstr(&c->notes));
	explain_drops(r, &b);
	if (r->compress == LP_COMPRESS_EXACT)
		buf_printf(&b,
		           "compressed to %zu characters: action prefixes that match only kept "
		           "actions (new AWS actions with those prefixes would match too)\n",
		           r->size);
	else if (r->compress == LP_COMPRESS_WIDENED)
		buf_printf(&b,
		           "compressed to %zu characters: verb prefixes (service:Get*) that grant "
		           "more than was kept, to fit IAM's %d\n",
		           r->size, LP_POLICY_MAX);
	r->explain = buf_take(&b, NULL);
}

static void
count_wildcards(struct lp_ctx *c)
{
	size_t k;

	for (k = 0; k < c->ev.n_g; k++) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(c->ev.g[k].stmt, "Action"), *x;
		const cJSON *list = cJSON_IsArray(a) ? a : NULL;
		int wild = c->ev.g[k].wide || !a;

		if (cJSON_IsString(a))
			wild |= strchr(a->valuestring, '*') || strchr(a->valuestring, '?');
		cJSON_ArrayForEach(x, list)
		{
			if (cJSON_IsString(x))
				wild |= strchr(x->valuestring, '*') || strchr(x->valuestring, '?');
		}
		c->out->n_wildcards += wild != 0;
	}
}

static void
fill_result(struct lp_ctx *c, const struct lp_input *in)
{
	struct lp_result *r = c->out;
	char name[256];
	size_t i;

	snprintf(name, sizeof(name), "%s-least-privilege", role_name(in->role));
	r->policy_name = xstrdup(name);
	r->shared = c->n_fns > 1;
	r->n_functions = c->n_fns;
	r->functions = xcalloc(c->n_fns + 1, sizeof(*r->functions));
	for (i = 0; i < c->n_fns; i++)
		r->functions[i] = xstrdup(c->fns[i]->arn);
	count_wildcards(c);
}

int
lp_build(const struct lp_input *in, struct lp_result *out, struct err *err)
{
	struct lp_ctx c;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!in || !in->m || !in->role || in->role->kind != MODEL_ROLE)
		return err_set(err, ERR_USAGE, "least privilege needs a role");
	memset(&c, 0, sizeof(c));
	c.m = in->m;
	c.role = in->role;
	c.out = out;
	c.days = in->unused_days > 0 ? in->unused_days : PERM_UNUSED_DAYS_DEFAULT;
	c.now = in->now ? in->now : in->m->scanned ? in->m->scanned : time(NULL);
	c.cutoff = c.now - (time_t)c.days * DAY_S;
	rc = perm_eval_role(&c.ev, in->role->arn, in->role->attrs, NULL, err);
	if (rc)
		return rc;
	buf_init(&c.notes, 0);
	lp_gather(&c, in);
	lp_judge(&c);
	fill_result(&c, in);
	rc = lp_write_policy(&c, err);
	if (!rc)
		rc = make_diff(in->role, out, err);
	if (!rc)
		explain(&c, in);
	buf_release(&c.notes);
	iam_set_release(&c.literal);
	iam_set_release(&c.keep);
	iam_set_release(&c.needed);
	lp_gather_release(&c);
	perm_eval_release(&c.ev);
	if (rc)
		lp_result_release(out);
	return rc;
}

void
lp_result_release(struct lp_result *r)
{
	size_t i;

	if (!r)
		return;
	cJSON_Delete(r->policy);
	free(r->policy_name);
	free(r->diff);
	free(r->explain);
	for (i = 0; i < r->n_functions; i++)
		free(r->functions[i]);
	free(r->functions);
	for (i = 0; i < r->n_dropped; i++) {
		free(r->dropped[i].what);
		free(r->dropped[i].why);
	}
	free(r->dropped);
	memset(r, 0, sizeof(*r));
}

int
lp_build_split(const struct lp_input *in, struct lp_split **out, size_t *n, struct err *err)
{
	struct lp_result all;
	struct lp_split *v;
	size_t i;
	int rc = lp_build(in, &all, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	v = xcalloc(all.n_functions + 1, sizeof(*v));
	for (i = 0; i < all.n_functions && !rc; i++) {
		struct lp_input one = *in;
		const char *fn_arn = all.functions[i], *fn = strrchr(fn_arn, ':') + 1;
		char name[512];

		one.functions = &fn_arn;
		one.n_functions = 1;
		snprintf(name, sizeof(name), "%s-%s", role_name(in->role), fn);
		name[IAM_ROLE_MAX] = '\0';
		v[i].function = xstrdup(fn_arn);
		v[i].role_name = xstrdup(name);
		rc = lp_build(&one, &v[i].r, err);
	}
	*n = i;
	lp_result_release(&all);
	if (rc) {
		lp_split_free(v, *n);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}

void
lp_split_free(struct lp_split *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].function);
		free(v[i].role_name);
		lp_result_release(&v[i].r);
	}
	free(v);
}
