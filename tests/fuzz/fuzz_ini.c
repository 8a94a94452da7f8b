/*
 * libFuzzer target: the shared config/credentials file reader. Errors are
 * silent; every byte of every section name, key, value and nested pair is
 * touched so ASan sees any overread, and the lookups run on what was parsed.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/ini.h"

static volatile unsigned sink;

static void
touch(const char *s)
{
	for (; *s; s++)
		sink += (unsigned char)*s;
}

static void
walk_pairs(const struct ini_pair *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		touch(p[i].key);
		touch(p[i].value);
		sink += (unsigned)p[i].line;
		walk_pairs(p[i].sub, p[i].n_sub);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ini_file f;
	struct err err;
	size_t i;

	if (!ini_parse((const char *)data, size, "fuzz", &f, &err)) {
		for (i = 0; i < f.n_sections; i++) {
			touch(f.sections[i].name);
			walk_pairs(f.sections[i].pairs, f.sections[i].n_pairs);
		}
		sink += ini_get(ini_section_find(&f, "default"), "region") != NULL;
		sink += ini_get_sub(ini_section_find(&f, "profile x"), "s3", "addressing_style") !=
		        NULL;
		ini_release(&f);
	} else {
		touch(err.msg);
	}
	return 0;
}
