/*
 * The CODE phase: what is inside the functions' code packages and layers.
 *
 *  1. Environment variables: every function's raw values (in memory only,
 *     LAMBDA_ENV_RAW) go through the secrets scanner; what it finds is kept
 *     in attrs "EnvSecrets" as {name, rule, what, redacted}.
 *  2. Packages: each unique CodeSha256 (a function's zip from GetFunction's
 *     Code.Location, a layer version's from GetLayerVersion's
 *     Content.Location, both kept in attrs "_code_location" for this scan
 *     only) that the cache has not read before is downloaded (aws/fetch.c),
 *     read as hostile input with limits (analyze/package.c), and each file
 *     seen once by the secrets scanner and the dependency readers. The
 *     results go to the cache by CodeSha256 with the scan (write_model), so
 *     a package shared by many functions, or unchanged across scans, is
 *     read once.
 *  3. A package that cannot be downloaded or read is a gap, like any call.
 * --quick reads no package and keeps what the cache has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/deps.h"
#include "analyze/package.h"
#include "analyze/secrets.h"
#include "aws/fetch.h"
#include "collect/collectors.h"
#include "collect/lambda_int.h"
#include "collect/scan_int.h"
#include "store/packages.h"
#include "util/json.h"
#include "util/termsafe.h"
#include "util/xmalloc.h"

#define CODE_MAX_BYTES   ((size_t)300 << 20) /* Lambda: 250 MB unzipped, so less zipped */
#define CODE_SECRETS_MAX 500                 /* hits kept per package */

struct code_job {
	char sha[96];
	const char *location; /* borrowed from attrs */
	char what[600];       /* "function NAME" or "layer ARN", for gaps */
	char region[32];
};

struct env_ctx {
	cJSON *list;
};

static void
env_hit(const struct secret_hit *h, void *ctx)
{
	struct env_ctx *e = ctx;
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", h->name ? h->name : "");
	cJSON_AddStringToObject(o, "rule", h->rule_id);
	cJSON_AddStringToObject(o, "what", h->what);
	cJSON_AddStringToObject(o, "redacted", h->redacted);
	cJSON_AddItemToArray(e->list, o);
}

static void
env_secrets(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs, void *ctx)
{
	const cJSON *raw = cJSON_GetObjectItemCaseSensitive(attrs, LAMBDA_ENV_RAW);
	struct env_ctx e = { cJSON_CreateArray() };
	struct err err = { 0 };

	(void)scan;
	(void)arn;
	(void)region;
	cJSON_DeleteItemFromObjectCaseSensitive(attrs, "EnvSecrets");
	if (cJSON_IsObject(raw))
		secrets_scan_env(ctx, raw, env_hit, &e, &err);
	cJSON_AddItemToObject(attrs, "EnvSecrets", e.list);
}

/* Adds the package of attrs to jobs when it is located, new to the cache and to this scan. */
static void
want_package(struct collect_scan *scan, cJSON *attrs, const char *sha, const char *what,
             const char *region, struct code_job **jobs, size_t *n)
{
	const char *loc = json_str(attrs, "_code_location");
	size_t i;

	if (!loc || !sha || !*sha || strlen(sha) >= sizeof((*jobs)->sha))
		return;
	for (i = 0; i < *n; i++)
		if (!strcmp((*jobs)[i].sha, sha))
			return;
	if (collect_code_known(scan, sha))
		return;
	*jobs = xrealloc(*jobs, (*n + 1) * sizeof(**jobs));
	snprintf((*jobs)[*n].sha, sizeof((*jobs)[*n].sha), "%s", sha);
	(*jobs)[*n].location = loc;
	snprintf((*jobs)[*n].what, sizeof((*jobs)[*n].what), "%s", what);
	snprintf((*jobs)[*n].region, sizeof((*jobs)[*n].region), "%s", region ? region : "");
	(*n)++;
}

struct gather {
	struct code_job *jobs;
	size_t n;
};

static void
gather_function(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs,
                void *ctx)
{
	struct gather *g = ctx;
	char what[600];

	snprintf(what, sizeof(what), "code package of %s", arn);
	want_package(scan, attrs, json_str(attrs, "CodeSha256"), what, region, &g->jobs, &g->n);
}

static void
gather_layer(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs,
             void *ctx)
{
	struct gather *g = ctx;
	char what[600];

	snprintf(what, sizeof(what), "content of layer %s", arn);
	want_package(scan, attrs, json_str(attrs, "Content.CodeSha256"), what, region, &g->jobs,
	             &g->n);
}

/* One package's reading: every file to the secrets scanner and the dependency readers. */
struct reading {
	const struct secret_scanner *secrets;
	struct deps deps;
	cJSON *hits;
	size_t n_hits;
	const char *path; /* the file being read, for hits */
};

static void
file_hit(const struct secret_hit *h, void *ctx)
{
	struct reading *r = ctx;
	cJSON *o;

	if (r->n_hits++ >= CODE_SECRETS_MAX)
		return;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "rule", h->rule_id);
	cJSON_AddStringToObject(o, "what", h->what);
	cJSON_AddStringToObject(o, "path", r->path);
	cJSON_AddNumberToObject(o, "line", (double)h->line);
	if (h->name)
		cJSON_AddStringToObject(o, "name", h->name);
	cJSON_AddStringToObject(o, "redacted", h->redacted);
	cJSON_AddItemToArray(r->hits, o);
}

static int
read_entry(const struct package_entry *e, void *ctx)
{
	struct reading *r = ctx;
	struct err err = { 0 };

	r->path = e->path;
	secrets_scan_file(r->secrets, e->path, e->data, e->len, file_hit, r, &err);
	deps_from_file(&r->deps, e->path, e->data, e->len);
	return 0;
}

static char *
problems_json(const struct package_report *rep)
{
	cJSON *a = cJSON_CreateArray();
	char *text;
	size_t i;

	for (i = 0; i < rep->n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "kind", package_problem_name(rep->v[i].kind));
		cJSON_AddStringToObject(o, "path", rep->v[i].path);
		cJSON_AddStringToObject(o, "detail", rep->v[i].detail);
		cJSON_AddItemToArray(a, o);
	}
	text = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return text ? text : xstrdup("[]");
}

static void
code_gap(struct collect_scan *scan, const struct code_job *j, const struct err *why)
{
	struct err err = *why;

	err_context(&err, "lambda", "code package", j->what);
	collect_gap(scan, "lambda", j->region, "code package", &err);
}

/* Reads one downloaded package into a result record of the scan. */
static void
read_package(struct collect_scan *scan, const struct code_job *j, const struct buf *zip,
             const struct secret_scanner *secrets)
{
	struct package_limits lim;
	struct package_report rep = { 0 };
	struct reading r = { .secrets = secrets };
	struct collect_code_rec *rec;
	struct err err = { 0 };
	char *hits;

	package_limits_default(&lim);
	deps_init(&r.deps);
	r.hits = cJSON_CreateArray();
	if (package_read_zip_mem(zip->data, zip->len, &lim, read_entry, &r, &rep, &err)) {
		code_gap(scan, j, &err);
		cJSON_Delete(r.hits);
		deps_free(&r.deps);
		package_report_free(&rep);
		return;
	}
	hits = cJSON_PrintUnformatted(r.hits);
	cJSON_Delete(r.hits);
	rec = collect_code_add(scan, j->sha);
	rec->files = (long)rep.files;
	rec->bytes = (int64_t)rep.bytes;
	rec->incomplete = rep.incomplete;
	rec->problems = problems_json(&rep);
	rec->secrets = hits ? hits : xstrdup("[]");
	rec->deps = r.deps; /* the record owns them now */
	package_report_free(&rep);
}

static void
read_packages(struct collect_scan *scan, struct code_job *jobs, size_t n,
              const struct secret_scanner *secrets)
{
	struct aws_fetch *f = xcalloc(n ? n : 1, sizeof(*f));
	struct aws_fetch_opts o = { .parallel = 8 };
	struct err err = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		f[i].url = jobs[i].location;
		f[i].max_bytes = CODE_MAX_BYTES;
	}
	if (aws_fetch_all(f, n, &o, &err)) {
		for (i = 0; i < n; i++)
			code_gap(scan, &jobs[i], &err);
	} else {
		for (i = 0; i < n && !collect_cancelled(scan); i++) {
			if (f[i].err.code)
				code_gap(scan, &jobs[i], &f[i].err);
			else
				read_package(scan, &jobs[i], &f[i].body, secrets);
		}
	}
	for (i = 0; i < n; i++)
		buf_release(&f[i].body);
	free(f);
}

void
collect_code_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	struct secrets_opts so;
	struct secret_scanner *secrets;
	struct gather g = { NULL, 0 };
	struct err err = { 0 };

	if (phase != COLLECT_PHASE_CODE || region)
		return;
	secrets_opts_default(&so);
	secrets = secrets_new(scan->secrets ? scan->secrets : &so, &err);
	if (!secrets) {
		collect_gap(scan, "lambda", "", "secrets scanner", &err);
		return;
	}
	collect_each(scan, MODEL_FUNCTION, env_secrets, secrets);
	if (!collect_quick(scan)) {
		collect_each(scan, MODEL_FUNCTION, gather_function, &g);
		collect_each(scan, MODEL_LAYER, gather_layer, &g);
		read_packages(scan, g.jobs, g.n, secrets);
	}
	free(g.jobs);
	secrets_free(secrets);
}
