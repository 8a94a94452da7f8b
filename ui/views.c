/*
 * The views a user can name with ":" (and Tab-complete), and the help view
 * generated from the request and binding tables (ui/keymap.c).
 */
#include <string.h>

#include "ui/dialog.h"
#include "ui/ui_int.h"
#include "util/buf.h"

static const struct ui_view_ops *
named(size_t i)
{
	if (i == 0)
		return &ui_overview_view;
	if (i - 1 < ui_n_list_views)
		return &ui_list_views[i - 1];
	if (i - 1 == ui_n_list_views)
		return &ui_findings_view;
	if (i - 1 == ui_n_list_views + 1)
		return &ui_journal_view;
	if (i - 1 == ui_n_list_views + 2)
		return &ui_help_view;
	return NULL;
}

const char *
ui_view_name(size_t i)
{
	const struct ui_view_ops *ops = named(i);

	return ops ? ops->name : NULL;
}

const char *
ui_view_help(size_t i)
{
	const struct ui_view_ops *ops = named(i);

	return ops ? ops->help : NULL;
}

const struct ui_view_ops *
ui_view_find(const char *name)
{
	const struct ui_view_ops *found = NULL, *ops;
	size_t i, len = strlen(name);
	int n = 0;

	for (i = 0; (ops = named(i)); i++) {
		if (!strcmp(ops->name, name))
			return ops;
		if (len && !strncmp(ops->name, name, len)) {
			found = ops;
			n++;
		}
	}
	/* "function", "log-group": a kind's own name */
	if (!n && model_kind_parse(name) >= 0)
		return ui_view_of_kind(model_kind_parse(name));
	return n == 1 ? found : NULL;
}

struct help_state {
	struct ui_lines lines;
};

static int
help_load(struct ui *ui, struct ui_view *v, struct err *err)
{
	struct help_state *st = v->state;
	struct ui_view *below = ui_view_top(ui);
	enum ui_keymap km = below ? below->ops->keymap : UI_KM_ANY;
	struct buf b;

	buf_init(&b, 0);
	if (ui_help_text(&b, km) ||
	    buf_puts(&b, "\nThe confirm dialog (x, then Enter; u in :journal)\n")) {
		buf_release(&b);
		return err_set(err, ERR_LIMIT, "help text too long");
	}
	for (size_t i = 0; ui_dialog_help(i); i++)
		buf_printf(&b, "%s\n", ui_dialog_help(i));
	ui_lines_add_text(&st->lines, UI_LINE_TEXT, buf_cstr(&b));
	buf_release(&b);
	/* headings: the lines that do not start with a space */
	for (size_t i = 0; i < st->lines.n; i++)
		if (st->lines.v[i].text[0] && st->lines.v[i].text[0] != ' ')
			st->lines.v[i].style = UI_LINE_HEAD;
	snprintf(v->title, sizeof(v->title), "help: %s", below ? below->ops->name : "");
	return 0;
}

const struct ui_view_ops ui_help_view = {
	.name = "help",
	.help = "the keys of the current view",
	.keymap = UI_KM_TEXT,
	.state_size = sizeof(struct help_state),
	.load = help_load,
	.rows = ui_lines_rows,
	.draw_row = ui_lines_draw_row,
	.matches = ui_lines_matches,
	.release = ui_lines_view_release,
};
