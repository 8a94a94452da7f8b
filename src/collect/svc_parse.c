/*
 * Parsers for S3 (rest-xml), SQS and SNS (query) answers and the API
 * Gateway shapes the collectors read. Element and member names follow
 * botocore 1.29.27's models: S3's flattened lists
 * (CloudFunctionConfiguration/CloudFunction/Event), query maps
 * (Attribute/Name/Value for SQS, Attributes/entry/key/value for SNS).
 */
#include "collect/svc_parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/xmalloc.h"
#include "util/xml.h"

static int
parse_doc(const char *body, size_t len, struct xml_doc *doc, struct err *err)
{
	if (!body || !len)
		return err_set(err, ERR_PARSE, "empty answer");
	return xml_parse(body, len, doc, err);
}

static void
add_text(cJSON *obj, const struct xml_node *n, const char *child, const char *as)
{
	const char *t = xml_text(n, child);

	if (t)
		cJSON_AddStringToObject(obj, as ? as : child, t);
}

static void
add_bool(cJSON *obj, const struct xml_node *n, const char *child)
{
	const char *t = xml_text(n, child);

	if (t)
		cJSON_AddBoolToObject(obj, child, !strcmp(t, "true"));
}

int
collect_s3_parse_buckets(const char *body, size_t len, cJSON **out, struct err *err)
{
	struct xml_doc doc;
	const struct xml_node *b;
	cJSON *arr;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	arr = cJSON_CreateArray();
	for (b = xml_find(doc.root, "Buckets/Bucket"); b; b = xml_next_same(b)) {
		cJSON *o;

		if (!xml_text(b, "Name"))
			continue;
		o = cJSON_CreateObject();
		add_text(o, b, "Name", NULL);
		add_text(o, b, "CreationDate", NULL);
		/* answered by ListBuckets since late 2024 (newer than botocore 1.29's model) */
		add_text(o, b, "BucketRegion", NULL);
		cJSON_AddItemToArray(arr, o);
	}
	xml_doc_release(&doc);
	*out = arr;
	return 0;
}

int
collect_s3_parse_location(const char *body, size_t len, char *region, size_t n, struct err *err)
{
	struct xml_doc doc;
	const char *t;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	/* The root element is LocationConstraint itself; us-east-1 answers it empty. */
	t = doc.root->text;
	while (*t && isspace((unsigned char)*t))
		t++;
	if (!*t)
		t = "us-east-1";
	else if (!strcmp(t, "EU")) /* the legacy name of eu-west-1 */
		t = "eu-west-1";
	snprintf(region, n, "%s", t);
	xml_doc_release(&doc);
	return 0;
}

int
collect_s3_parse_policy_status(const char *body, size_t len, cJSON **out, struct err *err)
{
	struct xml_doc doc;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	*out = cJSON_CreateObject();
	add_bool(*out, doc.root, "IsPublic");
	xml_doc_release(&doc);
	return 0;
}

int
collect_s3_parse_public_access_block(const char *body, size_t len, cJSON **out, struct err *err)
{
	static const char *const keys[] = { "BlockPublicAcls", "IgnorePublicAcls",
		                            "BlockPublicPolicy", "RestrictPublicBuckets" };
	struct xml_doc doc;
	size_t i;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	*out = cJSON_CreateObject();
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		add_bool(*out, doc.root, keys[i]);
	xml_doc_release(&doc);
	return 0;
}

static cJSON *
grantee_obj(const struct xml_node *g)
{
	cJSON *o = cJSON_CreateObject();

	add_text(o, g, "@type", "Type");
	add_text(o, g, "ID", NULL);
	add_text(o, g, "DisplayName", NULL);
	add_text(o, g, "URI", NULL);
	add_text(o, g, "EmailAddress", NULL);
	return o;
}

int
collect_s3_parse_acl(const char *body, size_t len, cJSON **out, struct err *err)
{
	struct xml_doc doc;
	const struct xml_node *g, *owner;
	cJSON *grants;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	*out = cJSON_CreateObject();
	owner = xml_child(doc.root, "Owner");
	if (owner) {
		cJSON *o = cJSON_AddObjectToObject(*out, "Owner");

		add_text(o, owner, "ID", NULL);
		add_text(o, owner, "DisplayName", NULL);
	}
	grants = cJSON_AddArrayToObject(*out, "Grants");
	for (g = xml_find(doc.root, "AccessControlList/Grant"); g; g = xml_next_same(g)) {
		cJSON *o = cJSON_CreateObject();
		const struct xml_node *ge = xml_child(g, "Grantee");

		if (ge)
			cJSON_AddItemToObject(o, "Grantee", grantee_obj(ge));
		add_text(o, g, "Permission", NULL);
		cJSON_AddItemToArray(grants, o);
	}
	xml_doc_release(&doc);
	return 0;
}

cJSON *
collect_s3_public_grants(const cJSON *acl)
{
	static const char *const groups[] = { "AllUsers", "AuthenticatedUsers" };
	const cJSON *g, *grants = cJSON_GetObjectItemCaseSensitive(acl, "Grants");
	cJSON *out = cJSON_CreateArray();

	cJSON_ArrayForEach(g, grants)
	{
		const char *uri = json_str(g, "Grantee.URI");
		const char *perm = json_str(g, "Permission");
		size_t i;

		if (!uri)
			continue;
		for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
			char prefix[80], item[128];

			snprintf(prefix, sizeof(prefix),
			         "http://acs.amazonaws.com/groups/global/%s", groups[i]);
			if (strcmp(uri, prefix))
				continue;
			snprintf(item, sizeof(item), "%s:%s", groups[i], perm ? perm : "?");
			cJSON_AddItemToArray(out, cJSON_CreateString(item));
		}
	}
	return out;
}

static cJSON *
notif_filter(const struct xml_node *f)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *rules = cJSON_AddArrayToObject(cJSON_AddObjectToObject(o, "Key"), "FilterRules");
	const struct xml_node *r;

	for (r = xml_find(f, "S3Key/FilterRule"); r; r = xml_next_same(r)) {
		cJSON *ro = cJSON_CreateObject();

		add_text(ro, r, "Name", NULL);
		add_text(ro, r, "Value", NULL);
		cJSON_AddItemToArray(rules, ro);
	}
	return o;
}

/* One flattened list of NotificationConfiguration: element, its ARN element and member names. */
static void
notif_list(cJSON *out, const struct xml_node *root, const char *elem, const char *arn_elem,
           const char *member, const char *arn_member)
{
	const struct xml_node *c, *e;
	cJSON *arr = NULL;

	for (c = xml_child(root, elem); c; c = xml_next_same(c)) {
		cJSON *o = cJSON_CreateObject(), *events;

		add_text(o, c, "Id", NULL);
		add_text(o, c, arn_elem, arn_member);
		events = cJSON_AddArrayToObject(o, "Events");
		for (e = xml_child(c, "Event"); e; e = xml_next_same(e))
			cJSON_AddItemToArray(events, cJSON_CreateString(e->text));
		if (xml_child(c, "Filter"))
			cJSON_AddItemToObject(o, "Filter", notif_filter(xml_child(c, "Filter")));
		if (!arr)
			arr = cJSON_AddArrayToObject(out, member);
		cJSON_AddItemToArray(arr, o);
	}
}

int
collect_s3_parse_notification(const char *body, size_t len, cJSON **out, struct err *err)
{
	struct xml_doc doc;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	*out = cJSON_CreateObject();
	notif_list(*out, doc.root, "CloudFunctionConfiguration", "CloudFunction",
	           "LambdaFunctionConfigurations", "LambdaFunctionArn");
	notif_list(*out, doc.root, "QueueConfiguration", "Queue", "QueueConfigurations",
	           "QueueArn");
	notif_list(*out, doc.root, "TopicConfiguration", "Topic", "TopicConfigurations",
	           "TopicArn");
	if (xml_child(doc.root, "EventBridgeConfiguration"))
		cJSON_AddObjectToObject(*out, "EventBridgeConfiguration");
	xml_doc_release(&doc);
	return 0;
}

static char *
next_token(const struct xml_node *result)
{
	const char *t = xml_text(result, "NextToken");

	return t && *t ? xstrdup(t) : NULL;
}

int
collect_sqs_parse_list(const char *body, size_t len, cJSON **urls, char **next, struct err *err)
{
	struct xml_doc doc;
	const struct xml_node *res, *u;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	*urls = cJSON_CreateArray();
	res = xml_child(doc.root, "ListQueuesResult");
	for (u = res ? xml_child(res, "QueueUrl") : NULL; u; u = xml_next_same(u))
		cJSON_AddItemToArray(*urls, cJSON_CreateString(u->text));
	*next = res ? next_token(res) : NULL;
	xml_doc_release(&doc);
	return 0;
}

int
collect_sqs_parse_attributes(const char *body, size_t len, cJSON **out, struct err *err)
{
	struct xml_doc doc;
	const struct xml_node *a;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	*out = cJSON_CreateObject();
	for (a = xml_find(doc.root, "GetQueueAttributesResult/Attribute"); a;
	     a = xml_next_same(a)) {
		const char *k = xml_text(a, "Name"), *v = xml_text(a, "Value");

		if (k && v && !cJSON_GetObjectItemCaseSensitive(*out, k))
			cJSON_AddStringToObject(*out, k, v);
	}
	xml_doc_release(&doc);
	return 0;
}

int
collect_sns_parse_topics(const char *body, size_t len, cJSON **arns, char **next, struct err *err)
{
	struct xml_doc doc;
	const struct xml_node *res, *m;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	*arns = cJSON_CreateArray();
	res = xml_child(doc.root, "ListTopicsResult");
	for (m = res ? xml_find(res, "Topics/member") : NULL; m; m = xml_next_same(m)) {
		const char *arn = xml_text(m, "TopicArn");

		if (arn)
			cJSON_AddItemToArray(*arns, cJSON_CreateString(arn));
	}
	*next = res ? next_token(res) : NULL;
	xml_doc_release(&doc);
	return 0;
}

int
collect_sns_parse_attributes(const char *body, size_t len, cJSON **out, struct err *err)
{
	struct xml_doc doc;
	const struct xml_node *e;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	*out = cJSON_CreateObject();
	for (e = xml_find(doc.root, "GetTopicAttributesResult/Attributes/entry"); e;
	     e = xml_next_same(e)) {
		const char *k = xml_text(e, "key"), *v = xml_text(e, "value");

		if (k && v && !cJSON_GetObjectItemCaseSensitive(*out, k))
			cJSON_AddStringToObject(*out, k, v);
	}
	xml_doc_release(&doc);
	return 0;
}

int
collect_sns_parse_subscriptions(const char *body, size_t len, cJSON **subs, char **next,
                                struct err *err)
{
	static const char *const keys[] = { "SubscriptionArn", "Owner", "Protocol", "Endpoint",
		                            "TopicArn" };
	struct xml_doc doc;
	const struct xml_node *res, *m;
	int rc = parse_doc(body, len, &doc, err);

	if (rc)
		return rc;
	*subs = cJSON_CreateArray();
	res = xml_child(doc.root, "ListSubscriptionsByTopicResult");
	for (m = res ? xml_find(res, "Subscriptions/member") : NULL; m; m = xml_next_same(m)) {
		cJSON *o = cJSON_CreateObject();
		size_t i;

		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			add_text(o, m, keys[i], NULL);
		cJSON_AddItemToArray(*subs, o);
	}
	*next = res ? next_token(res) : NULL;
	xml_doc_release(&doc);
	return 0;
}

/* arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER], len bytes at s. */
static int
lambda_arn(const char *s, size_t len, char *out, size_t n)
{
	const char *field[8];
	size_t i, nf = 1, cut = len;

	field[0] = s;
	for (i = 0; i < len; i++) {
		if (s[i] == '$' || s[i] == '/' || s[i] == '{' || s[i] == '}')
			return 0; /* a stage variable or a path: not a plain function */
		if (s[i] != ':')
			continue;
		if (nf == 7) { /* drop the qualifier: functions are known unqualified */
			cut = i;
			break;
		}
		field[nf++] = s + i + 1;
	}
	if (nf < 7 || cut >= n || strncmp(s, "arn:", 4) || strncmp(field[2], "lambda:", 7) ||
	    strncmp(field[5], "function:", 9) || field[6] >= s + cut)
		return 0;
	memcpy(out, s, cut);
	out[cut] = '\0';
	return 1;
}

int
collect_function_arn(const char *s, char *out, size_t n)
{
	const char *p, *end;

	if (!s)
		return 0;
	p = strstr(s, "/functions/");
	if (!p)
		return lambda_arn(s, strlen(s), out, n);
	p += strlen("/functions/");
	end = strstr(p, "/invocations");
	if (!end)
		end = p + strlen(p);
	return lambda_arn(p, (size_t)(end - p), out, n);
}

static void
route_auth(struct collect_route *r, const char *auth)
{
	snprintf(r->auth, sizeof(r->auth), "%s", auth && *auth ? auth : "NONE");
}

void
collect_apigw_rest_routes(const cJSON *items,
                          void (*fn)(const struct collect_route *route, void *ctx), void *ctx)
{
	const cJSON *res, *m;

	cJSON_ArrayForEach(res, items)
	{
		const char *path = json_str(res, "path");

		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(res, "resourceMethods"))
		{
			struct collect_route r;

			memset(&r, 0, sizeof(r));
			if (!collect_function_arn(json_str(m, "methodIntegration.uri"), r.function,
			                          sizeof(r.function)))
				continue;
			snprintf(r.method, sizeof(r.method), "%s", m->string ? m->string : "");
			snprintf(r.path, sizeof(r.path), "%s", path ? path : "/");
			route_auth(&r, json_str(m, "authorizationType"));
			r.api_key_required = json_bool(m, "apiKeyRequired", 0);
			fn(&r, ctx);
		}
	}
}

static const cJSON *
integration_by_id(const cJSON *integrations, const char *id)
{
	const cJSON *i;

	cJSON_ArrayForEach(i, integrations)
	{
		const char *iid = json_str(i, "IntegrationId");

		if (iid && !strcmp(iid, id))
			return i;
	}
	return NULL;
}

void
collect_apigw_http_routes(const cJSON *routes, const cJSON *integrations,
                          void (*fn)(const struct collect_route *route, void *ctx), void *ctx)
{
	const cJSON *rt;

	cJSON_ArrayForEach(rt, routes)
	{
		const char *target = json_str(rt, "Target");
		const char *key = json_str(rt, "RouteKey");
		const cJSON *integ;
		struct collect_route r;
		const char *sp;

		if (!target || strncmp(target, "integrations/", 13) || !key)
			continue;
		integ = integration_by_id(integrations, target + 13);
		memset(&r, 0, sizeof(r));
		if (!integ || !collect_function_arn(json_str(integ, "IntegrationUri"), r.function,
		                                    sizeof(r.function)))
			continue;
		/* a route key is "GET /path", "ANY /{proxy+}" or "$default" */
		sp = strchr(key, ' ');
		if (sp) {
			snprintf(r.method, sizeof(r.method), "%.*s", (int)(sp - key), key);
			snprintf(r.path, sizeof(r.path), "%s", sp + 1);
		} else {
			snprintf(r.method, sizeof(r.method), "ANY");
			snprintf(r.path, sizeof(r.path), "%s", key);
		}
		route_auth(&r, json_str(rt, "AuthorizationType"));
		r.api_key_required = json_bool(rt, "ApiKeyRequired", 0);
		fn(&r, ctx);
	}
}

/* Members of API Gateway v2 shapes that are maps: their keys are the user's, kept as they are. */
static int
is_user_map(const char *wire)
{
	static const char *const maps[] = { "tags",
		                            "requestParameters",
		                            "requestModels",
		                            "responseParameters",
		                            "requestTemplates",
		                            "responseTemplates",
		                            "stageVariables",
		                            "routeSettings",
		                            "responseModels" };
	size_t i;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		if (!strcmp(wire, maps[i]))
			return 1;
	return 0;
}

void
collect_apigw_v2_members(cJSON *item)
{
	cJSON *c;

	if (!item)
		return;
	cJSON_ArrayForEach(c, item)
	{
		if (cJSON_IsObject(item) && c->string && !(c->type & cJSON_StringIsConst) &&
		    islower((unsigned char)c->string[0])) {
			int keep = is_user_map(c->string);

			c->string[0] = (char)toupper((unsigned char)c->string[0]);
			if (keep)
				continue;
		}
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			collect_apigw_v2_members(c);
	}
}
