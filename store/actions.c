#include "store/actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/xmalloc.h"

#define ACTION_COLS                                                                    \
	"id, undo_of, created, updated, action, target, account, region, state, plan," \
	" local_user, caller, backup, result, error"

static int
add_step(struct store *s, int64_t id, int64_t at, const char *state, const char *detail,
         struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(
	        s, "INSERT INTO action_step(action, at, state, detail) VALUES(?1, ?2, ?3, ?4)", &st,
	        err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, detail ? detail : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_sql_err(s, "write a journal step", err);
	sqlite3_finalize(st);
	return rc;
}

/* Runs the body's statements between BEGIN and COMMIT, rolling back on error. */
static int
finish_tx(struct store *s, int rc, struct err *err)
{
	if (rc) {
		store_exec(s, "ROLLBACK", NULL);
		return rc;
	}
	return store_exec(s, "COMMIT", err);
}

static int
insert_action(struct store *s, const struct store_action_in *in, int64_t *id, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(
	        s,
	        "INSERT INTO action(action, target, account, region, state, plan, undo_of,"
	        " created, updated) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
	        &st, err);

	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, in->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->target, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, in->account ? in->account : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, in->region ? in->region : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, in->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, in->plan, -1, SQLITE_STATIC);
	if (in->undo_of)
		sqlite3_bind_int64(st, 7, in->undo_of);
	sqlite3_bind_int64(st, 8, in->now);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_sql_err(s, "write a journal entry", err);
	sqlite3_finalize(st);
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
store_action_add(struct store *s, const struct store_action_in *in, int64_t *id, struct err *err)
{
	int rc;

	if (s->readonly)
		return err_set(err, ERR_USAGE, "the cache is open read-only");
	rc = store_exec(s, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	rc = insert_action(s, in, id, err);
	if (!rc)
		rc = add_step(s, *id, in->now, in->state, "", err);
	return finish_tx(s, rc, err);
}

static void
bind_or_keep(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static int
update_row(struct store *s, int64_t id, const struct store_action_update *u, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(
	        s,
	        "UPDATE action SET state = ?2, updated = ?3,"
	        " local_user = coalesce(?4, local_user), caller = coalesce(?5, caller),"
	        " backup = coalesce(?6, backup), result = coalesce(?7, result),"
	        " error = coalesce(?8, error) WHERE id = ?1",
	        &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, u->state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, u->now);
	bind_or_keep(st, 4, u->local_user);
	bind_or_keep(st, 5, u->caller);
	bind_or_keep(st, 6, u->backup);
	bind_or_keep(st, 7, u->result);
	bind_or_keep(st, 8, u->error);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_sql_err(s, "update a journal entry", err);
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(s->db) != 1)
		rc = err_set(err, ERR_NOTFOUND, "no action %lld in the journal", (long long)id);
	return rc;
}

int
store_action_update(struct store *s, int64_t id, const struct store_action_update *upd,
                    struct err *err)
{
	int rc;

	if (s->readonly)
		return err_set(err, ERR_USAGE, "the cache is open read-only");
	if (!upd->state)
		return err_set(err, ERR_USAGE, "a journal update needs a state");
	rc = store_exec(s, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	rc = update_row(s, id, upd, err);
	if (!rc)
		rc = add_step(s, id, upd->now, upd->state, upd->detail, err);
	return finish_tx(s, rc, err);
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return xstrdup(v ? (const char *)v : "");
}

static void
read_action(sqlite3_stmt *st, struct store_action *a)
{
	a->id = sqlite3_column_int64(st, 0);
	a->undo_of = sqlite3_column_int64(st, 1);
	a->created = sqlite3_column_int64(st, 2);
	a->updated = sqlite3_column_int64(st, 3);
	a->action = col_dup(st, 4);
	a->target = col_dup(st, 5);
	a->account = col_dup(st, 6);
	a->region = col_dup(st, 7);
	a->state = col_dup(st, 8);
	a->plan = col_dup(st, 9);
	a->local_user = col_dup(st, 10);
	a->caller = col_dup(st, 11);
	a->backup = col_dup(st, 12);
	a->result = col_dup(st, 13);
	a->error = col_dup(st, 14);
}

void
store_action_release(struct store_action *a)
{
	if (!a)
		return;
	free(a->action);
	free(a->target);
	free(a->account);
	free(a->region);
	free(a->state);
	free(a->plan);
	free(a->local_user);
	free(a->caller);
	free(a->backup);
	free(a->result);
	free(a->error);
	memset(a, 0, sizeof(*a));
}

static int
state_wanted(const char *state, const char *const *states)
{
	size_t i;

	if (!states)
		return 1;
	for (i = 0; states[i]; i++)
		if (!strcmp(states[i], state))
			return 1;
	return 0;
}

int
store_actions_list(struct store *s, const char *const *states, struct store_actions *out,
                   struct err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = store_prepare(s, "SELECT " ACTION_COLS " FROM action ORDER BY id", &st, err);

	memset(out, 0, sizeof(*out));
	while (!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *state = sqlite3_column_text(st, 8);

		rc = 0;
		if (!state_wanted(state ? (const char *)state : "", states))
			continue;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
		}
		read_action(st, &out->v[out->n++]);
	}
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc)
		rc = store_sql_err(s, "read the journal", err);
	sqlite3_finalize(st);
	if (rc)
		store_actions_release(out);
	return rc;
}

void
store_actions_release(struct store_actions *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		store_action_release(&a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

int
store_action_get(struct store *s, int64_t id, struct store_action *out, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = store_prepare(s, "SELECT " ACTION_COLS " FROM action WHERE id = ?1", &st, err);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_action(st, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = err_set(err, ERR_NOTFOUND, "no action %lld in the journal", (long long)id);
	} else {
		rc = store_sql_err(s, "read the journal", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_action_steps(struct store *s, int64_t id, struct store_action_step **steps, size_t *n,
                   struct err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = store_prepare(
	        s, "SELECT at, state, detail FROM action_step WHERE action = ?1 ORDER BY rowid",
	        &st, err);

	*steps = NULL;
	*n = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*steps = xrealloc(*steps, cap * sizeof(**steps));
		}
		(*steps)[*n].at = sqlite3_column_int64(st, 0);
		(*steps)[*n].state = col_dup(st, 1);
		(*steps)[*n].detail = col_dup(st, 2);
		(*n)++;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sql_err(s, "read the journal's steps", err);
	sqlite3_finalize(st);
	if (rc) {
		store_steps_free(*steps, *n);
		*steps = NULL;
		*n = 0;
	}
	return rc;
}

void
store_steps_free(struct store_action_step *steps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(steps[i].state);
		free(steps[i].detail);
	}
	free(steps);
}
