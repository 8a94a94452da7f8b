/*
 * The permissions family's entry points and its breadth checks: admin,
 * power user, full IAM, service wildcards, writes on "*" (SHR-PERM-001..005).
 * A role with administrator access gets that one breadth finding: the
 * narrower ones would only restate it.
 */
#include "analyze/perm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/perm_int.h"
#include "util/json.h"
#include "util/policy.h"

/* At most this many services left out still reads as "everything" (PowerUserAccess leaves 3). */
#define PERM_POWER_MISSING 5
#define PERM_LIST_MAX      6 /* names shown in evidence before "..." */

/* Actions every Lambda function needs on "*" or cannot scope (note in SHR-PERM-005's row). */
static const char *const write_baseline[] = {
	"logs:CreateLogGroup",
	"logs:CreateLogStream",
	"logs:PutLogEvents",
	"ec2:CreateNetworkInterface",
	"ec2:DeleteNetworkInterface",
	"ec2:AssignPrivateIpAddresses",
	"ec2:UnassignPrivateIpAddresses",
};

/* Services whose wildcard on "*" is high rather than medium (SHR-PERM-004). */
static const char *const sensitive_services[] = {
	"iam",    "sts", "organizations", "kms",       "secretsmanager", "ssm",
	"lambda", "s3",  "dynamodb",      "ec2",       "cloudformation", "rds",
	"ecs",    "eks", "glue",          "sagemaker", "codebuild",      "states",
};

static int
in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(s, list[i]))
			return 1;
	return 0;
}

static int
run_full(const struct iam_set *s, size_t first, size_t n)
{
	return iam_set_count_range(s, first, n) == n;
}

/* Services not wholly in s; their names (the first few) go to b. */
static size_t
services_missing(const struct iam_set *s, struct buf *b)
{
	size_t i, first, n, missing = 0;
	const char *name;

	for (i = 0; (name = iam_catalog_service_at(i, &first, &n)); i++) {
		if (run_full(s, first, n))
			continue;
		if (missing < PERM_LIST_MAX)
			buf_printf(b, "%s%s", missing ? ", " : "", name);
		else if (missing == PERM_LIST_MAX)
			buf_puts(b, ", ...");
		missing++;
	}
	return missing;
}

/* The wide grant holding the most actions: the one that decided a breadth finding. */
static const struct perm_grant *
widest_grant(const struct perm_eval *ev)
{
	const struct perm_grant *best = NULL;
	size_t i, best_n = 0;

	for (i = 0; i < ev->n_g; i++) {
		size_t c = ev->g[i].wide ? iam_set_count(&ev->g[i].actions) : 0;

		if (c > best_n) {
			best = &ev->g[i];
			best_n = c;
		}
	}
	return best;
}

static void
add_named(const struct perm_eval *ev, const char *rule, const struct perm_policy *p,
          struct findings *out)
{
	struct buf notes;

	buf_init(&notes, 0);
	perm_notes(ev, 0, &notes);
	findings_add(out, rule, ev->resource, "",
	             "AWS managed policy %s (%s) attached; its document was not collected, judged "
	             "by its name%s",
	             p->name, p->arn, buf_cstr(&notes));
	buf_release(&notes);
}

static void
add_with_grant(const struct perm_eval *ev, const char *rule, const struct perm_grant *g,
               int conditional, const char *what, struct findings *out)
{
	char where[512];
	struct buf notes;

	buf_init(&notes, 0);
	perm_where(ev, g, where, sizeof(where));
	perm_notes(ev, conditional, &notes);
	findings_add(out, rule, ev->resource, where, "%s: %s%s", where, what, buf_cstr(&notes));
	buf_release(&notes);
}

/* SHR-PERM-001 and -002. Returns 1 for admin, 2 for power user, 0 for neither. */
static int
check_admin(const struct perm_eval *ev, struct findings *out)
{
	const struct perm_policy *named = perm_eval_aws_managed(ev, "AdministratorAccess");
	const struct perm_grant *g = widest_grant(ev);
	size_t services = iam_catalog_service_count(), iam_first, iam_n, missing;
	struct buf names, what;
	int firm, iam_full, kind = 0;

	buf_init(&names, 0);
	buf_init(&what, 0);
	missing = services_missing(&ev->wide, &names);
	iam_full = !iam_catalog_service("iam", &iam_first, &iam_n) &&
	           run_full(&ev->wide, iam_first, iam_n);
	firm = services_missing(&ev->wide_firm, &what) == missing;
	buf_reset(&what);
	if (g && (missing == 0 || (iam_full && missing <= PERM_POWER_MISSING))) {
		buf_printf(&what, "every action on every resource (%zu of %zu services whole%s%s)",
		           services - missing, services, missing ? "; short of " : "",
		           buf_cstr(&names));
		add_with_grant(ev, "SHR-PERM-001", g, !firm, buf_cstr(&what), out);
		kind = 1;
	} else if (named && !named->doc) {
		add_named(ev, "SHR-PERM-001", named, out);
		kind = 1;
	} else if (g && missing <= PERM_POWER_MISSING) {
		buf_printf(&what, "every action on every resource except in %s", buf_cstr(&names));
		add_with_grant(ev, "SHR-PERM-002", g, !firm, buf_cstr(&what), out);
		kind = 2;
	} else if ((named = perm_eval_aws_managed(ev, "PowerUserAccess")) && !named->doc) {
		add_named(ev, "SHR-PERM-002", named, out);
		kind = 2;
	}
	buf_release(&names);
	buf_release(&what);
	return kind;
}

/* SHR-PERM-003. Returns 1 when raised. */
static int
check_iam_full(const struct perm_eval *ev, struct findings *out)
{
	const struct perm_policy *named = perm_eval_aws_managed(ev, "IAMFullAccess");
	size_t first, n;
	const struct perm_grant *g;

	if (iam_catalog_service("iam", &first, &n))
		return 0;
	if (run_full(&ev->wide, first, n)) {
		g = perm_eval_grant_of(ev, first, 1);
		add_with_grant(ev, "SHR-PERM-003", g, !run_full(&ev->wide_firm, first, n),
		               "every IAM action (iam:*) on every resource", out);
		return 1;
	}
	if (named && !named->doc) {
		add_named(ev, "SHR-PERM-003", named, out);
		return 1;
	}
	return 0;
}

struct star_ctx {
	const struct perm_eval *ev;
	const struct perm_grant *g;
	struct buf *b;
	size_t n;
	int high, conditional, skip_iam;
	const struct perm_grant *first;
};

static void
note_service_star(const char *pattern, void *ctx)
{
	struct star_ctx *c = ctx;
	const char *colon = strchr(pattern, ':');
	char svc[128], where[512];
	size_t first, n, len;

	if (!colon || strspn(colon + 1, "*") != strlen(colon + 1) || !colon[1])
		return;
	len = (size_t)(colon - pattern);
	if (len >= sizeof(svc) || strcspn(pattern, "*?") < len)
		return;
	memcpy(svc, pattern, len);
	svc[len] = '\0';
	if (iam_catalog_service(svc, &first, &n) || !run_full(&c->g->actions, first, n) ||
	    (c->skip_iam && !strcasecmp(svc, "iam")))
		return;
	perm_where(c->ev, c->g, where, sizeof(where));
	buf_printf(c->b, "%s%s:* (%s%s%s)", c->n ? ", " : "", svc, where,
	           c->g->wide ? ", on every resource" : "",
	           c->g->conditional ? ", conditional" : "");
	if (c->g->wide && in_list(svc, sensitive_services,
	                          sizeof(sensitive_services) / sizeof(sensitive_services[0])))
		c->high = 1;
	c->conditional |= c->g->conditional;
	if (!c->n++)
		c->first = c->g;
}

/* SHR-PERM-004. */
static void
check_service_star(const struct perm_eval *ev, int skip_iam, struct findings *out)
{
	struct buf b, notes;
	struct star_ctx c = { .ev = ev, .b = &b, .skip_iam = skip_iam };
	size_t i;
	char where[512];
	struct finding *f;

	buf_init(&b, 0);
	buf_init(&notes, 0);
	for (i = 0; i < ev->n_g; i++) {
		c.g = &ev->g[i];
		policy_statement_strings(c.g->stmt, "Action", note_service_star, &c);
	}
	if (c.n) {
		perm_where(ev, c.first, where, sizeof(where));
		perm_notes(ev, c.conditional, &notes);
		f = findings_add(out, "SHR-PERM-004", ev->resource, where,
		                 "%zu service wildcard(s): %s%s", c.n, buf_cstr(&b),
		                 buf_cstr(&notes));
		if (c.high)
			f->severity = SEV_HIGH;
	}
	buf_release(&b);
	buf_release(&notes);
}

/*
 * A read verb names an API that changes nothing; the catalog files a few
 * under Write because they hand out a session or credentials
 * (athena:GetSessionEndpoint, redshift:GetClusterCredentials). ReadOnlyAccess
 * grants them through "Get*": they are not "write on *".
 */
static int
named_as_read(const struct iam_action *a)
{
	static const char *const verbs[] = { "Get", "List", "Describe", "BatchGet" };
	const char *op = strchr(a->name, ':');
	size_t i;

	for (i = 0; op && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strncmp(op + 1, verbs[i], strlen(verbs[i])))
			return 1;
	return 0;
}

/* Counted in SHR-PERM-005: a scopable write that is neither baseline nor a read by name. */
static int
write_counts(const struct iam_action *a)
{
	return (a->access == IAM_WRITE || a->access == IAM_PERMISSIONS) && a->resource_types[0] &&
	       !named_as_read(a) &&
	       !in_list(a->name, write_baseline,
	                sizeof(write_baseline) / sizeof(write_baseline[0]));
}

/* The statements that grant the counted writes, each once, into b. */
static void
write_sources(const struct perm_eval *ev, struct buf *b, const struct perm_grant **top)
{
	size_t k, i, best = 0, shown = 0, all = iam_catalog_count();
	char where[512];

	for (k = 0; k < ev->n_g; k++) {
		const struct perm_grant *g = &ev->g[k];
		size_t c = 0;

		if (!g->wide)
			continue;
		for (i = iam_set_next(&g->actions, 0); i < all;
		     i = iam_set_next(&g->actions, i + 1))
			c += (size_t)write_counts(iam_catalog_at(i));
		if (!c)
			continue;
		perm_where(ev, g, where, sizeof(where));
		buf_printf(b, "%s%s (%zu%s)", shown++ ? ", " : "", where, c,
		           g->conditional ? ", conditional" : "");
		if (c > best) {
			best = c;
			*top = g;
		}
	}
}

/* SHR-PERM-005: permissions-management actions are listed first, they matter most. */
static void
check_write_star(const struct perm_eval *ev, struct findings *out)
{
	size_t i, all = iam_catalog_count(), n_write = 0, n_perm = 0, shown = 0;
	int pass, conditional = 0;
	struct buf names, from, notes;
	const struct perm_grant *top = NULL;
	char where[512];

	buf_init(&names, 0);
	for (pass = 0; pass < 2; pass++) {
		for (i = iam_set_next(&ev->wide, 0); i < all; i = iam_set_next(&ev->wide, i + 1)) {
			const struct iam_action *a = iam_catalog_at(i);

			if (!write_counts(a) || (a->access == IAM_PERMISSIONS) != (pass == 0))
				continue;
			if (pass == 0)
				n_perm++;
			else
				n_write++;
			conditional |= !iam_set_has(&ev->wide_firm, i);
			if (shown++ < PERM_LIST_MAX)
				buf_printf(&names, "%s%s", shown > 1 ? ", " : "", a->name);
		}
	}
	if (n_write + n_perm) {
		buf_init(&from, 0);
		buf_init(&notes, 0);
		write_sources(ev, &from, &top);
		perm_where(ev, top, where, sizeof(where));
		perm_notes(ev, conditional, &notes);
		findings_add(out, "SHR-PERM-005", ev->resource, where,
		             "%zu permissions-management and %zu write actions on every resource: "
		             "%s%s; from %s%s",
		             n_perm, n_write, buf_cstr(&names),
		             shown > PERM_LIST_MAX ? ", ..." : "", buf_cstr(&from),
		             buf_cstr(&notes));
		buf_release(&from);
		buf_release(&notes);
	}
	buf_release(&names);
}

void
perm_check_breadth(const struct perm_eval *ev, struct findings *out, int *admin)
{
	int kind = check_admin(ev, out), iam_full = 0;

	*admin = kind == 1;
	if (kind == 1)
		return;
	iam_full = check_iam_full(ev, out);
	if (kind == 2)
		return; /* everything but a few services: the lists below would restate it */
	check_service_star(ev, iam_full, out);
	check_write_star(ev, out);
}

static void
run_checks(const struct perm_eval *ev, const struct perm_role_input *in, const struct perm_opts *o,
           struct findings *out)
{
	int admin = 0;

	perm_check_breadth(ev, out, &admin);
	if (!admin) {
		perm_check_escalation(ev, in ? in->function_arns : NULL, in ? in->n_functions : 0,
		                      out);
		perm_check_exfiltration(ev, out);
	}
	if (in)
		perm_check_usage(ev, in->attrs, o, out);
}

static void
check_shared(const struct perm_role_input *in, const char *resource, struct findings *out)
{
	struct buf names;
	size_t i;

	if (in->n_functions < 2 || !in->function_arns)
		return;
	buf_init(&names, 0);
	for (i = 0; i < in->n_functions && i < PERM_LIST_MAX; i++)
		buf_printf(&names, "%s%s", i ? ", " : "",
		           in->function_arns[i] ? in->function_arns[i] : "?");
	findings_add(out, "SHR-PERM-010", resource, "", "%zu functions use this role: %s%s",
	             in->n_functions, buf_cstr(&names),
	             in->n_functions > PERM_LIST_MAX ? ", ..." : "");
	buf_release(&names);
}

int
perm_check_role(const struct perm_role_input *in, const struct perm_opts *o, struct findings *out,
                struct err *err)
{
	struct perm_eval ev;
	int rc = perm_eval_role(&ev, in->role_arn, in->attrs, in->boundary_doc, err);

	if (rc)
		return rc;
	run_checks(&ev, in, o, out);
	check_shared(in, ev.resource, out);
	perm_eval_release(&ev);
	return 0;
}

int
perm_check_document(const char *name, const cJSON *doc, const struct perm_opts *o,
                    struct findings *out, struct err *err)
{
	struct perm_eval ev;
	int rc = perm_eval_document(&ev, name, doc, err);

	if (rc)
		return rc;
	run_checks(&ev, NULL, o, out);
	perm_eval_release(&ev);
	return 0;
}
