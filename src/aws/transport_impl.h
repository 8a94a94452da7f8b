/*
 * Private to the transport (transport.c: the client, its queues and loop;
 * transport_attempt.c: one HTTP attempt from signing to its outcome).
 */
#ifndef SHEARS_AWS_TRANSPORT_IMPL_H
#define SHEARS_AWS_TRANSPORT_IMPL_H

#include <curl/curl.h>
#include <stdatomic.h>
#include <stdint.h>

#include "aws/endpoint.h"
#include "aws/pace.h"
#include "aws/transport.h"
#include "util/buf.h"
#include "util/err.h"

enum req_state {
	REQ_QUEUED,  /* waiting for a free slot and a pace token */
	REQ_FLIGHT,  /* an attempt is on the wire (easy handle in the multi) */
	REQ_DELAYED, /* backing off before the next attempt, until due_ms */
	REQ_DONE,    /* outcome in ans/err, waiting for its callback */
};

struct req {
	struct req *prev, *next; /* in exactly one of the client's lists */
	enum req_state state;
	/* the request, copied at submit */
	const struct aws_service *svc;
	char operation[48];
	char method[16];
	char *path;  /* base path of the endpoint + the request's path */
	char *query; /* NULL: none */
	struct aws_header *headers;
	size_t n_headers;
	char *body;
	size_t body_len;
	char *resource;
	unsigned sign_flags;
	int once; /* struct aws_request's once: retry throttling only */
	struct aws_endpoint ep;
	char origin[512]; /* scheme://host[:port] of ep.url, without its base path */
	size_t count_row;
	aws_done_fn *done;
	void *user;
	/* progress */
	int attempts;
	long first_ms, deadline_ms; /* -1 until the first attempt starts */
	long due_ms;                /* REQ_DELAYED: when to try again */
	/* the attempt on the wire */
	CURL *easy;
	struct curl_slist *slist;
	struct buf resp;
	int over_limit;
	char retry_after[64], errortype[160], request_id[80], content_type[80];
	char curl_msg[CURL_ERROR_SIZE];
	/* the outcome */
	struct aws_answer ans;
	struct err err;
	int failed;
};

struct req_list {
	struct req *head, *tail;
	size_t n;
};

struct aws_client {
	CURLM *multi;
	struct aws_client_opts opts; /* strings below are copies */
	char *endpoint_url, *region, *user_agent, *ca_file;
	aws_creds_fn *creds_fn;
	void *creds_ctx;
	struct aws_pace *pace;
	struct req_list queue, delayed, flight, done;
	struct aws_call_count *counts;
	size_t n_counts;
	uint64_t rng;
	int depth;            /* nested run loops (a callback calling aws_client_call) */
	atomic_int cancelled; /* set by aws_client_cancel(), from any thread */
};

long transport_now_ms(void);
double transport_random(struct aws_client *c);

void req_list_push(struct req_list *l, struct req *r);
void req_list_remove(struct req_list *l, struct req *r);
/* Inserts r keeping l sorted by due_ms (ties in arrival order). */
void req_list_insert_due(struct req_list *l, struct req *r);

/*
 * Signs and starts the next attempt of r (queued → in flight). On a failure
 * that no retry can mend (credentials, signing, curl) r is finished (→ done).
 */
void attempt_start(struct aws_client *c, struct req *r, long now);

/* Reads the outcome of r's attempt: → done, or → delayed for a retry. */
void attempt_finish(struct aws_client *c, struct req *r, CURLcode res, long now);

/* Ends r with err set by the caller (code, msg): → done. */
void req_finish(struct aws_client *c, struct req *r, enum err_code code);

/* Drops r's easy handle and header list (wiping the token); safe when none. */
void attempt_release(struct aws_client *c, struct req *r);

#endif
