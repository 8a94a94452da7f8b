/*
 * The dependency readers (analyze/deps.h): one fixture per format under
 * tests/data/packages (written from each format's documentation), broken
 * inputs inline, and a layer folder read through the package reader.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/deps.h"
#include "analyze/package.h"
#include "testutil.h"
#include "util/buf.h"

/* "npm:name@version ..." for every dependency, in order: one string to compare. */
static char *
listing(const struct deps *d)
{
	struct buf b;

	buf_init(&b, 0);
	for (size_t i = 0; i < d->n; i++)
		buf_printf(&b, "%s%s:%s@%s", i ? " " : "", d->v[i].ecosystem, d->v[i].name,
		           d->v[i].version);
	return buf_take(&b, NULL);
}

/* Reads fixture rel as if it were at path in a package; returns deps_from_file's answer. */
static int
read_fixture(struct deps *d, const char *rel, const char *path)
{
	size_t len;
	char *data = test_read_file(test_path(rel), &len);
	int rc;

	assert_non_null(data);
	rc = deps_from_file(d, path, data, len);
	free(data);
	return rc;
}

static void
expect(const char *rel, const char *path, const char *want)
{
	struct deps d;
	char *got;

	deps_init(&d);
	assert_int_equal(read_fixture(&d, rel, path), 1);
	got = listing(&d);
	assert_string_equal(got, want);
	for (size_t i = 0; i < d.n; i++)
		assert_string_equal(d.v[i].source, path);
	free(got);
	deps_free(&d);
}

static int
from_text(struct deps *d, const char *path, const char *text)
{
	return deps_from_file(d, path, text, strlen(text));
}

#define FIX "tests/data/packages/"

static void
test_npm_lock_v1_walks_nested_dependencies_and_aliases(void **state)
{
	(void)state;
	expect(FIX "npm-v1/package-lock.json", "package-lock.json",
	       "npm:@aws-sdk/client-s3@3.370.0 npm:axios@0.21.1 npm:follow-redirects@1.14.7 "
	       "npm:follow-redirects@1.15.2 npm:lodash@4.17.20 npm:tslib@2.6.0");
}

static void
test_npm_lock_v3_reads_packages_skipping_root_links_and_workspaces(void **state)
{
	(void)state;
	expect(FIX "npm-v3/package-lock.json", "app/package-lock.json",
	       "npm:@types/node@20.4.2 npm:express@4.18.2 npm:qs@6.11.0 npm:qs@6.5.2 "
	       "npm:string-width@4.2.3 npm:semver@6.3.0");
}

static void
test_yarn_classic_reads_scoped_names_aliases_and_skips_local(void **state)
{
	(void)state;
	expect(FIX "yarn-v1/yarn.lock", "yarn.lock",
	       "npm:@babel/code-frame@7.12.13 npm:lodash@4.17.21 npm:minimist@0.0.8 "
	       "npm:string-width@4.2.3 npm:versions-are-not-version@1.0.0");
}

static void
test_yarn_berry_takes_names_from_resolution_and_skips_workspaces(void **state)
{
	(void)state;
	expect(FIX "yarn-berry/yarn.lock", "yarn.lock",
	       "npm:@babel/code-frame@7.22.5 npm:lodash@4.17.21 npm:string-width@4.2.3 "
	       "npm:resolve@1.22.2");
}

static void
test_pnpm_v5_slash_keys_with_peer_suffixes(void **state)
{
	(void)state;
	expect(FIX "pnpm-v5/pnpm-lock.yaml", "pnpm-lock.yaml",
	       "npm:@babel/runtime@7.12.5 npm:@emotion/react@11.10.5 npm:react-dom@17.0.2 "
	       "npm:react@17.0.2 npm:lodash_merge@1.0.0");
}

static void
test_pnpm_v6_at_keys_with_parenthesised_peers(void **state)
{
	(void)state;
	expect(FIX "pnpm-v6/pnpm-lock.yaml", "pnpm-lock.yaml",
	       "npm:@babel/runtime@7.22.6 npm:react-dom@18.2.0 npm:@tanstack/react-query@4.29.19 "
	       "npm:react@18.2.0");
}

static void
test_pnpm_v9_reads_packages_and_snapshots_once_each(void **state)
{
	(void)state;
	expect(FIX "pnpm-v9/pnpm-lock.yaml", "pnpm-lock.yaml",
	       "npm:@babel/runtime@7.24.7 npm:react-dom@18.3.1 npm:react@18.3.1 "
	       "npm:regenerator-runtime@0.14.1");
}

static void
test_requirements_only_exact_pins_with_pep503_names(void **state)
{
	(void)state;
	expect(FIX "python/requirements.txt", "requirements.txt",
	       "PyPI:boto3@1.28.3 PyPI:django@3.2.4 PyPI:requests@2.25.1 PyPI:pyyaml@5.3.1 "
	       "PyPI:zope-interface@5.4.0 PyPI:jinja2@2.10");
}

static void
test_pipfile_lock_reads_default_and_develop(void **state)
{
	(void)state;
	expect(FIX "python/Pipfile.lock", "Pipfile.lock",
	       "PyPI:certifi@2023.5.7 PyPI:flask-cors@3.0.9 PyPI:pytest@7.4.0");
}

static void
test_poetry_lock_reads_package_tables_not_subtables_or_strings(void **state)
{
	(void)state;
	expect(FIX "python/poetry.lock", "poetry.lock",
	       "PyPI:certifi@2023.5.7 PyPI:markdown-it-py@3.0.0 PyPI:requests@2.31.0");
}

static void
test_uv_lock_skips_the_editable_project(void **state)
{
	const char *uv = "version = 1\nrequires-python = \">=3.12\"\n\n"
	                 "[[package]]\nname = \"idna\"\nversion = \"3.7\"\n"
	                 "source = { registry = \"https://pypi.org/simple\" }\n"
	                 "sdist = { url = \"https://files.pythonhosted.org/idna-3.7.tar.gz\" }\n\n"
	                 "[[package]]\nname = \"my-app\"\nversion = \"0.1.0\"\n"
	                 "source = { editable = \".\" }\n"
	                 "dependencies = [\n    { name = \"idna\" },\n]\n";
	struct deps d;
	char *got;

	(void)state;
	deps_init(&d);
	assert_int_equal(from_text(&d, "uv.lock", uv), 1);
	got = listing(&d);
	assert_string_equal(got, "PyPI:idna@3.7");
	free(got);
	deps_free(&d);
}

static void
test_metadata_reads_headers_not_the_body(void **state)
{
	(void)state;
	expect(FIX "python/METADATA", "python/typing_extensions-4.7.1.dist-info/METADATA",
	       "PyPI:typing-extensions@4.7.1");
	expect(FIX "python/PKG-INFO", "simplejson-3.17.2-py3.9.egg-info/PKG-INFO",
	       "PyPI:simplejson@3.17.2");
	expect(FIX "python/PKG-INFO", "simplejson-3.17.2-py3.9.egg-info", "PyPI:simplejson@3.17.2");
	expect(FIX "python/PKG-INFO", "x.egg!/EGG-INFO/PKG-INFO", "PyPI:simplejson@3.17.2");
}

static void
test_dist_info_folder_name_is_the_fallback(void **state)
{
	struct deps d;
	char *got;

	(void)state;
	deps_init(&d);
	assert_int_equal(from_text(&d, "python/Foo_Bar-2.0.1.dist-info/RECORD", "x"), 1);
	assert_int_equal(from_text(&d, "python/Foo_Bar-2.0.1.dist-info/WHEEL", "x"), 1);
	assert_int_equal(from_text(&d, "lib/old-style-name-1.0.dist-info/INSTALLER", "pip"), 1);
	assert_int_equal(from_text(&d, "python/Foo_Bar-2.0.1.dist-info/LICENSE", "x"), 0);
	assert_int_equal(from_text(&d, "python/Foo_Bar-2.0.1.dist-info/METADATA",
	                           "Name: foo-bar\nVersion: 2.0.1\n"),
	                 1);
	got = listing(&d);
	assert_string_equal(got, "PyPI:foo-bar@2.0.1 PyPI:old-style-name@1.0");
	assert_string_equal(d.v[0].source, "python/Foo_Bar-2.0.1.dist-info");
	free(got);
	deps_free(&d);
}

static void
test_package_json_only_directly_under_node_modules(void **state)
{
	const char *pj = "{\"name\": \"@scope/pkg\", \"version\": \"1.2.3\"}";
	struct deps d;

	(void)state;
	deps_init(&d);
	assert_int_equal(from_text(&d, "node_modules/@scope/pkg/package.json", pj), 1);
	assert_int_equal(from_text(&d, "nodejs/node_modules/a/node_modules/b/package.json",
	                           "{\"name\":\"b\",\"version\":\"2.0.0\"}"),
	                 1);
	assert_int_equal(from_text(&d, "package.json", pj), 0);
	assert_int_equal(from_text(&d, "node_modules/a/lib/package.json", pj), 0);
	assert_int_equal(from_text(&d, "node_modules/@scope/package.json", pj), 0);
	assert_int_equal(from_text(&d, "node_modules/.bin/package.json", pj), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].name, "@scope/pkg");
	assert_string_equal(d.v[1].name, "b");
	deps_free(&d);
}

static void
test_unknown_files_are_not_its_business(void **state)
{
	struct deps d;

	(void)state;
	deps_init(&d);
	assert_int_equal(from_text(&d, "index.js", "x"), 0);
	assert_int_equal(from_text(&d, "docs/requirements.md", "a==1"), 0);
	assert_int_equal(from_text(&d, "node_modules/x/yarn.lock", "a@1:\n  version \"1\"\n"), 0);
	assert_int_equal(from_text(&d, "python/site-packages/y/requirements.txt", "a==1\n"), 0);
	assert_int_equal(d.n, 0);
	deps_free(&d);
}

/* Broken inputs: skipped with a note, what could be read is kept, nothing crashes. */
static void
test_broken_files_leave_a_note_and_never_fail(void **state)
{
	static const struct {
		const char *path, *text;
	} broken[] = {
		{ "package-lock.json", "{\"packages\": {\"node_modules/a\": {\"version\": " },
		{ "package-lock.json", "[1, 2, 3]" },
		{ "Pipfile.lock", "not json" },
		{ "node_modules/x/package.json", "{\"name\": 5}" },
		{ "yarn.lock", "\x01\x02 garbage without entries" },
		{ "pnpm-lock.yaml", "just: text\n" },
		{ "poetry.lock", "[[packag" },
		{ "a-1.0.dist-info/METADATA", "Summary: no name\n" },
	};
	struct deps d;

	(void)state;
	deps_init(&d);
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
		assert_int_equal(from_text(&d, broken[i].path, broken[i].text), 1);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.n_notes, sizeof(broken) / sizeof(broken[0]));
	assert_non_null(strstr(d.notes[0], "package-lock.json: "));
	/* a truncated yarn.lock keeps the entries before the cut */
	assert_int_equal(from_text(&d, "yarn.lock", "a@^1:\n  version \"1.0.0\"\n\nb@^2:\n  vers"),
	                 1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].name, "a");
	deps_free(&d);
	deps_free(&d); /* safe twice */
}

static void
test_duplicates_keep_the_first_source(void **state)
{
	struct deps d;

	(void)state;
	deps_init(&d);
	for (int i = 0; i < 3000; i++) { /* enough to grow the index a few times */
		char name[32];

		snprintf(name, sizeof(name), "pkg%d", i % 1000);
		deps_add(&d, "npm", name, strlen(name), "1.0.0", 5, i < 1000 ? "first" : "later");
	}
	assert_int_equal(d.n, 1000);
	for (size_t i = 0; i < d.n; i++)
		assert_string_equal(d.v[i].source, "first");
	assert_int_equal(deps_add(&d, "PyPI", "Pkg_0", 5, "1.0.0", 5, "py"), 1);
	assert_int_equal(deps_add(&d, "PyPI", "pkg.0", 5, "1.0.0", 5, "py"), 0);
	assert_int_equal(deps_add(&d, "npm", "x", 1, "", 0, "py"), 0);
	deps_free(&d);
}

static void
test_pep503_normalises_case_and_separator_runs(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(deps_pep503(out, sizeof(out), "Foo.._-Bar_baz", 14), "foo-bar-baz");
	assert_string_equal(deps_pep503(out, sizeof(out), "zope.interface", 14), "zope-interface");
}

/* A Lambda layer's folder, through the package reader: every rule by path suffix. */
static void
test_layer_folder_through_the_package_reader(void **state)
{
	struct deps d;
	struct package_report rep = { 0 };
	struct err err = { 0 };
	char *got;

	(void)state;
	deps_init(&d);
	assert_int_equal(
	        package_read_dir(test_path(FIX "layer"), NULL, deps_entry_fn, &d, &rep, &err), 0);
	got = listing(&d);
	assert_string_equal(got, "npm:@aws-sdk/client-s3@3.370.0 npm:lodash@4.17.15 "
	                         "npm:left-pad@1.3.0 npm:qs@6.7.0 npm:express@4.17.1 "
	                         "npm:uuid@8.3.2 PyPI:pyyaml@6.0 PyPI:simplejson@3.17.2 "
	                         "PyPI:six@1.16.0");
	assert_string_equal(d.v[1].source, "nodejs/node_modules/.package-lock.json");
	assert_int_equal(d.n_notes, 0);
	free(got);
	deps_free(&d);
	package_report_free(&rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_npm_lock_v1_walks_nested_dependencies_and_aliases),
		cmocka_unit_test(
		        test_npm_lock_v3_reads_packages_skipping_root_links_and_workspaces),
		cmocka_unit_test(test_yarn_classic_reads_scoped_names_aliases_and_skips_local),
		cmocka_unit_test(test_yarn_berry_takes_names_from_resolution_and_skips_workspaces),
		cmocka_unit_test(test_pnpm_v5_slash_keys_with_peer_suffixes),
		cmocka_unit_test(test_pnpm_v6_at_keys_with_parenthesised_peers),
		cmocka_unit_test(test_pnpm_v9_reads_packages_and_snapshots_once_each),
		cmocka_unit_test(test_requirements_only_exact_pins_with_pep503_names),
		cmocka_unit_test(test_pipfile_lock_reads_default_and_develop),
		cmocka_unit_test(test_poetry_lock_reads_package_tables_not_subtables_or_strings),
		cmocka_unit_test(test_uv_lock_skips_the_editable_project),
		cmocka_unit_test(test_metadata_reads_headers_not_the_body),
		cmocka_unit_test(test_dist_info_folder_name_is_the_fallback),
		cmocka_unit_test(test_package_json_only_directly_under_node_modules),
		cmocka_unit_test(test_unknown_files_are_not_its_business),
		cmocka_unit_test(test_broken_files_leave_a_note_and_never_fail),
		cmocka_unit_test(test_duplicates_keep_the_first_source),
		cmocka_unit_test(test_pep503_normalises_case_and_separator_runs),
		cmocka_unit_test(test_layer_folder_through_the_package_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
