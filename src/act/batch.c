/*
 * Batches (act/batch.h): building, validating, the one question, and the
 * run of every plan through act_run. A batch holds no state of its own in
 * the journal: each plan is its own entry, and the plan journaled says
 * which batch it ran in.
 */
#include "act/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act/act.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/termsafe.h"
#include "util/xmalloc.h"

#define SUMMARY_VALUE_MAX 40 /* a longer value (a policy) reads "changes" in one line */

cJSON *
act_batch_new(const char *account)
{
	cJSON *b = cJSON_CreateObject();

	cJSON_AddNumberToObject(b, "shears_batch", ACT_BATCH_VERSION);
	cJSON_AddStringToObject(b, "account", account ? account : "");
	cJSON_AddArrayToObject(b, "plans");
	return b;
}

int
act_is_batch(const cJSON *doc)
{
	return cJSON_IsObject(doc) && cJSON_GetObjectItemCaseSensitive(doc, "shears_batch");
}

size_t
act_batch_count(const cJSON *batch)
{
	const cJSON *plans = json_path(batch, "plans");

	return cJSON_IsArray(plans) ? (size_t)cJSON_GetArraySize(plans) : 0;
}

static int
same_str(const cJSON *a, const cJSON *b, const char *path)
{
	const char *x = json_str(a, path), *y = json_str(b, path);

	return x && y && !strcmp(x, y);
}

/* Is there a plan before index upto with plan's action and target? */
static long
duplicate_of(const cJSON *plans, const cJSON *plan, long upto)
{
	const cJSON *p;
	long i = 0;

	cJSON_ArrayForEach(p, plans)
	{
		if (i >= upto)
			break;
		if (same_str(p, plan, "action") && same_str(p, plan, "target.arn"))
			return i;
		i++;
	}
	return -1;
}

/* The one plan's checks against the batch; index is 1-based for messages. */
static int
check_plan(const cJSON *batch, const cJSON *plan, long index, enum err_code code, struct err *err)
{
	const char *region = json_str(batch, "region");
	struct err perr = { 0 };
	long dup;

	if (act_plan_validate(plan, &perr))
		return err_set(err, ERR_PARSE, "plan %ld: %s", index, perr.msg);
	if (strcmp(json_str(plan, "account"), json_str(batch, "account")))
		return err_set(err, code, "plan %ld is for account %s, the batch for %s", index,
		               json_str(plan, "account"), json_str(batch, "account"));
	if (region && strcmp(region, json_str(plan, "region")))
		return err_set(err, code, "plan %ld is for region %s, the batch for %s", index,
		               json_str(plan, "region"), region);
	dup = duplicate_of(json_path(batch, "plans"), plan, index - 1);
	if (dup >= 0)
		return err_set(err, code, "plan %ld repeats plan %ld (%s on %s)", index, dup + 1,
		               json_str(plan, "action"), json_str(plan, "target.name"));
	return 0;
}

int
act_batch_add(cJSON *batch, cJSON *plan, struct err *err)
{
	cJSON *plans = cJSON_GetObjectItemCaseSensitive(batch, "plans");
	size_t n = act_batch_count(batch);
	int rc = 0;

	if (n >= ACT_BATCH_MAX)
		rc = err_set(err, ERR_USAGE, "a batch holds at most %d plans", ACT_BATCH_MAX);
	if (!rc && !json_str(batch, "account")[0] && json_str(plan, "account"))
		cJSON_ReplaceItemInObject(batch, "account",
		                          cJSON_CreateString(json_str(plan, "account")));
	if (!rc) {
		/* the batch's region stands only while every plan shares it */
		cJSON_DeleteItemFromObjectCaseSensitive(batch, "region");
		rc = check_plan(batch, plan, (long)n + 1, ERR_USAGE, err);
	}
	if (rc) {
		cJSON_Delete(plan);
		return rc;
	}
	cJSON_AddItemToArray(plans, plan);
	plans = plans->child;
	for (; plans && same_str(plans, plan, "region"); plans = plans->next)
		;
	if (plans)
		return 0;
	/* before "plans", so a reader of the file sees it at the head */
	plans = cJSON_DetachItemFromObjectCaseSensitive(batch, "plans");
	cJSON_AddStringToObject(batch, "region", json_str(plan, "region"));
	cJSON_AddItemToObject(batch, "plans", plans);
	return 0;
}

int
act_batch_validate(const cJSON *batch, struct err *err)
{
	const cJSON *plans = json_path(batch, "plans"), *p, *stop;
	double version;
	long i = 0;
	int rc;

	if (!act_is_batch(batch))
		return err_set(err, ERR_PARSE, "a batch is a JSON object with \"shears_batch\"");
	if (json_num(batch, "shears_batch", &version) || version != ACT_BATCH_VERSION)
		return err_set(err, ERR_PARSE, "not a shears batch of version %d",
		               ACT_BATCH_VERSION);
	if (!json_str(batch, "account") || !json_str(batch, "account")[0])
		return err_set(err, ERR_PARSE, "the batch has no account");
	if (cJSON_GetObjectItemCaseSensitive(batch, "region") && !json_str(batch, "region"))
		return err_set(err, ERR_PARSE, "the batch's region is not a string");
	stop = cJSON_GetObjectItemCaseSensitive(batch, "stop_on_error");
	if (stop && !cJSON_IsBool(stop))
		return err_set(err, ERR_PARSE, "the batch's stop_on_error is not true or false");
	if (!cJSON_IsArray(plans) || !cJSON_GetArraySize(plans))
		return err_set(err, ERR_PARSE, "the batch has no plans");
	if (cJSON_GetArraySize(plans) > ACT_BATCH_MAX)
		return err_set(err, ERR_LIMIT, "a batch holds at most %d plans", ACT_BATCH_MAX);
	cJSON_ArrayForEach(p, plans)
	{
		stop = cJSON_GetObjectItemCaseSensitive(p, "stop_on_error");
		rc = check_plan(batch, p, ++i, ERR_PARSE, err);
		if (!rc && stop && !cJSON_IsBool(stop))
			rc = err_set(err, ERR_PARSE, "plan %ld: stop_on_error is not true or false",
			             i);
		if (rc)
			return rc;
	}
	return 0;
}

/* "k: a -> b" for short values, "k changes" for a document. */
static void
summary_change(struct buf *b, const cJSON *key, const cJSON *after)
{
	char *x = cJSON_PrintUnformatted(key), *y = cJSON_PrintUnformatted(after);
	char k[96], sx[SUMMARY_VALUE_MAX + 1], sy[SUMMARY_VALUE_MAX + 1];

	termsafe_copy(k, sizeof(k), key->string);
	if (x && y && !strcmp(x, y))
		; /* a key the plan keeps as it is says nothing */
	else if (x && y && strlen(x) <= SUMMARY_VALUE_MAX && strlen(y) <= SUMMARY_VALUE_MAX)
		buf_printf(
		        b, "%s %s: %s -> %s", b->len ? "," : ":", k,
		        termsafe_copy(sx, sizeof(sx), cJSON_IsNull(key) ? "none" : x),
		        termsafe_copy(sy, sizeof(sy), !after || cJSON_IsNull(after) ? "none" : y));
	else
		buf_printf(b, "%s %s changes", b->len ? "," : ":", k);
	free(x);
	free(y);
}

void
act_plan_summary(const cJSON *plan, char *out, size_t n)
{
	char action[64], name[256], kind[32];
	const cJSON *item;
	struct buf changes;

	buf_init(&changes, 4096);
	termsafe_copy(action, sizeof(action),
	              json_str(plan, "action") ? json_str(plan, "action") : "?");
	termsafe_copy(name, sizeof(name),
	              json_str(plan, "target.name") ? json_str(plan, "target.name") : "?");
	termsafe_copy(kind, sizeof(kind),
	              json_str(plan, "target.kind") ? json_str(plan, "target.kind") : "resource");
	cJSON_ArrayForEach(item, json_path(plan, "before")) summary_change(
	        &changes, item,
	        cJSON_GetObjectItemCaseSensitive(json_path(plan, "after"), item->string));
	snprintf(out, n, "%s %s (%s)%s%s%s", action, name, kind,
	         changes.len ? buf_cstr(&changes) : "",
	         json_path(plan, "undo_of") ? " (an undo)" : "",
	         json_bool(plan, "destructive", 0) ? " (destructive)" : "");
	buf_release(&changes);
}

void
act_batch_describe(const cJSON *batch, char *out, size_t n)
{
	size_t count = act_batch_count(batch), i = 0, n_destructive = 0;
	char acct[64], line[512];
	const cJSON *p;
	struct buf b;

	buf_init(&b, 1 << 20);
	termsafe_copy(acct, sizeof(acct),
	              json_str(batch, "account") ? json_str(batch, "account") : "?");
	buf_printf(&b, "batch: %zu plan%s on account %s%s\n", count, count == 1 ? "" : "s", acct,
	           json_bool(batch, "stop_on_error", 0) ? " (stops at the first failure)" : "");
	cJSON_ArrayForEach(p, json_path(batch, "plans"))
	{
		act_plan_summary(p, line, sizeof(line));
		buf_printf(&b, "  %zu. %s%s\n", ++i, line,
		           json_bool(p, "stop_on_error", 0) ? " (stops the batch if it fails)"
		                                            : "");
		n_destructive += json_bool(p, "destructive", 0);
	}
	cJSON_ArrayForEach(p, json_path(batch, "notes"))
	{
		if (cJSON_IsString(p))
			buf_printf(&b, "  note: %s\n",
			           termsafe_copy(line, sizeof(line), p->valuestring));
	}
	if (n_destructive) {
		buf_printf(&b, "  destructive, each name stands in the one confirmation:");
		cJSON_ArrayForEach(p, json_path(batch, "plans"))
		{
			if (json_bool(p, "destructive", 0))
				buf_printf(&b, " %s",
				           termsafe_copy(line, sizeof(line),
				                         json_str(p, "target.name")));
		}
		buf_printf(&b, "\n");
	}
	snprintf(out, n, "%s", b.len ? buf_cstr(&b) : "");
	buf_release(&b);
}

void
act_batch_ask_init(struct act_batch_ask *ask, const cJSON *batch, const char *const *aliases,
                   long n_aliases)
{
	ask->batch = batch;
	ask->count = act_batch_count(batch);
	ask->account = json_str(batch, "account") ? json_str(batch, "account") : "";
	ask->alias = n_aliases > 0 && aliases[0] && aliases[0][0] ? aliases[0] : NULL;
}

const char *
act_batch_ask_word(const struct act_batch_ask *ask)
{
	return ask->alias ? ask->alias : ask->account;
}

int
act_batch_ask_ok(const struct act_batch_ask *ask, const char *typed)
{
	if (!typed || !typed[0])
		return 0;
	return !strcmp(typed, ask->account) || (ask->alias && !strcmp(typed, ask->alias));
}

/* The per-plan confirm inside a batch: the batch's one answer. */
static int
batch_answer(void *ctx, const cJSON *plan, const char *word)
{
	(void)plan;
	(void)word;
	return *(const int *)ctx;
}

static void
batch_id(char *out, size_t n)
{
	static unsigned counter; /* several batches in one process (the console) */

	snprintf(out, n, "%lld-%ld-%u", (long long)time(NULL), (long)getpid(), ++counter);
}

/* One plan of the batch, journaled with the batch's id and its place. */
static int
run_one(const struct act_batch_env *benv, const struct act_env *env, const cJSON *plan,
        const struct act_batch_result *out, size_t i, struct act_batch_item *item)
{
	cJSON *tagged = cJSON_Duplicate(plan, 1), *mark;

	cJSON_DeleteItemFromObjectCaseSensitive(tagged, "batch");
	mark = cJSON_AddObjectToObject(tagged, "batch");
	cJSON_AddStringToObject(mark, "id", out->id);
	cJSON_AddNumberToObject(mark, "index", (double)(i + 1));
	cJSON_AddNumberToObject(mark, "of", (double)out->n);
	act_plan_summary(plan, item->summary, sizeof(item->summary));
	/* not confirmed: act_run only journals it cancelled, nothing is read */
	if (benv->check && *(const int *)env->confirm_ctx)
		item->rc = benv->check(benv->check_ctx, tagged, &item->err);
	if (!item->rc)
		item->rc = act_run(env, tagged, &item->res, &item->err);
	cJSON_Delete(tagged);
	return item->rc;
}

static int
run_all(const struct act_batch_env *benv, const cJSON *batch, int yes, struct act_batch_result *out)
{
	struct act_env env = *benv->env;
	int stop_all = json_bool(batch, "stop_on_error", 0), first = 0, stopped = 0;
	const cJSON *p;
	size_t i = 0;

	env.confirm = batch_answer;
	env.confirm_ctx = &yes;
	cJSON_ArrayForEach(p, json_path(batch, "plans"))
	{
		struct act_batch_item *item = &out->v[i];

		if (stopped) {
			act_plan_summary(p, item->summary, sizeof(item->summary));
			item->skipped = 1;
			item->rc = err_set(&item->err, ERR_CANCELLED,
			                   "skipped: an earlier plan failed and stops the batch");
			out->n_skipped++;
		} else if (!run_one(benv, &env, p, out, i, item)) {
			out->n_verified++;
		} else {
			out->n_failed++;
			first = first ? first : item->rc;
			stopped = yes && json_bool(p, "stop_on_error", stop_all);
		}
		i++;
	}
	return first;
}

int
act_batch_run(const struct act_batch_env *benv, const cJSON *batch, struct act_batch_result *out,
              struct err *err)
{
	struct act_batch_ask ask;
	int yes, rc;

	memset(out, 0, sizeof(*out));
	rc = act_batch_validate(batch, err);
	if (rc)
		return rc;
	out->n = act_batch_count(batch);
	out->v = xcalloc(out->n, sizeof(*out->v));
	batch_id(out->id, sizeof(out->id));
	act_batch_ask_init(&ask, batch, benv->aliases, benv->n_aliases);
	yes = benv->confirm && benv->confirm(benv->confirm_ctx, &ask);
	rc = run_all(benv, batch, yes, out);
	if (!yes)
		return err_set(err, ERR_CANCELLED, "not confirmed: nothing was changed");
	if (rc)
		return err_set(err, (enum err_code)rc,
		               "%zu of %zu plans did not verify (%zu skipped)",
		               out->n_failed + out->n_skipped, out->n, out->n_skipped);
	return 0;
}

void
act_batch_result_release(struct act_batch_result *r)
{
	if (!r)
		return;
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

int
act_batch_add_any(cJSON *batch, cJSON *doc, struct err *err)
{
	cJSON *p, *notes, *to;
	int rc = 0;

	if (!act_is_batch(doc))
		return act_batch_add(batch, doc, err);
	while (!rc && (p = cJSON_DetachItemFromArray(cJSON_GetObjectItem(doc, "plans"), 0)))
		rc = act_batch_add(batch, p, err);
	notes = cJSON_GetObjectItem(doc, "notes");
	to = cJSON_GetObjectItem(batch, "notes");
	if (!to && notes)
		to = cJSON_AddArrayToObject(batch, "notes");
	while (notes && (p = cJSON_DetachItemFromArray(notes, 0)))
		cJSON_AddItemToArray(to, p);
	cJSON_Delete(doc);
	return rc;
}
