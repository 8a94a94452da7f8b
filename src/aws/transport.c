/*
 * The transport: one curl multi handle per client, a queue in front of it.
 *
 * A request moves through these states (struct req, enum req_state):
 *
 *   queued --(slot free, pace token)--> in flight --(2xx, or final error)--> done
 *     ^            queue_start()           |  attempt_finish()                 |
 *     |                                    | retryable, attempts and           | fire_done():
 *     +------- delayed <-------------------+ deadline left: attempt_retry()    | callback, free
 *          wake_delayed() at due_ms
 *
 * "Paced" is a queued request whose quota bucket has no token yet: it stays
 * in the queue and the loop sleeps until the bucket refills.
 *
 * Invariants:
 *  1. A request is in exactly one list: queue, delayed, flight or done.
 *  2. flight.n <= opts.max_in_flight, and flight.n equals the number of easy
 *     handles in the multi handle (attempt_start adds, attempt_release removes).
 *  3. Nothing blocks but curl_multi_poll(), whose timeout is the earliest of:
 *     the next delayed request's due time, the next pace token, a queued
 *     request's deadline, and 1 s. So a request backing off never holds up
 *     the others, and the loop wakes for whatever comes first.
 *  4. Each attempt is signed with credentials fetched just before it
 *     (creds_fn), so a refreshed chain is used at once; none are kept.
 *  5. A call's deadline starts with its first attempt (time in the queue is
 *     pacing, not the server's slowness); curl's timeout for an attempt is
 *     the time left, so a stalled server fails the call on time, and a retry
 *     that cannot start before the deadline is not scheduled.
 *  6. Every attempt is counted (aws_client_counts) when it starts; a call is
 *     counted once when it is done.
 *  7. Callbacks run only from fire_done(), never inside curl or while a list
 *     is being walked, so a callback may submit, or even call, again.
 */
#include "aws/transport_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/xmalloc.h"

long
transport_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* xorshift64*: jitter needs to be spread, not secret. */
double
transport_random(struct aws_client *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (double)((c->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

void
req_list_push(struct req_list *l, struct req *r)
{
	r->next = NULL;
	r->prev = l->tail;
	if (l->tail)
		l->tail->next = r;
	else
		l->head = r;
	l->tail = r;
	l->n++;
}

/* Inserts r before at (NULL: at the end). */
static void
req_list_insert(struct req_list *l, struct req *at, struct req *r)
{
	if (!at) {
		req_list_push(l, r);
		return;
	}
	r->next = at;
	r->prev = at->prev;
	if (at->prev)
		at->prev->next = r;
	else
		l->head = r;
	at->prev = r;
	l->n++;
}

void
req_list_remove(struct req_list *l, struct req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		l->head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		l->tail = r->prev;
	r->prev = r->next = NULL;
	l->n--;
}

void
req_list_insert_due(struct req_list *l, struct req *r)
{
	struct req *at = l->head;

	while (at && at->due_ms <= r->due_ms)
		at = at->next;
	req_list_insert(l, at, r);
}

static void
req_free(struct req *r)
{
	size_t i;

	for (i = 0; i < r->n_headers; i++) {
		free((char *)r->headers[i].name);
		free((char *)r->headers[i].value);
	}
	free(r->headers);
	free(r->path);
	free(r->query);
	if (r->body)
		explicit_bzero(r->body, r->body_len); /* may carry environment variables */
	free(r->body);
	free(r->resource);
	buf_release(&r->resp);
	aws_answer_release(&r->ans);
	free(r);
}

void
req_finish(struct aws_client *c, struct req *r, enum err_code code)
{
	struct aws_call_count *n = &c->counts[r->count_row];

	r->ans.attempts = r->attempts;
	snprintf(r->ans.request_id, sizeof(r->ans.request_id), "%s", r->request_id);
	snprintf(r->ans.content_type, sizeof(r->ans.content_type), "%s", r->content_type);
	if (r->resp.len)
		r->ans.body = buf_take(&r->resp, &r->ans.body_len);
	buf_release(&r->resp);
	if (code) {
		r->err.code = code;
		r->err.http_status = r->ans.status;
		err_context(&r->err, r->svc->id, r->operation, r->resource);
		log_scrub(r->err.msg, sizeof(r->err.msg));
		n->failed++;
	}
	r->failed = code != ERR_OK;
	n->calls++;
	r->state = REQ_DONE;
	req_list_push(&c->done, r);
}

void
aws_answer_release(struct aws_answer *a)
{
	if (!a)
		return;
	free(a->body);
	memset(a, 0, sizeof(*a));
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Copies opts with the defaults filled in; checks AWS_CA_BUNDLE. */
static int
client_opts(struct aws_client *c, const struct aws_client_opts *opts, struct err *err)
{
	const char *ca = getenv("AWS_CA_BUNDLE");

	if (opts)
		c->opts = *opts;
	if (c->opts.max_in_flight <= 0)
		c->opts.max_in_flight = 16;
	if (c->opts.max_attempts <= 0)
		c->opts.max_attempts = 5;
	if (c->opts.deadline_ms <= 0)
		c->opts.deadline_ms = 120000;
	if (c->opts.connect_timeout_ms <= 0)
		c->opts.connect_timeout_ms = 5000;
	if (c->opts.low_speed_s <= 0)
		c->opts.low_speed_s = 30;
	c->endpoint_url = dup_or_null(c->opts.endpoint_url);
	c->region = dup_or_null(c->opts.region);
	c->user_agent = xstrdup(c->opts.user_agent ? c->opts.user_agent : "shears/" SHEARS_VERSION);
	c->opts.endpoint_url = c->endpoint_url;
	c->opts.region = c->region;
	c->opts.user_agent = c->user_agent;
	if (ca && ca[0]) {
		if (access(ca, R_OK))
			return err_set(err, ERR_CONFIG,
			               "AWS_CA_BUNDLE names '%.400s', which cannot be read", ca);
		c->ca_file = xstrdup(ca);
	}
	return 0;
}

struct aws_client *
aws_client_new(const struct aws_client_opts *opts, aws_creds_fn *creds_fn, void *creds_ctx,
               struct err *err)
{
	struct aws_client *c = xcalloc(1, sizeof(*c));
	long n;

	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		free(c);
		err_set(err, ERR_NET, "cannot initialise libcurl");
		return NULL;
	}
	c->creds_fn = creds_fn;
	c->creds_ctx = creds_ctx;
	c->multi = curl_multi_init();
	if (!creds_fn || !c->multi || client_opts(c, opts, err)) {
		if (!creds_fn || !c->multi)
			err_set(err, creds_fn ? ERR_NET : ERR_USAGE, "cannot start the transport");
		aws_client_free(c);
		return NULL;
	}
	n = c->opts.max_in_flight;
	/* keep-alive: as many idle connections as can be busy, per host too */
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, n);
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, n);
	curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, n);
	c->pace = aws_pace_new();
	c->rng = (uint64_t)transport_now_ms() * 0x9E3779B97F4A7C15ULL ^ (uint64_t)getpid() ^
	         (uint64_t)(uintptr_t)c;
	if (!c->rng)
		c->rng = 1;
	return c;
}

static void
list_drop(struct aws_client *c, struct req_list *l)
{
	while (l->head) {
		struct req *r = l->head;

		req_list_remove(l, r);
		attempt_release(c, r);
		req_free(r);
	}
}

void
aws_client_free(struct aws_client *c)
{
	if (!c)
		return;
	/* requests still pending are dropped without their callbacks */
	list_drop(c, &c->queue);
	list_drop(c, &c->delayed);
	list_drop(c, &c->flight);
	list_drop(c, &c->done);
	if (c->multi)
		curl_multi_cleanup(c->multi);
	aws_pace_free(c->pace);
	free(c->counts);
	free(c->endpoint_url);
	free(c->region);
	free(c->user_agent);
	free(c->ca_file);
	free(c);
	curl_global_cleanup();
}

struct aws_pace *
aws_client_pace(struct aws_client *c)
{
	return c->pace;
}

const struct aws_call_count *
aws_client_counts(const struct aws_client *c, size_t *n)
{
	*n = c->n_counts;
	return c->counts;
}

static size_t
count_row(struct aws_client *c, const char *service, const char *operation)
{
	struct aws_call_count *row;
	size_t i;

	for (i = 0; i < c->n_counts; i++)
		if (!strcmp(c->counts[i].service, service) &&
		    !strcmp(c->counts[i].operation, operation))
			return i;
	c->counts = xrealloc(c->counts, (c->n_counts + 1) * sizeof(*c->counts));
	row = &c->counts[c->n_counts];
	memset(row, 0, sizeof(*row));
	snprintf(row->service, sizeof(row->service), "%s", service);
	snprintf(row->operation, sizeof(row->operation), "%s", operation);
	return c->n_counts++;
}

/* Fills r->origin and r->path (the endpoint's base path, then req's path). */
static void
req_paths(struct req *r, const char *path)
{
	const char *host = strstr(r->ep.url, "://");
	const char *base = strchr(host ? host + 3 : r->ep.url, '/');
	size_t olen = base ? (size_t)(base - r->ep.url) : strlen(r->ep.url);
	struct buf b;

	memcpy(r->origin, r->ep.url, olen);
	r->origin[olen] = '\0';
	buf_init(&b, 0);
	if (buf_printf(&b, "%s%s", base ? base : "", path && path[0] ? path : "/"))
		abort();
	r->path = buf_take(&b, NULL);
}

static void
req_copy(struct req *r, const struct aws_request *req)
{
	size_t i;

	r->svc = req->service;
	snprintf(r->operation, sizeof(r->operation), "%s", req->operation);
	snprintf(r->method, sizeof(r->method), "%s", req->method ? req->method : "GET");
	r->query = req->query && req->query[0] ? xstrdup(req->query) : NULL;
	r->headers = xcalloc(req->n_headers + 1, sizeof(*r->headers));
	for (i = 0; i < req->n_headers; i++) {
		r->headers[i].name = xstrdup(req->headers[i].name);
		r->headers[i].value = xstrdup(req->headers[i].value ? req->headers[i].value : "");
	}
	r->n_headers = req->n_headers;
	if (req->body_len) {
		r->body = xmalloc(req->body_len + 1);
		memcpy(r->body, req->body, req->body_len);
		r->body[req->body_len] = '\0';
		r->body_len = req->body_len;
	}
	r->resource = dup_or_null(req->resource);
	r->sign_flags = req->sign_flags;
	r->once = req->once;
	r->first_ms = r->deadline_ms = -1;
	buf_init(&r->resp, AWS_ANSWER_MAX);
}

static int
submit_check(const struct aws_request *req, struct err *err)
{
	if (!req->service || !req->operation || !req->operation[0])
		return err_set(err, ERR_USAGE, "a request needs a service and an operation");
	if (req->path && req->path[0] != '/')
		err_set(err, ERR_USAGE, "path '%.100s' does not start with '/'", req->path);
	else if (req->method && (strlen(req->method) >= 16 || strpbrk(req->method, " \r\n")))
		err_set(err, ERR_USAGE, "'%.20s' is not an http method", req->method);
	else if (req->query && strpbrk(req->query, " \r\n#"))
		err_set(err, ERR_USAGE, "query of %s is not encoded", req->operation);
	else
		return 0;
	err_context(err, req->service->id, req->operation, req->resource);
	return err->code;
}

int
aws_client_submit(struct aws_client *c, const struct aws_request *req, aws_done_fn *done,
                  void *user, struct err *err)
{
	struct aws_endpoint ep;
	struct err local;
	struct req *r;
	int rc;

	if (!err)
		err = &local;
	err_clear(err);
	rc = submit_check(req, err);
	if (!rc)
		rc = aws_endpoint_resolve(req->service, req->region ? req->region : c->region,
		                          c->endpoint_url, &ep, err);
	if (rc) {
		err_context(err, req->service ? req->service->id : NULL, req->operation,
		            req->resource);
		return rc;
	}
	r = xcalloc(1, sizeof(*r));
	r->ep = ep;
	req_copy(r, req);
	req_paths(r, req->path);
	r->count_row = count_row(c, r->svc->id, r->operation);
	r->done = done;
	r->user = user;
	r->state = REQ_QUEUED;
	req_list_push(&c->queue, r);
	return 0;
}

/* delayed → queued, at the front: a retry is older than anything queued. */
static void
wake_delayed(struct aws_client *c, long now)
{
	struct req *at = c->queue.head;

	while (c->delayed.head && c->delayed.head->due_ms <= now) {
		struct req *r = c->delayed.head;

		req_list_remove(&c->delayed, r);
		r->state = REQ_QUEUED;
		req_list_insert(&c->queue, at, r);
	}
}

static long
min_wait(long a, long b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/*
 * Starts what may start (queued → in flight); ends retries whose deadline
 * passed while they waited. Returns the ms until something else may
 * happen here (-1: nothing will without curl's activity).
 */
static long
queue_start(struct aws_client *c, long now)
{
	struct req *r, *next;
	long wait = -1, w;

	for (r = c->queue.head; r; r = next) {
		next = r->next;
		if (r->first_ms >= 0 && now >= r->deadline_ms) {
			req_list_remove(&c->queue, r);
			err_clear(&r->err);
			err_set(&r->err, ERR_TIMEOUT, "deadline of %ld ms passed before attempt %d",
			        c->opts.deadline_ms, r->attempts + 1);
			req_finish(c, r, ERR_TIMEOUT);
			continue;
		}
		if (r->first_ms >= 0)
			wait = min_wait(wait, r->deadline_ms - now);
		if ((int)c->flight.n >= c->opts.max_in_flight)
			continue; /* a slot frees on curl's activity, which wakes the poll */
		w = c->opts.no_pacing ? 0
		                      : aws_pace_take(c->pace, r->svc->id, r->operation,
		                                      r->ep.signing_region, now);
		if (w > 0) {
			wait = min_wait(wait, w);
			continue;
		}
		req_list_remove(&c->queue, r);
		attempt_start(c, r, now);
	}
	return wait;
}

/* Reads finished transfers from curl. */
static void
collect(struct aws_client *c)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(c->multi, &left))) {
		CURL *e = m->easy_handle;
		CURLcode res = m->data.result;
		struct req *r = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
		if (r)
			attempt_finish(c, r, res, transport_now_ms());
	}
}

/* Runs the callbacks of finished requests; returns how many ran. */
static int
fire_done(struct aws_client *c)
{
	int n = 0;

	while (c->done.head) {
		struct req *r = c->done.head;

		req_list_remove(&c->done, r);
		if (r->done) {
			struct aws_answer ans = r->ans;

			memset(&r->ans, 0, sizeof(r->ans)); /* the callback owns the answer now */
			r->done(r->user, &ans, r->failed ? &r->err : NULL);
		}
		req_free(r);
		n++;
	}
	return n;
}

static void
cancel_list(struct aws_client *c, struct req_list *l)
{
	while (l->head) {
		struct req *r = l->head;

		req_list_remove(l, r);
		attempt_release(c, r);
		err_clear(&r->err);
		err_set(&r->err, ERR_CANCELLED, "cancelled");
		req_finish(c, r, ERR_CANCELLED);
	}
}

static int
idle(const struct aws_client *c)
{
	return !c->queue.n && !c->delayed.n && !c->flight.n && !c->done.n;
}

/* The poll timeout: the earliest of the queue's wait, the next retry, 1 s. */
static int
poll_timeout(const struct aws_client *c, long queue_wait, long now)
{
	long t = 1000;

	if (queue_wait >= 0 && queue_wait < t)
		t = queue_wait;
	if (c->delayed.head && c->delayed.head->due_ms - now < t)
		t = c->delayed.head->due_ms - now;
	return t < 0 ? 0 : (int)t;
}

/* Drives everything until *flag is set (NULL: until the client is idle). */
static void
run_until(struct aws_client *c, const int *flag)
{
	int running;
	long now, wait;

	c->depth++;
	while (flag ? !*flag : !idle(c)) {
		if (atomic_load(&c->cancelled)) {
			cancel_list(c, &c->queue);
			cancel_list(c, &c->delayed);
			cancel_list(c, &c->flight);
		}
		now = transport_now_ms();
		wake_delayed(c, now);
		wait = queue_start(c, now);
		curl_multi_perform(c->multi, &running);
		collect(c);
		if (fire_done(c) || (flag ? *flag : idle(c)))
			continue; /* callbacks may have queued more; look again before sleeping */
		curl_multi_poll(c->multi, NULL, 0, poll_timeout(c, wait, transport_now_ms()), NULL);
	}
	if (--c->depth == 0)
		atomic_store(&c->cancelled, 0);
}

int
aws_client_run(struct aws_client *c)
{
	run_until(c, NULL);
	return 0;
}

void
aws_client_cancel(struct aws_client *c)
{
	atomic_store(&c->cancelled, 1);
	curl_multi_wakeup(c->multi); /* from another thread too */
}

struct call_slot {
	int done;
	int rc;
	struct aws_answer *out;
	struct err *err;
};

static void
call_done(void *user, struct aws_answer *ans, const struct err *err)
{
	struct call_slot *s = user;

	*s->out = *ans; /* moved: the caller releases it */
	s->rc = err ? (int)err->code : 0;
	if (err && s->err)
		*s->err = *err;
	s->done = 1;
}

int
aws_client_call(struct aws_client *c, const struct aws_request *req, struct aws_answer *out,
                struct err *err)
{
	struct call_slot slot = { .out = out, .err = err };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = aws_client_submit(c, req, call_done, &slot, err);
	if (rc)
		return rc;
	run_until(c, &slot.done);
	return slot.rc;
}
