/*
 * The EDGES phase: edges that need the whole model, derived without calls.
 *
 *  - role -> resource, reads / writes: every collected bucket, table, queue,
 *    topic, function, log group and rule that the role's policies
 *    (RolePolicyList documents and ManagedPolicyDocuments, decoded) allow a
 *    read or write action on. Read vs write comes from the action's verb
 *    (edges.c, a small table until the IAM action catalog lands).
 *  - function -> resource, reads: an environment variable (raw values, which
 *    collect-lambda keeps under attrs "_env_raw" until this phase deletes
 *    them) whose value names a collected table, bucket, queue or topic by name, ARN or
 *    URL (queue URL, s3://bucket).
 *
 * The work is done by collect_edges_derive() over a plain array of
 * resources, so it runs alike on a scan and in a unit test.
 */
#ifndef SHEARS_COLLECT_EDGES_H
#define SHEARS_COLLECT_EDGES_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "collect/collect.h"
#include "model.h"

/* The EDGES hook (region NULL: the whole model at once; other regions: nothing). */
void collect_edges_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);

/* One resource as the derivation sees it (all borrowed). */
struct collect_edges_res {
	enum model_kind kind;
	const char *arn, *name, *region;
	const cJSON *attrs;
};

typedef void collect_edges_emit_fn(void *ctx, const char *src, const char *dst,
                                   enum model_edge_kind kind, const char *evidence);

/* Calls emit once per (src, dst, kind), with the first evidence found. */
void collect_edges_derive(const struct collect_edges_res *res, size_t n,
                          collect_edges_emit_fn *emit, void *ctx);

/* 1 when the action ("dynamodb:PutItem", case-blind) writes, 0 when it reads, -1 unknown verb. */
int collect_edges_action_writes(const char *action);

#endif
