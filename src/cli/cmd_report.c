/*
 * shears report --format json|csv|md|sarif [--output FILE] [--all]
 * The cache's findings (open and accepted; --all adds fixed ones) and the
 * functions' scores, through the writers of src/report. --output writes a
 * new file 0600 (a report names the account's weak points) and replaces it
 * only when the whole report was written.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze/finding.h"
#include "cli/cli.h"
#include "report/report.h"
#include "store/findings.h"
#include "store/query.h"
#include "util/xmalloc.h"

struct names {
	struct store_rows rows; /* every resource: name and region by ARN */
};

static int
by_arn(const void *a, const void *b)
{
	return strcmp(((const struct store_row *)a)->arn, ((const struct store_row *)b)->arn);
}

/* nm->rows sorted by ARN first (names_sort). */
static const struct store_row *
row_of(const struct names *nm, const char *arn)
{
	struct store_row key = { .arn = arn };

	return bsearch(&key, nm->rows.v, nm->rows.n, sizeof(*nm->rows.v), by_arn);
}

/* The report's items and findings from the store's rows (strings borrowed from them). */
static void
build_items(const struct store_findings *sf, const struct names *nm, struct finding *fv,
            struct report_item *items, size_t *n, char (*until)[16])
{
	size_t i;

	*n = 0;
	for (i = 0; i < sf->n; i++) {
		const struct store_finding *r = &sf->v[i];
		const struct rule *rule = rule_find(r->rule);
		const struct store_row *row = row_of(nm, r->resource);
		enum severity sev = rule ? rule->severity : SEV_INFO;

		if (!rule)
			continue; /* a rule this shears no longer has */
		severity_parse(r->severity, &sev);
		fv[*n] = (struct finding){ rule, sev, (char *)r->resource, (char *)r->location,
			                   (char *)r->evidence };
		until[*n][0] = '\0';
		if (r->until) {
			time_t t = (time_t)r->until;
			struct tm tm;

			if (gmtime_r(&t, &tm))
				strftime(until[*n], sizeof(until[*n]), "%Y-%m-%d", &tm);
		}
		items[*n] = (struct report_item){ &fv[*n],
			                          r->status,
			                          r->reason,
			                          until[*n][0] ? until[*n] : NULL,
			                          row ? row->name : NULL,
			                          row ? row->region : NULL };
		(*n)++;
	}
}

static int
write_to(const char *path, enum report_format fmt, const struct report *r, struct err *err)
{
	char tmp[4096];
	FILE *out;
	int fd, rc;

	if (!path)
		return report_write(stdout, fmt, r, err);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
		return err_set(err, ERR_USAGE, "--output path is too long");
	fd = mkstemp(tmp);
	if (fd < 0)
		return err_set(err, ERR_IO, "cannot write next to %s", path);
	fchmod(fd, 0600);
	out = fdopen(fd, "w");
	if (!out) {
		close(fd);
		unlink(tmp);
		return err_set(err, ERR_IO, "cannot write %s", tmp);
	}
	rc = report_write(out, fmt, r, err);
	if (fclose(out) && !rc)
		rc = err_set(err, ERR_IO, "cannot write %s", tmp);
	if (!rc && rename(tmp, path))
		rc = err_set(err, ERR_IO, "cannot replace %s", path);
	if (rc)
		unlink(tmp);
	return rc;
}

static int
parse_args(int argc, char **argv, enum report_format *fmt, const char **output, int *all)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			if (report_format_parse(argv[++i], fmt))
				return usage_error(
				        "report: --format is json, csv, md or sarif, not '%s'",
				        argv[i]);
		} else if (!strcmp(argv[i], "--output") && i + 1 < argc) {
			*output = argv[++i];
		} else if (!strcmp(argv[i], "--all")) {
			*all = 1;
		} else {
			return usage_error("report: unknown argument '%s'", argv[i]);
		}
	}
	return 0;
}

int
cmd_report(struct cli *cli, int argc, char **argv)
{
	enum report_format fmt = REPORT_JSON;
	const char *output = NULL;
	struct store_list_query q = { 0 };
	struct store_overview ov = { 0 };
	struct store_findings sf = { 0 };
	struct store_scores ss = { 0 };
	struct names nm = { { 0 } };
	struct report r = { 0 };
	struct err err = { 0 };
	struct store *s = NULL;
	struct finding *fv = NULL;
	struct report_item *items = NULL;
	struct report_score *scores = NULL;
	char(*until)[16] = NULL;
	int all = 0, rc;
	size_t i;

	rc = parse_args(argc, argv, &fmt, &output, &all);
	if (rc)
		return rc;
	rc = cli_store(cli, STORE_READONLY, &s, &err);
	rc = rc ? rc : store_overview_load(s, &ov, &err);
	rc = rc ? rc
	        : store_findings_list(s, NULL, all ? STORE_FINDINGS_FIXED : 0, time(NULL), &sf,
	                              &err);
	rc = rc ? rc : store_scores_list(s, &ss, &err);
	rc = rc ? rc : store_list(s, &q, &nm.rows, &err);
	if (!rc) {
		qsort(nm.rows.v, nm.rows.n, sizeof(*nm.rows.v), by_arn);
		fv = xcalloc(sf.n + 1, sizeof(*fv));
		items = xcalloc(sf.n + 1, sizeof(*items));
		until = xcalloc(sf.n + 1, sizeof(*until));
		scores = xcalloc(ss.n + 1, sizeof(*scores));
		r.tool_version = SHEARS_VERSION;
		r.source = "cache";
		r.target = ov.account ? ov.account : "";
		r.generated = time(NULL);
		r.scanned = (time_t)ov.finished;
		build_items(&sf, &nm, fv, items, &r.n_items, until);
		r.items = items;
		for (i = 0; i < ss.n; i++) {
			const struct store_row *row = row_of(&nm, ss.v[i].resource);

			scores[i] = (struct report_score){ ss.v[i].resource,
				                           row ? row->name : NULL,
				                           row ? row->region : NULL,
				                           ss.v[i].score,
				                           ss.v[i].base,
				                           ss.v[i].public_entry,
				                           ss.v[i].reaches_data };
		}
		r.scores = scores;
		r.n_scores = ss.n;
		rc = write_to(output, fmt, &r, &err);
	}
	free(fv);
	free(items);
	free(until);
	free(scores);
	store_rows_release(&nm.rows);
	store_scores_release(&ss);
	store_findings_release(&sf);
	store_overview_release(&ov);
	store_close(s);
	if (rc) {
		print_err(&err);
		return EXIT_FAIL;
	}
	return 0;
}
