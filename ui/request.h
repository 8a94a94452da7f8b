/*
 * Requests and key bindings: two tables. `?` help, the `:` command names and
 * the KEYS section of the man page are generated from them (STYLE.md 8), so
 * a key cannot be documented without being bound, nor bound without help.
 */
#ifndef SHEARS_UI_REQUEST_H
#define SHEARS_UI_REQUEST_H

#include <stddef.h>

#include "util/buf.h"

enum ui_request_flags {
	UI_WRITES = 1 << 0, /* changes the cloud: greyed and refused under --read-only */
};

/* id, name (also a ":" command), group, flags, help */
#define UI_REQUESTS(R)                                                                      \
	R(HELP, "help", "General", 0, "show the keys of this view")                         \
	R(QUIT, "quit", "General", 0, "leave shears")                                       \
	R(COMMAND, "command", "General", 0, "jump to a view by name (:functions)")          \
	R(FILTER, "filter", "General", 0, "show only rows matching what you type")          \
	R(BACK, "back", "General", 0, "clear the filter, else go back")                     \
	R(RELOAD, "reload", "General", 0, "read the view again from the cache")             \
	R(REDRAW, "redraw", "General", 0, "redraw the screen")                              \
	R(UP, "up", "Move", 0, "move up one row")                                           \
	R(DOWN, "down", "Move", 0, "move down one row")                                     \
	R(PAGE_UP, "page-up", "Move", 0, "move up one page")                                \
	R(PAGE_DOWN, "page-down", "Move", 0, "move down one page")                          \
	R(FIRST, "first", "Move", 0, "go to the first row")                                 \
	R(LAST, "last", "Move", 0, "go to the last row")                                    \
	R(ENTER, "enter", "Move", 0, "open the selected row")                               \
	R(CONNECTIONS, "connections", "Resource", 0, "what reaches it and what it reaches") \
	R(RAW, "raw", "Resource", 0, "the stored attributes of the selected resource")      \
	R(SORT, "sort", "List", 0, "sort by the next column")                               \
	R(SORT_REVERSE, "sort-reverse", "List", 0, "reverse the sort order")                \
	R(MARK, "mark", "List", 0, "mark or unmark the selected row")                       \
	R(MARK_CLEAR, "mark-clear", "List", 0, "clear every mark")                          \
	R(ACT, "act", "Remediation", 0, "the actions that fit, each with its plan")         \
	R(UNDO, "undo", "Remediation", UI_WRITES, "undo the selected verified action")

enum ui_request {
	UI_REQ_NONE = 0,
#define R(id, name, group, flags, help) UI_REQ_##id,
	UI_REQUESTS(R)
#undef R
	        UI_REQ_COUNT
};

/* Which views a binding applies to; UI_KM_ANY applies everywhere. */
#define UI_KEYMAPS(K)                                     \
	K(ANY, "generic", "every view")                   \
	K(LIST, "list", "lists of resources")             \
	K(TEXT, "text", "overview, detail, raw and help") \
	K(JOURNAL, "journal", "the remediation journal")

enum ui_keymap {
#define K(id, name, desc) UI_KM_##id,
	UI_KEYMAPS(K)
#undef K
	        UI_KM_COUNT
};

struct ui_binding {
	enum ui_keymap keymap;
	int key; /* a character, or a curses KEY_ code */
	enum ui_request request;
};

struct ui_request_info {
	const char *name, *group, *help;
	unsigned flags;
};

/* The request's row; NULL for UI_REQ_NONE or out of range. */
const struct ui_request_info *ui_request_info(enum ui_request req);
/* The request named name ("sort-reverse"); UI_REQ_NONE when unknown. */
enum ui_request ui_request_parse(const char *name);
const char *ui_keymap_name(enum ui_keymap km);
/* The name of the i-th request (0-based), NULL past the last: for completion. */
const char *ui_request_name_at(size_t i);

/* The whole bindings table (read-only). */
const struct ui_binding *ui_bindings(size_t *n);

/*
 * The request key is bound to in keymap km, falling back to UI_KM_ANY;
 * UI_REQ_NONE when unbound.
 */
enum ui_request ui_keymap_lookup(enum ui_keymap km, int key);

/* "j", "^F", "Enter", "PgDn", "Space": how help shows a key. Returns out. */
const char *ui_key_name(int key, char *out, size_t n);

/*
 * Appends the help text for a view of keymap km: one line per binding that
 * applies there, "key(s)  name  help", grouped, then the ":" commands.
 * Lines end with '\n'. Returns 0 or ERR_LIMIT.
 */
int ui_help_text(struct buf *b, enum ui_keymap km);

#endif
