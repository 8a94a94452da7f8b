/*
 * S3. LIST (global): ListBuckets, then GetBucketLocation per bucket; every
 * bucket becomes a resource in its region. DETAIL (global): the buckets of
 * the regions this scan covers are read in full, each call sent to and
 * signed for the bucket's own region: GetBucketPolicy (then
 * GetBucketPolicyStatus, only when there is a policy), GetPublicAccessBlock,
 * GetBucketAcl and GetBucketNotificationConfiguration (function
 * notifications are trigger edges bucket -> function).
 *
 * Fewer calls on rescans: a bucket the previous scan saw with the same
 * CreationDate keeps its region without GetBucketLocation; --quick also
 * keeps a bucket's full read (s3_detail_members) and derives its edges
 * again from it.
 *
 * In attrs a JSON null means AWS said "none" (NoSuchBucketPolicy,
 * NoSuchPublicAccessBlockConfiguration); a missing member means it was
 * not read (a gap says why).
 */
#include "collect/collectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/svc_int.h"
#include "collect/svc_parse.h"
#include "util/buf.h"
#include "util/json.h"

/* GetBucketLocation answers for any bucket from the us-east-1 endpoint. */
#define S3_LOCATION_REGION "us-east-1"

/* The members a full read fills; a quick scan reuses a bucket's when it has them all. */
static const char *const s3_detail_members[] = { "Policy", "PublicAccessBlockConfiguration", "Acl",
	                                         "NotificationConfiguration", NULL };

/* Sets attrs[key] = v (taking v), replacing any value there. */
static void
s3_set(cJSON *attrs, const char *key, cJSON *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, key);
	cJSON_AddItemToObject(attrs, key, v);
}

typedef int s3_parse_fn(const char *body, size_t len, cJSON **out, struct err *err);

static void
s3_arn(const char *name, char *out, size_t n)
{
	snprintf(out, n, "arn:aws:s3:::%s", name);
}

static int
s3_bucket_call(struct collect_scan *scan, const char *operation, const char *name,
               const char *region, const char *subresource, collect_done_fn *done)
{
	char arn[512], path[600];
	char *enc = svc_encode(name);
	struct svc_call *c;

	s3_arn(name, arn, sizeof(arn));
	snprintf(path, sizeof(path), "/%s", enc);
	free(enc);
	c = svc_call_new(region, arn, name);
	if (collect_call_rest(scan, "s3", operation, region, "GET", path, subresource, done, c)) {
		svc_call_free(c);
		return -1;
	}
	return 0;
}

/* Parses an XML answer with fn into attrs[member]; absent_code stores null. */
static void
s3_detail(struct collect_scan *scan, struct svc_call *c, const struct aws_answer *ans,
          const struct err *err, const char *operation, const char *absent_code, s3_parse_fn *fn,
          const char *member)
{
	cJSON *attrs = collect_attrs(scan, c->arn), *v = NULL;
	struct err perr;

	err_clear(&perr);
	if (svc_failed(scan, err, "s3", c->region, operation, absent_code)) {
		if (attrs && svc_is_code(err, absent_code))
			s3_set(attrs, member, cJSON_CreateNull());
		return;
	}
	if (fn(ans->body, ans->body_len, &v, &perr)) {
		svc_parse_gap(scan, &perr, "s3", c->region, operation, c->name);
		return;
	}
	if (attrs)
		s3_set(attrs, member, v);
	else
		cJSON_Delete(v);
}

static void
s3_status_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
               const struct err *err)
{
	s3_detail(scan, user, ans, err, "GetBucketPolicyStatus", "NoSuchBucketPolicy",
	          collect_s3_parse_policy_status, "PolicyStatus");
	svc_call_free(user);
}

static void
s3_pab_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
            const struct err *err)
{
	s3_detail(scan, user, ans, err, "GetPublicAccessBlock",
	          "NoSuchPublicAccessBlockConfiguration", collect_s3_parse_public_access_block,
	          "PublicAccessBlockConfiguration");
	svc_call_free(user);
}

static void
s3_acl_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
            const struct err *err)
{
	struct svc_call *c = user;
	cJSON *attrs;

	s3_detail(scan, c, ans, err, "GetBucketAcl", NULL, collect_s3_parse_acl, "Acl");
	attrs = collect_attrs(scan, c->arn);
	if (attrs && cJSON_GetObjectItemCaseSensitive(attrs, "Acl"))
		s3_set(attrs, "PublicGrants",
		       collect_s3_public_grants(cJSON_GetObjectItemCaseSensitive(attrs, "Acl")));
	svc_call_free(c);
}

static void
s3_notification_edges(struct collect_scan *scan, const char *bucket_arn, const cJSON *conf)
{
	const cJSON *f, *e;

	cJSON_ArrayForEach(f,
	                   cJSON_GetObjectItemCaseSensitive(conf, "LambdaFunctionConfigurations"))
	{
		char fn[512];
		struct buf ev;

		if (!collect_function_arn(json_str(f, "LambdaFunctionArn"), fn, sizeof(fn)))
			continue;
		buf_init(&ev, 900);
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(f, "Events"))
		{
			if (cJSON_IsString(e))
				buf_printf(&ev, "%s%s", ev.len ? "," : "", e->valuestring);
		}
		collect_edge(scan, bucket_arn, fn, MODEL_EDGE_TRIGGERS, "S3 notification %s",
		             buf_cstr(&ev));
		buf_release(&ev);
	}
}

static void
s3_notification_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                     const struct err *err)
{
	struct svc_call *c = user;
	cJSON *attrs;

	s3_detail(scan, c, ans, err, "GetBucketNotificationConfiguration", NULL,
	          collect_s3_parse_notification, "NotificationConfiguration");
	attrs = collect_attrs(scan, c->arn);
	if (attrs)
		s3_notification_edges(
		        scan, c->arn,
		        cJSON_GetObjectItemCaseSensitive(attrs, "NotificationConfiguration"));
	svc_call_free(c);
}

static void
s3_policy_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
               const struct err *err)
{
	struct svc_call *c = user;
	cJSON *attrs = collect_attrs(scan, c->arn), *doc;

	if (svc_failed(scan, err, "s3", c->region, "GetBucketPolicy", "NoSuchBucketPolicy")) {
		if (attrs && svc_is_code(err, "NoSuchBucketPolicy"))
			s3_set(attrs, "Policy", cJSON_CreateNull());
		goto out;
	}
	/* the answer's payload is the policy document itself */
	doc = svc_json(scan, ans, "s3", c->region, "GetBucketPolicy", c->name);
	if (!doc)
		goto out;
	if (attrs)
		s3_set(attrs, "Policy", doc);
	else
		cJSON_Delete(doc);
	/* only a bucket with a policy has a policy status: skip the call otherwise */
	s3_bucket_call(scan, "GetBucketPolicyStatus", c->name, c->region, "policyStatus",
	               s3_status_done);
out:
	svc_call_free(c);
}

static void
s3_read_bucket(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs,
               void *ctx)
{
	const char *name = json_str(attrs, "Name");

	size_t i;

	(void)ctx;
	if (!name || !region || !*region || !svc_region_scanned(scan, region))
		return; /* outside the scan's regions: listed only */
	for (i = 0; s3_detail_members[i]; i++)
		if (!cJSON_GetObjectItemCaseSensitive(attrs, s3_detail_members[i]))
			break;
	if (!s3_detail_members[i]) { /* --quick reused the previous scan's full read */
		s3_notification_edges(
		        scan, arn,
		        cJSON_GetObjectItemCaseSensitive(attrs, "NotificationConfiguration"));
		return;
	}
	/* a status is only asked for when there is a policy: none left from before */
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "PolicyStatus");
	s3_bucket_call(scan, "GetBucketPolicy", name, region, "policy", s3_policy_done);
	s3_bucket_call(scan, "GetPublicAccessBlock", name, region, "publicAccessBlock",
	               s3_pab_done);
	s3_bucket_call(scan, "GetBucketAcl", name, region, "acl", s3_acl_done);
	s3_bucket_call(scan, "GetBucketNotificationConfiguration", name, region, "notification",
	               s3_notification_done);
}

static void
s3_location_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                 const struct err *err)
{
	struct svc_call *c = user;
	char region[32] = "";
	struct err perr;
	cJSON *attrs = c->data;

	err_clear(&perr);
	c->data = NULL;
	if (svc_failed(scan, err, "s3", S3_LOCATION_REGION, "GetBucketLocation", NULL)) {
		/* listed, region unknown: kept, but not read in full */
	} else if (collect_s3_parse_location(ans->body, ans->body_len, region, sizeof(region),
	                                     &perr)) {
		svc_parse_gap(scan, &perr, "s3", S3_LOCATION_REGION, "GetBucketLocation", c->name);
		region[0] = '\0';
	} else {
		cJSON_AddStringToObject(attrs, "Region", region);
	}
	collect_resource(scan, MODEL_BUCKET, c->arn, c->name, region, attrs);
	svc_call_free(c);
}

/*
 * A bucket's region cannot change while it exists: when the previous scan
 * saw the same bucket (same CreationDate: not deleted and created again),
 * its region is taken from there and GetBucketLocation is not called.
 * Takes b (the ListBuckets item) when it returns 1.
 */
static int
s3_known_region(struct collect_scan *scan, const char *arn, cJSON *b)
{
	const cJSON *prev = collect_previous(scan, arn);
	const char *region = json_str(prev, "Region");
	const char *was = json_str(prev, "CreationDate"), *now = json_str(b, "CreationDate");
	char name[256], where[32];

	if (!region || !*region || !was || !now || strcmp(was, now))
		return 0;
	snprintf(name, sizeof(name), "%s", json_str(b, "Name") ? json_str(b, "Name") : "");
	snprintf(where, sizeof(where), "%s", region);
	cJSON_AddStringToObject(b, "Region", where);
	collect_resource(scan, MODEL_BUCKET, arn, name, where, b);
	return 1;
}

/* ListBuckets named the region (BucketRegion): no GetBucketLocation. Takes b on 1. */
static int
s3_listed_region(struct collect_scan *scan, const char *arn, cJSON *b)
{
	const char *listed = json_str(b, "BucketRegion");
	char name[256], where[32];

	if (!listed || !*listed || strlen(listed) >= sizeof(where))
		return 0;
	snprintf(name, sizeof(name), "%s", json_str(b, "Name") ? json_str(b, "Name") : "");
	snprintf(where, sizeof(where), "%s", listed);
	cJSON_AddStringToObject(b, "Region", where);
	collect_resource(scan, MODEL_BUCKET, arn, name, where, b);
	return 1;
}

static void
s3_list_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
             const struct err *err)
{
	struct err perr;
	cJSON *buckets = NULL, *b;

	(void)user;
	err_clear(&perr);
	if (svc_failed(scan, err, "s3", NULL, "ListBuckets", NULL))
		return;
	if (collect_s3_parse_buckets(ans->body, ans->body_len, &buckets, &perr)) {
		svc_parse_gap(scan, &perr, "s3", NULL, "ListBuckets", NULL);
		return;
	}
	while (buckets->child) {
		static const char *const needed[] = { "Region", NULL };
		const char *name;
		char arn[512], path[600];
		struct svc_call *c;
		cJSON *prev;
		char *enc;

		b = cJSON_DetachItemViaPointer(buckets, buckets->child);
		name = json_str(b, "Name");
		s3_arn(name, arn, sizeof(arn));
		prev = svc_reuse(scan, arn, needed);
		if (prev) { /* --quick: its region (and details) as the previous scan read them */
			char region[32];

			snprintf(region, sizeof(region), "%s",
			         json_str(prev, "Region") ? json_str(prev, "Region") : "");
			collect_resource(scan, MODEL_BUCKET, arn, name, region, prev);
			cJSON_Delete(b);
			continue;
		}
		if (s3_known_region(scan, arn, b) || s3_listed_region(scan, arn, b))
			continue;
		c = svc_call_new(S3_LOCATION_REGION, arn, name);
		c->data = b;
		enc = svc_encode(name);
		snprintf(path, sizeof(path), "/%s", enc);
		free(enc);
		if (collect_call_rest(scan, "s3", "GetBucketLocation", S3_LOCATION_REGION, "GET",
		                      path, "location", s3_location_done, c)) {
			/* the call was refused (a gap says why): keep the bucket as listed */
			collect_resource(scan, MODEL_BUCKET, arn, name, "", b);
			c->data = NULL;
			svc_call_free(c);
		}
	}
	cJSON_Delete(buckets);
}

void
collect_s3_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	(void)region;
	if (phase == COLLECT_PHASE_LIST) {
		collect_call_rest(scan, "s3", "ListBuckets", NULL, "GET", "/", NULL, s3_list_done,
		                  NULL);
	} else if (phase == COLLECT_PHASE_DETAIL) {
		collect_each(scan, MODEL_BUCKET, s3_read_bucket, NULL);
	}
}
