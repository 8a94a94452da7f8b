/*
 * Allocation that cannot fail: out of memory is the one failure we do not
 * pass back up. The hook (set by the UI) restores the terminal, then we abort.
 */
#ifndef SHEARS_UTIL_XMALLOC_H
#define SHEARS_UTIL_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Called once before abort() on out of memory; NULL removes it. */
void xmalloc_set_fail_hook(void (*hook)(void));

#endif
