#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/edges.h"
#include "util/json.h"

#define ACCT "123456789012"

struct got {
	char lines[64][600];
	size_t n;
};

static void
record(void *ctx, const char *src, const char *dst, enum model_edge_kind kind, const char *evidence)
{
	struct got *g = ctx;

	assert_true(g->n < 64);
	snprintf(g->lines[g->n++], sizeof(g->lines[0]), "%s %s %s | %s", src, model_edge_name(kind),
	         dst, evidence);
}

/* The line for (src, kind, dst), or NULL. */
static const char *
find(const struct got *g, const char *src, const char *kind, const char *dst)
{
	char head[512];
	size_t i;

	snprintf(head, sizeof(head), "%s %s %s |", src, kind, dst);
	for (i = 0; i < g->n; i++)
		if (!strncmp(g->lines[i], head, strlen(head)))
			return g->lines[i];
	return NULL;
}

static cJSON *
parse(const char *text)
{
	struct err err = { 0 };
	cJSON *doc = json_parse(text, strlen(text), &err);

	assert_non_null(doc);
	return doc;
}

#define ROLE    "arn:aws:iam::" ACCT ":role/orders-role"
#define ADMIN   "arn:aws:iam::" ACCT ":role/admin-role"
#define FN      "arn:aws:lambda:us-east-1:" ACCT ":function:orders"
#define FN_EU   "arn:aws:lambda:eu-west-1:" ACCT ":function:eu-orders"
#define TABLE   "arn:aws:dynamodb:us-east-1:" ACCT ":table/orders"
#define TABLE2  "arn:aws:dynamodb:us-east-1:" ACCT ":table/customers"
#define BUCKET  "arn:aws:s3:::reports"
#define BUCKET2 "arn:aws:s3:::vault"
#define QUEUE   "arn:aws:sqs:us-east-1:" ACCT ":jobs"
#define TOPIC   "arn:aws:sns:us-east-1:" ACCT ":alerts"

struct model {
	cJSON *attrs[8];
	struct collect_edges_res res[8];
	size_t n;
};

static void
add(struct model *m, enum model_kind kind, const char *arn, const char *name, const char *region,
    const char *attrs)
{
	m->attrs[m->n] = parse(attrs);
	m->res[m->n] = (struct collect_edges_res){
		.kind = kind, .arn = arn, .name = name, .region = region, .attrs = m->attrs[m->n]
	};
	m->n++;
}

static void
model_release(struct model *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		cJSON_Delete(m->attrs[i]);
}

static void
build(struct model *m)
{
	memset(m, 0, sizeof(*m));
	/* documents decoded, as iam.c stores them */
	add(m, MODEL_ROLE, ROLE, "orders-role", "",
	    "{\"RolePolicyList\":[{\"PolicyName\":\"orders\",\"PolicyDocument\":{\"Statement\":["
	    "{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\",\"dynamodb:Query\"],"
	    "\"Resource\":\"arn:aws:dynamodb:us-east-1:" ACCT ":table/ord?rs\"},"
	    "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"" BUCKET "/out/*\","
	    "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}},"
	    "{\"Effect\":\"Deny\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}}],"
	    "\"ManagedPolicyDocuments\":{\"arn:aws:iam::" ACCT ":policy/jobs\":{\"Statement\":"
	    "{\"Effect\":\"Allow\",\"Action\":\"sqs:Send*\",\"Resource\":\"" QUEUE "\"}}}}");
	add(m, MODEL_ROLE, ADMIN, "admin-role", "",
	    "{\"ManagedPolicyDocuments\":{\"arn:aws:iam::aws:policy/AdministratorAccess\":"
	    "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
	    "{\"Effect\":\"Allow\",\"NotAction\":\"s3:*\",\"Resource\":\"*\"},"
	    "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"" BUCKET2 "*\"}]}}}");
	add(m, MODEL_FUNCTION, FN, "orders", "us-east-1",
	    "{\"Role\":\"" ROLE "\",\"_env_raw\":{\"TABLE_NAME\":\"orders\","
	    "\"QUEUE_URL\":\"https://sqs.us-east-1.amazonaws.com/" ACCT "/jobs\","
	    "\"OUT\":\"s3://reports/daily/\",\"LOG_LEVEL\":\"info\",\"TOPIC\":\"" TOPIC "\"},"
	    "\"Environment\":{\"Variables\":{\"TABLE_NAME\":\"orde…sha256:000000000000\"}}}");
	add(m, MODEL_FUNCTION, FN_EU, "eu-orders", "eu-west-1",
	    "{\"_env_raw\":{\"TABLE_NAME\":\"orders\"}}");
	add(m, MODEL_TABLE, TABLE, "orders", "us-east-1", "{\"TableName\":\"orders\"}");
	add(m, MODEL_TABLE, TABLE2, "customers", "us-east-1", "{}");
	add(m, MODEL_BUCKET, BUCKET, "reports", "us-east-1", "{}");
	add(m, MODEL_QUEUE, QUEUE, "jobs", "us-east-1", "{}");
}

static void
test_edges_role_reads_and_writes_from_its_policies(void **state)
{
	struct model m;
	struct got g = { 0 };
	const char *e;

	(void)state;
	build(&m);
	collect_edges_derive(m.res, m.n, record, &g);
	/* '?' in the table ARN, read-only actions: reads, no writes */
	e = find(&g, ROLE, "reads", TABLE);
	assert_non_null(e);
	assert_non_null(strstr(e, "policy orders allows dynamodb:GetItem"));
	assert_null(find(&g, ROLE, "writes", TABLE));
	assert_null(find(&g, ROLE, "reads", TABLE2));
	/* object prefix under the bucket, conditional: a write with a note */
	e = find(&g, ROLE, "writes", BUCKET);
	assert_non_null(e);
	assert_non_null(strstr(e, "(condition not evaluated)"));
	assert_null(find(&g, ROLE, "reads", BUCKET));
	/* the managed policy allows sqs:Send*, but an unconditional Deny sqs:* wins */
	assert_null(find(&g, ROLE, "writes", QUEUE));
	model_release(&m);
}

static void
test_edges_admin_reaches_everything_but_what_is_denied(void **state)
{
	struct model m;
	struct got g = { 0 };

	(void)state;
	build(&m);
	collect_edges_derive(m.res, m.n, record, &g);
	assert_non_null(find(&g, ADMIN, "reads", TABLE));
	assert_non_null(find(&g, ADMIN, "writes", TABLE2));
	assert_non_null(find(&g, ADMIN, "writes", QUEUE));
	assert_non_null(find(&g, ADMIN, "writes", BUCKET));
	assert_non_null(find(&g, ADMIN, "reads", FN)); /* lambda:GetFunction via "*" */
	model_release(&m);
}

static void
test_edges_environment_names_resources(void **state)
{
	struct model m;
	struct got g = { 0 };
	const char *e;

	(void)state;
	build(&m);
	collect_edges_derive(m.res, m.n, record, &g);
	e = find(&g, FN, "reads", TABLE); /* by name, from the raw value */
	assert_non_null(e);
	assert_non_null(strstr(e, "TABLE_NAME"));
	assert_non_null(find(&g, FN, "reads", QUEUE));  /* by queue URL */
	assert_non_null(find(&g, FN, "reads", BUCKET)); /* by s3:// URL */
	assert_null(find(&g, FN, "reads", TABLE2));
	/* the same table name in another region is another table */
	assert_null(find(&g, FN_EU, "reads", TABLE));
	model_release(&m);
}

static void
test_edges_are_emitted_once_each(void **state)
{
	struct model m;
	struct got g = { 0 };
	size_t i, j;

	(void)state;
	build(&m);
	collect_edges_derive(m.res, m.n, record, &g);
	assert_true(g.n > 5);
	for (i = 0; i < g.n; i++)
		for (j = i + 1; j < g.n; j++)
			assert_true(strncmp(g.lines[i], g.lines[j],
			                    strchr(g.lines[i], '|') - g.lines[i]) != 0);
	model_release(&m);
}

static void
test_edges_action_verbs(void **state)
{
	(void)state;
	assert_int_equal(collect_edges_action_writes("dynamodb:PutItem"), 1);
	assert_int_equal(collect_edges_action_writes("dynamodb:BatchGetItem"), 0);
	assert_int_equal(collect_edges_action_writes("sqs:ReceiveMessage"), 0);
	assert_int_equal(collect_edges_action_writes("sns:Publish"), 1);
	assert_int_equal(collect_edges_action_writes("lambda:InvokeFunction"), 1);
	assert_int_equal(collect_edges_action_writes("s3:ListBucket"), 0);
	assert_int_equal(collect_edges_action_writes("kms:Frobnicate"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges_role_reads_and_writes_from_its_policies),
		cmocka_unit_test(test_edges_admin_reaches_everything_but_what_is_denied),
		cmocka_unit_test(test_edges_environment_names_resources),
		cmocka_unit_test(test_edges_are_emitted_once_each),
		cmocka_unit_test(test_edges_action_verbs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
