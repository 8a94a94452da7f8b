/*
 * The scan driver. Design notes:
 *
 *  1. Order: previous attrs are loaded (load_previous), then the "sts" row
 *     runs alone (the account is known before any other call), then each
 *     phase calls every row's hook for every region (global rows once) and
 *     drives the client until it is idle (run_phase).
 *  2. The model stays in memory until every phase is over; the store is
 *     written in one transaction (write_model). A cancel before that point
 *     writes nothing; a cancel during it rolls back. Either way the
 *     previous scan stays intact.
 *  3. Secrets: before writing, attrs keys starting with '_' are dropped
 *     (drop_private: in-memory raw values) and every function's environment
 *     variable values are redacted (collect_redact_env), whatever the collectors
 *     did, so the cache never holds one.
 *  4. A part that could not be read is a gap: it is written, the summary
 *     lists it under "incomplete", and the scan is marked incomplete.
 */
#include "collect/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collect/collectors.h"
#include "collect/scan_int.h"
#include "collect/svc_int.h"
#include "store/advisory.h"
#include "store/packages.h"
#include "store/query.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/*
 * --all-regions: the commercial regions every account has enabled. Opt-in
 * regions (af-south-1, ap-east-1, me-south-1, ...) answer an account that
 * has not enabled them with an authentication error, which would make every
 * such scan incomplete; name them with --region instead.
 */
static const char *const all_regions[] = {
	"us-east-1",      "us-east-2",      "us-west-1",
	"us-west-2",      "ca-central-1",   "sa-east-1",
	"eu-west-1",      "eu-west-2",      "eu-west-3",
	"eu-central-1",   "eu-north-1",     "ap-south-1",
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-southeast-1", "ap-southeast-2", NULL,
};

const char *const *
collect_region_list(void)
{
	return all_regions;
}

struct driver {
	const struct collect_opts *opts;
	collect_progress_fn *progress;
	char what[128];
};

static void
emit_progress(struct collect_scan *scan)
{
	struct driver *d = scan->driver;
	struct collect_progress p = { 0 };
	size_t i;

	if (!d->progress)
		return;
	p.what = d->what;
	p.calls_done = scan->finished;
	p.calls_submitted = scan->submitted;
	p.resources = scan->n_res;
	for (i = 0; i < scan->n_res; i++)
		if (scan->res[i]->kind < MODEL_KIND_COUNT)
			p.counts[scan->res[i]->kind]++;
	p.elapsed_s = collect_now() - scan->t0;
	d->progress(&p, d->opts->progress_ctx);
}

static int
cancelled(const struct collect_scan *scan)
{
	return scan->cancel && *scan->cancel;
}

/* Previous attrs by ARN, for incremental rescans. A cache without a scan is fine. */
static int
load_previous(struct collect_scan *scan, struct store *store, struct err *err)
{
	struct store_list_query q = { 0 };
	struct store_rows rows = { 0 };
	size_t i;
	int rc;

	q.flags = STORE_LIST_ATTRS;
	rc = store_list(store, &q, &rows, err);
	if (rc)
		return rc;
	for (i = 0; i < rows.n; i++)
		collect_prev_add_res(scan, rows.v[i].kind, rows.v[i].arn, rows.v[i].name,
		                     rows.v[i].region, rows.v[i].attrs);
	store_rows_release(&rows);
	return 0;
}

/*
 * Runs the client until every call has ended. After a cancel it still runs,
 * so that queued calls end (as cancelled) through their callbacks, which
 * free what the collectors allocated for them.
 */
static void
drive(struct collect_scan *scan, struct aws_client *client)
{
	if (!client)
		return;
	if (cancelled(scan))
		aws_client_cancel(client);
	aws_client_run(client);
}

static void
run_row(struct collect_scan *scan, const struct collect_collector *c, enum collect_phase phase,
        const char *const *regions, size_t n_regions)
{
	struct driver *d = scan->driver;
	size_t r;

	if (c->global) {
		snprintf(d->what, sizeof(d->what), "%s", c->name);
		c->phase(scan, phase, NULL);
		return;
	}
	for (r = 0; r < n_regions && !cancelled(scan); r++) {
		snprintf(d->what, sizeof(d->what), "%s %s", c->name, regions[r]);
		c->phase(scan, phase, regions[r]);
	}
}

static void
run_phase(struct collect_scan *scan, struct aws_client *client, enum collect_phase phase,
          const char *const *regions, size_t n_regions)
{
	static const char *const names[] = { "listing", "details", "code packages", "edges" };
	struct driver *d = scan->driver;
	const struct collect_collector *rows;
	size_t i, n;

	rows = collect_collectors(&n);
	for (i = 0; i < n && !cancelled(scan); i++)
		if (strcmp(rows[i].name, "sts"))
			run_row(scan, &rows[i], phase, regions, n_regions);
	snprintf(d->what, sizeof(d->what), "%s", names[phase]);
	emit_progress(scan);
	drive(scan, client);
}

static void
run_sts(struct collect_scan *scan, struct aws_client *client)
{
	const struct collect_collector *rows;
	size_t i, n;

	rows = collect_collectors(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].name, "sts"))
			run_row(scan, &rows[i], COLLECT_PHASE_LIST, NULL, 0);
	drive(scan, client);
}

/* "abcd…sha256:0123456789ab": already redacted (by a collector) */
static int
is_redacted(const char *v)
{
	const char *p = strstr(v, "\xe2\x80\xa6sha256:");
	size_t i;

	if (!p)
		return 0;
	p += strlen("\xe2\x80\xa6sha256:");
	for (i = 0; i < 12; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return p[12] == '\0';
}

/*
 * Redacts every value of every "Environment": {"Variables": {...}} below
 * node. svc_replace keeps the name: cJSON_ReplaceItemViaPointer alone would
 * leave the replacement without a key.
 */
void
collect_redact_env(cJSON *node)
{
	cJSON *child;

	if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
		return;
	if (cJSON_IsObject(node)) {
		cJSON *env = cJSON_GetObjectItemCaseSensitive(node, "Environment");
		cJSON *vars = cJSON_GetObjectItemCaseSensitive(env, "Variables");
		cJSON *v, *next;

		for (v = vars ? vars->child : NULL; v; v = next) {
			char red[128];

			next = v->next; /* v is replaced (freed) below */
			if (!cJSON_IsString(v)) {
				char *text = cJSON_PrintUnformatted(v);

				collect_redact(text ? text : "", red, sizeof(red));
				free(text);
			} else if (is_redacted(v->valuestring)) {
				continue;
			} else {
				collect_redact(v->valuestring, red, sizeof(red));
			}
			svc_replace(vars, v, cJSON_CreateString(red));
		}
	}
	cJSON_ArrayForEach(child, node)
	{
		collect_redact_env(child);
	}
}

/* Top-level keys starting with '_' live in memory only (raw values for edges). */
static void
drop_private(cJSON *attrs)
{
	cJSON *v, *next;

	for (v = attrs ? attrs->child : NULL; v; v = next) {
		next = v->next;
		if (v->string && v->string[0] == '_')
			cJSON_Delete(cJSON_DetachItemViaPointer(attrs, v));
	}
}

static void
counts_add(cJSON *calls, const struct aws_call_count *c, unsigned long n)
{
	cJSON *svc = cJSON_GetObjectItemCaseSensitive(calls, c->service);

	if (!svc)
		svc = cJSON_AddObjectToObject(calls, c->service);
	cJSON_AddNumberToObject(svc, c->operation, (double)n);
}

/* The counters of this scan: the client's now, minus what it had counted before. */
static const struct aws_call_count *
count_before(const struct aws_call_count *before, size_t n_before, const struct aws_call_count *c)
{
	size_t i;

	for (i = 0; i < n_before; i++)
		if (!strcmp(before[i].service, c->service) &&
		    !strcmp(before[i].operation, c->operation))
			return &before[i];
	return NULL;
}

static void
summary_calls(cJSON *sum, struct aws_client *client, const struct aws_call_count *before,
              size_t n_before, unsigned long *total)
{
	cJSON *calls = cJSON_AddObjectToObject(sum, "calls");
	unsigned long attempts = 0, throttled = 0, failed = 0;
	const struct aws_call_count *now;
	size_t i, n = 0;

	*total = 0;
	now = client ? aws_client_counts(client, &n) : NULL;
	for (i = 0; i < n; i++) {
		const struct aws_call_count *b = count_before(before, n_before, &now[i]);
		unsigned long c = now[i].calls - (b ? b->calls : 0);

		if (!c)
			continue;
		counts_add(calls, &now[i], c);
		*total += c;
		attempts += now[i].attempts - (b ? b->attempts : 0);
		throttled += now[i].throttled - (b ? b->throttled : 0);
		failed += now[i].failed - (b ? b->failed : 0);
	}
	cJSON_AddNumberToObject(sum, "calls_total", (double)*total);
	cJSON_AddNumberToObject(sum, "attempts", (double)attempts);
	cJSON_AddNumberToObject(sum, "retries", (double)(attempts - *total));
	cJSON_AddNumberToObject(sum, "throttled", (double)throttled);
	cJSON_AddNumberToObject(sum, "failed", (double)failed);
}

static char *
summary_build(struct collect_scan *scan, struct aws_client *client,
              const struct aws_call_count *before, size_t n_before, const char *const *regions,
              size_t n_regions, unsigned long *total)
{
	cJSON *sum = cJSON_CreateObject(), *arr, *counts;
	size_t i;
	char *text;

	cJSON_AddStringToObject(sum, "account", scan->account);
	arr = cJSON_AddArrayToObject(sum, "regions");
	for (i = 0; i < n_regions; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(regions[i]));
	cJSON_AddBoolToObject(sum, "quick", scan->quick);
	cJSON_AddBoolToObject(sum, "complete", scan->n_gaps == 0);
	summary_calls(sum, client, before, n_before, total);
	arr = cJSON_AddArrayToObject(sum, "incomplete");
	for (i = 0; i < scan->n_gaps; i++) {
		cJSON *g = cJSON_CreateObject();

		cJSON_AddStringToObject(g, "service", scan->gaps[i].service);
		cJSON_AddStringToObject(g, "region", scan->gaps[i].region);
		cJSON_AddStringToObject(g, "operation", scan->gaps[i].operation);
		cJSON_AddStringToObject(g, "error", scan->gaps[i].error);
		cJSON_AddItemToArray(arr, g);
	}
	counts = cJSON_AddObjectToObject(sum, "counts");
	for (i = 0; i < MODEL_KIND_COUNT; i++) {
		size_t n = collect_count(scan, (int)i);

		if (n)
			cJSON_AddNumberToObject(counts, model_kind_plural(i), (double)n);
	}
	cJSON_AddNumberToObject(counts, "edges", (double)scan->n_edges);
	cJSON_AddNumberToObject(counts, "metrics", (double)scan->n_metrics);
	cJSON_AddNumberToObject(sum, "elapsed_s",
	                        (double)(long)((collect_now() - scan->t0) * 1000) / 1000);
	text = cJSON_PrintUnformatted(sum);
	cJSON_Delete(sum);
	return text ? text : xstrdup("{}");
}

/* A package's row and its installed dependencies, with the scan. */
static int
write_package(struct store *store, const struct collect_code_rec *c, struct err *err)
{
	struct store_package p = { c->sha,        (int64_t)time(NULL), c->files,  c->bytes,
		                   c->incomplete, c->problems,         c->secrets };
	struct store_dep *deps = xcalloc(c->deps.n + 1, sizeof(*deps));
	size_t i;
	int rc = store_package_put(store, &p, err);

	for (i = 0; i < c->deps.n; i++)
		deps[i] = (struct store_dep){ c->deps.v[i].ecosystem, c->deps.v[i].name,
			                      c->deps.v[i].version, c->deps.v[i].source };
	if (!rc)
		rc = store_dependencies_put(store, c->sha, deps, c->deps.n, err);
	free(deps);
	return rc;
}

static int
write_items(struct collect_scan *scan, struct store *store, struct err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < scan->n_res; i++) {
		struct collect_res *r = scan->res[i];
		struct model_resource m = { 0 };
		char *attrs;

		drop_private(r->attrs);
		if (r->kind == MODEL_FUNCTION || r->kind == MODEL_LAYER)
			collect_redact_env(r->attrs);
		attrs = cJSON_PrintUnformatted(r->attrs);
		m.arn = r->arn;
		m.kind = r->kind;
		m.name = r->name;
		m.region = r->region;
		m.account = scan->account;
		m.attrs = attrs ? attrs : "{}";
		rc = store_put_resource(store, &m, err);
		free(attrs);
	}
	for (i = 0; !rc && i < scan->n_edges; i++) {
		struct model_edge e = { scan->edges[i].src, scan->edges[i].dst, scan->edges[i].kind,
			                scan->edges[i].evidence };

		rc = store_put_edge(store, &e, err);
	}
	for (i = 0; !rc && i < scan->n_metrics; i++)
		rc = store_put_metric(store, scan->metrics[i].arn, scan->metrics[i].name,
		                      scan->metrics[i].day, scan->metrics[i].value, err);
	for (i = 0; !rc && i < scan->n_gaps; i++)
		rc = store_put_gap(store, scan->gaps[i].service, scan->gaps[i].region,
		                   scan->gaps[i].operation, scan->gaps[i].error, err);
	for (i = 0; !rc && i < scan->n_code; i++)
		rc = write_package(store, &scan->code[i], err);
	return rc;
}

/* One transaction: begin, everything, commit; rolled back on error or cancel. */
static int
write_model(struct collect_scan *scan, struct store *store, struct store_scan *row, struct err *err)
{
	int rc = store_scan_begin(store, row, err);

	if (rc)
		return rc;
	rc = write_items(scan, store, err);
	if (!rc && cancelled(scan))
		rc = err_set(err, ERR_CANCELLED, "scan cancelled");
	if (!rc)
		rc = store_scan_commit(store, row, err);
	if (rc)
		store_scan_rollback(store);
	return rc;
}

static size_t
resolve_regions(const struct collect_opts *opts, const char **out)
{
	size_t n = 0;

	if (opts->all_regions) {
		for (; all_regions[n] && n < COLLECT_MAX_REGIONS; n++)
			out[n] = all_regions[n];
		return n;
	}
	for (; n < opts->n_regions && n < COLLECT_MAX_REGIONS; n++)
		out[n] = opts->regions[n];
	if (!n)
		out[n++] = opts->default_region ? opts->default_region : "us-east-1";
	return n;
}

static char *
regions_join(const char *const *regions, size_t n)
{
	struct buf b;
	size_t i;
	int rc = 0;

	buf_init(&b, 0);
	for (i = 0; !rc && i < n; i++)
		rc = buf_printf(&b, "%s%s", i ? "," : "", regions[i]);
	if (rc || !b.data)
		return xstrdup("");
	return buf_take(&b, NULL);
}

static void
copy_counts(struct aws_client *client, struct aws_call_count **out, size_t *n)
{
	const struct aws_call_count *c = client ? aws_client_counts(client, n) : NULL;

	*out = NULL;
	if (!c) {
		*n = 0;
		return;
	}
	*out = xcalloc(*n ? *n : 1, sizeof(**out));
	memcpy(*out, c, *n * sizeof(**out));
}

/*
 * Runs the phases; the model is in scan afterwards. Without the account
 * (no credentials, a rejected signature, no endpoint) nothing else can be
 * read: that is the scan's error, and nothing is written.
 */
static int
collect_phases(struct collect_scan *scan, struct aws_client *client, const char *const *regions,
               size_t n_regions, struct err *err)
{
	enum collect_phase ph;

	run_sts(scan, client);
	if (!scan->account[0] && !cancelled(scan)) {
		if (err)
			*err = scan->sts_err;
		return scan->sts_err.code ? (int)scan->sts_err.code
		                          : err_set(err, ERR_AWS, "the account could not be read");
	}
	for (ph = COLLECT_PHASE_LIST; ph <= COLLECT_PHASE_EDGES && !cancelled(scan); ph++)
		run_phase(scan, client, ph, regions, n_regions);
	return 0;
}

int
collect_run(const struct collect_opts *opts, struct aws_client *client, struct store *store,
            collect_progress_fn *progress, struct collect_result *result, struct err *err)
{
	const char *regions[COLLECT_MAX_REGIONS];
	struct aws_call_count *before = NULL;
	struct store_scan row = { 0 };
	struct collect_scan scan;
	struct driver d = { 0 };
	size_t n_regions, n_before = 0;
	char *joined;
	int rc;

	memset(result, 0, sizeof(*result));
	n_regions = resolve_regions(opts, regions);
	collect_scan_init(&scan, client, opts->quick);
	collect_scan_set_regions(&scan, regions, n_regions);
	scan.store = store;
	scan.secrets = opts->secrets;
	d.opts = opts;
	d.progress = progress;
	scan.driver = &d;
	scan.cancel = opts->cancel;
	scan.t0 = collect_now();
	row.started = (int64_t)time(NULL); /* when reading began: the overview shows the duration */
	scan.progress = emit_progress;
	scan.progress_interval_s = opts->progress_interval_s > 0 ? opts->progress_interval_s : 0.2;
	copy_counts(client, &before, &n_before);
	joined = regions_join(regions, n_regions);
	rc = load_previous(&scan, store, err);
	if (!rc)
		rc = collect_phases(&scan, client, regions, n_regions, err);
	if (!rc) {
		result->summary = summary_build(&scan, client, before, n_before, regions, n_regions,
		                                &result->calls);
		result->n_gaps = scan.n_gaps;
		result->complete = scan.n_gaps == 0;
		if (cancelled(&scan))
			rc = err_set(err, ERR_CANCELLED,
			             "scan cancelled: the cache keeps the previous scan");
	}
	if (!rc) {
		snprintf(d.what, sizeof(d.what), "writing the cache");
		emit_progress(&scan);
		row.account = scan.account;
		row.regions = joined;
		row.summary = result->summary;
		row.calls = (long)result->calls;
		row.complete = result->complete;
		rc = write_model(&scan, store, &row, err);
		result->scan_id = row.id;
	}
	result->cancelled = rc == ERR_CANCELLED;
	free(joined);
	free(before);
	collect_scan_release(&scan);
	return rc;
}

void
collect_result_release(struct collect_result *r)
{
	free(r->summary);
	memset(r, 0, sizeof(*r));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *
collect_iam_policy(void)
{
	const struct collect_action *a;
	const char **v;
	cJSON *doc, *stmts, *st, *acts;
	size_t i, n;
	char *text;

	a = collect_actions(&n);
	v = xcalloc(n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = a[i].action;
	qsort(v, n, sizeof(*v), cmp_str);
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "Version", "2012-10-17");
	stmts = cJSON_AddArrayToObject(doc, "Statement");
	st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "Sid", "ShearsScanReadOnly");
	cJSON_AddStringToObject(st, "Effect", "Allow");
	acts = cJSON_AddArrayToObject(st, "Action");
	for (i = 0; i < n; i++)
		if (!i || strcmp(v[i], v[i - 1])) /* several operations share an action */
			cJSON_AddItemToArray(acts, cJSON_CreateString(v[i]));
	cJSON_AddStringToObject(st, "Resource", "*");
	cJSON_AddItemToArray(stmts, st);
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	free(v);
	return text ? text : xstrdup("{}");
}
