/*
 * A batch: several plans run under one confirmation (issue 7: "batch
 * actions (several marked resources) need the account alias or id typed,
 * and show the count"). Its JSON (ACT_BATCH_VERSION 1):
 *
 *   { "shears_batch": 1, "account": "111122223333",
 *     "region": "us-east-1",       only when every plan has this region
 *     "stop_on_error": false,      optional: the default for every plan
 *     "plans": [ plan, ... ] }     plans of act/plan.c, in the order they run;
 *                                  a plan may say "stop_on_error": true
 *
 * Invariants:
 *  1. Every plan is a valid plan (act_plan_validate) of the batch's account;
 *     no two plans have the same action and target.
 *  2. The question is asked once, for the whole batch: the count, each
 *     plan's one-line summary, and the names of destructive targets; the
 *     word typed is the account's first alias or its id (either applies),
 *     and stands in for every destructive plan's typed name.
 *  3. Each plan then runs through act_run as its own journal entry (the
 *     confirmation already given), its journaled plan carrying "batch":
 *     {"id", "index", "of"}. A plan refused or failed does not stop the
 *     next unless it (or the batch) says "stop_on_error"; the plans after a
 *     stop are "skipped" and never journaled.
 *
 * A plan builder that wants to offer more than one change (prune and the
 * orphans it leaves) builds a batch: act_batch_new, then act_batch_add
 * for each plan.
 */
#ifndef SHEARS_ACT_BATCH_H
#define SHEARS_ACT_BATCH_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "act/run.h"
#include "util/err.h"

#define ACT_BATCH_VERSION 1
#define ACT_BATCH_MAX     500 /* plans in one batch: one question must stay readable */

/* An empty batch for account (a new object, caller deletes). */
cJSON *act_batch_new(const char *account);

/*
 * Appends plan to batch, taking it (deleted on error too). Refuses
 * (ERR_USAGE) a plan of another account, a second plan of the same action
 * on the same target, and more than ACT_BATCH_MAX plans; ERR_PARSE for a
 * plan act_plan_validate refuses. Keeps "region" only while every plan
 * shares it.
 */
int act_batch_add(cJSON *batch, cJSON *plan, struct err *err);

/*
 * act_batch_add for a plan or a batch (prune --with orphans gives one):
 * each of a batch's plans is added in order and its notes kept. doc is
 * taken (deleted on error too).
 */
int act_batch_add_any(cJSON *batch, cJSON *doc, struct err *err);

/* 1 when doc says it is a batch ("shears_batch"), 0 for a plan or anything else. */
int act_is_batch(const cJSON *doc);

/*
 * Checks a batch read from a file: version, account, plans (1 to
 * ACT_BATCH_MAX, each valid and of the batch's account, none twice), the
 * region when given, stop_on_error a boolean when given. Returns 0 or
 * ERR_PARSE naming the first fault ("plan 2: the plan has no calls").
 */
int act_batch_validate(const cJSON *batch, struct err *err);

/* The number of plans. */
size_t act_batch_count(const cJSON *batch);

/*
 * One line for a plan, terminal-safe: "quarantine orders-api (function):
 * ReservedConcurrentExecutions 50 -> 0", "(destructive)" when it is.
 */
void act_plan_summary(const cJSON *plan, char *out, size_t n);

/*
 * The batch as the question shows it: the count, the account, each plan's
 * summary, and the names a destructive plan would have had typed.
 */
void act_batch_describe(const cJSON *batch, char *out, size_t n);

/* What the one question of a batch asks for. */
struct act_batch_ask {
	const cJSON *batch;
	size_t count;
	const char *account; /* the batch's account id */
	const char *alias;   /* the account's first alias, NULL when it has none (or unread) */
};

/* Fills ask for batch; aliases as act_account_aliases gives them (n_aliases -1: unread). */
void act_batch_ask_init(struct act_batch_ask *ask, const cJSON *batch, const char *const *aliases,
                        long n_aliases);
/* The word a prompt names: the alias when there is one, else the account id. */
const char *act_batch_ask_word(const struct act_batch_ask *ask);
/* 1 when typed is the account id or its first alias (exactly), else 0. */
int act_batch_ask_ok(const struct act_batch_ask *ask, const char *typed);

/* Shows the batch and asks once; returns 1 to run the plans, 0 for no. */
typedef int act_batch_confirm_fn(void *ctx, const struct act_batch_ask *ask);

struct act_batch_env {
	const struct act_env *env; /* its confirm is not used: the batch asks once */
	const char *const *aliases;
	long n_aliases;
	act_batch_confirm_fn *confirm;
	void *confirm_ctx;
	/* optional: checks a plan before it runs (region, protection); an error refuses that plan
	 */
	int (*check)(void *ctx, const cJSON *plan, struct err *err);
	void *check_ctx;
};

/* What became of one plan. */
struct act_batch_item {
	char summary[512];     /* act_plan_summary */
	int rc;                /* 0 verified; ERR_CANCELLED also when skipped */
	int skipped;           /* not run: an earlier plan stopped the batch */
	struct act_result res; /* the journal entry (res.id 0 when none) */
	struct err err;        /* why, when rc */
};

struct act_batch_result {
	struct act_batch_item *v;
	size_t n;
	size_t n_verified, n_failed, n_skipped; /* failed: refused, cancelled or an error */
	char id[48];                            /* the batch id journaled with each plan */
};

/*
 * Validates batch, asks once (benv->confirm), then runs every plan through
 * act_run in order (see the invariants above). A batch not confirmed
 * journals each plan "cancelled" and returns ERR_CANCELLED. Returns 0 when
 * every plan verified; else the first failed plan's code, with err
 * saying how many failed. out is filled whenever the batch was valid
 * (release it with act_batch_result_release).
 */
int act_batch_run(const struct act_batch_env *benv, const cJSON *batch,
                  struct act_batch_result *out, struct err *err);
void act_batch_result_release(struct act_batch_result *r);

#endif
