#include "aws/fetch.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xmalloc.h"

struct slot {
	CURL *easy;
	struct aws_fetch *job;
	int too_big;
	char msg[CURL_ERROR_SIZE];
};

static size_t
on_body(char *p, size_t size, size_t nmemb, void *user)
{
	struct slot *s = user;
	size_t n = size * nmemb;

	if (s->job->body.len + n > s->job->max_bytes) {
		s->too_big = 1;
		return 0; /* curl stops the transfer */
	}
	return buf_append(&s->job->body, p, n) ? 0 : n;
}

static void
slot_start(CURLM *multi, struct slot *s, struct aws_fetch *job, const struct aws_fetch_opts *o,
           const char *ca)
{
	s->job = job;
	s->too_big = 0;
	s->msg[0] = '\0';
	buf_release(&job->body);
	buf_init(&job->body, 0);
	job->attempts++;
	curl_easy_reset(s->easy);
	curl_easy_setopt(s->easy, CURLOPT_URL, job->url);
	curl_easy_setopt(s->easy, CURLOPT_PRIVATE, s);
	curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(s->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(s->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(s->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca)
		curl_easy_setopt(s->easy, CURLOPT_CAINFO, ca);
	curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(s->easy, CURLOPT_CONNECTTIMEOUT_MS, o->connect_ms);
	curl_easy_setopt(s->easy, CURLOPT_USERAGENT, "shears/" SHEARS_VERSION);
	curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(s->easy, CURLOPT_ERRORBUFFER, s->msg);
	curl_multi_add_handle(multi, s->easy);
}

/* 1 when the attempt may be tried again: 5xx, 429, resets, truncation, timeouts. */
static int
retryable(CURLcode res, long status)
{
	if (res == CURLE_OK)
		return status >= 500 || status == 429;
	return res == CURLE_RECV_ERROR || res == CURLE_SEND_ERROR || res == CURLE_PARTIAL_FILE ||
	       res == CURLE_OPERATION_TIMEDOUT || res == CURLE_GOT_NOTHING ||
	       res == CURLE_COULDNT_CONNECT;
}

/* Ends an attempt: 1 when the job is done (either way), 0 to try again. */
static int
slot_finish(struct slot *s, CURLcode res, const struct aws_fetch_opts *o)
{
	struct aws_fetch *job = s->job;

	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &job->status);
	err_clear(&job->err);
	if (s->too_big) {
		err_set(&job->err, ERR_LIMIT, "larger than %zu bytes", job->max_bytes);
		return 1;
	}
	if (res == CURLE_OK && job->status >= 200 && job->status < 300)
		return 1;
	if (retryable(res, job->status) && job->attempts < o->max_attempts)
		return 0;
	if (res == CURLE_PEER_FAILED_VERIFICATION || res == CURLE_SSL_CACERT_BADFILE)
		err_set(&job->err, ERR_TLS, "TLS verification failed: %s", s->msg);
	else if (res != CURLE_OK)
		err_set(&job->err, ERR_NET, "download failed after %d attempts: %s", job->attempts,
		        s->msg[0] ? s->msg : curl_easy_strerror(res));
	else
		err_set(&job->err, ERR_AWS, "download answered HTTP %ld after %d attempts",
		        job->status, job->attempts);
	buf_release(&job->body);
	buf_init(&job->body, 0);
	return 1;
}

static void
opts_fill(struct aws_fetch_opts *o, const struct aws_fetch_opts *given)
{
	if (given)
		*o = *given;
	if (o->parallel <= 0)
		o->parallel = 8;
	if (o->max_attempts <= 0)
		o->max_attempts = 3;
	if (o->timeout_ms <= 0)
		o->timeout_ms = 120000;
	if (o->connect_ms <= 0)
		o->connect_ms = 5000;
}

int
aws_fetch_all(struct aws_fetch *jobs, size_t n, const struct aws_fetch_opts *given, struct err *err)
{
	const char *ca = getenv("AWS_CA_BUNDLE");
	struct aws_fetch_opts o;
	struct slot *slots;
	size_t next = 0, active = 0, i;
	CURLM *multi;

	opts_fill(&o, given);
	if (ca && !ca[0])
		ca = NULL;
	if (ca && access(ca, R_OK))
		return err_set(err, ERR_CONFIG,
		               "AWS_CA_BUNDLE names '%.400s', which cannot be read", ca);
	multi = curl_multi_init();
	if (!multi)
		return err_set(err, ERR_NET, "curl could not start");
	slots = xcalloc((size_t)o.parallel, sizeof(*slots));
	for (i = 0; i < (size_t)o.parallel; i++)
		slots[i].easy = curl_easy_init();
	for (i = 0; i < n; i++) {
		buf_init(&jobs[i].body, 0);
		err_clear(&jobs[i].err);
		jobs[i].attempts = 0;
	}
	for (i = 0; i < (size_t)o.parallel && next < n; i++, active++)
		slot_start(multi, &slots[i], &jobs[next++], &o, ca);
	while (active) {
		CURLMsg *m;
		int running, left;

		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &left))) {
			struct slot *s = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
			curl_multi_remove_handle(multi, s->easy);
			if (!slot_finish(s, m->data.result, &o))
				slot_start(multi, s, s->job, &o, ca); /* the same job again */
			else if (next < n)
				slot_start(multi, s, &jobs[next++], &o, ca);
			else
				active--;
		}
		if (active)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
	}
	for (i = 0; i < (size_t)o.parallel; i++)
		curl_easy_cleanup(slots[i].easy);
	free(slots);
	curl_multi_cleanup(multi);
	return 0;
}
