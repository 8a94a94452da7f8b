/* The exposure family's rows of the rule catalog (see analyze/rule.h). */
#include "analyze/rule.h"

#define SAS2 "SAS-2 Broken Authentication"
#define SAS3 "SAS-3 Insecure Serverless Deployment Configuration"
#define LAMBDA_POLICY_DOC \
	"https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html"

static const struct rule rows[] = {
	{ .id = "SHR-EXP-001",
	  .family = "exposure",
	  .title = "function resource policy lets anyone invoke it",
	  .severity = SEV_HIGH,
	  .evidence = "the policy statement (number and Sid), its principal and the invoke action; "
	              "no condition that limits the caller",
	  .remedy = REMEDY_CLOSE_PUBLIC,
	  .fix = "Remove the statement, or name the calling account or service and add "
	         "aws:SourceArn / aws:SourceAccount (or aws:PrincipalOrgID) conditions.",
	  .why = "A statement with Principal \"*\" (or {\"AWS\":\"*\"}) and no condition on the "
	         "caller lets any AWS principal of any account invoke the function directly, "
	         "bypassing every API authorizer in front of it. Conditions that pin the caller "
	         "(aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceVpce, "
	         "aws:SourceOwner, lambda:FunctionUrlAuthType = AWS_IAM) and Deny statements are "
	         "taken into account; negated and IfExists operators do not limit.",
	  .owasp = SAS2,
	  .reference = LAMBDA_POLICY_DOC,
	  .example_true = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
	                  "\"lambda:InvokeFunction\"}",
	  .example_false = "the same with \"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":"
	                   "\"o-a1b2c3\"}}" },
	{ .id = "SHR-EXP-002",
	  .family = "exposure",
	  .title = "service may invoke the function on behalf of any account (confused deputy)",
	  .severity = SEV_LOW,
	  .evidence = "the policy statement and the service principal, with no aws:SourceArn or "
	              "aws:SourceAccount condition",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Add an aws:SourceArn (the bucket, rule, topic or API) or aws:SourceAccount "
	         "condition to the statement.",
	  .why = "A service principal such as s3.amazonaws.com acts for every AWS customer: "
	         "without a source condition, a bucket or topic in another account can be "
	         "configured to invoke this function (the confused deputy problem).",
	  .owasp = SAS3,
	  .reference = "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
	  .example_true = "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
	                  "\"Action\":\"lambda:InvokeFunction\"}",
	  .example_false = "the same with \"Condition\":{\"ArnLike\":{\"AWS:SourceArn\":"
	                   "\"arn:aws:s3:::my-uploads\"}}" },
	{ .id = "SHR-EXP-003",
	  .family = "exposure",
	  .title = "another account may invoke the function",
	  .severity = SEV_INFO,
	  .evidence = "the policy statement, the named principal and its account",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Confirm the account is a partner you trust; narrow the principal to one role "
	         "and add conditions where possible.",
	  .why = "Cross-account invoke rights are often legitimate, but every account listed is "
	         "trusted to call the function with any input; reviewers should know the list.",
	  .owasp = NULL,
	  .reference = LAMBDA_POLICY_DOC,
	  .example_true = "\"Principal\":{\"AWS\":\"arn:aws:iam::210987654321:root\"} with the "
	                  "function in account 123456789012",
	  .example_false = "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"} (the same "
	                   "account)" },
	{ .id = "SHR-EXP-004",
	  .family = "exposure",
	  .title = "function URL with no authentication",
	  .severity = SEV_HIGH,
	  .evidence = "the URL, its AuthType and the policy statement that makes it callable "
	              "(low when no statement opens it yet)",
	  .remedy = REMEDY_CLOSE_PUBLIC,
	  .fix = "Set the URL's AuthType to AWS_IAM (sign requests with SigV4), or put the "
	         "function behind an API with an authorizer; remove the public statement.",
	  .why = "A function URL with AuthType NONE is an HTTPS endpoint anyone on the internet "
	         "can call, as often as they like, with any payload; the function must then do "
	         "all authentication itself.",
	  .owasp = SAS2,
	  .reference = "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
	  .example_true = "\"Url\":{\"AuthType\":\"NONE\"} and a statement allowing \"*\" "
	                  "lambda:InvokeFunctionUrl",
	  .example_false = "\"Url\":{\"AuthType\":\"AWS_IAM\"}" },
	{ .id = "SHR-EXP-005",
	  .family = "exposure",
	  .title = "API route with no authorizer and no API key",
	  .severity = SEV_MEDIUM,
	  .evidence = "the API, the route or method, and the function it invokes (or the backend)",
	  .remedy = REMEDY_CLOSE_PUBLIC,
	  .fix = "Attach an authorizer (JWT, Lambda, Cognito or IAM) to the route, or confirm it "
	         "is meant to be public and rate-limit it.",
	  .why = "A route with authorization NONE lets anyone run the function behind it. Routes "
	         "meant to be public exist (a catalogue), but each should be a decision: the "
	         "function then handles untrusted input from the whole internet. Private REST "
	         "APIs, undeployed APIs, CORS preflight mocks and WebSocket routes other than "
	         "$connect are skipped; a REST API resource policy that limits callers lowers it.",
	  .owasp = SAS2,
	  .reference = "https://docs.aws.amazon.com/apigateway/latest/developerguide/"
	               "apigateway-control-access-to-api.html",
	  .example_true = "HTTP API route \"GET /catalog\" with \"AuthorizationType\":\"NONE\"",
	  .example_false = "the same route with \"AuthorizationType\":\"JWT\"" },
	{ .id = "SHR-EXP-006",
	  .family = "exposure",
	  .title = "public bucket a function reads, writes or is triggered by",
	  .severity = SEV_MEDIUM,
	  .evidence = "what makes the bucket public (policy statement, policy status or ACL "
	              "grant, after the public access block) and how the function is tied to it",
	  .remedy = REMEDY_CLOSE_PUBLIC,
	  .fix = "Turn on the bucket's public access block (RestrictPublicBuckets, "
	         "IgnorePublicAcls); serve public files through CloudFront with origin access "
	         "control instead.",
	  .why = "What the function writes to a public bucket is published to the world, and "
	         "what it reads or is triggered by there may have been written by anyone (high "
	         "when anyone may write or the function writes). RestrictPublicBuckets and "
	         "IgnorePublicAcls cancel a public policy or ACL; BlockPublicPolicy and "
	         "BlockPublicAcls only stop new ones.",
	  .owasp = "SAS-3 Insecure Serverless Deployment Configuration",
	  .reference = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
	               "access-control-block-public-access.html",
	  .example_true = "bucket policy Principal \"*\" s3:GetObject, public access block off, "
	                  "the function's role reads the bucket",
	  .example_false = "the same bucket with RestrictPublicBuckets true" },
	{ .id = "SHR-EXP-007",
	  .family = "exposure",
	  .title = "queue policy lets anyone send or receive",
	  .severity = SEV_HIGH,
	  .evidence = "the policy statement, its principal and action, and the functions the "
	              "queue triggers",
	  .remedy = REMEDY_CLOSE_PUBLIC,
	  .fix = "Name the sending accounts or services and add aws:SourceArn / "
	         "aws:SourceAccount conditions.",
	  .why = "With Principal \"*\" and no limiting condition any AWS account can put "
	         "messages on the queue (which the functions it triggers then trust) or read "
	         "and delete them.",
	  .owasp = "SAS-1 Function Event-Data Injection",
	  .reference = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/"
	               "SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html",
	  .example_true = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
	                  "\"sqs:SendMessage\"}",
	  .example_false = "the same with \"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":"
	                   "\"arn:aws:sns:us-east-1:123456789012:t\"}}" },
	{ .id = "SHR-EXP-008",
	  .family = "exposure",
	  .title = "topic policy lets anyone publish or subscribe",
	  .severity = SEV_HIGH,
	  .evidence = "the policy statement, its principal and action, and the functions the "
	              "topic triggers",
	  .remedy = REMEDY_CLOSE_PUBLIC,
	  .fix = "Keep the default AWS:SourceOwner condition, or name the publishing accounts "
	         "and services with aws:SourceArn / aws:SourceAccount.",
	  .why = "With Principal \"*\" and no limiting condition anyone can publish to the topic "
	         "(input to every subscribed function) or subscribe and receive its messages.",
	  .owasp = "SAS-1 Function Event-Data Injection",
	  .reference = "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
	  .example_true = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":"
	                  "\"SNS:Publish\"}",
	  .example_false = "the same with \"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":"
	                   "\"123456789012\"}}" },
	{ .id = "SHR-EXP-009",
	  .family = "exposure",
	  .title = "public entry point reaches a data store (exfiltration path)",
	  .severity = SEV_HIGH,
	  .evidence = "the chain: entry point -> function -> role -> reads/writes store",
	  .remedy = REMEDY_TIGHTEN_ROLE,
	  .fix = "Close the entry point or add authentication, and narrow the role to the items "
	         "and actions the function needs.",
	  .why = "A function anyone can call whose role reads or writes a table, bucket, queue "
	         "or secret is one injection or logic bug away from handing that data out: the "
	         "path, not one misconfiguration, is the risk.",
	  .owasp = "SAS-4 Over-Privileged Function Permissions and Roles",
	  .reference =
	          "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
	  .example_true = "GET /catalog (no authorizer) -> storefront-catalog -> role "
	                  "acme-storefront-role -> reads table acme-catalog",
	  .example_false = "the same function behind a JWT authorizer" },
};

const struct rule_table rules_exposure = { rows, sizeof(rows) / sizeof(rows[0]) };
