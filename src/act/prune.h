/*
 * Private to act/: the "prune" action, in three files by job:
 *   act/prune_state.c   the state's normal form, from the cache (cached)
 *   act/prune_read.c    the state from the account (read)
 *   act/prune_calls.c   what it wants (desire) and the calls between two states
 *   act/prune_backup.c  the backup (save): GetFunction, the code package, every trigger
 *
 * The state (every key null or [] when there is nothing):
 *   "FunctionArn"              unqualified; the same on both sides (the calls need it)
 *   "Exists"                   the function exists
 *   "Configuration"            what CreateFunction writes back (act/prune_state.c),
 *                              its environment by variable names only
 *   "Tags", "ReservedConcurrentExecutions", "PolicyStatements" (act/close_public.c's form),
 *   "Url"                      {AuthType, Cors, InvokeMode} of the function's own URL
 *   "EventInvokeConfig"        $LATEST's {MaximumRetryAttempts, MaximumEventAgeInSeconds,
 *                              DestinationConfig}
 *   "Versions"                 [{Description, CodeSha256}] by version number, no number
 *   "Aliases"                  [{Name, Description, FunctionVersion}], a version written
 *                              "#k" (the k-th of Versions): numbers are not kept by a restore
 *   "EventSourceMappings"      [{EventSourceArn, Enabled, BatchSize, ...}] sorted, no UUID
 *   "RuleTargets"              [{EventBusName, Rule, Target}] of targets that are the function,
 *                              Input and HTTP parameters redacted as the cache holds them
 *   "BucketNotifications"      [{Bucket, Region, Configuration}]: the WHOLE notification
 *                              configuration of each bucket that notifies the function
 *   "Subscriptions"            [{TopicArn, Protocol, Endpoint}] sorted
 * and beside the keys, what the calls need but a comparison must not hold:
 *   "RevisionId", "MappingIds" (UUIDs, in EventSourceMappings' order),
 *   "SubscriptionArns" (in Subscriptions' order).
 */
#ifndef SHEARS_ACT_PRUNE_H
#define SHEARS_ACT_PRUNE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "act/act.h"

extern const char *const prune_keys[];
extern const char *const prune_backs_up[];

int prune_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before, cJSON *after,
                 char *explain, size_t n, struct err *err);
int prune_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                cJSON *calls, struct err *err);
int prune_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                 struct err *err);
int prune_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);
int prune_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err);

/*
 * The account read of prune_read, keeping the raw answers the backup
 * needs in raw (when not NULL): "GetFunction" (Code.Location dropped),
 * "Code.Location" apart in *location (caller frees; NULL when none),
 * "EventSourceMappings" (full), "RuleTargets" {key: [full targets]},
 * "LogGroup" (DescribeLogGroups' entry).
 */
int prune_read_raw(struct aws_client *c, const cJSON *plan, cJSON **state, cJSON *raw,
                   char **location, struct err *err);

/* ---- shared by the files (act/prune_state.c) */

/* What a state is built from: a GetFunction answer's parts or the cache's attrs. */
struct prune_parts {
	const char *fn_arn;  /* unqualified */
	const cJSON *config; /* NULL: the function does not exist */
	const cJSON *tags, *concurrency, *policy;
	const char *policy_rev;
	const cJSON *url, *eics, *versions, *aliases, *esms;
};

/* A state with the function's keys and its mappings; triggers empty (add them below). */
cJSON *prune_state_new(const struct prune_parts *p);
/* A rule's targets that are the function, redacted as the cache holds them. */
void prune_add_rule_targets(cJSON *state, const char *bus, const char *rule, const cJSON *targets);
/* A bucket's whole notification configuration. */
void prune_add_bucket(cJSON *state, const char *bucket, const char *region, const cJSON *conf);
/* The subscriptions of subs that are lambda subscriptions of the function. */
void prune_add_subscriptions(cJSON *state, const cJSON *subs);
/* Sorts the trigger lists (and their parallel ids): call once, after the adds. */
void prune_state_finish(cJSON *state);

/* 1 when arn is the function fn_arn, unqualified or qualified (fn_arn:QUALIFIER). */
int prune_is_function(const char *arn, const char *fn_arn);

/* The state's normalised pieces. Each returns a new item (caller deletes). */
cJSON *prune_config(const cJSON *config);
cJSON *prune_url(const cJSON *url);
cJSON *prune_mapping(const cJSON *esm);
cJSON *prune_target(const cJSON *target);
cJSON *prune_notification(const cJSON *conf);

/* Sorts the items of arr by their JSON text, moving parallel's items alike (parallel may be NULL).
 */
void prune_sort(cJSON *arr, cJSON *parallel);

/* The backup's key for a rule's targets: bus and rule name, made a single path segment. */
void prune_rule_key(const char *bus, const char *rule, char *out, size_t n);

/* The function's entries of conf removed (fn_arn unqualified): a new config. */
cJSON *prune_notification_without(const cJSON *conf, const char *fn_arn);
/* base with with's entries for fn_arn added (sorted): a new config. */
cJSON *prune_notification_merge(const cJSON *base, const cJSON *with, const char *fn_arn);
/* The S3 PutBucketNotificationConfiguration XML body for conf (caller frees). */
char *prune_notification_xml(const cJSON *conf);

#endif
