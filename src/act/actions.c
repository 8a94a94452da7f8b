/*
 * The actions, one row each. A row says what it applies to, which state
 * keys it changes, the state it wants, and the calls that move a target
 * between two states; an undo is the same calls from "after" back to the
 * backed-up "before". Prune, tighten-role, close-public and prune-orphans
 * join as rows with their own keys and calls (several calls a plan).
 */
#include "act/act.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "act/close_public.h"
#include "act/close_public_res.h"
#include "act/orphans.h"
#include "act/prune.h"
#include "act/split_role.h"
#include "act/tighten_managed.h"
#include "act/tighten_role.h"
#include "act/timeout_alarm.h"
#include "analyze/hygiene.h"
#include "aws/sigv4.h"
#include "store/query.h"
#include "util/buf.h"
#include "util/json.h"

#define LAMBDA_FN_PATH "/2015-03-31/functions/"

/* Appends one call: {service, operation, method, path, body}; body is taken. */
static int
add_call(cJSON *calls, const char *operation, const char *method, const char *path_fmt,
         const char *name, cJSON *body, struct err *err)
{
	cJSON *c = cJSON_CreateObject();
	struct buf enc;
	char path[512];

	buf_init(&enc, 256);
	if (aws_uri_encode(&enc, name, strlen(name), 0)) {
		buf_release(&enc);
		cJSON_Delete(body);
		cJSON_Delete(c);
		return err_set(err, ERR_LIMIT, "function name too long");
	}
	snprintf(path, sizeof(path), path_fmt, buf_cstr(&enc));
	buf_release(&enc);
	cJSON_AddStringToObject(c, "service", "lambda");
	cJSON_AddStringToObject(c, "operation", operation);
	cJSON_AddStringToObject(c, "method", method);
	cJSON_AddStringToObject(c, "path", path);
	if (body)
		cJSON_AddItemToObject(c, "body", body);
	cJSON_AddItemToArray(calls, c);
	return 0;
}

/* ---- quarantine: reserved concurrency 0 stops every invocation, reversibly */

static const char *const quarantine_keys[] = { "ReservedConcurrentExecutions", NULL };

static int
quarantine_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                  cJSON *after, char *explain, size_t n, struct err *err)
{
	const cJSON *was = cJSON_GetObjectItemCaseSensitive(before, "ReservedConcurrentExecutions");

	if (cJSON_IsNumber(was) && was->valuedouble == 0)
		return err_set(err, ERR_USAGE,
		               "the function is already quarantined (reserved "
		               "concurrency 0)");
	cJSON_AddNumberToObject(after, "ReservedConcurrentExecutions", 0);
	if (cJSON_IsNumber(was))
		snprintf(
		        explain, n,
		        "reserved concurrency %.0f -> 0: every invocation is throttled until undone",
		        was->valuedouble);
	else
		snprintf(explain, n,
		         "no reserved concurrency -> 0: every invocation is throttled "
		         "until undone (undo deletes the reservation again)");
	return 0;
}

static int
concurrency_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                  cJSON *calls, struct err *err)
{
	const cJSON *want = cJSON_GetObjectItemCaseSensitive(to, "ReservedConcurrentExecutions");
	cJSON *body;

	if (cJSON_IsNull(want) || !want)
		return add_call(calls, "DeleteFunctionConcurrency", "DELETE",
		                "/2017-10-31/functions/%s/concurrency", name, NULL, err);
	if (!cJSON_IsNumber(want))
		return err_set(err, ERR_PARSE, "ReservedConcurrentExecutions is not a number");
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "ReservedConcurrentExecutions", want->valuedouble);
	return add_call(calls, "PutFunctionConcurrency", "PUT",
	                "/2017-10-31/functions/%s/concurrency", name, body, err);
}

/* ---- shorten-timeout: the recommended timeout from the 90-day longest run */

static const char *const timeout_keys[] = { "Timeout", TIMEOUT_ALARM_KEY, NULL };
static const char *const timeout_options[] = {
	"alarm: also a CloudWatch alarm on Duration at 80% of the new timeout", NULL
};

/* The longest run (ms) over the 90 days before today and how many days had runs. */
static int
longest_run(struct store *s, const char *arn, time_t today, double *longest, size_t *days,
            struct err *err)
{
	int64_t last_day = (int64_t)(today / 86400);
	struct store_metrics m;
	size_t i;
	int rc = store_metrics_of(s, arn, last_day - 89, &m, err);

	*longest = 0;
	*days = 0;
	if (rc)
		return rc;
	for (i = 0; i < m.n; i++) {
		if (strcmp(m.v[i].name, "DurationMax") || m.v[i].value <= 0 ||
		    m.v[i].day > last_day)
			continue;
		(*days)++;
		if (m.v[i].value > *longest)
			*longest = m.v[i].value;
	}
	store_metrics_release(&m);
	return 0;
}

static int
timeout_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before, cJSON *after,
               char *explain, size_t n, struct err *err)
{
	double timeout = 0, longest;
	size_t days;
	int rec, rc;

	if (json_num(before, "Timeout", &timeout))
		return err_set(err, ERR_USAGE, "the cache has no Timeout for this function");
	rc = longest_run(ctx->store, arn, ctx->today, &longest, &days, err);
	if (rc)
		return rc;
	if (!days)
		return err_set(
		        err, ERR_USAGE,
		        "no duration data in the last 90 days: nothing to base a timeout on");
	rec = hygiene_recommended_timeout(longest, ctx->opts);
	if (rec >= timeout)
		return err_set(
		        err, ERR_USAGE,
		        "the recommended timeout (%d s) is not below the current one (%.0f s)", rec,
		        timeout);
	cJSON_AddNumberToObject(after, "Timeout", rec);
	snprintf(explain, n,
	         "Timeout %.0f s -> %d s: longest run %.1f s over %zu days with runs in 90 days, "
	         "x %.2f margin rounded up, at least %d s, never below the longest run",
	         timeout, rec, longest / 1000.0, days, ctx->opts->timeout_margin,
	         ctx->opts->timeout_min_s);
	return 0;
}

static int
timeout_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
              cJSON *calls, struct err *err)
{
	double want;
	cJSON *body;

	if (json_num(to, "Timeout", &want))
		return err_set(err, ERR_PARSE, "the state wanted has no Timeout");
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "Timeout", want);
	/* Lambda refuses the write (412) when the function changed since revision */
	if (revision && revision[0])
		cJSON_AddStringToObject(body, "RevisionId", revision);
	return add_call(calls, "UpdateFunctionConfiguration", "PUT",
	                LAMBDA_FN_PATH "%s/configuration", name, body, err);
}

/* The timeout, then the alarm `--with alarm` adds (act/timeout_alarm.c). */
static int
timeout_alarm_desire_all(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                         cJSON *after, char *explain, size_t n, struct err *err)
{
	const char *name = strrchr(arn, ':') ? strrchr(arn, ':') + 1 : arn;
	int rc = timeout_desire(ctx, arn, before, after, explain, n, err);

	return rc ? rc : timeout_alarm_desire(ctx, name, after, explain, n, err);
}

static int
timeout_alarm_calls_all(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                        cJSON *calls, struct err *err)
{
	int rc = timeout_calls(name, from, to, revision, calls, err);

	return rc ? rc : timeout_alarm_calls(name, from, to, calls, err);
}

static const char *const prune_options[] = {
	"orphans: in the same batch, delete its role if no other function uses it and its log group",
	NULL,
};

static const struct act_action actions[] = {
	{ .name = "quarantine",
	  .summary = "set the function's reserved concurrency to 0 (undo restores it)",
	  .applies_to = MODEL_FUNCTION,
	  .keys = quarantine_keys,
	  .desire = quarantine_desire,
	  .calls = concurrency_calls },
	{ .name = "shorten-timeout",
	  .summary = "lower the timeout to the one recommended from the 90-day longest run",
	  .applies_to = MODEL_FUNCTION,
	  .keys = timeout_keys,
	  .desire = timeout_alarm_desire_all,
	  .calls = timeout_alarm_calls_all,
	  .read = timeout_alarm_read,
	  .options = timeout_options },
	{ .name = "close-public",
	  .summary = "remove the policy statements that let anyone invoke; URL AuthType NONE -> "
	             "AWS_IAM",
	  .applies_to = MODEL_FUNCTION,
	  .keys = close_public_keys,
	  .desire = close_public_desire,
	  .calls = close_public_calls },
	/* close-public again, one row per kind: act_plan_build picks the target's */
	{ .name = "close-public",
	  .summary = "remove the queue policy's statements open to anyone (only those)",
	  .applies_to = MODEL_QUEUE,
	  .keys = cpr_queue_keys,
	  .desire = cpr_queue_desire,
	  .calls = cpr_queue_calls,
	  .cached = cpr_queue_cached,
	  .read = cpr_queue_read,
	  .save = cpr_queue_save,
	  .backs_up = cpr_queue_backs_up },
	{ .name = "close-public",
	  .summary = "remove the topic policy's statements open to anyone (only those)",
	  .applies_to = MODEL_TOPIC,
	  .keys = cpr_topic_keys,
	  .desire = cpr_topic_desire,
	  .calls = cpr_topic_calls,
	  .cached = cpr_topic_cached,
	  .read = cpr_topic_read,
	  .save = cpr_topic_save,
	  .backs_up = cpr_topic_backs_up },
	{ .name = "close-public",
	  .summary = "turn on the bucket's public access block (all four settings); --with "
	             "policy also removes the policy's open statements",
	  .applies_to = MODEL_BUCKET,
	  .keys = cpr_bucket_keys,
	  .desire = cpr_bucket_desire,
	  .calls = cpr_bucket_calls,
	  .cached = cpr_bucket_cached,
	  .read = cpr_bucket_read,
	  .save = cpr_bucket_save,
	  .backs_up = cpr_bucket_backs_up,
	  .options = cpr_bucket_options },
	{ .name = "tighten-role",
	  .summary = "replace the role's policies with the least-privilege inline policy its "
	             "functions need (undo puts every document and attachment back)",
	  .applies_to = MODEL_ROLE,
	  .keys = tighten_role_keys,
	  .desire = tighten_role_desire,
	  .calls = tighten_role_calls,
	  .cached = tighten_managed_cached,
	  .read = tighten_managed_read,
	  .save = tighten_managed_save,
	  .backs_up = tighten_role_backs_up },
	{ .name = "split-role",
	  .summary = "give each function of a shared role a role of its own with its own least "
	             "privilege (undo moves them back and deletes the new roles)",
	  .applies_to = MODEL_ROLE,
	  .keys = split_role_keys,
	  .desire = split_role_desire,
	  .calls = split_role_calls,
	  .cached = split_role_cached,
	  .read = split_role_read,
	  .backs_up = split_role_backs_up },
	{ .name = "prune-role",
	  .summary = "delete a role no function uses and IAM saw unused for the unused days "
	             "(undo recreates it, with a new RoleId)",
	  .applies_to = MODEL_ROLE,
	  .flags = ACT_DESTRUCTIVE | ACT_UNDO_FROM_READ,
	  .keys = prune_role_keys,
	  .desire = prune_role_desire,
	  .calls = prune_role_calls,
	  .cached = prune_role_cached,
	  .read = prune_role_read,
	  .save = prune_role_save,
	  .backs_up = prune_role_backs_up },
	{ .name = "prune-log-group",
	  .summary = "delete the log group of a function that is gone (its events are lost; undo "
	             "recreates the empty group with its settings)",
	  .applies_to = MODEL_LOG_GROUP,
	  .flags = ACT_DESTRUCTIVE | ACT_UNDO_FROM_READ,
	  .keys = prune_log_group_keys,
	  .desire = prune_log_group_desire,
	  .calls = prune_log_group_calls,
	  .cached = prune_log_group_cached,
	  .read = prune_log_group_read,
	  .save = prune_log_group_save,
	  .backs_up = prune_log_group_backs_up },
	{ .name = "prune-layer-version",
	  .summary = "delete a layer version no function uses (undo publishes the backed-up zip as "
	             "a new version)",
	  .applies_to = MODEL_LAYER,
	  .flags = ACT_DESTRUCTIVE | ACT_UNDO_FROM_READ,
	  .keys = prune_layer_keys,
	  .desire = prune_layer_desire,
	  .calls = prune_layer_calls,
	  .cached = prune_layer_cached,
	  .read = prune_layer_read,
	  .save = prune_layer_save,
	  .backs_up = prune_layer_backs_up },
	{ .name = "prune",
	  .summary = "delete a dead function after removing every trigger that points at it, "
	             "all backed up (undo or shears restore recreates it)",
	  .applies_to = MODEL_FUNCTION,
	  .flags = ACT_DESTRUCTIVE | ACT_UNDO_FROM_READ,
	  .keys = prune_keys,
	  .desire = prune_desire,
	  .calls = prune_calls,
	  .cached = prune_cached,
	  .read = prune_read,
	  .save = prune_save,
	  .backs_up = prune_backs_up,
	  .options = prune_options },
};

const struct act_action *
act_action_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].name, name))
			return &actions[i];
	return NULL;
}

const struct act_action *
act_action_for(const char *name, enum model_kind kind)
{
	size_t i;

	for (i = 0; name && i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].name, name) && actions[i].applies_to == kind)
			return &actions[i];
	return NULL;
}

unsigned
act_action_kinds(const char *name)
{
	unsigned kinds = 0;
	size_t i;

	for (i = 0; name && i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].name, name))
			kinds |= 1u << actions[i].applies_to;
	return kinds;
}

const struct act_action *
act_plan_action(const cJSON *plan)
{
	const char *name = json_str(plan, "action"), *kind = json_str(plan, "target.kind");
	int k = kind ? model_kind_parse(kind) : -1;
	const struct act_action *a = k >= 0 ? act_action_for(name, (enum model_kind)k) : NULL;

	return a ? a : act_action_find(name);
}

const struct act_action *
act_action_all(size_t *n)
{
	*n = sizeof(actions) / sizeof(actions[0]);
	return actions;
}

static cJSON *
fn_state(const cJSON *config, const cJSON *concurrency)
{
	const char *rev = json_str(config, "RevisionId");
	const cJSON *reserved =
	        cJSON_GetObjectItemCaseSensitive(concurrency, "ReservedConcurrentExecutions");
	double timeout;
	cJSON *st;

	if (!rev)
		return NULL;
	st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "RevisionId", rev);
	if (!json_num(config, "Timeout", &timeout))
		cJSON_AddNumberToObject(st, "Timeout", timeout);
	if (cJSON_IsNumber(reserved))
		cJSON_AddNumberToObject(st, "ReservedConcurrentExecutions", reserved->valuedouble);
	else
		cJSON_AddNullToObject(st, "ReservedConcurrentExecutions");
	return st;
}

cJSON *
act_fn_state_from_attrs(const cJSON *attrs)
{
	cJSON *st = fn_state(attrs, cJSON_GetObjectItemCaseSensitive(attrs, "Concurrency"));

	if (st)
		act_fn_state_add_access(st, json_path(attrs, "Policy"),
		                        json_str(attrs, "PolicyRevisionId"),
		                        json_path(attrs, "Url"));
	return st;
}

cJSON *
act_fn_state_from_get_function(const cJSON *answer)
{
	return fn_state(cJSON_GetObjectItemCaseSensitive(answer, "Configuration"),
	                cJSON_GetObjectItemCaseSensitive(answer, "Concurrency"));
}

/* 1 when opt ("name: what it does") is the option called name. */
static int
option_is(const char *opt, const char *name)
{
	size_t len = strcspn(opt, ":");

	return strlen(name) == len && !strncmp(opt, name, len);
}

int
act_options_check(const struct act_action *a, const cJSON *with, struct err *err)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, with)
	{
		size_t i;

		for (i = 0; a->options && a->options[i] && !option_is(a->options[i], o->string);
		     i++)
			;
		if (!a->options || !a->options[i])
			return err_set(err, ERR_USAGE, "%s takes no option '%s'%s%s", a->name,
			               o->string, a->options ? "; it takes: " : "",
			               a->options ? a->options[0] : "");
	}
	return 0;
}

int
act_option(const struct act_plan_ctx *ctx, const char *name)
{
	return ctx->options && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx->options, name));
}
