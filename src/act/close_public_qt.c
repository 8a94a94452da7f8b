/*
 * close-public for SQS queues and SNS topics: the policy loses the
 * statements open to anyone (act/close_public_res.c), written back whole
 * with SetQueueAttributes / SetTopicAttributes (query protocol).
 *
 * Neither service keeps a revision: the policy's whole text is a key of
 * the state, so the re-read refuses a plan when one byte of it changed,
 * and the verify reads back exactly the text written. The undo writes the
 * backed-up text exactly (the plan's before, which is the backup's state).
 *
 * When no statement is left: a queue's Policy is set to "" (SQS then has
 * none); a topic gets the policy SNS gives a new topic (its owner account
 * only), since a topic always has one.
 */
#include "act/close_public_res.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/call.h"
#include "analyze/resource_policy.h"
#include "util/json.h"

const char *const cpr_queue_keys[] = { "QueueUrl", "Policy", "PolicyStatements", NULL };
const char *const cpr_topic_keys[] = { "TopicArn", "Policy", "PolicyStatements", NULL };
const char *const cpr_queue_backs_up[] = { "the queue's attributes, policy verbatim "
	                                   "(GetQueueAttributes All)",
	                                   NULL };
const char *const cpr_topic_backs_up[] = { "the topic's attributes, policy verbatim "
	                                   "(GetTopicAttributes)",
	                                   NULL };

/* The SNS actions of the policy AWS writes on a new topic. */
static const char *const sns_default_actions[] = {
	"SNS:GetTopicAttributes",
	"SNS:SetTopicAttributes",
	"SNS:AddPermission",
	"SNS:RemovePermission",
	"SNS:DeleteTopic",
	"SNS:Subscribe",
	"SNS:ListSubscriptionsByTopic",
	"SNS:Publish",
	NULL,
};

/* *state = {key: locator, Policy, PolicyStatements} from a policy text (NULL: none). */
static int
policy_state(const char *key, const char *locator, const char *text, cJSON **state, struct err *err)
{
	cJSON *doc = NULL;

	*state = NULL;
	if (text && text[0]) {
		cJSON *s = cJSON_CreateString(text);

		doc = rpol_parse(s);
		cJSON_Delete(s);
		if (!doc)
			return err_set(err, ERR_PARSE, "the policy of %s is not a policy document",
			               locator);
	}
	*state = cJSON_CreateObject();
	cJSON_AddStringToObject(*state, key, locator);
	if (doc)
		cJSON_AddStringToObject(*state, "Policy", text);
	else
		cJSON_AddNullToObject(*state, "Policy");
	cJSON_AddItemToObject(*state, "PolicyStatements", cpr_sorted_statements(doc));
	cJSON_Delete(doc);
	return 0;
}

static int
cached_state(const struct model_resource *r, const char *key, const char *locator, cJSON **state,
             struct err *err)
{
	cJSON *attrs = cJSON_Parse(r->attrs ? r->attrs : "{}");
	const cJSON *map = json_path(attrs, "Attributes");
	int rc;

	*state = NULL;
	if (!cJSON_IsObject(map) || !locator)
		rc = err_set(err, ERR_USAGE, "the cache holds no attributes for %s: rescan it",
		             r->name);
	else
		rc = policy_state(key, locator, json_str(map, "Policy"), state, err);
	cJSON_Delete(attrs);
	return rc;
}

int
cpr_queue_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                 struct err *err)
{
	cJSON *attrs = cJSON_Parse(r->attrs ? r->attrs : "{}");
	char url[2048];

	(void)ctx;
	snprintf(url, sizeof(url), "%s",
	         json_str(attrs, "QueueUrl") ? json_str(attrs, "QueueUrl") : "");
	cJSON_Delete(attrs);
	return cached_state(r, "QueueUrl", url[0] ? url : NULL, state, err);
}

int
cpr_topic_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                 struct err *err)
{
	(void)ctx;
	return cached_state(r, "TopicArn", r->arn, state, err);
}

/* ---- reading the account */

/* The attributes map of a query answer: each item's key and value elements, at path. */
static cJSON *
xml_map(const struct xml_doc *doc, const char *path, const char *key, const char *value)
{
	const struct xml_node *m;
	cJSON *map = cJSON_CreateObject();

	for (m = xml_find(doc->root, path); m; m = xml_next_same(m))
		if (xml_text(m, key) && xml_text(m, value))
			cJSON_AddStringToObject(map, xml_text(m, key), xml_text(m, value));
	return map;
}

/* GetQueueAttributes for names ("Policy" or "All"): the attribute map (caller deletes). */
static int
queue_attributes(struct aws_client *c, const cJSON *plan, const char *url, const char *names,
                 cJSON **map, struct err *err)
{
	struct xml_doc doc;
	int rc = act_query(c, json_str(plan, "region"), "sqs", "GetQueueAttributes", &doc, err,
	                   "QueueUrl", url, "AttributeName.1", names, NULL);

	*map = NULL;
	if (rc)
		return rc;
	*map = xml_map(&doc, "GetQueueAttributesResult/Attribute", "Name", "Value");
	xml_doc_release(&doc);
	return 0;
}

static int
topic_attributes(struct aws_client *c, const cJSON *plan, const char *arn, cJSON **map,
                 struct err *err)
{
	struct xml_doc doc;
	int rc = act_query(c, json_str(plan, "region"), "sns", "GetTopicAttributes", &doc, err,
	                   "TopicArn", arn, NULL);

	*map = NULL;
	if (rc)
		return rc;
	*map = xml_map(&doc, "GetTopicAttributesResult/Attributes/entry", "key", "value");
	xml_doc_release(&doc);
	return 0;
}

int
cpr_queue_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	const char *url = json_str(plan, "before.QueueUrl");
	cJSON *map = NULL;
	int rc;

	*state = NULL;
	if (!url)
		return err_set(err, ERR_PARSE, "the plan names no QueueUrl");
	rc = queue_attributes(c, plan, url, "Policy", &map, err);
	if (!rc)
		rc = policy_state("QueueUrl", url, json_str(map, "Policy"), state, err);
	cJSON_Delete(map);
	return rc;
}

int
cpr_topic_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	const char *arn = json_str(plan, "target.arn");
	cJSON *map = NULL;
	int rc = topic_attributes(c, plan, arn, &map, err);

	*state = NULL;
	if (!rc)
		rc = policy_state("TopicArn", arn, json_str(map, "Policy"), state, err);
	cJSON_Delete(map);
	return rc;
}

int
cpr_queue_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err)
{
	cJSON *map = NULL;
	int rc = queue_attributes(sc->client, sc->plan, json_str(sc->now, "QueueUrl"), "All", &map,
	                          err);

	if (!rc)
		cJSON_AddItemToObject(backup, "GetQueueAttributes", map);
	return rc;
}

int
cpr_topic_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err)
{
	cJSON *map = NULL;
	int rc =
	        topic_attributes(sc->client, sc->plan, json_str(sc->plan, "target.arn"), &map, err);

	if (!rc)
		cJSON_AddItemToObject(backup, "GetTopicAttributes", map);
	return rc;
}

/* ---- desire: the same policy without what is open to anyone */

/* The policy SNS writes on a new topic: its owner account may do the usual actions. */
static cJSON *
sns_default_policy(const char *topic_arn)
{
	cJSON *doc = cJSON_CreateObject(), *stmt, *cond;
	char account[16] = "";
	const char *p = topic_arn;
	int i;

	for (i = 0; i < 4 && p; i++) /* arn:aws:sns:REGION:ACCOUNT:NAME */
		p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
	if (p)
		snprintf(account, sizeof(account), "%.*s", (int)strcspn(p, ":"), p);
	cJSON_AddStringToObject(doc, "Version", "2008-10-17");
	cJSON_AddStringToObject(doc, "Id", "__default_policy_ID");
	stmt = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "Statement"), stmt);
	cJSON_AddStringToObject(stmt, "Sid", "__default_statement_ID");
	cJSON_AddStringToObject(stmt, "Effect", "Allow");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(stmt, "Principal"), "AWS", "*");
	cJSON_AddItemToObject(stmt, "Action", cJSON_CreateStringArray(sns_default_actions, 8));
	cJSON_AddStringToObject(stmt, "Resource", topic_arn);
	cond = cJSON_AddObjectToObject(cJSON_AddObjectToObject(stmt, "Condition"), "StringEquals");
	cJSON_AddStringToObject(cond, "AWS:SourceOwner", account);
	return doc;
}

/* Fills after from before: the policy text without its open statements, and the notes. */
static int
policy_desire(const struct act_plan_ctx *ctx, const char *arn, enum model_kind kind,
              const cJSON *before, cJSON *after, char *explain, size_t n, struct err *err)
{
	const char *what = kind == MODEL_QUEUE ? "queue" : "topic";
	cJSON *text =
	        cJSON_CreateString(json_str(before, "Policy") ? json_str(before, "Policy") : "");
	cJSON *doc = rpol_parse(text), *kept = NULL, *removed = NULL;
	const char *key = kind == MODEL_QUEUE ? "QueueUrl" : "TopicArn";
	int open = doc ? cpr_split_open(doc, &kept, &removed) : 0, rc = 0;
	struct buf why;

	cJSON_Delete(text);
	if (!open) {
		rc = err_set(
		        err, ERR_USAGE,
		        "nothing public to close: no statement of the %s policy lets anyone in "
		        "without a limiting condition",
		        what);
		goto out;
	}
	if (!cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(kept, "Statement")) &&
	    kind == MODEL_TOPIC) {
		cJSON_Delete(kept);
		kept = sns_default_policy(arn);
	}
	cJSON_AddItemToObject(after, key, cJSON_Duplicate(json_path(before, key), 1));
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(kept, "Statement"))) {
		char *out = cJSON_PrintUnformatted(kept);

		cJSON_AddStringToObject(after, "Policy", out);
		free(out);
	} else {
		cJSON_AddNullToObject(after, "Policy");
	}
	cJSON_AddItemToObject(after, "PolicyStatements", cpr_sorted_statements(kept));
	buf_init(&why, 1 << 16);
	cpr_describe_access(&why, ctx ? ctx->store : NULL, arn, kind, removed);
	cJSON_AddStringToObject(after, "reasons", buf_cstr(&why));
	buf_release(&why);
	snprintf(explain, n,
	         "%d statement%s of the %s policy let%s anyone in with no limiting condition: "
	         "%s; %s (reasons: who loses access, who keeps it)",
	         open, open == 1 ? "" : "s", what, open == 1 ? "s" : "",
	         "only the \"everyone\" principals go",
	         json_path(after, "Policy") && !cJSON_IsNull(json_path(after, "Policy"))
	                 ? "the rest of the policy is written back as it was"
	                 : (kind == MODEL_QUEUE ? "no statement is left: the policy is removed"
	                                        : "no statement is left: the topic gets SNS's "
	                                          "default policy (its owner account only)"));
out:
	cJSON_Delete(doc);
	cJSON_Delete(kept);
	cJSON_Delete(removed);
	return rc;
}

int
cpr_queue_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before, cJSON *after,
                 char *explain, size_t n, struct err *err)
{
	return policy_desire(ctx, arn, MODEL_QUEUE, before, after, explain, n, err);
}

int
cpr_topic_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before, cJSON *after,
                 char *explain, size_t n, struct err *err)
{
	return policy_desire(ctx, arn, MODEL_TOPIC, before, after, explain, n, err);
}

/* ---- calls: the whole policy text written; nothing when it is the same */

int
cpr_queue_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                cJSON *calls, struct err *err)
{
	const char *url = json_str(to, "QueueUrl"), *text = json_str(to, "Policy");
	cJSON *c;

	(void)name;
	(void)revision; /* SQS keeps none: the whole text is compared at the re-read */
	if (!url)
		return err_set(err, ERR_PARSE, "the state wanted has no QueueUrl");
	if (cJSON_Compare(json_path(from, "Policy"), json_path(to, "Policy"), 1))
		return 0;
	c = act_call_add(calls, "sqs", "SetQueueAttributes");
	act_call_param(c, "QueueUrl", url);
	act_call_param(c, "Attribute.1.Name", "Policy");
	/* "" removes the queue's policy */
	act_call_param(c, "Attribute.1.Value", text ? text : "");
	return 0;
}

int
cpr_topic_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                cJSON *calls, struct err *err)
{
	const char *arn = json_str(to, "TopicArn"), *text = json_str(to, "Policy");
	cJSON *c;

	(void)name;
	(void)revision;
	if (!arn)
		return err_set(err, ERR_PARSE, "the state wanted has no TopicArn");
	if (cJSON_Compare(json_path(from, "Policy"), json_path(to, "Policy"), 1))
		return 0;
	/* SNS has no "no policy": an empty value would give the default, not what was */
	if (!text)
		return err_set(err, ERR_USAGE, "a topic always has a policy: cannot write none");
	c = act_call_add(calls, "sns", "SetTopicAttributes");
	act_call_param(c, "TopicArn", arn);
	act_call_param(c, "AttributeName", "Policy");
	act_call_param(c, "AttributeValue", text);
	return 0;
}
