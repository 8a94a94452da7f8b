/*
 * The bindings table and what is generated from it: key lookup, key names
 * and the help text. A key is looked up in the view's keymap first, then in
 * UI_KM_ANY, so a view may give a generic key a meaning of its own.
 */
#include "ui/request.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

#define CTRL(c) ((c)&0x1f)

static const struct ui_request_info requests[UI_REQ_COUNT] = {
#define R(id, name_, group_, flags_, help_) \
	[UI_REQ_##id] = { .name = name_, .group = group_, .help = help_, .flags = flags_ },
	UI_REQUESTS(R)
#undef R
};

static const char *const keymap_names[] = {
#define K(id, name, desc) name,
	UI_KEYMAPS(K)
#undef K
};

static const struct ui_binding bindings[] = {
	{ UI_KM_ANY, '?', UI_REQ_HELP },
	{ UI_KM_ANY, 'q', UI_REQ_QUIT },
	{ UI_KM_ANY, ':', UI_REQ_COMMAND },
	{ UI_KM_ANY, '/', UI_REQ_FILTER },
	{ UI_KM_ANY, 27, UI_REQ_BACK },
	{ UI_KM_ANY, CTRL('r'), UI_REQ_RELOAD },
	{ UI_KM_ANY, CTRL('l'), UI_REQ_REDRAW },
	{ UI_KM_ANY, KEY_UP, UI_REQ_UP },
	{ UI_KM_ANY, 'k', UI_REQ_UP },
	{ UI_KM_ANY, KEY_DOWN, UI_REQ_DOWN },
	{ UI_KM_ANY, 'j', UI_REQ_DOWN },
	{ UI_KM_ANY, KEY_PPAGE, UI_REQ_PAGE_UP },
	{ UI_KM_ANY, CTRL('b'), UI_REQ_PAGE_UP },
	{ UI_KM_ANY, KEY_NPAGE, UI_REQ_PAGE_DOWN },
	{ UI_KM_ANY, CTRL('f'), UI_REQ_PAGE_DOWN },
	{ UI_KM_ANY, KEY_HOME, UI_REQ_FIRST },
	{ UI_KM_ANY, 'g', UI_REQ_FIRST },
	{ UI_KM_ANY, KEY_END, UI_REQ_LAST },
	{ UI_KM_ANY, 'G', UI_REQ_LAST },
	{ UI_KM_ANY, '\n', UI_REQ_ENTER },
	{ UI_KM_ANY, '\r', UI_REQ_ENTER },
	{ UI_KM_ANY, KEY_ENTER, UI_REQ_ENTER },
	{ UI_KM_ANY, 'c', UI_REQ_CONNECTIONS },
	{ UI_KM_ANY, 'r', UI_REQ_RAW },
	{ UI_KM_ANY, 'x', UI_REQ_ACT },
	{ UI_KM_LIST, 's', UI_REQ_SORT },
	{ UI_KM_LIST, 'S', UI_REQ_SORT_REVERSE },
	{ UI_KM_LIST, ' ', UI_REQ_MARK },
	{ UI_KM_LIST, 'u', UI_REQ_MARK_CLEAR },
	{ UI_KM_TEXT, ' ', UI_REQ_PAGE_DOWN },
	{ UI_KM_TEXT, 'b', UI_REQ_PAGE_UP },
	{ UI_KM_JOURNAL, 's', UI_REQ_SORT },
	{ UI_KM_JOURNAL, 'S', UI_REQ_SORT_REVERSE },
	{ UI_KM_JOURNAL, 'u', UI_REQ_UNDO },
};

const struct ui_request_info *
ui_request_info(enum ui_request req)
{
	if (req <= UI_REQ_NONE || req >= UI_REQ_COUNT)
		return NULL;
	return &requests[req];
}

enum ui_request
ui_request_parse(const char *name)
{
	int i;

	for (i = UI_REQ_NONE + 1; i < UI_REQ_COUNT; i++)
		if (!strcmp(requests[i].name, name))
			return (enum ui_request)i;
	return UI_REQ_NONE;
}

const char *
ui_request_name_at(size_t i)
{
	return i + 1 < UI_REQ_COUNT ? requests[i + 1].name : NULL;
}

const char *
ui_keymap_name(enum ui_keymap km)
{
	return (unsigned)km < UI_KM_COUNT ? keymap_names[km] : NULL;
}

const struct ui_binding *
ui_bindings(size_t *n)
{
	*n = sizeof(bindings) / sizeof(bindings[0]);
	return bindings;
}

static enum ui_request
lookup_in(enum ui_keymap km, int key)
{
	size_t i;

	for (i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].keymap == km && bindings[i].key == key)
			return bindings[i].request;
	return UI_REQ_NONE;
}

enum ui_request
ui_keymap_lookup(enum ui_keymap km, int key)
{
	enum ui_request req = lookup_in(km, key);

	return req != UI_REQ_NONE ? req : lookup_in(UI_KM_ANY, key);
}

const char *
ui_key_name(int key, char *out, size_t n)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ 27, "Esc" },          { '\n', "Enter" },
		{ '\r', "Return" },     { KEY_ENTER, "KpEnter" },
		{ ' ', "Space" },       { KEY_UP, "Up" },
		{ KEY_DOWN, "Down" },   { KEY_PPAGE, "PgUp" },
		{ KEY_NPAGE, "PgDn" },  { KEY_HOME, "Home" },
		{ KEY_END, "End" },     { KEY_LEFT, "Left" },
		{ KEY_RIGHT, "Right" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key) {
			snprintf(out, n, "%s", names[i].name);
			return out;
		}
	if (key > 0 && key < 32)
		snprintf(out, n, "^%c", key + 64);
	else if (key > 32 && key < 127)
		snprintf(out, n, "%c", key);
	else
		snprintf(out, n, "<%d>", key);
	return out;
}

/* Every key bound to req in km (or in ANY, unless km overrides that key). */
static int
keys_of(enum ui_keymap km, enum ui_request req, char *out, size_t n)
{
	size_t i, len = 0;
	char name[16];
	int found = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++) {
		const struct ui_binding *b = &bindings[i];

		if (b->request != req || (b->keymap != km && b->keymap != UI_KM_ANY))
			continue;
		if (ui_keymap_lookup(km, b->key) != req) /* shadowed by this keymap */
			continue;
		ui_key_name(b->key, name, sizeof(name));
		len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s", found ? " " : "",
		                        name);
		found = 1;
	}
	return found;
}

int
ui_help_text(struct buf *b, enum ui_keymap km)
{
	const char *group = "";
	char keys[96];
	size_t i;
	int rc = buf_printf(b, "Keys of the %s views\n", ui_keymap_name(km));

	for (i = UI_REQ_NONE + 1; i < UI_REQ_COUNT && !rc; i++) {
		const struct ui_request_info *r = &requests[i];

		if (!keys_of(km, (enum ui_request)i, keys, sizeof(keys)))
			continue;
		if (strcmp(group, r->group))
			rc = buf_printf(b, "\n%s\n", r->group);
		group = r->group;
		rc = rc ? rc : buf_printf(b, "  %-20s %-12s %s\n", keys, r->name, r->help);
	}
	rc = rc ? rc : buf_puts(b, "\nCommands (type : then a name; Tab completes)\n");
	for (i = 0; !rc && ui_view_name(i); i++)
		rc = buf_printf(b, "  :%-19s %s\n", ui_view_name(i), ui_view_help(i));
	for (i = UI_REQ_NONE + 1; i < UI_REQ_COUNT && !rc; i++)
		rc = buf_printf(b, "  :%-19s %s\n", requests[i].name, requests[i].help);
	return rc;
}
