/*
 * The behaviour family: a function against its own past. Daily metrics
 * are split into a baseline (the baseline_days before the recent window)
 * and the recent window (the last recent_days). For each signal:
 *
 *   z = (median(recent) - median(baseline)) / max(1.4826 x MAD(baseline), floor)
 *
 * MAD is the median absolute deviation, scaled to estimate a standard
 * deviation; the floor keeps a flat baseline from turning any blip into an
 * infinite z. A finding needs z >= deviation_threshold AND an absolute
 * change that matters (the signal's min_change), so small functions do not
 * raise noise. Days with no datapoint count as zero for counts; the error
 * rate and duration use only days with invocations (or duration samples).
 * Also: code changed since it was last marked reviewed (attrs "_reviewed_sha").
 */
#include "analyze/analyze.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/behaviour.h"
#include "analyze/check_util.h"
#include "util/json.h"
#include "util/xmalloc.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
behaviour_median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double
behaviour_mad(const double *v, size_t n, double median)
{
	double *dev = xmalloc((n ? n : 1) * sizeof(*dev)), mad;
	size_t i;

	for (i = 0; i < n; i++)
		dev[i] = fabs(v[i] - median);
	mad = behaviour_median(dev, n);
	free(dev);
	return mad;
}

/* The value of a series on a day, and whether a datapoint exists. */
static int
value_on(const struct am_series *s, int64_t day, double *out)
{
	size_t lo = 0, hi = s ? s->n : 0;

	while (lo < hi) { /* days are ascending */
		size_t mid = lo + (hi - lo) / 2;

		if (s->day[mid] == day) {
			*out = s->value[mid];
			return 1;
		}
		if (s->day[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	*out = 0;
	return 0;
}

enum signal_kind { SIG_COUNT, SIG_RATE, SIG_SAMPLE };

/* One signal: how to read a day, its floor, the change that matters, its rule. */
struct signal {
	const char *rule, *label, *unit;
	enum signal_kind kind;
	const char *metric;          /* the series (the numerator for a rate) */
	double scale;                /* shown value = value x scale (rates in points) */
	double floor_abs, floor_rel; /* MAD floor: max(abs, rel x |median|) */
	double min_abs, min_rel;     /* change needed: max(abs, rel x |median|) */
	int both_ways;               /* a drop matters too (invocations) */
};

static const struct signal signals[] = {
	{ "SHR-BEH-001", "error rate", " %", SIG_RATE, "Errors", 100, 0.005, 0, 0.05, 0, 0 },
	{ "SHR-BEH-002", "invocations", "/day", SIG_COUNT, "Invocations", 1, 1, 0.1, 50, 0.5, 1 },
	{ "SHR-BEH-003", "throttles", "/day", SIG_COUNT, "Throttles", 1, 1, 0, 10, 0, 0 },
	{ "SHR-BEH-004", "p99 duration", " ms", SIG_SAMPLE, "DurationP99", 1, 10, 0.05, 100, 0.5,
	  0 },
};

/* The signal's daily values over [from, to]; returns how many days had one. */
static size_t
daily_values(const struct am_res *fn, const struct signal *sig, int64_t from, int64_t to,
             double *out)
{
	const struct am_series *s = am_metric(fn, sig->metric);
	const struct am_series *inv = am_metric(fn, "Invocations");
	size_t n = 0;
	int64_t d;
	double v, calls;

	for (d = from; d <= to; d++) {
		int have = value_on(s, d, &v);

		if (sig->kind == SIG_COUNT) {
			out[n++] = v; /* no datapoint: zero that day */
		} else if (sig->kind == SIG_RATE) {
			if (value_on(inv, d, &calls) && calls > 0)
				out[n++] = v / calls;
		} else if (have) {
			out[n++] = v;
		}
	}
	return n;
}

#define MIN_BASELINE_DAYS 14
#define MIN_RECENT_DAYS   3

static void
check_signal(const struct analyze_opts *o, const struct am_res *fn, const struct signal *sig,
             int64_t today, struct findings *out)
{
	int64_t recent_from = today - o->recent_days + 1;
	int64_t base_from = recent_from - o->baseline_days;
	size_t cap = (size_t)(o->baseline_days + o->recent_days) + 1, nb, nr;
	double *base = xmalloc(cap * sizeof(*base)), *recent = xmalloc(cap * sizeof(*recent));
	double med_b, med_r, mad, spread, z, change;
	struct finding *f;

	if (!am_metric(fn, sig->metric))
		goto out;
	nb = daily_values(fn, sig, base_from, recent_from - 1, base);
	nr = daily_values(fn, sig, recent_from, today, recent);
	if (nb < MIN_BASELINE_DAYS || nr < MIN_RECENT_DAYS)
		goto out;
	med_b = behaviour_median(base, nb);
	mad = behaviour_mad(base, nb, med_b);
	med_r = behaviour_median(recent, nr);
	spread = fmax(1.4826 * mad, fmax(sig->floor_abs, sig->floor_rel * fabs(med_b)));
	z = (med_r - med_b) / spread;
	change = med_r - med_b;
	if (!sig->both_ways && change < 0)
		goto out;
	if (fabs(z) < o->deviation_threshold ||
	    fabs(change) < fmax(sig->min_abs, sig->min_rel * fabs(med_b)))
		goto out;
	f = findings_add(out, sig->rule, fn->arn, sig->metric,
	                 "%s %.*f%s (median of the last %zu days) vs %.*f%s baseline (median of "
	                 "%zu days before, MAD %.*f%s): robust z %+.1f, beyond %.1f",
	                 sig->label, sig->kind == SIG_RATE ? 1 : 0, med_r * sig->scale, sig->unit,
	                 nr, sig->kind == SIG_RATE ? 1 : 0, med_b * sig->scale, sig->unit, nb,
	                 sig->kind == SIG_RATE ? 2 : 0, mad * sig->scale, sig->unit, z,
	                 o->deviation_threshold);
	if (change < 0)
		f->severity = SEV_LOW; /* a drop: a broken trigger, not an attack */
out:
	free(base);
	free(recent);
}

static void
check_reviewed(const struct am_res *fn, struct findings *out)
{
	const char *reviewed = json_str(fn->attrs, "_reviewed_sha");
	const char *sha = json_str(fn->attrs, "CodeSha256");
	const char *modified = json_str(fn->attrs, "LastModified");

	if (!reviewed || !sha || !strcmp(reviewed, sha))
		return;
	findings_add(out, "SHR-BEH-005", fn->arn, "CodeSha256",
	             "code %.12s... differs from the reviewed %.12s...; last modified %s", sha,
	             reviewed, modified ? modified : "unknown");
}

int
check_behaviour(const struct amodel *m, const struct analyze_opts *o, struct findings *out)
{
	int64_t today = analyze_day(analyze_now(m, o));
	size_t i, s;

	if (o->recent_days < 1 || o->baseline_days < 1)
		return 0;
	for (i = 0; i < m->n_res; i++) {
		const struct am_res *fn = &m->res[i];

		if (fn->kind != MODEL_FUNCTION)
			continue;
		for (s = 0; s < sizeof(signals) / sizeof(signals[0]); s++)
			check_signal(o, fn, &signals[s], today, out);
		check_reviewed(fn, out);
	}
	return 0;
}
