/*
 * AWS Signature Version 4.
 *
 * The signer takes a request as it will go on the wire and produces the
 * headers to add (X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-SHA256,
 * Authorization), or for a presigned URL the query string to send. It follows
 * botocore 1.29 (SigV4Auth, S3SigV4Auth, SigV4QueryAuth, S3SigV4QueryAuth) and
 * the AWS test suite (tests/unit/test_sigv4.c, tests/integration/
 * test_sigv4_botocore.c check both):
 *
 *  - path: what the caller passes is the path as on the wire, already
 *    percent-encoded by the caller (botocore's urlsplit(url).path); "" is
 *    "/". With AWS_SIGV4_NORMALIZE_PATH, "." and ".." segments and empty
 *    segments are removed first (a trailing '/' stays when a segment
 *    remains). The path is then URI-encoded (RFC 3986 unreserved characters
 *    and '/' kept), so an already encoded path is encoded a second time
 *    ("%20" signs as "%2520"), as botocore does for every service but S3.
 *    With AWS_SIGV4_NO_DOUBLE_ENCODE (S3) the path is used exactly as sent.
 *  - query: as on the wire, after '?'. Each '&'-separated piece is split at
 *    its first '=', percent-decoded, re-encoded (unreserved kept, everything
 *    else %XX upper case), and the pairs sorted by key then value; a key
 *    without '=' has an empty value. An empty piece ("a&&b") is a parameter
 *    "=" when signing headers and is skipped when presigning (botocore).
 *    Callers build queries with aws_uri_encode(..., 0): botocore's
 *    percent_encode, which is what AWS expects.
 *  - headers: names lower-cased, values trimmed with inner whitespace runs
 *    folded to one space (Python's str.split(): ASCII and Unicode spaces),
 *    repeated names joined with ',' in the order given, sorted by name.
 *    Never signed (botocore): User-Agent, Expect, X-Amzn-Trace-Id. Replaced
 *    by the signer's own, so a retried request signs alike: Authorization,
 *    X-Amz-Date, X-Amz-Security-Token, and X-Amz-Content-SHA256 under
 *    AWS_SIGV4_CONTENT_SHA256. Do not pass a Date header (botocore rewrites
 *    it; here it would be signed as given). Host must be among the headers.
 *  - payload: payload_hash when given (e.g. "UNSIGNED-PAYLOAD"), else the
 *    value of a caller's X-Amz-Content-SHA256 header, else SHA-256 of body.
 *
 * Flags for each botocore signer: SigV4Auth = NORMALIZE_PATH (plus
 * CONTENT_SHA256 and payload_hash "UNSIGNED-PAYLOAD" when payload signing is
 * off); S3SigV4Auth = NO_DOUBLE_ENCODE | CONTENT_SHA256; SigV4QueryAuth =
 * NORMALIZE_PATH | PRESIGN; S3SigV4QueryAuth = NO_DOUBLE_ENCODE | PRESIGN with
 * payload_hash "UNSIGNED-PAYLOAD".
 *
 * Secrets: the secret key and every derived key live on the stack and are
 * wiped (explicit_bzero) before aws_sigv4_sign() returns; no error message
 * holds a secret. The session token is not secret to AWS but is a bearer
 * credential: the result holds it (X-Amz-Security-Token, presigned query).
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
	AWS_SIGV4_CONTENT_SHA256 = 1 << 2,   /* add and sign x-amz-content-sha256 (not presigned) */
	AWS_SIGV4_OMIT_TOKEN = 1 << 3,       /* add the session token after signing, unsigned */
	AWS_SIGV4_PRESIGN = 1 << 4,          /* sign into the query string (presigned URL) */
};

struct aws_header {
	const char *name;
	const char *value;
};

struct aws_sigv4_request {
	const char *method;               /* upper-cased when signed */
	const char *path;                 /* as on the wire (percent-encoded), starting with '/' */
	const char *query;                /* after '?', as on the wire; NULL or "" for none */
	const struct aws_header *headers; /* must include Host; names any case */
	size_t n_headers;
	const void *body;
	size_t body_len;
	const char *payload_hash; /* used verbatim; NULL: see "payload" above */
};

struct aws_sigv4_params {
	const struct aws_creds *creds;
	const char *region;
	const char *service; /* signing name: "lambda", "s3", "monitoring", ... */
	time_t now;
	unsigned flags; /* enum aws_sigv4_flags */
	long expires_s; /* AWS_SIGV4_PRESIGN only; 0 means 3600 */
};

#define AWS_SIGV4_MAX_ADD 4

struct aws_sigv4_result {
	char amz_date[17];     /* 20150830T123600Z */
	char payload_hash[65]; /* what was signed as the payload */
	char signature[65];    /* hex */
	char signed_headers[1024];
	char *canonical_request; /* owned; freed by aws_sigv4_result_release() */
	char *string_to_sign;    /* owned */
	/*
	 * Header signing: headers to add to the request (values owned), in this
	 * order: X-Amz-Date, X-Amz-Security-Token (when there is a token, also
	 * with AWS_SIGV4_OMIT_TOKEN), X-Amz-Content-SHA256 (with
	 * AWS_SIGV4_CONTENT_SHA256), Authorization. None when presigning.
	 */
	struct {
		char name[32];
		char *value;
	} add[AWS_SIGV4_MAX_ADD];
	size_t n_add;
	/*
	 * AWS_SIGV4_PRESIGN: the full query string to send, owned: the canonical
	 * query (the caller's parameters and the X-Amz-* ones, encoded and
	 * sorted), then an omitted token, then X-Amz-Signature. NULL otherwise.
	 */
	char *query;
};

/*
 * Signs req. Returns 0 and fills out (release it with
 * aws_sigv4_result_release()), or ERR_PARSE (no method, region or service;
 * time out of range) or ERR_LIMIT (signed header names over 1023 bytes,
 * region or service too long, canonical request over 16 MiB) with out empty.
 */
int aws_sigv4_sign(const struct aws_sigv4_request *req, const struct aws_sigv4_params *params,
                   struct aws_sigv4_result *out, struct err *err);

/* Frees what r owns and zeroes it; safe twice, and after a failed aws_sigv4_sign(). */
void aws_sigv4_result_release(struct aws_sigv4_result *r);

/*
 * Appends s[0..n) in RFC 3986 encoding as SigV4 wants it: A-Z a-z 0-9 - _ . ~
 * kept, every other byte %XX (upper case); keep_slash leaves '/'. Returns 0
 * or ERR_LIMIT (out released).
 */
int aws_uri_encode(struct buf *out, const char *s, size_t n, int keep_slash);

/* SHA-256 of data as 64 hex characters plus NUL. */
void aws_sha256_hex(const void *data, size_t n, char out[65]);

#endif
