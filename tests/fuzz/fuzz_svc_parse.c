/*
 * libFuzzer target: the answers of S3, SQS, SNS and API Gateway as the
 * service collectors parse them (collect/svc_parse.h). The input is tried
 * with every XML parser, as an API Gateway REST and HTTP route list, and
 * as a function ARN or integration URI. Errors are silent; every parsed
 * string is touched so ASan sees an overread.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/svc_parse.h"
#include "util/json.h"

static volatile unsigned sink;

static void
touch(const cJSON *j)
{
	const cJSON *c;
	const char *s;

	if (!j)
		return;
	if (cJSON_IsString(j))
		for (s = j->valuestring; *s; s++)
			sink += (unsigned char)*s;
	for (c = j->child; c; c = c->next)
		touch(c);
}

static void
route(const struct collect_route *r, void *ctx)
{
	(void)ctx;
	sink += (unsigned)strlen(r->method) + (unsigned)strlen(r->path) +
	        (unsigned)strlen(r->auth) + (unsigned)strlen(r->function);
}

typedef int parse_fn(const char *body, size_t len, cJSON **out, struct err *err);
typedef int parse_next_fn(const char *body, size_t len, cJSON **out, char **next, struct err *err);

static void
try_xml(const char *s, size_t len)
{
	static parse_fn *const fns[] = {
		collect_s3_parse_buckets,
		collect_s3_parse_policy_status,
		collect_s3_parse_public_access_block,
		collect_s3_parse_acl,
		collect_s3_parse_notification,
		collect_sqs_parse_attributes,
		collect_sns_parse_attributes,
	};
	static parse_next_fn *const next_fns[] = {
		collect_sqs_parse_list,
		collect_sns_parse_topics,
		collect_sns_parse_subscriptions,
	};
	char region[32];
	size_t i;

	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		cJSON *out = NULL;

		if (!fns[i](s, len, &out, NULL)) {
			touch(out);
			if (fns[i] == collect_s3_parse_acl) {
				cJSON *pub = collect_s3_public_grants(out);

				touch(pub);
				cJSON_Delete(pub);
			}
		}
		cJSON_Delete(out);
	}
	for (i = 0; i < sizeof(next_fns) / sizeof(next_fns[0]); i++) {
		cJSON *out = NULL;
		char *next = NULL;

		if (!next_fns[i](s, len, &out, &next, NULL)) {
			touch(out);
			if (next)
				sink += (unsigned)strlen(next);
		}
		cJSON_Delete(out);
		free(next);
	}
	if (!collect_s3_parse_location(s, len, region, sizeof(region), NULL))
		sink += (unsigned)strlen(region);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	cJSON *j;
	char fn[512];

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	try_xml(s, size);
	if (collect_function_arn(s, fn, sizeof(fn)))
		sink += (unsigned)strlen(fn);
	j = json_parse(s, size, NULL);
	if (j) {
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "item");

		collect_apigw_rest_routes(items, route, NULL);
		collect_apigw_v2_members(j);
		collect_apigw_http_routes(cJSON_GetObjectItemCaseSensitive(j, "Items"),
		                          cJSON_GetObjectItemCaseSensitive(j, "Integrations"),
		                          route, NULL);
		touch(j);
		cJSON_Delete(j);
	}
	free(s);
	return 0;
}
