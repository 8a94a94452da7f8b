/*
 * Inside the permissions family: what a role's documents grant, as sets of
 * catalog actions per Allow statement (perm_eval.c), read by the checks
 * (perm.c, perm_escalation.c, perm_usage.c).
 */
#ifndef SHEARS_ANALYZE_PERM_INT_H
#define SHEARS_ANALYZE_PERM_INT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <time.h>

#include "analyze/finding.h"
#include "analyze/iam_catalog.h"
#include "analyze/perm.h"
#include "util/buf.h"
#include "util/err.h"

struct perm_policy {
	const char *name; /* PolicyName (borrowed from attrs or the caller) */
	const char *arn;  /* managed: PolicyArn; inline: NULL */
	const cJSON *doc; /* NULL when the document was not collected */
};

/* One Allow statement, after unconditional Denies and the boundary took their share. */
struct perm_grant {
	size_t policy; /* index into perm_eval.pol */
	int statement; /* 1-based, in the document's order */
	const cJSON *stmt;
	struct iam_set actions;
	int wide;        /* reaches every resource of a kind (perm.h) */
	int conditional; /* has a Condition, which shears does not evaluate */
};

enum perm_boundary {
	PERM_BOUNDARY_NONE = 0,
	PERM_BOUNDARY_APPLIED,  /* its document is known and intersected */
	PERM_BOUNDARY_ARN_ONLY, /* only its ARN is known: nothing reduced */
};

struct perm_eval {
	const char *resource; /* the role ARN (or the document's name) findings are about */
	struct perm_policy *pol;
	size_t n_pol;
	struct perm_grant *g;
	size_t n_g;
	struct iam_set any;       /* granted on some resource */
	struct iam_set wide;      /* granted on a wide resource (any grant) */
	struct iam_set wide_firm; /* the same from grants without a Condition */
	enum perm_boundary boundary;
	const char *boundary_arn;
	size_t denies_applied, denies_skipped; /* unconditional / conditional or NotResource */
};

/* Evaluates a role's attrs (see perm.h). Returns 0 or ERR_PARSE (ev released). */
int perm_eval_role(struct perm_eval *ev, const char *role_arn, const cJSON *attrs,
                   const cJSON *boundary_doc, struct err *err);
/* Evaluates one document as if it were a role's only inline policy. */
int perm_eval_document(struct perm_eval *ev, const char *name, const cJSON *doc, struct err *err);
void perm_eval_release(struct perm_eval *ev);

/*
 * The grant that gives action i, preferring a wide one when wide is set
 * (then only wide ones) and one without a Condition. NULL when none.
 */
const struct perm_grant *perm_eval_grant_of(const struct perm_eval *ev, size_t i, int wide);

/* "policy NAME statement N" into out. */
void perm_where(const struct perm_eval *ev, const struct perm_grant *g, char *out, size_t n);

/* Appends to b what the evidence must say about conditions, denies and the boundary. */
void perm_notes(const struct perm_eval *ev, int conditional, struct buf *b);

/* 1 when a Resource pattern reaches every resource of its kind (see perm_eval.c). */
int perm_resource_is_wide(const char *pattern);

/* The managed policy attached under this AWS name ("AdministratorAccess"), or NULL. */
const struct perm_policy *perm_eval_aws_managed(const struct perm_eval *ev, const char *name);

/* The checks; each appends findings for ev->resource. */
void perm_check_breadth(const struct perm_eval *ev, struct findings *out, int *admin);
void perm_check_escalation(const struct perm_eval *ev, const char *const *own_functions,
                           size_t n_own, struct findings *out);
void perm_check_exfiltration(const struct perm_eval *ev, struct findings *out);
void perm_check_usage(const struct perm_eval *ev, const cJSON *attrs, const struct perm_opts *o,
                      struct findings *out);

/* Every action the escalation table names (for tests); returns the count. */
size_t perm_escalation_each_action(void (*fn)(const char *action, void *ctx), void *ctx);
/* Every action the data table names (for tests); returns the count. */
size_t perm_data_each_action(void (*fn)(const char *action, void *ctx), void *ctx);

/* Parses an ISO 8601 UTC time as AWS writes it; returns 0, or -1. */
int perm_parse_time(const char *s, time_t *out);

#endif
