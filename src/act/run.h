/*
 * Running a plan against the account: confirm, re-read, back up, apply,
 * verify, every step journaled (act/apply.c); undo (act/undo.c); and the
 * reconciliation of entries a crash left unfinished (act/reconcile.c).
 * Design notes and the journal's states: act/act.h.
 *
 * Writes and retries: the transport retries throttling, 5xx and dropped
 * connections. The writes of these actions set absolute values (reserved
 * concurrency N; Timeout T guarded by the RevisionId), so a second delivery
 * changes nothing; and whatever a call answers, a failed call is followed
 * by a re-read that decides whether the change happened (a write that timed
 * out but landed is "applied", never sent again by shears). Actions whose
 * writes are not idempotent (prune) must be sent once and settled the same
 * way.
 *
 * Test hook: SHEARS_TEST_CRASH_AT=confirmed|backed-up|applying|applied|verify
 * makes shears _exit(137) at that point (after the journal records the
 * step; "applied": after the call succeeded, before the journal says so;
 * "verify": after "applied" is journaled, before the read back), as a
 * kill -9 would. SHEARS_TEST_CRASH_AT=call:N exits right after the N-th
 * call of the plan answered (1 is the first), before the next is sent: a
 * kill in the middle of a multi-call plan, which the journal leaves at
 * "applying". Tests only.
 */
#ifndef SHEARS_ACT_RUN_H
#define SHEARS_ACT_RUN_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/transport.h"
#include "store/store.h"
#include "util/err.h"

/* Shows the plan and asks; word is what must be typed. Returns 1 to go on, 0 for no. */
typedef int act_confirm_fn(void *ctx, const cJSON *plan, const char *word);

struct act_env {
	struct store *store;
	struct aws_client *client;
	const char *account;    /* the credentials' account (STS): must be the plan's */
	const char *caller;     /* the caller identity ARN, journaled with the confirm */
	const char *local_user; /* the local login, journaled with the confirm */
	const char *backup_dir; /* NULL: act_backup_dir() */
	act_confirm_fn *confirm;
	void *confirm_ctx;
};

struct act_result {
	int64_t id;        /* the journal entry; 0 when nothing was journaled */
	char state[16];    /* the journal state it ended in */
	char detail[1024]; /* the difference, the AWS error, or what was read back */
	char backup[4096]; /* the backup file written, "" when none */
};

/*
 * Runs plan (validated first) through the protocol. Returns 0 when the
 * change is verified (res->state "verified"); ERR_CANCELLED when the
 * confirm said no; ERR_STALE when the target changed since the plan
 * (res->detail has the difference); ERR_USAGE for another account; the
 * AWS error when the change failed; ERR_PARSE with state "mismatch" when
 * the read back differs from the plan's after. res is always filled.
 */
int act_run(const struct act_env *env, const cJSON *plan, struct act_result *res, struct err *err);

/*
 * The plan undoing journal entry id: from its backup to the state it had
 * before, guarded by the revision read back at its verify. Refused
 * (ERR_USAGE) unless the entry is "verified". Caller deletes *plan.
 */
int act_undo_plan(struct store *s, int64_t id, cJSON **plan, struct err *err);

/* Reads the target of plan now: the action's state object (caller deletes). */
int act_read_state(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);

/*
 * Settles every journal entry left unfinished (a crash, a kill): reads its
 * target and marks it verified (the change is there), not-applied (the
 * target is as planned before) or mismatch (neither). Never re-applies.
 * *n counts the entries settled. An entry whose target cannot be read
 * stays unfinished for the next start and the others are still settled;
 * returns 0 or the first such error.
 */
int act_reconcile(struct store *s, struct aws_client *c, size_t *n, struct err *err);

/* 1 when the journal has entries act_reconcile would settle. */
int act_unfinished(struct store *s, struct err *err);

/*
 * The backups' directory: $XDG_DATA_HOME/shears/backups, else
 * $HOME/.local/share/shears/backups. Returns 0 or ERR_CONFIG.
 */
int act_backup_dir(char *out, size_t n, struct err *err);

/*
 * Writes backup (a JSON object) to dir/<id>-<action>-<name>.json, creating
 * dir 0700 and the file 0600 (never over an existing file). Fills path.
 */
int act_backup_write(const char *dir, int64_t id, const char *action, const char *name,
                     const cJSON *backup, char *path, size_t n, struct err *err);
/* Reads a backup file back (caller deletes). */
int act_backup_read(const char *path, cJSON **backup, struct err *err);

/*
 * The account's aliases (IAM ListAccountAliases): *n -1 when they could
 * not be read (err says why); else the strings, caller frees with
 * act_aliases_free.
 */
int act_account_aliases(struct aws_client *c, char ***aliases, long *n, struct err *err);
void act_aliases_free(char **aliases, long n);

#endif
