/*
 * STS over the query protocol (Action=...&Version=2011-06-15, form-encoded
 * POST), answers read with util/xml.h: GetCallerIdentity for the account
 * being scanned, AssumeRole for role_arn profiles and --org-role.
 */
#ifndef SHEARS_AWS_STS_H
#define SHEARS_AWS_STS_H

#include "aws/creds.h"
#include "aws/transport.h"
#include "util/err.h"

struct aws_caller_identity {
	char account[16];
	char arn[2048];
	char user_id[256];
};

struct aws_assume_role_req {
	const char *role_arn;
	const char *session_name; /* NULL: "shears-<unix time>" */
	const char *external_id;  /* NULL: not sent */
	int duration_s;           /* 0: STS's default (one hour) */
};

/* Returns 0 and fills out, or the transport's error (ERR_PARSE for an odd answer). */
int aws_sts_get_caller_identity(struct aws_client *c, struct aws_caller_identity *out,
                                struct err *err);

/*
 * Calls AssumeRole with the client's credentials. Fills out (source
 * "assume-role", expiration from the answer) and registers the new secret
 * and token with log_add_secret(). The answer body is wiped before it is
 * freed. Errors never hold a secret.
 */
int aws_sts_assume_role(struct aws_client *c, const struct aws_assume_role_req *req,
                        struct aws_creds *out, struct err *err);

#endif
