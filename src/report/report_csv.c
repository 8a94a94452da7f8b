/*
 * The CSV report: RFC 4180 (CRLF line ends, a header row, a field quoted when
 * it holds a comma, a quote, CR or LF, quotes doubled), one finding per row,
 * the columns of the JSON finding in the same order.
 *
 * Cloud strings reach spreadsheets, so two more repairs (man/shears-report.5):
 *   1. Control characters other than TAB, CR and LF, bidi controls and
 *      invalid UTF-8 take their terminal-safe form (util/termsafe.h), so the
 *      file is valid UTF-8 and `cat` cannot be steered.
 *   2. A field starting with = + - @ TAB or CR gets a leading single quote,
 *      so no spreadsheet reads it as a formula (OWASP "CSV Injection").
 */
#include <string.h>

#include "report/report_int.h"
#include "util/termsafe.h"

static const char *const csv_columns[] = {
	"id",       "rule",   "family",   "title",         "severity", "status",
	"reason",   "until",  "resource", "resource_name", "region",   "location",
	"evidence", "remedy", "fix",      "why",           "owasp",    "reference",
};

#define N_COLUMNS (sizeof(csv_columns) / sizeof(csv_columns[0]))

/* s made safe, keeping the TAB, CR and LF a cell may hold. */
static int
csv_clean(struct buf *b, const char *s)
{
	int rc = 0;

	while (*s && !rc) {
		size_t n = strcspn(s, "\t\r\n");

		rc = termsafe_append(b, s, n);
		if (!rc && s[n])
			rc = buf_putc(b, s[n++]);
		s += n;
	}
	return rc;
}

/* Appends one field, defused and quoted as needed, to the row. */
static int
csv_field(struct buf *row, const char *s)
{
	struct buf cell;
	const char *c;
	int rc, formula, quote;

	buf_init(&cell, 0);
	rc = csv_clean(&cell, s ? s : "");
	c = buf_cstr(&cell);
	formula = c[0] && strchr("=+-@\t\r", c[0]);
	quote = c[strcspn(c, ",\"\r\n")] != '\0';
	if (!rc && quote)
		rc = buf_putc(row, '"');
	if (!rc && formula)
		rc = buf_putc(row, '\''); /* inside the quotes: part of the value */
	for (; !rc && *c; c++)
		rc = *c == '"' ? buf_puts(row, "\"\"") : buf_putc(row, *c);
	if (!rc && quote)
		rc = buf_putc(row, '"');
	buf_release(&cell);
	return rc;
}

static int
csv_row(FILE *out, const char *const *fields, struct err *err)
{
	struct buf row;
	size_t i;
	int rc = 0;

	buf_init(&row, 0);
	for (i = 0; i < N_COLUMNS && !rc; i++) {
		if (i)
			rc = buf_putc(&row, ',');
		if (!rc)
			rc = csv_field(&row, fields[i]);
	}
	if (!rc)
		rc = buf_puts(&row, "\r\n");
	if (rc)
		rc = err_set(err, ERR_LIMIT, "a report row is over %zu bytes",
		             (size_t)BUF_MAX_DEFAULT);
	else
		rc = report_put(out, row.data, row.len, err);
	buf_release(&row);
	return rc;
}

int
report_csv_write(FILE *out, const struct report *r, struct err *err)
{
	size_t i;
	int rc = csv_row(out, csv_columns, err);

	for (i = 0; i < r->n_items && !rc; i++) {
		const struct report_item *it = &r->items[i];
		const struct finding *f = it->f;
		char id[REPORT_ID_LEN];
		const char *fields[N_COLUMNS] = {
			id,
			f->rule->id,
			f->rule->family,
			f->rule->title,
			severity_name(f->severity),
			report_status(it),
			it->reason,
			it->until,
			f->resource,
			it->resource_name,
			it->region,
			f->location,
			f->evidence,
			remedy_name(f->rule->remedy),
			f->rule->fix,
			f->rule->why,
			f->rule->owasp,
			f->rule->reference,
		};

		report_finding_id(f, id);
		rc = csv_row(out, fields, err);
	}
	return rc;
}
