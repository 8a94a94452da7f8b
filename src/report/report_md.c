/*
 * The Markdown report, for pasting into a ticket: a title with the target and
 * the date, a summary table, the findings grouped by severity (critical
 * first), then the table of the highest scored functions.
 *
 * Every string that is not a fixed word of ours first takes its terminal-safe
 * form (controls and newlines become "^J"-style text, invalid UTF-8 "\xNN"),
 * then md_text() backslash-escapes what CommonMark/GFM would read as markup
 * (emphasis, code, links, HTML, entities, table pipes, math) and breaks the
 * autolinks GFM makes of "://", "www." and "@". So no cloud string can end a
 * table cell, open a link or carry HTML.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/report_int.h"
#include "util/xmalloc.h"

/* How many functions the scores table shows (the JSON report has them all). */
#define MD_TOP_SCORES 10

/* Flushes b to out once it holds this much, so a large report streams. */
#define MD_FLUSH_BYTES 65536

struct md {
	FILE *out;
	struct buf b;
	int rc; /* the first error; later writes are skipped */
	struct err *err;
};

static const enum severity md_order[] = { SEV_CRITICAL, SEV_HIGH, SEV_MEDIUM, SEV_LOW, SEV_INFO };
static const char *const md_headings[] = { "Info", "Low", "Medium", "High", "Critical" };

#define N_SEVERITIES (sizeof(md_order) / sizeof(md_order[0]))

static void
md_flush(struct md *m, size_t at_least)
{
	if (m->rc || m->b.len < at_least)
		return;
	m->rc = report_put(m->out, m->b.data, m->b.len, m->err);
	buf_reset(&m->b);
}

static void
md_check(struct md *m, int rc)
{
	if (rc && !m->rc)
		m->rc = err_set(m->err, ERR_LIMIT, "a report section is over %zu bytes",
		                (size_t)BUF_MAX_DEFAULT);
}

static void md_raw(struct md *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Our own words and markup: never a cloud string. */
static void
md_raw(struct md *m, const char *fmt, ...)
{
	va_list ap;

	if (m->rc)
		return;
	va_start(ap, fmt);
	md_check(m, buf_vprintf(&m->b, fmt, ap));
	va_end(ap);
}

/* 1 when the escaped char at s[i] would take part in a GFM autolink. */
static int
md_autolink_char(const char *s, size_t i)
{
	if (s[i] == '@')
		return 1;
	if (s[i] == ':')
		return s[i + 1] == '/' && s[i + 2] == '/';
	return s[i] == '.' && i >= 3 && !strncasecmp(s + i - 3, "www", 3);
}

int
report_md_escape(struct buf *b, const char *s)
{
	struct buf safe;
	const char *c;
	size_t i;
	int rc;

	buf_init(&safe, 0);
	rc = report_safe_append(&safe, s);
	c = buf_cstr(&safe);
	for (i = 0; !rc && c[i]; i++) {
		if (strchr("\\`*_[]<>|~&$!#", c[i]) || md_autolink_char(c, i))
			rc = buf_putc(b, '\\');
		if (!rc)
			rc = buf_putc(b, c[i]);
	}
	buf_release(&safe);
	return rc;
}

/* Appends s as inert Markdown text ("" for NULL). */
static void
md_text(struct md *m, const char *s)
{
	if (!m->rc)
		md_check(m, report_md_escape(&m->b, s));
}

/* Text, or an em dash for a missing or empty one (an empty cell reads as a mistake). */
static void
md_text_or_dash(struct md *m, const char *s)
{
	if (s && *s)
		md_text(m, s);
	else
		md_raw(m, "\xe2\x80\x94");
}

static void
md_title(struct md *m, const struct report *r)
{
	char generated[REPORT_TIME_LEN], scanned[REPORT_TIME_LEN];
	int check = r->source && !strcmp(r->source, "check");

	report_time(r->generated, generated);
	report_time(r->scanned, scanned);
	md_raw(m, "# shears report: ");
	md_text_or_dash(m, r->target);
	md_raw(m, " (%.10s)\n\n", generated);
	if (check)
		md_raw(m, "Generated %s by `shears check`", generated);
	else if (r->scanned)
		md_raw(m, "Generated %s from the scan of %s", generated, scanned);
	else
		md_raw(m, "Generated %s from the cache", generated);
	md_raw(m, " (shears ");
	md_text_or_dash(m, r->tool_version);
	md_raw(m, ").\n\n");
}

static int
md_status_index(const struct report_item *it)
{
	const char *s = report_status(it);

	if (!strcmp(s, "accepted"))
		return 1;
	return !strcmp(s, "fixed") ? 2 : 0;
}

static void
md_summary(struct md *m, const struct report *r)
{
	size_t counts[N_SEVERITIES][4] = { { 0 } }; /* open, accepted, fixed, total */
	size_t i, s;

	for (i = 0; i < r->n_items; i++) {
		for (s = 0; s < N_SEVERITIES; s++) {
			if (md_order[s] != r->items[i].f->severity)
				continue;
			counts[s][md_status_index(&r->items[i])]++;
			counts[s][3]++;
		}
	}
	md_raw(m, "## Summary\n\n");
	md_raw(m, "| Severity | Open | Accepted | Fixed | Total |\n");
	md_raw(m, "| --- | ---: | ---: | ---: | ---: |\n");
	for (s = 0; s < N_SEVERITIES; s++)
		md_raw(m, "| %s | %zu | %zu | %zu | %zu |\n", severity_name(md_order[s]),
		       counts[s][0], counts[s][1], counts[s][2], counts[s][3]);
	md_raw(m, "| **all** | | | | **%zu** |\n\n", r->n_items);
}

static void
md_status(struct md *m, const struct report_item *it)
{
	md_raw(m, "- **Status:** ");
	md_text(m, report_status(it));
	if (it->until && *it->until) {
		md_raw(m, " until ");
		md_text(m, it->until);
	}
	if (it->reason && *it->reason) {
		md_raw(m, ": ");
		md_text(m, it->reason);
	}
	md_raw(m, "\n");
}

static void
md_finding(struct md *m, const struct report_item *it)
{
	const struct finding *f = it->f;

	md_raw(m, "#### ");
	md_text(m, f->rule->id);
	md_raw(m, ": ");
	md_text(m, f->rule->title);
	md_raw(m, "\n\n- **Resource:** ");
	if (it->resource_name && *it->resource_name) {
		md_text(m, it->resource_name);
		md_raw(m, " (");
		md_text_or_dash(m, f->resource);
		md_raw(m, ")");
	} else {
		md_text_or_dash(m, f->resource);
	}
	if (it->region && *it->region) {
		md_raw(m, " in ");
		md_text(m, it->region);
	}
	md_raw(m, "\n- **Location:** ");
	md_text_or_dash(m, f->location);
	md_raw(m, "\n");
	md_status(m, it);
	md_raw(m, "- **Evidence:** ");
	md_text_or_dash(m, f->evidence);
	md_raw(m, "\n- **Fix:** ");
	md_text_or_dash(m, f->rule->fix);
	md_raw(m, "\n\n");
}

static void
md_findings(struct md *m, const struct report *r)
{
	size_t i, s, n;

	md_raw(m, "## Findings\n\n");
	if (!r->n_items)
		md_raw(m, "No findings.\n\n");
	for (s = 0; s < N_SEVERITIES; s++) {
		for (i = n = 0; i < r->n_items; i++)
			n += r->items[i].f->severity == md_order[s];
		if (!n)
			continue;
		md_raw(m, "### %s (%zu)\n\n", md_headings[md_order[s]], n);
		for (i = 0; i < r->n_items && !m->rc; i++) {
			if (r->items[i].f->severity != md_order[s])
				continue;
			md_finding(m, &r->items[i]);
			md_flush(m, MD_FLUSH_BYTES);
		}
	}
}

/* The indices of the n highest scores, highest first (ties keep the caller's order). */
static size_t
md_top_scores(const struct report *r, size_t *top, size_t max)
{
	char *taken = xcalloc(r->n_scores ? r->n_scores : 1, 1);
	size_t n, i;

	for (n = 0; n < max && n < r->n_scores; n++) {
		size_t best = r->n_scores;

		for (i = 0; i < r->n_scores; i++) {
			if (!taken[i] &&
			    (best == r->n_scores || r->scores[i].score > r->scores[best].score))
				best = i;
		}
		taken[best] = 1;
		top[n] = best;
	}
	free(taken);
	return n;
}

static void
md_score_row(struct md *m, const struct report *r, size_t rank, const struct report_score *s)
{
	size_t i, owned = 0;

	for (i = 0; i < r->n_items; i++)
		owned += (size_t)report_score_owns(s, r->items[i].f);
	md_raw(m, "| %zu | ", rank);
	md_text_or_dash(m, s->name && *s->name ? s->name : s->arn);
	md_raw(m, " | ");
	md_text_or_dash(m, s->region);
	md_raw(m, " | %d | %d | %s | %s | %zu |\n", s->score, s->base,
	       s->public_entry ? "yes" : "no", s->reaches_data ? "yes" : "no", owned);
}

static void
md_scores(struct md *m, const struct report *r)
{
	size_t top[MD_TOP_SCORES];
	size_t n = md_top_scores(r, top, MD_TOP_SCORES), i;

	md_raw(m, "## Top functions by score\n\n");
	if (!n) {
		md_raw(m, "No function scores.\n");
		return;
	}
	md_raw(m,
	       "| # | Function | Region | Score | Base | Public entry | Reaches data | Findings |\n");
	md_raw(m, "| ---: | --- | --- | ---: | ---: | --- | --- | ---: |\n");
	for (i = 0; i < n; i++)
		md_score_row(m, r, i + 1, &r->scores[top[i]]);
	if (r->n_scores > n)
		md_raw(m, "\n%zu more functions are scored in the JSON report.\n", r->n_scores - n);
}

int
report_md_write(FILE *out, const struct report *r, struct err *err)
{
	struct md m = { .out = out, .err = err };

	buf_init(&m.b, 0);
	md_title(&m, r);
	md_summary(&m, r);
	md_findings(&m, r);
	md_scores(&m, r);
	md_flush(&m, 0);
	buf_release(&m.b);
	return m.rc;
}
