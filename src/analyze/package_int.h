/*
 * What the zip reader and the folder walk share (package.c): one read's
 * state, problem reporting, path cleaning and handing a file over, which
 * opens nested archives.
 */
#ifndef SHEARS_ANALYZE_PACKAGE_INT_H
#define SHEARS_ANALYZE_PACKAGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/package.h"
#include "util/err.h"

#define PKG_RATIO_FLOOR ((uint64_t)1 << 20) /* the ratio limit applies above 1 MiB */

struct pkg_read {
	const struct package_limits *l;
	package_entry_fn *fn;
	void *ctx;
	struct package_report *rep;
	struct err *err;
	int stopped; /* a package-wide limit was reached: read nothing more */
};

/* What pkg_path_clean found wrong with a name. */
enum pkg_path_flags {
	PKG_PATH_F_ESCAPE = 1 << 0,
	PKG_PATH_F_ABSOLUTE = 1 << 1,
	PKG_PATH_F_NUL = 1 << 2,
};

/* Records one problem (printf-style detail; path may be NULL). */
void pkg_problem(struct pkg_read *r, enum package_problem_kind kind, const char *path,
                 size_t path_len, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Cleans name[0..len) (see package.h) into a new string "prefix" + clean
 * name; prefix may be NULL. Sets *flags. Caller frees.
 */
char *pkg_path_clean(const char *prefix, const char *name, size_t len, unsigned *flags);

/* Reports what *flags says about name. */
void pkg_path_report(struct pkg_read *r, const char *name, size_t len, unsigned flags);

/* 1 when the symlink at path (clean, inside the package) with target leaves the package. */
int pkg_link_escapes(const char *path, const char *target, size_t target_len);

/*
 * Counts one entry against max_entries. Returns 0, or 1 when the limit was
 * reached (reported, read stopped).
 */
int pkg_count_entry(struct pkg_read *r);

/*
 * Checks a file of size bytes against max_entry and max_total before it is
 * read. Returns 0 to read it, 1 to skip it (reported), 2 to stop the read.
 */
int pkg_admit_file(struct pkg_read *r, const char *path, uint64_t size);

/*
 * Hands one file to the callback, or opens it when it is a nested archive
 * (by name and signature) and depth allows. Returns 0 or the callback's value.
 */
int pkg_deliver(struct pkg_read *r, const char *path, const unsigned char *data, size_t len,
                int depth);

/*
 * Walks one zip image (package_zip.c); prefix names it inside its parent or is
 * NULL. Returns 0 or the callback's value; *bad_zip is set (and nothing read)
 * when the image is not a zip libzip can open, with libzip's reason in why.
 */
int pkg_zip_walk(struct pkg_read *r, const void *zip, size_t len, const char *prefix, int depth,
                 int *bad_zip, char *why, size_t why_n);

/* Maps a whole file read-only (package_zip.c). Returns 0 or ERR_IO; *len 0 maps nothing. */
int pkg_map_file(const char *path, void **data, size_t *len, struct err *err);
void pkg_unmap_file(void *data, size_t len);

#endif
