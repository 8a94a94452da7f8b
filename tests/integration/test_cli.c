/* The command line as a user meets it: --version, --help, bad usage. */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/resource.h>

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

/*
 * A credential_process child inherits shears' core limit: the script answers
 * with credentials only when core dumps are off, then whoami fails later at
 * the closed endpoint instead of at "no credentials".
 */
static void
test_core_dumps_are_off_while_credentials_are_held(void **state)
{
	char *dir = test_tmpdir(), script[4096], config[4096], cfgenv[4200], *out, *err;
	char *argv[] = { (char *)test_shears_bin(), "--endpoint-url", "http://127.0.0.1:1",
		         "whoami", NULL };
	char *env[] = { cfgenv, "AWS_EC2_METADATA_DISABLED=true", "AWS_PROFILE=p",
		        "AWS_SHARED_CREDENTIALS_FILE=/nonexistent", NULL };
	static const char body[] =
	        "#!/bin/sh\n[ \"$(ulimit -c)\" = 0 ] || { echo core dumps on >&2; exit 1; }\n"
	        "echo '{\"Version\":1,\"AccessKeyId\":\"AKIDCORETEST\","
	        "\"SecretAccessKey\":\"s3cr3t-core-test-value\"}'\n";
	char cfg[8300];

	struct rlimit core = { 1 << 20, RLIM_INFINITY };

	(void)state;
	/* start shears with core dumps allowed, so it has to turn them off itself */
	getrlimit(RLIMIT_CORE, &core);
	core.rlim_cur = core.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_CORE, &core), 0);
	snprintf(script, sizeof(script), "%s/creds.sh", dir);
	snprintf(config, sizeof(config), "%s/config", dir);
	test_write_file(script, body, strlen(body));
	snprintf(cfg, sizeof(cfg), "[profile p]\ncredential_process = /bin/sh %s\n", script);
	test_write_file(config, cfg, strlen(cfg));
	snprintf(cfgenv, sizeof(cfgenv), "AWS_CONFIG_FILE=%s", config);
	assert_int_equal(test_run(argv, env, &out, &err), 1);
	assert_null(strstr(err, "core dumps on"));
	assert_null(strstr(err, "no credentials"));
	assert_non_null(strstr(err, "sts GetCallerIdentity"));
	assert_null(strstr(err, "s3cr3t-core-test-value"));
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
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
		cmocka_unit_test(test_core_dumps_are_off_while_credentials_are_held),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
