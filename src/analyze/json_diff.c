/*
 * Unified line diff (see json_diff.h).
 *
 * Design notes:
 *  1. An edit script is a list of ops, each ' ' (both texts), '-' (old
 *     only) or '+' (new only), with the old and new line index it stands at
 *     (edit_script).
 *  2. Hunks group changes closer than 2 x context lines; each hunk's header
 *     counts the old and new lines it shows, as diff -u does (print_hunk).
 */
#include "analyze/json_diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"

struct line {
	const char *p;
	size_t n;
};

struct lines {
	struct line *v;
	size_t n;
};

struct op {
	char kind;     /* ' ', '-', '+' */
	size_t ai, bi; /* line indexes in the old and new text where the op stands */
};

struct script {
	struct op *v;
	size_t n;
};

static void
split_lines(const char *text, struct lines *out)
{
	const char *p = text ? text : "";
	size_t cap = 16;

	out->n = 0;
	out->v = xmalloc(cap * sizeof(*out->v));
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (out->n == cap) {
			cap *= 2;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
		}
		out->v[out->n].p = p;
		out->v[out->n++].n = len;
		p += len + (nl ? 1 : 0);
	}
}

static int
same(const struct line *x, const struct line *y)
{
	return x->n == y->n && !memcmp(x->p, y->p, x->n);
}

static void
push(struct script *s, char kind, size_t ai, size_t bi)
{
	s->v[s->n].kind = kind;
	s->v[s->n].ai = ai;
	s->v[s->n++].bi = bi;
}

/* The middle a[a0,a1) against b[b0,b1) by an exact LCS, or as a whole replacement. */
static void
diff_middle(const struct lines *a, size_t a0, size_t a1, const struct lines *b, size_t b0,
            size_t b1, struct script *s)
{
	size_t n = a1 - a0, m = b1 - b0, i, j, w = m + 1;
	uint32_t *lcs;

	if (!n || !m || (unsigned long)n * m > JSON_DIFF_MAX_CELLS) {
		for (i = a0; i < a1; i++)
			push(s, '-', i, b0);
		for (j = b0; j < b1; j++)
			push(s, '+', a1, j);
		return;
	}
	lcs = xcalloc((n + 1) * w, sizeof(*lcs));
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;) {
			uint32_t down = lcs[(i + 1) * w + j], right = lcs[i * w + j + 1];

			if (same(&a->v[a0 + i], &b->v[b0 + j]))
				lcs[i * w + j] = lcs[(i + 1) * w + j + 1] + 1;
			else
				lcs[i * w + j] = down > right ? down : right;
		}
	for (i = 0, j = 0; i < n || j < m;) {
		if (i < n && j < m && same(&a->v[a0 + i], &b->v[b0 + j])) {
			push(s, ' ', a0 + i++, b0 + j++);
		} else if (j == m || (i < n && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
			push(s, '-', a0 + i++, b0 + j);
		} else {
			push(s, '+', a0 + i, b0 + j++);
		}
	}
	free(lcs);
}

static void
edit_script(const struct lines *a, const struct lines *b, struct script *s)
{
	size_t head = 0, tail = 0, i;

	s->n = 0;
	s->v = xmalloc((a->n + b->n + 1) * sizeof(*s->v));
	while (head < a->n && head < b->n && same(&a->v[head], &b->v[head]))
		head++;
	while (tail < a->n - head && tail < b->n - head &&
	       same(&a->v[a->n - 1 - tail], &b->v[b->n - 1 - tail]))
		tail++;
	for (i = 0; i < head; i++)
		push(s, ' ', i, i);
	diff_middle(a, head, a->n - tail, b, head, b->n - tail, s);
	for (i = tail; i > 0; i--)
		push(s, ' ', a->n - i, b->n - i);
}

/* "-l,s" as diff -u writes it: ",1" left out, an empty side names the line before it. */
static int
print_range(struct buf *out, char sign, size_t first, size_t count)
{
	if (count == 1)
		return buf_printf(out, "%c%zu", sign, first + 1);
	return buf_printf(out, "%c%zu,%zu", sign, count ? first + 1 : first, count);
}

/* Returns 0, or ERR_LIMIT when out passed its cap (and was released). */
static int
print_hunk(const struct script *s, size_t from, size_t to, const struct lines *a,
           const struct lines *b, struct buf *out)
{
	size_t i, old = 0, new = 0;
	int rc;

	for (i = from; i < to; i++) {
		old += s->v[i].kind != '+';
		new += s->v[i].kind != '-';
	}
	rc = buf_puts(out, "@@ ");
	rc |= print_range(out, '-', s->v[from].ai, old);
	rc |= buf_puts(out, " ");
	rc |= print_range(out, '+', s->v[from].bi, new);
	rc |= buf_puts(out, " @@\n");
	for (i = from; i < to && !rc; i++) {
		const struct line *l = s->v[i].kind == '+' ? &b->v[s->v[i].bi] : &a->v[s->v[i].ai];

		rc |= buf_printf(out, "%c%.*s\n", s->v[i].kind, (int)l->n, l->p);
	}
	return rc;
}

/* The end of the hunk that starts with the change at i: past its last change plus context. */
static size_t
hunk_end(const struct script *s, size_t i, size_t context)
{
	size_t last = i, k;

	for (k = i + 1; k < s->n && k <= last + 2 * context + 1; k++)
		if (s->v[k].kind != ' ')
			last = k;
	return last + context + 1 < s->n ? last + context + 1 : s->n;
}

int
json_diff_text(const char *a, const char *b, const char *label_a, const char *label_b, int context,
               char **out, struct err *err)
{
	struct lines la, lb;
	struct script s;
	struct buf text;
	int rc = 0;
	size_t i, hunks = 0, ctx = context > 0 ? (size_t)context : 0;

	split_lines(a, &la);
	split_lines(b, &lb);
	edit_script(&la, &lb, &s);
	buf_init(&text, 0);
	for (i = 0; i < s.n && !rc; i++) {
		size_t from, to;

		if (s.v[i].kind == ' ')
			continue;
		if (!hunks++)
			rc = buf_printf(&text, "--- %s\n+++ %s\n", label_a ? label_a : "a",
			                label_b ? label_b : "b");
		from = i > ctx ? i - ctx : 0;
		to = hunk_end(&s, i, ctx);
		rc |= print_hunk(&s, from, to, &la, &lb, &text);
		i = to - 1;
	}
	free(la.v);
	free(lb.v);
	free(s.v);
	if (!hunks) {
		*out = xstrdup("");
		return 0;
	}
	if (rc) { /* an append passed the cap */
		buf_release(&text);
		*out = NULL;
		return err_set(err, ERR_LIMIT, "diff over %zu bytes", (size_t)BUF_MAX_DEFAULT);
	}
	*out = buf_take(&text, NULL);
	return 0;
}

int
json_diff(const cJSON *a, const cJSON *b, const char *label_a, const char *label_b, int context,
          char **out, struct err *err)
{
	char *ta = a ? cJSON_Print(a) : NULL, *tb = b ? cJSON_Print(b) : NULL;
	int rc;

	if ((a && !ta) || (b && !tb)) {
		free(ta);
		free(tb);
		*out = NULL;
		return err_set(err, ERR_PARSE, "cannot print a document to compare");
	}
	rc = json_diff_text(ta ? ta : "", tb ? tb : "", label_a, label_b, context, out, err);
	free(ta);
	free(tb);
	return rc;
}
