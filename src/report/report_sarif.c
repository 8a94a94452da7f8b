/*
 * The SARIF 2.1.0 report, shaped for GitHub code scanning (its documented
 * SARIF support): one run, one reportingDescriptor per rule used, results
 * with partialFingerprints, security-severity on the rules, at most
 * REPORT_SARIF_MAX_RESULTS results (the most severe kept, the rest counted
 * in a tool notification).
 *
 * Locations: GitHub needs a physical location on every result.
 *   - `shears check` with a "path:line" location: that file and line.
 *   - `shears check` otherwise: the checked path (the resource).
 *   - a cloud resource: a stable pseudo path "aws/<region>/<service>/<the
 *     ARN's resource part, ':' and '/' made segments>" ("global" when the
 *     resource has no region), line 1 (or the file and line inside the
 *     function's package when the location is "path:line"), plus a
 *     logicalLocation naming the ARN.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "util/xmalloc.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/* By severity (enum order): GitHub maps >= 9.0 critical, >= 7.0 high, >= 4.0 medium. */
static const char *const sarif_security_severity[] = { "0.0", "2.0", "5.0", "7.5", "9.5" };
static const char *const sarif_levels[] = { "note", "note", "warning", "error", "error" };

/* How often a family's findings are right: policies and configuration are
 * read exactly; secrets and advisories match patterns; behaviour is a baseline. */
static const struct {
	const char *family, *precision;
} sarif_precision[] = {
	{ "secrets", "high" },       { "dependencies", "high" }, { "permissions", "very-high" },
	{ "exposure", "very-high" }, { "hygiene", "very-high" }, { "behaviour", "medium" },
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The rules results refer to, in order of first use (ruleIndex). */
struct sarif_rules {
	const struct rule **v;
	size_t n, cap;
};

static size_t
sarif_rule_index(struct sarif_rules *rules, const struct rule *rule)
{
	size_t i;

	for (i = 0; i < rules->n; i++) {
		if (rules->v[i] == rule || !strcmp(rules->v[i]->id, rule->id))
			return i;
	}
	if (rules->n == rules->cap) {
		rules->cap = rules->cap ? 2 * rules->cap : 16;
		rules->v = xrealloc(rules->v, rules->cap * sizeof(*rules->v));
	}
	rules->v[rules->n] = rule;
	return rules->n++;
}

static const char *
sarif_sev(const char *const *table, enum severity s)
{
	return table[(unsigned)s <= SEV_CRITICAL ? s : SEV_INFO];
}

static cJSON *
sarif_text(const char *key, const char *s)
{
	cJSON *o = report_jneed(cJSON_CreateObject());

	report_jadd(o, key, report_jstr(s ? s : ""));
	return o;
}

static void
sarif_add_array(cJSON *arr, cJSON *item)
{
	if (!cJSON_AddItemToArray(arr, report_jneed(item)))
		abort();
}

/* "Stripe secret key in code package" -> "StripeSecretKeyInCodePackage". */
static char *
sarif_rule_name(const char *title)
{
	size_t len = strlen(title ? title : ""), i, o = 0;
	char *name = xmalloc(len + 1);
	int word_start = 1;

	for (i = 0; i < len; i++) {
		char c = title[i];
		int alnum =
		        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum) {
			word_start = 1;
			continue;
		}
		name[o++] = word_start && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
		word_start = 0;
	}
	name[o] = '\0';
	return name;
}

static cJSON *
sarif_rule_properties(const struct rule *rule)
{
	cJSON *props = report_jneed(cJSON_CreateObject());
	cJSON *tags = report_jneed(cJSON_CreateArray());
	const char *precision = "high";
	size_t i;

	/* GitHub shows security-severity only on rules tagged "security" */
	sarif_add_array(tags, report_jstr("security"));
	if (rule->family && *rule->family && strcmp(rule->family, "security"))
		sarif_add_array(tags, report_jstr(rule->family));
	if (rule->owasp && *rule->owasp)
		sarif_add_array(tags, report_jstr(rule->owasp));
	for (i = 0; i < N_ELEMS(sarif_precision); i++) {
		if (rule->family && !strcmp(rule->family, sarif_precision[i].family))
			precision = sarif_precision[i].precision;
	}
	report_jadd(props, "tags", tags);
	report_jadd(props, "security-severity",
	            report_jstr(sarif_sev(sarif_security_severity, rule->severity)));
	report_jadd(props, "precision", report_jstr(precision));
	return props;
}

static cJSON *
sarif_rule(const struct rule *rule)
{
	cJSON *o = report_jneed(cJSON_CreateObject());
	cJSON *help = sarif_text("text", rule->fix);
	cJSON *config = report_jneed(cJSON_CreateObject());
	char *name = sarif_rule_name(rule->title);
	struct buf md;

	buf_init(&md, 0);
	if (report_md_escape(&md, rule->fix ? rule->fix : ""))
		abort(); /* a catalog row is never 64 MiB */
	report_jadd(help, "markdown", report_jstr(buf_cstr(&md)));
	buf_release(&md);
	report_jadd(o, "id", report_jstr(rule->id));
	if (*name)
		report_jadd(o, "name", report_jstr(name));
	free(name);
	report_jadd(o, "shortDescription", sarif_text("text", rule->title));
	report_jadd(o, "fullDescription", sarif_text("text", rule->why ? rule->why : rule->title));
	report_jadd(o, "help", help);
	if (rule->reference && *rule->reference)
		report_jadd(o, "helpUri", report_jstr(rule->reference));
	report_jadd(config, "level", report_jstr(sarif_sev(sarif_levels, rule->severity)));
	report_jadd(o, "defaultConfiguration", config);
	report_jadd(o, "properties", sarif_rule_properties(rule));
	return o;
}

/*
 * "path:line" (a line from 1): the length of the path and the line in *line,
 * or 0 when loc is not of that form ("env:DB_PASSWORD", "policy x statement 2").
 */
static size_t
sarif_path_line(const char *loc, long *line)
{
	const char *colon = loc ? strrchr(loc, ':') : NULL;
	const char *d;
	long n = 0;

	if (!colon || colon == loc || !colon[1] || strlen(colon + 1) > 9)
		return 0;
	for (d = colon + 1; *d; d++) {
		if (*d < '0' || *d > '9')
			return 0;
		n = 10 * n + (*d - '0');
	}
	if (n < 1)
		return 0;
	*line = n;
	return (size_t)(colon - loc);
}

/* Appends one path segment percent-encoded (RFC 3986 unreserved kept; a
 * segment of dots is encoded whole so it cannot mean "here" or "up"). */
static int
sarif_segment(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, dots = 0;
	int rc = 0;

	while (dots < n && s[dots] == '.')
		dots++;

	for (i = 0; i < n && !rc; i++) {
		unsigned char c = (unsigned char)s[i];
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~' ||
		            (c == '.' && dots < n);

		if (plain)
			rc = buf_putc(b, (char)c);
		else
			rc = buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
	return rc;
}

/* Appends the n bytes of s as segments split at any of seps; empty and "."
 * segments are dropped (they name nothing). */
static int
sarif_segments(struct buf *b, const char *s, size_t n, const char *seps)
{
	size_t i = 0;
	int rc = 0;

	while (i < n && !rc) {
		size_t len = 0;

		while (i + len < n && !strchr(seps, s[i + len]))
			len++;
		if (len && !(len == 1 && s[i] == '.')) {
			if (b->len && b->data[b->len - 1] != '/')
				rc = buf_putc(b, '/');
			if (!rc)
				rc = sarif_segment(b, s + i, len);
		}
		i += len + 1;
	}
	return rc;
}

/* The n-th ':'-field of an ARN ("arn:partition:service:region:account:resource"). */
static const char *
sarif_arn_field(const char *arn, int n, size_t *len)
{
	const char *p = arn;
	int i;

	for (i = 0; i < n && p; i++) {
		p = strchr(p, ':');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return NULL;
	*len = n < 5 ? strcspn(p, ":") : strlen(p);
	return p;
}

/* "aws/<region>/<service>/<resource...>" for a cloud resource. */
static int
sarif_pseudo_path(struct buf *b, const struct report_item *it)
{
	const char *res = it->f->resource ? it->f->resource : "";
	const char *service = NULL, *region = NULL, *rest = res;
	size_t service_len = 0, region_len = 0, rest_len = strlen(res);
	int rc;

	if (!strncmp(res, "arn:", 4) && sarif_arn_field(res, 5, &rest_len)) {
		service = sarif_arn_field(res, 2, &service_len);
		region = sarif_arn_field(res, 3, &region_len);
		rest = sarif_arn_field(res, 5, &rest_len);
	}
	if (it->region && *it->region) {
		region = it->region;
		region_len = strlen(region);
	}
	rc = buf_puts(b, "aws");
	if (!rc)
		rc = region_len ? sarif_segments(b, region, region_len, "/")
		                : sarif_segments(b, "global", 6, "/");
	if (!rc && service_len)
		rc = sarif_segments(b, service, service_len, "/");
	if (!rc)
		rc = rest_len ? sarif_segments(b, rest, rest_len, ":/")
		              : sarif_segments(b, "resource", 8, "/");
	return rc;
}

static cJSON *
sarif_physical(const char *uri, long line)
{
	cJSON *phys = report_jneed(cJSON_CreateObject());
	cJSON *region;

	report_jadd(phys, "artifactLocation", sarif_text("uri", uri));
	if (line > 0) {
		region = report_jneed(cJSON_CreateObject());
		report_jadd(region, "startLine", cJSON_CreateNumber((double)line));
		report_jadd(phys, "region", region);
	}
	return phys;
}

static cJSON *
sarif_logical(const struct report_item *it)
{
	cJSON *arr = report_jneed(cJSON_CreateArray());
	cJSON *o = report_jneed(cJSON_CreateObject());

	if (it->resource_name && *it->resource_name)
		report_jadd(o, "name", report_jstr(it->resource_name));
	report_jadd(o, "fullyQualifiedName", report_jstr(it->f->resource ? it->f->resource : ""));
	report_jadd(o, "kind", report_jstr("resource"));
	sarif_add_array(arr, o);
	return arr;
}

static cJSON *
sarif_locations(const struct report *r, const struct report_item *it)
{
	const char *loc = it->f->location ? it->f->location : "";
	const char *res = it->f->resource ? it->f->resource : "";
	int check = r->source && !strcmp(r->source, "check");
	cJSON *arr = report_jneed(cJSON_CreateArray());
	cJSON *o = report_jneed(cJSON_CreateObject());
	long line = 0;
	size_t path_len = sarif_path_line(loc, &line);
	const char *file = path_len ? loc : res;
	struct buf uri;
	int rc = 0;

	buf_init(&uri, 0);
	if (check) {
		if (!*file)
			file = r->target && *r->target ? r->target : ".";
		if (file[0] == '/')
			rc = buf_putc(&uri, '/');
		if (!rc)
			rc = sarif_segments(&uri, file, path_len ? path_len : strlen(file), "/");
	} else {
		rc = sarif_pseudo_path(&uri, it);
		if (!rc && path_len)
			rc = sarif_segments(&uri, loc, path_len, "/");
		if (!path_len)
			line = 1; /* GitHub anchors an alert on a line */
	}
	if (!rc && !uri.len)
		rc = buf_putc(&uri, '.'); /* a check path of nothing but "." segments */
	if (rc)
		abort(); /* bounded by the finding's strings, far under the cap */
	report_jadd(o, "physicalLocation", sarif_physical(buf_cstr(&uri), line));
	if (!check)
		report_jadd(o, "logicalLocations", sarif_logical(it));
	buf_release(&uri);
	sarif_add_array(arr, o);
	return arr;
}

static int
sarif_is(const struct report_item *it, const char *status)
{
	return !strcmp(report_status(it), status);
}

static cJSON *
sarif_suppressions(const struct report_item *it)
{
	cJSON *arr = report_jneed(cJSON_CreateArray());
	cJSON *o = report_jneed(cJSON_CreateObject());

	report_jadd(o, "kind", report_jstr("external"));
	report_jadd(o, "status", report_jstr("accepted"));
	if (it->reason && *it->reason)
		report_jadd(o, "justification", report_jstr(it->reason));
	if (it->until && *it->until) {
		cJSON *props = report_jneed(cJSON_CreateObject());

		report_jadd(props, "until", report_jstr(it->until));
		report_jadd(o, "properties", props);
	}
	sarif_add_array(arr, o);
	return arr;
}

static cJSON *
sarif_message(const struct finding *f)
{
	struct buf text;
	cJSON *msg;

	buf_init(&text, 0);
	if (buf_puts(&text, f->rule->title && *f->rule->title ? f->rule->title : f->rule->id) ||
	    (f->evidence && *f->evidence && buf_printf(&text, ": %s", f->evidence)))
		abort(); /* evidence is bounded far under the cap */
	msg = sarif_text("text", buf_cstr(&text));
	buf_release(&text);
	return msg;
}

static cJSON *
sarif_result(const struct report *r, const struct report_item *it, size_t rule_index)
{
	const struct finding *f = it->f;
	cJSON *o = report_jneed(cJSON_CreateObject());
	cJSON *fp = report_jneed(cJSON_CreateObject());
	cJSON *props = report_jneed(cJSON_CreateObject());
	char id[REPORT_ID_LEN];

	report_finding_id(f, id);
	report_jadd(o, "ruleId", report_jstr(f->rule->id));
	report_jadd(o, "ruleIndex", cJSON_CreateNumber((double)rule_index));
	if (sarif_is(it, "fixed")) {
		/* SARIF: a result that is not a failure has level "none" */
		report_jadd(o, "kind", report_jstr("pass"));
		report_jadd(o, "level", report_jstr("none"));
	} else {
		report_jadd(o, "level", report_jstr(sarif_sev(sarif_levels, f->severity)));
	}
	report_jadd(o, "message", sarif_message(f));
	report_jadd(o, "locations", sarif_locations(r, it));
	report_jadd(fp, "shearsFindingId/v1", report_jstr(id));
	report_jadd(o, "partialFingerprints", fp);
	if (sarif_is(it, "accepted"))
		report_jadd(o, "suppressions", sarif_suppressions(it));
	report_jadd(props, "status", report_jstr(report_status(it)));
	report_jadd(props, "resource", report_jstr(f->resource ? f->resource : ""));
	report_jadd(props, "severity", report_jstr(severity_name(f->severity)));
	report_jadd(o, "properties", props);
	return o;
}

/* Ranks for the cut: fixed findings first to go, then info up to critical. */
static int
sarif_rank(const struct report_item *it)
{
	if (sarif_is(it, "fixed"))
		return 0;
	return 1 + (int)((unsigned)it->f->severity <= SEV_CRITICAL ? it->f->severity : SEV_INFO);
}

#define SARIF_RANKS (SEV_CRITICAL + 2)

/*
 * Marks in keep[] the items written: all when they fit, else the
 * REPORT_SARIF_MAX_RESULTS of highest rank (in the caller's order within a
 * rank). Returns how many were left out.
 */
static size_t
sarif_select(const struct report *r, char *keep)
{
	size_t per_rank[SARIF_RANKS] = { 0 };
	size_t room = REPORT_SARIF_MAX_RESULTS, i;
	int rank;

	for (i = 0; i < r->n_items; i++)
		per_rank[sarif_rank(&r->items[i])]++;
	for (rank = SARIF_RANKS - 1; rank >= 0; rank--) {
		size_t take = per_rank[rank] < room ? per_rank[rank] : room;

		per_rank[rank] = take; /* now: how many of this rank to keep */
		room -= take;
	}
	for (i = 0; i < r->n_items; i++) {
		rank = sarif_rank(&r->items[i]);
		keep[i] = per_rank[rank] > 0;
		per_rank[rank] -= (size_t)keep[i];
	}
	return r->n_items > REPORT_SARIF_MAX_RESULTS ? r->n_items - REPORT_SARIF_MAX_RESULTS : 0;
}

static cJSON *
sarif_invocation(const struct report *r, size_t omitted)
{
	cJSON *arr = report_jneed(cJSON_CreateArray());
	cJSON *o = report_jneed(cJSON_CreateObject());
	char when[REPORT_TIME_LEN], text[160];

	report_time(r->generated, when);
	report_jadd(o, "executionSuccessful", cJSON_CreateTrue());
	report_jadd(o, "endTimeUtc", report_jstr(when));
	if (omitted) {
		cJSON *notes = report_jneed(cJSON_CreateArray());
		cJSON *note = report_jneed(cJSON_CreateObject());

		snprintf(text, sizeof(text),
		         "%zu of %zu findings left out: GitHub accepts at most %d results per run; "
		         "the JSON report has them all",
		         omitted, r->n_items, REPORT_SARIF_MAX_RESULTS);
		report_jadd(note, "level", report_jstr("warning"));
		report_jadd(note, "message", sarif_text("text", text));
		sarif_add_array(notes, note);
		report_jadd(o, "toolExecutionNotifications", notes);
	}
	sarif_add_array(arr, o);
	return arr;
}

static cJSON *
sarif_driver(const struct report *r, const struct sarif_rules *rules)
{
	cJSON *driver = report_jneed(cJSON_CreateObject());
	cJSON *arr = report_jneed(cJSON_CreateArray());
	size_t i;

	report_jadd(driver, "name", report_jstr("shears"));
	report_jadd(driver, "version", report_jstr(r->tool_version ? r->tool_version : ""));
#ifdef SHEARS_INFORMATION_URI
	report_jadd(driver, "informationUri", report_jstr(SHEARS_INFORMATION_URI));
#endif
	for (i = 0; i < rules->n; i++)
		sarif_add_array(arr, sarif_rule(rules->v[i]));
	report_jadd(driver, "rules", arr);
	return driver;
}

static cJSON *
sarif_run_properties(const struct report *r)
{
	cJSON *props = report_jneed(cJSON_CreateObject());
	char when[REPORT_TIME_LEN];

	report_jadd(props, "source", report_jstr(r->source ? r->source : "cache"));
	report_jadd(props, "target", report_jstr(r->target ? r->target : ""));
	if (r->scanned) {
		report_time(r->scanned, when);
		report_jadd(props, "scanned", report_jstr(when));
	}
	return props;
}

int
report_sarif_write(FILE *out, const struct report *r, struct err *err)
{
	cJSON *root = report_jneed(cJSON_CreateObject());
	cJSON *runs = report_jneed(cJSON_CreateArray());
	cJSON *run = report_jneed(cJSON_CreateObject());
	cJSON *tool = report_jneed(cJSON_CreateObject());
	cJSON *results = report_jneed(cJSON_CreateArray());
	struct sarif_rules rules = { 0 };
	char *keep = xcalloc(r->n_items ? r->n_items : 1, 1);
	size_t omitted = sarif_select(r, keep), i;

	for (i = 0; i < r->n_items; i++) {
		if (keep[i])
			sarif_add_array(
			        results,
			        sarif_result(r, &r->items[i],
			                     sarif_rule_index(&rules, r->items[i].f->rule)));
	}
	report_jadd(tool, "driver", sarif_driver(r, &rules));
	report_jadd(run, "tool", tool);
	report_jadd(run, "invocations", sarif_invocation(r, omitted));
	report_jadd(run, "results", results);
	report_jadd(run, "properties", sarif_run_properties(r));
	sarif_add_array(runs, run);
	report_jadd(root, "$schema", report_jstr(SARIF_SCHEMA));
	report_jadd(root, "version", report_jstr("2.1.0"));
	report_jadd(root, "runs", runs);
	free(keep);
	free(rules.v);
	return report_jemit(out, root, err);
}
