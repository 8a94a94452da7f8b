/*
 * Endpoint resolution (the SDKs' order, see endpoint.h). An override is
 * checked strictly because it ends up in a Host header and in error
 * messages: http or https only, no user:password@ (a secret in a URL would
 * leak into every error), no query or fragment, no control characters.
 * NEEDSWORK: GovCloud and ISO partitions resolve like the aws partition.
 */
#include "aws/endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

int
aws_region_valid(const char *region)
{
	size_t i;

	if (!region || !region[0] || strlen(region) >= 32)
		return 0;
	for (i = 0; region[i]; i++) {
		unsigned char c = (unsigned char)region[i];

		if (!isascii(c) || !(isalnum(c) || c == '-'))
			return 0;
	}
	return region[0] != '-';
}

/* The configured URL for svc from the environment, or NULL. */
static const char *
endpoint_from_env(const struct aws_service *svc)
{
	const char *ignore = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	const char *v;
	char name[96];

	if (ignore && !strcmp(ignore, "true"))
		return NULL;
	snprintf(name, sizeof(name), "AWS_ENDPOINT_URL_%s", svc->env_name);
	v = getenv(name);
	if (v && v[0])
		return v;
	v = getenv("AWS_ENDPOINT_URL");
	return v && v[0] ? v : NULL;
}

static int
url_chars_ok(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c >= 0x7f || c == '?' || c == '#' || c == '@' || c == '\\')
			return 0;
	}
	return 1;
}

/* url for an error message: a user:password@ part is never quoted. */
static const char *
url_for_msg(const char *url, char *out, size_t n)
{
	const char *at = strrchr(url, '@');
	const char *start = strstr(url, "://");

	if (!at)
		snprintf(out, n, "%.200s", url);
	else
		snprintf(out, n, "%.*s***%.200s", start && start < at ? (int)(start - url + 3) : 0,
		         url, at);
	return out;
}

/* Fills out->url and out->host from an http(s) URL; drops a default port from the host. */
static int
endpoint_parse(const char *url, struct aws_endpoint *out, struct err *err)
{
	int https = !strncmp(url, "https://", 8);
	const char *host = url + (https ? 8 : 7);
	size_t hlen, len = strlen(url);
	const char *dflt = https ? ":443" : ":80";
	char shown[256];

	if (!https && strncmp(url, "http://", 7))
		return err_set(err, ERR_USAGE, "endpoint '%s' is not an http or https url",
		               url_for_msg(url, shown, sizeof(shown)));
	if (!url_chars_ok(url) || len >= sizeof(out->url))
		return err_set(err, ERR_USAGE, "endpoint '%s' is not a plain url",
		               url_for_msg(url, shown, sizeof(shown)));
	while (len > 0 && url[len - 1] == '/')
		len--;
	hlen = strcspn(host, "/");
	if (hlen == 0 || hlen >= sizeof(out->host))
		return err_set(err, ERR_USAGE, "endpoint '%s' has no host",
		               url_for_msg(url, shown, sizeof(shown)));
	memcpy(out->url, url, len);
	out->url[len] = '\0';
	memcpy(out->host, host, hlen);
	out->host[hlen] = '\0';
	if (hlen > strlen(dflt) && !strcmp(out->host + hlen - strlen(dflt), dflt))
		out->host[hlen - strlen(dflt)] = '\0';
	return 0;
}

/* The public endpoint of svc in region (region already valid). */
static void
endpoint_public(const struct aws_service *svc, const char *region, struct aws_endpoint *out)
{
	int china = !strncmp(region, "cn-", 3);
	const char *suffix = china ? "amazonaws.com.cn" : "amazonaws.com";

	if (svc->global_host && china) {
		/* IAM and STS in China: one host in cn-north-1 */
		snprintf(out->host, sizeof(out->host), "%s.cn-north-1.%s", svc->endpoint_prefix,
		         suffix);
		snprintf(out->signing_region, sizeof(out->signing_region), "cn-north-1");
	} else if (svc->global_host) {
		snprintf(out->host, sizeof(out->host), "%s", svc->global_host);
		snprintf(out->signing_region, sizeof(out->signing_region), "%s",
		         svc->global_region);
	} else {
		snprintf(out->host, sizeof(out->host), "%s.%s.%s", svc->endpoint_prefix, region,
		         suffix);
		snprintf(out->signing_region, sizeof(out->signing_region), "%s", region);
	}
	snprintf(out->url, sizeof(out->url), "https://%s", out->host);
}

int
aws_endpoint_resolve(const struct aws_service *svc, const char *region, const char *override,
                     struct aws_endpoint *out, struct err *err)
{
	const char *url = override && override[0] ? override : endpoint_from_env(svc);
	int has_region = region && region[0];

	memset(out, 0, sizeof(*out));
	if (has_region && !aws_region_valid(region))
		return err_set(err, ERR_USAGE, "'%.64s' is not a region name", region);
	if (url) {
		/* a configured endpoint signs for the caller's region, as botocore does */
		snprintf(out->signing_region, sizeof(out->signing_region), "%s",
		         has_region           ? region
		         : svc->global_region ? svc->global_region
		                              : "us-east-1");
		return endpoint_parse(url, out, err);
	}
	if (!has_region && !svc->global_host)
		return err_set(err, ERR_USAGE, "%s needs a region (--region or AWS_REGION)",
		               svc->id);
	endpoint_public(svc, has_region ? region : svc->global_region, out);
	return 0;
}
