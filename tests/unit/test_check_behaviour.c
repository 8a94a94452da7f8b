/* The behaviour family: a function against its own baseline, and review state. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/behaviour.h"
#include "analyze/check_util.h"

#define FN  "arn:aws:lambda:us-east-1:123456789012:function:"
#define NOW 1795430955 /* 2026-11-23 */

static const struct finding *
find(const struct findings *f, const char *id, const char *resource)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].rule->id, id) && !strcmp(f->v[i].resource, resource))
			return &f->v[i];
	return NULL;
}

/*
 * 90 days ending yesterday: `calls` invocations a day, errors at base_rate
 * (with a small daily wobble) until the last `recent` days, then recent_rate.
 */
static void
add_history(struct amodel *m, const char *name, double calls, double base_rate, double recent_rate,
            int recent)
{
	char arn[200];
	int64_t today = analyze_day(NOW);
	int i;

	snprintf(arn, sizeof(arn), FN "%s", name);
	amodel_add_resource(m, MODEL_FUNCTION, arn, name, "us-east-1",
	                    "{\"CodeSha256\":\"j0jlZIW6YL0q7WKFX6O4EZ4jlkQADO1VqqiF8wz4KOg=\"}");
	amodel_index(m);
	for (i = 1; i <= 90; i++) {
		double rate = i <= recent ? recent_rate : base_rate * (1 + 0.2 * (i % 3 - 1));

		amodel_add_metric(m, arn, "Invocations", today - i, calls);
		amodel_add_metric(m, arn, "Errors", today - i, calls * rate);
		amodel_add_metric(m, arn, "DurationP99", today - i, 300 + (i % 5));
	}
}

static void
run(struct amodel *m, struct findings *f)
{
	struct analyze_opts o;

	analyze_opts_default(&o);
	o.now = NOW;
	amodel_index(m);
	memset(f, 0, sizeof(*f));
	assert_int_equal(check_behaviour(m, &o, f), 0);
}

static void
test_error_rate_far_above_baseline(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_history(&m, "checkout", 2000, 0.003, 0.18, 10);
	add_history(&m, "steady", 2000, 0.003, 0.003, 10);
	add_history(&m, "small-rise", 2000, 0.003, 0.02, 10); /* +1.7 points: under 5 */
	run(&m, &f);
	x = find(&f, "SHR-BEH-001", FN "checkout");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_MEDIUM);
	assert_non_null(strstr(x->evidence, "error rate 18.0 %"));
	assert_non_null(strstr(x->evidence, "0.3 % baseline"));
	assert_non_null(strstr(x->evidence, "robust z"));
	assert_null(find(&f, "SHR-BEH-001", FN "steady"));
	assert_null(find(&f, "SHR-BEH-001", FN "small-rise"));
	assert_null(find(&f, "SHR-BEH-002", FN "checkout")); /* calls did not change */
	assert_null(find(&f, "SHR-BEH-004", FN "checkout"));
	findings_free(&f);
	amodel_free(&m);
}

static void
test_invocation_surge_and_drop(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;
	int64_t today = analyze_day(NOW);
	int i;

	(void)state;
	amodel_init(&m);
	add_history(&m, "surge", 300, 0, 0, 0);
	add_history(&m, "drop", 3000, 0, 0, 0);
	add_history(&m, "flat-then-blip", 0.0, 0, 0, 0);
	for (i = 1; i <= 7; i++) {
		amodel_add_metric(&m, FN "surge", "Invocations", today - i, 4000);
		amodel_add_metric(&m, FN "drop", "Invocations", today - i, 5);
		amodel_add_metric(&m, FN "flat-then-blip", "Invocations", today - i, 20);
	}
	run(&m, &f);
	x = find(&f, "SHR-BEH-002", FN "surge");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_MEDIUM);
	x = find(&f, "SHR-BEH-002", FN "drop");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_LOW);
	/* a flat zero baseline makes z huge; 20 a day is not a change that matters */
	assert_null(find(&f, "SHR-BEH-002", FN "flat-then-blip"));
	findings_free(&f);
	amodel_free(&m);
}

static void
test_too_little_history_says_nothing(void **state)
{
	struct amodel m;
	struct findings f;
	int64_t today = analyze_day(NOW);
	int i;

	(void)state;
	amodel_init(&m);
	amodel_add_resource(&m, MODEL_FUNCTION, FN "young", "young", "us-east-1", "{}");
	amodel_index(&m);
	for (i = 1; i <= 10; i++) { /* 3 baseline days with calls: under 14 */
		amodel_add_metric(&m, FN "young", "Invocations", today - i, 100);
		amodel_add_metric(&m, FN "young", "Errors", today - i, i <= 7 ? 50 : 0);
	}
	run(&m, &f);
	assert_null(find(&f, "SHR-BEH-001", FN "young"));
	findings_free(&f);
	amodel_free(&m);
}

static void
test_code_changed_since_review(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	amodel_add_resource(&m, MODEL_FUNCTION, FN "changed", "changed", "us-east-1",
	                    "{\"CodeSha256\":\"j0jlZIW6YL0q7WKFX6O4EZ4jlkQADO1VqqiF8wz4KOg=\","
	                    "\"_reviewed_sha\":\"R7dbo4c35IrgmVCxhgcYE1Qx/ZtaPnO8D0naea8oU8M=\","
	                    "\"LastModified\":\"2026-07-26T00:00:00.000+0000\"}");
	amodel_add_resource(&m, MODEL_FUNCTION, FN "same", "same", "us-east-1",
	                    "{\"CodeSha256\":\"R7dbo4c35IrgmVCxhgcYE1Qx/ZtaPnO8D0naea8oU8M=\","
	                    "\"_reviewed_sha\":\"R7dbo4c35IrgmVCxhgcYE1Qx/ZtaPnO8D0naea8oU8M=\"}");
	amodel_add_resource(&m, MODEL_FUNCTION, FN "never", "never", "us-east-1",
	                    "{\"CodeSha256\":\"R7dbo4c35IrgmVCxhgcYE1Qx/ZtaPnO8D0naea8oU8M=\"}");
	run(&m, &f);
	x = find(&f, "SHR-BEH-005", FN "changed");
	assert_non_null(x);
	assert_non_null(strstr(x->evidence, "j0jlZIW6YL0q"));
	assert_non_null(strstr(x->evidence, "R7dbo4c35Irg"));
	assert_null(find(&f, "SHR-BEH-005", FN "same"));
	assert_null(find(&f, "SHR-BEH-005", FN "never"));
	findings_free(&f);
	amodel_free(&m);
}

static void
test_median_and_mad(void **state)
{
	double v[] = { 5, 1, 3, 2, 4 }, even[] = { 4, 1, 3, 2 };

	(void)state;
	assert_true(behaviour_median(v, 5) == 3);
	assert_true(behaviour_mad(v, 5, 3) == 1); /* |v-3| = 2 2 0 1 1 */
	assert_true(behaviour_median(even, 4) == 2.5);
	assert_true(behaviour_median(NULL, 0) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_rate_far_above_baseline),
		cmocka_unit_test(test_invocation_surge_and_drop),
		cmocka_unit_test(test_too_little_history_says_nothing),
		cmocka_unit_test(test_code_changed_since_review),
		cmocka_unit_test(test_median_and_mad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
