/*
 * Findings across the account: severity, rule, resource, where, status and
 * evidence; filter as you type, sort by any column, Enter opens the
 * resource. load reads the findings and the resources' names once.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/rule.h"
#include "cli/console_act.h"
#include "store/findings.h"
#include "ui/ui_int.h"

struct findings_state {
	struct store_findings f;
	struct store_rows names; /* every resource, by ARN (sorted for lookups) */
	const char **name;       /* per finding: the resource's name, or its ARN */
	int *kind;               /* per finding: the resource's kind, or -1 */
	int *sev;                /* per finding: enum severity, for sorting */
};

static const char *const columns[] = { "SEV", "RULE", "RESOURCE", "WHERE", "STATUS", "EVIDENCE" };
static const int widths[] = { 8, 13, 22, 18, 8, 0 };

static int
by_arn(const void *a, const void *b)
{
	return strcmp(((const struct store_row *)a)->arn, ((const struct store_row *)b)->arn);
}

static int
findings_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct findings_state *st = v->state;
	struct store_list_query q = { 0 };
	size_t i;
	int rc;

	if (!ui->store)
		return err_set(err, ERR_NOTFOUND, "no cache");
	rc = store_findings_list(ui->store, NULL, 0, (int64_t)time(NULL), &st->f, err);
	if (!rc)
		rc = store_list(ui->store, &q, &st->names, err);
	if (rc)
		return rc;
	qsort(st->names.v, st->names.n, sizeof(*st->names.v), by_arn);
	st->name = calloc(st->f.n + 1, sizeof(*st->name));
	st->kind = calloc(st->f.n + 1, sizeof(*st->kind));
	st->sev = calloc(st->f.n + 1, sizeof(*st->sev));
	if (!st->name || !st->kind || !st->sev)
		return err_set(err, ERR_LIMIT, "out of memory");
	for (i = 0; i < st->f.n; i++) {
		struct store_row key = { .arn = st->f.v[i].resource };
		const struct store_row *r =
		        bsearch(&key, st->names.v, st->names.n, sizeof(*st->names.v), by_arn);
		enum severity sev = SEV_INFO;

		st->name[i] = r ? r->name : st->f.v[i].resource;
		st->kind[i] = r ? (int)r->kind : -1;
		severity_parse(st->f.v[i].severity, &sev);
		st->sev[i] = (int)sev;
	}
	snprintf(v->title, sizeof(v->title), "findings (%zu)", st->f.n);
	return 0;
}

static size_t
findings_rows(const struct ui_view *v)
{
	return ((const struct findings_state *)v->state)->f.n;
}

static const char *
cell(const struct findings_state *st, size_t row, int col)
{
	const struct store_finding *f = &st->f.v[row];

	switch (col) {
	case 0:
		return f->severity;
	case 1:
		return f->rule;
	case 2:
		return st->name[row];
	case 3:
		return f->location;
	case 4:
		return f->status;
	default:
		return f->evidence;
	}
}

static void
draw_cells(struct ui *ui, const struct findings_state *st, size_t row, int y, int x, int cols,
           int header)
{
	int end = x + cols, c;

	for (c = 0; c < 6 && x < end; c++) {
		int w = widths[c] ? widths[c] : end - x, used;

		if (w > end - x)
			w = end - x;
		used = ui_draw_text(ui->win, y, x, w, header ? columns[c] : cell(st, row, c));
		ui_draw_pad(ui->win, y, x + used, w - used);
		x += w;
		if (x < end)
			ui_draw_pad(ui->win, y, x++, 1);
	}
}

static void
findings_header(struct ui *ui, struct ui_view *v, int y, int cols)
{
	draw_cells(ui, v->state, 0, y, 2, cols - 2, 1); /* past the mark column */
}

static void
findings_draw_row(struct ui *ui, struct ui_view *v, size_t row, int y, int x, int cols)
{
	draw_cells(ui, v->state, row, y, x, cols, 0);
}

static int
findings_matches(const struct ui_view *v, size_t row, const char *needle)
{
	const struct findings_state *st = v->state;
	int c;

	for (c = 0; c < 6; c++)
		if (ui_contains(cell(st, row, c), needle))
			return 1;
	return 0;
}

static const char *
findings_column(const struct ui_view *v, int col)
{
	(void)v;
	return col >= 0 && col < 6 ? columns[col] : NULL;
}

static int
findings_compare(const struct ui_view *v, size_t a, size_t b, int col)
{
	const struct findings_state *st = v->state;

	if (col == 0) /* critical first when ascending: the order a reviewer reads */
		return st->sev[b] - st->sev[a];
	return strcmp(cell(st, a, col), cell(st, b, col));
}

static const char *
findings_resource(const struct ui_view *v, size_t row)
{
	const struct findings_state *st = v->state;

	return row < st->f.n ? st->f.v[row].resource : NULL;
}

/* Adds s to v (n of them) unless it is there; returns the new count. */
static size_t
add_once(const char **v, size_t n, size_t max, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return n;
	if (n < max)
		v[n++] = s;
	return n;
}

/*
 * x on findings: the marked ones (else the selected one), their resources
 * as targets and their rules' remedies as the actions offered.
 */
static void
findings_act(struct ui *ui, struct ui_view *v)
{
	const struct findings_state *st = v->state;
	const char *arns[UI_MARKED_MAX], *only[8];
	size_t i, n = 0, n_only = 0, cur = ui_view_current(v);
	struct err err = { 0 };

	for (i = 0; i < v->n_rows; i++) {
		size_t row = v->order[i];
		const struct rule *rule;
		const char *action;

		if (v->n_marked ? !(v->marks && v->marks[row]) : row != cur)
			continue;
		n = add_once(arns, n, UI_MARKED_MAX, st->f.v[row].resource);
		rule = rule_find(st->f.v[row].rule);
		action = rule ? act_console_remedy_action((int)rule->remedy) : NULL;
		if (action)
			n_only = add_once(only, n_only, 8, action);
	}
	if (!n)
		ui_status(ui, 1, "no finding selected");
	else if (ui_act_open(ui, arns, n, only, n_only, &err))
		ui_status(ui, 1, "%s", err.msg);
}

static enum ui_request
findings_request(struct ui *ui, struct ui_view *v, enum ui_request req)
{
	const struct findings_state *st = v->state;
	size_t row = ui_view_current(v);
	struct err err = { 0 };

	if (req == UI_REQ_ACT) {
		findings_act(ui, v);
		return UI_REQ_NONE;
	}
	if (req != UI_REQ_ENTER)
		return req;
	if (row >= st->f.n)
		return UI_REQ_NONE;
	if (ui_open_resource(ui, st->f.v[row].resource, st->kind[row], &err))
		ui_status(ui, 1, "%s", err.msg);
	return UI_REQ_NONE;
}

static void
findings_release(struct ui_view *v)
{
	struct findings_state *st = v->state;

	store_findings_release(&st->f);
	store_rows_release(&st->names);
	free(st->name);
	free(st->kind);
	free(st->sev);
}

const struct ui_view_ops ui_findings_view = {
	.name = "findings",
	.help = "every finding: severity, rule, resource, where, evidence",
	.flags = UI_VIEW_SORTABLE | UI_VIEW_MARKABLE,
	.keymap = UI_KM_LIST,
	.state_size = sizeof(struct findings_state),
	.load = findings_load,
	.rows = findings_rows,
	.draw_header = findings_header,
	.draw_row = findings_draw_row,
	.request = findings_request,
	.matches = findings_matches,
	.column = findings_column,
	.compare = findings_compare,
	.resource = findings_resource,
	.release = findings_release,
};
