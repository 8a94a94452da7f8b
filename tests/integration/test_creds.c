/*
 * aws/creds against tests/integration/credserver.py on loopback: container
 * credentials, IMDSv2 with its token, STS AssumeRole (signed with the
 * source profile's key, checked by the stand-in) and GetCallerIdentity,
 * refreshing, the order of the sources, and that no secret reaches the log
 * or an error message. IMDS is pointed at the stand-in or disabled in every
 * test; HOME and both shared files are temporary.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "aws/creds.h"
#include "aws/sts.h"
#include "aws/transport.h"
#include "testutil.h"
#include "util/buf.h"
#include "util/log.h"

#define SOURCE_AKID   "AKIDSOURCE0000000001"
#define SOURCE_SECRET "source-secret-do-not-print-0001"
#define ENV_AKID      "AKIDENVSOURCE0000001"
#define ENV_SECRET    "env-secret-do-not-print-0002"
#define ENV_TOKEN     "env-token-do-not-print-0003"
#define CONT_TOKEN    "Bearer container-auth-do-not-print-0004"

static char *dir;
static char config_path[4096], creds_path[4096];
static struct test_server srv;
static struct buf messages; /* every error message the tests saw */

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
	                            "SHEARS_TEST_CONTAINER_HOST",
	                            "AWS_ENDPOINT_URL",
	                            "AWS_ENDPOINT_URL_STS" };

static void
server_start(const char *expiry)
{
	char *argv[] = { "/usr/bin/python3",
		         "-I",
		         (char *)test_path("tests/integration/credserver.py"),
		         "--port",
		         "0",
		         "--expiry-seconds",
		         (char *)expiry,
		         "--container-token",
		         CONT_TOKEN,
		         "--key",
		         SOURCE_AKID ":" SOURCE_SECRET,
		         "--key",
		         ENV_AKID ":" ENV_SECRET,
		         NULL };

	assert_int_equal(test_server_start(&srv, argv, 20), 0);
}

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
	server_start("3600");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_server_stop(&srv);
	test_rmtree(dir);
	free(dir);
	return 0;
}

static void
write_text(const char *path, const char *text)
{
	assert_int_equal(test_write_file(path, text, strlen(text)), 0);
}

static void
note_error(const struct err *err)
{
	char line[2048];

	buf_printf(&messages, "%s\n", err_format(err, line, sizeof(line)));
}

static int
get(struct aws_creds_chain *ch, struct aws_creds *out, struct err *err)
{
	int rc;

	err_clear(err);
	rc = aws_creds_chain_get(ch, out, err);
	if (rc)
		note_error(err);
	return rc;
}

static int
resolve(const char *profile, struct aws_creds *out, struct err *err)
{
	struct aws_creds_opts o = { .profile = profile, .endpoint_url = srv.url };
	struct aws_creds_chain *ch = aws_creds_chain_new(&o);
	int rc = get(ch, out, err);

	aws_creds_chain_free(ch);
	return rc;
}

static size_t
on_body(char *p, size_t size, size_t n, void *user)
{
	return buf_append(user, p, size * n) ? 0 : size * n;
}

/* The stand-in's counters and records (caller deletes). */
static cJSON *
stats(void)
{
	CURL *c = curl_easy_init();
	struct buf b;
	char url[600];
	cJSON *j;

	buf_init(&b, 0);
	snprintf(url, sizeof(url), "%s/_admin/stats", srv.url);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_cleanup(c);
	j = cJSON_Parse(buf_cstr(&b));
	buf_release(&b);
	assert_non_null(j);
	return j;
}

static int
stat_int(const char *name)
{
	cJSON *j = stats();
	int v = cJSON_GetObjectItem(j, name)->valueint;

	cJSON_Delete(j);
	return v;
}

static void
use_container(void)
{
	char host[512];

	snprintf(host, sizeof(host), "%s", srv.url + strlen("http://"));
	setenv("SHEARS_TEST_CONTAINER_HOST", host, 1);
	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds/task", 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONT_TOKEN, 1);
}

static void
test_container_relative_uri_with_token(void **state)
{
	struct aws_creds c;
	struct err err;

	(void)state;
	use_container();
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.source, "container");
	assert_memory_equal(c.access_key_id, "ASIACONT", 8);
	assert_true(c.expiration > time(NULL) + 3000);
	assert_non_null(strstr(c.session_token, "cont-token-"));
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong", 1);
	assert_int_equal(resolve(NULL, &c, &err), ERR_CREDS);
	assert_string_equal(err.msg, "container credentials: HTTP 401");
	assert_int_equal(stat_int("container_fetches"), 1);
}

static void
test_container_full_uri_with_token_file(void **state)
{
	struct aws_creds c;
	struct err err;
	char url[700], file[4200];

	(void)state;
	snprintf(url, sizeof(url), "%s/creds/full", srv.url);
	snprintf(file, sizeof(file), "%s/token", dir);
	write_text(file, CONT_TOKEN "\n");
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer loses-to-the-file", 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file, 1);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.source, "container");
	/* neither https nor http to loopback or the agent: refused, unsent (the
	 * target is loopback all the same, so a regression sends nothing out) */
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "ftp://127.0.0.1:1/creds", 1);
	assert_int_equal(resolve(NULL, &c, &err), ERR_CREDS);
	assert_non_null(strstr(err.msg, "must be https"));
	assert_int_equal(stat_int("container_fetches"), 1);
}

static void
test_imds_v2_token_then_role_then_credentials(void **state)
{
	struct aws_creds c;
	struct err err;
	cJSON *j;

	(void)state;
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", srv.url, 1);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.source, "imds");
	assert_memory_equal(c.access_key_id, "ASIAIMDS", 8);
	j = stats();
	assert_int_equal(cJSON_GetObjectItem(j, "imds_token_puts")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(j, "imds_role_gets")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(j, "imds_creds_gets")->valueint, 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "rejected")), 0);
	cJSON_Delete(j);
}

static void
test_refresh_before_expiry(void **state)
{
	struct aws_creds_opts o = { 0 };
	struct aws_creds_chain *ch;
	struct aws_creds a, b;
	struct err err;
	int i;

	(void)state;
	/* an hour left: one fetch serves every call */
	use_container();
	ch = aws_creds_chain_new(&o);
	for (i = 0; i < 3; i++)
		assert_int_equal(get(ch, &a, &err), 0);
	aws_creds_chain_free(ch);
	assert_int_equal(stat_int("container_fetches"), 1);
	/* a minute left (inside AWS_CREDS_REFRESH_S): each call fetches anew */
	test_server_stop(&srv);
	server_start("60");
	use_container();
	ch = aws_creds_chain_new(&o);
	assert_int_equal(get(ch, &a, &err), 0);
	assert_int_equal(get(ch, &b, &err), 0);
	assert_string_not_equal(a.access_key_id, b.access_key_id);
	assert_int_equal(get(ch, &b, &err), 0);
	aws_creds_chain_free(ch);
	assert_int_equal(stat_int("container_fetches"), 3);
}

static void
test_precedence_files_container_imds(void **state)
{
	struct aws_creds c;
	struct err err;

	(void)state;
	use_container();
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", srv.url, 1);
	write_text(creds_path, "[default]\naws_access_key_id = AKIDFILE\n"
	                       "aws_secret_access_key = file-secret-do-not-print\n");
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKIDFILE"); /* files over container */
	unlink(creds_path);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.source, "container"); /* container over IMDS */
	assert_int_equal(stat_int("imds_token_puts"), 0);
	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.source, "imds");
	setenv("AWS_ACCESS_KEY_ID", ENV_AKID, 1); /* environment over everything */
	setenv("AWS_SECRET_ACCESS_KEY", ENV_SECRET, 1);
	assert_int_equal(resolve(NULL, &c, &err), 0);
	assert_string_equal(c.source, "environment");
}

static void
write_role_profiles(void)
{
	write_text(config_path,
	           "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/first\n"
	           "source_profile = base\nexternal_id = ext-42\n"
	           "role_session_name = review-session\nduration_seconds = 900\n"
	           "region = us-west-2\n"
	           "[profile second]\nrole_arn = arn:aws:iam::123456789012:role/second\n"
	           "source_profile = role\n"
	           "[profile fromenv]\nrole_arn = arn:aws:iam::123456789012:role/env\n"
	           "credential_source = Environment\n"
	           "[profile denied]\nrole_arn = arn:aws:iam::123456789012:role/denied\n"
	           "source_profile = base\n");
	write_text(creds_path, "[base]\naws_access_key_id = " SOURCE_AKID
	                       "\naws_secret_access_key = " SOURCE_SECRET "\n");
}

static const cJSON *
sts_call(const cJSON *j, int i)
{
	const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "sts"), i);

	assert_non_null(c);
	return c;
}

static const char *
jstr(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItem(o, a);

	if (b)
		v = cJSON_GetObjectItem(v, b);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static void
test_assume_role_with_source_profile(void **state)
{
	struct aws_creds c;
	struct err err;
	const cJSON *call;
	cJSON *j;

	(void)state;
	write_role_profiles();
	assert_int_equal(resolve("role", &c, &err), 0);
	assert_string_equal(c.source, "assume-role role");
	assert_memory_equal(c.access_key_id, "ASIAROLE", 8);
	assert_true(c.expiration > time(NULL) + 3000);
	j = stats();
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "sts")), 1);
	call = sts_call(j, 0);
	assert_string_equal(jstr(call, "akid", NULL), SOURCE_AKID);
	assert_string_equal(jstr(call, "signature", NULL), "ok");
	assert_string_equal(jstr(call, "action", NULL), "AssumeRole");
	assert_string_equal(jstr(call, "params", "RoleArn"),
	                    "arn:aws:iam::123456789012:role/first");
	assert_string_equal(jstr(call, "params", "ExternalId"), "ext-42");
	assert_string_equal(jstr(call, "params", "RoleSessionName"), "review-session");
	assert_string_equal(jstr(call, "params", "DurationSeconds"), "900");
	cJSON_Delete(j);
}

static void
test_assume_role_chain_signs_with_previous_role(void **state)
{
	struct aws_creds c;
	struct err err;
	cJSON *j;
	const cJSON *first, *second;

	(void)state;
	write_role_profiles();
	assert_int_equal(resolve("second", &c, &err), 0);
	j = stats();
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "sts")), 2);
	first = sts_call(j, 0);
	second = sts_call(j, 1);
	assert_string_equal(jstr(first, "akid", NULL), SOURCE_AKID);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(first, "has_token")));
	assert_memory_equal(jstr(second, "akid", NULL), "ASIAROLE", 8);
	assert_string_equal(jstr(second, "signature", NULL), "ok");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(second, "has_token")));
	assert_string_equal(jstr(second, "params", "RoleArn"),
	                    "arn:aws:iam::123456789012:role/second");
	assert_string_not_equal(jstr(second, "akid", NULL), c.access_key_id);
	cJSON_Delete(j);
}

static void
test_assume_role_from_environment_source(void **state)
{
	struct aws_creds c;
	struct err err;
	cJSON *j;

	(void)state;
	write_role_profiles();
	setenv("AWS_ACCESS_KEY_ID", ENV_AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", ENV_SECRET, 1);
	setenv("AWS_SESSION_TOKEN", ENV_TOKEN, 1);
	assert_int_equal(resolve("fromenv", &c, &err), 0);
	assert_string_equal(c.source, "assume-role fromenv");
	j = stats();
	assert_string_equal(jstr(sts_call(j, 0), "akid", NULL), ENV_AKID);
	assert_string_equal(jstr(sts_call(j, 0), "signature", NULL), "ok");
	cJSON_Delete(j);
	/* an STS refusal comes back with its code and the role */
	assert_int_equal(resolve("denied", &c, &err), ERR_AWS);
	assert_string_equal(err.aws_code, "AccessDenied");
	assert_non_null(strstr(err.resource, "role/denied"));
}

static void
test_caller_identity_through_the_chain(void **state)
{
	struct aws_creds_opts o = { .profile = "role", .endpoint_url = srv.url };
	struct aws_creds_chain *ch;
	struct aws_client_opts co = { .endpoint_url = srv.url,
		                      .region = "us-east-1",
		                      .no_pacing = 1 };
	struct aws_caller_identity id;
	struct aws_client *cl;
	struct err err;

	(void)state;
	write_role_profiles();
	ch = aws_creds_chain_new(&o);
	cl = aws_client_new(&co, aws_creds_chain_get, ch, &err);
	assert_non_null(cl);
	assert_int_equal(aws_sts_get_caller_identity(cl, &id, &err), 0);
	assert_string_equal(id.account, "123456789012");
	assert_non_null(strstr(id.arn, "ASIAROLE"));
	aws_client_free(cl);
	aws_creds_chain_free(ch);
}

static int
contains(const char *hay, const char *needle)
{
	return hay && needle && needle[0] && strstr(hay, needle);
}

/* Appends every secret the stand-in handed out, one a line. */
static void
collect_secrets(struct buf *out)
{
	cJSON *j = stats(), *s;

	cJSON_ArrayForEach(s, cJSON_GetObjectItem(j, "secrets"))
	{
		buf_printf(out, "%s\n", s->valuestring);
	}
	cJSON_Delete(j);
}

/*
 * Every flow above, each on a fresh stand-in, with the log on at debug
 * level; then no secret the flows used or obtained may be in the log or in
 * any error message collected.
 */
static void
test_no_secret_in_log_or_errors(void **state)
{
	void (*flows[])(void **) = { test_container_relative_uri_with_token,
		                     test_container_full_uri_with_token_file,
		                     test_imds_v2_token_then_role_then_credentials,
		                     test_refresh_before_expiry,
		                     test_precedence_files_container_imds,
		                     test_assume_role_with_source_profile,
		                     test_assume_role_chain_signs_with_previous_role,
		                     test_assume_role_from_environment_source,
		                     test_caller_identity_through_the_chain };
	char *logdir = test_tmpdir(), log_path[4200], *log, *line, *next;
	struct buf secrets;
	size_t i, n = 0;

	teardown(state);
	buf_init(&secrets, 0);
	buf_printf(&secrets, "%s\n%s\n%s\n%s\nfile-secret-do-not-print\n", SOURCE_SECRET,
	           ENV_SECRET, ENV_TOKEN, CONT_TOKEN);
	snprintf(log_path, sizeof(log_path), "%s/shears.log", logdir);
	for (i = 0; i < sizeof(flows) / sizeof(flows[0]); i++) {
		setup(state);
		assert_int_equal(log_open(log_path, LOG_DEBUG), 0);
		flows[i](state);
		log_close();
		collect_secrets(&secrets);
		teardown(state);
	}
	setup(state);
	log = test_read_file(log_path, NULL);
	assert_non_null(strstr(log, "credentials: using assume-role role"));
	assert_true(messages.len > 0); /* the failing cases were collected */
	for (line = secrets.data; line && *line; line = next, n++) {
		next = strchr(line, '\n');
		*next++ = '\0';
		assert_false(contains(log, line));
		assert_false(contains(buf_cstr(&messages), line));
	}
	assert_true(n >= 20);
	buf_release(&secrets);
	free(log);
	test_rmtree(logdir);
	free(logdir);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_container_relative_uri_with_token),
		T(test_container_full_uri_with_token_file),
		T(test_imds_v2_token_then_role_then_credentials),
		T(test_refresh_before_expiry),
		T(test_precedence_files_container_imds),
		T(test_assume_role_with_source_profile),
		T(test_assume_role_chain_signs_with_previous_role),
		T(test_assume_role_from_environment_source),
		T(test_caller_identity_through_the_chain),
		T(test_no_secret_in_log_or_errors),
	};
	int rc;

	buf_init(&messages, 0);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	buf_release(&messages);
	return rc;
}
