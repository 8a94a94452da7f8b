/*
 * The advisory store (store/advisory.h): importing the real advisories of
 * tests/data/osv as a directory and as a zip made here, replacement by
 * `modified`, withdrawal, limits, matching and the dependency rows.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "store/advisory.h"
#include "store/store.h"
#include "testutil.h"

struct fixture {
	char *dir;
	char path[4096];
	struct store *s;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err = { 0 };

	f->dir = test_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/cache.db", f->dir);
	if (store_open(f->path, 0, &f->s, &err))
		fail_msg("%s", err.msg);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void
import_ok(struct store *s, const char *path, struct advisory_import_stats *st)
{
	struct err err = { 0 };

	if (advisories_import(s, path, st, &err))
		fail_msg("import %s: %s", path, err.msg);
}

static long
count_of(const struct advisory_summary *sum, const char *eco)
{
	size_t i;

	for (i = 0; i < sum->n; i++)
		if (!strcmp(sum->v[i].ecosystem, eco))
			return sum->v[i].n;
	return 0;
}

static void
write_record(const char *dir, const char *file, const char *json)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	assert_int_equal(test_write_file(path, json, strlen(json)), 0);
}

#define PKG_RECORD(id, modified, extra, fixed)                                                    \
	"{\"id\":\"" id "\",\"modified\":\"" modified "\",\"summary\":\"" modified "\"" extra     \
	",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\"},"              \
	"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"" fixed \
	"\"}]}]}]}"

static void
test_import_directory_of_real_advisories(void **state)
{
	struct fixture *f = *state;
	struct advisory_import_stats st;
	struct advisory_summary sum;
	struct err err = { 0 };

	import_ok(f->s, test_path("tests/data/osv"), &st);
	assert_int_equal(st.records, 45); /* README.md is not a record, pypa-converted/ is walked */
	assert_int_equal(st.added, 45);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(advisories_summary(f->s, &sum, &err), 0);
	assert_int_equal(sum.total, 45);
	assert_int_equal(count_of(&sum, "npm"), 18);
	assert_int_equal(count_of(&sum, "PyPI"), 19);
	assert_int_equal(count_of(&sum, "Go"), 8);
	assert_true(sum.imported_at > 1700000000);
	assert_string_equal(sum.source, test_path("tests/data/osv"));
	advisory_summary_release(&sum);

	/* the same export again changes nothing */
	import_ok(f->s, test_path("tests/data/osv"), &st);
	assert_int_equal(st.unchanged, 45);
	assert_int_equal(st.added + st.replaced, 0);
}

static void
test_import_replaces_only_with_a_newer_modified(void **state)
{
	struct fixture *f = *state;
	struct advisory_import_stats st;
	struct advisory_matches m;
	struct store_dep dep = { "npm", "left-pad", "1.5.0", NULL };
	struct err err = { 0 };
	char sub[4096];

	snprintf(sub, sizeof(sub), "%s/in", f->dir);
	mkdir(sub, 0700);
	write_record(sub, "a.json", PKG_RECORD("TEST-1", "2024-01-01T00:00:00Z", "", "1.3.0"));
	import_ok(f->s, sub, &st);
	assert_int_equal(st.added, 1);

	/* newer: replaces, and the new range is what matches */
	write_record(sub, "a.json", PKG_RECORD("TEST-1", "2024-02-01T00:00:00.5Z", "", "2.0.0"));
	import_ok(f->s, sub, &st);
	assert_int_equal(st.replaced, 1);
	assert_int_equal(advisories_match(f->s, &dep, 1, &m, &err), 0);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.v[0].summary, "2024-02-01T00:00:00.5Z");
	assert_string_equal(m.v[0].first_fixed, "2.0.0");
	advisory_matches_release(&m);

	/* older (a stale mirror): kept out */
	write_record(sub, "a.json", PKG_RECORD("TEST-1", "2024-01-15T00:00:00Z", "", "1.3.0"));
	import_ok(f->s, sub, &st);
	assert_int_equal(st.unchanged, 1);
	assert_int_equal(st.replaced, 0);
	assert_int_equal(advisories_match(f->s, &dep, 1, &m, &err), 0);
	assert_int_equal(m.n, 1);
	advisory_matches_release(&m);

	/* withdrawn and newer: kept as withdrawn, never matched */
	write_record(sub, "a.json",
	             PKG_RECORD("TEST-1", "2024-03-01T00:00:00Z",
	                        ",\"withdrawn\":\"2024-03-01T00:00:00Z\"", "2.0.0"));
	import_ok(f->s, sub, &st);
	assert_int_equal(st.withdrawn, 1);
	assert_int_equal(advisories_match(f->s, &dep, 1, &m, &err), 0);
	assert_int_equal(m.n, 0);
	advisory_matches_release(&m);
}

static void
zip_put(zip_t *za, const char *name, const char *data, size_t len)
{
	zip_source_t *src = zip_source_buffer(za, data, len, 0);

	assert_non_null(src);
	assert_true(zip_file_add(za, name, src, ZIP_FL_OVERWRITE) >= 0);
}

/* A zip shaped like osv.dev's npm/all.zip, built from the real records. */
static char *
make_zip(const char *dir, const char *name, int oversize)
{
	static const char *const ids[] = { "GHSA-p6mc-m468-83gw", "GHSA-35jh-r3h4-6jhm",
		                           "GHSA-jf85-cpcp-j695", "GHSA-j8r2-6x86-q33q",
		                           "GHSA-2gwj-7jmv-h26r" };
	char *path = malloc(4096), rel[256];
	char *texts[5], *big = NULL;
	size_t lens[5], i;
	int zerr;
	zip_t *za;

	snprintf(path, 4096, "%s/%s", dir, name);
	za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(za);
	for (i = 0; i < 5; i++) {
		snprintf(rel, sizeof(rel), "tests/data/osv/%s.json", ids[i]);
		texts[i] = test_read_file(test_path(rel), &lens[i]);
		assert_non_null(texts[i]);
		snprintf(rel, sizeof(rel), "%s.json", ids[i]);
		zip_put(za, rel, texts[i], lens[i]);
	}
	zip_put(za, "broken.json", "{\"id\":", 6);
	zip_put(za, "LICENSE", "not json", 8);
	if (oversize) {
		big = calloc(1, ADVISORY_ENTRY_MAX + 10);
		memset(big, ' ', ADVISORY_ENTRY_MAX + 9);
		zip_put(za, "big.json", big, ADVISORY_ENTRY_MAX + 9);
	}
	assert_int_equal(zip_close(za), 0);
	for (i = 0; i < 5; i++)
		free(texts[i]);
	free(big);
	return path;
}

static void
test_import_zip_counts_and_skips(void **state)
{
	struct fixture *f = *state;
	struct advisory_import_stats st;
	char *zip = make_zip(f->dir, "all.zip", 0);

	import_ok(f->s, zip, &st);
	assert_int_equal(st.records, 6); /* LICENSE is not a .json entry */
	assert_int_equal(st.added, 5);
	assert_int_equal(st.skipped, 1);
	assert_non_null(strstr(st.first_skipped, "broken.json"));
	free(zip);
}

static void
test_import_over_a_limit_imports_nothing(void **state)
{
	struct fixture *f = *state;
	struct advisory_import_stats st;
	struct advisory_summary sum;
	struct err err = { 0 };
	char *zip = make_zip(f->dir, "bomb.zip", 1);

	assert_int_equal(advisories_import(f->s, zip, &st, &err), ERR_LIMIT);
	assert_non_null(strstr(err.msg, "big.json"));
	assert_int_equal(advisories_summary(f->s, &sum, &err), 0);
	assert_int_equal(sum.total, 0); /* the five good records went with the transaction */
	assert_int_equal(sum.imported_at, 0);
	advisory_summary_release(&sum);
	free(zip);
}

static void
test_import_refuses_what_it_cannot_read(void **state)
{
	struct fixture *f = *state;
	struct err err = { 0 };
	char path[4096];
	struct store *ro;

	snprintf(path, sizeof(path), "%s/none.zip", f->dir);
	assert_int_equal(advisories_import(f->s, path, NULL, &err), ERR_NOTFOUND);
	snprintf(path, sizeof(path), "%s/not.zip", f->dir);
	assert_int_equal(test_write_file(path, "hello", 5), 0);
	assert_int_equal(advisories_import(f->s, path, NULL, &err), ERR_PARSE);
	assert_int_equal(store_open(f->path, STORE_READONLY, &ro, &err), 0);
	assert_int_equal(advisories_import(ro, test_path("tests/data/osv"), NULL, &err), ERR_USAGE);
	store_close(ro);
}

static int
has_match(const struct advisory_matches *m, size_t dep, const char *id, const char *fix)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].dep != dep || strcmp(m->v[i].id, id))
			continue;
		if (!fix)
			return !m->v[i].first_fixed;
		return m->v[i].first_fixed && !strcmp(m->v[i].first_fixed, fix);
	}
	return 0;
}

static size_t
matches_of(const struct advisory_matches *m, size_t dep)
{
	size_t i, n = 0;

	for (i = 0; i < m->n; i++)
		n += m->v[i].dep == dep;
	return n;
}

static void
test_match_installed_packages(void **state)
{
	struct fixture *f = *state;
	const struct store_dep deps[] = {
		{ "npm", "lodash", "4.17.11", "node_modules/lodash/package.json" },
		{ "npm", "lodash", "4.17.21", NULL },
		{ "pypi", "Requests", "2.31.0", NULL },
		{ "PyPI", "django", "3.2.12", NULL },
		{ "npm", "lodash", "latest", NULL },
		{ "npm", "left-pad", "1.0.0", NULL },
		{ "PyPI", "urllib3", "1.26.18", NULL },
		{ "npm", "@cypress/request", "2.88.11", NULL },
	};
	struct advisory_matches m;
	struct err err = { 0 };
	size_t i;

	import_ok(f->s, test_path("tests/data/osv"), NULL);
	assert_int_equal(advisories_match(f->s, deps, 8, &m, &err), 0);
	assert_int_equal(matches_of(&m, 0), 3);
	assert_true(has_match(&m, 0, "GHSA-35jh-r3h4-6jhm", "4.17.21"));
	assert_true(has_match(&m, 0, "GHSA-p6mc-m468-83gw", "4.17.20"));
	assert_true(has_match(&m, 0, "GHSA-jf85-cpcp-j695", "4.17.12"));
	assert_int_equal(matches_of(&m, 1), 0);
	assert_int_equal(matches_of(&m, 2), 1);
	assert_true(has_match(&m, 2, "GHSA-9wx4-h78v-vm56", "2.32.2"));
	/* PYSEC-2022-190 is the same issue (each names the other): listed once */
	assert_int_equal(matches_of(&m, 3), 1);
	assert_true(has_match(&m, 3, "GHSA-2gwj-7jmv-h26r", "3.2.13"));
	assert_int_equal(matches_of(&m, 4), 0);
	assert_int_equal(matches_of(&m, 5), 0);
	assert_int_equal(matches_of(&m, 6), 1);
	assert_true(has_match(&m, 6, "GHSA-34jh-p97f-mpxf", "1.26.19"));
	assert_true(has_match(&m, 7, "GHSA-p8p7-x288-28g6", NULL));
	assert_int_equal(m.n_unparsed, 1);
	assert_int_equal(m.unparsed[0], 4);
	/* ordered by dep, then severity highest first */
	for (i = 1; i < m.n; i++) {
		assert_true(m.v[i - 1].dep <= m.v[i].dep);
		if (m.v[i - 1].dep == m.v[i].dep)
			assert_true(m.v[i - 1].severity >= m.v[i].severity);
	}
	for (i = 0; i < m.n; i++)
		if (!strcmp(m.v[i].id, "GHSA-p6mc-m468-83gw"))
			assert_string_equal(m.v[i].aliases, "CVE-2020-8203");
	advisory_matches_release(&m);
}

static void
test_dependencies_replace_per_code_package(void **state)
{
	struct fixture *f = *state;
	const struct store_dep first[] = {
		{ "npm", "lodash", "4.17.11", "node_modules/lodash/package.json" },
		{ "npm", "lodash", "4.17.11", "node_modules/lodash/package.json" },
		{ "pypi", "requests", "2.31.0", NULL },
	};
	const struct store_dep second[] = { { "npm", "axios", "1.6.0", "package-lock.json" } };
	struct store_deps d;
	struct err err = { 0 };

	assert_int_equal(store_dependencies_put(f->s, "sha-a", first, 3, &err), 0);
	assert_int_equal(store_dependencies_put(f->s, "sha-b", first, 1, &err), 0);
	assert_int_equal(store_dependencies_get(f->s, "sha-a", &d, &err), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].ecosystem, "PyPI");
	assert_string_equal(d.v[1].name, "lodash");
	assert_string_equal(d.v[1].source, "node_modules/lodash/package.json");
	assert_string_equal(d.code_sha[1], "sha-a");
	store_deps_release(&d);

	assert_int_equal(store_dependencies_put(f->s, "sha-a", second, 1, &err), 0);
	assert_int_equal(store_dependencies_get(f->s, "sha-a", &d, &err), 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].name, "axios");
	store_deps_release(&d);
	assert_int_equal(store_dependencies_get(f->s, NULL, &d, &err), 0);
	assert_int_equal(d.n, 2);
	store_deps_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_directory_of_real_advisories, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_import_replaces_only_with_a_newer_modified,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_zip_counts_and_skips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_over_a_limit_imports_nothing, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_import_refuses_what_it_cannot_read, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_match_installed_packages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dependencies_replace_per_code_package, setup,
		                                teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
