#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void
copy_field(char *dst, size_t n, const char *src)
{
	if (!src)
		return;
	snprintf(dst, n, "%s", src);
}

int
err_set(struct err *err, enum err_code code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void
err_context(struct err *err, const char *service, const char *operation, const char *resource)
{
	if (!err)
		return;
	copy_field(err->service, sizeof(err->service), service);
	copy_field(err->operation, sizeof(err->operation), operation);
	copy_field(err->resource, sizeof(err->resource), resource);
}

void
err_clear(struct err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

const char *
err_code_name(enum err_code code)
{
	static const char *const names[] = {
		[ERR_OK] = "ok",
		[ERR_USAGE] = "usage",
		[ERR_PARSE] = "parse",
		[ERR_LIMIT] = "limit",
		[ERR_IO] = "io",
		[ERR_NET] = "network",
		[ERR_TLS] = "tls",
		[ERR_TIMEOUT] = "timeout",
		[ERR_THROTTLED] = "throttled",
		[ERR_AWS] = "aws",
		[ERR_CREDS] = "credentials",
		[ERR_CONFIG] = "config",
		[ERR_NOTFOUND] = "not found",
		[ERR_CANCELLED] = "cancelled",
		[ERR_STALE] = "needs an upgrade",
	};

	if ((size_t)code >= sizeof(names) / sizeof(names[0]) || !names[code])
		return "unknown";
	return names[code];
}

static size_t
append(char *out, size_t n, size_t at, const char *s)
{
	int w;

	if (at >= n)
		return at;
	w = snprintf(out + at, n - at, "%s", s);
	if (w < 0)
		return at;
	return at + (size_t)w;
}

char *
err_format(const struct err *err, char *out, size_t n)
{
	size_t at = 0;

	if (!n)
		return out;
	out[0] = '\0';
	if (err->service[0]) {
		at = append(out, n, at, err->service);
		if (err->operation[0]) {
			at = append(out, n, at, " ");
			at = append(out, n, at, err->operation);
		}
		at = append(out, n, at, ": ");
	}
	if (err->aws_code[0]) {
		at = append(out, n, at, err->aws_code);
		at = append(out, n, at, ": ");
	}
	at = append(out, n, at, err->msg[0] ? err->msg : err_code_name(err->code));
	if (err->resource[0]) {
		at = append(out, n, at, " (");
		at = append(out, n, at, err->resource);
		append(out, n, at, ")");
	}
	return out;
}
