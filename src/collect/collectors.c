/*
 * The table of collectors: the driver calls each row's hook in every phase,
 * in this order. Global rows are called once with region NULL.
 */
#include "collect/collectors.h"

#include <stddef.h>

static const struct collect_collector collectors[] = {
	{ .name = "sts", .global = 1, .phase = collect_sts_phase },
	{ .name = "lambda", .global = 0, .phase = collect_lambda_phase },
	{ .name = "metrics", .global = 0, .phase = collect_metrics_phase },
	{ .name = "logs", .global = 0, .phase = collect_logs_phase },
	{ .name = "iam", .global = 1, .phase = collect_iam_phase },
	{ .name = "s3", .global = 1, .phase = collect_s3_phase },
	{ .name = "sqs", .global = 0, .phase = collect_sqs_phase },
	{ .name = "sns", .global = 0, .phase = collect_sns_phase },
	{ .name = "events", .global = 0, .phase = collect_events_phase },
	{ .name = "dynamodb", .global = 0, .phase = collect_dynamodb_phase },
	{ .name = "apigateway", .global = 0, .phase = collect_apigw_phase },
	{ .name = "code", .global = 1, .phase = collect_code_phase },
	/* last: edges are derived once everything else is in the model */
	{ .name = "edges", .global = 1, .phase = collect_edges_phase },
};

const struct collect_collector *
collect_collectors(size_t *n)
{
	*n = sizeof(collectors) / sizeof(collectors[0]);
	return collectors;
}
