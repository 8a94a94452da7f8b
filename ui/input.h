/*
 * The one-line editor of the "/" filter and the ":" command line.
 *
 * NEEDSWORK: DESIGN.md asks for libedit here. libedit's el_wgets() reads
 * the terminal itself and fights curses for it; until it is driven through
 * its EL_GETCFN hook from our key loop, this small editor stands in: UTF-8
 * text, cursor movement, ^A ^E ^U ^W, history (in memory, Up/Down) and Tab
 * completion of view and request names. No editrc.
 */
#ifndef SHEARS_UI_INPUT_H
#define SHEARS_UI_INPUT_H

#include <stddef.h>

#include "ui/ui_int.h"

enum ui_input_result {
	UI_INPUT_IGNORED,  /* the key means nothing here */
	UI_INPUT_EDITED,   /* the text changed */
	UI_INPUT_MOVED,    /* only the cursor moved */
	UI_INPUT_DONE,     /* Enter */
	UI_INPUT_CANCEL,   /* Esc */
	UI_INPUT_COMPLETE, /* Tab: the caller completes */
};

/* Starts editing text (also remembered as in->saved). */
void ui_input_begin(struct ui_input *in, const char *text);
/* One key; with history, Up/Down walk the remembered lines. */
enum ui_input_result ui_input_key(struct ui_input *in, int key, int is_code, int history);
/*
 * Completes the word before the cursor from the names a(i) and b(i) (each
 * NULL past its last): a unique match is completed with a space, several
 * are completed to their longest common prefix. Returns how many matched.
 */
size_t ui_input_complete(struct ui_input *in, const char *(*a)(size_t), const char *(*b)(size_t));
/* Adds the current text to the history (not blank, not a repeat). */
void ui_input_remember(struct ui_input *in);
void ui_input_release(struct ui_input *in);

#endif
