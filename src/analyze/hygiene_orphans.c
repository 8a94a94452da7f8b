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

static void
check_orphan_log_group(const struct amodel *m, const struct am_res *lg, struct findings *out)
{
	const char *name = lg->name, *fn_name, *dot;
	char region[32], part[16], acct[16], arn[600];
	double bytes = 0;

	if (strncmp(name, "/aws/lambda/", 12) || !name[12])
		return;
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
	snprintf(arn, sizeof(arn), "arn:%s:lambda:%s:%s:function:%s", *part ? part : "aws", region,
	         *acct ? acct : m->account, fn_name);
	if (amodel_find(m, arn) || custom_log_group_user(m, lg))
		return;
	json_num(lg->attrs, "storedBytes", &bytes);
	findings_add(out, "SHR-HYG-007", lg->arn, "",
	             "log group %s: no function %s in %s (%.1f MB stored)", name, fn_name, region,
	             bytes / 1e6);
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

static int
role_in_use(const struct amodel *m, const struct am_res *role)
{
	const cJSON *v;
	size_t i;

	for (i = 0; i < role->n_in; i++)
		if (m->edges[role->in[i]].kind == MODEL_EDGE_ASSUMES)
			return 1;
	for (i = 0; i < m->n_res; i++) {
		const char *r = json_str(m->res[i].attrs, "Role");

		if (m->res[i].kind != MODEL_FUNCTION)
			continue;
		if (r && !strcmp(r, role->arn))
			return 1;
		cJSON_ArrayForEach(v, json_path(m->res[i].attrs, "Versions"))
		{
			r = json_str(v, "Role");
			if (r && !strcmp(r, role->arn))
				return 1;
		}
	}
	return 0;
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

static void
check_orphan_role(const struct amodel *m, const struct analyze_opts *o, const struct am_res *role,
                  time_t now, struct findings *out)
{
	const char *path = json_str(role->attrs, "Path");
	const char *used = json_str(role->attrs, "RoleLastUsed.LastUsedDate");
	const char *where = json_str(role->attrs, "RoleLastUsed.Region");
	char last[120] = "never used", date[16];
	long ago = -1;
	time_t t;
	struct finding *f;

	if ((path && !strncmp(path, "/aws-service-role/", 18)) || !lambda_only_trust(role) ||
	    role_in_use(m, role))
		return;
	if (used && !analyze_parse_time(used, &t)) {
		ago = (long)(analyze_day(now) - analyze_day(t));
		analyze_format_date(t, date, sizeof(date));
		snprintf(last, sizeof(last), "last used %s (%ld days ago%s%s)", date, ago,
		         where ? " in " : "", where ? where : "");
	}
	f = findings_add(out, "SHR-HYG-008", role->arn, "",
	                 "role %s trusts only Lambda and no function runs as it; %s", role->name,
	                 last);
	if (ago >= 0 && ago <= o->unused_days && where && !region_has_functions(m, where))
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

static void
check_layer(const struct amodel *m, const struct am_res *layer, struct findings *out)
{
	const cJSON *v;
	size_t i;

	for (i = 0; i < m->n_res; i++) {
		if (m->res[i].kind != MODEL_FUNCTION)
			continue;
		if (layer_used_by(json_path(m->res[i].attrs, "Layers"), layer->arn))
			return;
		cJSON_ArrayForEach(v, json_path(m->res[i].attrs, "Versions"))
		{
			if (layer_used_by(json_path(v, "Layers"), layer->arn))
				return;
		}
	}
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
