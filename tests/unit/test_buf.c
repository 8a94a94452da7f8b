#include "cmocka_prelude.h"
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"

static void
test_buf_append_keeps_text_nul_terminated(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_printf(&b, "-%d", 42), 0);
	assert_string_equal(buf_cstr(&b), "abc-42");
	assert_int_equal(b.len, 6);
	buf_release(&b);
	buf_release(&b);
}

static void
test_buf_over_cap_is_limit_and_released(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_putc(&b, '9'), ERR_LIMIT);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void
test_buf_take_hands_over_bytes(void **state)
{
	struct buf b;
	size_t n;
	char *p;

	(void)state;
	buf_init(&b, 0);
	buf_append(&b, "a\0b", 3);
	p = buf_take(&b, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "a\0b", 3);
	assert_null(b.data);
	free(p);
}

static void
test_err_format_names_call_and_code(void **state)
{
	struct err e;
	char out[256];

	(void)state;
	err_clear(&e);
	err_set(&e, ERR_AWS, "user is not authorized");
	err_context(&e, "lambda", "ListFunctions", NULL);
	strcpy(e.aws_code, "AccessDeniedException");
	assert_string_equal(err_format(&e, out, sizeof(out)),
	                    "lambda ListFunctions: AccessDeniedException: user is not authorized");
	err_context(&e, NULL, NULL, "arn:aws:lambda:us-east-1:1:function:f");
	assert_string_equal(err_format(&e, out, 40), "lambda ListFunctions: AccessDeniedExcep");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_append_keeps_text_nul_terminated),
		cmocka_unit_test(test_buf_over_cap_is_limit_and_released),
		cmocka_unit_test(test_buf_take_hands_over_bytes),
		cmocka_unit_test(test_err_format_names_call_and_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
