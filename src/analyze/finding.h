/*
 * A finding: one rule raised on one resource at one place. Checks append
 * findings to a list; the store keeps them (with their review state) and the
 * console, reports and the CI gate read them. Evidence is always redacted
 * before it reaches a finding: a finding may be printed, stored or uploaded.
 */
#ifndef SHEARS_ANALYZE_FINDING_H
#define SHEARS_ANALYZE_FINDING_H

#include <stddef.h>

#include "analyze/rule.h"

struct finding {
	const struct rule *rule;
	enum severity severity; /* the rule's default unless the check raised or lowered it */
	char *resource;         /* ARN of the resource it is about (or a path for `shears check`) */
	char *location;         /* where inside it: "env:DB_PASSWORD", "config.js:12",
	                           "policy acme-x statement 2"; "" when the whole resource */
	char *evidence;         /* human text, redacted: what was seen and what decided */
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

/*
 * Appends a finding of rule_id (which must be in the catalog: an unknown id
 * is a programming error and aborts) with the rule's default severity.
 * Strings are copied; location may be NULL. Returns the new finding so the
 * caller can adjust its severity.
 */
struct finding *findings_add(struct findings *f, const char *rule_id, const char *resource,
                             const char *location, const char *evidence_fmt, ...)
        __attribute__((format(printf, 5, 6)));

void findings_free(struct findings *f);

/*
 * A finding's stable id: 16 hex digits of SHA-256 over rule id, resource and
 * location, each followed by a NUL byte. The same problem at the same place keeps its id across
 * scans, so review state and reports can refer to it.
 */
#define FINDING_ID_LEN 16
void finding_id(const struct finding *f, char out[FINDING_ID_LEN + 1]);

#endif
