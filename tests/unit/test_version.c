/*
 * Version ordering (analyze/version.h): semver 2.0.0 as npm reads it and
 * PEP 440, each checked on an ordered list (every pair compared), on
 * spellings that must be equal and on strings that must be refused.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <string.h>

#include "analyze/version.h"
#include "testutil.h"

static void
assert_strictly_ordered(const char *ecosystem, const char *const *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			int c = 99, want = i < j ? -1 : i > j;
			int rc = version_cmp(ecosystem, v[i], v[j], &c);

			if (rc || c != want)
				fail_msg("%s: cmp(%s, %s) = %d (rc %d), want %d", ecosystem, v[i],
				         v[j], c, rc, want);
		}
	}
}

static void
assert_equal_versions(const char *ecosystem, const char *a, const char *b)
{
	int c = 99;

	assert_int_equal(version_cmp(ecosystem, a, b, &c), 0);
	if (c)
		fail_msg("%s: %s and %s should be equal, cmp = %d", ecosystem, a, b, c);
}

static void
assert_refused(const char *ecosystem, const char *v)
{
	int c = 99;
	int rc = version_cmp(ecosystem, v, "1.0.0", &c);

	if (rc != ERR_PARSE && rc != ERR_LIMIT)
		fail_msg("%s: '%s' should not parse (rc %d)", ecosystem, v, rc);
	assert_int_equal(c, 99);
}

/* The precedence example of semver.org section 11, plus the numeric cases. */
static void
test_semver_orders_as_the_spec_example(void **state)
{
	static const char *const v[] = {
		"0.0.0-0",
		"0.0.0",
		"0.0.1",
		"0.9.0",
		"1.0.0-0.3.7",
		"1.0.0-alpha",
		"1.0.0-alpha.1",
		"1.0.0-alpha.beta",
		"1.0.0-beta",
		"1.0.0-beta.2",
		"1.0.0-beta.11",
		"1.0.0-rc.1",
		"1.0.0",
		"1.0.1",
		"1.2.0",
		"1.9.0",
		"1.10.0",
		"1.11.0",
		"2.0.0",
		"10.0.0",
		"99999999999999999999.0.0",
	};

	(void)state;
	assert_strictly_ordered("npm", v, sizeof(v) / sizeof(v[0]));
}

static void
test_semver_numeric_identifiers_sort_below_alphanumeric(void **state)
{
	static const char *const v[] = { "1.0.0-2",   "1.0.0-10",  "1.0.0-1a", "1.0.0-a",
		                         "1.0.0-a.0", "1.0.0-a-b", "1.0.0-b" };

	(void)state;
	assert_strictly_ordered("npm", v, sizeof(v) / sizeof(v[0]));
}

static void
test_semver_ignores_build_metadata_and_prefixes(void **state)
{
	(void)state;
	assert_equal_versions("npm", "1.0.0+build.1", "1.0.0+20240101");
	assert_equal_versions("npm", "v1.2.3", "1.2.3");
	assert_equal_versions("npm", "=1.2.3", " 1.2.3 ");
	assert_equal_versions("npm", "1.0.0-rc.1+b", "1.0.0-rc.1");
	assert_equal_versions("npm", "01.002.3", "1.2.3");
	/* OSV's npm data holds "1.0": read as 1.0.0, as OSV's own matcher does */
	assert_equal_versions("npm", "1.0", "1.0.0");
	assert_equal_versions("npm", "2", "2.0.0");
	assert_equal_versions("Go", "2.8.5+incompatible", "2.8.5");
	assert_equal_versions("crates.io", "0.1.0", "v0.1.0");
}

static void
test_semver_orders_go_pseudo_versions(void **state)
{
	static const char *const v[] = { "0.0.0-20150717181359-44718f8a89b0",
		                         "0.0.0-20210101000000-aaaaaaaaaaaa", "0.0.1",
		                         "4.0.0-preview1", "4.0.0" };

	(void)state;
	assert_strictly_ordered("Go", v, sizeof(v) / sizeof(v[0]));
}

static void
test_semver_refuses_what_is_not_a_version(void **state)
{
	static const char *const bad[] = { "",          "abc",     "1.2.3.4",    "1..2",
		                           "1.2.",      "1.2.3-",  "1.2.3-a..b", "1.2.3+",
		                           "1.2.3-a_b", "x.1.2",   "1.2.3 4",    "*",
		                           "^1.2.3",    ">=1.0.0", "1.x",        "-1.0.0" };
	char long_version[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused("npm", bad[i]);
	memset(long_version, '1', sizeof(long_version) - 1);
	long_version[sizeof(long_version) - 1] = '\0';
	assert_refused("npm", long_version);
}

/* The ordering list of packaging's own tests (tests/test_version.py VERSIONS). */
static void
test_pep440_orders_as_packaging_does(void **state)
{
	static const char *const v[] = {
		"1.0.dev456",
		"1.0a1",
		"1.0a2.dev456",
		"1.0a12.dev456",
		"1.0a12",
		"1.0b1.dev456",
		"1.0b2",
		"1.0b2.post345.dev456",
		"1.0b2.post345",
		"1.0rc1.dev456",
		"1.0rc1",
		"1.0",
		"1.0+abc.5",
		"1.0+abc.7",
		"1.0+5",
		"1.0.post456.dev34",
		"1.0.post456",
		"1.0.15",
		"1.1.dev1",
		"1.2",
		"1.2+123abc",
		"1.2+123abc456",
		"1.2+abc",
		"1.2+abc123",
		"1.2+abc123def",
		"1.2+1234.abc",
		"1.2+123456",
		"1.2.r32+123456",
		"1.2.rev33+123456",
		"1!1.0b2.post345.dev456",
		"1!1.0",
	};

	(void)state;
	assert_strictly_ordered("PyPI", v, sizeof(v) / sizeof(v[0]));
}

static void
test_pep440_pads_release_with_zeros(void **state)
{
	static const char *const v[] = { "0.9",  "1",   "1.0.0.1", "1.0.1", "1.1",
		                         "1.10", "5.4", "5.4.1",   "37.0.0" };

	(void)state;
	assert_equal_versions("PyPI", "1.0", "1.0.0");
	assert_equal_versions("PyPI", "1", "1.0.0.0");
	assert_equal_versions("PyPI", "5.4", "5.4.0");
	assert_equal_versions("PyPI", "0!1.0", "1.0");
	assert_strictly_ordered("PyPI", v, sizeof(v) / sizeof(v[0]));
}

/* The normalisations of PEP 440 ("Normalization" section), each spelling equal to the canonical
 * one. */
static void
test_pep440_normalises_spellings(void **state)
{
	static const char *const pairs[][2] = {
		{ "1.0ALPHA1", "1.0a1" },
		{ "1.0-alpha.1", "1.0a1" },
		{ "1.0beta2", "1.0b2" },
		{ "1.0c3", "1.0rc3" },
		{ "1.0pre3", "1.0rc3" },
		{ "1.0preview3", "1.0rc3" },
		{ "1.0-rc_3", "1.0rc3" },
		{ "1.0a", "1.0a0" },
		{ "1.0.post", "1.0.post0" },
		{ "1.0-1", "1.0.post1" },
		{ "1.0rev1", "1.0.post1" },
		{ "1.0.r1", "1.0.post1" },
		{ "1.0_post-1", "1.0.post1" },
		{ "1.0-dev", "1.0.dev0" },
		{ "1.0DEV2", "1.0.dev2" },
		{ "v1.0", "1.0" },
		{ "V1.0", "1.0" },
		{ " 1.0\n", "1.0" },
		{ "1.0+Ubuntu-1", "1.0+ubuntu.1" },
		{ "1.0+ubuntu_1", "1.0+ubuntu.1" },
		{ "1.01", "1.1" },
		{ "1.0a01", "1.0a1" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		assert_equal_versions("PyPI", pairs[i][0], pairs[i][1]);
}

static void
test_pep440_orders_dev_pre_final_post(void **state)
{
	static const char *const v[] = { "1.0.dev1",  "1.0a1.dev1", "1.0a1",     "1.0b1",
		                         "1.0rc1",    "1.0",        "1.0+local", "1.0.post1.dev1",
		                         "1.0.post1", "1.0.post2",  "1.1.dev0" };

	(void)state;
	assert_strictly_ordered("pypi", v, sizeof(v) / sizeof(v[0]));
}

static void
test_pep440_refuses_what_is_not_a_version(void **state)
{
	static const char *const bad[] = { "",        "abc",      "1.0.",   "1..0",
		                           "1.0+",    "1.0+a..b", "1.0+a-", "1.0-",
		                           "1.0a1b2", "1!",       "!1.0",   "1.0 1",
		                           "1.0.x",   ">=1.0",    "1.0~1",  "1.0.post1.post2" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused("PyPI", bad[i]);
}

static void
test_scheme_follows_the_osv_ecosystem_name(void **state)
{
	int c = 99;

	(void)state;
	assert_int_equal(version_scheme_of("npm"), VERSION_SCHEME_SEMVER);
	assert_int_equal(version_scheme_of("Go"), VERSION_SCHEME_SEMVER);
	assert_int_equal(version_scheme_of("PyPI"), VERSION_SCHEME_PEP440);
	assert_int_equal(version_scheme_of("pypi"), VERSION_SCHEME_PEP440);
	assert_int_equal(version_scheme_of("Maven"), VERSION_SCHEME_NONE);
	assert_int_equal(version_scheme_of(NULL), VERSION_SCHEME_NONE);
	assert_int_equal(version_cmp("Maven", "1.0", "1.0", &c), ERR_USAGE);
	/* the same strings order differently in the two schemes */
	assert_int_equal(version_cmp("PyPI", "1.0.0a1", "1.0.0", &c), 0);
	assert_int_equal(c, -1);
	assert_int_equal(version_cmp("npm", "1.0.0a1", "1.0.0", &c), ERR_PARSE);
}

/* Pairs ordered by an independent implementation (tests/data/osv/versions/README.md). */
static void
assert_agrees_with_peer(const char *ecosystem, const char *rel)
{
	FILE *f = fopen(test_path(rel), "r");
	char a[128], b[128];
	int want, got, n = 0;

	assert_non_null(f);
	while (fscanf(f, "%127s %127s %d", a, b, &want) == 3) {
		n++;
		if (version_cmp(ecosystem, a, b, &got) || got != want)
			fail_msg("%s: %s vs %s: peer says %d, we say %d", ecosystem, a, b, want,
			         got);
	}
	fclose(f);
	assert_true(n >= 1000);
}

static void
test_semver_agrees_with_npm_semver(void **state)
{
	(void)state;
	assert_agrees_with_peer("npm", "tests/data/osv/versions/npm-semver7.txt");
}

static void
test_pep440_agrees_with_a_port_of_packaging(void **state)
{
	(void)state;
	assert_agrees_with_peer("PyPI", "tests/data/osv/versions/pypi-pep440.txt");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semver_orders_as_the_spec_example),
		cmocka_unit_test(test_semver_numeric_identifiers_sort_below_alphanumeric),
		cmocka_unit_test(test_semver_ignores_build_metadata_and_prefixes),
		cmocka_unit_test(test_semver_orders_go_pseudo_versions),
		cmocka_unit_test(test_semver_refuses_what_is_not_a_version),
		cmocka_unit_test(test_pep440_orders_as_packaging_does),
		cmocka_unit_test(test_pep440_pads_release_with_zeros),
		cmocka_unit_test(test_pep440_normalises_spellings),
		cmocka_unit_test(test_pep440_orders_dev_pre_final_post),
		cmocka_unit_test(test_pep440_refuses_what_is_not_a_version),
		cmocka_unit_test(test_scheme_follows_the_osv_ecosystem_name),
		cmocka_unit_test(test_semver_agrees_with_npm_semver),
		cmocka_unit_test(test_pep440_agrees_with_a_port_of_packaging),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
