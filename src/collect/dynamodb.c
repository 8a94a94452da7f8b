/*
 * DynamoDB: ListTables (paged by LastEvaluatedTableName), then per table
 * DescribeTable; attrs are the Table object, LatestStreamArn included (the
 * stream event source mappings point at it). A table that cannot be
 * described is kept as listed. --quick: only ListTables; a table described
 * before keeps its description.
 */
#include "collect/collectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/svc_int.h"
#include "util/json.h"

static void dynamodb_list(struct collect_scan *scan, const char *region, const char *start);

/* A table that could not be described is kept (listed, not read), its ARN built. */
static void
dynamodb_keep_listed(struct collect_scan *scan, const char *region, const char *name)
{
	char arn[512];

	snprintf(arn, sizeof(arn), "arn:aws:dynamodb:%s:%s:table/%s", region, collect_account(scan),
	         name);
	collect_resource(scan, MODEL_TABLE, arn, name, region, cJSON_CreateObject());
}

static void
dynamodb_describe_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                       const struct err *err)
{
	struct svc_call *c = user;
	cJSON *j = NULL, *table;
	const char *arn;

	if (svc_failed(scan, err, "dynamodb", c->region, "DescribeTable",
	               "ResourceNotFoundException")) {
		if (!svc_is_code(err, "ResourceNotFoundException")) /* else deleted since */
			dynamodb_keep_listed(scan, c->region, c->name);
		goto out;
	}
	j = svc_json(scan, ans, "dynamodb", c->region, "DescribeTable", c->name);
	if (!j) {
		dynamodb_keep_listed(scan, c->region, c->name);
		goto out;
	}
	table = cJSON_DetachItemFromObjectCaseSensitive(j, "Table");
	arn = json_str(table, "TableArn");
	if (!arn) {
		struct err perr;

		err_clear(&perr);
		err_set(&perr, ERR_PARSE, "no TableArn in the answer");
		svc_parse_gap(scan, &perr, "dynamodb", c->region, "DescribeTable", c->name);
		cJSON_Delete(table);
		dynamodb_keep_listed(scan, c->region, c->name);
		goto out;
	}
	collect_resource(scan, MODEL_TABLE, arn, c->name, c->region, table);
out:
	cJSON_Delete(j);
	svc_call_free(c);
}

static void
dynamodb_list_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                   const struct err *err)
{
	struct svc_call *c = user;
	cJSON *j = NULL;
	const cJSON *t;
	const char *last;

	if (svc_failed(scan, err, "dynamodb", c->region, "ListTables", NULL))
		goto out;
	j = svc_json(scan, ans, "dynamodb", c->region, "ListTables", NULL);
	if (!j)
		goto out;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(j, "TableNames"))
	{
		static const char *const needed[] = { "TableArn", NULL };
		struct svc_call *d;
		cJSON *body, *prev;
		char arn[512];

		if (!cJSON_IsString(t))
			continue;
		snprintf(arn, sizeof(arn), "arn:aws:dynamodb:%s:%s:table/%s", c->region,
		         collect_account(scan), t->valuestring);
		prev = svc_reuse(scan, arn, needed);
		if (prev) { /* --quick: described by the previous scan */
			collect_resource(scan, MODEL_TABLE, arn, t->valuestring, c->region, prev);
			continue;
		}
		d = svc_call_new(c->region, NULL, t->valuestring);
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "TableName", t->valuestring);
		if (collect_call_json(scan, "dynamodb", "DescribeTable", c->region, body,
		                      dynamodb_describe_done, d))
			svc_call_free(d);
		cJSON_Delete(body);
	}
	last = json_str(j, "LastEvaluatedTableName");
	if (last && *last)
		dynamodb_list(scan, c->region, last);
out:
	cJSON_Delete(j);
	svc_call_free(c);
}

static void
dynamodb_list(struct collect_scan *scan, const char *region, const char *start)
{
	struct svc_call *c = svc_call_new(region, NULL, NULL);
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "Limit", 100);
	if (start)
		cJSON_AddStringToObject(body, "ExclusiveStartTableName", start);
	if (collect_call_json(scan, "dynamodb", "ListTables", region, body, dynamodb_list_done, c))
		svc_call_free(c);
	cJSON_Delete(body);
}

void
collect_dynamodb_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	if (phase != COLLECT_PHASE_LIST || !region)
		return;
	dynamodb_list(scan, region, NULL);
}
