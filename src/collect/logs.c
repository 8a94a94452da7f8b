/*
 * CloudWatch Logs: log groups (DescribeLogGroups pages, json protocol) in
 * the LIST phase, and in the EDGES phase function -> its log group
 * ("writes"), /aws/lambda/NAME unless LoggingConfig names another.
 *
 * A log group's identity is its ARN without the ":*" DescribeLogGroups
 * appends (the form IAM policies and logGroupArn use).
 *
 * A --quick rescan lists no log groups (50 a page would cost as much as
 * listing the functions): it carries over every log group the previous
 * scan saw in the region, orphaned ones included, since the commit
 * replaces the whole inventory and a group left out would vanish from it.
 * New or deleted groups are seen by full scans only.
 */
#include "collect/lambda_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/xmalloc.h"

struct logs_walk {
	char region[32];
};

static void logs_page(struct collect_scan *scan, struct logs_walk *w, const char *token);

void
logs_apply_page(struct collect_scan *scan, const char *region, const cJSON *answer)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_path(answer, "logGroups"))
	{
		const char *name = json_str(it, "logGroupName");
		const char *arn = json_str(it, "arn");
		size_t len;
		char id[1024];

		if (!name || !arn)
			continue;
		len = strlen(arn);
		if (len >= 2 && !strcmp(arn + len - 2, ":*"))
			len -= 2;
		snprintf(id, sizeof(id), "%.*s", (int)len, arn);
		collect_resource(scan, MODEL_LOG_GROUP, id, name, region, cJSON_Duplicate(it, 1));
	}
}

void
logs_function_group_arn(const char *function_arn, const cJSON *attrs, char *out, size_t n)
{
	const char *group = json_str(attrs, "LoggingConfig.LogGroup");
	const char *name = function_arn ? strrchr(function_arn, ':') : NULL;
	char region[64] = "", account[32] = "";

	/* arn:aws:lambda:REGION:ACCOUNT:function:NAME */
	if (!function_arn ||
	    sscanf(function_arn, "arn:%*[^:]:lambda:%63[^:]:%31[^:]:", region, account) != 2 ||
	    !name) {
		snprintf(out, n, "%s", "");
		return;
	}
	if (group && *group)
		snprintf(out, n, "arn:aws:logs:%s:%s:log-group:%s", region, account, group);
	else
		snprintf(out, n, "arn:aws:logs:%s:%s:log-group:/aws/lambda/%s", region, account,
		         name + 1);
}

static void
logs_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
          const struct err *err)
{
	struct logs_walk *w = user;
	struct err perr;
	const char *next;
	cJSON *j;

	if (err) {
		collect_gap(scan, "logs", w->region, "DescribeLogGroups", err);
		free(w);
		return;
	}
	err_clear(&perr);
	j = json_parse(ans && ans->body ? ans->body : "{}", ans && ans->body ? ans->body_len : 2,
	               &perr);
	if (!j) {
		err_context(&perr, "logs", "DescribeLogGroups", NULL);
		collect_gap(scan, "logs", w->region, "DescribeLogGroups", &perr);
		free(w);
		return;
	}
	logs_apply_page(scan, w->region, j);
	next = json_str(j, "nextToken");
	if (next && *next)
		logs_page(scan, w, next);
	else
		free(w);
	cJSON_Delete(j);
}

static void
logs_page(struct collect_scan *scan, struct logs_walk *w, const char *token)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "limit", 50);
	if (token)
		cJSON_AddStringToObject(body, "nextToken", token);
	if (collect_call_json(scan, "logs", "DescribeLogGroups", w->region, body, logs_done, w))
		free(w);
	cJSON_Delete(body);
}

static void
function_group(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs,
               void *ctx)
{
	const char *in = ctx;
	char group[1024];

	if (strcmp(region, in))
		return;
	logs_function_group_arn(arn, attrs, group, sizeof(group));
	if (*group && collect_attrs(scan, group))
		collect_edge(scan, arn, group, MODEL_EDGE_WRITES, "function log group");
}

static void
carry_group(struct collect_scan *scan, const char *arn, const char *name, const char *region,
            const cJSON *attrs, void *ctx)
{
	const char *in = ctx;

	if (!region || strcmp(region, in) || collect_attrs(scan, arn))
		return;
	if (!name || !*name)
		name = json_str(attrs, "logGroupName");
	if (name && *name)
		collect_resource(scan, MODEL_LOG_GROUP, arn, name, region,
		                 cJSON_Duplicate(attrs, 1));
}

void
collect_logs_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	struct logs_walk *w;

	if (!region)
		return;
	switch (phase) {
	case COLLECT_PHASE_LIST:
		if (collect_quick(scan)) {
			collect_previous_each(scan, MODEL_LOG_GROUP, carry_group, (void *)region);
			return;
		}
		w = xcalloc(1, sizeof(*w));
		snprintf(w->region, sizeof(w->region), "%s", region);
		logs_page(scan, w, NULL);
		break;
	case COLLECT_PHASE_DETAIL:
		break;
	case COLLECT_PHASE_EDGES:
		collect_each(scan, MODEL_FUNCTION, function_group, (void *)region);
		break;
	default:
		break;
	}
}
