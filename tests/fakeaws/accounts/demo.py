"""The demo account: "Acme Outfitters", an online retailer's serverless
estate in us-east-1 and eu-west-1 (40 functions). Every risk planted here is
listed, with the finding a scanner should raise, in demo.md.

Plain data read by fakeaws/seed.py, which creates each resource by calling
the fake's own write operations. Every token below is FAKE: random
characters in each provider's format, valid nowhere.
"""

ACCOUNT_ID = "314159265358"

LAMBDA_BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
LAMBDA_VPC = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
POWER = "arn:aws:iam::aws:policy/PowerUserAccess"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def allow(actions, resources="*"):
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def ddb(region, table):
    return "arn:aws:dynamodb:%s:%s:table/%s" % (region, ACCOUNT_ID, table)


# ------------------------------------------------------------------ code packages

NODE_HANDLER = """'use strict';
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const _ = require('lodash');

const client = new DynamoDBClient({});

exports.handler = async (event) => {
  const body = event.body ? JSON.parse(event.body) : {};
  const order = _.pick(body, ['sku', 'quantity', 'customerId']);
  console.log('order request', JSON.stringify({ path: event.rawPath || event.path }));
  return { statusCode: 200, body: JSON.stringify({ ok: true, order }) };
};
"""

PY_HANDLER = '''import json
import logging
import os

import boto3

log = logging.getLogger()
log.setLevel(logging.INFO)
TABLE = os.environ.get("TABLE_NAME", "")


def lambda_handler(event, context):
    log.info("event %s", json.dumps(event)[:500])
    return {"statusCode": 200, "body": json.dumps({"ok": True})}
'''

# Orders API (node): lodash 4.17.15 in node_modules (prototype pollution,
# GHSA-p6mc-m468-83gw / CVE-2020-8203).
PKG_ORDERS = {"kind": "node", "name": "orders-api", "seed": 11, "code_kb": 40,
              "files": {"index.js": NODE_HANDLER},
              "deps": [["lodash", "4.17.15", 180], ["uuid", "8.3.2", 12], ["ajv", "8.11.0", 120],
                       ["@middy/core", "3.6.2", 10]]}
PKG_AUTHORIZER = {"kind": "node", "name": "orders-authorizer", "seed": 12, "code_kb": 8,
                  "files": {"index.js": "'use strict';\nconst jwt = require('jsonwebtoken');\n"
                                        "exports.handler = async (event) => ({ principalId: 'user', "
                                        "policyDocument: { Version: '2012-10-17', Statement: [] } });\n"},
                  "deps": [["jsonwebtoken", "9.0.0", 40], ["jwks-rsa", "3.0.1", 30]]}
PKG_STOREFRONT = {"kind": "node", "name": "storefront", "seed": 13, "code_kb": 60,
                  "files": {"index.js": NODE_HANDLER.replace("lodash", "lodash.merge")},
                  "deps": [["lodash.merge", "4.6.2", 20], ["axios", "1.3.4", 90]]}
PKG_PAYMENT = {"kind": "node", "name": "payment-webhook", "seed": 14, "code_kb": 20,
               "files": {"index.js": "'use strict';\nconst config = require('./config');\n"
                                     "const stripe = require('stripe')(config.stripeKey);\n"
                                     "exports.handler = async (event) => {\n"
                                     "  const sig = event.headers['stripe-signature'];\n"
                                     "  return { statusCode: 200, body: 'ok' };\n};\n",
                         # FAKE Stripe live key committed in the package (secret in code).
                         "config.js": "module.exports = {\n"
                                      "  stripeKey: 'sk_live_IHBYZV3WgPAJCwKCe9z4IgyV',\n"
                                      "  currency: 'usd',\n};\n"},
               "deps": [["stripe", "11.12.0", 150], ["lodash", "4.17.15", 180]]}
PKG_PARTNER = {"kind": "python", "seed": 15, "code_kb": 16,
               "files": {"lambda_function.py": PY_HANDLER,
                         # FAKE GitHub personal access token in code.
                         "settings.py": 'GITHUB_API = "https://api.github.com"\n'
                                        'GITHUB_TOKEN = "ghp_Nslbh6owwVzO5xMn0nNtUqKJHFSGMv6gUDiX"\n'
                                        'PARTNER_REPO = "acme-outfitters/partner-feeds"\n'},
               "deps": [["requests", "2.25.1", 60], ["urllib3", "1.26.4", 140], ["idna", "2.10", 40],
                        ["chardet", "4.0.0", 50], ["certifi", "2020.12.5", 30]]}
# urllib3 1.26.4 (GHSA-q2q7-5pp4-w6pg / CVE-2021-33503, and later advisories).
PKG_EMAIL = {"kind": "python", "seed": 16, "code_kb": 24,
             "files": {"lambda_function.py": PY_HANDLER},
             "deps": [["sendgrid", "6.9.7", 80], ["python_http_client", "3.3.7", 20],
                      ["urllib3", "1.26.4", 140], ["requests", "2.25.1", 60]]}
PKG_PY_BASIC = {"kind": "python", "seed": 17, "code_kb": 12, "files": {"lambda_function.py": PY_HANDLER}}
PKG_PY_DATA = {"kind": "python", "seed": 18, "code_kb": 80, "files": {"lambda_function.py": PY_HANDLER},
               "deps": [["pydantic", "1.10.4", 300], ["python_dateutil", "2.8.2", 90],
                        ["six", "1.16.0", 30], ["jmespath", "1.0.1", 25]]}
PKG_MEDIA = {"kind": "node", "name": "media", "seed": 19, "code_kb": 30,
             "files": {"index.js": NODE_HANDLER},
             "deps": [["sharp", "0.31.3", 400], ["lodash", "4.17.21", 180]]}
PKG_SLACKBOT = {"kind": "node", "name": "slack-bot", "seed": 20, "code_kb": 10,
                "files": {"index.js": "'use strict';\n"
                                      "// FAKE Slack bot token, committed in code.\n"
                                      "const SLACK_BOT_TOKEN = "
                                      "'xoxb-187031877321-8603877377594-qUChcpvcsEMVK96rEbb0vrVp';\n"
                                      "exports.handler = async () => ({ statusCode: 200 });\n"},
                "deps": [["@slack/web-api", "6.8.1", 60]]}
PKG_NODE_BASIC = {"kind": "node", "name": "basic", "seed": 21, "code_kb": 6,
                  "files": {"index.js": "exports.handler = async () => ({ statusCode: 200 });\n"}}
PKG_LEGACY = {"kind": "python", "seed": 22, "code_kb": 30,
              "files": {"report.py": PY_HANDLER.replace("lambda_handler", "handler")},
              "deps": [["urllib3", "1.26.4", 140], ["requests", "2.22.0", 60], ["xlsxwriter", "1.2.2", 200]]}

LAYER_COMMON_PY = {"kind": "python", "prefix": "python/", "seed": 30,
                   "deps": [["requests", "2.25.1", 60], ["urllib3", "1.26.4", 140],
                            ["aws_xray_sdk", "2.11.0", 90]]}
LAYER_NODE_UTILS = {"kind": "node", "prefix": "nodejs/", "seed": 31,
                    "deps": [["lodash", "4.17.15", 180], ["moment", "2.29.1", 160]]}

# ------------------------------------------------------------------ metrics
# base: invocations per day; dur_ms: typical p99 in ms; dead: no invocations
# in 90 days; jump_at/jump_rate: the error rate from that day (of 90) on.
BUSY = {"base": 42000, "dur_ms": 180, "err_rate": 0.002}
STEADY = {"base": 2400, "dur_ms": 350, "err_rate": 0.004}
QUIET = {"base": 90, "dur_ms": 600, "err_rate": 0.01}
DEAD = {"base": 0, "dur_ms": 0, "dead": True}


def fn(name, runtime, role, package, **kw):
    f = {"name": name, "runtime": runtime, "role": role, "package": package,
         "handler": "index.handler" if runtime.startswith("nodejs") else "lambda_function.lambda_handler",
         "timeout": 30, "memory": 256, "metrics": STEADY, "log_retention": 30,
         "tags": {"team": kw.pop("team", "platform"), "service": kw.pop("service", name.split("-")[0]),
                  "env": "prod"}}
    f.update(kw)
    return f


US = "us-east-1"
EU = "eu-west-1"

US_FUNCTIONS = [
    # Orders REST API: one role shared by four functions (shared role).
    fn("orders-api-get", "nodejs22.x", "acme-orders-api-role", PKG_ORDERS, metrics=BUSY, team="orders",
       env={"TABLE_NAME": "acme-orders", "LOG_LEVEL": "info"}, publish=2, aliases={"live": "2"}),
    fn("orders-api-list", "nodejs22.x", "acme-orders-api-role", PKG_ORDERS, metrics=BUSY, team="orders",
       env={"TABLE_NAME": "acme-orders"}),
    fn("orders-api-create", "nodejs22.x", "acme-orders-api-role", PKG_ORDERS, metrics=STEADY, team="orders",
       env={"TABLE_NAME": "acme-orders", "QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/%s/acme-orders-queue"
            % ACCOUNT_ID}, concurrency=50),
    fn("orders-api-cancel", "nodejs22.x", "acme-orders-api-role", PKG_ORDERS, metrics=QUIET, team="orders",
       env={"TABLE_NAME": "acme-orders"}, log_retention=None),
    fn("orders-authorizer", "nodejs22.x", "acme-basic-lambda-role", PKG_AUTHORIZER, metrics=BUSY, team="orders",
       env={"JWKS_URL": "https://auth.acme-outfitters.example/.well-known/jwks.json"}, timeout=5, memory=128),
    # Storefront HTTP API; the checkout's error rate jumps 10 days ago.
    fn("storefront-catalog", "nodejs22.x", "acme-storefront-role", PKG_STOREFRONT, metrics=BUSY, team="web"),
    fn("storefront-cart", "nodejs22.x", "acme-storefront-role", PKG_STOREFRONT, metrics=STEADY, team="web"),
    fn("storefront-checkout", "nodejs22.x", "acme-storefront-role", PKG_STOREFRONT, team="web",
       metrics={"base": 3100, "dur_ms": 420, "err_rate": 0.003, "jump_at": 80, "jump_rate": 0.18},
       async_={"retries": 2}),
    # Queue and stream consumers.
    fn("order-fulfillment", "python3.12", "acme-fulfillment-role", PKG_PY_DATA, team="orders", timeout=120,
       memory=512, env={"TABLE_NAME": "acme-orders", "WAREHOUSE_API": "https://wms.acme-outfitters.example"}),
    fn("email-sender", "python3.12", "acme-notifications-role", PKG_EMAIL, team="growth",
       # FAKE SendGrid key in an environment variable.
       env={"SENDGRID_API_KEY": "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",
            "FROM_ADDRESS": "orders@acme-outfitters.example"}, log_retention=None),
    fn("inventory-sync", "python3.12", "acme-fulfillment-role", PKG_PY_DATA, team="orders", timeout=60,
       env={"TABLE_NAME": "acme-inventory"}, layers=["acme-common-py"]),
    fn("sns-alert-forwarder", "python3.12", "acme-basic-lambda-role", PKG_PY_BASIC, metrics=QUIET, team="sre",
       # FAKE Slack incoming-webhook URL in an environment variable.
       env={"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/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",
            "CHANNEL": "#ops-alerts"}),
    # Public function URLs.
    fn("payment-webhook", "nodejs22.x", "acme-payments-role", PKG_PAYMENT, team="payments", url="NONE",
       metrics={"base": 800, "dur_ms": 300, "err_rate": 0.003}, timeout=10),
    fn("promo-banner", "python3.12", "acme-web-assets-role", PKG_PY_BASIC, team="web", url="NONE",
       metrics={"base": 15000, "dur_ms": 90, "err_rate": 0.001}, env={"ASSETS_BUCKET": "acme-public-assets"},
       cors={"AllowOrigins": ["*"], "AllowMethods": ["GET"]}),
    # S3-triggered media processing: one wildcard role shared by two functions.
    fn("image-resize", "nodejs22.x", "acme-media-processor-role", PKG_MEDIA, team="web", memory=1536, timeout=60),
    fn("thumbnail-generator", "nodejs22.x", "acme-media-processor-role", PKG_MEDIA, team="web", memory=1024,
       timeout=60, metrics=QUIET),
    # Schedules.
    fn("nightly-report", "python3.12", "acme-reporting-role", PKG_PY_DATA, team="finance", timeout=300,
       memory=1024, metrics={"base": 1, "dur_ms": 95000, "err_rate": 0.0}, layers=["acme-common-py"]),
    fn("ops-cleanup-snapshots", "python3.12", "acme-ops-automation-role", PKG_PY_BASIC, team="sre", timeout=300,
       metrics={"base": 24, "dur_ms": 8000, "err_rate": 0.0}),
    fn("cache-warmer", "nodejs22.x", "acme-basic-lambda-role", PKG_NODE_BASIC, team="web", timeout=900,
       metrics={"base": 288, "dur_ms": 700, "err_rate": 0.0, "dmax_cap": 2000}, log_retention=None),
    fn("legacy-report-generator", "python3.7", "acme-legacy-admin-role", PKG_LEGACY, team="finance",
       handler="report.handler", timeout=900, memory=3008, metrics=DEAD, age_days=1300,
       # FAKE AWS access key pair in an environment variable.
       env={"AWS_ACCESS_KEY": "AKIAOC5KA66PX7LVK4K4", "AWS_SECRET": "XJwJGFLxgXXNyt7xURcdhvRJW7kQjU+Nd/dOX4D1",
            "REPORT_BUCKET": "acme-finance-reports"}, log_retention=None),
    # The deploy hook's role can pass any role to a new function and invoke it.
    fn("deploy-hook", "nodejs12.x", "acme-deployer-role", PKG_NODE_BASIC, team="platform", age_days=900,
       metrics={"base": 12, "dur_ms": 1500, "err_rate": 0.0}),
    # Dead functions.
    fn("old-promo-2022", "nodejs14.x", "acme-basic-lambda-role", PKG_NODE_BASIC, team="web", metrics=DEAD,
       age_days=700, log_retention=None),
    fn("test-hello-world", "python3.8", "acme-basic-lambda-role", PKG_PY_BASIC, team="platform", metrics=DEAD,
       age_days=500, tags={"owner": "intern"}),
    fn("customer-export-csv", "python3.12", "acme-reporting-role", PKG_PY_DATA, team="finance", metrics=DEAD,
       age_days=400, timeout=600),
    fn("slack-bot", "nodejs22.x", "acme-basic-lambda-role", PKG_SLACKBOT, team="sre", metrics=DEAD, age_days=350,
       url="AWS_IAM"),
    # Misc.
    fn("audit-log-shipper", "python3.12", "acme-basic-lambda-role", PKG_PY_BASIC, team="security",
       # FAKE Datadog API key in an environment variable.
       env={"DD_API_KEY": "4be339849131a855032cc377b4a3ab4d", "DD_SITE": "datadoghq.com"},
       metrics={"base": 1440, "dur_ms": 250, "err_rate": 0.001}),
    fn("session-cleanup", "python3.12", "acme-basic-lambda-role", PKG_PY_BASIC, team="web",
       metrics={"base": 24, "dur_ms": 400, "err_rate": 0.0}, log_retention=14),
    fn("recommendation-engine", "python3.12", "acme-analytics-role", PKG_PY_DATA, team="data", memory=2048,
       timeout=120, metrics=STEADY, vpc={"SubnetIds": ["subnet-0a1b2c3d4e5f60718", "subnet-0f9e8d7c6b5a49382"],
                                          "SecurityGroupIds": ["sg-0123abcd4567ef890"]}),
]

EU_FUNCTIONS = [
    fn("eu-orders-api-get", "nodejs22.x", "acme-eu-api-role", PKG_ORDERS, metrics=STEADY, team="orders"),
    fn("eu-orders-api-create", "nodejs22.x", "acme-eu-api-role", PKG_ORDERS, metrics=QUIET, team="orders"),
    fn("eu-catalog-feed", "python3.12", "acme-eu-feeds-role", PKG_PY_BASIC, team="web",
       metrics={"base": 5200, "dur_ms": 140, "err_rate": 0.001}, env={"FEED_BUCKET": "acme-eu-public-feeds"}),
    fn("eu-invoice-pdf", "python3.12", "acme-eu-billing-role", PKG_PY_DATA, team="finance", memory=1024,
       metrics={"base": 1800, "dur_ms": 2200, "err_rate": 0.002, "jump_at": 84, "jump_rate": 0.25}),
    fn("eu-gdpr-export", "python3.12", "acme-eu-gdpr-role", PKG_PY_DATA, team="security", timeout=300,
       metrics=QUIET, kms_key="arn:aws:kms:eu-west-1:%s:key/6f0c5c1e-2b7a-4d9e-9a51-0c8e2f4b7d31" % ACCOUNT_ID,
       env={"EXPORT_BUCKET": "acme-eu-gdpr-exports"}),
    fn("eu-gdpr-delete", "python3.12", "acme-eu-gdpr-role", PKG_PY_DATA, team="security", timeout=300,
       metrics=QUIET),
    fn("partner-webhook", "python3.8", "acme-eu-partner-role", PKG_PARTNER, team="partnerships", url="NONE",
       metrics={"base": 300, "dur_ms": 500, "err_rate": 0.004}),
    fn("support-impersonate", "python3.12", "acme-support-tools-role", PKG_PY_BASIC, team="support",
       metrics={"base": 6, "dur_ms": 900, "err_rate": 0.0}),
    fn("eu-sitemap-builder", "nodejs22.x", "acme-eu-feeds-role", PKG_NODE_BASIC, team="web", timeout=900,
       metrics={"base": 24, "dur_ms": 800, "err_rate": 0.0, "dmax_cap": 2000}),
    fn("eu-newsletter", "python3.12", "acme-eu-api-role", PKG_EMAIL, team="growth", metrics=DEAD, age_days=600,
       log_retention=None),
    fn("eu-legacy-sync", "python3.7", "acme-eu-api-role", PKG_LEGACY, team="orders", handler="report.handler",
       metrics=DEAD, age_days=1100, log_retention=None),
    fn("eu-queue-worker", "python3.12", "acme-eu-api-role", PKG_PY_BASIC, team="orders", metrics=STEADY),
]

# async_ is a keyword-safe alias for the seed's "async" entry.
for _f in US_FUNCTIONS + EU_FUNCTIONS:
    if "async_" in _f:
        _f.pop("async_")
        _f["async"] = {"retries": 2, "on_failure": "arn:aws:sqs:%s:%s:acme-checkout-dlq" % (US, ACCOUNT_ID)}

ACCOUNT = {
    "account": {"id": ACCOUNT_ID, "alias": "acme-outfitters-prod", "home_region": US,
                # The same FAKE key as demo.credentials.
                "keys": [{"access_key_id": "AKIAYTZWH2NUO6OXQBF6",
                          "secret": "hFbWOHRhAzYhoDw7yiifF+DsBZ64TUzvSPi8hFCo", "user_name": "security-review"}]},
    "policies": [
        {"name": "acme-reporting-access", "age_days": 500, "description": "Reporting jobs: read orders, write reports",
         "versions": [
             doc(allow(["dynamodb:Scan", "dynamodb:Query"], ddb(US, "acme-orders")),
                 allow(["s3:PutObject"], "arn:aws:s3:::acme-finance-reports/*")),
             doc(allow(["dynamodb:Scan", "dynamodb:Query", "dynamodb:GetItem"], ddb(US, "acme-orders")),
                 allow(["s3:PutObject", "s3:GetObject"], "arn:aws:s3:::acme-finance-reports/*")),
             doc(allow(["dynamodb:Scan", "dynamodb:Query", "dynamodb:GetItem"], [ddb(US, "acme-orders"),
                                                                              ddb(US, "acme-customers")]),
                 allow(["s3:PutObject", "s3:GetObject"], "arn:aws:s3:::acme-finance-reports/*"))]},
        {"name": "acme-support-deploy", "age_days": 300, "description": "Support tooling deploys helper functions",
         "versions": [doc(allow(["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:GetFunction"]))]},
    ],
    "roles": [
        {"name": "acme-orders-api-role", "managed": [LAMBDA_BASIC], "age_days": 700,
         "inline": {"orders-table": doc(allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                                               "dynamodb:Query"], ddb(US, "acme-orders")),
                                        allow(["sqs:SendMessage"], "arn:aws:sqs:%s:%s:acme-orders-queue"
                                              % (US, ACCOUNT_ID)))},
         "usage": {"dynamodb": {"days_ago": 0}, "sqs": {"days_ago": 0}, "logs": {"days_ago": 0}}},
        {"name": "acme-basic-lambda-role", "managed": [LAMBDA_BASIC], "age_days": 900,
         "usage": {"logs": {"days_ago": 0}}},
        {"name": "acme-storefront-role", "managed": [LAMBDA_BASIC], "age_days": 400,
         "inline": {"catalog": doc(allow(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
                                         [ddb(US, "acme-catalog"), ddb(US, "acme-carts")]))},
         "usage": {"dynamodb": {"days_ago": 0}, "logs": {"days_ago": 0}}},
        {"name": "acme-fulfillment-role", "managed": [LAMBDA_BASIC], "age_days": 600,
         "inline": {"fulfillment": doc(allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                                             "arn:aws:sqs:%s:%s:acme-orders-queue" % (US, ACCOUNT_ID)),
                                       allow(["dynamodb:GetRecords", "dynamodb:GetShardIterator",
                                              "dynamodb:DescribeStream", "dynamodb:ListStreams",
                                              "dynamodb:UpdateItem"],
                                             [ddb(US, "acme-inventory"), ddb(US, "acme-inventory") + "/stream/*",
                                              ddb(US, "acme-orders")]))},
         "usage": {"sqs": {"days_ago": 0}, "dynamodb": {"days_ago": 0}, "logs": {"days_ago": 0}}},
        {"name": "acme-notifications-role", "managed": [LAMBDA_BASIC], "age_days": 500,
         "inline": {"email-queue": doc(allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                                             "arn:aws:sqs:%s:%s:acme-email-queue" % (US, ACCOUNT_ID)))},
         "usage": {"sqs": {"days_ago": 0}, "logs": {"days_ago": 0}}},
        {"name": "acme-payments-role", "managed": [LAMBDA_BASIC], "age_days": 450,
         "inline": {"payments": doc(allow(["dynamodb:PutItem", "dynamodb:UpdateItem"], ddb(US, "acme-orders")),
                                    allow(["secretsmanager:GetSecretValue"],
                                          "arn:aws:secretsmanager:%s:%s:secret:stripe-*" % (US, ACCOUNT_ID)))},
         "usage": {"dynamodb": {"days_ago": 0}, "logs": {"days_ago": 0}}},
        {"name": "acme-web-assets-role", "managed": [LAMBDA_BASIC, S3_READ], "age_days": 380,
         "usage": {"s3": {"days_ago": 0, "actions": ["GetBucketLocation"]}, "logs": {"days_ago": 0}}},
        {"name": "acme-media-processor-role", "managed": [LAMBDA_BASIC], "age_days": 650,
         "inline": {"media-everything": doc(allow("s3:*"), allow("dynamodb:*"))},
         "usage": {"s3": {"days_ago": 0, "actions": ["GetBucketLocation", "ListAllMyBuckets"]},
                   "logs": {"days_ago": 0}}},
        {"name": "acme-reporting-role", "managed": [LAMBDA_BASIC, "acme-reporting-access"], "age_days": 500,
         "usage": {"dynamodb": {"days_ago": 0}, "s3": {"days_ago": 0}, "logs": {"days_ago": 0}}},
        {"name": "acme-ops-automation-role", "managed": [POWER], "age_days": 800,
         "usage": {"ec2": {"days_ago": 0, "actions": ["DescribeInstances"]}, "logs": {"days_ago": 0}}},
        {"name": "acme-legacy-admin-role", "managed": [ADMIN], "age_days": 1300,
         "description": "TEMP: admin for the 2021 report migration",
         "usage": {"s3": {"days_ago": 140, "actions": ["ListAllMyBuckets"]}, "logs": {"days_ago": 140}}},
        {"name": "acme-deployer-role", "managed": [LAMBDA_BASIC], "age_days": 900,
         "inline": {"deploy": doc(allow(["iam:PassRole"]),
                                  allow(["lambda:CreateFunction", "lambda:InvokeFunction",
                                         "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"]))},
         "usage": {"lambda": {"days_ago": 3, "actions": ["UpdateFunctionCode", "GetFunction"]},
                   "logs": {"days_ago": 0}}},
        {"name": "acme-analytics-role", "managed": [LAMBDA_VPC], "age_days": 420,
         "inline": {"analytics": doc(allow(["sqs:*", "sns:*"]),
                                     allow(["dynamodb:PutItem", "dynamodb:BatchWriteItem", "dynamodb:Query"]))},
         "usage": {"dynamodb": {"days_ago": 0}, "ec2": {"days_ago": 0, "actions": ["CreateNetworkInterface"]},
                   "logs": {"days_ago": 0}}},
        # Orphaned: no function uses these.
        {"name": "acme-orphaned-migration-role", "managed": [LAMBDA_BASIC], "age_days": 800,
         "inline": {"migration": doc(allow(["dynamodb:*"], ddb(US, "acme-orders-v1")))},
         "usage": {"dynamodb": {"days_ago": 400}}},
        {"name": "acme-old-etl-role", "managed": [LAMBDA_BASIC, S3_READ], "age_days": 1000},
        # eu-west-1
        {"name": "acme-eu-api-role", "managed": [LAMBDA_BASIC], "age_days": 500,
         "inline": {"orders": doc(allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
                                        ddb(EU, "acme-eu-orders")))},
         "usage": {"dynamodb": {"days_ago": 0, "region": EU}, "logs": {"days_ago": 0, "region": EU}}},
        {"name": "acme-eu-feeds-role", "managed": [LAMBDA_BASIC], "age_days": 300,
         "inline": {"feeds": doc(allow(["s3:GetObject", "s3:ListBucket"],
                                       ["arn:aws:s3:::acme-eu-public-feeds", "arn:aws:s3:::acme-eu-public-feeds/*"]))},
         "usage": {"s3": {"days_ago": 0, "region": EU}, "logs": {"days_ago": 0, "region": EU}}},
        {"name": "acme-eu-billing-role", "managed": [LAMBDA_BASIC], "age_days": 300,
         "inline": {"billing": doc(allow(["dynamodb:Query"], ddb(EU, "acme-eu-orders")),
                                   allow(["s3:PutObject"], "arn:aws:s3:::acme-eu-invoices/*"))},
         "usage": {"dynamodb": {"days_ago": 0, "region": EU}, "s3": {"days_ago": 0, "region": EU},
                   "logs": {"days_ago": 0, "region": EU}}},
        {"name": "acme-eu-gdpr-role", "managed": [LAMBDA_BASIC], "age_days": 300,
         "inline": {"gdpr": doc(allow(["dynamodb:Query", "dynamodb:DeleteItem"], ddb(EU, "acme-eu-orders")),
                                allow(["s3:PutObject"], "arn:aws:s3:::acme-eu-gdpr-exports/*"),
                                allow(["kms:Decrypt"], "*"))},
         "usage": {"dynamodb": {"days_ago": 1, "region": EU}, "logs": {"days_ago": 1, "region": EU}}},
        {"name": "acme-eu-partner-role", "managed": [LAMBDA_BASIC], "age_days": 250,
         "inline": {"partner": doc(allow(["sqs:SendMessage"], "arn:aws:sqs:%s:%s:acme-eu-partner-events"
                                         % (EU, ACCOUNT_ID)))},
         "usage": {"sqs": {"days_ago": 0, "region": EU}, "logs": {"days_ago": 0, "region": EU}}},
        # Privilege escalation split across an inline and a customer managed policy.
        {"name": "acme-support-tools-role", "managed": [LAMBDA_BASIC, "acme-support-deploy"], "age_days": 300,
         "inline": {"pass-roles": doc(allow(["iam:PassRole", "iam:ListRoles"]))},
         "usage": {"lambda": {"days_ago": 2, "region": EU, "actions": ["InvokeFunction"]},
                   "logs": {"days_ago": 0, "region": EU}}},
    ],
    "regions": {
        US: {
            "layers": [
                {"name": "acme-common-py", "runtimes": ["python3.11", "python3.12"], "package": LAYER_COMMON_PY,
                 "versions": 2, "description": "requests, urllib3, xray"},
                {"name": "acme-node-utils", "runtimes": ["nodejs20.x", "nodejs22.x"], "package": LAYER_NODE_UTILS,
                 "versions": 1, "description": "lodash, moment"},
            ],
            "functions": US_FUNCTIONS,
            "tables": [
                {"name": "acme-orders", "key": "orderId"},
                {"name": "acme-customers", "key": "customerId"},
                {"name": "acme-catalog", "key": "sku"},
                {"name": "acme-carts", "key": "cartId"},
                {"name": "acme-inventory", "key": "sku", "stream": True, "stream_to": ["inventory-sync"]},
            ],
            "queues": [
                {"name": "acme-orders-dlq"},
                {"name": "acme-orders-queue", "dlq": "acme-orders-dlq", "consumers": ["order-fulfillment"],
                 "attributes": {"VisibilityTimeout": "720"}},
                {"name": "acme-email-queue", "consumers": ["email-sender"]},
                {"name": "acme-checkout-dlq"},
                # Still wired to the dead customer-export-csv: a prune must remove it.
                {"name": "acme-export-requests", "consumers": ["customer-export-csv"]},
            ],
            "topics": [
                {"name": "acme-alerts", "subscribers": ["sns-alert-forwarder"]},
                {"name": "acme-order-events", "subscribers": ["customer-export-csv"]},
            ],
            "buckets": [
                # Public bucket read by the public promo-banner function.
                {"name": "acme-public-assets", "public": True,
                 "objects": {"banners/spring.json": '{"headline": "Spring sale"}'}},
                {"name": "acme-uploads", "notify": [{"function": "image-resize", "events": ["s3:ObjectCreated:*"]},
                                                    {"function": "thumbnail-generator",
                                                     "events": ["s3:ObjectCreated:Put"]},
                                                    {"function": "customer-export-csv",
                                                     "events": ["s3:ObjectRemoved:*"]}]},
                {"name": "acme-finance-reports"},
                {"name": "acme-lambda-artifacts"},
            ],
            "rest_apis": [
                {"name": "acme-orders-api", "authorizer": "orders-authorizer", "stage": "prod", "routes": [
                    {"method": "GET", "path": "/orders", "function": "orders-api-list"},
                    {"method": "POST", "path": "/orders", "function": "orders-api-create"},
                    {"method": "GET", "path": "/orders/{orderId}", "function": "orders-api-get"},
                    # No authorizer on the cancel route.
                    {"method": "DELETE", "path": "/orders/{orderId}", "function": "orders-api-cancel", "auth": False},
                ]},
            ],
            "http_apis": [
                {"name": "acme-storefront", "jwt_issuer": "https://auth.acme-outfitters.example/", "routes": [
                    {"key": "GET /catalog", "function": "storefront-catalog", "auth": False},
                    {"key": "POST /cart", "function": "storefront-cart"},
                    {"key": "POST /checkout", "function": "storefront-checkout"},
                ]},
            ],
            "schedules": [
                {"name": "nightly-report", "expr": "cron(0 3 * * ? *)", "function": "nightly-report"},
                {"name": "ops-cleanup-snapshots", "expr": "rate(1 hour)", "function": "ops-cleanup-snapshots"},
                {"name": "cache-warmer", "expr": "rate(5 minutes)", "function": "cache-warmer"},
                {"name": "legacy-monthly-report", "expr": "cron(0 6 1 * ? *)", "function": "legacy-report-generator",
                 "state": "DISABLED"},
                {"name": "session-cleanup", "expr": "rate(1 hour)", "function": "session-cleanup"},
                {"name": "customer-export-weekly", "expr": "cron(0 5 ? * MON *)",
                 "function": "customer-export-csv", "state": "DISABLED"},
                {"name": "audit-log-shipper", "expr": "rate(1 minute)", "function": "audit-log-shipper"},
            ],
            "orphan_log_groups": [
                {"name": "/aws/lambda/old-checkout-v1", "bytes": 734003200, "age_days": 900},
                {"name": "/aws/lambda/tmp-migration-2023", "bytes": 52428800, "age_days": 600},
            ],
            "alarms": [
                {"params": {"AlarmName": "orders-api-get-errors", "Namespace": "AWS/Lambda", "MetricName": "Errors",
                            "Dimensions": [{"Name": "FunctionName", "Value": "orders-api-get"}], "Statistic": "Sum",
                            "Period": 300, "EvaluationPeriods": 1, "Threshold": 50.0,
                            "ComparisonOperator": "GreaterThanThreshold",
                            "AlarmActions": ["arn:aws:sns:%s:%s:acme-alerts" % (US, ACCOUNT_ID)]}},
            ],
        },
        EU: {
            "layers": [
                {"name": "acme-common-py", "runtimes": ["python3.11", "python3.12"], "package": LAYER_COMMON_PY,
                 "versions": 1, "description": "requests, urllib3, xray"},
            ],
            "functions": EU_FUNCTIONS,
            "tables": [{"name": "acme-eu-orders", "key": "orderId"}],
            "queues": [{"name": "acme-eu-orders-queue", "consumers": ["eu-queue-worker"]},
                       {"name": "acme-eu-partner-events"}],
            "topics": [{"name": "acme-eu-alerts"}],
            "buckets": [
                # Public bucket read by eu-catalog-feed, itself behind a route without authorizer.
                {"name": "acme-eu-public-feeds", "public": True,
                 "objects": {"feeds/catalog.xml": "<catalog/>"}},
                {"name": "acme-eu-invoices"},
                {"name": "acme-eu-gdpr-exports"},
            ],
            "http_apis": [
                {"name": "acme-eu-api", "jwt_issuer": "https://auth.acme-outfitters.example/", "routes": [
                    {"key": "GET /orders/{id}", "function": "eu-orders-api-get"},
                    {"key": "POST /orders", "function": "eu-orders-api-create"},
                    # No authorizer: the public feed.
                    {"key": "GET /feeds/catalog", "function": "eu-catalog-feed", "auth": False},
                ]},
            ],
            "schedules": [
                {"name": "eu-sitemap-builder", "expr": "rate(1 hour)", "function": "eu-sitemap-builder"},
                {"name": "eu-invoice-run", "expr": "rate(1 hour)", "function": "eu-invoice-pdf"},
            ],
            "orphan_log_groups": [
                {"name": "/aws/lambda/eu-orders-api-v0", "bytes": 104857600, "age_days": 700},
            ],
        },
    },
}
