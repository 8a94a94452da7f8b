/*
 * The terminal: curses set-up, the frame (title, header, rows, status) and
 * ui_run's loop. A frame is drawn from the views' state only, so it costs
 * the same whether the cache holds ten resources or 100,000.
 */
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ui/dialog.h"
#include "ui/input.h"
#include "ui/ui.h"
#include "ui/ui_int.h"
#include "util/xmalloc.h"

#define PAIR_TITLE 1
#define PAIR_ERROR 2

static SCREEN *live_screen; /* for the out-of-memory hook */

static void
restore_terminal(void)
{
	if (live_screen)
		endwin();
}

int
ui_screen_start(struct ui *ui, FILE *out, FILE *in, struct err *err)
{
	const char *no_color = getenv("NO_COLOR");

	ui->screen = newterm(NULL, out ? out : stdout, in ? in : stdin);
	if (!ui->screen) {
		const char *term = getenv("TERM");

		return err_set(err, ERR_IO, "cannot start the console on terminal type '%s'",
		               term ? term : "(none)");
	}
	live_screen = ui->screen;
	xmalloc_set_fail_hook(restore_terminal);
	set_term(ui->screen);
	ui->win = stdscr;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors() && !(ui->flags & UI_NO_COLOR) && !(no_color && *no_color)) {
		start_color();
		use_default_colors();
		init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		ui->color = 1;
	}
	return 0;
}

void
ui_screen_stop(struct ui *ui)
{
	if (!ui->screen)
		return;
	endwin();
	delscreen(ui->screen);
	ui->screen = NULL;
	ui->win = NULL;
	live_screen = NULL;
	xmalloc_set_fail_hook(NULL);
}

static void
draw_title(struct ui *ui, struct ui_view *v)
{
	attr_t a = ui->color ? COLOR_PAIR(PAIR_TITLE) : A_REVERSE;
	char count[96];
	int x, w;

	wattrset(ui->win, a);
	ui_draw_pad(ui->win, 0, 0, COLS);
	if (!(v->ops->flags & UI_VIEW_SORTABLE))
		count[0] = '\0';
	else if (v->filter[0])
		snprintf(count, sizeof(count), " %zu of %zu ", v->n_vis, v->n_rows);
	else
		snprintf(count, sizeof(count), " %zu ", v->n_rows);
	x = ui_draw_text(ui->win, 0, 0, COLS, " shears > ");
	w = COLS - x - (int)strlen(count);
	x += ui_draw_text(ui->win, 0, x, w, v->title);
	if (w > 0)
		ui_draw_text(ui->win, 0, COLS - (int)strlen(count), (int)strlen(count), count);
	wattrset(ui->win, A_NORMAL);
}

static void
draw_body(struct ui *ui, struct ui_view *v)
{
	int rows = LINES - 3, y, mark = (v->ops->flags & UI_VIEW_MARKABLE) ? 2 : 0;

	if (v->cursor >= v->n_vis)
		v->cursor = v->n_vis ? v->n_vis - 1 : 0;
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (v->cursor >= v->top + (size_t)rows)
		v->top = v->cursor - (size_t)rows + 1;
	if (v->n_vis > (size_t)rows && v->top > v->n_vis - (size_t)rows)
		v->top = v->n_vis - (size_t)rows; /* no blank page after the last row */
	if (v->ops->draw_header) {
		wattrset(ui->win, A_BOLD);
		ui_draw_pad(ui->win, 1, 0, COLS);
		v->ops->draw_header(ui, v, 1, COLS);
		wattrset(ui->win, A_NORMAL);
	}
	for (y = 0; y < rows; y++) {
		size_t i = v->top + (size_t)y, row;

		if (i >= v->n_vis) {
			ui_draw_pad(ui->win, 2 + y, 0, COLS);
			continue;
		}
		row = v->vis[i];
		wattrset(ui->win, i == v->cursor ? A_REVERSE : A_NORMAL);
		if (mark)
			ui_draw_text(ui->win, 2 + y, 0, 2, v->marks && v->marks[row] ? "* " : "  ");
		v->ops->draw_row(ui, v, row, 2 + y, mark, COLS - mark);
		wattrset(ui->win, A_NORMAL);
	}
	if (!v->n_vis)
		ui_draw_text(ui->win, 2, 2, COLS - 2,
		             v->filter[0] ? "(nothing matches the filter)" : "(nothing here)");
}

static void
draw_status(struct ui *ui, struct ui_view *v)
{
	int y = LINES - 1, x;
	char line[256];
	const char *col;

	ui_draw_pad(ui->win, y, 0, COLS);
	if (ui->mode != UI_MODE_NORMAL) {
		char before[UI_FILTER_MAX];

		x = ui_draw_text(ui->win, y, 0, 1, ui->mode == UI_MODE_FILTER ? "/" : ":");
		ui_draw_text(ui->win, y, x, COLS - x - 1, ui->input.text);
		snprintf(before, sizeof(before), "%.*s", (int)ui->input.pos, ui->input.text);
		x += ui_text_cells(before);
		wmove(ui->win, y, x < COLS ? x : COLS - 1);
		return;
	}
	if (ui->status[0]) {
		attr_t a = ui->status_error ? (ui->color ? COLOR_PAIR(PAIR_ERROR) : A_BOLD) : 0;

		wattrset(ui->win, a);
		ui_draw_text(ui->win, y, 0, COLS, ui->status);
		wattrset(ui->win, A_NORMAL);
		return;
	}
	col = v->ops->column && (v->ops->flags & UI_VIEW_SORTABLE) ? v->ops->column(v, v->sort_col)
	                                                           : NULL;
	x = snprintf(line, sizeof(line), "%zu/%zu", v->n_vis ? v->cursor + 1 : 0, v->n_vis);
	if (v->filter[0])
		x += snprintf(line + x, sizeof(line) - (size_t)x, "  /%s", v->filter);
	if (col)
		x += snprintf(line + x, sizeof(line) - (size_t)x, "  sort:%s%s", col,
		              v->sort_desc ? "-" : "+");
	if (v->n_marked)
		x += snprintf(line + x, sizeof(line) - (size_t)x, "  %zu marked (x: batch)",
		              v->n_marked);
	snprintf(line + x, sizeof(line) - (size_t)x, "   ?:help  ::view  /:filter  q:quit");
	ui_draw_text(ui->win, y, 0, COLS, line);
}

void
ui_draw(struct ui *ui)
{
	struct ui_view *v = ui_view_top(ui);

	if (!ui->win)
		return;
	werase(ui->win);
	if (LINES < 5 || COLS < 20) {
		ui_draw_text(ui->win, 0, 0, COLS, "terminal too small");
	} else {
		draw_title(ui, v);
		draw_body(ui, v);
		draw_status(ui, v);
		if (ui->dialog)
			ui_dialog_draw(ui, ui->dialog);
	}
	curs_set(ui->mode == UI_MODE_NORMAL ? 0 : 1);
	wnoutrefresh(ui->win);
	doupdate();
}

int
ui_run(const char *cache_path, unsigned flags, struct act_console *act, struct err *err)
{
	const char *cs;
	struct ui *ui;
	int rc;

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	rc = ui_open(&ui, cache_path, flags, err);
	if (rc)
		return rc;
	ui->act = act;
	ui->utf8 = cs && !strcmp(cs, "UTF-8");
	rc = ui_screen_start(ui, NULL, NULL, err);
	if (rc) {
		ui_close(ui);
		return rc;
	}
	while (!ui->quit) {
		int errors = 0;
		wint_t wc;
		int r;

		ui_draw(ui);
		/* a terminal that went away answers ERR for ever: stop then */
		while ((r = wget_wch(ui->win, &wc)) == ERR && ++errors < 100)
			;
		if (r == ERR)
			break;
		ui_key(ui, (int)wc, r == KEY_CODE_YES);
	}
	ui_close(ui);
	return 0;
}
