/* The behaviour family's rows of the rule catalog (see analyze/rule.h). */
#include "analyze/rule.h"

#define SAS5        "SAS-5 Inadequate Function Monitoring and Logging"
#define METRICS_DOC "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html"
#define ROBUST                                                                                   \
	" The statistic: daily values of the last recent_days against the baseline_days before " \
	"them; z = (recent median - baseline median) / max(1.4826 x MAD, floor), where MAD is "  \
	"the baseline's median absolute deviation and the floor keeps a flat baseline from "     \
	"making every blip infinite. Raised when |z| reaches the deviation threshold and the "   \
	"change itself matters; at least 14 baseline and 3 recent days are needed."

static const struct rule rows[] = {
	{ .id = "SHR-BEH-001",
	  .family = "behaviour",
	  .title = "error rate far above the function's own baseline",
	  .severity = SEV_MEDIUM,
	  .evidence = "recent and baseline median error rate (Errors / Invocations per day), the "
	              "MAD and the robust z",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Read the function's recent logs and deployments: a new failure mode, a "
	         "dependency outage or malformed (possibly hostile) input.",
	  .why = "A sudden rise in failures is how injection attempts, fuzzing and broken "
	         "deployments first show. Needs a rise of at least 5 points (floor 0.5 points)." ROBUST,
	  .owasp = SAS5,
	  .reference = METRICS_DOC,
	  .example_true = "error rate 18% over the last 7 days against 0.3% for 80 days",
	  .example_false = "0.3% -> 0.6%: z may be high, but the change is under 5 points" },
	{ .id = "SHR-BEH-002",
	  .family = "behaviour",
	  .title = "invocations far outside the function's own baseline",
	  .severity = SEV_MEDIUM,
	  .evidence = "recent and baseline median invocations per day, the MAD and the robust z",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Find the new caller (API access logs, event sources); rate-limit or reserve "
	         "concurrency if it is abuse.",
	  .why = "A surge can be abuse of a public entry point or a runaway trigger loop (billing "
	         "DoS); a collapse (low) a broken trigger. Needs a change of at least 50 a day "
	         "and half the baseline (floor 1, or 10% of the median)." ROBUST,
	  .owasp = "SAS-8 Denial of Service & Financial Resource Exhaustion",
	  .reference = METRICS_DOC,
	  .example_true = "4 000 invocations a day against a baseline of 300",
	  .example_false = "330 against 300" },
	{ .id = "SHR-BEH-003",
	  .family = "behaviour",
	  .title = "throttling far above the function's own baseline",
	  .severity = SEV_LOW,
	  .evidence = "recent and baseline median throttles per day, the MAD and the robust z",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Check for a surge of callers or a lowered concurrency limit; raise the "
	         "reserved concurrency or find the flood.",
	  .why = "New throttling means demand beyond the function's concurrency: a flood, or "
	         "another function starving the account. Needs 10 or more a day (floor 1)." ROBUST,
	  .owasp = "SAS-8 Denial of Service & Financial Resource Exhaustion",
	  .reference = METRICS_DOC,
	  .example_true = "200 throttles a day against none",
	  .example_false = "3 a day against none" },
	{ .id = "SHR-BEH-004",
	  .family = "behaviour",
	  .title = "duration far above the function's own baseline",
	  .severity = SEV_LOW,
	  .evidence = "recent and baseline median of the daily p99 duration, the MAD and the "
	              "robust z",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Look for slow dependencies, larger inputs or new work in recent deployments.",
	  .why = "Runs that suddenly take much longer cost more and can mean payloads crafted "
	         "to be slow (ReDoS, decompression bombs). Needs +100 ms and +50% (floor 10 ms "
	         "or 5% of the median)." ROBUST,
	  .owasp = "SAS-8 Denial of Service & Financial Resource Exhaustion",
	  .reference = METRICS_DOC,
	  .example_true = "p99 2 400 ms against 300 ms",
	  .example_false = "p99 330 ms against 300 ms" },
	{ .id = "SHR-BEH-005",
	  .family = "behaviour",
	  .title = "code changed since it was last reviewed",
	  .severity = SEV_MEDIUM,
	  .evidence = "the deployed CodeSha256 and the one marked reviewed, the last modification",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Review the new package (diff it against the reviewed one) and mark it reviewed.",
	  .why = "Findings accepted in a review hold for the code that was reviewed; a new "
	         "package may bring new secrets, dependencies or behaviour nobody has looked at.",
	  .owasp = "SAS-3 Insecure Serverless Deployment Configuration",
	  .reference =
	          "https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html",
	  .example_true = "CodeSha256 j0jl... with reviewed R7db...",
	  .example_false = "CodeSha256 equal to the reviewed one, or never reviewed" },
};

const struct rule_table rules_behaviour = { rows, sizeof(rows) / sizeof(rows[0]) };
