/*
 * The one table of what a scan may call: (service, operation) -> IAM action.
 * collect_call() refuses any operation missing here, and `shears iam-policy`
 * prints the actions of this table, so the published policy cannot drift
 * from what the collectors do. A new call is one new row.
 */
#include "collect/scan_int.h"

#include <string.h>

static const struct collect_action actions[] = {
	{ "sts", "GetCallerIdentity", "sts:GetCallerIdentity" },
	/* lambda: functions, policies, URLs, aliases, async configs, mappings, layers */
	{ "lambda", "ListFunctions", "lambda:ListFunctions" },
	{ "lambda", "GetFunction", "lambda:GetFunction" },
	{ "lambda", "GetLayerVersion", "lambda:GetLayerVersion" },
	{ "lambda", "GetPolicy", "lambda:GetPolicy" },
	{ "lambda", "ListFunctionUrlConfigs", "lambda:ListFunctionUrlConfigs" },
	{ "lambda", "ListFunctionEventInvokeConfigs", "lambda:ListFunctionEventInvokeConfigs" },
	{ "lambda", "ListAliases", "lambda:ListAliases" },
	{ "lambda", "ListEventSourceMappings", "lambda:ListEventSourceMappings" },
	{ "lambda", "ListLayers", "lambda:ListLayers" },
	{ "cloudwatch", "GetMetricData", "cloudwatch:GetMetricData" },
	{ "logs", "DescribeLogGroups", "logs:DescribeLogGroups" },
	/* iam: roles in bulk, then last-accessed for the roles functions use */
	{ "iam", "GetAccountAuthorizationDetails", "iam:GetAccountAuthorizationDetails" },
	{ "iam", "GenerateServiceLastAccessedDetails", "iam:GenerateServiceLastAccessedDetails" },
	{ "iam", "GetServiceLastAccessedDetails", "iam:GetServiceLastAccessedDetails" },
	/* s3: the IAM action names differ from some operation names */
	{ "s3", "ListBuckets", "s3:ListAllMyBuckets" },
	{ "s3", "GetBucketLocation", "s3:GetBucketLocation" },
	{ "s3", "GetBucketPolicy", "s3:GetBucketPolicy" },
	{ "s3", "GetBucketPolicyStatus", "s3:GetBucketPolicyStatus" },
	{ "s3", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock" },
	{ "s3", "GetBucketAcl", "s3:GetBucketAcl" },
	{ "s3", "GetBucketNotificationConfiguration", "s3:GetBucketNotification" },
	{ "sqs", "ListQueues", "sqs:ListQueues" },
	{ "sqs", "GetQueueAttributes", "sqs:GetQueueAttributes" },
	{ "sns", "ListTopics", "sns:ListTopics" },
	{ "sns", "GetTopicAttributes", "sns:GetTopicAttributes" },
	{ "sns", "ListSubscriptionsByTopic", "sns:ListSubscriptionsByTopic" },
	{ "events", "ListEventBuses", "events:ListEventBuses" },
	{ "events", "ListRules", "events:ListRules" },
	{ "events", "ListTargetsByRule", "events:ListTargetsByRule" },
	{ "dynamodb", "ListTables", "dynamodb:ListTables" },
	{ "dynamodb", "DescribeTable", "dynamodb:DescribeTable" },
	/* API Gateway authorises reads by HTTP method on the resource path */
	{ "apigateway", "GetRestApis", "apigateway:GET" },
	{ "apigateway", "GetResources", "apigateway:GET" },
	{ "apigateway", "GetStages", "apigateway:GET" },
	{ "apigateway", "GetAuthorizers", "apigateway:GET" },
	{ "apigateway", "GetApiKeys", "apigateway:GET" },
	{ "apigateway", "GetUsagePlans", "apigateway:GET" },
	{ "apigatewayv2", "GetApis", "apigateway:GET" },
	{ "apigatewayv2", "GetIntegrations", "apigateway:GET" },
	{ "apigatewayv2", "GetRoutes", "apigateway:GET" },
	{ "apigatewayv2", "GetStages", "apigateway:GET" },
	{ "apigatewayv2", "GetAuthorizers", "apigateway:GET" },
};

const struct collect_action *
collect_actions(size_t *n)
{
	*n = sizeof(actions) / sizeof(actions[0]);
	return actions;
}

const char *
collect_action_find(const char *service, const char *operation)
{
	size_t i;

	if (!service || !operation)
		return NULL;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].service, service) &&
		    !strcmp(actions[i].operation, operation))
			return actions[i].action;
	return NULL;
}
