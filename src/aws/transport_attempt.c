/*
 * One HTTP attempt: credentials, SigV4, the curl easy handle, and what its
 * outcome means (transport.c holds the design notes and the state machine).
 * Nothing secret is kept past the attempt: the credentials are wiped as soon
 * as the request is signed, and the header list (which holds the session
 * token) is wiped before it is freed. Errors name the host, never a header.
 */
#include "aws/transport_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aws/retry.h"
#include "util/log.h"
#include "util/xmalloc.h"

static size_t
on_body(char *data, size_t size, size_t n, void *user)
{
	struct req *r = user;

	if (buf_append(&r->resp, data, size * n)) {
		r->over_limit = 1;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	return size * n;
}

/* Copies the header's value if its name is name. */
static void
header_take(const char *line, size_t len, const char *name, char *dst, size_t n)
{
	size_t nl = strlen(name);

	if (len <= nl || line[nl] != ':' || strncasecmp(line, name, nl))
		return;
	line += nl + 1;
	len -= nl + 1;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n' || line[len - 1] == ' '))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(dst, line, len);
	dst[len] = '\0';
}

static size_t
on_header(char *line, size_t size, size_t n, void *user)
{
	struct req *r = user;
	size_t len = size * n;

	if (len > 5 && !strncmp(line, "HTTP/", 5)) {
		/* a new answer (after 100 Continue): forget the previous one's headers */
		r->retry_after[0] = r->errortype[0] = r->request_id[0] = r->content_type[0] = '\0';
		return len;
	}
	header_take(line, len, "Retry-After", r->retry_after, sizeof(r->retry_after));
	header_take(line, len, "x-amzn-ErrorType", r->errortype, sizeof(r->errortype));
	header_take(line, len, "x-amzn-RequestId", r->request_id, sizeof(r->request_id));
	header_take(line, len, "x-amz-request-id", r->request_id, sizeof(r->request_id));
	header_take(line, len, "Content-Type", r->content_type, sizeof(r->content_type));
	return len;
}

static void
slist_add(struct req *r, const char *name, const char *value)
{
	struct buf line;
	struct curl_slist *s;

	buf_init(&line, 0);
	/* "Name;" is curl's way to send a header with an empty value */
	if (buf_printf(&line, value[0] ? "%s: %s" : "%s;", name, value))
		abort(); /* headers are far below the 64 MiB cap */
	s = curl_slist_append(r->slist, buf_cstr(&line));
	explicit_bzero(line.data, line.len);
	buf_release(&line);
	if (!s)
		abort();
	r->slist = s;
}

static int
has_header(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n_headers; i++)
		if (!strcasecmp(r->headers[i].name, name))
			return 1;
	return 0;
}

/* botocore's signers: S3SigV4Auth for S3 (path as sent), SigV4Auth for the rest. */
static unsigned
sign_flags(const struct aws_service *svc)
{
	if (!strcmp(svc->id, "s3"))
		return AWS_SIGV4_NO_DOUBLE_ENCODE | AWS_SIGV4_CONTENT_SHA256;
	return AWS_SIGV4_NORMALIZE_PATH;
}

/* Signs r for this attempt and builds its header list. */
static int
attempt_sign(struct aws_client *c, struct req *r, struct err *err)
{
	struct aws_header *hs = xcalloc(r->n_headers + 1, sizeof(*hs));
	struct aws_sigv4_request sr = { .method = r->method,
		                        .path = r->path,
		                        .query = r->query,
		                        .headers = hs,
		                        .n_headers = r->n_headers + 1,
		                        .body = r->body,
		                        .body_len = r->body_len };
	struct aws_sigv4_params sp = { .region = r->ep.signing_region,
		                       .service = r->svc->signing_name,
		                       .now = time(NULL) };
	struct aws_sigv4_result res = { 0 };
	struct aws_creds creds;
	size_t i;
	int rc;

	memset(&creds, 0, sizeof(creds));
	hs[0].name = "Host";
	hs[0].value = r->ep.host;
	memcpy(hs + 1, r->headers, r->n_headers * sizeof(*hs));
	sp.flags = r->sign_flags | sign_flags(r->svc);
	rc = c->creds_fn(c->creds_ctx, &creds, err); /* a chain refreshes here */
	sp.creds = &creds;
	if (!rc)
		rc = aws_sigv4_sign(&sr, &sp, &res, err);
	aws_creds_wipe(&creds);
	for (i = 0; !rc && i < sr.n_headers; i++)
		slist_add(r, hs[i].name, hs[i].value);
	for (i = 0; !rc && i < res.n_add; i++)
		slist_add(r, res.add[i].name, res.add[i].value);
	if (!rc && !has_header(r, "Content-Type"))
		r->slist = curl_slist_append(r->slist, "Content-Type:"); /* not curl's form type */
	if (!rc)
		r->slist = curl_slist_append(r->slist, "Expect:"); /* no 100-continue round trip */
	aws_sigv4_result_release(&res);
	free(hs);
	return rc;
}

static void
easy_setup(struct aws_client *c, struct req *r, const char *url, long now)
{
	CURL *e = r->easy;
	long left = r->deadline_ms - now;

	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->slist);
	curl_easy_setopt(e, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	/* TLS is verified, always; AWS_CA_BUNDLE only changes what is trusted */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left > 1 ? left : 1L); /* the call's deadline */
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->opts.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, c->opts.low_speed_s);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->curl_msg);
	if (!strcmp(r->method, "HEAD")) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else if (r->body_len || strcmp(r->method, "GET")) {
		if (r->body_len || !strcmp(r->method, "POST") || !strcmp(r->method, "PUT")) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
		}
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
	}
}

static void
count_attempt(struct aws_client *c, struct req *r)
{
	c->counts[r->count_row].attempts++;
	r->attempts++;
}

void
attempt_start(struct aws_client *c, struct req *r, long now)
{
	struct buf url;

	if (r->first_ms < 0) {
		r->first_ms = now; /* the deadline counts from the first attempt, not the queue */
		r->deadline_ms = now + c->opts.deadline_ms;
	}
	err_clear(&r->err);
	buf_reset(&r->resp);
	r->over_limit = 0;
	r->curl_msg[0] = '\0';
	if (attempt_sign(c, r, &r->err)) {
		req_finish(c, r, r->err.code ? r->err.code : ERR_CREDS);
		return;
	}
	buf_init(&url, 0);
	if (buf_printf(&url, "%s%s%s%s", r->origin, r->path, r->query ? "?" : "",
	               r->query ? r->query : ""))
		abort();
	r->easy = curl_easy_init();
	if (!r->easy) {
		buf_release(&url);
		err_set(&r->err, ERR_NET, "cannot start a transfer");
		req_finish(c, r, ERR_NET);
		return;
	}
	easy_setup(c, r, buf_cstr(&url), now);
	buf_release(&url); /* curl keeps its own copy */
	count_attempt(c, r);
	r->state = REQ_FLIGHT;
	req_list_push(&c->flight, r);
	curl_multi_add_handle(c->multi, r->easy);
	log_debug("aws: %s %s attempt %d", r->svc->id, r->operation, r->attempts);
}

void
attempt_release(struct aws_client *c, struct req *r)
{
	struct curl_slist *s;

	if (r->easy) {
		curl_multi_remove_handle(c->multi, r->easy);
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
	}
	for (s = r->slist; s; s = s->next)
		explicit_bzero(s->data, strlen(s->data)); /* the session token is a bearer secret */
	curl_slist_free_all(r->slist);
	r->slist = NULL;
}

/* Appends a note to err->msg (cut when the message is full). */
static void
msg_note(struct err *err, const char *note)
{
	size_t len = strlen(err->msg);

	snprintf(err->msg + len, sizeof(err->msg) - len, "%s%s", len ? " " : "", note);
}

static enum err_code
curl_class(const struct req *r, CURLcode res, long now)
{
	if (r->over_limit)
		return ERR_LIMIT;
	switch (res) {
	case CURLE_OPERATION_TIMEDOUT:
		/* curl ran out of the call's time, or one attempt stalled (low speed) */
		return now + 5 >= r->deadline_ms ? ERR_TIMEOUT : ERR_NET;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_CRL_BADFILE:
		return ERR_TLS;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_BAD_FUNCTION_ARGUMENT:
		return ERR_USAGE;
	default:
		return ERR_NET; /* refused, reset, nothing, truncated, DNS: worth another try */
	}
}

/* The error of a failed transfer (no complete answer). */
static enum err_code
transfer_error(struct aws_client *c, struct req *r, CURLcode res, long now)
{
	enum err_code code = curl_class(r, res, now);
	const char *why = r->curl_msg[0] ? r->curl_msg : curl_easy_strerror(res);

	if (code == ERR_LIMIT)
		return err_set(&r->err, code, "answer from '%s' is over %zu bytes", r->ep.host,
		               AWS_ANSWER_MAX);
	if (code == ERR_TIMEOUT)
		return err_set(&r->err, code, "no answer from '%s' within the deadline of %ld ms",
		               r->ep.host, c->opts.deadline_ms);
	if (code == ERR_TLS)
		return err_set(&r->err, code, "tls with '%s' failed: %s", r->ep.host, why);
	return err_set(&r->err, code, "cannot reach '%s': %s", r->ep.host, why);
}

/* The error of a complete non-2xx answer. */
static enum err_code
answer_error(struct req *r)
{
	aws_error_parse(r->svc->protocol, r->ans.status, r->errortype, buf_cstr(&r->resp),
	                r->resp.len, &r->err);
	if (!r->err.msg[0])
		snprintf(r->err.msg, sizeof(r->err.msg), "http %d", r->ans.status);
	r->err.code = ERR_AWS;
	return ERR_AWS;
}

/* Backs r off for another attempt; returns 0 when it may not (attempts, deadline). */
static int
attempt_retry(struct aws_client *c, struct req *r, long now)
{
	long ra = aws_retry_after_ms(r->retry_after[0] ? r->retry_after : NULL, (long)time(NULL));
	long delay;

	if (r->attempts >= c->opts.max_attempts)
		return 0;
	delay = aws_retry_delay_ms(r->attempts, ra, transport_random(c));
	if (now + delay >= r->deadline_ms) {
		msg_note(&r->err, "(no time left to retry)");
		return 0;
	}
	log_debug("aws: %s %s attempt %d failed (%s %d %s), retry in %ld ms", r->svc->id,
	          r->operation, r->attempts, err_code_name(r->err.code), r->ans.status,
	          r->err.aws_code, delay);
	r->due_ms = now + delay;
	r->state = REQ_DELAYED;
	req_list_insert_due(&c->delayed, r);
	return 1;
}

void
attempt_finish(struct aws_client *c, struct req *r, CURLcode res, long now)
{
	long status = 0;
	enum err_code code;
	int throttled;
	char note[64];

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	req_list_remove(&c->flight, r);
	attempt_release(c, r);
	r->ans.status = (int)status;
	err_clear(&r->err);
	if (res == CURLE_OK && status >= 200 && status < 300) {
		req_finish(c, r, ERR_OK);
		return;
	}
	code = res != CURLE_OK ? transfer_error(c, r, res, now) : answer_error(r);
	throttled =
	        res == CURLE_OK && (status == 429 || aws_retry_is_throttle_code(r->err.aws_code));
	if (throttled)
		c->counts[r->count_row].throttled++;
	if ((!r->once || throttled) &&
	    aws_retry_should(res == CURLE_OK ? (int)status : 0, r->err.aws_code,
	                     res != CURLE_OK ? code : ERR_OK) &&
	    attempt_retry(c, r, now))
		return;
	if (r->attempts > 1) {
		snprintf(note, sizeof(note), "(gave up after %d attempts)", r->attempts);
		msg_note(&r->err, note);
	}
	req_finish(c, r, throttled ? ERR_THROTTLED : code);
}
