#include "cmocka_prelude.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store.h"
#include "testutil.h"

struct fixture {
	char *dir;
	char path[4096];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = test_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/a/b/cache.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static long
count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long n = -1;

	sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
test_store_creates_private_file_and_dir(void **state)
{
	struct fixture *f = *state;
	struct store *s;
	struct stat st;
	char dir[4096];

	assert_int_equal(store_open(f->path, 0, &s, NULL), 0);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	store_close(s);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(dir, sizeof(dir), "%s/a/b", f->dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
}

static void
test_store_refuses_cache_of_newer_schema(void **state)
{
	struct fixture *f = *state;
	struct store *s;
	struct err err = { 0 };
	sqlite3 *db;
	char sql[64];

	assert_int_equal(store_open(f->path, 0, &s, NULL), 0);
	store_close(s);
	sqlite3_open(f->path, &db);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", store_schema_latest() + 1);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, 0, &s, &err), ERR_CONFIG);
	assert_null(s);
	assert_non_null(strstr(err.msg, "newer shears"));
}

static void
test_store_refuses_garbage_and_foreign_files(void **state)
{
	struct fixture *f = *state;
	struct store *s;
	struct err err = { 0 };
	char other[4096];
	sqlite3 *db;

	mkdir(f->dir, 0700);
	snprintf(other, sizeof(other), "%s/garbage.db", f->dir);
	test_write_file(other, "this is not sqlite at all, just some text padding it out....", 60);
	assert_int_equal(store_open(other, 0, &s, &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "scan again"));
	snprintf(other, sizeof(other), "%s/foreign.db", f->dir);
	sqlite3_open(other, &db);
	sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(store_open(other, 0, &s, &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "not a shears cache"));
}

static void
put_fn(struct store *s, const char *arn, const char *region)
{
	struct model_resource r = { .arn = arn,
		                    .kind = MODEL_FUNCTION,
		                    .name = arn,
		                    .region = region,
		                    .account = "123456789012",
		                    .attrs = "{\"Timeout\":3}" };

	assert_int_equal(store_put_resource(s, &r, NULL), 0);
}

static void
test_store_reader_sees_previous_scan_until_commit(void **state)
{
	struct fixture *f = *state;
	struct store_scan scan = { .account = "123456789012", .regions = "us-east-1" };
	struct model_edge e = { .src = "fn:a", .dst = "role:r", .kind = MODEL_EDGE_ASSUMES };
	struct store *s;

	assert_int_equal(store_open(f->path, 0, &s, NULL), 0);
	assert_int_equal(store_scan_begin(s, &scan, NULL), 0);
	put_fn(s, "fn:a", "us-east-1");
	put_fn(s, "fn:b", "us-east-1");
	assert_int_equal(store_put_edge(s, &e, NULL), 0);
	assert_int_equal(count(f->path, "SELECT count(*) FROM resource"), 0);
	scan.complete = 1;
	assert_int_equal(store_scan_commit(s, &scan, NULL), 0);
	assert_int_equal(count(f->path, "SELECT count(*) FROM resource"), 2);

	/* a second scan that sees only fn:a removes fn:b, once it commits */
	scan.started = scan.finished = 0;
	assert_int_equal(store_scan_begin(s, &scan, NULL), 0);
	put_fn(s, "fn:a", "us-east-1");
	assert_int_equal(count(f->path, "SELECT count(*) FROM resource"), 2);
	assert_int_equal(store_scan_commit(s, &scan, NULL), 0);
	assert_int_equal(count(f->path, "SELECT count(*) FROM resource"), 1);
	assert_int_equal(count(f->path, "SELECT count(*) FROM edge"), 0);
	store_close(s);
}

static void
test_store_keeps_unseen_resources_of_a_region_with_a_gap(void **state)
{
	struct fixture *f = *state;
	struct store_scan scan = { .account = "1", .regions = "us-east-1,eu-west-1" };
	struct store *s;

	assert_int_equal(store_open(f->path, 0, &s, NULL), 0);
	assert_int_equal(store_scan_begin(s, &scan, NULL), 0);
	put_fn(s, "fn:use", "us-east-1");
	put_fn(s, "fn:euw", "eu-west-1");
	assert_int_equal(store_scan_commit(s, &scan, NULL), 0);
	assert_int_equal(store_scan_begin(s, &scan, NULL), 0);
	assert_int_equal(store_put_gap(s, "lambda", "eu-west-1", "ListFunctions", "503", NULL), 0);
	assert_int_equal(store_scan_commit(s, &scan, NULL), 0);
	assert_int_equal(count(f->path, "SELECT count(*) FROM resource WHERE arn = 'fn:euw'"), 1);
	assert_int_equal(count(f->path, "SELECT count(*) FROM resource WHERE arn = 'fn:use'"), 0);
	assert_int_equal(count(f->path, "SELECT count(*) FROM scan_gap"), 1);
	store_close(s);
}

static void
test_store_rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct store_scan scan = { .account = "1", .regions = "us-east-1" };
	struct store *s;

	assert_int_equal(store_open(f->path, 0, &s, NULL), 0);
	assert_int_equal(store_scan_begin(s, &scan, NULL), 0);
	put_fn(s, "fn:a", "us-east-1");
	store_scan_rollback(s);
	store_close(s);
	assert_int_equal(count(f->path, "SELECT count(*) FROM resource"), 0);
	assert_int_equal(count(f->path, "SELECT count(*) FROM scan"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_creates_private_file_and_dir, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_store_refuses_cache_of_newer_schema, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_store_refuses_garbage_and_foreign_files, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_store_reader_sees_previous_scan_until_commit,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_store_keeps_unseen_resources_of_a_region_with_a_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_rollback_leaves_nothing, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
