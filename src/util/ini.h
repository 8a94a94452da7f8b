/*
 * A reader for the AWS shared config and credentials files, following
 * botocore 1.29 (configparser.RawConfigParser plus configloader's nesting):
 *
 *  - "[name]" starts a section; the name is kept as written, trimmed
 *    ("profile dev", "default"). A repeated section is an error, as is a
 *    key before the first section.
 *  - "key = value" or "key: value": the key is trimmed and lower-cased, the
 *    value trimmed. A key without '=' or ':' is an error; a repeated key in
 *    one section is an error.
 *  - Lines whose first non-blank character is '#' or ';' are comments.
 *    There are no inline comments: "a = b # c" has the value "b # c".
 *  - Indented lines after a key continue it. When the key's own value is
 *    empty ("s3 =") the indented lines are a sub-section of "k = v" pairs
 *    (one level, like botocore's _parse_nested); otherwise they are joined to
 *    the value with '\n'. Blank lines end nothing; trailing ones are dropped.
 *  - A UTF-8 byte order mark at the start is skipped. NUL bytes are an error.
 *
 * Errors name the file and line: "cannot read '~/.aws/config': line 7:
 * expected '='". Limits: INI_MAX_BYTES per file (ERR_LIMIT).
 */
#ifndef SHEARS_UTIL_INI_H
#define SHEARS_UTIL_INI_H

#include <stddef.h>

#include "util/err.h"

#define INI_MAX_BYTES ((size_t)4 << 20)

struct ini_pair {
	char *key;            /* lower case */
	char *value;          /* "" for a sub-section's parent */
	struct ini_pair *sub; /* nested pairs ("s3 =" block), or NULL */
	size_t n_sub;
	int line;
};

struct ini_section {
	char *name;
	struct ini_pair *pairs;
	size_t n_pairs;
	int line;
};

struct ini_file {
	struct ini_section *sections;
	size_t n_sections;
};

/*
 * Parses len bytes of data; name is how errors call the file. Returns 0,
 * ERR_PARSE (file and line in err->msg) or ERR_LIMIT; out is empty on error.
 */
int ini_parse(const char *data, size_t len, const char *name, struct ini_file *out,
              struct err *err);

/*
 * Reads and parses the file at path (name as above). Returns 0, ERR_NOTFOUND
 * when there is no such file (out empty), ERR_IO, ERR_PARSE or ERR_LIMIT.
 * The bytes read are wiped before they are freed (a credentials file).
 */
int ini_load(const char *path, const char *name, struct ini_file *out, struct err *err);

/* Frees everything, wiping values first; safe twice. */
void ini_release(struct ini_file *f);

/* The section with this exact name, or NULL. */
const struct ini_section *ini_section_find(const struct ini_file *f, const char *name);

/* The pair for key (lower case) in s, or NULL; s may be NULL. */
const struct ini_pair *ini_pair_find(const struct ini_section *s, const char *key);

/* The value of key in s, or NULL when missing; s may be NULL. */
const char *ini_get(const struct ini_section *s, const char *key);

/* The value of sub-key in the sub-section key ("s3", "addressing_style"). */
const char *ini_get_sub(const struct ini_section *s, const char *key, const char *sub);

#endif
