/*
 * The rule catalog: a rule is a row. Each family keeps its rows in its own
 * table (rules_<family>.c or next to its checks) and catalog.c joins them, so
 * `shears rules`, the man page, reports and the console all read one list.
 */
#ifndef SHEARS_ANALYZE_RULE_H
#define SHEARS_ANALYZE_RULE_H

#include <stddef.h>

enum severity {
	SEV_INFO = 0,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
};

/* The remediation action a finding of the rule maps to (src/act, issue 7). */
enum remedy {
	REMEDY_MANUAL = 0, /* advice only: rotate a key, upgrade a package, ... */
	REMEDY_PRUNE,
	REMEDY_QUARANTINE,
	REMEDY_SHORTEN_TIMEOUT,
	REMEDY_TIGHTEN_ROLE,
	REMEDY_CLOSE_PUBLIC,
	/* the orphans: one action each, as they are one kind each (act/orphans.h) */
	REMEDY_PRUNE_ROLE,
	REMEDY_PRUNE_LOG_GROUP,
	REMEDY_PRUNE_LAYER_VERSION,
};

struct rule {
	const char *id;     /* "SHR-SEC-001": family code and a number, never reused */
	const char *family; /* secrets dependencies permissions exposure hygiene behaviour */
	const char *title;  /* one line, what is wrong: "Stripe secret key in code package" */
	enum severity severity;
	const char *evidence; /* what the finding shows: "variable name, redacted value" */
	enum remedy remedy;
	const char *fix;           /* what to do, one or two sentences */
	const char *why;           /* why it matters, one paragraph (shown in console/reports) */
	const char *owasp;         /* OWASP Serverless Top 10 entry: "SAS-3 ..." or NULL */
	const char *reference;     /* one URL (AWS or provider docs) or NULL */
	const char *example_true;  /* an input that raises it (for the man page) */
	const char *example_false; /* a near miss that does not */
};

/* A family's rows: each family file defines one (rules_<family>.c). */
struct rule_table {
	const struct rule *rows;
	size_t n;
};

extern const struct rule_table rules_secrets, rules_dependencies, rules_permissions, rules_exposure,
        rules_hygiene, rules_behaviour;

const char *severity_name(enum severity s); /* "critical" ... "info" */
/* Parses "critical".."info" (case-blind). Returns 0, or -1 when unknown. */
int severity_parse(const char *s, enum severity *out);
const char *remedy_name(enum remedy r); /* "prune", "tighten-role", "manual" ... */

/* The whole catalog, in id order. */
size_t rule_count(void);
const struct rule *rule_at(size_t i);
/* By id ("SHR-SEC-001", case-blind); NULL when unknown. */
const struct rule *rule_find(const char *id);

#endif
