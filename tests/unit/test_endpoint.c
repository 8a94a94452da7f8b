#include "cmocka_prelude.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/endpoint.h"
#include "aws/service.h"
#include "testutil.h"
#include "util/json.h"

#define MODELS "/usr/lib/python3/dist-packages/botocore/data"

static const char *const env_vars[] = { "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA",
	                                "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
	                                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS" };

static int
clean_env(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(env_vars) / sizeof(env_vars[0]); i++)
		unsetenv(env_vars[i]);
	return 0;
}

static void
resolve(const char *svc, const char *region, const char *override, struct aws_endpoint *ep)
{
	struct err err = { 0 };

	assert_int_equal(aws_endpoint_resolve(aws_service_find(svc), region, override, ep, &err),
	                 0);
}

static void
test_endpoint_public_regional_and_global_hosts(void **state)
{
	struct aws_endpoint ep;

	(void)state;
	resolve("lambda", "eu-west-1", NULL, &ep);
	assert_string_equal(ep.url, "https://lambda.eu-west-1.amazonaws.com");
	assert_string_equal(ep.host, "lambda.eu-west-1.amazonaws.com");
	assert_string_equal(ep.signing_region, "eu-west-1");
	resolve("cloudwatch", "us-west-2", NULL, &ep);
	assert_string_equal(ep.host, "monitoring.us-west-2.amazonaws.com");
	resolve("apigatewayv2", "ap-south-1", NULL, &ep);
	assert_string_equal(ep.host, "apigateway.ap-south-1.amazonaws.com");
	resolve("iam", "eu-central-1", NULL, &ep);
	assert_string_equal(ep.url, "https://iam.amazonaws.com");
	assert_string_equal(ep.signing_region, "us-east-1");
	resolve("sts", NULL, NULL, &ep);
	assert_string_equal(ep.host, "sts.amazonaws.com");
	assert_string_equal(ep.signing_region, "us-east-1");
}

static void
test_endpoint_china_partition(void **state)
{
	struct aws_endpoint ep;

	(void)state;
	resolve("lambda", "cn-northwest-1", NULL, &ep);
	assert_string_equal(ep.url, "https://lambda.cn-northwest-1.amazonaws.com.cn");
	assert_string_equal(ep.signing_region, "cn-northwest-1");
	resolve("iam", "cn-northwest-1", NULL, &ep);
	assert_string_equal(ep.host, "iam.cn-north-1.amazonaws.com.cn");
	assert_string_equal(ep.signing_region, "cn-north-1");
}

static void
test_endpoint_order_override_service_env_global_env(void **state)
{
	struct aws_endpoint ep;

	(void)state;
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566", 1);
	setenv("AWS_ENDPOINT_URL_LAMBDA", "http://localhost:9001/", 1);
	resolve("lambda", "us-east-1", NULL, &ep);
	assert_string_equal(ep.url, "http://localhost:9001");
	assert_string_equal(ep.host, "localhost:9001");
	resolve("iam", "eu-west-1", NULL, &ep); /* no IAM variable: the general one */
	assert_string_equal(ep.url, "http://127.0.0.1:4566");
	assert_string_equal(ep.signing_region, "eu-west-1");
	resolve("lambda", "us-east-1", "https://example.test:8443/base/", &ep);
	assert_string_equal(ep.url, "https://example.test:8443/base");
	assert_string_equal(ep.host, "example.test:8443");
	setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://logs.test", 1);
	resolve("logs", "us-east-1", NULL, &ep);
	assert_string_equal(ep.host, "logs.test");
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	resolve("lambda", "us-east-1", NULL, &ep);
	assert_string_equal(ep.host, "lambda.us-east-1.amazonaws.com");
	resolve("lambda", "us-east-1", "http://127.0.0.1:1",
	        &ep); /* the flag does not drop --endpoint-url */
	assert_string_equal(ep.host, "127.0.0.1:1");
}

static void
test_endpoint_default_port_dropped_from_host(void **state)
{
	struct aws_endpoint ep;

	(void)state;
	resolve("sqs", "us-east-1", "https://sqs.test:443", &ep);
	assert_string_equal(ep.host, "sqs.test");
	assert_string_equal(ep.url, "https://sqs.test:443");
	resolve("sqs", "us-east-1", "http://sqs.test:80/", &ep);
	assert_string_equal(ep.host, "sqs.test");
	resolve("sqs", "us-east-1", "http://sqs.test:8080", &ep);
	assert_string_equal(ep.host, "sqs.test:8080");
}

static void
test_endpoint_refuses_bad_urls_and_regions(void **state)
{
	static const char *const bad[] = {
		"ftp://x",    "localhost:4566",          "http://",
		"http:///x",  "http://user:secret@host", "http://h/x?y=1",
		"http://h x", "http://h\r\nX: y"
	};
	const struct aws_service *svc = aws_service_find("lambda");
	struct aws_endpoint ep;
	struct err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(aws_endpoint_resolve(svc, "us-east-1", bad[i], &ep, &err),
		                 ERR_USAGE);
		assert_null(strstr(err.msg, "secret@"));
	}
	assert_int_equal(aws_endpoint_resolve(svc, "us-east-1.evil.com/", NULL, &ep, &err),
	                 ERR_USAGE);
	assert_int_equal(aws_endpoint_resolve(svc, NULL, NULL, &ep, &err), ERR_USAGE);
	assert_true(aws_region_valid("ap-southeast-2"));
	assert_false(aws_region_valid("a.b"));
	assert_false(aws_region_valid(""));
	assert_false(aws_region_valid("-x"));
}

/* The SDKs' AWS_ENDPOINT_URL_<x>: serviceId upper-cased, spaces as '_'. */
static void
env_name_from_service_id(const char *id, char *out, size_t n)
{
	size_t i;

	for (i = 0; id[i] && i + 1 < n; i++)
		out[i] = id[i] == ' ' ? '_' : (char)toupper((unsigned char)id[i]);
	out[i] = '\0';
}

static void
check_against_model(const struct aws_service *s, const cJSON *m)
{
	static const char *const protos[] = { "query", "json", "rest-json", "rest-xml" };
	const char *sig = json_str(m, "signingName");
	const char *prefix = json_str(m, "endpointPrefix");
	const char *tp = json_str(m, "targetPrefix"), *jv = json_str(m, "jsonVersion");
	const char *global = json_str(m, "globalEndpoint");
	char env[64];

	assert_string_equal(protos[s->protocol], json_str(m, "protocol"));
	assert_string_equal(s->api_version, json_str(m, "apiVersion"));
	assert_string_equal(s->endpoint_prefix, prefix);
	assert_string_equal(s->signing_name, sig ? sig : prefix);
	if (tp || s->target_prefix)
		assert_string_equal(s->target_prefix ? s->target_prefix : "", tp ? tp : "");
	if (jv || s->json_version)
		assert_string_equal(s->json_version ? s->json_version : "", jv ? jv : "");
	if (s->global_host) /* s3 has one too; shears uses s3.<region> everywhere */
		assert_string_equal(s->global_host, global);
	env_name_from_service_id(json_str(m, "serviceId"), env, sizeof(env));
	assert_string_equal(s->env_name, env);
}

static void
test_service_table_matches_botocore_models(void **state)
{
	size_t n, i;
	const struct aws_service *all = aws_service_all(&n);

	(void)state;
	if (access(MODELS "/lambda", R_OK))
		skip();
	assert_int_equal(n, 12);
	for (i = 0; i < n; i++) {
		char path[512];
		char *text;
		size_t len;
		cJSON *doc;

		snprintf(path, sizeof(path), MODELS "/%s/%s/service-2.json", all[i].id,
		         all[i].api_version);
		text = test_read_file(path, &len);
		assert_non_null(text);
		doc = json_parse(text, len, NULL);
		assert_non_null(doc);
		check_against_model(&all[i], json_path(doc, "metadata"));
		assert_ptr_equal(aws_service_find(all[i].id), &all[i]);
		cJSON_Delete(doc);
		free(text);
	}
	assert_null(aws_service_find("ec2"));
	assert_null(aws_service_find(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_endpoint_public_regional_and_global_hosts, clean_env),
		cmocka_unit_test_setup(test_endpoint_china_partition, clean_env),
		cmocka_unit_test_setup(test_endpoint_order_override_service_env_global_env,
		                       clean_env),
		cmocka_unit_test_setup(test_endpoint_default_port_dropped_from_host, clean_env),
		cmocka_unit_test_setup(test_endpoint_refuses_bad_urls_and_regions, clean_env),
		cmocka_unit_test(test_service_table_matches_botocore_models),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
