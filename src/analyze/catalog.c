/*
 * The catalog: every family's rows in one list, in id order. Built once on
 * first use; a duplicate id is a programming error and aborts, so two
 * families can never claim one id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/rule.h"
#include "util/xmalloc.h"

static const struct rule_table *const families[] = {
	&rules_secrets,  &rules_dependencies, &rules_permissions,
	&rules_exposure, &rules_hygiene,      &rules_behaviour,
};

static const struct rule **sorted;
static size_t n_sorted;

static int
by_id(const void *a, const void *b)
{
	return strcasecmp((*(const struct rule *const *)a)->id,
	                  (*(const struct rule *const *)b)->id);
}

static void
catalog_build(void)
{
	size_t i, j, n = 0;

	if (sorted)
		return;
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		n += families[i]->n;
	sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		for (j = 0; j < families[i]->n; j++)
			sorted[n_sorted++] = &families[i]->rows[j];
	qsort(sorted, n_sorted, sizeof(*sorted), by_id);
	for (i = 1; i < n_sorted; i++) {
		if (!strcasecmp(sorted[i - 1]->id, sorted[i]->id)) {
			fprintf(stderr, "shears: internal error: rule id %s twice\n",
			        sorted[i]->id);
			abort();
		}
	}
}

size_t
rule_count(void)
{
	catalog_build();
	return n_sorted;
}

const struct rule *
rule_at(size_t i)
{
	catalog_build();
	return i < n_sorted ? sorted[i] : NULL;
}

const struct rule *
rule_find(const char *id)
{
	size_t lo = 0, hi;

	catalog_build();
	hi = n_sorted;
	while (id && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcasecmp(id, sorted[mid]->id);

		if (!c)
			return sorted[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const char *const severity_names[] = { "info", "low", "medium", "high", "critical" };

const char *
severity_name(enum severity s)
{
	return (unsigned)s < 5 ? severity_names[s] : "unknown";
}

int
severity_parse(const char *s, enum severity *out)
{
	int i;

	for (i = 0; s && i < 5; i++) {
		if (!strcasecmp(s, severity_names[i])) {
			*out = (enum severity)i;
			return 0;
		}
	}
	return -1;
}

const char *
remedy_name(enum remedy r)
{
	static const char *const names[] = {
		"manual",          "prune",           "quarantine",
		"shorten-timeout", "tighten-role",    "close-public",
		"prune-role",      "prune-log-group", "prune-layer-version"
	};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "manual";
}
