/*
 * Code packages a scan has read, by CodeSha256: one row per unique package
 * (functions sharing a zip share it; a layer version is one), so a package
 * is downloaded and scanned once per cache, not once per function or scan.
 * What was found is kept redacted: secrets as JSON hits ({rule, what, path,
 * line, redacted}), the reader's problems ({kind, path, detail}). Installed
 * dependencies go to the dependency table (store/advisory.h).
 */
#ifndef SHEARS_STORE_PACKAGES_H
#define SHEARS_STORE_PACKAGES_H

#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

struct store_package {
	const char *code_sha;
	int64_t scanned_at;
	long files;
	int64_t bytes;
	int incomplete;       /* a limit stopped the read */
	const char *problems; /* JSON array text */
	const char *secrets;  /* JSON array text */
};

/* Writes (replaces) a package's row; inside a scan it joins the scan's transaction. */
int store_package_put(struct store *s, const struct store_package *p, struct err *err);

/* 1 when the package was read before, 0 when not, or an error < 0 (err set). */
int store_package_known(struct store *s, const char *code_sha, struct err *err);

/* Its row (strings owned by out->pool until store_package_release), or ERR_NOTFOUND. */
struct store_package_row {
	struct store_package p;
	struct store_pool *pool;
};
int store_package_get(struct store *s, const char *code_sha, struct store_package_row *out,
                      struct err *err);
void store_package_release(struct store_package_row *r);

#endif
