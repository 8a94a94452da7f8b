/* The journal table: add, transitions with their steps, listing by state. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/actions.h"
#include "testutil.h"

struct fixture {
	char *dir;
	struct store *s;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[512];

	f->dir = test_tmpdir();
	snprintf(path, sizeof(path), "%s/cache.db", f->dir);
	assert_int_equal(store_open(path, 0, &f->s, NULL), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int64_t
add(struct store *s, const char *target, int64_t undo_of)
{
	struct store_action_in in = { .action = "quarantine",
		                      .target = target,
		                      .account = "111122223333",
		                      .region = "us-east-1",
		                      .state = "planned",
		                      .plan = "{\"action\":\"quarantine\"}",
		                      .undo_of = undo_of,
		                      .now = 1000 };
	int64_t id = 0;

	assert_int_equal(store_action_add(s, &in, &id, NULL), 0);
	assert_true(id > 0);
	return id;
}

static void
test_add_then_get_returns_the_plan_and_first_state(void **state)
{
	struct fixture *f = *state;
	struct store_action a;
	int64_t id = add(f->s, "arn:fn", 0);

	assert_int_equal(store_action_get(f->s, id, &a, NULL), 0);
	assert_string_equal(a.state, "planned");
	assert_string_equal(a.plan, "{\"action\":\"quarantine\"}");
	assert_string_equal(a.account, "111122223333");
	assert_int_equal(a.undo_of, 0);
	assert_int_equal(a.created, 1000);
	store_action_release(&a);
}

static void
test_update_records_each_step_and_keeps_unset_fields(void **state)
{
	struct fixture *f = *state;
	struct store_action_update u = { .state = "confirmed",
		                         .local_user = "alice",
		                         .caller = "arn:aws:iam::1:user/a",
		                         .now = 1001 };
	struct store_action_step *steps;
	struct store_action a;
	size_t n;
	int64_t id = add(f->s, "arn:fn", 0);

	assert_int_equal(store_action_update(f->s, id, &u, NULL), 0);
	memset(&u, 0, sizeof(u));
	u.state = "applied";
	u.detail = "PutFunctionConcurrency";
	u.now = 1002;
	assert_int_equal(store_action_update(f->s, id, &u, NULL), 0);
	assert_int_equal(store_action_get(f->s, id, &a, NULL), 0);
	assert_string_equal(a.state, "applied");
	assert_string_equal(a.local_user, "alice"); /* NULL in the second update: kept */
	assert_int_equal(a.updated, 1002);
	store_action_release(&a);
	assert_int_equal(store_action_steps(f->s, id, &steps, &n, NULL), 0);
	assert_int_equal(n, 3);
	assert_string_equal(steps[0].state, "planned");
	assert_string_equal(steps[1].state, "confirmed");
	assert_string_equal(steps[2].state, "applied");
	assert_string_equal(steps[2].detail, "PutFunctionConcurrency");
	assert_int_equal(steps[2].at, 1002);
	store_steps_free(steps, n);
}

static void
test_update_of_an_unknown_id_is_notfound_and_adds_no_step(void **state)
{
	struct fixture *f = *state;
	struct store_action_update u = { .state = "applied", .now = 5 };
	struct store_action_step *steps;
	struct err err = { 0 };
	size_t n;

	assert_int_equal(store_action_update(f->s, 42, &u, &err), ERR_NOTFOUND);
	assert_int_equal(store_action_steps(f->s, 42, &steps, &n, NULL), 0);
	assert_int_equal(n, 0);
	store_steps_free(steps, n);
}

static void
test_list_filters_by_state(void **state)
{
	struct fixture *f = *state;
	static const char *const pending[] = { "applying", "confirmed", NULL };
	struct store_action_update u = { .state = "applying", .now = 7 };
	struct store_actions all, open;
	int64_t a = add(f->s, "arn:a", 0);
	int64_t b = add(f->s, "arn:b", a);

	assert_int_equal(store_action_update(f->s, b, &u, NULL), 0);
	assert_int_equal(store_actions_list(f->s, NULL, &all, NULL), 0);
	assert_int_equal(all.n, 2);
	assert_int_equal(all.v[0].id, a);
	assert_int_equal(all.v[1].undo_of, a);
	assert_int_equal(store_actions_list(f->s, pending, &open, NULL), 0);
	assert_int_equal(open.n, 1);
	assert_string_equal(open.v[0].target, "arn:b");
	store_actions_release(&all);
	store_actions_release(&open);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_then_get_returns_the_plan_and_first_state,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_update_records_each_step_and_keeps_unset_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_update_of_an_unknown_id_is_notfound_and_adds_no_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_filters_by_state, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
