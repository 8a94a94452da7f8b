/*
 * The service table. Every value comes from the metadata of botocore
 * 1.29.27's models (botocore/data/<id>/<version>/service-2.json): protocol,
 * apiVersion, targetPrefix, jsonVersion, endpointPrefix, signingName
 * (defaulting to endpointPrefix) and globalEndpoint. env_name is the SDKs'
 * AWS_ENDPOINT_URL_<name>: the serviceId upper-cased, spaces as '_'.
 * tests/unit/test_endpoint.c compares each row with the installed models.
 */
#include "aws/service.h"

#include <string.h>

static const struct aws_service services[] = {
	{ .id = "sts",
	  .endpoint_prefix = "sts",
	  .signing_name = "sts",
	  .env_name = "STS",
	  .global_host = "sts.amazonaws.com",
	  .global_region = "us-east-1",
	  .protocol = AWS_PROTO_QUERY,
	  .api_version = "2011-06-15" },
	{ .id = "iam",
	  .endpoint_prefix = "iam",
	  .signing_name = "iam",
	  .env_name = "IAM",
	  .global_host = "iam.amazonaws.com",
	  .global_region = "us-east-1",
	  .protocol = AWS_PROTO_QUERY,
	  .api_version = "2010-05-08" },
	{ .id = "lambda",
	  .endpoint_prefix = "lambda",
	  .signing_name = "lambda",
	  .env_name = "LAMBDA",
	  .protocol = AWS_PROTO_REST_JSON,
	  .api_version = "2015-03-31" },
	/* s3 has a global host too, but every region (us-east-1 included) answers on s3.<region> */
	{ .id = "s3",
	  .endpoint_prefix = "s3",
	  .signing_name = "s3",
	  .env_name = "S3",
	  .protocol = AWS_PROTO_REST_XML,
	  .api_version = "2006-03-01" },
	{ .id = "apigateway",
	  .endpoint_prefix = "apigateway",
	  .signing_name = "apigateway",
	  .env_name = "API_GATEWAY",
	  .protocol = AWS_PROTO_REST_JSON,
	  .api_version = "2015-07-09" },
	{ .id = "apigatewayv2",
	  .endpoint_prefix = "apigateway",
	  .signing_name = "apigateway",
	  .env_name = "APIGATEWAYV2",
	  .protocol = AWS_PROTO_REST_JSON,
	  .api_version = "2018-11-29",
	  .json_version = "1.1" },
	{ .id = "sqs",
	  .endpoint_prefix = "sqs",
	  .signing_name = "sqs",
	  .env_name = "SQS",
	  .protocol = AWS_PROTO_QUERY,
	  .api_version = "2012-11-05" },
	{ .id = "sns",
	  .endpoint_prefix = "sns",
	  .signing_name = "sns",
	  .env_name = "SNS",
	  .protocol = AWS_PROTO_QUERY,
	  .api_version = "2010-03-31" },
	{ .id = "events",
	  .endpoint_prefix = "events",
	  .signing_name = "events",
	  .env_name = "EVENTBRIDGE",
	  .protocol = AWS_PROTO_JSON,
	  .api_version = "2015-10-07",
	  .target_prefix = "AWSEvents",
	  .json_version = "1.1" },
	{ .id = "dynamodb",
	  .endpoint_prefix = "dynamodb",
	  .signing_name = "dynamodb",
	  .env_name = "DYNAMODB",
	  .protocol = AWS_PROTO_JSON,
	  .api_version = "2012-08-10",
	  .target_prefix = "DynamoDB_20120810",
	  .json_version = "1.0" },
	{ .id = "logs",
	  .endpoint_prefix = "logs",
	  .signing_name = "logs",
	  .env_name = "CLOUDWATCH_LOGS",
	  .protocol = AWS_PROTO_JSON,
	  .api_version = "2014-03-28",
	  .target_prefix = "Logs_20140328",
	  .json_version = "1.1" },
	{ .id = "cloudwatch",
	  .endpoint_prefix = "monitoring",
	  .signing_name = "monitoring",
	  .env_name = "CLOUDWATCH",
	  .protocol = AWS_PROTO_QUERY,
	  .api_version = "2010-08-01" },
};

#define N_SERVICES (sizeof(services) / sizeof(services[0]))

const struct aws_service *
aws_service_find(const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < N_SERVICES; i++)
		if (!strcmp(services[i].id, id))
			return &services[i];
	return NULL;
}

const struct aws_service *
aws_service_all(size_t *n)
{
	*n = N_SERVICES;
	return services;
}
