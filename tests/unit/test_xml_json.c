#include "cmocka_prelude.h"
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/xml.h"

static const char sts_answer[] =
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        "  <GetCallerIdentityResult>\n"
        "    <Arn>arn:aws:iam::123456789012:user/alice</Arn>\n"
        "    <UserId>AIDAEXAMPLE</UserId>\n"
        "    <Account>123456789012</Account>\n"
        "  </GetCallerIdentityResult>\n"
        "  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>\n"
        "</GetCallerIdentityResponse>\n";

static void
test_xml_text_follows_a_path(void **state)
{
	struct xml_doc doc;
	struct err err = { 0 };

	(void)state;
	assert_int_equal(xml_parse(sts_answer, strlen(sts_answer), &doc, &err), 0);
	assert_string_equal(doc.root->name, "GetCallerIdentityResponse");
	assert_string_equal(xml_text(doc.root, "GetCallerIdentityResult/Account"), "123456789012");
	assert_string_equal(xml_text(doc.root, "ResponseMetadata/RequestId"), "r-1");
	assert_null(xml_text(doc.root, "GetCallerIdentityResult/Missing"));
	xml_doc_release(&doc);
}

static void
test_xml_siblings_with_one_name_are_walked(void **state)
{
	static const char x[] = "<a><m>1</m><n/><m>2</m><m>3</m></a>";
	const struct xml_node *m;
	struct xml_doc doc;
	char seen[8] = "";

	(void)state;
	assert_int_equal(xml_parse(x, strlen(x), &doc, NULL), 0);
	for (m = xml_child(doc.root, "m"); m; m = xml_next_same(m))
		strcat(seen, m->text);
	assert_string_equal(seen, "123");
	xml_doc_release(&doc);
}

static void
test_xml_prefixes_dropped_and_entities_decoded(void **state)
{
	static const char x[] = "<s3:ListAllMyBucketsResult xmlns:s3=\"u\"><s3:Owner>"
	                        "a&amp;b&lt;c</s3:Owner></s3:ListAllMyBucketsResult>";
	struct xml_doc doc;

	(void)state;
	assert_int_equal(xml_parse(x, strlen(x), &doc, NULL), 0);
	assert_string_equal(xml_text(doc.root, "Owner"), "a&b<c");
	xml_doc_release(&doc);
}

static void
test_xml_malformed_and_doctype_are_errors(void **state)
{
	static const char bad[] = "<a><b></a>";
	static const char laughs[] = "<!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
	                             "<l>&b;</l>";
	struct xml_doc doc;
	struct err err = { 0 };

	(void)state;
	assert_int_equal(xml_parse(bad, strlen(bad), &doc, &err), ERR_PARSE);
	assert_non_null(strstr(err.msg, "line 1"));
	assert_null(doc.root);
	assert_int_equal(xml_parse(laughs, strlen(laughs), &doc, &err), ERR_PARSE);
	assert_int_equal(xml_parse("", 0, &doc, &err), ERR_PARSE);
}

static void
test_xml_depth_over_limit_is_limit(void **state)
{
	size_t n = XML_MAX_DEPTH + 5, i;
	char *x = malloc(n * 7 + 1), *p = x;
	struct xml_doc doc;
	struct err err = { 0 };

	(void)state;
	for (i = 0; i < n; i++)
		memcpy(p, "<a>", 3), p += 3;
	for (i = 0; i < n; i++)
		memcpy(p, "</a>", 4), p += 4;
	assert_int_equal(xml_parse(x, (size_t)(p - x), &doc, &err), ERR_LIMIT);
	free(x);
}

static void
test_json_getters_check_types(void **state)
{
	static const char j[] = "{\"Configuration\":{\"FunctionName\":\"f\",\"Timeout\":900,"
	                        "\"Tracing\":true},\"List\":[1]}";
	cJSON *root;
	double t = 0;

	(void)state;
	root = json_parse(j, strlen(j), NULL);
	assert_non_null(root);
	assert_string_equal(json_str(root, "Configuration.FunctionName"), "f");
	assert_null(json_str(root, "Configuration.Timeout"));
	assert_int_equal(json_num(root, "Configuration.Timeout", &t), 0);
	assert_true(t == 900);
	assert_int_equal(json_num(root, "Configuration.Missing", &t), ERR_NOTFOUND);
	assert_int_equal(json_bool(root, "Configuration.Tracing", 0), 1);
	assert_int_equal(json_bool(root, "List", 7), 7);
	assert_null(json_path(root, "List.x"));
	cJSON_Delete(root);
}

static void
test_json_malformed_names_the_byte(void **state)
{
	struct err err = { 0 };
	cJSON *root;

	(void)state;
	assert_null(json_parse("{\"a\":tru}", 9, &err));
	assert_int_equal(err.code, ERR_PARSE);
	assert_non_null(strstr(err.msg, "byte"));
	/* not NUL-terminated input is read only up to len */
	root = json_parse("{}garbage", 2, &err);
	assert_non_null(root);
	cJSON_Delete(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_text_follows_a_path),
		cmocka_unit_test(test_xml_siblings_with_one_name_are_walked),
		cmocka_unit_test(test_xml_prefixes_dropped_and_entities_decoded),
		cmocka_unit_test(test_xml_malformed_and_doctype_are_errors),
		cmocka_unit_test(test_xml_depth_over_limit_is_limit),
		cmocka_unit_test(test_json_getters_check_types),
		cmocka_unit_test(test_json_malformed_names_the_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
