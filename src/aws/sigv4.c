/*
 * AWS Signature Version 4 (see sigv4.h for the contract).
 *
 * Design notes:
 *  1. The canonical request is built in one struct buf (cap SIGV4_MAX_TEXT)
 *     by canonical_request_build(): method, path (path_write), query
 *     (query_write, params_parse), headers (headers_collect, headers_write),
 *     signed header names (signed_headers_fill), payload hash
 *     (payload_hash_fill, done first in ctx_init).
 *  2. Headers the signer adds itself (x-amz-date, x-amz-security-token,
 *     x-amz-content-sha256) and Authorization are dropped from the caller's
 *     list first (header_owned), so a retried request signs the same way.
 *  3. Presigning: the signed header names are known before the query is
 *     written, because X-Amz-SignedHeaders is part of the signed query.
 *  4. Key material ("AWS4" + secret and every derived key) lives in stack
 *     buffers wiped with explicit_bzero before signature_compute() returns;
 *     the secret never reaches an error message.
 */
#include "aws/sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "util/err.h"
#include "util/xmalloc.h"

#define SIGV4_MAX_TEXT          ((size_t)16 << 20) /* canonical request, query, header values */
#define SIGV4_ALGORITHM         "AWS4-HMAC-SHA256"
#define SIGV4_DEFAULT_EXPIRES_S 3600

/* A request header after lower-casing its name; value borrowed. */
struct sigv4_header {
	char *name;
	const char *value;
	size_t order; /* keeps repeated names in the order given */
};

/* A query parameter, key and value already in canonical encoding. */
struct sigv4_param {
	char *key;
	char *value;
};

struct sigv4_params_list {
	struct sigv4_param *v;
	size_t n, cap;
};

/* What one signing needs besides the request: dates, scope, payload. */
struct sigv4_ctx {
	const struct aws_sigv4_request *req;
	const struct aws_sigv4_params *params;
	struct aws_sigv4_result *out;
	char date[9];           /* 20150830 */
	char scope[256];        /* date/region/service/aws4_request */
	int sign_token;         /* token goes into the signed part */
	int add_content_sha256; /* header x-amz-content-sha256 added and signed */
};

static const char hex_digits[] = "0123456789abcdef";

static void
hex_encode(const unsigned char *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex_digits[p[i] >> 4];
		out[2 * i + 1] = hex_digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void
aws_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!EVP_Digest(data ? data : "", n, md, &len, EVP_sha256(), NULL) || len != 32)
		abort(); /* only fails when libcrypto itself is broken */
	hex_encode(md, 32, out);
}

static void
hmac_sha256(const void *key, size_t key_len, const char *msg, size_t n, unsigned char out[32])
{
	unsigned int len = 0;

	if (!HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg, n, out, &len) ||
	    len != 32)
		abort();
}

static int
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

int
aws_uri_encode(struct buf *out, const char *s, size_t n, int keep_slash)
{
	static const char upper[] = "0123456789ABCDEF";
	char esc[3] = { '%', 0, 0 };
	size_t i, run;

	for (i = 0; i < n; i += run) {
		unsigned char c = (unsigned char)s[i];

		for (run = 0; i + run < n; run++) {
			c = (unsigned char)s[i + run];
			if (!is_unreserved(c) && !(keep_slash && c == '/'))
				break;
		}
		if (run && buf_append(out, s + i, run))
			return ERR_LIMIT;
		if (i + run == n)
			break;
		esc[1] = upper[c >> 4];
		esc[2] = upper[c & 15];
		if (buf_append(out, esc, 3))
			return ERR_LIMIT;
		run++;
	}
	return 0;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %XX (a '%' not followed by two hex digits stays as it is), then encodes. */
static char *
query_recode(const char *s, size_t n, int *rc)
{
	char *raw = xmalloc(n + 1);
	size_t i, len = 0;
	struct buf b;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hex_value(s[i + 1]) >= 0 &&
		    hex_value(s[i + 2]) >= 0) {
			raw[len++] = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
			i += 2;
		} else {
			raw[len++] = s[i];
		}
	}
	buf_init(&b, SIGV4_MAX_TEXT);
	*rc = aws_uri_encode(&b, raw, len, 0);
	if (!*rc)
		*rc = buf_append(&b, "", 0); /* an empty value still gets a string */
	free(raw);
	return *rc ? NULL : buf_take(&b, NULL);
}

static void
params_push(struct sigv4_params_list *l, char *key, char *value)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n].key = key;
	l->v[l->n].value = value;
	l->n++;
}

static void
params_release(struct sigv4_params_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Adds key=value with value given raw (it is encoded here). */
static int
params_add(struct sigv4_params_list *l, const char *key, const char *value)
{
	int rc = 0;
	char *v = query_recode(value, strlen(value), &rc);

	if (rc)
		return rc;
	params_push(l, xstrdup(key), v);
	return 0;
}

/*
 * Splits the query as on the wire. An empty piece ("a=1&&b=2", a trailing '&')
 * is a parameter with empty key and value when signing headers, and is skipped
 * when presigning: botocore's SigV4Auth splits on '&' itself, while its
 * SigV4QueryAuth goes through parse_qs.
 */
static int
params_parse(struct sigv4_params_list *l, const char *q, int keep_empty)
{
	if (!q || !*q)
		return 0;
	for (;;) {
		size_t n = strcspn(q, "&");
		const char *eq = memchr(q, '=', n);
		size_t kn = eq ? (size_t)(eq - q) : n;
		char *k, *v;
		int rc = 0;

		if (n || keep_empty) {
			k = query_recode(q, kn, &rc);
			if (rc)
				return rc;
			v = eq ? query_recode(eq + 1, n - kn - 1, &rc) : xstrdup("");
			if (rc) {
				free(k);
				return rc;
			}
			params_push(l, k, v);
		}
		if (!q[n])
			return 0;
		q += n + 1;
	}
}

static int
param_cmp(const void *a, const void *b)
{
	const struct sigv4_param *pa = a, *pb = b;
	int c = strcmp(pa->key, pb->key);

	return c ? c : strcmp(pa->value, pb->value);
}

/* Sorts l and appends "k=v&k=v" to out. */
static int
params_join(struct sigv4_params_list *l, struct buf *out)
{
	size_t i;

	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), param_cmp);
	for (i = 0; i < l->n; i++) {
		if (buf_printf(out, "%s%s=%s", i ? "&" : "", l->v[i].key, l->v[i].value))
			return ERR_LIMIT;
	}
	return buf_append(out, "", 0);
}

/* botocore utils.remove_dot_segments: drops ".", "..", and empty segments. */
static char *
path_normalize(const char *path)
{
	size_t n = strlen(path), len = 0, seg;
	size_t base = *path == '/'; /* out[0..base) is never removed */
	char *out = xmalloc(n + 2);
	const char *p = path;

	if (base)
		out[len++] = '/';
	while (*p) {
		p += strspn(p, "/");
		seg = strcspn(p, "/");
		if (seg == 2 && p[0] == '.' && p[1] == '.') {
			if (len > base)
				len--; /* the '/' ending the last segment */
			while (len > base && out[len - 1] != '/')
				len--;
		} else if (seg && !(seg == 1 && p[0] == '.')) {
			memcpy(out + len, p, seg);
			len += seg;
			out[len++] = '/';
		}
		p += seg;
	}
	/* keep a trailing '/' only when the input had one and a segment remains */
	if (len > base && path[n - 1] != '/')
		len--;
	out[len] = '\0';
	return out;
}

/* Returns the length of the whitespace character at p as Python's str.split() sees it, or 0. */
static size_t
space_len(const unsigned char *p)
{
	if ((*p >= 0x09 && *p <= 0x0d) || (*p >= 0x1c && *p <= 0x20))
		return 1;
	if (p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2;
	if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
		return 3; /* U+1680 */
	if (p[0] == 0xe2 && p[1] == 0x80 &&
	    ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
		return 3; /* U+2000..200A, U+2028, U+2029, U+202F */
	if ((p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) ||
	    (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80))
		return 3; /* U+205F, U+3000 */
	return 0;
}

/* Appends value with leading and trailing space dropped and inner runs folded to one ' '. */
static int
header_value_fold(struct buf *out, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	int first = 1;
	size_t w, run;

	while (*p) {
		w = space_len(p);
		if (w) {
			p += w;
			continue;
		}
		for (run = 0; p[run] && !space_len(p + run); run++)
			;
		if (!first && buf_putc(out, ' '))
			return ERR_LIMIT;
		if (buf_append(out, p, run))
			return ERR_LIMIT;
		first = 0;
		p += run;
	}
	return 0;
}

/* Headers the signer sets itself, and those botocore never signs. */
static int
header_owned(const struct sigv4_ctx *ctx, const char *lname)
{
	static const char *const always[] = {
		"authorization", "x-amz-date", "x-amz-security-token",
		"expect",        "user-agent", "x-amzn-trace-id",
	};
	size_t i;

	for (i = 0; i < sizeof(always) / sizeof(always[0]); i++) {
		if (!strcmp(lname, always[i]))
			return 1;
	}
	return ctx->add_content_sha256 && !strcmp(lname, "x-amz-content-sha256");
}

static char *
lower_dup(const char *s)
{
	char *d = xstrdup(s);
	char *p;

	for (p = d; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	return d;
}

static void
headers_push(struct sigv4_header *v, size_t *n, char *lname, const char *value)
{
	v[*n].name = lname;
	v[*n].value = value;
	v[*n].order = *n;
	(*n)++;
}

static int
header_cmp(const void *a, const void *b)
{
	const struct sigv4_header *ha = a, *hb = b;
	int c = strcmp(ha->name, hb->name);

	if (c)
		return c;
	return ha->order < hb->order ? -1 : ha->order > hb->order;
}

/* The headers to sign, sorted; the caller frees each name and the array. */
static struct sigv4_header *
headers_collect(const struct sigv4_ctx *ctx, size_t *n)
{
	const struct aws_sigv4_request *req = ctx->req;
	const struct aws_creds *creds = ctx->params->creds;
	struct sigv4_header *v = xcalloc(req->n_headers + 3, sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < req->n_headers; i++) {
		char *lname = lower_dup(req->headers[i].name);

		if (header_owned(ctx, lname))
			free(lname);
		else
			headers_push(v, n, lname,
			             req->headers[i].value ? req->headers[i].value : "");
	}
	if (!(ctx->params->flags & AWS_SIGV4_PRESIGN)) {
		headers_push(v, n, xstrdup("x-amz-date"), ctx->out->amz_date);
		if (ctx->sign_token)
			headers_push(v, n, xstrdup("x-amz-security-token"), creds->session_token);
		if (ctx->add_content_sha256)
			headers_push(v, n, xstrdup("x-amz-content-sha256"), ctx->out->payload_hash);
	}
	qsort(v, *n, sizeof(*v), header_cmp);
	return v;
}

static void
headers_free(struct sigv4_header *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* Fills ctx->out->signed_headers ("host;x-amz-date"). */
static int
signed_headers_fill(struct sigv4_ctx *ctx, const struct sigv4_header *v, size_t n, struct err *err)
{
	char *o = ctx->out->signed_headers;
	size_t len = 0, i, k;

	o[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i && !strcmp(v[i].name, v[i - 1].name))
			continue;
		k = strlen(v[i].name);
		if (len + k + 2 > sizeof(ctx->out->signed_headers))
			return err_set(err, ERR_LIMIT, "sigv4: signed header names over %zu bytes",
			               sizeof(ctx->out->signed_headers) - 1);
		if (len)
			o[len++] = ';';
		memcpy(o + len, v[i].name, k + 1);
		len += k;
	}
	return 0;
}

/* "name:v1,v2\n" for each distinct name, repeated names joined in the order given. */
static int
headers_write(struct buf *cr, const struct sigv4_header *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int same = i && !strcmp(v[i].name, v[i - 1].name);

		if (same ? buf_putc(cr, ',') : buf_printf(cr, "%s%s:", i ? "\n" : "", v[i].name))
			return ERR_LIMIT;
		if (header_value_fold(cr, v[i].value))
			return ERR_LIMIT;
	}
	return buf_puts(cr, "\n\n");
}

static int
path_write(struct buf *cr, const char *path, unsigned flags)
{
	char *norm = NULL;
	int rc;

	if (!path || !*path)
		path = "/";
	if (flags & AWS_SIGV4_NORMALIZE_PATH) {
		norm = path_normalize(path);
		path = norm;
	}
	if (flags & AWS_SIGV4_NO_DOUBLE_ENCODE)
		rc = buf_puts(cr, path);
	else
		rc = aws_uri_encode(cr, path, strlen(path), 1);
	free(norm);
	return rc;
}

/* The X-Amz-* parameters of a presigned URL that are signed. */
static int
presign_params_add(struct sigv4_ctx *ctx, struct sigv4_params_list *l)
{
	const struct aws_sigv4_params *p = ctx->params;
	char cred[512], expires[24];
	int rc;

	snprintf(cred, sizeof(cred), "%s/%s", p->creds->access_key_id, ctx->scope);
	snprintf(expires, sizeof(expires), "%ld",
	         p->expires_s > 0 ? p->expires_s : (long)SIGV4_DEFAULT_EXPIRES_S);
	rc = params_add(l, "X-Amz-Algorithm", SIGV4_ALGORITHM);
	if (!rc)
		rc = params_add(l, "X-Amz-Credential", cred);
	if (!rc)
		rc = params_add(l, "X-Amz-Date", ctx->out->amz_date);
	if (!rc)
		rc = params_add(l, "X-Amz-Expires", expires);
	if (!rc)
		rc = params_add(l, "X-Amz-SignedHeaders", ctx->out->signed_headers);
	if (!rc && ctx->sign_token)
		rc = params_add(l, "X-Amz-Security-Token", p->creds->session_token);
	return rc;
}

/* Writes the canonical query; for a presigned URL, also keeps it as out->query. */
static int
query_write(struct sigv4_ctx *ctx, struct buf *cr)
{
	struct sigv4_params_list l = { 0 };
	struct buf q;
	int rc;

	buf_init(&q, SIGV4_MAX_TEXT);
	rc = params_parse(&l, ctx->req->query, !(ctx->params->flags & AWS_SIGV4_PRESIGN));
	if (!rc && (ctx->params->flags & AWS_SIGV4_PRESIGN))
		rc = presign_params_add(ctx, &l);
	if (!rc)
		rc = params_join(&l, &q);
	if (!rc)
		rc = buf_append(cr, q.data, q.len);
	if (!rc && (ctx->params->flags & AWS_SIGV4_PRESIGN))
		ctx->out->query = buf_take(&q, NULL);
	buf_release(&q);
	params_release(&l);
	return rc;
}

/* Which payload hash is signed: given, the caller's x-amz-content-sha256, or SHA-256 of body. */
static void
payload_hash_fill(struct sigv4_ctx *ctx)
{
	const struct aws_sigv4_request *req = ctx->req;
	const char *given = req->payload_hash;
	size_t i;

	for (i = 0; !given && !ctx->add_content_sha256 && i < req->n_headers; i++) {
		if (!strcasecmp(req->headers[i].name, "x-amz-content-sha256"))
			given = req->headers[i].value;
	}
	if (given)
		snprintf(ctx->out->payload_hash, sizeof(ctx->out->payload_hash), "%s", given);
	else
		aws_sha256_hex(req->body, req->body_len, ctx->out->payload_hash);
}

/* Method (upper case, as botocore), path and query lines of the canonical request. */
static int
request_line_write(struct sigv4_ctx *ctx, struct buf *cr)
{
	const char *m;

	for (m = ctx->req->method; *m; m++) {
		if (buf_putc(cr, (char)(*m >= 'a' && *m <= 'z' ? *m - 'a' + 'A' : *m)))
			return ERR_LIMIT;
	}
	if (buf_putc(cr, '\n') || path_write(cr, ctx->req->path, ctx->params->flags))
		return ERR_LIMIT;
	if (buf_putc(cr, '\n') || query_write(ctx, cr) || buf_putc(cr, '\n'))
		return ERR_LIMIT;
	return 0;
}

static int
canonical_request_build(struct sigv4_ctx *ctx, struct err *err)
{
	struct sigv4_header *hv;
	size_t hn = 0;
	struct buf cr;
	int rc;

	buf_init(&cr, SIGV4_MAX_TEXT);
	hv = headers_collect(ctx, &hn);
	rc = signed_headers_fill(ctx, hv, hn, err);
	if (rc)
		goto out;
	if (request_line_write(ctx, &cr) || headers_write(&cr, hv, hn) ||
	    buf_printf(&cr, "%s\n%s", ctx->out->signed_headers, ctx->out->payload_hash)) {
		rc = err_set(err, ERR_LIMIT, "sigv4: canonical request over %zu bytes",
		             SIGV4_MAX_TEXT);
		goto out;
	}
	ctx->out->canonical_request = buf_take(&cr, NULL);
out:
	buf_release(&cr);
	headers_free(hv, hn);
	return rc;
}

static void
string_to_sign_build(struct sigv4_ctx *ctx)
{
	char hash[65];
	struct buf b;

	aws_sha256_hex(ctx->out->canonical_request, strlen(ctx->out->canonical_request), hash);
	buf_init(&b, 0);
	if (buf_printf(&b, SIGV4_ALGORITHM "\n%s\n%s\n%s", ctx->out->amz_date, ctx->scope, hash))
		abort(); /* a few hundred bytes under a 64 MiB cap */
	ctx->out->string_to_sign = buf_take(&b, NULL);
}

/* HMAC chain from "AWS4" + secret down to the signature; every key is wiped. */
static void
signature_compute(struct sigv4_ctx *ctx)
{
	const struct aws_sigv4_params *p = ctx->params;
	char secret[4 + sizeof(p->creds->secret_access_key)];
	unsigned char k1[32], k2[32], sig[32];
	const char *sts = ctx->out->string_to_sign;
	int n;

	n = snprintf(secret, sizeof(secret), "AWS4%s", p->creds->secret_access_key);
	if (n < 0 || (size_t)n >= sizeof(secret))
		n = (int)sizeof(secret) - 1; /* cannot happen: the field is NUL-terminated */
	hmac_sha256(secret, (size_t)n, ctx->date, strlen(ctx->date), k1);
	explicit_bzero(secret, sizeof(secret));
	hmac_sha256(k1, 32, p->region, strlen(p->region), k2);
	hmac_sha256(k2, 32, p->service, strlen(p->service), k1);
	hmac_sha256(k1, 32, "aws4_request", 12, k2);
	hmac_sha256(k2, 32, sts, strlen(sts), sig);
	explicit_bzero(k1, sizeof(k1));
	explicit_bzero(k2, sizeof(k2));
	hex_encode(sig, 32, ctx->out->signature);
}

static void
result_add(struct aws_sigv4_result *out, const char *name, char *value)
{
	snprintf(out->add[out->n_add].name, sizeof(out->add[0].name), "%s", name);
	out->add[out->n_add].value = value;
	out->n_add++;
}

/* Header signing: X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-SHA256, Authorization. */
static void
result_headers_fill(struct sigv4_ctx *ctx)
{
	const struct aws_creds *creds = ctx->params->creds;
	struct aws_sigv4_result *out = ctx->out;
	struct buf b;

	result_add(out, "X-Amz-Date", xstrdup(out->amz_date));
	if (creds->session_token[0])
		result_add(out, "X-Amz-Security-Token", xstrdup(creds->session_token));
	if (ctx->add_content_sha256)
		result_add(out, "X-Amz-Content-SHA256", xstrdup(out->payload_hash));
	buf_init(&b, 0);
	if (buf_printf(&b, SIGV4_ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
	               creds->access_key_id, ctx->scope, out->signed_headers, out->signature))
		abort(); /* bounded by the fixed-size fields above */
	result_add(out, "Authorization", buf_take(&b, NULL));
}

/* Presigning: the signed query, then an omitted token, then X-Amz-Signature. */
static int
result_query_fill(struct sigv4_ctx *ctx, struct err *err)
{
	const struct aws_creds *creds = ctx->params->creds;
	struct buf b;
	int rc;

	buf_init(&b, SIGV4_MAX_TEXT);
	rc = buf_puts(&b, ctx->out->query);
	if (!rc && creds->session_token[0] && !ctx->sign_token) {
		rc = buf_puts(&b, "&X-Amz-Security-Token=");
		if (!rc)
			rc = aws_uri_encode(&b, creds->session_token, strlen(creds->session_token),
			                    0);
	}
	if (!rc)
		rc = buf_printf(&b, "&X-Amz-Signature=%s", ctx->out->signature);
	if (rc)
		return err_set(err, ERR_LIMIT, "sigv4: query over %zu bytes", SIGV4_MAX_TEXT);
	free(ctx->out->query);
	ctx->out->query = buf_take(&b, NULL);
	return 0;
}

static int
ctx_init(struct sigv4_ctx *ctx, const struct aws_sigv4_request *req,
         const struct aws_sigv4_params *params, struct aws_sigv4_result *out, struct err *err)
{
	unsigned flags = params->flags;
	struct tm tm;

	memset(ctx, 0, sizeof(*ctx));
	ctx->req = req;
	ctx->params = params;
	ctx->out = out;
	if (!params->creds)
		return err_set(err, ERR_CREDS, "sigv4: no credentials");
	if (!req->method || !*req->method || !params->region || !params->service)
		return err_set(err, ERR_PARSE, "sigv4: request without method, region or service");
	if (!gmtime_r(&params->now, &tm))
		return err_set(err, ERR_PARSE, "sigv4: time %lld out of range",
		               (long long)params->now);
	strftime(out->amz_date, sizeof(out->amz_date), "%Y%m%dT%H%M%SZ", &tm);
	if (strlen(out->amz_date) != 16)
		return err_set(err, ERR_PARSE, "sigv4: time %lld out of range",
		               (long long)params->now);
	memcpy(ctx->date, out->amz_date, 8);
	if ((size_t)snprintf(ctx->scope, sizeof(ctx->scope), "%s/%s/%s/aws4_request", ctx->date,
	                     params->region, params->service) >= sizeof(ctx->scope))
		return err_set(err, ERR_LIMIT, "sigv4: region or service name too long");
	ctx->sign_token = params->creds->session_token[0] && !(flags & AWS_SIGV4_OMIT_TOKEN);
	ctx->add_content_sha256 =
	        (flags & AWS_SIGV4_CONTENT_SHA256) && !(flags & AWS_SIGV4_PRESIGN);
	payload_hash_fill(ctx);
	return 0;
}

int
aws_sigv4_sign(const struct aws_sigv4_request *req, const struct aws_sigv4_params *params,
               struct aws_sigv4_result *out, struct err *err)
{
	struct sigv4_ctx ctx;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ctx_init(&ctx, req, params, out, err);
	if (!rc)
		rc = canonical_request_build(&ctx, err);
	if (rc) {
		aws_sigv4_result_release(out);
		return rc;
	}
	string_to_sign_build(&ctx);
	signature_compute(&ctx);
	if (params->flags & AWS_SIGV4_PRESIGN)
		rc = result_query_fill(&ctx, err);
	else
		result_headers_fill(&ctx);
	if (rc)
		aws_sigv4_result_release(out);
	return rc;
}

void
aws_sigv4_result_release(struct aws_sigv4_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n_add; i++)
		free(r->add[i].value);
	free(r->canonical_request);
	free(r->string_to_sign);
	free(r->query);
	memset(r, 0, sizeof(*r));
}
