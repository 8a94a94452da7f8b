/*
 * AWS credentials and the SDK's provider chain.
 *
 * Order (as the AWS SDKs and CLI): an explicit profile (--profile, else
 * AWS_PROFILE) goes straight to the shared files; otherwise environment keys
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), then the
 * shared credentials and config files for profile "default" (role_arn with
 * source_profile or credential_source, credential_process, static keys),
 * then container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI /
 * _FULL_URI), then IMDSv2. Credentials that expire are refreshed when less
 * than AWS_CREDS_REFRESH_S seconds remain.
 *
 * Secrets: a struct aws_creds is wiped by aws_creds_wipe(); no function here
 * puts a secret into an error message or the log, and each secret obtained is
 * registered with log_add_secret() so the log scrubs it should it ever slip.
 */
#ifndef SHEARS_AWS_CREDS_H
#define SHEARS_AWS_CREDS_H

#include <time.h>

#include "util/err.h"

#define AWS_CREDS_REFRESH_S (5 * 60)

struct aws_creds {
	char access_key_id[128];
	char secret_access_key[128];
	char session_token[4096]; /* "" when there is none */
	time_t expiration;        /* 0: does not expire */
	char source[48];          /* "environment", "profile demo", "assume-role", ... */
};

void aws_creds_wipe(struct aws_creds *c);

/* A credentials source as the transport sees it: fill out, or fail with err. */
typedef int aws_creds_fn(void *ctx, struct aws_creds *out, struct err *err);

struct aws_creds_opts {
	const char *profile;      /* --profile; NULL: AWS_PROFILE, else the default chain */
	const char *endpoint_url; /* --endpoint-url, used for STS AssumeRole; may be NULL */
	const char *region;       /* region for STS when a profile does not name one; may be NULL */
	long imds_timeout_ms;     /* per IMDS request; 0: 1000 */
	int imds_attempts;        /* 0: 1 */
};

struct aws_creds_chain;

/* Never fails: sources are looked at on the first aws_creds_chain_get(). */
struct aws_creds_chain *aws_creds_chain_new(const struct aws_creds_opts *opts);
void aws_creds_chain_free(struct aws_creds_chain *chain);

/*
 * Copies current credentials into out, resolving or refreshing them first
 * when needed. On failure err says which sources were tried and why each one
 * gave nothing (ERR_CREDS), or names the broken file and line (ERR_CONFIG).
 * Matches aws_creds_fn, so a chain is a transport's credentials source.
 */
int aws_creds_chain_get(void *chain, struct aws_creds *out, struct err *err);

/* A fixed set of credentials as an aws_creds_fn; ctx is a struct aws_creds *. */
int aws_creds_static_get(void *ctx, struct aws_creds *out, struct err *err);

/*
 * The region for a profile: AWS_REGION, AWS_DEFAULT_REGION, then the config
 * file's "region" for profile (NULL: AWS_PROFILE or "default"). Returns 0 and
 * fills out, ERR_NOTFOUND when none is set, ERR_CONFIG for a broken file.
 */
int aws_profile_region(const char *profile, char *out, size_t n, struct err *err);

#endif
