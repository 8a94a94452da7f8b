/*
 * IAM (see iam.h for what is asked and what the attrs hold).
 *
 * Design notes:
 *  1. One struct iam_walk lives across the GetAccountAuthorizationDetails
 *     pages (iam_page_done resubmits itself with the Marker); it remembers
 *     every role ARN and every managed policy's default document, because a
 *     role on page 1 may attach a policy listed on page 3. The last page (or
 *     a failed one) fills "ManagedPolicyDocuments" and frees the walk.
 *  2. One struct iam_job per role in DETAIL: Generate -> Get (polled while
 *     IN_PROGRESS, paged by Marker) -> attrs "LastAccessed"; the job is
 *     freed by the callback that ends it, or here when a submit fails.
 *  3. The poll is resubmitted from its callback at once: the collector may
 *     not block, and the IAM quota pace spaces the calls. COLLECT_IAM_POLLS
 *     bounds it; a job still running then becomes a gap.
 */
#include "collect/iam.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/json.h"
#include "util/policy.h"
#include "util/xmalloc.h"
#include "util/xml.h"

#define IAM_MAX_PAGES 1000

/* ------------------------------------------------------------ parsing */

static const char *const list_fields[] = { "UserDetailList",
	                                   "GroupDetailList",
	                                   "RoleDetailList",
	                                   "Policies",
	                                   "RolePolicyList",
	                                   "AttachedManagedPolicies",
	                                   "Tags",
	                                   "InstanceProfileList",
	                                   "PolicyVersionList",
	                                   "Roles",
	                                   "ServicesLastAccessed",
	                                   "TrackedActionsLastAccessed",
	                                   "GroupList",
	                                   "UserPolicyList",
	                                   "GroupPolicyList",
	                                   NULL };
static const char *const number_fields[] = { "MaxSessionDuration", "AttachmentCount",
	                                     "PermissionsBoundaryUsageCount",
	                                     "TotalAuthenticatedEntities", NULL };
static const char *const bool_fields[] = { "IsDefaultVersion", "IsAttachable", "IsTruncated",
	                                   NULL };
static const char *const object_fields[] = { "RoleLastUsed", "PermissionsBoundary", NULL };
static const char *const document_fields[] = { "AssumeRolePolicyDocument", "PolicyDocument",
	                                       "Document", NULL };

static int
in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return 1;
	return 0;
}

static cJSON *
leaf_to_json(const struct xml_node *n)
{
	cJSON *doc;

	if (in_list(list_fields, n->name))
		return cJSON_CreateArray();
	if (in_list(object_fields, n->name))
		return cJSON_CreateObject(); /* <RoleLastUsed/>: a role never used */
	if (in_list(number_fields, n->name))
		return cJSON_CreateNumber(strtod(n->text, NULL));
	if (in_list(bool_fields, n->name))
		return cJSON_CreateBool(!strcmp(n->text, "true"));
	if (in_list(document_fields, n->name)) {
		doc = policy_decode(n->text, NULL);
		if (doc)
			return doc;
	}
	return cJSON_CreateString(n->text);
}

cJSON *
collect_iam_xml_to_json(const struct xml_node *n)
{
	const struct xml_node *c;
	cJSON *out;

	if (!n->first)
		return leaf_to_json(n);
	if (!strcmp(n->first->name, "member") || in_list(list_fields, n->name)) {
		out = cJSON_CreateArray();
		for (c = n->first; c; c = c->next)
			cJSON_AddItemToArray(out, collect_iam_xml_to_json(c));
		return out;
	}
	out = cJSON_CreateObject();
	for (c = n->first; c; c = c->next)
		cJSON_AddItemToObject(out, c->name, collect_iam_xml_to_json(c));
	return out;
}

void
collect_iam_page_release(struct collect_iam_page *page)
{
	cJSON_Delete(page->roles);
	cJSON_Delete(page->policies);
	free(page->marker);
	memset(page, 0, sizeof(*page));
}

int
collect_iam_page_parse(const char *xml, size_t len, struct collect_iam_page *page, struct err *err)
{
	struct xml_doc doc;
	const struct xml_node *res, *list;
	const char *marker;
	int rc;

	memset(page, 0, sizeof(*page));
	rc = xml_parse(xml, len, &doc, err);
	if (rc)
		return rc;
	res = xml_child(doc.root, "GetAccountAuthorizationDetailsResult");
	if (!res) {
		xml_doc_release(&doc);
		return err_set(err, ERR_PARSE,
		               "no GetAccountAuthorizationDetailsResult in the answer");
	}
	list = xml_child(res, "RoleDetailList");
	page->roles = list ? collect_iam_xml_to_json(list) : cJSON_CreateArray();
	list = xml_child(res, "Policies");
	page->policies = list ? collect_iam_xml_to_json(list) : cJSON_CreateArray();
	marker = xml_text(res, "Marker");
	page->truncated =
	        xml_text(res, "IsTruncated") && !strcmp(xml_text(res, "IsTruncated"), "true");
	if (page->truncated && marker && *marker)
		page->marker = xstrdup(marker);
	else if (page->truncated)
		rc = err_set(err, ERR_PARSE, "truncated answer without a Marker");
	xml_doc_release(&doc);
	if (rc)
		collect_iam_page_release(page);
	return rc;
}

const cJSON *
collect_iam_default_document(const cJSON *policy)
{
	const char *def = json_str(policy, "DefaultVersionId");
	const cJSON *v;

	cJSON_ArrayForEach(v, json_path(policy, "PolicyVersionList"))
	{
		const char *id = json_str(v, "VersionId");

		if (json_bool(v, "IsDefaultVersion", 0) || (def && id && !strcmp(def, id)))
			return cJSON_GetObjectItemCaseSensitive(v, "Document");
	}
	return NULL;
}

/* ------------------------------------------------------------ LIST */

struct iam_walk {
	cJSON *documents; /* policy ARN -> default document (owned copies) */
	cJSON *roles;     /* role ARNs seen (strings) */
	int pages;
};

static void iam_page_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                          const struct err *err);

static int
iam_page_submit(struct collect_scan *scan, struct iam_walk *w, const char *marker)
{
	const char *params[] = { "Filter.member.1",
		                 "Role",
		                 "Filter.member.2",
		                 "LocalManagedPolicy",
		                 "Filter.member.3",
		                 "AWSManagedPolicy",
		                 "MaxItems",
		                 "1000",
		                 marker ? "Marker" : NULL,
		                 marker,
		                 NULL };

	return collect_call_query(scan, "iam", "GetAccountAuthorizationDetails", NULL, params,
	                          iam_page_done, w);
}

static void
iam_take_policies(struct collect_scan *scan, struct iam_walk *w, cJSON *policies)
{
	cJSON *p;

	while ((p = cJSON_DetachItemFromArray(policies, 0))) {
		const char *arn = json_str(p, "Arn");
		const cJSON *doc = collect_iam_default_document(p);

		if (!arn) {
			cJSON_Delete(p);
			continue;
		}
		if (doc && !cJSON_GetObjectItemCaseSensitive(w->documents, arn))
			cJSON_AddItemToObject(w->documents, arn, cJSON_Duplicate(doc, 1));
		if (strstr(arn, ":iam::aws:policy/")) {
			cJSON_Delete(
			        p); /* AWS managed: only its document is kept, under the roles */
			continue;
		}
		collect_resource(scan, MODEL_POLICY, arn, json_str(p, "PolicyName"), "", p);
	}
}

static void
iam_take_roles(struct collect_scan *scan, struct iam_walk *w, cJSON *roles)
{
	cJSON *r;

	while ((r = cJSON_DetachItemFromArray(roles, 0))) {
		const char *arn = json_str(r, "Arn");

		if (!arn) {
			cJSON_Delete(r);
			continue;
		}
		cJSON_AddItemToArray(w->roles, cJSON_CreateString(arn));
		collect_resource(scan, MODEL_ROLE, arn, json_str(r, "RoleName"), "", r);
	}
}

/* Note 1: the last page is in (or a page failed). */
static void
iam_walk_finish(struct collect_scan *scan, struct iam_walk *w)
{
	const cJSON *arn, *m;

	cJSON_ArrayForEach(arn, w->roles)
	{
		cJSON *attrs = collect_attrs(scan, arn->valuestring);
		cJSON *docs;

		if (!attrs)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(attrs, "ManagedPolicyDocuments");
		docs = cJSON_AddObjectToObject(attrs, "ManagedPolicyDocuments");
		cJSON_ArrayForEach(m, json_path(attrs, "AttachedManagedPolicies"))
		{
			const char *parn = json_str(m, "PolicyArn");
			const cJSON *doc =
			        parn ? cJSON_GetObjectItemCaseSensitive(w->documents, parn) : NULL;

			if (doc && !cJSON_GetObjectItemCaseSensitive(docs, parn))
				cJSON_AddItemToObject(docs, parn, cJSON_Duplicate(doc, 1));
		}
	}
	cJSON_Delete(w->documents);
	cJSON_Delete(w->roles);
	free(w);
}

static void
iam_page_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
              const struct err *err)
{
	struct iam_walk *w = user;
	struct collect_iam_page page;
	struct err perr = { 0 };

	if (err) {
		collect_gap(scan, "iam", NULL, "GetAccountAuthorizationDetails", err);
		iam_walk_finish(scan, w);
		return;
	}
	if (collect_iam_page_parse(ans->body ? ans->body : "", ans->body_len, &page, &perr)) {
		err_context(&perr, "iam", "GetAccountAuthorizationDetails", NULL);
		collect_gap(scan, "iam", NULL, "GetAccountAuthorizationDetails", &perr);
		iam_walk_finish(scan, w);
		return;
	}
	iam_take_policies(scan, w, page.policies);
	iam_take_roles(scan, w, page.roles);
	if (page.marker && ++w->pages < IAM_MAX_PAGES && !iam_page_submit(scan, w, page.marker)) {
		collect_iam_page_release(&page);
		return; /* the walk goes on in the next page's callback */
	}
	collect_iam_page_release(&page);
	iam_walk_finish(scan, w);
}

static void
iam_list(struct collect_scan *scan)
{
	struct iam_walk *w = xcalloc(1, sizeof(*w));

	w->documents = cJSON_CreateObject();
	w->roles = cJSON_CreateArray();
	if (iam_page_submit(scan, w, NULL)) {
		cJSON_Delete(w->documents);
		cJSON_Delete(w->roles);
		free(w); /* the scan recorded the gap */
	}
}

/* ------------------------------------------------------------ DETAIL */

struct iam_job {
	char role[512];
	char job_id[128];
	int polls;
	cJSON *services; /* ServicesLastAccessed so far (owned) */
};

static void iam_job_get_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                             const struct err *err);

static void
iam_job_free(struct iam_job *j)
{
	cJSON_Delete(j->services);
	free(j);
}

static void
iam_job_gap(struct collect_scan *scan, struct iam_job *j, const char *op, const struct err *err,
            const char *msg)
{
	struct err e = { 0 };

	if (!err) {
		err_set(&e, ERR_AWS, "%s", msg);
		err_context(&e, "iam", op, j->role);
		err = &e;
	}
	collect_gap(scan, "iam", NULL, op, err);
	iam_job_free(j);
}

static int
iam_job_get(struct collect_scan *scan, struct iam_job *j, const char *marker)
{
	const char *params[] = { "JobId", j->job_id, "MaxItems", "1000", marker ? "Marker" : NULL,
		                 marker,  NULL };

	return collect_call_query(scan, "iam", "GetServiceLastAccessedDetails", NULL, params,
	                          iam_job_get_done, j);
}

static void
iso_now(char *out, size_t n)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
iam_job_store(struct collect_scan *scan, struct iam_job *j, const struct xml_node *res)
{
	cJSON *attrs = collect_attrs(scan, j->role);
	cJSON *la;
	char now[32];
	const char *done = xml_text(res, "JobCompletionDate");

	if (!attrs) {
		iam_job_free(j);
		return;
	}
	iso_now(now, sizeof(now));
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "LastAccessed");
	la = cJSON_AddObjectToObject(attrs, "LastAccessed");
	cJSON_AddStringToObject(la, "JobStatus", "COMPLETED");
	cJSON_AddStringToObject(la, "JobType", "ACTION_LEVEL");
	if (done)
		cJSON_AddStringToObject(la, "JobCompletionDate", done);
	cJSON_AddStringToObject(la, "FetchedAt", now);
	cJSON_AddItemToObject(la, "ServicesLastAccessed", j->services);
	j->services = NULL;
	iam_job_free(j);
}

static void
iam_job_get_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                 const struct err *err)
{
	struct iam_job *j = user;
	struct xml_doc doc;
	struct err perr = { 0 };
	const struct xml_node *res, *list, *m;
	const char *status, *marker;

	if (err) {
		iam_job_gap(scan, j, "GetServiceLastAccessedDetails", err, NULL);
		return;
	}
	if (xml_parse(ans->body ? ans->body : "", ans->body_len, &doc, &perr)) {
		err_context(&perr, "iam", "GetServiceLastAccessedDetails", j->role);
		iam_job_gap(scan, j, "GetServiceLastAccessedDetails", &perr, NULL);
		return;
	}
	res = xml_child(doc.root, "GetServiceLastAccessedDetailsResult");
	status = res ? xml_text(res, "JobStatus") : NULL;
	if (status && !strcmp(status, "IN_PROGRESS")) {
		xml_doc_release(&doc);
		/* note 3: poll again at once; the IAM pace spaces the calls */
		if (++j->polls >= COLLECT_IAM_POLLS)
			iam_job_gap(scan, j, "GetServiceLastAccessedDetails", NULL,
			            "access advisor job still in progress after every poll");
		else if (iam_job_get(scan, j, NULL))
			iam_job_free(j);
		return;
	}
	if (!status || strcmp(status, "COMPLETED")) {
		xml_doc_release(&doc);
		iam_job_gap(scan, j, "GetServiceLastAccessedDetails", NULL,
		            "access advisor job did not complete");
		return;
	}
	list = xml_child(res, "ServicesLastAccessed");
	for (m = list ? list->first : NULL; m; m = m->next)
		cJSON_AddItemToArray(j->services, collect_iam_xml_to_json(m));
	marker = xml_text(res, "Marker");
	if (xml_text(res, "IsTruncated") && !strcmp(xml_text(res, "IsTruncated"), "true") &&
	    marker && *marker && ++j->polls < COLLECT_IAM_POLLS + IAM_MAX_PAGES) {
		char next[1024];

		snprintf(next, sizeof(next), "%s", marker);
		xml_doc_release(&doc);
		if (iam_job_get(scan, j, next))
			iam_job_free(j);
		return;
	}
	iam_job_store(scan, j, res);
	xml_doc_release(&doc);
}

static void
iam_job_generate_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
                      const struct err *err)
{
	struct iam_job *j = user;
	struct xml_doc doc;
	struct err perr = { 0 };
	const char *id;

	if (err) {
		iam_job_gap(scan, j, "GenerateServiceLastAccessedDetails", err, NULL);
		return;
	}
	if (xml_parse(ans->body ? ans->body : "", ans->body_len, &doc, &perr)) {
		err_context(&perr, "iam", "GenerateServiceLastAccessedDetails", j->role);
		iam_job_gap(scan, j, "GenerateServiceLastAccessedDetails", &perr, NULL);
		return;
	}
	id = xml_text(doc.root, "GenerateServiceLastAccessedDetailsResult/JobId");
	if (!id || !*id || strlen(id) >= sizeof(j->job_id)) {
		xml_doc_release(&doc);
		iam_job_gap(scan, j, "GenerateServiceLastAccessedDetails", NULL,
		            "no JobId in the answer");
		return;
	}
	snprintf(j->job_id, sizeof(j->job_id), "%s", id);
	xml_doc_release(&doc);
	if (iam_job_get(scan, j, NULL))
		iam_job_free(j);
}

/* 1 when the previous scan's LastAccessed may stand in (iam.h). */
static int
iam_reuse_previous(struct collect_scan *scan, const char *role, cJSON *attrs)
{
	const cJSON *prev = collect_previous(scan, role);
	const cJSON *la = prev ? cJSON_GetObjectItemCaseSensitive(prev, "LastAccessed") : NULL;
	const char *at = json_str(la, "FetchedAt");
	struct tm tm = { 0 };
	time_t then;

	if (!la || !at)
		return 0;
	if (!collect_quick(scan)) {
		if (!strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm))
			return 0;
		then = timegm(&tm);
		if (time(NULL) - then > COLLECT_IAM_REUSE_S || time(NULL) < then)
			return 0;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "LastAccessed");
	cJSON_AddItemToObject(attrs, "LastAccessed", cJSON_Duplicate(la, 1));
	return 1;
}

static void
iam_used_role(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs,
              void *ctx)
{
	cJSON *set = ctx;
	const char *role = json_str(attrs, "Role");

	(void)scan;
	(void)arn;
	(void)region;
	if (role && !cJSON_GetObjectItemCaseSensitive(set, role))
		cJSON_AddItemToObject(set, role, cJSON_CreateTrue());
}

static void
iam_detail(struct collect_scan *scan)
{
	cJSON *roles = cJSON_CreateObject();
	const cJSON *r;

	/* IAM is global: one job per role, never per function */
	collect_each(scan, MODEL_FUNCTION, iam_used_role, roles);
	cJSON_ArrayForEach(r, roles)
	{
		cJSON *attrs = collect_attrs(scan, r->string);
		struct iam_job *j;
		const char *params[] = { "Arn", r->string, "Granularity", "ACTION_LEVEL", NULL };

		if (!attrs || strlen(r->string) >= sizeof(j->role))
			continue; /* not listed (a gap, or another account's role) */
		if (iam_reuse_previous(scan, r->string, attrs))
			continue;
		if (collect_quick(scan))
			continue;
		j = xcalloc(1, sizeof(*j));
		snprintf(j->role, sizeof(j->role), "%s", r->string);
		j->services = cJSON_CreateArray();
		if (collect_call_query(scan, "iam", "GenerateServiceLastAccessedDetails", NULL,
		                       params, iam_job_generate_done, j))
			iam_job_free(j);
	}
	cJSON_Delete(roles);
}

void
collect_iam_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	if (region)
		return; /* global */
	if (phase == COLLECT_PHASE_LIST)
		iam_list(scan);
	else if (phase == COLLECT_PHASE_DETAIL)
		iam_detail(scan);
}
