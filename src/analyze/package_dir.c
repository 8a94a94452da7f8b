/*
 * Folders as packages: a walk with *at() calls relative to the open parent,
 * lstat semantics (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW), so no symlink is ever
 * followed and nothing outside the folder is opened, even if the tree
 * changes under the walk. Names are visited sorted, for stable reports.
 */
#define _GNU_SOURCE /* O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC on older libcs */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/package.h"
#include "analyze/package_int.h"
#include "util/xmalloc.h"

#define LINK_TARGET_MAX 4096

struct dir_walk {
	struct pkg_read *r;
	unsigned char *buf; /* reused for every file */
	size_t cap;
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of d but "." and "..", sorted. Caller frees each and the array. */
static char **
list_names(DIR *d, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	struct dirent *de;

	*n = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = xstrdup(de->d_name);
	}
	qsort(v, *n, sizeof(*v), name_cmp);
	return v;
}

static char *
join(const char *rel, const char *name)
{
	size_t a = rel ? strlen(rel) : 0, b = strlen(name);
	char *p = xmalloc(a + b + 2);

	if (a) {
		memcpy(p, rel, a);
		p[a++] = '/';
	}
	memcpy(p + a, name, b + 1);
	return p;
}

static void
check_link(struct dir_walk *w, int dfd, const char *name, const char *path)
{
	char target[LINK_TARGET_MAX];
	ssize_t n = readlinkat(dfd, name, target, sizeof(target));

	if (n < 0)
		return;
	if (pkg_link_escapes(path, target, (size_t)n))
		pkg_problem(w->r, PKG_SYMLINK_ESCAPE, path, strlen(path), "-> %.*s", (int)n,
		            target);
}

/* Reads one regular file of the size lstat saw (it may have changed since: trust the read). */
static int
read_file(struct dir_walk *w, int dfd, const char *name, const char *path, uint64_t size)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	size_t got = 0;
	ssize_t n = 0;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		pkg_problem(w->r, PKG_UNREADABLE, path, strlen(path), "%s",
		            fd < 0 ? strerror(errno) : "no longer a regular file");
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (size + 1 > w->cap) {
		free(w->buf);
		w->cap = size + 1;
		w->buf = xmalloc(w->cap);
	}
	while (got < size && (n = read(fd, w->buf + got, size - got)) > 0)
		got += (size_t)n;
	close(fd);
	w->r->rep->inflated += got;
	if (n < 0) {
		pkg_problem(w->r, PKG_UNREADABLE, path, strlen(path), "%s", strerror(errno));
		return 0;
	}
	return pkg_deliver(w->r, path, w->buf, got, 0);
}

static int walk_dir(struct dir_walk *w, int dfd, const char *rel, int level);

static int
walk_name(struct dir_walk *w, int dfd, const char *name, const char *path, int level)
{
	struct stat st;
	int fd;

	if (pkg_count_entry(w->r))
		return 0;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		pkg_problem(w->r, PKG_UNREADABLE, path, strlen(path), "%s", strerror(errno));
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		check_link(w, dfd, name, path);
	} else if (S_ISDIR(st.st_mode)) {
		if (level + 1 > w->r->l->max_dir_depth) {
			pkg_problem(w->r, PKG_DIR_TOO_DEEP, path, strlen(path),
			            "more than %d folders deep: not entered",
			            w->r->l->max_dir_depth);
			return 0;
		}
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			pkg_problem(w->r, PKG_UNREADABLE, path, strlen(path), "%s",
			            strerror(errno));
			return 0;
		}
		return walk_dir(w, fd, path, level + 1);
	} else if (S_ISREG(st.st_mode)) {
		if (!pkg_admit_file(w->r, path, (uint64_t)st.st_size))
			return read_file(w, dfd, name, path, (uint64_t)st.st_size);
	} else {
		pkg_problem(w->r, PKG_SPECIAL_FILE, path, strlen(path),
		            "not a regular file: skipped");
	}
	return 0;
}

/* Takes ownership of dfd. */
static int
walk_dir(struct dir_walk *w, int dfd, const char *rel, int level)
{
	DIR *d = fdopendir(dfd);
	char **names, *path;
	size_t n;
	int rc = 0;

	if (!d) {
		pkg_problem(w->r, PKG_UNREADABLE, rel, rel ? strlen(rel) : 0, "%s",
		            strerror(errno));
		close(dfd);
		return 0;
	}
	names = list_names(d, &n);
	for (size_t i = 0; i < n; i++) {
		if (!rc && !w->r->stopped) {
			path = join(rel, names[i]);
			rc = walk_name(w, dirfd(d), names[i], path, level);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	closedir(d);
	return rc;
}

int
package_read_dir(const char *dir, const struct package_limits *l, package_entry_fn *fn, void *ctx,
                 struct package_report *rep, struct err *err)
{
	struct package_limits dflt;
	struct pkg_read r = { .l = l, .fn = fn, .ctx = ctx, .rep = rep, .err = err };
	struct dir_walk w = { .r = &r };
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return err_set(err, ERR_IO, "cannot open folder '%s': %s", dir, strerror(errno));
	if (!l) {
		package_limits_default(&dflt);
		r.l = &dflt;
	}
	rc = walk_dir(&w, fd, NULL, 0);
	free(w.buf);
	return rc;
}
