/*
 * Usage: permissions the access advisor saw unused (SHR-PERM-008) and a
 * role IAM saw unused (SHR-PERM-009), against a cutoff of N days.
 *
 * A role younger than N days raises neither: it has not had the time to
 * use what it holds. An access-advisor answer that is missing or not
 * COMPLETED says nothing, so nothing is raised from it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "analyze/perm_int.h"
#include "util/isotime.h"
#include "util/json.h"

#define DAY_S          86400
#define USAGE_LIST_MAX 8

int
perm_parse_time(const char *s, time_t *out)
{
	return iso_time_parse(s, out);
}

struct usage {
	const struct perm_eval *ev;
	time_t now, cutoff;
	int days;
};

/* 1 when the role holds a permissions-management action of service ns. */
static int
holds_permissions_management(const struct perm_eval *ev, const char *ns)
{
	size_t first, n, i;

	if (iam_catalog_service(ns, &first, &n))
		return 0;
	for (i = first; i < first + n; i++)
		if (iam_set_has(&ev->any, i) && iam_catalog_at(i)->access == IAM_PERMISSIONS)
			return 1;
	return 0;
}

/* Appends "NAME (never)" or "NAME (last DATE)" when last is unset or before the cutoff. */
static int
note_unused(const struct usage *u, const char *name, const char *last, size_t *n, struct buf *b)
{
	time_t t;

	if (last && !perm_parse_time(last, &t) && t >= u->cutoff)
		return 0;
	if (*n < USAGE_LIST_MAX)
		buf_printf(b, "%s%s (%s%.10s)", *n ? ", " : "", name, last ? "last " : "never",
		           last ? last : "");
	else if (*n == USAGE_LIST_MAX)
		buf_puts(b, ", ...");
	(*n)++;
	return 1;
}

static void
unused_actions(const struct usage *u, const cJSON *svc, size_t *n, struct buf *b)
{
	const cJSON *t;
	const char *ns = json_str(svc, "ServiceNamespace");

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(svc, "TrackedActionsLastAccessed"))
	{
		const char *action = json_str(t, "ActionName");
		char name[256];

		if (!action)
			continue;
		snprintf(name, sizeof(name), "%s:%s", ns ? ns : "?", action);
		note_unused(u, name, json_str(t, "LastAccessedTime"), n, b);
	}
}

static void
check_services(const struct usage *u, const cJSON *la, struct findings *out)
{
	const cJSON *svc;
	struct buf services, actions;
	size_t n_svc = 0, n_act = 0, total = 0;
	int medium = 0;
	struct finding *f;

	buf_init(&services, 0);
	buf_init(&actions, 0);
	cJSON_ArrayForEach(svc, cJSON_GetObjectItemCaseSensitive(la, "ServicesLastAccessed"))
	{
		const char *ns = json_str(svc, "ServiceNamespace");

		if (!ns)
			continue;
		total++;
		if (note_unused(u, ns, json_str(svc, "LastAuthenticated"), &n_svc, &services))
			medium |= holds_permissions_management(u->ev, ns);
		else
			unused_actions(u, svc, &n_act, &actions);
	}
	if (n_svc || n_act) {
		struct buf what;

		buf_init(&what, 0);
		buf_printf(&what, "%zu of %zu granted services unused for %d days", n_svc, total,
		           u->days);
		if (n_svc)
			buf_printf(&what, ": %s", buf_cstr(&services));
		if (n_act)
			buf_printf(&what, "; %zu tracked action(s) of used services unused: %s",
			           n_act, buf_cstr(&actions));
		f = findings_add(out, "SHR-PERM-008", u->ev->resource, "", "%s", buf_cstr(&what));
		if (medium)
			f->severity = SEV_MEDIUM;
		buf_release(&what);
	}
	buf_release(&services);
	buf_release(&actions);
}

static void
check_role_used(const struct usage *u, const cJSON *attrs, const char *created,
                struct findings *out)
{
	const char *last = json_str(attrs, "RoleLastUsed.LastUsedDate");
	const char *region = json_str(attrs, "RoleLastUsed.Region");
	time_t t;
	struct finding *f;

	if (last && !perm_parse_time(last, &t)) {
		if (t < u->cutoff)
			findings_add(
			        out, "SHR-PERM-009", u->ev->resource, "",
			        "last used %s (%lld days ago%s%s), more than %d days; created %s",
			        last, (long long)((u->now - t) / DAY_S), region ? ", in " : "",
			        region ? region : "", u->days, created ? created : "unknown");
		return;
	}
	f = findings_add(out, "SHR-PERM-009", u->ev->resource, "",
	                 "IAM recorded no use of the role (RoleLastUsed is empty; IAM tracks the "
	                 "last 400 days); created %s",
	                 created ? created : "unknown");
	f->severity = SEV_INFO;
}

void
perm_check_usage(const struct perm_eval *ev, const cJSON *attrs, const struct perm_opts *o,
                 struct findings *out)
{
	struct usage u = { .ev = ev };
	const char *created = json_str(attrs, "CreateDate");
	const char *status = json_str(attrs, "LastAccessed.JobStatus");
	const cJSON *la = json_path(attrs, "LastAccessed");
	time_t born;

	u.now = o && o->now ? o->now : time(NULL);
	u.days = o && o->unused_days > 0 ? o->unused_days : PERM_UNUSED_DAYS_DEFAULT;
	u.cutoff = u.now - (time_t)u.days * DAY_S;
	if (created && !perm_parse_time(created, &born) && born > u.cutoff)
		return; /* too young to judge */
	if (cJSON_IsObject(la) && (!status || !strcasecmp(status, "COMPLETED")))
		check_services(&u, la, out);
	check_role_used(&u, attrs, created, out);
}
