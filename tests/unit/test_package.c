/*
 * The package reader (analyze/package.h): zips are built at test time with
 * libzip, then patched where a hostile zip lies (sizes, names); folders are
 * made under a temporary directory. One test per promise of the header.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "analyze/package.h"
#include "testutil.h"
#include "util/xmalloc.h"

/* ---- building zips ---- */

struct zentry {
	const char *name;
	const void *data;
	size_t len;    /* 0 with data: strlen(data) */
	unsigned mode; /* non-zero: unix mode in the external attributes */
	int encrypt;   /* traditional PKWARE with password "pw" */
	int store;     /* no compression */
};

static unsigned char *
zip_build(const struct zentry *e, size_t n, size_t *out_len)
{
	zip_error_t ze;
	zip_source_t *src, *fs;
	zip_t *za;
	zip_int64_t idx, size;
	unsigned char *out;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (size_t i = 0; i < n; i++) {
		size_t len = e[i].len ? e[i].len : (e[i].data ? strlen(e[i].data) : 0);

		fs = zip_source_buffer(za, e[i].data, len, 0);
		assert_non_null(fs);
		idx = zip_file_add(za, e[i].name, fs, ZIP_FL_ENC_RAW);
		assert_true(idx >= 0);
		if (e[i].mode)
			assert_int_equal(zip_file_set_external_attributes(
			                         za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
			                         (zip_uint32_t)e[i].mode << 16),
			                 0);
		if (e[i].store)
			zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
		if (e[i].encrypt)
			assert_int_equal(zip_file_set_encryption(za, (zip_uint64_t)idx,
			                                         ZIP_EM_TRAD_PKWARE, "pw"),
			                 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_open(src), 0);
	zip_source_seek(src, 0, SEEK_END);
	size = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	out = xmalloc((size_t)size + 1);
	assert_int_equal(zip_source_read(src, out, (zip_uint64_t)size), size);
	zip_source_close(src);
	zip_source_free(src);
	*out_len = (size_t)size;
	return out;
}

/* Offsets of the name in the local and central headers of the first entry called name. */
static void
zip_find_name(unsigned char *z, size_t len, const char *name, size_t *local, size_t *central)
{
	size_t n = strlen(name);

	*local = *central = 0;
	for (size_t i = 0; i + 46 + n <= len; i++) {
		if (z[i] != 'P' || z[i + 1] != 'K')
			continue;
		if (z[i + 2] == 3 && z[i + 3] == 4 && !memcmp(z + i + 30, name, n) && !*local)
			*local = i;
		if (z[i + 2] == 1 && z[i + 3] == 2 && !memcmp(z + i + 46, name, n) && !*central)
			*central = i;
	}
	assert_true(*central > 0 || *local == 0);
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* ---- collecting what the reader delivers ---- */

struct seen {
	char paths[64][256];
	size_t lens[64];
	unsigned char first[64];
	size_t n;
	int stop_at; /* stop (return 7) when this many were seen; 0 never */
};

static int
collect(const struct package_entry *e, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 64) {
		snprintf(s->paths[s->n], sizeof(s->paths[0]), "%s", e->path);
		s->lens[s->n] = e->len;
		s->first[s->n] = e->len ? e->data[0] : 0;
	}
	s->n++;
	return s->stop_at && s->n == (size_t)s->stop_at ? 7 : 0;
}

static int
seen_has(const struct seen *s, const char *path)
{
	for (size_t i = 0; i < s->n && i < 64; i++)
		if (!strcmp(s->paths[i], path))
			return 1;
	return 0;
}

static int
problems_of(const struct package_report *rep, enum package_problem_kind kind)
{
	int n = 0;

	for (size_t i = 0; i < rep->n; i++)
		n += rep->v[i].kind == kind;
	return n;
}

static int
read_zip(const unsigned char *z, size_t len, const struct package_limits *l, struct seen *s,
         struct package_report *rep)
{
	struct err err = { 0 };

	memset(rep, 0, sizeof(*rep));
	return package_read_zip_mem(z, len, l, collect, s, rep, &err);
}

/* ---- zip tests ---- */

static void
test_zip_delivers_every_file_once_with_clean_paths(void **state)
{
	const struct zentry e[] = {
		{ .name = "index.js", .data = "exports.handler = 1;" },
		{ .name = "lib/", .data = NULL },
		{ .name = "./lib//util.js", .data = "u" },
		{ .name = "node_modules/x/package.json", .data = "{}" },
	};
	struct seen s = { 0 };
	struct package_report rep;
	size_t len;
	unsigned char *z = zip_build(e, 4, &len);

	(void)state;
	assert_int_equal(read_zip(z, len, NULL, &s, &rep), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.paths[0], "index.js");
	assert_int_equal(s.lens[0], 20);
	assert_int_equal(s.first[0], 'e');
	assert_string_equal(s.paths[1], "lib/util.js");
	assert_string_equal(s.paths[2], "node_modules/x/package.json");
	assert_int_equal(rep.n, 0);
	assert_int_equal(rep.files, 3);
	assert_int_equal(rep.bytes, 23);
	assert_int_equal(rep.entries, 4);
	assert_false(rep.incomplete);
	package_report_free(&rep);
	free(z);
}

static void
test_zip_reports_escaping_and_absolute_names_and_delivers_them_inside(void **state)
{
	const struct zentry e[] = {
		{ .name = "../../etc/passwd", .data = "a" },
		{ .name = "/abs/x", .data = "b" },
		{ .name = "C:\\win\\y", .data = "c" },
		{ .name = "a\\..\\..\\z", .data = "d" },
		{ .name = "ok/../fine", .data = "e" },
	};
	struct seen s = { 0 };
	struct package_report rep;
	size_t len;
	unsigned char *z = zip_build(e, 5, &len);

	(void)state;
	assert_int_equal(read_zip(z, len, NULL, &s, &rep), 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.paths[0], "etc/passwd");
	assert_string_equal(s.paths[1], "abs/x");
	assert_string_equal(s.paths[2], "win/y");
	assert_string_equal(s.paths[3], "z");
	assert_string_equal(s.paths[4], "fine");
	assert_int_equal(problems_of(&rep, PKG_PATH_ESCAPE), 2);
	assert_int_equal(problems_of(&rep, PKG_ABSOLUTE_PATH), 2);
	assert_int_equal(rep.n, 4);
	assert_string_equal(rep.v[0].path, "../../etc/passwd");
	assert_string_equal(rep.v[2].path, "C:\\x5cwin\\x5cy");
	assert_string_equal(package_problem_name(rep.v[0].kind), "path-escape");
	package_report_free(&rep);
	free(z);
}

static void
test_zip_reports_nul_in_name(void **state)
{
	const struct zentry e[] = { { .name = "safe.txtXevil.sh", .data = "x" } };
	struct seen s = { 0 };
	struct package_report rep;
	size_t len, loc, cen;
	unsigned char *z = zip_build(e, 1, &len);
	int rc;

	(void)state;
	zip_find_name(z, len, "safe.txtXevil.sh", &loc, &cen);
	z[loc + 30 + 8] = '\0';
	z[cen + 46 + 8] = '\0';
	rc = read_zip(z, len, NULL, &s, &rep);
	/* libzip reads the NUL as a space: the name is not cut at it, and it is reported */
	assert_int_equal(rc, 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "safe.txt evil.sh");
	assert_int_equal(problems_of(&rep, PKG_BAD_NAME), 1);
	package_report_free(&rep);
	free(z);
}

static void
test_zip_skips_and_reports_an_entry_over_max_entry(void **state)
{
	static char big[5000];
	const struct zentry e[] = {
		{ .name = "big.bin", .data = big, .len = sizeof(big) },
		{ .name = "small.txt", .data = "s" },
	};
	struct package_limits l;
	struct seen s = { 0 };
	struct package_report rep;
	size_t len;
	unsigned char *z = zip_build(e, 2, &len);

	(void)state;
	package_limits_default(&l);
	l.max_entry = 4096;
	assert_int_equal(read_zip(z, len, &l, &s, &rep), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "small.txt");
	assert_int_equal(problems_of(&rep, PKG_ENTRY_TOO_LARGE), 1);
	assert_string_equal(rep.v[0].path, "big.bin");
	assert_int_equal(rep.skipped, 1);
	assert_false(rep.incomplete);
	package_report_free(&rep);
	free(z);
}

static void
test_zip_skips_a_compression_bomb_by_ratio(void **state)
{
	size_t big_len = (size_t)4 << 20, len;
	char *zeros = xcalloc(1, big_len);
	const struct zentry e[] = {
		{ .name = "bomb.bin", .data = zeros, .len = big_len },
		{ .name = "a.txt", .data = "a" },
	};
	struct package_limits l;
	struct seen s = { 0 };
	struct package_report rep;
	unsigned char *z = zip_build(e, 2, &len);

	(void)state;
	assert_int_equal(read_zip(z, len, NULL, &s, &rep), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "a.txt");
	assert_int_equal(problems_of(&rep, PKG_RATIO), 1);
	assert_true(rep.inflated < 1024); /* the bomb was never inflated */
	package_report_free(&rep);

	package_limits_default(&l);
	l.max_ratio = 100000; /* the same entry passes a looser limit */
	memset(&s, 0, sizeof(s));
	assert_int_equal(read_zip(z, len, &l, &s, &rep), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.lens[0], big_len);
	package_report_free(&rep);
	free(zeros);
	free(z);
}

static void
test_zip_stops_at_max_total_counting_inflated_bytes(void **state)
{
	static char k[1000];
	const struct zentry e[] = {
		{ .name = "1", .data = k, .len = sizeof(k) },
		{ .name = "2", .data = k, .len = sizeof(k) },
		{ .name = "3", .data = k, .len = sizeof(k) },
	};
	struct package_limits l;
	struct seen s = { 0 };
	struct package_report rep;
	size_t len;
	unsigned char *z = zip_build(e, 3, &len);

	(void)state;
	package_limits_default(&l);
	l.max_total = 2500;
	assert_int_equal(read_zip(z, len, &l, &s, &rep), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(problems_of(&rep, PKG_TOO_LARGE), 1);
	assert_true(rep.incomplete);
	assert_int_equal(rep.inflated, 2000);
	package_report_free(&rep);
	free(z);
}

static void
test_zip_stops_at_max_entries(void **state)
{
	const struct zentry e[] = {
		{ .name = "a", .data = "1" }, { .name = "b", .data = "2" },
		{ .name = "c", .data = "3" }, { .name = "d", .data = "4" },
		{ .name = "e", .data = "5" },
	};
	struct package_limits l;
	struct seen s = { 0 };
	struct package_report rep;
	size_t len;
	unsigned char *z = zip_build(e, 5, &len);

	(void)state;
	package_limits_default(&l);
	l.max_entries = 2;
	assert_int_equal(read_zip(z, len, &l, &s, &rep), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(problems_of(&rep, PKG_TOO_MANY_ENTRIES), 1);
	assert_int_equal(rep.n, 1);
	assert_true(rep.incomplete);
	package_report_free(&rep);
	free(z);
}

/* A header that declares fewer bytes than the entry inflates to: a lie, not read on. */
static void
test_zip_reports_an_entry_longer_than_declared(void **state)
{
	static char k[3000];
	const struct zentry e[] = {
		{ .name = "liar.bin", .data = k, .len = sizeof(k) },
		{ .name = "ok", .data = "fine" },
	};
	struct seen s = { 0 };
	struct package_report rep;
	size_t len, loc, cen;
	unsigned char *z = zip_build(e, 2, &len);

	(void)state;
	zip_find_name(z, len, "liar.bin", &loc, &cen);
	put_le32(z + loc + 22, 100);
	put_le32(z + cen + 24, 100);
	assert_int_equal(read_zip(z, len, NULL, &s, &rep), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "ok");
	assert_int_equal(problems_of(&rep, PKG_CORRUPT_ENTRY), 1);
	assert_true(rep.inflated <= 101 + 4);
	package_report_free(&rep);
	free(z);
}

static void
test_zip_reports_a_bad_crc(void **state)
{
	const struct zentry e[] = { { .name = "f.txt", .data = "hello world", .store = 1 } };
	struct seen s = { 0 };
	struct package_report rep;
	size_t len, loc, cen;
	unsigned char *z = zip_build(e, 1, &len);

	(void)state;
	zip_find_name(z, len, "f.txt", &loc, &cen);
	z[loc + 30 + 5] ^= 1; /* the first byte of the stored data */
	assert_int_equal(read_zip(z, len, NULL, &s, &rep), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(problems_of(&rep, PKG_CORRUPT_ENTRY), 1);
	package_report_free(&rep);
	free(z);
}

static void
test_zip_reports_symlinks_pointing_out_and_never_delivers_links(void **state)
{
	const struct zentry e[] = {
		{ .name = "lib/out", .data = "../../etc/passwd", .mode = S_IFLNK | 0777 },
		{ .name = "lib/in", .data = "../index.js", .mode = S_IFLNK | 0777 },
		{ .name = "abs", .data = "/etc/shadow", .mode = S_IFLNK | 0777 },
		{ .name = "index.js", .data = "x", .mode = S_IFREG | 0644 },
	};
	struct seen s = { 0 };
	struct package_report rep;
	size_t len;
	unsigned char *z = zip_build(e, 4, &len);

	(void)state;
	assert_int_equal(read_zip(z, len, NULL, &s, &rep), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "index.js");
	assert_int_equal(problems_of(&rep, PKG_SYMLINK_ESCAPE), 2);
	assert_string_equal(rep.v[0].path, "lib/out");
	assert_string_equal(rep.v[0].detail, "-> ../../etc/passwd");
	assert_string_equal(rep.v[1].path, "abs");
	package_report_free(&rep);
	free(z);
}

static void
test_zip_reports_and_skips_encrypted_entries(void **state)
{
	const struct zentry e[] = {
		{ .name = "secret.txt", .data = "top secret", .encrypt = 1 },
		{ .name = "plain.txt", .data = "p" },
	};
	struct seen s = { 0 };
	struct package_report rep;
	size_t len;
	unsigned char *z = zip_build(e, 2, &len);

	(void)state;
	assert_int_equal(read_zip(z, len, NULL, &s, &rep), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "plain.txt");
	assert_int_equal(problems_of(&rep, PKG_ENCRYPTED), 1);
	assert_int_equal(rep.skipped, 1);
	package_report_free(&rep);
	free(z);
}

static void
test_zip_opens_nested_archives_up_to_max_depth(void **state)
{
	const struct zentry e3[] = { { .name = "deep.txt", .data = "d" } };
	size_t l3, l2, l1;
	unsigned char *z3 = zip_build(e3, 1, &l3);
	const struct zentry e2[] = {
		{ .name = "third.whl", .data = z3, .len = l3 },
		{ .name = "mid.txt", .data = "m" },
	};
	unsigned char *z2 = zip_build(e2, 2, &l2);
	const struct zentry e1[] = {
		{ .name = "layer/inner.jar", .data = z2, .len = l2 },
		{ .name = "top.txt", .data = "t" },
	};
	unsigned char *z1 = zip_build(e1, 2, &l1);
	struct package_limits l;
	struct seen s = { 0 };
	struct package_report rep;

	(void)state;
	assert_int_equal(read_zip(z1, l1, NULL, &s, &rep), 0); /* default: two levels inside */
	assert_int_equal(s.n, 3);
	assert_string_equal(s.paths[0], "layer/inner.jar!/third.whl!/deep.txt");
	assert_string_equal(s.paths[1], "layer/inner.jar!/mid.txt");
	assert_string_equal(s.paths[2], "top.txt");
	assert_int_equal(rep.n, 0);
	package_report_free(&rep);

	package_limits_default(&l);
	l.max_depth = 1;
	memset(&s, 0, sizeof(s));
	assert_int_equal(read_zip(z1, l1, &l, &s, &rep), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.paths[0], "layer/inner.jar!/third.whl");
	assert_int_equal(s.lens[0], l3);
	assert_int_equal(problems_of(&rep, PKG_NESTED_TOO_DEEP), 1);
	package_report_free(&rep);
	free(z1);
	free(z2);
	free(z3);
}

static void
test_zip_delivers_an_unreadable_nested_archive_as_a_file(void **state)
{
	const struct zentry e[] = { { .name = "x.zip", .data = "PK\x03\x04 not really a zip" } };
	struct seen s = { 0 };
	struct package_report rep;
	size_t len;
	unsigned char *z = zip_build(e, 1, &len);

	(void)state;
	assert_int_equal(read_zip(z, len, NULL, &s, &rep), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "x.zip");
	assert_int_equal(problems_of(&rep, PKG_CORRUPT_NESTED), 1);
	package_report_free(&rep);
	free(z);
}

static void
test_zip_refuses_input_that_is_not_a_zip(void **state)
{
	struct seen s = { 0 };
	struct package_report rep;
	struct err err = { 0 };

	(void)state;
	memset(&rep, 0, sizeof(rep));
	assert_int_equal(package_read_zip_mem("hello", 5, NULL, collect, &s, &rep, &err),
	                 ERR_PARSE);
	assert_non_null(strstr(err.msg, "not a readable zip"));
	assert_int_equal(package_read_zip_mem("", 0, NULL, collect, &s, &rep, &err), ERR_PARSE);
	assert_int_equal(s.n, 0);
	package_report_free(&rep);
}

static void
test_zip_callback_stops_the_read_with_its_value(void **state)
{
	const struct zentry e[] = {
		{ .name = "a", .data = "1" },
		{ .name = "b", .data = "2" },
		{ .name = "c", .data = "3" },
	};
	struct seen s = { .stop_at = 2 };
	struct package_report rep;
	size_t len;
	unsigned char *z = zip_build(e, 3, &len);

	(void)state;
	assert_int_equal(read_zip(z, len, NULL, &s, &rep), 7);
	assert_int_equal(s.n, 2);
	package_report_free(&rep);
	free(z);
}

/* ---- folder tests ---- */

static void
put(const char *dir, const char *rel, const char *text)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(test_write_file(p, text, strlen(text)), 0);
}

static void
sub(const char *dir, const char *rel, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", dir, rel);
}

static void
test_dir_walks_sorted_without_following_symlinks(void **state)
{
	char *dir = test_tmpdir(), p[1024], q[1024];
	struct seen s = { 0 };
	struct package_report rep = { 0 };
	struct err err = { 0 };
	const struct zentry e[] = { { .name = "in.txt", .data = "i" } };
	size_t zl;
	unsigned char *z = zip_build(e, 1, &zl);

	(void)state;
	put(dir, "b.txt", "bee");
	sub(dir, "a", p, sizeof(p));
	assert_int_equal(mkdir(p, 0700), 0);
	put(dir, "a/x.js", "x");
	sub(dir, "a/pkg.zip", p, sizeof(p));
	assert_int_equal(test_write_file(p, (const char *)z, zl), 0);
	sub(dir, "a/out", p, sizeof(p));
	assert_int_equal(symlink("../../../etc", p), 0);
	sub(dir, "a/in", p, sizeof(p));
	assert_int_equal(symlink("../b.txt", p), 0);
	sub(dir, "abs", p, sizeof(p));
	assert_int_equal(symlink("/etc/passwd", p), 0);
	sub(dir, "fifo", q, sizeof(q));
	assert_int_equal(mkfifo(q, 0600), 0);

	assert_int_equal(package_read_dir(dir, NULL, collect, &s, &rep, &err), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.paths[0], "a/pkg.zip!/in.txt");
	assert_string_equal(s.paths[1], "a/x.js");
	assert_string_equal(s.paths[2], "b.txt");
	assert_int_equal(s.lens[2], 3);
	assert_int_equal(problems_of(&rep, PKG_SYMLINK_ESCAPE), 2);
	assert_int_equal(problems_of(&rep, PKG_SPECIAL_FILE), 1);
	assert_false(seen_has(&s, "abs"));
	assert_false(seen_has(&s, "a/in"));
	package_report_free(&rep);
	test_rmtree(dir);
	free(dir);
	free(z);
}

static void
test_dir_applies_the_same_limits(void **state)
{
	char *dir = test_tmpdir(), p[1024];
	struct package_limits l;
	struct seen s = { 0 };
	struct package_report rep = { 0 };
	struct err err = { 0 };

	(void)state;
	put(dir, "big", "0123456789");
	put(dir, "small", "0");
	sub(dir, "d1", p, sizeof(p));
	assert_int_equal(mkdir(p, 0700), 0);
	sub(dir, "d1/d2", p, sizeof(p));
	assert_int_equal(mkdir(p, 0700), 0);
	put(dir, "d1/d2/deep", "z");
	package_limits_default(&l);
	l.max_entry = 5;
	l.max_dir_depth = 1;
	assert_int_equal(package_read_dir(dir, &l, collect, &s, &rep, &err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "small");
	assert_int_equal(problems_of(&rep, PKG_ENTRY_TOO_LARGE), 1);
	assert_int_equal(problems_of(&rep, PKG_DIR_TOO_DEEP), 1);
	package_report_free(&rep);
	test_rmtree(dir);
	free(dir);
}

static void
test_read_path_picks_folder_zip_or_single_file(void **state)
{
	char *dir = test_tmpdir(), p[1024];
	const struct zentry e[] = { { .name = "z.txt", .data = "z" } };
	size_t zl;
	unsigned char *z = zip_build(e, 1, &zl);
	struct seen s = { 0 };
	struct package_report rep = { 0 };
	struct err err = { 0 };

	(void)state;
	sub(dir, "code.bin", p, sizeof(p)); /* a zip by content, whatever its name */
	assert_int_equal(test_write_file(p, (const char *)z, zl), 0);
	assert_int_equal(package_read_path(p, NULL, collect, &s, &rep, &err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "z.txt");
	put(dir, "app.py", "print(1)");
	sub(dir, "app.py", p, sizeof(p));
	assert_int_equal(package_read_path(p, NULL, collect, &s, &rep, &err), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.paths[1], "app.py");
	assert_int_equal(package_read_path(dir, NULL, collect, &s, &rep, &err), 0);
	assert_int_equal(s.n, 4); /* code.bin has no archive name: inside a folder it is a file */
	assert_string_equal(s.paths[3], "code.bin");
	assert_int_equal(package_read_path("/nonexistent/x", NULL, collect, &s, &rep, &err),
	                 ERR_IO);
	package_report_free(&rep);
	test_rmtree(dir);
	free(dir);
	free(z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zip_delivers_every_file_once_with_clean_paths),
		cmocka_unit_test(
		        test_zip_reports_escaping_and_absolute_names_and_delivers_them_inside),
		cmocka_unit_test(test_zip_reports_nul_in_name),
		cmocka_unit_test(test_zip_skips_and_reports_an_entry_over_max_entry),
		cmocka_unit_test(test_zip_skips_a_compression_bomb_by_ratio),
		cmocka_unit_test(test_zip_stops_at_max_total_counting_inflated_bytes),
		cmocka_unit_test(test_zip_stops_at_max_entries),
		cmocka_unit_test(test_zip_reports_an_entry_longer_than_declared),
		cmocka_unit_test(test_zip_reports_a_bad_crc),
		cmocka_unit_test(test_zip_reports_symlinks_pointing_out_and_never_delivers_links),
		cmocka_unit_test(test_zip_reports_and_skips_encrypted_entries),
		cmocka_unit_test(test_zip_opens_nested_archives_up_to_max_depth),
		cmocka_unit_test(test_zip_delivers_an_unreadable_nested_archive_as_a_file),
		cmocka_unit_test(test_zip_refuses_input_that_is_not_a_zip),
		cmocka_unit_test(test_zip_callback_stops_the_read_with_its_value),
		cmocka_unit_test(test_dir_walks_sorted_without_following_symlinks),
		cmocka_unit_test(test_dir_applies_the_same_limits),
		cmocka_unit_test(test_read_path_picks_folder_zip_or_single_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
