/*
 * Building and sending a plan's calls (act/call.h): one function per
 * protocol turns the call's data into the request the service expects.
 */
#include "act/call.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/xmalloc.h"

cJSON *
act_call_new(const char *service, const char *operation)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "service", service);
	cJSON_AddStringToObject(c, "operation", operation);
	return c;
}

cJSON *
act_call_add(cJSON *calls, const char *service, const char *operation)
{
	cJSON *c = act_call_new(service, operation);

	cJSON_AddItemToArray(calls, c);
	return c;
}

int
act_call_path(cJSON *call, const char *method, const char *fmt, const char *name, struct err *err)
{
	struct buf enc;
	char path[1024];
	int len;

	buf_init(&enc, 256);
	if (aws_uri_encode(&enc, name, strlen(name), 0)) {
		buf_release(&enc);
		return err_set(err, ERR_LIMIT, "name too long for a path");
	}
	len = snprintf(path, sizeof(path), fmt, buf_cstr(&enc));
	buf_release(&enc);
	if (len < 0 || (size_t)len >= sizeof(path))
		return err_set(err, ERR_LIMIT, "path too long");
	cJSON_AddStringToObject(call, "method", method);
	cJSON_AddStringToObject(call, "path", path);
	return 0;
}

void
act_call_param(cJSON *call, const char *name, const char *value)
{
	cJSON *params = cJSON_GetObjectItemCaseSensitive(call, "params");

	if (!params)
		params = cJSON_AddObjectToObject(call, "params");
	cJSON_AddStringToObject(params, name, value);
}

int
act_err_is(const struct err *err, const char *aws_code)
{
	return err && !strcmp(err->aws_code, aws_code);
}

/* Appends &key=value (value form-encoded) to b. */
static int
form_add(struct buf *b, const char *key, const char *value)
{
	int rc = buf_printf(b, "%s%s=", b->len ? "&" : "", key);

	if (!rc)
		rc = aws_uri_encode(b, value, strlen(value), 0);
	return rc;
}

/* The query protocol's body: Action, Version and the params, form-encoded. */
static int
query_body(const struct aws_service *svc, const cJSON *call, struct buf *body, struct err *err)
{
	const char *op = json_str(call, "operation");
	const cJSON *p;
	int rc = form_add(body, "Action", op);

	if (!rc)
		rc = form_add(body, "Version", svc->api_version ? svc->api_version : "");
	cJSON_ArrayForEach(p, json_path(call, "params"))
	{
		if (!rc && !cJSON_IsString(p))
			return err_set(err, ERR_PARSE, "%s: parameter %s is not a string", op,
			               p->string);
		if (!rc)
			rc = form_add(body, p->string, p->valuestring);
	}
	return rc ? err_set(err, ERR_LIMIT, "%s: request too large", op) : 0;
}

/* base64(md5(data)): S3 wants Content-MD5 on writes such as PutPublicAccessBlock. */
static void
content_md5(const char *data, size_t len, char *out, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	out[0] = '\0';
	if (n >= 25 && EVP_Digest(data, len, md, &md_len, EVP_md5(), NULL))
		EVP_EncodeBlock((unsigned char *)out, md, (int)md_len);
}

/* The request's body and headers by the service's protocol; the body's text in body. */
static int
build_request(const struct aws_service *svc, const cJSON *call, struct aws_request *req,
              struct aws_header *h, char *target, size_t target_n, char *md5, size_t md5_n,
              struct buf *body, struct err *err)
{
	const cJSON *json = cJSON_GetObjectItemCaseSensitive(call, "body");
	char *text = NULL;
	int rc = 0;

	switch (svc->protocol) {
	case AWS_PROTO_QUERY:
		rc = query_body(svc, call, body, err);
		h[req->n_headers++] =
		        (struct aws_header){ "Content-Type",
			                     "application/x-www-form-urlencoded; charset=utf-8" };
		req->method = "POST";
		req->path = "/";
		break;
	case AWS_PROTO_JSON:
		text = json ? cJSON_PrintUnformatted(json) : NULL;
		rc = buf_printf(body, "%s", text ? text : "{}");
		snprintf(target, target_n, "%s.%s", svc->target_prefix, req->operation);
		h[req->n_headers++] = (struct aws_header){ "X-Amz-Target", target };
		h[req->n_headers++] = (struct aws_header){
			"Content-Type", !strcmp(svc->json_version ? svc->json_version : "", "1.0")
			                        ? "application/x-amz-json-1.0"
			                        : "application/x-amz-json-1.1"
		};
		req->method = "POST";
		req->path = "/";
		break;
	case AWS_PROTO_REST_JSON:
		if (json) {
			text = cJSON_PrintUnformatted(json);
			rc = buf_printf(body, "%s", text);
			h[req->n_headers++] =
			        (struct aws_header){ "Content-Type", "application/json" };
		}
		break;
	case AWS_PROTO_REST_XML:
		if (json_str(call, "xml")) {
			rc = buf_printf(body, "%s", json_str(call, "xml"));
			content_md5(buf_cstr(body), body->len, md5, md5_n);
			h[req->n_headers++] =
			        (struct aws_header){ "Content-Type", "application/xml" };
			h[req->n_headers++] = (struct aws_header){ "Content-MD5", md5 };
		}
		break;
	}
	free(text);
	if (rc)
		return err->code ? rc
		                 : err_set(err, ERR_LIMIT, "%s: request too large", req->operation);
	if (!req->method || !req->path)
		return err_set(err, ERR_PARSE, "the call %s lacks its method or path",
		               req->operation);
	if (body->len) {
		req->body = buf_cstr(body);
		req->body_len = body->len;
	}
	return 0;
}

int
act_call_send(struct aws_client *c, const char *region, const char *resource, const cJSON *call,
              struct aws_answer *ans, struct err *err)
{
	const struct aws_service *svc = aws_service_find(json_str(call, "service"));
	struct aws_header h[3];
	struct aws_request req = { .service = svc,
		                   .operation = json_str(call, "operation"),
		                   .region = json_str(call, "region") ? json_str(call, "region")
		                                                      : region,
		                   .method = json_str(call, "method"),
		                   .path = json_str(call, "path"),
		                   .query = json_str(call, "query"),
		                   .headers = h,
		                   .resource = resource,
		                   .once = json_bool(call, "once", 0) };
	char target[128], md5[32];
	struct buf body;
	int rc;

	memset(ans, 0, sizeof(*ans));
	if (!svc || !req.operation)
		return err_set(err, ERR_PARSE, "a call names no known service or no operation");
	buf_init(&body, 1 << 20);
	rc = build_request(svc, call, &req, h, target, sizeof(target), md5, sizeof(md5), &body,
	                   err);
	if (!rc)
		rc = aws_client_call(c, &req, ans, err);
	buf_release(&body);
	return rc;
}

int
act_call_json(struct aws_client *c, const char *region, const cJSON *call, cJSON **answer,
              struct err *err)
{
	struct aws_answer ans;
	int rc = act_call_send(c, region, NULL, call, &ans, err);

	*answer = NULL;
	if (!rc) {
		*answer = json_parse(ans.body ? ans.body : "{}", ans.body ? ans.body_len : 2, err);
		rc = *answer ? 0 : ERR_PARSE;
	}
	aws_answer_release(&ans);
	return rc;
}

int
act_call_xml(struct aws_client *c, const char *region, const cJSON *call, struct xml_doc *doc,
             struct err *err)
{
	struct aws_answer ans;
	int rc = act_call_send(c, region, NULL, call, &ans, err);

	if (!rc)
		rc = xml_parse(ans.body ? ans.body : "", ans.body_len, doc, err);
	aws_answer_release(&ans);
	return rc;
}

/* The object at the dotted path in root, created on the way; the last name in *leaf. */
static cJSON *
make_parent(cJSON *root, const char *path, char *leaf, size_t n)
{
	const char *dot;

	while ((dot = strchr(path, '.'))) {
		char name[128];
		size_t len = (size_t)(dot - path);
		cJSON *child;

		if (len >= sizeof(name))
			return NULL;
		memcpy(name, path, len);
		name[len] = '\0';
		child = cJSON_GetObjectItemCaseSensitive(root, name);
		if (!child)
			child = cJSON_AddObjectToObject(root, name);
		if (!cJSON_IsObject(child))
			return NULL;
		root = child;
		path = dot + 1;
	}
	snprintf(leaf, n, "%s", path);
	return root;
}

/* The file named by the backup's member at path, base64-encoded. */
static int
file_base64(const cJSON *backup, const char *path, cJSON **out, struct err *err)
{
	const char *name = json_str(backup, path);
	unsigned char *data, *enc;
	size_t len = 0, got;
	FILE *f;

	if (!name)
		return err_set(err, ERR_PARSE, "the backup names no file at %s", path);
	f = fopen(name, "rb");
	if (!f)
		return err_set(err, ERR_IO, "cannot read '%s' from the backup", name);
	data = xmalloc(ACT_FILE_MAX + 1);
	while ((got = fread(data + len, 1, ACT_FILE_MAX + 1 - len, f)) > 0)
		len += got;
	fclose(f);
	if (len > ACT_FILE_MAX) {
		free(data);
		return err_set(err, ERR_LIMIT, "'%s' is larger than %zu bytes", name, ACT_FILE_MAX);
	}
	enc = xmalloc(4 * ((len + 2) / 3) + 1);
	EVP_EncodeBlock(enc, data, (int)len);
	free(data);
	*out = cJSON_CreateString((const char *)enc);
	free(enc);
	return 0;
}

int
act_call_fill(const cJSON *call, const cJSON *backup, cJSON **filled, struct err *err)
{
	const cJSON *m;
	int rc = 0;

	*filled = cJSON_Duplicate(call, 1);
	cJSON_DeleteItemFromObject(*filled, "from_backup");
	cJSON_ArrayForEach(m, json_path(call, "from_backup"))
	{
		cJSON *v = NULL, *parent;
		char leaf[128];

		if (!cJSON_IsString(m))
			continue;
		if (!strncmp(m->valuestring, "file:", 5))
			rc = file_base64(backup, m->valuestring + 5, &v, err);
		else if (json_path(backup, m->valuestring))
			v = cJSON_Duplicate(json_path(backup, m->valuestring), 1);
		if (rc)
			break;
		if (!v)
			continue;
		parent = make_parent(*filled, m->string, leaf, sizeof(leaf));
		if (!parent) {
			cJSON_Delete(v);
			rc = err_set(err, ERR_PARSE, "cannot fill %s in the call", m->string);
			break;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(parent, leaf);
		cJSON_AddItemToObject(parent, leaf, v);
	}
	if (rc) {
		cJSON_Delete(*filled);
		*filled = NULL;
	}
	return rc;
}

int
act_query(struct aws_client *c, const char *region, const char *service, const char *operation,
          struct xml_doc *doc, struct err *err, ...)
{
	cJSON *call = act_call_new(service, operation);
	const char *name;
	va_list ap;
	int rc;

	va_start(ap, err);
	while ((name = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);

		if (value)
			act_call_param(call, name, value);
	}
	va_end(ap);
	rc = act_call_xml(c, region, call, doc, err);
	cJSON_Delete(call);
	return rc;
}
