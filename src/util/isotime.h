/*
 * The timestamps AWS answers with: ISO 8601 with or without a time, with
 * fractional seconds and an offset ("2026-07-26T00:00:00.000+0000",
 * "2026-07-26T00:00:00Z", "2026-07-26"), or epoch seconds. One parser, so
 * every module reads dates the same way.
 */
#ifndef SHEARS_UTIL_ISOTIME_H
#define SHEARS_UTIL_ISOTIME_H

#include <time.h>

/* Parses s into UTC seconds. Returns 0, or -1 when s is not such a timestamp. */
int iso_time_parse(const char *s, time_t *out);

#endif
