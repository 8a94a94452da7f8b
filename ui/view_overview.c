/*
 * The overview: what the cache holds per kind and region, when the last
 * scan ran, what it cost and what it missed. Enter on a kind opens its list.
 */
#include <string.h>
#include <time.h>

#include "store/findings.h"
#include "ui/ui_int.h"

#define OV_MAX_REGIONS 6 /* more regions than fit at 80 columns go under "other" */

struct overview_state {
	struct ui_lines lines;
};

static void
no_cache(struct ui *ui, struct ui_lines *l)
{
	ui_lines_add(l, UI_LINE_HEAD, NULL, -1, "No inventory to show");
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %s", ui->open_err.msg);
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "%s", "");
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1,
	             "  Run 'shears scan' to read your account into the cache, then start");
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  shears again.");
}

static void
scan_lines(struct ui_lines *l, const struct store_overview *o)
{
	char when[32];
	size_t i;

	if (!o->has_scan) {
		ui_lines_add(l, UI_LINE_TEXT, NULL, -1,
		             "No scan has finished yet: run 'shears scan'.");
		return;
	}
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "Account   %s", o->account);
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "Scanned   %s, %ld s, %ld calls, %s",
	             ui_fmt_time(o->finished, when, sizeof(when)), (long)(o->finished - o->started),
	             o->calls, o->complete && !o->n_gaps ? "complete" : "INCOMPLETE");
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "Regions   %s", o->regions);
	if (!o->n_gaps)
		return;
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "%s", "");
	ui_lines_add(l, UI_LINE_HEAD, NULL, -1, "Missed by the last scan (%zu)", o->n_gaps);
	for (i = 0; i < o->n_gaps; i++)
		ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %s %s %s: %s", o->gaps[i].service,
		             o->gaps[i].region[0] ? o->gaps[i].region : "global",
		             o->gaps[i].operation, o->gaps[i].error);
}

/* The regions to give a column: the first OV_MAX_REGIONS seen, in order. */
static size_t
pick_regions(const struct store_overview *o, const char **regions)
{
	size_t n = 0, i, j;

	for (i = 0; i < o->n_counts; i++) {
		for (j = 0; j < n && strcmp(regions[j], o->counts[i].region); j++)
			;
		if (j == n && n < OV_MAX_REGIONS)
			regions[n++] = o->counts[i].region;
	}
	return n;
}

static void
count_lines(struct ui_lines *l, const struct store_overview *o)
{
	const char *regions[OV_MAX_REGIONS];
	size_t n_reg = pick_regions(o, regions), i = 0, j;
	char row[256], head[256];
	int len;

	len = snprintf(head, sizeof(head), "%-14s %7s", "Resources", "total");
	for (j = 0; j < n_reg; j++)
		len += snprintf(head + len, sizeof(head) - (size_t)len, " %10.10s",
		                regions[j][0] ? regions[j] : "global");
	ui_lines_add(l, UI_LINE_HEAD, NULL, -1, "%s", head);
	while (i < o->n_counts) {
		enum model_kind k = o->counts[i].kind;
		long per[OV_MAX_REGIONS] = { 0 }, total = 0;

		for (; i < o->n_counts && o->counts[i].kind == k; i++) {
			total += o->counts[i].n;
			for (j = 0; j < n_reg; j++)
				if (!strcmp(regions[j], o->counts[i].region))
					per[j] += o->counts[i].n;
		}
		len = snprintf(row, sizeof(row), "  %-12s %7ld", model_kind_plural(k), total);
		for (j = 0; j < n_reg; j++)
			len += snprintf(row + len, sizeof(row) - (size_t)len, " %10ld", per[j]);
		ui_lines_add(l, UI_LINE_TEXT, NULL, (int)k, "%s", row);
	}
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "  %-12s %7ld", "connections", o->n_edges);
}

/* Open findings by severity and the five riskiest functions (Enter opens one). */
static void
risk_lines(struct ui *ui, struct ui_lines *l)
{
	static const char *const sev[] = { "critical", "high", "medium", "low", "info" };
	struct store_findings f = { 0 };
	struct store_scores sc = { 0 };
	long count[5] = { 0 };
	char row[256];
	size_t i, k;
	int len;

	if (store_findings_list(ui->store, NULL, 0, (int64_t)time(NULL), &f, NULL))
		return;
	for (i = 0; i < f.n; i++)
		for (k = 0; k < 5; k++)
			if (!strcmp(f.v[i].status, "open") && !strcmp(f.v[i].severity, sev[k]))
				count[k]++;
	len = snprintf(row, sizeof(row), "Findings ");
	for (k = 0; k < 5; k++)
		len += snprintf(row + len, sizeof(row) - (size_t)len, " %ld %s%s", count[k], sev[k],
		                k < 4 ? "," : " open");
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "%s", row);
	store_findings_release(&f);
	if (store_scores_list(ui->store, &sc, NULL) || !sc.n) {
		store_scores_release(&sc);
		return;
	}
	ui_lines_add(l, UI_LINE_TEXT, NULL, -1, "%s", "");
	ui_lines_add(l, UI_LINE_HEAD, NULL, -1, "Top risks (score; :findings lists them all)");
	for (i = 0; i < sc.n && i < 5 && sc.v[i].score > 0; i++) {
		struct store_resource r = { 0 };
		const char *name = sc.v[i].resource;

		if (!store_resource_get(ui->store, sc.v[i].resource, &r, NULL))
			name = r.r.name;
		ui_lines_add(l, UI_LINE_TEXT, sc.v[i].resource, MODEL_FUNCTION, "  %3d  %s%s%s",
		             sc.v[i].score, name, sc.v[i].public_entry ? "  public" : "",
		             sc.v[i].reaches_data ? "  reaches data" : "");
		store_resource_release(&r);
	}
	store_scores_release(&sc);
}

static int
overview_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct overview_state *st = v->state;
	struct store_overview o;
	int rc;

	snprintf(v->title, sizeof(v->title), "overview");
	if (!ui->store) {
		no_cache(ui, &st->lines);
		return 0;
	}
	rc = store_overview_load(ui->store, &o, err);
	if (rc)
		return rc;
	scan_lines(&st->lines, &o);
	risk_lines(ui, &st->lines);
	ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1, "%s", "");
	count_lines(&st->lines, &o);
	ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1, "%s", "");
	ui_lines_add(&st->lines, UI_LINE_DIM, NULL, -1,
	             "Enter opens a kind; :functions, :roles ... jump to a list; ? shows keys");
	store_overview_release(&o);
	return 0;
}

static void
overview_header(struct ui *ui, struct ui_view *v, int y, int cols)
{
	char line[600];

	snprintf(line, sizeof(line), "cache %s", ui->cache_path);
	ui_draw_text(ui->win, y, 0, cols, line);
}

const struct ui_view_ops ui_overview_view = {
	.name = "overview",
	.help = "counts per kind and region, the last scan and what it missed",
	.keymap = UI_KM_TEXT,
	.state_size = sizeof(struct overview_state),
	.load = overview_load,
	.rows = ui_lines_rows,
	.draw_header = overview_header,
	.draw_row = ui_lines_draw_row,
	.request = ui_lines_request,
	.matches = ui_lines_matches,
	.resource = ui_lines_resource,
	.release = ui_lines_view_release,
};
