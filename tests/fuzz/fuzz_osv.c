/*
 * libFuzzer target: OSV records (analyze/osv.h) and version keys
 * (analyze/version.h). A record that parses is matched with every version
 * it names, turned into the store's compact form and parsed back, which
 * must give the same verdicts. The input is also read as one version in
 * each ordering. Errors are silent; every output byte is touched.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/osv.h"
#include "analyze/version.h"

static volatile unsigned sink;

static void
touch(const char *s)
{
	for (; s && *s; s++)
		sink += (unsigned char)*s;
}

static void
versions_of_input(const uint8_t *data, size_t size)
{
	char v[256];
	struct version_key k;
	size_t n = size < sizeof(v) - 1 ? size : sizeof(v) - 1;
	size_t i;

	memcpy(v, data, n);
	v[n] = '\0';
	if (!version_key_of(VERSION_SCHEME_SEMVER, v, &k))
		for (i = 0; i < k.len; i++)
			sink += k.b[i];
	if (!version_key_of(VERSION_SCHEME_PEP440, v, &k))
		for (i = 0; i < k.len; i++)
			sink += k.b[i];
}

/* The compact form of the entry's package must judge version as the record does. */
static void
check_compact(const struct osv_record *r, const struct osv_affected *a, const char *version,
              const struct osv_verdict *want)
{
	struct osv_affected_list list;
	struct osv_verdict got;
	char *text = osv_compact_package(r, a->ecosystem, a->name);
	int rc;

	if (!text)
		abort(); /* the record names the package */
	if (osv_affected_parse(text, strlen(text), &list, NULL))
		abort();
	rc = osv_affected_check(&list, NULL, NULL, version, &got);
	if (!rc && (got.affected != want->affected ||
	            (got.first_fixed == NULL) != (want->first_fixed == NULL) ||
	            (got.first_fixed && strcmp(got.first_fixed, want->first_fixed))))
		abort();
	osv_affected_release(&list);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct osv_record r;
	size_t i, j, k;

	versions_of_input(data, size);
	if (osv_parse((const char *)data, size, &r, NULL))
		return 0;
	touch(r.id);
	touch(r.summary);
	for (i = 0; i < r.n_aliases; i++)
		touch(r.aliases[i]);
	for (i = 0; i < r.affected.n && i < 8; i++) {
		const struct osv_affected *a = &r.affected.v[i];

		for (j = 0; j < a->n_ranges && j < 4; j++) {
			for (k = 0; k < a->ranges[j].n_events && k < 8; k++) {
				const char *v = a->ranges[j].events[k].version;
				struct osv_verdict verdict;

				if (osv_match(&r, a->ecosystem, a->name, v, &verdict))
					continue;
				touch(verdict.first_fixed);
				if (!r.withdrawn && *a->ecosystem && *a->match_name)
					check_compact(&r, a, v, &verdict);
			}
		}
	}
	osv_record_release(&r);
	return 0;
}
