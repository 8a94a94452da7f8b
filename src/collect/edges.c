/*
 * The EDGES phase (see edges.h).
 *
 * Design notes:
 *  1. Role edges ask policy_docs_allow() one question per (role, resource,
 *     action) for a few representative actions per resource kind (the
 *     table below) plus every literal action the role's statements name in
 *     that service. Wildcards ("s3:*", "dynamodb:Get*", NotAction) are thus
 *     answered by the same matcher IAM semantics need, without a catalog.
 *  2. A kind is skipped for a role when no Allow statement names any of its
 *     actions: most roles touch two or three services, so the (roles x
 *     resources) product stays cheap on large accounts.
 *  3. S3 object actions are asked about "arn:aws:s3:::BUCKET/" as a prefix
 *     (POLICY_ARN_PREFIX): "arn:aws:s3:::b/reports/" plus a star reaches the bucket.
 *  4. Log groups and rules are left out of role edges: the basic execution
 *     policy writes every log group, which would bury the edges that matter.
 *  5. Environment edges compare whole values: a name, an ARN, a queue URL
 *     (https://.../ACCOUNT/NAME) or s3://BUCKET[/...]. Table, queue and topic
 *     names only count in the function's own region.
 */
#include "collect/edges.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collect/lambda_int.h" /* LAMBDA_ENV_RAW: the raw values, in memory only */
#include "util/buf.h"
#include "util/json.h"
#include "util/policy.h"
#include "util/xmalloc.h"

enum { ACT_OBJECT = 1 << 0 }; /* S3: asked about objects under the bucket */

struct kind_actions {
	enum model_kind kind;
	const char *ns;
	const char *actions[12];
	unsigned object_mask; /* bit i: actions[i] is an object action */
};

static const struct kind_actions kind_table[] = {
	{ MODEL_TABLE,
	  "dynamodb",
	  { "GetItem", "BatchGetItem", "Query", "Scan", "DescribeTable", "PutItem", "UpdateItem",
	    "DeleteItem", "BatchWriteItem", NULL },
	  0 },
	{ MODEL_BUCKET,
	  "s3",
	  { "ListBucket", "GetBucketPolicy", "GetObject", "PutObject", "DeleteObject",
	    "PutBucketPolicy", NULL },
	  (1u << 2) | (1u << 3) | (1u << 4) },
	{ MODEL_QUEUE,
	  "sqs",
	  { "ReceiveMessage", "GetQueueAttributes", "SendMessage", "DeleteMessage", "PurgeQueue",
	    "SetQueueAttributes", NULL },
	  0 },
	{ MODEL_TOPIC,
	  "sns",
	  { "GetTopicAttributes", "ListSubscriptionsByTopic", "Publish", "Subscribe",
	    "SetTopicAttributes", "DeleteTopic", NULL },
	  0 },
	{ MODEL_FUNCTION,
	  "lambda",
	  { "GetFunction", "GetFunctionConfiguration", "InvokeFunction", "UpdateFunctionCode",
	    "UpdateFunctionConfiguration", "DeleteFunction", "AddPermission", NULL },
	  0 },
};

/* Verbs, longest first where one is a prefix of another. */
static const char *const read_verbs[] = { "BatchGet", "Get",    "List",     "Describe",
	                                  "Scan",     "Query",  "Receive",  "Head",
	                                  "Select",   "Read",   "Lookup",   "Search",
	                                  "View",     "Filter", "Download", NULL };
static const char *const write_verbs[] = {
	"BatchWrite", "Put",       "Update",       "Delete", "Create",  "Send",
	"Publish",    "Invoke",    "Add",          "Remove", "Set",     "Attach",
	"Detach",     "Tag",       "Untag",        "Purge",  "Change",  "Modify",
	"Restore",    "Subscribe", "Unsubscribe",  "Pass",   "Upload",  "Copy",
	"Write",      "Start",     "Stop",         "Enable", "Disable", "Import",
	"Replace",    "Associate", "Disassociate", "Reset",  "Abort",   "Complete",
	"Execute",    "Run",       "Terminate",    NULL
};

static int
verb_in(const char *name, const char *const *verbs)
{
	size_t i, n;

	for (i = 0; verbs[i]; i++) {
		n = strlen(verbs[i]);
		if (!strncasecmp(name, verbs[i], n))
			return 1;
	}
	return 0;
}

int
collect_edges_action_writes(const char *action)
{
	const char *name = strchr(action, ':');

	name = name ? name + 1 : action;
	if (verb_in(name, read_verbs))
		return 0;
	if (verb_in(name, write_verbs))
		return 1;
	return -1;
}

/* ------------------------------------------------------------ role edges */

struct role_docs {
	const cJSON **docs;
	const char **names; /* "inline NAME" / policy ARN, parallel to docs */
	size_t n, cap;
	char **literals; /* literal "ns:Action" strings from Allow statements (owned) */
	size_t n_lit, cap_lit;
};

static void
docs_add(struct role_docs *rd, const cJSON *doc, const char *name)
{
	if (!cJSON_IsObject(doc))
		return;
	if (rd->n == rd->cap) {
		rd->cap = rd->cap ? rd->cap * 2 : 8;
		rd->docs = xrealloc(rd->docs, rd->cap * sizeof(*rd->docs));
		rd->names = xrealloc(rd->names, rd->cap * sizeof(*rd->names));
	}
	rd->docs[rd->n] = doc;
	rd->names[rd->n++] = name;
}

static void
literal_add(const char *s, void *ctx)
{
	struct role_docs *rd = ctx;

	if (strchr(s, '*') || strchr(s, '?') || !strchr(s, ':'))
		return;
	if (rd->n_lit == rd->cap_lit) {
		rd->cap_lit = rd->cap_lit ? rd->cap_lit * 2 : 16;
		rd->literals = xrealloc(rd->literals, rd->cap_lit * sizeof(*rd->literals));
	}
	rd->literals[rd->n_lit++] = xstrdup(s);
}

static int
literal_statement(const cJSON *stmt, void *ctx)
{
	if (policy_statement_is_allow(stmt))
		policy_statement_strings(stmt, "Action", literal_add, ctx);
	return 0;
}

static void
role_docs_load(struct role_docs *rd, const cJSON *attrs)
{
	const cJSON *p, *m = json_path(attrs, "ManagedPolicyDocuments");
	size_t i;

	cJSON_ArrayForEach(p, json_path(attrs, "RolePolicyList"))
	{
		docs_add(rd, cJSON_GetObjectItemCaseSensitive(p, "PolicyDocument"),
		         json_str(p, "PolicyName"));
	}
	cJSON_ArrayForEach(p, m)
	{
		docs_add(rd, p, p->string);
	}
	for (i = 0; i < rd->n; i++)
		policy_each_statement(rd->docs[i], literal_statement, rd);
}

static void
role_docs_release(struct role_docs *rd)
{
	size_t i;

	for (i = 0; i < rd->n_lit; i++)
		free(rd->literals[i]);
	free(rd->literals);
	free(rd->docs);
	free(rd->names);
	memset(rd, 0, sizeof(*rd));
}

static int
stmt_in_doc(const cJSON *stmt, void *ctx)
{
	return stmt == ctx;
}

static const char *
doc_name_of(const struct role_docs *rd, const cJSON *stmt)
{
	size_t i;

	for (i = 0; i < rd->n; i++)
		if (policy_each_statement(rd->docs[i], stmt_in_doc, (void *)stmt))
			return rd->names[i] ? rd->names[i] : "?";
	return "?";
}

struct asked {
	const char *action; /* "ns:Action" */
	unsigned flags;
};

/* The actions asked about for one kind: the table's, then the role's literals in ns. */
static size_t
actions_for(const struct kind_actions *ka, const struct role_docs *rd, char (*buf)[128],
            struct asked *out, size_t max)
{
	size_t n = 0, i, ns_len = strlen(ka->ns);

	for (i = 0; ka->actions[i] && n < max; i++, n++) {
		snprintf(buf[n], sizeof(buf[n]), "%s:%s", ka->ns, ka->actions[i]);
		out[n].action = buf[n];
		out[n].flags = (ka->object_mask >> i) & 1 ? ACT_OBJECT : 0;
	}
	for (i = 0; i < rd->n_lit && n < max; i++) {
		const char *a = rd->literals[i];

		if (strncasecmp(a, ka->ns, ns_len) || a[ns_len] != ':')
			continue;
		out[n].action = a;
		/* S3 verbs on objects end in Object(s)/ObjectAcl...: ask about the objects */
		out[n].flags = strstr(a, "Object") ? ACT_OBJECT : 0;
		n++;
	}
	return n;
}

static int
any_allow_names(const cJSON *stmt, void *ctx)
{
	const struct asked *a = ctx;

	return policy_statement_is_allow(stmt) && policy_statement_covers_action(stmt, a->action);
}

/* Note 2: 1 when some Allow statement covers one of the actions, whatever the resource. */
static int
kind_relevant(const struct role_docs *rd, const struct asked *acts, size_t n_acts)
{
	size_t i, j;

	for (i = 0; i < n_acts; i++)
		for (j = 0; j < rd->n; j++)
			if (policy_each_statement(rd->docs[j], any_allow_names, (void *)&acts[i]))
				return 1;
	return 0;
}

static void
role_to_resource(const struct collect_edges_res *role, const struct role_docs *rd,
                 const struct collect_edges_res *r, const struct asked *acts, size_t n_acts,
                 collect_edges_emit_fn *emit, void *ctx)
{
	int done[2] = { 0, 0 }; /* reads, writes */
	char object[1100], evidence[512];
	size_t i;

	snprintf(object, sizeof(object), "%s/", r->arn);
	for (i = 0; i < n_acts && !(done[0] && done[1]); i++) {
		const cJSON *why = NULL;
		int w = collect_edges_action_writes(acts[i].action), cond = 0;
		int obj = acts[i].flags & ACT_OBJECT;

		if (w < 0 || done[w])
			continue;
		if (!policy_docs_allow(rd->docs, rd->n, acts[i].action, obj ? object : r->arn,
		                       obj ? POLICY_ARN_PREFIX : 0, &why, &cond))
			continue;
		done[w] = 1;
		snprintf(evidence, sizeof(evidence), "policy %s allows %s%s", doc_name_of(rd, why),
		         acts[i].action, cond ? " (condition not evaluated)" : "");
		emit(ctx, role->arn, r->arn, w ? MODEL_EDGE_WRITES : MODEL_EDGE_READS, evidence);
	}
}

static void
role_edges(const struct collect_edges_res *res, size_t n, const struct collect_edges_res *role,
           collect_edges_emit_fn *emit, void *ctx)
{
	struct role_docs rd = { 0 };
	size_t k, i, n_acts;

	role_docs_load(&rd, role->attrs);
	for (k = 0; k < sizeof(kind_table) / sizeof(kind_table[0]); k++) {
		char buf[12][128];
		struct asked acts[12 + 64];

		n_acts =
		        actions_for(&kind_table[k], &rd, buf, acts, sizeof(acts) / sizeof(acts[0]));
		if (!kind_relevant(&rd, acts, n_acts))
			continue;
		for (i = 0; i < n; i++)
			if (res[i].kind == kind_table[k].kind && res[i].arn)
				role_to_resource(role, &rd, &res[i], acts, n_acts, emit, ctx);
	}
	role_docs_release(&rd);
}

/* ------------------------------------------------------------ environment edges */

static int
same_region(const struct collect_edges_res *a, const struct collect_edges_res *b)
{
	return a->region && b->region && !strcmp(a->region, b->region);
}

/* The last ':'-separated field of an ARN: a queue's or topic's name. */
static const char *
arn_last(const char *arn)
{
	const char *c = strrchr(arn, ':');

	return c ? c + 1 : arn;
}

/* The account field of an ARN into out ("" when missing). */
static void
arn_account(const char *arn, char *out, size_t n)
{
	const char *p = arn;
	size_t i, len;

	out[0] = '\0';
	for (i = 0; i < 4 && p; i++) {
		p = strchr(p, ':');
		if (p)
			p++;
	}
	if (!p)
		return;
	len = strcspn(p, ":");
	if (len >= n)
		return;
	memcpy(out, p, len);
	out[len] = '\0';
}

static int
queue_url_names(const char *value, const struct collect_edges_res *q)
{
	char account[32], tail[512];
	size_t vl = strlen(value), tl;

	if (strncmp(value, "https://", 8) && strncmp(value, "http://", 7))
		return 0;
	arn_account(q->arn, account, sizeof(account));
	snprintf(tail, sizeof(tail), "/%s/%s", account, arn_last(q->arn));
	tl = strlen(tail);
	return vl > tl && !strcmp(value + vl - tl, tail);
}

static int
bucket_url_names(const char *value, const char *bucket)
{
	size_t n = strlen(bucket);

	return !strncmp(value, "s3://", 5) && !strncmp(value + 5, bucket, n) &&
	       (value[5 + n] == '\0' || value[5 + n] == '/');
}

static int
env_names(const struct collect_edges_res *fn, const char *value, const struct collect_edges_res *r)
{
	const char *name = r->name ? r->name : arn_last(r->arn);

	if (!strcmp(value, r->arn))
		return 1;
	switch (r->kind) {
	case MODEL_BUCKET:
		return !strcmp(value, name) || bucket_url_names(value, name);
	case MODEL_QUEUE:
		return (same_region(fn, r) && !strcmp(value, name)) || queue_url_names(value, r);
	case MODEL_TABLE:
	case MODEL_TOPIC:
		return same_region(fn, r) && !strcmp(value, name);
	default:
		return 0;
	}
}

static void
env_edges(const struct collect_edges_res *res, size_t n, const struct collect_edges_res *fn,
          collect_edges_emit_fn *emit, void *ctx)
{
	const cJSON *vars = cJSON_GetObjectItemCaseSensitive(fn->attrs, LAMBDA_ENV_RAW);
	const cJSON *v;
	char evidence[512];
	size_t i;

	for (i = 0; i < n; i++) {
		if (res[i].kind != MODEL_TABLE && res[i].kind != MODEL_BUCKET &&
		    res[i].kind != MODEL_QUEUE && res[i].kind != MODEL_TOPIC)
			continue;
		cJSON_ArrayForEach(v, vars)
		{
			if (!cJSON_IsString(v) || !v->valuestring[0] ||
			    !env_names(fn, v->valuestring, &res[i]))
				continue;
			snprintf(evidence, sizeof(evidence), "environment variable %s names it",
			         v->string ? v->string : "?");
			emit(ctx, fn->arn, res[i].arn, MODEL_EDGE_READS, evidence);
			break; /* one edge per (function, resource) */
		}
	}
}

void
collect_edges_derive(const struct collect_edges_res *res, size_t n, collect_edges_emit_fn *emit,
                     void *ctx)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!res[i].arn || !res[i].attrs)
			continue;
		if (res[i].kind == MODEL_ROLE)
			role_edges(res, n, &res[i], emit, ctx);
		else if (res[i].kind == MODEL_FUNCTION)
			env_edges(res, n, &res[i], emit, ctx);
	}
}

/* ------------------------------------------------------------ the scan hook */

struct gather {
	struct collect_edges_res *res;
	size_t n, cap;
	enum model_kind kind;
};

static void
gather_one(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs, void *ctx)
{
	struct gather *g = ctx;
	struct collect_edges_res *r;

	(void)scan;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->res = xrealloc(g->res, g->cap * sizeof(*g->res));
	}
	r = &g->res[g->n++];
	r->kind = g->kind;
	r->arn = arn;
	r->region = region;
	r->attrs = attrs;
	/* the name as the API gives it; for buckets and ARNs ending in the name, arn_last */
	r->name = json_str(attrs, "Name");
	if (!r->name)
		r->name = json_str(attrs, "TableName");
	if (!r->name && g->kind == MODEL_BUCKET && !strncmp(arn, "arn:aws:s3:::", 13))
		r->name = arn + 13;
	if (!r->name && (g->kind == MODEL_TABLE))
		r->name = strrchr(arn, '/') ? strrchr(arn, '/') + 1 : NULL;
}

static void
emit_scan(void *ctx, const char *src, const char *dst, enum model_edge_kind kind,
          const char *evidence)
{
	collect_edge(ctx, src, dst, kind, "%s", evidence);
}

void
collect_edges_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	static const enum model_kind kinds[] = { MODEL_ROLE,   MODEL_FUNCTION, MODEL_TABLE,
		                                 MODEL_BUCKET, MODEL_QUEUE,    MODEL_TOPIC };
	struct gather g = { 0 };
	size_t k;

	if (phase != COLLECT_PHASE_EDGES || region)
		return; /* the whole model at once: registered as a global collector */
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		g.kind = kinds[k];
		collect_each(scan, kinds[k], gather_one, &g);
	}
	collect_edges_derive(g.res, g.n, emit_scan, scan);
	/* the last reader of the raw environment: it must not reach the cache */
	for (k = 0; k < g.n; k++)
		if (g.res[k].kind == MODEL_FUNCTION)
			cJSON_DeleteItemFromObjectCaseSensitive((cJSON *)g.res[k].attrs,
			                                        LAMBDA_ENV_RAW);
	free(g.res);
}
