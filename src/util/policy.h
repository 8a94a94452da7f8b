/*
 * IAM policy documents: decoding and the questions the edge builder and the
 * risk engine ask of them. Pure functions: no calls, no scan.
 *
 * Limits, on purpose:
 *  - Conditions are not evaluated. A statement with a Condition counts as if
 *    the condition held (an Allow grants, a conditional Deny removes nothing):
 *    shears over-states reach rather than hide it, and says so in evidence
 *    (policy_statement_has_condition()).
 *  - Policy variables (${aws:username}) are matched as literal text.
 *  - Principal/NotPrincipal are not looked at (identity policies have none).
 */
#ifndef SHEARS_UTIL_POLICY_H
#define SHEARS_UTIL_POLICY_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "util/err.h"

/*
 * Percent-decodes s (RFC 3986, as IAM sends documents; '+' is kept as '+').
 * Returns a new NUL-terminated string (caller frees) and its length in
 * *len (may be NULL), or NULL with ERR_PARSE for a broken escape or an
 * escaped NUL.
 */
char *policy_url_decode(const char *s, size_t *len, struct err *err);

/*
 * Decodes a URL-encoded policy document into a cJSON object (caller owns).
 * A document that is already JSON text (starts with '{') is parsed as is.
 * Returns NULL with ERR_PARSE when it is not a JSON object.
 */
cJSON *policy_decode(const char *encoded, struct err *err);

/*
 * Matches text against an IAM wildcard pattern: '*' any run (also empty),
 * '?' one character. nocase 1 for actions (IAM actions are case-blind),
 * 0 for ARNs. Returns 1 on a match.
 */
int policy_wildcard_match(const char *pattern, const char *text, int nocase);

/*
 * 1 when some text starting with prefix matches the pattern: does
 * "arn:aws:s3:::b/reports/" followed by a star reach anything under
 * "arn:aws:s3:::b/"? (yes)
 */
int policy_wildcard_match_prefix(const char *pattern, const char *prefix, int nocase);

/*
 * Calls fn for every statement of doc ("Statement" an object or an array);
 * other shapes are skipped. Stops early when fn returns non-zero and
 * returns that value, else 0.
 */
int policy_each_statement(const cJSON *doc, int (*fn)(const cJSON *stmt, void *ctx), void *ctx);

/* 1 when the statement's Effect is "Allow" / "Deny" (exact, as IAM requires). */
int policy_statement_is_allow(const cJSON *stmt);
int policy_statement_is_deny(const cJSON *stmt);

/*
 * 1 when the statement covers the action ("s3:GetObject"): an Action entry
 * matches it, or a NotAction is present and no entry of it matches. The
 * Effect is not looked at.
 */
int policy_statement_covers_action(const cJSON *stmt, const char *action);

/*
 * 1 when the statement covers the resource ARN: a Resource entry matches it,
 * or a NotResource is present and no entry of it matches.
 */
int policy_statement_covers_resource(const cJSON *stmt, const char *arn);

/* 1 when the statement carries a Condition (which shears does not evaluate). */
int policy_statement_has_condition(const cJSON *stmt);

/*
 * Calls fn for each string of the statement's field ("Action", "NotAction",
 * "Resource", ...): a string or an array of strings. Returns the count.
 */
size_t policy_statement_strings(const cJSON *stmt, const char *field,
                                void (*fn)(const char *s, void *ctx), void *ctx);

enum policy_flags {
	POLICY_ARN_PREFIX = 1 << 0, /* arn is a prefix: anything under it (S3 objects) */
};

/*
 * The decision of a set of documents for one action on one resource, as IAM
 * evaluates identity policies without conditions: 1 when some Allow covers
 * both and no unconditional Deny does. With POLICY_ARN_PREFIX an Allow covers
 * the resource when it reaches anything under arn, and a Deny only when it
 * covers all of it (its pattern is arn followed by '*'). On 1, *why (may be
 * NULL) is set to the deciding Allow statement (an unconditional one when
 * there is one) and *conditional to 1 when it has a Condition.
 */
int policy_docs_allow(const cJSON *const *docs, size_t n, const char *action, const char *arn,
                      unsigned flags, const cJSON **why, int *conditional);

#endif
