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

static struct secret_scanner *
scanner_default(void)
{
	struct err err = { 0 };
	struct secret_scanner *s = secrets_new(NULL, &err);

	assert_non_null(s);
	return s;
}

static void
scan_text(const struct secret_scanner *s, const char *path, const char *text, struct hits *hs)
{
	struct err err = { 0 };

	memset(hs, 0, sizeof(*hs));
	assert_int_equal(secrets_scan_file(s, path, text, strlen(text), collect, hs, &err), 0);
}

static void
test_env_key_id_and_secret_in_two_variables_make_one_pair(void **state)
{
	struct secret_scanner *s = scanner_default();
	cJSON *vars = cJSON_Parse(
	        "{\"AWS_ACCESS_KEY_ID\": \"AKIA2E3AQF3BXZ4CQWRT\","
	        "\"AWS_SECRET_ACCESS_KEY\": \"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\"}");
	struct hits hs = { 0 };
	struct err err = { 0 };

	(void)state;
	assert_int_equal(secrets_scan_env(s, vars, collect, &hs, &err), 0);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.rule[0], "SHR-SEC-001");
	assert_string_equal(hs.name[0], "AWS_ACCESS_KEY_ID");
	assert_int_equal(hs.line[0], 0);
	cJSON_Delete(vars);
	secrets_free(s);
}

static void
test_hit_holds_only_the_redacted_form(void **state)
{
	struct secret_scanner *s = scanner_default();
	const char *tok = "ghp_Zq3kW9xPm2Lr7Tb5Nc8Vd4Hs6Jf1Ga0Ye3Ku";
	char text[128];
	struct hits hs;

	(void)state;
	snprintf(text, sizeof(text), "line one\nconst t = '%s';\n", tok);
	scan_text(s, "src/a.js", text, &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.rule[0], "SHR-SEC-005");
	assert_int_equal(hs.line[0], 2);
	assert_null(strstr(hs.redacted[0], tok + 4));
	assert_non_null(strstr(hs.redacted[0], "sha256:"));
	secrets_free(s);
}

static void
test_excluded_path_is_not_read(void **state)
{
	static const char *const globs[] = { "vendor/*" };
	struct secrets_opts o;
	struct err err = { 0 };
	struct secret_scanner *s;
	struct hits hs;

	(void)state;
	secrets_opts_default(&o);
	o.exclude_globs = globs;
	o.n_exclude = 1;
	s = secrets_new(&o, &err);
	assert_non_null(s);
	scan_text(s, "vendor/x.js", "k = 'sk_live_Zq3kW9xPm2Lr7Tb5Nc8Vd4Hs'", &hs);
	assert_int_equal(hs.n, 0);
	scan_text(s, "src/x.js", "k = 'sk_live_Zq3kW9xPm2Lr7Tb5Nc8Vd4Hs'", &hs);
	assert_int_equal(hs.n, 1);
	secrets_free(s);
}

static void
test_entropy_threshold_is_an_option(void **state)
{
	struct secrets_opts o;
	struct err err = { 0 };
	struct secret_scanner *strict, *def = scanner_default();
	struct hits hs;
	const char *text = "DB_PASSWORD=q7Rw2LxZ9vKp4Tn8\n";

	(void)state;
	secrets_opts_default(&o);
	o.entropy_min = 5.5; /* more than 16 characters can carry */
	strict = secrets_new(&o, &err);
	assert_non_null(strict);
	scan_text(def, ".env", text, &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.rule[0], "SHR-SEC-080");
	scan_text(strict, ".env", text, &hs);
	assert_int_equal(hs.n, 0);
	o.entropy_min = 9;
	assert_null(secrets_new(&o, &err));
	assert_int_equal(err.code, ERR_USAGE);
	secrets_free(strict);
	secrets_free(def);
}

static void
test_binary_file_keeps_provider_rules_only(void **state)
{
	struct secret_scanner *s = scanner_default();
	const char bin[] = "\x7f"
	                   "ELF\0\0\0password=q7Rw2LxZ9vKp4Tn8 AKIA2E3AQF3BXZ4CQWRT\0";
	struct hits hs = { 0 };
	struct err err = { 0 };

	(void)state;
	assert_int_equal(secrets_scan_file(s, "bin/app", bin, sizeof(bin) - 1, collect, &hs, &err),
	                 0);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.rule[0], "SHR-SEC-002");
	assert_int_equal(hs.line[0], 0);
	secrets_free(s);
}

static void
test_env_not_an_object_is_a_parse_error(void **state)
{
	struct secret_scanner *s = scanner_default();
	cJSON *arr = cJSON_CreateArray();
	struct err err = { 0 };

	(void)state;
	assert_int_equal(secrets_scan_env(s, arr, collect, NULL, &err), ERR_PARSE);
	cJSON_Delete(arr);
	secrets_free(s);
}

static void
test_names_that_only_mention_secrets(void **state)
{
	(void)state;
	assert_true(secrets_name_is_secret("DB_PASSWORD", 11));
	assert_true(secrets_name_is_secret("apiKey", 6));
	assert_true(secrets_name_is_secret("client_secret", 13));
	assert_false(secrets_name_is_secret("PUBLIC_KEY_ID", 13));
	assert_false(secrets_name_is_secret("TOKEN_TTL", 9));
	assert_false(secrets_name_is_secret("KEY_PREFIX", 10));
	assert_false(secrets_name_is_secret("PASSWORD_MIN_LENGTH", 19));
	assert_false(secrets_name_is_secret("nextToken", 9));
}

static void
test_every_rule_id_is_in_the_catalog(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < secret_rules_n; i++) {
		if (secret_rules[i].rule_id)
			assert_non_null(rule_find(secret_rules[i].rule_id));
		if (secret_rules[i].pair_rule_id)
			assert_non_null(rule_find(secret_rules[i].pair_rule_id));
	}
	for (i = 0; i < secret_named_rules_n; i++)
		assert_non_null(rule_find(secret_named_rules[i].rule_id));
	assert_non_null(rule_find(SECRETS_GENERIC_ID));
	assert_non_null(rule_find("SHR-SEC-090"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_full_precision_and_recall),
		cmocka_unit_test(test_env_key_id_and_secret_in_two_variables_make_one_pair),
		cmocka_unit_test(test_hit_holds_only_the_redacted_form),
		cmocka_unit_test(test_excluded_path_is_not_read),
		cmocka_unit_test(test_entropy_threshold_is_an_option),
		cmocka_unit_test(test_binary_file_keeps_provider_rules_only),
		cmocka_unit_test(test_env_not_an_object_is_a_parse_error),
		cmocka_unit_test(test_names_that_only_mention_secrets),
		cmocka_unit_test(test_every_rule_id_is_in_the_catalog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
