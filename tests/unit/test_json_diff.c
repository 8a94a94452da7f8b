#include "cmocka_prelude.h"
#include <stdlib.h>
#include <string.h>

#include "analyze/json_diff.h"
#include "util/buf.h"
#include "util/json.h"

static char *
diff(const char *a, const char *b, int context)
{
	struct err err = { 0 };
	char *out = NULL;

	assert_int_equal(json_diff_text(a, b, "old", "new", context, &out, &err), 0);
	assert_non_null(out);
	return out;
}

static void
test_json_diff_equal_texts_give_empty_diff(void **state)
{
	char *out;

	(void)state;
	out = diff("a\nb\nc\n", "a\nb\nc\n", 3);
	assert_string_equal(out, "");
	free(out);
}

static void
test_json_diff_changed_line_has_header_and_context(void **state)
{
	char *out;

	(void)state;
	out = diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", 3);
	assert_string_equal(out, "--- old\n+++ new\n"
	                         "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
	free(out);
}

static void
test_json_diff_far_changes_make_two_hunks(void **state)
{
	char *out;

	(void)state;
	out = diff("a\n1\n2\n3\n4\n5\n6\n7\n8\nz\n", "A\n1\n2\n3\n4\n5\n6\n7\n8\nZ\n", 1);
	assert_string_equal(out, "--- old\n+++ new\n"
	                         "@@ -1,2 +1,2 @@\n-a\n+A\n 1\n"
	                         "@@ -9,2 +9,2 @@\n 8\n-z\n+Z\n");
	free(out);
}

static void
test_json_diff_near_changes_share_a_hunk(void **state)
{
	char *out;

	(void)state;
	out = diff("a\n1\n2\nz\n", "A\n1\n2\nZ\n", 1);
	assert_string_equal(out, "--- old\n+++ new\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n-z\n+Z\n");
	free(out);
}

static void
test_json_diff_pure_insert_and_delete_count_as_diff_u(void **state)
{
	char *out;

	(void)state;
	out = diff("", "x\ny\n", 3);
	assert_string_equal(out, "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n");
	free(out);
	out = diff("a\nb\nc\n", "a\nc\n", 0);
	assert_string_equal(out, "--- old\n+++ new\n@@ -2 +1,0 @@\n-b\n");
	free(out);
}

static void
test_json_diff_keeps_common_lines_between_changes(void **state)
{
	char *out;

	(void)state;
	/* an LCS, not a replace-all: "keep" stays a context line */
	out = diff("x\nkeep\ny\n", "keep\nnew\n", 3);
	assert_string_equal(out, "--- old\n+++ new\n@@ -1,3 +1,2 @@\n-x\n keep\n-y\n+new\n");
	free(out);
}

static void
test_json_diff_documents_show_removed_and_added_members(void **state)
{
	struct err err = { 0 };
	cJSON *a = json_parse("{\"Action\":\"s3:*\",\"Resource\":\"*\"}", 34, &err);
	cJSON *b = json_parse("{\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}", 41, &err);
	char *out = NULL;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(json_diff(a, b, "current", "proposed", 3, &out, &err), 0);
	assert_non_null(strstr(out, "--- current\n+++ proposed\n"));
	assert_non_null(strstr(out, "\n-\t\"Action\":\t\"s3:*\",\n"));
	assert_non_null(strstr(out, "\n+\t\"Action\":\t\"s3:GetObject\",\n"));
	assert_non_null(strstr(out, "\n \t\"Resource\":\t\"*\"\n"));
	free(out);
	assert_int_equal(json_diff(NULL, b, "none", "proposed", 3, &out, &err), 0);
	assert_non_null(strstr(out, "@@ -0,0 +1,4 @@\n+{\n"));
	free(out);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

static void
test_json_diff_huge_middle_is_replaced_whole(void **state)
{
	struct buf a, b;
	char *out;
	size_t i, minus = 0, plus = 0;
	const char *p;

	(void)state;
	buf_init(&a, 0);
	buf_init(&b, 0);
	for (i = 0; i < 2100; i++) {
		buf_printf(&a, "a%zu\n", i);
		buf_printf(&b, "b%zu\n", i);
	}
	out = diff(buf_cstr(&a), buf_cstr(&b), 3);
	for (p = out; (p = strchr(p, '\n')); p++) {
		minus += p[1] == '-' && p[2] == 'a';
		plus += p[1] == '+' && p[2] == 'b';
	}
	assert_int_equal(minus, 2100);
	assert_int_equal(plus, 2100);
	free(out);
	buf_release(&a);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_diff_equal_texts_give_empty_diff),
		cmocka_unit_test(test_json_diff_changed_line_has_header_and_context),
		cmocka_unit_test(test_json_diff_far_changes_make_two_hunks),
		cmocka_unit_test(test_json_diff_near_changes_share_a_hunk),
		cmocka_unit_test(test_json_diff_pure_insert_and_delete_count_as_diff_u),
		cmocka_unit_test(test_json_diff_keeps_common_lines_between_changes),
		cmocka_unit_test(test_json_diff_documents_show_removed_and_added_members),
		cmocka_unit_test(test_json_diff_huge_middle_is_replaced_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
