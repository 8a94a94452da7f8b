/*
 * util/ini: the AWS shared config format as botocore reads it, and errors
 * that name the file and line.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/ini.h"

static int
parse(const char *text, struct ini_file *f, struct err *err)
{
	err_clear(err);
	return ini_parse(text, strlen(text), "~/.aws/config", f, err);
}

static void
test_ini_reads_sections_keys_and_comments(void **state)
{
	struct ini_file f;
	struct err err;
	const struct ini_section *s;

	(void)state;
	assert_int_equal(
	        parse("\xef\xbb\xbf# top\n[default]\nregion = eu-west-1\n"
	              "; note\n  # indented comment\nOutput: json\n\n"
	              "[profile dev] ; trailing words are ignored\nrole_arn=arn:aws:iam::1:role/x\nempty =\n",
	              &f, &err),
	        0);
	assert_int_equal(f.n_sections, 2);
	s = ini_section_find(&f, "default");
	assert_non_null(s);
	assert_string_equal(ini_get(s, "region"), "eu-west-1");
	assert_string_equal(ini_get(s, "output"), "json"); /* keys lower-cased, ':' delimits */
	s = ini_section_find(&f, "profile dev");
	assert_string_equal(ini_get(s, "role_arn"), "arn:aws:iam::1:role/x");
	assert_string_equal(ini_get(s, "empty"), "");
	assert_null(ini_get(s, "region"));
	assert_null(ini_section_find(&f, "dev"));
	ini_release(&f);
	ini_release(&f); /* safe twice */
}

static void
test_ini_has_no_inline_comments(void **state)
{
	struct ini_file f;
	struct err err;

	(void)state;
	assert_int_equal(parse("[a]\nk = v # not a comment ; either\n", &f, &err), 0);
	assert_string_equal(ini_get(&f.sections[0], "k"), "v # not a comment ; either");
	ini_release(&f);
}

static void
test_ini_nests_indented_block_after_empty_value(void **state)
{
	struct ini_file f;
	struct err err;
	const struct ini_section *s;

	(void)state;
	assert_int_equal(parse("[profile x]\ns3 =\n  max_concurrent_requests = 20\n\n"
	                       "  addressing_style = path\nregion = us-east-2\n",
	                       &f, &err),
	                 0);
	s = ini_section_find(&f, "profile x");
	assert_string_equal(ini_get_sub(s, "s3", "max_concurrent_requests"), "20");
	assert_string_equal(ini_get_sub(s, "s3", "addressing_style"), "path");
	assert_null(ini_get_sub(s, "s3", "nope"));
	assert_string_equal(ini_get(s, "region"), "us-east-2");
	assert_string_equal(ini_get(s, "s3"), "");
	ini_release(&f);
}

static void
test_ini_joins_continuation_of_a_value(void **state)
{
	struct ini_file f;
	struct err err;

	(void)state;
	assert_int_equal(parse("[a]\nk = one\n  two\n\n  three\n\n", &f, &err), 0);
	assert_string_equal(ini_get(&f.sections[0], "k"), "one\ntwo\n\nthree");
	ini_release(&f);
}

static void
expect_error(const char *text, const char *msg)
{
	struct ini_file f;
	struct err err;

	assert_int_equal(parse(text, &f, &err), ERR_PARSE);
	assert_string_equal(err.msg, msg);
	assert_int_equal(f.n_sections, 0);
	assert_null(f.sections);
}

static void
test_ini_errors_name_file_and_line(void **state)
{
	(void)state;
	expect_error("[default]\nregion = x\n\n# c\n\n\njunk line\n",
	             "cannot read '~/.aws/config': line 7: expected '='");
	expect_error("key = v\n",
	             "cannot read '~/.aws/config': line 1: expected a [section] first");
	expect_error("[a]\n[b\n", "cannot read '~/.aws/config': line 2: expected ']'");
	expect_error("[a]\n[ ]\n", "cannot read '~/.aws/config': line 2: empty section name");
	expect_error("[a]\n[a]\n", "cannot read '~/.aws/config': line 2: section repeated");
	expect_error("[a]\nK=1\nk=2\n", "cannot read '~/.aws/config': line 3: key repeated");
	expect_error("[a]\ns3 =\n  novalue\n", "cannot read '~/.aws/config': line 3: expected '='");
	expect_error("[a]\n= v\n", "cannot read '~/.aws/config': line 2: empty key");
}

static void
test_ini_refuses_nul_bytes(void **state)
{
	struct ini_file f;
	struct err err;

	(void)state;
	assert_int_equal(ini_parse("[a]\nk = v\0x\n", 10, "f", &f, &err), ERR_PARSE);
	assert_string_equal(err.msg, "cannot read 'f': line 2: unexpected NUL byte");
}

static void
test_ini_load_missing_file_is_notfound(void **state)
{
	struct ini_file f;
	struct err err;
	char *dir = test_tmpdir(), path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/none", dir);
	assert_int_equal(ini_load(path, "~/.aws/none", &f, &err), ERR_NOTFOUND);
	snprintf(path, sizeof(path), "%s/config", dir);
	assert_int_equal(test_write_file(path, "[a]\nx = 1\n", 10), 0);
	assert_int_equal(ini_load(path, NULL, &f, &err), 0);
	assert_string_equal(ini_get(ini_section_find(&f, "a"), "x"), "1");
	ini_release(&f);
	test_rmtree(dir);
	free(dir);
}

static void
test_ini_refuses_files_over_the_limit(void **state)
{
	struct ini_file f;
	struct err err;
	char *big = calloc(1, INI_MAX_BYTES + 2);

	(void)state;
	memset(big, '#', INI_MAX_BYTES + 1);
	assert_int_equal(ini_parse(big, INI_MAX_BYTES + 1, "big", &f, &err), ERR_LIMIT);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ini_reads_sections_keys_and_comments),
		cmocka_unit_test(test_ini_has_no_inline_comments),
		cmocka_unit_test(test_ini_nests_indented_block_after_empty_value),
		cmocka_unit_test(test_ini_joins_continuation_of_a_value),
		cmocka_unit_test(test_ini_errors_name_file_and_line),
		cmocka_unit_test(test_ini_refuses_nul_bytes),
		cmocka_unit_test(test_ini_load_missing_file_is_notfound),
		cmocka_unit_test(test_ini_refuses_files_over_the_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
