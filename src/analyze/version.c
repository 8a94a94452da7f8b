/*
 * Version sort keys (analyze/version.h).
 *
 * Key layout, one field after another, each field self-delimiting so that
 * memcmp of two keys of one scheme compares field by field:
 *  - a number: one byte 0x80 + its digit count (leading zeros dropped, 0 has
 *    none), then the digits; more digits means larger, same count compares
 *    the digits;
 *  - markers below 0x80 say what comes next; each list ends with KEY_END,
 *    the smallest marker, so a shorter list sorts first ("alpha" < "alpha.1").
 *
 * semver:  MAJOR MINOR PATCH, then KEY_INF (no prerelease: above all) or
 *          KEY_PRE followed by identifiers (KEY_NUM number | KEY_ALNUM
 *          text NUL) and KEY_END.
 * PEP 440: epoch, release (trailing zeros dropped, each KEY_NUM number,
 *          KEY_END), pre (KEY_NEG_INF for a bare dev release, 0x02/0x03/0x04
 *          + number for a/b/rc, KEY_INF for none), post (KEY_NEG_INF or
 *          KEY_NUM number), dev (KEY_NEG_INF + number or KEY_INF), local
 *          (KEY_NEG_INF, or KEY_NUM then segments and KEY_END). This is
 *          packaging's _cmpkey, field for field.
 */
#include "analyze/version.h"

#include <string.h>
#include <strings.h>

enum {
	KEY_END = 0x01,
	KEY_NEG_INF = 0x01,
	KEY_NUM = 0x02,
	KEY_ALNUM = 0x03,
	KEY_PRE = 0x01, /* semver: a prerelease sorts below KEY_INF */
	KEY_INF = 0x7f,
	LOCAL_SOME = 0x02, /* PEP 440: a local version follows (none is KEY_NEG_INF) */
	LOCAL_STR = 0x02,
	LOCAL_INT = 0x03,
};

struct key_writer {
	struct version_key *key;
	int rc; /* first error, sticky */
};

static void
put_byte(struct key_writer *w, unsigned char c)
{
	if (w->key->len >= VERSION_KEY_MAX) {
		w->rc = w->rc ? w->rc : ERR_LIMIT;
		return;
	}
	w->key->b[w->key->len++] = c;
}

/* Writes the n digits at s as a number field. */
static void
put_number(struct key_writer *w, const char *s, size_t n)
{
	while (n && *s == '0') {
		s++;
		n--;
	}
	if (n > VERSION_DIGITS_MAX) {
		w->rc = w->rc ? w->rc : ERR_LIMIT;
		return;
	}
	put_byte(w, (unsigned char)(0x80 + n));
	while (n--)
		put_byte(w, (unsigned char)*s++);
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static size_t
span_digits(const char *s)
{
	size_t n = 0;

	while (is_digit(s[n]))
		n++;
	return n;
}

/* ---- semver ---- */

/* One dot-separated list of [0-9A-Za-z-] identifiers; returns its length or 0 when empty/bad. */
static size_t
semver_idents(const char *s, size_t n, struct key_writer *w)
{
	size_t i = 0;

	while (i < n) {
		size_t start = i, digits = 0;

		while (i < n && s[i] != '.') {
			if (!is_alnum(s[i]) && s[i] != '-')
				return 0;
			digits += is_digit(s[i]);
			i++;
		}
		if (i == start)
			return 0;
		if (w && digits == i - start) {
			put_byte(w, KEY_NUM);
			put_number(w, s + start, i - start);
		} else if (w) {
			put_byte(w, KEY_ALNUM);
			while (start < i)
				put_byte(w, (unsigned char)s[start++]);
			put_byte(w, 0);
		}
		if (i < n && ++i == n)
			return 0; /* trailing dot */
	}
	return n;
}

static int
semver_key(const char *s, size_t n, struct key_writer *w)
{
	const char *end = s + n, *build, *pre, *core_end;
	int part;

	if (s < end && (*s == 'v' || *s == 'V' || *s == '='))
		s++;
	build = memchr(s, '+', (size_t)(end - s));
	if (build && !semver_idents(build + 1, (size_t)(end - build - 1), NULL))
		return ERR_PARSE;
	if (build)
		end = build;
	pre = memchr(s, '-', (size_t)(end - s));
	core_end = pre ? pre : end;
	for (part = 0; part < 3; part++) {
		size_t d;

		if (part && s == core_end) {
			put_number(w, "0", 1); /* a missing MINOR or PATCH is 0 */
			continue;
		}
		if (part && *s++ != '.')
			return ERR_PARSE;
		d = span_digits(s);
		if (!d || s + d > core_end)
			return ERR_PARSE;
		put_number(w, s, d);
		s += d;
	}
	if (s != core_end)
		return ERR_PARSE;
	if (!pre) {
		put_byte(w, KEY_INF);
		return 0;
	}
	put_byte(w, KEY_PRE);
	if (!semver_idents(pre + 1, (size_t)(end - pre - 1), w))
		return ERR_PARSE;
	put_byte(w, KEY_END);
	return 0;
}

/* ---- PEP 440 ---- */

struct pep_cursor {
	const char *s, *end;
};

static int
is_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
}

/*
 * [sep] word from words (case-blind, longest spelling listed first); on a
 * match advances the cursor and returns the word's index, else -1 and the
 * cursor stays put.
 */
static int
take_word(struct pep_cursor *c, const char *const *words, size_t n_words)
{
	const char *p = c->s;
	size_t i;

	if (p < c->end && is_sep(*p))
		p++;
	for (i = 0; i < n_words; i++) {
		size_t len = strlen(words[i]);

		if ((size_t)(c->end - p) >= len && !strncasecmp(p, words[i], len)) {
			c->s = p + len;
			return (int)i;
		}
	}
	return -1;
}

/* [sep] digits, as the implicit-0 number after a pre/post/dev word. */
static void
take_number(struct pep_cursor *c, const char **num, size_t *len)
{
	const char *p = c->s;

	if (p < c->end && is_sep(*p) && p + 1 < c->end && is_digit(p[1]))
		p++;
	*num = p;
	*len = span_digits(p);
	if (p + *len > c->end)
		*len = (size_t)(c->end - p);
	if (*len)
		c->s = p + *len;
}

static int
pep_release(struct pep_cursor *c, struct key_writer *w)
{
	const char *seg[64];
	size_t len[64], n = 0, i, d;

	for (;;) {
		d = span_digits(c->s);
		if (!d || n == 64)
			return n == 64 ? ERR_LIMIT : ERR_PARSE;
		seg[n] = c->s;
		len[n++] = d;
		c->s += d;
		if (c->s + 1 >= c->end || *c->s != '.' || !is_digit(c->s[1]))
			break;
		c->s++;
	}
	/* zero padding: 1.0 == 1.0.0, so trailing zero segments are dropped */
	while (n && strspn(seg[n - 1], "0") >= len[n - 1])
		n--;
	for (i = 0; i < n; i++) {
		put_byte(w, KEY_NUM);
		put_number(w, seg[i], len[i]);
	}
	put_byte(w, KEY_END);
	return 0;
}

struct pep_parts {
	int pre; /* -1 none, 0 a, 1 b, 2 rc */
	const char *pre_n, *post_n, *dev_n;
	size_t pre_len, post_len, dev_len;
	int post, dev;
};

static void
pep_suffixes(struct pep_cursor *c, struct pep_parts *p)
{
	static const char *const pre_words[] = { "alpha", "beta", "preview", "pre",
		                                 "rc",    "a",    "b",       "c" };
	static const int pre_kind[] = { 0, 1, 2, 2, 2, 0, 1, 2 };
	static const char *const post_words[] = { "post", "rev", "r" };
	static const char *const dev_words[] = { "dev" };
	int i = take_word(c, pre_words, 8);

	p->pre = i < 0 ? -1 : pre_kind[i];
	if (i >= 0)
		take_number(c, &p->pre_n, &p->pre_len);
	if (c->s + 1 < c->end && *c->s == '-' && is_digit(c->s[1])) {
		p->post = 1; /* "1.0-1" is 1.0.post1 */
		c->s++;
		take_number(c, &p->post_n, &p->post_len);
	} else if (take_word(c, post_words, 3) >= 0) {
		p->post = 1;
		take_number(c, &p->post_n, &p->post_len);
	}
	if (take_word(c, dev_words, 1) >= 0) {
		p->dev = 1;
		take_number(c, &p->dev_n, &p->dev_len);
	}
}

/* +local: [a-z0-9]+ segments separated by . - _ */
static int
pep_local(struct pep_cursor *c, struct key_writer *w)
{
	if (c->s == c->end) {
		put_byte(w, KEY_NEG_INF);
		return 0;
	}
	if (*c->s++ != '+' || c->s == c->end)
		return ERR_PARSE;
	put_byte(w, LOCAL_SOME);
	while (c->s < c->end) {
		const char *seg = c->s;
		size_t n = 0, digits = 0;

		while (seg + n < c->end && is_alnum(seg[n]))
			digits += is_digit(seg[n++]);
		if (!n || (seg + n < c->end && (!is_sep(seg[n]) || seg + n + 1 == c->end)))
			return ERR_PARSE;
		if (digits == n) {
			put_byte(w, LOCAL_INT); /* numbers sort above strings in a local version */
			put_number(w, seg, n);
		} else {
			size_t i;

			put_byte(w, LOCAL_STR);
			for (i = 0; i < n; i++)
				put_byte(w, (unsigned char)(seg[i] | 0x20)); /* case-blind */
			put_byte(w, 0);
		}
		c->s = seg + n + (seg + n < c->end);
	}
	put_byte(w, KEY_END);
	return 0;
}

static int
pep440_key(const char *s, size_t n, struct key_writer *w)
{
	struct pep_cursor c = { s, s + n };
	struct pep_parts p = { .pre = -1 };
	size_t d;
	int rc;

	if (c.s < c.end && (*c.s == 'v' || *c.s == 'V'))
		c.s++;
	d = span_digits(c.s);
	if (d && c.s + d < c.end && c.s[d] == '!') {
		put_number(w, c.s, d);
		c.s += d + 1;
	} else {
		put_number(w, "0", 1);
	}
	rc = pep_release(&c, w);
	if (rc)
		return rc;
	pep_suffixes(&c, &p);
	if (p.pre >= 0) {
		put_byte(w, (unsigned char)(0x02 + p.pre));
		put_number(w, p.pre_n, p.pre_len);
	} else {
		put_byte(w, !p.post && p.dev ? KEY_NEG_INF : KEY_INF);
	}
	put_byte(w, p.post ? KEY_NUM : KEY_NEG_INF);
	if (p.post)
		put_number(w, p.post_n, p.post_len);
	put_byte(w, p.dev ? KEY_NEG_INF : KEY_INF);
	if (p.dev)
		put_number(w, p.dev_n, p.dev_len);
	return pep_local(&c, w);
}

/* ---- the API ---- */

static const struct {
	const char *ecosystem;
	enum version_scheme scheme;
} ecosystems[] = {
	{ "npm", VERSION_SCHEME_SEMVER },
	{ "Go", VERSION_SCHEME_SEMVER },
	{ "crates.io", VERSION_SCHEME_SEMVER },
	{ "PyPI", VERSION_SCHEME_PEP440 },
};

enum version_scheme
version_scheme_of(const char *ecosystem)
{
	size_t i;

	for (i = 0; ecosystem && i < sizeof(ecosystems) / sizeof(ecosystems[0]); i++)
		if (!strcasecmp(ecosystem, ecosystems[i].ecosystem))
			return ecosystems[i].scheme;
	return VERSION_SCHEME_NONE;
}

int
version_key_of(enum version_scheme scheme, const char *s, struct version_key *out)
{
	struct key_writer w = { out, 0 };
	size_t n;
	int rc;

	out->len = 0;
	if (scheme == VERSION_SCHEME_NONE)
		return ERR_USAGE;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (!n)
		return ERR_PARSE;
	rc = scheme == VERSION_SCHEME_SEMVER ? semver_key(s, n, &w) : pep440_key(s, n, &w);
	if (!rc)
		rc = w.rc;
	if (rc)
		out->len = 0;
	return rc;
}

int
version_key_cmp(const struct version_key *a, const struct version_key *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->b, b->b, n);

	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

int
version_cmp(const char *ecosystem, const char *a, const char *b, int *out_cmp)
{
	enum version_scheme scheme = version_scheme_of(ecosystem);
	struct version_key ka, kb;
	int rc, c;

	if (scheme == VERSION_SCHEME_NONE)
		return ERR_USAGE;
	rc = version_key_of(scheme, a, &ka);
	if (!rc)
		rc = version_key_of(scheme, b, &kb);
	if (rc)
		return rc;
	c = version_key_cmp(&ka, &kb);
	*out_cmp = c < 0 ? -1 : c > 0;
	return 0;
}
