/*
 * IAM, a global collector (region NULL).
 *
 * LIST: GetAccountAuthorizationDetails pages (Filter Role, LocalManagedPolicy,
 * AWSManagedPolicy; MaxItems 1000; Marker while IsTruncated). The fake
 * lists only the AWS managed policies in use (AWS's documentation does not
 * say either way); whatever comes, a role keeps only the documents of the
 * policies it attaches. Each RoleDetail becomes a role resource whose attrs are the
 * RoleDetail with every document decoded into a JSON object, plus
 * "ManagedPolicyDocuments" (policy ARN -> default version document).
 * Customer managed policies become policy resources (ManagedPolicyDetail,
 * documents decoded). Roles no function uses are kept: the risk engine
 * flags the orphans.
 *
 * DETAIL: for each distinct role named by a collected function's "Role",
 * GenerateServiceLastAccessedDetails (ACTION_LEVEL), then
 * GetServiceLastAccessedDetails, polled again from its own callback while
 * IN_PROGRESS (at most COLLECT_IAM_POLLS times) and paged by Marker, into
 * attrs "LastAccessed": { "JobStatus", "JobCompletionDate", "FetchedAt",
 * "ServicesLastAccessed": [ServiceLastAccessed, with
 * TrackedActionsLastAccessed where AWS tracks actions] }.
 * A previous scan's LastAccessed younger than COLLECT_IAM_REUSE_S (and any
 * under --quick) is copied instead of asked again: the access advisor lags
 * by hours anyway, and a rescan must not cost three calls per role.
 */
#ifndef SHEARS_COLLECT_IAM_H
#define SHEARS_COLLECT_IAM_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "collect/collect.h"
#include "util/err.h"

#define COLLECT_IAM_POLLS   10
#define COLLECT_IAM_REUSE_S (12 * 3600)

void collect_iam_phase(struct collect_scan *scan, enum collect_phase phase, const char *region);

/* One GetAccountAuthorizationDetails answer, parsed. */
struct collect_iam_page {
	cJSON *roles;    /* array of RoleDetail objects, documents decoded (owned) */
	cJSON *policies; /* array of ManagedPolicyDetail objects, documents decoded (owned) */
	int truncated;
	char *marker; /* owned; NULL when not truncated */
};

/*
 * Parses an answer body (query protocol XML). Documents that do not decode
 * are kept as their original strings. Returns 0, or ERR_PARSE / ERR_LIMIT
 * with page released.
 */
int collect_iam_page_parse(const char *xml, size_t len, struct collect_iam_page *page,
                           struct err *err);
void collect_iam_page_release(struct collect_iam_page *page);

/*
 * Converts a query-protocol element to cJSON the way botocore shapes it:
 * "member" lists to arrays, known numbers and booleans typed, known empty
 * lists to [], IAM documents decoded. Caller owns the result.
 */
struct xml_node;
cJSON *collect_iam_xml_to_json(const struct xml_node *n);

/* The default version's document of a ManagedPolicyDetail, or NULL (borrowed). */
const cJSON *collect_iam_default_document(const cJSON *policy);

#endif
