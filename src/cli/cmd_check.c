/*
 * shears check PATH [--format text|json|csv|md|sarif] [--output FILE]
 *                   [--fail-on SEVERITY] [--advisories OSV.zip|DIR]
 * The CI gate: secrets, dependencies and permissions on a package, a folder
 * or a policy document, with no AWS access. Exit 0 when nothing at or above
 * --fail-on (default low: every finding but info), 1 when something is,
 * 2 for usage or input errors. Advisories come from --advisories (imported
 * into a throw-away cache) or the cache's own (shears advisories import).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyze/check_path.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "report/report.h"
#include "store/advisory.h"

struct check_args {
	const char *path, *output, *advisories;
	int text;
	enum report_format fmt;
	enum severity fail_on;
};

static int
parse_args(int argc, char **argv, struct check_args *a)
{
	int i;

	a->text = 1;
	a->fail_on = SEV_LOW;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			a->text = !strcmp(argv[++i], "text");
			if (!a->text && report_format_parse(argv[i], &a->fmt))
				return usage_error(
				        "check: --format is text, json, csv, md or sarif, "
				        "not '%s'",
				        argv[i]);
		} else if (!strcmp(argv[i], "--output") && i + 1 < argc) {
			a->output = argv[++i];
		} else if (!strcmp(argv[i], "--fail-on") && i + 1 < argc) {
			if (severity_parse(argv[++i], &a->fail_on))
				return usage_error(
				        "check: --fail-on is critical, high, medium, low or "
				        "info, not '%s'",
				        argv[i]);
		} else if (!strcmp(argv[i], "--advisories") && i + 1 < argc) {
			a->advisories = argv[++i];
		} else if (argv[i][0] == '-' || a->path) {
			return usage_error("check: unexpected argument '%s'", argv[i]);
		} else {
			a->path = argv[i];
		}
	}
	if (!a->path)
		return usage_error("check: give a package (zip), a folder or a policy document%s",
		                   "");
	return 0;
}

/* The advisories to match against: a throw-away cache for --advisories, else the cache's. */
static struct store *
open_advisories(const struct cli *cli, const struct check_args *a, char *tmpdir, size_t n,
                struct err *err)
{
	struct advisory_import_stats st;
	struct store *s = NULL;
	char path[4200];

	if (!a->advisories) {
		if (cli_store(cli, STORE_READONLY, &s, err)) {
			err_clear(err);
			return NULL;
		}
		return s;
	}
	snprintf(tmpdir, n, "%s/shears-check-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir)) {
		err_set(err, ERR_IO, "cannot make a temporary folder in %s", tmpdir);
		tmpdir[0] = '\0';
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/advisories.db", tmpdir);
	if (store_open(path, 0, &s, err) || advisories_import(s, a->advisories, &st, err)) {
		store_close(s);
		return NULL;
	}
	return s;
}

static void
drop_tmp(const char *tmpdir)
{
	char path[4200];
	static const char *const files[] = { "advisories.db", "advisories.db-wal",
		                             "advisories.db-shm" };
	size_t i;

	if (!tmpdir[0])
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

static int
print_text(const struct findings *f, const struct check_stats *st, const char *path)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		printf("%-8s %-12s %s: %s\n", severity_name(f->v[i].severity), f->v[i].rule->id,
		       f->v[i].location[0] ? f->v[i].location : path, f->v[i].evidence);
	if (st->policy)
		printf("%zu finding%s in the policy document %s\n", f->n, f->n == 1 ? "" : "s",
		       path);
	else
		printf("%zu finding%s in %llu files (%llu bytes), %zu installed packages%s\n", f->n,
		       f->n == 1 ? "" : "s", (unsigned long long)st->files,
		       (unsigned long long)st->bytes, st->deps,
		       st->advisories || !st->deps ? "" : " (not matched: no advisories imported)");
	return 0;
}

static int
write_report(const struct check_args *a, const struct findings *f, struct err *err)
{
	struct report_item *items = calloc(f->n + 1, sizeof(*items));
	struct report r = { .tool_version = SHEARS_VERSION,
		            .source = "check",
		            .target = a->path,
		            .generated = time(NULL) };
	FILE *out = stdout;
	size_t i;
	int rc;

	if (!items)
		return err_set(err, ERR_LIMIT, "out of memory");
	for (i = 0; i < f->n; i++)
		items[i] = (struct report_item){ &f->v[i], "open", NULL, NULL, NULL, NULL };
	r.items = items;
	r.n_items = f->n;
	if (a->output && !(out = fopen(a->output, "w"))) {
		free(items);
		return err_set(err, ERR_IO, "cannot write %s", a->output);
	}
	rc = report_write(out, a->fmt, &r, err);
	if (out != stdout && fclose(out) && !rc)
		rc = err_set(err, ERR_IO, "cannot write %s", a->output);
	free(items);
	return rc;
}

int
cmd_check(struct cli *cli, int argc, char **argv)
{
	struct check_args a = { 0 };
	struct shears_config cfg;
	struct secrets_opts so;
	struct check_stats st;
	struct findings f = { 0 };
	struct err err = { 0 };
	struct store *adv = NULL;
	char tmpdir[4096] = "";
	size_t i;
	int rc, worst = -1;

	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc;
	rc = config_load(&cfg, NULL, &err);
	config_secrets(&cfg, &so);
	if (!rc) {
		adv = open_advisories(cli, &a, tmpdir, sizeof(tmpdir), &err);
		rc = err.code ? (int)err.code : 0;
	}
	if (!rc)
		rc = check_path(a.path, &so, adv, &f, &st, &err);
	if (!rc)
		rc = a.text ? print_text(&f, &st, a.path) : write_report(&a, &f, &err);
	for (i = 0; i < f.n; i++)
		if ((int)f.v[i].severity > worst)
			worst = (int)f.v[i].severity;
	store_close(adv);
	drop_tmp(tmpdir);
	findings_free(&f);
	config_release(&cfg);
	if (rc) {
		print_err(&err);
		return EXIT_USAGE; /* input errors: the gate could not decide */
	}
	return worst >= (int)a.fail_on ? EXIT_FAIL : 0;
}
