/*
 * Public data stores and event sources: S3 buckets (policy, policy status,
 * ACL, public access block), SQS queues and SNS topics (their policies),
 * and which functions read, write or are triggered by them.
 *
 * S3's public access block, as AWS documents it: RestrictPublicBuckets
 * makes an existing public policy grant nothing to strangers and
 * IgnorePublicAcls ignores existing public ACL grants; BlockPublicPolicy
 * and BlockPublicAcls only refuse new ones, so they cancel nothing that
 * is already there. The account-level block is not collected (a limit).
 */
#include <stdio.h>
#include <string.h>

#include "analyze/check_util.h"
#include "analyze/exposure_int.h"
#include "util/json.h"

static const char *const s3_read[] = { "s3:GetObject", "s3:ListBucket", "s3:GetObjectVersion",
	                               NULL };
static const char *const s3_write[] = { "s3:PutObject", "s3:DeleteObject", "s3:PutBucketPolicy",
	                                "s3:PutBucketAcl", NULL };

/* A policy grant to anyone that the public access block leaves standing. */
static int
bucket_policy_public(const struct amodel *m, const struct am_res *b, int restrict_public,
                     int *writable, char *why, size_t n)
{
	const cJSON *status = json_path(b->attrs, "PolicyStatus.IsPublic");
	struct rpol_grant rg, wg;
	int read_open = exposure_policy_widest(m, b, "Policy", s3_read, &rg) && rpol_is_open(&rg);
	int write_open = exposure_policy_widest(m, b, "Policy", s3_write, &wg) && rpol_is_open(&wg);
	char stmt[120];

	if (cJSON_IsBool(status) && !cJSON_IsTrue(status))
		return 0; /* AWS evaluated the conditions and found it not public */
	if (!cJSON_IsTrue(status) && !read_open && !write_open)
		return 0;
	if (restrict_public) {
		snprintf(why, n, "its policy is public but RestrictPublicBuckets cancels it");
		return 0;
	}
	*writable = write_open;
	if (read_open || write_open) {
		rpol_describe(write_open ? &wg : &rg, stmt, sizeof(stmt));
		snprintf(why, n, "bucket policy %s lets Principal %s %s", stmt,
		         write_open ? wg.principal : rg.principal,
		         write_open ? wg.action : rg.action);
	} else {
		snprintf(why, n, "S3 reports its bucket policy public (PolicyStatus.IsPublic)");
	}
	return 1;
}

/* An ACL grant to AllUsers or AuthenticatedUsers that IgnorePublicAcls leaves standing. */
static int
bucket_acl_public(const struct am_res *b, int ignore_acls, int *writable, char *why, size_t n)
{
	const cJSON *grant;
	int found = 0;

	cJSON_ArrayForEach(grant, json_path(b->attrs, "Acl.Grants"))
	{
		const char *uri = json_str(grant, "Grantee.URI");
		const char *perm = json_str(grant, "Permission");
		const char *group;

		if (!uri || !perm)
			continue;
		group = strstr(uri, "/global/AllUsers")             ? "AllUsers"
		        : strstr(uri, "/global/AuthenticatedUsers") ? "AuthenticatedUsers"
		                                                    : NULL;
		if (!group)
			continue;
		if (ignore_acls) {
			snprintf(why, n, "its ACL grants %s to %s but IgnorePublicAcls cancels it",
			         perm, group);
			return 0;
		}
		if (!strcmp(perm, "WRITE") || !strcmp(perm, "FULL_CONTROL") ||
		    !strcmp(perm, "WRITE_ACP"))
			*writable = 1;
		if (!found)
			snprintf(why, n, "bucket ACL grants %s to %s", perm, group);
		found = 1;
	}
	return found;
}

int
exposure_bucket_public(const struct amodel *m, const struct am_res *b, int *writable, char *why,
                       size_t n)
{
	const cJSON *pab = json_path(b->attrs, "PublicAccessBlockConfiguration");
	int w_policy = 0, w_acl = 0, pub;
	char acl_why[200] = "";

	*writable = 0;
	why[0] = '\0';
	pub = bucket_policy_public(m, b, json_bool(pab, "RestrictPublicBuckets", 0), &w_policy, why,
	                           n);
	if (bucket_acl_public(b, json_bool(pab, "IgnorePublicAcls", 0), &w_acl, acl_why,
	                      sizeof(acl_why))) {
		if (pub)
			snprintf(why + strlen(why), n - strlen(why), "; %s", acl_why);
		else
			snprintf(why, n, "%s", acl_why);
		pub = 1;
	}
	*writable = w_policy || w_acl;
	return pub;
}

/* Opens of a queue or topic policy: writes first (they are worse). */
static int
store_open(const struct amodel *m, const struct am_res *r, const char *path,
           const char *const *write, const char *const *read, int *writable, char *why, size_t n)
{
	struct rpol_grant g;
	char stmt[120];

	*writable = 0;
	if (exposure_policy_widest(m, r, path, write, &g) && rpol_is_open(&g))
		*writable = 1;
	else if (!(exposure_policy_widest(m, r, path, read, &g) && rpol_is_open(&g)))
		return 0;
	rpol_describe(&g, stmt, sizeof(stmt));
	snprintf(why, n, "policy %s lets Principal %s %s with no limiting condition", stmt,
	         g.principal, g.action);
	return 1;
}

int
exposure_queue_open(const struct amodel *m, const struct am_res *q, int *writable, char *why,
                    size_t n)
{
	static const char *const w[] = { "sqs:SendMessage", "sqs:SetQueueAttributes",
		                         "sqs:PurgeQueue", NULL };
	static const char *const r[] = { "sqs:ReceiveMessage", "sqs:DeleteMessage", NULL };

	return store_open(m, q, "Attributes.Policy", w, r, writable, why, n);
}

int
exposure_topic_open(const struct amodel *m, const struct am_res *t, int *writable, char *why,
                    size_t n)
{
	static const char *const w[] = { "sns:Publish", "sns:SetTopicAttributes",
		                         "sns:AddPermission", "sns:DeleteTopic", NULL };
	static const char *const r[] = { "sns:Subscribe", NULL };

	return store_open(m, t, "Attributes.Policy", w, r, writable, why, n);
}

/* The functions a bucket is tied to: directly, through a role, or as a trigger. */
struct tie {
	const struct am_res *fn;
	char how[300];
	int writes, direct;
};

#define MAX_TIES 64

struct ties {
	struct tie v[MAX_TIES];
	size_t n;
};

/*
 * Keeps one tie per function: a write wins over a read (it decides the
 * severity), and at equal strength the function's own edge over its role's.
 */
static void
tie_add(struct ties *t, const struct am_res *fn, int writes, int direct, const char *fmt,
        const char *a, const char *b)
{
	struct tie *it = NULL;
	size_t i;

	for (i = 0; i < t->n && !it; i++)
		if (t->v[i].fn == fn)
			it = &t->v[i];
	if (it && (it->writes > writes || (it->writes == writes && (it->direct || !direct))))
		return;
	if (!it && t->n == MAX_TIES)
		return;
	if (!it)
		it = &t->v[t->n++];
	it->fn = fn;
	it->writes = writes;
	it->direct = direct;
	snprintf(it->how, sizeof(it->how), fmt, a, b);
}

static void
ties_through_role(const struct amodel *m, const struct am_res *role, const struct am_edge *e,
                  struct ties *t)
{
	size_t i;

	for (i = 0; i < role->n_in; i++) {
		const struct am_edge *a = &m->edges[role->in[i]];
		const struct am_res *fn = amodel_find(m, a->src);

		if (a->kind == MODEL_EDGE_ASSUMES && fn && fn->kind == MODEL_FUNCTION)
			tie_add(t, fn, e->kind == MODEL_EDGE_WRITES, 0, "its role %s %s",
			        role->name,
			        e->kind == MODEL_EDGE_WRITES ? "writes it" : "reads it");
	}
}

static void
bucket_ties(const struct amodel *m, const struct am_res *b, struct ties *t)
{
	size_t i;

	t->n = 0;
	for (i = 0; i < b->n_in; i++) {
		const struct am_edge *e = &m->edges[b->in[i]];
		const struct am_res *src = amodel_find(m, e->src);

		if (!src || (e->kind != MODEL_EDGE_READS && e->kind != MODEL_EDGE_WRITES))
			continue;
		if (src->kind == MODEL_FUNCTION)
			tie_add(t, src, e->kind == MODEL_EDGE_WRITES, 1, "it %s it (%s)",
			        e->kind == MODEL_EDGE_WRITES ? "writes" : "reads", e->evidence);
		else if (src->kind == MODEL_ROLE)
			ties_through_role(m, src, e, t);
	}
	for (i = 0; i < b->n_out; i++) {
		const struct am_edge *e = &m->edges[b->out[i]];
		const struct am_res *dst = amodel_find(m, e->dst);

		if (e->kind == MODEL_EDGE_TRIGGERS && dst && dst->kind == MODEL_FUNCTION)
			tie_add(t, dst, 0, 1, "it is triggered by it (%s)%s", e->evidence, "");
	}
}

static void
check_bucket(const struct amodel *m, const struct am_res *b, struct findings *out)
{
	struct ties t;
	char why[600], loc[300];
	int writable;
	size_t i;

	if (!exposure_bucket_public(m, b, &writable, why, sizeof(why)))
		return;
	bucket_ties(m, b, &t);
	snprintf(loc, sizeof(loc), "bucket %s", b->name);
	for (i = 0; i < t.n; i++) {
		struct finding *f = findings_add(out, "SHR-EXP-006", t.v[i].fn->arn, loc,
		                                 "bucket %s is public (%s%s); %s: %s", b->name, why,
		                                 writable ? ", anyone may write" : "",
		                                 t.v[i].fn->name, t.v[i].how);

		if (writable || t.v[i].writes)
			f->severity =
			        SEV_HIGH; /* what it writes is published, or input is anyone's */
	}
}

/* The functions a queue or topic triggers, named in its evidence. */
static void
triggered_names(const struct amodel *m, const struct am_res *r, char *out, size_t n)
{
	size_t i, at = 0;

	out[0] = '\0';
	for (i = 0; i < r->n_out && at + 1 < n; i++) {
		const struct am_edge *e = &m->edges[r->out[i]];

		if (e->kind != MODEL_EDGE_TRIGGERS)
			continue;
		at += (size_t)snprintf(out + at, n - at, "%s%s", at ? ", " : "; it triggers ",
		                       analyze_short_name(e->dst));
	}
	if (at >= n && n)
		out[n - 1] = '\0';
}

static void
check_queue_or_topic(const struct amodel *m, const struct am_res *r, struct findings *out)
{
	char why[400], fns[300];
	int writable, open;

	if (r->kind == MODEL_QUEUE)
		open = exposure_queue_open(m, r, &writable, why, sizeof(why));
	else
		open = exposure_topic_open(m, r, &writable, why, sizeof(why));
	if (!open)
		return;
	triggered_names(m, r, fns, sizeof(fns));
	findings_add(out, r->kind == MODEL_QUEUE ? "SHR-EXP-007" : "SHR-EXP-008", r->arn, "policy",
	             "%s %s: %s%s", r->kind == MODEL_QUEUE ? "queue" : "topic", r->name, why, fns);
}

void
exposure_check_stores(const struct amodel *m, struct findings *out)
{
	size_t i;

	for (i = 0; i < m->n_res; i++) {
		const struct am_res *r = &m->res[i];

		if (r->kind == MODEL_BUCKET)
			check_bucket(m, r, out);
		else if (r->kind == MODEL_QUEUE || r->kind == MODEL_TOPIC)
			check_queue_or_topic(m, r, out);
	}
}
