/*
 * Pieces the credential sources share: filling a struct aws_creds, reading
 * the common JSON answer, expiration times, and the environment source.
 */
#include "aws/creds_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/json.h"
#include "util/log.h"

static int
copy_field(char *dst, size_t n, const char *src, const char *what, const char *source,
           struct err *err)
{
	size_t len = src ? strlen(src) : 0;

	if (len >= n)
		return err_set(err, ERR_LIMIT, "%s from %s is over %zu bytes", what, source, n - 1);
	memcpy(dst, src ? src : "", len + 1);
	return 0;
}

int
creds_fill(struct aws_creds *out, const char *akid, const char *secret, const char *token,
           time_t expiration, const char *source, struct err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = copy_field(out->access_key_id, sizeof(out->access_key_id), akid, "access key id",
	                source, err);
	if (!rc)
		rc = copy_field(out->secret_access_key, sizeof(out->secret_access_key), secret,
		                "secret access key", source, err);
	if (!rc)
		rc = copy_field(out->session_token, sizeof(out->session_token), token,
		                "session token", source, err);
	if (rc) {
		aws_creds_wipe(out);
		return rc;
	}
	log_add_secret(out->secret_access_key);
	log_add_secret(out->session_token);
	out->expiration = expiration;
	snprintf(out->source, sizeof(out->source), "%s", source);
	return 0;
}

static int
parse_digits(const char **s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

/* "Z", "+HH:MM", "+HHMM", "-HH:MM" or nothing (UTC) into seconds east. */
static int
parse_offset(const char *s, long *off)
{
	int sign, hh, mm = 0;

	*off = 0;
	if (!*s || ((*s == 'Z' || *s == 'z') && !s[1]))
		return 0;
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (parse_digits(&s, 2, &hh))
		return -1;
	if (*s == ':')
		s++;
	if (*s && parse_digits(&s, 2, &mm))
		return -1;
	if (*s || hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600L + mm * 60L);
	return 0;
}

int
aws_creds_parse_time(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, sec;
	long off;

	if (!s || parse_digits(&s, 4, &y) || *s++ != '-' || parse_digits(&s, 2, &mo) ||
	    *s++ != '-' || parse_digits(&s, 2, &d) || (*s != 'T' && *s != 't' && *s != ' '))
		return ERR_PARSE;
	s++;
	if (parse_digits(&s, 2, &h) || *s++ != ':' || parse_digits(&s, 2, &mi) || *s++ != ':' ||
	    parse_digits(&s, 2, &sec))
		return ERR_PARSE;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			;
	if (parse_offset(s, &off) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return ERR_PARSE;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm) - off;
	return 0;
}

int
creds_from_json(const cJSON *o, const char *token_key, const char *what, const char *source,
                struct aws_creds *out, struct err *err)
{
	const char *akid = json_str(o, "AccessKeyId");
	const char *secret = json_str(o, "SecretAccessKey");
	const char *token = token_key ? json_str(o, token_key) : NULL;
	const char *exp = json_str(o, "Expiration");
	time_t expiration = 0;

	if (!akid || !akid[0] || !secret || !secret[0])
		return err_set(err, ERR_CREDS, "%s: answer without AccessKeyId and SecretAccessKey",
		               what);
	if (exp && aws_creds_parse_time(exp, &expiration))
		return err_set(err, ERR_CREDS, "%s: Expiration is not an ISO 8601 time", what);
	return creds_fill(out, akid, secret, token, expiration, source, err);
}

static void
json_wipe(cJSON *o)
{
	for (; o; o = o->next) {
		if (o->valuestring)
			explicit_bzero(o->valuestring, strlen(o->valuestring));
		json_wipe(o->child);
	}
}

void
creds_json_free(cJSON *o)
{
	json_wipe(o);
	cJSON_Delete(o);
}

int
creds_from_env(struct creds_run *r, struct aws_creds *out, struct err *err)
{
	const char *akid = getenv("AWS_ACCESS_KEY_ID");
	const char *secret = getenv("AWS_SECRET_ACCESS_KEY");
	const char *token = getenv("AWS_SECURITY_TOKEN");
	const char *exp = getenv("AWS_CREDENTIAL_EXPIRATION");
	time_t expiration = 0;

	if (!akid || !akid[0]) {
		creds_tried(r, "environment", "AWS_ACCESS_KEY_ID not set");
		return ERR_NOTFOUND;
	}
	if (!secret || !secret[0])
		return err_set(err, ERR_CREDS,
		               "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
	/* botocore looks at AWS_SECURITY_TOKEN first, then AWS_SESSION_TOKEN */
	if (!token || !token[0])
		token = getenv("AWS_SESSION_TOKEN");
	if (exp && exp[0] && aws_creds_parse_time(exp, &expiration))
		return err_set(err, ERR_CREDS, "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time");
	return creds_fill(out, akid, secret, token, expiration, "environment", err);
}
