/*
 * Text views (overview, function detail, connections, raw, help) are lines
 * built once by load; the core scrolls and filters them like any rows. A
 * line may link to a resource or to a list, which Enter follows.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static void
lines_push(struct ui_lines *l, enum ui_line_style style, const char *link, int link_kind,
           char *text)
{
	struct ui_line *ln;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	ln = &l->v[l->n++];
	ln->text = text;
	ln->link = link ? xstrdup(link) : NULL;
	ln->link_kind = link_kind;
	ln->style = style;
}

void
ui_lines_add(struct ui_lines *l, enum ui_line_style style, const char *link, int link_kind,
             const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b, 0);
	va_start(ap, fmt);
	if (buf_vprintf(&b, fmt, ap))
		buf_puts(&b, "(line too long)");
	va_end(ap);
	lines_push(l, style, link, link_kind, buf_take(&b, NULL));
}

void
ui_lines_add_text(struct ui_lines *l, enum ui_line_style style, const char *text)
{
	const char *p = text;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct buf b;
		size_t i;

		buf_init(&b, 0);
		for (i = 0; i < n; i++) {
			if (p[i] == '\t') /* indentation as two spaces, a gap as one */
				buf_puts(&b, b.len == 2 * i ? "  " : " ");
			else
				buf_putc(&b, p[i]);
		}
		lines_push(l, style, NULL, -1, buf_take(&b, NULL));
		if (!nl)
			break;
		p = nl + 1;
	}
}

void
ui_lines_release(struct ui_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].link);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

size_t
ui_lines_rows(const struct ui_view *v)
{
	const struct ui_lines *l = v->state;

	return l->n;
}

void
ui_lines_draw_row(struct ui *ui, struct ui_view *v, size_t row, int y, int x, int cols)
{
	const struct ui_lines *l = v->state;
	const struct ui_line *ln = &l->v[row];
	attr_t extra = ln->style == UI_LINE_HEAD ? A_BOLD : ln->style == UI_LINE_DIM ? A_DIM : 0;
	int used;

	wattron(ui->win, extra);
	used = ui_draw_text(ui->win, y, x, cols, ln->text);
	ui_draw_pad(ui->win, y, x + used, cols - used);
	wattroff(ui->win, extra);
}

int
ui_lines_matches(const struct ui_view *v, size_t row, const char *needle)
{
	const struct ui_lines *l = v->state;

	return ui_contains(l->v[row].text, needle);
}

const char *
ui_lines_resource(const struct ui_view *v, size_t row)
{
	const struct ui_lines *l = v->state;

	return row < l->n ? l->v[row].link : NULL;
}

enum ui_request
ui_lines_request(struct ui *ui, struct ui_view *v, enum ui_request req)
{
	const struct ui_lines *l = v->state;
	size_t row = ui_view_current(v);
	const struct ui_line *ln;
	struct err err = { 0 };

	if (req != UI_REQ_ENTER)
		return req;
	if (row >= l->n)
		return UI_REQ_NONE;
	ln = &l->v[row];
	if (ln->link) {
		if (ui_open_resource(ui, ln->link, ln->link_kind, &err))
			ui_status(ui, 1, "%s", err.msg);
	} else if (ln->link_kind >= 0 && ui_view_of_kind(ln->link_kind)) {
		if (ui_view_push(ui, ui_view_of_kind(ln->link_kind), NULL, &err))
			ui_status(ui, 1, "%s", err.msg);
	}
	return UI_REQ_NONE;
}

void
ui_lines_view_release(struct ui_view *v)
{
	ui_lines_release(v->state);
}
