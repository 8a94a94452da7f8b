/* The config file: defaults, every kind of value, and errors that name the line. */
#include "cmocka_prelude.h"

#include <string.h>

#include "cli/config.h"

static int
parse(struct shears_config *c, const char *text, struct err *err)
{
	memset(c, 0, sizeof(*c));
	analyze_opts_default(&c->analyze);
	return config_parse(c, text, strlen(text), "config", err);
}

static void
test_values_and_defaults(void **state)
{
	struct shears_config c;
	struct err err = { 0 };

	(void)state;
	assert_int_equal(parse(&c,
	                       "# thresholds\n[analyze]\ndead_days = 30\ntimeout_margin = 2.5\n"
	                       "[secrets]\nexclude = test/**, *.snap\n  fixtures/*\n"
	                       "entropy_min = 3.5\n",
	                       &err),
	                 0);
	assert_int_equal(c.analyze.dead_days, 30);
	assert_true(c.analyze.timeout_margin == 2.5);
	assert_int_equal(c.analyze.unused_days, 90); /* untouched: the default */
	assert_int_equal(c.n_exclude, 3);
	assert_string_equal(c.exclude[0], "test/**");
	assert_string_equal(c.exclude[1], "*.snap");
	assert_string_equal(c.exclude[2], "fixtures/*");
	assert_true(c.entropy_min == 3.5);
	config_release(&c);
	assert_int_equal(parse(&c,
	                       "[act]\nprotect = payments-*, tag:env=prod\n"
	                       "allow_accounts = 314159265358\nread_only = true\n",
	                       &err),
	                 0);
	assert_int_equal(c.n_protect, 2);
	assert_string_equal(c.protect[1], "tag:env=prod");
	assert_int_equal(c.n_allow_accounts, 1);
	assert_int_equal(c.read_only, 1);
	config_release(&c);
	assert_int_equal(parse(&c, "[act]\nread_only = yes\n", &err), ERR_PARSE);
	config_release(&c);
}

static void
test_errors_name_the_line(void **state)
{
	struct shears_config c;
	struct err err = { 0 };

	(void)state;
	assert_int_equal(parse(&c, "[analyze]\n\ndead_dayz = 3\n", &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "line 3"));
	assert_non_null(strstr(err.msg, "dead_dayz"));
	config_release(&c);
	err_clear(&err);
	assert_int_equal(parse(&c, "[analyze]\ndead_days = 2.5\n", &err), ERR_PARSE);
	config_release(&c);
	err_clear(&err);
	assert_int_equal(parse(&c, "[analyze]\ndead_days = -1\n", &err), ERR_PARSE);
	config_release(&c);
	err_clear(&err);
	assert_int_equal(parse(&c, "[scan]\nx = 1\n", &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "[scan]"));
	config_release(&c);
}

static void
test_missing_file_is_the_defaults(void **state)
{
	struct shears_config c;
	struct err err = { 0 };

	(void)state;
	assert_int_equal(config_load(&c, "/nonexistent/shears/config", &err), 0);
	assert_int_equal(c.analyze.dead_days, 90);
	assert_string_equal(c.path, "");
	config_release(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_defaults),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_missing_file_is_the_defaults),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
