/*
 * `x`: the actions that fit a resource, each with its plan as the reviewer
 * reads it (a dry run from the cache: nothing is sent), and the glue that
 * confirms and runs a plan through cli/console_act.h. Under --read-only or
 * the config's read_only every action is greyed and Enter refuses.
 *
 * With several resources (rows marked with Space) the actions are those
 * that fit all of them (one kind), each shown as a batch (act/batch.h):
 * the count, a line per plan, then every plan; its dialog wants the
 * account's alias or id typed, and the result shows per plan.
 *
 * The view's argument names what it is about, one line each: the targets'
 * ARNs, and "only ACTION" lines when it was opened on findings (their
 * rules' remedies).
 */
#include <stdlib.h>
#include <string.h>

#include "act/batch.h"
#include "cli/console_act.h"
#include "store/query.h"
#include "ui/dialog.h"
#include "ui/ui_int.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define MAX_CHOICES 16
#define MAX_TARGETS 256
#define PLAN_TEXT   16384
#define BATCH_TEXT  ((size_t)8 << 20)

struct actions_state {
	struct ui_lines lines; /* first: the ui_lines_* helpers read it */
	struct act_choice choice[MAX_CHOICES];
	size_t first_line[MAX_CHOICES]; /* where each action's lines begin */
	cJSON *plan[MAX_CHOICES];       /* NULL when the action does not apply */
	char *text[MAX_CHOICES];        /* the plan, or why it does not apply */
	size_t count[MAX_CHOICES];      /* plans in a batch; 0 for one plan */
	size_t n;
	int read_only;
	char why[256];
	char name[256];
	char *target[MAX_TARGETS]; /* ARNs, owned */
	size_t n_targets;
	char *only[MAX_CHOICES]; /* the findings' remedies, owned; none: every action */
	size_t n_only;
	int kind;
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

/* A batch ran: the line per plan in a view of its own, over the actions. */
static void
act_run_batch(struct ui *ui, cJSON *batch)
{
	struct ui_view *v = ui_view_top(ui);
	char summary[512], busy[128], *lines = xmalloc(1 << 20), *text;
	struct err err = { 0 };
	size_t len;
	int rc;

	snprintf(busy, sizeof(busy),
	         "running a batch of %zu plans: each re-read, backed up, "
	         "applied, verified...",
	         act_batch_count(batch));
	ui_busy(ui, busy);
	rc = act_console_run_batch(ui->act, ui->store, batch, summary, sizeof(summary), lines,
	                           1 << 20, &err);
	cJSON_Delete(batch);
	if (v && ui_view_reload(ui, v, &err) && !rc)
		rc = -1;
	len = strlen(summary) + strlen(lines) + 64;
	text = xmalloc(len);
	snprintf(text, len, "%s (each plan is its own entry in :journal)\n\n%s", summary, lines);
	if (lines[0] && ui_view_push(ui, &ui_batch_result_view, text, &err))
		rc = rc ? rc : -1;
	ui_status(ui, rc != 0, "%s", summary);
	free(text);
	free(lines);
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
	if (act_is_batch(plan)) {
		act_run_batch(ui, plan);
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
add_choice(struct ui *ui, struct actions_state *st, size_t i)
{
	enum ui_line_style body = st->read_only ? UI_LINE_DIM : UI_LINE_TEXT;
	char *text = xmalloc(PLAN_TEXT);
	struct err err = { 0 };

	st->first_line[i] = st->lines.n;
	text[0] = '\0';
	if (act_console_plan(ui->act, ui->store, &st->choice[i], st->target[0], &st->plan[i], text,
	                     PLAN_TEXT, &err))
		snprintf(text, PLAN_TEXT, "does not apply: %s", err.msg);
	/* an option may make a batch (prune with its orphans): its dialog wants the account */
	if (st->plan[i] && act_is_batch(st->plan[i]))
		st->count[i] = act_batch_count(st->plan[i]);
	st->text[i] = text;
	ui_lines_add(&st->lines, st->read_only || !st->plan[i] ? UI_LINE_DIM : UI_LINE_HEAD, NULL,
	             -1, "%s - %s%s", st->choice[i].name, st->choice[i].summary,
	             st->choice[i].destructive ? " (destructive)" : "");
	ui_lines_add_text(&st->lines, st->plan[i] ? body : UI_LINE_DIM, text);
	ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1, "%s", "");
}

/*
 * The batch of choice i over every target: the plans that build, the
 * others named with why they were left out. Fills st->plan[i] (NULL when
 * none builds) and the text: the batch's lines, what was left out, then
 * every plan.
 */
static void
build_batch(struct ui *ui, struct actions_state *st, size_t i, struct buf *b)
{
	struct buf plans;
	char *one = xmalloc(PLAN_TEXT);
	cJSON *batch = NULL, *plan;
	size_t t;

	buf_init(&plans, BATCH_TEXT);
	for (t = 0; t < st->n_targets; t++) {
		struct err err = { 0 };
		const char *name = strrchr(st->target[t], ':');

		plan = NULL;
		if (!act_console_plan(ui->act, ui->store, &st->choice[i], st->target[t], &plan, one,
		                      PLAN_TEXT, &err)) {
			if (!batch)
				batch = act_batch_new(
				        cJSON_GetStringValue(cJSON_GetObjectItem(plan, "account")));
			if (!act_batch_add_any(batch, plan, &err)) {
				buf_puts(&plans, one);
				continue;
			}
		}
		buf_printf(b, "  left out %s: %s\n", name ? name + 1 : st->target[t], err.msg);
	}
	if (batch) {
		char *head = xmalloc(PLAN_TEXT * 4);

		act_batch_describe(batch, head, PLAN_TEXT * 4);
		buf_printf(b, "%s%s", head, buf_cstr(&plans));
		free(head);
	}
	st->plan[i] = batch;
	st->count[i] = batch ? act_batch_count(batch) : 0;
	buf_release(&plans);
	free(one);
}

static void
add_batch_choice(struct ui *ui, struct actions_state *st, size_t i)
{
	enum ui_line_style body = st->read_only ? UI_LINE_DIM : UI_LINE_TEXT;
	struct buf b;

	buf_init(&b, BATCH_TEXT);
	st->first_line[i] = st->lines.n;
	build_batch(ui, st, i, &b);
	if (!st->plan[i])
		buf_puts(&b, "  does not apply to any of them\n");
	st->text[i] = xstrdup(buf_cstr(&b));
	buf_release(&b);
	ui_lines_add(&st->lines, st->read_only || !st->plan[i] ? UI_LINE_DIM : UI_LINE_HEAD, NULL,
	             -1, "%s - %s, on %zu of the %zu marked%s", st->choice[i].name,
	             st->choice[i].summary, st->count[i], st->n_targets,
	             st->choice[i].destructive ? " (destructive)" : "");
	ui_lines_add_text(&st->lines, st->plan[i] ? body : UI_LINE_DIM, st->text[i]);
	ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1, "%s", "");
}

/* The view's argument: ARNs, and "only ACTION" lines. */
static int
parse_arg(struct actions_state *st, const char *arg, struct err *err)
{
	while (arg && *arg) {
		size_t len = strcspn(arg, "\n");
		char *line = xmalloc(len + 1);

		memcpy(line, arg, len);
		line[len] = '\0';
		arg += len + (arg[len] == '\n');
		if (!strncmp(line, "only ", 5) && st->n_only < MAX_CHOICES) {
			st->only[st->n_only++] = xstrdup(line + 5);
			free(line);
		} else if (line[0] && st->n_targets < MAX_TARGETS) {
			st->target[st->n_targets++] = line;
		} else {
			free(line);
			if (st->n_targets == MAX_TARGETS)
				return err_set(err, ERR_LIMIT, "at most %d resources at once",
				               MAX_TARGETS);
		}
	}
	return st->n_targets ? 0 : err_set(err, ERR_USAGE, "no resource selected");
}

/* Every target of one kind: st->kind, and the name (or count) for the title. */
static int
targets_kind(struct ui *ui, struct actions_state *st, struct err *err)
{
	char name[256];
	size_t i;
	int kind;

	for (i = 0; i < st->n_targets; i++) {
		int rc = resource_of(ui, st->target[i], &kind, name, sizeof(name), err);

		if (rc)
			return rc;
		if (i && kind != st->kind)
			return err_set(err, ERR_USAGE,
			               "the marked rows are a %s and a %s: mark one kind to act on",
			               model_kind_name((enum model_kind)st->kind),
			               model_kind_name((enum model_kind)kind));
		st->kind = kind;
		if (!i)
			snprintf(st->name, sizeof(st->name), "%s", name);
	}
	if (st->n_targets > 1)
		snprintf(st->name, sizeof(st->name), "%zu %ss", st->n_targets,
		         model_kind_name((enum model_kind)st->kind));
	return 0;
}

/* Keeps the choices a finding's remedy names; all of them when none fits (fixed by hand). */
static int
keep_remedies(struct actions_state *st)
{
	size_t i, k, n = 0;

	if (!st->n_only)
		return 1;
	for (i = 0; i < st->n; i++)
		for (k = 0; k < st->n_only; k++)
			if (!strcmp(st->choice[i].name, st->only[k])) {
				st->choice[n++] = st->choice[i];
				break;
			}
	if (n)
		st->n = n;
	return n > 0;
}

static int
actions_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct actions_state *st = v->state;
	int rc, remedy_fits;
	size_t i;

	if (!ui->store)
		return err_set(err, ERR_NOTFOUND, "no cache");
	if (!ui->act)
		return err_set(err, ERR_USAGE, "no actions in this console");
	rc = parse_arg(st, v->arg, err);
	rc = rc ? rc : targets_kind(ui, st, err);
	if (rc)
		return rc;
	st->n = act_console_choices(st->kind, st->choice, MAX_CHOICES);
	if (!st->n)
		return err_set(err, ERR_USAGE, "no action applies to a %s",
		               model_kind_name((enum model_kind)st->kind));
	remedy_fits = keep_remedies(st);
	st->read_only = ui_act_read_only(ui, st->why, sizeof(st->why));
	snprintf(v->title, sizeof(v->title), "actions: %.100s%s", st->name,
	         st->read_only ? " (read-only)" : "");
	if (st->read_only)
		ui_lines_add(&st->lines, UI_LINE_DIM, NULL, -1,
		             "actions are disabled (%s): plans are shown, nothing can be applied",
		             st->why);
	else if (st->n_targets > 1)
		ui_lines_add(
		        &st->lines, UI_LINE_DIM, NULL, -1,
		        "Enter on an action asks to confirm its batch: the account's alias or id "
		        "typed (Cancel is the default)");
	else
		ui_lines_add(&st->lines, UI_LINE_DIM, NULL, -1,
		             "Enter on an action asks to confirm its plan (Cancel is the default)");
	if (!remedy_fits)
		ui_lines_add(&st->lines, UI_LINE_DIM, NULL, -1,
		             "no action carries out this finding's remedy (it is fixed by hand): "
		             "every action on a %s is shown",
		             model_kind_name((enum model_kind)st->kind));
	ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1, "%s", "");
	for (i = 0; i < st->n; i++) {
		if (st->n_targets > 1)
			add_batch_choice(ui, st, i);
		else
			add_choice(ui, st, i);
	}
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

/* A batch's dialog: the account's alias or id, read from the account (a connection). */
static void
confirm_batch(struct ui *ui, struct actions_state *st, long i)
{
	char title[512], word[256], alt[64];
	struct err err = { 0 };

	ui_busy(ui, "reading the account's alias...");
	if (act_console_batch_words(ui->act, ui->store, st->plan[i], word, sizeof(word), alt,
	                            sizeof(alt), &err)) {
		ui_status(ui, 1, "%s: %s", st->choice[i].name, err.msg);
		return;
	}
	ui->status[0] = '\0';
	if (st->n_targets > 1)
		snprintf(title, sizeof(title), "confirm %s on %zu %ss (a batch)",
		         st->choice[i].name, st->count[i],
		         model_kind_name((enum model_kind)st->kind));
	else
		snprintf(title, sizeof(title), "confirm %s on %s (a batch of %zu plans)",
		         st->choice[i].name, st->name, st->count[i]);
	ui_dialog_free(ui->dialog);
	ui->dialog = ui_dialog_new_batch(title, st->text[i], st->count[i], word, alt,
	                                 cJSON_Duplicate(st->plan[i], 1));
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
	} else if (st->count[i]) {
		confirm_batch(ui, st, i);
	} else {
		snprintf(title, sizeof(title), "confirm %s on %s", st->choice[i].name, st->name);
		ui_act_confirm(ui, title, st->text[i], cJSON_Duplicate(st->plan[i], 1));
	}
	return UI_REQ_NONE;
}

static const char *
actions_resource(const struct ui_view *v, size_t row)
{
	const struct actions_state *st = v->state;

	(void)row;
	return st->n_targets ? st->target[0] : NULL;
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
	for (i = 0; i < st->n_targets; i++)
		free(st->target[i]);
	for (i = 0; i < st->n_only; i++)
		free(st->only[i]);
	ui_lines_release(&st->lines);
}

int
ui_act_open(struct ui *ui, const char *const *arns, size_t n, const char *const *only,
            size_t n_only, struct err *err)
{
	struct buf arg;
	size_t i;
	int rc = 0;

	if (!n)
		return err_set(err, ERR_USAGE, "no resource selected");
	buf_init(&arg, 1 << 20);
	for (i = 0; i < n_only && !rc; i++)
		rc = buf_printf(&arg, "only %s\n", only[i]);
	for (i = 0; i < n && !rc; i++)
		rc = buf_printf(&arg, "%s\n", arns[i]);
	if (rc)
		rc = err_set(err, ERR_LIMIT, "too many resources marked");
	else
		rc = ui_view_push(ui, &ui_actions_view, buf_cstr(&arg), err);
	buf_release(&arg);
	return rc;
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
	.resource = actions_resource,
	.release = actions_release,
};

/* What a batch did, a line per plan (its text is the view's argument). */
static int
batch_result_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct ui_lines *lines = v->state;

	(void)ui;
	(void)err;
	ui_lines_add_text(lines, UI_LINE_TEXT, v->arg ? v->arg : "");
	if (lines->n)
		lines->v[0].style = UI_LINE_HEAD;
	snprintf(v->title, sizeof(v->title), "batch result");
	return 0;
}

static const char *
batch_result_resource(const struct ui_view *v, size_t row)
{
	(void)v;
	(void)row;
	return NULL;
}

const struct ui_view_ops ui_batch_result_view = {
	.name = "batch-result",
	.help = "what each plan of a batch did",
	.keymap = UI_KM_TEXT,
	.state_size = sizeof(struct ui_lines),
	.load = batch_result_load,
	.rows = ui_lines_rows,
	.draw_row = ui_lines_draw_row,
	.matches = ui_lines_matches,
	.resource = batch_result_resource,
	.release = ui_lines_view_release,
};
