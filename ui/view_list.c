/*
 * A list per kind: one ops row per list in ui_list_views[], its columns
 * taken from the attrs JSON by the store in the one query load runs. The
 * filter and the sort work on the loaded rows, never on the store.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

enum list_col_flags {
	LC_NUM = 1 << 0,  /* sorts as a number, right-aligned */
	LC_DATE = 1 << 1, /* an ISO time: show the date only */
	LC_KIND = 1 << 2, /* the resource's kind, not a path */
};

struct list_col {
	const char *title;
	const char *path; /* into attrs; "$.a|$.b" takes the first present */
	int width;
	unsigned flags;
};

struct list_spec {
	unsigned kinds;
	struct list_col cols[STORE_LIST_MAX_COLS];
	size_t n_cols;
};

struct list_state {
	struct store_rows rows;
	const struct list_spec *spec;
};

#define NAME_MIN     18
#define REGION_WIDTH 14

static const struct list_spec spec_functions = {
	.kinds = 1u << MODEL_FUNCTION,
	.cols = { { "SCORE", STORE_COL_SCORE, 5, LC_NUM },
	          { "RUNTIME", "$.Runtime", 11, 0 },
	          { "MEM", "$.MemorySize", 5, LC_NUM },
	          { "TIMEOUT", "$.Timeout", 7, LC_NUM },
	          { "MODIFIED", "$.LastModified", 10, LC_DATE },
	          { "CODE", "$.CodeSize", 9, LC_NUM } },
	.n_cols = 6,
};
static const struct list_spec spec_roles = {
	.kinds = 1u << MODEL_ROLE,
	.cols = { { "CREATED", "$.CreateDate", 10, LC_DATE },
	          { "LAST USED", "$.RoleLastUsed.LastUsedDate", 10, LC_DATE },
	          { "PATH", "$.Path", 10, 0 } },
	.n_cols = 3,
};
static const struct list_spec spec_apis = {
	.kinds = (1u << MODEL_REST_API) | (1u << MODEL_HTTP_API),
	.cols = { { "TYPE", NULL, 8, LC_KIND },
	          { "ID", "$.ApiId|$.id", 10, 0 },
	          { "PROTOCOL", "$.ProtocolType|$.endpointConfiguration.types[0]", 9, 0 },
	          { "CREATED", "$.CreatedDate|$.createdDate", 10, LC_DATE } },
	.n_cols = 4,
};
static const struct list_spec spec_buckets = {
	.kinds = 1u << MODEL_BUCKET,
	.cols = { { "CREATED", "$.CreationDate", 10, LC_DATE },
	          { "PUBLIC", "$.PolicyStatus.IsPublic", 6, 0 } },
	.n_cols = 2,
};
static const struct list_spec spec_tables = {
	.kinds = 1u << MODEL_TABLE,
	.cols = { { "STATUS", "$.TableStatus", 8, 0 },
	          { "ITEMS", "$.ItemCount", 9, LC_NUM },
	          { "BYTES", "$.TableSizeBytes", 11, LC_NUM },
	          { "STREAM", "$.StreamSpecification.StreamViewType", 9, 0 } },
	.n_cols = 4,
};
static const struct list_spec spec_queues = {
	.kinds = 1u << MODEL_QUEUE,
	.cols = { { "VISIBLE", "$.Attributes.VisibilityTimeout|$.VisibilityTimeout", 7, LC_NUM },
	          { "RETAIN", "$.Attributes.MessageRetentionPeriod|$.MessageRetentionPeriod", 7,
	            LC_NUM },
	          { "MESSAGES",
	            "$.Attributes.ApproximateNumberOfMessages|$.ApproximateNumberOfMessages", 8,
	            LC_NUM } },
	.n_cols = 3,
};
static const struct list_spec spec_topics = {
	.kinds = 1u << MODEL_TOPIC,
	.cols = { { "SUBS", "$.Attributes.SubscriptionsConfirmed|$.SubscriptionsConfirmed", 5,
	            LC_NUM } },
	.n_cols = 1,
};
static const struct list_spec spec_rules = {
	.kinds = 1u << MODEL_RULE,
	.cols = { { "STATE", "$.State", 9, 0 }, { "SCHEDULE", "$.ScheduleExpression", 18, 0 } },
	.n_cols = 2,
};
static const struct list_spec spec_log_groups = {
	.kinds = 1u << MODEL_LOG_GROUP,
	.cols = { { "RETENTION", "$.retentionInDays", 9, LC_NUM },
	          { "BYTES", "$.storedBytes", 12, LC_NUM } },
	.n_cols = 2,
};

static int
list_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct list_state *st = v->state;
	const struct list_spec *spec = v->ops->data;
	struct store_list_query q = { .kinds = spec->kinds, .sort = STORE_SORT_NAME };
	size_t i;

	st->spec = spec;
	if (!ui->store)
		return 0; /* no cache: an empty list, the overview says why */
	for (i = 0; i < spec->n_cols; i++)
		q.cols[i] = spec->cols[i].path ? spec->cols[i].path : "$.__none__";
	q.n_cols = spec->n_cols;
	return store_list(ui->store, &q, &st->rows, err);
}

static size_t
list_rows(const struct ui_view *v)
{
	const struct list_state *st = v->state;

	return st->rows.n;
}

/* Which extra columns fit in cols cells, given NAME needs NAME_MIN. */
static size_t
list_layout(const struct list_spec *spec, int cols, int *name_w)
{
	size_t n = spec->n_cols;
	int used;

	for (;;) {
		size_t i;

		used = REGION_WIDTH + 1;
		for (i = 0; i < n; i++)
			used += spec->cols[i].width + 1;
		if (cols - used >= NAME_MIN || !n)
			break;
		n--;
	}
	*name_w = cols - used > 4 ? cols - used : 4;
	return n;
}

static const char *
cell_text(const struct list_col *c, const struct store_row *r, size_t i, char *tmp, size_t n)
{
	if (c->flags & LC_KIND)
		return model_kind_name(r->kind) ? model_kind_name(r->kind) : "?";
	if (c->flags & LC_DATE) {
		snprintf(tmp, n, "%.10s", r->col[i]);
		return tmp;
	}
	return r->col[i];
}

/* One cell: text left-aligned, or right-aligned numbers; exactly w cells. */
static void
draw_cell(WINDOW *win, int y, int x, int w, const char *s, int right)
{
	int used, cells = right ? ui_text_cells(s) : 0;

	if (right && cells < w) {
		ui_draw_pad(win, y, x, w - cells);
		x += w - cells;
		w = cells;
	}
	used = ui_draw_text(win, y, x, w, s);
	ui_draw_pad(win, y, x + used, w - used);
}

static void
list_draw_header(struct ui *ui, struct ui_view *v, int y, int cols)
{
	const struct list_state *st = v->state;
	const struct list_spec *spec = st->spec;
	int name_w, x = (v->ops->flags & UI_VIEW_MARKABLE) ? 2 : 0;
	size_t n = list_layout(spec, cols - x, &name_w), i;
	char t[32];

	snprintf(t, sizeof(t), "NAME%s", v->sort_col == 0 ? (v->sort_desc ? "-" : "+") : "");
	draw_cell(ui->win, y, x, name_w, t, 0);
	x += name_w + 1;
	for (i = 0; i < n; i++) {
		const struct list_col *c = &spec->cols[i];

		snprintf(t, sizeof(t), "%s%s", c->title,
		         v->sort_col == (int)i + 1 ? (v->sort_desc ? "-" : "+") : "");
		draw_cell(ui->win, y, x, c->width, t, c->flags & LC_NUM);
		x += c->width + 1;
	}
	snprintf(t, sizeof(t), "REGION%s",
	         v->sort_col == (int)spec->n_cols + 1 ? (v->sort_desc ? "-" : "+") : "");
	draw_cell(ui->win, y, x, REGION_WIDTH, t, 0);
}

static void
list_draw_row(struct ui *ui, struct ui_view *v, size_t row, int y, int x, int cols)
{
	const struct list_state *st = v->state;
	const struct store_row *r = &st->rows.v[row];
	int name_w, end = x + cols;
	size_t n = list_layout(st->spec, cols, &name_w), i;
	char tmp[32];

	draw_cell(ui->win, y, x, name_w, r->name, 0);
	x += name_w;
	for (i = 0; i < n; i++) {
		const struct list_col *c = &st->spec->cols[i];

		ui_draw_pad(ui->win, y, x++, 1);
		draw_cell(ui->win, y, x, c->width, cell_text(c, r, i, tmp, sizeof(tmp)),
		          c->flags & LC_NUM);
		x += c->width;
	}
	ui_draw_pad(ui->win, y, x++, 1);
	draw_cell(ui->win, y, x, end - x, r->region[0] ? r->region : "global", 0);
}

static int
list_matches(const struct ui_view *v, size_t row, const char *needle)
{
	const struct list_state *st = v->state;
	const struct store_row *r = &st->rows.v[row];
	size_t i;

	if (ui_contains(r->name, needle) || ui_contains(r->region, needle))
		return 1;
	for (i = 0; i < st->rows.n_cols; i++)
		if (ui_contains(r->col[i], needle))
			return 1;
	return 0;
}

static const char *
list_column(const struct ui_view *v, int col)
{
	const struct list_state *st = v->state;
	const struct list_spec *spec = v->ops->data;

	(void)st;
	if (col == 0)
		return "NAME";
	if (col > 0 && (size_t)col <= spec->n_cols)
		return spec->cols[col - 1].title;
	if ((size_t)col == spec->n_cols + 1)
		return "REGION";
	return NULL;
}

static int
num_cmp(const char *a, const char *b)
{
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);
	int ax = *a && !*ea, bx = *b && !*eb;

	if (ax != bx) /* numbers before blanks */
		return ax ? -1 : 1;
	if (!ax)
		return strcmp(a, b);
	return x < y ? -1 : x > y;
}

static int
list_compare(const struct ui_view *v, size_t a, size_t b, int col)
{
	const struct list_state *st = v->state;
	const struct store_row *x = &st->rows.v[a], *y = &st->rows.v[b];
	const struct list_col *c;

	if (col == 0)
		return strcmp(x->name, y->name);
	if ((size_t)col == st->spec->n_cols + 1)
		return strcmp(x->region, y->region);
	c = &st->spec->cols[col - 1];
	if (c->flags & LC_KIND)
		return (int)x->kind - (int)y->kind;
	if (c->flags & LC_NUM) { /* blanks last in either direction */
		int blank = !*x->col[col - 1] - !*y->col[col - 1];

		if (blank)
			return v->sort_desc ? -blank : blank;
		return num_cmp(x->col[col - 1], y->col[col - 1]);
	}
	return strcmp(x->col[col - 1], y->col[col - 1]);
}

static const char *
list_resource(const struct ui_view *v, size_t row)
{
	const struct list_state *st = v->state;

	return row < st->rows.n ? st->rows.v[row].arn : NULL;
}

static enum ui_request
list_request(struct ui *ui, struct ui_view *v, enum ui_request req)
{
	const struct list_state *st = v->state;
	size_t row = ui_view_current(v);
	struct err err = { 0 };

	if (req != UI_REQ_ENTER)
		return req;
	if (row >= st->rows.n)
		return UI_REQ_NONE;
	if (ui_open_resource(ui, st->rows.v[row].arn, (int)st->rows.v[row].kind, &err))
		ui_status(ui, 1, "%s", err.msg);
	return UI_REQ_NONE;
}

static void
list_release(struct ui_view *v)
{
	struct list_state *st = v->state;

	store_rows_release(&st->rows);
}

#define LIST_VIEW(name_, help_, spec_)                                                         \
	{                                                                                      \
		.name = name_, .help = help_, .flags = UI_VIEW_SORTABLE | UI_VIEW_MARKABLE,    \
		.keymap = UI_KM_LIST, .state_size = sizeof(struct list_state), .data = &spec_, \
		.load = list_load, .rows = list_rows, .draw_header = list_draw_header,         \
		.draw_row = list_draw_row, .request = list_request, .matches = list_matches,   \
		.column = list_column, .compare = list_compare, .resource = list_resource,     \
		.release = list_release,                                                       \
	}

const struct ui_view_ops ui_list_views[] = {
	LIST_VIEW("functions", "Lambda functions", spec_functions),
	LIST_VIEW("roles", "IAM roles", spec_roles),
	LIST_VIEW("apis", "API Gateway REST and HTTP APIs", spec_apis),
	LIST_VIEW("buckets", "S3 buckets", spec_buckets),
	LIST_VIEW("tables", "DynamoDB tables", spec_tables),
	LIST_VIEW("queues", "SQS queues", spec_queues),
	LIST_VIEW("topics", "SNS topics", spec_topics),
	LIST_VIEW("rules", "EventBridge rules", spec_rules),
	LIST_VIEW("log-groups", "CloudWatch log groups", spec_log_groups),
};

const size_t ui_n_list_views = sizeof(ui_list_views) / sizeof(ui_list_views[0]);

const struct ui_view_ops *
ui_view_of_kind(int kind)
{
	size_t i;

	for (i = 0; i < ui_n_list_views; i++) {
		const struct list_spec *spec = ui_list_views[i].data;

		if (kind >= 0 && kind < MODEL_KIND_COUNT && (spec->kinds & (1u << kind)))
			return &ui_list_views[i];
	}
	return NULL;
}
