/*
 * OSV records (analyze/osv.h): parsing into borrowed strings of the cJSON
 * tree, range evaluation, the first fix, severity and the compact form.
 */
#include "analyze/osv.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/json.h"
#include "util/xmalloc.h"

/* ---- names ---- */

static const char *const known_ecosystems[] = { "npm",   "PyPI",  "Go",       "crates.io",
	                                        "Maven", "NuGet", "RubyGems", "Packagist" };

const char *
osv_ecosystem_name(const char *ecosystem)
{
	size_t i;

	for (i = 0; i < sizeof(known_ecosystems) / sizeof(known_ecosystems[0]); i++)
		if (!strcasecmp(ecosystem, known_ecosystems[i]))
			return known_ecosystems[i];
	return ecosystem;
}

char *
osv_package_name(const char *ecosystem, const char *name, char *out, size_t n)
{
	size_t o = 0;

	if (!n)
		return out;
	if (strcasecmp(ecosystem, "PyPI")) {
		snprintf(out, n, "%s", name);
		return out;
	}
	for (; *name && o + 1 < n; name++) {
		if (*name == '-' || *name == '_' || *name == '.') {
			if (!o || out[o - 1] != '-')
				out[o++] = '-';
			continue;
		}
		out[o++] = (*name >= 'A' && *name <= 'Z') ? (char)(*name + 32) : *name;
	}
	out[o] = '\0';
	return out;
}

/* ---- parsing ---- */

static int
list_size(const cJSON *a, size_t *n, const char *what, struct err *err)
{
	int size;

	*n = 0;
	if (!a)
		return 0;
	if (!cJSON_IsArray(a))
		return err_set(err, ERR_PARSE, "'%s' is not an array", what);
	size = cJSON_GetArraySize(a);
	if (size > OSV_LIST_MAX)
		return err_set(err, ERR_LIMIT, "'%s' has %d entries (limit %d)", what, size,
		               OSV_LIST_MAX);
	*n = (size_t)size;
	return 0;
}

static const char *
str_field(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static int
event_cmp(const void *pa, const void *pb)
{
	const struct osv_event *a = pa, *b = pb;
	int c;

	if (a->zero != b->zero)
		return a->zero ? -1 : 1;
	c = a->zero ? 0 : version_key_cmp(a->key, b->key);
	if (c)
		return c;
	return (int)a->kind - (int)b->kind;
}

static int
parse_event(const cJSON *e, struct osv_event *ev, struct err *err)
{
	static const char *const kinds[] = { "introduced", "last_affected", "fixed", "limit" };
	size_t k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		const char *v = str_field(e, kinds[k]);

		if (v) {
			ev->kind = (enum osv_event_kind)k;
			ev->version = v;
			ev->zero = k == OSV_INTRODUCED && !strcmp(v, "0");
			return 0;
		}
	}
	return err_set(err, ERR_PARSE, "range event without a version");
}

/* Parses each bound into its key; a bound that does not parse leaves the range unevaluated. */
static void
range_keys(struct osv_range *r)
{
	size_t i;

	if (r->scheme == VERSION_SCHEME_NONE)
		return;
	for (i = 0; i < r->n_events; i++) {
		struct osv_event *ev = &r->events[i];

		if (ev->zero)
			continue;
		ev->key = xmalloc(sizeof(*ev->key));
		if (version_key_of(r->scheme, ev->version, ev->key)) {
			r->unparsed = 1;
			r->scheme = VERSION_SCHEME_NONE;
			return;
		}
	}
	qsort(r->events, r->n_events, sizeof(r->events[0]), event_cmp);
}

static int
parse_range(const cJSON *j, const char *ecosystem, struct osv_range *r, struct err *err)
{
	const char *type = str_field(j, "type");
	const cJSON *events = cJSON_GetObjectItemCaseSensitive(j, "events"), *e;
	size_t i = 0;
	int rc;

	if (!type)
		return err_set(err, ERR_PARSE, "range without a type");
	r->type = !strcmp(type, "SEMVER")      ? OSV_RANGE_SEMVER
	          : !strcmp(type, "ECOSYSTEM") ? OSV_RANGE_ECOSYSTEM
	          : !strcmp(type, "GIT")       ? OSV_RANGE_GIT
	                                       : OSV_RANGE_OTHER;
	r->scheme = r->type == OSV_RANGE_SEMVER      ? VERSION_SCHEME_SEMVER
	            : r->type == OSV_RANGE_ECOSYSTEM ? version_scheme_of(ecosystem)
	                                             : VERSION_SCHEME_NONE;
	rc = list_size(events, &r->n_events, "events", err);
	if (rc)
		return rc;
	r->events = xcalloc(r->n_events ? r->n_events : 1, sizeof(r->events[0]));
	cJSON_ArrayForEach(e, events)
	{
		rc = parse_event(e, &r->events[i++], err);
		if (rc)
			return rc;
	}
	range_keys(r);
	return 0;
}

static int
parse_versions(const cJSON *list, struct osv_affected *a, struct err *err)
{
	const cJSON *v;
	size_t i = 0;
	int rc = list_size(list, &a->n_versions, "versions", err);

	if (rc || !a->n_versions)
		return rc;
	a->versions = xcalloc(a->n_versions, sizeof(a->versions[0]));
	cJSON_ArrayForEach(v, list)
	{
		if (!cJSON_IsString(v))
			return err_set(err, ERR_PARSE, "a version that is not a string");
		a->versions[i++] = v->valuestring;
	}
	return 0;
}

static int
parse_affected_entry(const cJSON *j, struct osv_affected *a, struct err *err)
{
	const cJSON *pkg = cJSON_GetObjectItemCaseSensitive(j, "package"), *r;
	const cJSON *ranges = cJSON_GetObjectItemCaseSensitive(j, "ranges");
	char name[512];
	size_t i = 0;
	int rc;

	a->json = j;
	a->ecosystem = str_field(pkg, "ecosystem");
	a->name = str_field(pkg, "name");
	a->purl = str_field(pkg, "purl");
	if (!a->ecosystem ||
	    !a->name) /* purl-only entries (schema 1.x) name nothing we can look up */
		a->ecosystem = a->name = "";
	a->match_name = xstrdup(osv_package_name(a->ecosystem, a->name, name, sizeof(name)));
	rc = list_size(ranges, &a->n_ranges, "ranges", err);
	if (rc)
		return rc;
	a->ranges = xcalloc(a->n_ranges ? a->n_ranges : 1, sizeof(a->ranges[0]));
	cJSON_ArrayForEach(r, ranges)
	{
		rc = parse_range(r, a->ecosystem, &a->ranges[i++], err);
		if (rc)
			return rc;
	}
	return parse_versions(cJSON_GetObjectItemCaseSensitive(j, "versions"), a, err);
}

static int
parse_affected_array(const cJSON *array, struct osv_affected_list *out, struct err *err)
{
	const cJSON *j;
	size_t i = 0;
	int rc = list_size(array, &out->n, "affected", err);

	if (rc)
		return rc;
	out->v = xcalloc(out->n ? out->n : 1, sizeof(out->v[0]));
	cJSON_ArrayForEach(j, array)
	{
		if (!cJSON_IsObject(j))
			return err_set(err, ERR_PARSE, "an affected entry that is not an object");
		rc = parse_affected_entry(j, &out->v[i++], err);
		if (rc)
			return rc;
	}
	return 0;
}

void
osv_affected_release(struct osv_affected_list *list)
{
	size_t i, j, k;

	for (i = 0; list->v && i < list->n; i++) {
		struct osv_affected *a = &list->v[i];

		for (j = 0; a->ranges && j < a->n_ranges; j++) {
			for (k = 0; a->ranges[j].events && k < a->ranges[j].n_events; k++)
				free(a->ranges[j].events[k].key);
			free(a->ranges[j].events);
		}
		free(a->ranges);
		free(a->versions);
		free(a->match_name);
	}
	free(list->v);
	cJSON_Delete(list->root);
	memset(list, 0, sizeof(*list));
}

int
osv_affected_parse(const char *data, size_t len, struct osv_affected_list *out, struct err *err)
{
	cJSON *root;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > OSV_RECORD_MAX)
		return err_set(err, ERR_LIMIT, "affected list of %zu bytes", len);
	root = json_parse(data, len, err);
	if (!root)
		return err ? err->code : ERR_PARSE;
	out->root = root;
	rc = cJSON_IsArray(root) ? parse_affected_array(root, out, err)
	                         : err_set(err, ERR_PARSE, "affected list is not an array");
	if (rc)
		osv_affected_release(out);
	return rc;
}

/* ---- record fields ---- */

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* RFC 3339 ("2022-02-08T22:04:28Z", "...:28.123+02:00") to ms since 1970; 0 when unreadable. */
static int64_t
rfc3339_ms(const char *s)
{
	int y, mo, d, h, mi, sec, n = 0, ms = 0, off = 0;
	const char *p;

	if (!s ||
	    sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    !n)
		return 0;
	p = s + n;
	if (*p == '.') {
		int scale = 100;

		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			ms += (*p - '0') * scale;
	}
	if ((*p == '+' || *p == '-') && p[1] && p[2] && p[3] == ':')
		off = ((p[1] - '0') * 10 + (p[2] - '0')) * 60 + (p[4] - '0') * 10 + (p[5] - '0');
	if (*p == '-')
		off = -off;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return 0;
	return ((days_from_civil(y, mo, d) * 86400 + h * 3600 + (mi - off) * 60 + sec) * 1000) + ms;
}

struct cvss_metric {
	const char *name;
	const char *values; /* one letter per value */
	double weight[4];
};

/* CVSS v3.x base metrics (FIRST, CVSS v3.1 specification, section 7.4). */
static const struct cvss_metric cvss3[] = {
	{ "AV", "NALP", { 0.85, 0.62, 0.55, 0.2 } },
	{ "AC", "LH", { 0.77, 0.44 } },
	{ "PR", "NLH", { 0.85, 0.62, 0.27 } },
	{ "UI", "NR", { 0.85, 0.62 } },
	{ "S", "UC", { 0, 1 } },
	{ "C", "HLN", { 0.56, 0.22, 0 } },
	{ "I", "HLN", { 0.56, 0.22, 0 } },
	{ "A", "HLN", { 0.56, 0.22, 0 } },
};

/* CVSS v3.1 Roundup: the smallest one-decimal number >= x, immune to float noise. */
static double
cvss_roundup(double x)
{
	long i = lround(x * 100000);

	if (i % 10000 == 0)
		return i / 100000.0;
	return (floor(i / 10000.0) + 1) / 10.0;
}

/* The base score of a "CVSS:3.x/AV:N/..." vector, or -1 when it is not one. */
static double
cvss3_score(const char *vector)
{
	double w[8];
	int seen = 0, changed;
	size_t m;
	const char *p;

	if (strncmp(vector, "CVSS:3.", 7))
		return -1;
	for (p = strchr(vector, '/'); p; p = strchr(p + 1, '/')) {
		for (m = 0; m < 8; m++) {
			size_t len = strlen(cvss3[m].name);
			const char *v;

			if (strncmp(p + 1, cvss3[m].name, len) || p[1 + len] != ':' || !p[2 + len])
				continue;
			v = strchr(cvss3[m].values, p[2 + len]);
			if (!v)
				return -1;
			w[m] = cvss3[m].weight[v - cvss3[m].values];
			seen |= 1 << m;
			break;
		}
	}
	if (seen != 0xff)
		return -1;
	changed = w[4] > 0;
	if (changed && w[2] < 0.8) /* PR weighs more when the scope changes */
		w[2] = w[2] > 0.5 ? 0.68 : 0.5;
	{
		double iss = 1 - (1 - w[5]) * (1 - w[6]) * (1 - w[7]);
		double impact =
		        changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
		double expl = 8.22 * w[0] * w[1] * w[2] * w[3];

		if (impact <= 0)
			return 0;
		return cvss_roundup(fmin((changed ? 1.08 : 1) * (impact + expl), 10));
	}
}

static enum severity
severity_of_score(double score)
{
	return score >= 9   ? SEV_CRITICAL
	       : score >= 7 ? SEV_HIGH
	       : score >= 4 ? SEV_MEDIUM
	       : score > 0  ? SEV_LOW
	                    : SEV_INFO;
}

static enum severity
record_severity(const cJSON *root, const char *id)
{
	const cJSON *db = cJSON_GetObjectItemCaseSensitive(root, "database_specific"), *s;
	const char *word = str_field(db, "severity");
	double best = -1;

	if (word && !strcasecmp(word, "CRITICAL"))
		return SEV_CRITICAL;
	if (word && !strcasecmp(word, "HIGH"))
		return SEV_HIGH;
	if (word && (!strcasecmp(word, "MODERATE") || !strcasecmp(word, "MEDIUM")))
		return SEV_MEDIUM;
	if (word && !strcasecmp(word, "LOW"))
		return SEV_LOW;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(root, "severity"))
	{
		const char *type = str_field(s, "type"), *score = str_field(s, "score");
		double v = type && score && !strcmp(type, "CVSS_V3") ? cvss3_score(score) : -1;

		best = v > best ? v : best;
	}
	if (best >= 0)
		return severity_of_score(best);
	/* ossf/malicious-packages: installing any listed version runs the attacker's code */
	if (!strncmp(id, "MAL-", 4))
		return SEV_CRITICAL;
	return SEV_MEDIUM;
}

static int
parse_aliases(const cJSON *list, struct osv_record *r, struct err *err)
{
	const cJSON *a;
	int rc = list_size(list, &r->n_aliases, "aliases", err);

	if (rc || !r->n_aliases)
		return rc;
	r->aliases = xcalloc(r->n_aliases, sizeof(r->aliases[0]));
	r->n_aliases = 0;
	cJSON_ArrayForEach(a, list)
	{
		if (cJSON_IsString(a))
			r->aliases[r->n_aliases++] = a->valuestring;
	}
	return 0;
}

void
osv_record_release(struct osv_record *r)
{
	free(r->aliases);
	osv_affected_release(&r->affected);
	memset(r, 0, sizeof(*r));
}

int
osv_parse(const char *data, size_t len, struct osv_record *out, struct err *err)
{
	cJSON *root;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > OSV_RECORD_MAX)
		return err_set(err, ERR_LIMIT, "OSV record of %zu bytes (limit %zu)", len,
		               OSV_RECORD_MAX);
	root = json_parse(data, len, err);
	if (!root)
		return err ? err->code : ERR_PARSE;
	out->affected.root = root;
	out->id = str_field(root, "id");
	if (!cJSON_IsObject(root) || !out->id || !*out->id) {
		osv_record_release(out);
		return err_set(err, ERR_PARSE, "not an OSV record: no id");
	}
	out->summary = str_field(root, "summary") ? str_field(root, "summary") : "";
	out->modified = str_field(root, "modified") ? str_field(root, "modified") : "";
	out->modified_ms = rfc3339_ms(out->modified);
	out->published = str_field(root, "published");
	out->withdrawn = str_field(root, "withdrawn");
	out->severity = record_severity(root, out->id);
	rc = parse_aliases(cJSON_GetObjectItemCaseSensitive(root, "aliases"), out, err);
	if (!rc)
		rc = parse_affected_array(cJSON_GetObjectItemCaseSensitive(root, "affected"),
		                          &out->affected, err);
	if (rc)
		osv_record_release(out);
	return rc;
}

/* ---- matching ---- */

/* The installed version's key in each ordering, parsed on first use. */
struct installed {
	const char *version;
	struct version_key key[3];
	int state[3]; /* 0 not tried, 1 parsed, -1 does not parse */
};

static const struct version_key *
installed_key(struct installed *in, enum version_scheme scheme)
{
	if (!in->state[scheme])
		in->state[scheme] = version_key_of(scheme, in->version, &in->key[scheme]) ? -1 : 1;
	return in->state[scheme] > 0 ? &in->key[scheme] : NULL;
}

/* The schema's evaluation: the state after the last event at or below v, capped by limit. */
static int
range_affects(const struct osv_range *r, const struct version_key *v)
{
	int vulnerable = 0;
	size_t i;

	for (i = 0; i < r->n_events; i++) {
		const struct osv_event *ev = &r->events[i];
		int c = ev->zero ? 1 : version_key_cmp(v, ev->key);

		if (ev->kind == OSV_INTRODUCED && c >= 0)
			vulnerable = 1;
		else if (ev->kind == OSV_FIXED && c >= 0)
			vulnerable = 0;
		else if (ev->kind == OSV_LAST_AFFECTED && c > 0)
			vulnerable = 0;
	}
	for (i = 0; vulnerable && i < r->n_events; i++)
		if (r->events[i].kind == OSV_LIMIT && version_key_cmp(v, r->events[i].key) >= 0)
			vulnerable = 0;
	return vulnerable;
}

static int
in_versions_list(const struct osv_affected *a, struct installed *in)
{
	enum version_scheme scheme = version_scheme_of(a->ecosystem);
	const struct version_key *v = NULL;
	struct version_key k;
	size_t i;

	for (i = 0; i < a->n_versions; i++)
		if (!strcmp(a->versions[i], in->version))
			return 1;
	if (scheme != VERSION_SCHEME_NONE)
		v = installed_key(in, scheme);
	for (i = 0; v && i < a->n_versions; i++) /* "2.10" and "2.10.0" are one PyPI version */
		if (!version_key_of(scheme, a->versions[i], &k) && !version_key_cmp(v, &k))
			return 1;
	return 0;
}

static int
entry_selected(const struct osv_affected *a, const char *ecosystem, const char *match_name)
{
	return !ecosystem ||
	       (!strcasecmp(a->ecosystem, ecosystem) && !strcmp(a->match_name, match_name));
}

static int check(const struct osv_affected_list *list, const char *ecosystem, const char *name,
                 const char *version, struct osv_verdict *out, int want_fix);

static int
fix_cmp(const void *pa, const void *pb)
{
	const struct osv_event *a = *(const struct osv_event *const *)pa;
	const struct osv_event *b = *(const struct osv_event *const *)pb;

	return version_key_cmp(a->key, b->key);
}

/* The lowest fixed event above the installed version that the list itself does not affect. */
static const char *
first_fix(const struct osv_affected_list *list, const char *ecosystem, const char *match_name,
          struct installed *in)
{
	const struct osv_event **cand = NULL;
	const char *fix = NULL;
	size_t i, j, k, n = 0, cap = 0;

	for (i = 0; i < list->n; i++) {
		const struct osv_affected *a = &list->v[i];

		for (j = 0; entry_selected(a, ecosystem, match_name) && j < a->n_ranges; j++) {
			const struct osv_range *r = &a->ranges[j];
			const struct version_key *v =
			        r->scheme ? installed_key(in, r->scheme) : NULL;

			for (k = 0; v && k < r->n_events; k++) {
				if (r->events[k].kind != OSV_FIXED ||
				    version_key_cmp(r->events[k].key, v) <= 0)
					continue;
				if (n == cap) {
					cap = cap ? cap * 2 : 8;
					cand = xrealloc(cand, cap * sizeof(*cand));
				}
				cand[n++] = &r->events[k];
			}
		}
	}
	if (n)
		qsort(cand, n, sizeof(*cand), fix_cmp);
	for (i = 0; i < n && !fix; i++) {
		struct osv_verdict v;

		if (!check(list, ecosystem, match_name, cand[i]->version, &v, 0) && !v.affected)
			fix = cand[i]->version;
	}
	free(cand);
	return fix;
}

static int
check(const struct osv_affected_list *list, const char *ecosystem, const char *match_name,
      const char *version, struct osv_verdict *out, int want_fix)
{
	struct installed in = { .version = version };
	size_t i, j;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < list->n; i++) {
		const struct osv_affected *a = &list->v[i];

		if (!entry_selected(a, ecosystem, match_name))
			continue;
		for (j = 0; j < a->n_ranges; j++) {
			const struct osv_range *r = &a->ranges[j];
			const struct version_key *v;

			out->unevaluated |= r->unparsed;
			if (r->scheme == VERSION_SCHEME_NONE)
				continue;
			v = installed_key(&in, r->scheme);
			if (!v)
				rc = ERR_PARSE;
			else if (range_affects(r, v))
				out->affected = 1;
		}
		if (!out->affected && in_versions_list(a, &in))
			out->affected = 1;
	}
	if (out->affected && want_fix)
		out->first_fixed = first_fix(list, ecosystem, match_name, &in);
	return out->affected ? 0 : rc;
}

int
osv_affected_check(const struct osv_affected_list *list, const char *ecosystem, const char *name,
                   const char *version, struct osv_verdict *out)
{
	char match_name[512];

	if (ecosystem && name)
		osv_package_name(ecosystem, name, match_name, sizeof(match_name));
	return check(list, ecosystem && name ? ecosystem : NULL, match_name, version, out, 1);
}

int
osv_match(const struct osv_record *r, const char *ecosystem, const char *name, const char *version,
          struct osv_verdict *out)
{
	if (r->withdrawn) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	return osv_affected_check(&r->affected, ecosystem, name, version, out);
}

/* ---- the compact form ---- */

char *
osv_compact_entries(const struct osv_affected_list *list, const size_t *idx, size_t n)
{
	cJSON *array = cJSON_CreateArray();
	char *text;
	size_t i;

	for (i = 0; i < n; i++) {
		const cJSON *j = list->v[idx[i]].json;
		cJSON *o = cJSON_CreateObject(), *pkg = cJSON_AddObjectToObject(o, "package");
		static const char *const keep[] = { "ranges", "versions" };
		size_t k;

		cJSON_AddStringToObject(pkg, "ecosystem", list->v[idx[i]].ecosystem);
		cJSON_AddStringToObject(pkg, "name", list->v[idx[i]].name);
		for (k = 0; k < 2; k++) {
			const cJSON *part = cJSON_GetObjectItemCaseSensitive(j, keep[k]);

			if (part)
				cJSON_AddItemToObject(o, keep[k], cJSON_Duplicate(part, 1));
		}
		cJSON_AddItemToArray(array, o);
	}
	text = cJSON_PrintUnformatted(array);
	cJSON_Delete(array);
	if (!text)
		abort(); /* cJSON fails only when out of memory */
	return text;
}

char *
osv_compact_package(const struct osv_record *r, const char *ecosystem, const char *name)
{
	char match_name[512];
	size_t *idx = xcalloc(r->affected.n ? r->affected.n : 1, sizeof(*idx)), i, n = 0;
	char *text = NULL;

	osv_package_name(ecosystem, name, match_name, sizeof(match_name));
	for (i = 0; i < r->affected.n; i++)
		if (entry_selected(&r->affected.v[i], ecosystem, match_name))
			idx[n++] = i;
	if (n)
		text = osv_compact_entries(&r->affected, idx, n);
	free(idx);
	return text;
}
