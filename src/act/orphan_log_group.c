/*
 * prune-log-group: deletes the log group of a function that is gone.
 * Refused unless SHR-HYG-007's rule (analyze/hygiene.h
 * hygiene_log_group_orphaned) finds no function of the cache it belongs
 * to (/aws/lambda/NAME, Lambda@Edge's /aws/lambda/REGION.NAME, or named
 * in a function's LoggingConfig), and when the group has metric filters
 * (an undo would not bring them back).
 *
 * State: Exists, retentionInDays, kmsKeyId (null when none), from the
 * cache's DescribeLogGroups entry or read again the same way. A read also
 * gives the group's tags (ListTagsForResource; the cache has none, so not
 * a key) for the backup, from which the undo's CreateLogGroup takes them.
 *
 * Calls: DeleteLogGroup (once). Undo: CreateLogGroup (kmsKeyId, tags)
 * and PutRetentionPolicy. The log EVENTS are not backed up: the undo gives
 * back an empty group with the old settings, and the plan says so.
 */
#include "act/orphans.h"

#include <stdio.h>
#include <string.h>

#include "act/call.h"
#include "analyze/hygiene.h"
#include "util/json.h"

const char *const prune_log_group_keys[] = { "Exists", "retentionInDays", "kmsKeyId", NULL };

const char *const prune_log_group_backs_up[] = {
	"the group's retention, KMS key and tags (DescribeLogGroups, ListTagsForResource)",
	"NOT its log events: they are deleted with the group and no undo brings them back",
	"not its subscription filters or data protection policy",
	NULL,
};

#define DESCRIBE_MAX_PAGES 50

/* The state of a DescribeLogGroups entry; extras (size, filters) ride along, not compared. */
static cJSON *
group_state(const cJSON *g)
{
	cJSON *st = cJSON_CreateObject();
	const cJSON *v;

	cJSON_AddTrueToObject(st, "Exists");
	v = json_path(g, "retentionInDays");
	cJSON_AddItemToObject(st, "retentionInDays",
	                      cJSON_IsNumber(v) ? cJSON_CreateNumber(v->valuedouble)
	                                        : cJSON_CreateNull());
	v = json_path(g, "kmsKeyId");
	cJSON_AddItemToObject(st, "kmsKeyId",
	                      cJSON_IsString(v) && v->valuestring[0]
	                              ? cJSON_CreateString(v->valuestring)
	                              : cJSON_CreateNull());
	if (cJSON_IsNumber(json_path(g, "storedBytes")))
		cJSON_AddNumberToObject(st, "storedBytes",
		                        json_path(g, "storedBytes")->valuedouble);
	if (cJSON_IsNumber(json_path(g, "metricFilterCount")))
		cJSON_AddNumberToObject(st, "metricFilterCount",
		                        json_path(g, "metricFilterCount")->valuedouble);
	return st;
}

int
prune_log_group_cached(const struct act_plan_ctx *ctx, const struct model_resource *r,
                       cJSON **state, struct err *err)
{
	cJSON *attrs = cJSON_Parse(r->attrs ? r->attrs : "{}");

	(void)ctx;
	*state = cJSON_IsObject(attrs) ? group_state(attrs) : NULL;
	cJSON_Delete(attrs);
	return *state ? 0 : err_set(err, ERR_USAGE, "the cache's entry for %s is damaged", r->name);
}

/* ---- reading Logs */

static cJSON *
logs_call(const char *operation, const char *key, const char *value)
{
	cJSON *c = act_call_new("logs", operation), *body = cJSON_AddObjectToObject(c, "body");

	cJSON_AddStringToObject(body, key, value);
	return c;
}

/* The group named name among DescribeLogGroups' pages (a prefix lists longer names too). */
static int
find_group(struct aws_client *c, const char *region, const char *name, cJSON **group,
           struct err *err)
{
	char token[2048] = "";
	int page, rc = 0;

	*group = NULL;
	for (page = 0; !rc && !*group && page < DESCRIBE_MAX_PAGES; page++) {
		cJSON *call = logs_call("DescribeLogGroups", "logGroupNamePrefix", name),
		      *ans = NULL;
		const cJSON *g;
		const char *next;

		if (token[0])
			cJSON_AddStringToObject(cJSON_GetObjectItem(call, "body"), "nextToken",
			                        token);
		rc = act_call_json(c, region, call, &ans, err);
		cJSON_Delete(call);
		cJSON_ArrayForEach(g, json_path(ans, "logGroups"))
		{
			if (!*group && json_str(g, "logGroupName") &&
			    !strcmp(json_str(g, "logGroupName"), name))
				*group = cJSON_Duplicate(g, 1);
		}
		next = json_str(ans, "nextToken");
		if (!rc && (!next || !next[0] || !strcmp(next, token)))
			page = DESCRIBE_MAX_PAGES; /* the last page */
		else if (!rc)
			snprintf(token, sizeof(token), "%s", next);
		cJSON_Delete(ans);
	}
	return rc;
}

int
prune_log_group_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	const char *region = json_str(plan, "region"), *name = json_str(plan, "target.name");
	cJSON *group = NULL, *call, *tags = NULL;
	int rc;

	*state = NULL;
	if (!name)
		return err_set(err, ERR_USAGE, "cannot name the log group to read");
	rc = find_group(c, region, name, &group, err);
	if (rc)
		return rc;
	if (!group) {
		*state = orphan_absent(prune_log_group_keys, NULL);
		return 0;
	}
	*state = group_state(group);
	cJSON_Delete(group);
	call = logs_call("ListTagsForResource", "resourceArn", json_str(plan, "target.arn"));
	rc = act_call_json(c, region, call, &tags, err);
	cJSON_Delete(call);
	if (!rc && cJSON_GetArraySize(json_path(tags, "tags")))
		cJSON_AddItemToObject(*state, "Tags", cJSON_Duplicate(json_path(tags, "tags"), 1));
	cJSON_Delete(tags);
	if (rc) {
		cJSON_Delete(*state);
		*state = NULL;
	}
	return rc;
}

int
prune_log_group_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err)
{
	(void)sc;
	(void)backup;
	(void)err;
	return 0; /* the state read (settings, tags) is the whole backup: events cannot be kept */
}

/* ---- desire */

int
prune_log_group_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                       cJSON *after, char *explain, size_t n, struct err *err)
{
	const struct am_res *lg;
	struct amodel m;
	char fn[600];
	double bytes = 0, filters = 0;
	int rc;

	if (orphan_exists(before) != 1)
		return err_set(err, ERR_USAGE, "the log group is not there: nothing to prune");
	rc = orphan_model(ctx, arn, &m, &lg, err);
	if (rc)
		return rc;
	json_num(before, "storedBytes", &bytes);
	json_num(before, "metricFilterCount", &filters);
	if (strncmp(lg->name, "/aws/lambda/", 12))
		rc = err_set(err, ERR_USAGE,
		             "refused: %s is not a Lambda function's log group (/aws/lambda/NAME)",
		             lg->name);
	else if (!hygiene_log_group_orphaned(&m, lg, fn, sizeof(fn)))
		rc = err_set(err, ERR_USAGE,
		             "refused: the function it belongs to is in the cache: %s", fn);
	else if (filters > 0)
		rc = err_set(
		        err, ERR_USAGE,
		        "refused: it has %.0f metric filter%s, which an undo would not bring back",
		        filters, filters == 1 ? "" : "s");
	if (!rc) {
		snprintf(explain, n,
		         "deletes log group %s (%.1f MB stored): its function %s is gone. Its log "
		         "EVENTS are lost for good: undo recreates the group with its retention, "
		         "KMS key and tags, EMPTY",
		         lg->name, bytes / 1e6, strrchr(fn, ':') + 1);
		cJSON_AddFalseToObject(after, "Exists");
		cJSON_AddNullToObject(after, "retentionInDays");
		cJSON_AddNullToObject(after, "kmsKeyId");
	}
	amodel_free(&m);
	return rc;
}

/* ---- calls */

int
prune_log_group_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                      cJSON *calls, struct err *err)
{
	int was = orphan_exists(from), want = orphan_exists(to);
	const cJSON *days = json_path(to, "retentionInDays");
	cJSON *c, *body;

	(void)revision; /* Logs keeps none: the re-read state is the guard */
	if (was < 0 || want < 0 || was == want)
		return err_set(
		        err, ERR_USAGE,
		        "prune-log-group deletes a log group or recreates one, nothing else");
	if (was) {
		c = act_call_add(calls, "logs", "DeleteLogGroup");
		cJSON_AddTrueToObject(c, "once");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "body"), "logGroupName", name);
		return 0;
	}
	c = act_call_add(calls, "logs", "CreateLogGroup");
	cJSON_AddTrueToObject(c, "once");
	body = cJSON_AddObjectToObject(c, "body");
	cJSON_AddStringToObject(body, "logGroupName", name);
	if (json_str(to, "kmsKeyId"))
		cJSON_AddStringToObject(body, "kmsKeyId", json_str(to, "kmsKeyId"));
	/* not in the cache, so not in the plan: the backup's state read has them */
	cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "from_backup"), "body.tags",
	                        "state.Tags");
	if (cJSON_IsNumber(days)) {
		c = act_call_add(calls, "logs", "PutRetentionPolicy");
		body = cJSON_AddObjectToObject(c, "body");
		cJSON_AddStringToObject(body, "logGroupName", name);
		cJSON_AddNumberToObject(body, "retentionInDays", days->valuedouble);
	}
	return 0;
}
