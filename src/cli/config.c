#include "cli/config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/secrets.h"
#include "util/ini.h"
#include "util/xmalloc.h"

/* A key of [analyze]: where it goes and what it may be. */
struct num_key {
	const char *key;
	size_t off; /* offset into struct analyze_opts */
	int is_int;
	double lo, hi;
};

#define OPT(f) offsetof(struct analyze_opts, f)
static const struct num_key analyze_keys[] = {
	{ "dead_days", OPT(dead_days), 1, 1, 3650 },
	{ "unused_days", OPT(unused_days), 1, 1, 3650 },
	{ "timeout_margin", OPT(timeout_margin), 0, 1, 100 },
	{ "timeout_min_s", OPT(timeout_min_s), 1, 1, 900 },
	{ "timeout_ratio", OPT(timeout_ratio), 0, 1, 1000 },
	{ "timeout_min_gap_s", OPT(timeout_min_gap_s), 1, 0, 900 },
	{ "runtime_warn_days", OPT(runtime_warn_days), 1, 0, 3650 },
	{ "baseline_days", OPT(baseline_days), 1, 7, 365 },
	{ "recent_days", OPT(recent_days), 1, 1, 60 },
	{ "deviation_threshold", OPT(deviation_threshold), 0, 1, 1000 },
};
#undef OPT

static int
bad(struct err *err, const char *name, int line, const char *fmt, const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, what);
	return err_set(err, ERR_PARSE, "%s: line %d: %s", name, line, msg);
}

static int
parse_number(const char *s, double lo, double hi, int is_int, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < lo || v > hi)
		return -1;
	if (is_int && floor(v) != v)
		return -1;
	*out = v;
	return 0;
}

static int
analyze_section(struct shears_config *c, const struct ini_section *s, const char *name,
                struct err *err)
{
	size_t i, k;

	for (i = 0; i < s->n_pairs; i++) {
		const struct ini_pair *p = &s->pairs[i];
		double v;

		for (k = 0; k < sizeof(analyze_keys) / sizeof(analyze_keys[0]); k++)
			if (!strcmp(p->key, analyze_keys[k].key))
				break;
		if (k == sizeof(analyze_keys) / sizeof(analyze_keys[0]))
			return bad(err, name, p->line, "unknown key '%s' in [analyze]", p->key);
		if (parse_number(p->value, analyze_keys[k].lo, analyze_keys[k].hi,
		                 analyze_keys[k].is_int, &v))
			return bad(err, name, p->line,
			           "'%s' wants a number in its documented range", p->key);
		if (analyze_keys[k].is_int)
			*(int *)((char *)&c->analyze + analyze_keys[k].off) = (int)v;
		else
			*(double *)((char *)&c->analyze + analyze_keys[k].off) = v;
	}
	return 0;
}

/* "a, b" or one item per continuation line, appended to list (at most CONFIG_MAX_EXCLUDES). */
static int
add_list(char **list, size_t *n, const char *value, const char *name, int line, struct err *err)
{
	const char *p = value;

	while (*p) {
		size_t len = strcspn(p, ",\n");
		const char *start = p;

		p += len;
		if (*p)
			p++;
		while (len && (*start == ' ' || *start == '\t'))
			start++, len--;
		while (len && (start[len - 1] == ' ' || start[len - 1] == '\t'))
			len--;
		if (!len)
			continue;
		if (*n == CONFIG_MAX_EXCLUDES)
			return bad(err, name, line, "more than %s items in a list", "64");
		list[(*n)++] = xstrndup(start, len);
	}
	return 0;
}

static int
secrets_section(struct shears_config *c, const struct ini_section *s, const char *name,
                struct err *err)
{
	size_t i;

	for (i = 0; i < s->n_pairs; i++) {
		const struct ini_pair *p = &s->pairs[i];
		double v;
		int rc = 0;

		if (!strcmp(p->key, "exclude")) {
			rc = add_list(c->exclude, &c->n_exclude, p->value, name, p->line, err);
		} else if (!strcmp(p->key, "entropy_min")) {
			if (parse_number(p->value, 1, 8, 0, &v))
				rc = bad(err, name, p->line,
				         "'%s' wants bits per character, 1 to 8", p->key);
			c->entropy_min = v;
		} else if (!strcmp(p->key, "entropy_min_len")) {
			if (parse_number(p->value, 6, 1024, 1, &v))
				rc = bad(err, name, p->line, "'%s' wants a length, 6 to 1024",
				         p->key);
			c->entropy_min_len = (size_t)v;
		} else {
			rc = bad(err, name, p->line, "unknown key '%s' in [secrets]", p->key);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int
act_section(struct shears_config *c, const struct ini_section *s, const char *name, struct err *err)
{
	size_t i;

	for (i = 0; i < s->n_pairs; i++) {
		const struct ini_pair *p = &s->pairs[i];
		int rc = 0;

		if (!strcmp(p->key, "protect"))
			rc = add_list(c->protect, &c->n_protect, p->value, name, p->line, err);
		else if (!strcmp(p->key, "allow_accounts"))
			rc = add_list(c->allow_accounts, &c->n_allow_accounts, p->value, name,
			              p->line, err);
		else if (!strcmp(p->key, "read_only") &&
		         (!strcmp(p->value, "true") || !strcmp(p->value, "false")))
			c->read_only = !strcmp(p->value, "true");
		else if (!strcmp(p->key, "read_only"))
			rc = bad(err, name, p->line, "'%s' is true or false", p->key);
		else
			rc = bad(err, name, p->line, "unknown key '%s' in [act]", p->key);
		if (rc)
			return rc;
	}
	return 0;
}

int
config_parse(struct shears_config *c, const char *text, size_t len, const char *name,
             struct err *err)
{
	struct ini_file f = { 0 };
	size_t i;
	int rc = ini_parse(text, len, name, &f, err);

	for (i = 0; !rc && i < f.n_sections; i++) {
		const struct ini_section *s = &f.sections[i];

		if (!strcmp(s->name, "analyze"))
			rc = analyze_section(c, s, name, err);
		else if (!strcmp(s->name, "secrets"))
			rc = secrets_section(c, s, name, err);
		else if (!strcmp(s->name, "act"))
			rc = act_section(c, s, name, err);
		else
			rc = bad(err, name, s->line, "unknown section [%s] (analyze, secrets, act)",
			         s->name);
	}
	ini_release(&f);
	return rc;
}

int
config_default_path(char *out, size_t n, struct err *err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		snprintf(out, n, "%s/shears/config", xdg);
	else if (home && *home)
		snprintf(out, n, "%s/.config/shears/config", home);
	else
		return err_set(err, ERR_CONFIG, "neither XDG_CONFIG_HOME nor HOME is set");
	return 0;
}

int
config_load(struct shears_config *c, const char *path, struct err *err)
{
	char def[4096];
	char *text;
	size_t len;
	FILE *fp;
	int rc;

	memset(c, 0, sizeof(*c));
	analyze_opts_default(&c->analyze);
	if (!path) {
		rc = config_default_path(def, sizeof(def), err);
		if (rc)
			return rc == ERR_CONFIG ? (err_clear(err), 0) : rc; /* no home: defaults */
		path = def;
	}
	fp = fopen(path, "r");
	if (!fp)
		return errno == ENOENT ? 0 : err_set(err, ERR_CONFIG, "cannot read %s", path);
	text = xmalloc(INI_MAX_BYTES + 1);
	len = fread(text, 1, INI_MAX_BYTES + 1, fp);
	fclose(fp);
	if (len > INI_MAX_BYTES) {
		free(text);
		return err_set(err, ERR_LIMIT, "%s is larger than 4 MiB", path);
	}
	snprintf(c->path, sizeof(c->path), "%s", path);
	rc = config_parse(c, text, len, path, err);
	free(text);
	return rc;
}

void
config_release(struct shears_config *c)
{
	size_t i;

	for (i = 0; i < c->n_exclude; i++)
		free(c->exclude[i]);
	for (i = 0; i < c->n_protect; i++)
		free(c->protect[i]);
	for (i = 0; i < c->n_allow_accounts; i++)
		free(c->allow_accounts[i]);
	c->n_exclude = c->n_protect = c->n_allow_accounts = 0;
}

void
config_secrets(const struct shears_config *c, struct secrets_opts *so)
{
	secrets_opts_default(so);
	if (c->entropy_min > 0)
		so->entropy_min = c->entropy_min;
	if (c->entropy_min_len > 0)
		so->entropy_min_len = c->entropy_min_len;
	so->exclude_globs = (const char *const *)c->exclude;
	so->n_exclude = c->n_exclude;
}
