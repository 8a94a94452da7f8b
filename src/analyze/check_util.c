#include "analyze/check_util.h"

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

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int mo, int d)
{
	int64_t era, yoe, doy, doe;

	y -= mo <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "+0000", "+00:00", "Z" or nothing: the offset east of UTC in seconds. */
static int
parse_offset(const char *p, long *off)
{
	int hh, mm;

	*off = 0;
	if (!*p || !strcmp(p, "Z"))
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	if (digits(p + 1, 2, &hh))
		return -1;
	if (digits(p + (p[3] == ':' ? 4 : 3), 2, &mm))
		return -1;
	*off = (long)(hh * 3600 + mm * 60) * (*p == '-' ? -1 : 1);
	return 0;
}

int
analyze_parse_time(const char *s, time_t *out)
{
	int y, mo, d, hh = 0, mi = 0, ss = 0;
	long off = 0;
	const char *p;

	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) { /* epoch seconds */
		*out = (time_t)strtoll(s, NULL, 10);
		return 0;
	}
	if (strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	p = s + 10;
	if (*p == 'T' || *p == ' ') {
		if (digits(p + 1, 2, &hh) || p[3] != ':' || digits(p + 4, 2, &mi) || p[6] != ':' ||
		    digits(p + 7, 2, &ss))
			return -1;
		p += 9;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (parse_offset(p, &off))
			return -1;
	} else if (*p) {
		return -1;
	}
	*out = (time_t)(days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - off);
	return 0;
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
