#include "cmocka_prelude.h"
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/input.h"
#include "ui/request.h"
#include "ui/ui_int.h"
#include "util/buf.h"

static void
test_no_key_is_bound_twice_in_one_keymap(void **state)
{
	size_t n, i, j;
	const struct ui_binding *b = ui_bindings(&n);

	(void)state;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (b[i].keymap == b[j].keymap && b[i].key == b[j].key)
				fail_msg("key %d bound twice in keymap %s", b[i].key,
				         ui_keymap_name(b[i].keymap));
}

static void
test_every_request_is_reachable_by_key_and_name(void **state)
{
	size_t n, i;
	const struct ui_binding *b = ui_bindings(&n);
	int req;

	(void)state;
	for (req = UI_REQ_NONE + 1; req < UI_REQ_COUNT; req++) {
		const struct ui_request_info *info = ui_request_info(req);
		int bound = 0;

		assert_non_null(info);
		for (i = 0; i < n; i++) {
			/* reachable: some view's keymap lookup answers it */
			if ((int)b[i].request == req &&
			    (int)ui_keymap_lookup(b[i].keymap, b[i].key) == req)
				bound = 1;
		}
		if (!bound)
			fail_msg("request '%s' has no key", info->name);
		assert_int_equal(ui_request_parse(info->name), req);
	}
}

/* The help line of a binding: its key name and its request's name on one line. */
static int
help_has(const char *help, const char *key, const char *name)
{
	const char *line = help;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		char buf[256];

		snprintf(buf, sizeof(buf), "%.*s", end ? (int)(end - line) : (int)strlen(line),
		         line);
		if (strstr(buf, name) && strstr(buf, key))
			return 1;
		line = end ? end + 1 : NULL;
	}
	return 0;
}

static void
test_help_lists_every_binding_of_each_keymap(void **state)
{
	size_t n, i;
	const struct ui_binding *b = ui_bindings(&n);
	int km;

	(void)state;
	for (km = 0; km < UI_KM_COUNT; km++) {
		struct buf help;

		buf_init(&help, 0);
		assert_int_equal(ui_help_text(&help, (enum ui_keymap)km), 0);
		for (i = 0; i < n; i++) {
			char key[16];
			const char *name = ui_request_info(b[i].request)->name;

			if ((int)b[i].keymap != km && b[i].keymap != UI_KM_ANY)
				continue;
			if (ui_keymap_lookup((enum ui_keymap)km, b[i].key) != b[i].request)
				continue; /* shadowed here by the keymap's own binding */
			ui_key_name(b[i].key, key, sizeof(key));
			if (!help_has(buf_cstr(&help), key, name))
				fail_msg("help of %s misses %s -> %s", ui_keymap_name(km), key,
				         name);
		}
		/* every view name is listed as a ":" command */
		for (i = 0; ui_view_name(i); i++) {
			char cmd[64];

			snprintf(cmd, sizeof(cmd), ":%s ", ui_view_name(i));
			assert_non_null(strstr(buf_cstr(&help), cmd));
		}
		buf_release(&help);
	}
}

static void
test_view_keymap_overrides_generic_key(void **state)
{
	(void)state;
	assert_int_equal(ui_keymap_lookup(UI_KM_TEXT, ' '), UI_REQ_PAGE_DOWN);
	assert_int_equal(ui_keymap_lookup(UI_KM_LIST, ' '), UI_REQ_MARK);
	assert_int_equal(ui_keymap_lookup(UI_KM_LIST, 'q'), UI_REQ_QUIT);
	assert_int_equal(ui_keymap_lookup(UI_KM_TEXT, 's'), UI_REQ_NONE);
}

static void
test_view_names_resolve_with_prefixes_and_kind_names(void **state)
{
	(void)state;
	assert_ptr_equal(ui_view_find("functions"), &ui_list_views[0]);
	assert_ptr_equal(ui_view_find("func"), &ui_list_views[0]);
	assert_ptr_equal(ui_view_find("function"), &ui_list_views[0]);
	assert_ptr_equal(ui_view_find("log-group"), ui_view_of_kind(MODEL_LOG_GROUP));
	assert_ptr_equal(ui_view_find("http-api"), ui_view_find("apis"));
	assert_null(ui_view_find("nonsense"));
	assert_null(ui_view_find("r")); /* roles and rules: ambiguous */
}

static void
test_command_line_completes_and_remembers(void **state)
{
	struct ui_input in;

	(void)state;
	memset(&in, 0, sizeof(in));
	ui_input_begin(&in, "");
	ui_input_key(&in, 'f', 0, 1);
	ui_input_key(&in, 'u', 0, 1);
	assert_int_equal(ui_input_key(&in, '\t', 0, 1), UI_INPUT_COMPLETE);
	assert_int_equal(ui_input_complete(&in, ui_view_name, ui_request_name_at), 1);
	assert_string_equal(in.text, "functions ");
	ui_input_remember(&in);
	ui_input_begin(&in, "");
	ui_input_key(&in, 'r', 0, 1);
	/* roles, rules, reload, raw: the common prefix is just "r" */
	assert_true(ui_input_complete(&in, ui_view_name, ui_request_name_at) > 1);
	assert_string_equal(in.text, "r");
	ui_input_key(&in, 127, 0, 1);
	assert_string_equal(in.text, "");
	assert_int_equal(ui_input_key(&in, KEY_UP, 1, 1), UI_INPUT_EDITED);
	assert_string_equal(in.text, "functions ");
	/* control characters never enter the line */
	assert_int_equal(ui_input_key(&in, 0x1b + 0x80, 0, 1), UI_INPUT_IGNORED);
	ui_input_release(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_key_is_bound_twice_in_one_keymap),
		cmocka_unit_test(test_every_request_is_reachable_by_key_and_name),
		cmocka_unit_test(test_help_lists_every_binding_of_each_keymap),
		cmocka_unit_test(test_view_keymap_overrides_generic_key),
		cmocka_unit_test(test_view_names_resolve_with_prefixes_and_kind_names),
		cmocka_unit_test(test_command_line_completes_and_remembers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
