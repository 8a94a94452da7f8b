/*
 * The secrets engine (secrets.h). Design notes:
 *
 * 1. Prefilter. Every rule has literal anchors ("ghp_", "-----BEGIN ",
 *    "token"). One pass over the bytes hashes each 3-byte window (case
 *    folded) into a 2^18-bit filter; a set bit sends the position to a
 *    binary search over the anchors sorted by their first three bytes and a
 *    memcmp of the whole literal (prefilter_scan). Only those positions ever
 *    reach PCRE2, and only a window of span bytes around them.
 * 2. Provider pass (provider_at): hits in position order, for each anchor in
 *    rule-table order, so a more specific rule (GCP key file, Anthropic)
 *    claims its bytes before a broader one (PEM, OpenAI). Claimed spans are
 *    "covered"; a later match overlapping one is dropped.
 * 3. Name pass (assignment_at), after the provider pass so that covered
 *    spans are complete: an identifier holding a secret word, an assignment
 *    operator and a value. A value overlapping a covered span is already
 *    reported. Named rules first, then the generic entropy rule.
 * 4. Environment: each value is a one-line file for the provider pass; the
 *    name pass uses the variable's name; companions (an AWS secret next to
 *    its key id) are looked for in the other variables.
 */
#include "analyze/secrets.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fnmatch.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/secret_rules.h"
#include "util/redact.h"
#include "util/xmalloc.h"

#define BLOOM_BITS   18
#define BINARY_PROBE 8192
#define NAME_RULE    (-1)

struct anchor {
	uint32_t key; /* first three bytes, case folded */
	int rule;     /* index in secret_rules, or NAME_RULE */
	unsigned char len;
	char lit[31];
};

struct secret_scanner {
	double entropy_min;
	size_t entropy_min_len;
	char **globs;
	size_t n_globs;
	pcre2_code **rule_re, **companion_re, **named_name_re, **named_value_re;
	int *rule_group, *companion_group; /* number of group s */
	struct anchor *anchors;
	size_t n_anchors;
	uint32_t max_groups;
	uint32_t first3; /* mask keeping the first three bytes of a 4-byte load */
	uint64_t bloom[(1u << BLOOM_BITS) / 64];
};

struct span {
	size_t start, end;
};

struct hitpos {
	size_t pos;
	size_t anchor;
};

/* One call's state: the scanner is shared, this is not. */
struct scan {
	const struct secret_scanner *s;
	const char *data;
	size_t len;
	int binary, generated, quoted_only, env;
	const char *env_name;
	const cJSON *env_vars;
	pcre2_match_data *md;
	struct hitpos *hits;
	size_t n_hits, cap_hits;
	struct span *covered;
	size_t n_covered, cap_covered;
	size_t line_pos, line_no; /* line counting cursor */
	signed char *requires_seen;
	secret_hit_fn *fn;
	void *fn_ctx;
	int limit_hit;
	const char *companion_var; /* env: the variable a companion was found in */
};

/* ---- building ---- */

/* The first three bytes at p (four readable), case folded, in host order. */
static uint32_t
key_at(const unsigned char *p, uint32_t first3)
{
	uint32_t w;

	memcpy(&w, p, 4);
	return (w | 0x20202020u) & first3;
}

static uint32_t
bloom_hash(uint32_t key)
{
	return (key * 0x9E3779B1u) >> (32 - BLOOM_BITS);
}

static void
anchor_add(struct secret_scanner *s, const char *lit, size_t len, int rule, size_t *cap)
{
	struct anchor *a;
	uint32_t h;

	if (len < 3 || len >= sizeof(a->lit))
		abort(); /* a table mistake, caught by every test run */
	if (s->n_anchors == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		s->anchors = xrealloc(s->anchors, *cap * sizeof(*s->anchors));
	}
	a = &s->anchors[s->n_anchors++];
	memcpy(a->lit, lit, len);
	a->lit[len] = '\0';
	a->len = (unsigned char)len;
	a->rule = rule;
	a->key = key_at((const unsigned char *)a->lit, s->first3);
	h = bloom_hash(a->key);
	s->bloom[h / 64] |= (uint64_t)1 << (h % 64);
}

/* "SK[0-9a-f]" is SK0 ... SKf; any other spec is one literal. */
static void
anchor_add_spec(struct secret_scanner *s, const char *spec, size_t len, int rule, size_t *cap)
{
	const char *open = memchr(spec, '[', len);
	char lit[32];
	size_t pre, i;

	if (!open || spec[len - 1] != ']' || len >= sizeof(lit)) {
		anchor_add(s, spec, len, rule, cap);
		return;
	}
	pre = (size_t)(open - spec);
	memcpy(lit, spec, pre);
	for (i = pre + 1; i + 1 < len; i++) {
		char c, last = spec[i];

		if (i + 3 < len && spec[i + 1] == '-') {
			last = spec[i + 2];
			for (c = spec[i]; c <= last; c++) {
				lit[pre] = c;
				anchor_add(s, lit, pre + 1, rule, cap);
			}
			i += 2;
			continue;
		}
		lit[pre] = last;
		anchor_add(s, lit, pre + 1, rule, cap);
	}
}

static int
anchor_order(const void *a, const void *b)
{
	const struct anchor *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->rule > y->rule) - (x->rule < y->rule);
}

static void
anchors_build(struct secret_scanner *s)
{
	size_t cap = 0, i;

	for (i = 0; i < secret_rules_n; i++) {
		const char *p = secret_rules[i].anchors, *bar;

		while (*p) {
			bar = strchr(p, '|');
			if (!bar)
				bar = p + strlen(p);
			anchor_add_spec(s, p, (size_t)(bar - p), (int)i, &cap);
			p = *bar ? bar + 1 : bar;
		}
	}
	for (i = 0; i < secret_name_anchors_n; i++)
		anchor_add(s, secret_name_anchors[i], strlen(secret_name_anchors[i]), NAME_RULE,
		           &cap);
	/* name rules sort last (NAME_RULE is -1: order by rule, name anchors first is fine) */
	qsort(s->anchors, s->n_anchors, sizeof(*s->anchors), anchor_order);
}

static pcre2_code *
compile(const char *pattern, uint32_t flags, struct secret_scanner *s, struct err *err)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re;
	uint32_t groups = 0;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, flags | PCRE2_NO_UTF_CHECK,
	                   &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[128];

		pcre2_get_error_message(code, msg, sizeof(msg));
		err_set(err, ERR_USAGE, "secret rule '%.40s': offset %zu: %s", pattern, (size_t)off,
		        (const char *)msg);
		return NULL;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* without JIT it still matches, slower */
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
	if (groups + 1 > s->max_groups)
		s->max_groups = groups + 1;
	return re;
}

static int
group_s(const pcre2_code *re)
{
	int n = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "s");

	return n > 0 ? n : 0;
}

static int
rules_compile(struct secret_scanner *s, struct err *err)
{
	size_t i;

	s->rule_re = xcalloc(secret_rules_n, sizeof(*s->rule_re));
	s->companion_re = xcalloc(secret_rules_n, sizeof(*s->companion_re));
	s->rule_group = xcalloc(secret_rules_n, sizeof(*s->rule_group));
	s->companion_group = xcalloc(secret_rules_n, sizeof(*s->companion_group));
	for (i = 0; i < secret_rules_n; i++) {
		const struct secret_rule *r = &secret_rules[i];

		s->rule_re[i] = compile(r->pattern, 0, s, err);
		if (!s->rule_re[i])
			return -1;
		s->rule_group[i] = group_s(s->rule_re[i]);
		if (!r->companion)
			continue;
		s->companion_re[i] = compile(r->companion, 0, s, err);
		if (!s->companion_re[i])
			return -1;
		s->companion_group[i] = group_s(s->companion_re[i]);
	}
	s->named_name_re = xcalloc(secret_named_rules_n, sizeof(*s->named_name_re));
	s->named_value_re = xcalloc(secret_named_rules_n, sizeof(*s->named_value_re));
	for (i = 0; i < secret_named_rules_n; i++) {
		s->named_name_re[i] =
		        compile(secret_named_rules[i].name_pattern, PCRE2_CASELESS, s, err);
		if (!s->named_name_re[i])
			return -1;
		s->named_value_re[i] = compile(secret_named_rules[i].value_pattern,
		                               PCRE2_ANCHORED | PCRE2_ENDANCHORED, s, err);
		if (!s->named_value_re[i])
			return -1;
	}
	return 0;
}

void
secrets_opts_default(struct secrets_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->entropy_min = SECRETS_ENTROPY_MIN_DEFAULT;
	o->entropy_min_len = SECRETS_MIN_LEN_DEFAULT;
}

struct secret_scanner *
secrets_new(const struct secrets_opts *o, struct err *err)
{
	struct secrets_opts def;
	struct secret_scanner *s;
	size_t i;

	if (!o) {
		secrets_opts_default(&def);
		o = &def;
	}
	if (!(o->entropy_min >= 0 && o->entropy_min <= 8) || (o->n_exclude && !o->exclude_globs)) {
		err_set(err, ERR_USAGE, "secrets: entropy_min must be 0..8 bits per character");
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	memcpy(&s->first3, (const unsigned char[4]){ 0xff, 0xff, 0xff, 0 }, 4);
	s->entropy_min = o->entropy_min;
	s->entropy_min_len = o->entropy_min_len ? o->entropy_min_len : 1;
	s->globs = xcalloc(o->n_exclude ? o->n_exclude : 1, sizeof(*s->globs));
	for (i = 0; i < o->n_exclude; i++)
		if (o->exclude_globs[i])
			s->globs[s->n_globs++] = xstrdup(o->exclude_globs[i]);
	anchors_build(s);
	if (rules_compile(s, err)) {
		secrets_free(s);
		return NULL;
	}
	return s;
}

void
secrets_free(struct secret_scanner *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < secret_rules_n; i++) {
		if (s->rule_re)
			pcre2_code_free(s->rule_re[i]);
		if (s->companion_re)
			pcre2_code_free(s->companion_re[i]);
	}
	for (i = 0; i < secret_named_rules_n; i++) {
		if (s->named_name_re)
			pcre2_code_free(s->named_name_re[i]);
		if (s->named_value_re)
			pcre2_code_free(s->named_value_re[i]);
	}
	for (i = 0; i < s->n_globs; i++)
		free(s->globs[i]);
	free(s->globs);
	free(s->rule_re);
	free(s->companion_re);
	free(s->rule_group);
	free(s->companion_group);
	free(s->named_name_re);
	free(s->named_value_re);
	free(s->anchors);
	free(s);
}

/* ---- the prefilter ---- */

static void
hit_push(struct scan *sc, size_t pos, size_t anchor)
{
	if (sc->n_hits == sc->cap_hits) {
		sc->cap_hits = sc->cap_hits ? sc->cap_hits * 2 : 64;
		sc->hits = xrealloc(sc->hits, sc->cap_hits * sizeof(*sc->hits));
	}
	sc->hits[sc->n_hits].pos = pos;
	sc->hits[sc->n_hits].anchor = anchor;
	sc->n_hits++;
}

/* Name words compare case-blind, provider literals exactly. */
static int
anchor_equal(const struct anchor *a, const char *p)
{
	size_t i;

	if (a->rule != NAME_RULE)
		return !memcmp(p, a->lit, a->len);
	for (i = 0; i < a->len; i++)
		if ((p[i] | 0x20) != a->lit[i])
			return 0;
	return 1;
}

/* A filter hit: find the anchors with this key and compare them whole. */
static void
prefilter_check(struct scan *sc, size_t pos, uint32_t key)
{
	const struct secret_scanner *s = sc->s;
	size_t lo = 0, hi = s->n_anchors, i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->anchors[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < s->n_anchors && s->anchors[i].key == key; i++) {
		const struct anchor *a = &s->anchors[i];

		if (pos + a->len <= sc->len && anchor_equal(a, sc->data + pos))
			hit_push(sc, pos, i);
	}
}

static void
prefilter_scan(struct scan *sc)
{
	const unsigned char *d = (const unsigned char *)sc->data;
	const uint64_t *bloom = sc->s->bloom;
	uint32_t first3 = sc->s->first3;
	unsigned char tail[4] = { 0 };
	size_t i, n = sc->len;

	for (i = 0; i + 4 <= n; i++) {
		uint32_t key = key_at(d + i, first3), h = bloom_hash(key);

		if (bloom[h >> 6] >> (h & 63) & 1)
			prefilter_check(sc, i, key);
	}
	if (n >= 3 && i + 3 == n) { /* the last window has no fourth byte to load */
		memcpy(tail, d + i, 3);
		if (bloom[bloom_hash(key_at(tail, first3)) >> 6] >>
		            (bloom_hash(key_at(tail, first3)) & 63) &
		    1)
			prefilter_check(sc, i, key_at(tail, first3));
	}
}

/* ---- reporting ---- */

/* 1-based line of pos; hits come in rising order, so the cursor rarely rewinds. */
static size_t
line_of(struct scan *sc, size_t pos)
{
	const char *p, *end;

	if (sc->binary || sc->env)
		return 0;
	if (pos < sc->line_pos) {
		sc->line_pos = 0;
		sc->line_no = 1;
	}
	p = sc->data + sc->line_pos;
	end = sc->data + pos;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			break;
		sc->line_no++;
		p = nl + 1;
	}
	sc->line_pos = pos; /* every newline before pos is counted: a long line is read once */
	return sc->line_no;
}

static int
is_covered(const struct scan *sc, size_t start, size_t end)
{
	size_t i;

	for (i = sc->n_covered; i-- > 0;)
		if (start < sc->covered[i].end && sc->covered[i].start < end)
			return 1;
	return 0;
}

static void
cover(struct scan *sc, size_t start, size_t end)
{
	if (sc->n_covered == sc->cap_covered) {
		sc->cap_covered = sc->cap_covered ? sc->cap_covered * 2 : 16;
		sc->covered = xrealloc(sc->covered, sc->cap_covered * sizeof(*sc->covered));
	}
	sc->covered[sc->n_covered].start = start;
	sc->covered[sc->n_covered].end = end;
	sc->n_covered++;
}

static void
report(struct scan *sc, const char *rule_id, const char *what, const char *name, size_t line,
       const char *secret, size_t secret_len)
{
	struct secret_hit h;

	memset(&h, 0, sizeof(h));
	h.rule_id = rule_id;
	h.what = what;
	h.name = name;
	h.line = line;
	redact_bytes(secret, secret_len, h.redacted, sizeof(h.redacted));
	sc->fn(&h, sc->fn_ctx);
}

/* ---- provider rules ---- */

static int
match(struct scan *sc, const pcre2_code *re, const char *subject, size_t len, size_t from,
      uint32_t flags)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)subject, len, from, flags, sc->md, NULL);

	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH && rc != PCRE2_ERROR_PARTIAL)
		sc->limit_hit = 1;
	return rc >= 0;
}

/* Group g of the last match (the whole match when g is unset). */
static void
group_span(const struct scan *sc, int g, size_t *start, size_t *end)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);

	if (g > 0 && ov[2 * g] != PCRE2_UNSET) {
		*start = ov[2 * g];
		*end = ov[2 * g + 1];
	} else {
		*start = ov[0];
		*end = ov[1];
	}
}

static int
b64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '-' || c == '+' ? 62 : c == '_' || c == '/' ? 63 : -1;
}

/* A JWT's header is base64url JSON naming its algorithm: {"alg":"HS256",...}. */
static int
jwt_header_ok(const char *tok, size_t len)
{
	char out[384];
	size_t i, n = 0;
	unsigned acc = 0, bits = 0;

	for (i = 0; i < len && tok[i] != '.' && n + 1 < sizeof(out); i++) {
		int v = b64url_value((unsigned char)tok[i]);

		if (v < 0)
			return 0;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	return n > 8 && out[0] == '{' && strstr(out, "\"alg\"") != NULL;
}

/* Passwords that are a default or a word, not a credential (URL rule). */
static int
url_password_is_default(const char *user, size_t ulen, const char *pw, size_t plen)
{
	static const char *const defaults[] = { "pass",  "pwd",   "pw",   "root",
		                                "admin", "guest", "user", "postgres",
		                                "mysql", "redis", NULL };
	const char *const *d;

	if (ulen == plen && !memcmp(user, pw, plen))
		return 1;
	for (d = defaults; *d; d++)
		if (strlen(*d) == plen && !strncasecmp(pw, *d, plen))
			return 1;
	return 0;
}

static int
secret_is_placeholder(const struct secret_rule *r, const char *body, size_t len)
{
	if (r->flags & SR_NO_SHAPE)
		return secrets_is_placeholder_text(body, len);
	return secrets_is_placeholder(body, len);
}

/* Is the match (group s at [start, end), anchor at pos) a credential? */
static int
provider_valid(struct scan *sc, const struct secret_rule *r, const struct anchor *a, size_t start,
               size_t end, size_t pos)
{
	const char *body = sc->data + start;
	size_t blen = end - start;

	if (!(r->flags & SR_WHOLE_BODY) && start == pos && blen > a->len) {
		body += a->len;
		blen -= a->len;
	}
	if (secret_is_placeholder(r, body, blen))
		return 0;
	if ((r->flags & SR_JWT) && !jwt_header_ok(sc->data + start, end - start))
		return 0;
	if (r->flags & SR_NOT_USER) {
		size_t us, ue;

		group_span(sc, 1, &us, &ue); /* the URL rule's group 1 is the user name */
		if (url_password_is_default(sc->data + us, ue - us, body, blen))
			return 0;
	}
	return 1;
}

/* Start of the line n lines before pos, end of the line n lines after. */
static void
lines_around(const struct scan *sc, size_t pos, size_t end, int n, size_t *from, size_t *to)
{
	size_t a = pos, b = end;
	int k;

	for (k = 0; k <= n && a > 0; k++) {
		while (a > 0 && sc->data[a - 1] != '\n')
			a--;
		if (k < n && a > 0)
			a--;
	}
	for (k = 0; k <= n && b < sc->len; k++) {
		const char *nl = memchr(sc->data + b, '\n', sc->len - b);

		b = nl ? (size_t)(nl - sc->data) + (k < n) : sc->len;
	}
	*from = a;
	*to = b;
}

/* A companion in [from, to) outside [ks, ke); its span in *cs, *ce. */
static int
companion_in(struct scan *sc, size_t ri, const char *subj, size_t from, size_t to, size_t ks,
             size_t ke, size_t *cs, size_t *ce)
{
	const pcre2_code *re = sc->s->companion_re[ri];

	while (from < to && match(sc, re, subj, to, from, 0)) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
		size_t next = ov[1] > from ? ov[1] : from + 1;

		group_span(sc, sc->s->companion_group[ri], cs, ce);
		if ((*ce <= ks || *cs >= ke) && !secrets_is_placeholder(subj + *cs, *ce - *cs))
			return 1;
		from = next;
	}
	return 0;
}

/* env: the companion in another variable of the same function. */
static int
companion_env(struct scan *sc, size_t ri, const char **val, size_t *cs, size_t *ce)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, sc->env_vars)
	{
		if (!cJSON_IsString(v) || !v->string || !strcmp(v->string, sc->env_name))
			continue;
		if (companion_in(sc, ri, v->valuestring, 0, strlen(v->valuestring), 0, 0, cs, ce)) {
			*val = v->valuestring;
			sc->companion_var = v->string;
			return 1;
		}
	}
	return 0;
}

/* Reports the match of rule ri at [ms, me) with secret [ss, se). */
static void
provider_report(struct scan *sc, size_t ri, size_t ms, size_t me, size_t ss, size_t se)
{
	const struct secret_rule *r = &secret_rules[ri];
	size_t from, to, cs, ce, line = line_of(sc, ss);
	const char *cval = NULL;
	int pair = 0;

	if (r->companion) {
		if (sc->env) {
			pair = companion_env(sc, ri, &cval, &cs, &ce);
		} else {
			lines_around(sc, ms, me, SECRETS_PAIR_LINES, &from, &to);
			pair = companion_in(sc, ri, sc->data, from, to, ms, me, &cs, &ce);
			cval = sc->data;
			if (pair)
				cover(sc, cs, ce);
		}
	}
	cover(sc, ms, me);
	if (pair && !r->rule_id) /* the companion is the secret: report it */
		report(sc, r->pair_rule_id, r->pair_what,
		       sc->env ? sc->companion_var : sc->env_name, sc->env ? 0 : line_of(sc, cs),
		       cval + cs, ce - cs);
	else if (pair)
		report(sc, r->pair_rule_id, r->pair_what, sc->env_name, line, sc->data + ss,
		       se - ss);
	else if (r->rule_id)
		report(sc, r->rule_id, r->what, sc->env_name, line, sc->data + ss, se - ss);
}

static int
contains(const char *hay, size_t len, const char *lit)
{
	size_t m = strlen(lit);
	const char *p = hay, *end = hay + len;

	while (m && (size_t)(end - p) >= m) {
		p = memchr(p, lit[0], (size_t)(end - p) - m + 1);
		if (!p)
			return 0;
		if (!memcmp(p, lit, m))
			return 1;
		p++;
	}
	return 0;
}

static int
requires_met(struct scan *sc, size_t ri)
{
	const char *lit = secret_rules[ri].requires;

	if (!lit)
		return 1;
	if (sc->requires_seen[ri] < 0)
		sc->requires_seen[ri] = (signed char)contains(sc->data, sc->len, lit);
	return sc->requires_seen[ri];
}

/* The provider rule of anchor hit h. */
static void
provider_at(struct scan *sc, const struct hitpos *h)
{
	const struct anchor *a = &sc->s->anchors[h->anchor];
	const struct secret_rule *r = &secret_rules[a->rule];
	size_t from = h->pos >= r->lead ? h->pos - r->lead : 0;
	size_t to = h->pos + r->span + 64 < sc->len ? h->pos + r->span + 64 : sc->len;
	size_t ms, me, ss, se;
	PCRE2_SIZE *ov;

	if ((sc->binary && !(r->flags & SR_BINARY_OK)) || is_covered(sc, h->pos, h->pos + a->len))
		return;
	if (!requires_met(sc, (size_t)a->rule))
		return;
	if (!match(sc, sc->s->rule_re[a->rule], sc->data, to, from, r->lead ? 0 : PCRE2_ANCHORED))
		return;
	ov = pcre2_get_ovector_pointer(sc->md);
	ms = ov[0];
	me = ov[1];
	if (ms > h->pos || is_covered(sc, ms, me))
		return;
	group_span(sc, sc->s->rule_group[a->rule], &ss, &se);
	if (se <= ss || !provider_valid(sc, r, a, ss, se, h->pos))
		return;
	provider_report(sc, (size_t)a->rule, ms, me, ss, se);
}

/* ---- assignments: named rules and the generic rule ---- */

static int
is_ident(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* The value after "name" at [ns, ne): quoted, or (config files) bare to the line end. */
static int
value_after(const struct scan *sc, size_t ns, size_t ne, size_t *vs, size_t *ve)
{
	const char *d = sc->data;
	size_t i = ne, n = sc->len;
	char q;

	if (ns > 0 && (d[ns - 1] == '"' || d[ns - 1] == '\'')) {
		if (i >= n || d[i] != d[ns - 1])
			return 0;
		i++;
		if (i < n && d[i] == ']')
			i++;
	}
	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	if (i + 1 < n && ((d[i] == ':' && d[i + 1] == '=') || (d[i] == '=' && d[i + 1] == '>')))
		i += 2;
	else if (i < n && (d[i] == '=' || d[i] == ':') && !(i + 1 < n && d[i + 1] == '='))
		i++;
	else
		return 0;
	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	if (i < n && (d[i] == '"' || d[i] == '\'' || d[i] == '`')) {
		q = d[i++];
		*vs = i;
		while (i < n && d[i] != q && d[i] != '\n' && i - *vs <= SECRETS_VALUE_MAX)
			i += d[i] == '\\' ? 2 : 1;
		if (i >= n || d[i] != q)
			return 0;
		*ve = i;
		return 1;
	}
	if (sc->quoted_only)
		return 0;
	*vs = i;
	while (i < n && d[i] != '\n' && d[i] != '\r' && d[i] != ' ' && d[i] != '\t' && d[i] != '#')
		i++;
	*ve = i;
	while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r'))
		i++;
	return *ve > *vs && (i >= n || d[i] == '\n' || d[i] == '#');
}

/* Named rules, then the generic one, on name = value (value at pos in a file). */
static void
assignment_check(struct scan *sc, const char *name, const char *v, size_t vlen, size_t pos)
{
	const struct secret_scanner *s = sc->s;
	size_t i;

	/* every named format is 32 characters or more: skip the regexes below that */
	for (i = 0; vlen >= 32 && i < secret_named_rules_n; i++) {
		if (!match(sc, s->named_name_re[i], name, strlen(name), 0, 0) ||
		    !match(sc, s->named_value_re[i], v, vlen, 0, 0))
			continue;
		if (!secrets_is_placeholder_text(v, vlen))
			report(sc, secret_named_rules[i].rule_id, secret_named_rules[i].what, name,
			       line_of(sc, pos), v, vlen);
		return;
	}
	if (vlen >= s->entropy_min_len && secrets_name_is_secret(name, strlen(name)) &&
	    secrets_value_is_random(v, vlen, s->entropy_min, s->entropy_min_len))
		report(sc, SECRETS_GENERIC_ID, SECRETS_GENERIC_WHAT, name, line_of(sc, pos), v,
		       vlen);
}

/* A name anchor at pos: the identifier around it, "=" or ":", a value. */
static void
assignment_at(struct scan *sc, size_t pos, size_t *ident_end)
{
	const unsigned char *d = (const unsigned char *)sc->data;
	size_t ns = pos, ne = pos, vs, ve;
	char name[SECRETS_NAME_MAX + 1];

	if (pos < *ident_end)
		return; /* the same identifier holds two secret words */
	while (ns > 0 && pos - ns < SECRETS_NAME_MAX && is_ident(d[ns - 1]))
		ns--;
	while (ne < sc->len && ne - ns < SECRETS_NAME_MAX && is_ident(d[ne]))
		ne++;
	*ident_end = ne;
	while (ne > ns && d[ne - 1] == '.') /* "key." ends a sentence, not a name */
		ne--;
	if (ne - ns >= SECRETS_NAME_MAX || !value_after(sc, ns, ne, &vs, &ve))
		return;
	if (ve - vs > SECRETS_VALUE_MAX || is_covered(sc, vs, ve))
		return;
	memcpy(name, d + ns, ne - ns);
	name[ne - ns] = '\0';
	assignment_check(sc, name, sc->data + vs, ve - vs, vs);
}

/* ---- entry points ---- */

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Written by tools, full of hashes and integrity strings: no generic rule. */
static int
path_is_generated(const char *path)
{
	static const char *const names[] = { "package-lock.json", "npm-shrinkwrap.json",
		                             "pnpm-lock.yaml",    "go.sum",
		                             "yarn.lock",         NULL };
	static const char *const suffixes[] = { ".lock", ".deps.json", ".map", ".lock.json", NULL };
	const char *base = base_name(path);
	const char *const *p;

	for (p = names; *p; p++)
		if (!strcmp(base, *p))
			return 1;
	for (p = suffixes; *p; p++)
		if (ends_with(base, *p))
			return 1;
	return 0;
}

/* Source code: literals are quoted, a bare word after "=" is an expression. */
static int
path_is_code(const char *path)
{
	static const char *const exts[] = { ".js",    ".mjs",  ".cjs", ".jsx",  ".ts",  ".tsx",
		                            ".py",    ".rb",   ".go",  ".java", ".kt",  ".cs",
		                            ".php",   ".rs",   ".c",   ".h",    ".cpp", ".scala",
		                            ".swift", ".json", NULL };
	const char *const *p;

	for (p = exts; *p; p++)
		if (ends_with(path, *p))
			return 1;
	return 0;
}

static int
path_excluded(const struct secret_scanner *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n_globs; i++) {
		if (!fnmatch(s->globs[i], path, 0))
			return 1;
		if (!strchr(s->globs[i], '/') && !fnmatch(s->globs[i], base_name(path), 0))
			return 1;
	}
	return 0;
}

static void
scan_init(struct scan *sc, const struct secret_scanner *s, secret_hit_fn *fn, void *ctx)
{
	memset(sc, 0, sizeof(*sc));
	sc->s = s;
	sc->fn = fn;
	sc->fn_ctx = ctx;
	sc->md = pcre2_match_data_create(s->max_groups, NULL);
	if (!sc->md)
		abort(); /* out of memory, as xmalloc would */
	sc->requires_seen = xmalloc(secret_rules_n);
}

static void
scan_release(struct scan *sc)
{
	pcre2_match_data_free(sc->md);
	free(sc->hits);
	free(sc->covered);
	free(sc->requires_seen);
}

/* One buffer: the prefilter, then the provider pass, then (unless off) the name pass. */
static void
scan_buffer(struct scan *sc, const char *data, size_t len, int names)
{
	size_t i, ident_end = 0;

	sc->data = data;
	sc->len = len;
	sc->n_hits = 0;
	sc->n_covered = 0;
	sc->line_pos = 0;
	sc->line_no = 1;
	memset(sc->requires_seen, -1, secret_rules_n);
	prefilter_scan(sc);
	for (i = 0; i < sc->n_hits; i++)
		if (sc->s->anchors[sc->hits[i].anchor].rule != NAME_RULE)
			provider_at(sc, &sc->hits[i]);
	for (i = 0; names && i < sc->n_hits; i++)
		if (sc->s->anchors[sc->hits[i].anchor].rule == NAME_RULE)
			assignment_at(sc, sc->hits[i].pos, &ident_end);
}

int
secrets_scan_file(const struct secret_scanner *s, const char *path, const void *data, size_t len,
                  secret_hit_fn *fn, void *ctx, struct err *err)
{
	struct scan sc;
	int rc = 0;

	if (!path)
		path = "";
	if (path_excluded(s, path) || !len)
		return 0;
	scan_init(&sc, s, fn, ctx);
	sc.binary = memchr(data, '\0', len < BINARY_PROBE ? len : BINARY_PROBE) != NULL;
	sc.generated = path_is_generated(path);
	sc.quoted_only = path_is_code(path);
	scan_buffer(&sc, data, len, !sc.binary && !sc.generated);
	if (sc.limit_hit)
		rc = err_set(err, ERR_LIMIT, "secrets: '%s': a pattern hit its match limit", path);
	scan_release(&sc);
	return rc;
}

/* A variable whose value held a provider hit or a companion is reported. */
static int
env_var_claimed(const char *name, const char *const *claimed, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(claimed[i], name))
			return 1;
	return 0;
}

int
secrets_scan_env(const struct secret_scanner *s, const cJSON *vars, secret_hit_fn *fn, void *ctx,
                 struct err *err)
{
	const char **claimed;
	const cJSON *v;
	struct scan sc;
	size_t n = 0;

	if (!cJSON_IsObject(vars))
		return err_set(err, ERR_PARSE, "secrets: environment variables are not an object");
	claimed = xcalloc((size_t)cJSON_GetArraySize(vars) * 2 + 1, sizeof(*claimed));
	scan_init(&sc, s, fn, ctx);
	sc.env = 1;
	sc.env_vars = vars;
	cJSON_ArrayForEach(v, vars)
	{
		if (!cJSON_IsString(v) || !v->string)
			continue;
		sc.env_name = v->string;
		sc.companion_var = NULL;
		scan_buffer(&sc, v->valuestring, strlen(v->valuestring), 0);
		if (sc.n_covered)
			claimed[n++] = v->string;
		if (sc.companion_var)
			claimed[n++] = sc.companion_var;
	}
	cJSON_ArrayForEach(v, vars)
	{
		if (!cJSON_IsString(v) || !v->string || env_var_claimed(v->string, claimed, n))
			continue;
		sc.data = v->valuestring;
		sc.len = strlen(v->valuestring);
		assignment_check(&sc, v->string, sc.data, sc.len, 0);
	}
	free(claimed);
	scan_release(&sc);
	return 0;
}
