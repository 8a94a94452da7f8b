#include "util/ini.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/xmalloc.h"

/* The parser's position: the section and key that indented lines continue. */
struct ini_state {
	const char *name;
	struct ini_file *f;
	struct ini_section *sec;
	struct ini_pair *pair; /* last key, NULL after a section header */
	size_t key_indent;
	int nested;       /* pair's value was empty: indented lines are k = v */
	size_t blank_run; /* blank lines seen inside a joined value */
	int line;
};

static void
pair_release(struct ini_pair *p)
{
	size_t i;

	for (i = 0; i < p->n_sub; i++)
		pair_release(&p->sub[i]);
	free(p->sub);
	if (p->value)
		explicit_bzero(p->value, strlen(p->value));
	free(p->value);
	free(p->key);
}

void
ini_release(struct ini_file *f)
{
	size_t i, j;

	if (!f)
		return;
	for (i = 0; i < f->n_sections; i++) {
		struct ini_section *s = &f->sections[i];

		for (j = 0; j < s->n_pairs; j++)
			pair_release(&s->pairs[j]);
		free(s->pairs);
		free(s->name);
	}
	free(f->sections);
	f->sections = NULL;
	f->n_sections = 0;
}

static int
fail(struct ini_state *st, enum err_code code, const char *what, struct err *err)
{
	return err_set(err, code, "cannot read '%s': line %d: %s", st->name, st->line, what);
}

/* Trims spaces and tabs at both ends of [*s, *e). */
static void
trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t' || **s == '\r'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

static char *
dup_lower(const char *s, size_t n)
{
	char *out = xstrndup(s, n);
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return out;
}

/* Splits "k = v" (or "k: v"); returns 0 or -1 when there is no delimiter. */
static int
split_pair(const char *s, const char *e, int colon_ok, struct ini_pair *out, int lower)
{
	const char *d = s, *ks = s, *ke, *vs, *ve = e;

	while (d < e && *d != '=' && !(colon_ok && *d == ':'))
		d++;
	if (d == e)
		return -1;
	ke = d;
	vs = d + 1;
	trim(&ks, &ke);
	trim(&vs, &ve);
	memset(out, 0, sizeof(*out));
	out->key = lower ? dup_lower(ks, (size_t)(ke - ks)) : xstrndup(ks, (size_t)(ke - ks));
	out->value = xstrndup(vs, (size_t)(ve - vs));
	return 0;
}

static int
on_section(struct ini_state *st, const char *s, const char *e, struct err *err)
{
	struct ini_file *f = st->f;
	struct ini_section *sec;
	char *name;

	/* configparser's greedy "\[(.+)\]": up to the last ']', the rest ignored */
	while (e > s + 1 && e[-1] != ']')
		e--;
	if (e - s < 2)
		return fail(st, ERR_PARSE, "expected ']'", err);
	s++;
	e--;
	trim(&s, &e);
	if (s == e)
		return fail(st, ERR_PARSE, "empty section name", err);
	name = xstrndup(s, (size_t)(e - s));
	if (ini_section_find(f, name)) {
		free(name);
		return fail(st, ERR_PARSE, "section repeated", err);
	}
	f->sections = xrealloc(f->sections, (f->n_sections + 1) * sizeof(*f->sections));
	sec = &f->sections[f->n_sections++];
	memset(sec, 0, sizeof(*sec));
	sec->name = name;
	sec->line = st->line;
	st->sec = sec;
	st->pair = NULL;
	return 0;
}

static int
on_key(struct ini_state *st, const char *s, const char *e, size_t indent, struct err *err)
{
	struct ini_section *sec = st->sec;
	struct ini_pair p;

	if (!sec)
		return fail(st, ERR_PARSE, "expected a [section] first", err);
	if (split_pair(s, e, 1, &p, 1))
		return fail(st, ERR_PARSE, "expected '='", err);
	if (!p.key[0] || ini_pair_find(sec, p.key)) {
		int empty = !p.key[0];

		pair_release(&p);
		return fail(st, ERR_PARSE, empty ? "empty key" : "key repeated", err);
	}
	p.line = st->line;
	sec->pairs = xrealloc(sec->pairs, (sec->n_pairs + 1) * sizeof(*sec->pairs));
	sec->pairs[sec->n_pairs] = p;
	st->pair = &sec->pairs[sec->n_pairs++];
	st->key_indent = indent;
	st->nested = !p.value[0];
	st->blank_run = 0;
	return 0;
}

/* An indented line after a key: a nested "k = v", or more of the value. */
static int
on_continuation(struct ini_state *st, const char *s, const char *e, struct err *err)
{
	struct ini_pair *p = st->pair, sub;
	size_t old, add;

	if (st->nested) {
		if (split_pair(s, e, 0, &sub, 0))
			return fail(st, ERR_PARSE, "expected '='", err);
		sub.line = st->line;
		p->sub = xrealloc(p->sub, (p->n_sub + 1) * sizeof(*p->sub));
		p->sub[p->n_sub++] = sub;
		return 0;
	}
	old = strlen(p->value);
	add = st->blank_run + 1 + (size_t)(e - s);
	p->value = xrealloc(p->value, old + add + 1);
	memset(p->value + old, '\n', st->blank_run + 1);
	memcpy(p->value + old + st->blank_run + 1, s, (size_t)(e - s));
	p->value[old + add] = '\0';
	st->blank_run = 0;
	return 0;
}

static int
on_line(struct ini_state *st, const char *s, const char *e, struct err *err)
{
	const char *ts = s, *te = e;
	size_t indent;

	trim(&ts, &te);
	indent = (size_t)(ts - s);
	if (ts == te) {
		st->blank_run += st->pair != NULL;
		return 0;
	}
	if (*ts == '#' || *ts == ';')
		return 0;
	if (st->pair && indent > st->key_indent)
		return on_continuation(st, ts, te, err);
	if (*ts == '[')
		return on_section(st, ts, te, err);
	return on_key(st, ts, te, indent, err);
}

int
ini_parse(const char *data, size_t len, const char *name, struct ini_file *out, struct err *err)
{
	struct ini_state st = { .name = name ? name : "config", .f = out, .line = 0 };
	const char *p = data, *end = data + len;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (len > INI_MAX_BYTES)
		return err_set(err, ERR_LIMIT, "cannot read '%s': over %zu bytes", st.name,
		               INI_MAX_BYTES);
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		st.line++;
		if (memchr(p, '\0', (size_t)(le - p)))
			rc = fail(&st, ERR_PARSE, "unexpected NUL byte", err);
		else
			rc = on_line(&st, p, le, err);
		p = nl ? nl + 1 : end;
	}
	if (rc)
		ini_release(out);
	return rc;
}

static int
read_all(int fd, const char *name, struct buf *b, struct err *err)
{
	char chunk[8192];
	ssize_t got;

	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return err_set(err, ERR_IO, "cannot read '%s': %s", name, strerror(errno));
		if (buf_append(b, chunk, (size_t)got))
			return err_set(err, ERR_LIMIT, "cannot read '%s': over %zu bytes", name,
			               INI_MAX_BYTES);
	}
	explicit_bzero(chunk, sizeof(chunk));
	return 0;
}

int
ini_load(const char *path, const char *name, struct ini_file *out, struct err *err)
{
	struct buf b;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	if (!name)
		name = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return err_set(err, ERR_NOTFOUND, "cannot read '%s': no such file", name);
	if (fd < 0)
		return err_set(err, ERR_IO, "cannot read '%s': %s", name, strerror(errno));
	buf_init(&b, INI_MAX_BYTES);
	rc = read_all(fd, name, &b, err);
	close(fd);
	if (!rc)
		rc = ini_parse(b.data ? b.data : "", b.len, name, out, err);
	if (b.data)
		explicit_bzero(b.data, b.len);
	buf_release(&b);
	return rc;
}

const struct ini_section *
ini_section_find(const struct ini_file *f, const char *name)
{
	size_t i;

	for (i = 0; f && i < f->n_sections; i++)
		if (!strcmp(f->sections[i].name, name))
			return &f->sections[i];
	return NULL;
}

const struct ini_pair *
ini_pair_find(const struct ini_section *s, const char *key)
{
	size_t i;

	for (i = 0; s && i < s->n_pairs; i++)
		if (!strcmp(s->pairs[i].key, key))
			return &s->pairs[i];
	return NULL;
}

const char *
ini_get(const struct ini_section *s, const char *key)
{
	const struct ini_pair *p = ini_pair_find(s, key);

	return p ? p->value : NULL;
}

const char *
ini_get_sub(const struct ini_section *s, const char *key, const char *sub)
{
	const struct ini_pair *p = ini_pair_find(s, key);
	size_t i;

	/* botocore builds a dict: the last of a repeated nested key wins */
	for (i = p ? p->n_sub : 0; i > 0; i--)
		if (!strcmp(p->sub[i - 1].key, sub))
			return p->sub[i - 1].value;
	return NULL;
}
