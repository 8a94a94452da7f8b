/*
 * The core of the console: the loop, the view stack and what every view
 * gets for free (scrolling, the / filter, sorting, marks, title, status).
 *
 * State transitions:
 *  1. NORMAL --'/'--> FILTER: each key edits the filter and refilters at
 *     once (ui_view_refilter); Enter keeps it, Esc restores the old one.
 *  2. NORMAL --':'--> COMMAND: Enter runs ui_command_run(), Esc cancels.
 *  3. Esc in NORMAL clears a filter first, then pops the view; the last
 *     view is never popped (q quits).
 * Handlers never draw: ui_run() redraws after each key (ui_draw).
 */
#include "ui/ui.h"

#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ui/dialog.h"
#include "ui/input.h"
#include "ui/ui_int.h"
#include "util/xmalloc.h"

void
ui_status(struct ui *ui, int is_error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = is_error;
}

void
ui_busy(struct ui *ui, const char *what)
{
	ui_status(ui, 0, "%s", what);
	if (ui->win)
		ui_draw(ui);
}

struct ui_view *
ui_view_top(struct ui *ui)
{
	return ui->depth ? ui->stack[ui->depth - 1] : NULL;
}

size_t
ui_view_current(const struct ui_view *v)
{
	if (!v || v->cursor >= v->n_vis)
		return (size_t)-1;
	return v->vis[v->cursor];
}

/* qsort has no context argument in C11; the UI is single-threaded. */
static const struct ui_view *sort_view;

static int
sort_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = sort_view->ops->compare(sort_view, x, y, sort_view->sort_col);

	if (sort_view->sort_desc)
		c = -c;
	if (!c) /* stable, so a resort does not shuffle equal rows */
		c = x < y ? -1 : x > y;
	return c;
}

void
ui_view_sort(struct ui_view *v)
{
	size_t i;

	for (i = 0; i < v->n_rows; i++)
		v->order[i] = i;
	if (v->ops->compare && v->n_rows > 1 && (v->sort_col || v->sort_desc)) {
		sort_view = v;
		qsort(v->order, v->n_rows, sizeof(*v->order), sort_cmp);
		sort_view = NULL;
	}
	ui_view_refilter(v, 0);
}

static void
lower_copy(char *out, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 'a' - 'A') : s[i];
	out[i] = '\0';
}

void
ui_view_refilter(struct ui_view *v, int narrowing)
{
	size_t keep = ui_view_current(v), i, n = 0;
	char needle[UI_FILTER_MAX];

	lower_copy(needle, sizeof(needle), v->filter);
	if (!*needle || !v->ops->matches) {
		memcpy(v->vis, v->order, v->n_rows * sizeof(*v->vis));
		n = v->n_rows;
	} else if (narrowing) {
		/* a longer needle only removes rows: test the visible ones */
		for (i = 0; i < v->n_vis; i++)
			if (v->ops->matches(v, v->vis[i], needle))
				v->vis[n++] = v->vis[i];
	} else {
		for (i = 0; i < v->n_rows; i++)
			if (v->ops->matches(v, v->order[i], needle))
				v->vis[n++] = v->order[i];
	}
	v->n_vis = n;
	/* keep the cursor on the same row when it is still shown */
	v->cursor = 0;
	for (i = 0; keep != (size_t)-1 && i < n; i++)
		if (v->vis[i] == keep) {
			v->cursor = i;
			break;
		}
	if (v->top > v->cursor)
		v->top = v->cursor;
}

/* Sizes the core's arrays for the rows load produced. */
static void
view_index(struct ui_view *v)
{
	v->n_rows = v->ops->rows(v);
	free(v->order);
	free(v->vis);
	free(v->marks);
	v->marks = NULL;
	v->n_marked = 0;
	v->order = xcalloc(v->n_rows + 1, sizeof(*v->order));
	v->vis = xcalloc(v->n_rows + 1, sizeof(*v->vis));
	v->n_vis = 0;
	ui_view_sort(v);
}

static void
view_free(struct ui_view *v)
{
	if (!v)
		return;
	if (v->state && v->ops->release)
		v->ops->release(v);
	free(v->state);
	free(v->arg);
	free(v->order);
	free(v->vis);
	free(v->marks);
	free(v);
}

int
ui_view_push(struct ui *ui, const struct ui_view_ops *ops, const char *arg, struct err *err)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	int rc;

	v->ops = ops;
	v->state = xcalloc(1, ops->state_size ? ops->state_size : 1);
	v->arg = arg ? xstrdup(arg) : NULL;
	snprintf(v->title, sizeof(v->title), "%s", ops->name);
	rc = ops->load(ui, v, err);
	if (rc) {
		view_free(v);
		return rc;
	}
	view_index(v);
	if (ui->depth == UI_STACK_MAX) { /* forget the oldest but keep the first */
		view_free(ui->stack[1]);
		memmove(&ui->stack[1], &ui->stack[2], (UI_STACK_MAX - 2) * sizeof(v));
		ui->depth--;
	}
	ui->stack[ui->depth++] = v;
	ui->status[0] = '\0';
	return 0;
}

void
ui_view_pop(struct ui *ui)
{
	if (ui->depth <= 1)
		return;
	view_free(ui->stack[--ui->depth]);
}

int
ui_view_reload(struct ui *ui, struct ui_view *v, struct err *err)
{
	void *fresh = xcalloc(1, v->ops->state_size ? v->ops->state_size : 1);
	void *old = v->state;
	size_t cursor = v->cursor;
	int rc;

	v->state = fresh;
	rc = v->ops->load(ui, v, err);
	if (rc) { /* keep showing what we had */
		if (v->ops->release)
			v->ops->release(v);
		free(fresh);
		v->state = old;
		return rc;
	}
	v->state = old;
	if (v->ops->release)
		v->ops->release(v);
	free(old);
	v->state = fresh;
	view_index(v);
	v->cursor = cursor < v->n_vis ? cursor : v->n_vis ? v->n_vis - 1 : 0;
	return 0;
}

int
ui_open_resource(struct ui *ui, const char *arn, int kind, struct err *err)
{
	if (kind == MODEL_FUNCTION)
		return ui_view_push(ui, &ui_function_view, arn, err);
	return ui_view_push(ui, &ui_raw_view, arn, err);
}

static int
page_rows(void)
{
	return LINES > 4 ? LINES - 3 : 1;
}

static void
move_cursor(struct ui_view *v, long delta)
{
	long c = (long)v->cursor + delta;

	if (c >= (long)v->n_vis)
		c = (long)v->n_vis - 1;
	if (c < 0)
		c = 0;
	v->cursor = (size_t)c;
}

static void
sort_next(struct ui *ui, struct ui_view *v, int reverse)
{
	const char *name;

	if (!(v->ops->flags & UI_VIEW_SORTABLE) || !v->ops->column) {
		ui_status(ui, 1, "this view does not sort");
		return;
	}
	if (reverse) {
		v->sort_desc = !v->sort_desc;
	} else {
		v->sort_col++;
		if (!v->ops->column(v, v->sort_col))
			v->sort_col = 0;
		v->sort_desc = 0;
	}
	ui_view_sort(v);
	name = v->ops->column(v, v->sort_col);
	ui_status(ui, 0, "sorted by %s, %s", name, v->sort_desc ? "descending" : "ascending");
}

static void
mark_toggle(struct ui *ui, struct ui_view *v, int clear)
{
	size_t row = ui_view_current(v);

	if (!(v->ops->flags & UI_VIEW_MARKABLE)) {
		ui_status(ui, 1, "this view has no marks");
		return;
	}
	if (clear) {
		if (v->marks)
			memset(v->marks, 0, v->n_rows);
		v->n_marked = 0;
		return;
	}
	if (row == (size_t)-1)
		return;
	if (!v->marks)
		v->marks = xcalloc(v->n_rows, 1);
	v->marks[row] = !v->marks[row];
	v->n_marked += v->marks[row] ? 1 : (size_t)-1;
	move_cursor(v, 1);
}

/* The resource a view is about: its argument when that is one ARN (not a result's text). */
static const char *
view_about(const struct ui_view *v)
{
	if (!v->arg || strncmp(v->arg, "arn:", 4) || strchr(v->arg, '\n'))
		return NULL;
	return v->arg;
}

static void
open_selected(struct ui *ui, struct ui_view *v, const struct ui_view_ops *ops)
{
	const char *arn = v->ops->resource ? v->ops->resource(v, ui_view_current(v)) : NULL;
	struct err err = { 0 };

	if (!arn && ops != &ui_help_view)
		arn = view_about(v); /* a resource view is about its resource */
	if (!arn) {
		ui_status(ui, 1, "no resource selected");
		return;
	}
	if (ui_view_push(ui, ops, arn, &err))
		ui_status(ui, 1, "%s", err.msg);
}

/* The marked rows' resources (at most max), in the order shown. */
static size_t
marked_resources(const struct ui_view *v, const char **arns, size_t max)
{
	size_t i, n = 0;

	for (i = 0; v->marks && v->ops->resource && i < v->n_rows && n < max; i++) {
		const char *arn = v->marks[v->order[i]] ? v->ops->resource(v, v->order[i]) : NULL;

		if (arn)
			arns[n++] = arn;
	}
	return n;
}

/*
 * x: the actions of the resource a view is about, else of the marked rows'
 * (a batch), else of the selected row's.
 */
static void
open_actions(struct ui *ui, struct ui_view *v)
{
	const char *arns[UI_MARKED_MAX], *arn = view_about(v);
	struct err err = { 0 };
	size_t n = arn ? 0 : marked_resources(v, arns, UI_MARKED_MAX);

	if (!arn && !n && v->ops->resource)
		arn = v->ops->resource(v, ui_view_current(v));
	if (arn)
		arns[n++] = arn;
	if (!n)
		ui_status(ui, 1, "no resource selected");
	else if (ui_act_open(ui, arns, n, NULL, 0, &err))
		ui_status(ui, 1, "%s", err.msg);
}

static void
back(struct ui *ui, struct ui_view *v)
{
	if (v->filter[0]) {
		v->filter[0] = '\0';
		ui_view_refilter(v, 0);
	} else if (ui->depth > 1) {
		ui_view_pop(ui);
	}
}

/* The generic driver: what a view's request handler handed back. */
static void
request_run(struct ui *ui, struct ui_view *v, enum ui_request req)
{
	struct err err = { 0 };
	const struct ui_request_info *info = ui_request_info(req);

	if (info && (info->flags & UI_WRITES) && (ui->flags & UI_READ_ONLY)) {
		ui_status(ui, 1, "'%s' changes the cloud: refused under --read-only", info->name);
		return;
	}
	switch (req) {
	case UI_REQ_HELP:
		if (ui_view_push(ui, &ui_help_view, NULL, &err))
			ui_status(ui, 1, "%s", err.msg);
		break;
	case UI_REQ_QUIT:
		ui->quit = 1;
		break;
	case UI_REQ_COMMAND:
		ui_input_begin(&ui->input, "");
		ui->mode = UI_MODE_COMMAND;
		break;
	case UI_REQ_FILTER:
		ui_input_begin(&ui->input, v->filter);
		ui->mode = UI_MODE_FILTER;
		break;
	case UI_REQ_BACK:
		back(ui, v);
		break;
	case UI_REQ_RELOAD:
		if (ui_view_reload(ui, v, &err))
			ui_status(ui, 1, "%s", err.msg);
		else
			ui_status(ui, 0, "reloaded %zu rows", v->n_rows);
		break;
	case UI_REQ_REDRAW:
		clearok(curscr, TRUE);
		break;
	case UI_REQ_UP:
		move_cursor(v, -1);
		break;
	case UI_REQ_DOWN:
		move_cursor(v, 1);
		break;
	case UI_REQ_PAGE_UP:
		move_cursor(v, -page_rows());
		v->top = v->top > (size_t)page_rows() ? v->top - (size_t)page_rows() : 0;
		break;
	case UI_REQ_PAGE_DOWN:
		move_cursor(v, page_rows());
		v->top += (size_t)page_rows(); /* the frame clamps it */
		break;
	case UI_REQ_FIRST:
		v->cursor = 0;
		break;
	case UI_REQ_LAST:
		move_cursor(v, (long)v->n_vis);
		break;
	case UI_REQ_CONNECTIONS:
		open_selected(ui, v, &ui_connections_view);
		break;
	case UI_REQ_RAW:
		open_selected(ui, v, &ui_raw_view);
		break;
	case UI_REQ_SORT:
	case UI_REQ_SORT_REVERSE:
		sort_next(ui, v, req == UI_REQ_SORT_REVERSE);
		break;
	case UI_REQ_MARK:
	case UI_REQ_MARK_CLEAR:
		mark_toggle(ui, v, req == UI_REQ_MARK_CLEAR);
		break;
	case UI_REQ_ACT:
		open_actions(ui, v);
		break;
	case UI_REQ_UNDO:
		ui_status(ui, 1, "nothing to undo here (undo is in :journal)");
		break;
	case UI_REQ_ENTER: /* a view that opens nothing */
	case UI_REQ_NONE:
	case UI_REQ_COUNT:
		break;
	}
}

static void
request_dispatch(struct ui *ui, enum ui_request req)
{
	struct ui_view *v = ui_view_top(ui);

	if (v->ops->request)
		req = v->ops->request(ui, v, req);
	if (req != UI_REQ_NONE)
		request_run(ui, ui_view_top(ui), req);
}

void
ui_command_run(struct ui *ui, const char *line)
{
	const struct ui_view_ops *ops;
	enum ui_request req;
	char word[UI_FILTER_MAX];
	struct err err = { 0 };
	size_t n;

	while (*line == ' ')
		line++;
	snprintf(word, sizeof(word), "%s", line);
	n = strlen(word);
	while (n && word[n - 1] == ' ')
		word[--n] = '\0';
	if (!n)
		return;
	if (!strcmp(word, "q") || !strcmp(word, "q!")) {
		ui->quit = 1;
		return;
	}
	req = ui_request_parse(word);
	if (req != UI_REQ_NONE) {
		request_dispatch(ui, req);
		return;
	}
	ops = ui_view_find(word);
	if (!ops) {
		ui_status(ui, 1, "unknown command '%s' (press ? for the list)", word);
		return;
	}
	if (ops == &ui_help_view)
		request_run(ui, ui_view_top(ui), UI_REQ_HELP);
	else if (ui_view_push(ui, ops, NULL, &err))
		ui_status(ui, 1, "%s", err.msg);
}

/* A key while the filter or command line is open. */
static void
key_input(struct ui *ui, int key, int is_code)
{
	struct ui_view *v = ui_view_top(ui);
	enum ui_input_result r;
	char old[UI_FILTER_MAX];

	r = ui_input_key(&ui->input, key, is_code, ui->mode == UI_MODE_COMMAND);
	if (ui->mode == UI_MODE_FILTER) {
		memcpy(old, v->filter, sizeof(old));
		snprintf(v->filter, sizeof(v->filter), "%s",
		         r == UI_INPUT_CANCEL ? ui->input.saved : ui->input.text);
		if (strcmp(old, v->filter)) {
			/* text added to the end only narrows: test the visible rows only */
			size_t n = strlen(old);
			int narrowing = strlen(v->filter) > n && !strncmp(old, v->filter, n);

			ui_view_refilter(v, narrowing);
		}
		if (r == UI_INPUT_DONE || r == UI_INPUT_CANCEL)
			ui->mode = UI_MODE_NORMAL;
		return;
	}
	if (r == UI_INPUT_COMPLETE)
		ui_input_complete(&ui->input, ui_view_name, ui_request_name_at);
	if (r == UI_INPUT_CANCEL)
		ui->mode = UI_MODE_NORMAL;
	if (r == UI_INPUT_DONE) {
		char line[UI_FILTER_MAX];

		ui->mode = UI_MODE_NORMAL;
		snprintf(line, sizeof(line), "%s", ui->input.text);
		ui_input_remember(&ui->input);
		ui_command_run(ui, line);
	}
}

/* A key while the confirm dialog is open: it decides, then the plan runs or is dropped. */
static void
dialog_key(struct ui *ui, int key, int is_code)
{
	enum ui_dialog_result r = ui_dialog_key(ui->dialog, key, is_code);
	cJSON *plan;

	if (r == UI_DIALOG_PENDING)
		return;
	plan = ui->dialog->plan;
	ui->dialog->plan = NULL;
	ui_dialog_free(ui->dialog);
	ui->dialog = NULL;
	if (r == UI_DIALOG_CANCEL) {
		cJSON_Delete(plan);
		ui_status(ui, 0, "cancelled: nothing was changed");
		return;
	}
	ui_act_run(ui, plan);
}

void
ui_key(struct ui *ui, int key, int is_code)
{
	struct ui_view *v = ui_view_top(ui);
	enum ui_request req;

	if (is_code && key == KEY_RESIZE)
		return; /* curses has resized stdscr; the next frame fits it */
	if (ui->dialog) {
		dialog_key(ui, key, is_code);
		return;
	}
	if (ui->mode != UI_MODE_NORMAL) {
		key_input(ui, key, is_code);
		return;
	}
	ui->status[0] = '\0';
	req = ui_keymap_lookup(v->ops->keymap, key);
	if (req == UI_REQ_NONE) {
		char name[16];

		ui_status(ui, 1, "%s is not bound here (press ? for help)",
		          ui_key_name(key, name, sizeof(name)));
		return;
	}
	request_dispatch(ui, req);
}

int
ui_open(struct ui **out, const char *cache_path, unsigned flags, struct err *err)
{
	struct ui *ui = xcalloc(1, sizeof(*ui));
	char path[4096];
	int rc;

	*out = NULL;
	if (!cache_path) {
		rc = store_default_path(path, sizeof(path), err);
		if (rc) {
			free(ui);
			return rc;
		}
		cache_path = path;
	}
	ui->cache_path = xstrdup(cache_path);
	ui->flags = flags;
	ui->today = (int64_t)time(NULL) / 86400;
	ui->utf8 = 1;
	/* a missing cache is shown, not refused; open writable so an old schema migrates */
	if (access(cache_path, F_OK))
		err_set(&ui->open_err, ERR_NOTFOUND, "no cache at '%s'", cache_path);
	else
		store_open(cache_path, 0, &ui->store, &ui->open_err);
	rc = ui_view_push(ui, &ui_overview_view, NULL, err);
	if (rc) {
		ui_close(ui);
		return rc;
	}
	*out = ui;
	return 0;
}

void
ui_close(struct ui *ui)
{
	if (!ui)
		return;
	ui_dialog_free(ui->dialog);
	while (ui->depth)
		view_free(ui->stack[--ui->depth]);
	ui_input_release(&ui->input);
	ui_screen_stop(ui);
	store_close(ui->store);
	free(ui->cache_path);
	free(ui);
}
