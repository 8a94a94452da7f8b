/*
 * OSV records (analyze/osv.h): the real GHSA, PYSEC and Go advisories of
 * tests/data/osv matched with installed versions just below, at and above
 * each boundary, and small hand-written records for the parts of the schema
 * the real ones do not show (limit, withdrawn, unparseable bounds).
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/osv.h"
#include "testutil.h"

static void
load(const char *file, struct osv_record *r)
{
	char rel[256];
	size_t len;
	char *text;
	struct err err = { 0 };

	snprintf(rel, sizeof(rel), "tests/data/osv/%s", file);
	text = test_read_file(test_path(rel), &len);
	assert_non_null(text);
	if (osv_parse(text, len, r, &err))
		fail_msg("%s: %s", file, err.msg);
	free(text);
}

static void
parse_text(const char *json, struct osv_record *r)
{
	struct err err = { 0 };

	if (osv_parse(json, strlen(json), r, &err))
		fail_msg("%s", err.msg);
}

/* want_fix: NULL when the version is not affected or affected with no fix above it. */
static void
expect(const struct osv_record *r, const char *eco, const char *name, const char *version,
       int want_affected, const char *want_fix)
{
	struct osv_verdict v;
	int rc = osv_match(r, eco, name, version, &v);

	if (rc)
		fail_msg("%s %s@%s: rc %d", r->id, name, version, rc);
	if (v.affected != want_affected)
		fail_msg("%s %s@%s: affected %d, want %d", r->id, name, version, v.affected,
		         want_affected);
	if ((want_fix == NULL) != (v.first_fixed == NULL) ||
	    (want_fix && strcmp(want_fix, v.first_fixed)))
		fail_msg("%s %s@%s: first fix %s, want %s", r->id, name, version,
		         v.first_fixed ? v.first_fixed : "(none)", want_fix ? want_fix : "(none)");
}

static void
test_parse_reads_the_fields_a_finding_shows(void **state)
{
	struct osv_record r;

	(void)state;
	load("GHSA-p6mc-m468-83gw.json", &r);
	assert_string_equal(r.id, "GHSA-p6mc-m468-83gw");
	assert_string_equal(r.summary, "Prototype Pollution in lodash");
	assert_int_equal(r.n_aliases, 1);
	assert_string_equal(r.aliases[0], "CVE-2020-8203");
	assert_int_equal(r.severity, SEV_HIGH);
	assert_null(r.withdrawn);
	assert_string_equal(r.modified, "2022-02-08T22:04:28Z");
	assert_true(r.modified_ms == 1644357868000LL);
	assert_int_equal(r.affected.n, 2);
	assert_string_equal(r.affected.v[1].name, "lodash-es");
	assert_int_equal(r.affected.v[0].ranges[0].type, OSV_RANGE_ECOSYSTEM);
	assert_int_equal(r.affected.v[0].ranges[0].n_events, 2);
	osv_record_release(&r);
}

/* The brief's three: lodash < 4.17.20, requests [2.3.0, 2.31.0), urllib3 [1.25.4, 1.26.5). */
static void
test_match_at_each_boundary_of_real_advisories(void **state)
{
	struct osv_record r;

	(void)state;
	load("GHSA-p6mc-m468-83gw.json", &r);
	expect(&r, "npm", "lodash", "0.1.0", 1, "4.17.20");
	expect(&r, "npm", "lodash", "4.17.19", 1, "4.17.20");
	expect(&r, "npm", "lodash", "4.17.20-beta.1", 1, "4.17.20");
	expect(&r, "npm", "lodash", "4.17.20", 0, NULL);
	expect(&r, "npm", "lodash", "4.17.21", 0, NULL);
	expect(&r, "npm", "lodash-es", "4.17.15", 1, "4.17.20");
	expect(&r, "npm", "lodash.merge", "4.0.0", 0, NULL);
	expect(&r, "PyPI", "lodash", "4.0.0", 0, NULL);
	osv_record_release(&r);

	load("GHSA-j8r2-6x86-q33q.json", &r);
	expect(&r, "PyPI", "requests", "2.2.1", 0, NULL);
	expect(&r, "PyPI", "requests", "2.3.0", 1, "2.31.0");
	expect(&r, "PyPI", "requests", "2.3", 1, "2.31.0");
	expect(&r, "PyPI", "requests", "2.30.0", 1, "2.31.0");
	expect(&r, "PyPI", "requests", "2.31.0rc1", 1, "2.31.0");
	expect(&r, "PyPI", "requests", "2.31.0", 0, NULL);
	expect(&r, "PyPI", "requests", "2.31", 0, NULL);
	expect(&r, "PyPI", "Requests", "2.30.0", 1, "2.31.0");
	osv_record_release(&r);

	load("GHSA-q2q7-5pp4-w6pg.json", &r);
	expect(&r, "PyPI", "urllib3", "1.25.3", 0, NULL);
	expect(&r, "PyPI", "urllib3", "1.25.4", 1, "1.26.5");
	expect(&r, "PyPI", "urllib3", "1.26.4", 1, "1.26.5");
	expect(&r, "PyPI", "urllib3", "1.26.5", 0, NULL);
	expect(&r, "PyPI", "urllib3", "2.0.0", 0, NULL);
	osv_record_release(&r);
}

/* One GHSA per branch line: the fix offered is the one on the installed line. */
static void
test_first_fix_is_on_the_installed_line(void **state)
{
	struct osv_record r;

	(void)state;
	load("GHSA-c2qf-rxjj-qqgw.json", &r); /* semver: <5.7.2, [6.0.0, 6.3.1), [7.0.0, 7.5.2) */
	expect(&r, "npm", "semver", "5.7.1", 1, "5.7.2");
	expect(&r, "npm", "semver", "6.3.0", 1, "6.3.1");
	expect(&r, "npm", "semver", "7.5.1", 1, "7.5.2");
	expect(&r, "npm", "semver", "5.7.2", 0, NULL);
	expect(&r, "npm", "semver", "6.3.1", 0, NULL);
	expect(&r, "npm", "semver", "7.5.2", 0, NULL);
	osv_record_release(&r);

	load("GHSA-hrpp-h998-j3pp.json", &r); /* qs: nine lines */
	expect(&r, "npm", "qs", "6.5.2", 1, "6.5.3");
	expect(&r, "npm", "qs", "6.5.3", 0, NULL);
	expect(&r, "npm", "qs", "6.10.2", 1, "6.10.3");
	expect(&r, "npm", "qs", "6.10.3", 0, NULL);
	expect(&r, "npm", "qs", "6.2.3", 1, "6.2.4");
	osv_record_release(&r);

	/* node-fetch: [1.0, 3.1.1) and [0, 2.6.7); 2.6.7 is still inside the first */
	load("GHSA-r683-j2x4-v87g.json", &r);
	expect(&r, "npm", "node-fetch", "2.6.6", 1, "3.1.1");
	expect(&r, "npm", "node-fetch", "2.6.7", 1, "3.1.1");
	expect(&r, "npm", "node-fetch", "3.1.1", 0, NULL);
	osv_record_release(&r);
}

static void
test_match_follows_the_readme_worked_examples(void **state)
{
	struct osv_record r;

	(void)state;
	load("GHSA-rv95-896h-c2vc.json", &r);
	expect(&r, "npm", "express", "4.19.2", 0, NULL);
	expect(&r, "npm", "express", "5.0.0-beta.3", 0, NULL);
	expect(&r, "npm", "express", "5.0.0-beta.2", 1, "5.0.0-beta.3");
	expect(&r, "npm", "express", "5.0.0-alpha.1", 1, "5.0.0-beta.3");
	expect(&r, "npm", "express", "5.0.0-alpha.0", 0, NULL);
	osv_record_release(&r);

	load("GHSA-qw6h-vgh9-j6wx.json", &r);
	expect(&r, "npm", "express", "4.19.2", 1, "4.20.0");
	expect(&r, "npm", "express", "5.0.0-beta.3", 1, "5.0.0");
	expect(&r, "npm", "express", "4.20.0", 0, NULL);
	osv_record_release(&r);

	load("GHSA-p8p7-x288-28g6.json", &r); /* last_affected is inclusive, no fix */
	expect(&r, "npm", "@cypress/request", "2.88.11", 1, NULL);
	expect(&r, "npm", "@cypress/request", "2.88.12", 0, NULL);
	expect(&r, "npm", "request", "2.88.2", 1, NULL);
	expect(&r, "npm", "request", "2.88.3-0", 0, NULL);
	osv_record_release(&r);

	load("GHSA-2gwj-7jmv-h26r.json", &r);
	expect(&r, "PyPI", "django", "3.2.12", 1, "3.2.13");
	expect(&r, "PyPI", "DJANGO", "4.1", 0, NULL);
	assert_int_equal(r.severity, SEV_CRITICAL);
	osv_record_release(&r);

	load("GHSA-wj6h-64fc-37mp.json", &r);
	expect(&r, "PyPI", "ecdsa", "0.18.0", 1, NULL);
	expect(&r, "PyPI", "ecdsa", "0.19.0", 0, NULL);
	osv_record_release(&r);

	load("GHSA-8q59-q68h-6hv4.json", &r);
	expect(&r, "PyPI", "pyyaml", "5.3.1", 1, "5.4");
	expect(&r, "PyPI", "py.yaml", "5.3.1", 0, NULL);
	expect(&r, "PyPI", "PyYAML", "5.4.0", 0, NULL);
	osv_record_release(&r);
}

/* Unsorted events in one range, the versions list, a GIT range to skip. */
static void
test_pysec_events_sorted_and_versions_listed(void **state)
{
	struct osv_record r;

	(void)state;
	load("pypa-converted/PYSEC-2022-190.json", &r);
	expect(&r, "PyPI", "Django", "2.1.9", 0, NULL);
	expect(&r, "PyPI", "Django", "2.2", 1, "2.2.28");
	expect(&r, "PyPI", "Django", "2.2.28", 0, NULL);
	expect(&r, "PyPI", "Django", "3.2.12", 1, "3.2.13");
	expect(&r, "PyPI", "Django", "3.2.13", 0, NULL);
	expect(&r, "PyPI", "Django", "4.0.3", 1, "4.0.4");
	expect(&r, "PyPI", "Django", "4.1", 0, NULL);
	assert_int_equal(r.severity, SEV_MEDIUM); /* no severity at all in the record */
	assert_int_equal(r.n_aliases, 2);
	osv_record_release(&r);

	load("pypa-converted/PYSEC-2023-74.json", &r);
	assert_int_equal(r.affected.v[0].ranges[0].type, OSV_RANGE_GIT);
	assert_int_equal(r.affected.v[0].ranges[0].scheme, VERSION_SCHEME_NONE);
	expect(&r, "PyPI", "requests", "2.30.0", 1, "2.31.0");
	expect(&r, "PyPI", "requests", "2.31.0", 0, NULL);
	expect(&r, "PyPI", "requests", "2.2.0", 0, NULL);
	osv_record_release(&r);
}

static void
test_go_semver_ranges_with_several_pairs(void **state)
{
	struct osv_record r;

	(void)state;
	load("GO-2024-2666.json", &r);
	expect(&r, "Go", "github.com/cilium/cilium", "1.14.8", 1, "1.14.9");
	expect(&r, "Go", "github.com/cilium/cilium", "1.14.9", 0, NULL);
	expect(&r, "Go", "github.com/cilium/cilium", "v1.13.13", 1, "1.13.14");
	expect(&r, "Go", "github.com/cilium/cilium", "1.16.0", 0, NULL);
	osv_record_release(&r);

	load("GO-2022-0646.json", &r); /* introduced 0, no fix */
	expect(&r, "Go", "github.com/aws/aws-sdk-go", "1.55.5", 1, NULL);
	osv_record_release(&r);
}

#define RECORD(extra, events)                                                    \
	"{\"id\":\"TEST-1\",\"modified\":\"2024-01-02T03:04:05.5+01:00\"," extra \
	",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"pkg\"},"  \
	"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[" events "]}]}]}"

static void
test_limit_caps_the_range(void **state)
{
	struct osv_record r;

	(void)state;
	parse_text(RECORD("\"summary\":\"s\"",
	                  "{\"introduced\":\"1.0.0\"},{\"limit\":\"1.5.0\"},{\"fixed\":\"2.0.0\"}"),
	           &r);
	expect(&r, "npm", "pkg", "0.9.0", 0, NULL);
	expect(&r, "npm", "pkg", "1.4.9", 1, "2.0.0");
	expect(&r, "npm", "pkg", "1.5.0", 0, NULL);
	expect(&r, "npm", "pkg", "1.9.0", 0, NULL);
	/* the offset is applied: 03:04:05.5 at +01:00 is 02:04:05.5 UTC */
	assert_true(r.modified_ms == 1704161045500LL);
	osv_record_release(&r);
}

static void
test_withdrawn_records_match_nothing(void **state)
{
	struct osv_record r;

	(void)state;
	parse_text(RECORD("\"withdrawn\":\"2024-02-01T00:00:00Z\"", "{\"introduced\":\"0\"}"), &r);
	assert_non_null(r.withdrawn);
	expect(&r, "npm", "pkg", "1.0.0", 0, NULL);
	osv_record_release(&r);
}

static void
test_unparseable_versions_are_reported_not_matched(void **state)
{
	struct osv_record r;
	struct osv_verdict v;

	(void)state;
	parse_text(
	        RECORD("\"aliases\":[\"CVE-1\",7]", "{\"introduced\":\"0\"},{\"fixed\":\"1.2.3\"}"),
	        &r);
	assert_int_equal(r.n_aliases, 1);
	assert_int_equal(osv_match(&r, "npm", "pkg", "latest", &v), ERR_PARSE);
	assert_false(v.affected);
	osv_record_release(&r);

	/* a bound that does not parse: the range is skipped and said to be */
	parse_text(RECORD("\"summary\":\"s\"", "{\"introduced\":\"0\"},{\"fixed\":\"next\"}"), &r);
	assert_int_equal(osv_match(&r, "npm", "pkg", "1.0.0", &v), 0);
	assert_false(v.affected);
	assert_true(v.unevaluated);
	osv_record_release(&r);
}

static void
test_severity_from_cvss_then_malicious_then_medium(void **state)
{
	static const struct {
		const char *json;
		enum severity want;
	} cases[] = {
		{ "{\"id\":\"A\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":"
		  "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}]}",
		  SEV_CRITICAL }, /* 9.8 */
		{ "{\"id\":\"B\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":"
		  "\"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H\"}]}",
		  SEV_HIGH }, /* 7.4 */
		{ "{\"id\":\"C\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":"
		  "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N\"}]}",
		  SEV_MEDIUM }, /* 6.1 */
		{ "{\"id\":\"D\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":"
		  "\"CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N\"}]}",
		  SEV_LOW }, /* 1.8 */
		{ "{\"id\":\"E\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":"
		  "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N\"}]}",
		  SEV_INFO }, /* 0.0 */
		{ "{\"id\":\"F\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N\"}]}",
		  SEV_MEDIUM }, /* incomplete vector */
		{ "{\"id\":\"MAL-2024-1\",\"summary\":\"Malicious code in x (npm)\"}",
		  SEV_CRITICAL },
		{ "{\"id\":\"G\",\"database_specific\":{\"severity\":\"MODERATE\"},\"severity\":"
		  "[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}]}",
		  SEV_MEDIUM },
		{ "{\"id\":\"H\",\"severity\":[{\"type\":\"CVSS_V4\",\"score\":\"CVSS:4.0/AV:N\"}]}",
		  SEV_MEDIUM },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct osv_record r;

		parse_text(cases[i].json, &r);
		if (r.severity != cases[i].want)
			fail_msg("%s: severity %d, want %d", r.id, r.severity, cases[i].want);
		osv_record_release(&r);
	}
}

static void
test_parse_refuses_what_is_not_a_record(void **state)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{\"summary\":\"no id\"}",
		"{\"id\":\"X\",\"affected\":{}}",
		"{\"id\":\"X\",\"affected\":[{\"ranges\":[{\"events\":[]}]}]}",
		"{\"id\":\"X\",\"affected\":[{\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{}]}]}]}",
		"{\"id\":\"X\",\"affected\":[{\"versions\":[1]}]}",
		"{\"id\":",
	};
	struct osv_record r;
	struct err err = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!osv_parse(bad[i], strlen(bad[i]), &r, &err))
			fail_msg("parsed: %s", bad[i]);
		assert_null(r.id);
	}
}

static void
test_compact_form_matches_as_the_record_does(void **state)
{
	struct osv_record r;
	struct osv_affected_list list;
	struct osv_verdict v;
	struct err err = { 0 };
	char *text;

	(void)state;
	load("GHSA-xvch-5gv4-984h.json", &r); /* minimist: [1.0.0, 1.2.6) and [0, 0.2.4) */
	assert_null(osv_compact_package(&r, "npm", "lodash"));
	text = osv_compact_package(&r, "npm", "minimist");
	assert_non_null(text);
	assert_null(strstr(text, "ecosystem_specific"));
	assert_int_equal(osv_affected_parse(text, strlen(text), &list, &err), 0);
	assert_int_equal(list.n, 2);
	assert_int_equal(osv_affected_check(&list, NULL, NULL, "1.2.5", &v), 0);
	assert_true(v.affected);
	assert_string_equal(v.first_fixed, "1.2.6");
	assert_int_equal(osv_affected_check(&list, NULL, NULL, "0.2.3", &v), 0);
	assert_string_equal(v.first_fixed, "0.2.4");
	assert_int_equal(osv_affected_check(&list, NULL, NULL, "0.2.4", &v), 0);
	assert_false(v.affected);
	osv_affected_release(&list);
	free(text);
	osv_record_release(&r);
}

static void
test_package_names_normalise_for_pypi_only(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(osv_package_name("PyPI", "Zope.Interface__x", out, sizeof(out)),
	                    "zope-interface-x");
	assert_string_equal(osv_package_name("pypi", "PyYAML", out, sizeof(out)), "pyyaml");
	assert_string_equal(osv_package_name("npm", "JSONStream", out, sizeof(out)), "JSONStream");
	assert_string_equal(osv_ecosystem_name("pypi"), "PyPI");
	assert_string_equal(osv_ecosystem_name("NPM"), "npm");
	assert_string_equal(osv_ecosystem_name("Debian:12"), "Debian:12");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_reads_the_fields_a_finding_shows),
		cmocka_unit_test(test_match_at_each_boundary_of_real_advisories),
		cmocka_unit_test(test_first_fix_is_on_the_installed_line),
		cmocka_unit_test(test_match_follows_the_readme_worked_examples),
		cmocka_unit_test(test_pysec_events_sorted_and_versions_listed),
		cmocka_unit_test(test_go_semver_ranges_with_several_pairs),
		cmocka_unit_test(test_limit_caps_the_range),
		cmocka_unit_test(test_withdrawn_records_match_nothing),
		cmocka_unit_test(test_unparseable_versions_are_reported_not_matched),
		cmocka_unit_test(test_severity_from_cvss_then_malicious_then_medium),
		cmocka_unit_test(test_parse_refuses_what_is_not_a_record),
		cmocka_unit_test(test_compact_form_matches_as_the_record_does),
		cmocka_unit_test(test_package_names_normalise_for_pypi_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
