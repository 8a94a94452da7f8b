/*
 * Container credentials and IMDSv2: plain HTTP to a local agent, not signed
 * AWS calls, so one curl easy handle per request, never through a proxy (a
 * token or a secret has no business there), no redirects, http(s) only.
 *
 * Container (botocore ContainerProvider): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
 * is fetched from http://169.254.170.2 (SHEARS_TEST_CONTAINER_HOST in tests);
 * AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to loopback or
 * the ECS/EKS agent addresses. The Authorization header comes from
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read at each fetch: it rotates),
 * else AWS_CONTAINER_AUTHORIZATION_TOKEN. Once configured, a failure is an
 * error, not a reason to go on to IMDS (botocore raises too).
 *
 * IMDS (botocore InstanceMetadataFetcher): PUT /latest/api/token, then GET
 * /latest/meta-data/iam/security-credentials/ for the role name, then the
 * role's JSON, with the token. 403/404/405 on the token PUT fall back to
 * IMDSv1 as botocore does. Short timeouts, one attempt by default: no
 * answer means "not on EC2", and the chain goes on.
 */
#include "aws/creds_impl.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/json.h"
#include "util/log.h"

#define HTTP_BODY_MAX        ((size_t)64 << 10)
#define CONTAINER_HOST       "169.254.170.2"
#define CONTAINER_TIMEOUT_MS 2000L
#define CONTAINER_ATTEMPTS   2
#define IMDS_ENDPOINT        "http://169.254.169.254"

struct http_req {
	const char *method;
	const char *url;
	struct curl_slist *headers;
	long timeout_ms;
	int attempts;
	struct buf body; /* the answer */
	long status;     /* 0: no answer */
	char why[CURL_ERROR_SIZE];
};

static size_t
on_data(char *p, size_t size, size_t n, void *user)
{
	struct buf *b = user;

	return buf_append(b, p, size * n) ? 0 : size * n;
}

static void
http_once(struct http_req *h)
{
	CURL *c = curl_easy_init();
	CURLcode rc;

	h->status = 0;
	if (!c) {
		snprintf(h->why, sizeof(h->why), "curl_easy_init failed");
		return;
	}
	curl_easy_setopt(c, CURLOPT_URL, h->url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, h->method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &h->body);
	h->why[0] = '\0';
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->why);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h->status);
	else if (!h->why[0])
		snprintf(h->why, sizeof(h->why), "%s", curl_easy_strerror(rc));
	curl_easy_cleanup(c);
}

/* Tries up to h->attempts times while there is no answer or a 5xx. */
static void
http_do(struct http_req *h)
{
	int i;

	buf_init(&h->body, HTTP_BODY_MAX);
	for (i = 0; i < (h->attempts > 0 ? h->attempts : 1); i++) {
		if (h->body.data)
			explicit_bzero(h->body.data, h->body.len);
		buf_reset(&h->body);
		http_once(h);
		if (h->status && h->status < 500)
			break;
	}
}

static void
http_release(struct http_req *h)
{
	if (h->body.data)
		explicit_bzero(h->body.data, h->body.len);
	buf_release(&h->body);
	curl_slist_free_all(h->headers);
	h->headers = NULL;
}

static int
answer_creds(struct http_req *h, const char *what, const char *source, struct aws_creds *out,
             struct err *err)
{
	cJSON *j = json_parse(buf_cstr(&h->body), h->body.len, NULL);
	int rc;

	if (!j)
		return err_set(err, ERR_CREDS, "%s: answer is not JSON", what);
	rc = creds_from_json(j, "Token", what, source, out, err);
	creds_json_free(j);
	return rc;
}

/* http to these hosts only, like the SDKs: loopback and the ECS/EKS agent. */
static int
container_host_ok(const char *host)
{
	static const char *const ok[] = { "localhost",     "[::1]",          "::1",
		                          "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]",
		                          "fd00:ec2::23" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(host, ok[i]))
			return 1;
	return !strncmp(host, "127.", 4);
}

static int
container_url_ok(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int ok = 0;

	if (u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
	    !curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) &&
	    !curl_url_get(u, CURLUPART_HOST, &host, 0))
		ok = !strcmp(scheme, "https") ||
		     (!strcmp(scheme, "http") && container_host_ok(host));
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

/* The Authorization header, from the token file (re-read each time) or the variable. */
static int
container_auth(struct curl_slist **headers, struct err *err)
{
	const char *file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	char line[8192 + 32], data[8192] = "";
	FILE *f;
	size_t n;

	if (file && file[0]) {
		f = fopen(file, "re");
		if (!f)
			return err_set(err, ERR_CREDS,
			               "cannot read '%s' (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)",
			               file);
		n = fread(data, 1, sizeof(data) - 1, f);
		fclose(f);
		data[n] = '\0';
		data[strcspn(data, "\r\n")] = '\0'; /* the file may end with a newline */
		tok = data;
	}
	if (!tok || !tok[0])
		return 0;
	if (strpbrk(tok, "\r\n"))
		return err_set(err, ERR_CREDS, "container authorization token holds a line break");
	log_add_secret(tok);
	snprintf(line, sizeof(line), "Authorization: %s", tok);
	*headers = curl_slist_append(*headers, line);
	explicit_bzero(line, sizeof(line));
	explicit_bzero(data, sizeof(data));
	return 0;
}

static int
container_url(char *url, size_t n, struct err *err)
{
	const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *host = getenv("SHEARS_TEST_CONTAINER_HOST");

	if (rel && rel[0]) {
		snprintf(url, n, "http://%s%s", host && host[0] ? host : CONTAINER_HOST, rel);
		return 0;
	}
	if (!container_url_ok(full))
		return err_set(
		        err, ERR_CREDS,
		        "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback "
		        "host or the container agent");
	snprintf(url, n, "%s", full);
	return 0;
}

int
creds_from_container(struct creds_run *r, struct aws_creds *out, struct err *err)
{
	const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	struct http_req h = { .method = "GET",
		              .timeout_ms = CONTAINER_TIMEOUT_MS,
		              .attempts = CONTAINER_ATTEMPTS };
	char url[2048];
	int rc;

	if (!(rel && rel[0]) && !(full && full[0])) {
		creds_tried(r, "container", "not configured");
		return ERR_NOTFOUND;
	}
	rc = container_url(url, sizeof(url), err);
	h.url = url;
	h.headers = curl_slist_append(NULL, "Accept: application/json");
	if (!rc)
		rc = container_auth(&h.headers, err);
	if (!rc) {
		http_do(&h);
		if (!h.status)
			rc = err_set(err, ERR_NET, "container credentials: no answer: %s", h.why);
		else if (h.status != 200)
			rc = err_set(err, ERR_CREDS, "container credentials: HTTP %ld", h.status);
		else
			rc = answer_creds(&h, "container credentials", "container", out, err);
	}
	http_release(&h);
	return rc;
}

struct imds {
	char base[1024]; /* no trailing '/' */
	char host[256];  /* for messages: "169.254.169.254" */
	long timeout_ms;
	int attempts;
	char token[256]; /* "" for IMDSv1 */
};

static void
imds_setup(const struct creds_run *r, struct imds *m)
{
	const char *ep = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *t = getenv("AWS_METADATA_SERVICE_TIMEOUT");
	const char *a = getenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS");
	const char *h;
	size_t n;

	snprintf(m->base, sizeof(m->base), "%s", ep && ep[0] ? ep : IMDS_ENDPOINT);
	n = strlen(m->base);
	while (n && m->base[n - 1] == '/')
		m->base[--n] = '\0';
	h = strstr(m->base, "://");
	h = h ? h + 3 : m->base;
	snprintf(m->host, sizeof(m->host), "%.*s", (int)strcspn(h, "/"), h);
	m->timeout_ms = r->opts->imds_timeout_ms;
	if (m->timeout_ms <= 0 && t && t[0])
		m->timeout_ms = (long)(strtod(t, NULL) * 1000);
	if (m->timeout_ms <= 0)
		m->timeout_ms = 1000;
	m->attempts = r->opts->imds_attempts;
	if (m->attempts <= 0 && a && a[0])
		m->attempts = (int)strtol(a, NULL, 10);
	if (m->attempts <= 0)
		m->attempts = 1;
}

static void
imds_no_answer(struct creds_run *r, const struct imds *m)
{
	if (m->timeout_ms % 1000)
		creds_tried(r, "imds", "no answer from %s in %ld ms", m->host, m->timeout_ms);
	else
		creds_tried(r, "imds", "no answer from %s in %ld s", m->host, m->timeout_ms / 1000);
}

/* One request to IMDS; the answer in h (release it). */
static void
imds_request(const struct imds *m, const char *method, const char *path, struct http_req *h)
{
	char url[2048], hdr[320];

	snprintf(url, sizeof(url), "%s%s", m->base, path);
	memset(h, 0, sizeof(*h));
	h->method = method;
	h->url = url;
	h->timeout_ms = m->timeout_ms;
	h->attempts = m->attempts;
	if (!strcmp(method, "PUT"))
		h->headers = curl_slist_append(NULL, "X-aws-ec2-metadata-token-ttl-seconds: 21600");
	else if (m->token[0]) {
		snprintf(hdr, sizeof(hdr), "X-aws-ec2-metadata-token: %s", m->token);
		h->headers = curl_slist_append(NULL, hdr);
		explicit_bzero(hdr, sizeof(hdr));
	}
	http_do(h);
	h->url = NULL;
}

/* 0 with m->token (or "" for IMDSv1), or ERR_NOTFOUND after noting why. */
static int
imds_token(struct creds_run *r, struct imds *m)
{
	struct http_req h;
	int rc = 0;

	imds_request(m, "PUT", "/latest/api/token", &h);
	if (!h.status) {
		imds_no_answer(r, m);
		rc = ERR_NOTFOUND;
	} else if (h.status == 200 && h.body.len && h.body.len < sizeof(m->token) &&
	           !strpbrk(buf_cstr(&h.body), "\r\n")) {
		snprintf(m->token, sizeof(m->token), "%s", buf_cstr(&h.body));
		log_add_secret(m->token);
	} else if (h.status != 403 && h.status != 404 && h.status != 405) {
		creds_tried(r, "imds", "token request answered HTTP %ld", h.status);
		rc = ERR_NOTFOUND;
	}
	http_release(&h);
	return rc;
}

static int
role_name_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("+=,.@_-", *s))
			return 0;
	return 1;
}

static int
imds_role(struct creds_run *r, struct imds *m, char *role, size_t n)
{
	struct http_req h;
	const char *body;
	int rc = 0;

	imds_request(m, "GET", "/latest/meta-data/iam/security-credentials/", &h);
	body = buf_cstr(&h.body);
	snprintf(role, n, "%.*s", (int)strcspn(body, "\r\n"), body);
	if (!h.status) {
		imds_no_answer(r, m);
		rc = ERR_NOTFOUND;
	} else if (h.status != 200 || !role_name_ok(role)) {
		creds_tried(r, "imds", "no instance role (HTTP %ld)", h.status);
		rc = ERR_NOTFOUND;
	}
	http_release(&h);
	return rc;
}

int
creds_from_imds(struct creds_run *r, struct aws_creds *out, struct err *err)
{
	const char *off = getenv("AWS_EC2_METADATA_DISABLED");
	struct imds m = { 0 };
	struct http_req h;
	char role[256], path[512];
	int rc;

	if (off && !strcasecmp(off, "true")) {
		creds_tried(r, "imds", "disabled by AWS_EC2_METADATA_DISABLED");
		return ERR_NOTFOUND;
	}
	imds_setup(r, &m);
	rc = imds_token(r, &m);
	if (!rc)
		rc = imds_role(r, &m, role, sizeof(role));
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "/latest/meta-data/iam/security-credentials/%s", role);
	imds_request(&m, "GET", path, &h);
	if (h.status != 200) {
		creds_tried(r, "imds", "role %s: HTTP %ld", role, h.status);
		rc = ERR_NOTFOUND;
	} else if (answer_creds(&h, "imds", "imds", out, err)) {
		creds_tried(r, "imds", "role %s: %s", role, err ? err->msg : "bad answer");
		err_clear(err);
		rc = ERR_NOTFOUND;
	}
	explicit_bzero(&m, sizeof(m));
	http_release(&h);
	return rc;
}
