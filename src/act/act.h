/*
 * Remediation: every change to the account follows one protocol,
 *
 *   plan -> show -> confirm -> re-read -> back up -> apply -> verify -> journal
 *
 * A plan is data (JSON, act/plan.c): the action, account, region, target,
 * the revisions it was built against, the state before and after (only the
 * keys the action changes), the exact API calls with their parameters, what
 * is backed up and how it is undone. The same plan runs from `shears fix`,
 * from a file (`shears plan --output`, `shears apply`) and for an undo.
 *
 * Actions are rows of a table (act/actions.c): what they apply to, how the
 * target's state is read, the state they want, and the calls that move a
 * target from one state to another (which also gives the undo: the calls
 * from "after" back to "before", taken from the backup).
 *
 * Journal states (store/actions.h keeps them, act/apply.c moves them):
 *   planned -> confirmed -> backed-up -> applying -> applied -> verified
 *   planned -> cancelled                      (the confirm said no)
 *   confirmed -> refused                      (target changed since the plan)
 *   applying -> failed                        (AWS said no; the target re-read)
 *   applied -> mismatch                       (read back differs from "after")
 *   verified -> undone                        (a later undo verified)
 *   any unfinished state -> verified | not-applied | mismatch  (act/reconcile.c)
 */
#ifndef SHEARS_ACT_ACT_H
#define SHEARS_ACT_ACT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "analyze/analyze.h"
#include "aws/transport.h"
#include "model.h"
#include "store/store.h"
#include "util/err.h"

#define ACT_PLAN_VERSION 1

enum act_flags {
	ACT_DESTRUCTIVE = 1 << 0, /* the confirmation is the resource's name typed */
	/*
	 * Its undo's calls start from the whole state read back at verify,
	 * not from the plan's after: the ids they name (a mapping's UUID, the
	 * number a republished layer version got) are there, not among the keys.
	 */
	ACT_UNDO_FROM_READ = 1 << 1,
};

struct act_save_ctx;

/* What a plan builder may read: the cache and the configured thresholds. */
struct act_plan_ctx {
	struct store *store;
	const struct analyze_opts *opts; /* timeout margin, ... */
	time_t today;                    /* the 90-day window ends here (the last scan) */
	const cJSON *options;            /* `--with NAME`: {"NAME": true}; may be NULL */
	const char *gone;                /* plan as if this function were deleted, or NULL */
};

struct act_action {
	const char *name; /* "quarantine": the command line's and the plan's word */
	const char *summary;
	enum model_kind applies_to;
	unsigned flags;
	const char *const *keys; /* the state keys it changes; NULL-terminated */
	/*
	 * Fills after (the keys above) from before, or refuses with
	 * ERR_USAGE and the reason. explain: why this figure, one line.
	 * Members of after that are not keys are notes for the reviewer
	 * ("diff", "reasons": text): the plan takes them out of after and
	 * keeps them as its own members.
	 */
	int (*desire)(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
	              cJSON *after, char *explain, size_t n, struct err *err);
	/*
	 * Appends to calls the API calls taking the target named name from
	 * state from to state to; revision guards the write where the API
	 * takes one ("" when none). A plan passes the whole state read as
	 * from (so a revision of its own, "PolicyRevisionId", can guard a
	 * write too); an undo passes the keys only.
	 */
	int (*calls)(const char *name, const cJSON *from, const cJSON *to, const char *revision,
	             cJSON *calls, struct err *err);
	/*
	 * Optional, for targets other than a function's configuration or a
	 * role's policies (a queue, a bucket, a function and everything that
	 * points at it). NULL: the defaults by applies_to.
	 *   cached   the state from the cache (default: the resource's attrs)
	 *   read     the state now, from the account (default: GetFunction,
	 *            or the role's policies)
	 *   save     fills backup with what the change loses (default:
	 *            GetFunction or GetRole); may write files beside it
	 *            (act_backup_file)
	 *   backs_up the plan's "backup" lines (default: by applies_to)
	 */
	int (*cached)(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
	              struct err *err);
	int (*read)(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err);
	int (*save)(const struct act_save_ctx *sc, cJSON *backup, struct err *err);
	const char *const *backs_up;
	/* the `--with` options the action takes (NULL-terminated "name: what it does"), or NULL */
	const char *const *options;
};

/* What a save hook gets: where the backup goes and the state just read. */
struct act_save_ctx {
	struct aws_client *client;
	const cJSON *plan;
	const cJSON *now; /* the state read at the re-read */
	const char *dir;  /* the backups' directory (exists, 0700) */
	int64_t id;       /* the journal entry */
};

/*
 * A file beside the backup: dir/<id>-<action>-<name>.<ext>, written 0600
 * (never over an existing file) with data. Fills path (what the backup
 * JSON records). For a function's code package, a layer's content.
 */
int act_backup_file(const struct act_save_ctx *sc, const char *ext, const void *data, size_t len,
                    char *path, size_t n, struct err *err);

/*
 * Checks that every option in with is one the action takes (its options'
 * names, before the ':'). Returns 0 or ERR_USAGE naming the ones it takes.
 */
int act_options_check(const struct act_action *a, const cJSON *with, struct err *err);

/* 1 when the plan context asks for option name (`--with name`). */
int act_option(const struct act_plan_ctx *ctx, const char *name);

/* The action called name, or NULL (the first row of that name: see act_action_for). */
const struct act_action *act_action_find(const char *name);
/*
 * Several rows may share a name, one per kind of target ("close-public"
 * for a function, a queue, a topic, a bucket). The row called name that
 * applies to kind, or NULL.
 */
const struct act_action *act_action_for(const char *name, enum model_kind kind);
/* The kinds the rows called name apply to, as a mask of 1u << kind; 0 when none. */
unsigned act_action_kinds(const char *name);
/*
 * The row a plan runs: its action for its target's kind (the first row of
 * that name when the plan names no kind). NULL when there is none.
 */
const struct act_action *act_plan_action(const cJSON *plan);
/* Every action, for help and tests. */
const struct act_action *act_action_all(size_t *n);

/*
 * The state of a function as the actions compare it: {"RevisionId",
 * "Timeout", "ReservedConcurrentExecutions" (null when none)} and its
 * access (act_fn_state_add_access, below), from the
 * cache's attrs (GetFunction's Configuration fields at the top level and
 * "Concurrency") or from a GetFunction answer ({"Configuration", ...}).
 * Returns a new object (caller deletes) or NULL when the input has no
 * RevisionId.
 */
cJSON *act_fn_state_from_attrs(const cJSON *attrs);
cJSON *act_fn_state_from_get_function(const cJSON *answer);

/*
 * The state of a role as tighten-role compares it: {"InlinePolicies":
 * [{"PolicyName", "PolicyDocument" (JSON)}] sorted by name,
 * "AttachedPolicies": [ARN] sorted}. inline_policies: a RoleDetail's
 * RolePolicyList (documents as objects or URL-encoded text); attached: its
 * AttachedManagedPolicies ({"PolicyArn"}) or ARN strings. IAM keeps no
 * revision for a role: this whole state is what guards a write. Returns a
 * new object (caller deletes), or NULL when an entry lacks its name,
 * document or ARN.
 */
cJSON *act_role_state(const cJSON *inline_policies, const cJSON *attached);

/*
 * The function's access, added to state (act/close_public.c):
 *   "PolicyStatements"  the resource policy's statements sorted by Sid, a
 *                       Principal {"AWS":"*"} written "*" (the same
 *                       principal, in the form AddPermission leaves); []
 *                       when there is no policy; left out when policy is
 *                       not a readable policy document
 *   "PolicyRevisionId"  the policy's own revision, when given
 *   "Policy"            policy as given, verbatim (for the backup)
 *   "UrlAuthType"       the AuthType of the function's own URL (not an
 *                       alias's), null when it has none
 *   "UrlConfig"         that URL's configuration, verbatim
 * policy: GetPolicy's "Policy" text or the cache's decoded document, NULL
 * (or JSON null) when there is none; url: a URL configuration or NULL.
 * The cache's state always has them; a state read back has them only for
 * an action whose keys include them, so the other actions' backups and
 * journal stay as they were.
 */
void act_fn_state_add_access(cJSON *state, const cJSON *policy, const char *policy_rev,
                             const cJSON *url);

/*
 * Builds the plan of action for the resource arn from the cache (a dry run:
 * nothing is sent). Returns 0 and *plan (caller deletes), ERR_NOTFOUND, or
 * ERR_USAGE when the action does not apply (the message says why).
 */
int act_plan_build(const struct act_plan_ctx *ctx, const struct act_action *a, const char *arn,
                   cJSON **plan, struct err *err);

/*
 * prune --with orphans (act/prune_orphans.c): a batch (act/batch.h) of the
 * prune plan (taken; it stops the batch when it does not verify), then
 * prune-role for its role and prune-log-group for its log group, each
 * planned as if the function were gone; one the orphan rules refuse is
 * kept and named in the batch's "notes". Caller deletes *batch.
 */
int act_prune_with_orphans(const struct act_plan_ctx *ctx, cJSON *prune_plan, cJSON **batch,
                           struct err *err);

/*
 * Checks that a plan read from a file is one shears can run: version,
 * a known action, account, region, target, revisions, before, after, calls.
 * Returns 0 or ERR_PARSE naming the first missing field.
 */
int act_plan_validate(const cJSON *plan, struct err *err);

/*
 * Compares want (a plan's before or after) with the state now read: every
 * key of want must be equal in now, and revision (when not NULL) must equal
 * now's RevisionId. Returns 1 when equal; else 0 and a readable
 * difference ("Timeout: plan 900, now 60; ...") in diff.
 */
int act_state_matches(const cJSON *want, const char *revision, const cJSON *now, char *diff,
                      size_t n);

/* The plan as the reviewer reads it: several lines, terminal-safe, into out. */
void act_plan_describe(const cJSON *plan, char *out, size_t n);

/* What the confirmation must be: "y" or, for a destructive plan, the target's name. */
const char *act_confirm_word(const cJSON *plan);

/*
 * Protection: 1 when shears must refuse to act on the account or target.
 * An account is protected when one of its aliases contains "prod" (any
 * case), or when aliases could not be read (n_aliases < 0), unless allow
 * names the account id or that alias. A target is protected when its ARN
 * or name matches one of patterns (fnmatch globs). why says which rule.
 * allow and patterns come from the config's [act] section (shears-config(5)).
 */
struct act_protect {
	const char *const *allow; /* account ids or aliases acting is allowed on */
	size_t n_allow;
	const char *const *patterns; /* protected ARNs or names (globs), or "tag:KEY=VALUE" */
	size_t n_patterns;
	const cJSON *tags; /* the target's tags {KEY: VALUE}, for "tag:" patterns; may be NULL */
};
int act_protected(const struct act_protect *p, const char *account, const char *const *aliases,
                  long n_aliases, const char *arn, const char *name, char *why, size_t n);

#endif
