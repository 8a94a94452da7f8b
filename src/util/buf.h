/*
 * Growable bytes with a hard cap (curl dynbuf, git strbuf). The data is always
 * NUL-terminated so text can be used as a C string. An append that would pass
 * the cap returns ERR_LIMIT and leaves the buffer released.
 */
#ifndef SHEARS_UTIL_BUF_H
#define SHEARS_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* NULL until the first append */
	size_t len;
	size_t cap;
	size_t max; /* the most bytes this buffer may hold */
};

#define BUF_MAX_DEFAULT ((size_t)64 << 20)

/* Does not allocate. max 0 means BUF_MAX_DEFAULT. */
void buf_init(struct buf *b, size_t max);

/* Each returns 0 or ERR_LIMIT (buffer released). */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* The text so far; "" for an empty buffer. Borrowed. */
const char *buf_cstr(const struct buf *b);

/* Empties the buffer but keeps its memory and cap. */
void buf_reset(struct buf *b);

/* Hands the bytes (NUL-terminated) to the caller and resets the buffer. */
char *buf_take(struct buf *b, size_t *len);

/* Frees the bytes; safe twice. */
void buf_release(struct buf *b);

#endif
