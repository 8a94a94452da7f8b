/*
 * Private to act/: "close-public" for the other kinds of target, a row
 * each in act/actions.c beside the function's (act/close_public.c):
 * queues and topics (act/close_public_res.c: their policies lose the
 * statements open to anyone) and buckets (act/close_public_bucket.c: the
 * public access block turned on; `--with policy` also edits the policy).
 */
#ifndef SHEARS_ACT_CLOSE_PUBLIC_RES_H
#define SHEARS_ACT_CLOSE_PUBLIC_RES_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "act/act.h"
#include "util/buf.h"

/*
 * Splits a resource policy document (an object) by who it lets in. An
 * Allow statement is open when analyze/resource_policy.h finds a grant to
 * anyone in it with no limiting condition (rpol_is_open, the rule of the
 * exposure findings) for an action it grants (Deny statements are taken
 * into account there). *kept: a copy of doc whose open statements lose
 * their "everyone" principals ("*", {"AWS":"*"}), and are dropped when
 * no other principal is left (NotPrincipal: dropped); "Statement" is then
 * an array. *removed: the open statements as they were, in document order.
 * Returns how many statements were open. Both outputs: caller deletes.
 */
int cpr_split_open(const cJSON *doc, cJSON **kept, cJSON **removed);

/*
 * A policy's statements as a state compares them: copies sorted by Sid,
 * statements without a Sid first, in document order. [] for NULL.
 */
cJSON *cpr_sorted_statements(const cJSON *doc);

/*
 * The reviewer's note on who loses access: each removed statement (its
 * number, Sid, principal, actions and conditions), then what the cache's
 * edges tie to arn and whether it keeps working: triggers (a queue's event
 * source mapping, a topic's subscriptions, a bucket's notifications), and
 * the functions and roles of the account that read or write it. kind says
 * how the resource's access works. Appends lines to b.
 */
void cpr_describe_access(struct buf *b, struct store *s, const char *arn, enum model_kind kind,
                         const cJSON *removed);

/* Queues: state {QueueUrl, Policy (text, null when none), PolicyStatements}. */
extern const char *const cpr_queue_keys[];
extern const char *const cpr_queue_backs_up[];
int cpr_queue_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                     struct err *err);
int cpr_queue_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);
int cpr_queue_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err);
int cpr_queue_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                     cJSON *after, char *explain, size_t n, struct err *err);
int cpr_queue_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                    cJSON *calls, struct err *err);

/* Topics: state {TopicArn, Policy (text), PolicyStatements}. */
extern const char *const cpr_topic_keys[];
extern const char *const cpr_topic_backs_up[];
int cpr_topic_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                     struct err *err);
int cpr_topic_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);
int cpr_topic_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err);
int cpr_topic_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                     cJSON *after, char *explain, size_t n, struct err *err);
int cpr_topic_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                    cJSON *calls, struct err *err);

/*
 * Buckets: state {PublicAccessBlock (null when the bucket has none, else
 * the four flags, an absent one false), PolicyStatements ([] when no
 * policy)}; the state read also holds "PolicyDocument" and "Region".
 */
extern const char *const cpr_bucket_keys[];
extern const char *const cpr_bucket_backs_up[];
extern const char *const cpr_bucket_options[];
int cpr_bucket_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                      struct err *err);
int cpr_bucket_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);
int cpr_bucket_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err);
int cpr_bucket_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                      cJSON *after, char *explain, size_t n, struct err *err);
int cpr_bucket_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                     cJSON *calls, struct err *err);

#endif
