/*
 * Inside the console: the core (ui/loop.c) owns the loop, the view stack,
 * scrolling, the filter, sorting, marks, the title and status lines; a view
 * is a table of operations (STYLE.md 7) with a zeroed private state.
 *
 * Invariants:
 *  1. Only a view's load reads the store; draw_row draws from state, so a
 *     frame never waits on sqlite.
 *  2. Handlers do not draw: they change state and the loop redraws.
 *  3. Every cloud string reaches the screen through ui_draw_text().
 */
#ifndef SHEARS_UI_INT_H
#define SHEARS_UI_INT_H

#include <curses.h>
#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "store/query.h"
#include "store/store.h"
#include "ui/request.h"
#include "ui/ui.h"
#include "util/err.h"

#define UI_STACK_MAX   32
#define UI_FILTER_MAX  256
#define UI_HISTORY_MAX 100
#define UI_MARKED_MAX  256 /* resources one x acts on: a batch */

enum ui_view_flags {
	UI_VIEW_SORTABLE = 1 << 0,
	UI_VIEW_MARKABLE = 1 << 1,
};

struct ui;
struct ui_view;

struct ui_view_ops {
	const char *name; /* title, and ":name" when listed in ui/views.c */
	const char *help; /* one line for the ":" commands list */
	unsigned flags;
	enum ui_keymap keymap;
	size_t state_size;
	const void *data; /* per-view constant data (a list's columns) */
	/* Reads the store into v->state (zeroed); v->arg names the resource, if any. */
	int (*load)(struct ui *ui, struct ui_view *v, struct err *err);
	size_t (*rows)(const struct ui_view *v);
	/* The line under the title: column names, or what the view is about. */
	void (*draw_header)(struct ui *ui, struct ui_view *v, int y, int cols);
	/* Row row (an index into the view's rows) at (y, x), exactly cols cells. */
	void (*draw_row)(struct ui *ui, struct ui_view *v, size_t row, int y, int x, int cols);
	/* UI_REQ_NONE when handled, else req for the generic driver. */
	enum ui_request (*request)(struct ui *ui, struct ui_view *v, enum ui_request req);
	/* Does row match needle (lower case, not empty)? */
	int (*matches)(const struct ui_view *v, size_t row, const char *needle);
	/* Column names for sorting; NULL past the last. */
	const char *(*column)(const struct ui_view *v, int col);
	int (*compare)(const struct ui_view *v, size_t a, size_t b, int col);
	/* The resource a row stands for (for c, r); NULL when none. */
	const char *(*resource)(const struct ui_view *v, size_t row);
	void (*release)(struct ui_view *v);
};

struct ui_view {
	const struct ui_view_ops *ops;
	void *state;
	char *arg; /* the ARN a resource view is about; NULL for lists */
	char title[160];
	size_t *order; /* every row, in sort order */
	size_t *vis;   /* the rows passing the filter, in sort order */
	size_t n_rows, n_vis;
	unsigned char *marks; /* one per row; NULL until the first mark */
	size_t n_marked;
	size_t cursor, top; /* indexes into vis */
	char filter[UI_FILTER_MAX];
	int sort_col, sort_desc;
};

enum ui_mode { UI_MODE_NORMAL, UI_MODE_FILTER, UI_MODE_COMMAND };

struct ui_input {
	char text[UI_FILTER_MAX];
	size_t len, pos; /* bytes; pos on a character boundary */
	char *history[UI_HISTORY_MAX];
	size_t n_history, at;      /* at == n_history: not browsing */
	char saved[UI_FILTER_MAX]; /* the filter before '/' began, restored on Esc */
};

struct act_console;
struct ui_dialog;
struct cJSON;

struct ui {
	struct store *store;      /* NULL when there is no cache */
	struct act_console *act;  /* borrowed: remediation (cli/console_act.h); NULL: none */
	struct ui_dialog *dialog; /* the modal confirm dialog, owned; NULL when closed */
	char *cache_path;
	struct err open_err; /* why store is NULL */
	unsigned flags;
	struct ui_view *stack[UI_STACK_MAX];
	int depth;
	enum ui_mode mode;
	struct ui_input input;
	char status[512];
	int status_error;
	int quit;
	int utf8;  /* the locale can show UTF-8 */
	int color; /* colours in use (not NO_COLOR, a colour terminal) */
	SCREEN *screen;
	WINDOW *win;
	int64_t today; /* unix day number when the console started */
};

/* Opening and closing without a terminal (tests and the bench use these). */
int ui_open(struct ui **out, const char *cache_path, unsigned flags, struct err *err);
/* Starts curses on (out, in) via newterm; NULL uses stdout/stdin. */
int ui_screen_start(struct ui *ui, FILE *out, FILE *in, struct err *err);
void ui_screen_stop(struct ui *ui);
void ui_close(struct ui *ui);
/* Draws the whole frame from state and updates the terminal. */
void ui_draw(struct ui *ui);
/* Handles one key (wide character or, with is_code, a KEY_ code). */
void ui_key(struct ui *ui, int key, int is_code);

/* The view stack. push loads the view; on error nothing is pushed. */
int ui_view_push(struct ui *ui, const struct ui_view_ops *ops, const char *arg, struct err *err);
void ui_view_pop(struct ui *ui);
struct ui_view *ui_view_top(struct ui *ui);
/* The row under the cursor, or (size_t)-1 when the view shows none. */
size_t ui_view_current(const struct ui_view *v);
/* Re-applies the filter (narrowing: only rows still visible are tested). */
void ui_view_refilter(struct ui_view *v, int narrowing);
void ui_view_sort(struct ui_view *v);
void ui_status(struct ui *ui, int is_error, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/*
 * Shows what in status and draws the frame now, before long work (a run)
 * blocks the loop; nothing is drawn without a screen.
 */
void ui_busy(struct ui *ui, const char *what);
/* Reads the top view again from the store; the cursor stays where it was. */
int ui_view_reload(struct ui *ui, struct ui_view *v, struct err *err);

/* Remediation (ui/actions_menu.c): 1 when actions are refused; why says by what. */
int ui_act_read_only(struct ui *ui, char *why, size_t n);
/* Opens the dialog confirming plan (taken), titled title. */
void ui_act_confirm(struct ui *ui, const char *title, const char *text, struct cJSON *plan);
/*
 * Runs a confirmed plan or batch (taken): a busy line, the result in
 * status, the view reloaded; a batch's result per plan in a view on top.
 */
void ui_act_run(struct ui *ui, struct cJSON *plan);
/*
 * x: the actions view on n resources (ARNs, one kind; several make batches),
 * restricted to the actions named in only (a finding's remedy) when one fits.
 */
int ui_act_open(struct ui *ui, const char *const *arns, size_t n, const char *const *only,
                size_t n_only, struct err *err);

/* Opens the resource's best view: function detail for a function, else raw. */
int ui_open_resource(struct ui *ui, const char *arn, int kind, struct err *err);
/* Runs a ":" command line. */
void ui_command_run(struct ui *ui, const char *line);

/*
 * The one way text reaches the screen (STYLE.md 6): s made terminal-safe,
 * measured in cells (wcwidth), drawn in at most cols cells at (y, x); a cut
 * is marked '~'. Returns the cells drawn. ui_draw_pad fills with spaces.
 */
int ui_draw_text(WINDOW *w, int y, int x, int cols, const char *s);
void ui_draw_pad(WINDOW *w, int y, int x, int cols);
/* Cells s takes once made terminal-safe. */
int ui_text_cells(const char *s);
/* ASCII case-insensitive substring test; needle already lower case. */
int ui_contains(const char *hay, const char *needle);

/* Named views, for ":name", completion and help. */
const char *ui_view_name(size_t i); /* NULL past the last */
const char *ui_view_help(size_t i);
/* The view named name, or the one view name is a prefix of; NULL otherwise. */
const struct ui_view_ops *ui_view_find(const char *name);
/* The list view of a kind, NULL when there is none. */
const struct ui_view_ops *ui_view_of_kind(int kind);

/* Text views: a state that starts with struct ui_lines. */
enum ui_line_style { UI_LINE_TEXT, UI_LINE_HEAD, UI_LINE_DIM, UI_LINE_CUSTOM };

struct ui_line {
	char *text;
	char *link;    /* an ARN Enter opens, or NULL */
	int link_kind; /* the linked resource's kind, a list view's kind, or -1 */
	enum ui_line_style style;
};

struct ui_lines {
	struct ui_line *v;
	size_t n, cap;
};

void ui_lines_add(struct ui_lines *l, enum ui_line_style style, const char *link, int link_kind,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Adds one line per '\n'-separated line of text, tabs as two spaces. */
void ui_lines_add_text(struct ui_lines *l, enum ui_line_style style, const char *text);
void ui_lines_release(struct ui_lines *l);
size_t ui_lines_rows(const struct ui_view *v);
void ui_lines_draw_row(struct ui *ui, struct ui_view *v, size_t row, int y, int x, int cols);
int ui_lines_matches(const struct ui_view *v, size_t row, const char *needle);
const char *ui_lines_resource(const struct ui_view *v, size_t row);
/* Enter on a line: follows its link. */
enum ui_request ui_lines_request(struct ui *ui, struct ui_view *v, enum ui_request req);
void ui_lines_view_release(struct ui_view *v);

/* "2024-05-01 12:00 UTC" */
const char *ui_fmt_time(int64_t t, char *out, size_t n);

extern const struct ui_view_ops ui_overview_view;
extern const struct ui_view_ops ui_help_view;
extern const struct ui_view_ops ui_function_view;
extern const struct ui_view_ops ui_connections_view;
extern const struct ui_view_ops ui_raw_view;
extern const struct ui_view_ops ui_findings_view;
extern const struct ui_view_ops ui_actions_view;
extern const struct ui_view_ops ui_batch_result_view;
extern const struct ui_view_ops ui_journal_view;
extern const struct ui_view_ops ui_list_views[];
extern const size_t ui_n_list_views;

#endif
