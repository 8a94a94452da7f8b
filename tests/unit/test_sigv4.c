/*
 * SigV4: the official AWS test suite (tests/data/sigv4/v4, read at run time,
 * one cmocka test per case and variant) and one test per promise of sigv4.h.
 */
#include "cmocka_prelude.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "aws/sigv4.h"
#include "testutil.h"
#include "util/buf.h"
#include "util/err.h"

#define SUITE_DIR      "tests/data/sigv4/v4"
#define SUITE_CASES    38
#define MAX_HEADERS    32
#define EXAMPLE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

/* One suite case as parsed from request.txt and context.json. */
struct suite_case {
	char *text; /* request.txt, cut in place */
	char *method, *path, *query;
	struct aws_header headers[MAX_HEADERS];
	size_t n_headers;
	char *values[MAX_HEADERS]; /* owned: continuation lines are joined */
	const char *body;
	size_t body_len;
	struct aws_creds creds;
	struct aws_sigv4_params params;
};

struct suite_test {
	char dir[256]; /* case name */
	int presign;
};

static char *
case_file(const char *name, const char *file, size_t *len)
{
	char rel[512];

	snprintf(rel, sizeof(rel), SUITE_DIR "/%s/%s", name, file);
	return test_read_file(test_path(rel), len);
}

/* "METHOD target HTTP/1.1": the target may hold spaces ("/example space/"). */
static void
request_line_parse(struct suite_case *c, char *line)
{
	char *sp = strchr(line, ' ');
	char *last = strrchr(line, ' ');
	char *q;

	assert_non_null(sp);
	assert_true(last > sp);
	*sp = '\0';
	*last = '\0';
	c->method = line;
	c->path = sp + 1;
	q = strchr(c->path, '?');
	c->query = NULL;
	if (q) {
		*q = '\0';
		c->query = q + 1;
	}
}

static void
header_line_add(struct suite_case *c, char *line)
{
	char *colon;
	size_t n = c->n_headers;

	if ((line[0] == ' ' || line[0] == '\t') && n) {
		/* a continuation line belongs to the previous header's value */
		size_t a = strlen(c->values[n - 1]), b = strlen(line);

		c->values[n - 1] = realloc(c->values[n - 1], a + b + 2);
		assert_non_null(c->values[n - 1]);
		c->values[n - 1][a] = ' ';
		memcpy(c->values[n - 1] + a + 1, line, b + 1);
		c->headers[n - 1].value = c->values[n - 1];
		return;
	}
	colon = strchr(line, ':');
	assert_non_null(colon);
	assert_true(n < MAX_HEADERS);
	*colon = '\0';
	c->values[n] = strdup(colon + 1);
	c->headers[n].name = line;
	c->headers[n].value = c->values[n];
	c->n_headers++;
}

static void
request_parse(struct suite_case *c, const char *name)
{
	size_t len = 0;
	char *p, *nl;

	c->text = case_file(name, "request.txt", &len);
	assert_non_null(c->text);
	nl = strchr(c->text, '\n');
	assert_non_null(nl);
	*nl = '\0';
	request_line_parse(c, c->text);
	c->body = "";
	for (p = nl + 1; *p;) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (!*p) { /* blank line: the body follows */
			c->body = p + 1;
			c->body_len = len - (size_t)(p + 1 - c->text);
			break;
		}
		header_line_add(c, p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static int
json_true(const cJSON *obj, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static const char *
json_str(const cJSON *obj, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));

	return s ? s : "";
}

static time_t
iso8601_parse(const char *s)
{
	struct tm tm = { 0 };

	assert_int_equal(sscanf(s, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec),
	                 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* context.json: credentials, region, service, timestamp, and the flags. */
static void
context_parse(struct suite_case *c, const char *name, int presign)
{
	char *text = case_file(name, "context.json", NULL);
	cJSON *j, *cr;

	assert_non_null(text);
	j = cJSON_Parse(text);
	assert_non_null(j);
	cr = cJSON_GetObjectItemCaseSensitive(j, "credentials");
	snprintf(c->creds.access_key_id, sizeof(c->creds.access_key_id), "%s",
	         json_str(cr, "access_key_id"));
	snprintf(c->creds.secret_access_key, sizeof(c->creds.secret_access_key), "%s",
	         json_str(cr, "secret_access_key"));
	snprintf(c->creds.session_token, sizeof(c->creds.session_token), "%s",
	         json_str(cr, "token"));
	c->params.creds = &c->creds;
	c->params.region = strdup(json_str(j, "region"));
	c->params.service = strdup(json_str(j, "service"));
	c->params.now = iso8601_parse(json_str(j, "timestamp"));
	c->params.expires_s = (long)cJSON_GetNumberValue(
	        cJSON_GetObjectItemCaseSensitive(j, "expiration_in_seconds"));
	c->params.flags = (json_true(j, "normalize") ? AWS_SIGV4_NORMALIZE_PATH : 0) |
	                  (json_true(j, "sign_body") ? AWS_SIGV4_CONTENT_SHA256 : 0) |
	                  (json_true(j, "omit_session_token") ? AWS_SIGV4_OMIT_TOKEN : 0) |
	                  (presign ? AWS_SIGV4_PRESIGN : 0);
	cJSON_Delete(j);
	free(text);
}

static void
suite_case_release(struct suite_case *c)
{
	size_t i;

	for (i = 0; i < c->n_headers; i++)
		free(c->values[i]);
	free((char *)c->params.region);
	free((char *)c->params.service);
	free(c->text);
}

static void
expect_file(const char *name, const char *file, const char *got)
{
	char *want = case_file(name, file, NULL);

	assert_non_null(want);
	if (strcmp(want, got))
		print_error("%s/%s:\n--- want\n%s\n--- got\n%s\n", name, file, want, got);
	assert_string_equal(got, want);
	free(want);
}

/* The value after key in text, up to any of stop; caller frees. */
static char *
field_after(const char *text, const char *key, const char *stop)
{
	const char *p = strstr(text, key);

	assert_non_null(p);
	p += strlen(key);
	return strndup(p, strcspn(p, stop));
}

/* Header variant: every header the signer adds is in the sample with that value. */
static void
expect_added_headers(const char *name, const struct aws_sigv4_result *r)
{
	char *sample = case_file(name, "header-signed-request.txt", NULL);
	char line[8192];
	size_t i;

	assert_non_null(sample);
	for (i = 0; i < r->n_add; i++) {
		const char *p = sample;
		int found = 0;

		snprintf(line, sizeof(line), "%s:%s\n", r->add[i].name, r->add[i].value);
		for (; *p && !found; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "")
			found = !strncasecmp(p, line, strlen(line));
		if (!found)
			print_error("%s: header %s", name, line);
		assert_true(found);
	}
	free(sample);
}

/* Query variant: the X-Amz-* parameters we send are those of the sample, as a set. */
static void
expect_query_params(const char *name, const char *query)
{
	char *sample = case_file(name, "query-signed-request.txt", NULL);
	char *q, *tok, *save = NULL;
	size_t ours = 0, theirs = 0;

	assert_non_null(sample);
	q = strdup(query);
	for (tok = strtok_r(q, "&", &save); tok; tok = strtok_r(NULL, "&", &save)) {
		char needle[8192];

		if (strncmp(tok, "X-Amz-", 6))
			continue;
		ours++;
		snprintf(needle, sizeof(needle), "%s&", tok);
		if (!strstr(sample, needle) &&
		    !(snprintf(needle, sizeof(needle), "%s ", tok), strstr(sample, needle)))
			fail_msg("%s: query parameter %s not in the sample", name, tok);
	}
	for (tok = sample; (tok = strstr(tok, "X-Amz-")); tok++)
		theirs += tok[-1] == '&' || tok[-1] == '?';
	assert_int_equal(ours, theirs);
	free(q);
	free(sample);
}

/* The query variant's sample has ';' encoded as %3B. */
static void
expect_signed_headers(const char *got, const char *want, int encoded)
{
	struct buf enc;

	buf_init(&enc, 0);
	if (encoded)
		assert_int_equal(aws_uri_encode(&enc, got, strlen(got), 0), 0);
	else
		assert_int_equal(buf_puts(&enc, got), 0);
	assert_string_equal(buf_cstr(&enc), want);
	buf_release(&enc);
}

static void
test_sigv4_suite_case(void **state)
{
	const struct suite_test *t = *state;
	const char *v = t->presign ? "query" : "header";
	struct suite_case c = { 0 };
	struct aws_sigv4_request req = { 0 };
	struct aws_sigv4_result r;
	struct err err = { 0 };
	char file[64], *sample, *want;

	request_parse(&c, t->dir);
	context_parse(&c, t->dir, t->presign);
	req = (struct aws_sigv4_request){ .method = c.method,
		                          .path = c.path,
		                          .query = c.query,
		                          .headers = c.headers,
		                          .n_headers = c.n_headers,
		                          .body = c.body,
		                          .body_len = c.body_len };
	assert_int_equal(aws_sigv4_sign(&req, &c.params, &r, &err), 0);
	snprintf(file, sizeof(file), "%s-canonical-request.txt", v);
	expect_file(t->dir, file, r.canonical_request);
	snprintf(file, sizeof(file), "%s-string-to-sign.txt", v);
	expect_file(t->dir, file, r.string_to_sign);
	snprintf(file, sizeof(file), "%s-signature.txt", v);
	expect_file(t->dir, file, r.signature);
	snprintf(file, sizeof(file), "%s-signed-request.txt", v);
	sample = case_file(t->dir, file, NULL);
	assert_non_null(sample);
	want = t->presign ? field_after(sample, "X-Amz-SignedHeaders=", "& ")
	                  : field_after(sample, "SignedHeaders=", ", \n");
	expect_signed_headers(r.signed_headers, want, t->presign);
	if (t->presign) {
		expect_query_params(t->dir, r.query);
		assert_int_equal(r.n_add, 0);
	} else {
		assert_null(r.query);
		expect_added_headers(t->dir, &r);
	}
	free(want);
	free(sample);
	aws_sigv4_result_release(&r);
	suite_case_release(&c);
}

/* The case directories, sorted; fills names (caller frees) and returns the count. */
static size_t
suite_list(char ***names)
{
	DIR *d = opendir(test_path(SUITE_DIR));
	struct dirent *e;
	size_t n = 0;

	*names = NULL;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		*names = realloc(*names, (n + 1) * sizeof(**names));
		(*names)[n++] = strdup(e->d_name);
	}
	closedir(d);
	return n;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_sigv4_suite_has_every_case(void **state)
{
	char **names;
	size_t i, n = suite_list(&names);

	(void)state;
	/* a missing or truncated copy of the suite must fail, not shrink the test */
	assert_int_equal(n, SUITE_CASES);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Promises of sigv4.h, one test each. */

static struct aws_creds example_creds = {
	.access_key_id = "AKIDEXAMPLE",
	.secret_access_key = EXAMPLE_SECRET,
};

static struct aws_sigv4_params
example_params(unsigned flags)
{
	return (struct aws_sigv4_params){ .creds = &example_creds,
		                          .region = "eu-west-1",
		                          .service = "lambda",
		                          .now = 1440938160,
		                          .flags = flags };
}

/* Signs GET path?query with Host plus extra headers; returns the result code. */
static int
sign_get(const char *path, const char *query, const struct aws_header *extra, size_t n_extra,
         const struct aws_sigv4_params *p, struct aws_sigv4_result *r, struct err *err)
{
	struct aws_header h[16] = { { "Host", "example.amazonaws.com" } };
	struct aws_sigv4_request req = { .method = "GET", .path = path, .query = query };

	assert_true(n_extra < 16);
	if (n_extra)
		memcpy(h + 1, extra, n_extra * sizeof(*extra));
	req.headers = h;
	req.n_headers = n_extra + 1;
	return aws_sigv4_sign(&req, p, r, err);
}

/* Line i (from 0) of the canonical request; caller frees. */
static char *
cr_line(const struct aws_sigv4_result *r, int i)
{
	const char *p = r->canonical_request;

	while (i-- > 0) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	return strndup(p, strcspn(p, "\n"));
}

static void
expect_cr_line(const char *path, const char *query, unsigned flags, int line, const char *want)
{
	struct aws_sigv4_params p = example_params(flags);
	struct aws_sigv4_result r;
	char *got;

	assert_int_equal(sign_get(path, query, NULL, 0, &p, &r, NULL), 0);
	got = cr_line(&r, line);
	assert_string_equal(got, want);
	free(got);
	aws_sigv4_result_release(&r);
}

static void
test_sigv4_uri_encode_keeps_unreserved_and_maybe_slash(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(aws_uri_encode(&b, "a-_.~/ b%\xc3\xa9+*", 13, 1), 0);
	assert_string_equal(buf_cstr(&b), "a-_.~/%20b%25%C3%A9%2B%2A");
	buf_reset(&b);
	assert_int_equal(aws_uri_encode(&b, "/x/", 3, 0), 0);
	assert_string_equal(buf_cstr(&b), "%2Fx%2F");
	buf_release(&b);
}

static void
test_sigv4_sha256_hex_is_lower_case_digest(void **state)
{
	char out[65];

	(void)state;
	aws_sha256_hex("", 0, out);
	assert_string_equal(out,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	aws_sha256_hex("abc", 3, out);
	assert_string_equal(out,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_sigv4_path_encoded_again_unless_no_double_encode(void **state)
{
	(void)state;
	expect_cr_line("/a%20b/c~d", NULL, 0, 1, "/a%2520b/c~d");
	expect_cr_line("/a%20b/c~d", NULL, AWS_SIGV4_NO_DOUBLE_ENCODE, 1, "/a%20b/c~d");
	expect_cr_line("/a/./b//", NULL, AWS_SIGV4_NO_DOUBLE_ENCODE, 1, "/a/./b//");
	expect_cr_line("", NULL, 0, 1, "/");
}

static void
test_sigv4_normalize_removes_dot_segments_and_slashes(void **state)
{
	(void)state;
	expect_cr_line("/a/./b/../c//d/", NULL, AWS_SIGV4_NORMALIZE_PATH, 1, "/a/c/d/");
	expect_cr_line("/a/..", NULL, AWS_SIGV4_NORMALIZE_PATH, 1, "/");
	expect_cr_line("/../../x", NULL, AWS_SIGV4_NORMALIZE_PATH, 1, "/x");
	expect_cr_line("/a/b/.", NULL, AWS_SIGV4_NORMALIZE_PATH, 1, "/a/b");
	expect_cr_line("/a/..b/...", NULL, AWS_SIGV4_NORMALIZE_PATH, 1, "/a/..b/...");
	expect_cr_line("/a/./b", NULL, 0, 1, "/a/./b");
}

static void
test_sigv4_query_recoded_and_sorted_by_key_then_value(void **state)
{
	(void)state;
	expect_cr_line("/", "b=2&a=&a&A=1&c=%2f%7E&b=1", 0, 2, "A=1&a=&a=&b=1&b=2&c=%2F~");
	expect_cr_line("/", "\xc3\xa9=x+y&k=v=w&&%zz=%", 0, 2, "=&%25zz=%25&%C3%A9=x%2By&k=v%3Dw");
	expect_cr_line("/", "a-b=1&a=2", 0, 2, "a=2&a-b=1");
	expect_cr_line("/", "", 0, 2, "");
}

static void
test_sigv4_headers_folded_joined_and_some_never_signed(void **state)
{
	struct aws_header h[] = {
		{ "X-B", "  a   b\t " },
		{ "User-Agent", "shears" },
		{ "x-b", "\tc" },
		{ "Expect", "100-continue" },
		{ "X-Amzn-Trace-Id", "Root=1" },
		{ "X-Empty", "" },
		{ "X-Wide", "a\xc2\xa0\xc2\xa0"
		            "b\xe3\x80\x80 \x1f" }, /* NBSP, U+3000 */
	};
	struct aws_sigv4_params p = example_params(0);
	struct aws_sigv4_result r;
	char *line;

	(void)state;
	assert_int_equal(sign_get("/", NULL, h, 7, &p, &r, NULL), 0);
	assert_string_equal(r.signed_headers, "host;x-amz-date;x-b;x-empty;x-wide");
	line = cr_line(&r, 5);
	assert_string_equal(line, "x-b:a b,c");
	free(line);
	line = cr_line(&r, 6);
	assert_string_equal(line, "x-empty:");
	free(line);
	line = cr_line(&r, 7); /* folded as Python's str.split() does, like botocore */
	assert_string_equal(line, "x-wide:a b");
	free(line);
	aws_sigv4_result_release(&r);
}

static void
test_sigv4_retry_replaces_headers_it_added(void **state)
{
	struct aws_header old[] = {
		{ "Authorization", "AWS4-HMAC-SHA256 Credential=old" },
		{ "X-Amz-Date", "19990101T000000Z" },
		{ "X-Amz-Security-Token", "stale" },
	};
	struct aws_sigv4_params p = example_params(0);
	struct aws_sigv4_result fresh, retry;

	(void)state;
	assert_int_equal(sign_get("/f", "x=1", NULL, 0, &p, &fresh, NULL), 0);
	assert_int_equal(sign_get("/f", "x=1", old, 3, &p, &retry, NULL), 0);
	assert_string_equal(retry.canonical_request, fresh.canonical_request);
	assert_string_equal(retry.signature, fresh.signature);
	assert_int_equal(fresh.n_add, 2);
	assert_string_equal(fresh.add[0].name, "X-Amz-Date");
	assert_string_equal(fresh.add[0].value, "20150830T123600Z");
	assert_string_equal(fresh.add[1].name, "Authorization");
	assert_non_null(strstr(fresh.add[1].value, "SignedHeaders=host;x-amz-date, Signature="));
	aws_sigv4_result_release(&fresh);
	aws_sigv4_result_release(&retry);
}

static void
test_sigv4_content_sha256_added_signed_and_may_be_unsigned(void **state)
{
	struct aws_sigv4_params p =
	        example_params(AWS_SIGV4_CONTENT_SHA256 | AWS_SIGV4_NO_DOUBLE_ENCODE);
	struct aws_header h = { "Host", "b.s3.amazonaws.com" };
	struct aws_sigv4_request req = { .method = "put",
		                         .path = "/k",
		                         .headers = &h,
		                         .n_headers = 1,
		                         .body = "abc",
		                         .body_len = 3 };
	struct aws_sigv4_result r;

	(void)state;
	p.service = "s3";
	assert_int_equal(aws_sigv4_sign(&req, &p, &r, NULL), 0);
	assert_string_equal(r.payload_hash,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(r.signed_headers, "host;x-amz-content-sha256;x-amz-date");
	assert_int_equal(strncmp(r.canonical_request, "PUT\n/k\n", 7), 0);
	assert_string_equal(r.add[1].name, "X-Amz-Content-SHA256");
	assert_string_equal(r.add[1].value, r.payload_hash);
	aws_sigv4_result_release(&r);
	req.payload_hash = "UNSIGNED-PAYLOAD";
	assert_int_equal(aws_sigv4_sign(&req, &p, &r, NULL), 0);
	assert_string_equal(r.add[1].value, "UNSIGNED-PAYLOAD");
	assert_non_null(strstr(r.canonical_request, "\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"));
	assert_string_equal(strrchr(r.canonical_request, '\n'), "\nUNSIGNED-PAYLOAD");
	aws_sigv4_result_release(&r);
}

static void
test_sigv4_omitted_token_is_sent_but_not_signed(void **state)
{
	struct aws_creds c = example_creds;
	struct aws_sigv4_params p = example_params(AWS_SIGV4_OMIT_TOKEN);
	struct aws_sigv4_result r;

	(void)state;
	snprintf(c.session_token, sizeof(c.session_token), "tok/en+=");
	p.creds = &c;
	assert_int_equal(sign_get("/", NULL, NULL, 0, &p, &r, NULL), 0);
	assert_string_equal(r.signed_headers, "host;x-amz-date");
	assert_int_equal(r.n_add, 3);
	assert_string_equal(r.add[1].name, "X-Amz-Security-Token");
	assert_string_equal(r.add[1].value, "tok/en+=");
	aws_sigv4_result_release(&r);
	p.flags = AWS_SIGV4_OMIT_TOKEN | AWS_SIGV4_PRESIGN;
	assert_int_equal(sign_get("/", NULL, NULL, 0, &p, &r, NULL), 0);
	assert_null(strstr(r.canonical_request, "Token"));
	assert_non_null(strstr(r.query, "&X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-Signature="));
	aws_sigv4_result_release(&r);
}

static void
test_sigv4_presigned_query_ends_with_signature(void **state)
{
	struct aws_sigv4_params p = example_params(AWS_SIGV4_PRESIGN);
	struct aws_sigv4_result r;
	char want[128], *line;

	(void)state;
	assert_int_equal(sign_get("/", "z=1", NULL, 0, &p, &r, NULL), 0);
	snprintf(want, sizeof(want), "&X-Amz-Signature=%s", r.signature);
	assert_string_equal(r.query + strlen(r.query) - strlen(want), want);
	assert_int_equal(strncmp(r.query, "X-Amz-Algorithm=AWS4-HMAC-SHA256&", 33), 0);
	assert_non_null(strstr(r.query, "&X-Amz-Expires=3600&")); /* 0 means an hour */
	assert_non_null(strstr(r.query, "&z=1&X-Amz-Signature="));
	aws_sigv4_result_release(&r);
	/* empty pieces are dropped here, as botocore's parse_qs does */
	assert_int_equal(sign_get("/", "b&&a&", NULL, 0, &p, &r, NULL), 0);
	line = cr_line(&r, 2);
	assert_int_equal(strncmp(line, "X-Amz-Algorithm=", 16), 0);
	assert_string_equal(line + strlen(line) - 6, "&a=&b=");
	free(line);
	aws_sigv4_result_release(&r);
}

static void
test_sigv4_errors_never_show_the_secret(void **state)
{
	struct aws_header h[15];
	char names[15][80];
	struct aws_sigv4_params p = example_params(0);
	struct aws_sigv4_result r;
	struct err err = { 0 };
	char region[300];
	int i;

	(void)state;
	for (i = 0; i < 15; i++) {
		snprintf(names[i], sizeof(names[i]), "x-long-header-name-%02d-%050d", i, 0);
		h[i] = (struct aws_header){ names[i], "v" };
	}
	assert_int_equal(sign_get("/", NULL, h, 15, &p, &r, &err), ERR_LIMIT);
	assert_null(strstr(err.msg, EXAMPLE_SECRET));
	assert_null(strstr(err.msg, "wJalr"));
	assert_null(r.canonical_request);
	memset(region, 'r', sizeof(region) - 1);
	region[sizeof(region) - 1] = '\0';
	p.region = region;
	assert_int_equal(sign_get("/", NULL, NULL, 0, &p, &r, &err), ERR_LIMIT);
	assert_null(strstr(err.msg, "wJalr"));
	aws_sigv4_result_release(&r);
	aws_sigv4_result_release(&r);
}

int
main(void)
{
	static const struct CMUnitTest promises[] = {
		cmocka_unit_test(test_sigv4_suite_has_every_case),
		cmocka_unit_test(test_sigv4_uri_encode_keeps_unreserved_and_maybe_slash),
		cmocka_unit_test(test_sigv4_sha256_hex_is_lower_case_digest),
		cmocka_unit_test(test_sigv4_path_encoded_again_unless_no_double_encode),
		cmocka_unit_test(test_sigv4_normalize_removes_dot_segments_and_slashes),
		cmocka_unit_test(test_sigv4_query_recoded_and_sorted_by_key_then_value),
		cmocka_unit_test(test_sigv4_headers_folded_joined_and_some_never_signed),
		cmocka_unit_test(test_sigv4_retry_replaces_headers_it_added),
		cmocka_unit_test(test_sigv4_content_sha256_added_signed_and_may_be_unsigned),
		cmocka_unit_test(test_sigv4_omitted_token_is_sent_but_not_signed),
		cmocka_unit_test(test_sigv4_presigned_query_ends_with_signature),
		cmocka_unit_test(test_sigv4_errors_never_show_the_secret),
	};
	size_t np = sizeof(promises) / sizeof(promises[0]);
	char **names, label[300];
	size_t i, n = suite_list(&names);
	struct CMUnitTest *tests = calloc(np + 2 * n, sizeof(*tests));
	struct suite_test *st = calloc(2 * n + 1, sizeof(*st));
	int rc;

	memcpy(tests, promises, sizeof(promises));
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < 2 * n; i++) {
		snprintf(st[i].dir, sizeof(st[i].dir), "%s", names[i / 2]);
		st[i].presign = (int)(i % 2);
		snprintf(label, sizeof(label), "sigv4_suite %s %s", st[i].dir,
		         st[i].presign ? "query" : "header");
		tests[np + i] = (struct CMUnitTest){ .name = strdup(label),
			                             .test_func = test_sigv4_suite_case,
			                             .initial_state = &st[i] };
	}
	rc = _cmocka_run_group_tests("sigv4", tests, np + 2 * n, NULL, NULL);
	for (i = 0; i < 2 * n; i++)
		free((char *)tests[np + i].name);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	free(st);
	return rc;
}
