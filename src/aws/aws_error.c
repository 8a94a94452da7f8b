/*
 * Error answers of the four protocols, read as botocore's parsers read them
 * (botocore/parsers.py):
 *   json       body "__type" ("prefix#Code"), else "code"; "message" or "Message";
 *              then the x-amzn-ErrorType header
 *   rest-json  the x-amzn-ErrorType header ("Code:http://..."), else body "code",
 *              "Code", "__type"; "message", "Message" or "errorMessage"
 *   query      <ErrorResponse><Error><Code>, <Message> (also <Response><Errors><Error>)
 *   rest-xml   <Error><Code>, <Message>; a HEAD or empty answer has only its status,
 *              which then is the code ("404"), as in botocore
 * A body in the other syntax is tried too (a proxy or load balancer may answer
 * for the service). Nothing here can fail: what cannot be read is left empty.
 * Messages pass through log_scrub() so no registered secret survives in an err.
 */
#include "aws/transport.h"

#include <stdio.h>
#include <string.h>

#include "util/json.h"
#include "util/log.h"
#include "util/xml.h"

/* Copies code without a "prefix#" before it or a ":detail" after it. */
static void
code_copy(char *dst, size_t n, const char *code)
{
	size_t len, i;

	while (*code == ' ')
		code++;
	len = strcspn(code, ": \r\n");
	for (i = len; i > 0; i--) {
		if (code[i - 1] == '#') {
			code += i;
			len -= i;
			break;
		}
	}
	if (len >= n)
		len = n - 1;
	memcpy(dst, code, len);
	dst[len] = '\0';
}

static const char *
json_first(const cJSON *o, const char *const *keys)
{
	const char *v;

	for (; *keys; keys++) {
		v = json_str(o, *keys);
		if (v && v[0])
			return v;
	}
	return NULL;
}

/* Returns 1 when the body was JSON. */
static int
parse_json(const char *body, size_t len, int code_from_type_first, struct err *err)
{
	static const char *const type_first[] = { "__type", "code", "Code", NULL };
	static const char *const code_first[] = { "code", "Code", "__type", NULL };
	static const char *const msgs[] = { "message", "Message", "errorMessage", NULL };
	cJSON *o = json_parse(body, len, NULL);
	const char *code, *msg;

	if (!o)
		return 0;
	code = json_first(o, code_from_type_first ? type_first : code_first);
	msg = json_first(o, msgs);
	if (code && !err->aws_code[0])
		code_copy(err->aws_code, sizeof(err->aws_code), code);
	if (msg)
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
	cJSON_Delete(o);
	return 1;
}

/* The <Error> element of any XML error shape, or NULL. */
static const struct xml_node *
xml_error_node(const struct xml_node *root)
{
	const struct xml_node *e;

	if (!root)
		return NULL;
	if (!strcmp(root->name, "Error"))
		return root;          /* rest-xml */
	e = xml_child(root, "Error"); /* query: ErrorResponse/Error */
	if (e)
		return e;
	return xml_find(root, "Errors/Error"); /* EC2-style Response/Errors/Error */
}

static int
parse_xml(const char *body, size_t len, struct err *err)
{
	struct xml_doc doc;
	const struct xml_node *e;
	const char *code, *msg;

	if (xml_parse(body, len, &doc, NULL))
		return 0;
	e = xml_error_node(doc.root);
	code = e ? xml_text(e, "Code") : NULL;
	msg = e ? xml_text(e, "Message") : NULL;
	if (code && code[0] && !err->aws_code[0])
		code_copy(err->aws_code, sizeof(err->aws_code), code);
	if (msg)
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
	xml_doc_release(&doc);
	return e != NULL;
}

static const char *
skip_space(const char *s, size_t *len)
{
	while (*len > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		(*len)--;
	}
	return s;
}

void
aws_error_parse(enum aws_protocol proto, int status, const char *errortype_header, const char *body,
                size_t len, struct err *err)
{
	const char *b = body ? skip_space(body, &len) : "";
	int header = errortype_header && errortype_header[0];

	if (!err)
		return;
	err->aws_code[0] = '\0';
	err->msg[0] = '\0';
	if (!body)
		len = 0;
	if (header && proto == AWS_PROTO_REST_JSON)
		code_copy(err->aws_code, sizeof(err->aws_code), errortype_header);
	if (len > 0 && b[0] == '{')
		parse_json(b, len, proto == AWS_PROTO_JSON, err);
	else if (len > 0 && b[0] == '<')
		parse_xml(b, len, err);
	if (header && !err->aws_code[0])
		code_copy(err->aws_code, sizeof(err->aws_code), errortype_header);
	if (!err->aws_code[0] && len == 0 && proto == AWS_PROTO_REST_XML && status >= 300)
		snprintf(err->aws_code, sizeof(err->aws_code), "%d", status);
	log_scrub(err->msg, sizeof(err->msg));
}
