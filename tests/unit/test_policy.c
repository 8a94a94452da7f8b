#include "cmocka_prelude.h"
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/policy.h"

static cJSON *
parse(const char *text)
{
	struct err err = { 0 };
	cJSON *doc = json_parse(text, strlen(text), &err);

	assert_non_null(doc);
	return doc;
}

static void
test_policy_url_decode_reverses_iam_encoding(void **state)
{
	struct err err = { 0 };
	size_t len = 0;
	char *s;

	(void)state;
	s = policy_url_decode("%7B%22a%22%3A%20%22b%2Bc%22%7D+x", &len, &err);
	assert_non_null(s);
	assert_string_equal(s, "{\"a\": \"b+c\"}+x"); /* '+' stays '+' (RFC 3986) */
	assert_int_equal(len, strlen(s));
	free(s);
	assert_null(policy_url_decode("%7", NULL, &err));
	assert_int_equal(err.code, ERR_PARSE);
	assert_null(policy_url_decode("%zz", NULL, &err));
	assert_null(policy_url_decode("a%00b", NULL, &err)); /* no hidden NUL */
}

static void
test_policy_decode_gives_an_object_or_an_error(void **state)
{
	struct err err = { 0 };
	cJSON *doc;

	(void)state;
	doc = policy_decode("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D",
	                    &err);
	assert_non_null(doc);
	assert_string_equal(json_str(doc, "Version"), "2012-10-17");
	cJSON_Delete(doc);
	/* already JSON: a '%' inside is literal */
	doc = policy_decode("{\"Sid\":\"100%25\"}", &err);
	assert_non_null(doc);
	assert_string_equal(json_str(doc, "Sid"), "100%25");
	cJSON_Delete(doc);
	assert_null(policy_decode("%5B1%5D", &err)); /* [1]: not an object */
	assert_int_equal(err.code, ERR_PARSE);
	assert_null(policy_decode("%7Bnot json", &err));
}

static void
test_policy_wildcards_star_and_question_mark(void **state)
{
	(void)state;
	assert_true(policy_wildcard_match("s3:*", "s3:GetObject", 1));
	assert_true(policy_wildcard_match("s3:Get*", "S3:getobject", 1)); /* actions: case-blind */
	assert_false(policy_wildcard_match("s3:Get*", "s3:PutObject", 1));
	assert_true(policy_wildcard_match("*", "", 0));
	assert_true(policy_wildcard_match("dynamodb:?etItem", "dynamodb:GetItem", 1));
	assert_false(policy_wildcard_match("dynamodb:?etItem", "dynamodb:etItem", 1));
	assert_true(policy_wildcard_match("arn:aws:sqs:*:123456789012:jobs-??",
	                                  "arn:aws:sqs:us-east-1:123456789012:jobs-01", 0));
	assert_false(policy_wildcard_match("arn:aws:sqs:*:123456789012:jobs-??",
	                                   "arn:aws:sqs:us-east-1:123456789012:jobs-001", 0));
	/* ARNs are case-sensitive */
	assert_false(policy_wildcard_match("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", 0));
	assert_true(policy_wildcard_match("a*b*c", "aXbYbZc", 0));
	assert_false(policy_wildcard_match("a*b*c", "aXbYbZ", 0));
	assert_true(policy_wildcard_match("arn:aws:dynamodb:*:*:table/orders*",
	                                  "arn:aws:dynamodb:us-east-1:1:table/orders", 0));
}

static void
test_policy_wildcard_prefix_reaches_what_is_under(void **state)
{
	(void)state;
	assert_true(policy_wildcard_match_prefix("arn:aws:s3:::b/reports/*", "arn:aws:s3:::b/", 0));
	assert_true(policy_wildcard_match_prefix("arn:aws:s3:::b*", "arn:aws:s3:::b/", 0));
	assert_false(policy_wildcard_match_prefix("arn:aws:s3:::bx/*", "arn:aws:s3:::b/", 0));
	assert_false(policy_wildcard_match_prefix("arn:aws:s3:::b", "arn:aws:s3:::b/", 0));
}

static int
count_statement(const cJSON *stmt, void *ctx)
{
	(void)stmt;
	(*(int *)ctx)++;
	return 0;
}

static void
test_policy_each_statement_takes_an_object_or_an_array(void **state)
{
	cJSON *one = parse("{\"Statement\":{\"Effect\":\"Allow\"}}");
	cJSON *two = parse("{\"Statement\":[{\"Effect\":\"Allow\"},7,{\"Effect\":\"Deny\"}]}");
	cJSON *none = parse("{\"Statement\":\"x\"}");
	int n = 0;

	(void)state;
	policy_each_statement(one, count_statement, &n);
	assert_int_equal(n, 1);
	n = 0;
	policy_each_statement(two, count_statement, &n);
	assert_int_equal(n, 2); /* the 7 is skipped */
	n = 0;
	policy_each_statement(none, count_statement, &n);
	assert_int_equal(n, 0);
	cJSON_Delete(one);
	cJSON_Delete(two);
	cJSON_Delete(none);
}

static void
test_policy_not_action_covers_everything_else(void **state)
{
	cJSON *s = parse("{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"organizations:*\"],"
	                 "\"NotResource\":\"arn:aws:s3:::secret\"}");

	(void)state;
	assert_true(policy_statement_covers_action(s, "s3:GetObject"));
	assert_false(policy_statement_covers_action(s, "iam:PassRole"));
	assert_true(policy_statement_covers_resource(s, "arn:aws:s3:::public"));
	assert_false(policy_statement_covers_resource(s, "arn:aws:s3:::secret"));
	cJSON_Delete(s);
}

static void
test_policy_deny_wins_and_conditions_are_noted(void **state)
{
	cJSON *doc =
	        parse("{\"Statement\":["
	              "{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"},"
	              "{\"Effect\":\"Deny\",\"Action\":\"dynamodb:Delete*\","
	              "\"Resource\":\"arn:aws:dynamodb:us-east-1:1:table/orders\"},"
	              "{\"Effect\":\"Deny\",\"Action\":\"dynamodb:PutItem\",\"Resource\":\"*\","
	              "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}},"
	              "{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\","
	              "\"Condition\":{\"StringEquals\":{\"aws:SourceVpc\":\"vpc-1\"}}}]}");
	const cJSON *docs[] = { doc };
	const cJSON *why = NULL;
	int cond = -1;
	const char *table = "arn:aws:dynamodb:us-east-1:1:table/orders";

	(void)state;
	assert_true(policy_docs_allow(docs, 1, "dynamodb:GetItem", table, 0, &why, &cond));
	assert_int_equal(cond, 0);
	assert_false(policy_docs_allow(docs, 1, "dynamodb:DeleteItem", table, 0, NULL, NULL));
	assert_true(policy_docs_allow(docs, 1, "dynamodb:DeleteItem",
	                              "arn:aws:dynamodb:us-east-1:1:table/other", 0, NULL, NULL));
	/* a conditional Deny removes nothing: reach is over-stated, never hidden */
	assert_true(policy_docs_allow(docs, 1, "dynamodb:PutItem", table, 0, NULL, NULL));
	/* a conditional Allow grants, and says so */
	assert_true(
	        policy_docs_allow(docs, 1, "sqs:SendMessage", "arn:aws:sqs:r:1:q", 0, &why, &cond));
	assert_int_equal(cond, 1);
	assert_true(policy_statement_has_condition(why));
	/* only a Deny: nothing allowed */
	assert_false(policy_docs_allow(docs, 1, "s3:GetObject", "arn:aws:s3:::b", 0, NULL, NULL));
	cJSON_Delete(doc);
}

static void
test_policy_object_prefix_for_buckets(void **state)
{
	cJSON *doc = parse("{\"Statement\":["
	                   "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\","
	                   "\"Resource\":\"arn:aws:s3:::reports/2024/*\"},"
	                   "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"},"
	                   "{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\","
	                   "\"Resource\":\"arn:aws:s3:::vault/*\"},"
	                   "{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\","
	                   "\"Resource\":\"arn:aws:s3:::mixed/private/*\"}]}");
	const cJSON *docs[] = { doc };

	(void)state;
	assert_true(policy_docs_allow(docs, 1, "s3:PutObject", "arn:aws:s3:::reports/",
	                              POLICY_ARN_PREFIX, NULL, NULL));
	assert_false(
	        policy_docs_allow(docs, 1, "s3:PutObject", "arn:aws:s3:::reports/", 0, NULL, NULL));
	/* a Deny on every object of vault removes it; one on part of mixed does not */
	assert_false(policy_docs_allow(docs, 1, "s3:GetObject", "arn:aws:s3:::vault/",
	                               POLICY_ARN_PREFIX, NULL, NULL));
	assert_true(policy_docs_allow(docs, 1, "s3:GetObject", "arn:aws:s3:::mixed/",
	                              POLICY_ARN_PREFIX, NULL, NULL));
	cJSON_Delete(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_url_decode_reverses_iam_encoding),
		cmocka_unit_test(test_policy_decode_gives_an_object_or_an_error),
		cmocka_unit_test(test_policy_wildcards_star_and_question_mark),
		cmocka_unit_test(test_policy_wildcard_prefix_reaches_what_is_under),
		cmocka_unit_test(test_policy_each_statement_takes_an_object_or_an_array),
		cmocka_unit_test(test_policy_not_action_covers_everything_else),
		cmocka_unit_test(test_policy_deny_wins_and_conditions_are_noted),
		cmocka_unit_test(test_policy_object_prefix_for_buckets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
