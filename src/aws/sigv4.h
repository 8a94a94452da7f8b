/*
 * AWS Signature Version 4.
 *
 * The signer takes a request as it will go on the wire and produces the
 * headers to add (X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256,
 * Authorization), or for a presigned URL the query parameters. It follows
 * botocore's SigV4Auth and S3SigV4Auth and the AWS test suite:
 *
 *  - path: when AWS_SIGV4_NORMALIZE_PATH, "." and ".." segments and repeated
 *    slashes are removed first; the path is then URI-encoded (RFC 3986
 *    unreserved characters and '/' kept). Without AWS_SIGV4_NO_DOUBLE_ENCODE
 *    an already percent-encoded path is encoded once more (every service but
 *    S3); with it (S3) the path is used as sent.
 *  - query: parameters split on '&' and '=', decoded, re-encoded, sorted by
 *    encoded key then value; a key without '=' has an empty value.
 *  - headers: names lower-cased, values trimmed and inner runs of spaces
 *    folded, repeated names joined with ','; sorted by name.
 *  - payload: SHA-256 hex of the body, or payload_hash when given (e.g.
 *    "UNSIGNED-PAYLOAD").
 */
#ifndef SHEARS_AWS_SIGV4_H
#define SHEARS_AWS_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "aws/creds.h"
#include "util/buf.h"
#include "util/err.h"

enum aws_sigv4_flags {
	AWS_SIGV4_NORMALIZE_PATH = 1 << 0,   /* remove dot segments and double slashes */
	AWS_SIGV4_NO_DOUBLE_ENCODE = 1 << 1, /* S3: encode the path once only */
	AWS_SIGV4_CONTENT_SHA256 = 1 << 2,   /* add and sign x-amz-content-sha256 */
	AWS_SIGV4_OMIT_TOKEN = 1 << 3,       /* add the session token after signing */
	AWS_SIGV4_PRESIGN = 1 << 4,          /* sign into the query string */
};

struct aws_header {
	const char *name;
	const char *value;
};

struct aws_sigv4_request {
	const char *method;
	const char *path;  /* as on the wire, starting with '/' */
	const char *query; /* after '?', as on the wire; NULL or "" for none */
	const struct aws_header *headers; /* must include Host */
	size_t n_headers;
	const void *body;
	size_t body_len;
	const char *payload_hash; /* NULL: SHA-256 of body; else used verbatim */
};

struct aws_sigv4_params {
	const struct aws_creds *creds;
	const char *region;
	const char *service; /* signing name: "lambda", "s3", "monitoring", ... */
	time_t now;
	unsigned flags;    /* enum aws_sigv4_flags */
	long expires_s;    /* AWS_SIGV4_PRESIGN only */
};

#define AWS_SIGV4_MAX_ADD 4

struct aws_sigv4_result {
	char amz_date[17];       /* 20150830T123600Z */
	char payload_hash[65];   /* what was signed as the payload */
	char signature[65];      /* hex */
	char signed_headers[1024];
	char *canonical_request; /* owned; freed by aws_sigv4_result_release() */
	char *string_to_sign;    /* owned */
	/* Header signing: headers to add to the request (values owned). */
	struct {
		char name[32];
		char *value;
	} add[AWS_SIGV4_MAX_ADD];
	size_t n_add;
	char *query; /* AWS_SIGV4_PRESIGN: the full query string to send; owned */
};

/* Returns 0 or ERR_PARSE/ERR_LIMIT (bad path, header too long). */
int aws_sigv4_sign(const struct aws_sigv4_request *req, const struct aws_sigv4_params *params,
	struct aws_sigv4_result *out, struct err *err);

void aws_sigv4_result_release(struct aws_sigv4_result *r);

/* Appends s in RFC 3986 encoding as SigV4 wants it; keep_slash leaves '/'. */
int aws_uri_encode(struct buf *out, const char *s, size_t n, int keep_slash);

/* SHA-256 of data as 64 hex characters plus NUL. */
void aws_sha256_hex(const void *data, size_t n, char out[65]);

#endif
