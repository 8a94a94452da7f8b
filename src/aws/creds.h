/*
 * AWS credentials and the SDK's provider chain.
 *
 * Order (botocore 1.29's create_credential_resolver): environment keys
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN or
 * AWS_SECURITY_TOKEN, AWS_CREDENTIAL_EXPIRATION), skipped when a profile is
 * given in opts.profile (--profile); then the profile (opts.profile, else
 * AWS_PROFILE, else "default") in the shared files (AWS_SHARED_CREDENTIALS_FILE
 * or ~/.aws/credentials, AWS_CONFIG_FILE or ~/.aws/config): role_arn with
 * source_profile or credential_source (Environment, EcsContainer,
 * Ec2InstanceMetadata) via STS AssumeRole, then static keys of the
 * credentials file, then credential_process, then static keys of the config
 * file; then container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
 * against 169.254.170.2, or AWS_CONTAINER_CREDENTIALS_FULL_URI: https, or
 * http to a loopback host or the ECS/EKS agent address; with
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or _TOKEN), then IMDSv2
 * (AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_EC2_METADATA_DISABLED=true,
 * AWS_METADATA_SERVICE_TIMEOUT seconds, AWS_METADATA_SERVICE_NUM_ATTEMPTS).
 * As in botocore, AWS_PROFILE alone does not hide the environment keys, and
 * a named profile that is in neither file is an error (ERR_CONFIG).
 * Credentials that expire are refreshed when less than AWS_CREDS_REFRESH_S
 * seconds remain.
 *
 * Tests only: SHEARS_TEST_CONTAINER_HOST ("127.0.0.1:PORT") replaces
 * 169.254.170.2 for AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, so a loopback
 * stand-in can serve it. Nothing else reads it.
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
 * Parses an ISO 8601 time as AWS writes expirations ("2024-05-01T12:00:00Z",
 * fractions and +HH:MM offsets accepted). Returns 0, or ERR_PARSE.
 */
int aws_creds_parse_time(const char *s, time_t *out);

/*
 * The region for a profile: AWS_REGION, AWS_DEFAULT_REGION, then the config
 * file's "region" for profile (NULL: AWS_PROFILE or "default"). Returns 0 and
 * fills out, ERR_NOTFOUND when none is set, ERR_CONFIG for a broken file.
 */
int aws_profile_region(const char *profile, char *out, size_t n, struct err *err);

#endif
