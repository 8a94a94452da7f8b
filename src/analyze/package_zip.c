/*
 * Zip packages through libzip, read from memory: an entry is inflated into
 * one reused buffer, checked against the limits before (declared sizes) and
 * while (actual bytes) it is read, then handed over (see package.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "analyze/package.h"
#include "analyze/package_int.h"
#include "util/xmalloc.h"

#define LINK_TARGET_MAX 4096

struct zip_walk {
	struct pkg_read *r;
	zip_t *za;
	const unsigned char *image; /* the zip bytes, for what libzip does not tell */
	size_t image_len;
	size_t cd_next; /* offset of the next central record, 0 when unknown */
	const char *prefix;
	int depth;
	unsigned char *buf; /* reused for every entry of this archive */
	size_t cap;
};

/*
 * Inflates entry i (declared size bytes) into w->buf. Returns the length, or
 * -1 after reporting a corrupt entry. Reading stops one byte past the declared
 * size: an entry longer than it says is a lie, and lies are not read on.
 */
static long long
inflate_entry(struct zip_walk *w, zip_uint64_t i, const char *path, uint64_t size)
{
	zip_file_t *zf;
	uint64_t got = 0;
	zip_int64_t n = 0;

	if (size + 1 > w->cap) {
		free(w->buf);
		w->cap = size + 1;
		w->buf = xmalloc(w->cap);
	}
	zf = zip_fopen_index(w->za, i, 0);
	if (!zf) {
		pkg_problem(w->r, PKG_CORRUPT_ENTRY, path, strlen(path), "%s",
		            zip_error_strerror(zip_get_error(w->za)));
		return -1;
	}
	while (got <= size && (n = zip_fread(zf, w->buf + got, size + 1 - got)) > 0)
		got += (uint64_t)n;
	if (n < 0)
		pkg_problem(w->r, PKG_CORRUPT_ENTRY, path, strlen(path), "%s",
		            zip_error_strerror(zip_file_get_error(zf)));
	else if (got != size)
		pkg_problem(w->r, PKG_CORRUPT_ENTRY, path, strlen(path),
		            "inflates to %s than the %llu bytes declared",
		            got > size ? "more" : "less", (unsigned long long)size);
	zip_fclose(zf);
	w->r->rep->inflated += got;
	return n < 0 || got != size ? -1 : (long long)got;
}

/* A symlink entry: its data is the target. Never followed; reported when it points out. */
static void
check_link(struct zip_walk *w, zip_uint64_t i, const char *path, uint64_t size)
{
	long long n;

	if (size > LINK_TARGET_MAX) {
		pkg_problem(w->r, PKG_SYMLINK_ESCAPE, path, strlen(path),
		            "link target of %llu bytes", (unsigned long long)size);
		return;
	}
	n = inflate_entry(w, i, path, size);
	if (n >= 0 && pkg_link_escapes(path, (const char *)w->buf, (size_t)n))
		pkg_problem(w->r, PKG_SYMLINK_ESCAPE, path, strlen(path), "-> %.*s", (int)n,
		            (const char *)w->buf);
}

static int
is_symlink(zip_t *za, zip_uint64_t i)
{
	zip_uint8_t opsys;
	zip_uint32_t attr;

	if (zip_file_get_external_attributes(za, i, 0, &opsys, &attr))
		return 0;
	return opsys == ZIP_OPSYS_UNIX && ((attr >> 16) & S_IFMT) == S_IFLNK;
}

/* Declared-size checks: returns 0 to read the entry, 1 to skip it, 2 to stop. */
static int
admit_entry(struct zip_walk *w, const zip_stat_t *st, const char *path)
{
	struct pkg_read *r = w->r;
	uint64_t ratio_limit = (uint64_t)st->comp_size * r->l->max_ratio;

	if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) && st->encryption_method != ZIP_EM_NONE) {
		pkg_problem(r, PKG_ENCRYPTED, path, strlen(path), "encrypted entry skipped");
		r->rep->skipped++;
		return 1;
	}
	if (!(st->valid & ZIP_STAT_SIZE) || !(st->valid & ZIP_STAT_COMP_SIZE)) {
		pkg_problem(r, PKG_CORRUPT_ENTRY, path, strlen(path), "no declared size");
		r->rep->skipped++;
		return 1;
	}
	if (st->size > PKG_RATIO_FLOOR && st->size > ratio_limit) {
		pkg_problem(r, PKG_RATIO, path, strlen(path),
		            "%llu bytes from %llu compressed, over %u:1: skipped",
		            (unsigned long long)st->size, (unsigned long long)st->comp_size,
		            r->l->max_ratio);
		r->rep->skipped++;
		return 1;
	}
	return pkg_admit_file(r, path, st->size);
}

static uint32_t
le(const unsigned char *p, int n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/*
 * Finds the central directory in the image (end record in the last 64 KiB +
 * 22 bytes). Zip64 directories are left alone: cd_next stays 0.
 */
static void
find_central_dir(struct zip_walk *w)
{
	const unsigned char *z = w->image;
	size_t len = w->image_len, lo = len > 65557 ? len - 65557 : 0;
	uint32_t off;

	for (size_t i = len >= 22 ? len - 22 + 1 : 0; i-- > lo;) {
		if (z[i] == 'P' && z[i + 1] == 'K' && z[i + 2] == 5 && z[i + 3] == 6) {
			off = le(z + i + 16, 4);
			w->cd_next = off != 0xffffffffu && (size_t)off + 46 <= len ? off : 0;
			return;
		}
	}
}

/*
 * libzip shows a NUL in a name as a space, so an extractor's cut
 * ("safe.txt\0evil.sh") cannot fool us; the raw central record still tells
 * whether there was one, to report it. Records come in libzip's index order.
 */
static int
raw_name_has_nul(struct zip_walk *w)
{
	const unsigned char *rec = w->image + w->cd_next;
	size_t name_len, next;

	if (!w->cd_next || w->cd_next + 46 > w->image_len || le(rec, 4) != 0x02014b50) {
		w->cd_next = 0;
		return 0;
	}
	name_len = le(rec + 28, 2);
	next = w->cd_next + 46 + name_len + le(rec + 30, 2) + le(rec + 32, 2);
	w->cd_next = next + 46 <= w->image_len ? next : 0;
	return 46 + name_len <= w->image_len - (size_t)(rec - w->image) &&
	       memchr(rec + 46, '\0', name_len) != NULL;
}

static int
walk_entry(struct zip_walk *w, zip_uint64_t i)
{
	zip_stat_t st;
	const char *name;
	char *path;
	unsigned flags;
	long long n;
	int rc = 0;

	int nul = raw_name_has_nul(w);

	if (pkg_count_entry(w->r))
		return 0;
	zip_stat_init(&st);
	name = zip_get_name(w->za, i, 0);
	if (!name || zip_stat_index(w->za, i, 0, &st)) {
		pkg_problem(w->r, PKG_CORRUPT_ENTRY, name, name ? strlen(name) : 0, "%s",
		            zip_error_strerror(zip_get_error(w->za)));
		return 0;
	}
	if (!*name || name[strlen(name) - 1] == '/')
		return 0; /* a folder */
	path = pkg_path_clean(w->prefix, name, strlen(name), &flags);
	pkg_path_report(w->r, name, strlen(name), flags | (nul ? PKG_PATH_F_NUL : 0));
	if (is_symlink(w->za, i)) {
		if ((st.valid & ZIP_STAT_SIZE))
			check_link(w, i, path, st.size);
	} else if (!admit_entry(w, &st, path)) {
		n = inflate_entry(w, i, path, st.size);
		if (n >= 0)
			rc = pkg_deliver(w->r, path, w->buf, (size_t)n, w->depth);
		else
			w->r->rep->skipped++;
	}
	free(path);
	return rc;
}

int
pkg_zip_walk(struct pkg_read *r, const void *zip, size_t len, const char *prefix, int depth,
             int *bad_zip, char *why, size_t why_n)
{
	struct zip_walk w = {
		.r = r, .image = zip, .image_len = len, .prefix = prefix, .depth = depth
	};
	zip_error_t zerr;
	zip_source_t *src;
	zip_int64_t n;
	int rc = 0;

	*bad_zip = 0;
	zip_error_init(&zerr);
	src = zip_source_buffer_create(zip, len, 0, &zerr);
	if (src)
		w.za = zip_open_from_source(src, ZIP_RDONLY, &zerr);
	if (!w.za) {
		*bad_zip = 1;
		snprintf(why, why_n, "%s", zip_error_strerror(&zerr));
		zip_source_free(src); /* NULL-safe; libzip keeps src only on success */
		zip_error_fini(&zerr);
		return 0;
	}
	zip_error_fini(&zerr);
	find_central_dir(&w);
	n = zip_get_num_entries(w.za, 0);
	for (zip_int64_t i = 0; i < n && !rc && !r->stopped; i++)
		rc = walk_entry(&w, (zip_uint64_t)i);
	zip_discard(w.za);
	free(w.buf);
	return rc;
}

int
package_read_zip_mem(const void *zip, size_t len, const struct package_limits *l,
                     package_entry_fn *fn, void *ctx, struct package_report *rep, struct err *err)
{
	struct package_limits dflt;
	struct pkg_read r = { .l = l, .fn = fn, .ctx = ctx, .rep = rep, .err = err };
	char why[128];
	int bad_zip, rc;

	if (!l) {
		package_limits_default(&dflt);
		r.l = &dflt;
	}
	if (len < 22) /* libzip takes an empty input for an empty archive */
		return err_set(err, ERR_PARSE, "not a readable zip: %zu bytes", len);
	rc = pkg_zip_walk(&r, zip, len, NULL, 0, &bad_zip, why, sizeof(why));
	if (bad_zip)
		return err_set(err, ERR_PARSE, "not a readable zip: %s", why);
	return rc;
}

int
pkg_map_file(const char *path, void **data, size_t *len, struct err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*data = NULL;
	*len = 0;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return err_set(err, ERR_IO, "cannot read '%s': %s", path,
		               fd < 0 ? strerror(errno) : "not a regular file");
	}
	if (st.st_size > 0) {
		*data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (*data == MAP_FAILED) {
			*data = NULL;
			close(fd);
			return err_set(err, ERR_IO, "cannot map '%s': %s", path, strerror(errno));
		}
		*len = (size_t)st.st_size;
	}
	close(fd);
	return 0;
}

void
pkg_unmap_file(void *data, size_t len)
{
	if (data && len)
		munmap(data, len);
}

int
package_read_zip_file(const char *path, const struct package_limits *l, package_entry_fn *fn,
                      void *ctx, struct package_report *rep, struct err *err)
{
	void *data;
	size_t len;
	int rc = pkg_map_file(path, &data, &len, err);

	if (rc)
		return rc;
	rc = package_read_zip_mem(data ? data : "", len, l, fn, ctx, rep, err);
	pkg_unmap_file(data, len);
	return rc;
}
