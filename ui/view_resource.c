/*
 * Two views of any resource: its connections (what can reach it, what it
 * can reach; Enter walks to the other end) and its raw stored attributes
 * (pretty JSON, every line made terminal-safe when drawn).
 */
#include <string.h>

#include "ui/ui_int.h"
#include "util/json.h"

struct resource_state {
	struct ui_lines lines;
};

static void
edges_part(struct ui_lines *l, const struct store_edges *e, int outgoing, const char *title)
{
	size_t i, n = 0;

	for (i = 0; i < e->n; i++)
		n += e->v[i].outgoing == outgoing;
	ui_lines_add(l, UI_LINE_HEAD, NULL, -1, "%s (%zu)", title, n);
	for (i = 0; i < e->n; i++) {
		const struct store_edge_row *r = &e->v[i];
		const char *edge = model_edge_name(r->e.kind) ? model_edge_name(r->e.kind) : "?";
		const char *k = r->peer_kind >= 0 ? model_kind_name(r->peer_kind) : "external";

		if (r->outgoing != outgoing)
			continue;
		ui_lines_add(l, UI_LINE_TEXT, r->peer, r->peer_kind, "  %s %-8s %-9s %s  %s",
		             outgoing ? "->" : "<-", edge, k, r->peer_name, r->e.evidence);
	}
}

static int
connections_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct resource_state *st = v->state;
	struct store_resource r = { 0 };
	struct store_edges e = { 0 };
	int rc;

	if (!ui->store)
		return err_set(err, ERR_NOTFOUND, "no cache");
	rc = store_edges_of(ui->store, v->arg, STORE_EDGES_IN | STORE_EDGES_OUT, &e, err);
	if (rc)
		return rc;
	/* the other end of an edge may be outside the cache: still walkable */
	if (!store_resource_get(ui->store, v->arg, &r, NULL))
		snprintf(v->title, sizeof(v->title), "connections of %s %s",
		         model_kind_name(r.r.kind) ? model_kind_name(r.r.kind) : "?", r.r.name);
	else
		snprintf(v->title, sizeof(v->title), "connections of %s", v->arg);
	edges_part(&st->lines, &e, 0, "Can reach this");
	ui_lines_add(&st->lines, UI_LINE_TEXT, NULL, -1, "%s", "");
	edges_part(&st->lines, &e, 1, "This can reach");
	store_resource_release(&r);
	store_edges_release(&e);
	return 0;
}

/* Enter walks to the other end's connections; o opens it. */
static enum ui_request
connections_request(struct ui *ui, struct ui_view *v, enum ui_request req)
{
	const char *arn = ui_lines_resource(v, ui_view_current(v));
	struct err err = { 0 };

	if (req != UI_REQ_ENTER)
		return req;
	if (arn && ui_view_push(ui, &ui_connections_view, arn, &err))
		ui_status(ui, 1, "%s", err.msg);
	return UI_REQ_NONE;
}

static void
arn_header(struct ui *ui, struct ui_view *v, int y, int cols)
{
	ui_draw_text(ui->win, y, 0, cols, v->arg);
}

const struct ui_view_ops ui_connections_view = {
	.name = "connections",
	.help = "what can reach a resource and what it can reach",
	.keymap = UI_KM_TEXT,
	.state_size = sizeof(struct resource_state),
	.load = connections_load,
	.rows = ui_lines_rows,
	.draw_header = arn_header,
	.draw_row = ui_lines_draw_row,
	.request = connections_request,
	.matches = ui_lines_matches,
	.resource = ui_lines_resource,
	.release = ui_lines_view_release,
};

static int
raw_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct resource_state *st = v->state;
	struct store_resource r = { 0 };
	char first[32], last[32];
	cJSON *j;
	int rc;

	if (!ui->store)
		return err_set(err, ERR_NOTFOUND, "no cache");
	rc = store_resource_get(ui->store, v->arg, &r, err);
	if (rc)
		return rc;
	snprintf(v->title, sizeof(v->title), "raw %s %s",
	         model_kind_name(r.r.kind) ? model_kind_name(r.r.kind) : "?", r.r.name);
	ui_lines_add(&st->lines, UI_LINE_DIM, NULL, -1, "kind %s, region %s, seen %s to %s",
	             model_kind_name(r.r.kind) ? model_kind_name(r.r.kind) : "?",
	             r.r.region[0] ? r.r.region : "global",
	             ui_fmt_time(r.first_seen, first, sizeof(first)),
	             ui_fmt_time(r.last_seen, last, sizeof(last)));
	j = json_parse(r.r.attrs, strlen(r.r.attrs), NULL);
	if (j) {
		char *pretty = cJSON_Print(j);

		ui_lines_add_text(&st->lines, UI_LINE_TEXT, pretty ? pretty : r.r.attrs);
		cJSON_free(pretty);
		cJSON_Delete(j);
	} else {
		ui_lines_add(&st->lines, UI_LINE_DIM, NULL, -1, "(not JSON; shown as stored)");
		ui_lines_add_text(&st->lines, UI_LINE_TEXT, r.r.attrs);
	}
	store_resource_release(&r);
	return 0;
}

const struct ui_view_ops ui_raw_view = {
	.name = "raw",
	.help = "the stored attributes of a resource",
	.keymap = UI_KM_TEXT,
	.state_size = sizeof(struct resource_state),
	.load = raw_load,
	.rows = ui_lines_rows,
	.draw_header = arn_header,
	.draw_row = ui_lines_draw_row,
	.matches = ui_lines_matches,
	.release = ui_lines_view_release,
};
