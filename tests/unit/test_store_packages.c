/* Packages read by a scan: written once per CodeSha256, known afterwards. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/packages.h"
#include "testutil.h"

static void
test_put_known_get(void **state)
{
	struct store_package p = { .code_sha = "abc=",
		                   .scanned_at = 100,
		                   .files = 3,
		                   .bytes = 42,
		                   .secrets = "[{\"rule\":\"SHR-SEC-001\"}]" };
	struct store_package_row row;
	struct store *s;
	char path[512];
	char *dir = test_tmpdir();

	(void)state;
	snprintf(path, sizeof(path), "%s/cache.db", dir);
	assert_int_equal(store_open(path, 0, &s, NULL), 0);
	assert_int_equal(store_package_known(s, "abc=", NULL), 0);
	assert_int_equal(store_package_get(s, "abc=", &row, NULL), ERR_NOTFOUND);
	assert_int_equal(store_package_put(s, &p, NULL), 0);
	assert_int_equal(store_package_known(s, "abc=", NULL), 1);
	assert_int_equal(store_package_get(s, "abc=", &row, NULL), 0);
	assert_int_equal(row.p.files, 3);
	assert_string_equal(row.p.problems, "[]");
	assert_non_null(strstr(row.p.secrets, "SHR-SEC-001"));
	store_package_release(&row);
	p.files = 4; /* a rescan of the same package replaces its row */
	assert_int_equal(store_package_put(s, &p, NULL), 0);
	assert_int_equal(store_package_get(s, "abc=", &row, NULL), 0);
	assert_int_equal(row.p.files, 4);
	store_package_release(&row);
	store_close(s);
	test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_known_get),
	};

	return cmocka_run_group_tests_name("store_packages", tests, NULL, NULL);
}
