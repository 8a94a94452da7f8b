/*
 * Remediation for the console: what ui/ calls to list, plan and run the
 * actions of src/act without seeing a credential, a transport or an aws/
 * header. The connection (credentials, caller identity, the reconciliation
 * of unfinished journal entries) is opened lazily, the way the command line
 * opens it (cli_connect), on the first run, and kept for the session.
 *
 * Ownership: the console borrows the struct cli it was made from (main's,
 * alive for the whole run) and the store passed to each call (the UI's).
 * Plans returned are the caller's (cJSON_Delete).
 */
#ifndef SHEARS_CLI_CONSOLE_ACT_H
#define SHEARS_CLI_CONSOLE_ACT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

struct cli;
struct act_console;

/* An action a resource of some kind may take, from the action table. */
struct act_choice {
	const char *name, *summary;
	int destructive;    /* the confirmation is the resource's name typed */
	const char *option; /* one of the action's options ("name: what it does"), or NULL */
};

/* Borrows cli; nothing is read or connected yet. Never NULL. */
struct act_console *act_console_new(const struct cli *cli);
void act_console_free(struct act_console *c);

/*
 * 1 when actions are removed: --read-only, the config's [act] read_only, or
 * a config that cannot be read (a broken file must not drop its read_only).
 * why says which. Read once and kept.
 */
int act_console_read_only(struct act_console *c, char *why, size_t n);

/* The actions that apply to kind (enum model_kind), at most max; returns the count. */
size_t act_console_choices(int kind, struct act_choice *out, size_t max);

/*
 * The plan of action for arn, built from the cache with the config's
 * thresholds (a dry run, nothing sent) and refused for a protected target.
 * text gets the plan as the reviewer reads it (act_plan_describe).
 */
int act_console_plan(struct act_console *c, struct store *s, const struct act_choice *choice,
                     const char *arn, cJSON **plan, char *text, size_t n, struct err *err);

/* The plan undoing journal entry id (refused unless it is "verified"), and its text. */
int act_console_undo_plan(struct store *s, int64_t id, cJSON **plan, char *text, size_t n,
                          struct err *err);

/* What the confirmation must be: "y", or the target's name for a destructive plan. */
const char *act_console_confirm_word(const cJSON *plan);

/*
 * Runs a plan the reviewer has confirmed: connects on the first call, checks
 * the region and the account's protection, then the protocol (act_run),
 * journaled with the local user and the caller identity. summary gets
 * "action 12: verified" with the detail, or what refused it. Returns 0 when
 * verified, else the error (err says why; summary still says what happened).
 */
int act_console_run(struct act_console *c, struct store *s, const cJSON *plan, char *summary,
                    size_t n, struct err *err);

/*
 * Batches (act/batch.h) from the console. act_console_batch_words connects
 * (as a run does) and reads the account's aliases: word gets the first
 * alias, or the account id when there is none; alt the id when word is the
 * alias, else "". Either typed applies the batch.
 */
int act_console_batch_words(struct act_console *c, struct store *s, const cJSON *batch, char *word,
                            size_t wn, char *alt, size_t an, struct err *err);

/*
 * Runs a batch the reviewer confirmed (the word was typed in the dialog):
 * each plan checked (region, protection) and run as act_console_run runs
 * one. summary gets "batch: 2 verified, 1 failed, 0 skipped"; lines gets
 * one line per plan ("1. verified, action 12: quarantine a (function):
 * ..."; a failure with its reason), terminal-safe. Returns 0 when every plan verified.
 */
int act_console_run_batch(struct act_console *c, struct store *s, const cJSON *batch, char *summary,
                          size_t n, char *lines, size_t ln, struct err *err);

/* The action that carries out a rule's remedy (enum remedy), or NULL when it is done by hand. */
const char *act_console_remedy_action(int remedy);

/*
 * Shared with the command line (cmd_act.c): the config's protection against
 * plan's target; with_account also the account (aliases: n_aliases >= 0, or
 * -1 when they could not be read). Returns 0 or ERR_USAGE saying which rule.
 */
struct shears_config;
int cli_act_check_protected(const struct shears_config *cfg, struct store *s, const cJSON *plan,
                            const char *const *aliases, long n_aliases, int with_account,
                            struct err *err);

#endif
