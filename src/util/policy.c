/*
 * IAM policy documents (see policy.h for the limits).
 */
#include "util/policy.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/xmalloc.h"

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
policy_url_decode(const char *s, size_t *len, struct err *err)
{
	size_t n = strlen(s), i, o = 0;
	char *out = xmalloc(n + 1);

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] != '%') {
			out[o++] = s[i];
			continue;
		}
		hi = i + 2 < n ? hex_value(s[i + 1]) : -1;
		lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			free(out);
			err_set(err, ERR_PARSE, "bad percent escape at byte %zu", i);
			return NULL;
		}
		out[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	out[o] = '\0';
	if (len)
		*len = o;
	return out;
}

cJSON *
policy_decode(const char *encoded, struct err *err)
{
	const char *p = encoded;
	char *text = NULL;
	size_t len;
	cJSON *doc;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p == '{') {
		/* already JSON: a literal '%' in it must not be decoded */
		doc = json_parse(p, strlen(p), err);
	} else {
		text = policy_url_decode(encoded, &len, err);
		if (!text)
			return NULL;
		doc = json_parse(text, len, err);
		free(text);
	}
	if (doc && !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		err_set(err, ERR_PARSE, "policy document is not a JSON object");
		return NULL;
	}
	return doc;
}

static int
same_char(char a, char b, int nocase)
{
	if (nocase)
		return tolower((unsigned char)a) == tolower((unsigned char)b);
	return a == b;
}

static int
wildcard(const char *pattern, const char *text, int nocase, int prefix)
{
	const char *star = NULL, *resume = NULL;

	/* Greedy with one backtrack point: linear enough, no recursion on hostile input. */
	while (*text) {
		if (*pattern == '*') {
			star = pattern++;
			resume = text;
		} else if (*pattern == '?' || (*pattern && same_char(*pattern, *text, nocase))) {
			pattern++;
			text++;
		} else if (star) {
			pattern = star + 1;
			text = ++resume;
		} else {
			return 0;
		}
	}
	if (prefix)
		return 1; /* whatever pattern is left, some suffix matches it */
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}

int
policy_wildcard_match(const char *pattern, const char *text, int nocase)
{
	return wildcard(pattern, text, nocase, 0);
}

int
policy_wildcard_match_prefix(const char *pattern, const char *prefix, int nocase)
{
	return wildcard(pattern, prefix, nocase, 1);
}

int
policy_each_statement(const cJSON *doc, int (*fn)(const cJSON *stmt, void *ctx), void *ctx)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
	const cJSON *s;
	int rc;

	if (cJSON_IsObject(st))
		return fn(st, ctx);
	if (!cJSON_IsArray(st))
		return 0;
	cJSON_ArrayForEach(s, st)
	{
		if (!cJSON_IsObject(s))
			continue;
		rc = fn(s, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int
policy_statement_is_allow(const cJSON *stmt)
{
	const char *e = json_str(stmt, "Effect");

	return e && !strcmp(e, "Allow");
}

int
policy_statement_is_deny(const cJSON *stmt)
{
	const char *e = json_str(stmt, "Effect");

	return e && !strcmp(e, "Deny");
}

int
policy_statement_has_condition(const cJSON *stmt)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(stmt, "Condition");

	return c && !(cJSON_IsObject(c) && !c->child);
}

size_t
policy_statement_strings(const cJSON *stmt, const char *field, void (*fn)(const char *s, void *ctx),
                         void *ctx)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(stmt, field);
	const cJSON *x;
	size_t n = 0;

	if (cJSON_IsString(v)) {
		fn(v->valuestring, ctx);
		return 1;
	}
	if (!cJSON_IsArray(v))
		return 0;
	cJSON_ArrayForEach(x, v)
	{
		if (cJSON_IsString(x)) {
			fn(x->valuestring, ctx);
			n++;
		}
	}
	return n;
}

enum match_mode {
	MATCH_EXACT, /* the pattern matches text */
	MATCH_SOME,  /* the pattern matches something under the prefix text */
	MATCH_ALL,   /* the pattern matches everything under the prefix text */
};

static int
one_matches(const char *pattern, const char *text, int nocase, enum match_mode mode)
{
	size_t n;

	switch (mode) {
	case MATCH_SOME:
		return policy_wildcard_match_prefix(pattern, text, nocase);
	case MATCH_ALL:
		/*
		 * Sound, not complete: a pattern ending in '*' that matches the
		 * prefix itself lets that last '*' take any continuation too.
		 */
		n = strlen(pattern);
		return n && pattern[n - 1] == '*' && policy_wildcard_match(pattern, text, nocase);
	default:
		return policy_wildcard_match(pattern, text, nocase);
	}
}

/* 1 when a string (or an array entry) of field matches text; -1 when field is absent. */
static int
field_matches(const cJSON *stmt, const char *field, const char *text, int nocase,
              enum match_mode mode)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(stmt, field);
	const cJSON *x;

	if (!v)
		return -1;
	if (cJSON_IsString(v))
		return one_matches(v->valuestring, text, nocase, mode);
	cJSON_ArrayForEach(x, v)
	{
		if (cJSON_IsString(x) && one_matches(x->valuestring, text, nocase, mode))
			return 1;
	}
	return 0;
}

/*
 * Action/Resource (yes) or NotAction/NotResource (no). For "no", "covers
 * something under the prefix" means "the exclusions do not cover all of it",
 * and the other way round.
 */
static int
covers(const cJSON *stmt, const char *yes, const char *no, const char *text, int nocase,
       enum match_mode mode)
{
	enum match_mode inverse = mode == MATCH_SOME  ? MATCH_ALL
	                          : mode == MATCH_ALL ? MATCH_SOME
	                                              : mode;
	int m = field_matches(stmt, yes, text, nocase, mode);

	if (m >= 0)
		return m;
	m = field_matches(stmt, no, text, nocase, inverse);
	return m == 0; /* absent both: covers nothing */
}

int
policy_statement_covers_action(const cJSON *stmt, const char *action)
{
	return covers(stmt, "Action", "NotAction", action, 1, MATCH_EXACT);
}

int
policy_statement_covers_resource(const cJSON *stmt, const char *arn)
{
	return covers(stmt, "Resource", "NotResource", arn, 0, MATCH_EXACT);
}

struct decide {
	const char *action, *arn;
	unsigned flags;
	const cJSON *allow; /* best Allow so far: an unconditional one wins */
	int denied;
};

static int
decide_statement(const cJSON *stmt, void *ctx)
{
	struct decide *d = ctx;
	int prefix = d->flags & POLICY_ARN_PREFIX;
	int deny = policy_statement_is_deny(stmt);
	enum match_mode mode = !prefix ? MATCH_EXACT : deny ? MATCH_ALL : MATCH_SOME;

	if (!policy_statement_covers_action(stmt, d->action) ||
	    !covers(stmt, "Resource", "NotResource", d->arn, 0, mode))
		return 0;
	if (deny && !policy_statement_has_condition(stmt)) {
		d->denied = 1;
		return 1; /* an explicit Deny ends it */
	}
	if (policy_statement_is_allow(stmt) &&
	    (!d->allow ||
	     (policy_statement_has_condition(d->allow) && !policy_statement_has_condition(stmt))))
		d->allow = stmt;
	return 0;
}

int
policy_docs_allow(const cJSON *const *docs, size_t n, const char *action, const char *arn,
                  unsigned flags, const cJSON **why, int *conditional)
{
	struct decide d = { .action = action, .arn = arn, .flags = flags };
	size_t i;

	for (i = 0; i < n && !d.denied; i++)
		if (docs[i])
			policy_each_statement(docs[i], decide_statement, &d);
	if (d.denied || !d.allow)
		return 0;
	if (why)
		*why = d.allow;
	if (conditional)
		*conditional = policy_statement_has_condition(d.allow);
	return 1;
}
