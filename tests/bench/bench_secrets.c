/*
 * make bench: secrets engine throughput on one core. Generates a corpus of
 * code packages at run time (JS and Python source, minified bundles,
 * node_modules-like trees, package.json and lock files, a few planted
 * secrets), writes it under DIR (so bench_secrets.sh can run secretlint on
 * the same files), then scans every file from memory and prints MB/s.
 * Usage: bench_secrets DIR [MB]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analyze/secrets.h"

struct file {
	char path[256];
	char *data;
	size_t len;
};

static unsigned long long rng = 88172645463325252ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const idents[] = {
	"user",    "order",    "item",   "config", "request",  "response", "handler",
	"event",   "context",  "key",    "value",  "token",    "result",   "items",
	"options", "callback", "buffer", "stream", "client",   "session",  "cache",
	"index",   "length",   "props",  "state",  "children", "router",
};
#define NIDENT (sizeof(idents) / sizeof(idents[0]))

static const char *const js_lines[] = {
	"import { %s } from './%s.js';\n",
	"const %s = require('%s');\n",
	"export async function %s(event, context) {\n  const body = JSON.parse(event.body || '{}');\n",
	"  if (!%s || !%s.length) throw new Error('missing %s');\n",
	"  const %s = await fetch(`https://api.acme.io/v2/${%s}`, { method: 'POST' });\n",
	"  // %s: keep %s sorted so the %s lookup stays logarithmic\n",
	"  return { statusCode: 200, body: JSON.stringify({ %s, %s, %s }) };\n}\n",
	"  for (const %s of Object.keys(%s)) console.log(%s);\n",
	"  const %s = process.env.%s_TABLE ?? 'default-%s';\n",
	"/**\n * Returns the %s for the %s, or null when the %s is unknown.\n */\n",
};
static const char *const py_lines[] = {
	"import %s\nfrom %s import %s\n",
	"def %s(event, context):\n    %s = event.get('%s')\n",
	"    if not %s:\n        raise ValueError('no %s in %s')\n",
	"    return {'statusCode': 200, 'body': json.dumps({'%s': %s, 'n': len(%s)})}\n",
	"# %s is cached per %s; see the %s module\n",
	"    %s = os.environ['%s_NAME'].lower()  # %s\n",
	"class %s:\n    def __init__(self, %s, %s=None):\n        self.key = key\n",
};

static void
put_line(char **p, char *end, const char *fmt)
{
	int n = snprintf(*p, (size_t)(end - *p), fmt, idents[rnd(NIDENT)], idents[rnd(NIDENT)],
	                 idents[rnd(NIDENT)], idents[rnd(NIDENT)]);

	if (n > 0 && *p + n < end)
		*p += n;
}

/* Minified: one long line of short names, keys and integrity strings. */
static void
put_minified(char **p, char *end)
{
	static const char alpha[] =
	        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
	int n = snprintf(*p, (size_t)(end - *p),
	                 "function %c(e,t){var n=t.%s||e.key,r=%c(n);return r.token?r.%s:void 0}"
	                 "var %c={key:\"%s\",integrity:\"sha512-",
	                 'a' + rnd(26), idents[rnd(NIDENT)], 'a' + rnd(26), idents[rnd(NIDENT)],
	                 'a' + rnd(26), idents[rnd(NIDENT)]);
	int i;

	if (n <= 0 || *p + n + 100 >= end)
		return;
	*p += n;
	for (i = 0; i < 86; i++)
		*(*p)++ = alpha[rnd(64)];
	memcpy(*p, "\"};", 3);
	*p += 3;
}

static void
fill(struct file *f, int kind, size_t size)
{
	char *p, *end;

	f->data = malloc(size + 256);
	if (!f->data)
		abort();
	p = f->data;
	end = f->data + size;
	while (p < end - 600) {
		if (kind == 0)
			put_line(&p, end, js_lines[rnd(sizeof(js_lines) / sizeof(js_lines[0]))]);
		else if (kind == 1)
			put_line(&p, end, py_lines[rnd(sizeof(py_lines) / sizeof(py_lines[0]))]);
		else
			put_minified(&p, end);
	}
	if (rnd(100) == 0) { /* a planted GitHub token now and then: both scanners know it */
		static const char an[] =
		        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
		int i;

		p += snprintf(p, 64, "\nconst ghToken = 'ghp_");
		for (i = 0; i < 36; i++)
			*p++ = an[rnd(62)];
		p += snprintf(p, 8, "';\n");
	}
	f->len = (size_t)(p - f->data);
}

static int
write_file(const char *dir, const struct file *f)
{
	char path[512], *slash;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, f->path);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	fp = fopen(path, "wb");
	if (!fp)
		return -1;
	fwrite(f->data, 1, f->len, fp);
	return fclose(fp);
}

static void
count_hit(const struct secret_hit *h, void *ctx)
{
	(void)h;
	++*(size_t *)ctx;
}

int
main(int argc, char **argv)
{
	size_t target = (argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 120) << 20;
	size_t n = 0, cap = 4096, total = 0, hits = 0, i;
	struct file *files = calloc(cap, sizeof(*files));
	struct secret_scanner *s;
	struct err err = { 0 };
	struct timespec t0, t1;
	double secs;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_secrets DIR [MB]\n");
		return 2;
	}
	mkdir(argv[1], 0755);
	while (total < target && n < cap) {
		struct file *f = &files[n];
		int kind = (int)rnd(3);
		const char *ext = kind == 1 ? "py" : "js";

		snprintf(f->path, sizeof(f->path), "fn%02u/deps/pkg%03zu/%s/%s%zu.%s%s", rnd(20),
		         n % 400, kind == 2 ? "dist" : "lib", idents[rnd(NIDENT)], n,
		         kind == 2 ? "min." : "", ext);
		fill(f, kind, 8192 + rnd(kind == 2 ? 400000 : 60000));
		if (write_file(argv[1], f)) {
			fprintf(stderr, "bench_secrets: cannot write %s/%s\n", argv[1], f->path);
			return 1;
		}
		total += f->len;
		n++;
	}
	s = secrets_new(NULL, &err);
	if (!s) {
		fprintf(stderr, "bench_secrets: %s\n", err.msg);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		secrets_scan_file(s, files[i].path, files[i].data, files[i].len, count_hit, &hits,
		                  &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("shears secrets: %zu files, %.1f MB, %zu hits (planted GitHub tokens), %.3f s, %.0f MB/s (one core)\n",
	       n, (double)total / 1e6, hits, secs, (double)total / 1e6 / secs);
	for (i = 0; i < n; i++)
		free(files[i].data);
	free(files);
	secrets_free(s);
	return 0;
}
