/*
 * The one form a possibly-secret value takes outside memory: its first 4
 * characters (fewer for short values, so they are never shown whole) and the
 * first 12 hex digits of its SHA-256: "SG.Z…sha256:0123456789ab". The hash lets
 * a reviewer tell two values apart and match a value they hold, without the
 * cache, a log, a report or the screen ever carrying it.
 */
#ifndef SHEARS_UTIL_REDACT_H
#define SHEARS_UTIL_REDACT_H

#include <stddef.h>

/* Redacts len bytes of value into out (always NUL-terminated). */
void redact_bytes(const char *value, size_t len, char *out, size_t n);

/* redact_bytes() of a NUL-terminated string (NULL is the empty string). */
void redact_value(const char *value, char *out, size_t n);

#endif
