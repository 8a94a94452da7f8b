/*
 * act_run: one plan through the protocol. Each step is journaled before
 * the next begins (store/actions.h), so the journal's last state always
 * says how far a run got:
 *
 *   1. planned    the entry and its plan (journal_begin)
 *   2. confirmed  by whom: local user and caller identity (confirm)
 *   3. re-read    refused when the revision or the keys differ (recheck)
 *   4. backed-up  the target's configuration in a private file (backup)
 *   5. applying   each call sent as the plan wrote it (apply_calls)
 *   6. applied    the calls answered
 *   7. verified   read back equals "after" (verify); else mismatch
 *
 * A failed call is settled by reading the target, never by sending again.
 */
#include "act/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act/act.h"
#include "act/call.h"
#include "act/target.h"
#include "store/actions.h"
#include "util/json.h"

static void
crash_point(const char *step)
{
	const char *at = getenv("SHEARS_TEST_CRASH_AT");

	if (at && !strcmp(at, step))
		_exit(137); /* as kill -9 would leave it: nothing flushed, nothing undone */
}

/* "call:N": the N-th call of the plan answered, the next not sent (a kill mid-plan) */
static void
crash_after_call(int n)
{
	char step[32];

	snprintf(step, sizeof(step), "call:%d", n);
	crash_point(step);
}

static int
journal(const struct act_env *env, struct act_result *res, const struct store_action_update *u,
        struct err *err)
{
	struct store_action_update upd = *u;

	upd.now = (int64_t)time(NULL);
	snprintf(res->state, sizeof(res->state), "%s", u->state);
	return store_action_update(env->store, res->id, &upd, err);
}

static int
journal_state(const struct act_env *env, struct act_result *res, const char *state,
              const char *detail, struct err *err)
{
	struct store_action_update u = { .state = state, .detail = detail };

	return journal(env, res, &u, err);
}

static int
journal_begin(const struct act_env *env, const cJSON *plan, struct act_result *res, struct err *err)
{
	char *text = cJSON_PrintUnformatted(plan);
	double undo_of = 0;
	struct store_action_in in = { .action = json_str(plan, "action"),
		                      .target = json_str(plan, "target.arn"),
		                      .account = json_str(plan, "account"),
		                      .region = json_str(plan, "region"),
		                      .state = "planned",
		                      .plan = text,
		                      .now = (int64_t)time(NULL) };
	int rc;

	if (!json_num(plan, "undo_of", &undo_of))
		in.undo_of = (int64_t)undo_of;
	rc = store_action_add(env->store, &in, &res->id, err);
	snprintf(res->state, sizeof(res->state), "planned");
	free(text);
	return rc;
}

static int
confirm(const struct act_env *env, const cJSON *plan, struct act_result *res, struct err *err)
{
	struct store_action_update u = { .state = "confirmed",
		                         .local_user = env->local_user ? env->local_user : "",
		                         .caller = env->caller ? env->caller : "" };
	int rc;

	if (!env->confirm || !env->confirm(env->confirm_ctx, plan, act_confirm_word(plan))) {
		journal_state(env, res, "cancelled", "not confirmed", NULL);
		return err_set(err, ERR_CANCELLED, "not confirmed: nothing was changed");
	}
	rc = journal(env, res, &u, err);
	crash_point("confirmed");
	return rc;
}

/*
 * The plan's other revisions (PolicyRevisionId: a resource policy's own)
 * against the state now, where it has them. Returns 1 when equal; else 0
 * and the difference in diff.
 */
static int
revisions_match(const cJSON *plan, const cJSON *now, char *diff, size_t n)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, json_path(plan, "revisions"))
	{
		const char *is = json_str(now, r->string);

		if (!cJSON_IsString(r) || !strcmp(r->string, "RevisionId") || !is ||
		    !strcmp(is, r->valuestring))
			continue;
		snprintf(diff, n, "%s: plan %s, now %s", r->string, r->valuestring, is);
		return 0;
	}
	return 1;
}

/* Re-reads the target; refuses when it is not as the plan found it. *now is the state read. */
static int
recheck(const struct act_env *env, const cJSON *plan, cJSON **now, struct act_result *res,
        struct err *err)
{
	int rc = act_read_state(env->client, plan, now, err);

	if (rc) {
		struct store_action_update u = { .state = "failed",
			                         .detail = "re-read",
			                         .error = err->msg };

		journal(env, res, &u, NULL);
		return rc;
	}
	if (act_state_matches(json_path(plan, "before"), json_str(plan, "revisions.RevisionId"),
	                      *now, res->detail, sizeof(res->detail)) &&
	    revisions_match(plan, *now, res->detail, sizeof(res->detail)))
		return 0;
	{
		struct store_action_update u = { .state = "refused",
			                         .detail = res->detail,
			                         .error = res->detail };

		journal(env, res, &u, NULL);
	}
	return err_set(err, ERR_STALE, "refused: %s changed since the plan: %s",
	               json_str(plan, "target.name"), res->detail);
}

/* The default backup: a role's trust (GetRole; its state holds the policies) or GetFunction. */
static int
save_default(const struct act_save_ctx *sc, cJSON *b, struct err *err)
{
	int role = json_str(sc->plan, "target.kind") &&
	           !strcmp(json_str(sc->plan, "target.kind"), "role");
	cJSON *answer = NULL;
	int rc = role ? act_get_role(sc->client, sc->plan, &answer, err)
	              : act_get_function(sc->client, sc->plan, &answer, err);

	if (rc)
		return rc;
	/* the code location is a presigned URL: short-lived and not ours to keep */
	cJSON_DeleteItemFromObject(answer, "Code");
	cJSON_AddItemToObject(b, role ? "GetRole" : "GetFunction", answer);
	return 0;
}

static int
backup(const struct act_env *env, const cJSON *plan, const cJSON *now, struct act_result *res,
       struct err *err)
{
	const struct act_action *a = act_plan_action(plan);
	struct store_action_update u = { .state = "backed-up" };
	char dir[4096];
	struct act_save_ctx sc = { .client = env->client,
		                   .plan = plan,
		                   .now = now,
		                   .dir = env->backup_dir ? env->backup_dir : dir,
		                   .id = res->id };
	cJSON *b;
	int rc = env->backup_dir ? 0 : act_backup_dir(dir, sizeof(dir), err);

	if (rc)
		return rc;
	b = cJSON_CreateObject();
	cJSON_AddNumberToObject(b, "action_id", (double)res->id);
	cJSON_AddStringToObject(b, "action", json_str(plan, "action"));
	cJSON_AddStringToObject(b, "target", json_str(plan, "target.arn"));
	cJSON_AddNumberToObject(b, "at", (double)time(NULL));
	cJSON_AddItemToObject(b, "state", cJSON_Duplicate(now, 1));
	rc = a && a->save ? a->save(&sc, b, err) : save_default(&sc, b, err);
	if (!rc)
		rc = act_backup_write(sc.dir, res->id, json_str(plan, "action"),
		                      json_str(plan, "target.name"), b, res->backup,
		                      sizeof(res->backup), err);
	cJSON_Delete(b);
	u.backup = res->backup;
	u.detail = res->backup;
	if (!rc)
		rc = journal(env, res, &u, err);
	crash_point("backed-up");
	return rc;
}

/* After a failed call: the target decides whether the change happened. */
static int
settle_failed_call(const struct act_env *env, const cJSON *plan, struct act_result *res,
                   struct err *err)
{
	struct store_action_update u = { .state = "failed", .error = err->msg };
	char line[1024], diff[512];
	cJSON *now = NULL;

	err_format(err, line, sizeof(line));
	u.error = line;
	if (!act_read_state(env->client, plan, &now, NULL) &&
	    act_state_matches(json_path(plan, "after"), NULL, now, diff, sizeof(diff))) {
		cJSON_Delete(now);
		err_clear(err);
		return 0; /* it landed (a retry after a lost answer, say): verify will say so */
	}
	cJSON_Delete(now);
	snprintf(res->detail, sizeof(res->detail), "%s", line);
	journal(env, res, &u, NULL);
	return err->code ? (int)err->code : ERR_AWS;
}

/*
 * Sends call; a call naming "retry" {code, message, attempts, delay_s} is
 * sent again, a bounded number of times and after a pause, while it fails
 * with exactly that error (a write IAM's eventual consistency refuses for
 * a moment, such as a role just created). Every other failure is returned.
 */
static int
send_call(const struct act_env *env, const cJSON *plan, const cJSON *call, struct err *err)
{
	const cJSON *retry = json_path(call, "retry");
	const char *code = json_str(retry, "code"), *msg = json_str(retry, "message");
	double attempts = 1, delay = 0;
	int rc, i;

	json_num(retry, "attempts", &attempts);
	json_num(retry, "delay_s", &delay);
	attempts = attempts < 1 ? 1 : attempts > 10 ? 10 : attempts;
	delay = delay < 0 ? 0 : delay > 10 ? 10 : delay;
	for (i = 1;; i++) {
		struct timespec pause = { .tv_sec = (time_t)delay };

		rc = act_send_call(env->client, plan, call, err);
		if (!rc || i >= (int)attempts || !code || !act_err_is(err, code) ||
		    (msg && !strstr(err->msg, msg)))
			return rc;
		nanosleep(&pause, NULL);
		err_clear(err);
	}
}

static int
apply_calls(const struct act_env *env, const cJSON *plan, struct act_result *res, struct err *err)
{
	const cJSON *call;
	int sent = 0;
	int rc = journal_state(
	        env, res, "applying",
	        json_str(cJSON_GetArrayItem(json_path(plan, "calls"), 0), "operation"), err);

	cJSON *restore = NULL;

	crash_point("applying");
	/* an undo or a restore fills secrets and code from the backup at the last moment */
	if (!rc && json_str(plan, "restore_from"))
		rc = act_backup_read(json_str(plan, "restore_from"), &restore, err);
	cJSON_ArrayForEach(call, json_path(plan, "calls"))
	{
		cJSON *filled = NULL;

		if (rc)
			break;
		rc = act_call_fill(call, restore, &filled, err);
		if (!rc)
			rc = send_call(env, plan, filled, err);
		cJSON_Delete(filled);
		if (rc)
			rc = settle_failed_call(env, plan, res, err);
		if (!rc)
			crash_after_call(++sent);
	}
	cJSON_Delete(restore);
	if (rc)
		return rc;
	crash_point("applied");
	rc = journal_state(env, res, "applied", "", err);
	crash_point("verify");
	return rc;
}

static int
verify(const struct act_env *env, const cJSON *plan, struct act_result *res, struct err *err)
{
	struct store_action_update u = { .state = "verified" };
	cJSON *now = NULL;
	char *text;
	int rc = act_read_state(env->client, plan, &now, err);

	if (rc)
		return rc; /* stays "applied": the next start reconciles it */
	text = cJSON_PrintUnformatted(now);
	u.result = text;
	if (!act_state_matches(json_path(plan, "after"), NULL, now, res->detail,
	                       sizeof(res->detail))) {
		u.state = "mismatch";
		u.detail = res->detail;
		rc = err_set(err, ERR_PARSE, "the read back differs from the plan: %s",
		             res->detail);
	} else {
		snprintf(res->detail, sizeof(res->detail), "read back: %s", text);
		u.detail = "read back equals the plan's after";
	}
	if (journal(env, res, &u, rc ? NULL : err) && !rc)
		rc = err->code;
	free(text);
	cJSON_Delete(now);
	return rc;
}

/* An undo that verified marks what it undid. */
static void
mark_undone(const struct act_env *env, const cJSON *plan, const struct act_result *res)
{
	struct store_action_update u = { .state = "undone", .now = (int64_t)time(NULL) };
	char detail[64];
	double of;

	if (json_num(plan, "undo_of", &of))
		return;
	snprintf(detail, sizeof(detail), "undone by action %lld", (long long)res->id);
	u.detail = detail;
	store_action_update(env->store, (int64_t)of, &u, NULL);
}

int
act_run(const struct act_env *env, const cJSON *plan, struct act_result *res, struct err *err)
{
	cJSON *now = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	rc = act_plan_validate(plan, err);
	if (!rc && env->account && strcmp(env->account, json_str(plan, "account")))
		rc = err_set(err, ERR_USAGE,
		             "the plan is for account %s; the credentials are for %s",
		             json_str(plan, "account"), env->account);
	if (rc)
		return rc;
	rc = journal_begin(env, plan, res, err);
	rc = rc ? rc : confirm(env, plan, res, err);
	rc = rc ? rc : recheck(env, plan, &now, res, err);
	rc = rc ? rc : backup(env, plan, now, res, err);
	rc = rc ? rc : apply_calls(env, plan, res, err);
	rc = rc ? rc : verify(env, plan, res, err);
	if (!rc)
		mark_undone(env, plan, res);
	/* a step before any call failed: nothing changed, and the journal says why */
	if (rc && (!strcmp(res->state, "confirmed") || !strcmp(res->state, "backed-up"))) {
		struct store_action_update u = { .state = "failed", .error = err->msg };

		journal(env, res, &u, NULL);
	}
	cJSON_Delete(now);
	return rc;
}
