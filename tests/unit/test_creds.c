/*
 * aws/creds without a network: the environment, the shared files,
 * credential_process (and that no shell runs it), the order of the sources,
 * the errors, refreshing, regions and expiration times. Every test points
 * HOME and both files at a temporary directory and disables IMDS.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/creds.h"
#include "aws/creds_impl.h"
#include "testutil.h"

static char *dir;
static char config_path[4096], creds_path[4096];

static const char *const vars[] = { "AWS_ACCESS_KEY_ID",
	                            "AWS_SECRET_ACCESS_KEY",
	                            "AWS_SESSION_TOKEN",
	                            "AWS_SECURITY_TOKEN",
	                            "AWS_CREDENTIAL_EXPIRATION",
	                            "AWS_PROFILE",
	                            "AWS_REGION",
	                            "AWS_DEFAULT_REGION",
	                            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
	                            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	                            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
	                            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	                            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
	                            "AWS_METADATA_SERVICE_TIMEOUT",
	                            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
	                            "SHEARS_TEST_CONTAINER_HOST" };

static int
setup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	dir = test_tmpdir();
	snprintf(config_path, sizeof(config_path), "%s/config", dir);
	snprintf(creds_path, sizeof(creds_path), "%s/credentials", dir);
	setenv("HOME", dir, 1);
	setenv("AWS_CONFIG_FILE", config_path, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", creds_path, 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_rmtree(dir);
	free(dir);
	return 0;
}

static void
write_text(const char *path, const char *text)
{
	assert_int_equal(test_write_file(path, text, strlen(text)), 0);
}

/* Resolves with a new chain; returns the code, creds in out, error in err. */
static int
resolve(const char *profile, struct aws_creds *out, struct err *err)
{
	struct aws_creds_opts o = { .profile = profile };
	struct aws_creds_chain *c = aws_creds_chain_new(&o);
	int rc;

	memset(out, 0, sizeof(*out));
	err_clear(err);
	rc = aws_creds_chain_get(c, out, err);
	aws_creds_chain_free(c);
	return rc;
}

static void
test_environment_keys_are_used(void **state)
{
	struct aws_creds c;
	struct err err;

	(void)state;
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret-0001", 1);
	setenv("AWS_SESSION_TOKEN", "env-token-0001", 1);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDENV");
	assert_string_equal(c.secret_access_key, "env-secret-0001");
	assert_string_equal(c.session_token, "env-token-0001");
	assert_string_equal(c.source, "environment");
	assert_int_equal(c.expiration, 0);
	unsetenv("AWS_SECRET_ACCESS_KEY");
	assert_int_equal(resolve(NULL, &c, &err), ERR_CREDS);
	assert_non_null(strstr(err.msg, "AWS_SECRET_ACCESS_KEY is not"));
}

static void
test_explicit_profile_skips_environment(void **state)
{
	struct aws_creds c;
	struct err err;

	(void)state;
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret-0001", 1);
	write_text(creds_path, "[dev]\naws_access_key_id = AKIDDEV\n"
	                       "aws_secret_access_key = dev-secret-0001\n");
	assert_int_equal(resolve("dev", &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDDEV");
	assert_string_equal(c.source, "profile dev");
	/* AWS_PROFILE names the profile but, as in botocore, env keys still win */
	setenv("AWS_PROFILE", "dev", 1);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDENV");
	unsetenv("AWS_ACCESS_KEY_ID");
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDDEV");
}

static void
test_environment_wins_over_files(void **state)
{
	struct aws_creds c;
	struct err err;

	(void)state;
	write_text(creds_path, "[default]\naws_access_key_id = AKIDFILE\n"
	                       "aws_secret_access_key = file-secret-0001\n");
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDFILE");
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret-0001", 1);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDENV");
}

static void
test_credentials_file_wins_over_config_for_static_keys(void **state)
{
	struct aws_creds c;
	struct err err;

	(void)state;
	write_text(config_path,
	           "[profile dev]\naws_access_key_id = AKIDCONFIG\n"
	           "aws_secret_access_key = config-secret-01\n"
	           "[profile other]\naws_access_key_id = AKIDOTHER\n"
	           "aws_secret_access_key = other-secret-01\naws_session_token = tok-other-1\n");
	write_text(creds_path, "[dev]\naws_access_key_id = AKIDCREDS\n"
	                       "aws_secret_access_key = creds-secret-01\n");
	assert_int_equal(resolve("dev", &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDCREDS");
	assert_int_equal(resolve("other", &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDOTHER");
	assert_string_equal(c.session_token, "tok-other-1");
	/* half a pair is an error naming the file, not a silent skip */
	write_text(creds_path, "[dev]\naws_access_key_id = AKIDCREDS\n");
	assert_int_equal(resolve("dev", &c, &err), ERR_CONFIG);
	assert_non_null(strstr(err.msg, creds_path));
}

static void
test_malformed_config_names_file_and_line(void **state)
{
	struct aws_creds c;
	struct err err;
	char want[4200];

	(void)state;
	write_text(config_path, "[default]\nregion = eu-west-1\nthis line is wrong\n");
	assert_int_equal(resolve(NULL, &c, &err), ERR_CONFIG);
	snprintf(want, sizeof(want), "cannot read '%s': line 3: expected '='", config_path);
	assert_string_equal(err.msg, want);
	/* the default location is called by its short name */
	unsetenv("AWS_CONFIG_FILE");
	snprintf(want, sizeof(want), "%s/.aws", dir);
	assert_int_equal(mkdir(want, 0700), 0);
	snprintf(want, sizeof(want), "%s/.aws/config", dir);
	write_text(want, "[default]\n\n\n\n\n\n[broken\n");
	assert_int_equal(resolve(NULL, &c, &err), ERR_CONFIG);
	assert_string_equal(err.msg, "cannot read '~/.aws/config': line 7: expected ']'");
}

static void
test_nothing_found_says_what_was_tried(void **state)
{
	struct aws_creds c;
	struct err err;

	(void)state;
	unsetenv("AWS_CONFIG_FILE");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	assert_int_equal(resolve(NULL, &c, &err), ERR_CREDS);
	assert_string_equal(
	        err.msg,
	        "no credentials found: tried environment (AWS_ACCESS_KEY_ID not set), "
	        "profile default (not in ~/.aws/credentials or ~/.aws/config), "
	        "container (not configured), imds (disabled by AWS_EC2_METADATA_DISABLED)");
	/* a closed loopback port stands for "no metadata service here" */
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1/", 1);
	assert_int_equal(resolve(NULL, &c, &err), ERR_CREDS);
	assert_non_null(strstr(err.msg, "imds (no answer from 127.0.0.1:1 in 1 s)"));
}

static void
test_named_profile_must_exist(void **state)
{
	struct aws_creds c;
	struct err err;

	(void)state;
	write_text(config_path, "[profile empty]\nregion = us-east-1\n");
	assert_int_equal(resolve("nosuch", &c, &err), ERR_CONFIG);
	assert_non_null(strstr(err.msg, "profile nosuch not found"));
	assert_int_equal(resolve("empty", &c, &err), ERR_CREDS);
	assert_non_null(strstr(err.msg, "profile empty (no credentials in it)"));
}

static void
test_source_profile_cycle_is_an_error(void **state)
{
	struct aws_creds c;
	struct err err;

	(void)state;
	write_text(
	        config_path,
	        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
	        "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n"
	        "[profile c]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = a\n"
	        "[profile both]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = a\n"
	        "credential_source = Environment\n"
	        "[profile lost]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = nowhere\n"
	        "[profile self]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = self\n"
	        "[profile badsrc]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Moon\n");
	assert_int_equal(resolve("a", &c, &err), ERR_CONFIG);
	assert_string_equal(err.msg, "source_profile cycle: a -> b -> c -> a");
	assert_int_equal(resolve("both", &c, &err), ERR_CONFIG);
	assert_non_null(strstr(err.msg, "both source_profile and credential_source"));
	assert_int_equal(resolve("lost", &c, &err), ERR_CONFIG);
	assert_non_null(strstr(err.msg, "source_profile nowhere of profile lost does not exist"));
	/* naming itself is allowed only with static keys of its own */
	assert_int_equal(resolve("self", &c, &err), ERR_CONFIG);
	assert_string_equal(err.msg, "source_profile cycle: self -> self");
	assert_int_equal(resolve("badsrc", &c, &err), ERR_CONFIG);
	assert_non_null(strstr(err.msg, "credential_source Moon"));
	/* credential_source = Environment with nothing there */
	write_text(config_path, "[profile e]\nrole_arn = arn:aws:iam::1:role/x\n"
	                        "credential_source = Environment\n");
	assert_int_equal(resolve("e", &c, &err), ERR_CREDS);
	assert_non_null(strstr(err.msg, "environment (AWS_ACCESS_KEY_ID not set)"));
}

/* A credential_process script: prints its arguments to args.txt, then JSON. */
static void
write_process(const char *name, const char *json, int status)
{
	char path[4096], text[8192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(text, sizeof(text),
	         "#!/bin/sh\nprintf '%%s\\n' \"$@\" > '%s/args.txt'\n"
	         "echo 'first line of stderr' >&2\necho 'second' >&2\n"
	         "cat <<'JSON'\n%s\nJSON\nexit %d\n",
	         dir, json, status);
	write_text(path, text);
	assert_int_equal(chmod(path, 0700), 0);
}

static void
test_credential_process_answer_is_used(void **state)
{
	struct aws_creds c;
	struct err err;
	char text[8192], *args;

	(void)state;
	write_process("proc.sh",
	              "{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": "
	              "\"proc-secret-0001\", \"SessionToken\": \"proc-token-0001\", "
	              "\"Expiration\": \"2999-01-02T03:04:05Z\"}",
	              0);
	snprintf(text, sizeof(text),
	         "[default]\ncredential_process = %s/proc.sh 'a b' \"c\\\"d\"\n", dir);
	write_text(config_path, text);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDPROC");
	assert_string_equal(c.secret_access_key, "proc-secret-0001");
	assert_string_equal(c.session_token, "proc-token-0001");
	assert_int_equal(c.expiration, 32472241445);
	snprintf(text, sizeof(text), "%s/args.txt", dir);
	args = test_read_file(text, NULL);
	assert_string_equal(args, "a b\nc\"d\n");
	free(args);
}

static void
test_credential_process_errors(void **state)
{
	struct aws_creds c;
	struct err err;
	char text[8192];

	(void)state;
	snprintf(text, sizeof(text), "[default]\ncredential_process = %s/proc.sh\n", dir);
	write_text(config_path, text);
	write_process("proc.sh",
	              "{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"B\"}", 0);
	assert_int_equal(resolve(NULL, &c, &err), ERR_CREDS);
	assert_non_null(strstr(err.msg, "\"Version\": 1"));
	write_process("proc.sh", "{\"Version\": 1, \"SecretAccessKey\": \"secret-not-shown\"}", 0);
	assert_int_equal(resolve(NULL, &c, &err), ERR_CREDS);
	assert_null(strstr(err.msg, "secret-not-shown"));
	write_process("proc.sh", "not json", 0);
	assert_int_equal(resolve(NULL, &c, &err), ERR_CREDS);
	assert_non_null(strstr(err.msg, "not JSON"));
	write_process("proc.sh", "{}", 3);
	assert_int_equal(resolve(NULL, &c, &err), ERR_CREDS);
	assert_non_null(strstr(err.msg, "exit status 3: first line of stderr"));
	assert_null(strstr(err.msg, "second"));
	write_text(config_path, "[default]\ncredential_process = /nonexistent/prog\n");
	assert_int_equal(resolve(NULL, &c, &err), ERR_CREDS);
	assert_non_null(strstr(err.msg, "cannot run it"));
	write_text(config_path, "[default]\ncredential_process = 'open quote\n");
	assert_int_equal(resolve(NULL, &c, &err), ERR_CONFIG);
	assert_non_null(strstr(err.msg, "no closing quotation"));
}

static void
test_credential_process_runs_without_a_shell(void **state)
{
	struct aws_creds c;
	struct err err;
	char text[8192], path[4096], *args;

	(void)state;
	write_process("proc.sh",
	              "{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": "
	              "\"proc-secret-0002\"}",
	              0);
	snprintf(text, sizeof(text),
	         "[default]\ncredential_process = %s/proc.sh x;touch %s/semi $(touch %s/subst) "
	         "`touch %s/tick` |tee %s/pipe\n",
	         dir, dir, dir, dir, dir);
	write_text(config_path, text);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDPROC");
	snprintf(path, sizeof(path), "%s/args.txt", dir);
	args = test_read_file(path, NULL);
	snprintf(text, sizeof(text),
	         "x;touch\n%s/semi\n$(touch\n%s/subst)\n`touch\n%s/tick`\n|tee\n%s/pipe\n", dir,
	         dir, dir, dir);
	assert_string_equal(args, text);
	free(args);
	snprintf(path, sizeof(path), "%s/semi", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/subst)", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/subst", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/tick`", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/pipe", dir);
	assert_int_not_equal(access(path, F_OK), 0);
}

static void
test_split_words_like_a_shell(void **state)
{
	struct err err;
	char **argv;

	(void)state;
	argv = creds_split_words("  prog  'single $x' \"dq \\\"in\\\" \\$y\" back\\ slash '' end",
	                         &err);
	assert_non_null(argv);
	assert_string_equal(argv[0], "prog");
	assert_string_equal(argv[1], "single $x");
	assert_string_equal(argv[2], "dq \"in\" \\$y");
	assert_string_equal(argv[3], "back slash");
	assert_string_equal(argv[4], "");
	assert_string_equal(argv[5], "end");
	assert_null(argv[6]);
	creds_argv_free(argv);
	assert_null(creds_split_words("   ", &err));
	assert_null(creds_split_words("a \"b", &err));
}

static void
test_expiring_credentials_are_refreshed(void **state)
{
	struct aws_creds_chain *ch = aws_creds_chain_new(NULL);
	struct aws_creds c;
	struct err err;
	char when[64];
	time_t soon = time(NULL) + AWS_CREDS_REFRESH_S - 30, later = time(NULL) + 3600;

	(void)state;
	setenv("AWS_ACCESS_KEY_ID", "AKIDONE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret-0001", 1);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&soon));
	setenv("AWS_CREDENTIAL_EXPIRATION", when, 1);
	assert_int_equal(aws_creds_chain_get(ch, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDONE");
	assert_int_equal(c.expiration, soon);
	/* within the refresh window: the next get looks again */
	setenv("AWS_ACCESS_KEY_ID", "AKIDTWO", 1);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&later));
	setenv("AWS_CREDENTIAL_EXPIRATION", when, 1);
	assert_int_equal(aws_creds_chain_get(ch, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDTWO");
	/* an hour left: kept, the environment is not read again */
	setenv("AWS_ACCESS_KEY_ID", "AKIDTHREE", 1);
	assert_int_equal(aws_creds_chain_get(ch, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDTWO");
	aws_creds_chain_free(ch);
}

static void
test_profile_region_order(void **state)
{
	char region[64];
	struct err err;

	(void)state;
	write_text(config_path,
	           "[default]\nregion = eu-north-1\n[profile dev]\nregion = ap-south-1\n");
	assert_int_equal(aws_profile_region(NULL, region, sizeof(region), &err), 0);
	assert_string_equal(region, "eu-north-1");
	assert_int_equal(aws_profile_region("dev", region, sizeof(region), &err), 0);
	assert_string_equal(region, "ap-south-1");
	setenv("AWS_PROFILE", "dev", 1);
	assert_int_equal(aws_profile_region(NULL, region, sizeof(region), &err), 0);
	assert_string_equal(region, "ap-south-1");
	setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
	assert_int_equal(aws_profile_region("dev", region, sizeof(region), &err), 0);
	assert_string_equal(region, "us-west-1");
	setenv("AWS_REGION", "us-west-2", 1);
	assert_int_equal(aws_profile_region("dev", region, sizeof(region), &err), 0);
	assert_string_equal(region, "us-west-2");
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	assert_int_equal(aws_profile_region("nosuch", region, sizeof(region), &err), ERR_NOTFOUND);
	write_text(config_path, "[default\n");
	assert_int_equal(aws_profile_region(NULL, region, sizeof(region), &err), ERR_CONFIG);
}

static void
test_parse_time_accepts_aws_forms(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(aws_creds_parse_time("2024-05-01T12:00:00Z", &t), 0);
	assert_int_equal(t, 1714564800);
	assert_int_equal(aws_creds_parse_time("2024-05-01T12:00:00.123Z", &t), 0);
	assert_int_equal(t, 1714564800);
	assert_int_equal(aws_creds_parse_time("2024-05-01T14:00:00+02:00", &t), 0);
	assert_int_equal(t, 1714564800);
	assert_int_equal(aws_creds_parse_time("2024-05-01T07:00:00-0500", &t), 0);
	assert_int_equal(t, 1714564800);
	assert_int_equal(aws_creds_parse_time("2024-05-01", &t), ERR_PARSE);
	assert_int_equal(aws_creds_parse_time("2024-13-01T00:00:00Z", &t), ERR_PARSE);
	assert_int_equal(aws_creds_parse_time("2024-05-01T12:00:00Zjunk", &t), ERR_PARSE);
}

static void
test_static_get_and_wipe(void **state)
{
	struct aws_creds a = { .access_key_id = "AKID", .secret_access_key = "s3cr3t-value" }, b;
	struct err err;
	size_t i;

	(void)state;
	assert_int_equal(aws_creds_static_get(&a, &b, &err), 0);
	assert_string_equal(b.secret_access_key, "s3cr3t-value");
	aws_creds_wipe(&b);
	for (i = 0; i < sizeof(b); i++)
		assert_int_equal(((unsigned char *)&b)[i], 0);
	a.secret_access_key[0] = '\0';
	assert_int_equal(aws_creds_static_get(&a, &b, &err), ERR_CREDS);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_environment_keys_are_used),
		T(test_explicit_profile_skips_environment),
		T(test_environment_wins_over_files),
		T(test_credentials_file_wins_over_config_for_static_keys),
		T(test_malformed_config_names_file_and_line),
		T(test_nothing_found_says_what_was_tried),
		T(test_named_profile_must_exist),
		T(test_source_profile_cycle_is_an_error),
		T(test_credential_process_answer_is_used),
		T(test_credential_process_errors),
		T(test_credential_process_runs_without_a_shell),
		T(test_split_words_like_a_shell),
		T(test_expiring_credentials_are_refreshed),
		T(test_profile_region_order),
		T(test_parse_time_accepts_aws_forms),
		T(test_static_get_and_wipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
