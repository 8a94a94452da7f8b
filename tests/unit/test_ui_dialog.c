#include "cmocka_prelude.h"
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui/dialog.h"
#include "ui/request.h"
#include "ui/ui_int.h"
#include "util/buf.h"

static struct ui_dialog *
dialog(const char *word)
{
	cJSON *plan = cJSON_CreateObject();

	cJSON_AddStringToObject(plan, "action", "quarantine");
	return ui_dialog_new("confirm", "plan: quarantine fn\n  change    a -> b\n", word, plan);
}

static enum ui_dialog_result
feed(struct ui_dialog *d, const char *keys)
{
	enum ui_dialog_result r = UI_DIALOG_PENDING;

	for (; *keys && r == UI_DIALOG_PENDING; keys++)
		r = ui_dialog_key(d, (unsigned char)*keys, 0);
	return r;
}

static void
test_enter_and_escape_cancel_by_default(void **state)
{
	static const int cancels[] = { '\n', '\r', 27, 'n', 'q' };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cancels) / sizeof(cancels[0]); i++) {
		struct ui_dialog *d = dialog("y");

		assert_int_equal(ui_dialog_key(d, cancels[i], 0), UI_DIALOG_CANCEL);
		ui_dialog_free(d);
	}
	{
		struct ui_dialog *d = dialog("y");

		assert_int_equal(ui_dialog_key(d, KEY_ENTER, 1), UI_DIALOG_CANCEL);
		ui_dialog_free(d);
	}
}

static void
test_only_y_applies_and_d_does_nothing(void **state)
{
	struct ui_dialog *d = dialog("y");

	(void)state;
	/* d (details) and keys around Enter never apply; they leave a hint */
	assert_int_equal(feed(d, "dlkjY "), UI_DIALOG_PENDING);
	assert_true(strstr(d->hint, "y applies") != NULL);
	assert_int_equal(ui_dialog_key(d, KEY_DOWN, 1), UI_DIALOG_PENDING);
	assert_int_equal(ui_dialog_key(d, 'y', 0), UI_DIALOG_APPLY);
	ui_dialog_free(d);
}

static void
test_destructive_wants_the_name_typed_then_enter(void **state)
{
	struct ui_dialog *d = dialog("orders-api");
	char q[512];

	(void)state;
	assert_non_null(strstr(ui_dialog_question(d, q, sizeof(q)), "'orders-api'"));
	/* y is a letter of the name, not an answer */
	assert_int_equal(ui_dialog_key(d, 'y', 0), UI_DIALOG_PENDING);
	assert_int_equal(ui_dialog_key(d, 127, 0), UI_DIALOG_PENDING);
	assert_string_equal(d->typed, "");
	assert_int_equal(feed(d, "orders-ap\n"), UI_DIALOG_CANCEL); /* a wrong name cancels */
	ui_dialog_free(d);

	d = dialog("orders-api");
	assert_int_equal(feed(d, "orders-apx"), UI_DIALOG_PENDING);
	assert_int_equal(ui_dialog_key(d, KEY_BACKSPACE, 1), UI_DIALOG_PENDING);
	assert_int_equal(feed(d, "i"), UI_DIALOG_PENDING);
	assert_string_equal(d->typed, "orders-api");
	assert_int_equal(ui_dialog_key(d, '\r', 0), UI_DIALOG_APPLY);
	ui_dialog_free(d);

	d = dialog("orders-api");
	assert_int_equal(feed(d, "orders-api"), UI_DIALOG_PENDING);
	assert_int_equal(ui_dialog_key(d, 27, 0), UI_DIALOG_CANCEL); /* Esc still cancels */
	ui_dialog_free(d);
}

static struct ui_dialog *
batch_dialog(const char *alt)
{
	cJSON *batch = cJSON_CreateObject();

	cJSON_AddNumberToObject(batch, "shears_batch", 1);
	return ui_dialog_new_batch("confirm quarantine on 3 functions", "batch: 3 plans\n", 3,
	                           alt[0] ? "acme-dev" : "111122223333", alt, batch);
}

static void
test_a_batch_wants_the_alias_or_the_id_typed_and_shows_the_count(void **state)
{
	static const char *const wrong[] = { "y\n",         "\n",      "acme-de\n",
		                             "acme-devx\n", "alpha\n", "11112222333\n" };
	struct ui_dialog *d;
	char q[600];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		d = batch_dialog("111122223333");
		assert_int_equal(feed(d, wrong[i]), UI_DIALOG_CANCEL);
		ui_dialog_free(d);
	}
	d = batch_dialog("111122223333");
	assert_string_equal(ui_dialog_question(d, q, sizeof(q)),
	                    "3 plans: type 'acme-dev' or 111122223333, then Enter");
	assert_non_null(strstr(d->body.v[0].text, "these 3 plans"));
	assert_int_equal(feed(d, "acme-dev\n"), UI_DIALOG_APPLY);
	ui_dialog_free(d);
	d = batch_dialog("111122223333");
	assert_int_equal(feed(d, "111122223333\n"), UI_DIALOG_APPLY);
	ui_dialog_free(d);
	/* no alias: the id alone */
	d = batch_dialog("");
	assert_string_equal(ui_dialog_question(d, q, sizeof(q)),
	                    "3 plans: type '111122223333', then Enter");
	assert_int_equal(feed(d, "acme-dev\n"), UI_DIALOG_CANCEL);
	ui_dialog_free(d);
	d = batch_dialog("");
	assert_int_equal(feed(d, "111122223333\n"), UI_DIALOG_APPLY);
	ui_dialog_free(d);
}

static void
test_scrolling_stays_inside_the_plan(void **state)
{
	struct ui_dialog *d = dialog("y");

	(void)state;
	assert_int_equal(d->body.n, 3); /* two lines and the empty one after the last \n */
	ui_dialog_key(d, KEY_UP, 1);
	assert_int_equal(d->top, 0);
	ui_dialog_key(d, KEY_NPAGE, 1);
	ui_dialog_key(d, KEY_DOWN, 1);
	ui_dialog_key(d, KEY_DOWN, 1);
	ui_dialog_key(d, KEY_DOWN, 1);
	assert_true(d->top < d->body.n);
	assert_non_null(d->plan);
	ui_dialog_free(d);
}

static void
test_help_documents_the_dialog_and_the_keys(void **state)
{
	struct buf b;
	size_t i;
	int seen_y = 0;

	(void)state;
	for (i = 0; ui_dialog_help(i); i++)
		seen_y |= strstr(ui_dialog_help(i), "  y ") != NULL;
	assert_true(seen_y);
	assert_int_equal(ui_keymap_lookup(UI_KM_LIST, 'x'), UI_REQ_ACT);
	assert_int_equal(ui_keymap_lookup(UI_KM_TEXT, 'x'), UI_REQ_ACT);
	assert_int_equal(ui_keymap_lookup(UI_KM_JOURNAL, 'u'), UI_REQ_UNDO);
	assert_int_equal(ui_keymap_lookup(UI_KM_LIST, 'u'), UI_REQ_MARK_CLEAR);
	assert_true(ui_request_info(UI_REQ_UNDO)->flags & UI_WRITES);
	buf_init(&b, 0);
	assert_int_equal(ui_help_text(&b, UI_KM_JOURNAL), 0);
	assert_non_null(strstr(buf_cstr(&b), "undo"));
	assert_non_null(strstr(buf_cstr(&b), ":journal"));
	buf_release(&b);
	assert_ptr_equal(ui_view_find("journal"), &ui_journal_view);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enter_and_escape_cancel_by_default),
		cmocka_unit_test(test_only_y_applies_and_d_does_nothing),
		cmocka_unit_test(test_destructive_wants_the_name_typed_then_enter),
		cmocka_unit_test(test_a_batch_wants_the_alias_or_the_id_typed_and_shows_the_count),
		cmocka_unit_test(test_scrolling_stays_inside_the_plan),
		cmocka_unit_test(test_help_documents_the_dialog_and_the_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
