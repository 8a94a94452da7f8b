/*
 * Strings from the cloud are hostile until made terminal-safe. Every string
 * an AWS answer carried passes through here before it reaches a terminal:
 *   C0 controls and DEL   -> caret notation ("\x1b" -> "^[", DEL -> "^?")
 *   C1 controls           -> "<U+009B>"
 *   bidi overrides/isolates (U+202A-202E, U+2066-2069) and U+200E/U+200F
 *                         -> "<U+202E>"
 *   invalid UTF-8 bytes   -> "\xNN"
 * Everything else (valid UTF-8 text) is copied as is.
 */
#ifndef SHEARS_UTIL_TERMSAFE_H
#define SHEARS_UTIL_TERMSAFE_H

#include <stddef.h>

#include "util/buf.h"

/* Writes the safe form of s into out (always NUL-terminated, cut on a
 * character boundary when out is too small). Returns out. */
char *termsafe_copy(char *out, size_t n, const char *s);

/* Appends the safe form of len bytes of s to b. Returns 0 or ERR_LIMIT. */
int termsafe_append(struct buf *b, const char *s, size_t len);

#endif
