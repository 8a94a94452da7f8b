/*
 * Lambda metrics from CloudWatch GetMetricData (query protocol, XML answer),
 * in the DETAIL phase once the region's functions are listed.
 *
 * Five series per function (Invocations, Errors, Throttles as Sum; Duration
 * as Maximum and p99), one point a day for the 90 whole days before today,
 * stored as collect_metric(arn, name, unix day, value). One call carries at
 * most 500 queries, so 100 functions; an answer cut by the datapoint limit
 * names a NextToken and the same queries are sent again with it.
 *
 * A --quick rescan reads no metrics: the daily points of the previous scan
 * stay in the cache (the store keeps metrics per resource and day).
 */
#include "collect/lambda_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/isotime.h"
#include "util/xmalloc.h"
#include "util/xml.h"

#define DAY_S 86400

static const struct {
	const char *name;   /* stored */
	const char *metric; /* AWS/Lambda metric */
	const char *stat;
} series[METRICS_PER_FUNCTION] = {
	{ "Invocations", "Invocations", "Sum" }, { "Errors", "Errors", "Sum" },
	{ "Throttles", "Throttles", "Sum" },     { "DurationMax", "Duration", "Maximum" },
	{ "DurationP99", "Duration", "p99" },
};

/* One batch of up to 100 functions; kept across its NextToken pages. */
struct metrics_batch {
	char region[32];
	char **names, **arns; /* owned */
	size_t n;
	int64_t start_s, end_s;
};

size_t
metrics_batches(size_t n_functions)
{
	return (n_functions + METRICS_FUNCTIONS_PER_CALL - 1) / METRICS_FUNCTIONS_PER_CALL;
}

const char *
metrics_name(int k)
{
	return k >= 0 && k < METRICS_PER_FUNCTION ? series[k].name : NULL;
}

static void
iso_time(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
param_add(char **p, size_t *i, const char *name, const char *value)
{
	p[(*i)++] = xstrdup(name);
	p[(*i)++] = xstrdup(value);
}

char **
metrics_params(const char *const *names, size_t n, int64_t start_s, int64_t end_s,
               const char *next_token)
{
	/* 7 pairs a query, StartTime, EndTime, NextToken, the terminator */
	size_t cap = (n * METRICS_PER_FUNCTION * 7 + 4) * 2, i = 0, f;
	char **p = xcalloc(cap, sizeof(*p));
	char key[96], val[64];
	int k;

	for (f = 0; f < n; f++) {
		for (k = 0; k < METRICS_PER_FUNCTION; k++) {
			size_t m = f * METRICS_PER_FUNCTION + (size_t)k + 1;
			int at = snprintf(key, sizeof(key), "MetricDataQueries.member.%zu.", m);

			snprintf(key + at, sizeof(key) - (size_t)at, "Id");
			snprintf(val, sizeof(val), "q%zu_%d", f, k);
			param_add(p, &i, key, val);
			snprintf(key + at, sizeof(key) - (size_t)at, "MetricStat.Metric.Namespace");
			param_add(p, &i, key, "AWS/Lambda");
			snprintf(key + at, sizeof(key) - (size_t)at,
			         "MetricStat.Metric.MetricName");
			param_add(p, &i, key, series[k].metric);
			snprintf(key + at, sizeof(key) - (size_t)at,
			         "MetricStat.Metric.Dimensions.member.1.Name");
			param_add(p, &i, key, "FunctionName");
			snprintf(key + at, sizeof(key) - (size_t)at,
			         "MetricStat.Metric.Dimensions.member.1.Value");
			param_add(p, &i, key, names[f]);
			snprintf(key + at, sizeof(key) - (size_t)at, "MetricStat.Period");
			param_add(p, &i, key, "86400");
			snprintf(key + at, sizeof(key) - (size_t)at, "MetricStat.Stat");
			param_add(p, &i, key, series[k].stat);
		}
	}
	iso_time(start_s, val, sizeof(val));
	param_add(p, &i, "StartTime", val);
	iso_time(end_s, val, sizeof(val));
	param_add(p, &i, "EndTime", val);
	if (next_token)
		param_add(p, &i, "NextToken", next_token);
	return p;
}

void
metrics_params_free(char **params)
{
	size_t i;

	for (i = 0; params && params[i]; i++)
		free(params[i]);
	free(params);
}

int64_t
metrics_day(const char *iso)
{
	time_t t;

	if (iso_time_parse(iso, &t))
		return -1;
	return (int64_t)t / DAY_S;
}

/* One MetricDataResults member: "q<f>_<k>" with its timestamps and values. */
static void
apply_result(struct collect_scan *scan, const char *const *arns, size_t n, const struct xml_node *r)
{
	const char *id = xml_text(r, "Id");
	const struct xml_node *ts = xml_child(xml_child(r, "Timestamps"), "member");
	const struct xml_node *vs = xml_child(xml_child(r, "Values"), "member");
	size_t f;
	int k;
	char tail;

	if (!id || sscanf(id, "q%zu_%d%c", &f, &k, &tail) != 2 || f >= n || k < 0 ||
	    k >= METRICS_PER_FUNCTION)
		return; /* not one of ours */
	for (; ts && vs; ts = xml_next_same(ts), vs = xml_next_same(vs)) {
		int64_t day = metrics_day(ts->text);
		char *end;
		double v = strtod(vs->text, &end);

		if (day >= 0 && end != vs->text)
			collect_metric(scan, arns[f], series[k].name, day, v);
	}
}

int
metrics_apply_answer(struct collect_scan *scan, const char *const *arns, size_t n, const char *xml,
                     size_t len, char **next, struct err *err)
{
	struct xml_doc doc;
	const struct xml_node *res, *r;
	const char *token;
	int rc;

	*next = NULL;
	rc = xml_parse(xml, len, &doc, err);
	if (rc)
		return rc;
	res = xml_find(doc.root, "GetMetricDataResult/MetricDataResults");
	if (!res && !xml_find(doc.root, "GetMetricDataResult")) {
		xml_doc_release(&doc);
		return err_set(err, ERR_PARSE, "no GetMetricDataResult in the answer");
	}
	for (r = xml_child(res, "member"); r; r = xml_next_same(r))
		apply_result(scan, arns, n, r);
	token = xml_text(doc.root, "GetMetricDataResult/NextToken");
	if (token && *token)
		*next = xstrdup(token);
	xml_doc_release(&doc);
	return 0;
}

static void
batch_free(struct metrics_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->names[i]);
		free(b->arns[i]);
	}
	free(b->names);
	free(b->arns);
	free(b);
}

static void batch_send(struct collect_scan *scan, struct metrics_batch *b, const char *token);

static void
batch_done(struct collect_scan *scan, void *user, const struct aws_answer *ans,
           const struct err *err)
{
	struct metrics_batch *b = user;
	struct err perr;
	char *next = NULL;

	if (err) {
		collect_gap(scan, "cloudwatch", b->region, "GetMetricData", err);
		batch_free(b);
		return;
	}
	err_clear(&perr);
	if (metrics_apply_answer(scan, (const char *const *)b->arns, b->n,
	                         ans && ans->body ? ans->body : "", ans ? ans->body_len : 0, &next,
	                         &perr)) {
		err_context(&perr, "cloudwatch", "GetMetricData", NULL);
		collect_gap(scan, "cloudwatch", b->region, "GetMetricData", &perr);
	}
	if (next)
		batch_send(scan, b, next); /* the same queries, the next datapoints */
	else
		batch_free(b);
	free(next);
}

static void
batch_send(struct collect_scan *scan, struct metrics_batch *b, const char *token)
{
	char **p = metrics_params((const char *const *)b->names, b->n, b->start_s, b->end_s, token);

	if (collect_call_query(scan, "cloudwatch", "GetMetricData", b->region,
	                       (const char *const *)p, batch_done, b))
		batch_free(b);
	metrics_params_free(p);
}

struct metrics_gather {
	const char *region;
	struct metrics_batch *b;
	int64_t start_s, end_s;
	struct collect_scan *scan;
};

static void
gather(struct collect_scan *scan, const char *arn, const char *region, cJSON *attrs, void *ctx)
{
	struct metrics_gather *g = ctx;
	const char *name = strrchr(arn, ':');

	(void)attrs;
	if (strcmp(region, g->region) || !name)
		return;
	if (!g->b) {
		g->b = xcalloc(1, sizeof(*g->b));
		snprintf(g->b->region, sizeof(g->b->region), "%s", region);
		g->b->names = xcalloc(METRICS_FUNCTIONS_PER_CALL, sizeof(char *));
		g->b->arns = xcalloc(METRICS_FUNCTIONS_PER_CALL, sizeof(char *));
		g->b->start_s = g->start_s;
		g->b->end_s = g->end_s;
	}
	g->b->names[g->b->n] = xstrdup(name + 1);
	g->b->arns[g->b->n] = xstrdup(arn);
	if (++g->b->n == METRICS_FUNCTIONS_PER_CALL) {
		batch_send(scan, g->b, NULL);
		g->b = NULL;
	}
}

void
collect_metrics_phase(struct collect_scan *scan, enum collect_phase phase, const char *region)
{
	struct metrics_gather g = { 0 };
	int64_t today;

	if (phase != COLLECT_PHASE_DETAIL || !region || collect_quick(scan))
		return;
	today = (int64_t)time(NULL) / DAY_S * DAY_S; /* the 90 whole days before today */
	g.region = region;
	g.scan = scan;
	g.end_s = today;
	g.start_s = today - (int64_t)METRICS_DAYS * DAY_S;
	collect_each(scan, MODEL_FUNCTION, gather, &g);
	if (g.b)
		batch_send(scan, g.b, NULL);
}
