/*
 * The services shears talks to: one row each, the facts botocore's models
 * give (metadata of service-2.json) plus the name of the endpoint variable.
 */
#ifndef SHEARS_AWS_SERVICE_H
#define SHEARS_AWS_SERVICE_H

#include <stddef.h>

enum aws_protocol {
	AWS_PROTO_QUERY,     /* IAM, STS, SNS, SQS (2012-11-05 query), CloudWatch */
	AWS_PROTO_JSON,      /* DynamoDB (1.0), Logs, EventBridge (1.1) */
	AWS_PROTO_REST_JSON, /* Lambda, API Gateway v1 and v2 */
	AWS_PROTO_REST_XML,  /* S3 */
};

struct aws_service {
	const char *id;              /* shears' name: "lambda", "apigatewayv2", ... */
	const char *endpoint_prefix; /* host label: lambda.<region>.amazonaws.com */
	const char *signing_name;    /* credential scope service */
	const char *env_name;        /* AWS_ENDPOINT_URL_<env_name> */
	const char *global_host;     /* IAM, STS, S3 us-east-1: one global host, else NULL */
	const char *global_region;   /* region the global host signs for */
	enum aws_protocol protocol;
	const char *api_version;   /* query protocol Version= */
	const char *target_prefix; /* json protocol X-Amz-Target prefix */
	const char *json_version;  /* json protocol: "1.0" or "1.1" */
};

/* NULL when shears does not know the service. */
const struct aws_service *aws_service_find(const char *id);

/* Every known service, for --help and tests. */
const struct aws_service *aws_service_all(size_t *n);

#endif
