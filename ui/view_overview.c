/*
 * The overview: what the cache holds per kind and region, when the last
 * scan ran, what it cost and what it missed. Enter on a kind opens its list.
 */
#include <string.h>

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
