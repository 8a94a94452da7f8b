/*
 * cJSON helpers for AWS answers: a bounded parse and typed getters that
 * return NULL or an error instead of trusting the answer's shape.
 */
#ifndef SHEARS_UTIL_JSON_H
#define SHEARS_UTIL_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "util/err.h"

#define JSON_MAX_BYTES ((size_t)64 << 20)

/* Parses len bytes (not needing a NUL). Returns the tree (caller owns, cJSON_Delete) or NULL
 * with ERR_PARSE / ERR_LIMIT in err. */
cJSON *json_parse(const char *data, size_t len, struct err *err);

/* Follows "A.B.C" through objects; NULL if any step is missing. */
const cJSON *json_path(const cJSON *obj, const char *path);

/* The string at path, or NULL when missing or not a string. */
const char *json_str(const cJSON *obj, const char *path);

/* The number at path into out; returns 0, or ERR_NOTFOUND when missing or not a number. */
int json_num(const cJSON *obj, const char *path, double *out);

/* 1 for true, 0 for false, dflt when missing or not a boolean. */
int json_bool(const cJSON *obj, const char *path, int dflt);

#endif
