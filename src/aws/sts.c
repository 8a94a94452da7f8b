#include "aws/sts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/xml.h"

#define STS_VERSION "2011-06-15"

static int
form_add(struct buf *b, const char *key, const char *value)
{
	int rc = buf_printf(b, "%s%s=", b->len ? "&" : "", key);

	if (!rc)
		rc = aws_uri_encode(b, value, strlen(value), 0);
	return rc;
}

/* POSTs body and parses the XML answer into doc. */
static int
sts_call(struct aws_client *c, const char *operation, const char *resource, const struct buf *body,
         struct xml_doc *doc, struct err *err)
{
	static const struct aws_header headers[] = {
		{ "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" },
	};
	struct aws_request req = {
		.service = aws_service_find("sts"),
		.operation = operation,
		.method = "POST",
		.path = "/",
		.headers = headers,
		.n_headers = 1,
		.body = buf_cstr(body),
		.body_len = body->len,
		.resource = resource,
	};
	struct aws_answer ans = { 0 };
	int rc;

	if (!req.service)
		return err_set(err, ERR_USAGE, "sts is not in the service table");
	rc = aws_client_call(c, &req, &ans, err);
	if (!rc)
		rc = xml_parse(ans.body ? ans.body : "", ans.body_len, doc, err);
	if (rc == ERR_PARSE)
		err_context(err, "sts", operation, resource);
	if (ans.body)
		explicit_bzero(ans.body, ans.body_len); /* AssumeRole: a secret and a token */
	aws_answer_release(&ans);
	return rc;
}

static void
copy_text(char *dst, size_t n, const struct xml_node *root, const char *path)
{
	const char *v = xml_text(root, path);

	snprintf(dst, n, "%s", v ? v : "");
}

int
aws_sts_get_caller_identity(struct aws_client *c, struct aws_caller_identity *out, struct err *err)
{
	struct buf body;
	struct xml_doc doc;
	const char *r = "GetCallerIdentityResult/";
	char path[64];
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&body, 4096);
	rc = form_add(&body, "Action", "GetCallerIdentity");
	if (!rc)
		rc = form_add(&body, "Version", STS_VERSION);
	if (!rc)
		rc = sts_call(c, "GetCallerIdentity", NULL, &body, &doc, err);
	buf_release(&body);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%sAccount", r);
	copy_text(out->account, sizeof(out->account), doc.root, path);
	snprintf(path, sizeof(path), "%sArn", r);
	copy_text(out->arn, sizeof(out->arn), doc.root, path);
	snprintf(path, sizeof(path), "%sUserId", r);
	copy_text(out->user_id, sizeof(out->user_id), doc.root, path);
	xml_doc_release(&doc);
	if (!out->account[0])
		return err_set(err, ERR_PARSE, "sts GetCallerIdentity: answer without Account");
	return 0;
}

static int
assume_role_body(const struct aws_assume_role_req *req, struct buf *b)
{
	char session[64], dur[16];
	int rc;

	snprintf(session, sizeof(session), "shears-%lld", (long long)time(NULL));
	rc = form_add(b, "Action", "AssumeRole");
	if (!rc)
		rc = form_add(b, "Version", STS_VERSION);
	if (!rc)
		rc = form_add(b, "RoleArn", req->role_arn);
	if (!rc)
		rc = form_add(b, "RoleSessionName",
		              req->session_name ? req->session_name : session);
	if (!rc && req->external_id)
		rc = form_add(b, "ExternalId", req->external_id);
	if (!rc && req->duration_s > 0) {
		snprintf(dur, sizeof(dur), "%d", req->duration_s);
		rc = form_add(b, "DurationSeconds", dur);
	}
	return rc;
}

static int
assume_role_read(const struct xml_node *root, struct aws_creds *out, struct err *err)
{
	const struct xml_node *cr = xml_find(root, "AssumeRoleResult/Credentials");
	const char *exp = xml_text(cr, "Expiration");
	const char *akid = xml_text(cr, "AccessKeyId");
	const char *secret = xml_text(cr, "SecretAccessKey");
	const char *token = xml_text(cr, "SessionToken");
	time_t expiration = 0;
	int rc;

	if (!akid || !akid[0] || !secret || !secret[0] || !token)
		return err_set(err, ERR_PARSE, "answer without credentials");
	if (!exp || aws_creds_parse_time(exp, &expiration))
		return err_set(err, ERR_PARSE, "answer without a valid Expiration");
	if (strlen(akid) >= sizeof(out->access_key_id) ||
	    strlen(secret) >= sizeof(out->secret_access_key) ||
	    strlen(token) >= sizeof(out->session_token))
		return err_set(err, ERR_LIMIT, "credentials in the answer are too long");
	memset(out, 0, sizeof(*out));
	log_add_secret(secret);
	log_add_secret(token);
	memcpy(out->access_key_id, akid, strlen(akid) + 1);
	memcpy(out->secret_access_key, secret, strlen(secret) + 1);
	memcpy(out->session_token, token, strlen(token) + 1);
	out->expiration = expiration;
	rc = snprintf(out->source, sizeof(out->source), "assume-role");
	return rc < 0 ? ERR_PARSE : 0;
}

static void
xml_wipe(struct xml_node *n)
{
	for (; n; n = n->next) {
		explicit_bzero(n->text, n->text_len);
		xml_wipe(n->first);
	}
}

int
aws_sts_assume_role(struct aws_client *c, const struct aws_assume_role_req *req,
                    struct aws_creds *out, struct err *err)
{
	struct buf body;
	struct xml_doc doc;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&body, 16384);
	rc = assume_role_body(req, &body);
	if (rc)
		rc = err_set(err, rc, "sts AssumeRole: request too large");
	if (!rc)
		rc = sts_call(c, "AssumeRole", req->role_arn, &body, &doc, err);
	buf_release(&body);
	if (rc)
		return rc;
	rc = assume_role_read(doc.root, out, err);
	xml_wipe(doc.root);
	xml_doc_release(&doc);
	if (rc) {
		err_context(err, "sts", "AssumeRole", req->role_arn);
		aws_creds_wipe(out);
	}
	return rc;
}
