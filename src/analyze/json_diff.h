/*
 * A line diff of two texts in unified format (diff -u), for the plans a
 * reviewer reads: the current policy documents against the new one.
 *
 * Limits, on purpose:
 *  - The longest common subsequence is computed exactly on what is left
 *    once the common head and tail are set aside; when that middle is over
 *    JSON_DIFF_MAX_CELLS (old lines x new lines), the middle is shown as
 *    removed then added as a whole: still a correct diff, only a longer one.
 *  - A missing newline at the end of a text is not marked
 *    ("\ No newline at end of file"): the texts compared are generated.
 */
#ifndef SHEARS_ANALYZE_JSON_DIFF_H
#define SHEARS_ANALYZE_JSON_DIFF_H

#include <cjson/cJSON.h>

#include "util/err.h"

#define JSON_DIFF_CONTEXT   3
#define JSON_DIFF_MAX_CELLS ((unsigned long)4 << 20)

/*
 * The unified diff of text a (label_a, "---") against text b (label_b,
 * "+++") with context lines around each change, into *out (caller frees).
 * Equal texts give "" (no header). Returns 0, or ERR_LIMIT when the diff
 * would pass BUF_MAX_DEFAULT (*out NULL).
 */
int json_diff_text(const char *a, const char *b, const char *label_a, const char *label_b,
                   int context, char **out, struct err *err);

/*
 * The same on two JSON documents pretty-printed (cJSON_Print: one member a
 * line, tabs, members in document order). A NULL document is an empty text.
 */
int json_diff(const cJSON *a, const cJSON *b, const char *label_a, const char *label_b, int context,
              char **out, struct err *err);

#endif
