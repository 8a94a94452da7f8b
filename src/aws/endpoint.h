/*
 * Where a request goes. The SDK convention, first match wins:
 *   1. --endpoint-url (explicit override passed by the caller)
 *   2. AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_LAMBDA)
 *   3. AWS_ENDPOINT_URL
 *   4. the public endpoint: https://<prefix>.<region>.amazonaws.com
 *      (.amazonaws.com.cn in China regions), or the global host for IAM
 *      and STS, which sign for us-east-1 (cn-north-1 in China).
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips 2 and 3, as in the SDKs.
 */
#ifndef SHEARS_AWS_ENDPOINT_H
#define SHEARS_AWS_ENDPOINT_H

#include <stddef.h>

#include "aws/service.h"
#include "util/err.h"

struct aws_endpoint {
	char url[512];  /* scheme://host[:port][/base], no trailing '/' */
	char host[256]; /* Host header value (with :port when not default) */
	char signing_region[32];
};

/* Returns 0, or ERR_USAGE for an override that is not an http(s) URL. */
int aws_endpoint_resolve(const struct aws_service *svc, const char *region, const char *override,
                         struct aws_endpoint *out, struct err *err);

/* 1 when region looks like a region name (letters, digits, '-'), else 0. */
int aws_region_valid(const char *region);

#endif
