/* Batches: building and validating, the one question (count, alias or id), and each plan's result.
 */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "act/batch.h"
#include "act/run.h"
#include "store/actions.h"
#include "testutil.h"
#include "util/json.h"

#define ACCOUNT "111122223333"
#define FN_A    "arn:aws:lambda:us-east-1:111122223333:function:alpha"
#define FN_B    "arn:aws:lambda:us-east-1:111122223333:function:beta"
#define FN_C    "arn:aws:lambda:us-east-1:111122223333:function:gamma"
#define FN_EU   "arn:aws:lambda:eu-west-1:111122223333:function:eu-job"
#define FN_OTH  "arn:aws:lambda:us-east-1:999988887777:function:theirs"
#define TODAY   ((time_t)20000 * 86400)

struct fixture {
	char *dir;
	struct store *s;
	struct analyze_opts opts;
	struct act_plan_ctx ctx;
	struct aws_client *client; /* every call fails at its credentials: nothing is sent */
	int asked;                 /* how many times the batch's question was put */
	struct act_batch_ask ask;  /* what it asked */
	int answer;
	long refuse; /* the check hook refuses this plan index (1-based); 0: none */
	int checked; /* how many plans the check hook saw */
};

static void
put_fn(struct store *s, const char *arn, const char *name, const char *region, const char *acct,
       const char *attrs)
{
	struct model_resource r = { arn, MODEL_FUNCTION, name, region, acct, attrs };

	assert_int_equal(store_put_resource(s, &r, NULL), 0);
}

static int
no_creds(void *ctx, struct aws_creds *out, struct err *err)
{
	(void)ctx;
	(void)out;
	return err_set(err, ERR_CREDS, "no credentials in this test");
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct store_scan scan = { .started = TODAY, .account = ACCOUNT, .regions = "us-east-1" };
	struct aws_client_opts o = { .endpoint_url = "http://127.0.0.1:9",
		                     .region = "us-east-1",
		                     .no_pacing = 1 };
	char path[512];

	f->dir = test_tmpdir();
	snprintf(path, sizeof(path), "%s/cache.db", f->dir);
	assert_int_equal(store_open(path, 0, &f->s, NULL), 0);
	assert_int_equal(store_scan_begin(f->s, &scan, NULL), 0);
	put_fn(f->s, FN_A, "alpha", "us-east-1", ACCOUNT,
	       "{\"RevisionId\":\"ra\",\"Timeout\":30,\"Concurrency\":"
	       "{\"ReservedConcurrentExecutions\":50}}");
	put_fn(f->s, FN_B, "beta", "us-east-1", ACCOUNT, "{\"RevisionId\":\"rb\",\"Timeout\":30}");
	put_fn(f->s, FN_C, "gamma", "us-east-1", ACCOUNT, "{\"RevisionId\":\"rc\",\"Timeout\":30}");
	put_fn(f->s, FN_EU, "eu-job", "eu-west-1", ACCOUNT,
	       "{\"RevisionId\":\"re\",\"Timeout\":30}");
	put_fn(f->s, FN_OTH, "theirs", "us-east-1", "999988887777",
	       "{\"RevisionId\":\"ro\",\"Timeout\":30}");
	assert_int_equal(store_scan_commit(f->s, &scan, NULL), 0);
	analyze_opts_default(&f->opts);
	f->ctx.store = f->s;
	f->ctx.opts = &f->opts;
	f->ctx.today = TODAY;
	f->client = aws_client_new(&o, no_creds, NULL, NULL);
	assert_non_null(f->client);
	f->answer = 1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	aws_client_free(f->client);
	store_close(f->s);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static cJSON *
plan_of(struct fixture *f, const char *action, const char *arn)
{
	cJSON *plan = NULL;
	struct err err = { 0 };

	assert_int_equal(act_plan_build(&f->ctx, act_action_find(action), arn, &plan, &err), 0);
	return plan;
}

/* quarantine on alpha, beta and gamma */
static cJSON *
three(struct fixture *f)
{
	cJSON *b = act_batch_new(ACCOUNT);
	struct err err = { 0 };

	assert_int_equal(act_batch_add(b, plan_of(f, "quarantine", FN_A), &err), 0);
	assert_int_equal(act_batch_add(b, plan_of(f, "quarantine", FN_B), &err), 0);
	assert_int_equal(act_batch_add(b, plan_of(f, "quarantine", FN_C), &err), 0);
	return b;
}

static void
test_add_keeps_the_region_only_while_every_plan_shares_it(void **state)
{
	struct fixture *f = *state;
	cJSON *b = three(f);
	struct err err = { 0 };

	assert_int_equal(act_batch_count(b), 3);
	assert_string_equal(json_str(b, "region"), "us-east-1");
	assert_int_equal(act_batch_validate(b, &err), 0);
	assert_int_equal(act_batch_add(b, plan_of(f, "quarantine", FN_EU), &err), 0);
	assert_null(json_path(b, "region"));
	assert_int_equal(act_batch_validate(b, &err), 0);
	assert_true(act_is_batch(b));
	assert_false(act_is_batch(json_path(b, "plans")->child));
	cJSON_Delete(b);
}

static void
test_add_refuses_another_account_and_a_repeated_plan(void **state)
{
	struct fixture *f = *state;
	cJSON *b = three(f), *other;
	struct err err = { 0 };

	assert_int_equal(act_batch_add(b, plan_of(f, "quarantine", FN_OTH), &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, "999988887777"));
	assert_int_equal(act_batch_add(b, plan_of(f, "quarantine", FN_B), &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, "plan 4 repeats plan 2"));
	/* another action on the same target is another plan */
	other = plan_of(f, "quarantine", FN_B);
	cJSON_ReplaceItemInObject(other, "action", cJSON_CreateString("shorten-timeout"));
	assert_int_equal(act_batch_add(b, other, &err), 0);
	assert_int_equal(act_batch_count(b), 4);
	cJSON_Delete(b);
}

static void
test_validate_names_the_first_fault(void **state)
{
	struct fixture *f = *state;
	cJSON *b = three(f), *p2 = cJSON_GetArrayItem(json_path(b, "plans"), 1);
	struct err err = { 0 };

	cJSON_DeleteItemFromObject(p2, "calls");
	assert_int_equal(act_batch_validate(b, &err), ERR_PARSE);
	assert_string_equal(err.msg, "plan 2: the plan has no calls");
	cJSON_Delete(b);

	b = three(f);
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(json_path(b, "plans"), 2), "account",
	                          cJSON_CreateString("999988887777"));
	assert_int_equal(act_batch_validate(b, &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "plan 3 is for account 999988887777"));
	cJSON_Delete(b);

	b = three(f);
	cJSON_AddStringToObject(cJSON_GetArrayItem(json_path(b, "plans"), 0), "stop_on_error",
	                        "yes");
	assert_int_equal(act_batch_validate(b, &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "plan 1: stop_on_error"));
	cJSON_Delete(b);

	b = three(f);
	cJSON_ReplaceItemInObject(b, "region", cJSON_CreateString("eu-west-1"));
	assert_int_equal(act_batch_validate(b, &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "plan 1 is for region us-east-1"));
	cJSON_ReplaceItemInObject(b, "shears_batch", cJSON_CreateNumber(2));
	assert_int_equal(act_batch_validate(b, &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "version 1"));
	cJSON_Delete(b);

	b = act_batch_new(ACCOUNT);
	assert_int_equal(act_batch_validate(b, &err), ERR_PARSE);
	assert_string_equal(err.msg, "the batch has no plans");
	cJSON_Delete(b);
}

static void
test_the_word_is_the_first_alias_or_the_id(void **state)
{
	struct fixture *f = *state;
	cJSON *b = three(f);
	const char *aliases[] = { "acme-dev", "second" };
	struct act_batch_ask ask;

	act_batch_ask_init(&ask, b, aliases, 2);
	assert_int_equal(ask.count, 3);
	assert_string_equal(act_batch_ask_word(&ask), "acme-dev");
	assert_true(act_batch_ask_ok(&ask, "acme-dev"));
	assert_true(act_batch_ask_ok(&ask, ACCOUNT));
	assert_false(act_batch_ask_ok(&ask, "second"));
	assert_false(act_batch_ask_ok(&ask, "y"));
	assert_false(act_batch_ask_ok(&ask, ""));
	assert_false(act_batch_ask_ok(&ask, "acme-de"));
	assert_false(act_batch_ask_ok(&ask, "alpha")); /* a target's name is not the word */
	/* no alias (or unread): the id alone */
	act_batch_ask_init(&ask, b, NULL, -1);
	assert_string_equal(act_batch_ask_word(&ask), ACCOUNT);
	assert_true(act_batch_ask_ok(&ask, ACCOUNT));
	assert_false(act_batch_ask_ok(&ask, "acme-dev"));
	cJSON_Delete(b);
}

static void
test_describe_shows_the_count_each_plan_and_destructive_names(void **state)
{
	struct fixture *f = *state;
	cJSON *b = three(f);
	char text[8192];

	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(json_path(b, "plans"), 2), "destructive",
	                          cJSON_CreateTrue());
	act_batch_describe(b, text, sizeof(text));
	assert_non_null(strstr(text, "batch: 3 plans on account " ACCOUNT "\n"));
	assert_non_null(strstr(text, "  1. quarantine alpha (function): "
	                             "ReservedConcurrentExecutions: 50 -> 0\n"));
	assert_non_null(strstr(text, "  2. quarantine beta (function): "
	                             "ReservedConcurrentExecutions: none -> 0\n"));
	assert_non_null(strstr(text, "  3. quarantine gamma (function): "
	                             "ReservedConcurrentExecutions: none -> 0 (destructive)\n"));
	assert_non_null(strstr(text, "one confirmation: gamma\n"));
	cJSON_Delete(b);
}

static int
ask_once(void *ctx, const struct act_batch_ask *ask)
{
	struct fixture *f = ctx;

	f->asked++;
	f->ask = *ask;
	return f->answer;
}

static int
check_hook(void *ctx, const cJSON *plan, struct err *err)
{
	struct fixture *f = ctx;
	double index = 0;

	f->checked++;
	assert_int_equal(json_num(plan, "batch.index", &index), 0);
	if ((long)index == f->refuse)
		return err_set(err, ERR_USAGE, "refused: protected");
	return 0;
}

static int
run(struct fixture *f, const cJSON *b, struct act_batch_result *res, struct err *err)
{
	struct act_env env = { .store = f->s, .client = f->client, .account = ACCOUNT };
	const char *aliases[] = { "acme-dev" };
	struct act_batch_env benv = { .env = &env,
		                      .aliases = aliases,
		                      .n_aliases = 1,
		                      .confirm = ask_once,
		                      .confirm_ctx = f,
		                      .check = check_hook,
		                      .check_ctx = f };

	return act_batch_run(&benv, b, res, err);
}

static void
journal(struct fixture *f, struct store_actions *all)
{
	memset(all, 0, sizeof(*all));
	assert_int_equal(store_actions_list(f->s, NULL, all, NULL), 0);
}

static void
test_not_confirmed_journals_each_plan_cancelled_after_one_question(void **state)
{
	struct fixture *f = *state;
	cJSON *b = three(f);
	struct act_batch_result res;
	struct store_actions all;
	struct err err = { 0 };
	size_t i;

	f->answer = 0;
	assert_int_equal(run(f, b, &res, &err), ERR_CANCELLED);
	assert_int_equal(f->asked, 1);
	assert_int_equal(f->ask.count, 3);
	assert_string_equal(act_batch_ask_word(&f->ask), "acme-dev");
	assert_int_equal(f->checked, 0); /* nothing is checked or read for a no */
	assert_int_equal(res.n, 3);
	journal(f, &all);
	assert_int_equal(all.n, 3);
	for (i = 0; i < all.n; i++) {
		assert_string_equal(all.v[i].state, "cancelled");
		assert_int_equal(res.v[i].rc, ERR_CANCELLED);
	}
	store_actions_release(&all);
	act_batch_result_release(&res);
	cJSON_Delete(b);
}

static void
test_a_failed_plan_does_not_stop_the_others(void **state)
{
	struct fixture *f = *state;
	cJSON *b = three(f), *plan;
	struct act_batch_result res;
	struct store_actions all;
	struct err err = { 0 };
	size_t i;

	f->refuse = 2;
	assert_int_equal(run(f, b, &res, &err), ERR_CREDS);
	assert_string_equal(err.msg, "3 of 3 plans did not verify (0 skipped)");
	assert_int_equal(f->asked, 1);
	assert_int_equal(f->checked, 3);
	assert_int_equal(res.n_failed, 3);
	assert_int_equal(res.n_verified, 0);
	assert_int_equal(res.v[1].rc, ERR_USAGE); /* refused by the check: never journaled */
	assert_int_equal(res.v[1].res.id, 0);
	assert_string_equal(res.v[1].err.msg, "refused: protected");
	assert_non_null(strstr(res.v[2].summary, "quarantine gamma"));
	journal(f, &all);
	assert_int_equal(all.n, 2); /* alpha and gamma were tried: their re-read failed */
	for (i = 0; i < all.n; i++) {
		double index = 0, of = 0;

		assert_string_equal(all.v[i].state, "failed");
		plan = cJSON_Parse(all.v[i].plan);
		assert_string_equal(json_str(plan, "batch.id"), res.id);
		assert_int_equal(json_num(plan, "batch.index", &index), 0);
		assert_int_equal(json_num(plan, "batch.of", &of), 0);
		assert_true(index == (i ? 3 : 1) && of == 3);
		cJSON_Delete(plan);
	}
	assert_int_equal(res.v[0].res.id, all.v[0].id);
	assert_string_equal(res.v[0].res.state, "failed");
	store_actions_release(&all);
	act_batch_result_release(&res);
	cJSON_Delete(b);
}

static void
test_stop_on_error_skips_the_plans_after_it(void **state)
{
	struct fixture *f = *state;
	cJSON *b = three(f);
	struct act_batch_result res;
	struct store_actions all;
	struct err err = { 0 };

	cJSON_AddTrueToObject(cJSON_GetArrayItem(json_path(b, "plans"), 0), "stop_on_error");
	assert_int_equal(run(f, b, &res, &err), ERR_CREDS);
	assert_int_equal(res.n_failed, 1);
	assert_int_equal(res.n_skipped, 2);
	assert_true(res.v[1].skipped && res.v[2].skipped);
	assert_int_equal(res.v[2].rc, ERR_CANCELLED);
	assert_int_equal(f->checked, 1);
	journal(f, &all);
	assert_int_equal(all.n, 1); /* the skipped never reach the journal */
	store_actions_release(&all);
	act_batch_result_release(&res);
	cJSON_Delete(b);

	/* the batch's own stop_on_error is every plan's default */
	b = three(f);
	cJSON_AddTrueToObject(b, "stop_on_error");
	f->refuse = 1;
	assert_int_equal(run(f, b, &res, &err), ERR_USAGE);
	assert_int_equal(res.n_skipped, 2);
	act_batch_result_release(&res);
	cJSON_Delete(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_add_keeps_the_region_only_while_every_plan_shares_it),
		T(test_add_refuses_another_account_and_a_repeated_plan),
		T(test_validate_names_the_first_fault),
		T(test_the_word_is_the_first_alias_or_the_id),
		T(test_describe_shows_the_count_each_plan_and_destructive_names),
		T(test_not_confirmed_journals_each_plan_cancelled_after_one_question),
		T(test_a_failed_plan_does_not_stop_the_others),
		T(test_stop_on_error_skips_the_plans_after_it),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
