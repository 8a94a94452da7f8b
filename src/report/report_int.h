/*
 * What the four writers share: the dispatch targets, the stable finding id,
 * timestamps, and the two string repairs every format needs (valid UTF-8 for
 * JSON and SARIF, terminal-safe text for CSV and Markdown). Not for use
 * outside src/report.
 */
#ifndef SHEARS_REPORT_INT_H
#define SHEARS_REPORT_INT_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <time.h>

#include "report/report.h"
#include "util/buf.h"

/* GitHub code scanning rejects a run with more results than this. */
#define REPORT_SARIF_MAX_RESULTS 25000

/* 16 hex digits and a NUL. */
#define REPORT_ID_LEN 17
/* "YYYY-MM-DDTHH:MM:SSZ" and a NUL. */
#define REPORT_TIME_LEN 21

/* Each writes r to out; 0 or ERR_IO. report_write checks the stream after. */
int report_json_write(FILE *out, const struct report *r, struct err *err);
int report_csv_write(FILE *out, const struct report *r, struct err *err);
int report_md_write(FILE *out, const struct report *r, struct err *err);
int report_sarif_write(FILE *out, const struct report *r, struct err *err);

/*
 * The finding's stable id: the first 8 bytes of SHA-256 over rule id,
 * resource and location (each NUL-terminated, so no two splits of the same
 * bytes collide), in lower-case hex. The same finding keeps its id across
 * scans, reports and formats.
 */
void report_finding_id(const struct finding *f, char out[REPORT_ID_LEN]);

/* RFC 3339 UTC ("2024-05-01T12:00:00Z") of t. */
void report_time(time_t t, char out[REPORT_TIME_LEN]);

/* The item's status, "open" when the caller left it NULL. */
const char *report_status(const struct report_item *it);

/* s with every invalid UTF-8 sequence replaced by U+FFFD (RFC 3629; overlong
 * forms, surrogates and code points past U+10FFFF are invalid). Caller frees. */
char *report_utf8_valid(const char *s);

/* Appends the terminal-safe form of s (util/termsafe.h; NULL is ""). */
int report_safe_append(struct buf *b, const char *s);

/*
 * Appends s (NULL is "") as inert Markdown: terminal-safe first, then every
 * character CommonMark/GFM could read as markup backslash-escaped, and GFM's
 * autolinks broken. Returns 0 or ERR_LIMIT.
 */
int report_md_escape(struct buf *b, const char *s);

/* Writes len bytes; 0 or ERR_IO. */
int report_put(FILE *out, const char *data, size_t len, struct err *err);

/* A JSON string of s made valid UTF-8, or JSON null when s is NULL. */
cJSON *report_jstr(const char *s);

/*
 * cJSON returns NULL when it runs out of memory; shears does not pass that
 * up (STYLE.md 4) and aborts, as xmalloc does. Returns p.
 */
cJSON *report_jneed(cJSON *p);

/* Adds item to obj under key (aborting on out of memory). */
void report_jadd(cJSON *obj, const char *key, cJSON *item);

/* Prints root (formatted, newline-terminated) to out, then deletes root. */
int report_jemit(FILE *out, cJSON *root, struct err *err);

/* 1 when the finding is about the scored function: its ARN, or the ARN
 * qualified by a version or alias ("ARN:prod"); else 0. */
int report_score_owns(const struct report_score *s, const struct finding *f);

#endif
