/*
 * libFuzzer target: the dependency readers. The first byte picks the file
 * name (and so the reader), the rest is the file. Every dependency and note
 * is read back.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyze/deps.h"

static volatile unsigned sink;

static const char *const paths[] = {
	"package-lock.json",
	"nodejs/node_modules/.package-lock.json",
	"yarn.lock",
	"pnpm-lock.yaml",
	"nodejs/node_modules/@scope/name/package.json",
	"requirements.txt",
	"Pipfile.lock",
	"poetry.lock",
	"uv.lock",
	"python/name-1.0.dist-info/METADATA",
	"python/name-1.0.egg-info/PKG-INFO",
	"python/Name_X-1.0.dist-info/RECORD",
};

static void
touch(const char *s)
{
	for (; *s; s++)
		sink += (unsigned char)*s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct deps d;

	if (!size)
		return 0;
	deps_init(&d);
	deps_from_file(&d, paths[data[0] % (sizeof(paths) / sizeof(paths[0]))], data + 1, size - 1);
	for (size_t i = 0; i < d.n; i++) {
		touch(d.v[i].ecosystem);
		touch(d.v[i].name);
		touch(d.v[i].version);
		touch(d.v[i].source);
	}
	for (size_t i = 0; i < d.n_notes; i++)
		touch(d.notes[i]);
	deps_free(&d);
	return 0;
}
