/*
 * libFuzzer target: the zip package reader on arbitrary bytes (nested
 * archives included), with every delivered file fed to the dependency
 * readers. Problems are reports, never crashes; every delivered byte is read.
 */
#include <stddef.h>
#include <stdint.h>

#include "analyze/deps.h"
#include "analyze/package.h"

static volatile unsigned sink;

static int
touch(const struct package_entry *e, void *ctx)
{
	for (const char *p = e->path; *p; p++)
		sink += (unsigned char)*p;
	for (size_t i = 0; i < e->len; i++)
		sink += e->data[i];
	return deps_entry_fn(e, ctx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct package_limits l;
	struct package_report rep = { 0 };
	struct err err = { 0 };
	struct deps d;

	package_limits_default(&l);
	l.max_total = 64u << 20; /* the fuzzer's memory, not the product's */
	l.max_entry = 16u << 20;
	l.max_entries = 5000;
	deps_init(&d);
	package_read_zip_mem(data, size, &l, touch, &d, &rep, &err);
	for (size_t i = 0; i < rep.n; i++)
		sink += (unsigned char)rep.v[i].path[0] + (unsigned char)rep.v[i].detail[0];
	sink += (unsigned char)err.msg[0] + (unsigned)d.n;
	package_report_free(&rep);
	deps_free(&d);
	return 0;
}
