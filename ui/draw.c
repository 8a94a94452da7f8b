/*
 * The choke point for text (STYLE.md 6; htop RichString.c, tig draw.c):
 * termsafe first, then cells counted with wcwidth, never bytes. A character
 * wcwidth cannot measure (unassigned, format characters) is shown as
 * <U+XXXX> too, so what reaches curses is always printable and measured.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "ui/ui_int.h"
#include "util/buf.h"
#include "util/termsafe.h"

#define DRAW_MAX_CHARS 1024 /* nothing wider than this is ever on screen */

/*
 * Decodes the terminal-safe s into wide characters and their widths, at
 * most max of them. Returns the count.
 */
static size_t
decode(const char *s, wchar_t *wc, signed char *w, size_t max)
{
	mbstate_t st;
	size_t n = 0, len = strlen(s);

	memset(&st, 0, sizeof(st));
	while (len && n < max) {
		wchar_t c;
		size_t k = mbrtowc(&c, s, len, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			/* the locale cannot show it: one visible byte */
			memset(&st, 0, sizeof(st));
			wc[n] = L'?';
			w[n++] = 1;
			s++, len--;
			continue;
		}
		cw = wcwidth(c);
		if (cw < 0) {
			wc[n] = L'?';
			cw = 1;
		} else {
			wc[n] = c;
		}
		/* a combining mark cannot start a cell of its own */
		if (cw == 0 && n == 0) {
			wc[n] = L'?';
			cw = 1;
		}
		w[n++] = (signed char)cw;
		s += k, len -= k;
	}
	return n;
}

/* Makes s safe and turns what wcwidth cannot measure into <U+XXXX>. */
static void
safe_text(struct buf *b, const char *s)
{
	struct buf raw;
	const char *p;
	mbstate_t st;
	size_t len;

	buf_init(&raw, 0);
	if (termsafe_append(&raw, s, strlen(s))) {
		buf_puts(b, "?");
		return;
	}
	p = buf_cstr(&raw);
	len = raw.len;
	memset(&st, 0, sizeof(st));
	while (len) {
		wchar_t c;
		size_t k = mbrtowc(&c, p, len, &st);

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof(st));
			buf_printf(b, "\\x%02X", (unsigned char)*p);
			k = 1;
		} else if (wcwidth(c) < 0) {
			buf_printf(b, "<U+%04lX>", (unsigned long)c);
		} else {
			buf_append(b, p, k);
		}
		p += k, len -= k;
	}
	buf_release(&raw);
}

int
ui_text_cells(const char *s)
{
	static wchar_t wc[DRAW_MAX_CHARS];
	static signed char w[DRAW_MAX_CHARS];
	struct buf b;
	size_t i, n;
	int cells = 0;

	buf_init(&b, 0);
	safe_text(&b, s);
	n = decode(buf_cstr(&b), wc, w, DRAW_MAX_CHARS);
	for (i = 0; i < n; i++)
		cells += w[i];
	buf_release(&b);
	return cells;
}

int
ui_draw_text(WINDOW *win, int y, int x, int cols, const char *s)
{
	static wchar_t wc[DRAW_MAX_CHARS + 1];
	static signed char w[DRAW_MAX_CHARS];
	struct buf b;
	size_t i, n, keep = 0;
	int cells = 0, total = 0, cut;

	if (cols <= 0 || !s)
		return 0;
	buf_init(&b, 0);
	safe_text(&b, s);
	n = decode(buf_cstr(&b), wc, w, DRAW_MAX_CHARS);
	buf_release(&b);
	for (i = 0; i < n; i++)
		total += w[i];
	cut = total > cols;
	for (i = 0; i < n; i++) {
		/* leave a cell for the '~' that marks a cut */
		if (cells + w[i] > cols - cut)
			break;
		cells += w[i];
		keep = i + 1;
	}
	/* combining marks after the last kept character stay with it */
	while (keep < n && w[keep] == 0)
		keep++;
	if (keep)
		mvwaddnwstr(win, y, x, wc, (int)keep);
	if (cut) {
		/* a double-width character that did not fit leaves a gap: fill it */
		while (cells < cols - 1)
			mvwaddch(win, y, x + cells++, ' ');
		mvwaddch(win, y, x + cells++, '~');
	}
	return cells;
}

void
ui_draw_pad(WINDOW *win, int y, int x, int cols)
{
	if (cols > 0)
		mvwhline(win, y, x, ' ', cols);
}

int
ui_contains(const char *hay, const char *needle)
{
	char first = needle[0];
	size_t i;

	for (; *hay; hay++) {
		char c = *hay;

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != first)
			continue;
		for (i = 1; needle[i]; i++) {
			char h = hay[i];

			if (h >= 'A' && h <= 'Z')
				h += 'a' - 'A';
			if (h != needle[i])
				break;
		}
		if (!needle[i])
			return 1;
	}
	return 0;
}

const char *
ui_fmt_time(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm))
		snprintf(out, n, "never");
	else
		strftime(out, n, "%Y-%m-%d %H:%M UTC", &tm);
	return out;
}
