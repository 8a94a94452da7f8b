/*
 * shorten-timeout --with alarm: a shorter timeout is only safe while the
 * function stays well below it, so the plan can also put a CloudWatch
 * alarm on the function's Duration (namespace AWS/Lambda, dimension
 * FunctionName, statistic Maximum, 5-minute periods, one period breaching)
 * at TIMEOUT_ALARM_PERCENT of the new timeout, named
 * shears-timeout-<function>. Missing data (no runs) is not breaching.
 *
 * Why 80%: the new timeout is already the 90-day longest run times the
 * margin, so a run at 80% of it is longer than any run seen; it fires
 * before an invocation is cut off, leaving the owner time to act. A
 * constant, not a setting: the margin (analyze_opts) already tunes how
 * far the timeout sits above what was seen.
 *
 * State: "TimeoutAlarm" = {"AlarmName", "Threshold"} or null, read with
 * DescribeAlarms (AlarmNames.member.1). The cache holds no alarms, so a
 * plan assumes none; the re-read before apply refuses when one exists
 * (PutMetricAlarm would overwrite it, and the undo delete it).
 * Undo: DeleteAlarms, with the timeout restored.
 */
#include "act/timeout_alarm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/call.h"
#include "act/target.h"
#include "util/json.h"
#include "util/xml.h"

#define ALARM_PERIOD_S 300

static void
alarm_name(const char *function, char *out, size_t n)
{
	/* a function name has at most 64 characters; an alarm name may have 255 */
	snprintf(out, n, "shears-timeout-%s", function);
}

int
timeout_alarm_desire(const struct act_plan_ctx *ctx, const char *name, cJSON *after, char *explain,
                     size_t n, struct err *err)
{
	double timeout;
	char an[128];
	size_t len = strlen(explain);
	cJSON *a;

	if (!act_option(ctx, "alarm"))
		return 0;
	if (json_num(after, "Timeout", &timeout))
		return err_set(err, ERR_USAGE, "no new timeout to put an alarm on");
	alarm_name(name, an, sizeof(an));
	a = cJSON_AddObjectToObject(after, TIMEOUT_ALARM_KEY);
	cJSON_AddStringToObject(a, "AlarmName", an);
	cJSON_AddNumberToObject(a, "Threshold", timeout * 1000 * TIMEOUT_ALARM_PERCENT / 100);
	if (len < n)
		snprintf(explain + len, n - len,
		         "; alarm %s when a run lasts %.0f ms or more (%d%% of the new timeout, "
		         "Duration Maximum over %d s)",
		         an, timeout * 1000 * TIMEOUT_ALARM_PERCENT / 100, TIMEOUT_ALARM_PERCENT,
		         ALARM_PERIOD_S);
	return 0;
}

static void
param_num(cJSON *call, const char *key, double v)
{
	char text[32];

	snprintf(text, sizeof(text), "%.0f", v);
	act_call_param(call, key, text);
}

static void
put_alarm(cJSON *calls, const char *function, const char *alarm, double threshold)
{
	cJSON *c = act_call_add(calls, "cloudwatch", "PutMetricAlarm");
	char desc[256];

	snprintf(desc, sizeof(desc),
	         "shears shorten-timeout: %s ran for %d%% of its timeout or more", function,
	         TIMEOUT_ALARM_PERCENT);
	act_call_param(c, "AlarmName", alarm);
	act_call_param(c, "AlarmDescription", desc);
	act_call_param(c, "Namespace", "AWS/Lambda");
	act_call_param(c, "MetricName", "Duration");
	/* the query protocol flattens a list of structures: member.N.Field */
	act_call_param(c, "Dimensions.member.1.Name", "FunctionName");
	act_call_param(c, "Dimensions.member.1.Value", function);
	act_call_param(c, "Statistic", "Maximum");
	param_num(c, "Period", ALARM_PERIOD_S);
	act_call_param(c, "EvaluationPeriods", "1");
	param_num(c, "Threshold", threshold);
	act_call_param(c, "ComparisonOperator", "GreaterThanOrEqualToThreshold");
	act_call_param(c, "TreatMissingData", "notBreaching");
}

int
timeout_alarm_calls(const char *name, const cJSON *from, const cJSON *to, cJSON *calls,
                    struct err *err)
{
	const cJSON *was = json_path(from, TIMEOUT_ALARM_KEY),
	            *want = json_path(to, TIMEOUT_ALARM_KEY);
	double threshold;
	cJSON *c;

	if (cJSON_IsObject(want)) {
		if (!json_str(want, "AlarmName") || json_num(want, "Threshold", &threshold))
			return err_set(err, ERR_PARSE, "an alarm without AlarmName or Threshold");
		if (!cJSON_Compare(was, want, 1))
			put_alarm(calls, name, json_str(want, "AlarmName"), threshold);
		return 0;
	}
	if (!cJSON_IsObject(was))
		return 0;
	if (!json_str(was, "AlarmName"))
		return err_set(err, ERR_PARSE, "an alarm without AlarmName");
	c = act_call_add(calls, "cloudwatch", "DeleteAlarms");
	act_call_param(c, "AlarmNames.member.1", json_str(was, "AlarmName"));
	/* a second delivery answers ResourceNotFound: settled by the re-read */
	cJSON_AddBoolToObject(c, "once", 1);
	return 0;
}

/* The alarm the plan names (before or after), or NULL when it names none. */
static const char *
planned_alarm(const cJSON *plan)
{
	const char *a = json_str(plan, "after." TIMEOUT_ALARM_KEY ".AlarmName");

	return a ? a : json_str(plan, "before." TIMEOUT_ALARM_KEY ".AlarmName");
}

static int
read_alarm(struct aws_client *c, const cJSON *plan, const char *alarm, cJSON *state,
           struct err *err)
{
	const struct xml_node *m;
	struct xml_doc doc;
	int rc = act_query(c, json_str(plan, "region"), "cloudwatch", "DescribeAlarms", &doc, err,
	                   "AlarmNames.member.1", alarm, NULL);

	if (rc)
		return rc;
	for (m = xml_find(doc.root, "DescribeAlarmsResult/MetricAlarms/member"); m;
	     m = xml_next_same(m)) {
		const char *n = xml_text(m, "AlarmName"), *t = xml_text(m, "Threshold");

		if (n && !strcmp(n, alarm)) {
			cJSON *a = cJSON_AddObjectToObject(state, TIMEOUT_ALARM_KEY);

			cJSON_AddStringToObject(a, "AlarmName", n);
			cJSON_AddNumberToObject(a, "Threshold", t ? strtod(t, NULL) : 0);
			break;
		}
	}
	if (!m)
		cJSON_AddNullToObject(state, TIMEOUT_ALARM_KEY);
	xml_doc_release(&doc);
	return 0;
}

int
timeout_alarm_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	const char *alarm = planned_alarm(plan);
	cJSON *answer = NULL;
	int rc = act_get_function(c, plan, &answer, err);

	*state = NULL;
	if (rc)
		return rc;
	*state = act_fn_state_from_get_function(answer);
	cJSON_Delete(answer);
	if (!*state)
		return err_set(err, ERR_PARSE, "GetFunction answered without a RevisionId");
	/* only a plan naming the alarm reads it: a plain shorten-timeout costs no more */
	if (alarm)
		rc = read_alarm(c, plan, alarm, *state, err);
	if (rc) {
		cJSON_Delete(*state);
		*state = NULL;
	}
	return rc;
}
