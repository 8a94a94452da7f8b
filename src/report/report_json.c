/*
 * The JSON report: schema "shears-report", version 1, documented field by
 * field in man/shears-report.5 and checked by tests/data/report-schema.json.
 * Additive changes keep version 1; a rename or removal bumps it.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

#define REPORT_JSON_VERSION 1

static const char *const json_statuses[] = { "open", "accepted", "fixed" };
static const char *const json_families[] = { "secrets",  "dependencies", "permissions",
	                                     "exposure", "hygiene",      "behaviour" };

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static cJSON *
json_time(time_t t)
{
	char when[REPORT_TIME_LEN];

	report_time(t, when);
	return report_jstr(when);
}

static cJSON *
json_time_or_null(time_t t)
{
	char when[REPORT_TIME_LEN];

	if (!t)
		return report_jneed(cJSON_CreateNull());
	report_time(t, when);
	return report_jstr(when);
}

/* Adds 1 to obj[key], creating the member at 1 (for keys not listed in advance). */
static void
json_count(cJSON *obj, const char *key)
{
	cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (n)
		cJSON_SetNumberValue(n, n->valuedouble + 1);
	else
		report_jadd(obj, key, cJSON_CreateNumber(1));
}

static cJSON *
json_zeroes(const char *const *keys, size_t n)
{
	cJSON *obj = report_jneed(cJSON_CreateObject());
	size_t i;

	for (i = 0; i < n; i++)
		report_jadd(obj, keys[i], cJSON_CreateNumber(0));
	return obj;
}

static cJSON *
json_summary(const struct report *r)
{
	static const char *const sevs[] = { "critical", "high", "medium", "low", "info" };
	cJSON *sum = report_jneed(cJSON_CreateObject());
	cJSON *by_sev = json_zeroes(sevs, N_ELEMS(sevs));
	cJSON *by_status = json_zeroes(json_statuses, N_ELEMS(json_statuses));
	cJSON *by_family = json_zeroes(json_families, N_ELEMS(json_families));
	size_t i;

	for (i = 0; i < r->n_items; i++) {
		const struct finding *f = r->items[i].f;
		char *status = report_utf8_valid(report_status(&r->items[i]));
		char *family = report_utf8_valid(f->rule->family);

		json_count(by_sev, severity_name(f->severity));
		json_count(by_status, status);
		json_count(by_family, family);
		free(status);
		free(family);
	}
	report_jadd(sum, "total", cJSON_CreateNumber((double)r->n_items));
	report_jadd(sum, "severity", by_sev);
	report_jadd(sum, "status", by_status);
	report_jadd(sum, "family", by_family);
	return sum;
}

static cJSON *
json_finding(const struct report_item *it)
{
	const struct finding *f = it->f;
	const struct rule *rule = f->rule;
	cJSON *o = report_jneed(cJSON_CreateObject());
	char id[REPORT_ID_LEN];

	report_finding_id(f, id);
	report_jadd(o, "id", report_jstr(id));
	report_jadd(o, "rule", report_jstr(rule->id));
	report_jadd(o, "family", report_jstr(rule->family));
	report_jadd(o, "title", report_jstr(rule->title));
	report_jadd(o, "severity", report_jstr(severity_name(f->severity)));
	report_jadd(o, "status", report_jstr(report_status(it)));
	report_jadd(o, "reason", report_jstr(it->reason));
	report_jadd(o, "until", report_jstr(it->until));
	report_jadd(o, "resource", report_jstr(f->resource ? f->resource : ""));
	report_jadd(o, "resource_name", report_jstr(it->resource_name));
	report_jadd(o, "region", report_jstr(it->region));
	report_jadd(o, "location", report_jstr(f->location ? f->location : ""));
	report_jadd(o, "evidence", report_jstr(f->evidence ? f->evidence : ""));
	report_jadd(o, "remedy", report_jstr(remedy_name(rule->remedy)));
	report_jadd(o, "fix", report_jstr(rule->fix));
	report_jadd(o, "why", report_jstr(rule->why));
	report_jadd(o, "owasp", report_jstr(rule->owasp));
	report_jadd(o, "reference", report_jstr(rule->reference));
	return o;
}

static cJSON *
json_score(const struct report *r, const struct report_score *s)
{
	cJSON *o = report_jneed(cJSON_CreateObject());
	cJSON *ids = report_jneed(cJSON_CreateArray());
	char id[REPORT_ID_LEN];
	size_t i;

	report_jadd(o, "arn", report_jstr(s->arn ? s->arn : ""));
	report_jadd(o, "name", report_jstr(s->name));
	report_jadd(o, "region", report_jstr(s->region));
	report_jadd(o, "score", cJSON_CreateNumber(s->score));
	report_jadd(o, "base", cJSON_CreateNumber(s->base));
	report_jadd(o, "public_entry", cJSON_CreateBool(s->public_entry != 0));
	report_jadd(o, "reaches_data", cJSON_CreateBool(s->reaches_data != 0));
	for (i = 0; i < r->n_items; i++) {
		if (!report_score_owns(s, r->items[i].f))
			continue;
		report_finding_id(r->items[i].f, id);
		if (!cJSON_AddItemToArray(ids, report_jstr(id)))
			abort();
	}
	report_jadd(o, "findings", ids);
	return o;
}

static cJSON *
json_tool(const struct report *r)
{
	cJSON *tool = report_jneed(cJSON_CreateObject());

	report_jadd(tool, "name", report_jstr("shears"));
	report_jadd(tool, "version", report_jstr(r->tool_version ? r->tool_version : ""));
	return tool;
}

int
report_json_write(FILE *out, const struct report *r, struct err *err)
{
	cJSON *root = report_jneed(cJSON_CreateObject());
	cJSON *findings = report_jneed(cJSON_CreateArray());
	cJSON *scores = report_jneed(cJSON_CreateArray());
	size_t i;

	report_jadd(root, "schema", report_jstr("shears-report"));
	report_jadd(root, "version", cJSON_CreateNumber(REPORT_JSON_VERSION));
	report_jadd(root, "tool", json_tool(r));
	report_jadd(root, "source", report_jstr(r->source ? r->source : "cache"));
	report_jadd(root, "target", report_jstr(r->target ? r->target : ""));
	report_jadd(root, "generated", json_time(r->generated));
	report_jadd(root, "scanned", json_time_or_null(r->scanned));
	report_jadd(root, "summary", json_summary(r));
	for (i = 0; i < r->n_items; i++) {
		if (!cJSON_AddItemToArray(findings, json_finding(&r->items[i])))
			abort();
	}
	report_jadd(root, "findings", findings);
	for (i = 0; i < r->n_scores; i++) {
		if (!cJSON_AddItemToArray(scores, json_score(r, &r->scores[i])))
			abort();
	}
	report_jadd(root, "scores", scores);
	return report_jemit(out, root, err);
}
