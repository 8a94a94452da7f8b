/*
 * close-public for queues, topics and buckets: which statements go (and
 * which principals of them), the state's order, the calls and their undo,
 * the refusals, and the row picked by the target's kind.
 */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act.h"
#include "act/close_public_res.h"
#include "testutil.h"
#include "util/json.h"

#define ACCT     "111122223333"
#define QARN(n)  "arn:aws:sqs:us-east-1:" ACCT ":" n
#define QURL(n)  "https://sqs.us-east-1.amazonaws.com/" ACCT "/" n
#define TARN(n)  "arn:aws:sns:us-east-1:" ACCT ":" n
#define BARN(n)  "arn:aws:s3:::" n
#define FNARN(n) "arn:aws:lambda:us-east-1:" ACCT ":function:" n
#define TODAY    ((time_t)20000 * 86400)

/* Statements, as JSON text (escaped for a policy held as a string attribute below). */
#define OPEN_SEND \
	"{\"Sid\":\"anyone\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\"}"
#define FROM_TOPIC                                                                                   \
	"{\"Sid\":\"topic\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"}," \
	"\"Action\":\"sqs:SendMessage\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"" TARN(    \
	        "t") "\"}}}"

struct fixture {
	char *dir;
	struct store *s;
	struct analyze_opts opts;
	struct act_plan_ctx ctx;
	cJSON *with;
};

/* A queue or topic whose attrs hold "Attributes": {"Policy": policy text} (NULL: none). */
static void
put_policy_res(struct store *s, enum model_kind kind, const char *arn, const char *name,
               const char *policy)
{
	cJSON *attrs = cJSON_CreateObject(), *map = cJSON_AddObjectToObject(attrs, "Attributes");
	char url[256], *text;
	struct model_resource r = { arn, kind, name, "us-east-1", ACCT, NULL };

	if (kind == MODEL_QUEUE) {
		snprintf(url, sizeof(url), QURL("%s"), name);
		cJSON_AddStringToObject(attrs, "QueueUrl", url);
	}
	if (policy)
		cJSON_AddStringToObject(map, "Policy", policy);
	text = cJSON_PrintUnformatted(attrs);
	r.attrs = text;
	assert_int_equal(store_put_resource(s, &r, NULL), 0);
	free(text);
	cJSON_Delete(attrs);
}

static void
put_bucket(struct store *s, const char *name, const char *region, const char *pab,
           const char *policy)
{
	char arn[128], attrs[4096];
	struct model_resource r = { arn, MODEL_BUCKET, name, region, ACCT, attrs };

	snprintf(arn, sizeof(arn), BARN("%s"), name);
	snprintf(attrs, sizeof(attrs),
	         "{\"Name\":\"%s\",\"PublicAccessBlockConfiguration\":%s,\"Policy\":%s}", name, pab,
	         policy);
	assert_int_equal(store_put_resource(s, &r, NULL), 0);
}

static void
put_edge(struct store *s, const char *src, const char *dst, enum model_edge_kind kind,
         const char *why)
{
	struct model_edge e = { src, dst, kind, why };

	assert_int_equal(store_put_edge(s, &e, NULL), 0);
}

static void
seed(struct store *s)
{
	struct model_resource fn = {
		FNARN("worker"), MODEL_FUNCTION, "worker",
		"us-east-1",     ACCT,           "{\"RevisionId\":\"r1\",\"Timeout\":30}"
	};

	assert_int_equal(store_put_resource(s, &fn, NULL), 0);
	put_policy_res(s, MODEL_QUEUE, QARN("jobs"), "jobs",
	               "{\"Version\":\"2012-10-17\",\"Id\":\"q\",\"Statement\":[" OPEN_SEND
	               "," FROM_TOPIC "]}");
	put_policy_res(s, MODEL_QUEUE, QARN("alone"), "alone",
	               "{\"Version\":\"2012-10-17\",\"Statement\":" OPEN_SEND "}");
	put_policy_res(s, MODEL_QUEUE, QARN("closed"), "closed",
	               "{\"Version\":\"2012-10-17\",\"Statement\":[" FROM_TOPIC "]}");
	put_policy_res(s, MODEL_QUEUE, QARN("nopolicy"), "nopolicy", NULL);
	put_policy_res(s, MODEL_TOPIC, TARN("news"), "news",
	               "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Sid\":\"pub\",\"Effect\":"
	               "\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"SNS:Publish\"}]}");
	put_bucket(s, "site", "eu-west-1", "null",
	           "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"read\",\"Effect\":"
	           "\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":"
	           "\"arn:aws:s3:::site/*\"}]}");
	put_bucket(s, "locked", "us-east-1",
	           "{\"BlockPublicAcls\":true,\"IgnorePublicAcls\":true,\"BlockPublicPolicy\":true,"
	           "\"RestrictPublicBuckets\":true}",
	           "null");
	put_bucket(s, "half", "us-east-1", "{\"BlockPublicAcls\":true}", "null");
	put_edge(s, QARN("jobs"), FNARN("worker"), MODEL_EDGE_TRIGGERS,
	         "SQS event source mapping uuid 1");
	put_edge(s, TARN("t"), QARN("jobs"), MODEL_EDGE_WRITES, "SNS subscription sqs");
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct store_scan scan = { .started = TODAY, .account = ACCT, .regions = "us-east-1" };
	char path[512];

	f->dir = test_tmpdir();
	snprintf(path, sizeof(path), "%s/cache.db", f->dir);
	assert_int_equal(store_open(path, 0, &f->s, NULL), 0);
	assert_int_equal(store_scan_begin(f->s, &scan, NULL), 0);
	seed(f->s);
	assert_int_equal(store_scan_commit(f->s, &scan, NULL), 0);
	analyze_opts_default(&f->opts);
	f->ctx.store = f->s;
	f->ctx.opts = &f->opts;
	f->ctx.today = TODAY;
	f->with = cJSON_CreateObject();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	test_rmtree(f->dir);
	cJSON_Delete(f->with);
	free(f->dir);
	free(f);
	return 0;
}

static int
plan_of(struct fixture *f, const char *arn, cJSON **plan, struct err *err)
{
	*plan = NULL;
	return act_plan_build(&f->ctx, act_action_find("close-public"), arn, plan, err);
}

/* A query call's parameter (names such as "Attribute.1.Value" hold dots). */
static const char *
param(const cJSON *call, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(json_path(call, "params"), name);

	return cJSON_IsString(v) ? v->valuestring : "(absent)";
}

static const cJSON *
call_at(const cJSON *plan, const char *path, int i)
{
	return cJSON_GetArrayItem(json_path(plan, path), i);
}

/* ---- which statements are open */

static int
split_count(const char *doc_text, cJSON **kept, cJSON **removed)
{
	cJSON *doc = cJSON_Parse(doc_text);
	int n;

	assert_non_null(doc);
	n = cpr_split_open(doc, kept, removed);
	cJSON_Delete(doc);
	return n;
}

static void
test_open_statements_go_and_limited_ones_stay(void **state)
{
	cJSON *kept, *removed;

	(void)state;
	assert_int_equal(split_count("{\"Statement\":[" OPEN_SEND "," FROM_TOPIC
	                             ",{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
	                             "\"Action\":\"sqs:*\"}]}",
	                             &kept, &removed),
	                 2);
	assert_int_equal(cJSON_GetArraySize(json_path(kept, "Statement")), 1);
	assert_string_equal(json_str(json_path(kept, "Statement")->child, "Sid"), "topic");
	assert_string_equal(json_str(removed->child, "Sid"), "anyone");
	cJSON_Delete(kept);
	cJSON_Delete(removed);
}

static void
test_a_named_account_beside_star_keeps_its_access(void **state)
{
	cJSON *kept, *removed;
	const cJSON *p;

	(void)state;
	assert_int_equal(split_count("{\"Statement\":[{\"Sid\":\"mix\",\"Effect\":\"Allow\","
	                             "\"Principal\":{\"AWS\":[\"*\",\"arn:aws:iam::210987654321:"
	                             "root\"]},\"Action\":\"SNS:Publish\"}]}",
	                             &kept, &removed),
	                 1);
	p = json_path(json_path(kept, "Statement")->child, "Principal.AWS");
	assert_int_equal(cJSON_GetArraySize(p), 1);
	assert_string_equal(p->child->valuestring, "arn:aws:iam::210987654321:root");
	cJSON_Delete(kept);
	cJSON_Delete(removed);
}

static void
test_negated_conditions_and_notprincipal_are_open_a_deny_cancels(void **state)
{
	cJSON *kept, *removed;

	(void)state;
	/* StringNotEquals pins nobody; NotPrincipal in an Allow lets everyone else in */
	assert_int_equal(
	        split_count("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
	                    "\"s3:GetObject\",\"Condition\":{\"StringNotEquals\":{\"aws:"
	                    "SourceAccount\":\"1\"}}},{\"Effect\":\"Allow\",\"NotPrincipal\":{"
	                    "\"AWS\":\"arn:aws:iam::1:root\"},\"Action\":\"s3:GetObject\"}]}",
	                    &kept, &removed),
	        2);
	assert_int_equal(cJSON_GetArraySize(json_path(kept, "Statement")), 0);
	cJSON_Delete(kept);
	cJSON_Delete(removed);
	/* an unconditional Deny for everyone cancels the grant: nothing is open */
	assert_int_equal(split_count("{\"Statement\":[" OPEN_SEND ",{\"Effect\":\"Deny\","
	                             "\"Principal\":\"*\",\"Action\":\"sqs:*\"}]}",
	                             &kept, &removed),
	                 0);
	assert_int_equal(cJSON_GetArraySize(removed), 0);
	cJSON_Delete(kept);
	cJSON_Delete(removed);
}

static void
test_statements_sort_by_sid_those_without_first_in_order(void **state)
{
	cJSON *doc = cJSON_Parse("{\"Statement\":[{\"Sid\":\"b\"},{\"Effect\":\"x1\"},{\"Sid\":"
	                         "\"a\"},{\"Effect\":\"x2\"}]}");
	cJSON *s = cpr_sorted_statements(doc);

	(void)state;
	assert_string_equal(json_str(cJSON_GetArrayItem(s, 0), "Effect"), "x1");
	assert_string_equal(json_str(cJSON_GetArrayItem(s, 1), "Effect"), "x2");
	assert_string_equal(json_str(cJSON_GetArrayItem(s, 2), "Sid"), "a");
	assert_string_equal(json_str(cJSON_GetArrayItem(s, 3), "Sid"), "b");
	cJSON_Delete(s);
	cJSON_Delete(doc);
}

/* ---- queues */

static void
test_queue_policy_is_written_back_without_the_open_statement(void **state)
{
	cJSON *plan = NULL, *written;
	const cJSON *c;

	assert_int_equal(plan_of(*state, QARN("jobs"), &plan, NULL), 0);
	assert_string_equal(json_str(plan, "target.kind"), "queue");
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "before.PolicyStatements")), 2);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "after.PolicyStatements")), 1);
	c = call_at(plan, "calls", 0);
	assert_string_equal(json_str(c, "service"), "sqs");
	assert_string_equal(json_str(c, "operation"), "SetQueueAttributes");
	assert_string_equal(param(c, "QueueUrl"), QURL("jobs"));
	assert_string_equal(param(c, "Attribute.1.Name"), "Policy");
	written = cJSON_Parse(param(c, "Attribute.1.Value"));
	/* the rest of the document as it was: its Id, its Version, the kept statement */
	assert_string_equal(json_str(written, "Id"), "q");
	assert_int_equal(cJSON_GetArraySize(json_path(written, "Statement")), 1);
	assert_string_equal(json_str(plan, "after.Policy"), param(c, "Attribute.1.Value"));
	cJSON_Delete(written);
	/* the undo writes the text read before, byte for byte */
	c = call_at(plan, "undo.calls", 0);
	assert_string_equal(param(c, "Attribute.1.Value"), json_str(plan, "before.Policy"));
	cJSON_Delete(plan);
}

static void
test_queue_reasons_name_who_loses_and_the_trigger_that_keeps(void **state)
{
	cJSON *plan = NULL;
	const char *why;

	assert_int_equal(plan_of(*state, QARN("jobs"), &plan, NULL), 0);
	why = json_str(plan, "reasons");
	assert_non_null(why);
	assert_non_null(strstr(why, "loses access: statement Sid anyone"));
	assert_non_null(strstr(why, "keeps access: function worker"));
	assert_non_null(strstr(why, "Lambda polls the queue"));
	/* a service delivering through the policy is flagged for the reviewer */
	assert_non_null(strstr(why, "check: "));
	assert_null(json_path(plan, "after.reasons"));
	assert_non_null(strstr(json_str(plan, "explain"), "1 statement"));
	cJSON_Delete(plan);
}

static void
test_queue_with_nothing_left_loses_its_policy(void **state)
{
	cJSON *plan = NULL;
	const cJSON *c;

	assert_int_equal(plan_of(*state, QARN("alone"), &plan, NULL), 0);
	assert_true(cJSON_IsNull(json_path(plan, "after.Policy")));
	c = call_at(plan, "calls", 0);
	assert_string_equal(param(c, "Attribute.1.Value"), "");
	cJSON_Delete(plan);
}

static void
test_nothing_public_is_refused(void **state)
{
	cJSON *plan = NULL;
	struct err err = { 0 };

	assert_int_equal(plan_of(*state, QARN("closed"), &plan, &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, "nothing public to close"));
	assert_null(plan);
	assert_int_equal(plan_of(*state, QARN("nopolicy"), &plan, &err), ERR_USAGE);
	assert_int_equal(plan_of(*state, BARN("locked"), &plan, &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, "already on"));
}

/* ---- topics */

static void
test_topic_with_nothing_left_gets_the_owner_only_default(void **state)
{
	cJSON *plan = NULL, *doc;
	const cJSON *c;

	assert_int_equal(plan_of(*state, TARN("news"), &plan, NULL), 0);
	c = call_at(plan, "calls", 0);
	assert_string_equal(json_str(c, "operation"), "SetTopicAttributes");
	assert_string_equal(param(c, "TopicArn"), TARN("news"));
	assert_string_equal(param(c, "AttributeName"), "Policy");
	doc = cJSON_Parse(param(c, "AttributeValue"));
	assert_string_equal(json_str(json_path(doc, "Statement")->child,
	                             "Condition.StringEquals.AWS:SourceOwner"),
	                    ACCT);
	cJSON_Delete(doc);
	cJSON_Delete(plan);
}

static void
test_topic_calls_refuse_to_write_no_policy(void **state)
{
	const struct act_action *a = act_action_for("close-public", MODEL_TOPIC);
	cJSON *from = cJSON_Parse("{\"TopicArn\":\"" TARN("x") "\",\"Policy\":\"{}\"}");
	cJSON *to = cJSON_Parse("{\"TopicArn\":\"" TARN("x") "\",\"Policy\":null}");
	cJSON *calls = cJSON_CreateArray();

	(void)state;
	assert_int_equal(a->calls("x", from, to, "", calls, NULL), ERR_USAGE);
	assert_int_equal(a->calls("x", from, from, "", calls, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(calls), 0); /* the same text: nothing to send */
	cJSON_Delete(from);
	cJSON_Delete(to);
	cJSON_Delete(calls);
}

/* ---- buckets */

static void
test_bucket_block_goes_on_in_its_region_and_undo_deletes_it(void **state)
{
	cJSON *plan = NULL;
	const cJSON *c;
	const char *xml;

	assert_int_equal(plan_of(*state, BARN("site"), &plan, NULL), 0);
	assert_string_equal(json_str(plan, "region"), "eu-west-1");
	assert_string_equal(json_str(plan, "account"), ACCT);
	assert_true(cJSON_IsNull(json_path(plan, "before.PublicAccessBlock")));
	assert_true(json_bool(plan, "after.PublicAccessBlock.RestrictPublicBuckets", 0));
	/* without --with policy the policy stays as it is */
	assert_true(cJSON_Compare(json_path(plan, "before.PolicyStatements"),
	                          json_path(plan, "after.PolicyStatements"), 1));
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "calls")), 1);
	c = call_at(plan, "calls", 0);
	assert_string_equal(json_str(c, "operation"), "PutPublicAccessBlock");
	assert_string_equal(json_str(c, "method"), "PUT");
	assert_string_equal(json_str(c, "path"), "/site");
	assert_string_equal(json_str(c, "query"), "publicAccessBlock");
	assert_string_equal(json_str(c, "region"), "eu-west-1");
	xml = json_str(c, "xml");
	assert_non_null(strstr(xml, "<BlockPublicAcls>true</BlockPublicAcls>"));
	assert_non_null(strstr(xml, "<RestrictPublicBuckets>true</RestrictPublicBuckets>"));
	assert_null(strstr(xml, "false"));
	c = call_at(plan, "undo.calls", 0);
	assert_string_equal(json_str(c, "operation"), "DeletePublicAccessBlock");
	assert_true(json_bool(c, "once", 0));
	assert_non_null(strstr(json_str(plan, "reasons"), "anonymous callers"));
	cJSON_Delete(plan);
}

static void
test_bucket_undo_puts_the_old_settings_back(void **state)
{
	cJSON *plan = NULL;
	const char *xml;

	assert_int_equal(plan_of(*state, BARN("half"), &plan, NULL), 0);
	xml = json_str(call_at(plan, "undo.calls", 0), "xml");
	assert_string_equal(json_str(call_at(plan, "undo.calls", 0), "operation"),
	                    "PutPublicAccessBlock");
	assert_non_null(strstr(xml, "<BlockPublicAcls>true</BlockPublicAcls>"));
	assert_non_null(strstr(xml, "<IgnorePublicAcls>false</IgnorePublicAcls>"));
	cJSON_Delete(plan);
}

static void
test_bucket_with_policy_removes_the_statement_and_undo_reads_the_backup(void **state)
{
	struct fixture *f = *state;
	cJSON *plan = NULL;
	const cJSON *c;

	cJSON_AddTrueToObject(f->with, "policy");
	f->ctx.options = f->with;
	assert_int_equal(plan_of(f, BARN("site"), &plan, NULL), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "after.PolicyStatements")), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(plan, "calls")), 2);
	/* the block first: an undo must lift BlockPublicPolicy before the policy goes back */
	assert_string_equal(json_str(call_at(plan, "calls", 0), "operation"),
	                    "PutPublicAccessBlock");
	assert_string_equal(json_str(call_at(plan, "calls", 1), "operation"), "DeleteBucketPolicy");
	c = call_at(plan, "undo.calls", 1);
	assert_string_equal(json_str(c, "operation"), "PutBucketPolicy");
	assert_string_equal(json_str(c, "query"), "policy");
	assert_string_equal(json_str(c, "from_backup.xml"), "GetBucketPolicy");
	assert_null(json_path(c, "xml"));
	cJSON_Delete(plan);
}

static void
test_policy_option_is_refused_for_a_queue(void **state)
{
	struct fixture *f = *state;
	cJSON *plan = NULL;
	struct err err = { 0 };

	cJSON_AddTrueToObject(f->with, "policy");
	f->ctx.options = f->with;
	assert_int_equal(plan_of(f, QARN("jobs"), &plan, &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, "no option 'policy'"));
}

/* ---- one name, a row per kind */

static void
test_the_row_is_picked_by_the_targets_kind(void **state)
{
	cJSON *plan = cJSON_Parse("{\"action\":\"close-public\",\"target\":{\"kind\":\"bucket\"}}");
	unsigned kinds = act_action_kinds("close-public");

	(void)state;
	assert_int_equal(act_plan_action(plan)->applies_to, MODEL_BUCKET);
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(plan, "target"), "kind",
	                          cJSON_CreateString("function"));
	assert_int_equal(act_plan_action(plan)->applies_to, MODEL_FUNCTION);
	assert_true(kinds & (1u << MODEL_QUEUE));
	assert_true(kinds & (1u << MODEL_TOPIC));
	assert_true(kinds & (1u << MODEL_BUCKET));
	assert_true(kinds & (1u << MODEL_FUNCTION));
	assert_false(kinds & (1u << MODEL_ROLE));
	assert_null(act_action_for("close-public", MODEL_ROLE));
	cJSON_Delete(plan);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_statements_go_and_limited_ones_stay),
		cmocka_unit_test(test_a_named_account_beside_star_keeps_its_access),
		cmocka_unit_test(test_negated_conditions_and_notprincipal_are_open_a_deny_cancels),
		cmocka_unit_test(test_statements_sort_by_sid_those_without_first_in_order),
		cmocka_unit_test_setup_teardown(
		        test_queue_policy_is_written_back_without_the_open_statement, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_queue_reasons_name_who_loses_and_the_trigger_that_keeps, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(test_queue_with_nothing_left_loses_its_policy,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_public_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_topic_with_nothing_left_gets_the_owner_only_default, setup, teardown),
		cmocka_unit_test(test_topic_calls_refuse_to_write_no_policy),
		cmocka_unit_test_setup_teardown(
		        test_bucket_block_goes_on_in_its_region_and_undo_deletes_it, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(test_bucket_undo_puts_the_old_settings_back, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
		        test_bucket_with_policy_removes_the_statement_and_undo_reads_the_backup,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_option_is_refused_for_a_queue, setup,
		                                teardown),
		cmocka_unit_test(test_the_row_is_picked_by_the_targets_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
