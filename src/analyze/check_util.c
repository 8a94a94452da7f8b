#include "analyze/check_util.h"

#include "util/isotime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

time_t
analyze_now(const struct amodel *m, const struct analyze_opts *o)
{
	if (o && o->now > 0)
		return o->now;
	if (m && m->scanned > 0)
		return m->scanned;
	return time(NULL);
}

int64_t
analyze_day(time_t t)
{
	int64_t s = (int64_t)t;

	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

int
analyze_parse_time(const char *s, time_t *out)
{
	return iso_time_parse(s, out);
}

void
analyze_format_date(time_t t, char *out, size_t n)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, n, "%Y-%m-%d", &tm))
		snprintf(out, n, "?");
}

void
analyze_arn_field(const char *arn, int i, char *out, size_t n)
{
	const char *p = arn ? arn : "", *end;
	int at;

	if (n)
		out[0] = '\0';
	if (strncmp(p, "arn:", 4))
		return;
	for (at = 0; at < i && p; at++) {
		p = strchr(p, ':');
		p = p ? p + 1 : NULL;
	}
	if (!p || !n)
		return;
	end = i >= 5 ? p + strlen(p) : strchr(p, ':');
	if (!end)
		end = p + strlen(p);
	snprintf(out, n, "%.*s", (int)(end - p), p);
}

void
analyze_function_arn(const char *text, char *out, size_t n)
{
	const char *p = text ? strstr(text, ":lambda:") : NULL, *start, *end;
	int colons = 0;

	if (n)
		out[0] = '\0';
	/* the function ARN may sit inside an API Gateway invocation URI */
	while (p && strncmp(p + 8, "path/", 5) == 0)
		p = strstr(p + 8, ":lambda:");
	if (!p || !n)
		return;
	for (start = p; start > text && strncmp(start, "arn:", 4); start--)
		;
	if (strncmp(start, "arn:", 4))
		return;
	/* arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] */
	for (end = start; *end && *end != '/'; end++)
		if (*end == ':' && ++colons == 7)
			break;
	if (colons < 6 || !strstr(start, ":function:"))
		return;
	snprintf(out, n, "%.*s", (int)(end - start), start);
}

const char *
analyze_short_name(const char *arn)
{
	const char *slash = arn ? strrchr(arn, '/') : NULL, *colon;

	if (slash)
		return slash + 1;
	colon = arn ? strrchr(arn, ':') : NULL;
	return colon ? colon + 1 : (arn ? arn : "");
}
