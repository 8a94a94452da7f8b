/*
 * The parts of the package reader that do not depend on where the files come
 * from: limits, the report, path cleaning, nested archives (see package.h).
 */
#include "analyze/package.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "analyze/package_int.h"
#include "util/xmalloc.h"

void
package_limits_default(struct package_limits *l)
{
	l->max_total = (uint64_t)1 << 30;
	l->max_entry = (uint64_t)256 << 20;
	l->max_entries = 200000;
	l->max_ratio = 200;
	l->max_depth = 2;
	l->max_dir_depth = 64;
}

static const char *const problem_names[] = {
	[PKG_PATH_ESCAPE] = "path-escape",
	[PKG_ABSOLUTE_PATH] = "absolute-path",
	[PKG_BAD_NAME] = "bad-name",
	[PKG_TOO_MANY_ENTRIES] = "too-many-entries",
	[PKG_TOO_LARGE] = "too-large",
	[PKG_ENTRY_TOO_LARGE] = "entry-too-large",
	[PKG_RATIO] = "compression-ratio",
	[PKG_NESTED_TOO_DEEP] = "nested-too-deep",
	[PKG_CORRUPT_ENTRY] = "corrupt-entry",
	[PKG_CORRUPT_NESTED] = "corrupt-nested-archive",
	[PKG_SYMLINK_ESCAPE] = "symlink-escape",
	[PKG_ENCRYPTED] = "encrypted",
	[PKG_UNREADABLE] = "unreadable",
	[PKG_DIR_TOO_DEEP] = "folder-too-deep",
	[PKG_SPECIAL_FILE] = "special-file",
};

const char *
package_problem_name(enum package_problem_kind kind)
{
	if ((size_t)kind >= sizeof(problem_names) / sizeof(problem_names[0]) ||
	    !problem_names[kind])
		return "unknown";
	return problem_names[kind];
}

void
package_report_free(struct package_report *rep)
{
	if (!rep)
		return;
	free(rep->v);
	rep->v = NULL;
	rep->n = 0;
}

/* Copies a name into out with non-printable bytes as \xNN: a name is not text yet. */
static void
printable_copy(char *out, size_t n, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f || ch == '\\') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		} else {
			out[o++] = (char)ch;
		}
	}
	out[o] = '\0';
}

void
pkg_problem(struct pkg_read *r, enum package_problem_kind kind, const char *path, size_t path_len,
            const char *fmt, ...)
{
	struct package_report *rep = r->rep;
	struct package_problem *p;
	va_list ap;

	if (rep->n >= PACKAGE_PROBLEMS_MAX) {
		rep->dropped_problems++;
		return;
	}
	if (!(rep->n & (rep->n - 1))) /* grow at 0, 1, 2, 4, ... */
		rep->v = xrealloc(rep->v, (rep->n ? rep->n * 2 : 1) * sizeof(*rep->v));
	p = &rep->v[rep->n++];
	p->kind = kind;
	printable_copy(p->path, sizeof(p->path), path ? path : "", path ? path_len : 0);
	va_start(ap, fmt);
	vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
	va_end(ap);
}

static int
is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* Appends component c[0..n) to out (length *o), applying "." and "..". */
static void
push_component(char *out, size_t *o, size_t floor, const char *c, size_t n, unsigned *flags)
{
	if (!n || (n == 1 && c[0] == '.'))
		return;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		if (*o <= floor) {
			*flags |= PKG_PATH_F_ESCAPE;
			return;
		}
		while (*o > floor && out[*o - 1] != '/')
			(*o)--;
		if (*o > floor)
			(*o)--; /* the '/' before the dropped component */
		return;
	}
	if (*o > floor)
		out[(*o)++] = '/';
	memcpy(out + *o, c, n);
	*o += n;
}

char *
pkg_path_clean(const char *prefix, const char *name, size_t len, unsigned *flags)
{
	size_t plen = prefix ? strlen(prefix) : 0;
	char *out = xmalloc(plen + len + 1);
	size_t o = plen, i = 0, start;

	*flags = 0;
	if (plen)
		memcpy(out, prefix, plen);
	if (memchr(name, '\0', len)) {
		*flags |= PKG_PATH_F_NUL;
		len = strlen(name);
	}
	if (len >= 2 && name[1] == ':' &&
	    ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'))) {
		*flags |= PKG_PATH_F_ABSOLUTE;
		i = 2;
	}
	if (i < len && is_sep(name[i]))
		*flags |= PKG_PATH_F_ABSOLUTE;
	while (i < len) {
		while (i < len && is_sep(name[i]))
			i++;
		start = i;
		while (i < len && !is_sep(name[i]))
			i++;
		push_component(out, &o, plen, name + start, i - start, flags);
	}
	out[o] = '\0';
	return out;
}

void
pkg_path_report(struct pkg_read *r, const char *name, size_t len, unsigned flags)
{
	if (flags & PKG_PATH_F_NUL)
		pkg_problem(r, PKG_BAD_NAME, name, len, "name holds a NUL byte");
	if (flags & PKG_PATH_F_ABSOLUTE)
		pkg_problem(r, PKG_ABSOLUTE_PATH, name, len, "absolute name, read as relative");
	if (flags & PKG_PATH_F_ESCAPE)
		pkg_problem(r, PKG_PATH_ESCAPE, name, len, "'..' leaves the package, dropped");
}

int
pkg_link_escapes(const char *path, const char *target, size_t target_len)
{
	const char *bang = strstr(path, "!/");
	const char *base = bang ? bang + 2 : path;
	const char *slash = strrchr(base, '/');
	long level = 0;
	size_t i = 0, start;

	if (!target_len || is_sep(target[0]) ||
	    (target_len >= 2 && target[1] == ':' && !is_sep(target[0])))
		return 1;
	for (const char *p = base; slash && p < slash; p++) /* folders above the link */
		level += p == base || p[-1] == '/';
	while (i < target_len) {
		while (i < target_len && is_sep(target[i]))
			i++;
		start = i;
		while (i < target_len && !is_sep(target[i]))
			i++;
		if (i - start == 2 && target[start] == '.' && target[start + 1] == '.') {
			if (--level < 0)
				return 1;
		} else if (i - start && !(i - start == 1 && target[start] == '.')) {
			level++;
		}
	}
	return 0;
}

int
pkg_count_entry(struct pkg_read *r)
{
	if (r->rep->entries >= r->l->max_entries) {
		pkg_problem(r, PKG_TOO_MANY_ENTRIES, NULL, 0, "stopped after %zu entries",
		            r->l->max_entries);
		r->rep->incomplete = 1;
		r->stopped = 1;
		return 1;
	}
	r->rep->entries++;
	return 0;
}

int
pkg_admit_file(struct pkg_read *r, const char *path, uint64_t size)
{
	if (size > r->l->max_entry) {
		pkg_problem(r, PKG_ENTRY_TOO_LARGE, path, strlen(path),
		            "%llu bytes, over the %llu-byte limit: skipped",
		            (unsigned long long)size, (unsigned long long)r->l->max_entry);
		r->rep->skipped++;
		return 1;
	}
	if (r->rep->inflated >= r->l->max_total || size > r->l->max_total - r->rep->inflated) {
		pkg_problem(r, PKG_TOO_LARGE, path, strlen(path),
		            "%llu more bytes would pass the %llu-byte limit: stopped",
		            (unsigned long long)size, (unsigned long long)r->l->max_total);
		r->rep->incomplete = 1;
		r->stopped = 1;
		return 2;
	}
	return 0;
}

static int
is_archive_name(const char *path)
{
	static const char *const exts[] = { ".zip", ".jar", ".whl", ".egg" };
	size_t n = strlen(path);

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (n > 4 && !strcasecmp(path + n - 4, exts[i]))
			return 1;
	return 0;
}

static int
has_zip_signature(const unsigned char *d, size_t len)
{
	return len >= 4 && d[0] == 'P' && d[1] == 'K' &&
	       ((d[2] == 3 && d[3] == 4) || (d[2] == 5 && d[3] == 6));
}

static int
hand_over(struct pkg_read *r, const char *path, const unsigned char *data, size_t len, int depth)
{
	struct package_entry e = { .path = path, .data = data, .len = len, .depth = depth };

	r->rep->files++;
	r->rep->bytes += len;
	return r->fn ? r->fn(&e, r->ctx) : 0;
}

int
pkg_deliver(struct pkg_read *r, const char *path, const unsigned char *data, size_t len, int depth)
{
	char *prefix, why[128];
	size_t n;
	int rc, bad_zip = 0;

	if (!is_archive_name(path) || !has_zip_signature(data, len))
		return hand_over(r, path, data, len, depth);
	if (depth >= r->l->max_depth) {
		pkg_problem(r, PKG_NESTED_TOO_DEEP, path, strlen(path),
		            "archive nested %d deep, read as a plain file", depth + 1);
		return hand_over(r, path, data, len, depth);
	}
	n = strlen(path);
	prefix = xmalloc(n + 3);
	memcpy(prefix, path, n);
	memcpy(prefix + n, "!/", 3);
	rc = pkg_zip_walk(r, data, len, prefix, depth + 1, &bad_zip, why, sizeof(why));
	free(prefix);
	if (bad_zip) {
		pkg_problem(r, PKG_CORRUPT_NESTED, path, n, "%s: read as a plain file", why);
		return hand_over(r, path, data, len, depth);
	}
	return rc;
}

static int
read_single_file(struct pkg_read *r, const char *name, const unsigned char *data, size_t len)
{
	if (pkg_count_entry(r) || pkg_admit_file(r, name, len))
		return 0;
	r->rep->inflated += len;
	return pkg_deliver(r, name, data, len, 0);
}

int
package_read_path(const char *path, const struct package_limits *l, package_entry_fn *fn, void *ctx,
                  struct package_report *rep, struct err *err)
{
	struct package_limits dflt;
	struct pkg_read r = { .l = l, .fn = fn, .ctx = ctx, .rep = rep, .err = err };
	struct stat st;
	const char *base = strrchr(path, '/');
	void *data;
	size_t len;
	int rc;

	if (stat(path, &st))
		return err_set(err, ERR_IO, "cannot read '%s'", path);
	if (S_ISDIR(st.st_mode))
		return package_read_dir(path, l, fn, ctx, rep, err);
	rc = pkg_map_file(path, &data, &len, err);
	if (rc)
		return rc;
	if (has_zip_signature(data, len)) {
		rc = package_read_zip_mem(data, len, l, fn, ctx, rep, err);
	} else { /* one plain file is a package of one file */
		if (!l) {
			package_limits_default(&dflt);
			r.l = &dflt;
		}
		rc = read_single_file(&r, base ? base + 1 : path, data, len);
	}
	pkg_unmap_file(data, len);
	return rc;
}
