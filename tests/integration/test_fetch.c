/*
 * Presigned downloads (aws/fetch.c) against tests/integration/faultserver.py:
 * retries on 5xx, resets and truncation, a bounded size, a final error that
 * carries no URL, and several transfers at once.
 */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/fetch.h"
#include "testutil.h"

static struct test_server srv;

static int
group_setup(void **state)
{
	char *argv[] = { "/usr/bin/python3",
		         "-I",
		         (char *)test_path("tests/integration/faultserver.py"),
		         "--port",
		         "0",
		         "--plan",
		         "/flaky: 500,reset,200",
		         "--plan",
		         "/trunc: truncate,200",
		         "--plan",
		         "/dead: 503,503,503,503,503",
		         NULL };

	(void)state;
	unsetenv("AWS_CA_BUNDLE");
	setenv("no_proxy", "127.0.0.1", 1);
	return test_server_start(&srv, argv, 10);
}

static int
group_teardown(void **state)
{
	(void)state;
	test_server_stop(&srv);
	return 0;
}

static void
url_of(char *out, size_t n, const char *path)
{
	snprintf(out, n, "%s%s?X-Amz-Signature=presigned-secret", srv.url, path);
}

static void
test_retries_then_succeeds(void **state)
{
	char u1[600], u2[600], u3[600];
	struct aws_fetch jobs[3] = { { .url = u1, .max_bytes = 1 << 20 },
		                     { .url = u2, .max_bytes = 1 << 20 },
		                     { .url = u3, .max_bytes = 1 << 20 } };
	struct aws_fetch_opts o = { .parallel = 2, .max_attempts = 3 };
	size_t i;

	(void)state;
	url_of(u1, sizeof(u1), "/flaky");
	url_of(u2, sizeof(u2), "/trunc");
	url_of(u3, sizeof(u3), "/plain");
	assert_int_equal(aws_fetch_all(jobs, 3, &o, NULL), 0);
	assert_int_equal(jobs[0].err.code, 0);
	/* 500, then the reset: curl itself retries a reused connection that dies */
	assert_in_range(jobs[0].attempts, 2, 3);
	assert_non_null(strstr(buf_cstr(&jobs[0].body), "\"ok\""));
	assert_int_equal(jobs[1].err.code, 0);
	assert_int_equal(jobs[1].attempts, 2);
	assert_int_equal(jobs[2].attempts, 1);
	assert_int_equal(jobs[2].status, 200);
	for (i = 0; i < 3; i++)
		buf_release(&jobs[i].body);
}

static void
test_gives_up_without_the_url_in_the_error(void **state)
{
	char u[600], line[1024];
	struct aws_fetch job = { .url = u, .max_bytes = 1 << 20 };
	struct aws_fetch_opts o = { .max_attempts = 3 };

	(void)state;
	url_of(u, sizeof(u), "/dead");
	assert_int_equal(aws_fetch_all(&job, 1, &o, NULL), 0);
	assert_int_equal(job.err.code, ERR_AWS);
	assert_int_equal(job.attempts, 3);
	assert_int_equal(job.status, 503);
	assert_int_equal(job.body.len, 0);
	err_format(&job.err, line, sizeof(line));
	assert_null(strstr(line, "presigned-secret"));
	assert_null(strstr(line, "/dead"));
	buf_release(&job.body);
}

static void
test_size_limit(void **state)
{
	char u[600];
	struct aws_fetch job = { .url = u, .max_bytes = 5 };

	(void)state;
	url_of(u, sizeof(u), "/big");
	assert_int_equal(aws_fetch_all(&job, 1, NULL, NULL), 0);
	assert_int_equal(job.err.code, ERR_LIMIT);
	assert_int_equal(job.attempts, 1); /* too big is not retried */
	buf_release(&job.body);
}

static void
test_refused_connection_is_a_net_error(void **state)
{
	struct aws_fetch job = { .url = "http://127.0.0.1:1/x", .max_bytes = 100 };
	struct aws_fetch_opts o = { .max_attempts = 2, .connect_ms = 500 };

	(void)state;
	assert_int_equal(aws_fetch_all(&job, 1, &o, NULL), 0);
	assert_int_equal(job.err.code, ERR_NET);
	assert_int_equal(job.attempts, 2);
	buf_release(&job.body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retries_then_succeeds),
		cmocka_unit_test(test_gives_up_without_the_url_in_the_error),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_refused_connection_is_a_net_error),
	};

	return cmocka_run_group_tests_name("fetch", tests, group_setup, group_teardown);
}
