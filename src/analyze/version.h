/*
 * Version ordering for advisory matching: npm semver (semver.org 2.0.0) and
 * PyPI's PEP 440. A version is turned into a sort key, a byte string whose
 * memcmp order is the version order, so a range's bounds are parsed once and
 * every later comparison is a memcmp.
 *
 * semver (npm, Go, crates.io and OSV SEMVER ranges): an optional "v" or "=",
 * then MAJOR[.MINOR[.PATCH]] (a missing part is 0, as OSV's own matcher
 * reads npm's "1.0"), then -PRERELEASE (dot-separated [0-9A-Za-z-]
 * identifiers; numeric ones compare as numbers and below alphanumeric ones;
 * a version with a prerelease is below the same version without), then
 * +BUILD, which is checked and ignored. Surrounding blanks are trimmed.
 *
 * PEP 440 (PyPI): the canonical regex of the specification, case-blind, with
 * the spellings it normalises: an optional "v", N!epoch, a release of any
 * length compared with zero padding (1.0 == 1.0.0), pre a/b/rc (alpha, beta,
 * c, pre, preview), post (.postN, -N, rev, r), dev (.devN), local (+ubuntu.1,
 * numeric segments above alphanumeric ones), any of "-", "_", "." as
 * separators and an implicit 0 for a missing number. Order:
 * 1.0.dev1 < 1.0a1.dev1 < 1.0a1 < 1.0 < 1.0+local < 1.0.post1.dev1 < 1.0.post1.
 *
 * Limits: a number has at most VERSION_DIGITS_MAX digits (leading zeros
 * dropped) and a key at most VERSION_KEY_MAX bytes; longer input is ERR_LIMIT.
 */
#ifndef SHEARS_ANALYZE_VERSION_H
#define SHEARS_ANALYZE_VERSION_H

#include <stddef.h>

#include "util/err.h"

#define VERSION_KEY_MAX    160
#define VERSION_DIGITS_MAX 40

enum version_scheme {
	VERSION_SCHEME_NONE = 0, /* no ordering known: only exact strings can be compared */
	VERSION_SCHEME_SEMVER,
	VERSION_SCHEME_PEP440,
};

struct version_key {
	size_t len;
	unsigned char b[VERSION_KEY_MAX];
};

/*
 * The ordering an OSV ecosystem uses: "npm", "Go", "crates.io" -> SEMVER,
 * "PyPI" -> PEP440 (ecosystem names compared case-blind), anything else NONE.
 */
enum version_scheme version_scheme_of(const char *ecosystem);

/*
 * Parses s into its sort key. Returns 0, ERR_PARSE (not a version of the
 * scheme; out->len is 0), ERR_LIMIT (too long) or ERR_USAGE (scheme NONE).
 */
int version_key_of(enum version_scheme scheme, const char *s, struct version_key *out);

/* <0, 0, >0 like memcmp: the order of the versions the keys came from. */
int version_key_cmp(const struct version_key *a, const struct version_key *b);

/*
 * Compares versions a and b in the ordering of ecosystem and stores
 * -1, 0 or 1 in *out_cmp. Returns 0, or the error of version_key_of() for
 * the first of a and b that does not parse (*out_cmp untouched): such a
 * version cannot be matched, and the caller reports it as such.
 */
int version_cmp(const char *ecosystem, const char *a, const char *b, int *out_cmp);

#endif
