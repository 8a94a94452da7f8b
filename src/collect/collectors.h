/*
 * The collectors' phase hooks, one per row of the table in collectors.c.
 * Each is called once per region (or once with region NULL for a global
 * collector) in every phase; it submits calls and returns without waiting.
 */
#ifndef SHEARS_COLLECT_COLLECTORS_H
#define SHEARS_COLLECT_COLLECTORS_H

#include "collect/collect.h"

/* sts: GetCallerIdentity -> the account (collect/sts_collect.c, driver) */
void collect_sts_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);

/* lambda, metrics, logs (collect-lambda) */
void collect_lambda_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);
void collect_metrics_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);
void collect_logs_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);

/* iam, and the edges derived from the whole model (collect-iam) */
void collect_iam_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);
void collect_edges_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);

/* the other services (collect-services) */
void collect_s3_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);
void collect_sqs_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);
void collect_sns_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);
void collect_events_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);
void collect_dynamodb_phase(struct collect_scan *scan, enum collect_phase phase,
                            const char *region);
void collect_apigw_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);
void collect_code_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);

#endif
