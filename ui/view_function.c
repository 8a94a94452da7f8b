/*
 * Function detail: configuration, role, triggers, destinations, layers,
 * tags, a 90-day invocation sparkline and the longest run against the
 * timeout. load reads the resource, its edges and its metrics once; the
 * sparkline is the one line drawn from numbers, scaled to the width.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/rule.h"
#include "store/findings.h"
#include "ui/ui_int.h"
#include "util/json.h"

#define SPARK_DAYS 90

struct function_state {
	struct ui_lines lines; /* first: the generic text operations use it */
	double inv[SPARK_DAYS];
	int64_t last_day;
};

static void
kv(struct ui_lines *l, const char *label, const char *value)
{
	if (value && *value)
		ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %-13s %s", label, value);
}

static void
kv_num(struct ui_lines *l, const cJSON *cfg, const char *label, const char *path, const char *unit)
{
	double d;

	if (!json_num(cfg, path, &d))
		ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %-13s %.0f%s", label, d, unit);
}

static void
config_lines(struct ui_lines *l, const struct store_resource *r, const cJSON *cfg)
{
	const cJSON *url = json_path(cfg, "Url");
	double d;

	ui_lines_add(l, UI_LINE_HEAD, NULL, -1, "Configuration");
	kv(l, "Name", r->r.name);
	kv(l, "ARN", r->r.arn);
	kv(l, "Region", r->r.region);
	kv(l, "Runtime", json_str(cfg, "Runtime"));
	kv(l, "Package", json_str(cfg, "PackageType"));
	kv(l, "Handler", json_str(cfg, "Handler"));
	kv_num(l, cfg, "Memory", "MemorySize", " MB");
	kv_num(l, cfg, "Timeout", "Timeout", " s");
	kv_num(l, cfg, "Code size", "CodeSize", " bytes");
	kv(l, "Modified", json_str(cfg, "LastModified"));
	kv(l, "State", json_str(cfg, "State"));
	if (!json_num(cfg, "Concurrency.ReservedConcurrentExecutions", &d) ||
	    !json_num(cfg, "Concurrency", &d))
		ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %-13s reserved %.0f", "Concurrency", d);
	if (cJSON_IsObject(url))
		ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %-13s %s (auth %s)", "URL",
		             json_str(url, "FunctionUrl") ? json_str(url, "FunctionUrl") : "?",
		             json_str(url, "AuthType") ? json_str(url, "AuthType") : "?");
	else if (cJSON_IsString(url))
		kv(l, "URL", url->valuestring);
}

/* Edges of one kind and direction, each line a link to the other end. */
static void
edge_lines(struct ui_lines *l, const struct store_edges *e, const char *title,
           enum model_edge_kind kind, int outgoing)
{
	size_t i, n = 0;

	for (i = 0; i < e->n; i++)
		n += e->v[i].e.kind == kind && e->v[i].outgoing == outgoing;
	ui_lines_add(l, UI_LINE_HEAD, NULL, -1, "%s (%zu)", title, n);
	for (i = 0; i < e->n; i++) {
		const struct store_edge_row *r = &e->v[i];
		const char *k = r->peer_kind >= 0 ? model_kind_name(r->peer_kind) : "external";

		if (r->e.kind != kind || r->outgoing != outgoing)
			continue;
		ui_lines_add(l, UI_LINE_TEXT, r->peer, r->peer_kind, "  %-9s %s  %s", k,
		             r->peer_name, r->e.evidence);
	}
}

static void
object_lines(struct ui_lines *l, const cJSON *obj, const char *title, int names_only)
{
	const cJSON *it, *o = cJSON_IsObject(obj) ? obj : NULL;

	ui_lines_add(l, UI_LINE_HEAD, NULL, -1, "%s (%d)", title, o ? cJSON_GetArraySize(o) : 0);
	cJSON_ArrayForEach(it, o)
	{
		if (names_only || !cJSON_IsString(it))
			ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %s", it->string);
		else
			ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %s = %s", it->string,
			             it->valuestring);
	}
}

static void
layer_lines(struct ui_lines *l, const cJSON *layers)
{
	const cJSON *it, *a = cJSON_IsArray(layers) ? layers : NULL;

	ui_lines_add(l, UI_LINE_HEAD, NULL, -1, "Layers (%d)", a ? cJSON_GetArraySize(a) : 0);
	cJSON_ArrayForEach(it, a)
	{
		const char *arn = json_str(it, "Arn");

		ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %s", arn ? arn : "?");
	}
}

/* Fills the sparkline series; returns the totals and the longest run. */
static void
metric_lines(struct function_state *st, const struct store_metrics *m, const cJSON *cfg)
{
	double inv = 0, errors = 0, throttles = 0, longest = -1, timeout_s = 0;
	char bar[41];
	size_t i;
	int k, fill;

	st->last_day = 0;
	for (i = 0; i < m->n; i++)
		if (m->v[i].day > st->last_day)
			st->last_day = m->v[i].day;
	for (i = 0; i < m->n; i++) {
		const struct store_metric *x = &m->v[i];
		int64_t age = st->last_day - x->day;

		if (!strcmp(x->name, "Invocations")) {
			inv += x->value;
			if (age >= 0 && age < SPARK_DAYS)
				st->inv[SPARK_DAYS - 1 - age] += x->value;
		} else if (!strcmp(x->name, "Errors")) {
			errors += x->value;
		} else if (!strcmp(x->name, "Throttles")) {
			throttles += x->value;
		} else if (!strcmp(x->name, "DurationMax") && x->value > longest) {
			longest = x->value;
		}
	}
	ui_lines_add(&st->lines, UI_LINE_HEAD, NULL, -1, "Invocations, 90 days");
	ui_lines_add(&st->lines, UI_LINE_CUSTOM, NULL, -1, "(sparkline)");
	ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1,
	             "  %.0f invocations, %.0f errors, %.0f throttles", inv, errors, throttles);
	ui_lines_add(&st->lines, UI_LINE_HEAD, NULL, -1, "Longest run vs timeout");
	json_num(cfg, "Timeout", &timeout_s);
	if (longest < 0) {
		ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1,
		             "  no duration recorded; timeout %.0f s", timeout_s);
		return;
	}
	fill = timeout_s > 0 ? (int)lround(40.0 * longest / (timeout_s * 1000.0)) : 0;
	fill = fill > 40 ? 40 : fill;
	for (k = 0; k < 40; k++)
		bar[k] = k < fill ? '#' : '.';
	bar[40] = '\0';
	ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1, "  [%s] %.0f ms of %.0f s (%.0f%%)", bar,
	             longest, timeout_s, timeout_s > 0 ? 100.0 * longest / (timeout_s * 1000) : 0);
}

/* The findings of one resource (the function, its role, a layer) under "Risk". */
static void
finding_lines(struct ui *ui, struct ui_lines *l, const char *arn, const char *via)
{
	struct store_findings f = { 0 };
	size_t i;

	if (!arn || store_findings_list(ui->store, arn, 0, (int64_t)time(NULL), &f, NULL))
		return;
	for (i = 0; i < f.n; i++) {
		const struct rule *r = rule_find(f.v[i].rule);

		ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %-8s %s%s%s %s%s%s", f.v[i].severity,
		             f.v[i].rule, via ? " via " : "", via ? via : "", r ? r->title : "",
		             f.v[i].location[0] ? " at " : "", f.v[i].location);
		ui_lines_add(l, UI_LINE_DIM, NULL, -1, "           %s%s%s", f.v[i].evidence,
		             strcmp(f.v[i].status, "open") ? " - " : "",
		             strcmp(f.v[i].status, "open") ? f.v[i].status : "");
		if (r && r->fix)
			ui_lines_add(l, UI_LINE_DIM, NULL, -1, "           fix: %s", r->fix);
	}
	store_findings_release(&f);
}

/* Score and findings first: what the reviewer came for. */
static void
risk_lines(struct ui *ui, struct ui_lines *l, const char *arn, const cJSON *cfg)
{
	struct store_score_in sc = { 0 };
	const cJSON *it;

	ui_lines_add(l, UI_LINE_HEAD, NULL, -1, "Risk");
	if (store_score_get(ui->store, arn, &sc, NULL)) {
		ui_lines_add(l, UI_LINE_DIM, NULL, -1, "  not scored yet (shears analyze)");
		return;
	}
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  Score %d = findings %d%s%s%s (max 100)",
	             sc.score, sc.base, sc.public_entry || sc.reaches_data ? " x " : "",
	             sc.public_entry && sc.reaches_data ? "1.75 (reachable from outside, role "
	                                                  "reaches data)"
	             : sc.public_entry                  ? "1.5 (reachable from outside)"
	             : sc.reaches_data                  ? "1.25 (role reaches data)"
	                                                : "",
	             "");
	finding_lines(ui, l, arn, NULL);
	finding_lines(ui, l, json_str(cfg, "Role"), "role");
	cJSON_ArrayForEach(it, json_path(cfg, "Layers"))
	{
		finding_lines(ui, l, json_str(it, "Arn"), "layer");
	}
}

static void
build(struct function_state *st, const struct store_resource *r, const cJSON *cfg,
      const struct store_edges *e, const struct store_metrics *m)
{
	struct ui_lines *l = &st->lines;

	config_lines(l, r, cfg);
	edge_lines(l, e, "Role", MODEL_EDGE_ASSUMES, 1);
	edge_lines(l, e, "Triggers", MODEL_EDGE_TRIGGERS, 0);
	edge_lines(l, e, "Destinations", MODEL_EDGE_INVOKES, 1);
	edge_lines(l, e, "Reads", MODEL_EDGE_READS, 1);
	edge_lines(l, e, "Writes", MODEL_EDGE_WRITES, 1);
	layer_lines(l, json_path(cfg, "Layers"));
	object_lines(l, json_path(cfg, "Environment.Variables"), "Environment (names only)", 1);
	object_lines(l, json_path(cfg, "Tags"), "Tags", 0);
	metric_lines(st, m, cfg);
}

static int
function_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct function_state *st = v->state;
	struct store_resource r = { 0 };
	struct store_edges e = { 0 };
	struct store_metrics m = { 0 };
	cJSON *cfg = NULL;
	int rc;

	if (!ui->store)
		return err_set(err, ERR_NOTFOUND, "no cache");
	rc = store_resource_get(ui->store, v->arg, &r, err);
	if (!rc)
		rc = store_edges_of(ui->store, v->arg, STORE_EDGES_IN | STORE_EDGES_OUT, &e, err);
	if (!rc)
		rc = store_metrics_of(ui->store, v->arg, 0, &m, err);
	if (rc)
		goto out;
	/* attrs that do not parse still show their edges; the raw view shows the text */
	cfg = json_parse(r.r.attrs, strlen(r.r.attrs), NULL);
	snprintf(v->title, sizeof(v->title), "function %s", r.r.name);
	risk_lines(ui, &st->lines, v->arg, cfg);
	build(st, &r, cfg, &e, &m);
out:
	cJSON_Delete(cfg);
	store_metrics_release(&m);
	store_edges_release(&e);
	store_resource_release(&r);
	return rc;
}

static void
spark_draw(struct ui *ui, const struct function_state *st, int y, int x, int cols)
{
	static const char *const utf8[] = { " ",      "\u2581", "\u2582", "\u2583", "\u2584",
		                            "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char *const ascii[] = { " ", "_", ".", "-", "~", "=", "+", "*", "#" };
	const char *const *lv = ui->utf8 ? utf8 : ascii;
	int w = cols - 2 < SPARK_DAYS ? cols - 2 : SPARK_DAYS, c;
	double top = 0;

	ui_draw_pad(ui->win, y, x, cols);
	if (w <= 0)
		return;
	for (c = 0; c < SPARK_DAYS; c++)
		top = st->inv[c] > top ? st->inv[c] : top;
	for (c = 0; c < w; c++) {
		int from = c * SPARK_DAYS / w, to = (c + 1) * SPARK_DAYS / w, d, level = 0;
		double peak = 0;

		for (d = from; d < to; d++)
			peak = st->inv[d] > peak ? st->inv[d] : peak;
		if (peak > 0 && top > 0)
			level = 1 + (int)(7.0 * peak / top);
		ui_draw_text(ui->win, y, x + 2 + c, 1, lv[level > 8 ? 8 : level]);
	}
}

static void
function_draw_row(struct ui *ui, struct ui_view *v, size_t row, int y, int x, int cols)
{
	const struct function_state *st = v->state;

	if (st->lines.v[row].style == UI_LINE_CUSTOM)
		spark_draw(ui, st, y, x, cols);
	else
		ui_lines_draw_row(ui, v, row, y, x, cols);
}

static void
function_header(struct ui *ui, struct ui_view *v, int y, int cols)
{
	ui_draw_text(ui->win, y, 0, cols, "Enter: open   c: connections   r: raw attributes");
}

const struct ui_view_ops ui_function_view = {
	.name = "function",
	.help = "one function: configuration, role, triggers, metrics",
	.keymap = UI_KM_TEXT,
	.state_size = sizeof(struct function_state),
	.load = function_load,
	.rows = ui_lines_rows,
	.draw_header = function_header,
	.draw_row = function_draw_row,
	.request = ui_lines_request,
	.matches = ui_lines_matches,
	.resource = ui_lines_resource,
	.release = ui_lines_view_release,
};
