/* The exposure family: who outside can reach a function, and what it reaches. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/check_util.h"
#include "analyze/exposure.h"
#include "analyze/resource_policy.h"

#define ACCT  "123456789012"
#define FN    "arn:aws:lambda:us-east-1:" ACCT ":function:"
#define ROLE  "arn:aws:iam::" ACCT ":role/"
#define STMT0 "{\"Version\":\"2012-10-17\",\"Statement\":["

static const struct finding *
find(const struct findings *f, const char *id, const char *resource)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if ((!id || !strcmp(f->v[i].rule->id, id)) &&
		    (!resource || !strcmp(f->v[i].resource, resource)))
			return &f->v[i];
	return NULL;
}

static size_t
count(const struct findings *f, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		n += !strcmp(f->v[i].rule->id, id);
	return n;
}

/* A function whose attrs carry policy (a statement list) and url (an object or "null"). */
static void
add_fn(struct amodel *m, const char *name, const char *statements, const char *url)
{
	char arn[200], attrs[4000];

	snprintf(arn, sizeof(arn), FN "%s", name);
	snprintf(attrs, sizeof(attrs),
	         "{\"FunctionName\":\"%s\",\"Runtime\":\"nodejs20.x\",\"Role\":\"" ROLE
	         "%s-role\"%s%s%s,\"Url\":%s}",
	         name, name, statements ? ",\"Policy\":" STMT0 : "", statements ? statements : "",
	         statements ? "]}" : "", url ? url : "null");
	amodel_add_resource(m, MODEL_FUNCTION, arn, name, "us-east-1", attrs);
}

static void
run(struct amodel *m, struct findings *f)
{
	struct analyze_opts o;

	analyze_opts_default(&o);
	amodel_index(m);
	memset(f, 0, sizeof(*f));
	assert_int_equal(check_exposure(m, &o, f), 0);
}

#define OPEN_INVOKE                                                              \
	"{\"Sid\":\"open\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":" \
	"\"lambda:InvokeFunction\",\"Resource\":\"" FN "x\""

static void
test_policy_open_to_anyone_is_raised_and_conditions_decide(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "open", OPEN_INVOKE "}", NULL);
	add_fn(&m, "aws-star",
	       "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"*\"]},"
	       "\"Action\":\"lambda:*\"}",
	       NULL);
	add_fn(&m, "by-org",
	       OPEN_INVOKE ",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":"
	                   "\"o-abc123\"}}}",
	       NULL);
	add_fn(&m, "negated",
	       OPEN_INVOKE ",\"Condition\":{\"StringNotEquals\":{"
	                   "\"aws:SourceAccount\":\"999999999999\"}}}",
	       NULL);
	add_fn(&m, "ifexists",
	       OPEN_INVOKE ",\"Condition\":{\"ArnLikeIfExists\":{"
	                   "\"aws:SourceArn\":\"arn:aws:s3:::b\"}}}",
	       NULL);
	add_fn(&m, "wild", OPEN_INVOKE ",\"Condition\":{\"StringLike\":{\"AWS:SourceArn\":\"*\"}}}",
	       NULL);
	add_fn(&m, "denied",
	       OPEN_INVOKE "},{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":"
	                   "\"lambda:*\"}",
	       NULL);
	add_fn(&m, "deny-unless-org",
	       OPEN_INVOKE "},{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":"
	                   "\"lambda:InvokeFunction\",\"Condition\":{\"StringNotEquals\":{"
	                   "\"aws:PrincipalOrgID\":\"o-abc123\"}}}",
	       NULL);
	run(&m, &f);
	x = find(&f, "SHR-EXP-001", FN "open");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_HIGH);
	assert_non_null(strstr(x->evidence, "statement 1 (Sid open)"));
	assert_non_null(strstr(x->location, "statement 1"));
	assert_non_null(find(&f, "SHR-EXP-001", FN "aws-star"));
	assert_null(find(&f, "SHR-EXP-001", FN "by-org"));
	assert_non_null(find(&f, "SHR-EXP-001", FN "negated"));
	assert_non_null(find(&f, "SHR-EXP-001", FN "ifexists"));
	assert_non_null(find(&f, "SHR-EXP-001", FN "wild"));
	assert_null(find(&f, "SHR-EXP-001", FN "denied"));
	assert_null(find(&f, "SHR-EXP-001", FN "deny-unless-org"));
	assert_int_equal(count(&f, "SHR-EXP-001"), 5);
	findings_free(&f);
	amodel_free(&m);
}

static void
test_service_and_account_principals(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "s3-open",
	       "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
	       "\"Action\":\"lambda:InvokeFunction\"}",
	       NULL);
	add_fn(&m, "s3-pinned",
	       "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
	       "\"Action\":\"lambda:InvokeFunction\",\"Condition\":{\"ArnLike\":{"
	       "\"AWS:SourceArn\":\"arn:aws:s3:::acme-uploads\"}}}",
	       NULL);
	add_fn(&m, "same",
	       "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" ACCT
	       ":root\"},\"Action\":\"lambda:InvokeFunction\"}",
	       NULL);
	add_fn(&m, "partner",
	       "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"210987654321\"},"
	       "\"Action\":\"lambda:InvokeFunction\"}",
	       NULL);
	run(&m, &f);
	x = find(&f, "SHR-EXP-002", FN "s3-open");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_LOW);
	assert_non_null(strstr(x->evidence, "s3.amazonaws.com"));
	assert_null(find(&f, "SHR-EXP-002", FN "s3-pinned"));
	assert_null(find(&f, NULL, FN "same")); /* its own account: nothing to say */
	x = find(&f, "SHR-EXP-003", FN "partner");
	assert_non_null(x);
	assert_non_null(strstr(x->evidence, "210987654321"));
	assert_int_equal(count(&f, "SHR-EXP-001"), 0);
	findings_free(&f);
	amodel_free(&m);
}

#define URL_NONE \
	"{\"FunctionUrl\":\"https://abc.lambda-url.us-east-1.on.aws/\",\"AuthType\":\"NONE\"}"
#define URL_STMT                                                                              \
	"{\"Sid\":\"FunctionURLAllowPublicAccess\",\"Effect\":\"Allow\",\"Principal\":\"*\"," \
	"\"Action\":\"lambda:InvokeFunctionUrl\",\"Condition\":{\"StringEquals\":{"           \
	"\"lambda:FunctionUrlAuthType\":\"NONE\"}}}"

static void
test_function_url_without_auth(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;
	char why[400];

	(void)state;
	amodel_init(&m);
	add_fn(&m, "webhook", URL_STMT, URL_NONE);
	add_fn(&m, "iam-url", NULL,
	       "{\"FunctionUrl\":\"https://def.lambda-url.us-east-1.on.aws/\",\"AuthType\":"
	       "\"AWS_IAM\"}");
	add_fn(&m, "closed", NULL, URL_NONE);
	run(&m, &f);
	x = find(&f, "SHR-EXP-004", FN "webhook");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_HIGH);
	assert_non_null(strstr(x->evidence, "https://abc.lambda-url.us-east-1.on.aws/"));
	assert_non_null(strstr(x->evidence, "FunctionURLAllowPublicAccess"));
	/* FunctionUrlAuthType NONE does not limit: the statement is open too */
	assert_non_null(find(&f, "SHR-EXP-001", FN "webhook"));
	assert_null(find(&f, "SHR-EXP-004", FN "iam-url"));
	x = find(&f, "SHR-EXP-004", FN "closed");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_LOW);
	assert_true(exposure_is_public(&m, amodel_find(&m, FN "webhook"), why, sizeof(why)));
	assert_non_null(strstr(why, "function URL"));
	assert_false(exposure_is_public(&m, amodel_find(&m, FN "closed"), why, sizeof(why)));
	assert_false(exposure_is_public(&m, amodel_find(&m, FN "iam-url"), NULL, 0));
	findings_free(&f);
	amodel_free(&m);
}

#define HTTP_API_ARN "arn:aws:apigateway:us-east-1::/apis/udayvywgvi"
#define REST_API_ARN "arn:aws:apigateway:us-east-1::/restapis/nglys6q5gi"

static void
add_http_api(struct amodel *m, const char *auth_catalog)
{
	char attrs[3000];

	snprintf(
	        attrs, sizeof(attrs),
	        "{\"ApiId\":\"udayvywgvi\",\"Name\":\"acme-storefront\",\"ProtocolType\":\"HTTP\","
	        "\"Routes\":[{\"ApiKeyRequired\":false,\"AuthorizationType\":\"%s\",\"RouteKey\":"
	        "\"GET /catalog\",\"Target\":\"integrations/i1\"},{\"ApiKeyRequired\":false,"
	        "\"AuthorizationType\":\"JWT\",\"AuthorizerId\":\"a1\",\"RouteKey\":\"POST /cart\","
	        "\"Target\":\"integrations/i2\"}],\"Integrations\":[{\"IntegrationId\":\"i1\","
	        "\"IntegrationType\":\"AWS_PROXY\",\"IntegrationUri\":\"" FN "catalog\"},"
	        "{\"IntegrationId\":\"i2\",\"IntegrationType\":\"AWS_PROXY\",\"IntegrationUri\":"
	        "\"" FN "cart:live\"}],\"Stages\":[{\"StageName\":\"$default\"}]}",
	        auth_catalog);
	amodel_add_resource(m, MODEL_HTTP_API, HTTP_API_ARN, "acme-storefront", "us-east-1", attrs);
	amodel_add_edge(m, HTTP_API_ARN, FN "catalog", MODEL_EDGE_TRIGGERS, "API GET /catalog");
	amodel_add_edge(m, HTTP_API_ARN, FN "cart", MODEL_EDGE_TRIGGERS, "API POST /cart");
}

#define REST_METHOD(verb, auth, key, fn)                                                       \
	"\"" verb "\":{\"httpMethod\":\"" verb "\",\"authorizationType\":\"" auth              \
	"\",\"apiKeyRequired\":" key ",\"methodIntegration\":{\"type\":\"AWS_PROXY\",\"uri\":" \
	"\"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" FN fn               \
	"/invocations\"}}"

/* GET behind the authorizer, DELETE open, PUT with an API key, OPTIONS a CORS mock. */
static const char rest_methods[] = REST_METHOD("GET", "CUSTOM", "false", "get") "," REST_METHOD(
        "DELETE", "NONE", "false",
        "cancel") "," REST_METHOD("PUT", "NONE", "true",
                                  "put") ",\"OPTIONS\":{\"httpMethod\":\"OPTIONS\",\"authorizationType\":\"NONE\","
                                         "\"methodIntegration\":{\"type\":\"MOCK\"}}";

static void
add_rest_api(struct amodel *m, const char *extra)
{
	char attrs[4000];

	snprintf(attrs, sizeof(attrs),
	         "{\"id\":\"nglys6q5gi\",\"name\":\"acme-orders-api\",%s\"Resources\":[{"
	         "\"id\":\"r1\",\"path\":\"/orders/{orderId}\",\"resourceMethods\":{%s}}],"
	         "\"Stages\":[{\"stageName\":\"prod\"}]}",
	         extra, rest_methods);
	amodel_add_resource(m, MODEL_REST_API, REST_API_ARN, "acme-orders-api", "us-east-1", attrs);
	amodel_add_edge(m, REST_API_ARN, FN "cancel", MODEL_EDGE_TRIGGERS, "API DELETE");
}

static void
test_api_routes_without_authorizer(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "catalog", NULL, NULL);
	add_fn(&m, "cart", NULL, NULL);
	add_fn(&m, "cancel", NULL, NULL);
	add_http_api(&m, "NONE");
	add_rest_api(&m, "");
	run(&m, &f);
	x = find(&f, "SHR-EXP-005", FN "catalog");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_MEDIUM);
	assert_non_null(strstr(x->evidence, "GET /catalog"));
	assert_non_null(strstr(x->evidence, "acme-storefront"));
	assert_null(find(&f, "SHR-EXP-005", FN "cart"));
	x = find(&f, "SHR-EXP-005", FN "cancel");
	assert_non_null(x);
	assert_non_null(strstr(x->location, "DELETE /orders/{orderId}"));
	assert_int_equal(count(&f, "SHR-EXP-005"), 2); /* not PUT (API key), not OPTIONS (MOCK) */
	assert_true(exposure_is_public(&m, amodel_find(&m, FN "catalog"), NULL, 0));
	assert_false(exposure_is_public(&m, amodel_find(&m, FN "cart"), NULL, 0));
	findings_free(&f);
	amodel_free(&m);
}

static void
test_private_or_policy_limited_rest_api(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "cancel", NULL, NULL);
	add_rest_api(&m, "\"endpointConfiguration\":{\"types\":[\"PRIVATE\"]},");
	run(&m, &f);
	assert_int_equal(count(&f, "SHR-EXP-005"), 0);
	findings_free(&f);
	amodel_free(&m);

	amodel_init(&m);
	add_fn(&m, "cancel", NULL, NULL);
	/* API Gateway answers the policy as text with escaped quotes */
	add_rest_api(&m, "\"policy\":\"{\\\\\\\"Version\\\\\\\":\\\\\\\"2012-10-17\\\\\\\","
	                 "\\\\\\\"Statement\\\\\\\":[{\\\\\\\"Effect\\\\\\\":\\\\\\\"Allow\\\\\\\","
	                 "\\\\\\\"Principal\\\\\\\":\\\\\\\"*\\\\\\\",\\\\\\\"Action\\\\\\\":"
	                 "\\\\\\\"execute-api:Invoke\\\\\\\",\\\\\\\"Condition\\\\\\\":{"
	                 "\\\\\\\"IpAddress\\\\\\\":{\\\\\\\"aws:SourceIp\\\\\\\":"
	                 "\\\\\\\"203.0.113.0/24\\\\\\\"}}}]}\",");
	run(&m, &f);
	x = find(&f, "SHR-EXP-005", FN "cancel");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_LOW);
	assert_non_null(strstr(x->evidence, "aws:SourceIp"));
	assert_false(exposure_is_public(&m, amodel_find(&m, FN "cancel"), NULL, 0));
	findings_free(&f);
	amodel_free(&m);
}

#define BUCKET "arn:aws:s3:::acme-public-assets"

static void
add_bucket(struct amodel *m, const char *pab, const char *status, const char *acl_uri)
{
	char attrs[3000];

	snprintf(attrs, sizeof(attrs),
	         "{\"Name\":\"acme-public-assets\",\"Policy\":{\"Version\":\"2012-10-17\","
	         "\"Statement\":[{\"Sid\":\"PublicRead\",\"Effect\":\"Allow\",\"Principal\":\"*\","
	         "\"Action\":\"s3:GetObject\",\"Resource\":\"" BUCKET "/*\"}]},"
	         "\"PublicAccessBlockConfiguration\":%s%s,\"Acl\":{\"Grants\":[{\"Grantee\":{"
	         "\"Type\":\"Group\",\"URI\":\"%s\"},\"Permission\":\"WRITE\"}]}}",
	         pab, status, acl_uri);
	amodel_add_resource(m, MODEL_BUCKET, BUCKET, "acme-public-assets", "us-east-1", attrs);
	amodel_add_edge(m, FN "banner", BUCKET, MODEL_EDGE_READS,
	                "environment variable ASSETS_BUCKET names it");
}

#define PAB(r, i)                                                                          \
	"{\"BlockPublicAcls\":true,\"IgnorePublicAcls\":" i ",\"BlockPublicPolicy\":true," \
	"\"RestrictPublicBuckets\":" r "}"
#define NO_GROUP  "http://acs.amazonaws.com/groups/s3/LogDelivery"
#define ALL_USERS "http://acs.amazonaws.com/groups/global/AllUsers"

static size_t
bucket_findings(const char *pab, const char *status, const char *acl, enum severity *sev)
{
	struct amodel m;
	struct findings f;
	size_t n;

	amodel_init(&m);
	add_fn(&m, "banner", NULL, NULL);
	add_bucket(&m, pab, status, acl);
	run(&m, &f);
	n = count(&f, "SHR-EXP-006");
	if (n && sev)
		*sev = find(&f, "SHR-EXP-006", FN "banner")->severity;
	findings_free(&f);
	amodel_free(&m);
	return n;
}

static void
test_public_bucket_after_public_access_block(void **state)
{
	enum severity sev = SEV_INFO;

	(void)state;
	/* Block*Public* refuse new grants only: the existing policy stays public */
	assert_int_equal(bucket_findings(PAB("false", "true"), "", NO_GROUP, &sev), 1);
	assert_int_equal(sev, SEV_MEDIUM);
	assert_int_equal(bucket_findings(PAB("true", "true"), "", NO_GROUP, NULL), 0);
	/* S3 evaluated the policy and says it is not public */
	assert_int_equal(bucket_findings(PAB("false", "true"),
	                                 ",\"PolicyStatus\":{\"IsPublic\":false}", NO_GROUP, NULL),
	                 0);
	/* an ACL WRITE grant to AllUsers is public and writable, unless ignored */
	assert_int_equal(bucket_findings(PAB("true", "false"), "", ALL_USERS, &sev), 1);
	assert_int_equal(sev, SEV_HIGH);
	assert_int_equal(bucket_findings(PAB("true", "true"), "", ALL_USERS, NULL), 0);
}

#define QUEUE "arn:aws:sqs:us-east-1:" ACCT ":acme-orders-queue"
#define TOPIC "arn:aws:sns:us-east-1:" ACCT ":acme-alerts"

static void
test_queue_and_topic_policies(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;

	(void)state;
	amodel_init(&m);
	add_fn(&m, "worker", NULL, NULL);
	amodel_add_resource(
	        &m, MODEL_QUEUE, QUEUE, "acme-orders-queue", "us-east-1",
	        "{\"Attributes\":{\"Policy\":\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
	        "\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"sqs:SendMessage\\\"}]}\"}}");
	amodel_add_edge(&m, QUEUE, FN "worker", MODEL_EDGE_TRIGGERS, "SQS event source mapping");
	amodel_add_resource(
	        &m, MODEL_TOPIC, TOPIC, "acme-alerts", "us-east-1",
	        "{\"Attributes\":{\"Policy\":\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
	        "\\\"Principal\\\":{\\\"AWS\\\":\\\"*\\\"},\\\"Action\\\":[\\\"SNS:Subscribe\\\","
	        "\\\"SNS:Publish\\\"],\\\"Condition\\\":{\\\"StringEquals\\\":{"
	        "\\\"AWS:SourceOwner\\\":\\\"" ACCT "\\\"}}}]}\"}}");
	run(&m, &f);
	x = find(&f, "SHR-EXP-007", QUEUE);
	assert_non_null(x);
	assert_non_null(strstr(x->evidence, "sqs:SendMessage"));
	assert_non_null(strstr(x->evidence, "worker"));
	assert_null(find(&f, "SHR-EXP-008", TOPIC)); /* the default policy's SourceOwner limits */
	/* anyone may send to the queue that triggers the worker: it is public */
	assert_true(exposure_is_public(&m, amodel_find(&m, FN "worker"), NULL, 0));
	findings_free(&f);
	amodel_free(&m);
}

#define TABLE "arn:aws:dynamodb:us-east-1:" ACCT ":table/acme-catalog"

static void
test_exfiltration_path_names_the_chain(void **state)
{
	struct amodel m;
	struct findings f;
	const struct finding *x;
	char why[300];

	(void)state;
	amodel_init(&m);
	add_fn(&m, "catalog", NULL, NULL);
	add_fn(&m, "cart", NULL, NULL);
	add_http_api(&m, "NONE");
	amodel_add_resource(&m, MODEL_ROLE, ROLE "acme-storefront-role", "acme-storefront-role", "",
	                    "{}");
	amodel_add_resource(&m, MODEL_TABLE, TABLE, "acme-catalog", "us-east-1", "{}");
	amodel_add_edge(&m, FN "catalog", ROLE "acme-storefront-role", MODEL_EDGE_ASSUMES, "role");
	amodel_add_edge(&m, FN "cart", ROLE "acme-storefront-role", MODEL_EDGE_ASSUMES, "role");
	amodel_add_edge(&m, ROLE "acme-storefront-role", TABLE, MODEL_EDGE_READS,
	                "policy catalog allows dynamodb:GetItem");
	amodel_add_edge(&m, ROLE "acme-storefront-role", TABLE, MODEL_EDGE_WRITES,
	                "policy catalog allows dynamodb:PutItem");
	amodel_add_edge(&m, ROLE "acme-storefront-role",
	                "arn:aws:logs:us-east-1:" ACCT ":log-group:/aws/lambda/catalog",
	                MODEL_EDGE_WRITES, "logs");
	run(&m, &f);
	x = find(&f, "SHR-EXP-009", FN "catalog");
	assert_non_null(x);
	assert_string_equal(x->evidence, "HTTP API acme-storefront route GET /catalog (no "
	                                 "authorizer) -> catalog -> role acme-storefront-role -> "
	                                 "reads and writes table acme-catalog");
	assert_null(find(&f, "SHR-EXP-009", FN "cart")); /* behind the JWT authorizer */
	assert_true(exposure_reaches_data(&m, amodel_find(&m, FN "cart"), why, sizeof(why)));
	assert_non_null(strstr(why, "table acme-catalog"));
	findings_free(&f);
	amodel_free(&m);
}

static void
test_rpol_reads_principals_and_helpers(void **state)
{
	cJSON *doc = cJSON_Parse(STMT0 "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
	                               "[\"arn:aws:iam::" ACCT ":role/x\",\"210987654321\"]},"
	                               "\"Action\":\"sqs:SendMessage\"}]}");
	static const char *const send[] = { "sqs:SendMessage", NULL };
	struct rpol_grant g;
	char out[200];
	time_t t;

	(void)state;
	assert_true(rpol_widest(doc, send, ACCT, &g));
	assert_int_equal(g.who, RPOL_OTHER_ACCOUNT);
	assert_string_equal(g.account, "210987654321");
	assert_false(rpol_is_open(&g));
	cJSON_Delete(doc);
	analyze_function_arn("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" FN
	                     "get:live/invocations",
	                     out, sizeof(out));
	assert_string_equal(out, FN "get");
	analyze_function_arn("https://example.com/x", out, sizeof(out));
	assert_string_equal(out, "");
	assert_int_equal(analyze_parse_time("2026-07-26T00:00:00.000+0000", &t), 0);
	assert_int_equal((long)t, 1785024000L);
	assert_int_equal(analyze_parse_time("2025-10-19T09:00:00Z", &t), 0);
	assert_int_equal((long)t, 1760864400L);
	assert_int_equal(analyze_parse_time("yesterday", &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_open_to_anyone_is_raised_and_conditions_decide),
		cmocka_unit_test(test_service_and_account_principals),
		cmocka_unit_test(test_function_url_without_auth),
		cmocka_unit_test(test_api_routes_without_authorizer),
		cmocka_unit_test(test_private_or_policy_limited_rest_api),
		cmocka_unit_test(test_public_bucket_after_public_access_block),
		cmocka_unit_test(test_queue_and_topic_policies),
		cmocka_unit_test(test_exfiltration_path_names_the_chain),
		cmocka_unit_test(test_rpol_reads_principals_and_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
