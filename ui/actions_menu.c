/*
 * `x`: the actions that fit a resource, each with its plan as the reviewer
 * reads it (a dry run from the cache: nothing is sent), and the glue that
 * confirms and runs a plan through cli/console_act.h. Under --read-only or
 * the config's read_only every action is greyed and Enter refuses.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/console_act.h"
#include "store/query.h"
#include "ui/dialog.h"
#include "ui/ui_int.h"
#include "util/xmalloc.h"

#define MAX_CHOICES 16
#define PLAN_TEXT   16384

struct actions_state {
	struct ui_lines lines; /* first: the ui_lines_* helpers read it */
	struct act_choice choice[MAX_CHOICES];
	size_t first_line[MAX_CHOICES]; /* where each action's lines begin */
	cJSON *plan[MAX_CHOICES];       /* NULL when the action does not apply */
	char *text[MAX_CHOICES];        /* the plan, or why it does not apply */
	size_t n;
	int read_only;
	char why[256];
	char name[256];
};

int
ui_act_read_only(struct ui *ui, char *why, size_t n)
{
	if (ui->flags & UI_READ_ONLY) {
		snprintf(why, n, "--read-only");
		return 1;
	}
	if (!ui->act) {
		snprintf(why, n, "this console has no connection settings");
		return 1;
	}
	return act_console_read_only(ui->act, why, n);
}

void
ui_act_confirm(struct ui *ui, const char *title, const char *text, cJSON *plan)
{
	ui_dialog_free(ui->dialog);
	ui->dialog = ui_dialog_new(title, text, act_console_confirm_word(plan), plan);
}

void
ui_act_run(struct ui *ui, cJSON *plan)
{
	struct ui_view *v = ui_view_top(ui);
	char why[256], summary[1536], busy[512];
	struct err err = { 0 };
	int rc;

	if (ui_act_read_only(ui, why, sizeof(why))) {
		ui_status(ui, 1, "refused under %s: nothing was changed", why);
		cJSON_Delete(plan);
		return;
	}
	snprintf(busy, sizeof(busy), "running %s on %.200s: re-read, back up, apply, verify...",
	         cJSON_GetStringValue(cJSON_GetObjectItem(plan, "action")),
	         cJSON_GetStringValue(
	                 cJSON_GetObjectItem(cJSON_GetObjectItem(plan, "target"), "name")));
	ui_busy(ui, busy);
	rc = act_console_run(ui->act, ui->store, plan, summary, sizeof(summary), &err);
	cJSON_Delete(plan);
	/* the journal (or a plan against a changed cache) reads differently now */
	if (v && ui_view_reload(ui, v, &err) && !rc)
		rc = -1;
	ui_status(ui, rc != 0, "%s", summary);
}

/* The resource's kind and name from the cache. */
static int
resource_of(struct ui *ui, const char *arn, int *kind, char *name, size_t n, struct err *err)
{
	struct store_resource r = { 0 };
	int rc = store_resource_get(ui->store, arn, &r, err);

	if (rc)
		return rc;
	*kind = (int)r.r.kind;
	snprintf(name, n, "%s", r.r.name);
	store_resource_release(&r);
	return 0;
}

static void
add_choice(struct ui *ui, struct ui_view *v, struct actions_state *st, size_t i)
{
	enum ui_line_style body = st->read_only ? UI_LINE_DIM : UI_LINE_TEXT;
	char *text = xmalloc(PLAN_TEXT);
	struct err err = { 0 };

	st->first_line[i] = st->lines.n;
	text[0] = '\0';
	if (act_console_plan(ui->act, ui->store, st->choice[i].name, v->arg, &st->plan[i], text,
	                     PLAN_TEXT, &err))
		snprintf(text, PLAN_TEXT, "does not apply: %s", err.msg);
	st->text[i] = text;
	ui_lines_add(&st->lines, st->read_only || !st->plan[i] ? UI_LINE_DIM : UI_LINE_HEAD, NULL,
	             -1, "%s - %s%s", st->choice[i].name, st->choice[i].summary,
	             st->choice[i].destructive ? " (destructive)" : "");
	ui_lines_add_text(&st->lines, st->plan[i] ? body : UI_LINE_DIM, text);
	ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1, "%s", "");
}

static int
actions_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct actions_state *st = v->state;
	int kind, rc;
	size_t i;

	if (!ui->store)
		return err_set(err, ERR_NOTFOUND, "no cache");
	if (!ui->act)
		return err_set(err, ERR_USAGE, "no actions in this console");
	rc = resource_of(ui, v->arg, &kind, st->name, sizeof(st->name), err);
	if (rc)
		return rc;
	st->n = act_console_choices(kind, st->choice, MAX_CHOICES);
	if (!st->n)
		return err_set(err, ERR_USAGE, "no action applies to a %s",
		               model_kind_name((enum model_kind)kind));
	st->read_only = ui_act_read_only(ui, st->why, sizeof(st->why));
	snprintf(v->title, sizeof(v->title), "actions: %.100s%s", st->name,
	         st->read_only ? " (read-only)" : "");
	if (st->read_only)
		ui_lines_add(&st->lines, UI_LINE_DIM, NULL, -1,
		             "actions are disabled (%s): plans are shown, nothing can be applied",
		             st->why);
	else
		ui_lines_add(&st->lines, UI_LINE_DIM, NULL, -1,
		             "Enter on an action asks to confirm its plan (Cancel is the default)");
	ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1, "%s", "");
	for (i = 0; i < st->n; i++)
		add_choice(ui, v, st, i);
	return 0;
}

/* The action whose lines hold row; -1 above the first. */
static long
choice_at(const struct actions_state *st, size_t row)
{
	long i;

	for (i = (long)st->n - 1; i >= 0; i--)
		if (row >= st->first_line[i])
			return i;
	return -1;
}

static enum ui_request
actions_request(struct ui *ui, struct ui_view *v, enum ui_request req)
{
	struct actions_state *st = v->state;
	size_t row = ui_view_current(v);
	long i = row == (size_t)-1 ? -1 : choice_at(st, row);
	char title[512];

	if (req != UI_REQ_ENTER && req != UI_REQ_ACT)
		return req;
	if (i < 0) {
		ui_status(ui, 1, "move to an action, then Enter");
	} else if (st->read_only) {
		ui_status(ui, 1, "%s: refused under %s (nothing was changed)", st->choice[i].name,
		          st->why);
	} else if (!st->plan[i]) {
		ui_status(ui, 1, "%s: %s", st->choice[i].name, st->text[i]);
	} else {
		snprintf(title, sizeof(title), "confirm %s on %s", st->choice[i].name, st->name);
		ui_act_confirm(ui, title, st->text[i], cJSON_Duplicate(st->plan[i], 1));
	}
	return UI_REQ_NONE;
}

static void
actions_release(struct ui_view *v)
{
	struct actions_state *st = v->state;
	size_t i;

	for (i = 0; i < st->n; i++) {
		cJSON_Delete(st->plan[i]);
		free(st->text[i]);
	}
	ui_lines_release(&st->lines);
}

const struct ui_view_ops ui_actions_view = {
	.name = "actions",
	.help = "the actions that fit a resource, with their plans (x)",
	.keymap = UI_KM_TEXT,
	.state_size = sizeof(struct actions_state),
	.load = actions_load,
	.rows = ui_lines_rows,
	.draw_row = ui_lines_draw_row,
	.request = actions_request,
	.matches = ui_lines_matches,
	.release = actions_release,
};
