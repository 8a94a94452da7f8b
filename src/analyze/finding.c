#include "analyze/finding.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	static const char hex[] = "0123456789abcdef";
	const char *parts[3] = { f->rule->id, f->resource, f->location };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t i;

	if (!ctx)
		abort(); /* out of memory, as xmalloc */
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (i = 0; i < 3; i++) {
		const char *p = parts[i] ? parts[i] : "";

		EVP_DigestUpdate(ctx, p, strlen(p) + 1); /* the NUL separates the parts */
	}
	EVP_DigestFinal_ex(ctx, md, &md_len);
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < FINDING_ID_LEN / 2; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[FINDING_ID_LEN] = '\0';
}
