/*
 * What the dependency readers share (deps.c): a line reader, notes, and the
 * one test of a registry version. One reader per lock format, each in the
 * file of its ecosystem.
 */
#ifndef SHEARS_ANALYZE_DEPS_INT_H
#define SHEARS_ANALYZE_DEPS_INT_H

#include <stddef.h>

#include "analyze/deps.h"

/* Lines of a text without copying: each without its "\n" or "\r\n". */
struct lines {
	const char *p, *end;
};

void lines_init(struct lines *it, const void *data, size_t len);

/* The next line into *s, *n; returns 0 at the end. */
int lines_next(struct lines *it, const char **s, size_t *n);

/* Leading spaces of a line. */
size_t indent_of(const char *s, size_t n);

/* Strips spaces and tabs on both sides. */
void trim(const char **s, size_t *n);

/* Strips one pair of matching '"' or '\'' quotes. */
void unquote(const char **s, size_t *n);

/* 1 when s[0..n) starts with prefix. */
int starts_with(const char *s, size_t n, const char *prefix);

/* A version a registry serves: starts with a digit (not file:, git+, workspace:, ...). */
int is_registry_version(const char *v, size_t n);

/* Adds "source: message" to d's notes. */
void deps_note(struct deps *d, const char *source, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* The readers: each reads one whole file; path is the source to record. */
void deps_npm_lock(struct deps *d, const char *path, const void *data, size_t len);
void deps_npm_package_json(struct deps *d, const char *path, const void *data, size_t len);
void deps_yarn_lock(struct deps *d, const char *path, const void *data, size_t len);
void deps_pnpm_lock(struct deps *d, const char *path, const void *data, size_t len);
void deps_requirements(struct deps *d, const char *path, const void *data, size_t len);
void deps_pipfile_lock(struct deps *d, const char *path, const void *data, size_t len);
void deps_poetry_lock(struct deps *d, const char *path, const void *data, size_t len);
void deps_py_metadata(struct deps *d, const char *path, const void *data, size_t len);

/* "name-1.2.3.dist-info" (folder name, len bytes) as a PyPI dependency. */
void deps_py_dist_info_name(struct deps *d, const char *folder, size_t len, const char *source);

#endif
