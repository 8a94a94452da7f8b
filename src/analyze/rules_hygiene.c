/* The hygiene family's rows of the rule catalog (see analyze/rule.h). */
#include "analyze/rule.h"

#define SAS3      "SAS-3 Insecure Serverless Deployment Configuration"
#define SAS5      "SAS-5 Inadequate Function Monitoring and Logging"
#define SAS8      "SAS-8 Denial of Service & Financial Resource Exhaustion"
#define LAMBDA_DG "https://docs.aws.amazon.com/lambda/latest/dg/"

static const struct rule rows[] = {
	{ .id = "SHR-HYG-001",
	  .family = "hygiene",
	  .title = "dead function: no invocations in N days",
	  .severity = SEV_LOW,
	  .evidence = "the window, whether there were no datapoints or only zeros, the last "
	              "modification date",
	  .remedy = REMEDY_PRUNE,
	  .fix = "Confirm with the owner, then prune it (shears backs up code, configuration, "
	         "policy and triggers first).",
	  .why = "A function nobody calls still holds a role, triggers and code that no one "
	         "patches; it is attack surface with no value (medium when it is also callable "
	         "from outside). A function with no metrics at all that was modified within the "
	         "window is new, not dead, and is skipped.",
	  .owasp = SAS3,
	  .reference = LAMBDA_DG "monitoring-metrics-types.html",
	  .example_true = "no Invocations datapoint in the last 90 days, last modified 2024-05-01",
	  .example_false = "one invocation 80 days ago" },
	{ .id = "SHR-HYG-002",
	  .family = "hygiene",
	  .title = "timeout far above the longest observed run",
	  .severity = SEV_LOW,
	  .evidence = "the timeout, the longest run (Duration maximum) in 90 days, the days with "
	              "runs and the recommended timeout",
	  .remedy = REMEDY_SHORTEN_TIMEOUT,
	  .fix = "Shorten the timeout to the recommendation (longest run x margin, rounded up to "
	         "a second, at least the minimum), and alarm near the new limit.",
	  .why = "A runaway or attacker-slowed invocation runs, and is billed, until the timeout: "
	         "a 900 s limit on a function that finishes in 2 s multiplies the cost of a "
	         "denial-of-wallet attack and hides hangs. Flagged when the timeout exceeds the "
	         "ratio times the recommendation; not raised without duration data; info when "
	         "fewer than 7 days had runs or the excess is under a minute.",
	  .owasp = SAS8,
	  .reference = LAMBDA_DG "configuration-timeout.html",
	  .example_true = "Timeout 900 s; longest run 1.8 s in 90 days; recommend 3 s",
	  .example_false = "Timeout 30 s; longest run 12 s" },
	{ .id = "SHR-HYG-003",
	  .family = "hygiene",
	  .title = "deprecated or soon deprecated runtime",
	  .severity = SEV_MEDIUM,
	  .evidence = "the runtime and AWS's published deprecation date, with the days since "
	              "(or until)",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Move the function to a supported runtime of the same language and redeploy.",
	  .why = "After a runtime's deprecation date AWS stops applying security patches to it, "
	         "and later blocks updates to functions that use it. Medium once the date has "
	         "passed, high after a year, low within the warning window before it.",
	  .owasp = "SAS-6 Insecure Third-Party Dependencies",
	  .reference = LAMBDA_DG "lambda-runtimes.html",
	  .example_true = "Runtime python3.7 (deprecated 2023-12-04)",
	  .example_false = "Runtime python3.12" },
	{ .id = "SHR-HYG-004",
	  .family = "hygiene",
	  .title = "public function with no reserved concurrency",
	  .severity = SEV_MEDIUM,
	  .evidence = "the entry point that makes it public; no ReservedConcurrentExecutions",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Reserve a concurrency that covers its peak, so a flood can neither run up the "
	         "bill without bound nor starve the account's other functions.",
	  .why = "Anyone can call a public function as fast as they like; without reserved "
	         "concurrency it can take the whole account's concurrency (throttling every "
	         "other function) and bill for all of it.",
	  .owasp = SAS8,
	  .reference = LAMBDA_DG "configuration-concurrency.html",
	  .example_true = "function URL with AuthType NONE, no Concurrency",
	  .example_false = "the same with ReservedConcurrentExecutions 50" },
	{ .id = "SHR-HYG-005",
	  .family = "hygiene",
	  .title = "published versions that nothing points to",
	  .severity = SEV_INFO,
	  .evidence = "the versions no alias (nor its routing weights) and no event source "
	              "mapping names",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Delete the old versions once no caller uses their qualified ARN.",
	  .why = "Each published version keeps its code, runtime and environment invocable by "
	         "qualified ARN, vulnerabilities included, long after the function moved on.",
	  .owasp = SAS3,
	  .reference = LAMBDA_DG "configuration-versions.html",
	  .example_true = "versions 1 and 2, alias live -> 2: version 1",
	  .example_false = "version 2, named by alias live" },
	{ .id = "SHR-HYG-006",
	  .family = "hygiene",
	  .title = "log group keeps events forever (no retention)",
	  .severity = SEV_LOW,
	  .evidence = "the log group and the bytes it stores",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Set a retention period that matches your log policy (for example 30 or 90 days).",
	  .why = "Without retentionInDays CloudWatch keeps every event forever: logs holding "
	         "request data or leaked secrets never age out, and storage is billed forever.",
	  .owasp = SAS5,
	  .reference = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/"
	               "Working-with-log-groups-and-streams.html",
	  .example_true = "/aws/lambda/cache-warmer with no retentionInDays",
	  .example_false = "retentionInDays 30" },
	{ .id = "SHR-HYG-007",
	  .family = "hygiene",
	  .title = "orphaned Lambda log group",
	  .severity = SEV_LOW,
	  .evidence = "the log group, the function it is named after and its region, the bytes "
	              "stored",
	  .remedy = REMEDY_PRUNE_LOG_GROUP,
	  .fix = "Export what must be kept, then delete the log group.",
	  .why = "A /aws/lambda/NAME group whose function is gone keeps old request data and "
	         "costs storage; a new function of the same name would inherit it. Lambda@Edge "
	         "groups (/aws/lambda/us-east-1.NAME) and groups named in a function's "
	         "LoggingConfig are matched to their function.",
	  .owasp = SAS5,
	  .reference = LAMBDA_DG "monitoring-cloudwatchlogs.html",
	  .example_true = "/aws/lambda/old-checkout-v1 with no function old-checkout-v1",
	  .example_false = "/aws/lambda/checkout with function checkout in the same region" },
	{ .id = "SHR-HYG-008",
	  .family = "hygiene",
	  .title = "orphaned Lambda execution role",
	  .severity = SEV_LOW,
	  .evidence = "the role, that only Lambda may assume it, and when IAM last saw it used",
	  .remedy = REMEDY_PRUNE_ROLE,
	  .fix = "Delete the role (and its inline policies) once no deployment refers to it.",
	  .why = "A role only Lambda can assume and that no function runs as keeps its "
	         "permissions for whoever can attach it to a new function (iam:PassRole). Roles "
	         "also trusted by other services or principals, and service-linked roles, are not "
	         "Lambda orphans. Info when IAM saw it used recently in a region with no scanned "
	         "function.",
	  .owasp = "SAS-4 Over-Privileged Function Permissions and Roles",
	  .reference = LAMBDA_DG "lambda-intro-execution-role.html",
	  .example_true = "trust lambda.amazonaws.com, no function uses it, last used 400 days ago",
	  .example_false = "trust lambda.amazonaws.com and states.amazonaws.com" },
	{ .id = "SHR-HYG-009",
	  .family = "hygiene",
	  .title = "layer version no function uses",
	  .severity = SEV_LOW,
	  .evidence = "the layer version",
	  .remedy = REMEDY_PRUNE_LAYER_VERSION,
	  .fix = "Delete the layer version if no other account uses it (check its layer policy).",
	  .why = "Old layer versions keep old libraries, with their advisories, ready to be "
	         "attached again; unused ones are clutter that hides what is live.",
	  .owasp = "SAS-6 Insecure Third-Party Dependencies",
	  .reference = LAMBDA_DG "chapter-layers.html",
	  .example_true = "acme-common-py:1 while every function uses acme-common-py:2",
	  .example_false = "acme-common-py:2 in a function's Layers" },
};

const struct rule_table rules_hygiene = { rows, sizeof(rows) / sizeof(rows[0]) };
