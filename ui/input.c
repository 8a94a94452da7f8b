#include "ui/input.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util/xmalloc.h"

#define CTRL(c) ((c)&0x1f)

static void
set_text(struct ui_input *in, const char *s)
{
	snprintf(in->text, sizeof(in->text), "%s", s);
	in->len = in->pos = strlen(in->text);
}

void
ui_input_begin(struct ui_input *in, const char *text)
{
	set_text(in, text);
	snprintf(in->saved, sizeof(in->saved), "%s", text);
	in->at = in->n_history;
}

static int
is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t
prev_char(const struct ui_input *in, size_t pos)
{
	while (pos > 0 && is_cont(in->text[--pos]))
		;
	return pos;
}

static size_t
next_char(const struct ui_input *in, size_t pos)
{
	if (pos < in->len)
		pos++;
	while (pos < in->len && is_cont(in->text[pos]))
		pos++;
	return pos;
}

/* Removes bytes [from, to). */
static void
cut(struct ui_input *in, size_t from, size_t to)
{
	memmove(in->text + from, in->text + to, in->len - to + 1);
	in->len -= to - from;
	in->pos = from;
}

static enum ui_input_result
insert(struct ui_input *in, int wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)wc, &st);
	if (n == (size_t)-1 || in->len + n >= sizeof(in->text))
		return UI_INPUT_IGNORED;
	memmove(in->text + in->pos + n, in->text + in->pos, in->len - in->pos + 1);
	memcpy(in->text + in->pos, mb, n);
	in->len += n;
	in->pos += n;
	return UI_INPUT_EDITED;
}

static enum ui_input_result
history_walk(struct ui_input *in, int up)
{
	if (up && in->at > 0)
		in->at--;
	else if (!up && in->at < in->n_history)
		in->at++;
	else
		return UI_INPUT_IGNORED;
	set_text(in, in->at < in->n_history ? in->history[in->at] : "");
	return UI_INPUT_EDITED;
}

static enum ui_input_result
code_key(struct ui_input *in, int key, int history)
{
	switch (key) {
	case KEY_ENTER:
		return UI_INPUT_DONE;
	case KEY_BACKSPACE:
		if (!in->pos)
			return in->len ? UI_INPUT_IGNORED : UI_INPUT_CANCEL;
		cut(in, prev_char(in, in->pos), in->pos);
		return UI_INPUT_EDITED;
	case KEY_DC:
		if (in->pos == in->len)
			return UI_INPUT_IGNORED;
		cut(in, in->pos, next_char(in, in->pos));
		return UI_INPUT_EDITED;
	case KEY_LEFT:
		in->pos = prev_char(in, in->pos);
		return UI_INPUT_MOVED;
	case KEY_RIGHT:
		in->pos = next_char(in, in->pos);
		return UI_INPUT_MOVED;
	case KEY_HOME:
		in->pos = 0;
		return UI_INPUT_MOVED;
	case KEY_END:
		in->pos = in->len;
		return UI_INPUT_MOVED;
	case KEY_UP:
	case KEY_DOWN:
		return history ? history_walk(in, key == KEY_UP) : UI_INPUT_IGNORED;
	default:
		return UI_INPUT_IGNORED;
	}
}

enum ui_input_result
ui_input_key(struct ui_input *in, int key, int is_code, int history)
{
	size_t p;

	if (is_code)
		return code_key(in, key, history);
	switch (key) {
	case '\n':
	case '\r':
		return UI_INPUT_DONE;
	case 27:
		return UI_INPUT_CANCEL;
	case '\t':
		return UI_INPUT_COMPLETE;
	case 127:
	case CTRL('h'):
		return code_key(in, KEY_BACKSPACE, history);
	case CTRL('a'):
		return code_key(in, KEY_HOME, history);
	case CTRL('e'):
		return code_key(in, KEY_END, history);
	case CTRL('p'):
		return code_key(in, KEY_UP, history);
	case CTRL('n'):
		return code_key(in, KEY_DOWN, history);
	case CTRL('u'):
		cut(in, 0, in->pos);
		return UI_INPUT_EDITED;
	case CTRL('w'):
		p = in->pos;
		while (p > 0 && in->text[p - 1] == ' ')
			p--;
		while (p > 0 && in->text[p - 1] != ' ')
			p--;
		cut(in, p, in->pos);
		return UI_INPUT_EDITED;
	default:
		if (key < 32 || (key >= 0x7f && key < 0xa0))
			return UI_INPUT_IGNORED; /* no control characters in the line */
		return insert(in, key);
	}
}

static size_t
common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

size_t
ui_input_complete(struct ui_input *in, const char *(*a)(size_t), const char *(*b)(size_t))
{
	const char *(*src[2])(size_t) = { a, b };
	char best[UI_FILTER_MAX] = "";
	size_t start = in->pos, n_match = 0, word_len, keep = 0, s, i;
	const char *name;

	while (start > 0 && in->text[start - 1] != ' ')
		start--;
	word_len = in->pos - start;
	for (s = 0; s < 2; s++)
		for (i = 0; src[s] && (name = src[s](i)); i++) {
			if (strncmp(name, in->text + start, word_len))
				continue;
			if (!n_match++) {
				snprintf(best, sizeof(best), "%s", name);
				keep = strlen(best);
			} else {
				keep = common_prefix(best, name) < keep ? common_prefix(best, name)
				                                        : keep;
			}
		}
	if (!n_match)
		return 0;
	best[keep] = '\0';
	if (n_match == 1 && keep + 1 < sizeof(best))
		best[keep++] = ' ', best[keep] = '\0';
	if (start + keep + (in->len - in->pos) >= sizeof(in->text))
		return n_match;
	memmove(in->text + start + keep, in->text + in->pos, in->len - in->pos + 1);
	memcpy(in->text + start, best, keep);
	in->len = start + keep + (in->len - in->pos);
	in->pos = start + keep;
	return n_match;
}

void
ui_input_remember(struct ui_input *in)
{
	const char *t = in->text;

	while (*t == ' ')
		t++;
	if (!*t || (in->n_history && !strcmp(in->history[in->n_history - 1], in->text)))
		return;
	if (in->n_history == UI_HISTORY_MAX) {
		free(in->history[0]);
		memmove(in->history, in->history + 1, (UI_HISTORY_MAX - 1) * sizeof(char *));
		in->n_history--;
	}
	in->history[in->n_history++] = xstrdup(in->text);
	in->at = in->n_history;
}

void
ui_input_release(struct ui_input *in)
{
	size_t i;

	for (i = 0; i < in->n_history; i++)
		free(in->history[i]);
	in->n_history = in->at = 0;
}
