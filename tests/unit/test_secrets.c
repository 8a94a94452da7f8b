/*
 * The secrets engine: the corpus in tests/data/secrets (written by
 * tools/gen-secret-corpus.py: every true example raises exactly its rule,
 * no false example raises anything) and one test per promise of secrets.h.
 */
#include "cmocka_prelude.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "analyze/rule.h"
#include "analyze/secret_rules.h"
#include "analyze/secrets.h"
#include "testutil.h"

#define CORPUS "tests/data/secrets"

struct hits {
	size_t n;
	char rule[8][16];
	char name[8][64];
	size_t line[8];
	char redacted[8][96];
};

static void
collect(const struct secret_hit *h, void *ctx)
{
	struct hits *hs = ctx;

	if (hs->n < 8) {
		snprintf(hs->rule[hs->n], sizeof(hs->rule[0]), "%s", h->rule_id);
		snprintf(hs->name[hs->n], sizeof(hs->name[0]), "%s", h->name ? h->name : "");
		hs->line[hs->n] = h->line;
		snprintf(hs->redacted[hs->n], sizeof(hs->redacted[0]), "%s", h->redacted);
	}
	hs->n++;
}

static struct secret_scanner *
scanner_for_corpus(void)
{
	static const char *const globs[] = { "*fixtures/*", "*.sample.*" };
	struct secrets_opts o;
	struct err err = { 0 };
	struct secret_scanner *s;

	secrets_opts_default(&o);
	o.exclude_globs = globs;
	o.n_exclude = 2;
	s = secrets_new(&o, &err);
	assert_non_null(s);
	return s;
}

/* Scans the one file under dir (rel is its path below the case directory). */
static void
scan_case(const struct secret_scanner *s, const char *dir, const char *rel, struct hits *hs)
{
	char full[1024];
	struct stat st;
	DIR *d;
	struct dirent *e;

	snprintf(full, sizeof(full), "%s/%s", dir, rel);
	if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
		size_t len = 0;
		char *data = test_read_file(full, &len);
		struct err err = { 0 };

		assert_non_null(data);
		if (!strcmp(rel + strlen(rel) - 8 > rel ? rel + strlen(rel) - 8 : rel,
		            "env.json")) {
			cJSON *vars = cJSON_Parse(data);

			assert_int_equal(secrets_scan_env(s, vars, collect, hs, &err), 0);
			cJSON_Delete(vars);
		} else {
			assert_int_equal(secrets_scan_file(s, rel, data, len, collect, hs, &err),
			                 0);
		}
		free(data);
		return;
	}
	d = opendir(full);
	assert_non_null(d);
	while ((e = readdir(d))) {
		char sub[1024];

		if (e->d_name[0] == '.' &&
		    (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		scan_case(s, dir, sub, hs);
	}
	closedir(d);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The case directories of true/ or false/, sorted. */
static char **
case_dirs(const char *kind, size_t *n)
{
	char **v = NULL;
	DIR *d = opendir(test_path(kind));
	struct dirent *e;

	*n = 0;
	assert_non_null(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		v = realloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), by_name);
	return v;
}

static void
test_corpus_full_precision_and_recall(void **state)
{
	struct secret_scanner *s = scanner_for_corpus();
	size_t n_true, n_false, i, tp = 0, fp = 0, fn = 0;
	char **trues = case_dirs(CORPUS "/true", &n_true);
	char **falses = case_dirs(CORPUS "/false", &n_false);
	char dir[1024];

	(void)state;
	for (i = 0; i < n_true; i++) {
		struct hits hs = { 0 };
		const char *want = strchr(trues[i], '.') + 1;

		snprintf(dir, sizeof(dir), "%s", test_path(CORPUS "/true"));
		snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/%s", trues[i]);
		scan_case(s, dir, "", &hs);
		if (hs.n == 1 && !strcmp(hs.rule[0], want)) {
			tp++;
			continue;
		}
		fn++;
		fp += hs.n;
		fprintf(stderr, "miss true/%s: %zu hits%s%s\n", trues[i], hs.n,
		        hs.n ? ", first " : "", hs.n ? hs.rule[0] : "");
	}
	for (i = 0; i < n_false; i++) {
		struct hits hs = { 0 };

		snprintf(dir, sizeof(dir), "%s/%s", test_path(CORPUS "/false"), falses[i]);
		scan_case(s, dir, "", &hs);
		if (hs.n) {
			fp += hs.n;
			fprintf(stderr, "false/%s: %s %s\n", falses[i], hs.rule[0], hs.name[0]);
		}
	}
	printf("precision %.4f recall %.4f (%zu true, %zu false)\n",
	       tp + fp ? (double)tp / (double)(tp + fp) : 1.0, (double)tp / (double)n_true, n_true,
	       n_false);
	assert_true(n_true >= 200 && n_false >= 200);
	assert_int_equal(fp, 0);
	assert_int_equal(fn, 0);
	for (i = 0; i < n_true; i++)
		free(trues[i]);
	for (i = 0; i < n_false; i++)
		free(falses[i]);
	free(trues);
	free(falses);
	secrets_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_full_precision_and_recall),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
