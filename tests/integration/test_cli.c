/* The command line as a user meets it: --version, --help, bad usage. */
#include "cmocka_prelude.h"
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static int
run_shears(char *const *args, char **out, char **err)
{
	char *argv[16] = { (char *)test_shears_bin() };
	char *env[] = { "AWS_EC2_METADATA_DISABLED=true", NULL };
	size_t i;

	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	return test_run(argv, env, out, err);
}

static void
test_version_prints_name_and_version(void **state)
{
	char *args[] = { "--version", NULL }, *out, *err;

	(void)state;
	assert_int_equal(run_shears(args, &out, &err), 0);
	assert_true(strncmp(out, "shears ", 7) == 0);
	assert_non_null(strstr(out, SHEARS_VERSION));
	free(out);
	free(err);
}

static void
test_help_lists_commands_and_options(void **state)
{
	char *args[] = { "--help", NULL }, *out, *err;

	(void)state;
	assert_int_equal(run_shears(args, &out, &err), 0);
	assert_non_null(strstr(out, "whoami"));
	assert_non_null(strstr(out, "--endpoint-url"));
	assert_non_null(strstr(out, "--profile"));
	free(out);
	free(err);
}

static void
test_unknown_flag_is_usage_error_exit_2(void **state)
{
	char *args[] = { "--frobnicate", NULL }, *out, *err;

	(void)state;
	assert_int_equal(run_shears(args, &out, &err), 2);
	assert_non_null(strstr(err, "unknown option '--frobnicate'"));
	assert_non_null(strstr(err, "shears --help"));
	free(out);
	free(err);
}

static void
test_unknown_command_and_missing_value_exit_2(void **state)
{
	char *a1[] = { "frobnicate", NULL }, *a2[] = { "--profile", NULL };
	char *a3[] = { "--max-in-flight", "0", "whoami", NULL };
	char *out, *err;

	(void)state;
	assert_int_equal(run_shears(a1, &out, &err), 2);
	assert_non_null(strstr(err, "unknown command 'frobnicate'"));
	free(out);
	free(err);
	assert_int_equal(run_shears(a2, &out, &err), 2);
	assert_non_null(strstr(err, "needs a value"));
	free(out);
	free(err);
	assert_int_equal(run_shears(a3, &out, &err), 2);
	assert_non_null(strstr(err, "--max-in-flight"));
	free(out);
	free(err);
}

static void
test_hostile_argument_is_shown_terminal_safe(void **state)
{
	char *args[] = { "fn\x1b[2J", NULL }, *out, *err;

	(void)state;
	assert_int_equal(run_shears(args, &out, &err), 2);
	assert_null(strchr(err, '\x1b'));
	assert_non_null(strstr(err, "fn^[[2J"));
	free(out);
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_prints_name_and_version),
		cmocka_unit_test(test_help_lists_commands_and_options),
		cmocka_unit_test(test_unknown_flag_is_usage_error_exit_2),
		cmocka_unit_test(test_unknown_command_and_missing_value_exit_2),
		cmocka_unit_test(test_hostile_argument_is_shown_terminal_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
