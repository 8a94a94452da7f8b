/*
 * The model: what a scan found, as every module sees it. Plain data; the
 * store persists it, collectors fill it, checks read it, the UI draws it.
 * Strings are owned by whoever owns the struct unless a comment says so.
 */
#ifndef SHEARS_MODEL_H
#define SHEARS_MODEL_H

#include <stdint.h>

/* Kinds of resource, as stored (the text is the store's and the CLI's name). */
#define MODEL_KINDS(K)                          \
	K(FUNCTION, "function", "functions")    \
	K(ROLE, "role", "roles")                \
	K(POLICY, "policy", "policies")         \
	K(LAYER, "layer", "layers")             \
	K(REST_API, "rest-api", "apis")         \
	K(HTTP_API, "http-api", "http-apis")    \
	K(BUCKET, "bucket", "buckets")          \
	K(TABLE, "table", "tables")             \
	K(QUEUE, "queue", "queues")             \
	K(TOPIC, "topic", "topics")             \
	K(RULE, "rule", "rules")                \
	K(LOG_GROUP, "log-group", "log-groups") \
	K(ACCOUNT, "account", "accounts")

enum model_kind {
#define K(id, name, plural) MODEL_##id,
	MODEL_KINDS(K)
#undef K
	        MODEL_KIND_COUNT
};

/* "function" for MODEL_FUNCTION; NULL out of range. */
const char *model_kind_name(enum model_kind k);
/* "functions" for MODEL_FUNCTION. */
const char *model_kind_plural(enum model_kind k);
/* The kind named by its name or plural; -1 when unknown. */
int model_kind_parse(const char *s);

#define MODEL_EDGES(E)          \
	E(TRIGGERS, "triggers") \
	E(INVOKES, "invokes")   \
	E(ASSUMES, "assumes")   \
	E(READS, "reads")       \
	E(WRITES, "writes")     \
	E(MANAGES, "manages")

enum model_edge_kind {
#define E(id, name) MODEL_EDGE_##id,
	MODEL_EDGES(E)
#undef E
	        MODEL_EDGE_COUNT
};

const char *model_edge_name(enum model_edge_kind k);
int model_edge_parse(const char *s);

struct model_resource {
	const char *arn; /* the identity of a resource across scans */
	enum model_kind kind;
	const char *name;
	const char *region; /* "" for global resources (IAM) */
	const char *account;
	const char *attrs; /* JSON object text: what the API said, secrets redacted */
};

struct model_edge {
	const char *src; /* ARN */
	const char *dst; /* ARN */
	enum model_edge_kind kind;
	const char *evidence; /* why shears believes it: "SQS event source mapping uuid ..." */
};

#endif
