/*
 * A plan's calls are data: each one names its service and operation and
 * carries what that service's protocol sends, so any reviewer can read
 * exactly what will be sent and shears sends exactly that.
 *
 *   { "service": "lambda", "operation": "DeleteFunction",
 *     "region": "eu-west-1",          optional: else the plan's region
 *     "once": true,                   optional: not idempotent (aws_request.once)
 *     REST JSON (Lambda):  "method", "path" (encoded), "query", "body" (object)
 *     REST XML (S3):       "method", "path", "query", "xml" (the body, text)
 *     query (IAM, SNS, SQS, CloudWatch): "params" { name: string }
 *     JSON (Logs, EventBridge): "body" (object), POSTed with X-Amz-Target }
 *
 * The same form reads the account (act_call_json, act_call_xml), so a
 * reader of a queue, a bucket or a rule is a few lines of data too.
 */
#ifndef SHEARS_ACT_CALL_H
#define SHEARS_ACT_CALL_H

#include <cjson/cJSON.h>

#include "aws/transport.h"
#include "util/err.h"
#include "util/xml.h"

/* Appends {service, operation} to calls (an array); returns the new call to fill. */
cJSON *act_call_add(cJSON *calls, const char *service, const char *operation);

/*
 * Sets the call's method and path: fmt's "%s" replaced by name,
 * URI-encoded (one path segment). Returns 0 or ERR_LIMIT.
 */
int act_call_path(cJSON *call, const char *method, const char *fmt, const char *name,
                  struct err *err);

/* Adds the query parameter name=value (a query-protocol call's params). */
void act_call_param(cJSON *call, const char *name, const char *value);

/* A standalone call (not in a plan's array): caller deletes it. */
cJSON *act_call_new(const char *service, const char *operation);

/*
 * Sends call, in the call's region or else region. Returns 0 and the raw
 * answer in *ans (release it), or the AWS error. resource names the
 * target in errors.
 */
int act_call_send(struct aws_client *c, const char *region, const char *resource, const cJSON *call,
                  struct aws_answer *ans, struct err *err);

/* act_call_send, the answer parsed as JSON (an empty answer is {}); caller deletes. */
int act_call_json(struct aws_client *c, const char *region, const cJSON *call, cJSON **answer,
                  struct err *err);

/* act_call_send, the answer parsed as XML; release doc. */
int act_call_xml(struct aws_client *c, const char *region, const cJSON *call, struct xml_doc *doc,
                 struct err *err);

/*
 * A query-protocol read (IAM, SNS, SQS, CloudWatch) in region: operation
 * with its parameters as name, value pairs ending at a NULL name (a NULL
 * value leaves its name out); the XML answer in doc (release it).
 */
int act_query(struct aws_client *c, const char *region, const char *service, const char *operation,
              struct xml_doc *doc, struct err *err, ...);

/*
 * What a backup restores must not be in the plan (a plan is journaled and
 * shown; environment values are secrets, code is large): such a call names
 * where each piece comes from,
 *
 *   "from_backup": { "body.Environment": "GetFunction.Configuration.Environment",
 *                    "body.Code.ZipFile": "file:code_file" }
 *
 * keys: dotted paths in the call; values: dotted paths in the backup (the
 * plan's "restore_from" file), "file:" + a path whose value names a file
 * beside the backup, put base64-encoded (at most ACT_FILE_MAX bytes). A
 * missing piece is left out (an absent environment stays absent).
 * Returns 0 and *filled, a copy of call to send (caller deletes), or an
 * error when a named file cannot be read.
 */
#define ACT_FILE_MAX ((size_t)75 << 20)
int act_call_fill(const cJSON *call, const cJSON *backup, cJSON **filled, struct err *err);

/* 1 when err is the AWS error code (e.g. "ResourceNotFoundException"). */
int act_err_is(const struct err *err, const char *aws_code);

#endif
