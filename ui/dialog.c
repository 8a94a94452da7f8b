/*
 * The confirm dialog (ui/dialog.h): a small state machine fed by keys, and
 * its drawing over the frame. The question's default is Cancel.
 */
#include "ui/dialog.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

static const char *const help_lines[] = {
	"  Enter Esc n q        cancel: the default, nothing is changed",
	"  y                    apply a plan that can be undone (`u` in :journal)",
	"  NAME then Enter      apply a destructive plan: its target's name, typed",
	"  ACCOUNT then Enter   apply a batch (marked rows): the account's alias or id, typed",
	"  Up Down PgUp PgDn    scroll the plan",
	NULL,
};

const char *
ui_dialog_help(size_t i)
{
	return i < sizeof(help_lines) / sizeof(help_lines[0]) ? help_lines[i] : NULL;
}

struct ui_dialog *
ui_dialog_new(const char *title, const char *text, const char *word, cJSON *plan)
{
	struct ui_dialog *d = xcalloc(1, sizeof(*d));

	snprintf(d->title, sizeof(d->title), "%s", title);
	snprintf(d->word, sizeof(d->word), "%s", word && *word ? word : "y");
	ui_lines_add_text(&d->body, UI_LINE_TEXT, text);
	d->plan = plan;
	return d;
}

struct ui_dialog *
ui_dialog_new_batch(const char *title, const char *text, size_t count, const char *word,
                    const char *alt, cJSON *batch)
{
	char head[2 * UI_DIALOG_WORD_MAX + 128];
	struct ui_dialog *d;

	/* the question line is short on 80 columns: the body's first line says it whole */
	if (alt && alt[0])
		snprintf(head, sizeof(head),
		         "To apply these %zu plans type the account's alias '%s' or its id %s, "
		         "then Enter.",
		         count, word, alt);
	else
		snprintf(head, sizeof(head),
		         "To apply these %zu plans type the account id %s, then Enter.", count,
		         word);
	d = ui_dialog_new(title, head, word, batch);
	ui_lines_add_text(&d->body, UI_LINE_TEXT, text);
	/* "y" can never apply a batch: an account id or alias is never "y" */
	snprintf(d->alt, sizeof(d->alt), "%s", alt ? alt : "");
	d->count = count ? count : 1;
	return d;
}

void
ui_dialog_free(struct ui_dialog *d)
{
	if (!d)
		return;
	ui_lines_release(&d->body);
	cJSON_Delete(d->plan);
	free(d);
}

static int
is_named(const struct ui_dialog *d)
{
	return d->count || strcmp(d->word, "y") != 0;
}

static int
typed_ok(const struct ui_dialog *d)
{
	if (!d->typed[0])
		return 0;
	return !strcmp(d->typed, d->word) || (d->alt[0] && !strcmp(d->typed, d->alt));
}

const char *
ui_dialog_question(const struct ui_dialog *d, char *out, size_t n)
{
	if (d->count && d->alt[0])
		snprintf(out, n, "%zu plans: type '%s' or %s, then Enter", d->count, d->word,
		         d->alt);
	else if (d->count)
		snprintf(out, n, "%zu plans: type '%s', then Enter", d->count, d->word);
	else if (is_named(d))
		snprintf(out, n, "destructive: type '%s' then Enter to apply", d->word);
	else
		snprintf(out, n, "press y to apply");
	return out;
}

static int
scroll_body(struct ui_dialog *d, int key)
{
	size_t page = 10;

	switch (key) {
	case KEY_UP:
		d->top -= d->top > 0;
		return 1;
	case KEY_DOWN:
		d->top += d->top + 1 < d->body.n;
		return 1;
	case KEY_PPAGE:
		d->top = d->top > page ? d->top - page : 0;
		return 1;
	case KEY_NPAGE:
		d->top = d->top + page < d->body.n ? d->top + page : d->top;
		return 1;
	default:
		return 0;
	}
}

/* A name being typed: printable ASCII edits it, Enter decides. */
static enum ui_dialog_result
key_named(struct ui_dialog *d, int key)
{
	if (key == '\n' || key == '\r')
		return typed_ok(d) ? UI_DIALOG_APPLY : UI_DIALOG_CANCEL;
	if (key == 127 || key == 8) {
		if (d->n_typed)
			d->typed[--d->n_typed] = '\0';
		return UI_DIALOG_PENDING;
	}
	if (key >= 32 && key < 127 && d->n_typed + 1 < sizeof(d->typed)) {
		d->typed[d->n_typed++] = (char)key;
		d->typed[d->n_typed] = '\0';
		d->hint[0] = '\0';
		return UI_DIALOG_PENDING;
	}
	snprintf(d->hint, sizeof(d->hint), "type the %s; Esc cancels",
	         d->count ? "account alias or id" : "name");
	return UI_DIALOG_PENDING;
}

enum ui_dialog_result
ui_dialog_key(struct ui_dialog *d, int key, int is_code)
{
	if (is_code && key == KEY_ENTER)
		key = '\n';
	else if (is_code && key == KEY_BACKSPACE)
		key = 127;
	else if (is_code) {
		scroll_body(d, key);
		return UI_DIALOG_PENDING;
	}
	if (key == 27)
		return UI_DIALOG_CANCEL;
	if (is_named(d))
		return key_named(d, key);
	if (key == 'y')
		return UI_DIALOG_APPLY;
	if (key == '\n' || key == '\r' || key == 'n' || key == 'N' || key == 'q')
		return UI_DIALOG_CANCEL;
	snprintf(d->hint, sizeof(d->hint), "y applies; Enter or Esc cancels");
	return UI_DIALOG_PENDING;
}

static void
draw_border(WINDOW *w, int y0, int x0, int h, int wd, const char *title)
{
	mvwhline(w, y0, x0, ACS_HLINE, wd);
	mvwhline(w, y0 + h - 1, x0, ACS_HLINE, wd);
	mvwvline(w, y0, x0, ACS_VLINE, h);
	mvwvline(w, y0, x0 + wd - 1, ACS_VLINE, h);
	mvwaddch(w, y0, x0, ACS_ULCORNER);
	mvwaddch(w, y0, x0 + wd - 1, ACS_URCORNER);
	mvwaddch(w, y0 + h - 1, x0, ACS_LLCORNER);
	mvwaddch(w, y0 + h - 1, x0 + wd - 1, ACS_LRCORNER);
	wattron(w, A_BOLD);
	ui_draw_text(w, y0, x0 + 2, wd - 4, title);
	wattroff(w, A_BOLD);
}

/* The last lines of the box: the buttons, the name being typed, a hint. */
static void
draw_question(struct ui_dialog *d, WINDOW *w, int y, int x, int cols)
{
	char q[2 * UI_DIALOG_WORD_MAX + 96];
	int used;

	wattron(w, A_REVERSE);
	used = ui_draw_text(w, y, x, cols, "[ Cancel ]");
	wattroff(w, A_REVERSE);
	used += ui_draw_text(w, y, x + used, cols - used, " (Enter, Esc)   ");
	ui_draw_text(w, y, x + used, cols - used, ui_dialog_question(d, q, sizeof(q)));
	if (is_named(d)) {
		used = ui_draw_text(w, y + 1, x, cols, "> ");
		ui_draw_text(w, y + 1, x + used, cols - used, d->typed);
	}
	wattron(w, A_DIM);
	ui_draw_text(w, y + 2, x, cols, d->hint);
	wattroff(w, A_DIM);
}

void
ui_dialog_draw(struct ui *ui, struct ui_dialog *d)
{
	WINDOW *w = ui->win;
	/* between the title and the status line, the full width: nothing of the view shows through
	 */
	int h = LINES - 2, wd = COLS, y0 = 1, x0 = 0, inner = wd - 4, rows, i;

	if (h < 8 || wd < 20)
		return;
	for (i = 0; i < h; i++)
		ui_draw_pad(w, y0 + i, x0, wd);
	draw_border(w, y0, x0, h, wd, d->title);
	rows = h - 6; /* border, separator, three question lines */
	if (d->top + 1 > d->body.n)
		d->top = d->body.n ? d->body.n - 1 : 0;
	for (i = 0; i < rows && d->top + (size_t)i < d->body.n; i++)
		ui_draw_text(w, y0 + 1 + i, x0 + 2, inner, d->body.v[d->top + (size_t)i].text);
	mvwhline(w, y0 + h - 5, x0 + 1, ACS_HLINE, wd - 2);
	draw_question(d, w, y0 + h - 4, x0 + 2, inner);
}
