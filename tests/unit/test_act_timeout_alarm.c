/* shorten-timeout --with alarm: the alarm in the plan, its calls, the undo, and without it. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "testutil.h"
#include "util/json.h"

#define FN_ARN "arn:aws:lambda:us-east-1:111122223333:function:slow-job"
#define TODAY  ((time_t)20000 * 86400)

struct fixture {
	char *dir;
	struct store *s;
	struct analyze_opts opts;
	struct act_plan_ctx ctx;
	cJSON *with;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct store_scan scan = { .started = TODAY,
		                   .account = "111122223333",
		                   .regions = "us-east-1" };
	struct model_resource r = { FN_ARN,         MODEL_FUNCTION,
		                    "slow-job",     "us-east-1",
		                    "111122223333", "{\"RevisionId\":\"r1\",\"Timeout\":900}" };
	char path[512];

	f->dir = test_tmpdir();
	snprintf(path, sizeof(path), "%s/cache.db", f->dir);
	assert_int_equal(store_open(path, 0, &f->s, NULL), 0);
	assert_int_equal(store_scan_begin(f->s, &scan, NULL), 0);
	assert_int_equal(store_put_resource(f->s, &r, NULL), 0);
	/* 1.2 s longest run: 1.2 x 1.5 rounds up to 2 s, raised to the 3 s floor */
	assert_int_equal(store_put_metric(f->s, FN_ARN, "DurationMax", 20000 - 3, 1200, NULL), 0);
	assert_int_equal(store_scan_commit(f->s, &scan, NULL), 0);
	analyze_opts_default(&f->opts);
	f->with = cJSON_Parse("{\"alarm\":true}");
	f->ctx.store = f->s;
	f->ctx.opts = &f->opts;
	f->ctx.today = TODAY;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	cJSON_Delete(f->with);
	store_close(f->s);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static cJSON *
plan_of(struct fixture *f)
{
	cJSON *plan = NULL;
	struct err err = { 0 };

	assert_int_equal(
	        act_plan_build(&f->ctx, act_action_find("shorten-timeout"), FN_ARN, &plan, &err),
	        0);
	return plan;
}

static const cJSON *
call_named(const cJSON *calls, const char *op)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, calls)
	{
		if (!strcmp(json_str(c, "operation"), op))
			return c;
	}
	return NULL;
}

/* A query parameter of call: its name has dots, so not a json_path. */
static const char *
param(const cJSON *call, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(json_path(call, "params"), name);

	return cJSON_IsString(v) ? v->valuestring : "(absent)";
}

static void
test_alarm_is_put_at_80_percent_of_the_new_timeout(void **state)
{
	struct fixture *f = *state;
	cJSON *plan;
	const cJSON *put;
	double timeout, threshold;

	f->ctx.options = f->with;
	plan = plan_of(f);
	assert_int_equal(json_num(plan, "after.Timeout", &timeout), 0);
	assert_true(timeout == 3);
	assert_true(cJSON_IsNull(json_path(plan, "before.TimeoutAlarm")));
	assert_string_equal(json_str(plan, "after.TimeoutAlarm.AlarmName"),
	                    "shears-timeout-slow-job");
	assert_int_equal(json_num(plan, "after.TimeoutAlarm.Threshold", &threshold), 0);
	assert_true(threshold == 2400);
	/* the timeout first: the alarm watches the limit that is in force */
	assert_string_equal(json_str(cJSON_GetArrayItem(json_path(plan, "calls"), 0), "operation"),
	                    "UpdateFunctionConfiguration");
	put = call_named(json_path(plan, "calls"), "PutMetricAlarm");
	assert_non_null(put);
	assert_string_equal(json_str(put, "service"), "cloudwatch");
	assert_string_equal(param(put, "Namespace"), "AWS/Lambda");
	assert_string_equal(param(put, "MetricName"), "Duration");
	assert_string_equal(param(put, "Statistic"), "Maximum");
	assert_string_equal(param(put, "Dimensions.member.1.Name"), "FunctionName");
	assert_string_equal(param(put, "Dimensions.member.1.Value"), "slow-job");
	assert_string_equal(param(put, "Threshold"), "2400");
	assert_string_equal(param(put, "ComparisonOperator"), "GreaterThanOrEqualToThreshold");
	assert_non_null(strstr(json_str(plan, "explain"), "80%"));
	cJSON_Delete(plan);
}

static void
test_undo_restores_the_timeout_and_deletes_the_alarm(void **state)
{
	struct fixture *f = *state;
	cJSON *plan;
	const cJSON *del;
	double timeout;

	f->ctx.options = f->with;
	plan = plan_of(f);
	assert_int_equal(json_num(cJSON_GetArrayItem(json_path(plan, "undo.calls"), 0),
	                          "body.Timeout", &timeout),
	                 0);
	assert_true(timeout == 900);
	del = call_named(json_path(plan, "undo.calls"), "DeleteAlarms");
	assert_non_null(del);
	assert_string_equal(param(del, "AlarmNames.member.1"), "shears-timeout-slow-job");
	assert_true(json_bool(del, "once", 0));
	assert_null(call_named(json_path(plan, "undo.calls"), "PutMetricAlarm"));
	cJSON_Delete(plan);
}

static void
test_without_the_option_no_alarm_is_planned(void **state)
{
	cJSON *plan = plan_of(*state);

	assert_null(json_path(plan, "after.TimeoutAlarm"));
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "calls")), 1);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "undo.calls")), 1);
	assert_null(strstr(json_str(plan, "explain"), "alarm"));
	cJSON_Delete(plan);
}

static void
test_an_option_shorten_timeout_does_not_take_is_refused(void **state)
{
	cJSON *with = cJSON_Parse("{\"split\":true}");
	struct err err = { 0 };

	(void)state;
	assert_int_equal(act_options_check(act_action_find("shorten-timeout"), with, &err),
	                 ERR_USAGE);
	assert_non_null(strstr(err.msg, "alarm"));
	cJSON_Delete(with);
}

static void
test_an_alarm_already_there_makes_the_state_differ(void **state)
{
	/* the re-read reads the alarm: one that exists is not the plan's "none" */
	cJSON *before = cJSON_Parse("{\"Timeout\":900,\"TimeoutAlarm\":null}");
	cJSON *now = cJSON_Parse("{\"Timeout\":900,\"TimeoutAlarm\":{\"AlarmName\":\"shears-"
	                         "timeout-slow-job\",\"Threshold\":2400}}");
	char diff[256];

	(void)state;
	assert_int_equal(act_state_matches(before, NULL, now, diff, sizeof(diff)), 0);
	assert_non_null(strstr(diff, "TimeoutAlarm"));
	cJSON_Delete(before);
	cJSON_Delete(now);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alarm_is_put_at_80_percent_of_the_new_timeout,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_undo_restores_the_timeout_and_deletes_the_alarm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_without_the_option_no_alarm_is_planned, setup,
		                                teardown),
		cmocka_unit_test(test_an_option_shorten_timeout_does_not_take_is_refused),
		cmocka_unit_test(test_an_alarm_already_there_makes_the_state_differ),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
