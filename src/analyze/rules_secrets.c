/*
 * The secrets family's rows of the rule catalog (see analyze/rule.h). The
 * engine that raises SHR-SEC-001..080 is analyze/secrets.c; titles say what
 * was found, the evidence says where ("in environment variable DB_URL",
 * "in code package at config.js:12").
 */
#include "analyze/rule.h"

#define SAS7 "SAS-7 Insecure Application Secrets Storage"
#define ROTATE                                                                                    \
	"Revoke and rotate the credential now, then load it at run time from Secrets Manager or " \
	"SSM Parameter Store (SecureString) instead of shipping it."
#define WHY_PROVIDER                                                                              \
	"Anyone who can read the function's configuration or download its code package (every "   \
	"principal with lambda:GetFunction, every copy of the artifact in CI and S3) holds this " \
	"credential and can act as its owner until it is revoked."
#define SECRET(id_, sev, title_, evidence_, ref, yes, no)                                  \
	{                                                                                  \
		.id = id_, .family = "secrets", .title = title_, .severity = sev,          \
		.evidence = evidence_, .remedy = REMEDY_MANUAL, .fix = ROTATE,             \
		.why = WHY_PROVIDER, .owasp = SAS7, .reference = ref, .example_true = yes, \
		.example_false = no                                                        \
	}
#define EV "variable or file:line, redacted value (first 4 characters and SHA-256 prefix)"

static const struct rule rows[] = {
	SECRET("SHR-SEC-001", SEV_CRITICAL, "AWS access key id with its secret access key", EV,
	       "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
	       "AWS_ACCESS_KEY_ID=AKIA... and a 40-character secret in the same function",
	       "AKIAIOSFODNN7EXAMPLE with wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY (AWS's examples)"),
	SECRET("SHR-SEC-002", SEV_HIGH, "AWS access key id", EV,
	       "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
	       "aws_access_key_id = AKIA followed by 16 of A-Z2-7", "AKIAIOSFODNN7EXAMPLE"),
	SECRET("SHR-SEC-003", SEV_CRITICAL, "AWS secret access key", EV,
	       "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
	       "AWS_SECRET_ACCESS_KEY=<40 characters of mixed-case base64>",
	       "AWS_SECRET_ACCESS_KEY={{resolve:secretsmanager:prod/aws:SecretString:key}}"),
	SECRET("SHR-SEC-004", SEV_HIGH, "AWS session token", EV,
	       "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_use-resources.html",
	       "AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj...", "AWS_SESSION_TOKEN_TTL=3600"),
	SECRET("SHR-SEC-005", SEV_HIGH, "GitHub token", EV,
	       "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats",
	       "ghp_ followed by 36 letters and digits",
	       "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
	SECRET("SHR-SEC-006", SEV_HIGH, "GitLab token", EV,
	       "https://docs.gitlab.com/ee/security/token_overview.html",
	       "glpat- followed by 20 characters", "glpat-<your-token>"),
	SECRET("SHR-SEC-007", SEV_HIGH, "Slack token", EV,
	       "https://api.slack.com/authentication/token-types",
	       "xoxb-<team id>-<bot id>-<24 characters>", "xoxb-your-bot-token"),
	SECRET("SHR-SEC-008", SEV_MEDIUM, "Slack incoming webhook URL", EV,
	       "https://api.slack.com/messaging/webhooks",
	       "https://hooks.slack.com/services/T.../B.../<24 characters>",
	       "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
	SECRET("SHR-SEC-009", SEV_CRITICAL, "Stripe live secret key", EV,
	       "https://docs.stripe.com/keys", "sk_live_ followed by 24 or more characters",
	       "pk_live_... (a publishable key)"),
	SECRET("SHR-SEC-010", SEV_LOW, "Stripe test-mode secret key", EV,
	       "https://docs.stripe.com/keys", "sk_test_ followed by 24 or more characters",
	       "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"),
	SECRET("SHR-SEC-011", SEV_MEDIUM, "Google API key", EV,
	       "https://cloud.google.com/docs/authentication/api-keys",
	       "AIza followed by 35 characters", "AIza<your-api-key>"),
	SECRET("SHR-SEC-012", SEV_CRITICAL, "GCP service account private key", EV,
	       "https://cloud.google.com/iam/docs/keys-create-delete",
	       "a key file with \"type\": \"service_account\" and \"private_key\"",
	       "a key file whose private_key is \"<private key>\""),
	SECRET("SHR-SEC-013", SEV_CRITICAL, "Azure connection string key", EV,
	       "https://learn.microsoft.com/en-us/azure/storage/common/storage-configure-connection-string",
	       "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=<88 base64 characters>",
	       "UseDevelopmentStorage=true"),
	SECRET("SHR-SEC-014", SEV_HIGH, "Azure AD client secret", EV,
	       "https://learn.microsoft.com/en-us/entra/identity-platform/how-to-add-credentials",
	       "abc8Q~ followed by 31 to 34 characters", "AZURE_CLIENT_SECRET=${AZURE_SECRET}"),
	SECRET("SHR-SEC-015", SEV_HIGH, "Twilio API key", EV,
	       "https://www.twilio.com/docs/iam/api-keys", "SK followed by 32 hex digits",
	       "SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
	SECRET("SHR-SEC-016", SEV_HIGH, "Twilio auth token", EV,
	       "https://www.twilio.com/docs/iam/credentials/api",
	       "TWILIO_AUTH_TOKEN=<32 hex digits>, or 32 hex digits next to an AC account SID",
	       "an AC account SID alone"),
	SECRET("SHR-SEC-017", SEV_HIGH, "SendGrid API key", EV,
	       "https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys",
	       "SG.<22 characters>.<43 characters>", "SG.your_api_key_here"),
	SECRET("SHR-SEC-018", SEV_HIGH, "npm access token", EV,
	       "https://docs.npmjs.com/about-access-tokens", "npm_ followed by 36 characters",
	       "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"),
	SECRET("SHR-SEC-019", SEV_HIGH, "PyPI API token", EV, "https://pypi.org/help/#apitoken",
	       "pypi-AgEIcHlwaS5vcmc followed by the macaroon", "password = __token__"),
	SECRET("SHR-SEC-020", SEV_HIGH, "private key (PEM)", EV,
	       "https://www.rfc-editor.org/rfc/rfc7468",
	       "-----BEGIN RSA PRIVATE KEY----- and a base64 body",
	       "-----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----"),
	SECRET("SHR-SEC-021", SEV_MEDIUM, "JSON Web Token", EV,
	       "https://www.rfc-editor.org/rfc/rfc7519", "eyJhbGciOi...header.payload.signature",
	       "the jwt.io example token"),
	SECRET("SHR-SEC-022", SEV_HIGH, "database URL with a password", EV,
	       "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS",
	       "postgres://app:s3cr3tPassw0rdX@db.internal:5432/app",
	       "postgres://app:${DB_PASSWORD}@db.internal:5432/app"),
	SECRET("SHR-SEC-023", SEV_HIGH, "Mailgun API key", EV,
	       "https://documentation.mailgun.com/docs/mailgun/user-manual/api-key-mgmt/",
	       "key- followed by 32 hex digits", "key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
	SECRET("SHR-SEC-024", SEV_HIGH, "Shopify access token", EV,
	       "https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens",
	       "shpat_ followed by 32 hex digits", "shpat_<token>"),
	SECRET("SHR-SEC-025", SEV_HIGH, "OpenAI API key", EV,
	       "https://platform.openai.com/docs/api-reference/authentication",
	       "sk-proj- followed by the key", "sk-your-openai-key"),
	SECRET("SHR-SEC-026", SEV_HIGH, "Anthropic API key", EV,
	       "https://docs.anthropic.com/en/api/getting-started",
	       "sk-ant-api03- followed by the key", "sk-ant-xxxx"),
	SECRET("SHR-SEC-027", SEV_HIGH, "Heroku API key", EV,
	       "https://devcenter.heroku.com/articles/authentication",
	       "HRKU-AA followed by 58 characters, or HEROKU_API_KEY=<uuid>",
	       "HEROKU_APP_NAME=my-app"),
	SECRET("SHR-SEC-028", SEV_HIGH, "Square access token or OAuth secret", EV,
	       "https://developer.squareup.com/docs/build-basics/access-tokens",
	       "sq0atp- followed by 22 characters", "sq0atp-<token>"),
	SECRET("SHR-SEC-029", SEV_MEDIUM, "Discord bot token or webhook URL", EV,
	       "https://discord.com/developers/docs/reference#authentication",
	       "DISCORD_BOT_TOKEN=<id>.<timestamp>.<hmac>", "DISCORD_CLIENT_ID=123456789012345678"),
	SECRET("SHR-SEC-030", SEV_MEDIUM, "Telegram bot token", EV,
	       "https://core.telegram.org/bots/api#authorizing-your-bot",
	       "123456789:AA followed by 33 characters", "123456789:<bot-token>"),
	SECRET("SHR-SEC-031", SEV_HIGH, "Datadog API or application key", EV,
	       "https://docs.datadoghq.com/account_management/api-app-keys/",
	       "DD_API_KEY=<32 hex digits>", "DD_SITE=datadoghq.eu"),
	{ .id = "SHR-SEC-080",
	  .family = "secrets",
	  .title = "high-entropy value assigned to a secret-looking name",
	  .severity = SEV_MEDIUM,
	  .evidence = "the name, the value's entropy test, redacted value",
	  .remedy = REMEDY_MANUAL,
	  .fix = "If it is a credential, rotate it and read it at run time from Secrets Manager or "
	         "SSM Parameter Store; if it is not, rename the variable or accept the finding.",
	  .why = "A random-looking value under a name such as DB_PASSWORD or apiKey is most often "
	         "a credential of a service no provider rule knows; whoever reads the configuration "
	         "or the package holds it.",
	  .owasp = SAS7,
	  .reference = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/"
	               "retrieving-secrets_lambda.html",
	  .example_true = "DB_PASSWORD=q7Rw2LxZ9vKp4Tn8",
	  .example_false = "DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db" },
	{ .id = "SHR-SEC-090",
	  .family = "secrets",
	  .title = "sensitive environment variables not encrypted with a customer KMS key",
	  .severity = SEV_LOW,
	  .evidence = "the function, the names of its secret-looking variables, its KMSKeyArn "
	              "(none: the AWS managed key)",
	  .remedy = REMEDY_MANUAL,
	  .fix = "Set the function's KMSKeyArn to a customer managed key whose policy admits only "
	         "the function's role and its administrators, or move the values to Secrets "
	         "Manager.",
	  .why = "With the AWS managed key, any principal allowed lambda:GetFunctionConfiguration "
	         "reads the variables in clear; a customer managed key adds a key policy and "
	         "CloudTrail records of every decryption.",
	  .owasp = SAS7,
	  .reference =
	          "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
	  .example_true = "a function with API_TOKEN set and no KMSKeyArn",
	  .example_false =
	          "a function with API_TOKEN set and KMSKeyArn of a customer managed key" },
};

const struct rule_table rules_secrets = { rows, sizeof(rows) / sizeof(rows[0]) };
