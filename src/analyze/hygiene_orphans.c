/*
 * Leftovers nobody uses: log groups that keep events forever, log groups
 * and roles of functions that are gone, layer versions no function uses.
 *
 * Orphaned role, precisely: a role whose trust policy lets only
 * lambda.amazonaws.com / edgelambda.amazonaws.com assume it (any other
 * principal means another service or a person uses it: not a Lambda
 * orphan), that is not service-linked (path /aws-service-role/), and that
 * no function in the model (nor a published version of one) runs as. When
 * IAM says it was used recently in a region where the model has no
 * function, a function outside the scanned regions may run as it: info.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/check_util.h"
#include "analyze/hygiene.h"
#include "util/json.h"
#include "util/policy.h"

static void
check_retention(const struct am_res *lg, struct findings *out)
{
	double bytes = 0;

	if (json_path(lg->attrs, "retentionInDays"))
		return;
	json_num(lg->attrs, "storedBytes", &bytes);
	findings_add(out, "SHR-HYG-006", lg->arn, "retentionInDays",
	             "log group %s has no retentionInDays: its events are kept forever (%.1f MB "
	             "stored)",
	             lg->name, bytes / 1e6);
}

/* A function uses the group through LoggingConfig.LogGroup (a custom group). */
static int
custom_log_group_user(const struct amodel *m, const struct am_res *lg)
{
	size_t i;

	for (i = 0; i < m->n_res; i++) {
		const char *g = json_str(m->res[i].attrs, "LoggingConfig.LogGroup");

		if (m->res[i].kind == MODEL_FUNCTION && g && !strcmp(g, lg->name) &&
		    !strcmp(m->res[i].region, lg->region))
			return 1;
	}
	return 0;
}

int
hygiene_log_group_orphaned(const struct amodel *m, const struct am_res *lg, char *fn_arn, size_t n)
{
	const char *name = lg->name, *fn_name, *dot;
	char region[32], part[16], acct[16];

	if (strncmp(name, "/aws/lambda/", 12) || !name[12])
		return 0;
	fn_name = name + 12;
	snprintf(region, sizeof(region), "%s", lg->region);
	/* function names have no dots: Lambda@Edge logs as /aws/lambda/us-east-1.NAME */
	dot = strchr(fn_name, '.');
	if (dot && dot - fn_name < (long)sizeof(region)) {
		snprintf(region, sizeof(region), "%.*s", (int)(dot - fn_name), fn_name);
		fn_name = dot + 1;
	}
	analyze_arn_field(lg->arn, 1, part, sizeof(part));
	analyze_arn_field(lg->arn, 4, acct, sizeof(acct));
	snprintf(fn_arn, n, "arn:%s:lambda:%s:%s:function:%s", *part ? part : "aws", region,
	         *acct ? acct : m->account, fn_name);
	return !amodel_find(m, fn_arn) && !custom_log_group_user(m, lg);
}

static void
check_orphan_log_group(const struct amodel *m, const struct am_res *lg, struct findings *out)
{
	char arn[600], region[32];
	double bytes = 0;

	if (!hygiene_log_group_orphaned(m, lg, arn, sizeof(arn)))
		return;
	analyze_arn_field(arn, 3, region, sizeof(region));
	json_num(lg->attrs, "storedBytes", &bytes);
	findings_add(out, "SHR-HYG-007", lg->arn, "",
	             "log group %s: no function %s in %s (%.1f MB stored)", lg->name,
	             strrchr(arn, ':') + 1, region, bytes / 1e6);
}

struct trust {
	int lambda, other;
};

static int
trust_statement(const cJSON *stmt, void *ctx)
{
	struct trust *t = ctx;
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(stmt, "Principal"), *m, *v;

	if (!policy_statement_is_allow(stmt) ||
	    !policy_statement_covers_action(stmt, "sts:AssumeRole"))
		return 0;
	if (!cJSON_IsObject(p)) {
		t->other = 1; /* "*" or NotPrincipal: anyone */
		return 0;
	}
	cJSON_ArrayForEach(m, p)
	{
		const cJSON *vals = m;

		if (!m->string || strcmp(m->string, "Service")) {
			t->other = 1;
			continue;
		}
		if (cJSON_IsString(vals)) {
			int l = !strcmp(vals->valuestring, "lambda.amazonaws.com") ||
			        !strcmp(vals->valuestring, "edgelambda.amazonaws.com");
			t->lambda |= l;
			t->other |= !l;
			continue;
		}
		cJSON_ArrayForEach(v, vals)
		{
			int l = cJSON_IsString(v) &&
			        (!strcmp(v->valuestring, "lambda.amazonaws.com") ||
			         !strcmp(v->valuestring, "edgelambda.amazonaws.com"));
			t->lambda |= l;
			t->other |= !l;
		}
	}
	return 0;
}

/* 1 when only Lambda may assume the role. */
static int
lambda_only_trust(const struct am_res *role)
{
	const cJSON *doc = json_path(role->attrs, "AssumeRolePolicyDocument");
	cJSON *decoded = NULL;
	struct trust t = { 0, 0 };

	if (cJSON_IsString(doc))
		doc = decoded = policy_decode(doc->valuestring, NULL);
	policy_each_statement(doc, trust_statement, &t);
	cJSON_Delete(decoded);
	return t.lambda && !t.other;
}

/* The function (or published version's function) running as role; NULL when none. */
static const char *
role_user(const struct amodel *m, const struct am_res *role)
{
	const cJSON *v;
	size_t i;

	for (i = 0; i < role->n_in; i++)
		if (m->edges[role->in[i]].kind == MODEL_EDGE_ASSUMES)
			return m->edges[role->in[i]].src;
	for (i = 0; i < m->n_res; i++) {
		const char *r = json_str(m->res[i].attrs, "Role");

		if (m->res[i].kind != MODEL_FUNCTION)
			continue;
		if (r && !strcmp(r, role->arn))
			return m->res[i].arn;
		cJSON_ArrayForEach(v, json_path(m->res[i].attrs, "Versions"))
		{
			r = json_str(v, "Role");
			if (r && !strcmp(r, role->arn))
				return m->res[i].arn;
		}
	}
	return NULL;
}

static int
region_has_functions(const struct amodel *m, const char *region)
{
	size_t i;

	for (i = 0; region && i < m->n_res; i++)
		if (m->res[i].kind == MODEL_FUNCTION && !strcmp(m->res[i].region, region))
			return 1;
	return 0;
}

enum hygiene_role_verdict
hygiene_role_use(const struct amodel *m, const struct analyze_opts *o, const struct am_res *role,
                 time_t now, struct hygiene_role_use *u)
{
	const char *path = json_str(role->attrs, "Path");
	const char *used = json_str(role->attrs, "RoleLastUsed.LastUsedDate");
	char date[16];
	time_t t;

	memset(u, 0, sizeof(*u));
	u->days_ago = -1;
	u->region = json_str(role->attrs, "RoleLastUsed.Region");
	snprintf(u->last, sizeof(u->last), "never used");
	if (used && !analyze_parse_time(used, &t)) {
		u->days_ago = (long)(analyze_day(now) - analyze_day(t));
		analyze_format_date(t, date, sizeof(date));
		snprintf(u->last, sizeof(u->last), "last used %s (%ld days ago%s%s)", date,
		         u->days_ago, u->region ? " in " : "", u->region ? u->region : "");
	}
	u->recent = u->days_ago >= 0 && u->days_ago <= o->unused_days;
	u->user = role_user(m, role);
	if (path && !strncmp(path, "/aws-service-role/", 18))
		return u->verdict = HYG_ROLE_SERVICE_LINKED;
	if (!lambda_only_trust(role))
		return u->verdict = HYG_ROLE_NOT_LAMBDA_ONLY;
	if (u->user)
		return u->verdict = HYG_ROLE_IN_USE;
	return u->verdict = HYG_ROLE_ORPHAN;
}

static void
check_orphan_role(const struct amodel *m, const struct analyze_opts *o, const struct am_res *role,
                  time_t now, struct findings *out)
{
	struct hygiene_role_use u;
	struct finding *f;

	if (hygiene_role_use(m, o, role, now, &u) != HYG_ROLE_ORPHAN)
		return;
	f = findings_add(out, "SHR-HYG-008", role->arn, "",
	                 "role %s trusts only Lambda and no function runs as it; %s", role->name,
	                 u.last);
	if (u.recent && u.region && !region_has_functions(m, u.region))
		f->severity = SEV_INFO; /* a function outside the scanned regions may use it */
}

static int
layer_used_by(const cJSON *layers, const char *arn)
{
	const cJSON *l;

	cJSON_ArrayForEach(l, layers)
	{
		const char *a = json_str(l, "Arn");

		if (a && !strcmp(a, arn))
			return 1;
	}
	return 0;
}

const char *
hygiene_layer_user(const struct amodel *m, const struct am_res *layer)
{
	const cJSON *v;
	size_t i;

	for (i = 0; i < m->n_res; i++) {
		if (m->res[i].kind != MODEL_FUNCTION)
			continue;
		if (layer_used_by(json_path(m->res[i].attrs, "Layers"), layer->arn))
			return m->res[i].arn;
		cJSON_ArrayForEach(v, json_path(m->res[i].attrs, "Versions"))
		{
			if (layer_used_by(json_path(v, "Layers"), layer->arn))
				return m->res[i].arn;
		}
	}
	return NULL;
}

static void
check_layer(const struct amodel *m, const struct am_res *layer, struct findings *out)
{
	if (hygiene_layer_user(m, layer))
		return;
	findings_add(out, "SHR-HYG-009", layer->arn, "",
	             "layer version %s is used by no function or published version in the model",
	             layer->name);
}

void
hygiene_check_orphans(const struct amodel *m, const struct analyze_opts *o, time_t now,
                      struct findings *out)
{
	size_t i;

	for (i = 0; i < m->n_res; i++) {
		const struct am_res *r = &m->res[i];

		if (r->kind == MODEL_LOG_GROUP) {
			check_retention(r, out);
			check_orphan_log_group(m, r, out);
		} else if (r->kind == MODEL_ROLE) {
			check_orphan_role(m, o, r, now, out);
		} else if (r->kind == MODEL_LAYER) {
			check_layer(m, r, out);
		}
	}
}
