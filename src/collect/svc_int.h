/*
 * Shared by the collectors of S3, SQS, SNS, EventBridge, DynamoDB and API
 * Gateway (collect-services): answer decoding that records a gap on
 * failure, redaction, and whether a region is one this scan covers.
 */
#ifndef SHEARS_COLLECT_SVC_INT_H
#define SHEARS_COLLECT_SVC_INT_H

#include <cjson/cJSON.h>

#include "collect/collect.h"

/* One call about one resource in one region; svc_call_free() releases it. */
struct svc_call {
	char region[32];
	char *arn;   /* the resource the call is about (owned), or NULL */
	char *name;  /* its name (owned), or NULL */
	char *token; /* next page (owned), or NULL */
	cJSON *data; /* owned: what the collector carries to the callback */
	int pages;   /* pages read so far (bounds a hostile position loop) */
	int count;   /* what the collector counts over the pages */
};

struct svc_call *svc_call_new(const char *region, const char *arn, const char *name);
void svc_call_free(struct svc_call *c);

/*
 * Records a gap for a failed call unless its AWS error code is absent_code
 * (which means "none", e.g. NoSuchBucketPolicy). Returns 1 when the call
 * failed (gap or absent), 0 when it succeeded.
 */
int svc_failed(struct collect_scan *scan, const struct err *err, const char *service,
               const char *region, const char *operation, const char *absent_code);

/* 1 when err carries exactly this AWS error code. */
int svc_is_code(const struct err *err, const char *code);

/* Records a parse failure of an answer as a gap. */
void svc_parse_gap(struct collect_scan *scan, const struct err *perr, const char *service,
                   const char *region, const char *operation, const char *resource);

/* The JSON body of ans, or NULL after recording a gap. Caller owns the tree. */
cJSON *svc_json(struct collect_scan *scan, const struct aws_answer *ans, const char *service,
                const char *region, const char *operation, const char *resource);

/*
 * --quick: a copy of arn's attrs from the previous scan when this is a
 * quick scan and they hold every member of needed (NULL-terminated), so
 * the calls that filled them are not made again; NULL otherwise (read it).
 */
cJSON *svc_reuse(struct collect_scan *scan, const char *arn, const char *const *needed);

/*
 * Replaces item (a member of parent) with replacement, keeping its key
 * (cJSON_ReplaceItemViaPointer alone drops it). Takes replacement.
 */
void svc_replace(cJSON *parent, cJSON *item, cJSON *replacement);

/*
 * Secrets stay out of the cache: replaces each string value of the object
 * map (stage variables, static header values, ...) with collect_redact()'s
 * form, but only the values keep() accepts (NULL: all). Other types are
 * printed and redacted too.
 */
void svc_redact_values(cJSON *map, int (*keep)(const char *value));

/* Replaces obj[key] (a string, or anything printed) with its redacted form. */
void svc_redact_member(cJSON *obj, const char *key);

/* s percent-encoded (botocore's percent_encode), newly allocated. */
char *svc_encode(const char *s);

/*
 * 1 when region is one this scan covers (collect_regions()), or when the
 * scan's regions are not known (no information: keep all).
 */
int svc_region_scanned(const struct collect_scan *scan, const char *region);

#endif
