/*
 * The hygiene family, per function: dead (no invocations in N days),
 * timeout far above the longest run, deprecated runtime, no reserved
 * concurrency on a public function, published versions nothing points to.
 * Account-wide leftovers (log groups, roles, layers) are in hygiene_orphans.c.
 */
#include "analyze/analyze.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analyze/check_util.h"
#include "analyze/exposure.h"
#include "analyze/hygiene.h"
#include "analyze/runtimes.h"
#include "util/json.h"

/* Invocations in the window and whether any datapoint fell in it. */
static double
invocations_since(const struct am_res *fn, int64_t first_day, size_t *points)
{
	const struct am_series *s = am_metric(fn, "Invocations");
	double sum = 0;
	size_t i;

	*points = 0;
	for (i = 0; s && i < s->n; i++) {
		if (s->day[i] < first_day)
			continue;
		sum += s->value[i];
		(*points)++;
	}
	return sum;
}

static void
check_dead(const struct amodel *m, const struct analyze_opts *o, const struct am_res *fn,
           time_t now, struct findings *out)
{
	const char *modified = json_str(fn->attrs, "LastModified");
	int64_t today = analyze_day(now);
	char date[16] = "unknown", why[400];
	size_t points;
	time_t t;
	struct finding *f;

	if (invocations_since(fn, today - o->dead_days + 1, &points) > 0)
		return;
	if (modified && !analyze_parse_time(modified, &t)) {
		analyze_format_date(t, date, sizeof(date));
		/* no series at all and younger than the window: new, not dead */
		if (!fn->n_metrics && analyze_day(t) > today - o->dead_days)
			return;
	}
	f = findings_add(out, "SHR-HYG-001", fn->arn, "metrics",
	                 "no invocations in the last %d days (%s); last modified %s", o->dead_days,
	                 points ? "every datapoint zero" : "no datapoints", date);
	if (exposure_is_public(m, fn, why, sizeof(why)))
		f->severity =
		        SEV_MEDIUM; /* unused yet callable from outside: pure attack surface */
}

/* The longest run (ms) in the last 90 days and the days it is taken over. */
static double
longest_run_ms(const struct am_res *fn, int64_t today, size_t *days)
{
	const struct am_series *s = am_metric(fn, "DurationMax");
	double max = 0;
	size_t i;

	*days = 0;
	for (i = 0; s && i < s->n; i++) {
		if (s->day[i] <= today - 90 || s->value[i] <= 0)
			continue;
		(*days)++;
		if (s->value[i] > max)
			max = s->value[i];
	}
	return max;
}

int
hygiene_recommended_timeout(double longest_ms, const struct analyze_opts *o)
{
	double secs = ceil(longest_ms / 1000.0 * o->timeout_margin);

	if (secs < o->timeout_min_s)
		secs = o->timeout_min_s;
	if (secs < ceil(longest_ms / 1000.0))
		secs = ceil(longest_ms / 1000.0);
	return (int)secs;
}

static void
check_timeout(const struct analyze_opts *o, const struct am_res *fn, time_t now,
              struct findings *out)
{
	double timeout, longest;
	size_t days;
	int rec;
	struct finding *f;

	if (json_num(fn->attrs, "Timeout", &timeout))
		return;
	longest = longest_run_ms(fn, analyze_day(now), &days);
	if (!days)
		return; /* no duration data: nothing to compare with */
	rec = hygiene_recommended_timeout(longest, o);
	/* a runaway must waste enough per invocation to be worth a reviewer's change */
	if (timeout <= o->timeout_ratio * rec || timeout - rec < o->timeout_min_gap_s)
		return;
	f = findings_add(out, "SHR-HYG-002", fn->arn, "Timeout",
	                 "Timeout %.0f s; longest run %.1f s in 90 days (%zu days with runs); "
	                 "recommend %d s",
	                 timeout, longest / 1000.0, days, rec);
	/* few runs: the longest may not be seen yet */
	if (days < 7)
		f->severity = SEV_INFO;
}

static void
check_runtime(const struct analyze_opts *o, const struct am_res *fn, time_t now,
              struct findings *out)
{
	const char *id = json_str(fn->attrs, "Runtime");
	const struct runtime_eol *eol = runtime_eol_find(id);
	struct finding *f;
	time_t t;
	long days;

	if (!eol || analyze_parse_time(eol->deprecated, &t))
		return;
	days = (long)(analyze_day(now) - analyze_day(t));
	if (days >= 0) {
		f = findings_add(out, "SHR-HYG-003", fn->arn, "Runtime",
		                 "runtime %s: AWS ended support on %s (%ld days ago); no security "
		                 "patches since",
		                 id, eol->deprecated, days);
		if (days > 365)
			f->severity = SEV_HIGH; /* a year unpatched, and updates are blocked */
	} else if (-days <= o->runtime_warn_days) {
		f = findings_add(out, "SHR-HYG-003", fn->arn, "Runtime",
		                 "runtime %s: AWS ends support on %s (in %ld days)", id,
		                 eol->deprecated, -days);
		f->severity = SEV_LOW;
	}
}

static void
check_concurrency(const struct amodel *m, const struct am_res *fn, struct findings *out)
{
	char why[600];

	if (json_path(fn->attrs, "Concurrency.ReservedConcurrentExecutions"))
		return;
	if (!exposure_is_public(m, fn, why, sizeof(why)))
		return;
	findings_add(out, "SHR-HYG-004", fn->arn, "Concurrency",
	             "no reserved concurrency, and it is public: %s", why);
}

/* 1 when an alias (or its routing weights) or an event source mapping names version v. */
static int
version_used(const struct am_res *fn, const char *v)
{
	const cJSON *it;
	char arn[600];

	cJSON_ArrayForEach(it, json_path(fn->attrs, "Aliases"))
	{
		const char *fv = json_str(it, "FunctionVersion");
		const cJSON *weights = json_path(it, "RoutingConfig.AdditionalVersionWeights");

		if (fv && !strcmp(fv, v))
			return 1;
		if (cJSON_IsObject(weights) && cJSON_GetObjectItemCaseSensitive(weights, v))
			return 1;
	}
	snprintf(arn, sizeof(arn), "%s:%s", fn->arn, v);
	cJSON_ArrayForEach(it, json_path(fn->attrs, "EventSourceMappings"))
	{
		const char *target = json_str(it, "FunctionArn");

		if (target && !strcmp(target, arn))
			return 1;
	}
	return 0;
}

static void
check_versions(const struct am_res *fn, struct findings *out)
{
	const cJSON *it;
	char list[400] = "";
	size_t at = 0, n = 0;

	cJSON_ArrayForEach(it, json_path(fn->attrs, "Versions"))
	{
		const char *v = json_str(it, "Version");

		if (!v || !strcmp(v, "$LATEST") || version_used(fn, v))
			continue;
		n++;
		if (at < sizeof(list))
			at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s", at ? ", " : "",
			                       v);
	}
	if (n)
		findings_add(out, "SHR-HYG-005", fn->arn, "Versions",
		             "%zu published version%s (%s) that no alias or event source mapping "
		             "points to; each keeps its old code and configuration invocable",
		             n, n == 1 ? "" : "s", list);
}

int
check_hygiene(const struct amodel *m, const struct analyze_opts *o, struct findings *out)
{
	time_t now = analyze_now(m, o);
	size_t i;

	for (i = 0; i < m->n_res; i++) {
		const struct am_res *fn = &m->res[i];

		if (fn->kind != MODEL_FUNCTION)
			continue;
		check_dead(m, o, fn, now, out);
		check_timeout(o, fn, now, out);
		check_runtime(o, fn, now, out);
		check_concurrency(m, fn, out);
		check_versions(fn, out);
	}
	hygiene_check_orphans(m, o, now, out);
	return 0;
}
