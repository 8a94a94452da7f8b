/*
 * The console tests' helper, built by tests/integration/test_tui.py:
 *   tui_tool seed CACHE   writes a realistic small account through the store
 *                         API, plus resources with hostile names
 *   tui_tool ui CACHE     runs ui_run() on CACHE (until src/main.c opens the
 *                         console for `shears --cache CACHE`)
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "ui/ui.h"
#include "util/err.h"

#define ACCT "123456789012"

static struct store *st;
static struct err err;

static int
put(enum model_kind kind, const char *region, const char *arn, const char *name, const char *attrs)
{
	struct model_resource r = { .arn = arn,
		                    .kind = kind,
		                    .name = name,
		                    .region = region,
		                    .account = ACCT,
		                    .attrs = attrs };

	return store_put_resource(st, &r, &err);
}

static int
edge(const char *src, const char *dst, enum model_edge_kind kind, const char *evidence)
{
	struct model_edge e = { .src = src, .dst = dst, .kind = kind, .evidence = evidence };

	return store_put_edge(st, &e, &err);
}

#define FN(name)   "arn:aws:lambda:us-east-1:" ACCT ":function:" name
#define ROLE(name) "arn:aws:iam::" ACCT ":role/" name

static const char *const hostile[] = {
	"evil\x1b[2J\x1b[31mred",
	"\xe2\x80\xae"
	"gnp.exe",
	"bad\xff"
	"name",
	"c1\xc2\x9b"
	"31mcsi",
	"forged\nFAKE ROW",
	"\xe9\x96\xa2\xe6\x95\xb0\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88\xe9\x96\xa2\xe6\x95\xb0"
	"\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88\xe9\x96\xa2\xe6\x95\xb0\xe3\x83\x86\xe3\x82\xb9"
	"\xe3\x83\x88", /* 関数テスト x3: 15 double-width characters */
};

static int
seed_functions(void)
{
	static const struct {
		const char *name, *runtime;
		int memory, timeout, daily;
	} fns[] = {
		{ "orders-api", "python3.12", 512, 30, 1200 },
		{ "payments-worker", "nodejs20.x", 1024, 900, 300 },
		{ "thumbnail-resizer", "python3.9", 2048, 60, 80 },
		{ "nightly-report", "java17", 3008, 600, 1 },
		{ "legacy-cron", "python2.7", 128, 300, 0 },
	};
	char arn[512], attrs[2048], longname[400];
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(fns) / sizeof(fns[0]) && !rc; i++) {
		snprintf(arn, sizeof(arn), FN("%s"), fns[i].name);
		snprintf(
		        attrs, sizeof(attrs),
		        "{\"FunctionName\":\"%s\",\"FunctionArn\":\"%s\",\"Runtime\":\"%s\","
		        "\"Role\":\"" ROLE(
		                "%s-role") "\",\"Handler\":\"app.handler\","
		                           "\"CodeSize\":%d,\"MemorySize\":%d,\"Timeout\":%d,"
		                           "\"LastModified\":\"2024-0%zu-12T10:00:00.000+0000\",\"PackageType\":\"Zip\","
		                           "\"Environment\":{\"Variables\":{\"TABLE_NAME\":\"orders\",\"API_KEY\":\"[redacted]\"}},"
		                           "\"Layers\":[{\"Arn\":\"arn:aws:lambda:us-east-1:" ACCT
		                           ":layer:common:7\",\"CodeSize\":1000}],"
		                           "\"Tags\":{\"team\":\"payments\",\"owner\":\"ana\"},"
		                           "\"Concurrency\":{\"ReservedConcurrentExecutions\":%d}}",
		        fns[i].name, arn, fns[i].runtime, fns[i].name, 1000 + (int)i * 777,
		        fns[i].memory, fns[i].timeout, i + 1, (int)i * 5);
		rc = put(MODEL_FUNCTION, "us-east-1", arn, fns[i].name, attrs);
	}
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]) && !rc; i++) {
		snprintf(arn, sizeof(arn), FN("hostile-%zu-%s"), i, hostile[i]);
		rc = put(MODEL_FUNCTION, "eu-west-1", arn, hostile[i],
		         "{\"Runtime\":\"python3.12\",\"Timeout\":3,\"MemorySize\":128,"
		         "\"Tags\":{\"note\":\"\\u001b[2Jtag\"}}");
	}
	memset(longname, 'x', sizeof(longname) - 1);
	memcpy(longname, "long-", 5);
	longname[sizeof(longname) - 1] = '\0';
	snprintf(arn, sizeof(arn), FN("%.300s"), longname);
	return rc ? rc : put(MODEL_FUNCTION, "eu-west-1", arn, longname, "{\"Runtime\":\"go1.x\"}");
}

static int
seed_others(void)
{
	static const char *const roles[] = { "orders-api-role", "payments-worker-role",
		                             "thumbnail-resizer-role", "nightly-report-role",
		                             "legacy-cron-role" };
	char arn[256], attrs[512];
	size_t i;
	int rc = 0;

	for (i = 0; i < 5 && !rc; i++) {
		snprintf(arn, sizeof(arn), ROLE("%s"), roles[i]);
		snprintf(
		        attrs, sizeof(attrs),
		        "{\"RoleName\":\"%s\",\"Path\":\"/service/\",\"CreateDate\":\"2023-0%zu-01T00:00:00Z\","
		        "\"RoleLastUsed\":{\"LastUsedDate\":\"2024-05-0%zuT00:00:00Z\"}}",
		        roles[i], i + 1, i + 1);
		rc = put(MODEL_ROLE, "", arn, roles[i], attrs);
	}
	rc = rc ? rc
	        : put(MODEL_BUCKET, "us-east-1", "arn:aws:s3:::acme-uploads", "acme-uploads",
	              "{\"CreationDate\":\"2022-01-01T00:00:00Z\",\"PolicyStatus\":{\"IsPublic\":true}}");
	rc = rc ? rc
	        : put(MODEL_BUCKET, "us-east-1", "arn:aws:s3:::acme-thumbs", "acme-thumbs",
	              "{\"CreationDate\":\"2022-02-01T00:00:00Z\"}");
	rc = rc ? rc
	        : put(MODEL_TABLE, "us-east-1", "arn:aws:dynamodb:us-east-1:" ACCT ":table/orders",
	              "orders",
	              "{\"TableStatus\":\"ACTIVE\",\"ItemCount\":52000,\"TableSizeBytes\":9100000}");
	rc = rc ? rc
	        : put(MODEL_QUEUE, "us-east-1", "arn:aws:sqs:us-east-1:" ACCT ":payments",
	              "payments",
	              "{\"Attributes\":{\"VisibilityTimeout\":\"900\",\"MessageRetentionPeriod\":\"345600\"}}");
	rc = rc ? rc
	        : put(MODEL_TOPIC, "us-east-1", "arn:aws:sns:us-east-1:" ACCT ":alerts", "alerts",
	              "{\"Attributes\":{\"SubscriptionsConfirmed\":\"2\"}}");
	rc = rc ? rc
	        : put(MODEL_RULE, "us-east-1", "arn:aws:events:us-east-1:" ACCT ":rule/nightly",
	              "nightly",
	              "{\"State\":\"ENABLED\",\"ScheduleExpression\":\"cron(0 2 * * ? *)\"}");
	rc = rc ? rc
	        : put(MODEL_LOG_GROUP, "us-east-1",
	              "arn:aws:logs:us-east-1:" ACCT ":log-group:/aws/lambda/orders-api",
	              "/aws/lambda/orders-api", "{\"storedBytes\":123456}");
	rc = rc ? rc
	        : put(MODEL_REST_API, "us-east-1", "arn:aws:apigateway:us-east-1::/restapis/a1b2c3",
	              "orders-public",
	              "{\"id\":\"a1b2c3\",\"endpointConfiguration\":{\"types\":[\"REGIONAL\"]}}");
	rc = rc ? rc
	        : put(MODEL_HTTP_API, "eu-west-1", "arn:aws:apigateway:eu-west-1::/apis/zz9",
	              "webhooks", "{\"ApiId\":\"zz9\",\"ProtocolType\":\"HTTP\"}");
	return rc;
}

static int
seed_edges(void)
{
	char role[256], fn[256];
	int rc = 0;
	static const char *const names[] = { "orders-api", "payments-worker", "thumbnail-resizer",
		                             "nightly-report", "legacy-cron" };
	size_t i;

	for (i = 0; i < 5 && !rc; i++) {
		snprintf(fn, sizeof(fn), FN("%s"), names[i]);
		snprintf(role, sizeof(role), ROLE("%s-role"), names[i]);
		rc = edge(fn, role, MODEL_EDGE_ASSUMES, "Configuration.Role");
	}
	rc = rc ? rc
	        : edge("arn:aws:apigateway:us-east-1::/restapis/a1b2c3", FN("orders-api"),
	               MODEL_EDGE_TRIGGERS, "GET /orders integration");
	rc = rc ? rc
	        : edge("arn:aws:sqs:us-east-1:" ACCT ":payments", FN("payments-worker"),
	               MODEL_EDGE_TRIGGERS, "SQS event source mapping 9f1c");
	rc = rc ? rc
	        : edge("arn:aws:s3:::acme-uploads", FN("thumbnail-resizer"), MODEL_EDGE_TRIGGERS,
	               "bucket notification s3:ObjectCreated:*");
	rc = rc ? rc
	        : edge("arn:aws:events:us-east-1:" ACCT ":rule/nightly", FN("nightly-report"),
	               MODEL_EDGE_TRIGGERS, "rule target");
	rc = rc ? rc
	        : edge(FN("orders-api"), "arn:aws:dynamodb:us-east-1:" ACCT ":table/orders",
	               MODEL_EDGE_WRITES, "env TABLE_NAME");
	rc = rc ? rc
	        : edge(ROLE("orders-api-role"), "arn:aws:dynamodb:us-east-1:" ACCT ":table/orders",
	               MODEL_EDGE_READS, "dynamodb:GetItem on table/orders");
	rc = rc ? rc
	        : edge(FN("orders-api"), "arn:aws:sqs:us-east-1:" ACCT ":payments",
	               MODEL_EDGE_INVOKES, "on success destination");
	rc = rc ? rc
	        : edge(FN("payments-worker"), "arn:aws:sns:us-east-1:" ACCT ":alerts",
	               MODEL_EDGE_INVOKES, "on failure destination");
	rc = rc ? rc
	        : edge(FN("thumbnail-resizer"), "arn:aws:s3:::acme-thumbs", MODEL_EDGE_WRITES,
	               "env OUT_BUCKET");
	return rc;
}

static int
seed_metrics(void)
{
	int64_t today = (int64_t)time(NULL) / 86400, d;
	int rc = 0;

	for (d = 0; d < 90 && !rc; d++) {
		/* a weekly rhythm and a spike 10 days ago */
		double inv = 1000 + 400 * (d % 7) + (d == 79 ? 8000 : 0);

		rc = store_put_metric(st, FN("orders-api"), "Invocations", today - 89 + d, inv,
		                      &err);
		rc = rc ? rc
		        : store_put_metric(st, FN("orders-api"), "Errors", today - 89 + d, d % 3,
		                           &err);
		rc = rc ? rc
		        : store_put_metric(st, FN("orders-api"), "DurationMax", today - 89 + d,
		                           800 + 10 * (double)d, &err);
		rc = rc ? rc
		        : store_put_metric(st, FN("payments-worker"), "Invocations", today - 89 + d,
		                           300, &err);
	}
	return rc;
}

static int
seed(const char *path)
{
	struct store_scan scan = { .account = ACCT, .regions = "us-east-1,eu-west-1" };
	int rc = store_open(path, 0, &st, &err);

	if (rc)
		return rc;
	rc = store_scan_begin(st, &scan, &err);
	rc = rc ? rc : seed_functions();
	rc = rc ? rc : seed_others();
	rc = rc ? rc : seed_edges();
	rc = rc ? rc : seed_metrics();
	rc = rc ? rc
	        : store_put_gap(st, "lambda", "eu-west-1", "GetPolicy",
	                        "AccessDeniedException: not authorized", &err);
	scan.calls = 87;
	scan.complete = 0;
	scan.summary = "{\"calls\":87}";
	rc = rc ? rc : store_scan_commit(st, &scan, &err);
	store_close(st);
	return rc;
}

int
main(int argc, char **argv)
{
	char msg[1024];
	int rc;

	if (argc != 3 || (strcmp(argv[1], "seed") && strcmp(argv[1], "ui"))) {
		fprintf(stderr, "usage: tui_tool seed|ui CACHE\n");
		return 2;
	}
	rc = !strcmp(argv[1], "seed") ? seed(argv[2]) : ui_run(argv[2], 0, NULL, &err);
	if (rc) {
		fprintf(stderr, "tui_tool: %s\n", err_format(&err, msg, sizeof(msg)));
		return 1;
	}
	return 0;
}
