/*
 * Private to act/: shorten-timeout's `--with alarm` (act/timeout_alarm.c):
 * a CloudWatch alarm on the function's Duration near its new timeout.
 */
#ifndef SHEARS_ACT_TIMEOUT_ALARM_H
#define SHEARS_ACT_TIMEOUT_ALARM_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "act/act.h"
#include "aws/transport.h"

/* The alarm fires when a run lasts this share of the timeout (percent); why: timeout_alarm.c. */
#define TIMEOUT_ALARM_PERCENT 80

/*
 * The state key: {"AlarmName", "Threshold" (ms)} of the alarm
 * shears-timeout-<function>, or null when there is none.
 */
#define TIMEOUT_ALARM_KEY "TimeoutAlarm"

/*
 * With `--with alarm`, adds to after the alarm the new Timeout (already in
 * after) wants, and its line to explain; else leaves after alone.
 */
int timeout_alarm_desire(const struct act_plan_ctx *ctx, const char *name, cJSON *after,
                         char *explain, size_t n, struct err *err);

/*
 * Appends PutMetricAlarm (to names an alarm) or DeleteAlarms (from names
 * one, to does not) to calls; nothing when both agree.
 */
int timeout_alarm_calls(const char *name, const cJSON *from, const cJSON *to, cJSON *calls,
                        struct err *err);

/*
 * shorten-timeout's read: GetFunction's state, and the alarm (DescribeAlarms)
 * when the plan's before or after names one. Caller deletes *state.
 */
int timeout_alarm_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);

#endif
