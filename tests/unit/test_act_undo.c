/* Backups (private, never overwritten) and the undo plan built from one. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "act/act.h"
#include "act/run.h"
#include "store/actions.h"
#include "testutil.h"
#include "util/json.h"

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

static const char timeout_plan[] =
        "{\"shears_plan\":1,\"action\":\"shorten-timeout\",\"account\":\"111122223333\","
        "\"region\":\"us-east-1\",\"target\":{\"arn\":\"arn:aws:lambda:us-east-1:111122223333:"
        "function:job\",\"name\":\"job\",\"kind\":\"function\"},"
        "\"revisions\":{\"RevisionId\":\"r1\"},\"before\":{\"Timeout\":900},"
        "\"after\":{\"Timeout\":3},\"calls\":[{\"service\":\"lambda\",\"operation\":"
        "\"UpdateFunctionConfiguration\",\"method\":\"PUT\",\"path\":\"/2015-03-31/functions/"
        "job/configuration\",\"body\":{\"Timeout\":3,\"RevisionId\":\"r1\"}}],"
        "\"undo\":{\"restores\":{\"Timeout\":900},\"calls\":[]},\"explain\":\"\","
        "\"destructive\":false}";

/* A journal entry as a verified run leaves it, with its backup file. */
static int64_t
verified_entry(struct fixture *f, const char *state, char *backup, size_t n)
{
	struct store_action_in in = { .action = "shorten-timeout",
		                      .target =
		                              "arn:aws:lambda:us-east-1:111122223333:function:job",
		                      .state = "planned",
		                      .plan = timeout_plan,
		                      .now = 1 };
	struct store_action_update u = { .state = state,
		                         .result = "{\"RevisionId\":\"r2\",\"Timeout\":3}",
		                         .now = 2 };
	cJSON *b = cJSON_Parse("{\"state\":{\"RevisionId\":\"r1\",\"Timeout\":900,"
	                       "\"ReservedConcurrentExecutions\":null}}");
	char dir[600];
	int64_t id;

	assert_int_equal(store_action_add(f->s, &in, &id, NULL), 0);
	snprintf(dir, sizeof(dir), "%s/data/shears/backups", f->dir);
	assert_int_equal(act_backup_write(dir, id, "shorten-timeout", "job", b, backup, n, NULL),
	                 0);
	u.backup = backup;
	assert_int_equal(store_action_update(f->s, id, &u, NULL), 0);
	cJSON_Delete(b);
	return id;
}

static void
test_backup_is_private_and_never_overwritten(void **state)
{
	struct fixture *f = *state;
	char path[1024], again[1024], dir[600];
	struct err err = { 0 };
	struct stat st;
	cJSON *b = cJSON_Parse("{\"secret\":\"kept\"}"), *back = NULL;

	snprintf(dir, sizeof(dir), "%s/x/backups", f->dir);
	assert_int_equal(
	        act_backup_write(dir, 7, "quarantine", "../evil name", b, path, sizeof(path), NULL),
	        0);
	assert_non_null(strstr(path, "/7-quarantine-_._evil_name.json"));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* the same id again (a new cache restarts ids): a new name, the old file untouched */
	cJSON_ReplaceItemInObject(b, "secret", cJSON_CreateString("newer"));
	assert_int_equal(act_backup_write(dir, 7, "quarantine", "../evil name", b, again,
	                                  sizeof(again), &err),
	                 0);
	assert_string_not_equal(again, path);
	assert_non_null(strstr(again, "/7-quarantine-_._evil_name.1.json"));
	assert_int_equal(act_backup_read(path, &back, NULL), 0);
	assert_string_equal(json_str(back, "secret"), "kept");
	cJSON_Delete(back);
	cJSON_Delete(b);
}

static void
test_undo_plan_goes_from_the_result_back_to_the_backup(void **state)
{
	struct fixture *f = *state;
	char backup[1024];
	int64_t id = verified_entry(f, "verified", backup, sizeof(backup));
	cJSON *plan = NULL;
	const cJSON *call;
	double v;

	assert_int_equal(act_undo_plan(f->s, id, &plan, NULL), 0);
	assert_int_equal(act_plan_validate(plan, NULL), 0);
	assert_int_equal(json_num(plan, "undo_of", &v), 0);
	assert_true(v == id);
	assert_int_equal(json_num(plan, "before.Timeout", &v), 0);
	assert_true(v == 3);
	assert_int_equal(json_num(plan, "after.Timeout", &v), 0);
	assert_true(v == 900);
	/* guarded by the revision the change left, not the one before it */
	assert_string_equal(json_str(plan, "revisions.RevisionId"), "r2");
	call = cJSON_GetArrayItem(json_path(plan, "calls"), 0);
	assert_string_equal(json_str(call, "body.RevisionId"), "r2");
	assert_int_equal(json_num(call, "body.Timeout", &v), 0);
	assert_true(v == 900);
	cJSON_Delete(plan);
}

static void
test_only_a_verified_change_can_be_undone(void **state)
{
	struct fixture *f = *state;
	char backup[1024];
	int64_t id = verified_entry(f, "mismatch", backup, sizeof(backup));
	struct err err = { 0 };
	cJSON *plan = NULL;

	assert_int_equal(act_undo_plan(f->s, id, &plan, &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, "is mismatch"));
	assert_null(plan);
	assert_int_equal(act_undo_plan(f->s, id + 100, &plan, &err), ERR_NOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backup_is_private_and_never_overwritten, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
		        test_undo_plan_goes_from_the_result_back_to_the_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_only_a_verified_change_can_be_undone, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
