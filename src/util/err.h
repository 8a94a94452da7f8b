/*
 * Errors are values: a function that can fail returns 0 or an enum err_code
 * and fills an optional struct err. Nothing here prints; the caller decides
 * how to tell the user (STYLE.md section 4).
 */
#ifndef SHEARS_UTIL_ERR_H
#define SHEARS_UTIL_ERR_H

#include <stddef.h>

enum err_code {
	ERR_OK = 0,
	ERR_USAGE,     /* bad flag or argument */
	ERR_PARSE,     /* malformed input: file, answer, argument */
	ERR_LIMIT,     /* input over a size or count limit */
	ERR_IO,        /* a local file or process failed */
	ERR_NET,       /* no answer: refused, reset, DNS, timeout */
	ERR_TLS,       /* certificate refused */
	ERR_TIMEOUT,   /* a deadline passed */
	ERR_THROTTLED, /* AWS kept throttling after every retry */
	ERR_AWS,       /* AWS answered with an error */
	ERR_CREDS,     /* no usable credentials */
	ERR_CONFIG,    /* a config file is wrong */
	ERR_NOTFOUND,
	ERR_CANCELLED,
	ERR_STALE, /* made by an older version: needs an upgrade first */
};

/* Fixed size: reporting an error must not fail. */
struct err {
	enum err_code code;
	int http_status; /* 0 when no answer came back */
	char service[24], operation[48], aws_code[64];
	char resource[512]; /* ARN or name */
	char msg[512];      /* lower case, no full stop, secrets redacted */
};

/* Sets code and message (printf-style) and returns code; err may be NULL. */
int err_set(struct err *err, enum err_code code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Names the call an error belongs to; any argument may be NULL. */
void err_context(struct err *err, const char *service, const char *operation, const char *resource);

void err_clear(struct err *err);

/* A short name for a code: "parse", "throttled", ... */
const char *err_code_name(enum err_code code);

/*
 * Writes "service Operation: AwsCode: message (resource)" into out, leaving out
 * the parts that are empty. Returns out.
 */
char *err_format(const struct err *err, char *out, size_t n);

#endif
