/*
 * close-public for an S3 bucket: its public access block turned on, the
 * four settings true (PutPublicAccessBlock), in the bucket's own region.
 * As AWS documents them: RestrictPublicBuckets makes a public policy
 * grant nothing to anonymous callers and other accounts (the bucket's
 * account and AWS services keep their access), IgnorePublicAcls ignores
 * public ACL grants, BlockPublicPolicy and BlockPublicAcls refuse new
 * public ones. `--with policy` also removes the policy's open statements
 * (act/close_public_res.c): PutBucketPolicy, or DeleteBucketPolicy when
 * none is left.
 *
 * S3 keeps no revision: the whole state (the block, the policy's
 * statements) is compared at the re-read. The undo puts the old block
 * back (DeletePublicAccessBlock when there was none) before the policy,
 * whose backed-up text it writes exactly (from_backup), so a
 * BlockPublicPolicy being undone cannot refuse it. Backed up: the policy
 * verbatim, the ACL (GetBucketAcl's XML) and the old block.
 */
#include "act/close_public_res.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/call.h"
#include "analyze/resource_policy.h"
#include "util/json.h"

const char *const cpr_bucket_keys[] = { "PublicAccessBlock", "PolicyStatements", NULL };
const char *const cpr_bucket_backs_up[] = {
	"the bucket policy, verbatim (GetBucketPolicy)",
	"the bucket ACL (GetBucketAcl)",
	"the old public access block (none, or its four settings)",
	NULL,
};
const char *const cpr_bucket_options[] = {
	"policy: also remove the bucket policy's statements open to anyone",
	NULL,
};

static const char *const pab_flags[] = { "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
	                                 "RestrictPublicBuckets", NULL };

/* The four settings, an absent one false; JSON null when the bucket has no block. */
static cJSON *
pab_state(const cJSON *conf)
{
	cJSON *o;
	size_t i;

	if (!cJSON_IsObject(conf))
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	for (i = 0; pab_flags[i]; i++)
		cJSON_AddBoolToObject(o, pab_flags[i], json_bool(conf, pab_flags[i], 0));
	return o;
}

static int
pab_all_on(const cJSON *pab)
{
	size_t i;

	for (i = 0; pab_flags[i]; i++)
		if (!json_bool(pab, pab_flags[i], 0))
			return 0;
	return cJSON_IsObject(pab);
}

/* The state from the block (object, null: none) and the policy document (NULL: none). */
static cJSON *
bucket_state(const cJSON *pab, const cJSON *doc, const char *region)
{
	cJSON *st = cJSON_CreateObject();

	cJSON_AddItemToObject(st, "PublicAccessBlock", pab_state(pab));
	cJSON_AddItemToObject(st, "PolicyStatements", cpr_sorted_statements(doc));
	/* not keys: what the forward calls write from, and where */
	cJSON_AddItemToObject(st, "PolicyDocument",
	                      doc ? cJSON_Duplicate(doc, 1) : cJSON_CreateNull());
	if (region && region[0])
		cJSON_AddStringToObject(st, "Region", region);
	return st;
}

int
cpr_bucket_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                  struct err *err)
{
	cJSON *attrs = cJSON_Parse(r->attrs ? r->attrs : "{}");
	const cJSON *pab = json_path(attrs, "PublicAccessBlockConfiguration");
	const cJSON *policy = json_path(attrs, "Policy");
	cJSON *doc = rpol_parse(policy);
	int rc = 0;

	(void)ctx;
	*state = NULL;
	/* a missing member was not read (a null is S3's "none") */
	if (!pab || !policy || (!cJSON_IsNull(policy) && !doc))
		rc = err_set(err, ERR_USAGE,
		             "the cache holds no public access block or policy for %s: rescan it",
		             r->name);
	else
		*state = bucket_state(pab, doc, r->region);
	cJSON_Delete(doc);
	cJSON_Delete(attrs);
	return rc;
}

/* ---- reading the account, in the bucket's region */

static cJSON *
s3_get(const char *operation, const char *bucket, const char *query, struct err *err)
{
	cJSON *c = act_call_new("s3", operation);

	if (act_call_path(c, "GET", "/%s", bucket, err)) {
		cJSON_Delete(c);
		return NULL;
	}
	cJSON_AddStringToObject(c, "query", query);
	return c;
}

/* The block's settings (an object), or JSON null when the bucket has none. */
static int
read_pab(struct aws_client *cl, const cJSON *plan, cJSON **pab, struct err *err)
{
	cJSON *c = s3_get("GetPublicAccessBlock", json_str(plan, "target.name"),
	                  "publicAccessBlock", err);
	struct xml_doc doc;
	struct err e = { 0 };
	size_t i;
	int rc = c ? act_call_xml(cl, json_str(plan, "region"), c, &doc, &e) : ERR_LIMIT;

	cJSON_Delete(c);
	*pab = NULL;
	if (rc && act_err_is(&e, "NoSuchPublicAccessBlockConfiguration")) {
		*pab = cJSON_CreateNull();
		return 0;
	}
	if (rc) {
		if (err && e.code)
			*err = e;
		return rc;
	}
	*pab = cJSON_CreateObject();
	for (i = 0; pab_flags[i]; i++) {
		const char *v = xml_text(doc.root, pab_flags[i]);

		cJSON_AddBoolToObject(*pab, pab_flags[i], v && !strcmp(v, "true"));
	}
	xml_doc_release(&doc);
	return 0;
}

/* A GET whose answer is kept as text; *text NULL when S3 answers absent_code. */
static int
read_text(struct aws_client *cl, const cJSON *plan, const char *operation, const char *query,
          const char *absent_code, char **text, struct err *err)
{
	cJSON *c = s3_get(operation, json_str(plan, "target.name"), query, err);
	struct aws_answer ans;
	struct err e = { 0 };
	int rc = c ? act_call_send(cl, json_str(plan, "region"), json_str(plan, "target.arn"), c,
	                           &ans, &e)
	           : ERR_LIMIT;

	cJSON_Delete(c);
	*text = NULL;
	if (!rc) {
		*text = malloc(ans.body_len + 1);
		if (*text) {
			memcpy(*text, ans.body ? ans.body : "", ans.body_len);
			(*text)[ans.body_len] = '\0';
		}
	}
	if (c)
		aws_answer_release(&ans);
	if (rc && absent_code && act_err_is(&e, absent_code))
		return 0;
	if (rc && err && e.code)
		*err = e;
	return rc;
}

int
cpr_bucket_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	cJSON *pab = NULL, *doc = NULL, *s = NULL;
	char *text = NULL;
	int rc = read_pab(c, plan, &pab, err);

	*state = NULL;
	if (!rc)
		rc = read_text(c, plan, "GetBucketPolicy", "policy", "NoSuchBucketPolicy", &text,
		               err);
	if (!rc && text) {
		s = cJSON_CreateString(text);
		doc = rpol_parse(s);
		if (!doc)
			rc = err_set(err, ERR_PARSE, "GetBucketPolicy answered no policy document");
	}
	if (!rc)
		*state = bucket_state(pab, doc, json_str(plan, "region"));
	cJSON_Delete(s);
	cJSON_Delete(doc);
	cJSON_Delete(pab);
	free(text);
	return rc;
}

int
cpr_bucket_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err)
{
	char *policy = NULL, *acl = NULL;
	int rc = read_text(sc->client, sc->plan, "GetBucketPolicy", "policy", "NoSuchBucketPolicy",
	                   &policy, err);

	if (!rc)
		rc = read_text(sc->client, sc->plan, "GetBucketAcl", "acl", NULL, &acl, err);
	if (!rc) {
		/* verbatim: the undo writes this text back exactly */
		cJSON_AddItemToObject(backup, "GetBucketPolicy",
		                      policy ? cJSON_CreateString(policy) : cJSON_CreateNull());
		cJSON_AddStringToObject(backup, "GetBucketAcl", acl ? acl : "");
		cJSON_AddItemToObject(backup, "GetPublicAccessBlock",
		                      cJSON_Duplicate(json_path(sc->now, "PublicAccessBlock"), 1));
	}
	free(policy);
	free(acl);
	return rc;
}

/* ---- desire: the block on; with `--with policy`, the open statements gone */

/* What each setting does to this bucket, for the reviewer. */
static void
describe_block(struct buf *b, const cJSON *pab)
{
	static const char *const effect[] = {
		"future PutBucketAcl / PutObjectAcl calls granting public access are refused",
		"public ACL grants (AllUsers, AuthenticatedUsers) on the bucket and its objects "
		"stop working",
		"a future PutBucketPolicy that makes it public is refused (a deployment doing so "
		"fails)",
		"a public policy grants nothing to anonymous callers and other accounts; this "
		"account's principals and AWS services keep their access",
	};
	size_t i;

	for (i = 0; pab_flags[i]; i++)
		if (!json_bool(pab, pab_flags[i], 0))
			buf_printf(b, "%s false -> true: %s\n", pab_flags[i], effect[i]);
}

/* The note and the explain line; removed: the open statements (kept or not). */
static void
bucket_notes(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
             const cJSON *removed, int edit_policy, cJSON *after, char *explain, size_t n)
{
	const cJSON *pab = json_path(before, "PublicAccessBlock");
	int open = cJSON_GetArraySize(removed);
	struct buf why;

	buf_init(&why, 1 << 16);
	describe_block(&why, pab);
	cpr_describe_access(&why, ctx ? ctx->store : NULL, arn, MODEL_BUCKET, removed);
	cJSON_AddStringToObject(after, "reasons", buf_cstr(&why));
	buf_release(&why);
	snprintf(explain, n,
	         "public access block %s -> all four settings on; %d policy statement%s open to "
	         "anyone %s (reasons: who loses access, who keeps it)",
	         cJSON_IsNull(pab) ? "none" : "partly off", open, open == 1 ? "" : "s",
	         !open         ? "(none)"
	         : edit_policy ? "removed from the policy (--with policy)"
	                       : "left in the policy, cancelled by RestrictPublicBuckets "
	                         "(--with policy removes them)");
}

int
cpr_bucket_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                  cJSON *after, char *explain, size_t n, struct err *err)
{
	const cJSON *doc = json_path(before, "PolicyDocument");
	int edit_policy = ctx && act_option(ctx, "policy");
	cJSON *kept = NULL, *removed = NULL, *on = cJSON_CreateObject();
	int open = cJSON_IsObject(doc) ? cpr_split_open(doc, &kept, &removed) : 0;
	size_t i;

	if (!removed)
		removed = cJSON_CreateArray();
	if (pab_all_on(json_path(before, "PublicAccessBlock")) && (!edit_policy || !open)) {
		cJSON_Delete(on);
		cJSON_Delete(kept);
		cJSON_Delete(removed);
		return err_set(
		        err, ERR_USAGE,
		        "nothing public to close: the bucket's public access block is already "
		        "on (all four settings)%s",
		        open ? "; its open policy statements are cancelled by it (--with "
		               "policy removes them)"
		             : "");
	}
	for (i = 0; pab_flags[i]; i++)
		cJSON_AddTrueToObject(on, pab_flags[i]);
	cJSON_AddItemToObject(after, "PublicAccessBlock", on);
	cJSON_AddItemToObject(after, "PolicyStatements",
	                      edit_policy && open
	                              ? cpr_sorted_statements(kept)
	                              : cJSON_Duplicate(json_path(before, "PolicyStatements"), 1));
	bucket_notes(ctx, arn, before, removed, edit_policy, after, explain, n);
	cJSON_Delete(kept);
	cJSON_Delete(removed);
	return 0;
}

/* ---- calls: the block first (an undo must lift BlockPublicPolicy before the policy) */

/* Appends one call on the bucket's subresource query into *out. */
static int
s3_call(cJSON *calls, const char *operation, const char *method, const char *bucket,
        const char *query, const cJSON *from, cJSON **out, struct err *err)
{
	cJSON *c = act_call_add(calls, "s3", operation);
	int rc = act_call_path(c, method, "/%s", bucket, err);

	*out = c;
	if (rc)
		return rc;
	cJSON_AddStringToObject(c, "query", query);
	if (json_str(from, "Region")) /* the bucket's own region */
		cJSON_AddStringToObject(c, "region", json_str(from, "Region"));
	return 0;
}

static int
pab_call(cJSON *calls, const char *bucket, const cJSON *from, const cJSON *to, struct err *err)
{
	const cJSON *want = json_path(to, "PublicAccessBlock");
	struct buf xml;
	cJSON *c;
	size_t i;
	int rc;

	if (cJSON_Compare(json_path(from, "PublicAccessBlock"), want, 1))
		return 0;
	if (!cJSON_IsObject(want)) { /* there was none: none again */
		rc = s3_call(calls, "DeletePublicAccessBlock", "DELETE", bucket,
		             "publicAccessBlock", from, &c, err);
		cJSON_AddTrueToObject(c, "once");
		return rc;
	}
	rc = s3_call(calls, "PutPublicAccessBlock", "PUT", bucket, "publicAccessBlock", from, &c,
	             err);
	if (rc)
		return rc;
	buf_init(&xml, 1024);
	buf_printf(&xml, "<PublicAccessBlockConfiguration "
	                 "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	for (i = 0; pab_flags[i]; i++)
		buf_printf(&xml, "<%s>%s</%s>", pab_flags[i],
		           json_bool(want, pab_flags[i], 0) ? "true" : "false", pab_flags[i]);
	buf_printf(&xml, "</PublicAccessBlockConfiguration>");
	cJSON_AddStringToObject(c, "xml", buf_cstr(&xml));
	buf_release(&xml);
	return 0;
}

/* The document to write: from's own, without its open statements; must give to's statements. */
static int
kept_text(const cJSON *from, const cJSON *to, char **text, struct err *err)
{
	cJSON *kept = NULL, *removed = NULL, *sorted;
	int same;

	*text = NULL;
	cpr_split_open(json_path(from, "PolicyDocument"), &kept, &removed);
	sorted = cpr_sorted_statements(kept);
	same = cJSON_Compare(sorted, json_path(to, "PolicyStatements"), 1);
	if (same)
		*text = cJSON_PrintUnformatted(kept);
	cJSON_Delete(sorted);
	cJSON_Delete(kept);
	cJSON_Delete(removed);
	return same ? 0
	            : err_set(err, ERR_USAGE,
	                      "close-public writes a bucket policy only without its open "
	                      "statements, or back from its backup");
}

static int
policy_call(cJSON *calls, const char *bucket, const cJSON *from, const cJSON *to, struct err *err)
{
	const cJSON *want = json_path(to, "PolicyStatements");
	cJSON *c;
	char *text = NULL;
	int rc;

	if (cJSON_Compare(json_path(from, "PolicyStatements"), want, 1))
		return 0;
	if (!cJSON_GetArraySize(want)) {
		rc = s3_call(calls, "DeleteBucketPolicy", "DELETE", bucket, "policy", from, &c,
		             err);
		cJSON_AddTrueToObject(c, "once");
		return rc;
	}
	if (!cJSON_IsObject(json_path(from, "PolicyDocument"))) {
		/* the way back: the policy as the backup holds it, byte for byte */
		rc = s3_call(calls, "PutBucketPolicy", "PUT", bucket, "policy", from, &c, err);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "from_backup"), "xml",
		                        "GetBucketPolicy");
		return rc;
	}
	rc = kept_text(from, to, &text, err);
	if (!rc)
		rc = s3_call(calls, "PutBucketPolicy", "PUT", bucket, "policy", from, &c, err);
	if (!rc)
		cJSON_AddStringToObject(c, "xml", text);
	free(text);
	return rc;
}

int
cpr_bucket_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                 cJSON *calls, struct err *err)
{
	int rc;

	(void)revision; /* S3 keeps none: the whole state is compared at the re-read */
	rc = pab_call(calls, name, from, to, err);
	return rc ? rc : policy_call(calls, name, from, to, err);
}
