/*
 * Parsers for the answers of the non-Lambda services a scan reads (S3,
 * SQS, SNS, EventBridge, DynamoDB, API Gateway): AWS answer text in, cJSON
 * in the API's own member names (botocore's, not the wire's) out. Pure:
 * no scan, no calls, so tests feed them recorded answers.
 *
 * Each returns 0, or ERR_PARSE / ERR_LIMIT with err set; on error nothing
 * is handed out. Out parameters are owned by the caller (cJSON_Delete,
 * free). Elements a parser does not know are skipped, never an error.
 */
#ifndef SHEARS_COLLECT_SVC_PARSE_H
#define SHEARS_COLLECT_SVC_PARSE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "util/err.h"

/* S3 ListBuckets: out = [{"Name","CreationDate"}]. */
int collect_s3_parse_buckets(const char *body, size_t len, cJSON **out, struct err *err);

/* S3 GetBucketLocation: the bucket's region (empty = us-east-1, "EU" = eu-west-1). */
int collect_s3_parse_location(const char *body, size_t len, char *region, size_t n,
                              struct err *err);

/* S3 GetBucketPolicyStatus: out = {"IsPublic": bool}. */
int collect_s3_parse_policy_status(const char *body, size_t len, cJSON **out, struct err *err);

/* S3 GetPublicAccessBlock: out = the four settings as booleans. */
int collect_s3_parse_public_access_block(const char *body, size_t len, cJSON **out,
                                         struct err *err);

/*
 * S3 GetBucketAcl: out = {"Owner": {...}, "Grants": [{"Grantee": {"Type",
 * "ID", "DisplayName", "URI", "EmailAddress"}, "Permission"}]}.
 */
int collect_s3_parse_acl(const char *body, size_t len, cJSON **out, struct err *err);

/* The grants of an ACL (as above) to AllUsers or AuthenticatedUsers: ["AllUsers:READ", ...]. */
cJSON *collect_s3_public_grants(const cJSON *acl);

/*
 * S3 GetBucketNotificationConfiguration: out = {"LambdaFunctionConfigurations":
 * [{"Id", "LambdaFunctionArn", "Events": [...], "Filter": {"Key":
 * {"FilterRules": [{"Name","Value"}]}}}], "QueueConfigurations": [... "QueueArn"],
 * "TopicConfigurations": [... "TopicArn"], "EventBridgeConfiguration": {}}.
 * Empty lists are left out.
 */
int collect_s3_parse_notification(const char *body, size_t len, cJSON **out, struct err *err);

/* SQS ListQueues (query): urls = ["https://..."]; *next = NextToken or NULL. */
int collect_sqs_parse_list(const char *body, size_t len, cJSON **urls, char **next,
                           struct err *err);

/* SQS GetQueueAttributes (query): out = {"QueueArn": "...", ...}. */
int collect_sqs_parse_attributes(const char *body, size_t len, cJSON **out, struct err *err);

/* SNS ListTopics: arns = ["arn:aws:sns:..."]; *next = NextToken or NULL. */
int collect_sns_parse_topics(const char *body, size_t len, cJSON **arns, char **next,
                             struct err *err);

/* SNS GetTopicAttributes: out = {"TopicArn": "...", "Policy": "...", ...}. */
int collect_sns_parse_attributes(const char *body, size_t len, cJSON **out, struct err *err);

/* SNS ListSubscriptionsByTopic: subs =
 * [{"SubscriptionArn","Owner","Protocol","Endpoint","TopicArn"}]. */
int collect_sns_parse_subscriptions(const char *body, size_t len, cJSON **subs, char **next,
                                    struct err *err);

/*
 * The unqualified function ARN a Lambda ARN, a qualified one or an API
 * Gateway integration URI (arn:aws:apigateway:R:lambda:path/2015-03-31/
 * functions/ARN/invocations) names, into out. Returns 1, or 0 when s names
 * no function (or names it through a stage variable).
 */
int collect_function_arn(const char *s, char *out, size_t n);

/* One route of an API that reaches a function. */
struct collect_route {
	char method[16];
	char path[512];       /* "/orders/{id}"; for HTTP APIs the route key's path */
	char auth[32];        /* "NONE", "CUSTOM", "AWS_IAM", "COGNITO_USER_POOLS", "JWT" */
	int api_key_required; /* REST only */
	char function[512];   /* unqualified function ARN */
};

/*
 * REST API GetResources?embed=methods items (the "item" array as on the
 * wire): calls fn for each method whose integration reaches a function.
 */
void collect_apigw_rest_routes(const cJSON *items,
                               void (*fn)(const struct collect_route *route, void *ctx), void *ctx);

/*
 * HTTP API GetRoutes items and GetIntegrations items (member names, see
 * collect_apigw_v2_members): calls fn for each route whose target
 * integration reaches a function.
 */
void collect_apigw_http_routes(const cJSON *routes, const cJSON *integrations,
                               void (*fn)(const struct collect_route *route, void *ctx), void *ctx);

/*
 * API Gateway v2 answers use lowerCamel names on the wire ("apiId"); the
 * API's members are UpperCamel ("ApiId"). Renames keys in place, recursing
 * into everything but maps of user keys (tags, parameters, templates).
 */
void collect_apigw_v2_members(cJSON *item);

#endif
