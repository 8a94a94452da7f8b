/* The one timestamp parser: every shape AWS answers with, and what it refuses. */
#include "cmocka_prelude.h"

#include "util/isotime.h"

static void
test_shapes(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(iso_time_parse("1970-01-02", &t), 0);
	assert_int_equal((long)t, 86400);
	assert_int_equal(iso_time_parse("2026-07-26T00:00:00Z", &t), 0);
	assert_int_equal((long)t, 1785024000L);
	assert_int_equal(iso_time_parse("2026-07-26T00:00:00.000+0000", &t), 0);
	assert_int_equal((long)t, 1785024000L);
	assert_int_equal(iso_time_parse("2026-07-26T02:00:00+02:00", &t), 0);
	assert_int_equal((long)t, 1785024000L);
	assert_int_equal(iso_time_parse("2026-07-25T19:00:00-0500", &t), 0);
	assert_int_equal((long)t, 1785024000L);
	assert_int_equal(iso_time_parse("1785024000", &t), 0);
	assert_int_equal((long)t, 1785024000L);
	assert_int_equal(iso_time_parse("2024-02-29T12:00:00Z", &t), 0); /* a leap day */
}

static void
test_refusals(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(iso_time_parse(NULL, &t), -1);
	assert_int_equal(iso_time_parse("", &t), -1);
	assert_int_equal(iso_time_parse("2026-13-01", &t), -1);
	assert_int_equal(iso_time_parse("2026-07-26T00:00", &t), -1);
	assert_int_equal(iso_time_parse("2026-07-26Tzz", &t), -1);
	assert_int_equal(iso_time_parse("2026-07-26T00:00:00+", &t), -1);
	assert_int_equal(iso_time_parse("yesterday", &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests_name("isotime", tests, NULL, NULL);
}
