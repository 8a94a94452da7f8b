/*
 * :journal, the remediation journal (store/actions.h): one row per action
 * with its last step's detail; `u` on a verified entry plans its undo,
 * shows it in the confirm dialog and runs it; the list reloads after.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/console_act.h"
#include "store/actions.h"
#include "ui/ui_int.h"
#include "util/xmalloc.h"

#define N_COLS 6

struct journal_state {
	struct store_actions all;
	char *(*cells)[N_COLS]; /* per action: the columns as shown, owned */
};

static const char *const columns[N_COLS] = { "ID",     "WHEN (UTC)", "ACTION",
	                                     "TARGET", "STATE",      "DETAIL" };
static const int widths[N_COLS] = { 5, 16, 15, 22, 11, 0 };

/* The error, else the last step's detail, else what it undoes. */
static char *
detail_of(struct store *s, const struct store_action *a)
{
	struct store_action_step *steps = NULL;
	size_t n = 0;
	char text[1024] = "";

	if (a->error[0]) {
		snprintf(text, sizeof(text), "%s", a->error);
	} else if (!store_action_steps(s, a->id, &steps, &n, NULL) && n && steps[n - 1].detail[0]) {
		snprintf(text, sizeof(text), "%s", steps[n - 1].detail);
	} else if (a->undo_of) {
		snprintf(text, sizeof(text), "undo of %lld", (long long)a->undo_of);
	}
	store_steps_free(steps, n);
	return xstrdup(text);
}

static void
fill_cells(struct store *s, const struct store_action *a, char **cell)
{
	const char *name = strrchr(a->target, ':');
	char buf[64];

	snprintf(buf, sizeof(buf), "%lld", (long long)a->id);
	cell[0] = xstrdup(buf);
	cell[1] = xstrdup(ui_fmt_time(a->updated, buf, sizeof(buf)));
	cell[2] = xstrdup(a->action);
	cell[3] = xstrdup(name ? name + 1 : a->target);
	cell[4] = xstrdup(a->state);
	cell[5] = detail_of(s, a);
}

static int
journal_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct journal_state *st = v->state;
	size_t i;
	int rc;

	if (!ui->store)
		return err_set(err, ERR_NOTFOUND, "no cache");
	rc = store_actions_list(ui->store, NULL, &st->all, err);
	if (rc)
		return rc;
	st->cells = xcalloc(st->all.n + 1, sizeof(*st->cells));
	for (i = 0; i < st->all.n; i++)
		fill_cells(ui->store, &st->all.v[i], st->cells[i]);
	snprintf(v->title, sizeof(v->title), "journal (%zu)", st->all.n);
	/* the newest first: what was just done is what one looks for */
	v->sort_desc = v->sort_desc || (!v->sort_col && !v->n_rows);
	return 0;
}

static size_t
journal_rows(const struct ui_view *v)
{
	return ((const struct journal_state *)v->state)->all.n;
}

static void
draw_cells(struct ui *ui, const char *const *cell, int y, int x, int cols)
{
	int end = x + cols, c;

	for (c = 0; c < N_COLS && x < end; c++) {
		int w = widths[c] ? widths[c] : end - x, used;

		if (w > end - x)
			w = end - x;
		used = ui_draw_text(ui->win, y, x, w, cell[c]);
		ui_draw_pad(ui->win, y, x + used, w - used);
		x += w;
		if (x < end)
			ui_draw_pad(ui->win, y, x++, 1);
	}
}

static void
journal_header(struct ui *ui, struct ui_view *v, int y, int cols)
{
	(void)v;
	draw_cells(ui, columns, y, 0, cols);
}

static void
journal_draw_row(struct ui *ui, struct ui_view *v, size_t row, int y, int x, int cols)
{
	const struct journal_state *st = v->state;

	draw_cells(ui, (const char *const *)st->cells[row], y, x, cols);
}

static int
journal_matches(const struct ui_view *v, size_t row, const char *needle)
{
	const struct journal_state *st = v->state;
	int c;

	for (c = 0; c < N_COLS; c++)
		if (ui_contains(st->cells[row][c], needle))
			return 1;
	return 0;
}

static const char *
journal_column(const struct ui_view *v, int col)
{
	(void)v;
	return col >= 0 && col < N_COLS ? columns[col] : NULL;
}

static int
journal_compare(const struct ui_view *v, size_t a, size_t b, int col)
{
	const struct journal_state *st = v->state;

	if (col == 0 || col == 1) /* ids grow with time */
		return st->all.v[a].id < st->all.v[b].id ? -1 : st->all.v[a].id > st->all.v[b].id;
	return strcmp(st->cells[a][col], st->cells[b][col]);
}

static const char *
journal_resource(const struct ui_view *v, size_t row)
{
	const struct journal_state *st = v->state;

	return row < st->all.n ? st->all.v[row].target : NULL;
}

/* u: the undo's plan, shown in the confirm dialog. */
static void
undo(struct ui *ui, const struct store_action *a)
{
	char why[256], title[128], *text;
	struct err err = { 0 };
	cJSON *plan = NULL;

	if (ui_act_read_only(ui, why, sizeof(why))) {
		ui_status(ui, 1, "undo: refused under %s (nothing was changed)", why);
		return;
	}
	if (strcmp(a->state, "verified")) {
		ui_status(ui, 1, "action %lld is %s: only a verified action can be undone",
		          (long long)a->id, a->state);
		return;
	}
	text = xmalloc(16384);
	if (act_console_undo_plan(ui->store, a->id, &plan, text, 16384, &err)) {
		ui_status(ui, 1, "undo of %lld: %s", (long long)a->id, err.msg);
	} else {
		snprintf(title, sizeof(title), "confirm the undo of action %lld", (long long)a->id);
		ui_act_confirm(ui, title, text, plan);
	}
	free(text);
}

static enum ui_request
journal_request(struct ui *ui, struct ui_view *v, enum ui_request req)
{
	const struct journal_state *st = v->state;
	size_t row = ui_view_current(v);
	struct err err = { 0 };
	const char *arn;

	if (req != UI_REQ_UNDO && req != UI_REQ_ENTER)
		return req;
	if (row >= st->all.n) {
		ui_status(ui, 1, "the journal is empty");
		return UI_REQ_NONE;
	}
	if (req == UI_REQ_UNDO) {
		undo(ui, &st->all.v[row]);
		return UI_REQ_NONE;
	}
	arn = st->all.v[row].target;
	if (ui_open_resource(ui, arn, strstr(arn, ":function:") ? MODEL_FUNCTION : -1, &err))
		ui_status(ui, 1, "%s", err.msg);
	return UI_REQ_NONE;
}

static void
journal_release(struct ui_view *v)
{
	struct journal_state *st = v->state;
	size_t i;
	int c;

	for (i = 0; st->cells && i < st->all.n; i++)
		for (c = 0; c < N_COLS; c++)
			free(st->cells[i][c]);
	free(st->cells);
	store_actions_release(&st->all);
}

const struct ui_view_ops ui_journal_view = {
	.name = "journal",
	.help = "the remediation journal: every action, its state; u undoes",
	.flags = UI_VIEW_SORTABLE,
	.keymap = UI_KM_JOURNAL,
	.state_size = sizeof(struct journal_state),
	.load = journal_load,
	.rows = journal_rows,
	.draw_header = journal_header,
	.draw_row = journal_draw_row,
	.request = journal_request,
	.matches = journal_matches,
	.column = journal_column,
	.compare = journal_compare,
	.resource = journal_resource,
	.release = journal_release,
};
