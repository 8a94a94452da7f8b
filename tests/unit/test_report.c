/*
 * Reports: one test per promise of report.h and of each format's contract
 * (man/shears-report.5), on hostile cloud strings. When SHEARS_REPORT_OUT
 * names a directory, the samples test also leaves its outputs there for
 * tests/integration/test_report_sarif.py to validate against the schemas.
 */
#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analyze/finding.h"
#include "analyze/rule.h"
#include "report/report.h"
#include "report/report_int.h"
#include "util/err.h"

/* Everything a cloud string may carry to break a format. */
#define HOSTILE                                                                                    \
	"a,b \"q\" |pipe| `tick` *em* _u_ <img src=x onerror=alert(1)> [x](https://evil.example) " \
	"\r\nline2 \x1b[2J\x07 www.evil.example me@evil.example $x$ &amp; \\| \xff\xc0\xaf "       \
	"\xed\xa0\x80 end"

#define ARN_PAY         "arn:aws:lambda:us-east-1:123456789012:function:payment-webhook"
#define ARN_ROLE        "arn:aws:iam::123456789012:role/service-role/pay-role"
#define TIME_GEN        1714564800 /* 2024-05-01T12:00:00Z */
#define TIME_SCAN       1714561200 /* 2024-05-01T11:00:00Z */
#define FINDING_ID_AB_C "ff36bc88d9adefa5"

static const struct rule rule_secret = {
	.id = "SHR-SEC-001",
	.family = "secrets",
	.title = "Stripe secret key in environment",
	.severity = SEV_CRITICAL,
	.evidence = "variable name, redacted value",
	.remedy = REMEDY_MANUAL,
	.fix = "Rotate the key in Stripe, then move it to Secrets Manager.",
	.why = "Anyone who can read the function configuration can charge cards.",
	.owasp = "SAS-3 Insecure Serverless Deployment Configuration",
	.reference = "https://docs.stripe.com/keys",
	.example_true = "STRIPE_KEY=sk_live_...",
	.example_false = "STRIPE_KEY=sk_test_...",
};

static const struct rule rule_perm = {
	.id = "SHR-PERM-002",
	.family = "permissions",
	.title = "Role allows s3:* on every resource",
	.severity = SEV_HIGH,
	.evidence = "policy statement",
	.remedy = REMEDY_TIGHTEN_ROLE,
	.fix = "Grant only the actions the function uses, on its buckets.",
	.why = "A bug or an injected payload can read or delete any bucket.",
	.owasp = "SAS-4 Over-Privileged Function Permissions and Roles",
	.reference = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
	.example_true = "s3:* on *",
	.example_false = "s3:GetObject on one bucket",
};

static const struct rule rule_hyg = {
	.id = "SHR-HYG-003",
	.family = "hygiene",
	.title = "Log group keeps logs forever",
	.severity = SEV_LOW,
	.evidence = "retention",
	.remedy = REMEDY_MANUAL,
	.fix = "Set a retention period.",
	.why = "Logs may hold personal data longer than needed.",
	.owasp = NULL,
	.reference = NULL,
	.example_true = "no retention",
	.example_false = "30 days",
};

/* A cloud report: three findings on the function (one accepted), one on its role. */
struct sample {
	struct finding f[5];
	struct report_item items[5];
	struct report_score scores[2];
	struct report r;
};

static void
sample_init(struct sample *s)
{
	memset(s, 0, sizeof(*s));
	s->f[0] = (struct finding){ &rule_secret, SEV_CRITICAL, ARN_PAY, "env:STRIPE_KEY",
		                    "STRIPE_KEY=sk_l\xe2\x80\xa6sha256:0123456789ab" };
	s->f[1] = (struct finding){ &rule_perm, SEV_HIGH, ARN_ROLE, "policy pay statement 2",
		                    HOSTILE };
	s->f[2] = (struct finding){ &rule_secret, SEV_CRITICAL, ARN_PAY ":prod", "index.js:12",
		                    "=HYPERLINK(\"http://evil\")" };
	s->f[3] =
	        (struct finding){ &rule_hyg, SEV_LOW,
		                  "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/x y:*",
		                  "", "-1+1" };
	s->f[4] = (struct finding){ &rule_perm, SEV_MEDIUM, ARN_PAY, "", "@SUM(1)" };
	s->items[0] = (struct report_item){ &s->f[0],          "open",     NULL, NULL,
		                            "payment-webhook", "us-east-1" };
	s->items[1] = (struct report_item){ &s->f[1],     "accepted", "ticket SEC-12, \"ok\" | <b>",
		                            "2030-01-31", "pay-role", "" };
	s->items[2] = (struct report_item){ &s->f[2],   NULL, NULL, NULL, "payment-webhook|prod",
		                            "us-east-1" };
	s->items[3] = (struct report_item){ &s->f[3], "fixed", NULL, NULL, NULL, "eu-west-1" };
	s->items[4] = (struct report_item){ &s->f[4], "open", NULL, NULL, HOSTILE, "us-east-1" };
	s->scores[0] =
	        (struct report_score){ ARN_PAY, "payment-webhook", "us-east-1", 92, 60, 1, 1 };
	s->scores[1] = (struct report_score){ "arn:aws:lambda:us-east-1:123456789012:function:x",
		                              "x|`y`",
		                              "us-east-1",
		                              10,
		                              10,
		                              0,
		                              0 };
	s->r = (struct report){ "0.1.0",  "cache", "123456789012", TIME_GEN, TIME_SCAN,
		                s->items, 5,       s->scores,      2 };
}

static char *
render(enum report_format fmt, const struct report *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	struct err err = { 0 };

	assert_non_null(mem);
	assert_int_equal(report_write(mem, fmt, r, &err), 0);
	fclose(mem);
	assert_int_equal(strlen(text), len); /* no NUL inside */
	return text;
}

/* An independent strict UTF-8 check (RFC 3629), not the writers' own. */
static int
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned long cp;
		int n, i;

		if (*p < 0x80) {
			p++;
			continue;
		}
		n = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		if (!n)
			return 0;
		cp = *p & (0x7f >> n);
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += n;
	}
	return 1;
}

static cJSON *
render_json(enum report_format fmt, const struct report *r)
{
	char *text = render(fmt, r);
	cJSON *root;

	assert_true(valid_utf8(text));
	root = cJSON_Parse(text);
	assert_non_null(root);
	free(text);
	return root;
}

static const char *
jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double
jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const cJSON *
jget(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_non_null(v);
	return v;
}

static void
test_format_parse_knows_the_four_names(void **state)
{
	enum report_format f = REPORT_CSV;

	(void)state;
	assert_int_equal(report_format_parse("json", &f), 0);
	assert_int_equal(f, REPORT_JSON);
	assert_int_equal(report_format_parse("csv", &f), 0);
	assert_int_equal(f, REPORT_CSV);
	assert_int_equal(report_format_parse("md", &f), 0);
	assert_int_equal(f, REPORT_MD);
	f = REPORT_JSON;
	assert_int_equal(report_format_parse("markdown", &f), 0);
	assert_int_equal(f, REPORT_MD);
	assert_int_equal(report_format_parse("SARIF", &f), 0);
	assert_int_equal(f, REPORT_SARIF);
	assert_int_equal(report_format_parse("xml", &f), -1);
	assert_int_equal(report_format_parse("", &f), -1);
	assert_int_equal(report_format_parse("jsonx", &f), -1);
	assert_int_equal(report_format_parse(NULL, &f), -1);
}

static void
test_write_unknown_format_is_usage_error(void **state)
{
	struct sample s;
	struct err err = { 0 };

	(void)state;
	sample_init(&s);
	assert_int_equal(report_write(stdout, (enum report_format)42, &s.r, &err), ERR_USAGE);
}

static void
test_write_failure_is_io_error(void **state)
{
	struct sample s;
	struct err err = { 0 };
	FILE *full = fopen("/dev/full", "w");
	int fmt;

	(void)state;
	if (!full)
		skip();
	sample_init(&s);
	for (fmt = REPORT_JSON; fmt <= REPORT_SARIF; fmt++) {
		clearerr(full);
		assert_int_equal(report_write(full, (enum report_format)fmt, &s.r, &err), ERR_IO);
		assert_non_null(strstr(err.msg, "cannot write the report"));
	}
	fclose(full);
}

static void
test_finding_id_is_stable_hex_of_rule_resource_location(void **state)
{
	struct finding a = { &rule_secret, SEV_CRITICAL, "ab", "c", "one" };
	struct finding b = { &rule_secret, SEV_LOW, "ab", "c", "other evidence" };
	struct finding c = { &rule_secret, SEV_CRITICAL, "a", "bc", "one" };
	struct finding d = { &rule_perm, SEV_CRITICAL, "ab", "c", "one" };
	char ia[REPORT_ID_LEN], ib[REPORT_ID_LEN], ic[REPORT_ID_LEN], id[REPORT_ID_LEN];

	(void)state;
	report_finding_id(&a, ia);
	report_finding_id(&b, ib);
	report_finding_id(&c, ic);
	report_finding_id(&d, id);
	assert_int_equal(strlen(ia), 16);
	assert_int_equal(strspn(ia, "0123456789abcdef"), 16);
	assert_string_equal(ia, ib); /* evidence and severity do not move it */
	assert_string_not_equal(ia, ic);
	assert_string_not_equal(ia, id);
	/* sha256("SHR-SEC-001\0ab\0c\0"), first 8 bytes (python3 hashlib) */
	assert_string_equal(ia, FINDING_ID_AB_C);
}

static void
test_utf8_valid_replaces_each_bad_byte(void **state)
{
	char *s;

	(void)state;
	s = report_utf8_valid("ok \xc3\xa9 \xff \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82");
	assert_string_equal(s, "ok \xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd "
	                       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
	                       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
	                       "\xef\xbf\xbd\xef\xbf\xbd");
	assert_true(valid_utf8(s));
	free(s);
}

static const cJSON *
json_finding_by_rule_loc(const cJSON *root, const char *rule, const char *loc)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, jget(root, "findings"))
	{
		if (!strcmp(jstr(f, "rule"), rule) && !strcmp(jstr(f, "location"), loc))
			return f;
	}
	fail_msg("no finding %s at %s", rule, loc);
	return NULL;
}

static void
test_json_carries_header_summary_and_every_field(void **state)
{
	struct sample s;
	cJSON *root;
	const cJSON *sum, *f;
	char id[REPORT_ID_LEN];

	(void)state;
	sample_init(&s);
	root = render_json(REPORT_JSON, &s.r);
	assert_string_equal(jstr(root, "schema"), "shears-report");
	assert_int_equal((int)jnum(root, "version"), 1);
	assert_string_equal(jstr(jget(root, "tool"), "name"), "shears");
	assert_string_equal(jstr(jget(root, "tool"), "version"), "0.1.0");
	assert_string_equal(jstr(root, "source"), "cache");
	assert_string_equal(jstr(root, "target"), "123456789012");
	assert_string_equal(jstr(root, "generated"), "2024-05-01T12:00:00Z");
	assert_string_equal(jstr(root, "scanned"), "2024-05-01T11:00:00Z");
	sum = jget(root, "summary");
	assert_int_equal((int)jnum(sum, "total"), 5);
	assert_int_equal((int)jnum(jget(sum, "severity"), "critical"), 2);
	assert_int_equal((int)jnum(jget(sum, "severity"), "high"), 1);
	assert_int_equal((int)jnum(jget(sum, "severity"), "medium"), 1);
	assert_int_equal((int)jnum(jget(sum, "severity"), "low"), 1);
	assert_int_equal((int)jnum(jget(sum, "severity"), "info"), 0);
	assert_int_equal((int)jnum(jget(sum, "status"), "open"), 3); /* NULL status is open */
	assert_int_equal((int)jnum(jget(sum, "status"), "accepted"), 1);
	assert_int_equal((int)jnum(jget(sum, "status"), "fixed"), 1);
	assert_int_equal((int)jnum(jget(sum, "family"), "secrets"), 2);
	assert_int_equal((int)jnum(jget(sum, "family"), "permissions"), 2);
	assert_int_equal((int)jnum(jget(sum, "family"), "behaviour"), 0);
	assert_int_equal(cJSON_GetArraySize(jget(root, "findings")), 5);

	f = json_finding_by_rule_loc(root, "SHR-SEC-001", "env:STRIPE_KEY");
	report_finding_id(&s.f[0], id);
	assert_string_equal(jstr(f, "id"), id);
	assert_string_equal(jstr(f, "family"), "secrets");
	assert_string_equal(jstr(f, "title"), rule_secret.title);
	assert_string_equal(jstr(f, "severity"), "critical");
	assert_string_equal(jstr(f, "status"), "open");
	assert_true(cJSON_IsNull(jget(f, "reason")));
	assert_true(cJSON_IsNull(jget(f, "until")));
	assert_string_equal(jstr(f, "resource"), ARN_PAY);
	assert_string_equal(jstr(f, "resource_name"), "payment-webhook");
	assert_string_equal(jstr(f, "region"), "us-east-1");
	assert_string_equal(jstr(f, "evidence"), s.f[0].evidence); /* valid UTF-8 kept as is */
	assert_string_equal(jstr(f, "remedy"), "manual");
	assert_string_equal(jstr(f, "fix"), rule_secret.fix);
	assert_string_equal(jstr(f, "why"), rule_secret.why);
	assert_string_equal(jstr(f, "owasp"), rule_secret.owasp);
	assert_string_equal(jstr(f, "reference"), rule_secret.reference);

	f = json_finding_by_rule_loc(root, "SHR-PERM-002", "policy pay statement 2");
	assert_string_equal(jstr(f, "status"), "accepted");
	assert_string_equal(jstr(f, "reason"), "ticket SEC-12, \"ok\" | <b>");
	assert_string_equal(jstr(f, "until"), "2030-01-31");
	assert_string_equal(jstr(f, "region"), "");
	assert_string_equal(jstr(f, "remedy"), "tighten-role");
	/* control characters survive (escaped by JSON), invalid bytes become U+FFFD */
	assert_non_null(strstr(jstr(f, "evidence"), "\r\nline2 \x1b[2J\x07 www."));
	assert_non_null(strstr(jstr(f, "evidence"), "\\| \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "));

	f = json_finding_by_rule_loc(root, "SHR-HYG-003", "");
	assert_true(cJSON_IsNull(jget(f, "owasp")));
	assert_true(cJSON_IsNull(jget(f, "reference")));
	assert_true(cJSON_IsNull(jget(f, "resource_name")));
	assert_string_equal(jstr(f, "status"), "fixed");
	cJSON_Delete(root);
}

static void
test_json_scores_list_the_ids_of_their_findings(void **state)
{
	struct sample s;
	cJSON *root;
	const cJSON *sc, *ids;
	char id0[REPORT_ID_LEN], id2[REPORT_ID_LEN], id4[REPORT_ID_LEN];

	(void)state;
	sample_init(&s);
	root = render_json(REPORT_JSON, &s.r);
	assert_int_equal(cJSON_GetArraySize(jget(root, "scores")), 2);
	sc = cJSON_GetArrayItem(jget(root, "scores"), 0);
	assert_string_equal(jstr(sc, "arn"), ARN_PAY);
	assert_string_equal(jstr(sc, "name"), "payment-webhook");
	assert_string_equal(jstr(sc, "region"), "us-east-1");
	assert_int_equal((int)jnum(sc, "score"), 92);
	assert_int_equal((int)jnum(sc, "base"), 60);
	assert_true(cJSON_IsTrue(jget(sc, "public_entry")));
	assert_true(cJSON_IsTrue(jget(sc, "reaches_data")));
	ids = jget(sc, "findings");
	/* the function's own findings and its alias's, not its role's */
	report_finding_id(&s.f[0], id0);
	report_finding_id(&s.f[2], id2);
	report_finding_id(&s.f[4], id4);
	assert_int_equal(cJSON_GetArraySize(ids), 3);
	assert_string_equal(cJSON_GetArrayItem(ids, 0)->valuestring, id0);
	assert_string_equal(cJSON_GetArrayItem(ids, 1)->valuestring, id2);
	assert_string_equal(cJSON_GetArrayItem(ids, 2)->valuestring, id4);
	sc = cJSON_GetArrayItem(jget(root, "scores"), 1);
	assert_true(cJSON_IsFalse(jget(sc, "public_entry")));
	assert_int_equal(cJSON_GetArraySize(jget(sc, "findings")), 0); /* nothing is about x */
	cJSON_Delete(root);
}

static void
test_json_empty_report_has_zero_counts(void **state)
{
	struct report r = { "0.1.0", "check", "./pkg", TIME_GEN, 0, NULL, 0, NULL, 0 };
	cJSON *root;

	(void)state;
	root = render_json(REPORT_JSON, &r);
	assert_true(cJSON_IsNull(jget(root, "scanned")));
	assert_string_equal(jstr(root, "source"), "check");
	assert_int_equal((int)jnum(jget(root, "summary"), "total"), 0);
	assert_int_equal((int)jnum(jget(jget(root, "summary"), "severity"), "critical"), 0);
	assert_int_equal(cJSON_GetArraySize(jget(root, "findings")), 0);
	assert_int_equal(cJSON_GetArraySize(jget(root, "scores")), 0);
	cJSON_Delete(root);
}

/* A strict RFC 4180 reader: rows[r][c], CRLF ends a record outside quotes. */
struct csv {
	char *cells[16][32];
	int n_rows, n_cols[16];
};

static void
csv_parse(const char *s, struct csv *out)
{
	char cell[4096];
	size_t len = 0;
	int quoted = 0;

	memset(out, 0, sizeof(*out));
	while (*s) {
		if (quoted) {
			if (s[0] == '"' && s[1] == '"')
				cell[len++] = '"', s += 2;
			else if (s[0] == '"')
				quoted = 0, s++;
			else
				cell[len++] = *s++;
			continue;
		}
		if (*s == '"') {
			assert_int_equal(len, 0); /* a quote only opens a field */
			quoted = 1;
			s++;
		} else if (*s == ',' || (s[0] == '\r' && s[1] == '\n')) {
			cell[len] = '\0';
			out->cells[out->n_rows][out->n_cols[out->n_rows]++] = strdup(cell);
			len = 0;
			if (*s == '\r') {
				out->n_rows++;
				s++;
			}
			s++;
		} else {
			assert_true(*s != '\r' && *s != '\n'); /* bare CR or LF outside quotes */
			cell[len++] = *s++;
		}
		assert_true(len < sizeof(cell));
	}
	assert_false(quoted);
	assert_int_equal(len, 0); /* the last record ends with CRLF */
}

static void
csv_free(struct csv *c)
{
	int r, i;

	for (r = 0; r < c->n_rows; r++)
		for (i = 0; i < c->n_cols[r]; i++)
			free(c->cells[r][i]);
}

static void
test_csv_is_rfc4180_with_header_and_one_row_per_finding(void **state)
{
	struct sample s;
	struct csv c;
	char *text;
	char id[REPORT_ID_LEN];
	int r;

	(void)state;
	sample_init(&s);
	text = render(REPORT_CSV, &s.r);
	assert_true(valid_utf8(text));
	csv_parse(text, &c);
	assert_int_equal(c.n_rows, 6);
	for (r = 0; r < c.n_rows; r++)
		assert_int_equal(c.n_cols[r], 18);
	assert_string_equal(c.cells[0][0], "id");
	assert_string_equal(c.cells[0][12], "evidence");
	assert_string_equal(c.cells[0][17], "reference");
	report_finding_id(&s.f[0], id);
	assert_string_equal(c.cells[1][0], id);
	assert_string_equal(c.cells[1][1], "SHR-SEC-001");
	assert_string_equal(c.cells[1][4], "critical");
	assert_string_equal(c.cells[1][8], ARN_PAY);
	assert_string_equal(c.cells[2][6], "ticket SEC-12, \"ok\" | <b>");
	assert_string_equal(c.cells[3][5], "open"); /* NULL status */
	/* CR and LF kept inside the quoted field; ESC, BEL and bad bytes made visible */
	assert_non_null(strstr(c.cells[2][12], "a,b \"q\" |pipe|"));
	assert_non_null(strstr(c.cells[2][12], "\r\nline2 ^[[2J^G www."));
	assert_non_null(strstr(c.cells[2][12], "\\xFF\\xC0\\xAF \\xED\\xA0\\x80 end"));
	assert_null(strchr(text, '\x1b'));
	csv_free(&c);
	free(text);
}

static void
test_csv_defuses_formulas(void **state)
{
	struct sample s;
	struct csv c;
	char *text;

	(void)state;
	sample_init(&s);
	s.items[3].reason = "\tTAB";
	s.items[4].until = "+1";
	s.f[4].location = "\r\n=x";
	text = render(REPORT_CSV, &s.r);
	csv_parse(text, &c);
	assert_string_equal(c.cells[3][12], "'=HYPERLINK(\"http://evil\")");
	assert_string_equal(c.cells[4][12], "'-1+1");
	assert_string_equal(c.cells[5][12], "'@SUM(1)");
	assert_string_equal(c.cells[4][6], "'\tTAB");
	assert_string_equal(c.cells[5][7], "'+1");
	assert_string_equal(c.cells[5][11], "'\r\n=x");
	assert_string_equal(c.cells[1][7], ""); /* NULL is an empty field */
	csv_free(&c);
	free(text);
}

static void
test_csv_empty_report_is_the_header(void **state)
{
	struct report r = { "0.1.0", "cache", "1", TIME_GEN, 0, NULL, 0, NULL, 0 };
	char *text;

	(void)state;
	text = render(REPORT_CSV, &r);
	assert_string_equal(text, "id,rule,family,title,severity,status,reason,until,resource,"
	                          "resource_name,region,location,evidence,remedy,fix,why,owasp,"
	                          "reference\r\n");
	free(text);
}

/* Pipes a GFM table would split a row at: those not backslash-escaped. */
static int
md_cell_pipes(const char *line, size_t len)
{
	size_t i, slashes = 0;
	int pipes = 0;

	for (i = 0; i < len; i++) {
		if (line[i] == '|' && slashes % 2 == 0)
			pipes++;
		slashes = line[i] == '\\' ? slashes + 1 : 0;
	}
	return pipes;
}

/* Every table row has its table's number of cells; returns the rows seen. */
static int
md_check_tables(const char *text)
{
	const char *line = text;
	int rows = 0, want = 0;

	while (*line) {
		size_t len = strcspn(line, "\n");

		if (line[0] == '|') {
			if (!want)
				want = md_cell_pipes(line, len);
			assert_int_equal(md_cell_pipes(line, len), want);
			rows++;
		} else {
			want = 0;
		}
		line += len + (line[len] == '\n');
	}
	return rows;
}

static void
test_md_escapes_cloud_strings(void **state)
{
	struct sample s;
	char *text, *p;

	(void)state;
	sample_init(&s);
	text = render(REPORT_MD, &s.r);
	assert_true(valid_utf8(text));
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\r'));
	assert_non_null(strstr(text, "a,b \"q\" \\|pipe\\| \\`tick\\` \\*em\\* \\_u\\_ "
	                             "\\<img src=x onerror=alert(1)\\> "
	                             "\\[x\\](https\\://evil.example) ^M^Jline2 ^\\[\\[2J^G "
	                             "www\\.evil.example me\\@evil.example \\$x\\$ \\&amp; "
	                             "\\\\\\| \\\\xFF\\\\xC0\\\\xAF"));
	/* no raw markup anywhere: every < [ ` is escaped */
	for (p = text; (p = strpbrk(p, "<[`")); p++) {
		if (*p == '`' && !strncmp(p, "`shears check`", 14)) {
			p += 13;
			continue;
		}
		assert_true(p > text && p[-1] == '\\');
	}
	assert_non_null(strstr(text, "- **Status:** accepted until 2030-01-31: "
	                             "ticket SEC-12, \"ok\" \\| \\<b\\>\n"));
	assert_int_equal(md_check_tables(text), 8 + 4);
	free(text);
}

static void
test_md_groups_by_severity_critical_first(void **state)
{
	struct sample s;
	char *text, *crit, *high, *med, *low, *scores;

	(void)state;
	sample_init(&s);
	text = render(REPORT_MD, &s.r);
	assert_non_null(strstr(text, "# shears report: 123456789012 (2024-05-01)\n"));
	assert_non_null(strstr(text, "| critical | 2 | 0 | 0 | 2 |\n"));
	assert_non_null(strstr(text, "| low | 0 | 0 | 1 | 1 |\n"));
	crit = strstr(text, "### Critical (2)\n");
	high = strstr(text, "### High (1)\n");
	med = strstr(text, "### Medium (1)\n");
	low = strstr(text, "### Low (1)\n");
	scores = strstr(text, "## Top functions by score\n");
	assert_true(crit && high && med && low && scores);
	assert_true(crit < high && high < med && med < low && low < scores);
	assert_null(strstr(text, "### Info"));
	assert_non_null(strstr(crit, "#### SHR-SEC-001: Stripe secret key in environment\n"));
	assert_true(strstr(crit, "- **Location:** index.js:12\n") < high);
	assert_non_null(
	        strstr(text, "| 1 | payment-webhook | us-east-1 | 92 | 60 | yes | yes | 3 |\n"));
	assert_non_null(strstr(text, "| 2 | x\\|\\`y\\` | us-east-1 | 10 | 10 | no | no | 0 |\n"));
	free(text);
}

static void
test_md_empty_report_says_so(void **state)
{
	struct report r = { "0.1.0", "check", "pkg|x", TIME_GEN, 0, NULL, 0, NULL, 0 };
	char *text;

	(void)state;
	text = render(REPORT_MD, &r);
	assert_non_null(strstr(text, "# shears report: pkg\\|x (2024-05-01)\n"));
	assert_non_null(strstr(text, "by `shears check`"));
	assert_non_null(strstr(text, "No findings.\n"));
	assert_non_null(strstr(text, "No function scores.\n"));
	assert_int_equal(md_check_tables(text), 8);
	free(text);
}

static const cJSON *
sarif_run(const cJSON *root)
{
	return cJSON_GetArrayItem(jget(root, "runs"), 0);
}

static const cJSON *
sarif_result_at(const cJSON *root, int i)
{
	return cJSON_GetArrayItem(jget(sarif_run(root), "results"), i);
}

static const char *
sarif_uri(const cJSON *result)
{
	const cJSON *loc = cJSON_GetArrayItem(jget(result, "locations"), 0);

	return jstr(jget(jget(loc, "physicalLocation"), "artifactLocation"), "uri");
}

static void
test_sarif_has_schema_driver_and_one_rule_per_rule_used(void **state)
{
	struct sample s;
	cJSON *root;
	const cJSON *driver, *rule, *props, *tags;

	(void)state;
	sample_init(&s);
	root = render_json(REPORT_SARIF, &s.r);
	assert_string_equal(jstr(root, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
	assert_string_equal(jstr(root, "version"), "2.1.0");
	assert_int_equal(cJSON_GetArraySize(jget(root, "runs")), 1);
	driver = jget(jget(sarif_run(root), "tool"), "driver");
	assert_string_equal(jstr(driver, "name"), "shears");
	assert_string_equal(jstr(driver, "version"), "0.1.0");
	assert_int_equal(cJSON_GetArraySize(jget(driver, "rules")), 3); /* 5 findings, 3 rules */
	rule = cJSON_GetArrayItem(jget(driver, "rules"), 0);
	assert_string_equal(jstr(rule, "id"), "SHR-SEC-001");
	assert_string_equal(jstr(rule, "name"), "StripeSecretKeyInEnvironment");
	assert_string_equal(jstr(jget(rule, "shortDescription"), "text"), rule_secret.title);
	assert_string_equal(jstr(jget(rule, "fullDescription"), "text"), rule_secret.why);
	assert_string_equal(jstr(jget(rule, "help"), "text"), rule_secret.fix);
	assert_string_equal(jstr(jget(rule, "help"), "markdown"), rule_secret.fix);
	assert_string_equal(jstr(rule, "helpUri"), rule_secret.reference);
	assert_string_equal(jstr(jget(rule, "defaultConfiguration"), "level"), "error");
	props = jget(rule, "properties");
	assert_string_equal(jstr(props, "security-severity"), "9.5");
	assert_string_equal(jstr(props, "precision"), "high");
	tags = jget(props, "tags");
	assert_int_equal(cJSON_GetArraySize(tags), 3);
	assert_string_equal(cJSON_GetArrayItem(tags, 0)->valuestring, "security");
	assert_string_equal(cJSON_GetArrayItem(tags, 1)->valuestring, "secrets");
	assert_string_equal(cJSON_GetArrayItem(tags, 2)->valuestring, rule_secret.owasp);
	rule = cJSON_GetArrayItem(jget(driver, "rules"), 1);
	assert_string_equal(jstr(rule, "id"), "SHR-PERM-002");
	assert_string_equal(jstr(jget(rule, "properties"), "security-severity"), "7.5");
	assert_string_equal(jstr(jget(rule, "properties"), "precision"), "very-high");
	rule = cJSON_GetArrayItem(jget(driver, "rules"), 2);
	assert_string_equal(jstr(rule, "id"), "SHR-HYG-003");
	assert_null(cJSON_GetObjectItemCaseSensitive(rule, "helpUri")); /* no reference */
	assert_string_equal(jstr(jget(rule, "defaultConfiguration"), "level"), "note");
	assert_string_equal(jstr(jget(rule, "properties"), "security-severity"), "2.0");
	assert_int_equal(cJSON_GetArraySize(jget(jget(rule, "properties"), "tags")), 2);
	cJSON_Delete(root);
}

static void
test_sarif_results_point_at_their_rule_with_level_and_fingerprint(void **state)
{
	static const char *const levels[] = { "error", "error", "error", "none", "warning" };
	struct sample s;
	cJSON *root;
	const cJSON *rules, *res;
	char id[REPORT_ID_LEN];
	int i;

	(void)state;
	sample_init(&s);
	root = render_json(REPORT_SARIF, &s.r);
	rules = jget(jget(jget(sarif_run(root), "tool"), "driver"), "rules");
	assert_int_equal(cJSON_GetArraySize(jget(sarif_run(root), "results")), 5);
	for (i = 0; i < 5; i++) {
		res = sarif_result_at(root, i);
		assert_string_equal(jstr(res, "ruleId"), s.f[i].rule->id);
		assert_string_equal(
		        jstr(cJSON_GetArrayItem(rules, (int)jnum(res, "ruleIndex")), "id"),
		        s.f[i].rule->id);
		assert_string_equal(jstr(res, "level"), levels[i]);
		report_finding_id(&s.f[i], id);
		assert_string_equal(jstr(jget(res, "partialFingerprints"), "shearsFindingId/v1"),
		                    id);
		assert_string_equal(jstr(jget(res, "properties"), "resource"), s.f[i].resource);
	}
	res = sarif_result_at(root, 0);
	assert_string_equal(jstr(jget(res, "message"), "text"),
	                    "Stripe secret key in environment: STRIPE_KEY=sk_l\xe2\x80\xa6"
	                    "sha256:0123456789ab");
	assert_null(cJSON_GetObjectItemCaseSensitive(res, "suppressions"));
	assert_string_equal(jstr(jget(res, "properties"), "status"), "open");
	res = sarif_result_at(root, 3); /* fixed: a pass, not an alert */
	assert_string_equal(jstr(res, "kind"), "pass");
	assert_string_equal(jstr(jget(res, "message"), "text"),
	                    "Log group keeps logs forever: -1+1");
	cJSON_Delete(root);
}

static void
test_sarif_accepted_finding_is_suppressed_with_reason(void **state)
{
	struct sample s;
	cJSON *root;
	const cJSON *sup;

	(void)state;
	sample_init(&s);
	root = render_json(REPORT_SARIF, &s.r);
	sup = jget(sarif_result_at(root, 1), "suppressions");
	assert_int_equal(cJSON_GetArraySize(sup), 1);
	sup = cJSON_GetArrayItem(sup, 0);
	assert_string_equal(jstr(sup, "kind"), "external");
	assert_string_equal(jstr(sup, "status"), "accepted");
	assert_string_equal(jstr(sup, "justification"), "ticket SEC-12, \"ok\" | <b>");
	assert_string_equal(jstr(jget(sup, "properties"), "until"), "2030-01-31");
	assert_string_equal(jstr(jget(sarif_result_at(root, 1), "properties"), "status"),
	                    "accepted");
	cJSON_Delete(root);
}

static void
test_sarif_cloud_locations_are_pseudo_paths_and_the_arn(void **state)
{
	struct sample s;
	cJSON *root;
	const cJSON *loc, *logical;

	(void)state;
	sample_init(&s);
	root = render_json(REPORT_SARIF, &s.r);
	loc = cJSON_GetArrayItem(jget(sarif_result_at(root, 0), "locations"), 0);
	assert_string_equal(sarif_uri(sarif_result_at(root, 0)),
	                    "aws/us-east-1/lambda/function/payment-webhook");
	assert_int_equal((int)jnum(jget(jget(loc, "physicalLocation"), "region"), "startLine"), 1);
	logical = cJSON_GetArrayItem(jget(loc, "logicalLocations"), 0);
	assert_string_equal(jstr(logical, "fullyQualifiedName"), ARN_PAY);
	assert_string_equal(jstr(logical, "kind"), "resource");
	assert_string_equal(jstr(logical, "name"), "payment-webhook");
	/* IAM is global: no region in the ARN, "" from the caller */
	assert_string_equal(sarif_uri(sarif_result_at(root, 1)),
	                    "aws/global/iam/role/service-role/pay-role");
	/* a file inside the function's package: its path and line under the alias */
	loc = cJSON_GetArrayItem(jget(sarif_result_at(root, 2), "locations"), 0);
	assert_string_equal(sarif_uri(sarif_result_at(root, 2)),
	                    "aws/us-east-1/lambda/function/payment-webhook/prod/index.js");
	assert_int_equal((int)jnum(jget(jget(loc, "physicalLocation"), "region"), "startLine"), 12);
	/* hostile bytes are percent-encoded, empty segments dropped */
	assert_string_equal(sarif_uri(sarif_result_at(root, 3)),
	                    "aws/eu-west-1/logs/log-group/aws/lambda/x%20y/%2A");
	cJSON_Delete(root);
}

static void
test_sarif_check_locations_are_files_and_lines(void **state)
{
	struct rule dotted = rule_hyg;
	struct finding f[5] = {
		{ &rule_secret, SEV_CRITICAL, "pkg", "./src/config.js:12", "x" },
		{ &rule_secret, SEV_CRITICAL, "pkg/.env", "env:DB_PASSWORD", "x" },
		{ &dotted, SEV_LOW, "/abs/pkg/a b#c.js", "", "" },
		{ &rule_secret, SEV_CRITICAL, "pkg", "../x/y.js:3", "" },
		{ &rule_secret, SEV_CRITICAL, "pkg/b.js", "a.js:0", "" },
	};
	struct report_item items[5] = {
		{ &f[0], "open", NULL, NULL, NULL, NULL },
		{ &f[1], "open", NULL, NULL, NULL, NULL },
		{ &f[2], "open", NULL, NULL, NULL, NULL },
		{ &f[3], "open", NULL, NULL, NULL, NULL },
		{ &f[4], "open", NULL, NULL, NULL, NULL },
	};
	struct report r = { "0.1.0", "check", "pkg", TIME_GEN, 0, items, 5, NULL, 0 };
	cJSON *root;
	const cJSON *loc;

	(void)state;
	dotted.title = "";
	root = render_json(REPORT_SARIF, &r);
	loc = cJSON_GetArrayItem(jget(sarif_result_at(root, 0), "locations"), 0);
	assert_string_equal(sarif_uri(sarif_result_at(root, 0)), "src/config.js");
	assert_int_equal((int)jnum(jget(jget(loc, "physicalLocation"), "region"), "startLine"), 12);
	assert_null(cJSON_GetObjectItemCaseSensitive(loc, "logicalLocations"));
	/* not path:line: the resource, no region */
	loc = cJSON_GetArrayItem(jget(sarif_result_at(root, 1), "locations"), 0);
	assert_string_equal(sarif_uri(sarif_result_at(root, 1)), "pkg/.env");
	assert_null(cJSON_GetObjectItemCaseSensitive(jget(loc, "physicalLocation"), "region"));
	assert_string_equal(sarif_uri(sarif_result_at(root, 2)), "/abs/pkg/a%20b%23c.js");
	/* ".." is encoded, never a step up; line 0 is no line */
	assert_string_equal(sarif_uri(sarif_result_at(root, 3)), "%2E%2E/x/y.js");
	assert_string_equal(sarif_uri(sarif_result_at(root, 4)), "pkg/b.js");
	assert_string_equal(jstr(jget(sarif_result_at(root, 2), "message"), "text"), "SHR-HYG-003");
	/* a rule without a title has no name, and its message falls back to the id */
	assert_null(cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetArrayItem(jget(jget(jget(sarif_run(root), "tool"), "driver"), "rules"), 1),
	        "name"));
	cJSON_Delete(root);
}

static void
test_sarif_keeps_the_most_severe_within_githubs_limit(void **state)
{
	size_t n = REPORT_SARIF_MAX_RESULTS + 3, i;
	struct finding *f = calloc(n, sizeof(*f));
	struct report_item *items = calloc(n, sizeof(*items));
	struct report r = { "0.1.0", "cache", "1", TIME_GEN, 0, items, n, NULL, 0 };
	char res[n][32];
	cJSON *root;
	const cJSON *inv, *note, *results, *it;
	int lows = 0, crits = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(res[i], sizeof(res[i]), "arn:aws:s3:::b%zu", i);
		/* five criticals at the very end must survive the cut */
		f[i] = (struct finding){ i >= n - 5 ? &rule_secret : &rule_hyg,
			                 i >= n - 5 ? SEV_CRITICAL : SEV_LOW, res[i], "", "" };
		items[i] = (struct report_item){ &f[i], "open", NULL, NULL, NULL, "" };
	}
	root = render_json(REPORT_SARIF, &r);
	results = jget(sarif_run(root), "results");
	assert_int_equal(cJSON_GetArraySize(results), REPORT_SARIF_MAX_RESULTS);
	cJSON_ArrayForEach(it, results)
	{
		crits += !strcmp(jstr(it, "ruleId"), "SHR-SEC-001");
		lows += !strcmp(jstr(it, "ruleId"), "SHR-HYG-003");
	}
	assert_int_equal(crits, 5);
	assert_int_equal(lows, REPORT_SARIF_MAX_RESULTS - 5);
	inv = cJSON_GetArrayItem(jget(sarif_run(root), "invocations"), 0);
	assert_true(cJSON_IsTrue(jget(inv, "executionSuccessful")));
	note = cJSON_GetArrayItem(jget(inv, "toolExecutionNotifications"), 0);
	assert_non_null(
	        strstr(jstr(jget(note, "message"), "text"), "3 of 25003 findings left out"));
	assert_string_equal(sarif_uri(cJSON_GetArrayItem(results, 0)), "aws/global/s3/b0");
	cJSON_Delete(root);
	free(items);
	free(f);
}

static void
test_sarif_empty_report_is_one_run_without_results(void **state)
{
	struct report r = { "0.1.0", "cache", "1", TIME_GEN, 0, NULL, 0, NULL, 0 };
	cJSON *root;

	(void)state;
	root = render_json(REPORT_SARIF, &r);
	assert_int_equal(cJSON_GetArraySize(jget(sarif_run(root), "results")), 0);
	assert_int_equal(
	        cJSON_GetArraySize(jget(jget(jget(sarif_run(root), "tool"), "driver"), "rules")),
	        0);
	assert_null(cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetArrayItem(jget(sarif_run(root), "invocations"), 0),
	        "toolExecutionNotifications"));
	cJSON_Delete(root);
}

static void
write_sample(const char *dir, const char *name, enum report_format fmt, const struct report *r)
{
	char path[4096];
	struct err err = { 0 };
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "w");
	assert_non_null(out);
	assert_int_equal(report_write(out, fmt, r, &err), 0);
	assert_int_equal(fclose(out), 0);
}

/* The outputs tests/integration/test_report_sarif.py validates against the schemas. */
static void
test_samples_for_schema_validation(void **state)
{
	const char *dir = getenv("SHEARS_REPORT_OUT");
	struct finding cf = { &rule_secret, SEV_CRITICAL, "pkg", "src/a b.js:7", HOSTILE };
	struct report_item ci = { &cf, "accepted", NULL, NULL, NULL, NULL };
	struct report check = { "0.1.0", "check", "pkg", TIME_GEN, 0, &ci, 1, NULL, 0 };
	struct report empty = { "0.1.0", "cache", "123456789012", TIME_GEN, 0, NULL, 0, NULL, 0 };
	struct sample s;

	(void)state;
	if (!dir || !*dir)
		skip();
	sample_init(&s);
	write_sample(dir, "cloud.json", REPORT_JSON, &s.r);
	write_sample(dir, "cloud.sarif", REPORT_SARIF, &s.r);
	write_sample(dir, "cloud.csv", REPORT_CSV, &s.r);
	write_sample(dir, "cloud.md", REPORT_MD, &s.r);
	write_sample(dir, "check.json", REPORT_JSON, &check);
	write_sample(dir, "check.sarif", REPORT_SARIF, &check);
	write_sample(dir, "empty.json", REPORT_JSON, &empty);
	write_sample(dir, "empty.sarif", REPORT_SARIF, &empty);
	write_sample(dir, "empty.csv", REPORT_CSV, &empty);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse_knows_the_four_names),
		cmocka_unit_test(test_write_unknown_format_is_usage_error),
		cmocka_unit_test(test_write_failure_is_io_error),
		cmocka_unit_test(test_finding_id_is_stable_hex_of_rule_resource_location),
		cmocka_unit_test(test_utf8_valid_replaces_each_bad_byte),
		cmocka_unit_test(test_json_carries_header_summary_and_every_field),
		cmocka_unit_test(test_json_scores_list_the_ids_of_their_findings),
		cmocka_unit_test(test_json_empty_report_has_zero_counts),
		cmocka_unit_test(test_csv_is_rfc4180_with_header_and_one_row_per_finding),
		cmocka_unit_test(test_csv_defuses_formulas),
		cmocka_unit_test(test_csv_empty_report_is_the_header),
		cmocka_unit_test(test_md_escapes_cloud_strings),
		cmocka_unit_test(test_md_groups_by_severity_critical_first),
		cmocka_unit_test(test_md_empty_report_says_so),
		cmocka_unit_test(test_sarif_has_schema_driver_and_one_rule_per_rule_used),
		cmocka_unit_test(test_sarif_results_point_at_their_rule_with_level_and_fingerprint),
		cmocka_unit_test(test_sarif_accepted_finding_is_suppressed_with_reason),
		cmocka_unit_test(test_sarif_cloud_locations_are_pseudo_paths_and_the_arn),
		cmocka_unit_test(test_sarif_check_locations_are_files_and_lines),
		cmocka_unit_test(test_sarif_keeps_the_most_severe_within_githubs_limit),
		cmocka_unit_test(test_sarif_empty_report_is_one_run_without_results),
		cmocka_unit_test(test_samples_for_schema_validation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
