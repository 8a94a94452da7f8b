/*
 * Lambda's own edges, from a function's collected attrs: its role
 * (assumes), its async and mapping failure destinations (invokes) and the
 * sources of its event source mappings (triggers). Also the two region-wide
 * listings that feed them: event source mappings and layers.
 *
 * Edges are drawn in the EDGES phase, once every collector has listed its
 * resources, so a DynamoDB stream can be drawn from its table when the
 * table was collected (the table is what a reviewer knows by name).
 */
#include "collect/lambda_int.h"

#include <stdio.h>
#include <string.h>

#include "util/json.h"

/* The service field of an ARN ("sqs" in arn:aws:sqs:...), into out. */
static void
arn_service(const char *arn, char *out, size_t n)
{
	const char *p = arn, *end;

	snprintf(out, n, "%s", "");
	if (!p || strncmp(p, "arn:", 4))
		return;
	p = strchr(p + 4, ':'); /* after the partition */
	if (!p)
		return;
	p++;
	end = strchr(p, ':');
	if (end)
		snprintf(out, n, "%.*s", (int)(end - p), p);
}

static const char *
source_label(const char *arn)
{
	char svc[32];

	arn_service(arn, svc, sizeof(svc));
	if (!strcmp(svc, "sqs"))
		return "SQS";
	if (!strcmp(svc, "dynamodb"))
		return "DynamoDB stream";
	if (!strcmp(svc, "kinesis"))
		return "Kinesis stream";
	if (!strcmp(svc, "kafka"))
		return "Kafka (MSK)";
	if (!strcmp(svc, "mq"))
		return "Amazon MQ";
	if (!strcmp(svc, "docdb") || !strcmp(svc, "rds"))
		return "DocumentDB stream";
	return "event source";
}

void
lambda_esm_source(struct collect_scan *scan, const char *source_arn, char *out, size_t n)
{
	const char *stream = source_arn ? strstr(source_arn, "/stream/") : NULL;
	char svc[32], table[512];

	snprintf(out, n, "%s", source_arn ? source_arn : "");
	arn_service(source_arn, svc, sizeof(svc));
	if (strcmp(svc, "dynamodb") || !stream)
		return;
	/* arn:aws:dynamodb:R:A:table/NAME/stream/LABEL belongs to arn:...:table/NAME */
	snprintf(table, sizeof(table), "%.*s", (int)(stream - source_arn), source_arn);
	if (collect_attrs(scan, table))
		snprintf(out, n, "%s", table);
}

static void
destination_edges(struct collect_scan *scan, const char *arn, const cJSON *dest, const char *why)
{
	static const char *const sides[] = { "OnSuccess", "OnFailure" };
	size_t i;

	for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		const cJSON *side = cJSON_GetObjectItemCaseSensitive(dest, sides[i]);
		const char *to = json_str(side, "Destination");

		if (to && *to)
			collect_edge(scan, arn, to, MODEL_EDGE_INVOKES, "%s %s destination", why,
			             sides[i]);
	}
}

static void
mapping_edges(struct collect_scan *scan, const char *arn, const cJSON *m)
{
	const char *src = json_str(m, "EventSourceArn");
	const char *uuid = json_str(m, "UUID");
	const char *state = json_str(m, "State");
	char from[512];

	if (src) {
		lambda_esm_source(scan, src, from, sizeof(from));
		collect_edge(scan, from, arn, MODEL_EDGE_TRIGGERS,
		             "%s event source mapping uuid %s (%s)", source_label(src),
		             uuid ? uuid : "?", state ? state : "?");
	} else {
		/* self-managed Kafka names brokers, not an ARN */
		const cJSON *servers =
		        json_path(m, "SelfManagedEventSource.Endpoints.KAFKA_BOOTSTRAP_SERVERS");
		const cJSON *first = cJSON_IsArray(servers) ? servers->child : NULL;

		if (cJSON_IsString(first)) {
			snprintf(from, sizeof(from), "kafka://%s", first->valuestring);
			collect_edge(scan, from, arn, MODEL_EDGE_TRIGGERS,
			             "self-managed Kafka event source mapping uuid %s (%s)",
			             uuid ? uuid : "?", state ? state : "?");
		}
	}
	destination_edges(scan, arn, json_path(m, "DestinationConfig"), "event source mapping");
}

/* A function URL is an entry point: drawn from the URL itself, its auth in the evidence. */
static void
url_edge(struct collect_scan *scan, const char *arn, const cJSON *url)
{
	const char *u = json_str(url, "FunctionUrl");
	const char *auth = json_str(url, "AuthType");
	const char *q = json_str(url, "FunctionArn");
	char unq[512];

	if (!u)
		return;
	lambda_unqualified(q, unq, sizeof(unq));
	if (q && strcmp(q, unq))
		collect_edge(scan, u, arn, MODEL_EDGE_TRIGGERS, "function URL of %s auth %s",
		             q + strlen(unq) + 1, auth ? auth : "?");
	else
		collect_edge(scan, u, arn, MODEL_EDGE_TRIGGERS, "function URL auth %s",
		             auth ? auth : "?");
}

void
lambda_function_edges(struct collect_scan *scan, const char *arn, const cJSON *attrs)
{
	const char *role = json_str(attrs, "Role");
	const cJSON *it;

	if (role)
		collect_edge(scan, arn, role, MODEL_EDGE_ASSUMES, "execution role");
	if (cJSON_IsArray(json_path(attrs, "Urls"))) {
		cJSON_ArrayForEach(it, json_path(attrs, "Urls"))
		{
			url_edge(scan, arn, it);
		}
	} else {
		url_edge(scan, arn, json_path(attrs, "Url"));
	}
	cJSON_ArrayForEach(it, json_path(attrs, "EventInvokeConfigs"))
	{
		char why[600];
		const char *q = json_str(it, "FunctionArn");
		char unq[512];

		lambda_unqualified(q, unq, sizeof(unq));
		if (q && strcmp(q, unq))
			snprintf(why, sizeof(why), "async invoke (%s)", q + strlen(unq) + 1);
		else
			snprintf(why, sizeof(why), "async invoke");
		destination_edges(scan, arn, json_path(it, "DestinationConfig"), why);
	}
	cJSON_ArrayForEach(it, json_path(attrs, "EventSourceMappings"))
	{
		mapping_edges(scan, arn, it);
	}
}

void
lambda_apply_esm_page(struct collect_scan *scan, const cJSON *answer)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, json_path(answer, "EventSourceMappings"))
	{
		char fn[512];
		cJSON *attrs, *list;

		lambda_unqualified(json_str(m, "FunctionArn"), fn, sizeof(fn));
		attrs = collect_attrs(scan, fn);
		if (!attrs) /* a function this scan did not list (deleted meanwhile) */
			continue;
		list = cJSON_GetObjectItemCaseSensitive(attrs, "EventSourceMappings");
		if (!cJSON_IsArray(list)) {
			cJSON_DeleteItemFromObjectCaseSensitive(attrs, "EventSourceMappings");
			list = cJSON_AddArrayToObject(attrs, "EventSourceMappings");
		}
		cJSON_AddItemToArray(list, cJSON_Duplicate(m, 1));
	}
}

void
lambda_apply_layers_page(struct collect_scan *scan, const char *region, const cJSON *answer)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_path(answer, "Layers"))
	{
		const char *arn = json_str(it, "LatestMatchingVersion.LayerVersionArn");
		const char *name = json_str(it, "LayerName");
		double v = 0;
		char full[300];

		if (!arn)
			continue;
		json_num(it, "LatestMatchingVersion.Version", &v);
		snprintf(full, sizeof(full), "%s:%.0f", name ? name : "?", v);
		collect_resource(scan, MODEL_LAYER, arn, full, region, cJSON_Duplicate(it, 1));
	}
}
