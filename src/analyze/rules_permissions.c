/* The permissions family's rows of the rule catalog (see analyze/rule.h, analyze/perm.h). */
#include "analyze/rule.h"

#define IAM_BP "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"
#define SAS4   "SAS-4 Over-Privileged Function Permissions and Roles"

static const struct rule rows[] = {
	{ .id = "SHR-PERM-001",
	  .family = "permissions",
	  .title = "role has administrator access",
	  .severity = SEV_CRITICAL,
	  .evidence = "the policy and statement that grant every action on every resource "
	              "(\"*\" or a NotAction with a short list), or AdministratorAccess attached",
	  .remedy = REMEDY_TIGHTEN_ROLE,
	  .fix = "Replace the grant with a policy naming the actions and resources the function "
	         "uses; detach AdministratorAccess.",
	  .why = "Whoever runs code in the function (an injected dependency, a deserialisation "
	         "bug, a leaked event) owns the whole account: every service, every secret, every "
	         "other role. A function needs a handful of actions on a few resources.",
	  .owasp = SAS4,
	  .reference = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
	               "access_policies_job-functions.html",
	  .example_true = "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}",
	  .example_false = "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	                   "\"Resource\":\"arn:aws:s3:::orders/*\"}" },
	{ .id = "SHR-PERM-002",
	  .family = "permissions",
	  .title = "role has power-user access (everything but a few services)",
	  .severity = SEV_HIGH,
	  .evidence = "the granting statement and the services left out",
	  .remedy = REMEDY_TIGHTEN_ROLE,
	  .fix = "Replace the NotAction grant (or PowerUserAccess) with the actions the function "
	         "uses.",
	  .why = "Leaving out IAM does not make a grant small: every data store, every function and "
	         "every compute service stays open to the function's code.",
	  .owasp = SAS4,
	  .reference = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/"
	               "PowerUserAccess.html",
	  .example_true = "{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"organizations:*\"],"
	                  "\"Resource\":\"*\"}",
	  .example_false = "{\"Effect\":\"Allow\",\"NotAction\":\"s3:*\","
	                   "\"Resource\":\"arn:aws:sqs:*:*:jobs\"}" },
	{ .id = "SHR-PERM-003",
	  .family = "permissions",
	  .title = "role has full IAM access",
	  .severity = SEV_CRITICAL,
	  .evidence = "the statement granting every IAM action (iam:* or IAMFullAccess)",
	  .remedy = REMEDY_TIGHTEN_ROLE,
	  .fix = "Remove iam:* from the role; a function that manages IAM needs named actions on "
	         "named roles, under a permissions boundary.",
	  .why = "Full IAM is administrator access one call away: the function can attach "
	         "AdministratorAccess to itself or create a user with keys.",
	  .owasp = SAS4,
	  .reference = IAM_BP,
	  .example_true = "{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}",
	  .example_false = "{\"Effect\":\"Allow\",\"Action\":\"iam:GetRole\",\"Resource\":\"*\"}" },
	{ .id = "SHR-PERM-004",
	  .family = "permissions",
	  .title = "role grants every action of a service (service:*)",
	  .severity = SEV_MEDIUM,
	  .evidence = "each service granted whole, with its policy and statement; high when a "
	              "sensitive service (s3, dynamodb, kms, lambda, ...) is granted on \"*\"",
	  .remedy = REMEDY_TIGHTEN_ROLE,
	  .fix = "Name the actions the function calls instead of SERVICE:*.",
	  .why = "A service wildcard includes its destructive and policy-changing actions "
	         "(s3:PutBucketPolicy, dynamodb:DeleteTable, lambda:UpdateFunctionCode) and every "
	         "action AWS adds later.",
	  .owasp = SAS4,
	  .reference = IAM_BP,
	  .example_true = "{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}",
	  .example_false = "{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\","
	                   "\"dynamodb:PutItem\"],\"Resource\":\"*\"}" },
	{ .id = "SHR-PERM-005",
	  .family = "permissions",
	  .title = "write or permissions-management actions on Resource \"*\"",
	  .severity = SEV_MEDIUM,
	  .evidence = "how many actions, a few of them, and the statements; actions that accept "
	              "no resource and the logging every Lambda needs "
	              "(logs:CreateLogGroup/CreateLogStream/PutLogEvents, VPC network interfaces) "
	              "are left out",
	  .remedy = REMEDY_TIGHTEN_ROLE,
	  .fix = "Scope the Resource of each write to the ARNs the function writes to.",
	  .why = "A write on \"*\" reaches every bucket, table, queue or function of the account, "
	         "including ones created after the policy; a bug or an attacker is not limited to "
	         "the function's own data.",
	  .owasp = SAS4,
	  .reference = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
	               "reference_policies_elements_resource.html",
	  .example_true = "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}",
	  .example_false = "{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\","
	                   "\"logs:PutLogEvents\"],\"Resource\":\"*\"}" },
	{ .id = "SHR-PERM-006",
	  .family = "permissions",
	  .title = "role can escalate its privileges",
	  .severity = SEV_CRITICAL,
	  .evidence = "the escalation method, each action it needs and the statement that "
	              "grants it",
	  .remedy = REMEDY_TIGHTEN_ROLE,
	  .fix = "Remove one action of the method, or scope it to resources that cannot lead to "
	         "more privilege (iam:PassRole to one named role, lambda updates to the "
	         "function itself).",
	  .why = "With these actions the function's code can gain permissions its policies do not "
	         "list: attach a policy to itself, run code under a more powerful role, or mint "
	         "credentials (Rhino Security Labs' AWS privilege-escalation methods).",
	  .owasp = SAS4,
	  .reference = "https://rhinosecuritylabs.com/aws/"
	               "aws-privilege-escalation-methods-mitigation/",
	  .example_true =
	          "{\"Effect\":\"Allow\",\"Action\":[\"iam:PassRole\","
	          "\"lambda:CreateFunction\",\"lambda:InvokeFunction\"],\"Resource\":\"*\"}",
	  .example_false = "{\"Effect\":\"Allow\",\"Action\":\"lambda:UpdateFunctionCode\","
	                   "\"Resource\":\"THE-FUNCTION'S-OWN-ARN\"}" },
	{ .id = "SHR-PERM-007",
	  .family = "permissions",
	  .title = "role can read data stores account-wide",
	  .severity = SEV_HIGH,
	  .evidence = "the data-reading actions granted on \"*\" (s3:GetObject, "
	              "secretsmanager:GetSecretValue, ssm:GetParameter, kms:Decrypt, "
	              "dynamodb:Scan, ...) and their statements",
	  .remedy = REMEDY_TIGHTEN_ROLE,
	  .fix = "Scope reads to the buckets, tables, secrets, parameters and keys the function "
	         "uses.",
	  .why = "A function that can read every object, secret and table is an exfiltration path: "
	         "one injection in it exposes the account's data, not the function's.",
	  .owasp = SAS4,
	  .reference = "https://github.com/salesforce/cloudsplaining",
	  .example_true = "{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\","
	                  "\"Resource\":\"*\"}",
	  .example_false = "{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\","
	                   "\"Resource\":\"arn:aws:secretsmanager:us-east-1:1:secret:db-*\"}" },
	{ .id = "SHR-PERM-008",
	  .family = "permissions",
	  .title = "permissions granted but unused",
	  .severity = SEV_LOW,
	  .evidence = "services (and tracked actions) the access advisor saw unused for N days, "
	              "with their last use; medium when one of them is granted "
	              "permissions-management actions",
	  .remedy = REMEDY_TIGHTEN_ROLE,
	  .fix = "Remove the unused services from the role's policies (shears can write the "
	         "least-privilege policy from what was used).",
	  .why = "Permissions nobody uses only help an attacker; the access advisor shows which "
	         "ones the function has not needed.",
	  .owasp = SAS4,
	  .reference = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
	               "access_policies_last-accessed.html",
	  .example_true = "ServicesLastAccessed: dynamodb with no LastAuthenticated",
	  .example_false = "ServicesLastAccessed: dynamodb LastAuthenticated yesterday" },
	{ .id = "SHR-PERM-009",
	  .family = "permissions",
	  .title = "role not used for a long time",
	  .severity = SEV_LOW,
	  .evidence = "RoleLastUsed (low when older than N days, info when IAM recorded no use) "
	              "and the role's age",
	  .remedy = REMEDY_PRUNE_ROLE,
	  .fix = "Check whether the functions using the role still run; delete the role with them.",
	  .why = "An unused role keeps its permissions and its trust policy: a standing door nobody "
	         "watches.",
	  .owasp = SAS4,
	  .reference = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
	               "id_roles_manage_delete.html",
	  .example_true = "RoleLastUsed.LastUsedDate 200 days ago",
	  .example_false = "RoleLastUsed.LastUsedDate yesterday" },
	{ .id = "SHR-PERM-010",
	  .family = "permissions",
	  .title = "one role shared by several functions",
	  .severity = SEV_LOW,
	  .evidence = "how many functions use the role, and which",
	  .remedy = REMEDY_TIGHTEN_ROLE,
	  .fix = "Give each function its own role with what that function needs.",
	  .why = "A shared role holds the union of every function's needs, so each function gets "
	         "the others' permissions too.",
	  .owasp = SAS4,
	  .reference =
	          "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
	  .example_true = "orders-api and orders-worker both run as orders-role",
	  .example_false = "orders-api runs as orders-api-role, used by no other function" },
};

const struct rule_table rules_permissions = { rows, sizeof(rows) / sizeof(rows[0]) };
