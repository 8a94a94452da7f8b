/*
 * The remediation journal: the `action` table (one row per action, its plan
 * and current state) and `action_step` (every transition with its time).
 * src/act decides what the states mean (act/journal.c); the store only keeps
 * them. Strings in results are owned by the result (released with it).
 */
#ifndef SHEARS_STORE_ACTIONS_H
#define SHEARS_STORE_ACTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

struct store_action_in {
	const char *action, *target, *account, *region;
	const char *state; /* the first state, "planned" */
	const char *plan;  /* JSON */
	int64_t undo_of;   /* 0: not an undo */
	int64_t now;
};

/* Adds an action and its first step. Returns 0 and sets *id, or a store error. */
int store_action_add(struct store *s, const struct store_action_in *in, int64_t *id,
                     struct err *err);

/* The fields a transition may change; NULL leaves a field as it is. */
struct store_action_update {
	const char *state;  /* required: the new state, also recorded as a step */
	const char *detail; /* the step's detail ("" when NULL) */
	const char *local_user, *caller, *backup, *result, *error;
	int64_t now;
};

/* Moves action id to upd->state in one transaction. ERR_NOTFOUND for an unknown id. */
int store_action_update(struct store *s, int64_t id, const struct store_action_update *upd,
                        struct err *err);

struct store_action {
	int64_t id, undo_of, created, updated;
	char *action, *target, *account, *region, *state, *plan;
	char *local_user, *caller, *backup, *result, *error;
};

struct store_action_step {
	int64_t at;
	char *state, *detail;
};

struct store_actions {
	struct store_action *v; /* oldest first */
	size_t n;
};

/*
 * Loads the journal: every action when states is NULL, else those whose
 * state is one of the NULL-terminated list. Returns 0 or a store error.
 */
int store_actions_list(struct store *s, const char *const *states, struct store_actions *out,
                       struct err *err);
void store_actions_release(struct store_actions *a);

/* One action into out (release with store_action_release). ERR_NOTFOUND when unknown. */
int store_action_get(struct store *s, int64_t id, struct store_action *out, struct err *err);
void store_action_release(struct store_action *a);

/* The steps of action id, oldest first; *steps is owned by the caller (store_steps_free). */
int store_action_steps(struct store *s, int64_t id, struct store_action_step **steps, size_t *n,
                       struct err *err);
void store_steps_free(struct store_action_step *steps, size_t n);

#endif
