/*
 * The secrets engine's rule tables (secret_rules.h). Every format is taken
 * from its provider's documentation of the token layout (prefix, length,
 * alphabet); the catalog rows these ids name are in rules_secrets.c.
 */
#include "analyze/secret_rules.h"

#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

/* Token boundaries: a token is not a piece of a longer word. */
#define NB  "(?<![A-Za-z0-9_])"
#define NA  "(?![A-Za-z0-9_])"
#define NBD "(?<![A-Za-z0-9_-])"
#define NAD "(?![A-Za-z0-9_-])"
/* A PEM body as text or inside a JSON string, where newlines are "\n". */
#define PEM_NL "(?:\\\\r|\\\\n|\\r|\\n)"
/* one character class, not a group: JIT needs no stack for 4 KiB of it */
#define PEM_BODY "(?<s>[A-Za-z0-9+/=\\r\\n\\\\]{64,4096})"

const struct secret_rule secret_rules[] = {
	{ .rule_id = "SHR-SEC-002",
	  .what = "AWS access key id",
	  .anchors = "AKIA|ASIA|ABIA|ACCA",
	  .span = 24,
	  .pattern = "(?<![A-Za-z0-9])(?<s>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])",
	  /* a secret access key is 40 characters of base64, mixed case */
	  .companion =
	          "(?<![A-Za-z0-9/+])(?<s>(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[A-Z])"
	          "[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
	  .pair_rule_id = "SHR-SEC-001",
	  .pair_what = "AWS access key id with its secret access key",
	  .flags = SR_BINARY_OK },
	{ .rule_id = "SHR-SEC-004",
	  .what = "AWS session token",
	  .anchors = "IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE",
	  .span = 4096,
	  .pattern =
	          "(?<![A-Za-z0-9/+])(?<s>(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)[A-Za-z0-9/+=]{80,4000})",
	  .flags = SR_BINARY_OK | SR_NO_SHAPE },
	{ .rule_id = "SHR-SEC-012",
	  .what = "GCP service account private key",
	  .anchors = "\"private_key\"",
	  .span = 8192,
	  .pattern = "\"private_key\"\\s*:\\s*\"-----BEGIN (?:RSA )?PRIVATE KEY-----" PEM_NL
	             "*" PEM_BODY,
	  .requires = "service_account",
	  .flags = SR_NO_SHAPE },
	{ .rule_id = "SHR-SEC-020",
	  .what = "private key (PEM)",
	  .anchors = "-----BEGIN ",
	  .span = 8192,
	  .pattern =
	          "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
	          "(?:" PEM_NL "|[ \\t])*(?:[A-Za-z-]+: [^\\r\\n\\\\]*" PEM_NL "+)*"
	          "(?:" PEM_NL "|[ \\t])*" PEM_BODY,
	  .flags = SR_BINARY_OK | SR_NO_SHAPE },
	{ .rule_id = "SHR-SEC-021",
	  .what = "JSON Web Token",
	  .anchors = "eyJ",
	  .span = 8192,
	  .pattern = NBD
	  "(?<s>eyJ[A-Za-z0-9_-]{8,2000}\\.[A-Za-z0-9_-]{8,4000}\\.[A-Za-z0-9_-]{16,1000})" NAD,
	  .flags = SR_JWT | SR_NO_SHAPE },
	{ .rule_id = "SHR-SEC-008",
	  .what = "Slack incoming webhook URL",
	  .anchors = "hooks.slack.com/",
	  .span = 128,
	  .pattern =
	          "hooks\\.slack\\.com/services/(?<s>T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})"
	          "(?![A-Za-z0-9])" },
	{ .rule_id = "SHR-SEC-007",
	  .what = "Slack token",
	  .anchors = "xoxb-|xoxp-|xoxa-|xoxr-|xoxs-|xoxe-|xapp-",
	  .span = 256,
	  .pattern = "(?<![A-Za-z0-9])(?<s>xox[bpares]-[0-9]{8,14}-[0-9A-Za-z-]{10,200}"
	             "|xapp-[0-9]-[A-Z0-9]{8,12}-[0-9]{8,14}-[A-Za-z0-9]{32,80})(?![A-Za-z0-9-])" },
	{ .rule_id = "SHR-SEC-005",
	  .what = "GitHub token",
	  .anchors = "ghp_|gho_|ghu_|ghs_|ghr_",
	  .span = 256,
	  .pattern = NB "(?<s>gh[pousr]_[A-Za-z0-9]{36,251})" NA,
	  .flags = SR_BINARY_OK },
	{ .rule_id = "SHR-SEC-005",
	  .what = "GitHub fine-grained personal access token",
	  .anchors = "github_pat_",
	  .span = 96,
	  .pattern = NB "(?<s>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})" NA,
	  .flags = SR_BINARY_OK },
	{ .rule_id = "SHR-SEC-006",
	  .what = "GitLab token",
	  .anchors = "glpat-|gldt-|glrt-|glptt-|gloas-",
	  .span = 128,
	  .pattern = NBD
	  "(?<s>gl(?:pat|dt|rt|ptt|oas)-[0-9A-Za-z_-]{20,64}(?:\\.[0-9A-Za-z_-]{1,16}){0,2})" NAD,
	  .flags = SR_BINARY_OK },
	{ .rule_id = "SHR-SEC-009",
	  .what = "Stripe live secret key",
	  .anchors = "sk_live_|rk_live_",
	  .span = 256,
	  .pattern = NB "(?<s>[sr]k_live_[0-9A-Za-z]{24,247})" NA,
	  .flags = SR_BINARY_OK },
	{ .rule_id = "SHR-SEC-010",
	  .what = "Stripe test-mode secret key",
	  .anchors = "sk_test_|rk_test_",
	  .span = 256,
	  .pattern = NB "(?<s>[sr]k_test_[0-9A-Za-z]{24,247})" NA },
	{ .rule_id = "SHR-SEC-011",
	  .what = "Google API key",
	  .anchors = "AIza",
	  .span = 40,
	  .pattern = NBD "(?<s>AIza[0-9A-Za-z_-]{35})" NAD,
	  .flags = SR_BINARY_OK },
	{ .rule_id = "SHR-SEC-013",
	  .what = "Azure connection string key",
	  .anchors = "AccountKey=|SharedAccessKey=",
	  .span = 128,
	  .pattern = "(?:AccountKey|SharedAccessKey)=(?<s>[A-Za-z0-9+/]{86}==|[A-Za-z0-9+/]{43}=)"
	             "(?![A-Za-z0-9+/=])" },
	{ .rule_id = "SHR-SEC-014",
	  .what = "Azure AD client secret",
	  .anchors = "0Q~|1Q~|2Q~|3Q~|4Q~|5Q~|6Q~|7Q~|8Q~|9Q~",
	  .lead = 4,
	  .span = 40,
	  .pattern = "(?<![A-Za-z0-9_~.-])(?<s>[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})"
	             "(?![A-Za-z0-9_~.-])",
	  .flags = SR_WHOLE_BODY },
	{ .rule_id = "SHR-SEC-015",
	  .what = "Twilio API key",
	  .anchors = "SK[0-9a-f]",
	  .span = 40,
	  .pattern = "(?<![A-Za-z0-9])(?<s>SK[0-9a-f]{32})(?![A-Za-z0-9])" },
	{ .rule_id = NULL, /* an account SID alone is an identifier, not a secret */
	  .what = "Twilio account SID",
	  .anchors = "AC[0-9a-f]",
	  .span = 40,
	  .pattern = "(?<![A-Za-z0-9])(?<s>AC[0-9a-f]{32})(?![A-Za-z0-9])",
	  .companion = "(?<![A-Za-z0-9])(?<s>[0-9a-f]{32})(?![A-Za-z0-9])",
	  .pair_rule_id = "SHR-SEC-016",
	  .pair_what = "Twilio auth token next to its account SID" },
	{ .rule_id = "SHR-SEC-017",
	  .what = "SendGrid API key",
	  .anchors = "SG.",
	  .span = 72,
	  .pattern = NBD "(?<s>SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})" NAD,
	  .flags = SR_BINARY_OK },
	{ .rule_id = "SHR-SEC-018",
	  .what = "npm access token",
	  .anchors = "npm_",
	  .span = 40,
	  .pattern = NB "(?<s>npm_[A-Za-z0-9]{36})" NA },
	{ .rule_id = "SHR-SEC-019",
	  .what = "PyPI API token",
	  .anchors = "pypi-AgEIcHlwaS5vcmc|pypi-AgENdGVzdC5weXBpLm9yZw",
	  .span = 512,
	  .pattern = NBD
	  "(?<s>pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,400})" NAD },
	{ .rule_id = "SHR-SEC-022",
	  .what = "database URL with a password",
	  .anchors =
	          "postgres://|postgresql://|mysql://|mariadb://|mongodb://|mongodb+srv://|redis://"
	          "|rediss://|amqp://|amqps://|mssql://|sqlserver://",
	  .span = 400,
	  .pattern =
	          "(?<![A-Za-z0-9+])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?"
	          "|mssql|sqlserver)://(?<u>[^:@/\\s'\"`]{0,128}):(?<s>[^@/\\s'\"`]{1,256})"
	          "@[A-Za-z0-9_.\\[-]",
	  .flags = SR_NOT_USER | SR_WHOLE_BODY },
	{ .rule_id = "SHR-SEC-023",
	  .what = "Mailgun API key",
	  .anchors = "key-",
	  .span = 40,
	  .pattern = NBD "(?<s>key-[0-9a-f]{32})" NAD },
	{ .rule_id = "SHR-SEC-024",
	  .what = "Shopify access token",
	  .anchors = "shpat_|shpca_|shppa_|shpss_",
	  .span = 40,
	  .pattern = NB "(?<s>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})" NA },
	{ .rule_id = "SHR-SEC-026",
	  .what = "Anthropic API key",
	  .anchors = "sk-ant-",
	  .span = 160,
	  .pattern = NBD "(?<s>sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120})" NAD },
	{ .rule_id = "SHR-SEC-025",
	  .what = "OpenAI API key",
	  .anchors = "sk-",
	  .span = 256,
	  .pattern = NBD "(?<s>sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}"
	                 "|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}))" NAD },
	{ .rule_id = "SHR-SEC-027",
	  .what = "Heroku API key",
	  .anchors = "HRKU-",
	  .span = 72,
	  .pattern = NBD "(?<s>HRKU-AA[0-9A-Za-z_-]{58})" NAD },
	{ .rule_id = "SHR-SEC-028",
	  .what = "Square access token or OAuth secret",
	  .anchors = "sq0atp-|sq0csp-",
	  .span = 56,
	  .pattern = NBD "(?<s>sq0atp-[0-9A-Za-z_-]{22}|sq0csp-[0-9A-Za-z_-]{43})" NAD },
	{ .rule_id = "SHR-SEC-029",
	  .what = "Discord webhook URL",
	  .anchors = "discord.com/api/webhooks/|discordapp.com/api/webhooks/",
	  .span = 128,
	  .pattern =
	          "discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/(?<s>[A-Za-z0-9_-]{60,68})" NAD,
	  .flags = SR_WHOLE_BODY },
	{ .rule_id = "SHR-SEC-030",
	  .what = "Telegram bot token",
	  .anchors = ":AA",
	  .lead = 10,
	  .span = 40,
	  .pattern = "(?<![A-Za-z0-9_:-])(?<s>[0-9]{8,10}:AA[0-9A-Za-z_-]{33})" NAD,
	  .flags = SR_WHOLE_BODY },
};
const size_t secret_rules_n = sizeof(secret_rules) / sizeof(secret_rules[0]);

#define HEX32 "[0-9a-f]{32}"
const struct secret_named_rule secret_named_rules[] = {
	{ "SHR-SEC-003", "AWS secret access key", "(?:aws|amazon).*secret|secret_?access_?key",
	  "(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9/+]{40}" },
	{ "SHR-SEC-004", "AWS session token", "session_?token|security_?token",
	  "[A-Za-z0-9/+]{100,4000}={0,2}" },
	{ "SHR-SEC-031", "Datadog API or application key", "^dd_|[^a-z]dd_|datadog",
	  HEX32 "|[0-9a-f]{40}" },
	{ "SHR-SEC-016", "Twilio auth token", "twilio", HEX32 },
	{ "SHR-SEC-027", "Heroku API key", "heroku",
	  "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}" },
	{ "SHR-SEC-029", "Discord bot token", "discord",
	  "[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}" },
	{ "SHR-SEC-023", "Mailgun API key", "mailgun", HEX32 "-[0-9a-f]{8}-[0-9a-f]{8}" },
	{ "SHR-SEC-014", "Azure AD client secret", "(?:azure|arm|aad)_?client_?secret",
	  "[A-Za-z0-9_~.-]{34,44}" },
	{ "SHR-SEC-028", "Square access token", "square", "EAAA[A-Za-z0-9_-]{60}" },
};
const size_t secret_named_rules_n = sizeof(secret_named_rules) / sizeof(secret_named_rules[0]);

/* Lower case; the prefilter folds case for these. */
const char *const secret_name_anchors[] = {
	"key", "secret", "token", "pass", "pwd", "auth", "credential", "creds",
};
const size_t secret_name_anchors_n = sizeof(secret_name_anchors) / sizeof(secret_name_anchors[0]);

/* ---- names ---- */

#define NAME_WORDS_MAX 16

struct name_words {
	char w[NAME_WORDS_MAX][SECRETS_NAME_MAX + 1];
	size_t n;
};

static int
in_list(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return 1;
	return 0;
}

static int
ends_with_any(const char *w, const char *const *list)
{
	size_t n = strlen(w);

	for (; *list; list++) {
		size_t m = strlen(*list);

		if (n >= m && !strcmp(w + n - m, *list))
			return 1;
	}
	return 0;
}

/* Splits at non-alphanumerics and camel case: "dbAPIKey_v2" is db api key v2. */
static void
name_split(const char *s, size_t len, struct name_words *out)
{
	size_t i, cur = 0;

	out->n = 0;
	for (i = 0; i <= len; i++) {
		unsigned char c = i < len ? (unsigned char)s[i] : 0;
		int alnum = isalnum(c);
		int camel = i > 0 && i < len && isupper(c) &&
		            (islower((unsigned char)s[i - 1]) ||
		             (isupper((unsigned char)s[i - 1]) && i + 1 < len &&
		              islower((unsigned char)s[i + 1])));

		if ((!alnum || camel) && cur > 0 && out->n < NAME_WORDS_MAX) {
			out->w[out->n][cur] = '\0';
			out->n++;
			cur = 0;
		}
		if (alnum && out->n < NAME_WORDS_MAX && cur < SECRETS_NAME_MAX)
			out->w[out->n][cur++] = (char)tolower(c);
	}
}

static const char *const trailers[] = {
	"value", "val",         "str",     "string", "b64",  "base64", "hex",
	"raw",   "data",        "encoded", "plain",  "live", "prod",   "production",
	"dev",   "development", "staging", "stage",  NULL,
};
static const char *const secret_heads[] = {
	"password", "passwd", "passphrase", "pwd",         "pass",  "pw",   "secret", "secrets",
	"token",    "tokens", "credential", "credentials", "creds", "auth", NULL,
};
/* One-word compounds, as in "apikey" or "dbpassword". */
static const char *const secret_suffixes[] = {
	"password",  "passwd",    "secret",     "token",      "apikey",      "privatekey",
	"secretkey", "accesskey", "passphrase", "credential", "credentials", NULL,
};
/* A key that names a place, not a credential. */
static const char *const key_not_secret[] = {
	"public",      "publishable", "cache",     "partition",
	"sort",        "primary",     "foreign",   "hash",
	"object",      "s3",          "bucket",    "row",
	"lookup",      "map",         "dedup",     "deduplication",
	"idempotency", "routing",     "group",     "message",
	"i18n",        "translation", "item",      "list",
	"unique",      "composite",   "range",     "index",
	"table",       "column",      "field",     "query",
	"search",      "order",       "attribute", "attr",
	"prop",        "property",    "config",    "settings",
	"env",         "dict",        "json",      "yaml",
	"redis",       "kms",         "cmk",       "local",
	"storage",     "file",        "path",      "name",
	"hot",         "short",       "cut",       "sign",
	"foreign",     "natural",     "surrogate", "react",
	"id",          NULL,
};
static const char *const token_not_secret[] = {
	"next",        "page",   "pagination", "continuation", "cancellation", "cursor",
	"sync",        "csrf",   "xsrf",       "lexer",        "parser",       "parse",
	"syntax",      "design", "start",      "end",          "marker",       "resume",
	"idempotency", "client", "request",    NULL,
};
static const char *const name_not_secret[] = {
	"public", "publishable", "mock", "fake", "dummy", "example", "sample", NULL,
};

static int
word_is_trailer(const char *w)
{
	if (in_list(w, trailers))
		return 1;
	if (w[0] == 'v')
		w++;
	return *w && strspn(w, "0123456789") == strlen(w);
}

int
secrets_name_is_secret(const char *name, size_t len)
{
	struct name_words words;
	const char *head, *before;
	size_t i, h;

	if (!len || len > SECRETS_NAME_MAX)
		return 0;
	name_split(name, len, &words);
	for (i = 0; i < words.n; i++)
		if (in_list(words.w[i], name_not_secret))
			return 0;
	h = words.n;
	while (h > 0 && word_is_trailer(words.w[h - 1]))
		h--;
	if (!h)
		return 0;
	head = words.w[h - 1];
	before = h >= 2 ? words.w[h - 2] : "";
	if (!strcmp(head, "key") || !strcmp(head, "keys"))
		return *before && !in_list(before, key_not_secret) && !word_is_trailer(before);
	if (!strcmp(head, "token") || !strcmp(head, "tokens"))
		return !in_list(before, token_not_secret);
	return in_list(head, secret_heads) || ends_with_any(head, secret_suffixes);
}

/* ---- values ---- */

static int
has_caseless(const char *v, size_t len, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = 0; i + m <= len; i++)
		if (!strncasecmp(v + i, needle, m))
			return 1;
	return 0;
}

static int
has_any(const char *v, size_t len, const char *const *needles, int caseless)
{
	size_t i, m;

	for (; *needles; needles++) {
		if (caseless) {
			if (has_caseless(v, len, *needles))
				return 1;
			continue;
		}
		m = strlen(*needles);
		for (i = 0; i + m <= len; i++)
			if (!memcmp(v + i, *needles, m))
				return 1;
	}
	return 0;
}

static const char *const placeholder_words[] = {
	"changeme",     "change_me",  "change-me",  "changeit", "replace_me", "replaceme",
	"replace-me",   "your_",      "your-",      "yourkey",  "yourtoken",  "yoursecret",
	"yourpassword", "youraccess", "yourapi",    "example",  "dummy",      "placeholder",
	"sample",       "redacted",   "xxxx",       "****",     "....",       "insert",
	"notreal",      "not_real",   "not-a-real", "fixme",    "todo",       "lorem",
	"password",     "passwd",     "secret",     "qwerty",   "asdf",       "_here",
	"-here",        "undefined",  "null",       NULL,
};
/* Case-sensitive: "test" inside a random body is rare, "TeSt" rarer still. */
static const char *const placeholder_marks[] = {
	"test", "TEST", "Test", "fake", "FAKE", "Fake", "mock", "MOCK", "Mock",
	"${",   "$(",   "%(",   "{{",   "}}",   "<%",   "#{",   "%s",   NULL,
};
/* Documented examples: AWS's key pair (IAM user guide), jwt.io's token, RFC 6749's. */
static const char *const documented_examples[] = {
	"AKIAIOSFODNN7EXAMPLE",
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
	"SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
	"2YotnFZFEjr1zCsicMWpAA", /* RFC 6749's access token */
	"tGzv3JOkF0XG5Qx2TlKWIA", /* and refresh token */
	NULL,
};

/* Runs of one character, or of ascending or descending neighbours (12345, fedcba). */
static int
has_shape_run(const char *v, size_t len, size_t min_run)
{
	size_t i, same = 1, up = 1, down = 1;

	for (i = 1; i < len; i++) {
		int d = (unsigned char)v[i] - (unsigned char)v[i - 1];

		same = d == 0 ? same + 1 : 1;
		up = d == 1 ? up + 1 : 1;
		down = d == -1 ? down + 1 : 1;
		if (same >= min_run || up >= min_run || down >= min_run)
			return 1;
	}
	return 0;
}

static size_t
distinct_chars(const char *v, size_t len)
{
	unsigned char seen[256] = { 0 };
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (!seen[(unsigned char)v[i]]++)
			n++;
	return n;
}

static int
is_template(const char *v, size_t len)
{
	if (len >= 2 && v[0] == '<' && v[len - 1] == '>')
		return 1;
	if (len >= 2 && v[0] == '%' && v[len - 1] == '%')
		return 1;
	if (len >= 2 && v[0] == '$' && (isalpha((unsigned char)v[1]) || v[1] == '_'))
		return 1;
	return 0;
}

/* The marker and template tests alone, for bodies whose shape is random by nature. */
static int
is_placeholder_text(const char *v, size_t len)
{
	return is_template(v, len) || has_any(v, len, placeholder_words, 1) ||
	       has_any(v, len, placeholder_marks, 0) || has_any(v, len, documented_examples, 0);
}

int
secrets_is_placeholder(const char *v, size_t len)
{
	if (is_placeholder_text(v, len))
		return 1;
	if (len >= 6 && distinct_chars(v, len) <= 3)
		return 1;
	return has_shape_run(v, len, 6);
}

int
secrets_is_placeholder_text(const char *v, size_t len)
{
	return is_placeholder_text(v, len);
}

static int
starts_caseless(const char *v, size_t len, const char *prefix)
{
	size_t m = strlen(prefix);

	return len >= m && !strncasecmp(v, prefix, m);
}

/* Letters, digits and - _ . only, and not random: digits alone, one case, or camelCase words. */
static int
is_word(const char *v, size_t len)
{
	size_t i;
	int upper = 0, lower = 0, digit = 0, camel = 1;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (!isalnum(c) && !(c && strchr("-_.", c)))
			return 0;
		upper |= isupper(c) != 0;
		lower |= islower(c) != 0;
		digit |= isdigit(c) != 0;
		if (isupper(c) && !(i + 1 < len && islower((unsigned char)v[i + 1])))
			camel = 0;
	}
	if (!upper && !lower)
		return 1;
	if (digit)
		return 0;
	return !upper || !lower || camel;
}

/*
 * CamelCase names with acronyms and a digit or two, "AWSAccessKeyId",
 * "Ec2SubnetIds": words of three letters or more on average. Random mixed-case text
 * changes case every two characters or so.
 */
static int
is_camel_identifier(const char *v, size_t len)
{
	size_t i, words = 0, letters = 0, digits = 0;
	int upper = 0, lower = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i], prev = i ? (unsigned char)v[i - 1] : 0;
		unsigned char next = i + 1 < len ? (unsigned char)v[i + 1] : 0;

		if (!isalnum(c) && c != '_' && c != '.' && c != '-')
			return 0;
		upper |= isupper(c) != 0;
		lower |= islower(c) != 0;
		digits += isdigit(c) != 0;
		letters += isalpha(c) != 0;
		if (isalpha(c) && (!isalnum(prev) || (isupper(c) && islower(prev)) ||
		                   (isupper(c) && isupper(prev) && islower(next))))
			words++;
	}
	return upper && lower && digits <= 2 && words && letters >= 3 * words;
}

/* "prod/db/password", "MyApp/Prod/DbSecret": a name in a secret store. */
static int
is_store_path(const char *v, size_t len)
{
	size_t start = 0, i, segments = 0;

	if (!memchr(v, '/', len))
		return 0;
	for (i = 0; i <= len; i++) {
		if (i < len && v[i] != '/')
			continue;
		if (i == start || !is_word(v + start, i - start))
			return 0;
		segments++;
		start = i + 1;
	}
	return segments >= 2;
}

int
secrets_is_reference(const char *v, size_t len)
{
	static const char *const prefixes[] = {
		"arn:",
		"{{resolve:",
		"resolve:",
		"ssm:",
		"secretsmanager:",
		"vault:",
		"@microsoft.keyvault(",
		"kms:",
		"AQICAH",
		"AQECAH",
		"./",
		"../",
		"~/",
		"file:",
		"projects/",
		NULL,
	};
	const char *const *p;

	if (!len)
		return 0;
	for (p = prefixes; *p; p++)
		if (starts_caseless(v, len, *p))
			return 1;
	if (v[0] == '/' || has_caseless(v, len, "://"))
		return 1;
	return is_store_path(v, len);
}

double
secrets_entropy(const char *v, size_t len)
{
	size_t counts[256] = { 0 }, i;
	double h = 0;

	for (i = 0; i < len; i++)
		counts[(unsigned char)v[i]]++;
	for (i = 0; i < 256; i++) {
		double p;

		if (!counts[i])
			continue;
		p = (double)counts[i] / (double)len;
		h -= p * log2(p);
	}
	return h;
}

/* user@example.com and identifier paths such as process.env.API_KEY */
static int
is_email_or_member_path(const char *v, size_t len)
{
	const char *at = memchr(v, '@', len);
	size_t i;
	int dots = 0;

	if (at && memchr(at, '.', len - (size_t)(at - v)))
		return 1;
	for (i = 0; i < len; i++) {
		if (v[i] == '.') {
			if (i + 1 >= len || !(isalpha((unsigned char)v[i + 1]) || v[i + 1] == '_'))
				return 0;
			dots++;
		} else if (!isalnum((unsigned char)v[i]) && v[i] != '_' && v[i] != '$') {
			return 0;
		}
	}
	return dots > 0 && (isalpha((unsigned char)v[0]) || v[0] == '_' || v[0] == '$');
}

int
secrets_value_is_random(const char *v, size_t len, double entropy_min, size_t min_len)
{
	size_t i;
	int upper = 0, lower = 0, digit = 0;

	if (len < min_len || len > SECRETS_VALUE_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= ' ' || c >= 0x7f || strchr("(){}[]<>", c))
			return 0; /* sentences, code, markup and non-ASCII words */
		upper |= isupper(c) != 0;
		lower |= islower(c) != 0;
		digit |= isdigit(c) != 0;
	}
	if (upper + lower + digit < 2 || is_word(v, len) || is_email_or_member_path(v, len) ||
	    is_camel_identifier(v, len))
		return 0;
	if (secrets_is_placeholder(v, len) || secrets_is_reference(v, len))
		return 0;
	return secrets_entropy(v, len) >= entropy_min;
}
