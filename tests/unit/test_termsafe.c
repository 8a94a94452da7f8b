#include "cmocka_prelude.h"
#include <string.h>

#include "util/termsafe.h"

static void
test_termsafe_shows_escape_instead_of_sending_it(void **state)
{
	char out[64];

	(void)state;
	termsafe_copy(out, sizeof(out), "fn\x1b[2Jname");
	assert_string_equal(out, "fn^[[2Jname");
	termsafe_copy(out, sizeof(out), "a\tb\r\n\x7f");
	assert_string_equal(out, "a^Ib^M^J^?");
}

static void
test_termsafe_shows_c1_and_bidi_controls(void **state)
{
	char out[64];

	(void)state;
	termsafe_copy(out, sizeof(out),
	              "x\xc2\x9b"
	              "31m");
	assert_string_equal(out, "x<U+009B>31m");
	termsafe_copy(out, sizeof(out), "evil\xe2\x80\xaegpj.exe");
	assert_string_equal(out, "evil<U+202E>gpj.exe");
}

static void
test_termsafe_keeps_text_and_marks_bad_bytes(void **state)
{
	char out[64];

	(void)state;
	termsafe_copy(out, sizeof(out), "caf\xc3\xa9 \xe2\x9c\x93");
	assert_string_equal(out, "caf\xc3\xa9 \xe2\x9c\x93");
	termsafe_copy(out, sizeof(out),
	              "a\xff"
	              "b\xc0\xaf");
	assert_string_equal(out, "a\\xFFb\\xC0\\xAF");
}

static void
test_termsafe_cuts_on_a_character_boundary(void **state)
{
	char out[5];

	(void)state;
	termsafe_copy(out, sizeof(out), "ab\xc3\xa9\xc3\xa9");
	assert_string_equal(out, "ab\xc3\xa9");
	termsafe_copy(out, 4, "ab\xc3\xa9");
	assert_string_equal(out, "ab");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_termsafe_shows_escape_instead_of_sending_it),
		cmocka_unit_test(test_termsafe_shows_c1_and_bidi_controls),
		cmocka_unit_test(test_termsafe_keeps_text_and_marks_bad_bytes),
		cmocka_unit_test(test_termsafe_cuts_on_a_character_boundary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
