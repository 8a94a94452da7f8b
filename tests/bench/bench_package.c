/*
 * bench_package: how long the package reader takes on the size `shears check`
 * promises to handle in under a second with secret scanning (50 MB, 20,000
 * files). Builds a deflated zip in memory (JS-like text, node_modules
 * package.json files among them) and the same tree as a folder, then times:
 * the zip read alone, the zip read with the dependency readers, the folder
 * walk. Prints figures; asserts nothing about time.
 *
 *   cc -O2 ... tests/bench/bench_package.c build/libshears.a ... && ./bench_package
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "analyze/deps.h"
#include "analyze/package.h"

#define FILES     20000
#define AVG_BYTES 2600 /* 20,000 x 2,600 = 52 MB */
#define RUNS      5

static const char *const words[] = {
	"const", "function",  "return", "require(", "module.exports", "=>",
	"this.", "async",     "await",  "if (",     "else",           "{",
	"}",     "null",      "value",  "options",  "callback",       "err",
	"data",  "length",    "push(",  "0x1f",     "'use strict';",  "\n",
	"\n\t",  "undefined", "Buffer", "key",
};

static unsigned long long rng = 88172645463325252ull;

static unsigned
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)rng;
}

static char *
js_text(size_t len)
{
	char *p = malloc(len + 32);
	size_t o = 0;

	while (o < len) {
		const char *w = words[next_rand() % (sizeof(words) / sizeof(words[0]))];
		size_t n = strlen(w);

		memcpy(p + o, w, n);
		o += n;
		p[o++] = ' ';
		if (next_rand() % 7 == 0)
			o += (size_t)snprintf(p + o, 24, "v%u ", next_rand() % 100000);
	}
	return p;
}

static void
file_name(char *out, size_t n, int i)
{
	if (i % 20 == 0)
		snprintf(out, n, "node_modules/pkg%d/package.json", i);
	else
		snprintf(out, n, "node_modules/pkg%d/lib/file%d.js", i - i % 20, i);
}

static char *bodies[FILES];
static size_t lens[FILES];

static void
make_bodies(void)
{
	for (int i = 0; i < FILES; i++) {
		if (i % 20 == 0) {
			bodies[i] = malloc(96);
			lens[i] = (size_t)snprintf(bodies[i], 96,
			                           "{\"name\": \"pkg%d\", \"version\": \"1.%d.0\"}",
			                           i, i % 7);
		} else {
			lens[i] = AVG_BYTES / 2 + next_rand() % AVG_BYTES;
			bodies[i] = js_text(lens[i]);
		}
	}
}

static unsigned char *
make_zip(size_t *out_len, unsigned long long *raw)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	char name[128];
	unsigned char *out;
	zip_int64_t size;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	*raw = 0;
	for (int i = 0; i < FILES; i++) {
		file_name(name, sizeof(name), i);
		zip_file_add(za, name, zip_source_buffer(za, bodies[i], lens[i], 0), 0);
		*raw += lens[i];
	}
	zip_close(za);
	zip_source_open(src);
	zip_source_seek(src, 0, SEEK_END);
	size = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	out = malloc((size_t)size);
	zip_source_read(src, out, (zip_uint64_t)size);
	zip_source_close(src);
	zip_source_free(src);
	*out_len = (size_t)size;
	return out;
}

/* mkdir -p of path's folders. */
static void
make_parents(char *path)
{
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0700);
			*p = '/';
		}
}

static void
make_dir(const char *root)
{
	char name[128], path[512];

	for (int i = 0; i < FILES; i++) {
		FILE *f;

		file_name(name, sizeof(name), i);
		snprintf(path, sizeof(path), "%s/%s", root, name);
		make_parents(path);
		f = fopen(path, "wb");
		if (!f || fwrite(bodies[i], 1, lens[i], f) != lens[i]) {
			perror(path);
			exit(1);
		}
		fclose(f);
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile unsigned sink;

/* What a scanner does at the least: look at every byte once. */
static int
touch(const struct package_entry *e, void *ctx)
{
	unsigned s = 0;

	(void)ctx;
	for (size_t i = 0; i < e->len; i += 64)
		s += e->data[i];
	sink += s;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

enum what { ZIP_ONLY, ZIP_DEPS, DIR_WALK };

static void
bench(const char *label, enum what what, const void *zip, size_t zip_len, const char *dir,
      unsigned long long raw)
{
	double t[RUNS];
	struct package_report rep;
	struct err err = { 0 };
	struct deps d;
	size_t ndeps = 0;

	for (int r = 0; r < RUNS; r++) {
		double t0 = now_s();

		memset(&rep, 0, sizeof(rep));
		deps_init(&d);
		if (what == ZIP_ONLY)
			package_read_zip_mem(zip, zip_len, NULL, touch, NULL, &rep, &err);
		else if (what == ZIP_DEPS)
			package_read_zip_mem(zip, zip_len, NULL, deps_entry_fn, &d, &rep, &err);
		else
			package_read_dir(dir, NULL, touch, NULL, &rep, &err);
		t[r] = now_s() - t0;
		ndeps = d.n;
		if (rep.files != FILES || rep.n) {
			fprintf(stderr, "bench_package: %s: %llu files, %zu problems\n", label,
			        (unsigned long long)rep.files, rep.n);
			exit(1);
		}
		deps_free(&d);
		package_report_free(&rep);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	printf("%-34s median %7.1f ms  best %7.1f ms  %6.0f MB/s  (%zu deps)\n", label,
	       t[RUNS / 2] * 1e3, t[0] * 1e3, (double)raw / 1e6 / t[RUNS / 2], ndeps);
}

int
main(void)
{
	unsigned long long raw;
	size_t zip_len;
	unsigned char *zip;
	char dir[] = "/tmp/bench_package.XXXXXX";
	char cmd[600];

	make_bodies();
	zip = make_zip(&zip_len, &raw);
	printf("package: %d files, %.1f MB inflated, %.1f MB zipped (deflate)\n", FILES,
	       (double)raw / 1e6, (double)zip_len / 1e6);
	bench("zip read (inflate + callback)", ZIP_ONLY, zip, zip_len, NULL, raw);
	bench("zip read + dependency readers", ZIP_DEPS, zip, zip_len, NULL, raw);
	if (!mkdtemp(dir))
		return 1;
	make_dir(dir);
	bench("folder walk (page cache warm)", DIR_WALK, NULL, 0, dir, raw);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) != 0;
}
