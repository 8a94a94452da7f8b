/*
 * Reconciliation at start: a journal entry left in an unfinished state
 * (planned, confirmed, backed-up, applying, applied) means shears stopped
 * mid-way. Its target is read and the entry settled by what is there:
 *
 *   the plan's after       -> verified     (the change happened)
 *   the plan's before, at
 *   the plan's revision    -> not-applied  (it did not)
 *   anything else          -> mismatch     (changed by someone else too)
 *
 * Nothing is ever sent again: a reviewer decides what to do next.
 */
#include "act/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "act/act.h"
#include "store/actions.h"
#include "util/json.h"

static const char *const unfinished[] = { "planned",  "confirmed", "backed-up",
	                                  "applying", "applied",   NULL };

int
act_unfinished(struct store *s, struct err *err)
{
	struct store_actions a;
	int rc = store_actions_list(s, unfinished, &a, err);
	int any = !rc && a.n > 0;

	store_actions_release(&a);
	return rc ? -rc : any;
}

static void
mark_undone_by(struct store *s, const cJSON *plan, int64_t id, int64_t now)
{
	struct store_action_update u = { .state = "undone", .now = now };
	char detail[64];
	double of;

	if (json_num(plan, "undo_of", &of))
		return;
	snprintf(detail, sizeof(detail), "undone by action %lld (reconciled)", (long long)id);
	u.detail = detail;
	store_action_update(s, (int64_t)of, &u, NULL);
}

static int
settle(struct store *s, struct aws_client *c, const struct store_action *a, struct err *err)
{
	struct store_action_update u = { .now = (int64_t)time(NULL) };
	cJSON *plan = cJSON_Parse(a->plan), *now = NULL;
	char diff[512], detail[768], *text = NULL;
	int rc = plan ? act_read_state(c, plan, &now, err) : ERR_PARSE;

	if (rc) {
		cJSON_Delete(plan);
		return rc;
	}
	text = cJSON_PrintUnformatted(now);
	u.result = text;
	if (act_state_matches(json_path(plan, "after"), NULL, now, diff, sizeof(diff))) {
		u.state = "verified";
		snprintf(detail, sizeof(detail),
		         "reconciled after '%s': the target shows the change", a->state);
	} else if (act_state_matches(json_path(plan, "before"),
	                             json_str(plan, "revisions.RevisionId"), now, diff,
	                             sizeof(diff))) {
		u.state = "not-applied";
		snprintf(detail, sizeof(detail),
		         "reconciled after '%s': the target is as before, nothing was changed",
		         a->state);
	} else {
		u.state = "mismatch";
		snprintf(detail, sizeof(detail),
		         "reconciled after '%s': neither before nor after: %s", a->state, diff);
	}
	u.detail = detail;
	rc = store_action_update(s, a->id, &u, err);
	if (!rc && !strcmp(u.state, "verified"))
		mark_undone_by(s, plan, a->id, u.now);
	free(text);
	cJSON_Delete(now);
	cJSON_Delete(plan);
	return rc;
}

int
act_reconcile(struct store *s, struct aws_client *c, size_t *n, struct err *err)
{
	struct store_actions open;
	size_t i;
	int first = 0, rc = store_actions_list(s, unfinished, &open, err);

	*n = 0;
	/* one target that cannot be read (gone, denied) must not hold back the others */
	for (i = 0; !rc && i < open.n; i++) {
		struct err one = { 0 };

		if (!settle(s, c, &open.v[i], &one))
			(*n)++;
		else if (err && !first)
			*err = one;
		if (one.code && !first)
			first = (int)one.code;
	}
	store_actions_release(&open);
	return rc ? rc : first;
}
