#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collectors.h"
#include "collect/scan_int.h"
#include "collect/svc_int.h"
#include "collect/svc_parse.h"
#include "testutil.h"
#include "util/json.h"

static char *
data(const char *name, size_t *len)
{
	char rel[256];
	char *s;

	snprintf(rel, sizeof(rel), "tests/data/collect/%s", name);
	s = test_read_file(test_path(rel), len);
	assert_non_null(s);
	return s;
}

static cJSON *
data_json(const char *name)
{
	size_t len;
	char *s = data(name, &len);
	cJSON *j = json_parse(s, len, NULL);

	free(s);
	assert_non_null(j);
	return j;
}

static void
test_s3_list_buckets_gives_names_and_dates(void **state)
{
	size_t len;
	char *s = data("s3_list_buckets.xml", &len);
	cJSON *out = NULL;

	(void)state;
	assert_int_equal(collect_s3_parse_buckets(s, len, &out, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(out), 3);
	assert_string_equal(json_str(cJSON_GetArrayItem(out, 1), "Name"), "acme-uploads");
	assert_string_equal(json_str(cJSON_GetArrayItem(out, 2), "CreationDate"),
	                    "2025-04-04T00:00:00.000Z");
	cJSON_Delete(out);
	free(s);
}

/* Today's ListBuckets answers each bucket's region: no GetBucketLocation is needed. */
static void
test_s3_list_buckets_keeps_the_listed_region(void **state)
{
	static const char xml[] =
	        "<ListAllMyBucketsResult><Buckets><Bucket><Name>a</Name>"
	        "<CreationDate>2025-01-01T00:00:00.000Z</CreationDate>"
	        "<BucketRegion>eu-central-1</BucketRegion></Bucket>"
	        "<Bucket><Name>b</Name></Bucket></Buckets></ListAllMyBucketsResult>";
	cJSON *out = NULL;

	(void)state;
	assert_int_equal(collect_s3_parse_buckets(xml, strlen(xml), &out, NULL), 0);
	assert_string_equal(json_str(cJSON_GetArrayItem(out, 0), "BucketRegion"), "eu-central-1");
	assert_null(json_str(cJSON_GetArrayItem(out, 1), "BucketRegion"));
	cJSON_Delete(out);
}

static void
test_s3_location_empty_is_us_east_1(void **state)
{
	static const char empty[] =
	        "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>";
	static const char eu[] = "<LocationConstraint>EU</LocationConstraint>";
	static const char w2[] = "<LocationConstraint>us-west-2</LocationConstraint>";
	char r[32];

	(void)state;
	assert_int_equal(collect_s3_parse_location(empty, strlen(empty), r, sizeof(r), NULL), 0);
	assert_string_equal(r, "us-east-1");
	assert_int_equal(collect_s3_parse_location(eu, strlen(eu), r, sizeof(r), NULL), 0);
	assert_string_equal(r, "eu-west-1");
	assert_int_equal(collect_s3_parse_location(w2, strlen(w2), r, sizeof(r), NULL), 0);
	assert_string_equal(r, "us-west-2");
	assert_int_not_equal(collect_s3_parse_location("<a>", 3, r, sizeof(r), NULL), 0);
}

static void
test_s3_notification_lists_function_configurations(void **state)
{
	size_t len;
	char *s = data("s3_notification.xml", &len);
	cJSON *out = NULL;
	const cJSON *fns, *f;
	char fn[256];

	(void)state;
	assert_int_equal(collect_s3_parse_notification(s, len, &out, NULL), 0);
	fns = cJSON_GetObjectItemCaseSensitive(out, "LambdaFunctionConfigurations");
	assert_int_equal(cJSON_GetArraySize(fns), 2);
	f = cJSON_GetArrayItem(fns, 0);
	assert_string_equal(json_str(f, "LambdaFunctionArn"),
	                    "arn:aws:lambda:us-east-1:314159265358:function:image-resize");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f, "Events")), 2);
	assert_string_equal(
	        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(f, "Events"), 1)->valuestring,
	        "s3:ObjectCreated:Post");
	assert_string_equal(
	        json_str(cJSON_GetArrayItem((cJSON *)json_path(f, "Filter.Key.FilterRules"), 1),
	                 "Value"),
	        ".jpg");
	/* a qualified function ARN names the unqualified function */
	f = cJSON_GetArrayItem(fns, 1);
	assert_int_equal(collect_function_arn(json_str(f, "LambdaFunctionArn"), fn, sizeof(fn)), 1);
	assert_string_equal(fn,
	                    "arn:aws:lambda:us-east-1:314159265358:function:thumbnail-generator");
	assert_string_equal(
	        json_str(cJSON_GetArrayItem(
	                         cJSON_GetObjectItemCaseSensitive(out, "QueueConfigurations"), 0),
	                 "QueueArn"),
	        "arn:aws:sqs:us-east-1:314159265358:acme-orders-queue");
	assert_null(cJSON_GetObjectItemCaseSensitive(out, "TopicConfigurations"));
	cJSON_Delete(out);
	free(s);
}

static void
test_s3_acl_public_grants_name_the_group(void **state)
{
	static const char acl[] =
	        "<AccessControlPolicy xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
	        "<Owner><ID>o1</ID></Owner><AccessControlList>"
	        "<Grant><Grantee xsi:type=\"CanonicalUser\"><ID>o1</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>"
	        "<Grant><Grantee xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>"
	        "</AccessControlList></AccessControlPolicy>";
	cJSON *out = NULL, *pub;

	(void)state;
	assert_int_equal(collect_s3_parse_acl(acl, strlen(acl), &out, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(out, "Grants")), 2);
	assert_string_equal(
	        json_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(out, "Grants"), 1),
	                 "Grantee.Type"),
	        "Group");
	pub = collect_s3_public_grants(out);
	assert_int_equal(cJSON_GetArraySize(pub), 1);
	assert_string_equal(cJSON_GetArrayItem(pub, 0)->valuestring, "AllUsers:READ");
	cJSON_Delete(pub);
	cJSON_Delete(out);
}

static void
test_sqs_attributes_become_a_map(void **state)
{
	size_t len;
	char *s = data("sqs_get_queue_attributes.xml", &len);
	cJSON *out = NULL;

	(void)state;
	assert_int_equal(collect_sqs_parse_attributes(s, len, &out, NULL), 0);
	assert_string_equal(json_str(out, "QueueArn"),
	                    "arn:aws:sqs:us-east-1:314159265358:acme-orders-queue");
	assert_string_equal(json_str(out, "VisibilityTimeout"), "30");
	assert_non_null(strstr(json_str(out, "RedrivePolicy"), "acme-orders-dlq"));
	cJSON_Delete(out);
	free(s);
}

static void
test_sns_subscriptions_and_next_token(void **state)
{
	size_t len;
	char *s = data("sns_list_subscriptions_by_topic.xml", &len);
	cJSON *subs = NULL;
	char *next = NULL;

	(void)state;
	assert_int_equal(collect_sns_parse_subscriptions(s, len, &subs, &next, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(subs), 2);
	assert_string_equal(json_str(cJSON_GetArrayItem(subs, 0), "Protocol"), "lambda");
	assert_string_equal(json_str(cJSON_GetArrayItem(subs, 0), "Endpoint"),
	                    "arn:aws:lambda:us-east-1:314159265358:function:sns-alert-forwarder");
	assert_string_equal(json_str(cJSON_GetArrayItem(subs, 1), "Endpoint"), "ops@example.com");
	assert_string_equal(next, "page-2");
	free(next);
	cJSON_Delete(subs);
	free(s);
}

static void
test_rule_targets_name_functions_unqualified(void **state)
{
	cJSON *j = data_json("events_list_targets_by_rule.json");
	const cJSON *t;
	char fn[256];
	int n = 0;

	(void)state;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(j, "Targets"))
	{
		if (collect_function_arn(json_str(t, "Arn"), fn, sizeof(fn)))
			n++;
	}
	assert_int_equal(n, 2);
	assert_string_equal(fn, "arn:aws:lambda:us-east-1:314159265358:function:cache-warmer");
	cJSON_Delete(j);
}

struct seen {
	int n;
	char lines[8][600];
};

static void
route_seen(const struct collect_route *r, void *ctx)
{
	struct seen *s = ctx;

	assert_true(s->n < 8);
	snprintf(s->lines[s->n++], sizeof(s->lines[0]), "%s %s %s %d %s", r->method, r->path,
	         r->auth, r->api_key_required, strrchr(r->function, ':') + 1);
}

static int
has(const struct seen *s, const char *line)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->lines[i], line))
			return 1;
	return 0;
}

static void
test_rest_methods_reach_their_functions(void **state)
{
	cJSON *j = data_json("apigw_get_resources.json");
	struct seen s = { 0 };

	(void)state;
	collect_apigw_rest_routes(cJSON_GetObjectItemCaseSensitive(j, "item"), route_seen, &s);
	/* the stage-variable and MOCK integrations reach no known function */
	assert_int_equal(s.n, 3);
	assert_true(has(&s, "GET /orders CUSTOM 0 orders-api-list"));
	assert_true(has(&s, "POST /orders CUSTOM 1 orders-api-create"));
	assert_true(has(&s, "DELETE /orders/{orderId} NONE 0 orders-api-cancel"));
	cJSON_Delete(j);
}

static void
test_http_routes_reach_functions_through_integrations(void **state)
{
	cJSON *routes = data_json("apigw_get_routes.json");
	cJSON *integ = data_json("apigw_get_integrations.json");
	cJSON *r = cJSON_DetachItemFromObjectCaseSensitive(routes, "items");
	cJSON *i = cJSON_DetachItemFromObjectCaseSensitive(integ, "items");
	struct seen s = { 0 };

	(void)state;
	collect_apigw_v2_members(r);
	collect_apigw_v2_members(i);
	assert_string_equal(json_str(cJSON_GetArrayItem(r, 0), "RouteKey"), "GET /catalog");
	/* a map's keys are the user's: not renamed */
	assert_non_null(cJSON_GetObjectItemCaseSensitive(
	        json_path(cJSON_GetArrayItem(r, 1), "RequestParameters"),
	        "route.request.header.x-id"));
	collect_apigw_http_routes(r, i, route_seen, &s);
	assert_int_equal(s.n, 2);
	assert_true(has(&s, "GET /catalog NONE 0 storefront-catalog"));
	assert_true(has(&s, "POST /checkout JWT 0 storefront-checkout"));
	cJSON_Delete(r);
	cJSON_Delete(i);
	cJSON_Delete(routes);
	cJSON_Delete(integ);
}

static void
test_function_arn_refuses_what_is_not_a_function(void **state)
{
	char fn[256];

	(void)state;
	assert_int_equal(collect_function_arn("arn:aws:sqs:us-east-1:1:q", fn, sizeof(fn)), 0);
	assert_int_equal(
	        collect_function_arn("arn:aws:lambda:us-east-1:1:layer:x:1", fn, sizeof(fn)), 0);
	assert_int_equal(collect_function_arn("https://example.com/x", fn, sizeof(fn)), 0);
	assert_int_equal(
	        collect_function_arn("arn:aws:lambda:us-east-1:1:function:", fn, sizeof(fn)), 0);
	assert_int_equal(collect_function_arn("arn:aws:lambda:us-east-1:1:function:f", fn, 10), 0);
	assert_int_equal(collect_function_arn("arn:aws:lambda:us-east-1:1:function:f:$LATEST", fn,
	                                      sizeof(fn)),
	                 1);
	assert_string_equal(fn, "arn:aws:lambda:us-east-1:1:function:f");
}

/* Requests the collectors submitted, caught instead of sent. */
struct caught {
	int n;
	char line[32][600];
};

static struct caught caught;

static int
catch_call(void *ctx, const struct aws_request *req)
{
	(void)ctx;
	if (caught.n < 32)
		snprintf(caught.line[caught.n++], sizeof(caught.line[0]), "%s %s %s %s %s?%s%s%.*s",
		         req->service->id, req->operation, req->region ? req->region : "-",
		         req->method, req->path, req->query ? req->query : "",
		         req->body_len ? " " : "", (int)req->body_len,
		         req->body ? (const char *)req->body : "");
	return 0;
}

static int
caught_has(const char *line)
{
	int i;

	for (i = 0; i < caught.n; i++)
		if (!strcmp(caught.line[i], line))
			return 1;
	return 0;
}

static void
scan_start(struct collect_scan *scan)
{
	memset(&caught, 0, sizeof(caught));
	collect_scan_init(scan, NULL, 0);
	scan->test_submit = catch_call;
}

static void
test_failed_list_calls_become_gaps_not_aborts(void **state)
{
	struct collect_scan scan;

	(void)state;
	scan_start(&scan);
	collect_s3_phase(&scan, COLLECT_PHASE_LIST, NULL);
	collect_sqs_phase(&scan, COLLECT_PHASE_LIST, "eu-west-1");
	collect_sns_phase(&scan, COLLECT_PHASE_LIST, "eu-west-1");
	collect_events_phase(&scan, COLLECT_PHASE_LIST, "eu-west-1");
	collect_dynamodb_phase(&scan, COLLECT_PHASE_LIST, "eu-west-1");
	collect_apigw_phase(&scan, COLLECT_PHASE_LIST, "eu-west-1");
	/* every list was asked for, each in its protocol, and each failure is one gap */
	assert_true(caught_has("s3 ListBuckets - GET /?"));
	assert_true(caught_has("sqs ListQueues eu-west-1 POST /? "
	                       "Action=ListQueues&Version=2012-11-05&MaxResults=1000"));
	assert_true(caught_has(
	        "sns ListTopics eu-west-1 POST /? Action=ListTopics&Version=2010-03-31"));
	/* the buses could not be listed: the default bus, which always exists, is still read */
	assert_true(caught_has("events ListEventBuses eu-west-1 POST /? {}"));
	assert_true(caught_has("events ListRules eu-west-1 POST /? {}"));
	assert_true(caught_has("dynamodb ListTables eu-west-1 POST /? {\"Limit\":100}"));
	assert_true(caught_has("apigateway GetRestApis eu-west-1 GET /restapis?limit=500"));
	assert_true(caught_has("apigatewayv2 GetApis eu-west-1 GET /v2/apis?maxResults=500"));
	assert_int_equal(caught.n, 8);
	assert_int_equal(scan.n_gaps, 8);
	assert_string_equal(scan.gaps[1].service, "sqs");
	assert_string_equal(scan.gaps[1].region, "eu-west-1");
	assert_string_equal(scan.gaps[1].operation, "ListQueues");
	assert_int_equal(collect_count(&scan, MODEL_KIND_COUNT), 0);
	collect_scan_release(&scan);
}

static void
add_bucket(struct collect_scan *scan, const char *name, const char *region)
{
	char arn[128];
	cJSON *attrs = cJSON_CreateObject();

	snprintf(arn, sizeof(arn), "arn:aws:s3:::%s", name);
	cJSON_AddStringToObject(attrs, "Name", name);
	collect_resource(scan, MODEL_BUCKET, arn, name, region, attrs);
}

static void
test_buckets_are_read_in_their_region_and_only_in_scanned_ones(void **state)
{
	static const char *const regions[] = { "eu-west-1" };
	struct collect_scan scan;

	(void)state;
	scan_start(&scan);
	collect_scan_set_regions(&scan, regions, 1); /* the driver scans eu-west-1 only */
	collect_s3_phase(&scan, COLLECT_PHASE_LIST, NULL);
	add_bucket(&scan, "eu-data", "eu-west-1");
	add_bucket(&scan, "us-data", "us-east-1");
	memset(&caught, 0, sizeof(caught));
	collect_s3_phase(&scan, COLLECT_PHASE_DETAIL, NULL);
	assert_true(caught_has("s3 GetBucketPolicy eu-west-1 GET /eu-data?policy"));
	assert_true(caught_has("s3 GetPublicAccessBlock eu-west-1 GET /eu-data?publicAccessBlock"));
	assert_true(caught_has("s3 GetBucketAcl eu-west-1 GET /eu-data?acl"));
	assert_true(caught_has(
	        "s3 GetBucketNotificationConfiguration eu-west-1 GET /eu-data?notification"));
	/* no policy read, so no policy status asked; us-east-1 is not scanned: listed only */
	assert_int_equal(caught.n, 4);
	/* the failed reads leave the members out (not read), never null (none) */
	assert_null(cJSON_GetObjectItemCaseSensitive(collect_attrs(&scan, "arn:aws:s3:::eu-data"),
	                                             "Policy"));
	collect_scan_release(&scan);
}

static int
quoted(const char *v)
{
	return v[0] == '\'';
}

static void
test_redacted_values_keep_their_keys(void **state)
{
	cJSON *m = json_parse(
	        "{\"apiKey\":\"'sk_live_123456'\",\"id\":\"method.request.path.id\","
	        "\"n\":42}",
	        strlen("{\"apiKey\":\"'sk_live_123456'\",\"id\":\"method.request.path.id\","
	               "\"n\":42}"),
	        NULL);
	const char *v;

	(void)state;
	assert_non_null(m);
	svc_redact_values(m, quoted);
	v = json_str(m, "apiKey");
	assert_non_null(v); /* the key survives the replacement */
	assert_null(strstr(v, "sk_live_123456"));
	assert_non_null(strstr(v, "sha256:"));
	assert_string_equal(json_str(m, "id"), "method.request.path.id"); /* a mapping, kept */
	assert_non_null(strstr(json_str(m, "n"), "sha256:")); /* not a string: printed */
	svc_redact_member(m, "id");
	assert_non_null(strstr(json_str(m, "id"), "sha256:"));
	assert_int_equal(cJSON_GetArraySize(m), 3);
	cJSON_Delete(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s3_list_buckets_gives_names_and_dates),
		cmocka_unit_test(test_s3_list_buckets_keeps_the_listed_region),
		cmocka_unit_test(test_s3_location_empty_is_us_east_1),
		cmocka_unit_test(test_s3_notification_lists_function_configurations),
		cmocka_unit_test(test_s3_acl_public_grants_name_the_group),
		cmocka_unit_test(test_sqs_attributes_become_a_map),
		cmocka_unit_test(test_sns_subscriptions_and_next_token),
		cmocka_unit_test(test_rule_targets_name_functions_unqualified),
		cmocka_unit_test(test_rest_methods_reach_their_functions),
		cmocka_unit_test(test_http_routes_reach_functions_through_integrations),
		cmocka_unit_test(test_function_arn_refuses_what_is_not_a_function),
		cmocka_unit_test(test_failed_list_calls_become_gaps_not_aborts),
		cmocka_unit_test(test_redacted_values_keep_their_keys),
		cmocka_unit_test(test_buckets_are_read_in_their_region_and_only_in_scanned_ones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
