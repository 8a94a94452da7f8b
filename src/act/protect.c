/*
 * Which accounts and resources shears refuses to act on. A production
 * account is recognised by its alias (the convention the issue names:
 * "prod" anywhere, any case); an account whose aliases cannot be read is
 * treated as protected too, since refusing is the safe mistake.
 */
#include "act/act.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int
allowed(const struct act_protect *p, const char *what)
{
	size_t i;

	for (i = 0; what && p && i < p->n_allow; i++)
		if (!strcmp(p->allow[i], what))
			return 1;
	return 0;
}

static int
has_prod(const char *alias)
{
	size_t i, n = strlen(alias);

	for (i = 0; i + 4 <= n; i++)
		if (!strncasecmp(alias + i, "prod", 4))
			return 1;
	return 0;
}

static int
account_protected(const struct act_protect *p, const char *account, const char *const *aliases,
                  long n_aliases, char *why, size_t n)
{
	long i;

	if (allowed(p, account))
		return 0;
	if (n_aliases < 0) {
		snprintf(why, n,
		         "the aliases of account %s could not be read (a production "
		         "account is known by its alias): allow the account to act on it",
		         account);
		return 1;
	}
	for (i = 0; i < n_aliases; i++) {
		if (!has_prod(aliases[i]) || allowed(p, aliases[i]))
			continue;
		snprintf(why, n,
		         "account %s has the alias '%s' (production): allow it to act on it",
		         account, aliases[i]);
		return 1;
	}
	return 0;
}

/* "tag:KEY=VALUE" (globs on both) against the target's tags {KEY: VALUE}. */
static int
tag_matches(const char *pattern, const cJSON *tags)
{
	const char *eq = strchr(pattern + 4, '=');
	char key[256];
	const cJSON *t;
	size_t len;

	if (!eq || !cJSON_IsObject(tags))
		return 0;
	len = (size_t)(eq - (pattern + 4));
	if (len >= sizeof(key))
		return 0;
	memcpy(key, pattern + 4, len);
	key[len] = '\0';
	cJSON_ArrayForEach(t, tags)
	{
		if (t->string && cJSON_IsString(t) && !fnmatch(key, t->string, 0) &&
		    !fnmatch(eq + 1, t->valuestring, 0))
			return 1;
	}
	return 0;
}

int
act_protected(const struct act_protect *p, const char *account, const char *const *aliases,
              long n_aliases, const char *arn, const char *name, char *why, size_t n)
{
	size_t i;

	if (account && account_protected(p, account, aliases, n_aliases, why, n))
		return 1;
	for (i = 0; p && i < p->n_patterns; i++) {
		if (!strncmp(p->patterns[i], "tag:", 4)) {
			if (tag_matches(p->patterns[i], p->tags)) {
				snprintf(why, n, "'%s' is protected (its tags match '%s')",
				         name ? name : arn, p->patterns[i]);
				return 1;
			}
			continue;
		}
		if ((arn && !fnmatch(p->patterns[i], arn, 0)) ||
		    (name && !fnmatch(p->patterns[i], name, 0))) {
			snprintf(why, n, "'%s' is protected (pattern '%s')", name ? name : arn,
			         p->patterns[i]);
			return 1;
		}
	}
	return 0;
}
