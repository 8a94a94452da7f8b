/*
 * The modal confirm dialog of remediation: a plan's text, and a question
 * whose default is Cancel. Enter and Esc cancel; what applies is a key
 * nowhere near Enter or `d` (k9s users asked for that): `y` for a plan that
 * can be undone, or the target's name typed and then Enter for a
 * destructive one, so a reflex cannot apply it; for a batch (several
 * marked resources) the account's alias or id typed, and the count shown.
 *
 * The dialog owns its plan and text; the loop (ui/loop.c) sends it keys
 * while it is open and runs the plan when ui_dialog_key says apply.
 */
#ifndef SHEARS_UI_DIALOG_H
#define SHEARS_UI_DIALOG_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "ui/ui_int.h"

#define UI_DIALOG_WORD_MAX 256

enum ui_dialog_result { UI_DIALOG_PENDING, UI_DIALOG_APPLY, UI_DIALOG_CANCEL };

struct ui_dialog {
	char title[160];
	struct ui_lines body;          /* the plan as the reviewer reads it */
	size_t top;                    /* the first body line shown */
	char word[UI_DIALOG_WORD_MAX]; /* "y", or the name to type */
	char alt[UI_DIALOG_WORD_MAX];  /* a batch: the account id when word is its alias, else "" */
	size_t count;                  /* a batch: its plans; 0 for one plan */
	char typed[UI_DIALOG_WORD_MAX]; /* what was typed so far (a name) */
	size_t n_typed;
	char hint[128]; /* a line under the question: why a key did nothing */
	cJSON *plan;    /* owned: what apply runs */
};

/* A new dialog on plan (taken) with text shown; word is what applies. */
struct ui_dialog *ui_dialog_new(const char *title, const char *text, const char *word, cJSON *plan);
void ui_dialog_free(struct ui_dialog *d);

/*
 * A new dialog on a batch (taken) of count plans: the account's alias
 * (word) or id (alt, "" when word is the id) typed, then Enter, applies it.
 */
struct ui_dialog *ui_dialog_new_batch(const char *title, const char *text, size_t count,
                                      const char *word, const char *alt, cJSON *batch);

/* One key: PENDING while the question stands, then APPLY or CANCEL. */
enum ui_dialog_result ui_dialog_key(struct ui_dialog *d, int key, int is_code);

/* The question's line, "type y to apply" or "type 'NAME' then Enter to apply". */
const char *ui_dialog_question(const struct ui_dialog *d, char *out, size_t n);

/* Draws the dialog over the frame, centred, with the plan scrolled to d->top. */
void ui_dialog_draw(struct ui *ui, struct ui_dialog *d);

/* The dialog's keys, for help: lines of "keys  what", NULL past the last. */
const char *ui_dialog_help(size_t i);

#endif
