#include "analyze/finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/redact.h"
#include "util/xmalloc.h"

struct finding *
findings_add(struct findings *f, const char *rule_id, const char *resource, const char *location,
             const char *evidence_fmt, ...)
{
	const struct rule *rule = rule_find(rule_id);
	struct finding *out;
	va_list ap;
	int len;

	if (!rule) {
		fprintf(stderr, "shears: internal error: rule %s is not in the catalog\n", rule_id);
		abort();
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->v = xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	out = &f->v[f->n++];
	out->rule = rule;
	out->severity = rule->severity;
	out->resource = xstrdup(resource ? resource : "");
	out->location = xstrdup(location ? location : "");
	va_start(ap, evidence_fmt);
	len = vsnprintf(NULL, 0, evidence_fmt, ap);
	va_end(ap);
	out->evidence = xmalloc((size_t)(len < 0 ? 0 : len) + 1);
	out->evidence[0] = '\0';
	va_start(ap, evidence_fmt);
	if (len >= 0)
		vsnprintf(out->evidence, (size_t)len + 1, evidence_fmt, ap);
	va_end(ap);
	return out;
}

void
findings_free(struct findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].resource);
		free(f->v[i].location);
		free(f->v[i].evidence);
	}
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

void
finding_id(const struct finding *f, char out[FINDING_ID_LEN + 1])
{
	char key[4096], red[65];
	const char *hash;
	int len = snprintf(key, sizeof(key), "%s%c%s%c%s", f->rule->id, 0, f->resource, 0,
	                   f->location);

	if (len < 0)
		len = 0;
	if ((size_t)len >= sizeof(key))
		len = (int)sizeof(key) - 1;
	/* the redaction's hash part: "…sha256:" followed by 12 hex; take 16 from a longer form */
	redact_hash_hex(key, (size_t)len, red, sizeof(red));
	hash = red;
	snprintf(out, FINDING_ID_LEN + 1, "%.16s", hash);
}
