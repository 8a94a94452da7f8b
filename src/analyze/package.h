/*
 * The code package reader: Lambda code packages and layers (zip files, in
 * memory or on disk) and folders given to `shears check PATH`, read as
 * hostile input. Nothing is ever written: each file is read into memory, one
 * at a time, and handed to a callback, so the secrets scanner and the
 * dependency reader see every file once.
 *
 * Limits (struct package_limits) bound the work a hostile package can cause:
 *   - total inflated bytes, counted as they come out of the inflater, not as
 *     declared (declared sizes lie): past max_total reading stops;
 *   - one file's size: larger files are skipped and reported;
 *   - the number of entries, over all nesting levels: past it reading stops;
 *   - the compression ratio of one entry larger than 1 MiB: a bomb is skipped;
 *   - the depth of archives inside archives (.zip .jar .whl .egg): an
 *     archive nested deeper is delivered as a plain file and reported.
 * An entry inflating to more bytes than its header declares is cut at the
 * declared size and reported (PKG_CORRUPT_ENTRY).
 *
 * Paths handed to the callback are normalised: '/' separators (a backslash
 * counts as one), no "." or empty components, no leading '/' or drive
 * letter, ".." resolved. A name that escapes ("../x"), is absolute ("/x",
 * "C:\x") or holds a NUL is reported and its entry still delivered, under
 * the cleaned path, so a hostile name cannot hide content from the scanners
 * (libzip reads a NUL in a name as a space: names are never cut at one).
 * Files inside a nested archive are named "outer.zip!/inner/file".
 *
 * Directory entries and symlinks are not delivered. A symlink (a zip entry
 * whose unix mode says S_IFLNK, or a link met in a folder walk) is never
 * followed; it is reported when its target points outside the package.
 * Encrypted entries are reported and skipped.
 */
#ifndef SHEARS_ANALYZE_PACKAGE_H
#define SHEARS_ANALYZE_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct package_limits {
	uint64_t max_total; /* inflated bytes over the package, default 1 GiB */
	uint64_t max_entry; /* one file, default 256 MiB; larger ones are skipped */
	size_t max_entries; /* files, links and folders seen, default 200,000 */
	unsigned max_ratio; /* inflated:compressed for an entry over 1 MiB, default 200 */
	int max_depth;      /* archives inside archives, default 2 */
	int max_dir_depth;  /* folder levels in a folder walk, default 64 */
};

/* Fills the defaults above. */
void package_limits_default(struct package_limits *l);

struct package_entry {
	const char *path;          /* normalised, inside the package (see above) */
	const unsigned char *data; /* the whole file, borrowed for the callback only */
	size_t len;
	int depth; /* 0 for the package itself, 1 inside a nested archive, ... */
};

/* Called once per file; a non-zero return stops the read and is returned. */
typedef int package_entry_fn(const struct package_entry *e, void *ctx);

enum package_problem_kind {
	PKG_PATH_ESCAPE,      /* "../" leaves the package */
	PKG_ABSOLUTE_PATH,    /* "/x" or "C:\x" */
	PKG_BAD_NAME,         /* NUL or control bytes in a name */
	PKG_TOO_MANY_ENTRIES, /* reading stopped at max_entries */
	PKG_TOO_LARGE,        /* reading stopped at max_total */
	PKG_ENTRY_TOO_LARGE,  /* one file over max_entry: skipped */
	PKG_RATIO,            /* compression ratio over max_ratio: skipped */
	PKG_NESTED_TOO_DEEP,  /* archive past max_depth: delivered unopened */
	PKG_CORRUPT_ENTRY,    /* cannot be inflated, bad CRC, or longer than declared */
	PKG_CORRUPT_NESTED,   /* a nested archive that is not a readable zip */
	PKG_SYMLINK_ESCAPE,   /* a symlink whose target is outside the package */
	PKG_ENCRYPTED,        /* skipped */
	PKG_UNREADABLE,       /* a file or folder of a folder walk that cannot be read */
	PKG_DIR_TOO_DEEP,     /* a folder past max_dir_depth: not entered */
	PKG_SPECIAL_FILE,     /* a fifo, socket or device in a folder walk: skipped */
};

#define PACKAGE_PATH_MAX     512
#define PACKAGE_DETAIL_MAX   160
#define PACKAGE_PROBLEMS_MAX 1000 /* more are counted in dropped_problems only */

struct package_problem {
	enum package_problem_kind kind;
	char path[PACKAGE_PATH_MAX];     /* the path as given, made printable, may be cut */
	char detail[PACKAGE_DETAIL_MAX]; /* "declared 3 GiB", "-> ../../etc/passwd", ... */
};

struct package_report {
	struct package_problem *v; /* owned */
	size_t n;
	size_t dropped_problems; /* problems past PACKAGE_PROBLEMS_MAX */
	uint64_t files;          /* files delivered to the callback */
	uint64_t bytes;          /* bytes delivered */
	uint64_t inflated;       /* bytes read, delivered or not (what max_total bounds) */
	size_t entries;          /* entries seen, over all nesting levels */
	size_t skipped;          /* files not delivered: encrypted, too large, bombs */
	int incomplete;          /* 1 when a package-wide limit stopped the read */
};

/*
 * Each reader calls fn for every file and fills rep (zero it first, or reuse
 * one: problems and counts add up). l NULL means the defaults. Returns 0
 * (problems, if any, are in rep), fn's non-zero value when fn stopped the
 * read, or an err_code with err filled: ERR_PARSE when the input is not a
 * readable zip at all, ERR_IO when a path cannot be opened.
 */
int package_read_zip_mem(const void *zip, size_t len, const struct package_limits *l,
                         package_entry_fn *fn, void *ctx, struct package_report *rep,
                         struct err *err);
int package_read_zip_file(const char *path, const struct package_limits *l, package_entry_fn *fn,
                          void *ctx, struct package_report *rep, struct err *err);

/* Walks dir with lstat: symlinks are never followed, nothing outside dir is read. */
int package_read_dir(const char *dir, const struct package_limits *l, package_entry_fn *fn,
                     void *ctx, struct package_report *rep, struct err *err);

/* A folder, or a file read as a zip when it starts with a zip signature. */
int package_read_path(const char *path, const struct package_limits *l, package_entry_fn *fn,
                      void *ctx, struct package_report *rep, struct err *err);

/* "path-escape", "too-large", ... for reports. */
const char *package_problem_name(enum package_problem_kind kind);

/* Frees the problems; the report can be reused after zeroing. Safe twice. */
void package_report_free(struct package_report *rep);

#endif
