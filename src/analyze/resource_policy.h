/*
 * Resource-based policies (Lambda, S3, SQS, SNS): who a statement lets in
 * and whether a condition narrows it. util/policy.h answers "does this
 * statement cover the action"; this file answers "for whom".
 *
 * What counts as limiting (an Allow is then not open to the world):
 *  - a condition on a key that pins the caller or the calling resource:
 *    aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:PrincipalOrgID,
 *    aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn,
 *    aws:SourceVpce, aws:SourceVpc, aws:SourceIp (not 0.0.0.0/0 or ::/0),
 *    aws:PrincipalServiceName, and lambda:FunctionUrlAuthType = AWS_IAM;
 *    keys are matched case-blind (AWS writes "AWS:SourceArn" too);
 *  - with a positive operator (StringEquals, StringLike, ArnLike, ...,
 *    IpAddress, ForAnyValue:...): a negated operator (StringNotEquals ...),
 *    an ...IfExists operator (a direct caller has no such key, so it
 *    passes) and ForAllValues: (true on a missing key) do not limit;
 *  - and a value that is not a bare wildcard ("*" limits nothing);
 *  - or a Deny for everyone covering the action with a negated operator on
 *    such a key ("deny unless aws:PrincipalOrgID = o-..."), or with no
 *    condition at all (the grant is then cancelled).
 * Limits: other conditions are not evaluated; NotPrincipal in an Allow is
 * read as everyone; a Deny naming specific principals is not applied.
 */
#ifndef SHEARS_ANALYZE_RESOURCE_POLICY_H
#define SHEARS_ANALYZE_RESOURCE_POLICY_H

#include <cjson/cJSON.h>
#include <stddef.h>

enum rpol_who {
	RPOL_SAME_ACCOUNT = 0, /* the resource's own account */
	RPOL_OTHER_ACCOUNT,    /* a named other account, role, user or canonical user */
	RPOL_SERVICE,          /* an AWS service principal ("s3.amazonaws.com") */
	RPOL_ANYONE,           /* "*", {"AWS":"*"}, or an Allow with NotPrincipal */
};

struct rpol_grant {
	enum rpol_who who;
	int index;           /* the statement's number, from 1 */
	char sid[64];        /* its Sid, "" when none */
	char principal[200]; /* as written: "*", "s3.amazonaws.com", "arn:aws:iam::1:root" */
	char account[16];    /* the named account (RPOL_*_ACCOUNT), else "" */
	char action[96];     /* the first of the asked actions it covers */
	int limited;         /* 1 when a condition (or a Deny) narrows it */
	char limit[240];     /* which one: "aws:SourceArn (ArnLike arn:aws:s3:::b)" */
	int cancelled;       /* 1 when an unconditional Deny for everyone covers it */
};

/*
 * Decodes a resource policy as attrs hold it: an object, or JSON text
 * (SQS and SNS keep it as a string attribute). Returns a new tree (caller
 * frees) or NULL when absent or not a policy.
 */
cJSON *rpol_parse(const cJSON *policy);

/*
 * Calls fn for each principal of each Allow statement that covers one of
 * actions (a NULL-terminated list, matched with IAM wildcards), classified
 * against account (the resource owner's 12 digits; "" when unknown, then
 * named accounts are "other"). Deny statements are applied as the header
 * says. Stops when fn returns non-zero and returns that, else 0.
 */
int rpol_each_grant(const cJSON *doc, const char *const *actions, const char *account,
                    int (*fn)(const struct rpol_grant *g, void *ctx), void *ctx);

/*
 * The widest grant of actions: an open one to anyone first, then an open
 * service grant, then other accounts, then limited ones. Returns 1 and
 * fills *out, or 0 when no statement grants any of the actions.
 */
int rpol_widest(const cJSON *doc, const char *const *actions, const char *account,
                struct rpol_grant *out);

/* 1 when g lets anyone in: RPOL_ANYONE, not limited, not cancelled. */
int rpol_is_open(const struct rpol_grant *g);

/* "statement 2 (Sid x)" or "statement 2" into out. */
void rpol_describe(const struct rpol_grant *g, char *out, size_t n);

#endif
